//! The sandbox behaves like itsme®, refusals included (PROTOCOL §3–§8): full flows whose tokens
//! are checked by the decode engine, and one test per refusal. The independent relying-party
//! library's view is in `sandbox_rp.rs`.

use std::collections::HashMap;

use itsme_cli::jose::crypto;
use itsme_cli::jose::keys::{PrivateKey, PublicKeySet};
use itsme_cli::oidc::validate::{Expectations, TokenKind};
use itsme_cli::provider::RemoteKeys;
use itsme_cli::sandbox::config::{Client, ClientAuth, Service, ServiceKind};
use itsme_cli::sandbox::{Fault, Sandbox, SandboxOptions, personas, tokens};
use itsme_cli::secret::Secret;
use itsme_cli::token::inspect::{InspectOptions, Keyring, inspect};
use itsme_cli::token::keysource::ProviderKeys;
use serde_json::{Value, json};
use url::Url;

const REDIRECT: &str = "http://127.0.0.1:8765/callback";
const SECRET: &str = "a-sandbox-client-secret-of-at-least-32-bytes";

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

fn services() -> Vec<Service> {
    vec![
        Service {
            code: "LOGIN".into(),
            kind: ServiceKind::Authentication,
        },
        Service {
            code: "IDENT".into(),
            kind: ServiceKind::Identification,
        },
        Service {
            code: "CONFIRM".into(),
            kind: ServiceKind::Confirmation,
        },
    ]
}

fn start(partner: &Partner, approve: bool, faults: Vec<Fault>) -> Sandbox {
    let clients = vec![
        Client {
            client_id: "jwt-client".into(),
            auth: ClientAuth::PrivateKeyJwt(partner.public()),
            redirect_uris: vec![REDIRECT.into()],
            services: services(),
            require_pkce: false,
        },
        Client {
            client_id: "secret-client".into(),
            auth: ClientAuth::Secret(Secret::new(SECRET)),
            redirect_uris: vec![REDIRECT.into()],
            services: services(),
            require_pkce: false,
        },
        Client {
            client_id: "pkce-client".into(),
            auth: ClientAuth::Secret(Secret::new(SECRET)),
            redirect_uris: vec![REDIRECT.into()],
            services: services(),
            require_pkce: true,
        },
    ];
    Sandbox::start(SandboxOptions {
        port: 0,
        clients,
        approve: approve.then(personas::default_persona),
        faults,
    })
    .unwrap()
}

fn http() -> reqwest::blocking::Client {
    reqwest::blocking::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

/// GET /authorization; returns (status, Location query pairs or the body).
fn authorize(sandbox: &Sandbox, params: &[(&str, &str)]) -> (u16, HashMap<String, String>, String) {
    let url =
        Url::parse_with_params(&format!("{}/authorization", sandbox.issuer()), params).unwrap();
    let response = http().get(url).send().unwrap();
    let status = response.status().as_u16();
    let location = response
        .headers()
        .get("location")
        .and_then(|l| l.to_str().ok())
        .map(str::to_string);
    let body = response.text().unwrap_or_default();
    let pairs = location
        .map(|l| Url::parse(&l).unwrap().query_pairs().into_owned().collect())
        .unwrap_or_default();
    (status, pairs, body)
}

fn base_params<'a>(client_id: &'a str, challenge: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("client_id", client_id),
        ("redirect_uri", REDIRECT),
        ("response_type", "code"),
        ("scope", "openid service:LOGIN profile"),
        ("state", "st-1"),
        ("nonce", "no-1"),
        ("code_challenge", challenge),
        ("code_challenge_method", "S256"),
        (
            "claims",
            r#"{"id_token":{"http://itsme.services/v2/claim/BENationalNumber":null}}"#,
        ),
    ]
}

const VERIFIER: &str = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";

