//! `itsme-cli keys generate|public|show` through the real binary: files, modes, kids as RFC 7638
//! thumbprints, no private members in public output, findings and exit codes.

use crate::common;

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use common::{cli, json_stdout, vector_file};
use predicates::prelude::*;
use serde_json::Value;

/// The private JWK members, none of which may appear in a public key.
const PRIVATE_MEMBERS: [&str; 6] = ["d", "p", "q", "dp", "dq", "qi"];

/// The RFC 7638 thumbprint of an RSA JWK, computed here independently of the product.
fn thumbprint(jwk: &Value) -> String {
    assert_eq!(jwk["kty"], "RSA", "thumbprints of RSA keys only: {jwk}");
    let e = jwk["e"].as_str().expect("e is a string");
    let n = jwk["n"].as_str().expect("n is a string");
    // Required members in lexicographic order, no whitespace (RFC 7638 §3.2).
    let canonical = format!(r#"{{"e":"{e}","kty":"RSA","n":"{n}"}}"#);
    URL_SAFE_NO_PAD.encode(openssl::sha::sha256(canonical.as_bytes()))
}

/// The bit length of the modulus `n` of an RSA JWK.
fn modulus_bits(jwk: &Value) -> usize {
    let n = URL_SAFE_NO_PAD
        .decode(jwk["n"].as_str().expect("n is a string"))
        .expect("n is base64url");
    let skipped = n.iter().take_while(|b| **b == 0).count();
    let first = n.get(skipped).expect("n is not zero");
    (n.len() - skipped) * 8 - first.leading_zeros() as usize
}

fn read_json(path: &Path) -> Value {
    let text = std::fs::read_to_string(path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    serde_json::from_str(&text)
        .unwrap_or_else(|e| panic!("{} is not JSON ({e}): {text}", path.display()))
}

fn mode(path: &Path) -> u32 {
    std::fs::metadata(path)
        .unwrap_or_else(|e| panic!("no {}: {e}", path.display()))
        .permissions()
        .mode()
        & 0o777
}

fn keys_of(set: &Value) -> &Vec<Value> {
    set["keys"]
        .as_array()
        .unwrap_or_else(|| panic!("not a JWK Set: {set}"))
}

fn kids(set: &Value) -> Vec<String> {
    keys_of(set)
        .iter()
        .map(|k| k["kid"].as_str().expect("every key has a kid").to_string())
        .collect()
}

fn assert_only_public_members(set: &Value) {
    for key in keys_of(set) {
        for member in PRIVATE_MEMBERS {
            assert!(
                key.get(member).is_none(),
                "public key has private member `{member}`: {key}"
            );
        }
        assert_eq!(key["kty"], "RSA");
        assert!(key["n"].is_string() && key["e"].is_string(), "{key}");
    }
}

fn stdout_text(output: &std::process::Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn stderr_text(output: &std::process::Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// Runs `keys generate --out DIR` plus `extra`, asserting exit 0.
fn generate(dir: &Path, extra: &[&str]) -> std::process::Output {
    cli()
        .args(["keys", "generate", "--out"])
        .arg(dir)
        .args(extra)
        .assert()
        .code(0)
        .get_output()
        .clone()
}

/// A copy of a vector file in `dir` under `name`, with the given mode.
fn copy_vector(dir: &Path, vector: &str, name: &str, file_mode: u32) -> PathBuf {
    let path = dir.join(name);
    std::fs::copy(vector_file(vector), &path).expect("copy the vector");
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(file_mode)).expect("chmod");
    path
}

/// Writes `value` as a file in `dir`.
fn write_json(dir: &Path, name: &str, value: &Value) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, value.to_string()).expect("write the file");
    path
}

/// Finding codes of a `keys show -o json` report, sorted.
fn finding_codes(report: &Value) -> Vec<String> {
    common::codes(report, "findings")
}

/// `keys show -o json SOURCE` plus `extra`, asserting the exit code; the report.
fn show_json(source: &Path, extra: &[&str], code: i32) -> Value {
    let output = cli()
        .args(["keys", "show", "-o", "json"])
        .arg(source)
        .args(extra)
        .assert()
        .code(code)
        .get_output()
        .clone();
    json_stdout(&output)
}

// ---------------------------------------------------------------------------------------------
// keys generate
// ---------------------------------------------------------------------------------------------

#[test]
fn generate_writes_a_sig_and_an_enc_key_with_thumbprint_kids_and_safe_modes() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("keys");
    let output = generate(&dir, &[]);

    let private_path = dir.join("private.jwks.json");
    let public_path = dir.join("public.jwks.json");
    assert_eq!(mode(&private_path), 0o600, "private.jwks.json mode");
    assert_eq!(mode(&public_path), 0o644, "public.jwks.json mode");

    let private = read_json(&private_path);
    let keys = keys_of(&private);
    assert_eq!(keys.len(), 2, "two keys: {private}");
    for key in keys {
        assert_eq!(key["kty"], "RSA");
        for member in PRIVATE_MEMBERS {
            assert!(key[member].is_string(), "private key lacks `{member}`");
        }
        assert_eq!(
            key["kid"],
            thumbprint(key),
            "kid is the RFC 7638 thumbprint"
        );
        assert_eq!(modulus_bits(key), 2048, "default size");
    }
    let sig: Vec<&Value> = keys.iter().filter(|k| k["use"] == "sig").collect();
    let enc: Vec<&Value> = keys.iter().filter(|k| k["use"] == "enc").collect();
    assert_eq!(sig.len(), 1, "one sig key");
    assert_eq!(enc.len(), 1, "one enc key");
    assert_eq!(sig[0]["alg"], "RS256");
    assert_eq!(enc[0]["alg"], "RSA-OAEP-256");
    assert_ne!(sig[0]["kid"], enc[0]["kid"], "two different keys");

    let public = read_json(&public_path);
    assert_only_public_members(&public);
    assert_eq!(kids(&public), kids(&private), "same kids, same order");
    for (pubkey, privkey) in keys_of(&public).iter().zip(keys) {
        assert_eq!(pubkey["n"], privkey["n"]);
        assert_eq!(pubkey["e"], privkey["e"]);
        assert_eq!(pubkey["use"], privkey["use"]);
        assert_eq!(pubkey["alg"], privkey["alg"]);
        assert_eq!(pubkey["kid"], thumbprint(pubkey));
    }

    // The human report names both files and both kids.
    let stdout = stdout_text(&output);
    assert!(
        stdout.contains(&private_path.display().to_string()),
        "{stdout}"
    );
    assert!(
        stdout.contains(&public_path.display().to_string()),
        "{stdout}"
    );
    for kid in kids(&private) {
        assert!(stdout.contains(&kid), "stdout names {kid}: {stdout}");
    }
}

