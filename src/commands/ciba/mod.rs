//! `itsme-cli ciba`: the itsme® CIBA login (PROTOCOL §9). The QR user discovery (unless the user
//! is given), the signed backchannel request, the result by poll or ping, then the ID token (when
//! the provider sends one: it is optional in CIBA) and userinfo decrypted, verified and explained
//! by the same engine and report as `login`.
//!
//! This module orchestrates; `setup` resolves what the run reads, `screen` shows the QR codes and
//! the wait, `sandbox` starts the in-process sandbox, and the exchanges are `crate::flow::ciba`'s.

mod sandbox;
mod screen;
mod setup;

use std::time::Instant;

use serde_json::{Map, Value};
use url::Url;

use crate::cli::CibaArgs;
use crate::error::{Outcome, hinted};
use crate::flow::ciba::backchannel::{self, Started};
use crate::flow::ciba::discovery::{self, Limits};
use crate::flow::ciba::ping::PingListener;
use crate::flow::ciba::poll::{self, First, Polling};
use crate::flow::ciba::report::{CibaReport, NO_ID_TOKEN};
use crate::flow::ciba::{CibaClient, Progress, Requests};
use crate::flow::token::TokenResponse;
use crate::flow::{Expect, LoginReport, RawTokens, Refusal};
use crate::http::Http;
use crate::itsme::ciba::DeliveryMode;
use crate::itsme::ciba::endpoints::CibaEndpoint;
use crate::itsme::ciba::hint::LoginHint;
use crate::itsme::ciba::request::{self, BackchannelSpec, RequestContext};
use crate::oidc::endpoints::{EndpointError, Endpoints};
use crate::printer::Printer;
use crate::provider::{RemoteKeys, fetch_discovery, fetch_jwks};
use crate::settings::Settings;
use crate::timefmt;
use crate::token::inspect::{self, Keyring};
use screen::Screen;
use setup::Ciba;

/// Runs the command.
pub fn run(args: &CibaArgs, settings: &Settings, printer: &Printer) -> anyhow::Result<Outcome> {
    crate::trace::reveal_secrets(args.show_tokens);
    // The user's time: refuse files that could not be written before the QR code is shown.
    for path in [&args.save, &args.qr_file].into_iter().flatten() {
        super::check_writable(path, args.force)?;
    }
    let ciba = setup::resolve(args, settings, printer)?;
    let http = Http::new()?;
    let metadata = fetch_discovery(&http, &ciba.issuer)?;
    let endpoints =
        Endpoints::from_metadata(&metadata, &ciba.issuer).map_err(EndpointError::into_hinted)?;
    let backchannel_url = backchannel_endpoint(&metadata, &ciba.issuer)?;
    let client = CibaClient {
        http: &http,
        client_id: &ciba.client_id,
        key: ciba.signing_key(),
        issuer: &ciba.issuer,
        assertion_aud: settings.assertion_aud(),
    };
    let mut run = Run {
        ciba: &ciba,
        client,
        endpoints: &endpoints,
        screen: Screen::new(
            printer,
            &ciba.output,
            ciba._sandbox.is_some() && !ciba.sandbox_approves,
        ),
        requests: Requests::default(),
        notes: Vec::new(),
        started: Instant::now(),
    };
    let mut report = LoginReport::new(&ciba.issuer, &ciba.client_id, Map::new());
    let outcome = run.login(&backchannel_url, &mut report)?;
    run.screen.quiet();
    if let Some(why) = run.screen.qr_file_error.take() {
        printer.warn(format_args!(
            "the QR code could not be written to --qr-file: {why}"
        ));
    }
    let raw = match outcome {
        Ok(tokens) => run.redeem(&tokens, &http, &mut report)?,
        Err(refused) => {
            report.refused = Some(refused);
            None
        }
    };
    run.requests.waited_s = (run.started.elapsed().as_secs_f64() * 10.0).round() / 10.0;
    let screen_discovery = std::mem::take(&mut run.screen.discovery);
    let report = CibaReport {
        login: report,
        mode: if ciba.ping_listen.is_some() {
            "ping"
        } else {
            "poll"
        },
        discovery: (ciba.hint.is_none()).then_some(screen_discovery),
        requests: run.requests,
        notes: run.notes,
    };
    finish(report, &ciba.output, printer, raw)
}

