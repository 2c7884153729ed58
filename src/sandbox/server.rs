//! HTTP: routing and the endpoint handlers of the sandbox (PROTOCOL §1, §4, §5, §8).

use std::collections::{HashMap, HashSet, VecDeque};
use std::str::FromStr;
use std::time::Duration;

use serde_json::{Map, Value, json};
use url::Url;

use super::authorize::{self, AuthorizationRequest, ProviderContext, Refusal};
use super::config::ClientAuth;
use super::personas::{self, Persona};
use super::{Provider, pages, tokens};
use crate::http::server::{Answer, Incoming as Request};
use crate::jose::keys::PublicKeySet;

/// Codes are valid 3 minutes (PROTOCOL §4); access tokens an hour.
const CODE_LIFETIME: i64 = 180;
pub(super) const ACCESS_TOKEN_LIFETIME: i64 = 3600;

/// A fault to inject, for partners' tests of their error handling (docs/sandbox.md).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fault {
    /// The next request to this endpoint (`authorization`, `token` or `userinfo`; for CIBA
    /// `ciba-token`, `backchannel` or `discovery`) fails with this OAuth error.
    FailNext { endpoint: String, error: String },
    /// Every userinfo answer is delayed this long.
    SlowUserinfo(Duration),
    /// Tokens are signed with a new key that the JWK Set publishes only from the moment it signs
    /// its first token: a client that fetched the keys earlier holds an old copy and must fetch
    /// them again on the unknown `kid`, as after a key rotation by the provider.
    RotateSigningKey,
    /// Userinfo answers plain JSON to every client, as a provider misconfigured for
    /// private_key_jwt clients would (itsme® signs and encrypts it, PROTOCOL §5).
    PlainUserinfo,
    /// The `picture` claim points at another host name (`localhost` instead of 127.0.0.1), as a
    /// hostile or broken provider could, to get the access token sent elsewhere;
    /// `picture-elsewhere:port` another port of the same host, `picture-elsewhere:userinfo` a URL
    /// with user info.
    PictureElsewhere(&'static str),
    /// The token response's `token_type` is this instead of `Bearer` (`token-type:VALUE`).
    TokenType(String),
}

/// A `--fault` that the sandbox does not know.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FaultError {
    /// `slow-userinfo:SECS` with something other than a number.
    #[error("`{0}`: the delay is a number of seconds")]
    DelayNotANumber(String),
    /// `slow-userinfo:SECS` out of 0–600.
    #[error("`{0}`: the delay must be between 0 and 600 seconds")]
    DelayOutOfRange(String),
    /// No fault of that name.
    #[error(
        "unknown fault `{0}`; use `token:ERROR`, `authorization:ERROR`, `userinfo:ERROR`, `slow-userinfo:SECS`, `rotate-signing-key`, `plain-userinfo`, `picture-elsewhere[:port|:userinfo]`, `token-type:VALUE`, `ciba-token:ERROR`, `backchannel:ERROR`, `expired_login_hint_token`, `unknown_user_id` or `discovery:429|400|401`"
    )]
    Unknown(String),
    /// A CIBA fault naming an error its endpoint does not document.
    #[error("`{spec}`: {endpoint} answers only {known}")]
    NotDocumented {
        /// The spec given.
        spec: String,
        /// The endpoint.
        endpoint: &'static str,
        /// The errors it documents.
        known: String,
    },
}

impl From<FaultError> for String {
    fn from(error: FaultError) -> String {
        error.to_string()
    }
}

impl FromStr for Fault {
    type Err = FaultError;

