//! The claim catalogue: every claim itsme® can return, with its scope, type, meaning and which
//! ID-document countries it is available for. Availability comes from `claims-availability.json`
//! (a copy of `shared/itsme/claims-availability.json`); meanings restate PROTOCOL §5–§6.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::sync::LazyLock;

use serde::{Deserialize, Serialize};

/// How reliably a claim is returned for documents of one country.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Availability {
    /// Always returned.
    Shall,
    /// Best effort: usually returned, not for every account.
    MayNot,
    /// Never returned for documents of that country.
    ShallNot,
    /// Returned only when the email is returned.
    IfEmail,
}

/// One claim of the catalogue.
#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct ClaimInfo {
    /// The full claim name, as it appears in tokens.
    pub claim: String,
    /// The scope that grants it, if any (others are asked through the `claims` parameter).
    pub scope: Option<String>,
    /// Whether it is a metadata claim: an object keyed by the claims it qualifies.
    pub metadata: bool,
    /// JSON type as documented.
    #[serde(rename = "type")]
    pub kind: String,
    /// Availability per issuing country (ISO 3166-1 alpha-2).
    pub availability: BTreeMap<String, Availability>,
}

#[derive(Deserialize)]
struct CatalogueFile {
    claims: Vec<ClaimInfo>,
}

static CATALOGUE: LazyLock<Vec<ClaimInfo>> = LazyLock::new(|| {
    let file: CatalogueFile = serde_json::from_str(include_str!("claims-availability.json"))
        .expect("the embedded claims-availability.json is valid (checked by a unit test)");
    file.claims
});

/// Every claim of the catalogue, in the documented order.
pub fn all() -> &'static [ClaimInfo] {
    &CATALOGUE
}

/// The catalogue entry for a full claim name (an alias finds the claim it stands for).
pub fn lookup(claim: &str) -> Option<&'static ClaimInfo> {
    let name = canonical_claim_name(claim);
    CATALOGUE.iter().find(|c| c.claim == name)
}

/// Claim names that name the same claim, as (alias, name in the catalogue), without the itsme®
/// prefix. Slovenia is `SINationalNumber` in the availability table but `SVNationalNumber` in the
/// request reference: both name the same claim (PROTOCOL §6).
const CLAIM_ALIASES: [(&str, &str); 1] = [("SVNationalNumber", "SINationalNumber")];

/// The catalogue's name for a claim: an alias ([`CLAIM_ALIASES`]) becomes the name it stands for,
/// with the itsme® prefix kept as given (full names stay full, bare names bare); any other name is
/// returned unchanged. The one place claim aliases are resolved.
pub fn canonical_claim_name(claim: &str) -> Cow<'_, str> {
    let (prefix, bare) = match claim.strip_prefix(super::CLAIM_PREFIX) {
        Some(bare) => (super::CLAIM_PREFIX, bare),
        None => ("", claim),
    };
    match CLAIM_ALIASES.iter().find(|(alias, _)| *alias == bare) {
        Some((_, canonical)) => format!("{prefix}{canonical}").into(),
        None => claim.into(),
    }
}

/// The scopes that grant claims, each with the claims it grants (full names), read from the
/// catalogue's `scope` column; scopes and claims in catalogue order. The one scope → claims map
/// (PROTOCOL §4): the sandbox grants and announces exactly these.
pub fn scope_claims() -> &'static [(&'static str, Vec<&'static str>)] {
    static BY_SCOPE: LazyLock<Vec<(&'static str, Vec<&'static str>)>> = LazyLock::new(|| {
        let mut by_scope: Vec<(&'static str, Vec<&'static str>)> = Vec::new();
        for claim in all() {
            let Some(scope) = claim.scope.as_deref() else {
                continue;
            };
            match by_scope.iter_mut().find(|(s, _)| *s == scope) {
                Some((_, claims)) => claims.push(&claim.claim),
                None => by_scope.push((scope, vec![&claim.claim])),
            }
        }
        by_scope
    });
    &BY_SCOPE
}

/// The claims a scope grants (full names, catalogue order); `None` for a scope that grants none.
pub fn claims_of_scope(scope: &str) -> Option<&'static [&'static str]> {
    scope_claims()
        .iter()
        .find(|(s, _)| *s == scope)
        .map(|(_, claims)| claims.as_slice())
}

