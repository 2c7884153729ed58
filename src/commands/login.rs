//! `itsme-cli login`: the live itsme® login (PROTOCOL §3–§8). Discovery, the authorization request
//! (PKCE, state, nonce, claims, request object, Confirmation), the browser, the redirect caught on
//! a loopback listener or pasted, the token exchange, then the ID token and userinfo decrypted,
//! verified and explained by the same engine as `decode-token`.

use std::io::IsTerminal;
use std::time::Duration;

use serde::Serialize;
use serde_json::{Map, Value};
use url::Url;

use crate::cli::{ClaimsIn, LoginArgs};
use crate::error::{Outcome, WithHint, hinted};
use crate::findings::Code;
use crate::http::{Http, parse_fetch_url};
use crate::itsme::confirmation::Confirmation;
use crate::itsme::errors::{self, Stage};
use crate::itsme::full_claim_name;
use crate::jose::keys::{PrivateKey, PublicKeySet};
use crate::loopback::{Callback, Listener, ListenerError};
use crate::oidc::authorization::{self, RequestObjectKeys, RequestSpec};
use crate::oidc::client_auth::{self, ClientCredentials};
use crate::oidc::validate::{Expectations, TokenKind};
use crate::printer::Printer;
use crate::provider::{RemoteKeys, fetch_discovery, fetch_jwks};
use crate::sandbox::config::{Client, ClientAuth, Service, ServiceKind};
use crate::sandbox::{Sandbox, SandboxOptions};
use crate::secret::Secret;
use crate::settings::Settings;
use crate::timefmt;
use crate::token::inspect::{self, InspectOptions, Keyring, TokenReport};

/// Why the provider (or the callback) said no.
#[derive(Debug, Serialize)]
pub struct Refusal {
    /// `authorization`, `callback`, `token` or `userinfo`.
    pub stage: &'static str,
    /// The error code.
    pub error: String,
    /// The provider's description, if any.
    pub description: Option<String>,
    /// What it means.
    pub meaning: Option<&'static str>,
    /// What to do.
    pub hint: Option<String>,
}

/// The raw tokens (only with `--show-tokens` on screen; always in a `--save` file).
#[derive(Debug, Serialize)]
pub struct RawTokens {
    /// The access token.
    pub access_token: String,
    /// The ID token.
    pub id_token: String,
    /// The userinfo response as received.
    pub userinfo: Option<String>,
}

/// Everything `login` found out. Serialized as its JSON output.
#[derive(Debug, Serialize)]
pub struct LoginReport {
    /// The login worked and the ID token and userinfo are valid.
    pub valid: bool,
    /// The provider.
    pub issuer: String,
    /// The client.
    pub client_id: String,
    /// The authorization request's parameters (the request object's content), without secrets.
    pub request: Map<String, Value>,
    /// Why the provider refused, when it did.
    pub refused: Option<Refusal>,
    /// The ID token's verdict, as `decode-token` reports it.
    pub id_token: Option<TokenReport>,
    /// The userinfo response's verdict.
    pub userinfo: Option<TokenReport>,
    /// The raw tokens, with `--show-tokens`.
    pub tokens: Option<RawTokens>,
    /// Where the time went after the redirect arrived; null when no code came back.
    pub timing: Option<Timing>,
}

/// The time from the redirect reaching this tool to its output, split into the time spent
/// waiting on the provider (token, keys, userinfo requests) and this tool's own work.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct Timing {
    /// From the redirect's arrival to the output, in milliseconds.
    pub after_redirect_ms: f64,
    /// Of that, waiting on HTTP exchanges with the provider.
    pub provider_ms: f64,
    /// The rest: the tool's own work (crypto, checks, rendering).
    pub own_ms: f64,
}

/// Clocks the work after the redirect.
struct Stopwatch {
    started: std::time::Instant,
    network_before: Duration,
}

impl Stopwatch {
    fn start() -> Self {
        Stopwatch {
            started: std::time::Instant::now(),
            network_before: crate::http::network_time(),
        }
    }

