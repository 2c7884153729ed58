//! `itsme-cli sandbox` against an independent relying party: panva's `openid-client` (node,
//! pinned in `tests/sandbox-rp/package-lock.json`) runs a whole login — discovery, PKCE, nonce,
//! state, the `claims` parameter, the code grant with private_key_jwt or client_secret_post, the
//! nested (signed then encrypted) ID token and the userinfo call — and the claims it accepted are
//! checked here. Needs `node` and `npm ci --prefix tests/sandbox-rp`; without them it fails, it
//! never skips.

use std::fs::File;
use std::io::{BufRead, BufReader, Read, Seek};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdout, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use serde_json::Value;

const NATIONAL_NUMBER: &str = "http://itsme.services/v2/claim/BENationalNumber";
const SETUP: &str = "install node (20 or later) and run `npm ci --prefix tests/sandbox-rp`";

fn manifest_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Fails (never skips) when node or the pinned packages are missing or stale.
fn require_node_setup() {
    let version = Command::new("node").arg("--version").output();
    match version {
        Ok(out) if out.status.success() => {}
        Ok(out) => panic!(
            "`node --version` failed ({}): {SETUP}",
            String::from_utf8_lossy(&out.stderr)
        ),
        Err(e) => panic!("cannot run `node` ({e}): {SETUP}"),
    }
    let rp = manifest_dir().join("tests/sandbox-rp");
    let wanted: Value = read_json(&rp.join("package.json"));
    for (name, version) in wanted["dependencies"]
        .as_object()
        .expect("package.json has dependencies")
    {
        let installed = rp.join("node_modules").join(name).join("package.json");
        assert!(
            installed.exists(),
            "{} is missing: {SETUP}",
            installed.display()
        );
        let installed: Value = read_json(&installed);
        assert_eq!(
            &installed["version"], version,
            "tests/sandbox-rp/node_modules/{name} is not the pinned version: {SETUP}"
        );
    }
}

fn read_json(path: &Path) -> Value {
    let text = std::fs::read_to_string(path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{} is not JSON: {e}", path.display()))
}

/// A running sandbox; dropping it kills the process (also when a test panics) and removes the
/// temporary directory of the generated client's private keys.
struct Sandbox {
    child: Child,
    log: File,
    ready: Value,
    /// Kept open so the sandbox never writes to a closed pipe.
    _stdout: Option<BufReader<ChildStdout>>,
}

impl Sandbox {
    /// Starts `itsme-cli sandbox -o json --approve --port 0 [extra…]` and reads its first line.
    fn start(extra: &[&str]) -> Sandbox {
        let log = tempfile::tempfile().expect("a temporary file for the sandbox's stderr");
        let mut child = Command::new(assert_cmd::cargo::cargo_bin("itsme-cli"))
            .args(["sandbox", "-o", "json", "--approve", "--port", "0"])
            .args(extra)
            // A secret from the environment would turn the generated private_key_jwt client into
            // a client-secret one.
            .env_remove("ITSME_SANDBOX_CLIENT_SECRET")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(log.try_clone().expect("clone the log handle"))
            .spawn()
            .expect("start itsme-cli sandbox");
        let stdout = child.stdout.take().expect("piped stdout");
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            let mut reader = BufReader::new(stdout);
            let mut line = String::new();
            let read = reader.read_line(&mut line);
            let _ = tx.send((read.map(|_| line), reader));
        });
        let mut sandbox = Sandbox {
            child,
            log,
            ready: Value::Null,
            _stdout: None,
        };
        let (line, reader) = match rx.recv_timeout(Duration::from_secs(30)) {
            Ok((Ok(line), reader)) if !line.trim().is_empty() => (line, reader),
            Ok((result, _)) => panic!(
                "the sandbox printed no ready line ({result:?}); stderr:\n{}",
                sandbox.stderr()
            ),
            Err(_) => panic!(
                "the sandbox printed nothing within 30 s; stderr:\n{}",
                sandbox.stderr()
            ),
        };
        sandbox._stdout = Some(reader);
        sandbox.ready = serde_json::from_str(&line)
            .unwrap_or_else(|e| panic!("the ready line is not JSON ({e}): {line}"));
        sandbox
    }

    fn issuer(&self) -> &str {
        self.ready["issuer"]
            .as_str()
            .expect("ready line has `issuer`")
    }

    fn client(&self) -> &Value {
        &self.ready["clients"][0]
    }

    fn client_id(&self) -> &str {
        self.client()["client_id"]
            .as_str()
            .expect("the client has a client_id")
    }

    fn redirect_uri(&self) -> &str {
        self.client()["redirect_uris"][0]
            .as_str()
            .expect("the client has a redirect URI")
    }

    fn stderr(&mut self) -> String {
        let mut text = String::new();
        let _ = self.log.rewind();
        let _ = self.log.read_to_string(&mut text);
        text
    }
}

