//! What a CIBA run reads, resolved once before anything is sent: the provider and the client (or
//! an in-process sandbox), the user (a hint given, or a QR discovery to run), the request object's
//! content, and where the results go. What can be refused before anything is sent is refused here:
//! a client secret (PROTOCOL §9.1: private_key_jwt only), keys that cannot sign, a Confirmation
//! template (§9.6, checked as `login` checks it).

use std::path::PathBuf;
use std::time::Duration;

use crate::cli::CibaArgs;
use crate::error::hinted;
use crate::itsme::ciba::endpoints::AudienceChoice;
use crate::itsme::ciba::hint::{HintForm, LoginHint};
use crate::itsme::confirmation::Confirmation;
use crate::jose::keys::PrivateKey;
use crate::oidc::client_auth::AssertionAud;
use crate::printer::Printer;
use crate::secret::Secret;
use crate::settings::Settings;

/// Everything the run reads after the settings are filled.
pub(super) struct Ciba {
    /// The provider.
    pub issuer: String,
    /// The client.
    pub client_id: String,
    /// The client's private keys.
    pub keys: Vec<PrivateKey>,
    /// The service code (scope `service:CODE`).
    pub service_code: String,
    /// Scopes besides `openid` and the service.
    pub scopes: Vec<String>,
    /// Claims asked in the ID token and from userinfo (full names).
    pub claims: (Vec<String>, Vec<String>),
    /// `acr_values`.
    pub acr: Option<crate::oidc::authorization::Acr>,
    /// `requested_expiry`.
    pub requested_expiry: Option<u64>,
    /// A CIBA Confirm template.
    pub confirmation: Option<Confirmation>,
    /// The user, when the partner already has it; `None`: QR discovery.
    pub hint: Option<LoginHint>,
    /// How the hint is written.
    pub hint_form: HintForm,
    /// The client assertion's `aud` at each endpoint.
    pub audience: AudienceChoice,
    /// Ping mode's listener address.
    pub ping_listen: Option<std::net::SocketAddr>,
    /// The discovery's limit.
    pub discovery_limit: Duration,
    /// Where the results go.
    pub output: Output,
    /// With --sandbox: the persona that approves at once, or `None` to open the phone page.
    pub sandbox_approves: bool,
    /// Keeps the in-process sandbox alive for the whole run.
    pub _sandbox: Option<crate::sandbox::Sandbox>,
}

/// Where the results go.
pub(super) struct Output {
    /// `--qr-file`.
    pub qr_file: Option<PathBuf>,
    /// `--open-qr`.
    pub open_qr: bool,
    /// `--show-tokens`.
    pub show_tokens: bool,
    /// `--save`.
    pub save: Option<PathBuf>,
    /// `--force`.
    pub force: bool,
}

impl Ciba {
    /// The key that signs the client assertions and the request object: the `use: sig` one, else
    /// the first that can sign (checked to exist by [`resolve`]).
    pub fn signing_key(&self) -> &PrivateKey {
        self.keys
            .iter()
            .find(|k| k.key_use.as_deref() == Some("sig"))
            .or_else(|| self.keys.iter().find(|k| k.usable_for_signing()))
            .expect("resolve checked that a key can sign")
    }
}

/// The audience choice from `--assertion-aud` (one setting for every command): `token-endpoint`,
/// what itsme® documents, is §9.1's documented `aud` per endpoint for CIBA (the backchannel URL at
/// the discovery endpoints, the token URL elsewhere); `issuer` is RFC 10070's form everywhere.
fn audience_choice(settings: &Settings) -> AudienceChoice {
    match settings.assertion_aud() {
        AssertionAud::TokenEndpoint => AudienceChoice::Documented,
        AssertionAud::Issuer => AudienceChoice::Issuer,
    }
}

/// Resolves the flags and settings into the one struct the run reads; starts the sandbox with
/// `--sandbox`.
pub(super) fn resolve(
    args: &CibaArgs,
    settings: &Settings,
    printer: &Printer,
) -> anyhow::Result<Ciba> {
    let confirmation = crate::commands::login::setup::confirmation(
        args.confirm_text.as_deref(),
        args.confirm_payment.as_deref(),
    )?;
    if settings.client_secret().is_some() && !args.sandbox {
        return Err(hinted(
            "CIBA does not take a client secret: itsme® accepts only private_key_jwt on its CIBA endpoints (docs/itsme-facts.md#ciba-overview)",
            "pass --keys PRIVATE.jwks.json with your `use: sig` key, and unset ITSME_CLIENT_SECRET / the profile's secret for this command",
        ));
    }
    let hint = match (&args.login_hint_token, &args.sub) {
        (Some(token), _) => Some(LoginHint::UserIdentifierToken(token.expose().to_string())),
        (None, Some(sub)) => Some(LoginHint::SubjectCode(sub.clone())),
        (None, None) => None,
    };
    let (issuer, client_id, keys, service_code, sandbox) = if args.sandbox {
        let started = super::sandbox::start(args, printer)?;
        (
            started.issuer,
            started.client_id,
            started.keys,
            started.service_code,
            Some(started.sandbox),
        )
    } else {
        let (issuer, client_id, keys) = provider(settings, printer)?;
        let service_code = settings.service_code().map(str::to_string).ok_or_else(|| {
            hinted(
                "no service code given",
                "pass --service-code: the CIBA service itsme® configured for you (scope `service:CODE`)",
            )
        })?;
        (issuer, client_id, keys, service_code, None)
    };
    Ok(Ciba {
        issuer,
        client_id,
        keys,
        service_code,
        scopes: settings.scopes().to_vec(),
        claims: crate::commands::login::setup::claim_lists(settings.claims(), args.claims_in),
        acr: args.acr,
        requested_expiry: args.requested_expiry,
        confirmation,
        hint,
        hint_form: args.hint_form,
        audience: audience_choice(settings),
        ping_listen: args.ping_listen,
        discovery_limit: Duration::from_secs(args.discovery_limit),
        output: Output {
            qr_file: args.qr_file.clone(),
            open_qr: args.open_qr,
            show_tokens: args.show_tokens,
            save: args.save.clone(),
            force: args.force,
        },
        sandbox_approves: args.approve.is_some(),
        _sandbox: sandbox,
    })
}

/// A real provider: the issuer, client_id and the keys, one of which must sign.
fn provider(
    settings: &Settings,
    printer: &Printer,
) -> anyhow::Result<(String, String, Vec<PrivateKey>)> {
    let issuer = settings
        .require_issuer(Some("--sandbox to try it offline"))?
        .to_string();
    let client_id = settings.require_client_id()?.to_string();
    let keys = crate::commands::read_all_private_keys(settings.keys(), printer)?;
    if keys.is_empty() {
        return Err(hinted(
            "no private keys given: CIBA authenticates every call with a private_key_jwt client assertion (docs/itsme-facts.md#ciba-overview)",
            "pass --keys PRIVATE.jwks.json",
        ));
    }
    if !keys.iter().any(PrivateKey::usable_for_signing) {
        return Err(hinted(
            "none of the --keys can sign a client assertion",
            "add your `use: sig` key",
        ));
    }
    Ok((issuer, client_id, keys))
}

/// The `user_identifier_token` of a discovery, as the hint of the request.
pub(super) fn discovered(token: &Secret) -> LoginHint {
    LoginHint::UserIdentifierToken(token.expose().to_string())
}
