//! Who may use the sandbox: its registered clients, their services and redirect URIs
//! (PROTOCOL §2), from command-line flags or a TOML file (docs/sandbox.md).

use std::path::Path;

use serde::Deserialize;

use crate::error::{WithHint, hinted};
use crate::jose::keys::{PrivateKey, PublicKeySet};
use crate::secret::Secret;

/// The kind of user flow a service code selects (PROTOCOL §2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ServiceKind {
    /// Log the user in.
    Authentication,
    /// Identify the user: at least one user claim must be requested (PROTOCOL §4).
    Identification,
    /// Approve a payment or a text: needs a template and a request object (PROTOCOL §7).
    Confirmation,
    /// Share data: at least one user claim must be requested.
    DataSharing,
}

/// One service of a client.
#[derive(Debug, Clone, Deserialize, serde::Serialize)]
pub struct Service {
    /// The code used in the scope `service:<code>`.
    pub code: String,
    /// Its kind.
    #[serde(rename = "type", default = "default_kind")]
    pub kind: ServiceKind,
}

fn default_kind() -> ServiceKind {
    ServiceKind::Authentication
}

/// Which client-assertion audiences the sandbox accepts (`sandbox --assertion-aud`, a config
/// file's `assertion_aud`): itsme® documents the token endpoint (PROTOCOL §3) and says nothing of
/// the issuer form of RFC 10070, so only the documented form is accepted unless asked.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, clap::ValueEnum, Deserialize, serde::Serialize,
)]
#[serde(rename_all = "kebab-case")]
pub enum AcceptedAssertionAud {
    /// Only `aud` = the token endpoint, as itsme® documents (the default).
    #[default]
    TokenEndpoint,
    /// The documented form, and also RFC 10070's (`aud` = the issuer).
    Either,
    /// Only RFC 10070's form: `aud` = the issuer, as a single string.
    Issuer,
}

impl AcceptedAssertionAud {
    /// Its name as typed.
    pub fn name(self) -> &'static str {
        match self {
            AcceptedAssertionAud::TokenEndpoint => "token-endpoint",
            AcceptedAssertionAud::Either => "either",
            AcceptedAssertionAud::Issuer => "issuer",
        }
    }
}

/// How a client authenticates at the token endpoint (PROTOCOL §3).
#[derive(Debug, Clone)]
pub enum ClientAuth {
    /// A signed client assertion, checked against the client's public keys.
    PrivateKeyJwt(PublicKeySet),
    /// `client_secret_post`; ID tokens are then `dir`-encrypted with a key from the secret.
    Secret(Secret),
}

/// A registered client.
#[derive(Debug, Clone)]
pub struct Client {
    /// The client_id (partner code).
    pub client_id: String,
    /// How it authenticates.
    pub auth: ClientAuth,
    /// Registered redirect URIs, matched exactly.
    pub redirect_uris: Vec<String>,
    /// Its services.
    pub services: Vec<Service>,
    /// Whether PKCE is mandatory for it.
    pub require_pkce: bool,
}

impl Client {
    /// The service with this code.
    pub fn service(&self, code: &str) -> Option<&Service> {
        self.services.iter().find(|s| s.code == code)
    }
}

/// One `[[client]]` table of the config file.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ClientEntry {
    client_id: String,
    redirect_uris: Vec<String>,
    #[serde(default)]
    services: Vec<Service>,
    #[serde(default)]
    service_codes: Vec<String>,
    jwks: Option<String>,
    client_secret: Option<String>,
    #[serde(default)]
    require_pkce: bool,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ConfigFile {
    /// `legacy = true`: play a legacy client-secret provider (`sandbox --legacy`).
    #[serde(default)]
    legacy: bool,
    #[serde(default)]
    assertion_aud: Option<AcceptedAssertionAud>,
    #[serde(default, rename = "client")]
    clients: Vec<ClientEntry>,
}

/// What a sandbox config file sets up.
#[derive(Debug)]
pub struct SandboxConfig {
    /// The registered clients.
    pub clients: Vec<Client>,
    /// `legacy = true`: a legacy client-secret provider (PROTOCOL §1, §4), which takes only
    /// client-secret clients.
    pub legacy: bool,
    /// `assertion_aud`, when the file sets it.
    pub assertion_aud: Option<AcceptedAssertionAud>,
}

