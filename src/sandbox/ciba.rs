//! The sandbox plays itsme® CIBA (PROTOCOL §9): user discovery sessions with a real QR code that
//! opens the sandbox's "phone" page, the backchannel endpoint checked by `itsme::ciba`'s rules,
//! poll and ping delivery, and the CIBA grant at `/token`. Client authentication is private_key_jwt
//! only, with the assertion `aud` each endpoint documents (§9.1, `CibaEndpoint::route`).
//!
//! The sandbox's own choices where itsme® says nothing (docs/sandbox.md lists them): the QR code
//! encodes `<issuer>/ciba/phone/<token>` and is replaced every 30 s (each valid 60 s, `expires_at`
//! being the QR token's end); answers carry `interval`; a `user_identifier_token` lives 10
//! minutes and works once; `auth_req_id` lives `requested_expiry` (at most 10 minutes, default
//! 120 s as in the example); a ping is also sent when the user denies; the discovery error bodies
//! are `{"error": <the tool's code>, "error_description": …}`.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use serde_json::{Map, Value, json};
use url::Url;

use super::authorize::{self, AuthorizationRequest, ProviderContext};
use super::config::{Client, ClientAuth, ServiceKind};
use super::personas::{self, Persona};
use super::server::{ACCESS_TOKEN_LIFETIME, Grant, State, json_answer, lock, now, page_answer};
use super::{Fault, FaultError, Provider, pages, tokens};
use crate::escape::html;
use crate::http::server::Answer;
use crate::itsme::ciba::answers::{self, DiscoveryAnswer, DiscoveryStatus};
use crate::itsme::ciba::endpoints::CibaEndpoint;
use crate::itsme::ciba::errors::{CibaError, CibaStage, ErrorBody, KNOWN};
use crate::itsme::ciba::hint::LoginHint;
use crate::itsme::ciba::request::{self, BackchannelRequest, RequestContext};
use crate::itsme::ciba::{DISCOVERY_REFUSED_AFTER, DeliveryMode, GRANT_TYPE, SLOW_DOWN_STEP};

/// A QR code is replaced this often while the session is pending.
const QR_REFRESH: Duration = Duration::from_secs(30);
/// A QR code's token opens the phone page this long.
const QR_LIFETIME: i64 = 60;
/// A `user_identifier_token` works this long (once).
const IDENTIFIER_TOKEN_LIFETIME: Duration = Duration::from_secs(600);
/// `expires_in` when the request names no `requested_expiry` (the example's 120 s).
const DEFAULT_EXPIRES_IN: u64 = 120;
/// The longest `expires_in` the sandbox grants (a `requested_expiry` above is lowered: the server
/// may override it, [C-old]).
const MAX_EXPIRES_IN: u64 = 600;
/// At most this many discovery sessions and backchannel requests are kept (the oldest go first).
const MAX_KEPT: usize = 1000;

/// How the sandbox delivers CIBA results, for every client (itsme® agrees it per service at
/// onboarding, PROTOCOL §9.1, §9.5).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CibaOptions {
    /// Poll or ping.
    pub delivery: DeliveryMode,
    /// Where pings go (ping mode): https, or http on a loopback host (a stated deviation: itsme®'s
    /// general rule is https with an OV/EV certificate, §9.5).
    pub callback: Option<Url>,
    /// The `interval` the sandbox announces and enforces, in seconds.
    pub interval: u64,
}

impl Default for CibaOptions {
    fn default() -> Self {
        CibaOptions {
            delivery: DeliveryMode::Poll,
            callback: None,
            interval: crate::itsme::ciba::DEFAULT_INTERVAL,
        }
    }
}

impl CibaOptions {
    /// Checks that ping mode has a callback the sandbox may call.
    pub fn check(&self) -> Result<(), String> {
        match (&self.delivery, &self.callback) {
            (DeliveryMode::Ping, None) => Err(
                "ping delivery needs a callback URL (--ciba-callback), where the sandbox POSTs the ping".into(),
            ),
            (_, Some(url)) => crate::oidc::endpoints::fetch_url(url.as_str(), "the CIBA callback")
                .map(|_| ())
                .map_err(|e| format!("{e}: {}", e.hint())),
            _ => Ok(()),
        }
    }
}

struct Session {
    client_id: String,
    created: Instant,
    last_call: Instant,
    qr_issued: Instant,
    qr_base64: String,
    qr_expires_at: i64,
    identifier_token: Option<String>,
}

