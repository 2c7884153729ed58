//! `decode-token` as a user runs it: input forms, outputs, exit codes, batch mode, photos, key
//! fetching over HTTP (with a re-fetch on key rotation), and hostile input.

use crate::common;

use std::io::Write;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use common::{cli, codes, constant, default_flags, json_stdout, vector, vector_file};
use predicates::prelude::*;
use serde_json::{Value, json};

fn token(name: &str) -> String {
    vector(name)["token"].as_str().expect("token").to_string()
}

/// An unsigned JWS (`alg: none`) of arbitrary claims, for decoding-only tests.
fn unsigned(claims: &Value) -> String {
    let header = URL_SAFE_NO_PAD.encode(br#"{"alg":"none"}"#);
    format!("{header}.{}.", URL_SAFE_NO_PAD.encode(claims.to_string()))
}

#[test]
fn malformed_tokens_say_what_is_wrong() {
    let cases = [
        ("abc", "3 parts (JWS) or 5 parts (JWE)"),
        (
            "eyJhbGciOiJSUzI1NiJ9.e30+.c2ln",
            "part 2 (payload) is not base64url: byte `+` at position 24",
        ),
        ("bm90IGpzb24.e30.c2ln", "part 1 (header) is not JSON"),
        (
            "eyJhbGciOiJSUzI1NiJ9.bm90IGpzb24.c2ln",
            "the payload is not JSON",
        ),
    ];
    for (input, message) in cases {
        let output = cli()
            .args(["decode-token", input, "--no-verify", "-o", "json"])
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(1), "{input}");
        let report = json_stdout(&output);
        assert_eq!(codes(&report, "errors"), ["malformed"], "{input}");
        let text = report["errors"][0]["message"].as_str().unwrap();
        assert!(text.contains(message), "{input}: {text}");
        assert_eq!(report["valid"], false);
    }
}

#[test]
fn human_output_of_malformed_input_ends_with_the_verdict() {
    cli()
        .args(["decode-token", "not-a-token"])
        .assert()
        .code(1)
        .stdout(predicate::str::contains("✗ INVALID 1 problem: malformed"))
        .stdout(predicate::str::contains("has 1"));
}

#[test]
fn reads_the_token_from_stdin_a_file_or_the_argument() {
    let good = token("id_token_nested");
    cli()
        .args(["decode-token"])
        .args(default_flags())
        .write_stdin(format!("\n  {good}\n"))
        .assert()
        .code(0);
    cli()
        .args(["decode-token", "-"])
        .args(default_flags())
        .write_stdin(format!("Bearer {good}"))
        .assert()
        .code(0);
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("token.txt");
    std::fs::write(&file, format!("{good}\n")).unwrap();
    cli()
        .arg("decode-token")
        .arg(format!("@{}", file.display()))
        .args(default_flags())
        .assert()
        .code(0);
}

