//! `decode-token --har` and `--scan`, offline, on HAR files recorded from real runs of the peer
//! suite (`tests/har/`, see its README: headless Chromium's own HAR and `login --har-out`), and on
//! copies of them altered the way real integrations go wrong.

use crate::common;

use std::path::PathBuf;

use serde_json::Value;

fn fixture(name: &str) -> String {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/har")
        .join(name)
        .to_string_lossy()
        .into_owned()
}

fn secret() -> String {
    std::fs::read_to_string(fixture("peer-b.secret"))
        .unwrap()
        .trim()
        .to_string()
}

/// `decode-token --har F…` with `args`, JSON out: (exit code, report).
fn replay(files: &[&str], args: &[&str]) -> (Option<i32>, Value, String) {
    let mut cmd = common::cli();
    cmd.arg("decode-token");
    for file in files {
        cmd.args(["--har", file]);
    }
    let output = cmd
        .args(args)
        .args(["-o", "json"])
        .env("ITSME_CLIENT_SECRET", secret())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    (output.status.code(), common::json_stdout(&output), stderr)
}

fn status(report: &Value, code: &str) -> String {
    check(report, code)["status"].as_str().unwrap().to_string()
}

fn check(report: &Value, code: &str) -> Value {
    common::har_check(report, code)
}

/// A fixture's JSON, to alter.
fn load(name: &str) -> Value {
    serde_json::from_str(&std::fs::read_to_string(fixture(name)).unwrap()).unwrap()
}

fn save(dir: &tempfile::TempDir, name: &str, har: &Value) -> String {
    let path = dir.path().join(name);
    std::fs::write(&path, har.to_string()).unwrap();
    path.to_string_lossy().into_owned()
}

/// The entries of a HAR whose URL contains `part`.
fn entries_with<'h>(har: &'h mut Value, part: &str) -> Vec<&'h mut Value> {
    har["log"]["entries"]
        .as_array_mut()
        .unwrap()
        .iter_mut()
        .filter(|e| e["request"]["url"].as_str().unwrap().contains(part))
        .collect()
}

