//! The `itsme-cli` binary: parse, run, print the error chain with hints, exit.

use std::process::ExitCode;

use clap::FromArgMatches;
use itsme_cli::cli::{Cli, Command};
use itsme_cli::commands;
use itsme_cli::error::{Outcome, exit, is_broken_pipe};
use itsme_cli::printer::{self, Printer};
use itsme_cli::settings::Settings;

/// Resolves the shared settings once (flags > `ITSME_*` > profile), for the commands that take them.
fn resolve_settings(cli: &Cli) -> anyhow::Result<Settings> {
    match cli.command.setting_flags() {
        Some((flags, layers)) => Settings::resolve(flags, layers, cli.profile.as_deref()),
        None => Ok(Settings::default()),
    }
}

fn run(cli: &Cli, settings: &Settings, printer: &Printer) -> anyhow::Result<Outcome> {
    if settings.secret_typed() {
        commands::warn_typed_secret(printer);
    }
    match &cli.command {
        Command::DecodeToken(args) => commands::decode_token::run(args, settings, printer),
        Command::Keys(command) => commands::keys::run(command, printer),
        Command::Discovery(args) => commands::discovery::run(args, settings, printer),
        Command::Validate(args) => commands::validate::run(args, settings, printer),
        Command::Login(args) => commands::login::run(args, settings, printer),
        Command::Ciba(args) => commands::ciba::run(args, settings, printer),
        Command::Completions(args) => commands::completions::run(args, printer),
        Command::Claims(args) => commands::claims::run(args, printer),
        Command::Config(command) => commands::config::run(command, settings, printer),
        Command::Sandbox(args) => commands::sandbox::run(args, printer),
    }
}

fn main() -> ExitCode {
    let cli = Cli::from_arg_matches(&itsme_cli::cli::command().get_matches())
        .unwrap_or_else(|e| e.exit());
    itsme_cli::interrupt::install();
    colored::control::set_override(cli.color.resolve());
    itsme_cli::trace::set_verbosity(cli.verbose);
    let printer = Printer::new(cli.output);
    let result = resolve_settings(&cli).and_then(|settings| run(&cli, &settings, &printer));
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
