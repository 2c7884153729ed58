//! `itsme-cli login` end to end, without a person: the tool opens "the browser" through its normal
//! path (`open` → `xdg-open` → `$BROWSER`), and `tests/browser/act.py` plays the user on the
//! sandbox's authorization page. Providers: the in-process sandbox (`--sandbox`) or an
//! `itsme-cli sandbox` process configured for the case.

use crate::common;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use predicates::prelude::*;
use serde_json::Value;

fn browser() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/browser/browser.sh")
}

/// `itsme-cli login …` with the test browser; `act` sets what the "user" does.
fn login(args: &[&str], act: &[(&str, &str)], log: &Path) -> assert_cmd::Command {
    let mut cmd = common::cli();
    cmd.arg("login").args(args).args(["-o", "json"]);
    if !args.contains(&"--timeout") {
        cmd.args(["--timeout", "30"]);
    }
    cmd.env("BROWSER", browser())
        .env("ITSME_TEST_LOG", log)
        .env_remove("DISPLAY")
        .env_remove("WAYLAND_DISPLAY")
        .env_remove("XDG_CURRENT_DESKTOP");
    for (k, v) in act {
        cmd.env(k, v);
    }
    cmd
}

use common::sandbox_process as sandbox;

fn free_loopback_uri() -> String {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    format!("http://127.0.0.1:{port}/callback")
}

/// A sandbox process (with `sandbox_args`) that has the test vectors' partner as a
/// private_key_jwt client `partner`, and `login` against it with the partner's keys (and
/// `login_args`): the login's output, and the sandbox (alive as long as it is kept).
fn partner_login(
    sandbox_args: &[&str],
    login_args: &[&str],
) -> (std::process::Output, common::SandboxProcess) {
    let partner = common::vector_file("partner-public.jwks.json");
    let redirect = free_loopback_uri();
    let mut args = vec![
        "--client-jwks",
        &partner,
        "--client-id",
        "partner",
        "--redirect-uri",
        &redirect,
    ];
    args.extend_from_slice(sandbox_args);
    let provider = sandbox(&args);
    let (_dir, log) = log_file();
    let output = login(
        &[
            "--issuer",
            &provider.issuer,
            "--client-id",
            "partner",
            "--redirect-uri",
            &redirect,
            "--keys",
            &common::vector_file("partner-private.jwks.json"),
        ],
        &[],
        &log,
    )
    .args(login_args)
    .output()
    .unwrap();
    (output, provider)
}

fn report(output: &std::process::Output) -> Value {
    serde_json::from_slice(&output.stdout).unwrap_or_else(|e| {
        panic!(
            "stdout is not JSON ({e}).\nstdout: {}\nstderr: {}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        )
    })
}

fn log_file() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("browser.log");
    (dir, log)
}

#[test]
fn sandbox_login_with_private_key_jwt_request_object_and_a_custom_claim() {
    let (_dir, log) = log_file();
    let output = login(
        &[
            "--sandbox",
            "--scope",
            "profile",
            "--claim",
            "BENationalNumber",
        ],
        &[],
        &log,
    )
    .output()
    .unwrap();
    let r = report(&output);
    assert_eq!(
        output.status.code(),
        Some(0),
        "{r:#}\nbrowser: {}",
        std::fs::read_to_string(&log).unwrap_or_default()
    );
    assert_eq!(r["valid"], true);
    let id = &r["id_token"];
    assert_eq!(id["valid"], true);
    assert_eq!(id["jwe"]["alg"], "RSA-OAEP-256");
    assert_eq!(id["claims"]["nonce"], r["request"]["nonce"]);
    assert!(id["claims"]["http://itsme.services/v2/claim/BENationalNumber"].is_string());
    assert_eq!(r["userinfo"]["valid"], true);
    assert_eq!(r["userinfo"]["claims"]["sub"], id["claims"]["sub"]);
    assert_eq!(r["request"]["code_challenge_method"], "S256");
    assert!(r["tokens"].is_null(), "raw tokens only with --show-tokens");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(!stdout.contains("code_verifier"), "no secret in the output");
    // The split of the time after the redirect adds up (three HTTP exchanges took some time).
    let timing = |name: &str| r["timing"][name].as_f64().expect(name);
    assert!(
        timing("provider_ms") > 0.0 && timing("own_ms") >= 0.0,
        "{}",
        r["timing"]
    );
    let sum = timing("provider_ms") + timing("own_ms");
    assert!(
        (sum - timing("after_redirect_ms")).abs() < 0.01,
        "{}",
        r["timing"]
    );
}

