//! The certificate class of the partner's https hosts: DV certificates are refused by itsme®
//! (PROTOCOL §3); OV and EV pass; the chain must be complete.

use url::Url;

use super::facts::{Setup, TlsFact};
use super::{Check, CheckId, Status};
use crate::tls_class::CertificateClass;
use crate::url_policy::{Transport, transport};

/// The https hosts (and ports) of the jwks_uri and the redirect URIs, each once, in that order.
pub fn hosts(setup: &Setup) -> Vec<(String, u16)> {
    let mut hosts: Vec<(String, u16)> = Vec::new();
    for text in setup.jwks_uri.iter().chain(&setup.redirect_uris) {
        if let Ok(url) = Url::parse(text)
            && transport(&url) == Transport::Https
            && let Some(host) = url.host_str()
        {
            let entry = (
                host.trim_matches(['[', ']']).to_string(),
                url.port_or_known_default().unwrap_or(443),
            );
            if !hosts.contains(&entry) {
                hosts.push(entry);
            }
        }
    }
    hosts
}

/// One `tls_certificate_class` check per host inspected; a skip when there was none.
pub fn checks(facts: &[TlsFact]) -> Vec<Check> {
    if facts.is_empty() {
        return vec![Check::skip(
            CheckId::TlsCertificateClass,
            "no https jwks_uri or redirect URI to check",
        )];
    }
    facts.iter().map(check).collect()
}

/// The verdict on one host's certificate.
pub fn check(fact: &TlsFact) -> Check {
    let id = CheckId::TlsCertificateClass;
    let host = &fact.host;
    match &fact.answer {
        Ok(cert) if !cert.chain_verified => Check::new(
            id,
            Status::Fail,
            format!(
                "{host}: the certificate chain does not verify: {}",
                cert.verify_error.clone().unwrap_or_default()
            ),
            Some(
                "serve the full chain (leaf and intermediates) with a certificate for this host name",
            ),
        ),
        Ok(cert) => match cert.class {
            CertificateClass::DomainValidated => Check::new(
                id,
                Status::Fail,
                format!(
                    "{host}: Domain-Validated certificate (issuer {})",
                    cert.issuer
                ),
                Some(
                    "itsme® refuses DV certificates such as Let's Encrypt: use an OV or EV certificate",
                ),
            ),
            CertificateClass::OrganizationValidated | CertificateClass::ExtendedValidation => {
                Check::new(
                    id,
                    Status::Pass,
                    format!("{host}: {:?} certificate, chain complete", cert.class),
                    None,
                )
            }
            other => Check::new(
                id,
                Status::Warn,
                format!("{host}: {other:?} certificate: no OV or EV policy found"),
                Some("itsme® requires an Organization- or Extended-Validated certificate"),
            ),
        },
        Err(why) => Check::new(
            id,
            Status::Fail,
            format!("{host}: {why}"),
            Some("the host must be reachable over https"),
        ),
    }
}
