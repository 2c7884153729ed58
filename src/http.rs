//! The one HTTP client: timeouts, user agent, TLS through OpenSSL, a bounded redirect policy and
//! bounded response sizes. Created only when a command needs the network, so that offline commands
//! start instantly. `server` is the other side: the small HTTP/1.1 server under the login's loopback
//! listener and the sandbox.

pub mod challenge;
pub(crate) mod server;
pub mod trace;

use std::io::Read;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, OnceLock};
use std::time::{Duration, Instant};

use anyhow::Context;
use url::Url;

use crate::http::trace as http_trace;
use crate::url_policy::{is_allowed, is_loopback_host};

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
///
/// Two underlying clients, each built on first use: one honouring the proxy variables
/// (`HTTPS_PROXY`, `NO_PROXY`…) for real hosts, and one going direct for loopback hosts, which a
/// proxy cannot reach (the sandbox, a local test provider).
///
/// Cloning is cheap and shares the clients: building one loads the system's trust store, which
/// costs tens of milliseconds, so a command builds each at most once.
#[derive(Clone)]
pub struct Http {
    extra_roots: Arc<Vec<reqwest::Certificate>>,
    proxied: Arc<OnceLock<reqwest::blocking::Client>>,
    direct: Arc<OnceLock<reqwest::blocking::Client>>,
}

impl Http {
    /// A client trusting the system's certificate authorities: 10 s to connect, 30 s per
    /// request, at most 5 redirects, each to https (or http on loopback).
    pub fn new() -> anyhow::Result<Self> {
        Self::trusting(Vec::new())
    }

    /// The same, also trusting the certificate authorities of `extra_roots` (a private test CA).
    pub fn trusting(extra_roots: Vec<reqwest::Certificate>) -> anyhow::Result<Self> {
        Ok(Http {
            extra_roots: Arc::new(extra_roots),
            proxied: Arc::new(OnceLock::new()),
            direct: Arc::new(OnceLock::new()),
        })
    }

    /// The client for `url`, built on first use.
    fn client_for(&self, url: &Url) -> anyhow::Result<&reqwest::blocking::Client> {
        let loopback = is_loopback_host(url);
        let cell = if loopback {
            &self.direct
        } else {
            &self.proxied
        };
        if let Some(client) = cell.get() {
            return Ok(client);
        }
        let mut builder = reqwest::blocking::Client::builder()
            .connect_timeout(Duration::from_secs(10))
            .timeout(Duration::from_secs(30))
            .redirect(redirect_policy());
        if loopback {
            builder = builder.no_proxy();
        }
        for root in self.extra_roots.iter() {
            builder = builder.add_root_certificate(root.clone());
        }
        let client = builder
            .build()
            .context("could not set up the HTTP client")?;
        Ok(cell.get_or_init(|| client))
    }

    /// GETs a URL and reads the body (up to 4 MiB).
    pub fn get(&self, url: &Url, accept: &str) -> anyhow::Result<Response> {
        let request = self
            .client_for(url)?
            .get(url.clone())
            .header(reqwest::header::ACCEPT, accept);
        self.exchange(url, request, None)
    }

    /// GETs a protected resource with `Authorization: Bearer` (the token is traced only with
    /// `--show-tokens`).
    pub fn get_bearer(&self, url: &Url, token: &str, accept: &str) -> anyhow::Result<Response> {
        let request = self
            .client_for(url)?
            .get(url.clone())
            .bearer_auth(token)
            .header(reqwest::header::ACCEPT, accept);
        self.exchange(url, request, None)
    }

    /// POSTs a form (secret values — codes, assertions, secrets — are redacted in traces).
    pub fn post_form(&self, url: &Url, fields: &[(&str, String)]) -> anyhow::Result<Response> {
        let request = self
            .client_for(url)?
            .post(url.clone())
            .form(fields)
            .header(reqwest::header::ACCEPT, "application/json");
        self.exchange(url, request, Some(fields))
    }

