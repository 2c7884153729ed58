//! The `-v` trace of one HTTP exchange: method, URL, headers and body of the request, then status,
//! timing, headers and body of the answer, with JSON bodies pretty-printed. Secrets are replaced by
//! `(redacted)` unless the user asked to see them; at `-vv` every JWT met is decoded as well.
//!
//! The rendering is pure (text in, lines out) so that the redaction rules are unit-tested; the
//! printing is in `crate::trace::trace_lines`.

use std::time::Duration;

use serde_json::Value;

use crate::jose::compact::{self, Compact};

use crate::escape::escape;

/// Whether HTTP exchanges are traced (`-v`), and how (`-vv` decodes JWTs); `None` when not.
pub fn options() -> Option<TraceOptions> {
    let level = crate::trace::verbosity();
    (level > 0).then(|| TraceOptions {
        reveal: crate::trace::secrets_revealed(),
        decode_jwts: level > 1,
    })
}

/// Form fields and JSON members whose values are credentials or tokens (RFC 6749 §4.1, RFC 7523,
/// RFC 7636, OpenID Connect Core §3.1.3.3, §6), and those CIBA keeps server-side (PROTOCOL §9.1).
const SECRET_NAMES: &[&str] = &[
    "access_token",
    "auth_req_id",
    "client_notification_token",
    "login_hint_token",
    "user_identifier_token",
    "client_assertion",
    "client_secret",
    "code",
    "code_verifier",
    "id_token",
    "password",
    "refresh_token",
    "request",
    "token",
];

/// Headers that carry credentials or sessions.
const SECRET_HEADERS: &[&str] = &[
    "authorization",
    "proxy-authorization",
    "cookie",
    "set-cookie",
];

/// The most body bytes shown; the rest is counted, not printed.
const MAX_SHOWN_BODY: usize = 16 * 1024;

/// What the trace may show.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TraceOptions {
    /// Show secrets and tokens as they are (`--show-tokens`).
    pub reveal: bool,
    /// Decode the JWTs in the exchange (`-vv`).
    pub decode_jwts: bool,
}

const REDACTED: &str = "(redacted)";

/// The lines of a request: `→ METHOD URL`, its headers, and its form fields.
pub fn request_lines(
    method: &str,
    url: &str,
    headers: &[(String, String)],
    form: Option<&[(&str, String)]>,
    options: TraceOptions,
) -> Vec<String> {
    let mut lines = vec![format!("→ {method} {}", escape(url))];
    lines.extend(header_lines(headers, options));
    if let Some(fields) = form {
        let mut jwts = Vec::new();
        for (name, value) in fields {
            let shown = escape(&shown_value(name, value, options)).into_owned();
            lines.push(format!("  {name}={shown}"));
            if options.decode_jwts && looks_like_jwt(value) {
                jwts.push(((*name).to_string(), value.clone()));
            }
        }
        for (name, jwt) in jwts {
            lines.extend(decoded_jwt_lines(&name, &jwt));
        }
    }
    lines
}

/// The lines of an answer: `← STATUS in N ms (M bytes)`, its headers, and its body.
pub fn response_lines(
    status: u16,
    elapsed: Duration,
    headers: &[(String, String)],
    body: &[u8],
    options: TraceOptions,
) -> Vec<String> {
    let reason = reqwest::StatusCode::from_u16(status)
        .ok()
        .and_then(|s| s.canonical_reason())
        .unwrap_or("");
    let mut lines = vec![format!(
        "← {status} {reason} in {} ms ({} bytes)",
        elapsed.as_millis(),
        body.len()
    )];
    lines.extend(header_lines(headers, options));
    lines.extend(body_lines(body, options));
    lines
}

/// The line of a request the login's loopback listener received, query secrets (the `code`)
/// redacted, with the status it was answered.
pub fn callback_line(method: &str, url: &url::Url, status: u16, options: TraceOptions) -> String {
    served_line("listener", method, url, status, options)
}

/// The line of a request one of the tool's servers (`who`: the listener, the sandbox) answered:
/// `WHO ← METHOD PATH?QUERY → answered STATUS`, query secrets (`code`, `request`, tokens)
/// redacted unless revealed.
pub fn served_line(
    who: &str,
    method: &str,
    url: &url::Url,
    status: u16,
    options: TraceOptions,
) -> String {
    let mut shown = url.path().to_string();
    if url.query().is_some() {
        shown.push('?');
        shown.push_str(&redacted_query(url, options));
    }
    format!("{who} ← {method} {} → answered {status}", escape(&shown))
}

