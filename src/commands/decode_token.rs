//! `itsme-cli decode-token`: decrypt, verify, validate and explain one token or a stream of them.
//! The stream (`--batch`, `--scan`) is the submodule [`batch`], the replay of a HAR file
//! (`--har`) the submodule [`har`]; only this command calls them.

mod batch;
mod har;

use std::io::IsTerminal;

use crate::cli::DecodeTokenArgs;
use crate::error::{Outcome, WithHint, hinted};
use crate::input::{self, TokenSource};
use crate::itsme::{CLAIM_PREFIX, photo};
use crate::jose::compact::{self, Compact, header_str};
use crate::jose::keys::PublicKeySet;
use crate::oidc::validate::{Expectations, TokenKind};
use crate::printer::{self, Printer};
use crate::provider::RemoteKeys;
use crate::secret::Secret;
use crate::settings::Settings;
use crate::timefmt;
use crate::token::inspect::{self, InspectOptions, Keyring, TokenReport};
use crate::token::keysource::{NoProviderKeys, ProviderKeys, StaticKeys};

/// Runs the command with the resolved settings (provider, client_id, keys, client secret).
pub fn run(
    args: &DecodeTokenArgs,
    settings: &Settings,
    printer: &Printer,
) -> anyhow::Result<Outcome> {
    let options = inspect_options(args, settings)?;
    let private_keys = super::read_all_private_keys(settings.keys(), printer)?;
    if !args.har.is_empty() {
        return har::run(args, settings, options, private_keys, printer);
    }
    if args.batch || args.scan.is_some() {
        let provider = provider_keys(args, settings.issuer(), printer)?;
        let secret = settings.client_secret().cloned();
        let setup = batch::BatchSetup {
            private_keys,
            secret,
            provider,
            options,
        };
        let source = match &args.scan {
            Some(path) => batch::Source::Scan(path.clone()),
            None => batch::Source::Stdin,
        };
        return batch::run(setup, args.jobs, source, printer);
    }
    let source = TokenSource::from_arg(args.token.as_deref());
    if source == TokenSource::Stdin && std::io::stdin().is_terminal() {
        printer.note("Paste the token, then press Enter and Ctrl-D:");
    }
    let bytes = input::read_token_bytes(&source)?;
    let mut options = options;
    let report = match input::utf8(&bytes) {
        Ok(text) if source == TokenSource::Stdin && text.trim().is_empty() => {
            TokenReport::malformed(
                options.expect.kind,
                "stdin was empty: pass the token as an argument, as @FILE, or pipe it in",
            )
        }
        Ok(text) => {
            let saved = SavedLogin::parse(text, args.userinfo);
            if let Some(saved) = &saved {
                printer.note("This is a login saved with `login --save`: decoding its tokens, with its issuer, client_id, nonce and access token as the expected values unless given.");
                saved.fill(&mut options.expect, args);
            }
            let token = saved
                .as_ref()
                .map_or_else(|| input::clean_token(text).to_string(), |s| s.token.clone());
            let provider = provider_keys(args, options.expect.issuer.as_deref(), printer)?;
            let secret = client_secret(settings, &token, printer)?;
            let mut keyring = Keyring::new(private_keys, secret, provider);
            if token.trim_start().starts_with('{') {
                // A userinfo saved as plain JSON (client-secret logins): its claims, no signature.
                match serde_json::from_str::<serde_json::Value>(&token) {
                    Ok(serde_json::Value::Object(claims)) => {
                        inspect::inspect_claims(claims, &options)
                    }
                    _ => TokenReport::malformed(
                        options.expect.kind,
                        "the saved userinfo is not a JSON object",
                    ),
                }
            } else {
                let report = inspect::inspect(&token, &mut keyring, &options)?;
                if let Some((set, origin)) = keyring.fetched_provider_keys() {
                    warn_leaks(set, &origin, printer);
                }
                report
            }
        }
        Err(why) => TokenReport::malformed(options.expect.kind, why),
    };
    printer.result(&report, |report| {
        printer::token::render(report, options.expect.now)
    })?;
    if let Some(path) = &args.save_photo {
        save_photo(&report, path, args.force, printer)?;
    }
    Ok(Outcome::from_bool(accepted(&report, &options)))
}

/// The exit verdict: valid; or, with `--no-verify` (decoding only), decoded without claim problems.
/// Used for the single token and for each line of [`batch`].
fn accepted(report: &TokenReport, options: &InspectOptions) -> bool {
    if options.verify_signature {
        report.valid
    } else {
        report.errors.is_empty() && report.claims.is_some()
    }
}

fn inspect_options(args: &DecodeTokenArgs, settings: &Settings) -> anyhow::Result<InspectOptions> {
    let now = match &args.now {
        Some(text) => timefmt::parse_instant(text).map_err(|why| {
            hinted(
                why,
                "for example `--now 2026-01-01T00:05:00Z` or `--now 1767225900`",
            )
        })?,
        None => timefmt::now(),
    };
    let kind = if args.userinfo {
        TokenKind::Userinfo
    } else {
        TokenKind::IdToken
    };
    let expect = Expectations {
        issuer: settings.issuer().map(str::to_string),
        client_id: settings.client_id().map(str::to_string),
        nonce: args.nonce.clone(),
        access_token: args.access_token.as_ref().map(|t| t.expose().to_string()),
        expect_sub: args.expect_sub.clone(),
        clock_skew: i64::from(args.clock_skew),
        ..Expectations::new(kind, now)
    };
    Ok(InspectOptions {
        expect,
        verify_signature: !args.no_verify,
    })
}

/// A login saved by `login --save`: the token to decode and the values it was checked against.
struct SavedLogin {
    token: String,
    issuer: Option<String>,
    client_id: Option<String>,
    nonce: Option<String>,
    access_token: Option<String>,
    sub: Option<String>,
}

