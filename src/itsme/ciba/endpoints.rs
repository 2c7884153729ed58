//! The CIBA endpoints of PROTOCOL §9.1 and the `aud` each documents for the client assertion:
//! one table, read by the client to call and by the sandbox to route and check.

use url::Url;

/// Path of the discovery-session endpoint under the issuer (PROTOCOL §9.1, §9.2).
pub const DISCOVERY_SESSIONS_PATH: &str = "/user_discovery_sessions";
/// Path of the backchannel authentication endpoint under the issuer (PROTOCOL §9.1, §9.3).
pub const BACKCHANNEL_PATH: &str = "/backchannel/authentication";
/// Path of the token endpoint under the issuer (PROTOCOL §9.1, §9.4).
pub const TOKEN_PATH: &str = "/token";
/// Path of the userinfo endpoint under the issuer (PROTOCOL §9.1).
pub const USERINFO_PATH: &str = "/userinfo";

/// One CIBA call of the PROTOCOL §9.1 table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CibaEndpoint {
    /// `POST /user_discovery_sessions`.
    CreateDiscoverySession,
    /// `POST /user_discovery_sessions/{id}`.
    PollDiscoverySession,
    /// `POST /backchannel/authentication`.
    Backchannel,
    /// `POST /token` with the CIBA grant.
    Token,
    /// `GET /userinfo` with the access token.
    Userinfo,
}

/// Which `aud` a client puts in its client assertion (PROTOCOL §9.1, §9.8.3).
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Default,
    clap::ValueEnum,
    serde::Serialize,
    serde::Deserialize,
)]
#[serde(rename_all = "snake_case")]
pub enum AudienceChoice {
    /// What §9.1's table documents for each endpoint (the backchannel URL at the discovery
    /// endpoints, the token URL at the backchannel and token endpoints).
    #[default]
    Documented,
    /// The URL of the endpoint called.
    Endpoint,
    /// The token endpoint, everywhere.
    Token,
    /// The issuer, as RFC 10070 requires (PROTOCOL §3).
    Issuer,
}

/// Where and how to call one endpoint.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Route {
    /// `GET` or `POST`.
    pub method: &'static str,
    /// The full URL.
    pub url: String,
    /// The `aud` of the client assertion, as documented (§9.1); `None` where no assertion is sent.
    pub documented_audience: Option<String>,
}

/// The issuer as a base: without a trailing `/`.
fn base(issuer: &str) -> &str {
    issuer.trim_end_matches('/')
}

impl CibaEndpoint {
    /// Every endpoint, in the order of the §9.1 table.
    pub const ALL: [CibaEndpoint; 5] = [
        CibaEndpoint::CreateDiscoverySession,
        CibaEndpoint::PollDiscoverySession,
        CibaEndpoint::Backchannel,
        CibaEndpoint::Token,
        CibaEndpoint::Userinfo,
    ];

    /// The §9.1 table: the method, URL under `issuer` (with `session_id` for the poll; the id is
    /// percent-encoded as one path segment) and the documented assertion `aud`. The discovery
    /// endpoints document the *backchannel* URL, the backchannel endpoint the *token* URL
    /// (§9.8.3: only the token endpoint's is conventional; taken as written).
    pub fn route(self, issuer: &str, session_id: Option<&str>) -> Route {
        let base = base(issuer);
        let backchannel = format!("{base}{BACKCHANNEL_PATH}");
        let token = format!("{base}{TOKEN_PATH}");
        let (method, url, documented_audience) = match self {
            CibaEndpoint::CreateDiscoverySession => (
                "POST",
                format!("{base}{DISCOVERY_SESSIONS_PATH}"),
                Some(backchannel),
            ),
            CibaEndpoint::PollDiscoverySession => (
                "POST",
                session_url(base, session_id.unwrap_or_default()),
                Some(backchannel),
            ),
            CibaEndpoint::Backchannel => ("POST", backchannel, Some(token)),
            CibaEndpoint::Token => ("POST", token.clone(), Some(token)),
            CibaEndpoint::Userinfo => ("GET", format!("{base}{USERINFO_PATH}"), None),
        };
        Route {
            method,
            url,
            documented_audience,
        }
    }

