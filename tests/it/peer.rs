//! End to end against a provider nobody here wrote: panva's certified `oidc-provider`
//! (`tests/peer/provider.mjs`, configured to look like itsme®), with a REAL headless Chromium
//! (`/usr/bin/chromium` driven by playwright-core, `tests/peer/browser.mjs`) playing the user. The
//! tool opens the browser through its normal path (`open` → `xdg-open` → `$BROWSER`).
//!
//! Needs `node`, Debian's `chromium` and `npm ci --prefix tests/peer`; without them every test
//! fails and says how to install them (never a silent skip).

use crate::common;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

const CHROMIUM: &str = "/usr/bin/chromium";
const NATIONAL_NUMBER: &str = "http://itsme.services/v2/claim/BENationalNumber";

pub(crate) fn peer_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/peer")
}

/// Fails (never skips) when what the suite needs is missing, saying how to install it.
pub(crate) fn prerequisites() {
    let node = Command::new("node")
        .arg("--version")
        .output()
        .map(|o| o.status.success())
        .unwrap_or(false);
    let mut missing = Vec::new();
    if !node {
        missing.push("`node` (Node.js ≥ 20): apt-get install nodejs npm");
    }
    if !Path::new(CHROMIUM).exists() {
        missing.push("Chromium at /usr/bin/chromium: apt-get install chromium");
    }
    if !peer_dir().join("node_modules").is_dir() {
        missing.push("the peer provider's node packages: npm ci --prefix tests/peer");
    }
    assert!(
        missing.is_empty(),
        "the peer end-to-end suite (tests/it/peer.rs) needs:\n  - {}",
        missing.join("\n  - ")
    );
}

/// `tests/peer/provider.mjs`, killed on drop.
pub(crate) struct Peer {
    child: Child,
    pub(crate) dir: tempfile::TempDir,
    pub(crate) issuer: String,
    redirect_uri: String,
    client_a: String,
    pub(crate) keys_file: String,
    client_b: String,
    secret: String,
}

impl Peer {
    fn start() -> Peer {
        Self::start_with(&[])
    }

    /// The provider with `extra` arguments (`ciba <ping port>`: its CIBA mode, tests/it/peer_ciba.rs).
    pub(crate) fn start_with(extra: &[&str]) -> Peer {
        prerequisites();
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let dir = tempfile::tempdir().unwrap();
        let stdout = dir.path().join("provider.stdout");
        let child = Command::new("node")
            .arg(peer_dir().join("provider.mjs"))
            .arg(port.to_string())
            .arg(dir.path().join("keys"))
            .args(extra)
            .stdin(Stdio::null())
            .stdout(fs::File::create(&stdout).unwrap())
            .stderr(fs::File::create(dir.path().join("provider.stderr")).unwrap())
            .spawn()
            .expect("node starts");
        let mut peer = Peer {
            child,
            dir,
            issuer: String::new(),
            redirect_uri: format!("http://127.0.0.1:{port}/callback"),
            client_a: String::new(),
            keys_file: String::new(),
            client_b: String::new(),
            secret: String::new(),
        };
        let started = Instant::now();
        let line = loop {
            let text = fs::read_to_string(&stdout).unwrap_or_default();
            if let Some((line, _)) = text.split_once('\n') {
                break line.to_string();
            }
            if let Some(status) = peer.child.try_wait().unwrap() {
                panic!("the peer provider exited ({status}):\n{}", peer.logs());
            }
            assert!(
                started.elapsed() < Duration::from_secs(20),
                "the peer provider did not start in 20 s:\n{}",
                peer.logs()
            );
            std::thread::sleep(Duration::from_millis(50));
        };
        let info: Value = serde_json::from_str(&line)
            .unwrap_or_else(|e| panic!("the provider's first line is not JSON ({e}): {line}"));
        let text = |v: &Value| v.as_str().expect("a string").to_string();
        peer.issuer = text(&info["issuer"]);
        peer.client_a = text(&info["client_a"]["client_id"]);
        peer.keys_file = text(&info["client_a"]["keys_file"]);
        peer.client_b = text(&info["client_b"]["client_id"]);
        peer.secret = text(&info["client_b"]["client_secret"]);
        peer
    }

