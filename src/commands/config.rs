//! `itsme-cli config init|show`: the config file of profiles (docs/configuration.md).

use std::io::{BufRead, IsTerminal};
use std::path::Path;

use serde::Serialize;

use crate::cli::{ConfigCommand, ConfigInitArgs};
use crate::error::{Outcome, hinted};
use crate::printer::Printer;
use crate::settings::{Provider, Settings, Shown, Sourced};

/// What `config show` prints.
#[derive(Debug, Serialize)]
pub struct ShowReport {
    /// The profile used, and its file.
    pub profile: Option<ProfileRef>,
    /// The settings (secrets redacted).
    pub settings: Vec<Shown>,
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
        None => ask(
            printer,
            "Your service code (itsme® gives one per service at onboarding)",
        )?,
    };
    let redirect_uri = match &args.redirect_uri {
        Some(uri) => Some(uri.clone()),
        None => ask(printer, "Your registered redirect URI")?,
    };
    let block = profile_block(args, client_id, service_code, redirect_uri);
    super::refuse_if_not_regular(&args.path)?;
    let shown = args.path.display();
    if !args.path.exists() {
        let text = format!(
            "# itsme-cli settings (docs/configuration.md). Flags and ITSME_* variables win over these.\n\
             # Never put secrets here: the client secret comes from ITSME_CLIENT_SECRET or a prompt.\n\
             default_profile = {}\n\n{block}",
            toml::Value::String(args.name.clone())
        );
        check_reads_back(&text, &args.path, &args.name)?;
        super::write_file(&args.path, text.as_bytes(), false, 0o644)?;
        printer.note(format_args!(
            "Wrote `{shown}` with the profile `{}`. Try: itsme-cli config show",
            args.name
        ));
        return Ok(Outcome::Yes);
    }
    let existing =
        crate::input::read_text_file_limited(&args.path, crate::limits::MAX_CONFIG_FILE_BYTES)?;
    let (text, change) = add_profile(&existing, &args.name, &block, args.force).map_err(|e| {
        let hint = e.hint();
        hinted(format!("`{shown}`: {e}"), hint)
    })?;
    check_reads_back(&text, &args.path, &args.name)?;
    super::write_file(&args.path, text.as_bytes(), true, existing_mode(&args.path))?;
    let how = match change {
        Change::Added => "Added the profile",
        Change::Replaced => "Replaced the profile",
    };
    let to = match change {
        Change::Added => "to",
        Change::Replaced => "in",
    };
    printer.note(format_args!(
        "{how} `{name}` {to} `{shown}`; its other profiles and comments are kept. Try: itsme-cli --profile {name} config show",
        name = args.name
    ));
    Ok(Outcome::Yes)
}

/// The `[profiles.NAME]` table `config init` writes: what was given, and commented examples of
/// the rest. Every comment comes before a key of the table (none trails it), so the comments move
/// with the table when it is added to an existing file.
fn profile_block(
    args: &ConfigInitArgs,
    client_id: Option<String>,
    service_code: Option<String>,
    redirect_uri: Option<String>,
) -> String {
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
    format!(
        "[profiles.{name}]\n{provider}{}{}{}{keys}{}\
         # assertion_aud = \"issuer\"  # RFC 10070's client assertion; default token-endpoint (itsme®'s)\n\
         scopes = []                  # login defaults, for example [\"profile\"]\n\
         claims = []                  # for example [\"BENationalNumber\"]\n",
        line("client_id", client_id, "your-client-id"),
        line("service_code", service_code, "YOUR_SERVICE_CODE"),
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
        name = toml_edit::Key::new(args.name.as_str()),
    )
}

/// What we write must read back as a config file with the new profile: a broken file would be a
/// poor start, and an existing file that does not read (a secret, an unknown key) is refused here
/// with the parser's words, before anything is written.
fn check_reads_back(text: &str, path: &Path, name: &str) -> anyhow::Result<()> {
    crate::settings::load_text(text, path, Some(name)).map(|_| ())
}

#[cfg(unix)]
fn existing_mode(path: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).map_or(0o644, |m| m.permissions().mode() & 0o777)
}

#[cfg(not(unix))]
fn existing_mode(_path: &Path) -> u32 {
    0o644
}

/// What [`add_profile`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Change {
    Added,
    Replaced,
}

