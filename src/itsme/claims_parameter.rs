//! The `claims` request parameter as itsme® reads it (OpenID Connect Core §5.5, PROTOCOL §4, §7,
//! §9.3): the claim names asked per member (`id_token`, `userinfo`) and the values of a
//! Confirmation template. One reader for the sandbox's authorization and backchannel endpoints.

use std::collections::BTreeMap;

use serde_json::Value;

use super::CLAIM_PREFIX;

/// The claim names of a `claims` parameter, by member, plus Confirmation template values.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct RequestedClaims {
    /// Names asked in `id_token` (`sub` left out).
    pub id_token: Vec<String>,
    /// Names asked in `userinfo` (`sub` left out).
    pub userinfo: Vec<String>,
    /// The `claim_approval_*` members with their `value`s.
    pub template: BTreeMap<String, String>,
}

impl RequestedClaims {
    /// Whether `name` is a template member rather than a user claim.
    pub fn is_template(&self, name: &str) -> bool {
        self.template.contains_key(name)
    }
}

/// Reads a `claims` parameter given as text (a form or query parameter).
pub fn parse_text(text: &str) -> Result<RequestedClaims, String> {
    let value: Value =
        serde_json::from_str(text).map_err(|e| format!("`claims` is not JSON: {e}"))?;
    parse(&value)
}

/// Reads a `claims` parameter given as a JSON value (inside a request object).
pub fn parse(value: &Value) -> Result<RequestedClaims, String> {
    let object = value.as_object().ok_or("`claims` must be a JSON object")?;
    let mut requested = RequestedClaims::default();
    for (member, target) in [
        ("id_token", &mut requested.id_token),
        ("userinfo", &mut requested.userinfo),
    ] {
        let Some(entries) = object.get(member) else {
            continue;
        };
        let entries = entries
            .as_object()
            .ok_or_else(|| format!("`claims.{member}` must be an object"))?;
        for (name, request) in entries {
            if !(request.is_null() || request.is_object()) {
                return Err(format!(
                    "`claims.{member}.{name}` must be null or an object"
                ));
            }
            if name.starts_with(&format!("{CLAIM_PREFIX}claim_approval_")) {
                let value = request
                    .get("value")
                    .and_then(Value::as_str)
                    .ok_or_else(|| format!("`{name}` needs a string `value`"))?;
                requested.template.insert(name.clone(), value.to_string());
            }
            if name != "sub" {
                target.push(name.clone());
            }
        }
    }
    Ok(requested)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn members_and_templates_are_read() {
        let text = json!({
            "id_token": {"name": null, "sub": {"value": "x"}},
            "userinfo": {"http://itsme.services/v2/claim/claim_approval_template_name": {"essential": true, "value": "free_text"}}
        })
        .to_string();
        let claims = parse_text(&text).unwrap();
        assert_eq!(claims.id_token, ["name"]);
        assert_eq!(claims.template.len(), 1);
        assert!(claims.is_template("http://itsme.services/v2/claim/claim_approval_template_name"));
        assert!(
            parse_text("{id_token:{}}")
                .unwrap_err()
                .contains("not JSON")
        );
        assert!(parse(&json!({"id_token": {"name": 1}})).is_err());
        assert!(parse(&json!([])).is_err());
    }
}