#[test]
fn a_private_key_jwt_login_replays_clean_from_the_browser_and_back_end_hars() {
    let keys = fixture("peer-a.private.jwks.json");
    let (code, r, _) = replay(
        &[
            &fixture("peer-a-browser.har"),
            &fixture("peer-a-backend.har"),
        ],
        &["--keys", &keys],
    );
    assert_eq!(code, Some(0), "{r:#}");
    assert_eq!(r["valid"], true);
    let kinds: Vec<&str> = r["exchanges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x["kind"].as_str().unwrap())
        .collect();
    assert_eq!(
        kinds,
        [
            "discovery",
            "jwks",
            "authorization",
            "callback",
            "token",
            "userinfo"
        ],
        "in time order across both files"
    );
    for code in [
        "har_authorization_request",
        "har_code",
        "har_redirect_uri",
        "har_client_assertion",
        "har_id_token",
        "har_userinfo",
        "har_userinfo_sub",
    ] {
        assert_eq!(status(&r, code), "pass", "{code}: {r:#}");
    }
    assert!(
        check(&r, "har_client_assertion")["message"]
            .as_str()
            .unwrap()
            .contains("signature verifies"),
        "{r:#}"
    );
    // State, nonce and PKCE travelled inside the encrypted request object: said, not guessed.
    for code in ["har_state", "har_nonce", "har_pkce"] {
        assert_eq!(status(&r, code), "skip", "{code}: {r:#}");
    }
    assert_eq!(r["id_token"]["valid"], true);
    assert_eq!(r["id_token"]["jwe"]["alg"], "RSA-OAEP-256");
    assert_eq!(
        r["id_token"]["claims"]["http://itsme.services/v2/claim/BENationalNumber"],
        "90013112368"
    );
    assert_eq!(r["userinfo"]["claims"]["family_name"], "Dupont");
}

#[test]
fn a_client_secret_login_checks_state_nonce_pkce_and_sub_across_exchanges() {
    let (code, r, _) = replay(
        &[
            &fixture("peer-b-browser.har"),
            &fixture("peer-b-backend.har"),
        ],
        &[],
    );
    assert_eq!(code, Some(0), "{r:#}");
    for check in r["checks"].as_array().unwrap() {
        assert_eq!(check["status"], "pass", "{check:#}");
    }
    assert_eq!(r["id_token"]["jwe"]["alg"], "dir");
}

#[test]
fn secrets_are_redacted_as_the_trace_redacts_them_in_both_outputs() {
    let mut browser = load("peer-b-browser.har");
    let callback = entries_with(&mut browser, "/callback?")
        .into_iter()
        .next()
        .unwrap()["request"]["url"]
        .as_str()
        .unwrap()
        .to_string();
    let code = url::Url::parse(&callback)
        .unwrap()
        .query_pairs()
        .find(|(n, _)| n == "code")
        .unwrap()
        .1
        .into_owned();
    let files = [fixture("peer-b-browser.har"), fixture("peer-b-backend.har")];
    let (_, r, _) = replay(&[&files[0], &files[1]], &[]);
    let json = r.to_string();
    let human = common::cli()
        .args(["decode-token", "--har", &files[0], "--har", &files[1]])
        .env("ITSME_CLIENT_SECRET", secret())
        .output()
        .unwrap();
    let human = String::from_utf8_lossy(&human.stdout).into_owned();
    for text in [&json, &human] {
        assert!(!text.contains(&code), "the code leaked: {text}");
        assert!(!text.contains("eyJ"), "a token leaked: {text}");
        assert!(text.contains("code=(redacted): 43 chars"), "{text}");
        assert!(text.contains("(redacted): a JWE"), "{text}");
    }
    assert!(
        human.contains("Timeline:") && human.contains("✓ FLOW OK"),
        "{human}"
    );
}

#[test]
fn a_tampered_flow_fails_the_cross_exchange_checks_by_code() {
    let dir = tempfile::tempdir().unwrap();
    let mut browser = load("peer-b-browser.har");
    for entry in entries_with(&mut browser, "/callback?") {
        let url = entry["request"]["url"].as_str().unwrap().to_string();
        let mut url = url::Url::parse(&url).unwrap();
        let pairs: Vec<(String, String)> = url
            .query_pairs()
            .map(|(n, v)| {
                let v = if n == "state" {
                    "forged".into()
                } else {
                    v.into_owned()
                };
                (n.into_owned(), v)
            })
            .collect();
        url.query_pairs_mut().clear().extend_pairs(pairs);
        entry["request"]["url"] = Value::String(url.to_string());
    }
    let mut backend = load("peer-b-backend.har");
    for entry in entries_with(&mut backend, "/token") {
        let text = entry["request"]["postData"]["text"].as_str().unwrap();
        let fields: Vec<(String, String)> = url::form_urlencoded::parse(text.as_bytes())
            .map(|(n, v)| {
                let v = match n.as_ref() {
                    "redirect_uri" => "http://localhost:1/other".to_string(),
                    "code_verifier" => "x".repeat(43),
                    _ => v.into_owned(),
                };
                (n.into_owned(), v)
            })
            .collect();
        let text = url::form_urlencoded::Serializer::new(String::new())
            .extend_pairs(fields)
            .finish();
        entry["request"]["postData"]["text"] = Value::String(text);
    }
    let (code, r, _) = replay(
        &[
            &save(&dir, "browser.har", &browser),
            &save(&dir, "backend.har", &backend),
        ],
        &[],
    );
    assert_eq!(code, Some(1), "{r:#}");
    assert_eq!(r["valid"], false);
    assert_eq!(status(&r, "har_state"), "fail", "{r:#}");
    assert!(
        check(&r, "har_state")["message"]
            .as_str()
            .unwrap()
            .contains("`forged`")
    );
    assert_eq!(status(&r, "har_redirect_uri"), "fail", "{r:#}");
    assert_eq!(status(&r, "har_pkce"), "fail", "{r:#}");
    assert!(
        check(&r, "har_pkce")["message"]
            .as_str()
            .unwrap()
            .contains("RFC 7636"),
        "the sandbox's own PKCE rule speaks: {r:#}"
    );
    // What was not touched still passes.
    assert_eq!(status(&r, "har_code"), "pass");
    assert_eq!(status(&r, "har_nonce"), "pass");
}

#[test]
fn an_authorization_request_against_protocol_4_names_every_problem() {
    let dir = tempfile::tempdir().unwrap();
    let mut browser = load("peer-b-browser.har");
    for entry in entries_with(&mut browser, "/authorization?") {
        let url = entry["request"]["url"].as_str().unwrap().to_string();
        let url = url
            .replace("code_challenge_method=S256", "code_challenge_method=plain")
            .replace("scope=openid", "scope=openid+nonsense");
        entry["request"]["url"] = Value::String(url);
    }
    let (code, r, _) = replay(&[&save(&dir, "browser.har", &browser)], &[]);
    assert_eq!(code, Some(1), "{r:#}");
    let message = check(&r, "har_authorization_request")["message"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(message.contains("unknown scope `nonsense`"), "{message}");
    assert!(message.contains("`plain` is refused"), "{message}");
}

#[test]
fn the_browser_har_alone_checks_the_front_channel_and_says_what_is_missing() {
    let (code, r, _) = replay(&[&fixture("peer-b-browser.har")], &[]);
    assert_eq!(code, Some(0), "{r:#}");
    assert_eq!(status(&r, "har_state"), "pass");
    let pkce = check(&r, "har_pkce");
    assert_eq!(pkce["status"], "skip");
    assert!(
        pkce["message"].as_str().unwrap().contains("--har-out"),
        "{pkce:#}"
    );
}

#[test]
fn encrypted_tokens_without_keys_are_skipped_not_failed() {
    let (code, r, _) = replay(
        &[
            &fixture("peer-a-browser.har"),
            &fixture("peer-a-backend.har"),
        ],
        &[],
    );
    assert_eq!(code, Some(0), "{r:#}");
    let id = check(&r, "har_id_token");
    assert_eq!(id["status"], "skip", "{id:#}");
    assert!(id["message"].as_str().unwrap().contains("--keys"));
}

#[test]
fn a_denied_login_is_explained_with_the_provider_s_words_and_a_hint() {
    let (code, r, _) = replay(&[&fixture("peer-deny-browser.har")], &[]);
    assert_eq!(code, Some(1), "{r:#}");
    let error = check(&r, "har_error_answer");
    assert_eq!(error["status"], "fail");
    let message = error["message"].as_str().unwrap();
    assert!(message.contains("`access_denied`"), "{message}");
    assert!(message.contains("the provider said: End-User aborted interaction"));
    assert!(
        error["hint"]
            .as_str()
            .unwrap()
            .contains("start the login again")
    );
    assert!(
        check(&r, "har_code")["message"]
            .as_str()
            .unwrap()
            .contains("ended with an error")
    );
}

#[test]
fn a_file_that_is_not_a_har_is_trouble_with_a_hint() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("not.har");
    std::fs::write(&path, "[1,2]").unwrap();
    let output = common::cli()
        .args(["decode-token", "--har", path.to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("is not a HAR file"), "{stderr}");
    assert!(stderr.contains("hint: export it"), "{stderr}");
    // Entries that are no itsme® exchange: a warning, an empty timeline, nothing failed.
    std::fs::write(
        &path,
        r#"{"log":{"entries":[{"startedDateTime":"2026-12-01T10:00:00Z","request":{"method":"GET","url":"https://example.com/"},"response":{"status":200}}]}}"#,
    )
    .unwrap();
    let output = common::cli()
        .args([
            "decode-token",
            "--har",
            path.to_str().unwrap(),
            "-o",
            "json",
        ])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0));
    assert_eq!(
        common::json_stdout(&output)["exchanges"],
        serde_json::json!([])
    );
    assert!(String::from_utf8_lossy(&output.stderr).contains("no itsme® exchange"));
}

