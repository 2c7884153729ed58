//! The cryptographic operations, as thin wrappers over josekit: JWE decryption (RSA-OAEP,
//! RSA-OAEP-256, `dir`), JWS verification (RS256, PS256, HS256), and signing/encryption for the
//! tool's own tokens. Policy (which algorithms are allowed, which key to use) is the caller's.

use josekit::jwe::{self, JweDecrypter, JweHeader};
use std::sync::OnceLock;

use josekit::jwk::Jwk;
use josekit::jws::{self, JwsHeader, JwsVerifier};

use super::keys::{KeyError, PrivateKey, PublicKey};

/// JWE key-management algorithms the tool decrypts (PROTOCOL §3, §5).
pub const JWE_ALGS: [&str; 3] = ["RSA-OAEP", "RSA-OAEP-256", "dir"];
/// JWE content encryptions the tool decrypts (PROTOCOL §5; the discovery of itsme® lists these).
pub const JWE_ENCS: [&str; 6] = [
    "A128CBC-HS256",
    "A192CBC-HS384",
    "A256CBC-HS512",
    "A128GCM",
    "A192GCM",
    "A256GCM",
];

/// Decrypts JWEs with one RSA private key, for either RSA-OAEP variant. Each variant's decrypter
/// is built on first use, so keys that are never needed cost nothing.
#[derive(Debug)]
pub struct RsaDecrypter {
    key: PrivateKey,
    kid: String,
    oaep: OnceLock<Result<jwe::alg::rsaes::RsaesJweDecrypter, String>>,
    oaep256: OnceLock<Result<jwe::alg::rsaes::RsaesJweDecrypter, String>>,
}

impl RsaDecrypter {
    /// A decrypter for `key`.
    pub fn new(key: &PrivateKey) -> Self {
        RsaDecrypter {
            // Exporting the key (DER) costs an OpenSSL encoder run: only for keys that decrypt.
            key: key.clone(),
            kid: key.kid.clone(),
            oaep: OnceLock::new(),
            oaep256: OnceLock::new(),
        }
    }

    /// Decrypts a compact JWE whose header `alg` is `alg`; returns the plaintext.
    pub fn decrypt(&self, compact: &str, alg: &str) -> Result<Vec<u8>, String> {
        let (cell, algorithm) = match alg {
            "RSA-OAEP" => (&self.oaep, &jwe::RSA_OAEP),
            "RSA-OAEP-256" => (&self.oaep256, &jwe::RSA_OAEP_256),
            other => return Err(format!("an RSA key cannot decrypt `{other}`")),
        };
        let decrypter = cell.get_or_init(|| {
            algorithm
                .decrypter_from_der(self.key.der())
                .map_err(|e| format!("key `{}` cannot decrypt: {e}", self.kid))
        });
        match decrypter {
            Ok(decrypter) => deserialize(compact, decrypter),
            Err(why) => Err(why.clone()),
        }
    }
}

/// The content key for `alg: dir` derived from a client secret (OpenID Connect Core §10.2): the
/// left-most bytes of SHA-256 (keys of 256 bits or fewer), SHA-384 (up to 384) or SHA-512 of the
/// secret's UTF-8 octets. `None` for an unknown `enc`.
pub fn dir_key_from_secret(secret: &str, enc: &str) -> Option<Vec<u8>> {
    let len = match enc {
        "A128GCM" => 16,
        "A192GCM" => 24,
        "A256GCM" | "A128CBC-HS256" => 32,
        "A192CBC-HS384" => 48,
        "A256CBC-HS512" => 64,
        _ => return None,
    };
    let bytes = secret.as_bytes();
    let digest: Vec<u8> = match len {
        0..=32 => openssl::sha::sha256(bytes).to_vec(),
        33..=48 => openssl::sha::sha384(bytes).to_vec(),
        _ => openssl::sha::sha512(bytes).to_vec(),
    };
    Some(digest[..len].to_vec())
}

/// Decrypts a compact `dir` JWE with a content key.
pub fn decrypt_dir(compact: &str, key: &[u8]) -> Result<Vec<u8>, String> {
    let decrypter = jwe::Dir
        .decrypter_from_bytes(key)
        .map_err(|e| e.to_string())?;
    deserialize(compact, &decrypter)
}

fn deserialize(compact: &str, decrypter: &dyn JweDecrypter) -> Result<Vec<u8>, String> {
    jwe::deserialize_compact(compact, decrypter)
        .map(|(plaintext, _)| plaintext)
        .map_err(|e| describe_jose_error(&e))
}

/// The RS256 and PS256 verifiers of one published key, each built on first use (or the reason it
/// cannot be built).
#[derive(Clone, Default)]
pub struct VerifierCache {
    rs256: OnceLock<Result<Box<dyn JwsVerifier>, String>>,
    ps256: OnceLock<Result<Box<dyn JwsVerifier>, String>>,
}