    fn from_str(spec: &str) -> Result<Self, FaultError> {
        if spec == "rotate-signing-key" {
            return Ok(Fault::RotateSigningKey);
        }
        if spec == "plain-userinfo" {
            return Ok(Fault::PlainUserinfo);
        }
        match spec {
            "picture-elsewhere" => return Ok(Fault::PictureElsewhere("host")),
            "picture-elsewhere:port" => return Ok(Fault::PictureElsewhere("port")),
            "picture-elsewhere:userinfo" => return Ok(Fault::PictureElsewhere("userinfo")),
            _ => {}
        }
        if let Some(value) = spec.strip_prefix("token-type:") {
            return Ok(Fault::TokenType(value.into()));
        }
        if let Some(seconds) = spec.strip_prefix("slow-userinfo:") {
            let seconds: f64 = seconds
                .parse()
                .map_err(|_| FaultError::DelayNotANumber(spec.into()))?;
            if !(0.0..=600.0).contains(&seconds) {
                return Err(FaultError::DelayOutOfRange(spec.into()));
            }
            return Ok(Fault::SlowUserinfo(Duration::from_secs_f64(seconds)));
        }
        if let Some(fault) = super::ciba::parse_fault(spec)? {
            return Ok(fault);
        }
        match spec.split_once(':') {
            Some((endpoint @ ("authorization" | "token" | "userinfo"), error))
                if !error.is_empty()
                    && error.bytes().all(|b| b.is_ascii_lowercase() || b == b'_') =>
            {
                Ok(Fault::FailNext {
                    endpoint: endpoint.into(),
                    error: error.into(),
                })
            }
            _ => Err(FaultError::Unknown(spec.into())),
        }
    }
}

/// A code or an access token and what it was issued for (the CIBA grant's access tokens too).
pub(super) struct Grant {
    pub(super) request: AuthorizationRequest,
    pub(super) persona: &'static Persona,
    pub(super) issued: i64,
    pub(super) used: bool,
    /// The access token issued from this code, revoked if the code is replayed.
    pub(super) access_token: Option<String>,
}

/// What the sandbox remembers between requests.
pub(super) struct State {
    pending: HashMap<String, AuthorizationRequest>,
    codes: HashMap<String, Grant>,
    pub(super) access_tokens: HashMap<String, Grant>,
    pub(super) seen_jti: HashSet<String>,
    pub(super) seen_request_objects: HashSet<String>,
    fail_next: VecDeque<(String, String)>,
    slow_userinfo: Option<Duration>,
    rotate: bool,
    rotated_key_in_use: bool,
    plain_userinfo: bool,
    picture_elsewhere: Option<&'static str>,
    pub(super) token_type: Option<String>,
    /// Discovery sessions, identifier tokens and backchannel requests (PROTOCOL §9).
    pub(super) ciba: super::ciba::CibaState,
}

impl State {
    pub(super) fn new(faults: Vec<Fault>) -> Self {
        let mut state = State {
            pending: HashMap::new(),
            codes: HashMap::new(),
            access_tokens: HashMap::new(),
            seen_jti: HashSet::new(),
            seen_request_objects: HashSet::new(),
            fail_next: VecDeque::new(),
            slow_userinfo: None,
            rotate: false,
            rotated_key_in_use: false,
            plain_userinfo: false,
            picture_elsewhere: None,
            token_type: None,
            ciba: super::ciba::CibaState::default(),
        };
        for fault in faults {
            match fault {
                Fault::FailNext { endpoint, error } => state.fail_next.push_back((endpoint, error)),
                Fault::SlowUserinfo(delay) => state.slow_userinfo = Some(delay),
                Fault::RotateSigningKey => state.rotate = true,
                Fault::PlainUserinfo => state.plain_userinfo = true,
                Fault::PictureElsewhere(trick) => state.picture_elsewhere = Some(trick),
                Fault::TokenType(value) => state.token_type = Some(value),
            }
        }
        state
    }

    /// Whether tokens are signed with the rotated key now (`--fault rotate-signing-key`); from
    /// then on the JWK Set publishes it.
    pub(super) fn signing_key_rotated(&mut self) -> bool {
        self.rotated_key_in_use |= self.rotate;
        self.rotate
    }

