//! `itsme-cli validate`: is this partner's itsme® setup right, before any user tries it?
//! A checklist (PROTOCOL §1–§4, §8): each check has a stable id, a status, a message and a hint.

use std::path::{Path, PathBuf};

use serde::Serialize;
use serde_json::Value;
use url::Url;

use crate::cli::ValidateArgs;
use crate::error::{Outcome, WithHint, hinted};
use crate::http::{Http, parse_fetch_url};
use crate::itsme::errors::{self, Stage};
use crate::jose::keys::{PrivateKey, PublicKeySet};
use crate::oidc::client_auth::{self, ClientCredentials};
use crate::oidc::discovery::{self, Severity};
use crate::printer::Printer;
use crate::provider::discovery_url;
use crate::secret::Secret;
use crate::settings::Settings;
use crate::tls_class::{self, CertificateClass};
use crate::url_policy::is_loopback_host;

/// A check's outcome.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Fine.
    Pass,
    /// Works, but worth fixing.
    Warn,
    /// itsme® will refuse this.
    Fail,
    /// Not run (offline, or nothing to check).
    Skip,
}

/// One check of the list.
#[derive(Debug, Clone, Serialize)]
pub struct Check {
    /// Stable id.
    pub id: &'static str,
    /// The outcome.
    pub status: Status,
    /// What was found.
    pub message: String,
    /// What to do, when something is to be done.
    pub hint: Option<String>,
}

/// What `validate` reports (its JSON output).
#[derive(Debug, Serialize)]
pub struct ValidateReport {
    /// No check failed.
    pub valid: bool,
    /// The checks, in order.
    pub checks: Vec<Check>,
}

/// Every check id `validate` can report, in the order the checks run: the offline ones, then the
/// online ones. Ids are stable (docs/validate.md); the troubleshooting guide is checked against
/// this list, and debug builds refuse to report an id missing from it.
pub const CHECK_IDS: &[&str] = &[
    "client_id",
    "service_code",
    "redirect_uri",
    "keys_private",
    "keys_permissions",
    "discovery",
    "jwks_hosting",
    "jwks_private_members",
    "jwks_matches_keys",
    "jwks_cache_control",
    "tls_certificate_class",
    "credentials_probe",
    "clock",
];

struct Checks(Vec<Check>);

impl Checks {
    fn add(
        &mut self,
        id: &'static str,
        status: Status,
        message: impl Into<String>,
        hint: Option<&str>,
    ) {
        debug_assert!(
            CHECK_IDS.contains(&id),
            "check id `{id}` is not in CHECK_IDS"
        );
        self.0.push(Check {
            id,
            status,
            message: message.into(),
            hint: hint.map(str::to_string),
        });
    }
}

/// The checks `--offline` skips: the last ones of [`CHECK_IDS`].
const ONLINE: &[&str] = CHECK_IDS.split_at(5).1;

/// What `validate` checks: the resolved settings and its own flags.
#[derive(Debug, Clone, Default)]
struct Setup {
    issuer: Option<String>,
    client_id: Option<String>,
    service_code: Option<String>,
    redirect_uris: Vec<String>,
    keys: Vec<PathBuf>,
    client_secret: Option<Secret>,
    jwks_uri: Option<String>,
    offline: bool,
    ca_file: Option<PathBuf>,
}

impl Setup {
    fn new(args: &ValidateArgs, settings: &Settings) -> Self {
        Setup {
            issuer: settings.issuer().map(str::to_string),
            client_id: settings.client_id().map(str::to_string),
            service_code: settings.service_code().map(str::to_string),
            redirect_uris: settings.redirect_uris().to_vec(),
            keys: settings.keys().to_vec(),
            client_secret: settings.client_secret().cloned(),
            jwks_uri: settings.jwks_uri().map(str::to_string),
            offline: args.offline,
            ca_file: args.ca_file.clone(),
        }
    }
}

