//! Token-decoding benchmark (see docs/benchmarks.md).
//!
//! - `nested_id_token/decrypt_verify_validate`: the library's whole pipeline
//!   (`token::inspect::inspect`) on the `id_token_nested` vector, a JWE RSA-OAEP-256/A128CBC-HS256
//!   around a JWS RS256, with the keyring built once, as `decode-token --batch` does.
//! - `raw_rsa2048/private_decrypt_oaep256`: one RSA-OAEP (SHA-256) private-key decryption of the
//!   token's own 32-byte encrypted content key, with the `openssl` crate directly.
//! - `raw_rsa2048/public_verify_rs256`: one RS256 verification of the inner JWS with the provider
//!   key, with the `openssl` crate directly.
//!
//! private + public is the floor under the pipeline: everything above it is JOSE/JSON overhead.
//!
//! Run: `cargo bench --bench decode`

use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::time::Duration;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use criterion::{Criterion, criterion_group, criterion_main};
use openssl::bn::BigNum;
use openssl::encrypt::Decrypter;
use openssl::hash::MessageDigest;
use openssl::pkey::{PKey, Private, Public};
use openssl::rsa::{Padding, Rsa};
use openssl::sign::Verifier;
use serde_json::{Map, Value};

use itsme_cli::jose::crypto::RsaDecrypter;
use itsme_cli::jose::keys::{PublicKeySet, load_private_keys};
use itsme_cli::oidc::validate::{Expectations, TokenKind};
use itsme_cli::timefmt::parse_instant;
use itsme_cli::token::inspect::{InspectOptions, Keyring, inspect};
use itsme_cli::token::keysource::StaticKeys;

/// The vector every benchmark works on.
const VECTOR: &str = "id_token_nested";

fn vectors_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/vectors")
}

fn read(name: &str) -> Vec<u8> {
    let path = vectors_dir().join(name);
    std::fs::read(&path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
}

fn json(name: &str) -> Value {
    serde_json::from_slice(&read(name)).unwrap_or_else(|e| panic!("{name} is not JSON: {e}"))
}

/// Everything read from `tests/vectors`.
struct Fixture {
    token: String,
    issuer: String,
    client_id: String,
    nonce: String,
    now: String,
    partner_jwks: Vec<u8>,
    provider_jwks: Vec<u8>,
}

impl Fixture {
    fn load() -> Self {
        let vectors = json("vectors.json");
        let constant = |name: &str| {
            vectors["constants"][name]
                .as_str()
                .unwrap_or_else(|| panic!("vectors.json has no string constant `{name}`"))
                .to_string()
        };
        let token = vectors["vectors"]
            .as_array()
            .expect("`vectors` is an array")
            .iter()
            .find(|v| v["name"] == VECTOR)
            .unwrap_or_else(|| panic!("vectors.json has no vector `{VECTOR}`"))["token"]
            .as_str()
            .expect("the vector has a string `token`")
            .to_string();
        Fixture {
            token,
            issuer: constant("issuer"),
            client_id: constant("client_id"),
            nonce: constant("nonce"),
            now: constant("now"),
            partner_jwks: read("partner-private.jwks.json"),
            provider_jwks: read("provider.jwks.json"),
        }
    }

    /// The keyring `decode-token --keys … --jwks …` builds, once.
    fn keyring(&self) -> Keyring {
        let private_keys = load_private_keys(&self.partner_jwks, "partner-private.jwks.json")
            .expect("partner keys load");
        let provider = PublicKeySet::parse(&self.provider_jwks).expect("provider JWKS parses");
        Keyring::new(
            private_keys,
            None,
            Box::new(StaticKeys::new(provider, "provider.jwks.json")),
        )
    }

    fn options(&self) -> InspectOptions {
        let now = parse_instant(&self.now).expect("`now` parses");
        InspectOptions {
            expect: Expectations {
                issuer: Some(self.issuer.clone()),
                client_id: Some(self.client_id.clone()),
                nonce: Some(self.nonce.clone()),
                ..Expectations::new(TokenKind::IdToken, now)
            },
            verify_signature: true,
        }
    }

    /// The JWK of `set` whose `use` is `key_use`.
    fn jwk<'a>(set: &'a Value, key_use: &str) -> &'a Map<String, Value> {
        set["keys"]
            .as_array()
            .expect("a JWK Set")
            .iter()
            .filter_map(Value::as_object)
            .find(|k| k.get("use").and_then(Value::as_str) == Some(key_use))
            .unwrap_or_else(|| panic!("no `use: {key_use}` key"))
    }

    /// The partner's encryption key, as OpenSSL sees the library's key: imported from PKCS#8 DER
    /// (a provider-native key, not a legacy `RSA*` wrapped in an `EVP_PKEY`).
    fn partner_enc_key(&self) -> PKey<Private> {
        let set: Value = serde_json::from_slice(&self.partner_jwks).expect("partner JWKS is JSON");
        let jwk = Self::jwk(&set, "enc");
        let bn = |name: &str| big_num(jwk, name);
        let rsa = Rsa::from_private_components(
            bn("n"),
            bn("e"),
            bn("d"),
            bn("p"),
            bn("q"),
            bn("dp"),
            bn("dq"),
            bn("qi"),
        )
        .expect("valid RSA private key");
        let der = PKey::from_rsa(rsa)
            .and_then(|k| k.private_key_to_pkcs8())
            .expect("key exports to PKCS#8");
        PKey::private_key_from_der(&der).expect("PKCS#8 imports")
    }

    /// The provider's signing key, imported from SubjectPublicKeyInfo DER like josekit does.
    fn provider_sig_key(&self) -> PKey<Public> {
        let set: Value =
            serde_json::from_slice(&self.provider_jwks).expect("provider JWKS is JSON");
        let jwk = Self::jwk(&set, "sig");
        let rsa = Rsa::from_public_components(big_num(jwk, "n"), big_num(jwk, "e"))
            .expect("valid RSA public key");
        let der = PKey::from_rsa(rsa)
            .and_then(|k| k.public_key_to_der())
            .expect("key exports to SPKI");
        PKey::public_key_from_der(&der).expect("SPKI imports")
    }

    /// The JWE's encrypted content key (second compact part).
    fn encrypted_key(&self) -> Vec<u8> {
        let part = self.token.split('.').nth(1).expect("a compact JWE");
        URL_SAFE_NO_PAD.decode(part).expect("base64url")
    }

    /// The inner JWS: (signing input, signature).
    fn inner_jws(&self) -> (String, Vec<u8>) {
        let keys = load_private_keys(&self.partner_jwks, "partner-private.jwks.json")
            .expect("partner keys load");
        let enc = keys
            .iter()
            .find(|k| k.key_use.as_deref() == Some("enc"))
            .expect("an enc key");
        let plaintext = RsaDecrypter::new(enc)
            .decrypt(&self.token, "RSA-OAEP-256")
            .expect("the vector decrypts");
        let jws = String::from_utf8(plaintext).expect("UTF-8 JWS");
        let (input, signature) = jws.rsplit_once('.').expect("a compact JWS");
        let signature = URL_SAFE_NO_PAD.decode(signature).expect("base64url");
        (input.to_string(), signature)
    }
}

