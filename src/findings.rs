//! The stable codes of everything `decode-token` (and every command that validates a token) can
//! report. Codes are part of the JSON contract: add new ones, never rename.

use serde::Serialize;

/// A stable code for a token problem (an error) or a remark (a warning).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Code {
    // Errors: the token is not valid.
    /// Not a well-formed compact JWS/JWE, or its JSON is broken.
    Malformed,
    /// No key or secret decrypted the JWE.
    DecryptionFailed,
    /// The JWE needs a key or secret that was not given.
    NoDecryptionKey,
    /// The header names an algorithm the tool refuses (`none`, HS256 without a secret, …).
    AlgNotAllowed,
    /// No provider key has the `kid` the signature names.
    KidUnknown,
    /// The signature does not verify.
    SignatureInvalid,
    /// The header lists a critical extension the tool does not understand.
    CritUnsupported,
    /// The content is encrypted but not signed.
    NotSigned,
    /// A registered claim has the wrong JSON type.
    ClaimInvalid,
    /// `iss` is missing or differs from the expected issuer.
    IssuerMismatch,
    /// `aud` is missing or does not contain the client_id.
    AudienceMismatch,
    /// `azp` is present and differs from the client_id.
    AzpMismatch,
    /// `exp` is in the past.
    Expired,
    /// An ID token without `exp`.
    ExpMissing,
    /// `nbf` is in the future.
    NotYetValid,
    /// An ID token without `iat`.
    IatMissing,
    /// No `sub`.
    SubMissing,
    /// `nonce` is missing or differs from the expected one.
    NonceMismatch,
    /// `at_hash` does not match the access token.
    AtHashMismatch,
    /// `sub` differs from the expected one.
    SubMismatch,
    // Warnings: worth knowing, not fatal.
    /// Several audiences and no `azp`.
    MultipleAudiences,
    /// `iat` is in the future.
    IatInFuture,
    /// The JWE header's `kid` is not among the keys; another key decrypted it.
    JweKidUnknown,
    /// A Belgian national number whose check digits are wrong.
    NationalNumberCheckDigits,
    /// A Belgian card number whose check digits are wrong.
    CardNumberCheckDigits,
    /// `physical_person_photo` is not a readable image.
    PhotoUnreadable,
}

impl Code {
    /// Every code, errors first.
    pub const ALL: [Code; 26] = [
        Code::Malformed,
        Code::DecryptionFailed,
        Code::NoDecryptionKey,
        Code::AlgNotAllowed,
        Code::KidUnknown,
        Code::SignatureInvalid,
        Code::CritUnsupported,
        Code::NotSigned,
        Code::ClaimInvalid,
        Code::IssuerMismatch,
        Code::AudienceMismatch,
        Code::AzpMismatch,
        Code::Expired,
        Code::ExpMissing,
        Code::NotYetValid,
        Code::IatMissing,
        Code::SubMissing,
        Code::NonceMismatch,
        Code::AtHashMismatch,
        Code::SubMismatch,
        Code::MultipleAudiences,
        Code::IatInFuture,
        Code::JweKidUnknown,
        Code::NationalNumberCheckDigits,
        Code::CardNumberCheckDigits,
        Code::PhotoUnreadable,
    ];

    /// The code as it appears in JSON.
    pub fn as_str(self) -> &'static str {
        // Keep this list in step with the enum (checked by a unit test).
        match self {
            Code::Malformed => "malformed",
            Code::DecryptionFailed => "decryption_failed",
            Code::NoDecryptionKey => "no_decryption_key",
            Code::AlgNotAllowed => "alg_not_allowed",
            Code::KidUnknown => "kid_unknown",
            Code::SignatureInvalid => "signature_invalid",
            Code::CritUnsupported => "crit_unsupported",
            Code::NotSigned => "not_signed",
            Code::ClaimInvalid => "claim_invalid",
            Code::IssuerMismatch => "issuer_mismatch",
            Code::AudienceMismatch => "audience_mismatch",
            Code::AzpMismatch => "azp_mismatch",
            Code::Expired => "expired",
            Code::ExpMissing => "exp_missing",
            Code::NotYetValid => "not_yet_valid",
            Code::IatMissing => "iat_missing",
            Code::SubMissing => "sub_missing",
            Code::NonceMismatch => "nonce_mismatch",
            Code::AtHashMismatch => "at_hash_mismatch",
            Code::SubMismatch => "sub_mismatch",
            Code::MultipleAudiences => "multiple_audiences",
            Code::IatInFuture => "iat_in_future",
            Code::JweKidUnknown => "jwe_kid_unknown",
            Code::NationalNumberCheckDigits => "national_number_check_digits",
            Code::CardNumberCheckDigits => "card_number_check_digits",
            Code::PhotoUnreadable => "photo_unreadable",
        }
    }
}

impl std::fmt::Display for Code {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
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
    fn as_str_matches_serde_for_every_code() {
        for code in Code::ALL {
            assert_eq!(
                serde_json::to_value(code).unwrap(),
                serde_json::Value::String(code.as_str().into())
            );
        }
    }

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