/// One claim of the catalogue as `itsme-cli claims` lists it.
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

impl ClaimInfo {
    /// This claim as listed, with its availability for ID documents of `country` when given.
    pub fn entry(&self, country: Option<&str>) -> ClaimEntry {
        ClaimEntry {
            name: super::short_claim_name(&self.claim).into_owned(),
            claim: self.claim.clone(),
            scope: self.scope.clone(),
            kind: self.kind.clone(),
            metadata: self.metadata,
            meaning: meaning(&self.claim),
            availability: country.and_then(|cc| self.availability.get(cc).copied()),
        }
    }
}

/// What `sub` is (PROTOCOL §5): the one wording `decode-token`'s claim view and the `claims`
/// catalogue show.
pub const SUB_MEANING: &str = "subject: the user's identifier at this partner; pairwise (another partner sees another value), and it changes when the user deletes and re-creates their itsme® account";

/// A one-line meaning for a claim, standard OpenID or itsme®-specific; `None` for unknown claims.
pub fn meaning(claim: &str) -> Option<&'static str> {
    let canonical = canonical_claim_name(claim);
    let short = canonical
        .strip_prefix(super::CLAIM_PREFIX)
        .unwrap_or(&canonical);
    Some(match short {
        "iss" => "issuer: who made the token",
        "sub" => SUB_MEANING,
        "aud" => "audience: the client_id(s) the token is for",
        "exp" => "expiry time",
        "iat" => "issued at",
        "nbf" => "not valid before",
        "nonce" => "the nonce of the authorization request, against replay",
        "at_hash" => "hash of the access token issued with it",
        "c_hash" => "hash of the authorization code",
        "azp" => "authorized party: the client the token was issued to",
        "acr" => "authentication level achieved (basic: fingerprint or code; advanced: itsme code)",
        "amr" => "authentication methods used",
        "auth_time" => "when the user authenticated",
        "sid" => "session identifier",
        "jti" => "unique token identifier",
        "name" => "full name",
        "given_name" => "first name(s); may be absent",
        "family_name" => "last name",
        "birthdate" => "date of birth (YYYY-MM-DD)",
        "gender" => "gender: female, male, unknown or n/a",
        "locale" => "language of the user's app (NL, FR, DE, EN)",
        "picture" => "URL of the ID-document photo (fetch with the access token)",
        "email" => "email address",
        "email_verified" => "whether itsme® verified the email (always false today)",
        "phone_number" => "mobile number",
        "phone_number_verified" => "whether the number is verified (always true)",
        "address" => "postal address (an object; older integrations got it as a JSON string)",
        "address_assurance_level" => {
            "how well the address is assured (CIBA, with the `address` scope)"
        }
        "age_gte_16" => "16 years old or more",
        "age_gte_18" => "18 years old or more",
        "age_gte_21" => "21 years old or more",
        "age_gte_30" => "30 years old or more",
        "birthdate_as_string" => "date of birth as printed on the ID document",
        "official_gender" => "gender as printed on the ID document",
        "claim_citizenship" => "nationality (BE documents: as printed; others: ISO 3166-1 alpha-3)",
        "claim_citizenship_as_iso" => "nationality as ISO 3166-1 alpha-3",
        "place_of_birth" => "place of birth",
        "physical_person_photo" => "the photo from the ID document",
        "BEeidSn" => "Belgian eID card number",
        "BENationalNumber" => "Belgian national register number",
        "NationalNumber" => "national number",
        "RONationalNumber" => "Romanian national number",
        "BGNationalNumber" => "Bulgarian national number",
        "CZNationalNumber" => "Czech national number",
        "SKNationalNumber" => "Slovak national number",
        "HRNationalNumber" => "Croatian national number",
        "LTNationalNumber" => "Lithuanian national number",
        "SINationalNumber" => "Slovenian national number",
        "LVNationalNumber" => "Latvian national number",
        "MTNationalNumber" => "Maltese national number",
        "RSNationalNumber" => "Serbian national number",
        "MDNationalNumber" => "Moldovan national number",
        "IDDocumentSN" => "ID document serial number",
        "IDDocumentType" => "ID document type (ICAO: I… identity card, P… passport; e.g. `I`)",
        "validityFrom" => "start of validity of the claims it qualifies",
        "validityTo" => "end of validity of the claims it qualifies",
        "verificationDate" => "when itsme® last verified the claims it qualifies",
        "IDIssuingCountry" => {
            "country that issued the document of the claims it qualifies (ISO 3166-1 alpha-3, e.g. BEL)"
        }
        "issuance_locality" => "place where the document of the claims it qualifies was issued",
        "claim_device" => {
            "the user's phone and app installation (deviceId or deviceID, deviceLockLevel, msisdn, …)"
        }
        "app" => "the itsme® app: install date, name, release",
        "account" => "the itsme® account: activation date and mechanism",
        "identification_mode" => "how the user was identified (QR, MSISDN, a2a, …)",
        "transaction_ip" => "IP address of the user's phone during the transaction",
        "ongoing_call" => "whether a phone call was ongoing during the transaction",
        _ => return None,
    })
}

