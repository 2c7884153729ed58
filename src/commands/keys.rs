//! `itsme-cli keys`: generate the two RSA keys an itsme® integration needs, publish their public
//! parts, and describe any key file or published key set (PROTOCOL §3).

use std::path::{Path, PathBuf};

use serde::Serialize;
use serde_json::Value;

use crate::cli::{KeysCommand, KeysGenerateArgs, KeysPublicArgs, KeysShowArgs};
use crate::error::{Outcome, WithHint};
use crate::jose::keys::{PrivateKey, PublicKeySet};
use crate::printer::{self, Printer};

/// Runs a `keys` subcommand.
pub fn run(command: &KeysCommand, printer: &Printer) -> anyhow::Result<Outcome> {
    match command {
        KeysCommand::Generate(args) => generate(args, printer),
        KeysCommand::Public(args) => public(args, printer),
        KeysCommand::Show(args) => show(args, printer),
    }
}

/// What `keys generate` made.
#[derive(Debug, Serialize)]
pub struct GenerateReport {
    /// The private JWK Set file (mode 0600).
    pub private_jwks: PathBuf,
    /// The public JWK Set file, to host at the jwks_uri.
    pub public_jwks: PathBuf,
    /// The keys.
    pub keys: Vec<KeySummary>,
}

/// One key, described.
#[derive(Debug, Clone, Serialize)]
pub struct KeySummary {
    /// `kid`, if any.
    pub kid: Option<String>,
    /// `kty`.
    pub kty: String,
    /// `use`, if any.
    #[serde(rename = "use")]
    pub key_use: Option<String>,
    /// `alg`, if any.
    pub alg: Option<String>,
    /// Modulus size.
    pub bits: Option<u32>,
    /// RFC 7638 thumbprint.
    pub thumbprint: Option<String>,
    /// Private members present in the key.
    pub private_members: Vec<&'static str>,
}

fn generate(args: &KeysGenerateArgs, printer: &Printer) -> anyhow::Result<Outcome> {
    if args.out.exists() && !args.out.is_dir() {
        return Err(crate::error::hinted(
            format!("`{}` exists and is not a directory", args.out.display()),
            "--out names the directory to write private.jwks.json and public.jwks.json into",
        ));
    }
    let private_path = args.out.join("private.jwks.json");
    let public_path = args.out.join("public.jwks.json");
    if !args.force {
        for path in [&private_path, &public_path] {
            if path.exists() {
                return Err(crate::error::hinted(
                    format!("`{}` already exists; not overwriting keys", path.display()),
                    "pass --force to replace them (the old keys are lost), or choose another --out",
                ));
            }
        }
    }
    std::fs::create_dir_all(&args.out).hint(
        format!("could not create `{}`", args.out.display()),
        "check the path and its permissions",
    )?;
    if !printer.json_mode() {
        printer.note(format_args!("Generating two RSA-{} keys…", args.size));
    }
    // PROTOCOL §3: one RSA key with use sig (RS256), one with use enc; every key has a kid.
    let sig = PrivateKey::generate(args.size, "sig", "RS256")?;
    let enc = PrivateKey::generate(args.size, "enc", "RSA-OAEP-256")?;
    let private_doc = PublicKeySet::document(&[sig.private_jwk(), enc.private_jwk()]);
    let public_doc = PublicKeySet::document(&[sig.public_jwk(), enc.public_jwk()]);
    super::write_private_file(&private_path, pretty(&private_doc).as_bytes(), args.force)?;
    super::write_file(
        &public_path,
        pretty(&public_doc).as_bytes(),
        args.force,
        0o644,
    )?;
    let keys = describe_set(&PublicKeySet::parse(pretty(&public_doc).as_bytes())?);
    let report = GenerateReport {
        private_jwks: private_path,
        public_jwks: public_path,
        keys,
    };
    printer.result(&report, printer::keys::render_generated)?;
    Ok(Outcome::Yes)
}

fn pretty(value: &Value) -> String {
    let mut text = serde_json::to_string_pretty(value).unwrap_or_default();
    text.push('\n');
    text
}

fn public(args: &KeysPublicArgs, printer: &Printer) -> anyhow::Result<Outcome> {
    let keys = super::read_private_keys(&args.path, printer)?;
    let doc = PublicKeySet::document(&keys.iter().map(PrivateKey::public_jwk).collect::<Vec<_>>());
    printer.stdout(&pretty(&doc))?;
    Ok(Outcome::Yes)
}

/// A remark on a key set.
#[derive(Debug, Clone, Serialize)]
pub struct KeyFinding {
    /// Stable code.
    pub code: &'static str,
    /// `error` or `warning`.
    pub severity: &'static str,
    /// In words.
    pub message: String,
}

/// What `keys show` found.
#[derive(Debug, Serialize)]
pub struct ShowReport {
    /// The file or URL.
    pub source: String,
    /// Whether the set was treated as meant to be public.
    pub public: bool,
    /// No error findings.
    pub valid: bool,
    /// The keys.
    pub keys: Vec<KeySummary>,
    /// Remarks.
    pub findings: Vec<KeyFinding>,
}

