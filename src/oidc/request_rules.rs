//! What itsme® accepts in an authorization request whatever the client's registration (PROTOCOL
//! §4): `response_type=code`, `display=page`, `openid` and exactly one `service:CODE` among known
//! scopes, PKCE S256 only, a well-formed `claims` parameter. The sandbox's authorization endpoint
//! (`sandbox::authorize`) adds what needs the registration (redirect URIs, services, keys) on top;
//! `decode-token --har` (`replay`) applies these to a recorded request. Each rule answers
//! `(error, description)`: the OAuth error code the provider would redirect with, and why.

use std::collections::BTreeMap;

use crate::itsme::claims_parameter;
use crate::itsme::scope::{self, ServiceScope};

/// A refused parameter: the `error` the provider answers with (PROTOCOL §8) and a description.
pub type Refused = (&'static str, String);

/// `response_type` must be `code` (PROTOCOL §4: the authorization code flow only).
pub fn response_type(params: &BTreeMap<String, String>) -> Result<(), Refused> {
    match params.get("response_type").map(String::as_str) {
        Some("code") => Ok(()),
        Some(other) => Err((
            "unsupported_response_type",
            format!("`response_type` `{other}` is not supported; use `code`"),
        )),
        None => Err(("invalid_request", "`response_type` is missing".into())),
    }
}

/// `display`, when present, must be `page`.
pub fn display(params: &BTreeMap<String, String>) -> Result<(), Refused> {
    match params.get("display").filter(|d| *d != "page") {
        Some(display) => Err((
            "unsupported_display",
            format!("`display` `{display}` is not supported; only `page`"),
        )),
        None => Ok(()),
    }
}

/// The itsme® scope rule over the request's `scope` (`itsme::scope::check`: `openid`, exactly one
/// `service:CODE`, known scopes).
pub fn scope(params: &BTreeMap<String, String>) -> Result<ServiceScope, Refused> {
    scope::check(params.get("scope").map_or("", String::as_str))
        .map_err(|problem| ("invalid_scope", problem.to_string()))
}

/// `client_id` is present (outside any request object, PROTOCOL §4).
pub fn client_id(params: &BTreeMap<String, String>) -> Result<&str, Refused> {
    params
        .get("client_id")
        .map(String::as_str)
        .ok_or_else(|| ("invalid_client_id", "`client_id` is missing".into()))
}

/// `redirect_uri` is present.
pub fn redirect_uri(params: &BTreeMap<String, String>) -> Result<&str, Refused> {
    params
        .get("redirect_uri")
        .map(String::as_str)
        .ok_or_else(|| ("invalid_redirect_uri", "`redirect_uri` is missing".into()))
}

/// PKCE: S256 only; `plain` (or a challenge without a method, which means plain) is refused;
/// `required` when the client must use PKCE. Answers the challenge.
pub fn pkce(params: &BTreeMap<String, String>, required: bool) -> Result<Option<String>, Refused> {
    let refuse = |why: &str| Err(("invalid_request", why.to_string()));
    match (
        params.get("code_challenge"),
        params.get("code_challenge_method").map(String::as_str),
    ) {
        (Some(challenge), Some("S256")) => {
            if challenge.len() != 43
                || !challenge
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
            {
                return refuse(
                    "`code_challenge` must be the 43-character base64url SHA-256 of the verifier",
                );
            }
            Ok(Some(challenge.clone()))
        }
        (Some(_), Some(other)) => Err((
            "invalid_request",
            format!("`code_challenge_method` `{other}` is refused; only S256"),
        )),
        (Some(_), None) => refuse(
            "`code_challenge_method` is missing (it would mean `plain`, which is refused; use S256)",
        ),
        (None, Some(_)) => refuse("`code_challenge_method` without `code_challenge`"),
        (None, None) if required => refuse(
            "this client must use PKCE: add `code_challenge` and `code_challenge_method=S256`",
        ),
        (None, None) => Ok(None),
    }
}

/// What can be checked of a request whose request object is encrypted to the provider: the
/// parameters that must also travel outside it (PROTOCOL §4).
pub fn outside_problems(params: &BTreeMap<String, String>) -> Vec<Refused> {
    let outside_scope = scope::check_outside(params.get("scope").map_or("", String::as_str))
        .map_err(|problem| ("invalid_scope", problem.to_string()));
    [
        client_id(params).map(drop),
        redirect_uri(params).map(drop),
        response_type(params),
        display(params),
        outside_scope,
    ]
    .into_iter()
    .filter_map(Result::err)
    .collect()
}

/// Every registration-independent rule over one request (its parameters, a request object's
/// merged in), each problem once: for a recorded request, where all of them are worth knowing,
/// not only the first the provider would answer.
pub fn all_problems(params: &BTreeMap<String, String>) -> Vec<Refused> {
    let mut problems: Vec<Refused> = [
        client_id(params).map(drop),
        redirect_uri(params).map(drop),
        response_type(params),
        display(params),
        scope(params).map(drop),
        pkce(params, true).map(drop),
    ]
    .into_iter()
    .filter_map(Result::err)
    .collect();
    if let Some(text) = params.get("claims")
        && let Err(why) = claims_parameter::parse_text(text)
    {
        problems.push(("invalid_request", why));
    }
    problems
}

#[cfg(test)]
mod tests {
    use super::*;

    fn params(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn a_good_request_has_no_problem_and_a_bad_one_all_of_them() {
        let good = params(&[
            ("client_id", "partner"),
            ("redirect_uri", "https://partner.example/cb"),
            ("response_type", "code"),
            ("scope", "openid service:PAY profile"),
            ("code_challenge", &"a".repeat(43)),
            ("code_challenge_method", "S256"),
        ]);
        assert!(all_problems(&good).is_empty());
        let mut outside = good.clone();
        outside.retain(|name, _| !name.starts_with("code_challenge"));
        outside.insert("scope".into(), "openid".into());
        assert!(
            outside_problems(&outside).is_empty(),
            "the service may be inside only"
        );
        let bad = params(&[
            ("response_type", "token"),
            ("scope", "openid nonsense"),
            ("code_challenge", "short"),
            ("code_challenge_method", "plain"),
            ("claims", "[]"),
        ]);
        let errors: Vec<&str> = all_problems(&bad).iter().map(|(e, _)| *e).collect();
        assert_eq!(
            errors,
            [
                "invalid_client_id",
                "invalid_redirect_uri",
                "unsupported_response_type",
                "invalid_scope",
                "invalid_request",
                "invalid_request"
            ]
        );
    }
}