impl SavedLogin {
    /// Reads a saved login; `None` when the text is not one.
    fn parse(text: &str, userinfo: bool) -> Option<Self> {
        let value: serde_json::Value = serde_json::from_str(text.trim()).ok()?;
        let tokens = value.get("tokens")?;
        let string = |v: Option<&serde_json::Value>| {
            v.and_then(serde_json::Value::as_str).map(str::to_string)
        };
        let token = string(tokens.get(if userinfo { "userinfo" } else { "id_token" }))?;
        Some(SavedLogin {
            token,
            issuer: string(value.get("issuer")),
            client_id: string(value.get("client_id")),
            nonce: string(value.pointer("/request/nonce")),
            access_token: string(tokens.get("access_token")),
            sub: string(value.pointer("/id_token/claims/sub")),
        })
    }

    /// Uses the saved values where the command line gave none.
    fn fill(&self, expect: &mut Expectations, args: &DecodeTokenArgs) {
        let kind = expect.kind;
        if expect.issuer.is_none() {
            expect.issuer.clone_from(&self.issuer);
        }
        if expect.client_id.is_none() {
            expect.client_id.clone_from(&self.client_id);
        }
        if kind == TokenKind::IdToken {
            if args.nonce.is_none() {
                expect.nonce.clone_from(&self.nonce);
            }
            if args.access_token.is_none() {
                expect.access_token.clone_from(&self.access_token);
            }
        } else if expect.expect_sub.is_none() {
            expect.expect_sub.clone_from(&self.sub);
        }
    }
}

pub(super) fn provider_keys(
    args: &DecodeTokenArgs,
    issuer: Option<&str>,
    printer: &Printer,
) -> anyhow::Result<Box<dyn ProviderKeys + Send>> {
    if args.no_verify {
        return Ok(Box::new(NoProviderKeys));
    }
    if let Some(jwks) = &args.jwks {
        if jwks.starts_with("https://") || jwks.starts_with("http://") {
            let url = crate::http::parse_fetch_url(jwks, "--jwks")?;
            return Ok(Box::new(RemoteKeys::from_jwks_url(url)));
        }
        crate::trace::trace(format_args!("reading provider keys from `{jwks}`"));
        let bytes = input::read_file_limited(
            std::path::Path::new(jwks),
            crate::limits::MAX_KEY_FILE_BYTES,
        )?;
        let set = PublicKeySet::parse(&bytes).hint(
            format!("`{jwks}` is not a JWK Set"),
            "--jwks takes the provider's public JWK Set (a file or its https URL)",
        )?;
        warn_leaks(&set, &format!("`{jwks}`"), printer);
        return Ok(Box::new(StaticKeys::new(set, format!("`{jwks}`"))));
    }
    match issuer {
        Some(issuer) => {
            crate::http::parse_fetch_url(issuer, "the issuer")?;
            Ok(Box::new(RemoteKeys::from_issuer(issuer)))
        }
        None => Ok(Box::new(NoProviderKeys)),
    }
}

/// A public key set with private members (a file, a URL, a provider's jwks_uri): the same warning
/// `keys show` gives, naming each key.
pub(super) fn warn_leaks(set: &PublicKeySet, origin: &str, printer: &Printer) {
    for leak in crate::key_rules::leaks(set) {
        printer.warn(format_args!(
            "{origin}: {} {}",
            crate::key_rules::key_name(leak.key),
            crate::key_rules::leak_reason(&leak.members)
        ));
    }
}

/// The client secret: from the flag or environment; else, when the token needs one and a person
/// is at the terminal, asked for without echo.
fn client_secret(
    settings: &Settings,
    token: &str,
    printer: &Printer,
) -> anyhow::Result<Option<Secret>> {
    if let Some(secret) = settings.client_secret() {
        return Ok(Some(secret.clone()));
    }
    let needs_secret = match compact::parse(token) {
        Ok(Compact::Jwe(jwe)) => header_str(&jwe.header, "alg") == Some("dir"),
        Ok(Compact::Jws(jws)) => header_str(&jws.header, "alg") == Some("HS256"),
        Err(_) => false,
    };
    if !needs_secret || !std::io::stderr().is_terminal() {
        return Ok(None);
    }
    printer.note("This token is protected with the client secret.");
    let secret =
        crate::interrupt::prompt(|| rpassword::prompt_password("Client secret (not shown): "))
            .hint(
                "could not read the client secret from the terminal",
                "set ITSME_CLIENT_SECRET instead",
            )?;
    Ok((!secret.is_empty()).then(|| Secret::new(secret)))
}

fn save_photo(
    report: &TokenReport,
    path: &std::path::Path,
    force: bool,
    printer: &Printer,
) -> anyhow::Result<()> {
    let claim = report
        .claims
        .as_ref()
        .and_then(|c| c.get(&format!("{CLAIM_PREFIX}physical_person_photo")));
    let Some(claim) = claim else {
        return Err(hinted(
            "--save-photo: the token has no `physical_person_photo` claim",
            "ask for the claim `http://itsme.services/v2/claim/physical_person_photo`",
        ));
    };
    let photo = photo::decode(claim).map_err(|why| {
        hinted(
            format!("--save-photo: the photo claim {why}"),
            "the token carries no usable image",
        )
    })?;
    super::write_private_file(path, &photo.bytes, force)?;
    printer.note(format_args!(
        "Saved the photo ({} {}×{}) to `{}` (mode 0600: it is personal data).",
        photo.info.detected.to_uppercase(),
        photo.info.width,
        photo.info.height,
        path.display()
    ));
    Ok(())
}
