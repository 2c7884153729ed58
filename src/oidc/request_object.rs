//! When a login sends a request object, and in which form (PROTOCOL §4): for private_key_jwt
//! partners a JWT signed RS256, then encrypted to the provider's `enc` key (`alg` RSA-OAEP-256
//! recommended, `enc` one of the discovery document's supported values); for the legacy
//! client-secret partners of the csapi base (PROTOCOL §1) a JWS signed HS256 with the client secret,
//! not encrypted, `aud` the legacy authorize endpoint. PROTOCOL §7: Confirmation needs one. Also
//! the advice on an `aud` of the authorization endpoint. Pure: the login, the sandbox and
//! `decode-token` all read the forms from here.

use serde_json::{Map, Value};

use crate::findings::{Code, Finding, Unchecked};
use crate::jose::keys::{PrivateKey, PublicKey, PublicKeySet};
use crate::oidc::authorization::RequestObjectKeys;
use crate::oidc::validate::ClaimChecks;

/// JWE `alg` values for the request object, most preferred first.
const ALGS: &[&str] = &["RSA-OAEP-256", "RSA-OAEP"];
/// JWE `enc` values for the request object, most preferred first.
const ENCS: &[&str] = &["A128CBC-HS256", "A256GCM", "A256CBC-HS512", "A128GCM"];

/// The path that marks the legacy client-secret base, `…/clientsecret-oidc/csapi/v0.1` (PROTOCOL §1).
pub const LEGACY_BASE_PATH: &str = "/clientsecret-oidc/csapi/v0.1";

/// The legacy base's authorization endpoint, under the issuer (PROTOCOL §1).
pub const LEGACY_AUTHORIZE_PATH: &str = "/connect/authorize";

/// The signing algorithm of a legacy request object: HMAC with the client secret (PROTOCOL §4).
pub const LEGACY_ALG: &str = "HS256";

/// The two forms of request object itsme® takes (PROTOCOL §4).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Form {
    /// private_key_jwt partners: signed RS256 with the partner's key, then encrypted to the
    /// provider's `enc` key; `aud` the issuer.
    Encrypted,
    /// Legacy client-secret partners (onboarded before 25 June 2025, the csapi base): signed HS256
    /// with the client secret, not encrypted; `aud` the legacy authorize endpoint.
    LegacySecret,
}

impl Form {
    /// The form in words, for messages.
    pub fn describe(self) -> &'static str {
        match self {
            Form::Encrypted => {
                "signed RS256 with the partner's key, then encrypted to the provider's `enc` key (private_key_jwt partners)"
            }
            Form::LegacySecret => {
                "signed HS256 with the client secret, not encrypted (legacy client-secret partners of the csapi base)"
            }
        }
    }
}

/// Whether `issuer` is a legacy client-secret base: its path holds `/clientsecret-oidc/csapi/`
/// (PROTOCOL §1, e.g. `https://oidc.prd.itsme.services/clientsecret-oidc/csapi/v0.1`).
pub fn is_legacy_issuer(issuer: &str) -> bool {
    url::Url::parse(issuer).is_ok_and(|url| url.path().contains("/clientsecret-oidc/csapi/"))
}

/// The form the provider at `issuer` takes: the legacy one when the issuer is a legacy base or the
/// user said so (`login --legacy`), else the encrypted one.
pub fn form_for(issuer: &str, legacy: bool) -> Form {
    if legacy || is_legacy_issuer(issuer) {
        Form::LegacySecret
    } else {
        Form::Encrypted
    }
}

/// The form a request object has, from its outer header: a JWE is the encrypted form, a JWS with
/// `alg` HS256 the legacy one; `None` for anything else (an RS256 JWS that was never encrypted).
pub fn form_of(encrypted: bool, alg: Option<&str>) -> Option<Form> {
    match (encrypted, alg) {
        (true, _) => Some(Form::Encrypted),
        (false, Some(LEGACY_ALG)) => Some(Form::LegacySecret),
        (false, _) => None,
    }
}