#[test]
fn generate_size_3072_makes_3072_bit_keys() {
    let tmp = tempfile::tempdir().unwrap();
    generate(tmp.path(), &["--size", "3072"]);
    let private = read_json(&tmp.path().join("private.jwks.json"));
    let public = read_json(&tmp.path().join("public.jwks.json"));
    assert_eq!(keys_of(&private).len(), 2);
    for key in keys_of(&private).iter().chain(keys_of(&public)) {
        assert_eq!(modulus_bits(key), 3072, "{}", key["kid"]);
        assert_eq!(key["kid"], thumbprint(key));
    }
}

#[test]
fn generate_refuses_1024_bit_keys() {
    let tmp = tempfile::tempdir().unwrap();
    cli()
        .args(["keys", "generate", "--size", "1024", "--out"])
        .arg(tmp.path())
        .assert()
        .code(2)
        .stdout(predicate::str::is_empty())
        .stderr(predicate::str::contains("2048, 3072 or 4096"));
    assert!(!tmp.path().join("private.jwks.json").exists());
    assert!(!tmp.path().join("public.jwks.json").exists());
}

#[test]
fn generate_does_not_overwrite_keys_without_force() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    generate(dir, &[]);
    let private_path = dir.join("private.jwks.json");
    let public_path = dir.join("public.jwks.json");
    let private_before = std::fs::read(&private_path).unwrap();
    let public_before = std::fs::read(&public_path).unwrap();

    cli()
        .args(["keys", "generate", "--out"])
        .arg(dir)
        .assert()
        .code(2)
        .stdout(predicate::str::is_empty())
        .stderr(predicate::str::starts_with("error:"))
        .stderr(predicate::str::contains("already exists"))
        .stderr(predicate::str::contains("--force"));
    assert_eq!(std::fs::read(&private_path).unwrap(), private_before);
    assert_eq!(std::fs::read(&public_path).unwrap(), public_before);
    assert_eq!(mode(&private_path), 0o600);
}

