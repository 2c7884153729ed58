//! `itsme-cli login`: the live itsme® login (PROTOCOL §3–§8). Discovery, the authorization request
//! (PKCE, state, nonce, claims, request object, Confirmation), the browser, the redirect caught on
//! a loopback listener or pasted, the token exchange, then the ID token and userinfo decrypted,
//! verified and explained by the same engine as `decode-token`.
//!
//! This module orchestrates; `setup` resolves what the login runs with, `callback` catches the
//! redirect, `picture` saves the photo, and the exchanges themselves are `crate::flow`'s.

mod callback;
mod picture;
pub(crate) mod setup;

use crate::cli::LoginArgs;
use crate::error::{Outcome, hinted};
use crate::flow::saved::{self, SandboxKeys};
use crate::flow::token::{self, Grant, TokenAnswer, TokenError};
use crate::flow::userinfo;
use crate::flow::{Expect, LoginReport, RawTokens, Stopwatch};
use crate::http::Http;
use crate::jose::keys::PublicKeySet;
use crate::oidc::authorization::{self, BuiltRequest};
use crate::oidc::client_auth::ClientCredentials;
use crate::oidc::endpoints::{EndpointError, Endpoints};
use crate::printer::Printer;
use crate::provider::{RemoteKeys, fetch_discovery, fetch_jwks};
use crate::settings::Settings;
use crate::timefmt;
use crate::token::inspect::{self, Keyring, TokenReport};
use setup::{Login, OutputOptions};

/// Runs the command.
pub fn run(args: &LoginArgs, settings: &Settings, printer: &Printer) -> anyhow::Result<Outcome> {
    crate::trace::reveal_secrets(args.show_tokens);
    // A login is the user's time: refuse files that could not be written before it starts.
    for path in [&args.save, &args.save_picture, &args.har_out]
        .into_iter()
        .flatten()
    {
        super::check_writable(path, args.force)?;
    }
    if let (true, Some(save)) = (args.sandbox, &args.save) {
        super::check_writable(&saved::keys_file_for(save), args.force)?;
    }
    let Some(har_out) = &args.har_out else {
        return login(args, settings, printer);
    };
    crate::http::har::start_recording();
    let outcome = login(args, settings, printer);
    // Written whatever the outcome: a failed login is what the archive is for.
    let har = crate::http::har::recording().unwrap_or_default();
    let text = serde_json::to_string_pretty(&har)?;
    super::write_private_file(har_out, format!("{text}\n").as_bytes(), args.force)?;
    printer.note(format_args!(
        "Wrote {} HTTP exchanges to `{}` (HAR 1.2, mode 0600: it holds the tokens). Check them with `itsme-cli decode-token --har {} --keys …`, together with the browser's HAR for the authorization request.",
        har.log.entries.len(),
        har_out.display(),
        har_out.display(),
    ));
    outcome
}

/// The login itself.
fn login(args: &LoginArgs, settings: &Settings, printer: &Printer) -> anyhow::Result<Outcome> {
    // Everything that can be refused before anything is sent, is (PROTOCOL §7). Nothing below
    // reads `args`: only the one resolved `login`.
    let login = setup::resolve(args, settings, printer)?;
    let setup = &login.setup;
    let http = Http::new()?;
    let metadata = fetch_discovery(&http, &setup.issuer)?;
    let endpoints =
        Endpoints::from_metadata(&metadata, &setup.issuer).map_err(EndpointError::into_hinted)?;
    let provider_keys = fetch_jwks(&http, &endpoints.jwks_uri)?;
    // The sandbox's keys die with this process: a saved sandbox login keeps them (flow::saved).
    let keep = Keep {
        partner_keys: &setup.keys,
        provider_keys: setup.is_sandbox().then(|| provider_keys.clone()),
    };
    let object_keys = setup::request_object_keys(
        &login,
        &metadata,
        &provider_keys,
        &endpoints.jwks_uri,
        &endpoints.authorization_endpoint,
    )?;
    let built = authorization::build(
        &endpoints.authorization_endpoint,
        &setup.issuer,
        &login.spec,
        object_keys,
        timefmt::now(),
    )
    .map_err(|why| hinted(why, "see `itsme-cli login --help`"))?;

    let mut report = LoginReport::new(&setup.issuer, &setup.client_id, built.parameters.clone());
    let code = match callback::receive_code(&login, &built, printer)? {
        Ok(code) => code,
        Err(refusal) => {
            report.refused = Some(refusal);
            return finish(report, &login.output, printer, None, None, &keep);
        }
    };
    let stopwatch = Stopwatch::start();
    let session = Session {
        login: &login,
        http: &http,
        endpoints: &endpoints,
        built: &built,
        printer,
    };
    let raw = session.redeem(&code, provider_keys, &mut report)?;
    finish(report, &login.output, printer, raw, Some(&stopwatch), &keep)
}

/// What a saved sandbox login keeps beside the tokens: the keys that exist only in this process.
struct Keep<'a> {
    /// The partner keys the login ran with.
    partner_keys: &'a [crate::jose::keys::PrivateKey],
    /// The sandbox's public keys; `None` for a real provider (its keys stay published).
    provider_keys: Option<PublicKeySet>,
}

/// What the steps after the redirect share.
struct Session<'a> {
    login: &'a Login,
    http: &'a Http,
    endpoints: &'a Endpoints,
    built: &'a BuiltRequest,
    printer: &'a Printer,
}