/// The `aud` a request object of `form` carries: the issuer, or for the legacy form the legacy
/// authorize endpoint (`authorization_endpoint` when discovery gave one, else the issuer's
/// `/connect/authorize`, as in itsme®'s own sample, PROTOCOL §4).
pub fn audience(form: Form, issuer: &str, authorization_endpoint: Option<&str>) -> String {
    match (form, authorization_endpoint) {
        (Form::Encrypted, _) => issuer.to_string(),
        (Form::LegacySecret, Some(endpoint)) => endpoint.to_string(),
        (Form::LegacySecret, None) => {
            format!("{}{LEGACY_AUTHORIZE_PATH}", issuer.trim_end_matches('/'))
        }
    }
}

/// Why a request object of form `found` (`None`: signed only, not HS256) is refused by a provider
/// that takes `expected`; `None` when it fits. The sandbox refuses with this text and
/// `decode-token` reports it.
pub fn form_mismatch(expected: Form, found: Option<Form>) -> Option<String> {
    if found == Some(expected) {
        return None;
    }
    let found = match found {
        Some(form) => form.describe(),
        None => "signed, but neither HS256 nor encrypted",
    };
    Some(format!(
        "this provider takes request objects {}; this one is {found}",
        expected.describe()
    ))
}

/// Whether decoded claims look like a request object rather than an ID token: the authorization
/// parameters `response_type`, `client_id` and `redirect_uri`, and no `sub` (`decode-token` then
/// explains it as one).
pub fn looks_like_one(claims: &Map<String, Value>) -> bool {
    ["response_type", "client_id", "redirect_uri"]
        .iter()
        .all(|name| claims.contains_key(*name))
        && !claims.contains_key("sub")
}

/// What `decode-token` says about a request object beyond its signature and times (PROTOCOL §4):
/// whether its form (`encrypted`, the JWS `alg`) is the one the provider at `issuer` takes,
/// whether its `aud` is the one that form carries (the older `…/authorization` of a v2 provider is
/// a warning: older guides still say it), and whether `iss` is the `client_id` it carries, with
/// `response_type=code` and the `openid` scope. Without `issuer`, the form and `aud` are unchecked.
pub fn check(
    claims: &Map<String, Value>,
    encrypted: bool,
    alg: Option<&str>,
    issuer: Option<&str>,
    client_id: Option<&str>,
) -> ClaimChecks {
    let mut checks = ClaimChecks::default();
    let found = form_of(encrypted, alg);
    if found.is_none() {
        checks.warnings.push(Finding::new(
            Code::RequestObjectForm,
            format!(
                "signed {} and not encrypted: the inner part of a private_key_jwt request object; itsme® takes it only encrypted to its `enc` key (docs/itsme-facts.md#authorization-request)",
                alg.unwrap_or("?")
            ),
        ));
    }
    match issuer {
        Some(issuer) => {
            let expected = form_for(issuer, false);
            if let Some(why) = found.and_then(|found| form_mismatch(expected, Some(found))) {
                checks.errors.push(Finding::new(
                    Code::RequestObjectForm,
                    format!("`{issuer}`: {why}"),
                ));
            }
            check_audience(claims, expected, issuer, &mut checks);
        }
        None => {
            checks.warnings.extend(
                authorization_endpoint_aud(claims, None)
                    .map(|aud| authorization_endpoint_aud_warning(&aud)),
            );
            checks.unchecked.push(Unchecked {
                check: "request object form and aud",
                hint: "pass --issuer or --env",
            })
        }
    }
    check_parameters(claims, client_id, &mut checks);
    checks
}