fn show(args: &KeysShowArgs, printer: &Printer) -> anyhow::Result<Outcome> {
    let is_url = args.source.starts_with("https://") || args.source.starts_with("http://");
    let bytes = if is_url {
        let url = crate::http::parse_fetch_url(&args.source, "the key set URL")?;
        let response =
            crate::http::Http::new()?.get(&url, "application/jwk-set+json, application/json")?;
        if response.status != 200 {
            anyhow::bail!("`{url}` answered HTTP {}", response.status);
        }
        response.body
    } else {
        crate::input::read_file_limited(Path::new(&args.source), 1024 * 1024)?
    };
    let public = args.public || is_url || file_name_says_public(&args.source);
    let set = parse_any(&bytes, &args.source)?;
    let keys = describe_set(&set);
    if !is_url && !public && keys.iter().any(|k| !k.private_members.is_empty()) {
        super::warn_if_readable_by_others(Path::new(&args.source), printer);
    }
    let findings = findings(&keys, public);
    let valid = findings.iter().all(|f| f.severity != "error");
    let report = ShowReport {
        source: args.source.clone(),
        public,
        valid,
        keys,
        findings,
    };
    printer.result(&report, printer::keys::render_show)?;
    Ok(Outcome::from_bool(valid))
}

fn file_name_says_public(source: &str) -> bool {
    Path::new(source)
        .file_name()
        .and_then(|n| n.to_str())
        .is_some_and(|n| n.to_ascii_lowercase().contains("public"))
}

/// Reads a JWK Set or JWK, or a PEM private key (described through its public JWK).
fn parse_any(bytes: &[u8], source: &str) -> anyhow::Result<PublicKeySet> {
    if String::from_utf8_lossy(bytes)
        .trim_start()
        .starts_with("-----BEGIN")
    {
        let keys = crate::jose::keys::load_private_keys(bytes, source)?;
        let doc =
            PublicKeySet::document(&keys.iter().map(PrivateKey::private_jwk).collect::<Vec<_>>());
        return Ok(PublicKeySet::parse(doc.to_string().as_bytes())?);
    }
    PublicKeySet::parse(bytes).hint(
        format!("`{source}` is not a JWK Set or JWK"),
        "give a JWK Set (`{\"keys\": […]}`), a JWK, or a PEM key",
    )
}

/// One summary per key of a set.
pub(crate) fn describe_set(set: &PublicKeySet) -> Vec<KeySummary> {
    set.keys
        .iter()
        .map(|k| KeySummary {
            kid: k.kid.clone(),
            kty: k.kty.clone(),
            key_use: k.key_use.clone(),
            alg: k.alg.clone(),
            bits: k.bits,
            thumbprint: k.thumbprint(),
            private_members: k.private_members.clone(),
        })
        .collect()
}

/// Remarks per PROTOCOL §3: RSA only, a kid on every key, sig and enc keys, ≥ 2048 bits, no private
/// members in a public set.
fn findings(keys: &[KeySummary], public: bool) -> Vec<KeyFinding> {
    let mut out = Vec::new();
    let mut push = |code, severity, message: String| {
        out.push(KeyFinding {
            code,
            severity,
            message,
        })
    };
    for (i, key) in keys.iter().enumerate() {
        let name = key
            .kid
            .as_deref()
            .map_or_else(|| format!("key #{}", i + 1), |k| format!("key `{k}`"));
        if public && !key.private_members.is_empty() {
            push(
                "private_members_published",
                "error",
                format!(
                    "{name} publishes its private part ({}): the key is compromised; generate a new one, do not just remove the members",
                    key.private_members.join(", ")
                ),
            );
        }
        if key.kty != "RSA" {
            push(
                "not_rsa",
                "warning",
                format!("{name} is a `{}` key; itsme® uses RSA keys only", key.kty),
            );
        }
        if key.kid.is_none() {
            push(
                "kid_missing",
                "warning",
                format!("{name} has no `kid`; itsme® requires one on every key"),
            );
        }
        if key.key_use.is_none() {
            push(
                "use_missing",
                "warning",
                format!("{name} has no `use`; itsme® expects `sig` or `enc`"),
            );
        }
        if key.bits.is_some_and(|b| b < 2048) {
            push(
                "key_too_small",
                "warning",
                format!(
                    "{name} has {} bits; use at least 2048",
                    key.bits.unwrap_or(0)
                ),
            );
        }
    }
    let mut kids: Vec<&str> = keys.iter().filter_map(|k| k.kid.as_deref()).collect();
    kids.sort_unstable();
    let mut duplicates: Vec<&str> = kids
        .windows(2)
        .filter(|p| p[0] == p[1])
        .map(|p| p[0])
        .collect();
    duplicates.dedup();
    for kid in duplicates {
        push(
            "duplicate_kid",
            "warning",
            format!("`{kid}` is the kid of more than one key"),
        );
    }
    if keys.is_empty() {
        push("no_keys", "error", "the set holds no keys".into());
        return out;
    }
    let has = |u: &str| {
        keys.iter()
            .any(|k| k.kty == "RSA" && k.key_use.as_deref() == Some(u))
    };
    if !has("sig") {
        push("no_sig_key", "warning", "no RSA key with `use: sig`: itsme® needs one to check your client assertions and request objects".into());
    }
    if !has("enc") {
        push(
            "no_enc_key",
            "warning",
            "no RSA key with `use: enc`: itsme® needs one to encrypt ID tokens to you".into(),
        );
    }
    out
}
