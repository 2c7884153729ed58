//! The small HTTP/1.1 server under the login's redirect listener and the sandbox, built to survive
//! abuse by local clients. One set of limits and header rules for both:
//!
//! - Each connection gets its own thread, which does the TLS handshake (the listener in https mode)
//!   and reads the request head; the head must be complete within [`HEAD_TIMEOUT`] (of the
//!   connection's acceptance, or of the previous answer on a kept-alive connection), however
//!   slowly the client sends it, and fit in [`MAX_HEAD`] bytes (else the answer is 414 or 431). A
//!   body must arrive within [`BODY_TIMEOUT`] of the head and fit in the server's body cap (else
//!   413). So a silent, slow or oversized client holds up only its own thread, never the others.
//! - At most [`MAX_CONNECTIONS`] are served at once. The listener leaves later ones in the
//!   kernel's queue; the sandbox, whose clients keep connections alive, closes the connection that
//!   has waited longest for a request to make room for a new one, so idle connections cannot
//!   lock a client out.
//! - Heads are parsed strictly by `httparse`, and [`framing`] refuses what could be read two ways
//!   (RFC 9112 §3.2, §6.3): two `Host`, two `Content-Length`, a `Content-Length` that is not a
//!   number, or one beside `Transfer-Encoding` (400, naming the header); transfer codings are not
//!   implemented (501).
//!
//! The listener ([`Server`]) hands complete requests to the thread that called
//! [`Server::recv_timeout`] and closes every connection after its answer: it needs one response,
//! not keep-alive. The sandbox ([`Service`]) answers on the connection's thread, with a handler
//! shared by all, and keeps connections alive as HTTP/1.1 browsers and libraries expect.

use std::collections::BTreeMap;
use std::io::{self, Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::mpsc::{self, Receiver, Sender};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use openssl::ssl::{SslAcceptor, SslStream};

/// The largest request head read (request line and headers). The redirect carries a code and a
/// state, but a browser adds its cookies for the host, and those of `localhost` are shared by
/// every local development server, so the cap leaves room for a large jar.
pub(crate) const MAX_HEAD: usize = 64 * 1024;

/// How long a connection has to deliver its request head, TLS handshake included: from its
/// acceptance, or from the previous answer on a kept-alive connection. A browser sends it at once.
const HEAD_TIMEOUT: Duration = Duration::from_secs(10);

/// How long after its head a request's body must have arrived whole.
const BODY_TIMEOUT: Duration = Duration::from_secs(10);

/// How long writing an answer may block (answers are a few KiB: they fit in the socket buffer).
const WRITE_TIMEOUT: Duration = Duration::from_secs(2);

/// The most connections served at once (each has a thread and up to [`MAX_HEAD`] of buffer).
const MAX_CONNECTIONS: usize = 256;

/// How often new connections are accepted while waiting for requests.
const ACCEPT_TICK: Duration = Duration::from_millis(20);

/// After refusing an oversized request, how long and how much of the rest is read and dropped.
const LINGER: Duration = Duration::from_secs(2);
const LINGER_BYTES: u64 = 4 * 1024 * 1024;

/// Accepts connections on a listening socket and hands over their requests (the listener's mode).
pub(crate) struct Server<'a> {
    socket: &'a TcpListener,
    tls: Option<Arc<SslAcceptor>>,
    open: Arc<AtomicUsize>,
    sender: Sender<Request>,
    requests: Receiver<Request>,
}

impl<'a> Server<'a> {
    /// Serves `socket` (over TLS with `tls`) until dropped; closing the socket is the caller's.
    pub(crate) fn start(
        socket: &'a TcpListener,
        tls: Option<Arc<SslAcceptor>>,
    ) -> io::Result<Server<'a>> {
        // Accepting without blocking keeps the socket on the caller's thread: closing it is then
        // just dropping it, with no accepting thread to wake.
        socket.set_nonblocking(true)?;
        let (sender, requests) = mpsc::channel();
        Ok(Server {
            socket,
            tls,
            open: Arc::new(AtomicUsize::new(0)),
            sender,
            requests,
        })
    }

    /// The next complete request, if one comes within `timeout`.
    pub(crate) fn recv_timeout(&self, timeout: Duration) -> Option<Request> {
        let deadline = Instant::now().checked_add(timeout);
        loop {
            self.accept_waiting();
            let left = match deadline {
                Some(deadline) => deadline.saturating_duration_since(Instant::now()),
                None => ACCEPT_TICK,
            };
            if left.is_zero() {
                return None;
            }
            if let Ok(request) = self.requests.recv_timeout(left.min(ACCEPT_TICK)) {
                return Some(request);
            }
        }
    }

    /// Starts a thread for each connection waiting to be accepted, while there is room.
    ///
    /// Accept errors are passed over: a connection reset before it was accepted, or no file
    /// descriptor left under a flood, must not end the login; the next tick tries again.
    fn accept_waiting(&self) {
        while let Some(slot) = Slot::take(&self.open, MAX_CONNECTIONS) {
            let Ok((stream, _)) = self.socket.accept() else {
                return;
            };
            let tls = self.tls.clone();
            let sender = self.sender.clone();
            // If no thread can start, dropping the closure closes the connection.
            let _ = std::thread::Builder::new()
                .name("loopback-connection".into())
                .spawn(move || serve(stream, tls.as_deref(), slot, &sender));
        }
    }
}