/// Why a profile cannot be added.
#[derive(Debug, thiserror::Error)]
enum AddError {
    #[error("it already has a profile `{0}`")]
    Exists(String),
    #[error("it is not TOML: {0}")]
    NotToml(String),
    #[error("its `profiles` is not a table of [profiles.NAME] sections")]
    ProfilesNotATable,
}

impl AddError {
    fn hint(&self) -> String {
        match self {
            AddError::Exists(name) => format!(
                "choose another --name, or pass --force to replace the profile `{name}` (only that profile: the rest of the file is kept)"
            ),
            AddError::NotToml(_) | AddError::ProfilesNotATable => {
                "fix the file (see docs/configuration.md), or choose another --path".into()
            }
        }
    }
}

/// Adds the profile table `block` (as [`profile_block`] writes it) to the config file `existing`,
/// keeping its comments, layout and other profiles (toml_edit). A profile of that name is
/// refused, or with `force` replaced where it stood. A file without `default_profile` and without
/// profiles gets the new one as its default.
fn add_profile(
    existing: &str,
    name: &str,
    block: &str,
    force: bool,
) -> Result<(String, Change), AddError> {
    use toml_edit::{DocumentMut, Item, Table};
    let mut doc: DocumentMut = existing
        .parse()
        .map_err(|e: toml_edit::TomlError| AddError::NotToml(e.message().to_string()))?;
    let new: DocumentMut = block
        .parse()
        .map_err(|e: toml_edit::TomlError| AddError::NotToml(e.message().to_string()))?;
    let Some(Item::Table(mut table)) = new
        .get("profiles")
        .and_then(Item::as_table)
        .and_then(|p| p.get(name))
        .cloned()
    else {
        return Err(AddError::NotToml("the new profile does not parse".into()));
    };
    let had_profiles = doc
        .get("profiles")
        .and_then(Item::as_table_like)
        .is_some_and(|p| !p.is_empty());
    let sets_default = !had_profiles && !doc.contains_key("default_profile");
    let last = last_position(doc.as_table());
    let doc_trailing = doc.trailing().as_str().unwrap_or_default().to_string();
    let profiles = doc.entry("profiles").or_insert_with(|| {
        let mut implicit = Table::new();
        implicit.set_implicit(true);
        Item::Table(implicit)
    });
    let Some(profiles) = profiles.as_table_mut() else {
        return Err(AddError::ProfilesNotATable);
    };
    let change = match profiles.get(name) {
        Some(_) if !force => return Err(AddError::Exists(name.to_string())),
        Some(old) => {
            let old = old.as_table();
            if let Some(position) = old.and_then(Table::position) {
                table.set_position(position);
            }
            let prefix = old
                .and_then(|t| t.decor().prefix())
                .and_then(|p| p.as_str())
                .unwrap_or("\n")
                .to_string();
            table.decor_mut().set_prefix(prefix);
            Change::Replaced
        }
        None => {
            // Last in the file, after what ended it (comments below the last table included).
            table.set_position(last + 1);
            let above = if sets_default { "" } else { &doc_trailing };
            table.decor_mut().set_prefix(format!("{above}\n"));
            Change::Added
        }
    };
    profiles.insert(name, Item::Table(table));
    if change == Change::Added {
        doc.set_trailing("");
    }
    if sets_default {
        // What ended the file (comments) stays above the new lines.
        doc.insert("default_profile", toml_edit::value(name));
        if let Some(mut key) = doc.key_mut("default_profile") {
            key.leaf_decor_mut().set_prefix(doc_trailing);
        }
    }
    // toml_edit ends the file at the last value's comment; a text file ends with a newline.
    let mut text = doc.to_string();
    if !text.ends_with('\n') {
        text.push('\n');
    }
    Ok((text, change))
}

/// The highest position of a `[table]` in the document (0 when there is none).
fn last_position(table: &toml_edit::Table) -> isize {
    table
        .iter()
        .filter_map(|(_, item)| item.as_table())
        .map(|t| t.position().unwrap_or(0).max(last_position(t)))
        .max()
        .unwrap_or(0)
}

