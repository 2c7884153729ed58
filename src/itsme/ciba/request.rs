//! The claims of a backchannel request object (PROTOCOL §9.3, §9.6): one checker the sandbox
//! answers with and the client checks its own request with, and the builder the client sends.
//! The JWT layer (signature, `exp`/`iat`/`nbf`, replay) is the receiver's; this is the content.

use serde_json::{Map, Value, json};

use super::DeliveryMode;
use super::errors::CibaError;
use super::hint::{self, HintProblem, LoginHint, ReadHint};
use crate::codes::stable_codes;
use crate::itsme::acr::Acr;
use crate::itsme::claims_parameter::{self, RequestedClaims};
use crate::itsme::confirmation::Confirmation;
use crate::itsme::scope::{self, ScopeProblem};

/// The longest `client_notification_token` (PROTOCOL §9.3).
pub const MAX_NOTIFICATION_TOKEN_CHARS: usize = 1024;

/// The least entropy of a `client_notification_token`, estimated (CIBA Core §7.1: at least 128
/// bits, 160 recommended).
pub const MIN_NOTIFICATION_TOKEN_BITS: u32 = 128;

stable_codes! {
    /// What is wrong (or worth a warning) in a backchannel request object.
    pub enum RequestCode {
        /// `scope` is absent or not a string.
        ScopeMissing => "ciba_scope_missing",
        /// `scope` fails the scope rule (openid, one service, known scopes).
        ScopeInvalid => "ciba_scope_invalid",
        /// No `login_hint_token`.
        HintMissing => "ciba_login_hint_token_missing",
        /// A `login_hint_token` that cannot be read.
        HintInvalid => "ciba_login_hint_token_invalid",
        /// `id_token_hint` or `login_hint`, which itsme® does not support.
        HintUnsupported => "ciba_hint_unsupported",
        /// `acr_values` that is not a string.
        AcrInvalid => "ciba_acr_values_invalid",
        /// `acr_values` names no itsme® level: basic applies.
        AcrUnknown => "ciba_acr_values_unknown",
        /// `requested_expiry` that is not a positive integer.
        ExpiryInvalid => "ciba_requested_expiry_invalid",
        /// `requested_expiry` as a string of digits rather than a number.
        ExpiryAsString => "ciba_requested_expiry_string",
        /// Ping mode without `client_notification_token`.
        NotificationTokenMissing => "ciba_notification_token_missing",
        /// A `client_notification_token` too long or outside RFC 6750's b64token syntax.
        NotificationTokenInvalid => "ciba_notification_token_invalid",
        /// A `client_notification_token` of less than 128 bits, estimated.
        NotificationTokenWeak => "ciba_notification_token_weak",
        /// A `client_notification_token` in poll mode, where it is not used.
        NotificationTokenInPoll => "ciba_notification_token_in_poll",
        /// `claims` that is not a JSON object (or a JSON string of one) of the right shape.
        ClaimsInvalid => "ciba_claims_invalid",
        /// `claims` as a JSON string rather than an object.
        ClaimsAsString => "ciba_claims_string",
        /// A Confirmation without a template, or with a bad one.
        TemplateInvalid => "ciba_confirmation_template_invalid",
        /// `client_id` differs from the authenticated client.
        ClientIdMismatch => "ciba_client_id_mismatch",
        /// `client_id` absent (the table requires it, the example omits it).
        ClientIdMissing => "ciba_client_id_missing",
        /// `iss` is not the client_id.
        IssMismatch => "ciba_iss_mismatch",
        /// `aud` is not the issuer.
        AudMismatch => "ciba_aud_mismatch",
        /// A CIBA Core parameter itsme® never mentions (`binding_message`, `user_code`).
        Undocumented => "ciba_undocumented_parameter",
    }
}

/// How much a finding weighs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// The request is refused.
    Error,
    /// Accepted, but worth fixing.
    Warning,
}

/// One finding about a request object.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct RequestFinding {
    /// Which rule.
    pub code: RequestCode,
    /// Refused or accepted with a warning.
    pub severity: Severity,
    /// The OAuth `error` a provider answers for it (errors only matter).
    pub error: CibaError,
    /// What is wrong and how to fix it.
    pub message: String,
}

