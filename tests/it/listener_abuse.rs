//! The loopback redirect listener under abuse, through its public API and real sockets: other
//! paths, oversized requests, crowds of idle connections, slow and silent clients, a second or a
//! forged authorization response, and clients from outside the machine. Whatever happens, the
//! listener must not crash, must not wait past its deadline, and must accept only the real
//! authorization response, once.
//!
//! Every client here has a time limit, so a listener that hangs shows up as a failure, not as a
//! test that never ends.

use std::io::{Read, Write};
use std::net::{IpAddr, SocketAddr, TcpListener, TcpStream, UdpSocket};
use std::sync::mpsc;
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

use itsme_cli::loopback::{Callback, Listener, ListenerError};
use url::Url;

const STATE: &str = "s7aT3-xyz_0123456789abcdef";
const CODE: &str = "c0de-9f1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d";

/// How long a test client waits for an answer before calling the listener silent.
const PATIENCE: Duration = Duration::from_secs(10);

/// How long a listener in these tests waits for its callback.
const WAIT: Duration = Duration::from_secs(60);

/// A listener on a free loopback port (retrying if another process takes the port meanwhile).
fn bind_free(scheme: &str, path: &str) -> (Listener, Url, SocketAddr) {
    for _ in 0..5 {
        let port = TcpListener::bind("127.0.0.1:0")
            .and_then(|probe| probe.local_addr())
            .expect("a free port")
            .port();
        let uri = Url::parse(&format!("{scheme}://127.0.0.1:{port}{path}")).expect("a URI");
        if let Ok(listener) = Listener::bind(&uri) {
            return (listener, uri, SocketAddr::from(([127, 0, 0, 1], port)));
        }
    }
    panic!("no free port to bind a {scheme} listener");
}

fn spawn_wait(
    listener: Listener,
    timeout: Duration,
) -> JoinHandle<Result<Callback, ListenerError>> {
    thread::spawn(move || listener.wait(STATE, timeout))
}

fn join(waiter: JoinHandle<Result<Callback, ListenerError>>) -> Result<Callback, ListenerError> {
    waiter.join().expect("wait does not panic")
}

/// The browser: accepts the listener's self-signed certificate, gives up after [`PATIENCE`].
fn browser() -> reqwest::blocking::Client {
    reqwest::blocking::Client::builder()
        .no_proxy()
        .tls_danger_accept_invalid_certs(true)
        .timeout(PATIENCE)
        .build()
        .expect("a client")
}

/// The status of a GET on `path_and_query` relative to the redirect URI.
fn get(uri: &Url, path_and_query: &str) -> reqwest::Result<u16> {
    let url = uri.join(path_and_query).expect("a URL");
    browser().get(url).send().map(|r| r.status().as_u16())
}

/// The browser's real return to the redirect URI: a code and this login's state.
fn real_callback(uri: &Url) -> reqwest::Result<u16> {
    get(uri, &format!("{}?code={CODE}&state={STATE}", uri.path()))
}

/// Asserts the real callback was answered 200 and returned by `wait` as the code.
fn assert_real_callback_accepted(uri: &Url, waiter: JoinHandle<Result<Callback, ListenerError>>) {
    let status = real_callback(uri).expect("the listener answers the real callback");
    assert_eq!(status, 200);
    match join(waiter) {
        Ok(Callback::Code { code }) => assert_eq!(code.expose(), CODE),
        other => panic!("the real callback was not returned: {other:?}"),
    }
}

/// What a raw client got back.
#[derive(Debug, PartialEq)]
enum Reply {
    /// An HTTP answer with this status.
    Status(u16),
    /// The connection was closed or reset without an answer.
    Closed,
    /// Nothing within [`PATIENCE`]: the listener is stuck on this client.
    Silent,
}