fn assertion(
    sandbox: &Sandbox,
    partner: &Partner,
    client_id: &str,
    jti: &str,
    aud: Option<&str>,
) -> String {
    let aud = aud
        .map(str::to_string)
        .unwrap_or_else(|| format!("{}/token", sandbox.issuer()));
    let claims = json!({"iss": client_id, "sub": client_id, "aud": aud, "jti": jti, "exp": itsme_cli::timefmt::now() + 120});
    crypto::sign_rs256(&partner.sig, None, claims.to_string().as_bytes()).unwrap()
}

fn token_request(sandbox: &Sandbox, form: &[(&str, &str)]) -> (u16, Value) {
    let response = http()
        .post(format!("{}/token", sandbox.issuer()))
        .form(form)
        .send()
        .unwrap();
    (response.status().as_u16(), response.json().unwrap())
}

fn jwt_token_form<'a>(code: &'a str, assertion: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("grant_type", "authorization_code"),
        ("code", code),
        ("redirect_uri", REDIRECT),
        ("code_verifier", VERIFIER),
        (
            "client_assertion_type",
            "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
        ),
        ("client_assertion", assertion),
    ]
}

/// What a token from the sandbox is checked against.
struct Check<'a> {
    kind: TokenKind,
    client_id: &'a str,
    access_token: Option<&'a str>,
    sub: Option<&'a str>,
}

fn id_token_of(client_id: &str) -> Check<'_> {
    Check {
        kind: TokenKind::IdToken,
        client_id,
        access_token: None,
        sub: None,
    }
}

/// Runs a token from the sandbox through the decode engine, with the provider keys found through
/// the sandbox's discovery document.
fn check_token(
    sandbox: &Sandbox,
    keys: Vec<PrivateKey>,
    secret: Option<&str>,
    token: &str,
    check: Check<'_>,
) -> itsme_cli::token::inspect::TokenReport {
    let mut keyring = Keyring::new(
        keys,
        secret.map(Secret::new),
        Box::new(RemoteKeys::from_issuer(sandbox.issuer())),
    );
    let expect = Expectations {
        issuer: Some(sandbox.issuer().into()),
        client_id: Some(check.client_id.into()),
        nonce: (check.kind == TokenKind::IdToken).then(|| "no-1".into()),
        access_token: check.access_token.map(str::to_string),
        expect_sub: check.sub.map(str::to_string),
        ..Expectations::new(check.kind, itsme_cli::timefmt::now())
    };
    inspect(
        token,
        &mut keyring,
        &InspectOptions {
            expect,
            verify_signature: true,
        },
    )
    .unwrap()
}

#[test]
fn private_key_jwt_flow_gives_a_valid_nested_id_token_and_userinfo() {
    let partner = Partner::new();
    let sandbox = start(&partner, true, vec![]);
    let challenge = tokens::pkce_challenge(VERIFIER);
    let (status, pairs, _) = authorize(&sandbox, &base_params("jwt-client", &challenge));
    assert_eq!(status, 302);
    assert_eq!(pairs["state"], "st-1");
    let code = &pairs["code"];
    assert_eq!(code.len(), 36);
    let assertion = assertion(&sandbox, &partner, "jwt-client", "jti-1", None);
    let (status, body) = token_request(&sandbox, &jwt_token_form(code, &assertion));
    assert_eq!(status, 200, "{body}");
    let access_token = body["access_token"].as_str().unwrap();
    let id_token = body["id_token"].as_str().unwrap();
    let report = check_token(
        &sandbox,
        vec![partner.enc.clone()],
        None,
        id_token,
        Check {
            access_token: Some(access_token),
            ..id_token_of("jwt-client")
        },
    );
    assert!(report.valid, "{:?}", report.errors);
    assert_eq!(report.jwe.as_ref().unwrap()["alg"], "RSA-OAEP-256");
    assert_eq!(report.jwe.as_ref().unwrap()["enc"], "A128CBC-HS256");
    let claims = report.claims.unwrap();
    assert_eq!(claims["acr"], "http://itsme.services/v2/claim/acr_basic");
    assert!(claims["http://itsme.services/v2/claim/BENationalNumber"].is_string());
    assert!(
        claims.get("family_name").is_none(),
        "scope claims go to userinfo"
    );
    let sub = claims["sub"].as_str().unwrap().to_string();
    assert_eq!(sub.len(), 36);

    // The code is single use, even with a fresh assertion.
    let again = self::assertion(&sandbox, &partner, "jwt-client", "jti-2", None);
    let (status, body) = token_request(&sandbox, &jwt_token_form(code, &again));
    assert_eq!(
        (status, body["error"].as_str()),
        (400, Some("invalid_grant"))
    );

    let response = http()
        .get(format!("{}/userinfo", sandbox.issuer()))
        .bearer_auth(access_token)
        .send()
        .unwrap();
    assert!(
        response.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("application/jwt")
    );
    let userinfo = response.text().unwrap();
    let report = check_token(
        &sandbox,
        vec![partner.enc.clone()],
        None,
        &userinfo,
        Check {
            kind: TokenKind::Userinfo,
            sub: Some(&sub),
            ..id_token_of("jwt-client")
        },
    );
    assert!(report.valid, "{:?}", report.errors);
    assert_eq!(report.claims.unwrap()["family_name"], "Dupont");
}

