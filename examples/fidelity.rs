//! How faithfully each browser engine's saved forms parse: every fixture of
//! `tests/fixtures/browser/ENGINE/` against the sample HTML page it was saved
//! from, as a Markdown table for the issue notes and BENCHMARKS.md.
//!
//! Per engine and form: how many pages have the page fields right (DOI,
//! title, year, abstract, the three counts, the tally: 8 a page), and the
//! statements' precision and recall counted on their text, and on the whole
//! statement (text, section, bucket, type, confidence, cited authors).
//!
//! `cargo run --release --example fidelity [FIXTURES_DIR]`

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use citeindex::page::{parse_bytes, Page};

/// The forms a fixture folder may hold, by the suffix after the page's name.
const FORMS: [&str; 7] = [
    "txt",
    "save.txt",
    "html",
    "mhtml",
    "webarchive",
    "pdf",
    "a6.pdf",
];

#[derive(Default)]
struct Score {
    pages: usize,
    fields_right: usize,
    fields: usize,
    /// Statements parsed, and of those: text found on the HTML page, whole statement found.
    parsed: usize,
    text_right: usize,
    whole_right: usize,
    /// Statements on the HTML pages, and of those: text found, whole statement found.
    expected: usize,
    text_found: usize,
    whole_found: usize,
}

fn main() -> anyhow::Result<()> {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let fixtures = std::env::args_os()
        .nth(1)
        .map_or_else(|| root.join("tests/fixtures/browser"), PathBuf::from);
    let mut sources: Vec<PathBuf> = std::fs::read_dir(root.join("sample-corpus/html"))?
        .map(|e| e.map(|e| e.path()))
        .collect::<Result<_, _>>()?;
    sources.sort();
    let mut engines: Vec<PathBuf> = std::fs::read_dir(&fixtures)?
        .map(|e| e.map(|e| e.path()))
        .filter(|p| p.as_ref().map_or(true, |p| p.is_dir()))
        .collect::<Result<_, _>>()?;
    engines.sort();
    println!("| engine | form | pages | page fields right | statement text P / R | whole statement P / R |");
    println!("|---|---|---:|---:|---:|---:|");
    for engine in &engines {
        let mut scores: BTreeMap<usize, Score> = BTreeMap::new();
        for source in &sources {
            let original = parse(source)?;
            let stem = source.file_stem().and_then(|s| s.to_str()).unwrap_or("");
            for (i, form) in FORMS.iter().enumerate() {
                let saved = engine.join(format!("{stem}.{form}"));
                if !saved.is_file() {
                    continue;
                }
                let page = parse(&saved).unwrap_or_else(|_| empty_page());
                score(scores.entry(i).or_default(), &page, &original);
            }
        }
        let name = engine.file_name().and_then(|n| n.to_str()).unwrap_or("");
        for (i, s) in scores {
            println!(
                "| {name} | {} | {} | {}/{} | {} / {} | {} / {} |",
                FORMS[i],
                s.pages,
                s.fields_right,
                s.fields,
                share(s.text_right, s.parsed),
                share(s.text_found, s.expected),
                share(s.whole_right, s.parsed),
                share(s.whole_found, s.expected),
            );
        }
    }
    Ok(())
}

fn parse(path: &Path) -> anyhow::Result<Page> {
    let bytes = std::fs::read(path)?;
    parse_bytes(path, &bytes).map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))
}

/// What a form that cannot be read at all scores: nothing right.
fn empty_page() -> Page {
    Page {
        doi: None,
        title: None,
        year: None,
        abstract_text: None,
        cited_by: None,
        citation_statements: None,
        references: None,
        tally: Default::default(),
        statements: Vec::new(),
        warnings: Vec::new(),
    }
}

fn score(s: &mut Score, page: &Page, want: &Page) {
    s.pages += 1;
    let fields = [
        page.doi == want.doi,
        page.title == want.title,
        page.year == want.year,
        page.abstract_text == want.abstract_text,
        page.cited_by == want.cited_by,
        page.citation_statements == want.citation_statements,
        page.references == want.references,
        page.tally == want.tally,
    ];
    s.fields += fields.len();
    s.fields_right += fields.iter().filter(|f| **f).count();
    let text_in = |of: &Page, text: &str| of.statements.iter().any(|t| t.text == text);
    // Whole statements compared without their position, which shifts when
    // one before them is lost or added.
    let whole_in = |of: &Page, st: &citeindex::page::Statement| {
        of.statements.iter().any(|t| {
            (&t.text, &t.section, t.section_bucket, t.citation_type)
                == (&st.text, &st.section, st.section_bucket, st.citation_type)
                && (t.confidence, &t.cited) == (st.confidence, &st.cited)
        })
    };
    s.parsed += page.statements.len();
    s.expected += want.statements.len();
    for st in &page.statements {
        s.text_right += usize::from(text_in(want, &st.text));
        s.whole_right += usize::from(whole_in(want, st));
    }
    for st in &want.statements {
        s.text_found += usize::from(text_in(page, &st.text));
        s.whole_found += usize::from(whole_in(page, st));
    }
}

fn share(part: usize, whole: usize) -> String {
    if whole == 0 {
        return "–".to_string();
    }
    format!("{:.2}", part as f64 / whole as f64)
}