/// Reads a sandbox config file: its clients (relative `jwks` paths are relative to the file) and
/// its provider-wide settings.
pub fn from_file(path: &Path) -> anyhow::Result<SandboxConfig> {
    let shown = path.display().to_string();
    let text = crate::input::read_text_file_limited(path, crate::limits::MAX_CONFIG_FILE_BYTES)?;
    let file: ConfigFile = toml::from_str(&text).hint(
        format!("`{shown}` is not a valid sandbox configuration"),
        "see docs/sandbox.md for the format: [[client]] tables with client_id, redirect_uris, services, and jwks or client_secret",
    )?;
    if file.clients.is_empty() {
        return Err(hinted(
            format!("`{shown}` registers no client"),
            "add at least one [[client]] table",
        ));
    }
    let base = path.parent().unwrap_or(Path::new("."));
    let legacy = file.legacy;
    let clients = file
        .clients
        .into_iter()
        .map(|entry| client_from_entry(entry, base, &shown))
        .collect::<anyhow::Result<Vec<Client>>>()?;
    if legacy {
        refuse_keys_at_a_legacy_provider(&clients)?;
    }
    Ok(SandboxConfig {
        clients,
        legacy,
        assertion_aud: file.assertion_aud,
    })
}

/// A legacy client-secret provider has client-secret clients only (PROTOCOL §1, §3): a
/// private_key_jwt client there is a mistake in the configuration, said before anything starts.
pub fn refuse_keys_at_a_legacy_provider(clients: &[Client]) -> anyhow::Result<()> {
    match clients
        .iter()
        .find(|c| matches!(c.auth, ClientAuth::PrivateKeyJwt(_)))
    {
        Some(client) => Err(hinted(
            format!(
                "client `{}` uses private_key_jwt, which a legacy client-secret provider does not know",
                client.client_id
            ),
            "give legacy clients a `client_secret` (or --client-secret), or leave out --legacy / `legacy = true`",
        )),
        None => Ok(()),
    }
}

fn client_from_entry(entry: ClientEntry, base: &Path, file: &str) -> anyhow::Result<Client> {
    let auth = match (entry.jwks, entry.client_secret) {
        (Some(jwks), None) => ClientAuth::PrivateKeyJwt(read_client_jwks(&jwks, base)?),
        (None, Some(secret)) => ClientAuth::Secret(Secret::new(secret)),
        _ => {
            return Err(hinted(
                format!(
                    "client `{}` in `{file}` needs exactly one of `jwks` and `client_secret`",
                    entry.client_id
                ),
                "private_key_jwt clients give `jwks` (their public JWK Set), client-secret clients `client_secret`",
            ));
        }
    };
    let mut services = entry.services;
    services.extend(entry.service_codes.into_iter().map(|code| Service {
        code,
        kind: ServiceKind::Authentication,
    }));
    if services.is_empty() {
        return Err(hinted(
            format!("client `{}` has no service", entry.client_id),
            "add `service_codes = [\"LOGIN\"]`",
        ));
    }
    Ok(Client {
        client_id: entry.client_id,
        auth,
        redirect_uris: entry.redirect_uris,
        services,
        require_pkce: entry.require_pkce,
    })
}

/// Reads a client's public JWK Set from a file (relative to `base`) or an https/loopback URL.
pub fn read_client_jwks(source: &str, base: &Path) -> anyhow::Result<PublicKeySet> {
    let set = if source.starts_with("https://") || source.starts_with("http://") {
        let url = crate::http::parse_fetch_url(source, "the client's jwks")?;
        crate::provider::fetch_jwks(&crate::http::Http::new()?, &url)?
    } else {
        let path = base.join(source);
        let bytes = crate::input::read_file_limited(&path, crate::limits::MAX_KEY_FILE_BYTES)?;
        PublicKeySet::parse(&bytes).hint(
            format!("`{}` is not a JWK Set", path.display()),
            "give the client's public JWK Set",
        )?
    };
    if !crate::key_rules::leaks(&set).is_empty() {
        return Err(hinted(
            format!("the client JWK Set `{source}` contains private key members"),
            "register the public set (itsme-cli keys public PRIVATE.json)",
        ));
    }
    // A weak key would let anyone make the client's assertions (e = 1: no private key needed).
    let refused = crate::key_rules::refused_keys(&set);
    if !refused.is_empty() {
        return Err(hinted(
            format!(
                "the client JWK Set `{source}` has keys the sandbox refuses, as itsme® would: {}",
                refused.join("; ")
            ),
            "register RSA keys of 2048 bits or more with e = 65537 (itsme-cli keys generate)",
        ));
    }
    Ok(set)
}

