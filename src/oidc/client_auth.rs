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

/// The JOSE header `typ` of a client assertion in the form of RFC 10070 (which updates RFC 7523).
pub const RFC_10070_TYP: &str = "client-authentication+jwt";

/// Which `aud` this tool's client assertions carry (`--assertion-aud`, `ITSME_ASSERTION_AUD`, a
/// profile's `assertion_aud`).
#[derive(
    Debug,
    Clone,
    Copy,
    Default,
    PartialEq,
    Eq,
    clap::ValueEnum,
    serde::Serialize,
    serde::Deserialize,
)]
#[serde(rename_all = "kebab-case")]
pub enum AssertionAud {
    /// The token endpoint URL, as itsme® documents (the default).
    #[default]
    TokenEndpoint,
    /// The issuer identifier, with the header `typ: client-authentication+jwt` (RFC 10070).
    Issuer,
}

impl AssertionAud {
    /// Both forms, the documented one first.
    pub const BOTH: [AssertionAud; 2] = [AssertionAud::TokenEndpoint, AssertionAud::Issuer];

    /// The `aud` and `typ` of an assertion for the provider `issuer` at its `token_endpoint`:
    /// itsme® documents the token endpoint (PROTOCOL §3, every version); RFC 10070 makes the
    /// issuer identifier, as a single string, the only allowed value and adds the `typ`.
    pub fn audience<'a>(self, issuer: &'a str, token_endpoint: &'a str) -> Audience<'a> {
        match self {
            AssertionAud::TokenEndpoint => Audience {
                aud: token_endpoint,
                typ: None,
            },
            AssertionAud::Issuer => Audience {
                aud: issuer,
                typ: Some(RFC_10070_TYP),
            },
        }
    }

    /// Its name as typed: `token-endpoint`, `issuer`.
    pub fn name(self) -> &'static str {
        match self {
            AssertionAud::TokenEndpoint => "token-endpoint",
            AssertionAud::Issuer => "issuer",
        }
    }

    /// The other form.
    pub fn other(self) -> AssertionAud {
        match self {
            AssertionAud::TokenEndpoint => AssertionAud::Issuer,
            AssertionAud::Issuer => AssertionAud::TokenEndpoint,
        }
    }

    /// The form in words, for messages.
    pub fn describe(self) -> &'static str {
        match self {
            AssertionAud::TokenEndpoint => {
                "`aud` = the token endpoint (what itsme® documents, docs/itsme-facts.md#client-authentication)"
            }
            AssertionAud::Issuer => {
                "`aud` = the issuer with `typ: client-authentication+jwt` (RFC 10070)"
            }
        }
    }
}

/// The `aud` of one client assertion and its JOSE header `typ` (none: no `typ` member). Any
/// audience can be given: the CIBA endpoints document their own (PROTOCOL §9.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Audience<'a> {
    /// The `aud` claim, sent as a single string.
    pub aud: &'a str,
    /// The header `typ`.
    pub typ: Option<&'a str>,
}

/// A client assertion: RS256 by the `sig` key (header `kid`, and `typ` when `audience` has one),
/// `iss` = `sub` = client_id, `aud` as given, a fresh `jti` (used once), `iat`, and `exp` two
/// minutes later.
pub fn client_assertion(
    key: &PrivateKey,
    client_id: &str,
    audience: Audience<'_>,
    now: i64,
) -> Result<String, KeyError> {
    let claims = json!({
        "iss": client_id,
        "sub": client_id,
        "aud": audience.aud,
        "jti": super::authorization::random_token(24),
        "iat": now,
        "exp": now + 120,
    });
    crypto::sign_rs256(key, audience.typ, claims.to_string().as_bytes())
}

