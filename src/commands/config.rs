//! `itsme-cli config init|show`: the config file of profiles (docs/configuration.md).

use std::io::{BufRead, IsTerminal};

use serde::Serialize;

use crate::cli::{ConfigCommand, ConfigInitArgs};
use crate::error::Outcome;
use crate::printer::Printer;
use crate::settings;

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
    printer: &Printer,
    profile: Option<&str>,
) -> anyhow::Result<Outcome> {
    match command {
        ConfigCommand::Init(args) => init(args, printer),
        ConfigCommand::Show => show(printer, profile),
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
    let provider = match (&args.env, &args.issuer) {
        (Some(env), _) => format!(
            "env = \"{}\"\n",
            if *env == crate::itsme::Environment::Prd {
                "prd"
            } else {
                "e2e"
            }
        ),
        (None, Some(issuer)) => format!("issuer = {}\n", toml::Value::String(issuer.clone())),
        (None, None) => {
            "env = \"e2e\"                # or prd, or: issuer = \"https://…\"\n".to_string()
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
         # login defaults:\n# scopes = [\"profile\"]\n# claims = [\"BENationalNumber\"]\n",
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

fn show(printer: &Printer, profile: Option<&str>) -> anyhow::Result<Outcome> {
    let loaded = settings::load(profile)?;
    let p = loaded.as_ref().map(|l| &l.profile);
    let env = |name: &str| std::env::var(name).ok().filter(|v| !v.is_empty());
    let mut out = Vec::new();
    let mut add = |name: &'static str, variable: &'static str, from_profile: Option<String>| {
        let (value, source) = match (env(variable), from_profile) {
            (Some(v), _) => (Some(v), format!("env:{variable}")),
            (None, Some(v)) => (Some(v), "profile".to_string()),
            (None, None) => (None, "unset".to_string()),
        };
        out.push(Setting {
            name,
            value,
            source,
        });
    };
    add(
        "env",
        "ITSME_ENV",
        p.and_then(|p| p.env)
            .map(|e| format!("{e:?}").to_lowercase()),
    );
    add("issuer", "ITSME_ISSUER", p.and_then(|p| p.issuer.clone()));
    add(
        "client_id",
        "ITSME_CLIENT_ID",
        p.and_then(|p| p.client_id.clone()),
    );
    add(
        "service_code",
        "ITSME_SERVICE_CODE",
        p.and_then(|p| p.service_code.clone()),
    );
    add(
        "redirect_uri",
        "ITSME_REDIRECT_URI",
        p.and_then(|p| p.redirect_uri.clone()),
    );
    add(
        "jwks_uri",
        "ITSME_JWKS_URI",
        p.and_then(|p| p.jwks_uri.clone()),
    );
    let keys = p.filter(|p| !p.keys.is_empty()).map(|p| {
        p.keys
            .iter()
            .map(|k| k.display().to_string())
            .collect::<Vec<_>>()
            .join(", ")
    });
    out.push(Setting {
        name: "keys",
        source: if keys.is_some() {
            "profile".into()
        } else {
            "unset".into()
        },
        value: keys,
    });
    let secret = env("ITSME_CLIENT_SECRET");
    out.push(Setting {
        name: "client_secret",
        source: if secret.is_some() {
            "env:ITSME_CLIENT_SECRET".into()
        } else {
            "unset (prompted when needed)".into()
        },
        value: secret.map(|_| "(redacted)".into()),
    });
    let report = ShowReport {
        profile: loaded.map(|l| ProfileRef {
            name: l.name,
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
