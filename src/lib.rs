//! itsme-cli: validate, debug and try itsme® OpenID Connect integrations.
//!
//! The library holds everything; `main.rs` only parses, runs and exits. The modules form layers
//! (interface, commands, flows, rules, `jose`, leaves) whose imports only go down:
//! `docs/architecture.md` is the map, and a test keeps it true.

pub mod audit;
pub mod browser;
pub mod cli;
pub mod codes;
pub mod commands;
pub mod error;
pub mod escape;
pub mod findings;
pub mod flow;
pub mod http;
pub mod input;
pub mod interrupt;
pub mod itsme;
pub mod jose;
pub mod key_rules;
pub mod limits;
pub mod loopback;
pub mod oidc;
pub mod output;
pub mod printer;
pub mod provider;
pub mod replay;
pub mod sandbox;
pub mod secret;
pub mod settings;
pub mod timefmt;
pub mod tls_class;
pub mod token;
pub mod trace;
pub mod url_policy;
