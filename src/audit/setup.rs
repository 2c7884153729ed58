//! The offline checks: what the partner gave (PROTOCOL §2–§4).

use url::Url;

use super::facts::{KeysFact, Setup};
use super::{Check, CheckId, Status};
use crate::jose::keys::PrivateKey;
use crate::url_policy::{Transport, transport};

/// The offline checks, in order: client_id, service code, each redirect URI, the keys.
pub fn checks(setup: &Setup, keys: &KeysFact) -> Vec<Check> {
    let mut out = vec![
        client_id(setup.client_id.as_deref()),
        service_code(setup.service_code.as_deref(), setup.service_code_is_default),
    ];
    out.extend(setup.redirect_uris.iter().map(|uri| redirect_uri(uri)));
    if setup.redirect_uris.is_empty() {
        out.push(Check::new(
            CheckId::RedirectUri,
            Status::Fail,
            "no redirect URI given",
            Some("pass your registered --redirect-uri"),
        ));
    }
    out.extend(key_checks(setup, keys));
    out
}

fn plausible(value: &str) -> bool {
    !value.is_empty() && value.len() <= 255 && value.chars().all(|c| c.is_ascii_graphic())
}

/// The client_id: given, and without spaces or unusual characters.
pub fn client_id(id: Option<&str>) -> Check {
    let id_check = CheckId::ClientId;
    match id {
        None => Check::new(
            id_check,
            Status::Fail,
            "no client_id given",
            Some("pass --client-id (the partner code itsme® gave you)"),
        ),
        Some(id) if plausible(id) => Check::new(id_check, Status::Pass, format!("`{id}`"), None),
        Some(id) => Check::new(
            id_check,
            Status::Fail,
            format!(
                "`{}` contains spaces or unusual characters",
                id.escape_debug()
            ),
            Some("copy the client_id exactly as itsme® sent it"),
        ),
    }
}

/// The service code: given (or the default, `itsme::default_service_code`), and without spaces or
/// unusual characters (one per service, PROTOCOL §2).
pub fn service_code(code: Option<&str>, is_default: bool) -> Check {
    let id = CheckId::ServiceCode;
    match code {
        None => Check::new(
            id,
            Status::Fail,
            "no service code given",
            Some(&format!(
                "pass --service-code (default: {})",
                crate::itsme::service_code_default_text()
            )),
        ),
        Some(code) if plausible(code) => Check::new(
            id,
            Status::Pass,
            if is_default {
                format!("`{code}` (scope `service:{code}`), the default against a local sandbox")
            } else {
                format!("`{code}` (scope `service:{code}`)")
            },
            None,
        ),
        Some(code) => Check::new(
            id,
            Status::Fail,
            format!(
                "`{}` contains spaces or unusual characters",
                code.escape_debug()
            ),
            Some("copy the service code exactly as itsme® sent it"),
        ),
    }
}

/// PROTOCOL §4: https, no custom scheme, no fragment, matched byte for byte.
pub fn redirect_uri(uri: &str) -> Check {
    let id = CheckId::RedirectUri;
    let exact = "not checked against the provider here (see `redirect_uri_registered`); itsme® matches it byte for byte";
    let Ok(url) = Url::parse(uri) else {
        return Check::new(
            id,
            Status::Fail,
            format!("`{uri}` is not a URL"),
            Some("give the full registered redirect URI"),
        );
    };
    if url.fragment().is_some() || uri.contains('#') {
        return Check::new(
            id,
            Status::Fail,
            format!("`{uri}` has a #fragment"),
            Some("redirect URIs may not contain a fragment"),
        );
    }
    match transport(&url) {
        Transport::Https => {
            Check::new(id, Status::Pass, format!("`{uri}` is https; {exact}"), None)
        }
        Transport::LoopbackHttp => Check::new(
            id,
            Status::Warn,
            format!("`{uri}` is plain http on this machine: fine for development only; {exact}"),
            Some("register an https redirect URI for production"),
        ),
        Transport::PlainHttp => Check::new(
            id,
            Status::Fail,
            format!("`{uri}` is plain http"),
            Some("itsme® redirect URIs are https"),
        ),
        Transport::OtherScheme(scheme) => Check::new(
            id,
            Status::Fail,
            format!("`{uri}` uses the custom scheme `{scheme}`"),
            Some("itsme® accepts no custom schemes: use an https URI (e.g. an app link)"),
        ),
    }
}

