//! `decode-token --har`: a recorded login (HAR files of the browser and of the back end) replayed
//! as a timeline of its itsme® exchanges ([`exchanges`]) and checked across them ([`checks`]):
//! the authorization request, the state, nonce, code, PKCE and `redirect_uri` round trips, the
//! client assertion, every token through the token engine, and the provider's error answers.

pub mod checks;
pub mod exchanges;

use std::collections::BTreeMap;

use serde::Serialize;
use serde_json::{Map, Value};

use crate::findings::Code;
use crate::http::har::Entry;
use crate::http::trace::TraceOptions;
use crate::itsme::errors::{self, Stage};
use crate::jose::compact::{self, Compact, header_str};
use crate::jose::keys::PublicKeySet;
use crate::oidc::request_rules;
use crate::oidc::validate::{Expectations, TokenKind};
use crate::token::inspect::{self, InspectOptions, Keyring, TokenReport};
pub use checks::{Check, CheckCode, Status};
pub use exchanges::{Exchange, Kind};
use exchanges::{Raw, value};

/// What a replay shows: the exchanges, the checks across them and the tokens' reports.
#[derive(Debug, Serialize)]
pub struct ReplayReport {
    /// No check failed.
    pub valid: bool,
    /// How many entries the HAR files held.
    pub entries: usize,
    /// The itsme® exchanges, in time order.
    pub exchanges: Vec<Exchange>,
    /// The checks across exchanges.
    pub checks: Vec<Check>,
    /// Where the provider keys that verified the tokens came from.
    pub provider_keys: Option<String>,
    /// The instant the tokens were validated at (Unix seconds): `--now`, else the time of the
    /// token answer.
    pub as_of: Option<i64>,
    /// The ID token of the token answer, through the token engine.
    pub id_token: Option<TokenReport>,
    /// The userinfo answer, through the token engine.
    pub userinfo: Option<TokenReport>,
}

/// The exchanges found in the entries of one or more HAR files.
pub struct Replay {
    entries: usize,
    raw: Vec<Raw>,
    issuer: Option<String>,
}

/// What the checks are given besides the HAR.
pub struct Setup {
    /// Decrypts and verifies the tokens (the partner's keys, the secret, the provider's keys).
    pub keyring: Keyring,
    /// Where the provider's keys come from (for the report); `None` when there are none.
    pub provider_keys: Option<String>,
    /// The public halves of the partner's signing keys, to verify the client assertion.
    pub partner_keys: Option<PublicKeySet>,
    /// The expected issuer (else the recorded discovery's).
    pub issuer: Option<String>,
    /// The expected client_id (else the authorization request's).
    pub client_id: Option<String>,
    /// Validate as of this instant instead of each exchange's own time.
    pub now: Option<i64>,
    /// Clock skew for the time claims.
    pub clock_skew: i64,
}

impl Replay {
    /// Finds the exchanges of `entries` (of all files together), sorted by start time.
    pub fn new(mut entries: Vec<Entry>, trace: TraceOptions) -> Self {
        // HAR 1.2 times are RFC 3339; the ones that do not parse keep their place at the end.
        entries.sort_by_key(|e| {
            crate::timefmt::parse_instant_millis(&e.started_date_time).unwrap_or(i128::MAX)
        });
        let (raw, endpoints) = exchanges::find(&entries, trace);
        Replay {
            entries: entries.len(),
            raw,
            issuer: endpoints.issuer,
        }
    }

    /// The provider's JWK Set as the HAR recorded it (its last successful fetch), and from where.
    pub fn recorded_keys(&self) -> Option<(PublicKeySet, String)> {
        self.raw
            .iter()
            .rev()
            .filter(|r| r.shown.kind == Kind::Jwks && r.shown.status == 200)
            .find_map(|r| {
                let set = PublicKeySet::parse(&r.body).ok()?;
                Some((
                    set,
                    format!(
                        "the JWK Set recorded in the HAR (exchange {}, `{}`)",
                        r.shown.number, r.shown.url
                    ),
                ))
            })
    }

