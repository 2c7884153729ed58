//! The checks of the partner's hosted JWK Set (PROTOCOL §3): served anonymously and fast, public
//! members only ([`crate::key_rules`]), every local key published, cached long enough.

use super::facts::{JwksFact, Setup};
use super::{Check, CheckId, Status};
use crate::jose::keys::{PrivateKey, PublicKeySet};

/// The checks after `jwks_hosting`, skipped together when there is no set to inspect.
const INSPECTIONS: [CheckId; 3] = [
    CheckId::JwksPrivateMembers,
    CheckId::JwksMatchesKeys,
    CheckId::JwksCacheControl,
];

fn skip_inspections(why: &str) -> impl Iterator<Item = Check> + '_ {
    INSPECTIONS.into_iter().map(move |id| Check::skip(id, why))
}

/// `jwks_hosting`, `jwks_private_members`, `jwks_matches_keys`, `jwks_cache_control`. `keys` are
/// the partner's private keys (none when not given or unreadable).
pub fn checks(setup: &Setup, keys: &[PrivateKey], fact: &JwksFact) -> Vec<Check> {
    let uri = setup.jwks_uri.as_deref().unwrap_or_default();
    let mut out = Vec::new();
    let (status, elapsed, body, cache_control) = match fact {
        JwksFact::NotGiven => {
            let why = if setup.key_files.is_empty() {
                "no jwks_uri: client-secret setups publish none"
            } else {
                "no --jwks-uri given"
            };
            out.push(Check::skip(CheckId::JwksHosting, why));
            out.extend(skip_inspections(why));
            return out;
        }
        JwksFact::NotAllowed => {
            out.push(Check::new(
                CheckId::JwksHosting,
                Status::Fail,
                format!("`{uri}` is not an https URL"),
                Some("itsme® fetches your keys over https only"),
            ));
            out.extend(skip_inspections("the jwks_uri is unusable"));
            return out;
        }
        JwksFact::Unreachable(why) => {
            out.push(Check::new(
                CheckId::JwksHosting,
                Status::Fail,
                why.clone(),
                Some("itsme® must reach it anonymously over the internet"),
            ));
            out.extend(skip_inspections("the JWK Set could not be fetched"));
            return out;
        }
        JwksFact::Answered {
            status,
            elapsed,
            body,
            cache_control,
        } => (*status, elapsed, body, cache_control.as_deref()),
    };
    let ms = elapsed.as_millis();
    let set = PublicKeySet::parse(body);
    out.push(match (&set, status) {
        (_, status) if status != 200 => Check::new(
            CheckId::JwksHosting,
            Status::Fail,
            format!("answered HTTP {status}"),
            Some("serve the JWK Set publicly, without login"),
        ),
        (Err(e), _) => Check::new(
            CheckId::JwksHosting,
            Status::Fail,
            format!("the answer is not a JWK Set: {e}"),
            Some("serve the public JWK Set JSON (itsme-cli keys public)"),
        ),
        (Ok(_), _) if ms < 1000 => Check::new(
            CheckId::JwksHosting,
            Status::Pass,
            format!("answers anonymously with a JWK Set in {ms} ms"),
            None,
        ),
        (Ok(_), _) => Check::new(
            CheckId::JwksHosting,
            Status::Warn,
            format!("answers, but took {ms} ms; itsme® expects well under 1000 ms"),
            Some("serve the file from a fast static host or CDN"),
        ),
    });
    let Ok(set) = set else {
        out.extend(skip_inspections("no JWK Set to inspect"));
        return out;
    };
    out.push(private_members(&set));
    out.push(matches_keys(&set, keys));
    out.push(cache(cache_control));
    out
}

