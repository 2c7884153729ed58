//! What a login runs with, resolved once before anything is sent: the provider and client (or an
//! in-process sandbox), the authorization request's content, and the options of the callback and
//! the output. Everything that can be refused before the browser opens is refused here
//! (PROTOCOL §7).

use std::io::IsTerminal;
use std::path::PathBuf;
use std::time::Duration;

use serde_json::{Map, Value};
use url::Url;

use crate::cli::{ClaimsIn, LoginArgs};
use crate::error::{WithHint, hinted};
use crate::itsme::confirmation::Confirmation;
use crate::itsme::full_claim_name;
use crate::jose::keys::{PrivateKey, PublicKeySet};
use crate::oidc::authorization::{RequestObject, RequestSpec};
use crate::oidc::client_auth::{AssertionAud, ClientCredentials};
use crate::oidc::request_object;
use crate::printer::Printer;
use crate::sandbox::config::{AcceptedAssertionAud, Client, ClientAuth, Service, ServiceKind};
use crate::sandbox::{Sandbox, SandboxOptions};
use crate::secret::Secret;
use crate::settings::Settings;

/// Everything the login reads after the settings are filled: built once, at the top of `run`.
pub(super) struct Login {
    /// The provider and client.
    pub setup: Setup,
    /// The authorization request's content.
    pub spec: RequestSpec,
    /// `--no-request-object`.
    pub no_request_object: bool,
    /// `--legacy`: the provider takes the legacy client-secret request object, whatever its issuer.
    pub legacy: bool,
    /// How the redirect is caught.
    pub callback: CallbackOptions,
    /// Where the results go.
    pub output: OutputOptions,
}

/// How the redirect is caught.
pub(super) struct CallbackOptions {
    /// `--no-browser`: only print the address.
    pub no_browser: bool,
    /// How long the listener waits.
    pub timeout: Duration,
}

/// Where the results go.
pub(super) struct OutputOptions {
    /// `--show-tokens`.
    pub show_tokens: bool,
    /// `--save`.
    pub save: Option<PathBuf>,
    /// `--save-picture`.
    pub save_picture: Option<PathBuf>,
    /// `--force`: overwrite those files.
    pub force: bool,
}

/// The client and provider the login runs against.
pub(super) struct Setup {
    /// The provider.
    pub issuer: String,
    /// The client.
    pub client_id: String,
    /// The registered redirect URI, byte for byte.
    pub redirect_uri: String,
    /// The client's private keys (may be empty with a secret).
    pub keys: Vec<PrivateKey>,
    /// The client secret, if any.
    pub secret: Option<Secret>,
    /// Which `aud` the client assertion carries (`--assertion-aud`).
    pub assertion_aud: AssertionAud,
    /// Keeps the in-process sandbox alive for the whole login.
    _sandbox: Option<Sandbox>,
}

impl Setup {
    /// Whether this is `--sandbox`'s in-process sandbox, with keys made for this run only.
    pub fn is_sandbox(&self) -> bool {
        self._sandbox.is_some()
    }

    /// The key that signs the client assertion and the request object: the `use: sig` one, else
    /// the first that can sign.
    pub fn signing_key(&self) -> Option<&PrivateKey> {
        self.keys
            .iter()
            .find(|k| k.key_use.as_deref() == Some("sig"))
            .or_else(|| self.keys.iter().find(|k| k.usable_for_signing()))
    }

    /// How the client authenticates at the token endpoint: its secret when it has one, else a
    /// client assertion.
    pub fn credentials(&self) -> ClientCredentials<'_> {
        match (&self.secret, self.signing_key()) {
            (Some(secret), _) => ClientCredentials::Secret(secret),
            (None, Some(key)) => ClientCredentials::PrivateKeyJwt(key),
            (None, None) => unreachable!("setups always have keys or a secret"),
        }
    }
}

