//! The checks against the provider: its discovery document, the clock against its `Date`, the
//! verdict of the credentials probe and of its client-assertion `aud` forms (PROTOCOL §3, §8).

use crate::flow::token::TokenAnswer;
use serde_json::Value;

use super::facts::{ProbeFact, ProbeSkip, ProviderFact};
use super::{Check, CheckId, Status};
use crate::itsme::errors::{self, Stage};
use crate::oidc::client_auth::AssertionAud;
use crate::oidc::discovery::{self, Severity};

/// `discovery`, then `clock` (compared with the `Date` of the discovery answer).
pub fn discovery_and_clock(provider: &ProviderFact, now: i64) -> [Check; 2] {
    match provider {
        ProviderFact::NotGiven => [
            Check::new(
                CheckId::Discovery,
                Status::Fail,
                "no provider given",
                Some("pass --env e2e|prd|uat or --issuer URL"),
            ),
            Check::skip(CheckId::Clock, "no provider to compare with"),
        ],
        ProviderFact::Unreachable(why) => [
            Check::new(
                CheckId::Discovery,
                Status::Error,
                format!("not checked: the provider could not be reached: {why}"),
                Some("check --env/--issuer and your network, then run again"),
            ),
            Check::skip(CheckId::Clock, "no provider answer to compare with"),
        ],
        ProviderFact::Unusable(why) => [
            Check::new(
                CheckId::Discovery,
                Status::Fail,
                why.clone(),
                Some("check --env/--issuer: the issuer's discovery document must be served there"),
            ),
            Check::skip(CheckId::Clock, "no provider answer to compare with"),
        ],
        ProviderFact::Answered {
            issuer,
            metadata,
            date,
        } => [
            metadata_check(issuer, metadata),
            clock(date.as_deref(), now),
        ],
    }
}

/// The discovery document passes `discovery --check` (its keys aside).
fn metadata_check(issuer: &str, metadata: &serde_json::Map<String, Value>) -> Check {
    let findings = discovery::check(metadata, issuer, None);
    let codes = |severity: Severity| -> Vec<&str> {
        findings
            .iter()
            .filter(|f| f.severity == severity)
            .map(|f| f.code.as_str())
            .collect()
    };
    let (errors, warnings) = (codes(Severity::Error), codes(Severity::Warning));
    if !errors.is_empty() {
        Check::new(
            CheckId::Discovery,
            Status::Fail,
            format!("the provider's metadata has errors: {}", errors.join(", ")),
            Some("see `itsme-cli discovery --check` for details"),
        )
    } else if !warnings.is_empty() {
        Check::new(
            CheckId::Discovery,
            Status::Warn,
            format!("reachable; remarks: {}", warnings.join(", ")),
            Some("see `itsme-cli discovery --check`"),
        )
    } else {
        Check::new(
            CheckId::Discovery,
            Status::Pass,
            format!("`{issuer}` is reachable and its metadata passes the checks"),
            None,
        )
    }
}

/// Client assertions carry `exp`: a skewed clock makes them look expired or not yet valid.
/// `date` is the provider's `Date` header, `now` this machine's clock (Unix seconds).
pub fn clock(date: Option<&str>, now: i64) -> Check {
    let Some(date) = date else {
        return Check::skip(CheckId::Clock, "the provider sent no Date header");
    };
    let format = time::format_description::well_known::Rfc2822;
    let Ok(theirs) = time::OffsetDateTime::parse(date, &format) else {
        return Check::skip(
            CheckId::Clock,
            format!("the provider's Date header `{date}` is not a date"),
        );
    };
    let skew = now - theirs.unix_timestamp();
    let text = format!(
        "this machine's clock is {} the provider's",
        if skew.abs() <= 2 {
            "in step with".to_string()
        } else {
            format!(
                "{} {}",
                crate::timefmt::duration(skew),
                if skew > 0 { "ahead of" } else { "behind" }
            )
        }
    );
    let (status, hint) = match skew.abs() {
        0..=30 => (Status::Pass, None),
        31..=120 => (
            Status::Warn,
            Some("synchronise the clock (NTP): client assertions carry `exp`"),
        ),
        _ => (
            Status::Fail,
            Some("synchronise the clock (NTP): with this skew client assertions are refused"),
        ),
    };
    Check::new(CheckId::Clock, status, text, hint)
}

