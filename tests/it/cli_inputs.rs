//! Inputs that never end (issue 13): numeric flags out of range, FIFOs and devices where a file
//! is read or written, `--batch` lines without an end, and the folders `keys generate` creates.
//! Every command here must finish on its own: each runs under a deadline and is killed after it,
//! which fails the test (a killed process has no exit code).

use crate::common::{cli, default_flags, vector, vector_file};

use std::io::Write;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use predicates::prelude::*;

/// Long enough for a loaded machine, short enough that a blocked command fails the test soon.
const DEADLINE: Duration = Duration::from_secs(20);

fn token(name: &str) -> String {
    vector(name)["token"].as_str().expect("token").to_string()
}

fn mkfifo(path: &Path) {
    let status = Command::new("mkfifo")
        .arg(path)
        .status()
        .expect("mkfifo runs");
    assert!(status.success(), "mkfifo {}", path.display());
}

/// A temporary folder with a FIFO `pipe` in it.
fn fifo_dir() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("pipe");
    mkfifo(&fifo);
    (dir, fifo)
}

fn s(path: &Path) -> &str {
    path.to_str().unwrap()
}

#[test]
fn numeric_flags_out_of_range_are_usage_errors_naming_the_bound() {
    let cases: &[(&[&str], &str)] = &[
        (
            &[
                "decode-token",
                "--batch",
                "--no-verify",
                "--jobs",
                "100000000000",
            ],
            "0..=256",
        ),
        (
            &["decode-token", "--batch", "--no-verify", "--jobs", "257"],
            "0..=256",
        ),
        (
            &[
                "decode-token",
                "x",
                "--no-verify",
                "--clock-skew",
                "4294967295",
            ],
            "0..=3600",
        ),
        (
            &["decode-token", "x", "--no-verify", "--clock-skew", "3601"],
            "0..=3600",
        ),
        (
            &["login", "--sandbox", "--timeout", "18446744073709551615"],
            "1..=3600",
        ),
        (&["login", "--sandbox", "--timeout", "0"], "1..=3600"),
        (
            &["login", "--sandbox", "--max-age", "99999999999"],
            "0..=31536000",
        ),
        (&["sandbox", "--port", "70000"], "0..=65535"),
        (
            &["keys", "generate", "--out", "unused", "--size", "99999"],
            "2048, 3072 or 4096",
        ),
        (
            &["sandbox", "--fault", "slow-userinfo:99999"],
            "between 0 and 600",
        ),
    ];
    for (args, bound) in cases {
        let output = cli()
            .args(*args)
            .write_stdin("")
            .timeout(DEADLINE)
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(stderr.contains(bound), "{args:?} names {bound}: {stderr}");
    }
    // The bounds themselves are accepted.
    cli()
        .args(["decode-token", "--batch", "--no-verify", "--jobs", "256"])
        .write_stdin("\n")
        .timeout(DEADLINE)
        .assert()
        .code(0)
        .stderr(predicate::str::contains("read no tokens"));
}

#[test]
fn the_help_states_each_bound() {
    for (command, bound) in [
        (&["decode-token", "--help"][..], "0–256"),
        (&["decode-token", "--help"][..], "0–3600"),
        (&["login", "--help"][..], "1–3600"),
        (&["login", "--help"][..], "0–31536000"),
        (&["sandbox", "--help"][..], "0–65535"),
        (&["keys", "generate", "--help"][..], "2048, 3072 or 4096"),
    ] {
        cli()
            .args(command)
            .assert()
            .code(0)
            .stdout(predicate::str::contains(bound));
    }
}

/// `args` fails with exit 2 in bounded time, and its error names `path` as `what`.
fn refused(args: &[&str], path: &Path, what: &str) {
    let output = cli()
        .args(args)
        .write_stdin("")
        .timeout(DEADLINE)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{args:?}: {stderr}");
    let expected = format!("`{}` is {what}, not a regular file", path.display());
    assert!(stderr.contains(&expected), "{args:?}: {stderr}");
    assert!(stderr.contains("hint:"), "{args:?}: {stderr}");
}

#[test]
fn files_read_must_be_regular_files() {
    let (dir, fifo) = fifo_dir();
    let link = dir.path().join("link-to-pipe");
    std::os::unix::fs::symlink(&fifo, &link).unwrap();
    let fifo_arg = format!("@{}", fifo.display());
    let fifo_cases: &[&[&str]] = &[
        &["decode-token", &fifo_arg, "--no-verify"],
        &["decode-token", "x", "--no-verify", "--keys", s(&fifo)],
        &["decode-token", "x", "--jwks", s(&fifo)],
        &["keys", "show", s(&fifo)],
        &["keys", "public", s(&fifo)],
        &["sandbox", "--config", s(&fifo)],
        &["sandbox", "--client-jwks", s(&fifo)],
    ];
    for args in fifo_cases {
        refused(args, &fifo, "a FIFO (named pipe)");
    }
    // Symlinks are followed: a link to a FIFO is a FIFO.
    refused(&["keys", "show", s(&link)], &link, "a FIFO (named pipe)");
    refused(
        &["keys", "show", "/dev/zero"],
        Path::new("/dev/zero"),
        "a character device",
    );
    refused(&["keys", "show", s(dir.path())], dir.path(), "a directory");
    // …and a link to a regular file reads as the file.
    let key_link = dir.path().join("provider.jwks.json");
    std::os::unix::fs::symlink(vector_file("provider.jwks.json"), &key_link).unwrap();
    cli()
        .args(["keys", "show", s(&key_link)])
        .timeout(DEADLINE)
        .assert()
        .code(0);
}

