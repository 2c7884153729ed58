//! RSA keys: loading private keys (JWK Set, JWK, PEM), reading public JWK Sets, generating keys,
//! and RFC 7638 thumbprints. itsme® works with RSA keys only (PROTOCOL §3).

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use josekit::jwk::Jwk;
use openssl::bn::BigNum;
use openssl::pkey::Private;
use openssl::rsa::Rsa;
use serde_json::{Map, Value};

/// A problem with key material; the message names the key and what is wrong.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct KeyError(pub String);

/// One RSA private key with the metadata its JWK carried (or that was derived for it).
#[derive(Clone)]
pub struct PrivateKey {
    /// The key ID: the JWK's `kid`, or its RFC 7638 thumbprint when it had none (PEM keys).
    pub kid: String,
    /// Whether `kid` came from the key file (false: it is the computed thumbprint).
    pub kid_declared: bool,
    /// The JWK `use` member (`sig` or `enc`), if any.
    pub key_use: Option<String>,
    /// The JWK `alg` member, if any.
    pub alg: Option<String>,
    /// The JWK `key_ops` member, if any (RFC 7517 §4.3).
    pub key_ops: Option<Vec<String>>,
    /// Modulus size in bits.
    pub bits: u32,
    /// Where it was read from, for messages.
    pub source: String,
    /// The key itself, built from its numbers: no OpenSSL decoder runs to load it (in OpenSSL 3 a
    /// decoder costs about 0.3 ms per key, more than the RSA operation the key is loaded for).
    rsa: Rsa<Private>,
}

impl std::fmt::Debug for PrivateKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PrivateKey")
            .field("kid", &self.kid)
            .field("use", &self.key_use)
            .field("alg", &self.alg)
            .field("bits", &self.bits)
            .field("key", &"(redacted)")
            .finish()
    }
}

impl PrivateKey {
    fn from_rsa(
        rsa: Rsa<Private>,
        kid: Option<String>,
        key_use: Option<String>,
        alg: Option<String>,
        source: &str,
    ) -> Self {
        let bits = rsa.size() * 8;
        let kid_declared = kid.is_some();
        let mut key = PrivateKey {
            kid: kid.unwrap_or_default(),
            kid_declared,
            key_use,
            alg,
            key_ops: None,
            bits,
            source: source.to_string(),
            rsa,
        };
        if !kid_declared {
            key.kid = key.thumbprint();
        }
        key
    }

    /// Generates a new RSA key of `bits` bits (public exponent 65537) whose `kid` is its RFC 7638
    /// thumbprint.
    pub fn generate(bits: u32, key_use: &str, alg: &str) -> Result<Self, KeyError> {
        let rsa = Rsa::generate(bits)
            .map_err(|e| KeyError(format!("could not generate an RSA key: {e}")))?;
        Ok(Self::from_rsa(
            rsa,
            None,
            Some(key_use.into()),
            Some(alg.into()),
            "generated",
        ))
    }

    /// Whether this key may decrypt ([`permits`]: `use` is `enc` or absent, and `key_ops`, when
    /// present, allows it).
    pub fn usable_for_encryption(&self) -> bool {
        permits(
            self.key_use.as_deref(),
            self.key_ops.as_deref(),
            KeyOp::Decrypt,
        )
    }

    /// Whether this key may sign ([`permits`]: `use` is `sig` or absent, and `key_ops`, when
    /// present, allows it).
    pub fn usable_for_signing(&self) -> bool {
        permits(
            self.key_use.as_deref(),
            self.key_ops.as_deref(),
            KeyOp::Sign,
        )
    }

    /// The modulus and public exponent, big-endian (for the key rules' strength checks).
    pub fn rsa_numbers(&self) -> (Vec<u8>, Vec<u8>) {
        (self.rsa.n().to_vec(), self.rsa.e().to_vec())
    }