struct IdentifierToken {
    client_id: String,
    persona: &'static Persona,
    issued: Instant,
    used: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Status {
    Pending,
    Approved,
    Denied,
}

struct Pending {
    client_id: String,
    request: BackchannelRequest,
    persona: &'static Persona,
    phone_id: String,
    status: Status,
    created: Instant,
    expires_in: u64,
    interval: u64,
    last_poll: Instant,
    notification_token: Option<String>,
}

/// What the sandbox remembers of CIBA.
#[derive(Default)]
pub(super) struct CibaState {
    sessions: HashMap<String, Session>,
    qr_tokens: HashMap<String, (String, i64)>,
    identifier_tokens: HashMap<String, IdentifierToken>,
    requests: HashMap<String, Pending>,
}

impl CibaState {
    /// Drops what has expired, and the oldest beyond [`MAX_KEPT`].
    fn prune(&mut self) {
        // Kept 5 minutes past the limit, so that a late poll hears why (400, polled too long).
        let kept = Duration::from_secs(DISCOVERY_REFUSED_AFTER + 300);
        self.sessions.retain(|_, s| s.created.elapsed() <= kept);
        let unix = now();
        self.qr_tokens.retain(|_, (_, expires)| *expires >= unix);
        self.identifier_tokens
            .retain(|_, t| t.issued.elapsed() <= IDENTIFIER_TOKEN_LIFETIME);
        self.requests
            .retain(|_, r| r.created.elapsed() <= Duration::from_secs(r.expires_in + 60));
        drop_oldest(&mut self.sessions, |s| s.created);
        drop_oldest(&mut self.requests, |r| r.created);
    }
}

fn drop_oldest<T>(map: &mut HashMap<String, T>, created: impl Fn(&T) -> Instant) {
    while map.len() >= MAX_KEPT {
        let Some(oldest) = map
            .iter()
            .min_by_key(|(_, v)| created(v))
            .map(|(k, _)| k.clone())
        else {
            return;
        };
        map.remove(&oldest);
    }
}

/// The CIBA faults (`--fault`): `ciba-token:ERROR`, `backchannel:ERROR` (and the bare
/// `expired_login_hint_token`, `unknown_user_id`), `discovery:429|400|401`; each the next answer
/// of its endpoint. `None` when the spec is no CIBA fault.
pub(super) fn parse_fault(spec: &str) -> Result<Option<Fault>, FaultError> {
    let fail = |endpoint: &str, error: CibaError| {
        Ok(Some(Fault::FailNext {
            endpoint: endpoint.into(),
            error: error.as_str().into(),
        }))
    };
    let documented = |stage: CibaStage, endpoint: &'static str, code: &str| {
        let known: Vec<CibaError> = KNOWN
            .iter()
            .filter(|(s, _)| *s == stage)
            .map(|(_, c)| *c)
            .collect();
        match known.iter().find(|c| c.as_str() == code) {
            Some(error) => fail(endpoint, *error),
            None => Err(FaultError::NotDocumented {
                spec: spec.into(),
                endpoint,
                known: known
                    .iter()
                    .map(|c| format!("`{c}`"))
                    .collect::<Vec<_>>()
                    .join(", "),
            }),
        }
    };
    match spec {
        "expired_login_hint_token" => return fail("backchannel", CibaError::ExpiredLoginHintToken),
        "unknown_user_id" => return fail("backchannel", CibaError::UnknownUserId),
        _ => {}
    }
    match spec.split_once(':') {
        Some(("ciba-token", code)) => documented(CibaStage::Token, "ciba-token", code),
        Some(("backchannel", code)) => documented(CibaStage::Backchannel, "backchannel", code),
        Some(("discovery", status)) => match status
            .parse::<u16>()
            .ok()
            .and_then(CibaError::from_discovery_status)
        {
            Some(error) => fail("discovery", error),
            None => Err(FaultError::NotDocumented {
                spec: spec.into(),
                endpoint: "discovery",
                known: "`429`, `400`, `401`".into(),
            }),
        },
        _ => Ok(None),
    }
}

/// Whether a token request is the CIBA grant (its `grant_type`, read before anything else).
pub(super) fn is_ciba_grant(form: &[(String, String)]) -> bool {
    form.iter()
        .any(|(name, value)| name == "grant_type" && value == GRANT_TYPE)
}

/// An error answer at `stage`, in that stage's body shape (§9.8.9).
fn error(stage: CibaStage, code: CibaError, text: impl Into<String>) -> Answer {
    let body = ErrorBody {
        error: code.as_str().into(),
        text: Some(text.into()),
        link: None,
    };
    json_answer(code.status(stage), &body.to_json(stage))
}