    fn read(&self) -> Timing {
        let ms = |d: Duration| (d.as_secs_f64() * 1e6).round() / 1e3;
        let total = self.started.elapsed();
        let provider = crate::http::network_time().saturating_sub(self.network_before);
        Timing {
            after_redirect_ms: ms(total),
            provider_ms: ms(provider),
            own_ms: ms(total.saturating_sub(provider)),
        }
    }
}

/// The client and provider the login runs against.
struct Setup {
    issuer: String,
    client_id: String,
    redirect_uri: String,
    keys: Vec<PrivateKey>,
    secret: Option<Secret>,
    /// Keeps the in-process sandbox alive for the whole login.
    _sandbox: Option<Sandbox>,
}

impl Setup {
    fn signing_key(&self) -> Option<&PrivateKey> {
        self.keys
            .iter()
            .find(|k| k.key_use.as_deref() == Some("sig"))
            .or_else(|| self.keys.iter().find(|k| k.usable_for_signing()))
    }
}

/// Runs the command.
pub fn run(args: &LoginArgs, settings: &Settings, printer: &Printer) -> anyhow::Result<Outcome> {
    crate::trace::reveal_secrets(args.show_tokens);
    // A login is the user's time: refuse files that could not be written before it starts.
    for path in [&args.save, &args.save_picture].into_iter().flatten() {
        super::check_writable(path, args.force)?;
    }
    // Everything that can be refused before anything is sent, is (PROTOCOL §7).
    let confirmation = confirmation(args)?;
    let raw_claims = match &args.raw_claims {
        Some(text) => Some(serde_json::from_str::<Value>(text).hint(
            "--claims is not JSON",
            r#"for example --claims '{"id_token":{"given_name":null}}'"#,
        )?),
        None => None,
    };
    let setup = if args.sandbox {
        sandbox_setup(printer)?
    } else {
        provider_setup(settings, printer)?
    };
    let http = Http::new()?;
    let metadata = fetch_discovery(&http, &setup.issuer)?;
    let endpoint = |name: &str| -> anyhow::Result<Url> {
        let text = metadata.get(name).and_then(Value::as_str).ok_or_else(|| {
            anyhow::anyhow!(
                "the discovery document of `{}` has no `{name}`",
                setup.issuer
            )
        })?;
        parse_fetch_url(text, name)
    };
    let (authorization_endpoint, token_endpoint, jwks_uri) = (
        endpoint("authorization_endpoint")?,
        endpoint("token_endpoint")?,
        endpoint("jwks_uri")?,
    );
    let userinfo_endpoint = endpoint("userinfo_endpoint").ok();

    let (id_token_claims, userinfo_claims) = claim_lists(settings.claims(), args.claims_in);
    let spec = RequestSpec {
        client_id: setup.client_id.clone(),
        redirect_uri: setup.redirect_uri.clone(),
        service_code: if args.sandbox {
            "LOGIN".into()
        } else {
            settings.service_code().unwrap_or("LOGIN").to_string()
        },
        scopes: settings.scopes().to_vec(),
        id_token_claims,
        userinfo_claims,
        raw_claims,
        acr: args.acr,
        ui_locale: args.ui_locale.clone(),
        prompt: args.prompt.clone(),
        max_age: args.max_age,
        confirmation,
    };
    let provider_keys = fetch_jwks(&http, &jwks_uri)?;
    let use_object =
        setup.signing_key().is_some() && (!args.no_request_object || spec.confirmation.is_some());
    let provider_enc = provider_keys
        .keys
        .iter()
        .find(|k| k.kty == "RSA" && k.key_use.as_deref() == Some("enc"));
    let object_keys = match (use_object, setup.signing_key(), provider_enc) {
        (true, Some(signer), Some(provider_key)) => Some(RequestObjectKeys {
            signer,
            provider_key,
            alg: pick(
                &metadata,
                "request_object_encryption_alg_values_supported",
                &["RSA-OAEP-256", "RSA-OAEP"],
            )
            .unwrap_or("RSA-OAEP-256"),
            enc: pick(
                &metadata,
                "request_object_encryption_enc_values_supported",
                &["A128CBC-HS256", "A256GCM", "A256CBC-HS512", "A128GCM"],
            )
            .unwrap_or("A128CBC-HS256"),
        }),
        (true, Some(_), None) => {
            return Err(hinted(
                format!(
                    "the provider's JWK Set `{jwks_uri}` has no RSA encryption key for the request object"
                ),
                "pass --no-request-object to send the parameters in the URL",
            ));
        }
        _ => None,
    };
    let built = authorization::build(
        &authorization_endpoint,
        &setup.issuer,
        &spec,
        object_keys,
        timefmt::now(),
    )
    .map_err(|why| hinted(why, "see `itsme-cli login --help`"))?;

    let mut report = LoginReport {
        valid: false,
        issuer: setup.issuer.clone(),
        client_id: setup.client_id.clone(),
        request: built.parameters.clone(),
        refused: None,
        id_token: None,
        userinfo: None,
        tokens: None,
        timing: None,
    };
    let code = match receive_code(args, &setup, &built, printer)? {
        Ok(code) => code,
        Err(refusal) => {
            report.refused = Some(refusal);
            return finish(report, args, printer, None, None);
        }
    };
    let stopwatch = Stopwatch::start();

    // The token exchange (PROTOCOL §3, §5).
    let credentials = match (&setup.secret, setup.signing_key()) {
        (Some(secret), _) => ClientCredentials::Secret(secret),
        (None, Some(key)) => ClientCredentials::PrivateKeyJwt(key),
        (None, None) => unreachable!("setups always have keys or a secret"),
    };
    let mut form = vec![
        ("grant_type", "authorization_code".to_string()),
        ("code", code),
        ("redirect_uri", setup.redirect_uri.clone()),
        ("code_verifier", built.code_verifier.expose().to_string()),
    ];
    form.extend(
        client_auth::form_fields(
            &credentials,
            &setup.client_id,
            token_endpoint.as_str(),
            timefmt::now(),
        )
        .map_err(|e| anyhow::anyhow!(e))?,
    );
    let response = http.post_form(&token_endpoint, &form)?;
    let body: Value = serde_json::from_slice(&response.body).unwrap_or(Value::Null);
    if response.status != 200 {
        let mut refused = refusal(Stage::Token, "token", &body, response.status);
        if matches!(
            refused.error.as_str(),
            "invalid_client" | "unauthorized_client"
        ) {
            // The generic hint speaks of keys; say what applies to this client's method.
            refused.hint = Some(match &credentials {
                ClientCredentials::Secret(_) => "check the client secret (ITSME_CLIENT_SECRET) and --client-id: the provider did not accept them".to_string(),
                ClientCredentials::PrivateKeyJwt(key) => format!(
                    "check that your signing key `{}` is published at your jwks_uri with that kid, that --client-id is right, and that your clock is right (the assertion's exp)",
                    key.kid
                ),
            });
        }
        report.refused = Some(refused);
        return finish(report, args, printer, None, Some(&stopwatch));
    }
    let (Some(access_token), Some(id_token)) = (
        body.get("access_token").and_then(Value::as_str),
        body.get("id_token").and_then(Value::as_str),
    ) else {
        anyhow::bail!(
            "the token response of `{token_endpoint}` lacks `access_token` or `id_token`"
        );
    };
    let mut keyring = Keyring::new(
        setup.keys.clone(),
        setup.secret.clone(),
        Box::new(
            RemoteKeys::from_jwks_url(jwks_uri.clone())
                .using(http.clone())
                .prefetched(provider_keys.clone()),
        ),
    );
    let expect = |kind, sub: Option<String>| InspectOptions {
        expect: Expectations {
            issuer: Some(setup.issuer.clone()),
            client_id: Some(setup.client_id.clone()),
            nonce: (kind == TokenKind::IdToken).then(|| built.nonce.clone()),
            access_token: (kind == TokenKind::IdToken).then(|| access_token.to_string()),
            expect_sub: sub,
            ..Expectations::new(kind, timefmt::now())
        },
        verify_signature: true,
    };
    let id_report = inspect::inspect(id_token, &mut keyring, &expect(TokenKind::IdToken, None))?;
    let sub = id_report
        .claims
        .as_ref()
        .and_then(|c| c.get("sub"))
        .and_then(Value::as_str)
        .map(str::to_string);

    // Userinfo (PROTOCOL §5): its `sub` must be the ID token's.
    let mut userinfo_raw = None;
    if let Some(userinfo_endpoint) = &userinfo_endpoint {
        let response = http.get_bearer(
            userinfo_endpoint,
            access_token,
            "application/jwt, application/json",
        )?;
        let body = String::from_utf8_lossy(&response.body).into_owned();
        if response.status != 200 {
            let mut json: Value = serde_json::from_str(&body).unwrap_or(Value::Null);
            // RFC 6750 §3: a protected resource may say why only in `WWW-Authenticate`.
            if json.get("error").is_none()
                && let Some(challenge) = response
                    .header("www-authenticate")
                    .and_then(bearer_challenge)
            {
                json = challenge;
            }
            report.refused = Some(refusal(Stage::Userinfo, "userinfo", &json, response.status));
        } else {
            let media_type = response
                .header("content-type")
                .unwrap_or("")
                .split(';')
                .next()
                .unwrap_or("")
                .trim()
                .to_ascii_lowercase();
            let userinfo_report = if media_type == "application/jwt" {
                inspect::inspect(
                    body.trim(),
                    &mut keyring,
                    &expect(TokenKind::Userinfo, sub.clone()),
                )?
            } else {
                match serde_json::from_str::<Value>(&body) {
                    Ok(Value::Object(claims)) => {
                        let mut plain = inspect::inspect_claims(
                            claims,
                            &expect(TokenKind::Userinfo, sub.clone()),
                        );
                        if matches!(credentials, ClientCredentials::PrivateKeyJwt(_)) {
                            plain.warning(Code::NotSigned, "the userinfo response is plain JSON, neither signed nor encrypted: itsme® signs and encrypts it for private_key_jwt clients (PROTOCOL §5), so something in between answered, or the client is registered without userinfo encryption");
                        }
                        plain
                    }
                    _ => TokenReport::malformed(
                        TokenKind::Userinfo,
                        format!(
                            "the userinfo response is neither a JWT nor a JSON object (Content-Type `{media_type}`)"
                        ),
                    ),
                }
            };
            report.userinfo = Some(userinfo_report);
        }
        userinfo_raw = Some(body);
    }
    if let Some(path) = &args.save_picture {
        let mut provider_hosts: Vec<&str> = [Some(&token_endpoint), userinfo_endpoint.as_ref()]
            .into_iter()
            .flatten()
            .filter_map(Url::host_str)
            .collect();
        provider_hosts.dedup();
        save_picture(
            &http,
            &report,
            &id_report,
            access_token,
            &provider_hosts,
            path,
            args.force,
            printer,
        )?;
    }
    report.valid = id_report.valid
        && report.refused.is_none()
        && report.userinfo.as_ref().is_none_or(|u| u.valid);
    report.id_token = Some(id_report);
    let raw = RawTokens {
        access_token: access_token.into(),
        id_token: id_token.into(),
        userinfo: userinfo_raw,
    };
    finish(report, args, printer, Some(raw), Some(&stopwatch))
}

