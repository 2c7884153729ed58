//! The redirect listener: catches the browser's return to a loopback redirect URI after login.
//!
//! [`Listener::bind`] listens on exactly the host and port of the redirect URI (127.0.0.1, `[::1]`,
//! or `localhost` as 127.0.0.1; never 0.0.0.0), over http or over https with a self-signed
//! certificate made at run time. [`Listener::wait`] then serves until one authorization response
//! arrives on the redirect path, answers the browser with a short page, and closes the socket.
//!
//! Safety rules: the `state` is compared in constant time and a missing or different one fails the
//! login (a possible cross-site request forgery, never retried); the pages never contain the code
//! and every value shown is HTML-escaped; requests to other paths, with another `Host`, or with
//! another method are answered 404/421/405 and ignored.
//!
//! Robustness against local clients (see `http/server.rs`, shared with the sandbox): every
//! connection is served on its own thread, with its TLS handshake and request head due within 10 s
//! and the head capped at 64 KiB (414 or 431 beyond), so silent, slow, oversized or numerous
//! clients cannot hold up the browser's return, nor keep [`Listener::wait`] past its deadline.

use std::fmt;
use std::net::{IpAddr, Ipv4Addr, SocketAddr, TcpListener};
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::Context;
use openssl::pkey::{PKey, Private};
use openssl::ssl::{SslAcceptor, SslMethod};
use openssl::x509::X509;
use url::{Host, Url};

use crate::http::server::{self, Answer, Head, Request, Server};

use crate::error::{Hinted, hinted};
use crate::escape::html;
use crate::secret::Secret;

/// The longest `state`, `error` or `error_description` kept from a response (longer ones are cut).
const MAX_KEPT_STATE: usize = 128;
const MAX_KEPT_ERROR: usize = 128;
const MAX_KEPT_DESCRIPTION: usize = 1024;

/// What the browser brought back to the redirect URI.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Callback {
    /// The provider issued an authorization code (`Debug` prints it as `(redacted)`).
    Code {
        /// The code, to exchange at the token endpoint.
        code: Secret,
    },
    /// The provider refused or failed the login (PROTOCOL §8).
    ProviderError {
        /// The `error` code, e.g. `access_denied` (untrusted text: escape before printing).
        error: String,
        /// The `error_description`, if any (untrusted text, cut at 1024 characters).
        description: Option<String>,
    },
}

/// Why [`Listener::wait`] ended without a [`Callback`]. Each message names the fix.
#[derive(Debug)]
pub enum ListenerError {
    /// No authorization response arrived before the deadline.
    TimedOut,
    /// The response's `state` was missing or not the one this login sent: refused as a possible
    /// cross-site request forgery. `received` is the state received (cut at 128 characters).
    StateMismatch {
        /// The `state` received, if any.
        received: Option<String>,
    },
    /// The response had the right `state` but no usable `code` or `error` (the reason says which).
    Malformed(String),
    /// The listener stopped accepting connections.
    Io(std::io::Error),
}

impl fmt::Display for ListenerError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ListenerError::TimedOut => f.write_str(
                "no answer reached the redirect URI in time: start the login again and approve it \
                 in the itsme® app before the wait ends, or allow a longer wait",
            ),
            ListenerError::StateMismatch { received } => write!(
                f,
                "refused the answer at the redirect URI as a possible cross-site request forgery: \
                 its `state` {} the one this login sent; start the login again, from this terminal only",
                if received.is_some() {
                    "differs from"
                } else {
                    "is missing, unlike"
                }
            ),
            ListenerError::Malformed(reason) => write!(
                f,
                "the answer at the redirect URI cannot be used: {reason}; start the login again, \
                 and check that the redirect URI is registered exactly as given"
            ),
            ListenerError::Io(e) => write!(
                f,
                "the redirect listener stopped: {e}; start the login again"
            ),
        }
    }
}

impl std::error::Error for ListenerError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            ListenerError::Io(e) => Some(e),
            _ => None,
        }
    }
}

/// A one-line meaning of an authorization-redirect error code (PROTOCOL §8, and the standard
/// OAuth codes itsme® may also send); `None` for codes it does not know.
pub fn meaning(error: &str) -> Option<&'static str> {
    crate::itsme::errors::explain(crate::itsme::errors::Stage::Authorization, error)
        .map(|e| e.meaning)
}

/// The path of the short start address the listener can serve ([`Listener::serve_start`]).
pub const START_PATH: &str = "/start";

/// A listener on a loopback redirect URI, ready for one authorization response.
pub struct Listener {
    socket: TcpListener,
    redirect_uri: Url,
    tls: Option<Arc<SslAcceptor>>,
    /// The authorization URL that [`START_PATH`] redirects to, once [`Listener::serve_start`].
    start: Option<Url>,
}

