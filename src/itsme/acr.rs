//! The authentication levels itsme® knows, as `acr_values` asks for them and the `acr` claim
//! reports them (PROTOCOL §4). The one place their URIs are spelled.

/// The prefix of the level URIs as the current documentation spells them.
const CURRENT_PREFIX: &str = "http://itsme.services/v2/claim/";
/// The same prefix as older documents and their example ID tokens spell it (PROTOCOL §4).
const OLDER_PREFIX: &str = "http://itsme.services/V2/claim/";

/// An itsme® authentication level (PROTOCOL §4). Ordered: a later level is stricter.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, clap::ValueEnum, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Acr {
    /// Fingerprint or itsme code.
    Basic,
    /// itsme code forced.
    Advanced,
}

impl Acr {
    /// Every level, the default first.
    pub const ALL: [Acr; 2] = [Acr::Basic, Acr::Advanced];

    /// The URI, as in `acr_values`, the `acr` claim and `acr_values_supported`.
    pub fn uri(self) -> &'static str {
        match self {
            Acr::Basic => "http://itsme.services/v2/claim/acr_basic",
            Acr::Advanced => "http://itsme.services/v2/claim/acr_advanced",
        }
    }

    /// The level a URI names: exactly, or in the older documents' spelling with a capital `V2`
    /// (`http://itsme.services/V2/claim/acr_basic`, the same level, PROTOCOL §4); `None` for any
    /// other text.
    pub fn from_uri(uri: &str) -> Option<Acr> {
        let current = match uri.strip_prefix(OLDER_PREFIX) {
            Some(rest) => format!("{CURRENT_PREFIX}{rest}"),
            None => uri.to_string(),
        };
        Acr::ALL.into_iter().find(|acr| acr.uri() == current)
    }

    /// Whether `uri` names a level in the older spelling (capital `V2`), which [`Acr::from_uri`]
    /// reads as the same level.
    pub fn is_older_spelling(uri: &str) -> bool {
        uri.starts_with(OLDER_PREFIX) && Acr::from_uri(uri).is_some()
    }

    /// The level an `acr_values` parameter asks for: the strictest one it names, for "if both, the
    /// stricter applies"; `None` when it names none.
    pub fn strictest_of(acr_values: &str) -> Option<Acr> {
        acr_values
            .split_whitespace()
            .filter_map(Acr::from_uri)
            .max()
    }

    /// What the level means to a user, in a few words.
    pub fn meaning(self) -> &'static str {
        match self {
            Acr::Basic => "basic: fingerprint or itsme code",
            Acr::Advanced => "advanced: itsme code forced",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uris_round_trip_and_the_stricter_wins() {
        for acr in Acr::ALL {
            assert_eq!(Acr::from_uri(acr.uri()), Some(acr));
        }
        // The older documents' capital `V2` names the same level (PROTOCOL §4).
        assert_eq!(
            Acr::from_uri("http://itsme.services/V2/claim/acr_basic"),
            Some(Acr::Basic)
        );
        assert_eq!(
            Acr::from_uri("http://itsme.services/V2/claim/acr_advanced"),
            Some(Acr::Advanced)
        );
        assert!(Acr::is_older_spelling(
            "http://itsme.services/V2/claim/acr_basic"
        ));
        assert!(!Acr::is_older_spelling(Acr::Basic.uri()));
        assert_eq!(
            Acr::from_uri("http://itsme.services/V2/claim/acr_other"),
            None
        );
        assert_eq!(
            Acr::from_uri("HTTP://ITSME.SERVICES/V2/CLAIM/ACR_BASIC"),
            None
        );
        let both = format!("{} {}", Acr::Advanced.uri(), Acr::Basic.uri());
        assert_eq!(Acr::strictest_of(&both), Some(Acr::Advanced));
        assert_eq!(Acr::strictest_of("other"), None);
    }
}
