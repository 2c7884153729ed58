//! `itsme-cli sandbox`: start the local itsme®-shaped provider and keep it running until Ctrl-C.

use std::path::PathBuf;

use crate::cli::{SandboxArgs, SandboxCommand};
use crate::error::{Outcome, hinted};
use crate::jose::keys::{PrivateKey, PublicKeySet};
use crate::printer::Printer;
use crate::sandbox::config::{
    self, AcceptedAssertionAud, Client, ClientAuth, Service, ServiceKind,
};
use crate::sandbox::report::{ClientSummary, FaultSummary, PersonaSummary, Ready};
use crate::sandbox::{Fault, Sandbox, SandboxOptions, personas};

/// The persona of `--approve ID` (`sandbox`, `ciba --sandbox`), refused with the list when unknown.
pub(crate) fn approving_persona(
    id: Option<&str>,
) -> anyhow::Result<Option<&'static personas::Persona>> {
    let Some(id) = id else {
        return Ok(None);
    };
    personas::find(id).map(Some).ok_or_else(|| {
        let ids: Vec<&str> = personas::all().iter().map(|p| p.id).collect();
        hinted(
            format!("no persona `{id}`"),
            format!("choose one of: {}", ids.join(", ")),
        )
    })
}

/// Runs the command.
pub fn run(args: &SandboxArgs, printer: &Printer) -> anyhow::Result<Outcome> {
    if let Some(SandboxCommand::Personas) = args.command {
        return list_personas(printer);
    }
    let approve = approving_persona(args.approve.as_deref())?;
    let faults = args
        .faults
        .iter()
        .map(|spec| {
            spec.parse::<Fault>()
                .map_err(|why| hinted(why, "see `itsme-cli sandbox --help`"))
        })
        .collect::<anyhow::Result<Vec<_>>>()?;
    let fault_summaries = args
        .faults
        .iter()
        .zip(&faults)
        .map(|(spec, fault)| FaultSummary {
            fault: spec.clone(),
            effect: fault.effect(),
        })
        .collect();
    let (clients, private_keys, legacy, from_config) = clients(args)?;
    // A typed flag wins over the config file's `assertion_aud`.
    let assertion_aud = args.assertion_aud.or(from_config).unwrap_or_default();
    let summaries = clients.iter().map(ClientSummary::of).collect::<Vec<_>>();
    let warn = *printer;
    let callback = match &args.ciba_callback {
        Some(text) => Some(
            crate::oidc::endpoints::fetch_url(text, "--ciba-callback")
                .map_err(|e| e.into_hinted())?,
        ),
        None => None,
    };
    let sandbox = Sandbox::start(SandboxOptions {
        port: args.port,
        clients,
        approve,
        faults,
        legacy,
        assertion_aud,
        warnings: Some(std::sync::Arc::new(move |finding| {
            warn.warn(format_args!("{}: {}", finding.code, finding.message));
        })),
        ciba: crate::sandbox::ciba::CibaOptions {
            delivery: args.ciba_delivery,
            callback,
            interval: args.ciba_interval,
        },
    })?;
    let mut summaries = summaries;
    if let (Some(path), Some(first)) = (private_keys, summaries.first_mut()) {
        first.private_keys = Some(path);
    }
    let ready = Ready {
        issuer: sandbox.issuer().to_string(),
        port: sandbox.port(),
        discovery: format!("{}/.well-known/openid-configuration", sandbox.issuer()),
        clients: summaries,
        approve: approve.map(|p| p.id),
        assertion_aud,
        faults: fault_summaries,
    };
    printer.result_line(&ready, crate::printer::sandbox::render_ready)?;
    // Serve until Ctrl-C (exit 130) or SIGTERM. The provider lives in memory; the generated client's
    // keys stay in their temporary directory, so that tokens saved meanwhile can still be decoded.
    loop {
        std::thread::park();
    }
}

/// What `--config` or the flags describe: the clients, where generated keys were written, whether
/// the sandbox plays a legacy client-secret provider, and the config file's `assertion_aud`.
type Described = (
    Vec<Client>,
    Option<PathBuf>,
    bool,
    Option<AcceptedAssertionAud>,
);

/// The clients from `--config` (with its `legacy` and `assertion_aud`), or the one client the
/// flags describe (a generated private_key_jwt client when neither `--client-jwks` nor
/// `--client-secret` is given), and whether the sandbox plays a legacy client-secret provider
/// (`--legacy` or `legacy = true`).
fn clients(args: &SandboxArgs) -> anyhow::Result<Described> {
    if let Some(path) = &args.config {
        let config = config::from_file(path)?;
        let legacy = config.legacy || args.legacy;
        if legacy {
            config::refuse_keys_at_a_legacy_provider(&config.clients)?;
        }
        return Ok((config.clients, None, legacy, config.assertion_aud));
    }
    if args.legacy && args.client_secret.is_none() {
        return Err(hinted(
            "a legacy client-secret provider needs a client-secret client",
            "pass --client-secret (or set ITSME_SANDBOX_CLIENT_SECRET) with --legacy",
        ));
    }
    let services = args
        .service_codes
        .iter()
        .map(|code| Service {
            code: code.clone(),
            kind: ServiceKind::Authentication,
        })
        .collect();
    let (auth, private_keys) = match (&args.client_jwks, &args.client_secret) {
        (Some(jwks), _) => (
            ClientAuth::PrivateKeyJwt(config::read_client_jwks(jwks, std::path::Path::new("."))?),
            None,
        ),
        (None, Some(secret)) => (ClientAuth::Secret(secret.clone()), None),
        (None, None) => {
            let (keys, path) = generate_test_client_keys()?;
            (ClientAuth::PrivateKeyJwt(keys), Some(path))
        }
    };
    let client = Client {
        client_id: args.client_id.clone(),
        auth,
        redirect_uris: args.redirect_uris.clone(),
        services,
        require_pkce: args.require_pkce,
    };
    Ok((vec![client], private_keys, args.legacy, None))
}

/// Keys for the generated test client, written (mode 0600) to a new temporary directory.
fn generate_test_client_keys() -> anyhow::Result<(PublicKeySet, PathBuf)> {
    let (keys, public) = config::generated_client_keys()?;
    let dir = std::env::temp_dir().join(format!(
        "itsme-sandbox-{}-{}",
        std::process::id(),
        &keys[0].kid[..8].replace(['-', '_'], "x")
    ));
    std::fs::create_dir_all(&dir)?;
    let path = dir.join("private.jwks.json");
    let private: Vec<_> = keys.iter().map(PrivateKey::private_jwk).collect();
    let private = PublicKeySet::document(&private);
    super::write_private_file(&path, format!("{private:#}\n").as_bytes(), false)?;
    Ok((public, path))
}

fn list_personas(printer: &Printer) -> anyhow::Result<Outcome> {
    let list: Vec<PersonaSummary> = personas::all().iter().map(PersonaSummary::of).collect();
    printer.result(&list, |list| crate::printer::sandbox::render_personas(list))?;
    Ok(Outcome::Yes)
}
