//! Weak and known keys (issue 13, "## Keys"): an RSA key with e = 1 lets anyone make a
//! "signature" without a private key (with e = 1, s = EM: the encoded message itself); keys under
//! 2048 bits, even or absurd exponents, and Belgian Mobile ID's published sample keys are refused
//! where keys enter, with the key and the reason named.

use crate::common;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use common::{cli, codes, constant, json_stdout, vector_file};
use serde_json::{Value, json};

/// The modulus of a real 2048-bit key (the provider's test key): only `e` is forged.
fn a_modulus() -> String {
    let set: Value =
        serde_json::from_str(&std::fs::read_to_string(vector_file("provider.jwks.json")).unwrap())
            .unwrap();
    set["keys"][0]["n"].as_str().unwrap().to_string()
}

/// EMSA-PKCS1-v1_5 of SHA-256 (RFC 8017 §9.2) for a `k`-byte modulus: with e = 1 this is the
/// RS256 "signature" itself, made without any private key.
fn pkcs1_sha256(message: &[u8], k: usize) -> Vec<u8> {
    let digest_info: [u8; 19] = [
        0x30, 0x31, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01,
        0x05, 0x00, 0x04, 0x20,
    ];
    let hash = openssl::sha::sha256(message);
    let t_len = digest_info.len() + hash.len();
    let mut em = vec![0x00, 0x01];
    em.extend(std::iter::repeat_n(0xff, k - t_len - 3));
    em.push(0x00);
    em.extend_from_slice(&digest_info);
    em.extend_from_slice(&hash);
    em
}

/// A provider JWK Set whose key has e = 1, and an ID token "signed" for it without a private key.
fn forgery(dir: &std::path::Path) -> (String, String) {
    let n = a_modulus();
    let k = URL_SAFE_NO_PAD.decode(&n).unwrap().len();
    let jwks = json!({"keys": [{"kty": "RSA", "use": "sig", "kid": "forged", "alg": "RS256", "n": n, "e": "AQ"}]});
    let path = dir.join("provider-e1.jwks.json");
    std::fs::write(&path, jwks.to_string()).unwrap();
    // `now` of the vectors: 2026-01-01T00:05:00Z.
    let now: i64 = 1_767_225_900;
    let header = URL_SAFE_NO_PAD.encode(br#"{"alg":"RS256","kid":"forged","typ":"JWT"}"#);
    let claims = json!({
        "iss": constant("issuer"), "aud": constant("client_id"), "sub": "attacker-chosen",
        "nonce": constant("nonce"), "iat": now, "exp": now + 600,
    });
    let input = format!("{header}.{}", URL_SAFE_NO_PAD.encode(claims.to_string()));
    let signature = pkcs1_sha256(input.as_bytes(), k);
    let token = format!("{input}.{}", URL_SAFE_NO_PAD.encode(signature));
    (path.to_string_lossy().into_owned(), token)
}

fn decode_flags(jwks: &str) -> Vec<String> {
    vec![
        "--jwks".into(),
        jwks.into(),
        "--issuer".into(),
        constant("issuer"),
        "--client-id".into(),
        constant("client_id"),
        "--nonce".into(),
        constant("nonce"),
        "--now".into(),
        constant("now"),
    ]
}

#[test]
fn an_e1_forgery_does_not_verify_and_the_key_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let (jwks, token) = forgery(dir.path());
    let output = cli()
        .arg("decode-token")
        .arg(&token)
        .args(decode_flags(&jwks))
        .args(["-o", "json"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1), "{output:?}");
    let report = json_stdout(&output);
    assert_eq!(report["valid"], false);
    assert_eq!(report["verified"], false);
    assert_eq!(codes(&report, "errors"), ["provider_key_refused"]);
    let message = report["errors"][0]["message"].as_str().unwrap();
    assert!(message.contains("`forged`"), "{message}");
    assert!(message.contains("exponent"), "{message}");
    // The human view: never `VALID`.
    let human = cli()
        .arg("decode-token")
        .arg(&token)
        .args(decode_flags(&jwks))
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&human.stdout);
    assert!(!stdout.contains("✓ VALID"), "{stdout}");
    assert!(stdout.contains("provider_key_refused"), "{stdout}");
}

