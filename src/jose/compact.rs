//! Splitting a compact JWS (3 parts) or JWE (5 parts) and decoding its headers, with messages
//! that say exactly what is wrong: which part, which byte, which header (RFC 7515 §7.1, RFC 7516 §7.1).

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde_json::{Map, Value};

/// A JOSE header: a JSON object.
pub type Header = Map<String, Value>;

/// A token that is not a well-formed compact JWS or JWE; the message says why.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct Malformed(pub String);

/// A compact JWS, split and decoded.
#[derive(Debug, Clone)]
pub struct Jws<'a> {
    /// The protected header.
    pub header: Header,
    /// The decoded payload.
    pub payload: Vec<u8>,
    /// The decoded signature (empty for `alg: none`).
    pub signature: Vec<u8>,
    /// `BASE64URL(header) '.' BASE64URL(payload)`: the bytes the signature covers.
    pub signing_input: &'a str,
}

/// A compact JWE: its protected header decoded, the rest left to the decrypter.
#[derive(Debug, Clone)]
pub struct Jwe<'a> {
    /// The protected header.
    pub header: Header,
    /// The whole compact serialization.
    pub compact: &'a str,
}

/// A compact token of either kind.
#[derive(Debug, Clone)]
pub enum Compact<'a> {
    /// 3 parts: signed.
    Jws(Jws<'a>),
    /// 5 parts: encrypted.
    Jwe(Jwe<'a>),
}

const JWS_PARTS: [&str; 3] = ["header", "payload", "signature"];
const JWE_PARTS: [&str; 5] = [
    "header",
    "encrypted key",
    "initialization vector",
    "ciphertext",
    "authentication tag",
];

/// Splits and decodes a compact token. Nothing is verified or decrypted here.
pub fn parse(token: &str) -> Result<Compact<'_>, Malformed> {
    if token.is_empty() {
        return Err(Malformed("the token is empty".into()));
    }
    let parts: Vec<&str> = token.split('.').collect();
    let names: &[&str] = match parts.len() {
        3 => &JWS_PARTS,
        5 => &JWE_PARTS,
        n => {
            return Err(Malformed(format!(
                "a compact token has 3 parts (JWS) or 5 parts (JWE) separated by dots; this one has {n}"
            )));
        }
    };
    let mut offset = 0;
    let mut decoded = Vec::with_capacity(parts.len());
    for (index, (part, name)) in parts.iter().zip(names).enumerate() {
        check_part(part, index, name, offset)?;
        // A JWE's other parts are decoded by the decrypter; decoding them here too would be waste.
        if parts.len() == 3 || index == 0 {
            decoded.push(decode_part(part, index, name, offset)?);
        }
        offset += part.len() + 1;
    }
    let header = decode_header(&decoded[0])?;
    if parts.len() == 3 {
        let signing_input = &token[..parts[0].len() + 1 + parts[1].len()];
        let signature = decoded.pop().unwrap_or_default();
        let payload = decoded.pop().unwrap_or_default();
        Ok(Compact::Jws(Jws {
            header,
            payload,
            signature,
            signing_input,
        }))
    } else {
        if parts[3].is_empty() {
            return Err(Malformed("part 4 (ciphertext) of the JWE is empty".into()));
        }
        Ok(Compact::Jwe(Jwe {
            header,
            compact: token,
        }))
    }
}

/// Checks that a part is base64url text of a possible length, naming the first offending byte.
fn check_part(part: &str, index: usize, name: &str, offset: usize) -> Result<(), Malformed> {
    let number = index + 1;
    if index == 0 && part.is_empty() {
        return Err(Malformed("part 1 (header) is empty".into()));
    }
    // The common case (a clean part) is one branch-free pass; the position is sought only on failure.
    if !part
        .bytes()
        .fold(true, |ok, b| ok & BASE64URL[usize::from(b)])
        && let Some(position) = part.bytes().position(|b| !is_base64url(b))
    {
        let byte = part.as_bytes()[position];
        let shown = if byte.is_ascii_graphic() {
            format!("`{}`", byte as char)
        } else {
            format!("0x{byte:02x}")
        };
        let why = if byte == b'=' {
            " (padding is not allowed in JOSE base64url, RFC 7515 §2)"
        } else {
            ""
        };
        return Err(Malformed(format!(
            "part {number} ({name}) is not base64url: byte {shown} at position {} of the token{why}",
            offset + position
        )));
    }
    if part.len() % 4 == 1 {
        return Err(Malformed(format!(
            "part {number} ({name}) is not valid base64url (bytes {}–{} of the token): {} characters cannot encode whole bytes",
            offset,
            offset + part.len() - 1,
            part.len()
        )));
    }
    Ok(())
}

