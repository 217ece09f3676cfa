//! The line grammar of a report page (docs/page-formats.md): header, abstract, facet
//! widgets, counts, and the statements with their `Section:` and `confidence:`
//! lines.
//!
//! Lines the grammar does not know are page chrome and are skipped, so a new
//! button label on the service never breaks parsing. Values the page does not
//! show stay `None`: nothing is guessed.

use std::borrow::Cow;

use super::cite::cited_authors;
use super::clean::{indent_of, join_wrapped, list_item, normalize_line};
use super::html::Hints;
use super::title::{is_site_chrome, TitleCandidates};
use super::{CitationType, NotAPage, Page, SectionBucket, Statement, Tally};

/// Lines that are page chrome wherever they appear. A line made only of these
/// between `|` separators is chrome too (`View full text | Cite`).
const CHROME: [&str; 19] = [
    "|View full text |Cite",
    "|",
    "Cite",
    "Sign up to set email alerts",
    "Help me understand this report",
    "Search citation statements",
    "Order By: Relevance",
    "Select...",
    "Paper Sections",
    "Citation Types",
    "Year Published",
    "Publication Types",
    "Relationship",
    "Authors",
    "Journals",
    "citations",
    "references",
    "Show more",
    "View full text",
];

/// Lines after which the header (year, DOI, title) is over.
const HEADER_ENDS: [&str; 6] = [
    "Help me understand this report",
    "Search citation statements",
    "Order By: Relevance",
    "Paper Sections",
    "Citation Types",
    "Year Published",
];

/// Statements longer than this without a closing quote are treated as cut off:
/// a page of a hundred thousand lines must not become one statement.
const MAX_STATEMENT_LINES: usize = 400;

pub(super) fn parse_lines<'a>(
    lines: impl Iterator<Item = &'a str>,
    hints: &Hints,
) -> Result<Page, NotAPage> {
    let mut p = Parser::default();
    let lines: Vec<Cow<'a, str>> = lines
        .map(|line| {
            p.indents.push(indent_of(line));
            normalize_line(line)
        })
        .collect();
    let lines: Vec<&str> = lines.iter().map(|l| l.as_ref()).collect();
    let mut i = 0;
    while i < lines.len() {
        i = p.line(&lines, i);
    }
    p.finish(hints)
}

#[derive(Default)]
struct Parser {
    year: Option<u16>,
    doi: Option<String>,
    /// Header lines that may be the title.
    title_candidates: TitleCandidates,
    header_done: bool,
    abstract_text: Option<String>,
    cited_by: Option<u64>,
    citation_statements: Option<u64>,
    references: Option<u64>,
    tally: Tally,
    statements: Vec<RawStatement>,
    warnings: Vec<String>,
    /// Each raw line's indentation, which trimming takes away.
    indents: Vec<usize>,
}

#[derive(Default)]
struct RawStatement {
    text: String,
    section: Option<String>,
    citation_type: Option<CitationType>,
    confidence: Option<u8>,
}

impl Parser {
    /// Reads the construct starting at line `i`; returns the index of the next unread line.
    fn line(&mut self, lines: &[&str], i: usize) -> usize {
        let line = lines[i];
        if line.is_empty() {
            return i + 1;
        }
        if let Some(opened) = statement_opening(line) {
            self.header_done = true;
            return self.statement(lines, i, opened);
        }
        if let Some(rest) = strip_prefix_ci(line, "DOI:") {
            if self.doi.is_none() {
                self.doi = crate::doi::canonical(rest);
            }
            return i + 1;
        }
        if let Some(rest) = strip_prefix_ci(line, "Abstract:") {
            self.header_done = true;
            return self.abstract_block(lines, i, rest);
        }
        if let Some(rest) = strip_prefix_ci(line, "Section:") {
            let (heading, used) = wrapped_section(rest, &lines[i + 1..]);
            self.section_line(&heading);
            return i + 1 + used;
        }
        if let Some(rest) = strip_prefix_ci(line, "confidence:") {
            if let Some(last) = self.statements.last_mut() {
                if last.confidence.is_none() {
                    last.confidence = parse_percent(rest);
                }
            }
            return i + 1;
        }
        if line == "Citation Types" {
            self.header_done = true;
            return self.tally_block(lines, i + 1);
        }
        if HEADER_ENDS.contains(&line) {
            self.header_done = true;
            return i + 1;
        }
        if let Some(n) = count_between(line, "Cited by ", " publication") {
            self.cited_by = Some(n);
            self.header_done = true;
            return i + 1;
        }
        if let Some(n) = count_between(line, "(", " citation statement") {
            self.citation_statements = Some(n);
            return i + 1;
        }
        if let Some(n) = count_between(line, "References ", " publication") {
            self.references = Some(n);
            return i + 1;
        }
        if let Some(citation_type) = CitationType::from_word(line) {
            // A type element left on its own line (no `Section:` before it).
            if let Some(last) = self.statements.last_mut() {
                last.citation_type.get_or_insert(citation_type);
            }
            return i + 1;
        }
        if !self.header_done {
            self.header_line(line, i);
        }
        i + 1
    }

