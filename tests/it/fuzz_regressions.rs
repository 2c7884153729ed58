//! Every input the fuzzers found a bug with (`fuzz/regressions/TARGET/`), and their seeds
//! (`fuzz/seeds/TARGET/`), replayed through the same harness as `cargo fuzz` (`fuzz/harness.rs`),
//! so that a fixed crash stays fixed without a nightly toolchain.

#[path = "../../fuzz/harness.rs"]
mod harness;

use std::path::Path;

/// The files of `fuzz/<kind>/<target>/`, with their names.
fn inputs(kind: &str, target: &str) -> Vec<(String, Vec<u8>)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fuzz")
        .join(kind)
        .join(target);
    let mut files: Vec<(String, Vec<u8>)> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|entry| entry.expect("a directory entry").path())
        .filter(|path| !path.file_name().unwrap().to_string_lossy().starts_with('.'))
        .map(|path| {
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            (name, std::fs::read(&path).expect("readable"))
        })
        .collect();
    files.sort();
    files
}

#[test]
fn decode_token_regressions_and_seeds_hold_the_invariants() {
    let mut decoder = harness::Decoder::new();
    let regressions = inputs("regressions", "decode_token");
    assert!(!regressions.is_empty(), "the crashes found are kept");
    for (_, data) in regressions.iter().chain(&inputs("seeds", "decode_token")) {
        decoder.decode(data);
    }
}

#[test]
fn claims_regressions_and_seeds_hold_the_invariants() {
    let decoder = harness::Decoder::new();
    let seeds = inputs("seeds", "claims");
    assert!(seeds.len() > 30);
    for (_, data) in inputs("regressions", "claims").iter().chain(&seeds) {
        decoder.claims(data);
    }
}

#[test]
fn the_harness_catches_a_forged_acceptance() {
    let genuine = std::fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/seeds/decode_token/id_token_nested"),
    )
    .unwrap();
    // A genuine token, even quoted and prefixed as in a log, passes the invariants…
    let mut decoder = harness::Decoder::new();
    decoder.decode(&[b"Bearer \"".as_slice(), &genuine, b"\"\n"].concat());
    // …and the same acceptance is a failure once it is not known to be genuine.
    let mut suspicious = harness::Decoder::new().trusting_no_token();
    let caught = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        suspicious.decode(&genuine);
    }));
    assert!(
        caught.is_err(),
        "an accepted unknown token must break the invariant"
    );
}

#[test]
fn callback_regressions_and_seeds_hold_the_invariants() {
    for (_, data) in inputs("regressions", "callback")
        .iter()
        .chain(&inputs("seeds", "callback"))
    {
        harness::callback(data);
    }
}

#[test]
fn the_callback_seeds_reach_every_verdict() {
    use itsme_cli::loopback::{Callback, Verdict, judge_request_head, read_pasted_response};
    let redirect_uri = url::Url::parse(harness::REDIRECT_URI).unwrap();
    let seed = |name: &str| {
        std::fs::read(
            Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("fuzz/seeds/callback")
                .join(name),
        )
        .unwrap()
    };
    let judge = |name: &str| judge_request_head(&redirect_uri, &seed(name), harness::STATE);
    assert!(matches!(
        judge("good"),
        Some(Verdict::Response(Ok(Callback::Code { .. })))
    ));
    assert!(matches!(
        judge("error"),
        Some(Verdict::Response(Ok(Callback::ProviderError { .. })))
    ));
    assert!(matches!(judge("post"), Some(Verdict::Ignored(405))));
    assert!(matches!(judge("dup"), Some(Verdict::Ignored(421))));
    assert!(judge_request_head(&redirect_uri, b"not http", harness::STATE).is_none());
    for pasted in ["pasted", "pasted-query"] {
        let text = String::from_utf8(seed(pasted)).unwrap();
        assert!(matches!(
            read_pasted_response(&text, harness::STATE),
            Ok(Callback::Code { .. })
        ));
    }
    assert!(
        read_pasted_response(
            "?code=a&state=S7ateOfThisLogin&state=S7ateOfThisLogin",
            harness::STATE
        )
        .is_err(),
        "a parameter given twice is refused in paste mode too"
    );
}

#[test]
fn sandbox_regressions_and_seeds_hold_the_invariants() {
    let rules = harness::SandboxRules::new();
    let seeds = inputs("seeds", "sandbox");
    assert!(seeds.len() > 40);
    for (_, data) in inputs("regressions", "sandbox").iter().chain(&seeds) {
        rules.run(data);
    }
}

fn sandbox_seed(name: &str) -> Vec<u8> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fuzz/seeds/sandbox")
        .join(name);
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

