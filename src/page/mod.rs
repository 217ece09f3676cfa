//! Turning the bytes of one saved file into a [`Page`]: the cited paper and its
//! citation statements.
//!
//! The stages run in order. First the saved form is undone: [`mhtml`] takes the
//! page out of a single-file web page, [`webarchive`] out of a Safari web
//! archive, [`pdf`] reads a page printed to PDF back into lines. Then
//! [`decode`] finds the text encoding, [`html`] reduces a saved HTML page to the
//! same lines a copied text page has, [`layout`] reads the line grammar of
//! docs/page-formats.md (with [`title`] picking the paper's title among the
//! header lines), [`cite`] finds the authors cited inside a statement, and
//! [`section`] sorts a heading into a bucket. This module knows nothing of the
//! index: it must never touch tantivy, and it must never panic, hang or use
//! unbounded memory on any input.

mod cite;
mod clean;
mod decode;
mod html;
mod layout;
mod mhtml;
mod pdf;
mod plain;
mod section;
mod title;
mod webarchive;

use std::fmt;
use std::path::Path;

use serde::Serialize;

pub use cite::cited_authors;
pub use decode::{decode, Decoded};
pub use section::SectionBucket;

/// The paper a report page is about, with the statements that cite it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Page {
    /// Lowercased DOI, the page's identity; `None` when the page shows none.
    pub doi: Option<String>,
    pub title: Option<String>,
    pub year: Option<u16>,
    #[serde(rename = "abstract")]
    pub abstract_text: Option<String>,
    /// `Cited by N publications`.
    pub cited_by: Option<u64>,
    /// `(N citation statements)`: how many the service knows, not how many the page shows.
    pub citation_statements: Option<u64>,
    /// `References N publications`.
    pub references: Option<u64>,
    pub tally: Tally,
    pub statements: Vec<Statement>,
    /// Things the parser noticed but could work around (a cut-off page, say).
    pub warnings: Vec<String>,
}

/// The `Citation Types` facet counts, in the page's order.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Tally {
    pub supporting: Option<u64>,
    pub mentioning: Option<u64>,
    pub contrasting: Option<u64>,
}

/// One citation statement: a passage of a citing paper that cites the page's paper.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Statement {
    /// 1-based number of the statement on its page, after in-page repeats are dropped.
    pub position: u32,
    pub text: String,
    /// The citing paper's section heading as the page shows it.
    pub section: Option<String>,
    pub section_bucket: Option<SectionBucket>,
    #[serde(rename = "type")]
    pub citation_type: Option<CitationType>,
    /// The classifier's confidence in the type, 0 to 100.
    pub confidence: Option<u8>,
    pub cited: Vec<CitedAuthor>,
}

/// A surname named in one of a statement's in-text citations, with that citation's year.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, serde::Deserialize)]
pub struct CitedAuthor {
    pub author: String,
    pub year: Option<u16>,
}

/// How a statement uses the cited paper.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum CitationType {
    Supporting,
    Mentioning,
    /// Older pages say `contradicting` or `disputing`.
    Contrasting,
    Unclassified,
}

impl CitationType {
    /// In this order in the index (`index/facet_code.rs`): add at the end.
    pub const ALL: [CitationType; 4] = [
        CitationType::Supporting,
        CitationType::Mentioning,
        CitationType::Contrasting,
        CitationType::Unclassified,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            CitationType::Supporting => "supporting",
            CitationType::Mentioning => "mentioning",
            CitationType::Contrasting => "contrasting",
            CitationType::Unclassified => "unclassified",
        }
    }

    /// Reads a type word as pages and the data feed spell it, old names included.
    pub fn from_word(word: &str) -> Option<CitationType> {
        match word.to_ascii_lowercase().as_str() {
            "supporting" => Some(CitationType::Supporting),
            "mentioning" => Some(CitationType::Mentioning),
            "contrasting" | "contradicting" | "disputing" => Some(CitationType::Contrasting),
            "unclassified" => Some(CitationType::Unclassified),
            _ => None,
        }
    }
}

impl fmt::Display for CitationType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Why a file is not a report page. Each reason is worded for a warning line.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NotAPage {
    #[error("empty file")]
    Empty,
    #[error("binary data, not text")]
    Binary,
    #[error("an image, not a saved page")]
    Image,
    /// A saved form (PDF, MHTML, web archive) whose structure cannot be read,
    /// or that goes past a limit; the reason names the form and what is wrong.
    #[error("{0}")]
    Unreadable(String),
    #[error("a PDF with no text (a scan, or a printout of images)")]
    NoText,
    #[error("no DOI line and no citation statements: not a citation report page")]
    NoReportContent,
}

/// The form a page was saved in, decided from the first bytes and the name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SavedForm {
    /// Copied page text (`.txt`, `.text`).
    Text,
    /// A saved HTML page (`.html`, `.htm`).
    Html,
    /// A single-file web page (`.mhtml`, `.mht`).
    Mhtml,
    /// A Safari web archive (`.webarchive`).
    WebArchive,
    /// A page printed to PDF (`.pdf`).
    Pdf,
}

