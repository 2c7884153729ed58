//! Every byte a person or a script reads comes from here: results on stdout (human or JSON),
//! warnings, notes, traces and errors on stderr. Colour is decided once, in `main`.

#![allow(clippy::print_stdout, clippy::print_stderr)]

pub mod ciba;
pub mod claims;
pub mod discovery;
pub mod keys;
pub mod login;
pub mod replay;
pub mod sandbox;
pub mod token;
pub mod validate;
mod wrap;

use std::fmt::Display;
use std::io::{IsTerminal, Write};
use std::sync::atomic::Ordering;

use colored::Colorize;
use serde::Serialize;

pub use crate::escape::escape;
pub use crate::output::{ColorChoice, OutputFormat};

/// The writer of results and messages for one command run.
#[derive(Debug, Clone, Copy)]
pub struct Printer {
    /// The result format.
    pub format: OutputFormat,
}

impl Printer {
    /// A printer for `format`.
    pub fn new(format: OutputFormat) -> Self {
        Printer { format }
    }

    /// Whether results are JSON.
    pub fn json_mode(&self) -> bool {
        self.format == OutputFormat::Json
    }

    /// Writes text to stdout as is.
    pub fn stdout(&self, text: &str) -> std::io::Result<()> {
        let mut out = std::io::stdout().lock();
        out.write_all(text.as_bytes())?;
        out.flush()
    }

    /// Writes a human-readable report to stdout, long lines folded to the terminal's width
    /// (or `COLUMNS`); never folded when stdout is a pipe or a file.
    pub fn report(&self, text: &str) -> std::io::Result<()> {
        match wrap::target_width() {
            Some(width) => self.stdout(&wrap::wrap(text, width)),
            None => self.stdout(text),
        }
    }

    /// Writes a command's result: `report` as one JSON document with `--output json`, otherwise
    /// the text `human` renders from it. Every command's result goes through here.
    pub fn result<T: Serialize>(
        &self,
        report: &T,
        human: impl FnOnce(&T) -> String,
    ) -> std::io::Result<()> {
        if self.json_mode() {
            self.json(report)
        } else {
            self.report(&human(report))
        }
    }

    /// The same for one result of a stream (`sandbox`'s ready line): JSON on one line.
    pub fn result_line<T: Serialize>(
        &self,
        report: &T,
        human: impl FnOnce(&T) -> String,
    ) -> std::io::Result<()> {
        if self.json_mode() {
            self.json_line(report)
        } else {
            self.report(&human(report))
        }
    }

    /// Writes one pretty JSON document to stdout.
    pub fn json<T: Serialize>(&self, value: &T) -> std::io::Result<()> {
        let mut text = serde_json::to_string_pretty(value).map_err(std::io::Error::other)?;
        text.push('\n');
        self.stdout(&text)
    }

    /// Writes one JSON document on one line to stdout (for streams of results).
    pub fn json_line<T: Serialize>(&self, value: &T) -> std::io::Result<()> {
        let mut text = serde_json::to_string(value).map_err(std::io::Error::other)?;
        text.push('\n');
        self.stdout(&text)
    }

    /// `warning: …` on stderr. Warnings often quote what a provider or a file said, so the
    /// message is escaped like every untrusted text.
    pub fn warn(&self, message: impl Display) {
        let _ = writeln!(
            std::io::stderr(),
            "{} {}",
            "warning:".yellow().bold(),
            escape(&message.to_string())
        );
    }

    /// A plain line on stderr (progress, next steps).
    pub fn note(&self, message: impl Display) {
        let _ = writeln!(std::io::stderr(), "{message}");
    }
}

/// A spinner on stderr counting down while the tool waits; nothing when stderr is not a terminal.
/// It stops when dropped.
pub struct Countdown {
    bar: Option<indicatif::ProgressBar>,
    ticker: Option<std::thread::JoinHandle<()>>,
    done: std::sync::Arc<std::sync::atomic::AtomicBool>,
}

