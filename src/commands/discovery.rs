//! `itsme-cli discovery`: fetch, show and check a provider's discovery metadata and keys.

use serde_json::Value;

use crate::cli::DiscoveryArgs;
use crate::error::Outcome;
use crate::http::{Http, parse_fetch_url};
use crate::key_rules::summary::describe_set;
use crate::oidc::discovery::{self, DiscoveryReport, Finding, FindingCode, Severity};
use crate::printer::Printer;
use crate::provider::{discovery_url, fetch_discovery_raw, fetch_jwks};
use crate::settings::Settings;

/// Runs the command.
pub fn run(
    args: &DiscoveryArgs,
    settings: &Settings,
    printer: &Printer,
) -> anyhow::Result<Outcome> {
    let issuer = settings.require_issuer(None)?.to_string();
    let http = Http::new()?;
    let (raw, document) = fetch_discovery_raw(&http, &issuer)?;
    if args.raw {
        printer.stdout(&String::from_utf8_lossy(&raw))?;
        return Ok(Outcome::Yes);
    }
    // A repeated member makes the document unusable, --check or not (like keys that cannot be
    // fetched); it is still shown, as most parsers would read it.
    let mut findings: Vec<Finding> = document.finding().into_iter().collect();
    if !args.check {
        for finding in &findings {
            printer.warn(&finding.message);
        }
    }
    let metadata = document.metadata;
    let keys = match metadata.get("jwks_uri").and_then(Value::as_str) {
        Some(uri) => match parse_fetch_url(uri, "jwks_uri").and_then(|url| fetch_jwks(&http, &url))
        {
            Ok(set) => Some(set),
            Err(e) => {
                let message = format!("the JWK Set at `{uri}` could not be fetched: {e:#}");
                if !args.check {
                    printer.warn(&message);
                }
                findings.push(Finding::new(
                    FindingCode::JwksUnreachable,
                    Severity::Error,
                    message,
                ));
                None
            }
        },
        None => None,
    };
    if args.check {
        findings.extend(discovery::check(&metadata, &issuer, keys.as_ref()));
    }
    // Without --check only the fetching is judged: keys that cannot be fetched make it a "no".
    let valid = findings.iter().all(|f| f.severity != Severity::Error);
    let report = DiscoveryReport {
        discovery_url: discovery_url(&issuer)?.to_string(),
        issuer,
        valid,
        keys: keys.as_ref().map(describe_set).unwrap_or_default(),
        metadata,
        findings,
    };
    printer.result(&report, |report| {
        crate::printer::discovery::render(report, args.check)
    })?;
    Ok(Outcome::from_bool(valid))
}
