//! What itsme® accepts in an authorization request whatever the client's registration (PROTOCOL
//! §4): `response_type=code`, `display=page`, `openid` and exactly one `service:CODE` among known
//! scopes, PKCE S256 only, a well-formed `claims` parameter. The sandbox's authorization endpoint
//! (`sandbox::authorize`) adds what needs the registration (redirect URIs, services, keys) on top;
//! `decode-token --har` (`replay`) applies these to a recorded request. Each rule answers
//! `(error, description)`: the OAuth error code the provider would redirect with, and why.

use std::collections::BTreeMap;

use serde_json::Value;

use crate::itsme::CLAIM_PREFIX;
use crate::itsme::catalogue;

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

/// The scopes of the request, split on whitespace.
pub fn scopes(params: &BTreeMap<String, String>) -> Vec<String> {
    params
        .get("scope")
        .map(|s| s.split_whitespace().map(str::to_string).collect())
        .unwrap_or_default()
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

/// The scope contains `openid` (also outside a request object, PROTOCOL §4).
pub fn openid_scope(scopes: &[String]) -> Result<(), Refused> {
    if scopes.iter().any(|s| s == "openid") {
        Ok(())
    } else {
        Err(("invalid_scope", "the scope must contain `openid`".into()))
    }
}

/// `openid` and exactly one `service:CODE`; answers the service code.
pub fn service_scope(scopes: &[String]) -> Result<&str, Refused> {
    openid_scope(scopes)?;
    let services: Vec<&str> = scopes
        .iter()
        .filter_map(|s| s.strip_prefix("service:"))
        .collect();
    match services.as_slice() {
        [one] => Ok(one),
        [] => Err((
            "invalid_scope",
            "the scope must contain `service:<SERVICE_CODE>`".into(),
        )),
        _ => Err((
            "invalid_scope",
            "the scope must contain exactly one `service:<SERVICE_CODE>`".into(),
        )),
    }
}

/// Every other scope must be one of the catalogue's (`profile`, `eid`, …).
pub fn known_scopes(scopes: &[String]) -> Result<(), Refused> {
    match scopes.iter().find(|s| {
        *s != "openid" && !s.starts_with("service:") && catalogue::claims_of_scope(s).is_none()
    }) {
        Some(unknown) => Err(("invalid_scope", format!("unknown scope `{unknown}`"))),
        None => Ok(()),
    }
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

/// The claim names of the `claims` parameter, by member, plus Confirmation template values.
#[derive(Debug, Default)]
pub struct RequestedClaims {
    /// Claims asked for the ID token.
    pub id_token: Vec<String>,
    /// Claims asked from userinfo.
    pub userinfo: Vec<String>,
    /// `claim_approval_*` template values (a Confirmation).
    pub template: BTreeMap<String, String>,
}

/// Parses the `claims` parameter (OpenID Connect Core §5.5): a JSON object whose `id_token` and
/// `userinfo` members map claim names to `null` or an object.
pub fn claims_parameter(text: &str) -> Result<RequestedClaims, String> {
    let value: Value =
        serde_json::from_str(text).map_err(|e| format!("`claims` is not JSON: {e}"))?;
    let object = value.as_object().ok_or("`claims` must be a JSON object")?;
    let mut requested = RequestedClaims::default();
    for (member, target) in [
        ("id_token", &mut requested.id_token),
        ("userinfo", &mut requested.userinfo),
    ] {
        let Some(entries) = object.get(member) else {
            continue;
        };
        let entries = entries
            .as_object()
            .ok_or_else(|| format!("`claims.{member}` must be an object"))?;
        for (name, request) in entries {
            if !(request.is_null() || request.is_object()) {
                return Err(format!(
                    "`claims.{member}.{name}` must be null or an object"
                ));
            }
            if name.starts_with(&format!("{CLAIM_PREFIX}claim_approval_")) {
                let value = request
                    .get("value")
                    .and_then(Value::as_str)
                    .ok_or_else(|| format!("`{name}` needs a string `value`"))?;
                requested.template.insert(name.clone(), value.to_string());
            }
            if name != "sub" {
                target.push(name.clone());
            }
        }
    }
    Ok(requested)
}

/// What can be checked of a request whose request object is encrypted to the provider: the
/// parameters that must also travel outside it (PROTOCOL §4).
pub fn outside_problems(params: &BTreeMap<String, String>) -> Vec<Refused> {
    let scopes = scopes(params);
    [
        client_id(params).map(drop),
        redirect_uri(params).map(drop),
        response_type(params),
        display(params),
        openid_scope(&scopes),
        known_scopes(&scopes),
    ]
    .into_iter()
    .filter_map(Result::err)
    .collect()
}

/// Every registration-independent rule over one request (its parameters, a request object's
/// merged in), each problem once: for a recorded request, where all of them are worth knowing,
/// not only the first the provider would answer.
pub fn all_problems(params: &BTreeMap<String, String>) -> Vec<Refused> {
    let scopes = scopes(params);
    let mut problems: Vec<Refused> = [
        client_id(params).map(drop),
        redirect_uri(params).map(drop),
        response_type(params),
        display(params),
        service_scope(&scopes).map(drop),
        known_scopes(&scopes),
        pkce(params, true).map(drop),
    ]
    .into_iter()
    .filter_map(Result::err)
    .collect();
    if let Some(text) = params.get("claims")
        && let Err(why) = claims_parameter(text)
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
                "invalid_scope",
                "invalid_request",
                "invalid_request"
            ]
        );
    }
}
