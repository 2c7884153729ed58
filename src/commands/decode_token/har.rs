//! `decode-token --har FILE…`: reads the HAR files (bounded, `limits::MAX_HAR_BYTES`), chooses
//! the keys, and hands the exchanges to `replay`, which finds and checks them.

use crate::cli::DecodeTokenArgs;
use crate::error::{Outcome, hinted};
use crate::http::har::Har;
use crate::http::trace::TraceOptions;
use crate::input;
use crate::jose::keys::{PrivateKey, PublicKeySet};
use crate::printer::{self, Printer};
use crate::replay::{Replay, Setup};
use crate::settings::Settings;
use crate::token::inspect::{InspectOptions, Keyring};
use crate::token::keysource::{NoProviderKeys, ProviderKeys, StaticKeys};

/// Replays the HAR files of `args.har`.
pub(super) fn run(
    args: &DecodeTokenArgs,
    settings: &Settings,
    options: InspectOptions,
    private_keys: Vec<PrivateKey>,
    printer: &Printer,
) -> anyhow::Result<Outcome> {
    let mut entries = Vec::new();
    for path in &args.har {
        let bytes = input::read_file_limited(path, crate::limits::MAX_HAR_BYTES)?;
        let har = Har::parse(&bytes).map_err(|why| {
            hinted(
                format!("`{}` is {why}", path.display()),
                "export it from the browser's developer tools (Network → Export HAR), or write the back end's with `itsme-cli login --har-out FILE`",
            )
        })?;
        entries.extend(har.log.entries);
    }
    let trace = TraceOptions {
        reveal: crate::trace::secrets_revealed(),
        decode_jwts: false,
    };
    let replay = Replay::new(entries, trace);
    let recorded = replay.recorded_keys();
    let (provider, origin): (Box<dyn ProviderKeys + Send>, Option<String>) = if args.no_verify {
        (Box::new(NoProviderKeys), None)
    } else if args.jwks.is_some() || (recorded.is_none() && settings.issuer().is_some()) {
        let keys = super::provider_keys(args, settings.issuer(), printer)?;
        let origin = keys.origin();
        (keys, Some(origin))
    } else if let Some((set, origin)) = recorded {
        super::warn_leaks(&set, &origin, printer);
        (Box::new(StaticKeys::new(set, origin.clone())), Some(origin))
    } else {
        (Box::new(NoProviderKeys), None)
    };
    let partner_keys = partner_signing_keys(&private_keys);
    let setup = Setup {
        keyring: Keyring::new(private_keys, settings.client_secret().cloned(), provider),
        provider_keys: origin,
        partner_keys,
        issuer: settings.issuer().map(str::to_string),
        client_id: settings.client_id().map(str::to_string),
        now: args.now.is_some().then_some(options.expect.now),
        clock_skew: options.expect.clock_skew,
    };
    let report = replay.check(setup)?;
    if report.exchanges.is_empty() {
        printer.warn(format_args!(
            "no itsme® exchange among the {} entries of the HAR: no authorization request, callback, token, userinfo, discovery or key fetch",
            report.entries
        ));
    }
    printer.result(&report, printer::replay::render)?;
    Ok(Outcome::from_bool(report.valid))
}

/// The public halves of the partner's signing keys (to verify its client assertion), if any.
fn partner_signing_keys(keys: &[PrivateKey]) -> Option<PublicKeySet> {
    let public: Vec<_> = keys
        .iter()
        .filter(|k| k.usable_for_signing())
        .map(PrivateKey::public_jwk)
        .collect();
    if public.is_empty() {
        return None;
    }
    PublicKeySet::parse(PublicKeySet::document(&public).to_string().as_bytes()).ok()
}
