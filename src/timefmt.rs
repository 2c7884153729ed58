//! Times for people: absolute UTC dates and "in 4 min" / "2 h ago".

use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;
use time::macros::format_description;

/// `2026-01-01 00:10:00 UTC` for a Unix time; the number itself when out of range.
pub fn utc(unix: i64) -> String {
    match OffsetDateTime::from_unix_timestamp(unix) {
        Ok(t) => t
            .format(format_description!(
                "[year]-[month]-[day] [hour]:[minute]:[second] UTC"
            ))
            .unwrap_or_else(|_| unix.to_string()),
        Err(_) => format!("{unix} (out of range)"),
    }
}

/// RFC 3339 for a Unix time (for JSON), `None` when out of range.
pub fn rfc3339(unix: i64) -> Option<String> {
    OffsetDateTime::from_unix_timestamp(unix)
        .ok()?
        .format(&Rfc3339)
        .ok()
}

/// A duration in words, rounded to its largest unit: `45 s`, `4 min`, `2 h`, `3 days`.
pub fn duration(seconds: i64) -> String {
    let s = seconds.unsigned_abs();
    match s {
        0..=89 => format!("{s} s"),
        90..=5399 => format!("{} min", (s + 30) / 60),
        5400..=129_599 => format!("{} h", (s + 1800) / 3600),
        _ => {
            let days = (s + 43_200) / 86_400;
            if days == 1 {
                "1 day".into()
            } else {
                format!("{days} days")
            }
        }
    }
}

/// `in 4 min` for a future instant, `2 h ago` for a past one, relative to `now`.
pub fn relative(unix: i64, now: i64) -> String {
    let delta = unix.saturating_sub(now);
    if delta >= 0 {
        format!("in {}", duration(delta))
    } else {
        format!("{} ago", duration(delta))
    }
}

/// A `--now` value that is no instant.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{text}` is neither an RFC 3339 time (2026-01-01T00:05:00Z) nor Unix seconds")]
pub struct InstantError {
    /// The text given, trimmed.
    pub text: String,
}

impl From<InstantError> for String {
    fn from(error: InstantError) -> String {
        error.to_string()
    }
}

/// Parses `--now`: RFC 3339 (`2026-01-01T00:05:00Z`) or Unix seconds.
pub fn parse_instant(text: &str) -> Result<i64, InstantError> {
    let text = text.trim();
    if let Ok(seconds) = text.parse::<i64>() {
        return Ok(seconds);
    }
    OffsetDateTime::parse(text, &Rfc3339)
        .map(|t| t.unix_timestamp())
        .map_err(|_| InstantError { text: text.into() })
}

/// An RFC 3339 instant in Unix milliseconds (HAR times have fractions of a second, and the
/// exchanges of one login are often within the same second).
pub fn parse_instant_millis(text: &str) -> Result<i128, InstantError> {
    let text = text.trim();
    OffsetDateTime::parse(text, &Rfc3339)
        .map(|t| t.unix_timestamp_nanos() / 1_000_000)
        .map_err(|_| InstantError { text: text.into() })
}

/// The time of day of an RFC 3339 instant, to the millisecond, in UTC (`21:45:06.096`): the
/// timeline of `decode-token --har`. `None` when the text is not RFC 3339.
pub fn time_of_day_millis(text: &str) -> Option<String> {
    let t = OffsetDateTime::parse(text.trim(), &Rfc3339)
        .ok()?
        .to_offset(time::UtcOffset::UTC);
    Some(format!(
        "{:02}:{:02}:{:02}.{:03}",
        t.hour(),
        t.minute(),
        t.second(),
        t.millisecond()
    ))
}

/// The current Unix time.
pub fn now() -> i64 {
    OffsetDateTime::now_utc().unix_timestamp()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_round_to_one_unit() {
        assert_eq!(duration(45), "45 s");
        assert_eq!(duration(240), "4 min");
        assert_eq!(duration(-7200), "2 h");
        assert_eq!(duration(86_400), "24 h");
        assert_eq!(duration(2 * 86_400), "2 days");
        assert_eq!(duration(3 * 86_400), "3 days");
        assert_eq!(relative(100, 40), "in 60 s");
        assert_eq!(relative(0, 7200), "2 h ago");
    }

    #[test]
    fn instants_parse_both_ways() {
        assert_eq!(parse_instant("2026-01-01T00:05:00Z"), Ok(1_767_225_900));
        assert_eq!(parse_instant("1767225900"), Ok(1_767_225_900));
        assert!(parse_instant("yesterday").is_err());
        assert_eq!(utc(1_767_225_900), "2026-01-01 00:05:00 UTC");
        assert_eq!(
            rfc3339(1_767_225_900).as_deref(),
            Some("2026-01-01T00:05:00Z")
        );
    }
}