/// Authenticates a CIBA call: private_key_jwt only (§9.1), with the documented `aud`.
fn authenticate<'p>(
    form: &Map<String, Value>,
    provider: &'p Provider,
    state: &mut State,
    endpoint: CibaEndpoint,
    stage: CibaStage,
) -> Result<&'p Client, Answer> {
    let unauthenticated = match stage {
        CibaStage::Discovery => CibaError::DiscoveryUnauthorized,
        _ => CibaError::InvalidClient,
    };
    if form.contains_key("client_secret") || !form.contains_key("client_assertion") {
        return Err(error(
            stage,
            unauthenticated,
            "CIBA accepts private_key_jwt only: send `client_assertion_type` and `client_assertion` (docs/itsme-facts.md#ciba-overview); a client secret is not supported",
        ));
    }
    let audience = endpoint
        .route(&provider.issuer, None)
        .documented_audience
        .unwrap_or_default();
    // The documented `aud` of this endpoint (PROTOCOL §9.1) plays the token endpoint's part: the
    // sandbox's `--assertion-aud` mode decides whether the issuer (RFC 10070) is accepted too.
    let audiences = tokens::AssertionAudiences {
        issuer: &provider.issuer,
        token_endpoint: &audience,
        accepted: provider.assertion_aud,
    };
    tokens::authenticate(
        form,
        &provider.clients,
        &audiences,
        now(),
        &mut state.seen_jti,
    )
    .map_err(|e| {
        let code = match (stage, e.error) {
            (CibaStage::Discovery, _) => CibaError::DiscoveryUnauthorized,
            (_, "unauthorized_client") => CibaError::UnauthorizedClient,
            (_, "invalid_request") => CibaError::InvalidRequest,
            _ => CibaError::InvalidClient,
        };
        error(stage, code, e.description)
    })
}

fn form_map(form: &[(String, String)], stage: CibaStage) -> Result<Map<String, Value>, Answer> {
    tokens::unique_params(form).map_err(|why| {
        let code = match stage {
            CibaStage::Discovery => CibaError::DiscoverySessionExpired,
            _ => CibaError::InvalidRequest,
        };
        error(stage, code, why)
    })
}

/// The URL the QR code encodes: the phone page of one QR token.
fn phone_url(provider: &Provider, token: &str) -> String {
    format!("{}/ciba/phone/{token}", provider.issuer)
}

/// A new QR code for `session` (its token registered for the phone page).
fn new_qr(
    provider: &Provider,
    ciba: &mut CibaState,
    session_id: &str,
) -> Result<(String, String, i64), String> {
    let token = tokens::random_token(16);
    let qr = super::qr::qr_jpeg_base64(&phone_url(provider, &token))?;
    let expires_at = now() + QR_LIFETIME;
    ciba.qr_tokens
        .insert(token.clone(), (session_id.to_string(), expires_at));
    Ok((token, qr, expires_at))
}

fn session_answer(id: &str, session: &Session, interval: u64) -> Value {
    let discovered = session.identifier_token.is_some();
    answers::discovery_json(&DiscoveryAnswer {
        session_id: id.to_string(),
        status: if discovered {
            DiscoveryStatus::Discovered
        } else {
            DiscoveryStatus::Pending
        },
        qr_code: (!discovered).then(|| session.qr_base64.clone()),
        expires_at: (!discovered)
            .then(|| crate::timefmt::rfc3339(session.qr_expires_at))
            .flatten(),
        interval: Some(interval),
        user_identifier_token: session.identifier_token.clone(),
        notes: Vec::new(),
    })
}

/// What both discovery calls do first (§9.2): read the form, authenticate the client with the
/// `aud` documented for `endpoint`, and answer an injected `discovery` fault.
fn discovery_call<'p>(
    form: &[(String, String)],
    provider: &'p Provider,
    endpoint: CibaEndpoint,
) -> Result<(std::sync::MutexGuard<'p, State>, &'p Client), Answer> {
    let stage = CibaStage::Discovery;
    let form = form_map(form, stage)?;
    let mut state = lock(provider);
    let client = authenticate(&form, provider, &mut state, endpoint, stage)?;
    if let Some(code) = take_fault(&mut state, "discovery") {
        return Err(error(stage, code, "injected by --fault"));
    }
    Ok((state, client))
}

/// `POST /user_discovery_sessions` (§9.2).
pub(super) fn create_session(form: &[(String, String)], provider: &Provider) -> Answer {
    let stage = CibaStage::Discovery;
    let (mut state, client) =
        match discovery_call(form, provider, CibaEndpoint::CreateDiscoverySession) {
            Ok(opened) => opened,
            Err(answer) => return answer,
        };
    state.ciba.prune();
    let id = tokens::random_token(24);
    let (_, qr_base64, qr_expires_at) = match new_qr(provider, &mut state.ciba, &id) {
        Ok(qr) => qr,
        Err(why) => return error(stage, CibaError::DiscoverySessionExpired, why),
    };
    let session = Session {
        client_id: client.client_id.clone(),
        created: Instant::now(),
        last_call: Instant::now(),
        qr_issued: Instant::now(),
        qr_base64,
        qr_expires_at,
        identifier_token: None,
    };
    let body = session_answer(&id, &session, provider.ciba.interval);
    state.ciba.sessions.insert(id, session);
    json_answer(200, &body)
}