/// What the checker needs besides the claims.
pub struct RequestContext<'a> {
    /// The authenticated client.
    pub client_id: &'a str,
    /// The provider's issuer (the request object's `aud`).
    pub issuer: &'a str,
    /// The service's delivery mode.
    pub delivery: DeliveryMode,
    /// The client's keys, to verify an RS256 `login_hint_token`; `None` to skip that.
    pub client_keys: Option<&'a crate::jose::keys::PublicKeySet>,
    /// Whether a service code is a Confirmation service (which needs a template, §9.6).
    pub is_confirmation: &'a dyn Fn(&str) -> bool,
}

/// A request object whose content passed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BackchannelRequest {
    /// The service code of `service:<CODE>`.
    pub service: String,
    /// Every scope.
    pub scopes: Vec<String>,
    /// The user, and the form the hint came in.
    pub hint: ReadHint,
    /// The level asked (basic unless `acr_values` names advanced).
    pub acr: Acr,
    /// `requested_expiry`, seconds.
    pub requested_expiry: Option<u64>,
    /// `client_notification_token` (ping).
    pub client_notification_token: Option<String>,
    /// The claims asked, per member, template members left out.
    pub id_token_claims: Vec<String>,
    /// Userinfo claims: the scopes' and `claims.userinfo`'s, template members left out.
    pub userinfo_claims: Vec<String>,
    /// The Confirmation template, when there is one.
    pub confirmation: Option<Confirmation>,
}

/// The result of [`check_backchannel_request`]: every finding, and the request when no finding
/// is an error.
#[derive(Debug, Clone)]
pub struct Checked {
    /// Every finding, errors and warnings, in claim order.
    pub findings: Vec<RequestFinding>,
    /// The request, when it passed.
    pub request: Option<BackchannelRequest>,
}

impl Checked {
    /// The first error: what a provider answers.
    pub fn first_error(&self) -> Option<&RequestFinding> {
        self.findings.iter().find(|f| f.severity == Severity::Error)
    }

    /// The warnings.
    pub fn warnings(&self) -> impl Iterator<Item = &RequestFinding> {
        self.findings
            .iter()
            .filter(|f| f.severity == Severity::Warning)
    }
}

struct Findings(Vec<RequestFinding>);

impl Findings {
    fn error(&mut self, code: RequestCode, error: CibaError, message: impl Into<String>) {
        self.0.push(RequestFinding {
            code,
            severity: Severity::Error,
            error,
            message: message.into(),
        });
    }

    fn warn(&mut self, code: RequestCode, message: impl Into<String>) {
        self.0.push(RequestFinding {
            code,
            severity: Severity::Warning,
            error: CibaError::InvalidRequest,
            message: message.into(),
        });
    }
}