#[test]
fn keys_show_refuses_weak_exponents_and_small_moduli() {
    let dir = tempfile::tempdir().unwrap();
    let n = a_modulus();
    // A 1024-bit modulus: the first 128 bytes of a 2048-bit one, made odd.
    let mut small = URL_SAFE_NO_PAD.decode(&n).unwrap()[..128].to_vec();
    small[127] |= 1;
    let small = URL_SAFE_NO_PAD.encode(small);
    let set = json!({"keys": [
        {"kty": "RSA", "use": "sig", "kid": "one", "n": n, "e": "AQ"},
        {"kty": "RSA", "use": "enc", "kid": "even", "n": n, "e": "AQAA"},
        {"kty": "RSA", "use": "sig", "kid": "three", "n": n, "e": "Aw"},
        {"kty": "RSA", "use": "enc", "kid": "small", "n": small, "e": "AQAB"},
    ]});
    let path = dir.path().join("weak.jwks.json");
    std::fs::write(&path, set.to_string()).unwrap();
    let output = cli()
        .args(["keys", "show", "-o", "json"])
        .arg(&path)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1), "{output:?}");
    let report = json_stdout(&output);
    assert_eq!(report["valid"], false);
    let findings = report["findings"].as_array().unwrap();
    let of = |kid: &str| -> Vec<(String, String)> {
        findings
            .iter()
            .filter(|f| f["message"].as_str().unwrap().contains(&format!("`{kid}`")))
            .map(|f| {
                (
                    f["code"].as_str().unwrap().to_string(),
                    f["severity"].as_str().unwrap().to_string(),
                )
            })
            .collect()
    };
    let pair = |c: &str, s: &str| (c.to_string(), s.to_string());
    assert_eq!(of("one"), [pair("key_weak", "error")]);
    assert_eq!(of("even"), [pair("key_weak", "error")]);
    assert_eq!(of("three"), [pair("key_exponent_small", "warning")]);
    assert_eq!(of("small"), [pair("key_too_small", "error")]);
}

#[test]
fn keys_refuses_weak_private_keys_by_name() {
    // A private key with e = 1 cannot be built by OpenSSL; an even modulus is caught as well: the
    // case that loads is the 1024-bit key, refused by name.
    let dir = tempfile::tempdir().unwrap();
    let rsa = openssl::rsa::Rsa::generate(1024).unwrap();
    let pem = rsa.private_key_to_pem().unwrap();
    let path = dir.path().join("small.pem");
    std::fs::write(&path, pem).unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).unwrap();
    }
    let output = cli().args(["keys", "public"]).arg(&path).output().unwrap();
    assert_eq!(output.status.code(), Some(2), "{output:?}");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("1024 bits"), "{stderr}");
    assert!(stderr.contains("2048"), "{stderr}");
    assert!(stderr.contains("hint:"), "{stderr}");
}

/// The public halves of Belgian Mobile ID's published sample keys `s1` and `e1`.
fn sample_public_set() -> Value {
    let text = include_str!("../../src/key_rules/published-sample-keys.json");
    let doc: Value = serde_json::from_str(text).unwrap();
    let keys: Vec<Value> = doc["keys"]
        .as_array()
        .unwrap()
        .iter()
        .map(|k| {
            let mut k = k.clone();
            k.as_object_mut().unwrap().remove("x-rfc7638-thumbprint");
            k
        })
        .collect();
    json!({ "keys": keys })
}

#[test]
fn keys_show_fails_on_the_published_sample_keys() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("mine.jwks.json");
    std::fs::write(&path, sample_public_set().to_string()).unwrap();
    let output = cli()
        .args(["keys", "show", "-o", "json"])
        .arg(&path)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1), "{output:?}");
    let report = json_stdout(&output);
    assert_eq!(report["valid"], false);
    let samples: Vec<&Value> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["code"] == "published_sample_key")
        .collect();
    assert_eq!(samples.len(), 2, "{report}");
    for finding in samples {
        assert_eq!(finding["severity"], "error");
        let message = finding["message"].as_str().unwrap();
        assert!(message.contains("belgianmobileid/slate"), "{message}");
    }
}

