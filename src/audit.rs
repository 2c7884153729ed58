//! `validate` as an audit: is this partner's itsme® setup right, before any user tries it?
//! (PROTOCOL §1–§4, §8.) The command fetches what is to be judged into [`Facts`]; every check
//! here is a pure function over those facts that returns [`Check`]s, and [`audit`] puts them in
//! the documented order (docs/validate.md).
//!
//! - [`setup`]: what the partner gave (identifiers, redirect URIs, keys): the offline checks.
//! - [`provider`]: the provider's discovery, the clock against its `Date`, the credentials probe.
//! - [`jwks`]: the partner's hosted JWK Set (hosting, hygiene, match with `--keys`, caching).
//! - [`tls`]: the certificate class of the partner's https hosts.
//! - [`redirect`]: whether the provider knows each redirect URI.

pub mod facts;
pub mod jwks;
pub mod provider;
pub mod redirect;
pub mod setup;
pub mod tls;

use crate::codes::stable_codes;
use serde::Serialize;

pub use facts::{
    AuthorizeAnswer, Facts, JwksFact, KeysFact, OnlineFacts, ProbeFact, ProbeSkip, ProviderFact,
    RedirectProbe, RedirectProbeFact, Setup, TlsFact,
};

/// A check's outcome.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Fine.
    Pass,
    /// Works, but worth fixing.
    Warn,
    /// itsme® will refuse this.
    Fail,
    /// Not run (offline, or nothing to check).
    Skip,
    /// Could not be run to a verdict: the provider could not be reached (a network blip is not a
    /// broken setup). `validate` then exits 2, trouble, after printing the checklist (README
    /// "Exit codes").
    Error,
}

stable_codes! {
    /// The stable id of a check (docs/validate.md; the troubleshooting guide is checked against
    /// [`CheckId::ALL`]).
    pub enum CheckId {
        /// The client_id looks like one.
        ClientId => "client_id",
        /// The service code looks like one.
        ServiceCode => "service_code",
        /// Each redirect URI is https, without fragment or custom scheme.
        RedirectUri => "redirect_uri",
        /// The private keys: RSA, sig and enc, ≥ 2048 bits, a sound exponent, unique kids, no
        /// published sample key.
        KeysPrivate => "keys_private",
        /// The key files are readable by their owner only.
        KeysPermissions => "keys_permissions",
        /// The provider's discovery document is reachable and passes its checks.
        Discovery => "discovery",
        /// The JWK Set is served anonymously, quickly, as a JWK Set.
        JwksHosting => "jwks_hosting",
        /// The hosted JWK Set carries no compromised key: no private members, no published sample
        /// key, no key the strength rule refuses.
        JwksPrivateMembers => "jwks_private_members",
        /// Every local key is published with the same kid and use.
        JwksMatchesKeys => "jwks_matches_keys",
        /// The JWK Set is served with a long enough `Cache-Control: max-age`.
        JwksCacheControl => "jwks_cache_control",
        /// The partner's https hosts have OV or EV certificates and complete chains.
        TlsCertificateClass => "tls_certificate_class",
        /// The provider authenticates the client.
        CredentialsProbe => "credentials_probe",
        /// Which client-assertion `aud` forms the provider accepts (itsme®'s, RFC 10070's).
        AssertionAud => "assertion_aud",
        /// The provider knows each redirect URI: an authorization request goes on, not to its
        /// error page.
        RedirectUriRegistered => "redirect_uri_registered",
        /// This machine's clock is in step with the provider's.
        Clock => "clock",
    }
}

impl CheckId {
    /// Whether the check needs the network (`--offline` skips it).
    pub fn is_online(self) -> bool {
        match self {
            CheckId::ClientId
            | CheckId::ServiceCode
            | CheckId::RedirectUri
            | CheckId::KeysPrivate
            | CheckId::KeysPermissions => false,
            CheckId::Discovery
            | CheckId::JwksHosting
            | CheckId::JwksPrivateMembers
            | CheckId::JwksMatchesKeys
            | CheckId::JwksCacheControl
            | CheckId::TlsCertificateClass
            | CheckId::CredentialsProbe
            | CheckId::AssertionAud
            | CheckId::RedirectUriRegistered
            | CheckId::Clock => true,
        }
    }
}

/// One check of the list.
#[derive(Debug, Clone, Serialize)]
pub struct Check {
    /// Stable id.
    pub id: CheckId,
    /// The outcome.
    pub status: Status,
    /// What was found.
    pub message: String,
    /// What to do, when something is to be done.
    pub hint: Option<String>,
}

impl Check {
    /// A check result.
    pub fn new(
        id: CheckId,
        status: Status,
        message: impl Into<String>,
        hint: Option<&str>,
    ) -> Self {
        Check {
            id,
            status,
            message: message.into(),
            hint: hint.map(str::to_string),
        }
    }

    /// A check not run, and why.
    pub fn skip(id: CheckId, why: impl Into<String>) -> Self {
        Check::new(id, Status::Skip, why, None)
    }
}

/// What `validate` reports (its JSON output).
#[derive(Debug, Serialize)]
pub struct ValidateReport {
    /// No check failed.
    pub valid: bool,
    /// The checks, in order.
    pub checks: Vec<Check>,
}

impl ValidateReport {
    /// The report of these checks: valid when none failed.
    pub fn new(checks: Vec<Check>) -> Self {
        ValidateReport {
            valid: checks
                .iter()
                .all(|c| !matches!(c.status, Status::Fail | Status::Error)),
            checks,
        }
    }

    /// The checks that could not reach a verdict (status `error`): when there are any, the run is
    /// trouble (exit 2), not a "no".
    pub fn not_reached(&self) -> impl Iterator<Item = &Check> {
        self.checks.iter().filter(|c| c.status == Status::Error)
    }
}

/// Judges the facts: the offline checks, then (unless `--offline`) the online ones, in the order
/// of docs/validate.md.
pub fn audit(facts: &Facts) -> ValidateReport {
    let mut checks = setup::checks(&facts.setup, &facts.keys);
    match &facts.online {
        None => checks.extend(
            CheckId::ALL
                .into_iter()
                .filter(|id| id.is_online())
                .map(|id| Check::skip(id, "skipped (--offline)")),
        ),
        Some(online) => {
            checks.extend(provider::discovery_and_clock(&online.provider, online.now));
            checks.extend(jwks::checks(
                &facts.setup,
                facts.keys.loaded(),
                &online.jwks,
            ));
            checks.extend(tls::checks(&online.tls));
            checks.push(provider::probe_check(&online.probe));
            checks.push(provider::assertion_aud_check(
                facts.setup.assertion_aud,
                &online.probe,
                online.other_form.as_ref(),
            ));
            checks.extend(redirect::checks(&online.redirect));
        }
    }
    ValidateReport::new(checks)
}

#[cfg(test)]
mod tests;
