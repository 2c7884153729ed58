//! Client authentication at the token endpoint (PROTOCOL §3): the private_key_jwt client assertion,
//! and the form fields of either method.

use serde_json::json;

use crate::jose::crypto;
use crate::jose::keys::{KeyError, PrivateKey};
use crate::secret::Secret;

/// The `client_assertion_type` of private_key_jwt (RFC 7523).
pub const ASSERTION_TYPE: &str = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

/// How the client proves who it is.
pub enum ClientCredentials<'a> {
    /// A client assertion signed with the partner's `sig` key.
    PrivateKeyJwt(&'a PrivateKey),
    /// `client_secret_post`.
    Secret(&'a Secret),
}

/// A client assertion: RS256 by the `sig` key (header `kid`), `iss` = `sub` = client_id, `aud` =
/// the token endpoint, a fresh `jti` (used once), `iat`, and `exp` two minutes later.
pub fn client_assertion(
    key: &PrivateKey,
    client_id: &str,
    token_endpoint: &str,
    now: i64,
) -> Result<String, KeyError> {
    let claims = json!({
        "iss": client_id,
        "sub": client_id,
        "aud": token_endpoint,
        "jti": super::authorization::random_token(24),
        "iat": now,
        "exp": now + 120,
    });
    crypto::sign_rs256(key, None, claims.to_string().as_bytes())
}

/// The authentication fields of a token request (to add to its form); fails only when the key
/// cannot sign.
pub fn form_fields(
    credentials: &ClientCredentials<'_>,
    client_id: &str,
    token_endpoint: &str,
    now: i64,
) -> Result<Vec<(&'static str, String)>, KeyError> {
    Ok(match credentials {
        ClientCredentials::PrivateKeyJwt(key) => vec![
            ("client_id", client_id.to_string()),
            ("client_assertion_type", ASSERTION_TYPE.to_string()),
            (
                "client_assertion",
                client_assertion(key, client_id, token_endpoint, now)?,
            ),
        ],
        ClientCredentials::Secret(secret) => vec![
            ("client_id", client_id.to_string()),
            ("client_secret", secret.expose().to_string()),
        ],
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::jose::keys::PublicKeySet;
    use crate::sandbox::config::{Client, ClientAuth};
    use crate::sandbox::tokens::authenticate;

    #[test]
    fn the_sandbox_accepts_our_assertions_once_and_our_secrets() {
        let key = PrivateKey::generate(2048, "sig", "RS256").unwrap();
        let secret = Secret::new("s3cret-s3cret");
        let endpoint = "http://127.0.0.1:9/v2/token";
        let clients = vec![
            Client {
                client_id: "jwt".into(),
                auth: ClientAuth::PrivateKeyJwt(
                    PublicKeySet::parse(
                        PublicKeySet::document(&[key.public_jwk()])
                            .to_string()
                            .as_bytes(),
                    )
                    .unwrap(),
                ),
                redirect_uris: vec![],
                services: vec![],
                require_pkce: false,
            },
            Client {
                client_id: "sec".into(),
                auth: ClientAuth::Secret(secret.clone()),
                redirect_uris: vec![],
                services: vec![],
                require_pkce: false,
            },
        ];
        let now = crate::timefmt::now();
        let mut seen = std::collections::HashSet::new();
        let form = |fields: Vec<(&'static str, String)>| {
            fields
                .into_iter()
                .map(|(k, v)| (k.to_string(), serde_json::Value::String(v)))
                .collect()
        };
        let jwt = form(
            form_fields(
                &ClientCredentials::PrivateKeyJwt(&key),
                "jwt",
                endpoint,
                now,
            )
            .unwrap(),
        );
        assert_eq!(
            authenticate(&jwt, &clients, endpoint, now, &mut seen).map(|c| c.client_id.as_str()),
            Ok("jwt")
        );
        assert!(
            authenticate(&jwt, &clients, endpoint, now, &mut seen).is_err(),
            "an assertion works once"
        );
        let sec =
            form(form_fields(&ClientCredentials::Secret(&secret), "sec", endpoint, now).unwrap());
        assert_eq!(
            authenticate(&sec, &clients, endpoint, now, &mut seen).map(|c| c.client_id.as_str()),
            Ok("sec")
        );
    }
}