impl SavedForm {
    /// The binary forms are known by their first bytes whatever the name;
    /// `.html`/`.htm` are HTML; anything else is text here, and
    /// [`parse_bytes`] still reads it as HTML when its decoded text is plainly
    /// an HTML document (a page saved under a wrong name, in UTF-16 even).
    pub fn of(path: &Path, bytes: &[u8]) -> SavedForm {
        if pdf::looks_like_pdf(bytes) {
            return SavedForm::Pdf;
        }
        if webarchive::looks_like_webarchive(bytes) {
            return SavedForm::WebArchive;
        }
        if mhtml::looks_like_mhtml(bytes) {
            return SavedForm::Mhtml;
        }
        let by_name = path
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| e.eq_ignore_ascii_case("html") || e.eq_ignore_ascii_case("htm"));
        if by_name {
            SavedForm::Html
        } else {
            SavedForm::Text
        }
    }
}

/// Parses one saved file. `path` only helps tell the form; it is not read.
pub fn parse_bytes(path: &Path, bytes: &[u8]) -> Result<Page, NotAPage> {
    sniff_binary(bytes)?;
    match SavedForm::of(path, bytes) {
        SavedForm::Pdf => {
            let printed = pdf::text(bytes)?;
            let hints = html::Hints {
                title: printed.title.as_deref().map(html::strip_site_name),
                doi: printed.url.as_deref().and_then(html::doi_from_report_link),
            };
            let page = layout::parse_lines(printed.lines.iter().map(String::as_str), &hints)?;
            // A paper prints its own DOI too: a PDF is a report page only
            // when it shows what a report shows.
            let report = !page.statements.is_empty()
                || page.cited_by.is_some()
                || page.citation_statements.is_some()
                || page.tally != Tally::default();
            if !report {
                return Err(NotAPage::NoReportContent);
            }
            Ok(page)
        }
        SavedForm::Mhtml => {
            let (html, warnings) = mhtml::main_html(bytes)?;
            parse_html(&html, warnings)
        }
        SavedForm::WebArchive => {
            let (html, warnings) = webarchive::main_html(bytes)?;
            parse_html(&html, warnings)
        }
        form => {
            let decoded = decode(bytes);
            if decoded.text.contains('\0') {
                return Err(NotAPage::Binary);
            }
            // Sniffed once decoded: a UTF-16 page shows no `<html` in its bytes.
            if form == SavedForm::Html || html::looks_like_html(&decoded.text) {
                parse_html(&decoded.text, decoded.warnings)
            } else {
                let page = match plain::lines(&decoded.text) {
                    Some((lines, hints)) => {
                        layout::parse_lines(lines.iter().map(|l| l.as_ref()), &hints)
                    }
                    None => layout::parse_lines(decoded.text.lines(), &html::Hints::default()),
                };
                with_warnings(page, decoded.warnings)
            }
        }
    }
}

/// Parses the text of an HTML page; `warnings` are those of getting the text.
fn parse_html(text: &str, warnings: Vec<String>) -> Result<Page, NotAPage> {
    let extracted = html::extract(text);
    let page = layout::parse_lines(extracted.lines.iter().map(String::as_str), &extracted.hints);
    with_warnings(page, warnings)
}

/// The page with `earlier` warnings (decoding's) before the parser's own.
fn with_warnings(page: Result<Page, NotAPage>, mut earlier: Vec<String>) -> Result<Page, NotAPage> {
    let mut page = page?;
    earlier.append(&mut page.warnings);
    page.warnings = earlier;
    Ok(page)
}

/// Rejects what is plainly not text before any decoding work is spent on it.
fn sniff_binary(bytes: &[u8]) -> Result<(), NotAPage> {
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(NotAPage::Empty);
    }
    const IMAGE_MAGIC: [&[u8]; 5] = [
        b"\x89PNG\r\n\x1a\n",
        b"\xff\xd8\xff",
        b"GIF87a",
        b"GIF89a",
        b"RIFF",
    ];
    if IMAGE_MAGIC.iter().any(|m| bytes.starts_with(m)) {
        return Err(NotAPage::Image);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rejects_empty_broken_pdf_and_images() {
        let p = Path::new("x.txt");
        assert_eq!(parse_bytes(p, b""), Err(NotAPage::Empty));
        assert_eq!(parse_bytes(p, b" \r\n\t"), Err(NotAPage::Empty));
        assert!(matches!(
            parse_bytes(p, b"%PDF-1.7\n..."),
            Err(NotAPage::Unreadable(r)) if r.starts_with("a PDF")
        ));
        assert_eq!(
            parse_bytes(p, b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR"),
            Err(NotAPage::Image)
        );
    }

    #[test]
    fn rejects_binary_with_nul_bytes() {
        let bytes = [0x13u8, 0x00, 0xff, 0x42, 0x00, 0x00, 0x9c, 0x01];
        assert_eq!(
            parse_bytes(Path::new("g.txt"), &bytes),
            Err(NotAPage::Binary)
        );
    }

    #[test]
    fn plain_notes_are_not_a_page() {
        let notes = b"Things to read next week\n- the sleep paper\n- ask about the grant\n";
        assert_eq!(
            parse_bytes(Path::new("notes.txt"), notes),
            Err(NotAPage::NoReportContent)
        );
    }

    #[test]
    fn type_words_include_old_names() {
        assert_eq!(
            CitationType::from_word("Disputing"),
            Some(CitationType::Contrasting)
        );
        assert_eq!(
            CitationType::from_word("contradicting"),
            Some(CitationType::Contrasting)
        );
        assert_eq!(CitationType::from_word("citing"), None);
    }
}