impl Drop for Sandbox {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        // The sandbox leaves the generated keys behind (`/tmp/itsme-sandbox-<pid>-<x>/`).
        if let Some(dir) = self.client()["private_keys"]
            .as_str()
            .map(Path::new)
            .and_then(Path::parent)
            .filter(|d| {
                d.file_name()
                    .and_then(|n| n.to_str())
                    .is_some_and(|n| n.starts_with("itsme-sandbox-"))
            })
        {
            let _ = std::fs::remove_dir_all(dir);
        }
    }
}

/// Runs `node tests/sandbox-rp/flow.mjs ARGS` (at most 60 s) and returns its one JSON line.
fn run_flow(sandbox: &mut Sandbox, args: &[&str], env: &[(&str, &str)]) -> Value {
    run_script(sandbox, "flow.mjs", args, env)
}

/// Runs `node tests/sandbox-rp/SCRIPT ARGS` (at most 60 s) and returns its one JSON line.
fn run_script(sandbox: &mut Sandbox, script: &str, args: &[&str], env: &[(&str, &str)]) -> Value {
    let mut command = Command::new("node");
    command
        .current_dir(manifest_dir())
        .arg(format!("tests/sandbox-rp/{script}"))
        .args(args)
        .env_remove("SANDBOX_ASSERTION_AUD")
        .env_remove("SANDBOX_CLIENT_SECRET")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    for (name, value) in env {
        command.env(name, value);
    }
    let mut child = command.spawn().expect("start node");
    let collect = |mut pipe: Box<dyn Read + Send>| {
        std::thread::spawn(move || {
            let mut text = String::new();
            let _ = pipe.read_to_string(&mut text);
            text
        })
    };
    let stdout = collect(Box::new(child.stdout.take().expect("piped stdout")));
    let stderr = collect(Box::new(child.stderr.take().expect("piped stderr")));
    let deadline = Instant::now() + Duration::from_secs(60);
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait for node") {
            break status;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!(
                "{script} took more than 60 s; sandbox stderr:\n{}",
                sandbox.stderr()
            );
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let stdout = stdout.join().expect("stdout reader");
    let stderr = stderr.join().expect("stderr reader");
    let line = stdout.lines().next().unwrap_or_default();
    let result: Value = serde_json::from_str(line).unwrap_or_else(|e| {
        panic!(
            "{script} printed no JSON line ({e}; exit {status}):\nstdout: {stdout}\nstderr: {stderr}\nsandbox stderr:\n{}",
            sandbox.stderr()
        )
    });
    assert_eq!(
        result["ok"],
        true,
        "openid-client failed (exit {status}): {result:#}\nnode stderr: {stderr}\nsandbox stderr:\n{}",
        sandbox.stderr()
    );
    assert!(status.success(), "ok but exit {status}: {result}");
    result
}

/// A Belgian national number: 11 digits `YYMMDDxxxcc` with `cc = 97 − (YYMMDDxxx mod 97)`, the
/// nine digits prefixed with `2` for people born in 2000 or later (PROTOCOL §6).
fn is_national_number(value: &str) -> bool {
    if value.len() != 11 || !value.bytes().all(|b| b.is_ascii_digit()) {
        return false;
    }
    let (base, check) = value.split_at(9);
    let check: u64 = check.parse().expect("two digits");
    let before_2000: u64 = base.parse().expect("nine digits");
    let since_2000 = before_2000 + 2_000_000_000;
    [before_2000, since_2000]
        .iter()
        .any(|b| 97 - b % 97 == check)
}

/// The checks both client kinds share.
fn check_common(result: &Value, sandbox: &Sandbox, alg: &str, enc: &str) {
    let claims = &result["id_token_claims"];
    assert_eq!(claims["iss"], sandbox.issuer(), "{result:#}");
    let aud_ok = match &claims["aud"] {
        Value::String(aud) => aud == sandbox.client_id(),
        Value::Array(list) => list.iter().any(|a| a == sandbox.client_id()),
        _ => false,
    };
    assert!(aud_ok, "aud is not {}: {result:#}", sandbox.client_id());
    assert!(
        result["nonce"].as_str().is_some_and(|n| !n.is_empty()),
        "{result:#}"
    );
    assert_eq!(claims["nonce"], result["nonce"], "{result:#}");
    let national = claims[NATIONAL_NUMBER].as_str().unwrap_or_default();
    assert!(
        is_national_number(national),
        "the ID token's {NATIONAL_NUMBER} is not an 11-digit Belgian national number: {result:#}"
    );
    assert!(
        claims["given_name"].as_str().is_some_and(|n| !n.is_empty()),
        "the ID token lacks given_name (asked in claims.id_token): {result:#}"
    );
    assert_eq!(result["id_token_header"]["alg"], alg, "{result:#}");
    assert_eq!(result["id_token_header"]["enc"], enc, "{result:#}");
    let userinfo = &result["userinfo"];
    assert!(
        claims["sub"].as_str().is_some_and(|s| !s.is_empty()),
        "{result:#}"
    );
    assert_eq!(userinfo["sub"], claims["sub"], "{result:#}");
    assert!(
        userinfo["family_name"]
            .as_str()
            .is_some_and(|n| !n.is_empty()),
        "userinfo lacks family_name (scope profile): {result:#}"
    );
}