#[test]
fn har_conflicts_with_a_token_and_batch() {
    for extra in [&["TOKEN"][..], &["--batch"], &["--nonce", "n"]] {
        let output = common::cli()
            .args(["decode-token", "--har", "x.har"])
            .args(extra)
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(2), "{extra:?}");
    }
}

/// A log with tokens inside other text, blank lines and lines without any.
fn scan_log(dir: &tempfile::TempDir) -> String {
    let good = common::vector("id_token_nested")["token"]
        .as_str()
        .unwrap()
        .to_string();
    let expired = common::vector("expired")["token"]
        .as_str()
        .unwrap()
        .to_string();
    let log = format!(
        "2026-01-01T00:00:01Z INFO starting\n\
         2026-01-01T00:00:02Z DEBUG token response id_token={good} expires_in=600\n\
         \n\
         2026-01-01T00:00:03Z WARN nothing here: eyJnot.a.token and 1.2.3\n\
         2026-01-01T00:00:04Z DEBUG old \"{expired}\", again {good}.\n"
    );
    let path = dir.path().join("app.log");
    std::fs::write(&path, log).unwrap();
    path.to_string_lossy().into_owned()
}

#[test]
fn scan_decodes_every_token_of_a_log_with_its_line_number() {
    let dir = tempfile::tempdir().unwrap();
    let log = scan_log(&dir);
    let output = common::cli()
        .args(["decode-token", "--scan", &log, "-o", "json"])
        .args(common::default_flags())
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1), "one token is expired");
    let lines: Vec<Value> = String::from_utf8_lossy(&output.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let seen: Vec<(u64, bool)> = lines
        .iter()
        .map(|l| (l["line"].as_u64().unwrap(), l["valid"].as_bool().unwrap()))
        .collect();
    assert_eq!(seen, [(2, true), (5, false), (5, true)]);
    assert_eq!(common::codes(&lines[1], "errors"), ["expired"]);

    let output = common::cli()
        .args(["decode-token", "--scan", &log, "--jobs", "2"])
        .args(common::default_flags())
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(text.starts_with("line 2: valid"), "{text}");
    assert!(text.contains("line 5: invalid expired"), "{text}");
}

