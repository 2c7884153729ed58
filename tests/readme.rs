//! The README's quick start must stay true: run its command exactly as written.

mod common;

fn quick_start_args() -> Vec<String> {
    let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md"))
        .expect("README.md");
    let block = readme
        .split("<!-- quick-start -->")
        .nth(1)
        .and_then(|rest| rest.split("<!-- /quick-start -->").next())
        .expect("README has a quick-start block");
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
        "the quick start runs the binary through cargo"
    );
    words[start..].to_vec()
}

#[test]
fn the_quick_start_command_decodes_the_example_token_as_valid() {
    let output = common::cli()
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(quick_start_args())
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
