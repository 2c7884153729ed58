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

/// The check `id` of `validate --offline -o json ARGS`, run in `dir` with a client secret.
fn offline_check(dir: &std::path::Path, args: &[&str], id: &str) -> Value {
    let output = cli()
        .current_dir(dir)
        .args(["validate", "--offline", "-o", "json"])
        .args(args)
        .env("ITSME_CLIENT_SECRET", "s")
        .output()
        .unwrap();
    json_stdout(&output)["checks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == id)
        .unwrap()
        .clone()
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
        offline_check(dir.path(), extra, "client_id")["message"]
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

/// The provider is one setting: a typed `--issuer` beats `ITSME_ENV` (it used to be refused as
/// "cannot be used with --env", a flag nobody typed).
#[test]
fn a_typed_issuer_beats_itsme_env() {
    let provider = common::sandbox_process(&[]);
    let output = cli()
        .args(["discovery", "--issuer", &provider.issuer, "-o", "json"])
        .env("ITSME_ENV", "e2e")
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    assert_eq!(json_stdout(&output)["issuer"], provider.issuer.as_str());
}

/// The decoder's expected issuer follows the same rule: a typed flag beats the environment.
#[test]
fn decode_token_takes_the_typed_provider_over_the_environment() {
    cli()
        .arg("decode-token")
        .arg(common::vector("id_token_nested")["token"].as_str().unwrap())
        .args(common::default_flags())
        .env("ITSME_ENV", "prd")
        .env("ITSME_ISSUER", "https://elsewhere.example/v2")
        .assert()
        .code(0);
}

#[test]
fn both_provider_variables_disagreeing_is_one_error_naming_them() {
    let output = cli()
        .args(["discovery"])
        .env("ITSME_ENV", "e2e")
        .env("ITSME_ISSUER", "http://127.0.0.1:9/v2")
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("`ITSME_ENV`") && stderr.contains("`ITSME_ISSUER`"),
        "{stderr}"
    );
    let error_line = stderr.lines().next().unwrap_or_default();
    assert!(
        !error_line.contains("--"),
        "no flag was typed, none is blamed: {stderr}"
    );
    assert!(stderr.contains("hint:"), "{stderr}");
}

#[test]
fn both_provider_flags_typed_is_a_usage_error_naming_them() {
    cli()
        .args([
            "discovery",
            "--env",
            "e2e",
            "--issuer",
            "http://127.0.0.1:9/v2",
        ])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--env").and(predicate::str::contains("--issuer")));
}

/// `config show` shows what the commands use: the environment's issuer replaces the profile's
/// environment as a whole, and each value says where it came from.
#[test]
fn config_show_resolves_the_provider_as_one_setting() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("itsme.toml"),
        "default_profile = \"p\"\n[profiles.p]\nenv = \"e2e\"\nclient_id = \"from-profile\"\n",
    )
    .unwrap();
    let show = |vars: &[(&str, &str)]| {
        let mut cmd = cli();
        cmd.current_dir(dir.path())
            .args(["config", "show", "-o", "json"]);
        for (k, v) in vars {
            cmd.env(k, v);
        }
        json_stdout(&cmd.output().unwrap())
    };
    let report = show(&[]);
    assert_eq!(
        source_of(&report, "env"),
        (Some("e2e".into()), "profile".into())
    );
    assert_eq!(source_of(&report, "issuer"), (None, "unset".into()));
    let report = show(&[("ITSME_ISSUER", "http://127.0.0.1:9/v2")]);
    assert_eq!(
        source_of(&report, "issuer"),
        (
            Some("http://127.0.0.1:9/v2".into()),
            "env:ITSME_ISSUER".into()
        )
    );
    assert_eq!(source_of(&report, "env"), (None, "unset".into()));
    assert_eq!(
        source_of(&report, "client_id"),
        (Some("from-profile".into()), "profile".into())
    );
}

