//! Untrusted text (claims, headers, provider messages) made safe where it is shown: for a
//! terminal, control characters, escape sequences, bidirectional controls and every invisible or
//! format character become visible escapes ([`escape`]); for a web page, markup characters become
//! entities ([`html`]).

use std::borrow::Cow;

use unicode_general_category::{GeneralCategory, get_general_category};

/// Whether `c` is shown as an escape: a control character (Cc, including ESC and the C1 CSI), or
/// one of the general categories that draw nothing or draw like something else, so that two
/// different values (`sub`, `iss`, `aud`) could look identical (Unicode Technical Standard #39,
/// §3.1): format characters (Cf: zero-width space and joiners, the byte-order mark, the soft
/// hyphen, word joiner, bidi marks and overrides, the tag characters U+E0000–E007F), the line and
/// paragraph separators (Zl, Zp), private-use (Co) and unassigned code points (Cn); plus the
/// Hangul fillers, letters (Lo) that render as blank space.
fn is_dangerous(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_control();
    }
    c.is_control()
        || matches!(
            get_general_category(c),
            GeneralCategory::Format
                | GeneralCategory::LineSeparator
                | GeneralCategory::ParagraphSeparator
                | GeneralCategory::PrivateUse
                | GeneralCategory::Unassigned
        )
        || matches!(c, '\u{115F}' | '\u{1160}' | '\u{3164}' | '\u{FFA0}')
}

/// The text with every control character, escape sequence start, bidi control and invisible or
/// format character (see [`is_dangerous`]) replaced by a visible escape (`\n`, `\t`, `\u{1b}`,
/// `\u{200b}`); unchanged (borrowed) when there is nothing to replace.
pub fn escape(text: &str) -> Cow<'_, str> {
    if !text.chars().any(is_dangerous) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if is_dangerous(c) => out.push_str(&format!("\\u{{{:x}}}", c as u32)),
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// Escapes text for HTML content and attribute values.
pub fn html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use std::borrow::Cow;

    use super::escape;

    #[test]
    fn neutralises_terminal_tricks() {
        assert_eq!(escape("plain text é"), "plain text é");
        assert_eq!(escape("\u{1b}[31mred\u{7}"), "\\u{1b}[31mred\\u{7}");
        assert_eq!(escape("a\nb\tc"), "a\\nb\\tc");
        assert_eq!(escape("evil\u{202E}txt.exe"), "evil\\u{202e}txt.exe");
        assert_eq!(escape("\u{9b}2J"), "\\u{9b}2J");
    }

    /// Each character the hardening issue found passing raw, by name.
    #[test]
    fn invisible_characters_are_shown() {
        for (c, shown) in [
            ('\u{200B}', "\\u{200b}"),   // zero width space (Cf)
            ('\u{2028}', "\\u{2028}"),   // line separator (Zl)
            ('\u{2029}', "\\u{2029}"),   // paragraph separator (Zp)
            ('\u{FEFF}', "\\u{feff}"),   // zero width no-break space, byte-order mark (Cf)
            ('\u{00AD}', "\\u{ad}"),     // soft hyphen (Cf)
            ('\u{2060}', "\\u{2060}"),   // word joiner (Cf)
            ('\u{180E}', "\\u{180e}"),   // Mongolian vowel separator (Cf)
            ('\u{200D}', "\\u{200d}"),   // zero width joiner (Cf)
            ('\u{3164}', "\\u{3164}"),   // Hangul filler (Lo)
            ('\u{115F}', "\\u{115f}"),   // Hangul choseong filler (Lo)
            ('\u{1160}', "\\u{1160}"),   // Hangul jungseong filler (Lo)
            ('\u{FFA0}', "\\u{ffa0}"),   // halfwidth Hangul filler (Lo)
            ('\u{E0000}', "\\u{e0000}"), // the tag block: unassigned (Cn)…
            ('\u{E0001}', "\\u{e0001}"), // language tag (Cf)
            ('\u{E0041}', "\\u{e0041}"), // tag latin capital letter A (Cf)
            ('\u{E007F}', "\\u{e007f}"), // cancel tag (Cf)
        ] {
            assert_eq!(escape(&format!("a{c}b")), format!("a{shown}b"), "{c:?}");
        }
    }

    #[test]
    fn private_use_and_unassigned_code_points_are_shown() {
        assert_eq!(escape("\u{E000}"), "\\u{e000}"); // Co, BMP private use area
        assert_eq!(escape("\u{F0000}"), "\\u{f0000}"); // Co, plane 15
        assert_eq!(escape("\u{10FFFD}"), "\\u{10fffd}"); // Co, plane 16
        assert_eq!(escape("\u{0378}"), "\\u{378}"); // Cn, unassigned in Greek
        assert_eq!(escape("\u{FFFF}"), "\\u{ffff}"); // Cn, noncharacter
        assert_eq!(escape("\u{E01F0}"), "\\u{e01f0}"); // Cn, after the variation selectors
    }

    #[test]
    fn visible_text_stays_borrowed() {
        for text in [
            "plain ascii",
            "Marie-Claire Dupont-Lefèvre",
            "Ελληνικά русский 日本語 한국어 עברית العربية",
            "sub 3d8f… ✓ emoji 🙂",
        ] {
            assert!(matches!(escape(text), Cow::Borrowed(_)), "{text}");
        }
        // Spaces that show as space are letters' neighbours, not hidden: kept.
        assert_eq!(escape("a\u{A0}b\u{3000}c"), "a\u{A0}b\u{3000}c");
    }
}
