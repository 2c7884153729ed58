//! Opening the user's browser on a URL, and what to show when that is not possible.

use qrcode::QrCode;

/// Opens `url` in the default browser without waiting for it (`xdg-open`, which honours
/// `BROWSER`, on Linux; `open` on macOS; `start` on Windows).
pub fn open(url: &str) -> std::io::Result<()> {
    crate::trace::trace(format_args!(
        "opening the browser (the `open` crate, detached)"
    ));
    open::that_detached(url)
}

/// The URL as a QR code drawn with Unicode half blocks, for a phone or another machine, or `None`
/// when it is too long to encode.
pub fn qr_code(url: &str) -> Option<String> {
    let code = QrCode::new(url.as_bytes()).ok()?;
    let width = code.width();
    let dark = |x: usize, y: usize| x < width && y < width && code[(x, y)] == qrcode::Color::Dark;
    let quiet = 2;
    let mut out = String::new();
    let size = width + 2 * quiet;
    for row in (0..size).step_by(2) {
        for column in 0..size {
            let at = |r: usize| r >= quiet && column >= quiet && dark(column - quiet, r - quiet);
            let (top, bottom) = (at(row), row + 1 < size && at(row + 1));
            // Drawn for the usual light-on-dark terminal: light modules (and the quiet zone) are
            // filled, dark ones left blank. Most scanners also read the inverted code that a
            // dark-on-light terminal shows.
            out.push(match (top, bottom) {
                (false, false) => '█',
                (false, true) => '▀',
                (true, false) => '▄',
                (true, true) => ' ',
            });
        }
        out.push('\n');
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    #[test]
    fn short_urls_make_a_square_code() {
        let code = super::qr_code("http://127.0.0.1:8765/v2/authorization?client_id=x").unwrap();
        let lines: Vec<&str> = code.lines().collect();
        assert!(lines.len() > 10);
        assert!(
            lines
                .iter()
                .all(|l| l.chars().count() == lines[0].chars().count())
        );
        assert!(
            super::qr_code(&"x".repeat(10_000)).is_none(),
            "too long for a QR code"
        );
    }
}
