#![allow(dead_code)] // each fuzz target uses part of the harness
//! What the fuzz targets run, shared with `tests/it/fuzz_regressions.rs` so that every input the
//! fuzzer ever found is replayed by `cargo test`. Each function panics only when an invariant
//! breaks; a panic is a bug in itsme-cli, never in the input.

use serde_json::{Map, Value};

use itsme_cli::jose::keys::{PublicKeySet, load_private_keys};
use itsme_cli::limits::MAX_TOKEN_BYTES;
use itsme_cli::oidc::validate::{Expectations, TokenKind};
use itsme_cli::secret::Secret;
use itsme_cli::timefmt::parse_instant;
use itsme_cli::token::inspect::{InspectOptions, Keyring, inspect, inspect_claims};
use itsme_cli::token::keysource::StaticKeys;

const VECTORS: &str = include_str!("../tests/vectors/vectors.json");
const PARTNER_KEYS: &[u8] = include_bytes!("../tests/vectors/partner-private.jwks.json");
const PROVIDER_KEYS: &[u8] = include_bytes!("../tests/vectors/provider.jwks.json");

/// `decode-token` with every key the test vectors use: the partner's RSA keys, the client
/// secret (dir / HS256 tokens) and the provider's public keys, validating as of the vectors' `now`.
pub struct Decoder {
    keyring: Keyring,
    id_token: InspectOptions,
    userinfo: InspectOptions,
    /// The tokens that are valid as of `now`: the only ones a fuzzed input may be valid as.
    valid_tokens: Vec<String>,
}

impl Decoder {
    /// Loads the keys and expectations of `tests/vectors`.
    pub fn new() -> Self {
        let vectors: Value = serde_json::from_str(VECTORS).expect("vectors.json is JSON");
        let constant = |name: &str| vectors["constants"][name].as_str().expect(name).to_string();
        let now = parse_instant(&constant("now")).expect("`now` parses");
        let keyring = Keyring::new(
            load_private_keys(PARTNER_KEYS, "partner-private.jwks.json").expect("partner keys"),
            Some(Secret::new(constant("client_secret"))),
            Box::new(StaticKeys::new(
                PublicKeySet::parse(PROVIDER_KEYS).expect("provider keys"),
                "provider.jwks.json",
            )),
        );
        let options = |kind| InspectOptions {
            expect: Expectations {
                issuer: Some(constant("issuer")),
                client_id: Some(constant("client_id")),
                nonce: (kind == TokenKind::IdToken).then(|| constant("nonce")),
                ..Expectations::new(kind, now)
            },
            verify_signature: true,
        };
        let valid_tokens = vectors["vectors"]
            .as_array()
            .expect("vectors")
            .iter()
            .filter_map(|v| v["token"].as_str())
            .map(str::to_string)
            .collect();
        Decoder {
            keyring,
            id_token: options(TokenKind::IdToken),
            userinfo: options(TokenKind::Userinfo),
            valid_tokens,
        }
    }

    /// The same decoder with no token counted as genuine: every acceptance then breaks the
    /// invariant (used to prove that the invariant can fail).
    pub fn trusting_no_token(mut self) -> Self {
        self.valid_tokens.clear();
        self
    }

    /// Decodes `data` as `decode-token` reads a token (cleaned of quotes, `Bearer`, whitespace),
    /// as an ID token and as userinfo. Invariants: no panic; a token is valid only if it is one of
    /// the genuine test tokens (the fuzzer cannot forge a signature or an encryption); an invalid
    /// report always names at least one problem.
    pub fn decode(&mut self, data: &[u8]) {
        let Ok(text) = itsme_cli::input::utf8(data) else {
            return;
        };
        let token = itsme_cli::input::clean_token(text);
        for options in [&self.id_token, &self.userinfo] {
            let report = inspect(token, &mut self.keyring, options)
                .expect("static provider keys never fail to load");
            if report.valid {
                assert!(
                    self.valid_tokens.iter().any(|t| t == token),
                    "a token that is not a genuine test token was accepted: {token:?}"
                );
                assert!(report.errors.is_empty());
            } else {
                assert!(
                    !report.errors.is_empty() || !report.verified,
                    "an invalid report names no problem: {token:?}"
                );
            }
            if token.len() > MAX_TOKEN_BYTES {
                assert!(!report.valid);
            }
        }
    }

    /// Validates `data` as a claims set (a JSON object) as an ID token's and as userinfo: the
    /// claim rules and the itsme® claim checks (check digits, photos, dates) on arbitrary values.
    pub fn claims(&self, data: &[u8]) {
        let Ok(claims) = serde_json::from_slice::<Map<String, Value>>(data) else {
            return;
        };
        for options in [&self.id_token, &self.userinfo] {
            let report = inspect_claims(claims.clone(), options);
            // inspect_claims checks claims only: the JSON itself is never "verified".
            assert!(!report.verified, "plain claims reported as verified");
            assert_eq!(report.valid, report.errors.is_empty());
        }
    }
}

impl Default for Decoder {
    fn default() -> Self {
        Self::new()
    }
}

