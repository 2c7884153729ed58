//! The audit judged on facts made up here: no network, no files.

use crate::flow::token::TokenAnswer;
use std::time::Duration;

use serde_json::json;

use super::*;
use crate::tls_class::{CertificateClass, ServerCertificate};

#[test]
fn as_str_matches_serde_for_every_id() {
    for id in CheckId::ALL {
        assert_eq!(
            serde_json::to_value(id).unwrap(),
            serde_json::Value::String(id.as_str().into())
        );
    }
}

#[test]
fn the_offline_checks_come_first_then_the_online_ones() {
    let split = CheckId::ALL.iter().position(|id| id.is_online()).unwrap();
    assert_eq!(split, 5);
    assert!(CheckId::ALL[split..].iter().all(|id| id.is_online()));
}

#[test]
fn every_id_is_documented() {
    let doc = include_str!("../../docs/validate.md");
    for id in CheckId::ALL {
        assert!(
            doc.contains(&format!("| `{id}` |")),
            "docs/validate.md lacks `{id}`"
        );
    }
}

fn certificate(class: CertificateClass, chain_verified: bool) -> ServerCertificate {
    ServerCertificate {
        host: "partner.example".into(),
        class,
        subject: "CN=partner.example".into(),
        issuer: "CN=Some CA".into(),
        not_after: "2030-01-01T00:00:00Z".into(),
        chain_length: 2,
        chain_verified,
        verify_error: (!chain_verified).then(|| "unable to get local issuer certificate".into()),
    }
}

fn online(provider: ProviderFact, jwks: JwksFact, probe: ProbeFact) -> OnlineFacts {
    OnlineFacts {
        provider,
        jwks,
        tls: vec![],
        probe,
        other_form: None,
        redirect: RedirectProbeFact::Skipped("no client_id given".into()),
        now: 0,
    }
}

fn ids(report: &ValidateReport) -> Vec<CheckId> {
    report.checks.iter().map(|c| c.id).collect()
}

#[test]
fn offline_skips_every_online_check_in_order() {
    let report = audit(&Facts {
        setup: Setup::default(),
        keys: KeysFact::Read {
            keys: vec![],
            exposed: vec![],
        },
        online: None,
    });
    assert_eq!(ids(&report), CheckId::ALL);
    assert!(!report.valid);
    for check in report.checks.iter().filter(|c| c.id.is_online()) {
        assert_eq!(check.status, Status::Skip);
        assert_eq!(check.message, "skipped (--offline)");
    }
}

#[test]
fn every_listed_id_is_reported_by_some_facts() {
    let metadata = json!({"issuer": "https://idp.example/v2", "token_endpoint": "https://idp.example/v2/token"});
    let facts = [
        Facts {
            setup: Setup::default(),
            keys: KeysFact::Read {
                keys: vec![],
                exposed: vec![],
            },
            online: Some(online(
                ProviderFact::NotGiven,
                JwksFact::NotGiven,
                ProbeFact::Skipped(ProbeSkip::NoClientId),
            )),
        },
        Facts {
            setup: Setup {
                client_id: Some("partner".into()),
                service_code: Some("LOGIN".into()),
                redirect_uris: vec!["https://app.example/cb".into(), "myapp://cb".into()],
                key_files: vec!["keys.json".into()],
                jwks_uri: Some("https://app.example/jwks.json".into()),
                ..Setup::default()
            },
            keys: KeysFact::Unreadable("`keys.json` is not valid JSON".into()),
            online: Some(OnlineFacts {
                tls: vec![
                    TlsFact {
                        host: "app.example".into(),
                        answer: Ok(certificate(CertificateClass::DomainValidated, true)),
                    },
                    TlsFact {
                        host: "other.example".into(),
                        answer: Err("connection refused".into()),
                    },
                ],
                ..online(
                    ProviderFact::Answered {
                        issuer: "https://idp.example/v2".into(),
                        metadata: metadata.as_object().cloned().unwrap(),
                        date: Some("Thu, 01 Jan 1970 00:00:00 GMT".into()),
                    },
                    JwksFact::Answered {
                        status: 200,
                        elapsed: Duration::from_millis(5),
                        body:
                            br#"{"keys":[{"kty":"RSA","kid":"a","n":"AQAB","e":"AQAB","d":"x"}]}"#
                                .to_vec(),
                        cache_control: Some("public, max-age=3600".into()),
                    },
                    ProbeFact::Answered(TokenAnswer::from_http(
                        400,
                        br#"{"error":"invalid_client"}"#,
                    )),
                )
            }),
        },
    ];
    let mut seen = Vec::new();
    for facts in &facts {
        for id in ids(&audit(facts)) {
            if !seen.contains(&id) {
                seen.push(id);
            }
        }
    }
    for id in CheckId::ALL {
        assert!(seen.contains(&id), "`{id}` is never reported: {seen:?}");
    }
}

