//! The man pages in `docs/man/` (itsme-cli.1 and one per subcommand) must be what the command
//! line generates: a change to a flag or its help without regenerating them fails here.
//! Regenerate with `ITSME_UPDATE_MAN=1 cargo test --test it man_pages::`.

use clap::CommandFactory;
use itsme_cli::cli::Cli;

/// Every page: (file name, roff text) for the command and each (nested) subcommand.
fn pages() -> Vec<(String, Vec<u8>)> {
    fn walk(command: &clap::Command, prefix: &str, out: &mut Vec<(String, Vec<u8>)>) {
        let name = if prefix.is_empty() {
            command.get_name().to_string()
        } else {
            format!("{prefix}-{}", command.get_name())
        };
        let mut roff = Vec::new();
        // clap wants a 'static name; a handful of page names leaked in a test process is fine.
        let static_name: &'static str = Box::leak(name.clone().into_boxed_str());
        clap_mangen::Man::new(command.clone().name(static_name))
            .render(&mut roff)
            .expect("renders");
        out.push((format!("{name}.1"), roff));
        for sub in command
            .get_subcommands()
            .filter(|s| !s.is_hide_set() && s.get_name() != "help")
        {
            walk(sub, &name, out);
        }
    }
    let mut command = Cli::command();
    command.build();
    let mut out = Vec::new();
    walk(&command, "", &mut out);
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
