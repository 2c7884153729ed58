//! Checks of a provider's discovery document (OpenID Connect Discovery 1.0 §3, §4.3) and of what an
//! itsme® client needs from it (PROTOCOL §3–§5). Pure: the caller fetches.

use crate::codes::stable_codes;
use serde::Serialize;
use serde_json::{Map, Value};
use url::Url;

use crate::jose::compact::{self, Duplicate, JsonError};
use crate::jose::keys::PublicKeySet;
use crate::key_rules::summary::KeySummary;

/// What `discovery` reports (its JSON output).
#[derive(Debug, Serialize)]
pub struct DiscoveryReport {
    /// The issuer asked for.
    pub issuer: String,
    /// Where the document was fetched.
    pub discovery_url: String,
    /// With `--check`: no error finding. Without: true.
    pub valid: bool,
    /// The document as served.
    pub metadata: Map<String, Value>,
    /// The provider's keys, from `jwks_uri`.
    pub keys: Vec<KeySummary>,
    /// Findings (with `--check`).
    pub findings: Vec<Finding>,
}

/// How bad a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// An itsme® client cannot work with this.
    Error,
    /// Worth knowing.
    Warning,
}

stable_codes! {
    /// The stable code of a discovery finding (docs/discovery.md; the troubleshooting guide is checked
    /// against [`FindingCode::ALL`]).
    pub enum FindingCode {
        /// `issuer` differs from the issuer the document was fetched for.
        IssuerMismatch => "issuer_mismatch",
        /// A member Discovery §3 requires is missing.
        MissingMember => "missing_member",
        /// An endpoint is plain http to a host other than this machine.
        InsecureEndpoint => "insecure_endpoint",
        /// An endpoint is not a URL.
        InvalidEndpoint => "invalid_endpoint",
        /// No authorization code flow.
        NoCodeFlow => "no_code_flow",
        /// PKCE S256 is not advertised.
        NoPkceS256 => "no_pkce_s256",
        /// PKCE `plain` is advertised.
        PkcePlainAllowed => "pkce_plain_allowed",
        /// Neither `private_key_jwt` nor `client_secret_post`.
        NoClientAuth => "no_client_auth",
        /// ID tokens cannot be RS256.
        NoRs256 => "no_rs256",
        /// No RSA-OAEP ID-token encryption.
        NoRsaOaep => "no_rsa_oaep",
        /// No CBC-HS or GCM content encryption.
        NoContentEncryption => "no_content_encryption",
        /// The JWK Set has no RSA signing key.
        NoSigKey => "no_sig_key",
        /// The JWK Set has no RSA encryption key.
        NoEncKey => "no_enc_key",
        /// The JWK Set publishes private members ([`crate::key_rules::leaks`]).
        PrivateMembersPublished => "private_members_published",
        /// A key without `kid` in a set of several.
        KidMissing => "kid_missing",
        /// A key the key rules refuse (RSA modulus under 2048 bits, a weak exponent): it would
        /// verify nothing.
        WeakKey => "weak_key",
        /// The JWK Set could not be fetched (reported by `itsme-cli discovery` itself, not [`check`]).
        JwksUnreachable => "jwks_unreachable",
        /// The document repeats a member ([`read_document`], not [`check`]).
        DuplicateMember => "duplicate_member",
        /// CIBA metadata without `backchannel_authentication_endpoint`.
        CibaEndpointMissing => "ciba_endpoint_missing",
        /// `backchannel_authentication_endpoint` is not `<issuer>/backchannel/authentication`.
        CibaEndpointUnexpected => "ciba_endpoint_unexpected",
        /// `backchannel_token_delivery_modes_supported` lists neither `poll` nor `ping`.
        CibaNoPollOrPing => "ciba_no_poll_or_ping",
        /// `backchannel_authentication_request_signing_alg_values_supported` lacks RS256.
        CibaNoRs256 => "ciba_no_rs256",
        /// `grant_types_supported` lacks the CIBA grant although a backchannel endpoint is advertised.
        CibaGrantMissing => "ciba_grant_missing",
    }
}

/// One finding, with a stable code.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    /// Stable code.
    pub code: FindingCode,
    /// Error or warning.
    pub severity: Severity,
    /// In words.
    pub message: String,
}

impl Finding {
    /// A finding.
    pub fn new(code: FindingCode, severity: Severity, message: impl Into<String>) -> Self {
        Finding {
            code,
            severity,
            message: message.into(),
        }
    }
}

