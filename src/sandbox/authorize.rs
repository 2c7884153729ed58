//! The authorization request, checked the way itsme® checks it (PROTOCOL §4, §7, §8): a wrong
//! client or redirect URI is shown on the provider's own page; every other problem goes back to
//! the redirect URI as `error`, `error_description` and `state`.

use std::collections::{BTreeMap, HashSet};

use serde_json::{Map, Value};

use super::config::{Client, ClientAuth, ServiceKind};
use crate::findings::Finding;
use crate::itsme::acr::Acr;
use crate::itsme::claims_parameter::{self, RequestedClaims};
pub use crate::itsme::confirmation::Confirmation;
use crate::jose::compact::{self, Compact, header_str};
use crate::jose::crypto::{self, RsaDecrypter};
use crate::oidc::request_object::{self, Form};
use crate::oidc::request_rules as rules;

/// A refused authorization request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// Shown on the provider's page: the client or the redirect URI cannot be trusted.
    Page {
        error: &'static str,
        description: String,
    },
    /// Sent back to the client's redirect URI.
    Redirect {
        redirect_uri: String,
        error: &'static str,
        description: String,
        state: Option<String>,
    },
}

/// An accepted authorization request.
#[derive(Debug, Clone)]
pub struct AuthorizationRequest {
    /// The client.
    pub client_id: String,
    /// The redirect URI (registered, exact).
    pub redirect_uri: String,
    /// Echoed back.
    pub state: Option<String>,
    /// Copied into the ID token.
    pub nonce: Option<String>,
    /// The service code of `service:CODE`.
    pub service: String,
    /// The service's kind.
    pub service_kind: ServiceKind,
    /// All scopes.
    pub scopes: Vec<String>,
    /// Claims for the ID token (from `claims.id_token`).
    pub id_token_claims: Vec<String>,
    /// Claims for userinfo (from scopes and `claims.userinfo`).
    pub userinfo_claims: Vec<String>,
    /// The acr to put in the ID token.
    pub acr: Acr,
    /// PKCE S256 challenge.
    pub code_challenge: Option<String>,
    /// The first supported `ui_locales` entry.
    pub ui_locale: Option<String>,
    /// The Confirmation template, when present.
    pub confirmation: Option<Confirmation>,
    /// Whether a request object carried the parameters.
    pub request_object: bool,
    /// What was accepted but is worth fixing (a request object's `aud` of the authorization
    /// endpoint), each with a stable code.
    pub warnings: Vec<Finding>,
}

/// What the checks need from the provider.
pub struct ProviderContext<'a> {
    /// The issuer (`aud` of request objects).
    pub issuer: &'a str,
    /// The provider's encryption key, to decrypt request objects.
    pub decrypter: &'a RsaDecrypter,
    /// The time of the check (request objects' `exp`, `nbf`, `iat`).
    pub now: i64,
    /// The request objects of accepted requests (by `jti` and by digest): each works once.
    pub seen_request_objects: &'a mut HashSet<String>,
    /// A legacy client-secret provider (`sandbox --legacy`): its authorization endpoint, the `aud`
    /// of the only request objects it takes, signed HS256 with the client secret (PROTOCOL §4).
    /// `None` for a v2 provider, which takes them signed RS256 and encrypted.
    pub legacy_authorize: Option<&'a str>,
}