/// Checks the claims of a backchannel request object (PROTOCOL §9.3, §9.6, §9.8):
/// - `iss` = client_id; `aud` = the issuer (the example's value; CIBA Core §7.1.1);
/// - `client_id`, when present, the authenticated client; absent is a warning (§9.8.5);
/// - `scope` with `openid` and one `service:<CODE>` (`invalid_scope`);
/// - `login_hint_token` required, in either shape ([`hint::read`]); `id_token_hint` and
///   `login_hint` refused (NOT SUPPORTED);
/// - `acr_values` a string; unknown levels are ignored with a warning, the stricter applies;
/// - `requested_expiry` a positive integer (a string of digits is accepted with a warning, as
///   CIBA Core form parameters are strings);
/// - `client_notification_token` required in ping, ≤ 1024 characters, RFC 6750 b64token syntax,
///   ≥ 128 bits estimated (a warning: only the client can know); in poll a warning ([C-old]
///   says "NOT SUPPORTED IN POLL", the current page says nothing: accepted and ignored);
/// - `claims` a JSON object, or a JSON string of one (a warning, §9.8.6);
/// - a Confirmation service needs a valid template ([`Confirmation::from_claims`]) in `claims`
///   (`userinfo` as in §7, or `id_token`: §9.6 leaves the member open, both are read);
/// - `binding_message`/`user_code` are mentioned nowhere: warned and ignored.
pub fn check_backchannel_request(claims: &Map<String, Value>, ctx: &RequestContext<'_>) -> Checked {
    let mut findings = Findings(Vec::new());
    let string = |name: &str| claims.get(name).and_then(Value::as_str);
    if string("iss") != Some(ctx.client_id) {
        findings.error(
            RequestCode::IssMismatch,
            CibaError::InvalidRequest,
            format!(
                "the request object's `iss` must be the client_id `{}`",
                ctx.client_id
            ),
        );
    }
    let aud_ok = match claims.get("aud") {
        Some(Value::String(aud)) => aud == ctx.issuer,
        Some(Value::Array(list)) => list.iter().any(|a| a.as_str() == Some(ctx.issuer)),
        _ => false,
    };
    if !aud_ok {
        findings.error(
            RequestCode::AudMismatch,
            CibaError::InvalidRequest,
            format!("the request object's `aud` must be the issuer `{}` (PROTOCOL §9.3's example, CIBA Core §7.1.1)", ctx.issuer),
        );
    }
    match claims.get("client_id") {
        None => findings.warn(
            RequestCode::ClientIdMissing,
            "the request object has no `client_id`: itsme®'s table requires it although its example omits it (PROTOCOL §9.8.5); add it",
        ),
        Some(id) if id.as_str() == Some(ctx.client_id) => {}
        Some(id) => findings.error(
            RequestCode::ClientIdMismatch,
            CibaError::InvalidRequest,
            format!("the request object's `client_id` {id} is not the authenticated client `{}`", ctx.client_id),
        ),
    }
    let scope = check_scope(claims, &mut findings);
    let hint = check_hint(claims, ctx, &mut findings);
    let acr = check_acr(claims, &mut findings);
    let requested_expiry = check_expiry(claims, &mut findings);
    let client_notification_token = check_notification_token(claims, ctx.delivery, &mut findings);
    let requested = check_claims(claims, &mut findings);
    for name in ["binding_message", "user_code"] {
        if claims.contains_key(name) {
            findings.warn(
                RequestCode::Undocumented,
                format!("`{name}` is a CIBA Core parameter itsme® mentions nowhere (PROTOCOL §9.3): it is ignored"),
            );
        }
    }
    let confirmation = match (&scope, &requested) {
        (Some(scope), Some(requested)) if (ctx.is_confirmation)(&scope.service) => {
            match Confirmation::from_claims(&requested.template) {
                Ok(template) => Some(template),
                Err(why) => {
                    findings.error(
                        RequestCode::TemplateInvalid,
                        CibaError::InvalidRequest,
                        format!(
                            "`service:{}` is a Confirmation service: {why} (PROTOCOL §9.6)",
                            scope.service
                        ),
                    );
                    None
                }
            }
        }
        _ => None,
    };
    let findings = findings.0;
    let request = match (scope, hint, requested) {
        (Some(scope), Some(hint), Some(requested))
            if !findings.iter().any(|f| f.severity == Severity::Error) =>
        {
            let mut userinfo_claims = scope::granted_claims(&scope.scopes);
            for name in &requested.userinfo {
                if !userinfo_claims.contains(name) {
                    userinfo_claims.push(name.clone());
                }
            }
            Some(BackchannelRequest {
                service: scope.service,
                scopes: scope.scopes,
                hint,
                acr,
                requested_expiry,
                client_notification_token,
                id_token_claims: requested
                    .id_token
                    .iter()
                    .filter(|c| !requested.is_template(c))
                    .cloned()
                    .collect(),
                userinfo_claims: userinfo_claims
                    .into_iter()
                    .filter(|c| !requested.is_template(c))
                    .collect(),
                confirmation,
            })
        }
        _ => None,
    };
    Checked { findings, request }
}

fn check_scope(
    claims: &Map<String, Value>,
    findings: &mut Findings,
) -> Option<scope::ServiceScope> {
    let Some(text) = claims.get("scope").and_then(Value::as_str) else {
        findings.error(
            RequestCode::ScopeMissing,
            CibaError::InvalidScope,
            "the request object needs `scope` (a string): `openid service:<CODE>` and the claim scopes; plain form parameters are not read (PROTOCOL §9.3)",
        );
        return None;
    };
    match scope::check(text) {
        Ok(scope) => Some(scope),
        Err(problem) => {
            let extra = match problem {
                ScopeProblem::Unknown(_) => {
                    " (allowed: `profile`, `email`, `address`, `phone`, `idDocument`, `eid`)"
                }
                _ => "",
            };
            findings.error(
                RequestCode::ScopeInvalid,
                CibaError::InvalidScope,
                format!("{problem}{extra}"),
            );
            None
        }
    }
}