/// One of the [`MAX_CONNECTIONS`] places, held until its connection is closed.
struct Slot(Arc<AtomicUsize>);

impl Slot {
    /// A place, if fewer than `limit` are taken.
    fn take(open: &Arc<AtomicUsize>, limit: usize) -> Option<Slot> {
        if open.fetch_add(1, Ordering::AcqRel) >= limit {
            open.fetch_sub(1, Ordering::AcqRel);
            return None;
        }
        Some(Slot(Arc::clone(open)))
    }
}

impl Drop for Slot {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::AcqRel);
    }
}

/// Reads one request on a new connection and sends it on; refuses what cannot be read.
fn serve(socket: TcpStream, tls: Option<&SslAcceptor>, slot: Slot, sender: &Sender<Request>) {
    const WHO: &str = "listener";
    let Some(mut stream) = Stream::open(socket, tls) else {
        return;
    };
    let mut pending = Vec::new();
    let head = match read_head(&mut stream, &mut pending) {
        Ok(head) => head,
        Err(error) => return refuse_unread(stream, error, WHO),
    };
    match parse_head(&head)
        .ok_or_else(Refusal::not_http)
        .and_then(|head| {
            framing(&head)?;
            Ok(head)
        }) {
        Ok(head) => {
            // Fails once the wait is over: dropping the request closes the connection.
            let _ = sender.send(Request {
                head,
                stream,
                _slot: slot,
            });
        }
        Err(refusal) => refusal.send(stream, WHO),
    }
}

/// Answers a request whose head could not be read (too large), or notes the cut connection.
fn refuse_unread(stream: Stream, error: HeadError, who: &str) {
    let refusal = match error {
        HeadError::TooLarge { line_ended: false } => Refusal {
            status: 414,
            why: "its request line is over 64 KiB".into(),
            body: "URI too long\n".into(),
        },
        HeadError::TooLarge { line_ended: true } => Refusal {
            status: 431,
            why: "its head is over 64 KiB".into(),
            body: "request headers too large\n".into(),
        },
        // Closed, reset, or too slow: nobody to answer.
        HeadError::Cut => {
            return crate::trace::trace(format_args!(
                "{who}: a connection closed, or was closed after 10 s, before sending a whole request"
            ));
        }
    };
    refusal.send(stream, who);
}

/// A request refused before it reached a handler: its status, why (for `-v`), the answer's text.
#[derive(Debug, PartialEq)]
pub(crate) struct Refusal {
    status: u16,
    why: String,
    body: String,
}

impl Refusal {
    fn not_http() -> Refusal {
        Refusal {
            status: 400,
            why: "not an HTTP/1.x request".into(),
            body: "bad request\n".into(),
        }
    }

    /// 400 for a header that makes the request ambiguous, naming it.
    fn header(name: &str, problem: &str) -> Refusal {
        Refusal {
            status: 400,
            why: format!("{problem} `{name}`"),
            body: format!("bad request: {problem} `{name}` header (RFC 9112)\n"),
        }
    }

    /// Answers, traces at `-v`, and closes the connection.
    fn send(self, stream: Stream, who: &str) {
        crate::trace::trace(format_args!(
            "{who}: answered {} to a request: {}",
            self.status, self.why
        ));
        refuse(stream, self.status, &self.body);
    }
}

/// The header rules every request passes before a handler sees it (RFC 9112 §3.2, §6.1, §6.3);
/// the length of the body that follows the head.
///
/// A request that two parsers could read differently is refused with 400 naming the header: two
/// `Host` (which one is the target?), two `Content-Length` (where does the body end?), a
/// `Content-Length` that is not a number, and `Content-Length` beside `Transfer-Encoding`. A
/// transfer coding alone is answered 501: the sandbox's clients send forms with a length.
pub(crate) fn framing(head: &Head) -> Result<u64, Refusal> {
    for name in ["Host", "Content-Length", "Transfer-Encoding"] {
        if head.count(name) > 1 {
            return Err(Refusal::header(name, "more than one"));
        }
    }
    let length = head.header("Content-Length");
    if head.header("Transfer-Encoding").is_some() {
        if length.is_some() {
            return Err(Refusal::header(
                "Content-Length",
                "`Transfer-Encoding` together with",
            ));
        }
        return Err(Refusal {
            status: 501,
            why: "it uses `Transfer-Encoding`".into(),
            body: "transfer codings are not supported: send `Content-Length`\n".into(),
        });
    }
    match length {
        None => Ok(0),
        // 1*DIGIT (RFC 9110 §8.6): no sign, no spaces, no list.
        Some(value) if !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit()) => {
            // Too many digits to count is too large for any cap.
            Ok(value.parse().unwrap_or(u64::MAX))
        }
        Some(_) => Err(Refusal::header("Content-Length", "an invalid")),
    }
}