    pub(crate) fn logs(&self) -> String {
        let read = |name: &str| fs::read_to_string(self.dir.path().join(name)).unwrap_or_default();
        format!(
            "--- provider stderr\n{}\n--- browser\n{}",
            read("provider.stderr"),
            read("browser.log")
        )
    }

    /// `itsme-cli login -o json --timeout 60` with the real browser; `env` goes to the browser too.
    fn login(&self, args: &[&str], env: &[(&str, &str)]) -> (Option<i32>, Value) {
        let mut cmd = common::cli();
        cmd.arg("login")
            .args([
                "--issuer",
                &self.issuer,
                "--redirect-uri",
                &self.redirect_uri,
            ])
            .args(["--service-code", "TEST_CODE"])
            .args(args)
            .args(["-o", "json", "--timeout", "60"])
            .env("BROWSER", peer_dir().join("browser.sh"))
            .env("PEER_BROWSER_LOG", self.dir.path().join("browser.log"))
            .env_remove("DISPLAY")
            .env_remove("WAYLAND_DISPLAY")
            .env_remove("XDG_CURRENT_DESKTOP");
        for (k, v) in env {
            cmd.env(k, v);
        }
        let output = cmd.output().unwrap();
        let report = serde_json::from_slice(&output.stdout).unwrap_or_else(|e| {
            panic!(
                "stdout is not JSON ({e}).\nstdout: {}\nstderr: {}\n{}",
                String::from_utf8_lossy(&output.stdout),
                String::from_utf8_lossy(&output.stderr),
                self.logs()
            )
        });
        (output.status.code(), report)
    }

    fn login_a(&self, args: &[&str], env: &[(&str, &str)]) -> (Option<i32>, Value) {
        let mut all = vec!["--client-id", &self.client_a, "--keys", &self.keys_file];
        all.extend_from_slice(args);
        self.login(&all, env)
    }
}

impl Drop for Peer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// `target/peer-screenshots/NAME.png` (and the page's text next to it), fresh.
fn screenshot_paths(name: &str) -> (PathBuf, PathBuf) {
    let target = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .parent()
        .expect("CARGO_TARGET_TMPDIR is inside the target directory");
    let dir = target.join("peer-screenshots");
    fs::create_dir_all(&dir).unwrap();
    let png = dir.join(format!("{name}.png"));
    let txt = dir.join(format!("{name}.txt"));
    let _ = fs::remove_file(&png);
    let _ = fs::remove_file(&txt);
    (png, txt)
}

