//! The rules a key set is judged by (PROTOCOL §3), in one place. Pure: no files, no network; the
//! callers read or fetch the keys (`jose::keys` parses them) and report in their own words.
//!
//! - **Hygiene**: a key set meant to be public must carry no private members ([`PRIVATE_MEMBERS`],
//!   [`private_members`], [`leaks`]). `validate` reports it as `jwks_private_members`, `keys show`
//!   and `discovery --check` as `private_members_published`; the HTTP trace redacts the same
//!   members; the sandbox refuses a client set that has them.
//! - **Strength**: RSA keys of [`MIN_RSA_BITS`] or more, with a sound public exponent
//!   ([`rsa_weaknesses`], next to [`too_small`]). Every place keys enter calls it: `--keys`
//!   (`commands::read_private_keys`), provider sets read or fetched ([`screen`], from
//!   `token::keysource` and `provider::fetch_jwks`), the sandbox's client sets, `keys show`
//!   ([`summary`]) and `validate` (`audit`).
//! - **Known keys**: Belgian Mobile ID's published sample keys ([`published_sample`]), refused by
//!   `keys show` and `validate`.
//! - **Summaries**: the description of each key that `keys` and `discovery` report ([`summary`]).

pub mod summary;

use serde_json::{Map, Value};

use crate::jose::keys::{PrivateKey, PublicKey, PublicKeySet};

/// JWK members that hold private or symmetric key material (RFC 7518 §6.3.2 for RSA, `oth`
/// included; §6.4.1 `k` for symmetric keys). Publishing any of them leaks the key (PROTOCOL §3).
pub const PRIVATE_MEMBERS: [&str; 8] = ["d", "p", "q", "dp", "dq", "qi", "oth", "k"];

/// Whether `name` is a JWK member that holds private key material.
pub fn is_private_member(name: &str) -> bool {
    PRIVATE_MEMBERS.contains(&name)
}

/// The private members present in a JWK, in the order of [`PRIVATE_MEMBERS`].
pub fn private_members(jwk: &Map<String, Value>) -> Vec<&'static str> {
    PRIVATE_MEMBERS
        .iter()
        .copied()
        .filter(|m| jwk.contains_key(*m))
        .collect()
}

/// A key of a set that carries private members.
#[derive(Debug, Clone)]
pub struct Leak<'s> {
    /// The key.
    pub key: &'s PublicKey,
    /// The private members it carries, in the order of [`PRIVATE_MEMBERS`] (never empty).
    pub members: Vec<&'static str>,
}

/// The keys of `set` that carry private members, in set order: when the set is meant to be public,
/// each of them is compromised (replace it; unpublishing is not enough).
pub fn leaks(set: &PublicKeySet) -> Vec<Leak<'_>> {
    set.keys
        .iter()
        .filter_map(|key| {
            let members = private_members(&key.jwk);
            (!members.is_empty()).then_some(Leak { key, members })
        })
        .collect()
}

/// What is said of a key that publishes private members, after its name (`keys show`'s
/// `private_members_published`, and `decode-token --jwks`'s warning).
pub fn leak_reason(members: &[&str]) -> String {
    format!(
        "publishes its private part ({}): the key is compromised; generate a new one, do not just remove the members",
        members.join(", ")
    )
}

// ── Strength ────────────────────────────────────────────────────────────────────────────────────

/// The smallest RSA modulus itsme® accepts, in bits (PROTOCOL §3).
pub const MIN_RSA_BITS: u32 = 2048;

/// Whether an RSA modulus of `bits` bits is too small (PROTOCOL §3).
pub fn too_small(bits: u32) -> bool {
    bits < MIN_RSA_BITS
}

/// Public exponents must be below 2^256 (NIST SP 800-56B Rev. 2 §6.2.1, FIPS 186-5 §A.1.1): a
/// longer one is no key any standard generator makes, and makes every public operation slow.
pub const MAX_EXPONENT_BITS: u32 = 256;