/// Writes the output, the `--save` file, and returns the verdict.
fn finish(
    mut report: LoginReport,
    args: &LoginArgs,
    printer: &Printer,
    raw: Option<RawTokens>,
    stopwatch: Option<&Stopwatch>,
) -> anyhow::Result<Outcome> {
    report.timing = stopwatch.map(Stopwatch::read);
    if let Some(t) = &report.timing {
        crate::trace::trace(format_args!(
            "after the redirect: {} ms, of which {} ms waiting on the provider and {} ms this tool's own work",
            t.after_redirect_ms, t.provider_ms, t.own_ms
        ));
    }
    if let Some(path) = &args.save {
        let mut saved = serde_json::to_value(&report)?;
        if let (Some(raw), Some(object)) = (&raw, saved.as_object_mut()) {
            object.insert("tokens".into(), serde_json::to_value(raw)?);
        }
        super::write_private_file(path, format!("{saved:#}\n").as_bytes(), args.force)?;
        printer.note(format_args!(
            "Saved the tokens and results to `{}` (mode 0600: they are secrets).",
            path.display()
        ));
    }
    if args.show_tokens {
        report.tokens = raw;
    }
    let outcome = Outcome::from_bool(report.valid);
    printer.result(&report, |report| {
        crate::printer::login::render(report, timefmt::now())
    })?;
    Ok(outcome)
}