/// A request whose head was read; answer it with [`Request::respond`].
pub(crate) struct Request {
    head: Head,
    stream: Stream,
    _slot: Slot,
}

/// What a request head says.
#[derive(Debug, PartialEq)]
pub(crate) struct Head {
    method: String,
    target: String,
    /// The minor version: 1 for HTTP/1.1, 0 for HTTP/1.0.
    version: u8,
    headers: Vec<(String, String)>,
}

impl Head {
    /// The method, e.g. `GET` (case-sensitive).
    pub(crate) fn method(&self) -> &str {
        &self.method
    }

    /// The request target as sent, usually a path and query.
    pub(crate) fn target(&self) -> &str {
        &self.target
    }

    /// The value of a header present exactly once (names are case-insensitive).
    pub(crate) fn header(&self, name: &str) -> Option<&str> {
        let mut values = self.values(name);
        match (values.next(), values.next()) {
            (Some(value), None) => Some(value),
            _ => None,
        }
    }

    fn values<'h, 'n>(&'h self, name: &'n str) -> impl Iterator<Item = &'h str> + use<'h, 'n> {
        self.headers
            .iter()
            .filter(move |(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// How many times a header appears.
    fn count(&self, name: &str) -> usize {
        self.values(name).count()
    }

    /// Whether `Connection` holds this option (a comma-separated list, case-insensitive).
    fn connection_has(&self, option: &str) -> bool {
        self.values("Connection")
            .flat_map(|v| v.split(','))
            .any(|o| o.trim().eq_ignore_ascii_case(option))
    }

    /// Whether the connection may carry another request after this one (RFC 9112 §9.3).
    fn keeps_alive(&self) -> bool {
        if self.version == 0 {
            self.connection_has("keep-alive")
        } else {
            !self.connection_has("close")
        }
    }
}

impl Request {
    /// The request's head.
    pub(crate) fn head(&self) -> &Head {
        &self.head
    }

    /// Sends the answer and closes the connection.
    pub(crate) fn respond(mut self, answer: Answer) {
        // The browser may have gone away: nothing to do about it.
        let _ = self.stream.write_all(&answer.to_bytes(true, true));
        self.stream.close();
    }
}

/// An HTTP answer; `Content-Length` and `Connection` are added when it is sent.
pub(crate) struct Answer {
    status: u16,
    headers: Vec<(&'static str, String)>,
    body: Vec<u8>,
}

impl Answer {
    pub(crate) fn new(status: u16, body: impl Into<Vec<u8>>) -> Answer {
        Answer {
            status,
            headers: Vec::new(),
            body: body.into(),
        }
    }

    /// Adds a header. The value is reduced to visible ASCII and spaces first (a header cannot
    /// carry more, and a line break would end it), so adding one never fails.
    pub(crate) fn with_header(mut self, name: &'static str, value: &str) -> Answer {
        let value = value
            .chars()
            .map(|c| {
                if c.is_ascii_graphic() || c == ' ' {
                    c
                } else {
                    '?'
                }
            })
            .collect();
        self.headers.push((name, value));
        self
    }

    /// Status line, headers and body in one buffer, so they leave in one write; without the body
    /// for a HEAD request (its length is still stated). `Date` says when (RFC 9110 §6.6.1: clients
    /// such as `validate` compare their clock with it).
    fn to_bytes(&self, close: bool, with_body: bool) -> Vec<u8> {
        self.encode(
            close,
            with_body,
            &http_date(time::OffsetDateTime::now_utc()),
        )
    }

    fn encode(&self, close: bool, with_body: bool, date: &str) -> Vec<u8> {
        let mut head = format!(
            "HTTP/1.1 {} {}\r\nDate: {date}\r\n",
            self.status,
            reason(self.status)
        );
        for (name, value) in &self.headers {
            head.push_str(&format!("{name}: {value}\r\n"));
        }
        head.push_str(&format!(
            "Content-Length: {}\r\nConnection: {}\r\n\r\n",
            self.body.len(),
            if close { "close" } else { "keep-alive" }
        ));
        let mut bytes = head.into_bytes();
        if with_body {
            bytes.extend_from_slice(&self.body);
        }
        bytes
    }
}

/// An instant as an HTTP date, the IMF-fixdate of RFC 9110 §5.6.7 (`Sun, 06 Nov 1994 08:49:37 GMT`).
fn http_date(instant: time::OffsetDateTime) -> String {
    let format = time::macros::format_description!(
        "[weekday repr:short], [day] [month repr:short] [year] [hour]:[minute]:[second] GMT"
    );
    instant
        .to_offset(time::UtcOffset::UTC)
        .format(&format)
        .unwrap_or_default()
}

/// The status line's reason phrase (RFC 9110 §15), empty for a code without one.
fn reason(status: u16) -> &'static str {
    ::http::StatusCode::from_u16(status)
        .ok()
        .and_then(|code| code.canonical_reason())
        .unwrap_or("")
}

/// Answers a request that will not be read further, then lets the client finish sending: closing
/// with unread data would reset the connection, and the client might lose the answer.
fn refuse(mut stream: Stream, status: u16, body: &str) {
    let answer = Answer::new(status, body)
        .with_header("Content-Type", "text/plain; charset=utf-8")
        .with_header("Cache-Control", "no-store");
    let _ = stream.write_all(&answer.to_bytes(true, true));
    stream.close();
    let socket = stream.socket_mut();
    socket.deadline = Instant::now() + LINGER;
    let _ = io::copy(&mut socket.take(LINGER_BYTES), &mut io::sink());
}

/// A complete request, head and body, as the sandbox's handler gets it.
pub(crate) struct Incoming {
    head: Head,
    body: Vec<u8>,
}

impl Incoming {
    /// The request's head.
    pub(crate) fn head(&self) -> &Head {
        &self.head
    }

    /// The body (empty without `Content-Length`).
    pub(crate) fn body(&self) -> &[u8] {
        &self.body
    }
}

/// What answers each request of a [`Service`].
pub(crate) type Handler = dyn Fn(&Incoming) -> Answer + Send + Sync;

/// What a [`Service`] serves and how: `who` names it in `-v` lines.
pub(crate) struct ServiceOptions {
    pub(crate) who: &'static str,
    /// The largest body read (beyond: 413).
    pub(crate) max_body: u64,
    pub(crate) handler: Box<Handler>,
}

/// A server answering every request on its connection's thread, with keep-alive (the sandbox's
/// mode). Stopped by [`Service::stop`] or dropping it.
pub(crate) struct Service {
    shared: Arc<Shared>,
    acceptor: Option<JoinHandle<()>>,
}

/// What a [`Service`]'s threads share.
struct Shared {
    options: ServiceOptions,
    stop: AtomicBool,
    open: Arc<AtomicUsize>,
    waiting: Waiting,
}

impl Service {
    /// Serves `socket` on a thread of its own until stopped; the socket closes with it.
    pub(crate) fn start(socket: TcpListener, options: ServiceOptions) -> io::Result<Service> {
        socket.set_nonblocking(true)?;
        let shared = Arc::new(Shared {
            options,
            stop: AtomicBool::new(false),
            open: Arc::new(AtomicUsize::new(0)),
            waiting: Waiting::default(),
        });
        let acceptor = {
            let shared = Arc::clone(&shared);
            std::thread::Builder::new()
                .name(format!("{}-accept", shared.options.who))
                .spawn(move || accept_loop(&socket, &shared))?
        };
        Ok(Service {
            shared,
            acceptor: Some(acceptor),
        })
    }

    /// Closes the listening socket and the connections waiting for a request; requests being
    /// answered are answered, then their connections close.
    pub(crate) fn stop(&mut self) {
        self.shared.stop.store(true, Ordering::Release);
        if let Some(acceptor) = self.acceptor.take() {
            let _ = acceptor.join();
        }
        self.shared.waiting.close_all();
    }
}

impl Drop for Service {
    fn drop(&mut self) {
        self.stop();
    }
}

/// Accepts connections until stopped, each on a thread of its own while there is room.
///
/// When all [`MAX_CONNECTIONS`] are taken, the connection that has waited longest for a request
/// (idle, kept alive, or dripping its head) is closed to make room; if every connection is busy
/// with a request, the new one waits here (and the next in the kernel's queue). Accept errors
/// (a connection reset before it was accepted, no file descriptor left) are passed over.
fn accept_loop(socket: &TcpListener, shared: &Arc<Shared>) {
    let mut held: Option<TcpStream> = None;
    while !shared.stop.load(Ordering::Acquire) {
        let stream = match held.take() {
            Some(stream) => stream,
            None => match socket.accept() {
                Ok((stream, _)) => stream,
                Err(_) => {
                    std::thread::sleep(ACCEPT_TICK);
                    continue;
                }
            },
        };
        let slot = Slot::take(&shared.open, MAX_CONNECTIONS).or_else(|| {
            // The evicted connection's thread ends at once and gives its place back; until then
            // it counts above the limit, never above twice the limit.
            shared
                .waiting
                .evict_oldest()
                .then(|| Slot::take(&shared.open, 2 * MAX_CONNECTIONS))
                .flatten()
        });
        let Some(slot) = slot else {
            held = Some(stream);
            std::thread::sleep(ACCEPT_TICK);
            continue;
        };
        let shared = Arc::clone(shared);
        // If no thread can start, dropping the closure closes the connection.
        let _ = std::thread::Builder::new()
            .name(format!("{}-connection", shared.options.who))
            .spawn(move || converse(stream, slot, &shared));
    }
}

/// Serves the requests of one connection, one after the other, until it closes, a request asks to
/// close it, a request is refused, or the service stops.
fn converse(socket: TcpStream, _slot: Slot, shared: &Shared) {
    let who = shared.options.who;
    // Each answer leaves in one write; without Nagle's algorithm it is not held back waiting for
    // the client's delayed ACK (~40 ms per answer on a reused connection).
    let _ = socket.set_nodelay(true);
    let Some(mut stream) = Stream::open(socket, None) else {
        return;
    };
    let mut pending = Vec::new();
    loop {
        if shared.stop.load(Ordering::Acquire) {
            return stream.close();
        }
        let head = {
            let _waiting = shared.waiting.enter(&stream.socket_mut().socket);
            read_head(&mut stream, &mut pending)
        };
        let head = match head {
            Ok(head) => head,
            // A kept-alive connection closed between requests is the normal end, not worth a line.
            Err(HeadError::Cut) if head_was_empty(&pending) => return,
            Err(error) => return refuse_unread(stream, error, who),
        };
        let checked = parse_head(&head)
            .ok_or_else(Refusal::not_http)
            .and_then(|head| Ok((framing(&head)?, head)));
        let (length, head) = match checked {
            Ok(checked) => checked,
            Err(refusal) => return refusal.send(stream, who),
        };
        if length > shared.options.max_body {
            let cap = shared.options.max_body;
            return Refusal {
                status: 413,
                why: format!("its body of {length} bytes is over {cap}"),
                body: format!("request body too large: at most {cap} bytes\n"),
            }
            .send(stream, who);
        }
        // RFC 9110 §10.1.1: a client waiting for leave to send its body gets it.
        if length > 0
            && head
                .header("Expect")
                .is_some_and(|e| e.eq_ignore_ascii_case("100-continue"))
            && stream.write_all(b"HTTP/1.1 100 Continue\r\n\r\n").is_err()
        {
            return;
        }
        stream.socket_mut().deadline = Instant::now() + BODY_TIMEOUT;
        let Ok(body) = read_body(&mut stream, &mut pending, length) else {
            crate::trace::trace(format_args!(
                "{who}: a connection closed, or was closed after 10 s, before sending a whole body"
            ));
            return;
        };
        let keep_alive = head.keeps_alive();
        let with_body = head.method() != "HEAD";
        let request = Incoming { head, body };
        // A bug in the handler must not take the connection's thread down with it: 500.
        let answer = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            (shared.options.handler)(&request)
        }))
        .unwrap_or_else(|_| {
            Answer::new(500, "internal error\n")
                .with_header("Content-Type", "text/plain; charset=utf-8")
        });
        trace_served(who, &request.head, answer.status);
        let close = !keep_alive || shared.stop.load(Ordering::Acquire);
        if stream
            .write_all(&answer.to_bytes(close, with_body))
            .is_err()
        {
            return;
        }
        if close {
            return stream.close();
        }
        stream.socket_mut().deadline = Instant::now() + HEAD_TIMEOUT;
    }
}

