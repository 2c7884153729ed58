//! Building the itsme® authorization request (PROTOCOL §4): PKCE S256 always, a fresh `state` and
//! `nonce`, `service:CODE` and extra scopes, the `claims` parameter, acr, locales, a Confirmation
//! template, and the request object (signed RS256 by the partner, then encrypted to the provider,
//! `cty: JWT`) that carries every parameter when it is used.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde_json::{Map, Value, json};
use url::Url;

use crate::itsme::confirmation::Confirmation;
use crate::jose::crypto;
use crate::jose::keys::{PrivateKey, PublicKey};
use crate::secret::Secret;

/// The acr values (PROTOCOL §4); defined in `itsme::acr`, named here too for the CLI.
pub use crate::itsme::acr::Acr;

/// What the partner asks for.
#[derive(Debug, Clone, Default)]
pub struct RequestSpec {
    /// The client_id.
    pub client_id: String,
    /// The registered redirect URI, byte for byte.
    pub redirect_uri: String,
    /// The service code (scope `service:CODE`).
    pub service_code: String,
    /// Scopes besides `openid` and the service (`profile`, `eid`, …).
    pub scopes: Vec<String>,
    /// Claims to ask in the ID token (full names).
    pub id_token_claims: Vec<String>,
    /// Claims to ask from userinfo (full names).
    pub userinfo_claims: Vec<String>,
    /// A raw `claims` parameter, used instead of the two lists when given.
    pub raw_claims: Option<Value>,
    /// The acr.
    pub acr: Option<Acr>,
    /// `ui_locales`.
    pub ui_locale: Option<String>,
    /// `prompt`.
    pub prompt: Option<String>,
    /// `max_age`.
    pub max_age: Option<u64>,
    /// A Confirmation template (forces a request object, PROTOCOL §7).
    pub confirmation: Option<Confirmation>,
}

/// The keys a request object needs: the partner's signing key and the provider's encryption key
/// with the algorithms its discovery document supports.
pub struct RequestObjectKeys<'a> {
    /// The partner's `sig` key.
    pub signer: &'a PrivateKey,
    /// The provider's `enc` key from its JWK Set.
    pub provider_key: &'a PublicKey,
    /// JWE `alg` (RSA-OAEP-256 recommended).
    pub alg: &'a str,
    /// JWE `enc`.
    pub enc: &'a str,
}

/// How the request object is protected, in the form the provider takes
/// (`oidc::request_object::Form`, PROTOCOL §4).
pub enum RequestObject<'a> {
    /// Signed RS256 by the partner, then encrypted to the provider.
    Encrypted(RequestObjectKeys<'a>),
    /// The legacy client-secret form: signed HS256 with the secret, not encrypted, `aud` the
    /// legacy authorize endpoint.
    LegacySecret {
        /// The client secret, the HMAC key.
        secret: &'a Secret,
        /// The `aud` (`request_object::audience`).
        audience: String,
    },
}

impl<'a> From<RequestObjectKeys<'a>> for RequestObject<'a> {
    fn from(keys: RequestObjectKeys<'a>) -> Self {
        RequestObject::Encrypted(keys)
    }
}

/// A built request, and what the rest of the login must remember about it.
#[derive(Debug)]
pub struct BuiltRequest {
    /// The URL to open in the browser.
    pub url: Url,
    /// The `state` the callback must carry.
    pub state: String,
    /// The `nonce` the ID token must carry.
    pub nonce: String,
    /// The PKCE verifier for the token request.
    pub code_verifier: Secret,
    /// The parameters, readable (the request object's content, not its encrypted form): for reports.
    pub parameters: Map<String, Value>,
}

/// A random base64url string of `bytes` random bytes.
pub fn random_token(bytes: usize) -> String {
    let mut buffer = vec![0u8; bytes];
    openssl::rand::rand_bytes(&mut buffer).expect("the OS random generator works");
    URL_SAFE_NO_PAD.encode(buffer)
}

