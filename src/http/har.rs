//! HTTP Archive (HAR 1.2, <http://www.softwareishard.com/blog/har-12-spec/>) — the members the
//! tool reads and writes, as serde types of its own: the `har` crate models every member as
//! required by the spec, while browsers and proxies leave out some (`cookies`, `cache`,
//! `timings`), and the tool needs a dozen of them. Reading is lenient (a missing member is empty);
//! writing (`login --har-out`) fills what HAR 1.2 requires.
//!
//! The recorder below collects this process's own exchanges (`Http::exchange`) when a command
//! asked for it.

use std::sync::Mutex;

use base64::Engine;
use serde::{Deserialize, Serialize};

/// A HAR file.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
pub struct Har {
    /// Its only member.
    pub log: Log,
}

/// The log of a HAR file.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(default)]
pub struct Log {
    /// `1.2`.
    pub version: String,
    /// Who wrote it.
    pub creator: Creator,
    /// The exchanges, in the order the writer chose (browsers: by start time).
    pub entries: Vec<Entry>,
}

/// The writer of a HAR file.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(default)]
pub struct Creator {
    /// Its name.
    pub name: String,
    /// Its version.
    pub version: String,
}

/// One exchange.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(default, rename_all = "camelCase")]
pub struct Entry {
    /// When the request started (RFC 3339).
    pub started_date_time: String,
    /// Total time in milliseconds.
    pub time: f64,
    /// The request.
    pub request: Request,
    /// The answer.
    pub response: Response,
    /// Required by HAR 1.2 (empty here).
    pub cache: serde_json::Map<String, serde_json::Value>,
    /// Required by HAR 1.2: only `wait` is known to the tool.
    pub timings: Timings,
}

/// The phases of an exchange (HAR 1.2 requires `send`, `wait`, `receive`).
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(default)]
pub struct Timings {
    /// Sending, ms.
    pub send: f64,
    /// Waiting for the answer, ms.
    pub wait: f64,
    /// Reading it, ms.
    pub receive: f64,
}

/// A name and a value (headers, query pairs, form fields).
#[derive(Debug, Clone, Default, Deserialize, Serialize, PartialEq, Eq)]
#[serde(default)]
pub struct Pair {
    /// Name.
    pub name: String,
    /// Value.
    pub value: String,
}

/// A request.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(default, rename_all = "camelCase")]
pub struct Request {
    /// `GET`, `POST`, …
    pub method: String,
    /// The absolute URL, with its query.
    pub url: String,
    /// `HTTP/1.1`, …
    pub http_version: String,
    /// Headers.
    pub headers: Vec<Pair>,
    /// Cookies (never read).
    pub cookies: Vec<serde_json::Value>,
    /// The query, as pairs (the tool reads the URL's own query instead).
    pub query_string: Vec<Pair>,
    /// The body.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub post_data: Option<PostData>,
    /// -1 when unknown.
    pub headers_size: i64,
    /// -1 when unknown.
    pub body_size: i64,
}

/// A request body.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(default, rename_all = "camelCase")]
pub struct PostData {
    /// Its media type.
    pub mime_type: String,
    /// The body as text.
    pub text: String,
    /// Form fields, when the writer split them.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub params: Vec<Pair>,
}

/// An answer.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(default, rename_all = "camelCase")]
pub struct Response {
    /// Status code (0 or -1 when the request got no answer: browsers write both).
    pub status: i64,
    /// Reason phrase.
    pub status_text: String,
    /// `HTTP/1.1`, …
    pub http_version: String,
    /// Headers.
    pub headers: Vec<Pair>,
    /// Cookies (never read).
    pub cookies: Vec<serde_json::Value>,
    /// The body.
    pub content: Content,
    /// The `Location` of a redirect.
    #[serde(rename = "redirectURL")]
    pub redirect_url: String,
    /// -1 when unknown.
    pub headers_size: i64,
    /// -1 when unknown.
    pub body_size: i64,
}

/// An answer's body.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(default, rename_all = "camelCase")]
pub struct Content {
    /// Length in bytes.
    pub size: i64,
    /// Its media type.
    pub mime_type: String,
    /// The body, as text or (with `encoding: base64`) base64.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    /// `base64` when `text` is base64.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub encoding: Option<String>,
}