/// The backchannel endpoint: the discovery document's `backchannel_authentication_endpoint` when
/// it has one, else the issuer plus the documented path (PROTOCOL §9.7: itsme® documents no
/// metadata name for it).
fn backchannel_endpoint(metadata: &Map<String, Value>, issuer: &str) -> anyhow::Result<Url> {
    const MEMBER: &str = "backchannel_authentication_endpoint";
    if metadata.contains_key(MEMBER) {
        return crate::oidc::endpoints::endpoint(metadata, issuer, MEMBER, MEMBER)
            .map_err(EndpointError::into_hinted);
    }
    let documented = CibaEndpoint::Backchannel.route(issuer, None).url;
    Url::parse(&documented).map_err(|e| {
        hinted(
            format!("the backchannel endpoint `{documented}` is not a URL: {e}"),
            "check --issuer",
        )
    })
}

/// One run: what the steps share.
struct Run<'a> {
    ciba: &'a Ciba,
    client: CibaClient<'a>,
    endpoints: &'a Endpoints,
    screen: Screen<'a>,
    requests: Requests,
    notes: Vec<String>,
    started: Instant,
}

impl Run<'_> {
    /// The user (given, or discovered by QR), the backchannel request, and its result by poll or
    /// ping: the token response, or the refusal that ended it.
    fn login(
        &mut self,
        backchannel_url: &Url,
        report: &mut LoginReport,
    ) -> anyhow::Result<Result<TokenResponse, Refusal>> {
        let ciba = self.ciba;
        let hint = match &ciba.hint {
            Some(hint) => hint.clone(),
            None => match self.discover()? {
                Ok(hint) => hint,
                Err(refused) => return Ok(Err(refused)),
            },
        };
        let listener = match ciba.ping_listen {
            Some(address) => {
                let listener = PingListener::bind(address)?;
                self.screen.notice(format!(
                    "Listening for the provider's ping on http://{} (your registered callback URL must reach it).",
                    listener.address()
                ));
                Some(listener)
            }
            None => None,
        };
        let signer = self.client.key;
        let spec = BackchannelSpec {
            client_id: ciba.client_id.clone(),
            issuer: ciba.issuer.clone(),
            service_code: ciba.service_code.clone(),
            scopes: ciba.scopes.clone(),
            login_hint_token: hint.to_claim(ciba.hint_form, Some(signer))?,
            acr: ciba.acr,
            requested_expiry: ciba.requested_expiry,
            client_notification_token: listener.as_ref().map(|l| l.token().expose().to_string()),
            claims: crate::oidc::authorization::claims_object(&ciba.claims.0, &ciba.claims.1, None),
            confirmation: ciba.confirmation.clone(),
            jti: crate::oidc::authorization::random_token(18),
        };
        let claims = request::build_backchannel_claims(&spec, timefmt::now());
        report.request = shown_request(&claims, &hint);
        self.check_own_request(&claims)?;
        let object = request::sign_backchannel_request(&claims, signer)?;
        let audience = self.audience(CibaEndpoint::Backchannel, None);
        self.requests.backchannel += 1;
        let started = match backchannel::start(self.client, backchannel_url, &audience, &object)? {
            backchannel::Answer::Started(started) => started,
            backchannel::Answer::Refused(refused) => return Ok(Err(refused)),
        };
        let since = Instant::now();
        self.notes.extend(started.notes.iter().cloned());
        self.result(&started, since, listener.as_ref())
    }

    /// The request object's claims checked by the rules the sandbox applies
    /// (`request::check_backchannel_request`) before they are sent: an error is refused here
    /// (exit 2), warnings go to the report's notes.
    fn check_own_request(&mut self, claims: &Map<String, Value>) -> anyhow::Result<()> {
        let ciba = self.ciba;
        let confirmation = ciba.confirmation.is_some();
        let checked = request::check_backchannel_request(
            claims,
            &RequestContext {
                client_id: &ciba.client_id,
                issuer: &ciba.issuer,
                delivery: if ciba.ping_listen.is_some() {
                    DeliveryMode::Ping
                } else {
                    DeliveryMode::Poll
                },
                client_keys: None,
                is_confirmation: &|_| confirmation,
            },
        );
        if let Some(error) = checked.first_error() {
            return Err(hinted(
                format!(
                    "the backchannel request is refused before it is sent ({}): {}",
                    error.code, error.message
                ),
                "fix the flags named above (docs/troubleshooting.md, CIBA request object findings)",
            ));
        }
        self.notes.extend(
            checked
                .warnings()
                .map(|w| format!("request object: {} ({})", w.message, w.code)),
        );
        Ok(())
    }

    /// The QR discovery: the hint of the discovered user, or the provider's refusal.
    fn discover(&mut self) -> anyhow::Result<Result<LoginHint, Refusal>> {
        let endpoints = discovery::Endpoints {
            issuer: &self.ciba.issuer,
            audience: self.ciba.audience,
        };
        let limits = Limits {
            limit: self.ciba.discovery_limit,
            interval: crate::flow::ciba::DEFAULT_INTERVAL,
        };
        let outcome = discovery::discover(
            self.client,
            &endpoints,
            limits,
            &mut self.screen,
            &mut self.requests,
            &mut self.notes,
        )?;
        self.screen.quiet();
        Ok(match outcome {
            discovery::Outcome::Discovered(token) => {
                self.screen.discovery.discovered = true;
                self.screen.notice(
                    "The user scanned the QR code: sending the backchannel request.".into(),
                );
                Ok(setup::discovered(&token))
            }
            discovery::Outcome::Refused(refused) => Err(refused),
        })
    }

    /// The result: polled, or after the ping (or at `expires_in` without one: one token call).
    fn result(
        &mut self,
        started: &Started,
        since: Instant,
        listener: Option<&PingListener>,
    ) -> anyhow::Result<Result<TokenResponse, Refusal>> {
        let polling = Polling {
            client: self.client,
            token_endpoint: &self.endpoints.token_endpoint,
            started,
            since,
        };
        self.screen.notice(format!(
            "Sent the backchannel request: approve it in the itsme® app (it expires in {} s; Ctrl-C to stop).",
            started.expires_in.as_secs()
        ));
        let first = match listener {
            None => First::AfterInterval,
            Some(listener) => {
                self.screen.waiting(
                    "waiting for the approval in the itsme® app (ping)",
                    started.expires_in,
                );
                if listener.wait(&started.auth_req_id, started.expires_in) {
                    self.requests.pings += 1;
                    self.screen
                        .notice("The provider pinged: fetching the tokens.".into());
                } else {
                    self.screen.notice(format!(
                        "No ping came within expires_in ({} s): one token call to learn the outcome (docs/itsme-facts.md#ciba-ping does not say whether a denial or an expiry pings).",
                        started.expires_in.as_secs()
                    ));
                    self.notes.push("no ping arrived before expires_in; the outcome is the one token call made then".into());
                }
                First::Now
            }
        };
        Ok(
            match poll::poll(&polling, first, &mut self.screen, &mut self.requests)? {
                poll::Outcome::Issued(tokens) => Ok(tokens),
                poll::Outcome::Refused(refused) => Err(refused),
            },
        )
    }

    /// The client assertion's `aud` at `endpoint` (PROTOCOL §9.1, the chosen reading).
    fn audience(&self, endpoint: CibaEndpoint, session_id: Option<&str>) -> String {
        endpoint
            .assertion_audience(&self.ciba.issuer, session_id, self.ciba.audience)
            .unwrap_or_else(|| self.ciba.issuer.clone())
    }

    /// The token response: Bearer, then the ID token (when sent) and userinfo checked, into
    /// `report`. The raw tokens.
    fn redeem(
        &mut self,
        tokens: &TokenResponse,
        http: &Http,
        report: &mut LoginReport,
    ) -> anyhow::Result<Option<RawTokens>> {
        if let Some(refused) = tokens.refusal_unless_bearer() {
            report.refused = Some(refused);
            return Ok(None);
        }
        let Some(access_token) = tokens.access_token() else {
            anyhow::bail!(
                "the token response of `{}` lacks `access_token` (REQUIRED, docs/itsme-facts.md#ciba-token)",
                self.endpoints.token_endpoint
            );
        };
        let provider_keys = fetch_jwks(http, &self.endpoints.jwks_uri)?;
        let mut keyring = Keyring::new(
            self.ciba.keys.clone(),
            None,
            Box::new(
                RemoteKeys::from_jwks_url(self.endpoints.jwks_uri.clone())
                    .using(http.clone())
                    .prefetched(provider_keys),
            ),
        );
        let expect = Expect {
            issuer: &self.ciba.issuer,
            client_id: &self.ciba.client_id,
            nonce: None,
            access_token,
        };
        let id_report = match tokens.id_token() {
            Some(id_token) => Some(inspect::inspect(
                id_token,
                &mut keyring,
                &expect.id_token(timefmt::now()),
            )?),
            None => {
                self.notes.push(NO_ID_TOKEN.into());
                None
            }
        };
        let userinfo_raw = match &self.endpoints.userinfo_endpoint {
            Some(endpoint) => {
                let sub = id_report.as_ref().and_then(crate::flow::subject);
                let (verdict, raw) =
                    crate::flow::userinfo::check(http, endpoint, &expect, sub, &mut keyring, true)?;
                match verdict {
                    Ok(checked) => report.userinfo = Some(checked),
                    Err(refused) => report.refused = Some(refused),
                }
                Some(raw)
            }
            None => None,
        };
        report.valid = report.refused.is_none()
            && id_report.as_ref().is_none_or(|r| r.valid)
            && report.userinfo.as_ref().is_none_or(|u| u.valid)
            && (id_report.is_some() || report.userinfo.is_some());
        report.id_token = id_report;
        Ok(Some(RawTokens {
            access_token: access_token.into(),
            id_token: tokens.id_token().map(str::to_string),
            userinfo: userinfo_raw,
        }))
    }
}