    fn header_line(&mut self, line: &str, at: usize) {
        if let Some(year) = year_line(line) {
            // The year line stands before `DOI:` (the last one before it, should a
            // saved navigation bar hold a number too); after it, numbers are widgets.
            if self.doi.is_none() {
                self.year = Some(year);
            }
            return;
        }
        let is_chrome = is_chrome(line)
            || is_site_chrome(line)
            || list_item(line)
                .chars()
                .all(|c| c.is_ascii_digit() || c.is_whitespace());
        if is_chrome {
            return;
        }
        let anchored = self.doi.is_some() || self.year.is_some();
        self.title_candidates
            .push(line, at, &self.indents, anchored);
    }

    fn abstract_block(&mut self, lines: &[&str], i: usize, first: &str) -> usize {
        let mut parts = vec![first.trim()];
        let mut j = i + 1;
        while j < lines.len() && !lines[j].is_empty() && !is_structural(lines[j]) {
            parts.push(lines[j]);
            j += 1;
        }
        let text = join_wrapped(&parts);
        let text = strip_show_more(&text);
        if !text.is_empty() && self.abstract_text.is_none() {
            self.abstract_text = Some(text.to_string());
        }
        j
    }

    fn tally_block(&mut self, lines: &[&str], mut j: usize) -> usize {
        let mut numbers = Vec::new();
        while j < lines.len() && numbers.len() < 3 {
            let line = lines[j];
            if line.is_empty() || line == "Select..." {
                j += 1;
                continue;
            }
            match parse_count(list_item(line)) {
                Some(n) => numbers.push(n),
                None => break,
            }
            j += 1;
        }
        let mut it = numbers.into_iter();
        self.tally = Tally {
            supporting: it.next(),
            mentioning: it.next(),
            contrasting: it.next(),
        };
        j
    }

    fn statement(&mut self, lines: &[&str], i: usize, opened: &str) -> usize {
        let mut parts: Vec<&str> = Vec::new();
        let mut current = opened;
        let mut j = i;
        loop {
            if let Some(body) = statement_closing(current, lines.get(j + 1).copied()) {
                parts.push(body);
                self.push_statement(&parts);
                return j + 1;
            }
            parts.push(current);
            j += 1;
            let next = lines.get(j).copied();
            let cut_off = match next {
                None => true,
                // The `Section:`/`confidence:` line of this statement came without
                // a closing quote: the service cut the excerpt.
                Some(l) => is_metadata(l) || parts.len() >= MAX_STATEMENT_LINES,
            };
            if cut_off {
                if next.is_none() {
                    self.warnings.push(format!(
                        "the page ends inside statement {}: it was cut off and is left out",
                        self.statements.len() + 1
                    ));
                } else {
                    self.warnings.push(format!(
                        "statement {} has no closing quote; kept up to line {}",
                        self.statements.len() + 1,
                        j
                    ));
                    self.push_statement(&parts);
                }
                return j;
            }
            current = lines[j];
        }
    }

    fn push_statement(&mut self, parts: &[&str]) {
        let text = join_wrapped(parts);
        if !text.is_empty() {
            self.statements.push(RawStatement {
                text,
                ..RawStatement::default()
            });
        }
    }