/// Resolves the login's flags and the resolved settings into the one struct the login reads,
/// refusing what can be refused before anything is sent. Starts the sandbox with `--sandbox`.
pub(super) fn resolve(
    args: &LoginArgs,
    settings: &Settings,
    printer: &Printer,
) -> anyhow::Result<Login> {
    let confirmation = confirmation(
        args.confirm_text.as_deref(),
        args.confirm_payment.as_deref(),
    )?;
    let raw_claims = match &args.raw_claims {
        Some(text) => Some(serde_json::from_str::<Value>(text).hint(
            "--claims is not JSON",
            r#"for example --claims '{"id_token":{"given_name":null}}'"#,
        )?),
        None => None,
    };
    // Before anything is sent: without a service code the provider would only refuse the login.
    let service_code = if args.sandbox {
        crate::itsme::SANDBOX_SERVICE_CODE.to_string()
    } else {
        settings
            .service_code()
            .ok_or_else(|| {
                hinted(
                    "no service code given",
                    format!(
                        "pass --service-code, ITSME_SERVICE_CODE or the profile's `service_code` (default: {})",
                        crate::itsme::service_code_default_text()
                    ),
                )
            })?
            .to_string()
    };
    let setup = if args.sandbox {
        sandbox_setup(settings, printer, args.legacy)?
    } else {
        provider_setup(settings, printer)?
    };
    let (id_token_claims, userinfo_claims) = claim_lists(settings.claims(), args.claims_in);
    // A sandbox login asked for nothing in particular shows what the tool explains: identity
    // claims, not only `sub` (issue 16, §2).
    let scopes = if args.sandbox
        && settings.scopes().is_empty()
        && settings.claims().is_empty()
        && raw_claims.is_none()
    {
        printer.note(format_args!(
            "Asking for the scopes {} (the sandbox login's default; --scope and --claim choose others).",
            SANDBOX_SCOPES.join(" and ")
        ));
        SANDBOX_SCOPES.map(str::to_string).to_vec()
    } else {
        settings.scopes().to_vec()
    };
    let spec = RequestSpec {
        client_id: setup.client_id.clone(),
        redirect_uri: setup.redirect_uri.clone(),
        service_code,
        scopes,
        id_token_claims,
        userinfo_claims,
        raw_claims,
        acr: args.acr,
        ui_locale: args.ui_locale.clone(),
        prompt: args.prompt.clone(),
        max_age: args.max_age,
        confirmation,
    };
    Ok(Login {
        setup,
        spec,
        no_request_object: args.no_request_object,
        legacy: args.legacy,
        callback: CallbackOptions {
            no_browser: args.no_browser,
            timeout: Duration::from_secs(args.timeout),
        },
        output: OutputOptions {
            show_tokens: args.show_tokens,
            save: args.save.clone(),
            save_picture: args.save_picture.clone(),
            force: args.force,
        },
    })
}

/// The request object's protection, when one is sent, in the form the provider takes
/// (`request_object::form_for`: the legacy client-secret form for a csapi issuer or `--legacy`,
/// else the encrypted one). Encrypted: the client's signing key, the provider's encryption key
/// from `provider_keys` (published at `jwks_uri`), and the algorithms its `metadata` supports
/// (`request_object::wanted`). Legacy: the client secret, and the authorization endpoint as `aud`
/// (`request_object::wanted_legacy`).
pub(super) fn request_object_keys<'a>(
    login: &'a Login,
    metadata: &Map<String, Value>,
    provider_keys: &'a PublicKeySet,
    jwks_uri: &Url,
    authorization_endpoint: &Url,
) -> anyhow::Result<Option<RequestObject<'a>>> {
    let issuer = &login.setup.issuer;
    let confirmation = login.spec.confirmation.is_some();
    if request_object::form_for(issuer, login.legacy) == request_object::Form::LegacySecret {
        let Some(secret) = &login.setup.secret else {
            if confirmation || (!login.no_request_object && login.setup.signing_key().is_some()) {
                return Err(hinted(
                    format!(
                        "`{issuer}` takes the legacy client-secret request object (HS256 with the client secret), and no client secret was given"
                    ),
                    "set ITSME_CLIENT_SECRET (legacy client-secret partners), or pass --no-request-object to send the parameters in the URL",
                ));
            }
            return Ok(None);
        };
        if !request_object::wanted_legacy(true, login.no_request_object, confirmation) {
            return Ok(None);
        }
        return Ok(Some(RequestObject::LegacySecret {
            secret,
            audience: request_object::audience(
                request_object::Form::LegacySecret,
                issuer,
                Some(authorization_endpoint.as_str()),
            ),
        }));
    }
    let signer = login.setup.signing_key();
    if !request_object::wanted(signer.is_some(), login.no_request_object, confirmation) {
        return Ok(None);
    }
    let keys = request_object::keys(signer, true, metadata, provider_keys).map_err(|()| {
        hinted(
            format!(
                "the provider's JWK Set `{jwks_uri}` has no RSA encryption key for the request object"
            ),
            "pass --no-request-object to send the parameters in the URL",
        )
    })?;
    Ok(keys.map(RequestObject::Encrypted))
}

/// The Confirmation template of `--confirm-text` or `--confirm-payment` (PROTOCOL §7, §9.6),
/// checked before anything is sent (`login` and `ciba`).
pub(crate) fn confirmation(
    text: Option<&str>,
    payment: Option<&[String]>,
) -> anyhow::Result<Option<Confirmation>> {
    let checked = if let Some(text) = text {
        Confirmation::free_text(text)
    } else if let Some(values) = payment {
        match values {
            [amount, currency, iban] => Confirmation::payment(amount, currency, iban),
            _ => Err("--confirm-payment takes AMOUNT CURRENCY IBAN".into()),
        }
    } else {
        return Ok(None);
    };
    checked.map(Some).map_err(|why| {
        hinted(
            format!("the Confirmation template is refused before anything is sent: {why}"),
            "fix the template (docs/itsme-facts.md#confirmation)",
        )
    })
}

