//! The sandbox plays itsme® CIBA (PROTOCOL §9): discovery sessions whose JPEG QR code decodes to
//! the phone page, the backchannel endpoint's refusals, poll and ping delivery, the CIBA grant
//! with every documented error, and the `--fault`s. The tokens are checked by the decode engine.

use std::time::Duration;

use base64::Engine;
use itsme_cli::itsme::ciba::DeliveryMode;
use itsme_cli::itsme::ciba::hint::{HintForm, LoginHint};
use itsme_cli::itsme::ciba::request::{BackchannelSpec, build_backchannel_claims};
use itsme_cli::itsme::confirmation::Confirmation;
use itsme_cli::jose::crypto;
use itsme_cli::jose::keys::{PrivateKey, PublicKeySet};
use itsme_cli::oidc::validate::{Expectations, TokenKind};
use itsme_cli::provider::RemoteKeys;
use itsme_cli::sandbox::ciba::CibaOptions;
use itsme_cli::sandbox::config::{Client, ClientAuth, Service, ServiceKind};
use itsme_cli::sandbox::{Fault, Sandbox, SandboxOptions, personas};
use itsme_cli::secret::Secret;
use itsme_cli::token::inspect::{InspectOptions, Keyring, inspect};
use serde_json::{Value, json};
use url::Url;

const CLIENT: &str = "ciba-client";
const ASSERTION_TYPE: &str = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

struct Partner {
    sig: PrivateKey,
    enc: PrivateKey,
}

impl Partner {
    fn new() -> Self {
        Partner {
            sig: PrivateKey::generate(2048, "sig", "RS256").unwrap(),
            enc: PrivateKey::generate(2048, "enc", "RSA-OAEP-256").unwrap(),
        }
    }

    fn public(&self) -> PublicKeySet {
        PublicKeySet::parse(
            PublicKeySet::document(&[self.sig.public_jwk(), self.enc.public_jwk()])
                .to_string()
                .as_bytes(),
        )
        .unwrap()
    }
}

struct Setup {
    approve: bool,
    faults: Vec<&'static str>,
    delivery: DeliveryMode,
    callback: Option<String>,
    interval: u64,
}

impl Default for Setup {
    fn default() -> Self {
        Setup {
            approve: false,
            faults: vec![],
            delivery: DeliveryMode::Poll,
            callback: None,
            interval: 1,
        }
    }
}

fn start(partner: &Partner, setup: Setup) -> Sandbox {
    let services = vec![
        Service {
            code: "LOGIN".into(),
            kind: ServiceKind::Authentication,
        },
        Service {
            code: "CONFIRM".into(),
            kind: ServiceKind::Confirmation,
        },
    ];
    let clients = vec![
        Client {
            client_id: CLIENT.into(),
            auth: ClientAuth::PrivateKeyJwt(partner.public()),
            redirect_uris: vec![],
            services: services.clone(),
            require_pkce: false,
        },
        Client {
            client_id: "secret-client".into(),
            auth: ClientAuth::Secret(Secret::new("a-sandbox-client-secret-of-32-bytes!")),
            redirect_uris: vec![],
            services,
            require_pkce: false,
        },
    ];
    Sandbox::start(SandboxOptions {
        port: 0,
        clients,
        approve: setup.approve.then(personas::default_persona),
        faults: setup
            .faults
            .iter()
            .map(|f| f.parse::<Fault>().unwrap())
            .collect(),
        ciba: CibaOptions {
            delivery: setup.delivery,
            callback: setup.callback.map(|c| Url::parse(&c).unwrap()),
            interval: setup.interval,
        },
    })
    .unwrap()
}

