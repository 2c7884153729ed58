//! `decode-token --batch`: one token per line on stdin, one verdict per line on stdout, in the
//! order of the input. Tokens are decoded by several workers at once (one per CPU unless
//! `--jobs` says otherwise), each with its own keyring over one shared provider-key source, so a
//! log of thousands of tokens goes at the speed of all the machine's cores. `--scan FILE` goes
//! the same way, its tokens found anywhere on the lines of a log file
//! (`jose::compact::find_all`), each verdict with the line it was on.

use std::collections::BTreeMap;
use std::sync::mpsc;
use std::sync::{Arc, Mutex};

use serde::Serialize;

use crate::error::{Hinted, Outcome, WithHint};
use crate::input::{self, LimitedLines, LineError};
use crate::jose::compact;
use crate::jose::keys::PrivateKey;
use crate::limits::MAX_TOKEN_BYTES;
use crate::printer::{self, Printer};
use crate::secret::Secret;
use crate::token::inspect::{self, InspectOptions, Keyring, TokenReport};
use crate::token::keysource::{ProviderKeys, SharedKeys};

/// How many lines may wait for a worker: enough to keep every worker busy, few enough that a
/// huge input is never held in memory.
const QUEUED_LINES_PER_WORKER: usize = 16;

/// The most lines that wait, whatever `--jobs` says (at most 256, `cli::MAX_JOBS`): with lines of
/// up to 1 MiB, what is held stays at (jobs + this) MiB at worst.
const MAX_QUEUED_LINES: usize = 256;

/// What the workers need to decode: the partner's keys, the secret, the provider's keys and
/// the expectations.
pub struct BatchSetup {
    /// The partner's private keys.
    pub private_keys: Vec<PrivateKey>,
    /// The client secret, if any.
    pub secret: Option<Secret>,
    /// Where the provider's public keys come from (loaded once for all workers).
    pub provider: Box<dyn ProviderKeys + Send>,
    /// What each token is checked against.
    pub options: InspectOptions,
}

#[derive(Serialize)]
struct BatchLine<'r> {
    line: usize,
    #[serde(flatten)]
    report: &'r TokenReport,
}

/// One input item's result: `None` for a blank line (skipped, as if absent).
type LineResult = anyhow::Result<Option<TokenReport>>;

/// Where the tokens come from.
pub enum Source {
    /// One token per line of stdin (`--batch`).
    Stdin,
    /// Every token anywhere on the lines of a file (`--scan`).
    Scan(std::path::PathBuf),
}

/// One token to decode: its place in the output, its line, its bytes.
type Work = (usize, usize, Vec<u8>);

/// Decodes every token of `source` with `jobs` workers (0: one per CPU) and prints the verdicts
/// in input order. The outcome is "yes" only when every token was accepted.
pub fn run(
    setup: BatchSetup,
    jobs: usize,
    source: Source,
    printer: &Printer,
) -> anyhow::Result<Outcome> {
    let jobs = match jobs {
        0 => std::thread::available_parallelism().map_or(1, usize::from),
        n => n,
    };
    let BatchSetup {
        private_keys,
        secret,
        provider,
        options,
    } = setup;
    let shared_keys = SharedKeys::new(provider);
    let options = Arc::new(options);

    let (work_sender, work) = mpsc::sync_channel::<Work>(
        jobs.saturating_mul(QUEUED_LINES_PER_WORKER)
            .min(MAX_QUEUED_LINES),
    );
    let (result_sender, results) = mpsc::channel::<(usize, usize, LineResult)>();
    let work = Arc::new(Mutex::new(work));
    for _ in 0..jobs {
        let (private_keys, secret, keys) =
            (private_keys.clone(), secret.clone(), shared_keys.clone());
        let (work, results, options) = (
            Arc::clone(&work),
            result_sender.clone(),
            Arc::clone(&options),
        );
        spawn("decode-token-worker", move || {
            let mut keyring = Keyring::new(private_keys, secret, Box::new(keys));
            loop {
                // The lock is held only to take the next line, never while decoding.
                let next = work.lock().map(|w| w.recv());
                let Ok(Ok((index, line_number, line))) = next else {
                    return; // no more lines, or the reader is gone
                };
                let result = decode_line(&line, &mut keyring, &options);
                if results.send((index, line_number, result)).is_err() {
                    return; // the printer stopped (an error): the process is ending
                }
            }
        })?;
    }
    // The reader is detached on purpose: when printing fails (a closed pipe), `main` exits the
    // process without waiting for stdin, which may never end.
    let read_errors = result_sender;
    let (reader, scan): (Box<dyn std::io::BufRead + Send>, bool) = match &source {
        Source::Stdin => (Box::new(std::io::BufReader::new(std::io::stdin())), false),
        Source::Scan(path) => (
            Box::new(std::io::BufReader::new(input::open_regular(path)?)),
            true,
        ),
    };
    spawn("decode-token-reader", move || {
        let mut index = 0;
        for (number, line) in LimitedLines::new(reader, MAX_TOKEN_BYTES).enumerate() {
            let items: Vec<Vec<u8>> = match line {
                Ok(line) if scan => {
                    let text = String::from_utf8_lossy(&line);
                    compact::find_all(&text)
                        .into_iter()
                        .map(|(_, token)| token.as_bytes().to_vec())
                        .collect()
                }
                Ok(line) => vec![line],
                Err(e) => {
                    let _ = read_errors.send((index, number + 1, Err(read_error(e, scan))));
                    return;
                }
            };
            for item in items {
                if work_sender.send((index, number + 1, item)).is_err() {
                    return;
                }
                index += 1;
            }
        }
    })?;

    print_in_order(results, &options, &source, printer)
}

