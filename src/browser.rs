//! Opening the user's browser on a URL, and what to show when that is not possible.

use qrcode::QrCode;
use url::Url;

/// Opens `url` in the default browser without waiting for it (`xdg-open`, which honours
/// `BROWSER`, on Linux; `open` on macOS; `start` on Windows).
pub fn open(url: &str) -> std::io::Result<()> {
    crate::trace::trace(format_args!(
        "opening the browser (the `open` crate, detached)"
    ));
    open::that_detached(url)
}

/// Why no QR code is shown for an address (each reads as the end of "No QR code: …").
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NoQr {
    /// The address is on this machine (loopback): a phone or another computer cannot open it.
    OnThisMachine(String),
    /// stderr is not a terminal: nobody could scan it there.
    NotATerminal,
    /// The address is too long to encode.
    TooLong,
    /// The code is wider than the terminal, where it would wrap into noise.
    TooWide {
        /// The columns the code needs.
        needed: usize,
        /// The columns the terminal has.
        columns: usize,
    },
}

impl std::fmt::Display for NoQr {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            NoQr::OnThisMachine(host) => write!(
                f,
                "the address is on this machine (`{host}`), which a phone cannot reach"
            ),
            NoQr::NotATerminal => f.write_str("stderr is not a terminal"),
            NoQr::TooLong => f.write_str("the address is too long to encode"),
            NoQr::TooWide { needed, columns } => write!(
                f,
                "it would be {needed} columns wide and the terminal has {columns}"
            ),
        }
    }
}

/// A QR code of `url` only when it can be scanned and used: the address is reachable off this
/// machine (not loopback) and the code fits in `columns` (the terminal's width; `None` when
/// stderr is not a terminal). Otherwise why not.
pub fn qr_for(url: &Url, columns: Option<usize>) -> Result<String, NoQr> {
    if crate::url_policy::is_loopback_host(url) {
        return Err(NoQr::OnThisMachine(
            url.host_str().unwrap_or_default().to_string(),
        ));
    }
    fitting(url.as_str(), columns)
}

/// The QR code of `text` when stderr is a terminal (`columns`) wide enough for it.
fn fitting(text: &str, columns: Option<usize>) -> Result<String, NoQr> {
    let Some(columns) = columns else {
        return Err(NoQr::NotATerminal);
    };
    let code = qr_code(text).ok_or(NoQr::TooLong)?;
    let needed = code.lines().next().map_or(0, |l| l.chars().count());
    if needed > columns {
        return Err(NoQr::TooWide { needed, columns });
    }
    Ok(code)
}

/// A QR code of what a provider's QR image encodes (CIBA discovery): for a URL the rule of
/// [`qr_for`]; for anything else only that it fits in `columns`.
pub fn qr_for_content(content: &str, columns: Option<usize>) -> Result<String, NoQr> {
    match Url::parse(content) {
        Ok(url) => qr_for(&url, columns),
        Err(_) => fitting(content, columns),
    }
}

/// The columns a QR code may take on stderr: `COLUMNS` when set, else the terminal's width;
/// `None` when stderr is not a terminal.
pub fn stderr_columns() -> Option<usize> {
    use std::io::IsTerminal;
    let stderr = std::io::stderr();
    if !stderr.is_terminal() {
        return None;
    }
    std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.trim().parse().ok())
        .or_else(|| terminal_size::terminal_size_of(&stderr).map(|(w, _)| usize::from(w.0)))
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
    use super::{NoQr, qr_for, qr_for_content};
    use url::Url;

    #[test]
    fn a_providers_qr_content_follows_the_same_rule() {
        // A CIBA sandbox's code names this machine: no QR, and why.
        let why = qr_for_content("http://127.0.0.1:9/v2/ciba/phone/x", Some(500)).unwrap_err();
        assert!(matches!(why, NoQr::OnThisMachine(_)), "{why}");
        // itsme®'s own content (whatever it encodes) is drawn when it fits.
        assert!(qr_for_content("https://mobileapp.itsme.services/x", Some(200)).is_ok());
        assert!(qr_for_content("opaque-token-value", Some(200)).is_ok());
        assert_eq!(
            qr_for_content("opaque-token-value", None),
            Err(NoQr::NotATerminal)
        );
        assert!(matches!(
            qr_for_content("opaque-token-value", Some(10)),
            Err(NoQr::TooWide { .. })
        ));
    }

    #[test]
    fn a_qr_code_only_when_it_can_be_scanned_and_used() {
        let short = Url::parse("https://idp.e2e.itsme.services/s/abc").unwrap();
        let code = qr_for(&short, Some(120)).expect("fits");
        assert!(code.lines().all(|l| l.chars().count() <= 120));
        assert_eq!(qr_for(&short, None), Err(NoQr::NotATerminal));
        let local = Url::parse("http://127.0.0.1:8765/start").unwrap();
        let why = qr_for(&local, Some(500)).unwrap_err();
        assert_eq!(why, NoQr::OnThisMachine("127.0.0.1".into()));
        assert!(why.to_string().contains("a phone cannot reach"));
        // A 1.5 KB authorization URL (an inline request object): about 150 columns.
        let long = Url::parse(&format!(
            "https://idp.e2e.itsme.services/v2/authorization?request={}",
            "a".repeat(1500)
        ))
        .unwrap();
        match qr_for(&long, Some(120)) {
            Err(NoQr::TooWide { needed, columns }) => assert!(needed > 120 && columns == 120),
            other => panic!("{other:?}"),
        }
        let huge = Url::parse(&format!("https://idp.example/?x={}", "a".repeat(10_000))).unwrap();
        assert_eq!(qr_for(&huge, Some(500)), Err(NoQr::TooLong));
    }

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
