//! The provider's endpoints, read once from its discovery document (OpenID Connect Discovery §3)
//! into URLs the tool may fetch: https, or plain http on a loopback host (`url_policy`, PROTOCOL §1).
//! Pure: no network.

use serde_json::{Map, Value};
use url::{Origin, Url};

use crate::url_policy::{Transport, transport};

/// Why an endpoint of the discovery document cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EndpointError {
    /// The member is absent (or not a string).
    #[error("the discovery document of `{issuer}` has no `{member}`")]
    Missing {
        /// The issuer the document was fetched for.
        issuer: String,
        /// The member, e.g. `token_endpoint`.
        member: &'static str,
    },
    /// The URL is refused; see [`UrlRefused`].
    #[error(transparent)]
    Refused(#[from] UrlRefused),
}

impl EndpointError {
    /// The fix to suggest, when there is one.
    pub fn hint(&self) -> Option<&'static str> {
        match self {
            EndpointError::Missing { .. } => None,
            EndpointError::Refused(refused) => Some(refused.hint()),
        }
    }

    /// As an error for `main` to print, with its hint (if any) as `hint: …`.
    pub fn into_hinted(self) -> anyhow::Error {
        match self.hint() {
            Some(hint) => crate::error::hinted(self.to_string(), hint),
            None => anyhow::Error::new(self),
        }
    }
}

/// Why a URL the tool would fetch is refused. The `label` says which URL it is (`token_endpoint`,
/// `the picture URL`…).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum UrlRefused {
    /// Not a URL at all.
    #[error("{label} `{text}` is not a URL: {reason}")]
    NotUrl {
        /// Which URL.
        label: String,
        /// The text given.
        text: String,
        /// What the URL parser said.
        reason: url::ParseError,
    },
    /// Plain http to a host that is not this machine.
    #[error("{label} `{text}` uses plain http")]
    PlainHttp {
        /// Which URL.
        label: String,
        /// The text given.
        text: String,
    },
    /// A scheme other than http(s).
    #[error("{label} `{text}` has the scheme `{scheme}`")]
    OtherScheme {
        /// Which URL.
        label: String,
        /// The text given.
        text: String,
        /// The scheme.
        scheme: String,
    },
}

impl UrlRefused {
    /// The fix to suggest.
    pub fn hint(&self) -> &'static str {
        match self {
            UrlRefused::NotUrl { .. } => "give a full URL such as `https://host/path`",
            UrlRefused::PlainHttp { .. } => {
                "use https; plain http is accepted only for loopback hosts (127.0.0.1, localhost, ::1)"
            }
            UrlRefused::OtherScheme { .. } => "use an https URL",
        }
    }

    /// As an error for `main` to print, with its hint as `hint: …`.
    pub fn into_hinted(self) -> anyhow::Error {
        crate::error::hinted(self.to_string(), self.hint())
    }
}

/// Parses a URL the tool will fetch: https, or http only on loopback (itsme® is https only,
/// PROTOCOL §1; local test providers are plain http on 127.0.0.1). `label` names it in the error.
pub fn fetch_url(text: &str, label: &str) -> Result<Url, UrlRefused> {
    let url = Url::parse(text).map_err(|reason| UrlRefused::NotUrl {
        label: label.to_string(),
        text: text.to_string(),
        reason,
    })?;
    match transport(&url) {
        Transport::Https | Transport::LoopbackHttp => Ok(url),
        Transport::PlainHttp => Err(UrlRefused::PlainHttp {
            label: label.to_string(),
            text: text.to_string(),
        }),
        Transport::OtherScheme(scheme) => Err(UrlRefused::OtherScheme {
            label: label.to_string(),
            text: text.to_string(),
            scheme,
        }),
    }
}

/// One endpoint member of `metadata` (fetched for `issuer`) as a URL the tool may fetch; `label`
/// names it in the error when the URL is refused.
pub fn endpoint(
    metadata: &Map<String, Value>,
    issuer: &str,
    member: &'static str,
    label: &str,
) -> Result<Url, EndpointError> {
    let text = metadata
        .get(member)
        .and_then(Value::as_str)
        .ok_or_else(|| EndpointError::Missing {
            issuer: issuer.to_string(),
            member,
        })?;
    Ok(fetch_url(text, label)?)
}

/// The endpoints of the authorization code flow, each parsed once.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Endpoints {
    /// The `issuer` the document publishes, if it is a string (not checked here: that is
    /// `discovery --check`'s and the ID token's business).
    pub issuer: Option<String>,
    /// `authorization_endpoint`.
    pub authorization_endpoint: Url,
    /// `token_endpoint`.
    pub token_endpoint: Url,
    /// `userinfo_endpoint`; `None` when absent or not a URL the tool may fetch (the login then
    /// skips the userinfo call).
    pub userinfo_endpoint: Option<Url>,
    /// `jwks_uri`.
    pub jwks_uri: Url,
}