    /// The public JWK, with `kid`, `use` and `alg`.
    pub fn public_jwk(&self) -> Jwk {
        let mut jwk = self.bare_jwk(false);
        self.annotate(&mut jwk);
        jwk
    }

    /// The private JWK, with `kid`, `use` and `alg`.
    pub fn private_jwk(&self) -> Jwk {
        let mut jwk = self.bare_jwk(true);
        self.annotate(&mut jwk);
        jwk
    }

    /// `kty`, `n`, `e` and, when `private`, the private members (RFC 7518 §6.3).
    fn bare_jwk(&self, private: bool) -> Jwk {
        let rsa = &self.rsa;
        let mut members = vec![("n", Some(rsa.n())), ("e", Some(rsa.e()))];
        if private {
            members.extend([
                ("d", Some(rsa.d())),
                ("p", rsa.p()),
                ("q", rsa.q()),
                ("dp", rsa.dmp1()),
                ("dq", rsa.dmq1()),
                ("qi", rsa.iqmp()),
            ]);
        }
        let mut map = Map::new();
        map.insert("kty".into(), Value::String("RSA".into()));
        for (name, number) in members {
            if let Some(number) = number {
                map.insert(
                    name.into(),
                    Value::String(URL_SAFE_NO_PAD.encode(number.to_vec())),
                );
            }
        }
        // `from_map` only refuses a map without `kty`.
        Jwk::from_map(map).unwrap_or_else(|_| Jwk::new("RSA"))
    }

    fn annotate(&self, jwk: &mut Jwk) {
        jwk.set_key_id(&self.kid);
        if let Some(u) = &self.key_use {
            jwk.set_key_use(u);
        }
        if let Some(a) = &self.alg {
            jwk.set_algorithm(a);
        }
        if let Some(ops) = &self.key_ops {
            jwk.set_key_operations(ops.clone());
        }
    }

    /// The RFC 7638 thumbprint of the public key.
    pub fn thumbprint(&self) -> String {
        thumbprint(&self.bare_jwk(false)).unwrap_or_default()
    }

    /// The private key as DER (PKCS#1), for building decrypters and signers.
    pub(crate) fn der(&self) -> Vec<u8> {
        // Encoding an RSA structure is not an OpenSSL 3 encoder run: microseconds, not 0.1 ms.
        self.rsa.private_key_to_der().unwrap_or_default()
    }
}

/// The RFC 7638 thumbprint (SHA-256, base64url) of an RSA JWK.
pub fn thumbprint(jwk: &Jwk) -> Result<String, KeyError> {
    let member = |name: &str| {
        jwk.parameter(name)
            .and_then(Value::as_str)
            .ok_or_else(|| KeyError(format!("the key has no string member `{name}`")))
    };
    if jwk.key_type() != "RSA" {
        return Err(KeyError(format!(
            "thumbprints are computed for RSA keys only, not `{}`",
            jwk.key_type()
        )));
    }
    // Members in lexicographic order, no whitespace (RFC 7638 §3.2).
    let canonical =
        serde_json::json!({"e": member("e")?, "kty": "RSA", "n": member("n")?}).to_string();
    Ok(URL_SAFE_NO_PAD.encode(openssl::sha::sha256(canonical.as_bytes())))
}