fn show(settings: &Settings, printer: &Printer) -> anyhow::Result<Outcome> {
    // Each row shows the value `main` resolved (flags > ITSME_* > profile) and its source.
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
    let mut secret = Shown::of("client_secret", &settings.client_secret, |_| {
        "(redacted)".to_string()
    });
    if secret.value.is_none() {
        secret.source = "unset (prompted when needed)".into();
    }
    let mut service_code = Shown::of("service_code", &settings.service_code, text);
    if service_code.value.is_none() {
        service_code.source = format!(
            "unset (default: {})",
            crate::itsme::service_code_default_text()
        );
    }
    let out = vec![
        Shown::of("env", &env, text),
        Shown::of("issuer", &issuer, text),
        Shown::of("client_id", &settings.client_id, text),
        service_code,
        Shown::of("redirect_uri", &settings.redirect_uris, list),
        Shown::of("jwks_uri", &settings.jwks_uri, text),
        Shown::of("keys", &keys, list),
        secret,
        Shown::of("scopes", &settings.scopes, list),
        Shown::of("claims", &settings.claims, list),
        Shown::of("assertion_aud", &settings.assertion_aud, |a| {
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

#[cfg(test)]
mod tests {
    use super::*;

    const EXISTING: &str = "# my settings, by hand\ndefault_profile = \"e2e\"\n\n# the test client\n[profiles.e2e]\nenv = \"e2e\"   # E2E first\nclient_id = \"a\"\n\n# production: careful\n[profiles.prd]\nenv = \"prd\"\nclient_id = \"b\"\n";

    fn block(name: &str, client_id: &str) -> String {
        format!(
            "[profiles.{name}]\n# jwks_uri = \"https://app.example/jwks.json\"\nclient_id = \"{client_id}\"\nscopes = []                  # login defaults\n"
        )
    }

    fn profile(text: &str, name: &str) -> crate::settings::Profile {
        crate::settings::load_text(text, Path::new("itsme.toml"), Some(name))
            .unwrap()
            .unwrap()
            .profile
    }

    #[test]
    fn a_new_profile_is_added_after_the_others_keeping_every_comment() {
        let (text, change) = add_profile(EXISTING, "local", &block("local", "c"), false).unwrap();
        assert_eq!(change, Change::Added);
        assert!(
            text.starts_with(EXISTING),
            "the file is kept byte for byte:\n{text}"
        );
        assert!(text.ends_with("\n[profiles.local]\n# jwks_uri = \"https://app.example/jwks.json\"\nclient_id = \"c\"\nscopes = []                  # login defaults\n"), "{text}");
        assert_eq!(profile(&text, "local").client_id.as_deref(), Some("c"));
        assert_eq!(profile(&text, "prd").client_id.as_deref(), Some("b"));
    }

    #[test]
    fn an_existing_profile_is_refused_and_with_force_replaced_alone_where_it_stood() {
        let err = add_profile(EXISTING, "e2e", &block("e2e", "new"), false).unwrap_err();
        assert!(matches!(err, AddError::Exists(_)));
        assert!(err.hint().contains("--force"));
        let (text, change) = add_profile(EXISTING, "e2e", &block("e2e", "new"), true).unwrap();
        assert_eq!(change, Change::Replaced);
        assert_eq!(profile(&text, "e2e").client_id.as_deref(), Some("new"));
        assert_eq!(
            profile(&text, "e2e").env,
            None,
            "the old profile is gone whole"
        );
        assert!(text.contains("# the test client\n[profiles.e2e]"), "{text}");
        assert!(
            text.contains(
                "# production: careful\n[profiles.prd]\nenv = \"prd\"\nclient_id = \"b\"\n"
            ),
            "{text}"
        );
        assert!(text.starts_with("# my settings, by hand\ndefault_profile = \"e2e\"\n"));
        assert!(
            text.find("[profiles.e2e]") < text.find("[profiles.prd]"),
            "{text}"
        );
    }

    #[test]
    fn a_file_without_profiles_gets_the_new_one_as_default_and_a_broken_file_is_refused() {
        let (text, _) = add_profile("# empty for now\n", "p", &block("p", "c"), false).unwrap();
        assert!(text.starts_with("# empty for now\n"), "{text}");
        assert_eq!(
            crate::settings::load_text(&text, Path::new("itsme.toml"), None)
                .unwrap()
                .unwrap()
                .name,
            "p"
        );
        assert!(matches!(
            add_profile("[profiles.a\n", "p", &block("p", "c"), false),
            Err(AddError::NotToml(_))
        ));
        assert!(matches!(
            add_profile("profiles = 3\n", "p", &block("p", "c"), false),
            Err(AddError::ProfilesNotATable)
        ));
    }
}
