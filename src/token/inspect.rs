//! The inspection pipeline: parse → decrypt (JWE) → verify (JWS) → validate claims → itsme® checks.
//! Every stage that can still run after a problem does, so that the report lists every problem.

use std::collections::BTreeMap;

use serde::Serialize;
use serde_json::{Map, Value};

use super::keysource::ProviderKeys;
use crate::findings::{Code, Finding, Unchecked};
use crate::itsme::claim_checks::{self, CheckDigits};
use crate::itsme::photo::PhotoInfo;
use crate::jose::compact::{self, Compact, Header, Jwe, Jws, header_str};
use crate::jose::crypto::{self, JWE_ALGS, JWE_ENCS, RsaDecrypter};
use crate::jose::keys::{PrivateKey, PublicKey};
use crate::limits::MAX_TOKEN_BYTES;
use crate::oidc::validate::{self, Expectations, TokenKind};
use crate::secret::Secret;

/// Everything that can decrypt or verify: the partner's private keys, its client secret, and the
/// provider's public keys. Built once and reused for every token of a batch.
pub struct Keyring {
    decrypters: Vec<(PrivateKey, RsaDecrypter)>,
    client_secret: Option<Secret>,
    provider: Box<dyn ProviderKeys>,
}

impl Keyring {
    /// The provider's keys as fetched from a URL during inspection, if they were
    /// ([`ProviderKeys::fetched`]), and where from.
    pub fn fetched_provider_keys(&self) -> Option<(&crate::jose::keys::PublicKeySet, String)> {
        self.provider
            .fetched()
            .map(|set| (set, self.provider.origin()))
    }

    /// A keyring; private keys are prepared for decryption once, here.
    pub fn new(
        private_keys: Vec<PrivateKey>,
        client_secret: Option<Secret>,
        provider: Box<dyn ProviderKeys>,
    ) -> Self {
        let decrypters = private_keys
            .into_iter()
            .map(|key| {
                let decrypter = RsaDecrypter::new(&key);
                (key, decrypter)
            })
            .collect();
        Keyring {
            decrypters,
            client_secret,
            provider,
        }
    }
}

/// How to inspect.
#[derive(Debug, Clone)]
pub struct InspectOptions {
    /// What the claims are checked against.
    pub expect: Expectations,
    /// `false` for `--no-verify`: decode only.
    pub verify_signature: bool,
}

/// Which key decrypted the JWE.
#[derive(Debug, Clone, Serialize)]
pub struct Decryption {
    /// `alg` of the JWE.
    pub alg: String,
    /// `enc` of the JWE.
    pub enc: String,
    /// The `kid` of the key that decrypted it (none for `dir`).
    pub kid: Option<String>,
    /// The key in words: `key `…` from `file``, or `client secret`.
    pub key: String,
}

/// Which key verified the signature.
#[derive(Debug, Clone, Serialize)]
pub struct Signature {
    /// `alg` of the JWS.
    pub alg: String,
    /// The `kid` of the verifying key (none for HS256).
    pub kid: Option<String>,
    /// The key in words.
    pub key: String,
}

/// The complete verdict on one token. Serialized as the `decode-token` JSON document.
#[derive(Debug, Clone, Serialize)]
pub struct TokenReport {
    /// Verified and no errors (for an encrypted-only userinfo: decrypted and no errors).
    pub valid: bool,
    /// The signature was verified.
    pub verified: bool,
    /// Which rules applied.
    pub kind: TokenKind,
    /// The JWE protected header, for encrypted tokens.
    pub jwe: Option<Header>,
    /// The JWS protected header, once known.
    pub jws: Option<Header>,
    /// Which key decrypted it.
    pub decryption: Option<Decryption>,
    /// Which key verified it.
    pub signature: Option<Signature>,
    /// The claims, once decoded (verified or not: see `verified`).
    pub claims: Option<Map<String, Value>>,
    /// What makes the token invalid.
    pub errors: Vec<Finding>,
    /// Remarks.
    pub warnings: Vec<Finding>,
    /// Checks that were skipped because their expected value was not given.
    pub unchecked: Vec<Unchecked>,
    /// The ID-document photo, when the token carries a readable one.
    pub photo: Option<PhotoInfo>,
    /// The check-digit result of the claims the human view explains, by claim name (from
    /// [`claim_checks::check`]; not part of the JSON document, whose warnings carry the failures).
    #[serde(skip)]
    pub check_digits: BTreeMap<String, CheckDigits>,
}

