//! Talking to an OpenID provider: its discovery document and its public keys.

use serde_json::{Map, Value};
use url::Url;

use crate::error::hinted;
use crate::http::{Http, parse_fetch_url};
use crate::jose::keys::PublicKeySet;
use crate::oidc::discovery::{Document, read_document};
use crate::oidc::endpoints::EndpointError;
use crate::token::keysource::ProviderKeys;

/// The discovery URL of an issuer (OpenID Connect Discovery 1.0 §4: the issuer without a trailing
/// slash, then `/.well-known/openid-configuration`).
pub fn discovery_url(issuer: &str) -> anyhow::Result<Url> {
    let base = parse_fetch_url(issuer, "the issuer")?;
    let text = format!(
        "{}/.well-known/openid-configuration",
        base.as_str().trim_end_matches('/')
    );
    Ok(Url::parse(&text)?)
}

/// Fetches and reads an issuer's discovery document, refusing one that repeats a member (two
/// `issuer`s, two `jwks_uri`s: which one is meant depends on the parser).
pub fn fetch_discovery(http: &Http, issuer: &str) -> anyhow::Result<Map<String, Value>> {
    let (_, document) = fetch_discovery_raw(http, issuer)?;
    document.unambiguous().map_err(|duplicate| {
        let url = discovery_url(issuer).map_or_else(|_| issuer.to_string(), |u| u.to_string());
        hinted(
            format!("the discovery document at `{url}` {duplicate}"),
            "the provider must publish each member once; `itsme-cli discovery --raw` shows the document as served",
        )
    })
}

/// Fetches an issuer's discovery document: the bytes as served, and what they read as (a repeated
/// member is reported in the [`Document`], not refused: see [`fetch_discovery`]).
pub fn fetch_discovery_raw(http: &Http, issuer: &str) -> anyhow::Result<(Vec<u8>, Document)> {
    let url = discovery_url(issuer)?;
    let response = http.get(&url, "application/json")?;
    if response.status != 200 {
        return Err(hinted(
            format!(
                "the discovery document at `{url}` answered HTTP {}",
                response.status
            ),
            "check the issuer URL: it is the `iss` of the tokens, e.g. https://idp.e2e.itsme.services/v2",
        ));
    }
    match read_document(&response.body) {
        Ok(document) => Ok((response.body, document)),
        Err(e) => anyhow::bail!("the discovery document at `{url}` {e}"),
    }
}

/// Fetches and parses a JWK Set, judged as it enters ([`crate::key_rules::screen`]: weak keys
/// are marked refused, so they verify and encrypt nothing and are named when a token uses them).
pub fn fetch_jwks(http: &Http, url: &Url) -> anyhow::Result<PublicKeySet> {
    let response = http.get(url, "application/jwk-set+json, application/json")?;
    if response.status != 200 {
        anyhow::bail!("the JWK Set at `{url}` answered HTTP {}", response.status);
    }
    let mut set = PublicKeySet::parse(&response.body)
        .map_err(|e| anyhow::anyhow!("the JWK Set at `{url}` is unusable: {e}"))?;
    crate::key_rules::screen(&mut set);
    Ok(set)
}

/// Provider keys fetched from a URL on first use, and fetched once more after an unknown `kid`.
pub struct RemoteKeys {
    source: Source,
    http: Option<Http>,
    jwks_url: Option<Url>,
    keys: Option<PublicKeySet>,
    refetched: bool,
}

enum Source {
    JwksUrl(Url),
    Issuer(String),
}

impl RemoteKeys {
    /// Keys at a JWK Set URL.
    pub fn from_jwks_url(url: Url) -> Self {
        Self::new(Source::JwksUrl(url))
    }

    /// Keys at the `jwks_uri` of an issuer's discovery document.
    pub fn from_issuer(issuer: &str) -> Self {
        Self::new(Source::Issuer(issuer.to_string()))
    }

    /// Fetches with `http` (sharing its clients) instead of a client of its own.
    pub fn using(mut self, http: Http) -> Self {
        self.http = Some(http);
        self
    }

    /// Starts from keys already fetched from the same place (they are fetched again only after
    /// an unknown `kid`).
    pub fn prefetched(mut self, keys: PublicKeySet) -> Self {
        self.keys = Some(keys);
        self
    }

    fn new(source: Source) -> Self {
        RemoteKeys {
            source,
            http: None,
            jwks_url: None,
            keys: None,
            refetched: false,
        }
    }

    fn http(&mut self) -> anyhow::Result<&Http> {
        if self.http.is_none() {
            self.http = Some(Http::new()?);
        }
        Ok(self.http.as_ref().expect("set just above"))
    }

    fn jwks_url(&mut self) -> anyhow::Result<Url> {
        if let Some(url) = &self.jwks_url {
            return Ok(url.clone());
        }
        let url = match &self.source {
            Source::JwksUrl(url) => url.clone(),
            Source::Issuer(issuer) => {
                let issuer = issuer.clone();
                let metadata = fetch_discovery(self.http()?, &issuer)?;
                crate::oidc::endpoints::endpoint(
                    &metadata,
                    &issuer,
                    "jwks_uri",
                    "the provider's jwks_uri",
                )
                .map_err(EndpointError::into_hinted)?
            }
        };
        self.jwks_url = Some(url.clone());
        Ok(url)
    }

    fn fetch(&mut self) -> anyhow::Result<()> {
        let url = self.jwks_url()?;
        let keys = fetch_jwks(self.http()?, &url)?;
        self.keys = Some(keys);
        Ok(())
    }
}

impl ProviderKeys for RemoteKeys {
    fn keys(&mut self) -> anyhow::Result<&PublicKeySet> {
        if self.keys.is_none() {
            self.fetch()?;
        }
        Ok(self.keys.as_ref().expect("fetched just above"))
    }

    fn refresh(&mut self) -> anyhow::Result<bool> {
        if self.refetched {
            return Ok(false);
        }
        self.refetched = true;
        self.fetch()?;
        Ok(true)
    }

    fn fetched(&self) -> Option<&PublicKeySet> {
        self.keys.as_ref()
    }

    fn origin(&self) -> String {
        match (&self.jwks_url, &self.source) {
            (Some(url), _) | (None, Source::JwksUrl(url)) => format!("`{url}`"),
            (None, Source::Issuer(issuer)) => format!("the jwks_uri of `{issuer}`"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn discovery_url_strips_one_trailing_slash() {
        assert_eq!(
            discovery_url("https://idp.e2e.itsme.services/v2")
                .unwrap()
                .as_str(),
            "https://idp.e2e.itsme.services/v2/.well-known/openid-configuration"
        );
        assert_eq!(
            discovery_url("http://127.0.0.1:9/v2/").unwrap().as_str(),
            "http://127.0.0.1:9/v2/.well-known/openid-configuration"
        );
    }
}
