//! Checks of a provider's discovery document (OpenID Connect Discovery 1.0 §3, §4.3) and of what an
//! itsme® client needs from it (PROTOCOL §3–§5). Pure: the caller fetches.

use serde::Serialize;
use serde_json::{Map, Value};
use url::Url;

use crate::jose::keys::PublicKeySet;

/// How bad a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// An itsme® client cannot work with this.
    Error,
    /// Worth knowing.
    Warning,
}

/// One finding, with a stable code.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    /// Stable code.
    pub code: &'static str,
    /// Error or warning.
    pub severity: Severity,
    /// In words.
    pub message: String,
}

fn finding(code: &'static str, severity: Severity, message: impl Into<String>) -> Finding {
    Finding {
        code,
        severity,
        message: message.into(),
    }
}

/// Every code a discovery finding can carry: those [`check`] reports, then `jwks_unreachable`,
/// which `itsme-cli discovery --check` adds itself when the provider's JWK Set cannot be fetched.
/// Codes are stable (docs/discovery.md); the troubleshooting guide is checked against this list.
pub const FINDING_CODES: &[&str] = &[
    "issuer_mismatch",
    "missing_member",
    "insecure_endpoint",
    "invalid_endpoint",
    "no_code_flow",
    "no_pkce_s256",
    "pkce_plain_allowed",
    "no_client_auth",
    "no_rs256",
    "no_rsa_oaep",
    "no_content_encryption",
    "no_sig_key",
    "no_enc_key",
    "private_members_published",
    "kid_missing",
    "jwks_unreachable",
];

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