impl TokenReport {
    /// What to try next for the two mistakes people make most with `decode-token`: a userinfo
    /// response decoded as an ID token (no `exp`, `iat` or `nonce`: userinfo carries none of them,
    /// OpenID Connect Core §5.3.2), and an expired token copied from an old log.
    pub fn next_steps(&self) -> Vec<String> {
        let has = |code: Code| self.errors.iter().any(|f| f.code == code);
        let claim = |name: &str| self.claims.as_ref().and_then(|c| c.get(name));
        let mut steps = Vec::new();
        if self.kind == TokenKind::IdToken
            && has(Code::ExpMissing)
            && claim("iat").is_none()
            && claim("nonce").is_none()
        {
            steps.push(
                "this looks like a userinfo response (no exp, iat or nonce): decode it with --userinfo"
                    .to_string(),
            );
        }
        if has(Code::Expired)
            && let Some(iat) = claim("iat").and_then(Value::as_i64)
        {
            steps.push(format!(
                "a token from an old log? validate it as of when it was made: --now {iat}"
            ));
        }
        steps
    }

    fn new(kind: TokenKind) -> Self {
        TokenReport {
            valid: false,
            verified: false,
            kind,
            jwe: None,
            jws: None,
            decryption: None,
            signature: None,
            claims: None,
            errors: Vec::new(),
            warnings: Vec::new(),
            unchecked: Vec::new(),
            photo: None,
            check_digits: BTreeMap::new(),
        }
    }

    /// A report for input that is not a token at all (oversized, not text).
    pub fn malformed(kind: TokenKind, message: impl Into<String>) -> Self {
        let mut report = TokenReport::new(kind);
        report.error(Code::Malformed, message);
        report
    }

    fn error(&mut self, code: Code, message: impl Into<String>) {
        self.errors.push(Finding::new(code, message));
    }

    /// Adds a warning (a remark that does not make the token invalid).
    pub fn warning(&mut self, code: Code, message: impl Into<String>) {
        self.warnings.push(Finding::new(code, message));
    }

    /// The codes of the errors, in order.
    pub fn error_codes(&self) -> Vec<Code> {
        self.errors.iter().map(|f| f.code).collect()
    }
}

/// Inspects one token. `Err` means trouble outside the token (provider keys could not be fetched);
/// everything wrong with the token itself is in the report.
pub fn inspect(
    token: &str,
    keyring: &mut Keyring,
    options: &InspectOptions,
) -> anyhow::Result<TokenReport> {
    let mut report = TokenReport::new(options.expect.kind);
    if token.len() > MAX_TOKEN_BYTES {
        report.error(
            Code::Malformed,
            "the input is larger than 1 MiB; tokens that large are refused",
        );
        return Ok(report);
    }
    let parsed = match compact::parse(token) {
        Ok(parsed) => parsed,
        Err(malformed) => {
            report.error(Code::Malformed, malformed.0);
            return Ok(report);
        }
    };
    let plaintext;
    let jws = match parsed {
        Compact::Jws(jws) => jws,
        Compact::Jwe(jwe) => {
            report.jwe = Some(jwe.header.clone());
            let typed = validate::header_type(&jwe.header, "JWE", options.expect.kind);
            report.errors.extend(typed);
            let Some(decrypted) = decrypt(&jwe, keyring, &mut report) else {
                return Ok(report);
            };
            plaintext = decrypted;
            match inner_token(&jwe.header, &plaintext, &mut report) {
                Inner::Jws(jws) => jws,
                Inner::Claims(claims) => {
                    unsigned_claims(claims, options, &mut report);
                    return Ok(report);
                }
                Inner::Broken => return Ok(report),
            }
        }
    };
    report.jws = Some(jws.header.clone());
    let typed = validate::header_type(&jws.header, "JWS", options.expect.kind);
    report.errors.extend(typed);
    if options.verify_signature {
        verify(&jws, keyring, &mut report)?;
    } else {
        report.unchecked.push(Unchecked {
            check: "signature",
            hint: "leave out --no-verify",
        });
    }
    match compact::parse_claims(&jws.payload, "payload") {
        Ok(claims) => {
            let alg = header_str(&jws.header, "alg").map(str::to_string);
            check_claims(claims, alg.as_deref(), options, &mut report);
        }
        Err(malformed) => report.error(Code::Malformed, malformed.0),
    }
    report.valid = report.verified && report.errors.is_empty();
    Ok(report)
}