    fn section_line(&mut self, rest: &str) {
        let Some(last) = self.statements.last_mut() else {
            return;
        };
        if last.section.is_some() || last.citation_type.is_some() {
            return;
        }
        let (heading, citation_type) = split_glued_type(rest.trim());
        last.section = (!heading.is_empty()).then(|| heading.to_string());
        last.citation_type = citation_type;
    }

    fn finish(mut self, hints: &Hints) -> Result<Page, NotAPage> {
        // The title stands after the year and DOI lines: a page that shows
        // them but nothing after them shows no title above them either.
        let anchors = self.year.is_some() || self.doi.is_some();
        let doi = self
            .doi
            .or_else(|| hints.doi.as_deref().and_then(crate::doi::canonical));
        let title = self.title_candidates.pick(hints.title.as_deref(), anchors);
        if doi.is_none() && self.statements.is_empty() {
            return Err(NotAPage::NoReportContent);
        }
        if doi.is_none() {
            self.warnings.push("the page shows no DOI".to_string());
        }
        if self.statements.is_empty() {
            self.warnings
                .push("the page shows no citation statements".to_string());
        }
        Ok(Page {
            doi,
            title,
            year: self.year,
            abstract_text: self.abstract_text,
            cited_by: self.cited_by,
            citation_statements: self.citation_statements,
            references: self.references,
            tally: self.tally,
            statements: dedup_statements(self.statements),
            warnings: self.warnings,
        })
    }
}

/// A copy made with "See N more" expanded repeats the statement shown before:
/// the same text twice on one page is one statement. The first copy stays, and
/// takes what the repeat knows that it does not.
fn dedup_statements(raw: Vec<RawStatement>) -> Vec<Statement> {
    let mut out: Vec<Statement> = Vec::with_capacity(raw.len());
    let mut index: std::collections::HashMap<String, usize> = Default::default();
    for r in raw {
        let key = r.text.to_lowercase();
        if let Some(&at) = index.get(&key) {
            let first = &mut out[at];
            if first.section.is_none() && first.citation_type.is_none() {
                first.section_bucket = r.section.as_deref().map(SectionBucket::of_heading);
                first.section = r.section;
                first.citation_type = r.citation_type;
            }
            first.confidence = first.confidence.or(r.confidence);
            continue;
        }
        index.insert(key, out.len());
        out.push(Statement {
            position: out.len() as u32 + 1,
            cited: cited_authors(&r.text),
            section_bucket: r.section.as_deref().map(SectionBucket::of_heading),
            section: r.section,
            citation_type: r.citation_type,
            confidence: r.confidence,
            text: r.text,
        });
    }
    out
}

/// Chrome from [`CHROME`], alone or several between `|` separators: the
/// header's links come out as `|View full text |Cite`, `View full text | Cite`
/// or on lines of their own, depending on the browser.
fn is_chrome(line: &str) -> bool {
    if CHROME.contains(&line) {
        return true;
    }
    let mut parts = line.split('|').map(str::trim).filter(|p| !p.is_empty());
    parts.all(|p| CHROME.iter().any(|c| c.eq_ignore_ascii_case(p)))
}

/// For a line opening a statement, the text after the opening quote and ellipsis.
/// Curly quotes always open one; a straight quote only with an ellipsis after it,
/// so that a quoted title is not taken for a statement.
fn statement_opening(line: &str) -> Option<&str> {
    if let Some(rest) = line.strip_prefix('“') {
        return Some(strip_leading_ellipsis(rest));
    }
    let rest = line.strip_prefix('"')?;
    let after = strip_leading_ellipsis(rest);
    (after.len() < rest.len()).then_some(after)
}

/// When `line` ends the statement, its text without the closing ellipsis and quote.
/// An ellipsis before the quote is the sure sign; a bare closing quote counts
/// only when the next line is not more of the statement.
fn statement_closing<'a>(line: &'a str, next: Option<&str>) -> Option<&'a str> {
    let body = line.strip_suffix('”').or_else(|| line.strip_suffix('"'))?;
    let trimmed = strip_trailing_ellipsis(body);
    let with_ellipsis = trimmed.len() < body.len();
    let next_ends = next.is_none_or(|n| {
        n.is_empty() || is_metadata(n) || statement_opening(n).is_some() || is_see_more(n)
    });
    (with_ellipsis || next_ends).then_some(trimmed)
}