    /// Takes the next injected failure for `endpoint`, if it is that endpoint's turn.
    pub(super) fn take_failure(&mut self, endpoint: &str) -> Option<String> {
        let position = self.fail_next.iter().position(|(e, _)| e == endpoint)?;
        self.fail_next.remove(position).map(|(_, error)| error)
    }
}

pub(super) fn now() -> i64 {
    crate::timefmt::now()
}

/// The largest request body the sandbox reads (beyond: 413, from the server).
pub(super) const MAX_BODY: u64 = 1024 * 1024;

/// Answers one request (called on the connection's thread by `http::server::Service`, which has
/// read the request within its limits and checked its framing headers, and which answers 500 if
/// this panics).
pub(super) fn serve(request: &Request, provider: &Provider) -> Answer {
    route(request, provider)
}

/// Whether the request names a loopback host in `Host`: a web page reaching the sandbox through
/// DNS rebinding sends its own name there, and is refused (the sandbox serves only this machine).
fn addressed_to_loopback(request: &Request) -> bool {
    let Some(host) = request.head().header("Host") else {
        return false;
    };
    Url::parse(&format!("http://{host}/"))
        .is_ok_and(|url| url.path() == "/" && crate::url_policy::is_loopback_host(&url))
}

fn route(request: &Request, provider: &Provider) -> Answer {
    if !addressed_to_loopback(request) {
        return text_answer(
            421,
            "text/plain; charset=utf-8",
            "this sandbox answers only to 127.0.0.1 or localhost\n",
        );
    }
    let url = Url::parse(&format!("http://sandbox{}", request.head().target())).ok();
    let path = url
        .as_ref()
        .map(|u| u.path().to_string())
        .unwrap_or_default();
    let query: Vec<(String, String)> = url
        .as_ref()
        .map(|u| u.query_pairs().into_owned().collect())
        .unwrap_or_default();
    let method = request.head().method();
    match (method, path.as_str()) {
        ("GET", "/v2/.well-known/openid-configuration") => json_answer(200, &discovery(provider)),
        ("GET", "/v2/jwkSet") => jwks(provider),
        ("GET", "/v2/authorization") => authorization(&query, provider),
        ("POST", "/v2/authorization/decision") => {
            let form = read_form(request);
            decision(&form, origin_of(request), provider)
        }
        ("POST", "/v2/token") => {
            let form = read_form(request);
            if super::ciba::is_ciba_grant(&form) {
                return super::ciba::token(&form, provider);
            }
            token(&form, provider)
        }
        ("POST", "/v2/user_discovery_sessions") => {
            super::ciba::create_session(&read_form(request), provider)
        }
        ("POST", p) if p.starts_with("/v2/user_discovery_sessions/") => {
            let id = &p["/v2/user_discovery_sessions/".len()..];
            super::ciba::poll_session(id, &read_form(request), provider)
        }
        ("POST", "/v2/backchannel/authentication") => {
            super::ciba::backchannel(&read_form(request), provider)
        }
        ("GET", "/v2/ciba/phone") => super::ciba::phone_page(provider),
        ("GET", p) if p.starts_with("/v2/ciba/phone/") => {
            super::ciba::scan_page(&p["/v2/ciba/phone/".len()..], provider)
        }
        ("POST", "/v2/ciba/phone/scan") => {
            super::ciba::scan(&read_form(request), origin_of(request), provider)
        }
        ("POST", "/v2/ciba/phone/decision") => {
            super::ciba::phone_decision(&read_form(request), origin_of(request), provider)
        }
        ("GET" | "POST", "/v2/userinfo") => userinfo(bearer(request), provider),
        ("GET", "/v2/picture") => picture(bearer(request), provider),
        (_, "/v2/token") => json_answer(
            405,
            &json!({"error": "invalid_request", "error_description": "use POST"}),
        ),
        _ => text_answer(404, "text/plain; charset=utf-8", "not found\n"),
    }
}

