//! The sandbox's HTTP under abuse, over raw sockets to a real `itsme-cli sandbox` process (so its
//! memory and threads can be read from /proc): oversized request lines, headers and bodies,
//! ambiguous framing headers, crowds of idle connections and slow clients. Whatever happens, the
//! sandbox answers within bounds and goes on serving. The same server carries the login's
//! listener (`listener_abuse.rs`).
//!
//! Every client here has a time limit, so a sandbox that hangs shows up as a failure.

use crate::common;

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::thread;
use std::time::{Duration, Instant};

/// How long a test client waits for an answer before calling the sandbox silent.
const PATIENCE: Duration = Duration::from_secs(15);

const DISCOVERY: &str = "/v2/.well-known/openid-configuration";

struct Running {
    process: common::SandboxProcess,
    addr: SocketAddr,
}

fn start() -> Running {
    let process = common::sandbox_process(&[]);
    let port = process.ready["port"].as_u64().expect("a port");
    let port = u16::try_from(port).expect("a port number");
    Running {
        process,
        addr: SocketAddr::from(([127, 0, 0, 1], port)),
    }
}

impl Running {
    /// A field of /proc/PID/status, in its unit (kB for memory).
    fn status(&self, field: &str) -> u64 {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.process.child.id()))
            .expect("the sandbox's /proc status");
        status
            .lines()
            .find_map(|line| line.strip_prefix(field)?.strip_prefix(':'))
            .and_then(|value| value.split_whitespace().next()?.parse().ok())
            .unwrap_or_else(|| panic!("no {field} in /proc status"))
    }

    /// Asserts that a plain discovery request is answered 200 within [`PATIENCE`].
    fn assert_serves(&self, when: &str) {
        let started = Instant::now();
        let (status, _) = exchange(
            self.addr,
            format!(
                "GET {DISCOVERY} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n\r\n",
                self.addr
            )
            .as_bytes(),
        );
        assert_eq!(status, Some(200), "{when}: discovery was not served");
        assert!(
            started.elapsed() < PATIENCE,
            "{when}: discovery took {:?}",
            started.elapsed()
        );
    }
}

/// The status and the rest of an answer (until the connection closes or [`PATIENCE`] passes).
fn read_answer(stream: &mut TcpStream) -> (Option<u16>, String) {
    stream
        .set_read_timeout(Some(PATIENCE))
        .expect("a read timeout");
    let mut answer = Vec::new();
    let mut buf = [0u8; 4096];
    loop {
        match stream.read(&mut buf) {
            Ok(0) | Err(_) => break,
            Ok(n) => answer.extend_from_slice(&buf[..n]),
        }
    }
    let text = String::from_utf8_lossy(&answer).into_owned();
    let status = text
        .strip_prefix("HTTP/1.1 ")
        .and_then(|rest| rest.get(..3)?.parse().ok());
    (status, text)
}

/// Sends raw bytes on a new connection and reads the answer. A failed write is not an error: the
/// sandbox may refuse a request before reading all of it.
fn exchange(addr: SocketAddr, request: &[u8]) -> (Option<u16>, String) {
    let mut stream = TcpStream::connect(addr).expect("connected");
    let _ = stream.write_all(request);
    read_answer(&mut stream)
}