fn strip_leading_ellipsis(s: &str) -> &str {
    s.strip_prefix('…')
        .or_else(|| s.strip_prefix("..."))
        .unwrap_or(s)
        .trim_start()
}

fn strip_trailing_ellipsis(s: &str) -> &str {
    s.strip_suffix('…')
        .or_else(|| s.strip_suffix("..."))
        .unwrap_or(s)
        .trim_end()
}

fn is_metadata(line: &str) -> bool {
    strip_prefix_ci(line, "Section:").is_some() || strip_prefix_ci(line, "confidence:").is_some()
}

fn is_see_more(line: &str) -> bool {
    line.starts_with("See ") && line.contains(" more Smart Citation")
}

/// Lines that end an abstract: anything the grammar reads as structure.
fn is_structural(line: &str) -> bool {
    is_chrome(line)
        || is_metadata(line)
        || statement_opening(line).is_some()
        || line.starts_with("Cited by ")
}

/// A `Section:` line whose heading wrapped before its type word (a narrow
/// printed page): the heading with the following lines up to the one that
/// ends in a type word, and how many lines that took. A heading that never
/// reaches a type word within three lines takes none: its type is unknown.
fn wrapped_section<'a>(first: &'a str, next: &[&str]) -> (Cow<'a, str>, usize) {
    const MAX_WRAPPED: usize = 3;
    if split_glued_type(first).1.is_some() {
        return (Cow::Borrowed(first), 0);
    }
    let mut heading = first.to_string();
    for (k, line) in next.iter().take(MAX_WRAPPED).enumerate() {
        if line.is_empty() || is_structural(line) {
            break;
        }
        heading.push(' ');
        heading.push_str(line);
        if split_glued_type(line).1.is_some() {
            return (Cow::Owned(heading), k + 1);
        }
    }
    (Cow::Borrowed(first), 0)
}

/// `Discussionmentioning` → (`Discussion`, mentioning). The type word is glued to
/// the end of the heading; a heading with no type word keeps the type unknown.
fn split_glued_type(line: &str) -> (&str, Option<CitationType>) {
    const WORDS: [&str; 6] = [
        "supporting",
        "mentioning",
        "contrasting",
        "contradicting",
        "disputing",
        "unclassified",
    ];
    for word in WORDS {
        let Some(cut) = line.len().checked_sub(word.len()) else {
            continue;
        };
        if line.is_char_boundary(cut) && line[cut..].eq_ignore_ascii_case(word) {
            return (line[..cut].trim(), CitationType::from_word(word));
        }
    }
    (line, None)
}

fn strip_prefix_ci<'a>(line: &'a str, prefix: &str) -> Option<&'a str> {
    let head = line.get(..prefix.len())?;
    head.eq_ignore_ascii_case(prefix)
        .then(|| line[prefix.len()..].trim())
}

fn year_line(line: &str) -> Option<u16> {
    if line.len() != 4 || !line.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    line.parse().ok().filter(|y| (1600..=2100).contains(y))
}

fn parse_count(s: &str) -> Option<u64> {
    let digits: String = s.trim().chars().filter(|c| *c != ',').collect();
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    digits.parse().ok()
}

/// `Cited by 1,204 publications` with `prefix = "Cited by "` and `suffix = " publication"` gives 1204.
fn count_between(line: &str, prefix: &str, suffix: &str) -> Option<u64> {
    let rest = line.strip_prefix(prefix)?;
    let end = rest.find(suffix)?;
    parse_count(&rest[..end])
}

fn parse_percent(s: &str) -> Option<u8> {
    let n: f64 = s.trim().trim_end_matches('%').trim().parse().ok()?;
    (0.0..=100.0).contains(&n).then(|| n.round() as u8)
}