/// Checks a request given as query pairs against the registered clients.
pub fn check(
    pairs: &[(String, String)],
    clients: &[Client],
    provider: &mut ProviderContext<'_>,
) -> Result<AuthorizationRequest, Refusal> {
    let page = |error, description: String| Refusal::Page { error, description };
    let mut params: BTreeMap<String, String> = super::tokens::unique_params(pairs)
        .map_err(|why| page("invalid_request", why))?
        .into_iter()
        .map(|(name, value)| (name, value.as_str().unwrap_or_default().to_string()))
        .collect();
    let client_id = rules::client_id(&params)
        .map_err(|(error, why)| page(error, why))?
        .to_string();
    let client = clients
        .iter()
        .find(|c| c.client_id == client_id)
        .ok_or_else(|| {
            page(
                "invalid_client_id",
                format!("no client `{client_id}` is registered with this sandbox"),
            )
        })?;
    if params.contains_key("request_uri") {
        return Err(page(
            "invalid_request_uri",
            "this sandbox does not fetch `request_uri`; send the request object in `request`"
                .into(),
        ));
    }
    let mut replay_keys = None;
    let mut warnings = Vec::new();
    if let Some(object) = params.get("request").cloned() {
        let opened = open_request_object(&object, client, provider)
            .map_err(|why| page("invalid_request_object", why))?;
        merge_request_object(&mut params, &opened.claims)
            .map_err(|why| page("invalid_request", why))?;
        replay_keys = Some(opened.replay_keys);
        warnings = opened.warnings;
        // A private_key_jwt request object is signed, then encrypted to the provider's key
        // (PROTOCOL §4); whether itsme® refuses one that is only signed is not documented, so the
        // sandbox accepts it and says so, as `decode-token` does (request_object_form).
        if opened.form.is_none() {
            warnings.push(Finding::new(
                crate::findings::Code::RequestObjectForm,
                "the request object is signed but not encrypted: itsme® documents it signed RS256, then encrypted to its `enc` key (docs/itsme-facts.md#authorization-request); accepted here, but encrypt it",
            ));
        }
    }
    let redirect_uri = rules::redirect_uri(&params)
        .map_err(|(error, why)| page(error, why))?
        .to_string();
    if !client.redirect_uris.contains(&redirect_uri) {
        return Err(page(
            "invalid_redirect_uri",
            format!(
                "`{redirect_uri}` is not a redirect URI of `{client_id}`; it must match a registered one exactly (case, path and query)"
            ),
        ));
    }
    let mut accepted = check_redirected(&params, client, redirect_uri, replay_keys.is_some())?;
    accepted.warnings = warnings;
    if let Some(keys) = replay_keys {
        remember_request_object(keys, provider.seen_request_objects)
            .map_err(|why| page("invalid_request_object", why))?;
    }
    Ok(accepted)
}

/// A request object works once (RFC 9101 §10.8, OpenID Connect Core §6.3 leave replay
/// protection to the server; a captured URL must not log in again): recorded when its request is
/// accepted, by `jti` when it has one and by digest in any case.
pub(super) fn remember_request_object(
    keys: Vec<String>,
    seen: &mut HashSet<String>,
) -> Result<(), String> {
    if keys.iter().any(|key| seen.contains(key)) {
        return Err(
            "this request object was already used (the same `jti`, or the same object): send a fresh one for every request (RFC 9101 §10.8)".into(),
        );
    }
    seen.extend(keys);
    Ok(())
}