impl Listener {
    /// Listens on exactly the redirect URI's host and port: 127.0.0.1, `[::1]`, or `localhost`
    /// (bound as 127.0.0.1). An `http` URI gets plain http; an `https` one gets TLS with a
    /// self-signed certificate made now (P-256 key, SAN IP:127.0.0.1, IP:::1, DNS:localhost,
    /// valid one day), which the browser will warn about.
    ///
    /// Fails, with a hint, for a host that is not loopback, a scheme other than http(s), a
    /// fragment, port 0, or a port that is busy or privileged.
    pub fn bind(redirect_uri: &Url) -> anyhow::Result<Listener> {
        let https = match redirect_uri.scheme() {
            "https" => true,
            "http" => false,
            other => {
                return Err(hinted(
                    format!("the redirect URI `{redirect_uri}` has the scheme `{other}`"),
                    "a local listener serves only http and https redirect URIs; use paste mode for other ones",
                ));
            }
        };
        if redirect_uri.fragment().is_some() {
            return Err(hinted(
                format!("the redirect URI `{redirect_uri}` has a fragment (`#…`)"),
                "remove the `#…` part: redirect URIs may not have one (RFC 6749 §3.1.2)",
            ));
        }
        let ip: IpAddr = match redirect_uri.host() {
            Some(Host::Ipv4(ip)) if crate::url_policy::is_loopback_host(redirect_uri) => ip.into(),
            Some(Host::Ipv6(ip)) if crate::url_policy::is_loopback_host(redirect_uri) => ip.into(),
            Some(Host::Domain(_)) if crate::url_policy::is_loopback_host(redirect_uri) => {
                Ipv4Addr::LOCALHOST.into()
            }
            _ => {
                return Err(hinted(
                    format!(
                        "the redirect URI `{redirect_uri}` is not on this computer, so no local listener can receive the answer"
                    ),
                    "use paste mode (log in, then paste the address the browser was sent to), or register a \
                     loopback redirect URI such as `https://127.0.0.1:8400/callback`",
                ));
            }
        };
        let port = match redirect_uri.port_or_known_default() {
            Some(0) | None => {
                return Err(hinted(
                    format!("the redirect URI `{redirect_uri}` has no usable port"),
                    "give the redirect URI with the port registered with itsme®, e.g. `https://127.0.0.1:8400/callback`",
                ));
            }
            Some(port) => port,
        };
        let addr = SocketAddr::new(ip, port);
        let socket = TcpListener::bind(addr).map_err(|e| bind_error(addr, e))?;
        let tls = if https {
            Some(Arc::new(tls_acceptor().context(
                "could not make a certificate for the https listener",
            )?))
        } else {
            None
        };
        Ok(Listener {
            socket,
            redirect_uri: redirect_uri.clone(),
            tls,
            start: None,
        })
    }

    /// Also serves a short start address, `START_PATH` on the redirect URI's own origin (as
    /// kubelogin does): a GET there redirects (302) to `authorization_url`, this login's own
    /// request, and to nothing else (no part of the request is used), so a few dozen characters
    /// can be opened, typed or read out instead of kilobytes of request object. Held to the
    /// callback's rules: only GET, only with the redirect URI's `Host` (against DNS rebinding),
    /// `no-store`, no `Referer`. Returns the start address, or `None` when the redirect URI's own
    /// path is [`START_PATH`] (the callback keeps it).
    pub fn serve_start(&mut self, authorization_url: &Url) -> Option<Url> {
        if self.redirect_uri.path() == START_PATH {
            return None;
        }
        let mut start = self.redirect_uri.clone();
        start.set_path(START_PATH);
        start.set_query(None);
        self.start = Some(authorization_url.clone());
        Some(start)
    }

    /// Whether the browser will warn about the certificate (https with a self-signed one).
    pub fn self_signed(&self) -> bool {
        self.tls.is_some()
    }

    /// Serves until ONE authorization response arrives on the redirect path, or `timeout`
    /// passes; answers the browser with a page and closes the listening socket before returning.
    ///
    /// An authorization response is a GET on the redirect URI's exact path, carrying the
    /// redirect URI's own query parameters (if it has any), with the redirect URI's host and port
    /// as `Host`. Its `state` must equal `expected_state` (an empty `expected_state` never
    /// matches). Anything else is answered 404, 405 or 421 and ignored, as are requests that are
    /// not HTTP/1.x (400) or too large (414, 431), and connections that are too slow (closed).
    pub fn wait(self, expected_state: &str, timeout: Duration) -> Result<Callback, ListenerError> {
        let server = Server::start(&self.socket, self.tls.clone()).map_err(ListenerError::Io)?;
        let deadline = Instant::now().checked_add(timeout);
        loop {
            let left = match deadline {
                Some(deadline) => deadline.saturating_duration_since(Instant::now()),
                None => Duration::from_secs(3600),
            };
            if left.is_zero() {
                return Err(ListenerError::TimedOut);
            }
            if let Some(request) = server.recv_timeout(left)
                && let Some(outcome) = self.handle(request, expected_state)
            {
                // Returning drops the server, then `self` with its socket: the port is closed,
                // and requests still queued or being read are closed unanswered.
                return outcome;
            }
        }
    }

    /// Answers one request; `Some` when it was the authorization response.
    fn handle(
        &self,
        request: Request,
        expected_state: &str,
    ) -> Option<Result<Callback, ListenerError>> {
        let (verdict, target) = judge(
            &self.redirect_uri,
            self.start.as_ref(),
            request.head(),
            expected_state,
        );
        if let Some(target) = &target {
            trace_request(request.head().method(), target, verdict.status());
        }
        match verdict {
            Verdict::Ignored(405) => {
                request.respond(text(405, "use GET\n").with_header("Allow", "GET"));
                None
            }
            Verdict::Ignored(421) => {
                request.respond(text(
                    421,
                    "this listener answers only to the redirect URI's host\n",
                ));
                None
            }
            Verdict::Ignored(status) => {
                request.respond(text(status, "not found\n"));
                None
            }
            Verdict::Start => {
                if let Some(url) = &self.start {
                    request.respond(
                        text(302, "to the provider's login\n")
                            .with_header("Location", url.as_str())
                            .with_header("Referrer-Policy", "no-referrer"),
                    );
                }
                None
            }
            Verdict::Response(outcome) => {
                let (status, body) = page(&outcome);
                request.respond(html_answer(status, &body));
                Some(outcome)
            }
        }
    }
}

/// What the listener does with one request.
#[derive(Debug)]
pub enum Verdict {
    /// Not the authorization response: answered with this status (404, 405, 421) and ignored.
    Ignored(u16),
    /// The start address ([`Listener::serve_start`]): redirected (302) to this login's
    /// authorization URL; the wait goes on.
    Start,
    /// The authorization response, which ends the wait with this outcome.
    Response(Result<Callback, ListenerError>),
}

impl Verdict {
    /// The HTTP status the browser gets.
    pub fn status(&self) -> u16 {
        match self {
            Verdict::Ignored(status) => *status,
            Verdict::Start => 302,
            Verdict::Response(outcome) => page(outcome).0,
        }
    }
}