#[test]
fn a_300_mib_request_line_is_refused_in_bounded_time_and_the_process_does_not_grow() {
    let sandbox = start();
    sandbox.assert_serves("before");
    let peak_before = sandbox.status("VmHWM");
    let started = Instant::now();
    let mut stream = TcpStream::connect(sandbox.addr).expect("connected");
    let mut writer = stream.try_clone().expect("a second handle");
    // Written on its own thread while the answer is read: the sandbox answers long before the
    // line ends, and closes once it has seen enough.
    let sender = thread::spawn(move || {
        let chunk = vec![b'A'; 1024 * 1024];
        let mut sent = 0usize;
        if writer.write_all(b"GET /v2/authorization?pad=").is_ok() {
            for _ in 0..300 {
                if writer.write_all(&chunk).is_err() {
                    break;
                }
                sent += chunk.len();
            }
        }
        sent
    });
    let (status, answer) = read_answer(&mut stream);
    drop(stream);
    let sent = sender.join().expect("the sender ends");
    let took = started.elapsed();
    assert_eq!(status, Some(414), "{answer}");
    assert!(took < Duration::from_secs(30), "the refusal took {took:?}");
    assert!(
        sent < 64 * 1024 * 1024,
        "the sandbox read {sent} bytes of the line"
    );
    let grew = sandbox.status("VmHWM").saturating_sub(peak_before);
    assert!(
        grew < 32 * 1024,
        "the sandbox's peak memory grew by {grew} kB"
    );
    sandbox.assert_serves("after the 300 MiB line");
}

#[test]
fn oversized_heads_and_bodies_are_refused_and_the_sandbox_goes_on() {
    let sandbox = start();
    let addr = sandbox.addr;
    let pad = "A".repeat(100 * 1024);
    for (request, refusal) in [
        (
            format!("GET {DISCOVERY}?pad={pad} HTTP/1.1\r\nHost: {addr}\r\n\r\n"),
            414,
        ),
        (
            format!("GET {DISCOVERY} HTTP/1.1\r\nHost: {addr}\r\nX-Pad: {pad}\r\n\r\n"),
            431,
        ),
        (
            format!(
                "POST /v2/token HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n\r\ngrant_type=",
                2 * 1024 * 1024
            ),
            413,
        ),
    ] {
        let (status, answer) = exchange(addr, request.as_bytes());
        assert_eq!(status, Some(refusal), "{answer}");
    }
    // A body at the cap is read and reaches the handler.
    let form = format!("grant_type=x&pad={}", "A".repeat(1024 * 1024 - 17));
    let (status, answer) = exchange(
        addr,
        format!(
            "POST /v2/token HTTP/1.1\r\nHost: {addr}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{form}",
            form.len()
        )
        .as_bytes(),
    );
    assert_eq!(status, Some(400), "{answer}");
    assert!(
        answer.contains("\"error\""),
        "the handler answers: {answer}"
    );
    sandbox.assert_serves("after the oversized requests");
}

#[test]
fn ambiguous_framing_headers_are_refused_naming_the_header() {
    let sandbox = start();
    let addr = sandbox.addr;
    for (headers, status, named) in [
        (
            format!("Host: {addr}\r\nHost: evil.example\r\n"),
            400,
            "`Host`",
        ),
        (
            format!("Host: {addr}\r\nContent-Length: 3\r\nContent-Length: 30\r\n"),
            400,
            "`Content-Length`",
        ),
        (
            format!("Host: {addr}\r\nTransfer-Encoding: chunked\r\nContent-Length: 3\r\n"),
            400,
            "`Content-Length`",
        ),
        (
            format!("Host: {addr}\r\nContent-Length: 3, 3\r\n"),
            400,
            "`Content-Length`",
        ),
    ] {
        let request = format!("POST /v2/token HTTP/1.1\r\n{headers}Connection: close\r\n\r\nabc");
        let (got, answer) = exchange(addr, request.as_bytes());
        assert_eq!(got, Some(status), "{headers}: {answer}");
        assert!(answer.contains(named), "{headers}: {answer}");
    }
    sandbox.assert_serves("after the ambiguous requests");
}

