//! The README's quick start must stay true: run its command exactly as written.

use crate::common;

/// The arguments of the README block between `<!-- NAME -->` and `<!-- /NAME -->`: its command is
/// the installed binary, `itsme-cli ARGS` (the README says `cargo run -- ARGS` does the same).
fn block_args(name: &str) -> Vec<String> {
    let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md"))
        .expect("README.md");
    let block = readme
        .split(&format!("<!-- {name} -->"))
        .nth(1)
        .and_then(|rest| rest.split(&format!("<!-- /{name} -->")).next())
        .unwrap_or_else(|| panic!("README has a {name} block"));
    let command: String = block
        .lines()
        .filter(|l| !l.starts_with("```"))
        .map(|l| l.trim_end().trim_end_matches('\\'))
        .collect::<Vec<_>>()
        .join(" ");
    let words: Vec<String> = command.split_whitespace().map(str::to_string).collect();
    assert_eq!(
        words.first().map(String::as_str),
        Some("itsme-cli"),
        "the README shows the installed binary"
    );
    words[1..].to_vec()
}

/// Issue 17, item 14: the README shows the installed-binary form, and says once how to run the
/// same from a clone; the install command is the locked one (issue 16, section 4).
#[test]
fn the_readme_shows_the_installed_binary() {
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    assert!(readme.contains("cargo install --locked --path ."));
    assert!(readme.contains("`cargo run -- ARGS`"));
    let cargo_run_blocks = readme
        .split("```sh")
        .skip(1)
        .filter(|block| {
            block
                .split("```")
                .next()
                .unwrap_or("")
                .contains("cargo run --")
        })
        .count();
    assert_eq!(cargo_run_blocks, 0, "command blocks use `itsme-cli`");
    assert!(
        readme.contains(".ci/run"),
        "the one command that sets up and runs every test"
    );
}

#[test]
fn the_quick_start_logs_in_against_the_sandbox() {
    // The stand-in browser plays the user: it approves on the sandbox's page.
    let browser = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/browser/browser.sh");
    let output = common::cli()
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(block_args("quick-start"))
        .args(["--timeout", "60"])
        .env("BROWSER", browser)
        .env_remove("DISPLAY")
        .env_remove("WAYLAND_DISPLAY")
        .output()
        .expect("runs");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert_eq!(
        output.status.code(),
        Some(0),
        "stdout: {stdout}\nstderr: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(stdout.contains("✓ LOGIN OK"), "{stdout}");
}

#[test]
fn the_decode_example_decodes_the_example_token_as_valid() {
    let output = common::cli()
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(block_args("decode-example"))
        .output()
        .expect("runs");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert_eq!(
        output.status.code(),
        Some(0),
        "stdout: {stdout}\nstderr: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(stdout.contains("✓ VALID"), "{stdout}");
    assert!(stdout.contains("JPEG 140×200"), "{stdout}");
}

#[test]
fn the_example_token_is_the_independent_vector() {
    let example = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/docs/examples/id-token.txt"
    ))
    .unwrap();
    assert_eq!(
        example.trim(),
        common::vector("id_token_nested")["token"].as_str().unwrap()
    );
}

/// One `<!-- tour: ARGS -->` block of the README: the command's arguments and the excerpt of its
/// output shown under it.
struct TourStop {
    args: String,
    excerpt: Vec<String>,
}

fn tour_stops() -> Vec<TourStop> {
    let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md"))
        .expect("README.md");
    readme
        .split("<!-- tour: ")
        .skip(1)
        .map(|part| {
            let (args, rest) = part.split_once(" -->").expect("a closed tour marker");
            let block = rest
                .split("```text\n")
                .nth(1)
                .and_then(|b| b.split("\n```").next())
                .expect("a ```text block after each tour marker");
            TourStop {
                args: args.to_string(),
                excerpt: block.lines().map(str::to_string).collect(),
            }
        })
        .collect()
}

/// Whether `line` of real output matches a line of an excerpt, where `…` stands for any text.
fn matches(excerpt: &str, line: &str) -> bool {
    let mut rest = line.trim_end();
    let pieces: Vec<&str> = excerpt.split('…').collect();
    if pieces.len() == 1 {
        return rest == excerpt.trim_end();
    }
    for (i, piece) in pieces.iter().enumerate() {
        match rest.find(piece) {
            Some(0) => rest = &rest[piece.len()..],
            Some(at) if i > 0 => rest = &rest[at + piece.len()..],
            _ => return false,
        }
    }
    pieces.last().is_some_and(|p| p.is_empty()) || rest.is_empty()
}

/// The excerpt's lines appear in the output in order, from anywhere in it; after the first, a
/// line that is only `…` skips any number of lines, and without it the lines are consecutive.
fn excerpt_found(excerpt: &[String], output: &str) -> Result<(), String> {
    let lines: Vec<&str> = output.lines().collect();
    let mut at = 0;
    let mut gap_allowed = true;
    for wanted in excerpt {
        if wanted.trim() == "…" {
            gap_allowed = true;
            continue;
        }
        let found = if gap_allowed {
            (at..lines.len()).find(|&i| matches(wanted, lines[i]))
        } else {
            (at < lines.len() && matches(wanted, lines[at])).then_some(at)
        };
        match found {
            Some(i) => at = i + 1,
            None => return Err(format!("{wanted:?} not found after line {at}")),
        }
        gap_allowed = false;
    }
    Ok(())
}

#[test]
fn every_tour_excerpt_is_still_what_the_command_prints() {
    let stops = tour_stops();
    assert!(stops.len() >= 6, "the tour has a stop per command");
    let sandbox = common::sandbox_process(&[]);
    let browser = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/browser/browser.sh");
    for stop in stops {
        let args = stop
            .args
            .replace("http://127.0.0.1:8080/v2", &sandbox.issuer);
        let output = common::cli()
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .args(args.split_whitespace())
            .env("BROWSER", browser)
            .env_remove("DISPLAY")
            .env_remove("WAYLAND_DISPLAY")
            .output()
            .expect("runs");
        let excerpt: Vec<String> = stop
            .excerpt
            .iter()
            .map(|l| l.replace("http://127.0.0.1:8080/v2", &sandbox.issuer))
            .collect();
        let stdout = String::from_utf8_lossy(&output.stdout);
        let stderr = String::from_utf8_lossy(&output.stderr);
        if let (Err(on_stdout), Err(on_stderr)) = (
            excerpt_found(&excerpt, &stdout),
            excerpt_found(&excerpt, &stderr),
        ) {
            panic!(
                "README tour `{args}`: stdout: {on_stdout}; stderr: {on_stderr}\n--- stdout\n{stdout}\n--- stderr\n{stderr}"
            );
        }
    }
}

#[test]
fn the_excerpt_matcher_can_fail() {
    let output = "a\nb 1 c\nd\n";
    assert!(excerpt_found(&["a".into(), "b … c".into()], output).is_ok());
    assert!(excerpt_found(&["a".into(), "…".into(), "d".into()], output).is_ok());
    assert!(
        excerpt_found(&["a".into(), "d".into()], output).is_err(),
        "no gap without …"
    );
    assert!(excerpt_found(&["b … x".into()], output).is_err());
    assert!(
        excerpt_found(&["d".into(), "a".into()], output).is_err(),
        "order counts"
    );
}
