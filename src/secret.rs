//! Secrets that must never be printed by accident.

use std::fmt;

/// A secret string (a client secret, a token). `Debug` and `Display` print `(redacted)`; read the
/// value with [`Secret::expose`] only where it is sent or used.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    /// Wraps a secret.
    pub fn new(value: impl Into<String>) -> Self {
        Secret(value.into())
    }

    /// The secret itself.
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// Whether `given` is this secret, compared in constant time (for equal lengths; a length is
    /// not secret). For tokens a caller receives and checks (CIBA's ping bearer and `auth_req_id`).
    pub fn matches(&self, given: &str) -> bool {
        self.0.len() == given.len() && openssl::memcmp::eq(self.0.as_bytes(), given.as_bytes())
    }
}

/// Lets clap parse a secret straight into a `Secret`, so it is never a plain string.
impl std::str::FromStr for Secret {
    type Err = std::convert::Infallible;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        Ok(Secret::new(text))
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("(redacted)")
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("(redacted)")
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn never_printed() {
        let s = super::Secret::new("hunter2");
        assert_eq!(format!("{s} {s:?}"), "(redacted) (redacted)");
        assert_eq!(s.expose(), "hunter2");
        assert!(s.matches("hunter2") && !s.matches("hunter3") && !s.matches("hunter"));
    }
}