/// A discovery document as [`read_document`] reads it.
#[derive(Debug, Clone)]
pub struct Document {
    /// Its members. When one is repeated, as most parsers read it (the last value winning): to
    /// show the document, never to use it.
    pub metadata: Map<String, Value>,
    /// The first member the document repeats, if any: such a document must not be used.
    pub duplicate: Option<Duplicate>,
}

impl Document {
    /// The members, unless a member is repeated: then the error names it.
    pub fn unambiguous(self) -> Result<Map<String, Value>, Duplicate> {
        match self.duplicate {
            None => Ok(self.metadata),
            Some(duplicate) => Err(duplicate),
        }
    }

    /// The `duplicate_member` finding, when a member is repeated.
    pub fn finding(&self) -> Option<Finding> {
        self.duplicate.as_ref().map(|duplicate| {
            Finding::new(
                FindingCode::DuplicateMember,
                Severity::Error,
                format!(
                    "the document {duplicate} (RFC 8259 §4): clients that keep the first value and clients that keep the last read different metadata; the last values are shown"
                ),
            )
        })
    }
}

/// Reads a discovery document with the reader tokens and JWK Sets go through
/// ([`compact::unique_object`]): a member given twice (two `issuer`s, two `jwks_uri`s) is found
/// and named. `Err` when the bytes are not a JSON object at all.
pub fn read_document(bytes: &[u8]) -> Result<Document, JsonError> {
    match compact::unique_object(bytes) {
        Ok(metadata) => Ok(Document {
            metadata,
            duplicate: None,
        }),
        Err(JsonError::Duplicate(duplicate)) => {
            let metadata =
                serde_json::from_slice(bytes).map_err(|e| JsonError::NotJson(e.to_string()))?;
            Ok(Document {
                metadata,
                duplicate: Some(duplicate),
            })
        }
        Err(other) => Err(other),
    }
}

/// Members every OpenID provider must publish (Discovery §3), for the code flow.
const REQUIRED: [&str; 7] = [
    "issuer",
    "authorization_endpoint",
    "token_endpoint",
    "jwks_uri",
    "response_types_supported",
    "subject_types_supported",
    "id_token_signing_alg_values_supported",
];

const ENDPOINTS: [&str; 6] = [
    "authorization_endpoint",
    "token_endpoint",
    "userinfo_endpoint",
    "jwks_uri",
    "end_session_endpoint",
    "backchannel_authentication_endpoint",
];

fn strings<'m>(metadata: &'m Map<String, Value>, member: &str) -> Vec<&'m str> {
    metadata
        .get(member)
        .and_then(Value::as_array)
        .map(|a| a.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default()
}

/// Checks `metadata` fetched for `issuer`, and the provider's keys (`None` when they could not be
/// fetched: the caller reports why).
pub fn check(
    metadata: &Map<String, Value>,
    issuer: &str,
    keys: Option<&PublicKeySet>,
) -> Vec<Finding> {
    let mut out = members(metadata, issuer);
    out.extend(capabilities(metadata));
    out.extend(ciba(metadata, issuer));
    if let Some(keys) = keys {
        out.extend(key_set(keys));
    }
    out
}

/// The issuer, the required members and the endpoints (Discovery §3, §4.3; [`crate::url_policy`]).
fn members(metadata: &Map<String, Value>, issuer: &str) -> Vec<Finding> {
    use Severity::Error;
    let mut out = Vec::new();
    match metadata.get("issuer").and_then(Value::as_str) {
        Some(published) if published == issuer => {}
        Some(published) => out.push(Finding::new(FindingCode::IssuerMismatch,
            Error,
            format!("`issuer` is `{published}` but the document was fetched for `{issuer}`; they must be identical (Discovery §4.3), or every ID token fails its `iss` check"),
        )),
        None => {}
    }
    for member in REQUIRED {
        if !metadata.contains_key(member) {
            out.push(Finding::new(
                FindingCode::MissingMember,
                Error,
                format!("the required member `{member}` is missing (Discovery §3)"),
            ));
        }
    }
    for member in ENDPOINTS {
        let Some(text) = metadata.get(member).and_then(Value::as_str) else {
            continue;
        };
        match Url::parse(text) {
            Ok(url) if crate::url_policy::is_allowed(&url) => {}
            Ok(_) => out.push(Finding::new(FindingCode::InsecureEndpoint, Error, format!("`{member}` is `{text}`: endpoints must be https (only loopback test providers may use http)"))),
            Err(_) => out.push(Finding::new(FindingCode::InvalidEndpoint, Error, format!("`{member}` is not a URL: `{text}`"))),
        }
    }
    out
}

