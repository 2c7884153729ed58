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
        ciba: Default::default(),
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

    // The code is single use, even with a fresh assertion (last: a replay revokes the
    // access token, RFC 6749 §4.1.2).
    let again = self::assertion(&sandbox, &partner, "jwt-client", "jti-2", None);
    let (status, body) = token_request(&sandbox, &jwt_token_form(code, &again));
    assert_eq!(
        (status, body["error"].as_str()),
        (400, Some("invalid_grant"))
    );
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

/// A request object as a partner sends it: with an `exp` (5 minutes, unless the claims give one).
fn request_object(sandbox: &Sandbox, partner: &Partner, mut claims: Value) -> String {
    if claims.get("exp").is_none() {
        claims["exp"] = json!(itsme_cli::timefmt::now() + 300);
    }
    request_object_as_is(sandbox, partner, claims)
}

/// A request object with exactly these claims.
fn request_object_as_is(sandbox: &Sandbox, partner: &Partner, claims: Value) -> String {
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
            .header("Origin", own_origin(&sandbox))
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
        ciba: Default::default(),
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

/// The origin of the sandbox's own pages, as a browser sends it in `Origin`.
fn own_origin(sandbox: &Sandbox) -> String {
    format!("http://127.0.0.1:{}", sandbox.port())
}

/// A compact JWS with this exact header (`alg` RS256) and claims, signed by `key`.
fn signed_with_header(key: &PrivateKey, header: Value, claims: &Value) -> String {
    use base64::Engine;
    let b64 = |v: &Value| {
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(v.to_string().as_bytes())
    };
    let input = format!("{}.{}", b64(&header), b64(claims));
    let signer = josekit::jws::RS256
        .signer_from_jwk(&key.private_jwk())
        .unwrap();
    let signature = josekit::jws::JwsSigner::sign(&signer, input.as_bytes()).unwrap();
    format!(
        "{input}.{}",
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(signature)
    )
}

/// The error and description of a token request.
fn token_error(sandbox: &Sandbox, form: &[(&str, &str)]) -> (String, String) {
    let (_, body) = token_request(sandbox, form);
    (
        body["error"].as_str().unwrap_or("").to_string(),
        body["error_description"].as_str().unwrap_or("").to_string(),
    )
}

#[test]
fn token_requests_with_a_repeated_parameter_are_refused_by_name() {
    let partner = Partner::new();
    let sandbox = start(&partner, true, vec![]);
    let challenge = tokens::pkce_challenge(VERIFIER);
    let code = authorize(&sandbox, &base_params("jwt-client", &challenge)).1["code"].clone();
    let a = assertion(&sandbox, &partner, "jwt-client", "r-1", None);
    // A wrong first code_verifier must not be ignored (RFC 6749 §3.2).
    let mut form = jwt_token_form(&code, &a);
    form.insert(
        3,
        (
            "code_verifier",
            "wrong-wrong-wrong-wrong-wrong-wrong-wrong-wrong",
        ),
    );
    let (error, description) = token_error(&sandbox, &form);
    assert_eq!(error, "invalid_request", "{description}");
    assert!(
        description.contains("`code_verifier`") && description.contains("RFC 6749 §3.2"),
        "{description}"
    );
}

#[test]
fn a_code_verifier_for_a_code_without_challenge_is_a_pkce_downgrade() {
    let partner = Partner::new();
    let sandbox = start(&partner, true, vec![]);
    let params: Vec<(&str, &str)> = base_params("jwt-client", "")
        .into_iter()
        .filter(|(name, _)| !name.starts_with("code_challenge"))
        .collect();
    let code = authorize(&sandbox, &params).1["code"].clone();
    let a = assertion(&sandbox, &partner, "jwt-client", "d-1", None);
    let (error, description) = token_error(&sandbox, &jwt_token_form(&code, &a));
    assert_eq!(error, "invalid_grant", "{description}");
    assert!(description.contains("RFC 9700 §2.1.1"), "{description}");
}

#[test]
fn code_verifiers_outside_rfc_7636_syntax_are_refused() {
    let partner = Partner::new();
    let sandbox = start(&partner, true, vec![]);
    for verifier in [
        "short",
        "a verifier with spaces and enough characters to be long!",
    ] {
        let challenge = tokens::pkce_challenge(verifier);
        let code = authorize(&sandbox, &base_params("jwt-client", &challenge)).1["code"].clone();
        let a = assertion(&sandbox, &partner, "jwt-client", verifier, None);
        let mut form = jwt_token_form(&code, &a);
        form[3] = ("code_verifier", verifier);
        let (error, description) = token_error(&sandbox, &form);
        assert_eq!(error, "invalid_request", "{verifier}: {description}");
        assert!(description.contains("RFC 7636 §4.1"), "{description}");
    }
}

#[test]
fn a_replayed_code_revokes_the_tokens_issued_from_it() {
    let partner = Partner::new();
    let sandbox = start(&partner, true, vec![]);
    let challenge = tokens::pkce_challenge(VERIFIER);
    let code = authorize(&sandbox, &base_params("secret-client", &challenge)).1["code"].clone();
    let form = [
        ("grant_type", "authorization_code"),
        ("code", code.as_str()),
        ("redirect_uri", REDIRECT),
        ("code_verifier", VERIFIER),
        ("client_id", "secret-client"),
        ("client_secret", SECRET),
    ];
    let (status, body) = token_request(&sandbox, &form);
    assert_eq!(status, 200, "{body}");
    let access_token = body["access_token"].as_str().unwrap().to_string();
    let userinfo = || {
        http()
            .get(format!("{}/userinfo", sandbox.issuer()))
            .bearer_auth(&access_token)
            .send()
            .unwrap()
            .status()
            .as_u16()
    };
    assert_eq!(userinfo(), 200);
    let (error, description) = token_error(&sandbox, &form);
    assert_eq!(error, "invalid_grant");
    assert!(description.contains("RFC 6749 §4.1.2"), "{description}");
    assert_eq!(
        userinfo(),
        401,
        "the access token of a replayed code is revoked"
    );
}

#[test]
fn a_code_presented_by_another_client_is_burnt() {
    let partner = Partner::new();
    let sandbox = start(&partner, true, vec![]);
    let challenge = tokens::pkce_challenge(VERIFIER);
    let code = authorize(&sandbox, &base_params("jwt-client", &challenge)).1["code"].clone();
    let stolen = [
        ("grant_type", "authorization_code"),
        ("code", code.as_str()),
        ("redirect_uri", REDIRECT),
        ("code_verifier", VERIFIER),
        ("client_id", "secret-client"),
        ("client_secret", SECRET),
    ];
    assert_eq!(token_error(&sandbox, &stolen).0, "invalid_grant");
    let a = assertion(&sandbox, &partner, "jwt-client", "b-1", None);
    let (status, body) = token_request(&sandbox, &jwt_token_form(&code, &a));
    assert_eq!(
        (status, body["error"].as_str()),
        (400, Some("invalid_grant")),
        "{body}"
    );
}

#[test]
fn client_assertions_with_crit_future_times_or_long_lifetimes_are_refused() {
    let partner = Partner::new();
    let sandbox = start(&partner, true, vec![]);
    let challenge = tokens::pkce_challenge(VERIFIER);
    let now = itsme_cli::timefmt::now();
    let audience = format!("{}/token", sandbox.issuer());
    let claims = |jti: &str, extra: Value| {
        let mut claims = json!({"iss": "jwt-client", "sub": "jwt-client", "aud": audience, "jti": jti, "exp": now + 120});
        for (name, value) in extra.as_object().unwrap() {
            claims[name] = value.clone();
        }
        claims
    };
    let header = json!({"alg": "RS256", "kid": partner.sig.kid});
    let cases = [
        (
            signed_with_header(
                &partner.sig,
                json!({"alg": "RS256", "kid": partner.sig.kid, "crit": ["x-unknown"], "x-unknown": true}),
                &claims("a-1", json!({})),
            ),
            "RFC 7515 §4.1.11",
        ),
        (
            signed_with_header(
                &partner.sig,
                header.clone(),
                &claims("a-2", json!({"nbf": now + 600})),
            ),
            "`nbf`",
        ),
        (
            signed_with_header(
                &partner.sig,
                header.clone(),
                &claims("a-3", json!({"iat": now + 600, "exp": now + 700})),
            ),
            "`iat`",
        ),
        (
            signed_with_header(
                &partner.sig,
                header.clone(),
                &claims("a-4", json!({"iat": now, "exp": now + 365 * 86_400})),
            ),
            "RFC 7523 §3",
        ),
        (
            signed_with_header(
                &partner.sig,
                header.clone(),
                &claims("a-5", json!({"exp": now + 3600})),
            ),
            "RFC 7523 §3",
        ),
    ];
    for (assertion, rule) in cases {
        let code = authorize(&sandbox, &base_params("jwt-client", &challenge)).1["code"].clone();
        let (error, description) = token_error(&sandbox, &jwt_token_form(&code, &assertion));
        assert_eq!(error, "invalid_client", "{rule}: {description}");
        assert!(description.contains(rule), "{rule}: {description}");
    }
    // Within the skew and the bound: accepted.
    let code = authorize(&sandbox, &base_params("jwt-client", &challenge)).1["code"].clone();
    let fine = signed_with_header(
        &partner.sig,
        header,
        &claims(
            "a-6",
            json!({"iat": now + 30, "nbf": now + 30, "exp": now + 300}),
        ),
    );
    let (status, body) = token_request(&sandbox, &jwt_token_form(&code, &fine));
    assert_eq!(status, 200, "{body}");
}

/// The confirmation parameters of `jwt-client`, for request objects.
fn confirm_claims(sandbox: &Sandbox) -> Value {
    json!({
        "iss": "jwt-client", "aud": sandbox.issuer(), "client_id": "jwt-client", "redirect_uri": REDIRECT,
        "response_type": "code", "scope": "openid service:LOGIN profile", "state": "st-1", "nonce": "no-1",
    })
}

fn refused_page(sandbox: &Sandbox, object: &str) -> String {
    let (status, _, body) = authorize(sandbox, &[("client_id", "jwt-client"), ("request", object)]);
    assert_eq!(status, 400, "{body}");
    assert!(body.contains("invalid_request_object"), "{body}");
    body
}

#[test]
fn request_objects_expired_without_exp_not_yet_valid_or_with_crit_are_refused() {
    let partner = Partner::new();
    let sandbox = start(&partner, false, vec![]);
    let now = itsme_cli::timefmt::now();
    let with = |extra: Value| {
        let mut claims = confirm_claims(&sandbox);
        for (name, value) in extra.as_object().unwrap() {
            claims[name] = value.clone();
        }
        claims
    };
    let expired = request_object(&sandbox, &partner, with(json!({"exp": now - 600})));
    assert!(refused_page(&sandbox, &expired).contains("expired"));
    let no_exp = request_object_as_is(&sandbox, &partner, with(json!({})));
    assert!(refused_page(&sandbox, &no_exp).contains("no `exp`"));
    let early = request_object(&sandbox, &partner, with(json!({"nbf": now + 600})));
    assert!(refused_page(&sandbox, &early).contains("nbf"));
    // `crit` in the signed object's header.
    let signed = signed_with_header(
        &partner.sig,
        json!({"alg": "RS256", "kid": partner.sig.kid, "crit": ["x-unknown"], "x-unknown": 1}),
        &with(json!({"exp": now + 300})),
    );
    assert!(refused_page(&sandbox, &signed).contains("RFC 7515 §4.1.11"));
    // The same object still works when it is valid.
    let good = request_object(&sandbox, &partner, with(json!({})));
    let (status, _, page) = authorize(&sandbox, &[("client_id", "jwt-client"), ("request", &good)]);
    assert_eq!(status, 200, "{page}");
}

#[test]
fn a_request_object_works_once() {
    let partner = Partner::new();
    let sandbox = start(&partner, false, vec![]);
    let object = request_object(&sandbox, &partner, confirm_claims(&sandbox));
    let (status, _, page) = authorize(
        &sandbox,
        &[("client_id", "jwt-client"), ("request", &object)],
    );
    assert_eq!(status, 200, "{page}");
    assert!(refused_page(&sandbox, &object).contains("already used"));
    // The same jti in another object is a replay too.
    let mut claims = confirm_claims(&sandbox);
    claims["jti"] = json!("ro-1");
    let first = request_object(&sandbox, &partner, claims.clone());
    assert_eq!(
        authorize(
            &sandbox,
            &[("client_id", "jwt-client"), ("request", &first)]
        )
        .0,
        200
    );
    claims["state"] = json!("st-2");
    let second = request_object(&sandbox, &partner, claims);
    assert!(refused_page(&sandbox, &second).contains("already used"));
}

#[test]
fn compressed_request_objects_are_refused_before_inflating() {
    let partner = Partner::new();
    let sandbox = start(&partner, false, vec![]);
    // A valid object padded with a megabyte that compresses to almost nothing.
    let mut claims = confirm_claims(&sandbox);
    claims["exp"] = json!(itsme_cli::timefmt::now() + 300);
    claims["padding"] = json!("0".repeat(1 << 20));
    let signed =
        crypto::sign_rs256(&partner.sig, Some("JWT"), claims.to_string().as_bytes()).unwrap();
    let jwks: Value = http()
        .get(format!("{}/jwkSet", sandbox.issuer()))
        .send()
        .unwrap()
        .json()
        .unwrap();
    let enc = jwks["keys"]
        .as_array()
        .unwrap()
        .iter()
        .find(|k| k["use"] == "enc")
        .unwrap();
    let jwk = josekit::jwk::Jwk::from_map(enc.as_object().unwrap().clone()).unwrap();
    let encrypter = josekit::jwe::RSA_OAEP_256.encrypter_from_jwk(&jwk).unwrap();
    let mut header = josekit::jwe::JweHeader::new();
    header.set_content_encryption("A128CBC-HS256");
    header.set_content_type("JWT");
    header.set_compression("DEF");
    let object = josekit::jwe::serialize_compact(signed.as_bytes(), &header, &encrypter).unwrap();
    assert!(object.len() < 64 * 1024, "{}", object.len());
    assert!(refused_page(&sandbox, &object).contains("zip"));
}

/// The id of the pending request on a consent page.
fn request_id(page: &str) -> String {
    page.split("name=\"request\" value=\"")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap()
        .to_string()
}

fn post_decision(
    sandbox: &Sandbox,
    origin: Option<(&str, &str)>,
    form: &[(&str, &str)],
) -> (u16, String) {
    let mut request = http().post(format!("{}/authorization/decision", sandbox.issuer()));
    if let Some((name, value)) = origin {
        request = request.header(name, value);
    }
    let response = request.form(form).send().unwrap();
    (
        response.status().as_u16(),
        response.text().unwrap_or_default(),
    )
}

#[test]
fn the_decision_is_accepted_only_from_the_sandboxs_own_page() {
    let partner = Partner::new();
    let sandbox = start(&partner, false, vec![]);
    let challenge = tokens::pkce_challenge(VERIFIER);
    let (_, _, page) = authorize(&sandbox, &base_params("jwt-client", &challenge));
    let id = request_id(&page);
    let form = [
        ("request", id.as_str()),
        ("persona", "be-marie"),
        ("decision", "approve"),
    ];
    for origin in [
        Some(("Origin", "http://evil.example")),
        Some(("Origin", "http://127.0.0.1:1")),
        Some(("Origin", "null")),
        Some(("Referer", "http://evil.example/page")),
        None,
    ] {
        let (status, body) = post_decision(&sandbox, origin, &form);
        assert_eq!(status, 400, "{origin:?}");
        assert!(body.contains("CSRF"), "{body}");
    }
    // Refused posts did not consume the page: the sandbox's own one still approves.
    let own = own_origin(&sandbox);
    let referer = format!("{}/authorization?x=1", sandbox.issuer());
    assert_eq!(
        post_decision(&sandbox, Some(("Origin", &own)), &form).0,
        302
    );
    let (_, _, page) = authorize(&sandbox, &base_params("jwt-client", &challenge));
    let id = request_id(&page);
    let form = [
        ("request", id.as_str()),
        ("persona", "be-marie"),
        ("decision", "approve"),
    ];
    assert_eq!(
        post_decision(&sandbox, Some(("Referer", &referer)), &form).0,
        302
    );
}

#[test]
fn sandbox_pages_cannot_be_framed() {
    let partner = Partner::new();
    let sandbox = start(&partner, false, vec![]);
    let challenge = tokens::pkce_challenge(VERIFIER);
    let url = Url::parse_with_params(
        &format!("{}/authorization", sandbox.issuer()),
        &base_params("jwt-client", &challenge),
    )
    .unwrap();
    let consent = http().get(url).send().unwrap();
    let error = http()
        .get(format!(
            "{}/authorization?client_id=nobody",
            sandbox.issuer()
        ))
        .send()
        .unwrap();
    for response in [consent, error] {
        let headers = response.headers();
        assert_eq!(headers["x-frame-options"], "DENY");
        assert!(
            headers["content-security-policy"]
                .to_str()
                .unwrap()
                .contains("frame-ancestors 'none'")
        );
    }
}

#[test]
fn an_unknown_persona_does_not_approve() {
    let partner = Partner::new();
    let sandbox = start(&partner, false, vec![]);
    let challenge = tokens::pkce_challenge(VERIFIER);
    let (_, _, page) = authorize(&sandbox, &base_params("jwt-client", &challenge));
    let id = request_id(&page);
    let own = own_origin(&sandbox);
    let (status, body) = post_decision(
        &sandbox,
        Some(("Origin", &own)),
        &[
            ("request", &id),
            ("persona", "nobody"),
            ("decision", "approve"),
        ],
    );
    assert_eq!(status, 400);
    assert!(
        body.contains("unknown persona") && body.contains("nobody"),
        "{body}"
    );
}
