//! Settings from a config file of named profiles (`itsme.toml`): below flags and `ITSME_*`
//! environment variables, above built-in defaults. Secrets are never read from it.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::error::{WithHint, hinted};
use crate::itsme::Environment;

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
    let Some(path) = candidates().into_iter().find(|p| p.is_file()) else {
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
    let shown = path.display().to_string();
    let text = std::fs::read_to_string(path)
        .hint(format!("could not read `{shown}`"), "check its permissions")?;
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
    let file: File = toml::from_str(&text).hint(
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

/// Fills `value` from the profile when neither a flag nor the environment set it.
pub fn fill<T: Clone>(value: &mut Option<T>, from_profile: &Option<T>) {
    if value.is_none() {
        value.clone_from(from_profile);
    }
}

/// Fills the provider (`env` or `issuer`, one setting) only when neither was given: otherwise a
/// profile's `issuer` would win over a typed `--env`.
pub fn fill_provider(
    env: &mut Option<Environment>,
    issuer: &mut Option<String>,
    profile: &Profile,
) {
    if env.is_none() && issuer.is_none() {
        *env = profile.env;
        issuer.clone_from(&profile.issuer);
    }
}

/// Fills a list from the profile when the command line gave none.
pub fn fill_list<T: Clone>(value: &mut Vec<T>, from_profile: &[T]) {
    if value.is_empty() {
        value.extend_from_slice(from_profile);
    }
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

    #[test]
    fn flags_and_environment_win_over_the_profile() {
        let mut set = Some("from flag".to_string());
        fill(&mut set, &Some("from profile".to_string()));
        assert_eq!(set.as_deref(), Some("from flag"));
        let mut unset: Option<String> = None;
        fill(&mut unset, &Some("from profile".to_string()));
        assert_eq!(unset.as_deref(), Some("from profile"));
    }
}
