//! What `keys` and `discovery` report about each key, and the remarks `keys show` makes on a set
//! (PROTOCOL §3). Pure: the command reads the file or fetches the set.

use crate::codes::stable_codes;
use std::path::PathBuf;

use serde::Serialize;

use crate::jose::keys::PublicKeySet;

/// One key, described.
#[derive(Debug, Clone, Serialize)]
pub struct KeySummary {
    /// `kid`, if any.
    pub kid: Option<String>,
    /// `kty`.
    pub kty: String,
    /// `use`, if any.
    #[serde(rename = "use")]
    pub key_use: Option<String>,
    /// `alg`, if any.
    pub alg: Option<String>,
    /// Modulus size.
    pub bits: Option<u32>,
    /// RFC 7638 thumbprint.
    pub thumbprint: Option<String>,
    /// Private members present in the key ([`super::private_members`]).
    pub private_members: Vec<&'static str>,
    /// What the strength rule finds ([`super::public_key_weaknesses`]); reported as findings.
    #[serde(skip)]
    pub weaknesses: Vec<super::Weakness>,
    /// The `kid` of the published sample key this is ([`super::published_sample`]), if it is one.
    #[serde(skip)]
    pub published_sample: Option<&'static str>,
}

/// One summary per key of a set, in set order.
pub fn describe_set(set: &PublicKeySet) -> Vec<KeySummary> {
    set.keys
        .iter()
        .map(|k| KeySummary {
            kid: k.kid.clone(),
            kty: k.kty.clone(),
            key_use: k.key_use.clone(),
            alg: k.alg.clone(),
            bits: k.bits,
            thumbprint: k.thumbprint(),
            private_members: super::private_members(&k.jwk),
            weaknesses: super::public_key_weaknesses(k),
            published_sample: k.thumbprint().as_deref().and_then(super::published_sample),
        })
        .collect()
}

/// What `keys generate` made.
#[derive(Debug, Serialize)]
pub struct GenerateReport {
    /// The private JWK Set file (mode 0600).
    pub private_jwks: PathBuf,
    /// The public JWK Set file, to host at the jwks_uri.
    pub public_jwks: PathBuf,
    /// The keys.
    pub keys: Vec<KeySummary>,
}

/// What `keys show` found.
#[derive(Debug, Serialize)]
pub struct ShowReport {
    /// The file or URL.
    pub source: String,
    /// Whether the set was treated as meant to be public.
    pub public: bool,
    /// No error findings.
    pub valid: bool,
    /// The keys.
    pub keys: Vec<KeySummary>,
    /// Remarks.
    pub findings: Vec<KeyFinding>,
}

stable_codes! {
    /// The stable code of a `keys show` remark (docs/keys.md, docs/json-output.md).
    pub enum KeyCode {
        /// A set meant to be public carries private members ([`super::leaks`]).
        PrivateMembersPublished => "private_members_published",
        /// Not an RSA key.
        NotRsa => "not_rsa",
        /// No `kid`.
        KidMissing => "kid_missing",
        /// No `use`.
        UseMissing => "use_missing",
        /// Fewer than [`super::MIN_RSA_BITS`] bits (refused: an error).
        KeyTooSmall => "key_too_small",
        /// Refused by the strength rule for another reason: a public exponent that is even,
        /// below 3 or not below 2^256, an even modulus, unreadable numbers ([`super::Weakness`]).
        KeyWeak => "key_weak",
        /// A public exponent of 3 to 2^16: sound, but not what keys are generated with.
        KeyExponentSmall => "key_exponent_small",
        /// One of Belgian Mobile ID's published sample keys ([`super::published_sample`]).
        PublishedSampleKey => "published_sample_key",
        /// Two keys share a `kid`.
        DuplicateKid => "duplicate_kid",
        /// The set is empty.
        NoKeys => "no_keys",
        /// No RSA key with `use: sig`.
        NoSigKey => "no_sig_key",
        /// No RSA key with `use: enc`.
        NoEncKey => "no_enc_key",
    }
}

/// A remark on a key set.
#[derive(Debug, Clone, Serialize)]
pub struct KeyFinding {
    /// Stable code.
    pub code: KeyCode,
    /// `error` or `warning`.
    pub severity: &'static str,
    /// In words.
    pub message: String,
}

/// Remarks per PROTOCOL §3: RSA only, a kid on every key, sig and enc keys, ≥ 2048 bits and a sound
/// exponent ([`super::rsa_weaknesses`]), no published sample key, no private members in a set meant
/// to be `public`. Each key's remarks in set order, then the set's.
pub fn show_findings(keys: &[KeySummary], public: bool) -> Vec<KeyFinding> {
    let mut out: Vec<KeyFinding> = keys
        .iter()
        .enumerate()
        .flat_map(|(i, key)| key_findings(i, key, public))
        .collect();
    out.extend(set_findings(keys));
    out
}

fn finding(code: KeyCode, severity: &'static str, message: String) -> KeyFinding {
    KeyFinding {
        code,
        severity,
        message,
    }
}

