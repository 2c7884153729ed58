//! `itsme-cli validate`: the offline rules, then the online checks against a sandbox process (as
//! the provider) and a local host serving the partner's JWK Set.

use crate::common;

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;

use common::{cli, json_stdout};
use serde_json::Value;

/// A private copy (mode 0600) of a vector key file.
fn private_copy(dir: &std::path::Path, name: &str, mode: u32) -> PathBuf {
    use std::os::unix::fs::PermissionsExt;
    let path = dir.join(name);
    std::fs::copy(common::vector_file(name), &path).unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(mode)).unwrap();
    path
}

/// Runs validate and returns (exit code, status by check id — the worst when a check repeats).
fn validate(args: &[&str]) -> (i32, HashMap<String, String>, Value) {
    let output = cli()
        .arg("validate")
        .args(args)
        .args(["-o", "json"])
        .output()
        .unwrap();
    let report = json_stdout(&output);
    let rank = |s: &str| {
        ["skip", "pass", "warn", "fail"]
            .iter()
            .position(|x| *x == s)
            .unwrap_or(0)
    };
    let mut statuses: HashMap<String, String> = HashMap::new();
    for check in report["checks"].as_array().unwrap() {
        let (id, status) = (
            check["id"].as_str().unwrap().to_string(),
            check["status"].as_str().unwrap().to_string(),
        );
        let keep = statuses
            .get(&id)
            .is_none_or(|old| rank(&status) > rank(old));
        if keep {
            statuses.insert(id, status);
        }
    }
    (output.status.code().unwrap(), statuses, report)
}

/// Serves a JWK Set on loopback with the given Cache-Control (or none).
fn jwks_host(
    body: String,
    cache_control: Option<&'static str>,
) -> (String, Arc<tiny_http::Server>) {
    jwks_host_after(body, cache_control, std::time::Duration::ZERO)
}

/// The same, answering only after `delay`.
fn jwks_host_after(
    body: String,
    cache_control: Option<&'static str>,
    delay: std::time::Duration,
) -> (String, Arc<tiny_http::Server>) {
    let server = Arc::new(tiny_http::Server::http("127.0.0.1:0").unwrap());
    let url = format!("http://{}/jwks.json", server.server_addr().to_ip().unwrap());
    let serving = Arc::clone(&server);
    std::thread::spawn(move || {
        for request in serving.incoming_requests() {
            std::thread::sleep(delay);
            let mut response = tiny_http::Response::from_string(body.clone());
            if let Some(value) = cache_control {
                response.add_header(
                    tiny_http::Header::from_bytes(&b"Cache-Control"[..], value.as_bytes()).unwrap(),
                );
            }
            let _ = request.respond(response);
        }
    });
    (url, server)
}

#[test]
fn offline_rules() {
    let dir = tempfile::tempdir().unwrap();
    let keys = private_copy(dir.path(), "partner-private.jwks.json", 0o600);
    let k = keys.to_str().unwrap();
    let (code, s, _) = validate(&[
        "--offline",
        "--client-id",
        "partner",
        "--service-code",
        "LOGIN",
        "--redirect-uri",
        "https://app.example/cb",
        "--keys",
        k,
    ]);
    assert_eq!(code, 0, "{s:?}");
    for id in [
        "client_id",
        "service_code",
        "redirect_uri",
        "keys_private",
        "keys_permissions",
    ] {
        assert_eq!(s[id], "pass", "{id}");
    }
    for id in [
        "discovery",
        "jwks_hosting",
        "credentials_probe",
        "tls_certificate_class",
        "clock",
    ] {
        assert_eq!(s[id], "skip", "{id}");
    }
    let readable = private_copy(dir.path(), "other-private.jwks.json", 0o644);
    for (redirect, expected) in [
        ("myapp://callback", "fail"),
        ("https://app.example/cb#x", "fail"),
        ("http://app.example/cb", "fail"),
        ("http://127.0.0.1:8765/cb", "warn"),
    ] {
        let (_, s, _) = validate(&[
            "--offline",
            "--client-id",
            "partner",
            "--service-code",
            "LOGIN",
            "--redirect-uri",
            redirect,
            "--keys",
            k,
        ]);
        assert_eq!(s["redirect_uri"], expected, "{redirect}");
    }
    let (code, s, _) = validate(&[
        "--offline",
        "--client-id",
        "par tner",
        "--redirect-uri",
        "https://app.example/cb",
        "--keys",
        readable.to_str().unwrap(),
    ]);
    assert_eq!(code, 1);
    assert_eq!(s["client_id"], "fail");
    assert_eq!(s["service_code"], "fail");
    assert_eq!(s["keys_permissions"], "fail");
    // other-private.jwks.json has an enc and a sig key: only the permissions are wrong with it.
    assert_eq!(s["keys_private"], "pass");
}

