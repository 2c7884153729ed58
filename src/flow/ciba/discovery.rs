//! The user discovery session (PROTOCOL §9.2): create it, show its QR code, poll it until the user
//! has scanned the code with the itsme® app, and return the single-use `user_identifier_token`.
//!
//! Readings chosen where the documentation disagrees with itself (PROTOCOL §9.8):
//! - §9.8.2: `qr_code` and `expires_at` are read from `user_discovery_token` (the example's
//!   nesting) and, failing that, from the top level (the field table's): `answers::read_discovery`.
//!   The interval is the answer's `interval` when it names one (the guide's "may contain"), else 5 s.
//! - §9.8.1: the guide says to stop after 10 minutes, the error table that the provider answers
//!   400 after 15: the default limit is the guide's 10 minutes, `--discovery-limit` raises it up
//!   to the table's 15.
//! - A 429 ("Too many requests", polled faster than `interval`) is waited out (its `Retry-After`,
//!   else the interval) and, like `slow_down` at the token endpoint, adds 5 s to the interval of
//!   every later poll: the provider said the client was too fast.
//! - §9.8.5: `client_id` is sent with the assertion (the table's REQUIRED; the example omits it).

use std::time::{Duration, Instant};

use serde_json::Value;
use url::Url;

use super::qr::QrImage;
use super::{CibaClient, Progress, Requests};
use crate::flow::report::{ProviderError, Refusal};
use crate::itsme::ciba::answers::{self, DiscoveryAnswer, DiscoveryStatus};
use crate::itsme::ciba::endpoints::{AudienceChoice, CibaEndpoint};
use crate::itsme::ciba::errors::CibaStage;
use crate::secret::Secret;

/// The longest `Retry-After` honoured (a larger one is taken as this).
const MAX_RETRY_AFTER: Duration = Duration::from_secs(60);

/// Where the sessions are and how to authenticate there.
#[derive(Debug, Clone)]
pub struct Endpoints<'a> {
    /// The issuer: the endpoints are its paths (PROTOCOL §9.1; no metadata names them, §9.7).
    pub issuer: &'a str,
    /// Which client-assertion `aud` (documented: the backchannel endpoint's URL).
    pub audience: AudienceChoice,
}

impl Endpoints<'_> {
    /// The URL of `endpoint` (the poll's with `session_id`) and the assertion's `aud` there.
    fn call(
        &self,
        endpoint: CibaEndpoint,
        session_id: Option<&str>,
    ) -> anyhow::Result<(Url, String)> {
        let route = endpoint.route(self.issuer, session_id);
        let url = Url::parse(&route.url).map_err(|e| {
            crate::error::hinted(
                format!(
                    "the discovery session URL `{}` is not a URL: {e}",
                    route.url
                ),
                "check --issuer",
            )
        })?;
        let audience = endpoint
            .assertion_audience(self.issuer, session_id, self.audience)
            .unwrap_or_else(|| self.issuer.to_string());
        Ok((url, audience))
    }
}

/// One answer of the discovery endpoints.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Answer {
    /// HTTP 200 with a session (read by `itsme::ciba::answers`).
    Session(DiscoveryAnswer),
    /// HTTP 429: too fast; `Retry-After` in seconds when given.
    TooFast(Option<Duration>),
    /// Any other status: the provider's error.
    Refused(ProviderError),
}

/// Reads one answer of the create or poll call.
pub fn read_answer(status: u16, retry_after: Option<&str>, body: &[u8]) -> Result<Answer, String> {
    if status == 429 {
        let wait = retry_after
            .and_then(|v| v.trim().parse::<u64>().ok())
            .map(|s| Duration::from_secs(s).min(MAX_RETRY_AFTER));
        return Ok(Answer::TooFast(wait));
    }
    let body: Value = serde_json::from_slice(body).unwrap_or(Value::Null);
    if status != 200 {
        return Ok(Answer::Refused(ProviderError::from_json(status, &body)));
    }
    let object = body.as_object().ok_or("the answer is not a JSON object")?;
    answers::read_discovery(object).map(Answer::Session)
}

/// How long and how fast to poll.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Stop when no user was discovered within this time.
    pub limit: Duration,
    /// The interval until the provider names one.
    pub interval: Duration,
}

/// How a discovery ended.
#[derive(Debug)]
pub enum Outcome {
    /// The user scanned the code: the `user_identifier_token`.
    Discovered(Secret),
    /// The provider refused (its error explained).
    Refused(Refusal),
}

