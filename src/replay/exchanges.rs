//! Which entries of a HAR file are itsme® exchanges, and what each carried: the provider's
//! discovery and key fetches, the authorization request, the redirect back, the token request
//! and its answer, the userinfo call. Everything else (login pages, scripts, fonts) is left out.

use serde::Serialize;
use serde_json::{Map, Value};
use url::Url;

use crate::http::har::{self, Entry};
use crate::http::trace::{self, TraceOptions};

/// What an exchange is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// `/.well-known/openid-configuration`.
    Discovery,
    /// The provider's JWK Set.
    Jwks,
    /// The authorization request (browser).
    Authorization,
    /// The redirect back to the redirect URI (browser).
    Callback,
    /// The token request and its answer (back end).
    Token,
    /// The userinfo call (back end).
    Userinfo,
}

impl Kind {
    /// The word of the timeline.
    pub fn label(self) -> &'static str {
        match self {
            Kind::Discovery => "discovery",
            Kind::Jwks => "jwks",
            Kind::Authorization => "authorization",
            Kind::Callback => "callback",
            Kind::Token => "token",
            Kind::Userinfo => "userinfo",
        }
    }
}

/// One itsme® exchange of the timeline, as the report shows it (secrets redacted as by `-v`).
#[derive(Debug, Clone, Serialize)]
pub struct Exchange {
    /// Position in the timeline, from 1.
    pub number: usize,
    /// What it is.
    pub kind: Kind,
    /// When it started (the HAR's `startedDateTime`).
    pub started: String,
    /// `GET`, `POST`.
    pub method: String,
    /// The URL, its secret query parameters redacted.
    pub url: String,
    /// The answer's status (0: none recorded).
    pub status: u16,
    /// The parameters sent (query or form), secrets redacted.
    pub sent: Map<String, Value>,
    /// What came back worth showing: the callback's parameters, the token answer's members, the
    /// userinfo's media type (secrets redacted).
    pub received: Map<String, Value>,
    /// `true` when the callback is known only from the provider's redirect (`Location`), its
    /// request not recorded.
    pub from_location: bool,
}

/// An exchange with its raw values, for the checks.
#[derive(Debug, Clone)]
pub struct Raw {
    /// What the report shows.
    pub shown: Exchange,
    /// When it started, Unix seconds (`None` when the HAR's time does not parse).
    pub at: Option<i64>,
    /// The URL.
    pub url: Url,
    /// Query pairs, or form fields, as sent.
    pub params: Vec<(String, String)>,
    /// The callback's query pairs.
    pub callback: Vec<(String, String)>,
    /// The answer's body.
    pub body: Vec<u8>,
    /// The answer's `Content-Type`.
    pub media_type: String,
    /// The answer's `WWW-Authenticate`.
    pub challenge: Option<String>,
}

/// The provider's endpoints as read from a recorded discovery document.
#[derive(Debug, Clone, Default)]
pub struct Endpoints {
    /// `issuer`.
    pub issuer: Option<String>,
    /// `authorization_endpoint`.
    pub authorization: Option<String>,
    /// `token_endpoint`.
    pub token: Option<String>,
    /// `userinfo_endpoint`.
    pub userinfo: Option<String>,
    /// `jwks_uri`.
    pub jwks: Option<String>,
}

/// Picks the itsme® exchanges out of `entries` (already in time order).
pub fn find(entries: &[Entry], options: TraceOptions) -> (Vec<Raw>, Endpoints) {
    let mut endpoints = Endpoints::default();
    for entry in entries {
        if is_discovery(&entry.request.url)
            && let Some(Value::Object(doc)) = body_json(entry)
        {
            let member = |name: &str| doc.get(name).and_then(Value::as_str).map(str::to_string);
            endpoints = Endpoints {
                issuer: member("issuer"),
                authorization: member("authorization_endpoint"),
                token: member("token_endpoint"),
                userinfo: member("userinfo_endpoint"),
                jwks: member("jwks_uri"),
            };
        }
    }
    let mut found: Vec<Raw> = Vec::new();
    let mut redirect_uri: Option<String> = None;
    for entry in entries {
        let Ok(url) = Url::parse(&entry.request.url) else {
            continue;
        };
        let query: Vec<(String, String)> = url.query_pairs().into_owned().collect();
        let form = entry.request.form();
        let kind = if is_discovery(url.as_str()) {
            Some(Kind::Discovery)
        } else if same_endpoint(&url, endpoints.jwks.as_deref()) || looks_like_jwks(entry) {
            Some(Kind::Jwks)
        } else if is_authorization(&url, &query, endpoints.authorization.as_deref()) {
            redirect_uri = value(&query, "redirect_uri").map(str::to_string);
            Some(Kind::Authorization)
        } else if redirect_uri
            .as_deref()
            .is_some_and(|r| at_redirect_uri(&url, r))
            && (value(&query, "code").is_some() || value(&query, "error").is_some())
        {
            Some(Kind::Callback)
        } else if entry.request.method.eq_ignore_ascii_case("POST")
            && value(&form, "grant_type").is_some()
        {
            Some(Kind::Token)
        } else if same_endpoint(&url, endpoints.userinfo.as_deref())
            || (endpoints.userinfo.is_none() && url.path().ends_with("/userinfo"))
        {
            Some(Kind::Userinfo)
        } else {
            None
        };
        if let Some(kind) = kind {
            let params = if kind == Kind::Token { form } else { query };
            found.push(raw(entry, kind, url, params, false, options));
            continue;
        }
        // A redirect to the callback whose request the HAR does not hold (the browser stopped,
        // or the writer left it out): the callback is known from the `Location`.
        if let (Some(r), Some(location)) = (
            redirect_uri.as_deref(),
            location(entry).and_then(|l| url.join(&l).ok()),
        ) && at_redirect_uri(&location, r)
            && !entries
                .iter()
                .any(|e| Url::parse(&e.request.url).is_ok_and(|u| at_redirect_uri(&u, r)))
        {
            let params: Vec<(String, String)> = location.query_pairs().into_owned().collect();
            let mut callback = raw(entry, Kind::Callback, location, params, true, options);
            callback.shown.status = 0;
            callback.body.clear();
            found.push(callback);
        }
    }
    for (number, exchange) in found.iter_mut().enumerate() {
        exchange.shown.number = number + 1;
    }
    (found, endpoints)
}

