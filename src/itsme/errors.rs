//! What the itsme® error codes mean and what fixes them (PROTOCOL §8). One table for the loopback
//! listener's pages, `login`'s messages and the troubleshooting docs.

/// Where an error came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    /// The redirect back from the authorization request.
    Authorization,
    /// The token endpoint.
    Token,
    /// The userinfo endpoint.
    Userinfo,
    /// The revocation endpoint (RFC 7009; the legacy base's `/connect/revoke`, PROTOCOL §1).
    Revocation,
}

/// The meaning of an error code and the likely fix.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Explanation {
    /// What happened, in one line.
    pub meaning: &'static str,
    /// What to do about it.
    pub hint: &'static str,
}

/// Every `(stage, code)` pair [`explain`] knows, in the order of its table: the PROTOCOL §8 codes
/// and the standard OAuth codes itsme® may also send (`temporarily_unavailable` is the RFC 6749
/// spelling of itsme®'s `temporary_unavailable`). The troubleshooting guide is checked against it.
pub const KNOWN: &[(Stage, &str)] = &[
    (Stage::Authorization, "access_denied"),
    (Stage::Authorization, "login_required"),
    (Stage::Authorization, "interaction_required"),
    (Stage::Authorization, "invalid_request"),
    (Stage::Authorization, "unsupported_request"),
    (Stage::Authorization, "invalid_scope"),
    (Stage::Authorization, "unauthorized_client"),
    (Stage::Authorization, "unsupported_response_type"),
    (Stage::Authorization, "unsupported_display"),
    (Stage::Authorization, "invalid_request_object"),
    (Stage::Authorization, "invalid_request_uri"),
    (Stage::Authorization, "invalid_client_id"),
    (Stage::Authorization, "invalid_redirect_uri"),
    (Stage::Authorization, "temporary_unavailable"),
    (Stage::Authorization, "temporarily_unavailable"),
    (Stage::Authorization, "server_error"),
    (Stage::Authorization, "consent_required"),
    (Stage::Authorization, "invalid_grant"),
    (Stage::Authorization, "unsupported_grant_type"),
    (Stage::Authorization, "registration_not_supported"),
    (Stage::Authorization, "not_implemented"),
    (Stage::Token, "invalid_client"),
    (Stage::Token, "unauthorized_client"),
    (Stage::Token, "invalid_grant"),
    (Stage::Token, "invalid_request"),
    (Stage::Token, "unsupported_grant_type"),
    (Stage::Userinfo, "invalid_token"),
    (Stage::Userinfo, "invalid_request"),
    (Stage::Revocation, "unsupported_token_type"),
    (Stage::Revocation, "invalid_client"),
];