/// The `error` and `error_description` of a `WWW-Authenticate: Bearer …` challenge (RFC 6750
/// §3), as the JSON object a token endpoint would have sent; `None` without an `error`.
fn bearer_challenge(header: &str) -> Option<Value> {
    let params = header.trim().strip_prefix("Bearer")?.trim_start();
    let mut found = serde_json::Map::new();
    let mut rest = params;
    while !rest.is_empty() {
        let (name, after) = rest.split_once('=')?;
        let after = after.trim_start();
        let (value, next) = match after.strip_prefix('"') {
            // A quoted string ends at the first unescaped quote.
            Some(quoted) => {
                let mut value = String::new();
                let mut chars = quoted.char_indices();
                let mut end = None;
                while let Some((i, c)) = chars.next() {
                    match c {
                        '\\' => value.extend(chars.next().map(|(_, c)| c)),
                        '"' => {
                            end = Some(i + 1);
                            break;
                        }
                        c => value.push(c),
                    }
                }
                (value, &quoted[end?..])
            }
            None => {
                let end = after.find(',').unwrap_or(after.len());
                (after[..end].trim().to_string(), &after[end..])
            }
        };
        let name = name.trim().trim_start_matches(',').trim();
        if name == "error" || name == "error_description" {
            found.insert(name.to_string(), Value::String(value));
        }
        rest = next.trim_start().trim_start_matches(',').trim_start();
    }
    found.contains_key("error").then_some(Value::Object(found))
}