impl std::fmt::Debug for VerifierCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("VerifierCache")
    }
}

/// Verifies an RS256 or PS256 signature with a published RSA key.
pub fn verify_rsa(
    key: &PublicKey,
    alg: &str,
    signing_input: &[u8],
    signature: &[u8],
) -> Result<(), String> {
    let cell = match alg {
        "RS256" => &key.verifiers.rs256,
        "PS256" => &key.verifiers.ps256,
        other => {
            return Err(format!(
                "`{other}` is not an RSA signature algorithm this tool verifies"
            ));
        }
    };
    if let Some(why) = &key.refused {
        return Err(format!("key {} is refused: {why}", key.label()));
    }
    let verifier = cell.get_or_init(|| {
        let jwk = key.bare_jwk().ok_or("the key lacks `n` or `e`")?;
        rsa_verifier(alg, &jwk).map_err(|e| describe_jose_error(&e))
    });
    match verifier {
        Ok(verifier) => verifier
            .verify(signing_input, signature)
            .map_err(|e| describe_jose_error(&e)),
        Err(why) => Err(why.clone()),
    }
}

fn rsa_verifier(alg: &str, jwk: &Jwk) -> Result<Box<dyn JwsVerifier>, josekit::JoseError> {
    Ok(match alg {
        "PS256" => Box::new(jws::PS256.verifier_from_jwk(jwk)?),
        _ => Box::new(jws::RS256.verifier_from_jwk(jwk)?),
    })
}

/// HS256 keys have at least 32 bytes (RFC 7518 §3.2): a shorter client secret neither signs nor
/// verifies.
fn hs256_key_length(secret: &str) -> Result<(), String> {
    if secret.len() < 32 {
        return Err(format!(
            "the client secret is {} bytes; HS256 needs a key of at least 32 bytes (RFC 7518 §3.2)",
            secret.len()
        ));
    }
    Ok(())
}

/// Verifies an HS256 signature keyed with the client secret's UTF-8 octets (OpenID Connect Core §10.1).
pub fn verify_hs256(secret: &str, signing_input: &[u8], signature: &[u8]) -> Result<(), String> {
    hs256_key_length(secret)?;
    let verifier = jws::HS256
        .verifier_from_bytes(secret.as_bytes())
        .map_err(|e| describe_jose_error(&e))?;
    verifier
        .verify(signing_input, signature)
        .map_err(|e| describe_jose_error(&e))
}

/// Signs `payload` as a compact JWS with HS256 keyed with the client secret's UTF-8 octets
/// (OpenID Connect Core §10.1), `typ: JWT`, no `kid`: the legacy request object (PROTOCOL §4).
pub fn sign_hs256(secret: &str, payload: &[u8]) -> Result<String, String> {
    hs256_key_length(secret)?;
    let signer = jws::HS256
        .signer_from_bytes(secret.as_bytes())
        .map_err(|e| describe_jose_error(&e))?;
    let mut header = JwsHeader::new();
    header.set_token_type("JWT");
    jws::serialize_compact(payload, &header, &signer).map_err(|e| describe_jose_error(&e))
}

/// Signs `payload` as a compact JWS with RS256 and the key's `kid`, adding `typ` when given.
pub fn sign_rs256(key: &PrivateKey, typ: Option<&str>, payload: &[u8]) -> Result<String, KeyError> {
    let signer = jws::RS256
        .signer_from_der(key.der())
        .map_err(|e| KeyError(format!("key `{}` cannot sign: {e}", key.kid)))?;
    let mut header = JwsHeader::new();
    header.set_key_id(&key.kid);
    if let Some(typ) = typ {
        header.set_token_type(typ);
    }
    jws::serialize_compact(payload, &header, &signer)
        .map_err(|e| KeyError(format!("signing failed: {e}")))
}

/// Encrypts `plaintext` to a published RSA key as a compact JWE (`alg` RSA-OAEP or RSA-OAEP-256).
/// `cty` is set to `JWT` when the plaintext is itself a JWT (a nested token).
pub fn encrypt_rsa(
    key: &PublicKey,
    alg: &str,
    enc: &str,
    nested_jwt: bool,
    plaintext: &[u8],
) -> Result<String, KeyError> {
    if let Some(why) = &key.refused {
        return Err(KeyError(format!("key {} is refused: {why}", key.label())));
    }
    let jwk = key
        .bare_jwk()
        .ok_or_else(|| KeyError("the key lacks `n` or `e`".into()))?;
    let encrypter = match alg {
        "RSA-OAEP" => jwe::RSA_OAEP.encrypter_from_jwk(&jwk),
        "RSA-OAEP-256" => jwe::RSA_OAEP_256.encrypter_from_jwk(&jwk),
        other => {
            return Err(KeyError(format!(
                "`{other}` is not an RSA key-management algorithm"
            )));
        }
    }
    .map_err(|e| KeyError(format!("key {} cannot encrypt: {e}", key.label())))?;
    let header = jwe_header(enc, key.kid.as_deref(), nested_jwt);
    jwe::serialize_compact(plaintext, &header, &encrypter)
        .map_err(|e| KeyError(format!("encryption failed: {e}")))
}