impl Endpoints {
    /// Reads the endpoints of `metadata`, fetched for `issuer`; the first unusable required member
    /// (in the order authorization, token, jwks_uri) is the error.
    pub fn from_metadata(
        metadata: &Map<String, Value>,
        issuer: &str,
    ) -> Result<Endpoints, EndpointError> {
        let required = |member: &'static str| endpoint(metadata, issuer, member, member);
        Ok(Endpoints {
            issuer: metadata
                .get("issuer")
                .and_then(Value::as_str)
                .map(str::to_string),
            authorization_endpoint: required("authorization_endpoint")?,
            token_endpoint: required("token_endpoint")?,
            jwks_uri: required("jwks_uri")?,
            userinfo_endpoint: required("userinfo_endpoint").ok(),
        })
    }

    /// The provider's own hosts: those of its token and userinfo endpoints. The access token is
    /// a credential and goes to no other host.
    pub fn provider_hosts(&self) -> Vec<&str> {
        let mut hosts: Vec<&str> = [Some(&self.token_endpoint), self.userinfo_endpoint.as_ref()]
            .into_iter()
            .flatten()
            .filter_map(Url::host_str)
            .collect();
        hosts.dedup();
        hosts
    }

    /// The provider's own origins (scheme, host and port; RFC 6454 §4): those of its token and
    /// userinfo endpoints, the only places the access token is sent.
    pub fn provider_origins(&self) -> Vec<Origin> {
        let mut origins: Vec<Origin> =
            [Some(&self.token_endpoint), self.userinfo_endpoint.as_ref()]
                .into_iter()
                .flatten()
                .map(Url::origin)
                .collect();
        origins.dedup();
        origins
    }

    /// Whether the access token may be sent to `url` besides the userinfo endpoint (the `picture`
    /// claim's photo): only at one of [`Self::provider_origins`] — the same scheme, host and port,
    /// not merely the same host (RFC 6454 §5; RFC 6750 §5.3: never to another party) — and never
    /// with user info in the URL, which an HTTP client turns into a Basic `Authorization` header
    /// that a hostile claim could choose (RFC 3986 §3.2.1 deprecates it).
    pub fn access_token_may_go_to(&self, url: &Url) -> Result<(), ForeignUrl> {
        if !url.username().is_empty() || url.password().is_some() {
            return Err(ForeignUrl::UserInfo);
        }
        let origins = self.provider_origins();
        if origins.contains(&url.origin()) {
            return Ok(());
        }
        let hosts = self.provider_hosts();
        let listed = |items: Vec<String>| items.join(", ");
        if url.host_str().is_some_and(|host| hosts.contains(&host)) {
            Err(ForeignUrl::OtherOrigin {
                origins: listed(origins.iter().map(Origin::ascii_serialization).collect()),
            })
        } else {
            Err(ForeignUrl::OtherHost {
                hosts: listed(hosts.iter().map(|h| h.to_string()).collect()),
            })
        }
    }
}