/// The checks whose refusals go back to the client's (verified) redirect URI (PROTOCOL §4, §8).
fn check_redirected(
    params: &BTreeMap<String, String>,
    client: &Client,
    redirect_uri: String,
    from_object: bool,
) -> Result<AuthorizationRequest, Refusal> {
    let client_id = &client.client_id;
    let state = params.get("state").cloned();
    let refuse = |error, description: String| Refusal::Redirect {
        redirect_uri: redirect_uri.clone(),
        error,
        description,
        state: state.clone(),
    };
    let refused = |(error, description): rules::Refused| refuse(error, description);
    rules::response_type(params).map_err(refused)?;
    rules::display(params).map_err(refused)?;
    let checked_scope = rules::scope(params).map_err(refused)?;
    let service = client.service(&checked_scope.service).ok_or_else(|| {
        refuse(
            "invalid_scope",
            format!(
                "`service:{}` is not a service of `{client_id}`",
                checked_scope.service
            ),
        )
    })?;
    let scopes = checked_scope.scopes;
    let code_challenge = rules::pkce(params, client.require_pkce).map_err(refused)?;
    let claims = match params.get("claims") {
        Some(text) => {
            claims_parameter::parse_text(text).map_err(|why| refuse("invalid_request", why))?
        }
        None => RequestedClaims::default(),
    };
    let mut userinfo_claims = crate::itsme::scope::granted_claims(&scopes);
    for name in &claims.userinfo {
        if !userinfo_claims.contains(name) {
            userinfo_claims.push(name.clone());
        }
    }
    let user_claims = claims
        .id_token
        .iter()
        .chain(&userinfo_claims)
        .filter(|c| !claims.template.contains_key(*c))
        .count();
    let confirmation = match service.kind {
        ServiceKind::Identification | ServiceKind::DataSharing if user_claims == 0 => {
            return Err(refuse(
                "invalid_request",
                format!(
                    "`service:{}` is an {} service: request at least one user claim",
                    service.code,
                    kind_word(service.kind)
                ),
            ));
        }
        ServiceKind::Confirmation => {
            if !from_object {
                return Err(refuse(
                    "invalid_request",
                    "a Confirmation service needs the parameters in a request object (`request`)"
                        .into(),
                ));
            }
            Some(
                Confirmation::from_claims(&claims.template)
                    .map_err(|why| refuse("invalid_request", why))?,
            )
        }
        _ => None,
    };
    // If both are asked, the stricter applies; unknown values are ignored (PROTOCOL §4).
    let acr = params
        .get("acr_values")
        .and_then(|values| Acr::strictest_of(values))
        .unwrap_or(Acr::Basic);
    let ui_locale = params.get("ui_locales").and_then(|l| {
        l.split_whitespace()
            .find(|l| matches!(*l, "fr" | "nl" | "de" | "en"))
            .map(str::to_string)
    });
    Ok(AuthorizationRequest {
        client_id: client_id.clone(),
        redirect_uri: redirect_uri.clone(),
        state: state.clone(),
        nonce: params.get("nonce").cloned(),
        service: service.code.clone(),
        service_kind: service.kind,
        scopes,
        id_token_claims: claims
            .id_token
            .into_iter()
            .filter(|c| !claims.template.contains_key(c))
            .collect(),
        userinfo_claims: userinfo_claims
            .into_iter()
            .filter(|c| !claims.template.contains_key(c))
            .collect(),
        acr,
        code_challenge,
        ui_locale,
        confirmation,
        request_object: from_object,
        warnings: Vec::new(),
    })
}

fn kind_word(kind: ServiceKind) -> &'static str {
    match kind {
        ServiceKind::Authentication => "Authentication",
        ServiceKind::Identification => "Identification",
        ServiceKind::Confirmation => "Confirmation",
        ServiceKind::DataSharing => "Data Sharing",
    }
}

/// An opened request object: its claims, what identifies it against replays, and the warnings
/// it was accepted with.
pub(super) struct OpenedObject {
    /// The verified claims.
    pub(super) claims: Map<String, Value>,
    /// What identifies the object against replays.
    pub(super) replay_keys: Vec<String>,
    /// What it was accepted with a warning for.
    pub(super) warnings: Vec<Finding>,
    /// Its form (`request_object::form_of`): `None` for an object signed RS256 and not encrypted.
    pub(super) form: Option<Form>,
}

/// Opens a request object in the one form this provider takes (`request_object::form_mismatch`
/// refuses the other, naming both): the legacy one ([`open_legacy_object`]) or the encrypted one.
pub(super) fn open_request_object(
    object: &str,
    client: &Client,
    provider: &ProviderContext<'_>,
) -> Result<OpenedObject, String> {
    let parsed =
        compact::parse(object).map_err(|e| format!("the request object is malformed: {e}"))?;
    let found = match &parsed {
        Compact::Jwe(_) => request_object::form_of(true, None),
        Compact::Jws(jws) => request_object::form_of(false, header_str(&jws.header, "alg")),
    };
    match provider.legacy_authorize {
        Some(audience) => {
            if let Some(why) = request_object::form_mismatch(Form::LegacySecret, found) {
                return Err(why);
            }
            let Compact::Jws(jws) = parsed else {
                return Err("the request object is not a signed JWT".into());
            };
            open_legacy_object(&jws, client, audience, provider.now)
        }
        None => {
            if found == Some(Form::LegacySecret) {
                return Err(
                    request_object::form_mismatch(Form::Encrypted, found).unwrap_or_default()
                );
            }
            open_encrypted_object(parsed, object, client, provider)
        }
    }
}

