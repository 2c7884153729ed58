//! Long lines of human output folded to the terminal's width, with continuation lines aligned
//! under the value they continue. Output to a pipe or file is never folded (scripts read whole
//! lines) unless `COLUMNS` asks for a width.

use std::io::IsTerminal;

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

fn fold_line(line: &str, width: usize, out: &mut String) {
    let hang = hanging_indent(line).min(width / 2);
    let indent = " ".repeat(hang);
    let mut column = 0;
    let mut first_word = true;
    let lead = line.len() - line.trim_start_matches(' ').len();
    out.push_str(&line[..lead]);
    column += lead;
    let mut line_start = lead;
    let mut words = words(&line[lead..]).peekable();
    while let Some((gap, word)) = words.next() {
        let word_width = display_width(word);
        // A lone `·` (the separator before a meaning) stays with the word after it.
        let needed = match words.peek() {
            Some((next_gap, next)) if word.ends_with('·') => {
                word_width + display_width(next_gap) + display_width(next)
            }
            _ => word_width,
        };
        if !first_word && column + display_width(gap) + needed > width && column > line_start {
            out.push('\n');
            out.push_str(&indent);
            column = hang;
            line_start = hang;
        } else {
            out.push_str(gap);
            column += display_width(gap);
        }
        out.push_str(word);
        column += word_width;
        first_word = false;
    }
}

/// Splits text into (spaces before, word) pairs, keeping every space so that alignment gaps inside
/// a line survive when it is not folded there.
fn words(text: &str) -> impl Iterator<Item = (&str, &str)> {
    let mut rest = text;
    std::iter::from_fn(move || {
        if rest.is_empty() {
            return None;
        }
        let gap_end = rest.len() - rest.trim_start_matches(' ').len();
        let after_gap = &rest[gap_end..];
        let word_end = after_gap.find(' ').unwrap_or(after_gap.len());
        let pair = (&rest[..gap_end], &after_gap[..word_end]);
        rest = &after_gap[word_end..];
        Some(pair)
    })
}

/// The column where a line's value starts: after the first run of two or more spaces that follows
/// some text (`  label      value`); else the line's indent plus two.
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

/// Columns a text takes on a terminal, not counting ANSI SGR sequences (`ESC [ … m`).
fn display_width(text: &str) -> usize {
    let mut width = 0;
    let mut in_escape = false;
    for c in text.chars() {
        if in_escape {
            in_escape = c != 'm';
        } else if c == '\u{1b}' {
            in_escape = true;
        } else {
            width += c.width().unwrap_or(0);
        }
    }
    width
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
