//! Catching the redirect: the browser (or the address to open), then the code from a loopback
//! listener when the redirect URI is on this machine, else from the address the user pastes.

use std::io::IsTerminal;

use url::Url;

use super::setup::Login;
use crate::error::{WithHint, hinted};
use crate::flow::Refusal;
use crate::loopback::{Callback, Listener, ListenerError};
use crate::oidc::authorization::BuiltRequest;
use crate::printer::Printer;

/// Opens the browser (or says where to go) and waits for the code: on a loopback listener when
/// the redirect URI is on this machine, else from the address the user pastes. A redirect that
/// carries an error, not this login's `state`, or no usable authorization response is the
/// refusal, in both modes.
pub(super) fn receive_code(
    login: &Login,
    built: &BuiltRequest,
    printer: &Printer,
) -> anyhow::Result<Result<String, Refusal>> {
    let redirect_uri = &login.setup.redirect_uri;
    let redirect = Url::parse(redirect_uri).hint(
        format!("the redirect URI `{redirect_uri}` is not a URL"),
        "give the registered redirect URI",
    )?;
    let mut listener = if crate::url_policy::is_loopback_host(&redirect) {
        Some(Listener::bind(&redirect)?)
    } else {
        None
    };
    if listener.as_ref().is_some_and(Listener::self_signed) {
        printer.note("The redirect URI is https: the browser will warn once about the certificate made for this run.");
    }
    // A short start address on the listener instead of kilobytes of request object (issue 16, §2).
    let start = listener
        .as_mut()
        .and_then(|listener| listener.serve_start(&built.url));
    if let Some(start) = &start {
        crate::trace::trace(format_args!(
            "{start} redirects to the authorization URL {}",
            built.url
        ));
    }
    show_the_way(
        start.as_ref().unwrap_or(&built.url),
        login.callback.no_browser,
        printer,
    );
    let received = match listener {
        Some(listener) => listen(listener, login, &built.state, printer)?,
        None => paste_mode(&built.state, printer)?,
    };
    let callback = match received {
        Ok(callback) => callback,
        Err(refusal) => return Ok(Err(refusal)),
    };
    Ok(match callback {
        Callback::Code { code } => Ok(code.expose().to_string()),
        Callback::ProviderError { error, description } => {
            Err(Refusal::authorization(error, description))
        }
    })
}

/// Opens the browser at `url`, or prints it, with a QR code when one can be scanned and used
/// (`browser::qr_for`), else one line saying why there is none.
fn show_the_way(url: &Url, no_browser: bool, printer: &Printer) {
    let opened = !no_browser && crate::browser::open(url.as_str()).is_ok();
    if opened {
        printer.note(format_args!(
            "Opened your browser. If nothing happened, open:\n  {url}"
        ));
        return;
    }
    printer.note(format_args!("Open this address in a browser:\n  {url}"));
    match crate::browser::qr_for(url, crate::browser::stderr_columns()) {
        Ok(qr) => printer.note(qr),
        Err(why) => printer.note(format_args!("No QR code: {why}.")),
    }
}

/// Listener mode: waits for the redirect on this machine, up to the timeout.
fn listen(
    listener: Listener,
    login: &Login,
    state: &str,
    printer: &Printer,
) -> anyhow::Result<Result<Callback, Refusal>> {
    let timeout = login.callback.timeout;
    printer.note(format_args!(
        "Waiting for the login on {} (up to {} s; Ctrl-C to stop)…",
        login.setup.redirect_uri,
        timeout.as_secs()
    ));
    let countdown = crate::printer::Countdown::start("waiting for the login", timeout);
    let outcome = listener.wait(state, timeout);
    drop(countdown);
    match outcome {
        Ok(callback) => Ok(Ok(callback)),
        Err(ListenerError::TimedOut) => Err(hinted(
            format!("no login arrived within {} s", timeout.as_secs()),
            "finish the login in the browser sooner, or raise --timeout",
        )),
        Err(other) => match Refusal::from_callback(&other) {
            Some(refusal) => Ok(Err(refusal)),
            None => Err(anyhow::anyhow!("the redirect could not be read: {other}")),
        },
    }
}

/// Paste mode: the registered redirect URI is not on this machine. The user finishes the login
/// and pastes the address the browser ended on (the whole URL, or only its query).
fn paste_mode(state: &str, printer: &Printer) -> anyhow::Result<Result<Callback, Refusal>> {
    printer.note("The redirect URI is not on this machine. Finish the login, then paste the address your browser ended on (or its query) and press Enter:");
    let stdin = std::io::stdin();
    let line = read_pasted_line(&mut stdin.lock(), stdin.is_terminal(), printer)?;
    // The same reading and the same verdict as the listener's (`Refusal::from_callback`).
    match crate::loopback::read_pasted_response(&line, state) {
        Ok(callback) => Ok(Ok(callback)),
        Err(other) => match Refusal::from_callback(&other) {
            Some(refusal) => Ok(Err(refusal)),
            None => Err(hinted(
                format!("the pasted address cannot be used: {other}"),
                "paste the address the browser ended on after the login, unchanged",
            )),
        },
    }
}

/// How many times in a row a terminal may end its input (Ctrl-D) before paste mode gives up: a
/// terminal that hung up reads as an endless end of input.
const MAX_EMPTY_READS_AT_EOF: usize = 3;

/// The first non-blank line pasted. An empty line or the end of input is "nothing was pasted":
/// on a terminal the user is asked again (Ctrl-C stops); from a pipe or file it is trouble (exit 2),
/// for there is nobody to ask.
fn read_pasted_line(
    input: &mut impl std::io::BufRead,
    terminal: bool,
    printer: &Printer,
) -> anyhow::Result<String> {
    let mut ends = 0;
    loop {
        let mut line = String::new();
        let read = input
            .read_line(&mut line)
            .hint("could not read the pasted address", "paste it on one line")?;
        if !line.trim().is_empty() {
            return Ok(line);
        }
        let why = if read == 0 {
            ends += 1;
            "nothing was pasted (the input ended)"
        } else {
            "nothing was pasted (an empty line)"
        };
        if !terminal || ends >= MAX_EMPTY_READS_AT_EOF {
            return Err(hinted(
                why,
                "paste the address the browser ended on after the login, on one line, then press Enter",
            ));
        }
        printer.note(format_args!(
            "{}: paste the address your browser ended on and press Enter (Ctrl-C to stop):",
            capitalised(why)
        ));
    }
}

fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    chars
        .next()
        .map(|first| first.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn printer() -> Printer {
        Printer::new(crate::output::OutputFormat::Json)
    }

    #[test]
    fn nothing_pasted_is_said_and_asked_again_only_on_a_terminal() {
        for input in ["", "\n", "  \n"] {
            let error = read_pasted_line(&mut input.as_bytes(), false, &printer())
                .expect_err("nothing to read");
            assert!(
                error.to_string().starts_with("nothing was pasted"),
                "{input:?}: {error}"
            );
        }
        let line = read_pasted_line(&mut "\n\n?code=x&state=y\n".as_bytes(), true, &printer())
            .expect("asked again");
        assert_eq!(line.trim(), "?code=x&state=y");
        // A terminal that keeps ending its input is given up on.
        let error = read_pasted_line(&mut "".as_bytes(), true, &printer()).expect_err("gone");
        assert!(error.to_string().contains("the input ended"));
    }
}