fn refusal(stage: Stage, name: &'static str, body: &Value, status: u16) -> Refusal {
    let error = body
        .get("error")
        .and_then(Value::as_str)
        .map(str::to_string)
        .unwrap_or_else(|| format!("http_{status}"));
    let explanation = errors::explain(stage, &error);
    Refusal {
        stage: name,
        description: body
            .get("error_description")
            .or_else(|| body.get("detail"))
            .and_then(Value::as_str)
            .map(str::to_string),
        meaning: explanation.map(|e| e.meaning),
        hint: explanation.map(|e| e.hint.to_string()),
        error,
    }
}

fn pick(
    metadata: &Map<String, Value>,
    member: &str,
    preferred: &[&'static str],
) -> Option<&'static str> {
    let supported: Vec<&str> = metadata
        .get(member)?
        .as_array()?
        .iter()
        .filter_map(Value::as_str)
        .collect();
    preferred.iter().copied().find(|p| supported.contains(p))
}

fn confirmation(args: &LoginArgs) -> anyhow::Result<Option<Confirmation>> {
    let checked = if let Some(text) = &args.confirm_text {
        Confirmation::free_text(text)
    } else if let Some(values) = &args.confirm_payment {
        match values.as_slice() {
            [amount, currency, iban] => Confirmation::payment(amount, currency, iban),
            _ => Err("--confirm-payment takes AMOUNT CURRENCY IBAN".into()),
        }
    } else {
        return Ok(None);
    };
    checked.map(Some).map_err(|why| {
        hinted(
            format!("the Confirmation template is refused before anything is sent: {why}"),
            "fix the template (PROTOCOL §7)",
        )
    })
}

