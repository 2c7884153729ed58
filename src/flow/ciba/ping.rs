//! Ping mode (PROTOCOL §9.5): a listener for the provider's `POST <callback>` with
//! `Authorization: Bearer <client_notification_token>` and `{"auth_req_id": "…"}`.
//!
//! The client notification token is made here: 32 random bytes as base64url, 256 bits (CIBA Core
//! §7.1 asks for at least 128) in RFC 6750 `b64token` syntax, at most 1024 characters as
//! PROTOCOL §9.3 allows. The listener runs on `http::server`'s `Service`, with the loopback
//! listener's hardening: the head within 10 s and at most 64 KiB, the body within 10 s and at most
//! [`MAX_BODY`], at most 256 connections. ONE ping is accepted, and only one with the right
//! bearer token and the right `auth_req_id`, both compared in constant time; anything else is
//! answered (405, 415, 401 with `WWW-Authenticate: Bearer`, 400, 409) and ignored. The accepted
//! ping is answered 204 (CIBA Core §10.2's example; PROTOCOL §9.8.11: itsme® states no code).
//!
//! The path of the callback is not checked: the callback URL is registered with itsme® at
//! onboarding (PROTOCOL §9.5), and a reverse proxy in front of this listener may rewrite it.

use std::net::{SocketAddr, TcpListener};
use std::sync::mpsc::{self, Receiver, Sender};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use crate::error::hinted;
use crate::http::server::{Answer, Incoming, Service, ServiceOptions};
use crate::secret::Secret;

/// The largest ping body read: `{"auth_req_id": "<uuid>"}` is 50 bytes.
pub const MAX_BODY: u64 = 4096;

/// The listener; stopped when dropped.
pub struct PingListener {
    _service: Service,
    address: SocketAddr,
    token: Secret,
    shared: Arc<Mutex<Expected>>,
    pings: Receiver<()>,
}

/// What the handler checks a ping against.
#[derive(Default)]
struct Expected {
    /// The `auth_req_id` of this run, once the backchannel answer brought it.
    auth_req_id: Option<Secret>,
    /// A ping with the right bearer token that came before that answer was read (its id).
    early: Option<String>,
    /// A ping was accepted: any later one is refused.
    accepted: bool,
    sender: Option<Sender<()>>,
}

impl PingListener {
    /// Listens on `address` with a fresh client notification token.
    pub fn bind(address: SocketAddr) -> anyhow::Result<PingListener> {
        let socket = TcpListener::bind(address).map_err(|e| {
            hinted(
                format!("cannot listen for pings on {address}: {e}"),
                "pick a free port (for example --ping-listen 127.0.0.1:8400), the one your registered callback URL reaches",
            )
        })?;
        let address = socket.local_addr()?;
        let token = Secret::new(crate::oidc::authorization::random_token(32));
        let (sender, pings) = mpsc::channel();
        let shared = Arc::new(Mutex::new(Expected {
            sender: Some(sender),
            ..Expected::default()
        }));
        let handler = {
            let (shared, token) = (Arc::clone(&shared), token.clone());
            move |request: &Incoming| judge(request, &token, &shared)
        };
        let service = Service::start(
            socket,
            ServiceOptions {
                who: "ping listener",
                max_body: MAX_BODY,
                handler: Box::new(handler),
            },
        )?;
        Ok(PingListener {
            _service: service,
            address,
            token,
            shared,
            pings,
        })
    }

    /// Where it listens.
    pub fn address(&self) -> SocketAddr {
        self.address
    }

    /// The `client_notification_token` to put in the request object.
    pub fn token(&self) -> &Secret {
        &self.token
    }

    /// Waits up to `timeout` for the ping of `auth_req_id` (blocked on a channel: no CPU used).
    /// `true` when it came.
    pub fn wait(&self, auth_req_id: &Secret, timeout: Duration) -> bool {
        {
            let mut expected = lock(&self.shared);
            if let Some(early) = expected.early.take()
                && auth_req_id.matches(&early)
            {
                expected.accepted = true;
                return true;
            }
            expected.auth_req_id = Some(auth_req_id.clone());
        }
        self.pings.recv_timeout(timeout).is_ok()
    }
}

