//! Human rendering of the `keys` reports.

use std::fmt::Write;

use colored::Colorize;

use super::escape;
use crate::key_rules::summary::{GenerateReport, KeySummary, ShowReport};

fn key_line(key: &KeySummary) -> String {
    let opt = |v: &Option<String>| {
        v.as_deref()
            .map_or_else(|| "-".to_string(), |s| escape(s).into_owned())
    };
    let bits = key.bits.map_or_else(|| "-".into(), |b| b.to_string());
    let private = if key.private_members.is_empty() {
        "public".to_string()
    } else {
        "PRIVATE".yellow().to_string()
    };
    format!(
        "  kid {}\n    use {}  alg {}  {} {bits} bits  {private}\n    thumbprint {}\n",
        opt(&key.kid).bold(),
        opt(&key.key_use),
        opt(&key.alg),
        escape(&key.kty),
        opt(&key.thumbprint)
    )
}

/// `keys generate`.
pub fn render_generated(report: &GenerateReport) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{} {} (mode 0600: keep it secret)",
        "Private keys:".bold(),
        report.private_jwks.display()
    );
    let _ = writeln!(
        out,
        "{} {}",
        "Public keys: ".bold(),
        report.public_jwks.display()
    );
    for key in &report.keys {
        out.push_str(&key_line(key));
    }
    let _ = writeln!(
        out,
        "\nNext:\n  1. Host {} at an https URL with an OV or EV certificate (itsme® refuses DV ones such as Let's Encrypt).\n  2. Send that URL to itsme® as your jwks_uri.\n  3. Use {} with --keys when you log in or decode tokens.",
        report.public_jwks.display(),
        report.private_jwks.display()
    );
    out
}

/// `keys show`.
pub fn render_show(report: &ShowReport) -> String {
    let mut out = String::new();
    let kind = if report.public {
        "published key set"
    } else {
        "key file"
    };
    let _ = writeln!(
        out,
        "{} {} ({kind}, {} key{})",
        "Keys of".bold(),
        escape(&report.source),
        report.keys.len(),
        if report.keys.len() == 1 { "" } else { "s" }
    );
    for key in &report.keys {
        out.push_str(&key_line(key));
    }
    if !report.findings.is_empty() {
        out.push('\n');
    }
    for f in &report.findings {
        let mark = if f.severity == "error" {
            "✗".red().bold()
        } else {
            "!".yellow().bold()
        };
        let _ = writeln!(out, "  {mark} {}: {}", f.code, escape(&f.message));
    }
    let verdict = if report.valid {
        "✓ OK".green().bold()
    } else {
        "✗ NOT OK".red().bold()
    };
    let _ = writeln!(out, "\n{verdict}");
    out
}
