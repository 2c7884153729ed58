//! Errors that end a command with "trouble" (exit 2), and the hints that tell the user the fix.
//!
//! A verdict of "no" (an invalid token, a failed check) is not an error: commands return it as
//! [`Outcome::No`]. Errors are for everything that stopped the command from reaching a verdict.

use std::fmt;

/// How a command ended, when it ended without trouble.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// The answer is "yes": exit 0.
    Yes,
    /// The answer is "no" (invalid token, failed check): exit 1.
    No,
}

impl Outcome {
    /// `Yes` when `ok`, else `No`.
    pub fn from_bool(ok: bool) -> Self {
        if ok { Outcome::Yes } else { Outcome::No }
    }
}

/// Process exit codes (README "Exit codes").
pub mod exit {
    /// Success.
    pub const OK: u8 = 0;
    /// The verdict is "no".
    pub const NO: u8 = 1;
    /// Trouble: usage, I/O, network.
    pub const TROUBLE: u8 = 2;
    /// Interrupted by Ctrl-C.
    pub const INTERRUPTED: u8 = 130;
}

/// An error message that comes with a hint naming the fix. Attach it with [`WithHint::hint`];
/// `main` prints every hint found in the chain as `hint: …`.
#[derive(Debug)]
pub struct Hinted {
    message: String,
    hint: String,
    source: Option<Box<dyn std::error::Error + Send + Sync + 'static>>,
}

impl Hinted {
    /// A new error with its hint.
    pub fn new(message: impl Into<String>, hint: impl Into<String>) -> Self {
        Hinted {
            message: message.into(),
            hint: hint.into(),
            source: None,
        }
    }

    /// The same, caused by `source` (shown as `Caused by:`).
    pub fn caused_by(mut self, source: impl std::error::Error + Send + Sync + 'static) -> Self {
        self.source = Some(Box::new(source));
        self
    }

    /// The hint text.
    pub fn hint(&self) -> &str {
        &self.hint
    }
}

impl fmt::Display for Hinted {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Hinted {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.source
            .as_deref()
            .map(|s| s as &(dyn std::error::Error + 'static))
    }
}

/// Adds a message and a hint to an error, like `anyhow::Context` does for a message alone.
pub trait WithHint<T> {
    /// Wrap the error in `message`, with `hint` telling the user what to do.
    fn hint(self, message: impl Into<String>, hint: impl Into<String>) -> anyhow::Result<T>;
}

impl<T, E> WithHint<T> for Result<T, E>
where
    E: std::error::Error + Send + Sync + 'static,
{
    fn hint(self, message: impl Into<String>, hint: impl Into<String>) -> anyhow::Result<T> {
        self.map_err(|e| anyhow::Error::new(Hinted::new(message, hint).caused_by(e)))
    }
}

/// The hints found anywhere in an error chain, outermost first.
pub fn hints(error: &anyhow::Error) -> Vec<String> {
    error
        .chain()
        .filter_map(|e| e.downcast_ref::<Hinted>())
        .map(|h| h.hint.clone())
        .collect()
}

/// Whether the error chain contains a broken pipe (the reader of stdout went away): not an error.
pub fn is_broken_pipe(error: &anyhow::Error) -> bool {
    error.chain().any(|e| {
        e.downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}

/// Builds a hinted error to return with `Err(...)?`.
pub fn hinted(message: impl Into<String>, hint: impl Into<String>) -> anyhow::Error {
    anyhow::Error::new(Hinted::new(message, hint))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hints_are_found_at_any_depth() {
        let io: Result<(), _> = Err(std::io::Error::other("disk on fire"));
        let err = io.hint("could not save", "free some space").unwrap_err();
        let err = err.context("while saving the photo");
        assert_eq!(hints(&err), ["free some space"]);
        let messages: Vec<String> = err.chain().map(|e| e.to_string()).collect();
        assert_eq!(
            messages,
            ["while saving the photo", "could not save", "disk on fire"]
        );
        assert!(!is_broken_pipe(&err));
        let pipe: Result<(), _> = Err(std::io::Error::from(std::io::ErrorKind::BrokenPipe));
        assert!(is_broken_pipe(&pipe.hint("x", "y").unwrap_err()));
    }
}