/// The S256 challenge of a PKCE verifier (RFC 7636 §4.2).
pub fn pkce_challenge(verifier: &str) -> String {
    URL_SAFE_NO_PAD.encode(openssl::sha::sha256(verifier.as_bytes()))
}

/// Builds the request. A request object is made when `object` is given; a Confirmation
/// template without one is refused (PROTOCOL §7).
pub fn build(
    endpoint: &Url,
    issuer: &str,
    spec: &RequestSpec,
    object: Option<RequestObject<'_>>,
    now: i64,
) -> Result<BuiltRequest, String> {
    if spec.confirmation.is_some() && object.is_none() {
        return Err(
            "a Confirmation needs a request object, which needs private_key_jwt keys (--keys), or the client secret at a legacy client-secret provider"
                .into(),
        );
    }
    let state = random_token(24);
    let nonce = random_token(24);
    let code_verifier = random_token(32);
    let mut scope = vec![
        "openid".to_string(),
        format!("service:{}", spec.service_code),
    ];
    scope.extend(spec.scopes.iter().filter(|s| *s != "openid").cloned());
    let mut parameters = Map::new();
    let mut put = |name: &str, value: Value| {
        parameters.insert(name.into(), value);
    };
    put("client_id", json!(spec.client_id));
    put("response_type", json!("code"));
    put("scope", json!(scope.join(" ")));
    put("redirect_uri", json!(spec.redirect_uri));
    put("state", json!(state));
    put("nonce", json!(nonce));
    put("code_challenge", json!(pkce_challenge(&code_verifier)));
    put("code_challenge_method", json!("S256"));
    if let Some(claims) = claims_parameter(spec) {
        put("claims", Value::String(claims.to_string()));
    }
    if let Some(acr) = spec.acr {
        put("acr_values", json!(acr.uri()));
    }
    if let Some(locale) = &spec.ui_locale {
        put("ui_locales", json!(locale));
    }
    if let Some(prompt) = &spec.prompt {
        put("prompt", json!(prompt));
    }
    if let Some(max_age) = spec.max_age {
        put("max_age", json!(max_age.to_string()));
    }
    let mut url = endpoint.clone();
    match object {
        None => {
            let mut query = url.query_pairs_mut();
            for (name, value) in &parameters {
                query.append_pair(name, value.as_str().unwrap_or_default());
            }
        }
        Some(object) => {
            let mut claims = parameters.clone();
            // Inside, `claims` is the JSON object itself (OpenID Connect Core §6.1).
            if let Some(text) = claims.get("claims").and_then(Value::as_str) {
                let object: Value = serde_json::from_str(text).map_err(|e| e.to_string())?;
                claims.insert("claims".into(), object);
            }
            let audience = match &object {
                RequestObject::Encrypted(_) => issuer.to_string(),
                RequestObject::LegacySecret { audience, .. } => audience.clone(),
            };
            claims.insert("iss".into(), json!(spec.client_id));
            claims.insert("aud".into(), json!(audience));
            claims.insert("iat".into(), json!(now));
            claims.insert("exp".into(), json!(now + 300));
            claims.insert("jti".into(), json!(random_token(16)));
            let payload = Value::Object(claims).to_string();
            let object = match object {
                RequestObject::Encrypted(keys) => {
                    let signed = crypto::sign_rs256(keys.signer, Some("JWT"), payload.as_bytes())
                        .map_err(|e| e.to_string())?;
                    crypto::encrypt_rsa(
                        keys.provider_key,
                        keys.alg,
                        keys.enc,
                        true,
                        signed.as_bytes(),
                    )
                    .map_err(|e| e.to_string())?
                }
                RequestObject::LegacySecret { secret, .. } => {
                    crypto::sign_hs256(secret.expose(), payload.as_bytes())?
                }
            };
            // The OAuth parameters stay outside too, identical to those inside (PROTOCOL §4).
            let mut query = url.query_pairs_mut();
            for name in ["client_id", "response_type", "scope", "redirect_uri"] {
                query.append_pair(name, parameters[name].as_str().unwrap_or_default());
            }
            query.append_pair("request", &object);
        }
    }
    Ok(BuiltRequest {
        url,
        state,
        nonce,
        code_verifier: Secret::new(code_verifier),
        parameters,
    })
}