const ENDPOINTS: [&str; 5] = [
    "authorization_endpoint",
    "token_endpoint",
    "userinfo_endpoint",
    "jwks_uri",
    "end_session_endpoint",
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
    use Severity::{Error, Warning};
    let mut out = Vec::new();
    match metadata.get("issuer").and_then(Value::as_str) {
        Some(published) if published == issuer => {}
        Some(published) => out.push(finding(
            "issuer_mismatch",
            Error,
            format!("`issuer` is `{published}` but the document was fetched for `{issuer}`; they must be identical (Discovery §4.3), or every ID token fails its `iss` check"),
        )),
        None => {}
    }
    for member in REQUIRED {
        if !metadata.contains_key(member) {
            out.push(finding(
                "missing_member",
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
            Ok(_) => out.push(finding("insecure_endpoint", Error, format!("`{member}` is `{text}`: endpoints must be https (only loopback test providers may use http)"))),
            Err(_) => out.push(finding("invalid_endpoint", Error, format!("`{member}` is not a URL: `{text}`"))),
        }
    }
    if !strings(metadata, "response_types_supported").contains(&"code") {
        out.push(finding("no_code_flow", Error, "`response_types_supported` lacks `code`: itsme® clients use the authorization code flow"));
    }
    let pkce = strings(metadata, "code_challenge_methods_supported");
    if !pkce.contains(&"S256") {
        out.push(finding(
            "no_pkce_s256",
            Warning,
            "`code_challenge_methods_supported` does not list `S256`: PKCE may not be supported",
        ));
    }
    if pkce.contains(&"plain") {
        out.push(finding(
            "pkce_plain_allowed",
            Warning,
            "PKCE `plain` is advertised; only S256 protects the code",
        ));
    }
    let auth = strings(metadata, "token_endpoint_auth_methods_supported");
    if !auth.contains(&"private_key_jwt") && !auth.contains(&"client_secret_post") {
        out.push(finding("no_client_auth", Error, "`token_endpoint_auth_methods_supported` has neither `private_key_jwt` nor `client_secret_post` (PROTOCOL §3)"));
    }
    if !strings(metadata, "id_token_signing_alg_values_supported").contains(&"RS256") {
        out.push(finding(
            "no_rs256",
            Error,
            "`id_token_signing_alg_values_supported` lacks RS256",
        ));
    }
    let algs = strings(metadata, "id_token_encryption_alg_values_supported");
    if !algs
        .iter()
        .any(|a| matches!(*a, "RSA-OAEP" | "RSA-OAEP-256"))
    {
        out.push(finding("no_rsa_oaep", Warning, "no RSA-OAEP or RSA-OAEP-256 ID-token encryption is advertised: private_key_jwt partners receive encrypted ID tokens (PROTOCOL §5)"));
    }
    let encs = strings(metadata, "id_token_encryption_enc_values_supported");
    if !encs
        .iter()
        .any(|e| e.contains("CBC-HS") || e.ends_with("GCM"))
    {
        out.push(finding(
            "no_content_encryption",
            Warning,
            "no CBC-HS or GCM content encryption is advertised for ID tokens",
        ));
    }
    if let Some(keys) = keys {
        let rsa_use = |u: &str| {
            keys.keys
                .iter()
                .any(|k| k.kty == "RSA" && k.key_use.as_deref().is_none_or(|x| x == u))
        };
        if !rsa_use("sig") {
            out.push(finding(
                "no_sig_key",
                Error,
                "the JWK Set has no RSA signing key: ID token signatures cannot be verified",
            ));
        }
        if !rsa_use("enc") {
            out.push(finding("no_enc_key", Warning, "the JWK Set has no RSA encryption key: request objects cannot be encrypted to the provider"));
        }
        if let Some(key) = keys.keys.iter().find(|k| !k.private_members.is_empty()) {
            out.push(finding(
                "private_members_published",
                Error,
                format!(
                    "key {} publishes private members ({})",
                    key.label(),
                    key.private_members.join(", ")
                ),
            ));
        }
        if keys.keys.iter().any(|k| k.kid.is_none()) && keys.keys.len() > 1 {
            out.push(finding(
                "kid_missing",
                Warning,
                "a key has no `kid` although the set has several keys",
            ));
        }
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
        findings.iter().map(|f| f.code).collect()
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
    fn check_reports_only_listed_codes_and_every_one_of_them() {
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
        let mut seen = std::collections::BTreeSet::new();
        for document in &documents {
            for set in key_sets {
                let parsed = set.map(|s| PublicKeySet::parse(s.as_bytes()).unwrap());
                for finding in check(document, issuer, parsed.as_ref()) {
                    assert!(
                        FINDING_CODES.contains(&finding.code),
                        "`{}` is not in FINDING_CODES",
                        finding.code
                    );
                    seen.insert(finding.code);
                }
            }
        }
        // No stale entry: every listed code but the command's own is reachable from `check`.
        for code in FINDING_CODES.iter().filter(|c| **c != "jwks_unreachable") {
            assert!(seen.contains(code), "`{code}` never reported: {seen:?}");
        }
        // Every literal code in the (non-test) sources that report findings is listed.
        for source in [
            include_str!("discovery.rs"),
            include_str!("../commands/discovery.rs"),
        ] {
            let source = source.split("#[cfg(test)]").next().unwrap();
            for marker in ["finding(", "code: "] {
                for (at, _) in source.match_indices(marker) {
                    let rest = source[at + marker.len()..].trim_start();
                    if let Some(literal) = rest.strip_prefix('"') {
                        let code = &literal[..literal.find('"').unwrap()];
                        assert!(
                            FINDING_CODES.contains(&code),
                            "`{code}` is not in FINDING_CODES"
                        );
                    }
                }
            }
        }
        assert!(include_str!("../commands/discovery.rs").contains("code: \"jwks_unreachable\""));
    }

    #[test]
    fn keys_are_checked_too() {
        let set = PublicKeySet::parse(br#"{"keys":[{"kty":"RSA","use":"enc","n":"AQAB","e":"AQAB","d":"x"},{"kty":"RSA","use":"enc","n":"AQAB","e":"AQAB"}]}"#).unwrap();
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
}
