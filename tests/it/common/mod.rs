//! Shared helpers of the CLI tests.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use serde_json::Value;

/// The binary under test, with an environment that cannot leak the developer's settings into a
/// test: no `ITSME_*`, no home or XDG directories, no browser, no colour preference.
pub fn cli() -> Command {
    Command::from_std(cli_std())
}

/// The same as a `std::process::Command`, for tests that read the output while it runs.
pub fn cli_std() -> std::process::Command {
    let mut cmd = std::process::Command::new(assert_cmd::cargo::cargo_bin("itsme-cli"));
    for (key, _) in std::env::vars_os() {
        let key = key.to_string_lossy().to_string();
        if key.starts_with("ITSME_") || key.starts_with("XDG_") {
            cmd.env_remove(&key);
        }
    }
    let home = std::env::temp_dir().join("itsme-cli-test-home");
    cmd.env("HOME", home)
        .env_remove("BROWSER")
        .env_remove("NO_COLOR")
        .env_remove("COLUMNS")
        .env("TERM", "dumb");
    cmd
}

/// The folder of the generated test vectors.
pub fn vectors_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/vectors")
}

/// `tests/vectors/vectors.json`.
pub fn vectors() -> Value {
    let text =
        std::fs::read_to_string(vectors_dir().join("vectors.json")).expect("vectors.json exists");
    serde_json::from_str(&text).expect("vectors.json is JSON")
}

/// One vector by name.
pub fn vector(name: &str) -> Value {
    vectors()["vectors"]
        .as_array()
        .expect("vectors is an array")
        .iter()
        .find(|v| v["name"] == name)
        .unwrap_or_else(|| panic!("no vector {name}"))
        .clone()
}

/// A constant of vectors.json (`issuer`, `client_id`, `nonce`, `now`, …).
pub fn constant(name: &str) -> String {
    vectors()["constants"][name]
        .as_str()
        .expect("constant is a string")
        .to_string()
}

/// Path of a file in the vectors folder, as a string.
pub fn vector_file(name: &str) -> String {
    vectors_dir().join(name).to_string_lossy().into_owned()
}

/// The flags that validate the default vectors: partner keys, provider keys, issuer, client, time.
pub fn default_flags() -> Vec<String> {
    vec![
        "--keys".into(),
        vector_file("partner-private.jwks.json"),
        "--jwks".into(),
        vector_file("provider.jwks.json"),
        "--issuer".into(),
        constant("issuer"),
        "--client-id".into(),
        constant("client_id"),
        "--nonce".into(),
        constant("nonce"),
        "--now".into(),
        constant("now"),
    ]
}

/// Parses stdout as one JSON document.
pub fn json_stdout(output: &std::process::Output) -> Value {
    serde_json::from_slice(&output.stdout).unwrap_or_else(|e| {
        panic!(
            "stdout is not JSON ({e}): {}",
            String::from_utf8_lossy(&output.stdout)
        )
    })
}

/// The check of a `decode-token --har` report with this `code`.
pub fn har_check(report: &Value, code: &str) -> Value {
    report["checks"]
        .as_array()
        .unwrap_or_else(|| panic!("no checks in {report:#}"))
        .iter()
        .find(|c| c["code"] == code)
        .unwrap_or_else(|| panic!("no check {code}: {report:#}"))
        .clone()
}

/// The codes of a report's `errors` or `warnings`, sorted.
pub fn codes(report: &Value, field: &str) -> Vec<String> {
    let mut codes: Vec<String> = report[field]
        .as_array()
        .unwrap_or_else(|| panic!("no {field} array in {report}"))
        .iter()
        .map(|f| f["code"].as_str().expect("code is a string").to_string())
        .collect();
    codes.sort();
    codes
}

/// An `itsme-cli sandbox -o json --port 0 …` process, killed when dropped (also when a test fails).
pub struct SandboxProcess {
    /// The process.
    pub child: std::process::Child,
    /// Its ready line.
    pub ready: Value,
    /// Its issuer.
    pub issuer: String,
}

impl Drop for SandboxProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        // The sandbox keeps a generated client's keys after it stops (for decoding saved tokens
        // later); tests have no later, so their folder goes.
        if let Some(keys) = self.ready["clients"][0]["private_keys"].as_str()
            && let Some(folder) = std::path::Path::new(keys).parent()
            && folder
                .file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with("itsme-sandbox-"))
        {
            let _ = std::fs::remove_dir_all(folder);
        }
    }
}

/// Starts a sandbox process and reads its ready line.
pub fn sandbox_process(args: &[&str]) -> SandboxProcess {
    use std::io::BufRead;
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("itsme-cli"))
        .args(["sandbox", "-o", "json", "--port", "0"])
        .args(args)
        .env_remove("ITSME_SANDBOX_CLIENT_SECRET")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("the sandbox starts");
    let mut line = String::new();
    std::io::BufReader::new(child.stdout.take().expect("stdout"))
        .read_line(&mut line)
        .expect("a ready line");
    let ready: Value = serde_json::from_str(&line)
        .unwrap_or_else(|e| panic!("the ready line is JSON ({e}): {line}"));
    let issuer = ready["issuer"].as_str().expect("an issuer").to_string();
    SandboxProcess {
        child,
        ready,
        issuer,
    }
}
