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