impl Har {
    /// Reads a HAR document; the error says what is wrong in one line.
    pub fn parse(bytes: &[u8]) -> Result<Har, String> {
        let har: Har = serde_json::from_slice(bytes).map_err(|e| {
            format!("not a HAR file (HTTP Archive 1.2, JSON with a `log.entries` list): {e}")
        })?;
        Ok(har)
    }
}

impl Pair {
    fn new(name: impl Into<String>, value: impl Into<String>) -> Self {
        Pair {
            name: name.into(),
            value: value.into(),
        }
    }
}

/// The value of the first header named `name` (any case).
pub fn header<'p>(headers: &'p [Pair], name: &str) -> Option<&'p str> {
    headers
        .iter()
        .find(|h| h.name.eq_ignore_ascii_case(name))
        .map(|h| h.value.as_str())
}

impl Content {
    /// The body's bytes: its text, decoded when base64; `None` when the writer left it out.
    pub fn bytes(&self) -> Option<Vec<u8>> {
        let text = self.text.as_ref()?;
        if self.encoding.as_deref() == Some("base64") {
            base64::engine::general_purpose::STANDARD
                .decode(text.trim())
                .ok()
        } else {
            Some(text.as_bytes().to_vec())
        }
    }
}

impl Request {
    /// The form fields of a `application/x-www-form-urlencoded` body (from its text, else the
    /// writer's `params`); empty for other bodies.
    pub fn form(&self) -> Vec<(String, String)> {
        let Some(post) = &self.post_data else {
            return Vec::new();
        };
        if !post.text.is_empty() {
            let media = post.mime_type.to_ascii_lowercase();
            if media.is_empty() || media.starts_with("application/x-www-form-urlencoded") {
                return url::form_urlencoded::parse(post.text.as_bytes())
                    .into_owned()
                    .collect();
            }
            return Vec::new();
        }
        post.params
            .iter()
            .map(|p| (p.name.clone(), p.value.clone()))
            .collect()
    }
}

/// The exchanges recorded so far in this process; `None` when nothing asked to record.
static RECORDED: Mutex<Option<Vec<Entry>>> = Mutex::new(None);

/// Form fields left out of a recorded HAR: the client secret is the one long-lived credential an
/// exchange carries (codes, assertions and tokens are short-lived and what the replay checks).
const NOT_RECORDED: &[&str] = &["client_secret"];

/// Starts recording this process's exchanges (`login --har-out`).
pub fn start_recording() {
    if let Ok(mut recorded) = RECORDED.lock() {
        *recorded = Some(Vec::new());
    }
}

/// One exchange of `Http::exchange`, when recording.
pub(crate) struct Recorded<'a> {
    /// When the request was sent.
    pub started: time::OffsetDateTime,
    /// Its method.
    pub method: &'a str,
    /// Its URL.
    pub url: &'a str,
    /// Its headers.
    pub request_headers: &'a [(String, String)],
    /// Its form fields, for a form POST.
    pub form: Option<&'a [(&'a str, String)]>,
    /// The answer's status.
    pub status: u16,
    /// The answer's headers.
    pub response_headers: &'a [(String, String)],
    /// The answer's body.
    pub body: &'a [u8],
    /// From sending to the whole body read.
    pub elapsed: std::time::Duration,
}

/// Adds an exchange when recording.
pub(crate) fn record(exchange: Recorded<'_>) {
    let Ok(mut recorded) = RECORDED.lock() else {
        return;
    };
    let Some(entries) = recorded.as_mut() else {
        return;
    };
    entries.push(entry(exchange));
}

