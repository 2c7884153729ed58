//! `itsme-cli ciba` end to end against panva's `oidc-provider` with its CIBA feature on
//! (`tests/peer/provider.mjs ciba`, `tests/peer/ciba.mjs`): the provider's own backchannel
//! endpoint, poll and ping delivery and CIBA grant, with itsme®'s user discovery sessions added by
//! the harness around it (QR codes made by `qrcode-generator` + `jpeg-js`, nobody here wrote them).
//! The test plays the phone: it reads the QR code's content from what the CLI decoded and prints,
//! and "scans" it with a GET.
//!
//! Needs what tests/it/peer.rs needs (`node`, `npm ci --prefix tests/peer`); fails, never skips.

use std::io::{BufRead, BufReader, Read, Write};
use std::process::{Child, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::common;
use crate::peer::Peer;

const NATIONAL_NUMBER: &str = "http://itsme.services/v2/claim/BENationalNumber";

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// A GET on a loopback URL: the status and the body.
fn get(url: &str) -> (u16, String) {
    let url = url::Url::parse(url).unwrap();
    let mut stream =
        std::net::TcpStream::connect((url.host_str().unwrap(), url.port().unwrap())).unwrap();
    let target = match url.query() {
        Some(q) => format!("{}?{q}", url.path()),
        None => url.path().to_string(),
    };
    write!(
        stream,
        "GET {target} HTTP/1.1\r\nHost: {}:{}\r\nConnection: close\r\n\r\n",
        url.host_str().unwrap(),
        url.port().unwrap()
    )
    .unwrap();
    let mut answer = String::new();
    stream.read_to_string(&mut answer).unwrap();
    let status = answer
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let body = answer
        .split_once("\r\n\r\n")
        .map(|(_, b)| b.to_string())
        .unwrap_or_default();
    (status, body)
}

/// `itsme-cli ciba -o json` running, its stderr read line by line as it comes.
struct Running {
    child: Child,
    lines: mpsc::Receiver<String>,
    stderr: Vec<String>,
}

impl Running {
    fn start(peer: &Peer, client_id: &str, args: &[&str]) -> Running {
        let mut child = common::cli_std()
            .arg("ciba")
            .args(["--issuer", &peer.issuer, "--client-id", client_id])
            .args(["--keys", &peer.keys_file, "--service-code", "TEST_CODE"])
            .args(args)
            .args(["-o", "json"])
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let stderr = child.stderr.take().unwrap();
        let (sender, lines) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                if sender.send(line).is_err() {
                    return;
                }
            }
        });
        Running {
            child,
            lines,
            stderr: Vec::new(),
        }
    }

    /// The next QR content the CLI printed, within `timeout`.
    fn next_qr(&mut self, peer: &Peer, timeout: Duration) -> String {
        let started = Instant::now();
        loop {
            let left = timeout.saturating_sub(started.elapsed());
            match self.lines.recv_timeout(left) {
                Ok(line) => {
                    self.stderr.push(line.clone());
                    if let Some(content) = line.strip_prefix("The QR code says: ") {
                        return content.to_string();
                    }
                }
                Err(_) => panic!(
                    "no QR code content on stderr within {timeout:?}:\n{}\n{}",
                    self.stderr.join("\n"),
                    peer.logs()
                ),
            }
        }
    }

    /// Waits for the exit (at most 90 s): the exit code and the JSON report.
    fn finish(mut self, peer: &Peer) -> (Option<i32>, Value) {
        let started = Instant::now();
        let status = loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                break status;
            }
            if started.elapsed() > Duration::from_secs(90) {
                let _ = self.child.kill();
                panic!("`ciba` did not end in 90 s\n{}", peer.logs());
            }
            std::thread::sleep(Duration::from_millis(100));
        };
        let mut stdout = String::new();
        self.child
            .stdout
            .take()
            .unwrap()
            .read_to_string(&mut stdout)
            .unwrap();
        while let Ok(line) = self.lines.recv_timeout(Duration::from_millis(200)) {
            self.stderr.push(line);
        }
        let report = serde_json::from_str(&stdout).unwrap_or_else(|e| {
            panic!(
                "stdout is not JSON ({e}).\nstdout: {stdout}\nstderr: {}\n{}",
                self.stderr.join("\n"),
                peer.logs()
            )
        });
        (status.code(), report)
    }
}

fn stats(peer: &Peer) -> Value {
    let origin = peer.issuer.trim_end_matches("/v2");
    let (status, body) = get(&format!("{origin}/harness/stats"));
    assert_eq!(status, 200, "{body}");
    serde_json::from_str(&body).unwrap()
}

