//! `itsme-cli validate`: is this partner's itsme® setup right, before any user tries it?
//! The command reads the keys and fetches what is to be judged (the provider's discovery, the
//! hosted JWK Set, the TLS certificates, one token request); `crate::audit` judges it.

mod redirect;

use std::path::Path;

use url::Url;

use crate::audit::{
    self, Facts, JwksFact, KeysFact, OnlineFacts, ProbeFact, ProbeSkip, ProviderFact, Setup,
    TlsFact,
};
use crate::cli::ValidateArgs;
use crate::error::{Outcome, WithHint, hinted};
use crate::flow::token::{self, Client, Grant, TokenError};
use crate::http::Http;
use crate::jose::keys::PrivateKey;
use crate::oidc::client_auth::{AssertionAud, ClientCredentials};
use crate::printer::Printer;
use crate::provider::discovery_url;
use crate::settings::{Settings, Source};
use crate::tls_class;

/// Runs the command with the resolved settings.
pub fn run(args: &ValidateArgs, settings: &Settings, printer: &Printer) -> anyhow::Result<Outcome> {
    let setup = Setup {
        issuer: settings.issuer().map(str::to_string),
        client_id: settings.client_id().map(str::to_string),
        service_code: settings.service_code().map(str::to_string),
        service_code_is_default: settings
            .service_code
            .as_ref()
            .is_some_and(|s| s.source == Source::Default),
        redirect_uris: settings.redirect_uris().to_vec(),
        key_files: settings.keys().to_vec(),
        client_secret: settings.client_secret.as_ref().map(|s| s.value.clone()),
        jwks_uri: settings.jwks_uri().map(str::to_string),
        ca_file: args.ca_file.clone(),
        offline: args.offline,
        assertion_aud: settings.assertion_aud(),
    };
    let keys = read_keys(&setup, printer);
    let online = if setup.offline {
        None
    } else {
        Some(fetch(&setup, keys.loaded())?)
    };
    let report = audit::audit(&Facts {
        setup,
        keys,
        online,
    });
    printer.result(&report, crate::printer::validate::render)?;
    // Trouble, not a "no" (README "Exit codes"): a network blip must not read as a broken setup.
    let not_reached: Vec<&str> = report.not_reached().map(|c| c.id.as_str()).collect();
    if !not_reached.is_empty() {
        return Err(hinted(
            format!(
                "the setup was not fully checked: the provider could not be reached (`{}`)",
                not_reached.join("`, `")
            ),
            "check --env/--issuer and your network, then run `validate` again",
        ));
    }
    Ok(Outcome::from_bool(report.valid))
}

/// Reads every `--keys` file (warning, as every command does, when one is readable by others)
/// and notes which files other users can read.
fn read_keys(setup: &Setup, printer: &Printer) -> KeysFact {
    let mut keys = Vec::new();
    for path in &setup.key_files {
        match super::read_private_keys(path, &Printer::new(printer.format)) {
            Ok(found) => keys.extend(found),
            Err(e) => return KeysFact::Unreadable(format!("{e:#}")),
        }
    }
    let exposed = setup
        .key_files
        .iter()
        .filter(|p| readable_by_others(p))
        .cloned()
        .collect();
    KeysFact::Read { keys, exposed }
}

#[cfg(unix)]
fn readable_by_others(path: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).is_ok_and(|m| m.permissions().mode() & 0o077 != 0)
}

#[cfg(not(unix))]
fn readable_by_others(_path: &Path) -> bool {
    false
}

