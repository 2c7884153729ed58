//! Arbitrary bytes through the login's loopback listener (request-head parsing, path, Host and
//! method rules, the authorization response's parameters) and through paste mode.
#![no_main]

#[path = "../harness.rs"]
mod harness;

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    harness::callback(data);
});
