//! Users have docs/itsme-facts.md, not the project's PROTOCOL.md: no message, help text, man page
//! or doc page may send them to "PROTOCOL §N", and every `itsme-facts.md#anchor` they cite exists
//! (issue 17, item 7). Code comments may keep citing PROTOCOL §N.

use std::path::{Path, PathBuf};

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn files(dir: &Path, ext: &str, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            files(&path, ext, out);
        } else if ext.is_empty() || path.extension().is_some_and(|e| e == ext) {
            out.push(path);
        }
    }
}

/// The text a user reads: README, docs pages, man pages, completions, every `--help`, and the
/// string literals of `src/` (messages and hints; comment lines left out).
fn user_facing() -> Vec<(String, String)> {
    let mut texts = Vec::new();
    let mut paths = vec![root().join("README.md")];
    files(&root().join("docs"), "md", &mut paths);
    files(&root().join("docs/man"), "1", &mut paths);
    files(&root().join("completions"), "", &mut paths);
    for path in paths {
        texts.push((
            path.display().to_string(),
            std::fs::read_to_string(&path).unwrap(),
        ));
    }
    let mut sources = Vec::new();
    files(&root().join("src"), "rs", &mut sources);
    for path in sources {
        let code: Vec<String> = std::fs::read_to_string(&path)
            .unwrap()
            .lines()
            .filter(|line| !line.trim_start().starts_with("//"))
            .map(|line| match line.find(" // ") {
                Some(comment) => line[..comment].to_string(),
                None => line.to_string(),
            })
            .collect();
        texts.push((path.display().to_string(), code.join("\n")));
    }
    fn helps(command: &mut clap::Command, name: String, out: &mut Vec<(String, String)>) {
        out.push((
            format!("{name} --help"),
            command.render_long_help().to_string(),
        ));
        for sub in command.get_subcommands_mut() {
            let name = format!("{name} {}", sub.get_name());
            helps(sub, name, out);
        }
    }
    let mut command = itsme_cli::cli::command();
    command.build();
    helps(&mut command, "itsme-cli".into(), &mut texts);
    texts
}

#[test]
fn no_user_facing_text_cites_protocol_sections() {
    let offenders: Vec<String> = user_facing()
        .into_iter()
        .filter(|(_, text)| text.contains("PROTOCOL §") || text.contains("PROTOCOL.md"))
        .map(|(name, _)| name)
        .collect();
    assert!(
        offenders.is_empty(),
        "cite docs/itsme-facts.md#… instead of PROTOCOL §N in: {offenders:?}"
    );
}

#[test]
fn every_cited_facts_anchor_exists_and_the_page_links_the_public_documentation() {
    let page = std::fs::read_to_string(root().join("docs/itsme-facts.md")).unwrap();
    assert!(page.contains("https://belgianmobileid.github.io/doc/"));
    let mut cited = 0;
    for (name, text) in user_facing() {
        for (at, _) in text.match_indices("itsme-facts.md#") {
            let anchor: String = text[at + "itsme-facts.md#".len()..]
                .chars()
                .take_while(|c| c.is_ascii_lowercase() || *c == '-')
                .collect();
            assert!(
                page.contains(&format!("<a id=\"{anchor}\"></a>")),
                "{name} cites itsme-facts.md#{anchor}, which the page does not have"
            );
            cited += 1;
        }
    }
    assert!(
        cited > 20,
        "hints and docs point to the facts page: {cited}"
    );
}
