//! The discovery session's QR code (PROTOCOL §9.2): a base64 JPEG without a `data:` prefix, whose
//! content the documentation does not state. It is decoded here (JPEG by `jpeg-decoder`, the QR
//! by `rqrr`) into the text it encodes, so that the terminal can redraw it crisply with the same
//! half-block renderer as `login`'s (`browser::qr_code`) and the user can open it as a link.
//!
//! Why decode and redraw rather than draw the picture: a JPEG scaled down to terminal cells blurs
//! the modules at an unknown scale (the provider's image size is not documented), while the
//! decoded content redraws at one cell per module whatever the image's size, and it shows what
//! the code carries (a URL in the sandbox). When the image cannot be decoded, the caller says so
//! and keeps the JPEG for `--qr-file`.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;

/// The largest `qr_code` accepted, as base64 text (a QR JPEG is a few KiB).
pub const MAX_QR_BASE64: usize = 1024 * 1024;
/// The largest image decoded, in pixels per side (a decompression-bomb guard).
pub const MAX_SIDE: u16 = 4096;

/// A QR code as the provider sent it, and what it encodes when that could be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QrImage {
    /// The image bytes (a JPEG, PROTOCOL §9.2), for `--qr-file`.
    pub jpeg: Vec<u8>,
    /// The text the QR code encodes, or why it could not be read.
    pub content: Result<String, String>,
}

impl QrImage {
    /// Reads the base64 `qr_code` member (standard alphabet, padding and line breaks tolerated).
    /// Fails only when it is not base64 or too large; an undecodable image is kept with the reason.
    pub fn from_base64(text: &str) -> Result<QrImage, String> {
        if text.len() > MAX_QR_BASE64 {
            return Err(format!(
                "the QR code is {} bytes of base64, over the {MAX_QR_BASE64} accepted",
                text.len()
            ));
        }
        let cleaned: String = text.chars().filter(|c| !c.is_ascii_whitespace()).collect();
        let jpeg = STANDARD
            .decode(cleaned.trim_end_matches('='))
            .or_else(|_| STANDARD.decode(&cleaned))
            .or_else(|_| {
                base64::engine::general_purpose::STANDARD_NO_PAD
                    .decode(cleaned.trim_end_matches('='))
            })
            .map_err(|e| format!("the QR code is not base64: {e}"))?;
        let content = decode_jpeg(&jpeg);
        Ok(QrImage { jpeg, content })
    }
}

/// The text of the QR code in a JPEG.
pub fn decode_jpeg(jpeg: &[u8]) -> Result<String, String> {
    if !jpeg.starts_with(&[0xFF, 0xD8, 0xFF]) {
        return Err(
            "the image is not a JPEG (docs/itsme-facts.md#ciba-discovery documents one)".into(),
        );
    }
    let mut decoder = jpeg_decoder::Decoder::new(jpeg);
    decoder
        .read_info()
        .map_err(|e| format!("the JPEG cannot be read: {e}"))?;
    let info = decoder.info().ok_or("the JPEG has no image header")?;
    if info.width > MAX_SIDE || info.height > MAX_SIDE {
        return Err(format!(
            "the image is {}×{} pixels, over the {MAX_SIDE}×{MAX_SIDE} decoded",
            info.width, info.height
        ));
    }
    let pixels = decoder
        .decode()
        .map_err(|e| format!("the JPEG cannot be decoded: {e}"))?;
    let (width, height) = (usize::from(info.width), usize::from(info.height));
    let grey: Vec<u8> = match info.pixel_format {
        jpeg_decoder::PixelFormat::L8 => pixels,
        jpeg_decoder::PixelFormat::L16 => pixels.chunks(2).map(|p| p[0]).collect(),
        jpeg_decoder::PixelFormat::RGB24 => pixels
            .chunks(3)
            .map(|p| ((u16::from(p[0]) * 3 + u16::from(p[1]) * 6 + u16::from(p[2])) / 10) as u8)
            .collect(),
        jpeg_decoder::PixelFormat::CMYK32 => pixels
            .chunks(4)
            .map(|p| 255 - p[3].max(p[0].min(p[1]).min(p[2])))
            .collect(),
    };
    decode_greyscale(width, height, &grey)
}

/// The text of the QR code in a greyscale image (`width × height` bytes, row by row).
pub fn decode_greyscale(width: usize, height: usize, grey: &[u8]) -> Result<String, String> {
    if width.checked_mul(height) != Some(grey.len()) {
        return Err("the image's pixels do not match its size".into());
    }
    let mut prepared =
        rqrr::PreparedImage::prepare_from_greyscale(width, height, |x, y| grey[y * width + x]);
    let grids = prepared.detect_grids();
    let Some(grid) = grids.first() else {
        return Err("no QR code was found in the image".into());
    };
    grid.decode()
        .map(|(_, text)| text)
        .map_err(|e| format!("the QR code cannot be read: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A QR code of `text` as a greyscale image, `scale` pixels per module, with a quiet zone.
    fn render(text: &str, scale: usize) -> (usize, Vec<u8>) {
        let code = qrcode::QrCode::new(text.as_bytes()).unwrap();
        let modules = code.width();
        let side = (modules + 8) * scale;
        let mut grey = vec![255u8; side * side];
        for y in 0..side {
            for x in 0..side {
                let (mx, my) = ((x / scale).wrapping_sub(4), (y / scale).wrapping_sub(4));
                if mx < modules && my < modules && code[(mx, my)] == qrcode::Color::Dark {
                    grey[y * side + x] = 0;
                }
            }
        }
        (side, grey)
    }

    #[test]
    fn a_drawn_code_reads_back() {
        let url = "http://127.0.0.1:8080/v2/sandbox/phone/discovery/abc";
        let (side, grey) = render(url, 4);
        assert_eq!(decode_greyscale(side, side, &grey).as_deref(), Ok(url));
        assert!(decode_greyscale(side, side, &vec![255; side * side]).is_err());
        assert!(decode_greyscale(side, side + 1, &grey).is_err());
    }

    #[test]
    fn only_jpegs_are_decoded() {
        let png = STANDARD.encode(b"\x89PNG\r\n\x1a\nrest");
        let image = QrImage::from_base64(&png).unwrap();
        assert!(image.content.unwrap_err().contains("not a JPEG"));
        assert!(QrImage::from_base64("not base64 at all!").is_err());
        assert!(QrImage::from_base64(&"A".repeat(MAX_QR_BASE64 + 1)).is_err());
        let broken =
            QrImage::from_base64(&STANDARD.encode([0xFF, 0xD8, 0xFF, 0xE0, 0, 0])).unwrap();
        assert!(broken.content.is_err());
    }
}