/// The `claims` parameter: the raw one, or built from the claim lists and the Confirmation template.
fn claims_parameter(spec: &RequestSpec) -> Option<Value> {
    if let Some(raw) = &spec.raw_claims {
        return Some(raw.clone());
    }
    claims_object(
        &spec.id_token_claims,
        &spec.userinfo_claims,
        spec.confirmation.as_ref(),
    )
}

/// A `claims` object (OpenID Connect Core §5.5): each name asked with `null`, in the ID token or
/// from userinfo, and the Confirmation template's members in `userinfo` (PROTOCOL §7); `None`
/// when nothing is asked. The authorization request and CIBA's request object both use it.
pub fn claims_object(
    id_token: &[String],
    userinfo: &[String],
    confirmation: Option<&Confirmation>,
) -> Option<Value> {
    let member = |names: &[String]| {
        names
            .iter()
            .map(|n| (n.clone(), Value::Null))
            .collect::<Map<String, Value>>()
    };
    let mut claims = Map::new();
    if !id_token.is_empty() {
        claims.insert("id_token".into(), Value::Object(member(id_token)));
    }
    let mut userinfo = member(userinfo);
    if let Some(template) = confirmation {
        userinfo.extend(template.claims());
    }
    if !userinfo.is_empty() {
        claims.insert("userinfo".into(), Value::Object(userinfo));
    }
    (!claims.is_empty()).then_some(Value::Object(claims))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::jose::crypto::RsaDecrypter;
    use crate::jose::keys::PublicKeySet;
    use crate::sandbox::authorize::{self, ProviderContext};
    use crate::sandbox::config::{Client, ClientAuth, Service, ServiceKind};

    const ISSUER: &str = "http://127.0.0.1:9/v2";

    fn public(key: &PrivateKey) -> PublicKey {
        PublicKeySet::parse(
            PublicKeySet::document(&[key.public_jwk()])
                .to_string()
                .as_bytes(),
        )
        .unwrap()
        .keys
        .remove(0)
    }

    fn spec() -> RequestSpec {
        RequestSpec {
            client_id: "partner".into(),
            redirect_uri: "http://127.0.0.1:8765/callback".into(),
            service_code: "PAY".into(),
            scopes: vec!["profile".into()],
            id_token_claims: vec!["http://itsme.services/v2/claim/BENationalNumber".into()],
            acr: Some(Acr::Advanced),
            ui_locale: Some("nl".into()),
            ..RequestSpec::default()
        }
    }

    /// The sandbox's own rules accept what the builder makes: the two sides check each other.
    fn sandbox_accepts(
        url: &Url,
        partner_sig: &PrivateKey,
        provider_enc: &PrivateKey,
        kind: ServiceKind,
    ) -> Result<authorize::AuthorizationRequest, authorize::Refusal> {
        let client = Client {
            client_id: "partner".into(),
            auth: ClientAuth::PrivateKeyJwt(
                PublicKeySet::parse(
                    PublicKeySet::document(&[partner_sig.public_jwk()])
                        .to_string()
                        .as_bytes(),
                )
                .unwrap(),
            ),
            redirect_uris: vec!["http://127.0.0.1:8765/callback".into()],
            services: vec![Service {
                code: "PAY".into(),
                kind,
            }],
            require_pkce: true,
        };
        let decrypter = RsaDecrypter::new(provider_enc);
        let pairs: Vec<(String, String)> = url.query_pairs().into_owned().collect();
        authorize::check(
            &pairs,
            &[client],
            &mut ProviderContext {
                issuer: ISSUER,
                decrypter: &decrypter,
                now: crate::timefmt::now(),
                seen_request_objects: &mut std::collections::HashSet::new(),
                legacy_authorize: None,
            },
        )
    }

    /// The legacy client-secret form (PROTOCOL §4; issue 14, item 2): a JWS signed HS256 with the
    /// secret, not encrypted, `aud` the legacy authorize endpoint; the legacy sandbox accepts it,
    /// and refuses it when the `aud` is the issuer; a v2 sandbox refuses it, naming both forms.
    #[test]
    fn a_legacy_request_object_is_hs256_signed_only_with_the_authorize_endpoint_as_aud() {
        let issuer = "http://127.0.0.1:9/clientsecret-oidc/csapi/v0.1";
        let authorize = format!("{issuer}/connect/authorize");
        let secret = Secret::new("a-sandbox-client-secret-of-at-least-32-bytes");
        let endpoint = Url::parse(&authorize).unwrap();
        let build_with = |audience: &str| {
            build(
                &endpoint,
                issuer,
                &spec(),
                Some(RequestObject::LegacySecret {
                    secret: &secret,
                    audience: audience.to_string(),
                }),
                crate::timefmt::now(),
            )
            .unwrap()
        };
        let built = build_with(&authorize);
        let pairs: std::collections::HashMap<String, String> =
            built.url.query_pairs().into_owned().collect();
        let object = &pairs["request"];
        let Ok(crate::jose::compact::Compact::Jws(jws)) = crate::jose::compact::parse(object)
        else {
            panic!("not a JWS: {object}");
        };
        assert_eq!(jws.header["alg"], "HS256");
        crypto::verify_hs256(
            secret.expose(),
            jws.signing_input.as_bytes(),
            &jws.signature,
        )
        .unwrap();
        let claims: Value = serde_json::from_slice(&jws.payload).unwrap();
        assert_eq!(claims["aud"], authorize.as_str());
        assert_eq!(claims["iss"], "partner");

        let client = Client {
            client_id: "partner".into(),
            auth: ClientAuth::Secret(secret.clone()),
            redirect_uris: vec!["http://127.0.0.1:8765/callback".into()],
            services: vec![Service {
                code: "PAY".into(),
                kind: ServiceKind::Authentication,
            }],
            require_pkce: true,
        };
        let enc = PrivateKey::generate(2048, "enc", "RSA-OAEP-256").unwrap();
        let decrypter = RsaDecrypter::new(&enc);
        let check = |url: &Url, legacy: Option<&str>| {
            let pairs: Vec<(String, String)> = url.query_pairs().into_owned().collect();
            authorize::check(
                &pairs,
                std::slice::from_ref(&client),
                &mut ProviderContext {
                    issuer,
                    decrypter: &decrypter,
                    now: crate::timefmt::now(),
                    seen_request_objects: &mut std::collections::HashSet::new(),
                    legacy_authorize: legacy,
                },
            )
        };
        let accepted = check(&built.url, Some(&authorize)).unwrap();
        assert!(accepted.request_object);
        assert_eq!(accepted.state.as_deref(), Some(built.state.as_str()));
        let page_error = |refusal| match refusal {
            Err(authorize::Refusal::Page { error, description }) => (error, description),
            other => panic!("{other:?}"),
        };
        let (error, why) = page_error(check(&build_with(issuer).url, Some(&authorize)));
        assert_eq!(error, "invalid_request_object");
        assert!(why.contains("legacy authorize endpoint"), "{why}");
        let (error, why) = page_error(check(&built.url, None));
        assert_eq!(error, "invalid_request_object");
        assert!(
            why.contains("signed RS256") && why.contains("signed HS256 with the client secret"),
            "{why}"
        );
        // And the legacy provider refuses the v2 form (signed RS256, then encrypted).
        let sig = PrivateKey::generate(2048, "sig", "RS256").unwrap();
        let provider_key = public(&enc);
        let keys = RequestObjectKeys {
            signer: &sig,
            provider_key: &provider_key,
            alg: "RSA-OAEP-256",
            enc: "A128CBC-HS256",
        };
        let encrypted = build(
            &endpoint,
            issuer,
            &spec(),
            Some(keys.into()),
            crate::timefmt::now(),
        )
        .unwrap();
        let (error, why) = page_error(check(&encrypted.url, Some(&authorize)));
        assert_eq!(error, "invalid_request_object");
        assert!(
            why.starts_with("this provider takes request objects signed HS256 with the client secret, not encrypted")
                && why.contains("this one is signed RS256"),
            "{why}"
        );
    }

    #[test]
    fn a_plain_request_has_pkce_state_nonce_and_claims() {
        let endpoint = Url::parse(&format!("{ISSUER}/authorization")).unwrap();
        let built = build(&endpoint, ISSUER, &spec(), None, 0).unwrap();
        let pairs: std::collections::HashMap<String, String> =
            built.url.query_pairs().into_owned().collect();
        assert_eq!(pairs["scope"], "openid service:PAY profile");
        assert_eq!(
            pairs["code_challenge"],
            pkce_challenge(built.code_verifier.expose())
        );
        assert_eq!(pairs["state"], built.state);
        assert_eq!(pairs["acr_values"], Acr::Advanced.uri());
        let sig = PrivateKey::generate(2048, "sig", "RS256").unwrap();
        let enc = PrivateKey::generate(2048, "enc", "RSA-OAEP-256").unwrap();
        let accepted =
            sandbox_accepts(&built.url, &sig, &enc, ServiceKind::Authentication).unwrap();
        assert_eq!(accepted.nonce.as_deref(), Some(built.nonce.as_str()));
        assert_eq!(
            accepted.id_token_claims,
            ["http://itsme.services/v2/claim/BENationalNumber"]
        );
        assert!(
            accepted
                .userinfo_claims
                .contains(&"family_name".to_string())
        );
        assert_eq!(accepted.ui_locale.as_deref(), Some("nl"));
        assert!(!accepted.request_object);
    }

    #[test]
    fn a_request_object_carries_everything_including_a_confirmation() {
        let sig = PrivateKey::generate(2048, "sig", "RS256").unwrap();
        let enc = PrivateKey::generate(2048, "enc", "RSA-OAEP-256").unwrap();
        let provider_key = public(&enc);
        let spec = RequestSpec {
            confirmation: Some(Confirmation::payment("1250", "EUR", "BE68539007547034").unwrap()),
            ..spec()
        };
        let endpoint = Url::parse(&format!("{ISSUER}/authorization")).unwrap();
        let keys = RequestObjectKeys {
            signer: &sig,
            provider_key: &provider_key,
            alg: "RSA-OAEP-256",
            enc: "A128CBC-HS256",
        };
        let built = build(
            &endpoint,
            ISSUER,
            &spec,
            Some(keys.into()),
            crate::timefmt::now(),
        )
        .unwrap();
        let names: Vec<String> = built
            .url
            .query_pairs()
            .map(|(k, _)| k.into_owned())
            .collect();
        assert_eq!(
            names,
            [
                "client_id",
                "response_type",
                "scope",
                "redirect_uri",
                "request"
            ],
            "state, nonce and PKCE travel inside only"
        );
        let accepted = sandbox_accepts(&built.url, &sig, &enc, ServiceKind::Confirmation).unwrap();
        assert!(accepted.request_object);
        assert_eq!(accepted.state.as_deref(), Some(built.state.as_str()));
        assert!(matches!(
            accepted.confirmation,
            Some(Confirmation::AdvPayment { .. })
        ));
        // Without keys, a Confirmation is refused before anything is sent.
        assert!(
            build(&endpoint, ISSUER, &spec, None, 0)
                .unwrap_err()
                .contains("request object")
        );
    }
}