fn check_hint(
    claims: &Map<String, Value>,
    ctx: &RequestContext<'_>,
    findings: &mut Findings,
) -> Option<ReadHint> {
    for name in ["id_token_hint", "login_hint"] {
        if claims.contains_key(name) {
            findings.error(
                RequestCode::HintUnsupported,
                CibaError::InvalidRequest,
                format!(
                    "`{name}` is not supported by itsme®: send `login_hint_token` (PROTOCOL §9.3)"
                ),
            );
        }
    }
    let Some(claim) = claims.get("login_hint_token") else {
        findings.error(
            RequestCode::HintMissing,
            CibaError::InvalidRequest,
            "the request object needs `login_hint_token`: the `user_identifier_token` of a discovery session, or a `subject_code` (PROTOCOL §9.3)",
        );
        return None;
    };
    match hint::read(claim, ctx.client_keys) {
        Ok(read) => Some(read),
        Err(problem) => {
            // A hint naming a type itsme® does not know names no user it can find.
            let error = match problem {
                HintProblem::Shape(_) => CibaError::UnknownUserId,
                _ => CibaError::InvalidRequest,
            };
            findings.error(RequestCode::HintInvalid, error, problem.to_string());
            None
        }
    }
}

fn check_acr(claims: &Map<String, Value>, findings: &mut Findings) -> Acr {
    match claims.get("acr_values") {
        None => Acr::Basic,
        Some(Value::String(values)) => Acr::strictest_of(values).unwrap_or_else(|| {
            findings.warn(
                RequestCode::AcrUnknown,
                format!(
                    "`acr_values` `{values}` names no itsme® level; basic applies (use {} or {})",
                    Acr::Basic.uri(),
                    Acr::Advanced.uri()
                ),
            );
            Acr::Basic
        }),
        Some(other) => {
            findings.error(
                RequestCode::AcrInvalid,
                CibaError::InvalidRequest,
                format!("`acr_values` must be a space-separated string, not {other}"),
            );
            Acr::Basic
        }
    }
}

fn check_expiry(claims: &Map<String, Value>, findings: &mut Findings) -> Option<u64> {
    let value = claims.get("requested_expiry")?;
    let invalid = |findings: &mut Findings| {
        findings.error(
            RequestCode::ExpiryInvalid,
            CibaError::InvalidRequest,
            format!("`requested_expiry` must be a positive integer of seconds, not {value}"),
        );
        None
    };
    match value {
        Value::Number(n) => match n.as_u64().filter(|s| *s > 0) {
            Some(seconds) => Some(seconds),
            None => invalid(findings),
        },
        Value::String(s) => match s.parse::<u64>().ok().filter(|s| *s > 0) {
            Some(seconds) if s.bytes().all(|b| b.is_ascii_digit()) => {
                findings.warn(
                    RequestCode::ExpiryAsString,
                    "`requested_expiry` is a string; inside a request object send a JSON number",
                );
                Some(seconds)
            }
            _ => invalid(findings),
        },
        _ => invalid(findings),
    }
}

/// Why a `client_notification_token` is refused, by CIBA Core §7.1 and PROTOCOL §9.3: too long,
/// or outside RFC 6750 §2.1's `b64token` syntax (`1*( ALPHA / DIGIT / "-" / "." / "_" / "~" /
/// "+" / "/" ) *"="`).
pub fn notification_token_problem(token: &str) -> Option<String> {
    let chars = token.chars().count();
    if chars > MAX_NOTIFICATION_TOKEN_CHARS {
        return Some(format!(
            "the `client_notification_token` has {chars} characters; at most {MAX_NOTIFICATION_TOKEN_CHARS} are allowed (PROTOCOL §9.3)"
        ));
    }
    let body = token.trim_end_matches('=');
    let b64 =
        |b: u8| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~' | b'+' | b'/');
    if body.is_empty() || !body.bytes().all(b64) {
        return Some(
            "the `client_notification_token` must follow RFC 6750's bearer syntax: letters, digits, `-._~+/`, then optional `=` padding".into(),
        );
    }
    None
}