/// Validates claims that came as plain JSON, not as a token: a userinfo response over TLS
/// (OpenID Connect Core §5.3.2). There is no signature to verify (`verified` stays false); the claim
/// rules and the itsme® checks apply, and the report is valid when they find no error.
pub fn inspect_claims(claims: Map<String, Value>, options: &InspectOptions) -> TokenReport {
    let mut report = TokenReport::new(options.expect.kind);
    check_claims(claims, None, options, &mut report);
    report.valid = report.errors.is_empty();
    report
}

enum Inner<'a> {
    Jws(Jws<'a>),
    Claims(Map<String, Value>),
    Broken,
}

/// What the JWE's plaintext is: a nested JWS (`cty: JWT`, or three base64url parts), or claims.
fn inner_token<'p>(header: &Header, plaintext: &'p [u8], report: &mut TokenReport) -> Inner<'p> {
    let Ok(text) = std::str::from_utf8(plaintext) else {
        report.error(Code::Malformed, "the decrypted content is not UTF-8 text");
        return Inner::Broken;
    };
    let text = text.trim();
    let declared_jwt = header_str(header, "cty").is_some_and(|c| c.eq_ignore_ascii_case("JWT"));
    if declared_jwt || (!text.starts_with('{') && text.matches('.').count() == 2) {
        return match compact::parse(text) {
            Ok(Compact::Jws(jws)) => Inner::Jws(jws),
            Ok(Compact::Jwe(_)) => {
                report.error(Code::Malformed, "the decrypted content is another JWE; doubly encrypted tokens are not supported");
                Inner::Broken
            }
            Err(malformed) => {
                report.error(
                    Code::Malformed,
                    format!("the decrypted content is not a valid JWS: {malformed}"),
                );
                Inner::Broken
            }
        };
    }
    match compact::parse_claims(text.as_bytes(), "decrypted content") {
        Ok(claims) => Inner::Claims(claims),
        Err(malformed) => {
            report.error(Code::Malformed, malformed.0);
            Inner::Broken
        }
    }
}

/// Encrypted claims without a signature: acceptable for userinfo (OpenID Connect Core §5.3.2
/// allows encrypted-only responses), never for an ID token (§2: ID tokens MUST be signed).
fn unsigned_claims(claims: Map<String, Value>, options: &InspectOptions, report: &mut TokenReport) {
    let message =
        "the decrypted content is JSON claims with no signature: nothing proves who made it";
    match options.expect.kind {
        TokenKind::Userinfo => report.warning(Code::NotSigned, message),
        TokenKind::IdToken => report.error(
            Code::NotSigned,
            format!("{message}; ID tokens must be signed (OpenID Connect Core §2)"),
        ),
        TokenKind::RequestObject => report.error(
            Code::NotSigned,
            format!("{message}; request objects must be signed (docs/itsme-facts.md#authorization-request)"),
        ),
    }
    check_claims(claims, None, options, report);
    report.valid = options.verify_signature
        && options.expect.kind == TokenKind::Userinfo
        && report.errors.is_empty();
}