/// The `aud` a request object of `form` carries at `issuer` ([`audience`]).
fn check_audience(claims: &Map<String, Value>, form: Form, issuer: &str, checks: &mut ClaimChecks) {
    let expected = audience(form, issuer, None);
    let auds: Vec<&str> = match claims.get("aud") {
        Some(Value::String(aud)) => vec![aud.as_str()],
        Some(Value::Array(list)) => list.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    };
    if auds.contains(&expected.as_str()) {
        return;
    }
    if form == Form::Encrypted
        && let Some(older) = authorization_endpoint_aud(claims, Some(issuer))
    {
        checks
            .warnings
            .push(authorization_endpoint_aud_warning(&older));
        return;
    }
    let shown = match claims.get("aud") {
        Some(aud) => aud.to_string(),
        None => "missing".into(),
    };
    let whose = match form {
        Form::Encrypted => "the issuer",
        Form::LegacySecret => "the legacy authorize endpoint",
    };
    checks.errors.push(Finding::new(
        Code::RequestObjectAudience,
        format!("`aud` is {shown}; a request object for `{issuer}` carries {whose} `{expected}` (docs/itsme-facts.md#authorization-request)"),
    ));
}

/// `iss` = `client_id` (and the expected client_id), `response_type=code`, `openid` in `scope`.
fn check_parameters(
    claims: &Map<String, Value>,
    client_id: Option<&str>,
    checks: &mut ClaimChecks,
) {
    let text = |name: &str| claims.get(name).and_then(Value::as_str);
    let mut problem = |message: String| {
        checks
            .errors
            .push(Finding::new(Code::RequestObjectClaims, message));
    };
    match (text("iss"), text("client_id")) {
        (_, None) => problem(
            "`client_id` is missing (it goes inside and outside the request object, docs/itsme-facts.md#authorization-request)"
                .into(),
        ),
        (Some(iss), Some(inside)) if iss != inside => problem(format!(
            "`iss` `{iss}` is not the `client_id` `{inside}` (docs/itsme-facts.md#authorization-request)"
        )),
        (None, Some(_)) => problem("`iss` is missing; it is the client_id (docs/itsme-facts.md#authorization-request)".into()),
        _ => {}
    }
    if let (Some(expected), Some(inside)) = (client_id, text("client_id"))
        && expected != inside
    {
        problem(format!(
            "`client_id` is `{inside}`, not the expected `{expected}`"
        ));
    }
    if text("response_type") != Some("code") {
        problem(
            "`response_type` must be `code` (docs/itsme-facts.md#authorization-request)".into(),
        );
    }
    if !text("scope").is_some_and(|scope| scope.split_whitespace().any(|s| s == "openid")) {
        problem("`scope` must contain `openid` (docs/itsme-facts.md#authorization-request)".into());
    }
}

/// Whether a legacy login sends a request object: only with the client secret, and then unless
/// the user asked for plain parameters — which a Confirmation overrides, since it needs one.
pub fn wanted_legacy(has_secret: bool, no_request_object: bool, confirmation: bool) -> bool {
    has_secret && (!no_request_object || confirmation)
}

/// Whether the parameters go in a request object: only with a signing key, and then unless the
/// user asked for plain parameters — which a Confirmation overrides, since it needs one.
pub fn wanted(has_signing_key: bool, no_request_object: bool, confirmation: bool) -> bool {
    has_signing_key && (!no_request_object || confirmation)
}