#[test]
fn online_against_the_sandbox_and_a_local_jwks_host() {
    let dir = tempfile::tempdir().unwrap();
    let keys = private_copy(dir.path(), "partner-private.jwks.json", 0o600);
    let public = std::fs::read_to_string(common::vector_file("partner-public.jwks.json")).unwrap();
    let provider = common::sandbox_process(&[
        "--client-jwks",
        &common::vector_file("partner-public.jwks.json"),
        "--client-id",
        "partner",
        "--redirect-uri",
        "http://127.0.0.1:8765/cb",
    ]);
    let (jwks, _host) = jwks_host(public, Some("public, max-age=3600"));
    let base = [
        "--issuer",
        provider.issuer.as_str(),
        "--client-id",
        "partner",
        "--service-code",
        "LOGIN",
        "--redirect-uri",
        "http://127.0.0.1:8765/cb",
    ];
    let mut args: Vec<&str> = base.to_vec();
    args.extend(["--keys", keys.to_str().unwrap(), "--jwks-uri", &jwks]);
    let (code, s, report) = validate(&args);
    assert_eq!(code, 0, "{report:#}");
    for id in [
        "discovery",
        "jwks_hosting",
        "jwks_private_members",
        "jwks_matches_keys",
        "jwks_cache_control",
        "credentials_probe",
        "redirect_uri_registered",
        "clock",
    ] {
        assert_eq!(s[id], "pass", "{id}: {report:#}");
    }
    assert_eq!(
        s["tls_certificate_class"], "skip",
        "plain http on loopback has no certificate"
    );
    let probe = report["checks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == "credentials_probe")
        .unwrap();
    assert!(
        probe["message"]
            .as_str()
            .unwrap()
            .contains("sent one token request")
    );

    // The wrong keys: not published, and the provider refuses the assertion.
    let other = private_copy(dir.path(), "other-private.jwks.json", 0o600);
    let mut args: Vec<&str> = base.to_vec();
    args.extend(["--keys", other.to_str().unwrap(), "--jwks-uri", &jwks]);
    let (code, s, _) = validate(&args);
    assert_eq!(code, 1);
    assert_eq!(s["jwks_matches_keys"], "fail");
    assert_eq!(s["credentials_probe"], "fail");

    // A JWK Set that leaks private members and has no Cache-Control.
    let leaky = std::fs::read_to_string(common::vector_file("partner-private.jwks.json")).unwrap();
    let (leaky_url, _leaky_host) = jwks_host(leaky, None);
    let mut args: Vec<&str> = base.to_vec();
    args.extend(["--keys", keys.to_str().unwrap(), "--jwks-uri", &leaky_url]);
    let (code, s, _) = validate(&args);
    assert_eq!(code, 1);
    assert_eq!(s["jwks_private_members"], "fail");
    assert_eq!(s["jwks_cache_control"], "warn");

    // A JWK Set that answers, but slower than itsme® expects (1 000 ms).
    let public = std::fs::read_to_string(common::vector_file("partner-public.jwks.json")).unwrap();
    let (slow_url, _slow_host) = jwks_host_after(
        public,
        Some("max-age=3600"),
        std::time::Duration::from_millis(1100),
    );
    let mut args: Vec<&str> = base.to_vec();
    args.extend(["--keys", keys.to_str().unwrap(), "--jwks-uri", &slow_url]);
    let (_, s, _) = validate(&args);
    assert_eq!(s["jwks_hosting"], "warn");
    assert_eq!(s["jwks_matches_keys"], "pass");
}

/// The checks named `id`, in order.
fn checks_named(report: &Value, id: &str) -> Vec<Value> {
    report["checks"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["id"] == id)
        .cloned()
        .collect()
}

/// `redirect_uri` passed a redirect URI the provider does not know (a trailing slash), and the
/// login was then refused. `redirect_uri_registered` asks the provider, with the login's own
/// authorization request (request object included), and reads its answer without following it:
/// the sandbox, like itsme®, shows an unknown redirect URI its error page and never redirects
/// there. Issue 17, item 3.
#[test]
fn a_redirect_uri_the_provider_does_not_know_fails_and_the_registered_one_passes() {
    let dir = tempfile::tempdir().unwrap();
    let keys = private_copy(dir.path(), "partner-private.jwks.json", 0o600);
    let registered = "http://127.0.0.1:8765/callback";
    let slash = "http://127.0.0.1:8765/callback/";
    let partner = common::vector_file("partner-public.jwks.json");
    for approve in [false, true] {
        let mut sandbox_args = vec![
            "--client-jwks",
            &partner,
            "--client-id",
            "partner",
            "--redirect-uri",
            registered,
        ];
        if approve {
            // Approving at once: the provider redirects to a redirect URI it knows.
            sandbox_args.push("--approve");
        }
        let provider = common::sandbox_process(&sandbox_args);
        let (code, _, report) = validate(&[
            "--issuer",
            &provider.issuer,
            "--client-id",
            "partner",
            "--service-code",
            "LOGIN",
            "--redirect-uri",
            registered,
            "--redirect-uri",
            slash,
            "--keys",
            keys.to_str().unwrap(),
        ]);
        assert_eq!(code, 1, "{report:#}");
        let probes = checks_named(&report, "redirect_uri_registered");
        assert_eq!(probes.len(), 2, "{report:#}");
        assert_eq!(probes[0]["status"], "pass", "{approve}: {:#}", probes[0]);
        assert_eq!(probes[1]["status"], "fail", "{approve}: {:#}", probes[1]);
        let message = probes[1]["message"].as_str().unwrap();
        assert!(
            message.contains(slash) && message.contains("invalid_redirect_uri"),
            "{message}"
        );
        assert!(
            probes[1]["hint"]
                .as_str()
                .unwrap()
                .contains("byte for byte")
        );
        // The offline check says plainly that it did not ask the provider.
        let offline = checks_named(&report, "redirect_uri");
        assert!(
            offline[1]["message"]
                .as_str()
                .unwrap()
                .contains("not checked against the provider"),
            "{:#}",
            offline[1]
        );
    }

    // Without a client_id there is nothing to ask: skipped, saying so.
    let (_, _, report) = validate(&[
        "--issuer",
        "http://127.0.0.1:9/v2",
        "--redirect-uri",
        registered,
    ]);
    let skipped = &checks_named(&report, "redirect_uri_registered")[0];
    assert_eq!(skipped["status"], "skip");
    assert_eq!(
        skipped["message"],
        "not checked against the provider: no client_id given"
    );
}

/// A provider that does not answer is trouble (exit 2, README "Exit codes"), not a broken setup
/// (exit 1): a CI gate must not report "setup broken" for a network blip. The checklist is still
/// printed, naming the check that could not be run (status `error`). Until issue 17, item 5,
/// this exited 1 with `discovery` failed.
#[test]
fn an_unreachable_provider_is_trouble_not_a_failed_check() {
    let closed = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap();
    let issuer = format!("http://{closed}/v2");
    let output = cli()
        .args(["validate", "--issuer", &issuer, "--client-id", "x"])
        .args([
            "--service-code",
            "LOGIN",
            "--redirect-uri",
            "https://app.example/cb",
        ])
        .args(["-o", "json"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let report: Value = serde_json::from_slice(&output.stdout).expect("the checklist on stdout");
    assert_eq!(report["valid"], false);
    let check = |id: &str| {
        report["checks"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["id"] == id)
            .unwrap_or_else(|| panic!("{id} is named: {report:#}"))
            .clone()
    };
    assert_eq!(check("discovery")["status"], "error");
    assert!(
        check("discovery")["message"]
            .as_str()
            .unwrap()
            .contains("could not be reached")
    );
    assert_eq!(check("credentials_probe")["status"], "skip");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("not fully checked") && stderr.contains("`discovery`"),
        "{stderr}"
    );

    // An issuer that answers, but with no discovery document, is a failed check (exit 1).
    let server = tiny_http::Server::http("127.0.0.1:0").unwrap();
    let issuer = format!("http://{}/v2", server.server_addr().to_ip().unwrap());
    std::thread::spawn(move || {
        for request in server.incoming_requests() {
            let _ = request.respond(tiny_http::Response::empty(404));
        }
    });
    let (code, s, _) = validate(&[
        "--issuer",
        &issuer,
        "--client-id",
        "x",
        "--service-code",
        "LOGIN",
        "--redirect-uri",
        "https://app.example/cb",
    ]);
    assert_eq!(code, 1);
    assert_eq!(s["discovery"], "fail");
}

#[test]
fn a_secret_typed_on_the_command_line_is_warned_about_but_not_from_the_environment() {
    let args = [
        "validate",
        "--offline",
        "--client-id",
        "my-partner-code",
        "--service-code",
        "LOGIN",
        "--redirect-uri",
        "https://app.example/callback",
    ];
    let secret = "a-client-secret-of-at-least-32-bytes!";
    common::cli()
        .args(args)
        .args(["--client-secret", secret])
        .assert()
        .stderr(predicates::str::contains("lands in your shell history"));
    common::cli()
        .args(args)
        .env("ITSME_CLIENT_SECRET", secret)
        .assert()
        .stderr(predicates::prelude::PredicateBooleanExt::not(
            predicates::str::contains("shell history"),
        ));
}

/// A refused probe carries the provider's own explanation, as `login` shows it (issue 17, item 4),
/// and a skipped one says what is really missing (item 5).
#[test]
fn the_probe_shows_what_the_provider_said_and_what_is_missing() {
    let provider = common::sandbox_process(&[
        "--client-jwks",
        &common::vector_file("partner-public.jwks.json"),
        "--client-id",
        "partner",
        "--redirect-uri",
        "https://app.example/cb",
    ]);
    let dir = tempfile::tempdir().unwrap();
    let keys = private_copy(dir.path(), "partner-private.jwks.json", 0o600);
    let probe = |client_id: Option<&str>| {
        let mut args = vec![
            "--issuer",
            provider.issuer.as_str(),
            "--service-code",
            "LOGIN",
            "--redirect-uri",
            "https://app.example/cb",
            "--keys",
            keys.to_str().unwrap(),
        ];
        if let Some(id) = client_id {
            args.extend(["--client-id", id]);
        }
        let (_, _, report) = validate(&args);
        report["checks"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["id"] == "credentials_probe")
            .unwrap()["message"]
            .as_str()
            .unwrap()
            .to_string()
    };
    let refused = probe(Some("nobody"));
    assert!(
        refused.contains("(`invalid_client`); the provider said: no client `nobody`"),
        "{refused}"
    );
    assert_eq!(probe(None), "no client_id given");
}

/// `assertion_aud` against the sandbox in each of its modes: the probe is sent with both forms of
/// the client assertion's `aud` and the check says which the provider accepts (issue 14, item 4).
#[test]
fn the_assertion_aud_probe_finds_the_form_each_sandbox_mode_accepts() {
    let dir = tempfile::tempdir().unwrap();
    let keys = private_copy(dir.path(), "partner-private.jwks.json", 0o600);
    let check_of = |report: &Value, id: &str| -> Value {
        report["checks"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["id"] == id)
            .unwrap()
            .clone()
    };
    for (mode, sent, probe, aud, says) in [
        (
            "token-endpoint",
            "token-endpoint",
            "pass",
            "pass",
            "refuses",
        ),
        ("either", "token-endpoint", "pass", "pass", "both forms"),
        (
            "issuer",
            "token-endpoint",
            "fail",
            "fail",
            "--assertion-aud issuer",
        ),
        ("issuer", "issuer", "pass", "pass", "refuses"),
        (
            "token-endpoint",
            "issuer",
            "fail",
            "fail",
            "--assertion-aud token-endpoint",
        ),
    ] {
        let provider = common::sandbox_process(&[
            "--client-jwks",
            &common::vector_file("partner-public.jwks.json"),
            "--client-id",
            "partner",
            "--redirect-uri",
            "https://app.example/cb",
            "--assertion-aud",
            mode,
        ]);
        assert_eq!(provider.ready["assertion_aud"], mode);
        let (_, s, report) = validate(&[
            "--issuer",
            provider.issuer.as_str(),
            "--client-id",
            "partner",
            "--service-code",
            "LOGIN",
            "--redirect-uri",
            "https://app.example/cb",
            "--keys",
            keys.to_str().unwrap(),
            "--assertion-aud",
            sent,
        ]);
        let case = format!("sandbox {mode}, sent {sent}");
        assert_eq!(s["credentials_probe"], probe, "{case}: {report:#}");
        assert_eq!(s["assertion_aud"], aud, "{case}: {report:#}");
        let check = check_of(&report, "assertion_aud");
        let text = format!("{} {}", check["message"], check["hint"]);
        assert!(text.contains(says), "{case}: {text}");
        if probe == "fail" {
            // The refused probe carries the sandbox's refusal, which names both forms.
            let refused = check_of(&report, "credentials_probe")["message"].to_string();
            assert!(
                refused.contains("RFC 10070") && refused.contains("/token"),
                "{case}: {refused}"
            );
        }
    }
}

/// Issue 17, item 13: docs/json-output.md promises that the list always names every check. An
/// unreadable `--keys` file used to drop `keys_permissions`; now it is skipped with the reason.
#[test]
fn every_check_is_named_even_when_the_key_file_cannot_be_read() {
    for online in [false, true] {
        let mut args = vec![
            "--keys",
            "nope.json",
            "--client-id",
            "partner",
            "--service-code",
            "LOGIN",
            "--redirect-uri",
            "https://app.example/cb",
            // Nothing listens on port 9: the online checks run and fail or skip, fast.
            "--issuer",
            "http://127.0.0.1:9/v2",
        ];
        if !online {
            args.push("--offline");
        }
        let (_, statuses, report) = validate(&args);
        for id in itsme_cli::audit::CheckId::ALL {
            assert!(
                statuses.contains_key(id.as_str()),
                "online={online}: `{id}` is missing: {report}"
            );
        }
        let permissions = report["checks"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["id"] == "keys_permissions")
            .unwrap();
        assert_eq!(permissions["status"], "skip");
        assert!(
            permissions["message"]
                .as_str()
                .unwrap()
                .contains("could not be read")
        );
    }
}
