//! What is specific to itsme®: environments, the claim catalogue, check digits, photos.
//! Facts come from `shared/itsme/PROTOCOL.md`; each rule cites its section.

pub mod acr;
pub mod catalogue;
pub mod check_digits;
pub mod claim_checks;
pub mod confirmation;
pub mod errors;
pub mod formats;
pub mod photo;

/// The code of the local sandbox's service when it is not told otherwise (`sandbox
/// --service-code`, and the client of `login --sandbox`).
pub const SANDBOX_SERVICE_CODE: &str = "LOGIN";

/// The service code used when none is given, against the provider `issuer`: the one rule every
/// command, `config show` and the help follow (in the words of [`service_code_default_text`]).
///
/// itsme® gives each partner its own code per service at onboarding (PROTOCOL §2): no code is
/// right for every partner, and a guessed `LOGIN` would only be refused once the user is in the
/// browser, so against itsme® there is no default and a command without one stops before
/// anything is sent. A local sandbox (a loopback issuer: itsme® is always https on a public host,
/// PROTOCOL §1) registers [`SANDBOX_SERVICE_CODE`] unless told otherwise, so there it is the
/// default.
pub fn default_service_code(issuer: Option<&str>) -> Option<&'static str> {
    let url = url::Url::parse(issuer?).ok()?;
    crate::url_policy::is_loopback_host(&url).then_some(SANDBOX_SERVICE_CODE)
}

/// [`default_service_code`] in words, as the help, `validate`, `login` and `config show` say it.
pub fn service_code_default_text() -> String {
    format!(
        "none against itsme®, which gives you a code per service; {SANDBOX_SERVICE_CODE} against a local sandbox"
    )
}

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

    #[test]
    fn the_service_code_has_a_default_only_against_a_local_sandbox() {
        assert_eq!(
            default_service_code(Some("http://127.0.0.1:8080/v2")),
            Some("LOGIN")
        );
        assert_eq!(
            default_service_code(Some("http://localhost:1/v2")),
            Some("LOGIN")
        );
        for itsme in [Environment::E2e.issuer(), Environment::Prd.issuer()] {
            assert_eq!(default_service_code(Some(itsme)), None, "{itsme}");
        }
        assert_eq!(default_service_code(Some("https://idp.example/v2")), None);
        assert_eq!(default_service_code(Some("not a url")), None);
        assert_eq!(default_service_code(None), None);
    }
}