/// What the provider supports: the code flow, PKCE, client authentication, ID-token algorithms.
fn capabilities(metadata: &Map<String, Value>) -> Vec<Finding> {
    use Severity::{Error, Warning};
    let mut out = Vec::new();
    if !strings(metadata, "response_types_supported").contains(&"code") {
        out.push(Finding::new(FindingCode::NoCodeFlow, Error, "`response_types_supported` lacks `code`: itsme® clients use the authorization code flow"));
    }
    let pkce = strings(metadata, "code_challenge_methods_supported");
    if !pkce.contains(&"S256") {
        out.push(Finding::new(
            FindingCode::NoPkceS256,
            Warning,
            "`code_challenge_methods_supported` does not list `S256`: PKCE may not be supported",
        ));
    }
    if pkce.contains(&"plain") {
        out.push(Finding::new(
            FindingCode::PkcePlainAllowed,
            Warning,
            "PKCE `plain` is advertised; only S256 protects the code",
        ));
    }
    let auth = strings(metadata, "token_endpoint_auth_methods_supported");
    if !auth.contains(&"private_key_jwt") && !auth.contains(&"client_secret_post") {
        out.push(Finding::new(FindingCode::NoClientAuth, Error, "`token_endpoint_auth_methods_supported` has neither `private_key_jwt` nor `client_secret_post` (PROTOCOL §3)"));
    }
    if !strings(metadata, "id_token_signing_alg_values_supported").contains(&"RS256") {
        out.push(Finding::new(
            FindingCode::NoRs256,
            Error,
            "`id_token_signing_alg_values_supported` lacks RS256",
        ));
    }
    let algs = strings(metadata, "id_token_encryption_alg_values_supported");
    if !algs
        .iter()
        .any(|a| matches!(*a, "RSA-OAEP" | "RSA-OAEP-256"))
    {
        out.push(Finding::new(FindingCode::NoRsaOaep, Warning, "no RSA-OAEP or RSA-OAEP-256 ID-token encryption is advertised: private_key_jwt partners receive encrypted ID tokens (PROTOCOL §5)"));
    }
    let encs = strings(metadata, "id_token_encryption_enc_values_supported");
    if !encs
        .iter()
        .any(|e| e.contains("CBC-HS") || e.ends_with("GCM"))
    {
        out.push(Finding::new(
            FindingCode::NoContentEncryption,
            Warning,
            "no CBC-HS or GCM content encryption is advertised for ID tokens",
        ));
    }
    out
}

/// The CIBA Core metadata (CIBA Core §4), checked only when some `backchannel_*` member is
/// present: itsme® documents none of it (PROTOCOL §9.7), so a document without it is fine (the
/// `ciba` client then builds the URL from the issuer), while one that has it must be usable:
/// the endpoint (and, for the `ciba` client, where it points), poll or ping, RS256 request
/// objects, the CIBA grant.
fn ciba(metadata: &Map<String, Value>, issuer: &str) -> Vec<Finding> {
    use crate::itsme::ciba::{GRANT_TYPE, endpoints::BACKCHANNEL_PATH};
    use Severity::{Error, Warning};
    let mut out = Vec::new();
    if !metadata.keys().any(|k| k.starts_with("backchannel_")) {
        return out;
    }
    match metadata
        .get("backchannel_authentication_endpoint")
        .and_then(Value::as_str)
    {
        None => out.push(Finding::new(
            FindingCode::CibaEndpointMissing,
            Error,
            "CIBA metadata is advertised without `backchannel_authentication_endpoint` (CIBA Core §4)",
        )),
        Some(endpoint) => {
            let documented = format!("{}{BACKCHANNEL_PATH}", issuer.trim_end_matches('/'));
            if endpoint != documented {
                out.push(Finding::new(
                    FindingCode::CibaEndpointUnexpected,
                    Warning,
                    format!("`backchannel_authentication_endpoint` is `{endpoint}`, not the documented `{documented}` (PROTOCOL §9.1): clients that build the URL from the issuer call another endpoint than this document names"),
                ));
            }
        }
    }
    if let Some(modes) = metadata.get("backchannel_token_delivery_modes_supported") {
        let listed = strings(metadata, "backchannel_token_delivery_modes_supported");
        if !modes.is_array() || !listed.iter().any(|m| matches!(*m, "poll" | "ping")) {
            out.push(Finding::new(
                FindingCode::CibaNoPollOrPing,
                Error,
                format!("`backchannel_token_delivery_modes_supported` is {modes}: itsme® delivers by `poll` or `ping` (PROTOCOL §9.1; no push)"),
            ));
        }
    }
    if metadata.contains_key("backchannel_authentication_request_signing_alg_values_supported")
        && !strings(
            metadata,
            "backchannel_authentication_request_signing_alg_values_supported",
        )
        .contains(&"RS256")
    {
        out.push(Finding::new(
            FindingCode::CibaNoRs256,
            Error,
            "`backchannel_authentication_request_signing_alg_values_supported` lacks RS256, the algorithm of itsme® request objects (PROTOCOL §4, §9.3)",
        ));
    }
    if metadata.contains_key("backchannel_authentication_endpoint")
        && metadata.contains_key("grant_types_supported")
        && !strings(metadata, "grant_types_supported").contains(&GRANT_TYPE)
    {
        out.push(Finding::new(
            FindingCode::CibaGrantMissing,
            Warning,
            format!("`grant_types_supported` lacks `{GRANT_TYPE}` although a backchannel endpoint is advertised (CIBA Core §4)"),
        ));
    }
    out
}

