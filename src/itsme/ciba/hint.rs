//! The `login_hint_token` of a backchannel request (PROTOCOL §9.3, §9.8.4): who the request is
//! for. The reference table documents a compact JWT whose payload is
//! `{"type":"user_identifier_token","value":…}` (the only example's inner `alg` is `none`); the
//! request example shows an inline object `{"type":"subject_code","value":<sub>}`. The client sends
//! the JWT by default; the reader accepts both forms, the JWT unsigned or RS256 by a key of the
//! client, and either `type` in either form (the type, not the form, says what the value is).

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde_json::{Map, Value, json};

use crate::jose::compact::{self, Compact, header_str};
use crate::jose::crypto;
use crate::jose::keys::{KeyError, PrivateKey, PublicKeySet};

/// The user a backchannel request names.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(tag = "type", content = "value", rename_all = "snake_case")]
pub enum LoginHint {
    /// The single-use token of a user discovery session (§9.2).
    UserIdentifierToken(String),
    /// A `sub` itsme® gave this client (§9.3's example, §9.6).
    SubjectCode(String),
}

/// How the hint is written into the request object.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum HintForm {
    /// A compact JWT with `alg: none`, as in the only documented compact example.
    #[default]
    JwtNone,
    /// A compact JWT signed RS256 by the client's `sig` key.
    JwtRs256,
    /// The inline JSON object of the request example.
    Inline,
}

/// Why a `login_hint_token` cannot be read; `Display` is the message.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum HintProblem {
    /// Neither a JSON object nor a compact JWT (nor a JSON string of one).
    #[error("`login_hint_token` is neither a compact JWT nor a JSON object: {0}")]
    Malformed(String),
    /// A JWT signed otherwise than `none` or RS256, or whose signature does not verify.
    #[error("the `login_hint_token` JWT {0}")]
    Signature(String),
    /// An object without `type`/`value` strings, or of another `type`.
    #[error("{0}")]
    Shape(String),
}

impl LoginHint {
    /// The payload: `{"type": …, "value": …}`.
    pub fn payload(&self) -> Value {
        match self {
            LoginHint::UserIdentifierToken(value) => {
                json!({"type": "user_identifier_token", "value": value})
            }
            LoginHint::SubjectCode(value) => json!({"type": "subject_code", "value": value}),
        }
    }

    /// The value of the `login_hint_token` claim in `form`: a string for the JWT forms, the
    /// object itself inline. `JwtRs256` needs `signer`.
    pub fn to_claim(&self, form: HintForm, signer: Option<&PrivateKey>) -> Result<Value, KeyError> {
        let payload = self.payload().to_string();
        match form {
            HintForm::Inline => Ok(self.payload()),
            HintForm::JwtNone => {
                let header = URL_SAFE_NO_PAD.encode(br#"{"alg":"none"}"#);
                let body = URL_SAFE_NO_PAD.encode(payload.as_bytes());
                Ok(Value::String(format!("{header}.{body}.")))
            }
            HintForm::JwtRs256 => {
                let signer = signer.ok_or_else(|| {
                    KeyError("a signed login_hint_token needs the client's `sig` key".into())
                })?;
                crypto::sign_rs256(signer, Some("JWT"), payload.as_bytes()).map(Value::String)
            }
        }
    }

    /// The value, whichever the type.
    pub fn value(&self) -> &str {
        match self {
            LoginHint::UserIdentifierToken(v) | LoginHint::SubjectCode(v) => v,
        }
    }
}

/// A hint that was read, and the form it came in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReadHint {
    /// The user it names.
    pub hint: LoginHint,
    /// The form it was written in.
    pub form: HintForm,
}

/// Reads the `login_hint_token` claim. An RS256 JWT is verified with `client_keys` when given
/// (the sandbox); without keys (a client reading back its own request) the signature is not
/// checked.
pub fn read(claim: &Value, client_keys: Option<&PublicKeySet>) -> Result<ReadHint, HintProblem> {
    match claim {
        Value::Object(object) => Ok(ReadHint {
            hint: from_payload(object)?,
            form: HintForm::Inline,
        }),
        Value::String(text) if text.trim_start().starts_with('{') => {
            // A JSON string of the inline object: what a form-encoded client would send.
            let object: Map<String, Value> = serde_json::from_str(text)
                .map_err(|e| HintProblem::Malformed(format!("not JSON: {e}")))?;
            Ok(ReadHint {
                hint: from_payload(&object)?,
                form: HintForm::Inline,
            })
        }
        Value::String(text) => read_jwt(text, client_keys),
        other => Err(HintProblem::Malformed(format!(
            "a {}",
            compact::json_kind(other)
        ))),
    }
}

fn read_jwt(text: &str, client_keys: Option<&PublicKeySet>) -> Result<ReadHint, HintProblem> {
    let jws = match compact::parse(text) {
        Ok(Compact::Jws(jws)) => jws,
        Ok(Compact::Jwe(_)) => {
            return Err(HintProblem::Malformed(
                "an encrypted JWT (JWE), which no itsme® page describes".into(),
            ));
        }
        Err(e) => return Err(HintProblem::Malformed(e.0)),
    };
    compact::refuse_crit(&jws.header, "login_hint_token").map_err(HintProblem::Signature)?;
    let form = match header_str(&jws.header, "alg") {
        Some("none") if jws.signature.is_empty() => HintForm::JwtNone,
        Some("none") => {
            return Err(HintProblem::Signature(
                "has `alg: none` but carries a signature".into(),
            ));
        }
        Some("RS256") => {
            if let Some(keys) = client_keys {
                verify(&jws, keys)?;
            }
            HintForm::JwtRs256
        }
        Some(other) => {
            return Err(HintProblem::Signature(format!(
                "is signed `{other}`; use `none` or RS256"
            )));
        }
        None => return Err(HintProblem::Signature("has no `alg`".into())),
    };
    let payload = compact::parse_claims(&jws.payload, "login_hint_token payload")
        .map_err(|e| HintProblem::Malformed(e.0))?;
    Ok(ReadHint {
        hint: from_payload(&payload)?,
        form,
    })
}

