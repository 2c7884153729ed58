//! Long lines of human output folded to the terminal's width, with continuation lines aligned
//! under the value they continue. Output to a pipe or file is never folded (scripts read whole
//! lines) unless `COLUMNS` asks for a width.
//!
//! The folding itself is `textwrap`'s first-fit algorithm. What stays here is the glue it cannot
//! know: where a line's value column is (the hanging indent), that every space inside a line is
//! kept (alignment gaps), and that the `·` before a claim's meaning keeps the word after it.

use std::io::IsTerminal;

use textwrap::core::{Fragment, display_width};
use textwrap::wrap_algorithms::wrap_first_fit;
use unicode_width::UnicodeWidthChar;

/// Narrower than this, folding does more harm than good.
const MIN_WIDTH: usize = 40;

/// The width to fold to: `COLUMNS` when set to a number, else the terminal's width when stdout
/// is a terminal, else none.
pub fn target_width() -> Option<usize> {
    if let Some(columns) = std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.trim().parse::<usize>().ok())
    {
        return Some(columns);
    }
    let stdout = std::io::stdout();
    if !stdout.is_terminal() {
        return None;
    }
    terminal_size::terminal_size_of(&stdout).map(|(width, _)| usize::from(width.0))
}

/// Folds every line of `text` longer than `width` columns at spaces. A continuation starts under
/// the line's value column (where the text resumes after the first gap of two or more spaces),
/// or two columns right of the line's indent when there is no such gap. Words longer than the
/// room left (URLs, keys) are never split, so they stay copyable. ANSI colour sequences take no
/// columns.
pub fn wrap(text: &str, width: usize) -> String {
    if width < MIN_WIDTH {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len() + text.len() / 16);
    for line in text.split_inclusive('\n') {
        let (body, newline) = match line.strip_suffix('\n') {
            Some(body) => (body, "\n"),
            None => (line, ""),
        };
        if display_width(body) <= width {
            out.push_str(line);
            continue;
        }
        fold_line(body, width, &mut out);
        out.push_str(newline);
    }
    out
}

/// Folds one line: first fit over its words, the line's own indent on its first line, the
/// hanging indent on the others.
fn fold_line(line: &str, width: usize, out: &mut String) {
    let hang = hanging_indent(line).min(width / 2);
    let mut lead = line.len() - line.trim_start_matches(' ').len();
    // A first word of colour codes only takes no room: the word after it never folds away from it.
    let rest = &line[lead..];
    let end = rest.find(' ').unwrap_or(rest.len());
    if end < rest.len() && display_width(&rest[..end]) == 0 {
        lead += end + (rest.len() - end - rest[end..].trim_start_matches(' ').len());
    }
    let words = words(&line[lead..]);
    let rooms = [
        width.saturating_sub(display_width(&line[..lead])) as f64,
        width.saturating_sub(hang) as f64,
    ];
    out.push_str(&line[..lead]);
    for (index, folded) in wrap_first_fit(&words, &rooms).iter().enumerate() {
        if index > 0 {
            out.push('\n');
            out.push_str(&" ".repeat(hang));
        }
        for (at, word) in folded.iter().enumerate() {
            out.push_str(word.text);
            if at + 1 < folded.len() {
                out.push_str(word.spaces);
            }
        }
    }
}

/// A word of a line, with the spaces after it, as `textwrap` places it.
#[derive(Debug)]
struct LineWord<'a> {
    text: &'a str,
    spaces: &'a str,
    width: usize,
    /// The room the next word needs on the same line: a word ending in `·` (the mark before a
    /// claim's meaning) goes to the next line with the word after it rather than end a line.
    keep_with_next: usize,
}

impl Fragment for LineWord<'_> {
    fn width(&self) -> f64 {
        self.width as f64
    }

    fn whitespace_width(&self) -> f64 {
        self.spaces.len() as f64
    }

    /// First fit adds this only when it decides whether the word still fits on the line.
    fn penalty_width(&self) -> f64 {
        self.keep_with_next as f64
    }
}