/// The redirect URI and state of the login the `callback` target pretends to wait for.
pub const REDIRECT_URI: &str = "http://127.0.0.1:8765/callback?tenant=a";
/// The expected `state`.
pub const STATE: &str = "S7ateOfThisLogin";

/// Arbitrary bytes as a request head reaching the login's listener, and as an address pasted in
/// paste mode. Invariants: no panic; an accepted response carries a non-empty code; the listener
/// accepts only a GET that names the redirect URI's host.
pub fn callback(data: &[u8]) {
    use itsme_cli::loopback::{Callback, Verdict, judge_request_head, read_pasted_response};
    let redirect_uri = url::Url::parse(REDIRECT_URI).expect("a URL");
    if let Some(Verdict::Response(Ok(callback))) = judge_request_head(&redirect_uri, data, STATE) {
        let head = String::from_utf8_lossy(data).to_ascii_lowercase();
        // An empty line before the request line is allowed (RFC 9112 §2.2).
        let request_line = head.trim_start_matches(['\r', '\n']);
        assert!(
            request_line.starts_with("get "),
            "accepted a method other than GET"
        );
        assert!(head.contains("\nhost:"), "accepted without a Host header");
        if let Callback::Code { code } = callback {
            assert!(!code.expose().is_empty(), "accepted an empty code");
        }
    }
    if let Ok(text) = std::str::from_utf8(data)
        && let Ok(Callback::Code { code }) = read_pasted_response(text, STATE)
    {
        assert!(!code.expose().is_empty(), "accepted an empty pasted code");
    }
}

// ---------------------------------------------------------------------------------------------
// The sandbox's request rules: the authorization endpoint (`sandbox::authorize::check`, query
// strings and request objects) and the token endpoint's client authentication
// (`sandbox::tokens::authenticate`). The token endpoint's code, redirect-URI and verifier checks
// are in `sandbox/server.rs`'s private `token` handler, behind the provider's state: they are not
// reachable without a socket, so this target does not cover them (fuzz/README.md).

use std::collections::{HashMap, HashSet};

use itsme_cli::jose::compact::{self, Compact, header_str};
use itsme_cli::jose::crypto::{self, RsaDecrypter};
use itsme_cli::jose::keys::{PrivateKey, PublicKey};
use itsme_cli::sandbox::authorize::{self, AuthorizationRequest, ProviderContext, Refusal};
use itsme_cli::sandbox::config::{Client, ClientAuth, Service, ServiceKind};
use itsme_cli::sandbox::tokens::{self, pkce_challenge};

const OTHER_KEYS: &[u8] = include_bytes!("../tests/vectors/other-private.jwks.json");

/// The sandbox's issuer in the `sandbox` target (`aud` of request objects).
pub const SANDBOX_ISSUER: &str = "http://127.0.0.1:8444/v2";
/// Its token endpoint (`aud` of client assertions).
pub const SANDBOX_TOKEN_ENDPOINT: &str = "http://127.0.0.1:8444/v2/token";
/// The client-assertion audiences the harness's sandbox accepts: its default, the documented one.
const AUDIENCES: tokens::AssertionAudiences<'static> = tokens::AssertionAudiences {
    issuer: SANDBOX_ISSUER,
    token_endpoint: SANDBOX_TOKEN_ENDPOINT,
    accepted: itsme_cli::sandbox::config::AcceptedAssertionAud::TokenEndpoint,
};
/// The PKCE verifier of the seeds (its S256 challenge is in their authorization requests).
pub const SANDBOX_VERIFIER: &str = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
/// The client assertion type of private_key_jwt (RFC 7523).
const ASSERTION_TYPE: &str = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

/// How a registered client authenticates, as the harness knows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Auth {
    /// private_key_jwt with the partner keys of `tests/vectors`.
    PartnerKey,
    /// private_key_jwt with the `other-sig` key of `tests/vectors`.
    OtherKey,
    /// client_secret_post with the vectors' client secret.
    Secret,
}

