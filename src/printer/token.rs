//! Human rendering of a token report: which keys decrypted and verified it, the claims grouped and
//! explained, the problems, and one verdict line.

use std::collections::BTreeMap;
use std::fmt::Write;

use colored::Colorize;
use serde_json::{Map, Value};

use super::escape;
use crate::itsme::acr::Acr;
use crate::itsme::claim_checks::CheckDigits;
use crate::itsme::formats::{self, AddressForm};
use crate::itsme::{self, CLAIM_PREFIX, catalogue};
use crate::oidc::request_object::{self, Form};
use crate::oidc::validate::TokenKind;
use crate::settings::Shown;
use crate::timefmt;
use crate::token::inspect::TokenReport;

/// Claims shown first, in this order: the token's own.
const REGISTERED: [&str; 16] = [
    "iss",
    "sub",
    "aud",
    "azp",
    "exp",
    "iat",
    "nbf",
    "auth_time",
    "nonce",
    "at_hash",
    "c_hash",
    "acr",
    "amr",
    "sid",
    "jti",
    "typ",
];
const TIME_CLAIMS: [&str; 4] = ["exp", "iat", "nbf", "auth_time"];

/// The claim groups of the human view, in display order.
const GROUPS: [(&str, &[&str]); 4] = [
    (
        "Identity",
        &[
            "name",
            "given_name",
            "family_name",
            "birthdate",
            "birthdate_as_string",
            "gender",
            "official_gender",
            "age_gte_16",
            "age_gte_18",
            "age_gte_21",
            "age_gte_30",
            "claim_citizenship",
            "claim_citizenship_as_iso",
            "place_of_birth",
            "picture",
            "physical_person_photo",
            "BENationalNumber",
            "NationalNumber",
            "RONationalNumber",
            "BGNationalNumber",
            "CZNationalNumber",
            "SKNationalNumber",
            "HRNationalNumber",
            "LTNationalNumber",
            "SINationalNumber",
            "LVNationalNumber",
            "MTNationalNumber",
            "RSNationalNumber",
            "MDNationalNumber",
        ],
    ),
    ("Document", &["IDDocumentType", "IDDocumentSN", "BEeidSn"]),
    (
        "Contact",
        &[
            "email",
            "email_verified",
            "phone_number",
            "phone_number_verified",
            "address",
            "address_assurance_level",
            "locale",
        ],
    ),
    (
        "Device and app",
        &[
            "claim_device",
            "app",
            "account",
            "identification_mode",
            "transaction_ip",
            "ongoing_call",
        ],
    ),
];

fn bare(name: &str) -> &str {
    name.strip_prefix(CLAIM_PREFIX).unwrap_or(name)
}

fn group_of(name: &str) -> Option<usize> {
    if REGISTERED.contains(&name) {
        return Some(0);
    }
    // An alias (`SVNationalNumber`) sits with the claim it stands for.
    let canonical = catalogue::canonical_claim_name(bare(name));
    GROUPS
        .iter()
        .position(|(_, members)| members.contains(&&*canonical))
        .map(|i| i + 1)
}

/// Renders the report. `now` is the validation instant, for relative times.
pub fn render(report: &TokenReport, now: i64) -> String {
    render_checked(report, &[], now)
}

/// Renders the report with the values the token was checked against and where each came from
/// (`decode-token`; the unset ones are in the report's "Not checked" line).
pub fn render_checked(report: &TokenReport, expected: &[Shown], now: i64) -> String {
    let mut out = String::new();
    render_header(report, &mut out);
    let given: Vec<&Shown> = expected.iter().filter(|e| e.value.is_some()).collect();
    if !given.is_empty() {
        let _ = writeln!(out, "\n{}", "Checked against".bold());
        for e in given {
            let _ = writeln!(
                out,
                "  {:<13} {:<40} {}",
                e.name,
                escape(e.value.as_deref().unwrap_or_default()),
                escape(&e.source).as_ref().dimmed()
            );
        }
    }
    if let Some(claims) = &report.claims {
        render_claims(report, claims, now, &mut out);
    }
    render_findings(report, &mut out);
    let _ = writeln!(out, "{}", verdict(report));
    out
}

