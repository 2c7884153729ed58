//! The token endpoint and the tokens it mints (PROTOCOL §3, §5): client authentication
//! (private_key_jwt with replay protection, or client_secret_post), the authorization code
//! (36 characters, 3 minutes, single use), PKCE, and nested ID tokens and userinfo responses.

use serde_json::{Map, Value, json};

use super::config::{AcceptedAssertionAud, Client, ClientAuth};
pub use crate::jose::compact::refuse_crit;
use crate::jose::compact::{self, Compact, header_str};
use crate::jose::crypto;
use crate::jose::keys::{PrivateKey, PublicKey, PublicKeySet};
pub use crate::oidc::authorization::{pkce_challenge, random_token};
use crate::oidc::client_auth::{AssertionAud, RFC_10070_TYP};

/// An OAuth error answer of the token endpoint.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenError {
    /// The `error` code (PROTOCOL §8).
    pub error: &'static str,
    /// The `error_description`.
    pub description: String,
}

impl TokenError {
    /// An error.
    pub fn new(error: &'static str, description: impl Into<String>) -> Self {
        TokenError {
            error,
            description: description.into(),
        }
    }
}

/// The clock skew the sandbox allows on the time claims it receives: the token engine's default
/// (`oidc::validate`, 60 s).
pub const CLOCK_SKEW: i64 = 60;

/// The longest client assertion the sandbox accepts, `exp` − `iat` (or − now without `iat`): 10
/// minutes. PROTOCOL §3 states no bound; RFC 7523 §3 (item 4) lets a server refuse an `exp`
/// unreasonably far in the future. Libraries sign assertions for a minute or two (openid-client:
/// 60 s, this tool: 120 s); ten minutes leave room for clock drift, while an assertion valid for
/// years would be a long-lived credential that a leak hands out.
pub const MAX_ASSERTION_LIFETIME: i64 = 600;

/// The time claims of a JWT the sandbox receives (a client assertion or a request object): `exp`
/// required and not past, `nbf` and `iat`, when present, not in the future, each within
/// [`CLOCK_SKEW`]; with `max_lifetime`, `exp` at most that far after `iat` (or now, without `iat`).
pub fn check_times(
    claims: &Map<String, Value>,
    now: i64,
    what: &str,
    max_lifetime: Option<i64>,
) -> Result<(), String> {
    let time = |name: &str| -> Result<Option<i64>, String> {
        match claims.get(name) {
            None => Ok(None),
            // A NumericDate may have a fraction (RFC 7519 §2): whole seconds are enough here.
            Some(value) => value
                .as_i64()
                .or_else(|| {
                    value
                        .as_f64()
                        .filter(|f| f.is_finite())
                        .map(|f| f.floor() as i64)
                })
                .map(Some)
                .ok_or_else(|| format!("the {what}'s `{name}` is not a NumericDate (RFC 7519 §2)")),
        }
    };
    let Some(exp) = time("exp")? else {
        return Err(format!("the {what} has no `exp`"));
    };
    if exp.saturating_add(CLOCK_SKEW) < now {
        return Err(format!("the {what} has expired (check your clock)"));
    }
    if let Some(nbf) = time("nbf")?
        && nbf > now.saturating_add(CLOCK_SKEW)
    {
        return Err(format!(
            "the {what} is not valid yet: `nbf` is {} s in the future, beyond the {CLOCK_SKEW} s clock skew (RFC 7519 §4.1.5; check your clock)",
            nbf - now
        ));
    }
    let iat = time("iat")?;
    if let Some(iat) = iat
        && iat > now.saturating_add(CLOCK_SKEW)
    {
        return Err(format!(
            "the {what} was issued in the future: `iat` is {} s ahead, beyond the {CLOCK_SKEW} s clock skew (check your clock)",
            iat - now
        ));
    }
    if let Some(max) = max_lifetime {
        let lifetime = exp.saturating_sub(iat.unwrap_or(now));
        if lifetime > max {
            return Err(format!(
                "the {what} is valid for {lifetime} s (`exp` − {}); the sandbox accepts at most {max} s (RFC 7523 §3: an `exp` unreasonably far in the future may be refused)",
                if iat.is_some() { "`iat`" } else { "now" }
            ));
        }
    }
    Ok(())
}

