//! `validate` as an audit: is this partner's itsme® setup right, before any user tries it?
//! (PROTOCOL §1–§4, §8.) The command fetches what is to be judged into [`Facts`]; every check
//! here is a pure function over those facts that returns [`Check`]s, and [`audit`] puts them in
//! the documented order (docs/validate.md).
//!
//! - [`setup`]: what the partner gave (identifiers, redirect URIs, keys): the offline checks.
//! - [`provider`]: the provider's discovery, the clock against its `Date`, the credentials probe.
//! - [`jwks`]: the partner's hosted JWK Set (hosting, hygiene, match with `--keys`, caching).
//! - [`tls`]: the certificate class of the partner's https hosts.

pub mod facts;
pub mod jwks;
pub mod provider;
pub mod setup;
pub mod tls;

use serde::Serialize;

pub use facts::{
    Facts, JwksFact, KeysFact, OnlineFacts, ProbeFact, ProbeSkip, ProviderFact, Setup, TlsFact,
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
}

/// The stable id of a check (docs/validate.md; the troubleshooting guide is checked against
/// [`CheckId::ALL`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CheckId {
    /// The client_id looks like one.
    ClientId,
    /// The service code looks like one.
    ServiceCode,
    /// Each redirect URI is https, without fragment or custom scheme.
    RedirectUri,
    /// The private keys: RSA, sig and enc, ≥ 2048 bits, unique kids.
    KeysPrivate,
    /// The key files are readable by their owner only.
    KeysPermissions,
    /// The provider's discovery document is reachable and passes its checks.
    Discovery,
    /// The JWK Set is served anonymously, quickly, as a JWK Set.
    JwksHosting,
    /// The hosted JWK Set carries no private members.
    JwksPrivateMembers,
    /// Every local key is published with the same kid and use.
    JwksMatchesKeys,
    /// The JWK Set is served with a long enough `Cache-Control: max-age`.
    JwksCacheControl,
    /// The partner's https hosts have OV or EV certificates and complete chains.
    TlsCertificateClass,
    /// The provider authenticates the client.
    CredentialsProbe,
    /// This machine's clock is in step with the provider's.
    Clock,
}

impl CheckId {
    /// Every id, in the order of docs/validate.md: the offline checks, then the online ones.
    pub const ALL: [CheckId; 13] = [
        CheckId::ClientId,
        CheckId::ServiceCode,
        CheckId::RedirectUri,
        CheckId::KeysPrivate,
        CheckId::KeysPermissions,
        CheckId::Discovery,
        CheckId::JwksHosting,
        CheckId::JwksPrivateMembers,
        CheckId::JwksMatchesKeys,
        CheckId::JwksCacheControl,
        CheckId::TlsCertificateClass,
        CheckId::CredentialsProbe,
        CheckId::Clock,
    ];

    /// The id as it appears in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            CheckId::ClientId => "client_id",
            CheckId::ServiceCode => "service_code",
            CheckId::RedirectUri => "redirect_uri",
            CheckId::KeysPrivate => "keys_private",
            CheckId::KeysPermissions => "keys_permissions",
            CheckId::Discovery => "discovery",
            CheckId::JwksHosting => "jwks_hosting",
            CheckId::JwksPrivateMembers => "jwks_private_members",
            CheckId::JwksMatchesKeys => "jwks_matches_keys",
            CheckId::JwksCacheControl => "jwks_cache_control",
            CheckId::TlsCertificateClass => "tls_certificate_class",
            CheckId::CredentialsProbe => "credentials_probe",
            CheckId::Clock => "clock",
        }
    }

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
            | CheckId::Clock => true,
        }
    }
}

impl std::fmt::Display for CheckId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.pad(self.as_str())
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
            valid: checks.iter().all(|c| c.status != Status::Fail),
            checks,
        }
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
        }
    }
    ValidateReport::new(checks)
}

#[cfg(test)]
mod tests;