fn render_header(report: &TokenReport, out: &mut String) {
    let kind = match report.kind {
        TokenKind::IdToken => "ID token",
        TokenKind::Userinfo => "userinfo",
        TokenKind::RequestObject => "request object",
    };
    let shape = match (&report.jwe, &report.jws) {
        (Some(_), Some(_)) => "encrypted and signed (nested JWT)",
        (Some(_), None) if report.claims.is_some() => "encrypted, not signed",
        (Some(_), None) => "encrypted",
        (None, Some(_)) => "signed (JWS)",
        (None, None) => "not a token",
    };
    let _ = writeln!(out, "{}  {kind}, {shape}", label("Token"));
    if let Some(jwe) = &report.jwe {
        let alg = header_value(jwe, "alg");
        let enc = header_value(jwe, "enc");
        let how = match &report.decryption {
            Some(d) => format!("decrypted with {}", escape(&d.key)),
            None => "not decrypted".red().to_string(),
        };
        let _ = writeln!(out, "{}  {alg} / {enc}, {how}", label("JWE"));
    }
    if let Some(jws) = &report.jws {
        let alg = header_value(jws, "alg");
        let how = match &report.signature {
            Some(s) => format!("signature verified with {}", escape(&s.key)),
            None if report.unchecked.iter().any(|u| u.check == "signature") => {
                "signature NOT checked (--no-verify)".yellow().to_string()
            }
            None => "signature NOT verified".red().to_string(),
        };
        let kid = jws
            .get("kid")
            .and_then(Value::as_str)
            .map(|k| format!(" (kid `{}`)", escape(k)))
            .unwrap_or_default();
        let _ = writeln!(out, "{}  {alg}{kid}, {how}", label("JWS"));
    }
    if report.kind == TokenKind::RequestObject {
        let alg = report
            .jws
            .as_ref()
            .and_then(|h| h.get("alg"))
            .and_then(Value::as_str);
        let form = match request_object::form_of(report.jwe.is_some(), alg) {
            Some(Form::LegacySecret) => format!(
                "the legacy client-secret form: {}, `aud` the legacy authorize endpoint",
                Form::LegacySecret.describe()
            ),
            Some(Form::Encrypted) => format!("the v2 form: {}", Form::Encrypted.describe()),
            None => "signed only: the inner part of a private_key_jwt request object".into(),
        };
        let _ = writeln!(
            out,
            "{}  {form} (docs/itsme-facts.md#authorization-request)",
            label("Form")
        );
    }
}

fn label(text: &str) -> String {
    format!("{text:<5}").bold().to_string()
}

fn header_value(header: &Map<String, Value>, name: &str) -> String {
    match header.get(name) {
        Some(Value::String(s)) => escape(s).into_owned(),
        Some(other) => escape(&other.to_string()).into_owned(),
        None => "?".into(),
    }
}

/// Metadata claims (`validityTo`, …) regrouped by the claim they qualify: qualified → [(meta, value)].
fn metadata_by_claim(claims: &Map<String, Value>) -> BTreeMap<String, Vec<(String, String)>> {
    let mut by_claim: BTreeMap<String, Vec<(String, String)>> = BTreeMap::new();
    for (name, value) in claims {
        if !catalogue::is_metadata(name) {
            continue;
        }
        if let Some(object) = value.as_object() {
            for (qualified, meta) in object {
                let shown = meta
                    .as_str()
                    .map_or_else(|| meta.to_string(), str::to_string);
                by_claim
                    .entry(qualified.clone())
                    .or_default()
                    .push((bare(name).to_string(), shown));
            }
        }
    }
    by_claim
}