/// Reads private keys from a file's contents: a JWK Set, a single JWK, or a PEM private key
/// (PKCS#1 `RSA PRIVATE KEY` or PKCS#8 `PRIVATE KEY`). `source` names the file in messages.
pub fn load_private_keys(bytes: &[u8], source: &str) -> Result<Vec<PrivateKey>, KeyError> {
    let text = String::from_utf8_lossy(bytes);
    let trimmed = text.trim_start();
    if trimmed.starts_with("-----BEGIN") {
        return load_pem(trimmed, source).map(|k| vec![k]);
    }
    if !trimmed.starts_with('{') {
        return Err(KeyError(format!(
            "`{source}` is neither a JWK Set, a JWK, nor a PEM private key"
        )));
    }
    // A member given twice (a key with two `d`, two `keys`) is refused by name, as in public sets.
    if let Err(super::compact::JsonError::Duplicate(d)) =
        super::compact::unique_object(trimmed.as_bytes())
    {
        return Err(KeyError(format!("`{source}` {d}")));
    }
    let value: Value = serde_json::from_str(trimmed)
        .map_err(|e| KeyError(format!("`{source}` is not valid JSON: {e}")))?;
    let jwks = jwk_objects(&value).map_err(|e| KeyError(format!("`{source}`: {e}")))?;
    let mut keys = Vec::new();
    for (index, jwk) in jwks.iter().enumerate() {
        let label = key_label(jwk, index);
        let kty = jwk.get("kty").and_then(Value::as_str).unwrap_or("");
        if kty != "RSA" {
            return Err(KeyError(format!(
                "`{source}`: {label} is a `{kty}` key; itsme® uses RSA keys only (docs/itsme-facts.md#client-authentication)"
            )));
        }
        if !jwk.contains_key("d") {
            return Err(KeyError(format!(
                "`{source}`: {label} has no private part (`d`); this looks like a public key, and private keys are needed here"
            )));
        }
        let rsa = rsa_from_jwk(jwk).map_err(|why| {
            KeyError(format!(
                "`{source}`: {label} is not a usable RSA private key: {why}"
            ))
        })?;
        let str_member = |name: &str| jwk.get(name).and_then(Value::as_str).map(str::to_string);
        let mut key = PrivateKey::from_rsa(
            rsa,
            str_member("kid"),
            str_member("use"),
            str_member("alg"),
            source,
        );
        key.key_ops = key_ops(jwk);
        keys.push(key);
    }
    if keys.is_empty() {
        return Err(KeyError(format!("`{source}` holds no keys")));
    }
    Ok(keys)
}

fn load_pem(pem: &str, source: &str) -> Result<PrivateKey, KeyError> {
    if pem.starts_with("-----BEGIN ENCRYPTED PRIVATE KEY") || pem.contains("Proc-Type: 4,ENCRYPTED")
    {
        return Err(KeyError(format!(
            "`{source}` is a passphrase-protected key; write an unprotected copy with `openssl pkey -in {source} -out key.pem` (keep it mode 0600)"
        )));
    }
    if pem.starts_with("-----BEGIN PUBLIC KEY")
        || pem.starts_with("-----BEGIN RSA PUBLIC KEY")
        || pem.starts_with("-----BEGIN CERTIFICATE")
    {
        return Err(KeyError(format!(
            "`{source}` holds a public key or certificate; private keys are needed here"
        )));
    }
    // PKCS#1 (`RSA PRIVATE KEY`) or PKCS#8 (`PRIVATE KEY`); the latter goes through an OpenSSL
    // decoder, acceptable for this rarer form.
    let rsa = openssl::pkey::PKey::private_key_from_pem(pem.as_bytes())
        .and_then(|key| key.rsa())
        .map_err(|e| {
            let reason = e
                .errors()
                .first()
                .and_then(|e| e.reason().map(str::to_string))
                .unwrap_or_else(|| e.to_string());
            KeyError(format!(
                "`{source}` is not an RSA private key in PEM form: {reason}"
            ))
        })?;
    Ok(PrivateKey::from_rsa(rsa, None, None, None, source))
}

/// The RSA key of a private JWK's members `n`, `e`, `d`, `p`, `q`, `dp`, `dq`, `qi` (RFC 7518
/// §6.3.2); the message says which member is missing or broken.
fn rsa_from_jwk(jwk: &Map<String, Value>) -> Result<Rsa<Private>, String> {
    let number = |name: &str| -> Result<BigNum, String> {
        let text = match jwk.get(name) {
            Some(Value::String(text)) => text,
            Some(_) => return Err(format!("`{name}` is not a string")),
            None => return Err(format!("`{name}` is missing")),
        };
        let bytes = URL_SAFE_NO_PAD
            .decode(text.trim_end_matches('='))
            .map_err(|e| format!("`{name}` is not base64url: {e}"))?;
        if bytes.is_empty() {
            return Err(format!("`{name}` is empty"));
        }
        BigNum::from_slice(&bytes).map_err(|e| format!("`{name}`: {e}"))
    };
    Rsa::from_private_components(
        number("n")?,
        number("e")?,
        number("d")?,
        number("p")?,
        number("q")?,
        number("dp")?,
        number("dq")?,
        number("qi")?,
    )
    .map_err(|e| e.to_string())
}

