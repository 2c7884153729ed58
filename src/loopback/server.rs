//! The small HTTP/1.1 server under the redirect listener, built to survive abuse by local clients.
//!
//! Each connection gets its own thread, which does the TLS handshake (in https mode) and reads the
//! request head; the head must be complete within [`HEAD_TIMEOUT`] of the connection's acceptance,
//! however slowly the client sends it, and fit in [`MAX_HEAD`] bytes (else the answer is 414 or
//! 431). So a silent, slow or oversized client holds up only its own thread, never the others. At
//! most [`MAX_CONNECTIONS`] are served at once; later ones wait in the kernel's queue.
//!
//! Complete requests go to the thread that called [`Server::recv_timeout`], which answers them
//! with [`Request::respond`]. Every answer closes its connection (`Connection: close`): the
//! listener needs one response, not keep-alive.

use std::io::{self, Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::{self, Receiver, Sender};
use std::time::{Duration, Instant};

use openssl::ssl::{SslAcceptor, SslStream};

/// The largest request head read (request line and headers). The redirect carries a code and a
/// state, but a browser adds its cookies for the host, and those of `localhost` are shared by
/// every local development server, so the cap leaves room for a large jar.
pub(super) const MAX_HEAD: usize = 64 * 1024;

/// How long after its acceptance a connection has to deliver its request head, TLS handshake
/// included. A browser sends it at once.
const HEAD_TIMEOUT: Duration = Duration::from_secs(10);

/// How long writing an answer may block (answers are a few KiB: they fit in the socket buffer).
const WRITE_TIMEOUT: Duration = Duration::from_secs(2);

/// The most connections served at once (each has a thread and up to [`MAX_HEAD`] of buffer).
const MAX_CONNECTIONS: usize = 256;

/// How often new connections are accepted while waiting for requests.
const ACCEPT_TICK: Duration = Duration::from_millis(20);

/// After refusing an oversized request, how long and how much of the rest is read and dropped.
const LINGER: Duration = Duration::from_secs(2);
const LINGER_BYTES: u64 = 4 * 1024 * 1024;

/// Accepts connections on a listening socket and hands over their requests.
pub(super) struct Server<'a> {
    socket: &'a TcpListener,
    tls: Option<Arc<SslAcceptor>>,
    open: Arc<AtomicUsize>,
    sender: Sender<Request>,
    requests: Receiver<Request>,
}