/// The words of a line, split at ASCII spaces. Spaces at the end become an empty last word, so
/// that they are kept where they fit and start a continuation line where they do not.
fn words(text: &str) -> Vec<LineWord<'_>> {
    let mut words = Vec::new();
    let mut rest = text;
    while !rest.is_empty() {
        let (word, after) = rest.split_at(rest.find(' ').unwrap_or(rest.len()));
        let (spaces, after) = after.split_at(after.len() - after.trim_start_matches(' ').len());
        words.push(LineWord {
            text: word,
            spaces,
            width: display_width(word),
            keep_with_next: 0,
        });
        if after.is_empty() && !spaces.is_empty() {
            words.push(LineWord {
                text: "",
                spaces: "",
                width: 0,
                keep_with_next: 0,
            });
        }
        rest = after;
    }
    for at in 1..words.len() {
        if words[at - 1].text.ends_with('·') {
            words[at - 1].keep_with_next = words[at - 1].spaces.len() + words[at].width;
        }
    }
    words
}

/// The column where a line's value starts: after the first run of two or more spaces that follows
/// some text (`  label      value`), colour sequences neither counting nor ending the run; else
/// the line's indent plus two.
fn hanging_indent(line: &str) -> usize {
    let lead = line.len() - line.trim_start_matches(' ').len();
    let mut column = lead;
    let mut spaces = 0;
    let mut seen_text = false;
    let mut in_escape = false;
    for c in line[lead..].chars() {
        if in_escape {
            in_escape = c != 'm';
            continue;
        }
        if c == '\u{1b}' {
            in_escape = true;
            continue;
        }
        if c == ' ' {
            spaces += 1;
        } else {
            if seen_text && spaces >= 2 {
                return column;
            }
            seen_text = true;
            spaces = 0;
        }
        column += c.width().unwrap_or(0);
    }
    lead + 2
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_lines_and_narrow_widths_are_left_alone() {
        let text = "  name   Marie  · full name\nnext\n";
        assert_eq!(wrap(text, 80), text);
        assert_eq!(wrap(&"word ".repeat(40), 20), "word ".repeat(40));
    }

    #[test]
    fn continuations_align_under_the_value_column() {
        let line = "  address        Rue de Fer 26, 5000 Namur, Belgium  · postal address as written on the card\n";
        let folded = wrap(line, 50);
        for out in folded.lines() {
            assert!(display_width(out) <= 50, "{out:?} in\n{folded}");
        }
        let lines: Vec<&str> = folded.lines().collect();
        assert!(lines.len() > 1);
        assert!(lines[0].starts_with("  address        Rue de Fer 26,"));
        for continuation in &lines[1..] {
            assert!(
                continuation.starts_with(&" ".repeat(17)),
                "{continuation:?}"
            );
            assert!(!continuation[17..].starts_with(' '), "{continuation:?}");
        }
        let words = |s: &str| s.split_whitespace().map(str::to_string).collect::<Vec<_>>();
        assert_eq!(words(&folded), words(line), "no word lost or split");
        assert!(folded.ends_with('\n'));
        assert!(
            !folded.lines().any(|l| l.trim_end().ends_with('·')),
            "the separator stays with the meaning:\n{folded}"
        );
    }

    #[test]
    fn a_line_without_a_value_column_hangs_two_columns_in() {
        let line =
            "  ✗ exp_missing: `exp` is missing; an ID token must say when it expires, always";
        let folded = wrap(line, 44);
        let lines: Vec<&str> = folded.lines().collect();
        assert!(lines.len() > 1);
        assert!(lines[1].starts_with("    ") && !lines[1].starts_with("     "));
    }

    #[test]
    fn long_words_stay_whole_and_colour_takes_no_room() {
        let url = format!("https://example.com/{}", "a".repeat(80));
        let folded = wrap(&format!("  picture  {url} · photo"), 60);
        assert!(folded.lines().any(|l| l.trim() == url || l.contains(&url)));
        let coloured = "  \u{1b}[2m· dimmed meaning\u{1b}[0m";
        assert_eq!(
            display_width(coloured),
            "  · dimmed meaning".chars().count()
        );
        assert_eq!(wrap(coloured, 40), coloured);
    }
}
