//! Human rendering of the sandbox's announcements.

use std::fmt::Write;

use colored::Colorize;

use crate::sandbox::config::AcceptedAssertionAud;
use crate::sandbox::report::{PersonaSummary, Ready};

/// What a started sandbox prints.
pub fn render_ready(ready: &Ready) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{} {}",
        "itsme-cli sandbox running:".bold(),
        ready.issuer
    );
    let _ = writeln!(out, "  discovery  {}", ready.discovery);
    for client in &ready.clients {
        let services: Vec<String> = client
            .services
            .iter()
            .map(|s| format!("service:{}", s.code))
            .collect();
        let _ = writeln!(
            out,
            "  client     {} ({}), {}",
            client.client_id,
            client.auth,
            services.join(" ")
        );
        for uri in &client.redirect_uris {
            let _ = writeln!(out, "    redirect {uri}");
        }
        if let Some(keys) = &client.private_keys {
            let _ = writeln!(
                out,
                "    keys     {} (generated for this run)",
                keys.display()
            );
        }
    }
    let _ = writeln!(
        out,
        "  assertion  aud accepted: {}",
        match ready.assertion_aud {
            AcceptedAssertionAud::TokenEndpoint =>
                "the token endpoint (as itsme® documents; --assertion-aud either also takes the issuer)",
            AcceptedAssertionAud::Either => "the token endpoint or the issuer (RFC 10070)",
            AcceptedAssertionAud::Issuer => "the issuer only (RFC 10070)",
        }
    );
    match ready.approve {
        Some(persona) => {
            let _ = writeln!(out, "  approve    every login, as {persona}");
        }
        None => {
            let _ = writeln!(
                out,
                "  approve    on the authorization page in your browser"
            );
        }
    }
    for fault in &ready.faults {
        let _ = writeln!(
            out,
            "  fault      {}: {}",
            crate::escape::escape(&fault.fault),
            crate::escape::escape(&fault.effect)
        );
    }
    if crate::trace::verbosity() == 0 {
        let _ = writeln!(out, "Press Ctrl-C to stop; -v traces every request.");
    } else {
        let _ = writeln!(out, "Press Ctrl-C to stop.");
    }
    out
}

/// `sandbox personas`.
pub fn render_personas(personas: &[PersonaSummary]) -> String {
    let mut out = String::new();
    for p in personas {
        let _ = writeln!(
            out,
            "{}  {} — {}, {}",
            p.id.bold(),
            p.label,
            p.document,
            p.country
        );
        let names: Vec<String> = p
            .claims
            .iter()
            .map(|c| crate::itsme::short_claim_name(c).into_owned())
            .collect();
        let _ = writeln!(out, "    {} claims: {}", names.len(), names.join(", "));
    }
    out
}
