//! The token engine: decrypt, verify and validate any itsme® token, reporting every problem with a
//! stable code. `decode-token`, `login` and the sandbox's tests all go through [`inspect::inspect`].

pub mod inspect;
pub mod keysource;
