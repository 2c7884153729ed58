//! Human rendering of a login: who logged in, the ID token and userinfo explained, or why the
//! provider refused.

use std::fmt::Write;

use colored::Colorize;
use serde_json::Value;

use super::escape;
use crate::flow::{LoginReport, Refusal};

/// Renders the report; `now` is the validation time.
pub fn render(report: &LoginReport, now: i64) -> String {
    let mut out = String::new();
    if let Some(refused) = &report.refused {
        render_refusal(&mut out, refused);
    }
    if let Some(id_token) = &report.id_token {
        let claims = id_token.claims.as_ref();
        let name = claims.and_then(|c| c.get("name")).and_then(Value::as_str);
        let sub = claims
            .and_then(|c| c.get("sub"))
            .and_then(Value::as_str)
            .unwrap_or("?");
        let who = match name {
            Some(name) => format!("{} (sub {})", escape(name), escape(sub)),
            None => format!("sub {}", escape(sub)),
        };
        let _ = writeln!(
            out,
            "{} {who} at {}, client {}\n",
            "Logged in:".bold(),
            escape(&report.issuer),
            escape(&report.client_id)
        );
        let _ = writeln!(out, "{}", "── ID token ──".bold());
        out.push_str(&super::token::render(id_token, now));
    }
    if let Some(userinfo) = &report.userinfo {
        let _ = writeln!(out, "\n{}", "── Userinfo ──".bold());
        out.push_str(&super::token::render(userinfo, now));
    }
    if let Some(tokens) = &report.tokens {
        let _ = writeln!(out, "\n{}", "── Raw tokens (secrets) ──".bold());
        let _ = writeln!(out, "access_token  {}", tokens.access_token);
        if let Some(id_token) = &tokens.id_token {
            let _ = writeln!(out, "id_token      {id_token}");
        }
        if let Some(userinfo) = &tokens.userinfo {
            let _ = writeln!(out, "userinfo      {}", escape(userinfo.trim()));
        }
    }
    let verdict = verdict(report);
    let _ = writeln!(out, "\n{verdict}");
    out
}

/// Why the login was refused, and by whom.
fn render_refusal(out: &mut String, refused: &Refusal) {
    let _ = writeln!(
        out,
        "{} {} ({} stage)",
        "✗ REFUSED".red().bold(),
        escape(&refused.error).red(),
        refused.stage
    );
    if let Some(description) = &refused.description {
        let _ = writeln!(out, "  {}: {}", "provider said".bold(), escape(description));
    }
    if let Some(meaning) = refused.meaning {
        let _ = writeln!(out, "  {}: {meaning}", "meaning".bold());
    }
    if let Some(hint) = &refused.hint {
        // A hint may quote what the provider sent (a `token_type`).
        let _ = writeln!(out, "  {}: {}", "hint".cyan().bold(), escape(hint));
    }
    out.push('\n');
}

/// The last line: the verdict, and who said no.
fn verdict(report: &LoginReport) -> String {
    if report.valid {
        "✓ LOGIN OK: the ID token and userinfo are valid"
            .green()
            .bold()
            .to_string()
    } else if report
        .refused
        .as_ref()
        .is_some_and(|r| r.stage == "callback")
    {
        "✗ LOGIN FAILED: the redirect was refused here (see above)"
            .red()
            .bold()
            .to_string()
    } else if report.refused.is_some() {
        "✗ LOGIN FAILED: the provider refused (see above)"
            .red()
            .bold()
            .to_string()
    } else {
        "✗ LOGIN FAILED: a token is not valid (see its problems above)"
            .red()
            .bold()
            .to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn refused_at(stage: &'static str) -> String {
        colored::control::set_override(false);
        let report = LoginReport {
            valid: false,
            issuer: "https://idp.example/v2".into(),
            client_id: "client".into(),
            request: serde_json::Map::new(),
            refused: Some(Refusal {
                stage,
                error: "some_error".into(),
                description: None,
                meaning: None,
                hint: None,
            }),
            id_token: None,
            userinfo: None,
            tokens: None,
            timing: None,
        };
        render(&report, 0)
    }

    #[test]
    fn the_verdict_says_who_refused() {
        assert!(refused_at("token").contains("✗ LOGIN FAILED: the provider refused"));
        let callback = refused_at("callback");
        assert!(callback.contains("✗ LOGIN FAILED: the redirect was refused here"));
        assert!(!callback.contains("the provider refused"), "{callback}");
    }
}