#[test]
fn the_probe_verdict_reads_the_error_member() {
    use provider::{ProbeVerdict, probe_verdict};
    assert_eq!(
        probe_verdict(&TokenAnswer::from_http(
            400,
            br#"{"error":"invalid_grant"}"#
        )),
        ProbeVerdict::Accepted
    );
    assert_eq!(
        probe_verdict(&TokenAnswer::from_http(
            401,
            br#"{"error":"invalid_client"}"#
        )),
        ProbeVerdict::Refused("invalid_client".into())
    );
    assert_eq!(
        probe_verdict(&TokenAnswer::from_http(
            400,
            br#"{"error":"unauthorized_client"}"#
        )),
        ProbeVerdict::Refused("unauthorized_client".into())
    );
    assert_eq!(
        probe_verdict(&TokenAnswer::from_http(500, b"<html>")),
        ProbeVerdict::Unexpected {
            status: 500,
            error: String::new()
        }
    );
    let refused = provider::probe_check(&ProbeFact::Answered(TokenAnswer::from_http(
        401,
        br#"{"error":"invalid_client"}"#,
    )));
    assert_eq!(refused.status, Status::Fail);
    assert!(refused.hint.is_some());
}

#[test]
fn the_clock_is_judged_against_the_providers_date() {
    let date = "Thu, 01 Jan 2026 00:00:00 GMT";
    let then = 1_767_225_600;
    assert_eq!(provider::clock(Some(date), then + 1).status, Status::Pass);
    assert_eq!(provider::clock(Some(date), then - 60).status, Status::Warn);
    assert_eq!(provider::clock(Some(date), then + 600).status, Status::Fail);
    assert_eq!(provider::clock(None, then).status, Status::Skip);
    assert_eq!(
        provider::clock(Some("yesterday"), then).status,
        Status::Skip
    );
}

#[test]
fn certificate_classes_map_to_itsme_verdicts() {
    for (class, verified, expected) in [
        (CertificateClass::DomainValidated, true, Status::Fail),
        (CertificateClass::OrganizationValidated, true, Status::Pass),
        (CertificateClass::ExtendedValidation, true, Status::Pass),
        (CertificateClass::IndividualValidated, true, Status::Warn),
        (CertificateClass::Unknown, true, Status::Warn),
        (CertificateClass::ExtendedValidation, false, Status::Fail),
    ] {
        let check = tls::check(&TlsFact {
            host: "partner.example".into(),
            answer: Ok(certificate(class, verified)),
        });
        assert_eq!(
            check.status, expected,
            "{class:?} {verified}: {}",
            check.message
        );
    }
}

#[test]
fn only_https_hosts_are_inspected_each_once() {
    let setup = Setup {
        jwks_uri: Some("https://keys.example/jwks.json".into()),
        redirect_uris: vec![
            "https://keys.example/cb".into(),
            "http://127.0.0.1:8765/cb".into(),
            "https://[::1]:8443/cb".into(),
            "myapp://cb".into(),
        ],
        ..Setup::default()
    };
    assert_eq!(
        tls::hosts(&setup),
        [("keys.example".to_string(), 443), ("::1".to_string(), 8443)]
    );
}

