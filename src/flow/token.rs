//! The token request (OAuth 2.0 §4.1.3, §5; PROTOCOL §3, §5, §9.4): any grant, authenticated
//! with a private_key_jwt client assertion or a client secret, and the provider's answer typed.
//!
//! `login` sends the authorization code; `validate`'s credentials probe sends a deliberately
//! invalid code (PROTOCOL §8); CIBA polls with `urn:openid:params:grant-type:ciba`.

use serde_json::Value;
use url::Url;

use super::report::{ProviderError, Refusal};
use crate::http::Http;
use crate::itsme::errors::Stage;
use crate::jose::keys::KeyError;
use crate::oidc::client_auth::{self, AssertionAud, ClientCredentials};

/// The grant of a token request: `grant_type` and the fields that go with it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Grant {
    grant_type: String,
    fields: Vec<(&'static str, String)>,
}

impl Grant {
    /// Any grant: `grant_type` and its fields, sent in this order.
    pub fn new(grant_type: impl Into<String>, fields: Vec<(&'static str, String)>) -> Self {
        Grant {
            grant_type: grant_type.into(),
            fields,
        }
    }

    /// The authorization code grant: `code`, the `redirect_uri` of the authorization request
    /// (identical), and the PKCE `code_verifier` when there is one (PROTOCOL §3).
    pub fn authorization_code(code: &str, redirect_uri: &str, code_verifier: Option<&str>) -> Self {
        let mut fields = vec![
            ("code", code.to_string()),
            ("redirect_uri", redirect_uri.to_string()),
        ];
        fields.extend(code_verifier.map(|v| ("code_verifier", v.to_string())));
        Self::new("authorization_code", fields)
    }

    /// The CIBA grant for `auth_req_id` (PROTOCOL §9.4).
    pub fn ciba(auth_req_id: &str) -> Self {
        Self::new(
            "urn:openid:params:grant-type:ciba",
            vec![("auth_req_id", auth_req_id.to_string())],
        )
    }

    /// The `grant_type`.
    pub fn grant_type(&self) -> &str {
        &self.grant_type
    }
}

/// Who sends the token request.
#[derive(Clone, Copy)]
pub struct Client<'a> {
    /// The `client_id`.
    pub client_id: &'a str,
    /// How it authenticates.
    pub credentials: &'a ClientCredentials<'a>,
    /// The provider's issuer (the `aud` of an RFC 10070 assertion).
    pub issuer: &'a str,
    /// Which `aud` its client assertions carry (`--assertion-aud`).
    pub assertion_aud: AssertionAud,
}

/// A successful token response (HTTP 200), its JSON body as sent.
#[derive(Debug, Clone)]
pub struct TokenResponse {
    /// The body (`Value::Null` when it was not JSON).
    pub body: Value,
}

impl TokenResponse {
    /// `access_token`, if it is a string.
    pub fn access_token(&self) -> Option<&str> {
        self.body.get("access_token").and_then(Value::as_str)
    }

    /// `id_token`, if it is a string.
    pub fn id_token(&self) -> Option<&str> {
        self.body.get("id_token").and_then(Value::as_str)
    }

    /// `token_type`, if it is a string.
    pub fn token_type(&self) -> Option<&str> {
        self.body.get("token_type").and_then(Value::as_str)
    }

    /// The refusal of a response whose `token_type` is not `Bearer`, compared case-insensitively
    /// (RFC 6749 §5.1, §7.1: the member is required; OpenID Connect Core §3.1.3.3: its value MUST
    /// be `Bearer`): its access token is not one this client may send as `Authorization: Bearer`.
    /// `None` when the response is a Bearer one. Every grant's answer goes through it (`login`,
    /// CIBA's poll).
    pub fn refusal_unless_bearer(&self) -> Option<Refusal> {
        let token_type = self.token_type();
        if token_type.is_some_and(|t| t.eq_ignore_ascii_case("bearer")) {
            return None;
        }
        let received = match (token_type, self.body.get("token_type")) {
            (Some(t), _) => format!("its `token_type` is `{t}`"),
            (None, None) => "it has no `token_type`".to_string(),
            (None, Some(other)) => format!("its `token_type` is `{other}`, not a string"),
        };
        Some(Refusal {
            stage: "token",
            error: TOKEN_TYPE_NOT_BEARER.into(),
            description: None,
            meaning: Some(
                "the token response's `token_type` is not `Bearer` (OpenID Connect Core §3.1.3.3), so its tokens were not used",
            ),
            hint: Some(format!(
                "{received}: an OpenID Connect provider issues Bearer access tokens; check --issuer, and what answers at the token endpoint (`-v` shows the answer)"
            )),
        })
    }
}

