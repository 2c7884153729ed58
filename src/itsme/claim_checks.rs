//! itsme®-specific remarks on decoded claims: Belgian check digits and the photo (PROTOCOL §6).
//! These are warnings: the provider vouches for the values, but a wrong check digit or an unreadable
//! photo points at a transcription problem worth knowing about.

use serde_json::{Map, Value};

use super::CLAIM_PREFIX;
use super::check_digits::{check_be_card_number, check_be_national_number};
use super::photo::{self, PhotoInfo};
use crate::findings::{Code, Finding};

/// What the itsme® checks found.
#[derive(Debug, Default)]
pub struct ItsmeChecks {
    /// Remarks.
    pub warnings: Vec<Finding>,
    /// The photo, when the token carries a readable one.
    pub photo: Option<PhotoInfo>,
}

fn claim<'c>(claims: &'c Map<String, Value>, short: &str) -> Option<&'c Value> {
    claims.get(&format!("{CLAIM_PREFIX}{short}"))
}

/// Whether the metadata claim `IDIssuingCountry` says `qualified` comes from a Belgian document.
fn issued_in_belgium(claims: &Map<String, Value>, qualified: &str) -> bool {
    claim(claims, "IDIssuingCountry")
        .and_then(|m| m.get(format!("{CLAIM_PREFIX}{qualified}")))
        .and_then(Value::as_str)
        .is_some_and(|c| matches!(c, "BE" | "BEL"))
}

/// Runs the checks on a token's claims.
pub fn check(claims: &Map<String, Value>) -> ItsmeChecks {
    let mut out = ItsmeChecks::default();
    if let Some(value) = claim(claims, "BENationalNumber").and_then(Value::as_str)
        && let Err(problem) = check_be_national_number(value)
    {
        out.warnings.push(Finding::new(
            Code::NationalNumberCheckDigits,
            format!(
                "itsme:BENationalNumber `{value}` is not a valid Belgian national number: {problem}"
            ),
        ));
    }
    let mut card_numbers = vec!["BEeidSn"];
    if issued_in_belgium(claims, "IDDocumentSN") {
        card_numbers.push("IDDocumentSN");
    }
    for name in card_numbers {
        if let Some(value) = claim(claims, name).and_then(Value::as_str)
            && let Err(problem) = check_be_card_number(value)
        {
            out.warnings.push(Finding::new(
                Code::CardNumberCheckDigits,
                format!("itsme:{name} `{value}` is not a valid Belgian card number: {problem}"),
            ));
        }
    }
    if let Some(value) = claim(claims, "physical_person_photo") {
        match photo::decode(value) {
            Ok(photo) => out.photo = Some(photo.info),
            Err(why) => out.warnings.push(Finding::new(
                Code::PhotoUnreadable,
                format!("itsme:physical_person_photo {why}"),
            )),
        }
    }
    out
}