    /// Runs every check.
    pub fn check(self, mut setup: Setup) -> anyhow::Result<ReplayReport> {
        // The first exchange of `kind` after timeline number `after`.
        let find = |kind: Kind, after: usize| {
            self.raw
                .iter()
                .find(|r| r.shown.kind == kind && r.shown.number > after)
        };
        // The last login of the HAR: its authorization request and the redirect after it.
        let auth = self
            .raw
            .iter()
            .rev()
            .find(|r| r.shown.kind == Kind::Authorization);
        let callback = find(Kind::Callback, auth.map_or(0, |a| a.shown.number));
        // Its code redemption: the first after the callback, else the one of the callback's
        // code (the browser's and the back end's clocks may differ, so it may be stamped before
        // the redirect); without a callback, the first.
        let redeems = |r: &&Raw| {
            r.shown.kind == Kind::Token
                && value(&r.params, "grant_type") == Some("authorization_code")
        };
        let token = match callback {
            Some(c) => self
                .raw
                .iter()
                .filter(redeems)
                .find(|r| r.shown.number > c.shown.number)
                .or_else(|| {
                    let code = value(&c.callback, "code")?;
                    self.raw
                        .iter()
                        .filter(redeems)
                        .find(|r| value(&r.params, "code") == Some(code))
                }),
            None => self.raw.iter().find(redeems),
        };
        let userinfo = find(Kind::Userinfo, token.map_or(0, |t| t.shown.number));

        let mut checks = Vec::new();
        let sent = auth.map(|a| authorization_request(a, &mut checks));
        let params = sent.as_ref().map(|s| &s.params);
        let sealed = sent.as_ref().is_some_and(|s| s.sealed);
        if setup.client_id.is_none() {
            setup.client_id = params
                .and_then(|p| p.get("client_id").cloned())
                .or_else(|| token.and_then(|t| value(&t.params, "client_id").map(str::to_string)));
        }
        let issuer = setup.issuer.clone().or_else(|| self.issuer.clone());
        if let Some(cb) = callback {
            error_answer(cb, Stage::Authorization, &mut checks);
        }
        checks.push(round_trip(
            CheckCode::State,
            "state",
            auth,
            params,
            sealed,
            callback.map(|c| (c.shown.number, value(&c.callback, "state"))),
        ));
        checks.push(code_round_trip(callback, token));
        checks.push(redirect_uri(auth, params, callback, token));
        checks.push(pkce(auth, params, sealed, callback, token));
        checks.push(client_assertion(callback, token, &setup));

        let mut id_token = None;
        let mut id_sub = None;
        if let Some(t) = token {
            error_answer(t, Stage::Token, &mut checks);
            let answer: Map<String, Value> = serde_json::from_slice(&t.body).unwrap_or_default();
            if let Some(jwt) = answer.get("id_token").and_then(Value::as_str) {
                let expect = Expectations {
                    issuer: issuer.clone(),
                    client_id: setup.client_id.clone(),
                    nonce: params.and_then(|p| p.get("nonce").cloned()),
                    access_token: answer
                        .get("access_token")
                        .and_then(Value::as_str)
                        .map(str::to_string),
                    clock_skew: setup.clock_skew,
                    ..Expectations::new(TokenKind::IdToken, setup.now.or(t.at).unwrap_or(0))
                };
                let report = inspect_token(jwt, expect, &mut setup)?;
                id_sub = report
                    .claims
                    .as_ref()
                    .and_then(|c| c.get("sub"))
                    .and_then(Value::as_str)
                    .map(str::to_string);
                checks.push(token_check(
                    CheckCode::IdToken,
                    "the ID token",
                    t,
                    &report,
                    &setup,
                ));
                id_token = Some(report);
            } else if t.shown.status == 200 {
                checks.push(Check::new(
                    CheckCode::IdToken,
                    Status::Fail,
                    "the token answer holds no `id_token`: an OpenID Connect code flow returns one (OpenID Connect Core §3.1.3.3)",
                    &[t.shown.number],
                ));
            } else {
                checks.push(Check::skipped(
                    CheckCode::IdToken,
                    "the token request was refused: no ID token",
                ));
            }
        } else {
            checks.push(Check::skipped(
                CheckCode::IdToken,
                no_token_request(callback),
            ));
        }
        checks.push(nonce(auth, params, sealed, token, id_token.as_ref()));

        let mut userinfo_report = None;
        if let Some(u) = userinfo {
            error_answer(u, Stage::Userinfo, &mut checks);
            if u.shown.status == 200 {
                let expect = Expectations {
                    issuer: issuer.clone(),
                    client_id: setup.client_id.clone(),
                    expect_sub: id_sub.clone(),
                    clock_skew: setup.clock_skew,
                    ..Expectations::new(TokenKind::Userinfo, setup.now.or(u.at).unwrap_or(0))
                };
                let text = String::from_utf8_lossy(&u.body).trim().to_string();
                let report = if text.starts_with('{') {
                    let options = InspectOptions {
                        expect,
                        verify_signature: false,
                    };
                    match serde_json::from_str::<Value>(&text) {
                        Ok(Value::Object(claims)) => inspect::inspect_claims(claims, &options),
                        _ => TokenReport::malformed(
                            TokenKind::Userinfo,
                            "the userinfo answer is not a JSON object",
                        ),
                    }
                } else {
                    inspect_token(&text, expect, &mut setup)?
                };
                checks.push(token_check(
                    CheckCode::Userinfo,
                    "the userinfo answer",
                    u,
                    &report,
                    &setup,
                ));
                userinfo_report = Some(report);
            } else {
                checks.push(Check::skipped(
                    CheckCode::Userinfo,
                    "the userinfo call was refused: no answer to check",
                ));
            }
        } else {
            checks.push(Check::skipped(
                CheckCode::Userinfo,
                "the HAR holds no userinfo call (optional: claims asked in the ID token need none)",
            ));
        }
        checks.push(userinfo_sub(
            id_sub.as_deref(),
            userinfo,
            userinfo_report.as_ref(),
        ));
        let valid = !checks.iter().any(|c| c.status == Status::Fail);
        let as_of = setup.now.or(token.and_then(|t| t.at));
        Ok(ReplayReport {
            valid,
            entries: self.entries,
            exchanges: self.raw.into_iter().map(|r| r.shown).collect(),
            checks,
            provider_keys: setup.provider_keys,
            as_of,
            id_token,
            userinfo: userinfo_report,
        })
    }
}