/// The parameters of a form or query, each at most once: "Request and response parameters MUST
/// NOT be included more than once" (RFC 6749 §3.1, §3.2). A repeated one is named in the error.
pub fn unique_params(pairs: &[(String, String)]) -> Result<Map<String, Value>, String> {
    let mut params = Map::new();
    for (name, value) in pairs {
        if params
            .insert(name.clone(), Value::String(value.clone()))
            .is_some()
        {
            return Err(format!(
                "the parameter `{name}` appears more than once: parameters MUST NOT be included more than once (RFC 6749 §3.1 at the authorization endpoint, RFC 6749 §3.2 at the token endpoint)"
            ));
        }
    }
    Ok(params)
}

/// PKCE at the token endpoint: a verifier of RFC 7636 §4.1's form (43–128 unreserved characters),
/// present exactly when the code was issued with a challenge (no downgrade: RFC 9700 §2.1.1,
/// RFC 7636 §4.6), and matching it.
pub fn check_code_verifier(
    challenge: Option<&str>,
    verifier: Option<&str>,
) -> Result<(), TokenError> {
    let well_formed = |v: &str| {
        (43..=128).contains(&v.len())
            && v.bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~'))
    };
    if verifier.is_some_and(|v| !well_formed(v)) {
        return Err(TokenError::new(
            "invalid_request",
            "`code_verifier` must be 43 to 128 characters of A-Z, a-z, 0-9, `-`, `.`, `_`, `~` (RFC 7636 §4.1)",
        ));
    }
    match (challenge, verifier) {
        (None, None) => Ok(()),
        (None, Some(_)) => Err(TokenError::new(
            "invalid_grant",
            "`code_verifier` sent for a code issued without `code_challenge`: refused as a PKCE downgrade (RFC 9700 §2.1.1)",
        )),
        (Some(_), None) => Err(TokenError::new(
            "invalid_grant",
            "`code_verifier` is missing (the request used PKCE)",
        )),
        (Some(challenge), Some(verifier)) if pkce_challenge(verifier) == challenge => Ok(()),
        (Some(_), Some(_)) => Err(TokenError::new(
            "invalid_grant",
            "`code_verifier` does not match the `code_challenge` (RFC 7636 §4.6)",
        )),
    }
}

/// The audiences a client assertion may name: the provider's, and which forms it accepts.
#[derive(Debug, Clone, Copy)]
pub struct AssertionAudiences<'a> {
    /// The issuer (RFC 10070's `aud`).
    pub issuer: &'a str,
    /// The token endpoint (itsme®'s documented `aud`, PROTOCOL §3).
    pub token_endpoint: &'a str,
    /// Which forms are accepted.
    pub accepted: AcceptedAssertionAud,
}

/// Authenticates the client of a token request (PROTOCOL §3): a client assertion
/// (private_key_jwt) or `client_id` and `client_secret`. `seen_jti` remembers assertion
/// identifiers: an assertion can be used once.
pub fn authenticate<'c>(
    form: &Map<String, Value>,
    clients: &'c [Client],
    audiences: &AssertionAudiences<'_>,
    now: i64,
    seen_jti: &mut std::collections::HashSet<String>,
) -> Result<&'c Client, TokenError> {
    let field = |name: &str| form.get(name).and_then(Value::as_str);
    match field("client_assertion") {
        Some(assertion) => assertion_client(form, assertion, clients, audiences, now, seen_jti),
        None => secret_client(form, clients),
    }
}