/// A URL's query as `name=value` pairs joined by `&`, decoded, secrets redacted (not escaped:
/// callers escape for the terminal).
fn redacted_query(url: &url::Url, options: TraceOptions) -> String {
    url.query_pairs()
        .map(|(name, value)| format!("{name}={}", shown_value(&name, &value, options)))
        .collect::<Vec<_>>()
        .join("&")
}

/// A URL as the trace shows it: its query decoded, secret parameters (`code`, `request`, …)
/// redacted. Not escaped: callers escape for the terminal (`decode-token --har`).
pub fn redacted_url(url: &url::Url, options: TraceOptions) -> String {
    let mut bare = url.clone();
    bare.set_query(None);
    bare.set_fragment(None);
    let mut shown = bare.to_string();
    if url.query().is_some() {
        shown.push('?');
        shown.push_str(&redacted_query(url, options));
    }
    shown
}

/// A parameter's value as the trace shows it: `(redacted): …` for the names that hold
/// credentials or tokens, unless secrets are revealed; else the value. Not escaped.
pub fn shown_value(name: &str, value: &str, options: TraceOptions) -> String {
    if is_secret_name(name) && !options.reveal {
        redacted_summary(value)
    } else {
        value.to_string()
    }
}

/// A JSON value with its secret members redacted as in a traced body (tokens, and the private
/// members of keys). Not escaped.
pub fn redacted_json(mut value: Value, options: TraceOptions) -> Value {
    redact_json(
        &mut value,
        TraceOptions {
            decode_jwts: false,
            ..options
        },
        &mut Vec::new(),
    );
    value
}

fn header_lines(headers: &[(String, String)], options: TraceOptions) -> Vec<String> {
    headers
        .iter()
        .map(|(name, value)| {
            let lower = name.to_ascii_lowercase();
            let shown = if SECRET_HEADERS.contains(&lower.as_str()) && !options.reveal {
                // Keep the scheme: "Bearer (redacted)" still says which kind of credential went.
                match value.split_once(' ') {
                    Some((scheme, _)) if lower.ends_with("authorization") => {
                        format!("{} {REDACTED}", escape(scheme))
                    }
                    _ => REDACTED.to_string(),
                }
            } else {
                escape(value).into_owned()
            };
            format!("  {lower}: {shown}")
        })
        .collect()
}

fn body_lines(body: &[u8], options: TraceOptions) -> Vec<String> {
    if body.is_empty() {
        return Vec::new();
    }
    let Ok(text) = std::str::from_utf8(body) else {
        return vec![format!("  ({} bytes of binary data)", body.len())];
    };
    let trimmed = text.trim();
    if looks_like_jwt(trimmed) {
        let mut lines = vec![format!(
            "  {}",
            if options.reveal {
                escape(trimmed).into_owned()
            } else {
                redacted_summary(trimmed)
            }
        )];
        if options.decode_jwts {
            lines.extend(decoded_jwt_lines("body", trimmed));
        }
        return lines;
    }
    if let Ok(mut json) = serde_json::from_str::<Value>(trimmed) {
        let mut jwts = Vec::new();
        redact_json(&mut json, options, &mut jwts);
        let pretty = serde_json::to_string_pretty(&json).unwrap_or_default();
        let mut lines = shown_text_lines(&pretty);
        for (name, jwt) in jwts {
            lines.extend(decoded_jwt_lines(&name, &jwt));
        }
        return lines;
    }
    shown_text_lines(text)
}

/// Text lines of a body, escaped and indented, cut after [`MAX_SHOWN_BODY`] bytes.
fn shown_text_lines(text: &str) -> Vec<String> {
    let mut cut = text.len().min(MAX_SHOWN_BODY);
    while !text.is_char_boundary(cut) {
        cut -= 1;
    }
    let mut lines: Vec<String> = text[..cut]
        .lines()
        .map(|line| format!("  {}", escape(line)))
        .collect();
    if cut < text.len() {
        lines.push(format!("  … ({} more bytes not shown)", text.len() - cut));
    }
    lines
}

/// Replaces secret members in place and collects the JWTs met (with their member name) for `-vv`.
fn redact_json(value: &mut Value, options: TraceOptions, jwts: &mut Vec<(String, String)>) {
    match value {
        Value::Object(members) => {
            let is_jwk = members.contains_key("kty");
            for (name, member) in members.iter_mut() {
                if let Value::String(text) = member {
                    if options.decode_jwts && looks_like_jwt(text) {
                        jwts.push((name.clone(), text.clone()));
                    }
                    let secret = is_secret_name(name)
                        // A hosted key set that leaks private members must not leak them a
                        // second time into a CI log.
                        || (is_jwk && crate::key_rules::is_private_member(name));
                    if secret && !options.reveal {
                        *member = Value::String(redacted_summary(text));
                    }
                } else {
                    redact_json(member, options, jwts);
                }
            }
        }
        Value::Array(items) => {
            for item in items {
                redact_json(item, options, jwts);
            }
        }
        _ => {}
    }
}