/// A legacy client-secret request object (PROTOCOL §4): a JWS signed HS256 with the client's
/// secret, `iss` the client_id, `aud` the legacy authorize endpoint, and its times and header.
fn open_legacy_object(
    jws: &compact::Jws<'_>,
    client: &Client,
    audience: &str,
    now: i64,
) -> Result<OpenedObject, String> {
    let ClientAuth::Secret(secret) = &client.auth else {
        return Err("a legacy client-secret provider takes request objects only from client-secret clients (HS256 with the secret)".into());
    };
    super::tokens::refuse_crit(&jws.header, "request object's JWS")?;
    crypto::verify_hs256(
        secret.expose(),
        jws.signing_input.as_bytes(),
        &jws.signature,
    )
    .map_err(|why| {
        format!(
            "the request object's HS256 signature does not verify with the client secret: {why}"
        )
    })?;
    let claims = compact::parse_claims(&jws.payload, "request object").map_err(|e| e.0)?;
    let warnings = check_issuer_and_audience(&claims, client, audience, None)?;
    super::tokens::check_times(&claims, now, "request object", None)?;
    Ok(OpenedObject {
        replay_keys: replay_keys(jws, &claims, client),
        claims,
        warnings,
        form: Some(Form::LegacySecret),
    })
}

/// A request object's `iss` is the client_id and its `aud` (a string, or an array holding it) is
/// `audience` (PROTOCOL §4). For a v2 provider (`v2_issuer`), an `aud` of its authorization
/// endpoint is accepted with the warning of `request_object::authorization_endpoint_aud_warning`.
fn check_issuer_and_audience(
    claims: &Map<String, Value>,
    client: &Client,
    audience: &str,
    v2_issuer: Option<&str>,
) -> Result<Vec<Finding>, String> {
    if claims.get("iss").and_then(Value::as_str) != Some(client.client_id.as_str()) {
        return Err(format!(
            "the request object's `iss` must be the client_id `{}`",
            client.client_id
        ));
    }
    let aud_ok = match claims.get("aud") {
        Some(Value::String(a)) => a == audience,
        Some(Value::Array(list)) => list.iter().any(|a| a.as_str() == Some(audience)),
        _ => false,
    };
    if aud_ok {
        return Ok(Vec::new());
    }
    match v2_issuer {
        Some(issuer) => match request_object::authorization_endpoint_aud(claims, Some(issuer)) {
            Some(aud) => Ok(vec![request_object::authorization_endpoint_aud_warning(
                &aud,
            )]),
            None => Err(format!(
                "the request object's `aud` must be the issuer `{issuer}` (the authorization endpoint `{issuer}/authorization` of older guides is accepted with a warning; docs/itsme-facts.md#authorization-request)"
            )),
        },
        None => Err(format!(
            "the request object's `aud` must be the legacy authorize endpoint `{audience}` (docs/itsme-facts.md#authorization-request)"
        )),
    }
}

/// What identifies a request object against replays: its digest, and its `jti` when it has one.
fn replay_keys(
    jws: &compact::Jws<'_>,
    claims: &Map<String, Value>,
    client: &Client,
) -> Vec<String> {
    let digest = openssl::sha::sha256(jws.signing_input.as_bytes());
    let mut keys = vec![format!(
        "sha256:{}",
        digest
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect::<String>()
    )];
    if let Some(jti) = claims.get("jti").and_then(Value::as_str) {
        keys.push(format!("jti:{}\u{0}{jti}", client.client_id));
    }
    keys
}

