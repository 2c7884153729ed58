//! The man pages in `docs/man/` (itsme-cli.1 and one per subcommand) must be what the command
//! line generates: a change to a flag or its help without regenerating them fails here.
//! Regenerate with `ITSME_UPDATE_MAN=1 cargo test --test it man_pages::`.

use clap::CommandFactory;
use itsme_cli::cli::{self, Cli};

/// Every page: (file name, roff text) for the command and each (nested) subcommand.
fn pages() -> Vec<(String, Vec<u8>)> {
    fn walk(command: &clap::Command, path: &[&str], out: &mut Vec<(String, Vec<u8>)>) {
        let name = std::iter::once("itsme-cli")
            .chain(path.iter().copied())
            .collect::<Vec<_>>()
            .join("-");
        let mut roff = Vec::new();
        // clap wants a 'static name; a handful of page names leaked in a test process is fine.
        let static_name: &'static str = Box::leak(name.clone().into_boxed_str());
        let examples = cli::EXAMPLES
            .iter()
            .find(|(p, _)| *p == path.join(" "))
            .map(|(_, examples)| *examples);
        render(&command.clone().name(static_name), examples, &mut roff);
        out.push((format!("{name}.1"), roff));
        for sub in command
            .get_subcommands()
            .filter(|s| !s.is_hide_set() && s.get_name() != "help")
        {
            let path: Vec<&str> = path.iter().copied().chain([sub.get_name()]).collect();
            walk(sub, &path, out);
        }
    }
    let mut command = Cli::command();
    command.build();
    let mut out = Vec::new();
    walk(&command, &[], &mut out);
    out
}

/// clap_mangen's page with an EXAMPLES section before the notes: the examples in a no-fill
/// block (`.EX`/`.EE`), every character escaped so that man neither fills, hyphenates nor turns
/// `-`, `'` or `` ` `` into typographic look-alikes a shell would not take.
fn render(command: &clap::Command, examples: Option<&str>, roff: &mut Vec<u8>) {
    type Section = fn(&clap_mangen::Man, &mut dyn std::io::Write) -> std::io::Result<()>;
    let man = clap_mangen::Man::new(command.clone());
    man.render_title(roff).unwrap();
    // Each `render_*` starts with the same string definition; the title's one is enough.
    let section = |roff: &mut Vec<u8>, render: Section| {
        let mut text = Vec::new();
        render(&man, &mut text).unwrap();
        let preamble = b".ie \\n(.g .ds Aq \\(aq\n.el .ds Aq '\n";
        roff.extend_from_slice(text.strip_prefix(preamble.as_slice()).unwrap_or(&text));
    };
    section(roff, clap_mangen::Man::render_name_section);
    section(roff, clap_mangen::Man::render_synopsis_section);
    section(roff, clap_mangen::Man::render_description_section);
    if command.get_arguments().any(|a| !a.is_hide_set()) {
        section(roff, clap_mangen::Man::render_options_section);
    }
    if command.get_subcommands().any(|s| !s.is_hide_set()) {
        section(roff, clap_mangen::Man::render_subcommands_section);
    }
    if let Some(examples) = examples {
        roff.extend_from_slice(b".SH EXAMPLES\n.EX\n");
        for line in examples.lines() {
            roff.extend_from_slice(roff_verbatim(line).as_bytes());
            roff.push(b'\n');
        }
        roff.extend_from_slice(b".EE\n");
    }
    if command.get_after_help().is_some() || command.get_after_long_help().is_some() {
        section(roff, clap_mangen::Man::render_extra_section);
    }
    if command.get_version().is_some() || command.get_long_version().is_some() {
        section(roff, clap_mangen::Man::render_version_section);
    }
}

/// One line of an example as roff that prints exactly that line.
fn roff_verbatim(line: &str) -> String {
    let mut out = String::from(if line.starts_with(['.', '\'']) {
        "\\&"
    } else {
        ""
    });
    for c in line.chars() {
        match c {
            '\\' => out.push_str("\\e"),
            '-' => out.push_str("\\-"),
            '\'' => out.push_str("\\(aq"),
            '`' => out.push_str("\\(ga"),
            '~' => out.push_str("\\(ti"),
            '^' => out.push_str("\\(ha"),
            c => out.push(c),
        }
    }
    out
}

#[test]
fn committed_man_pages_match_the_command_line() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/man");
    let update = std::env::var_os("ITSME_UPDATE_MAN").is_some();
    if update {
        std::fs::create_dir_all(&dir).unwrap();
    }
    let mut stale = Vec::new();
    let pages = pages();
    assert!(pages.len() >= 15, "a page per command: {}", pages.len());
    for (file, roff) in &pages {
        let path = dir.join(file);
        if update {
            std::fs::write(&path, roff).unwrap();
        } else if std::fs::read(&path).ok().as_deref() != Some(roff.as_slice()) {
            stale.push(file.clone());
        }
    }
    let committed: Vec<String> = std::fs::read_dir(&dir)
        .map(|d| {
            d.filter_map(|e| e.ok()?.file_name().into_string().ok())
                .collect()
        })
        .unwrap_or_default();
    let extra: Vec<&String> = committed
        .iter()
        .filter(|f| !pages.iter().any(|(p, _)| p == *f))
        .collect();
    assert!(
        stale.is_empty() && extra.is_empty(),
        "docs/man is stale: {stale:?}, no longer generated: {extra:?}; run ITSME_UPDATE_MAN=1 cargo test --test it man_pages::"
    );
}