fn decode_part(part: &str, index: usize, name: &str, offset: usize) -> Result<Vec<u8>, Malformed> {
    let number = index + 1;
    URL_SAFE_NO_PAD.decode(part).map_err(|e| {
        Malformed(format!(
            "part {number} ({name}) is not valid base64url (bytes {}–{} of the token): {e}",
            offset,
            offset + part.len().saturating_sub(1)
        ))
    })
}

fn is_base64url(b: u8) -> bool {
    BASE64URL[usize::from(b)]
}

/// Which bytes belong to the base64url alphabet (RFC 4648 §5).
const BASE64URL: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = 0;
    while b < 256 {
        let c = b as u8;
        table[b] = c.is_ascii_alphanumeric() || c == b'-' || c == b'_';
        b += 1;
    }
    table
};

fn decode_header(bytes: &[u8]) -> Result<Header, Malformed> {
    let value: Value = serde_json::from_slice(bytes)
        .map_err(|e| Malformed(format!("part 1 (header) is not JSON: {e}")))?;
    match value {
        Value::Object(map) => Ok(map),
        other => Err(Malformed(format!(
            "part 1 (header) is JSON but not an object (found {})",
            json_kind(&other)
        ))),
    }
}

/// Parses a payload as a JSON object of claims.
pub fn parse_claims(payload: &[u8], what: &str) -> Result<Map<String, Value>, Malformed> {
    let value: Value = serde_json::from_slice(payload)
        .map_err(|e| Malformed(format!("the {what} is not JSON: {e}")))?;
    match value {
        Value::Object(map) => Ok(map),
        other => Err(Malformed(format!(
            "the {what} is JSON but not an object of claims (found {})",
            json_kind(&other)
        ))),
    }
}

/// A word for the JSON type of a value, for messages.
pub fn json_kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// A string member of a header, if it is one.
pub fn header_str<'h>(header: &'h Header, name: &str) -> Option<&'h str> {
    header.get(name).and_then(Value::as_str)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn b64(s: &str) -> String {
        URL_SAFE_NO_PAD.encode(s)
    }

    #[test]
    fn splits_a_jws() {
        let token = format!(
            "{}.{}.{}",
            b64(r#"{"alg":"RS256"}"#),
            b64(r#"{"sub":"a"}"#),
            b64("sig")
        );
        let Compact::Jws(jws) = parse(&token).unwrap() else {
            panic!("not a JWS")
        };
        assert_eq!(header_str(&jws.header, "alg"), Some("RS256"));
        assert_eq!(jws.payload, br#"{"sub":"a"}"#);
        assert_eq!(jws.signature, b"sig");
        assert_eq!(jws.signing_input, &token[..token.rfind('.').unwrap()]);
    }

    #[test]
    fn counts_parts() {
        let err = parse("a.b").unwrap_err();
        assert!(err.0.contains("this one has 2"), "{err}");
        assert!(parse("").unwrap_err().0.contains("empty"));
    }

    #[test]
    fn names_the_bad_byte_and_its_position() {
        let header = b64(r#"{"alg":"RS256"}"#);
        let token = format!("{header}.ab+c.sig");
        let err = parse(&token).unwrap_err().0;
        assert!(err.contains("part 2 (payload)"), "{err}");
        assert!(
            err.contains(&format!("position {}", header.len() + 3)),
            "{err}"
        );
        let padded = format!("{header}.YQ==.sig");
        assert!(parse(&padded).unwrap_err().0.contains("padding"));
    }

    #[test]
    fn header_must_be_a_json_object() {
        let err = parse(&format!("{}.e30.", b64("[1]"))).unwrap_err().0;
        assert!(err.contains("not an object"), "{err}");
        let err = parse(&format!("{}.e30.", b64("{nope"))).unwrap_err().0;
        assert!(err.contains("part 1 (header) is not JSON"), "{err}");
    }

    #[test]
    fn impossible_base64_length_is_reported() {
        let err = parse(&format!("{}.a.", b64("{}"))).unwrap_err().0;
        assert!(
            err.contains("part 2 (payload) is not valid base64url"),
            "{err}"
        );
    }

    #[test]
    fn a_jwe_needs_ciphertext() {
        let token = format!("{}.a2V5.aXY..dGFn", b64(r#"{"alg":"dir","enc":"A256GCM"}"#));
        assert!(parse(&token).unwrap_err().0.contains("ciphertext"));
        let token = format!("{}..aXY.Y3Q.dGFn", b64(r#"{"alg":"dir","enc":"A256GCM"}"#));
        assert!(matches!(parse(&token), Ok(Compact::Jwe(_))));
    }
}