/// `POST /user_discovery_sessions/{id}` (§9.2): 429 sooner than `interval` after the session's
/// last call, 400 once it is older than 15 minutes, a new QR code every 30 s while pending.
pub(super) fn poll_session(id: &str, form: &[(String, String)], provider: &Provider) -> Answer {
    let stage = CibaStage::Discovery;
    let (mut state, client) =
        match discovery_call(form, provider, CibaEndpoint::PollDiscoverySession) {
            Ok(opened) => opened,
            Err(answer) => return answer,
        };
    let interval = Duration::from_secs(provider.ciba.interval);
    let State { ciba, .. } = &mut *state;
    let Some(session) = ciba
        .sessions
        .get_mut(id)
        .filter(|s| s.client_id == client.client_id)
    else {
        return error(
            stage,
            CibaError::DiscoverySessionExpired,
            "Authentication request not valid: no discovery session of this client has this id",
        );
    };
    if session.created.elapsed() > Duration::from_secs(DISCOVERY_REFUSED_AFTER) {
        return error(
            stage,
            CibaError::DiscoverySessionExpired,
            "Authentication request not valid: this discovery session was polled for more than 15 minutes",
        );
    }
    if session.last_call.elapsed() < interval {
        return error(
            stage,
            CibaError::DiscoveryRateLimited,
            format!(
                "Too many requests: poll this session at most every {} s",
                interval.as_secs()
            ),
        );
    }
    session.last_call = Instant::now();
    if session.identifier_token.is_none() {
        if let Some(persona) = provider.approve {
            let token = tokens::random_token(32);
            ciba.identifier_tokens.insert(
                token.clone(),
                IdentifierToken {
                    client_id: client.client_id.clone(),
                    persona,
                    issued: Instant::now(),
                    used: false,
                },
            );
            session.identifier_token = Some(token);
        } else if session.qr_issued.elapsed() >= QR_REFRESH {
            // A dynamic QR code: any pending answer may carry a new one (§9.2).
            let token = tokens::random_token(16);
            match super::qr::qr_jpeg_base64(&phone_url(provider, &token)) {
                Ok(qr) => {
                    let expires_at = now() + QR_LIFETIME;
                    ciba.qr_tokens
                        .insert(token.clone(), (id.to_string(), expires_at));
                    session.qr_base64 = qr;
                    session.qr_issued = Instant::now();
                    session.qr_expires_at = expires_at;
                }
                Err(why) => return error(stage, CibaError::DiscoverySessionExpired, why),
            }
        }
    }
    json_answer(200, &session_answer(id, session, provider.ciba.interval))
}

fn take_fault(state: &mut State, endpoint: &str) -> Option<CibaError> {
    state
        .take_failure(endpoint)
        .and_then(|code| CibaError::from_code(&code))
}

/// The parameters a backchannel request may carry outside `request` (§9.3).
const BACKCHANNEL_FORM: [&str; 4] = [
    "request",
    "client_assertion_type",
    "client_assertion",
    "client_id",
];