/// The listener's rules for one request (see [`Listener::wait`]), decided without a socket; also
/// the request's target resolved against the redirect URI, for the trace. `start` is the
/// authorization URL when the start address is served.
fn judge(
    redirect_uri: &Url,
    start: Option<&Url>,
    head: &Head,
    expected_state: &str,
) -> (Verdict, Option<Url>) {
    let target = match redirect_uri.join(head.target()) {
        Ok(target) => target,
        Err(_) => return (Verdict::Ignored(404), None),
    };
    let is_start = start.is_some() && target.path() == START_PATH;
    let verdict = if !is_start && !is_redirect_target(redirect_uri, &target) {
        Verdict::Ignored(404)
    } else if !host_matches(redirect_uri, head.header("Host")) {
        Verdict::Ignored(421)
    } else if head.method() != "GET" {
        Verdict::Ignored(405)
    } else if is_start {
        Verdict::Start
    } else {
        let pairs: Vec<(String, String)> = target.query_pairs().into_owned().collect();
        Verdict::Response(evaluate(&pairs, expected_state))
    };
    (verdict, Some(target))
}

/// What the listener would conclude from the raw bytes of one request head (up to its blank
/// line), for a login waiting on `redirect_uri` with `expected_state`; `None` when the bytes are
/// not an HTTP/1.x head (answered 400). The listener's whole reading of a request, without a
/// socket: the fuzz target `callback` runs arbitrary bytes through it.
pub fn judge_request_head(redirect_uri: &Url, raw: &[u8], expected_state: &str) -> Option<Verdict> {
    let head = server::parse_head(raw)?;
    Some(judge(redirect_uri, None, &head, expected_state).0)
}

/// The authorization response in an address the user pasted (paste mode): the whole URL, or only
/// its query with or without the `?`. The same rules as the listener's: this login's `state`, a
/// code or an error, no parameter twice.
pub fn read_pasted_response(text: &str, expected_state: &str) -> Result<Callback, ListenerError> {
    let text = text.trim();
    let query = match Url::parse(text) {
        Ok(url) => url.query().unwrap_or("").to_owned(),
        Err(_) => text.trim_start_matches('?').to_owned(),
    };
    let pairs: Vec<(String, String)> = url::form_urlencoded::parse(query.as_bytes())
        .into_owned()
        .collect();
    evaluate(&pairs, expected_state)
}

/// The redirect URI's exact path, with each of its own query parameters present.
fn is_redirect_target(redirect_uri: &Url, target: &Url) -> bool {
    if target.path() != redirect_uri.path() {
        return false;
    }
    let received: Vec<(String, String)> = target.query_pairs().into_owned().collect();
    redirect_uri
        .query_pairs()
        .all(|(k, v)| received.iter().any(|(rk, rv)| *rk == k && *rv == v))
}

/// Whether `Host` names the redirect URI's host and port (against DNS rebinding).
fn host_matches(redirect_uri: &Url, host: Option<&str>) -> bool {
    let Some(host) = host else {
        return false;
    };
    if host.contains(['/', '?', '#', '@', '\\']) {
        return false;
    }
    match Url::parse(&format!("{}://{host}/", redirect_uri.scheme())) {
        Ok(url) => {
            url.host() == redirect_uri.host()
                && url.port_or_known_default() == redirect_uri.port_or_known_default()
        }
        Err(_) => false,
    }
}

/// At `-v`, one line per request the listener answers (the code redacted).
fn trace_request(method: &str, target: &Url, status: u16) {
    if let Some(options) = crate::http::trace::options() {
        crate::trace::trace(crate::http::trace::callback_line(
            method, target, status, options,
        ));
    }
}

fn bind_error(addr: SocketAddr, error: std::io::Error) -> anyhow::Error {
    let (message, hint) = match error.kind() {
        std::io::ErrorKind::AddrInUse => (
            format!("could not listen on {addr}: the port is in use"),
            "close what uses it, or register another redirect URI with a free port",
        ),
        std::io::ErrorKind::PermissionDenied => (
            format!("could not listen on {addr}: permission denied"),
            "ports below 1024 need administrator rights: register a redirect URI with a port above 1024",
        ),
        std::io::ErrorKind::AddrNotAvailable => (
            format!("could not listen on {addr}: this address is not available here"),
            "use a redirect URI on `127.0.0.1`",
        ),
        _ => (
            format!("could not listen on {addr}"),
            "register another redirect URI, or use paste mode",
        ),
    };
    anyhow::Error::new(Hinted::new(message, hint).caused_by(error))
}

/// TLS for the https listener: Mozilla's "intermediate" settings, with [`self_signed_certificate`].
fn tls_acceptor() -> anyhow::Result<SslAcceptor> {
    let (certificate, key) = self_signed_certificate()?;
    let mut acceptor = SslAcceptor::mozilla_intermediate_v5(SslMethod::tls())?;
    acceptor.set_private_key(&key)?;
    acceptor.set_certificate(&certificate)?;
    acceptor.check_private_key()?;
    Ok(acceptor.build())
}

