//! What `login --sandbox --save FILE` keeps beside the saved login so that `decode-token @FILE`
//! works later, in another process, after the in-process sandbox is gone: the partner keys the
//! sandbox login generated (a private JWK Set, mode 0600, in a file of its own next to FILE) and the
//! sandbox's public keys (in FILE itself, member `sandbox`). Both sides read the names from here.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::jose::keys::{PrivateKey, PublicKeySet};

/// The member of a saved login that holds [`SandboxKeys`].
pub const MEMBER: &str = "sandbox";

/// Where a sandbox login's generated keys are: the member `sandbox` of the saved login.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SandboxKeys {
    /// The file of the partner's private keys (a private JWK Set), by its name in the saved
    /// login's folder: the two files can be moved together.
    pub keys_file: String,
    /// The sandbox's public JWK Set, which verified the tokens (the sandbox itself is gone).
    pub provider_jwks: Value,
}

/// The file that keeps a sandbox login's partner keys, next to the saved login `save`:
/// `login.json` → `login.sandbox-keys.jwks.json`.
pub fn keys_file_for(save: &Path) -> PathBuf {
    let stem = save
        .file_stem()
        .map_or_else(|| "login".into(), |s| s.to_string_lossy().into_owned());
    save.with_file_name(format!("{stem}.sandbox-keys.jwks.json"))
}

impl SandboxKeys {
    /// The record for a login saved at `save`, with the provider's public keys `provider`.
    pub fn new(save: &Path, provider: &PublicKeySet) -> Self {
        let keys_file = keys_file_for(save)
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let keys: Vec<Value> = provider
            .keys
            .iter()
            .map(|k| Value::Object(k.jwk.clone()))
            .collect();
        SandboxKeys {
            keys_file,
            provider_jwks: serde_json::json!({ "keys": keys }),
        }
    }

    /// The record in a saved login, if it has one.
    pub fn from_saved(saved: &Value) -> Option<Self> {
        serde_json::from_value(saved.get(MEMBER)?.clone()).ok()
    }

    /// The keys file's path, for a saved login read from `saved_file`. A name with a folder in
    /// it is refused: the record names a file beside the saved login, nothing else.
    pub fn keys_path(&self, saved_file: &Path) -> Option<PathBuf> {
        let name = Path::new(&self.keys_file);
        let plain = name.components().count() == 1 && name.file_name().is_some();
        plain.then(|| saved_file.with_file_name(name))
    }
}

/// The private JWK Set of a sandbox login's generated partner keys.
pub fn private_key_set(keys: &[PrivateKey]) -> Value {
    let jwks: Vec<_> = keys.iter().map(PrivateKey::private_jwk).collect();
    PublicKeySet::document(&jwks)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_keys_file_sits_next_to_the_saved_login_and_stays_there() {
        let save = Path::new("out/login.json");
        assert_eq!(
            keys_file_for(save),
            Path::new("out/login.sandbox-keys.jwks.json")
        );
        let record = SandboxKeys::new(save, &PublicKeySet::default());
        assert_eq!(record.keys_file, "login.sandbox-keys.jwks.json");
        assert_eq!(
            record.keys_path(Path::new("elsewhere/login.json")),
            Some(PathBuf::from("elsewhere/login.sandbox-keys.jwks.json"))
        );
        for name in ["../secret.jwks.json", "/etc/passwd", "a/b.json", ""] {
            let forged = SandboxKeys {
                keys_file: name.into(),
                provider_jwks: Value::Null,
            };
            assert_eq!(forged.keys_path(save), None, "{name}");
        }
    }
}