/// `POST /backchannel/authentication` (§9.3).
pub(super) fn backchannel(form: &[(String, String)], provider: &Provider) -> Answer {
    let stage = CibaStage::Backchannel;
    let form = match form_map(form, stage) {
        Ok(form) => form,
        Err(answer) => return answer,
    };
    let mut state = lock(provider);
    let client = match authenticate(
        &form,
        provider,
        &mut state,
        CibaEndpoint::Backchannel,
        stage,
    ) {
        Ok(client) => client,
        Err(answer) => return answer,
    };
    let ClientAuth::PrivateKeyJwt(client_keys) = &client.auth else {
        return error(
            stage,
            CibaError::UnauthorizedClient,
            "CIBA is for private_key_jwt clients only",
        );
    };
    if let Some(code) = take_fault(&mut state, "backchannel") {
        return error(stage, code, "injected by --fault");
    }
    let outside: Vec<&str> = form
        .keys()
        .map(String::as_str)
        .filter(|name| !BACKCHANNEL_FORM.contains(name))
        .collect();
    if !outside.is_empty() {
        return error(
            stage,
            CibaError::InvalidRequest,
            format!(
                "plain form parameters are not supported ({}): put every parameter in the signed request object `request` (docs/itsme-facts.md#ciba-backchannel)",
                outside.join(", ")
            ),
        );
    }
    let Some(object) = form.get("request").and_then(Value::as_str) else {
        return error(
            stage,
            CibaError::InvalidRequest,
            "`request` is missing: send a signed request object (docs/itsme-facts.md#ciba-backchannel)",
        );
    };
    let opened = {
        let context = ProviderContext {
            issuer: &provider.issuer,
            decrypter: &provider.decrypter,
            now: now(),
            seen_request_objects: &mut state.seen_request_objects,
            legacy_authorize: None,
        };
        authorize::open_request_object(object, client, &context)
    };
    let opened = match opened {
        Ok(opened) => opened,
        Err(why) => return error(stage, CibaError::InvalidRequest, why),
    };
    let is_confirmation = |code: &str| {
        client
            .service(code)
            .is_some_and(|s| s.kind == ServiceKind::Confirmation)
    };
    let checked = request::check_backchannel_request(
        &opened.claims,
        &RequestContext {
            client_id: &client.client_id,
            issuer: &provider.issuer,
            delivery: provider.ciba.delivery,
            client_keys: Some(client_keys),
            is_confirmation: &is_confirmation,
        },
    );
    if let Some(finding) = checked.first_error() {
        return error(
            stage,
            finding.error,
            format!("{} ({})", finding.message, finding.code),
        );
    }
    let warnings: Vec<String> = checked
        .warnings()
        .map(|f| format!("{}: {}", f.code, f.message))
        .collect();
    let Some(request) = checked.request else {
        return error(
            stage,
            CibaError::InvalidRequest,
            "the request object was refused",
        );
    };
    if client.service(&request.service).is_none() {
        return error(
            stage,
            CibaError::InvalidScope,
            format!(
                "`service:{}` is not a service of `{}`",
                request.service, client.client_id
            ),
        );
    }
    let persona = match resolve_user(&mut state.ciba, &request.hint.hint, &client.client_id) {
        Ok(persona) => persona,
        Err((code, why)) => return error(stage, code, why),
    };
    if let Err(why) =
        authorize::remember_request_object(opened.replay_keys, &mut state.seen_request_objects)
    {
        return error(stage, CibaError::InvalidRequest, why);
    }
    state.ciba.prune();
    let expires_in = request
        .requested_expiry
        .unwrap_or(DEFAULT_EXPIRES_IN)
        .min(MAX_EXPIRES_IN);
    let auth_req_id = tokens::new_code();
    let status = if provider.approve.is_some() {
        Status::Approved
    } else {
        Status::Pending
    };
    let notification_token = request.client_notification_token.clone();
    state.ciba.requests.insert(
        auth_req_id.clone(),
        Pending {
            client_id: client.client_id.clone(),
            request,
            persona,
            phone_id: tokens::random_token(16),
            status,
            created: Instant::now(),
            expires_in,
            interval: provider.ciba.interval,
            last_poll: Instant::now(),
            notification_token: notification_token.clone(),
        },
    );
    drop(state);
    if status == Status::Approved {
        ping(provider, &auth_req_id, notification_token);
    }
    let mut body = answers::backchannel_json(&auth_req_id, expires_in, provider.ciba.interval);
    if !warnings.is_empty()
        && let Some(object) = body.as_object_mut()
    {
        // Not an itsme® member: how the sandbox reports what it accepted with a warning.
        object.insert("sandbox_warnings".into(), json!(warnings));
    }
    json_answer(200, &body)
}

/// The persona a hint names: a `user_identifier_token` of this client's discovery, unexpired and
/// unused (then used up), or a `subject_code` that is a persona's `sub` for this client.
fn resolve_user(
    ciba: &mut CibaState,
    hint: &LoginHint,
    client_id: &str,
) -> Result<&'static Persona, (CibaError, String)> {
    match hint {
        LoginHint::UserIdentifierToken(value) => {
            let Some(token) = ciba
                .identifier_tokens
                .get_mut(value)
                .filter(|t| t.client_id == client_id)
            else {
                return Err((
                    CibaError::UnknownUserId,
                    "no discovery session of this client issued this user_identifier_token".into(),
                ));
            };
            if token.used {
                return Err((
                    CibaError::ExpiredLoginHintToken,
                    "this user_identifier_token was already used: it is single-use; run a new discovery".into(),
                ));
            }
            if token.issued.elapsed() > IDENTIFIER_TOKEN_LIFETIME {
                return Err((
                    CibaError::ExpiredLoginHintToken,
                    "this user_identifier_token expired (the sandbox keeps them 10 minutes)".into(),
                ));
            }
            token.used = true;
            Ok(token.persona)
        }
        LoginHint::SubjectCode(sub) => personas::all()
            .iter()
            .find(|p| p.sub_for(client_id) == *sub)
            .ok_or_else(|| {
                (
                    CibaError::UnknownUserId,
                    "this subject_code is not the `sub` of any persona for this client (subs are pairwise)".into(),
                )
            }),
    }
}