    /// POSTs a JSON body with `Authorization: Bearer` (the sandbox's CIBA ping, PROTOCOL §9.5).
    pub fn post_json_bearer(
        &self,
        url: &Url,
        token: &str,
        body: &serde_json::Value,
    ) -> anyhow::Result<Response> {
        let request = self
            .client_for(url)?
            .post(url.clone())
            .bearer_auth(token)
            .header(reqwest::header::CONTENT_TYPE, "application/json")
            .body(body.to_string());
        self.exchange(url, request, None)
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
        let trace = crate::http::trace::options();
        if let Some(options) = trace {
            crate::trace::trace_lines(&http_trace::request_lines(
                request.method().as_str(),
                request.url().as_str(),
                &header_pairs(request.headers()),
                form,
                options,
            ));
        }
        let started = Instant::now();
        let response = self
            .client_for(url)?
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
            crate::trace::trace_lines(&http_trace::response_lines(
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

/// Follows at most 5 redirects, each only to where the tool would go itself: https, or plain http
/// on loopback. Without this, a provider (or whoever answers for it) could send the tool to plain
/// http elsewhere. Each hop is traced at `-v`.
fn redirect_policy() -> reqwest::redirect::Policy {
    reqwest::redirect::Policy::custom(|attempt| {
        if !is_allowed(attempt.url()) {
            let refused = format!(
                "redirected to `{}`, which is neither https nor plain http on this machine; not followed",
                attempt.url()
            );
            return attempt.error(refused);
        }
        if attempt.previous().len() > 5 {
            return attempt.error("more than 5 redirects; not followed");
        }
        crate::trace::trace(format_args!(
            "  ↪ {} redirected to {}",
            attempt.status().as_u16(),
            crate::escape::escape(attempt.url().as_str())
        ));
        attempt.follow()
    })
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
    // The innermost cause says what happened ("Connection refused", "certificate verify failed");
    // the layers above it repeat "error sending request" and are left to `Caused by:`.
    let mut root: &dyn std::error::Error = &error;
    while let Some(source) = root.source() {
        root = source;
    }
    let cause = root.to_string();
    let hint = if error.is_timeout() {
        "the host did not answer in time; check the URL and your network or proxy"
    } else if error.is_connect() {
        "check the URL, your network, and any proxy (HTTPS_PROXY)"
    } else {
        "check the URL"
    };
    // The hint must be found by `error::hints`, which sees a `Hinted` in the chain but not one
    // wrapped by anyhow's `context`: so the Hinted is the error, and reqwest's its cause.
    anyhow::Error::new(
        crate::error::Hinted::new(format!("could not reach `{url}`: {cause}"), hint)
            .caused_by(error),
    )
}

/// Parses a URL the tool will fetch: https, or http only on loopback (itsme® is https only,
/// PROTOCOL §1; local test providers are plain http on 127.0.0.1). The rule and its messages are
/// [`crate::oidc::endpoints::fetch_url`]'s; this adds the hint.
pub fn parse_fetch_url(text: &str, what: &str) -> anyhow::Result<Url> {
    crate::oidc::endpoints::fetch_url(text, what).map_err(|refused| refused.into_hinted())
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

    /// An https server on 127.0.0.1 with a certificate from a private CA, answering `{}` to the
    /// first request that completes a TLS handshake.
    fn private_ca_server() -> (Url, reqwest::Certificate, std::thread::JoinHandle<()>) {
        use crate::tls_class::tests::{leaf, root};
        use std::io::{BufRead, Write};
        let ca = root();
        let (cert, key) = leaf(&ca, &[], true);
        let mut acceptor =
            openssl::ssl::SslAcceptor::mozilla_intermediate_v5(openssl::ssl::SslMethod::tls())
                .unwrap();
        acceptor.set_certificate(&cert).unwrap();
        acceptor.set_private_key(&key).unwrap();
        let acceptor = acceptor.build();
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let serving = std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let Ok(tls) = acceptor.accept(stream) else {
                    continue; // a client that refused the certificate
                };
                let mut reader = std::io::BufReader::new(tls);
                let mut line = String::new();
                while reader.read_line(&mut line).is_ok_and(|n| n > 0) && line != "\r\n" {
                    line.clear();
                }
                let _ = reader.get_mut().write_all(
                    b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}",
                );
                return;
            }
        });
        let url = Url::parse(&format!("https://127.0.0.1:{port}/jwks.json")).unwrap();
        let root = reqwest::Certificate::from_pem(&ca.cert.to_pem().unwrap()).unwrap();
        (url, root, serving)
    }

    #[test]
    fn a_private_ca_is_trusted_only_when_given() {
        let (url, _, serving) = private_ca_server();
        let refused = Http::new()
            .unwrap()
            .get(&url, "application/json")
            .unwrap_err();
        assert!(
            format!("{refused:#}").contains("certificate"),
            "{refused:#}"
        );
        drop(serving);
        let (url, ca, serving) = private_ca_server();
        let answer = Http::trusting(vec![ca])
            .unwrap()
            .get(&url, "application/json")
            .unwrap();
        assert_eq!(
            (answer.status, answer.body.as_slice()),
            (200, b"{}".as_slice())
        );
        serving.join().unwrap();
    }
}