fn render_claims(report: &TokenReport, claims: &Map<String, Value>, now: i64, out: &mut String) {
    let unverified = if report.verified {
        String::new()
    } else {
        format!("{} ", "UNVERIFIED".yellow().bold())
    };
    let metadata = metadata_by_claim(claims);
    let attached = |name: &str| {
        catalogue::is_metadata(name)
            && claims.get(name).is_some_and(|v| {
                v.as_object()
                    .is_some_and(|o| !o.is_empty() && o.keys().all(|q| claims.contains_key(q)))
            })
    };
    let width = claims
        .keys()
        .map(|k| itsme::short_claim_name(k).chars().count())
        .max()
        .unwrap_or(0)
        .min(34);
    let mut sections: Vec<(String, Vec<&String>)> = vec![("Token claims".into(), Vec::new())];
    sections.extend(
        GROUPS
            .iter()
            .map(|(title, _)| (title.to_string(), Vec::new())),
    );
    sections.push(("Other claims".into(), Vec::new()));
    let other = sections.len() - 1;
    for name in REGISTERED
        .iter()
        .filter_map(|r| claims.keys().find(|k| k.as_str() == *r))
    {
        sections[0].1.push(name);
    }
    for name in claims
        .keys()
        .filter(|k| !REGISTERED.contains(&k.as_str()) && !attached(k))
    {
        let index = group_of(name).unwrap_or(other);
        sections[index].1.push(name);
    }
    for (title, names) in sections.iter().filter(|(_, names)| !names.is_empty()) {
        let _ = writeln!(out, "\n{}", title.bold());
        for name in names {
            let value = &claims[name.as_str()];
            let shown = escape(&itsme::short_claim_name(name)).into_owned();
            let pad = width.saturating_sub(shown.chars().count());
            let rendered = render_value(name, value, report, now);
            let meaning = match (report.kind, name.as_str()) {
                // A request object is made by the client, for the provider (PROTOCOL §4).
                (TokenKind::RequestObject, "iss") => Some("issuer: the client_id that made it"),
                (TokenKind::RequestObject, "aud") => Some("audience: the provider it is for"),
                _ => catalogue::meaning(name),
            }
            .map(|m| format!("  {}", format!("· {m}").dimmed()))
            .unwrap_or_default();
            let mut lines = rendered.lines();
            let first = lines.next().unwrap_or("");
            let _ = writeln!(
                out,
                "  {unverified}{shown}{}  {first}{meaning}",
                " ".repeat(pad)
            );
            let indent = " ".repeat(width + 4 + unverified_width(report));
            for line in lines {
                let _ = writeln!(out, "{indent}{line}");
            }
            for (meta, meta_value) in metadata.get(name.as_str()).into_iter().flatten() {
                let _ = writeln!(
                    out,
                    "{indent}{} {meta}: {}{}",
                    "↳".dimmed(),
                    escape(meta_value),
                    metadata_note(meta, meta_value, now)
                );
            }
        }
    }
}

/// A date-valued metadata claim in words, with or without milliseconds (PROTOCOL §6):
/// ` (2028-11-10 00:00:00 UTC, in 2 years)`; nothing for other values.
fn metadata_note(meta: &str, value: &str, now: i64) -> String {
    if !matches!(meta, "validityFrom" | "validityTo" | "verificationDate") {
        return String::new();
    }
    match formats::documented_date(value) {
        Some(t) if meta == "validityTo" && t < now => format!(
            " ({}, expired {})",
            timefmt::utc(t),
            timefmt::relative(t, now)
        ),
        Some(t) => format!(" ({}, {})", timefmt::utc(t), timefmt::relative(t, now)),
        None => String::new(),
    }
}

fn unverified_width(report: &TokenReport) -> usize {
    if report.verified {
        0
    } else {
        "UNVERIFIED ".len()
    }
}

fn render_value(name: &str, value: &Value, report: &TokenReport, now: i64) -> String {
    if TIME_CLAIMS.contains(&name)
        && let Some(t) = value.as_i64().or_else(|| value.as_f64().map(|f| f as i64))
    {
        let relative = match name {
            "exp" if t < now => format!("expired {}", timefmt::relative(t, now)),
            "exp" => format!("expires {}", timefmt::relative(t, now)),
            _ => timefmt::relative(t, now),
        };
        return format!("{} ({relative})", timefmt::utc(t));
    }
    let short = bare(name);
    if short == "physical_person_photo"
        && let Some(photo) = &report.photo
    {
        let kind = photo.detected.to_uppercase();
        return format!(
            "{kind} {}×{}, {}",
            photo.width,
            photo.height,
            kib(photo.bytes)
        );
    }
    if short == "address"
        && let Some((members, AddressForm::JsonString)) = formats::address(value)
    {
        let mut text = object_lines(&members);
        text.push_str("\n(delivered as a JSON string, the v1 form older integrations still parse; read as the object)");
        return text;
    }
    if short == "claim_device"
        && let Some(device) = formats::device(value)
        && let Value::Object(object) = value
    {
        let summary = device.summary();
        let lines = object_lines(object);
        return if summary.is_empty() {
            lines
        } else {
            format!("{}\n{lines}", escape(&summary))
        };
    }
    if let Value::String(s) = value {
        let note = match report.check_digits.get(name) {
            Some(result) => Some(check_digits_note(result)),
            None if short == "IDDocumentType" => formats::document_type(s).map(str::to_string),
            None if short == "acr" => Acr::from_uri(s).map(|acr| {
                if Acr::is_older_spelling(s) {
                    format!(
                        "{}; the older spelling with `V2`, same level",
                        acr.meaning()
                    )
                } else {
                    acr.meaning().to_string()
                }
            }),
            None => None,
        };
        let text = escape(s).into_owned();
        return match note {
            Some(note) => format!("{text} ({note})"),
            None => text,
        };
    }
    match value {
        Value::Object(object) if !object.is_empty() => object_lines(object),
        other => escape(&other.to_string()).into_owned(),
    }
}