#[test]
fn client_secret_login_gets_a_dir_encrypted_id_token() {
    let secret = "a-sandbox-client-secret-of-at-least-32-bytes";
    let redirect = free_loopback_uri();
    let provider = sandbox(&[
        "--client-secret",
        secret,
        "--client-id",
        "legacy",
        "--redirect-uri",
        &redirect,
    ]);
    let (_dir, log) = log_file();
    let output = login(
        &[
            "--issuer",
            &provider.issuer,
            "--client-id",
            "legacy",
            "--redirect-uri",
            &redirect,
            "--scope",
            "profile",
        ],
        &[],
        &log,
    )
    .env("ITSME_CLIENT_SECRET", secret)
    .output()
    .unwrap();
    let r = report(&output);
    assert_eq!(output.status.code(), Some(0), "{r:#}");
    assert_eq!(r["id_token"]["jwe"]["alg"], "dir");
    assert_eq!(r["id_token"]["jwe"]["enc"], "A256GCM");
    assert_eq!(
        r["userinfo"]["claims"]["family_name"], "Dupont",
        "plain JSON userinfo for secret clients"
    );
}

#[test]
fn denial_at_the_consent_page_is_a_refusal_named_access_denied() {
    let (_dir, log) = log_file();
    let output = login(&["--sandbox"], &[("ITSME_TEST_DECISION", "deny")], &log)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let r = report(&output);
    assert_eq!(r["refused"]["error"], "access_denied");
    assert_eq!(r["refused"]["stage"], "authorization");
    assert!(
        r["refused"]["meaning"]
            .as_str()
            .unwrap()
            .contains("refused")
    );
    // The browser logs the page it got after the CLI has exited: wait for it (bounded).
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    let saw_page = || {
        std::fs::read_to_string(&log)
            .unwrap_or_default()
            .contains("final page")
    };
    while !saw_page() && std::time::Instant::now() < deadline {
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    assert!(saw_page(), "the browser got an answer page");
}

#[test]
fn a_forged_state_is_refused_as_csrf() {
    let (_dir, log) = log_file();
    let output = login(
        &["--sandbox"],
        &[("ITSME_TEST_STATE", "forged-state")],
        &log,
    )
    .output()
    .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let r = report(&output);
    assert_eq!(r["refused"]["error"], "state_mismatch");
    assert!(r["id_token"].is_null(), "no code was exchanged");
}

/// A redirect that carries this login's `state` but is no authorization response (a parameter
/// twice, both `code` and `error`) is a refused login (exit 1, `malformed_callback`), like a
/// forged `state`: the listener's verdict.
#[test]
fn a_malformed_redirect_is_a_refused_login_on_the_listener() {
    for extra in ["code=another", "error=access_denied", "state=again"] {
        let (_dir, log) = log_file();
        let output = login(&["--sandbox"], &[("ITSME_TEST_APPEND", extra)], &log)
            .output()
            .unwrap();
        let r = report(&output);
        assert_eq!(output.status.code(), Some(1), "{extra}: {r:#}");
        assert_eq!(r["refused"]["stage"], "callback", "{extra}");
        assert_eq!(r["refused"]["error"], "malformed_callback", "{extra}");
        assert!(r["id_token"].is_null(), "no code was exchanged");
    }
}

/// Paste mode: the address the test browser ended on, changed by `mangle`, pasted; the output.
fn paste_login(mangle: impl Fn(&str) -> String) -> std::process::Output {
    let partner = common::vector_file("partner-public.jwks.json");
    let redirect = "https://app.example/callback";
    let provider = sandbox(&[
        "--client-jwks",
        &partner,
        "--client-id",
        "partner",
        "--redirect-uri",
        redirect,
    ]);
    let (dir, log) = log_file();
    let final_url = dir.path().join("final-url");
    let mut child = Command::new(assert_cmd::cargo::cargo_bin("itsme-cli"))
        .args(["login", "-o", "json", "--timeout", "30"])
        .args(["--issuer", &provider.issuer, "--client-id", "partner"])
        .args(["--redirect-uri", redirect])
        .args(["--keys", &common::vector_file("partner-private.jwks.json")])
        .env("BROWSER", browser())
        .env("ITSME_TEST_LOG", &log)
        .env("ITSME_TEST_FINAL_URL", &final_url)
        .env_remove("DISPLAY")
        .env_remove("WAYLAND_DISPLAY")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    while !final_url.exists() && std::time::Instant::now() < deadline {
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    let pasted =
        std::fs::read_to_string(&final_url).expect("the browser reached the application's address");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(format!("{}\n", mangle(&pasted)).as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

/// Paste mode reaches the listener's verdict for the same answers: a malformed one and one
/// without this login's `state` are refused logins (exit 1), with the listener's codes.
#[test]
fn paste_mode_refuses_malformed_and_forged_answers_like_the_listener() {
    for (mangle, code) in [
        (
            Box::new(|url: &str| format!("{url}&code=another")) as Box<dyn Fn(&str) -> String>,
            "malformed_callback",
        ),
        (
            Box::new(|url: &str| format!("{url}&error=access_denied")),
            "malformed_callback",
        ),
        (
            Box::new(|url: &str| url.replace("state=", "state=forged")),
            "state_mismatch",
        ),
    ] {
        let output = paste_login(mangle);
        let r = report(&output);
        assert_eq!(output.status.code(), Some(1), "{code}: {r:#}");
        assert_eq!(r["refused"]["stage"], "callback", "{code}");
        assert_eq!(r["refused"]["error"], code);
        assert!(r["id_token"].is_null(), "no code was exchanged");
    }
}

#[test]
fn nobody_logging_in_times_out_with_a_message() {
    let (dir, log) = log_file();
    let idle = dir.path().join("idle-browser.sh");
    std::fs::write(&idle, "#!/bin/sh\nexit 0\n").unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&idle, std::fs::Permissions::from_mode(0o755)).unwrap();
    login(&["--sandbox", "--timeout", "2"], &[], &log)
        .env("BROWSER", &idle)
        .assert()
        .code(2)
        .stderr(predicates::str::contains("no login arrived within 2 s"))
        .stderr(predicates::str::contains("--timeout"));
}

#[test]
fn an_expired_or_refused_code_names_invalid_grant_and_the_fix() {
    let (output, _provider) = partner_login(&["--fault", "token:invalid_grant"], &[]);
    assert_eq!(output.status.code(), Some(1));
    let r = report(&output);
    assert_eq!(r["refused"]["stage"], "token");
    assert_eq!(r["refused"]["error"], "invalid_grant");
    assert!(r["refused"]["hint"].as_str().unwrap().contains("at once"));
}

#[test]
fn har_out_records_a_refused_login_for_decode_token_har() {
    let dir = tempfile::tempdir().unwrap();
    let har = dir.path().join("login.har");
    let har_arg = har.to_str().unwrap().to_string();
    let (output, _provider) = partner_login(
        &["--fault", "token:invalid_grant"],
        &["--har-out", &har_arg],
    );
    assert_eq!(output.status.code(), Some(1), "a refused login");
    assert!(String::from_utf8_lossy(&output.stderr).contains("Wrote 3 HTTP exchanges"));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&har).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600, "it holds the tokens");
    }
    let recorded: Value = serde_json::from_str(&std::fs::read_to_string(&har).unwrap()).unwrap();
    assert_eq!(recorded["log"]["version"], "1.2");
    assert_eq!(recorded["log"]["creator"]["name"], "itsme-cli");
    let output = common::cli()
        .args(["decode-token", "--har", &har_arg, "-o", "json"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let r = common::json_stdout(&output);
    let error = common::har_check(&r, "har_error_answer");
    assert!(
        error["message"]
            .as_str()
            .unwrap()
            .contains("`invalid_grant`"),
        "{error:#}"
    );
    assert!(error["hint"].as_str().is_some(), "explained: {error:#}");
    // The back end's HAR alone: the front channel is the browser's to record, and said so.
    let state = common::har_check(&r, "har_state");
    assert!(
        state["message"].as_str().unwrap().contains("browser"),
        "{state:#}"
    );
}

#[test]
fn paste_mode_reads_the_address_the_browser_ended_on() {
    let partner = common::vector_file("partner-public.jwks.json");
    let redirect = "https://app.example/callback";
    let provider = sandbox(&[
        "--client-jwks",
        &partner,
        "--client-id",
        "partner",
        "--redirect-uri",
        redirect,
    ]);
    let (dir, log) = log_file();
    let final_url = dir.path().join("final-url");
    let mut child = Command::new(assert_cmd::cargo::cargo_bin("itsme-cli"))
        .args([
            "login",
            "-o",
            "json",
            "--timeout",
            "30",
            "--issuer",
            &provider.issuer,
            "--client-id",
            "partner",
            "--redirect-uri",
            redirect,
        ])
        .args(["--keys", &common::vector_file("partner-private.jwks.json")])
        .env("BROWSER", browser())
        .env("ITSME_TEST_LOG", &log)
        .env("ITSME_TEST_FINAL_URL", &final_url)
        .env_remove("DISPLAY")
        .env_remove("WAYLAND_DISPLAY")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    while !final_url.exists() && std::time::Instant::now() < deadline {
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    let pasted =
        std::fs::read_to_string(&final_url).expect("the browser reached the application's address");
    assert!(pasted.starts_with(redirect));
    child
        .stdin
        .take()
        .unwrap()
        .write_all(format!("{pasted}\n").as_bytes())
        .unwrap();
    let output = child.wait_with_output().unwrap();
    let r = report(&output);
    assert_eq!(output.status.code(), Some(0), "{r:#}");
    assert!(String::from_utf8_lossy(&output.stderr).contains("paste the address"));
}

#[test]
fn confirmation_templates_reach_the_user_and_bad_ones_never_leave() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(
        common::vector_file("partner-public.jwks.json"),
        dir.path().join("public.jwks.json"),
    )
    .unwrap();
    let redirect = free_loopback_uri();
    let config = dir.path().join("sandbox.toml");
    std::fs::write(&config, format!("[[client]]\nclient_id = \"partner\"\nredirect_uris = [\"{redirect}\"]\njwks = \"public.jwks.json\"\nservices = [{{ code = \"PAY\", type = \"confirmation\" }}]\n")).unwrap();
    let provider = sandbox(&["--config", config.to_str().unwrap()]);
    let keys = common::vector_file("partner-private.jwks.json");
    let base = [
        "--issuer",
        provider.issuer.as_str(),
        "--client-id",
        "partner",
        "--redirect-uri",
        redirect.as_str(),
        "--service-code",
        "PAY",
        "--keys",
        keys.as_str(),
    ];
    for (template, shown) in [
        (
            vec!["--confirm-payment", "1250", "EUR", "BE68 5390 0754 7034"],
            "1250 EUR",
        ),
        (
            vec!["--confirm-text", "Sign <b>contract 42</b>"],
            "contract 42",
        ),
    ] {
        let log = dir.path().join(format!("{}.log", template[0]));
        let mut args: Vec<&str> = base.to_vec();
        args.extend(&template);
        let output = login(&args, &[], &log).output().unwrap();
        let r = report(&output);
        assert_eq!(output.status.code(), Some(0), "{r:#}");
        assert!(
            r["request"]["claims"]
                .as_str()
                .unwrap()
                .contains("claim_approval_template_name")
        );
        let seen = std::fs::read_to_string(&log).unwrap();
        assert!(
            seen.contains(shown),
            "the consent page showed the template: {seen}"
        );
    }
    for bad in [
        vec!["--confirm-payment", "12.50", "EUR", "BE68539007547034"],
        vec!["--confirm-payment", "1", "EUR", "BE68539007547035"],
        vec!["--confirm-text", "<script>x</script>"],
    ] {
        let log = dir.path().join("refused.log");
        let mut args: Vec<&str> = base.to_vec();
        args.extend(&bad);
        login(&args, &[], &log)
            .assert()
            .code(2)
            .stderr(predicates::str::contains("refused before anything is sent"));
        assert!(!log.exists(), "no browser was opened for {bad:?}");
    }
}

#[test]
fn save_writes_the_tokens_privately() {
    let (dir, log) = log_file();
    let saved = dir.path().join("login.json");
    let output = login(
        &[
            "--sandbox",
            "--save",
            saved.to_str().unwrap(),
            "--show-tokens",
        ],
        &[],
        &log,
    )
    .output()
    .unwrap();
    assert_eq!(output.status.code(), Some(0));
    use std::os::unix::fs::PermissionsExt;
    assert_eq!(
        std::fs::metadata(&saved).unwrap().permissions().mode() & 0o777,
        0o600
    );
    let file: Value = serde_json::from_str(&std::fs::read_to_string(&saved).unwrap()).unwrap();
    assert_eq!(
        file["tokens"]["id_token"]
            .as_str()
            .unwrap()
            .split('.')
            .count(),
        5
    );
    assert_eq!(
        report(&output)["tokens"]["id_token"],
        file["tokens"]["id_token"],
        "--show-tokens shows them too"
    );
}

#[test]
fn a_plain_http_redirect_uri_off_this_machine_is_refused_before_anything_is_sent() {
    common::cli()
        .args([
            "login",
            "--issuer",
            "http://127.0.0.1:9/v2",
            "--client-id",
            "x",
            "--redirect-uri",
            "http://app.example/callback",
        ])
        .env("ITSME_CLIENT_SECRET", "a-secret")
        .assert()
        .code(2)
        .stderr(predicates::str::contains("is not https"))
        .stderr(predicates::str::contains("could not reach").not());
}

#[test]
fn a_saved_login_decodes_later_with_its_own_expectations() {
    let keys = common::vector_file("partner-private.jwks.json");
    let dir = tempfile::tempdir().unwrap();
    let saved = dir.path().join("login.json");
    let (output, _provider) = partner_login(
        &[],
        &["--scope", "profile", "--save", saved.to_str().unwrap()],
    );
    assert_eq!(output.status.code(), Some(0));
    // Only the file and the keys: issuer, client_id, nonce and at_hash come from the saved login.
    let at = format!("@{}", saved.display());
    let output = common::cli()
        .args(["decode-token", &at, "--keys", &keys, "-o", "json"])
        .output()
        .unwrap();
    let report = common::json_stdout(&output);
    assert_eq!(output.status.code(), Some(0), "{report:#}");
    assert_eq!(
        report["unchecked"],
        serde_json::json!([]),
        "every check ran"
    );
    let output = common::cli()
        .args([
            "decode-token",
            &at,
            "--keys",
            &keys,
            "--userinfo",
            "-o",
            "json",
        ])
        .output()
        .unwrap();
    let report = common::json_stdout(&output);
    assert_eq!(output.status.code(), Some(0), "{report:#}");
    assert_eq!(report["kind"], "userinfo");
    assert_eq!(report["claims"]["family_name"], "Dupont");
    // The same file with the wrong client is refused.
    common::cli()
        .args([
            "decode-token",
            &at,
            "--keys",
            &keys,
            "--client-id",
            "someone-else",
        ])
        .assert()
        .code(1);
}

#[test]
fn an_empty_secret_is_no_secret_and_stops_before_the_browser() {
    let (_dir, log) = log_file();
    login(
        &[
            "--issuer",
            "http://127.0.0.1:9/v2",
            "--client-id",
            "x",
            "--redirect-uri",
            "http://127.0.0.1:9/cb",
        ],
        &[],
        &log,
    )
    .env("ITSME_CLIENT_SECRET", "")
    .assert()
    .code(2)
    .stderr(predicate::str::contains("no client credentials given"));
    assert!(!log.exists(), "no browser was opened");
}

#[test]
fn a_wrong_secret_gets_a_hint_about_the_secret_not_keys() {
    let redirect = free_loopback_uri();
    let provider = sandbox(&[
        "--client-secret",
        "the-right-secret-of-enough-length!!",
        "--client-id",
        "legacy",
        "--redirect-uri",
        &redirect,
    ]);
    let (_dir, log) = log_file();
    let output = login(
        &[
            "--issuer",
            &provider.issuer,
            "--client-id",
            "legacy",
            "--redirect-uri",
            &redirect,
        ],
        &[],
        &log,
    )
    .env("ITSME_CLIENT_SECRET", "a-wrong-secret")
    .output()
    .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let r = report(&output);
    assert_eq!(r["refused"]["error"], "invalid_client");
    let hint = r["refused"]["hint"].as_str().unwrap();
    assert!(
        hint.contains("client secret") && !hint.contains("kid"),
        "{hint}"
    );
}

/// Runs a sandbox login with `extra` flags, saving the tokens; returns (stderr, access token, ID token).
fn traced_login(extra: &[&str]) -> (String, String, String) {
    let (dir, log) = log_file();
    let saved = dir.path().join("login.json");
    let mut args = vec!["--sandbox", "--save", saved.to_str().unwrap()];
    args.extend_from_slice(extra);
    let output = login(&args, &[], &log).output().unwrap();
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    let file: Value = serde_json::from_str(&std::fs::read_to_string(&saved).unwrap()).unwrap();
    let token = |name: &str| file["tokens"][name].as_str().unwrap().to_string();
    (
        String::from_utf8(output.stderr).unwrap(),
        token("access_token"),
        token("id_token"),
    )
}

#[test]
fn verbose_traces_every_exchange_with_the_secrets_redacted() {
    let (trace, access_token, id_token) = traced_login(&["-v"]);
    for expected in [
        "trace: → GET http://127.0.0.1:",
        "/.well-known/openid-configuration",
        "trace: ← 200 OK in ",
        "trace:   content-type: application/json",
        "\"token_endpoint\": \"http://127.0.0.1:",
        "trace: listener ← GET /callback?code=(redacted): ",
        "trace: → POST http://127.0.0.1:",
        "trace:   grant_type=authorization_code",
        "trace:   code=(redacted): ",
        "trace:   code_verifier=(redacted): 43 chars",
        "trace:   client_assertion=(redacted): a JWS, ",
        "\"id_token\": \"(redacted): a JWE, ",
        "trace:   authorization: Bearer (redacted)",
        "trace:   (redacted): a JWE, ",
    ] {
        assert!(trace.contains(expected), "missing {expected:?} in\n{trace}");
    }
    assert!(!trace.contains(&access_token), "the access token leaked");
    assert!(!trace.contains(&id_token), "the ID token leaked");
    assert!(
        !trace.contains("decoded"),
        "JWTs are decoded only at -vv:\n{trace}"
    );
}

#[test]
fn very_verbose_decodes_the_jwts_and_show_tokens_reveals_them() {
    let (trace, access_token, id_token) = traced_login(&["-vv"]);
    assert!(trace.contains("client_assertion decoded (JWS"), "{trace}");
    assert!(
        trace.contains("\"jti\": "),
        "the assertion's payload: {trace}"
    );
    assert!(trace.contains("id_token decoded (JWE"), "{trace}");
    assert!(!trace.contains(&access_token) && !trace.contains(&id_token));

    let (trace, access_token, id_token) = traced_login(&["-v", "--show-tokens"]);
    assert!(trace.contains(&format!("authorization: Bearer {access_token}")));
    assert!(trace.contains(&id_token));
}

#[test]
fn an_existing_save_file_is_refused_before_the_browser_opens() {
    let (dir, log) = log_file();
    let existing = dir.path().join("login.json");
    std::fs::write(&existing, "keep me").unwrap();
    for flag in ["--save", "--save-picture"] {
        login(&["--sandbox", flag, existing.to_str().unwrap()], &[], &log)
            .assert()
            .code(2)
            .stderr(predicates::str::contains("already exists"))
            .stderr(predicates::str::contains("--force"));
    }
    let missing_folder = dir.path().join("no/such/folder/login.json");
    login(
        &["--sandbox", "--save", missing_folder.to_str().unwrap()],
        &[],
        &log,
    )
    .assert()
    .code(2)
    .stderr(predicates::str::contains("does not exist"));
    assert!(!log.exists(), "no browser was opened");
    assert_eq!(std::fs::read_to_string(&existing).unwrap(), "keep me");
}

#[test]
fn save_picture_fetches_the_photo_from_the_provider_with_the_access_token() {
    let (dir, log) = log_file();
    let photo = dir.path().join("photo.jpg");
    let output = login(
        &[
            "--sandbox",
            "--scope",
            "profile",
            "--save-picture",
            photo.to_str().unwrap(),
        ],
        &[],
        &log,
    )
    .output()
    .unwrap();
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    let bytes = std::fs::read(&photo).unwrap();
    assert_eq!(&bytes[..3], b"\xff\xd8\xff", "a JPEG");
    use std::os::unix::fs::PermissionsExt;
    assert_eq!(
        std::fs::metadata(&photo).unwrap().permissions().mode() & 0o777,
        0o600
    );
}

#[test]
fn a_plain_json_userinfo_for_a_private_key_jwt_client_is_warned_about() {
    let (output, _provider) = partner_login(&["--fault", "plain-userinfo"], &[]);
    let r = report(&output);
    assert_eq!(
        output.status.code(),
        Some(0),
        "a warning, not a failure: {r}"
    );
    let warnings = r["userinfo"]["warnings"].as_array().unwrap();
    assert!(
        warnings
            .iter()
            .any(|w| w["code"] == "not_signed"
                && w["message"].as_str().unwrap().contains("plain JSON")),
        "{warnings:?}"
    );
    assert!(r["id_token"]["warnings"].as_array().unwrap().is_empty());
}

#[test]
fn the_access_token_is_not_sent_to_a_picture_url_off_the_provider() {
    let dir = tempfile::tempdir().unwrap();
    let photo = dir.path().join("photo.jpg");
    let (output, _provider) = partner_login(
        &["--fault", "picture-elsewhere"],
        &[
            "--scope",
            "profile",
            "--save-picture",
            photo.to_str().unwrap(),
        ],
    );
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("is not on the provider's hosts (127.0.0.1)"),
        "{stderr}"
    );
    assert!(!photo.exists(), "nothing was fetched");
}

/// The provider's host is not enough: another port of it is another origin (RFC 6454), and a URL
/// with user info would send a Basic header; neither gets the access token.
#[test]
fn the_access_token_goes_only_to_the_provider_origin_without_user_info() {
    for (fault, says) in [
        (
            "picture-elsewhere:port",
            "is on the provider's host but not at its origin",
        ),
        ("picture-elsewhere:userinfo", "carries user info"),
    ] {
        let dir = tempfile::tempdir().unwrap();
        let photo = dir.path().join("photo.jpg");
        let (output, _provider) = partner_login(
            &["--fault", fault],
            &[
                "--scope",
                "profile",
                "--save-picture",
                photo.to_str().unwrap(),
            ],
        );
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{fault}: {stderr}");
        assert!(stderr.contains(says), "{fault}: {stderr}");
        assert!(
            !stderr.contains("secret@"),
            "the URL's password is not repeated: {stderr}"
        );
        assert!(!photo.exists(), "nothing was fetched");
    }
}

/// A token response that is not `Bearer` (OpenID Connect Core §3.1.3.3) is a refused login, by
/// name; `bearer` in any case is fine.
#[test]
fn a_token_type_other_than_bearer_is_refused_by_name() {
    let (output, _provider) = partner_login(&["--fault", "token-type:mac"], &[]);
    let r = report(&output);
    assert_eq!(output.status.code(), Some(1), "{r:#}");
    assert_eq!(r["refused"]["stage"], "token");
    assert_eq!(r["refused"]["error"], "token_type_not_bearer");
    assert!(
        r["refused"]["hint"].as_str().unwrap().contains("`mac`"),
        "{r:#}"
    );
    assert!(r["id_token"].is_null(), "the tokens were not used");
    let (output, _provider) = partner_login(&["--fault", "token-type:bEaReR"], &[]);
    assert_eq!(output.status.code(), Some(0), "{:#}", report(&output));
}

/// `login --sandbox` brings its own provider and client: the shell's `ITSME_*` settings do not
/// apply (they used to make clap refuse `--sandbox` for flags nobody typed).
#[test]
fn sandbox_login_ignores_the_shells_settings() {
    let (_dir, log) = log_file();
    let output = login(
        &["--sandbox"],
        &[
            ("ITSME_CLIENT_ID", "someone-else"),
            ("ITSME_ISSUER", "https://idp.e2e.itsme.services/v2"),
            ("ITSME_ENV", "prd"),
        ],
        &log,
    )
    .output()
    .unwrap();
    let r = report(&output);
    assert_eq!(output.status.code(), Some(0), "{r:#}");
    assert_eq!(r["client_id"], "sandbox-client");
}