fn lock(shared: &Mutex<Expected>) -> std::sync::MutexGuard<'_, Expected> {
    shared
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// Answers one request to the listener.
fn judge(request: &Incoming, token: &Secret, shared: &Mutex<Expected>) -> Answer {
    let head = request.head();
    let text = |status: u16, body: &str| {
        Answer::new(status, format!("{body}\n"))
            .with_header("Content-Type", "text/plain; charset=utf-8")
            .with_header("Cache-Control", "no-store")
    };
    if head.method() != "POST" {
        return text(405, "a ping is a POST").with_header("Allow", "POST");
    }
    let media_type = head
        .header("Content-Type")
        .and_then(|v| v.split(';').next())
        .map(|v| v.trim().to_ascii_lowercase());
    if media_type.as_deref() != Some("application/json") {
        return text(415, "a ping is application/json");
    }
    let bearer = head.header("Authorization").and_then(|value| {
        let (scheme, credentials) = value.split_once(' ')?;
        scheme
            .eq_ignore_ascii_case("bearer")
            .then(|| credentials.trim())
    });
    if !bearer.is_some_and(|given| token.matches(given)) {
        crate::trace::trace(format_args!(
            "ping listener: answered 401 to a request without this run's client_notification_token"
        ));
        return text(401, "unknown client_notification_token")
            .with_header("WWW-Authenticate", "Bearer error=\"invalid_token\"");
    }
    let id = match crate::itsme::ciba::answers::read_ping(request.body()) {
        Ok(id) => id,
        Err(why) => return text(400, &why),
    };
    let mut expected = lock(shared);
    if expected.accepted {
        return text(409, "a ping was already accepted");
    }
    match &expected.auth_req_id {
        Some(ours) if ours.matches(&id) => {
            expected.accepted = true;
            if let Some(sender) = expected.sender.take() {
                let _ = sender.send(());
            }
            Answer::new(204, Vec::new())
        }
        Some(_) => text(400, "unknown auth_req_id"),
        None if expected.early.is_none() => {
            expected.early = Some(id);
            Answer::new(204, Vec::new())
        }
        None => text(409, "a ping was already received"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::{Read, Write};

    fn send(address: SocketAddr, request: &str) -> String {
        let mut stream = std::net::TcpStream::connect(address).unwrap();
        stream.write_all(request.as_bytes()).unwrap();
        let mut answer = String::new();
        let _ = stream.read_to_string(&mut answer);
        answer
    }

    fn ping(address: SocketAddr, bearer: &str, content_type: &str, body: &str) -> String {
        send(
            address,
            &format!(
                "POST /cb HTTP/1.1\r\nHost: x\r\nConnection: close\r\nAuthorization: Bearer {bearer}\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\n\r\n{body}",
                body.len()
            ),
        )
    }

    #[test]
    fn only_the_right_ping_is_accepted_once() {
        let listener = PingListener::bind("127.0.0.1:0".parse().unwrap()).unwrap();
        let (address, token) = (listener.address(), listener.token().expose().to_string());
        assert!(token.len() >= 43, "≥ 256 bits as base64url");
        assert!(
            token
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        );
        let id = Secret::new("req-1");
        let waiter = {
            let id = id.clone();
            std::thread::spawn(move || listener.wait(&id, Duration::from_secs(20)))
        };
        std::thread::sleep(Duration::from_millis(100));
        let body = r#"{"auth_req_id":"req-1"}"#;
        assert!(
            send(
                address,
                "GET /cb HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
            )
            .starts_with("HTTP/1.1 405")
        );
        assert!(ping(address, &token, "text/plain", body).starts_with("HTTP/1.1 415"));
        let wrong = ping(address, "not-the-token", "application/json", body);
        assert!(
            wrong.starts_with("HTTP/1.1 401") && wrong.contains("WWW-Authenticate: Bearer"),
            "{wrong}"
        );
        let almost = format!("{}x", &token);
        assert!(ping(address, &almost, "application/json", body).starts_with("HTTP/1.1 401"));
        assert!(
            ping(
                address,
                &token,
                "application/json",
                r#"{"auth_req_id":"req-2"}"#
            )
            .starts_with("HTTP/1.1 400")
        );
        assert!(ping(address, &token, "application/json", "{}").starts_with("HTTP/1.1 400"));
        let big = format!(r#"{{"auth_req_id":"{}"}}"#, "a".repeat(5000));
        assert!(ping(address, &token, "application/json", &big).starts_with("HTTP/1.1 413"));
        assert!(
            ping(address, &token, "application/json; charset=utf-8", body)
                .starts_with("HTTP/1.1 204")
        );
        assert!(waiter.join().unwrap(), "the waiter heard the ping");
    }

    #[test]
    fn no_ping_is_a_timeout() {
        let listener = PingListener::bind("127.0.0.1:0".parse().unwrap()).unwrap();
        assert!(!listener.wait(&Secret::new("r"), Duration::from_millis(50)));
    }
}
