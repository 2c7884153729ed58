//! Ctrl-C: exit 130 at once, except while a secret prompt has the terminal in raw mode. There the
//! prompt is allowed to restore the terminal first and returns `ErrorKind::Interrupted`, which
//! `main` turns into exit 130 too.

use std::sync::atomic::{AtomicBool, Ordering};

static PROMPTING: AtomicBool = AtomicBool::new(false);

/// Installs the handler. Call once, early in `main`.
pub fn install() {
    // If a handler cannot be installed the default (terminate on SIGINT) stays: acceptable.
    let _ = ctrlc::set_handler(|| {
        if !PROMPTING.load(Ordering::SeqCst) {
            std::process::exit(i32::from(crate::error::exit::INTERRUPTED));
        }
    });
}

/// Runs a terminal prompt during which Ctrl-C is left to the prompt, which restores the terminal
/// and then fails with `ErrorKind::Interrupted`.
pub fn prompt<T>(ask: impl FnOnce() -> std::io::Result<T>) -> std::io::Result<T> {
    PROMPTING.store(true, Ordering::SeqCst);
    let answer = ask();
    PROMPTING.store(false, Ordering::SeqCst);
    answer
}

/// Whether an error chain is an interrupted prompt.
pub fn is_interrupted(error: &anyhow::Error) -> bool {
    error.chain().any(|e| {
        e.downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::Interrupted)
    })
}
