//! The backchannel authentication request (PROTOCOL §9.3): the signed request object in the form
//! body with a client assertion (`aud`: the token endpoint, as documented), and its answer.
//!
//! The answer is read by `itsme::ciba::answers::read_backchannel` (§9.8.7: `auth_req_id`, or
//! the guides' `auth_request_id`).

use std::time::Duration;

use serde_json::Value;
use url::Url;

use super::CibaClient;
use crate::flow::report::{ProviderError, Refusal};
use crate::itsme::ciba::answers;
use crate::itsme::ciba::errors::CibaStage;
use crate::secret::Secret;

/// A started authentication.
#[derive(Debug, Clone)]
pub struct Started {
    /// `auth_req_id`: opaque, kept server-side (PROTOCOL §9.1).
    pub auth_req_id: Secret,
    /// `expires_in`: the lifetime of `auth_req_id`.
    pub expires_in: Duration,
    /// `interval`, else the default 5 s.
    pub interval: Duration,
    /// The readings the answer needed.
    pub notes: Vec<String>,
}

/// What the backchannel endpoint answered.
#[derive(Debug)]
pub enum Answer {
    /// HTTP 200.
    Started(Started),
    /// The provider's error, explained.
    Refused(Refusal),
}

/// The longest `expires_in` believed: a day (a provider's example is 120 s).
const MAX_EXPIRES_IN: u64 = 24 * 3600;

/// Reads the endpoint's answer.
pub fn read_answer(status: u16, body: &[u8]) -> Result<Answer, String> {
    let body: Value = serde_json::from_slice(body).unwrap_or(Value::Null);
    if status != 200 {
        return Ok(Answer::Refused(super::refusal(
            CibaStage::Backchannel,
            &ProviderError::from_json(status, &body),
        )));
    }
    let object = body.as_object().ok_or("the answer is not a JSON object")?;
    let read = answers::read_backchannel(object)?;
    Ok(Answer::Started(Started {
        auth_req_id: Secret::new(read.auth_req_id),
        expires_in: Duration::from_secs(read.expires_in.min(MAX_EXPIRES_IN)),
        interval: read
            .interval
            .filter(|s| *s > 0)
            .map_or(super::DEFAULT_INTERVAL, |s| {
                Duration::from_secs(s).min(super::MAX_INTERVAL)
            }),
        notes: read.notes,
    }))
}

/// Sends the signed `request` object to `endpoint`, the assertion's `aud` being `audience`.
pub fn start(
    client: CibaClient<'_>,
    endpoint: &Url,
    audience: &str,
    request: &str,
) -> anyhow::Result<Answer> {
    let response = client.post(endpoint, vec![("request", request.to_string())], audience)?;
    read_answer(response.status, &response.body).map_err(|why| {
        crate::error::hinted(
            format!("the backchannel answer of `{endpoint}` cannot be used: {why}"),
            "`-v` shows the answer; docs/itsme-facts.md#ciba-backchannel documents its shape",
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_answer_is_read_under_either_name() {
        for body in [
            r#"{"auth_req_id":"r1","expires_in":120,"interval":2}"#,
            r#"{"auth_request_id":"r1","expires_in":120,"interval":2}"#,
        ] {
            let Answer::Started(started) = read_answer(200, body.as_bytes()).unwrap() else {
                panic!("{body}");
            };
            assert_eq!(started.auth_req_id.expose(), "r1");
            assert_eq!(started.expires_in, Duration::from_secs(120));
            assert_eq!(started.interval, Duration::from_secs(2));
        }
        let Answer::Started(default) =
            read_answer(200, br#"{"auth_req_id":"r","expires_in":9}"#).unwrap()
        else {
            panic!()
        };
        assert_eq!(default.interval, Duration::from_secs(5));
        assert!(
            read_answer(200, br#"{"auth_req_id":"r"}"#)
                .unwrap_err()
                .contains("expires_in")
        );
        assert!(
            read_answer(200, br#"{"expires_in":3}"#)
                .unwrap_err()
                .contains("auth_req_id")
        );
        let Answer::Refused(refused) =
            read_answer(400, br#"{"error":"expired_login_hint_token"}"#).unwrap()
        else {
            panic!()
        };
        assert_eq!(
            (refused.stage, refused.error.as_str()),
            ("backchannel", "expired_login_hint_token")
        );
    }
}