#[test]
fn scan_of_a_log_without_tokens_warns_and_jobs_needs_a_stream() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("empty.log");
    std::fs::write(&path, "nothing\nto see\n").unwrap();
    let output = common::cli()
        .args(["decode-token", "--scan", path.to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&output.stderr).contains("--scan found no JWS or JWE"));
    let output = common::cli()
        .args(["decode-token", "--jobs", "2", "TOKEN"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let output = common::cli()
        .args(["decode-token", "--scan", "/dev/null"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2), "not a regular file");
}

#[test]
fn a_callback_the_har_lacks_is_read_from_the_provider_s_redirect() {
    let dir = tempfile::tempdir().unwrap();
    let mut browser = load("peer-b-browser.har");
    browser["log"]["entries"]
        .as_array_mut()
        .unwrap()
        .retain(|e| !e["request"]["url"].as_str().unwrap().contains("/callback?"));
    let (code, r, _) = replay(
        &[
            &save(&dir, "browser.har", &browser),
            &fixture("peer-b-backend.har"),
        ],
        &[],
    );
    assert_eq!(code, Some(0), "{r:#}");
    let callback = r["exchanges"]
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["kind"] == "callback")
        .unwrap()
        .clone();
    assert_eq!(callback["from_location"], true, "{callback:#}");
    assert_eq!(status(&r, "har_state"), "pass");
    assert_eq!(status(&r, "har_code"), "pass");
}