#[test]
fn client_secret_flow_uses_dir_a256gcm_and_plain_json_userinfo() {
    let partner = Partner::new();
    let sandbox = start(&partner, true, vec![]);
    let (_, pairs, _) = authorize(
        &sandbox,
        &base_params("secret-client", &tokens::pkce_challenge(VERIFIER)),
    );
    let form = [
        ("grant_type", "authorization_code"),
        ("code", pairs["code"].as_str()),
        ("redirect_uri", REDIRECT),
        ("code_verifier", VERIFIER),
        ("client_id", "secret-client"),
        ("client_secret", SECRET),
    ];
    let (status, body) = token_request(&sandbox, &form);
    assert_eq!(status, 200, "{body}");
    let report = check_token(
        &sandbox,
        vec![],
        Some(SECRET),
        body["id_token"].as_str().unwrap(),
        Check {
            access_token: body["access_token"].as_str(),
            ..id_token_of("secret-client")
        },
    );
    assert!(report.valid, "{:?}", report.errors);
    assert_eq!(report.jwe.as_ref().unwrap()["alg"], "dir");
    assert_eq!(report.jwe.as_ref().unwrap()["enc"], "A256GCM");
    let userinfo: Value = http()
        .get(format!("{}/userinfo", sandbox.issuer()))
        .bearer_auth(body["access_token"].as_str().unwrap())
        .send()
        .unwrap()
        .json()
        .unwrap();
    assert_eq!(userinfo["sub"], report.claims.unwrap()["sub"]);
    assert_eq!(userinfo["name"], "Marie Dupont");
}

