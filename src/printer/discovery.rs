//! Human rendering of `discovery`.

use std::fmt::Write;

use colored::Colorize;
use serde_json::Value;

use super::escape;
use crate::oidc::discovery::{DiscoveryReport, Severity};

fn list(report: &DiscoveryReport, member: &str) -> String {
    match report.metadata.get(member) {
        Some(Value::Array(items)) if !items.is_empty() => items
            .iter()
            .map(|i| {
                escape(&i.as_str().map_or_else(
                    || i.to_string(),
                    |s| crate::itsme::short_claim_name(s).into_owned(),
                ))
                .into_owned()
            })
            .collect::<Vec<_>>()
            .join(", "),
        Some(Value::Bool(b)) => b.to_string(),
        _ => "-".dimmed().to_string(),
    }
}

/// Renders the report; the verdict line only with `--check`.
pub fn render(report: &DiscoveryReport, checked: bool) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{} {}  ({})",
        "Provider".bold(),
        escape(&report.issuer),
        escape(&report.discovery_url)
    );
    let _ = writeln!(out, "\n{}", "Endpoints".bold());
    for (label, member) in [
        ("authorization", "authorization_endpoint"),
        ("token", "token_endpoint"),
        ("userinfo", "userinfo_endpoint"),
        ("keys", "jwks_uri"),
    ] {
        let value = report
            .metadata
            .get(member)
            .and_then(Value::as_str)
            .map_or_else(|| "-".dimmed().to_string(), |v| escape(v).into_owned());
        let _ = writeln!(out, "  {label:<14} {value}");
    }
    let _ = writeln!(out, "\n{}", "Supports".bold());
    let rows = [
        ("scopes", list(report, "scopes_supported")),
        ("response types", list(report, "response_types_supported")),
        ("acr values", list(report, "acr_values_supported")),
        ("PKCE", list(report, "code_challenge_methods_supported")),
        (
            "client auth",
            list(report, "token_endpoint_auth_methods_supported"),
        ),
        (
            "ID token",
            format!(
                "signed {}; encrypted {} / {}",
                list(report, "id_token_signing_alg_values_supported"),
                list(report, "id_token_encryption_alg_values_supported"),
                list(report, "id_token_encryption_enc_values_supported")
            ),
        ),
        (
            "userinfo",
            format!(
                "signed {}; encrypted {} / {}",
                list(report, "userinfo_signing_alg_values_supported"),
                list(report, "userinfo_encryption_alg_values_supported"),
                list(report, "userinfo_encryption_enc_values_supported")
            ),
        ),
        (
            "request object",
            format!(
                "signed {}; encrypted {} / {}",
                list(report, "request_object_signing_alg_values_supported"),
                list(report, "request_object_encryption_alg_values_supported"),
                list(report, "request_object_encryption_enc_values_supported")
            ),
        ),
        ("claims", list(report, "claims_supported")),
    ];
    for (label, value) in rows {
        let _ = writeln!(out, "  {label:<14} {value}");
    }
    let _ = writeln!(out, "\n{} ({})", "Keys".bold(), report.keys.len());
    for key in &report.keys {
        let opt = |v: &Option<String>| {
            v.as_deref()
                .map_or_else(|| "-".to_string(), |s| escape(s).into_owned())
        };
        let bits = key.bits.map_or_else(|| "?".into(), |b| b.to_string());
        let _ = writeln!(
            out,
            "  kid {}  use {}  alg {}  {} {bits} bits",
            opt(&key.kid).bold(),
            opt(&key.key_use),
            opt(&key.alg),
            escape(&key.kty)
        );
    }
    if checked {
        out.push('\n');
        for f in &report.findings {
            let mark = match f.severity {
                Severity::Error => "✗".red().bold(),
                Severity::Warning => "!".yellow().bold(),
            };
            let _ = writeln!(out, "  {mark} {}: {}", f.code, escape(&f.message));
        }
        let errors = report
            .findings
            .iter()
            .filter(|f| f.severity == Severity::Error)
            .count();
        let verdict = if report.valid {
            format!(
                "{} an itsme® client can work with this provider",
                "✓ OK".green().bold()
            )
        } else {
            format!(
                "{} {errors} error finding{}",
                "✗ NOT OK".red().bold(),
                if errors == 1 { "" } else { "s" }
            )
        };
        let _ = writeln!(
            out,
            "{}{verdict}",
            if report.findings.is_empty() { "" } else { "\n" }
        );
    }
    out
}
