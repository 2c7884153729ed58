//! Snapshots of what people read: the human output of `decode-token` and the `--help` texts.
//! Review changes with `cargo insta review` (or delete the .snap file and rerun to accept).

use crate::common;

use common::{cli, constant};

fn stdout_of(args: &[&str]) -> String {
    let output = cli()
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(args)
        .output()
        .expect("runs");
    String::from_utf8(output.stdout).expect("UTF-8")
}

/// Key thumbprints change whenever the vectors are regenerated; everything else is fixed.
fn settings() -> insta::Settings {
    let mut settings = insta::Settings::clone_current();
    settings.add_filter(r"`[A-Za-z0-9_-]{43}`", "`[THUMBPRINT]`");
    settings
}

#[test]
fn human_output_of_the_example_token() {
    let text = stdout_of(&[
        "decode-token",
        "@docs/examples/id-token.txt",
        "--keys",
        "docs/examples/partner-private.jwks.json",
        "--jwks",
        "docs/examples/provider.jwks.json",
        "--env",
        "e2e",
        "--client-id",
        "my-partner-code",
        "--nonce",
        &constant("nonce"),
        "--now",
        "2026-01-01T00:05:00Z",
    ]);
    settings().bind(|| insta::assert_snapshot!(text));
}

#[test]
fn human_output_of_an_invalid_unverified_token() {
    let token = common::vector("many_problems")["token"]
        .as_str()
        .unwrap()
        .to_string();
    let text = stdout_of(&[
        "decode-token",
        &token,
        "--keys",
        "docs/examples/partner-private.jwks.json",
        "--no-verify",
        "--env",
        "e2e",
        "--client-id",
        "my-partner-code",
        "--nonce",
        &constant("nonce"),
        "--now",
        "2026-01-01T00:05:00Z",
    ]);
    settings().bind(|| insta::assert_snapshot!(text));
}

#[test]
fn human_output_of_a_replayed_login() {
    // The recorded client-secret login of tests/har: the timeline, the checks and both tokens.
    let secret = std::fs::read_to_string("tests/har/peer-b.secret").unwrap();
    let output = cli()
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(["decode-token", "--har", "tests/har/peer-b-browser.har"])
        .args(["--har", "tests/har/peer-b-backend.har"])
        .env("ITSME_CLIENT_SECRET", secret.trim())
        .output()
        .expect("runs");
    let text = String::from_utf8(output.stdout).expect("UTF-8");
    settings().bind(|| insta::assert_snapshot!(text));
}

#[test]
fn help_texts() {
    for (name, args) in [
        ("help", vec!["--help"]),
        ("decode_token_help", vec!["decode-token", "--help"]),
        ("keys_help", vec!["keys", "--help"]),
        ("keys_generate_help", vec!["keys", "generate", "--help"]),
        ("keys_show_help", vec!["keys", "show", "--help"]),
        ("sandbox_help", vec!["sandbox", "--help"]),
        ("login_help", vec!["login", "--help"]),
        ("ciba_help", vec!["ciba", "--help"]),
        ("discovery_help", vec!["discovery", "--help"]),
        ("validate_help", vec!["validate", "--help"]),
        ("config_help", vec!["config", "--help"]),
        ("claims_help", vec!["claims", "--help"]),
    ] {
        insta::assert_snapshot!(name, stdout_of(&args));
    }
}

/// `--env e2e` is itsme®'s test environment, not the built-in sandbox: the help must not call it
/// "the sandbox" (issue 17, item 11).
#[test]
fn the_e2e_environment_is_not_called_the_sandbox() {
    for command in ["login", "ciba", "validate", "discovery", "decode-token"] {
        let output = cli().args([command, "--help"]).output().unwrap();
        let help = String::from_utf8(output.stdout).unwrap();
        let e2e = help
            .lines()
            .find(|l| l.trim_start().starts_with("- e2e:"))
            .unwrap_or_else(|| panic!("{command} --help lists e2e"));
        assert!(!e2e.contains("sandbox (E2E)"), "{command}: {e2e}");
        assert!(e2e.contains("test environment (E2E)"), "{command}: {e2e}");
    }
}
