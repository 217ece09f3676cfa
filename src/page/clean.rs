//! Lines as the grammar reads them, whatever wrote them: spaces and invisible
//! characters evened out, lines that a writer wrapped joined back, list
//! items read as their value. Nothing here knows the page's grammar.

use std::borrow::Cow;

/// One line as the grammar reads it: trimmed, with tabs, no-break and other
/// Unicode spaces as plain spaces and zero-width characters gone, so that a
/// copy from any browser reads like any other. Borrowed when already plain,
/// which a byte scan tells: this runs on every line of every page.
pub(super) fn normalize_line(line: &str) -> Cow<'_, str> {
    let trimmed = line.trim_matches(|c: char| c.is_whitespace() || is_invisible(c));
    if !has_odd_space(trimmed.as_bytes()) {
        return Cow::Borrowed(trimmed);
    }
    let mut out = String::with_capacity(trimmed.len());
    for c in trimmed.chars() {
        if is_invisible(c) {
            continue;
        }
        out.push(if c.is_whitespace() { ' ' } else { c });
    }
    Cow::Owned(out)
}

/// Whether UTF-8 text holds white space other than `' '` or an invisible
/// character: the bytes of each such character, looked for without decoding.
fn has_odd_space(b: &[u8]) -> bool {
    let mut i = 0;
    while i < b.len() {
        let next = |k: usize| b.get(i + k).copied().unwrap_or(0);
        let odd = match b[i] {
            b'\t' | b'\n' | 0x0b | 0x0c | b'\r' => true,
            // U+0085, U+00A0, U+00AD
            0xc2 => matches!(next(1), 0x85 | 0xa0 | 0xad),
            // U+1680
            0xe1 => next(1) == 0x9a && next(2) == 0x80,
            // U+2000..=U+200D, U+2028, U+2029, U+202F; U+205F, U+2060
            0xe2 => matches!(
                (next(1), next(2)),
                (0x80, 0x80..=0x8d | 0xa8 | 0xa9 | 0xaf) | (0x81, 0x9f | 0xa0)
            ),
            // U+3000
            0xe3 => next(1) == 0x80 && next(2) == 0x80,
            // U+FEFF
            0xef => next(1) == 0xbb && next(2) == 0xbf,
            _ => false,
        };
        if odd {
            return true;
        }
        i += 1;
    }
    false
}

/// A byte-order mark or zero-width character: shown as nothing.
fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{feff}' | '\u{200b}' | '\u{200c}' | '\u{200d}' | '\u{2060}' | '\u{ad}'
    )
}

pub(super) fn collapse_spaces(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for word in s.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

/// Lines of one paragraph joined back into its text: one space between
/// lines, runs of spaces as one. A line broken after a hyphen between letters
/// (`self-` / `report`) joins without a space, keeping the hyphen: a writer
/// that wraps at a fixed column, or a printer, broke a hyphenated word there.
/// (A break after `pre-` in `pre- and post-` looks the same and is joined too.)
pub(super) fn join_wrapped(parts: &[&str]) -> String {
    let mut out = String::new();
    for part in parts {
        let part = collapse_spaces(part);
        if part.is_empty() {
            continue;
        }
        let hyphen_break = ends_in_word_hyphen(&out) && starts_with_letter(&part);
        if !out.is_empty() && !hyphen_break {
            out.push(' ');
        }
        out.push_str(&part);
    }
    out
}

fn ends_in_word_hyphen(text: &str) -> bool {
    text.strip_suffix(['-', '\u{2010}'])
        .and_then(|before| before.chars().last())
        .is_some_and(char::is_alphabetic)
}

fn starts_with_letter(text: &str) -> bool {
    text.chars().next().is_some_and(char::is_alphabetic)
}

/// A list item's value: `* 3` (a text save), `• 3` (a printed list), `- 3`
/// give `3`; any other line is itself.
pub(super) fn list_item(line: &str) -> &str {
    const BULLETS: [char; 8] = ['*', '•', '-', '◦', '▪', '‣', '·', '–'];
    let mut chars = line.chars();
    match (chars.next(), chars.next()) {
        (Some(bullet), Some(' ')) if BULLETS.contains(&bullet) => line[bullet.len_utf8()..].trim(),
        _ => line,
    }
}

/// How far a raw line is indented: a writer that lays text out indents
/// headings and quotes, so an indented run is one block.
pub(super) fn indent_of(line: &str) -> usize {
    line.chars().take_while(|c| *c == ' ' || *c == '\t').count()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_byte_scan_finds_exactly_the_characters_to_normalise() {
        for c in '\0'..='\u{3100}' {
            let text = format!("a{c}b");
            let odd = (c != ' ' && c.is_whitespace()) || is_invisible(c);
            assert_eq!(has_odd_space(text.as_bytes()), odd, "{:04X}", c as u32);
        }
    }

    #[test]
    fn wrapped_lines_join_with_their_hyphens() {
        assert_eq!(
            join_wrapped(&["a self-", "report  of", "", "sleep"]),
            "a self-report of sleep"
        );
        assert_eq!(
            join_wrapped(&["ends with a dash -", "then more"]),
            "ends with a dash - then more"
        );
        assert_eq!(join_wrapped(&["figure 3-", "4 shows"]), "figure 3- 4 shows");
        assert_eq!(join_wrapped(&["one line"]), "one line");
    }

    #[test]
    fn list_items_are_their_values() {
        for line in ["* 3", "• 3", "- 3", "◦ 3"] {
            assert_eq!(list_item(line), "3", "{line}");
        }
        assert_eq!(list_item("*Abstract:* x"), "*Abstract:* x");
        assert_eq!(list_item("-3"), "-3");
        assert_eq!(list_item("3"), "3");
    }
}
