//! When a login sends a request object, and how it encrypts it (PROTOCOL §4: a JWT signed RS256,
//! then encrypted to the provider's `enc` key; `alg` RSA-OAEP-256 recommended, `enc` one of the
//! discovery document's supported values; PROTOCOL §7: Confirmation needs one). Pure.

use serde_json::{Map, Value};

use crate::jose::keys::{PrivateKey, PublicKey, PublicKeySet};
use crate::oidc::authorization::RequestObjectKeys;

/// JWE `alg` values for the request object, most preferred first.
const ALGS: &[&str] = &["RSA-OAEP-256", "RSA-OAEP"];
/// JWE `enc` values for the request object, most preferred first.
const ENCS: &[&str] = &["A128CBC-HS256", "A256GCM", "A256CBC-HS512", "A128GCM"];

/// Whether the parameters go in a request object: only with a signing key, and then unless the
/// user asked for plain parameters — which a Confirmation overrides, since it needs one.
pub fn wanted(has_signing_key: bool, no_request_object: bool, confirmation: bool) -> bool {
    has_signing_key && (!no_request_object || confirmation)
}

/// The keys of the request object of a request signed by `signer` when one is `wanted` (see
/// [`wanted`]): the provider's encryption key from `provider_keys` and the algorithms its
/// `metadata` supports. `Ok(None)`: no request object; `Err(())`: one is wanted but the provider
/// publishes no RSA encryption key. `login` and `validate`'s redirect URI probe both build with it.
#[allow(clippy::result_unit_err)]
pub fn keys<'a>(
    signer: Option<&'a PrivateKey>,
    wanted: bool,
    metadata: &Map<String, Value>,
    provider_keys: &'a PublicKeySet,
) -> Result<Option<RequestObjectKeys<'a>>, ()> {
    let Some(signer) = signer.filter(|_| wanted) else {
        return Ok(None);
    };
    let provider_key = provider_key(provider_keys).ok_or(())?;
    let (alg, enc) = encryption(metadata);
    Ok(Some(RequestObjectKeys {
        signer,
        provider_key,
        alg,
        enc,
    }))
}

/// The provider key the request object is encrypted to: its first RSA key with `use: enc`.
pub fn provider_key(keys: &PublicKeySet) -> Option<&PublicKey> {
    keys.keys
        .iter()
        .find(|k| k.kty == "RSA" && k.key_use.as_deref() == Some("enc"))
}

/// The JWE `alg` and `enc`: the most preferred one the provider lists in
/// `request_object_encryption_alg_values_supported` / `…_enc_values_supported`, else the
/// recommended RSA-OAEP-256 with A128CBC-HS256 (what itsme®'s own samples use).
pub fn encryption(metadata: &Map<String, Value>) -> (&'static str, &'static str) {
    (
        pick(
            metadata,
            "request_object_encryption_alg_values_supported",
            ALGS,
        )
        .unwrap_or("RSA-OAEP-256"),
        pick(
            metadata,
            "request_object_encryption_enc_values_supported",
            ENCS,
        )
        .unwrap_or("A128CBC-HS256"),
    )
}

/// The first of `preferred` that `metadata`'s array `member` lists.
fn pick(
    metadata: &Map<String, Value>,
    member: &str,
    preferred: &[&'static str],
) -> Option<&'static str> {
    let supported: Vec<&str> = metadata
        .get(member)?
        .as_array()?
        .iter()
        .filter_map(Value::as_str)
        .collect();
    preferred.iter().copied().find(|p| supported.contains(p))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn metadata(value: Value) -> Map<String, Value> {
        match value {
            Value::Object(map) => map,
            _ => unreachable!("the tests pass objects"),
        }
    }

    #[test]
    fn the_preferred_supported_algorithms_are_chosen() {
        assert_eq!(
            encryption(&metadata(json!({}))),
            ("RSA-OAEP-256", "A128CBC-HS256")
        );
        assert_eq!(
            encryption(&metadata(json!({
                "request_object_encryption_alg_values_supported": ["RSA1_5", "RSA-OAEP"],
                "request_object_encryption_enc_values_supported": ["A128GCM", "A256GCM"],
            }))),
            ("RSA-OAEP", "A256GCM")
        );
        assert_eq!(
            encryption(&metadata(json!({
                "request_object_encryption_alg_values_supported": ["RSA1_5"],
                "request_object_encryption_enc_values_supported": "A256GCM",
            }))),
            ("RSA-OAEP-256", "A128CBC-HS256"),
            "nothing usable listed: the recommended pair"
        );
    }

    #[test]
    fn a_confirmation_needs_a_request_object() {
        assert!(wanted(true, false, false));
        assert!(!wanted(true, true, false));
        assert!(wanted(true, true, true));
        assert!(!wanted(false, false, true));
    }
}