/// The keys of a sandbox client generated for one run (`sandbox`, `login --sandbox`, `ciba
/// --sandbox`): a `sig` key (RS256) and an `enc` key (RSA-OAEP-256), 2048 bits, and the public set
/// the sandbox registers for the client.
pub fn generated_client_keys() -> anyhow::Result<(Vec<PrivateKey>, PublicKeySet)> {
    let sig = PrivateKey::generate(2048, "sig", "RS256")?;
    let enc = PrivateKey::generate(2048, "enc", "RSA-OAEP-256")?;
    let public = PublicKeySet::parse(
        PublicKeySet::document(&[sig.public_jwk(), enc.public_jwk()])
            .to_string()
            .as_bytes(),
    )?;
    Ok((vec![sig, enc], public))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_a_config_file() {
        let temp = tempfile::tempdir().unwrap();
        let dir = temp.path();
        let jwks = dir.join("client.jwks.json");
        let key = crate::jose::keys::PrivateKey::generate(2048, "sig", "RS256").unwrap();
        std::fs::write(
            &jwks,
            PublicKeySet::document(&[key.public_jwk()]).to_string(),
        )
        .unwrap();
        let config = dir.join("sandbox.toml");
        std::fs::write(
            &config,
            r#"
[[client]]
client_id = "jwt-client"
redirect_uris = ["http://127.0.0.1:9/cb"]
services = [{ code = "ID", type = "identification" }]
service_codes = ["LOGIN"]
jwks = "client.jwks.json"
require_pkce = true

[[client]]
client_id = "secret-client"
redirect_uris = ["https://example.com/cb"]
service_codes = ["LOGIN"]
client_secret = "s3cret"
"#,
        )
        .unwrap();
        let clients = from_file(&config).unwrap().clients;
        assert_eq!(clients.len(), 2);
        assert_eq!(from_file(&config).unwrap().assertion_aud, None);
        assert_eq!(
            clients[0].service("ID").unwrap().kind,
            ServiceKind::Identification
        );
        assert_eq!(
            clients[0].service("LOGIN").unwrap().kind,
            ServiceKind::Authentication
        );
        assert!(matches!(clients[0].auth, ClientAuth::PrivateKeyJwt(_)));
        assert!(matches!(clients[1].auth, ClientAuth::Secret(_)));
        std::fs::write(
            &config,
            "[[client]]\nclient_id = \"x\"\nredirect_uris = []\nservice_codes = [\"A\"]\n",
        )
        .unwrap();
        assert!(format!("{:#}", from_file(&config).unwrap_err()).contains("exactly one of"));
        std::fs::write(&config, "[[client]]\nnonsense = 1\n").unwrap();
        assert!(from_file(&config).is_err());
        // The legacy switch: client-secret clients only.
        std::fs::write(
            &config,
            "legacy = true\n[[client]]\nclient_id = \"old\"\nredirect_uris = []\nservice_codes = [\"A\"]\nclient_secret = \"s\"\n",
        )
        .unwrap();
        let config_read = from_file(&config).unwrap();
        assert!(config_read.legacy);
        assert!(matches!(config_read.clients[0].auth, ClientAuth::Secret(_)));
        std::fs::write(
            &config,
            format!(
                "legacy = true\n[[client]]\nclient_id = \"new\"\nredirect_uris = []\nservice_codes = [\"A\"]\njwks = \"{}\"\n",
                jwks.display()
            ),
        )
        .unwrap();
        let err = format!("{:#}", from_file(&config).unwrap_err());
        assert!(err.contains("legacy client-secret provider"), "{err}");
        std::fs::write(
            &config,
            "assertion_aud = \"either\"\n[[client]]\nclient_id = \"s\"\nredirect_uris = []\nservice_codes = [\"A\"]\nclient_secret = \"x\"\n",
        )
        .unwrap();
        assert_eq!(
            from_file(&config).unwrap().assertion_aud,
            Some(AcceptedAssertionAud::Either)
        );
        std::fs::write(&config, "assertion_aud = \"both\"\n[[client]]\n").unwrap();
        assert!(from_file(&config).is_err(), "an unknown policy is refused");
    }

    #[test]
    fn a_client_set_with_a_weak_key_is_refused_by_name() {
        // With e = 1 anyone could make this client's assertions without its private key.
        let temp = tempfile::tempdir().unwrap();
        let key = crate::jose::keys::PrivateKey::generate(2048, "sig", "RS256").unwrap();
        let mut jwk = key.public_jwk();
        jwk.set_key_id("forged");
        jwk.set_parameter("e", Some(serde_json::Value::String("AQ".into())))
            .unwrap();
        std::fs::write(
            temp.path().join("client.jwks.json"),
            PublicKeySet::document(&[jwk]).to_string(),
        )
        .unwrap();
        let err = format!(
            "{:#}",
            read_client_jwks("client.jwks.json", temp.path()).unwrap_err()
        );
        assert!(err.contains("key `forged` is refused"), "{err}");
        assert!(err.contains("public exponent is 1"), "{err}");
    }
}