// Response headers: `Answer::with_header` reduces values to printable ASCII (a header cannot carry
// more), so adding one never fails.

pub(super) fn text_answer(status: u16, content_type: &str, body: &str) -> Answer {
    Answer::new(status, body)
        .with_header("Content-Type", content_type)
        .with_header("Cache-Control", "no-store")
}

/// An HTML page of the sandbox, with the headers that keep it out of frames (`pages::PAGE_HEADERS`).
pub(super) fn page_answer(status: u16, page: &str) -> Answer {
    pages::PAGE_HEADERS.iter().fold(
        text_answer(status, "text/html; charset=utf-8", page),
        |answer, (name, value)| answer.with_header(name, value),
    )
}

pub(super) fn json_answer(status: u16, value: &Value) -> Answer {
    text_answer(status, "application/json", &value.to_string())
}

fn oauth_error(status: u16, error: &str, description: &str) -> Answer {
    json_answer(
        status,
        &json!({"error": error, "error_description": description}),
    )
}

fn redirect(location: &str) -> Answer {
    Answer::new(302, Vec::new()).with_header("Location", location)
}

pub(super) fn read_form(request: &Request) -> Vec<(String, String)> {
    url::form_urlencoded::parse(request.body())
        .into_owned()
        .collect()
}

/// Where a request comes from: its `Origin`, or without one its `Referer` (RFC 6454 §7; the
/// decision handler compares it with the sandbox's own origin).
pub(super) fn origin_of(request: &Request) -> Option<String> {
    request
        .head()
        .header("Origin")
        .or_else(|| request.head().header("Referer"))
        .map(str::to_owned)
}

fn bearer(request: &Request) -> Option<String> {
    request.head().header("Authorization").and_then(|value| {
        // The scheme name is case-insensitive (RFC 7235 §2.1).
        let (scheme, token) = value.trim().split_once(' ')?;
        scheme
            .eq_ignore_ascii_case("bearer")
            .then(|| token.trim().to_string())
    })
}