/// Sends the ping of a finished request in ping mode (§9.5), on its own thread: `POST` to the
/// callback with `Authorization: Bearer <client_notification_token>` and `{"auth_req_id": …}`.
fn ping(provider: &Provider, auth_req_id: &str, token: Option<String>) {
    let (DeliveryMode::Ping, Some(callback), Some(token)) = (
        provider.ciba.delivery,
        provider.ciba.callback.clone(),
        token,
    ) else {
        return;
    };
    let body = answers::ping_json(auth_req_id);
    std::thread::spawn(move || {
        // What the callback answers is not documented (CIBA Core expects 204); the sandbox reads
        // and ignores it.
        if let Ok(http) = crate::http::Http::new() {
            let _ = http.post_json_bearer(&callback, &token, &body);
        }
    });
}

/// `POST /token` with `grant_type=urn:openid:params:grant-type:ciba` (§9.4).
pub(super) fn token(form: &[(String, String)], provider: &Provider) -> Answer {
    let stage = CibaStage::Token;
    let form = match form_map(form, stage) {
        Ok(form) => form,
        Err(answer) => return answer,
    };
    let mut state = lock(provider);
    let client = match authenticate(&form, provider, &mut state, CibaEndpoint::Token, stage) {
        Ok(client) => client,
        Err(answer) => return answer,
    };
    if form.get("client_id").and_then(Value::as_str).is_none() {
        return error(
            stage,
            CibaError::InvalidRequest,
            "`client_id` is missing: the CIBA token request requires it (docs/itsme-facts.md#ciba-token)",
        );
    }
    let Some(id) = form.get("auth_req_id").and_then(Value::as_str) else {
        return error(stage, CibaError::InvalidRequest, "`auth_req_id` is missing");
    };
    let id = id.to_string();
    if let Some(code) = take_fault(&mut state, "ciba-token") {
        if let Some(pending) = state.ciba.requests.get_mut(&id) {
            match code {
                CibaError::SlowDown => pending.interval += SLOW_DOWN_STEP,
                CibaError::AuthorizationPending => {}
                _ => {
                    state.ciba.requests.remove(&id);
                }
            }
        }
        return error(stage, code, "injected by --fault");
    }
    let Some(pending) = state
        .ciba
        .requests
        .get_mut(&id)
        .filter(|p| p.client_id == client.client_id)
    else {
        return error(
            stage,
            CibaError::InvalidGrant,
            "unknown auth_req_id (or already redeemed, or another client's)",
        );
    };
    if pending.created.elapsed() > Duration::from_secs(pending.expires_in) {
        state.ciba.requests.remove(&id);
        return error(
            stage,
            CibaError::ExpiredToken,
            "the auth_req_id expired: start a new backchannel request",
        );
    }
    if provider.ciba.delivery == DeliveryMode::Poll {
        let since = pending.last_poll.elapsed();
        pending.last_poll = Instant::now();
        if since < Duration::from_secs(pending.interval) {
            pending.interval += SLOW_DOWN_STEP;
            return error(
                stage,
                CibaError::SlowDown,
                format!(
                    "polled {:.1} s after the previous call; wait at least `interval` seconds: now {} s",
                    since.as_secs_f64(),
                    pending.interval
                ),
            );
        }
    }
    match pending.status {
        Status::Pending => error(
            stage,
            CibaError::AuthorizationPending,
            "User has not completed authentication yet.",
        ),
        Status::Denied => {
            state.ciba.requests.remove(&id);
            error(stage, CibaError::AccessDenied, "the user refused")
        }
        Status::Approved => {
            let Some(pending) = state.ciba.requests.remove(&id) else {
                return error(stage, CibaError::InvalidGrant, "unknown auth_req_id");
            };
            issue_tokens(&mut state, provider, client, pending)
        }
    }
}

/// The redirect flow's view of a CIBA request, so that `/userinfo` serves its access token alike.
fn as_authorization(client_id: &str, request: &BackchannelRequest) -> AuthorizationRequest {
    AuthorizationRequest {
        client_id: client_id.to_string(),
        redirect_uri: String::new(),
        state: None,
        nonce: None,
        service: request.service.clone(),
        service_kind: ServiceKind::Authentication,
        scopes: request.scopes.clone(),
        id_token_claims: request.id_token_claims.clone(),
        userinfo_claims: request.userinfo_claims.clone(),
        acr: request.acr,
        code_challenge: None,
        ui_locale: None,
        confirmation: request.confirmation.clone(),
        request_object: true,
        warnings: Vec::new(),
    }
}