/// The browser takes the screenshot after the listener answered (the tool may exit first): wait.
fn wait_for_screenshot(peer: &Peer, png: &Path, txt: &Path) -> String {
    let started = Instant::now();
    while !(png.exists() && txt.exists()) {
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "no screenshot at {} after 20 s\n{}",
            png.display(),
            peer.logs()
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    let bytes = fs::read(png).unwrap();
    assert!(
        bytes.starts_with(b"\x89PNG\r\n\x1a\n"),
        "{} is not a PNG",
        png.display()
    );
    fs::read_to_string(txt).unwrap()
}

#[test]
fn client_a_private_key_jwt_request_object_encrypted_tokens_and_a_custom_claim() {
    let peer = Peer::start();
    let (png, txt) = screenshot_paths("success");
    let (code, r) = peer.login_a(
        &["--claim", "BENationalNumber", "--scope", "profile"],
        &[
            ("PEER_SCREENSHOT", png.to_str().unwrap()),
            ("PEER_FINAL_TEXT", txt.to_str().unwrap()),
        ],
    );
    assert_eq!(code, Some(0), "{r:#}\n{}", peer.logs());
    assert_eq!(r["valid"], true);
    assert!(r["refused"].is_null());
    assert_eq!(r["request"]["code_challenge_method"], "S256");
    assert!(
        r["request"]["claims"]
            .as_str()
            .unwrap_or_default()
            .contains(NATIONAL_NUMBER),
        "the claims parameter travelled in the request object: {r:#}"
    );
    let id = &r["id_token"];
    assert_eq!(id["valid"], true, "{id:#}");
    assert_eq!(id["verified"], true);
    assert_eq!(id["jwe"]["alg"], "RSA-OAEP-256");
    assert_eq!(id["jwe"]["enc"], "A128CBC-HS256");
    assert_eq!(id["jws"]["alg"], "RS256");
    assert_eq!(id["claims"]["nonce"], r["request"]["nonce"]);
    assert_eq!(id["claims"][NATIONAL_NUMBER], "90013112368");
    assert_eq!(id["warnings"], serde_json::json!([]), "{id:#}");
    let userinfo = &r["userinfo"];
    assert_eq!(userinfo["valid"], true, "{userinfo:#}");
    assert_eq!(userinfo["verified"], true);
    assert_eq!(userinfo["jwe"]["alg"], "RSA-OAEP-256");
    assert_eq!(userinfo["jws"]["alg"], "RS256");
    assert_eq!(userinfo["claims"]["sub"], id["claims"]["sub"]);
    assert_eq!(userinfo["claims"]["family_name"], "Dupont");
    let page = wait_for_screenshot(&peer, &png, &txt);
    assert!(page.contains("Login received"), "success page: {page}");
}

#[test]
fn client_b_client_secret_post_gets_a_dir_a256gcm_id_token() {
    let peer = Peer::start();
    let (code, r) = peer.login(
        &["--client-id", &peer.client_b],
        &[("ITSME_CLIENT_SECRET", &peer.secret)],
    );
    assert_eq!(code, Some(0), "{r:#}\n{}", peer.logs());
    assert_eq!(r["valid"], true);
    assert!(
        r["request"]["code_challenge_method"] == "S256",
        "PKCE in the URL: {r:#}"
    );
    let id = &r["id_token"];
    assert_eq!(id["valid"], true, "{id:#}");
    assert_eq!(id["jwe"]["alg"], "dir");
    assert_eq!(id["jwe"]["enc"], "A256GCM");
    assert_eq!(id["jws"]["alg"], "RS256");
    assert_eq!(r["userinfo"]["valid"], true, "{r:#}");
    assert_eq!(r["userinfo"]["claims"]["sub"], id["claims"]["sub"]);
}

#[test]
fn a_denied_consent_is_access_denied_with_a_failure_page() {
    let peer = Peer::start();
    let (png, txt) = screenshot_paths("failure");
    let (code, r) = peer.login_a(
        &[],
        &[
            ("PEER_DECISION", "deny"),
            ("PEER_SCREENSHOT", png.to_str().unwrap()),
            ("PEER_FINAL_TEXT", txt.to_str().unwrap()),
        ],
    );
    assert_eq!(code, Some(1), "{r:#}\n{}", peer.logs());
    assert_eq!(r["valid"], false);
    assert_eq!(r["refused"]["stage"], "authorization", "{r:#}");
    assert_eq!(r["refused"]["error"], "access_denied", "{r:#}");
    assert!(r["id_token"].is_null());
    let page = wait_for_screenshot(&peer, &png, &txt);
    assert!(page.contains("Login failed"), "failure page: {page}");
    assert!(page.contains("access_denied"), "failure page: {page}");
}

#[test]
fn an_unpublished_key_is_refused_at_the_token_endpoint() {
    let peer = Peer::start();
    let other = common::vector_file("other-private.jwks.json");
    let (code, r) = peer.login(
        &[
            "--client-id",
            &peer.client_a,
            "--keys",
            &other,
            "--no-request-object",
        ],
        &[],
    );
    assert_eq!(code, Some(1), "{r:#}\n{}", peer.logs());
    let refused = &r["refused"];
    assert_eq!(refused["stage"], "token", "{r:#}");
    assert_eq!(refused["error"], "invalid_client", "{r:#}");
    assert!(
        refused["hint"].as_str().unwrap_or_default().contains("kid"),
        "the hint points at the key id: {r:#}"
    );
}

#[test]
fn a_request_object_signed_with_an_unpublished_key_is_refused_at_authorization() {
    let peer = Peer::start();
    let other = common::vector_file("other-private.jwks.json");
    let (code, r) = peer.login(&["--client-id", &peer.client_a, "--keys", &other], &[]);
    assert_eq!(code, Some(1), "{r:#}\n{}", peer.logs());
    let refused = &r["refused"];
    assert_eq!(refused["stage"], "authorization", "{r:#}");
    assert_eq!(refused["error"], "invalid_request_object", "{r:#}");
    assert!(
        refused["hint"].as_str().unwrap_or_default().contains("sig"),
        "the hint points at the signing key: {r:#}"
    );
}

#[test]
fn discovery_and_validate_accept_the_peer() {
    let peer = Peer::start();
    let output = common::cli()
        .args([
            "discovery",
            "--issuer",
            &peer.issuer,
            "--check",
            "-o",
            "json",
        ])
        .output()
        .unwrap();
    let r = common::json_stdout(&output);
    assert_eq!(output.status.code(), Some(0), "{r:#}");
    assert_eq!(r["findings"], serde_json::json!([]), "{r:#}");

    let output = common::cli()
        .args(["validate", "--issuer", &peer.issuer])
        .args(["--client-id", &peer.client_a, "--service-code", "TEST_CODE"])
        .args([
            "--redirect-uri",
            &peer.redirect_uri,
            "--keys",
            &peer.keys_file,
        ])
        .args(["-o", "json"])
        .output()
        .unwrap();
    let r = common::json_stdout(&output);
    assert_eq!(output.status.code(), Some(0), "{r:#}\n{}", peer.logs());
    assert_eq!(check_status(&r, "credentials_probe"), "pass", "{r:#}");
    assert_eq!(check_status(&r, "discovery"), "pass", "{r:#}");
    assert_eq!(check_status(&r, "clock"), "pass", "{r:#}");
    assert_eq!(check_status(&r, "redirect_uri_registered"), "pass", "{r:#}");

    // A redirect URI the provider does not know (a trailing slash), asked of a provider nobody
    // here wrote: its answer tells too (issue 17, item 3).
    let slash = format!("{}/", peer.redirect_uri);
    let output = common::cli()
        .args(["validate", "--issuer", &peer.issuer])
        .args(["--client-id", &peer.client_a, "--service-code", "TEST_CODE"])
        .args(["--redirect-uri", &slash, "--keys", &peer.keys_file])
        .args(["-o", "json"])
        .output()
        .unwrap();
    let r = common::json_stdout(&output);
    assert_eq!(check_status(&r, "redirect_uri_registered"), "fail", "{r:#}");

    // The same probe with keys the provider does not know: the credentials are refused.
    let output = common::cli()
        .args(["validate", "--issuer", &peer.issuer])
        .args(["--client-id", &peer.client_a, "--service-code", "TEST_CODE"])
        .args(["--redirect-uri", &peer.redirect_uri])
        .args(["--keys", &common::vector_file("other-private.jwks.json")])
        .args(["-o", "json"])
        .output()
        .unwrap();
    let r = common::json_stdout(&output);
    assert_ne!(output.status.code(), Some(0), "{r:#}");
    assert_eq!(check_status(&r, "credentials_probe"), "fail", "{r:#}");
}

fn check_status(report: &Value, id: &str) -> Value {
    report["checks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == id)
        .unwrap_or_else(|| panic!("no check {id}: {report:#}"))["status"]
        .clone()
}

/// `tests/har/`: HAR files recorded from the runs below, replayed offline by `cli_har`.
fn har_fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/har")
}

/// The browser writes its HAR when it closes, after the tool may have exited: wait for it.
fn wait_for_file(peer: &Peer, path: &Path) {
    let started = Instant::now();
    while !path.exists() {
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "no {} after 20 s\n{}",
            path.display(),
            peer.logs()
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// A real login recorded twice over: the browser's HAR (Chromium through Playwright's
/// `recordHar`) and the tool's own (`login --har-out`); then replayed by `decode-token --har`.
/// `ITSME_RECORD_HAR=1` copies the files into `tests/har/` (the fixtures `cli_har` replays).
fn record_and_replay(
    peer: &Peer,
    name: &str,
    login: &[&str],
    env: &[(&str, &str)],
    replay: &[&str],
) -> (Option<i32>, Value) {
    let browser = peer.dir.path().join(format!("{name}-browser.har"));
    let backend = peer.dir.path().join(format!("{name}-backend.har"));
    let mut args = login.to_vec();
    let backend_arg = backend.to_str().unwrap().to_string();
    args.extend(["--har-out", &backend_arg]);
    let mut env = env.to_vec();
    env.push(("PEER_HAR", browser.to_str().unwrap()));
    let (_, r) = peer.login(&args, &env);
    wait_for_file(peer, &browser);
    assert!(backend.exists(), "login --har-out wrote nothing: {r:#}");
    let mode = fs::metadata(&backend).unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(
            mode.permissions().mode() & 0o777,
            0o600,
            "the HAR holds tokens"
        );
    }
    if std::env::var_os("ITSME_RECORD_HAR").is_some() {
        fs::create_dir_all(har_fixtures()).unwrap();
        fs::copy(&browser, har_fixtures().join(format!("{name}-browser.har"))).unwrap();
        fs::copy(&backend, har_fixtures().join(format!("{name}-backend.har"))).unwrap();
    }
    let output = common::cli()
        .arg("decode-token")
        .args(["--har", browser.to_str().unwrap()])
        .args(["--har", backend.to_str().unwrap()])
        .args(replay)
        .args(["-o", "json"])
        .output()
        .unwrap();
    (output.status.code(), common::json_stdout(&output))
}

fn check(report: &Value, code: &str) -> Value {
    common::har_check(report, code)
}

#[test]
fn recorded_logins_replay_from_the_browser_and_backend_har_files() {
    let peer = Peer::start();
    // Client A: private_key_jwt, an encrypted request object, encrypted tokens.
    let keys = peer.keys_file.clone();
    let (code, r) = record_and_replay(
        &peer,
        "peer-a",
        &[
            "--client-id",
            &peer.client_a,
            "--keys",
            &keys,
            "--claim",
            "BENationalNumber",
            "--scope",
            "profile",
        ],
        &[],
        &["--keys", &keys],
    );
    assert_eq!(code, Some(0), "{r:#}\n{}", peer.logs());
    if std::env::var_os("ITSME_RECORD_HAR").is_some() {
        fs::copy(&keys, har_fixtures().join("peer-a.private.jwks.json")).unwrap();
    }
    let kinds: Vec<&str> = r["exchanges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x["kind"].as_str().unwrap())
        .collect();
    for kind in [
        "discovery",
        "jwks",
        "authorization",
        "callback",
        "token",
        "userinfo",
    ] {
        assert!(kinds.contains(&kind), "{kind} missing from {kinds:?}");
    }
    for code in [
        "har_authorization_request",
        "har_code",
        "har_redirect_uri",
        "har_client_assertion",
        "har_id_token",
        "har_userinfo",
        "har_userinfo_sub",
    ] {
        assert_eq!(check(&r, code)["status"], "pass", "{code}: {r:#}");
    }
    assert_eq!(check(&r, "har_state")["status"], "skip", "sealed: {r:#}");
    let text = r.to_string();
    assert!(!text.contains("\"eyJ"), "no token in the report: {r:#}");

    // Client B: client_secret_post, the request in the query, a dir / A256GCM ID token.
    let secret = peer.secret.clone();
    let (code, r) = record_and_replay(
        &peer,
        "peer-b",
        &["--client-id", &peer.client_b],
        &[("ITSME_CLIENT_SECRET", &secret)],
        &["--client-secret", &secret],
    );
    assert_eq!(code, Some(0), "{r:#}\n{}", peer.logs());
    if std::env::var_os("ITSME_RECORD_HAR").is_some() {
        fs::write(har_fixtures().join("peer-b.secret"), &secret).unwrap();
    }
    for code in [
        "har_state",
        "har_nonce",
        "har_pkce",
        "har_code",
        "har_id_token",
    ] {
        assert_eq!(check(&r, code)["status"], "pass", "{code}: {r:#}");
    }

    // A denied consent: the browser's HAR holds the error answer.
    let (code, r) = record_and_replay(
        &peer,
        "peer-deny",
        &["--client-id", &peer.client_a, "--keys", &keys],
        &[("PEER_DECISION", "deny")],
        &["--keys", &keys],
    );
    assert_eq!(code, Some(1), "{r:#}\n{}", peer.logs());
    let error = check(&r, "har_error_answer");
    assert_eq!(error["status"], "fail", "{r:#}");
    assert!(
        error["message"].as_str().unwrap().contains("access_denied"),
        "{r:#}"
    );
}
