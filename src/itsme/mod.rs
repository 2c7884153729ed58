//! What is specific to itsme®: environments, the claim catalogue, check digits, photos.
//! Facts come from `shared/itsme/PROTOCOL.md`; each rule cites its section.

pub mod acr;
pub mod catalogue;
pub mod check_digits;
pub mod ciba;
pub mod claim_checks;
pub mod claims_parameter;
pub mod confirmation;
pub mod errors;
pub mod photo;
pub mod scope;

/// Prefix of every itsme®-specific claim name (PROTOCOL §6).
pub const CLAIM_PREFIX: &str = "http://itsme.services/v2/claim/";

/// The named itsme® environments (PROTOCOL §1).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "snake_case")]
pub enum Environment {
    /// itsme®'s test environment (E2E), for integration tests with the itsme® test app (not the
    /// built-in `sandbox`).
    E2e,
    /// Production.
    Prd,
}

impl Environment {
    /// The issuer URL, exactly as it appears in `iss` (PROTOCOL §1).
    pub fn issuer(self) -> &'static str {
        match self {
            Environment::E2e => "https://idp.e2e.itsme.services/v2",
            Environment::Prd => "https://idp.prd.itsme.services/v2",
        }
    }
}

/// `itsme:NAME` for `http://itsme.services/v2/claim/NAME`, the name unchanged otherwise.
pub fn short_claim_name(name: &str) -> std::borrow::Cow<'_, str> {
    match name.strip_prefix(CLAIM_PREFIX) {
        Some(rest) => format!("itsme:{rest}").into(),
        None => name.into(),
    }
}

/// The full claim name for a short one: `itsme:X` and bare itsme® names (e.g. `BENationalNumber`)
/// become `http://itsme.services/v2/claim/X`; standard OpenID claims stay as they are.
pub fn full_claim_name(name: &str) -> String {
    if let Some(rest) = name.strip_prefix("itsme:") {
        return format!("{CLAIM_PREFIX}{rest}");
    }
    if name.starts_with("http://") || name.starts_with("https://") {
        return name.to_string();
    }
    let prefixed = format!("{CLAIM_PREFIX}{name}");
    if catalogue::lookup(&prefixed).is_some() {
        prefixed
    } else {
        name.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_and_full_names_round_trip() {
        let full = "http://itsme.services/v2/claim/BENationalNumber";
        assert_eq!(short_claim_name(full), "itsme:BENationalNumber");
        assert_eq!(full_claim_name("itsme:BENationalNumber"), full);
        assert_eq!(full_claim_name("BENationalNumber"), full);
        assert_eq!(full_claim_name("given_name"), "given_name");
        assert_eq!(short_claim_name("sub"), "sub");
    }
}
