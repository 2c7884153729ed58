//! The `physical_person_photo` claim: `{"format": MIME type, "value": base64 image}` (PROTOCOL §6).

use base64::Engine;
use serde::Serialize;
use serde_json::Value;

/// What the tool could learn about a photo claim without showing it.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct PhotoInfo {
    /// The MIME type the claim declares.
    pub format: Option<String>,
    /// The image type found in the bytes (`jpeg`, `png`, …).
    pub detected: String,
    /// Width in pixels.
    pub width: usize,
    /// Height in pixels.
    pub height: usize,
    /// Size of the decoded image in bytes.
    pub bytes: usize,
}

/// A decoded photo: its bytes and what they are.
#[derive(Debug, Clone)]
pub struct Photo {
    /// The image file's bytes.
    pub bytes: Vec<u8>,
    /// Its description.
    pub info: PhotoInfo,
}

/// Decodes the claim's value. The error says why it is not a readable image.
pub fn decode(claim: &Value) -> Result<Photo, String> {
    let object = claim
        .as_object()
        .ok_or("is not a JSON object with `format` and `value`")?;
    let value = object
        .get("value")
        .and_then(Value::as_str)
        .ok_or("has no string member `value`")?;
    let format = object
        .get("format")
        .and_then(Value::as_str)
        .map(str::to_string);
    // itsme® sends standard base64; accept base64url too, and ignore line breaks.
    let compact: std::borrow::Cow<'_, str> = if value.bytes().any(|b| b.is_ascii_whitespace()) {
        value
            .chars()
            .filter(|c| !c.is_ascii_whitespace())
            .collect::<String>()
            .into()
    } else {
        value.into()
    };
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(compact.as_bytes())
        .or_else(|_| base64::engine::general_purpose::STANDARD_NO_PAD.decode(compact.as_bytes()))
        .or_else(|_| base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(compact.as_bytes()))
        .map_err(|e| format!("`value` is not base64: {e}"))?;
    let size = imagesize::blob_size(&bytes).map_err(|_| "`value` is not an image".to_string())?;
    let detected = imagesize::image_type(&bytes)
        .map(|t| format!("{t:?}").to_lowercase())
        .unwrap_or_else(|_| "image".into());
    let info = PhotoInfo {
        format,
        detected,
        width: size.width,
        height: size.height,
        bytes: bytes.len(),
    };
    Ok(Photo { bytes, info })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn refuses_non_images_with_a_reason() {
        let b64 = base64::engine::general_purpose::STANDARD.encode("not an image");
        let err = decode(&json!({"format": "image/jpeg", "value": b64})).unwrap_err();
        assert!(err.contains("not an image"), "{err}");
        assert!(
            decode(&json!("x"))
                .unwrap_err()
                .contains("not a JSON object")
        );
        assert!(
            decode(&json!({"value": "***"}))
                .unwrap_err()
                .contains("not base64")
        );
    }
}