#[test]
fn the_sandbox_seeds_reach_every_verdict() {
    use harness::AuthorizeVerdict::{Accepted, Page, Redirect};
    let rules = harness::SandboxRules::new();
    let authorize = |name: &str| rules.authorize(&sandbox_seed(&format!("authorize-{name}")));
    let plain = Accepted {
        request_object: false,
    };
    let object = Accepted {
        request_object: true,
    };
    for name in ["login-secret-client", "login-pkce", "identification-claims"] {
        assert_eq!(authorize(name), plain, "{name}");
    }
    for name in [
        "object-signed-login",
        "object-signed-payment",
        "object-signed-identification",
        "object-signed-other-partner",
        "object-RSA-OAEP-256-A256GCM-login",
        "object-RSA-OAEP-A128CBC-HS256-login",
        "object-RSA-OAEP-256-A256GCM-payment",
        "object-RSA-OAEP-A128CBC-HS256-payment",
    ] {
        assert_eq!(authorize(name), object, "{name}");
    }
    for (name, error) in [
        ("unknown-client", "invalid_client_id"),
        ("redirect-uri-not-registered", "invalid_redirect_uri"),
        ("repeated-parameter", "invalid_request"),
        ("request-uri", "invalid_request_uri"),
        ("object-signed-wrong-aud", "invalid_request_object"),
        ("object-signed-for-another-client", "invalid_request_object"),
        ("object-for-a-secret-client", "invalid_request_object"),
        ("object-contradicted", "invalid_request"),
    ] {
        assert_eq!(authorize(name), Page(error), "{name}");
    }
    for (name, error) in [
        ("identification-no-claim", "invalid_request"),
        ("no-pkce", "invalid_request"),
        ("pkce-plain", "invalid_request"),
        ("confirmation-without-object", "invalid_request"),
        ("another-clients-service", "invalid_scope"),
        ("no-openid", "invalid_scope"),
        ("two-services", "invalid_scope"),
        ("response-type-token", "unsupported_response_type"),
    ] {
        assert_eq!(authorize(name), Redirect(error), "{name}");
    }
    let token = |name: &str| rules.token(&sandbox_seed(&format!("token-{name}")));
    for (name, client) in [
        ("secret", "secret-client"),
        ("assertion-good", "my-partner-code"),
        ("assertion-good-with-client-id", "my-partner-code"),
        ("assertion-aud-list", "my-partner-code"),
        ("assertion-other-partner", "other-partner"),
    ] {
        assert_eq!(token(name), Ok(client.to_string()), "{name}");
    }
    for (name, error) in [
        ("secret-wrong", "invalid_client"),
        ("secret-missing", "invalid_client"),
        ("secret-for-a-key-client", "unauthorized_client"),
        ("nothing", "invalid_client"),
        ("assertion-aud-issuer", "invalid_client"),
        ("assertion-expired", "invalid_client"),
        ("assertion-no-jti", "invalid_client"),
        ("assertion-for-another-client", "invalid_client"),
        ("assertion-for-a-secret-client", "unauthorized_client"),
        ("assertion-good-other-client-id", "invalid_client"),
        ("assertion-good-wrong-type", "invalid_request"),
    ] {
        assert_eq!(token(name), Err(error), "{name}");
    }
}

#[test]
fn the_sandbox_harness_catches_a_forged_or_misdirected_acceptance() {
    let caught = |rules: &harness::SandboxRules, name: &str| {
        let data = sandbox_seed(name);
        std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| rules.run(&data))).is_err()
    };
    let rules = harness::SandboxRules::new();
    let accepted = [
        "authorize-object-RSA-OAEP-256-A256GCM-login",
        "token-assertion-good",
        "authorize-login-secret-client",
    ];
    for name in accepted {
        assert!(!caught(&rules, name), "{name} holds the invariants");
    }
    // A genuine request object or assertion, accepted, breaks the invariant once its signature
    // is not known to be genuine…
    let suspicious = harness::SandboxRules::new().trusting_no_signature();
    for name in &accepted[..2] {
        assert!(
            caught(&suspicious, name),
            "{name}: accepted a signature not made by the client"
        );
    }
    // …and an accepted request, or an error sent to a redirect URI, breaks it once that redirect
    // URI is not registered.
    let forgetful = harness::SandboxRules::new().forgetting_redirect_uris();
    for name in ["authorize-login-secret-client", "authorize-no-openid"] {
        assert!(
            caught(&forgetful, name),
            "{name}: used an unregistered redirect URI"
        );
    }
}

/// Writes `fuzz/seeds/sandbox/` again (after the test vectors' keys change):
/// `cargo test --test it fuzz_regressions::write_sandbox_seeds -- --ignored`.
#[test]
#[ignore = "writes fuzz/seeds/sandbox/"]
fn write_sandbox_seeds() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/seeds/sandbox");
    std::fs::create_dir_all(&dir).unwrap();
    for (name, data) in harness::SandboxRules::new().seeds() {
        std::fs::write(dir.join(name), data).unwrap();
    }
}

#[test]
fn har_regressions_and_seeds_hold_the_invariants() {
    let seeds = inputs("seeds", "har");
    assert!(!seeds.is_empty(), "recorded HAR files seed the har target");
    for (_, data) in inputs("regressions", "har").iter().chain(&seeds) {
        harness::har(data);
    }
}
