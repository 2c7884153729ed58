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
pub mod formats;
pub mod photo;
pub mod scope;

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
    /// itsme®'s acceptance environment (UAT); partners are normally given E2E and PRD.
    // Named in the documentation's appendices and examples (PROTOCOL §1).
    Uat,
}

impl Environment {
    /// The issuer URL, exactly as it appears in `iss` (PROTOCOL §1).
    pub fn issuer(self) -> &'static str {
        match self {
            Environment::E2e => "https://idp.e2e.itsme.services/v2",
            Environment::Prd => "https://idp.prd.itsme.services/v2",
            Environment::Uat => "https://idp.uat.itsme.services/v2",
        }
    }

    /// The legacy base of client-secret partners onboarded before 25 June 2025 in this
    /// environment (PROTOCOL §1: `/connect/authorize`, `/connect/token`, … below it). Their tokens'
    /// `iss` is whatever discovery says; the documentation's examples disagree.
    pub fn legacy_base(self) -> &'static str {
        match self {
            Environment::E2e => "https://oidc.e2e.itsme.services/clientsecret-oidc/csapi/v0.1",
            Environment::Prd => "https://oidc.prd.itsme.services/clientsecret-oidc/csapi/v0.1",
            Environment::Uat => "https://oidc.uat.itsme.services/clientsecret-oidc/csapi/v0.1",
        }
    }

    /// Its name as typed: `e2e`, `prd`, `uat` (`--env`, `ITSME_ENV`, `env =`).
    pub fn name(self) -> &'static str {
        match self {
            Environment::E2e => "e2e",
            Environment::Prd => "prd",
            Environment::Uat => "uat",
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
    fn every_environment_has_its_issuer_legacy_base_and_name() {
        use clap::ValueEnum;
        for env in Environment::value_variants() {
            let name = env.to_possible_value().unwrap().get_name().to_string();
            assert_eq!(env.name(), name, "the typed name is the clap name");
            assert_eq!(
                env.issuer(),
                format!("https://idp.{name}.itsme.services/v2")
            );
            assert_eq!(
                env.legacy_base(),
                format!("https://oidc.{name}.itsme.services/clientsecret-oidc/csapi/v0.1")
            );
        }
        assert_eq!(Environment::from_str("uat", true), Ok(Environment::Uat));
    }

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
