//! Arbitrary bytes through `decode-token`'s engine: input cleaning, compact parsing, JWE
//! decryption, JWS verification and every claim check. See `fuzz/harness.rs` for the invariants.
#![no_main]

#[path = "../harness.rs"]
mod harness;

use std::cell::RefCell;

thread_local! {
    // Built once: loading the keys per input would drown the parsing in key setup.
    static DECODER: RefCell<harness::Decoder> = RefCell::new(harness::Decoder::new());
}

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    DECODER.with_borrow_mut(|decoder| decoder.decode(data));
});