/// Fetches what the online checks judge, in this order: the provider's discovery document, the
/// hosted JWK Set, the certificates of the https hosts, the credentials probe, then the redirect
/// URI probe.
fn fetch(setup: &Setup, keys: &[PrivateKey]) -> anyhow::Result<OnlineFacts> {
    let http = match &setup.ca_file {
        // The private CA is trusted by every fetch, not only by the certificate-class check.
        Some(path) => Http::trusting(extra_roots(path)?)?,
        None => Http::new()?,
    };
    let provider = match &setup.issuer {
        None => ProviderFact::NotGiven,
        Some(issuer) => discover(&http, issuer),
    };
    let now = crate::timefmt::now();
    let jwks = fetch_jwks(setup, &http);
    let tls = inspect_tls(setup);
    let token_endpoint = audit::facts::token_endpoint(&provider);
    let probe = probe_credentials(
        setup,
        keys,
        token_endpoint.as_ref(),
        setup.assertion_aud,
        &http,
    );
    // The other `aud` form once more, when the first probe sent an assertion and got an answer.
    let other_form = (matches!(probe, ProbeFact::Answered(_))
        && credentials(setup, keys)
            .is_some_and(|c| matches!(c, ClientCredentials::PrivateKeyJwt(_))))
    .then(|| {
        probe_credentials(
            setup,
            keys,
            token_endpoint.as_ref(),
            setup.assertion_aud.other(),
            &http,
        )
    });
    let redirect = redirect::probe(setup, keys, &provider, &http);
    Ok(OnlineFacts {
        provider,
        jwks,
        tls,
        probe,
        other_form,
        redirect,
        now,
    })
}

/// The provider's discovery document; no HTTP answer at all is `Unreachable` (trouble), an answer
/// that is no document is `Unusable` (a failed check).
fn discover(http: &Http, issuer: &str) -> ProviderFact {
    let url = match discovery_url(issuer) {
        Ok(url) => url,
        Err(e) => return ProviderFact::Unusable(format!("{e:#}")),
    };
    let response = match http.get(&url, "application/json") {
        Ok(response) => response,
        Err(e) => return ProviderFact::Unreachable(format!("{e:#}")),
    };
    if response.status != 200 {
        return ProviderFact::Unusable(format!("`{url}` answered HTTP {}", response.status));
    }
    let Ok(document) = crate::oidc::discovery::read_document(&response.body) else {
        return ProviderFact::Unusable(format!("`{url}` is not a JSON object"));
    };
    match document.unambiguous() {
        Ok(metadata) => ProviderFact::Answered {
            issuer: issuer.to_string(),
            metadata,
            date: response.header("date").map(str::to_string),
        },
        Err(duplicate) => ProviderFact::Unusable(format!("`{url}` {duplicate}")),
    }
}

fn fetch_jwks(setup: &Setup, http: &Http) -> JwksFact {
    let Some(uri) = &setup.jwks_uri else {
        return JwksFact::NotGiven;
    };
    let Some(url) = audit::facts::fetchable(uri) else {
        return JwksFact::NotAllowed;
    };
    match http.get(&url, "application/jwk-set+json, application/json") {
        Ok(response) => JwksFact::Answered {
            status: response.status,
            elapsed: response.elapsed,
            cache_control: response.header("cache-control").map(str::to_string),
            body: response.body,
        },
        Err(e) => JwksFact::Unreachable(format!("{e:#}")),
    }
}

/// One TLS handshake per https host of the setup ([`audit::tls::hosts`]).
fn inspect_tls(setup: &Setup) -> Vec<TlsFact> {
    audit::tls::hosts(setup)
        .into_iter()
        .map(|(host, port)| TlsFact {
            answer: tls_class::inspect_server(&host, port, setup.ca_file.as_deref())
                .map_err(|e| format!("{e:#}")),
            host,
        })
        .collect()
}

/// How the probe authenticates: the `sig` key's assertion, else the client secret.
fn credentials<'a>(setup: &'a Setup, keys: &'a [PrivateKey]) -> Option<ClientCredentials<'a>> {
    let secret = setup
        .client_secret
        .as_ref()
        .filter(|s| !s.expose().is_empty());
    let signer = keys.iter().find(|k| k.key_use.as_deref() == Some("sig"));
    match (signer, secret) {
        (Some(key), _) => Some(ClientCredentials::PrivateKeyJwt(key)),
        (None, Some(secret)) => Some(ClientCredentials::Secret(secret)),
        (None, None) => None,
    }
}

