//! Profiles: `config init` writes a file the other commands read; flags and `ITSME_*` win over it;
//! secrets are never read from it.

use crate::common;

use common::{cli, json_stdout};
use predicates::prelude::*;
use serde_json::Value;

fn source_of(report: &Value, name: &str) -> (Option<String>, String) {
    let s = report["settings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["name"] == name)
        .unwrap();
    (
        s["value"].as_str().map(str::to_string),
        s["source"].as_str().unwrap().to_string(),
    )
}

#[test]
fn init_writes_a_profile_that_show_resolves_with_sources() {
    let dir = tempfile::tempdir().unwrap();
    let init = [
        "config",
        "init",
        "--name",
        "e2e",
        "--env",
        "e2e",
        "--client-id",
        "from-profile",
        "--service-code",
        "LOGIN",
        "--redirect-uri",
        "https://app.example/cb",
    ];
    cli().current_dir(dir.path()).args(init).assert().code(0);
    cli()
        .current_dir(dir.path())
        .args(init)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--force"));
    let output = cli()
        .current_dir(dir.path())
        .args(["config", "show", "-o", "json"])
        .output()
        .unwrap();
    let report = json_stdout(&output);
    assert_eq!(report["profile"]["name"], "e2e");
    assert_eq!(
        source_of(&report, "client_id"),
        (Some("from-profile".into()), "profile".into())
    );
    assert_eq!(
        source_of(&report, "env"),
        (Some("e2e".into()), "profile".into())
    );
    let output = cli()
        .current_dir(dir.path())
        .args(["config", "show", "-o", "json"])
        .env("ITSME_CLIENT_ID", "from-env")
        .env("ITSME_CLIENT_SECRET", "hunter2-hunter2")
        .output()
        .unwrap();
    let report = json_stdout(&output);
    assert_eq!(
        source_of(&report, "client_id"),
        (Some("from-env".into()), "env:ITSME_CLIENT_ID".into())
    );
    assert_eq!(
        source_of(&report, "client_secret").0.as_deref(),
        Some("(redacted)")
    );
    assert!(!String::from_utf8_lossy(&output.stdout).contains("hunter2"));
}

#[test]
fn commands_take_settings_from_the_profile_and_flags_win() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("itsme.toml"),
        "default_profile = \"p\"\n[profiles.p]\nclient_id = \"from-profile\"\nservice_code = \"LOGIN\"\nredirect_uri = \"https://app.example/cb\"\n",
    )
    .unwrap();
    let checks = |extra: &[&str]| {
        let output = cli()
            .current_dir(dir.path())
            .args(["validate", "--offline", "-o", "json"])
            .args(extra)
            .env("ITSME_CLIENT_SECRET", "s")
            .output()
            .unwrap();
        json_stdout(&output)["checks"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["id"] == "client_id")
            .unwrap()["message"]
            .as_str()
            .unwrap()
            .to_string()
    };
    assert!(checks(&[]).contains("from-profile"));
    assert!(checks(&["--client-id", "from-flag"]).contains("from-flag"));
    cli()
        .current_dir(dir.path())
        .args(["--profile", "nope", "config", "show"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("no profile `nope`"))
        .stderr(predicate::str::contains("known profiles: p"));
}

#[test]
fn a_login_runs_from_a_profile_alone() {
    let dir = tempfile::tempdir().unwrap();
    let redirect = {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        format!("http://127.0.0.1:{port}/callback")
    };
    let provider = common::sandbox_process(&[
        "--client-jwks",
        &common::vector_file("partner-public.jwks.json"),
        "--client-id",
        "partner",
        "--redirect-uri",
        &redirect,
    ]);
    std::fs::copy(
        common::vector_file("partner-private.jwks.json"),
        dir.path().join("private.jwks.json"),
    )
    .unwrap();
    std::fs::write(
        dir.path().join("itsme.toml"),
        format!("[profiles.local]\nissuer = \"{}\"\nclient_id = \"partner\"\nredirect_uri = \"{redirect}\"\nkeys = [\"private.jwks.json\"]\nscopes = [\"profile\"]\n", provider.issuer),
    )
    .unwrap();
    let browser = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/browser/browser.sh");
    let output = cli()
        .current_dir(dir.path())
        .args([
            "--profile",
            "local",
            "login",
            "-o",
            "json",
            "--timeout",
            "30",
        ])
        .env("BROWSER", browser)
        .env_remove("DISPLAY")
        .env_remove("WAYLAND_DISPLAY")
        .output()
        .unwrap();
    let report = json_stdout(&output);
    assert_eq!(output.status.code(), Some(0), "{report:#}");
    assert_eq!(report["client_id"], "partner");
    assert_eq!(
        report["userinfo"]["claims"]["family_name"], "Dupont",
        "the profile's scopes were used"
    );
}

#[test]
fn secrets_in_the_config_file_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("itsme.toml"),
        "default_profile = \"p\"\n[profiles.p]\nclient_secret = \"oops\"\n",
    )
    .unwrap();
    cli()
        .current_dir(dir.path())
        .args(["config", "show"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("never read from the config file"));
}
