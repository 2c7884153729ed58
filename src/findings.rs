//! The stable codes of everything `decode-token` (and every command that validates a token) can
//! report. Codes are part of the JSON contract: add new ones, never rename.

use crate::codes::stable_codes;
use serde::Serialize;

stable_codes! {
    /// A stable code for a token problem (an error) or a remark (a warning).
    pub enum Code {
        // Errors: the token is not valid.
        /// Not a well-formed compact JWS/JWE, or its JSON is broken.
        Malformed => "malformed",
        /// No key or secret decrypted the JWE.
        DecryptionFailed => "decryption_failed",
        /// The JWE needs a key or secret that was not given.
        NoDecryptionKey => "no_decryption_key",
        /// The header names an algorithm the tool refuses (`none`, HS256 without a secret, …).
        AlgNotAllowed => "alg_not_allowed",
        /// No provider key has the `kid` the signature names.
        KidUnknown => "kid_unknown",
        /// The signature does not verify.
        SignatureInvalid => "signature_invalid",
        /// The provider key the signature names is refused by the key rules (`key_rules::screen`:
        /// e.g. a public exponent of 1, with which anyone can forge a signature).
        ProviderKeyRefused => "provider_key_refused",
        /// The header lists a critical extension the tool does not understand.
        CritUnsupported => "crit_unsupported",
        /// The header's `typ` (or a JWE's `cty`) says it is another kind of token (`at+jwt`, …).
        TypNotAllowed => "typ_not_allowed",
        /// The content is encrypted but not signed.
        NotSigned => "not_signed",
        /// A registered claim has the wrong JSON type.
        ClaimInvalid => "claim_invalid",
        /// `iss` is missing or differs from the expected issuer.
        IssuerMismatch => "issuer_mismatch",
        /// `aud` is missing or does not contain the client_id.
        AudienceMismatch => "audience_mismatch",
        /// `azp` is present and differs from the client_id.
        AzpMismatch => "azp_mismatch",
        /// `exp` is in the past.
        Expired => "expired",
        /// An ID token without `exp`.
        ExpMissing => "exp_missing",
        /// `nbf` is in the future.
        NotYetValid => "not_yet_valid",
        /// An ID token without `iat`.
        IatMissing => "iat_missing",
        /// No `sub`.
        SubMissing => "sub_missing",
        /// `nonce` is missing or differs from the expected one.
        NonceMismatch => "nonce_mismatch",
        /// `at_hash` does not match the access token.
        AtHashMismatch => "at_hash_mismatch",
        /// `sub` differs from the expected one.
        SubMismatch => "sub_mismatch",
        /// A request object in a form the provider does not take (legacy HS256 at a v2 provider,
        /// encrypted at a legacy one), or signed only where it must be encrypted (a warning).
        RequestObjectForm => "request_object_form",
        /// A request object's `aud` is not the one its provider expects (the older
        /// `/authorization` form: a warning).
        RequestObjectAudience => "request_object_audience",
        /// A request object's own parameters are wrong: `iss` ≠ `client_id`, no `client_id`,
        /// `response_type` not `code`, no `openid` scope.
        RequestObjectClaims => "request_object_claims",
        // Warnings: worth knowing, not fatal.
        /// Several audiences and no `azp`.
        MultipleAudiences => "multiple_audiences",
        /// `iat` is in the future.
        IatInFuture => "iat_in_future",
        /// The JWE header's `kid` is not among the keys; another key decrypted it.
        JweKidUnknown => "jwe_kid_unknown",
        /// A Belgian national number whose check digits are wrong.
        NationalNumberCheckDigits => "national_number_check_digits",
        /// A Belgian card number whose check digits are wrong.
        CardNumberCheckDigits => "card_number_check_digits",
        /// `physical_person_photo` is not a readable image.
        PhotoUnreadable => "photo_unreadable",
        /// A request object whose `aud` is the authorization endpoint, as older itsme® guides said,
        /// not the issuer (PROTOCOL §4). Also reported by the sandbox, which accepts it.
        RequestObjectAudAuthorizationEndpoint => "request_object_aud_authorization_endpoint",
    }
}

/// One reported problem or remark: a stable code and a sentence for people.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    /// Stable code.
    pub code: Code,
    /// What is wrong, in words, with the values involved.
    pub message: String,
}

impl Finding {
    /// A finding.
    pub fn new(code: Code, message: impl Into<String>) -> Self {
        Finding {
            code,
            message: message.into(),
        }
    }
}

/// Something that was not checked because the expected value was not given, and how to give it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Unchecked {
    /// What was not checked (`issuer`, `audience`, `nonce`, `at_hash`, `signature`).
    pub check: &'static str,
    /// The option that enables the check.
    pub hint: &'static str,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_is_documented() {
        let doc = include_str!("../docs/decode-token.md");
        for code in Code::ALL {
            assert!(
                doc.contains(&format!("| `{}` |", code.as_str())),
                "docs/decode-token.md lacks `{code}`"
            );
        }
    }
}