impl<'a> Server<'a> {
    /// Serves `socket` (over TLS with `tls`) until dropped; closing the socket is the caller's.
    pub(super) fn start(
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
    pub(super) fn recv_timeout(&self, timeout: Duration) -> Option<Request> {
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
        while let Some(slot) = Slot::take(&self.open) {
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
    fn take(open: &Arc<AtomicUsize>) -> Option<Slot> {
        if open.fetch_add(1, Ordering::AcqRel) >= MAX_CONNECTIONS {
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
    let Some(mut stream) = Stream::open(socket, tls) else {
        return;
    };
    match read_head(&mut stream) {
        Ok(head) => match parse_head(&head) {
            Some(head) => {
                // Fails once the wait is over: dropping the request closes the connection.
                let _ = sender.send(Request {
                    head,
                    stream,
                    _slot: slot,
                });
            }
            None => {
                trace_refusal(400, "not an HTTP/1.x request");
                refuse(stream, 400, "bad request\n");
            }
        },
        Err(HeadError::TooLarge { line_ended: false }) => {
            trace_refusal(414, "its request line is over 64 KiB");
            refuse(stream, 414, "URI too long\n");
        }
        Err(HeadError::TooLarge { line_ended: true }) => {
            trace_refusal(431, "its head is over 64 KiB");
            refuse(stream, 431, "request headers too large\n");
        }
        // Closed, reset, or too slow: nobody to answer.
        Err(HeadError::Cut) => crate::trace::trace(
            "listener: a connection closed, or was closed after 10 s, before sending a whole request",
        ),
    }
}

/// At `-v`, one line for a request refused before it could be read.
fn trace_refusal(status: u16, why: &str) {
    crate::trace::trace(format_args!(
        "listener: answered {status} to a request: {why}"
    ));
}

/// A request whose head was read; answer it with [`Request::respond`].
pub(super) struct Request {
    head: Head,
    stream: Stream,
    _slot: Slot,
}

/// What a request head says.
#[derive(Debug, PartialEq)]
pub(super) struct Head {
    method: String,
    target: String,
    headers: Vec<(String, String)>,
}

impl Head {
    /// The method, e.g. `GET` (case-sensitive).
    pub(super) fn method(&self) -> &str {
        &self.method
    }

    /// The request target as sent, usually a path and query.
    pub(super) fn target(&self) -> &str {
        &self.target
    }

    /// The value of a header present exactly once (names are case-insensitive).
    pub(super) fn header(&self, name: &str) -> Option<&str> {
        let mut values = self
            .headers
            .iter()
            .filter(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str());
        match (values.next(), values.next()) {
            (Some(value), None) => Some(value),
            _ => None,
        }
    }
}

impl Request {
    /// The request's head.
    pub(super) fn head(&self) -> &Head {
        &self.head
    }

    /// Sends the answer and closes the connection.
    pub(super) fn respond(mut self, answer: Answer) {
        // The browser may have gone away: nothing to do about it.
        let _ = self.stream.write_all(&answer.to_bytes());
        self.stream.close();
    }
}

/// An HTTP answer; `Content-Length` and `Connection: close` are added when it is sent.
pub(super) struct Answer {
    status: u16,
    headers: Vec<(&'static str, String)>,
    body: Vec<u8>,
}

impl Answer {
    pub(super) fn new(status: u16, body: impl Into<Vec<u8>>) -> Answer {
        Answer {
            status,
            headers: Vec::new(),
            body: body.into(),
        }
    }

    pub(super) fn with_header(mut self, name: &'static str, value: &str) -> Answer {
        self.headers.push((name, value.to_owned()));
        self
    }

    /// Status line, headers and body in one buffer, so they leave in one write.
    fn to_bytes(&self) -> Vec<u8> {
        let mut head = format!("HTTP/1.1 {} {}\r\n", self.status, reason(self.status));
        for (name, value) in &self.headers {
            head.push_str(&format!("{name}: {value}\r\n"));
        }
        head.push_str(&format!(
            "Content-Length: {}\r\nConnection: close\r\n\r\n",
            self.body.len()
        ));
        let mut bytes = head.into_bytes();
        bytes.extend_from_slice(&self.body);
        bytes
    }
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
    let _ = stream.write_all(&answer.to_bytes());
    stream.close();
    let socket = stream.socket_mut();
    socket.deadline = Instant::now() + LINGER;
    let _ = io::copy(&mut socket.take(LINGER_BYTES), &mut io::sink());
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

/// Reads up to the blank line ending the head (what follows it, a body, is never used).
fn read_head(stream: &mut impl Read) -> Result<Vec<u8>, HeadError> {
    let mut head = Vec::with_capacity(4096);
    const CHUNK: usize = 4096;
    let mut chunk = [0u8; CHUNK];
    let mut searched = 0;
    loop {
        if let Some(end) = head_end(&head, searched) {
            head.truncate(end);
            return Ok(head);
        }
        // Only the last two bytes can start an end still to be found: the search stays linear.
        searched = head.len().saturating_sub(2);
        let room = MAX_HEAD - head.len();
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
        head.extend_from_slice(&chunk[..read.map_err(|_| HeadError::Cut)?]);
    }
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
pub(super) fn parse_head(head: &[u8]) -> Option<Head> {
    let mut headers = [httparse::EMPTY_HEADER; MAX_HEADERS];
    let mut request = httparse::Request::new(&mut headers);
    match request.parse(head) {
        Ok(httparse::Status::Complete(_)) => {}
        Ok(httparse::Status::Partial) | Err(_) => return None,
    }
    Some(Head {
        method: request.method?.to_owned(),
        target: request.path?.to_owned(),
        headers: request
            .headers
            .iter()
            // Only ASCII matters here (the Host header); a browser may send other bytes in
            // cookies, which are kept lossily.
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
        let request = b"GET /cb HTTP/1.1\r\nHost: x\r\n\r\nignored body";
        let head = read_head(&mut &request[..]).expect("a head");
        assert_eq!(head, b"GET /cb HTTP/1.1\r\nHost: x\r\n\r\n");

        let long_line = vec![b'A'; MAX_HEAD + 1];
        assert!(matches!(
            read_head(&mut &long_line[..]),
            Err(HeadError::TooLarge { line_ended: false })
        ));
        let mut long_header = b"GET / HTTP/1.1\r\nX-Pad: ".to_vec();
        long_header.resize(MAX_HEAD * 2, b'A');
        assert!(matches!(
            read_head(&mut &long_header[..]),
            Err(HeadError::TooLarge { line_ended: true })
        ));
        assert!(matches!(
            read_head(&mut &b"GET / HTTP/1.1\r\n"[..]),
            Err(HeadError::Cut)
        ));
    }

    #[test]
    fn heads_are_parsed_strictly() {
        let head = parse_head(b"GET /cb?x=1 HTTP/1.1\r\nHost:  127.0.0.1:8400 \r\nX-A:\r\n\r\n");
        assert_eq!(
            head,
            Some(Head {
                method: "GET".into(),
                target: "/cb?x=1".into(),
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

    #[test]
    fn answers_close_the_connection_and_state_their_length() {
        let bytes = Answer::new(405, "use GET\n")
            .with_header("Allow", "GET")
            .to_bytes();
        assert_eq!(
            String::from_utf8(bytes).expect("text"),
            "HTTP/1.1 405 Method Not Allowed\r\nAllow: GET\r\nContent-Length: 8\r\n\
             Connection: close\r\n\r\nuse GET\n"
        );
    }

    #[test]
    fn connections_beyond_the_limit_get_no_slot() {
        let open = Arc::new(AtomicUsize::new(0));
        let slots: Vec<Slot> = (0..MAX_CONNECTIONS)
            .map(|_| Slot::take(&open).expect("room"))
            .collect();
        assert!(Slot::take(&open).is_none());
        drop(slots);
        assert_eq!(open.load(Ordering::Acquire), 0);
        assert!(Slot::take(&open).is_some());
    }
}