/// Reads the status line of an answer (or notes the close or the silence).
fn read_reply(stream: &mut TcpStream) -> Reply {
    stream
        .set_read_timeout(Some(PATIENCE))
        .expect("a read timeout");
    let mut answer = Vec::new();
    let mut buf = [0u8; 4096];
    while !answer.windows(2).any(|w| w == b"\r\n") {
        match stream.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => answer.extend_from_slice(&buf[..n]),
            Err(e) if is_timeout(&e) => return Reply::Silent,
            Err(_) => break,
        }
    }
    let text = String::from_utf8_lossy(&answer);
    match text.split(' ').nth(1).and_then(|code| code.parse().ok()) {
        Some(status) if text.starts_with("HTTP/1.") => Reply::Status(status),
        _ => Reply::Closed,
    }
}

fn is_timeout(error: &std::io::Error) -> bool {
    matches!(
        error.kind(),
        std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
    )
}

/// Sends raw bytes on a new connection and reads the answer. A failed write is not an error: the
/// listener may refuse a request before reading all of it.
fn exchange(addr: SocketAddr, request: &[u8]) -> Reply {
    let mut stream = TcpStream::connect(addr).expect("connected");
    let _ = stream.write_all(request);
    read_reply(&mut stream)
}

/// `count` connections that send nothing, held open until dropped.
fn idle_connections(scheme: &str, addr: SocketAddr, count: usize) -> Vec<TcpStream> {
    (0..count)
        .map(|i| {
            TcpStream::connect_timeout(&addr, PATIENCE)
                .unwrap_or_else(|e| panic!("{scheme}: idle connection {i} could not connect: {e}"))
        })
        .collect()
}

/// A client sending `bytes` one per second on its own connection, until told to stop, out of
/// bytes, or closed by the listener.
struct Drip {
    stop: mpsc::Sender<()>,
    done: mpsc::Receiver<Dripped>,
}

/// What a [`Drip`] did.
#[derive(Debug)]
struct Dripped {
    /// Bytes sent.
    sent: usize,
    /// Whether the listener closed the connection under it.
    closed: bool,
}

impl Drip {
    /// Connects and returns once the first byte is out.
    fn start(addr: SocketAddr, bytes: Vec<u8>) -> Drip {
        let (stop, stopped) = mpsc::channel::<()>();
        let (started, is_started) = mpsc::channel();
        let (finished, done) = mpsc::channel();
        thread::spawn(move || {
            let mut stream = TcpStream::connect(addr).expect("connected");
            let mut sent = 0;
            let mut closed = false;
            for byte in bytes {
                if stream.write_all(&[byte]).is_err() {
                    closed = true;
                    break;
                }
                sent += 1;
                if sent == 1 {
                    let _ = started.send(());
                }
                // One byte per second, or sooner when told to stop.
                if !matches!(
                    stopped.recv_timeout(Duration::from_secs(1)),
                    Err(mpsc::RecvTimeoutError::Timeout)
                ) {
                    break;
                }
            }
            let _ = finished.send(Dripped { sent, closed });
        });
        is_started
            .recv_timeout(PATIENCE)
            .expect("the slow client connects and sends its first byte");
        Drip { stop, done }
    }

    /// Stops dripping and tells what happened.
    fn stop(self) -> Dripped {
        let _ = self.stop.send(());
        self.done.recv().expect("the slow client reports")
    }

    /// What happened once the client ends by itself, if it does within `limit`.
    fn end_within(self, limit: Duration) -> Option<Dripped> {
        let ended = self.done.recv_timeout(limit).ok();
        if ended.is_none() {
            self.stop();
        }
        ended
    }
}

/// The start of an HTTP request that never ends.
fn endless_http_request(addr: SocketAddr) -> Vec<u8> {
    let mut request =
        format!("GET /callback?code=forged&state=forged HTTP/1.1\r\nHost: {addr}\r\nX-Slow: ")
            .into_bytes();
    request.resize(4096, b'x');
    request
}

/// The start of a TLS record announcing 16 KiB that never come: a TLS server reading it waits.
fn endless_tls_record() -> Vec<u8> {
    let mut record = vec![0x16, 0x03, 0x01, 0x40, 0x00, 0x01];
    record.resize(4096, 0);
    record
}