#[test]
fn cache_control_max_age() {
    assert_eq!(jwks::max_age("public, max-age=1800"), Some(1800));
    assert_eq!(jwks::max_age("no-store"), None);
    assert_eq!(jwks::cache(Some("max-age=1800")).status, Status::Pass);
    assert_eq!(jwks::cache(Some("max-age=60")).status, Status::Warn);
    assert_eq!(jwks::cache(None).status, Status::Warn);
}

#[test]
fn redirect_uris_are_https_or_loopback_http_without_fragment() {
    for (uri, expected) in [
        ("https://app.example/cb", Status::Pass),
        ("http://127.0.0.1:8765/cb", Status::Warn),
        ("http://app.example/cb", Status::Fail),
        ("myapp://cb", Status::Fail),
        ("https://app.example/cb#x", Status::Fail),
        ("not a url", Status::Fail),
    ] {
        let check = setup::redirect_uri(uri);
        assert_eq!(check.id, CheckId::RedirectUri);
        assert_eq!(check.status, expected, "{uri}: {}", check.message);
    }
    assert_eq!(setup::client_id(Some("my partner")).status, Status::Fail);
    assert_eq!(
        setup::service_code(Some("LOGIN"), false).status,
        Status::Pass
    );
}

#[test]
fn the_hosted_set_fails_on_weak_keys_and_warns_on_small_exponents() {
    let key = crate::jose::keys::PrivateKey::generate(2048, "sig", "RS256").unwrap();
    let with_e = |kid: &str, e: &str| {
        let mut jwk = key.public_jwk();
        jwk.set_key_id(kid);
        jwk.set_parameter("e", Some(serde_json::Value::String(e.into())))
            .unwrap();
        jwk
    };
    use crate::jose::keys::PublicKeySet;
    let set = |doc: serde_json::Value| PublicKeySet::parse(doc.to_string().as_bytes()).unwrap();
    let check = jwks::private_members(&set(PublicKeySet::document(&[key.public_jwk()])));
    assert_eq!(check.status, Status::Pass);
    let check = jwks::private_members(&set(PublicKeySet::document(&[with_e("three", "Aw")])));
    assert_eq!(check.status, Status::Warn, "{}", check.message);
    assert!(check.message.contains("key `three`"), "{}", check.message);
    let check = jwks::private_members(&set(PublicKeySet::document(&[
        with_e("three", "Aw"),
        with_e("one", "AQ"),
    ])));
    assert_eq!(check.status, Status::Fail, "{}", check.message);
    assert!(
        check
            .message
            .contains("key `one` is refused: its public exponent is 1"),
        "{}",
        check.message
    );
}

#[test]
fn the_private_keys_warn_on_a_small_exponent() {
    // A private key with e = 3, built from its numbers.
    let rsa = {
        let e = openssl::bn::BigNum::from_u32(3).unwrap();
        openssl::rsa::Rsa::generate_with_e(2048, &e).unwrap()
    };
    let b = |n: &openssl::bn::BigNumRef| {
        base64::Engine::encode(
            &base64::engine::general_purpose::URL_SAFE_NO_PAD,
            n.to_vec(),
        )
    };
    let jwk = json!({
        "kty": "RSA", "kid": "three", "use": "sig",
        "n": b(rsa.n()), "e": b(rsa.e()), "d": b(rsa.d()),
        "p": b(rsa.p().unwrap()), "q": b(rsa.q().unwrap()),
        "dp": b(rsa.dmp1().unwrap()), "dq": b(rsa.dmq1().unwrap()), "qi": b(rsa.iqmp().unwrap()),
    });
    let enc = crate::jose::keys::PrivateKey::generate(2048, "enc", "RSA-OAEP-256").unwrap();
    let mut keys =
        crate::jose::keys::load_private_keys(json!({ "keys": [jwk] }).to_string().as_bytes(), "k")
            .unwrap();
    keys.push(enc);
    let setup = Setup {
        key_files: vec!["k".into()],
        ..Setup::default()
    };
    let checks = setup::key_checks(
        &setup,
        &KeysFact::Read {
            keys,
            exposed: Vec::new(),
        },
    );
    assert_eq!(checks[0].id, CheckId::KeysPrivate);
    assert_eq!(checks[0].status, Status::Warn, "{}", checks[0].message);
    assert!(
        checks[0]
            .message
            .contains("key `three`: its public exponent is 3"),
        "{}",
        checks[0].message
    );
}

