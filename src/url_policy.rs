//! The one URL rule of the tool: what it talks to is https, or plain http only on a loopback host
//! (itsme® is https only, PROTOCOL §1; local test providers and the sandbox are plain http on
//! 127.0.0.1). Pure; `http`, the discovery checks, `validate` and `login` all ask here.

use url::Url;

/// How a URL would be reached, as far as the policy is concerned.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Transport {
    /// `https`: allowed anywhere.
    Https,
    /// `http` on 127.0.0.0/8, `[::1]` or `localhost`: allowed (test providers, the sandbox).
    LoopbackHttp,
    /// `http` to another host: refused.
    PlainHttp,
    /// Any other scheme: refused.
    OtherScheme(String),
}

impl Transport {
    /// Whether the tool may send requests this way.
    pub fn is_allowed(&self) -> bool {
        matches!(self, Transport::Https | Transport::LoopbackHttp)
    }
}

/// How `url` would be reached.
pub fn transport(url: &Url) -> Transport {
    match url.scheme() {
        "https" => Transport::Https,
        "http" if is_loopback_host(url) => Transport::LoopbackHttp,
        "http" => Transport::PlainHttp,
        other => Transport::OtherScheme(other.to_string()),
    }
}

/// Whether the tool may talk to `url`: https, or plain http on a loopback host.
pub fn is_allowed(url: &Url) -> bool {
    transport(url).is_allowed()
}

/// Whether the URL's host is this machine: 127.0.0.0/8, `::1` or `localhost`.
pub fn is_loopback_host(url: &Url) -> bool {
    match url.host() {
        Some(url::Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn of(text: &str) -> Transport {
        transport(&Url::parse(text).unwrap())
    }

    #[test]
    fn https_anywhere_http_only_on_loopback() {
        assert_eq!(of("https://idp.e2e.itsme.services/v2"), Transport::Https);
        assert_eq!(of("http://127.0.0.1:8080/v2"), Transport::LoopbackHttp);
        assert_eq!(of("http://127.3.4.5/"), Transport::LoopbackHttp);
        assert_eq!(of("http://[::1]:80/"), Transport::LoopbackHttp);
        assert_eq!(of("http://LOCALHOST/"), Transport::LoopbackHttp);
        assert_eq!(of("http://example.com/"), Transport::PlainHttp);
        assert_eq!(of("http://localhost.example.com/"), Transport::PlainHttp);
        assert_eq!(of("ftp://127.0.0.1/"), Transport::OtherScheme("ftp".into()));
        assert!(!of("http://10.0.0.1/").is_allowed());
    }
}