/// Asserts the wait ended with `TimedOut`, at most 5 s after its timeout.
fn assert_returns_on_time(
    waiter: JoinHandle<Result<Callback, ListenerError>>,
    timeout: Duration,
    started: Instant,
) {
    let outcome = join(waiter);
    let took = started.elapsed();
    assert!(
        matches!(outcome, Err(ListenerError::TimedOut)),
        "{outcome:?}"
    );
    assert!(
        took < timeout + Duration::from_secs(5),
        "wait took {took:?} for a {timeout:?} timeout"
    );
}

fn assert_closed(scheme: &str, addr: SocketAddr) {
    assert!(
        TcpStream::connect_timeout(&addr, Duration::from_secs(2)).is_err(),
        "{scheme}: still listening on {addr} after the wait"
    );
}

#[test]
fn other_paths_are_answered_404_and_the_listener_keeps_waiting() {
    for scheme in ["http", "https"] {
        let (listener, uri, _) = bind_free(scheme, "/callback");
        let waiter = spawn_wait(listener, WAIT);
        for path in [
            "/".to_owned(),
            "/favicon.ico".to_owned(),
            "/callback/".to_owned(),
            "/callbackx".to_owned(),
            format!("/other?code={CODE}&state={STATE}"),
        ] {
            assert_eq!(get(&uri, &path).expect("an answer"), 404, "{scheme} {path}");
        }
        assert!(!waiter.is_finished(), "{scheme}: the wait ended early");
        assert_real_callback_accepted(&uri, waiter);
    }
}

#[test]
fn a_one_megabyte_query_string_is_refused_and_the_callback_still_works() {
    let (listener, uri, addr) = bind_free("http", "/callback");
    let waiter = spawn_wait(listener, WAIT);
    let pad = "A".repeat(1024 * 1024);
    for path in ["/other", "/callback"] {
        let request = format!(
            "GET {path}?code=forged&state=forged&pad={pad} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
        );
        assert_eq!(
            exchange(addr, request.as_bytes()),
            Reply::Status(414),
            "{path}"
        );
    }
    assert_real_callback_accepted(&uri, waiter);
}

#[test]
fn a_100_kib_header_is_refused_and_the_callback_still_works() {
    let (listener, uri, addr) = bind_free("http", "/callback");
    let waiter = spawn_wait(listener, WAIT);
    let pad = "A".repeat(100 * 1024);
    for target in ["/favicon.ico", "/callback?code=forged&state=forged"] {
        let request = format!(
            "GET {target} HTTP/1.1\r\nHost: {addr}\r\nX-Pad: {pad}\r\nConnection: close\r\n\r\n"
        );
        assert_eq!(
            exchange(addr, request.as_bytes()),
            Reply::Status(431),
            "{target}"
        );
    }
    assert_real_callback_accepted(&uri, waiter);
}

#[test]
fn ambiguous_framing_headers_are_refused_and_the_callback_still_works() {
    let (listener, uri, addr) = bind_free("http", "/callback");
    let waiter = spawn_wait(listener, WAIT);
    for headers in [
        format!("Host: {addr}\r\nHost: {addr}\r\n"),
        format!("Host: {addr}\r\nContent-Length: 0\r\nContent-Length: 0\r\n"),
    ] {
        let request = format!(
            "GET /callback?code={CODE}&state={STATE} HTTP/1.1\r\n{headers}Connection: close\r\n\r\n"
        );
        assert_eq!(
            exchange(addr, request.as_bytes()),
            Reply::Status(400),
            "{headers}"
        );
    }
    assert!(!waiter.is_finished(), "a refused request ended the wait");
    assert_real_callback_accepted(&uri, waiter);
}