impl Session<'_> {
    /// The token exchange (PROTOCOL §3, §5), then the ID token and the userinfo checked and the
    /// picture saved, into `report`. The raw tokens, or `None` when the provider refused the code.
    fn redeem(
        &self,
        code: &str,
        provider_keys: PublicKeySet,
        report: &mut LoginReport,
    ) -> anyhow::Result<Option<RawTokens>> {
        let (setup, endpoints) = (&self.login.setup, self.endpoints);
        let credentials = setup.credentials();
        let client = token::Client {
            client_id: &setup.client_id,
            credentials: &credentials,
            issuer: &setup.issuer,
            assertion_aud: setup.assertion_aud,
        };
        let grant = Grant::authorization_code(
            code,
            &setup.redirect_uri,
            Some(self.built.code_verifier.expose()),
        );
        let answer = token::request(
            self.http,
            &endpoints.token_endpoint,
            client,
            &grant,
            timefmt::now(),
        )
        .map_err(TokenError::into_anyhow)?;
        let tokens = match answer {
            TokenAnswer::Issued(tokens) => tokens,
            TokenAnswer::Refused(refused) => {
                report.refused = Some(token::refusal(&refused, client));
                return Ok(None);
            }
        };
        if let Some(refused) = tokens.refusal_unless_bearer() {
            report.refused = Some(refused);
            return Ok(None);
        }
        let (Some(access_token), Some(id_token)) = (tokens.access_token(), tokens.id_token())
        else {
            anyhow::bail!(
                "the token response of `{}` lacks `access_token` or `id_token`",
                endpoints.token_endpoint
            );
        };
        let mut keyring = Keyring::new(
            setup.keys.clone(),
            setup.secret.clone(),
            Box::new(
                RemoteKeys::from_jwks_url(endpoints.jwks_uri.clone())
                    .using(self.http.clone())
                    .prefetched(provider_keys),
            ),
        );
        let expect = Expect {
            issuer: &setup.issuer,
            client_id: &setup.client_id,
            nonce: Some(&self.built.nonce),
            access_token,
        };
        let id_report = inspect::inspect(id_token, &mut keyring, &expect.id_token(timefmt::now()))?;
        let userinfo_raw =
            self.userinfo(&expect, &id_report, &credentials, &mut keyring, report)?;
        if let Some(path) = &self.login.output.save_picture {
            let request = picture::PictureRequest {
                access_token,
                endpoints,
                path,
                force: self.login.output.force,
            };
            picture::save_picture(self.http, report, &id_report, &request, self.printer)?;
        }
        report.valid = id_report.valid
            && report.refused.is_none()
            && report.userinfo.as_ref().is_none_or(|u| u.valid);
        report.id_token = Some(id_report);
        Ok(Some(RawTokens {
            access_token: access_token.into(),
            id_token: Some(id_token.into()),
            userinfo: userinfo_raw,
        }))
    }

    /// Userinfo (PROTOCOL §5), when the provider has the endpoint: its `sub` must be the ID
    /// token's. Fills `report`; returns the body as received.
    fn userinfo(
        &self,
        expect: &Expect<'_>,
        id_report: &TokenReport,
        credentials: &ClientCredentials<'_>,
        keyring: &mut Keyring,
        report: &mut LoginReport,
    ) -> anyhow::Result<Option<String>> {
        let Some(endpoint) = &self.endpoints.userinfo_endpoint else {
            return Ok(None);
        };
        let protected = matches!(credentials, ClientCredentials::PrivateKeyJwt(_));
        let (verdict, raw) = userinfo::check(
            self.http,
            endpoint,
            expect,
            crate::flow::subject(id_report),
            keyring,
            protected,
        )?;
        match verdict {
            Ok(checked) => report.userinfo = Some(checked),
            Err(refused) => report.refused = Some(refused),
        }
        Ok(Some(raw))
    }
}

/// Writes the output, the `--save` file, and returns the verdict.
fn finish(
    mut report: LoginReport,
    output: &OutputOptions,
    printer: &Printer,
    raw: Option<RawTokens>,
    stopwatch: Option<&Stopwatch>,
    keep: &Keep<'_>,
) -> anyhow::Result<Outcome> {
    report.timing = stopwatch.map(Stopwatch::read);
    if let Some(t) = &report.timing {
        crate::trace::trace(format_args!(
            "after the redirect: {} ms, of which {} ms waiting on the provider and {} ms this tool's own work",
            t.after_redirect_ms, t.provider_ms, t.own_ms
        ));
    }
    if let Some(path) = &output.save {
        let mut saved = serde_json::to_value(&report)?;
        if let (Some(raw), Some(object)) = (&raw, saved.as_object_mut()) {
            object.insert("tokens".into(), serde_json::to_value(raw)?);
        }
        let kept = keep.provider_keys.as_ref().map(|provider| {
            let record = SandboxKeys::new(path, provider);
            if let Some(object) = saved.as_object_mut() {
                object.insert(saved::MEMBER.into(), serde_json::json!(record));
            }
            saved::keys_file_for(path)
        });
        if let Some(keys_path) = &kept {
            let set = saved::private_key_set(keep.partner_keys);
            super::write_private_file(keys_path, format!("{set:#}\n").as_bytes(), output.force)?;
        }
        super::write_private_file(path, format!("{saved:#}\n").as_bytes(), output.force)?;
        printer.note(format_args!(
            "Saved the tokens and results to `{}` (mode 0600: they are secrets).",
            path.display()
        ));
        if let Some(keys_path) = &kept {
            printer.note(format_args!(
                "Saved the sandbox's generated partner keys to `{}` (mode 0600), named in `{}`: \
                 `itsme-cli decode-token @{}` decrypts and verifies the tokens with them later.",
                keys_path.display(),
                path.display(),
                path.display()
            ));
        }
    }
    if output.show_tokens {
        report.tokens = raw;
    }
    let outcome = Outcome::from_bool(report.valid);
    printer.result(&report, |report| {
        crate::printer::login::render(report, timefmt::now())
    })?;
    Ok(outcome)
}