/// A fresh P-256 key and a self-signed X509v3 certificate for 127.0.0.1, ::1 and localhost, valid
/// one day.
fn self_signed_certificate() -> anyhow::Result<(X509, PKey<Private>)> {
    use openssl::asn1::Asn1Time;
    use openssl::bn::{BigNum, MsbOption};
    use openssl::ec::{EcGroup, EcKey};
    use openssl::hash::MessageDigest;
    use openssl::nid::Nid;
    use openssl::x509::X509NameBuilder;
    use openssl::x509::extension::{
        BasicConstraints, ExtendedKeyUsage, KeyUsage, SubjectAlternativeName, SubjectKeyIdentifier,
    };

    let group = EcGroup::from_curve_name(Nid::X9_62_PRIME256V1)?;
    let key = PKey::from_ec_key(EcKey::generate(&group)?)?;
    let mut name = X509NameBuilder::new()?;
    name.append_entry_by_nid(Nid::COMMONNAME, "itsme-cli loopback listener")?;
    let name = name.build();
    let mut serial = BigNum::new()?;
    serial.rand(127, MsbOption::MAYBE_ZERO, false)?;

    let mut builder = X509::builder()?;
    builder.set_version(2)?;
    let serial = serial.to_asn1_integer()?;
    builder.set_serial_number(&serial)?;
    builder.set_subject_name(&name)?;
    builder.set_issuer_name(&name)?;
    builder.set_pubkey(&key)?;
    let not_before = Asn1Time::days_from_now(0)?;
    let not_after = Asn1Time::days_from_now(1)?;
    builder.set_not_before(&not_before)?;
    builder.set_not_after(&not_after)?;
    builder.append_extension(BasicConstraints::new().critical().build()?)?;
    builder.append_extension(KeyUsage::new().critical().digital_signature().build()?)?;
    builder.append_extension(ExtendedKeyUsage::new().server_auth().build()?)?;
    let san = SubjectAlternativeName::new()
        .ip("127.0.0.1")
        .ip("::1")
        .dns("localhost")
        .build(&builder.x509v3_context(None, None))?;
    builder.append_extension(san)?;
    let ski = SubjectKeyIdentifier::new().build(&builder.x509v3_context(None, None))?;
    builder.append_extension(ski)?;
    builder.sign(&key, MessageDigest::sha256())?;
    Ok((builder.build(), key))
}

/// Reads an authorization response's parameters (RFC 6749 §4.1.2): the state first, then a code
/// or an error.
fn evaluate(pairs: &[(String, String)], expected_state: &str) -> Result<Callback, ListenerError> {
    let state = single(pairs, "state")?;
    let code = single(pairs, "code")?;
    let error = single(pairs, "error")?;
    let description = single(pairs, "error_description")?;
    match state {
        Some(state) if states_equal(expected_state, state) => {}
        received => {
            return Err(ListenerError::StateMismatch {
                received: received.map(|s| clip(s, MAX_KEPT_STATE)),
            });
        }
    }
    match (code, error) {
        (Some(_), Some(_)) => Err(malformed("it carries both `code` and `error`")),
        (Some(""), None) => Err(malformed("its `code` is empty")),
        (Some(code), None) => Ok(Callback::Code {
            code: Secret::new(code),
        }),
        (None, Some("")) => Err(malformed("its `error` is empty")),
        (None, Some(error)) => Ok(Callback::ProviderError {
            error: clip(error, MAX_KEPT_ERROR),
            description: description
                .filter(|d| !d.is_empty())
                .map(|d| clip(d, MAX_KEPT_DESCRIPTION)),
        }),
        (None, None) => Err(malformed("it carries neither `code` nor `error`")),
    }
}

fn malformed(reason: &str) -> ListenerError {
    ListenerError::Malformed(reason.to_owned())
}

/// The value of a parameter that may appear at most once (RFC 6749 §3.1).
fn single<'a>(pairs: &'a [(String, String)], name: &str) -> Result<Option<&'a str>, ListenerError> {
    let mut values = pairs
        .iter()
        .filter(|(k, _)| k == name)
        .map(|(_, v)| v.as_str());
    let first = values.next();
    if values.next().is_some() {
        return Err(ListenerError::Malformed(format!(
            "the parameter `{name}` appears more than once"
        )));
    }
    Ok(first)
}

/// Constant-time comparison (for equal lengths; the length itself is not secret).
fn states_equal(expected: &str, received: &str) -> bool {
    !expected.is_empty()
        && expected.len() == received.len()
        && openssl::memcmp::eq(expected.as_bytes(), received.as_bytes())
}

/// At most `max` characters of `text`, with `…` when cut.
fn clip(text: &str, max: usize) -> String {
    match text.char_indices().nth(max) {
        Some((end, _)) => format!("{}…", &text[..end]),
        None => text.to_owned(),
    }
}

/// The page the browser shows, and its status.
fn page(outcome: &Result<Callback, ListenerError>) -> (u16, String) {
    match outcome {
        Ok(Callback::Code { .. }) => (
            200,
            document(
                "itsme-cli: login received",
                "<h1>Login received.</h1><p>You can close this tab and return to your terminal.</p>",
            ),
        ),
        Ok(Callback::ProviderError { error, description }) => {
            let mut body = format!(
                "<h1>Login failed</h1><p>The provider answered with the error <code>{}</code>",
                html(error)
            );
            match meaning(error) {
                Some(meaning) => body.push_str(&format!(": {}.</p>", html(meaning))),
                None => body.push_str(".</p>"),
            }
            if let Some(description) = description {
                body.push_str(&format!(
                    "<p>Its description: <q>{}</q></p>",
                    html(description)
                ));
            }
            body.push_str("<p>Return to your terminal for what to do next.</p>");
            (200, document("itsme-cli: login failed", &body))
        }
        Err(ListenerError::StateMismatch { .. }) => (
            400,
            document(
                "itsme-cli: login refused",
                "<h1>Login refused</h1><p>This answer was refused as a possible cross-site request \
                 forgery: its <code>state</code> does not match the login your terminal started.</p>\
                 <p>The login must be started again from your terminal.</p>",
            ),
        ),
        Err(_) => (
            400,
            document(
                "itsme-cli: answer not understood",
                "<h1>Login failed</h1><p>This answer carries no usable authorization code or error.</p>\
                 <p>Return to your terminal and start the login again.</p>",
            ),
        ),
    }
}

const STYLE: &str = "body{font-family:system-ui,sans-serif;max-width:40rem;margin:2rem auto;padding:0 1rem;color:#222}\
h1{font-size:1.4rem}.tag{display:inline-block;background:#ff4612;color:#fff;border-radius:4px;padding:0 .4rem;font-size:.8rem}";

fn document(title: &str, body: &str) -> String {
    format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>{}</title><style>{STYLE}</style></head>\
         <body><p class=\"tag\">itsme-cli</p>{body}</body></html>",
        html(title)
    )
}

