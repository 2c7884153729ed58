//! What a CIBA run found out: `login`'s report (the request object's content, the refusal, the
//! ID token and userinfo verdicts, the raw tokens) with what CIBA adds: the delivery mode, the
//! discovery session, the requests counted, and notes such as an absent ID token.

use serde::Serialize;

use super::Requests;
use crate::flow::report::LoginReport;

/// Everything `ciba` found out. Serialized as its JSON output (docs/json-output.md).
#[derive(Debug, Serialize)]
pub struct CibaReport {
    /// `valid`, `issuer`, `client_id`, `request`, `refused`, `id_token`, `userinfo`, `tokens`,
    /// `timing`, as `login` reports them.
    #[serde(flatten)]
    pub login: LoginReport,
    /// `poll` or `ping`.
    pub mode: &'static str,
    /// The QR discovery, when it ran (not with `--login-hint-token` / `--sub`).
    pub discovery: Option<DiscoveryReport>,
    /// How many requests each phase sent.
    pub requests: Requests,
    /// What the reader should know: an ID token the provider did not send, the readings chosen.
    pub notes: Vec<String>,
}

/// The QR discovery.
#[derive(Debug, Default, Serialize)]
pub struct DiscoveryReport {
    /// How many different QR codes the provider sent (each replaced the one before).
    pub qr_codes: u32,
    /// What the last QR code encodes, when it could be read.
    pub qr_content: Option<String>,
    /// The user was discovered (a `user_identifier_token` came back).
    pub discovered: bool,
}

/// The note of a token response without `id_token` (PROTOCOL §9.4: OPTIONAL in the table).
pub const NO_ID_TOKEN: &str = "the token response has no `id_token`: it is OPTIONAL in itsme®'s CIBA token table (docs/itsme-facts.md#ciba-token, although the guide promises one), so who logged in rests on userinfo alone";
