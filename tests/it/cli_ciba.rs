//! `itsme-cli ciba` without a real provider: what is refused before anything is sent, and the
//! discovery's handling of a 429 against a stand-in provider (tiny_http) that counts the polls.
//! The full flows are tests/it/peer_ciba.rs (oidc-provider).

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use predicates::prelude::*;
use serde_json::{Value, json};

use crate::common;

/// A provider nobody listens at (port 9: discard), so that reaching the network would fail loudly.
const NOWHERE: &str = "http://127.0.0.1:9/v2";

fn ciba(args: &[&str]) -> assert_cmd::Command {
    let mut cmd = common::cli();
    cmd.arg("ciba").args(args);
    cmd
}

#[test]
fn a_client_secret_is_refused_with_the_reason_before_anything_is_sent() {
    let keys = common::vector_file("partner-private.jwks.json");
    for (args, env) in [
        (vec!["--client-secret", "s3cret-s3cret"], None),
        (
            vec!["--keys", keys.as_str()],
            Some(("ITSME_CLIENT_SECRET", "s3cret-s3cret")),
        ),
    ] {
        let mut cmd = ciba(&[
            "--issuer",
            NOWHERE,
            "--client-id",
            "me",
            "--service-code",
            "CIBA",
        ]);
        cmd.args(&args);
        if let Some((k, v)) = env {
            cmd.env(k, v);
        }
        cmd.assert()
            .code(2)
            .stderr(predicate::str::contains("only private_key_jwt"))
            .stderr(predicate::str::contains(
                "docs/itsme-facts.md#ciba-overview",
            ))
            .stderr(predicate::str::contains("s3cret").not());
    }
}

#[test]
fn what_can_be_refused_before_sending_is() {
    let keys = common::vector_file("partner-private.jwks.json");
    let base = [
        "--issuer",
        NOWHERE,
        "--client-id",
        "me",
        "--service-code",
        "CIBA",
    ];
    ciba(&base)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("no private keys given"));
    // A loopback issuer is a local sandbox, whose service code defaults to LOGIN (one rule with
    // login and validate); against itsme® there is no default.
    ciba(&["--env", "e2e", "--client-id", "me", "--keys", &keys])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("no service code given"));
    ciba(&base)
        .args([
            "--keys",
            &keys,
            "--confirm-payment",
            "12.50",
            "EUR",
            "BE68539007547034",
        ])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("Confirmation template is refused"));
    for usage in [
        vec!["--discovery-limit", "901"],
        vec!["--discovery-limit", "5"],
        vec!["--requested-expiry", "0"],
        vec!["--open-qr"],
        vec!["--approve"],
        vec!["--sub", "x", "--login-hint-token", "y"],
        vec!["--ping-listen", "not-an-address"],
        vec!["--hint-form", "jwt"],
    ] {
        ciba(&base)
            .args(&usage)
            .assert()
            .code(2)
            .stderr(predicate::str::contains("error:"));
    }
}

/// When each discovery request came, and its form body.
type Seen = Arc<Mutex<Vec<(Instant, String)>>>;

/// A stand-in itsme®: discovery document, JWK Set, and the discovery sessions, answering the first
/// poll 429 with `Retry-After: 1`, then USER_DISCOVERED; the backchannel endpoint refuses the hint
/// (`unknown_user_id`). Records when each discovery request came.
fn stand_in() -> (String, Seen) {
    let server = tiny_http::Server::http("127.0.0.1:0").unwrap();
    let issuer = format!("http://{}/v2", server.server_addr().to_ip().unwrap());
    let seen = Arc::new(Mutex::new(Vec::new()));
    let (log, base) = (Arc::clone(&seen), issuer.clone());
    std::thread::spawn(move || {
        let mut polls = 0;
        for mut request in server.incoming_requests() {
            let mut body = String::new();
            let _ = request.as_reader().read_to_string(&mut body);
            let path = request.url().to_string();
            let (status, answer) = match path.as_str() {
                "/v2/.well-known/openid-configuration" => (
                    200,
                    json!({
                        "issuer": base,
                        "authorization_endpoint": format!("{base}/authorization"),
                        "token_endpoint": format!("{base}/token"),
                        "jwks_uri": format!("{base}/jwkSet"),
                    }),
                ),
                "/v2/user_discovery_sessions" => {
                    log.lock().unwrap().push((Instant::now(), body.clone()));
                    (
                        200,
                        json!({"user_discovery_session_id": "s1", "status": "PENDING_USER_DISCOVERY", "interval": 1}),
                    )
                }
                "/v2/user_discovery_sessions/s1" => {
                    log.lock().unwrap().push((Instant::now(), body.clone()));
                    polls += 1;
                    if polls == 1 {
                        let response = tiny_http::Response::from_string("")
                            .with_status_code(429)
                            .with_header("Retry-After: 1".parse::<tiny_http::Header>().unwrap());
                        let _ = request.respond(response);
                        continue;
                    }
                    (
                        200,
                        json!({"user_discovery_session_id": "s1", "status": "USER_DISCOVERED", "user_identifier_token": "uit-1"}),
                    )
                }
                "/v2/backchannel/authentication" => (
                    400,
                    json!({"error": "unknown_user_id", "error_description": "no such user"}),
                ),
                _ => (404, json!({"error": "not_found"})),
            };
            let response = tiny_http::Response::from_string(answer.to_string())
                .with_status_code(status)
                .with_header(
                    "Content-Type: application/json"
                        .parse::<tiny_http::Header>()
                        .unwrap(),
                );
            let _ = request.respond(response);
        }
    });
    (issuer, seen)
}

#[test]
fn a_429_at_discovery_slows_every_later_poll_by_5_s_and_each_poll_has_a_fresh_assertion() {
    let (issuer, seen) = stand_in();
    let keys = common::vector_file("partner-private.jwks.json");
    let output = ciba(&[
        "--issuer",
        &issuer,
        "--client-id",
        "partner",
        "--service-code",
        "CIBA",
    ])
    .args(["--keys", &keys, "-o", "json"])
    .timeout(Duration::from_secs(60))
    .output()
    .unwrap();
    let r: Value = common::json_stdout(&output);
    assert_eq!(output.status.code(), Some(1), "{r:#}");
    assert_eq!(r["refused"]["stage"], "backchannel", "{r:#}");
    assert_eq!(r["refused"]["error"], "unknown_user_id");
    assert_eq!(r["refused"]["description"], "no such user");
    assert!(r["refused"]["meaning"].is_string(), "{r:#}");
    assert_eq!(r["requests"]["discovery"], 3, "{r:#}");
    assert_eq!(r["discovery"]["discovered"], true);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("429"), "{stderr}");
    let seen = seen.lock().unwrap();
    assert_eq!(seen.len(), 3);
    // create → 1 s (the answer's interval) → the 429 → 1 + 5 s.
    let gaps: Vec<Duration> = seen.windows(2).map(|w| w[1].0 - w[0].0).collect();
    assert!(gaps[0] >= Duration::from_millis(950), "{gaps:?}");
    assert!(gaps[1] >= Duration::from_millis(5950), "{gaps:?}");
    let assertions: Vec<String> = seen
        .iter()
        .map(|(_, body)| {
            url::form_urlencoded::parse(body.as_bytes())
                .find(|(k, _)| k == "client_assertion")
                .map(|(_, v)| v.into_owned())
                .expect("a client assertion")
        })
        .collect();
    assert_ne!(assertions[0], assertions[1]);
    assert_ne!(assertions[1], assertions[2]);
}