fn big_num(jwk: &Map<String, Value>, name: &str) -> BigNum {
    let text = jwk
        .get(name)
        .and_then(Value::as_str)
        .unwrap_or_else(|| panic!("JWK member `{name}` missing"));
    let bytes = URL_SAFE_NO_PAD.decode(text).expect("base64url");
    BigNum::from_slice(&bytes).expect("big number")
}

/// One RSA-OAEP-256 decryption, as a caller with a prepared key does it: context, padding, digests.
fn rsa_oaep256_decrypt(key: &PKey<Private>, input: &[u8]) -> Vec<u8> {
    let mut decrypter = Decrypter::new(key).expect("context");
    decrypter
        .set_rsa_padding(Padding::PKCS1_OAEP)
        .expect("padding");
    decrypter
        .set_rsa_oaep_md(MessageDigest::sha256())
        .expect("oaep md");
    decrypter
        .set_rsa_mgf1_md(MessageDigest::sha256())
        .expect("mgf1 md");
    let mut out = vec![0; decrypter.decrypt_len(input).expect("length")];
    let len = decrypter.decrypt(input, &mut out).expect("decrypts");
    out.truncate(len);
    out
}

/// One RS256 verification: hash the signing input, then the public-key operation.
fn rs256_verify(key: &PKey<Public>, input: &[u8], signature: &[u8]) -> bool {
    let mut verifier = Verifier::new(MessageDigest::sha256(), key).expect("context");
    verifier.update(input).expect("hash");
    verifier.verify(signature).expect("verify runs")
}

fn benchmarks(c: &mut Criterion) {
    let fixture = Fixture::load();

    // The pipeline, with everything prepared once (as in --batch).
    let mut keyring = fixture.keyring();
    let options = fixture.options();
    let report = inspect(&fixture.token, &mut keyring, &options).expect("inspect runs");
    assert!(
        report.valid
            && report.verified
            && report.errors.is_empty()
            && report.decryption.is_some()
            && report.signature.is_some(),
        "the benchmark vector must decode as valid, or the benchmark measures a failure path: {:?}",
        report.errors
    );
    let mut group = c.benchmark_group("nested_id_token");
    group.bench_function("decrypt_verify_validate", |b| {
        b.iter(|| inspect(black_box(&fixture.token), &mut keyring, &options).expect("inspect runs"))
    });
    group.finish();

    // The RSA operations alone, on the same keys and the same bytes.
    let enc_key = fixture.partner_enc_key();
    let encrypted_key = fixture.encrypted_key();
    assert_eq!(
        rsa_oaep256_decrypt(&enc_key, &encrypted_key).len(),
        32,
        "A128CBC-HS256 content key"
    );
    let sig_key = fixture.provider_sig_key();
    let (signing_input, signature) = fixture.inner_jws();
    assert!(
        rs256_verify(&sig_key, signing_input.as_bytes(), &signature),
        "the inner JWS verifies"
    );
    let mut group = c.benchmark_group("raw_rsa2048");
    group.bench_function("private_decrypt_oaep256", |b| {
        b.iter(|| rsa_oaep256_decrypt(&enc_key, black_box(&encrypted_key)))
    });
    group.bench_function("public_verify_rs256", |b| {
        b.iter(|| rs256_verify(&sig_key, black_box(signing_input.as_bytes()), &signature))
    });
    group.finish();
}

fn config() -> Criterion {
    Criterion::default()
        .warm_up_time(Duration::from_secs(2))
        .measurement_time(Duration::from_secs(5))
        .sample_size(30)
}

criterion_group! {
    name = decode;
    config = config();
    targets = benchmarks
}
criterion_main!(decode);
