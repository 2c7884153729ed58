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

    /// The keys fetched so far, if this source fetches them from a URL (so that the command can
    /// judge a set it never read itself); `None` for keys read from a file or not yet fetched.
    fn fetched(&self) -> Option<&PublicKeySet> {
        None
    }
}

/// Keys already in memory (from a file, or given by a caller).
#[derive(Debug, Clone)]
pub struct StaticKeys {
    set: PublicKeySet,
    origin: String,
}

impl StaticKeys {
    /// Keys from `origin`, judged as they enter ([`crate::key_rules::screen`]: weak keys are
    /// marked refused and verify nothing).
    pub fn new(mut set: PublicKeySet, origin: impl Into<String>) -> Self {
        crate::key_rules::screen(&mut set);
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
            "pass `--jwks FILE|URL`, or `--env e2e|prd|uat` / `--issuer URL` to fetch them from discovery; `--no-verify` decodes without verifying",
        ))
    }

    fn refresh(&mut self) -> anyhow::Result<bool> {
        Ok(false)
    }

    fn origin(&self) -> String {
        "(none)".into()
    }
}

/// One key source shared by several keyrings (the workers of `decode-token --batch`): the keys
/// are loaded once, each worker keeps its own copy, and a refresh after an unknown `kid` happens
/// once for all (a worker that finds another already refreshed takes the new keys instead).
pub struct SharedKeys {
    shared: std::sync::Arc<std::sync::Mutex<Shared>>,
    local: Option<PublicKeySet>,
    seen_generation: u64,
}

struct Shared {
    source: Box<dyn ProviderKeys + Send>,
    /// Bumped at every refresh that changed the keys.
    generation: u64,
}

impl SharedKeys {
    /// Shares `source`.
    pub fn new(source: Box<dyn ProviderKeys + Send>) -> Self {
        SharedKeys {
            shared: std::sync::Arc::new(std::sync::Mutex::new(Shared {
                source,
                generation: 0,
            })),
            local: None,
            seen_generation: 0,
        }
    }
    /// Copies the shared source's current keys (the lock is held only to copy them).
    fn adopt_current(&mut self, shared: &mut Shared) -> anyhow::Result<&PublicKeySet> {
        let keys = shared.source.keys()?.clone();
        self.seen_generation = shared.generation;
        Ok(self.local.insert(keys))
    }
}

/// Locks the shared source. A worker that panicked holding the lock left the keys as they were:
/// still usable.
fn lock(shared: &std::sync::Mutex<Shared>) -> std::sync::MutexGuard<'_, Shared> {
    shared
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

impl Clone for SharedKeys {
    /// Another handle on the same source, with no copy of the keys yet.
    fn clone(&self) -> Self {
        SharedKeys {
            shared: std::sync::Arc::clone(&self.shared),
            local: None,
            seen_generation: 0,
        }
    }
}

impl ProviderKeys for SharedKeys {
    fn keys(&mut self) -> anyhow::Result<&PublicKeySet> {
        if self.local.is_some() {
            return Ok(self.local.get_or_insert_with(PublicKeySet::default));
        }
        let shared = std::sync::Arc::clone(&self.shared);
        let mut shared = lock(&shared);
        self.adopt_current(&mut shared)
    }

    fn refresh(&mut self) -> anyhow::Result<bool> {
        let shared = std::sync::Arc::clone(&self.shared);
        let mut shared = lock(&shared);
        if shared.generation == self.seen_generation {
            if !shared.source.refresh()? {
                return Ok(false);
            }
            shared.generation += 1;
        }
        self.adopt_current(&mut shared)?;
        Ok(true)
    }

    fn origin(&self) -> String {
        lock(&self.shared).source.origin()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A source whose keys change at each refresh, counting its loads.
    struct Rotating {
        loads: std::sync::Arc<std::sync::atomic::AtomicUsize>,
        sets: Vec<PublicKeySet>,
    }

    impl ProviderKeys for Rotating {
        fn keys(&mut self) -> anyhow::Result<&PublicKeySet> {
            Ok(&self.sets[0])
        }

        fn refresh(&mut self) -> anyhow::Result<bool> {
            if self.sets.len() == 1 {
                return Ok(false);
            }
            self.sets.remove(0);
            self.loads.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            Ok(true)
        }

        fn origin(&self) -> String {
            "rotating".into()
        }
    }

    fn set(kid: &str) -> PublicKeySet {
        let key = crate::jose::keys::PrivateKey::generate(2048, "sig", "RS256").unwrap();
        let mut jwk = key.public_jwk();
        jwk.set_key_id(kid);
        PublicKeySet::parse(PublicKeySet::document(&[jwk]).to_string().as_bytes()).unwrap()
    }

    fn kids(keys: &mut SharedKeys) -> Vec<String> {
        keys.keys()
            .unwrap()
            .keys
            .iter()
            .filter_map(|k| k.kid.clone())
            .collect()
    }

    #[test]
    fn one_refresh_serves_every_handle() {
        let loads = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
        let mut first = SharedKeys::new(Box::new(Rotating {
            loads: loads.clone(),
            sets: vec![set("old"), set("new")],
        }));
        let mut second = first.clone();
        assert_eq!(kids(&mut first), ["old"]);
        assert_eq!(kids(&mut second), ["old"]);
        // The first handle meets an unknown kid and refreshes…
        assert!(first.refresh().unwrap());
        assert_eq!(kids(&mut first), ["new"]);
        // …the second meets it too: it takes the new keys without a second fetch.
        assert!(second.refresh().unwrap());
        assert_eq!(kids(&mut second), ["new"]);
        assert_eq!(loads.load(std::sync::atomic::Ordering::SeqCst), 1);
        // Nothing newer: no change.
        assert!(!second.refresh().unwrap());
        assert_eq!(second.origin(), "rotating");
    }
}
