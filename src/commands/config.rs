//! `itsme-cli config init|show`: the config file of profiles (docs/configuration.md).

use std::io::{BufRead, IsTerminal};

use serde::Serialize;

use crate::cli::{ConfigCommand, ConfigInitArgs};
use crate::error::Outcome;
use crate::printer::Printer;
use crate::settings::{Provider, Settings, Sourced};

/// One resolved setting.
#[derive(Debug, Serialize)]
pub struct Setting {
    /// Its name, as in the config file.
    pub name: &'static str,
    /// Its value (secrets redacted), or null.
    pub value: Option<String>,
    /// `env:ITSME_…`, `profile`, or `unset`.
    pub source: String,
}

/// What `config show` prints.
#[derive(Debug, Serialize)]
pub struct ShowReport {
    /// The profile used, and its file.
    pub profile: Option<ProfileRef>,
    /// The settings.
    pub settings: Vec<Setting>,
}

/// A profile's name and file.
#[derive(Debug, Serialize)]
pub struct ProfileRef {
    /// Its name.
    pub name: String,
    /// Its file.
    pub path: String,
}

/// Runs a `config` subcommand.
pub fn run(
    command: &ConfigCommand,
    settings: &Settings,
    printer: &Printer,
) -> anyhow::Result<Outcome> {
    match command {
        ConfigCommand::Init(args) => init(args, printer),
        ConfigCommand::Show => show(settings, printer),
    }
}

fn ask(printer: &Printer, question: &str) -> anyhow::Result<Option<String>> {
    if !std::io::stdin().is_terminal() {
        return Ok(None);
    }
    printer.note(format_args!("{question} (Enter to leave it out):"));
    let mut line = String::new();
    std::io::stdin().lock().read_line(&mut line)?;
    let answer = line.trim().to_string();
    Ok((!answer.is_empty()).then_some(answer))
}

fn init(args: &ConfigInitArgs, printer: &Printer) -> anyhow::Result<Outcome> {
    let client_id = match &args.client_id {
        Some(id) => Some(id.clone()),
        None => ask(printer, "Your client_id (partner code)")?,
    };
    let service_code = match &args.service_code {
        Some(code) => Some(code.clone()),
        None => ask(printer, "Your service code")?,
    };
    let redirect_uri = match &args.redirect_uri {
        Some(uri) => Some(uri.clone()),
        None => ask(printer, "Your registered redirect URI")?,
    };
    let line = |key: &str, value: Option<String>, example: &str| match value {
        Some(value) => format!("{key} = {}\n", toml::Value::String(value)),
        None => format!("# {key} = \"{example}\"\n"),
    };
    let provider = match (&args.provider.env, &args.provider.issuer) {
        (Some(env), _) => format!("env = \"{}\"\n", env.name()),
        (None, Some(issuer)) => format!("issuer = {}\n", toml::Value::String(issuer.clone())),
        (None, None) => {
            "env = \"e2e\"                # or prd, uat, or: issuer = \"https://…\"\n".to_string()
        }
    };
    let keys = match &args.keys {
        Some(path) => format!(
            "keys = [{}]\n",
            toml::Value::String(path.display().to_string())
        ),
        None => {
            "# keys = [\"keys/private.jwks.json\"]   # private_key_jwt; relative to this file\n"
                .into()
        }
    };
    let text = format!(
        "# itsme-cli settings (docs/configuration.md). Flags and ITSME_* variables win over these.\n\
         # Never put secrets here: the client secret comes from ITSME_CLIENT_SECRET or a prompt.\n\
         default_profile = {name}\n\n[profiles.{name}]\n{provider}{}{}{}{keys}{}\
         # login defaults:\n# scopes = [\"profile\"]\n# claims = [\"BENationalNumber\"]\n\
         # the client assertion's aud: token-endpoint (itsme®'s documented form) or issuer (RFC 10070):\n\
         # assertion_aud = \"token-endpoint\"\n",
        line("client_id", client_id, "your-client-id"),
        line("service_code", service_code, "LOGIN"),
        line(
            "redirect_uri",
            redirect_uri,
            "http://127.0.0.1:8765/callback"
        ),
        line(
            "jwks_uri",
            args.jwks_uri.clone(),
            "https://app.example/jwks.json"
        ),
        name = toml::Value::String(args.name.clone()),
    );
    // What we wrote must read back: a broken starter file would be a poor start.
    toml::from_str::<toml::Table>(&text)
        .map_err(|e| anyhow::anyhow!("internal: the starter file does not parse: {e}"))?;
    super::write_file(&args.path, text.as_bytes(), args.force, 0o644)?;
    printer.note(format_args!(
        "Wrote `{}` with the profile `{}`. Try: itsme-cli config show",
        args.path.display(),
        args.name
    ));
    Ok(Outcome::Yes)
}

fn show(settings: &Settings, printer: &Printer) -> anyhow::Result<Outcome> {
    // Each row shows the value `main` resolved (flags > ITSME_* > profile) and its source.
    fn row<T>(
        name: &'static str,
        setting: &Option<Sourced<T>>,
        show: impl Fn(&T) -> String,
    ) -> Setting {
        Setting {
            name,
            value: setting.as_ref().map(|s| show(&s.value)),
            source: setting
                .as_ref()
                .map_or_else(|| "unset".to_string(), |s| s.source.label()),
        }
    }
    let named = |kind: fn(&Provider) -> Option<String>| {
        settings.provider.as_ref().and_then(|p| {
            kind(&p.value).map(|value| Sourced {
                value,
                source: p.source.clone(),
            })
        })
    };
    let env = named(|p| p.environment().map(|e| e.name().to_string()));
    let issuer = named(|p| match p {
        Provider::Issuer(url) => Some(url.clone()),
        Provider::Named(_) => None,
    });
    let text = |s: &String| s.clone();
    let list = |paths: &Vec<String>| paths.join(", ");
    let keys = settings.keys.as_ref().map(|k| Sourced {
        value: k
            .value
            .iter()
            .map(|p| p.display().to_string())
            .collect::<Vec<_>>(),
        source: k.source.clone(),
    });
    let mut secret = row("client_secret", &settings.client_secret, |_| {
        "(redacted)".to_string()
    });
    if secret.value.is_none() {
        secret.source = "unset (prompted when needed)".into();
    }
    let out = vec![
        row("env", &env, text),
        row("issuer", &issuer, text),
        row("client_id", &settings.client_id, text),
        row("service_code", &settings.service_code, text),
        row("redirect_uri", &settings.redirect_uris, list),
        row("jwks_uri", &settings.jwks_uri, text),
        row("keys", &keys, list),
        secret,
        row("scopes", &settings.scopes, list),
        row("claims", &settings.claims, list),
        row("assertion_aud", &settings.assertion_aud, |a| {
            a.name().to_string()
        }),
    ];
    let report = ShowReport {
        profile: settings.profile.as_ref().map(|l| ProfileRef {
            name: l.name.clone(),
            path: l.path.display().to_string(),
        }),
        settings: out,
    };
    if printer.json_mode() {
        printer.json(&report)?;
    } else {
        let mut text = match &report.profile {
            Some(p) => format!("Profile `{}` from `{}`\n", p.name, p.path),
            None => {
                "No profile (no itsme.toml, or no default_profile and no --profile)\n".to_string()
            }
        };
        for s in &report.settings {
            text.push_str(&format!(
                "  {:<14} {:<40} {}\n",
                s.name,
                crate::escape::escape(s.value.as_deref().unwrap_or("-")),
                s.source
            ));
        }
        printer.stdout(&text)?;
    }
    Ok(Outcome::Yes)
}