/// At `-v`, one line per request a [`Service`] answered (secrets in the query redacted, by the
/// rule of `http::trace`); a form body's fields are not shown, the token endpoint's are secrets.
fn trace_served(who: &str, head: &Head, status: u16) {
    if let Some(options) = crate::http::trace::options()
        && let Ok(url) =
            url::Url::parse("http://served.invalid/").and_then(|base| base.join(head.target()))
    {
        crate::trace::trace(crate::http::trace::served_line(
            who,
            head.method(),
            &url,
            status,
            options,
        ));
    }
}

/// Whether nothing of a next request had arrived (`pending` holds what was read of it).
fn head_was_empty(pending: &[u8]) -> bool {
    pending.iter().all(|b| b.is_ascii_whitespace())
}

/// The connections of a [`Service`] waiting for a request, oldest first, so that one can be
/// closed to make room, and all of them when the service stops.
#[derive(Default)]
struct Waiting {
    next: AtomicU64,
    sockets: Mutex<BTreeMap<u64, TcpStream>>,
}

impl Waiting {
    fn lock(&self) -> std::sync::MutexGuard<'_, BTreeMap<u64, TcpStream>> {
        self.sockets
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Notes a connection as waiting until the returned guard is dropped.
    fn enter<'w>(&'w self, socket: &TcpStream) -> WaitingGuard<'w> {
        let id = self.next.fetch_add(1, Ordering::Relaxed);
        if let Ok(clone) = socket.try_clone() {
            self.lock().insert(id, clone);
        }
        WaitingGuard { waiting: self, id }
    }

    /// Closes the connection that has waited longest; false if none waits.
    fn evict_oldest(&self) -> bool {
        let oldest = self.lock().pop_first();
        match oldest {
            Some((_, socket)) => {
                // Its thread's read ends at once, and the thread with it.
                let _ = socket.shutdown(Shutdown::Both);
                true
            }
            None => false,
        }
    }

    fn close_all(&self) {
        while self.evict_oldest() {}
    }
}

