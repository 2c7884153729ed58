//! What the CIBA answers mean and what fixes them (PROTOCOL §9.2–§9.4): one table for the
//! client's explanations, the sandbox's answers and the troubleshooting guide.

use serde_json::{Map, Value, json};

use crate::codes::stable_codes;
use crate::itsme::errors::Explanation;

stable_codes! {
    /// A CIBA error: the `error` of the backchannel and token endpoints (§9.3, §9.4), and for the
    /// discovery endpoints, whose error bodies are not documented, a name for each documented
    /// HTTP status (§9.2).
    pub enum CibaError {
        /// A parameter missing, invalid or repeated.
        InvalidRequest => "invalid_request",
        /// The scope is invalid, unknown or malformed.
        InvalidScope => "invalid_scope",
        /// The `login_hint_token` expired.
        ExpiredLoginHintToken => "expired_login_hint_token",
        /// The hint identifies no user.
        UnknownUserId => "unknown_user_id",
        /// The client may not use CIBA or this grant, or its assertion is invalid.
        UnauthorizedClient => "unauthorized_client",
        /// Client authentication failed (HTTP 401).
        InvalidClient => "invalid_client",
        /// The user or the endpoint refused.
        AccessDenied => "access_denied",
        /// The user has not finished yet.
        AuthorizationPending => "authorization_pending",
        /// Polled too fast.
        SlowDown => "slow_down",
        /// `auth_req_id` expired.
        ExpiredToken => "expired_token",
        /// The grant is invalid or expired.
        InvalidGrant => "invalid_grant",
        /// HTTP 429 at a discovery session: polled faster than `interval`.
        DiscoveryRateLimited => "discovery_rate_limited",
        /// HTTP 400 at a discovery session: polled too long.
        DiscoverySessionExpired => "discovery_session_expired",
        /// HTTP 401 at a discovery session: client authentication failed.
        DiscoveryUnauthorized => "discovery_unauthorized",
    }
}

/// Which CIBA endpoint answered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CibaStage {
    /// `/user_discovery_sessions` (create and poll).
    Discovery,
    /// `/backchannel/authentication`.
    Backchannel,
    /// `/token` with the CIBA grant.
    Token,
}

/// Every `(stage, code)` pair [`explain`] knows, in the order of the PROTOCOL tables. The
/// troubleshooting guide is checked against it.
pub const KNOWN: &[(CibaStage, CibaError)] = &[
    (CibaStage::Discovery, CibaError::DiscoveryRateLimited),
    (CibaStage::Discovery, CibaError::DiscoverySessionExpired),
    (CibaStage::Discovery, CibaError::DiscoveryUnauthorized),
    (CibaStage::Backchannel, CibaError::InvalidRequest),
    (CibaStage::Backchannel, CibaError::InvalidScope),
    (CibaStage::Backchannel, CibaError::ExpiredLoginHintToken),
    (CibaStage::Backchannel, CibaError::UnknownUserId),
    (CibaStage::Backchannel, CibaError::UnauthorizedClient),
    (CibaStage::Backchannel, CibaError::InvalidClient),
    (CibaStage::Backchannel, CibaError::AccessDenied),
    (CibaStage::Token, CibaError::AuthorizationPending),
    (CibaStage::Token, CibaError::SlowDown),
    (CibaStage::Token, CibaError::ExpiredToken),
    (CibaStage::Token, CibaError::AccessDenied),
    (CibaStage::Token, CibaError::InvalidGrant),
    (CibaStage::Token, CibaError::UnauthorizedClient),
    (CibaStage::Token, CibaError::InvalidClient),
    (CibaStage::Token, CibaError::InvalidRequest),
];

impl CibaError {
    /// The code of an `error` string; `None` for a code no CIBA table lists.
    pub fn from_code(code: &str) -> Option<CibaError> {
        CibaError::ALL.into_iter().find(|c| c.as_str() == code)
    }

    /// The discovery code of an HTTP status of a discovery-session answer (§9.2); `None` for
    /// statuses the docs do not list.
    pub fn from_discovery_status(status: u16) -> Option<CibaError> {
        match status {
            429 => Some(CibaError::DiscoveryRateLimited),
            400 => Some(CibaError::DiscoverySessionExpired),
            401 => Some(CibaError::DiscoveryUnauthorized),
            _ => None,
        }
    }

    /// The HTTP status of this answer at `stage`: as documented where stated (`invalid_client`
    /// 401, `access_denied` 403 at the backchannel endpoint, 429/400/401 at discovery), 400
    /// otherwise (§9.3, §9.4, §9.8.9). At the token endpoint `access_denied` is 400 (RFC 6749
    /// §5.2, CIBA Core §11; the 403 is documented for the backchannel endpoint only).
    pub fn status(self, stage: CibaStage) -> u16 {
        match (stage, self) {
            (_, CibaError::InvalidClient) => 401,
            (CibaStage::Backchannel, CibaError::AccessDenied) => 403,
            (_, CibaError::DiscoveryRateLimited) => 429,
            (_, CibaError::DiscoveryUnauthorized) => 401,
            _ => 400,
        }
    }