/// The client of a client assertion (RFC 7523 §3, OpenID Connect Core §9, PROTOCOL §3).
fn assertion_client<'c>(
    form: &Map<String, Value>,
    assertion: &str,
    clients: &'c [Client],
    audiences: &AssertionAudiences<'_>,
    now: i64,
    seen_jti: &mut std::collections::HashSet<String>,
) -> Result<&'c Client, TokenError> {
    let field = |name: &str| form.get(name).and_then(Value::as_str);
    if field("client_assertion_type")
        != Some("urn:ietf:params:oauth:client-assertion-type:jwt-bearer")
    {
        return Err(TokenError::new(
            "invalid_request",
            "`client_assertion_type` must be urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
        ));
    }
    let Ok(Compact::Jws(jws)) = compact::parse(assertion) else {
        return Err(TokenError::new(
            "invalid_client",
            "the client assertion is not a signed JWT",
        ));
    };
    let claims = compact::parse_claims(&jws.payload, "client assertion")
        .map_err(|e| TokenError::new("invalid_client", e.0))?;
    let iss = claims.get("iss").and_then(Value::as_str).unwrap_or("");
    let client = clients.iter().find(|c| c.client_id == iss).ok_or_else(|| {
        TokenError::new(
            "invalid_client",
            format!("no client `{iss}` (the assertion's `iss`)"),
        )
    })?;
    if let Some(id) = field("client_id").filter(|id| *id != iss) {
        return Err(TokenError::new(
            "invalid_client",
            format!("`client_id` `{id}` differs from the assertion's `iss`"),
        ));
    }
    let ClientAuth::PrivateKeyJwt(keys) = &client.auth else {
        return Err(TokenError::new(
            "unauthorized_client",
            "this client authenticates with its client secret",
        ));
    };
    verify_assertion(&jws, keys)?;
    check_assertion_aud(&jws.header, &claims, audiences)
        .map_err(|why| TokenError::new("invalid_client", why))?;
    check_assertion_claims(&claims, iss, now)?;
    let jti = claims
        .get("jti")
        .and_then(Value::as_str)
        .filter(|j| !j.is_empty() && j.len() <= 255);
    let Some(jti) = jti else {
        return Err(TokenError::new(
            "invalid_client",
            "the client assertion needs a `jti` of 1 to 255 characters",
        ));
    };
    if !seen_jti.insert(format!("{iss}\u{0}{jti}")) {
        return Err(TokenError::new(
            "invalid_client",
            "this client assertion (`jti`) was already used",
        ));
    }
    Ok(client)
}

/// The assertion's header and signature: no `crit`, RS256 by a published signing key.
pub fn verify_assertion(jws: &compact::Jws<'_>, keys: &PublicKeySet) -> Result<(), TokenError> {
    refuse_crit(&jws.header, "client assertion")
        .map_err(|why| TokenError::new("invalid_client", why))?;
    if header_str(&jws.header, "alg") != Some("RS256") {
        return Err(TokenError::new(
            "invalid_client",
            "the client assertion must be signed RS256",
        ));
    }
    let kid = header_str(&jws.header, "kid");
    let key: &PublicKey = keys
        .keys
        .iter()
        .find(|k| k.usable_for_signatures() && (kid.is_none() || k.kid.as_deref() == kid))
        .ok_or_else(|| {
            TokenError::new(
                "invalid_client",
                format!(
                    "the kid {} is not published in the client's JWK Set",
                    kid.unwrap_or("(none)")
                ),
            )
        })?;
    crypto::verify_rsa(key, "RS256", jws.signing_input.as_bytes(), &jws.signature).map_err(|_| {
        TokenError::new(
            "invalid_client",
            "the client assertion's signature does not verify",
        )
    })
}

/// The assertion's `aud` and header `typ`: in one of the two forms (PROTOCOL §3, RFC 10070), and
/// in one the sandbox accepts ([`AcceptedAssertionAud`]).
fn check_assertion_aud(
    header: &Map<String, Value>,
    claims: &Map<String, Value>,
    audiences: &AssertionAudiences<'_>,
) -> Result<(), String> {
    let form = assertion_form(header, claims, audiences)?;
    let accepted = match audiences.accepted {
        AcceptedAssertionAud::TokenEndpoint => form == AssertionAud::TokenEndpoint,
        AcceptedAssertionAud::Either => true,
        AcceptedAssertionAud::Issuer => form == AssertionAud::Issuer,
    };
    if accepted {
        Ok(())
    } else {
        Err(assertion_aud_refusal(
            &format!("in the form of {}", form.describe()),
            audiences,
        ))
    }
}

