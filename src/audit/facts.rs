//! What the audit judges: the settings given and what the command read and fetched. Plain data,
//! filled by `commands::validate`; nothing here does I/O.

use crate::flow::token::TokenAnswer;
use std::path::PathBuf;
use std::time::Duration;

use serde_json::{Map, Value};
use url::Url;

use crate::jose::keys::PrivateKey;
use crate::oidc::client_auth::AssertionAud;
use crate::secret::Secret;
use crate::tls_class::ServerCertificate;

/// The settings `validate` was given, resolved once (flags, environment, profile).
#[derive(Debug, Clone, Default)]
pub struct Setup {
    /// The provider's issuer (from `--issuer`, or `--env`).
    pub issuer: Option<String>,
    /// The partner code.
    pub client_id: Option<String>,
    /// The service code.
    pub service_code: Option<String>,
    /// The service code is the default (`itsme::default_service_code`), not given.
    pub service_code_is_default: bool,
    /// The registered redirect URIs.
    pub redirect_uris: Vec<String>,
    /// The private key files (`--keys`).
    pub key_files: Vec<PathBuf>,
    /// The client secret, as given (possibly empty).
    pub client_secret: Option<Secret>,
    /// Where the partner's public JWK Set is hosted.
    pub jwks_uri: Option<String>,
    /// A PEM bundle of extra CA certificates, trusted by every fetch.
    pub ca_file: Option<PathBuf>,
    /// `--offline`: no network.
    pub offline: bool,
    /// Which `aud` client assertions carry (`--assertion-aud`).
    pub assertion_aud: AssertionAud,
}

/// What reading the `--keys` files gave.
#[derive(Debug)]
pub enum KeysFact {
    /// Every file was read (none when no `--keys` was given).
    Read {
        /// The keys of all files, in order.
        keys: Vec<PrivateKey>,
        /// The files that other users can read.
        exposed: Vec<PathBuf>,
    },
    /// A file could not be used: the error, in words.
    Unreadable(String),
}

impl KeysFact {
    /// The keys read (none when a file could not be used).
    pub fn loaded(&self) -> &[PrivateKey] {
        match self {
            KeysFact::Read { keys, .. } => keys,
            KeysFact::Unreadable(_) => &[],
        }
    }
}

/// Everything fetched for the online checks.
#[derive(Debug)]
pub struct OnlineFacts {
    /// The provider's discovery document.
    pub provider: ProviderFact,
    /// The partner's hosted JWK Set.
    pub jwks: JwksFact,
    /// The certificate of each https host of the partner, in the order of [`super::tls::hosts`].
    pub tls: Vec<TlsFact>,
    /// The credentials probe's answer (its client assertion in the form `--assertion-aud` says).
    pub probe: ProbeFact,
    /// The same probe with the client assertion's other `aud` form ([`AssertionAud::other`]);
    /// `None` when not sent (a client secret, or the first probe got no answer).
    pub other_form: Option<ProbeFact>,
    /// The provider's answers to the redirect URI probe.
    pub redirect: RedirectProbeFact,
    /// This machine's clock when the provider answered (Unix seconds).
    pub now: i64,
}

/// The provider's discovery document.
#[derive(Debug)]
pub enum ProviderFact {
    /// No `--env` or `--issuer`.
    NotGiven,
    /// The provider could not be reached (no HTTP answer): why, in words. Trouble, not a verdict.
    Unreachable(String),
    /// The provider answered, but not with a discovery document (an HTTP error, not a JSON
    /// object, a member twice): why, in words.
    Unusable(String),
    /// The document.
    Answered {
        /// The issuer it was fetched for.
        issuer: String,
        /// The document.
        metadata: Map<String, Value>,
        /// The answer's `Date` header.
        date: Option<String>,
    },
}

/// The partner's hosted JWK Set.
#[derive(Debug)]
pub enum JwksFact {
    /// No `--jwks-uri`.
    NotGiven,
    /// The jwks_uri is not a URL the tool fetches ([`crate::url_policy`]).
    NotAllowed,
    /// The fetch failed: why, in words.
    Unreachable(String),
    /// The answer.
    Answered {
        /// HTTP status.
        status: u16,
        /// How long it took.
        elapsed: Duration,
        /// The body, as served.
        body: Vec<u8>,
        /// The `Cache-Control` header.
        cache_control: Option<String>,
    },
}

/// The certificate an https host of the partner presented.
#[derive(Debug)]
pub struct TlsFact {
    /// The host, as in the URL (brackets of IPv6 literals removed).
    pub host: String,
    /// What the handshake showed, or why it failed (in words).
    pub answer: Result<ServerCertificate, String>,
}

/// Why the credentials probe was not sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProbeSkip {
    /// No client_id was given.
    NoClientId,
    /// The discovery document gave no usable token endpoint (or could not be fetched).
    NoTokenEndpoint,
    /// Neither a signing key nor a client secret.
    NoCredentials,
}

/// The credentials probe: one token request with a deliberately invalid code.
#[derive(Debug)]
pub enum ProbeFact {
    /// Not sent.
    Skipped(ProbeSkip),
    /// The client assertion could not be built: why.
    AssertionFailed(String),
    /// The request failed: why, in words.
    Unreachable(String),
    /// The token endpoint's answer.
    Answered(TokenAnswer),
}

/// The redirect URI probe: one authorization request per redirect URI, not followed.
#[derive(Debug)]
pub enum RedirectProbeFact {
    /// Not sent: why, in words ("no client_id given", …).
    Skipped(String),
    /// One per redirect URI, in order.
    Probed(Vec<RedirectProbe>),
}

/// The provider's answer for one redirect URI.
#[derive(Debug)]
pub struct RedirectProbe {
    /// The redirect URI, as given.
    pub redirect_uri: String,
    /// The answer, or why there was none (in words).
    pub answer: Result<AuthorizeAnswer, String>,
    /// The answer for a redirect URI no provider knows, when this answer alone does not tell
    /// (`audit::redirect::needs_comparison`).
    pub comparison: Option<Result<AuthorizeAnswer, String>>,
}

/// What an answer to an authorization request showed ([`AuthorizeAnswer::read`]).
#[derive(Debug, Clone)]
pub struct AuthorizeAnswer {
    /// HTTP status.
    pub status: u16,
    /// `Location`, for a redirect.
    pub location: Option<String>,
    /// The authorization error codes (PROTOCOL §8) its body names.
    pub codes: Vec<String>,
    /// Whether its body mentions the redirect URI.
    pub mentions_redirect_uri: bool,
}

/// Everything the audit judges.
#[derive(Debug)]
pub struct Facts {
    /// The settings given.
    pub setup: Setup,
    /// The keys read.
    pub keys: KeysFact,
    /// What was fetched; `None` with `--offline`.
    pub online: Option<OnlineFacts>,
}

/// The URL the tool would fetch for `text`: a URL that [`crate::url_policy::is_allowed`].
pub fn fetchable(text: &str) -> Option<Url> {
    Url::parse(text).ok().filter(crate::url_policy::is_allowed)
}

/// The provider's token endpoint, when its discovery document names a fetchable one.
pub fn token_endpoint(provider: &ProviderFact) -> Option<Url> {
    match provider {
        ProviderFact::Answered { metadata, .. } => metadata
            .get("token_endpoint")
            .and_then(Value::as_str)
            .and_then(fetchable),
        _ => None,
    }
}