#[test]
fn a_request_head_that_never_ends_is_cut_off_at_the_cap() {
    let (listener, uri, addr) = bind_free("http", "/callback");
    let waiter = spawn_wait(listener, WAIT);
    for (start, refusal) in [
        ("GET /callback?pad=".to_owned(), 414),
        (
            format!("GET /favicon.ico HTTP/1.1\r\nHost: {addr}\r\nX-Pad: "),
            431,
        ),
    ] {
        let mut stream = TcpStream::connect(addr).expect("connected");
        let mut request = start.into_bytes();
        request.resize(100 * 1024, b'A');
        // The connection stays open: the listener must answer before the head ends.
        let _ = stream.write_all(&request);
        assert_eq!(read_reply(&mut stream), Reply::Status(refusal));
    }
    assert_real_callback_accepted(&uri, waiter);
}

#[test]
fn two_hundred_idle_connections_do_not_hold_up_the_callback() {
    for scheme in ["http", "https"] {
        let (listener, uri, addr) = bind_free(scheme, "/callback");
        let waiter = spawn_wait(listener, WAIT);
        let idle = idle_connections(scheme, addr, 200);
        assert_real_callback_accepted(&uri, waiter);
        assert_closed(scheme, addr);
        drop(idle);
    }
}

#[test]
fn many_concurrent_requests_are_all_answered_and_the_callback_still_works() {
    let (listener, uri, addr) = bind_free("http", "/callback");
    let waiter = spawn_wait(listener, WAIT);
    let request = format!("GET /favicon.ico HTTP/1.1\r\nHost: {addr}\r\n\r\n");
    let clients: Vec<_> = (0..100)
        .map(|_| {
            let request = request.clone();
            thread::spawn(move || exchange(addr, request.as_bytes()))
        })
        .collect();
    for client in clients {
        assert_eq!(client.join().expect("a reply"), Reply::Status(404));
    }
    assert_real_callback_accepted(&uri, waiter);
}

#[test]
fn a_slow_client_does_not_hold_up_the_callback() {
    for scheme in ["http", "https"] {
        let (listener, uri, addr) = bind_free(scheme, "/callback");
        let waiter = spawn_wait(listener, WAIT);
        let bytes = match scheme {
            "https" => endless_tls_record(),
            _ => endless_http_request(addr),
        };
        let drip = Drip::start(addr, bytes);
        assert_real_callback_accepted(&uri, waiter);
        let dripped = drip.stop();
        // The callback did not wait for the slow client to go away.
        assert!(
            !dripped.closed,
            "{scheme}: the slow client was closed after {} bytes, before the callback",
            dripped.sent
        );
    }
}

#[test]
fn a_slow_client_is_cut_off_before_long() {
    let (listener, uri, addr) = bind_free("http", "/callback");
    let waiter = spawn_wait(listener, WAIT);
    let drip = Drip::start(addr, endless_http_request(addr));
    match drip.end_within(Duration::from_secs(30)) {
        Some(Dripped { closed: true, .. }) => {}
        other => panic!("the slow client was not cut off within 30 s: {other:?}"),
    }
    assert_real_callback_accepted(&uri, waiter);
}

#[test]
fn a_silent_client_does_not_hold_up_a_tls_callback() {
    let (listener, uri, addr) = bind_free("https", "/callback");
    let waiter = spawn_wait(listener, WAIT);
    let silent = TcpStream::connect(addr).expect("connected");
    assert_real_callback_accepted(&uri, waiter);
    assert_closed("https", addr);
    drop(silent);
}

#[test]
fn a_timed_wait_ends_on_time_under_abuse() {
    for scheme in ["http", "https"] {
        let (listener, _, addr) = bind_free(scheme, "/callback");
        let timeout = Duration::from_secs(2);
        let started = Instant::now();
        let waiter = spawn_wait(listener, timeout);
        let idle = idle_connections(scheme, addr, 50);
        let bytes = match scheme {
            "https" => endless_tls_record(),
            _ => endless_http_request(addr),
        };
        let drip = Drip::start(addr, bytes);
        assert_returns_on_time(waiter, timeout, started);
        assert_closed(scheme, addr);
        drip.stop();
        drop(idle);
    }
}