/// The --claim names, in full, for the ID token or userinfo.
fn claim_lists(claims: &[String], claims_in: ClaimsIn) -> (Vec<String>, Vec<String>) {
    let names: Vec<String> = claims.iter().map(|c| full_claim_name(c)).collect();
    match claims_in {
        ClaimsIn::IdToken => (names, Vec::new()),
        ClaimsIn::Userinfo => (Vec::new(), names),
    }
}

fn sandbox_setup(printer: &Printer) -> anyhow::Result<Setup> {
    let sig = PrivateKey::generate(2048, "sig", "RS256")?;
    let enc = PrivateKey::generate(2048, "enc", "RSA-OAEP-256")?;
    let port = std::net::TcpListener::bind("127.0.0.1:0")?
        .local_addr()?
        .port();
    let redirect_uri = format!("http://127.0.0.1:{port}/callback");
    let public = PublicKeySet::parse(
        PublicKeySet::document(&[sig.public_jwk(), enc.public_jwk()])
            .to_string()
            .as_bytes(),
    )?;
    let client = Client {
        client_id: "sandbox-client".into(),
        auth: ClientAuth::PrivateKeyJwt(public),
        redirect_uris: vec![redirect_uri.clone()],
        services: vec![Service {
            code: "LOGIN".into(),
            kind: ServiceKind::Authentication,
        }],
        require_pkce: true,
    };
    let sandbox = Sandbox::start(SandboxOptions {
        port: 0,
        clients: vec![client],
        approve: None,
        faults: Vec::new(),
    })?;
    printer.note(format_args!(
        "Started the sandbox at {} with a generated private_key_jwt client.",
        sandbox.issuer()
    ));
    Ok(Setup {
        issuer: sandbox.issuer().to_string(),
        client_id: "sandbox-client".into(),
        redirect_uri,
        keys: vec![sig, enc],
        secret: None,
        _sandbox: Some(sandbox),
    })
}

fn provider_setup(settings: &Settings, printer: &Printer) -> anyhow::Result<Setup> {
    let issuer = settings.issuer().map(str::to_string).ok_or_else(|| {
        hinted(
            "no provider given",
            "pass --env e2e|prd or --issuer URL, or --sandbox to try it offline",
        )
    })?;
    let client_id = settings.client_id().map(str::to_string).ok_or_else(|| {
        hinted(
            "no client_id given",
            "pass --client-id (or set ITSME_CLIENT_ID)",
        )
    })?;
    let redirect_uri = settings.redirect_uris().first().cloned().ok_or_else(|| {
        hinted(
            "no redirect URI given",
            "pass the registered --redirect-uri, byte for byte",
        )
    })?;
    let parsed = Url::parse(&redirect_uri).hint(
        format!("the redirect URI `{redirect_uri}` is not a URL"),
        "give the registered redirect URI",
    )?;
    if parsed.scheme() != "https"
        && !(parsed.scheme() == "http" && crate::url_policy::is_loopback_host(&parsed))
    {
        return Err(hinted(
            format!("the redirect URI `{redirect_uri}` is not https"),
            "itsme® redirect URIs are https; plain http is accepted only on this machine (127.0.0.1, localhost, [::1])",
        ));
    }
    let keys = super::read_all_private_keys(settings.keys(), printer)?;
    let mut secret = settings.client_secret().cloned();
    if keys.is_empty()
        && secret.is_none()
        && std::io::stdin().is_terminal()
        && std::io::stderr().is_terminal()
    {
        let typed = crate::interrupt::prompt(|| {
            rpassword::prompt_password("No --keys given. Client secret (not shown): ")
        })
        .hint(
            "could not read the client secret from the terminal",
            "set ITSME_CLIENT_SECRET instead",
        )?;
        secret = (!typed.is_empty()).then(|| Secret::new(typed));
    }
    if keys.is_empty() && secret.is_none() {
        return Err(hinted(
            "no client credentials given",
            "pass --keys PRIVATE.jwks.json (private_key_jwt) or set ITSME_CLIENT_SECRET (client secret)",
        ));
    }
    if !keys.is_empty() && !keys.iter().any(|k| k.usable_for_signing()) && secret.is_none() {
        return Err(hinted(
            "none of the --keys can sign a client assertion",
            "add your `use: sig` key",
        ));
    }
    Ok(Setup {
        issuer,
        client_id,
        redirect_uri,
        keys,
        secret,
        _sandbox: None,
    })
}

