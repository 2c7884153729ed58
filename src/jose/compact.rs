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
        check_jwe_lengths(&header, &parts)?;
        Ok(Compact::Jwe(Jwe {
            header,
            compact: token,
        }))
    }
}

/// Checks the sizes the header's algorithms fix (RFC 7518 §4.5, §5.2, §5.3), before any key is
/// tried: a 200 KB "encrypted key" is a broken token, not one "encrypted to another key".
fn check_jwe_lengths(header: &Header, parts: &[&str]) -> Result<(), Malformed> {
    let bytes = |part: &str| part.len() * 3 / 4;
    let enc = header_str(header, "enc").unwrap_or_default();
    let (iv, tag) = match enc {
        "A128CBC-HS256" => (16, 16),
        "A192CBC-HS384" => (16, 24),
        "A256CBC-HS512" => (16, 32),
        "A128GCM" | "A192GCM" | "A256GCM" => (12, 16),
        _ => return Ok(()), // an unknown `enc` is reported by the decrypter
    };
    for (index, name, expected) in [
        (2, "initialization vector", iv),
        (4, "authentication tag", tag),
    ] {
        let found = bytes(parts[index]);
        if found != expected {
            return Err(Malformed(format!(
                "part {} ({name}) of the JWE is {found} bytes; {enc} uses {expected}",
                index + 1
            )));
        }
    }
    let encrypted_key = bytes(parts[1]);
    match header_str(header, "alg") {
        Some("dir") if encrypted_key != 0 => Err(Malformed(format!(
            "part 2 (encrypted key) of the JWE is {encrypted_key} bytes; with `alg: dir` it is empty"
        ))),
        // RSA makes exactly the modulus' size: 256 bytes for 2048 bits, at most 1024 for 8192.
        Some(alg) if alg.starts_with("RSA") && !(128..=1024).contains(&encrypted_key) => {
            Err(Malformed(format!(
                "part 2 (encrypted key) of the JWE is {encrypted_key} bytes; {alg} makes as many bytes as the recipient key's modulus (256 for 2048 bits), so this was made for a {}-bit key, outside the 1024 to 8192 bits of RSA keys",
                encrypted_key * 8
            )))
        }
        _ => Ok(()),
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
    // RFC 7515 §4: header parameter names must be unique.
    unique_object(bytes).map_err(|e| Malformed(format!("part 1 (header) {e}")))
}

/// Refuses a JOSE header with `crit`: the sandbox implements no critical extension, and a
/// recipient MUST reject what it does not understand (RFC 7515 §4.1.11, RFC 7516 §4.1.13).
pub fn refuse_crit(header: &Map<String, Value>, what: &str) -> Result<(), String> {
    let Some(crit) = header.get("crit") else {
        return Ok(());
    };
    let names = match crit.as_array() {
        Some(list) => list
            .iter()
            .map(|n| {
                n.as_str()
                    .map_or_else(|| n.to_string(), |s| format!("`{s}`"))
            })
            .collect::<Vec<_>>()
            .join(", "),
        None => crit.to_string(),
    };
    Err(format!(
        "the {what} header marks {names} as critical (`crit`), and the sandbox implements no such extension (RFC 7515 §4.1.11: unknown critical extensions are refused)"
    ))
}

/// Parses a payload as a JSON object of claims.
pub fn parse_claims(payload: &[u8], what: &str) -> Result<Map<String, Value>, Malformed> {
    // RFC 7519 §4: claim names must be unique.
    unique_object(payload).map_err(|e| Malformed(format!("the {what} {e}")))
}

/// Why a document is not a JSON object with unique member names. Its `Display` completes a
/// sentence: "… is not JSON: …", "… has the member `x` twice …".
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum JsonError {
    /// Not JSON at all.
    #[error("is not JSON: {0}")]
    NotJson(String),
    /// JSON, but not an object: what it is instead (see [`json_kind`]).
    #[error("is JSON but not an object (found {0})")]
    NotAnObject(&'static str),
    /// A member name repeated inside one object.
    #[error("{0}")]
    Duplicate(Duplicate),
}

/// A member name that appears twice in one JSON object.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("has the member `{member}` twice{}; member names must be unique", in_path(.path))]
pub struct Duplicate {
    /// The repeated name.
    pub member: String,
    /// Where the object is, from the document's root: empty for the root object itself,
    /// `keys[0]` for the first key of a JWK Set, `address` for a claim's object.
    pub path: String,
}

fn in_path(path: &str) -> String {
    if path.is_empty() {
        String::new()
    } else {
        format!(" in `{path}`")
    }
}

/// The one reader of JSON objects whose member names must be unique: the JOSE headers and claims
/// of tokens, discovery documents and JWK Sets. A repeated name, at any depth, is refused rather
/// than resolved (RFC 7515 §5.2, RFC 7519 §4 and RFC 8259 §4 allow either): two `sub`s, two
/// `issuer`s or two `n`s read differently by two parsers is how tokens and keys are smuggled, and
/// a debugging tool should show it.
pub fn unique_object(bytes: &[u8]) -> Result<Map<String, Value>, JsonError> {
    let mut deserializer = serde_json::Deserializer::from_slice(bytes);
    let parsed = serde::de::DeserializeSeed::deserialize(Unique { at: None }, &mut deserializer)
        .and_then(|value| deserializer.end().map(|()| value));
    match parsed {
        Ok(Value::Object(map)) => Ok(map),
        Ok(other) => Err(JsonError::NotAnObject(json_kind(&other))),
        Err(e) => {
            let message = e.to_string();
            let duplicate = message.strip_prefix(DUPLICATE).and_then(|rest| {
                let mut fields = rest.split(DUPLICATE_END);
                Some(Duplicate {
                    member: fields.next()?.to_string(),
                    path: fields.next()?.to_string(),
                })
            });
            Err(match duplicate {
                Some(duplicate) => JsonError::Duplicate(duplicate),
                None => JsonError::NotJson(message),
            })
        }
    }
}

const DUPLICATE: &str = "duplicate member \u{1}";
const DUPLICATE_END: &str = "\u{1}";

/// Where a value sits in the document: its parent, and its name or index there. Walked (and
/// written out) only when a duplicate is found, so reading a clean document costs no allocation.
#[derive(Clone, Copy)]
struct At<'p> {
    parent: Option<&'p At<'p>>,
    step: Step<'p>,
}

#[derive(Clone, Copy)]
enum Step<'p> {
    Member(&'p str),
    Index(usize),
}

fn path_of(at: Option<&At<'_>>) -> String {
    let mut steps = Vec::new();
    let mut next = at;
    while let Some(at) = next {
        steps.push(at.step);
        next = at.parent;
    }
    let mut path = String::new();
    for step in steps.iter().rev() {
        match step {
            Step::Member(name) if path.is_empty() => path.push_str(name),
            Step::Member(name) => {
                path.push('.');
                path.push_str(name);
            }
            Step::Index(index) => path.push_str(&format!("[{index}]")),
        }
    }
    path
}

/// Deserializes any JSON value into a [`Value`], failing on the first member name repeated in
/// an object, at any depth. serde_json's own depth limit still applies.
#[derive(Clone, Copy)]
struct Unique<'p> {
    at: Option<&'p At<'p>>,
}

