//! `itsme-cli sandbox` as a script or a person runs it: the ready line, the generated client keys,
//! refusing bad flags, a busy port, a config file, and stopping on Ctrl-C.

use crate::common;

use std::process::Command;

use common::{cli, json_stdout};
use predicates::prelude::*;
use serde_json::Value;

fn start(args: &[&str]) -> common::SandboxProcess {
    common::sandbox_process(args)
}

#[test]
fn announces_itself_in_one_json_line_and_serves_discovery() {
    let running = start(&["--approve"]);
    let issuer = running.ready["issuer"].as_str().unwrap();
    let port = running.ready["port"].as_u64().unwrap();
    assert_eq!(issuer, format!("http://127.0.0.1:{port}/v2"));
    assert_eq!(running.ready["approve"], "be-marie");
    let discovery: Value = reqwest::blocking::get(running.ready["discovery"].as_str().unwrap())
        .unwrap()
        .json()
        .unwrap();
    assert_eq!(discovery["issuer"], issuer);
    assert_eq!(
        discovery["code_challenge_methods_supported"],
        serde_json::json!(["S256"])
    );
    let client = &running.ready["clients"][0];
    assert_eq!(client["auth"], "private_key_jwt");
    let keys = client["private_keys"]
        .as_str()
        .expect("the generated client's key file");
    use std::os::unix::fs::PermissionsExt;
    assert_eq!(
        std::fs::metadata(keys).unwrap().permissions().mode() & 0o777,
        0o600
    );
    // The generated keys are usable with the rest of the tool.
    cli()
        .args(["keys", "show", keys, "-o", "json"])
        .assert()
        .code(0);
}