#[test]
fn validate_fails_on_the_published_sample_keys_in_the_hosted_set() {
    // The hosted set is judged by `jwks_private_members`: a sample key's private part is public.
    let set = sample_public_set();
    let server = tiny_server(set.to_string());
    let output = cli()
        .args([
            "validate",
            "-o",
            "json",
            "--client-id",
            "c",
            "--service-code",
            "S",
        ])
        .args(["--redirect-uri", "https://app.example/cb"])
        .args(["--jwks-uri", &server])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1), "{output:?}");
    let report = json_stdout(&output);
    let check = report["checks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == "jwks_private_members")
        .unwrap()
        .clone();
    assert_eq!(check["status"], "fail", "{check}");
    let message = check["message"].as_str().unwrap();
    assert!(
        message.contains("`s1`") && message.contains("`e1`"),
        "{message}"
    );
    assert!(message.contains("belgianmobileid/slate"), "{message}");
}

/// Serves `body` as a JWK Set on a loopback port (any number of requests) and returns its URL.
fn tiny_server(body: String) -> String {
    use std::io::{Read, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let mut buf = [0u8; 4096];
            let _ = stream.read(&mut buf);
            let _ = write!(
                stream,
                "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nCache-Control: max-age=3600\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                body.len()
            );
        }
    });
    format!("http://127.0.0.1:{port}/jwks.json")
}

fn read(name: &str) -> Value {
    serde_json::from_str(&std::fs::read_to_string(vector_file(name)).unwrap()).unwrap()
}

fn write(dir: &std::path::Path, name: &str, value: &Value) -> String {
    let path = dir.join(name);
    std::fs::write(&path, value.to_string()).unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).unwrap();
    }
    path.to_string_lossy().into_owned()
}

fn vector_token(name: &str) -> String {
    common::vector(name)["token"].as_str().unwrap().to_string()
}

