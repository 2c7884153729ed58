//! The validation class of a server's TLS certificate (DV, OV, IV, EV) and whether its chain verifies.
//!
//! itsme® refuses partner JWK Set URLs served with Domain-Validated certificates and wants the full
//! chain served (PROTOCOL.md §3). The class comes from the CA/Browser Forum policy OIDs in the leaf's
//! certificatePolicies extension; the chain check is an ordinary OpenSSL verification (system trust
//! store, plus an optional extra CA file) that is recorded, never enforced.

use std::net::{TcpStream, ToSocketAddrs};
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use anyhow::{Context, anyhow, bail};
use openssl::ssl::{SslConnector, SslMethod, SslVerifyMode};
use x509_parser::certificate::X509Certificate;
use x509_parser::extensions::ParsedExtension;
use x509_parser::prelude::FromDer;

use crate::timefmt;

/// How long to wait for the TCP connection, and then for each read or write of the handshake.
const TIMEOUT: Duration = Duration::from_secs(10);

/// CA/Browser Forum Baseline Requirements / EV Guidelines reserved policy identifiers.
const OID_EV: &str = "2.23.140.1.1";
const OID_DV: &str = "2.23.140.1.2.1";
const OID_OV: &str = "2.23.140.1.2.2";
const OID_IV: &str = "2.23.140.1.2.3";

/// The validation class of a certificate, from its CA/Browser Forum policy OIDs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CertificateClass {
    /// 2.23.140.1.2.1: refused by itsme®.
    DomainValidated,
    /// 2.23.140.1.2.2
    OrganizationValidated,
    /// 2.23.140.1.2.3
    IndividualValidated,
    /// 2.23.140.1.1
    ExtendedValidation,
    /// No certificatePolicies extension, or none of the CA/Browser Forum OIDs in it.
    Unknown,
}

impl CertificateClass {
    /// Higher wins when a certificate carries several policy OIDs.
    fn rank(self) -> u8 {
        match self {
            CertificateClass::Unknown => 0,
            CertificateClass::DomainValidated => 1,
            CertificateClass::IndividualValidated => 2,
            CertificateClass::OrganizationValidated => 3,
            CertificateClass::ExtendedValidation => 4,
        }
    }

    fn from_oid(oid: &str) -> Option<CertificateClass> {
        match oid {
            OID_EV => Some(CertificateClass::ExtendedValidation),
            OID_OV => Some(CertificateClass::OrganizationValidated),
            OID_IV => Some(CertificateClass::IndividualValidated),
            OID_DV => Some(CertificateClass::DomainValidated),
            _ => None,
        }
    }
}

/// Classifies a DER certificate by its certificatePolicies extension (EV wins over OV over IV over DV
/// if several).
pub fn classify(der: &[u8]) -> Result<CertificateClass, String> {
    class_of(&parse(der)?)
}

fn parse(der: &[u8]) -> Result<X509Certificate<'_>, String> {
    let (rest, cert) =
        X509Certificate::from_der(der).map_err(|e| format!("not a DER X.509 certificate: {e}"))?;
    if !rest.is_empty() {
        return Err(format!(
            "{} unexpected bytes after the certificate",
            rest.len()
        ));
    }
    Ok(cert)
}

fn class_of(cert: &X509Certificate<'_>) -> Result<CertificateClass, String> {
    let mut best = CertificateClass::Unknown;
    for ext in cert.extensions() {
        match ext.parsed_extension() {
            ParsedExtension::CertificatePolicies(policies) => {
                for policy in policies {
                    if let Some(class) =
                        CertificateClass::from_oid(&policy.policy_id.to_id_string())
                        && class.rank() > best.rank()
                    {
                        best = class;
                    }
                }
            }
            ParsedExtension::ParseError { error }
                if ext.oid == x509_parser::oid_registry::OID_X509_EXT_CERTIFICATE_POLICIES =>
            {
                return Err(format!("malformed certificatePolicies extension: {error}"));
            }
            _ => {}
        }
    }
    Ok(best)
}