/// The JWK objects of a JWK Set (`{"keys": [...]}`) or of a single JWK.
fn jwk_objects(value: &Value) -> Result<Vec<Map<String, Value>>, String> {
    let object = value.as_object().ok_or("the JSON is not an object")?;
    if let Some(keys) = object.get("keys") {
        let keys = keys.as_array().ok_or("`keys` is not an array")?;
        keys.iter()
            .enumerate()
            .map(|(i, k)| {
                k.as_object()
                    .cloned()
                    .ok_or_else(|| format!("key #{} is not a JSON object", i + 1))
            })
            .collect()
    } else if object.contains_key("kty") {
        Ok(vec![object.clone()])
    } else {
        Err("the JSON is neither a JWK Set (no `keys`) nor a JWK (no `kty`)".into())
    }
}

fn key_label(jwk: &Map<String, Value>, index: usize) -> String {
    match jwk.get("kid").and_then(Value::as_str) {
        Some(kid) => format!("key #{} (kid `{kid}`)", index + 1),
        None => format!("key #{}", index + 1),
    }
}

/// What a key is asked to do (RFC 7517 §4.3 names the operations).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyOp {
    /// Make a signature (`key_ops` `sign`; `use` `sig`).
    Sign,
    /// Check a signature (`verify`; `use` `sig`).
    Verify,
    /// Encrypt to the key: for RSA-OAEP the content key (`encrypt` or `wrapKey`; `use` `enc`).
    Encrypt,
    /// Decrypt with the key (`decrypt` or `unwrapKey`; `use` `enc`).
    Decrypt,
}

/// Whether a key whose JWK has `use` `key_use` and `key_ops` `key_ops` may do `op` (RFC 7517
/// §4.2–§4.3): a `use` other than the operation's (`sig` for signatures, `enc` for encryption)
/// forbids it, and so does a `key_ops` that does not list it. Absent members allow everything.
/// The one home of this rule: every key selection (decrypting, verifying, signing, encrypting)
/// goes through it.
pub fn permits(key_use: Option<&str>, key_ops: Option<&[String]>, op: KeyOp) -> bool {
    let (wanted_use, names): (&str, &[&str]) = match op {
        KeyOp::Sign => ("sig", &["sign"]),
        KeyOp::Verify => ("sig", &["verify"]),
        KeyOp::Encrypt => ("enc", &["encrypt", "wrapKey"]),
        KeyOp::Decrypt => ("enc", &["decrypt", "unwrapKey"]),
    };
    key_use.is_none_or(|u| u == wanted_use)
        && key_ops.is_none_or(|ops| ops.iter().any(|o| names.contains(&o.as_str())))
}

/// A JWK's `key_ops`: the strings of the array (anything else in it is no operation).
fn key_ops(jwk: &Map<String, Value>) -> Option<Vec<String>> {
    let ops = jwk.get("key_ops")?;
    Some(
        ops.as_array()
            .map(|items| {
                items
                    .iter()
                    .filter_map(Value::as_str)
                    .map(str::to_string)
                    .collect()
            })
            .unwrap_or_default(),
    )
}