/// A config file the TOML parser refuses: its report (excerpt and caret) prints as the lines it is,
/// not as one line of literal `\n`.
#[test]
fn a_config_file_error_prints_the_parsers_report_as_lines() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("itsme.toml"),
        "[profiles.p]\nclientid = \"x\"\n",
    )
    .unwrap();
    let output = cli()
        .current_dir(dir.path())
        .args(["--profile", "p", "config", "show"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!stderr.contains("\\n"), "{stderr}");
    assert!(
        stderr
            .lines()
            .any(|l| l.trim_start().starts_with("2 | clientid = \"x\"")),
        "{stderr}"
    );
    assert!(stderr.lines().any(|l| l.trim() == "| ^^^^^^^^"), "{stderr}");
}

/// `config show` shows every setting a command uses, `login`'s scopes and claims included
/// (issue 17, item 12).
#[test]
fn config_show_includes_the_login_scopes_and_claims() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("itsme.toml"),
        "default_profile = \"p\"\n[profiles.p]\nscopes = [\"profile\", \"eid\"]\nclaims = [\"BENationalNumber\"]\n",
    )
    .unwrap();
    let output = cli()
        .current_dir(dir.path())
        .args(["config", "show", "-o", "json"])
        .output()
        .unwrap();
    let report = json_stdout(&output);
    assert_eq!(
        source_of(&report, "scopes"),
        (Some("profile, eid".into()), "profile".into())
    );
    assert_eq!(
        source_of(&report, "claims"),
        (Some("BENationalNumber".into()), "profile".into())
    );
}

/// `config init` on an existing file adds the profile, keeping the file's comments and other
/// profiles; the same name is refused, and `--force` replaces that profile only (issue 17,
/// item 12: it refused any existing file, and `--force` rewrote it with the new profile alone).
#[test]
fn init_adds_a_profile_to_an_existing_file_and_force_replaces_only_that_one() {
    let dir = tempfile::tempdir().unwrap();
    let init = |args: &[&str]| {
        cli()
            .current_dir(dir.path())
            .args(["config", "init"])
            .args(args)
            .output()
            .unwrap()
    };
    let first = init(&[
        "--name",
        "e2e",
        "--env",
        "e2e",
        "--client-id",
        "test-client",
    ]);
    assert_eq!(first.status.code(), Some(0), "{first:?}");
    let path = dir.path().join("itsme.toml");
    let by_hand = format!(
        "{}# kept: a note by hand\n",
        std::fs::read_to_string(&path).unwrap()
    );
    std::fs::write(&path, &by_hand).unwrap();
    let second = init(&[
        "--name",
        "prd",
        "--env",
        "prd",
        "--client-id",
        "prod-client",
    ]);
    assert_eq!(second.status.code(), Some(0), "{second:?}");
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(
        text.starts_with(&by_hand),
        "the file is kept as it was:\n{text}"
    );
    assert!(
        text.ends_with('\n'),
        "a text file ends with a newline:\n{text}"
    );
    let show = |profile: &str| {
        let output = cli()
            .current_dir(dir.path())
            .args(["--profile", profile, "config", "show", "-o", "json"])
            .output()
            .unwrap();
        json_stdout(&output)
    };
    assert_eq!(
        source_of(&show("e2e"), "client_id").0.as_deref(),
        Some("test-client")
    );
    assert_eq!(
        source_of(&show("prd"), "client_id").0.as_deref(),
        Some("prod-client")
    );
    assert_eq!(show("e2e")["profile"]["name"], "e2e");
    let again = init(&["--name", "prd", "--env", "prd", "--client-id", "other"]);
    assert_eq!(again.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&again.stderr);
    assert!(
        stderr.contains("already has a profile `prd`") && stderr.contains("--force"),
        "{stderr}"
    );
    let forced = init(&[
        "--name",
        "prd",
        "--env",
        "prd",
        "--client-id",
        "other",
        "--force",
    ]);
    assert_eq!(forced.status.code(), Some(0), "{forced:?}");
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains("# kept: a note by hand"), "{text}");
    assert_eq!(
        source_of(&show("prd"), "client_id").0.as_deref(),
        Some("other")
    );
    assert_eq!(
        source_of(&show("e2e"), "client_id").0.as_deref(),
        Some("test-client")
    );
}

