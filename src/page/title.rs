//! Which header line is the paper's title.
//!
//! The grammar in [`layout`](super::layout) hands over every header line it
//! cannot name (anything before the abstract, the statements or the widgets
//! that is not chrome); here they are weighed: where they stand against the
//! DOI and year lines, how many words they have, and whether the HTML's own
//! `<title>` is among them. Apart from the grammar because these are
//! heuristics, tuned against what browsers and banners put above a report,
//! while the grammar only reads what the page states; they must never guess a
//! title the page (or its `<title>`) does not show.

use super::clean::{collapse_spaces, join_wrapped};

/// The header lines that may be the title, in page order.
#[derive(Default)]
pub(super) struct TitleCandidates(Vec<TitleCandidate>);

/// A header line that may be (part of) the title.
struct TitleCandidate {
    text: String,
    /// It came after the DOI or year line, where the title stands; lines before
    /// them are a saved navigation bar or banner more often than not.
    anchored: bool,
    /// Its line number, to tell a title wrapped over consecutive lines.
    line: usize,
}

impl TitleCandidates {
    /// Takes header line `at`, which is not chrome. `indents` holds every raw
    /// line's indentation; `anchored` says the DOI or year line came before it.
    pub(super) fn push(&mut self, line: &str, at: usize, indents: &[usize], anchored: bool) {
        // An indented heading that a writer wrapped: its lines share the indent.
        let indent = indents.get(at).copied().unwrap_or(0);
        if let Some(last) = self.0.last_mut() {
            let above = at.checked_sub(1).and_then(|a| indents.get(a));
            if indent > 0 && last.line + 1 == at && above == Some(&indent) {
                last.text = join_wrapped(&[&last.text, line]);
                last.line = at;
                return;
            }
        }
        self.0.push(TitleCandidate {
            text: collapse_spaces(line),
            anchored,
            line: at,
        });
    }

    /// The title among the header lines. The HTML's own title wins when the
    /// visible text shows it too, on one line or wrapped over consecutive lines
    /// (a printed page wraps a long title); otherwise lines after the DOI or year
    /// line (where the title stands) are preferred to lines before them (a saved
    /// navigation bar, a cookie banner), and the first of three words or more to
    /// the longest of two: short unknown chrome (`Share`) is never a title. With no
    /// line after the DOI or year line, the HTML's title when there is one, and
    /// none when the page shows such a line (`anchors`): what stands above it is
    /// a banner, even one wrapped over lines that look like a title.
    pub(super) fn pick(&self, hint: Option<&str>, anchors: bool) -> Option<String> {
        let candidates = &self.0;
        if let Some(hint) = hint {
            let hint = collapse_spaces(hint);
            if shown_in(candidates, &hint) {
                return Some(hint);
            }
        }
        let anchored: Vec<&String> = candidates
            .iter()
            .filter(|c| c.anchored)
            .map(|c| &c.text)
            .collect();
        let pool: Vec<&String> = match (anchored.is_empty(), hint) {
            // Nothing stands where the title does, and the page's own title is
            // known: it beats whatever stood above the header (a banner wrapped
            // over two printed lines, say).
            (true, Some(hint)) => return Some(collapse_spaces(hint)),
            (true, None) if anchors => return None,
            (true, None) => candidates.iter().map(|c| &c.text).collect(),
            (false, _) => anchored,
        };
        let words = |s: &&String| s.split_whitespace().count();
        pool.iter()
            .find(|c| words(c) >= 3)
            .or_else(|| {
                pool.iter()
                    .filter(|c| words(c) >= 2)
                    .max_by_key(|c| c.len())
            })
            .map(|c| c.to_string())
            .or_else(|| hint.map(collapse_spaces))
    }
}

/// Whether `title` is one candidate, or several on consecutive lines joined
/// (a hyphen at a line's end joins without a space).
fn shown_in(candidates: &[TitleCandidate], title: &str) -> bool {
    for start in 0..candidates.len() {
        let mut joined = String::new();
        let mut last_line = None;
        for c in &candidates[start..] {
            if last_line.is_some_and(|l| c.line != l + 1) {
                break;
            }
            if !joined.is_empty() && !joined.ends_with('-') {
                joined.push(' ');
            }
            joined.push_str(&c.text);
            last_line = Some(c.line);
            if joined.eq_ignore_ascii_case(title) {
                return true;
            }
            if joined.len() >= title.len() {
                break;
            }
        }
    }
    false
}

/// The site's own navigation, sign-in and cookie-banner lines, which a copy of
/// the whole page may hold above the report: never a title.
pub(super) fn is_site_chrome(line: &str) -> bool {
    const LINES: [&str; 12] = [
        "scite",
        "search",
        "log in",
        "sign in",
        "sign up",
        "register",
        "accept",
        "accept all",
        "reject all",
        "manage preferences",
        "cookie settings",
        "skip to main content",
    ];
    let lower = line.to_lowercase();
    let words: Vec<&str> = lower.split_whitespace().collect();
    // `scite Search Log in`: a bar of navigation words only.
    let nav = [
        "scite",
        "search",
        "log",
        "in",
        "sign",
        "up",
        "pricing",
        "dashboard",
        "home",
    ];
    LINES.contains(&lower.as_str())
        || (!words.is_empty() && words.iter().all(|w| nav.contains(w)))
        || [
            "we use cookies",
            "this site uses cookies",
            "this website uses cookies",
            "we and our partners use cookies",
            "by continuing to use this site",
            "by using this site",
        ]
        .iter()
        .any(|p| lower.starts_with(p))
}

#[cfg(test)]
mod tests {
    use crate::page::html::Hints;
    use crate::page::layout::parse_lines;

    #[test]
    fn a_cookie_banner_above_a_page_without_a_doi_is_not_the_title() {
        let text = "We use cookies to improve your experience on this site and show you relevant content\n\
                    2019\nSpindles and memory in the afternoon nap\n“…Only one (Okafor, 2020).…”";
        let page = parse_lines(text.lines(), &Hints::default()).expect("page");
        assert_eq!(
            page.title.as_deref(),
            Some("Spindles and memory in the afternoon nap")
        );
        // Wrapped on a narrow printed sheet, above a page that shows no title.
        let text = "We use cookies to give you\nthe best experience of our\nsite. Accept all\n\
                    2010\nView full text |Cite\n“…Only one (Okafor, 2020).…”";
        assert_eq!(
            parse_lines(text.lines(), &Hints::default())
                .expect("page")
                .title,
            None
        );
    }

    #[test]
    fn a_title_wrapped_over_two_lines_matches_the_hint() {
        let hints = Hints {
            title: Some("Base-editing screens map variants of uncertain significance".into()),
            doi: None,
        };
        let text = "2022\nDOI: 10.5555/x\nBase-editing screens map variants of\nuncertain significance\nAbstract: a";
        let page = parse_lines(text.lines(), &hints).expect("page");
        assert_eq!(page.title, hints.title);
    }
}
