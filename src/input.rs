//! Reading what the user hands the tool: a token from an argument, a file (`@PATH`) or stdin,
//! and files with a size limit.

use std::io::{BufRead, Read};
use std::path::Path;

use crate::error::WithHint;
use crate::limits::MAX_TOKEN_BYTES;

/// Where a token comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TokenSource {
    /// Standard input (`-` or nothing).
    Stdin,
    /// A file (`@PATH`).
    File(String),
    /// The argument itself.
    Literal(String),
}

impl TokenSource {
    /// Interprets the TOKEN argument.
    pub fn from_arg(arg: Option<&str>) -> Self {
        match arg {
            None | Some("-") => TokenSource::Stdin,
            Some(a) if a.starts_with('@') && a.len() > 1 => TokenSource::File(a[1..].to_string()),
            Some(a) => TokenSource::Literal(a.to_string()),
        }
    }
}

/// Raw input bytes, read up to one byte past the limit so that oversized input is detected
/// without reading all of it.
pub fn read_token_bytes(source: &TokenSource) -> anyhow::Result<Vec<u8>> {
    let limit = MAX_TOKEN_BYTES as u64 + 1;
    let mut bytes = Vec::new();
    match source {
        TokenSource::Stdin => {
            std::io::stdin()
                .lock()
                .take(limit)
                .read_to_end(&mut bytes)
                .hint(
                    "could not read the token from stdin",
                    "pass the token as an argument, `@FILE`, or pipe it in",
                )?;
        }
        TokenSource::File(path) => bytes = read_regular_file(Path::new(path), limit)?,
        TokenSource::Literal(text) => bytes.extend_from_slice(text.as_bytes()),
    }
    Ok(bytes)
}

/// The token in the input: surrounding whitespace, surrounding quotes and a `Bearer ` prefix removed.
pub fn clean_token(raw: &str) -> &str {
    let mut token = raw.trim();
    if let Some(prefix) = token.get(..7)
        && prefix.eq_ignore_ascii_case("bearer ")
    {
        token = token[7..].trim_start();
    }
    for quote in ['"', '\''] {
        if token.len() >= 2 && token.starts_with(quote) && token.ends_with(quote) {
            token = &token[1..token.len() - 1];
        }
    }
    token
}

/// Input that is not UTF-8 text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("the input is not UTF-8 text: invalid byte at position {position}")]
pub struct NotUtf8 {
    /// The offset of the first byte that is not UTF-8.
    pub position: usize,
}

impl From<NotUtf8> for String {
    fn from(error: NotUtf8) -> String {
        error.to_string()
    }
}

/// Converts input bytes to text, or says where they stop being UTF-8.
pub fn utf8(bytes: &[u8]) -> Result<&str, NotUtf8> {
    std::str::from_utf8(bytes).map_err(|e| NotUtf8 {
        position: e.valid_up_to(),
    })
}

/// A line of `--batch` input longer than one token may be. Reading stops there: finding the
/// next line would mean reading on without a bound (endless input without a newline), so the
/// rest of the input cannot be judged and the command ends as trouble (exit 2).
#[derive(Debug, thiserror::Error)]
pub enum LineError {
    /// The line (1-based) has more than `limit` bytes before its newline.
    #[error(
        "line {line} of the input is longer than {} without a line break; a token is at most that long",
        shown_size(*limit)
    )]
    TooLong {
        /// The line's number, from 1.
        line: usize,
        /// The cap, in bytes.
        limit: usize,
    },
    /// Reading failed.
    #[error(transparent)]
    Io(#[from] std::io::Error),
}

/// A size for people: `1 MiB`, `64 KiB`, `8 bytes`.
fn shown_size(bytes: usize) -> String {
    const MIB: usize = 1024 * 1024;
    match bytes {
        b if b >= MIB && b % MIB == 0 => format!("{} MiB", b / MIB),
        b if b >= 1024 && b % 1024 == 0 => format!("{} KiB", b / 1024),
        b => format!("{b} bytes"),
    }
}