fn entry(x: Recorded<'_>) -> Entry {
    let pairs = |headers: &[(String, String)]| {
        headers
            .iter()
            .map(|(n, v)| Pair::new(n.clone(), v.clone()))
            .collect::<Vec<_>>()
    };
    let post_data = x.form.map(|fields| {
        let mut text = url::form_urlencoded::Serializer::new(String::new());
        for (name, value) in fields {
            if NOT_RECORDED.contains(name) {
                text.append_pair(name, "(redacted)");
            } else {
                text.append_pair(name, value);
            }
        }
        PostData {
            mime_type: "application/x-www-form-urlencoded".into(),
            text: text.finish(),
            params: Vec::new(),
        }
    });
    let query_string = url::Url::parse(x.url)
        .map(|u| {
            u.query_pairs()
                .map(|(n, v)| Pair::new(n, v))
                .collect::<Vec<_>>()
        })
        .unwrap_or_default();
    let mime = x
        .response_headers
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case("content-type"))
        .map(|(_, v)| v.clone())
        .unwrap_or_default();
    let (text, encoding) = match std::str::from_utf8(x.body) {
        Ok(text) => (text.to_string(), None),
        Err(_) => (
            base64::engine::general_purpose::STANDARD.encode(x.body),
            Some("base64".to_string()),
        ),
    };
    let ms = x.elapsed.as_secs_f64() * 1000.0;
    let location = x
        .response_headers
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case("location"))
        .map(|(_, v)| v.clone())
        .unwrap_or_default();
    Entry {
        started_date_time: x
            .started
            .format(&time::format_description::well_known::Rfc3339)
            .unwrap_or_default(),
        time: ms,
        request: Request {
            method: x.method.to_string(),
            url: x.url.to_string(),
            http_version: "HTTP/1.1".into(),
            headers: pairs(x.request_headers),
            cookies: Vec::new(),
            query_string,
            body_size: post_data.as_ref().map_or(0, |p| p.text.len() as i64),
            post_data,
            headers_size: -1,
        },
        response: Response {
            status: i64::from(x.status),
            status_text: http::StatusCode::from_u16(x.status)
                .ok()
                .and_then(|s| s.canonical_reason())
                .unwrap_or("")
                .to_string(),
            http_version: "HTTP/1.1".into(),
            headers: pairs(x.response_headers),
            cookies: Vec::new(),
            content: Content {
                size: x.body.len() as i64,
                mime_type: mime,
                text: Some(text),
                encoding,
            },
            redirect_url: location,
            headers_size: -1,
            body_size: x.body.len() as i64,
        },
        cache: serde_json::Map::new(),
        timings: Timings {
            send: 0.0,
            wait: ms,
            receive: 0.0,
        },
    }
}

/// The HAR document of what was recorded (`None` when recording was never started).
pub fn recording() -> Option<Har> {
    let recorded = RECORDED.lock().ok()?;
    let entries = recorded.as_ref()?.clone();
    Some(Har {
        log: Log {
            version: "1.2".into(),
            creator: Creator {
                name: "itsme-cli".into(),
                version: env!("CARGO_PKG_VERSION").into(),
            },
            entries,
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sparse_har_reads_and_bodies_decode() {
        let har = Har::parse(
            br#"{"log":{"entries":[{"request":{"method":"POST","url":"https://idp/token",
            "postData":{"mimeType":"application/x-www-form-urlencoded","text":"grant_type=authorization_code&code=abc"}},
            "response":{"status":200,"content":{"text":"e30=","encoding":"base64"}}}]}}"#,
        )
        .unwrap();
        let entry = &har.log.entries[0];
        assert_eq!(entry.request.form()[1], ("code".into(), "abc".into()));
        assert_eq!(entry.response.content.bytes().unwrap(), b"{}");
        assert!(Har::parse(b"[]").unwrap_err().contains("not a HAR file"));
    }

    #[test]
    fn a_recorded_exchange_leaves_out_the_client_secret() {
        let form = [
            ("client_id", "c".to_string()),
            ("client_secret", "hunter2".to_string()),
        ];
        let e = entry(Recorded {
            started: time::OffsetDateTime::UNIX_EPOCH,
            method: "POST",
            url: "https://idp/token",
            request_headers: &[],
            form: Some(&form),
            status: 400,
            response_headers: &[("content-type".into(), "application/json".into())],
            body: br#"{"error":"invalid_client"}"#,
            elapsed: std::time::Duration::from_millis(5),
        });
        let text = serde_json::to_string(&e).unwrap();
        assert!(!text.contains("hunter2"), "{text}");
        assert_eq!(e.request.form()[1].1, "(redacted)");
        assert_eq!(e.response.status_text, "Bad Request");
        assert_eq!(e.started_date_time, "1970-01-01T00:00:00Z");
    }
}
