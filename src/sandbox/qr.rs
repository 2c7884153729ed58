//! The QR code of a discovery session as itsme® sends it (PROTOCOL §9.2): a JPEG (its bytes begin
//! `FF D8 FF E0 … JFIF`), base64 without a `data:` prefix. What itsme®'s code encodes is not
//! documented; the sandbox's encodes the URL of its "phone" page for the session.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;

/// Pixels per QR module: enough for a camera or a decoder to read it after JPEG compression.
const MODULE_PIXELS: usize = 6;
/// The quiet zone around the code, in modules (ISO/IEC 18004 asks for 4).
const QUIET_ZONE: usize = 4;
/// JPEG quality: high, so that module edges stay sharp.
const QUALITY: u8 = 92;

/// The QR code of `text` as a grey-scale JPEG, base64-encoded (standard alphabet, padded, as the
/// documented example `/9j/4AAQSkZJRgABAQAAZABk…` is).
pub fn qr_jpeg_base64(text: &str) -> Result<String, String> {
    Ok(STANDARD.encode(qr_jpeg(text)?))
}

/// The QR code of `text` as a grey-scale JPEG.
pub fn qr_jpeg(text: &str) -> Result<Vec<u8>, String> {
    let code = qrcode::QrCode::new(text.as_bytes())
        .map_err(|e| format!("cannot make a QR code of `{text}`: {e}"))?;
    let modules = code.width();
    let colors = code.to_colors();
    let side = (modules + 2 * QUIET_ZONE) * MODULE_PIXELS;
    let side16 = u16::try_from(side).map_err(|_| "the QR code is too large".to_string())?;
    let mut pixels = vec![255u8; side * side];
    for (index, color) in colors.iter().enumerate() {
        if *color != qrcode::Color::Dark {
            continue;
        }
        let (mx, my) = (index % modules + QUIET_ZONE, index / modules + QUIET_ZONE);
        for y in my * MODULE_PIXELS..(my + 1) * MODULE_PIXELS {
            let row = y * side;
            pixels[row + mx * MODULE_PIXELS..row + (mx + 1) * MODULE_PIXELS].fill(0);
        }
    }
    let mut jpeg = Vec::new();
    jpeg_encoder::Encoder::new(&mut jpeg, QUALITY)
        .encode(&pixels, side16, side16, jpeg_encoder::ColorType::Luma)
        .map_err(|e| format!("cannot encode the QR code as JPEG: {e}"))?;
    Ok(jpeg)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_jfif_jpeg_as_documented() {
        let jpeg = qr_jpeg("http://127.0.0.1:1/v2/ciba/phone/abc").unwrap();
        assert_eq!(&jpeg[..4], &[0xFF, 0xD8, 0xFF, 0xE0]);
        assert_eq!(&jpeg[6..11], b"JFIF\0");
        assert_eq!(&jpeg[jpeg.len() - 2..], &[0xFF, 0xD9]);
        assert!(qr_jpeg_base64("x").unwrap().starts_with("/9j/4AAQSkZJRg"));
    }
}
