//! OpenID Connect rules, pure: no network, no files.

pub mod authorization;
pub mod client_auth;
pub mod discovery;
pub mod endpoints;
pub mod request_object;
pub mod request_rules;
pub mod validate;
