//! The bodies of the CIBA answers (PROTOCOL §9.2, §9.3, §9.5): read by the client, written by the
//! sandbox, each in the one function here.

use serde_json::{Map, Value, json};

/// The `status` of a discovery session (§9.2): only these two exist.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub enum DiscoveryStatus {
    /// Waiting for the user to scan the QR code.
    #[serde(rename = "PENDING_USER_DISCOVERY")]
    Pending,
    /// Scanned: `user_identifier_token` is there.
    #[serde(rename = "USER_DISCOVERED")]
    Discovered,
}

impl DiscoveryStatus {
    /// The status as sent.
    pub fn as_str(self) -> &'static str {
        match self {
            DiscoveryStatus::Pending => "PENDING_USER_DISCOVERY",
            DiscoveryStatus::Discovered => "USER_DISCOVERED",
        }
    }
}

/// A discovery-session answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DiscoveryAnswer {
    /// `user_discovery_session_id`, opaque.
    pub session_id: String,
    /// `status`.
    pub status: DiscoveryStatus,
    /// `qr_code`: a base64 JPEG, no `data:` prefix (pending answers; may change between polls).
    pub qr_code: Option<String>,
    /// `expires_at`, ISO 8601 UTC as sent (the QR token's or the session's: not said, §9.8.12).
    pub expires_at: Option<String>,
    /// `interval` in seconds, when the answer names it (the guide promises it, no schema shows it).
    pub interval: Option<u64>,
    /// `user_identifier_token` (discovered answers).
    pub user_identifier_token: Option<String>,
    /// Where the answer departs from the documented example, for a warning.
    pub notes: Vec<String>,
}

/// Reads a discovery-session answer. `qr_code`/`expires_at` are read nested under
/// `user_discovery_token` (the documented example) or top-level (the field table), with a note
/// for the latter (§9.8.2).
pub fn read_discovery(body: &Map<String, Value>) -> Result<DiscoveryAnswer, String> {
    let string = |object: &Map<String, Value>, name: &str| {
        object.get(name).and_then(Value::as_str).map(str::to_string)
    };
    let session_id = string(body, "user_discovery_session_id")
        .filter(|id| !id.is_empty())
        .ok_or("the answer has no `user_discovery_session_id`")?;
    let status = match body.get("status").and_then(Value::as_str) {
        Some("PENDING_USER_DISCOVERY") => DiscoveryStatus::Pending,
        Some("USER_DISCOVERED") => DiscoveryStatus::Discovered,
        Some(other) => {
            return Err(format!(
                "the answer's `status` is `{other}`; itsme® documents only PENDING_USER_DISCOVERY and USER_DISCOVERED"
            ));
        }
        None => return Err("the answer has no `status`".into()),
    };
    let mut notes = Vec::new();
    let nested = body.get("user_discovery_token").and_then(Value::as_object);
    let (qr_code, expires_at) = match nested {
        Some(token) => (string(token, "qr_code"), string(token, "expires_at")),
        None => {
            let top = (string(body, "qr_code"), string(body, "expires_at"));
            if top.0.is_some() {
                notes.push("`qr_code` is top-level, as in itsme®'s field table; the documented example nests it under `user_discovery_token` (docs/itsme-facts.md#ciba-contradictions)".into());
            }
            top
        }
    };
    let user_identifier_token = string(body, "user_identifier_token");
    match status {
        DiscoveryStatus::Pending if qr_code.is_none() => {
            notes.push("a pending answer without `qr_code`: keep showing the last one".into())
        }
        DiscoveryStatus::Discovered if user_identifier_token.is_none() => {
            return Err("a USER_DISCOVERED answer without `user_identifier_token`".into());
        }
        _ => {}
    }
    Ok(DiscoveryAnswer {
        session_id,
        status,
        qr_code,
        expires_at,
        interval: body.get("interval").and_then(Value::as_u64),
        user_identifier_token,
        notes,
    })
}

/// Writes a discovery-session answer in the documented example's shape (nested
/// `user_discovery_token`), with `interval` when given.
pub fn discovery_json(answer: &DiscoveryAnswer) -> Value {
    let mut body = Map::new();
    body.insert("user_discovery_session_id".into(), json!(answer.session_id));
    body.insert("status".into(), json!(answer.status.as_str()));
    if answer.qr_code.is_some() || answer.expires_at.is_some() {
        let mut token = Map::new();
        if let Some(qr) = &answer.qr_code {
            token.insert("qr_code".into(), json!(qr));
        }
        if let Some(at) = &answer.expires_at {
            token.insert("expires_at".into(), json!(at));
        }
        body.insert("user_discovery_token".into(), Value::Object(token));
    }
    if let Some(token) = &answer.user_identifier_token {
        body.insert("user_identifier_token".into(), json!(token));
    }
    if let Some(interval) = answer.interval {
        body.insert("interval".into(), json!(interval));
    }
    Value::Object(body)
}

