//! The authentication levels itsme® knows, as `acr_values` asks for them and the `acr` claim
//! reports them (PROTOCOL §4). The one place their URIs are spelled.

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

    /// The level a URI names, matched exactly; `None` for any other text.
    pub fn from_uri(uri: &str) -> Option<Acr> {
        Acr::ALL.into_iter().find(|acr| acr.uri() == uri)
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
        assert_eq!(
            Acr::from_uri("http://itsme.services/V2/claim/acr_basic"),
            None
        );
        let both = format!("{} {}", Acr::Advanced.uri(), Acr::Basic.uri());
        assert_eq!(Acr::strictest_of(&both), Some(Acr::Advanced));
        assert_eq!(Acr::strictest_of("other"), None);
    }
}