/// Public exponents up to 2^16 are warned about, not refused. NIST (SP 800-56B Rev. 2 §6.2.1,
/// FIPS 186-5 §A.1.1, and SP 800-89 §5.3.3 for the check) asks for 2^16 < e < 2^256 when keys
/// are generated, usually 65537. An odd e ≥ 3 is still a correct RSA key (RFC 8017 §3.1), and
/// with the padding JOSE uses (OAEP, PSS, PKCS#1 v1.5 checked in full, as OpenSSL does) no attack
/// on a small e is known; refusing e = 3 would refuse keys that verify correctly. So: e = 1, even
/// exponents and e ≥ 2^256 are refused; 3 ≤ e ≤ 65536 is warned about where a key set is judged
/// (`keys show`, `validate`).
pub const MIN_SOUND_EXPONENT: u64 = 1 << 16;

/// What is wrong with an RSA key's numbers ([`rsa_weaknesses`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Weakness {
    /// `n` or `e` is missing, not base64url, or empty.
    Unreadable,
    /// The modulus has fewer than [`MIN_RSA_BITS`] bits.
    ModulusTooSmall {
        /// Its size.
        bits: u32,
    },
    /// The modulus is even: not a product of two odd primes.
    ModulusEven,
    /// The public exponent is 0, 1 or 2.
    ExponentBelowThree {
        /// Its value.
        e: u64,
    },
    /// The public exponent is even.
    ExponentEven,
    /// The public exponent is 2^256 or more.
    ExponentTooLarge {
        /// Its size.
        bits: u32,
    },
    /// The public exponent is odd, 3 or more, and at most 2^16 (warned about, not refused).
    ExponentSmall {
        /// Its value.
        e: u64,
    },
}

impl Weakness {
    /// Whether the key is refused (else it is only warned about).
    pub fn refused(&self) -> bool {
        !matches!(self, Weakness::ExponentSmall { .. })
    }

    /// What is wrong, as the end of a sentence that starts with the key's name.
    pub fn reason(&self) -> String {
        match self {
            Weakness::Unreadable => "its `n` or `e` is missing or is not base64url".into(),
            Weakness::ModulusTooSmall { bits } => format!(
                "its modulus has {bits} bits; itsme® requires at least {MIN_RSA_BITS} (docs/itsme-facts.md#client-authentication)"
            ),
            Weakness::ModulusEven => "its modulus is even, so it is no RSA modulus".into(),
            Weakness::ExponentBelowThree { e: 1 } => "its public exponent is 1: with e = 1 a signature is the encoded message itself, so anyone can forge one without the private key, and what is encrypted to it is not encrypted at all".into(),
            Weakness::ExponentBelowThree { e } => format!(
                "its public exponent is {e}; an RSA exponent is odd and at least 3 (SP 800-89 §5.3.3)"
            ),
            Weakness::ExponentEven => "its public exponent is even; an RSA exponent is odd (SP 800-89 §5.3.3)".into(),
            Weakness::ExponentTooLarge { bits } => format!(
                "its public exponent has {bits} bits; it must be below 2^{MAX_EXPONENT_BITS} (SP 800-56B Rev. 2 §6.2.1)"
            ),
            Weakness::ExponentSmall { e } => format!(
                "its public exponent is {e}; keys are generated with 2^16 < e < 2^256, usually 65537 (FIPS 186-5 §A.1.1): replace it when you can"
            ),
        }
    }
}

/// The weaknesses of an RSA key given its modulus and public exponent (big-endian octets, as in a
/// JWK's `n` and `e`, RFC 7518 §6.3.1): the one strength rule every loader calls, through
/// [`public_key_weaknesses`] and [`private_key_weaknesses`]. Refusals first.
pub fn rsa_weaknesses(modulus: &[u8], exponent: &[u8]) -> Vec<Weakness> {
    let modulus = strip_zeros(modulus);
    let exponent = strip_zeros(exponent);
    let mut out = Vec::new();
    let modulus_bits = bit_length(modulus);
    if too_small(modulus_bits) {
        out.push(Weakness::ModulusTooSmall { bits: modulus_bits });
    }
    if modulus.last().is_none_or(|b| b & 1 == 0) {
        out.push(Weakness::ModulusEven);
    }
    let exponent_bits = bit_length(exponent);
    let small = (exponent_bits <= 64).then(|| {
        exponent
            .iter()
            .fold(0u64, |acc, b| (acc << 8) | u64::from(*b))
    });
    match small {
        Some(e) if e < 3 => out.push(Weakness::ExponentBelowThree { e }),
        _ if exponent.last().is_some_and(|b| b & 1 == 0) => out.push(Weakness::ExponentEven),
        _ if exponent_bits > MAX_EXPONENT_BITS => out.push(Weakness::ExponentTooLarge {
            bits: exponent_bits,
        }),
        Some(e) if e <= MIN_SOUND_EXPONENT => out.push(Weakness::ExponentSmall { e }),
        _ => {}
    }
    out.sort_by_key(|w| !w.refused());
    out
}