    /// Whether a poll should go on after this answer at the token endpoint (§9.4): only while
    /// pending or told to slow down.
    pub fn keeps_polling(self) -> bool {
        matches!(self, CibaError::AuthorizationPending | CibaError::SlowDown)
    }
}

/// Explains a CIBA answer at `stage`; `None` for a pair no table lists.
pub fn explain(stage: CibaStage, code: CibaError) -> Option<Explanation> {
    use CibaError as E;
    use CibaStage as S;
    let (meaning, hint) = match (stage, code) {
        (S::Discovery, E::DiscoveryRateLimited) => (
            "the discovery session was polled faster than its `interval` (HTTP 429, \"Too many requests\")",
            "wait `interval` seconds between polls (5 s when the answer names none) and sign a fresh assertion for each",
        ),
        (S::Discovery, E::DiscoverySessionExpired) => (
            "HTTP 400, \"Authentication request not valid\": the discovery session was polled too long (after 15 minutes by the error table; the guide says to stop at 10), is unknown, or the request is malformed",
            "create a new discovery session and show its new QR code; stop polling after 10 minutes without `USER_DISCOVERED`",
        ),
        (S::Discovery, E::DiscoveryUnauthorized) => (
            "the discovery endpoint could not authenticate the client (HTTP 401)",
            "sign the assertion with a published `sig` key, `iss` = `sub` = client_id, a fresh `jti` per call, and `aud` = `<issuer>/backchannel/authentication` as documented (not the discovery URL)",
        ),
        (S::Backchannel, E::InvalidRequest) => (
            "the backchannel request is malformed: a parameter is missing, invalid or repeated",
            "send only `request` (a signed request object), `client_assertion_type` and `client_assertion`; read error_description for the claim at fault",
        ),
        (S::Backchannel, E::InvalidScope) => (
            "the request object's scope is invalid, unknown or malformed",
            "send `scope` = `openid service:<CODE>` plus only `profile`, `email`, `address`, `phone`, `idDocument`, `eid`, with one of your service codes",
        ),
        (S::Backchannel, E::ExpiredLoginHintToken) => (
            "the `login_hint_token` expired: the `user_identifier_token` is single-use and short-lived",
            "run a new user discovery and send its fresh `user_identifier_token` at once",
        ),
        (S::Backchannel, E::UnknownUserId) => (
            "the `login_hint_token` identifies no user",
            "send the `user_identifier_token` of this client's discovery session, or a `subject_code` that is a `sub` itsme® gave this client",
        ),
        (S::Backchannel, E::UnauthorizedClient) => (
            "this client may not use CIBA (or this service), or its client_id is unknown",
            "ask itsme® to enable CIBA for the service; check --client-id and the environment",
        ),
        (S::Backchannel, E::InvalidClient) => (
            "client authentication failed (HTTP 401)",
            "check the client assertion: RS256 by a `kid` published at your jwks_uri, `iss` = `sub` = client_id, `aud` = `<issuer>/token` as documented for this endpoint, a fresh `jti`, your clock",
        ),
        (S::Backchannel, E::AccessDenied) => (
            "the provider refused the request (HTTP 403)",
            "check that the service is configured for CIBA and for this delivery mode",
        ),
        (S::Token, E::AuthorizationPending) => (
            "the user has not finished in the itsme® app yet",
            "wait `interval` seconds and poll again",
        ),
        (S::Token, E::SlowDown) => (
            "still pending, but polled too fast",
            "add 5 seconds to the interval, for this poll and every later one",
        ),
        (S::Token, E::ExpiredToken) => (
            "the `auth_req_id` expired before the user finished",
            "start again with a new backchannel request (and, for QR login, a new discovery: the user_identifier_token is single-use)",
        ),
        (S::Token, E::AccessDenied) => (
            "the user refused in the itsme® app",
            "stop; start again if the user wants to",
        ),
        (S::Token, E::InvalidGrant) => (
            "the `auth_req_id` is unknown, already redeemed or expired",
            "stop; start a new backchannel request",
        ),
        (S::Token, E::UnauthorizedClient) => (
            "this client may not use the CIBA grant, or its `client_assertion` is invalid",
            "check the assertion (`iss` = `sub` = client_id, `aud` = `<issuer>/token`) and that the service is enabled for CIBA",
        ),
        (S::Token, E::InvalidClient) => (
            "client authentication failed (HTTP 401)",
            "check that the `kid` of your signing key is published at your jwks_uri, that --client-id is right and that your clock is right",
        ),
        (S::Token, E::InvalidRequest) => (
            "the token request is malformed",
            "send `grant_type=urn:openid:params:grant-type:ciba`, `auth_req_id`, `client_id` and the client assertion in the form body",
        ),
        _ => return None,
    };
    Some(Explanation { meaning, hint })
}

