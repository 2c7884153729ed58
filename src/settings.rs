//! Settings from a config file of named profiles (`itsme.toml`): below flags and `ITSME_*`
//! environment variables, above built-in defaults. Secrets are never read from it.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::error::{WithHint, hinted};
use crate::itsme::Environment;
use crate::oidc::client_auth::AssertionAud;
use crate::secret::Secret;

/// The config file's name.
pub const FILE_NAME: &str = "itsme.toml";

/// One profile: the settings of one client in one environment.
#[derive(Debug, Clone, Default, Deserialize, Serialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Profile {
    /// A named itsme® environment.
    pub env: Option<Environment>,
    /// Or any issuer URL.
    pub issuer: Option<String>,
    /// The client_id.
    pub client_id: Option<String>,
    /// The service code.
    pub service_code: Option<String>,
    /// The registered redirect URI.
    pub redirect_uri: Option<String>,
    /// Private key files, relative to the config file.
    #[serde(default)]
    pub keys: Vec<PathBuf>,
    /// Where the partner publishes its public keys.
    pub jwks_uri: Option<String>,
    /// `login` defaults: extra scopes.
    #[serde(default)]
    pub scopes: Vec<String>,
    /// `login` defaults: claims to ask for.
    #[serde(default)]
    pub claims: Vec<String>,
    /// Which `aud` client assertions carry: `token-endpoint` or `issuer`.
    pub assertion_aud: Option<AssertionAud>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    default_profile: Option<String>,
    #[serde(default)]
    profiles: std::collections::BTreeMap<String, Profile>,
}

/// A profile and where it came from.
#[derive(Debug, Clone)]
pub struct Loaded {
    /// Its name.
    pub name: String,
    /// The file.
    pub path: PathBuf,
    /// The settings, with key paths made absolute.
    pub profile: Profile,
}

/// Where the config file is looked for: the current directory, then the user's config directory.
pub fn candidates() -> Vec<PathBuf> {
    let mut paths = vec![PathBuf::from(FILE_NAME)];
    if let Some(dirs) = directories::ProjectDirs::from("", "", "itsme-cli") {
        paths.push(dirs.config_dir().join(FILE_NAME));
    }
    paths
}

/// Loads the profile `name` (or the file's `default_profile`) from the first config file found.
/// `Ok(None)` when there is no file, or no profile was asked for and none is the default.
pub fn load(name: Option<&str>) -> anyhow::Result<Option<Loaded>> {
    // Anything by that name counts, so that a FIFO or a directory is refused by name when read
    // (`input::read_text_file_limited`), not taken for "no config file".
    let Some(path) = candidates().into_iter().find(|p| p.exists()) else {
        return match name {
            Some(name) => Err(hinted(
                format!("profile `{name}` asked for, but there is no {FILE_NAME}"),
                "create one with `itsme-cli config init`, in this directory or the user config directory",
            )),
            None => Ok(None),
        };
    };
    load_from(&path, name)
}

/// Loads a profile from a given file.
pub fn load_from(path: &Path, name: Option<&str>) -> anyhow::Result<Option<Loaded>> {
    let text = crate::input::read_text_file_limited(path, crate::limits::MAX_CONFIG_FILE_BYTES)?;
    load_text(&text, path, name)
}

/// Loads a profile from the text of the config file at `path` (`config init` checks what it is
/// about to write with it).
pub fn load_text(text: &str, path: &Path, name: Option<&str>) -> anyhow::Result<Option<Loaded>> {
    let shown = path.display().to_string();
    if let Ok(raw) = text.parse::<toml::Table>()
        && let Some(profiles) = raw.get("profiles").and_then(toml::Value::as_table)
    {
        for (profile, table) in profiles {
            if let Some(key) = table
                .as_table()
                .and_then(|t| t.keys().find(|k| k.contains("secret")))
            {
                return Err(hinted(
                    format!(
                        "`{shown}`: profile `{profile}` has `{key}`; secrets are never read from the config file"
                    ),
                    "remove it and use ITSME_CLIENT_SECRET (or the prompt) instead",
                ));
            }
        }
    }
    let file: File = toml::from_str(text).hint(
        format!("`{shown}` is not a valid config file"),
        "see docs/configuration.md for the format",
    )?;
    let Some(name) = name.map(str::to_string).or(file.default_profile.clone()) else {
        return Ok(None);
    };
    let Some(mut profile) = file.profiles.get(&name).cloned() else {
        let known: Vec<&str> = file.profiles.keys().map(String::as_str).collect();
        return Err(hinted(
            format!("`{shown}` has no profile `{name}`"),
            format!(
                "known profiles: {}",
                if known.is_empty() {
                    "none".into()
                } else {
                    known.join(", ")
                }
            ),
        ));
    };
    let base = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    profile.keys = profile
        .keys
        .iter()
        .map(|k| {
            if k.is_absolute() {
                k.clone()
            } else {
                base.join(k)
            }
        })
        .collect();
    Ok(Some(Loaded {
        name,
        path: path.to_path_buf(),
        profile,
    }))
}

