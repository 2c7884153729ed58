//! docs/ci.md must stay true: every block marked `<!-- ci-recipe: NAME -->` is run exactly as written,
//! with `bash -euo pipefail` in an empty directory, the built binary first on `PATH`, and the variables
//! the document promises (`REPO`, and for `needs=sandbox` recipes `ISSUER`, `CLIENT_ID`,
//! `REDIRECT_URI`, `PARTNER_PRIVATE_JWKS` from a sandbox started here). Each must exit 0 and print
//! what it is meant to print; the recipes assert with `jq -e` themselves.

use crate::common;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// The longest a recipe may take (the slowest, `sandbox-login`, takes a few seconds).
const RECIPE_TIMEOUT: Duration = Duration::from_secs(120);

/// The client the test's sandbox registers, and its (unused, never listened on) redirect URI.
const CLIENT_ID: &str = "my-partner-code";
const REDIRECT_URI: &str = "http://127.0.0.1:8765/callback";

/// One runnable recipe of docs/ci.md.
#[derive(Debug)]
struct Recipe {
    name: String,
    needs_sandbox: bool,
    script: String,
}

/// The marked blocks of docs/ci.md, in order. A marker must be followed by a ```sh block.
fn recipes() -> Vec<Recipe> {
    let doc = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/ci.md"))
        .expect("docs/ci.md");
    let mut out = Vec::new();
    let mut lines = doc.lines();
    while let Some(line) = lines.next() {
        let Some(marker) = line
            .trim()
            .strip_prefix("<!-- ci-recipe:")
            .and_then(|rest| rest.strip_suffix("-->"))
        else {
            continue;
        };
        let mut words = marker.split_whitespace();
        let name = words.next().expect("a recipe name after `ci-recipe:`");
        let options: Vec<&str> = words.collect();
        for option in &options {
            assert_eq!(
                *option, "needs=sandbox",
                "unknown option in the marker of {name}"
            );
        }
        assert_eq!(
            lines.next().map(str::trim_end),
            Some("```sh"),
            "the marker of {name} must be followed by a ```sh block"
        );
        let mut script = String::new();
        for body in lines.by_ref() {
            if body.trim_end() == "```" {
                break;
            }
            script.push_str(body);
            script.push('\n');
        }
        assert!(!script.trim().is_empty(), "the recipe {name} is empty");
        out.push(Recipe {
            name: name.to_string(),
            needs_sandbox: !options.is_empty(),
            script,
        });
    }
    out
}

fn recipe(name: &str) -> Recipe {
    recipes()
        .into_iter()
        .find(|r| r.name == name)
        .unwrap_or_else(|| panic!("docs/ci.md has no recipe `{name}`"))
}

/// Fails with a useful message when a tool the recipes use is missing (`.ci/run` installs it).
fn require(tool: &str) {
    let found = Command::new(tool)
        .arg("--version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    assert!(
        found,
        "`{tool}` is needed by the docs/ci.md recipes: install it (`.ci/run` does)"
    );
}

/// What a recipe run left behind; the temporary directory lives as long as this (the recipe ran in
/// its `work/`).
struct Run {
    stdout: String,
    stderr: String,
    dir: tempfile::TempDir,
}

/// A port that was free a moment ago.
fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port()
}