/// An error answer of a CIBA endpoint, whichever field names it used.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ErrorBody {
    /// `error`.
    pub error: String,
    /// The text: `detail` at the token endpoint, `error_description` elsewhere.
    pub text: Option<String>,
    /// The link: `uid` at the token endpoint, `error_uri` elsewhere.
    pub link: Option<String>,
}

/// The body's field names for the text and the link at `stage` (§9.8.9): the token endpoint
/// documents `detail` and `uid`, the backchannel endpoint `error_description` and `error_uri`;
/// the discovery error body is not documented (the sandbox uses the backchannel names).
fn field_names(stage: CibaStage) -> [(&'static str, &'static str); 2] {
    let documented = ("detail", "uid");
    let oauth = ("error_description", "error_uri");
    match stage {
        CibaStage::Token => [documented, oauth],
        CibaStage::Backchannel | CibaStage::Discovery => [oauth, documented],
    }
}

impl ErrorBody {
    /// Reads an error body at `stage`: the documented names first, the other pair as a fallback,
    /// since providers and libraries mix them (§9.8.9). `None` without a string `error`.
    pub fn parse(stage: CibaStage, body: &Map<String, Value>) -> Option<ErrorBody> {
        let error = body.get("error")?.as_str()?.to_string();
        let string = |name: &str| body.get(name).and_then(Value::as_str).map(str::to_string);
        let [first, second] = field_names(stage);
        Some(ErrorBody {
            error,
            text: string(first.0).or_else(|| string(second.0)),
            link: string(first.1).or_else(|| string(second.1)),
        })
    }

    /// The body as `stage` documents it (the sandbox's answers).
    pub fn to_json(&self, stage: CibaStage) -> Value {
        let [(text_name, link_name), _] = field_names(stage);
        let mut body = Map::new();
        body.insert("error".into(), json!(self.error));
        if let Some(text) = &self.text {
            body.insert(text_name.into(), json!(text));
        }
        if let Some(link) = &self.link {
            body.insert(link_name.into(), json!(link));
        }
        Value::Object(body)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_lists_exactly_what_explain_knows() {
        for &(stage, code) in KNOWN {
            assert!(explain(stage, code).is_some(), "{stage:?} {code}");
        }
        let stages = [
            CibaStage::Discovery,
            CibaStage::Backchannel,
            CibaStage::Token,
        ];
        for stage in stages {
            for code in CibaError::ALL {
                assert_eq!(
                    explain(stage, code).is_some(),
                    KNOWN.contains(&(stage, code)),
                    "{stage:?} {code}"
                );
            }
        }
        for code in CibaError::ALL {
            assert!(
                KNOWN.iter().any(|(_, c)| *c == code),
                "{code} is in no table"
            );
            assert_eq!(CibaError::from_code(code.as_str()), Some(code));
        }
        assert_eq!(CibaError::from_code("made_up"), None);
    }

    #[test]
    fn statuses_as_documented() {
        assert_eq!(CibaError::InvalidClient.status(CibaStage::Token), 401);
        assert_eq!(CibaError::AccessDenied.status(CibaStage::Backchannel), 403);
        assert_eq!(CibaError::AccessDenied.status(CibaStage::Token), 400);
        assert_eq!(CibaError::SlowDown.status(CibaStage::Token), 400);
        for status in [429, 400, 401] {
            let code = CibaError::from_discovery_status(status).unwrap();
            assert_eq!(code.status(CibaStage::Discovery), status);
        }
        assert_eq!(CibaError::from_discovery_status(500), None);
        assert!(CibaError::SlowDown.keeps_polling());
        assert!(!CibaError::ExpiredToken.keeps_polling());
    }

    #[test]
    fn the_two_body_shapes() {
        let token: Map<String, Value> = serde_json::from_str(
            r#"{"error":"authorization_pending","detail":"User has not completed authentication yet.","uid":"https://help"}"#,
        )
        .unwrap();
        let body = ErrorBody::parse(CibaStage::Token, &token).unwrap();
        assert_eq!(
            body.text.as_deref(),
            Some("User has not completed authentication yet.")
        );
        assert_eq!(body.link.as_deref(), Some("https://help"));
        assert_eq!(body.to_json(CibaStage::Token), Value::Object(token));
        let backchannel = body.to_json(CibaStage::Backchannel);
        assert_eq!(
            backchannel["error_description"],
            "User has not completed authentication yet."
        );
        assert!(backchannel.get("detail").is_none());
        // The other names are read too.
        let mixed: Map<String, Value> =
            serde_json::from_str(r#"{"error":"slow_down","error_description":"x"}"#).unwrap();
        assert_eq!(
            ErrorBody::parse(CibaStage::Token, &mixed)
                .unwrap()
                .text
                .as_deref(),
            Some("x")
        );
        assert!(ErrorBody::parse(CibaStage::Token, &Map::new()).is_none());
    }
}