fn strip_zeros(bytes: &[u8]) -> &[u8] {
    let skipped = bytes.iter().take_while(|b| **b == 0).count();
    &bytes[skipped..]
}

fn bit_length(big_endian: &[u8]) -> u32 {
    match big_endian.first() {
        Some(first) => {
            u32::try_from(big_endian.len()).unwrap_or(u32::MAX / 8) * 8 - first.leading_zeros()
        }
        None => 0,
    }
}

/// The weaknesses of a published key: none for keys that are not RSA (reported as `not_rsa`
/// where sets are judged, never used to verify); [`Weakness::Unreadable`] when its numbers are
/// broken.
pub fn public_key_weaknesses(key: &PublicKey) -> Vec<Weakness> {
    if key.kty != "RSA" {
        return Vec::new();
    }
    match key.rsa_numbers() {
        Some((n, e)) => rsa_weaknesses(&n, &e),
        None => vec![Weakness::Unreadable],
    }
}

/// The weaknesses of a private key (of its public half).
pub fn private_key_weaknesses(key: &PrivateKey) -> Vec<Weakness> {
    let (n, e) = key.rsa_numbers();
    rsa_weaknesses(&n, &e)
}

/// The first refusal among `weaknesses`, if any.
pub fn refusal(weaknesses: &[Weakness]) -> Option<&Weakness> {
    weaknesses.iter().find(|w| w.refused())
}

/// A key's name for messages: `kid`, else its RFC 7638 thumbprint, else its position.
pub fn key_name(key: &PublicKey) -> String {
    match (&key.kid, key.thumbprint()) {
        (Some(kid), _) => format!("key `{kid}`"),
        (None, Some(thumbprint)) => format!("key #{} (thumbprint `{thumbprint}`)", key.position),
        (None, None) => format!("key #{}", key.position),
    }
}

/// Judges a public key set where it enters (a provider's set, fetched or read; `--jwks`): every
/// refused key is marked ([`PublicKey::refused`], the key and the reason), so that it verifies and
/// encrypts nothing, and the token engine names it when a token points at it.
pub fn screen(set: &mut PublicKeySet) {
    for key in &mut set.keys {
        let weaknesses = public_key_weaknesses(key);
        key.refused = refusal(&weaknesses).map(Weakness::reason);
    }
}

/// The keys of `set` that are refused, each with its name and the reason (in set order).
pub fn refused_keys(set: &PublicKeySet) -> Vec<String> {
    set.keys
        .iter()
        .filter_map(|key| {
            let weaknesses = public_key_weaknesses(key);
            refusal(&weaknesses).map(|w| format!("{} is refused: {}", key_name(key), w.reason()))
        })
        .collect()
}

// ── Known keys ──────────────────────────────────────────────────────────────────────────────────

/// Where Belgian Mobile ID published its sample partner keys with their private parts.
pub const SAMPLE_KEYS_SOURCE: &str = "Belgian Mobile ID's public documentation repository (belgianmobileid/slate, source/private_jwks.json)";

/// The public halves of those keys (`s1`, `e1`), copied into the repository (PROTOCOL §3).
const SAMPLE_KEYS: &str = include_str!("key_rules/published-sample-keys.json");

/// The `kid` and RFC 7638 thumbprint of each published sample key, computed from their public
/// members (the thumbprints recorded beside them are checked against these in a test).
fn sample_thumbprints() -> &'static [(String, String)] {
    static SAMPLES: std::sync::OnceLock<Vec<(String, String)>> = std::sync::OnceLock::new();
    SAMPLES.get_or_init(|| {
        PublicKeySet::parse(SAMPLE_KEYS.as_bytes())
            .map(|set| {
                set.keys
                    .iter()
                    .filter_map(|k| Some((k.kid.clone()?, k.thumbprint()?)))
                    .collect()
            })
            .unwrap_or_default()
    })
}

