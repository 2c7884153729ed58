//! Check digits of Belgian identifiers (PROTOCOL §6).

/// Why a Belgian identifier failed its check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CheckDigitProblem {
    /// Not the expected number of digits (after removing `.`, `-` and spaces).
    Length { expected: usize, found: usize },
    /// A character other than a digit or a separator.
    NotDigits,
    /// The check digits do not match.
    Mismatch { expected: String, found: String },
}

impl std::fmt::Display for CheckDigitProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            CheckDigitProblem::Length { expected, found } => {
                write!(f, "has {found} digits, expected {expected}")
            }
            CheckDigitProblem::NotDigits => f.write_str("contains characters other than digits"),
            CheckDigitProblem::Mismatch { expected, found } => {
                write!(f, "check digits are {found}, expected {expected}")
            }
        }
    }
}

fn digits_only(value: &str, expected: usize) -> Result<String, CheckDigitProblem> {
    let mut digits = String::with_capacity(expected);
    for c in value.chars() {
        match c {
            '0'..='9' => digits.push(c),
            '.' | '-' | ' ' => {}
            _ => return Err(CheckDigitProblem::NotDigits),
        }
    }
    if digits.len() != expected {
        return Err(CheckDigitProblem::Length {
            expected,
            found: digits.len(),
        });
    }
    Ok(digits)
}

/// Checks a Belgian national register number `YYMMDDxxxcc`: `cc = 97 − (YYMMDDxxx mod 97)`, where
/// people born in 2000 or later have `2` prefixed to the nine digits (PROTOCOL §6). Since the century
/// is not written in the number, either form matching is accepted.
pub fn check_be_national_number(value: &str) -> Result<(), CheckDigitProblem> {
    let digits = digits_only(value, 11)?;
    let (body, check) = digits.split_at(9);
    let body: u64 = body.parse().map_err(|_| CheckDigitProblem::NotDigits)?;
    let found: u64 = check.parse().map_err(|_| CheckDigitProblem::NotDigits)?;
    let before_2000 = 97 - body % 97;
    let from_2000 = 97 - (2_000_000_000 + body) % 97;
    if found == before_2000 || found == from_2000 {
        Ok(())
    } else {
        Err(CheckDigitProblem::Mismatch {
            expected: format!("{before_2000:02}"),
            found: check.to_string(),
        })
    }
}

/// The sex encoded in a Belgian national number: the sequence `xxx` is odd for men, even for women.
pub fn be_national_number_sex(value: &str) -> Option<&'static str> {
    let digits = digits_only(value, 11).ok()?;
    let seq: u32 = digits[6..9].parse().ok()?;
    Some(if seq % 2 == 1 { "male" } else { "female" })
}

/// Checks a Belgian identity card number `xxx-xxxxxxx-yy`: `yy = (first 10 digits) mod 97`,
/// or 97 when the remainder is 0 (PROTOCOL §6).
pub fn check_be_card_number(value: &str) -> Result<(), CheckDigitProblem> {
    let digits = digits_only(value, 12)?;
    let (body, check) = digits.split_at(10);
    let body: u64 = body.parse().map_err(|_| CheckDigitProblem::NotDigits)?;
    let found: u64 = check.parse().map_err(|_| CheckDigitProblem::NotDigits)?;
    let expected = match body % 97 {
        0 => 97,
        r => r,
    };
    if found == expected {
        Ok(())
    } else {
        Err(CheckDigitProblem::Mismatch {
            expected: format!("{expected:02}"),
            found: check.to_string(),
        })
    }
}

/// Whether `value` has the form of the Belgian documents of EU/EEA/Swiss residents: a letter and
/// nine digits, `B xxxxxxx xx` (PROTOCOL §6), separators (`.`, `-`, spaces) aside. The
/// documentation gives no check-digit rule for this form, so nothing more can be checked.
pub fn is_be_resident_card_form(value: &str) -> bool {
    let mut chars = value.chars().filter(|c| !matches!(c, '.' | '-' | ' '));
    chars.next().is_some_and(|c| c.is_ascii_uppercase())
        && chars.clone().count() == 9
        && chars.all(|c| c.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn national_number_before_2000() {
        // 850714 124: 850714124 mod 97 = 68 → cc = 29.
        assert_eq!(850714124 % 97, 68);
        assert_eq!(check_be_national_number("85071412429"), Ok(()));
        assert_eq!(check_be_national_number("85.07.14-124.29"), Ok(()));
        assert!(matches!(
            check_be_national_number("85071412430"),
            Err(CheckDigitProblem::Mismatch { .. })
        ));
        assert_eq!(be_national_number_sex("85071412429"), Some("female"));
    }

    #[test]
    fn national_number_from_2000_uses_the_2_prefix() {
        let body = 300_211_123_u64; // 2003-02-11, sequence 123 (male)
        let cc = 97 - (2_000_000_000 + body) % 97;
        let number = format!("{body:09}{cc:02}");
        assert_eq!(check_be_national_number(&number), Ok(()));
        assert_eq!(be_national_number_sex(&number), Some("male"));
    }

    #[test]
    fn national_number_shape_errors() {
        assert_eq!(
            check_be_national_number("1234"),
            Err(CheckDigitProblem::Length {
                expected: 11,
                found: 4
            })
        );
        assert_eq!(
            check_be_national_number("8507141242x"),
            Err(CheckDigitProblem::NotDigits)
        );
    }

    #[test]
    fn card_number() {
        // 5901234567 mod 97 = 59 (checked below), so 590-1234567-59 is valid.
        let r = 5_901_234_567u64 % 97;
        let number = format!("590-1234567-{r:02}");
        assert_eq!(check_be_card_number(&number), Ok(()));
        let wrong = format!("5901234567{:02}", (r + 1) % 100);
        assert!(matches!(
            check_be_card_number(&wrong),
            Err(CheckDigitProblem::Mismatch { .. })
        ));
    }

    #[test]
    fn the_resident_card_form_is_a_letter_and_nine_digits() {
        assert!(is_be_resident_card_form("B 1234567 89"));
        assert!(is_be_resident_card_form("B123456789"));
        assert!(!is_be_resident_card_form("b 1234567 89"));
        assert!(!is_be_resident_card_form("B 1234567 8"));
        assert!(!is_be_resident_card_form("B 1234567 890"));
        assert!(!is_be_resident_card_form("431522485012"));
        assert!(!is_be_resident_card_form("BB 123456789"));
    }

    #[test]
    fn card_number_remainder_zero_means_97() {
        let body = 97u64 * 12_345_678; // a multiple of 97 with 10 digits
        assert_eq!(body.to_string().len(), 10);
        assert_eq!(check_be_card_number(&format!("{body}97")), Ok(()));
        assert!(check_be_card_number(&format!("{body}00")).is_err());
    }
}
