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
use crate::oidc::authorization::{RequestObjectKeys, RequestSpec};
use crate::oidc::client_auth::ClientCredentials;
use crate::oidc::request_object;
use crate::printer::Printer;
use crate::sandbox::config::{Client, ClientAuth, Service, ServiceKind};
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
    /// Keeps the in-process sandbox alive for the whole login.
    _sandbox: Option<Sandbox>,
}

impl Setup {
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
    let setup = if args.sandbox {
        sandbox_setup(printer)?
    } else {
        provider_setup(settings, printer)?
    };
    let (id_token_claims, userinfo_claims) = claim_lists(settings.claims(), args.claims_in);
    let spec = RequestSpec {
        client_id: setup.client_id.clone(),
        redirect_uri: setup.redirect_uri.clone(),
        service_code: if args.sandbox {
            "LOGIN".into()
        } else {
            settings.service_code().unwrap_or("LOGIN").to_string()
        },
        scopes: settings.scopes().to_vec(),
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

/// The keys of the request object, when one is sent (`request_object::wanted`): the client's
/// signing key, the provider's encryption key from `provider_keys` (published at `jwks_uri`), and
/// the algorithms its `metadata` supports.
pub(super) fn request_object_keys<'a>(
    login: &'a Login,
    metadata: &Map<String, Value>,
    provider_keys: &'a PublicKeySet,
    jwks_uri: &Url,
) -> anyhow::Result<Option<RequestObjectKeys<'a>>> {
    let signer = login.setup.signing_key();
    if !request_object::wanted(
        signer.is_some(),
        login.no_request_object,
        login.spec.confirmation.is_some(),
    ) {
        return Ok(None);
    }
    let Some(signer) = signer else {
        return Ok(None);
    };
    let Some(provider_key) = request_object::provider_key(provider_keys) else {
        return Err(hinted(
            format!(
                "the provider's JWK Set `{jwks_uri}` has no RSA encryption key for the request object"
            ),
            "pass --no-request-object to send the parameters in the URL",
        ));
    };
    let (alg, enc) = request_object::encryption(metadata);
    Ok(Some(RequestObjectKeys {
        signer,
        provider_key,
        alg,
        enc,
    }))
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
            "fix the template (PROTOCOL §7)",
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
/// `--sandbox`: an in-process sandbox with a private_key_jwt client made for this run.
fn sandbox_setup(printer: &Printer) -> anyhow::Result<Setup> {
    let sig = PrivateKey::generate(2048, "sig", "RS256")?;
    let enc = PrivateKey::generate(2048, "enc", "RSA-OAEP-256")?;
    let port = std::net::TcpListener::bind("127.0.0.1:0")?
        .local_addr()?
        .port();
    let redirect_uri = format!("http://127.0.0.1:{port}/callback");
    let public = PublicKeySet::parse(
        PublicKeySet::document(&[sig.public_jwk(), enc.public_jwk()])
            .to_string()
            .as_bytes(),
    )?;
    let client = Client {
        client_id: "sandbox-client".into(),
        auth: ClientAuth::PrivateKeyJwt(public),
        redirect_uris: vec![redirect_uri.clone()],
        services: vec![Service {
            code: "LOGIN".into(),
            kind: ServiceKind::Authentication,
        }],
        require_pkce: true,
    };
    let sandbox = Sandbox::start(SandboxOptions {
        port: 0,
        clients: vec![client],
        approve: None,
        faults: Vec::new(),
        ciba: Default::default(),
    })?;
    printer.note(format_args!(
        "Started the sandbox at {} with a generated private_key_jwt client.",
        sandbox.issuer()
    ));
    Ok(Setup {
        issuer: sandbox.issuer().to_string(),
        client_id: "sandbox-client".into(),
        redirect_uri,
        keys: vec![sig, enc],
        secret: None,
        _sandbox: Some(sandbox),
    })
}

/// A real provider: the resolved settings checked, the keys read, the secret asked for on a
/// terminal when neither keys nor secret were given.
fn provider_setup(settings: &Settings, printer: &Printer) -> anyhow::Result<Setup> {
    let issuer = settings.issuer().map(str::to_string).ok_or_else(|| {
        hinted(
            "no provider given",
            "pass --env e2e|prd or --issuer URL, or --sandbox to try it offline",
        )
    })?;
    let client_id = settings.client_id().map(str::to_string).ok_or_else(|| {
        hinted(
            "no client_id given",
            "pass --client-id (or set ITSME_CLIENT_ID)",
        )
    })?;
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
        _sandbox: None,
    })
}