/// One key of a public JWK Set, as published (by the provider, or by a partner at its jwks_uri).
/// Whether it leaks private members is judged by the key rules, a layer above (`key_rules`).
#[derive(Debug, Clone)]
pub struct PublicKey {
    /// Its position in the set, from 1.
    pub position: usize,
    /// `kid`, if any.
    pub kid: Option<String>,
    /// `kty`.
    pub kty: String,
    /// `use`, if any.
    pub key_use: Option<String>,
    /// `alg`, if any.
    pub alg: Option<String>,
    /// Modulus size in bits, for RSA keys.
    pub bits: Option<u32>,
    /// `key_ops`, if any (RFC 7517 §4.3).
    pub key_ops: Option<Vec<String>>,
    /// Why the key rules refuse this key (set where the set enters, by `key_rules::screen`):
    /// a refused key verifies and encrypts nothing ([`super::crypto`] checks it).
    pub refused: Option<String>,
    /// The JWK as published.
    pub jwk: Map<String, Value>,
    /// Signature verifiers, built on first use: importing an RSA public key costs several times
    /// more than verifying a signature with it, so a batch imports each key once.
    pub(crate) verifiers: super::crypto::VerifierCache,
}

impl PublicKey {
    /// Whether it may verify signatures: RSA, and [`permits`] it (`use` `sig` or absent,
    /// `key_ops` allowing `verify` when present).
    pub fn usable_for_signatures(&self) -> bool {
        self.kty == "RSA"
            && permits(
                self.key_use.as_deref(),
                self.key_ops.as_deref(),
                KeyOp::Verify,
            )
    }

    /// Whether it may be encrypted to: RSA, and [`permits`] it (`use` `enc` or absent, `key_ops`
    /// allowing `encrypt` or `wrapKey` when present).
    pub fn usable_for_encryption(&self) -> bool {
        self.kty == "RSA"
            && permits(
                self.key_use.as_deref(),
                self.key_ops.as_deref(),
                KeyOp::Encrypt,
            )
    }

    /// The modulus and public exponent, big-endian, when both are base64url strings that are not
    /// empty (for the key rules' strength checks).
    pub fn rsa_numbers(&self) -> Option<(Vec<u8>, Vec<u8>)> {
        let number = |name: &str| {
            self.jwk
                .get(name)
                .and_then(Value::as_str)
                .and_then(|text| URL_SAFE_NO_PAD.decode(text.trim_end_matches('=')).ok())
                .filter(|bytes| !bytes.is_empty())
        };
        Some((number("n")?, number("e")?))
    }

    /// A short name for messages: the `kid`, or the position.
    pub fn label(&self) -> String {
        match &self.kid {
            Some(kid) => format!("`{kid}`"),
            None => format!("#{} (no kid)", self.position),
        }
    }

    /// The RFC 7638 thumbprint, for RSA keys.
    pub fn thumbprint(&self) -> Option<String> {
        Jwk::from_map(self.jwk.clone())
            .ok()
            .and_then(|j| thumbprint(&j).ok())
    }

    /// The JWK with only what josekit needs to build a verifier (our own policy on `use` and
    /// `alg` is checked by the caller, so josekit's stricter checks would only hide the reason).
    pub(crate) fn bare_jwk(&self) -> Option<Jwk> {
        let mut map = Map::new();
        for name in ["kty", "n", "e"] {
            map.insert(name.into(), self.jwk.get(name)?.clone());
        }
        Jwk::from_map(map).ok()
    }
}

/// A public JWK Set.
#[derive(Debug, Clone, Default)]
pub struct PublicKeySet {
    /// The keys in published order.
    pub keys: Vec<PublicKey>,
}