/// Why the access token is not sent to a URL ([`Endpoints::access_token_may_go_to`]).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ForeignUrl {
    /// The URL carries a user name or password (`user:password@host`).
    #[error(
        "carries user info (`user:password@`), which would be sent as a Basic `Authorization` header"
    )]
    UserInfo,
    /// Another host than the provider's.
    #[error("is not on the provider's hosts ({hosts})")]
    OtherHost {
        /// The provider's hosts, comma-separated.
        hosts: String,
    },
    /// The provider's host, but another scheme or port.
    #[error("is on the provider's host but not at its origin (scheme, host and port: {origins})")]
    OtherOrigin {
        /// The provider's origins, comma-separated.
        origins: String,
    },
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn metadata(value: Value) -> Map<String, Value> {
        match value {
            Value::Object(map) => map,
            _ => unreachable!("the tests pass objects"),
        }
    }

    fn complete() -> Value {
        json!({
            "issuer": "https://idp.example/v2",
            "authorization_endpoint": "https://idp.example/v2/authorization",
            "token_endpoint": "https://idp.example/v2/token",
            "userinfo_endpoint": "https://api.example/v2/userinfo",
            "jwks_uri": "https://idp.example/v2/jwks",
        })
    }

    #[test]
    fn a_complete_document_gives_every_endpoint() {
        let endpoints =
            Endpoints::from_metadata(&metadata(complete()), "https://idp.example/v2").unwrap();
        assert_eq!(endpoints.issuer.as_deref(), Some("https://idp.example/v2"));
        assert_eq!(
            endpoints.token_endpoint.as_str(),
            "https://idp.example/v2/token"
        );
        assert_eq!(endpoints.provider_hosts(), ["idp.example", "api.example"]);
    }

    #[test]
    fn the_first_unusable_member_is_named() {
        let mut doc = complete();
        doc.as_object_mut().unwrap().remove("token_endpoint");
        doc["jwks_uri"] = json!("http://idp.example/jwks");
        let error =
            Endpoints::from_metadata(&metadata(doc.clone()), "https://idp.example/v2").unwrap_err();
        assert_eq!(
            error.to_string(),
            "the discovery document of `https://idp.example/v2` has no `token_endpoint`"
        );
        assert_eq!(error.hint(), None);
        doc["token_endpoint"] = json!("https://idp.example/v2/token");
        let error = Endpoints::from_metadata(&metadata(doc), "https://idp.example/v2").unwrap_err();
        assert_eq!(
            error.to_string(),
            "jwks_uri `http://idp.example/jwks` uses plain http"
        );
        assert!(error.hint().unwrap().starts_with("use https"));
    }

    /// The access token goes only to the provider's origins: scheme, host and port (RFC 6454).
    #[test]
    fn the_access_token_goes_only_to_the_provider_origins() {
        let endpoints =
            Endpoints::from_metadata(&metadata(complete()), "https://idp.example/v2").unwrap();
        let check = |url: &str| endpoints.access_token_may_go_to(&Url::parse(url).unwrap());
        for same in [
            "https://idp.example/v2/picture/1",
            "https://idp.example:443/photo",
            "https://IDP.example/photo",
            "https://api.example/v2/picture",
        ] {
            assert_eq!(check(same), Ok(()), "{same}");
        }
        for (other_port, why) in [
            ("https://idp.example:8443/v2/picture", "port"),
            ("http://idp.example/v2/picture", "scheme"),
            ("https://api.example:444/v2/picture", "port"),
        ] {
            assert_eq!(
                check(other_port),
                Err(ForeignUrl::OtherOrigin {
                    origins: "https://idp.example, https://api.example".into()
                }),
                "another {why}"
            );
        }
        assert_eq!(
            check("https://evil.example/picture"),
            Err(ForeignUrl::OtherHost {
                hosts: "idp.example, api.example".into()
            })
        );
        for with_user_info in [
            "https://user:pass@idp.example/v2/picture",
            "https://user@idp.example/v2/picture",
            "https://:pass@idp.example/v2/picture",
        ] {
            assert_eq!(
                check(with_user_info),
                Err(ForeignUrl::UserInfo),
                "{with_user_info}"
            );
        }
        let loopback = Endpoints::from_metadata(
            &metadata(json!({
                "issuer": "http://127.0.0.1:8080/v2",
                "authorization_endpoint": "http://127.0.0.1:8080/v2/authorization",
                "token_endpoint": "http://127.0.0.1:8080/v2/token",
                "jwks_uri": "http://127.0.0.1:8080/v2/jwks",
            })),
            "http://127.0.0.1:8080/v2",
        )
        .unwrap();
        let check = |url: &str| loopback.access_token_may_go_to(&Url::parse(url).unwrap());
        assert_eq!(check("http://127.0.0.1:8080/v2/picture"), Ok(()));
        assert!(matches!(
            check("http://127.0.0.1:8081/v2/picture"),
            Err(ForeignUrl::OtherOrigin { .. })
        ));
        assert!(matches!(
            check("http://localhost:8080/v2/picture"),
            Err(ForeignUrl::OtherHost { .. })
        ));
    }

    #[test]
    fn an_unusable_userinfo_endpoint_is_skipped() {
        let mut doc = complete();
        doc["userinfo_endpoint"] = json!("ftp://idp.example/userinfo");
        let endpoints = Endpoints::from_metadata(&metadata(doc), "https://idp.example/v2").unwrap();
        assert_eq!(endpoints.userinfo_endpoint, None);
        assert_eq!(endpoints.provider_hosts(), ["idp.example"]);
    }

    #[test]
    fn fetch_urls_are_https_or_loopback_http() {
        assert!(fetch_url("https://idp.e2e.itsme.services/v2", "issuer").is_ok());
        assert!(fetch_url("http://127.0.0.1:8080/v2", "issuer").is_ok());
        assert!(matches!(
            fetch_url("http://example.com/v2", "issuer"),
            Err(UrlRefused::PlainHttp { .. })
        ));
        assert_eq!(
            fetch_url("ftp://example.com/", "the picture URL")
                .unwrap_err()
                .to_string(),
            "the picture URL `ftp://example.com/` has the scheme `ftp`"
        );
        assert!(matches!(
            fetch_url("not a url", "issuer"),
            Err(UrlRefused::NotUrl { .. })
        ));
    }
}