/// What the token endpoint's answer to the probe (a deliberately invalid code) says about the
/// client's credentials (PROTOCOL §8).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ProbeVerdict {
    /// `invalid_grant`: the provider authenticated the client and refused only the code.
    Accepted,
    /// `invalid_client` or `unauthorized_client`: the provider refused the client.
    Refused(String),
    /// Anything else.
    Unexpected {
        /// The HTTP status.
        status: u16,
        /// The `error` member (empty when none).
        error: String,
    },
}

/// The verdict of the token endpoint's answer to the probe, from its `error` (RFC 6749 §5.2): an
/// invalid code is refused only once the client is authenticated.
pub fn probe_verdict(answer: &TokenAnswer) -> ProbeVerdict {
    let (status, error) = match answer {
        TokenAnswer::Issued(_) => (200, ""),
        TokenAnswer::Refused(refused) => (refused.status, refused.error.as_deref().unwrap_or("")),
    };
    match error {
        "invalid_grant" => ProbeVerdict::Accepted,
        "invalid_client" | "unauthorized_client" => ProbeVerdict::Refused(error.to_string()),
        other => ProbeVerdict::Unexpected {
            status,
            error: other.to_string(),
        },
    }
}

/// The provider's own explanation of a refusal (`error_description`, or itsme®'s `detail`), as
/// `login` shows it: often the most precise cause there is (`no client … (the assertion's iss)`).
fn provider_said(answer: &TokenAnswer) -> String {
    match answer {
        TokenAnswer::Refused(refused) => refused
            .description
            .as_deref()
            .filter(|d| !d.trim().is_empty())
            .map(|d| format!("; the provider said: {d}"))
            .unwrap_or_default(),
        TokenAnswer::Issued(_) => String::new(),
    }
}

/// `credentials_probe`.
pub fn probe_check(probe: &ProbeFact) -> Check {
    let id = CheckId::CredentialsProbe;
    let sent = "sent one token request with an invalid code";
    match probe {
        ProbeFact::Skipped(ProbeSkip::NoClientId) => Check::skip(id, "no client_id given"),
        ProbeFact::Skipped(ProbeSkip::NoTokenEndpoint) => Check::skip(
            id,
            "the provider's discovery document gave no usable token_endpoint (see the discovery check)",
        ),
        ProbeFact::Skipped(ProbeSkip::NoCredentials) => {
            Check::skip(id, "no signing key or client secret to authenticate with")
        }
        ProbeFact::AssertionFailed(why) => Check::new(
            id,
            Status::Fail,
            format!("could not build the client assertion: {why}"),
            None,
        ),
        ProbeFact::Unreachable(why) => Check::new(
            id,
            Status::Error,
            format!("{sent}, but it could not be delivered: {why}"),
            Some("check your network and run again: the provider's token endpoint did not answer"),
        ),
        ProbeFact::Answered(answer) => match probe_verdict(answer) {
            ProbeVerdict::Accepted => Check::new(
                id,
                Status::Pass,
                format!(
                    "{sent}: the provider authenticated the client and refused only the code (`invalid_grant`)"
                ),
                None,
            ),
            ProbeVerdict::Refused(error) => Check::new(
                id,
                Status::Fail,
                format!(
                    "{sent}: the provider refused the client (`{error}`){}",
                    provider_said(answer)
                ),
                errors::explain(Stage::Token, &error).map(|e| e.hint),
            ),
            ProbeVerdict::Unexpected { status, error } => Check::new(
                id,
                Status::Warn,
                format!(
                    "{sent}: unexpected answer HTTP {status} `{error}`{}",
                    provider_said(answer)
                ),
                Some(
                    "compare with docs/itsme-facts.md#error-codes; the provider may behave differently than documented",
                ),
            ),
        },
    }
}

