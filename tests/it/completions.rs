//! The committed completion scripts in `completions/` must be what the binary generates: a change
//! to the command line without regenerating them fails here. Regenerate with
//! `for s in bash zsh fish powershell elvish; do cargo run -q -- completions $s > completions/…; done`
//! (file names below), or run this test with `ITSME_UPDATE_COMPLETIONS=1`.

use crate::common;

const SCRIPTS: [(&str, &str); 5] = [
    ("bash", "itsme-cli.bash"),
    ("zsh", "_itsme-cli"),
    ("fish", "itsme-cli.fish"),
    ("powershell", "_itsme-cli.ps1"),
    ("elvish", "itsme-cli.elv"),
];

#[test]
fn committed_completions_match_the_binary() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("completions");
    let update = std::env::var_os("ITSME_UPDATE_COMPLETIONS").is_some();
    let mut stale = Vec::new();
    for (shell, file) in SCRIPTS {
        let output = common::cli()
            .args(["completions", shell])
            .output()
            .expect("runs");
        assert_eq!(output.status.code(), Some(0), "completions {shell}");
        assert!(output.stdout.len() > 500, "a real script for {shell}");
        let path = dir.join(file);
        if update {
            std::fs::write(&path, &output.stdout).expect("writes");
        } else if std::fs::read(&path).ok().as_deref() != Some(output.stdout.as_slice()) {
            stale.push(file);
        }
    }
    assert!(
        stale.is_empty(),
        "completions/ is stale for {stale:?}: rerun with ITSME_UPDATE_COMPLETIONS=1 cargo test --test it completions::"
    );
}

#[test]
fn bash_completion_knows_the_commands_and_flags() {
    let output = common::cli()
        .args(["completions", "bash"])
        .output()
        .unwrap();
    let script = String::from_utf8(output.stdout).unwrap();
    for word in [
        "decode-token",
        "keys",
        "--client-secret",
        "--save-photo",
        "generate",
    ] {
        assert!(script.contains(word), "{word}");
    }
}

/// Runs the bash completion function as bash would for the words typed so far.
fn bash_complete(words: &[&str]) -> Vec<String> {
    let script =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("completions/itsme-cli.bash");
    let quoted: Vec<String> = words.iter().map(|w| format!("'{w}'")).collect();
    let cword = words.len() - 1;
    let prev = if cword > 0 { words[cword - 1] } else { "" };
    let program = format!(
        "source '{}'; COMP_WORDS=({}); COMP_CWORD={cword}; _itsme__cli itsme-cli '{}' '{prev}'; printf '%s\\n' \"${{COMPREPLY[@]}}\"",
        script.display(),
        quoted.join(" "),
        words[cword]
    );
    let output = std::process::Command::new("bash")
        .args(["--norc", "-c", &program])
        .output()
        .expect("bash runs");
    String::from_utf8(output.stdout)
        .unwrap()
        .lines()
        .map(str::to_string)
        .collect()
}

#[test]
fn bash_completes_commands_and_subcommand_options() {
    assert_eq!(bash_complete(&["itsme-cli", "dec"]), ["decode-token"]);
    let options = bash_complete(&["itsme-cli", "decode-token", "--cl"]);
    for expected in ["--client-secret", "--client-id", "--clock-skew"] {
        assert!(
            options.iter().any(|o| o == expected),
            "{expected} in {options:?}"
        );
    }
    assert!(bash_complete(&["itsme-cli", "keys", "gen"]).contains(&"generate".to_string()));
}

/// Issue 17, item 14: `--scope`, `--approve` and `--fault` take words, not files: bash offers
/// the scopes, the personas and typical fault specs (run in an empty folder: no file to offer).
#[test]
fn bash_offers_values_not_file_names_for_scope_approve_and_fault() {
    let cases: [(&[&str], &str); 4] = [
        (&["itsme-cli", "login", "--scope", ""], "profile"),
        (&["itsme-cli", "claims", "--scope", "id"], "idDocument"),
        (&["itsme-cli", "sandbox", "--approve", "be-"], "be-marie"),
        (
            &["itsme-cli", "sandbox", "--fault", "rot"],
            "rotate-signing-key",
        ),
    ];
    for (words, expected) in cases {
        let offered = bash_complete(words);
        assert!(
            offered.iter().any(|o| o == expected),
            "{words:?}: {expected} in {offered:?}"
        );
        assert!(
            !offered.iter().any(|o| o == "Cargo.toml" || o == "src"),
            "{words:?} offers file names: {offered:?}"
        );
    }
}