/// The service code's default is one rule (`itsme::default_service_code`), shown in the same words
/// by `login --help`, `validate --help`, `validate`, `login` and `config show`: none against
/// itsme®, which gives each partner its own codes, `LOGIN` against a local sandbox (issue 17,
/// item 9: `login --help` said `[default: LOGIN]`, validate failed, config show said unset).
#[test]
fn the_service_code_default_is_one_rule_shown_the_same_way_everywhere() {
    let rule = itsme_cli::itsme::service_code_default_text();
    let unfolded = |output: std::process::Output| {
        String::from_utf8_lossy(&output.stdout)
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
            + " "
            + &String::from_utf8_lossy(&output.stderr)
    };
    for command in ["login", "validate"] {
        let help = unfolded(cli().args([command, "--help"]).output().unwrap());
        assert!(
            help.contains(&format!("[default: {rule}]")),
            "{command}: {help}"
        );
        assert!(!help.contains("[default: LOGIN]"), "{command}: {help}");
    }
    let here = std::path::Path::new(".");
    let offline = |provider: &[&str]| {
        let mut args = vec![
            "--client-id",
            "c",
            "--redirect-uri",
            "https://app.example/cb",
        ];
        args.extend(provider);
        offline_check(here, &args, "service_code")
    };
    let itsme = offline(&["--env", "e2e"]);
    assert_eq!(itsme["status"], "fail");
    assert!(itsme["hint"].as_str().unwrap().contains(&rule), "{itsme}");
    let sandbox = offline(&["--issuer", "http://127.0.0.1:9/v2"]);
    assert_eq!(sandbox["status"], "pass", "{sandbox}");
    assert!(sandbox["message"].as_str().unwrap().contains("`LOGIN`"));
    // login stops before anything is sent (it went to the provider with `service:LOGIN`).
    let output = cli()
        .args(["login", "--env", "e2e", "--client-id", "c"])
        .args(["--redirect-uri", "https://app.example/cb"])
        .env("ITSME_CLIENT_SECRET", "s")
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("no service code given") && stderr.contains(&rule),
        "{stderr}"
    );
    assert!(!stderr.contains("could not reach"), "{stderr}");
    let show = |vars: &[(&str, &str)]| {
        let mut cmd = cli();
        cmd.args(["config", "show", "-o", "json"]);
        for (k, v) in vars {
            cmd.env(k, v);
        }
        json_stdout(&cmd.output().unwrap())
    };
    assert_eq!(
        source_of(&show(&[("ITSME_ENV", "e2e")]), "service_code"),
        (None, format!("unset (default: {rule})"))
    );
    assert_eq!(
        source_of(
            &show(&[("ITSME_ISSUER", "http://127.0.0.1:9/v2")]),
            "service_code"
        ),
        (Some("LOGIN".into()), "default".into())
    );
}

#[test]
fn uat_is_written_and_read_as_uat() {
    // `config init --env uat` used to write `env = "e2e"`: every environment but prd became e2e.
    let dir = tempfile::tempdir().unwrap();
    cli()
        .current_dir(dir.path())
        .args(["config", "init", "--env", "uat", "--client-id", "c"])
        .args([
            "--service-code",
            "LOGIN",
            "--redirect-uri",
            "https://app.example/cb",
        ])
        .assert()
        .code(0);
    let text = std::fs::read_to_string(dir.path().join("itsme.toml")).unwrap();
    assert!(text.contains("env = \"uat\""), "{text}");
    let output = cli()
        .current_dir(dir.path())
        .args(["config", "show", "-o", "json"])
        .output()
        .unwrap();
    let report = json_stdout(&output);
    assert_eq!(
        source_of(&report, "env"),
        (Some("uat".into()), "profile".into())
    );
    cli()
        .args(["discovery", "--env", "uat", "--help"])
        .assert()
        .code(0)
        .stdout(predicate::str::contains("uat"));
}