fn check_claims(
    claims: Map<String, Value>,
    alg: Option<&str>,
    options: &InspectOptions,
    report: &mut TokenReport,
) {
    let checks = validate::validate(&claims, &options.expect, alg);
    report.errors.extend(checks.errors);
    report.warnings.extend(checks.warnings);
    report.unchecked.extend(checks.unchecked);
    if options.expect.kind == TokenKind::RequestObject {
        let checks = crate::oidc::request_object::check(
            &claims,
            report.jwe.is_some(),
            alg,
            options.expect.issuer.as_deref(),
            options.expect.client_id.as_deref(),
        );
        report.errors.extend(checks.errors);
        report.warnings.extend(checks.warnings);
        report.unchecked.extend(checks.unchecked);
    }
    let itsme = claim_checks::check(&claims);
    report.warnings.extend(itsme.warnings);
    report.photo = itsme.photo;
    report.check_digits = itsme.check_digits;
    report.claims = Some(claims);
}

/// Rejects any critical header extension: the tool implements none (RFC 7515 §4.1.11, RFC 7516 §4.1.13).
fn check_crit(header: &Header, what: &str, report: &mut TokenReport) -> bool {
    let Some(crit) = header.get("crit") else {
        return true;
    };
    let names: Vec<String> = match crit.as_array() {
        Some(items) => items
            .iter()
            .map(|i| {
                i.as_str()
                    .map_or_else(|| i.to_string(), |s| format!("`{s}`"))
            })
            .collect(),
        None => vec![crit.to_string()],
    };
    report.error(
        Code::CritUnsupported,
        format!("the {what} header marks {} as critical, and this tool does not implement that extension", names.join(", ")),
    );
    false
}

fn decrypt(jwe: &Jwe<'_>, keyring: &Keyring, report: &mut TokenReport) -> Option<Vec<u8>> {
    if !check_crit(&jwe.header, "JWE", report) {
        return None;
    }
    let (Some(alg), Some(enc)) = (
        header_str(&jwe.header, "alg"),
        header_str(&jwe.header, "enc"),
    ) else {
        report.error(
            Code::Malformed,
            "the JWE header lacks a string `alg` or `enc`",
        );
        return None;
    };
    if !JWE_ALGS.contains(&alg) {
        report.error(
            Code::AlgNotAllowed,
            format!("JWE `alg` `{alg}` is not accepted; itsme® uses RSA-OAEP-256, RSA-OAEP or dir (docs/itsme-facts.md#client-authentication and #tokens-and-userinfo)"),
        );
        return None;
    }
    if !JWE_ENCS.contains(&enc) {
        report.error(
            Code::AlgNotAllowed,
            format!(
                "JWE `enc` `{enc}` is not accepted; expected one of {}",
                JWE_ENCS.join(", ")
            ),
        );
        return None;
    }
    if jwe.header.contains_key("zip") {
        report.error(
            Code::AlgNotAllowed,
            "compressed JWEs (`zip`) are refused: OpenID providers do not send them",
        );
        return None;
    }
    if alg == "dir" {
        decrypt_with_secret(jwe, enc, keyring, report)
    } else {
        decrypt_with_keys(jwe, alg, enc, keyring, report)
    }
}

