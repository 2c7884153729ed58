//! When a login sends a request object, and how it encrypts it (PROTOCOL §4: a JWT signed RS256,
//! then encrypted to the provider's `enc` key; `alg` RSA-OAEP-256 recommended, `enc` one of the
//! discovery document's supported values; PROTOCOL §7: Confirmation needs one), and the advice on
//! its `aud` that the sandbox and `decode-token` both give. Pure.

use serde_json::{Map, Value};

use crate::findings::{Code, Finding};
use crate::jose::keys::{PublicKey, PublicKeySet};

/// JWE `alg` values for the request object, most preferred first.
const ALGS: &[&str] = &["RSA-OAEP-256", "RSA-OAEP"];
/// JWE `enc` values for the request object, most preferred first.
const ENCS: &[&str] = &["A128CBC-HS256", "A256GCM", "A256CBC-HS512", "A128GCM"];

/// Whether the parameters go in a request object: only with a signing key, and then unless the
/// user asked for plain parameters — which a Confirmation overrides, since it needs one.
pub fn wanted(has_signing_key: bool, no_request_object: bool, confirmation: bool) -> bool {
    has_signing_key && (!no_request_object || confirmation)
}

/// The provider key the request object is encrypted to: its first RSA key with `use: enc`.
pub fn provider_key(keys: &PublicKeySet) -> Option<&PublicKey> {
    keys.keys
        .iter()
        .find(|k| k.kty == "RSA" && k.key_use.as_deref() == Some("enc"))
}

/// The JWE `alg` and `enc`: the most preferred one the provider lists in
/// `request_object_encryption_alg_values_supported` / `…_enc_values_supported`, else the
/// recommended RSA-OAEP-256 with A128CBC-HS256 (what itsme®'s own samples use).
pub fn encryption(metadata: &Map<String, Value>) -> (&'static str, &'static str) {
    (
        pick(
            metadata,
            "request_object_encryption_alg_values_supported",
            ALGS,
        )
        .unwrap_or("RSA-OAEP-256"),
        pick(
            metadata,
            "request_object_encryption_enc_values_supported",
            ENCS,
        )
        .unwrap_or("A128CBC-HS256"),
    )
}

/// Whether `claims` are a request object's: they carry `response_type` or `redirect_uri`,
/// parameters of an authorization request that no ID token or userinfo response holds.
pub fn looks_like_request_object(claims: &Map<String, Value>) -> bool {
    claims.contains_key("response_type") || claims.contains_key("redirect_uri")
}

/// The request object's `aud` (a string, or a member of an array) that names the authorization
/// endpoint: `<issuer>/authorization` for a known issuer, else any URL whose path ends with
/// `/authorization`. The current itsme® documentation wants the issuer (PROTOCOL §4).
pub fn authorization_endpoint_aud(
    claims: &Map<String, Value>,
    issuer: Option<&str>,
) -> Option<String> {
    let is_endpoint = |aud: &str| match issuer {
        Some(issuer) => aud == format!("{}/authorization", issuer.trim_end_matches('/')),
        None => url::Url::parse(aud).is_ok_and(|u| u.path().ends_with("/authorization")),
    };
    match claims.get("aud")? {
        Value::String(aud) => is_endpoint(aud).then(|| aud.clone()),
        Value::Array(list) => list
            .iter()
            .filter_map(Value::as_str)
            .find(|aud| is_endpoint(aud))
            .map(str::to_string),
        _ => None,
    }
}

/// The warning for a request object whose `aud` is the authorization endpoint `aud`: accepted
/// (itsme®'s own earlier advice; PROTOCOL §4: warn, do not fail), with where each advice comes from.
pub fn authorization_endpoint_aud_warning(aud: &str) -> Finding {
    Finding::new(
        Code::RequestObjectAudAuthorizationEndpoint,
        format!(
            "the request object's `aud` is the authorization endpoint `{aud}`: itsme®'s current documentation says it SHOULD be the issuer (changed in March 2024, commit \"fix Request Object aud\"); the authorization endpoint is the advice of the 2021 itsme® documentation, the ForgeRock guide and some IAM platforms' forms (PROTOCOL §4). Accepted, but send the issuer"
        ),
    )
}