/// The remarks on the key at `index` (from 0).
fn key_findings(index: usize, key: &KeySummary, public: bool) -> Vec<KeyFinding> {
    let mut out = Vec::new();
    let name = match (&key.kid, &key.thumbprint) {
        (Some(kid), _) => format!("key `{kid}`"),
        (None, Some(thumbprint)) => format!("key #{} (thumbprint `{thumbprint}`)", index + 1),
        (None, None) => format!("key #{}", index + 1),
    };
    if let Some(sample) = key.published_sample {
        out.push(finding(
            KeyCode::PublishedSampleKey,
            "error",
            format!("{name} {}", super::sample_reason(sample)),
        ));
    }
    if public && !key.private_members.is_empty() {
        out.push(finding(
            KeyCode::PrivateMembersPublished,
            "error",
            format!("{name} {}", super::leak_reason(&key.private_members)),
        ));
    }
    if key.kty != "RSA" {
        out.push(finding(
            KeyCode::NotRsa,
            "warning",
            format!("{name} is a `{}` key; itsme® uses RSA keys only", key.kty),
        ));
    }
    if key.kid.is_none() {
        out.push(finding(
            KeyCode::KidMissing,
            "warning",
            format!("{name} has no `kid`; itsme® requires one on every key"),
        ));
    }
    if key.key_use.is_none() {
        out.push(finding(
            KeyCode::UseMissing,
            "warning",
            format!("{name} has no `use`; itsme® expects `sig` or `enc`"),
        ));
    }
    for weakness in &key.weaknesses {
        let (code, severity) = match weakness {
            super::Weakness::ModulusTooSmall { .. } => (KeyCode::KeyTooSmall, "error"),
            super::Weakness::ExponentSmall { .. } => (KeyCode::KeyExponentSmall, "warning"),
            _ => (KeyCode::KeyWeak, "error"),
        };
        let verdict = if weakness.refused() {
            "is refused"
        } else {
            "is doubtful"
        };
        out.push(finding(
            code,
            severity,
            format!("{name} {verdict}: {}", weakness.reason()),
        ));
    }
    out
}

/// The remarks on the set as a whole: shared kids, no keys, no sig or enc key.
fn set_findings(keys: &[KeySummary]) -> Vec<KeyFinding> {
    let mut out = Vec::new();
    let mut kids: Vec<&str> = keys.iter().filter_map(|k| k.kid.as_deref()).collect();
    kids.sort_unstable();
    let mut duplicates: Vec<&str> = kids
        .windows(2)
        .filter(|p| p[0] == p[1])
        .map(|p| p[0])
        .collect();
    duplicates.dedup();
    for kid in duplicates {
        out.push(finding(
            KeyCode::DuplicateKid,
            "warning",
            format!("`{kid}` is the kid of more than one key"),
        ));
    }
    if keys.is_empty() {
        out.push(finding(
            KeyCode::NoKeys,
            "error",
            "the set holds no keys".into(),
        ));
        return out;
    }
    let has = |u: &str| {
        keys.iter()
            .any(|k| k.kty == "RSA" && k.key_use.as_deref() == Some(u))
    };
    if !has("sig") {
        out.push(finding(KeyCode::NoSigKey, "warning", "no RSA key with `use: sig`: itsme® needs one to check your client assertions and request objects".into()));
    }
    if !has("enc") {
        out.push(finding(
            KeyCode::NoEncKey,
            "warning",
            "no RSA key with `use: enc`: itsme® needs one to encrypt ID tokens to you".into(),
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_is_reachable_and_documented() {
        // A 2048-bit odd modulus.
        let n = base64::Engine::encode(
            &base64::engine::general_purpose::URL_SAFE_NO_PAD,
            [[0xc5; 255].as_slice(), &[1]].concat(),
        );
        let weak = format!(
            r#"{{"keys":[{{"kty":"RSA","kid":"one","n":"{n}","e":"AQ"}},{{"kty":"RSA","kid":"three","n":"{n}","e":"Aw"}}]}}"#
        );
        let sets = [
            r#"{"keys":[]}"#,
            r#"{"keys":[{"kty":"RSA","n":"AQAB","e":"AQAB","d":"x"},{"kty":"EC","kid":"a","use":"sig"},{"kty":"EC","kid":"a","use":"enc"}]}"#,
            weak.as_str(),
            include_str!("published-sample-keys.json"),
        ];
        let mut seen = Vec::new();
        for set in sets {
            let keys = describe_set(&PublicKeySet::parse(set.as_bytes()).unwrap());
            seen.extend(show_findings(&keys, true).into_iter().map(|f| f.code));
        }
        let doc = include_str!("../../docs/json-output.md");
        for code in KeyCode::ALL {
            assert!(seen.contains(&code), "`{code}` is never reported");
            assert!(
                doc.contains(&format!("`{code}`")),
                "docs/json-output.md lacks `{code}`"
            );
        }
    }
}
