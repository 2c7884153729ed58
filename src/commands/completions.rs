//! `itsme-cli completions SHELL`: the completion script, generated from the clap definition.

use clap::CommandFactory;

use crate::cli::{Cli, CompletionsArgs};
use crate::error::Outcome;
use crate::printer::Printer;

/// The completion script of `shell` for the whole command line.
pub fn script(shell: clap_complete::Shell) -> String {
    let mut buffer = Vec::new();
    clap_complete::generate(shell, &mut Cli::command(), "itsme-cli", &mut buffer);
    let script = String::from_utf8_lossy(&buffer).into_owned();
    match shell {
        // clap_complete's bash script names the state of a hyphenated binary `itsme__cli…` in its
        // dispatch loop but `itsme__subcmd__cli…` in its case arms, so no subcommand option ever
        // completes (clap-rs/clap#6421). Spell the arms like the loop; a no-op once clap is fixed.
        clap_complete::Shell::Bash => script.replace("itsme__subcmd__cli", "itsme__cli"),
        _ => script,
    }
}

/// Prints the script.
pub fn run(args: &CompletionsArgs, printer: &Printer) -> anyhow::Result<Outcome> {
    printer.stdout(&script(args.shell))?;
    Ok(Outcome::Yes)
}
