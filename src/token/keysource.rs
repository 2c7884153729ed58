//! Where the provider's public keys come from. The engine asks for them only when a signature
//! needs them, and asks once more after an unknown `kid` (the provider may have rotated its keys).

use crate::jose::keys::PublicKeySet;

/// A source of provider public keys.
pub trait ProviderKeys {
    /// The keys, loaded on first use.
    fn keys(&mut self) -> anyhow::Result<&PublicKeySet>;

    /// Loads the keys again after an unknown `kid`. Returns whether anything was reloaded: a file
    /// is not reloaded, a URL is re-fetched at most once per run.
    fn refresh(&mut self) -> anyhow::Result<bool>;

    /// Where the keys come from, for messages (a file name or a URL).
    fn origin(&self) -> String;
}

/// Keys already in memory (from a file, or given by a caller).
#[derive(Debug, Clone)]
pub struct StaticKeys {
    set: PublicKeySet,
    origin: String,
}

impl StaticKeys {
    /// Keys from `origin`.
    pub fn new(set: PublicKeySet, origin: impl Into<String>) -> Self {
        StaticKeys {
            set,
            origin: origin.into(),
        }
    }
}

impl ProviderKeys for StaticKeys {
    fn keys(&mut self) -> anyhow::Result<&PublicKeySet> {
        Ok(&self.set)
    }

    fn refresh(&mut self) -> anyhow::Result<bool> {
        Ok(false)
    }

    fn origin(&self) -> String {
        self.origin.clone()
    }
}

/// No source was configured: asking for keys is an error that says how to configure one.
#[derive(Debug, Clone, Copy, Default)]
pub struct NoProviderKeys;

impl ProviderKeys for NoProviderKeys {
    fn keys(&mut self) -> anyhow::Result<&PublicKeySet> {
        Err(crate::error::hinted(
            "cannot verify the signature: no provider keys were given",
            "pass `--jwks FILE|URL`, or `--env e2e|prd` / `--issuer URL` to fetch them from discovery; `--no-verify` decodes without verifying",
        ))
    }

    fn refresh(&mut self) -> anyhow::Result<bool> {
        Ok(false)
    }

    fn origin(&self) -> String {
        "(none)".into()
    }
}
