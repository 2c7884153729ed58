//! Human rendering of a CIBA run: how it went (mode, discovery, requests), the notes, then what
//! `login` shows (the refusal, or the ID token and userinfo explained, and the verdict).

use std::fmt::Write;

use colored::Colorize;

use super::escape;
use crate::flow::ciba::report::CibaReport;

/// Renders the report; `now` is the validation time.
pub fn render(report: &CibaReport, now: i64) -> String {
    let mut out = String::new();
    let r = &report.requests;
    let _ = writeln!(
        out,
        "{} {} mode; {} discovery, {} backchannel and {} token request(s){} in {:.1} s",
        "CIBA:".bold(),
        report.mode,
        r.discovery,
        r.backchannel,
        r.token,
        if report.mode == "ping" {
            format!(", {} ping(s)", r.pings)
        } else {
            String::new()
        },
        r.waited_s
    );
    if let Some(discovery) = &report.discovery {
        let _ = writeln!(
            out,
            "  QR discovery: {} code(s) shown, user {}",
            discovery.qr_codes,
            if discovery.discovered {
                "discovered"
            } else {
                "not discovered"
            }
        );
    }
    for note in &report.notes {
        let _ = writeln!(out, "  {}: {}", "note".cyan().bold(), escape(note));
    }
    out.push('\n');
    out.push_str(&super::login::render(&report.login, now));
    out
}