/// Opens the browser (or says where to go) and waits for the code: on a loopback listener when
/// the redirect URI is on this machine, else from the address the user pastes.
fn receive_code(
    args: &LoginArgs,
    setup: &Setup,
    built: &authorization::BuiltRequest,
    printer: &Printer,
) -> anyhow::Result<Result<String, Refusal>> {
    let redirect = Url::parse(&setup.redirect_uri).hint(
        format!("the redirect URI `{}` is not a URL", setup.redirect_uri),
        "give the registered redirect URI",
    )?;
    let listener = if crate::url_policy::is_loopback_host(&redirect) {
        Some(Listener::bind(&redirect)?)
    } else {
        None
    };
    if listener.as_ref().is_some_and(Listener::self_signed) {
        printer.note("The redirect URI is https: the browser will warn once about the certificate made for this run.");
    }
    let url = built.url.as_str();
    let opened = !args.no_browser && crate::browser::open(url).is_ok();
    if opened {
        printer.note(format_args!(
            "Opened your browser. If nothing happened, open:\n  {url}"
        ));
    } else {
        printer.note(format_args!("Open this address in a browser:\n  {url}"));
        if std::io::stderr().is_terminal()
            && let Some(qr) = crate::browser::qr_code(url)
        {
            printer.note(qr);
        }
    }
    let timeout = Duration::from_secs(args.timeout);
    let callback = match listener {
        Some(listener) => {
            printer.note(format_args!(
                "Waiting for the login on {} (up to {} s; Ctrl-C to stop)…",
                setup.redirect_uri, args.timeout
            ));
            let countdown = crate::printer::Countdown::start("waiting for the login", timeout);
            let outcome = listener.wait(&built.state, timeout);
            drop(countdown);
            match outcome {
                Ok(callback) => callback,
                Err(ListenerError::TimedOut) => {
                    return Err(hinted(
                        format!("no login arrived within {} s", args.timeout),
                        "finish the login in the browser sooner, or raise --timeout",
                    ));
                }
                Err(ListenerError::StateMismatch { .. }) => {
                    return Ok(Err(Refusal {
                        stage: "callback",
                        error: "state_mismatch".into(),
                        description: None,
                        meaning: Some(
                            "the response to the redirect URI did not carry this login's `state`: a possible cross-site request forgery, so it was refused",
                        ),
                        hint: Some("start the login again; if it repeats, something else is answering on the redirect URI".to_string()),
                    }));
                }
                Err(other) => {
                    return Err(anyhow::anyhow!("the redirect could not be read: {other}"));
                }
            }
        }
        None => paste_mode(&built.state, printer)?,
    };
    Ok(match callback {
        Callback::Code { code } => Ok(code.expose().to_string()),
        Callback::ProviderError { error, description } => {
            let explanation = errors::explain(Stage::Authorization, &error);
            Err(Refusal {
                stage: "authorization",
                meaning: explanation.map(|e| e.meaning),
                hint: explanation.map(|e| e.hint.to_string()),
                error,
                description,
            })
        }
    })
}