/// The --claim names, in full, for the ID token or userinfo (`login` and `ciba`).
pub(crate) fn claim_lists(claims: &[String], claims_in: ClaimsIn) -> (Vec<String>, Vec<String>) {
    let names: Vec<String> = claims.iter().map(|c| full_claim_name(c)).collect();
    match claims_in {
        ClaimsIn::IdToken => (names, Vec::new()),
        ClaimsIn::Userinfo => (Vec::new(), names),
    }
}
/// The scopes a sandbox login asks for when given none (PROTOCOL §4): the person and the Belgian
/// eID claims, which the output explains and whose check digits it checks.
const SANDBOX_SCOPES: [&str; 2] = ["profile", "eid"];

/// `--sandbox`: an in-process sandbox with a private_key_jwt client made for this run; with
/// `--legacy`, a legacy client-secret sandbox with a client secret made for this run.
fn sandbox_setup(settings: &Settings, printer: &Printer, legacy: bool) -> anyhow::Result<Setup> {
    let port = std::net::TcpListener::bind("127.0.0.1:0")?
        .local_addr()?
        .port();
    let redirect_uri = format!("http://127.0.0.1:{port}/callback");
    let (keys, secret, auth) = if legacy {
        let secret = Secret::new(crate::oidc::authorization::random_token(32));
        (Vec::new(), Some(secret.clone()), ClientAuth::Secret(secret))
    } else {
        let (keys, public) = crate::sandbox::config::generated_client_keys()?;
        (keys, None, ClientAuth::PrivateKeyJwt(public))
    };
    let client = Client {
        client_id: "sandbox-client".into(),
        auth,
        redirect_uris: vec![redirect_uri.clone()],
        services: vec![Service {
            code: crate::itsme::SANDBOX_SERVICE_CODE.into(),
            kind: ServiceKind::Authentication,
        }],
        require_pkce: true,
    };
    let sandbox = Sandbox::start(SandboxOptions {
        port: 0,
        clients: vec![client],
        approve: None,
        faults: Vec::new(),
        legacy,
        assertion_aud: AcceptedAssertionAud::default(),
        warnings: None,
        ciba: Default::default(),
    })?;
    printer.note(format_args!(
        "Started the sandbox at {} with a generated {} client.",
        sandbox.issuer(),
        if legacy {
            "client-secret (legacy)"
        } else {
            "private_key_jwt"
        }
    ));
    Ok(Setup {
        issuer: sandbox.issuer().to_string(),
        client_id: "sandbox-client".into(),
        redirect_uri,
        keys,
        secret,
        assertion_aud: settings.assertion_aud(),
        _sandbox: Some(sandbox),
    })
}

/// A real provider: the resolved settings checked, the keys read, the secret asked for on a
/// terminal when neither keys nor secret were given.
fn provider_setup(settings: &Settings, printer: &Printer) -> anyhow::Result<Setup> {
    let issuer = settings
        .require_issuer(Some("--sandbox to try it offline"))?
        .to_string();
    let client_id = settings.require_client_id()?.to_string();
    let redirect_uri = settings.redirect_uris().first().cloned().ok_or_else(|| {
        hinted(
            "no redirect URI given",
            "pass the registered --redirect-uri, byte for byte",
        )
    })?;
    let parsed = Url::parse(&redirect_uri).hint(
        format!("the redirect URI `{redirect_uri}` is not a URL"),
        "give the registered redirect URI",
    )?;
    if !crate::url_policy::is_allowed(&parsed) {
        return Err(hinted(
            format!("the redirect URI `{redirect_uri}` is not https"),
            "itsme® redirect URIs are https; plain http is accepted only on this machine (127.0.0.1, localhost, [::1])",
        ));
    }
    let keys = crate::commands::read_all_private_keys(settings.keys(), printer)?;
    let mut secret = settings.client_secret().cloned();
    if keys.is_empty()
        && secret.is_none()
        && std::io::stdin().is_terminal()
        && std::io::stderr().is_terminal()
    {
        let typed = crate::interrupt::prompt(|| {
            rpassword::prompt_password("No --keys given. Client secret (not shown): ")
        })
        .hint(
            "could not read the client secret from the terminal",
            "set ITSME_CLIENT_SECRET instead",
        )?;
        secret = (!typed.is_empty()).then(|| Secret::new(typed));
    }
    if keys.is_empty() && secret.is_none() {
        return Err(hinted(
            "no client credentials given",
            "pass --keys PRIVATE.jwks.json (private_key_jwt) or set ITSME_CLIENT_SECRET (client secret)",
        ));
    }
    if !keys.is_empty() && !keys.iter().any(|k| k.usable_for_signing()) && secret.is_none() {
        return Err(hinted(
            "none of the --keys can sign a client assertion",
            "add your `use: sig` key",
        ));
    }
    Ok(Setup {
        issuer,
        client_id,
        redirect_uri,
        keys,
        secret,
        assertion_aud: settings.assertion_aud(),
        _sandbox: None,
    })
}