pub(super) fn lock(provider: &Provider) -> std::sync::MutexGuard<'_, State> {
    provider
        .state
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// The discovery document: what the sandbox really implements, nothing more.
fn discovery(provider: &Provider) -> Value {
    let issuer = &provider.issuer;
    let mut scopes: Vec<String> = ["openid"].iter().map(|s| s.to_string()).collect();
    scopes.extend(
        crate::itsme::catalogue::scope_claims()
            .iter()
            .map(|(s, _)| s.to_string()),
    );
    for client in &provider.clients {
        for service in &client.services {
            let scope = format!("service:{}", service.code);
            if !scopes.contains(&scope) {
                scopes.push(scope);
            }
        }
    }
    let mut claims: Vec<String> = [
        "sub",
        "iss",
        "aud",
        "exp",
        "iat",
        "nbf",
        "nonce",
        "at_hash",
        "acr",
        "auth_time",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    claims.extend(
        crate::itsme::catalogue::all()
            .iter()
            .map(|c| c.claim.clone()),
    );
    json!({
        "issuer": issuer,
        "authorization_endpoint": format!("{issuer}/authorization"),
        "token_endpoint": format!("{issuer}/token"),
        "userinfo_endpoint": format!("{issuer}/userinfo"),
        "jwks_uri": format!("{issuer}/jwkSet"),
        "scopes_supported": scopes,
        "response_types_supported": ["code"],
        "response_modes_supported": ["query"],
        "grant_types_supported": ["authorization_code", crate::itsme::ciba::GRANT_TYPE],
        "subject_types_supported": ["pairwise"],
        "acr_values_supported": crate::itsme::acr::Acr::ALL.map(|acr| acr.uri()),
        "id_token_signing_alg_values_supported": ["RS256"],
        "id_token_encryption_alg_values_supported": ["RSA-OAEP-256", "dir"],
        "id_token_encryption_enc_values_supported": ["A128CBC-HS256", "A256GCM"],
        "userinfo_signing_alg_values_supported": ["RS256"],
        "userinfo_encryption_alg_values_supported": ["RSA-OAEP-256"],
        "userinfo_encryption_enc_values_supported": ["A128CBC-HS256"],
        "request_object_signing_alg_values_supported": ["RS256"],
        "request_object_encryption_alg_values_supported": ["RSA-OAEP", "RSA-OAEP-256"],
        "request_object_encryption_enc_values_supported": crate::jose::crypto::JWE_ENCS,
        "token_endpoint_auth_methods_supported": ["private_key_jwt", "client_secret_post"],
        "token_endpoint_auth_signing_alg_values_supported": ["RS256"],
        "code_challenge_methods_supported": ["S256"],
        "display_values_supported": ["page"],
        "ui_locales_supported": ["fr", "nl", "de", "en"],
        "claims_parameter_supported": true,
        "request_parameter_supported": true,
        "request_uri_parameter_supported": false,
        "claims_supported": claims,
        // CIBA Core's metadata names: the sandbox's own choice, itsme® documents none (PROTOCOL §9.7).
        "backchannel_authentication_endpoint": format!("{issuer}{}", crate::itsme::ciba::endpoints::BACKCHANNEL_PATH),
        "backchannel_token_delivery_modes_supported": ["poll", "ping"],
        "backchannel_authentication_request_signing_alg_values_supported": ["RS256"],
        "backchannel_user_code_parameter_supported": false,
    })
}

fn jwks(provider: &Provider) -> Answer {
    let state = lock(provider);
    let mut keys = vec![
        provider.signing_key.public_jwk(),
        provider.encryption_key.public_jwk(),
    ];
    if state.rotate && state.rotated_key_in_use {
        keys.push(provider.rotated_signing_key.public_jwk());
    }
    json_answer(200, &PublicKeySet::document(&keys))
}

fn authorization(query: &[(String, String)], provider: &Provider) -> Answer {
    let checked = {
        let mut state = lock(provider);
        let mut context = ProviderContext {
            issuer: &provider.issuer,
            decrypter: &provider.decrypter,
            now: now(),
            seen_request_objects: &mut state.seen_request_objects,
        };
        authorize::check(query, &provider.clients, &mut context)
    };
    let request = match checked {
        Ok(request) => request,
        Err(Refusal::Page { error, description }) => {
            return page_answer(400, &pages::error_page(error, &description));
        }
        Err(Refusal::Redirect {
            redirect_uri,
            error,
            description,
            state,
        }) => {
            return redirect(&error_location(
                &redirect_uri,
                error,
                &description,
                state.as_deref(),
            ));
        }
    };
    if let Some(error) = lock(provider).take_failure("authorization") {
        return redirect(&error_location(
            &request.redirect_uri,
            &error,
            "injected by --fault",
            request.state.as_deref(),
        ));
    }
    if let Some(persona) = provider.approve {
        return redirect(&issue_code(request, persona, provider));
    }
    let id = tokens::random_token(16);
    let page = pages::consent_page(&request, &id, &provider.clients);
    lock(provider).pending.insert(id, request);
    page_answer(200, &page)
}

/// The Approve / Deny answer of the authorization page: only from the sandbox's own page (CSRF), and
/// approving only as a persona that exists.
fn decision(form: &[(String, String)], origin: Option<String>, provider: &Provider) -> Answer {
    let refused =
        |description: &str| page_answer(400, &pages::error_page("invalid_request", description));
    if let Err(why) = pages::check_origin(origin.as_deref(), &provider.issuer) {
        return refused(&why);
    }
    let form = match tokens::unique_params(form) {
        Ok(form) => form,
        Err(why) => return refused(&why),
    };
    let field = |name: &str| form.get(name).and_then(Value::as_str).unwrap_or("");
    let approve = field("decision") == "approve";
    let persona = match personas::find(field("persona")) {
        Some(persona) => Some(persona),
        None if approve => {
            return refused(&format!(
                "unknown persona `{}`: nothing was approved; choose one of the page's ({})",
                field("persona"),
                personas::all()
                    .iter()
                    .map(|p| p.id)
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
        }
        None => None,
    };
    let Some(request) = lock(provider).pending.remove(field("request")) else {
        return refused("this authorization page expired or was already answered");
    };
    match persona {
        Some(persona) if approve => redirect(&issue_code(request, persona, provider)),
        _ => redirect(&error_location(
            &request.redirect_uri,
            "access_denied",
            "the user refused",
            request.state.as_deref(),
        )),
    }
}

fn error_location(
    redirect_uri: &str,
    error: &str,
    description: &str,
    state: Option<&str>,
) -> String {
    let mut url = match Url::parse(redirect_uri) {
        Ok(url) => url,
        Err(_) => return redirect_uri.to_string(),
    };
    {
        let mut pairs = url.query_pairs_mut();
        pairs
            .append_pair("error", error)
            .append_pair("error_description", description);
        if let Some(state) = state {
            pairs.append_pair("state", state);
        }
    }
    url.to_string()
}

fn issue_code(
    request: AuthorizationRequest,
    persona: &'static Persona,
    provider: &Provider,
) -> String {
    let code = tokens::new_code();
    let mut url = Url::parse(&request.redirect_uri)
        .unwrap_or_else(|_| Url::parse("http://127.0.0.1/").expect("a valid URL"));
    {
        let mut pairs = url.query_pairs_mut();
        pairs.append_pair("code", &code);
        if let Some(state) = &request.state {
            pairs.append_pair("state", state);
        }
    }
    lock(provider).codes.insert(
        code,
        Grant {
            request,
            persona,
            issued: now(),
            used: false,
            access_token: None,
        },
    );
    url.to_string()
}

fn token(form: &[(String, String)], provider: &Provider) -> Answer {
    let endpoint = format!("{}/token", provider.issuer);
    let mut state = lock(provider);
    if let Some(error) = state.take_failure("token") {
        return oauth_error(400, &error, "injected by --fault");
    }
    let form = match tokens::unique_params(form) {
        Ok(form) => form,
        Err(why) => return oauth_error(400, "invalid_request", &why),
    };
    let field = |name: &str| form.get(name).and_then(Value::as_str);
    let client = match tokens::authenticate(
        &form,
        &provider.clients,
        &endpoint,
        now(),
        &mut state.seen_jti,
    ) {
        Ok(client) => client,
        Err(e) => return oauth_error(400, e.error, &e.description),
    };
    if field("grant_type") != Some("authorization_code") {
        return oauth_error(
            400,
            "unsupported_grant_type",
            "only `authorization_code` is supported",
        );
    }
    let code = field("code").unwrap_or("");
    let (request, persona) = match redeem(&mut state, code, &form, &client.client_id) {
        Ok(grant) => grant,
        Err(e) => return oauth_error(400, e.error, &e.description),
    };
    let access_token = tokens::random_token(32);
    let sub = persona.sub_for(&client.client_id);
    let mut claims = tokens::id_token_claims(
        &provider.issuer,
        &client.client_id,
        &sub,
        request.nonce.as_deref(),
        &access_token,
        request.acr.uri(),
        now(),
    );
    claims.extend(persona.claims_for(&request.id_token_claims));
    let signer = if state.rotate {
        &provider.rotated_signing_key
    } else {
        &provider.signing_key
    };
    state.rotated_key_in_use |= state.rotate;
    let id_token = match tokens::seal(&Value::Object(claims), signer, client) {
        Ok(token) => token,
        Err(why) => return oauth_error(400, "invalid_client", &why),
    };
    if let Some(grant) = state.codes.get_mut(code) {
        grant.access_token = Some(access_token.clone());
    }
    state.access_tokens.insert(
        access_token.clone(),
        Grant {
            request,
            persona,
            issued: now(),
            used: false,
            access_token: None,
        },
    );
    json_answer(
        200,
        &json!({"access_token": access_token, "token_type": state.token_type.as_deref().unwrap_or("Bearer"), "expires_in": ACCESS_TOKEN_LIFETIME, "id_token": id_token}),
    )
}

/// Redeems an authorization code for `client_id` (PROTOCOL §4, RFC 6749 §4.1.3): once, within its
/// lifetime, by its own client, with its `redirect_uri` and PKCE verifier. A replay revokes the
/// tokens issued from the code (RFC 6749 §4.1.2); a code presented by another client is burnt.
fn redeem(
    state: &mut State,
    code: &str,
    form: &Map<String, Value>,
    client_id: &str,
) -> Result<(AuthorizationRequest, &'static Persona), tokens::TokenError> {
    use tokens::TokenError;
    let field = |name: &str| form.get(name).and_then(Value::as_str);
    let Some(grant) = state.codes.get_mut(code) else {
        return Err(TokenError::new(
            "invalid_grant",
            "unknown authorization code",
        ));
    };
    if grant.used {
        if let Some(token) = grant.access_token.take() {
            state.access_tokens.remove(&token);
        }
        return Err(TokenError::new(
            "invalid_grant",
            "this authorization code was already used; the tokens issued from it are revoked (RFC 6749 §4.1.2)",
        ));
    }
    if now() - grant.issued > CODE_LIFETIME {
        return Err(TokenError::new(
            "invalid_grant",
            "the authorization code expired (codes are valid 3 minutes)",
        ));
    }
    if grant.request.client_id != client_id {
        grant.used = true;
        return Err(TokenError::new(
            "invalid_grant",
            "the authorization code was issued to another client; it is revoked now, for its own client too (RFC 6749 §4.1.3)",
        ));
    }
    if field("redirect_uri") != Some(grant.request.redirect_uri.as_str()) {
        return Err(TokenError::new(
            "invalid_grant",
            "`redirect_uri` differs from the one of the authorization request",
        ));
    }
    tokens::check_code_verifier(
        grant.request.code_challenge.as_deref(),
        field("code_verifier"),
    )?;
    grant.used = true;
    Ok((grant.request.clone(), grant.persona))
}

fn invalid_token(description: &str) -> Answer {
    bearer_error("invalid_token", description)
}

/// An error of a protected resource, with the status and challenge RFC 6750 §3.1 gives it.
fn bearer_error(error: &str, description: &str) -> Answer {
    let status = match error {
        "invalid_token" => 401,
        "insufficient_scope" => 403,
        _ => 400,
    };
    let challenge = format!(
        "Bearer error=\"{error}\", error_description=\"{}\"",
        description.replace('"', "'")
    );
    oauth_error(status, error, description).with_header("WWW-Authenticate", &challenge)
}

fn userinfo(token: Option<String>, provider: &Provider) -> Answer {
    let (delay, failure) = {
        let mut state = lock(provider);
        (state.slow_userinfo, state.take_failure("userinfo"))
    };
    if let Some(delay) = delay {
        std::thread::sleep(delay);
    }
    if let Some(error) = failure {
        return bearer_error(&error, "injected by --fault");
    }
    let Some(token) = token else {
        // No credentials at all: a challenge without an error code (RFC 6750 §3.1).
        return oauth_error(
            401,
            "invalid_request",
            "send the access token as `Authorization: Bearer <token>`",
        )
        .with_header("WWW-Authenticate", "Bearer");
    };
    let state = lock(provider);
    let Some(grant) = state
        .access_tokens
        .get(&token)
        .filter(|g| now() - g.issued <= ACCESS_TOKEN_LIFETIME)
    else {
        return invalid_token("unknown or expired access token");
    };
    let Some(client) = provider
        .clients
        .iter()
        .find(|c| c.client_id == grant.request.client_id)
    else {
        return invalid_token("the client of this token is gone");
    };
    let mut claims = Map::new();
    claims.insert(
        "sub".into(),
        Value::String(grant.persona.sub_for(&client.client_id)),
    );
    claims.extend(grant.persona.claims_for(&grant.request.userinfo_claims));
    if grant.request.userinfo_claims.iter().any(|c| c == "picture") {
        let mut url = format!("{}/picture", provider.issuer);
        url = match state.picture_elsewhere {
            Some("host") => url.replacen("127.0.0.1", "localhost", 1),
            Some("port") => Url::parse(&url).map_or(url, |mut other| {
                let _ = other.set_port(Some(1));
                other.to_string()
            }),
            Some(_) => url.replacen("//", "//itsme:secret@", 1),
            None => url,
        };
        claims.insert("picture".into(), Value::String(url));
    }
    match &client.auth {
        ClientAuth::PrivateKeyJwt(_) if state.plain_userinfo => {
            json_answer(200, &Value::Object(claims))
        }
        // Signed and encrypted like the ID token (PROTOCOL §5).
        ClientAuth::PrivateKeyJwt(_) => {
            claims.insert("iss".into(), Value::String(provider.issuer.clone()));
            claims.insert("aud".into(), Value::String(client.client_id.clone()));
            let signer = if state.rotate {
                &provider.rotated_signing_key
            } else {
                &provider.signing_key
            };
            match tokens::seal(&Value::Object(claims), signer, client) {
                Ok(jwt) => text_answer(200, "application/jwt; charset=utf-8", &jwt),
                Err(why) => oauth_error(400, "invalid_request", &why),
            }
        }
        ClientAuth::Secret(_) => json_answer(200, &Value::Object(claims)),
    }
}

fn picture(token: Option<String>, provider: &Provider) -> Answer {
    let state = lock(provider);
    let Some(grant) = token.and_then(|t| state.access_tokens.get(&t)) else {
        return invalid_token("unknown access token");
    };
    let photo = grant
        .persona
        .claims()
        .get(&format!(
            "{}physical_person_photo",
            crate::itsme::CLAIM_PREFIX
        ))
        .and_then(|p| crate::itsme::photo::decode(p).ok());
    match photo {
        Some(photo) => Answer::new(200, photo.bytes).with_header("Content-Type", "image/jpeg"),
        None => text_answer(
            404,
            "text/plain; charset=utf-8",
            "this persona has no photo\n",
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fault_specs() {
        assert_eq!(
            "token:invalid_grant".parse(),
            Ok(Fault::FailNext {
                endpoint: "token".into(),
                error: "invalid_grant".into()
            })
        );
        assert_eq!("rotate-signing-key".parse(), Ok(Fault::RotateSigningKey));
        assert_eq!(
            "slow-userinfo:1.5".parse(),
            Ok(Fault::SlowUserinfo(Duration::from_millis(1500)))
        );
        assert!("slow-userinfo:9999".parse::<Fault>().is_err());
        assert!("token:".parse::<Fault>().is_err());
        assert!("nonsense".parse::<Fault>().is_err());
        assert_eq!(
            "picture-elsewhere".parse(),
            Ok(Fault::PictureElsewhere("host"))
        );
        assert_eq!(
            "picture-elsewhere:port".parse(),
            Ok(Fault::PictureElsewhere("port"))
        );
        assert_eq!(
            "picture-elsewhere:userinfo".parse(),
            Ok(Fault::PictureElsewhere("userinfo"))
        );
        assert!("picture-elsewhere:moon".parse::<Fault>().is_err());
        assert_eq!("token-type:mac".parse(), Ok(Fault::TokenType("mac".into())));
    }
}