/// Decrypts (when a JWE) and verifies a request object, already parsed by [`open_request_object`]; checks `iss` and `aud` (PROTOCOL §4) and
/// its times and header (RFC 9101 §6, OpenID Connect Core §6.3).
fn open_encrypted_object(
    parsed: Compact<'_>,
    object: &str,
    client: &Client,
    provider: &ProviderContext<'_>,
) -> Result<OpenedObject, String> {
    let ClientAuth::PrivateKeyJwt(keys) = &client.auth else {
        return Err("request objects need a client with published keys (private_key_jwt)".into());
    };
    let decrypted;
    let encrypted = matches!(parsed, Compact::Jwe(_));
    let signed = match parsed {
        Compact::Jwe(jwe) => {
            refuse_compression(&jwe.header)?;
            super::tokens::refuse_crit(&jwe.header, "request object's JWE")?;
            let alg = header_str(&jwe.header, "alg").unwrap_or("");
            decrypted = provider.decrypter.decrypt(jwe.compact, alg).map_err(|_| {
                "the request object could not be decrypted with the sandbox's encryption key"
                    .to_string()
            })?;
            String::from_utf8(decrypted)
                .map_err(|_| "the decrypted request object is not text".to_string())?
        }
        Compact::Jws(_) => object.to_string(),
    };
    let Ok(Compact::Jws(jws)) = compact::parse(&signed) else {
        return Err("the request object is not a signed JWT".into());
    };
    super::tokens::refuse_crit(&jws.header, "request object's JWS")?;
    if header_str(&jws.header, "alg") != Some("RS256") {
        return Err("the request object must be signed RS256".into());
    }
    let kid = header_str(&jws.header, "kid");
    let key = keys
        .keys
        .iter()
        .find(|k| k.usable_for_signatures() && (kid.is_none() || k.kid.as_deref() == kid))
        .ok_or_else(|| {
            format!(
                "no signing key {} in the client's JWK Set",
                kid.map(|k| format!("`{k}`")).unwrap_or_default()
            )
        })?;
    crypto::verify_rsa(key, "RS256", jws.signing_input.as_bytes(), &jws.signature).map_err(
        |_| "the request object's signature does not verify with the client's key".to_string(),
    )?;
    let claims = compact::parse_claims(&jws.payload, "request object").map_err(|e| e.0)?;
    // The authorization endpoint, as older itsme® guides said, is accepted with a warning: the
    // current documentation's "SHOULD" allows it, and PROTOCOL §4 says to warn, not fail.
    let warnings =
        check_issuer_and_audience(&claims, client, provider.issuer, Some(provider.issuer))?;
    super::tokens::check_times(&claims, provider.now, "request object", None)?;
    Ok(OpenedObject {
        replay_keys: replay_keys(&jws, &claims, client),
        claims,
        warnings,
        form: encrypted.then_some(Form::Encrypted),
    })
}

/// Compressed (`zip`) request objects are refused before anything is inflated: the decryption
/// library inflates without a bound (a 2 MB URL grew the process to 1.6 GB), the sandbox's
/// discovery advertises no compression and itsme® documents none (PROTOCOL §4), and RFC 8725 §3.6
/// advises against compressing what is encrypted.
fn refuse_compression(header: &Map<String, Value>) -> Result<(), String> {
    match header.get("zip") {
        None => Ok(()),
        Some(zip) => Err(format!(
            "the request object is compressed (`zip`: {zip}): the sandbox refuses compressed request objects, as itsme® documents none (docs/itsme-facts.md#authorization-request) and inflating them has no safe bound (RFC 7516 §4.1.3, RFC 8725 §3.6)"
        )),
    }
}

/// Parameters inside the request object win; the same parameter outside must not contradict it.
pub fn merge_request_object(
    params: &mut BTreeMap<String, String>,
    claims: &Map<String, Value>,
) -> Result<(), String> {
    for (name, value) in claims {
        if matches!(name.as_str(), "iss" | "aud" | "exp" | "iat" | "nbf" | "jti") {
            continue;
        }
        let text = match value {
            Value::String(s) => s.clone(),
            other => other.to_string(),
        };
        if let Some(outside) = params.get(name)
            && *outside != text
            && !(name == "claims" && same_json(outside, &text))
        {
            return Err(format!(
                "`{name}` outside the request object contradicts the value inside it"
            ));
        }
        params.insert(name.clone(), text);
    }
    Ok(())
}

fn same_json(a: &str, b: &str) -> bool {
    matches!((serde_json::from_str::<Value>(a), serde_json::from_str::<Value>(b)), (Ok(x), Ok(y)) if x == y)
}