/// Where a setting's value came from, highest rank first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// Typed on the command line, as this flag.
    Flag(&'static str),
    /// From this `ITSME_*` environment variable.
    Env(&'static str),
    /// Saved with a login (`login --save`), in this file (or `stdin`), and read back by
    /// `decode-token`: what the login was checked against beats the profile of wherever the file
    /// is decoded later.
    SavedLogin(String),
    /// From the profile of the config file.
    Profile,
    /// The built-in default (the service code against a local sandbox,
    /// [`crate::itsme::default_service_code`]).
    Default,
}

impl Source {
    /// How `config show`, `decode-token` and traces name it: `flag:--issuer`, `env:ITSME_ISSUER`,
    /// `saved-login:login.json`, `profile`, `default`.
    pub fn label(&self) -> String {
        match self {
            Source::Flag(flag) => format!("flag:{flag}"),
            Source::Env(variable) => format!("env:{variable}"),
            Source::SavedLogin(file) => format!("saved-login:{file}"),
            Source::Profile => "profile".into(),
            Source::Default => "default".into(),
        }
    }

    /// Its rank: lower wins.
    fn rank(&self) -> u8 {
        match self {
            Source::Flag(_) => 0,
            Source::Env(_) => 1,
            Source::SavedLogin(_) => 2,
            Source::Profile => 3,
            Source::Default => 4,
        }
    }
}

/// The value of the highest-ranked source among `candidates`: the one precedence rule, flags >
/// `ITSME_*` > a saved login > the profile > the default.
pub fn highest<T>(candidates: impl IntoIterator<Item = Option<Sourced<T>>>) -> Option<Sourced<T>> {
    candidates
        .into_iter()
        .flatten()
        .min_by_key(|candidate| candidate.source.rank())
}

/// A resolved setting as `config show` and `decode-token` show it: secrets already redacted by
/// the caller.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Shown {
    /// Its name, as in the config file (or the expected value's name).
    pub name: &'static str,
    /// Its value, or null.
    pub value: Option<String>,
    /// Its [`Source::label`], or `unset`.
    pub source: String,
}

impl Shown {
    /// The row of `setting`, its value shown with `show`.
    pub fn of<T>(
        name: &'static str,
        setting: &Option<Sourced<T>>,
        show: impl Fn(&T) -> String,
    ) -> Self {
        Shown {
            name,
            value: setting.as_ref().map(|s| show(&s.value)),
            source: setting
                .as_ref()
                .map_or_else(|| "unset".to_string(), |s| s.source.label()),
        }
    }
}

/// What a login saved with `login --save` was checked against, as a layer of its own: below
/// flags and `ITSME_*`, above the profile ([`Settings::with_saved_login`]).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SavedLogin {
    /// The file as shown (`login.json`), or `stdin`.
    pub origin: String,
    /// The issuer the login ran against.
    pub issuer: Option<String>,
    /// Its client_id.
    pub client_id: Option<String>,
}

impl SavedLogin {
    /// A value saved with the login, with its source.
    pub fn sourced<T>(&self, value: Option<T>) -> Option<Sourced<T>> {
        value.map(|value| Sourced {
            value,
            source: Source::SavedLogin(self.origin.clone()),
        })
    }
}

/// A value and where it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sourced<T> {
    /// The value.
    pub value: T,
    /// Its source.
    pub source: Source,
}

/// The provider: a named itsme® environment or any issuer URL. One setting, whichever way it is
/// named.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Provider {
    /// A named environment (`--env`, `ITSME_ENV`, `env =`).
    Named(Environment),
    /// An issuer URL (`--issuer`, `ITSME_ISSUER`, `issuer =`).
    Issuer(String),
}

impl Provider {
    /// The issuer URL.
    pub fn issuer(&self) -> &str {
        match self {
            Provider::Named(env) => env.issuer(),
            Provider::Issuer(url) => url,
        }
    }

    /// The named environment, if it is one.
    pub fn environment(&self) -> Option<Environment> {
        match self {
            Provider::Named(env) => Some(*env),
            Provider::Issuer(_) => None,
        }
    }
}