#[test]
fn a_connection_is_kept_alive_across_requests() {
    let sandbox = start();
    let addr = sandbox.addr;
    let mut stream = TcpStream::connect(addr).expect("connected");
    stream
        .set_read_timeout(Some(PATIENCE))
        .expect("a read timeout");
    for i in 0..3 {
        let form = "grant_type=x";
        write!(
            stream,
            "POST /v2/token HTTP/1.1\r\nHost: {addr}\r\nContent-Length: {}\r\nExpect: 100-continue\r\n\r\n{form}",
            form.len()
        )
        .expect("sent");
        // Read up to the end of this answer's body (its length is stated).
        let mut answer = Vec::new();
        let mut byte = [0u8; 1];
        let length = loop {
            stream.read_exact(&mut byte).expect("an answer");
            answer.push(byte[0]);
            let text = String::from_utf8_lossy(&answer);
            if text.ends_with("\r\n\r\n") && !text.starts_with("HTTP/1.1 100") {
                break text
                    .lines()
                    .find_map(|l| l.strip_prefix("Content-Length: "))
                    .and_then(|n| n.parse::<usize>().ok())
                    .expect("a length");
            }
            if text == "HTTP/1.1 100 Continue\r\n\r\n" {
                answer.clear();
            }
        };
        let mut body = vec![0u8; length];
        stream.read_exact(&mut body).expect("the body");
        let text = String::from_utf8_lossy(&answer);
        assert!(text.starts_with("HTTP/1.1 400"), "request {i}: {text}");
        assert!(
            text.contains("Connection: keep-alive"),
            "request {i}: {text}"
        );
    }
}

#[test]
fn a_thousand_idle_connections_do_not_lock_out_a_request_nor_take_a_thread_each() {
    let sandbox = start();
    let idle: Vec<TcpStream> = (0..1000)
        .map(|i| {
            TcpStream::connect_timeout(&sandbox.addr, PATIENCE)
                .unwrap_or_else(|e| panic!("idle connection {i} could not connect: {e}"))
        })
        .collect();
    sandbox.assert_serves("with 1000 idle connections");
    // Let the sandbox take in every connection, then count its threads.
    thread::sleep(Duration::from_millis(500));
    let threads = sandbox.status("Threads");
    assert!(
        threads <= 300,
        "{threads} threads for 1000 idle connections"
    );
    sandbox.assert_serves("still with the idle connections");
    drop(idle);
}

/// Sends `start`, then one byte a second; returns how long until the sandbox closed the
/// connection, or `None` if it had not within `limit`.
fn drip(addr: SocketAddr, start: String, limit: Duration) -> Option<Duration> {
    let mut stream = TcpStream::connect(addr).expect("connected");
    let began = Instant::now();
    stream.write_all(start.as_bytes()).ok()?;
    stream
        .set_read_timeout(Some(Duration::from_secs(1)))
        .expect("a read timeout");
    let mut buf = [0u8; 1024];
    while began.elapsed() < limit {
        if stream.write_all(b"x").is_err() {
            return Some(began.elapsed());
        }
        match stream.read(&mut buf) {
            Ok(0) => return Some(began.elapsed()),
            Err(e)
                if matches!(
                    e.kind(),
                    std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
                ) => {}
            // An answer or a reset: it is over either way.
            _ => return Some(began.elapsed()),
        }
    }
    None
}

#[test]
fn a_client_sending_a_byte_a_second_is_cut_off() {
    let sandbox = start();
    let addr = sandbox.addr;
    let limit = Duration::from_secs(30);
    let head = thread::spawn(move || {
        drip(
            addr,
            format!("GET {DISCOVERY} HTTP/1.1\r\nHost: {addr}\r\nX-Slow: "),
            limit,
        )
    });
    let body = thread::spawn(move || {
        drip(
            addr,
            format!("POST /v2/token HTTP/1.1\r\nHost: {addr}\r\nContent-Length: 1000\r\n\r\n"),
            limit,
        )
    });
    sandbox.assert_serves("while the slow clients drip");
    for (what, client) in [("head", head), ("body", body)] {
        let cut = client.join().expect("the slow client ends");
        assert!(
            cut.is_some_and(|after| after >= Duration::from_secs(5)),
            "a slow {what} was not cut off within {limit:?} (or too soon): {cut:?}"
        );
    }
    sandbox.assert_serves("after the slow clients");
}
