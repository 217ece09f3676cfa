//! Text that a browser's text writer laid out, read back as the page's text.
//!
//! A copy of the page (select all, copy) is its text as shown. A text *save*
//! (Firefox's "Save Page As… Text Files") is the page run through a plain-text
//! writer that adds marks of its own: each link's target in angle brackets
//! after its text (`Cite <https://scite.ai/reports/10.…>`), bold and italic
//! words between `*` and `/` (`*Abstract:*`, `/BRCA1/`), lines wrapped at a
//! fixed column, even inside a link's target. These rules undo the marks in
//! any text file, whoever wrote it: a target is dropped from the text (a
//! report link's DOI is kept as a hint, as an HTML page's is), and an
//! emphasis pair is dropped where it stands at word edges. Wrapped lines are
//! joined by the grammar (`clean::join_wrapped`). This never decides what is
//! a statement: `layout` does.

use std::borrow::Cow;

use super::html::{doi_from_report_link, Hints};

/// How many lines one link target may be wrapped over.
const MAX_TARGET_LINES: usize = 4;

/// The marks of bold, italic and underlined text in a text writer's output.
const EMPHASIS: [char; 3] = ['*', '/', '_'];

/// The text's lines without link targets and emphasis marks, and what the
/// targets said about the page; `None` when the text has neither (most pages:
/// two scans of the whole text tell), and its lines are its own.
pub(super) fn lines(text: &str) -> Option<(Vec<Cow<'_, str>>, Hints)> {
    let mut hints = Hints::default();
    if memchr::memchr(b'<', text.as_bytes()).is_none() {
        if !may_open(text) {
            return None;
        }
        let mut out: Vec<Cow<'_, str>> = text.lines().map(Cow::Borrowed).collect();
        drop_emphasis(&mut out);
        return Some((out, hints));
    }
    let raw: Vec<&str> = text.lines().collect();
    let mut out: Vec<Cow<'_, str>> = Vec::with_capacity(raw.len());
    let mut i = 0;
    while i < raw.len() {
        let line = raw[i];
        i += 1;
        if !line.contains('<') {
            out.push(Cow::Borrowed(line));
            continue;
        }
        // A target cut by the wrap runs on at the start of the next line.
        let mut joined = Cow::Borrowed(line);
        let mut taken = 0;
        while open_target(&joined) && taken < MAX_TARGET_LINES && i < raw.len() {
            joined.to_mut().push_str(raw[i].trim_start());
            i += 1;
            taken += 1;
        }
        let starts_with_target = joined
            .trim_start()
            .strip_prefix('<')
            .is_some_and(|rest| target_starts(rest, 0));
        match out.last_mut() {
            // The wrap fell on the space before a target: what follows the
            // target belongs to the line above, its own spaces kept.
            Some(above) if starts_with_target && !above.trim().is_empty() => {
                let rest = drop_targets(Cow::Borrowed(joined.trim_start()), &mut hints);
                above.to_mut().push_str(&rest);
            }
            _ => out.push(drop_targets(joined, &mut hints)),
        }
    }
    if may_open(text) {
        drop_emphasis(&mut out);
    }
    Some((out, hints))
}

/// Where a link target starts at byte `at` (just after its `<`): `#…`, or a
/// scheme such as `https:` or `mailto:`.
fn target_starts(line: &str, at: usize) -> bool {
    let rest = &line[at..];
    if rest.starts_with('#') {
        return true;
    }
    let scheme_len = rest
        .bytes()
        .take_while(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'.' | b'-'))
        .count();
    scheme_len >= 2
        && rest.as_bytes()[0].is_ascii_alphabetic()
        && rest.as_bytes().get(scheme_len) == Some(&b':')
}

/// Whether the line ends inside a link target: a `<target` with neither a
/// `>` nor a space after it.
fn open_target(line: &str) -> bool {
    line.rfind('<').is_some_and(|at| {
        target_starts(line, at + 1) && !line[at..].contains(|c: char| c == '>' || c.is_whitespace())
    })
}

/// The line without its ` <target>` parts; report links' DOIs go to `hints`.
fn drop_targets<'a>(line: Cow<'a, str>, hints: &mut Hints) -> Cow<'a, str> {
    let mut out = String::new();
    let mut rest: &str = &line;
    let mut changed = false;
    while let Some(at) = rest.find('<') {
        if !target_starts(rest, at + 1) {
            out.push_str(&rest[..=at]);
            rest = &rest[at + 1..];
            continue;
        }
        // An address holds no space: its `>` comes before the next one.
        let run = rest[at..]
            .find(char::is_whitespace)
            .map_or(rest.len(), |e| at + e);
        let Some(end) = rest[at..run].find('>').map(|e| at + e) else {
            // No `>` in the run: no later `<` of it closes either.
            out.push_str(&rest[..run]);
            rest = &rest[run..];
            continue;
        };
        if hints.doi.is_none() {
            hints.doi = doi_from_report_link(&rest[at + 1..end]);
        }
        out.push_str(rest[..at].strip_suffix(' ').unwrap_or(&rest[..at]));
        rest = &rest[end + 1..];
        changed = true;
    }
    if !changed {
        return line;
    }
    out.push_str(rest);
    Cow::Owned(out)
}