/// What the command line typed, before the environment and the profile are consulted. Built by
/// `cli` from a command's flags; empty fields were not typed.
#[derive(Debug, Clone, Default)]
pub struct Flags {
    /// `--env`.
    pub env: Option<Environment>,
    /// `--issuer`.
    pub issuer: Option<String>,
    /// `--client-id`.
    pub client_id: Option<String>,
    /// `--service-code`.
    pub service_code: Option<String>,
    /// `--redirect-uri` (repeatable where the command allows).
    pub redirect_uris: Vec<String>,
    /// `--keys` (repeatable).
    pub keys: Vec<PathBuf>,
    /// `--client-secret`.
    pub client_secret: Option<Secret>,
    /// `--jwks-uri`.
    pub jwks_uri: Option<String>,
    /// `--scope` (repeatable).
    pub scopes: Vec<String>,
    /// `--claim` (repeatable).
    pub claims: Vec<String>,
    /// `--assertion-aud`.
    pub assertion_aud: Option<AssertionAud>,
}

/// The settings of one run, resolved once by `main`: flags > `ITSME_*` > profile > built-in
/// defaults (which the commands apply to what is still unset). Immutable; every value records
/// where it came from.
#[derive(Debug, Clone, Default)]
pub struct Settings {
    /// The profile that was consulted, if any.
    pub profile: Option<ProfileRef>,
    /// The provider.
    pub provider: Option<Sourced<Provider>>,
    /// The client_id.
    pub client_id: Option<Sourced<String>>,
    /// The service code (with its default, [`crate::itsme::default_service_code`]).
    pub service_code: Option<Sourced<String>>,
    /// The registered redirect URIs.
    pub redirect_uris: Option<Sourced<Vec<String>>>,
    /// The private key files (private_key_jwt).
    pub keys: Option<Sourced<Vec<PathBuf>>>,
    /// The client secret (never from the profile).
    pub client_secret: Option<Sourced<Secret>>,
    /// Where the partner publishes its public keys.
    pub jwks_uri: Option<Sourced<String>>,
    /// Extra scopes for `login`.
    pub scopes: Option<Sourced<Vec<String>>>,
    /// Claims for `login`.
    pub claims: Option<Sourced<Vec<String>>>,
    /// Which `aud` client assertions carry.
    pub assertion_aud: Option<Sourced<AssertionAud>>,
}

/// A profile's name and file, as shown to the user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProfileRef {
    /// Its name.
    pub name: String,
    /// Its file.
    pub path: PathBuf,
}

/// Settings that cannot be resolved.
#[derive(Debug, thiserror::Error)]
pub enum SettingsError {
    /// Two sources of the same rank name different providers.
    #[error(
        "{first} and {second} name two different providers (`{first_value}` and `{second_value}`)"
    )]
    TwoProviders {
        /// The first, as the user set it (`ITSME_ENV`, `env` of profile `p`).
        first: String,
        /// Its value.
        first_value: String,
        /// The second (`ITSME_ISSUER`, `issuer` of profile `p`).
        second: String,
        /// Its value.
        second_value: String,
    },
    /// `ITSME_ENV` holds no known environment.
    #[error("ITSME_ENV is `{0}`, which is not an itsme® environment")]
    UnknownEnvironment(String),
    /// `ITSME_ASSERTION_AUD` holds no known form.
    #[error("ITSME_ASSERTION_AUD is `{0}`, which is not a client-assertion audience")]
    UnknownAssertionAud(String),
}

impl SettingsError {
    /// The fix.
    pub fn hint(&self) -> String {
        match self {
            SettingsError::TwoProviders { first, second, .. } => format!(
                "keep one of {first} and {second}; a typed --env or --issuer wins over both"
            ),
            SettingsError::UnknownEnvironment(_) => {
                format!("use one of: {}", environment_names().join(", "))
            }
            SettingsError::UnknownAssertionAud(_) => {
                "use `token-endpoint` (what itsme® documents) or `issuer` (RFC 10070)".to_string()
            }
        }
    }
}

fn environment_names() -> Vec<String> {
    use clap::ValueEnum;
    Environment::value_variants()
        .iter()
        .filter_map(|e| e.to_possible_value())
        .map(|v| v.get_name().to_string())
        .collect()
}

/// The `ITSME_*` variable of each setting that has one.
pub mod variables {
    /// The named environment.
    pub const ENV: &str = "ITSME_ENV";
    /// The issuer URL.
    pub const ISSUER: &str = "ITSME_ISSUER";
    /// The client_id.
    pub const CLIENT_ID: &str = "ITSME_CLIENT_ID";
    /// The service code.
    pub const SERVICE_CODE: &str = "ITSME_SERVICE_CODE";
    /// One redirect URI.
    pub const REDIRECT_URI: &str = "ITSME_REDIRECT_URI";
    /// The client secret.
    pub const CLIENT_SECRET: &str = "ITSME_CLIENT_SECRET";
    /// The jwks_uri.
    pub const JWKS_URI: &str = "ITSME_JWKS_URI";
    /// Which `aud` client assertions carry.
    pub const ASSERTION_AUD: &str = "ITSME_ASSERTION_AUD";
}