/// The request object's claims for the report: the hint shown as its payload (`type` and a
/// redacted `value`: the token is single use and stays server-side, PROTOCOL §9.1), the
/// client notification token redacted.
fn shown_request(claims: &Map<String, Value>, hint: &LoginHint) -> Map<String, Value> {
    let mut shown = claims.clone();
    let mut summary = request::hint_summary(hint);
    if matches!(hint, LoginHint::UserIdentifierToken(_))
        && let Some(value) = summary.get_mut("value")
    {
        *value = Value::String("(redacted)".into());
    }
    shown.insert("login_hint_token".into(), summary);
    if shown.contains_key("client_notification_token") {
        shown.insert(
            "client_notification_token".into(),
            Value::String("(redacted)".into()),
        );
    }
    shown
}

/// Writes the output and the `--save` file, and returns the verdict.
fn finish(
    mut report: CibaReport,
    output: &setup::Output,
    printer: &Printer,
    raw: Option<RawTokens>,
) -> anyhow::Result<Outcome> {
    if let Some(path) = &output.save {
        let mut saved = serde_json::to_value(&report)?;
        if let (Some(raw), Some(object)) = (&raw, saved.as_object_mut()) {
            object.insert("tokens".into(), serde_json::to_value(raw)?);
        }
        super::write_private_file(path, format!("{saved:#}\n").as_bytes(), output.force)?;
        printer.note(format_args!(
            "Saved the tokens and results to `{}` (mode 0600: they are secrets).",
            path.display()
        ));
    }
    if output.show_tokens {
        report.login.tokens = raw;
    }
    let outcome = Outcome::from_bool(report.login.valid);
    printer.result(&report, |report| {
        crate::printer::ciba::render(report, timefmt::now())
    })?;
    Ok(outcome)
}
