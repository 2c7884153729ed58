//! itsme®-specific remarks on decoded claims: Belgian check digits and the photo (PROTOCOL §6).
//! These are warnings: the provider vouches for the values, but a wrong check digit or an unreadable
//! photo points at a transcription problem worth knowing about. The check-digit results are also
//! kept per claim ([`ItsmeChecks::check_digits`]) so that the human view explains them without
//! checking again.

use std::collections::BTreeMap;

use serde_json::{Map, Value};

use super::CLAIM_PREFIX;
use super::check_digits::{
    CheckDigitProblem, be_national_number_sex, check_be_card_number, check_be_national_number,
    is_be_resident_card_form,
};
use super::photo::{self, PhotoInfo};
use crate::findings::{Code, Finding};

/// What the check digits of one claim value say (PROTOCOL §6).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CheckDigits {
    /// A Belgian national number whose check digits match; `sex` is what its sequence number says
    /// (`male` or `female`).
    NationalNumberOk {
        /// The sex the sequence number encodes, when it can be read.
        sex: Option<&'static str>,
    },
    /// A Belgian card number whose check digits match.
    CardNumberOk,
    /// A Belgian card number in the form of EU/EEA/Swiss residents' documents (a letter and nine
    /// digits, `B xxxxxxx xx`): the documentation gives no check-digit rule for it, so its digits
    /// are not checked (PROTOCOL §6).
    ResidentCardNoRule,
    /// The check digits do not match, or the value does not have the number's shape.
    Wrong(CheckDigitProblem),
}

/// What the itsme® checks found.
#[derive(Debug, Default)]
pub struct ItsmeChecks {
    /// Remarks.
    pub warnings: Vec<Finding>,
    /// The photo, when the token carries a readable one.
    pub photo: Option<PhotoInfo>,
    /// The check-digit result of each claim the human view explains, by claim name as in the token:
    /// `BENationalNumber` and `BEeidSn`, under their full or their bare name.
    pub check_digits: BTreeMap<String, CheckDigits>,
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

/// The check digits of a Belgian national number.
fn national_number(value: &str) -> CheckDigits {
    match check_be_national_number(value) {
        Ok(()) => CheckDigits::NationalNumberOk {
            sex: be_national_number_sex(value),
        },
        Err(problem) => CheckDigits::Wrong(problem),
    }
}

/// The check digits of a Belgian card number: 12 digits with the mod-97 rule, or a resident's card
/// (a letter and nine digits), for which no rule is known.
fn card_number(value: &str) -> CheckDigits {
    if is_be_resident_card_form(value) {
        return CheckDigits::ResidentCardNoRule;
    }
    match check_be_card_number(value) {
        Ok(()) => CheckDigits::CardNumberOk,
        Err(problem) => CheckDigits::Wrong(problem),
    }
}

/// Runs the checks on a token's claims.
pub fn check(claims: &Map<String, Value>) -> ItsmeChecks {
    let mut out = ItsmeChecks::default();
    for (name, value) in claims {
        let Some(text) = value.as_str() else {
            continue;
        };
        let result = match name.strip_prefix(CLAIM_PREFIX).unwrap_or(name) {
            "BENationalNumber" => national_number(text),
            "BEeidSn" => card_number(text),
            _ => continue,
        };
        out.check_digits.insert(name.clone(), result);
    }
    let full = |short: &str| format!("{CLAIM_PREFIX}{short}");
    if let Some(value) = claim(claims, "BENationalNumber").and_then(Value::as_str)
        && let Some(CheckDigits::Wrong(problem)) = out.check_digits.get(&full("BENationalNumber"))
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
        let Some(value) = claim(claims, name).and_then(Value::as_str) else {
            continue;
        };
        // `BEeidSn` was checked above; a Belgian `IDDocumentSN` is checked here, for the warning only.
        let result = match out.check_digits.get(&full(name)) {
            Some(result) => result.clone(),
            None => card_number(value),
        };
        if let CheckDigits::Wrong(problem) = result {
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

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn check_digits_are_kept_per_claim_and_warned_once() {
        let claims = json!({
            "http://itsme.services/v2/claim/BENationalNumber": "85071412429",
            "http://itsme.services/v2/claim/BEeidSn": "590123456700",
            "sub": "x",
        });
        let checks = check(claims.as_object().unwrap());
        assert_eq!(
            checks.check_digits["http://itsme.services/v2/claim/BENationalNumber"],
            CheckDigits::NationalNumberOk {
                sex: Some("female")
            }
        );
        assert!(matches!(
            checks.check_digits["http://itsme.services/v2/claim/BEeidSn"],
            CheckDigits::Wrong(CheckDigitProblem::Mismatch { .. })
        ));
        assert_eq!(checks.check_digits.len(), 2);
        let codes: Vec<Code> = checks.warnings.iter().map(|w| w.code).collect();
        assert_eq!(codes, [Code::CardNumberCheckDigits]);
    }

    /// A Belgian document of an EU/EEA/Swiss resident (`B xxxxxxx xx`) is read, not refused: the
    /// documentation gives no check-digit rule for it (issue 14, item 5).
    #[test]
    fn a_resident_card_number_is_no_false_alarm() {
        let claims = json!({
            "http://itsme.services/v2/claim/BEeidSn": "B 1234567 89",
            "http://itsme.services/v2/claim/IDDocumentSN": "B123456789",
            "http://itsme.services/v2/claim/IDIssuingCountry": {
                "http://itsme.services/v2/claim/IDDocumentSN": "BEL"
            },
        });
        let checks = check(claims.as_object().unwrap());
        assert!(checks.warnings.is_empty(), "{:?}", checks.warnings);
        assert_eq!(
            checks.check_digits["http://itsme.services/v2/claim/BEeidSn"],
            CheckDigits::ResidentCardNoRule
        );
        // The 12-digit form is still checked, and a Belgian `IDDocumentSN` (alpha-3 `BEL`) too.
        let claims = json!({
            "http://itsme.services/v2/claim/IDDocumentSN": "431522485013",
            "http://itsme.services/v2/claim/IDIssuingCountry": {
                "http://itsme.services/v2/claim/IDDocumentSN": "BEL"
            },
        });
        let codes: Vec<Code> = check(claims.as_object().unwrap())
            .warnings
            .iter()
            .map(|w| w.code)
            .collect();
        assert_eq!(codes, [Code::CardNumberCheckDigits]);
    }
}
