//! What a login found out: the report `login` prints (`printer::login`) and saves, and the
//! provider's refusals in typed form.

use std::time::{Duration, Instant};

use serde::Serialize;
use serde_json::{Map, Value};

use crate::itsme::errors::{self, Stage};
use crate::loopback::ListenerError;
use crate::token::inspect::TokenReport;

/// An error answer of the provider (OAuth 2.0 §5.2, RFC 6750 §3; itsme®'s `detail`, PROTOCOL §8,
/// §9.4), as read from its JSON body or its `WWW-Authenticate` challenge.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProviderError {
    /// The HTTP status.
    pub status: u16,
    /// `error`, when the answer had one (as a string).
    pub error: Option<String>,
    /// `error_description`, else itsme®'s `detail`.
    pub description: Option<String>,
}

impl ProviderError {
    /// Reads `error` and `error_description` (or, when that member is absent, `detail`) of an
    /// answer's JSON body (`Value::Null` when the body was not JSON).
    pub fn from_json(status: u16, body: &Value) -> Self {
        ProviderError {
            status,
            error: body
                .get("error")
                .and_then(Value::as_str)
                .map(str::to_string),
            description: body
                .get("error_description")
                .or_else(|| body.get("detail"))
                .and_then(Value::as_str)
                .map(str::to_string),
        }
    }

    /// The error code: `error`, or `http_<status>` when the answer had none.
    pub fn code(&self) -> String {
        self.error
            .clone()
            .unwrap_or_else(|| format!("http_{}", self.status))
    }
}

/// Why the provider (or the callback) said no.
#[derive(Debug, Serialize)]
pub struct Refusal {
    /// `authorization`, `callback`, `token` or `userinfo`.
    pub stage: &'static str,
    /// The error code.
    pub error: String,
    /// The provider's description, if any.
    pub description: Option<String>,
    /// What it means.
    pub meaning: Option<&'static str>,
    /// What to do.
    pub hint: Option<String>,
}

impl Refusal {
    /// The provider's refusal at `stage`, explained from itsme®'s error table (PROTOCOL §8).
    pub fn from_provider(stage: Stage, answer: &ProviderError) -> Self {
        Self::explained(stage, answer.code(), answer.description.clone())
    }

    /// An error that came back on the redirect (PROTOCOL §4), explained.
    pub fn authorization(error: String, description: Option<String>) -> Self {
        Self::explained(Stage::Authorization, error, description)
    }

    /// The redirect did not carry this login's `state`: refused here, not by the provider.
    pub fn state_mismatch() -> Self {
        Refusal {
            stage: "callback",
            error: "state_mismatch".into(),
            description: None,
            meaning: Some(
                "the response to the redirect URI did not carry this login's `state`: a possible cross-site request forgery, so it was refused",
            ),
            hint: Some("start the login again; if it repeats, something else is answering on the redirect URI".to_string()),
        }
    }

    /// The answer at the redirect URI carried this login's `state` but is not an authorization
    /// response (RFC 6749 §4.1.2, §3.1: a parameter given twice, both `code` and `error`, neither,
    /// or an empty one): a broken or hostile redirect, refused here like a wrong `state`.
    pub fn malformed_callback(reason: &str) -> Self {
        Refusal {
            stage: "callback",
            error: "malformed_callback".into(),
            description: None,
            meaning: Some(
                "the response to the redirect URI is not a valid authorization response (a parameter given twice, both `code` and `error`, or an empty or missing one), so it was refused",
            ),
            hint: Some(format!(
                "{reason}: start the login again; if it repeats, something else is answering on or sending to the redirect URI"
            )),
        }
    }

    /// How the login ends when the loopback module's reading of a callback (`evaluate`, for the
    /// listener's or the pasted address's: one verdict for both) did not give a code or an
    /// error: a missing or wrong `state` and a malformed answer are refusals (exit 1, like the
    /// provider's); `None` for the rest (a timeout, a stopped listener), which are trouble.
    pub fn from_callback(error: &ListenerError) -> Option<Self> {
        match error {
            ListenerError::StateMismatch { .. } => Some(Self::state_mismatch()),
            ListenerError::Malformed(reason) => Some(Self::malformed_callback(reason)),
            ListenerError::TimedOut | ListenerError::Io(_) => None,
        }
    }

    fn explained(stage: Stage, error: String, description: Option<String>) -> Self {
        let explanation = errors::explain(stage, &error);
        Refusal {
            stage: stage_name(stage),
            description,
            meaning: explanation.map(|e| e.meaning),
            hint: explanation.map(|e| e.hint.to_string()),
            error,
        }
    }
}

/// The `stage` a refusal reports.
fn stage_name(stage: Stage) -> &'static str {
    match stage {
        Stage::Authorization => "authorization",
        Stage::Token => "token",
        Stage::Userinfo => "userinfo",
        Stage::Revocation => "revocation",
    }
}

