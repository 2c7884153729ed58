//! Human rendering of the claim catalogue.

use std::fmt::Write;

use colored::Colorize;

use crate::itsme::catalogue::{Availability, ClaimEntry, SUB_MEANING};

/// A table: name, scope, availability (with a country), meaning.
pub fn render(entries: &[ClaimEntry], country: Option<&str>) -> String {
    let mut out = String::new();
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