/// The entropy of a token, estimated from its length and the smallest alphabet its characters
/// come from (digits, hex, lower-case letters and digits, letters and digits, or all of
/// RFC 6750's 66 characters): an upper bound, enough to catch a short or counter-like token.
pub fn estimated_bits(token: &str) -> u32 {
    let body = token.trim_end_matches('=');
    let all = |f: fn(u8) -> bool| body.bytes().all(f);
    let alphabet: f64 = if all(|b| b.is_ascii_digit()) {
        10.0
    } else if all(|b| b.is_ascii_hexdigit()) {
        16.0
    } else if all(|b| b.is_ascii_lowercase() || b.is_ascii_digit()) {
        36.0
    } else if all(|b| b.is_ascii_alphanumeric()) {
        62.0
    } else {
        66.0
    };
    let distinct = {
        let mut seen = [false; 256];
        body.bytes().for_each(|b| seen[b as usize] = true);
        seen.iter().filter(|s| **s).count()
    };
    // One repeated character carries no entropy whatever the length.
    if distinct <= 1 {
        return 0;
    }
    (body.len() as f64 * alphabet.log2()).floor() as u32
}

fn check_notification_token(
    claims: &Map<String, Value>,
    delivery: DeliveryMode,
    findings: &mut Findings,
) -> Option<String> {
    let token = match (claims.get("client_notification_token"), delivery) {
        (None, DeliveryMode::Poll) => return None,
        (None, DeliveryMode::Ping) => {
            findings.error(
                RequestCode::NotificationTokenMissing,
                CibaError::InvalidRequest,
                "this service delivers by ping: the request object needs `client_notification_token` (PROTOCOL §9.3, §9.5)",
            );
            return None;
        }
        (Some(Value::String(token)), _) => token.clone(),
        (Some(other), _) => {
            findings.error(
                RequestCode::NotificationTokenInvalid,
                CibaError::InvalidRequest,
                format!(
                    "`client_notification_token` must be a string, not {}",
                    crate::jose::compact::json_kind(other)
                ),
            );
            return None;
        }
    };
    if delivery == DeliveryMode::Poll {
        findings.warn(
            RequestCode::NotificationTokenInPoll,
            "`client_notification_token` in poll mode is not used (an older itsme® page says NOT SUPPORTED IN POLL, PROTOCOL §9.8.10): it is ignored",
        );
        return None;
    }
    if let Some(why) = notification_token_problem(&token) {
        findings.error(
            RequestCode::NotificationTokenInvalid,
            CibaError::InvalidRequest,
            why,
        );
        return None;
    }
    let bits = estimated_bits(&token);
    if bits < MIN_NOTIFICATION_TOKEN_BITS {
        findings.warn(
            RequestCode::NotificationTokenWeak,
            format!("the `client_notification_token` carries about {bits} bits; CIBA Core §7.1 asks for at least {MIN_NOTIFICATION_TOKEN_BITS} (160 recommended): 32 random bytes in base64url"),
        );
    }
    Some(token)
}

fn check_claims(claims: &Map<String, Value>, findings: &mut Findings) -> Option<RequestedClaims> {
    let parsed = match claims.get("claims") {
        None => Ok(RequestedClaims::default()),
        Some(Value::String(text)) => {
            findings.warn(
                RequestCode::ClaimsAsString,
                "`claims` is a JSON string; inside a request object send the JSON object itself (PROTOCOL §9.8.6)",
            );
            claims_parameter::parse_text(text)
        }
        Some(value) => claims_parameter::parse(value),
    };
    parsed
        .map_err(|why| {
            findings.error(
                RequestCode::ClaimsInvalid,
                CibaError::InvalidRequest,
                format!("{why} (itsme®'s own example `{{id_token:{{name:null}}}}` is not JSON either: quote the names)"),
            )
        })
        .ok()
}

