//! Arbitrary bytes as a HAR file through `decode-token --har` (the HAR model, the exchange
//! finder, every check across exchanges) and as a `--scan` log line. See `fuzz/harness.rs`.
#![no_main]

#[path = "../harness.rs"]
mod harness;

libfuzzer_sys::fuzz_target!(|data: &[u8]| harness::har(data));