/// The advice on a decoded JWT that is a request object with the authorization endpoint as its
/// `aud` (`decode-token`); `None` for anything else.
pub fn aud_advice(claims: &Map<String, Value>, issuer: Option<&str>) -> Option<Finding> {
    if !looks_like_request_object(claims) {
        return None;
    }
    authorization_endpoint_aud(claims, issuer).map(|aud| authorization_endpoint_aud_warning(&aud))
}

/// The first of `preferred` that `metadata`'s array `member` lists.
fn pick(
    metadata: &Map<String, Value>,
    member: &str,
    preferred: &[&'static str],
) -> Option<&'static str> {
    let supported: Vec<&str> = metadata
        .get(member)?
        .as_array()?
        .iter()
        .filter_map(Value::as_str)
        .collect();
    preferred.iter().copied().find(|p| supported.contains(p))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn metadata(value: Value) -> Map<String, Value> {
        match value {
            Value::Object(map) => map,
            _ => unreachable!("the tests pass objects"),
        }
    }

    #[test]
    fn the_preferred_supported_algorithms_are_chosen() {
        assert_eq!(
            encryption(&metadata(json!({}))),
            ("RSA-OAEP-256", "A128CBC-HS256")
        );
        assert_eq!(
            encryption(&metadata(json!({
                "request_object_encryption_alg_values_supported": ["RSA1_5", "RSA-OAEP"],
                "request_object_encryption_enc_values_supported": ["A128GCM", "A256GCM"],
            }))),
            ("RSA-OAEP", "A256GCM")
        );
        assert_eq!(
            encryption(&metadata(json!({
                "request_object_encryption_alg_values_supported": ["RSA1_5"],
                "request_object_encryption_enc_values_supported": "A256GCM",
            }))),
            ("RSA-OAEP-256", "A128CBC-HS256"),
            "nothing usable listed: the recommended pair"
        );
    }

    #[test]
    fn an_authorization_endpoint_aud_is_advised_against_with_its_sources() {
        let issuer = "https://idp.e2e.itsme.services/v2";
        let object = |aud: Value| {
            metadata(json!({"iss": "me", "aud": aud, "response_type": "code", "client_id": "me"}))
        };
        let old = object(json!("https://idp.e2e.itsme.services/v2/authorization"));
        let advice = aud_advice(&old, Some(issuer)).unwrap();
        assert_eq!(advice.code, Code::RequestObjectAudAuthorizationEndpoint);
        for source in ["March 2024", "2021", "ForgeRock", "PROTOCOL §4"] {
            assert!(
                advice.message.contains(source),
                "{source}: {}",
                advice.message
            );
        }
        assert!(aud_advice(&old, None).is_some(), "no issuer: by the path");
        let listed = object(json!([issuer, format!("{issuer}/authorization")]));
        assert!(aud_advice(&listed, Some(issuer)).is_some());
        assert!(aud_advice(&object(json!(issuer)), Some(issuer)).is_none());
        // Another provider's authorization endpoint is not this advice (it is another mistake).
        let elsewhere = object(json!("https://idp.prd.itsme.services/v2/authorization"));
        assert!(aud_advice(&elsewhere, Some(issuer)).is_none());
        // An ID token is no request object, whatever its `aud`.
        let id_token = metadata(json!({"iss": issuer, "aud": format!("{issuer}/authorization")}));
        assert!(aud_advice(&id_token, Some(issuer)).is_none());
    }

    #[test]
    fn a_confirmation_needs_a_request_object() {
        assert!(wanted(true, false, false));
        assert!(!wanted(true, true, false));
        assert!(wanted(true, true, true));
        assert!(!wanted(false, false, true));
    }
}
