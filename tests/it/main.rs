//! The integration tests, as one test binary: each module was a `tests/*.rs` file of its own, and
//! one binary links the crate and its dependencies once instead of once per file.
//! Run one module with `cargo test --test it MODULE::` (for example `cargo test --test it peer::`).

mod common;

mod architecture;
mod cli_ciba;
mod cli_claims;
mod cli_config;
mod cli_decode;
mod cli_discovery;
mod cli_har;
mod cli_inputs;
mod cli_keys;
mod cli_login;
mod cli_sandbox;
mod cli_validate;
mod completions;
mod confusion;
mod docs_ci;
mod docs_facts;
mod docs_troubleshooting;
mod fuzz_regressions;
mod listener_abuse;
mod man_pages;
mod packaging;
mod peer;
mod peer_ciba;
mod readme;
mod robustness;
mod sandbox;
mod sandbox_abuse;
mod sandbox_ciba;
mod sandbox_rp;
mod snapshots;
mod vectors;
mod weak_keys;