/// Reads lines of at most `limit` bytes each, without their newline. A longer line is an error
/// ([`LineError::TooLong`]) as soon as its `limit + 1`th byte is read, and ends the iteration:
/// memory and time stay bounded whatever the input.
pub struct LimitedLines<R> {
    reader: R,
    limit: usize,
    line: usize,
    done: bool,
}

impl<R: BufRead> LimitedLines<R> {
    /// Lines from `reader`.
    pub fn new(reader: R, limit: usize) -> Self {
        LimitedLines {
            reader,
            limit,
            line: 0,
            done: false,
        }
    }
}

impl<R: BufRead> Iterator for LimitedLines<R> {
    type Item = Result<Vec<u8>, LineError>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.done {
            return None;
        }
        self.line += 1;
        let mut line = Vec::new();
        let mut seen_any = false;
        loop {
            let buffer = match self.reader.fill_buf() {
                Ok(b) => b,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(e) => {
                    self.done = true;
                    return Some(Err(e.into()));
                }
            };
            if buffer.is_empty() {
                self.done = true;
                return seen_any.then_some(Ok(line));
            }
            seen_any = true;
            let (chunk, found_newline) = match buffer.iter().position(|b| *b == b'\n') {
                Some(i) => (&buffer[..i], true),
                None => (buffer, false),
            };
            if line.len() + chunk.len() > self.limit {
                self.done = true;
                return Some(Err(LineError::TooLong {
                    line: self.line,
                    limit: self.limit,
                }));
            }
            line.extend_from_slice(chunk);
            let consumed = chunk.len() + usize::from(found_newline);
            self.reader.consume(consumed);
            if found_newline {
                return Some(Ok(line));
            }
        }
    }
}

/// What `path` is when it is not a regular file (after following symlinks): `a FIFO (named
/// pipe)`, `a directory`, … — `None` for a regular file. The one rule for every file the tool
/// reads or writes (`read_file_limited` here, `commands::write_file` and `check_writable`): only
/// regular files, because a FIFO or a device may never end (or never open) and the command would
/// wait forever.
pub fn not_a_regular_file(file_type: std::fs::FileType) -> Option<&'static str> {
    if file_type.is_file() {
        return None;
    }
    if file_type.is_dir() {
        return Some("a directory");
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if file_type.is_fifo() {
            return Some("a FIFO (named pipe)");
        }
        if file_type.is_char_device() {
            return Some("a character device");
        }
        if file_type.is_block_device() {
            return Some("a block device");
        }
        if file_type.is_socket() {
            return Some("a socket");
        }
    }
    Some("not a regular file")
}

/// The refusal of a path that is not a regular file.
fn refused(path: &Path, what: &str) -> anyhow::Error {
    crate::error::hinted(
        format!("`{}` is {what}, not a regular file", path.display()),
        "give the path of a regular file: pipes, devices and directories are refused, since reading them may never end",
    )
}

/// Opens a regular file for reading, refusing anything else before a byte is read. The path is
/// checked before it is opened (a FIFO is never opened), and the opened file again (a path
/// swapped for a FIFO in between cannot block: it is opened non-blocking, which changes nothing
/// for a regular file).
pub fn open_regular(path: &Path) -> anyhow::Result<std::fs::File> {
    let shown = path.display();
    let meta =
        std::fs::metadata(path).hint(format!("could not open `{shown}`"), "check the path")?;
    if let Some(what) = not_a_regular_file(meta.file_type()) {
        return Err(refused(path, what));
    }
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NONBLOCK);
    }
    let file = options
        .open(path)
        .hint(format!("could not open `{shown}`"), "check the path")?;
    let meta = file.metadata().hint(
        format!("could not read `{shown}`"),
        "check the file's permissions",
    )?;
    if let Some(what) = not_a_regular_file(meta.file_type()) {
        return Err(refused(path, what));
    }
    Ok(file)
}