impl PublicKeySet {
    /// Parses a JWK Set document. Keys of any type are kept (so they can be reported on).
    pub fn parse(bytes: &[u8]) -> Result<Self, KeyError> {
        // A member given twice (two `keys`, a key with two `n`) is refused by name, as in tokens:
        // parsers that keep the first and the last value would verify with different keys.
        let value = match super::compact::unique_object(bytes) {
            Ok(object) => Value::Object(object),
            Err(super::compact::JsonError::Duplicate(d)) => {
                return Err(KeyError(format!("the JWK Set {d}")));
            }
            Err(_) => serde_json::from_slice(bytes)
                .map_err(|e| KeyError(format!("not valid JSON: {e}")))?,
        };
        let objects = jwk_objects(&value).map_err(KeyError)?;
        let keys = objects
            .into_iter()
            .enumerate()
            .map(|(i, jwk)| {
                let str_member =
                    |name: &str| jwk.get(name).and_then(Value::as_str).map(str::to_string);
                let kty = str_member("kty").unwrap_or_default();
                let bits = jwk
                    .get("n")
                    .and_then(Value::as_str)
                    .and_then(|n| URL_SAFE_NO_PAD.decode(n).ok())
                    .map(|n| significant_bits(&n));
                PublicKey {
                    position: i + 1,
                    kid: str_member("kid"),
                    key_use: str_member("use"),
                    alg: str_member("alg"),
                    kty,
                    bits,
                    key_ops: key_ops(&jwk),
                    refused: None,
                    jwk,
                    verifiers: Default::default(),
                }
            })
            .collect();
        Ok(PublicKeySet { keys })
    }

    /// The keys whose `kid` is `kid`.
    pub fn by_kid<'s>(&'s self, kid: &'s str) -> impl Iterator<Item = &'s PublicKey> + 's {
        self.keys
            .iter()
            .filter(move |k| k.kid.as_deref() == Some(kid))
    }

    /// A JWK Set document of the given public JWKs.
    pub fn document(jwks: &[Jwk]) -> Value {
        let keys: Vec<Value> = jwks
            .iter()
            .map(|j| Value::Object(j.as_ref().clone()))
            .collect();
        serde_json::json!({ "keys": keys })
    }
}