/// `keys_private` and `keys_permissions`, both always named (`keys_permissions` skipped, with the
/// reason, when there are no key files or they could not be read).
pub fn key_checks(setup: &Setup, keys: &KeysFact) -> Vec<Check> {
    if setup.key_files.is_empty() {
        let (status, message) = if setup.client_secret.is_some() {
            (
                Status::Skip,
                "no keys: this setup authenticates with a client secret",
            )
        } else {
            (Status::Fail, "neither --keys nor a client secret given")
        };
        return vec![
            Check::new(
                CheckId::KeysPrivate,
                status,
                message,
                (status == Status::Fail).then_some(
                    "pass --keys PRIVATE.jwks.json (private_key_jwt) or set ITSME_CLIENT_SECRET",
                ),
            ),
            Check::skip(CheckId::KeysPermissions, "no key files"),
        ];
    }
    match keys {
        KeysFact::Unreadable(why) => vec![
            Check::new(
                CheckId::KeysPrivate,
                Status::Fail,
                why.clone(),
                Some("--keys takes your private JWK Set, JWK or PEM"),
            ),
            Check::skip(
                CheckId::KeysPermissions,
                "the key files could not be read (see keys_private)",
            ),
        ],
        KeysFact::Read { keys, exposed } => {
            vec![private_keys(keys), permissions(exposed)]
        }
    }
}

/// PROTOCOL §3: RSA keys, at least one sig and one enc, kids unique; 2048 bits or more, a sound
/// exponent ([`crate::key_rules::private_key_weaknesses`]); none of Belgian Mobile ID's published
/// sample keys ([`crate::key_rules::published_sample`]).
fn private_keys(keys: &[PrivateKey]) -> Check {
    let mut problems = Vec::new();
    let mut remarks = Vec::new();
    for key in keys {
        if let Some(sample) = crate::key_rules::published_sample(&key.thumbprint()) {
            problems.push(format!(
                "key `{}` {}",
                key.kid,
                crate::key_rules::sample_reason(sample)
            ));
        }
        for weakness in crate::key_rules::private_key_weaknesses(key) {
            let line = format!("key `{}`: {}", key.kid, weakness.reason());
            match weakness {
                // Reported below in the words this check always used.
                crate::key_rules::Weakness::ModulusTooSmall { .. } => {}
                _ if weakness.refused() => problems.push(line),
                _ => remarks.push(line),
            }
        }
    }
    let sig = keys.iter().any(|k| k.key_use.as_deref() == Some("sig"));
    let enc = keys.iter().any(|k| k.key_use.as_deref() == Some("enc"));
    if !sig {
        problems.push("no key with `use: sig`".to_string());
    }
    if !enc {
        problems.push("no key with `use: enc`".to_string());
    }
    for key in keys.iter().filter(|k| crate::key_rules::too_small(k.bits)) {
        problems.push(format!(
            "key `{}` has {} bits ({} or more)",
            key.kid,
            key.bits,
            crate::key_rules::MIN_RSA_BITS
        ));
    }
    let mut kids: Vec<&str> = keys.iter().map(|k| k.kid.as_str()).collect();
    kids.sort_unstable();
    if kids.windows(2).any(|w| w[0] == w[1]) {
        problems.push("two keys share a `kid`".into());
    }
    if problems.is_empty() && !remarks.is_empty() {
        Check::new(
            CheckId::KeysPrivate,
            Status::Warn,
            remarks.join("; "),
            Some("`itsme-cli keys generate` makes keys with e = 65537"),
        )
    } else if problems.is_empty() {
        Check::new(
            CheckId::KeysPrivate,
            Status::Pass,
            format!(
                "{} RSA keys, with sig and enc, ≥ 2048 bits, unique kids",
                keys.len()
            ),
            None,
        )
    } else {
        Check::new(
            CheckId::KeysPrivate,
            Status::Fail,
            problems.join("; "),
            Some("`itsme-cli keys generate` makes a correct pair"),
        )
    }
}

fn permissions(exposed: &[std::path::PathBuf]) -> Check {
    if exposed.is_empty() {
        Check::new(
            CheckId::KeysPermissions,
            Status::Pass,
            "private key files are readable by their owner only",
            None,
        )
    } else {
        let files: Vec<String> = exposed
            .iter()
            .map(|p| format!("`{}`", p.display()))
            .collect();
        Check::new(
            CheckId::KeysPermissions,
            Status::Fail,
            format!("{} can be read by other users", files.join(", ")),
            Some("chmod 600 the private key files"),
        )
    }
}