#[test]
fn poll_mode_with_qr_discovery_replaced_qr_codes_encrypted_tokens_and_a_custom_claim() {
    let peer = Peer::start_with(&["ciba", &free_port().to_string()]);
    let qr_file = peer.dir.path().join("qr.jpg");
    let mut cli = Running::start(
        &peer,
        "peer-ciba-poll",
        &[
            "--scope",
            "profile",
            "--claim",
            "BENationalNumber",
            "--qr-file",
            qr_file.to_str().unwrap(),
        ],
    );
    // The first code; then the harness sends a new one on the third poll, which replaces it.
    let first = cli.next_qr(&peer, Duration::from_secs(30));
    let second = cli.next_qr(&peer, Duration::from_secs(15));
    assert_ne!(first, second, "a new QR code came and was shown");
    assert_eq!(get(&first).0, 410, "the replaced code no longer works");
    assert_eq!(get(&second).0, 200, "the phone scanned the shown code");
    let (code, r) = cli.finish(&peer);
    assert_eq!(code, Some(0), "{r:#}\n{}", peer.logs());
    assert_eq!(r["valid"], true);
    assert_eq!(r["mode"], "poll");
    assert!(r["refused"].is_null(), "{r:#}");
    assert_eq!(r["discovery"]["discovered"], true);
    assert!(r["discovery"]["qr_codes"].as_u64().unwrap() >= 2, "{r:#}");
    assert_eq!(r["request"]["scope"], "openid service:TEST_CODE profile");
    assert_eq!(
        r["request"]["login_hint_token"]["type"],
        "user_identifier_token"
    );
    assert_eq!(r["request"]["login_hint_token"]["value"], "(redacted)");
    let id = &r["id_token"];
    assert_eq!(id["valid"], true, "{id:#}");
    assert_eq!(id["jwe"]["alg"], "RSA-OAEP-256");
    assert_eq!(id["jws"]["alg"], "RS256");
    assert_eq!(id["claims"]["sub"], "ciba-user-1");
    assert_eq!(id["claims"][NATIONAL_NUMBER], "90013112368");
    let userinfo = &r["userinfo"];
    assert_eq!(userinfo["valid"], true, "{userinfo:#}");
    assert_eq!(userinfo["claims"]["family_name"], "Dupont");
    assert!(
        std::fs::read(&qr_file)
            .unwrap()
            .starts_with(&[0xFF, 0xD8, 0xFF]),
        "the JPEG as received"
    );

    // At most one discovery request per interval (1 s): the harness counted no 429 and no gap
    // shorter than the interval; every assertion was accepted at the documented audience.
    let seen = stats(&peer);
    assert_eq!(seen["too_fast"], 0, "{seen:#}");
    assert_eq!(seen["unauthorized"], 0, "{seen:#}");
    let polls: Vec<i64> = seen["discovery_polls"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t.as_i64().unwrap())
        .collect();
    assert_eq!(
        polls.len() as u64,
        r["requests"]["discovery"].as_u64().unwrap(),
        "{r:#}"
    );
    assert!(polls.windows(2).all(|w| w[1] - w[0] >= 850), "{polls:?}");
    // The documented compact JWT with `alg: none` (PROTOCOL §9.3).
    let hint = seen["login_hint_tokens"][0].as_str().unwrap();
    assert!(hint.starts_with("eyJhbGciOiJub25lIn0."), "{hint}");
    // Token polls: at least one interval (5 s, oidc-provider names none) apart, so 1 or 2.
    assert!(r["requests"]["token"].as_u64().unwrap() <= 2, "{r:#}");
}

#[test]
fn ping_mode_for_a_known_user_fetches_the_tokens_once_after_the_ping() {
    let ping_port = free_port();
    let peer = Peer::start_with(&["ciba", &ping_port.to_string()]);
    let listen = format!("127.0.0.1:{ping_port}");
    let cli = Running::start(
        &peer,
        "peer-ciba-ping",
        &[
            "--sub",
            "ciba-user-2",
            "--ping-listen",
            &listen,
            "--hint-form",
            "jwt-rs256",
        ],
    );
    let (code, r) = cli.finish(&peer);
    assert_eq!(code, Some(0), "{r:#}\n{}", peer.logs());
    assert_eq!(r["valid"], true);
    assert_eq!(r["mode"], "ping");
    assert!(r["discovery"].is_null(), "--sub skips the discovery: {r:#}");
    assert_eq!(r["requests"]["pings"], 1, "{r:#}");
    assert_eq!(
        r["requests"]["token"], 1,
        "one token call, after the ping: {r:#}"
    );
    assert_eq!(r["requests"]["discovery"], 0);
    assert_eq!(r["request"]["client_notification_token"], "(redacted)");
    assert_eq!(r["request"]["login_hint_token"]["type"], "subject_code");
    assert_eq!(r["id_token"]["claims"]["sub"], "ciba-user-2");
    let seen = stats(&peer);
    assert_eq!(seen["pings"].as_array().unwrap().len(), 1, "{seen:#}");
    let hint = seen["login_hint_tokens"][0].as_str().unwrap();
    assert!(
        !hint.starts_with("eyJhbGciOiJub25lIn0."),
        "signed RS256: {hint}"
    );
}