/// A client as the harness registers it; the invariants are checked against this list, kept
/// apart from the `Client`s the sandbox is given (so a test can make the harness forget one).
#[derive(Debug, Clone)]
struct Registration {
    client_id: &'static str,
    auth: Auth,
    redirect_uris: Vec<&'static str>,
    services: Vec<(&'static str, ServiceKind)>,
    require_pkce: bool,
}

fn registrations() -> Vec<Registration> {
    vec![
        Registration {
            client_id: "my-partner-code",
            auth: Auth::PartnerKey,
            redirect_uris: vec![
                "http://127.0.0.1:8765/callback",
                "https://partner.example/cb?tenant=a",
            ],
            services: vec![
                ("LOGIN", ServiceKind::Authentication),
                ("ID", ServiceKind::Identification),
                ("PAY", ServiceKind::Confirmation),
                ("SHARE", ServiceKind::DataSharing),
            ],
            require_pkce: true,
        },
        Registration {
            client_id: "other-partner",
            auth: Auth::OtherKey,
            redirect_uris: vec!["http://127.0.0.1:9000/cb"],
            services: vec![("LOGIN", ServiceKind::Authentication)],
            require_pkce: false,
        },
        Registration {
            client_id: "secret-client",
            auth: Auth::Secret,
            redirect_uris: vec!["https://rp.example/callback"],
            services: vec![("LOGIN", ServiceKind::Authentication)],
            require_pkce: false,
        },
    ]
}

/// What the sandbox answered an authorization request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AuthorizeVerdict {
    /// Not a query the sandbox would see (not UTF-8, not part of a URL).
    NotARequest,
    /// Accepted; `true` when a request object carried the parameters.
    Accepted { request_object: bool },
    /// Refused on the provider's page with this error.
    Page(&'static str),
    /// Refused back to the redirect URI with this error.
    Redirect(&'static str),
}

/// The sandbox's request rules with the keys of `tests/vectors`: three registered clients (two
/// private_key_jwt, one client secret), the sandbox's encryption key (`other-enc`), and the
/// signatures the harness itself made (the only ones the sandbox may accept).
pub struct SandboxRules {
    clients: Vec<Client>,
    registry: Vec<Registration>,
    decrypter: RsaDecrypter,
    encryption_key: PublicKey,
    partner_sig: PrivateKey,
    other_sig: PrivateKey,
    client_secret: String,
    now: i64,
    /// Signature → the client whose key made it: request objects and client assertions the
    /// harness signed (RS256 is deterministic, so the seeds' signatures are among them).
    genuine: HashMap<Vec<u8>, &'static str>,
}

impl SandboxRules {
    /// The clients, keys and genuine signatures; `now` is the test vectors' `now`.
    pub fn new() -> Self {
        let vectors: Value = serde_json::from_str(VECTORS).expect("vectors.json is JSON");
        let constant = |name: &str| vectors["constants"][name].as_str().expect(name).to_string();
        let now = parse_instant(&constant("now")).expect("`now` parses");
        let by_use = |keys: &[PrivateKey], key_use: &str| {
            keys.iter()
                .find(|k| k.key_use.as_deref() == Some(key_use))
                .cloned()
                .expect("a key of each use")
        };
        let partner = load_private_keys(PARTNER_KEYS, "partner-private.jwks.json").expect("keys");
        let other = load_private_keys(OTHER_KEYS, "other-private.jwks.json").expect("keys");
        let (partner_sig, other_sig) = (by_use(&partner, "sig"), by_use(&other, "sig"));
        let sandbox_enc = by_use(&other, "enc");
        let public_set = |keys: &[&PrivateKey]| {
            let jwks: Vec<_> = keys.iter().map(|k| k.public_jwk()).collect();
            PublicKeySet::parse(PublicKeySet::document(&jwks).to_string().as_bytes())
                .expect("a public set")
        };
        let client_secret = constant("client_secret");
        let registry = registrations();
        let clients = registry
            .iter()
            .map(|r| Client {
                client_id: r.client_id.into(),
                auth: match r.auth {
                    Auth::PartnerKey => ClientAuth::PrivateKeyJwt(public_set(&[
                        &by_use(&partner, "sig"),
                        &by_use(&partner, "enc"),
                    ])),
                    Auth::OtherKey => ClientAuth::PrivateKeyJwt(public_set(&[
                        &by_use(&other, "sig"),
                        &by_use(&other, "enc"),
                    ])),
                    Auth::Secret => ClientAuth::Secret(Secret::new(client_secret.clone())),
                },
                redirect_uris: r.redirect_uris.iter().map(|u| u.to_string()).collect(),
                services: r
                    .services
                    .iter()
                    .map(|(code, kind)| Service {
                        code: code.to_string(),
                        kind: *kind,
                    })
                    .collect(),
                require_pkce: r.require_pkce,
            })
            .collect();
        let mut rules = SandboxRules {
            clients,
            registry,
            decrypter: RsaDecrypter::new(&sandbox_enc),
            encryption_key: public_set(&[&sandbox_enc]).keys.remove(0),
            partner_sig,
            other_sig,
            client_secret,
            now,
            genuine: HashMap::new(),
        };
        for (_, signer, claims) in rules.request_objects() {
            rules.sign(signer, Some("JWT"), &claims);
        }
        for (_, signer, claims) in rules.client_assertions() {
            rules.sign(signer, None, &claims);
        }
        rules
    }

    /// The same rules with no signature counted as genuine: every accepted request object or
    /// client assertion then breaks the invariant (used to prove that it can fail).
    pub fn trusting_no_signature(mut self) -> Self {
        self.genuine.clear();
        self
    }

    /// The same sandbox, but the harness forgets every registered redirect URI: any accepted
    /// request (or error sent to a redirect URI) then breaks the invariant.
    pub fn forgetting_redirect_uris(mut self) -> Self {
        for registration in &mut self.registry {
            registration.redirect_uris.clear();
        }
        self
    }

    /// Signs `claims` RS256 with `signer` (as `client_id`'s key) and counts the signature as
    /// genuine.
    fn sign(&mut self, signer: &'static str, typ: Option<&str>, claims: &Value) -> String {
        let key = match self.auth_of(signer) {
            Some(Auth::OtherKey) => &self.other_sig,
            _ => &self.partner_sig,
        };
        let jws = crypto::sign_rs256(key, typ, claims.to_string().as_bytes()).expect("signs");
        if let Ok(Compact::Jws(parsed)) = compact::parse(&jws) {
            self.genuine.insert(parsed.signature, signer);
        }
        jws
    }

    fn auth_of(&self, client_id: &str) -> Option<Auth> {
        self.registry
            .iter()
            .find(|r| r.client_id == client_id)
            .map(|r| r.auth)
    }

    fn registered(&self, client_id: Option<&str>) -> Option<&Registration> {
        self.registry
            .iter()
            .find(|r| Some(r.client_id) == client_id)
    }

    /// The request objects the harness signs: (name, signing client, claims).
    fn request_objects(&self) -> Vec<(&'static str, &'static str, Value)> {
        let now = self.now;
        let base = |client: &str, redirect_uri: &str, scope: &str, jti: &str| {
            serde_json::json!({
                "client_id": client, "response_type": "code", "scope": scope,
                "redirect_uri": redirect_uri, "state": "st-object", "nonce": "n-object",
                "code_challenge": pkce_challenge(SANDBOX_VERIFIER), "code_challenge_method": "S256",
                "iss": client, "aud": SANDBOX_ISSUER, "iat": now, "nbf": now, "exp": now + 300,
                "jti": jti,
            })
        };
        let partner = "my-partner-code";
        let login = base(
            partner,
            "http://127.0.0.1:8765/callback",
            "openid service:LOGIN",
            "ro-1",
        );
        let mut payment = base(
            partner,
            "https://partner.example/cb?tenant=a",
            "openid service:PAY",
            "ro-2",
        );
        let confirmation = itsme_cli::itsme::confirmation::Confirmation::payment(
            "1250",
            "EUR",
            "BE68539007547034",
        )
        .expect("a payment template");
        payment["claims"] = serde_json::json!({ "userinfo": confirmation.claims() });
        let mut identification = base(
            partner,
            "http://127.0.0.1:8765/callback",
            "openid service:ID profile",
            "ro-3",
        );
        identification["claims"] = serde_json::json!({
            "id_token": { "http://itsme.services/v2/claim/BENationalNumber": null },
        });
        identification["acr_values"] = "http://itsme.services/v2/claim/acr_advanced".into();
        let mut wrong_aud = login.clone();
        wrong_aud["aud"] = "https://idp.e2e.itsme.services/v2".into();
        let mut other_iss = base(
            "other-partner",
            "http://127.0.0.1:9000/cb",
            "openid service:LOGIN",
            "ro-5",
        );
        other_iss["iss"] = "other-partner".into();
        let other = base(
            "other-partner",
            "http://127.0.0.1:9000/cb",
            "openid service:LOGIN",
            "ro-6",
        );
        vec![
            ("login", partner, login),
            ("payment", partner, payment),
            ("identification", partner, identification),
            ("wrong-aud", partner, wrong_aud),
            // Signed with the partner's key, for another client: must not verify.
            ("for-another-client", partner, other_iss),
            ("other-partner", "other-partner", other),
        ]
    }

    /// The client assertions the harness signs: (name, signing client, claims).
    fn client_assertions(&self) -> Vec<(&'static str, &'static str, Value)> {
        let now = self.now;
        let assertion = |client: &str, jti: &str| {
            serde_json::json!({
                "iss": client, "sub": client, "aud": SANDBOX_TOKEN_ENDPOINT, "jti": jti,
                "iat": now, "exp": now + 120,
            })
        };
        let partner = "my-partner-code";
        let mut aud_issuer = assertion(partner, "ca-2");
        aud_issuer["aud"] = SANDBOX_ISSUER.into();
        let mut expired = assertion(partner, "ca-3");
        expired["exp"] = (now - 600).into();
        let mut no_jti = assertion(partner, "");
        no_jti.as_object_mut().map(|c| c.remove("jti"));
        let mut aud_list = assertion(partner, "ca-5");
        aud_list["aud"] = serde_json::json!([SANDBOX_ISSUER, SANDBOX_TOKEN_ENDPOINT]);
        vec![
            ("good", partner, assertion(partner, "ca-1")),
            ("aud-issuer", partner, aud_issuer),
            ("expired", partner, expired),
            ("no-jti", partner, no_jti),
            ("aud-list", partner, aud_list),
            (
                "other-partner",
                "other-partner",
                assertion("other-partner", "ca-6"),
            ),
            // Signed with the partner's key, claiming to be other clients: must fail.
            (
                "for-another-client",
                partner,
                assertion("other-partner", "ca-7"),
            ),
            (
                "for-a-secret-client",
                partner,
                assertion("secret-client", "ca-8"),
            ),
        ]
    }

    /// Runs `data` through both endpoints' rules (as an authorization query and as a token form).
    pub fn run(&self, data: &[u8]) {
        let _ = self.authorize(data);
        let _ = self.token(data);
    }

    /// `data` as the query of `GET /v2/authorization`, read as the sandbox reads it, through
    /// `sandbox::authorize::check`. Invariants: no panic; a request is accepted only for a
    /// registered client, one of its redirect URIs exactly and one of its service codes (with the
    /// service's kind), with `openid`, with PKCE when the client requires it, through a request
    /// object when the service is a Confirmation; a request object is accepted only when its
    /// signature is one the harness made with that client's key, and its parameters win; an
    /// error goes to a redirect URI only when it is registered for the client named.
    pub fn authorize(&self, data: &[u8]) -> AuthorizeVerdict {
        let Ok(query) = std::str::from_utf8(data) else {
            return AuthorizeVerdict::NotARequest;
        };
        // What the sandbox's router does with the request target.
        let Ok(url) = url::Url::parse(&format!("http://sandbox/v2/authorization?{query}")) else {
            return AuthorizeVerdict::NotARequest;
        };
        let pairs: Vec<(String, String)> = url.query_pairs().into_owned().collect();
        let given = |name: &str| {
            pairs
                .iter()
                .find(|(n, _)| n == name)
                .map(|(_, v)| v.as_str())
        };
        // Each input is a request of its own: no request object has been seen before it.
        let mut seen = HashSet::new();
        let mut context = ProviderContext {
            issuer: SANDBOX_ISSUER,
            decrypter: &self.decrypter,
            now: self.now,
            seen_request_objects: &mut seen,
            legacy_authorize: None,
        };
        match authorize::check(&pairs, &self.clients, &mut context) {
            Ok(request) => {
                self.check_accepted(&pairs, &request);
                AuthorizeVerdict::Accepted {
                    request_object: request.request_object,
                }
            }
            Err(Refusal::Redirect {
                redirect_uri,
                error,
                description,
                ..
            }) => {
                let registration = self
                    .registered(given("client_id"))
                    .expect("an error was redirected for a client that is not registered");
                assert!(
                    registration.redirect_uris.contains(&redirect_uri.as_str()),
                    "an error was sent to an unregistered redirect URI: {redirect_uri:?}"
                );
                assert!(!error.is_empty() && !description.is_empty());
                AuthorizeVerdict::Redirect(error)
            }
            Err(Refusal::Page { error, description }) => {
                assert!(!error.is_empty() && !description.is_empty());
                AuthorizeVerdict::Page(error)
            }
        }
    }

    fn check_accepted(&self, pairs: &[(String, String)], request: &AuthorizationRequest) {
        let names: HashSet<&str> = pairs.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(names.len(), pairs.len(), "accepted a repeated parameter");
        let given = |name: &str| {
            pairs
                .iter()
                .find(|(n, _)| n == name)
                .map(|(_, v)| v.as_str())
        };
        assert_eq!(given("client_id"), Some(request.client_id.as_str()));
        let registration = self
            .registered(Some(&request.client_id))
            .expect("accepted an unregistered client");
        assert!(
            registration
                .redirect_uris
                .contains(&request.redirect_uri.as_str()),
            "accepted an unregistered redirect URI: {:?}",
            request.redirect_uri
        );
        assert!(
            registration
                .services
                .contains(&(request.service.as_str(), request.service_kind)),
            "accepted a service the client does not have: {:?}",
            request.service
        );
        assert!(request.scopes.iter().any(|s| s == "openid"));
        let service_scopes: Vec<&String> = request
            .scopes
            .iter()
            .filter(|s| s.starts_with("service:"))
            .collect();
        assert_eq!(service_scopes, [&format!("service:{}", request.service)]);
        if registration.require_pkce {
            assert!(
                request
                    .code_challenge
                    .as_ref()
                    .is_some_and(|c| c.len() == 43),
                "accepted a request without PKCE for a client that requires it"
            );
        }
        if request.service_kind == ServiceKind::Confirmation {
            assert!(request.request_object && request.confirmation.is_some());
        }
        assert_eq!(request.request_object, given("request").is_some());
        if let Some(object) = given("request") {
            self.check_request_object(object, request);
        }
    }

    /// An accepted request object: genuine, from the client, and its parameters are the ones used.
    fn check_request_object(&self, object: &str, request: &AuthorizationRequest) {
        let decrypted;
        let signed = match compact::parse(object).expect("an accepted request object parses") {
            Compact::Jwe(jwe) => {
                let alg = header_str(&jwe.header, "alg").unwrap_or("");
                decrypted = self
                    .decrypter
                    .decrypt(jwe.compact, alg)
                    .expect("an accepted request object decrypts");
                String::from_utf8(decrypted).expect("an accepted request object is text")
            }
            Compact::Jws(_) => object.to_string(),
        };
        let Ok(Compact::Jws(jws)) = compact::parse(&signed) else {
            panic!("accepted a request object that is not a JWS: {signed:?}");
        };
        assert_eq!(
            self.genuine.get(&jws.signature).copied(),
            Some(request.client_id.as_str()),
            "accepted a request object the client's key did not sign: {signed:?}"
        );
        let claims = compact::parse_claims(&jws.payload, "request object").expect("claims");
        assert_eq!(
            claims.get("iss").and_then(Value::as_str),
            Some(request.client_id.as_str())
        );
        let inside = |name: &str| claims.get(name).and_then(Value::as_str);
        for (name, used) in [
            ("redirect_uri", Some(request.redirect_uri.as_str())),
            ("state", request.state.as_deref()),
            ("nonce", request.nonce.as_deref()),
            ("code_challenge", request.code_challenge.as_deref()),
        ] {
            if let Some(value) = inside(name) {
                assert_eq!(Some(value), used, "`{name}` inside the request object lost");
            }
        }
        if let Some(scope) = inside("scope") {
            assert_eq!(
                scope.split_whitespace().collect::<Vec<_>>(),
                request.scopes,
                "`scope` inside the request object lost"
            );
        }
    }

    /// `data` as the form body of `POST /v2/token`, read as the sandbox reads it, through
    /// `sandbox::tokens::authenticate` (client authentication). Invariants: no panic; a client
    /// is authenticated only if registered, a secret client only with its exact secret, a
    /// private_key_jwt client only with a well-typed assertion whose signature is one the
    /// harness made with that client's key, whose `iss` and `sub` are the client, whose `aud`
    /// is the token endpoint, not expired; and the same assertion never twice. Returns the
    /// client authenticated, or the error code.
    pub fn token(&self, data: &[u8]) -> Result<String, &'static str> {
        // As the sandbox's `read_form` reads a body (a repeated name: the last value).
        let form: Map<String, Value> = url::form_urlencoded::parse(data)
            .into_owned()
            .map(|(k, v)| (k, Value::String(v)))
            .collect();
        let mut seen_jti = HashSet::new();
        let authenticated =
            tokens::authenticate(&form, &self.clients, &AUDIENCES, self.now, &mut seen_jti);
        match authenticated {
            Ok(client) => {
                self.check_authenticated(&form, &client.client_id);
                if form.contains_key("client_assertion") {
                    assert!(
                        tokens::authenticate(
                            &form,
                            &self.clients,
                            &AUDIENCES,
                            self.now,
                            &mut seen_jti,
                        )
                        .is_err(),
                        "a client assertion was accepted twice"
                    );
                }
                Ok(client.client_id.clone())
            }
            Err(e) => {
                assert!(
                    matches!(
                        e.error,
                        "invalid_request" | "invalid_client" | "unauthorized_client"
                    ),
                    "client authentication failed with {:?}",
                    e.error
                );
                assert!(!e.description.is_empty());
                Err(e.error)
            }
        }
    }

    fn check_authenticated(&self, form: &Map<String, Value>, client_id: &str) {
        let field = |name: &str| form.get(name).and_then(Value::as_str);
        let registration = self
            .registered(Some(client_id))
            .expect("authenticated an unregistered client");
        if registration.auth == Auth::Secret {
            assert_eq!(field("client_assertion"), None);
            assert_eq!(field("client_id"), Some(client_id));
            assert_eq!(
                field("client_secret"),
                Some(self.client_secret.as_str()),
                "a secret client authenticated without its secret"
            );
            return;
        }
        assert_eq!(field("client_assertion_type"), Some(ASSERTION_TYPE));
        assert!(field("client_id").is_none_or(|id| id == client_id));
        let assertion = field("client_assertion").expect("authenticated without an assertion");
        let Ok(Compact::Jws(jws)) = compact::parse(assertion) else {
            panic!("authenticated with an assertion that is not a JWS: {assertion:?}");
        };
        assert_eq!(
            self.genuine.get(&jws.signature).copied(),
            Some(client_id),
            "authenticated with an assertion the client's key did not sign: {assertion:?}"
        );
        let claims = compact::parse_claims(&jws.payload, "client assertion").expect("claims");
        let claim = |name: &str| claims.get(name).and_then(Value::as_str);
        assert_eq!(claim("iss"), Some(client_id));
        assert_eq!(claim("sub"), Some(client_id));
        let aud_ok = match claims.get("aud") {
            Some(Value::String(a)) => a == SANDBOX_TOKEN_ENDPOINT,
            Some(Value::Array(list)) => list.iter().any(|a| a == SANDBOX_TOKEN_ENDPOINT),
            _ => false,
        };
        assert!(
            aud_ok,
            "authenticated with an assertion for another audience"
        );
        let exp = claims.get("exp").and_then(Value::as_i64);
        assert!(
            exp.is_some_and(|exp| exp + 60 >= self.now),
            "authenticated with an expired assertion"
        );
    }

    /// The seed inputs of the `sandbox` target (`fuzz/seeds/sandbox/`): authorization queries,
    /// plain and with request objects (signed, and encrypted to the sandbox's key with
    /// RSA-OAEP-256 and RSA-OAEP), and token forms with secrets and client assertions. The
    /// encrypted ones differ on each call (RSA-OAEP is randomized); the signed ones do not.
    pub fn seeds(&mut self) -> Vec<(String, Vec<u8>)> {
        let query = |pairs: &[(&str, &str)]| {
            url::form_urlencoded::Serializer::new(String::new())
                .extend_pairs(pairs)
                .finish()
                .into_bytes()
        };
        let challenge = pkce_challenge(SANDBOX_VERIFIER);
        let mut seeds: Vec<(String, Vec<u8>)> = Vec::new();
        let partner = [
            ("client_id", "my-partner-code"),
            ("redirect_uri", "http://127.0.0.1:8765/callback"),
            ("response_type", "code"),
        ];
        let pkce = [
            ("code_challenge", challenge.as_str()),
            ("code_challenge_method", "S256"),
        ];
        let secret_client = [
            ("client_id", "secret-client"),
            ("redirect_uri", "https://rp.example/callback"),
            ("response_type", "code"),
        ];
        let plain: Vec<(&str, Vec<(&str, &str)>)> = vec![
            (
                "login-secret-client",
                [&secret_client[..], &[("scope", "openid service:LOGIN"), ("state", "st"), ("nonce", "n")]].concat(),
            ),
            (
                "login-pkce",
                [&partner[..], &pkce, &[("scope", "openid service:LOGIN"), ("state", "st"), ("ui_locales", "nl fr")]].concat(),
            ),
            (
                "identification-claims",
                [&partner[..], &pkce, &[
                    ("scope", "openid service:ID profile email"),
                    ("claims", r#"{"id_token":{"http://itsme.services/v2/claim/BENationalNumber":null},"userinfo":{"phone_number":{"essential":true}}}"#),
                    ("acr_values", "http://itsme.services/v2/claim/acr_basic http://itsme.services/v2/claim/acr_advanced"),
                    ("display", "page"),
                ]].concat(),
            ),
            ("identification-no-claim", [&partner[..], &pkce, &[("scope", "openid service:ID")]].concat()),
            ("no-pkce", [&partner[..], &[("scope", "openid service:LOGIN")]].concat()),
            ("pkce-plain", [&partner[..], &[("scope", "openid service:LOGIN"), ("code_challenge", challenge.as_str()), ("code_challenge_method", "plain")]].concat()),
            ("confirmation-without-object", [&partner[..], &pkce, &[("scope", "openid service:PAY")]].concat()),
            ("unknown-client", [("client_id", "nobody"), ("redirect_uri", "https://rp.example/callback"), ("response_type", "code"), ("scope", "openid service:LOGIN")].to_vec()),
            ("redirect-uri-not-registered", [("client_id", "secret-client"), ("redirect_uri", "https://rp.example/callback/"), ("response_type", "code"), ("scope", "openid service:LOGIN")].to_vec()),
            ("another-clients-service", [&secret_client[..], &[("scope", "openid service:ID")]].concat()),
            ("no-openid", [&secret_client[..], &[("scope", "service:LOGIN")]].concat()),
            ("two-services", [&secret_client[..], &[("scope", "openid service:LOGIN service:LOGIN")]].concat()),
            ("repeated-parameter", [&secret_client[..], &[("scope", "openid service:LOGIN"), ("state", "a"), ("state", "b")]].concat()),
            ("response-type-token", [("client_id", "secret-client"), ("redirect_uri", "https://rp.example/callback"), ("response_type", "token"), ("scope", "openid service:LOGIN")].to_vec()),
            ("request-uri", [&secret_client[..], &[("scope", "openid service:LOGIN"), ("request_uri", "https://rp.example/ro")]].concat()),
        ];
        for (name, pairs) in plain {
            seeds.push((format!("authorize-{name}"), query(&pairs)));
        }
        for (name, signer, claims) in self.request_objects() {
            let jws = self.sign(signer, Some("JWT"), &claims);
            let outside = |object: &str| {
                let field = |n: &str| claims[n].as_str().unwrap_or_default().to_string();
                query(&[
                    ("client_id", &field("client_id")),
                    ("response_type", "code"),
                    ("scope", &field("scope")),
                    ("redirect_uri", &field("redirect_uri")),
                    ("request", object),
                ])
            };
            seeds.push((format!("authorize-object-signed-{name}"), outside(&jws)));
            if matches!(name, "login" | "payment") {
                for (alg, enc) in [("RSA-OAEP-256", "A256GCM"), ("RSA-OAEP", "A128CBC-HS256")] {
                    let jwe =
                        crypto::encrypt_rsa(&self.encryption_key, alg, enc, true, jws.as_bytes())
                            .expect("encrypts");
                    seeds.push((
                        format!("authorize-object-{alg}-{enc}-{name}"),
                        outside(&jwe),
                    ));
                }
            }
        }
        // A request object that contradicts the query, and one in the query of a secret client.
        let login = self.request_objects().remove(0).2;
        let jws = self.sign("my-partner-code", Some("JWT"), &login);
        seeds.push((
            "authorize-object-contradicted".into(),
            query(
                &[
                    &partner[..],
                    &[("scope", "openid service:ID"), ("request", &jws)],
                ]
                .concat(),
            ),
        ));
        seeds.push((
            "authorize-object-for-a-secret-client".into(),
            query(
                &[
                    &secret_client[..],
                    &[("scope", "openid service:LOGIN"), ("request", &jws)],
                ]
                .concat(),
            ),
        ));
        let code = "0f8e2d1c-3b4a-4596-a7b8-c9d0e1f2a3b4";
        let grant = [
            ("grant_type", "authorization_code"),
            ("code", code),
            ("redirect_uri", "http://127.0.0.1:8765/callback"),
            ("code_verifier", SANDBOX_VERIFIER),
        ];
        let secret = self.client_secret.clone();
        let secret_grant = [
            ("grant_type", "authorization_code"),
            ("code", code),
            ("redirect_uri", "https://rp.example/callback"),
            ("client_id", "secret-client"),
        ];
        let forms: Vec<(&str, Vec<(&str, &str)>)> = vec![
            (
                "secret",
                [&secret_grant[..], &[("client_secret", secret.as_str())]].concat(),
            ),
            (
                "secret-wrong",
                [&secret_grant[..], &[("client_secret", "not-the-secret")]].concat(),
            ),
            ("secret-missing", secret_grant.to_vec()),
            (
                "secret-repeated",
                [
                    &secret_grant[..],
                    &[
                        ("client_secret", "not-the-secret"),
                        ("client_secret", secret.as_str()),
                    ],
                ]
                .concat(),
            ),
            (
                "secret-for-a-key-client",
                [
                    &grant[..],
                    &[
                        ("client_id", "my-partner-code"),
                        ("client_secret", secret.as_str()),
                    ],
                ]
                .concat(),
            ),
            ("nothing", grant.to_vec()),
        ];
        for (name, pairs) in forms {
            seeds.push((format!("token-{name}"), query(&pairs)));
        }
        for (name, signer, claims) in self.client_assertions() {
            let jws = self.sign(signer, None, &claims);
            let client = claims["iss"].as_str().unwrap_or_default().to_string();
            let with = |extra: &[(&str, &str)]| {
                query(
                    &[
                        &grant[..],
                        &[
                            ("client_assertion_type", ASSERTION_TYPE),
                            ("client_assertion", &jws),
                        ],
                        extra,
                    ]
                    .concat(),
                )
            };
            seeds.push((format!("token-assertion-{name}"), with(&[])));
            if name == "good" {
                seeds.push((
                    "token-assertion-good-with-client-id".into(),
                    with(&[("client_id", &client)]),
                ));
                seeds.push((
                    "token-assertion-good-other-client-id".into(),
                    with(&[("client_id", "other-partner")]),
                ));
                seeds.push((
                    "token-assertion-good-wrong-type".into(),
                    query(
                        &[
                            &grant[..],
                            &[
                                ("client_assertion_type", "jwt-bearer"),
                                ("client_assertion", &jws),
                            ],
                        ]
                        .concat(),
                    ),
                ));
            }
        }
        seeds
    }
}

impl Default for SandboxRules {
    fn default() -> Self {
        Self::new()
    }
}

/// Arbitrary bytes as a `decode-token --har` file, and as a `--scan` log line. Invariants: no
/// panic; every token `find_all` finds is where it says and starts with a JSON header; a replay's
/// timeline is numbered 1…n, every secret value it shows is redacted, and it is valid exactly when
/// no check failed.
pub fn har(data: &[u8]) {
    use itsme_cli::http::har::Har;
    use itsme_cli::http::trace::TraceOptions;
    use itsme_cli::replay::{Replay, Setup, Status};
    use itsme_cli::token::keysource::NoProviderKeys;
    if let Ok(text) = std::str::from_utf8(data) {
        for (at, token) in itsme_cli::jose::compact::find_all(text) {
            assert!(text[at..].starts_with(token), "find_all's offset is wrong");
            assert!(token.starts_with("eyJ"), "not a JSON header: {token:?}");
        }
    }
    let Ok(har) = Har::parse(data) else {
        return;
    };
    let quiet = TraceOptions {
        reveal: false,
        decode_jwts: false,
    };
    let setup = Setup {
        keyring: Keyring::new(Vec::new(), None, Box::new(NoProviderKeys)),
        provider_keys: None,
        partner_keys: None,
        issuer: None,
        client_id: None,
        now: None,
        clock_skew: 60,
    };
    let report = Replay::new(har.log.entries, quiet)
        .check(setup)
        .expect("without provider keys nothing is fetched");
    for (index, exchange) in report.exchanges.iter().enumerate() {
        assert_eq!(exchange.number, index + 1);
        for (name, value) in exchange.sent.iter().chain(&exchange.received) {
            if let (true, Some(text)) =
                (itsme_cli::http::trace::is_secret_name(name), value.as_str())
            {
                assert!(text.starts_with("(redacted)"), "`{name}` shown: {text:?}");
            }
        }
    }
    assert_eq!(
        report.valid,
        !report.checks.iter().any(|c| c.status == Status::Fail)
    );
}