/// The raw tokens (only with `--show-tokens` on screen; always in a `--save` file).
#[derive(Debug, Serialize)]
pub struct RawTokens {
    /// The access token.
    pub access_token: String,
    /// The ID token (always there after a login; optional in CIBA, PROTOCOL §9.4).
    pub id_token: Option<String>,
    /// The userinfo response as received.
    pub userinfo: Option<String>,
}

/// Everything `login` found out. Serialized as its JSON output.
#[derive(Debug, Serialize)]
pub struct LoginReport {
    /// The login worked and the ID token and userinfo are valid.
    pub valid: bool,
    /// The provider.
    pub issuer: String,
    /// The client.
    pub client_id: String,
    /// The authorization request's parameters (the request object's content), without secrets.
    pub request: Map<String, Value>,
    /// Why the provider refused, when it did.
    pub refused: Option<Refusal>,
    /// The ID token's verdict, as `decode-token` reports it.
    pub id_token: Option<TokenReport>,
    /// The userinfo response's verdict.
    pub userinfo: Option<TokenReport>,
    /// The raw tokens, with `--show-tokens`.
    pub tokens: Option<RawTokens>,
    /// Where the time went after the redirect arrived; null when no code came back.
    pub timing: Option<Timing>,
}

impl LoginReport {
    /// The report of a login that has not got anywhere yet: not valid, nothing found.
    pub fn new(issuer: &str, client_id: &str, request: Map<String, Value>) -> Self {
        LoginReport {
            valid: false,
            issuer: issuer.to_string(),
            client_id: client_id.to_string(),
            request,
            refused: None,
            id_token: None,
            userinfo: None,
            tokens: None,
            timing: None,
        }
    }
}

/// The time from the redirect reaching this tool to its output, split into the time spent
/// waiting on the provider (token, keys, userinfo requests) and this tool's own work.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct Timing {
    /// From the redirect's arrival to the output, in milliseconds.
    pub after_redirect_ms: f64,
    /// Of that, waiting on HTTP exchanges with the provider.
    pub provider_ms: f64,
    /// The rest: the tool's own work (crypto, checks, rendering).
    pub own_ms: f64,
}

/// Clocks the work after the redirect.
#[derive(Debug)]
pub struct Stopwatch {
    started: Instant,
    network_before: Duration,
}

impl Stopwatch {
    /// Starts now.
    pub fn start() -> Self {
        Stopwatch {
            started: Instant::now(),
            network_before: crate::http::network_time(),
        }
    }

    /// The time since the start, and how much of it went to HTTP exchanges.
    pub fn read(&self) -> Timing {
        let ms = |d: Duration| (d.as_secs_f64() * 1e6).round() / 1e3;
        let total = self.started.elapsed();
        let provider = crate::http::network_time().saturating_sub(self.network_before);
        Timing {
            after_redirect_ms: ms(total),
            provider_ms: ms(provider),
            own_ms: ms(total.saturating_sub(provider)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn provider_errors_read_error_and_description_or_detail() {
        let answer = ProviderError::from_json(
            400,
            &json!({"error": "authorization_pending", "detail": "not yet"}),
        );
        assert_eq!(answer.code(), "authorization_pending");
        assert_eq!(answer.description.as_deref(), Some("not yet"));
        let answer = ProviderError::from_json(
            400,
            &json!({"error": "invalid_grant", "error_description": 3, "detail": "x"}),
        );
        assert_eq!(
            answer.description, None,
            "error_description wins, even unusable"
        );
        let answer = ProviderError::from_json(502, &Value::Null);
        assert_eq!(
            (answer.code(), answer.error),
            ("http_502".to_string(), None)
        );
    }

    #[test]
    fn refusals_name_their_stage() {
        let answer = ProviderError::from_json(401, &json!({"error": "invalid_token"}));
        assert_eq!(
            Refusal::from_provider(Stage::Userinfo, &answer).stage,
            "userinfo"
        );
        assert_eq!(
            Refusal::authorization("access_denied".into(), None).stage,
            "authorization"
        );
        assert_eq!(Refusal::state_mismatch().stage, "callback");
    }

    /// One verdict for the listener and paste mode: a wrong `state` and a malformed answer are
    /// refusals with their own codes; a timeout or a stopped listener is not a refusal.
    #[test]
    fn callbacks_that_are_not_authorization_responses_are_refusals() {
        let refused = |e: ListenerError| Refusal::from_callback(&e).map(|r| (r.stage, r.error));
        assert_eq!(
            refused(ListenerError::StateMismatch { received: None }),
            Some(("callback", "state_mismatch".to_string()))
        );
        for pairs in [
            "state=s&code=a&code=b",
            "state=s&state=s&code=a",
            "state=s&code=a&error=access_denied",
            "state=s",
            "state=s&code=",
        ] {
            let outcome = crate::loopback::read_pasted_response(pairs, "s");
            let error = outcome.expect_err(pairs);
            assert_eq!(
                refused(error),
                Some(("callback", "malformed_callback".to_string())),
                "{pairs}"
            );
        }
        assert_eq!(refused(ListenerError::TimedOut), None);
        assert_eq!(refused(ListenerError::Io(std::io::Error::other("x"))), None);
    }
}