/// Starts a thread, or says why it could not be started (a limit on threads or memory), instead of
/// the panic of `std::thread::spawn`. Threads already started end once the reader is gone.
fn spawn(name: &str, body: impl FnOnce() + Send + 'static) -> anyhow::Result<()> {
    std::thread::Builder::new()
        .name(name.to_string())
        .spawn(body)
        .map(drop)
        .hint(
            "could not start the --batch threads",
            "lower --jobs, or raise the limit on threads (ulimit -u)",
        )
}

/// Why reading stdin stopped. An over-long line is trouble (exit 2), not a verdict line: the
/// rest of the input could only be reached by reading on without a bound (docs/decode-token.md).
fn read_error(error: LineError, scan: bool) -> anyhow::Error {
    match error {
        LineError::TooLong { .. } if scan => crate::error::hinted(
            format!("--scan stopped reading: {error}"),
            "--scan reads text logs line by line: cut the over-long line, or extract the tokens with `grep -o 'eyJ[A-Za-z0-9._-]*'` into --batch",
        ),
        LineError::TooLong { .. } => crate::error::hinted(
            format!("--batch stopped reading stdin: {error}"),
            "--batch reads one token per line: check that the input has line breaks between tokens",
        ),
        LineError::Io(e) => anyhow::Error::new(
            Hinted::new(
                if scan {
                    "could not read the --scan file"
                } else {
                    "could not read stdin"
                },
                if scan {
                    "check the file"
                } else {
                    "pipe one token per line into --batch"
                },
            )
            .caused_by(e),
        ),
    }
}

/// One line through the engine.
fn decode_line(line: &[u8], keyring: &mut Keyring, options: &InspectOptions) -> LineResult {
    Ok(match input::utf8(line) {
        Ok(text) => {
            let token = input::clean_token(text);
            if token.is_empty() {
                return Ok(None);
            }
            Some(inspect::inspect(token, keyring, options)?)
        }
        Err(why) => Some(TokenReport::malformed(options.expect.kind, why)),
    })
}

/// Prints results as they come, holding back those that arrive before an earlier line's.
fn print_in_order(
    results: mpsc::Receiver<(usize, usize, LineResult)>,
    options: &InspectOptions,
    source: &Source,
    printer: &Printer,
) -> anyhow::Result<Outcome> {
    let mut waiting = BTreeMap::new();
    let mut next = 0;
    let (mut count, mut all_accepted) = (0usize, true);
    for (index, line, result) in results {
        waiting.insert(index, (line, result));
        while let Some((line, result)) = waiting.remove(&next) {
            next += 1;
            let Some(report) = result? else {
                continue;
            };
            count += 1;
            all_accepted &= super::accepted(&report, options);
            if printer.json_mode() {
                printer.json_line(&BatchLine {
                    line,
                    report: &report,
                })?;
            } else {
                printer.stdout(&printer::token::batch_line(line, &report))?;
            }
        }
    }
    if count == 0 {
        match source {
            Source::Stdin => printer.warn("--batch read no tokens from stdin"),
            Source::Scan(path) => printer.warn(format_args!(
                "--scan found no JWS or JWE in `{}`",
                path.display()
            )),
        }
    }
    Ok(Outcome::from_bool(all_accepted))
}