fn http() -> reqwest::blocking::Client {
    reqwest::blocking::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

fn assertion(partner: &Partner, aud: &str) -> String {
    let claims = json!({"iss": CLIENT, "sub": CLIENT, "aud": aud,
        "jti": itsme_cli::oidc::authorization::random_token(16), "exp": itsme_cli::timefmt::now() + 120});
    crypto::sign_rs256(&partner.sig, None, claims.to_string().as_bytes()).unwrap()
}

fn post(url: &str, form: &[(&str, String)]) -> (u16, Value) {
    let response = http().post(url).form(form).send().unwrap();
    let status = response.status().as_u16();
    (status, response.json().unwrap_or(Value::Null))
}

/// POSTs to a discovery endpoint with an assertion for the documented `aud` (the backchannel URL).
fn discovery_call(sandbox: &Sandbox, partner: &Partner, path: &str) -> (u16, Value) {
    let aud = format!("{}/backchannel/authentication", sandbox.issuer());
    post(
        &format!("{}{path}", sandbox.issuer()),
        &[
            ("client_assertion_type", ASSERTION_TYPE.into()),
            ("client_assertion", assertion(partner, &aud)),
        ],
    )
}

fn wait_interval() {
    std::thread::sleep(Duration::from_millis(1100));
}

/// The URL the QR code of a discovery answer encodes, read from the JPEG like a phone would.
fn qr_url(answer: &Value) -> String {
    let b64 = answer["user_discovery_token"]["qr_code"].as_str().unwrap();
    let jpeg = base64::engine::general_purpose::STANDARD
        .decode(b64)
        .unwrap();
    assert_eq!(&jpeg[..4], &[0xFF, 0xD8, 0xFF, 0xE0], "a JFIF JPEG");
    let mut decoder = jpeg_decoder::Decoder::new(jpeg.as_slice());
    let pixels = decoder.decode().unwrap();
    let info = decoder.info().unwrap();
    let (w, h) = (info.width as usize, info.height as usize);
    let mut image = rqrr::PreparedImage::prepare_from_greyscale(w, h, |x, y| pixels[y * w + x]);
    let grids = image.detect_grids();
    assert_eq!(grids.len(), 1, "one QR code");
    grids[0].decode().unwrap().1
}

/// Opens the QR's phone page, scans as `persona`, and polls until USER_DISCOVERED.
fn discover(sandbox: &Sandbox, partner: &Partner, persona: &str) -> String {
    let (status, created) = discovery_call(sandbox, partner, "/user_discovery_sessions");
    assert_eq!(status, 200, "{created}");
    let url = qr_url(&created);
    let page = http().get(&url).send().unwrap().text().unwrap();
    assert!(page.contains("id=\"scan\""), "{page}");
    let qr = url.rsplit('/').next().unwrap();
    let answer = http()
        .post(format!("{}/ciba/phone/scan", sandbox.issuer()))
        .header("Origin", format!("http://127.0.0.1:{}", sandbox.port()))
        .form(&[("qr", qr), ("persona", persona)])
        .send()
        .unwrap();
    assert_eq!(answer.status().as_u16(), 303);
    wait_interval();
    let id = created["user_discovery_session_id"].as_str().unwrap();
    let (status, polled) =
        discovery_call(sandbox, partner, &format!("/user_discovery_sessions/{id}"));
    assert_eq!(status, 200, "{polled}");
    assert_eq!(polled["status"], "USER_DISCOVERED");
    polled["user_identifier_token"]
        .as_str()
        .unwrap()
        .to_string()
}

fn spec(sandbox: &Sandbox, hint: Value) -> BackchannelSpec {
    BackchannelSpec {
        client_id: CLIENT.into(),
        issuer: sandbox.issuer().into(),
        service_code: "LOGIN".into(),
        scopes: vec!["profile".into()],
        login_hint_token: hint,
        acr: None,
        requested_expiry: None,
        client_notification_token: None,
        claims: Some(json!({"id_token": {"name": null, "birthdate": null}})),
        confirmation: None,
        jti: itsme_cli::oidc::authorization::random_token(16),
    }
}

fn uit_hint(uit: &str) -> Value {
    LoginHint::UserIdentifierToken(uit.into())
        .to_claim(HintForm::JwtNone, None)
        .unwrap()
}

fn signed(partner: &Partner, claims: &serde_json::Map<String, Value>) -> String {
    itsme_cli::itsme::ciba::request::sign_backchannel_request(claims, &partner.sig).unwrap()
}

fn backchannel_with(
    sandbox: &Sandbox,
    partner: &Partner,
    object: &str,
    aud: Option<&str>,
) -> (u16, Value) {
    let aud = aud
        .map(str::to_string)
        .unwrap_or_else(|| format!("{}/token", sandbox.issuer()));
    post(
        &format!("{}/backchannel/authentication", sandbox.issuer()),
        &[
            ("request", object.into()),
            ("client_assertion_type", ASSERTION_TYPE.into()),
            ("client_assertion", assertion(partner, &aud)),
        ],
    )
}

fn backchannel(sandbox: &Sandbox, partner: &Partner, spec: &BackchannelSpec) -> (u16, Value) {
    let claims = build_backchannel_claims(spec, itsme_cli::timefmt::now());
    backchannel_with(sandbox, partner, &signed(partner, &claims), None)
}

fn ciba_token(sandbox: &Sandbox, partner: &Partner, auth_req_id: &str) -> (u16, Value) {
    post(
        &format!("{}/token", sandbox.issuer()),
        &[
            ("grant_type", "urn:openid:params:grant-type:ciba".into()),
            ("auth_req_id", auth_req_id.into()),
            ("client_id", CLIENT.into()),
            ("client_assertion_type", ASSERTION_TYPE.into()),
            (
                "client_assertion",
                assertion(partner, &format!("{}/token", sandbox.issuer())),
            ),
        ],
    )
}

fn phone_decision(sandbox: &Sandbox, decision: &str) -> u16 {
    let page = http()
        .get(format!("{}/ciba/phone", sandbox.issuer()))
        .send()
        .unwrap()
        .text()
        .unwrap();
    let marker = "name=\"request\" value=\"";
    let start = page
        .find(marker)
        .expect("a request waits on the phone page")
        + marker.len();
    let id = &page[start..start + page[start..].find('"').unwrap()];
    http()
        .post(format!("{}/ciba/phone/decision", sandbox.issuer()))
        .header("Origin", format!("http://127.0.0.1:{}", sandbox.port()))
        .form(&[("request", id), ("decision", decision)])
        .send()
        .unwrap()
        .status()
        .as_u16()
}

fn check_id_token(sandbox: &Sandbox, partner: &Partner, token: &str, access_token: &str) -> Value {
    let mut keyring = Keyring::new(
        vec![partner.enc.clone()],
        None,
        Box::new(RemoteKeys::from_issuer(sandbox.issuer())),
    );
    let expect = Expectations {
        issuer: Some(sandbox.issuer().into()),
        client_id: Some(CLIENT.into()),
        access_token: Some(access_token.into()),
        ..Expectations::new(TokenKind::IdToken, itsme_cli::timefmt::now())
    };
    let report = inspect(
        token,
        &mut keyring,
        &InspectOptions {
            expect,
            verify_signature: true,
        },
    )
    .unwrap();
    assert!(report.valid, "{:?}", report.errors);
    Value::Object(report.claims.unwrap())
}

#[test]
fn qr_login_by_poll_from_discovery_to_userinfo() {
    let partner = Partner::new();
    let sandbox = start(&partner, Setup::default());
    let uit = discover(&sandbox, &partner, "be-marie");
    let (status, answer) = backchannel(&sandbox, &partner, &spec(&sandbox, uit_hint(&uit)));
    assert_eq!(status, 200, "{answer}");
    assert_eq!(answer["expires_in"], 120);
    assert_eq!(answer["interval"], 1);
    let id = answer["auth_req_id"].as_str().unwrap();
    assert_eq!(id.len(), 36, "UUID-shaped like the example");
    // Sooner than `interval` after the request: slow_down, and the interval grows by 5 s.
    let (status, early) = ciba_token(&sandbox, &partner, id);
    assert_eq!((status, early["error"].as_str()), (400, Some("slow_down")));
    assert!(
        early["detail"].is_string(),
        "token errors use `detail`: {early}"
    );
    assert!(early.get("error_description").is_none());
    std::thread::sleep(Duration::from_millis(6100));
    let (status, pending) = ciba_token(&sandbox, &partner, id);
    assert_eq!(
        (status, pending["error"].as_str()),
        (400, Some("authorization_pending")),
        "{pending}"
    );
    assert_eq!(phone_decision(&sandbox, "approve"), 303);
    std::thread::sleep(Duration::from_millis(6100));
    let (status, tokens) = ciba_token(&sandbox, &partner, id);
    assert_eq!(status, 200, "{tokens}");
    assert_eq!(tokens["token_type"], "Bearer");
    let access_token = tokens["access_token"].as_str().unwrap();
    let claims = check_id_token(
        &sandbox,
        &partner,
        tokens["id_token"].as_str().unwrap(),
        access_token,
    );
    assert_eq!(
        claims["sub"],
        personas::find("be-marie").unwrap().sub_for(CLIENT)
    );
    assert!(claims.get("name").is_some(), "{claims}");
    let userinfo = http()
        .get(format!("{}/userinfo", sandbox.issuer()))
        .bearer_auth(access_token)
        .send()
        .unwrap();
    assert_eq!(userinfo.status().as_u16(), 200);
    // Redeemed once; the single-use user_identifier_token cannot start another request.
    let (_, again) = ciba_token(&sandbox, &partner, id);
    assert_eq!(again["error"], "invalid_grant");
    let (status, reused) = backchannel(&sandbox, &partner, &spec(&sandbox, uit_hint(&uit)));
    assert_eq!(
        (status, reused["error"].as_str()),
        (400, Some("expired_login_hint_token"))
    );
}

#[test]
fn discovery_sessions_answer_429_when_polled_too_fast_and_401_without_the_documented_aud() {
    let partner = Partner::new();
    let sandbox = start(
        &partner,
        Setup {
            interval: 4,
            ..Setup::default()
        },
    );
    let (status, created) = discovery_call(&sandbox, &partner, "/user_discovery_sessions");
    assert_eq!(status, 200);
    assert_eq!(created["status"], "PENDING_USER_DISCOVERY");
    assert!(
        created["user_discovery_token"]["expires_at"]
            .as_str()
            .unwrap()
            .ends_with('Z')
    );
    let path = format!(
        "/user_discovery_sessions/{}",
        created["user_discovery_session_id"].as_str().unwrap()
    );
    let (status, body) = discovery_call(&sandbox, &partner, &path);
    assert_eq!(
        (status, body["error"].as_str()),
        (429, Some("discovery_rate_limited"))
    );
    std::thread::sleep(Duration::from_millis(4100));
    let (status, body) = discovery_call(&sandbox, &partner, &path);
    assert_eq!(
        (status, body["status"].as_str()),
        (200, Some("PENDING_USER_DISCOVERY"))
    );
    assert!(qr_url(&created).starts_with(&format!("{}/ciba/phone/", sandbox.issuer())));
    let (status, unknown) = discovery_call(&sandbox, &partner, "/user_discovery_sessions/nope");
    assert_eq!(status, 400, "{unknown}");
    // The discovery endpoint's own URL is not the documented `aud` (PROTOCOL §9.1).
    let own = format!("{}/user_discovery_sessions", sandbox.issuer());
    let (status, refused) = post(
        &own,
        &[
            ("client_assertion_type", ASSERTION_TYPE.into()),
            ("client_assertion", assertion(&partner, &own)),
        ],
    );
    assert_eq!(
        (status, refused["error"].as_str()),
        (401, Some("discovery_unauthorized"))
    );
    let (status, _) = post(
        &own,
        &[
            ("client_id", "secret-client".into()),
            (
                "client_secret",
                "a-sandbox-client-secret-of-32-bytes!".into(),
            ),
        ],
    );
    assert_eq!(status, 401, "CIBA is private_key_jwt only");
}

#[test]
fn backchannel_refusals_name_the_documented_errors() {
    let partner = Partner::new();
    let sandbox = start(&partner, Setup::default());
    let marie_sub = personas::find("be-marie").unwrap().sub_for(CLIENT);
    let subject = LoginHint::SubjectCode(marie_sub.clone())
        .to_claim(HintForm::Inline, None)
        .unwrap();
    let (status, ok) = backchannel(&sandbox, &partner, &spec(&sandbox, subject.clone()));
    assert_eq!(status, 200, "a known subject_code is a user: {ok}");
    let error_of = |(status, body): (u16, Value)| {
        (
            status,
            body["error"].as_str().unwrap_or("").to_string(),
            body["error_description"].as_str().unwrap_or("").to_string(),
        )
    };
    let unknown = LoginHint::SubjectCode("mqxews5ukc53ltb1jgj9qe9rnfnwwhyga18m".into())
        .to_claim(HintForm::Inline, None)
        .unwrap();
    assert_eq!(
        error_of(backchannel(&sandbox, &partner, &spec(&sandbox, unknown))).1,
        "unknown_user_id"
    );
    assert_eq!(
        error_of(backchannel(
            &sandbox,
            &partner,
            &spec(&sandbox, uit_hint("never-issued"))
        ))
        .1,
        "unknown_user_id"
    );
    let mut bad_scope = spec(&sandbox, subject.clone());
    bad_scope.service_code = "NOT-MINE".into();
    assert_eq!(
        error_of(backchannel(&sandbox, &partner, &bad_scope)).1,
        "invalid_scope"
    );
    let mut ping_token_in_poll = spec(&sandbox, subject.clone());
    ping_token_in_poll.client_notification_token = Some("x y".into());
    let (status, warned) = backchannel(&sandbox, &partner, &ping_token_in_poll);
    assert_eq!(status, 200);
    assert!(
        warned["sandbox_warnings"][0]
            .as_str()
            .unwrap()
            .contains("ciba_notification_token_in_poll"),
        "{warned}"
    );
    // A Confirmation service needs its template.
    let mut confirm = spec(&sandbox, subject.clone());
    confirm.service_code = "CONFIRM".into();
    let (status, error, description) = error_of(backchannel(&sandbox, &partner, &confirm));
    assert_eq!((status, error.as_str()), (400, "invalid_request"));
    assert!(
        description.contains("ciba_confirmation_template_invalid"),
        "{description}"
    );
    confirm.confirmation = Some(Confirmation::payment("125", "EUR", "BE71096123456769").unwrap());
    assert_eq!(backchannel(&sandbox, &partner, &confirm).0, 200);
    let page = http()
        .get(format!("{}/ciba/phone", sandbox.issuer()))
        .send()
        .unwrap()
        .text()
        .unwrap();
    assert!(
        page.contains("BE71096123456769"),
        "the phone shows what is signed"
    );
    // The assertion's documented `aud` here is the token URL, not the backchannel URL.
    let claims =
        build_backchannel_claims(&spec(&sandbox, subject.clone()), itsme_cli::timefmt::now());
    let backchannel_url = format!("{}/backchannel/authentication", sandbox.issuer());
    let (status, error, _) = error_of(backchannel_with(
        &sandbox,
        &partner,
        &signed(&partner, &claims),
        Some(&backchannel_url),
    ));
    assert_eq!((status, error.as_str()), (401, "invalid_client"));
    // Replayed, unsigned, or parameters outside the request object.
    let object = signed(&partner, &claims);
    assert_eq!(backchannel_with(&sandbox, &partner, &object, None).0, 200);
    assert_eq!(
        error_of(backchannel_with(&sandbox, &partner, &object, None)).1,
        "invalid_request"
    );
    let unsigned = LoginHint::SubjectCode("x".into())
        .to_claim(HintForm::JwtNone, None)
        .unwrap();
    assert_eq!(
        error_of(backchannel_with(
            &sandbox,
            &partner,
            unsigned.as_str().unwrap(),
            None
        ))
        .1,
        "invalid_request"
    );
    let (_, error, description) = error_of(post(
        &backchannel_url,
        &[
            (
                "request",
                signed(
                    &partner,
                    &build_backchannel_claims(&spec(&sandbox, subject), itsme_cli::timefmt::now()),
                ),
            ),
            ("scope", "openid service:LOGIN".into()),
            ("client_assertion_type", ASSERTION_TYPE.into()),
            (
                "client_assertion",
                assertion(&partner, &format!("{}/token", sandbox.issuer())),
            ),
        ],
    ));
    assert_eq!(error, "invalid_request");
    assert!(description.contains("scope"), "{description}");
}

#[test]
fn a_denial_and_an_expiry_end_the_request() {
    let partner = Partner::new();
    let sandbox = start(&partner, Setup::default());
    let sub = personas::find("be-marie").unwrap().sub_for(CLIENT);
    let hint = LoginHint::SubjectCode(sub)
        .to_claim(HintForm::JwtNone, None)
        .unwrap();
    let (_, answer) = backchannel(&sandbox, &partner, &spec(&sandbox, hint.clone()));
    let id = answer["auth_req_id"].as_str().unwrap().to_string();
    assert_eq!(phone_decision(&sandbox, "deny"), 303);
    wait_interval();
    let (status, denied) = ciba_token(&sandbox, &partner, &id);
    assert_eq!(
        (status, denied["error"].as_str()),
        (400, Some("access_denied"))
    );
    let mut short = spec(&sandbox, hint);
    short.requested_expiry = Some(1);
    let (_, answer) = backchannel(&sandbox, &partner, &short);
    assert_eq!(answer["expires_in"], 1);
    std::thread::sleep(Duration::from_millis(2100));
    let (_, expired) = ciba_token(&sandbox, &partner, answer["auth_req_id"].as_str().unwrap());
    assert_eq!(expired["error"], "expired_token");
    let (status, missing) = post(
        &format!("{}/token", sandbox.issuer()),
        &[
            ("grant_type", "urn:openid:params:grant-type:ciba".into()),
            ("auth_req_id", "x".into()),
            ("client_assertion_type", ASSERTION_TYPE.into()),
            (
                "client_assertion",
                assertion(&partner, &format!("{}/token", sandbox.issuer())),
            ),
        ],
    );
    assert_eq!(
        (status, missing["error"].as_str()),
        (400, Some("invalid_request")),
        "client_id is required"
    );
}

#[test]
fn faults_inject_each_documented_error_once() {
    let partner = Partner::new();
    let sandbox = start(
        &partner,
        Setup {
            approve: true,
            faults: vec![
                "discovery:429",
                "expired_login_hint_token",
                "unknown_user_id",
                "ciba-token:slow_down",
                "ciba-token:access_denied",
            ],
            ..Setup::default()
        },
    );
    let (status, _) = discovery_call(&sandbox, &partner, "/user_discovery_sessions");
    assert_eq!(status, 429);
    let (status, created) = discovery_call(&sandbox, &partner, "/user_discovery_sessions");
    assert_eq!(status, 200);
    wait_interval();
    let path = format!(
        "/user_discovery_sessions/{}",
        created["user_discovery_session_id"].as_str().unwrap()
    );
    let (_, discovered) = discovery_call(&sandbox, &partner, &path);
    assert_eq!(
        discovered["status"], "USER_DISCOVERED",
        "--approve discovers at the first poll"
    );
    let uit = discovered["user_identifier_token"].as_str().unwrap();
    let request = spec(&sandbox, uit_hint(uit));
    assert_eq!(
        backchannel(&sandbox, &partner, &request).1["error"],
        "expired_login_hint_token"
    );
    assert_eq!(
        backchannel(&sandbox, &partner, &spec(&sandbox, uit_hint(uit))).1["error"],
        "unknown_user_id"
    );
    let (status, answer) = backchannel(&sandbox, &partner, &spec(&sandbox, uit_hint(uit)));
    assert_eq!(status, 200, "{answer}");
    let id = answer["auth_req_id"].as_str().unwrap();
    wait_interval();
    assert_eq!(ciba_token(&sandbox, &partner, id).1["error"], "slow_down");
    assert_eq!(
        ciba_token(&sandbox, &partner, id).1["error"],
        "access_denied"
    );
    assert_eq!(
        ciba_token(&sandbox, &partner, id).1["error"],
        "invalid_grant",
        "access_denied ended it"
    );
    let expired = start(
        &partner,
        Setup {
            approve: true,
            faults: vec!["ciba-token:expired_token"],
            ..Setup::default()
        },
    );
    let sub = personas::default_persona().sub_for(CLIENT);
    let hint = LoginHint::SubjectCode(sub)
        .to_claim(HintForm::Inline, None)
        .unwrap();
    let (_, answer) = backchannel(&expired, &partner, &spec(&expired, hint));
    wait_interval();
    let id = answer["auth_req_id"].as_str().unwrap();
    assert_eq!(
        ciba_token(&expired, &partner, id).1["error"],
        "expired_token"
    );
    assert!(
        "ciba-token:unknown_user_id".parse::<Fault>().is_err(),
        "not a token-endpoint error"
    );
}

#[test]
fn ping_mode_posts_the_auth_req_id_with_the_bearer_token_then_one_token_call() {
    let callback = tiny_http::Server::http("127.0.0.1:0").unwrap();
    let port = callback.server_addr().to_ip().unwrap().port();
    let partner = Partner::new();
    let sandbox = start(
        &partner,
        Setup {
            approve: true,
            delivery: DeliveryMode::Ping,
            callback: Some(format!("http://127.0.0.1:{port}/cb")),
            ..Setup::default()
        },
    );
    let sub = personas::default_persona().sub_for(CLIENT);
    let mut request = spec(
        &sandbox,
        LoginHint::SubjectCode(sub)
            .to_claim(HintForm::JwtNone, None)
            .unwrap(),
    );
    let missing = backchannel(&sandbox, &partner, &request);
    assert_eq!(
        missing.1["error"], "invalid_request",
        "ping needs a client_notification_token"
    );
    let token = itsme_cli::oidc::authorization::random_token(32);
    request.client_notification_token = Some(token.clone());
    let (status, answer) = backchannel(&sandbox, &partner, &request);
    assert_eq!(status, 200, "{answer}");
    let mut ping = callback
        .recv_timeout(Duration::from_secs(10))
        .unwrap()
        .expect("a ping");
    assert_eq!(ping.method(), &tiny_http::Method::Post);
    assert_eq!(ping.url(), "/cb");
    let header = |name: &str| {
        ping.headers()
            .iter()
            .find(|h| h.field.as_str().as_str().eq_ignore_ascii_case(name))
            .map(|h| h.value.as_str().to_string())
    };
    assert_eq!(header("Authorization"), Some(format!("Bearer {token}")));
    assert_eq!(header("Content-Type").as_deref(), Some("application/json"));
    let mut body = String::new();
    ping.as_reader().read_to_string(&mut body).unwrap();
    assert_eq!(
        serde_json::from_str::<Value>(&body).unwrap(),
        json!({"auth_req_id": answer["auth_req_id"]})
    );
    ping.respond(tiny_http::Response::empty(204)).unwrap();
    // No interval in ping mode: the token call right after the ping succeeds.
    let (status, tokens) = ciba_token(&sandbox, &partner, answer["auth_req_id"].as_str().unwrap());
    assert_eq!(status, 200, "{tokens}");
}

#[test]
fn the_discovery_document_advertises_ciba_core_metadata() {
    let partner = Partner::new();
    let sandbox = start(&partner, Setup::default());
    let doc: Value = http()
        .get(format!(
            "{}/.well-known/openid-configuration",
            sandbox.issuer()
        ))
        .send()
        .unwrap()
        .json()
        .unwrap();
    assert_eq!(
        doc["backchannel_authentication_endpoint"],
        format!("{}/backchannel/authentication", sandbox.issuer())
    );
    assert_eq!(
        doc["backchannel_token_delivery_modes_supported"],
        json!(["poll", "ping"])
    );
    assert_eq!(doc["backchannel_user_code_parameter_supported"], false);
    assert!(
        doc["grant_types_supported"]
            .as_array()
            .unwrap()
            .contains(&json!("urn:openid:params:grant-type:ciba"))
    );
}

#[test]
fn discovery_faults_answer_each_documented_status() {
    let partner = Partner::new();
    let sandbox = start(
        &partner,
        Setup {
            faults: vec!["discovery:400", "discovery:401"],
            ..Setup::default()
        },
    );
    let (status, body) = discovery_call(&sandbox, &partner, "/user_discovery_sessions");
    assert_eq!(
        (status, body["error"].as_str()),
        (400, Some("discovery_session_expired"))
    );
    let (status, body) = discovery_call(&sandbox, &partner, "/user_discovery_sessions");
    assert_eq!(
        (status, body["error"].as_str()),
        (401, Some("discovery_unauthorized"))
    );
    assert_eq!(
        discovery_call(&sandbox, &partner, "/user_discovery_sessions").0,
        200
    );
}

#[test]
fn the_phone_decides_only_from_its_own_page() {
    let partner = Partner::new();
    let sandbox = start(&partner, Setup::default());
    let sub = personas::default_persona().sub_for(CLIENT);
    let mut request = spec(
        &sandbox,
        LoginHint::SubjectCode(sub)
            .to_claim(HintForm::Inline, None)
            .unwrap(),
    );
    request.service_code = "CONFIRM".into();
    request.confirmation = Some(Confirmation::free_text("<i>Sign</i> & pay").unwrap());
    let (status, answer) = backchannel(&sandbox, &partner, &request);
    assert_eq!(status, 200, "{answer}");
    let page = http()
        .get(format!("{}/ciba/phone", sandbox.issuer()))
        .send()
        .unwrap();
    assert_eq!(
        page.headers().get("x-frame-options").unwrap(),
        "DENY",
        "the phone page cannot be framed"
    );
    let page = page.text().unwrap();
    assert!(!page.contains("<i>Sign"), "the text is escaped: {page}");
    assert!(page.contains("&lt;i&gt;Sign"), "{page}");
    let marker = "name=\"request\" value=\"";
    let start = page.find(marker).unwrap() + marker.len();
    let id = &page[start..start + page[start..].find('"').unwrap()];
    for origin in [Some("http://evil.example"), None] {
        let mut post = http()
            .post(format!("{}/ciba/phone/decision", sandbox.issuer()))
            .form(&[("request", id), ("decision", "approve")]);
        if let Some(origin) = origin {
            post = post.header("Origin", origin);
        }
        assert_eq!(post.send().unwrap().status().as_u16(), 400, "{origin:?}");
    }
    wait_interval();
    let (_, pending) = ciba_token(&sandbox, &partner, answer["auth_req_id"].as_str().unwrap());
    assert_eq!(
        pending["error"], "authorization_pending",
        "nothing was approved"
    );
}

#[test]
fn malformed_ciba_requests_are_refused_never_a_server_error() {
    let partner = Partner::new();
    let sandbox = start(&partner, Setup::default());
    let hostile_claims = [
        json!({"iss": CLIENT, "aud": sandbox.issuer(), "exp": itsme_cli::timefmt::now() + 60, "scope": ["openid"]}),
        json!({"iss": CLIENT, "aud": sandbox.issuer(), "exp": itsme_cli::timefmt::now() + 60, "scope": "openid service:LOGIN", "login_hint_token": {"type": "subject_code", "value": 7}}),
        json!({"iss": CLIENT, "aud": sandbox.issuer(), "exp": itsme_cli::timefmt::now() + 60, "scope": "openid service:LOGIN", "login_hint_token": "e30.e30.", "requested_expiry": 1e300}),
        json!({"iss": CLIENT, "aud": sandbox.issuer(), "exp": itsme_cli::timefmt::now() + 60, "scope": "openid service:LOGIN", "login_hint_token": "x".repeat(100_000), "claims": {"id_token": []}}),
    ];
    for claims in hostile_claims {
        let object = crypto::sign_rs256(&partner.sig, None, claims.to_string().as_bytes()).unwrap();
        let (status, body) = backchannel_with(&sandbox, &partner, &object, None);
        assert_eq!(status, 400, "{claims} → {body}");
        assert!(body["error"].is_string(), "{body}");
    }
    for garbage in ["", "a.b", "a.b.c.d.e", "%ff"] {
        let (status, _) = backchannel_with(&sandbox, &partner, garbage, None);
        assert_eq!(status, 400, "{garbage:?}");
    }
    for path in [
        "/user_discovery_sessions",
        "/user_discovery_sessions/x",
        "/backchannel/authentication",
        "/ciba/phone/scan",
        "/ciba/phone/decision",
    ] {
        let status = http()
            .post(format!("{}{path}", sandbox.issuer()))
            .body("client_assertion=%zz&&=&client_assertion=1")
            .header("Content-Type", "application/x-www-form-urlencoded")
            .send()
            .unwrap()
            .status()
            .as_u16();
        assert!((400..500).contains(&status), "{path}: {status}");
    }
    let (status, body) = post(
        &format!("{}/token", sandbox.issuer()),
        &[("grant_type", "urn:openid:params:grant-type:ciba".into())],
    );
    assert_eq!(
        (status, body["error"].as_str()),
        (401, Some("invalid_client"))
    );
}
