//! The README's quick start must stay true: run its command exactly as written.

mod common;

/// The command of a README block between `<!-- NAME -->` and `<!-- /NAME -->`, after `cargo run --`.
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
    let start = words
        .iter()
        .position(|w| w == "--")
        .expect("`cargo run -- …`")
        + 1;
    assert_eq!(
        &words[..start],
        ["cargo", "run", "--"],
        "the README runs the binary through cargo"
    );
    words[start..].to_vec()
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
