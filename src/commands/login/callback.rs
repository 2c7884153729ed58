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
    let listener = if crate::url_policy::is_loopback_host(&redirect) {
        Some(Listener::bind(&redirect)?)
    } else {
        None
    };
    if listener.as_ref().is_some_and(Listener::self_signed) {
        printer.note("The redirect URI is https: the browser will warn once about the certificate made for this run.");
    }
    show_the_way(built.url.as_str(), login.callback.no_browser, printer);
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

/// Opens the browser at `url`, or prints it (and a QR code on a terminal).
fn show_the_way(url: &str, no_browser: bool, printer: &Printer) {
    let opened = !no_browser && crate::browser::open(url).is_ok();
    if opened {
        printer.note(format_args!(
            "Opened your browser. If nothing happened, open:\n  {url}"
        ));
    } else {
        printer.note(format_args!("Open this address in a browser:\n  {url}"));
        if std::io::stderr().is_terminal()
            && let Some(qr) = crate::browser::qr_code(url)
        {
            printer.note(qr);
        }
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
    let mut line = String::new();
    std::io::stdin()
        .read_line(&mut line)
        .hint("could not read the pasted address", "paste it on one line")?;
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