/// What the authorization request sent, readable.
struct Sent {
    params: BTreeMap<String, String>,
    /// The request object is encrypted to the provider: what is inside cannot be read.
    sealed: bool,
}

/// The authorization request through the rules of PROTOCOL §4.
fn authorization_request(auth: &Raw, checks: &mut Vec<Check>) -> Sent {
    let number = auth.shown.number;
    let mut problems: Vec<(&str, String)> = Vec::new();
    let mut notes = Vec::new();
    let mut params: BTreeMap<String, String> =
        match crate::sandbox::tokens::unique_params(&auth.params) {
            Ok(map) => map
                .into_iter()
                .map(|(n, v)| (n, v.as_str().unwrap_or_default().to_string()))
                .collect(),
            Err(why) => {
                problems.push(("invalid_request", why));
                auth.params.iter().cloned().collect()
            }
        };
    let mut sealed = false;
    if let Some(object) = params.get("request").cloned() {
        match compact::parse(&object) {
            Ok(Compact::Jwe(jwe)) => {
                sealed = true;
                notes.push(format!(
                    "its request object is a JWE ({} / {}) encrypted to the provider: what is inside cannot be read from a HAR, only the parameters that travel outside too",
                    header_str(&jwe.header, "alg").unwrap_or("?"),
                    header_str(&jwe.header, "enc").unwrap_or("?"),
                ));
            }
            Ok(Compact::Jws(jws)) => {
                notes.push(
                    "its request object is signed, not encrypted: read, its signature not checked here"
                        .to_string(),
                );
                match compact::parse_claims(&jws.payload, "request object") {
                    Ok(claims) => {
                        if let Err(why) =
                            crate::sandbox::authorize::merge_request_object(&mut params, &claims)
                        {
                            problems.push(("invalid_request", why));
                        }
                    }
                    Err(why) => problems.push(("invalid_request_object", why.0)),
                }
            }
            Err(why) => problems.push((
                "invalid_request_object",
                format!("the request object is malformed: {why}"),
            )),
        }
    }
    if sealed {
        problems.extend(request_rules::outside_problems(&params));
    } else {
        problems.extend(request_rules::all_problems(&params));
    }
    let note = if notes.is_empty() {
        String::new()
    } else {
        format!("; {}", notes.join("; "))
    };
    let check = if problems.is_empty() {
        Check::new(
            CheckCode::AuthorizationRequest,
            Status::Pass,
            format!(
                "the authorization request follows docs/itsme-facts.md#authorization-request{note}"
            ),
            &[number],
        )
    } else {
        let list: Vec<String> = problems
            .iter()
            .map(|(error, why)| format!("{why} (itsme® answers `{error}`)"))
            .collect();
        Check::new(
            CheckCode::AuthorizationRequest,
            Status::Fail,
            format!("{}{note}", list.join("; ")),
            &[number],
        )
    };
    checks.push(check);
    Sent { params, sealed }
}