/// What was learned about a server's certificate.
#[derive(Debug, Clone, serde::Serialize)]
pub struct ServerCertificate {
    /// The host as given (also used for SNI and hostname verification).
    pub host: String,
    /// The leaf's validation class.
    pub class: CertificateClass,
    /// The leaf's subject, e.g. `CN=example.com, O=Example`.
    pub subject: String,
    /// The leaf's issuer.
    pub issuer: String,
    /// The leaf's expiry, RFC 3339 UTC (`2027-01-31T12:00:00Z`).
    pub not_after: String,
    /// How many certificates the server sent, leaf included.
    pub chain_length: usize,
    /// Whether the chain verifies against the trust store (and the extra CA) for this host.
    pub chain_verified: bool,
    /// OpenSSL's reason when it does not, e.g. `unable to get local issuer certificate` for an
    /// incomplete chain. Several reasons are joined with `; `.
    pub verify_error: Option<String>,
}

/// Connects to host:port over TLS with SNI (default system trust store, plus the PEM CA file in
/// `extra_ca` if given), reads the leaf certificate and the chain the server sent, and says whether
/// the chain verifies (hostname included). A verification failure does not fail the connection: it
/// is reported in the result. 10 s connect timeout (and 10 s per handshake read/write); never follows
/// anything else; never panics.
pub fn inspect_server(
    host: &str,
    port: u16,
    extra_ca: Option<&Path>,
) -> anyhow::Result<ServerCertificate> {
    // `[::1]` style hosts: brackets are for URLs, not for resolution, SNI or IP checks.
    let name = host
        .strip_prefix('[')
        .and_then(|h| h.strip_suffix(']'))
        .unwrap_or(host);

    let mut builder = SslConnector::builder(SslMethod::tls_client())
        .context("cannot set up OpenSSL for a TLS client")?;
    if let Some(ca) = extra_ca {
        builder
            .set_ca_file(ca)
            .with_context(|| format!("cannot load the CA certificates in {}", ca.display()))?;
    }
    let connector = builder.build();

    crate::trace::trace(format_args!(
        "→ TLS handshake with {host}:{port} (no HTTP request), to read its certificate chain"
    ));
    let stream = connect(name, port)?;
    stream.set_read_timeout(Some(TIMEOUT))?;
    stream.set_write_timeout(Some(TIMEOUT))?;

    let errors: Arc<Mutex<Vec<String>>> = Arc::default();
    let mut config = connector
        .configure()
        .context("cannot set up the TLS connection")?;
    let recorded = Arc::clone(&errors);
    config.set_verify_callback(SslVerifyMode::PEER, move |ok, ctx| {
        if !ok {
            let reason = ctx.error().error_string().to_string();
            if let Ok(mut list) = recorded.lock()
                && !list.contains(&reason)
            {
                list.push(reason);
            }
        }
        // Record, never refuse: the caller wants to see the certificate anyway.
        true
    });
    let tls = config
        .connect(name, stream)
        .map_err(|e| anyhow!("TLS handshake with {name}:{port} failed: {e}"))?;

    let ssl = tls.ssl();
    let leaf = ssl
        .peer_certificate()
        .ok_or_else(|| anyhow!("{name}:{port} sent no certificate"))?;
    let chain_length = ssl.peer_cert_chain().map_or(1, |chain| chain.len());

    let mut reasons = errors.lock().map(|list| list.clone()).unwrap_or_default();
    // Belt and braces: OpenSSL's own verdict, should the callback have missed anything.
    let verdict = ssl.verify_result();
    if verdict.as_raw() != openssl::x509::X509VerifyResult::OK.as_raw() {
        let reason = verdict.error_string().to_string();
        if !reasons.contains(&reason) {
            reasons.push(reason);
        }
    }
    let verify_error = (!reasons.is_empty()).then(|| reasons.join("; "));

    let der = leaf
        .to_der()
        .context("cannot re-encode the server certificate")?;
    let cert = parse(&der).map_err(|e| anyhow!("server certificate of {name}: {e}"))?;
    let class = class_of(&cert).map_err(|e| anyhow!("server certificate of {name}: {e}"))?;
    let expiry = cert.validity().not_after.timestamp();

    Ok(ServerCertificate {
        host: host.to_string(),
        class,
        subject: cert.subject().to_string(),
        issuer: cert.issuer().to_string(),
        not_after: timefmt::rfc3339(expiry).unwrap_or_else(|| expiry.to_string()),
        chain_length,
        chain_verified: verify_error.is_none(),
        verify_error,
    })
}