fn text(status: u16, body: &str) -> Answer {
    Answer::new(status, body)
        .with_header("Content-Type", "text/plain; charset=utf-8")
        .with_header("Cache-Control", "no-store")
        .with_header("X-Content-Type-Options", "nosniff")
}

/// A page that loads nothing, cannot be framed and sends no `Referer` (its URL holds the code).
fn html_answer(status: u16, body: &str) -> Answer {
    Answer::new(status, body)
        .with_header("Content-Type", "text/html; charset=utf-8")
        .with_header("Cache-Control", "no-store")
        .with_header("X-Content-Type-Options", "nosniff")
        .with_header("Referrer-Policy", "no-referrer")
        .with_header(
            "Content-Security-Policy",
            "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
        )
}

#[cfg(test)]
mod tests {
    use std::io::{Read, Write};
    use std::net::TcpStream;
    use std::thread::JoinHandle;

    use super::*;

    const STATE: &str = "s7aT3-xyz_0123456789abcdef";
    const CODE: &str = "c0de-9f1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d";

    /// Binds a listener on a free port (retrying once if another process took it meanwhile).
    fn bind_free(scheme: &str, host: &str, path_and_query: &str) -> (Listener, Url) {
        for attempt in 0..2 {
            let port = {
                let probe = TcpListener::bind("127.0.0.1:0").expect("a free port");
                probe.local_addr().expect("its address").port()
            };
            let uri = Url::parse(&format!("{scheme}://{host}:{port}{path_and_query}"))
                .expect("a redirect URI");
            match Listener::bind(&uri) {
                Ok(listener) => return (listener, uri),
                Err(e) if attempt == 0 && is_addr_in_use(&e) => continue,
                Err(e) => panic!("could not bind {uri}: {e:#}"),
            }
        }
        unreachable!("the loop returns or panics")
    }

    fn is_addr_in_use(error: &anyhow::Error) -> bool {
        error.chain().any(|e| {
            e.downcast_ref::<std::io::Error>()
                .is_some_and(|io| io.kind() == std::io::ErrorKind::AddrInUse)
        })
    }

    fn spawn_wait(
        listener: Listener,
        timeout: Duration,
    ) -> JoinHandle<Result<Callback, ListenerError>> {
        std::thread::spawn(move || listener.wait(STATE, timeout))
    }

    /// The browser. It accepts the listener's self-signed certificate (tests only).
    fn browser() -> reqwest::blocking::Client {
        reqwest::blocking::Client::builder()
            .no_proxy()
            .tls_danger_accept_invalid_certs(true)
            .tls_info(true)
            .timeout(Duration::from_secs(20))
            .build()
            .expect("a client")
    }

    fn get(uri: &Url, path_and_query: &str) -> (u16, String) {
        let url = uri.join(path_and_query).expect("a URL");
        let response = browser().get(url).send().expect("an answer");
        let status = response.status().as_u16();
        (status, response.text().expect("a body"))
    }

    /// Sends raw bytes and returns the status line of the answer.
    fn raw(addr: SocketAddr, request: &[u8]) -> String {
        let mut stream = TcpStream::connect(addr).expect("connected");
        stream
            .set_read_timeout(Some(Duration::from_secs(20)))
            .expect("a timeout");
        stream.write_all(request).expect("sent");
        let mut answer = Vec::new();
        let mut buf = [0u8; 4096];
        while !answer.windows(4).any(|w| w == b"\r\n\r\n") {
            match stream.read(&mut buf) {
                Ok(0) | Err(_) => break,
                Ok(n) => answer.extend_from_slice(&buf[..n]),
            }
        }
        String::from_utf8_lossy(&answer)
            .lines()
            .next()
            .unwrap_or_default()
            .to_owned()
    }

    fn join(
        waiter: JoinHandle<Result<Callback, ListenerError>>,
    ) -> Result<Callback, ListenerError> {
        waiter.join().expect("wait does not panic")
    }

    #[test]
    fn a_code_with_the_right_state_is_returned_and_the_page_does_not_show_it() {
        let (listener, uri) = bind_free("http", "127.0.0.1", "/callback");
        assert!(!listener.self_signed());
        let waiter = spawn_wait(listener, Duration::from_secs(20));
        let url = uri
            .join(&format!("/callback?code={CODE}&state={STATE}"))
            .expect("a URL");
        let response = browser().get(url).send().expect("an answer");
        assert_eq!(response.status().as_u16(), 200);
        let headers = response.headers().clone();
        assert_eq!(headers["cache-control"], "no-store");
        assert_eq!(headers["referrer-policy"], "no-referrer");
        assert!(
            headers["content-type"]
                .to_str()
                .unwrap()
                .starts_with("text/html")
        );
        let page = response.text().expect("a body");
        assert!(page.contains("Login received."), "{page}");
        assert!(page.contains("You can close this tab and return to your terminal."));
        assert!(!page.contains(CODE) && !page.contains(STATE));
        let callback = join(waiter).expect("a callback");
        assert_eq!(
            callback,
            Callback::Code {
                code: Secret::new(CODE)
            }
        );
        assert!(!format!("{callback:?}").contains(CODE));
    }

