//! The value formats itsme® documents for its claims, read in every form the documentation shows
//! (PROTOCOL §6): dates with and without milliseconds, `address` as an object or as the JSON string
//! of v1, `claim_device` with `deviceId` or `deviceID` and `deviceLockLevel` as a boolean or a
//! string, ICAO document-type codes. Pure: the printer explains what these functions read, and no
//! form the documentation shows is taken for a mistake.

use serde_json::{Map, Value};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

/// A date as the metadata claims carry it (`validityTo`, `verificationDate`, …): RFC 3339, with
/// or without fractional seconds (`2028-11-10T00:00:00Z`, `2028-11-10T00:00:00.000Z`: the
/// documentation describes the second, its examples show the first). Unix seconds; `None` when the
/// text is not such a date.
pub fn documented_date(text: &str) -> Option<i64> {
    OffsetDateTime::parse(text.trim(), &Rfc3339)
        .ok()
        .map(OffsetDateTime::unix_timestamp)
}

/// How an `address` claim came.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AddressForm {
    /// A JSON object (OpenID Connect Core §5.1.1), as itsme® v2 sends it.
    Object,
    /// A string holding the JSON object, as v1 sent it and older integrations still parse it.
    JsonString,
}

/// The members of an `address` claim (`formatted`, `street_address`, `postal_code`, `locality`),
/// whether it came as an object or as a JSON string holding one; `None` for anything else.
pub fn address(value: &Value) -> Option<(Map<String, Value>, AddressForm)> {
    match value {
        Value::Object(members) => Some((members.clone(), AddressForm::Object)),
        Value::String(text) => match serde_json::from_str::<Value>(text) {
            Ok(Value::Object(members)) => Some((members, AddressForm::JsonString)),
            _ => None,
        },
        _ => None,
    }
}

/// What an ICAO 9303 document code (`IDDocumentType`) names by its first letter: `I`, `A` or `C`
/// an identity card, `P` a passport (the documented example is `I`); `None` for another code.
pub fn document_type(code: &str) -> Option<&'static str> {
    match code.chars().next()? {
        'I' | 'A' | 'C' => Some("identity card"),
        'P' => Some("passport"),
        _ => None,
    }
}

/// The parts of `claim_device` worth a line: which phone, its identifier (`deviceId` in the
/// documented example, `deviceID` in the field list), whether it is locked (`deviceLockLevel`:
/// the string `"true"` in the example, a boolean or another string elsewhere), rooted, and the
/// mobile number (`msisdn`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Device {
    /// `manufacturer deviceModel`, `os osRelease`, as far as given.
    pub phone: Option<String>,
    /// `deviceId` or `deviceID`.
    pub id: Option<String>,
    /// `deviceLockLevel` in words.
    pub lock: Option<String>,
    /// `rooted`, a boolean or `"true"`/`"false"`.
    pub rooted: Option<bool>,
    /// `msisdn`.
    pub msisdn: Option<String>,
}

/// Reads a `claim_device` object; `None` when it is not an object.
pub fn device(value: &Value) -> Option<Device> {
    let object = value.as_object()?;
    let text = |name: &str| match object.get(name)? {
        Value::String(s) if !s.trim().is_empty() => Some(s.trim().to_string()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    };
    let joined = |parts: [Option<String>; 2]| {
        let parts: Vec<String> = parts.into_iter().flatten().collect();
        (!parts.is_empty()).then(|| parts.join(" "))
    };
    let phone = [
        joined([text("manufacturer"), text("deviceModel")]),
        joined([text("os"), text("osRelease")]),
    ];
    let phone: Vec<String> = phone.into_iter().flatten().collect();
    let lock = text("deviceLockLevel").map(|level| match level.as_str() {
        "true" => "locked".to_string(),
        "false" => "not locked".to_string(),
        other => format!("lock level `{other}`"),
    });
    Some(Device {
        phone: (!phone.is_empty()).then(|| phone.join(", ")),
        id: text("deviceId").or_else(|| text("deviceID")),
        lock,
        rooted: text("rooted").and_then(|r| r.parse().ok()),
        msisdn: text("msisdn"),
    })
}

impl Device {
    /// One line: `LGE LG-H870, ANDROID 9; locked; not rooted; id …; msisdn …`.
    pub fn summary(&self) -> String {
        let mut parts: Vec<String> = Vec::new();
        parts.extend(self.phone.clone());
        parts.extend(self.lock.clone());
        parts.extend(
            self.rooted
                .map(|r| if r { "ROOTED" } else { "not rooted" }.to_string()),
        );
        parts.extend(self.id.as_ref().map(|id| format!("id {id}")));
        parts.extend(self.msisdn.as_ref().map(|m| format!("msisdn {m}")));
        parts.join("; ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn dates_with_and_without_milliseconds_are_the_same_instant() {
        let plain = documented_date("2028-11-10T00:00:00Z").unwrap();
        assert_eq!(documented_date("2028-11-10T00:00:00.000Z"), Some(plain));
        assert_eq!(documented_date("2028-11-10T00:00:00.5Z"), Some(plain));
        assert_eq!(documented_date("2028-11-10"), None);
        assert_eq!(documented_date("BEL"), None);
    }

    #[test]
    fn an_address_as_a_json_string_is_read_like_an_object() {
        let object = json!({"formatted": "Jekerstraat 39 3700 TONGEREN", "postal_code": "3700"});
        let (members, form) = address(&object).unwrap();
        assert_eq!(form, AddressForm::Object);
        assert_eq!(members["postal_code"], "3700");
        let string = Value::String(object.to_string());
        let (members, form) = address(&string).unwrap();
        assert_eq!(form, AddressForm::JsonString);
        assert_eq!(members["postal_code"], "3700");
        assert_eq!(address(&json!("Jekerstraat 39")), None);
        assert_eq!(address(&json!(3700)), None);
    }

    #[test]
    fn document_codes_by_their_first_letter() {
        assert_eq!(document_type("I"), Some("identity card"));
        assert_eq!(document_type("ID"), Some("identity card"));
        assert_eq!(document_type("P"), Some("passport"));
        assert_eq!(document_type("X"), None);
        assert_eq!(document_type(""), None);
    }

    #[test]
    fn the_device_reads_either_spelling_of_its_id_and_a_string_lock_level() {
        let documented = json!({"os": "ANDROID", "osRelease": "9", "manufacturer": "LGE",
            "deviceModel": "LG-H870", "deviceId": "c22d", "deviceLockLevel": "true",
            "rooted": false, "msisdn": "0032485694175"});
        let device = device(&documented).unwrap();
        assert_eq!(
            device.summary(),
            "LGE LG-H870, ANDROID 9; locked; not rooted; id c22d; msisdn 0032485694175"
        );
        let listed = json!({"deviceID": "abc", "deviceLockLevel": true, "rooted": "true"});
        let device = super::device(&listed).unwrap();
        assert_eq!(device.id.as_deref(), Some("abc"));
        assert_eq!(device.lock.as_deref(), Some("locked"));
        assert_eq!(device.rooted, Some(true));
        assert_eq!(
            super::device(&json!({"deviceLockLevel": "pin"}))
                .unwrap()
                .lock
                .as_deref(),
            Some("lock level `pin`")
        );
        assert_eq!(super::device(&json!("x")), None);
    }
}
