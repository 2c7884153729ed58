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