fn significant_bits(big_endian: &[u8]) -> u32 {
    let skipped = big_endian.iter().take_while(|b| **b == 0).count();
    match big_endian.get(skipped) {
        Some(first) => (big_endian.len() - skipped) as u32 * 8 - first.leading_zeros(),
        None => 0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_private_key_file_repeating_a_member_is_refused_by_name() {
        let text = r#"{"keys":[{"kty":"RSA","kid":"a","n":"AQAB","e":"AQAB","d":"AQ","d":"Ag"}]}"#;
        let error = load_private_keys(text.as_bytes(), "twice.json").unwrap_err();
        assert!(
            error.to_string().contains("has the member `d` twice"),
            "{error}"
        );
    }

    #[test]
    fn rfc7638_example_thumbprint() {
        // The example key of RFC 7638 §3.1 and its published thumbprint.
        let jwk = Jwk::from_bytes(br#"{"kty":"RSA","n":"0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw","e":"AQAB","alg":"RS256","kid":"2011-04-29"}"#).unwrap();
        assert_eq!(
            thumbprint(&jwk).unwrap(),
            "NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs"
        );
    }

    #[test]
    fn a_jwk_set_repeating_a_member_is_refused_by_name() {
        let err = |doc: &str| PublicKeySet::parse(doc.as_bytes()).unwrap_err().0;
        assert_eq!(
            err(r#"{"keys":[{"kty":"RSA","n":"AQAB","e":"AQAB","n":"AQAD"}]}"#),
            "the JWK Set has the member `n` twice in `keys[0]`; member names must be unique"
        );
        assert!(err(r#"{"keys":[],"keys":[{"kty":"RSA"}]}"#).contains("the member `keys` twice"));
        // Other defects keep their messages.
        assert!(err("{nope").starts_with("not valid JSON"));
        assert_eq!(err("[1]"), "the JSON is not an object");
    }

    #[test]
    fn generated_keys_round_trip_through_a_jwk_set() {
        let key = PrivateKey::generate(2048, "enc", "RSA-OAEP-256").unwrap();
        assert_eq!(key.bits, 2048);
        assert_eq!(key.kid, key.thumbprint());
        let doc = PublicKeySet::document(&[key.private_jwk()]).to_string();
        let loaded = load_private_keys(doc.as_bytes(), "test").unwrap();
        assert_eq!(loaded[0].kid, key.kid);
        assert_eq!(loaded[0].key_use.as_deref(), Some("enc"));
        let public = PublicKeySet::parse(
            PublicKeySet::document(&[key.public_jwk()])
                .to_string()
                .as_bytes(),
        )
        .unwrap();
        assert_eq!(public.keys[0].bits, Some(2048));
        assert_eq!(public.keys[0].thumbprint(), Some(key.kid.clone()));
    }

    #[test]
    fn public_keys_are_not_private_keys() {
        let key = PrivateKey::generate(2048, "sig", "RS256").unwrap();
        let doc = PublicKeySet::document(&[key.public_jwk()]).to_string();
        let err = load_private_keys(doc.as_bytes(), "pub.json").unwrap_err().0;
        assert!(err.contains("no private part"), "{err}");
    }

    #[test]
    fn junk_is_reported_by_file_name() {
        assert!(
            load_private_keys(b"hello", "k.txt")
                .unwrap_err()
                .0
                .contains("`k.txt` is neither")
        );
        assert!(
            load_private_keys(b"{\"a\":1}", "k.json")
                .unwrap_err()
                .0
                .contains("neither a JWK Set")
        );
        assert!(
            load_private_keys(b"{\"keys\":[{\"kty\":\"EC\",\"d\":\"x\"}]}", "k.json")
                .unwrap_err()
                .0
                .contains("RSA keys only")
        );
        let pem =
            "-----BEGIN ENCRYPTED PRIVATE KEY-----\nAAAA\n-----END ENCRYPTED PRIVATE KEY-----\n";
        assert!(
            load_private_keys(pem.as_bytes(), "k.pem")
                .unwrap_err()
                .0
                .contains("passphrase")
        );
    }

    #[test]
    fn use_and_key_ops_permit_only_their_operations() {
        let ops = |names: &[&str]| names.iter().map(|n| n.to_string()).collect::<Vec<_>>();
        for op in [KeyOp::Sign, KeyOp::Verify, KeyOp::Encrypt, KeyOp::Decrypt] {
            assert!(permits(None, None, op), "{op:?}");
        }
        assert!(permits(Some("sig"), None, KeyOp::Verify));
        assert!(!permits(Some("sig"), None, KeyOp::Decrypt));
        assert!(!permits(Some("enc"), None, KeyOp::Verify));
        assert!(!permits(Some("other"), None, KeyOp::Sign));
        assert!(permits(None, Some(&ops(&["unwrapKey"])), KeyOp::Decrypt));
        assert!(permits(None, Some(&ops(&["decrypt"])), KeyOp::Decrypt));
        assert!(!permits(None, Some(&ops(&["wrapKey"])), KeyOp::Decrypt));
        assert!(!permits(None, Some(&ops(&["encrypt"])), KeyOp::Verify));
        assert!(!permits(
            Some("sig"),
            Some(&ops(&["verify"])),
            KeyOp::Decrypt
        ));
        assert!(
            !permits(Some("enc"), Some(&ops(&["verify"])), KeyOp::Verify),
            "inconsistent members"
        );
        assert!(
            !permits(None, Some(&[]), KeyOp::Sign),
            "an empty key_ops allows nothing"
        );
        // A private JWK's `key_ops` is read and kept.
        let key = PrivateKey::generate(2048, "enc", "RSA-OAEP-256").unwrap();
        let mut jwk = key.private_jwk();
        jwk.set_key_operations(vec!["wrapKey"]);
        let doc = PublicKeySet::document(&[jwk]).to_string();
        let loaded = load_private_keys(doc.as_bytes(), "k.json").unwrap();
        assert!(!loaded[0].usable_for_encryption());
        assert_eq!(loaded[0].key_ops.as_deref(), Some(&ops(&["wrapKey"])[..]));
    }
}
