//! Confirmation templates, the "what you see is what you sign" content a Confirmation service shows
//! the user (PROTOCOL §7). One set of rules for both sides: `login` checks a template before
//! anything is sent, the sandbox refuses a bad one like itsme® does.

use std::collections::BTreeMap;

use serde_json::{Map, Value, json};

use super::CLAIM_PREFIX;

/// The longest free text (PROTOCOL §7).
pub const MAX_TEXT_CHARS: usize = 7500;

/// A Confirmation template.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(tag = "template", rename_all = "snake_case")]
pub enum Confirmation {
    /// `adv_payment`: an amount in a currency to an IBAN.
    AdvPayment {
        /// Integer amount, as text.
        amount: String,
        /// ISO 4217 code.
        currency: String,
        /// The beneficiary's IBAN, without spaces.
        iban: String,
    },
    /// `free_text`: text with a little HTML.
    FreeText {
        /// The text.
        text: String,
    },
}

impl Confirmation {
    /// A checked payment template: integer amount, ISO 4217-shaped currency, IBAN with valid check digits.
    pub fn payment(amount: &str, currency: &str, iban: &str) -> Result<Self, String> {
        if amount.is_empty() || !amount.bytes().all(|b| b.is_ascii_digit()) {
            return Err(format!(
                "the amount `{amount}` must be a whole number (no decimals, no sign)"
            ));
        }
        if currency.len() != 3 || !currency.bytes().all(|b| b.is_ascii_uppercase()) {
            return Err(format!(
                "the currency `{currency}` must be an ISO 4217 code such as EUR"
            ));
        }
        let iban: String = iban
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect::<String>()
            .to_ascii_uppercase();
        if !iban_is_valid(&iban) {
            return Err(format!(
                "`{iban}` is not a valid IBAN (its check digits are wrong)"
            ));
        }
        Ok(Confirmation::AdvPayment {
            amount: amount.into(),
            currency: currency.into(),
            iban,
        })
    }

    /// A checked free text: at most 7 500 characters of ISO-8859-15, HTML limited to `<b> <i> <u> <br>`.
    pub fn free_text(text: &str) -> Result<Self, String> {
        let count = text.chars().count();
        if count == 0 {
            return Err("the text is empty".into());
        }
        if count > MAX_TEXT_CHARS {
            return Err(format!(
                "the text has {count} characters; at most {MAX_TEXT_CHARS} are allowed"
            ));
        }
        if let Some(c) = text.chars().find(|c| !is_latin9(*c)) {
            return Err(format!(
                "the character `{}` (U+{:04X}) is not in ISO-8859-15",
                c.escape_debug(),
                c as u32
            ));
        }
        check_tags(text)?;
        Ok(Confirmation::FreeText { text: text.into() })
    }

    /// Reads and checks a template from the claim values of a `claims` request parameter.
    pub fn from_claims(values: &BTreeMap<String, String>) -> Result<Self, String> {
        let get = |short: &str| values.get(&format!("{CLAIM_PREFIX}{short}")).cloned();
        let missing = |short: &str| format!("the template needs `{CLAIM_PREFIX}{short}`");
        match get("claim_approval_template_name").as_deref() {
            Some("adv_payment") => Self::payment(
                &get("claim_approval_amount_key")
                    .ok_or_else(|| missing("claim_approval_amount_key"))?,
                &get("claim_approval_currency_key")
                    .ok_or_else(|| missing("claim_approval_currency_key"))?,
                &get("claim_approval_iban_key")
                    .ok_or_else(|| missing("claim_approval_iban_key"))?,
            ),
            Some("free_text") => Self::free_text(
                &get("claim_approval_text_key")
                    .ok_or_else(|| missing("claim_approval_text_key"))?,
            ),
            Some(other) => Err(format!(
                "unknown Confirmation template `{other}`; use `adv_payment` or `free_text`"
            )),
            None => Err(missing("claim_approval_template_name")),
        }
    }

    /// The template as claims-parameter members: each `{"essential": true, "value": …}` (PROTOCOL §7).
    pub fn claims(&self) -> Map<String, Value> {
        let member = |value: &str| json!({"essential": true, "value": value});
        let mut claims = Map::new();
        let mut put = |short: &str, value: &str| {
            claims.insert(format!("{CLAIM_PREFIX}{short}"), member(value));
        };
        match self {
            Confirmation::AdvPayment {
                amount,
                currency,
                iban,
            } => {
                put("claim_approval_template_name", "adv_payment");
                put("claim_approval_amount_key", amount);
                put("claim_approval_currency_key", currency);
                put("claim_approval_iban_key", iban);
            }
            Confirmation::FreeText { text } => {
                put("claim_approval_template_name", "free_text");
                put("claim_approval_text_key", text);
            }
        }
        claims
    }
}

