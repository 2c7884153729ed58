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