/// What the client asks for in a backchannel request.
#[derive(Debug, Clone)]
pub struct BackchannelSpec {
    /// The client_id.
    pub client_id: String,
    /// The provider's issuer (`aud`).
    pub issuer: String,
    /// The service code.
    pub service_code: String,
    /// Scopes besides `openid` and the service.
    pub scopes: Vec<String>,
    /// The `login_hint_token` claim, from [`LoginHint::to_claim`].
    pub login_hint_token: Value,
    /// `acr_values`.
    pub acr: Option<Acr>,
    /// `requested_expiry`, seconds.
    pub requested_expiry: Option<u64>,
    /// `client_notification_token` (ping only).
    pub client_notification_token: Option<String>,
    /// The `claims` object (`{"id_token": …, "userinfo": …}`), without a template.
    pub claims: Option<Value>,
    /// A Confirmation template, added to `claims.userinfo` (§7's member; §9.6 names none).
    pub confirmation: Option<Confirmation>,
    /// A fresh `jti`.
    pub jti: String,
}

/// How long a built request object is valid.
pub const REQUEST_LIFETIME: i64 = 300;

/// The claims of the request object for `spec` at `now`: `iss`, `aud` (the issuer), `client_id`,
/// `scope`, `login_hint_token`, the optional parameters, and NumericDate `iat`, `nbf`, `exp`
/// (the example's quoted strings are not valid JWT claims, §9.8.6) with `jti`. Sign it RS256 with
/// the client's `sig` key; it is not encrypted (§9.3 mentions no encryption).
pub fn build_backchannel_claims(spec: &BackchannelSpec, now: i64) -> Map<String, Value> {
    let mut scope = vec![
        "openid".to_string(),
        format!("service:{}", spec.service_code),
    ];
    scope.extend(
        spec.scopes
            .iter()
            .filter(|s| *s != "openid" && !s.starts_with("service:"))
            .cloned(),
    );
    let mut claims = Map::new();
    let mut put = |name: &str, value: Value| {
        claims.insert(name.into(), value);
    };
    put("iss", json!(spec.client_id));
    put("aud", json!(spec.issuer));
    put("client_id", json!(spec.client_id));
    put("scope", json!(scope.join(" ")));
    put("login_hint_token", spec.login_hint_token.clone());
    if let Some(acr) = spec.acr {
        put("acr_values", json!(acr.uri()));
    }
    if let Some(expiry) = spec.requested_expiry {
        put("requested_expiry", json!(expiry));
    }
    if let Some(token) = &spec.client_notification_token {
        put("client_notification_token", json!(token));
    }
    let mut object = match &spec.claims {
        Some(Value::Object(object)) => object.clone(),
        _ => Map::new(),
    };
    if let Some(template) = &spec.confirmation {
        let userinfo = object
            .entry("userinfo")
            .or_insert_with(|| Value::Object(Map::new()));
        if let Value::Object(userinfo) = userinfo {
            userinfo.extend(template.claims());
        }
    }
    if !object.is_empty() {
        put("claims", Value::Object(object));
    }
    put("iat", json!(now));
    put("nbf", json!(now));
    put("exp", json!(now + REQUEST_LIFETIME));
    put("jti", json!(spec.jti));
    claims
}

/// Signs the request object's claims RS256 with the client's `sig` key (header `kid`, `typ` JWT).
pub fn sign_backchannel_request(
    claims: &Map<String, Value>,
    key: &crate::jose::keys::PrivateKey,
) -> Result<String, crate::jose::keys::KeyError> {
    crate::jose::crypto::sign_rs256(
        key,
        Some("JWT"),
        Value::Object(claims.clone()).to_string().as_bytes(),
    )
}

