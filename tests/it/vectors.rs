//! Every vector made by node `jose` (tests/vectors/generate.mjs) through the real binary: the exact
//! set of error and warning codes, `valid`, and the exit code must match what the vector expects.

use crate::common;

use common::{cli, codes, constant, json_stdout, vector_file, vectors};
use serde_json::Value;

/// The CLI flags that a vector's options (merged over the defaults) stand for.
fn flags_for(options: &serde_json::Map<String, Value>) -> Vec<String> {
    let mut flags = Vec::new();
    for key in options["keys"].as_array().expect("keys is a list") {
        flags.push("--keys".into());
        flags.push(vector_file(key.as_str().expect("key file name")));
    }
    flags.push("--jwks".into());
    flags.push(vector_file(
        options["jwks"].as_str().expect("jwks file name"),
    ));
    let expected = |name: &str, flag: &str, flags: &mut Vec<String>| match &options[name] {
        Value::Bool(true) => flags.extend([flag.to_string(), constant(name)]),
        Value::String(s) => flags.extend([flag.to_string(), s.clone()]),
        _ => {}
    };
    expected("issuer", "--issuer", &mut flags);
    expected("client_id", "--client-id", &mut flags);
    expected("nonce", "--nonce", &mut flags);
    expected("access_token", "--access-token", &mut flags);
    expected("client_secret", "--client-secret", &mut flags);
    if options["userinfo"] == Value::Bool(true) {
        flags.push("--userinfo".into());
    }
    if let Some(sub) = options["expect_sub"].as_str() {
        flags.extend(["--expect-sub".to_string(), sub.to_string()]);
    }
    flags.extend(["--now".to_string(), constant("now")]);
    flags
}

fn sorted(value: &Value) -> Vec<String> {
    let mut list: Vec<String> = value
        .as_array()
        .expect("a list")
        .iter()
        .map(|v| v.as_str().expect("a code").to_string())
        .collect();
    list.sort();
    list
}

#[test]
fn every_vector_gets_exactly_its_expected_verdict() {
    let all = vectors();
    let defaults = all["defaults"].as_object().expect("defaults").clone();
    let mut failures = Vec::new();
    let list = all["vectors"].as_array().expect("vectors");
    assert!(list.len() >= 40, "the generator makes at least 40 vectors");
    for vector in list {
        let name = vector["name"].as_str().expect("name");
        let mut options = defaults.clone();
        for (k, v) in vector["options"].as_object().expect("options") {
            options.insert(k.clone(), v.clone());
        }
        let token = vector["token"].as_str().expect("token");
        let output = cli()
            .arg("decode-token")
            .arg(token)
            .args(flags_for(&options))
            .args(["--output", "json"])
            .output()
            .expect("runs");
        let report = json_stdout(&output);
        let expect = &vector["expect"];
        let want_valid = expect["valid"].as_bool().expect("valid");
        // The vectors list code sets: one code may stand for several findings (two wrong card numbers).
        let set = |mut list: Vec<String>| {
            list.dedup();
            list
        };
        let got = (
            report["valid"].as_bool(),
            set(codes(&report, "errors")),
            set(codes(&report, "warnings")),
            output.status.code(),
        );
        let want = (
            Some(want_valid),
            sorted(&expect["errors"]),
            sorted(&expect["warnings"]),
            Some(if want_valid { 0 } else { 1 }),
        );
        if got != want {
            failures.push(format!(
                "{name}: got {got:?}, want {want:?}\n  errors: {}",
                report["errors"]
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} vector(s) differ:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn valid_vectors_expose_their_claims_and_keys() {
    let vector = common::vector("id_token_nested");
    let output = cli()
        .args([
            "decode-token",
            vector["token"].as_str().unwrap(),
            "-o",
            "json",
        ])
        .args(common::default_flags())
        .args(["--access-token", &constant("access_token")])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0));
    let report = json_stdout(&output);
    assert_eq!(report["verified"], true);
    assert_eq!(report["jwe"]["alg"], "RSA-OAEP-256");
    assert_eq!(report["jwe"]["enc"], "A128CBC-HS256");
    assert_eq!(report["jws"]["alg"], "RS256");
    assert_eq!(report["signature"]["kid"], "prov-sig-1");
    assert_eq!(report["claims"]["sub"], constant("sub"));
    assert_eq!(
        report["claims"]["http://itsme.services/v2/claim/BENationalNumber"]
            .as_str()
            .map(str::len),
        Some(11)
    );
    assert_eq!(report["photo"]["width"], 140);
    assert_eq!(report["photo"]["height"], 200);
    assert_eq!(
        report["unchecked"],
        Value::Array(vec![]),
        "every check was enabled"
    );
}

#[test]
fn a_rotated_key_verifies_with_the_rotated_key_set() {
    let vector = common::vector("key_rotated");
    let mut flags = common::default_flags();
    let jwks = flags.iter().position(|f| f == "--jwks").unwrap() + 1;
    flags[jwks] = vector_file("provider-rotated.jwks.json");
    cli()
        .args(["decode-token", vector["token"].as_str().unwrap()])
        .args(flags)
        .assert()
        .code(0);
}