impl Countdown {
    /// Starts counting down `total` with `what` as the message (e.g. "waiting for the login").
    pub fn start(what: &str, total: std::time::Duration) -> Self {
        let done = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
        if !std::io::stderr().is_terminal() {
            return Countdown {
                bar: None,
                ticker: None,
                done,
            };
        }
        let bar = indicatif::ProgressBar::new_spinner();
        bar.set_style(
            indicatif::ProgressStyle::with_template("{spinner} {msg}")
                .unwrap_or_else(|_| indicatif::ProgressStyle::default_spinner()),
        );
        bar.enable_steady_tick(std::time::Duration::from_millis(120));
        let (ticking, flag, what) = (bar.clone(), done.clone(), what.to_string());
        let started = std::time::Instant::now();
        let ticker = std::thread::spawn(move || {
            while !flag.load(Ordering::Relaxed) {
                let left = total.saturating_sub(started.elapsed()).as_secs();
                ticking.set_message(format!(
                    "{what}: {}:{:02} left (Ctrl-C to stop)",
                    left / 60,
                    left % 60
                ));
                std::thread::sleep(std::time::Duration::from_millis(250));
            }
        });
        Countdown {
            bar: Some(bar),
            ticker: Some(ticker),
            done,
        }
    }
}

impl Drop for Countdown {
    fn drop(&mut self) {
        self.done.store(true, Ordering::Relaxed);
        if let Some(ticker) = self.ticker.take() {
            let _ = ticker.join();
        }
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}

/// A message of several lines (a parser's report with its source excerpt and caret) as the lines it
/// is: each line escaped on its own, the following ones indented under the first; trailing blank
/// lines dropped.
fn message_lines(message: &str, indent: usize) -> String {
    let mut lines = message.trim_end().lines();
    let mut out = lines
        .next()
        .map(|l| escape(l).into_owned())
        .unwrap_or_default();
    for line in lines {
        out.push('\n');
        out.push_str(&" ".repeat(indent));
        out.push_str(&escape(line));
    }
    out
}

/// Prints an error the way uv does: `error: …`, then `Caused by: …` lines, then `hint: …` lines.
pub fn error(error: &anyhow::Error) {
    let mut err = std::io::stderr().lock();
    let chain = deduplicated_chain(error);
    let mut lines = chain.iter();
    if let Some(first) = lines.next() {
        let _ = writeln!(err, "{} {}", "error:".red().bold(), message_lines(first, 7));
    }
    for cause in lines {
        let _ = writeln!(
            err,
            "  {} {}",
            "Caused by:".bold(),
            message_lines(cause, 13)
        );
    }
    for hint in crate::error::hints(error) {
        // Hints may quote untrusted text too (a file name, a provider's value).
        let _ = writeln!(err, "{} {}", "hint:".cyan().bold(), escape(&hint));
    }
}

/// The messages of an error chain, each cause left out when a message printed before it already
/// says it (a wrapper that quotes its source, a source that repeats its wrapper).
fn deduplicated_chain(error: &anyhow::Error) -> Vec<String> {
    let mut shown: Vec<String> = Vec::new();
    for message in error.chain().map(|e| e.to_string()) {
        if !shown
            .iter()
            .any(|earlier| earlier.contains(message.as_str()))
        {
            shown.push(message);
        }
    }
    shown
}

#[cfg(test)]
mod tests {
    use super::message_lines;

    #[test]
    fn a_cause_already_said_is_not_said_again() {
        let error = anyhow::anyhow!("failed to lookup address information")
            .context("dns error")
            .context("could not reach `https://x.invalid/`: failed to lookup address information")
            .context("could not reach `https://x.invalid/`: failed to lookup address information");
        assert_eq!(
            super::deduplicated_chain(&error),
            [
                "could not reach `https://x.invalid/`: failed to lookup address information",
                "dns error"
            ]
        );
    }

    #[test]
    fn a_report_of_several_lines_prints_as_its_lines_each_escaped() {
        let report = "TOML parse error at line 2, column 1\n  |\n2 | clientid = \"x\"\n  | ^^^^^^^^\nunknown field `clientid`\n";
        assert_eq!(
            message_lines(report, 4),
            "TOML parse error at line 2, column 1\n      |\n    2 | clientid = \"x\"\n      | ^^^^^^^^\n    unknown field `clientid`"
        );
        assert_eq!(
            message_lines("one\u{1b}[31m line", 2),
            "one\\u{1b}[31m line"
        );
        assert_eq!(
            message_lines("a\r\nb", 1),
            "a\n b",
            "CRLF is a line end too"
        );
    }
}