/// `state`: sent, and the same back on the callback (`returned`: its exchange and value).
fn round_trip(
    code: CheckCode,
    name: &str,
    auth: Option<&Raw>,
    params: Option<&BTreeMap<String, String>>,
    sealed: bool,
    returned: Option<(usize, Option<&str>)>,
) -> Check {
    let (Some(auth), Some(params)) = (auth, params) else {
        return Check::skipped(code, no_authorization());
    };
    let Some((number, back)) = returned else {
        return Check::skipped(
            code,
            "the HAR holds no redirect back to the `redirect_uri` (the browser's HAR has it)",
        );
    };
    let on = [auth.shown.number, number];
    match (params.get(name).map(String::as_str), back) {
        (Some(a), Some(b)) if a == b => Check::new(
            code,
            Status::Pass,
            format!("the callback carried the `{name}` sent (`{a}`)"),
            &on,
        ),
        (Some(a), Some(b)) => Check::new(
            code,
            Status::Fail,
            format!(
                "the callback's `{name}` `{b}` is not the one sent (`{a}`): the redirect belongs to another request (a second login in another tab, or a forged redirect)"
            ),
            &on,
        ),
        (Some(a), None) => Check::new(
            code,
            Status::Fail,
            format!("the `{name}` sent (`{a}`) did not come back on the callback"),
            &on,
        ),
        (None, _) if sealed => Check::skipped(
            code,
            format!(
                "the `{name}` travelled inside the encrypted request object; the callback's is {}",
                back.map_or("absent".to_string(), |b| format!("`{b}`"))
            ),
        ),
        (None, Some(b)) => Check::new(
            code,
            Status::Fail,
            format!("the callback carried a `{name}` (`{b}`) that the request never sent"),
            &on,
        ),
        (None, None) => Check::new(
            code,
            Status::Warn,
            format!(
                "no `{name}` was sent: docs/itsme-facts.md#authorization-request strongly recommends one (it protects the redirect against forgery)"
            ),
            &on,
        ),
    }
}

fn no_authorization() -> &'static str {
    "the HAR holds no authorization request (a back end's HAR does not: add the browser's with a second --har)"
}

/// Why there is no token request to check: the login ended at the redirect, or the back end's
/// HAR is missing.
fn no_token_request(callback: Option<&Raw>) -> &'static str {
    if callback.is_some_and(|c| value(&c.callback, "error").is_some()) {
        "the login ended with an error on the redirect back: no token request follows"
    } else {
        "the HAR holds no token request (the back end makes it: add its HAR, e.g. `login --har-out`)"
    }
}

/// The code redeemed is the callback's.
fn code_round_trip(callback: Option<&Raw>, token: Option<&Raw>) -> Check {
    let code = CheckCode::Code;
    let Some(callback) = callback else {
        return Check::skipped(code, "the HAR holds no redirect back with a code");
    };
    let Some(token) = token else {
        return Check::skipped(code, no_token_request(Some(callback)));
    };
    let on = [callback.shown.number, token.shown.number];
    match (
        value(&callback.callback, "code"),
        value(&token.params, "code"),
    ) {
        (None, _) => Check::skipped(code, "the redirect back carried no code"),
        (Some(a), Some(b)) if a == b => Check::new(
            code,
            Status::Pass,
            "the token request redeemed the code of the callback",
            &on,
        ),
        (Some(_), Some(_)) => Check::new(
            code,
            Status::Fail,
            "the token request redeemed another code than the callback's (an older login's?): itsme® answers `invalid_grant`",
            &on,
        ),
        (Some(_), None) => Check::new(
            code,
            Status::Fail,
            "the token request carries no `code`",
            &on,
        ),
    }
}