/// The code of [`TokenResponse::refusal_unless_bearer`].
pub const TOKEN_TYPE_NOT_BEARER: &str = "token_type_not_bearer";

/// The refusal codes of the token response's own rules (the provider's codes are
/// `itsme::errors`'): documented in docs/troubleshooting.md, "Token endpoint errors".
pub const REFUSAL_CODES: &[&str] = &[TOKEN_TYPE_NOT_BEARER];

/// What the token endpoint answered.
#[derive(Debug, Clone)]
pub enum TokenAnswer {
    /// HTTP 200.
    Issued(TokenResponse),
    /// Any other status: the provider's error.
    Refused(ProviderError),
}

impl TokenAnswer {
    /// Reads the token endpoint's HTTP answer: 200 is a token response, anything else the
    /// provider's error (RFC 6749 §5.1, §5.2).
    pub fn from_http(status: u16, body: &[u8]) -> Self {
        let body: Value = serde_json::from_slice(body).unwrap_or(Value::Null);
        if status == 200 {
            TokenAnswer::Issued(TokenResponse { body })
        } else {
            TokenAnswer::Refused(ProviderError::from_json(status, &body))
        }
    }
}

/// Why no answer came back.
#[derive(Debug, thiserror::Error)]
pub enum TokenError {
    /// The client assertion could not be signed.
    #[error(transparent)]
    Assertion(#[from] KeyError),
    /// The request could not be sent or its answer read.
    #[error(transparent)]
    Send(anyhow::Error),
}

impl TokenError {
    /// As an error for `main` to print, keeping the hints of the HTTP layer.
    pub fn into_anyhow(self) -> anyhow::Error {
        match self {
            TokenError::Assertion(e) => anyhow::Error::new(e),
            TokenError::Send(e) => e,
        }
    }
}

/// The form of a token request: the grant's fields, then the client's authentication fields
/// (the assertion's `aud` is the token endpoint, PROTOCOL §3, or with `--assertion-aud issuer`
/// the issuer, RFC 10070; signed at `now`).
pub fn form(
    endpoint: &Url,
    client: Client<'_>,
    grant: &Grant,
    now: i64,
) -> Result<Vec<(&'static str, String)>, KeyError> {
    let mut form = vec![("grant_type", grant.grant_type.clone())];
    form.extend(grant.fields.iter().cloned());
    form.extend(client_auth::form_fields(
        client.credentials,
        client.client_id,
        client
            .assertion_aud
            .audience(client.issuer, endpoint.as_str()),
        now,
    )?);
    Ok(form)
}

/// Sends a token request for `grant` to `endpoint`, signed at `now`, and reads the answer.
pub fn request(
    http: &Http,
    endpoint: &Url,
    client: Client<'_>,
    grant: &Grant,
    now: i64,
) -> Result<TokenAnswer, TokenError> {
    let form = form(endpoint, client, grant, now)?;
    let response = http.post_form(endpoint, &form).map_err(TokenError::Send)?;
    Ok(TokenAnswer::from_http(response.status, &response.body))
}

/// The refusal of a token request, with a hint for this client's method when the provider did
/// not accept the client (`invalid_client`, `unauthorized_client`): the generic hint speaks of
/// keys. With private_key_jwt it names the assertion's `aud` form and the other one: a provider
/// may take only one of itsme®'s documented form and RFC 10070's (PROTOCOL §3).
pub fn refusal(answer: &ProviderError, client: Client<'_>) -> Refusal {
    let mut refused = Refusal::from_provider(Stage::Token, answer);
    if matches!(
        refused.error.as_str(),
        "invalid_client" | "unauthorized_client"
    ) {
        refused.hint = Some(match client.credentials {
            ClientCredentials::Secret(_) => "check the client secret (ITSME_CLIENT_SECRET) and --client-id: the provider did not accept them".to_string(),
            ClientCredentials::PrivateKeyJwt(key) => {
                let other = client.assertion_aud.other();
                format!(
                    "check that your signing key `{}` is published at your jwks_uri with that kid, that --client-id is right, and that your clock is right (the assertion's exp); the assertion was sent with {}: if the provider wants {}, pass --assertion-aud {} (`itsme-cli validate` tries both)",
                    key.kid,
                    client.assertion_aud.describe(),
                    other.describe(),
                    other.name()
                )
            }
        });
    }
    refused
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::secret::Secret;

    fn names(form: &[(&'static str, String)]) -> Vec<&'static str> {
        form.iter().map(|(name, _)| *name).collect()
    }

    #[test]
    fn the_grant_comes_first_then_the_client() {
        let endpoint = Url::parse("https://idp.example/v2/token").unwrap();
        let secret = Secret::new("s3cret");
        let credentials = ClientCredentials::Secret(&secret);
        let client = Client {
            client_id: "me",
            credentials: &credentials,
            issuer: "https://idp.example/v2",
            assertion_aud: AssertionAud::TokenEndpoint,
        };
        let code = Grant::authorization_code("c0de", "https://rp.example/cb", Some("v"));
        assert_eq!(
            names(&form(&endpoint, client, &code, 0).unwrap()),
            [
                "grant_type",
                "code",
                "redirect_uri",
                "code_verifier",
                "client_id",
                "client_secret"
            ]
        );
        let probe = Grant::authorization_code("0000", "", None);
        assert_eq!(
            names(&form(&endpoint, client, &probe, 0).unwrap())[..3],
            ["grant_type", "code", "redirect_uri"]
        );
        let ciba = form(&endpoint, client, &Grant::ciba("req-1"), 0).unwrap();
        assert_eq!(
            ciba[..2],
            [
                (
                    "grant_type",
                    "urn:openid:params:grant-type:ciba".to_string()
                ),
                ("auth_req_id", "req-1".to_string())
            ]
        );
    }

    #[test]
    fn only_bearer_token_responses_are_used() {
        let response = |body: Value| TokenResponse { body };
        for bearer in ["Bearer", "bearer", "BEARER", "bEaReR"] {
            let answer = response(serde_json::json!({"access_token": "a", "token_type": bearer}));
            assert!(answer.refusal_unless_bearer().is_none(), "{bearer}");
        }
        for (body, received) in [
            (
                serde_json::json!({"token_type": "mac"}),
                "`token_type` is `mac`",
            ),
            (
                serde_json::json!({"token_type": "DPoP"}),
                "`token_type` is `DPoP`",
            ),
            (
                serde_json::json!({"token_type": "Bearer "}),
                "`token_type` is `Bearer `",
            ),
            (
                serde_json::json!({"token_type": "N_A"}),
                "`token_type` is `N_A`",
            ),
            (serde_json::json!({"access_token": "a"}), "no `token_type`"),
            (serde_json::json!({"token_type": 1}), "not a string"),
            (Value::Null, "no `token_type`"),
        ] {
            let refused = response(body.clone())
                .refusal_unless_bearer()
                .unwrap_or_else(|| panic!("{body} was accepted"));
            assert_eq!(
                (refused.stage, refused.error.as_str()),
                ("token", "token_type_not_bearer")
            );
            assert!(refused.hint.unwrap().contains(received), "{body}");
        }
    }

    #[test]
    fn a_refused_client_gets_the_hint_of_its_method() {
        let secret = Secret::new("s3cret");
        let answer = ProviderError {
            status: 401,
            error: Some("invalid_client".into()),
            description: None,
        };
        let credentials = ClientCredentials::Secret(&secret);
        let client = Client {
            client_id: "me",
            credentials: &credentials,
            issuer: "https://idp.example/v2",
            assertion_aud: AssertionAud::TokenEndpoint,
        };
        let refused = refusal(&answer, client);
        assert_eq!(refused.stage, "token");
        assert!(refused.hint.unwrap().contains("ITSME_CLIENT_SECRET"));
        let key = crate::jose::keys::PrivateKey::generate(2048, "sig", "RS256").unwrap();
        let credentials = ClientCredentials::PrivateKeyJwt(&key);
        for (sent, suggested) in [
            (AssertionAud::TokenEndpoint, "--assertion-aud issuer"),
            (AssertionAud::Issuer, "--assertion-aud token-endpoint"),
        ] {
            let client = Client {
                credentials: &credentials,
                assertion_aud: sent,
                ..client
            };
            let hint = refusal(&answer, client).hint.unwrap();
            assert!(
                hint.contains(&key.kid) && hint.contains(suggested),
                "{hint}"
            );
        }
    }
}