/// Runs one recipe as CI would: `bash -euo pipefail` in an empty directory, the built binary first
/// on PATH, nothing of the developer's settings, and the variables docs/ci.md names. Panics, with
/// both outputs, unless it exits 0 within [`RECIPE_TIMEOUT`].
fn run(name: &str) -> Run {
    require("jq");
    let recipe = recipe(name);
    let dir = tempfile::tempdir().expect("a temporary directory");
    let home = dir.path().join(".home");
    std::fs::create_dir(&home).expect("a home");
    let work = dir.path().join("work");
    std::fs::create_dir(&work).expect("a work directory");
    let script_path = dir.path().join(format!("{name}.sh"));
    std::fs::File::create(&script_path)
        .and_then(|mut f| f.write_all(recipe.script.as_bytes()))
        .expect("the script is written");

    let bin_dir = Path::new(env!("CARGO_BIN_EXE_itsme-cli"))
        .parent()
        .expect("the binary's directory")
        .to_path_buf();
    let path = std::env::join_paths(std::iter::once(bin_dir).chain(std::env::split_paths(
        &std::env::var_os("PATH").unwrap_or_default(),
    )))
    .expect("a PATH");

    let mut cmd = Command::new("bash");
    cmd.arg("-euo")
        .arg("pipefail")
        .arg(&script_path)
        .current_dir(&work);
    for (key, _) in std::env::vars_os() {
        let key = key.to_string_lossy().to_string();
        if key.starts_with("ITSME_") || key.starts_with("XDG_") {
            cmd.env_remove(&key);
        }
    }
    cmd.env("PATH", path)
        .env("HOME", &home)
        .env("TERM", "dumb")
        .env("REPO", env!("CARGO_MANIFEST_DIR"))
        .env("REDIRECT_PORT", free_port().to_string())
        .env_remove("BROWSER")
        .env_remove("DISPLAY")
        .env_remove("WAYLAND_DISPLAY");

    // The sandbox of `needs=sandbox` recipes: a private_key_jwt client with keys made for this run.
    let _sandbox = recipe.needs_sandbox.then(|| {
        let keys = dir.path().join("keys");
        let made = common::cli()
            .args(["keys", "generate", "--out"])
            .arg(&keys)
            .output()
            .expect("keys generate runs");
        assert!(made.status.success(), "keys generate: {made:?}");
        let public = keys.join("public.jwks.json");
        let sandbox = common::sandbox_process(&[
            "--client-id",
            CLIENT_ID,
            "--client-jwks",
            public.to_str().expect("a UTF-8 path"),
            "--redirect-uri",
            REDIRECT_URI,
        ]);
        let private =
            std::fs::read_to_string(keys.join("private.jwks.json")).expect("the private keys");
        cmd.env("ISSUER", &sandbox.issuer)
            .env("CLIENT_ID", CLIENT_ID)
            .env("REDIRECT_URI", REDIRECT_URI)
            .env("PARTNER_PRIVATE_JWKS", private);
        sandbox
    });

    // Outputs go to files: a background process the recipe starts must not hold a pipe open.
    let stdout_path = dir.path().join("stdout");
    let stderr_path = dir.path().join("stderr");
    cmd.stdin(Stdio::null())
        .stdout(std::fs::File::create(&stdout_path).expect("stdout file"))
        .stderr(std::fs::File::create(&stderr_path).expect("stderr file"));
    #[cfg(unix)]
    std::os::unix::process::CommandExt::process_group(&mut cmd, 0);
    let mut child = cmd.spawn().expect("bash runs");
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().expect("the recipe can be waited for") {
            break Some(status);
        }
        if started.elapsed() > RECIPE_TIMEOUT {
            // The whole process group: the recipe and whatever it started in the background.
            let _ = Command::new("kill")
                .args(["-KILL", "--", &format!("-{}", child.id())])
                .status();
            let _ = child.wait();
            break None;
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    let stdout = std::fs::read_to_string(&stdout_path).unwrap_or_default();
    let stderr = std::fs::read_to_string(&stderr_path).unwrap_or_default();
    match status {
        Some(status) => assert!(
            status.success(),
            "recipe {name} failed ({status})\n--- stdout\n{stdout}\n--- stderr\n{stderr}"
        ),
        None => panic!(
            "recipe {name} did not finish within {RECIPE_TIMEOUT:?}\n--- stdout\n{stdout}\n--- stderr\n{stderr}"
        ),
    }
    Run {
        stdout,
        stderr,
        dir,
    }
}

impl Run {
    /// A file the recipe wrote.
    fn file(&self, name: &str) -> PathBuf {
        self.dir.path().join("work").join(name)
    }

    fn assert_stdout_has(&self, expected: &str) {
        assert!(
            self.stdout.contains(expected),
            "expected {expected:?} in the output\n--- stdout\n{}\n--- stderr\n{}",
            self.stdout,
            self.stderr
        );
    }

    /// The port of the sandbox the recipe started (from its ready line) is closed again: the
    /// recipe's `trap` stopped it.
    fn assert_sandbox_stopped(&self) {
        let ready: serde_json::Value = serde_json::from_str(
            &std::fs::read_to_string(self.file("sandbox.json")).expect("the ready line was saved"),
        )
        .expect("the ready line is JSON");
        let port = ready["port"].as_u64().expect("a port") as u16;
        let deadline = Instant::now() + Duration::from_secs(5);
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
            assert!(
                Instant::now() < deadline,
                "the recipe left its sandbox running on port {port}"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

#[cfg(unix)]
fn mode(path: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
        .permissions()
        .mode()
        & 0o777
}

/// Every recipe name with the test that runs it; a new recipe needs a test here, and a marker typo
/// cannot silently drop one.
const TESTED: [&str; 8] = [
    "discovery-check",
    "validate-setup",
    "validate-unregistered-keys",
    "validate-offline",
    "decode-example",
    "decode-batch",
    "sandbox-service",
    "sandbox-login",
];

#[test]
fn every_marked_recipe_is_run_by_a_test() {
    let found: Vec<String> = recipes().into_iter().map(|r| r.name).collect();
    assert_eq!(found, TESTED, "docs/ci.md's recipes, in order");
    let doc = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/ci.md")).unwrap();
    assert_eq!(
        doc.matches("ci-recipe:").count(),
        TESTED.len() + 1, // once more in the prose that explains the marker
        "a marker was not recognised"
    );
    let sandbox: Vec<String> = recipes()
        .into_iter()
        .filter(|r| r.needs_sandbox)
        .map(|r| r.name)
        .collect();
    assert_eq!(
        sandbox,
        [
            "discovery-check",
            "validate-setup",
            "validate-unregistered-keys"
        ]
    );
}

#[test]
fn discovery_check_passes_against_the_sandbox() {
    let run = run("discovery-check");
    run.assert_stdout_has("provider OK: http://127.0.0.1:");
    run.assert_stdout_has("/v2, 2 keys");
    let report: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(run.file("discovery.json")).unwrap())
            .unwrap();
    assert_eq!(report["valid"], true);
    assert_eq!(report["findings"], serde_json::json!([]));
}

#[test]
fn validate_setup_passes_with_the_registered_keys() {
    let run = run("validate-setup");
    run.assert_stdout_has("warn\tredirect_uri\t");
    run.assert_stdout_has("setup OK: ");
    #[cfg(unix)]
    assert_eq!(
        mode(&run.file("private.jwks.json")),
        0o600,
        "umask 077 keeps the key file private"
    );
    let report: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(run.file("validate.json")).unwrap()).unwrap();
    let probe = report["checks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == "credentials_probe")
        .expect("a credentials probe");
    assert_eq!(probe["status"], "pass", "{probe}");
}

#[test]
fn validate_fails_on_keys_the_provider_does_not_know() {
    let run = run("validate-unregistered-keys");
    run.assert_stdout_has("the provider refused the client (`invalid_client`)");
    run.assert_stdout_has("→ ");
}

#[test]
fn validate_offline_catches_a_world_readable_key_file() {
    let run = run("validate-offline");
    run.assert_stdout_has("keys_permissions: chmod 600");
    run.assert_stdout_has("offline checks pass");
    let first: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(run.file("offline.json")).unwrap()).unwrap();
    let failed: Vec<&str> = first["checks"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["status"] == "fail")
        .map(|c| c["id"].as_str().unwrap())
        .collect();
    assert_eq!(failed, ["keys_permissions"]);
    assert!(
        first["checks"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|c| c["id"] == "credentials_probe" || c["id"] == "discovery")
            .all(|c| c["status"] == "skip"),
        "--offline contacts nothing: {first}"
    );
}

#[test]
fn decode_example_verifies_the_shipped_token() {
    let run = run("decode-example");
    run.assert_stdout_has("valid, signed by prov-sig-1, photo 140x200, not checked: at_hash");
}

#[test]
fn decode_batch_reports_each_line_and_counts_codes() {
    let run = run("decode-batch");
    for line in [
        "line 1: valid \n",
        "line 2: invalid expired\n",
        "line 3: invalid issuer_mismatch,audience_mismatch,expired,nonce_mismatch\n",
        "expired 2\n",
        "nonce_mismatch 1\n",
    ] {
        run.assert_stdout_has(line);
    }
    let verdicts = std::fs::read_to_string(run.file("verdicts.jsonl")).unwrap();
    let lines: Vec<serde_json::Value> = verdicts
        .lines()
        .map(|l| serde_json::from_str(l).expect("one JSON document per line"))
        .collect();
    assert_eq!(lines.len(), 3);
    assert_eq!(
        lines.iter().map(|l| l["line"].as_u64()).collect::<Vec<_>>(),
        [Some(1), Some(2), Some(3)]
    );
    assert!(
        !run.stdout.contains("Marie"),
        "the recipe prints codes, not claims"
    );
}

#[test]
fn sandbox_service_starts_waits_and_stops() {
    require("curl");
    let run = run("sandbox-service");
    run.assert_stdout_has("sandbox at http://127.0.0.1:");
    run.assert_stdout_has("for client sandbox-client");
    run.assert_sandbox_stopped();
}

#[test]
fn sandbox_login_logs_in_headless_and_rechecks_the_saved_login() {
    require("curl");
    let run = run("sandbox-login");
    run.assert_stdout_has("login OK: ID token claims ");
    run.assert_stdout_has("saved login re-checked");
    #[cfg(unix)]
    assert_eq!(
        mode(&run.file("login.json")),
        0o600,
        "login --save writes the tokens for the owner only"
    );
    let saved: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(run.file("login.json")).unwrap()).unwrap();
    assert!(
        saved["tokens"]["id_token"].is_string(),
        "--save keeps the raw tokens"
    );
    let report: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(run.file("login-report.json")).unwrap())
            .unwrap();
    assert_eq!(
        report["tokens"],
        serde_json::Value::Null,
        "without --show-tokens the output has no tokens"
    );
    run.assert_sandbox_stopped();
}