/// Whether a claim is a metadata claim (an object keyed by the claims it qualifies, PROTOCOL §6).
pub fn is_metadata(claim: &str) -> bool {
    lookup(claim).is_some_and(|c| c.metadata)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_catalogue_parses_and_every_claim_has_a_meaning() {
        assert_eq!(all().len(), 48);
        for claim in all() {
            assert!(
                meaning(&claim.claim).is_some(),
                "no meaning for {}",
                claim.claim
            );
            assert_eq!(claim.availability.len(), 32, "{}", claim.claim);
        }
    }

    #[test]
    fn slovenian_alias_is_accepted() {
        let sv = "http://itsme.services/v2/claim/SVNationalNumber";
        assert_eq!(
            lookup(sv).map(|c| c.claim.as_str()),
            Some("http://itsme.services/v2/claim/SINationalNumber")
        );
        assert!(meaning(sv).is_some());
    }

    #[test]
    fn aliases_resolve_under_either_form_of_the_name() {
        assert_eq!(canonical_claim_name("SVNationalNumber"), "SINationalNumber");
        assert_eq!(
            canonical_claim_name("http://itsme.services/v2/claim/SVNationalNumber"),
            "http://itsme.services/v2/claim/SINationalNumber"
        );
        assert_eq!(canonical_claim_name("given_name"), "given_name");
        for (alias, canonical) in CLAIM_ALIASES {
            let full = format!("{}{canonical}", super::super::CLAIM_PREFIX);
            assert!(
                lookup(&full).is_some(),
                "{alias} stands for a catalogue claim"
            );
        }
    }

    /// The map read from the catalogue is the one PROTOCOL §4 states, scope by scope.
    #[test]
    fn scope_claims_match_protocol_section_4() {
        let itsme = |name: &str| format!("http://itsme.services/v2/claim/{name}");
        let documented: Vec<(&str, Vec<String>)> = vec![
            (
                "profile",
                [
                    "family_name",
                    "given_name",
                    "name",
                    "gender",
                    "locale",
                    "picture",
                    "birthdate",
                ]
                .map(String::from)
                .to_vec(),
            ),
            ("email", vec!["email".into(), "email_verified".into()]),
            ("address", vec!["address".into()]),
            (
                "phone",
                vec!["phone_number".into(), "phone_number_verified".into()],
            ),
            (
                "idDocument",
                [
                    "IDDocumentSN",
                    "IDDocumentType",
                    "IDIssuingCountry",
                    "validityFrom",
                    "validityTo",
                ]
                .map(itsme)
                .to_vec(),
            ),
            ("eid", ["BENationalNumber", "BEeidSn"].map(itsme).to_vec()),
        ];
        assert_eq!(scope_claims().len(), documented.len());
        for (scope, claims) in documented {
            let mut derived: Vec<&str> = claims_of_scope(scope).expect(scope).to_vec();
            let mut claims: Vec<&str> = claims.iter().map(String::as_str).collect();
            derived.sort_unstable();
            claims.sort_unstable();
            assert_eq!(derived, claims, "scope {scope}");
        }
        assert_eq!(claims_of_scope("openid"), None);
    }

    #[test]
    fn metadata_claims_are_flagged() {
        assert!(is_metadata("http://itsme.services/v2/claim/validityTo"));
        assert!(!is_metadata("http://itsme.services/v2/claim/BEeidSn"));
    }
}