/// Which of the two forms an assertion is in, or why it is in neither.
///
/// - itsme®'s (PROTOCOL §3): `aud` the token endpoint, or an array holding it (openid-client 5
///   sent `[issuer, token_endpoint]`).
/// - RFC 10070's: `aud` the issuer, as a single string. Its `typ: client-authentication+jwt` is not
///   required: openid-client 6.9 and oauth4webapi 3.8 send `aud` = the issuer with no `typ`, and
///   this project could not read whether RFC 10070 makes the header mandatory for the server. A
///   `typ` that names that form with another `aud` is refused: it contradicts itself.
fn assertion_form(
    header: &Map<String, Value>,
    claims: &Map<String, Value>,
    audiences: &AssertionAudiences<'_>,
) -> Result<AssertionAud, String> {
    let typ = header_str(header, "typ");
    let rfc_10070_typ = typ.is_some_and(|t| {
        let lower = t.to_ascii_lowercase();
        lower.strip_prefix("application/").unwrap_or(&lower) == RFC_10070_TYP
    });
    let aud = claims.get("aud");
    let names = |target: &str| match aud {
        Some(Value::String(a)) => a == target,
        Some(Value::Array(list)) => list.iter().any(|a| a.as_str() == Some(target)),
        _ => false,
    };
    if aud.and_then(Value::as_str) == Some(audiences.issuer) {
        return Ok(AssertionAud::Issuer);
    }
    let received = match aud {
        None => "missing".to_string(),
        Some(Value::String(a)) => format!("`{a}`"),
        Some(other) => format!("`{other}`"),
    };
    if rfc_10070_typ {
        return Err(assertion_aud_refusal(
            &format!(
                "{received} with `typ: {}`: that `typ` declares RFC 10070's form, whose `aud` is the issuer alone",
                typ.unwrap_or_default()
            ),
            audiences,
        ));
    }
    if names(audiences.token_endpoint) {
        return Ok(AssertionAud::TokenEndpoint);
    }
    Err(assertion_aud_refusal(&received, audiences))
}

/// The refusal of an assertion's audience: what was received, what this sandbox accepts, both
/// forms, and the library settings that produce them.
fn assertion_aud_refusal(received: &str, audiences: &AssertionAudiences<'_>) -> String {
    let accepts = match audiences.accepted {
        AcceptedAssertionAud::TokenEndpoint => {
            "only itsme®'s documented form (`itsme-cli sandbox --assertion-aud either` accepts both)"
        }
        AcceptedAssertionAud::Either => "both forms",
        AcceptedAssertionAud::Issuer => {
            "only RFC 10070's form (it runs with `--assertion-aud issuer`)"
        }
    };
    format!(
        "the client assertion's `aud` is {received}; this sandbox accepts {accepts}. \
         itsme® documents `aud` = the token endpoint `{token_endpoint}` (docs/itsme-facts.md#client-authentication; itsme-cli's default, \
         `--assertion-aud token-endpoint`); RFC 10070 wants `aud` = the issuer `{issuer}` as a single string \
         with the header `typ: client-authentication+jwt` (itsme-cli `--assertion-aud issuer`). \
         openid-client 6 and oauth4webapi 3 send the issuer by default (without `typ`), and their \
         `modifyAssertion` hook can set `payload.aud` to the token endpoint; openid-client 5 sent both \
         in an array; for other libraries, look for the audience setting of their private_key_jwt client \
         authentication",
        token_endpoint = audiences.token_endpoint,
        issuer = audiences.issuer,
    )
}

/// The assertion's other claims: `sub` = `iss`, and its times.
pub fn check_assertion_claims(
    claims: &Map<String, Value>,
    iss: &str,
    now: i64,
) -> Result<(), TokenError> {
    if claims.get("sub").and_then(Value::as_str) != Some(iss) {
        return Err(TokenError::new(
            "invalid_client",
            "the assertion's `sub` must equal its `iss` (the client_id)",
        ));
    }
    check_times(
        claims,
        now,
        "client assertion",
        Some(MAX_ASSERTION_LIFETIME),
    )
    .map_err(|why| TokenError::new("invalid_client", why))
}

