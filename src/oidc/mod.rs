//! OpenID Connect rules, pure: no network, no files.

pub mod validate;
