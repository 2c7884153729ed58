//! itsme® CIBA, the client's side (PROTOCOL §9): the user discovery session that yields a
//! `user_identifier_token` ([`discovery`]), the backchannel authentication request that sends the
//! signed request object ([`backchannel`]), and the result, by polling the token endpoint or by a
//! ping to a callback listener ([`poll`], [`ping`]). The QR code of the discovery session is read
//! by [`qr`]. The pure rules (paths, audiences, hint shapes, the request object's claims, the
//! error meanings) are `itsme::ciba`'s; the token request itself is [`super::token`]'s.
//!
//! Waiting never spins: between two requests the thread sleeps (`std::thread::sleep`) or blocks
//! on a channel with a timeout, and Ctrl-C ends the process with 130 at any point
//! (`crate::interrupt`).

pub mod backchannel;
pub mod discovery;
pub mod ping;
pub mod poll;
pub mod qr;
pub mod report;

use std::time::Duration;

use serde::Serialize;
use url::Url;

use super::report::{ProviderError, Refusal};
use crate::http::{Http, Response};
use crate::itsme::ciba::{
    self,
    errors::{CibaError, CibaStage, explain},
};
use crate::jose::keys::PrivateKey;
use crate::oidc::client_auth::{self, AssertionAud, Audience, ClientCredentials};

/// The wait between two polls when the provider names none (PROTOCOL §9.2, §9.4: 5 s).
pub const DEFAULT_INTERVAL: Duration = Duration::from_secs(ciba::DEFAULT_INTERVAL);
/// What `slow_down` (and a 429) adds to the interval, for that poll and every later one
/// (PROTOCOL §9.4; CIBA Core §11).
pub const SLOW_DOWN_STEP: Duration = Duration::from_secs(ciba::SLOW_DOWN_STEP);
/// The longest interval accepted from a provider: a larger one is taken as this, so a hostile or
/// broken answer cannot park the client for hours.
pub const MAX_INTERVAL: Duration = Duration::from_secs(60);

/// Who calls the CIBA endpoints: private_key_jwt only (PROTOCOL §9.1), a fresh assertion per call.
#[derive(Clone, Copy)]
pub struct CibaClient<'a> {
    /// The HTTP client.
    pub http: &'a Http,
    /// The `client_id`.
    pub client_id: &'a str,
    /// The `use: sig` key that signs every client assertion.
    pub key: &'a PrivateKey,
    /// The provider's issuer (the `aud` of an RFC 10070 assertion at the token endpoint).
    pub issuer: &'a str,
    /// `--assertion-aud`: itsme®'s documented audiences, or RFC 10070's issuer with its `typ`.
    pub assertion_aud: AssertionAud,
}

impl CibaClient<'_> {
    /// The credentials of the token request (`flow::token`).
    pub fn credentials(&self) -> ClientCredentials<'_> {
        ClientCredentials::PrivateKeyJwt(self.key)
    }

    /// POSTs `fields` to `url`, adding `client_id`, `client_assertion_type` and a client assertion
    /// signed now with `audience` as its `aud` (PROTOCOL §9.1's table gives one per endpoint).
    pub fn post(
        &self,
        url: &Url,
        mut fields: Vec<(&'static str, String)>,
        audience: &str,
    ) -> anyhow::Result<Response> {
        fields.extend(client_auth::form_fields(
            &self.credentials(),
            self.client_id,
            Audience {
                aud: audience,
                typ: (self.assertion_aud == AssertionAud::Issuer)
                    .then_some(client_auth::RFC_10070_TYP),
            },
            crate::timefmt::now(),
        )?);
        self.http.post_form(url, &fields)
    }
}

/// What the provider says between two polls, for the screen (implemented by the command).
pub trait Progress {
    /// A QR code to show, replacing any shown before (PROTOCOL §9.2: any pending answer may carry
    /// a new one); `expires_at` as the provider sent it.
    fn qr_code(&mut self, image: &qr::QrImage, expires_at: Option<&str>);
    /// The flow is now waiting for `what`, `left` at most.
    fn waiting(&mut self, what: &'static str, left: Duration);
    /// Something worth a line: a slower interval, a ping, a fallback.
    fn notice(&mut self, text: String);
}

/// How many requests each phase sent and how long it waited: the measure of "no more than one
/// request per interval" (PROTOCOL §9.2, §9.4), in the JSON report.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Requests {
    /// Discovery-session requests (the create and every poll).
    pub discovery: u32,
    /// Backchannel authentication requests.
    pub backchannel: u32,
    /// Token requests.
    pub token: u32,
    /// Pings received and accepted (ping mode).
    pub pings: u32,
    /// Seconds from the first request to the result.
    pub waited_s: f64,
}

/// A refusal of one of the CIBA endpoints, explained from the CIBA error tables (PROTOCOL §9.2–§9.4):
/// by its `error` (its text read from `error_description` or `detail`, §9.8.9), or, at the
/// discovery endpoints whose error body is not documented, by its HTTP status.
pub fn refusal(stage: CibaStage, answer: &ProviderError) -> Refusal {
    let known = match (answer.error.as_deref(), stage) {
        (Some(code), _) => CibaError::from_code(code),
        (None, CibaStage::Discovery) => CibaError::from_discovery_status(answer.status),
        (None, _) => None,
    };
    let explanation = known.and_then(|code| explain(stage, code));
    Refusal {
        stage: match stage {
            CibaStage::Discovery => "discovery",
            CibaStage::Backchannel => "backchannel",
            CibaStage::Token => "token",
        },
        error: match (&answer.error, known) {
            (Some(error), _) => error.clone(),
            (None, Some(code)) => code.as_str().to_string(),
            (None, None) => answer.code(),
        },
        description: answer.description.clone(),
        meaning: explanation.map(|e| e.meaning),
        hint: explanation.map(|e| e.hint.to_string()),
    }
}

/// The `interval` member of an answer in seconds, bounded to [1 s, [`MAX_INTERVAL`]]; `None`
/// when absent or not a positive integer.
pub fn interval(body: &serde_json::Value) -> Option<Duration> {
    let seconds = body.get("interval")?.as_u64().filter(|s| *s > 0)?;
    Some(Duration::from_secs(seconds).min(MAX_INTERVAL))
}

/// Sleeps `duration` on this thread (no CPU while waiting; Ctrl-C still ends the process).
pub fn sleep(duration: Duration) {
    std::thread::sleep(duration);
}