/// Drops emphasis marks that pair up within a paragraph (a run of non-blank
/// lines): an opening mark at a word's start, the same mark closing at a
/// word's end. A mark inside a word (`and/or`, `file_name`) is text.
fn drop_emphasis(lines: &mut [Cow<'_, str>]) {
    let mut start = 0;
    while start < lines.len() {
        let mut end = start;
        let mut opens = false;
        while end < lines.len() && !lines[end].trim().is_empty() {
            opens |= may_open(&lines[end]);
            end += 1;
        }
        if opens {
            let pairs = emphasis_marks(&lines[start..end]);
            remove_marks(&mut lines[start..end], pairs);
        }
        start = end + 1;
    }
}

/// Whether a line holds a mark that may open a pair: after a space, a line's
/// start or punctuation, before anything but a space. A byte scan, as every
/// line of every text page passes here.
fn may_open(line: &str) -> bool {
    let b = line.as_bytes();
    memchr::memchr3_iter(b'*', b'/', b'_', b).any(|i| {
        b.get(i + 1).is_some_and(|n| !n.is_ascii_whitespace())
            && (i == 0 || !b[i - 1].is_ascii_alphanumeric())
    })
}

/// The (line, byte) places of the marks that pair up, in no order.
fn emphasis_marks(paragraph: &[Cow<'_, str>]) -> Vec<(usize, usize)> {
    let mut marks = Vec::new();
    let mut open: [Option<(usize, usize)>; 3] = [None; 3];
    for (n, line) in paragraph.iter().enumerate() {
        // A line's ends count as spaces: a pair may wrap.
        let mut before: Option<char> = None;
        for (at, c) in line.char_indices() {
            let previous = before.replace(c);
            let Some(kind) = EMPHASIS.iter().position(|m| *m == c) else {
                continue;
            };
            let after = line[at + 1..].chars().next();
            let opens = previous.is_none_or(|b| b.is_whitespace() || "([“‘\"'".contains(b))
                && after.is_some_and(|a| !a.is_whitespace() && a != c);
            let closes = previous.is_some_and(|b| !b.is_whitespace() && b != c)
                && after.is_none_or(|a| a.is_whitespace() || ".,;:!?)]”’\"'".contains(a));
            match open[kind] {
                Some(opened) if closes => {
                    marks.push(opened);
                    marks.push((n, at));
                    open[kind] = None;
                }
                None if opens => open[kind] = Some((n, at)),
                _ => {}
            }
        }
    }
    marks
}

/// Rebuilds each line that has marks without them, in one pass a line (a
/// `String::remove` per mark would be quadratic in a long line).
fn remove_marks(paragraph: &mut [Cow<'_, str>], mut marks: Vec<(usize, usize)>) {
    marks.sort_unstable();
    for line_marks in marks.chunk_by(|a, b| a.0 == b.0) {
        let n = line_marks[0].0;
        let line = &paragraph[n];
        let mut out = String::with_capacity(line.len());
        let mut from = 0;
        for &(_, at) in line_marks {
            out.push_str(&line[from..at]);
            // Each mark is one ASCII byte.
            from = at + 1;
        }
        out.push_str(&line[from..]);
        paragraph[n] = Cow::Owned(out);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str) -> (Vec<String>, Hints) {
        match lines(text) {
            Some((lines, hints)) => (lines.into_iter().map(Cow::into_owned).collect(), hints),
            None => (text.lines().map(str::to_string).collect(), Hints::default()),
        }
    }

    #[test]
    fn text_without_marks_is_left_alone() {
        assert!(lines("2020\nDOI: 10.5555/x\nand/or 5 * 3, p > q").is_none());
        assert!(lines("a <https://x.org/y> b").is_some());
        assert!(lines("*bold* text").is_some());
    }

    #[test]
    fn a_target_holds_no_space() {
        let (lines, hints) = read("a <https:// spaced> b <#x>");
        assert_eq!(lines, ["a <https:// spaced> b"]);
        assert_eq!(hints.doi, None);
    }

    #[test]
    fn link_targets_go_and_a_report_links_doi_stays() {
        let (lines, hints) = read(
            "View full text <https://doi.org/10.5555/x.1>| Cite <https://\n\
             scite.ai/reports/10.5555/x.1>\nnext <#> line\np < 0.05 and a<b\n\
             (Okafor, 2020\n  <#b7>), and (Haddad, 2008\n<#b3> and more",
        );
        assert_eq!(
            lines,
            [
                "View full text| Cite",
                "next line",
                "p < 0.05 and a<b",
                "(Okafor, 2020), and (Haddad, 2008 and more"
            ]
        );
        assert_eq!(hints.doi.as_deref(), Some("10.5555/x.1"));
    }

    #[test]
    fn a_target_wrapped_past_the_limit_is_left_as_text() {
        let text = "a <https://\nb\nc\nd\ne\nf> g";
        let (lines, _) = read(text);
        assert_eq!(lines[0], "a <https://bcde");
    }

    #[test]
    fn emphasis_pairs_go_within_a_paragraph() {
        let (lines, _) = read(
            "*Abstract:* variants in /BRCA1/ and\nthe *homology-directed\nrepair* assay\n\n\
             and/or a file_name, 5 * 3, p*q, *lone",
        );
        assert_eq!(
            lines,
            [
                "Abstract: variants in BRCA1 and",
                "the homology-directed",
                "repair assay",
                "",
                "and/or a file_name, 5 * 3, p*q, *lone"
            ]
        );
    }
}