/// Whether a form field, query parameter or JSON member named `name` holds a credential or a
/// token (the names the trace redacts).
pub fn is_secret_name(name: &str) -> bool {
    SECRET_NAMES.contains(&name)
}

/// `(redacted)` with what kind of value it was and its length, which is often the clue when
/// debugging (a truncated token, an empty secret) without showing the value.
fn redacted_summary(value: &str) -> String {
    let kind = match value.bytes().filter(|b| *b == b'.').count() {
        2 if looks_like_jwt(value) => "a JWS, ",
        4 if looks_like_jwt(value) => "a JWE, ",
        _ => "",
    };
    format!("{REDACTED}: {kind}{} chars", value.chars().count())
}

/// Whether text has the shape of a compact JWS or JWE (base64url parts, the first a JSON header).
fn looks_like_jwt(text: &str) -> bool {
    let dots = text.bytes().filter(|b| *b == b'.').count();
    (dots == 2 || dots == 4)
        && text.starts_with("eyJ")
        && text
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
}

/// The decoded header (and, for a JWS, payload) of a JWT met in the trace; its signature is not
/// checked here (that is `decode-token`'s job), which the lines say.
fn decoded_jwt_lines(name: &str, jwt: &str) -> Vec<String> {
    let mut lines = Vec::new();
    match compact::parse(jwt) {
        Ok(Compact::Jws(jws)) => {
            lines.push(format!(
                "  {name} decoded (JWS, signature not checked here):"
            ));
            lines.extend(json_lines("header", &Value::Object(jws.header)));
            match serde_json::from_slice::<Value>(&jws.payload) {
                Ok(payload) => lines.extend(json_lines("payload", &payload)),
                Err(_) => lines.push(format!(
                    "    payload: {} bytes, not JSON",
                    jws.payload.len()
                )),
            }
        }
        Ok(Compact::Jwe(jwe)) => {
            lines.push(format!(
                "  {name} decoded (JWE; its content needs the recipient's private key: use decode-token):"
            ));
            lines.extend(json_lines("header", &Value::Object(jwe.header)));
        }
        Err(malformed) => lines.push(format!("  {name} is not a well-formed JWT: {malformed}")),
    }
    lines
}

fn json_lines(label: &str, value: &Value) -> Vec<String> {
    let pretty = serde_json::to_string_pretty(value).unwrap_or_default();
    let mut lines = vec![format!("    {label}:")];
    lines.extend(pretty.lines().map(|line| format!("      {}", escape(line))));
    lines
}

#[cfg(test)]
mod tests {
    use super::*;
    use base64::Engine;
    use base64::engine::general_purpose::URL_SAFE_NO_PAD;

    const QUIET: TraceOptions = TraceOptions {
        reveal: false,
        decode_jwts: false,
    };