/// The client of `client_id` and `client_secret` in the form (client_secret_post).
fn secret_client<'c>(
    form: &Map<String, Value>,
    clients: &'c [Client],
) -> Result<&'c Client, TokenError> {
    let field = |name: &str| form.get(name).and_then(Value::as_str);
    let id = field("client_id").ok_or_else(|| {
        TokenError::new(
            "invalid_client",
            "no client authentication: send a client assertion or client_id and client_secret",
        )
    })?;
    let client = clients
        .iter()
        .find(|c| c.client_id == id)
        .ok_or_else(|| TokenError::new("invalid_client", format!("no client `{id}`")))?;
    match (&client.auth, field("client_secret")) {
        (ClientAuth::Secret(secret), Some(given)) if secrets_equal(secret.expose(), given) => {
            Ok(client)
        }
        (ClientAuth::Secret(_), _) => Err(TokenError::new(
            "invalid_client",
            "wrong or missing `client_secret`",
        )),
        (ClientAuth::PrivateKeyJwt(_), _) => Err(TokenError::new(
            "unauthorized_client",
            "this client must authenticate with a client assertion (private_key_jwt)",
        )),
    }
}

/// Compares secrets in constant time (for equal lengths; the length itself is not secret here).
fn secrets_equal(expected: &str, given: &str) -> bool {
    expected.len() == given.len() && openssl::memcmp::eq(expected.as_bytes(), given.as_bytes())
}

/// A 36-character authorization code (PROTOCOL §4), UUID-shaped like itsme®'s.
pub fn new_code() -> String {
    let mut b = [0u8; 16];
    openssl::rand::rand_bytes(&mut b).expect("the OS random generator works");
    let hex: String = b.iter().map(|x| format!("{x:02x}")).collect();
    format!(
        "{}-{}-{}-{}-{}",
        &hex[..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..]
    )
}

/// Signs claims with the provider's key and protects them for the client: encrypted to its `enc`
/// key (RSA-OAEP-256 / A128CBC-HS256) or, for a client-secret client, with `dir` / A256GCM and
/// the key derived from its secret (PROTOCOL §3, §5).
pub fn seal(claims: &Value, signer: &PrivateKey, client: &Client) -> Result<String, String> {
    let jws = crypto::sign_rs256(signer, Some("JWT"), claims.to_string().as_bytes())
        .map_err(|e| e.to_string())?;
    match &client.auth {
        ClientAuth::PrivateKeyJwt(keys) => {
            let enc_key = keys
                .keys
                .iter()
                .find(|k| k.kty == "RSA" && k.key_use.as_deref() == Some("enc"))
                .or_else(|| {
                    keys.keys
                        .iter()
                        .find(|k| k.kty == "RSA" && k.key_use.is_none())
                })
                .ok_or("the client publishes no RSA encryption key (`use: enc`)")?;
            crypto::encrypt_rsa(
                enc_key,
                "RSA-OAEP-256",
                "A128CBC-HS256",
                true,
                jws.as_bytes(),
            )
            .map_err(|e| e.to_string())
        }
        ClientAuth::Secret(secret) => {
            let key = crypto::dir_key_from_secret(secret.expose(), "A256GCM")
                .ok_or("no key for A256GCM")?;
            crypto::encrypt_dir(&key, "A256GCM", true, jws.as_bytes()).map_err(|e| e.to_string())
        }
    }
}