/// Runs the command with the resolved settings.
pub fn run(args: &ValidateArgs, settings: &Settings, printer: &Printer) -> anyhow::Result<Outcome> {
    let args = &Setup::new(args, settings);
    let mut checks = Checks(Vec::new());
    check_identifiers(args, &mut checks);
    for uri in &args.redirect_uris {
        check_redirect_uri(uri, &mut checks);
    }
    if args.redirect_uris.is_empty() {
        checks.add(
            "redirect_uri",
            Status::Fail,
            "no redirect URI given",
            Some("pass your registered --redirect-uri"),
        );
    }
    let keys = check_keys(args, printer, &mut checks);
    if args.offline {
        for &id in ONLINE {
            checks.add(id, Status::Skip, "skipped (--offline)", None);
        }
    } else {
        online(args, &keys, &mut checks)?;
    }
    let valid = checks.0.iter().all(|c| c.status != Status::Fail);
    let report = ValidateReport {
        valid,
        checks: checks.0,
    };
    printer.result(&report, crate::printer::validate::render)?;
    Ok(Outcome::from_bool(valid))
}

fn plausible(value: &str) -> bool {
    !value.is_empty() && value.len() <= 255 && value.chars().all(|c| c.is_ascii_graphic())
}

fn check_identifiers(args: &Setup, checks: &mut Checks) {
    match args.client_id.as_deref() {
        None => checks.add(
            "client_id",
            Status::Fail,
            "no client_id given",
            Some("pass --client-id (the partner code itsme® gave you)"),
        ),
        Some(id) if plausible(id) => checks.add("client_id", Status::Pass, format!("`{id}`"), None),
        Some(id) => checks.add(
            "client_id",
            Status::Fail,
            format!(
                "`{}` contains spaces or unusual characters",
                id.escape_debug()
            ),
            Some("copy the client_id exactly as itsme® sent it"),
        ),
    }
    match args.service_code.as_deref() {
        None => checks.add(
            "service_code",
            Status::Fail,
            "no service code given",
            Some("pass --service-code (one per service, PROTOCOL §2)"),
        ),
        Some(code) if plausible(code) => checks.add(
            "service_code",
            Status::Pass,
            format!("`{code}` (scope `service:{code}`)"),
            None,
        ),
        Some(code) => checks.add(
            "service_code",
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
fn check_redirect_uri(uri: &str, checks: &mut Checks) {
    let exact = "itsme® compares it byte for byte with the registered one: case, trailing slash and query count";
    let Ok(url) = Url::parse(uri) else {
        checks.add(
            "redirect_uri",
            Status::Fail,
            format!("`{uri}` is not a URL"),
            Some("give the full registered redirect URI"),
        );
        return;
    };
    if url.fragment().is_some() || uri.contains('#') {
        checks.add(
            "redirect_uri",
            Status::Fail,
            format!("`{uri}` has a #fragment"),
            Some("redirect URIs may not contain a fragment"),
        );
    } else if url.scheme() == "https" {
        checks.add(
            "redirect_uri",
            Status::Pass,
            format!("`{uri}` is https; {exact}"),
            None,
        );
    } else if url.scheme() == "http" && is_loopback_host(&url) {
        checks.add(
            "redirect_uri",
            Status::Warn,
            format!("`{uri}` is plain http on this machine: fine for development only"),
            Some("register an https redirect URI for production"),
        );
    } else if url.scheme() == "http" {
        checks.add(
            "redirect_uri",
            Status::Fail,
            format!("`{uri}` is plain http"),
            Some("itsme® redirect URIs are https"),
        );
    } else {
        checks.add(
            "redirect_uri",
            Status::Fail,
            format!("`{uri}` uses the custom scheme `{}`", url.scheme()),
            Some("itsme® accepts no custom schemes: use an https URI (e.g. an app link)"),
        );
    }
}

fn check_keys(args: &Setup, printer: &Printer, checks: &mut Checks) -> Vec<PrivateKey> {
    if args.keys.is_empty() {
        let (status, message) = if args.client_secret.is_some() {
            (
                Status::Skip,
                "no keys: this setup authenticates with a client secret",
            )
        } else {
            (Status::Fail, "neither --keys nor a client secret given")
        };
        checks.add(
            "keys_private",
            status,
            message,
            (status == Status::Fail).then_some(
                "pass --keys PRIVATE.jwks.json (private_key_jwt) or set ITSME_CLIENT_SECRET",
            ),
        );
        checks.add("keys_permissions", Status::Skip, "no key files", None);
        return Vec::new();
    }
    let mut keys = Vec::new();
    for path in &args.keys {
        match super::read_private_keys(path, &Printer::new(printer.format)) {
            Ok(found) => keys.extend(found),
            Err(e) => {
                checks.add(
                    "keys_private",
                    Status::Fail,
                    format!("{e:#}"),
                    Some("--keys takes your private JWK Set, JWK or PEM"),
                );
                return Vec::new();
            }
        }
    }
    // PROTOCOL §3: RSA keys, at least one sig and one enc, kids unique; 2048 bits or more.
    let mut problems = Vec::new();
    let sig = keys.iter().any(|k| k.key_use.as_deref() == Some("sig"));
    let enc = keys.iter().any(|k| k.key_use.as_deref() == Some("enc"));
    if !sig {
        problems.push("no key with `use: sig`".to_string());
    }
    if !enc {
        problems.push("no key with `use: enc`".to_string());
    }
    for key in keys.iter().filter(|k| k.bits < 2048) {
        problems.push(format!(
            "key `{}` has {} bits (2048 or more)",
            key.kid, key.bits
        ));
    }
    let mut kids: Vec<&str> = keys.iter().map(|k| k.kid.as_str()).collect();
    kids.sort_unstable();
    if kids.windows(2).any(|w| w[0] == w[1]) {
        problems.push("two keys share a `kid`".into());
    }
    if problems.is_empty() {
        checks.add(
            "keys_private",
            Status::Pass,
            format!(
                "{} RSA keys, with sig and enc, ≥ 2048 bits, unique kids",
                keys.len()
            ),
            None,
        );
    } else {
        checks.add(
            "keys_private",
            Status::Fail,
            problems.join("; "),
            Some("`itsme-cli keys generate` makes a correct pair"),
        );
    }
    let exposed: Vec<String> = args
        .keys
        .iter()
        .filter(|p| readable_by_others(p))
        .map(|p| format!("`{}`", p.display()))
        .collect();
    if exposed.is_empty() {
        checks.add(
            "keys_permissions",
            Status::Pass,
            "private key files are readable by their owner only",
            None,
        );
    } else {
        checks.add(
            "keys_permissions",
            Status::Fail,
            format!("{} can be read by other users", exposed.join(", ")),
            Some("chmod 600 the private key files"),
        );
    }
    keys
}

#[cfg(unix)]
fn readable_by_others(path: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).is_ok_and(|m| m.permissions().mode() & 0o077 != 0)
}

#[cfg(not(unix))]
fn readable_by_others(_path: &Path) -> bool {
    false
}

fn online(args: &Setup, keys: &[PrivateKey], checks: &mut Checks) -> anyhow::Result<()> {
    let http = match &args.ca_file {
        // The private CA is trusted by every fetch, not only by the certificate-class check.
        Some(path) => Http::trusting(extra_roots(path)?)?,
        None => Http::new()?,
    };
    let issuer = args.issuer.clone();
    let mut token_endpoint = None;
    match &issuer {
        None => {
            checks.add(
                "discovery",
                Status::Fail,
                "no provider given",
                Some("pass --env e2e|prd or --issuer URL"),
            );
            checks.add("clock", Status::Skip, "no provider to compare with", None);
        }
        Some(issuer) => match discover(&http, issuer) {
            Ok((metadata, date)) => {
                let findings = discovery::check(&metadata, issuer, None);
                let errors: Vec<&str> = findings
                    .iter()
                    .filter(|f| f.severity == Severity::Error)
                    .map(|f| f.code)
                    .collect();
                let warnings: Vec<&str> = findings
                    .iter()
                    .filter(|f| f.severity == Severity::Warning)
                    .map(|f| f.code)
                    .collect();
                if !errors.is_empty() {
                    checks.add(
                        "discovery",
                        Status::Fail,
                        format!("the provider's metadata has errors: {}", errors.join(", ")),
                        Some("see `itsme-cli discovery --check` for details"),
                    );
                } else if !warnings.is_empty() {
                    checks.add(
                        "discovery",
                        Status::Warn,
                        format!("reachable; remarks: {}", warnings.join(", ")),
                        Some("see `itsme-cli discovery --check`"),
                    );
                } else {
                    checks.add(
                        "discovery",
                        Status::Pass,
                        format!("`{issuer}` is reachable and its metadata passes the checks"),
                        None,
                    );
                }
                token_endpoint = metadata
                    .get("token_endpoint")
                    .and_then(Value::as_str)
                    .and_then(|t| parse_fetch_url(t, "token_endpoint").ok());
                check_clock(date.as_deref(), checks);
            }
            Err(e) => {
                checks.add(
                    "discovery",
                    Status::Fail,
                    format!("{e:#}"),
                    Some("check --env/--issuer and your network"),
                );
                checks.add(
                    "clock",
                    Status::Skip,
                    "no provider answer to compare with",
                    None,
                );
            }
        },
    }
    check_jwks(args, keys, &http, checks);
    check_tls(args, checks);
    probe_credentials(args, keys, token_endpoint.as_ref(), &http, checks);
    Ok(())
}

fn discover(
    http: &Http,
    issuer: &str,
) -> anyhow::Result<(serde_json::Map<String, Value>, Option<String>)> {
    let url = discovery_url(issuer)?;
    let response = http.get(&url, "application/json")?;
    if response.status != 200 {
        anyhow::bail!("`{url}` answered HTTP {}", response.status);
    }
    let Ok(Value::Object(metadata)) = serde_json::from_slice::<Value>(&response.body) else {
        anyhow::bail!("`{url}` is not a JSON object");
    };
    Ok((metadata, response.header("date").map(str::to_string)))
}

/// Client assertions carry `exp`: a skewed clock makes them look expired or not yet valid.
fn check_clock(date: Option<&str>, checks: &mut Checks) {
    let Some(date) = date else {
        checks.add(
            "clock",
            Status::Skip,
            "the provider sent no Date header",
            None,
        );
        return;
    };
    let format = time::format_description::well_known::Rfc2822;
    let Ok(theirs) = time::OffsetDateTime::parse(date, &format) else {
        checks.add(
            "clock",
            Status::Skip,
            format!("the provider's Date header `{date}` is not a date"),
            None,
        );
        return;
    };
    let skew = crate::timefmt::now() - theirs.unix_timestamp();
    let text = format!(
        "this machine's clock is {} the provider's",
        if skew.abs() <= 2 {
            "in step with".to_string()
        } else {
            format!(
                "{} {}",
                crate::timefmt::duration(skew),
                if skew > 0 { "ahead of" } else { "behind" }
            )
        }
    );
    let (status, hint) = match skew.abs() {
        0..=30 => (Status::Pass, None),
        31..=120 => (
            Status::Warn,
            Some("synchronise the clock (NTP): client assertions carry `exp`"),
        ),
        _ => (
            Status::Fail,
            Some("synchronise the clock (NTP): with this skew client assertions are refused"),
        ),
    };
    checks.add("clock", status, text, hint);
}

fn check_jwks(args: &Setup, keys: &[PrivateKey], http: &Http, checks: &mut Checks) {
    let skip_all = |checks: &mut Checks, why: &str| {
        for id in [
            "jwks_hosting",
            "jwks_private_members",
            "jwks_matches_keys",
            "jwks_cache_control",
        ] {
            checks.add(id, Status::Skip, why, None);
        }
    };
    let Some(uri) = &args.jwks_uri else {
        let why = if args.keys.is_empty() {
            "no jwks_uri: client-secret setups publish none"
        } else {
            "no --jwks-uri given"
        };
        skip_all(checks, why);
        return;
    };
    let url = match Url::parse(uri) {
        Ok(url)
            if url.scheme() == "https" || (url.scheme() == "http" && is_loopback_host(&url)) =>
        {
            url
        }
        Ok(_) | Err(_) => {
            checks.add(
                "jwks_hosting",
                Status::Fail,
                format!("`{uri}` is not an https URL"),
                Some("itsme® fetches your keys over https only"),
            );
            skip_all(checks, "the jwks_uri is unusable");
            checks
                .0
                .retain(|c| !(c.id == "jwks_hosting" && c.status == Status::Skip));
            return;
        }
    };
    let response = match http.get(&url, "application/jwk-set+json, application/json") {
        Ok(r) => r,
        Err(e) => {
            checks.add(
                "jwks_hosting",
                Status::Fail,
                format!("{e:#}"),
                Some("itsme® must reach it anonymously over the internet"),
            );
            for id in [
                "jwks_private_members",
                "jwks_matches_keys",
                "jwks_cache_control",
            ] {
                checks.add(id, Status::Skip, "the JWK Set could not be fetched", None);
            }
            return;
        }
    };
    let ms = response.elapsed.as_millis();
    let set = PublicKeySet::parse(&response.body);
    match (&set, response.status) {
        (Ok(_), 200) if ms < 1000 => checks.add(
            "jwks_hosting",
            Status::Pass,
            format!("answers anonymously with a JWK Set in {ms} ms"),
            None,
        ),
        (Ok(_), 200) => checks.add(
            "jwks_hosting",
            Status::Warn,
            format!("answers, but took {ms} ms; itsme® expects well under 1000 ms"),
            Some("serve the file from a fast static host or CDN"),
        ),
        (_, status) if status != 200 => checks.add(
            "jwks_hosting",
            Status::Fail,
            format!("answered HTTP {status}"),
            Some("serve the JWK Set publicly, without login"),
        ),
        (Err(e), _) => checks.add(
            "jwks_hosting",
            Status::Fail,
            format!("the answer is not a JWK Set: {e}"),
            Some("serve the public JWK Set JSON (itsme-cli keys public)"),
        ),
        _ => {}
    }
    let Ok(set) = set else {
        for id in [
            "jwks_private_members",
            "jwks_matches_keys",
            "jwks_cache_control",
        ] {
            checks.add(id, Status::Skip, "no JWK Set to inspect", None);
        }
        return;
    };
    let leaked: Vec<String> = set
        .keys
        .iter()
        .filter(|k| !k.private_members.is_empty())
        .map(|k| format!("{} ({})", k.label(), k.private_members.join(", ")))
        .collect();
    if leaked.is_empty() {
        checks.add(
            "jwks_private_members",
            Status::Pass,
            "public members only",
            None,
        );
    } else {
        checks.add(
            "jwks_private_members",
            Status::Fail,
            format!("private key material is published: {}", leaked.join("; ")),
            Some("these keys are compromised: generate new ones (itsme-cli keys generate), publish only `keys public`, and tell itsme®; unpublishing alone is not enough"),
        );
    }
    if keys.is_empty() {
        checks.add(
            "jwks_matches_keys",
            Status::Skip,
            "no --keys to compare with",
            None,
        );
    } else {
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
            checks.add(
                "jwks_matches_keys",
                Status::Pass,
                format!(
                    "all {} local keys are published with the same kid and use",
                    keys.len()
                ),
                None,
            );
        } else {
            checks.add(
                "jwks_matches_keys",
                Status::Fail,
                format!(
                    "not published (or with another kid, use or key): {}",
                    missing.join(", ")
                ),
                Some("publish the output of `itsme-cli keys public` for these keys"),
            );
        }
    }
    let max_age = response.header("cache-control").and_then(|c| {
        c.split(',').find_map(|d| {
            d.trim()
                .strip_prefix("max-age=")?
                .trim()
                .parse::<u64>()
                .ok()
        })
    });
    match max_age {
        Some(age) if age >= 1800 => checks.add("jwks_cache_control", Status::Pass, format!("Cache-Control max-age={age}"), None),
        other => checks.add(
            "jwks_cache_control",
            Status::Warn,
            match other {
                Some(age) => format!("Cache-Control max-age={age} (< 1800)"),
                None => "no Cache-Control max-age".into(),
            },
            Some("itsme® caches your keys for 30 minutes to 24 hours; `Cache-Control: max-age=1800` or more makes key changes predictable"),
        ),
    }
}

/// DV certificates are refused by itsme® (PROTOCOL §3); OV and EV pass; the chain must be complete.
fn check_tls(args: &Setup, checks: &mut Checks) {
    let mut urls: Vec<String> = args.jwks_uri.iter().cloned().collect();
    urls.extend(args.redirect_uris.iter().cloned());
    let mut hosts: Vec<(String, u16)> = Vec::new();
    for text in &urls {
        if let Ok(url) = Url::parse(text)
            && url.scheme() == "https"
            && let Some(host) = url.host_str()
        {
            let entry = (
                host.trim_matches(['[', ']']).to_string(),
                url.port_or_known_default().unwrap_or(443),
            );
            if !hosts.contains(&entry) {
                hosts.push(entry);
            }
        }
    }
    if hosts.is_empty() {
        checks.add(
            "tls_certificate_class",
            Status::Skip,
            "no https jwks_uri or redirect URI to check",
            None,
        );
        return;
    }
    for (host, port) in hosts {
        match tls_class::inspect_server(&host, port, args.ca_file.as_deref()) {
            Ok(cert) if !cert.chain_verified => checks.add(
                "tls_certificate_class",
                Status::Fail,
                format!("{host}: the certificate chain does not verify: {}", cert.verify_error.unwrap_or_default()),
                Some("serve the full chain (leaf and intermediates) with a certificate for this host name"),
            ),
            Ok(cert) => match cert.class {
                CertificateClass::DomainValidated => checks.add("tls_certificate_class", Status::Fail, format!("{host}: Domain-Validated certificate (issuer {})", cert.issuer), Some("itsme® refuses DV certificates such as Let's Encrypt: use an OV or EV certificate")),
                CertificateClass::OrganizationValidated | CertificateClass::ExtendedValidation => checks.add("tls_certificate_class", Status::Pass, format!("{host}: {:?} certificate, chain complete", cert.class), None),
                other => checks.add("tls_certificate_class", Status::Warn, format!("{host}: {other:?} certificate: no OV or EV policy found"), Some("itsme® requires an Organization- or Extended-Validated certificate")),
            },
            Err(e) => checks.add("tls_certificate_class", Status::Fail, format!("{host}: {e:#}"), Some("the host must be reachable over https")),
        }
    }
}

/// One token request with a deliberately invalid code: `invalid_grant` means the provider
/// authenticated the client; `invalid_client` / `unauthorized_client` means it did not (PROTOCOL §8).
fn probe_credentials(
    args: &Setup,
    keys: &[PrivateKey],
    token_endpoint: Option<&Url>,
    http: &Http,
    checks: &mut Checks,
) {
    let (Some(client_id), Some(endpoint)) = (&args.client_id, token_endpoint) else {
        checks.add(
            "credentials_probe",
            Status::Skip,
            "needs a client_id and the provider's token endpoint",
            None,
        );
        return;
    };
    let secret = args.client_secret.clone();
    let signer = keys.iter().find(|k| k.key_use.as_deref() == Some("sig"));
    let credentials = match (signer, &secret) {
        (Some(key), _) => ClientCredentials::PrivateKeyJwt(key),
        (None, Some(secret)) => ClientCredentials::Secret(secret),
        (None, None) => {
            checks.add(
                "credentials_probe",
                Status::Skip,
                "no signing key or client secret to authenticate with",
                None,
            );
            return;
        }
    };
    let redirect = args.redirect_uris.first().cloned().unwrap_or_default();
    let mut form = vec![
        ("grant_type", "authorization_code".to_string()),
        ("code", "00000000-0000-0000-0000-000000000000".to_string()),
        ("redirect_uri", redirect),
    ];
    match client_auth::form_fields(
        &credentials,
        client_id,
        endpoint.as_str(),
        crate::timefmt::now(),
    ) {
        Ok(fields) => form.extend(fields),
        Err(e) => {
            checks.add(
                "credentials_probe",
                Status::Fail,
                format!("could not build the client assertion: {e}"),
                None,
            );
            return;
        }
    }
    let sent = "sent one token request with an invalid code";
    match http.post_form(endpoint, &form) {
        Err(e) => checks.add(
            "credentials_probe",
            Status::Fail,
            format!("{sent}, but: {e:#}"),
            Some("the token endpoint must be reachable"),
        ),
        Ok(response) => {
            let body: Value = serde_json::from_slice(&response.body).unwrap_or(Value::Null);
            let error = body.get("error").and_then(Value::as_str).unwrap_or("");
            match error {
                "invalid_grant" => checks.add("credentials_probe", Status::Pass, format!("{sent}: the provider authenticated the client and refused only the code (`invalid_grant`)"), None),
                "invalid_client" | "unauthorized_client" => checks.add(
                    "credentials_probe",
                    Status::Fail,
                    format!("{sent}: the provider refused the client (`{error}`)"),
                    errors::explain(Stage::Token, error).map(|e| e.hint),
                ),
                _ => checks.add("credentials_probe", Status::Warn, format!("{sent}: unexpected answer HTTP {} `{error}`", response.status), Some("compare with PROTOCOL §8; the provider may behave differently than documented")),
            }
        }
    }
}

/// The certificates of a `--ca-file` PEM bundle.
fn extra_roots(path: &Path) -> anyhow::Result<Vec<reqwest::Certificate>> {
    let pem = std::fs::read(path).hint(
        format!("could not read the --ca-file `{}`", path.display()),
        "give a PEM file of CA certificates",
    )?;
    let roots = reqwest::Certificate::from_pem_bundle(&pem).hint(
        format!("`{}` is not a PEM bundle of certificates", path.display()),
        "give a PEM file of CA certificates (-----BEGIN CERTIFICATE-----)",
    )?;
    if roots.is_empty() {
        return Err(hinted(
            format!("`{}` holds no certificate", path.display()),
            "give a PEM file of CA certificates (-----BEGIN CERTIFICATE-----)",
        ));
    }
    Ok(roots)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tls_class::tests::{leaf, pem_file, root, serve_once};

    fn args(jwks_uri: String, ca_file: PathBuf) -> Setup {
        Setup {
            jwks_uri: Some(jwks_uri),
            ca_file: Some(ca_file),
            ..Setup::default()
        }
    }

    #[test]
    fn every_reported_id_is_listed() {
        // Offline checks, run for real on good and bad settings.
        let mut checks = Checks(Vec::new());
        let mut settings = args(String::new(), PathBuf::new());
        check_identifiers(&settings, &mut checks);
        settings.client_id = Some("my partner".into());
        settings.service_code = Some("LOGIN".into());
        check_identifiers(&settings, &mut checks);
        for uri in [
            "https://app.example/cb",
            "http://127.0.0.1:8765/cb",
            "http://app.example/cb",
            "myapp://cb",
            "https://app.example/cb#x",
            "not a url",
        ] {
            check_redirect_uri(uri, &mut checks);
        }
        check_keys(
            &settings,
            &Printer::new(crate::printer::OutputFormat::Json),
            &mut checks,
        );
        check_clock(None, &mut checks);
        check_clock(Some("Thu, 01 Jan 1970 00:00:00 GMT"), &mut checks);
        for check in &checks.0 {
            assert!(CHECK_IDS.contains(&check.id), "`{}`", check.id);
        }
        for &id in ONLINE {
            assert!(CHECK_IDS.contains(&id), "`{id}`");
        }
        // Every literal id given to `Checks::add`, or listed for a loop over ids, is in the list,
        // and every listed id is reported somewhere.
        let source = include_str!("validate.rs");
        let code = &source
            [source.find("const ONLINE").unwrap()..source.find("#[cfg(test)]\nmod tests").unwrap()];
        let mut literal_ids = Vec::new();
        for marker in ["add(", "for id in ["] {
            for (at, _) in code.match_indices(marker) {
                let mut rest = code[at + marker.len()..].trim_start();
                while let Some(literal) = rest.strip_prefix('"') {
                    let end = literal.find('"').unwrap();
                    literal_ids.push(&literal[..end]);
                    rest = literal[end + 1..]
                        .trim_start()
                        .trim_start_matches(',')
                        .trim_start();
                    if marker == "add(" {
                        break;
                    }
                }
            }
        }
        for id in &literal_ids {
            assert!(
                CHECK_IDS.contains(id),
                "`{id}` is reported but not in CHECK_IDS"
            );
        }
        for id in CHECK_IDS {
            assert!(
                literal_ids.contains(id),
                "`{id}` is listed but never reported"
            );
        }
    }

    #[test]
    fn certificate_classes_map_to_itsme_verdicts() {
        let ca = root();
        let ca_pem = pem_file(&[&ca.cert]);
        for (oids, expected) in [
            (vec!["2.23.140.1.2.1"], Status::Fail),
            (vec!["2.23.140.1.2.2"], Status::Pass),
            (vec!["2.23.140.1.1"], Status::Pass),
            (vec![], Status::Warn),
        ] {
            let (cert, key) = leaf(&ca, &oids, true);
            let (port, server) = serve_once(&cert, &key, &[]);
            let mut checks = Checks(Vec::new());
            check_tls(
                &args(
                    format!("https://127.0.0.1:{port}/jwks.json"),
                    ca_pem.path().to_path_buf(),
                ),
                &mut checks,
            );
            let _ = server.join();
            assert_eq!(checks.0.len(), 1);
            assert_eq!(
                checks.0[0].status, expected,
                "{oids:?}: {}",
                checks.0[0].message
            );
        }
    }

    #[test]
    fn an_untrusted_chain_fails() {
        let ca = root();
        let (cert, key) = leaf(&ca, &["2.23.140.1.2.2"], true);
        let (port, server) = serve_once(&cert, &key, &[]);
        let elsewhere = root();
        let other_pem = pem_file(&[&elsewhere.cert]);
        let mut checks = Checks(Vec::new());
        check_tls(
            &args(
                format!("https://127.0.0.1:{port}/"),
                other_pem.path().to_path_buf(),
            ),
            &mut checks,
        );
        let _ = server.join();
        assert_eq!(checks.0[0].status, Status::Fail);
        assert!(
            checks.0[0].message.contains("does not verify"),
            "{}",
            checks.0[0].message
        );
    }
}