/// Paste mode: the registered redirect URI is not on this machine. The user finishes the login
/// and pastes the address the browser ended on (the whole URL, or only its query).
fn paste_mode(state: &str, printer: &Printer) -> anyhow::Result<Callback> {
    printer.note("The redirect URI is not on this machine. Finish the login, then paste the address your browser ended on (or its query) and press Enter:");
    let mut line = String::new();
    std::io::stdin()
        .read_line(&mut line)
        .hint("could not read the pasted address", "paste it on one line")?;
    match crate::loopback::read_pasted_response(&line, state) {
        Ok(callback) => Ok(callback),
        Err(ListenerError::StateMismatch { .. }) => Err(hinted(
            "the pasted address does not carry this login's `state`",
            "paste the address of the redirect that ended THIS login (it contains `state=` and `code=` or `error=`)",
        )),
        Err(ListenerError::Malformed(reason)) => Err(hinted(
            format!("the pasted address cannot be used: {reason}"),
            "paste the address the browser ended on after the login, unchanged",
        )),
        Err(other) => Err(anyhow::anyhow!(
            "the pasted address cannot be used: {other}"
        )),
    }
}

/// Fetches the `picture` claim's photo with the access token. The token is a credential: it goes
/// only to the provider's own hosts (those of its token and userinfo endpoints), and only once the
/// ID token proved to come from the provider.
#[allow(clippy::too_many_arguments)]
fn save_picture(
    http: &Http,
    report: &LoginReport,
    id_report: &TokenReport,
    access_token: &str,
    provider_hosts: &[&str],
    path: &std::path::Path,
    force: bool,
    printer: &Printer,
) -> anyhow::Result<()> {
    if !id_report.valid {
        return Err(hinted(
            "--save-picture: not fetching the picture, because the ID token is not valid",
            "the access token is sent only after the tokens proved to come from the provider; fix the problems above first",
        ));
    }
    let picture = [report.userinfo.as_ref(), Some(id_report)]
        .into_iter()
        .flatten()
        .filter_map(|r| {
            r.claims
                .as_ref()?
                .get("picture")?
                .as_str()
                .map(str::to_string)
        })
        .next()
        .ok_or_else(|| {
            hinted(
                "--save-picture: no `picture` claim was returned",
                "ask for it with --scope profile",
            )
        })?;
    let url = parse_fetch_url(&picture, "the picture URL")?;
    if !url
        .host_str()
        .is_some_and(|host| provider_hosts.contains(&host))
    {
        return Err(hinted(
            format!(
                "--save-picture: the picture URL `{url}` is not on the provider's hosts ({}); the access token is not sent there",
                provider_hosts.join(", ")
            ),
            "a genuine itsme® picture URL is on the provider's own host; report this to itsme® if it is theirs",
        ));
    }
    let response = http.get_bearer(&url, access_token, "image/*")?;
    if response.status != 200 {
        anyhow::bail!("the picture at `{url}` answered HTTP {}", response.status);
    }
    super::write_private_file(path, &response.body, force)?;
    printer.note(format_args!(
        "Saved the ID-document photo to `{}` (mode 0600: personal data).",
        path.display()
    ));
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::bearer_challenge;
    use serde_json::json;

    #[test]
    fn bearer_challenges_give_their_error() {
        assert_eq!(
            bearer_challenge(
                r#"Bearer realm="itsme", error="invalid_token", error_description="the \"token\" expired""#
            ),
            Some(json!({"error": "invalid_token", "error_description": "the \"token\" expired"}))
        );
        assert_eq!(
            bearer_challenge("Bearer error=insufficient_scope, scope=openid"),
            Some(json!({"error": "insufficient_scope"}))
        );
        assert_eq!(bearer_challenge(r#"Bearer realm="x""#), None, "no error");
        assert_eq!(bearer_challenge("Basic realm=x"), None);
        assert_eq!(bearer_challenge(r#"Bearer error="unterminated"#), None);
        assert_eq!(bearer_challenge("Bearer"), None);
    }
}
