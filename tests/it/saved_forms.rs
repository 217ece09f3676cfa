//! One page, any save, any engine: each sample HTML page as Chromium, Firefox
//! and WebKit saved it (`tests/fixtures/browser/{make,firefox,webkit}.py`:
//! the copied text, Firefox's text save and complete save, MHTML snapshots,
//! printed PDFs on Letter and A6, a web archive) parses to the same page as
//! the HTML it came from, but for the differences a medium forces, each
//! listed with its reason.

use std::path::{Path, PathBuf};

use citeindex::page::{parse_bytes, Page};

use crate::common::{sample_corpus, TestResult};

/// Each engine's folder of fixtures and the forms in it, by file suffix.
const ENGINES: [(&str, &[&str]); 3] = [
    ("chromium", &["txt", "mhtml", "pdf", "a6.pdf", "webarchive"]),
    ("firefox", &["txt", "save.txt", "html", "pdf", "a6.pdf"]),
    ("webkit", &["txt", "mhtml", "pdf", "a6.pdf"]),
];

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/browser")
}

fn parse(path: &Path) -> Result<Page, String> {
    let bytes = std::fs::read(path).map_err(|e| format!("{}: {e}", path.display()))?;
    parse_bytes(path, &bytes).map_err(|e| format!("{}: {e}", path.display()))
}

/// What a form cannot carry, by the nature of the medium.
#[derive(Debug, PartialEq)]
enum Lost {
    /// The page shows neither its DOI nor its title as text: the DOI is in
    /// the `Cite` link, the title in `<title>`/`og:title`.
    DoiAndTitle,
    /// As above, but the DOI is read from the link's target the form writes.
    Title,
    /// The form has no header, head or link to read the DOI from.
    Doi,
}

/// Where a form must differ from its HTML, and why. Everything else must be equal.
fn forced_difference(engine: &str, stem: &str, form: &str) -> Option<Lost> {
    if stem != "orchard-pollinators-forest-fragments-2010" {
        return None;
    }
    match (engine, form) {
        // Copied text has neither the head nor links' targets.
        (_, "txt") => Some(Lost::DoiAndTitle),
        // Firefox's text save writes links' targets (the DOI), not the head.
        ("firefox", "save.txt") => Some(Lost::Title),
        // Firefox's PDF has no document title and its header cuts the
        // title to fit (`…in a...`); on Letter the address is whole (the
        // DOI), on A6 it is cut too (`http://scite.ai/reports...`).
        ("firefox", "pdf") => Some(Lost::Title),
        ("firefox", "a6.pdf") => Some(Lost::DoiAndTitle),
        // WebKit prints no header or footer, so no address, and its PDF keeps
        // the document title but no links.
        ("webkit", "pdf" | "a6.pdf") => Some(Lost::Doi),
        _ => None,
    }
}

/// What Firefox's text save holds that the page never shows: its text writer
/// writes a `<template>`'s content as if it were laid out. The text alone
/// cannot tell that card from a shown one, so it is read as a statement.
const TEMPLATE_CARD: &str = "zztemplatejunk placeholder statement";

/// The page as the form must give it: the HTML's, less what the medium loses.
fn expected_for(original: &Page, page: &Page, engine: &str, stem: &str, form: &str) -> Page {
    let mut expected = original.clone();
    if let Some(forced) = forced_difference(engine, stem, form) {
        if forced != Lost::Title {
            expected.doi = None;
            expected.warnings = vec!["the page shows no DOI".to_string()];
        }
        if forced != Lost::Doi {
            expected.title = None;
        }
    }
    if (engine, form) == ("firefox", "save.txt") {
        // The text save is in the page's own encoding, and says so.
        if stem == "gpx4-persister-cells-2016" {
            expected.warnings = vec!["not UTF-8; read as Windows-1252".to_string()];
        }
        let card = page.statements.iter().find(|s| s.text == TEMPLATE_CARD);
        assert_eq!(
            card.map(|s| s.position),
            Some(1),
            "{stem}: the template's card"
        );
        let mut card = card.cloned().expect("checked above");
        card.position = 1;
        expected.statements.insert(0, card);
        for (i, statement) in expected.statements.iter_mut().enumerate() {
            statement.position = i as u32 + 1;
        }
    }
    expected
}

#[test]
fn every_engines_saves_of_a_page_parse_like_its_html() -> TestResult {
    let mut compared = 0;
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
        assert!(original.statements.iter().all(|s| s.text != TEMPLATE_CARD));
        for (engine, forms) in ENGINES {
            for form in forms {
                let saved = fixtures().join(engine).join(format!("{stem}.{form}"));
                let page = parse(&saved)?;
                let expected = expected_for(&original, &page, engine, &stem, form);
                assert_same_page(&page, &expected, &format!("{engine}/{stem}.{form}"));
                compared += 1;
            }
        }
    }
    assert_eq!(compared, 6 * 14, "six sample pages in fourteen forms");
    Ok(())
}

/// Field by field first, for a message that says which, then as a whole, so
/// that a field added to `Page` is compared too.
fn assert_same_page(page: &Page, expected: &Page, what: &str) {
    assert_eq!(page.doi, expected.doi, "{what}: doi");
    assert_eq!(page.title, expected.title, "{what}: title");
    assert_eq!(page.year, expected.year, "{what}: year");
    assert_eq!(
        page.abstract_text, expected.abstract_text,
        "{what}: abstract"
    );
    assert_eq!(
        (page.cited_by, page.citation_statements, page.references),
        (
            expected.cited_by,
            expected.citation_statements,
            expected.references
        ),
        "{what}: counts"
    );
    assert_eq!(page.tally, expected.tally, "{what}: tally");
    assert_eq!(
        page.statements.len(),
        expected.statements.len(),
        "{what}: statements"
    );
    for (got, want) in page.statements.iter().zip(&expected.statements) {
        assert_eq!(got, want, "{what}: statement {}", want.position);
    }
    assert_eq!(page.warnings, expected.warnings, "{what}: warnings");
    assert_eq!(page, expected, "{what}");
}

#[test]
fn the_printed_pdf_has_its_header_and_footer_dropped() -> TestResult {
    // The margins print the address and the date; no statement, title or
    // abstract of any engine's PDF may hold them.
    let engines = ENGINES.iter().map(|(engine, _)| fixtures().join(engine));
    let files = engines
        .map(std::fs::read_dir)
        .collect::<Result<Vec<_>, _>>()?
        .into_iter()
        .flatten();
    for entry in files {
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
                !text.contains("scite.test")
                    && !text.contains("scite.ai/reports")
                    && !text.contains(" | scite")
                    && !text.split_whitespace().any(is_printed_date),
                "{}: {text}",
                path.display()
            );
        }
    }
    Ok(())
}

/// `12/6/26,`: the date a printed header or footer carries.
fn is_printed_date(word: &str) -> bool {
    let parts: Vec<&str> = word.trim_end_matches(',').split('/').collect();
    parts.len() == 3
        && parts
            .iter()
            .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
}