fn raw(
    entry: &Entry,
    kind: Kind,
    url: Url,
    params: Vec<(String, String)>,
    from_location: bool,
    options: TraceOptions,
) -> Raw {
    let body = entry.response.content.bytes().unwrap_or_default();
    let media_type = har::header(&entry.response.headers, "content-type")
        .map(str::to_string)
        .unwrap_or_else(|| entry.response.content.mime_type.clone());
    let mut sent = Map::new();
    for (name, value) in &params {
        sent.insert(
            name.clone(),
            Value::String(trace::shown_value(name, value, options)),
        );
    }
    let callback = if kind == Kind::Callback {
        params.clone()
    } else {
        Vec::new()
    };
    let received = match kind {
        Kind::Callback => std::mem::take(&mut sent),
        Kind::Token => match serde_json::from_slice::<Value>(&body) {
            Ok(Value::Object(members)) => {
                match trace::redacted_json(Value::Object(members), options) {
                    Value::Object(m) => m,
                    _ => Map::new(),
                }
            }
            _ => Map::new(),
        },
        Kind::Userinfo => {
            let mut m = Map::new();
            if !media_type.is_empty() {
                m.insert("content_type".into(), Value::String(media_type.clone()));
            }
            m
        }
        _ => Map::new(),
    };
    Raw {
        at: crate::timefmt::parse_instant(&entry.started_date_time).ok(),
        shown: Exchange {
            number: 0,
            kind,
            started: entry.started_date_time.clone(),
            method: entry.request.method.clone(),
            url: trace::redacted_url(&url, options),
            status: u16::try_from(entry.response.status).unwrap_or(0),
            sent,
            received,
            from_location,
        },
        url,
        params,
        callback,
        body,
        media_type,
        challenge: har::header(&entry.response.headers, "www-authenticate").map(str::to_string),
    }
}

/// The first value of `name`.
pub fn value<'p>(pairs: &'p [(String, String)], name: &str) -> Option<&'p str> {
    pairs
        .iter()
        .find(|(n, _)| n == name)
        .map(|(_, v)| v.as_str())
}

fn is_discovery(url: &str) -> bool {
    Url::parse(url).is_ok_and(|u| u.path().ends_with("/.well-known/openid-configuration"))
}

/// The URL without query and fragment is `endpoint`.
fn same_endpoint(url: &Url, endpoint: Option<&str>) -> bool {
    let Some(endpoint) = endpoint.and_then(|e| Url::parse(e).ok()) else {
        return false;
    };
    url.scheme() == endpoint.scheme()
        && url.host_str() == endpoint.host_str()
        && url.port_or_known_default() == endpoint.port_or_known_default()
        && url.path() == endpoint.path()
}

/// The callback: the redirect URI, byte for byte up to its query.
fn at_redirect_uri(url: &Url, redirect_uri: &str) -> bool {
    let mut bare = url.clone();
    bare.set_query(None);
    bare.set_fragment(None);
    let mut registered = redirect_uri.to_string();
    if let Some((before, _)) = registered.split_once('?') {
        registered = before.to_string();
    }
    bare.as_str() == registered
        || Url::parse(&registered).is_ok_and(|r| r.as_str() == bare.as_str())
}

fn is_authorization(url: &Url, query: &[(String, String)], endpoint: Option<&str>) -> bool {
    let has_client = value(query, "client_id").is_some();
    let shaped = has_client
        && (value(query, "response_type").is_some() || value(query, "request").is_some());
    match endpoint {
        Some(_) => same_endpoint(url, endpoint) && has_client,
        None => shaped && value(query, "grant_type").is_none(),
    }
}

fn looks_like_jwks(entry: &Entry) -> bool {
    matches!(body_json(entry), Some(Value::Object(doc)) if doc.get("keys").is_some_and(Value::is_array))
}

fn body_json(entry: &Entry) -> Option<Value> {
    serde_json::from_slice(&entry.response.content.bytes()?).ok()
}

fn location(entry: &Entry) -> Option<String> {
    if (300..400).contains(&entry.response.status) {
        if !entry.response.redirect_url.is_empty() {
            return Some(entry.response.redirect_url.clone());
        }
        return har::header(&entry.response.headers, "location").map(str::to_string);
    }
    None
}
