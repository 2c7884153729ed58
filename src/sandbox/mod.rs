//! The sandbox: a local OpenID provider shaped like itsme® (PROTOCOL §1–§8, and CIBA, §9, in
//! [`ciba`]), for demos, for this tool's own tests and for partners' CI. It binds 127.0.0.1 only
//! and keeps everything in memory.
//! It serves on `http::server::Service`, the small server the login's listener runs on too: the
//! same caps on heads (64 KiB: 414/431), bodies (1 MiB: 413), connections (256) and the same
//! deadlines and header rules.

pub mod authorize;
pub mod ciba;
pub mod config;
pub(crate) mod pages;
pub mod personas;
mod qr;
pub mod report;
mod server;
pub mod tokens;

use std::sync::{Arc, Mutex};

pub use server::{Fault, FaultError};

use crate::http::server::{Service, ServiceOptions};
use crate::jose::crypto::RsaDecrypter;
use crate::jose::keys::PrivateKey;
use config::Client;
use personas::Persona;

/// How to run a sandbox.
#[derive(Default)]
pub struct SandboxOptions {
    /// The port on 127.0.0.1; 0 picks a free one.
    pub port: u16,
    /// Registered clients.
    pub clients: Vec<Client>,
    /// Approve every authorization at once as this persona (no page), for headless runs.
    pub approve: Option<&'static Persona>,
    /// Faults to inject, in order.
    pub faults: Vec<Fault>,
    /// CIBA delivery: poll or ping (with the callback), and the interval.
    pub ciba: ciba::CibaOptions,
}

/// A running sandbox. Dropping it stops the server.
pub struct Sandbox {
    service: Service,
    issuer: String,
    port: u16,
}

/// The provider's own keys and everything the handlers share.
struct Provider {
    issuer: String,
    clients: Vec<Client>,
    signing_key: PrivateKey,
    rotated_signing_key: PrivateKey,
    encryption_key: PrivateKey,
    decrypter: RsaDecrypter,
    approve: Option<&'static Persona>,
    ciba: ciba::CibaOptions,
    state: Mutex<server::State>,
}

impl Sandbox {
    /// Binds 127.0.0.1:`port`, makes the provider's keys and starts serving.
    pub fn start(options: SandboxOptions) -> anyhow::Result<Sandbox> {
        options.ciba.check().map_err(|why| {
            crate::error::hinted(
                why,
                "give --ciba-callback http://127.0.0.1:PORT/PATH (or an https URL)",
            )
        })?;
        let listener = std::net::TcpListener::bind(("127.0.0.1", options.port)).map_err(|e| {
            crate::error::hinted(
                format!("could not listen on 127.0.0.1:{}: {e}", options.port),
                "choose another --port, or --port 0 for any free port",
            )
        })?;
        // With Nagle's algorithm a client reusing the connection would wait for its delayed ACK,
        // ~40 ms per answer. Accepted connections inherit TCP_NODELAY from the listening socket
        // (and the server sets it on each again).
        socket2::SockRef::from(&listener)
            .set_tcp_nodelay(true)
            .map_err(|e| anyhow::anyhow!("could not set up the sandbox's socket: {e}"))?;
        let port = listener
            .local_addr()
            .map(|a| a.port())
            .unwrap_or(options.port);
        let issuer = format!("http://127.0.0.1:{port}/v2");
        let signing_key = PrivateKey::generate(2048, "sig", "RS256")?;
        let rotated_signing_key = PrivateKey::generate(2048, "sig", "RS256")?;
        let encryption_key = PrivateKey::generate(2048, "enc", "RSA-OAEP-256")?;
        let decrypter = RsaDecrypter::new(&encryption_key);
        let provider = Arc::new(Provider {
            issuer: issuer.clone(),
            clients: options.clients,
            signing_key,
            rotated_signing_key,
            encryption_key,
            decrypter,
            approve: options.approve,
            ciba: options.ciba,
            state: Mutex::new(server::State::new(options.faults)),
        });
        let service = Service::start(
            listener,
            ServiceOptions {
                who: "sandbox",
                max_body: server::MAX_BODY,
                handler: Box::new(move |request| server::serve(request, &provider)),
            },
        )
        .map_err(|e| anyhow::anyhow!("could not start the sandbox's server: {e}"))?;
        Ok(Sandbox {
            service,
            issuer,
            port,
        })
    }

    /// The issuer URL, `http://127.0.0.1:<port>/v2`.
    pub fn issuer(&self) -> &str {
        &self.issuer
    }

    /// The port it listens on.
    pub fn port(&self) -> u16 {
        self.port
    }

    /// Stops serving: the port closes, connections waiting for a request close, requests being
    /// answered are answered.
    pub fn stop(mut self) {
        self.service.stop();
    }
}