#[test]
fn generate_refuses_when_only_the_public_file_exists() {
    let tmp = tempfile::tempdir().unwrap();
    let public_path = tmp.path().join("public.jwks.json");
    std::fs::write(&public_path, b"{\"keys\":[]}\n").unwrap();
    cli()
        .args(["keys", "generate", "--out"])
        .arg(tmp.path())
        .assert()
        .code(2)
        .stderr(predicate::str::contains("public.jwks.json"))
        .stderr(predicate::str::contains("--force"));
    assert!(
        !tmp.path().join("private.jwks.json").exists(),
        "no half-written pair"
    );
    assert_eq!(std::fs::read(&public_path).unwrap(), b"{\"keys\":[]}\n");
}

#[test]
fn generate_with_force_replaces_the_keys_and_keeps_private_at_0600() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    generate(dir, &[]);
    let private_path = dir.join("private.jwks.json");
    let public_path = dir.join("public.jwks.json");
    let private_before = read_json(&private_path);
    let public_bytes_before = std::fs::read(&public_path).unwrap();
    // Loosen the old private file: --force must set 0600 again, not keep the old mode.
    std::fs::set_permissions(&private_path, std::fs::Permissions::from_mode(0o644)).unwrap();

    generate(dir, &["--force"]);
    let private_after = read_json(&private_path);
    assert_ne!(private_after, private_before, "new private keys");
    assert_ne!(std::fs::read(&public_path).unwrap(), public_bytes_before);
    assert_eq!(mode(&private_path), 0o600, "private file is 0600 again");
    assert_eq!(mode(&public_path), 0o644);
    let old_kids = kids(&private_before);
    for kid in kids(&private_after) {
        assert!(!old_kids.contains(&kid), "kid {kid} is new");
    }
    assert_eq!(kids(&read_json(&public_path)), kids(&private_after));
    for key in keys_of(&private_after) {
        assert_eq!(key["kid"], thumbprint(key));
    }
}

#[test]
fn generate_json_output_describes_files_and_keys() {
    let tmp = tempfile::tempdir().unwrap();
    let output = generate(tmp.path(), &["-o", "json"]);
    let report = json_stdout(&output);

    let private_path = PathBuf::from(report["private_jwks"].as_str().expect("private_jwks"));
    let public_path = PathBuf::from(report["public_jwks"].as_str().expect("public_jwks"));
    assert_eq!(private_path, tmp.path().join("private.jwks.json"));
    assert_eq!(public_path, tmp.path().join("public.jwks.json"));

    let file_keys = read_json(&private_path);
    let keys = report["keys"].as_array().expect("keys[]");
    assert_eq!(keys.len(), 2);
    for (summary, jwk) in keys.iter().zip(keys_of(&file_keys)) {
        assert_eq!(summary["kid"], jwk["kid"]);
        assert_eq!(summary["use"], jwk["use"]);
        assert_eq!(summary["alg"], jwk["alg"]);
        assert_eq!(summary["bits"], 2048);
        assert_eq!(summary["thumbprint"], thumbprint(jwk));
        assert_eq!(summary["thumbprint"], summary["kid"]);
        assert_eq!(summary["kty"], "RSA");
        assert_eq!(summary["private_members"], serde_json::json!([]));
    }
    let uses: Vec<&str> = keys.iter().map(|k| k["use"].as_str().unwrap()).collect();
    assert_eq!(uses, ["sig", "enc"]);
    let algs: Vec<&str> = keys.iter().map(|k| k["alg"].as_str().unwrap()).collect();
    assert_eq!(algs, ["RS256", "RSA-OAEP-256"]);
    // In JSON mode the progress note stays off stderr.
    assert!(
        !stderr_text(&output).contains("Generating"),
        "{}",
        stderr_text(&output)
    );
}