#[test]
fn an_empty_stdin_says_so() {
    let output = cli()
        .args(["decode-token", "--no-verify", "-o", "json"])
        .write_stdin("")
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let message = json_stdout(&output)["errors"][0]["message"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(message.contains("stdin was empty"), "{message}");
}

#[test]
fn a_missing_token_file_is_trouble_with_a_hint() {
    cli()
        .args(["decode-token", "@/nonexistent/token.txt"])
        .assert()
        .code(2)
        .stderr(predicate::str::starts_with(
            "error: could not open `/nonexistent/token.txt`",
        ))
        .stderr(predicate::str::contains("hint:"));
}

#[test]
fn oversized_and_non_utf8_input_are_malformed() {
    let huge = "a".repeat(1024 * 1024 + 10);
    let output = cli()
        .args(["decode-token", "-o", "json", "--no-verify"])
        .write_stdin(huge)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    assert!(
        json_stdout(&output)["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("larger than 1 MiB")
    );
    let output = cli()
        .args(["decode-token", "-o", "json", "--no-verify"])
        .write_stdin(vec![b'e', b'y', 0xff, 0xfe])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    assert!(
        json_stdout(&output)["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("not UTF-8 text: invalid byte at position 2")
    );
}

#[test]
fn no_verify_marks_every_claim_line_unverified() {
    let output = cli()
        .args([
            "decode-token",
            &token("id_token_nested"),
            "--no-verify",
            "--keys",
            &vector_file("partner-private.jwks.json"),
        ])
        .args(["--now", &constant("now")])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "decoding alone succeeded");
    let text = String::from_utf8(output.stdout).unwrap();
    let claim_lines: Vec<&str> = text
        .lines()
        .filter(|l| l.starts_with("  ") && !l.starts_with("    "))
        .collect();
    assert!(claim_lines.len() > 20, "{text}");
    for line in claim_lines {
        assert!(
            line.trim_start().starts_with("UNVERIFIED "),
            "line without UNVERIFIED: {line}"
        );
    }
    assert!(text.contains("signature NOT checked (--no-verify)"));
    assert!(text.contains("! UNVERIFIED decoded without verifying the signature"));

    let output = cli()
        .args([
            "decode-token",
            &token("id_token_nested"),
            "--no-verify",
            "-o",
            "json",
            "--keys",
            &vector_file("partner-private.jwks.json"),
        ])
        .output()
        .unwrap();
    let report = json_stdout(&output);
    assert_eq!(report["verified"], false);
    assert_eq!(
        report["valid"], false,
        "an unverified token is never called valid"
    );
    assert!(
        report["unchecked"]
            .as_array()
            .unwrap()
            .iter()
            .any(|u| u["check"] == "signature")
    );
}

#[test]
fn verifying_without_any_provider_keys_is_trouble_that_names_the_fix() {
    cli()
        .args(["decode-token", &token("id_token_plain_rs256")])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("no provider keys were given"))
        .stderr(predicate::str::contains("hint: pass `--jwks FILE|URL`"));
}

#[test]
fn a_bad_now_is_a_usage_error() {
    cli()
        .args(["decode-token", "a.b.c", "--no-verify", "--now", "yesterday"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("neither an RFC 3339 time"));
}

#[test]
fn a_secret_typed_on_the_command_line_is_warned_about_but_not_one_from_the_environment() {
    let secret = constant("client_secret");
    let dir_token = token("id_token_dir_a256gcm");
    let flags = [
        "--jwks",
        &vector_file("provider.jwks.json"),
        "--issuer",
        &constant("issuer"),
        "--client-id",
        &constant("client_id"),
        "--now",
        &constant("now"),
    ];
    cli()
        .args(["decode-token", &dir_token, "--client-secret", &secret])
        .args(flags)
        .assert()
        .code(0)
        .stderr(predicate::str::contains("shell history"))
        .stderr(predicate::str::contains(secret.as_str()).not());
    cli()
        .args(["decode-token", &dir_token])
        .args(flags)
        .env("ITSME_CLIENT_SECRET", &secret)
        .assert()
        .code(0)
        .stderr(predicate::str::contains("shell history").not());
}

#[test]
fn a_dir_token_without_a_secret_names_the_missing_secret() {
    let output = cli()
        .args([
            "decode-token",
            &token("id_token_dir_a256gcm"),
            "-o",
            "json",
            "--no-verify",
        ])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let report = json_stdout(&output);
    assert_eq!(codes(&report, "errors"), ["no_decryption_key"]);
    assert!(
        report["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("ITSME_CLIENT_SECRET")
    );
}

#[test]
fn batch_mode_writes_one_json_document_per_token_and_fails_if_any_is_invalid() {
    let input = format!(
        "{}\n\n{}\nnot-a-token\n{}\n",
        token("id_token_nested"),
        token("expired"),
        token("id_token_nested")
    );
    let output = cli()
        .args(["decode-token", "--batch", "-o", "json"])
        .args(default_flags())
        .write_stdin(input)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let lines: Vec<Value> = String::from_utf8(output.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).expect("each line is JSON"))
        .collect();
    assert_eq!(lines.len(), 4, "the blank line is skipped");
    let summary: Vec<(u64, bool)> = lines
        .iter()
        .map(|l| (l["line"].as_u64().unwrap(), l["valid"].as_bool().unwrap()))
        .collect();
    assert_eq!(summary, [(1, true), (3, false), (4, false), (5, true)]);
    assert_eq!(codes(&lines[1], "errors"), ["expired"]);
    assert_eq!(codes(&lines[2], "errors"), ["malformed"]);

    let all_good = format!("{0}\n{0}\n", token("id_token_nested"));
    cli()
        .args(["decode-token", "--batch"])
        .args(default_flags())
        .write_stdin(all_good)
        .assert()
        .code(0)
        .stdout(predicate::str::contains("line 1: valid sub="))
        .stdout(predicate::str::contains("line 2: valid sub="));
}

#[test]
fn save_photo_writes_the_jpeg_privately_and_never_over_a_file() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("photo.jpg");
    let run = |extra: &[&str]| {
        cli()
            .args([
                "decode-token",
                &token("id_token_nested"),
                "--save-photo",
                path.to_str().unwrap(),
            ])
            .args(default_flags())
            .args(extra)
            .assert()
    };
    run(&[])
        .code(0)
        .stderr(predicate::str::contains("Saved the photo (JPEG 140×200)"));
    let original = std::fs::read(common::vectors_dir().join("photo.jpg")).unwrap();
    assert_eq!(std::fs::read(&path).unwrap(), original);
    assert_eq!(
        std::fs::metadata(&path).unwrap().permissions().mode() & 0o777,
        0o600
    );

    std::fs::write(&path, b"keep me").unwrap();
    run(&[])
        .code(2)
        .stderr(predicate::str::contains("already exists"))
        .stderr(predicate::str::contains("--force"));
    assert_eq!(std::fs::read(&path).unwrap(), b"keep me");
    run(&["--force"]).code(0);
    assert_eq!(std::fs::read(&path).unwrap(), original);

    cli()
        .args([
            "decode-token",
            &unsigned(&json!({"sub": "x"})),
            "--no-verify",
            "--save-photo",
        ])
        .arg(dir.path().join("none.jpg"))
        .assert()
        .code(2)
        .stderr(predicate::str::contains("no `physical_person_photo` claim"));
}

/// A loopback HTTP server answering each GET with the next body of `bodies` (the last one
/// repeats), counting requests. Serves until the test ends.
struct KeyServer {
    url: String,
    hits: Arc<AtomicUsize>,
}

fn serve(bodies: Vec<(String, String)>) -> KeyServer {
    let server = tiny_http::Server::http("127.0.0.1:0").expect("binds");
    let url = format!(
        "http://{}",
        server.server_addr().to_ip().expect("ip address")
    );
    let hits = Arc::new(AtomicUsize::new(0));
    let counter = hits.clone();
    let bodies = Arc::new(Mutex::new(bodies));
    let base = url.clone();
    std::thread::spawn(move || {
        for request in server.incoming_requests() {
            let n = counter.fetch_add(1, Ordering::SeqCst);
            let bodies = bodies.lock().unwrap();
            let path = request.url().to_string();
            let body = bodies
                .iter()
                .filter(|(p, _)| *p == path)
                .nth(
                    n.min(
                        bodies
                            .iter()
                            .filter(|(p, _)| *p == path)
                            .count()
                            .saturating_sub(1),
                    ),
                )
                .map(|(_, b)| b.replace("{base}", &base));
            let response = match body {
                Some(body) => tiny_http::Response::from_string(body),
                None => tiny_http::Response::from_string("not found").with_status_code(404),
            };
            let _ = request.respond(response);
        }
    });
    KeyServer { url, hits }
}

fn file(name: &str) -> String {
    std::fs::read_to_string(vector_file(name)).unwrap()
}

fn flags_with_jwks(jwks: &str) -> Vec<String> {
    let mut flags = default_flags();
    let at = flags.iter().position(|f| f == "--jwks").unwrap() + 1;
    flags[at] = jwks.to_string();
    flags
}

#[test]
fn an_unknown_kid_triggers_one_refetch_of_a_remote_key_set() {
    let server = serve(vec![
        ("/jwks".into(), file("provider.jwks.json")),
        ("/jwks".into(), file("provider-rotated.jwks.json")),
    ]);
    cli()
        .args(["decode-token", &token("key_rotated")])
        .args(flags_with_jwks(&format!("{}/jwks", server.url)))
        .assert()
        .code(0);
    assert_eq!(
        server.hits.load(Ordering::SeqCst),
        2,
        "fetched, then fetched again after the unknown kid"
    );
}

#[test]
fn a_kid_unknown_even_after_the_refetch_fails_without_looping() {
    let server = serve(vec![("/jwks".into(), file("provider.jwks.json"))]);
    let output = cli()
        .args(["decode-token", &token("kid_unknown"), "-o", "json"])
        .args(flags_with_jwks(&format!("{}/jwks", server.url)))
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let report = json_stdout(&output);
    assert_eq!(codes(&report, "errors"), ["kid_unknown"]);
    assert!(
        report["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("fetched again")
    );
    assert_eq!(server.hits.load(Ordering::SeqCst), 2);
}

#[test]
fn keys_are_found_through_the_issuers_discovery_document() {
    let discovery = json!({"issuer": "{base}/v2", "jwks_uri": "{base}/v2/jwkSet"}).to_string();
    let server = serve(vec![
        ("/v2/.well-known/openid-configuration".into(), discovery),
        ("/v2/jwkSet".into(), file("provider.jwks.json")),
    ]);
    // The token's `iss` is the real e2e issuer, so only the keys come from the local server here.
    let output = cli()
        .args([
            "decode-token",
            &token("id_token_nested"),
            "-o",
            "json",
            "--issuer",
            &format!("{}/v2", server.url),
        ])
        .args([
            "--keys",
            &vector_file("partner-private.jwks.json"),
            "--client-id",
            &constant("client_id"),
            "--now",
            &constant("now"),
        ])
        .output()
        .unwrap();
    let report = json_stdout(&output);
    assert_eq!(report["verified"], true, "{report}");
    assert_eq!(codes(&report, "errors"), ["issuer_mismatch"]);
    assert_eq!(server.hits.load(Ordering::SeqCst), 2);
}

#[test]
fn unreachable_or_plain_http_key_urls_are_trouble() {
    let closed = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap();
    cli()
        .args(["decode-token", &token("id_token_nested")])
        .args(flags_with_jwks(&format!("http://{closed}/jwks")))
        .assert()
        .code(2)
        .stderr(predicate::str::contains("could not reach"));
    cli()
        .args(["decode-token", &token("id_token_nested")])
        .args(flags_with_jwks("http://example.com/jwks"))
        .assert()
        .code(2)
        .stderr(predicate::str::contains("plain http"));
}

#[test]
fn untrusted_claims_cannot_drive_the_terminal() {
    let evil = unsigned(
        &json!({"sub": "x", "name": "\u{1b}[2J\u{1b}]0;pwned\u{7}", "family_name": "abc\u{202e}fdp.exe"}),
    );
    let output = cli()
        .args(["decode-token", &evil, "--no-verify", "--color", "always"])
        .output()
        .unwrap();
    let text = String::from_utf8(output.stdout).unwrap();
    assert!(text.contains("\\u{1b}[2J"), "{text}");
    assert!(text.contains("\\u{202e}"), "{text}");
    assert!(!text.contains("\u{1b}[2J") && !text.contains('\u{7}') && !text.contains('\u{202e}'));
}

/// Invisible and format characters (Cf, Zl, Zp, Co, Cn, the Hangul fillers) are shown as escapes,
/// so that two different `sub`, `iss` or `aud` values never look identical.
#[test]
fn invisible_characters_in_claims_are_shown_escaped() {
    let token = unsigned(&json!({
        "sub": "admin\u{200b}",
        "iss": "https://idp.example\u{feff}/v2",
        "aud": "client\u{e0041}\u{e007f}",
        "name": "Marie\u{3164}\u{2028}Dupont",
    }));
    let output = cli()
        .args(["decode-token", &token, "--no-verify"])
        .output()
        .unwrap();
    let text = String::from_utf8(output.stdout).unwrap();
    for shown in [
        "admin\\u{200b}",
        "https://idp.example\\u{feff}/v2",
        "client\\u{e0041}\\u{e007f}",
        "Marie\\u{3164}\\u{2028}Dupont",
    ] {
        assert!(text.contains(shown), "`{shown}` in:\n{text}");
    }
    for raw in [
        '\u{200b}',
        '\u{feff}',
        '\u{e0041}',
        '\u{e007f}',
        '\u{3164}',
        '\u{2028}',
    ] {
        assert!(!text.contains(raw), "{raw:?} reached the terminal:\n{text}");
    }
    // Error messages too: a file name quoted in an error.
    let output = cli()
        .args([
            "decode-token",
            "@/nonexistent/tok\u{200b}en.txt",
            "--no-verify",
        ])
        .output()
        .unwrap();
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("tok\\u{200b}en.txt"), "{stderr}");
    assert!(!stderr.contains('\u{200b}'), "{stderr}");
}

#[test]
fn colour_follows_the_flag_and_is_never_in_json() {
    let good = token("id_token_nested");
    let with = |extra: &[&str]| {
        cli()
            .args(["decode-token", &good])
            .args(default_flags())
            .args(extra)
            .output()
            .unwrap()
    };
    assert!(
        String::from_utf8(with(&["--color", "always"]).stdout)
            .unwrap()
            .contains("\u{1b}[")
    );
    assert!(
        !String::from_utf8(with(&[]).stdout)
            .unwrap()
            .contains("\u{1b}["),
        "auto on a pipe: no colour"
    );
    assert!(
        !String::from_utf8(with(&["--color", "always", "-o", "json"]).stdout)
            .unwrap()
            .contains("\u{1b}[")
    );
}

#[test]
fn a_closed_stdout_is_not_an_error() {
    use std::process::{Command, Stdio};
    let tokens = format!("{}\n", token("id_token_nested")).repeat(400);
    let mut child = Command::new(assert_cmd::cargo::cargo_bin("itsme-cli"))
        .args(["decode-token", "--batch", "-o", "json"])
        .args(default_flags())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    child
        .stdin
        .take()
        .unwrap()
        .write_all(tokens.as_bytes())
        .ok();
    let output = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(0), "stderr: {stderr}");
    assert!(!stderr.contains("error:"), "no error message: {stderr}");
}