/// The token request's `redirect_uri` is the authorization request's (RFC 6749 §4.1.3).
fn redirect_uri(
    auth: Option<&Raw>,
    params: Option<&BTreeMap<String, String>>,
    callback: Option<&Raw>,
    token: Option<&Raw>,
) -> Check {
    let code = CheckCode::RedirectUri;
    let (Some(auth), Some(params)) = (auth, params) else {
        return Check::skipped(code, no_authorization());
    };
    let Some(token) = token else {
        return Check::skipped(code, no_token_request(callback));
    };
    let on = [auth.shown.number, token.shown.number];
    match (
        params.get("redirect_uri").map(String::as_str),
        value(&token.params, "redirect_uri"),
    ) {
        (Some(a), Some(b)) if a == b => Check::new(
            code,
            Status::Pass,
            format!("the same `redirect_uri` at both ends (`{a}`)"),
            &on,
        ),
        (Some(a), Some(b)) => Check::new(
            code,
            Status::Fail,
            format!(
                "the token request's `redirect_uri` `{b}` differs from the authorization request's `{a}`: they must be identical, byte for byte (RFC 6749 §4.1.3); itsme® answers `invalid_grant`"
            ),
            &on,
        ),
        (Some(a), None) => Check::new(
            code,
            Status::Fail,
            format!(
                "the token request carries no `redirect_uri`; the authorization request had `{a}`, so it is required (RFC 6749 §4.1.3)"
            ),
            &on,
        ),
        (None, _) => Check::skipped(
            code,
            "the authorization request's `redirect_uri` is not readable",
        ),
    }
}

/// The `code_verifier` matches the `code_challenge` (RFC 7636 §4.6), by the sandbox's rule.
fn pkce(
    auth: Option<&Raw>,
    params: Option<&BTreeMap<String, String>>,
    sealed: bool,
    callback: Option<&Raw>,
    token: Option<&Raw>,
) -> Check {
    let code = CheckCode::Pkce;
    let (Some(auth), Some(params)) = (auth, params) else {
        return Check::skipped(code, no_authorization());
    };
    let Some(token) = token else {
        return Check::skipped(code, no_token_request(callback));
    };
    let challenge = params.get("code_challenge").map(String::as_str);
    if challenge.is_none() && sealed {
        return Check::skipped(
            code,
            "the `code_challenge` travelled inside the encrypted request object",
        );
    }
    let on = [auth.shown.number, token.shown.number];
    match crate::sandbox::tokens::check_code_verifier(
        challenge,
        value(&token.params, "code_verifier"),
    ) {
        Ok(()) if challenge.is_some() => Check::new(
            code,
            Status::Pass,
            "the `code_verifier` hashes (S256) to the `code_challenge` sent",
            &on,
        ),
        Ok(()) => Check::new(
            code,
            Status::Fail,
            "no PKCE at all: itsme® partners use S256 (docs/itsme-facts.md#authorization-request)",
            &on,
        ),
        Err(refused) => Check::new(
            code,
            Status::Fail,
            format!(
                "{} (itsme® answers `{}`)",
                refused.description, refused.error
            ),
            &on,
        ),
    }
}

