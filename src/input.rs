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
        TokenSource::File(path) => {
            let file = std::fs::File::open(path).hint(
                format!("could not open `{path}`"),
                "check the path after `@`",
            )?;
            file.take(limit).read_to_end(&mut bytes).hint(
                format!("could not read `{path}`"),
                "check the file's permissions",
            )?;
        }
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

/// Reads lines of at most `limit` bytes each; longer lines are returned cut to `limit + 1` bytes
/// (so the caller can tell) and the rest of the line is skipped.
pub struct LimitedLines<R> {
    reader: R,
    limit: usize,
}

impl<R: BufRead> LimitedLines<R> {
    /// Lines from `reader`.
    pub fn new(reader: R, limit: usize) -> Self {
        LimitedLines { reader, limit }
    }
}

impl<R: BufRead> Iterator for LimitedLines<R> {
    type Item = std::io::Result<Vec<u8>>;

    fn next(&mut self) -> Option<Self::Item> {
        let mut line = Vec::new();
        let mut seen_any = false;
        loop {
            let buffer = match self.reader.fill_buf() {
                Ok(b) => b,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(e) => return Some(Err(e)),
            };
            if buffer.is_empty() {
                return seen_any.then_some(Ok(line));
            }
            seen_any = true;
            let (chunk, found_newline) = match buffer.iter().position(|b| *b == b'\n') {
                Some(i) => (&buffer[..i], true),
                None => (buffer, false),
            };
            let room = (self.limit + 1).saturating_sub(line.len());
            line.extend_from_slice(&chunk[..chunk.len().min(room)]);
            let consumed = chunk.len() + usize::from(found_newline);
            self.reader.consume(consumed);
            if found_newline {
                return Some(Ok(line));
            }
        }
    }
}

/// Reads a whole file of at most `limit` bytes.
pub fn read_file_limited(path: &Path, limit: u64) -> anyhow::Result<Vec<u8>> {
    let shown = path.display();
    let file =
        std::fs::File::open(path).hint(format!("could not open `{shown}`"), "check the path")?;
    let mut bytes = Vec::new();
    file.take(limit + 1).read_to_end(&mut bytes).hint(
        format!("could not read `{shown}`"),
        "check the file's permissions",
    )?;
    if bytes.len() as u64 > limit {
        anyhow::bail!(
            "`{shown}` is larger than {} KiB; this is not a key or key set",
            limit / 1024
        );
    }
    Ok(bytes)
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
    fn limited_lines_cut_long_lines_and_keep_counting() {
        let input = b"short\nthis line is far too long\n\nlast".as_slice();
        let lines: Vec<Vec<u8>> = LimitedLines::new(input, 8).map(Result::unwrap).collect();
        assert_eq!(
            lines,
            vec![
                b"short".to_vec(),
                b"this line".to_vec(),
                Vec::new(),
                b"last".to_vec()
            ]
        );
        let empty: Vec<_> = LimitedLines::new(b"".as_slice(), 8).collect();
        assert!(empty.is_empty());
    }
}
