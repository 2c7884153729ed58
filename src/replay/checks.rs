//! The checks across exchanges of a recorded login, each with a stable code. Every check calls
//! the rule that already decides it elsewhere: the authorization request rules
//! (`oidc::request_rules`, and `sandbox::authorize::merge_request_object` for a readable request
//! object), PKCE (`sandbox::tokens::check_code_verifier`), the client assertion
//! (`sandbox::tokens::check_assertion_claims`, `verify_assertion`), the tokens (`token::inspect`,
//! whose nonce and `sub` findings the nonce and userinfo-`sub` checks read), the error meanings
//! (`itsme::errors`).

use serde::Serialize;

use crate::codes::stable_codes;

stable_codes! {
    /// A check across the exchanges of a HAR file (`decode-token --har`).
    pub enum CheckCode {
        /// The authorization request against PROTOCOL §4.
        AuthorizationRequest => "har_authorization_request",
        /// The `state` sent came back unchanged.
        State => "har_state",
        /// The ID token's `nonce` is the one sent.
        Nonce => "har_nonce",
        /// The `code_verifier` of the token request matches the `code_challenge` (S256).
        Pkce => "har_pkce",
        /// The code redeemed is the code the callback received.
        Code => "har_code",
        /// The token request's `redirect_uri` is the authorization request's, byte for byte.
        RedirectUri => "har_redirect_uri",
        /// The client assertion's claims (and signature, with `--keys`).
        ClientAssertion => "har_client_assertion",
        /// The ID token decrypted, verified and validated.
        IdToken => "har_id_token",
        /// The userinfo answer decrypted, verified and validated.
        Userinfo => "har_userinfo",
        /// The userinfo's `sub` is the ID token's.
        UserinfoSub => "har_userinfo_sub",
        /// The provider answered with an error.
        ErrorAnswer => "har_error_answer",
    }
}

/// How a check came out: `validate`'s statuses (`pass`, `warn`, `fail`, `skip`, the reason of a
/// skip in the message: an exchange the HAR does not hold, a value it cannot read).
pub use crate::audit::Status;

/// One check's result.
#[derive(Debug, Clone, Serialize)]
pub struct Check {
    /// Stable code.
    pub code: CheckCode,
    /// The result.
    pub status: Status,
    /// What was compared, or why it could not be.
    pub message: String,
    /// The exchanges it is about (timeline numbers).
    pub exchanges: Vec<usize>,
    /// What to do, for a failure the provider explained (`itsme::errors`).
    pub hint: Option<String>,
}

impl Check {
    /// A check about `exchanges`.
    pub fn new(
        code: CheckCode,
        status: Status,
        message: impl Into<String>,
        exchanges: &[usize],
    ) -> Self {
        Check {
            code,
            status,
            message: message.into(),
            exchanges: exchanges.to_vec(),
            hint: None,
        }
    }

    /// Skipped, for `why`.
    pub fn skipped(code: CheckCode, why: impl Into<String>) -> Self {
        Check::new(code, Status::Skip, why, &[])
    }
}
