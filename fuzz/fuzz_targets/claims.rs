//! Arbitrary JSON objects through the claim rules and the itsme® claim checks (check digits,
//! photos, dates, addresses), as an ID token's claims and as userinfo.
#![no_main]

#[path = "../harness.rs"]
mod harness;

thread_local! {
    static DECODER: harness::Decoder = harness::Decoder::new();
}

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    DECODER.with(|decoder| decoder.claims(data));
});