/// A connection's place among the [`Waiting`] ones.
struct WaitingGuard<'w> {
    waiting: &'w Waiting,
    id: u64,
}

impl Drop for WaitingGuard<'_> {
    fn drop(&mut self) {
        self.waiting.lock().remove(&self.id);
    }
}

/// A connection, plain or TLS.
enum Stream {
    Plain(Deadline),
    Tls(Box<SslStream<Deadline>>),
}

impl Stream {
    /// Prepares a new connection, with the TLS handshake in https mode; `None` if that fails or
    /// does not finish within [`HEAD_TIMEOUT`].
    fn open(socket: TcpStream, tls: Option<&SslAcceptor>) -> Option<Stream> {
        // Some systems make accepted sockets inherit the listener's non-blocking mode.
        socket.set_nonblocking(false).ok()?;
        socket.set_write_timeout(Some(WRITE_TIMEOUT)).ok()?;
        let socket = Deadline {
            socket,
            deadline: Instant::now() + HEAD_TIMEOUT,
        };
        match tls {
            None => Some(Stream::Plain(socket)),
            Some(acceptor) => acceptor
                .accept(socket)
                .ok()
                .map(|tls| Stream::Tls(Box::new(tls))),
        }
    }

    /// The socket under the TLS layer, if any.
    fn socket_mut(&mut self) -> &mut Deadline {
        match self {
            Stream::Plain(socket) => socket,
            Stream::Tls(tls) => tls.get_mut(),
        }
    }