#[test]
fn authorization_refusals_follow_protocol_8() {
    let partner = Partner::new();
    let sandbox = start(&partner, true, vec![]);
    let challenge = tokens::pkce_challenge(VERIFIER);
    let with = |changes: &[(&'static str, &'static str)], drop: &[&str]| {
        let mut params = base_params("jwt-client", &challenge);
        params.retain(|(k, _)| !drop.contains(k));
        for (k, v) in changes {
            params.retain(|(name, _)| name != k);
            params.push((k, v));
        }
        authorize(&sandbox, &params)
    };
    // On the provider's own page: the client or the redirect URI cannot be trusted.
    let (status, _, body) = with(&[("client_id", "nobody")], &[]);
    assert_eq!(status, 400);
    assert!(body.contains("invalid_client_id"));
    let (status, _, body) = with(&[("redirect_uri", "http://127.0.0.1:8765/Callback")], &[]);
    assert_eq!(status, 400);
    assert!(body.contains("invalid_redirect_uri"));
    // On the redirect, with the state.
    // (parameters changed, parameters left out, the error expected on the redirect)
    type Case = (
        Vec<(&'static str, &'static str)>,
        Vec<&'static str>,
        &'static str,
    );
    let cases: Vec<Case> = vec![
        (
            vec![("response_type", "token")],
            vec![],
            "unsupported_response_type",
        ),
        (vec![("scope", "service:LOGIN")], vec![], "invalid_scope"),
        (vec![("scope", "openid")], vec![], "invalid_scope"),
        (
            vec![("scope", "openid service:NOPE")],
            vec![],
            "invalid_scope",
        ),
        (
            vec![("scope", "openid service:LOGIN weird")],
            vec![],
            "invalid_scope",
        ),
        (
            vec![("code_challenge_method", "plain")],
            vec![],
            "invalid_request",
        ),
        (vec![], vec!["code_challenge_method"], "invalid_request"),
        (vec![("display", "popup")], vec![], "unsupported_display"),
        (vec![("claims", "{not json")], vec![], "invalid_request"),
        (
            vec![("scope", "openid service:IDENT")],
            vec!["claims"],
            "invalid_request",
        ),
        (
            vec![("scope", "openid service:CONFIRM")],
            vec![],
            "invalid_request",
        ),
    ];
    for (changes, drop, error) in cases {
        let (status, pairs, _) = with(&changes, &drop);
        assert_eq!(
            (status, pairs.get("error").map(String::as_str)),
            (302, Some(error)),
            "{changes:?} {drop:?}"
        );
        assert_eq!(pairs["state"], "st-1");
        assert!(!pairs["error_description"].is_empty());
    }
    let (_, pairs, _) = with(&[], &["response_type"]);
    assert_eq!(pairs["error"], "invalid_request");
    // A repeated parameter, or a request_uri, is refused on the provider's page.
    let mut repeated = base_params("jwt-client", &challenge);
    repeated.push(("state", "st-2"));
    let (status, _, body) = authorize(&sandbox, &repeated);
    assert!(status == 400 && body.contains("more than once"), "{body}");
    let (status, _, body) = with(&[("request_uri", "https://app.example/request.jwt")], &[]);
    assert!(
        status == 400 && body.contains("invalid_request_uri"),
        "{body}"
    );
    // An Identification service with a claim is fine.
    let (_, pairs, _) = with(&[("scope", "openid service:IDENT")], &[]);
    assert!(pairs.contains_key("code"));
}

#[test]
fn pkce_is_enforced_for_clients_that_require_it() {
    let partner = Partner::new();
    let sandbox = start(&partner, true, vec![]);
    let mut params = base_params("pkce-client", "");
    params.retain(|(k, _)| !k.starts_with("code_challenge"));
    let (_, pairs, _) = authorize(&sandbox, &params);
    assert_eq!(pairs["error"], "invalid_request");
    assert!(pairs["error_description"].contains("PKCE"));
}

#[test]
fn token_refusals_separate_bad_credentials_from_bad_codes() {
    let partner = Partner::new();
    let sandbox = start(&partner, true, vec![]);
    let challenge = tokens::pkce_challenge(VERIFIER);
    let fresh_code =
        || authorize(&sandbox, &base_params("jwt-client", &challenge)).1["code"].clone();
    let error = |form: &[(&str, &str)]| {
        token_request(&sandbox, form).1["error"]
            .as_str()
            .unwrap_or("")
            .to_string()
    };

    // Good credentials, bogus code: invalid_grant (what `validate`'s credentials probe relies on).
    let a = assertion(&sandbox, &partner, "jwt-client", "t-1", None);
    assert_eq!(
        error(&jwt_token_form("00000000-0000-0000-0000-000000000000", &a)),
        "invalid_grant"
    );
    // A replayed assertion, a wrong audience, a foreign key: invalid_client.
    assert_eq!(error(&jwt_token_form(&fresh_code(), &a)), "invalid_client");
    let wrong_aud = assertion(
        &sandbox,
        &partner,
        "jwt-client",
        "t-2",
        Some("https://elsewhere/token"),
    );
    assert_eq!(
        error(&jwt_token_form(&fresh_code(), &wrong_aud)),
        "invalid_client"
    );
    let stranger = Partner::new();
    let forged = crypto::sign_rs256(&stranger.sig, None, json!({"iss": "jwt-client", "sub": "jwt-client", "aud": format!("{}/token", sandbox.issuer()), "jti": "t-3", "exp": itsme_cli::timefmt::now() + 60}).to_string().as_bytes()).unwrap();
    assert_eq!(
        error(&jwt_token_form(&fresh_code(), &forged)),
        "invalid_client"
    );
    // Code bound to its redirect URI and PKCE verifier.
    let code = fresh_code();
    let a = assertion(&sandbox, &partner, "jwt-client", "t-4", None);
    let mut form = jwt_token_form(&code, &a);
    form[2] = ("redirect_uri", "http://127.0.0.1:8765/other");
    assert_eq!(error(&form), "invalid_grant");
    let a = assertion(&sandbox, &partner, "jwt-client", "t-5", None);
    let code = fresh_code();
    let mut form = jwt_token_form(&code, &a);
    form[3] = (
        "code_verifier",
        "not-the-verifier-not-the-verifier-not-the-ver",
    );
    assert_eq!(error(&form), "invalid_grant");
    // Client secrets.
    let code = authorize(&sandbox, &base_params("secret-client", &challenge)).1["code"].clone();
    let form = [
        ("grant_type", "authorization_code"),
        ("code", code.as_str()),
        ("redirect_uri", REDIRECT),
        ("code_verifier", VERIFIER),
        ("client_id", "secret-client"),
        ("client_secret", "wrong"),
    ];
    assert_eq!(error(&form), "invalid_client");
    let form = [
        ("grant_type", "password"),
        ("client_id", "secret-client"),
        ("client_secret", SECRET),
    ];
    assert_eq!(error(&form), "unsupported_grant_type");
}

