//! Claim validation of ID tokens (OpenID Connect Core §3.1.3.7) and userinfo responses (§5.3.4),
//! reporting every problem found, not only the first.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde::Serialize;
use serde_json::{Map, Value};

use crate::findings::{Code, Finding, Unchecked};
use crate::jose::compact::json_kind;
use crate::timefmt;

/// What kind of token is validated: the rules differ.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TokenKind {
    /// An ID token: `iss`, `aud`, `exp`, `iat` and `sub` are required.
    IdToken,
    /// A userinfo response: `sub` is required; `iss`/`aud` are checked when present.
    Userinfo,
    /// A request object (PROTOCOL §4): only its times here; its form, `aud` and parameters are
    /// `oidc::request_object::check`'s.
    RequestObject,
}

/// The values a token is checked against. `None` means "not given": that check is skipped and
/// listed as unchecked.
#[derive(Debug, Clone)]
pub struct Expectations {
    /// Which rules apply.
    pub kind: TokenKind,
    /// Expected `iss`, compared exactly.
    pub issuer: Option<String>,
    /// The client_id: expected in `aud`, and equal to `azp` when present.
    pub client_id: Option<String>,
    /// Expected `nonce`.
    pub nonce: Option<String>,
    /// The access token, to check `at_hash`.
    pub access_token: Option<String>,
    /// Expected `sub`.
    pub expect_sub: Option<String>,
    /// The instant to validate at (Unix seconds).
    pub now: i64,
    /// Allowed clock difference in seconds.
    pub clock_skew: i64,
}

impl Expectations {
    /// Expectations with nothing given, at `now`, with the default 60 s skew.
    pub fn new(kind: TokenKind, now: i64) -> Self {
        Expectations {
            kind,
            issuer: None,
            client_id: None,
            nonce: None,
            access_token: None,
            expect_sub: None,
            now,
            clock_skew: 60,
        }
    }
}

/// The result of the claim rules.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct ClaimChecks {
    /// Problems: the token is not valid.
    pub errors: Vec<Finding>,
    /// Remarks.
    pub warnings: Vec<Finding>,
    /// Checks skipped for want of an expected value.
    pub unchecked: Vec<Unchecked>,
}

/// Applies the rules to a token's claims. `signing_alg` is the JWS `alg` (for `at_hash`).
pub fn validate(
    claims: &Map<String, Value>,
    expect: &Expectations,
    signing_alg: Option<&str>,
) -> ClaimChecks {
    let mut checks = ClaimChecks::default();
    if expect.kind == TokenKind::RequestObject {
        check_times(claims, expect, false, &mut checks);
        return checks;
    }
    let id_token = expect.kind == TokenKind::IdToken;
    check_issuer(claims, expect, id_token, &mut checks);
    check_audience(claims, expect, id_token, &mut checks);
    check_times(claims, expect, id_token, &mut checks);
    check_subject(claims, expect, &mut checks);
    if id_token {
        check_nonce(claims, expect, &mut checks);
        check_at_hash(claims, expect, signing_alg, &mut checks);
    }
    checks
}