/// Explains an OAuth/OpenID error code returned by itsme® at `stage`; `None` for unknown codes.
pub fn explain(stage: Stage, code: &str) -> Option<Explanation> {
    let (meaning, hint) = match (stage, code) {
        (Stage::Authorization, "access_denied") => (
            "the user refused or cancelled in the itsme® app",
            "start the login again; nothing is wrong with your setup",
        ),
        (Stage::Authorization, "login_required") => (
            "the user must log in, but the request forbade showing a login (`prompt=none`)",
            "leave out `prompt=none`",
        ),
        (Stage::Authorization, "interaction_required") => (
            "the user must interact, but the request forbade it",
            "leave out `prompt=none`",
        ),
        (Stage::Authorization, "invalid_request") => (
            "itsme® refused the request's parameters",
            "read error_description; check scope, claims, PKCE and the request object against docs/itsme-facts.md#authorization-request",
        ),
        (Stage::Authorization, "unsupported_request") => (
            "itsme® does not support something in the request",
            "read error_description",
        ),
        (Stage::Authorization, "invalid_scope") => (
            "a scope is unknown, or `openid` or `service:<CODE>` is missing or not yours",
            "check --service-code against the service codes itsme® gave you",
        ),
        (Stage::Authorization, "unauthorized_client") => (
            "this client may not use this service or flow",
            "ask itsme® which services your client_id may use",
        ),
        (Stage::Authorization, "unsupported_response_type") => (
            "only `response_type=code` is supported",
            "use the code flow",
        ),
        (Stage::Authorization, "unsupported_display") => {
            ("only `display=page` is supported", "leave out `display`")
        }
        (Stage::Authorization, "invalid_request_object") => (
            "itsme® could not decrypt or verify the request object",
            "check that your `sig` key is published at your jwks_uri and that the object is encrypted to itsme®'s current `enc` key",
        ),
        (Stage::Authorization, "invalid_request_uri") => (
            "the request_uri is not registered or not reachable",
            "send the request object in `request` instead",
        ),
        (Stage::Authorization, "invalid_client_id") => (
            "itsme® does not know this client_id",
            "check --client-id and the environment (e2e vs prd)",
        ),
        (Stage::Authorization, "invalid_redirect_uri") => (
            "the redirect URI is not registered exactly like this",
            "use the registered URI byte for byte: case, trailing slash and query count",
        ),
        (Stage::Authorization, "temporary_unavailable" | "temporarily_unavailable") => {
            ("itsme® is temporarily unavailable", "try again in a moment")
        }
        (Stage::Authorization, "server_error") => (
            "the provider failed while handling the request",
            "try again; report it if it persists",
        ),
        (Stage::Authorization, "consent_required") => (
            "the user must consent, but the request forbade any interaction",
            "leave out `prompt=none`",
        ),
        (Stage::Authorization, "invalid_grant") => (
            "the grant is invalid, expired or already used",
            "start the login again",
        ),
        (Stage::Authorization, "unsupported_grant_type") => {
            ("the grant type is not supported", "use the code flow")
        }
        // Older itsme® documentation only (PROTOCOL §8): the `registration` parameter of OpenID
        // Connect Core §3.1.2.6, which itsme® ignores today.
        (Stage::Authorization, "registration_not_supported") => (
            "itsme® does not support the `registration` parameter (an answer of older itsme® versions)",
            "leave out `registration`: clients are registered at onboarding, not per request",
        ),
        // Older itsme® documentation only (PROTOCOL §8): an HTTP "not implemented" answer.
        (Stage::Authorization, "not_implemented") => (
            "itsme® did not implement what the request asked for (an answer of older itsme® versions: the scope lacked `openid` or `service:<CODE>`, or `display` was not `page`)",
            "send a scope with `openid` and `service:<CODE>`, and leave out `display` (or send `page`)",
        ),
        (Stage::Token, "invalid_client") => (
            "the provider could not authenticate your client",
            "check that the `kid` of your signing key is published at your jwks_uri, that --client-id is right, that your clock is right (the assertion's `exp`), and that the assertion's `aud` is a form the provider accepts (`itsme-cli validate` tries both: `assertion_aud`)",
        ),
        (Stage::Token, "unauthorized_client") => (
            "the client assertion or the client was refused",
            "check the assertion (`iss` = `sub` = client_id, `aud` = the token endpoint as itsme® documents, or the issuer if the provider wants RFC 10070's form: `--assertion-aud`) and that your keys are the registered ones",
        ),
        (Stage::Token, "invalid_grant") => (
            "the code is unknown, expired (3 minutes), already used, or the redirect URI differs",
            "log in again and exchange the code at once, with the same redirect URI",
        ),
        (Stage::Token, "invalid_request") => (
            "the token request is missing or repeats a parameter",
            "read error_description",
        ),
        (Stage::Token, "unsupported_grant_type") => (
            "only `authorization_code` is supported",
            "use the code flow",
        ),
        (Stage::Userinfo, "invalid_token") => {
            ("the access token is unknown or expired", "log in again")
        }
        (Stage::Userinfo, "invalid_request") => (
            "the userinfo request is malformed",
            "send the token as `Authorization: Bearer …`",
        ),
        // RFC 7009 §2.2.1: the one error code revocation adds to RFC 6749 §5.2's.
        (Stage::Revocation, "unsupported_token_type") => (
            "the provider does not revoke tokens of this type",
            "send the access token (`token_type_hint=access_token`), not the ID token: itsme® issues no refresh tokens (docs/itsme-facts.md#tokens-and-userinfo)",
        ),
        (Stage::Revocation, "invalid_client") => (
            "the provider could not authenticate your client at the revocation endpoint",
            "authenticate as at the token endpoint (the same client assertion or client secret)",
        ),
        _ => return None,
    };
    Some(Explanation { meaning, hint })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_protocol_code_is_explained() {
        for code in [
            "invalid_request",
            "access_denied",
            "login_required",
            "interaction_required",
            "unsupported_request",
            "invalid_client_id",
            "invalid_redirect_uri",
            "invalid_scope",
            "unsupported_display",
            "unauthorized_client",
            "unsupported_response_type",
            "invalid_request_object",
            "invalid_request_uri",
            "temporary_unavailable",
        ] {
            assert!(explain(Stage::Authorization, code).is_some(), "{code}");
        }
        for code in [
            "invalid_request",
            "invalid_client",
            "invalid_grant",
            "unauthorized_client",
            "unsupported_grant_type",
        ] {
            assert!(explain(Stage::Token, code).is_some(), "{code}");
        }
        assert!(explain(Stage::Userinfo, "invalid_token").is_some());
        assert!(explain(Stage::Token, "made_up").is_none());
        // Met in older itsme® versions and at the revocation endpoint (PROTOCOL §8, RFC 7009).
        assert!(explain(Stage::Authorization, "registration_not_supported").is_some());
        let not_implemented = explain(Stage::Authorization, "not_implemented").unwrap();
        assert!(not_implemented.meaning.contains("service:<CODE>"));
        assert!(explain(Stage::Revocation, "unsupported_token_type").is_some());
    }

    #[test]
    fn known_lists_exactly_what_explain_knows() {
        for &(stage, code) in KNOWN {
            assert!(explain(stage, code).is_some(), "{stage:?} {code}");
        }
        for stage in [
            Stage::Authorization,
            Stage::Token,
            Stage::Userinfo,
            Stage::Revocation,
        ] {
            assert!(explain(stage, "made_up").is_none(), "{stage:?}");
            assert!(explain(stage, "").is_none(), "{stage:?}");
        }
        // A code known at one stage only is not explained at another.
        assert!(explain(Stage::Userinfo, "invalid_client").is_none());
        assert!(explain(Stage::Token, "access_denied").is_none());
        // The other way round: every pair in `explain`'s match arms is listed, none twice.
        let source = include_str!("errors.rs");
        let body =
            &source[source.find("pub fn explain").unwrap()..source.find("mod tests").unwrap()];
        let mut arms = Vec::new();
        for line in body.lines().filter(|l| l.contains("=>")) {
            let Some(rest) = line.trim().strip_prefix("(Stage::") else {
                continue;
            };
            let stage = match &rest[..rest.find(',').unwrap()] {
                "Authorization" => Stage::Authorization,
                "Token" => Stage::Token,
                "Userinfo" => Stage::Userinfo,
                "Revocation" => Stage::Revocation,
                other => panic!("unknown stage {other}"),
            };
            let pattern = &rest[..rest.find(')').unwrap()];
            for code in pattern.split('"').skip(1).step_by(2) {
                arms.push((stage, code));
            }
        }
        assert_eq!(arms.len(), KNOWN.len(), "{arms:?}");
        for arm in &arms {
            assert!(KNOWN.contains(arm), "{arm:?} is explained but not in KNOWN");
        }
        for (i, pair) in KNOWN.iter().enumerate() {
            assert!(!KNOWN[..i].contains(pair), "{pair:?} listed twice");
        }
    }
}
