//! The token endpoint and the tokens it mints (PROTOCOL §3, §5): client authentication
//! (private_key_jwt with replay protection, or client_secret_post), the authorization code
//! (36 characters, 3 minutes, single use), PKCE, and nested ID tokens and userinfo responses.

use serde_json::{Map, Value, json};

use super::config::{Client, ClientAuth};
use crate::jose::compact::{self, Compact, header_str};
use crate::jose::crypto;
use crate::jose::keys::{PrivateKey, PublicKey};
pub use crate::oidc::authorization::{pkce_challenge, random_token};

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

/// Authenticates the client of a token request (PROTOCOL §3). `seen_jti` remembers assertion
/// identifiers: an assertion can be used once.
pub fn authenticate<'c>(
    form: &Map<String, Value>,
    clients: &'c [Client],
    token_endpoint: &str,
    now: i64,
    seen_jti: &mut std::collections::HashSet<String>,
) -> Result<&'c Client, TokenError> {
    let field = |name: &str| form.get(name).and_then(Value::as_str);
    if let Some(assertion) = field("client_assertion") {
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
        crypto::verify_rsa(key, "RS256", jws.signing_input.as_bytes(), &jws.signature).map_err(
            |_| {
                TokenError::new(
                    "invalid_client",
                    "the client assertion's signature does not verify",
                )
            },
        )?;
        if claims.get("sub").and_then(Value::as_str) != Some(iss) {
            return Err(TokenError::new(
                "invalid_client",
                "the assertion's `sub` must equal its `iss` (the client_id)",
            ));
        }
        let aud_ok = match claims.get("aud") {
            Some(Value::String(a)) => a == token_endpoint,
            Some(Value::Array(list)) => list.iter().any(|a| a.as_str() == Some(token_endpoint)),
            _ => false,
        };
        if !aud_ok {
            return Err(TokenError::new(
                "invalid_client",
                format!(
                    "the assertion's `aud` must be the token endpoint `{token_endpoint}`, as at itsme® (PROTOCOL §3); libraries that put the issuer there need to be told (openid-client: the `modifyAssertion` hook)"
                ),
            ));
        }
        match claims.get("exp").and_then(Value::as_i64) {
            Some(exp) if exp + 60 >= now => {}
            Some(_) => {
                return Err(TokenError::new(
                    "invalid_client",
                    "the client assertion has expired (check your clock)",
                ));
            }
            None => {
                return Err(TokenError::new(
                    "invalid_client",
                    "the client assertion has no `exp`",
                ));
            }
        }
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
        return Ok(client);
    }
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

    #[test]
    fn pkce_matches_rfc_7636_appendix_b() {
        assert_eq!(
            pkce_challenge("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"),
            "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
        );
    }
}
