//! The CIBA token request (PROTOCOL §9.4), in poll mode until the user has answered, and once (or
//! until a final answer) after a ping. Every error of the table has its action:
//! `authorization_pending` waits the interval and polls again; `slow_down` adds 5 s to the interval
//! for this and every later poll; `expired_token`, `access_denied`, `invalid_grant`,
//! `unauthorized_client`, `invalid_client` and `invalid_request` stop, explained.

use std::time::{Duration, Instant};

use url::Url;

use super::backchannel::Started;
use super::{CibaClient, Progress, Requests};
use crate::flow::report::Refusal;
use crate::flow::token::{self, Grant, TokenAnswer, TokenError, TokenResponse};
use crate::itsme::ciba::errors::{CibaError, CibaStage};

/// How long past `expires_in` polling goes on while the provider still says pending: its clock
/// and ours may differ a little, never by this much.
const GRACE: Duration = Duration::from_secs(30);

/// How the token requests ended.
#[derive(Debug)]
pub enum Outcome {
    /// HTTP 200: the tokens.
    Issued(TokenResponse),
    /// A final error, explained.
    Refused(Refusal),
}

/// When the first token request goes out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum First {
    /// After one interval (poll mode: the user cannot have answered sooner).
    AfterInterval,
    /// At once (after a ping, or at `expires_in` without one).
    Now,
}

/// What the token requests need.
pub struct Polling<'a> {
    /// The client.
    pub client: CibaClient<'a>,
    /// The token endpoint (the assertion's `aud`, PROTOCOL §9.1).
    pub token_endpoint: &'a Url,
    /// The started authentication.
    pub started: &'a Started,
    /// When the backchannel answer arrived (its `expires_in` counts from there).
    pub since: Instant,
}

/// Polls until a final answer. With `First::Now` the first request goes out at once.
pub fn poll(
    polling: &Polling<'_>,
    first: First,
    progress: &mut dyn Progress,
    requests: &mut Requests,
) -> anyhow::Result<Outcome> {
    let mut interval = polling.started.interval;
    let deadline = polling.since + polling.started.expires_in + GRACE;
    let grant = Grant::ciba(polling.started.auth_req_id.expose());
    let credentials = polling.client.credentials();
    let client = token::Client {
        client_id: polling.client.client_id,
        credentials: &credentials,
        issuer: polling.client.issuer,
        assertion_aud: polling.client.assertion_aud,
    };
    let mut wait = match first {
        First::AfterInterval => interval,
        First::Now => Duration::ZERO,
    };
    loop {
        if !wait.is_zero() {
            let left = deadline.saturating_duration_since(Instant::now());
            progress.waiting(
                "waiting for the approval in the itsme® app",
                left.saturating_sub(GRACE),
            );
            super::sleep(wait);
        }
        if Instant::now() >= deadline {
            return Err(crate::error::hinted(
                format!(
                    "the provider still said authorization_pending {} s after the auth_req_id's expires_in",
                    GRACE.as_secs()
                ),
                "start again; a provider should answer expired_token once expires_in has passed (docs/itsme-facts.md#ciba-token)",
            ));
        }
        requests.token += 1;
        let answer = token::request(
            polling.client.http,
            polling.token_endpoint,
            client,
            &grant,
            crate::timefmt::now(),
        )
        .map_err(TokenError::into_anyhow)?;
        let refused = match answer {
            TokenAnswer::Issued(tokens) => return Ok(Outcome::Issued(tokens)),
            TokenAnswer::Refused(refused) => refused,
        };
        match next_step(refused.error.as_deref(), interval) {
            Step::Again(next) => {
                if next > interval {
                    progress.notice(format!(
                        "the provider answered slow_down: this and every later poll waits {} s",
                        next.as_secs()
                    ));
                }
                interval = next;
                wait = interval;
            }
            Step::Stop => return Ok(Outcome::Refused(super::refusal(CibaStage::Token, &refused))),
        }
    }
}

/// What an error of the token endpoint asks of the client (PROTOCOL §9.4's table).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    /// Poll again after this interval.
    Again(Duration),
    /// A final answer.
    Stop,
}

/// The action for `error`, the interval being `interval`.
pub fn next_step(error: Option<&str>, interval: Duration) -> Step {
    match error.and_then(CibaError::from_code) {
        Some(CibaError::SlowDown) => {
            Step::Again((interval + super::SLOW_DOWN_STEP).min(super::MAX_INTERVAL))
        }
        Some(code) if code.keeps_polling() => Step::Again(interval),
        _ => Step::Stop,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_error_has_its_action() {
        let five = Duration::from_secs(5);
        assert_eq!(
            next_step(Some("authorization_pending"), five),
            Step::Again(five)
        );
        assert_eq!(
            next_step(Some("slow_down"), five),
            Step::Again(Duration::from_secs(10)),
            "slow_down adds 5 s"
        );
        assert_eq!(
            next_step(Some("slow_down"), Duration::from_secs(10)),
            Step::Again(Duration::from_secs(15)),
            "and keeps adding: the new interval holds for every later poll"
        );
        assert_eq!(
            next_step(Some("slow_down"), super::super::MAX_INTERVAL),
            Step::Again(super::super::MAX_INTERVAL)
        );
        for stop in [
            "expired_token",
            "access_denied",
            "invalid_grant",
            "unauthorized_client",
            "invalid_client",
            "invalid_request",
            "something_else",
        ] {
            assert_eq!(next_step(Some(stop), five), Step::Stop, "{stop}");
        }
        assert_eq!(next_step(None, five), Step::Stop, "an error without a code");
    }
}