/// One token request with a deliberately invalid code (PROTOCOL §8), its client assertion's `aud`
/// in the form `assertion_aud`; `audit::provider` judges the answer.
fn probe_credentials(
    setup: &Setup,
    keys: &[PrivateKey],
    token_endpoint: Option<&Url>,
    assertion_aud: AssertionAud,
    http: &Http,
) -> ProbeFact {
    let Some(client_id) = &setup.client_id else {
        return ProbeFact::Skipped(ProbeSkip::NoClientId);
    };
    let Some(endpoint) = token_endpoint else {
        return ProbeFact::Skipped(ProbeSkip::NoTokenEndpoint);
    };
    let Some(credentials) = credentials(setup, keys) else {
        return ProbeFact::Skipped(ProbeSkip::NoCredentials);
    };
    // A syntactically valid code that was never issued: the provider must authenticate the
    // client before it can say the code is wrong (RFC 6749 §5.2).
    let redirect = setup.redirect_uris.first().map_or("", String::as_str);
    let grant = Grant::authorization_code("00000000-0000-0000-0000-000000000000", redirect, None);
    let client = Client {
        client_id,
        credentials: &credentials,
        // The token endpoint came from this issuer's discovery document.
        issuer: setup.issuer.as_deref().unwrap_or_default(),
        assertion_aud,
    };
    match token::request(http, endpoint, client, &grant, crate::timefmt::now()) {
        Ok(answer) => ProbeFact::Answered(answer),
        Err(TokenError::Assertion(e)) => ProbeFact::AssertionFailed(e.to_string()),
        Err(TokenError::Send(e)) => ProbeFact::Unreachable(format!("{e:#}")),
    }
}

/// The certificates of a `--ca-file` PEM bundle.
fn extra_roots(path: &Path) -> anyhow::Result<Vec<reqwest::Certificate>> {
    let pem = crate::input::read_file_limited(path, crate::limits::MAX_CA_FILE_BYTES)?;
    let roots = reqwest::Certificate::from_pem_bundle(&pem).hint(
        format!("`{}` is not a PEM bundle of certificates", path.display()),
        "give a PEM file of CA certificates (-----BEGIN CERTIFICATE-----)",
    )?;
    if roots.is_empty() {
        return Err(hinted(
            format!("`{}` holds no certificate", path.display()),
            "give a PEM file of CA certificates (-----BEGIN CERTIFICATE-----)",
        ));
    }
    Ok(roots)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::audit::{CheckId, Status};
    use crate::tls_class::tests::{leaf, pem_file, root, serve_once};

    fn setup(jwks_uri: String, ca_file: &Path) -> Setup {
        Setup {
            jwks_uri: Some(jwks_uri),
            ca_file: Some(ca_file.to_path_buf()),
            ..Setup::default()
        }
    }

    #[test]
    fn certificate_classes_map_to_itsme_verdicts() {
        let ca = root();
        let ca_pem = pem_file(&[&ca.cert]);
        for (oids, expected) in [
            (vec!["2.23.140.1.2.1"], Status::Fail),
            (vec!["2.23.140.1.2.2"], Status::Pass),
            (vec!["2.23.140.1.1"], Status::Pass),
            (vec![], Status::Warn),
        ] {
            let (cert, key) = leaf(&ca, &oids, true);
            let (port, server) = serve_once(&cert, &key, &[]);
            let checks = audit::tls::checks(&inspect_tls(&setup(
                format!("https://127.0.0.1:{port}/jwks.json"),
                ca_pem.path(),
            )));
            let _ = server.join();
            assert_eq!(checks.len(), 1);
            assert_eq!(checks[0].id, CheckId::TlsCertificateClass);
            assert_eq!(
                checks[0].status, expected,
                "{oids:?}: {}",
                checks[0].message
            );
        }
    }

    #[test]
    fn an_untrusted_chain_fails() {
        let ca = root();
        let (cert, key) = leaf(&ca, &["2.23.140.1.2.2"], true);
        let (port, server) = serve_once(&cert, &key, &[]);
        let elsewhere = root();
        let other_pem = pem_file(&[&elsewhere.cert]);
        let checks = audit::tls::checks(&inspect_tls(&setup(
            format!("https://127.0.0.1:{port}/"),
            other_pem.path(),
        )));
        let _ = server.join();
        assert_eq!(checks[0].status, Status::Fail);
        assert!(
            checks[0].message.contains("does not verify"),
            "{}",
            checks[0].message
        );
    }
}
