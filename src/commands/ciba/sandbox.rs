//! `ciba --sandbox`: an in-process sandbox with a private_key_jwt client made for this run, as
//! `login --sandbox` starts one. Its phone page is opened in the browser from the QR code's
//! content, unless `--approve` has the sandbox approve at once (CI).

use crate::cli::CibaArgs;
use crate::itsme::ciba::DeliveryMode;
use crate::jose::keys::PrivateKey;
use crate::printer::Printer;
use crate::sandbox::ciba::CibaOptions;
use crate::sandbox::config::{Client, ClientAuth, Service, ServiceKind};
use crate::sandbox::{Sandbox, SandboxOptions};
use url::Url;

/// The service codes of the generated client: a login, and a CIBA Confirm service for
/// `--confirm-text` / `--confirm-payment`.
const SERVICE: &str = "CIBA";
const CONFIRM_SERVICE: &str = "CIBA_CONFIRM";

/// What the run needs of the started sandbox.
pub(super) struct Started {
    /// The sandbox, alive as long as this is.
    pub sandbox: Sandbox,
    /// Its issuer.
    pub issuer: String,
    /// The generated client.
    pub client_id: String,
    /// The client's keys (sig and enc).
    pub keys: Vec<PrivateKey>,
    /// The client's service code.
    pub service_code: String,
}

/// Starts the sandbox with a generated client.
pub(super) fn start(args: &CibaArgs, printer: &Printer) -> anyhow::Result<Started> {
    let approve = crate::commands::sandbox::approving_persona(args.approve.as_deref())?;
    let (keys, public) = crate::sandbox::config::generated_client_keys()?;
    let client = Client {
        client_id: "sandbox-client".into(),
        auth: ClientAuth::PrivateKeyJwt(public),
        redirect_uris: Vec::new(),
        services: vec![
            Service {
                code: SERVICE.into(),
                kind: ServiceKind::Authentication,
            },
            Service {
                code: CONFIRM_SERVICE.into(),
                kind: ServiceKind::Confirmation,
            },
        ],
        require_pkce: false,
    };
    let sandbox = Sandbox::start(SandboxOptions {
        port: 0,
        clients: vec![client],
        approve,
        faults: Vec::new(),
        ciba: CibaOptions {
            // `--ping-listen` is where this run listens: the sandbox pings it there.
            delivery: if args.ping_listen.is_some() {
                DeliveryMode::Ping
            } else {
                DeliveryMode::Poll
            },
            callback: args
                .ping_listen
                .map(|address| Url::parse(&format!("http://{address}/cb")))
                .transpose()?,
            ..CibaOptions::default()
        },
        ..Default::default()
    })?;
    printer.note(format_args!(
        "Started the sandbox at {} with a generated private_key_jwt client.",
        sandbox.issuer()
    ));
    Ok(Started {
        issuer: sandbox.issuer().to_string(),
        client_id: "sandbox-client".into(),
        keys,
        service_code: if args.confirm_text.is_some() || args.confirm_payment.is_some() {
            CONFIRM_SERVICE.into()
        } else {
            SERVICE.into()
        },
        sandbox,
    })
}