#[test]
fn userinfo_needs_a_bearer_token() {
    let partner = Partner::new();
    let sandbox = start(&partner, true, vec![]);
    let response = http()
        .get(format!("{}/userinfo", sandbox.issuer()))
        .send()
        .unwrap();
    assert_eq!(response.status().as_u16(), 401);
    assert_eq!(
        response.headers()["www-authenticate"],
        "Bearer",
        "no error code without credentials (RFC 6750 §3.1)"
    );
    let response = http()
        .get(format!("{}/userinfo", sandbox.issuer()))
        .header("Authorization", "bEaReR forged")
        .send()
        .unwrap();
    assert_eq!(response.status().as_u16(), 401);
    assert!(
        response.headers()["www-authenticate"]
            .to_str()
            .unwrap()
            .starts_with("Bearer error=\"invalid_token\""),
        "the scheme is case-insensitive"
    );
}

#[test]
fn userinfo_faults_answer_like_a_protected_resource() {
    let partner = Partner::new();
    let sandbox = start(
        &partner,
        true,
        vec![
            "userinfo:invalid_token".parse().unwrap(),
            "userinfo:insufficient_scope".parse().unwrap(),
        ],
    );
    for (status, error) in [(401, "invalid_token"), (403, "insufficient_scope")] {
        let response = http()
            .get(format!("{}/userinfo", sandbox.issuer()))
            .bearer_auth("x")
            .send()
            .unwrap();
        assert_eq!(response.status().as_u16(), status);
        assert!(
            response.headers()["www-authenticate"]
                .to_str()
                .unwrap()
                .contains(&format!("error=\"{error}\""))
        );
    }
}

fn request_object(sandbox: &Sandbox, partner: &Partner, claims: Value) -> String {
    let signed =
        crypto::sign_rs256(&partner.sig, Some("JWT"), claims.to_string().as_bytes()).unwrap();
    let jwks: Value = http()
        .get(format!("{}/jwkSet", sandbox.issuer()))
        .send()
        .unwrap()
        .json()
        .unwrap();
    let set = PublicKeySet::parse(jwks.to_string().as_bytes()).unwrap();
    let enc = set
        .keys
        .iter()
        .find(|k| k.key_use.as_deref() == Some("enc"))
        .unwrap();
    crypto::encrypt_rsa(
        enc,
        "RSA-OAEP-256",
        "A128CBC-HS256",
        true,
        signed.as_bytes(),
    )
    .unwrap()
}