/// The user a request names (for reports): the hint's payload.
pub fn hint_summary(hint: &LoginHint) -> Value {
    hint.payload()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::itsme::ciba::hint::HintForm;

    const ISSUER: &str = "https://idp.e2e.itsme.services/v2";

    fn spec() -> BackchannelSpec {
        BackchannelSpec {
            client_id: "partner".into(),
            issuer: ISSUER.into(),
            service_code: "LOGIN".into(),
            scopes: vec!["profile".into()],
            login_hint_token: LoginHint::UserIdentifierToken("uit".into())
                .to_claim(HintForm::JwtNone, None)
                .unwrap(),
            acr: Some(Acr::Advanced),
            requested_expiry: Some(120),
            client_notification_token: None,
            claims: Some(json!({"id_token": {"name": null}})),
            confirmation: None,
            jti: "j1".into(),
        }
    }

    fn check_with(claims: &Map<String, Value>, delivery: DeliveryMode, confirm: bool) -> Checked {
        let is_confirmation = move |_: &str| confirm;
        check_backchannel_request(
            claims,
            &RequestContext {
                client_id: "partner",
                issuer: ISSUER,
                delivery,
                client_keys: None,
                is_confirmation: &is_confirmation,
            },
        )
    }

    fn codes(checked: &Checked) -> Vec<RequestCode> {
        checked.findings.iter().map(|f| f.code).collect()
    }

    #[test]
    fn what_the_builder_makes_passes_the_checker() {
        let claims = build_backchannel_claims(&spec(), 1000);
        let checked = check_with(&claims, DeliveryMode::Poll, false);
        assert!(checked.findings.is_empty(), "{:?}", checked.findings);
        let request = checked.request.unwrap();
        assert_eq!(request.service, "LOGIN");
        assert_eq!(request.acr, Acr::Advanced);
        assert_eq!(request.requested_expiry, Some(120));
        assert_eq!(request.id_token_claims, ["name"]);
        assert!(request.userinfo_claims.iter().any(|c| c == "family_name"));
        assert_eq!(claims["exp"], 1300);
        assert_eq!(claims["scope"], "openid service:LOGIN profile");
    }

    #[test]
    fn a_confirmation_needs_its_template() {
        let mut with = spec();
        with.confirmation = Some(Confirmation::free_text("Pay <b>10</b> EUR").unwrap());
        let claims = build_backchannel_claims(&with, 1000);
        let checked = check_with(&claims, DeliveryMode::Poll, true);
        assert!(checked.findings.is_empty(), "{:?}", checked.findings);
        assert_eq!(checked.request.unwrap().confirmation, with.confirmation);
        let without = check_with(
            &build_backchannel_claims(&spec(), 1000),
            DeliveryMode::Poll,
            true,
        );
        assert_eq!(codes(&without), [RequestCode::TemplateInvalid]);
        assert!(without.request.is_none());
    }

    #[test]
    fn ping_needs_a_good_notification_token() {
        let mut ping = spec();
        let claims = build_backchannel_claims(&ping, 1000);
        let missing = check_with(&claims, DeliveryMode::Ping, false);
        assert_eq!(codes(&missing), [RequestCode::NotificationTokenMissing]);
        ping.client_notification_token = Some("8ZqXn2m3Jp5vRb7sLw9tYc1dFg4hKe6uQa0iOx_-Zk".into());
        let good = check_with(
            &build_backchannel_claims(&ping, 1000),
            DeliveryMode::Ping,
            false,
        );
        assert!(good.findings.is_empty(), "{:?}", good.findings);
        assert!(good.request.unwrap().client_notification_token.is_some());
        let in_poll = check_with(
            &build_backchannel_claims(&ping, 1000),
            DeliveryMode::Poll,
            false,
        );
        assert_eq!(codes(&in_poll), [RequestCode::NotificationTokenInPoll]);
        assert!(in_poll.request.unwrap().client_notification_token.is_none());
        for (token, code) in [
            ("a".repeat(1025), RequestCode::NotificationTokenInvalid),
            ("has space".into(), RequestCode::NotificationTokenInvalid),
            ("====".into(), RequestCode::NotificationTokenInvalid),
            ("12345678".into(), RequestCode::NotificationTokenWeak),
            ("a".repeat(64), RequestCode::NotificationTokenWeak),
        ] {
            ping.client_notification_token = Some(token.clone());
            let checked = check_with(
                &build_backchannel_claims(&ping, 1000),
                DeliveryMode::Ping,
                false,
            );
            assert_eq!(codes(&checked), [code], "{token}");
        }
        assert!(notification_token_problem("abc+/~.-_==").is_none());
        assert!(estimated_bits(&"0123456789abcdef".repeat(2)) == 128);
    }

    #[test]
    fn each_claim_rule_names_its_code() {
        let base = build_backchannel_claims(&spec(), 1000);
        let with = |name: &str, value: Option<Value>| {
            let mut claims = base.clone();
            match value {
                Some(value) => claims.insert(name.into(), value),
                None => claims.remove(name),
            };
            codes(&check_with(&claims, DeliveryMode::Poll, false))
        };
        assert_eq!(with("scope", None), [RequestCode::ScopeMissing]);
        assert_eq!(
            with("scope", Some(json!("openid"))),
            [RequestCode::ScopeInvalid]
        );
        assert_eq!(
            with("scope", Some(json!("openid service:A offline"))),
            [RequestCode::ScopeInvalid]
        );
        assert_eq!(with("login_hint_token", None), [RequestCode::HintMissing]);
        assert_eq!(
            with("login_hint_token", Some(json!("x.y"))),
            [RequestCode::HintInvalid]
        );
        assert_eq!(
            with("login_hint", Some(json!("a@b"))),
            [RequestCode::HintUnsupported]
        );
        assert_eq!(
            with("id_token_hint", Some(json!("e.y.j"))),
            [RequestCode::HintUnsupported]
        );
        assert_eq!(
            with("acr_values", Some(json!(1))),
            [RequestCode::AcrInvalid]
        );
        assert_eq!(
            with("acr_values", Some(json!("loa3"))),
            [RequestCode::AcrUnknown]
        );
        assert_eq!(
            with("requested_expiry", Some(json!(0))),
            [RequestCode::ExpiryInvalid]
        );
        assert_eq!(
            with("requested_expiry", Some(json!(-5))),
            [RequestCode::ExpiryInvalid]
        );
        assert_eq!(
            with("requested_expiry", Some(json!(1.5))),
            [RequestCode::ExpiryInvalid]
        );
        assert_eq!(
            with("requested_expiry", Some(json!("+5"))),
            [RequestCode::ExpiryInvalid]
        );
        assert_eq!(
            with("requested_expiry", Some(json!("60"))),
            [RequestCode::ExpiryAsString]
        );
        assert_eq!(
            with("claims", Some(json!("{id_token:{name:null,gender:null}}"))),
            [RequestCode::ClaimsAsString, RequestCode::ClaimsInvalid]
        );
        assert_eq!(
            with("claims", Some(json!(r#"{"id_token":{"name":null}}"#))),
            [RequestCode::ClaimsAsString]
        );
        assert_eq!(
            with("claims", Some(json!([1]))),
            [RequestCode::ClaimsInvalid]
        );
        assert_eq!(with("client_id", None), [RequestCode::ClientIdMissing]);
        assert_eq!(
            with("client_id", Some(json!("other"))),
            [RequestCode::ClientIdMismatch]
        );
        assert_eq!(
            with("iss", Some(json!("other"))),
            [RequestCode::IssMismatch]
        );
        assert_eq!(
            with("aud", Some(json!(format!("{ISSUER}/token")))),
            [RequestCode::AudMismatch]
        );
        assert_eq!(
            with("binding_message", Some(json!("hi"))),
            [RequestCode::Undocumented]
        );
        let unknown_type = with(
            "login_hint_token",
            Some(json!({"type": "email", "value": "a"})),
        );
        assert_eq!(unknown_type, [RequestCode::HintInvalid]);
    }

    #[test]
    fn errors_carry_the_documented_oauth_error() {
        let mut claims = build_backchannel_claims(&spec(), 1000);
        claims.insert("scope".into(), json!("openid"));
        let checked = check_with(&claims, DeliveryMode::Poll, false);
        assert_eq!(
            checked.first_error().unwrap().error,
            CibaError::InvalidScope
        );
        claims.insert("scope".into(), json!("openid service:LOGIN"));
        claims.insert(
            "login_hint_token".into(),
            json!({"type": "email", "value": "a"}),
        );
        let checked = check_with(&claims, DeliveryMode::Poll, false);
        assert_eq!(
            checked.first_error().unwrap().error,
            CibaError::UnknownUserId
        );
        assert_eq!(checked.warnings().count(), 0);
    }
}
