//! One page, any save: each sample HTML page as headless Chromium saved it
//! (`tests/fixtures/browser/make.py`: the rendered text, the MHTML snapshot,
//! the printed PDF with header and footer, and a web archive) parses to the
//! same page as the HTML it came from.

use std::path::{Path, PathBuf};

use citeindex::page::{parse_bytes, Page};

use crate::common::{sample_corpus, TestResult};

/// The saved forms, by file extension.
const FORMS: [&str; 5] = ["txt", "mhtml", "pdf", "a6.pdf", "webarchive"];

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/browser/chromium")
}

fn parse(path: &Path) -> Result<Page, String> {
    let bytes = std::fs::read(path).map_err(|e| format!("{}: {e}", path.display()))?;
    parse_bytes(path, &bytes).map_err(|e| format!("{}: {e}", path.display()))
}

/// What a form cannot carry, by design of the medium, with the reason.
/// Everything else must be equal.
fn forced_difference(stem: &str, form: &str) -> Option<&'static str> {
    match (stem, form) {
        // This page shows neither its DOI nor its title as text: the DOI is
        // in the `Cite` link and the title in `<title>`/`og:title`. Copied
        // text has neither links nor the head. (The PDF keeps both: the title
        // from the document information, the DOI from the printed address.)
        ("orchard-pollinators-forest-fragments-2010", "txt") => Some("doi and title"),
        _ => None,
    }
}

#[test]
fn every_browser_save_of_a_page_parses_like_its_html() -> TestResult {
    let mut pages = 0;
    for entry in std::fs::read_dir(sample_corpus().join("html"))? {
        let source = entry?.path();
        let stem = source
            .file_stem()
            .and_then(|s| s.to_str())
            .ok_or("a file name")?
            .to_string();
        let original = parse(&source)?;
        assert!(
            original.warnings.is_empty(),
            "{stem}: {:?}",
            original.warnings
        );
        for form in FORMS {
            let saved = fixtures().join(format!("{stem}.{form}"));
            let mut page = parse(&saved)?;
            let mut expected = original.clone();
            if let Some(what) = forced_difference(&stem, form) {
                assert_eq!(what, "doi and title");
                assert_eq!((page.doi.as_deref(), page.title.as_deref()), (None, None));
                assert_eq!(page.warnings, vec!["the page shows no DOI".to_string()]);
                expected.doi = None;
                expected.title = None;
                expected.warnings = page.warnings.clone();
            }
            // Compared field by field first, for a message that says which.
            assert_eq!(page.doi, expected.doi, "{stem}.{form}: doi");
            assert_eq!(page.title, expected.title, "{stem}.{form}: title");
            assert_eq!(page.year, expected.year, "{stem}.{form}: year");
            assert_eq!(
                page.abstract_text, expected.abstract_text,
                "{stem}.{form}: abstract"
            );
            assert_eq!(
                (page.cited_by, page.citation_statements, page.references),
                (
                    expected.cited_by,
                    expected.citation_statements,
                    expected.references
                ),
                "{stem}.{form}: counts"
            );
            assert_eq!(page.tally, expected.tally, "{stem}.{form}: tally");
            assert_eq!(
                page.statements.len(),
                expected.statements.len(),
                "{stem}.{form}: statements"
            );
            for (got, want) in page.statements.iter().zip(&expected.statements) {
                assert_eq!(got, want, "{stem}.{form}: statement {}", want.position);
            }
            assert_eq!(page.warnings, expected.warnings, "{stem}.{form}: warnings");
            // And as a whole, so that a field added to `Page` is compared too.
            page.warnings.clone_from(&expected.warnings);
            assert_eq!(page, expected, "{stem}.{form}");
        }
        pages += 1;
    }
    assert_eq!(pages, 6, "the sample HTML pages");
    Ok(())
}

#[test]
fn the_printed_pdf_has_its_header_and_footer_dropped() -> TestResult {
    // The footer prints the address; no statement, title or abstract may hold it.
    for entry in std::fs::read_dir(fixtures())? {
        let path = entry?.path();
        if path.extension().and_then(|e| e.to_str()) != Some("pdf") {
            continue;
        }
        let page = parse(&path)?;
        let texts = page
            .statements
            .iter()
            .map(|s| s.text.as_str())
            .chain(page.title.as_deref())
            .chain(page.abstract_text.as_deref());
        for text in texts {
            assert!(
                !text.contains("scite.test") && !text.contains(" | scite"),
                "{}: {text}",
                path.display()
            );
        }
    }
    Ok(())
}