/// Explicit typing (RFC 8725 §3.11): a JWT whose JOSE header says it is another kind of token —
/// an access token (`at+jwt`), a logout token (`logout+jwt`), a client assertion, … — is never
/// taken for an ID token or a userinfo response, however good its signature and claims: issuers
/// sign those with the same keys. `container` names the header (`JWS`, `JWE`) in messages.
///
/// `typ` may be absent, `JWT` (RFC 7519 §5.1) or `JOSE` (RFC 7515 §4.1.9; itsme®'s own samples
/// carry it on JWEs); a JWE's `cty` may be anything but another `…+jwt` type (`JWT` marks a nested
/// token, RFC 7519 §5.2). Media types compare case-insensitively, with or without their
/// `application/` prefix (RFC 7515 §4.1.9, §4.1.10).
pub fn header_type(header: &Map<String, Value>, container: &str, kind: TokenKind) -> Vec<Finding> {
    let expected = match kind {
        TokenKind::IdToken => "an ID token",
        TokenKind::Userinfo => "a userinfo response",
        TokenKind::RequestObject => "a request object",
    };
    let mut findings = Vec::new();
    for member in ["typ", "cty"] {
        let Some(value) = header.get(member) else {
            continue;
        };
        let Some(text) = value.as_str() else {
            if member == "typ" {
                findings.push(Finding::new(
                    Code::TypNotAllowed,
                    format!(
                        "the {container} header's `typ` is {}, not a string (RFC 7515 §4.1.9)",
                        json_kind(value)
                    ),
                ));
            }
            continue;
        };
        let lower = text.to_ascii_lowercase();
        let media = lower.strip_prefix("application/").unwrap_or(&lower);
        let said = format!("the {container} header says `{member}: {text}`");
        let message = match media.strip_suffix("+jwt") {
            Some("oauth-authz-req") if kind == TokenKind::RequestObject => continue,
            Some(name) => format!(
                "{said}: it is {}, not {expected}; a JWT typed as another kind is never accepted in its place (RFC 8725 §3.11)",
                other_token(name)
            ),
            None if member == "cty" || matches!(media, "jwt" | "jose") => continue,
            None => format!(
                "{said}: {expected} carries `typ: JWT` or no `typ` at all (RFC 7519 §5.1, RFC 8725 §3.11)"
            ),
        };
        findings.push(Finding::new(Code::TypNotAllowed, message));
    }
    findings
}

/// The kind of token a `…+jwt` media type names, with where it is defined.
fn other_token(name: &str) -> String {
    match name {
        "at" => "an OAuth access token (RFC 9068 §4)".into(),
        "logout" => "a logout token (OpenID Connect Back-Channel Logout 1.0 §2.4)".into(),
        "secevent" => "a security event token (RFC 8417 §2.3)".into(),
        "client-authentication" => "a client assertion (RFC 10070)".into(),
        "oauth-authz-req" => "a request object (RFC 9101 §4)".into(),
        "dpop" => "a DPoP proof (RFC 9449 §4.2)".into(),
        "token-introspection" => "a token introspection response (RFC 9701)".into(),
        other => format!("a `{other}+jwt` token"),
    }
}

fn string_claim<'c>(
    claims: &'c Map<String, Value>,
    name: &str,
    checks: &mut ClaimChecks,
) -> Option<&'c str> {
    match claims.get(name)? {
        Value::String(s) => Some(s),
        other => {
            checks.errors.push(Finding::new(
                Code::ClaimInvalid,
                format!("`{name}` must be a string, found {}", json_kind(other)),
            ));
            None
        }
    }
}

fn check_issuer(
    claims: &Map<String, Value>,
    expect: &Expectations,
    required: bool,
    checks: &mut ClaimChecks,
) {
    let present = claims.contains_key("iss");
    let iss = string_claim(claims, "iss", checks);
    let Some(expected) = &expect.issuer else {
        if present || required {
            checks.unchecked.push(Unchecked {
                check: "issuer",
                hint: "--issuer URL or --env e2e|prd|uat",
            });
        }
        return;
    };
    match iss {
        Some(iss) if iss == expected => {}
        Some(iss) => {
            let why = if iss.trim_end_matches('/') == expected.trim_end_matches('/') {
                " (they differ only by a trailing slash; the match must be exact)"
            } else {
                ""
            };
            checks.errors.push(Finding::new(
                Code::IssuerMismatch,
                format!("`iss` is `{iss}`, expected exactly `{expected}`{why}"),
            ));
        }
        None if present => {}
        None if required => checks.errors.push(Finding::new(
            Code::IssuerMismatch,
            format!("`iss` is missing, expected `{expected}`"),
        )),
        None => {}
    }
}

