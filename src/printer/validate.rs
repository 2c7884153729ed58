//! Human rendering of `validate`'s checklist.

use std::fmt::Write;

use colored::Colorize;

use super::escape;
use crate::audit::{Status, ValidateReport};

/// Renders the checklist and a verdict.
pub fn render(report: &ValidateReport) -> String {
    let mut out = String::new();
    let width = report
        .checks
        .iter()
        .map(|c| c.id.as_str().len())
        .max()
        .unwrap_or(0);
    for check in &report.checks {
        let mark = match check.status {
            Status::Pass => "✓ pass".green().to_string(),
            Status::Warn => "! warn".yellow().to_string(),
            Status::Fail => "✗ FAIL".red().bold().to_string(),
            Status::Skip => "- skip".dimmed().to_string(),
            Status::Error => "? ERROR".red().bold().to_string(),
        };
        let _ = writeln!(
            out,
            "{mark}  {:<width$}  {}",
            check.id.as_str(),
            escape(&check.message)
        );
        if let Some(hint) = &check.hint {
            let _ = writeln!(
                out,
                "        {:<width$}  {} {}",
                "",
                "hint:".cyan(),
                escape(hint)
            );
        }
    }
    let count = |s: Status| report.checks.iter().filter(|c| c.status == s).count();
    let mut summary = format!(
        "{} passed, {} warnings, {} failed, {} skipped",
        count(Status::Pass),
        count(Status::Warn),
        count(Status::Fail),
        count(Status::Skip)
    );
    let not_reached = count(Status::Error);
    if not_reached > 0 {
        let _ = write!(summary, ", {not_reached} not reached");
    }
    let verdict = if report.valid {
        "✓ SETUP OK".green().bold()
    } else if not_reached > 0 {
        "? SETUP NOT CHECKED".red().bold()
    } else {
        "✗ SETUP NOT OK".red().bold()
    };
    let _ = writeln!(out, "\n{verdict}  {summary}");
    out
}