/// The client's authentication at the token endpoint (PROTOCOL §3), by the sandbox's rules.
fn client_assertion(callback: Option<&Raw>, token: Option<&Raw>, setup: &Setup) -> Check {
    let code = CheckCode::ClientAssertion;
    let Some(token) = token else {
        return Check::skipped(code, no_token_request(callback));
    };
    let on = [token.shown.number];
    let Some(assertion) = value(&token.params, "client_assertion") else {
        return if value(&token.params, "client_secret").is_some() {
            Check::new(
                code,
                Status::Pass,
                "client_secret_post (the secret itself cannot be checked here)",
                &on,
            )
        } else {
            Check::new(
                code,
                Status::Fail,
                "the token request carries no client authentication (neither `client_assertion` nor `client_secret`): itsme® answers `invalid_client`",
                &on,
            )
        };
    };
    let fail = |why: String| Check::new(code, Status::Fail, why, &on);
    if value(&token.params, "client_assertion_type")
        != Some(crate::oidc::client_auth::ASSERTION_TYPE)
    {
        return fail(format!(
            "`client_assertion_type` must be `{}`",
            crate::oidc::client_auth::ASSERTION_TYPE
        ));
    }
    let Ok(Compact::Jws(jws)) = compact::parse(assertion) else {
        return fail("the client assertion is not a signed JWT".into());
    };
    let claims = match compact::parse_claims(&jws.payload, "client assertion") {
        Ok(claims) => claims,
        Err(why) => return fail(why.0),
    };
    let iss = claims.get("iss").and_then(Value::as_str).unwrap_or("");
    if let Some(client_id) = setup.client_id.as_deref()
        && iss != client_id
    {
        return fail(format!(
            "the assertion's `iss` `{iss}` is not the client_id `{client_id}`"
        ));
    }
    let mut endpoint = token.url.clone();
    endpoint.set_query(None);
    let at = setup.now.or(token.at).unwrap_or(0);
    if let Err(refused) = crate::sandbox::tokens::check_assertion_claims(&claims, iss, at) {
        return fail(refused.description);
    }
    // itsme® documents the token endpoint as `aud` (a string, or an array holding it); an
    // assertion in RFC 10070's form (the issuer alone) is named as such, with the setting to change.
    let aud = claims.get("aud");
    let names_endpoint = match aud {
        Some(Value::String(a)) => a == endpoint.as_str(),
        Some(Value::Array(list)) => list.iter().any(|a| a.as_str() == Some(endpoint.as_str())),
        _ => false,
    };
    if !names_endpoint {
        let rfc_10070 =
            setup.issuer.is_some() && aud.and_then(Value::as_str) == setup.issuer.as_deref();
        return fail(if rfc_10070 {
            format!(
                "the assertion's `aud` is the issuer, RFC 10070's form; itsme® documents the token endpoint `{endpoint}` (docs/itsme-facts.md#client-authentication): `--assertion-aud token-endpoint` in itsme-cli, openid-client's `modifyAssertion` hook"
            )
        } else {
            format!(
                "the assertion's `aud` must be the token endpoint `{endpoint}`, as itsme® documents (docs/itsme-facts.md#client-authentication)"
            )
        });
    }
    let signature = match &setup.partner_keys {
        Some(keys) => match crate::sandbox::tokens::verify_assertion(&jws, keys) {
            Ok(()) => "its signature verifies with your --keys",
            Err(refused) => return fail(refused.description),
        },
        None => "its signature not checked: pass --keys with your signing key",
    };
    Check::new(
        code,
        Status::Pass,
        format!(
            "private_key_jwt: `iss` = `sub` = `{iss}`, `aud` the token endpoint, valid at the time of the request; {signature}"
        ),
        &on,
    )
}

fn inspect_token(
    jwt: &str,
    expect: Expectations,
    setup: &mut Setup,
) -> anyhow::Result<TokenReport> {
    let options = InspectOptions {
        expect,
        verify_signature: setup.provider_keys.is_some(),
    };
    inspect::inspect(jwt, &mut setup.keyring, &options)
}

/// A token's verdict from the engine's report.
fn token_check(
    code: CheckCode,
    what: &str,
    exchange: &Raw,
    report: &TokenReport,
    setup: &Setup,
) -> Check {
    let on = [exchange.shown.number];
    if !report.errors.is_empty()
        && report
            .errors
            .iter()
            .all(|f| f.code == Code::NoDecryptionKey)
    {
        return Check::new(
            code,
            Status::Skip,
            format!(
                "{what} is encrypted and no key to open it was given: pass --keys with your encryption key (or --client-secret for `dir`)"
            ),
            &on,
        );
    }
    if !report.errors.is_empty() {
        let list: Vec<String> = report
            .errors
            .iter()
            .map(|f| format!("{} ({})", f.message, f.code))
            .collect();
        return Check::new(
            code,
            Status::Fail,
            format!("{what}: {}", list.join("; ")),
            &on,
        );
    }
    if report.valid && report.verified {
        let how = if report.decryption.is_some() {
            "decrypted, verified and valid"
        } else {
            "verified and valid"
        };
        return Check::new(code, Status::Pass, format!("{what} is {how}"), &on);
    }
    if report.valid {
        return Check::new(
            code,
            Status::Pass,
            format!("{what} has valid claims; it came over TLS, not signed"),
            &on,
        );
    }
    let why = if setup.provider_keys.is_none() {
        "no provider key set (none given, none recorded in the HAR, or --no-verify); pass --jwks or --issuer"
    } else {
        "see its report"
    };
    Check::new(
        code,
        Status::Warn,
        format!("{what} decoded without problems, its signature NOT verified: {why}"),
        &on,
    )
}