/// The keys of the request object of a request signed by `signer` when one is `wanted` (see
/// [`wanted`]): the provider's encryption key from `provider_keys` and the algorithms its
/// `metadata` supports. `Ok(None)`: no request object; `Err(())`: one is wanted but the provider
/// publishes no RSA encryption key. `login` and `validate`'s redirect URI probe both build with it.
#[allow(clippy::result_unit_err)]
pub fn keys<'a>(
    signer: Option<&'a PrivateKey>,
    wanted: bool,
    metadata: &Map<String, Value>,
    provider_keys: &'a PublicKeySet,
) -> Result<Option<RequestObjectKeys<'a>>, ()> {
    let Some(signer) = signer.filter(|_| wanted) else {
        return Ok(None);
    };
    let provider_key = provider_key(provider_keys).ok_or(())?;
    let (alg, enc) = encryption(metadata);
    Ok(Some(RequestObjectKeys {
        signer,
        provider_key,
        alg,
        enc,
    }))
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
            "the request object's `aud` is the authorization endpoint `{aud}`: itsme®'s current documentation says it SHOULD be the issuer (changed in March 2024, commit \"fix Request Object aud\"); the authorization endpoint is the advice of the 2021 itsme® documentation, the ForgeRock guide and some IAM platforms' forms (docs/itsme-facts.md#authorization-request). Accepted, but send the issuer"
        ),
    )
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
    fn the_legacy_form_is_known_by_its_issuer_or_asked_for() {
        for legacy in [
            "https://oidc.prd.itsme.services/clientsecret-oidc/csapi/v0.1",
            "https://oidc.e2e.itsme.services/clientsecret-oidc/csapi/v0.1/",
            "http://127.0.0.1:9/clientsecret-oidc/csapi/v0.1",
        ] {
            assert!(is_legacy_issuer(legacy), "{legacy}");
            assert_eq!(form_for(legacy, false), Form::LegacySecret);
            assert_eq!(
                audience(Form::LegacySecret, legacy, None),
                format!("{}/connect/authorize", legacy.trim_end_matches('/'))
            );
        }
        let modern = "https://idp.prd.itsme.services/v2";
        assert!(!is_legacy_issuer(modern));
        assert!(!is_legacy_issuer("not a url /clientsecret-oidc/csapi/"));
        assert_eq!(form_for(modern, false), Form::Encrypted);
        assert_eq!(form_for(modern, true), Form::LegacySecret);
        assert_eq!(audience(Form::Encrypted, modern, Some("x")), modern);
        assert_eq!(
            audience(
                Form::LegacySecret,
                modern,
                Some("https://a/connect/authorize")
            ),
            "https://a/connect/authorize"
        );
    }

    #[test]
    fn each_provider_refuses_the_other_form() {
        assert_eq!(form_of(true, Some("RSA-OAEP-256")), Some(Form::Encrypted));
        assert_eq!(form_of(false, Some("HS256")), Some(Form::LegacySecret));
        assert_eq!(form_of(false, Some("RS256")), None);
        assert_eq!(
            form_mismatch(Form::LegacySecret, Some(Form::LegacySecret)),
            None
        );
        assert_eq!(form_mismatch(Form::Encrypted, Some(Form::Encrypted)), None);
        let why = form_mismatch(Form::LegacySecret, Some(Form::Encrypted)).unwrap();
        assert!(
            why.contains("signed HS256 with the client secret, not encrypted"),
            "{why}"
        );
        let why = form_mismatch(Form::Encrypted, Some(Form::LegacySecret)).unwrap();
        assert!(
            why.starts_with("this provider takes request objects signed RS256"),
            "{why}"
        );
        assert!(form_mismatch(Form::LegacySecret, None).is_some());
        assert!(wanted_legacy(true, false, false));
        assert!(!wanted_legacy(true, true, false));
        assert!(wanted_legacy(true, true, true));
        assert!(!wanted_legacy(false, false, true));
    }

    #[test]
    fn decode_token_explains_a_request_object_by_its_provider() {
        let legacy = "https://oidc.e2e.itsme.services/clientsecret-oidc/csapi/v0.1";
        let modern = "https://idp.e2e.itsme.services/v2";
        let claims = |aud: &str| {
            metadata(json!({"iss": "partner", "client_id": "partner", "aud": aud,
                "response_type": "code", "scope": "openid service:LOGIN",
                "redirect_uri": "https://app.example/cb"}))
        };
        let codes = |checks: &ClaimChecks| {
            (
                checks.errors.iter().map(|f| f.code).collect::<Vec<_>>(),
                checks.warnings.iter().map(|f| f.code).collect::<Vec<_>>(),
            )
        };
        let good = claims(&format!("{legacy}/connect/authorize"));
        assert!(looks_like_one(&good));
        let checks = check(&good, false, Some("HS256"), Some(legacy), Some("partner"));
        assert_eq!(codes(&checks), (vec![], vec![]));
        // The legacy form at a v2 provider, and the issuer as `aud` at a legacy one.
        let checks = check(&good, false, Some("HS256"), Some(modern), None);
        assert_eq!(
            codes(&checks).0,
            [Code::RequestObjectForm, Code::RequestObjectAudience]
        );
        let checks = check(&claims(legacy), false, Some("HS256"), Some(legacy), None);
        assert_eq!(codes(&checks).0, [Code::RequestObjectAudience]);
        // The v2 form: the issuer; the older `/authorization` only warned about.
        let checks = check(&claims(modern), true, None, Some(modern), None);
        assert_eq!(codes(&checks), (vec![], vec![]));
        let older = claims(&format!("{modern}/authorization"));
        let checks = check(&older, true, None, Some(modern), None);
        assert_eq!(
            codes(&checks),
            (vec![], vec![Code::RequestObjectAudAuthorizationEndpoint])
        );
        // Signed RS256 only, no issuer: the form is warned about, the `aud` unchecked.
        let checks = check(&older, false, Some("RS256"), None, Some("other"));
        assert_eq!(
            codes(&checks),
            (
                vec![Code::RequestObjectClaims],
                vec![
                    Code::RequestObjectForm,
                    Code::RequestObjectAudAuthorizationEndpoint
                ]
            )
        );
        assert_eq!(checks.unchecked.len(), 1);
        let mut broken = good.clone();
        broken.insert("iss".into(), json!("someone"));
        broken.insert("response_type".into(), json!("token"));
        broken.insert("scope".into(), json!("service:LOGIN"));
        let checks = check(&broken, false, Some("HS256"), Some(legacy), None);
        assert_eq!(codes(&checks).0, [Code::RequestObjectClaims; 3]);
        broken.insert("sub".into(), json!("user"));
        assert!(!looks_like_one(&broken));
    }

    #[test]
    fn an_authorization_endpoint_aud_is_advised_against_with_its_sources() {
        let issuer = "https://idp.e2e.itsme.services/v2";
        let object = |aud: Value| {
            metadata(
                json!({"iss": "me", "aud": aud, "response_type": "code", "client_id": "me",
                "scope": "openid service:LOGIN", "redirect_uri": "https://app.example/cb"}),
            )
        };
        let warned = |claims: &Map<String, Value>, issuer: Option<&str>| {
            let checks = check(claims, true, None, issuer, None);
            assert!(checks.errors.is_empty(), "{:?}", checks.errors);
            checks
                .warnings
                .into_iter()
                .find(|w| w.code == Code::RequestObjectAudAuthorizationEndpoint)
        };
        let old = object(json!("https://idp.e2e.itsme.services/v2/authorization"));
        let advice = warned(&old, Some(issuer)).unwrap();
        for source in ["March 2024", "2021", "ForgeRock"] {
            assert!(
                advice.message.contains(source),
                "{source}: {}",
                advice.message
            );
        }
        assert!(warned(&old, None).is_some(), "no issuer: by the path");
        assert!(warned(&object(json!(issuer)), Some(issuer)).is_none());
        // Another provider's authorization endpoint is not this advice (it is another mistake).
        let elsewhere = object(json!("https://idp.prd.itsme.services/v2/authorization"));
        let checks = check(&elsewhere, true, None, Some(issuer), None);
        assert_eq!(
            checks.errors.iter().map(|f| f.code).collect::<Vec<_>>(),
            [Code::RequestObjectAudience]
        );
    }

    #[test]
    fn a_confirmation_needs_a_request_object() {
        assert!(wanted(true, false, false));
        assert!(!wanted(true, true, false));
        assert!(wanted(true, true, true));
        assert!(!wanted(false, false, true));
    }
}
