//! No input makes the engine panic: thousands of mutated tokens (flipped bytes, cuts, extra dots,
//! re-encoded junk headers) go through decryption, verification and validation with real keys.
//! Deterministic (fixed seed) and bounded in count, so it is cheap and repeatable; a coverage-guided
//! fuzzer belongs to the hardening work.

use crate::common;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use itsme_cli::jose::keys::{PublicKeySet, load_private_keys};
use itsme_cli::oidc::validate::{Expectations, TokenKind};
use itsme_cli::secret::Secret;
use itsme_cli::token::inspect::{InspectOptions, Keyring, inspect};
use itsme_cli::token::keysource::StaticKeys;

/// xorshift64*: a tiny deterministic generator, enough to pick mutations.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

fn keyring() -> Keyring {
    let private = std::fs::read(common::vector_file("partner-private.jwks.json")).unwrap();
    let provider = std::fs::read(common::vector_file("provider.jwks.json")).unwrap();
    Keyring::new(
        load_private_keys(&private, "partner").unwrap(),
        Some(Secret::new(common::constant("client_secret"))),
        Box::new(StaticKeys::new(
            PublicKeySet::parse(&provider).unwrap(),
            "provider",
        )),
    )
}

fn mutate(token: &str, rng: &mut Rng) -> String {
    let mut bytes = token.as_bytes().to_vec();
    match rng.below(7) {
        0 => {
            let i = rng.below(bytes.len());
            bytes[i] = (rng.next() & 0xff) as u8;
        }
        1 => bytes.truncate(rng.below(bytes.len())),
        2 => {
            let i = rng.below(bytes.len());
            bytes.insert(i, b'.');
        }
        3 => {
            let i = rng.below(bytes.len());
            bytes.remove(i);
        }
        4 => {
            // A syntactically valid part with hostile JSON in place of the header.
            let junk = [
                r#"{"alg":"RSA-OAEP-256","enc":"A128CBC-HS256","kid":{"a":[]}}"#,
                r#"{"alg":"dir","enc":"A256GCM","zip":"DEF"}"#,
                r#"{"alg":"RS256","crit":[1,2,{}]}"#,
                r#"{"alg":null}"#,
                r#"[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]"#,
                r#"{"alg":"RS256","kid":"prov-sig-1","alg":"none"}"#,
                "\u{0}\u{1}\u{2}",
            ];
            let header = URL_SAFE_NO_PAD.encode(junk[rng.below(junk.len())]);
            let rest = token.split_once('.').map(|(_, r)| r).unwrap_or("");
            return format!("{header}.{rest}");
        }
        5 => {
            // Swap two parts.
            let mut parts: Vec<&str> = token.split('.').collect();
            let (a, b) = (rng.below(parts.len()), rng.below(parts.len()));
            parts.swap(a, b);
            return parts.join(".");
        }
        _ => {
            // Re-encode a decoded part with a byte flipped inside (valid base64, corrupt content).
            let mut parts: Vec<String> = token.split('.').map(str::to_string).collect();
            let i = rng.below(parts.len());
            if let Ok(mut raw) = URL_SAFE_NO_PAD.decode(&parts[i])
                && !raw.is_empty()
            {
                let j = rng.below(raw.len());
                raw[j] ^= 1 << rng.below(8);
                parts[i] = URL_SAFE_NO_PAD.encode(raw);
            }
            return parts.join(".");
        }
    }
    String::from_utf8_lossy(&bytes).into_owned()
}

#[test]
fn mutated_tokens_never_panic_and_are_never_valid() {
    let vectors = common::vectors();
    let seeds: Vec<String> = vectors["vectors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["token"].as_str().unwrap().to_string())
        .collect();
    let now = itsme_cli::timefmt::parse_instant(&common::constant("now")).unwrap();
    let options = InspectOptions {
        expect: Expectations {
            issuer: Some(common::constant("issuer")),
            client_id: Some(common::constant("client_id")),
            nonce: Some(common::constant("nonce")),
            ..Expectations::new(TokenKind::IdToken, now)
        },
        verify_signature: true,
    };
    let mut keys = keyring();
    let mut rng = Rng(0x1234_5678_9abc_def1);
    let mut inspected = 0;
    let mut stages = std::collections::BTreeMap::new();
    for round in 0..5000 {
        let seed = &seeds[round % seeds.len()];
        let mut token = mutate(seed, &mut rng);
        if rng.below(3) == 0 {
            token = mutate(&token, &mut rng);
        }
        if token == *seed {
            continue;
        }
        let report = inspect(&token, &mut keys, &options).expect("static keys never fail to load");
        inspected += 1;
        for finding in &report.errors {
            *stages.entry(finding.code.as_str()).or_insert(0usize) += 1;
        }
        // Any change to a signed or encrypted token breaks its tag or signature: never valid, and
        // the report always names at least one error.
        assert!(!report.valid, "a mutated token was accepted: {token}");
        assert!(
            !report.errors.is_empty(),
            "an invalid report names its problem: {token}"
        );
    }
    assert!(
        inspected > 1000,
        "enough mutations were inspected: {inspected}"
    );
    // The mutations must reach every stage, not only the parser.
    for stage in [
        "malformed",
        "decryption_failed",
        "alg_not_allowed",
        "signature_invalid",
        "crit_unsupported",
    ] {
        assert!(
            stages.get(stage).copied().unwrap_or(0) > 0,
            "no mutation reached `{stage}`: {stages:?}"
        );
    }
}

#[test]
fn deeply_nested_and_huge_json_is_refused_quickly() {
    let mut keys = keyring();
    let options = InspectOptions {
        expect: Expectations::new(TokenKind::IdToken, 0),
        verify_signature: false,
    };
    let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    for payload in [
        deep.clone(),
        format!("{{\"sub\":{deep}}}"),
        format!("{{\"sub\":\"{}\"}}", "a".repeat(700_000)),
    ] {
        let token = format!(
            "{}.{}.",
            URL_SAFE_NO_PAD.encode(r#"{"alg":"none"}"#),
            URL_SAFE_NO_PAD.encode(&payload)
        );
        let report = inspect(&token, &mut keys, &options).unwrap();
        assert!(!report.valid);
        assert!(!report.errors.is_empty());
    }
}