fn issue_tokens(
    state: &mut State,
    provider: &Provider,
    client: &Client,
    pending: Pending,
) -> Answer {
    let access_token = tokens::random_token(32);
    let sub = pending.persona.sub_for(&client.client_id);
    let mut claims = tokens::id_token_claims(
        &provider.issuer,
        &client.client_id,
        &sub,
        None,
        &access_token,
        pending.request.acr.uri(),
        now(),
    );
    claims.extend(pending.persona.claims_for(&pending.request.id_token_claims));
    let signer = if state.signing_key_rotated() {
        &provider.rotated_signing_key
    } else {
        &provider.signing_key
    };
    let id_token = match tokens::seal(&Value::Object(claims), signer, client) {
        Ok(token) => token,
        Err(why) => return error(CibaStage::Token, CibaError::InvalidClient, why),
    };
    state.access_tokens.insert(
        access_token.clone(),
        Grant {
            request: as_authorization(&client.client_id, &pending.request),
            persona: pending.persona,
            issued: now(),
            used: false,
            access_token: None,
        },
    );
    json_answer(
        200,
        &json!({
            "access_token": access_token,
            "token_type": state.token_type.as_deref().unwrap_or("Bearer"),
            "expires_in": ACCESS_TOKEN_LIFETIME,
            "id_token": id_token,
        }),
    )
}

/// `GET /ciba/phone/{qr}`: what scanning the QR code opens: pick a persona.
pub(super) fn scan_page(token: &str, provider: &Provider) -> Answer {
    let state = lock(provider);
    let valid = state
        .ciba
        .qr_tokens
        .get(token)
        .filter(|(_, expires)| *expires >= now())
        .and_then(|(session, _)| state.ciba.sessions.get(session).map(|s| (session, s)));
    let Some((_, session)) = valid else {
        return page_answer(
            404,
            &pages::error_page(
                "expired_qr_code",
                "this QR code is unknown or expired: scan the one the partner shows now",
            ),
        );
    };
    if session.identifier_token.is_some() {
        return page_answer(200, &phone_list_page(&state, provider));
    }
    let body = format!(
        "<p class=\"tag\">itsme-cli sandbox: this page stands in for the itsme® app</p>\
         <h1>Scan: <code>{}</code> wants to know who you are</h1>\
         <form method=\"post\" action=\"scan\"><input type=\"hidden\" name=\"qr\" value=\"{}\">\
         <p><label>I am <select name=\"persona\" id=\"persona\">{}</select></label></p>\
         <button type=\"submit\" id=\"scan\">Scan</button></form>",
        html(&session.client_id),
        html(token),
        pages::persona_options()
    );
    page_answer(200, &pages::document("itsme-cli sandbox: scan", &body))
}

/// `POST /ciba/phone/scan`: the persona scanned the QR code; the session is discovered.
pub(super) fn scan(
    form: &[(String, String)],
    origin: Option<String>,
    provider: &Provider,
) -> Answer {
    let refused = |why: &str| page_answer(400, &pages::error_page("invalid_request", why));
    if let Err(why) = pages::check_origin(origin.as_deref(), &provider.issuer) {
        return refused(&why);
    }
    let form = match tokens::unique_params(form) {
        Ok(form) => form,
        Err(why) => return refused(&why),
    };
    let field = |name: &str| form.get(name).and_then(Value::as_str).unwrap_or("");
    let Some(persona) = personas::find(field("persona")) else {
        return refused(&format!("unknown persona `{}`", field("persona")));
    };
    let mut state = lock(provider);
    let ciba = &mut state.ciba;
    let Some(session_id) = ciba
        .qr_tokens
        .get(field("qr"))
        .filter(|(_, expires)| *expires >= now())
        .map(|(id, _)| id.clone())
    else {
        return refused("this QR code is unknown or expired: scan the one the partner shows now");
    };
    let Some(session) = ciba.sessions.get_mut(&session_id) else {
        return refused("this discovery session is gone");
    };
    if session.identifier_token.is_none() {
        let token = tokens::random_token(32);
        ciba.identifier_tokens.insert(
            token.clone(),
            IdentifierToken {
                client_id: session.client_id.clone(),
                persona,
                issued: Instant::now(),
                used: false,
            },
        );
        session.identifier_token = Some(token);
    }
    Answer::new(303, Vec::new()).with_header("Location", &format!("{}/ciba/phone", provider.issuer))
}

/// `GET /ciba/phone`: the requests waiting for the user, to approve or deny.
pub(super) fn phone_page(provider: &Provider) -> Answer {
    let state = lock(provider);
    page_answer(200, &phone_list_page(&state, provider))
}