/// The registered claims of an ID token.
pub fn id_token_claims(
    issuer: &str,
    client_id: &str,
    sub: &str,
    nonce: Option<&str>,
    access_token: &str,
    acr: &str,
    now: i64,
) -> Map<String, Value> {
    let at_hash = crate::oidc::validate::at_hash(access_token, "RS256").unwrap_or_default();
    let mut claims = json!({
        "iss": issuer, "aud": client_id, "sub": sub, "iat": now, "nbf": now, "exp": now + 600,
        "auth_time": now, "at_hash": at_hash, "acr": acr,
    });
    if let (Some(nonce), Some(map)) = (nonce, claims.as_object_mut()) {
        map.insert("nonce".into(), Value::String(nonce.into()));
    }
    claims.as_object().cloned().unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_36_characters_and_unique() {
        let (a, b) = (new_code(), new_code());
        assert_eq!(a.len(), 36);
        assert_ne!(a, b);
    }

    fn claims(value: Value) -> Map<String, Value> {
        value.as_object().cloned().unwrap()
    }

    #[test]
    fn time_claims_are_checked_within_the_skew() {
        let now = 1_000_000;
        let check = |c: Value| check_times(&claims(c), now, "client assertion", Some(600));
        assert!(check(json!({"exp": now + 120})).is_ok());
        assert!(
            check(json!({"exp": now as f64 + 120.5})).is_ok(),
            "a fraction is allowed"
        );
        assert!(
            check(json!({"exp": now - 30, "iat": now - 100})).is_ok(),
            "within the skew"
        );
        assert!(check(json!({})).unwrap_err().contains("no `exp`"));
        assert!(
            check(json!({"exp": now - 61}))
                .unwrap_err()
                .contains("expired")
        );
        assert!(
            check(json!({"exp": "soon"}))
                .unwrap_err()
                .contains("NumericDate")
        );
        assert!(check(json!({"exp": now + 120, "nbf": now + 60})).is_ok());
        assert!(
            check(json!({"exp": now + 120, "nbf": now + 61}))
                .unwrap_err()
                .contains("`nbf`")
        );
        assert!(
            check(json!({"exp": now + 120, "iat": now + 61}))
                .unwrap_err()
                .contains("`iat`")
        );
        assert!(check(json!({"exp": now + 600, "iat": now})).is_ok());
        assert!(
            check(json!({"exp": now + 601, "iat": now}))
                .unwrap_err()
                .contains("601 s")
        );
        assert!(
            check(json!({"exp": now + 601}))
                .unwrap_err()
                .contains("− now")
        );
        assert!(
            check_times(
                &claims(json!({"exp": now + 86_400})),
                now,
                "request object",
                None
            )
            .is_ok(),
            "no bound without one"
        );
    }

    #[test]
    fn any_critical_extension_is_refused() {
        assert!(refuse_crit(&claims(json!({"alg": "RS256"})), "x").is_ok());
        let why = refuse_crit(&claims(json!({"alg": "RS256", "crit": ["b64"]})), "x").unwrap_err();
        assert!(
            why.contains("`b64`") && why.contains("RFC 7515 §4.1.11"),
            "{why}"
        );
        assert!(refuse_crit(&claims(json!({"crit": "b64"})), "x").is_err());
    }

    #[test]
    fn repeated_parameters_are_named() {
        let pairs = |list: &[(&str, &str)]| -> Vec<(String, String)> {
            list.iter()
                .map(|(a, b)| (a.to_string(), b.to_string()))
                .collect()
        };
        assert_eq!(
            unique_params(&pairs(&[("a", "1"), ("b", "2")]))
                .unwrap()
                .len(),
            2
        );
        let why = unique_params(&pairs(&[("code", "1"), ("b", "2"), ("code", "3")])).unwrap_err();
        assert!(why.contains("`code`"), "{why}");
    }

    #[test]
    fn code_verifiers_follow_rfc_7636() {
        let verifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
        let challenge = pkce_challenge(verifier);
        assert!(check_code_verifier(Some(&challenge), Some(verifier)).is_ok());
        assert!(check_code_verifier(None, None).is_ok());
        let error = |c: Option<&str>, v: Option<&str>| check_code_verifier(c, v).unwrap_err().error;
        assert_eq!(error(None, Some(verifier)), "invalid_grant", "a downgrade");
        assert_eq!(error(Some(&challenge), None), "invalid_grant");
        assert_eq!(
            error(Some(&challenge), Some(&"a".repeat(43))),
            "invalid_grant"
        );
        for bad in [
            "a".repeat(42),
            "a".repeat(129),
            format!("{}+", "a".repeat(42)),
            format!("{}é", "a".repeat(42)),
        ] {
            let short = pkce_challenge(&bad);
            assert_eq!(error(Some(&short), Some(&bad)), "invalid_request", "{bad}");
        }
        assert!(
            check_code_verifier(
                Some(&pkce_challenge(&"~".repeat(128))),
                Some(&"~".repeat(128))
            )
            .is_ok()
        );
    }

    #[test]
    fn pkce_matches_rfc_7636_appendix_b() {
        assert_eq!(
            pkce_challenge("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"),
            "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
        );
    }
}