/// No compromised key in the published set: no private members ([`crate::key_rules::leaks`]),
/// none of Belgian Mobile ID's published sample keys, whose private parts everyone has
/// ([`crate::key_rules::published_samples`]), no key the strength rule refuses, with which anyone
/// could sign as you ([`crate::key_rules::refused_keys`]); small exponents warn.
pub fn private_members(set: &PublicKeySet) -> Check {
    let leaked: Vec<String> = crate::key_rules::leaks(set)
        .iter()
        .map(|leak| format!("{} ({})", leak.key.label(), leak.members.join(", ")))
        .collect();
    let mut known = crate::key_rules::published_samples(set);
    known.extend(crate::key_rules::refused_keys(set));
    let doubtful: Vec<String> = set
        .keys
        .iter()
        .flat_map(|key| {
            crate::key_rules::public_key_weaknesses(key)
                .into_iter()
                .filter(|w| !w.refused())
                .map(move |w| format!("{}: {}", crate::key_rules::key_name(key), w.reason()))
        })
        .collect();
    if leaked.is_empty() && !known.is_empty() {
        return Check::new(
            CheckId::JwksPrivateMembers,
            Status::Fail,
            format!("published keys anyone can use: {}", known.join("; ")),
            Some(
                "replace these keys: generate new ones (itsme-cli keys generate), publish their `keys public`, and tell itsme®",
            ),
        );
    }
    if leaked.is_empty() && !doubtful.is_empty() {
        return Check::new(
            CheckId::JwksPrivateMembers,
            Status::Warn,
            format!("public members only, but {}", doubtful.join("; ")),
            Some("`itsme-cli keys generate` makes keys with e = 65537"),
        );
    }
    if leaked.is_empty() {
        Check::new(
            CheckId::JwksPrivateMembers,
            Status::Pass,
            "public members only",
            None,
        )
    } else {
        Check::new(
            CheckId::JwksPrivateMembers,
            Status::Fail,
            format!(
                "private key material is published: {}",
                leaked
                    .into_iter()
                    .chain(known)
                    .collect::<Vec<_>>()
                    .join("; ")
            ),
            Some(
                "these keys are compromised: generate new ones (itsme-cli keys generate), publish only `keys public`, and tell itsme®; unpublishing alone is not enough",
            ),
        )
    }
}

/// Every local key is published: same kid, RSA, same key (thumbprint) and same use.
pub fn matches_keys(set: &PublicKeySet, keys: &[PrivateKey]) -> Check {
    if keys.is_empty() {
        return Check::skip(CheckId::JwksMatchesKeys, "no --keys to compare with");
    }
    let missing: Vec<String> = keys
        .iter()
        .filter(|k| {
            !set.keys.iter().any(|p| {
                p.kid.as_deref() == Some(k.kid.as_str())
                    && p.kty == "RSA"
                    && p.thumbprint().as_deref() == Some(k.thumbprint().as_str())
                    && p.key_use == k.key_use
            })
        })
        .map(|k| format!("`{}` ({})", k.kid, k.key_use.as_deref().unwrap_or("no use")))
        .collect();
    if missing.is_empty() {
        Check::new(
            CheckId::JwksMatchesKeys,
            Status::Pass,
            format!(
                "all {} local keys are published with the same kid and use",
                keys.len()
            ),
            None,
        )
    } else {
        Check::new(
            CheckId::JwksMatchesKeys,
            Status::Fail,
            format!(
                "not published (or with another kid, use or key): {}",
                missing.join(", ")
            ),
            Some("publish the output of `itsme-cli keys public` for these keys"),
        )
    }
}

/// The `max-age` of a `Cache-Control` header, if any.
pub fn max_age(cache_control: &str) -> Option<u64> {
    cache_control.split(',').find_map(|d| {
        d.trim()
            .strip_prefix("max-age=")?
            .trim()
            .parse::<u64>()
            .ok()
    })
}

/// itsme® caches partner keys for 30 minutes to 24 hours: `max-age` of 1800 s or more.
pub fn cache(cache_control: Option<&str>) -> Check {
    match cache_control.and_then(max_age) {
        Some(age) if age >= 1800 => Check::new(
            CheckId::JwksCacheControl,
            Status::Pass,
            format!("Cache-Control max-age={age}"),
            None,
        ),
        other => Check::new(
            CheckId::JwksCacheControl,
            Status::Warn,
            match other {
                Some(age) => format!("Cache-Control max-age={age} (< 1800)"),
                None => "no Cache-Control max-age".into(),
            },
            Some(
                "itsme® caches your keys for 30 minutes to 24 hours; `Cache-Control: max-age=1800` or more makes key changes predictable",
            ),
        ),
    }
}