    fn jws(payload: &str) -> String {
        format!(
            "{}.{}.c2ln",
            URL_SAFE_NO_PAD.encode(r#"{"alg":"RS256","kid":"k1"}"#),
            URL_SAFE_NO_PAD.encode(payload)
        )
    }

    #[test]
    fn form_secrets_are_redacted_with_their_shape_and_the_rest_shown() {
        let assertion = jws(r#"{"iss":"client","aud":"https://idp/token"}"#);
        let form = [
            ("grant_type", "authorization_code".to_string()),
            ("code", "the-code-value".to_string()),
            ("client_assertion", assertion.clone()),
        ];
        let lines = request_lines("POST", "https://idp/token", &[], Some(&form), QUIET);
        let text = lines.join("\n");
        assert!(text.contains("grant_type=authorization_code"));
        assert!(text.contains("code=(redacted): 14 chars"), "{text}");
        assert!(
            text.contains("client_assertion=(redacted): a JWS, "),
            "{text}"
        );
        assert!(!text.contains("the-code-value") && !text.contains(&assertion));

        let revealed = TraceOptions {
            reveal: true,
            decode_jwts: true,
        };
        let text =
            request_lines("POST", "https://idp/token", &[], Some(&form), revealed).join("\n");
        assert!(text.contains("code=the-code-value"));
        assert!(text.contains(&assertion));
        assert!(text.contains("client_assertion decoded (JWS"), "{text}");
        assert!(text.contains(r#""aud": "https://idp/token""#), "{text}");
    }

    #[test]
    fn the_callback_code_is_redacted_and_the_state_shown() {
        let url = url::Url::parse("http://127.0.0.1:9/cb?code=secret-code&state=s1").unwrap();
        let line = callback_line("GET", &url, 200, QUIET);
        assert_eq!(
            line,
            "listener ← GET /cb?code=(redacted): 11 chars&state=s1 → answered 200"
        );
    }

    #[test]
    fn urls_values_and_json_are_redacted_by_the_same_names() {
        let url = url::Url::parse(
            "https://idp/authorization?client_id=c&request=eyJhbGciOiJSUzI1NiJ9.eyJ9.c2ln&state=s#f",
        )
        .unwrap();
        assert_eq!(
            redacted_url(&url, QUIET),
            "https://idp/authorization?client_id=c&request=(redacted): a JWS, 30 chars&state=s"
        );
        assert_eq!(
            shown_value("code_verifier", "v", QUIET),
            "(redacted): 1 chars"
        );
        assert_eq!(shown_value("nonce", "n", QUIET), "n");
        let reveal = TraceOptions {
            reveal: true,
            decode_jwts: false,
        };
        assert_eq!(shown_value("code", "abc", reveal), "abc");
        let json = redacted_json(
            serde_json::json!({"id_token": "x.y.z", "expires_in": 600, "nested": {"access_token": "at"}}),
            QUIET,
        );
        assert_eq!(json["id_token"], "(redacted): 5 chars");
        assert_eq!(json["nested"]["access_token"], "(redacted): 2 chars");
        assert_eq!(json["expires_in"], 600);
    }

    #[test]
    fn authorization_keeps_its_scheme_and_cookies_vanish() {
        let headers = [
            ("Authorization".to_string(), "Bearer abc.def".to_string()),
            ("Accept".to_string(), "application/jwt".to_string()),
            ("Set-Cookie".to_string(), "session=1".to_string()),
        ];
        let text = header_lines(&headers, QUIET).join("\n");
        assert!(text.contains("authorization: Bearer (redacted)"));
        assert!(text.contains("accept: application/jwt"));
        assert!(text.contains("set-cookie: (redacted)"));
        assert!(!text.contains("abc.def") && !text.contains("session=1"));
    }

    #[test]
    fn json_bodies_are_pretty_with_tokens_and_private_key_parts_redacted() {
        let body = br#"{"access_token":"opaque-at","token_type":"Bearer","keys":[{"kty":"RSA","n":"AQAB","d":"private-d"}]}"#;
        let lines = response_lines(200, Duration::from_millis(12), &[], body, QUIET);
        let text = lines.join("\n");
        assert!(lines[0].starts_with("← 200 OK in 12 ms"), "{}", lines[0]);
        assert!(text.contains(r#""token_type": "Bearer""#));
        assert!(text.contains(r#""n": "AQAB""#));
        assert!(
            !text.contains("opaque-at") && !text.contains("private-d"),
            "{text}"
        );
    }

    #[test]
    fn jwt_bodies_are_redacted_and_decoded_at_vv() {
        let token = jws(r#"{"sub":"someone"}"#);
        let decode = TraceOptions {
            reveal: false,
            decode_jwts: true,
        };
        let text = response_lines(200, Duration::ZERO, &[], token.as_bytes(), decode).join("\n");
        assert!(!text.contains(&token));
        assert!(text.contains("(redacted): a JWS"));
        assert!(text.contains(r#""sub": "someone""#), "{text}");
        let quiet = response_lines(200, Duration::ZERO, &[], token.as_bytes(), QUIET).join("\n");
        assert!(!quiet.contains("someone"), "decoding is for -vv only");
    }

    #[test]
    fn hostile_and_huge_bodies_are_escaped_and_cut() {
        let text = response_lines(500, Duration::ZERO, &[], b"\x1b[2Jboom\n", QUIET).join("\n");
        assert!(text.contains("\\u{1b}[2Jboom"));
        assert!(!text.contains('\u{1b}'));
        let big = "x".repeat(MAX_SHOWN_BODY + 10);
        let text = response_lines(200, Duration::ZERO, &[], big.as_bytes(), QUIET).join("\n");
        assert!(
            text.ends_with("(10 more bytes not shown)"),
            "{}",
            &text[text.len() - 60..]
        );
        let text = response_lines(200, Duration::ZERO, &[], &[0xff, 0xfe], QUIET).join("\n");
        assert!(text.contains("2 bytes of binary data"));
    }
}