/// Runs the session: create, show each new QR code, poll every interval, until the user is
/// discovered, the provider refuses, or `limits.limit` passes (an error naming the limit). The
/// readings the answers needed (`answers::read_discovery`'s notes) go to `notes`, once each.
pub fn discover(
    client: CibaClient<'_>,
    endpoints: &Endpoints<'_>,
    limits: Limits,
    progress: &mut dyn Progress,
    requests: &mut Requests,
    notes: &mut Vec<String>,
) -> anyhow::Result<Outcome> {
    let started = Instant::now();
    // The provider's interval (else the default), plus 5 s for each 429.
    let mut base = limits.interval;
    let mut penalty = Duration::ZERO;
    let mut shown: Option<Vec<u8>> = None;
    let mut session_id: Option<String> = None;
    loop {
        let (url, audience) = match &session_id {
            None => endpoints.call(CibaEndpoint::CreateDiscoverySession, None)?,
            Some(id) => endpoints.call(CibaEndpoint::PollDiscoverySession, Some(id))?,
        };
        requests.discovery += 1;
        let response = client.post(&url, Vec::new(), &audience)?;
        let answer = read_answer(
            response.status,
            response.header("retry-after"),
            &response.body,
        )
        .map_err(|why| {
            crate::error::hinted(
                format!("the discovery session answer of `{url}` cannot be used: {why}"),
                "`-v` shows the answer; docs/itsme-facts.md#ciba-discovery documents its shape",
            )
        })?;
        match answer {
            Answer::Session(session) => {
                for note in &session.notes {
                    if !notes.contains(note) {
                        notes.push(note.clone());
                    }
                }
                if let Some(named) = session.interval.filter(|s| *s > 0) {
                    base = Duration::from_secs(named).min(super::MAX_INTERVAL);
                }
                match (session.status, session.user_identifier_token) {
                    (DiscoveryStatus::Discovered, Some(token)) => {
                        return Ok(Outcome::Discovered(Secret::new(token)));
                    }
                    (DiscoveryStatus::Discovered, None) => {
                        unreachable!(
                            "answers::read_discovery refuses USER_DISCOVERED without a token"
                        )
                    }
                    (DiscoveryStatus::Pending, _) => {
                        if let Some(text) = &session.qr_code {
                            let image = QrImage::from_base64(text).map_err(|why| {
                                crate::error::hinted(
                                    format!(
                                        "the discovery session's QR code cannot be used: {why}"
                                    ),
                                    "`-v` shows the answer; docs/itsme-facts.md#ciba-discovery: a base64 JPEG",
                                )
                            })?;
                            if shown.as_ref() != Some(&image.jpeg) {
                                progress.qr_code(&image, session.expires_at.as_deref());
                                shown = Some(image.jpeg);
                            }
                        }
                    }
                }
                session_id = Some(session.session_id);
            }
            Answer::TooFast(retry_after) => {
                penalty += super::SLOW_DOWN_STEP;
                let interval = (base + penalty).min(super::MAX_INTERVAL);
                progress.notice(format!(
                    "the provider answered 429 (polled too fast): every later poll waits {} s",
                    interval.as_secs()
                ));
                if let Some(wait) = retry_after {
                    super::sleep(wait.saturating_sub(interval));
                }
            }
            Answer::Refused(refused) => {
                return Ok(Outcome::Refused(super::refusal(
                    CibaStage::Discovery,
                    &refused,
                )));
            }
        }
        let interval = (base + penalty).min(super::MAX_INTERVAL);
        let left = limits.limit.saturating_sub(started.elapsed());
        if left < interval {
            return Err(crate::error::hinted(
                format!(
                    "no itsme® user scanned the QR code within {} min, the limit of a discovery session",
                    limits.limit.as_secs() / 60
                ),
                "start again and scan the code sooner; docs/itsme-facts.md#ciba-discovery says to stop after 10 min (the guide), while its error table has the provider answer 400 after 15: --discovery-limit 900 waits that long",
            ));
        }
        progress.waiting("waiting for the QR code to be scanned", left);
        super::sleep(interval);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_other_than_200_are_not_sessions() {
        assert_eq!(
            read_answer(429, Some("3"), b"").unwrap(),
            Answer::TooFast(Some(Duration::from_secs(3)))
        );
        assert_eq!(
            read_answer(429, Some("99999"), b"").unwrap(),
            Answer::TooFast(Some(MAX_RETRY_AFTER))
        );
        assert_eq!(
            read_answer(429, Some("soon"), b"").unwrap(),
            Answer::TooFast(None)
        );
        assert!(matches!(
            read_answer(400, None, br#"{"error":"invalid_request"}"#).unwrap(),
            Answer::Refused(e) if e.status == 400 && e.error.as_deref() == Some("invalid_request")
        ));
        assert!(matches!(
            read_answer(401, None, b"").unwrap(),
            Answer::Refused(e) if e.status == 401 && e.error.is_none()
        ));
        assert!(read_answer(200, None, b"[]").is_err());
        assert!(matches!(
            read_answer(200, None, br#"{"user_discovery_session_id":"a","status":"PENDING_USER_DISCOVERY","user_discovery_token":{"qr_code":"/9j/"}}"#).unwrap(),
            Answer::Session(s) if s.qr_code.as_deref() == Some("/9j/")
        ));
    }
}