    /// Says that nothing more will be sent (TLS `close_notify`, then TCP FIN).
    fn close(&mut self) {
        if let Stream::Tls(tls) = self {
            let _ = tls.shutdown();
        }
        let _ = self.socket_mut().socket.shutdown(Shutdown::Write);
    }
}

impl Read for Stream {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        match self {
            Stream::Plain(socket) => socket.read(buf),
            Stream::Tls(tls) => tls.read(buf),
        }
    }
}

impl Write for Stream {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match self {
            Stream::Plain(socket) => socket.write(buf),
            Stream::Tls(tls) => tls.write(buf),
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        match self {
            Stream::Plain(socket) => socket.flush(),
            Stream::Tls(tls) => tls.flush(),
        }
    }
}

/// A socket whose reads fail once `deadline` has passed. A read timeout alone would restart with
/// every byte, so a client sending one byte a second could hold the connection for ever.
struct Deadline {
    socket: TcpStream,
    deadline: Instant,
}

impl Read for Deadline {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let left = self.deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return Err(io::ErrorKind::TimedOut.into());
        }
        self.socket.set_read_timeout(Some(left))?;
        self.socket.read(buf)
    }
}

impl Write for Deadline {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.socket.write(buf)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.socket.flush()
    }
}

/// Why no request head could be read.
#[derive(Debug)]
enum HeadError {
    /// Over [`MAX_HEAD`] bytes; `line_ended` tells whether the request line at least had ended.
    TooLarge { line_ended: bool },
    /// Closed, reset or timed out before the head ended.
    Cut,
}

/// Reads up to the blank line ending the head, starting with the bytes already read (`pending`);
/// what was read beyond the head is left in `pending`.
fn read_head(stream: &mut impl Read, pending: &mut Vec<u8>) -> Result<Vec<u8>, HeadError> {
    const CHUNK: usize = 4096;
    let mut head = std::mem::take(pending);
    head.reserve(CHUNK);
    let mut chunk = [0u8; CHUNK];
    let mut searched = 0;
    loop {
        if let Some(end) = head_end(&head, searched).filter(|&end| end <= MAX_HEAD) {
            *pending = head.split_off(end);
            return Ok(head);
        }
        // Only the last two bytes can start an end still to be found: the search stays linear.
        searched = head.len().saturating_sub(2);
        let room = MAX_HEAD.saturating_sub(head.len());
        if room == 0 {
            return Err(HeadError::TooLarge {
                line_ended: head.contains(&b'\n'),
            });
        }
        let read = match stream.read(&mut chunk[..room.min(CHUNK)]) {
            Ok(0) => Err(io::ErrorKind::UnexpectedEof.into()),
            Ok(read) => Ok(read),
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => Err(e),
        };
        match read {
            Ok(read) => head.extend_from_slice(&chunk[..read]),
            Err(_) => {
                // Kept, so the caller can tell a connection closed between requests.
                *pending = head;
                return Err(HeadError::Cut);
            }
        }
    }
}

/// Reads a body of `length` bytes (at most the server's cap, checked before), starting with the
/// bytes already read; what was read beyond it is left in `pending`.
fn read_body(stream: &mut impl Read, pending: &mut Vec<u8>, length: u64) -> io::Result<Vec<u8>> {
    let length = usize::try_from(length).map_err(|_| io::ErrorKind::InvalidData)?;
    if pending.len() >= length {
        let rest = pending.split_off(length);
        return Ok(std::mem::replace(pending, rest));
    }
    let mut body = std::mem::take(pending);
    let missing = length - body.len();
    body.resize(length, 0);
    let start = length - missing;
    stream.read_exact(&mut body[start..])?;
    Ok(body)
}

