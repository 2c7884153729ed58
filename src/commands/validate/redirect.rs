//! The redirect URI probe's requests: one authorization request per redirect URI, built by the
//! login's own builder (`oidc::authorization::build`, with the request object of PROTOCOL §4 when
//! there is a signing key), sent without following the answer. `audit::redirect` judges them.

use url::Url;

use crate::audit::redirect::{UNREGISTERED, needs_comparison};
use crate::audit::{AuthorizeAnswer, ProviderFact, RedirectProbe, RedirectProbeFact, Setup};
use crate::http::Http;
use crate::jose::keys::{PrivateKey, PublicKeySet};
use crate::oidc::authorization::{self, RequestObject, RequestSpec};
use crate::oidc::endpoints::Endpoints;
use crate::oidc::request_object;
use crate::provider::fetch_jwks;

/// Sends the probe for every redirect URI of `setup` (and, when an answer does not tell, one for
/// a redirect URI no provider knows), or says why not.
pub(super) fn probe(
    setup: &Setup,
    keys: &[PrivateKey],
    provider: &ProviderFact,
    http: &Http,
) -> RedirectProbeFact {
    let skipped = |why: &str| RedirectProbeFact::Skipped(why.to_string());
    let Some(client_id) = &setup.client_id else {
        return skipped("no client_id given");
    };
    if setup.redirect_uris.is_empty() {
        return skipped("no redirect URI given");
    }
    let Some(service_code) = &setup.service_code else {
        return skipped("no service code given (the request's scope needs one)");
    };
    let ProviderFact::Answered {
        issuer, metadata, ..
    } = provider
    else {
        return skipped("the provider's discovery document was not read (see the discovery check)");
    };
    let Ok(endpoints) = Endpoints::from_metadata(metadata, issuer) else {
        return skipped(
            "the discovery document gives no usable endpoints (see the discovery check)",
        );
    };
    // As `login` signs: the `use: sig` key (the credentials probe picks the same).
    let signer = keys.iter().find(|k| k.key_use.as_deref() == Some("sig"));
    let wanted = request_object::wanted(signer.is_some(), false, false);
    let provider_keys = if wanted {
        match fetch_jwks(http, &endpoints.jwks_uri) {
            Ok(set) => set,
            Err(e) => {
                return RedirectProbeFact::Skipped(format!(
                    "the provider's keys, needed for the request object, could not be read: {e:#}"
                ));
            }
        }
    } else {
        PublicKeySet::default()
    };
    let build = |redirect_uri: &str| -> Result<Url, String> {
        let spec = RequestSpec {
            client_id: client_id.clone(),
            redirect_uri: redirect_uri.to_string(),
            service_code: service_code.clone(),
            ..RequestSpec::default()
        };
        let object_keys = request_object::keys(signer, wanted, metadata, &provider_keys)
            .map_err(|()| "the provider publishes no RSA encryption key for the request object")?;
        authorization::build(
            &endpoints.authorization_endpoint,
            issuer,
            &spec,
            object_keys.map(RequestObject::Encrypted),
            crate::timefmt::now(),
        )
        .map(|built| built.url)
    };
    let mut comparison: Option<Result<AuthorizeAnswer, String>> = None;
    let mut probes = Vec::new();
    for redirect_uri in &setup.redirect_uris {
        let url = match build(redirect_uri) {
            Ok(url) => url,
            Err(why) => {
                return RedirectProbeFact::Skipped(format!(
                    "the authorization request could not be built: {why}"
                ));
            }
        };
        let answer = send(http, &url);
        let compared = match &answer {
            Ok(answer) if needs_comparison(answer, redirect_uri) => Some(
                comparison
                    .get_or_insert_with(|| build(UNREGISTERED).and_then(|url| send(http, &url)))
                    .clone(),
            ),
            _ => None,
        };
        probes.push(RedirectProbe {
            redirect_uri: redirect_uri.clone(),
            answer,
            comparison: compared,
        });
    }
    RedirectProbeFact::Probed(probes)
}

/// One authorization request, its answer not followed.
fn send(http: &Http, url: &Url) -> Result<AuthorizeAnswer, String> {
    let response = http
        .get_unfollowed(url, "text/html")
        .map_err(|e| format!("{e:#}"))?;
    Ok(AuthorizeAnswer::read(
        response.status,
        response.header("location"),
        &response.body,
    ))
}