/// `decode-token TOKEN --keys KEYS --jwks JWKS` with the vectors' expectations, as JSON.
fn decode(token: &str, keys: &str, jwks: &str) -> (Value, String) {
    let output = cli()
        .arg("decode-token")
        .arg(token)
        .args(["--keys", keys])
        .args(decode_flags(jwks))
        .args(["-o", "json"])
        .output()
        .unwrap();
    (
        json_stdout(&output),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

/// The private JWK of an OpenSSL key, with `kid` and `use`.
fn private_jwk(rsa: &openssl::rsa::Rsa<openssl::pkey::Private>, kid: &str, key_use: &str) -> Value {
    let b = |n: &openssl::bn::BigNumRef| URL_SAFE_NO_PAD.encode(n.to_vec());
    json!({
        "kty": "RSA", "kid": kid, "use": key_use,
        "n": b(rsa.n()), "e": b(rsa.e()), "d": b(rsa.d()),
        "p": b(rsa.p().unwrap()), "q": b(rsa.q().unwrap()),
        "dp": b(rsa.dmp1().unwrap()), "dq": b(rsa.dmq1().unwrap()), "qi": b(rsa.iqmp().unwrap()),
    })
}

#[test]
fn a_sig_key_never_decrypts_even_when_the_jwe_names_it() {
    let dir = tempfile::tempdir().unwrap();
    let mut keys = read("partner-private.jwks.json");
    for key in keys["keys"].as_array_mut().unwrap() {
        key["use"] = json!("sig");
    }
    let keys = write(dir.path(), "all-sig.jwks.json", &keys);
    let (report, _) = decode(
        &vector_token("id_token_nested"),
        &keys,
        &vector_file("provider.jwks.json"),
    );
    assert_eq!(report["valid"], false, "{report}");
    assert_eq!(codes(&report, "errors"), ["no_decryption_key"]);
    let message = report["errors"][0]["message"].as_str().unwrap();
    assert!(message.contains("may not decrypt"), "{message}");
    assert!(message.contains("`use: sig`"), "{message}");
}

#[test]
fn key_ops_are_honoured_when_present() {
    let dir = tempfile::tempdir().unwrap();
    // An enc key allowed only to wrap keys for others may not unwrap: not decrypt.
    let mut keys = read("partner-private.jwks.json");
    for key in keys["keys"].as_array_mut().unwrap() {
        key.as_object_mut().unwrap().remove("use");
        key["key_ops"] = json!(["wrapKey"]);
    }
    let keys_path = write(dir.path(), "wrap-only.jwks.json", &keys);
    let (report, _) = decode(
        &vector_token("id_token_nested"),
        &keys_path,
        &vector_file("provider.jwks.json"),
    );
    assert_eq!(codes(&report, "errors"), ["no_decryption_key"], "{report}");
    // A provider key whose `key_ops` lack `verify` verifies nothing, even named by its kid.
    let mut provider = read("provider.jwks.json");
    for key in provider["keys"].as_array_mut().unwrap() {
        key.as_object_mut().unwrap().remove("use");
        key["key_ops"] = json!(["encrypt"]);
    }
    let provider = write(dir.path(), "provider-encrypt-only.jwks.json", &provider);
    let (report, _) = decode(
        &vector_token("id_token_plain_rs256"),
        &vector_file("partner-private.jwks.json"),
        &provider,
    );
    assert_eq!(report["valid"], false, "{report}");
    assert_eq!(codes(&report, "errors"), ["kid_unknown"]);
    let message = report["errors"][0]["message"].as_str().unwrap();
    assert!(message.contains("may not verify signatures"), "{message}");
    assert!(message.contains("`key_ops` are [encrypt]"), "{message}");
}

#[test]
fn an_enc_provider_key_never_verifies_and_says_why() {
    let dir = tempfile::tempdir().unwrap();
    let mut provider = read("provider.jwks.json");
    for key in provider["keys"].as_array_mut().unwrap() {
        key["use"] = json!("enc");
    }
    let provider = write(dir.path(), "provider-enc.jwks.json", &provider);
    let (report, _) = decode(
        &vector_token("id_token_plain_rs256"),
        &vector_file("partner-private.jwks.json"),
        &provider,
    );
    assert_eq!(codes(&report, "errors"), ["kid_unknown"], "{report}");
    let message = report["errors"][0]["message"].as_str().unwrap();
    assert!(message.contains("`prov-sig-1`"), "{message}");
    assert!(message.contains("`use: enc`"), "{message}");
}

#[test]
fn a_signature_of_another_key_size_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let mut provider = read("provider.jwks.json");
    let other = openssl::rsa::Rsa::generate(3072).unwrap();
    for key in provider["keys"].as_array_mut().unwrap() {
        key["n"] = json!(URL_SAFE_NO_PAD.encode(other.n().to_vec()));
    }
    let provider = write(dir.path(), "provider-3072.jwks.json", &provider);
    let (report, _) = decode(
        &vector_token("id_token_plain_rs256"),
        &vector_file("partner-private.jwks.json"),
        &provider,
    );
    assert_eq!(codes(&report, "errors"), ["signature_invalid"], "{report}");
    let message = report["errors"][0]["message"].as_str().unwrap();
    assert!(message.contains("256 bytes"), "{message}");
    assert!(message.contains("2048-bit key"), "{message}");
    assert!(message.contains("3072 bits"), "{message}");
    assert!(!message.contains("altered"), "{message}");
}

#[test]
fn a_token_for_a_key_of_another_size_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let mut keys = read("partner-private.jwks.json");
    let other = openssl::rsa::Rsa::generate(3072).unwrap();
    for key in keys["keys"].as_array_mut().unwrap() {
        if key["use"] == "enc" {
            let kid = key["kid"].as_str().unwrap().to_string();
            *key = private_jwk(&other, &kid, "enc");
        }
    }
    let keys = write(dir.path(), "enc-3072.jwks.json", &keys);
    let (report, _) = decode(
        &vector_token("id_token_nested"),
        &keys,
        &vector_file("provider.jwks.json"),
    );
    assert_eq!(codes(&report, "errors"), ["decryption_failed"], "{report}");
    let message = report["errors"][0]["message"].as_str().unwrap();
    assert!(message.contains("(3072 bits)"), "{message}");
    assert!(
        message.contains("encrypted to a 2048-bit key, and none of your keys has that size"),
        "{message}"
    );
}

#[test]
fn a_jwks_with_private_members_gets_the_keys_show_warning() {
    let (report, stderr) = decode(
        &vector_token("id_token_plain_rs256"),
        &vector_file("partner-private.jwks.json"),
        &vector_file("provider-private.jwks.json"),
    );
    assert_eq!(report["valid"], true, "{report}");
    assert!(stderr.contains("key `prov-sig-1` publishes its private part (d, p, q, dp, dq, qi): the key is compromised"), "{stderr}");
}