/// The `kid` of the published sample key whose RFC 7638 thumbprint is `thumbprint`, if it is one:
/// its private part is known to everyone, so anything it signs or protects is compromised.
pub fn published_sample(thumbprint: &str) -> Option<&'static str> {
    sample_thumbprints()
        .iter()
        .find(|(_, t)| t == thumbprint)
        .map(|(kid, _)| kid.as_str())
}

/// The sentence for a published sample key, after the key's name.
pub fn sample_reason(sample_kid: &str) -> String {
    format!(
        "is the sample key `{sample_kid}` that Belgian Mobile ID published with its private part in {SAMPLE_KEYS_SOURCE}: anyone can sign and decrypt with it; generate your own keys (itsme-cli keys generate)"
    )
}

/// The keys of `set` that are published sample keys, each as a sentence that names it and the
/// source (in set order).
pub fn published_samples(set: &PublicKeySet) -> Vec<String> {
    set.keys
        .iter()
        .filter_map(|key| {
            let sample = published_sample(&key.thumbprint()?)?;
            Some(format!("{} {}", key_name(key), sample_reason(sample)))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn private_members_are_found_in_public_sets() {
        let set = PublicKeySet::parse(
            br#"{"keys":[{"kty":"RSA","n":"AQAB","e":"AQAB","d":"x","p":"y"}]}"#,
        )
        .unwrap();
        assert_eq!(private_members(&set.keys[0].jwk), vec!["d", "p"]);
        let found = leaks(&set);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].members, vec!["d", "p"]);
    }

    #[test]
    fn a_generated_public_key_has_none_and_its_private_jwk_all_rsa_ones() {
        let key = PrivateKey::generate(2048, "enc", "RSA-OAEP-256").unwrap();
        let public = PublicKeySet::parse(
            PublicKeySet::document(&[key.public_jwk()])
                .to_string()
                .as_bytes(),
        )
        .unwrap();
        assert!(private_members(&public.keys[0].jwk).is_empty());
        assert!(leaks(&public).is_empty());
        let private = PublicKeySet::parse(
            PublicKeySet::document(&[key.private_jwk()])
                .to_string()
                .as_bytes(),
        )
        .unwrap();
        assert_eq!(
            private_members(&private.keys[0].jwk),
            ["d", "p", "q", "dp", "dq", "qi"]
        );
    }

    #[test]
    fn symmetric_and_multi_prime_members_are_private_too() {
        for name in ["k", "oth", "d"] {
            assert!(is_private_member(name), "{name}");
        }
        for name in ["n", "e", "kty", "kid", "use", "alg", "x5c"] {
            assert!(!is_private_member(name), "{name}");
        }
    }

    #[test]
    fn the_docs_name_every_private_member() {
        for (name, doc) in [
            ("keys.md", include_str!("../docs/keys.md")),
            ("validate.md", include_str!("../docs/validate.md")),
            (
                "troubleshooting.md",
                include_str!("../docs/troubleshooting.md"),
            ),
            ("json-output.md", include_str!("../docs/json-output.md")),
            ("security.md", include_str!("../docs/security.md")),
        ] {
            let line = doc
                .lines()
                .find(|l| l.contains("`dq`"))
                .unwrap_or_else(|| panic!("docs/{name} lists no private members"));
            for member in PRIVATE_MEMBERS {
                assert!(
                    line.contains(&format!("`{member}`")),
                    "docs/{name} omits `{member}`: {line}"
                );
            }
        }
    }

    #[test]
    fn rsa_size_floor() {
        assert!(too_small(1024));
        assert!(too_small(2047));
        assert!(!too_small(2048));
        assert!(!too_small(4096));
    }

    /// A 2048-bit odd modulus (its value does not matter to the rules).
    fn modulus() -> Vec<u8> {
        let mut n = vec![0xc5; 256];
        n[255] = 0x01;
        n
    }

    #[test]
    fn exponents_are_refused_below_three_when_even_and_from_2_256_and_warned_up_to_2_16() {
        let n = modulus();
        let judge = |e: &[u8]| rsa_weaknesses(&n, e);
        assert_eq!(judge(&[1]), [Weakness::ExponentBelowThree { e: 1 }]);
        assert_eq!(judge(&[0]), [Weakness::ExponentBelowThree { e: 0 }]);
        assert_eq!(judge(&[]), [Weakness::ExponentBelowThree { e: 0 }]);
        assert_eq!(judge(&[2]), [Weakness::ExponentBelowThree { e: 2 }]);
        assert_eq!(judge(&[1, 0, 0]), [Weakness::ExponentEven]);
        assert_eq!(judge(&[3]), [Weakness::ExponentSmall { e: 3 }]);
        assert_eq!(judge(&[1, 0, 1]), Vec::<Weakness>::new(), "65537");
        assert_eq!(
            judge(&[0, 0, 1, 0, 1]),
            Vec::<Weakness>::new(),
            "leading zeros"
        );
        assert!(judge(&[1, 0, 0, 1]).is_empty(), "2^24 + 1 is sound");
        let mut big = vec![0xff; 32];
        assert_eq!(judge(&big), Vec::<Weakness>::new(), "2^256 - 1");
        big.insert(0, 1);
        assert_eq!(judge(&big), [Weakness::ExponentTooLarge { bits: 257 }]);
        for weakness in [
            Weakness::ExponentBelowThree { e: 1 },
            Weakness::ExponentEven,
        ] {
            assert!(weakness.refused());
        }
        assert!(!Weakness::ExponentSmall { e: 3 }.refused());
        assert!(
            Weakness::ExponentBelowThree { e: 1 }
                .reason()
                .contains("anyone can forge")
        );
    }

    #[test]
    fn moduli_are_refused_under_2048_bits_and_when_even() {
        let e = [1, 0, 1];
        let mut n = modulus();
        assert!(rsa_weaknesses(&n, &e).is_empty());
        n[0] = 0x7f;
        assert_eq!(
            rsa_weaknesses(&n, &e),
            [Weakness::ModulusTooSmall { bits: 2047 }]
        );
        n[255] = 0x02;
        n[0] = 0xc5;
        assert_eq!(rsa_weaknesses(&n, &e), [Weakness::ModulusEven]);
        // Refusals come before remarks.
        let mut short = modulus()[..128].to_vec();
        short[127] = 0x02;
        assert_eq!(
            rsa_weaknesses(&short, &[3]),
            [
                Weakness::ModulusTooSmall { bits: 1024 },
                Weakness::ModulusEven,
                Weakness::ExponentSmall { e: 3 }
            ]
        );
    }

    #[test]
    fn screening_marks_refused_keys_by_name_and_keeps_the_others() {
        let good = PrivateKey::generate(2048, "sig", "RS256").unwrap();
        let mut forged = good.public_jwk();
        forged.set_key_id("forged");
        forged
            .set_parameter("e", Some(Value::String("AQ".into())))
            .unwrap();
        let mut set = PublicKeySet::parse(
            PublicKeySet::document(&[good.public_jwk(), forged])
                .to_string()
                .as_bytes(),
        )
        .unwrap();
        screen(&mut set);
        assert!(set.keys[0].refused.is_none());
        assert!(
            set.keys[1]
                .refused
                .as_deref()
                .unwrap()
                .contains("exponent is 1")
        );
        let refused = refused_keys(&set);
        assert_eq!(refused.len(), 1);
        assert!(
            refused[0].starts_with("key `forged` is refused"),
            "{}",
            refused[0]
        );
        assert!(private_key_weaknesses(&good).is_empty());
    }

    #[test]
    fn the_published_sample_keys_are_known_by_thumbprint() {
        let doc: Value = serde_json::from_str(SAMPLE_KEYS).unwrap();
        let keys = doc["keys"].as_array().unwrap();
        assert_eq!(keys.len(), 2);
        for key in keys {
            let recorded = key["x-rfc7638-thumbprint"].as_str().unwrap();
            assert_eq!(
                published_sample(recorded),
                key["kid"].as_str(),
                "{recorded}"
            );
        }
        assert_eq!(sample_thumbprints().len(), 2);
        let mine = PrivateKey::generate(2048, "sig", "RS256").unwrap();
        assert_eq!(published_sample(&mine.thumbprint()), None);
        let set = PublicKeySet::parse(SAMPLE_KEYS.as_bytes()).unwrap();
        let found = published_samples(&set);
        assert_eq!(found.len(), 2);
        assert!(found[0].contains("key `s1`") && found[0].contains("belgianmobileid/slate"));
    }
}