#[test]
fn a_second_authorization_response_is_refused() {
    for scheme in ["http", "https"] {
        let (listener, uri, addr) = bind_free(scheme, "/callback");
        let waiter = spawn_wait(listener, WAIT);
        // Opened before the first response, used after it.
        let mut early = TcpStream::connect(addr).expect("connected");
        assert_real_callback_accepted(&uri, waiter);
        let second = get(&uri, &format!("/callback?code=second&state={STATE}"));
        assert!(
            second.as_ref().is_err_and(|e| e.is_connect()),
            "{scheme}: a second response reached a listener: {second:?}"
        );
        if scheme == "http" {
            let request =
                format!("GET /callback?code=second&state={STATE} HTTP/1.1\r\nHost: {addr}\r\n\r\n");
            let _ = early.write_all(request.as_bytes());
            let reply = read_reply(&mut early);
            assert_eq!(reply, Reply::Closed, "{scheme}: on an early connection");
        }
    }
}

#[test]
fn a_forged_response_is_refused_as_a_state_mismatch_and_ends_the_login() {
    for scheme in ["http", "https"] {
        let (listener, uri, _) = bind_free(scheme, "/callback");
        let waiter = spawn_wait(listener, WAIT);
        let status = get(&uri, "/callback?code=forged&state=forged").expect("an answer");
        assert_eq!(status, 400, "{scheme}");
        match join(waiter) {
            Err(ListenerError::StateMismatch { received }) => {
                assert_eq!(received.as_deref(), Some("forged"), "{scheme}")
            }
            other => panic!("{scheme}: the forged response was not refused: {other:?}"),
        }
        let late = real_callback(&uri);
        assert!(
            late.as_ref().is_err_and(|e| e.is_connect()),
            "{scheme}: the listener still answers after a forgery: {late:?}"
        );
    }
}

/// An address of this machine that is not loopback, if it has one: the source address of the
/// route to a public address (a UDP "connection" sends nothing).
fn non_loopback_address() -> Option<IpAddr> {
    [
        ("0.0.0.0:0", "192.0.2.254:9"),
        ("0.0.0.0:0", "8.8.8.8:9"),
        ("[::]:0", "[2001:db8::1]:9"),
    ]
    .into_iter()
    .find_map(|(local, remote)| {
        let socket = UdpSocket::bind(local).ok()?;
        socket.connect(remote).ok()?;
        let ip = socket.local_addr().ok()?.ip();
        (!ip.is_loopback() && !ip.is_unspecified()).then_some(ip)
    })
}

#[test]
#[allow(clippy::print_stdout)] // the note on a machine without another address
fn the_listener_cannot_be_reached_from_outside_loopback() {
    let Some(outside) = non_loopback_address() else {
        println!("note: this machine has no non-loopback address; only the loopback part ran");
        let (listener, uri, _) = bind_free("http", "/callback");
        assert_real_callback_accepted(&uri, spawn_wait(listener, WAIT));
        return;
    };
    // The control: that address does reach a socket bound to every interface.
    let anywhere = TcpListener::bind(SocketAddr::new(
        if outside.is_ipv4() {
            IpAddr::from([0u8; 4])
        } else {
            IpAddr::from([0u16; 8])
        },
        0,
    ))
    .expect("a socket on every interface");
    let control = SocketAddr::new(outside, anywhere.local_addr().expect("its port").port());
    assert!(
        TcpStream::connect_timeout(&control, Duration::from_secs(2)).is_ok(),
        "{outside} does not reach this machine, so it cannot test the listener"
    );

    for scheme in ["http", "https"] {
        let (listener, uri, addr) = bind_free(scheme, "/callback");
        let waiter = spawn_wait(listener, WAIT);
        let from_outside = SocketAddr::new(outside, addr.port());
        assert!(
            TcpStream::connect_timeout(&from_outside, Duration::from_secs(2)).is_err(),
            "{scheme}: the listener answers on {from_outside}"
        );
        assert_real_callback_accepted(&uri, waiter);
    }
}