/// At most `cap` bytes of a regular file.
fn read_regular_file(path: &Path, cap: u64) -> anyhow::Result<Vec<u8>> {
    let file = open_regular(path)?;
    let mut bytes = Vec::new();
    file.take(cap).read_to_end(&mut bytes).hint(
        format!("could not read `{}`", path.display()),
        "check the file's permissions",
    )?;
    Ok(bytes)
}

/// Reads a whole regular file of at most `limit` bytes: the one reader of the files the user
/// names (key files, key sets, config files, CA bundles). `@FILE` tokens go through the same
/// gate ([`read_token_bytes`]), keeping one byte past the cap for the token engine to refuse.
pub fn read_file_limited(path: &Path, limit: u64) -> anyhow::Result<Vec<u8>> {
    let bytes = read_regular_file(path, limit.saturating_add(1))?;
    if bytes.len() as u64 > limit {
        return Err(crate::error::hinted(
            format!(
                "`{}` is larger than {} KiB; refusing to read it",
                path.display(),
                limit / 1024
            ),
            "check the path: key files, key sets, config files and CA bundles are a few KiB, HAR files a few MiB",
        ));
    }
    Ok(bytes)
}

/// Reads a whole regular UTF-8 text file of at most `limit` bytes (config files).
pub fn read_text_file_limited(path: &Path, limit: u64) -> anyhow::Result<String> {
    let bytes = read_file_limited(path, limit)?;
    String::from_utf8(bytes).map_err(|e| {
        crate::error::hinted(
            format!(
                "`{}` is not UTF-8 text: invalid byte at position {}",
                path.display(),
                e.utf8_error().valid_up_to()
            ),
            "save the file as UTF-8",
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn token_arguments() {
        assert_eq!(TokenSource::from_arg(None), TokenSource::Stdin);
        assert_eq!(TokenSource::from_arg(Some("-")), TokenSource::Stdin);
        assert_eq!(
            TokenSource::from_arg(Some("@t.jwt")),
            TokenSource::File("t.jwt".into())
        );
        assert_eq!(
            TokenSource::from_arg(Some("eyJ")),
            TokenSource::Literal("eyJ".into())
        );
    }

    #[test]
    fn cleaning() {
        assert_eq!(clean_token("  Bearer eyJ.a.b \n"), "eyJ.a.b");
        assert_eq!(clean_token("bearer   eyJ.a.b"), "eyJ.a.b");
        assert_eq!(clean_token("\"eyJ.a.b\""), "eyJ.a.b");
        assert_eq!(clean_token("eyJ.a.b"), "eyJ.a.b");
    }

    #[test]
    fn limited_lines_stop_at_a_line_longer_than_the_limit() {
        let input = b"short\n12345678\n\nthis line is far too long\nnever read".as_slice();
        let mut lines = LimitedLines::new(input, 8);
        assert_eq!(lines.next().unwrap().unwrap(), b"short");
        assert_eq!(lines.next().unwrap().unwrap(), b"12345678");
        assert_eq!(lines.next().unwrap().unwrap(), b"");
        match lines.next() {
            Some(Err(LineError::TooLong { line: 4, limit: 8 })) => {}
            other => panic!("expected line 4 too long, got {other:?}"),
        }
        assert!(lines.next().is_none());
        let last: Vec<_> = LimitedLines::new(b"a\nlast".as_slice(), 8)
            .map(Result::unwrap)
            .collect();
        assert_eq!(last, vec![b"a".to_vec(), b"last".to_vec()]);
        let empty: Vec<_> = LimitedLines::new(b"".as_slice(), 8).collect();
        assert!(empty.is_empty());
    }

    /// Endless input without a newline: the reader gives up after `limit + 1` bytes.
    #[test]
    fn limited_lines_end_on_endless_input() {
        let endless = std::io::BufReader::new(std::io::repeat(b'a'));
        let mut lines = LimitedLines::new(endless, 1024);
        assert!(matches!(
            lines.next(),
            Some(Err(LineError::TooLong { line: 1, .. }))
        ));
        assert!(lines.next().is_none());
    }
}
