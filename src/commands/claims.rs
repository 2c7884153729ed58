//! `itsme-cli claims`: the claim catalogue (claims-availability.json plus PROTOCOL §6), filtered.

use crate::cli::ClaimsArgs;
use crate::error::{Outcome, hinted};
use crate::itsme::catalogue::{self, ClaimEntry};
use crate::printer::Printer;

/// Runs the command.
pub fn run(args: &ClaimsArgs, printer: &Printer) -> anyhow::Result<Outcome> {
    let country = args.country.as_ref().map(|c| c.to_ascii_uppercase());
    if let Some(country) = &country
        && !catalogue::all()
            .iter()
            .any(|c| c.availability.contains_key(country))
    {
        let known: Vec<&String> = catalogue::all()
            .first()
            .map(|c| c.availability.keys().collect())
            .unwrap_or_default();
        return Err(hinted(
            format!("no availability data for ID documents of `{country}`"),
            format!(
                "known countries: {}",
                known
                    .iter()
                    .map(|c| c.as_str())
                    .collect::<Vec<_>>()
                    .join(" ")
            ),
        ));
    }
    let search = args.search.as_ref().map(|s| s.to_lowercase());
    let entries: Vec<ClaimEntry> = catalogue::all()
        .iter()
        .filter(|c| {
            args.scope.as_ref().is_none_or(|s| {
                c.scope
                    .as_deref()
                    .is_some_and(|cs| cs.eq_ignore_ascii_case(s))
            })
        })
        .map(|c| c.entry(country.as_deref()))
        .filter(|e| {
            search.as_ref().is_none_or(|s| {
                e.claim.to_lowercase().contains(s)
                    || e.meaning.is_some_and(|m| m.to_lowercase().contains(s))
            })
        })
        .collect();
    printer.result(&entries, |entries| {
        crate::printer::claims::render(
            entries,
            country.as_deref(),
            args.search.as_deref(),
            args.scope.as_deref(),
        )
    })?;
    Ok(Outcome::Yes)
}
