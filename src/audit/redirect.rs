//! `redirect_uri_registered`: does the provider know each redirect URI? Told without a user by
//! one authorization request per URI, built as `login` builds it (request object per PROTOCOL §4)
//! and not followed: a provider sends its answer only to a redirect URI it knows and shows an
//! unknown one its own error page (PROTOCOL §4, §8). Where that one answer does not tell, a second
//! request with a redirect URI no provider can know is the comparison. This is the project's
//! inference from the documented behaviour, not a documented probe: "likely" where it rests on it,
//! and an answer that does not tell is a warning, never a pass.

use url::Url;

use super::facts::{AuthorizeAnswer, RedirectProbe, RedirectProbeFact};
use super::{Check, CheckId, Status};
use crate::itsme::errors::{KNOWN, Stage};

/// A redirect URI no provider has registered (RFC 2606 `.invalid`): the comparison request's.
pub const UNREGISTERED: &str = "https://redirect-uri-probe.itsme-cli.invalid/not-registered";

/// What an answer to an authorization request shows.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Shape {
    /// A redirect to the request's redirect URI (with a code or an error): it is known.
    ToRedirectUri,
    /// A redirect elsewhere (the provider's own login pages, say).
    Elsewhere,
    /// An HTTP error page, naming these authorization error codes, and whether it mentions
    /// the redirect URI.
    ErrorPage {
        codes: Vec<String>,
        mentions_redirect_uri: bool,
    },
    /// A page (2xx) that is not an error: the provider's login page, or its error page.
    Page,
}

impl AuthorizeAnswer {
    /// Reads an answer: its status, `Location` and body (searched for error codes and the words
    /// `redirect_uri`, never shown).
    pub fn read(status: u16, location: Option<&str>, body: &[u8]) -> Self {
        let text = String::from_utf8_lossy(body).to_ascii_lowercase();
        let codes = KNOWN
            .iter()
            .filter(|(stage, _)| *stage == Stage::Authorization)
            .map(|&(_, code)| code)
            .filter(|code| text.contains(code))
            .map(str::to_string)
            .collect();
        AuthorizeAnswer {
            status,
            location: location.map(str::to_string),
            codes,
            mentions_redirect_uri: text.contains("redirect_uri") || text.contains("redirect uri"),
        }
    }

    fn shape(&self, redirect_uri: &str) -> Shape {
        match (self.status, &self.location) {
            (300..=399, Some(location)) if goes_to(location, redirect_uri) => Shape::ToRedirectUri,
            (300..=399, _) => Shape::Elsewhere,
            (400.., _) => Shape::ErrorPage {
                codes: self.codes.clone(),
                mentions_redirect_uri: self.mentions_redirect_uri,
            },
            _ => Shape::Page,
        }
    }
}

/// Whether `location` is `redirect_uri` with the answer's parameters added: the same scheme,
/// host, port and path, and the redirect URI's own query parameters kept.
fn goes_to(location: &str, redirect_uri: &str) -> bool {
    let (Ok(location), Ok(redirect)) = (Url::parse(location), Url::parse(redirect_uri)) else {
        return false;
    };
    let kept: Vec<(String, String)> = location.query_pairs().into_owned().collect();
    location.scheme() == redirect.scheme()
        && location.host() == redirect.host()
        && location.port_or_known_default() == redirect.port_or_known_default()
        && location.path() == redirect.path()
        && redirect
            .query_pairs()
            .all(|(k, v)| kept.iter().any(|(kk, vv)| *kk == k && *vv == v))
}

/// Whether the answer for `redirect_uri` needs the comparison request to be read: it neither
/// went to the redirect URI nor stopped at an error page.
pub fn needs_comparison(answer: &AuthorizeAnswer, redirect_uri: &str) -> bool {
    matches!(answer.shape(redirect_uri), Shape::Elsewhere | Shape::Page)
}

/// One `redirect_uri_registered` check per redirect URI probed, or one saying why none was.
pub fn checks(fact: &RedirectProbeFact) -> Vec<Check> {
    match fact {
        RedirectProbeFact::Skipped(why) => vec![Check::skip(
            CheckId::RedirectUriRegistered,
            format!("not checked against the provider: {why}"),
        )],
        RedirectProbeFact::Probed(probes) => probes.iter().map(check).collect(),
    }
}

