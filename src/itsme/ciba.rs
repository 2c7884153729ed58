//! itsme® CIBA, the backchannel API with QR user discovery (PROTOCOL §9): the rules both sides
//! share. The `ciba` client builds and explains with them; the sandbox checks and answers with
//! them. Pure: no network, no files.
//!
//! - [`endpoints`]: the paths of §9.1 and the client-assertion `aud` each endpoint documents;
//! - [`errors`]: every documented error code with its meaning and fix, the HTTP status the
//!   sandbox answers it with, and the two error-body shapes (§9.3 vs §9.4);
//! - [`hint`]: the `login_hint_token` shapes (§9.3), built and read;
//! - [`request`]: the backchannel request object's claims, checked into typed findings, and the
//!   builder the client sends them with;
//! - [`answers`]: the discovery-session, backchannel and ping bodies (§9.2, §9.3, §9.5).
//!
//! Where the documentation contradicts itself (§9.8) each rule says which reading it takes.

pub mod answers;
pub mod endpoints;
pub mod errors;
pub mod hint;
pub mod request;

/// `grant_type` of the CIBA token request (PROTOCOL §9.4, CIBA Core §10.1).
pub const GRANT_TYPE: &str = "urn:openid:params:grant-type:ciba";

/// Seconds between polls when the provider names no `interval` (PROTOCOL §9.2, §9.4).
pub const DEFAULT_INTERVAL: u64 = 5;

/// Seconds a `slow_down` adds to the interval, for that poll and every later one (PROTOCOL §9.4,
/// CIBA Core §11).
pub const SLOW_DOWN_STEP: u64 = 5;

/// How long a client polls a discovery session before giving up: the guide's 10 minutes
/// (PROTOCOL §9.2). The error table's 15 minutes ([`DISCOVERY_REFUSED_AFTER`]) is when the
/// provider starts answering 400; stopping at the earlier one never meets that answer (§9.8.1).
pub const DISCOVERY_GIVE_UP_AFTER: u64 = 600;

/// When a discovery session polled for that long answers 400 "Authentication request not valid":
/// the error table's 15 minutes (PROTOCOL §9.2, §9.8.1); the sandbox answers so.
pub const DISCOVERY_REFUSED_AFTER: u64 = 900;

/// How the result of a backchannel request reaches the client (PROTOCOL §9.1): agreed at
/// onboarding per service, not chosen per request.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Default,
    clap::ValueEnum,
    serde::Serialize,
    serde::Deserialize,
)]
#[serde(rename_all = "snake_case")]
pub enum DeliveryMode {
    /// The client polls `/token` every `interval` seconds.
    #[default]
    Poll,
    /// The provider POSTs `{"auth_req_id": …}` to the client's registered callback, then the client
    /// calls `/token` once.
    Ping,
}

impl DeliveryMode {
    /// The name, as in `backchannel_token_delivery_modes_supported`.
    pub fn as_str(self) -> &'static str {
        match self {
            DeliveryMode::Poll => "poll",
            DeliveryMode::Ping => "ping",
        }
    }
}