/// Which layers below the flags a command consults.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Layers {
    /// Flags, then `ITSME_*`, then the profile (every command that talks to a provider).
    All,
    /// Flags only (`login --sandbox`: its own provider and client, whatever the shell says).
    FlagsOnly,
}

impl Settings {
    /// Resolves `flags` over the process environment and the profile `profile_name` (or the
    /// config file's default profile).
    pub fn resolve(
        flags: Flags,
        layers: Layers,
        profile_name: Option<&str>,
    ) -> anyhow::Result<Self> {
        if layers == Layers::FlagsOnly {
            return Ok(Self::from_layers(flags, &|_| None, None)?);
        }
        let loaded = load(profile_name)?;
        if let Some(loaded) = &loaded {
            crate::trace::trace(format_args!(
                "settings from profile `{}` of `{}`",
                loaded.name,
                loaded.path.display()
            ));
        }
        let environment = |name: &str| std::env::var(name).ok().filter(|v| !v.is_empty());
        Self::from_layers(flags, &environment, loaded).map_err(|e| {
            let hint = e.hint();
            anyhow::Error::new(crate::error::Hinted::new(e.to_string(), hint))
        })
    }

    /// The resolution itself, over any environment (pure: unit-tested).
    pub fn from_layers(
        flags: Flags,
        environment: &dyn Fn(&str) -> Option<String>,
        loaded: Option<Loaded>,
    ) -> Result<Self, SettingsError> {
        use variables as var;
        let profile = loaded.as_ref().map(|l| &l.profile);
        let env_var = |name: &'static str| environment(name).map(|v| (v, name));
        let provider = resolve_provider(&flags, environment, loaded.as_ref())?;
        let default_service_code =
            crate::itsme::default_service_code(provider.as_ref().map(|p| p.value.issuer()));
        let assertion_aud = match env_var(var::ASSERTION_AUD) {
            Some((text, name)) => Some((parse_assertion_aud(&text)?, name)),
            None => None,
        };
        let from_profile = |get: &dyn Fn(&Profile) -> Option<String>| profile.and_then(get);
        let list_from_profile = |get: &dyn Fn(&Profile) -> Vec<String>| {
            profile
                .map(get)
                .filter(|list: &Vec<String>| !list.is_empty())
        };
        Ok(Settings {
            profile: loaded.as_ref().map(|l| ProfileRef {
                name: l.name.clone(),
                path: l.path.clone(),
            }),
            provider,
            client_id: pick(
                flags.client_id.map(|v| (v, "--client-id")),
                env_var(var::CLIENT_ID),
                from_profile(&|p| p.client_id.clone()),
            ),
            service_code: highest([
                pick(
                    flags.service_code.map(|v| (v, "--service-code")),
                    env_var(var::SERVICE_CODE),
                    from_profile(&|p| p.service_code.clone()),
                ),
                default_service_code.map(|code| Sourced {
                    value: code.to_string(),
                    source: Source::Default,
                }),
            ]),
            redirect_uris: pick(
                non_empty(flags.redirect_uris).map(|v| (v, "--redirect-uri")),
                env_var(var::REDIRECT_URI).map(|(v, name)| (vec![v], name)),
                list_from_profile(&|p| p.redirect_uri.iter().cloned().collect()),
            ),
            keys: pick(
                non_empty(flags.keys).map(|v| (v, "--keys")),
                None,
                profile.map(|p| p.keys.clone()).filter(|k| !k.is_empty()),
            ),
            client_secret: pick(
                flags.client_secret.map(|v| (v, "--client-secret")),
                env_var(var::CLIENT_SECRET).map(|(v, name)| (Secret::new(v), name)),
                None,
            ),
            jwks_uri: pick(
                flags.jwks_uri.map(|v| (v, "--jwks-uri")),
                env_var(var::JWKS_URI),
                from_profile(&|p| p.jwks_uri.clone()),
            ),
            scopes: pick(
                non_empty(flags.scopes).map(|v| (v, "--scope")),
                None,
                list_from_profile(&|p| p.scopes.clone()),
            ),
            claims: pick(
                non_empty(flags.claims).map(|v| (v, "--claim")),
                None,
                list_from_profile(&|p| p.claims.clone()),
            ),
            assertion_aud: pick(
                flags.assertion_aud.map(|v| (v, "--assertion-aud")),
                assertion_aud,
                profile.and_then(|p| p.assertion_aud),
            ),
        })
    }