/// Opens a TCP connection to the first address of `host` that answers within the timeout.
fn connect(host: &str, port: u16) -> anyhow::Result<TcpStream> {
    let addrs: Vec<_> = (host, port)
        .to_socket_addrs()
        .with_context(|| format!("cannot resolve {host}"))?
        .collect();
    if addrs.is_empty() {
        bail!("{host} has no address");
    }
    let mut last = None;
    for addr in addrs {
        match TcpStream::connect_timeout(&addr, TIMEOUT) {
            Ok(stream) => return Ok(stream),
            Err(e) => last = Some(anyhow!("cannot connect to {host}:{port} ({addr}): {e}")),
        }
    }
    Err(last.unwrap_or_else(|| anyhow!("cannot connect to {host}:{port}")))
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    use std::net::TcpListener;
    use std::thread::JoinHandle;

    use openssl::asn1::{Asn1Object, Asn1OctetString, Asn1Time};
    use openssl::bn::{BigNum, MsbOption};
    use openssl::hash::MessageDigest;
    use openssl::nid::Nid;
    use openssl::pkey::{PKey, Private};
    use openssl::ssl::SslAcceptor;
    use openssl::x509::extension::{
        BasicConstraints, KeyUsage, SubjectAlternativeName, SubjectKeyIdentifier,
    };
    use openssl::x509::{X509, X509Builder, X509Extension, X509Name, X509NameBuilder, X509NameRef};

    fn key() -> PKey<Private> {
        let ec = openssl::ec::EcKey::generate(
            &openssl::ec::EcGroup::from_curve_name(Nid::X9_62_PRIME256V1).unwrap(),
        )
        .unwrap();
        PKey::from_ec_key(ec).unwrap()
    }

    fn name(cn: &str) -> X509Name {
        let mut n = X509NameBuilder::new().unwrap();
        n.append_entry_by_text("O", "itsme-cli tests").unwrap();
        n.append_entry_by_text("CN", cn).unwrap();
        n.build()
    }

    fn builder(subject: &X509NameRef, issuer: &X509NameRef, key: &PKey<Private>) -> X509Builder {
        let mut b = X509Builder::new().unwrap();
        b.set_version(2).unwrap();
        let mut serial = BigNum::new().unwrap();
        serial.rand(64, MsbOption::MAYBE_ZERO, false).unwrap();
        b.set_serial_number(&serial.to_asn1_integer().unwrap())
            .unwrap();
        b.set_subject_name(subject).unwrap();
        b.set_issuer_name(issuer).unwrap();
        b.set_pubkey(key).unwrap();
        b.set_not_before(&Asn1Time::days_from_now(0).unwrap())
            .unwrap();
        b.set_not_after(&Asn1Time::days_from_now(30).unwrap())
            .unwrap();
        b
    }

    pub(crate) struct Ca {
        pub(crate) cert: X509,
        key: PKey<Private>,
    }

    pub(crate) fn root() -> Ca {
        let key = key();
        let n = name("itsme-cli test root");
        let mut b = builder(&n, &n, &key);
        b.append_extension(BasicConstraints::new().critical().ca().build().unwrap())
            .unwrap();
        b.append_extension(
            KeyUsage::new()
                .critical()
                .key_cert_sign()
                .crl_sign()
                .build()
                .unwrap(),
        )
        .unwrap();
        let ski = SubjectKeyIdentifier::new()
            .build(&b.x509v3_context(None, None))
            .unwrap();
        b.append_extension(ski).unwrap();
        b.sign(&key, MessageDigest::sha256()).unwrap();
        Ca {
            cert: b.build(),
            key,
        }
    }

    fn intermediate(root: &Ca) -> Ca {
        let key = key();
        let mut b = builder(
            &name("itsme-cli test intermediate"),
            root.cert.subject_name(),
            &key,
        );
        b.append_extension(
            BasicConstraints::new()
                .critical()
                .ca()
                .pathlen(0)
                .build()
                .unwrap(),
        )
        .unwrap();
        b.append_extension(
            KeyUsage::new()
                .critical()
                .key_cert_sign()
                .crl_sign()
                .build()
                .unwrap(),
        )
        .unwrap();
        b.sign(&root.key, MessageDigest::sha256()).unwrap();
        Ca {
            cert: b.build(),
            key,
        }
    }

    /// A DER TLV with a short-form length (all that these tests need).
    fn tlv(tag: u8, content: &[u8]) -> Vec<u8> {
        assert!(content.len() < 128);
        let mut out = vec![tag, content.len() as u8];
        out.extend_from_slice(content);
        out
    }

    /// certificatePolicies ::= SEQUENCE OF PolicyInformation ::= SEQUENCE { policyIdentifier }.
    /// Built by hand: OpenSSL's text form (`X509Extension::new_nid`) needs a config database here.
    fn policies(oids: &[&str]) -> X509Extension {
        let mut infos = Vec::new();
        for oid in oids {
            let oid = Asn1Object::from_str(oid).unwrap();
            infos.extend(tlv(0x30, &tlv(0x06, oid.as_slice())));
        }
        raw_policies(&tlv(0x30, &infos))
    }

    fn raw_policies(der: &[u8]) -> X509Extension {
        let oid = Asn1Object::from_str("2.5.29.32").unwrap();
        let value = Asn1OctetString::new_from_bytes(der).unwrap();
        X509Extension::new_from_der(&oid, false, &value).unwrap()
    }

    /// A leaf for `localhost` (and 127.0.0.1 when `with_ip`) signed by `ca`, with `extension`.
    fn leaf_with(
        ca: &Ca,
        extension: Option<X509Extension>,
        with_ip: bool,
    ) -> (X509, PKey<Private>) {
        let key = key();
        let mut b = builder(&name("localhost"), ca.cert.subject_name(), &key);
        b.append_extension(BasicConstraints::new().build().unwrap())
            .unwrap();
        let mut san = SubjectAlternativeName::new();
        san.dns("localhost");
        if with_ip {
            san.ip("127.0.0.1");
        }
        let san = san.build(&b.x509v3_context(Some(&ca.cert), None)).unwrap();
        b.append_extension(san).unwrap();
        if let Some(extension) = extension {
            b.append_extension(extension).unwrap();
        }
        b.sign(&ca.key, MessageDigest::sha256()).unwrap();
        (b.build(), key)
    }

    /// A leaf with the policy OIDs given (no extension when none).
    pub(crate) fn leaf(ca: &Ca, oids: &[&str], with_ip: bool) -> (X509, PKey<Private>) {
        let extension = (!oids.is_empty()).then(|| policies(oids));
        leaf_with(ca, extension, with_ip)
    }

    fn class(oids: &[&str]) -> CertificateClass {
        let (cert, _) = leaf(&root(), oids, true);
        classify(&cert.to_der().unwrap()).unwrap()
    }

    #[test]
    fn classifies_by_policy_oid() {
        assert_eq!(class(&[OID_DV]), CertificateClass::DomainValidated);
        assert_eq!(class(&[OID_OV]), CertificateClass::OrganizationValidated);
        assert_eq!(class(&[OID_IV]), CertificateClass::IndividualValidated);
        assert_eq!(class(&[OID_EV]), CertificateClass::ExtendedValidation);
        assert_eq!(class(&[]), CertificateClass::Unknown);
        // A CA's own policy OID only (or anyPolicy): not a CA/Browser Forum class.
        assert_eq!(class(&["1.3.6.1.4.1.99999.1"]), CertificateClass::Unknown);
        assert_eq!(class(&["2.5.29.32.0"]), CertificateClass::Unknown);
        // A prefix of the EV OID is not the EV OID.
        assert_eq!(class(&["2.23.140.1"]), CertificateClass::Unknown);
    }

    #[test]
    fn strongest_class_wins() {
        assert_eq!(
            class(&[OID_OV, OID_EV]),
            CertificateClass::ExtendedValidation
        );
        assert_eq!(
            class(&["1.3.6.1.4.1.99999.1", OID_EV, OID_DV]),
            CertificateClass::ExtendedValidation
        );
        assert_eq!(
            class(&[OID_DV, OID_OV]),
            CertificateClass::OrganizationValidated
        );
        assert_eq!(
            class(&[OID_IV, OID_DV]),
            CertificateClass::IndividualValidated
        );
        assert_eq!(
            class(&[OID_OV, OID_IV]),
            CertificateClass::OrganizationValidated
        );
    }

    #[test]
    fn a_malformed_policies_extension_is_an_error() {
        let (cert, _) = leaf_with(
            &root(),
            Some(raw_policies(&[0x30, 0x03, 0x02, 0x01, 0x00])),
            true,
        );
        let error = classify(&cert.to_der().unwrap()).unwrap_err();
        assert!(error.contains("certificatePolicies"), "{error}");
    }

    #[test]
    fn rejects_what_is_not_a_certificate() {
        assert!(classify(b"").is_err());
        assert!(classify(b"-----BEGIN CERTIFICATE-----").is_err());
        let mut der = root().cert.to_der().unwrap();
        der.push(0);
        assert!(classify(&der).unwrap_err().contains("unexpected bytes"));
    }

    #[test]
    fn serializes_class_in_snake_case() {
        let json = serde_json::to_string(&CertificateClass::OrganizationValidated).unwrap();
        assert_eq!(json, "\"organization_validated\"");
        let json = serde_json::to_string(&CertificateClass::ExtendedValidation).unwrap();
        assert_eq!(json, "\"extended_validation\"");
    }

    /// Serves exactly one TLS connection on 127.0.0.1 with `leaf` and the `chain` after it.
    pub(crate) fn serve_once(
        leaf: &X509,
        key: &PKey<Private>,
        chain: &[&X509],
    ) -> (u16, JoinHandle<()>) {
        let mut acceptor = SslAcceptor::mozilla_intermediate_v5(SslMethod::tls_server()).unwrap();
        acceptor.set_certificate(leaf).unwrap();
        acceptor.set_private_key(key).unwrap();
        for cert in chain {
            acceptor.add_extra_chain_cert((*cert).clone()).unwrap();
        }
        acceptor.check_private_key().unwrap();
        let acceptor = acceptor.build();
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let handle = std::thread::spawn(move || {
            if let Ok((stream, _)) = listener.accept() {
                stream.set_read_timeout(Some(TIMEOUT)).ok();
                if let Ok(mut tls) = acceptor.accept(stream) {
                    tls.shutdown().ok();
                }
            }
        });
        (port, handle)
    }

    pub(crate) fn pem_file(certs: &[&X509]) -> tempfile::NamedTempFile {
        let mut file = tempfile::NamedTempFile::new().unwrap();
        for cert in certs {
            std::io::Write::write_all(&mut file, &cert.to_pem().unwrap()).unwrap();
        }
        file
    }

    #[test]
    fn inspects_a_server_trusted_through_the_extra_ca() {
        let ca = root();
        let (cert, key) = leaf(&ca, &[OID_OV], true);
        let ca_file = pem_file(&[&ca.cert]);
        for host in ["127.0.0.1", "localhost"] {
            let (port, server) = serve_once(&cert, &key, &[]);
            let seen = inspect_server(host, port, Some(ca_file.path())).unwrap();
            server.join().unwrap();
            assert_eq!(seen.host, host);
            assert_eq!(seen.class, CertificateClass::OrganizationValidated);
            assert!(seen.chain_verified, "{host}: {:?}", seen.verify_error);
            assert_eq!(seen.verify_error, None);
            assert_eq!(seen.chain_length, 1);
            assert!(seen.subject.contains("CN=localhost"), "{}", seen.subject);
            assert!(
                seen.issuer.contains("CN=itsme-cli test root"),
                "{}",
                seen.issuer
            );
            assert!(
                seen.not_after.ends_with('Z') && seen.not_after.contains('T'),
                "{}",
                seen.not_after
            );
        }
    }

    #[test]
    fn reports_an_untrusted_chain_without_failing() {
        let ca = root();
        let (cert, key) = leaf(&ca, &[OID_DV], true);
        let (port, server) = serve_once(&cert, &key, &[]);
        let seen = inspect_server("127.0.0.1", port, None).unwrap();
        server.join().unwrap();
        assert_eq!(seen.class, CertificateClass::DomainValidated);
        assert!(!seen.chain_verified);
        let error = seen.verify_error.unwrap();
        assert!(error.contains("local issuer"), "{error}");
    }

    #[test]
    fn reports_an_incomplete_chain() {
        let ca = root();
        let sub = intermediate(&ca);
        let (cert, key) = leaf(&sub, &[OID_EV], true);
        let ca_file = pem_file(&[&ca.cert]);

        // The leaf alone: the intermediate is missing and the root is no help.
        let (port, server) = serve_once(&cert, &key, &[]);
        let seen = inspect_server("localhost", port, Some(ca_file.path())).unwrap();
        server.join().unwrap();
        assert_eq!(seen.class, CertificateClass::ExtendedValidation);
        assert_eq!(seen.chain_length, 1);
        assert!(!seen.chain_verified);
        let error = seen.verify_error.unwrap();
        assert!(
            error.contains("unable to get local issuer certificate"),
            "{error}"
        );

        // Leaf and intermediate: verifies.
        let (port, server) = serve_once(&cert, &key, &[&sub.cert]);
        let seen = inspect_server("localhost", port, Some(ca_file.path())).unwrap();
        server.join().unwrap();
        assert_eq!(seen.chain_length, 2);
        assert!(seen.chain_verified, "{:?}", seen.verify_error);
        assert!(seen.issuer.contains("intermediate"), "{}", seen.issuer);
    }

    #[test]
    fn reports_a_host_mismatch() {
        let ca = root();
        let (cert, key) = leaf(&ca, &[OID_OV], false); // localhost only, no IP address
        let ca_file = pem_file(&[&ca.cert]);
        let (port, server) = serve_once(&cert, &key, &[]);
        let seen = inspect_server("127.0.0.1", port, Some(ca_file.path())).unwrap();
        server.join().unwrap();
        assert!(!seen.chain_verified);
        let error = seen.verify_error.unwrap();
        assert!(error.contains("mismatch"), "{error}");
    }

    #[test]
    fn a_closed_port_fails_quickly() {
        let port = {
            let listener = TcpListener::bind("127.0.0.1:0").unwrap();
            listener.local_addr().unwrap().port()
        };
        let started = std::time::Instant::now();
        let error = inspect_server("127.0.0.1", port, None).unwrap_err();
        assert!(started.elapsed() < Duration::from_secs(5));
        assert!(error.to_string().contains("cannot connect"), "{error}");
    }

    #[test]
    fn a_missing_ca_file_is_an_error() {
        let error =
            inspect_server("127.0.0.1", 1, Some(Path::new("/nonexistent/ca.pem"))).unwrap_err();
        assert!(error.to_string().contains("CA certificates"), "{error}");
    }

    #[test]
    fn a_server_that_is_not_tls_is_an_error() {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let server = std::thread::spawn(move || {
            if let Ok((mut stream, _)) = listener.accept() {
                std::io::Write::write_all(&mut stream, b"HTTP/1.1 400 Bad Request\r\n\r\n").ok();
            }
        });
        let error = inspect_server("127.0.0.1", port, None).unwrap_err();
        server.join().unwrap();
        assert!(error.to_string().contains("handshake"), "{error}");
    }
}