/// The authentication fields of a token request (to add to its form); fails only when the key
/// cannot sign. `audience` is used by private_key_jwt only.
pub fn form_fields(
    credentials: &ClientCredentials<'_>,
    client_id: &str,
    audience: Audience<'_>,
    now: i64,
) -> Result<Vec<(&'static str, String)>, KeyError> {
    Ok(match credentials {
        ClientCredentials::PrivateKeyJwt(key) => vec![
            ("client_id", client_id.to_string()),
            ("client_assertion_type", ASSERTION_TYPE.to_string()),
            (
                "client_assertion",
                client_assertion(key, client_id, audience, now)?,
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
    use crate::sandbox::config::{AcceptedAssertionAud, Client, ClientAuth};
    use crate::sandbox::tokens::{AssertionAudiences, authenticate};

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
        let issuer = "http://127.0.0.1:9/v2";
        let documented = AssertionAud::TokenEndpoint.audience(issuer, endpoint);
        let audiences = AssertionAudiences {
            issuer,
            token_endpoint: endpoint,
            accepted: AcceptedAssertionAud::TokenEndpoint,
        };
        let jwt = form(
            form_fields(
                &ClientCredentials::PrivateKeyJwt(&key),
                "jwt",
                documented,
                now,
            )
            .unwrap(),
        );
        assert_eq!(
            authenticate(&jwt, &clients, &audiences, now, &mut seen).map(|c| c.client_id.as_str()),
            Ok("jwt")
        );
        assert!(
            authenticate(&jwt, &clients, &audiences, now, &mut seen).is_err(),
            "an assertion works once"
        );
        let sec =
            form(form_fields(&ClientCredentials::Secret(&secret), "sec", documented, now).unwrap());
        assert_eq!(
            authenticate(&sec, &clients, &audiences, now, &mut seen).map(|c| c.client_id.as_str()),
            Ok("sec")
        );
        // Each form against each policy of the sandbox: accepted exactly where it should be.
        for (accepted, takes) in [
            (AcceptedAssertionAud::TokenEndpoint, [true, false]),
            (AcceptedAssertionAud::Either, [true, true]),
            (AcceptedAssertionAud::Issuer, [false, true]),
        ] {
            let audiences = AssertionAudiences {
                accepted,
                ..audiences
            };
            for (form_, expected) in AssertionAud::BOTH.into_iter().zip(takes) {
                let fields = form_fields(
                    &ClientCredentials::PrivateKeyJwt(&key),
                    "jwt",
                    form_.audience(issuer, endpoint),
                    now,
                )
                .unwrap();
                let answer = authenticate(&form(fields), &clients, &audiences, now, &mut seen);
                match answer {
                    Ok(_) => assert!(expected, "{form_:?} accepted under {accepted:?}"),
                    Err(refused) => {
                        assert!(
                            !expected,
                            "{form_:?} refused under {accepted:?}: {refused:?}"
                        );
                        assert_eq!(refused.error, "invalid_client");
                        for named in [endpoint, issuer, "RFC 10070", "modifyAssertion"] {
                            assert!(refused.description.contains(named), "{named}: {refused:?}");
                        }
                    }
                }
            }
        }
        // RFC 10070's `typ` with the token endpoint contradicts itself: refused in every mode.
        let mixed = Audience {
            aud: endpoint,
            typ: Some(RFC_10070_TYP),
        };
        let fields =
            form_fields(&ClientCredentials::PrivateKeyJwt(&key), "jwt", mixed, now).unwrap();
        let either = AssertionAudiences {
            accepted: AcceptedAssertionAud::Either,
            ..audiences
        };
        let refused = authenticate(&form(fields), &clients, &either, now, &mut seen).unwrap_err();
        assert!(
            refused.description.contains("declares RFC 10070"),
            "{refused:?}"
        );
    }

    #[test]
    fn the_issuer_form_carries_the_rfc_10070_typ_and_a_single_audience() {
        let key = PrivateKey::generate(2048, "sig", "RS256").unwrap();
        let issuer = "https://idp.example/v2";
        let endpoint = "https://idp.example/v2/token";
        for (form, aud, typ) in [
            (AssertionAud::TokenEndpoint, endpoint, None),
            (AssertionAud::Issuer, issuer, Some(RFC_10070_TYP)),
        ] {
            let jwt = client_assertion(&key, "me", form.audience(issuer, endpoint), 0).unwrap();
            let Ok(crate::jose::compact::Compact::Jws(jws)) = crate::jose::compact::parse(&jwt)
            else {
                panic!("a JWS");
            };
            assert_eq!(
                crate::jose::compact::header_str(&jws.header, "typ"),
                typ,
                "{form:?}"
            );
            let claims = crate::jose::compact::parse_claims(&jws.payload, "assertion").unwrap();
            assert_eq!(
                claims["aud"],
                serde_json::json!(aud),
                "{form:?}: one string"
            );
            assert_eq!(
                (claims["iss"].as_str(), claims["sub"].as_str()),
                (Some("me"), Some("me"))
            );
        }
        // Any audience for any endpoint (CIBA's discovery sessions document their own).
        let ciba = Audience {
            aud: "https://idp.example/v2/backchannel/authentication",
            typ: None,
        };
        assert!(client_assertion(&key, "me", ciba, 0).is_ok());
    }
}