fn decrypt_with_secret(
    jwe: &Jwe<'_>,
    enc: &str,
    keyring: &Keyring,
    report: &mut TokenReport,
) -> Option<Vec<u8>> {
    let Some(secret) = &keyring.client_secret else {
        report.error(
            Code::NoDecryptionKey,
            "the token is encrypted with a key derived from the client secret (`alg: dir`); give the secret with ITSME_CLIENT_SECRET or --client-secret",
        );
        return None;
    };
    let key = crypto::dir_key_from_secret(secret.expose(), enc)?;
    match crypto::decrypt_dir(jwe.compact, &key) {
        Ok(plaintext) => {
            report.decryption = Some(Decryption {
                alg: "dir".into(),
                enc: enc.into(),
                kid: None,
                key: "client secret".into(),
            });
            Some(plaintext)
        }
        Err(_) => {
            report.error(
                Code::DecryptionFailed,
                format!("the client secret does not decrypt it ({enc}): the secret is wrong, or the token was made for another client"),
            );
            None
        }
    }
}

fn decrypt_with_keys(
    jwe: &Jwe<'_>,
    alg: &str,
    enc: &str,
    keyring: &Keyring,
    report: &mut TokenReport,
) -> Option<Vec<u8>> {
    let header_kid = header_str(&jwe.header, "kid");
    let named = |k: &PrivateKey| header_kid == Some(k.kid.as_str());
    // The key the header names first, then every other encryption key (PROTOCOL §3: with several
    // enc keys published, itsme® picks one; old kids may linger during a rotation).
    // A key whose `use` or `key_ops` forbids decrypting is never tried, even when named
    // (RFC 7517 §4.2–4.3: a `sig` key must not decrypt).
    let candidates: Vec<&(PrivateKey, RsaDecrypter)> = keyring
        .decrypters
        .iter()
        .filter(|(k, _)| named(k) && k.usable_for_encryption())
        .chain(
            keyring
                .decrypters
                .iter()
                .filter(|(k, _)| !named(k) && k.usable_for_encryption()),
        )
        .collect();
    let wanted = match header_kid {
        Some(kid) => format!("key `{kid}`"),
        None => "a key it does not name (no `kid`)".into(),
    };
    let forbidden = keyring
        .decrypters
        .iter()
        .find(|(k, _)| named(k) && !k.usable_for_encryption())
        .map(|(k, _)| {
            format!(
                "; key `{}` may not decrypt: {} (RFC 7517 §4.2–4.3)",
                k.kid,
                key_purpose(k.key_use.as_deref(), k.key_ops.as_deref())
            )
        })
        .unwrap_or_default();
    if candidates.is_empty() {
        let message = if keyring.decrypters.is_empty() {
            format!(
                "the token is encrypted ({alg}) to {wanted}; give the partner's private keys with --keys"
            )
        } else {
            format!(
                "the token is encrypted ({alg}) to {wanted}, and none of the given keys is an encryption key (`use: enc`){forbidden}"
            )
        };
        report.error(Code::NoDecryptionKey, message);
        return None;
    }
    for (key, decrypter) in &candidates {
        if let Ok(plaintext) = decrypter.decrypt(jwe.compact, alg) {
            if let Some(kid) = header_kid.filter(|kid| *kid != key.kid) {
                report.warning(
                    Code::JweKidUnknown,
                    format!("the JWE names key `{kid}`, which is not among your keys; key `{}` decrypted it", key.kid),
                );
            }
            report.decryption = Some(Decryption {
                alg: alg.into(),
                enc: enc.into(),
                kid: Some(key.kid.clone()),
                key: format!("key `{}` from `{}`", key.kid, key.source),
            });
            return Some(plaintext);
        }
    }
    let tried: Vec<String> = candidates
        .iter()
        .map(|(k, _)| format!("`{}` ({} bits)", k.kid, k.bits))
        .collect();
    // RSA-OAEP makes exactly as many bytes as the recipient's modulus (RFC 8017 §7.1.1): the size
    // of the encrypted key tells the size of the key the token was made for.
    let encrypted_key_bits = jwe
        .compact
        .split('.')
        .nth(1)
        .map_or(0, |part| part.len() * 3 / 4 * 8);
    let sizes_differ = candidates
        .iter()
        .all(|(k, _)| k.bits as usize != encrypted_key_bits);
    let why = if sizes_differ && crate::key_rules::too_small(encrypted_key_bits as u32) {
        format!(
            "it was encrypted to a {encrypted_key_bits}-bit key, and RSA keys of fewer than {} bits are refused (docs/itsme-facts.md#client-authentication)",
            crate::key_rules::MIN_RSA_BITS
        )
    } else if sizes_differ {
        format!(
            "it was encrypted to a {encrypted_key_bits}-bit key, and none of your keys has that size: it is another key"
        )
    } else {
        "it was encrypted to another key".into()
    };
    report.error(
        Code::DecryptionFailed,
        format!(
            "the token is encrypted ({alg}/{enc}) to {wanted}, and none of your keys decrypts it (tried {}): {why}{forbidden}",
            tried.join(", ")
        ),
    );
    None
}