#[test]
fn openid_client_logs_in_with_private_key_jwt() {
    require_node_setup();
    let mut sandbox = Sandbox::start(&[]);
    assert_eq!(sandbox.client()["auth"], "private_key_jwt");
    let keys = sandbox.client()["private_keys"]
        .as_str()
        .expect("the generated client's private keys path")
        .to_string();
    let (issuer, client_id, redirect_uri) = (
        sandbox.issuer().to_string(),
        sandbox.client_id().to_string(),
        sandbox.redirect_uri().to_string(),
    );
    let result = run_flow(
        &mut sandbox,
        &[&issuer, "private_key_jwt", &keys, &client_id, &redirect_uri],
        &[],
    );
    check_common(&result, &sandbox, "RSA-OAEP-256", "A128CBC-HS256");
    // Userinfo came back as a signed-and-encrypted JWT (PROTOCOL §5), opened by openid-client.
    assert_eq!(result["userinfo"]["iss"], issuer, "{result:#}");
    let notes = result["notes"].to_string();
    assert!(notes.contains("application/jwt"), "{result:#}");
    assert!(notes.contains("RSA-OAEP-256"), "{result:#}");
}

#[test]
fn openid_client_logs_in_with_client_secret_post() {
    require_node_setup();
    let secret = format!(
        "sandbox-rp-{}-{}",
        std::process::id(),
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or_default()
    );
    let mut sandbox = Sandbox::start(&["--client-secret", &secret]);
    assert_eq!(sandbox.client()["auth"], "client_secret_post");
    let (issuer, client_id, redirect_uri) = (
        sandbox.issuer().to_string(),
        sandbox.client_id().to_string(),
        sandbox.redirect_uri().to_string(),
    );
    let result = run_flow(
        &mut sandbox,
        &[&issuer, "client_secret", &client_id, &redirect_uri],
        &[("SANDBOX_CLIENT_SECRET", &secret)],
    );
    check_common(&result, &sandbox, "dir", "A256GCM");
}

/// openid-client's own CIBA functions against the sandbox's CIBA endpoints (PROTOCOL §9): the
/// proprietary discovery session by fetch, then `initiateBackchannelAuthentication` with a signed
/// request object and `pollBackchannelAuthenticationGrant` (poll), or a ping to a node listener
/// first (ping); openid-client decrypts, verifies and validates the ID token and userinfo.
fn ciba_with_openid_client(mode: &str) {
    require_node_setup();
    let mut extra = vec!["--ciba-interval", "1"];
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port for the ping listener");
    let callback = format!("http://127.0.0.1:{port}/cb");
    if mode == "ping" {
        extra.extend(["--ciba-delivery", "ping", "--ciba-callback", &callback]);
    }
    let mut sandbox = Sandbox::start(&extra);
    let keys = sandbox.client()["private_keys"]
        .as_str()
        .expect("the generated client's private keys path")
        .to_string();
    let (issuer, client_id) = (
        sandbox.issuer().to_string(),
        sandbox.client_id().to_string(),
    );
    let port = port.to_string();
    let result = run_script(
        &mut sandbox,
        "ciba.mjs",
        &[&issuer, &keys, &client_id, mode, &port],
        &[],
    );
    let claims = &result["id_token_claims"];
    assert_eq!(claims["iss"], issuer, "{result:#}");
    assert_eq!(
        claims["acr"], "http://itsme.services/v2/claim/acr_advanced",
        "{result:#}"
    );
    assert!(
        is_national_number(claims[NATIONAL_NUMBER].as_str().unwrap_or_default()),
        "{result:#}"
    );
    assert_eq!(result["userinfo"]["sub"], claims["sub"], "{result:#}");
    assert!(result["userinfo"]["family_name"].is_string(), "{result:#}");
    assert_eq!(result["auth_req_id_length"], 36, "{result:#}");
    let notes = result["notes"].to_string();
    assert!(notes.contains("USER_DISCOVERED"), "{result:#}");
    if mode == "ping" {
        assert!(
            notes.contains("ping received at /cb (application/json)"),
            "{result:#}"
        );
    }
}

#[test]
fn openid_client_runs_ciba_by_poll() {
    ciba_with_openid_client("poll");
}

#[test]
fn openid_client_runs_ciba_by_ping() {
    ciba_with_openid_client("ping");
}
