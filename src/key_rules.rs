//! The rules a key set is judged by (PROTOCOL §3), in one place. Pure: no files, no network; the
//! callers read or fetch the keys (`jose::keys` parses them) and report in their own words.
//!
//! - **Hygiene**: a key set meant to be public must carry no private members ([`PRIVATE_MEMBERS`],
//!   [`private_members`], [`leaks`]). `validate` reports it as `jwks_private_members`, `keys show`
//!   and `discovery --check` as `private_members_published`; the HTTP trace redacts the same
//!   members; the sandbox refuses a client set that has them.
//! - **Strength**: RSA keys of [`MIN_RSA_BITS`] or more. The weak-key rules of issue 13 (public
//!   exponent, modulus checks) belong here, next to [`too_small`].
//! - **Summaries**: the description of each key that `keys` and `discovery` report ([`summary`]).

pub mod summary;

use serde_json::{Map, Value};

use crate::jose::keys::{PublicKey, PublicKeySet};

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

/// The smallest RSA modulus itsme® accepts, in bits (PROTOCOL §3).
pub const MIN_RSA_BITS: u32 = 2048;

/// Whether an RSA modulus of `bits` bits is too small (PROTOCOL §3).
pub fn too_small(bits: u32) -> bool {
    bits < MIN_RSA_BITS
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::jose::keys::PrivateKey;

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
}