#[test]
fn provider_keys_come_from_jwks_first_and_no_keys_means_unverified() {
    let files = [fixture("peer-a-browser.har"), fixture("peer-a-backend.har")];
    let keys = fixture("peer-a.private.jwks.json");
    // --jwks wins over the key set the HAR recorded: another provider's keys verify nothing.
    let other = common::vector_file("provider.jwks.json");
    let (code, r, _) = replay(
        &[&files[0], &files[1]],
        &["--keys", &keys, "--jwks", &other],
    );
    assert_eq!(code, Some(1), "{r:#}");
    let id = check(&r, "har_id_token");
    assert_eq!(id["status"], "fail");
    assert!(
        id["message"].as_str().unwrap().contains("kid_unknown"),
        "{id:#}"
    );
    assert!(
        r["provider_keys"]
            .as_str()
            .unwrap()
            .contains("provider.jwks.json")
    );
    // --no-verify: decoded, the signatures said to be unverified.
    let (code, r, _) = replay(&[&files[0], &files[1]], &["--keys", &keys, "--no-verify"]);
    assert_eq!(code, Some(0), "{r:#}");
    assert_eq!(status(&r, "har_id_token"), "warn");
    assert!(r["provider_keys"].is_null());
    assert_eq!(r["id_token"]["verified"], false);
}

#[test]
fn of_several_logins_in_one_har_the_last_is_checked() {
    // A good login, then a denied one, in one session's HARs: the denied one is the flow.
    let (code, r, _) = replay(
        &[
            &fixture("peer-b-browser.har"),
            &fixture("peer-b-backend.har"),
            &fixture("peer-deny-browser.har"),
        ],
        &[],
    );
    assert_eq!(code, Some(1), "{r:#}");
    assert!(
        check(&r, "har_error_answer")["message"]
            .as_str()
            .unwrap()
            .contains("access_denied")
    );
    assert_eq!(
        status(&r, "har_code"),
        "skip",
        "the earlier login's token request is not this one's"
    );
}

#[test]
fn scan_finds_the_tokens_of_a_real_recorded_exchange_on_their_lines() {
    // The back end's HAR of the recorded private_key_jwt login, read as a plain log.
    let path = fixture("peer-a-backend.har");
    let text = std::fs::read_to_string(&path).unwrap();
    let har: Value = serde_json::from_str(&text).unwrap();
    let entries = har["log"]["entries"].as_array().unwrap();
    let body = |part: &str| {
        entries
            .iter()
            .find(|e| e["request"]["url"].as_str().unwrap().contains(part))
            .unwrap()["response"]["content"]["text"]
            .as_str()
            .unwrap()
            .to_string()
    };
    let dir = tempfile::tempdir().unwrap();
    let jwks = dir.path().join("provider.jwks.json");
    std::fs::write(&jwks, body("/jwkSet")).unwrap();
    let answer: Value = serde_json::from_str(&body("/token")).unwrap();
    let id_token = answer["id_token"].as_str().unwrap();
    let id_line = text
        .lines()
        .position(|l| l.contains(id_token))
        .expect("the ID token is on a line of the file")
        + 1;
    let token_entry = entries
        .iter()
        .find(|e| e["request"]["url"].as_str().unwrap().contains("/token"))
        .unwrap();
    let output = common::cli()
        .args(["decode-token", "--scan", &path, "-o", "json"])
        .args(["--keys", &fixture("peer-a.private.jwks.json")])
        .args(["--jwks", jwks.to_str().unwrap()])
        .args(["--now", token_entry["startedDateTime"].as_str().unwrap()])
        .output()
        .unwrap();
    let lines: Vec<Value> = String::from_utf8_lossy(&output.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    // The client assertion (in the form text), the ID token, the userinfo answer: three tokens.
    assert_eq!(lines.len(), 3, "{lines:#?}");
    let id = lines
        .iter()
        .find(|l| l["line"] == id_line)
        .unwrap_or_else(|| panic!("no verdict for line {id_line}: {lines:#?}"));
    assert_eq!(id["valid"], true, "{id:#}");
    assert_eq!(id["jwe"]["alg"], "RSA-OAEP-256");
    assert_eq!(
        output.status.code(),
        Some(1),
        "the other two are no ID tokens"
    );
}