#[test]
fn signed_and_encrypted_request_objects_carry_confirmation_templates() {
    let partner = Partner::new();
    let sandbox = start(&partner, false, vec![]);
    let template = |iban: &str| {
        json!({"userinfo": {
            "http://itsme.services/v2/claim/claim_approval_template_name": {"essential": true, "value": "adv_payment"},
            "http://itsme.services/v2/claim/claim_approval_amount_key": {"essential": true, "value": "1250"},
            "http://itsme.services/v2/claim/claim_approval_currency_key": {"essential": true, "value": "EUR"},
            "http://itsme.services/v2/claim/claim_approval_iban_key": {"essential": true, "value": iban},
        }})
        .to_string()
    };
    let object = |claims: String| {
        request_object(
            &sandbox,
            &partner,
            json!({
                "iss": "jwt-client", "aud": sandbox.issuer(), "client_id": "jwt-client", "redirect_uri": REDIRECT,
                "response_type": "code", "scope": "openid service:CONFIRM", "state": "st-1", "nonce": "no-1", "claims": claims,
            }),
        )
    };
    let good = object(template("BE68539007547034"));
    let (status, _, page) = authorize(&sandbox, &[("client_id", "jwt-client"), ("request", &good)]);
    assert_eq!(status, 200, "{page}");
    assert!(
        page.contains("1250 EUR") && page.contains("BE68539007547034"),
        "{page}"
    );
    assert!(page.contains("id=\"persona\""));

    let bad = object(template("BE68539007547035"));
    let (_, pairs, _) = authorize(&sandbox, &[("client_id", "jwt-client"), ("request", &bad)]);
    assert_eq!(pairs["error"], "invalid_request");
    assert!(pairs["error_description"].contains("IBAN"));

    // A parameter outside the object must not contradict it.
    let (status, _, body) = authorize(
        &sandbox,
        &[
            ("client_id", "jwt-client"),
            ("request", &good),
            ("scope", "openid service:LOGIN"),
        ],
    );
    assert_eq!(status, 400);
    assert!(body.contains("contradicts"));
    // An object for another audience is refused.
    let wrong = request_object(
        &sandbox,
        &partner,
        json!({"iss": "jwt-client", "aud": "https://idp.prd.itsme.services/v2", "client_id": "jwt-client"}),
    );
    let (_, _, body) = authorize(
        &sandbox,
        &[("client_id", "jwt-client"), ("request", &wrong)],
    );
    assert!(
        body.contains("invalid_request_object") && body.contains("aud"),
        "{body}"
    );
}

#[test]
fn the_consent_page_approves_as_the_chosen_persona_or_denies() {
    let partner = Partner::new();
    let sandbox = start(&partner, false, vec![]);
    let challenge = tokens::pkce_challenge(VERIFIER);
    let (status, _, page) = authorize(&sandbox, &base_params("jwt-client", &challenge));
    assert_eq!(status, 200);
    assert!(
        page.contains("itsme:BENationalNumber")
            && page.contains("Belgian national register number")
    );
    let request_id = page
        .split("name=\"request\" value=\"")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap()
        .to_string();
    let decide = |decision: &str, request: &str| {
        let response = http()
            .post(format!("{}/authorization/decision", sandbox.issuer()))
            .form(&[
                ("request", request),
                ("persona", "nl-passport"),
                ("decision", decision),
            ])
            .send()
            .unwrap();
        let location = response
            .headers()
            .get("location")
            .map(|l| l.to_str().unwrap().to_string())
            .unwrap_or_default();
        (
            response.status().as_u16(),
            Url::parse(&location)
                .map(|u| u.query_pairs().into_owned().collect::<HashMap<_, _>>())
                .unwrap_or_default(),
        )
    };
    let (status, pairs) = decide("approve", &request_id);
    assert_eq!(status, 302);
    let a = assertion(&sandbox, &partner, "jwt-client", "c-1", None);
    let (_, body) = token_request(&sandbox, &jwt_token_form(&pairs["code"], &a));
    let report = check_token(
        &sandbox,
        vec![partner.enc.clone()],
        None,
        body["id_token"].as_str().unwrap(),
        id_token_of("jwt-client"),
    );
    assert!(report.valid, "{:?}", report.errors);
    assert!(
        report
            .claims
            .unwrap()
            .get("http://itsme.services/v2/claim/BENationalNumber")
            .is_none(),
        "a Dutch passport has no Belgian number"
    );
    // The same page cannot be answered twice; a new one can be denied.
    assert_eq!(decide("approve", &request_id).0, 400);
    let (_, _, page) = authorize(&sandbox, &base_params("jwt-client", &challenge));
    let request_id = page
        .split("name=\"request\" value=\"")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap()
        .to_string();
    let (status, pairs) = decide("deny", &request_id);
    assert_eq!(
        (status, pairs["error"].as_str(), pairs["state"].as_str()),
        (302, "access_denied", "st-1")
    );
}