/// Encrypts `plaintext` with `alg: dir` and a content key (see [`dir_key_from_secret`]).
pub fn encrypt_dir(
    key: &[u8],
    enc: &str,
    nested_jwt: bool,
    plaintext: &[u8],
) -> Result<String, KeyError> {
    let encrypter = jwe::Dir
        .encrypter_from_bytes(key)
        .map_err(|e| KeyError(e.to_string()))?;
    let header = jwe_header(enc, None, nested_jwt);
    jwe::serialize_compact(plaintext, &header, &encrypter)
        .map_err(|e| KeyError(format!("encryption failed: {e}")))
}

fn jwe_header(enc: &str, kid: Option<&str>, nested_jwt: bool) -> JweHeader {
    let mut header = JweHeader::new();
    header.set_content_encryption(enc);
    if let Some(kid) = kid {
        header.set_key_id(kid);
    }
    if nested_jwt {
        header.set_content_type("JWT");
    }
    header
}

/// josekit's errors wrap the useful sentence in a category ("Invalid JWE format: …"); keep the
/// category and the innermost cause, which together say what failed.
fn describe_jose_error(error: &josekit::JoseError) -> String {
    use std::error::Error;
    let mut innermost: &dyn Error = error;
    while let Some(next) = innermost.source() {
        innermost = next;
    }
    let outer = error.to_string();
    let inner = innermost.to_string();
    if outer.contains(&inner) {
        outer
    } else {
        format!("{outer}: {inner}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::jose::keys::PublicKeySet;

    fn public(key: &PrivateKey) -> PublicKey {
        let doc = PublicKeySet::document(&[key.public_jwk()]).to_string();
        PublicKeySet::parse(doc.as_bytes()).unwrap().keys.remove(0)
    }

    #[test]
    fn dir_keys_follow_oidc_core_10_2() {
        let secret = "a-secret";
        assert_eq!(
            dir_key_from_secret(secret, "A256GCM").unwrap(),
            openssl::sha::sha256(secret.as_bytes()).to_vec()
        );
        assert_eq!(
            dir_key_from_secret(secret, "A128GCM").unwrap(),
            openssl::sha::sha256(secret.as_bytes())[..16].to_vec()
        );
        assert_eq!(
            dir_key_from_secret(secret, "A256CBC-HS512").unwrap(),
            openssl::sha::sha512(secret.as_bytes()).to_vec()
        );
        assert_eq!(
            dir_key_from_secret(secret, "A192CBC-HS384").unwrap(),
            openssl::sha::sha384(secret.as_bytes()).to_vec()
        );
        assert!(dir_key_from_secret(secret, "A999").is_none());
    }

    #[test]
    fn rsa_decrypter_refuses_other_algorithms() {
        let key = PrivateKey::generate(2048, "enc", "RSA-OAEP-256").unwrap();
        let d = RsaDecrypter::new(&key);
        assert!(
            d.decrypt("a.b.c.d.e", "RSA1_5")
                .unwrap_err()
                .contains("RSA1_5")
        );
    }

    #[test]
    fn signing_and_encryption_round_trip() {
        let sig = PrivateKey::generate(2048, "sig", "RS256").unwrap();
        let enc = PrivateKey::generate(2048, "enc", "RSA-OAEP-256").unwrap();
        let jws = sign_rs256(&sig, Some("JWT"), br#"{"sub":"x"}"#).unwrap();
        let jwe = encrypt_rsa(
            &public(&enc),
            "RSA-OAEP-256",
            "A128CBC-HS256",
            true,
            jws.as_bytes(),
        )
        .unwrap();
        let plaintext = RsaDecrypter::new(&enc)
            .decrypt(&jwe, "RSA-OAEP-256")
            .unwrap();
        assert_eq!(plaintext, jws.as_bytes());
        let (input, signature) = jws.rsplit_once('.').unwrap();
        let signature =
            base64::Engine::decode(&base64::engine::general_purpose::URL_SAFE_NO_PAD, signature)
                .unwrap();
        verify_rsa(&public(&sig), "RS256", input.as_bytes(), &signature).unwrap();
        assert!(verify_rsa(&public(&enc), "RS256", input.as_bytes(), &signature).is_err());
    }

    #[test]
    fn hs256_refuses_short_secrets() {
        assert!(
            verify_hs256("short", b"x", b"y")
                .unwrap_err()
                .contains("at least 32 bytes")
        );
    }
}