#[test]
fn a_config_file_that_is_a_fifo_is_refused_by_name() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("itsme.toml");
    mkfifo(&config);
    let output = cli()
        .current_dir(dir.path())
        .args(["config", "show"])
        .timeout(DEADLINE)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("`itsme.toml` is a FIFO (named pipe), not a regular file"),
        "{stderr}"
    );
}

#[test]
fn files_written_must_be_regular_files_even_with_force() {
    let (dir, fifo) = fifo_dir();
    let what = "a FIFO (named pipe)";
    for force in [&[][..], &["--force"][..]] {
        for flag in ["--save", "--save-picture"] {
            let mut args = vec!["login", "--sandbox", "--no-browser", "--timeout", "5"];
            args.extend([flag, s(&fifo)]);
            args.extend(force);
            refused(&args, &fifo, what);
        }
        let mut args = vec!["config", "init", "--env", "e2e", "--path", s(&fifo)];
        args.extend(force);
        refused(&args, &fifo, what);
    }
    // The photo is written after the token is decoded: the FIFO is refused, not opened.
    let photo_token = token("id_token_nested");
    let mut args = vec![
        "decode-token",
        &photo_token,
        "--save-photo",
        s(&fifo),
        "--force",
    ];
    let flags = default_flags();
    args.extend(flags.iter().map(String::as_str));
    refused(&args, &fifo, what);
    // A device is no file to save into either.
    refused(
        &[
            "config",
            "init",
            "--env",
            "e2e",
            "--path",
            "/dev/null",
            "--force",
        ],
        Path::new("/dev/null"),
        "a character device",
    );

    // keys generate checks both files before writing either.
    let out = dir.path().join("keys");
    std::fs::create_dir(&out).unwrap();
    let public = out.join("public.jwks.json");
    mkfifo(&public);
    refused(
        &["keys", "generate", "--out", s(&out), "--force"],
        &public,
        what,
    );
    assert!(!out.join("private.jwks.json").exists());
}

/// Runs `itsme-cli decode-token --batch --no-verify`, writes `input` to its stdin and keeps stdin
/// open (endless input), waiting at most `DEADLINE` for it to end.
fn batch_with_open_stdin(input: Vec<u8>) -> std::process::Output {
    let mut child = Command::new(assert_cmd::cargo::cargo_bin("itsme-cli"))
        .args(["decode-token", "--batch", "--no-verify"])
        .env("TERM", "dumb")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    // The writer keeps its end open until the test ends; a write after the process stopped
    // reading just fails.
    let writer = std::thread::spawn(move || {
        let _ = stdin.write_all(&input);
        std::thread::sleep(DEADLINE + Duration::from_secs(5));
        drop(stdin);
    });
    let started = Instant::now();
    while child.try_wait().unwrap().is_none() {
        if started.elapsed() > DEADLINE {
            let _ = child.kill();
            break;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    drop(writer); // detached: it only holds the pipe
    child.wait_with_output().unwrap()
}

#[test]
fn a_batch_line_without_end_is_trouble_after_one_token_length() {
    let mut input = token("id_token_plain_rs256").into_bytes();
    input.push(b'\n');
    input.extend(std::iter::repeat_n(b'a', 2 * 1024 * 1024));
    let output = batch_with_open_stdin(input);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("line 2 of the input is longer than 1 MiB without a line break"),
        "{stderr}"
    );
    assert!(stderr.contains("hint:"), "{stderr}");
    // The lines before it still get their verdict.
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(stdout.contains("line 1:"), "{stdout}");
}

#[test]
fn keys_generate_creates_missing_folders_0700_whatever_the_umask() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("a/b");
    let status = Command::new("sh")
        .arg("-c")
        .arg("umask 000; exec \"$0\" keys generate --out \"$1\"")
        .arg(assert_cmd::cargo::cargo_bin("itsme-cli"))
        .arg(&out)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .unwrap();
    assert!(status.success());
    for folder in [dir.path().join("a"), out.clone()] {
        let mode = std::fs::metadata(&folder).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o700, "{}", folder.display());
    }
    let private = std::fs::metadata(out.join("private.jwks.json")).unwrap();
    assert_eq!(private.permissions().mode() & 0o777, 0o600);
}