/// `assertion_aud`: which form of the client assertion's `aud` the provider accepts, from the
/// credentials probe sent in both (PROTOCOL §3: itsme® documents the token endpoint; RFC 10070
/// wants the issuer). The verdicts rest on the probe's inference (PROTOCOL §8), hence "likely".
pub fn assertion_aud_check(
    configured: AssertionAud,
    probe: &ProbeFact,
    other_form: Option<&ProbeFact>,
) -> Check {
    let id = CheckId::AssertionAud;
    let (ProbeFact::Answered(first), Some(ProbeFact::Answered(second))) = (probe, other_form)
    else {
        return Check::skip(
            id,
            match (probe, other_form) {
                (ProbeFact::Answered(_), None) => {
                    "the client authenticates with its client secret: no client assertion to try"
                }
                (_, Some(_)) => "the probe with the other `aud` form got no answer",
                _ => "no answered credentials probe to compare (see credentials_probe)",
            },
        );
    };
    let other = configured.other();
    let setting = |form: AssertionAud| format!("--assertion-aud {}", form.name());
    match (probe_verdict(first), probe_verdict(second)) {
        (ProbeVerdict::Accepted, ProbeVerdict::Accepted) => Check::new(
            id,
            Status::Pass,
            format!(
                "the provider likely accepts both forms of the client assertion: {} and {}",
                AssertionAud::TokenEndpoint.describe(),
                AssertionAud::Issuer.describe()
            ),
            None,
        ),
        (ProbeVerdict::Accepted, ProbeVerdict::Refused(error)) => Check::new(
            id,
            Status::Pass,
            format!(
                "the provider likely accepts {}, which {} sends, and refuses {} with `{error}`",
                configured.describe(),
                setting(configured),
                other.describe()
            ),
            Some(match configured {
                AssertionAud::TokenEndpoint => {
                    "libraries that follow RFC 10070 send the issuer (openid-client 6 and oauth4webapi 3 by default): set their assertion audience to the token endpoint (their `modifyAssertion` hook sets `payload.aud`)"
                }
                AssertionAud::Issuer => {
                    "keep --assertion-aud issuer: this provider refuses the token endpoint that itsme® documents"
                }
            }),
        ),
        (ProbeVerdict::Refused(error), ProbeVerdict::Accepted) => Check {
            id,
            status: Status::Fail,
            message: format!(
                "the provider refuses {}, which {} sends, with `{error}`, but likely accepts {}",
                configured.describe(),
                setting(configured),
                other.describe()
            ),
            hint: Some(format!(
                "pass {} (or ITSME_ASSERTION_AUD={}, or `assertion_aud = \"{}\"` in the profile): `login` sends the form this setting names; in your own code, set the client assertion's `aud` the same way",
                setting(other),
                other.name(),
                other.name()
            )),
        },
        (ProbeVerdict::Refused(_), ProbeVerdict::Refused(_)) => Check::skip(
            id,
            "the provider refused the client with either form of `aud`: the audience is not what fails (see credentials_probe)",
        ),
        (first, second) => {
            let said = |verdict: &ProbeVerdict| match verdict {
                ProbeVerdict::Accepted => "`invalid_grant`".to_string(),
                ProbeVerdict::Refused(error) => format!("`{error}`"),
                ProbeVerdict::Unexpected { status, error } => format!("HTTP {status} `{error}`"),
            };
            Check::new(
                id,
                Status::Warn,
                format!(
                    "unexpected answers: {} with {}, {} with {}",
                    said(&first),
                    configured.describe(),
                    said(&second),
                    other.describe()
                ),
                Some(
                    "compare with docs/itsme-facts.md#error-codes; the provider may behave differently than documented",
                ),
            )
        }
    }
}