// ---------------------------------------------------------------------------------------------
// keys public
// ---------------------------------------------------------------------------------------------

#[test]
fn public_of_generated_private_keys_matches_the_public_file() {
    let tmp = tempfile::tempdir().unwrap();
    generate(tmp.path(), &[]);
    let private_path = tmp.path().join("private.jwks.json");
    let output = cli()
        .args(["keys", "public"])
        .arg(&private_path)
        .assert()
        .code(0)
        .get_output()
        .clone();
    let set = json_stdout(&output);
    assert_only_public_members(&set);
    assert_eq!(kids(&set), kids(&read_json(&private_path)));
    assert_eq!(set, read_json(&tmp.path().join("public.jwks.json")));
}

#[test]
fn public_of_the_partner_vector_has_its_kids_and_no_private_members() {
    let tmp = tempfile::tempdir().unwrap();
    let path = copy_vector(
        tmp.path(),
        "partner-private.jwks.json",
        "private.jwks.json",
        0o600,
    );
    let output = cli()
        .args(["keys", "public"])
        .arg(&path)
        .assert()
        .code(0)
        .get_output()
        .clone();
    let set = json_stdout(&output);
    assert_only_public_members(&set);
    let expected = read_json(Path::new(&vector_file("partner-public.jwks.json")));
    assert_eq!(kids(&set), kids(&expected));
    for (got, want) in keys_of(&set).iter().zip(keys_of(&expected)) {
        for member in ["kty", "n", "e", "use", "alg"] {
            assert_eq!(got[member], want[member], "member {member}");
        }
    }
}

/// The enc key of tests/vectors/partner-public.jwks.json, with its kid checked to be its thumbprint.
fn partner_enc_public_key() -> Value {
    let set = read_json(Path::new(&vector_file("partner-public.jwks.json")));
    let enc = keys_of(&set)
        .iter()
        .find(|k| k["use"] == "enc")
        .expect("an enc key")
        .clone();
    assert_eq!(
        enc["kid"],
        thumbprint(&enc),
        "the vector's kid is its thumbprint"
    );
    enc
}

fn assert_public_of_pem(vector: &str) {
    let tmp = tempfile::tempdir().unwrap();
    let path = copy_vector(tmp.path(), vector, "key.pem", 0o600);
    let output = cli()
        .args(["keys", "public"])
        .arg(&path)
        .assert()
        .code(0)
        .get_output()
        .clone();
    let set = json_stdout(&output);
    assert_only_public_members(&set);
    let keys = keys_of(&set);
    assert_eq!(keys.len(), 1, "{set}");
    let enc = partner_enc_public_key();
    assert_eq!(keys[0]["n"], enc["n"]);
    assert_eq!(keys[0]["e"], enc["e"]);
    assert_eq!(
        keys[0]["kid"],
        thumbprint(&enc),
        "a PEM key's kid is its thumbprint"
    );
    assert_eq!(keys[0]["kid"], enc["kid"]);
}

#[test]
fn public_of_a_pkcs1_pem() {
    assert_public_of_pem("partner-enc.pkcs1.pem");
}