impl<'de> serde::de::DeserializeSeed<'de> for Unique<'_> {
    type Value = Value;

    fn deserialize<D: serde::Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> serde::de::Visitor<'de> for Unique<'_> {
    type Value = Value;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }

    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::from(v))
    }

    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(Value::from(v))
    }

    fn visit_f64<E>(self, v: f64) -> Result<Value, E> {
        Ok(serde_json::Number::from_f64(v).map_or(Value::Null, Value::Number))
    }

    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_string()))
    }

    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }

    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut access: A) -> Result<Value, A::Error> {
        let mut items = Vec::new();
        loop {
            let at = At {
                parent: self.at,
                step: Step::Index(items.len()),
            };
            match access.next_element_seed(Unique { at: Some(&at) })? {
                Some(item) => items.push(item),
                None => return Ok(Value::Array(items)),
            }
        }
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut access: A) -> Result<Value, A::Error> {
        let mut map = Map::new();
        while let Some(name) = access.next_key::<String>()? {
            if map.contains_key(&name) {
                return Err(serde::de::Error::custom(format!(
                    "{DUPLICATE}{name}{DUPLICATE_END}{}{DUPLICATE_END}",
                    path_of(self.at)
                )));
            }
            let at = At {
                parent: self.at,
                step: Step::Member(&name),
            };
            let value = access.next_value_seed(Unique { at: Some(&at) })?;
            map.insert(name, value);
        }
        Ok(Value::Object(map))
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

fn has_json_header(candidate: &str) -> bool {
    let first = candidate.split('.').next().unwrap_or_default();
    decode_part(first, 0, "header", 0)
        .ok()
        .is_some_and(|bytes| decode_header(&bytes).is_ok())
}

/// Every compact JWS or JWE in a text (a log line), with its byte offset: the runs of base64url
/// characters and dots that start with a JSON header (`eyJ`), have 3 or 5 parts, and whose first
/// part decodes to a JSON object. The rest is the token engine's to judge: a token cut short in
/// a log is reported as malformed, not skipped. A full stop after a token is not part of it.
pub fn find_all(text: &str) -> Vec<(usize, &str)> {
    let is_token_byte = |b: u8| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.');
    let bytes = text.as_bytes();
    let mut found = Vec::new();
    let mut start = 0;
    while start < bytes.len() {
        if !is_token_byte(bytes[start]) {
            start += 1;
            continue;
        }
        let mut end = start;
        while end < bytes.len() && is_token_byte(bytes[end]) {
            end += 1;
        }
        let run = &text[start..end];
        if let Some(at) = run.find("eyJ") {
            let mut candidate = &run[at..];
            let dots = |c: &str| c.bytes().filter(|b| *b == b'.').count();
            while candidate.ends_with('.') && !matches!(dots(candidate), 2 | 4) {
                candidate = &candidate[..candidate.len() - 1];
            }
            if matches!(dots(candidate), 2 | 4) && has_json_header(candidate) {
                found.push((start + at, candidate));
            }
        }
        start = end;
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn find_all_picks_tokens_out_of_log_text() {
        let jws = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln";
        let jwe = "eyJhbGciOiJkaXIiLCJlbmMiOiJBMjU2R0NNIn0..aXY.Y3Q.dGFn";
        let line = format!("id_token={jws}, then \"{jwe}\". And eyJnot.a.token, 1.2.3, x{jws}.");
        let found: Vec<&str> = find_all(&line).into_iter().map(|(_, t)| t).collect();
        assert_eq!(found, [jws, jwe, jws]);
        assert_eq!(find_all(&line)[0].0, "id_token=".len());
        assert!(find_all("nothing here").is_empty());
    }

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
        let (iv, tag) = (b64("twelve bytes"), b64("sixteen bytes!!!"));
        let token = format!(
            "{}..{iv}.Y3Q.{tag}",
            b64(r#"{"alg":"dir","enc":"A256GCM"}"#)
        );
        assert!(matches!(parse(&token), Ok(Compact::Jwe(_))));
    }

    #[test]
    fn jwe_parts_must_have_the_sizes_their_algorithms_fix() {
        let (iv, tag) = (b64("twelve bytes"), b64("sixteen bytes!!!"));
        let gcm = b64(r#"{"alg":"dir","enc":"A256GCM"}"#);
        let err = |token: String| parse(&token).unwrap_err().0;
        assert_eq!(
            err(format!("{gcm}..aXY.Y3Q.{tag}")),
            "part 3 (initialization vector) of the JWE is 2 bytes; A256GCM uses 12"
        );
        assert_eq!(
            err(format!("{gcm}..{iv}.Y3Q.dGFn")),
            "part 5 (authentication tag) of the JWE is 3 bytes; A256GCM uses 16"
        );
        assert!(err(format!("{gcm}.a2V5.{iv}.Y3Q.{tag}")).contains("with `alg: dir` it is empty"));
        let rsa = b64(r#"{"alg":"RSA-OAEP","enc":"A256GCM"}"#);
        assert!(err(format!("{rsa}.a2V5.{iv}.Y3Q.{tag}")).contains("(256 for 2048 bits)"));
        let unknown = b64(r#"{"alg":"RSA-OAEP","enc":"A1GCM"}"#);
        assert!(
            parse(&format!("{unknown}.a2V5.aXY.Y3Q.dGFn")).is_ok(),
            "left to the decrypter"
        );
    }

    #[test]
    fn a_repeated_member_is_named_with_where_it_is_at_any_depth() {
        let duplicate = |json: &str| match unique_object(json.as_bytes()) {
            Err(JsonError::Duplicate(d)) => (d.member.clone(), d.path.clone(), d.to_string()),
            other => panic!("{json}: {other:?}"),
        };
        assert_eq!(
            duplicate(r#"{"issuer":"a","jwks_uri":"b","issuer":"c"}"#),
            (
                "issuer".into(),
                String::new(),
                "has the member `issuer` twice; member names must be unique".into()
            )
        );
        assert_eq!(
            duplicate(r#"{"keys":[{"kty":"RSA","e":"AQAB"},{"n":"a","e":"AQAB","n":"b"}]}"#),
            (
                "n".into(),
                "keys[1]".into(),
                "has the member `n` twice in `keys[1]`; member names must be unique".into()
            )
        );
        assert_eq!(
            duplicate(r#"{"a":{"b":[[],[{"c":1,"c":2}]]}}"#).1,
            "a.b[1][0]"
        );
        assert_eq!(duplicate(r#"{"keys":[],"keys":[]}"#).0, "keys");
    }

    #[test]
    fn unique_documents_read_as_serde_json_reads_them() {
        let text = r#"{"s":"x\u00e9","n":-1,"u":18446744073709551615,"f":1.5e3,"b":true,"z":null,"a":[{"k":[1,{}]}],"o":{"a":{"a":1}}}"#;
        assert_eq!(
            Value::Object(unique_object(text.as_bytes()).unwrap()),
            serde_json::from_str::<Value>(text).unwrap()
        );
        assert!(matches!(
            unique_object(b"[1]"),
            Err(JsonError::NotAnObject("an array"))
        ));
        assert!(matches!(
            unique_object(b"{\"a\":1} x"),
            Err(JsonError::NotJson(_))
        ));
        assert!(matches!(
            unique_object(b"{nope"),
            Err(JsonError::NotJson(_))
        ));
    }
}