fn verify(jws: &compact::Jws<'_>, keys: &PublicKeySet) -> Result<(), HintProblem> {
    let kid = header_str(&jws.header, "kid");
    let candidates: Vec<_> = keys
        .keys
        .iter()
        .filter(|k| k.usable_for_signatures() && (kid.is_none() || k.kid.as_deref() == kid))
        .collect();
    if candidates.is_empty() {
        return Err(HintProblem::Signature(format!(
            "names the key {}, which the client's JWK Set does not publish for signatures",
            kid.map_or("(no kid)".to_string(), |k| format!("`{k}`"))
        )));
    }
    let verified = candidates.iter().any(|key| {
        crypto::verify_rsa(key, "RS256", jws.signing_input.as_bytes(), &jws.signature).is_ok()
    });
    if verified {
        Ok(())
    } else {
        Err(HintProblem::Signature(
            "has a signature that does not verify with the client's keys".into(),
        ))
    }
}

fn from_payload(object: &Map<String, Value>) -> Result<LoginHint, HintProblem> {
    let string = |name: &str| object.get(name).and_then(Value::as_str);
    let value = string("value")
        .filter(|v| !v.is_empty())
        .ok_or_else(|| {
            HintProblem::Shape("the `login_hint_token` needs a non-empty string `value`".into())
        })?
        .to_string();
    match string("type") {
        Some("user_identifier_token") => Ok(LoginHint::UserIdentifierToken(value)),
        Some("subject_code") => Ok(LoginHint::SubjectCode(value)),
        Some(other) => Err(HintProblem::Shape(format!(
            "the `login_hint_token` has the `type` `{other}`; itsme® documents `user_identifier_token` and `subject_code`"
        ))),
        None => Err(HintProblem::Shape(
            "the `login_hint_token` needs a string `type` (`user_identifier_token` or `subject_code`)"
                .into(),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(key: &PrivateKey) -> PublicKeySet {
        PublicKeySet::parse(
            PublicKeySet::document(&[key.public_jwk()])
                .to_string()
                .as_bytes(),
        )
        .unwrap()
    }

    #[test]
    fn every_form_round_trips() {
        let key = PrivateKey::generate(2048, "sig", "RS256").unwrap();
        let set = keys(&key);
        for hint in [
            LoginHint::UserIdentifierToken("uit-1".into()),
            LoginHint::SubjectCode("mqxews5ukc53ltb1jgj9qe9rnfnwwhyga18m".into()),
        ] {
            for form in [HintForm::JwtNone, HintForm::JwtRs256, HintForm::Inline] {
                let claim = hint.to_claim(form, Some(&key)).unwrap();
                let read = read(&claim, Some(&set)).unwrap();
                assert_eq!(
                    read,
                    ReadHint {
                        hint: hint.clone(),
                        form
                    }
                );
            }
        }
        assert!(
            LoginHint::SubjectCode("x".into())
                .to_claim(HintForm::JwtRs256, None)
                .is_err()
        );
    }

    #[test]
    fn the_documented_compact_example_header_is_none() {
        let claim = LoginHint::UserIdentifierToken("v".into())
            .to_claim(HintForm::JwtNone, None)
            .unwrap();
        assert!(claim.as_str().unwrap().starts_with("eyJhbGciOiJub25lIn0."));
    }

    #[test]
    fn bad_hints_are_named() {
        let key = PrivateKey::generate(2048, "sig", "RS256").unwrap();
        let other = PrivateKey::generate(2048, "sig", "RS256").unwrap();
        let signed = LoginHint::UserIdentifierToken("v".into())
            .to_claim(HintForm::JwtRs256, Some(&other))
            .unwrap();
        let mut set = keys(&key);
        set.keys[0].kid = other.public_jwk().key_id().map(str::to_string);
        assert!(matches!(
            read(&signed, Some(&set)),
            Err(HintProblem::Signature(_))
        ));
        assert!(read(&signed, None).is_ok(), "no keys: not verified");
        assert!(matches!(
            read(&json!(7), None),
            Err(HintProblem::Malformed(_))
        ));
        assert!(matches!(
            read(&json!("not a jwt"), None),
            Err(HintProblem::Malformed(_))
        ));
        assert!(matches!(
            read(&json!({"type": "email", "value": "a@b"}), None),
            Err(HintProblem::Shape(_))
        ));
        assert!(matches!(
            read(&json!({"type": "subject_code"}), None),
            Err(HintProblem::Shape(_))
        ));
        let inline_string = json!({"type": "subject_code", "value": "s"}).to_string();
        assert_eq!(
            read(&Value::String(inline_string), None).unwrap().hint,
            LoginHint::SubjectCode("s".into())
        );
        let hs = format!(
            "{}.{}.c2ln",
            URL_SAFE_NO_PAD.encode(br#"{"alg":"HS256"}"#),
            URL_SAFE_NO_PAD.encode(br#"{"type":"subject_code","value":"s"}"#)
        );
        assert!(matches!(
            read(&json!(hs), None),
            Err(HintProblem::Signature(_))
        ));
    }
}