/// A backchannel authentication answer (§9.3).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BackchannelAnswer {
    /// `auth_req_id`, opaque.
    pub auth_req_id: String,
    /// `expires_in`, seconds.
    pub expires_in: u64,
    /// `interval`, seconds, when given.
    pub interval: Option<u64>,
    /// Departures from the reference, for a warning.
    pub notes: Vec<String>,
}

/// Reads a backchannel answer: `auth_req_id` (or the guides' `auth_request_id`, with a note,
/// §9.8.7) and `expires_in` required, `interval` optional.
pub fn read_backchannel(body: &Map<String, Value>) -> Result<BackchannelAnswer, String> {
    let mut notes = Vec::new();
    let id = match body.get("auth_req_id").and_then(Value::as_str) {
        Some(id) => id.to_string(),
        None => match body.get("auth_request_id").and_then(Value::as_str) {
            Some(id) => {
                notes.push("the answer names the id `auth_request_id`, as itsme®'s guides do; the reference (and CIBA Core) say `auth_req_id` (docs/itsme-facts.md#ciba-contradictions)".into());
                id.to_string()
            }
            None => return Err("the answer has no `auth_req_id`".into()),
        },
    };
    if id.is_empty() {
        return Err("the answer's `auth_req_id` is empty".into());
    }
    let expires_in = body
        .get("expires_in")
        .and_then(Value::as_u64)
        .filter(|s| *s > 0)
        .ok_or("the answer has no positive integer `expires_in`")?;
    Ok(BackchannelAnswer {
        auth_req_id: id,
        expires_in,
        interval: body.get("interval").and_then(Value::as_u64),
        notes,
    })
}

/// Writes a backchannel answer as the reference names it.
pub fn backchannel_json(auth_req_id: &str, expires_in: u64, interval: u64) -> Value {
    json!({"auth_req_id": auth_req_id, "expires_in": expires_in, "interval": interval})
}

/// The ping's body (§9.5): only `auth_req_id`.
pub fn ping_json(auth_req_id: &str) -> Value {
    json!({"auth_req_id": auth_req_id})
}

/// Reads a ping's body: a JSON object with a string `auth_req_id`.
pub fn read_ping(body: &[u8]) -> Result<String, String> {
    let object = crate::jose::compact::unique_object(body)
        .map_err(|e| format!("the ping's body is not a JSON object: {e}"))?;
    object
        .get("auth_req_id")
        .and_then(Value::as_str)
        .filter(|id| !id.is_empty())
        .map(str::to_string)
        .ok_or_else(|| "the ping's body has no string `auth_req_id`".into())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn object(value: Value) -> Map<String, Value> {
        value.as_object().cloned().unwrap()
    }

    #[test]
    fn the_documented_examples_are_read() {
        let pending = object(
            json!({"user_discovery_session_id": "abcdef", "status": "PENDING_USER_DISCOVERY",
            "user_discovery_token": {"qr_code": "/9j/4AAQ", "expires_at": "2025-01-01T00:00:00Z"}}),
        );
        let answer = read_discovery(&pending).unwrap();
        assert_eq!(answer.status, DiscoveryStatus::Pending);
        assert_eq!(answer.qr_code.as_deref(), Some("/9j/4AAQ"));
        assert!(answer.notes.is_empty());
        assert_eq!(discovery_json(&answer), Value::Object(pending));
        let done = object(
            json!({"user_discovery_session_id": "abcdef", "status": "USER_DISCOVERED", "user_identifier_token": "uit"}),
        );
        let answer = read_discovery(&done).unwrap();
        assert_eq!(answer.user_identifier_token.as_deref(), Some("uit"));
        assert_eq!(discovery_json(&answer), Value::Object(done));
        let top = object(
            json!({"user_discovery_session_id": "a", "status": "PENDING_USER_DISCOVERY", "qr_code": "x", "interval": 3}),
        );
        let answer = read_discovery(&top).unwrap();
        assert_eq!(
            (answer.qr_code.as_deref(), answer.interval),
            (Some("x"), Some(3))
        );
        assert_eq!(answer.notes.len(), 1);
        assert!(
            read_discovery(&object(
                json!({"user_discovery_session_id": "a", "status": "EXPIRED"})
            ))
            .is_err()
        );
        assert!(
            read_discovery(&object(
                json!({"user_discovery_session_id": "a", "status": "USER_DISCOVERED"})
            ))
            .is_err()
        );
    }

    #[test]
    fn backchannel_and_ping_bodies() {
        let answer = read_backchannel(&object(backchannel_json("id", 120, 2))).unwrap();
        assert_eq!(
            (
                answer.auth_req_id.as_str(),
                answer.expires_in,
                answer.interval
            ),
            ("id", 120, Some(2))
        );
        let guide =
            read_backchannel(&object(json!({"auth_request_id": "id", "expires_in": 120}))).unwrap();
        assert_eq!(guide.notes.len(), 1);
        assert!(read_backchannel(&object(json!({"auth_req_id": "id"}))).is_err());
        assert_eq!(
            read_ping(ping_json("r").to_string().as_bytes()).unwrap(),
            "r"
        );
        assert!(read_ping(b"{}").is_err());
        assert!(read_ping(b"[").is_err());
    }
}