/// The provider's JWK Set: RSA sig and enc keys, no private members ([`crate::key_rules`]), kids.
fn key_set(keys: &PublicKeySet) -> Vec<Finding> {
    use Severity::{Error, Warning};
    let mut out = Vec::new();
    let rsa_use = |u: &str| {
        keys.keys
            .iter()
            .any(|k| k.kty == "RSA" && k.key_use.as_deref().is_none_or(|x| x == u))
    };
    if !rsa_use("sig") {
        out.push(Finding::new(
            FindingCode::NoSigKey,
            Error,
            "the JWK Set has no RSA signing key: ID token signatures cannot be verified",
        ));
    }
    if !rsa_use("enc") {
        out.push(Finding::new(FindingCode::NoEncKey, Warning, "the JWK Set has no RSA encryption key: request objects cannot be encrypted to the provider"));
    }
    if let Some(leak) = crate::key_rules::leaks(keys).first() {
        out.push(Finding::new(
            FindingCode::PrivateMembersPublished,
            Error,
            format!(
                "key {} publishes private members ({})",
                leak.key.label(),
                leak.members.join(", ")
            ),
        ));
    }
    // The same strength rule every key loader applies (`key_rules`): such a key verifies nothing.
    for refused in crate::key_rules::refused_keys(keys) {
        out.push(Finding::new(FindingCode::WeakKey, Error, refused));
    }
    if keys.keys.iter().any(|k| k.kid.is_none()) && keys.keys.len() > 1 {
        out.push(Finding::new(
            FindingCode::KidMissing,
            Warning,
            "a key has no `kid` although the set has several keys",
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn good() -> Map<String, Value> {
        json!({
            "issuer": "https://idp.e2e.itsme.services/v2",
            "authorization_endpoint": "https://idp.e2e.itsme.services/v2/authorization",
            "token_endpoint": "https://idp.e2e.itsme.services/v2/token",
            "userinfo_endpoint": "https://idp.e2e.itsme.services/v2/userinfo",
            "jwks_uri": "https://idp.e2e.itsme.services/v2/jwkSet",
            "response_types_supported": ["code"],
            "subject_types_supported": ["pairwise"],
            "id_token_signing_alg_values_supported": ["RS256"],
            "id_token_encryption_alg_values_supported": ["RSA-OAEP-256"],
            "id_token_encryption_enc_values_supported": ["A128CBC-HS256"],
            "token_endpoint_auth_methods_supported": ["private_key_jwt"],
            "code_challenge_methods_supported": ["S256"],
        })
        .as_object()
        .cloned()
        .unwrap()
    }

    fn codes(findings: &[Finding]) -> Vec<&'static str> {
        findings.iter().map(|f| f.code.as_str()).collect()
    }

    #[test]
    fn a_good_document_has_no_findings() {
        assert!(check(&good(), "https://idp.e2e.itsme.services/v2", None).is_empty());
    }

    #[test]
    fn broken_documents_say_what_is_wrong() {
        assert_eq!(
            codes(&check(&good(), "https://idp.e2e.itsme.services/v2/", None)),
            ["issuer_mismatch"]
        );
        let mut m = good();
        m.remove("jwks_uri");
        m.insert("token_endpoint".into(), json!("http://idp.example/token"));
        m.insert("response_types_supported".into(), json!(["id_token"]));
        m.insert("code_challenge_methods_supported".into(), json!(["plain"]));
        m.insert(
            "token_endpoint_auth_methods_supported".into(),
            json!(["client_secret_basic"]),
        );
        let found = codes(&check(&m, "https://idp.e2e.itsme.services/v2", None));
        for code in [
            "missing_member",
            "insecure_endpoint",
            "no_code_flow",
            "no_pkce_s256",
            "pkce_plain_allowed",
            "no_client_auth",
        ] {
            assert!(found.contains(&code), "{code} in {found:?}");
        }
    }

    #[test]
    fn ciba_metadata_is_checked_only_when_present() {
        let issuer = "https://idp.e2e.itsme.services/v2";
        let mut m = good();
        m.insert(
            "backchannel_authentication_endpoint".into(),
            json!(format!("{issuer}/backchannel/authentication")),
        );
        m.insert(
            "backchannel_token_delivery_modes_supported".into(),
            json!(["poll", "ping"]),
        );
        m.insert(
            "backchannel_authentication_request_signing_alg_values_supported".into(),
            json!(["RS256"]),
        );
        m.insert(
            "grant_types_supported".into(),
            json!(["authorization_code", "urn:openid:params:grant-type:ciba"]),
        );
        assert!(check(&m, issuer, None).is_empty());
        m.insert(
            "backchannel_authentication_endpoint".into(),
            json!("http://idp.example/bc"),
        );
        assert_eq!(
            codes(&check(&m, issuer, None)),
            ["insecure_endpoint", "ciba_endpoint_unexpected"]
        );
        m.remove("backchannel_authentication_endpoint");
        assert_eq!(codes(&check(&m, issuer, None)), ["ciba_endpoint_missing"]);
    }

    #[test]
    fn check_reports_every_listed_code() {
        let issuer = "https://idp.e2e.itsme.services/v2";
        let with = |edit: &dyn Fn(&mut Map<String, Value>)| {
            let mut m = good();
            edit(&mut m);
            m
        };
        let documents = [
            good(),
            Map::new(),
            with(&|m| {
                m.insert("issuer".into(), json!("https://elsewhere.example/v2"));
            }),
            with(&|m| {
                m.insert("authorization_endpoint".into(), json!("not a url"));
                m.insert(
                    "userinfo_endpoint".into(),
                    json!("ftp://idp.example/userinfo"),
                );
                m.insert("jwks_uri".into(), json!("http://127.0.0.1:9/jwks"));
            }),
            with(&|m| {
                m.insert(
                    "id_token_signing_alg_values_supported".into(),
                    json!(["HS256"]),
                );
                m.insert(
                    "id_token_encryption_alg_values_supported".into(),
                    json!(["dir"]),
                );
                m.insert("id_token_encryption_enc_values_supported".into(), json!([]));
                m.insert(
                    "code_challenge_methods_supported".into(),
                    json!(["S256", "plain"]),
                );
                m.insert(
                    "token_endpoint_auth_methods_supported".into(),
                    json!("private_key_jwt"),
                );
            }),
            with(&|m| {
                m.insert("response_types_supported".into(), json!("code"));
                m.remove("code_challenge_methods_supported");
            }),
            with(&|m| {
                m.insert(
                    "backchannel_token_delivery_modes_supported".into(),
                    json!(["push"]),
                );
                m.insert(
                    "backchannel_authentication_request_signing_alg_values_supported".into(),
                    json!(["ES256"]),
                );
            }),
            with(&|m| {
                m.insert(
                    "backchannel_authentication_endpoint".into(),
                    json!("https://idp.e2e.itsme.services/v2/ciba"),
                );
                m.insert(
                    "grant_types_supported".into(),
                    json!(["authorization_code"]),
                );
            }),
        ];
        let key_sets = [
            None,
            Some(r#"{"keys":[]}"#),
            Some(
                r#"{"keys":[{"kty":"RSA","use":"sig","n":"AQAB","e":"AQAB","d":"x","p":"y"},{"kty":"RSA","use":"sig","kid":"a","n":"AQAB","e":"AQAB"}]}"#,
            ),
            Some(r#"{"keys":[{"kty":"RSA","n":"AQAB","e":"AQAB"}]}"#),
            Some(
                r#"{"keys":[{"kty":"EC","use":"sig","kid":"e","crv":"P-256","x":"AQAB","y":"AQAB"}]}"#,
            ),
        ];
        let mut seen = Vec::new();
        for document in &documents {
            for set in key_sets {
                let parsed = set.map(|s| PublicKeySet::parse(s.as_bytes()).unwrap());
                for finding in check(document, issuer, parsed.as_ref()) {
                    if !seen.contains(&finding.code) {
                        seen.push(finding.code);
                    }
                }
            }
        }
        // No stale entry: every code but the command's own is reachable from `check`.
        for code in FindingCode::ALL.into_iter().filter(|c| {
            // Reported by the command and by `read_document`.
            !matches!(
                c,
                FindingCode::JwksUnreachable | FindingCode::DuplicateMember
            )
        }) {
            assert!(seen.contains(&code), "`{code}` never reported: {seen:?}");
        }
    }

    #[test]
    fn every_code_is_documented() {
        let doc = include_str!("../../docs/discovery.md");
        for code in FindingCode::ALL {
            assert!(
                doc.contains(&format!("| `{code}` |")),
                "docs/discovery.md lacks `{code}`"
            );
        }
    }

    #[test]
    fn keys_are_checked_too() {
        // 2048-bit moduli (odd, top bit set), so that only the findings named below apply.
        let n = "wAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAQ";
        let text = format!(
            r#"{{"keys":[{{"kty":"RSA","use":"enc","n":"{n}","e":"AQAB","d":"x"}},{{"kty":"RSA","use":"enc","n":"{n}","e":"AQAB"}}]}}"#
        );
        let set = PublicKeySet::parse(text.as_bytes()).unwrap();
        let found = codes(&check(
            &good(),
            "https://idp.e2e.itsme.services/v2",
            Some(&set),
        ));
        assert_eq!(
            found,
            ["no_sig_key", "private_members_published", "kid_missing"]
        );
    }

    #[test]
    fn weak_provider_keys_are_findings_naming_the_key() {
        let set = PublicKeySet::parse(
            br#"{"keys":[{"kty":"RSA","use":"sig","kid":"tiny","n":"AQAB","e":"AQAB"}]}"#,
        )
        .unwrap();
        let findings = check(&good(), "https://idp.e2e.itsme.services/v2", Some(&set));
        let weak: Vec<&Finding> = findings
            .iter()
            .filter(|f| f.code == FindingCode::WeakKey)
            .collect();
        assert_eq!(weak.len(), 1, "{findings:?}");
        assert!(weak[0].message.contains("`tiny`"), "{}", weak[0].message);
        assert_eq!(weak[0].severity, Severity::Error);
    }

    #[test]
    fn a_repeated_member_is_found_named_and_never_used() {
        let document = read_document(
            br#"{"issuer":"https://attacker.example","issuer":"https://idp.example"}"#,
        )
        .unwrap();
        assert_eq!(document.metadata["issuer"], "https://idp.example");
        let finding = document.finding().unwrap();
        assert_eq!(
            (finding.code, finding.severity),
            (FindingCode::DuplicateMember, Severity::Error)
        );
        assert!(
            finding
                .message
                .starts_with("the document has the member `issuer` twice;"),
            "{}",
            finding.message
        );
        assert_eq!(document.unambiguous().unwrap_err().member, "issuer");
        // Nested members count too.
        let nested = read_document(
            br#"{"mtls_endpoint_aliases":{"token_endpoint":"a","token_endpoint":"b"}}"#,
        )
        .unwrap();
        assert_eq!(nested.duplicate.unwrap().path, "mtls_endpoint_aliases");
        let clean = read_document(br#"{"issuer":"x","jwks_uri":"y"}"#).unwrap();
        assert!(clean.finding().is_none());
        assert_eq!(clean.unambiguous().unwrap().len(), 2);
        assert!(matches!(
            read_document(b"[]"),
            Err(JsonError::NotAnObject(_))
        ));
        assert!(matches!(
            read_document(b"<html>"),
            Err(JsonError::NotJson(_))
        ));
    }
}
