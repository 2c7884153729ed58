//! The OpenID Connect exchanges, as pieces that `login` uses now and `validate`'s credentials probe
//! and CIBA use next: the token request with any grant ([`token`]), the userinfo call with its
//! content negotiation ([`userinfo`]), and the report a login fills ([`report`]). The provider's
//! endpoints come typed from [`crate::oidc::endpoints`]; the `WWW-Authenticate` grammar is
//! [`crate::http::challenge`]'s.

pub mod ciba;
pub mod report;
pub mod saved;
pub mod token;
pub mod userinfo;

use serde_json::Value;

use crate::oidc::validate::{Expectations, TokenKind};
use crate::token::inspect::{InspectOptions, TokenReport};

pub use report::{LoginReport, ProviderError, RawTokens, Refusal, Stopwatch, Timing};

/// What the tokens of one login must match (OpenID Connect Core §3.1.3.7, §5.3.4).
#[derive(Debug, Clone, Copy)]
pub struct Expect<'a> {
    /// The issuer the login ran against.
    pub issuer: &'a str,
    /// The client.
    pub client_id: &'a str,
    /// The authorization request's `nonce`; `None` in CIBA, whose requests carry none (PROTOCOL
    /// §9.3, §9.8.15), so a `nonce` in its ID token is not checked against anything.
    pub nonce: Option<&'a str>,
    /// The access token the token response carried (for `at_hash`).
    pub access_token: &'a str,
}

impl Expect<'_> {
    /// How to check the ID token, at `now`.
    pub fn id_token(&self, now: i64) -> InspectOptions {
        InspectOptions {
            expect: Expectations {
                issuer: Some(self.issuer.to_string()),
                client_id: Some(self.client_id.to_string()),
                nonce: self.nonce.map(str::to_string),
                access_token: Some(self.access_token.to_string()),
                expect_sub: None,
                ..Expectations::new(TokenKind::IdToken, now)
            },
            verify_signature: true,
        }
    }

    /// How to check the userinfo response, at `now`: its `sub` must be the ID token's `sub`
    /// (PROTOCOL §5).
    pub fn userinfo(&self, sub: Option<String>, now: i64) -> InspectOptions {
        InspectOptions {
            expect: Expectations {
                issuer: Some(self.issuer.to_string()),
                client_id: Some(self.client_id.to_string()),
                nonce: None,
                access_token: None,
                expect_sub: sub,
                ..Expectations::new(TokenKind::Userinfo, now)
            },
            verify_signature: true,
        }
    }
}

/// The `sub` claim of a checked token, if it has one.
pub fn subject(report: &TokenReport) -> Option<String> {
    report
        .claims
        .as_ref()
        .and_then(|c| c.get("sub"))
        .and_then(Value::as_str)
        .map(str::to_string)
}
