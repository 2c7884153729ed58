//! Token confusion and duplicate members (issue 13): a token typed as another kind of JWT
//! (`at+jwt`, `logout+jwt`, …) is refused as an ID token or userinfo, and discovery documents and
//! JWK Sets that repeat a member are refused by name, as tokens are.

use crate::common;

use std::sync::Arc;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use common::{cli, codes, constant, default_flags, json_stdout, vector, vector_file};
use itsme_cli::jose::crypto;
use itsme_cli::jose::keys::load_private_keys;
use predicates::prelude::*;
use serde_json::{Value, json};

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

/// A provider on loopback serving fixed bodies by path, `{base}` replaced by its address.
struct Provider {
    base: String,
    _server: Arc<tiny_http::Server>,
}

fn provider(routes: Vec<(&'static str, String)>) -> Provider {
    let server = Arc::new(tiny_http::Server::http("127.0.0.1:0").unwrap());
    let base = format!("http://{}", server.server_addr().to_ip().unwrap());
    let (serving, prefix) = (Arc::clone(&server), base.clone());
    std::thread::spawn(move || {
        for request in serving.incoming_requests() {
            let response = match routes.iter().find(|(path, _)| *path == request.url()) {
                Some((_, body)) => {
                    tiny_http::Response::from_string(body.replace("{base}", &prefix))
                }
                None => tiny_http::Response::from_string("not found").with_status_code(404),
            };
            let _ = request.respond(response);
        }
    });
    Provider {
        base,
        _server: server,
    }
}

/// A discovery document that passes `--check`, with `issuer` published twice: first a stranger's.
fn twice_issued() -> String {
    let rest = json!({
        "authorization_endpoint": "{base}/v2/authorization",
        "token_endpoint": "{base}/v2/token",
        "jwks_uri": "{base}/v2/jwks",
        "response_types_supported": ["code"],
        "subject_types_supported": ["pairwise"],
        "id_token_signing_alg_values_supported": ["RS256"],
        "id_token_encryption_alg_values_supported": ["RSA-OAEP-256"],
        "id_token_encryption_enc_values_supported": ["A128CBC-HS256"],
        "token_endpoint_auth_methods_supported": ["private_key_jwt"],
        "code_challenge_methods_supported": ["S256"],
    })
    .to_string();
    format!(
        r#"{{"issuer":"https://attacker.example/v2","issuer":"{{base}}/v2",{}"#,
        &rest[1..]
    )
}

#[test]
fn a_discovery_document_with_a_repeated_member_is_refused_by_name() {
    let jwks = std::fs::read_to_string(vector_file("provider.jwks.json")).unwrap();
    let served = twice_issued();
    let server = provider(vec![
        ("/v2/.well-known/openid-configuration", served.clone()),
        ("/v2/jwks", jwks),
    ]);
    let issuer = format!("{}/v2", server.base);
    // --check: a finding that names the member, and the verdict "no".
    let output = cli()
        .args(["discovery", "--issuer", &issuer, "--check", "-o", "json"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let report = json_stdout(&output);
    assert_eq!(report["valid"], false);
    let errors: Vec<&Value> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["severity"] == "error")
        .collect();
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert_eq!(errors[0]["code"], "duplicate_member");
    let message = errors[0]["message"].as_str().unwrap();
    assert!(message.contains("the member `issuer` twice"), "{message}");
    // Without --check the document is still judged ambiguous (a warning on stderr, exit 1).
    cli()
        .args(["discovery", "--issuer", &issuer])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("`issuer` twice"));
    // --raw still shows the bytes as served.
    let output = cli()
        .args(["discovery", "--issuer", &issuer, "--raw"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0));
    assert_eq!(
        String::from_utf8(output.stdout).unwrap(),
        served.replace("{base}", &server.base)
    );
    // validate's discovery check fails, naming the member.
    let output = cli()
        .args([
            "validate",
            "--issuer",
            &issuer,
            "--client-id",
            "x",
            "--service-code",
            "LOGIN",
        ])
        .args(["--redirect-uri", "https://app.example/cb", "-o", "json"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let report = json_stdout(&output);
    let check = report["checks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == "discovery")
        .unwrap_or_else(|| panic!("{}", report["checks"]));
    assert_eq!(check["status"], "fail", "{check}");
    assert!(
        check.to_string().contains("has the member `issuer` twice"),
        "{check}"
    );
    // Everything that reads the document to use it refuses it: here decode-token finding the
    // provider keys through the issuer.
    cli()
        .args(["decode-token", &provider_signed(None), "--issuer", &issuer])
        .args([
            "--client-id",
            &constant("client_id"),
            "--now",
            &constant("now"),
        ])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("has the member `issuer` twice"))
        .stderr(predicate::str::contains("hint:"));
}

#[test]
fn a_jwk_set_with_a_repeated_member_is_refused_by_name() {
    let dir = tempfile::tempdir().unwrap();
    let set: Value =
        serde_json::from_str(&std::fs::read_to_string(vector_file("provider.jwks.json")).unwrap())
            .unwrap();
    let first = set["keys"][0].to_string();
    // A key with two moduli: which one verifies depends on the parser.
    let two_n = format!(r#"{{"keys":[{{"n":"AQAB",{}]}}"#, &first[1..]);
    let path = dir.path().join("two-n.jwks.json");
    std::fs::write(&path, &two_n).unwrap();
    cli()
        .args(["keys", "show"])
        .arg(&path)
        .assert()
        .code(2)
        .stdout(predicate::str::is_empty())
        .stderr(predicate::str::contains("the member `n` twice"));
    // Two `keys` members, given as the provider keys of decode-token.
    let two_keys = format!(r#"{{"keys":[],{}"#, &set.to_string()[1..]);
    let path = dir.path().join("two-keys.jwks.json");
    std::fs::write(&path, &two_keys).unwrap();
    let mut flags = default_flags();
    let at = flags.iter().position(|f| f == "--jwks").unwrap() + 1;
    flags[at] = path.to_string_lossy().into_owned();
    cli()
        .args(["decode-token", &provider_signed(None)])
        .args(flags)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("the member `keys` twice"));
    // The same set served at the provider's jwks_uri: the fetch is refused by name.
    let discovery = json!({"issuer": "{base}/v2", "jwks_uri": "{base}/v2/jwks"}).to_string();
    let server = provider(vec![
        ("/v2/.well-known/openid-configuration", discovery),
        ("/v2/jwks", two_n),
    ]);
    let output = cli()
        .args([
            "discovery",
            "--issuer",
            &format!("{}/v2", server.base),
            "--check",
            "-o",
            "json",
        ])
        .output()
        .unwrap();
    let report = json_stdout(&output);
    let unreachable = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["code"] == "jwks_unreachable")
        .unwrap_or_else(|| panic!("{}", report["findings"]));
    assert!(
        unreachable["message"]
            .as_str()
            .unwrap()
            .contains("the member `n` twice"),
        "{unreachable}"
    );
}
