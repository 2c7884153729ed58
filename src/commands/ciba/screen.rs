//! What the user sees while CIBA waits: each new QR code redrawn in the terminal from what it
//! encodes (`flow::ciba::qr`: decoded from the provider's JPEG) and written to `--qr-file`, the
//! spinner with the time left (`printer::Countdown`, on a terminal only), and the notices of the
//! flow. Implements `flow::ciba::Progress`.

use std::path::PathBuf;
use std::time::Duration;

use crate::flow::ciba::Progress;
use crate::flow::ciba::qr::QrImage;
use crate::flow::ciba::report::DiscoveryReport;
use crate::printer::{Countdown, Printer};

/// The screen of one run.
pub(super) struct Screen<'a> {
    printer: &'a Printer,
    qr_file: Option<PathBuf>,
    open_qr: bool,
    force: bool,
    /// Open each QR code's content in the browser (the sandbox's phone page).
    open_content: bool,
    countdown: Option<(&'static str, Countdown)>,
    /// What was shown of the discovery.
    pub discovery: DiscoveryReport,
    /// The first error writing `--qr-file` (reported at the end: the login goes on).
    pub qr_file_error: Option<String>,
}

impl<'a> Screen<'a> {
    pub(super) fn new(
        printer: &'a Printer,
        output: &super::setup::Output,
        open_content: bool,
    ) -> Self {
        Screen {
            printer,
            qr_file: output.qr_file.clone(),
            open_qr: output.open_qr,
            force: output.force,
            open_content,
            countdown: None,
            discovery: DiscoveryReport::default(),
            qr_file_error: None,
        }
    }

    /// Stops the spinner (before printing, and at the end).
    pub(super) fn quiet(&mut self) {
        self.countdown = None;
    }

    fn save(&mut self, jpeg: &[u8]) {
        let Some(path) = &self.qr_file else {
            return;
        };
        // The first write may need --force; later ones replace this run's own file.
        let force = self.force || self.discovery.qr_codes > 1;
        match crate::commands::write_file(path, jpeg, force, 0o644) {
            Ok(()) => {
                if self.discovery.qr_codes == 1 && self.open_qr {
                    let _ = crate::browser::open(&path.to_string_lossy());
                }
            }
            Err(e) => {
                self.qr_file_error.get_or_insert_with(|| format!("{e:#}"));
            }
        }
    }
}

impl Progress for Screen<'_> {
    fn qr_code(&mut self, image: &QrImage, expires_at: Option<&str>) {
        self.quiet();
        self.discovery.qr_codes += 1;
        let first = self.discovery.qr_codes == 1;
        let until = expires_at
            .map(|at| format!(" (valid until {at})"))
            .unwrap_or_default();
        match &image.content {
            Ok(content) => {
                self.discovery.qr_content = Some(content.clone());
                self.printer.note(format_args!(
                    "{} Scan it with the itsme® app{until}.",
                    if first {
                        "The QR code of your itsme® login."
                    } else {
                        "A NEW QR code replaces the one above."
                    }
                ));
                // Drawn only where it can be scanned and used (issue 16, §2: the one rule of
                // `browser::qr_for`); a sandbox's code names this machine, so it says why not.
                match crate::browser::qr_for_content(content, crate::browser::stderr_columns()) {
                    Ok(drawn) => self.printer.note(drawn),
                    Err(why) => self.printer.note(format_args!("No QR code drawn: {why}.")),
                }
                // What the provider's image encodes is untrusted text.
                self.printer.note(format_args!(
                    "The QR code says: {}",
                    crate::escape::escape(content)
                ));
                if self.open_content && first {
                    let _ = crate::browser::open(content);
                }
            }
            Err(why) => self.printer.warn(format_args!(
                "the QR code cannot be drawn here ({why}); {}",
                if self.qr_file.is_some() {
                    "open the --qr-file"
                } else {
                    "pass --qr-file PATH to get the image"
                }
            )),
        }
        self.save(&image.jpeg);
    }

    fn waiting(&mut self, what: &'static str, left: Duration) {
        if self
            .countdown
            .as_ref()
            .is_none_or(|(shown, _)| *shown != what)
        {
            self.countdown = None;
            self.countdown = Some((what, Countdown::start(what, left)));
        }
    }

    fn notice(&mut self, text: String) {
        self.quiet();
        self.printer.note(text);
    }
}