/// Where the head ends (after its blank line, `\r\n` or a bare `\n`), searching from `from`.
fn head_end(head: &[u8], from: usize) -> Option<usize> {
    (from..head.len())
        .filter(|&i| head[i] == b'\n')
        .find_map(|i| match &head[i + 1..] {
            [b'\n', ..] => Some(i + 2),
            [b'\r', b'\n', ..] => Some(i + 3),
            _ => None,
        })
}

/// The most header lines a request may have (browsers send about twenty).
const MAX_HEADERS: usize = 100;

/// Method, target and headers of a head (parsed by `httparse`, strictly); `None` if it is not an
/// HTTP/1.x request head.
pub(crate) fn parse_head(head: &[u8]) -> Option<Head> {
    let mut headers = [httparse::EMPTY_HEADER; MAX_HEADERS];
    let mut request = httparse::Request::new(&mut headers);
    match request.parse(head) {
        Ok(httparse::Status::Complete(_)) => {}
        Ok(httparse::Status::Partial) | Err(_) => return None,
    }
    Some(Head {
        method: request.method?.to_owned(),
        target: request.path?.to_owned(),
        version: request.version?,
        headers: request
            .headers
            .iter()
            // Only ASCII matters here (Host, Content-Length, Authorization); a browser may send
            // other bytes in cookies, which are kept lossily.
            .map(|h| {
                (
                    h.name.to_owned(),
                    String::from_utf8_lossy(h.value).into_owned(),
                )
            })
            .collect(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn head_of(raw: &[u8]) -> Result<Vec<u8>, HeadError> {
        read_head(&mut &raw[..], &mut Vec::new())
    }

    #[test]
    fn the_head_ends_at_the_first_blank_line() {
        assert_eq!(
            head_end(b"GET / HTTP/1.1\r\nHost: a\r\n\r\nbody", 0),
            Some(27)
        );
        assert_eq!(head_end(b"GET / HTTP/1.1\nHost: a\n\nbody", 0), Some(24));
        assert_eq!(head_end(b"GET / HTTP/1.1\r\nHost: a\r\n", 0), None);
        assert_eq!(head_end(b"GET / HTTP/1.1\r\n\r", 0), None);
        // Searching on from where the last search stopped still finds an end split across reads.
        assert_eq!(head_end(b"GET / HTTP/1.0\r\n\r\n", 14), Some(18));
    }

    #[test]
    fn a_head_is_read_up_to_its_end_and_no_further_than_the_cap() {
        let request = b"GET /cb HTTP/1.1\r\nHost: x\r\n\r\nthe body";
        let mut pending = Vec::new();
        let head = read_head(&mut &request[..], &mut pending).expect("a head");
        assert_eq!(head, b"GET /cb HTTP/1.1\r\nHost: x\r\n\r\n");
        assert_eq!(pending, b"the body");

        let long_line = vec![b'A'; MAX_HEAD + 1];
        assert!(matches!(
            head_of(&long_line),
            Err(HeadError::TooLarge { line_ended: false })
        ));
        let mut long_header = b"GET / HTTP/1.1\r\nX-Pad: ".to_vec();
        long_header.resize(MAX_HEAD * 2, b'A');
        assert!(matches!(
            head_of(&long_header),
            Err(HeadError::TooLarge { line_ended: true })
        ));
        assert!(matches!(
            head_of(b"GET / HTTP/1.1\r\n"),
            Err(HeadError::Cut)
        ));
    }

    #[test]
    fn pipelined_requests_are_read_one_after_the_other() {
        let bytes = b"POST /a HTTP/1.1\r\nContent-Length: 3\r\n\r\nabcGET /b HTTP/1.1\r\n\r\n";
        let mut stream = &bytes[..];
        let mut pending = Vec::new();
        let first = read_head(&mut stream, &mut pending).expect("a head");
        assert!(first.starts_with(b"POST /a"));
        assert_eq!(
            read_body(&mut stream, &mut pending, 3).expect("a body"),
            b"abc"
        );
        let second = read_head(&mut stream, &mut pending).expect("a second head");
        assert_eq!(second, b"GET /b HTTP/1.1\r\n\r\n");
        assert!(pending.is_empty());
        assert!(read_body(&mut &b"ab"[..], &mut Vec::new(), 3).is_err());
    }

    #[test]
    fn heads_are_parsed_strictly() {
        let head = parse_head(b"GET /cb?x=1 HTTP/1.1\r\nHost:  127.0.0.1:8400 \r\nX-A:\r\n\r\n");
        assert_eq!(
            head,
            Some(Head {
                method: "GET".into(),
                target: "/cb?x=1".into(),
                version: 1,
                headers: vec![
                    ("Host".into(), "127.0.0.1:8400".into()),
                    ("X-A".into(), String::new())
                ],
            })
        );
        for bad in [
            &b"GET /cb\r\n\r\n"[..],
            b"GET /cb HTTP/2.0\r\n\r\n",
            b"GET  /cb HTTP/1.1\r\n\r\n",
            b"GET /cb HTTP/1.1 x\r\n\r\n",
            b"GET /cb HTTP/1.1\r\nNo colon\r\n\r\n",
            b"GET /cb HTTP/1.1\r\nHost : x\r\n\r\n",
            b"GET /cb HTTP/1.1\r\nA: b\r\n folded\r\n\r\n",
        ] {
            assert!(
                parse_head(bad).is_none(),
                "{}",
                String::from_utf8_lossy(bad)
            );
        }
        // RFC 9112 §2.2: an empty line before the request line is ignored.
        assert!(parse_head(b"\r\nGET /cb HTTP/1.1\r\n\r\n").is_some());
    }

    fn framing_of(headers: &str) -> Result<u64, Refusal> {
        let raw = format!("POST /t HTTP/1.1\r\n{headers}\r\n");
        framing(&parse_head(raw.as_bytes()).expect("a head"))
    }

    #[test]
    fn ambiguous_framing_is_refused_naming_the_header() {
        assert_eq!(framing_of("Host: a\r\n"), Ok(0));
        assert_eq!(framing_of("Host: a\r\nContent-Length: 12\r\n"), Ok(12));
        for (headers, status, named) in [
            ("Host: a\r\nhost: b\r\n", 400, "Host"),
            (
                "Content-Length: 1\r\nContent-Length: 1\r\n",
                400,
                "Content-Length",
            ),
            ("Content-Length: 1, 1\r\n", 400, "Content-Length"),
            ("Content-Length: -1\r\n", 400, "Content-Length"),
            ("Content-Length: +1\r\n", 400, "Content-Length"),
            ("Content-Length:\r\n", 400, "Content-Length"),
            (
                "Transfer-Encoding: chunked\r\nContent-Length: 3\r\n",
                400,
                "Content-Length",
            ),
            (
                "Transfer-Encoding: chunked\r\nTransfer-Encoding: gzip\r\n",
                400,
                "Transfer-Encoding",
            ),
            ("Transfer-Encoding: chunked\r\n", 501, "Transfer-Encoding"),
        ] {
            let refusal = framing_of(headers).expect_err(headers);
            assert_eq!(refusal.status, status, "{headers}");
            assert!(
                refusal.body.contains(named) || refusal.why.contains(named),
                "{headers}: {refusal:?}"
            );
        }
        assert_eq!(
            framing_of("Content-Length: 99999999999999999999999\r\n"),
            Ok(u64::MAX)
        );
    }

    #[test]
    fn connections_stay_open_unless_asked_to_close() {
        let head = |raw: &str| parse_head(raw.as_bytes()).expect("a head");
        assert!(head("GET / HTTP/1.1\r\n\r\n").keeps_alive());
        assert!(!head("GET / HTTP/1.1\r\nConnection: Close\r\n\r\n").keeps_alive());
        assert!(!head("GET / HTTP/1.1\r\nConnection: te, close\r\n\r\n").keeps_alive());
        assert!(!head("GET / HTTP/1.0\r\n\r\n").keeps_alive());
        assert!(head("GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n").keeps_alive());
    }

    #[test]
    fn answers_state_their_length_and_whether_the_connection_stays() {
        let answer = Answer::new(405, "use GET\n").with_header("Allow", "GET\r\nX-Evil: 1");
        let date = "Sun, 06 Nov 1994 08:49:37 GMT";
        assert_eq!(
            String::from_utf8(answer.encode(true, true, date)).expect("text"),
            "HTTP/1.1 405 Method Not Allowed\r\nDate: Sun, 06 Nov 1994 08:49:37 GMT\r\nAllow: GET??X-Evil: 1\r\nContent-Length: 8\r\n\
             Connection: close\r\n\r\nuse GET\n"
        );
        assert_eq!(
            String::from_utf8(answer.encode(false, false, date)).expect("text"),
            "HTTP/1.1 405 Method Not Allowed\r\nDate: Sun, 06 Nov 1994 08:49:37 GMT\r\nAllow: GET??X-Evil: 1\r\nContent-Length: 8\r\n\
             Connection: keep-alive\r\n\r\n"
        );
    }

    #[test]
    fn dates_are_imf_fixdates() {
        let instant = time::OffsetDateTime::from_unix_timestamp(784_111_777).expect("an instant");
        assert_eq!(http_date(instant), "Sun, 06 Nov 1994 08:49:37 GMT");
        let date = http_date(time::OffsetDateTime::now_utc());
        let format = time::format_description::well_known::Rfc2822;
        assert!(
            time::OffsetDateTime::parse(&date, &format).is_ok(),
            "{date}"
        );
    }

    #[test]
    fn connections_beyond_the_limit_get_no_slot() {
        let open = Arc::new(AtomicUsize::new(0));
        let slots: Vec<Slot> = (0..MAX_CONNECTIONS)
            .map(|_| Slot::take(&open, MAX_CONNECTIONS).expect("room"))
            .collect();
        assert!(Slot::take(&open, MAX_CONNECTIONS).is_none());
        drop(slots);
        assert_eq!(open.load(Ordering::Acquire), 0);
        assert!(Slot::take(&open, MAX_CONNECTIONS).is_some());
    }
}