/// Whether a character exists in ISO-8859-15 (Latin-9), allowing line breaks and tabs.
fn is_latin9(c: char) -> bool {
    match c as u32 {
        0x09 | 0x0A | 0x0D | 0x20..=0x7E => true,
        // Latin-9 replaced these eight Latin-1 characters…
        0xA4 | 0xA6 | 0xA8 | 0xB4 | 0xB8 | 0xBC | 0xBD | 0xBE => false,
        0xA0..=0xFF => true,
        // … with these.
        0x20AC | 0x0160 | 0x0161 | 0x017D | 0x017E | 0x0152 | 0x0153 | 0x0178 => true,
        _ => false,
    }
}

/// Every `<…>` must be one of the allowed tags (PROTOCOL §7); a literal `<` is written `&lt;`.
fn check_tags(text: &str) -> Result<(), String> {
    let mut rest = text;
    while let Some(start) = rest.find('<') {
        let after = &rest[start..];
        let end = after
            .find('>')
            .ok_or("a `<` starts a tag that never closes; write a literal `<` as `&lt;`")?;
        let tag = after[..=end].to_ascii_lowercase();
        if !matches!(
            tag.as_str(),
            "<b>" | "</b>" | "<i>" | "</i>" | "<u>" | "</u>" | "<br>" | "<br/>" | "<br />"
        ) {
            return Err(format!(
                "the HTML tag `{}` is not allowed; only <b> <i> <u> <br>",
                &after[..=end]
            ));
        }
        rest = &after[end + 1..];
    }
    Ok(())
}

/// ISO 13616 IBAN check: the first four characters moved to the end, letters as numbers, mod 97 = 1.
pub fn iban_is_valid(iban: &str) -> bool {
    let compact: String = iban
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect::<String>()
        .to_ascii_uppercase();
    if !(15..=34).contains(&compact.len()) || !compact.chars().all(|c| c.is_ascii_alphanumeric()) {
        return false;
    }
    let (head, tail) = compact.split_at(4);
    let mut remainder: u32 = 0;
    for c in tail.chars().chain(head.chars()) {
        let value = c.to_digit(36).unwrap_or(0);
        remainder = if value < 10 {
            (remainder * 10 + value) % 97
        } else {
            (remainder * 100 + value) % 97
        };
    }
    remainder == 1
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ibans() {
        assert!(iban_is_valid("BE68 5390 0754 7034"));
        assert!(iban_is_valid("GB82WEST12345698765432"));
        assert!(iban_is_valid("nl91abna0417164300"));
        assert!(!iban_is_valid("BE68 5390 0754 7035"));
        assert!(!iban_is_valid("BE68"));
    }

    #[test]
    fn payments() {
        assert!(Confirmation::payment("1250", "EUR", "BE68 5390 0754 7034").is_ok());
        assert!(
            Confirmation::payment("12.50", "EUR", "BE68539007547034")
                .unwrap_err()
                .contains("whole number")
        );
        assert!(
            Confirmation::payment("1", "eur", "BE68539007547034")
                .unwrap_err()
                .contains("ISO 4217")
        );
        assert!(
            Confirmation::payment("1", "EUR", "BE68539007547035")
                .unwrap_err()
                .contains("IBAN")
        );
    }

    #[test]
    fn free_texts() {
        assert!(
            Confirmation::free_text("Sign <b>contract</b> nr. 12<br>for 10 €, Œuvre, Šárka")
                .is_ok()
        );
        assert!(
            Confirmation::free_text("<script>x</script>")
                .unwrap_err()
                .contains("not allowed")
        );
        assert!(
            Confirmation::free_text("a < b")
                .unwrap_err()
                .contains("&lt;")
        );
        assert!(
            Confirmation::free_text("½ price")
                .unwrap_err()
                .contains("ISO-8859-15")
        );
        assert!(Confirmation::free_text("emoji 😀").is_err());
        assert!(Confirmation::free_text(&"a".repeat(7500)).is_ok());
        assert!(
            Confirmation::free_text(&"a".repeat(7501))
                .unwrap_err()
                .contains("7501")
        );
        assert!(Confirmation::free_text("").is_err());
    }

    #[test]
    fn claims_round_trip() {
        for template in [
            Confirmation::payment("5", "EUR", "BE68539007547034").unwrap(),
            Confirmation::free_text("ok").unwrap(),
        ] {
            let values: BTreeMap<String, String> = template
                .claims()
                .into_iter()
                .map(|(k, v)| {
                    assert_eq!(v["essential"], true);
                    (k, v["value"].as_str().unwrap().to_string())
                })
                .collect();
            assert_eq!(Confirmation::from_claims(&values).unwrap(), template);
        }
    }
}
