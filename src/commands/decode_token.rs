//! `itsme-cli decode-token`: decrypt, verify, validate and explain one token or a stream of them.
//! The stream (`--batch`, `--scan`) is the submodule [`batch`], the replay of a HAR file
//! (`--har`) the submodule [`har`]; only this command calls them.

mod batch;
mod har;

use std::io::IsTerminal;

use crate::cli::DecodeTokenArgs;
use crate::error::{Outcome, WithHint, hinted};
use crate::flow::saved::SandboxKeys;
use crate::input::{self, TokenSource};
use crate::itsme::{CLAIM_PREFIX, photo};
use crate::jose::compact::{self, Compact, header_str};
use crate::jose::keys::PublicKeySet;
use crate::oidc::validate::{Expectations, TokenKind};
use crate::printer::{self, Printer};
use crate::provider::RemoteKeys;
use crate::secret::Secret;
use crate::settings::{self, Settings, Shown, Source, Sourced, highest};
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
    let mut private_keys = super::read_all_private_keys(settings.keys(), printer)?;
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
    let mut expected = Expected::resolve(args, settings, None, options.expect.kind).shown();
    let report = match input::utf8(&bytes) {
        Ok(text) if source == TokenSource::Stdin && text.trim().is_empty() => {
            TokenReport::malformed(
                options.expect.kind,
                "stdin was empty: pass the token as an argument, as @FILE, or pipe it in",
            )
        }
        Ok(text) => {
            let saved = SavedLogin::parse(text, args.userinfo, &source);
            let settings = match &saved {
                Some(saved) => {
                    printer.note("This is a login saved with `login --save`: checking its token against the values saved with it where no flag or ITSME_* variable gives one (they beat the profile).");
                    settings.with_saved_login(&saved.layer)
                }
                None => settings.clone(),
            };
            let values = Expected::resolve(args, &settings, saved.as_ref(), options.expect.kind);
            values.apply(&mut options.expect);
            expected = values.shown();
            let token = saved
                .as_ref()
                .map_or_else(|| input::clean_token(text).to_string(), |s| s.token.clone());
            if options.expect.kind == TokenKind::IdToken && looks_like_a_request_object(&token) {
                printer.note("This JWS carries authorization parameters and no `sub`: explaining it as a request object (--request-object).");
                options.expect.kind = TokenKind::RequestObject;
            }
            let kept = match (&saved, &source) {
                (Some(saved), TokenSource::File(file)) => saved.sandbox.as_ref().map(|k| (k, file)),
                _ => None,
            };
            let provider = match kept {
                Some((kept, file)) if args.jwks.is_none() && !args.no_verify => {
                    sandbox_provider_keys(kept, file)?
                }
                _ => provider_keys(args, options.expect.issuer.as_deref(), printer)?,
            };
            // The saved login's keys beat the profile's, as its other saved values do; typed
            // --keys still win.
            let keys_typed = settings.keys.as_ref().is_some_and(|k| {
                matches!(
                    k.source,
                    crate::settings::Source::Flag(_) | crate::settings::Source::Env(_)
                )
            });
            if let Some((kept, file)) = kept
                && !keys_typed
            {
                private_keys = sandbox_partner_keys(kept, file, printer)?;
            }
            let secret = client_secret(&settings, &token, printer)?;
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
    let decoded = Decoded { report, expected };
    printer.result(&decoded, |decoded| {
        printer::token::render_checked(&decoded.report, &decoded.expected, options.expect.now)
    })?;
    if let Some(path) = &args.save_photo {
        save_photo(&decoded.report, path, args.force, printer)?;
    }
    Ok(Outcome::from_bool(accepted(&decoded.report, &options)))
}

/// The `decode-token` document: the token report, and the values it was checked against with
/// where each came from (a flag, `ITSME_*`, a saved login, the profile).
#[derive(Debug, serde::Serialize)]
struct Decoded {
    #[serde(flatten)]
    report: TokenReport,
    expected: Vec<Shown>,
}

/// The values a token is checked against, each with its source: the issuer and client_id from
/// the settings (with a saved login's layer in its rank), the rest from the flags or the saved
/// login.
#[derive(Debug)]
struct Expected {
    issuer: Option<Sourced<String>>,
    client_id: Option<Sourced<String>>,
    nonce: Option<Sourced<String>>,
    access_token: Option<Sourced<String>>,
    sub: Option<Sourced<String>>,
}

impl Expected {
    fn resolve(
        args: &DecodeTokenArgs,
        settings: &Settings,
        saved: Option<&SavedLogin>,
        kind: TokenKind,
    ) -> Self {
        let flag = |value: Option<String>, name: &'static str| {
            value.map(|value| Sourced {
                value,
                source: Source::Flag(name),
            })
        };
        // A saved login's nonce and access token belong to its ID token, its `sub` to its
        // userinfo.
        let from_saved = |for_kind: TokenKind, get: fn(&SavedLogin) -> Option<String>| {
            saved
                .filter(|_| kind == for_kind)
                .and_then(|s| s.layer.sourced(get(s)))
        };
        Expected {
            issuer: settings.provider.as_ref().map(|p| Sourced {
                value: p.value.issuer().to_string(),
                source: p.source.clone(),
            }),
            client_id: settings.client_id.clone(),
            nonce: highest([
                flag(args.nonce.clone(), "--nonce"),
                from_saved(TokenKind::IdToken, |s| s.nonce.clone()),
            ]),
            access_token: highest([
                flag(
                    args.access_token.as_ref().map(|t| t.expose().to_string()),
                    "--access-token",
                ),
                from_saved(TokenKind::IdToken, |s| s.access_token.clone()),
            ]),
            sub: highest([
                flag(args.expect_sub.clone(), "--expect-sub"),
                from_saved(TokenKind::Userinfo, |s| s.sub.clone()),
            ]),
        }
    }

    fn apply(&self, expect: &mut Expectations) {
        let value = |v: &Option<Sourced<String>>| v.as_ref().map(|s| s.value.clone());
        expect.issuer = value(&self.issuer);
        expect.client_id = value(&self.client_id);
        expect.nonce = value(&self.nonce);
        expect.access_token = value(&self.access_token);
        expect.expect_sub = value(&self.sub);
    }

    /// The rows shown: always these five, in this order; the access token redacted.
    fn shown(&self) -> Vec<Shown> {
        let text = |s: &String| s.clone();
        vec![
            Shown::of("issuer", &self.issuer, text),
            Shown::of("client_id", &self.client_id, text),
            Shown::of("nonce", &self.nonce, text),
            Shown::of("access_token", &self.access_token, |_| "(redacted)".into()),
            Shown::of("sub", &self.sub, text),
        ]
    }
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
    } else if args.request_object {
        TokenKind::RequestObject
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

/// A login saved by `login --save`: the token to decode and the values it was checked against
/// (the issuer and client_id as a settings layer, [`Settings::with_saved_login`]).
struct SavedLogin {
    token: String,
    layer: settings::SavedLogin,
    nonce: Option<String>,
    access_token: Option<String>,
    sub: Option<String>,
    /// A sandbox login's generated keys, kept beside it (`flow::saved`).
    sandbox: Option<SandboxKeys>,
}

impl SavedLogin {
    /// Reads a saved login from `source`; `None` when the text is not one.
    fn parse(text: &str, userinfo: bool, source: &TokenSource) -> Option<Self> {
        let value: serde_json::Value = serde_json::from_str(text.trim()).ok()?;
        let tokens = value.get("tokens")?;
        let string = |v: Option<&serde_json::Value>| {
            v.and_then(serde_json::Value::as_str).map(str::to_string)
        };
        let token = string(tokens.get(if userinfo { "userinfo" } else { "id_token" }))?;
        let origin = match source {
            TokenSource::File(path) => path.clone(),
            TokenSource::Stdin => "stdin".into(),
            TokenSource::Literal(_) => "argument".into(),
        };
        Some(SavedLogin {
            token,
            layer: settings::SavedLogin {
                origin,
                issuer: string(value.get("issuer")),
                client_id: string(value.get("client_id")),
            },
            nonce: string(value.pointer("/request/nonce")),
            access_token: string(tokens.get("access_token")),
            sub: string(value.pointer("/id_token/claims/sub")),
            sandbox: SandboxKeys::from_saved(&value),
        })
    }
}

/// The sandbox's public keys kept in a saved sandbox login (the sandbox is gone).
fn sandbox_provider_keys(
    kept: &SandboxKeys,
    file: &str,
) -> anyhow::Result<Box<dyn ProviderKeys + Send>> {
    let set = PublicKeySet::parse(kept.provider_jwks.to_string().as_bytes()).hint(
        format!("the sandbox keys saved in `{file}` are not a JWK Set"),
        "save the sandbox login again, or pass --jwks",
    )?;
    let origin = format!("the sandbox's keys saved in `{file}`");
    Ok(Box::new(StaticKeys::new(set, origin)))
}

/// The partner keys a sandbox login generated, from the file its saved login names.
fn sandbox_partner_keys(
    kept: &SandboxKeys,
    file: &str,
    printer: &Printer,
) -> anyhow::Result<Vec<crate::jose::keys::PrivateKey>> {
    let path = kept.keys_path(std::path::Path::new(file)).ok_or_else(|| {
        hinted(
            format!(
                "`{file}` names the sandbox keys file `{}`, which is not a file beside it",
                kept.keys_file
            ),
            "pass --keys with the partner keys of that login",
        )
    })?;
    printer.note(format_args!(
        "Using the sandbox login's generated partner keys from `{}`.",
        path.display()
    ));
    super::read_private_keys(&path, printer)
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

/// Whether `token` is a JWS whose (unverified) claims look like a request object
/// (`request_object::looks_like_one`).
fn looks_like_a_request_object(token: &str) -> bool {
    let Ok(Compact::Jws(jws)) = compact::parse(token) else {
        return false;
    };
    compact::parse_claims(&jws.payload, "payload")
        .is_ok_and(|claims| crate::oidc::request_object::looks_like_one(&claims))
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