fn check_audience(
    claims: &Map<String, Value>,
    expect: &Expectations,
    required: bool,
    checks: &mut ClaimChecks,
) {
    let audiences: Option<Vec<&str>> = match claims.get("aud") {
        None => None,
        Some(Value::String(s)) => Some(vec![s.as_str()]),
        Some(Value::Array(items)) if items.iter().all(Value::is_string) => {
            Some(items.iter().filter_map(Value::as_str).collect())
        }
        Some(other) => {
            checks.errors.push(Finding::new(
                Code::ClaimInvalid,
                format!(
                    "`aud` must be a string or an array of strings, found {}",
                    json_kind(other)
                ),
            ));
            return;
        }
    };
    let azp = string_claim(claims, "azp", checks);
    let Some(client_id) = &expect.client_id else {
        if audiences.is_some() || required {
            checks.unchecked.push(Unchecked {
                check: "audience",
                hint: "--client-id ID (or ITSME_CLIENT_ID)",
            });
        }
        if required && audiences.is_none() {
            checks
                .errors
                .push(Finding::new(Code::AudienceMismatch, "`aud` is missing"));
        }
        return;
    };
    match &audiences {
        None if required => {
            checks.errors.push(Finding::new(
                Code::AudienceMismatch,
                format!("`aud` is missing, expected `{client_id}`"),
            ));
        }
        None => {}
        Some(list) if !list.contains(&client_id.as_str()) => {
            checks.errors.push(Finding::new(
                Code::AudienceMismatch,
                format!(
                    "`aud` is {}, which does not contain the client_id `{client_id}`",
                    quoted_list(list)
                ),
            ));
        }
        Some(list) if list.len() > 1 && azp.is_none() => {
            checks.warnings.push(Finding::new(
                Code::MultipleAudiences,
                format!("`aud` lists {} audiences ({}) and there is no `azp` naming the authorized party", list.len(), quoted_list(list)),
            ));
        }
        Some(_) => {}
    }
    if let Some(azp) = azp
        && azp != client_id
    {
        checks.errors.push(Finding::new(
            Code::AzpMismatch,
            format!("`azp` is `{azp}`, but the token must have been issued to `{client_id}`"),
        ));
    }
}

