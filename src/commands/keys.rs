//! `itsme-cli keys`: generate the two RSA keys an itsme® integration needs, publish their public
//! parts, and describe any key file or published key set (PROTOCOL §3).

use std::path::Path;

use serde_json::Value;

use crate::cli::{KeysCommand, KeysGenerateArgs, KeysPublicArgs, KeysShowArgs};
use crate::error::{Outcome, WithHint};
use crate::jose::keys::{PrivateKey, PublicKeySet};
use crate::key_rules::summary::{GenerateReport, ShowReport, describe_set, show_findings};
use crate::printer::{self, Printer};

/// Runs a `keys` subcommand.
pub fn run(command: &KeysCommand, printer: &Printer) -> anyhow::Result<Outcome> {
    match command {
        KeysCommand::Generate(args) => generate(args, printer),
        KeysCommand::Public(args) => public(args, printer),
        KeysCommand::Show(args) => show(args, printer),
    }
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
    for path in [&private_path, &public_path] {
        super::refuse_if_not_regular(path)?;
        if !args.force && path.exists() {
            return Err(crate::error::hinted(
                format!("`{}` already exists; not overwriting keys", path.display()),
                "pass --force to replace them (the old keys are lost), or choose another --out",
            ));
        }
    }
    create_private_dirs(&args.out).hint(
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

/// Creates `dir` and any missing parent, each with mode 0700 whatever the umask (an existing
/// folder keeps its mode): the folder of a private key is nobody else's business.
fn create_private_dirs(dir: &Path) -> std::io::Result<()> {
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        builder.mode(0o700);
    }
    builder.create(dir)
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
        crate::input::read_file_limited(Path::new(&args.source), crate::limits::MAX_KEY_FILE_BYTES)?
    };
    let public = args.public || is_url || file_name_says_public(&args.source);
    let set = parse_any(&bytes, &args.source)?;
    let keys = describe_set(&set);
    if !is_url && !public && !crate::key_rules::leaks(&set).is_empty() {
        super::warn_if_readable_by_others(Path::new(&args.source), printer);
    }
    let findings = show_findings(&keys, public);
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