#[test]
fn the_main_page_names_every_command_and_the_exit_codes() {
    let (_, main) = pages().into_iter().next().unwrap();
    let text = String::from_utf8(main).unwrap();
    for word in [
        "decode\\-token",
        "login",
        "sandbox",
        "validate",
        "discovery",
        "keys",
        "claims",
        "130",
    ] {
        assert!(text.contains(word), "{word}");
    }
}

/// The non-empty lines of each command's examples, with the command's path.
fn example_lines() -> Vec<(Vec<&'static str>, Vec<&'static str>)> {
    cli::EXAMPLES
        .iter()
        .map(|(path, examples)| {
            let lines = examples.lines().filter(|l| !l.is_empty()).collect();
            (path.split(' ').collect(), lines)
        })
        .collect()
}

/// Issue 17, item 6: an example copied from `--help` is the command that was written, whatever
/// the terminal's width: no line of it is wrapped (clap wraps `after_help`, examples are not in it).
#[test]
fn help_shows_every_example_line_whole_at_any_width() {
    for (path, lines) in example_lines() {
        for width in ["60", "80", "200"] {
            for help in ["--help", "-h"] {
                let output = crate::common::cli()
                    .args(&path)
                    .arg(help)
                    .env("COLUMNS", width)
                    .output()
                    .unwrap();
                let text = String::from_utf8(output.stdout).unwrap();
                let shown: Vec<&str> = text.lines().map(str::trim_end).collect();
                for line in &lines {
                    assert!(
                        shown.contains(&format!("  {line}").as_str()),
                        "{path:?} {help} at {width} columns cuts the example line {line:?}:\n{text}"
                    );
                }
            }
        }
    }
}

/// The man pages hold each example in a no-fill block whose roff, read back, is the example; and
/// groff (where installed) prints every line whole, unhyphenated, with plain `-` and `'`.
#[test]
fn man_pages_show_every_example_line_verbatim() {
    let pages = pages();
    let groff = std::process::Command::new("groff")
        .arg("--version")
        .output()
        .is_ok();
    // Without groff (`.ci/run` does not install it) the pages are checked as roff only.
    for (path, lines) in example_lines() {
        let file = format!("itsme-cli-{}.1", path.join("-"));
        let (_, roff) = pages.iter().find(|(f, _)| *f == file).expect("a page");
        let roff = String::from_utf8(roff.clone()).unwrap();
        let block = roff
            .split_once(".SH EXAMPLES\n.EX\n")
            .and_then(|(_, rest)| rest.split_once("\n.EE\n"))
            .map(|(block, _)| block)
            .unwrap_or_else(|| panic!("{file}: no EXAMPLES block"));
        let read_back: Vec<String> = block
            .lines()
            .filter(|l| !l.is_empty())
            .map(unescape)
            .collect();
        assert_eq!(read_back, lines, "{file}");
        if !groff {
            continue;
        }
        for width in [60, 80, 200] {
            let mut child = std::process::Command::new("groff")
                .args(["-man", "-Tutf8", "-k", "-P-cbou", &format!("-rLL={width}n")])
                .stdin(std::process::Stdio::piped())
                .stdout(std::process::Stdio::piped())
                .spawn()
                .unwrap();
            use std::io::Write as _;
            child
                .stdin
                .take()
                .unwrap()
                .write_all(roff.as_bytes())
                .unwrap();
            let typeset = String::from_utf8(child.wait_with_output().unwrap().stdout).unwrap();
            let shown: Vec<&str> = typeset.lines().map(str::trim).collect();
            for line in &lines {
                assert!(
                    shown.contains(&line.trim()),
                    "{file} at {width} columns does not show {line:?}:\n{typeset}"
                );
            }
        }
    }
}

/// The inverse of `roff_verbatim`, for the escapes it writes.
fn unescape(line: &str) -> String {
    line.strip_prefix("\\&")
        .unwrap_or(line)
        .replace("\\(aq", "'")
        .replace("\\(ga", "`")
        .replace("\\(ti", "~")
        .replace("\\(ha", "^")
        .replace("\\-", "-")
        .replace("\\e", "\\")
}

/// Issue 17, item 14: `--batch` is a flag of `decode-token` only; no other command's help may
/// speak of it (the shared `-o` help did, in every command).
#[test]
fn only_decode_token_help_speaks_of_batch() {
    fn walk(command: &mut clap::Command, path: String, out: &mut Vec<(String, String)>) {
        out.push((path.clone(), command.render_long_help().to_string()));
        for sub in command.get_subcommands_mut() {
            let path = format!("{path} {}", sub.get_name());
            walk(sub, path, out);
        }
    }
    let mut command = cli::command();
    command.build();
    let mut helps = Vec::new();
    walk(&mut command, "itsme-cli".into(), &mut helps);
    for (path, help) in helps {
        let speaks = help.contains("--batch");
        assert_eq!(speaks, path == "itsme-cli decode-token", "{path}:\n{help}");
    }
}