#[test]
fn a_refused_probe_shows_what_the_provider_said() {
    let refused = provider::probe_check(&ProbeFact::Answered(TokenAnswer::from_http(
        401,
        br#"{"error":"invalid_client","error_description":"no client `nope` (the assertion's iss)"}"#,
    )));
    assert_eq!(refused.status, Status::Fail);
    assert!(
        refused.message.ends_with(
            "(`invalid_client`); the provider said: no client `nope` (the assertion's iss)"
        ),
        "{}",
        refused.message
    );
    let silent = provider::probe_check(&ProbeFact::Answered(TokenAnswer::from_http(
        401,
        br#"{"error":"invalid_client"}"#,
    )));
    assert!(!silent.message.contains("said"), "{}", silent.message);
}

#[test]
fn a_skipped_probe_says_what_is_missing() {
    let no_client = provider::probe_check(&ProbeFact::Skipped(ProbeSkip::NoClientId));
    assert_eq!(no_client.message, "no client_id given");
    let no_endpoint = provider::probe_check(&ProbeFact::Skipped(ProbeSkip::NoTokenEndpoint));
    assert!(
        no_endpoint.message.contains("token_endpoint")
            && !no_endpoint.message.contains("client_id"),
        "{}",
        no_endpoint.message
    );
}