#[test]
fn a_denial_in_the_app_is_access_denied_explained_with_exit_1() {
    let peer = Peer::start_with(&["ciba", &free_port().to_string()]);
    let mut cli = Running::start(&peer, "peer-ciba-poll", &[]);
    let qr = cli.next_qr(&peer, Duration::from_secs(30));
    assert_eq!(get(&format!("{qr}?decision=deny")).0, 200);
    let (code, r) = cli.finish(&peer);
    assert_eq!(code, Some(1), "{r:#}\n{}", peer.logs());
    assert_eq!(r["valid"], false);
    assert_eq!(r["refused"]["stage"], "token", "{r:#}");
    assert_eq!(r["refused"]["error"], "access_denied", "{r:#}");
    assert!(r["refused"]["meaning"].is_string(), "explained: {r:#}");
    assert!(r["id_token"].is_null());
}

#[test]
fn an_unknown_user_identifier_token_is_refused_at_the_backchannel_endpoint() {
    let peer = Peer::start_with(&["ciba", &free_port().to_string()]);
    let cli = Running::start(
        &peer,
        "peer-ciba-poll",
        &["--login-hint-token", "never-issued"],
    );
    let (code, r) = cli.finish(&peer);
    assert_eq!(code, Some(1), "{r:#}\n{}", peer.logs());
    assert_eq!(r["refused"]["stage"], "backchannel", "{r:#}");
    assert_eq!(r["refused"]["error"], "expired_login_hint_token", "{r:#}");
    assert!(r["refused"]["hint"].is_string(), "{r:#}");
    assert_eq!(r["requests"]["token"], 0);
}

/// The sandbox end to end: `ciba --sandbox` opens the phone page (what the QR code encodes) through
/// its normal path (`open` → `xdg-open` → `$BROWSER`), where the REAL headless Chromium
/// (`tests/peer/phone.mjs`) picks a persona, scans, and approves the backchannel request.
#[test]
fn the_sandbox_end_to_end_with_chromium_as_the_phone() {
    crate::peer::prerequisites();
    let dir = tempfile::tempdir().unwrap();
    let qr_file = dir.path().join("qr.jpg");
    let log = dir.path().join("phone.log");
    let output = common::cli()
        .args(["ciba", "--sandbox", "--scope", "profile", "-o", "json"])
        .args(["--qr-file", qr_file.to_str().unwrap()])
        .env("BROWSER", crate::peer::peer_dir().join("phone.sh"))
        .env("PHONE_LOG", &log)
        .env_remove("DISPLAY")
        .env_remove("WAYLAND_DISPLAY")
        .env_remove("XDG_CURRENT_DESKTOP")
        .timeout(Duration::from_secs(120))
        .output()
        .unwrap();
    let logs = || std::fs::read_to_string(&log).unwrap_or_default();
    let r: Value = serde_json::from_slice(&output.stdout).unwrap_or_else(|e| {
        panic!(
            "stdout is not JSON ({e}): {}\nstderr: {}\nphone: {}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr),
            logs()
        )
    });
    assert_eq!(output.status.code(), Some(0), "{r:#}\n{}", logs());
    assert_eq!(r["valid"], true);
    assert_eq!(r["discovery"]["discovered"], true);
    assert_eq!(r["id_token"]["valid"], true, "{r:#}");
    assert_eq!(r["userinfo"]["valid"], true, "{r:#}");
    // The QR image the sandbox made, decoded here: what the phone was sent to.
    let content =
        itsme_cli::flow::ciba::qr::decode_jpeg(&std::fs::read(&qr_file).unwrap()).unwrap();
    assert_eq!(r["discovery"]["qr_content"], content.as_str());
    assert!(content.contains("/ciba/phone/"), "{content}");
    let opened = logs();
    if r["discovery"]["qr_codes"] == 1 {
        assert!(opened.contains(&format!("opened {content}")), "{opened}");
    }
    assert!(opened.contains("phone: after approve"), "{opened}");
}