    /// These settings with the saved login's layer in its rank: it replaces what the profile
    /// (or a default) gave and leaves what a flag or `ITSME_*` gave. Only `decode-token` adds it,
    /// and only to the settings a saved login records (the provider and the client_id); the
    /// service code's default, which follows the provider, is not recomputed: decoding uses none.
    pub fn with_saved_login(&self, saved: &SavedLogin) -> Settings {
        let provider = saved.sourced(saved.issuer.clone().map(Provider::Issuer));
        Settings {
            provider: highest([self.provider.clone(), provider]),
            client_id: highest([
                self.client_id.clone(),
                saved.sourced(saved.client_id.clone()),
            ]),
            ..self.clone()
        }
    }

    /// The provider's issuer URL, if a provider was named.
    pub fn issuer(&self) -> Option<&str> {
        self.provider.as_ref().map(|p| p.value.issuer())
    }

    /// The issuer, or the one error every command gives without a provider; `or` names another
    /// way out where the command has one (`--sandbox`).
    pub fn require_issuer(&self, or: Option<&str>) -> anyhow::Result<&str> {
        self.issuer().ok_or_else(|| {
            let alternative = or.map(|o| format!(", or {o}")).unwrap_or_default();
            hinted(
                "no provider given",
                format!(
                    "pass --env {} or --issuer URL{alternative}",
                    environment_names().join("|")
                ),
            )
        })
    }

    /// The client_id, or the one error every command gives without it.
    pub fn require_client_id(&self) -> anyhow::Result<&str> {
        self.client_id().ok_or_else(|| {
            hinted(
                "no client_id given",
                "pass --client-id (or set ITSME_CLIENT_ID)",
            )
        })
    }

    /// The client_id, if set.
    pub fn client_id(&self) -> Option<&str> {
        value(&self.client_id).map(String::as_str)
    }

    /// The service code, if set.
    pub fn service_code(&self) -> Option<&str> {
        value(&self.service_code).map(String::as_str)
    }

    /// The redirect URIs (empty when unset).
    pub fn redirect_uris(&self) -> &[String] {
        value(&self.redirect_uris).map_or(&[], Vec::as_slice)
    }

    /// The private key files (empty when unset).
    pub fn keys(&self) -> &[PathBuf] {
        value(&self.keys).map_or(&[], Vec::as_slice)
    }

    /// The client secret, if set and not empty.
    pub fn client_secret(&self) -> Option<&Secret> {
        value(&self.client_secret).filter(|s| !s.expose().is_empty())
    }

    /// Whether the client secret was typed on the command line (it then lands in the shell's
    /// history, which deserves a warning).
    pub fn secret_typed(&self) -> bool {
        matches!(
            self.client_secret.as_ref().map(|s| &s.source),
            Some(Source::Flag(_))
        )
    }

    /// The jwks_uri, if set.
    pub fn jwks_uri(&self) -> Option<&str> {
        value(&self.jwks_uri).map(String::as_str)
    }

    /// The extra scopes (empty when unset).
    pub fn scopes(&self) -> &[String] {
        value(&self.scopes).map_or(&[], Vec::as_slice)
    }

    /// The claims (empty when unset).
    pub fn claims(&self) -> &[String] {
        value(&self.claims).map_or(&[], Vec::as_slice)
    }

    /// Which `aud` client assertions carry; unset: the token endpoint, as itsme® documents
    /// (PROTOCOL §3).
    pub fn assertion_aud(&self) -> AssertionAud {
        value(&self.assertion_aud).copied().unwrap_or_default()
    }
}

fn value<T>(setting: &Option<Sourced<T>>) -> Option<&T> {
    setting.as_ref().map(|s| &s.value)
}

fn non_empty<T>(list: Vec<T>) -> Option<Vec<T>> {
    (!list.is_empty()).then_some(list)
}