#[test]
fn the_assertion_aud_check_says_which_form_the_provider_accepts() {
    use crate::oidc::client_auth::AssertionAud::{Issuer, TokenEndpoint};
    let answer = |error: &str| {
        ProbeFact::Answered(TokenAnswer::from_http(
            400,
            format!(r#"{{"error":"{error}"}}"#).as_bytes(),
        ))
    };
    let (ok, no) = (answer("invalid_grant"), answer("invalid_client"));
    let check = |configured, first: &ProbeFact, second: &ProbeFact| {
        provider::assertion_aud_check(configured, first, Some(second))
    };
    let both = check(TokenEndpoint, &ok, &ok);
    assert_eq!(both.status, Status::Pass);
    assert!(both.message.contains("both"), "{}", both.message);
    let documented_only = check(TokenEndpoint, &ok, &no);
    assert_eq!(documented_only.status, Status::Pass);
    assert!(
        documented_only
            .hint
            .as_deref()
            .unwrap()
            .contains("modifyAssertion"),
        "{documented_only:?}"
    );
    // The form sent is refused, the other accepted: a fail that names the setting to change.
    let wrong = check(TokenEndpoint, &no, &ok);
    assert_eq!(wrong.status, Status::Fail);
    let hint = wrong.hint.unwrap();
    assert!(
        hint.contains("--assertion-aud issuer") && hint.contains("ITSME_ASSERTION_AUD=issuer"),
        "{hint}"
    );
    let wrong = check(Issuer, &no, &ok);
    assert!(
        wrong
            .hint
            .unwrap()
            .contains("--assertion-aud token-endpoint")
    );
    assert_eq!(check(Issuer, &no, &no).status, Status::Skip);
    assert_eq!(
        check(TokenEndpoint, &ok, &answer("server_error")).status,
        Status::Warn
    );
    let secret = provider::assertion_aud_check(TokenEndpoint, &ok, None);
    assert_eq!(secret.status, Status::Skip);
    assert!(
        secret.message.contains("client secret"),
        "{}",
        secret.message
    );
    let unsent = provider::assertion_aud_check(
        TokenEndpoint,
        &ProbeFact::Skipped(ProbeSkip::NoClientId),
        None,
    );
    assert_eq!(unsent.status, Status::Skip);
}

#[test]
fn the_redirect_uri_probe_passes_only_what_the_provider_showed_it_knows() {
    use super::facts::{AuthorizeAnswer, RedirectProbe};
    use super::redirect;
    let uri = "https://app.example/callback";
    let page = |status, body: &str| AuthorizeAnswer::read(status, None, body.as_bytes());
    let to = |location: &str| AuthorizeAnswer::read(302, Some(location), b"");
    let judge = |answer: AuthorizeAnswer, comparison: Option<AuthorizeAnswer>| {
        let checks = redirect::checks(&RedirectProbeFact::Probed(vec![RedirectProbe {
            redirect_uri: uri.into(),
            answer: Ok(answer),
            comparison: comparison.map(Ok),
        }]));
        assert_eq!(checks.len(), 1);
        assert_eq!(checks[0].id, CheckId::RedirectUriRegistered);
        (checks[0].status, checks[0].message.clone())
    };
    let refused = || {
        page(
            400,
            "<code>invalid_redirect_uri</code> is not a redirect URI of `x`",
        )
    };
    // Sent to the redirect URI (a code or an error): known.
    assert_eq!(
        judge(to(&format!("{uri}?code=c&state=s")), None).0,
        Status::Pass
    );
    assert_eq!(
        judge(to(&format!("{uri}?error=invalid_scope")), None).0,
        Status::Pass
    );
    // The trailing slash is another URI: redirected to the registered one is not to this one.
    assert_eq!(judge(to(&format!("{uri}/?code=c")), None).0, Status::Warn);
    // Stopped at the provider's page for the redirect URI: unknown.
    let (status, message) = judge(refused(), None);
    assert_eq!(status, Status::Fail, "{message}");
    assert_eq!(
        judge(page(400, "The redirect_uri is wrong"), None).0,
        Status::Fail
    );
    // Stopped for another reason, or for none it says: not a verdict on the redirect URI.
    let (status, message) = judge(page(400, "<code>invalid_client_id</code>"), None);
    assert_eq!(status, Status::Warn);
    assert!(
        message.contains("not checked") && message.contains("invalid_client_id"),
        "{message}"
    );
    assert_eq!(judge(page(500, "oops"), None).0, Status::Warn);
    // A page that went on: known only when an unknown redirect URI was stopped instead.
    let (status, message) = judge(page(200, "consent"), Some(refused()));
    assert_eq!(status, Status::Pass, "{message}");
    let (status, message) = judge(page(200, "consent"), Some(page(200, "error")));
    assert_eq!(status, Status::Warn);
    assert!(message.contains("does not tell"), "{message}");
    assert_eq!(
        judge(
            to("https://idp.example/login"),
            Some(to("https://idp.example/login"))
        )
        .0,
        Status::Warn
    );
    assert!(redirect::needs_comparison(&page(200, ""), uri));
    assert!(!redirect::needs_comparison(&refused(), uri));
    // No answer at all: trouble, not a verdict.
    let unreachable = redirect::checks(&RedirectProbeFact::Probed(vec![RedirectProbe {
        redirect_uri: uri.into(),
        answer: Err("could not reach …".into()),
        comparison: None,
    }]));
    assert_eq!(unreachable[0].status, Status::Error);
    let skipped = redirect::checks(&RedirectProbeFact::Skipped("no client_id given".into()));
    assert!(
        skipped[0]
            .message
            .starts_with("not checked against the provider")
    );
}