fn quoted_list(items: &[&str]) -> String {
    items
        .iter()
        .map(|i| format!("`{i}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// A NumericDate claim as whole seconds; an error finding when it has the wrong type.
fn numeric_date(claims: &Map<String, Value>, name: &str, checks: &mut ClaimChecks) -> Option<i64> {
    match claims.get(name)? {
        Value::Number(n) => {
            // NumericDate may carry fractions (RFC 7519 §2); whole seconds are enough here.
            let seconds = n.as_i64().or_else(|| {
                n.as_f64()
                    .filter(|f| f.is_finite())
                    .map(|f| f.floor() as i64)
            });
            if seconds.is_none() {
                checks.errors.push(Finding::new(
                    Code::ClaimInvalid,
                    format!("`{name}` is not a usable NumericDate: {n}"),
                ));
            }
            seconds
        }
        other => {
            checks.errors.push(Finding::new(
                Code::ClaimInvalid,
                format!(
                    "`{name}` must be a NumericDate (seconds since 1970), found {}",
                    json_kind(other)
                ),
            ));
            None
        }
    }
}

fn check_times(
    claims: &Map<String, Value>,
    expect: &Expectations,
    id_token: bool,
    checks: &mut ClaimChecks,
) {
    let now = expect.now;
    let skew = expect.clock_skew;
    match numeric_date(claims, "exp", checks) {
        Some(exp) if now > exp.saturating_add(skew) => checks.errors.push(Finding::new(
            Code::Expired,
            format!(
                "expired at {} ({} before the validation time {}, beyond the {skew} s clock skew)",
                timefmt::utc(exp),
                timefmt::duration(now.saturating_sub(exp)),
                timefmt::utc(now)
            ),
        )),
        Some(_) => {}
        None if id_token && !claims.contains_key("exp") => {
            checks.errors.push(Finding::new(
                Code::ExpMissing,
                "`exp` is missing; an ID token must say when it expires",
            ));
        }
        None => {}
    }
    if let Some(nbf) = numeric_date(claims, "nbf", checks)
        && nbf > now.saturating_add(skew)
    {
        checks.errors.push(Finding::new(
            Code::NotYetValid,
            format!(
                "not valid before {} ({} after the validation time {})",
                timefmt::utc(nbf),
                timefmt::duration(nbf.saturating_sub(now)),
                timefmt::utc(now)
            ),
        ));
    }
    match numeric_date(claims, "iat", checks) {
        Some(iat) if iat > now.saturating_add(skew) => checks.warnings.push(Finding::new(
            Code::IatInFuture,
            format!(
                "issued at {}, {} after the validation time: is a clock wrong?",
                timefmt::utc(iat),
                timefmt::duration(iat.saturating_sub(now))
            ),
        )),
        Some(_) => {}
        None if id_token && !claims.contains_key("iat") => {
            checks.errors.push(Finding::new(
                Code::IatMissing,
                "`iat` is missing; an ID token must say when it was issued",
            ));
        }
        None => {}
    }
}

fn check_subject(claims: &Map<String, Value>, expect: &Expectations, checks: &mut ClaimChecks) {
    let present = claims.contains_key("sub");
    let sub = string_claim(claims, "sub", checks);
    match sub {
        Some("") => checks
            .errors
            .push(Finding::new(Code::SubMissing, "`sub` is empty")),
        None if !present => checks
            .errors
            .push(Finding::new(Code::SubMissing, "`sub` is missing")),
        _ => {}
    }
    if let (Some(expected), Some(sub)) = (&expect.expect_sub, sub)
        && sub != expected
    {
        let context = match expect.kind {
            TokenKind::Userinfo => {
                "; userinfo must be about the user of the ID token (OpenID Connect Core §5.3.2)"
            }
            TokenKind::IdToken | TokenKind::RequestObject => "",
        };
        checks.errors.push(Finding::new(
            Code::SubMismatch,
            format!("`sub` is `{sub}`, expected `{expected}`{context}"),
        ));
    }
}

fn check_nonce(claims: &Map<String, Value>, expect: &Expectations, checks: &mut ClaimChecks) {
    let present = claims.contains_key("nonce");
    let nonce = string_claim(claims, "nonce", checks);
    let Some(expected) = &expect.nonce else {
        if present {
            checks.unchecked.push(Unchecked {
                check: "nonce",
                hint: "--nonce N",
            });
        }
        return;
    };
    match nonce {
        Some(n) if n == expected => {}
        Some(n) => checks.errors.push(Finding::new(
            Code::NonceMismatch,
            format!("`nonce` is `{n}`, expected `{expected}`: the token does not answer this authorization request"),
        )),
        None if !present => checks.errors.push(Finding::new(
            Code::NonceMismatch,
            format!("`nonce` is missing, expected `{expected}`"),
        )),
        None => {}
    }
}

/// `at_hash`: base64url of the left half of the hash of the access token, the hash being the one
/// of the JWS `alg` (OpenID Connect Core §3.1.3.6).
pub fn at_hash(access_token: &str, signing_alg: &str) -> Option<String> {
    let digest: Vec<u8> = match signing_alg.get(2..)? {
        "256" => openssl::sha::sha256(access_token.as_bytes()).to_vec(),
        "384" => openssl::sha::sha384(access_token.as_bytes()).to_vec(),
        "512" => openssl::sha::sha512(access_token.as_bytes()).to_vec(),
        _ => return None,
    };
    Some(URL_SAFE_NO_PAD.encode(&digest[..digest.len() / 2]))
}

fn check_at_hash(
    claims: &Map<String, Value>,
    expect: &Expectations,
    signing_alg: Option<&str>,
    checks: &mut ClaimChecks,
) {
    let Some(found) = string_claim(claims, "at_hash", checks) else {
        return;
    };
    let Some(access_token) = &expect.access_token else {
        checks.unchecked.push(Unchecked {
            check: "at_hash",
            hint: "--access-token T",
        });
        return;
    };
    let Some(expected) = signing_alg.and_then(|alg| at_hash(access_token, alg)) else {
        return;
    };
    if found != expected {
        checks.errors.push(Finding::new(
            Code::AtHashMismatch,
            format!("`at_hash` is `{found}`, but the access token hashes to `{expected}`: they were not issued together"),
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const NOW: i64 = 1_767_225_900;

    fn expectations() -> Expectations {
        Expectations {
            issuer: Some("https://idp.e2e.itsme.services/v2".into()),
            client_id: Some("client".into()),
            nonce: Some("n1".into()),
            ..Expectations::new(TokenKind::IdToken, NOW)
        }
    }

    fn good() -> Map<String, Value> {
        json!({"iss": "https://idp.e2e.itsme.services/v2", "aud": "client", "sub": "s", "nonce": "n1",
               "iat": NOW - 10, "nbf": NOW - 10, "exp": NOW + 600})
        .as_object()
        .cloned()
        .unwrap()
    }

    fn codes(checks: &ClaimChecks) -> Vec<Code> {
        checks.errors.iter().map(|f| f.code).collect()
    }

    fn with(claim: &str, value: Value) -> Map<String, Value> {
        let mut claims = good();
        claims.insert(claim.into(), value);
        claims
    }

    fn without(claim: &str) -> Map<String, Value> {
        let mut claims = good();
        claims.remove(claim);
        claims
    }

    #[test]
    fn a_good_token_passes() {
        let checks = validate(&good(), &expectations(), Some("RS256"));
        assert_eq!(checks, ClaimChecks::default());
    }

    #[test]
    fn issuer_is_compared_exactly() {
        let checks = validate(
            &with("iss", json!("https://idp.e2e.itsme.services/v2/")),
            &expectations(),
            None,
        );
        assert_eq!(codes(&checks), [Code::IssuerMismatch]);
        assert!(checks.errors[0].message.contains("trailing slash"));
        assert_eq!(
            codes(&validate(&without("iss"), &expectations(), None)),
            [Code::IssuerMismatch]
        );
    }

    #[test]
    fn audience_rules() {
        assert_eq!(
            codes(&validate(
                &with("aud", json!("other")),
                &expectations(),
                None
            )),
            [Code::AudienceMismatch]
        );
        assert_eq!(
            codes(&validate(&without("aud"), &expectations(), None)),
            [Code::AudienceMismatch]
        );
        assert_eq!(
            codes(&validate(&with("aud", json!(5)), &expectations(), None)),
            [Code::ClaimInvalid]
        );
        let several = validate(
            &with("aud", json!(["client", "other"])),
            &expectations(),
            None,
        );
        assert!(several.errors.is_empty());
        assert_eq!(several.warnings[0].code, Code::MultipleAudiences);
        let mut claims = with("aud", json!(["client", "other"]));
        claims.insert("azp".into(), json!("other"));
        assert_eq!(
            codes(&validate(&claims, &expectations(), None)),
            [Code::AzpMismatch]
        );
        claims.insert("azp".into(), json!("client"));
        assert_eq!(
            validate(&claims, &expectations(), None),
            ClaimChecks::default()
        );
    }

    #[test]
    fn time_rules_respect_the_skew() {
        let e = expectations();
        assert!(
            validate(&with("exp", json!(NOW - 59)), &e, None)
                .errors
                .is_empty()
        );
        assert_eq!(
            codes(&validate(&with("exp", json!(NOW - 61)), &e, None)),
            [Code::Expired]
        );
        assert_eq!(
            codes(&validate(&with("nbf", json!(NOW + 61)), &e, None)),
            [Code::NotYetValid]
        );
        assert!(
            validate(&with("nbf", json!(NOW + 59)), &e, None)
                .errors
                .is_empty()
        );
        assert_eq!(
            codes(&validate(&without("exp"), &e, None)),
            [Code::ExpMissing]
        );
        assert_eq!(
            codes(&validate(&without("iat"), &e, None)),
            [Code::IatMissing]
        );
        assert_eq!(
            codes(&validate(&with("exp", json!("soon")), &e, None)),
            [Code::ClaimInvalid]
        );
        assert!(
            validate(&with("exp", json!(NOW as f64 + 0.5)), &e, None)
                .errors
                .is_empty()
        );
        let future = validate(&with("iat", json!(NOW + 3600)), &e, None);
        assert!(future.errors.is_empty());
        assert_eq!(future.warnings[0].code, Code::IatInFuture);
    }

    #[test]
    fn huge_numbers_do_not_overflow() {
        let e = expectations();
        let checks = validate(&with("exp", json!(i64::MAX)), &e, None);
        assert!(checks.errors.is_empty());
        let checks = validate(&with("exp", json!(1e300)), &e, None);
        assert!(checks.errors.is_empty(), "{checks:?}");
        let checks = validate(&with("nbf", json!(i64::MIN)), &e, None);
        assert!(checks.errors.is_empty());
    }

    #[test]
    fn subject_and_nonce() {
        let e = expectations();
        assert_eq!(
            codes(&validate(&without("sub"), &e, None)),
            [Code::SubMissing]
        );
        assert_eq!(
            codes(&validate(&with("sub", json!("")), &e, None)),
            [Code::SubMissing]
        );
        assert_eq!(
            codes(&validate(&with("nonce", json!("n2")), &e, None)),
            [Code::NonceMismatch]
        );
        assert_eq!(
            codes(&validate(&without("nonce"), &e, None)),
            [Code::NonceMismatch]
        );
        let no_nonce_expected = Expectations {
            nonce: None,
            ..expectations()
        };
        let checks = validate(&good(), &no_nonce_expected, None);
        assert!(checks.errors.is_empty());
        assert_eq!(checks.unchecked[0].check, "nonce");
        let e = Expectations {
            expect_sub: Some("t".into()),
            ..expectations()
        };
        assert_eq!(codes(&validate(&good(), &e, None)), [Code::SubMismatch]);
    }

    #[test]
    fn at_hash_per_oidc_core() {
        // The example of OpenID Connect Core A.3: access token and its at_hash.
        assert_eq!(
            at_hash("jHkWEdUXMU1BwAsC4vtUsZwnNvTIxEl0z9K3vx5KF0Y", "RS256").unwrap(),
            "77QmUPtjPfzWtF2AnpK9RQ"
        );
        let e = Expectations {
            access_token: Some("jHkWEdUXMU1BwAsC4vtUsZwnNvTIxEl0z9K3vx5KF0Y".into()),
            ..expectations()
        };
        assert!(
            validate(
                &with("at_hash", json!("77QmUPtjPfzWtF2AnpK9RQ")),
                &e,
                Some("RS256")
            )
            .errors
            .is_empty()
        );
        assert_eq!(
            codes(&validate(
                &with("at_hash", json!("AAAA")),
                &e,
                Some("RS256")
            )),
            [Code::AtHashMismatch]
        );
    }

    #[test]
    fn userinfo_rules() {
        let e = Expectations {
            kind: TokenKind::Userinfo,
            ..expectations()
        };
        let claims = json!({"sub": "s", "name": "x"})
            .as_object()
            .cloned()
            .unwrap();
        assert_eq!(validate(&claims, &e, None), ClaimChecks::default());
        let claims = json!({"name": "x", "iss": "https://evil"})
            .as_object()
            .cloned()
            .unwrap();
        assert_eq!(
            codes(&validate(&claims, &e, None)),
            [Code::IssuerMismatch, Code::SubMissing]
        );
    }

    #[test]
    fn reports_every_problem() {
        let claims = json!({"iss": "x", "aud": "y", "nonce": "z", "exp": NOW - 3600, "iat": NOW - 4000, "sub": "s"});
        let checks = validate(claims.as_object().unwrap(), &expectations(), None);
        assert_eq!(
            codes(&checks),
            [
                Code::IssuerMismatch,
                Code::AudienceMismatch,
                Code::Expired,
                Code::NonceMismatch
            ]
        );
    }

    fn header_type_of(header: Value, kind: TokenKind) -> Vec<String> {
        header_type(header.as_object().unwrap(), "JWS", kind)
            .into_iter()
            .map(|f| {
                assert_eq!(f.code, Code::TypNotAllowed);
                f.message
            })
            .collect()
    }

    #[test]
    fn tokens_typed_as_another_kind_are_refused_by_name() {
        for (typ, says) in [
            ("at+jwt", "an OAuth access token (RFC 9068 §4)"),
            ("application/AT+JWT", "an OAuth access token"),
            (
                "logout+jwt",
                "a logout token (OpenID Connect Back-Channel Logout 1.0 §2.4)",
            ),
            ("secevent+jwt", "a security event token (RFC 8417 §2.3)"),
            ("client-authentication+jwt", "a client assertion"),
            ("oauth-authz-req+jwt", "a request object"),
            ("dpop+jwt", "a DPoP proof"),
            ("example+jwt", "a `example+jwt` token"),
        ] {
            for kind in [TokenKind::IdToken, TokenKind::Userinfo] {
                let found = header_type_of(json!({"alg": "RS256", "typ": typ}), kind);
                assert_eq!(found.len(), 1, "{typ}: {found:?}");
                assert!(
                    found[0]
                        .starts_with(&format!("the JWS header says `typ: {typ}`: it is {says}")),
                    "{found:?}"
                );
                assert!(found[0].contains("RFC 8725 §3.11"), "{found:?}");
            }
        }
        let userinfo = header_type_of(json!({"typ": "at+jwt"}), TokenKind::Userinfo);
        assert!(
            userinfo[0].contains("not a userinfo response"),
            "{userinfo:?}"
        );
    }

    #[test]
    fn jwt_jose_and_no_typ_stay_fine_in_any_case_and_with_the_prefix() {
        for header in [
            json!({"alg": "RS256"}),
            json!({"typ": "JWT"}),
            json!({"typ": "jwt"}),
            json!({"typ": "application/jwt"}),
            json!({"typ": "Application/JWT"}),
            json!({"typ": "JOSE"}),
            // A nested JWT's JWE, as itsme® documents it (PROTOCOL §4).
            json!({"cty": "JWT", "typ": "JOSE", "alg": "RSA-OAEP-256"}),
            json!({"cty": "application/jwt"}),
            json!({"cty": "json"}),
        ] {
            assert_eq!(
                header_type_of(header.clone(), TokenKind::IdToken),
                Vec::<String>::new(),
                "{header}"
            );
        }
    }

    #[test]
    fn other_types_and_a_content_of_another_kind_are_refused() {
        let found = header_type_of(json!({"typ": "secevent"}), TokenKind::IdToken);
        assert_eq!(
            found,
            [
                "the JWS header says `typ: secevent`: an ID token carries `typ: JWT` or no `typ` at all (RFC 7519 §5.1, RFC 8725 §3.11)"
            ]
        );
        let found = header_type_of(json!({"typ": 1}), TokenKind::IdToken);
        assert_eq!(
            found,
            ["the JWS header's `typ` is a number, not a string (RFC 7515 §4.1.9)"]
        );
        // A JWE whose content says it is an access token, and a typed JWE.
        let jwe =
            json!({"alg": "RSA-OAEP-256", "enc": "A256GCM", "cty": "at+jwt", "typ": "logout+jwt"});
        let found = header_type(jwe.as_object().unwrap(), "JWE", TokenKind::IdToken);
        let messages: Vec<&str> = found.iter().map(|f| f.message.as_str()).collect();
        assert_eq!(messages.len(), 2, "{messages:?}");
        assert!(
            messages[0].starts_with("the JWE header says `typ: logout+jwt`: it is a logout token")
        );
        assert!(
            messages[1]
                .starts_with("the JWE header says `cty: at+jwt`: it is an OAuth access token")
        );
    }
}