/// An object claim's members, one `name: value` line each.
fn object_lines(object: &Map<String, Value>) -> String {
    object
        .iter()
        .map(|(k, v)| {
            let v = v.as_str().map_or_else(|| v.to_string(), str::to_string);
            format!("{}: {}", escape(&itsme::short_claim_name(k)), escape(&v))
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// What the claim checks found about a claim's check digits, in words.
fn check_digits_note(result: &CheckDigits) -> String {
    match result {
        CheckDigits::NationalNumberOk { sex } => {
            format!("check digits ok, sequence says {}", sex.unwrap_or("?"))
        }
        CheckDigits::CardNumberOk => "check digits ok".to_string(),
        CheckDigits::ResidentCardNoRule => {
            "Belgian document of an EU/EEA/Swiss resident: a letter and nine digits; itsme® documents no check-digit rule for it, so its digits are not checked".to_string()
        }
        CheckDigits::Wrong(problem) => format!("check digits WRONG: {problem}"),
    }
}

fn kib(bytes: usize) -> String {
    if bytes < 1024 {
        format!("{bytes} B")
    } else {
        format!("{:.1} KiB", bytes as f64 / 1024.0)
    }
}

fn render_findings(report: &TokenReport, out: &mut String) {
    if !report.errors.is_empty() {
        let _ = writeln!(out, "\n{}", "Problems".bold());
        for f in &report.errors {
            let _ = writeln!(
                out,
                "  {} {}: {}",
                "✗".red().bold(),
                f.code.as_str().red(),
                escape(&f.message)
            );
        }
    }
    if !report.warnings.is_empty() {
        let _ = writeln!(out, "\n{}", "Warnings".bold());
        for f in &report.warnings {
            let _ = writeln!(
                out,
                "  {} {}: {}",
                "!".yellow().bold(),
                f.code.as_str().yellow(),
                escape(&f.message)
            );
        }
    }
    if !report.unchecked.is_empty() {
        let list: Vec<String> = report
            .unchecked
            .iter()
            .map(|u| format!("{} ({})", u.check, u.hint))
            .collect();
        let _ = writeln!(
            out,
            "\n{} {}",
            "Not checked:".dimmed(),
            list.join(", ").dimmed()
        );
    }
    for step in report.next_steps() {
        let _ = writeln!(out, "\n{} {step}", "Next step:".cyan().bold());
    }
    out.push('\n');
}

/// The one-line verdict.
pub fn verdict(report: &TokenReport) -> String {
    let problems = |r: &TokenReport| {
        let codes: Vec<&str> = r.errors.iter().map(|f| f.code.as_str()).collect();
        format!(
            "{} problem{}: {}",
            codes.len(),
            if codes.len() == 1 { "" } else { "s" },
            codes.join(", ")
        )
    };
    if report.valid {
        let how = if report.verified {
            "signature verified, claims checked"
        } else {
            "decrypted, claims checked (not signed)"
        };
        format!("{} {}", "✓ VALID".green().bold(), how)
    } else if !report.errors.is_empty() {
        format!("{} {}", "✗ INVALID".red().bold(), problems(report))
    } else {
        format!(
            "{} decoded without verifying the signature; the claims passed their checks",
            "! UNVERIFIED".yellow().bold()
        )
    }
}

/// One line for `--batch`: line number, verdict, and the subject or the problems.
pub fn batch_line(line: usize, report: &TokenReport) -> String {
    let sub = report
        .claims
        .as_ref()
        .and_then(|c| c.get("sub"))
        .and_then(Value::as_str)
        .map(|s| format!(" sub={}", escape(s)))
        .unwrap_or_default();
    let codes: Vec<&str> = report.errors.iter().map(|f| f.code.as_str()).collect();
    let status = if report.valid {
        "valid".green().to_string()
    } else if codes.is_empty() {
        "unverified".yellow().to_string()
    } else {
        "invalid".red().to_string()
    };
    let detail = if codes.is_empty() {
        String::new()
    } else {
        format!(" {}", codes.join(","))
    };
    format!("line {line}: {status}{detail}{sub}\n")
}
