//! Token confusion and duplicate members (issue 13): a token typed as another kind of JWT
//! (`at+jwt`, `logout+jwt`, …) is refused as an ID token or userinfo, and discovery documents and
//! JWK Sets that repeat a member are refused by name, as tokens are.

use crate::common;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use common::{cli, codes, constant, default_flags, json_stdout, vector, vector_file};
use itsme_cli::jose::crypto;
use itsme_cli::jose::keys::load_private_keys;
use predicates::prelude::*;
use serde_json::Value;

/// The claims of the plain RS256 vector (valid with the default flags), signed again by the
/// vectors' provider key `prov-sig-1` with the header `typ` given.
fn provider_signed(typ: Option<&str>) -> String {
    let token = vector("id_token_plain_rs256")["token"]
        .as_str()
        .expect("token")
        .to_string();
    let payload = URL_SAFE_NO_PAD
        .decode(token.split('.').nth(1).expect("a payload"))
        .expect("base64url");
    let bytes = std::fs::read(vector_file("provider-private.jwks.json")).unwrap();
    let keys = load_private_keys(&bytes, "provider-private.jwks.json").unwrap();
    let key = keys
        .iter()
        .find(|k| k.kid == "prov-sig-1")
        .expect("prov-sig-1");
    crypto::sign_rs256(key, typ, &payload).unwrap()
}

fn decode(token: &str, extra: &[&str]) -> (Option<i32>, Value) {
    let output = cli()
        .args(["decode-token", token, "-o", "json"])
        .args(default_flags())
        .args(extra)
        .output()
        .unwrap();
    (output.status.code(), json_stdout(&output))
}

#[test]
fn a_token_typed_as_another_kind_of_jwt_is_refused_by_name() {
    // The same claims, the same provider key: only `typ` differs.
    let (code, report) = decode(&provider_signed(Some("JWT")), &[]);
    assert_eq!(code, Some(0), "{}", report["errors"]);
    let (code, report) = decode(&provider_signed(Some("at+jwt")), &[]);
    assert_eq!(code, Some(1), "{}", report["errors"]);
    assert_eq!(report["valid"], false);
    assert_eq!(report["verified"], true, "the signature itself is fine");
    assert_eq!(codes(&report, "errors"), ["typ_not_allowed"]);
    let message = report["errors"][0]["message"].as_str().unwrap();
    assert!(message.contains("`typ: at+jwt`"), "{message}");
    assert!(message.contains("access token"), "{message}");
    assert!(message.contains("RFC 9068"), "{message}");
    // Case and an `application/` prefix do not matter (RFC 7515 §4.1.9), either way.
    for (typ, exit) in [
        ("application/JWT", 0),
        ("jwt", 0),
        ("application/logout+JWT", 1),
    ] {
        let (code, report) = decode(&provider_signed(Some(typ)), &[]);
        assert_eq!(code, Some(exit), "{typ}: {}", report["errors"]);
    }
    // Userinfo too, and the human view names the code.
    cli()
        .args([
            "decode-token",
            &provider_signed(Some("logout+jwt")),
            "--userinfo",
        ])
        .args(default_flags())
        .args(["--expect-sub", &constant("sub")])
        .assert()
        .code(1)
        .stdout(predicate::str::contains("typ_not_allowed"))
        .stdout(predicate::str::contains("logout token"));
}