/// The highest-ranked of a flag, a variable and a profile value ([`highest`]).
fn pick<T>(
    flag: Option<(T, &'static str)>,
    variable: Option<(T, &'static str)>,
    profile: Option<T>,
) -> Option<Sourced<T>> {
    let sourced = |value, source| Sourced { value, source };
    highest([
        flag.map(|(value, name)| sourced(value, Source::Flag(name))),
        variable.map(|(value, name)| sourced(value, Source::Env(name))),
        profile.map(|value| sourced(value, Source::Profile)),
    ])
}

/// `--env`/`--issuer`, `ITSME_ENV`/`ITSME_ISSUER`, the profile's `env`/`issuer`: one setting. The
/// highest rank that names a provider decides; two names of the same rank must agree.
fn resolve_provider(
    flags: &Flags,
    environment: &dyn Fn(&str) -> Option<String>,
    loaded: Option<&Loaded>,
) -> Result<Option<Sourced<Provider>>, SettingsError> {
    use variables as var;
    let named_env = match environment(var::ENV) {
        Some(text) => Some(parse_environment(&text)?),
        None => None,
    };
    let ranks = [
        (
            flags.env.map(|e| (e, Source::Flag("--env"))),
            flags.issuer.clone().map(|i| (i, Source::Flag("--issuer"))),
        ),
        (
            named_env.map(|e| (e, Source::Env(var::ENV))),
            environment(var::ISSUER).map(|i| (i, Source::Env(var::ISSUER))),
        ),
        (
            loaded
                .and_then(|l| l.profile.env)
                .map(|e| (e, Source::Profile)),
            loaded
                .and_then(|l| l.profile.issuer.clone())
                .map(|i| (i, Source::Profile)),
        ),
    ];
    for (named, issuer) in ranks {
        let provider = match (named, issuer) {
            (None, None) => continue,
            (Some((env, source)), None) => Sourced {
                value: Provider::Named(env),
                source,
            },
            (None, Some((url, source))) => Sourced {
                value: Provider::Issuer(url),
                source,
            },
            // Both at one rank: fine when they name the same issuer, an error otherwise.
            (Some((env, source)), Some((url, _))) if env.issuer() == url => Sourced {
                value: Provider::Named(env),
                source,
            },
            (Some((env, source)), Some((url, _))) => {
                let profile = loaded.map(|l| l.name.as_str()).unwrap_or_default();
                let shown = |source: &Source, member: &str| match source {
                    Source::Flag(flag) => format!("`{flag}`"),
                    Source::Env(variable) => format!("`{variable}`"),
                    // Only flags, variables and the profile name a provider in two ways.
                    Source::Profile | Source::SavedLogin(_) | Source::Default => {
                        format!("`{member}` of profile `{profile}`")
                    }
                };
                let second = match &source {
                    Source::Flag(_) => Source::Flag("--issuer"),
                    Source::Env(_) => Source::Env(var::ISSUER),
                    other => other.clone(),
                };
                return Err(SettingsError::TwoProviders {
                    first: shown(&source, "env"),
                    first_value: env.name().to_string(),
                    second: shown(&second, "issuer"),
                    second_value: url,
                });
            }
        };
        return Ok(Some(provider));
    }
    Ok(None)
}

fn parse_assertion_aud(text: &str) -> Result<AssertionAud, SettingsError> {
    use clap::ValueEnum;
    AssertionAud::from_str(text.trim(), true)
        .map_err(|_| SettingsError::UnknownAssertionAud(text.to_string()))
}

fn parse_environment(text: &str) -> Result<Environment, SettingsError> {
    use clap::ValueEnum;
    Environment::from_str(text.trim(), true)
        .map_err(|_| SettingsError::UnknownEnvironment(text.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn profiles_load_with_relative_keys_and_refuse_secrets() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(FILE_NAME);
        std::fs::write(&path, "default_profile = \"e2e\"\n[profiles.e2e]\nenv = \"e2e\"\nclient_id = \"c\"\nkeys = [\"keys/private.jwks.json\"]\nscopes = [\"profile\"]\n").unwrap();
        let loaded = load_from(&path, None).unwrap().unwrap();
        assert_eq!(loaded.name, "e2e");
        assert_eq!(loaded.profile.env, Some(Environment::E2e));
        assert_eq!(
            loaded.profile.keys,
            vec![dir.path().join("keys/private.jwks.json")]
        );
        let missing = load_from(&path, Some("prd")).unwrap_err();
        assert!(crate::error::hints(&missing)[0].contains("known profiles: e2e"));
        std::fs::write(&path, "[profiles.x]\nclient_secret = \"s\"\n").unwrap();
        assert!(
            format!("{:#}", load_from(&path, Some("x")).unwrap_err())
                .contains("never read from the config")
        );
        std::fs::write(&path, "[profiles.x]\nnonsense = 1\n").unwrap();
        assert!(load_from(&path, Some("x")).is_err());
        std::fs::write(&path, "[profiles.x]\nclient_id = \"c\"\n").unwrap();
        assert!(
            load_from(&path, None).unwrap().is_none(),
            "no name and no default: no profile"
        );
    }

    fn profile(text: &str) -> Option<Loaded> {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(FILE_NAME);
        std::fs::write(&path, format!("[profiles.p]\n{text}")).unwrap();
        load_from(&path, Some("p")).unwrap()
    }

    fn env_of(pairs: &'static [(&'static str, &'static str)]) -> impl Fn(&str) -> Option<String> {
        move |name| {
            pairs
                .iter()
                .find(|(k, _)| *k == name)
                .map(|(_, v)| v.to_string())
        }
    }

    fn resolved(
        flags: Flags,
        env: &'static [(&'static str, &'static str)],
        loaded: Option<Loaded>,
    ) -> Result<Settings, SettingsError> {
        Settings::from_layers(flags, &env_of(env), loaded)
    }

    const SANDBOX: &str = "http://127.0.0.1:8080/v2";

    #[test]
    fn a_typed_issuer_beats_itsme_env() {
        let flags = Flags {
            issuer: Some(SANDBOX.into()),
            ..Flags::default()
        };
        let s = resolved(flags, &[("ITSME_ENV", "e2e")], None).unwrap();
        assert_eq!(s.issuer(), Some(SANDBOX));
        assert_eq!(s.provider.unwrap().source, Source::Flag("--issuer"));
    }

    #[test]
    fn a_typed_env_beats_itsme_issuer_and_both_variables() {
        let flags = Flags {
            env: Some(Environment::Prd),
            ..Flags::default()
        };
        let both = &[("ITSME_ENV", "e2e"), ("ITSME_ISSUER", SANDBOX)];
        let s = resolved(flags, both, None).unwrap();
        assert_eq!(s.provider.unwrap().value, Provider::Named(Environment::Prd));
    }

    #[test]
    fn both_variables_disagreeing_is_one_error_naming_them() {
        let both = &[("ITSME_ENV", "e2e"), ("ITSME_ISSUER", SANDBOX)];
        let err = resolved(Flags::default(), both, None).unwrap_err();
        let text = err.to_string();
        assert!(
            text.contains("`ITSME_ENV`") && text.contains("`ITSME_ISSUER`"),
            "{text}"
        );
        assert!(!text.contains("--"), "no flag was typed: {text}");
    }

    #[test]
    fn both_variables_naming_the_same_issuer_agree() {
        let both = &[
            ("ITSME_ENV", "e2e"),
            ("ITSME_ISSUER", "https://idp.e2e.itsme.services/v2"),
        ];
        let s = resolved(Flags::default(), both, None).unwrap();
        assert_eq!(s.provider.unwrap().source, Source::Env("ITSME_ENV"));
    }

    #[test]
    fn the_environment_beats_the_profile_as_one_setting() {
        // The profile names an environment, the shell an issuer: the issuer wins whole.
        let s = resolved(
            Flags::default(),
            &[("ITSME_ISSUER", SANDBOX)],
            profile("env = \"e2e\"\nclient_id = \"c\"\n"),
        )
        .unwrap();
        assert_eq!(s.issuer(), Some(SANDBOX));
        assert_eq!(s.client_id.unwrap().source, Source::Profile);
    }

    #[test]
    fn a_profile_naming_two_providers_is_an_error_naming_its_members() {
        let loaded = profile(&format!("env = \"e2e\"\nissuer = \"{SANDBOX}\"\n"));
        let text = resolved(Flags::default(), &[], loaded)
            .unwrap_err()
            .to_string();
        assert!(
            text.contains("`env` of profile `p`") && text.contains("`issuer` of profile `p`"),
            "{text}"
        );
    }

    #[test]
    fn an_unknown_itsme_env_is_refused_with_the_known_ones() {
        let err = resolved(Flags::default(), &[("ITSME_ENV", "staging")], None).unwrap_err();
        assert!(err.to_string().contains("`staging`"));
        assert!(err.hint().contains("e2e") && err.hint().contains("prd"));
        assert!(err.hint().contains("uat"), "{}", err.hint());
    }

    #[test]
    fn uat_is_a_named_environment_everywhere_an_environment_is_read() {
        let s = resolved(Flags::default(), &[("ITSME_ENV", "UAT")], None).unwrap();
        assert_eq!(s.issuer(), Some("https://idp.uat.itsme.services/v2"));
        let s = resolved(Flags::default(), &[], profile("env = \"uat\"\n")).unwrap();
        assert_eq!(s.provider.unwrap().value, Provider::Named(Environment::Uat));
    }

    #[test]
    fn flags_beat_variables_beat_the_profile_for_each_setting() {
        let loaded = || profile("client_id = \"from-profile\"\nservice_code = \"P\"\n");
        let flags = Flags {
            client_id: Some("from-flag".into()),
            ..Flags::default()
        };
        let env = &[("ITSME_CLIENT_ID", "from-env"), ("ITSME_SERVICE_CODE", "E")];
        let s = resolved(flags, env, loaded()).unwrap();
        assert_eq!(s.client_id(), Some("from-flag"));
        assert_eq!(s.client_id.unwrap().source, Source::Flag("--client-id"));
        assert_eq!(
            s.service_code.unwrap().source,
            Source::Env("ITSME_SERVICE_CODE")
        );
        let s = resolved(
            Flags::default(),
            &[("ITSME_CLIENT_ID", "from-env")],
            loaded(),
        )
        .unwrap();
        assert_eq!(s.client_id(), Some("from-env"));
        let s = resolved(Flags::default(), &[], loaded()).unwrap();
        assert_eq!(s.client_id(), Some("from-profile"));
        assert_eq!(s.client_id.unwrap().source.label(), "profile");
        let s = resolved(Flags::default(), &[], None).unwrap();
        assert!(s.client_id.is_none() && s.provider.is_none());
    }

    #[test]
    fn a_saved_login_beats_the_profile_and_yields_to_flags_and_variables() {
        let saved = SavedLogin {
            origin: "login.json".into(),
            issuer: Some(SANDBOX.into()),
            client_id: Some("saved".into()),
        };
        let from_file = Source::SavedLogin("login.json".into());
        let loaded = || profile("env = \"e2e\"\nclient_id = \"from-profile\"\n");
        let s = resolved(Flags::default(), &[], loaded())
            .unwrap()
            .with_saved_login(&saved);
        assert_eq!(s.issuer(), Some(SANDBOX));
        assert_eq!(s.provider.as_ref().unwrap().source, from_file);
        assert_eq!(
            s.client_id.as_ref().unwrap().source.label(),
            "saved-login:login.json"
        );
        let s = resolved(Flags::default(), &[("ITSME_ENV", "prd")], loaded())
            .unwrap()
            .with_saved_login(&saved);
        assert_eq!(s.client_id(), Some("saved"));
        assert_eq!(s.provider.unwrap().value, Provider::Named(Environment::Prd));
        let flags = Flags {
            client_id: Some("typed".into()),
            ..Flags::default()
        };
        let s = resolved(flags, &[], None).unwrap().with_saved_login(&saved);
        assert_eq!(s.client_id(), Some("typed"));
        assert_eq!(s.provider.unwrap().source, from_file);
        let nothing_saved = SavedLogin::default();
        let s = resolved(Flags::default(), &[], loaded())
            .unwrap()
            .with_saved_login(&nothing_saved);
        assert_eq!(s.client_id.unwrap().source, Source::Profile);
    }

    #[test]
    fn the_assertion_aud_is_a_setting_like_the_others() {
        let s = resolved(Flags::default(), &[], None).unwrap();
        assert_eq!(
            s.assertion_aud(),
            AssertionAud::TokenEndpoint,
            "itsme®'s form by default"
        );
        let loaded = || profile("assertion_aud = \"issuer\"\n");
        let s = resolved(Flags::default(), &[], loaded()).unwrap();
        assert_eq!(s.assertion_aud(), AssertionAud::Issuer);
        assert_eq!(s.assertion_aud.unwrap().source, Source::Profile);
        let env = &[("ITSME_ASSERTION_AUD", "token-endpoint")];
        let s = resolved(Flags::default(), env, loaded()).unwrap();
        assert_eq!(s.assertion_aud(), AssertionAud::TokenEndpoint);
        let flags = Flags {
            assertion_aud: Some(AssertionAud::Issuer),
            ..Flags::default()
        };
        let s = resolved(flags, env, None).unwrap();
        assert_eq!(
            s.assertion_aud.unwrap().source,
            Source::Flag("--assertion-aud")
        );
        let err = resolved(Flags::default(), &[("ITSME_ASSERTION_AUD", "both")], None).unwrap_err();
        assert!(err.to_string().contains("`both`") && err.hint().contains("RFC 10070"));
    }

    #[test]
    fn a_typed_secret_is_known_as_typed_and_never_shown() {
        let flags = Flags {
            client_secret: Some(Secret::new("hunter2")),
            ..Flags::default()
        };
        let s = resolved(flags, &[("ITSME_CLIENT_SECRET", "other")], None).unwrap();
        assert!(s.secret_typed());
        assert!(!format!("{s:?}").contains("hunter2"));
        let s = resolved(Flags::default(), &[("ITSME_CLIENT_SECRET", "other")], None).unwrap();
        assert!(!s.secret_typed());
        assert_eq!(s.client_secret().map(Secret::expose), Some("other"));
    }
}
