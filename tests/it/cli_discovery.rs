//! `itsme-cli discovery`: the sandbox passes `--check`; a broken provider fails it with the
//! findings that name what is wrong; `--raw` prints the document exactly as served.

use crate::common;

use std::sync::Arc;

use common::{cli, json_stdout};
use itsme_cli::sandbox::{Sandbox, SandboxOptions};
use serde_json::json;

fn sandbox() -> Sandbox {
    Sandbox::start(SandboxOptions {
        port: 0,
        clients: vec![],
        approve: None,
        faults: vec![],
        ciba: Default::default(),
    })
    .unwrap()
}

/// A provider on loopback serving fixed documents, substituting `{base}` with its own address.
struct Fixture {
    base: String,
    _server: Arc<tiny_http::Server>,
}

fn fixture(routes: Vec<(&'static str, String)>) -> Fixture {
    let server = Arc::new(tiny_http::Server::http("127.0.0.1:0").unwrap());
    let base = format!("http://{}", server.server_addr().to_ip().unwrap());
    let (serving, prefix) = (Arc::clone(&server), base.clone());
    std::thread::spawn(move || {
        for request in serving.incoming_requests() {
            let body = routes
                .iter()
                .find(|(path, _)| *path == request.url())
                .map(|(_, b)| b.replace("{base}", &prefix));
            let response = match body {
                // "REDIRECT <url>" answers 302 to that address.
                Some(body) if body.starts_with("REDIRECT ") => tiny_http::Response::from_string("")
                    .with_status_code(302)
                    .with_header(
                        tiny_http::Header::from_bytes("Location", &body["REDIRECT ".len()..])
                            .unwrap(),
                    ),
                Some(body) => tiny_http::Response::from_string(body),
                None => tiny_http::Response::from_string("not found").with_status_code(404),
            };
            let _ = request.respond(response);
        }
    });
    Fixture {
        base,
        _server: server,
    }
}

#[test]
fn the_sandbox_passes_the_check() {
    let sandbox = sandbox();
    let output = cli()
        .args([
            "discovery",
            "--issuer",
            sandbox.issuer(),
            "--check",
            "-o",
            "json",
        ])
        .output()
        .unwrap();
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stdout)
    );
    let report = json_stdout(&output);
    assert_eq!(report["valid"], true);
    assert_eq!(report["findings"], json!([]));
    assert_eq!(report["metadata"]["issuer"], sandbox.issuer());
    assert_eq!(report["keys"].as_array().unwrap().len(), 2);
    cli()
        .args(["discovery", "--issuer", sandbox.issuer()])
        .assert()
        .code(0)
        .stdout(predicates::str::contains(
            "private_key_jwt, client_secret_post",
        ));
}

#[test]
fn a_broken_provider_fails_with_named_findings() {
    let metadata = json!({
        "issuer": "{base}/v2/",
        "authorization_endpoint": "{base}/v2/authorization",
        "token_endpoint": "http://idp.example/token",
        "jwks_uri": "{base}/v2/jwks",
        "response_types_supported": ["code"],
        "subject_types_supported": ["public"],
        "id_token_signing_alg_values_supported": ["RS256"],
        "token_endpoint_auth_methods_supported": ["client_secret_basic"],
        "code_challenge_methods_supported": ["plain"],
    });
    let leaky = std::fs::read_to_string(common::vector_file("partner-private.jwks.json")).unwrap();
    let provider = fixture(vec![
        ("/v2/.well-known/openid-configuration", metadata.to_string()),
        ("/v2/jwks", leaky),
    ]);
    let output = cli()
        .args([
            "discovery",
            "--issuer",
            &format!("{}/v2", provider.base),
            "--check",
            "-o",
            "json",
        ])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let report = json_stdout(&output);
    let codes: Vec<&str> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["code"].as_str().unwrap())
        .collect();
    for code in [
        "issuer_mismatch",
        "insecure_endpoint",
        "no_client_auth",
        "no_pkce_s256",
        "pkce_plain_allowed",
        "private_members_published",
    ] {
        assert!(codes.contains(&code), "{code} in {codes:?}");
    }
    assert_eq!(report["valid"], false);
}

#[test]
fn unreachable_keys_are_an_error_finding() {
    let metadata = json!({"issuer": "{base}/v2", "jwks_uri": "{base}/v2/nowhere"});
    let provider = fixture(vec![(
        "/v2/.well-known/openid-configuration",
        metadata.to_string(),
    )]);
    let output = cli()
        .args([
            "discovery",
            "--issuer",
            &format!("{}/v2", provider.base),
            "--check",
            "-o",
            "json",
        ])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let report = json_stdout(&output);
    assert!(
        report["findings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["code"] == "jwks_unreachable" && f["severity"] == "error")
    );
}

#[test]
fn raw_prints_the_document_as_served() {
    let served = "{\"issuer\":\"{base}/v2\",   \"x\":[1,2]}";
    let provider = fixture(vec![(
        "/v2/.well-known/openid-configuration",
        served.to_string(),
    )]);
    let output = cli()
        .args([
            "discovery",
            "--issuer",
            &format!("{}/v2", provider.base),
            "--raw",
        ])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0));
    assert_eq!(
        String::from_utf8(output.stdout).unwrap(),
        served.replace("{base}", &provider.base)
    );
}

#[test]
fn without_a_provider_or_with_a_dead_one_it_is_trouble() {
    cli()
        .args(["discovery"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("--env e2e|prd"));
    let closed = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap();
    cli()
        .args(["discovery", "--issuer", &format!("http://{closed}/v2")])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("could not reach"));
    let provider = fixture(vec![]);
    let output = cli()
        .args(["discovery", "--issuer", &format!("{}/v2", provider.base)])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("HTTP 404"), "{stderr}");
}

#[test]
fn redirects_are_followed_only_to_https_or_loopback_and_traced() {
    let metadata = json!({"issuer": "{base}/v2", "jwks_uri": "{base}/keys"});
    let provider = fixture(vec![
        (
            "/v2/.well-known/openid-configuration",
            "REDIRECT {base}/moved/openid-configuration".into(),
        ),
        ("/moved/openid-configuration", metadata.to_string()),
        ("/keys", "REDIRECT http://idp.example/keys".into()),
    ]);
    let output = cli()
        .args(["discovery", "-v", "-o", "json", "--issuer"])
        .arg(format!("{}/v2", provider.base))
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains(&format!("↪ 302 redirected to {}/moved/", provider.base)),
        "a loopback hop is followed and traced: {stderr}"
    );
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    let report = json_stdout(&output);
    let finding = &report["findings"][0];
    assert_eq!(finding["code"], "jwks_unreachable");
    assert!(
        finding["message"]
            .as_str()
            .unwrap()
            .contains("redirected to `http://idp.example/keys`, which is neither https nor plain http on this machine"),
        "{finding}"
    );
}

#[test]
fn a_hostile_jwks_uri_is_escaped_in_the_warning() {
    let metadata = json!({"issuer": "{base}/v2", "jwks_uri": "{base}/keys\u{1b}[31m"});
    let provider = fixture(vec![(
        "/v2/.well-known/openid-configuration",
        metadata.to_string(),
    )]);
    let output = cli()
        .args(["discovery", "--issuer"])
        .arg(format!("{}/v2", provider.base))
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("warning:"), "{stderr}");
    assert!(!stderr.contains('\u{1b}'), "{stderr:?}");
    assert!(stderr.contains("\\u{1b}[31m"), "{stderr}");
    assert_eq!(output.status.code(), Some(1), "unfetchable keys are a no");
}
