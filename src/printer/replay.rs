//! Human rendering of `decode-token --har`: the timeline of itsme® exchanges, the checks across
//! them, and the tokens as `decode-token` shows them.

use std::fmt::Write;

use colored::Colorize;
use serde_json::{Map, Value};

use super::escape;
use crate::replay::{ReplayReport, Status};

/// Renders the timeline, the checks, the tokens and a verdict.
pub fn render(report: &ReplayReport) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{} {} itsme® exchanges among {} HAR entries",
        "Timeline:".bold(),
        report.exchanges.len(),
        report.entries
    );
    for x in &report.exchanges {
        let time =
            crate::timefmt::time_of_day_millis(&x.started).unwrap_or_else(|| x.started.clone());
        let status = match x.status {
            0 if x.from_location => "(its request not recorded: from the provider's Location)"
                .dimmed()
                .to_string(),
            0 => "no answer".dimmed().to_string(),
            s if s >= 400 => s.to_string().red().to_string(),
            s => s.to_string(),
        };
        let _ = writeln!(
            out,
            "{:>3}  {:<12}  {:<13}  {} {}  → {status}",
            x.number,
            escape(&time),
            x.kind.label(),
            escape(&x.method),
            escape(&x.url)
        );
        if x.kind == crate::replay::Kind::Token {
            pairs(&mut out, "sent", &x.sent);
        }
        if !x.received.is_empty() {
            pairs(&mut out, "received", &x.received);
        }
    }
    let _ = writeln!(out, "\n{}", "Checks across exchanges:".bold());
    let width = report
        .checks
        .iter()
        .map(|c| c.code.as_str().len())
        .max()
        .unwrap_or(0);
    for check in &report.checks {
        let on = if check.exchanges.is_empty() {
            String::new()
        } else {
            let list: Vec<String> = check.exchanges.iter().map(|n| format!("#{n}")).collect();
            format!(" {}", format!("[{}]", list.join(", ")).dimmed())
        };
        super::validate::check_line(
            &mut out,
            check.status,
            check.code.as_str(),
            width,
            &format!("{}{on}", escape(&check.message)),
            check.hint.as_deref(),
        );
    }
    if let Some(origin) = &report.provider_keys {
        let _ = writeln!(out, "\nProvider keys: {}", escape(origin));
    }
    let now = report.as_of.unwrap_or_else(crate::timefmt::now);
    for (title, token) in [
        ("ID token", &report.id_token),
        ("Userinfo", &report.userinfo),
    ] {
        if let Some(token) = token {
            let _ = writeln!(out, "\n{}", format!("{title}:").bold());
            out.push_str(&super::token::render(token, now));
        }
    }
    let statuses: Vec<Status> = report.checks.iter().map(|c| c.status).collect();
    let summary = super::validate::summary(&statuses);
    let verdict = if report.valid {
        "✓ FLOW OK".green().bold()
    } else {
        "✗ FLOW NOT OK".red().bold()
    };
    let _ = writeln!(out, "\n{verdict}  {summary}");
    out
}

fn pairs(out: &mut String, label: &str, members: &Map<String, Value>) {
    let shown: Vec<String> = members
        .iter()
        .map(|(name, value)| {
            let text = match value {
                Value::String(s) => s.clone(),
                other => other.to_string(),
            };
            format!("{}={}", escape(name), escape(&text))
        })
        .collect();
    let _ = writeln!(
        out,
        "{:>33}{} {}",
        "",
        format!("{label}:").dimmed(),
        shown.join("  ")
    );
}