#[test]
fn injected_faults_fail_once_and_rotated_keys_are_found_by_a_refetch() {
    let partner = Partner::new();
    let faults = vec![
        "token:invalid_grant".parse().unwrap(),
        "rotate-signing-key".parse().unwrap(),
    ];
    let sandbox = start(&partner, true, faults);
    let challenge = tokens::pkce_challenge(VERIFIER);
    let code = authorize(&sandbox, &base_params("jwt-client", &challenge)).1["code"].clone();
    let a = assertion(&sandbox, &partner, "jwt-client", "f-1", None);
    let (status, body) = token_request(&sandbox, &jwt_token_form(&code, &a));
    assert_eq!(
        (status, body["error"].as_str()),
        (400, Some("invalid_grant"))
    );
    // The fault fired once; rotation: a copy of the keys fetched before the rotated key signed
    // anything lacks it, so the engine must fetch them again on the unknown kid.
    let mut early = RemoteKeys::from_issuer(sandbox.issuer());
    let kids_before: Vec<Option<String>> = early
        .keys()
        .unwrap()
        .keys
        .iter()
        .map(|k| k.kid.clone())
        .collect();
    let a = assertion(&sandbox, &partner, "jwt-client", "f-2", None);
    let (status, body) = token_request(&sandbox, &jwt_token_form(&code, &a));
    assert_eq!(status, 200, "the fault fired once: {body}");
    let mut keyring = Keyring::new(vec![partner.enc.clone()], None, Box::new(early));
    let expect = Expectations {
        issuer: Some(sandbox.issuer().into()),
        client_id: Some("jwt-client".into()),
        nonce: Some("no-1".into()),
        ..Expectations::new(TokenKind::IdToken, itsme_cli::timefmt::now())
    };
    let report = inspect(
        body["id_token"].as_str().unwrap(),
        &mut keyring,
        &InspectOptions {
            expect,
            verify_signature: true,
        },
    )
    .unwrap();
    assert!(report.valid, "{:?}", report.errors);
    let signer = report.signature.unwrap().kid;
    assert!(
        !kids_before.contains(&signer),
        "signed by a key the early copy did not have"
    );
}

#[test]
fn requests_naming_another_host_are_refused_against_dns_rebinding() {
    use std::io::{Read, Write};
    let sandbox = Sandbox::start(SandboxOptions {
        port: 0,
        clients: vec![],
        approve: None,
        faults: vec![],
    })
    .unwrap();
    let port = sandbox.port();
    let status_for = |host: &str| {
        let mut stream = std::net::TcpStream::connect(("127.0.0.1", port)).unwrap();
        write!(
            stream,
            "GET /v2/.well-known/openid-configuration HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"
        )
        .unwrap();
        let mut answer = String::new();
        stream.read_to_string(&mut answer).unwrap();
        answer.split(' ').nth(1).unwrap_or("").to_string()
    };
    assert_eq!(status_for(&format!("127.0.0.1:{port}")), "200");
    assert_eq!(status_for(&format!("localhost:{port}")), "200");
    assert_eq!(status_for(&format!("rebound.example:{port}")), "421");
    assert_eq!(status_for("127.0.0.1.evil.example"), "421");
    assert_eq!(status_for("127.0.0.1/x@evil.example"), "421");
}
