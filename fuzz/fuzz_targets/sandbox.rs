//! Arbitrary bytes through the sandbox's request rules: as the query of an authorization request
//! (parameters, PKCE, scopes, claims, request objects signed and encrypted) and as the form of a
//! token request (client secrets and client assertions). See `fuzz/harness.rs` for the invariants.
#![no_main]

#[path = "../harness.rs"]
mod harness;

thread_local! {
    // Built once: the keys, the clients and the genuine signatures.
    static RULES: harness::SandboxRules = harness::SandboxRules::new();
}

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    RULES.with(|rules| rules.run(data));
});