#[test]
fn help_shows_examples_and_exit_codes() {
    cli()
        .args(["decode-token", "--help"])
        .assert()
        .code(0)
        .stdout(predicate::str::contains("Examples:"))
        .stdout(predicate::str::contains("Exit codes: 0 valid, 1 invalid"));
    cli()
        .arg("--help")
        .assert()
        .code(0)
        .stdout(predicate::str::contains("130  interrupted"));
    cli().args(["decode-token", "--bogus"]).assert().code(2);
}

#[test]
fn ctrl_c_exits_130() {
    use std::process::{Command, Stdio};
    let mut child = Command::new(assert_cmd::cargo::cargo_bin("itsme-cli"))
        .args(["decode-token", "--no-verify"])
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    // It waits for the token on stdin. Interrupt once its SIGINT handler is installed: the kernel
    // shows caught signals in /proc (SigCgt, bit 1 is SIGINT).
    let pid = child.id().to_string();
    let handler_installed = || {
        std::fs::read_to_string(format!("/proc/{pid}/status"))
            .ok()
            .and_then(|status| {
                status
                    .lines()
                    .find_map(|l| l.strip_prefix("SigCgt:").map(|m| m.trim().to_string()))
            })
            .and_then(|mask| u64::from_str_radix(&mask, 16).ok())
            .is_some_and(|mask| mask & (1 << 1) != 0)
    };
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    while !handler_installed() && std::time::Instant::now() < deadline {
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    // Keep stdin open until the end: `wait` would close it, and the EOF would race the signal.
    let stdin = child.stdin.take();
    let killed = Command::new("kill").args(["-INT", &pid]).status().unwrap();
    assert!(killed.success());
    let status = child.wait().unwrap();
    drop(stdin);
    assert_eq!(status.code(), Some(130));
}

#[test]
fn long_lines_fold_to_columns_under_their_value_but_never_in_a_pipe() {
    let run = |columns: Option<&str>| {
        let mut cmd = cli();
        cmd.args([
            "decode-token",
            &token("id_token_nested"),
            "--no-verify",
            "--keys",
            &vector_file("partner-private.jwks.json"),
            // A fixed validation time: the two runs must print the same words.
            "--now",
            &constant("now"),
        ]);
        if let Some(columns) = columns {
            cmd.env("COLUMNS", columns);
        }
        String::from_utf8(cmd.output().unwrap().stdout).unwrap()
    };
    let piped = run(None);
    let folded = run(Some("60"));
    let width = |l: &str| l.chars().count();
    assert!(piped.lines().any(|l| width(l) > 60), "{piped}");
    for line in folded.lines() {
        // Only a single word longer than the room (a kid, a URL) may stick out.
        let fits = width(line) <= 60 || !line.trim().contains(' ');
        let long_word = line.split(' ').any(|w| width(w) > 30);
        assert!(
            fits || long_word,
            "{line:?} is over 60 columns in\n{folded}"
        );
    }
    let words = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
    assert_eq!(
        words(&folded),
        words(&piped),
        "folding loses or splits nothing"
    );
    assert!(folded.lines().count() > piped.lines().count());
}

#[test]
fn a_multibyte_character_where_bearer_would_end_is_malformed_not_a_crash() {
    // Found by `cargo fuzz` (fuzz/regressions/decode_token/): the `Bearer ` check sliced the
    // input at byte 7, inside this two-byte character, and panicked.
    cli()
        .args(["decode-token", "-", "--no-verify"])
        .write_stdin("abcdef\u{5a6}xyz")
        .assert()
        .code(1)
        .stdout(predicate::str::contains("malformed"));
}

#[test]
fn duplicate_members_are_refused_by_name_not_silently_resolved() {
    let header = URL_SAFE_NO_PAD.encode(br#"{"alg":"none"}"#);
    let payload = URL_SAFE_NO_PAD.encode(br#"{"sub":"alice","aud":"x","sub":"mallory"}"#);
    let output = cli()
        .args(["decode-token", "-o", "json", "--no-verify"])
        .arg(format!("{header}.{payload}."))
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let report = json_stdout(&output);
    assert_eq!(report["errors"][0]["code"], "malformed");
    assert_eq!(
        report["errors"][0]["message"],
        "the payload has the member `sub` twice; member names must be unique"
    );
    let header = URL_SAFE_NO_PAD.encode(br#"{"alg":"none","alg":"RS256"}"#);
    let output = cli()
        .args(["decode-token", "-o", "json", "--no-verify"])
        .arg(format!("{header}.{payload}."))
        .output()
        .unwrap();
    assert!(
        json_stdout(&output)["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("part 1 (header) has the member `alg` twice")
    );
}

#[test]
fn absurd_jwe_parts_and_nesting_are_refused_in_bounded_time() {
    let header = URL_SAFE_NO_PAD.encode(br#"{"alg":"RSA-OAEP-256","enc":"A128CBC-HS256"}"#);
    let iv = URL_SAFE_NO_PAD.encode([7u8; 16]);
    let big = "A".repeat(300_000);
    let cases = [
        // Sizes the algorithms fix, wildly off: named before any key is tried.
        (
            format!("{header}.{big}.{iv}.QUJD.{iv}"),
            "part 2 (encrypted key) of the JWE is 225000 bytes",
        ),
        (
            format!("{header}.QUJD.{big}.QUJD.{big}"),
            "part 3 (initialization vector) of the JWE is 225000 bytes; A128CBC-HS256 uses 16",
        ),
        (
            format!("{header}.QUJD.{iv}.QUJD.{big}"),
            "part 5 (authentication tag) of the JWE is 225000 bytes; A128CBC-HS256 uses 16",
        ),
        (
            format!("{header}..{iv}.QUJD.{iv}"),
            "part 2 (encrypted key) of the JWE is 0 bytes",
        ),
        // JSON nested far deeper than any real claim.
        (
            format!(
                "{}.{}.",
                URL_SAFE_NO_PAD.encode(br#"{"alg":"none"}"#),
                URL_SAFE_NO_PAD.encode(format!(
                    "{{\"a\":{}{}}}",
                    "[".repeat(5000),
                    "]".repeat(5000)
                ))
            ),
            "recursion limit exceeded",
        ),
    ];
    for (token, message) in cases {
        let output = cli()
            .args(["decode-token", "-o", "json", "--no-verify", "--keys"])
            .arg(vector_file("partner-private.jwks.json"))
            .write_stdin(token)
            .timeout(std::time::Duration::from_secs(20))
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(1), "{output:?}");
        let report = json_stdout(&output);
        assert_eq!(report["valid"], false);
        let first = report["errors"][0]["message"].as_str().unwrap();
        assert!(first.contains(message), "{first:?} lacks {message:?}");
    }
}

#[test]
fn parallel_batch_keeps_the_input_order_and_every_verdict() {
    // Valid, expired, garbage and blank lines, interleaved: four workers finish them out of
    // order, the output must not be.
    let (valid, expired) = (token("id_token_nested"), token("expired"));
    let mut input = String::new();
    let mut expected = Vec::new();
    for i in 0..240 {
        match i % 4 {
            0 => input.push_str(&valid),
            1 => input.push_str(&expired),
            2 => input.push_str("not-a-token"),
            _ => {} // a blank line: skipped, but it keeps its number
        }
        input.push('\n');
        if i % 4 != 3 {
            expected.push((i + 1, i % 4 == 0));
        }
    }
    for jobs in ["1", "4"] {
        let output = cli()
            .args(["decode-token", "--batch", "-o", "json", "--jobs", jobs])
            .args(default_flags())
            .write_stdin(input.clone())
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(1), "some are invalid");
        let seen: Vec<(usize, bool)> = String::from_utf8(output.stdout)
            .unwrap()
            .lines()
            .map(|l| {
                let v: Value = serde_json::from_str(l).unwrap();
                (v["line"].as_u64().unwrap() as usize, v["valid"] == true)
            })
            .collect();
        assert_eq!(seen, expected, "--jobs {jobs}");
    }
}

#[test]
fn batch_stops_when_its_reader_goes_away_even_on_endless_input() {
    // `yes TOKEN | itsme-cli decode-token --batch | head -n 2` must end, not wait for stdin.
    let binary = assert_cmd::cargo::cargo_bin("itsme-cli");
    let flags = default_flags().join(" ");
    let script = format!(
        "yes '{}' | {} decode-token --batch {flags} | head -n 2",
        token("id_token_nested"),
        binary.display()
    );
    let output = std::process::Command::new("bash")
        .args(["-c", &script])
        .env_remove("COLUMNS")
        .output()
        .unwrap();
    let text = String::from_utf8(output.stdout).unwrap();
    assert_eq!(text.lines().count(), 2, "{text}");
    assert!(text.lines().all(|l| l.contains(": valid sub=")), "{text}");
}

#[test]
fn parallel_batch_with_unreachable_keys_is_trouble_not_a_hang() {
    let input = format!("{}\n", token("id_token_nested")).repeat(100);
    cli()
        .args(["decode-token", "--batch", "--jobs", "4", "--keys"])
        .arg(vector_file("partner-private.jwks.json"))
        .args(["--jwks", "http://127.0.0.1:9/jwks.json"])
        .write_stdin(input)
        .timeout(std::time::Duration::from_secs(30))
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "could not reach `http://127.0.0.1:9/jwks.json`",
        ))
        .stderr(predicate::str::contains("hint:"));
}

/// A provider key set fetched from a URL that carries private members gets the warning a file
/// gets (and `keys show` gives): the set is judged once it is fetched (issue 13).
#[test]
fn a_remote_key_set_with_private_members_gets_the_keys_show_warning() {
    let server = serve(vec![("/jwks".into(), file("provider-private.jwks.json"))]);
    let output = cli()
        .args(["decode-token", &token("id_token_plain_rs256")])
        .args(flags_with_jwks(&format!("{}/jwks", server.url)))
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("key `prov-sig-1` publishes its private part (d, p, q, dp, dq, qi): the key is compromised"),
        "{stderr}"
    );
    assert!(
        stderr.contains(&format!("`{}/jwks`", server.url)),
        "{stderr}"
    );
}

/// The two common mistakes get a next step (issue 17, item 10): a userinfo response decoded as an
/// ID token, and an expired token from an old log.
#[test]
fn common_mistakes_get_a_next_step() {
    let human = |claims: Value| {
        let output = cli()
            .args(["decode-token", &unsigned(&claims), "--no-verify"])
            .output()
            .unwrap();
        String::from_utf8(output.stdout).unwrap()
    };
    let userinfo = human(json!({"sub": "7c1f", "name": "Marie Dupont"}));
    assert!(
        userinfo.contains("Next step: this looks like a userinfo response")
            && userinfo.contains("--userinfo"),
        "{userinfo}"
    );
    let old = human(json!({"sub": "7c1f", "iat": 1767225600, "exp": 1767226200, "nonce": "n"}));
    assert!(
        old.contains("Next step: a token from an old log?") && old.contains("--now 1767225600"),
        "{old}"
    );
    let id_token = human(json!({"sub": "7c1f", "iat": 1767225600, "nonce": "n"}));
    assert!(
        !id_token.contains("--userinfo"),
        "an ID token missing only exp is not userinfo: {id_token}"
    );
}

/// The claims of the documentation's Belgian userinfo example (tests/fixtures, a copy of
/// `shared/itsme/examples/userinfo-be-documented.json`).
fn documented_userinfo() -> serde_json::Map<String, Value> {
    let text = include_str!("../fixtures/userinfo-be-documented.json");
    let example: Value = serde_json::from_str(text).unwrap();
    example["claims"].as_object().unwrap().clone()
}

/// Decodes plain userinfo claims as of the example's `iat`; the human text and the JSON report.
fn decode_userinfo(claims: &serde_json::Map<String, Value>) -> (String, Value) {
    let json = Value::Object(claims.clone()).to_string();
    let run = |extra: &[&str]| {
        cli()
            .args(["decode-token", "--userinfo", &json, "--now", "1681314200"])
            .args(["--color", "never"])
            .args(extra)
            .output()
            .unwrap()
    };
    let human = run(&[]);
    assert_eq!(human.status.code(), Some(0), "{human:?}");
    (
        String::from_utf8(human.stdout).unwrap(),
        json_stdout(&run(&["-o", "json"])),
    )
}

/// Every claim format the documentation shows is read and explained, none is a false alarm
/// (PROTOCOL §4, §6; issue 14, item 5): a resident's Belgian card number (a letter and nine
/// digits), dates with milliseconds, `deviceID` and a string `deviceLockLevel`, `IDDocumentType`
/// `I` and alpha-3 `BEL`, `address` as a JSON string, `address_assurance_level`, `acr` with `V2`.
#[test]
fn the_documented_claim_formats_are_explained_without_a_false_alarm() {
    let prefix = "http://itsme.services/v2/claim/";
    let mut claims = documented_userinfo();
    let (text, report) = decode_userinfo(&claims);
    assert_eq!(report["warnings"], json!([]), "{report}");
    assert!(
        text.contains("I (identity card)"),
        "IDDocumentType `I`: {text}"
    );
    // `sub` is explained as pairwise and changing on re-enrolment (issue 14, item 6).
    assert!(
        text.lines().any(|l| l.contains(" sub ")
            && l.contains("pairwise")
            && l.contains("deletes and re-creates their itsme® account")),
        "{text}"
    );
    assert!(
        text.contains("LGE LG-H870, ANDROID 9; locked; not rooted; id c22de2331dd249bba063afd3507fe3a4f; msisdn 0032485694175"),
        "{text}"
    );
    assert!(
        text.contains("validityTo: 2028-11-10T00:00:00Z (2028-11-10 00:00:00 UTC"),
        "{text}"
    );

    let device = claims[&format!("{prefix}claim_device")]
        .as_object_mut()
        .unwrap();
    let id = device.remove("deviceId").unwrap();
    device.insert("deviceID".into(), id);
    claims.insert(
        format!("{prefix}validityTo"),
        json!({format!("{prefix}BEeidSn"): "2028-11-10T00:00:00.000Z"}),
    );
    claims.insert(format!("{prefix}BEeidSn"), json!("B 1234567 89"));
    claims.insert(format!("{prefix}IDDocumentSN"), json!("B123456789"));
    let address = claims["address"].to_string();
    claims.insert("address".into(), Value::String(address));
    claims.insert("address_assurance_level".into(), json!("high"));
    claims.insert(
        "acr".into(),
        json!("http://itsme.services/V2/claim/acr_advanced"),
    );
    let (text, report) = decode_userinfo(&claims);
    assert_eq!(report["warnings"], json!([]), "{report}");
    assert_eq!(report["errors"], json!([]), "{report}");
    for expected in [
        "id c22de2331dd249bba063afd3507fe3a4f",
        "validityTo: 2028-11-10T00:00:00.000Z (2028-11-10 00:00:00 UTC",
        "B 1234567 89 (Belgian document of an EU/EEA/Swiss resident: a letter and nine digits; itsme® documents no check-digit rule",
        "postal_code: 3700",
        "(delivered as a JSON string",
        "how well the address is assured",
        "advanced: itsme code forced; the older spelling with `V2`, same level",
    ] {
        assert!(text.contains(expected), "{expected:?} missing in:\n{text}");
    }
}

/// A legacy client-secret request object (PROTOCOL §4; issue 14, item 2) is recognised and
/// explained: its HS256 signature verified with the client secret, its form and `aud` judged
/// against the provider named by the issuer.
#[test]
fn a_legacy_request_object_is_explained_and_checked_against_its_provider() {
    let secret = "a-sandbox-client-secret-of-at-least-32-bytes";
    let legacy = "https://oidc.e2e.itsme.services/clientsecret-oidc/csapi/v0.1";
    let now = 1_767_225_600_i64;
    let claims = json!({
        "client_id": "partner", "response_type": "code", "scope": "openid service:LOGIN",
        "redirect_uri": "https://app.example/cb", "state": "s", "nonce": "n",
        "iss": "partner", "aud": format!("{legacy}/connect/authorize"),
        "iat": now, "exp": now + 300, "jti": "j1",
    });
    let object =
        itsme_cli::jose::crypto::sign_hs256(secret, claims.to_string().as_bytes()).unwrap();
    let decode = |issuer: &str, extra: &[&str]| {
        cli()
            .args([
                "decode-token",
                &object,
                "--issuer",
                issuer,
                "--client-id",
                "partner",
            ])
            .args(["--now", &now.to_string(), "--color", "never"])
            .args(extra)
            .env("ITSME_CLIENT_SECRET", secret)
            .output()
            .unwrap()
    };
    let output = decode(legacy, &[]);
    let text = String::from_utf8_lossy(&output.stdout);
    assert_eq!(output.status.code(), Some(0), "{text}");
    assert!(
        text.contains("Token  request object, signed (JWS)"),
        "{text}"
    );
    assert!(text.contains("the legacy client-secret form"), "{text}");
    assert!(
        text.contains("signature verified with client secret"),
        "{text}"
    );
    assert!(
        text.contains("· audience: the provider it is for"),
        "{text}"
    );
    assert!(
        String::from_utf8_lossy(&output.stderr).contains("explaining it as a request object"),
        "detected without --request-object"
    );
    let report = json_stdout(&decode(legacy, &["-o", "json"]));
    assert_eq!(report["kind"], "request_object");
    assert_eq!(report["valid"], true, "{report}");
    // At a v2 provider the same object is the wrong form, with the wrong `aud`.
    let output = decode("https://idp.e2e.itsme.services/v2", &["-o", "json"]);
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(
        codes(&json_stdout(&output), "errors"),
        ["request_object_audience", "request_object_form"]
    );
}

/// A request object whose `aud` is the authorization endpoint gets a warning that says where that
/// advice comes from, and which the documentation wants today (issue 14, item 3).
#[test]
fn a_request_object_for_the_authorization_endpoint_is_warned_about() {
    let issuer = "https://idp.e2e.itsme.services/v2";
    let decode = |aud: &str| {
        let object = unsigned(&json!({
            "iss": "my-partner-code", "aud": aud, "client_id": "my-partner-code",
            "response_type": "code", "scope": "openid service:LOGIN",
            "redirect_uri": "https://app.example/cb", "exp": 2_000_000_000,
        }));
        let output = cli()
            .args([
                "decode-token",
                &object,
                "--no-verify",
                "--env",
                "e2e",
                "-o",
                "json",
            ])
            .output()
            .unwrap();
        json_stdout(&output)
    };
    let report = decode(&format!("{issuer}/authorization"));
    let warning = report["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|w| w["code"] == "request_object_aud_authorization_endpoint")
        .unwrap_or_else(|| panic!("no warning: {report:#}"));
    let message = warning["message"].as_str().unwrap();
    assert!(
        message.contains("SHOULD be the issuer") && message.contains("2021"),
        "{message}"
    );
    let report = decode(issuer);
    assert!(
        !report["warnings"]
            .to_string()
            .contains("request_object_aud_authorization_endpoint"),
        "{report:#}"
    );
}
