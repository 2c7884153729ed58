//! The only place that touches the JOSE library: compact parsing, keys, decryption, verification,
//! signing and encryption.

pub mod compact;
pub mod crypto;
pub mod keys;