/// RS256 and PS256 with the provider's keys; HS256 only with a client secret (PROTOCOL §3,
/// OpenID Connect Core §10.1). Never `none`, never a symmetric algorithm keyed with a public key.
fn verify(jws: &Jws<'_>, keyring: &mut Keyring, report: &mut TokenReport) -> anyhow::Result<()> {
    let crit_ok = check_crit(&jws.header, "JWS", report);
    let Some(alg) = header_str(&jws.header, "alg") else {
        report.error(Code::Malformed, "the JWS header lacks a string `alg`");
        return Ok(());
    };
    let input = jws.signing_input.as_bytes();
    let verified = match alg {
        "RS256" | "PS256" => verify_with_provider_keys(jws, alg, keyring, report)?,
        "HS256" => {
            match &keyring.client_secret {
                Some(secret) => {
                    match crypto::verify_hs256(secret.expose(), input, &jws.signature) {
                        Ok(()) => {
                            report.signature = Some(Signature {
                                alg: alg.into(),
                                kid: None,
                                key: "client secret".into(),
                            });
                            true
                        }
                        Err(why) => {
                            report.error(Code::SignatureInvalid, format!("the HS256 signature does not verify with the client secret: {why}"));
                            false
                        }
                    }
                }
                None => {
                    report.error(
                    Code::AlgNotAllowed,
                    "`HS256` is accepted only with a client secret (--client-secret); never keyed with a public key, which would let anyone forge it",
                );
                    false
                }
            }
        }
        "none" => {
            report.error(
                Code::AlgNotAllowed,
                "`alg: none` means the token is not signed; it is never accepted",
            );
            false
        }
        other => {
            report.error(Code::AlgNotAllowed, format!("JWS `alg` `{other}` is not accepted; itsme® signs with RS256 (PS256 and, with a client secret, HS256 are also accepted)"));
            false
        }
    };
    report.verified = verified && crit_ok;
    Ok(())
}

