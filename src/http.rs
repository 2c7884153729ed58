//! The one HTTP client: timeouts, user agent, TLS through OpenSSL, a bounded redirect policy and
//! bounded response sizes. Created only when a command needs the network, so that offline commands
//! start instantly.

use std::io::Read;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use anyhow::Context;
use url::Url;

use crate::error::hinted;
use crate::printer::http_trace;

const USER_AGENT: &str = concat!("itsme-cli/", env!("CARGO_PKG_VERSION"));

/// The largest response body read (discovery documents and key sets are a few KiB).
const MAX_BODY_BYTES: u64 = 4 * 1024 * 1024;

/// Time spent in HTTP exchanges by this process, in microseconds (for `login`'s timing).
static NETWORK_MICROS: AtomicU64 = AtomicU64::new(0);

/// The total time this process has spent waiting on HTTP exchanges so far (all clients).
pub fn network_time() -> Duration {
    Duration::from_micros(NETWORK_MICROS.load(Ordering::Relaxed))
}

/// A response, fully read.
#[derive(Debug)]
pub struct Response {
    /// HTTP status.
    pub status: u16,
    /// Response headers.
    pub headers: reqwest::header::HeaderMap,
    /// The body.
    pub body: Vec<u8>,
    /// Time from sending the request to reading the whole body.
    pub elapsed: Duration,
}

impl Response {
    /// A header's value as text.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }
}

/// The HTTP client.
pub struct Http {
    client: reqwest::blocking::Client,
}

impl Http {
    /// Builds the client: 10 s to connect, 30 s per request, at most 5 redirects.
    pub fn new() -> anyhow::Result<Self> {
        let client = reqwest::blocking::Client::builder()
            .connect_timeout(Duration::from_secs(10))
            .timeout(Duration::from_secs(30))
            .redirect(reqwest::redirect::Policy::limited(5))
            .build()
            .context("could not set up the HTTP client")?;
        Ok(Http { client })
    }

    /// GETs a URL and reads the body (up to 4 MiB).
    pub fn get(&self, url: &Url, accept: &str) -> anyhow::Result<Response> {
        let request = self
            .client
            .get(url.clone())
            .header(reqwest::header::ACCEPT, accept);
        self.exchange(url, request, None)
    }

    /// GETs a protected resource with `Authorization: Bearer` (the token is traced only with
    /// `--show-tokens`).
    pub fn get_bearer(&self, url: &Url, token: &str, accept: &str) -> anyhow::Result<Response> {
        let request = self
            .client
            .get(url.clone())
            .bearer_auth(token)
            .header(reqwest::header::ACCEPT, accept);
        self.exchange(url, request, None)
    }

    /// POSTs a form (secret values — codes, assertions, secrets — are redacted in traces).
    pub fn post_form(&self, url: &Url, fields: &[(&str, String)]) -> anyhow::Result<Response> {
        let request = self
            .client
            .post(url.clone())
            .form(fields)
            .header(reqwest::header::ACCEPT, "application/json");
        self.exchange(url, request, Some(fields))
    }

    /// Sends a request and reads the whole answer, tracing both at `-v`.
    fn exchange(
        &self,
        url: &Url,
        request: reqwest::blocking::RequestBuilder,
        form: Option<&[(&str, String)]>,
    ) -> anyhow::Result<Response> {
        let request = request
            .header(reqwest::header::USER_AGENT, USER_AGENT)
            .build()
            .with_context(|| format!("could not build the request to `{url}`"))?;
        let trace = crate::printer::http_trace_options();
        if let Some(options) = trace {
            crate::printer::trace_lines(&http_trace::request_lines(
                request.method().as_str(),
                request.url().as_str(),
                &header_pairs(request.headers()),
                form,
                options,
            ));
        }
        let started = Instant::now();
        let response = self
            .client
            .execute(request)
            .map_err(|e| unreachable_error(url, e))?;
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        let mut body = Vec::new();
        response
            .take(MAX_BODY_BYTES + 1)
            .read_to_end(&mut body)
            .with_context(|| format!("reading the answer of `{url}` failed"))?;
        if body.len() as u64 > MAX_BODY_BYTES {
            anyhow::bail!("`{url}` answered with more than 4 MiB; refusing to read it");
        }
        let elapsed = started.elapsed();
        NETWORK_MICROS.fetch_add(
            u64::try_from(elapsed.as_micros()).unwrap_or(u64::MAX),
            Ordering::Relaxed,
        );
        if let Some(options) = trace {
            crate::printer::trace_lines(&http_trace::response_lines(
                status,
                elapsed,
                &header_pairs(&headers),
                &body,
                options,
            ));
        }
        Ok(Response {
            status,
            headers,
            body,
            elapsed,
        })
    }
}

/// Header names and values as text (a value that is not text is shown as its byte count).
fn header_pairs(headers: &reqwest::header::HeaderMap) -> Vec<(String, String)> {
    headers
        .iter()
        .map(|(name, value)| {
            let text = value
                .to_str()
                .map(str::to_string)
                .unwrap_or_else(|_| format!("({} bytes, not text)", value.len()));
            (name.as_str().to_string(), text)
        })
        .collect()
}

fn unreachable_error(url: &Url, error: reqwest::Error) -> anyhow::Error {
    let cause = std::error::Error::source(&error)
        .map(|s| s.to_string())
        .unwrap_or_else(|| error.to_string());
    let hint = if error.is_timeout() {
        "the host did not answer in time; check the URL and your network or proxy"
    } else if error.is_connect() {
        "check the URL, your network, and any proxy (HTTPS_PROXY)"
    } else {
        "check the URL"
    };
    anyhow::Error::new(error).context(crate::error::Hinted::new(
        format!("could not reach `{url}`: {cause}"),
        hint,
    ))
}

/// Whether a host is a loopback address or name (127.0.0.0/8, ::1, localhost).
pub fn is_loopback_host(url: &Url) -> bool {
    match url.host() {
        Some(url::Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        None => false,
    }
}

/// Parses a URL the tool will fetch: https, or http only on loopback (itsme® is https only,
/// PROTOCOL §1; local test providers are plain http on 127.0.0.1).
pub fn parse_fetch_url(text: &str, what: &str) -> anyhow::Result<Url> {
    let url = Url::parse(text).map_err(|e| {
        hinted(
            format!("{what} `{text}` is not a URL: {e}"),
            "give a full URL such as `https://host/path`",
        )
    })?;
    match url.scheme() {
        "https" => Ok(url),
        "http" if is_loopback_host(&url) => Ok(url),
        "http" => Err(hinted(
            format!("{what} `{text}` uses plain http"),
            "use https; plain http is accepted only for loopback hosts (127.0.0.1, localhost, ::1)",
        )),
        other => Err(hinted(
            format!("{what} `{text}` has the scheme `{other}`"),
            "use an https URL",
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_https_or_loopback_http() {
        assert!(parse_fetch_url("https://idp.e2e.itsme.services/v2", "issuer").is_ok());
        assert!(parse_fetch_url("http://127.0.0.1:8080/v2", "issuer").is_ok());
        assert!(parse_fetch_url("http://localhost/v2", "issuer").is_ok());
        assert!(parse_fetch_url("http://[::1]:9/v2", "issuer").is_ok());
        assert!(parse_fetch_url("http://example.com/v2", "issuer").is_err());
        assert!(parse_fetch_url("ftp://example.com/", "issuer").is_err());
        assert!(parse_fetch_url("not a url", "issuer").is_err());
    }
}