fn phone_list_page(state: &State, provider: &Provider) -> String {
    let mut waiting: Vec<&Pending> = state
        .ciba
        .requests
        .values()
        .filter(|p| p.status == Status::Pending)
        .filter(|p| p.created.elapsed() <= Duration::from_secs(p.expires_in))
        .collect();
    waiting.sort_by_key(|p| p.created);
    let mut body = String::from(
        "<p class=\"tag\">itsme-cli sandbox: this page stands in for the itsme® app</p>",
    );
    if waiting.is_empty() {
        body.push_str(
            "<h1>Nothing to approve yet</h1><p id=\"waiting\">Waiting for the partner's request… (this page reloads itself)</p>",
        );
        let page = pages::document("itsme-cli sandbox: phone", &body);
        // Reload every 2 s until a request comes: a meta refresh, no script.
        return page.replacen(
            "<head>",
            "<head><meta http-equiv=\"refresh\" content=\"2\">",
            1,
        );
    }
    for (n, pending) in waiting.iter().enumerate() {
        let suffix = if n == 0 {
            String::new()
        } else {
            format!("-{}", n + 1)
        };
        body.push_str(&format!(
            "<div class=\"box\"><h1><code>{}</code> asks you to confirm</h1><p>Service <code>{}</code>, as {}</p>",
            html(&pending.client_id),
            html(&pending.request.service),
            html(pending.persona.label)
        ));
        if let Some(confirmation) = &pending.request.confirmation {
            body.push_str(&pages::confirmation_box(confirmation));
        }
        body.push_str(&pages::claims_list(
            &pending
                .request
                .id_token_claims
                .iter()
                .chain(&pending.request.userinfo_claims)
                .collect::<Vec<_>>(),
        ));
        body.push_str(&format!(
            "<form method=\"post\" action=\"{}/ciba/phone/decision\"><input type=\"hidden\" name=\"request\" value=\"{}\">\
             <button type=\"submit\" name=\"decision\" value=\"approve\" id=\"approve{suffix}\">Approve</button>\
             <button type=\"submit\" name=\"decision\" value=\"deny\" id=\"deny{suffix}\">Deny</button></form></div>",
            html(&provider.issuer),
            html(&pending.phone_id)
        ));
    }
    pages::document("itsme-cli sandbox: phone", &body)
}

/// `POST /ciba/phone/decision`: Approve or Deny, from the sandbox's own page only (CSRF).
pub(super) fn phone_decision(
    form: &[(String, String)],
    origin: Option<String>,
    provider: &Provider,
) -> Answer {
    let refused = |why: &str| page_answer(400, &pages::error_page("invalid_request", why));
    if let Err(why) = pages::check_origin(origin.as_deref(), &provider.issuer) {
        return refused(&why);
    }
    let form = match tokens::unique_params(form) {
        Ok(form) => form,
        Err(why) => return refused(&why),
    };
    let field = |name: &str| form.get(name).and_then(Value::as_str).unwrap_or("");
    let approve = match field("decision") {
        "approve" => true,
        "deny" => false,
        other => return refused(&format!("unknown decision `{other}`")),
    };
    let mut state = lock(provider);
    let Some((auth_req_id, pending)) = state
        .ciba
        .requests
        .iter_mut()
        .find(|(_, p)| p.phone_id == field("request") && p.status == Status::Pending)
    else {
        return refused("this request expired or was already answered");
    };
    pending.status = if approve {
        Status::Approved
    } else {
        Status::Denied
    };
    let (id, token) = (auth_req_id.clone(), pending.notification_token.clone());
    drop(state);
    // itsme® does not say whether a denial is pinged (§9.8.11); CIBA Core pings either way.
    ping(provider, &id, token);
    Answer::new(303, Vec::new()).with_header("Location", &format!("{}/ciba/phone", provider.issuer))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ciba_faults() {
        let fail = |endpoint: &str, error: &str| {
            Ok(Some(Fault::FailNext {
                endpoint: endpoint.into(),
                error: error.into(),
            }))
        };
        assert_eq!(
            parse_fault("ciba-token:slow_down"),
            fail("ciba-token", "slow_down")
        );
        assert_eq!(
            parse_fault("ciba-token:expired_token"),
            fail("ciba-token", "expired_token")
        );
        assert_eq!(
            parse_fault("ciba-token:access_denied"),
            fail("ciba-token", "access_denied")
        );
        assert_eq!(
            parse_fault("expired_login_hint_token"),
            fail("backchannel", "expired_login_hint_token")
        );
        assert_eq!(
            parse_fault("unknown_user_id"),
            fail("backchannel", "unknown_user_id")
        );
        assert_eq!(
            parse_fault("discovery:429"),
            fail("discovery", "discovery_rate_limited")
        );
        assert!(matches!(
            parse_fault("ciba-token:expired_login_hint_token"),
            Err(FaultError::NotDocumented { .. })
        ));
        assert!(parse_fault("discovery:500").is_err());
        assert_eq!(parse_fault("token:invalid_grant"), Ok(None));
    }

    #[test]
    fn ping_needs_a_usable_callback() {
        let ping = |callback: Option<&str>| CibaOptions {
            delivery: DeliveryMode::Ping,
            callback: callback.map(|c| Url::parse(c).unwrap()),
            interval: 1,
        };
        assert!(ping(None).check().is_err());
        assert!(ping(Some("http://127.0.0.1:9/cb")).check().is_ok());
        assert!(ping(Some("https://partner.example/cb")).check().is_ok());
        assert!(ping(Some("http://partner.example/cb")).check().is_err());
        assert!(CibaOptions::default().check().is_ok());
    }
}