fn verify_with_provider_keys(
    jws: &Jws<'_>,
    alg: &str,
    keyring: &mut Keyring,
    report: &mut TokenReport,
) -> anyhow::Result<bool> {
    let kid = header_str(&jws.header, "kid");
    let origin = keyring.provider.origin();
    let mut refreshed = false;
    // The key is found by position and borrowed afterwards, not cloned: it carries its verifiers.
    let position = loop {
        let keys = keyring.provider.keys()?;
        let found = match kid {
            Some(kid) => keys
                .keys
                .iter()
                .position(|k| k.kid.as_deref() == Some(kid) && k.usable_for_signatures()),
            None => {
                let usable: Vec<usize> = (0..keys.keys.len())
                    .filter(|&i| keys.keys[i].usable_for_signatures())
                    .collect();
                if usable.len() > 1 {
                    report.error(
                        Code::KidUnknown,
                        format!(
                            "the JWS has no `kid` and {origin} publishes {} signing keys: cannot tell which one signed it",
                            usable.len()
                        ),
                    );
                    return Ok(false);
                }
                usable.first().copied()
            }
        };
        if let Some(position) = found {
            break position;
        }
        if !refreshed && kid.is_some() && keyring.provider.refresh()? {
            refreshed = true;
            continue;
        }
        let keys = keyring.provider.keys()?;
        let published: Vec<String> = keys.keys.iter().map(PublicKey::label).collect();
        let listed = if published.is_empty() {
            "no keys".to_string()
        } else {
            published.join(", ")
        };
        let again = if refreshed {
            " (fetched again in case of a key rotation)"
        } else {
            ""
        };
        let not_for_signatures = kid.and_then(|kid| keys.by_kid(kid).find(|k| k.kty == "RSA"));
        let message = match (kid, not_for_signatures) {
            (Some(_), Some(key)) => format!(
                "provider key {} from {origin} may not verify signatures: {} (RFC 7517 §4.2–4.3)",
                key.label(),
                key_purpose(key.key_use.as_deref(), key.key_ops.as_deref())
            ),
            (Some(kid), None) => format!(
                "no signing key `{kid}` among the provider keys from {origin}{again}: it publishes {listed}"
            ),
            (None, _) => format!("the JWS has no `kid` and {origin} publishes no RSA signing key"),
        };
        report.error(Code::KidUnknown, message);
        return Ok(false);
    };
    let key = &keyring.provider.keys()?.keys[position];
    if let Some(why) = &key.refused {
        report.error(
            Code::ProviderKeyRefused,
            format!(
                "provider {} from {origin} is refused: {why}; nothing it signs is trusted",
                crate::key_rules::key_name(key)
            ),
        );
        return Ok(false);
    }
    if let Some(key_alg) = key.alg.as_deref().filter(|a| *a != alg) {
        report.error(
            Code::SignatureInvalid,
            format!("provider key {} is published for `{key_alg}`, but the token is signed `{alg}` (RFC 7517 §4.4)", key.label()),
        );
        return Ok(false);
    }
    match crypto::verify_rsa(key, alg, jws.signing_input.as_bytes(), &jws.signature) {
        Ok(()) => {
            report.signature = Some(Signature {
                alg: alg.into(),
                kid: key.kid.clone(),
                key: format!("provider key {} from {origin}", key.label()),
            });
            Ok(true)
        }
        Err(_) => {
            report.error(
                Code::SignatureInvalid,
                signature_mismatch(alg, key, &origin, jws.signature.len()),
            );
            Ok(false)
        }
    }
}

/// Why a signature does not verify, in words. An RSA signature is exactly as long as the signer's
/// modulus (RFC 8017 §8.2.2): a signature of another length was made by a key of another size,
/// which says more than "altered".
fn signature_mismatch(alg: &str, key: &PublicKey, origin: &str, signature_len: usize) -> String {
    let key_bytes = key.bits.map(|bits| bits.div_ceil(8) as usize);
    match (key.bits, key_bytes) {
        (Some(bits), Some(bytes)) if bytes != signature_len => format!(
            "the {alg} signature is {signature_len} bytes, the size a {}-bit key makes, but provider key {} from {origin} has {bits} bits: the token was signed by another key (a key of another size under the same `kid`, or not an itsme® key)",
            signature_len * 8,
            key.label()
        ),
        _ => format!(
            "the {alg} signature does not verify with provider key {} from {origin}: the token was altered, or signed by another key",
            key.label()
        ),
    }
}

/// What a key's `use` and `key_ops` restrict it to, for messages.
fn key_purpose(key_use: Option<&str>, key_ops: Option<&[String]>) -> String {
    match (key_use, key_ops) {
        (Some(key_use), _) if key_ops.is_none() => format!("it is published with `use: {key_use}`"),
        (Some(key_use), Some(ops)) => format!(
            "it is published with `use: {key_use}` and `key_ops` [{}]",
            ops.join(", ")
        ),
        (None, Some(ops)) => format!("its `key_ops` are [{}]", ops.join(", ")),
        _ => "it is not an RSA key for this".into(),
    }
}