fn check(probe: &RedirectProbe) -> Check {
    let id = CheckId::RedirectUriRegistered;
    let uri = &probe.redirect_uri;
    let exact = "register it with itsme®, or give the registered one exactly: it is matched byte for byte (case, trailing slash, query)";
    let answer = match &probe.answer {
        Ok(answer) => answer,
        Err(why) => {
            return Check::new(
                id,
                Status::Error,
                format!("`{uri}`: not checked: the provider could not be reached: {why}"),
                Some("check your network and run again"),
            );
        }
    };
    let status = answer.status;
    match answer.shape(uri) {
        Shape::ToRedirectUri => Check::new(
            id,
            Status::Pass,
            format!(
                "`{uri}`: the provider sends its answer there (HTTP {status}): it knows this redirect URI"
            ),
            None,
        ),
        Shape::ErrorPage { codes, .. } if codes.iter().any(|c| c == "invalid_redirect_uri") => {
            Check::new(
                id,
                Status::Fail,
                format!(
                    "`{uri}`: the provider stopped the request at its error page (HTTP {status}, `invalid_redirect_uri`): it does not know this redirect URI"
                ),
                Some(exact),
            )
        }
        Shape::ErrorPage { codes, .. } if !codes.is_empty() => Check::new(
            id,
            Status::Warn,
            format!(
                "`{uri}`: not checked against the provider: it stopped the request at its error page for another reason (HTTP {status}, `{}`)",
                codes.join("`, `")
            ),
            Some("fix what the provider refused (see the other checks), then run again"),
        ),
        Shape::ErrorPage {
            mentions_redirect_uri: true,
            ..
        } => Check::new(
            id,
            Status::Fail,
            format!(
                "`{uri}`: the provider stopped the request at an error page about the redirect URI (HTTP {status}): it likely does not know this redirect URI"
            ),
            Some(exact),
        ),
        Shape::ErrorPage { .. } => Check::new(
            id,
            Status::Warn,
            format!(
                "`{uri}`: not confirmed: the provider stopped the request at an error page (HTTP {status}) that does not say why; the redirect URI or the client_id may be unknown to it"
            ),
            Some("try `itsme-cli login` with these settings to see the page"),
        ),
        Shape::Elsewhere | Shape::Page => compared(uri, status, probe.comparison.as_ref()),
    }
}

/// The answer went on (a page, or a redirect elsewhere): known only if a redirect URI no
/// provider can know was stopped where this one was not.
fn compared(uri: &str, status: u16, comparison: Option<&Result<AuthorizeAnswer, String>>) -> Check {
    let id = CheckId::RedirectUriRegistered;
    let ambiguous = |why: String| {
        Check::new(
            id,
            Status::Warn,
            format!(
                "`{uri}`: not checked against the provider: it went on (HTTP {status}), but {why}, so its answer does not tell"
            ),
            Some(
                "try `itsme-cli login` with these settings: a refused redirect URI stops at the provider's page",
            ),
        )
    };
    match comparison {
        Some(Ok(other)) => match other.shape(UNREGISTERED) {
            Shape::ErrorPage { .. } => Check::new(
                id,
                Status::Pass,
                format!(
                    "`{uri}`: the provider went on with it (HTTP {status}) and stopped a redirect URI it cannot know at its error page (HTTP {}): it likely knows this one",
                    other.status
                ),
                None,
            ),
            Shape::ToRedirectUri => {
                ambiguous("it also sent its answer to a redirect URI it cannot know".into())
            }
            Shape::Elsewhere | Shape::Page => ambiguous(format!(
                "it answered a redirect URI it cannot know the same way (HTTP {})",
                other.status
            )),
        },
        Some(Err(why)) => Check::new(
            id,
            Status::Error,
            format!(
                "`{uri}`: not checked: the comparison request could not reach the provider: {why}"
            ),
            Some("check your network and run again"),
        ),
        None => ambiguous("no comparison was made".into()),
    }
}