#[test]
fn public_of_a_pkcs8_pem() {
    assert_public_of_pem("partner-enc.pkcs8.pem");
}

#[test]
fn public_refuses_public_keys() {
    let tmp = tempfile::tempdir().unwrap();
    let path = copy_vector(
        tmp.path(),
        "partner-public.jwks.json",
        "public.jwks.json",
        0o600,
    );
    cli()
        .args(["keys", "public"])
        .arg(&path)
        .assert()
        .code(2)
        .stdout(predicate::str::is_empty())
        .stderr(predicate::str::starts_with("error:"))
        .stderr(predicate::str::contains("no private part"))
        .stderr(predicate::str::contains("private keys are needed"));
}

/// A public key file is normally mode 0644: refusing it must not also claim that it "holds private
/// keys and is readable by other users" (the mode warning is printed before the content is parsed).
#[test]
fn public_of_a_0644_public_key_file_does_not_claim_it_holds_private_keys() {
    cli()
        .args(["keys", "public"])
        .arg(vector_file("partner-public.jwks.json"))
        .assert()
        .code(2)
        .stdout(predicate::str::is_empty())
        .stderr(predicate::str::starts_with("error:"))
        .stderr(predicate::str::contains("private keys are needed"))
        .stderr(predicate::str::contains("readable by other users").not());
}

#[test]
fn public_warns_about_a_private_key_file_readable_by_others() {
    let tmp = tempfile::tempdir().unwrap();
    let path = copy_vector(
        tmp.path(),
        "partner-private.jwks.json",
        "private.jwks.json",
        0o644,
    );
    let output = cli()
        .args(["keys", "public"])
        .arg(&path)
        .assert()
        .code(0)
        .stderr(predicate::str::contains("warning:"))
        .stderr(predicate::str::contains("readable by other users"))
        .stderr(predicate::str::contains("644"))
        .stderr(predicate::str::contains("chmod 600"))
        .get_output()
        .clone();
    // The warning does not replace the result.
    assert_eq!(keys_of(&json_stdout(&output)).len(), 2);
}

#[test]
fn public_does_not_warn_about_a_0600_private_key_file() {
    let tmp = tempfile::tempdir().unwrap();
    let path = copy_vector(
        tmp.path(),
        "partner-private.jwks.json",
        "private.jwks.json",
        0o600,
    );
    let output = cli()
        .args(["keys", "public"])
        .arg(&path)
        .assert()
        .code(0)
        .stderr(predicate::str::contains("readable by other users").not())
        .stderr(predicate::str::contains("warning:").not())
        .get_output()
        .clone();
    assert_eq!(keys_of(&json_stdout(&output)).len(), 2);
}

#[test]
fn public_of_a_missing_file_is_trouble() {
    let tmp = tempfile::tempdir().unwrap();
    cli()
        .args(["keys", "public"])
        .arg(tmp.path().join("nope.jwks.json"))
        .assert()
        .code(2)
        .stdout(predicate::str::is_empty())
        .stderr(predicate::str::starts_with("error:"));
}

// ---------------------------------------------------------------------------------------------
// keys show
// ---------------------------------------------------------------------------------------------

#[test]
fn show_names_both_kids_of_the_partner_public_set() {
    let set = read_json(Path::new(&vector_file("partner-public.jwks.json")));
    let output = cli()
        .args(["keys", "show"])
        .arg(vector_file("partner-public.jwks.json"))
        .assert()
        .code(0)
        .get_output()
        .clone();
    let stdout = stdout_text(&output);
    for kid in kids(&set) {
        assert!(stdout.contains(&kid), "names {kid}: {stdout}");
    }
    assert!(stdout.contains("2 keys"), "{stdout}");
    assert!(stdout.contains("OK"), "{stdout}");
    assert!(!stdout.contains("NOT OK"), "{stdout}");
}

