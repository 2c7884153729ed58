//! Human rendering of the claim catalogue.

use std::fmt::Write;

use colored::Colorize;

use crate::itsme::catalogue::{Availability, ClaimEntry, SUB_MEANING};

/// A table: name, scope, availability (with a country), meaning. With no claim left, it says
/// which filters left none and how to widen them.
pub fn render(
    entries: &[ClaimEntry],
    country: Option<&str>,
    search: Option<&str>,
    scope: Option<&str>,
) -> String {
    let mut out = String::new();
    if entries.is_empty() {
        let mut filters = Vec::new();
        let mut widen = Vec::new();
        if let Some(text) = search {
            filters.push(format!(
                "whose name or meaning contains `{}`",
                crate::escape::escape(text)
            ));
            widen.push(
                "a shorter or another word (e.g. `birth`, `national`, `document`, `address`)",
            );
        }
        let scopes;
        if let Some(scope) = scope {
            filters.push(format!("in the scope `{}`", crate::escape::escape(scope)));
            let known: Vec<&str> = crate::itsme::catalogue::scope_claims()
                .iter()
                .map(|(scope, _)| *scope)
                .collect();
            scopes = format!("another scope ({}) or none", known.join(", "));
            widen.push(scopes.as_str());
        }
        let _ = writeln!(
            out,
            "No claim {}. Try {}; `itsme-cli claims` lists them all.",
            filters.join(" and "),
            widen.join(", or ")
        );
        return out;
    }
    let width = entries
        .iter()
        .map(|e| e.name.chars().count())
        .max()
        .unwrap_or(0)
        .max("claim".len());
    if !entries.is_empty() {
        let available = country.map_or(String::new(), |cc| format!("{:<12}", format!("in {cc}")));
        let header = format!(
            "{:<width$}  {:<16} {available}{}",
            "claim", "how to ask", "meaning"
        );
        let _ = writeln!(out, "{}", header.dimmed());
    }
    for e in entries {
        let scope = e
            .scope
            .as_deref()
            .map_or_else(|| "claims".to_string(), |s| format!("scope {s}"));
        let available = match e.availability {
            Some(Availability::Shall) => format!("{:<12}", "always").green().to_string(),
            Some(Availability::MayNot) => format!("{:<12}", "best effort").yellow().to_string(),
            Some(Availability::ShallNot) => format!("{:<12}", "never").red().to_string(),
            Some(Availability::IfEmail) => format!("{:<12}", "with email").yellow().to_string(),
            None => String::new(),
        };
        let _ = writeln!(
            out,
            "{:<width$}  {:<16} {available}{}",
            e.name.bold(),
            scope,
            e.meaning.unwrap_or("").dimmed()
        );
    }
    // `sub` is in every token but in no scope, so the table above never lists it (PROTOCOL §5).
    let _ = writeln!(
        out,
        "\n{} {}",
        "sub".bold(),
        format!("· {SUB_MEANING}").dimmed()
    );
    let _ = match country {
        Some(cc) => writeln!(
            out,
            "\n{} claims; availability for ID documents issued by {cc} (it depends on the document's country, not on nationality).",
            entries.len()
        ),
        None => writeln!(
            out,
            "\n{} claims; add --country CC for availability by ID-document country.",
            entries.len()
        ),
    };
    out
}
