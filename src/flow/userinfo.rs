//! The userinfo call (OpenID Connect Core §5.3; PROTOCOL §5): `GET` with the access token, the
//! answer negotiated as a JWT (signed, or signed and encrypted: a JWS or a JWE) or plain JSON, and
//! an error read from the body or, failing that, from the `WWW-Authenticate` challenge (RFC 6750 §3).

use serde_json::{Map, Value};
use url::Url;

use super::Expect;
use super::report::{ProviderError, Refusal};
use crate::findings::Code;
use crate::http::Http;
use crate::http::challenge::bearer_error;
use crate::itsme::errors::Stage;
use crate::oidc::validate::TokenKind;
use crate::token::inspect::{self, InspectOptions, Keyring, TokenReport};

/// The media types asked for, the JWT first.
pub const ACCEPT: &str = "application/jwt, application/json";

/// A userinfo answer.
#[derive(Debug, Clone)]
pub struct Userinfo {
    /// The body as received (lossily decoded as UTF-8).
    pub raw: String,
    /// What it says.
    pub answer: UserinfoAnswer,
}

/// What a userinfo answer says.
#[derive(Debug, Clone)]
pub enum UserinfoAnswer {
    /// Not HTTP 200: the provider's error.
    Refused(ProviderError),
    /// HTTP 200: the claims, in one of three forms.
    Claims(UserinfoBody),
}

/// The body of a successful userinfo answer.
#[derive(Debug, Clone)]
pub enum UserinfoBody {
    /// `Content-Type: application/jwt`: a JWS, or a JWE around one (trimmed).
    Jwt(String),
    /// A JSON object: the claims, neither signed nor encrypted.
    Json(Map<String, Value>),
    /// Neither: the media type it came with (lowercase, without parameters).
    Neither {
        /// The media type.
        media_type: String,
    },
}

/// Calls `endpoint` with `access_token` and reads the answer.
pub fn fetch(http: &Http, endpoint: &Url, access_token: &str) -> anyhow::Result<Userinfo> {
    let response = http.get_bearer(endpoint, access_token, ACCEPT)?;
    let raw = String::from_utf8_lossy(&response.body).into_owned();
    let answer = if response.status != 200 {
        let body: Value = serde_json::from_str(&raw).unwrap_or(Value::Null);
        let mut error = ProviderError::from_json(response.status, &body);
        // RFC 6750 §3: a protected resource may say why only in `WWW-Authenticate`.
        if body.get("error").is_none()
            && let Some(challenge) = response.header("www-authenticate").and_then(bearer_error)
        {
            error.error = Some(challenge.error);
            error.description = challenge.description;
        }
        UserinfoAnswer::Refused(error)
    } else {
        UserinfoAnswer::Claims(negotiate(response.header("content-type"), &raw))
    };
    Ok(Userinfo { raw, answer })
}

/// The userinfo call after a token response, judged (PROTOCOL §5): the provider's refusal, or the
/// claims decrypted, verified and checked against `expect`, their `sub` being `sub` (the ID
/// token's, when there is one). `protected`: a private_key_jwt client, to whom itsme® signs and
/// encrypts userinfo. `login` and `ciba` both call it. The body as received comes back too.
pub fn check(
    http: &Http,
    endpoint: &Url,
    expect: &Expect<'_>,
    sub: Option<String>,
    keyring: &mut Keyring,
    protected: bool,
) -> anyhow::Result<(Result<TokenReport, Refusal>, String)> {
    let answer = fetch(http, endpoint, expect.access_token)?;
    let verdict = match answer.answer {
        UserinfoAnswer::Refused(refused) => Err(Refusal::from_provider(Stage::Userinfo, &refused)),
        UserinfoAnswer::Claims(body) => {
            let options = expect.userinfo(sub, crate::timefmt::now());
            Ok(body.verify(keyring, &options, protected)?)
        }
    };
    Ok((verdict, answer.raw))
}

/// Reads a successful body by its `Content-Type`: `application/jwt` is a JWT, anything else must
/// be a JSON object.
pub fn negotiate(content_type: Option<&str>, body: &str) -> UserinfoBody {
    let media_type = content_type
        .unwrap_or("")
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    if media_type == "application/jwt" {
        return UserinfoBody::Jwt(body.trim().to_string());
    }
    match serde_json::from_str::<Value>(body) {
        Ok(Value::Object(claims)) => UserinfoBody::Json(claims),
        _ => UserinfoBody::Neither { media_type },
    }
}

impl UserinfoBody {
    /// Decrypts, verifies and checks the claims against `options`. With `expect_protected` (a
    /// private_key_jwt client, to whom itsme® signs and encrypts userinfo, PROTOCOL §5), plain
    /// JSON is warned about.
    pub fn verify(
        self,
        keyring: &mut Keyring,
        options: &InspectOptions,
        expect_protected: bool,
    ) -> anyhow::Result<TokenReport> {
        Ok(match self {
            UserinfoBody::Jwt(token) => inspect::inspect(&token, keyring, options)?,
            UserinfoBody::Json(claims) => {
                let mut plain = inspect::inspect_claims(claims, options);
                if expect_protected {
                    plain.warning(Code::NotSigned, "the userinfo response is plain JSON, neither signed nor encrypted: itsme® signs and encrypts it for private_key_jwt clients (docs/itsme-facts.md#tokens-and-userinfo), so something in between answered, or the client is registered without userinfo encryption");
                }
                plain
            }
            UserinfoBody::Neither { media_type } => TokenReport::malformed(
                TokenKind::Userinfo,
                format!(
                    "the userinfo response is neither a JWT nor a JSON object (Content-Type `{media_type}`)"
                ),
            ),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_content_type_decides_the_form() {
        assert!(matches!(
            negotiate(Some("application/jwt; charset=utf-8"), " a.b.c\n"),
            UserinfoBody::Jwt(token) if token == "a.b.c"
        ));
        assert!(matches!(
            negotiate(Some("application/json"), r#"{"sub":"x"}"#),
            UserinfoBody::Json(claims) if claims["sub"] == "x"
        ));
        assert!(matches!(
            negotiate(None, r#"{"sub":"x"}"#),
            UserinfoBody::Json(_)
        ));
        assert!(matches!(
            negotiate(Some("Text/HTML"), "<p>hi</p>"),
            UserinfoBody::Neither { media_type } if media_type == "text/html"
        ));
        assert!(matches!(
            negotiate(Some("application/json"), "[1]"),
            UserinfoBody::Neither { .. }
        ));
    }
}
