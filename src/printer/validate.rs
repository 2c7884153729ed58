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
        check_line(
            &mut out,
            check.status,
            check.id.as_str(),
            width,
            &escape(&check.message),
            check.hint.as_deref(),
        );
    }
    let statuses: Vec<Status> = report.checks.iter().map(|c| c.status).collect();
    let not_reached = statuses.iter().filter(|s| **s == Status::Error).count();
    let verdict = if report.valid {
        "✓ SETUP OK".green().bold()
    } else if not_reached > 0 {
        "? SETUP NOT CHECKED".red().bold()
    } else {
        "✗ SETUP NOT OK".red().bold()
    };
    let _ = writeln!(out, "\n{verdict}  {}", summary(&statuses));
    out
}

/// One line of a checklist (`validate`, `decode-token --har`): the mark, the code padded to
/// `width`, the message (already escaped, with anything appended), and a hint line under it.
pub(super) fn check_line(
    out: &mut String,
    status: Status,
    code: &str,
    width: usize,
    message: &str,
    hint: Option<&str>,
) {
    let mark = match status {
        Status::Pass => "✓ pass".green().to_string(),
        Status::Warn => "! warn".yellow().to_string(),
        Status::Fail => "✗ FAIL".red().bold().to_string(),
        Status::Skip => "- skip".dimmed().to_string(),
        Status::Error => "? ERROR".red().bold().to_string(),
    };
    let _ = writeln!(out, "{mark}  {code:<width$}  {message}");
    if let Some(hint) = hint {
        let _ = writeln!(
            out,
            "        {:<width$}  {} {}",
            "",
            "hint:".cyan(),
            escape(hint)
        );
    }
}

/// `N passed, N warnings, N failed, N skipped`, and `, N not reached` when checks had no answer.
pub(super) fn summary(statuses: &[Status]) -> String {
    let count = |s: Status| statuses.iter().filter(|c| **c == s).count();
    let warnings = count(Status::Warn);
    let mut summary = format!(
        "{} passed, {warnings} {}, {} failed, {} skipped",
        count(Status::Pass),
        if warnings == 1 { "warning" } else { "warnings" },
        count(Status::Fail),
        count(Status::Skip)
    );
    let not_reached = count(Status::Error);
    if not_reached > 0 {
        let _ = write!(summary, ", {not_reached} not reached");
    }
    summary
}