/// `nonce`: the ID token's is the one sent (the engine compared them).
fn nonce(
    auth: Option<&Raw>,
    params: Option<&BTreeMap<String, String>>,
    sealed: bool,
    token: Option<&Raw>,
    id_token: Option<&TokenReport>,
) -> Check {
    let code = CheckCode::Nonce;
    let (Some(auth), Some(params)) = (auth, params) else {
        return Check::skipped(code, no_authorization());
    };
    let (Some(token), Some(report)) = (token, id_token) else {
        return Check::skipped(code, "the HAR holds no ID token");
    };
    let on = [auth.shown.number, token.shown.number];
    let Some(sent) = params.get("nonce") else {
        return if sealed {
            Check::skipped(
                code,
                "the `nonce` travelled inside the encrypted request object",
            )
        } else {
            Check::new(
                code,
                Status::Warn,
                "no `nonce` was sent: docs/itsme-facts.md#authorization-request strongly recommends one (it ties the ID token to this login)",
                &on,
            )
        };
    };
    if let Some(finding) = report.errors.iter().find(|f| f.code == Code::NonceMismatch) {
        return Check::new(code, Status::Fail, finding.message.clone(), &on);
    }
    if report.claims.is_none() {
        return Check::skipped(
            code,
            "the ID token could not be read (see its decryption): pass --keys with your encryption key",
        );
    }
    Check::new(
        code,
        Status::Pass,
        format!("the ID token carries the `nonce` sent (`{sent}`)"),
        &on,
    )
}

/// `sub`: userinfo's is the ID token's (the engine compared them).
fn userinfo_sub(
    id_sub: Option<&str>,
    userinfo: Option<&Raw>,
    report: Option<&TokenReport>,
) -> Check {
    let code = CheckCode::UserinfoSub;
    let (Some(u), Some(report)) = (userinfo, report) else {
        return Check::skipped(code, "the HAR holds no userinfo answer");
    };
    let Some(sub) = id_sub else {
        return Check::skipped(code, "the ID token's `sub` is not readable");
    };
    let on = [u.shown.number];
    if let Some(finding) = report.errors.iter().find(|f| f.code == Code::SubMismatch) {
        return Check::new(code, Status::Fail, finding.message.clone(), &on);
    }
    if report.claims.is_none() {
        return Check::skipped(code, "the userinfo answer could not be read");
    }
    Check::new(
        code,
        Status::Pass,
        format!("userinfo's `sub` is the ID token's (`{sub}`)"),
        &on,
    )
}

/// An error answer (`error` on the callback, in a token or userinfo answer, or a `Bearer`
/// challenge), explained by `itsme::errors`.
fn error_answer(exchange: &Raw, stage: Stage, checks: &mut Vec<Check>) {
    let (error, description) = match exchange.shown.kind {
        Kind::Callback => (
            value(&exchange.callback, "error").map(str::to_string),
            value(&exchange.callback, "error_description").map(str::to_string),
        ),
        _ => {
            let answer: Map<String, Value> =
                serde_json::from_slice(&exchange.body).unwrap_or_default();
            let member = |n: &str| answer.get(n).and_then(Value::as_str).map(str::to_string);
            match (member("error"), &exchange.challenge) {
                (Some(e), _) => (Some(e), member("error_description")),
                (None, Some(challenge)) => match crate::http::challenge::bearer_error(challenge) {
                    Some(b) => (Some(b.error), b.description),
                    None => (None, None),
                },
                (None, None) => (None, None),
            }
        }
    };
    let Some(error) = error else {
        if exchange.shown.status >= 400 {
            checks.push(Check::new(
                CheckCode::ErrorAnswer,
                Status::Fail,
                format!(
                    "the {} endpoint answered HTTP {} without an OAuth `error`",
                    exchange.shown.kind.label(),
                    exchange.shown.status
                ),
                &[exchange.shown.number],
            ));
        }
        return;
    };
    let said = description.map_or_else(String::new, |d| format!(" (the provider said: {d})"));
    let mut check = Check::new(
        CheckCode::ErrorAnswer,
        Status::Fail,
        match errors::explain(stage, &error) {
            Some(e) => format!("`{error}`{said}: {}", e.meaning),
            None => format!("`{error}`{said}: not an itsme® error code"),
        },
        &[exchange.shown.number],
    );
    check.hint = errors::explain(stage, &error).map(|e| e.hint.to_string());
    checks.push(check);
}