fn strip_show_more(text: &str) -> &str {
    let t = text.strip_suffix("Show more").unwrap_or(text).trim_end();
    strip_trailing_ellipsis(t)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::page::CitedAuthor;

    fn parse(text: &str) -> Page {
        parse_lines(text.lines(), &Hints::default()).expect("a page")
    }

    const PAGE: &str = "2019\nDOI: 10.5555/SLEEP.2019.41\n|View full text |Cite\n|\nSign up to set email alerts\n|\n\n\
        Share\nSpindle Density Predicts Overnight Gains in Motor Skill\n\n\
        Abstract: We recorded spindles in forty adults. Results… Show more\n\n\
        Help me understand this report\nCitation Types\n\nSelect...\n3\n12\n1\n\nYear Published\n2021\n2022\n\
        Cited by 1,204 publications\n(16 citation statements)\nReferences 48 publications\n3\n12\n1\nOrder By: Relevance\n\
        “…Spindle bursts rose after training (Okafor et al., 2021).…”\nSection: Resultssupporting\nconfidence: 87%\n\
        See 1 more Smart Citation\n“…Spindle bursts rose after training (Okafor et al., 2021).…”\nSection: Resultssupporting\nconfidence: 87%\n\
        “…Earlier work found no such\neffect in older\nadults (Lindqvist & Haddad, 2017).…”\nSection: 4.2 General Discussiondisputing\nconfidence: 64%\n\
        \"...A straight-quoted statement with no section line...\"\nconfidence: 70%\n";

    #[test]
    fn reads_header_counts_and_tally() {
        let page = parse(PAGE);
        assert_eq!(page.year, Some(2019));
        assert_eq!(page.doi.as_deref(), Some("10.5555/sleep.2019.41"));
        assert_eq!(
            page.title.as_deref(),
            Some("Spindle Density Predicts Overnight Gains in Motor Skill")
        );
        assert_eq!(
            page.abstract_text.as_deref(),
            Some("We recorded spindles in forty adults. Results")
        );
        assert_eq!(page.cited_by, Some(1204));
        assert_eq!(page.citation_statements, Some(16));
        assert_eq!(page.references, Some(48));
        assert_eq!(
            page.tally,
            Tally {
                supporting: Some(3),
                mentioning: Some(12),
                contrasting: Some(1)
            }
        );
    }

    #[test]
    fn reads_statements_with_repeats_wraps_and_old_types() {
        let page = parse(PAGE);
        assert_eq!(page.statements.len(), 3);
        let s = &page.statements[0];
        assert_eq!(
            s.text,
            "Spindle bursts rose after training (Okafor et al., 2021)."
        );
        assert_eq!(s.section.as_deref(), Some("Results"));
        assert_eq!(s.section_bucket, Some(SectionBucket::Results));
        assert_eq!(s.citation_type, Some(CitationType::Supporting));
        assert_eq!(s.confidence, Some(87));
        assert_eq!(
            s.cited,
            vec![CitedAuthor {
                author: "Okafor".into(),
                year: Some(2021)
            }]
        );
        let s = &page.statements[1];
        assert_eq!(s.position, 2);
        assert_eq!(
            s.text,
            "Earlier work found no such effect in older adults (Lindqvist & Haddad, 2017)."
        );
        assert_eq!(s.section.as_deref(), Some("4.2 General Discussion"));
        assert_eq!(s.citation_type, Some(CitationType::Contrasting));
        let s = &page.statements[2];
        assert_eq!(s.text, "A straight-quoted statement with no section line");
        assert_eq!(
            (s.section.as_deref(), s.citation_type, s.confidence),
            (None, None, Some(70))
        );
        assert!(page.warnings.is_empty(), "{:?}", page.warnings);
    }

    #[test]
    fn a_cut_off_page_keeps_complete_statements() {
        let text = "DOI: 10.5555/x\nA Title of Three Words\n“…First one (Ibsen, 2010).…”\nSection: Methodsmentioning\n“…Second one is cut";
        let page = parse(text);
        assert_eq!(page.statements.len(), 1);
        assert_eq!(page.warnings.len(), 1);
        assert!(page.warnings[0].contains("cut off"), "{:?}", page.warnings);
    }

    #[test]
    fn glued_heading_keeps_truncation_dots() {
        assert_eq!(
            split_glued_type("Effects Of Sleep On Re...supporting"),
            ("Effects Of Sleep On Re...", Some(CitationType::Supporting))
        );
        assert_eq!(split_glued_type("Methods"), ("Methods", None));
        assert_eq!(
            split_glued_type("ñmentioning"),
            ("ñ", Some(CitationType::Mentioning))
        );
    }

    #[test]
    fn hints_fill_in_what_the_text_lacks() {
        let hints = Hints {
            title: Some("From the Head".into()),
            doi: Some("10.5555/FROM.LINK".into()),
        };
        let page =
            parse_lines("“…only a statement (Okafor, 2020).…”".lines(), &hints).expect("page");
        assert_eq!(page.doi.as_deref(), Some("10.5555/from.link"));
        assert_eq!(page.title.as_deref(), Some("From the Head"));
    }

    #[test]
    fn a_navigation_bar_before_the_year_is_neither_year_nor_title() {
        let text =
            "scite Search Log in\n2022\nDOI: 10.5555/x\nBase Editing Maps Variants\nAbstract: a";
        let page = parse_lines(text.lines(), &Hints::default()).expect("page");
        assert_eq!(page.year, Some(2022));
        assert_eq!(page.title.as_deref(), Some("Base Editing Maps Variants"));
        let hints = Hints {
            title: Some("Base  editing maps variants".into()),
            doi: None,
        };
        let page = parse_lines(
            "scite Search Log in\nBase editing maps variants\nDOI: 10.5555/x".lines(),
            &hints,
        )
        .expect("page");
        assert_eq!(page.title.as_deref(), Some("Base editing maps variants"));
    }

    /// The header as copies from different browsers show it: the links with
    /// and without separators, on one line or two; navigation, sign-in and
    /// cookie lines above the year; tabs, no-break and zero-width spaces.
    #[test]
    fn header_chrome_from_any_browser_is_never_the_title() {
        let title = "Slow oscillations coordinate spindles in older adults";
        for links in [
            "|View full text |Cite",
            "View full text |Cite",
            "View full text | Cite",
            "View full text\nCite",
            "View full text\n|\nCite",
            "\u{a0}View full text\t|\tCite\u{a0}",
        ] {
            let text = format!(
                "We use cookies to give you the best experience of our site.\nAccept all\n\
                 scite Search\nSign in\n2013\nDOI:\u{a0}10.5555/x\n{links}\n|\n\
                 Sign up to set email alerts\n\n\u{200b}{title}\t\n\n\
                 Abstract:\tAn abstract.\u{a0}Show more\n\
                 Cited by\u{a0}3 publications\n\
                 “…A statement (Okafor,\u{a0}2020).…”\nSection:\tResults\u{a0}supporting\n\
                 confidence:\t81%"
            );
            let page = parse(&text);
            assert_eq!(page.title.as_deref(), Some(title), "{links:?}");
            assert_eq!(page.year, Some(2013));
            assert_eq!(page.doi.as_deref(), Some("10.5555/x"));
            assert_eq!(page.abstract_text.as_deref(), Some("An abstract."));
            assert_eq!(page.cited_by, Some(3));
            let s = &page.statements[0];
            assert_eq!(s.text, "A statement (Okafor, 2020).");
            assert_eq!(
                (s.section.as_deref(), s.citation_type, s.confidence),
                (Some("Results"), Some(CitationType::Supporting), Some(81))
            );
        }
    }

    #[test]
    fn a_section_heading_wrapped_before_its_type_is_joined() {
        let text = "DOI: 10.5555/x\nA Title of Three Words\n\
                    “…One (Ibsen, 2010).…”\nSection: Strengths and\nLimitationscontrasting\nconfidence: 63%\n\
                    “…Two (Ibsen, 2011).…”\nSection: Discussion\nmentioning\n\
                    “…Three (Ibsen, 2012).…”\nSection: Methods\nconfidence: 70%";
        let page = parse(text);
        let got: Vec<_> = page
            .statements
            .iter()
            .map(|s| (s.section.as_deref(), s.citation_type, s.confidence))
            .collect();
        assert_eq!(
            got,
            vec![
                (
                    Some("Strengths and Limitations"),
                    Some(CitationType::Contrasting),
                    Some(63)
                ),
                (Some("Discussion"), Some(CitationType::Mentioning), None),
                (Some("Methods"), None, Some(70)),
            ]
        );
    }
}
