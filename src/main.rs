//! The `itsme-cli` binary: parse, run, print the error chain with hints, exit.

use std::process::ExitCode;

use clap::parser::ValueSource;
use clap::{CommandFactory, FromArgMatches};
use itsme_cli::cli::{Cli, Command};
use itsme_cli::commands;
use itsme_cli::error::{Outcome, exit, is_broken_pipe};
use itsme_cli::printer::{self, Printer};

/// Whether `subcommand`'s `arg` was typed on the command line (not taken from the environment):
/// a secret typed there lands in the shell history, which deserves a warning.
fn typed_on_command_line(matches: &clap::ArgMatches, subcommand: &str, arg: &str) -> bool {
    matches
        .subcommand_matches(subcommand)
        .and_then(|m| m.value_source(arg))
        == Some(ValueSource::CommandLine)
}

fn main() -> ExitCode {
    let matches = Cli::command().get_matches();
    let cli = match Cli::from_arg_matches(&matches) {
        Ok(cli) => cli,
        Err(e) => e.exit(),
    };
    itsme_cli::interrupt::install();
    colored::control::set_override(cli.color.resolve());
    itsme_cli::trace::set_verbosity(cli.verbose);
    let printer = Printer::new(cli.output);
    let result = match &cli.command {
        Command::DecodeToken(args) => {
            let typed_secret = typed_on_command_line(&matches, "decode-token", "client_secret");
            commands::decode_token::run(args, &printer, typed_secret, cli.profile.as_deref())
        }
        Command::Keys(command) => commands::keys::run(command, &printer),
        Command::Discovery(args) => {
            commands::discovery::run(args, &printer, cli.profile.as_deref())
        }
        Command::Validate(args) => {
            let typed_secret = typed_on_command_line(&matches, "validate", "client_secret");
            commands::validate::run(args, &printer, typed_secret, cli.profile.as_deref())
        }
        Command::Login(args) => {
            let typed_secret = typed_on_command_line(&matches, "login", "client_secret");
            commands::login::run(args, &printer, typed_secret, cli.profile.as_deref())
        }
        Command::Completions(args) => commands::completions::run(args, &printer),
        Command::Claims(args) => commands::claims::run(args, &printer),
        Command::Config(command) => {
            commands::config::run(command, &printer, cli.profile.as_deref())
        }
        Command::Sandbox(args) => commands::sandbox::run(args, &printer),
    };
    match result {
        Ok(Outcome::Yes) => ExitCode::from(exit::OK),
        Ok(Outcome::No) => ExitCode::from(exit::NO),
        Err(e) if is_broken_pipe(&e) => ExitCode::from(exit::OK),
        Err(e) if itsme_cli::interrupt::is_interrupted(&e) => ExitCode::from(exit::INTERRUPTED),
        Err(e) => {
            printer::error(&e);
            ExitCode::from(exit::TROUBLE)
        }
    }
}