#[test]
fn a_client_secret_client_and_a_config_file() {
    let running = start(&[
        "--client-secret",
        "a-sandbox-secret-of-at-least-32-bytes!",
        "--client-id",
        "legacy",
    ]);
    assert_eq!(running.ready["clients"][0]["auth"], "client_secret_post");
    assert_eq!(running.ready["clients"][0]["client_id"], "legacy");
    assert!(running.ready["clients"][0]["private_keys"].is_null());

    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(
        common::vector_file("partner-public.jwks.json"),
        dir.path().join("public.jwks.json"),
    )
    .unwrap();
    let config = dir.path().join("sandbox.toml");
    std::fs::write(
        &config,
        "[[client]]\nclient_id = \"a\"\nredirect_uris = [\"http://127.0.0.1:1/cb\"]\njwks = \"public.jwks.json\"\nservices = [{ code = \"KYC\", type = \"identification\" }]\n\n\
         [[client]]\nclient_id = \"b\"\nredirect_uris = [\"http://127.0.0.1:1/cb\"]\nclient_secret = \"s\"\nservice_codes = [\"LOGIN\"]\n",
    )
    .unwrap();
    let running = start(&["--config", config.to_str().unwrap()]);
    let ids: Vec<&str> = running.ready["clients"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["client_id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["a", "b"]);
    assert_eq!(
        running.ready["clients"][0]["services"][0]["type"],
        "identification"
    );
    assert_eq!(
        running.ready["assertion_aud"], "token-endpoint",
        "itsme®'s form by default"
    );
    drop(running);

    // The file's `assertion_aud`, and a typed flag over it (issue 14, item 4).
    let text = std::fs::read_to_string(&config).unwrap();
    std::fs::write(&config, format!("assertion_aud = \"issuer\"\n{text}")).unwrap();
    let running = start(&["--config", config.to_str().unwrap()]);
    assert_eq!(running.ready["assertion_aud"], "issuer");
    drop(running);
    let running = start(&[
        "--config",
        config.to_str().unwrap(),
        "--assertion-aud",
        "either",
    ]);
    assert_eq!(running.ready["assertion_aud"], "either");
}

#[test]
fn bad_flags_are_refused_with_a_hint() {
    cli()
        .args(["sandbox", "--approve", "nobody"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("no persona `nobody`"))
        .stderr(predicate::str::contains("be-marie"));
    cli()
        .args(["sandbox", "--fault", "token"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("unknown fault"));
    let busy = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = busy.local_addr().unwrap().port().to_string();
    cli()
        .args(["sandbox", "--port", &port])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--port 0"));
    let dir = tempfile::tempdir().unwrap();
    let private = dir.path().join("leaky.json");
    std::fs::copy(common::vector_file("partner-private.jwks.json"), &private).unwrap();
    cli()
        .args(["sandbox", "--client-jwks", private.to_str().unwrap()])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("private key members"));
}

#[test]
fn ciba_flags_are_checked_before_serving() {
    cli()
        .args(["sandbox", "--ciba-delivery", "ping"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "ping delivery needs a callback URL",
        ))
        .stderr(predicate::str::contains("hint:"));
    cli()
        .args([
            "sandbox",
            "--ciba-delivery",
            "ping",
            "--ciba-callback",
            "http://partner.example/cb",
        ])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("plain http"));
    cli()
        .args(["sandbox", "--ciba-interval", "0"])
        .assert()
        .code(2);
    cli()
        .args(["sandbox", "--fault", "ciba-token:unknown_user_id"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("ciba-token answers only"));
    let running = start(&[
        "--ciba-delivery",
        "ping",
        "--ciba-callback",
        "http://127.0.0.1:9/cb",
    ]);
    let discovery: Value = reqwest::blocking::get(running.ready["discovery"].as_str().unwrap())
        .unwrap()
        .json()
        .unwrap();
    assert_eq!(
        discovery["backchannel_token_delivery_modes_supported"],
        serde_json::json!(["poll", "ping"])
    );
}

#[test]
fn lists_the_personas() {
    let output = cli()
        .args(["sandbox", "personas", "-o", "json"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0));
    let list = json_stdout(&output);
    let ids: Vec<&str> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["id"].as_str().unwrap())
        .collect();
    assert_eq!(
        ids,
        ["be-marie", "be-no-given-name", "nl-passport", "ro-national"]
    );
    cli()
        .args(["sandbox", "personas"])
        .assert()
        .code(0)
        .stdout(predicate::str::contains("nl-passport"));
}

#[test]
fn ctrl_c_stops_it_with_130() {
    let mut running = start(&[]);
    let pid = running.child.id().to_string();
    assert!(
        Command::new("kill")
            .args(["-INT", &pid])
            .status()
            .unwrap()
            .success()
    );
    let status = running.child.wait().unwrap();
    assert_eq!(status.code(), Some(130));
}

/// `--legacy` (or `legacy = true` in a config file) plays a legacy client-secret provider: the
/// csapi issuer, `/connect/…` endpoints, HS256 request objects; client-secret clients only
/// (PROTOCOL §1, §4; issue 14, item 2).
#[test]
fn legacy_plays_a_client_secret_provider_on_the_csapi_base() {
    let running = start(&[
        "--legacy",
        "--client-secret",
        "a-sandbox-secret-of-at-least-32-bytes!",
    ]);
    let issuer = running.ready["issuer"].as_str().unwrap();
    let port = running.ready["port"].as_u64().unwrap();
    assert_eq!(
        issuer,
        format!("http://127.0.0.1:{port}/clientsecret-oidc/csapi/v0.1")
    );
    let discovery: Value = reqwest::blocking::get(running.ready["discovery"].as_str().unwrap())
        .unwrap()
        .json()
        .unwrap();
    assert_eq!(discovery["issuer"], issuer);
    assert_eq!(
        discovery["authorization_endpoint"],
        format!("{issuer}/connect/authorize")
    );
    assert_eq!(
        discovery["token_endpoint"],
        format!("{issuer}/connect/token")
    );
    assert_eq!(discovery["jwks_uri"], format!("{issuer}/.well-known/jwks"));
    assert_eq!(
        discovery["request_object_signing_alg_values_supported"],
        serde_json::json!(["HS256"])
    );
    assert!(discovery["request_object_encryption_alg_values_supported"].is_null());
    let keys = reqwest::blocking::get(discovery["jwks_uri"].as_str().unwrap()).unwrap();
    assert_eq!(keys.status(), 200);

    // Without a client secret, or with a private_key_jwt client in the file: refused at once.
    let output = cli().args(["sandbox", "--legacy"]).output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("--client-secret"));
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(
        common::vector_file("partner-public.jwks.json"),
        dir.path().join("public.jwks.json"),
    )
    .unwrap();
    let config = dir.path().join("sandbox.toml");
    std::fs::write(
        &config,
        "legacy = true\n[[client]]\nclient_id = \"a\"\nredirect_uris = [\"http://127.0.0.1:1/cb\"]\njwks = \"public.jwks.json\"\nservice_codes = [\"LOGIN\"]\n",
    )
    .unwrap();
    let output = cli()
        .args(["sandbox", "--config", config.to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&output.stderr).contains("legacy client-secret provider"),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

/// Issue 17, item 14: the sandbox says which faults it injects when it starts (in words, and in
/// the ready line), and at `-v` it traces every request it answers, secrets redacted.
#[test]
fn lists_its_faults_and_traces_requests_at_v() {
    use std::io::BufRead;
    let dir = tempfile::tempdir().unwrap();
    let stderr = dir.path().join("stderr");
    let mut child = Command::new(assert_cmd::cargo::cargo_bin("itsme-cli"))
        .args(["-v", "sandbox", "-o", "json", "--port", "0"])
        .args([
            "--fault",
            "token:invalid_grant",
            "--fault",
            "plain-userinfo",
        ])
        .stdout(std::process::Stdio::piped())
        .stderr(std::fs::File::create(&stderr).unwrap())
        .spawn()
        .unwrap();
    let mut line = String::new();
    std::io::BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let ready: Value = serde_json::from_str(&line).unwrap();
    let faults = ready["faults"].as_array().unwrap();
    assert_eq!(faults.len(), 2, "{ready}");
    assert_eq!(faults[0]["fault"], "token:invalid_grant");
    assert!(
        faults[0]["effect"]
            .as_str()
            .unwrap()
            .contains("next token request is refused with `invalid_grant`")
    );
    let issuer = ready["issuer"].as_str().unwrap();
    reqwest::blocking::get(format!("{issuer}/.well-known/openid-configuration")).unwrap();
    reqwest::blocking::get(format!(
        "{issuer}/authorization?client_id=x&code=not-for-your-eyes"
    ))
    .unwrap();
    let mut trace = String::new();
    for _ in 0..50 {
        trace = std::fs::read_to_string(&stderr).unwrap();
        if trace.contains("/v2/authorization") {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    let _ = child.kill();
    let _ = child.wait();
    if let Some(keys) = ready["clients"][0]["private_keys"].as_str() {
        let _ = std::fs::remove_dir_all(std::path::Path::new(keys).parent().unwrap());
    }
    assert!(
        trace.contains("sandbox ← GET /v2/.well-known/openid-configuration → answered 200"),
        "{trace}"
    );
    assert!(
        trace.contains("sandbox ← GET /v2/authorization?client_id=x&code=(redacted"),
        "{trace}"
    );
    assert!(!trace.contains("not-for-your-eyes"), "{trace}");
}

/// The human announcement names the faults too.
#[test]
fn the_human_announcement_names_the_faults() {
    use std::io::Read;
    let mut child = Command::new(assert_cmd::cargo::cargo_bin("itsme-cli"))
        .args(["sandbox", "--port", "0", "--fault", "slow-userinfo:2"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let mut stdout = child.stdout.take().unwrap();
    let mut text = String::new();
    let mut buffer = [0u8; 4096];
    while !text.contains("Press Ctrl-C") {
        let n = stdout.read(&mut buffer).unwrap();
        if n == 0 {
            break;
        }
        text.push_str(&String::from_utf8_lossy(&buffer[..n]));
    }
    let _ = child.kill();
    let _ = child.wait();
    if let Some(line) = text.lines().find(|l| l.trim_start().starts_with("keys ")) {
        let path = line.split_whitespace().nth(1).unwrap();
        let _ = std::fs::remove_dir_all(std::path::Path::new(path).parent().unwrap());
    }
    assert!(
        text.contains("fault      slow-userinfo:2: every userinfo answer waits 2 s"),
        "{text}"
    );
    assert!(text.contains("-v traces every request"), "{text}");
}
