//! The `WWW-Authenticate` challenges of a protected resource (RFC 9110 §11.6.1), and what a
//! `Bearer` challenge says went wrong (RFC 6750 §3). The grammar is parsed by the `http-auth`
//! crate; this module only picks out the Bearer error.

/// The error a `WWW-Authenticate: Bearer` challenge carries (RFC 6750 §3.1).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BearerError {
    /// `error`, e.g. `invalid_token`.
    pub error: String,
    /// `error_description`, if any.
    pub description: Option<String>,
}

/// The `error` and `error_description` of the first `Bearer` challenge in a `WWW-Authenticate`
/// value. `None` when no Bearer challenge carries an `error`, or when the value does not parse.
/// Scheme and parameter names are compared case-insensitively (RFC 9110 §11.1, §11.2).
pub fn bearer_error(header: &str) -> Option<BearerError> {
    for challenge in http_auth::parser::ChallengeParser::new(header) {
        let challenge = challenge.ok()?;
        if !challenge.scheme.eq_ignore_ascii_case("Bearer") {
            continue;
        }
        let param = |name: &str| {
            challenge
                .params
                .iter()
                .find(|(key, _)| key.eq_ignore_ascii_case(name))
                .map(|(_, value)| value.to_unescaped())
        };
        return Some(BearerError {
            error: param("error")?,
            description: param("error_description"),
        });
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn error(error: &str, description: Option<&str>) -> Option<BearerError> {
        Some(BearerError {
            error: error.into(),
            description: description.map(str::to_string),
        })
    }

    #[test]
    fn bearer_challenges_give_their_error() {
        assert_eq!(
            bearer_error(
                r#"Bearer realm="itsme", error="invalid_token", error_description="the \"token\" expired""#
            ),
            error("invalid_token", Some("the \"token\" expired"))
        );
        assert_eq!(
            bearer_error("Bearer error=insufficient_scope, scope=openid"),
            error("insufficient_scope", None)
        );
        assert_eq!(bearer_error(r#"Bearer realm="x""#), None, "no error");
        assert_eq!(bearer_error("Basic realm=x"), None);
        assert_eq!(bearer_error(r#"Bearer error="unterminated"#), None);
        assert_eq!(bearer_error("Bearer"), None);
    }

    #[test]
    fn the_bearer_challenge_is_found_among_others() {
        assert_eq!(
            bearer_error(r#"Basic realm="x", bearer Error="invalid_token""#),
            error("invalid_token", None)
        );
        assert_eq!(bearer_error(""), None);
    }
}
