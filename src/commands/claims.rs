//! `itsme-cli claims`: the claim catalogue (claims-availability.json plus PROTOCOL §6), filtered.

use serde::Serialize;

use crate::cli::ClaimsArgs;
use crate::error::{Outcome, hinted};
use crate::itsme::catalogue::{self, Availability};
use crate::printer::Printer;

/// One claim, as listed.
#[derive(Debug, Serialize)]
pub struct ClaimEntry {
    /// The short name (`itsme:NAME` for itsme® claims).
    pub name: String,
    /// The full claim name, as in tokens and the `claims` parameter.
    pub claim: String,
    /// The scope that grants it, if any.
    pub scope: Option<String>,
    /// JSON type.
    #[serde(rename = "type")]
    pub kind: String,
    /// Whether it qualifies other claims (keyed by their names).
    pub metadata: bool,
    /// What it means.
    pub meaning: Option<&'static str>,
    /// With `--country`: `shall`, `may_not` (best effort), `shall_not` (never) or `if_email`.
    pub availability: Option<Availability>,
}

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
        .map(|c| ClaimEntry {
            name: crate::itsme::short_claim_name(&c.claim).into_owned(),
            claim: c.claim.clone(),
            scope: c.scope.clone(),
            kind: c.kind.clone(),
            metadata: c.metadata,
            meaning: catalogue::meaning(&c.claim),
            availability: country
                .as_ref()
                .and_then(|cc| c.availability.get(cc).copied()),
        })
        .filter(|e| {
            search.as_ref().is_none_or(|s| {
                e.claim.to_lowercase().contains(s)
                    || e.meaning.is_some_and(|m| m.to_lowercase().contains(s))
            })
        })
        .collect();
    printer.result(&entries, |entries| {
        crate::printer::claims::render(entries, country.as_deref())
    })?;
    Ok(Outcome::Yes)
}