    /// The `aud` a client sends at this endpoint for `choice`; `None` where no assertion is sent.
    pub fn assertion_audience(
        self,
        issuer: &str,
        session_id: Option<&str>,
        choice: AudienceChoice,
    ) -> Option<String> {
        let route = self.route(issuer, session_id);
        route.documented_audience.as_ref()?;
        Some(match choice {
            AudienceChoice::Documented => route.documented_audience?,
            AudienceChoice::Endpoint => route.url,
            AudienceChoice::Token => format!("{}{TOKEN_PATH}", base(issuer)),
            AudienceChoice::Issuer => issuer.to_string(),
        })
    }
}

/// `<base>/user_discovery_sessions/<id>`, the id as one percent-encoded path segment.
fn session_url(base: &str, id: &str) -> String {
    let collection = format!("{base}{DISCOVERY_SESSIONS_PATH}");
    match Url::parse(&collection) {
        Ok(mut url) => {
            if let Ok(mut segments) = url.path_segments_mut() {
                segments.push(id);
            }
            url.to_string()
        }
        Err(_) => format!("{collection}/{id}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ISSUER: &str = "https://idp.e2e.itsme.services/v2";

    #[test]
    fn the_table_of_protocol_9_1() {
        let route = |e: CibaEndpoint| e.route(ISSUER, Some("abc"));
        let create = route(CibaEndpoint::CreateDiscoverySession);
        assert_eq!(
            create.url,
            "https://idp.e2e.itsme.services/v2/user_discovery_sessions"
        );
        assert_eq!(
            create.documented_audience.as_deref(),
            Some("https://idp.e2e.itsme.services/v2/backchannel/authentication")
        );
        let poll = route(CibaEndpoint::PollDiscoverySession);
        assert_eq!(
            poll.url,
            "https://idp.e2e.itsme.services/v2/user_discovery_sessions/abc"
        );
        assert_eq!(poll.documented_audience, create.documented_audience);
        let backchannel = route(CibaEndpoint::Backchannel);
        assert_eq!(
            backchannel.documented_audience.as_deref(),
            Some("https://idp.e2e.itsme.services/v2/token")
        );
        assert_eq!(route(CibaEndpoint::Userinfo).method, "GET");
        assert_eq!(route(CibaEndpoint::Userinfo).documented_audience, None);
        assert_eq!(
            CibaEndpoint::PollDiscoverySession
                .route(ISSUER, Some("a/b?c"))
                .url,
            "https://idp.e2e.itsme.services/v2/user_discovery_sessions/a%2Fb%3Fc"
        );
    }

    #[test]
    fn audience_choices() {
        let aud = |e: CibaEndpoint, c| e.assertion_audience(&format!("{ISSUER}/"), None, c);
        assert_eq!(
            aud(
                CibaEndpoint::CreateDiscoverySession,
                AudienceChoice::Endpoint
            )
            .as_deref(),
            Some("https://idp.e2e.itsme.services/v2/user_discovery_sessions")
        );
        assert_eq!(
            aud(CibaEndpoint::Backchannel, AudienceChoice::Token).as_deref(),
            Some("https://idp.e2e.itsme.services/v2/token")
        );
        assert_eq!(
            aud(CibaEndpoint::Backchannel, AudienceChoice::Endpoint).as_deref(),
            Some("https://idp.e2e.itsme.services/v2/backchannel/authentication")
        );
        assert_eq!(
            aud(CibaEndpoint::Token, AudienceChoice::Issuer).as_deref(),
            Some("https://idp.e2e.itsme.services/v2/")
        );
        assert_eq!(aud(CibaEndpoint::Userinfo, AudienceChoice::Issuer), None);
    }
}