    #[test]
    fn a_provider_error_is_shown_with_its_meaning_escaped() {
        let (listener, uri) = bind_free("http", "127.0.0.1", "/cb");
        let waiter = spawn_wait(listener, Duration::from_secs(20));
        let (status, page) = get(
            &uri,
            &format!(
                "/cb?error=access_denied&error_description=%3Cscript%3Ealert(1)%3C%2Fscript%3E&state={STATE}"
            ),
        );
        assert_eq!(status, 200);
        assert!(page.contains("Login failed"));
        assert!(page.contains("<code>access_denied</code>"));
        assert!(page.contains(&html(meaning("access_denied").unwrap())));
        assert!(page.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
        assert!(!page.contains("<script>") && !page.contains(STATE));
        match join(waiter) {
            Ok(Callback::ProviderError { error, description }) => {
                assert_eq!(error, "access_denied");
                assert_eq!(description.as_deref(), Some("<script>alert(1)</script>"));
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn a_wrong_state_is_refused_as_a_forgery() {
        let (listener, uri) = bind_free("http", "127.0.0.1", "/callback");
        let waiter = spawn_wait(listener, Duration::from_secs(20));
        let (status, page) = get(&uri, &format!("/callback?code={CODE}&state=forged"));
        assert_eq!(status, 400);
        assert!(page.contains("cross-site request forgery"), "{page}");
        assert!(page.contains("must be started again"));
        assert!(!page.contains(CODE) && !page.contains("forged"));
        match join(waiter) {
            Err(ListenerError::StateMismatch { received }) => {
                assert_eq!(received.as_deref(), Some("forged"))
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn a_missing_state_is_refused_as_a_forgery() {
        let (listener, uri) = bind_free("http", "127.0.0.1", "/callback");
        let waiter = spawn_wait(listener, Duration::from_secs(20));
        let (status, page) = get(&uri, &format!("/callback?code={CODE}"));
        assert_eq!(status, 400);
        assert!(page.contains("cross-site request forgery"));
        let error = join(waiter).expect_err("refused");
        assert!(matches!(
            error,
            ListenerError::StateMismatch { received: None }
        ));
        let message = error.to_string();
        assert!(message.contains("start the login again") && !message.contains(CODE));
    }

    #[test]
    fn other_paths_methods_and_hosts_are_ignored() {
        let (listener, uri) = bind_free("http", "127.0.0.1", "/callback");
        let addr = listener.socket.local_addr().expect("bound");
        let waiter = spawn_wait(listener, Duration::from_secs(20));
        let success = format!("/callback?code={CODE}&state={STATE}");
        assert_eq!(get(&uri, "/favicon.ico").0, 404);
        assert_eq!(
            get(&uri, &format!("/callback/x?code={CODE}&state={STATE}")).0,
            404
        );
        assert_eq!(
            get(&uri, &format!("/Callback?code={CODE}&state={STATE}")).0,
            404
        );
        let post = browser()
            .post(uri.join(&success).expect("a URL"))
            .send()
            .expect("an answer");
        assert_eq!(post.status().as_u16(), 405);
        assert_eq!(post.headers()["allow"], "GET");
        // DNS rebinding: the right path on another host name.
        let rebound = format!(
            "GET {success} HTTP/1.1\r\nHost: attacker.example:{}\r\nConnection: close\r\n\r\n",
            addr.port()
        );
        assert!(raw(addr, rebound.as_bytes()).contains(" 421 "));
        let no_host = format!("GET {success} HTTP/1.0\r\n\r\n");
        assert!(raw(addr, no_host.as_bytes()).contains(" 421 "));
        let (status, _) = get(&uri, &success);
        assert_eq!(status, 200);
        assert!(matches!(join(waiter), Ok(Callback::Code { .. })));
    }

    #[test]
    fn the_start_address_redirects_to_this_logins_request_only_like_the_callback() {
        let (mut listener, uri) = bind_free("http", "127.0.0.1", "/callback");
        let addr = listener.socket.local_addr().expect("bound");
        let authorization =
            Url::parse("http://127.0.0.1:9/v2/authorization?client_id=x&request=eyJ")
                .expect("a URL");
        let start = listener.serve_start(&authorization).expect("served");
        assert_eq!(start.as_str(), format!("http://{addr}/start"));
        let waiter = spawn_wait(listener, Duration::from_secs(20));
        let client = reqwest::blocking::Client::builder()
            .no_proxy()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("a client");
        for target in [
            start.clone(),
            start
                .join("/start?to=https://evil.example/")
                .expect("a URL"),
        ] {
            let response = client.get(target).send().expect("an answer");
            assert_eq!(response.status().as_u16(), 302);
            let headers = response.headers();
            assert_eq!(
                headers["location"],
                authorization.as_str(),
                "this login's, nothing else"
            );
            assert_eq!(headers["cache-control"], "no-store");
            assert_eq!(headers["referrer-policy"], "no-referrer");
        }
        let post = client.post(start.clone()).send().expect("an answer");
        assert_eq!(post.status().as_u16(), 405);
        let rebound = format!(
            "GET /start HTTP/1.1\r\nHost: attacker.example:{}\r\nConnection: close\r\n\r\n",
            addr.port()
        );
        assert!(raw(addr, rebound.as_bytes()).contains(" 421 "));
        assert_eq!(get(&uri, "/start/x").0, 404);
        // The start address does not end the wait: the callback does.
        assert_eq!(
            get(&uri, &format!("/callback?code={CODE}&state={STATE}")).0,
            200
        );
        assert!(matches!(join(waiter), Ok(Callback::Code { .. })));

        // Without serve_start, or when the callback itself is /start, nothing else is served.
        let (listener, uri) = bind_free("http", "127.0.0.1", "/cb");
        let waiter = spawn_wait(listener, Duration::from_millis(2000));
        assert_eq!(get(&uri, "/start").0, 404);
        let _ = join(waiter);
        let (mut listener, _) = bind_free("http", "127.0.0.1", "/start");
        assert!(listener.serve_start(&authorization).is_none());
    }

    #[test]
    fn the_redirect_uris_own_query_parameters_are_required() {
        let (listener, uri) = bind_free("http", "127.0.0.1", "/cb?tenant=acme");
        let waiter = spawn_wait(listener, Duration::from_secs(20));
        assert_eq!(get(&uri, &format!("/cb?code={CODE}&state={STATE}")).0, 404);
        assert_eq!(
            get(&uri, &format!("/cb?tenant=other&code={CODE}&state={STATE}")).0,
            404
        );
        assert_eq!(
            get(&uri, &format!("/cb?tenant=acme&code={CODE}&state={STATE}")).0,
            200
        );
        assert!(matches!(join(waiter), Ok(Callback::Code { .. })));
    }

    #[test]
    fn an_answer_without_code_or_error_is_malformed() {
        let (listener, uri) = bind_free("http", "127.0.0.1", "/cb");
        let waiter = spawn_wait(listener, Duration::from_secs(20));
        let (status, page) = get(&uri, &format!("/cb?state={STATE}"));
        assert_eq!(status, 400);
        assert!(page.contains("start the login again"));
        match join(waiter) {
            Err(ListenerError::Malformed(reason)) => {
                assert!(reason.contains("neither `code` nor `error`"))
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn waiting_ends_at_the_deadline() {
        let (listener, _) = bind_free("http", "127.0.0.1", "/cb");
        let outcome = listener.wait(STATE, Duration::from_millis(300));
        assert!(
            matches!(outcome, Err(ListenerError::TimedOut)),
            "{outcome:?}"
        );
    }

    #[test]
    fn the_socket_is_closed_after_one_response() {
        let (listener, uri) = bind_free("http", "127.0.0.1", "/cb");
        let addr = listener.socket.local_addr().expect("bound");
        let waiter = spawn_wait(listener, Duration::from_secs(20));
        assert_eq!(get(&uri, &format!("/cb?code={CODE}&state={STATE}")).0, 200);
        assert!(join(waiter).is_ok());
        assert!(
            TcpStream::connect(addr).is_err(),
            "still listening on {addr}"
        );

        let (listener, _) = bind_free("http", "127.0.0.1", "/cb");
        let addr = listener.socket.local_addr().expect("bound");
        assert!(listener.wait(STATE, Duration::from_millis(50)).is_err());
        assert!(
            TcpStream::connect(addr).is_err(),
            "still listening on {addr}"
        );
    }

    #[test]
    fn a_one_megabyte_url_or_header_is_refused_and_the_listener_goes_on() {
        let (listener, uri) = bind_free("http", "127.0.0.1", "/cb");
        let addr = listener.socket.local_addr().expect("bound");
        let waiter = spawn_wait(listener, Duration::from_secs(20));
        let pad = "A".repeat(1024 * 1024);
        let host = format!("Host: 127.0.0.1:{}\r\n", addr.port());
        let url = format!("GET /cb?pad={pad} HTTP/1.1\r\n{host}Connection: close\r\n\r\n");
        assert!(raw(addr, url.as_bytes()).contains(" 414 "));
        let header =
            format!("GET /favicon.ico HTTP/1.1\r\n{host}X-Pad: {pad}\r\nConnection: close\r\n\r\n");
        assert!(raw(addr, header.as_bytes()).contains(" 431 "));
        assert_eq!(get(&uri, &format!("/cb?code={CODE}&state={STATE}")).0, 200);
        assert!(matches!(join(waiter), Ok(Callback::Code { .. })));
    }

    #[test]
    fn a_long_state_is_refused_and_kept_short() {
        let (listener, uri) = bind_free("http", "127.0.0.1", "/cb");
        let addr = listener.socket.local_addr().expect("bound");
        let waiter = spawn_wait(listener, Duration::from_secs(20));
        // As long as the request head allows.
        let long = "B".repeat(server::MAX_HEAD - 200);
        let request = format!(
            "GET /cb?code={CODE}&state={long} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n\r\n",
            uri.authority()
        );
        assert!(raw(addr, request.as_bytes()).contains(" 400 "));
        match join(waiter) {
            Err(ListenerError::StateMismatch {
                received: Some(received),
            }) => assert_eq!(received.chars().count(), MAX_KEPT_STATE + 1),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn https_uses_a_self_signed_certificate_for_loopback() {
        let (listener, uri) = bind_free("https", "127.0.0.1", "/callback");
        assert!(listener.self_signed());
        let waiter = spawn_wait(listener, Duration::from_secs(20));
        let url = uri
            .join(&format!("/callback?code={CODE}&state={STATE}"))
            .expect("a URL");
        let response = browser().get(url).send().expect("an answer");
        assert_eq!(response.status().as_u16(), 200);
        let der = response
            .extensions()
            .get::<reqwest::tls::TlsInfo>()
            .and_then(|info| info.peer_certificate())
            .expect("the peer certificate")
            .to_vec();
        let page = response.text().expect("a body");
        assert!(page.contains("Login received.") && !page.contains(CODE));
        assert!(matches!(join(waiter), Ok(Callback::Code { .. })));

        let certificate = openssl::x509::X509::from_der(&der).expect("a certificate");
        assert_eq!(certificate.version(), 2, "X509v3");
        let names = certificate.subject_alt_names().expect("a SAN");
        let ips: Vec<&[u8]> = names.iter().filter_map(|n| n.ipaddress()).collect();
        assert!(ips.contains(&&[127u8, 0, 0, 1][..]), "{ips:?}");
        assert!(names.iter().any(|n| n.dnsname() == Some("localhost")));
        let tomorrow = openssl::asn1::Asn1Time::days_from_now(2).expect("a time");
        assert!(certificate.not_after() < tomorrow);
        // Self-signed: its own key verifies it.
        let key = certificate.public_key().expect("a key");
        assert!(certificate.verify(&key).expect("verifiable"));
    }

    #[test]
    fn localhost_is_served_on_127_0_0_1() {
        let (listener, uri) = bind_free("http", "localhost", "/cb");
        assert_eq!(
            listener.socket.local_addr().expect("bound").ip(),
            IpAddr::from(Ipv4Addr::LOCALHOST)
        );
        let waiter = spawn_wait(listener, Duration::from_secs(20));
        let (status, _) = get(&uri, &format!("/cb?code={CODE}&state={STATE}"));
        assert_eq!(status, 200);
        assert!(matches!(join(waiter), Ok(Callback::Code { .. })));
    }

    #[test]
    fn ipv6_loopback_is_served_on_exactly_that_address() {
        if TcpListener::bind("[::1]:0").is_err() {
            return; // no IPv6 on this machine
        }
        let port = TcpListener::bind("[::1]:0")
            .and_then(|l| l.local_addr())
            .expect("a free port")
            .port();
        let uri = Url::parse(&format!("http://[::1]:{port}/cb")).expect("a URI");
        let listener = Listener::bind(&uri).expect("bound");
        assert_eq!(
            listener.socket.local_addr().expect("bound"),
            SocketAddr::new(std::net::Ipv6Addr::LOCALHOST.into(), port)
        );
        let waiter = spawn_wait(listener, Duration::from_secs(20));
        let (status, _) = get(&uri, &format!("/cb?code={CODE}&state={STATE}"));
        assert_eq!(status, 200);
        assert!(matches!(join(waiter), Ok(Callback::Code { .. })));
    }

    #[test]
    fn the_socket_listens_on_loopback_only() {
        let mut hosts = vec!["127.0.0.1", "localhost"];
        if TcpListener::bind("[::1]:0").is_ok() {
            hosts.push("[::1]");
        }
        for host in hosts {
            let (listener, _) = bind_free("http", host, "/cb");
            let local = listener.socket.local_addr().expect("bound");
            assert!(local.ip().is_loopback(), "{host}: listening on {local}");
        }
    }

    #[test]
    fn only_loopback_redirect_uris_are_bound() {
        for uri in [
            "https://example.com/callback",
            "http://192.0.2.10:8400/callback",
            "http://0.0.0.0:8400/callback",
            "http://[::]:8400/callback",
            "http://localhost.:8400/callback",
        ] {
            let error = Listener::bind(&Url::parse(uri).expect("a URI"))
                .err()
                .expect(uri);
            let hints = crate::error::hints(&error);
            assert!(
                hints.iter().any(|h| h.contains("use paste mode")),
                "{uri}: {hints:?}"
            );
        }
        let fragment = Listener::bind(&Url::parse("http://127.0.0.1:8400/cb#x").expect("a URI"))
            .err()
            .expect("a fragment is refused");
        assert!(fragment.to_string().contains("fragment"));
        let scheme = Listener::bind(&Url::parse("myapp://127.0.0.1/cb").expect("a URI"))
            .err()
            .expect("a custom scheme is refused");
        assert!(scheme.to_string().contains("`myapp`"));
        let port0 = Listener::bind(&Url::parse("http://127.0.0.1:0/cb").expect("a URI"))
            .err()
            .expect("port 0 is refused");
        assert!(crate::error::hints(&port0)[0].contains("port registered"));
    }

    #[test]
    fn a_busy_port_is_reported_with_a_fix() {
        let taken = TcpListener::bind("127.0.0.1:0").expect("a port");
        let port = taken.local_addr().expect("its address").port();
        let uri = Url::parse(&format!("http://127.0.0.1:{port}/cb")).expect("a URI");
        let error = Listener::bind(&uri).err().expect("the port is busy");
        assert!(is_addr_in_use(&error));
        assert!(error.to_string().contains("in use"));
        assert_eq!(
            crate::error::hints(&error),
            ["close what uses it, or register another redirect URI with a free port"]
        );
    }

    fn pairs(query: &str) -> Vec<(String, String)> {
        url::form_urlencoded::parse(query.as_bytes())
            .into_owned()
            .collect()
    }

    #[test]
    fn answers_are_read_strictly() {
        let ok = evaluate(&pairs(&format!("code=abc&state={STATE}")), STATE);
        assert!(matches!(ok, Ok(Callback::Code { .. })));
        for query in [
            format!("code=abc&error=access_denied&state={STATE}"),
            format!("code=&state={STATE}"),
            format!("error=&state={STATE}"),
            format!("code=a&code=b&state={STATE}"),
            format!("code=abc&state={STATE}&state={STATE}"),
        ] {
            let outcome = evaluate(&pairs(&query), STATE);
            assert!(
                matches!(outcome, Err(ListenerError::Malformed(_))),
                "{query}: {outcome:?}"
            );
        }
        // A state of the right length but not the same, a prefix, and an empty expected state.
        let near = format!("{}X", &STATE[..STATE.len() - 1]);
        for (query, expected) in [
            (format!("code=abc&state={near}"), STATE),
            (format!("code=abc&state={}", &STATE[1..]), STATE),
            ("code=abc&state=".to_owned(), ""),
        ] {
            let outcome = evaluate(&pairs(&query), expected);
            assert!(
                matches!(
                    outcome,
                    Err(ListenerError::StateMismatch { received: Some(_) })
                ),
                "{query}: {outcome:?}"
            );
        }
        let error = evaluate(
            &pairs(&format!("error=x&error_description=&state={STATE}")),
            STATE,
        );
        assert_eq!(
            error.expect("a provider error"),
            Callback::ProviderError {
                error: "x".into(),
                description: None
            }
        );
    }

    #[test]
    fn every_authorization_error_code_of_the_protocol_has_a_meaning() {
        let authorization_codes = crate::itsme::errors::KNOWN
            .iter()
            .filter(|(stage, _)| *stage == crate::itsme::errors::Stage::Authorization)
            .map(|&(_, code)| code);
        for code in authorization_codes {
            let meaning = meaning(code).expect(code);
            assert!(!meaning.ends_with('.') && !meaning.contains('\n'), "{code}");
        }
        assert_eq!(meaning("no_such_code"), None);
        let (_, page) = page(&Ok(Callback::ProviderError {
            error: "no_such_code".into(),
            description: None,
        }));
        assert!(page.contains("<code>no_such_code</code>.</p>"));
    }

    #[test]
    fn pages_escape_and_values_are_clipped() {
        assert_eq!(
            html("<a href=\"x\">'&'</a>"),
            "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;"
        );
        assert_eq!(clip("ééé", 2), "éé…");
        assert_eq!(clip("abc", 3), "abc");
        for error in [
            ListenerError::TimedOut,
            ListenerError::StateMismatch { received: None },
            ListenerError::Malformed("x".into()),
        ] {
            assert!(
                error.to_string().contains("start the login again"),
                "{error}"
            );
        }
    }
}
