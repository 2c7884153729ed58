//! The `-v` trace: lines on stderr about what is read and fetched. A leaf: any module may call it.
//! The rendering of traced HTTP exchanges (with their redaction) lives next to `http`.

#![allow(clippy::print_stderr)]

use std::fmt::Display;
use std::io::Write;
use std::sync::atomic::{AtomicBool, AtomicU8, Ordering};

use colored::Colorize;

static VERBOSITY: AtomicU8 = AtomicU8::new(0);
static REVEAL_SECRETS: AtomicBool = AtomicBool::new(false);

/// Sets the `-v` level (`main` does, once).
pub fn set_verbosity(level: u8) {
    VERBOSITY.store(level, Ordering::Relaxed);
}

/// The `-v` level: 0 silent, 1 traces, 2 also decodes the JWTs met.
pub fn verbosity() -> u8 {
    VERBOSITY.load(Ordering::Relaxed)
}

/// Lets traces show tokens and secrets as they are (`login --show-tokens`).
pub fn reveal_secrets(reveal: bool) {
    REVEAL_SECRETS.store(reveal, Ordering::Relaxed);
}

/// Whether traces may show tokens and secrets as they are.
pub fn secrets_revealed() -> bool {
    REVEAL_SECRETS.load(Ordering::Relaxed)
}

/// A line on stderr when `-v` is given (what is read, what is fetched). Never secrets.
pub fn trace(message: impl Display) {
    if verbosity() > 0 {
        let _ = writeln!(std::io::stderr(), "{} {message}", "trace:".dimmed());
    }
}

/// Several trace lines at once (one HTTP exchange), written in one go so they stay together.
pub fn trace_lines(lines: &[String]) {
    let prefix = "trace:".dimmed().to_string();
    let mut text = String::new();
    for line in lines {
        text.push_str(&prefix);
        text.push(' ');
        text.push_str(line);
        text.push('\n');
    }
    let _ = std::io::stderr().lock().write_all(text.as_bytes());
}