#[test]
fn show_json_of_the_partner_public_set_is_valid_without_private_members() {
    let path = PathBuf::from(vector_file("partner-public.jwks.json"));
    let set = read_json(&path);
    let report = show_json(&path, &[], 0);
    assert_eq!(report["valid"], true);
    assert_eq!(report["public"], true, "the file name says public");
    assert_eq!(finding_codes(&report), Vec::<String>::new());
    let keys = report["keys"].as_array().expect("keys[]");
    assert_eq!(keys.len(), 2);
    for (summary, jwk) in keys.iter().zip(keys_of(&set)) {
        assert_eq!(summary["private_members"], serde_json::json!([]));
        assert_eq!(summary["kid"], jwk["kid"]);
        assert_eq!(summary["use"], jwk["use"]);
        assert_eq!(summary["alg"], jwk["alg"]);
        assert_eq!(summary["kty"], "RSA");
        assert_eq!(summary["bits"], modulus_bits(jwk));
        assert_eq!(summary["thumbprint"], thumbprint(jwk));
    }
}

#[test]
fn show_flags_private_members_in_a_file_named_public() {
    let tmp = tempfile::tempdir().unwrap();
    let path = copy_vector(
        tmp.path(),
        "partner-private.jwks.json",
        "leaky-public.jwks.json",
        0o600,
    );
    let report = show_json(&path, &[], 1);
    assert_eq!(report["valid"], false);
    assert_eq!(report["public"], true);
    let leaks: Vec<&Value> = report["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter(|f| f["code"] == "private_members_published")
        .collect();
    assert_eq!(leaks.len(), 2, "one finding per leaked key: {report}");
    for leak in leaks {
        assert_eq!(leak["severity"], "error");
        assert!(
            leak["message"].as_str().unwrap().contains("compromised"),
            "{leak}"
        );
    }
    for key in report["keys"].as_array().unwrap() {
        assert_eq!(
            key["private_members"],
            serde_json::json!(["d", "p", "q", "dp", "dq", "qi"])
        );
    }

    // The human output says so too.
    cli()
        .args(["keys", "show"])
        .arg(&path)
        .assert()
        .code(1)
        .stdout(predicate::str::contains("private_members_published"))
        .stdout(predicate::str::contains("NOT OK"));
}

#[test]
fn show_flags_private_members_with_the_public_flag() {
    let tmp = tempfile::tempdir().unwrap();
    let path = copy_vector(
        tmp.path(),
        "partner-private.jwks.json",
        "partner.jwks.json",
        0o600,
    );
    let report = show_json(&path, &["--public"], 1);
    assert_eq!(report["valid"], false);
    assert_eq!(report["public"], true);
    assert_eq!(
        finding_codes(&report),
        ["private_members_published", "private_members_published"]
    );
}

#[test]
fn show_accepts_a_private_file_as_a_private_file() {
    let tmp = tempfile::tempdir().unwrap();
    let path = copy_vector(
        tmp.path(),
        "partner-private.jwks.json",
        "partner.jwks.json",
        0o600,
    );
    let report = show_json(&path, &[], 0);
    assert_eq!(report["valid"], true);
    assert_eq!(report["public"], false);
    assert_eq!(finding_codes(&report), Vec::<String>::new());
    for key in report["keys"].as_array().unwrap() {
        assert!(
            !key["private_members"].as_array().unwrap().is_empty(),
            "{key}"
        );
    }
    cli()
        .args(["keys", "show"])
        .arg(&path)
        .assert()
        .code(0)
        .stdout(predicate::str::contains("key file"))
        .stdout(predicate::str::contains("PRIVATE"));
}

#[test]
fn show_warns_when_there_is_no_enc_key() {
    let tmp = tempfile::tempdir().unwrap();
    let set = read_json(Path::new(&vector_file("partner-public.jwks.json")));
    let sig: Vec<Value> = keys_of(&set)
        .iter()
        .filter(|k| k["use"] == "sig")
        .cloned()
        .collect();
    assert_eq!(sig.len(), 1);
    let path = write_json(
        tmp.path(),
        "sig-only.jwks.json",
        &serde_json::json!({ "keys": sig }),
    );
    let report = show_json(&path, &[], 0);
    assert_eq!(report["valid"], true, "a warning is not an error");
    assert_eq!(finding_codes(&report), ["no_enc_key"]);
    let finding = &report["findings"][0];
    assert_eq!(finding["severity"], "warning");

    cli()
        .args(["keys", "show"])
        .arg(&path)
        .assert()
        .code(0)
        .stdout(predicate::str::contains("no_enc_key"));
}

#[test]
fn show_warns_about_a_key_without_kid() {
    let tmp = tempfile::tempdir().unwrap();
    let mut set = read_json(Path::new(&vector_file("partner-public.jwks.json")));
    let enc = set["keys"]
        .as_array_mut()
        .unwrap()
        .iter_mut()
        .find(|k| k["use"] == "enc")
        .expect("an enc key");
    enc.as_object_mut().unwrap().remove("kid");
    let path = write_json(tmp.path(), "keys.jwks.json", &set);
    let report = show_json(&path, &[], 0);
    assert_eq!(report["valid"], true);
    assert_eq!(finding_codes(&report), ["kid_missing"]);
    let finding = &report["findings"][0];
    assert_eq!(finding["severity"], "warning");
    assert!(
        finding["message"].as_str().unwrap().contains("key #2"),
        "{finding}"
    );
    assert_eq!(report["keys"][1]["kid"], Value::Null);
}

#[test]
fn show_of_a_missing_file_is_trouble() {
    let tmp = tempfile::tempdir().unwrap();
    cli()
        .args(["keys", "show"])
        .arg(tmp.path().join("missing.jwks.json"))
        .assert()
        .code(2)
        .stdout(predicate::str::is_empty())
        .stderr(predicate::str::starts_with("error:"))
        .stderr(predicate::str::contains("missing.jwks.json"));
}

#[test]
fn show_of_a_file_that_is_not_json_is_trouble() {
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join("notes.txt");
    std::fs::write(&path, "these are not keys\n").unwrap();
    cli()
        .args(["keys", "show"])
        .arg(&path)
        .assert()
        .code(2)
        .stdout(predicate::str::is_empty())
        .stderr(predicate::str::starts_with("error:"))
        .stderr(predicate::str::contains("is not a JWK Set or JWK"));
}

#[test]
fn show_refuses_an_empty_set_and_reports_a_duplicate_kid_once() {
    let dir = tempfile::tempdir().unwrap();
    let empty = dir.path().join("empty.jwks.json");
    std::fs::write(&empty, r#"{"keys":[]}"#).unwrap();
    let output = common::cli()
        .args(["keys", "show", "-o", "json"])
        .arg(&empty)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let report = common::json_stdout(&output);
    assert!(
        report["findings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["code"] == "no_keys" && f["severity"] == "error")
    );

    let public: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(common::vector_file("partner-public.jwks.json")).unwrap(),
    )
    .unwrap();
    let key = public["keys"][0].clone();
    let triple = dir.path().join("triple.jwks.json");
    std::fs::write(
        &triple,
        serde_json::json!({"keys": [key, key, key]}).to_string(),
    )
    .unwrap();
    let output = common::cli()
        .args(["keys", "show", "-o", "json"])
        .arg(&triple)
        .output()
        .unwrap();
    let report = common::json_stdout(&output);
    let duplicates = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["code"] == "duplicate_kid")
        .count();
    assert_eq!(duplicates, 1);
}

#[test]
fn generate_into_a_regular_file_says_it_is_not_a_directory() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("not-a-dir");
    std::fs::write(&file, "x").unwrap();
    common::cli()
        .args(["keys", "generate", "--out"])
        .arg(&file)
        .assert()
        .code(2)
        .stderr(predicates::str::contains("is not a directory"));
}
