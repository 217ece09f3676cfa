//! A parsed page as index documents: one `page` document for the file and one
//! `statement` document per statement; and back, a statement document's
//! stored values ([`StoredStatement`]), read in this one place for every
//! reader of them (hits, exports), so that a stored field reaches them all.
//!
//! All of a file's documents carry its path, so one file's documents can be
//! deleted with a single term and replaced on their own.
//!
//! A paper's own values (DOI, title, year) are stored once, in its page
//! document's summary, not with each of its statements: a statement's reader
//! looks them up by path ([`PaperLookup`]). They are still indexed with every
//! statement, so that queries and filters on them find statements.

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use tantivy::collector::TopDocs;
use tantivy::query::{BooleanQuery, Occur, Query, TermQuery};
use tantivy::schema::{IndexRecordOption, Value};
use tantivy::{DocAddress, Searcher, TantivyDocument, Term};

use super::facet_code;
use crate::page::{CitedAuthor, Page};
use crate::schema::{Fields, KIND_PAGE, KIND_SKIPPED, KIND_STATEMENT};

/// The file a page came from, as the index records it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileRecord {
    /// Relative to the corpus root, with `/` separators.
    pub path: String,
    pub size: u64,
    pub mtime_ns: u64,
    /// blake3 of the file's bytes, hex.
    pub fingerprint: String,
}

/// What a statement document stores, as its readers need it. Serialised, it
/// carries the schema's own field names (an export writes it as it is).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct StoredStatement {
    pub doi: Option<String>,
    pub title: Option<String>,
    pub year: Option<u64>,
    /// The file, relative to the corpus folder, as stored.
    pub path: String,
    pub position: Option<u64>,
    #[serde(rename = "statement")]
    pub text: String,
    pub section: Option<String>,
    pub section_bucket: Option<String>,
    #[serde(rename = "type")]
    pub citation_type: Option<String>,
    pub confidence: Option<u64>,
    /// The cited names, as the `author` field indexes them.
    #[serde(rename = "author")]
    pub authors: Vec<String>,
    /// The citations with their years, from the stored JSON.
    pub cited: Vec<CitedAuthor>,
}

impl StoredStatement {
    /// The schema fields a statement carries out of the index (the keys it
    /// serialises to), so that an export's mapping names exactly them.
    pub fn field_names() -> Vec<String> {
        match serde_json::to_value(StoredStatement::default()) {
            Ok(serde_json::Value::Object(map)) => map.keys().cloned().collect(),
            _ => Vec::new(),
        }
    }

    /// The stored values of `doc` with its paper's values looked up, or
    /// `None` when it is not a statement document (a page or skipped-file
    /// record).
    pub fn read(
        doc: &TantivyDocument,
        f: &Fields,
        papers: &mut PaperLookup,
    ) -> tantivy::Result<Option<StoredStatement>> {
        let Some(mut stored) = Self::read_own(doc, f) else {
            return Ok(None);
        };
        let paper = papers.of(&stored.path)?;
        stored.doi = paper.doi;
        stored.title = paper.title;
        stored.year = paper.year;
        Ok(Some(stored))
    }

    /// The values the statement document itself stores (no paper values).
    fn read_own(doc: &TantivyDocument, f: &Fields) -> Option<StoredStatement> {
        let text = |field| {
            doc.get_first(field)
                .and_then(|v| v.as_str())
                .map(str::to_string)
        };
        if text(f.kind).as_deref() != Some(KIND_STATEMENT) {
            return None;
        }
        let number = |field| doc.get_first(field).and_then(|v| v.as_u64());
        let cited: Vec<CitedAuthor> = text(f.cited)
            .and_then(|json| serde_json::from_str(&json).ok())
            .unwrap_or_default();
        Some(StoredStatement {
            doi: None,
            title: None,
            year: None,
            path: text(f.path).unwrap_or_default(),
            position: number(f.position),
            text: text(f.statement).unwrap_or_default(),
            section: text(f.section),
            section_bucket: text(f.section_bucket),
            citation_type: text(f.citation_type),
            confidence: number(f.confidence),
            // The `author` field indexes exactly the cited names, one per
            // citation; they are stored once, in `cited`.
            authors: cited.iter().map(|c| c.author.clone()).collect(),
            cited,
        })
    }
}

/// What a page document's summary says about its paper.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
pub struct PaperValues {
    pub doi: Option<String>,
    pub title: Option<String>,
    pub year: Option<u64>,
}

/// Looks up the paper values of statements by their file, remembering the
/// last file: readers go through statements in index order, where a file's
/// statements follow one another.
pub struct PaperLookup<'s> {
    searcher: &'s Searcher,
    f: &'s Fields,
    last: Option<(String, PaperValues)>,
}

impl<'s> PaperLookup<'s> {
    pub fn new(searcher: &'s Searcher, f: &'s Fields) -> Self {
        PaperLookup {
            searcher,
            f,
            last: None,
        }
    }

    /// The paper values of the file at `path`; empty when it has no page
    /// document (which an index never holds for a file with statements).
    pub fn of(&mut self, path: &str) -> tantivy::Result<PaperValues> {
        if let Some((last, values)) = &self.last {
            if last == path {
                return Ok(values.clone());
            }
        }
        let values: PaperValues = page_summary(self.searcher, self.f, path)?.unwrap_or_default();
        self.last = Some((path.to_string(), values.clone()));
        Ok(values)
    }
}

/// The stored summary of the page document of `path`, read as `T`, if the
/// index has one.
pub fn page_summary<T: DeserializeOwned + Default>(
    searcher: &Searcher,
    f: &Fields,
    path: &str,
) -> tantivy::Result<Option<T>> {
    let query = record_query(f, path, KIND_PAGE);
    let top = searcher.search(query.as_ref(), &TopDocs::with_limit(1).order_by_score())?;
    match top.first() {
        Some((_, addr)) => Ok(Some(read_summary(searcher, f, *addr)?)),
        None => Ok(None),
    }
}

/// The stored summary of the page document at `addr`, read as `T`.
pub fn read_summary<T: DeserializeOwned + Default>(
    searcher: &Searcher,
    f: &Fields,
    addr: DocAddress,
) -> tantivy::Result<T> {
    let doc: TantivyDocument = searcher.doc(addr)?;
    Ok(doc
        .get_first(f.page)
        .and_then(|v| v.as_str())
        .and_then(|json| serde_json::from_str(json).ok())
        .unwrap_or_default())
}

/// The documents for one parsed file.
pub fn page_documents(page: &Page, file: &FileRecord, f: &Fields) -> Vec<TantivyDocument> {
    let mut docs = Vec::with_capacity(page.statements.len() + 1);
    // The page document indexes no text a query looks in (the paper's
    // title and year go into its stored JSON), so that a plain query never
    // matches it and needs no `kind` filter, which would cost tantivy its
    // block-max WAND. Its DOI is indexed, a single term no plain query
    // reaches, so that a paper is found by DOI even without statements.
    let mut doc = TantivyDocument::new();
    doc.add_text(f.kind, KIND_PAGE);
    doc.add_text(f.path, &file.path);
    if let Some(doi) = &page.doi {
        doc.add_text(f.doi, doi);
    }
    doc.add_u64(f.facet_code, facet_code::NONE);
    doc.add_text(f.fingerprint, &file.fingerprint);
    doc.add_u64(f.size, file.size);
    doc.add_u64(f.mtime, file.mtime_ns);
    if let Some(a) = &page.abstract_text {
        doc.add_text(f.abstract_text, a);
    }
    let summary = serde_json::json!({
        "doi": page.doi,
        "title": page.title,
        "year": page.year,
        "cited_by": page.cited_by,
        "citation_statements": page.citation_statements,
        "references": page.references,
        "tally": page.tally,
        "statements": page.statements.len(),
        "warnings": page.warnings,
    });
    doc.add_text(f.page, summary.to_string());
    docs.push(doc);

    for s in &page.statements {
        let mut doc = TantivyDocument::new();
        doc.add_text(f.kind, KIND_STATEMENT);
        add_paper(&mut doc, page, file, f);
        doc.add_text(f.statement, &s.text);
        doc.add_u64(f.position, u64::from(s.position));
        if let Some(section) = &s.section {
            doc.add_text(f.section, section);
        }
        if let Some(bucket) = s.section_bucket {
            doc.add_text(f.section_bucket, bucket.as_str());
        }
        if let Some(citation_type) = s.citation_type {
            doc.add_text(f.citation_type, citation_type.as_str());
        }
        if let Some(c) = s.confidence {
            doc.add_u64(f.confidence, u64::from(c));
        }
        let code = facet_code::pack(s.section_bucket, s.citation_type, page.year);
        doc.add_u64(f.facet_code, code);
        for cited in &s.cited {
            doc.add_text(f.author, &cited.author);
        }
        let mut names: Vec<&str> = s.cited.iter().map(|c| c.author.as_str()).collect();
        names.sort_unstable();
        names.dedup();
        for name in names {
            doc.add_text(f.cited_author, name);
        }
        let cited = serde_json::to_string(&s.cited).unwrap_or_else(|_| "[]".to_string());
        doc.add_text(f.cited, cited);
        doc.add_u64(f.dedup, dedup_key(page.doi.as_deref(), &s.text, &file.path));
        docs.push(doc);
    }
    docs
}

/// The record of a file that was looked at and is no report page, so that it
/// is not read again until it changes.
pub(super) fn skipped_document(file: &FileRecord, reason: &str, f: &Fields) -> TantivyDocument {
    let mut doc = TantivyDocument::new();
    doc.add_text(f.kind, KIND_SKIPPED);
    doc.add_text(f.path, &file.path);
    doc.add_u64(f.facet_code, facet_code::NONE);
    doc.add_text(f.fingerprint, &file.fingerprint);
    doc.add_u64(f.size, file.size);
    doc.add_u64(f.mtime, file.mtime_ns);
    doc.add_text(f.page, reason);
    doc
}

/// A copy of a file's record document with a new size and modification time:
/// for a file that was touched but not changed.
pub(super) fn with_new_times(
    old: &TantivyDocument,
    size: u64,
    mtime_ns: u64,
    f: &Fields,
) -> TantivyDocument {
    let mut doc = TantivyDocument::new();
    for (field, value) in old.field_values() {
        if field == f.size || field == f.mtime || field == f.facet_code {
            continue;
        }
        if let Some(text) = value.as_str() {
            doc.add_text(field, text);
        } else if let Some(n) = value.as_u64() {
            doc.add_u64(field, n);
        }
    }
    doc.add_u64(f.size, size);
    doc.add_u64(f.mtime, mtime_ns);
    // Every document has one (`facet_code`); not stored, so not in `old`,
    // and skipped above should that change.
    doc.add_u64(f.facet_code, facet_code::NONE);
    doc
}

fn add_paper(doc: &mut TantivyDocument, page: &Page, file: &FileRecord, f: &Fields) {
    doc.add_text(f.path, &file.path);
    if let Some(doi) = &page.doi {
        doc.add_text(f.doi, doi);
    }
    if let Some(title) = &page.title {
        doc.add_text(f.title, title);
    }
    if let Some(year) = page.year {
        doc.add_u64(f.year, u64::from(year));
    }
}

/// The identity of a statement across files: its paper's DOI and its text with
/// case, punctuation and spacing ignored. A page without a DOI has nothing to be
/// the same paper as, so its statements are keyed by file instead.
pub fn dedup_key(doi: Option<&str>, text: &str, path: &str) -> u64 {
    // One buffer and one hash call: hashing character by character cost more
    // than the rest of building a statement's document.
    let mut normalized = String::with_capacity(text.len() + 64);
    match doi {
        Some(doi) => {
            normalized.push_str("doi\0");
            normalized.push_str(doi);
        }
        None => {
            normalized.push_str("file\0");
            normalized.push_str(path);
        }
    }
    normalized.push('\0');
    for c in text.chars().filter(|c| c.is_alphanumeric()) {
        if c.is_ascii() {
            normalized.push(c.to_ascii_lowercase());
        } else {
            normalized.extend(c.to_lowercase());
        }
    }
    let hash = blake3::hash(normalized.as_bytes());
    let mut first = [0u8; 8];
    first.copy_from_slice(&hash.as_bytes()[..8]);
    u64::from_le_bytes(first)
}

/// The documents of one kind (`statement`, `page`, `skipped`).
pub fn kind_query(f: &Fields, kind: &str) -> TermQuery {
    TermQuery::new(
        Term::from_field_text(f.kind, kind),
        IndexRecordOption::Basic,
    )
}

/// The record document (not the statements) of one file.
pub fn record_query(f: &Fields, path: &str, kind: &str) -> Box<dyn Query> {
    let path_q: Box<dyn Query> = Box::new(TermQuery::new(
        Term::from_field_text(f.path, path),
        IndexRecordOption::Basic,
    ));
    Box::new(BooleanQuery::new(vec![
        (Occur::Must, path_q),
        (Occur::Must, Box::new(kind_query(f, kind))),
    ]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exported_names_are_schema_fields_stored_here_or_with_the_page() {
        let schema = crate::schema::IndexSchema::builtin().unwrap();
        let names = StoredStatement::field_names();
        assert_eq!(names.len(), 12, "{names:?}");
        let mut elsewhere = Vec::new();
        for name in &names {
            let def = schema.definitions.iter().find(|d| &d.name == name);
            assert!(def.is_some(), "{name} is no schema field");
            if !def.unwrap().stored {
                elsewhere.push(name.as_str());
            }
        }
        // Paper values come from the page summary, names from `cited`.
        elsewhere.sort_unstable();
        assert_eq!(elsewhere, ["author", "doi", "title", "year"]);
    }

    #[test]
    fn dedup_key_ignores_case_spacing_and_punctuation_only() {
        let a = dedup_key(Some("10.1/x"), "Sleep  helps, (Okafor, 2021).", "a.txt");
        let b = dedup_key(Some("10.1/x"), "sleep helps (okafor 2021)", "b.txt");
        assert_eq!(a, b);
        assert_ne!(
            a,
            dedup_key(Some("10.1/y"), "sleep helps (okafor 2021)", "a.txt")
        );
        assert_ne!(
            a,
            dedup_key(Some("10.1/x"), "sleep hurts (okafor 2021)", "a.txt")
        );
        assert_ne!(
            dedup_key(None, "same", "a.txt"),
            dedup_key(None, "same", "b.txt")
        );
    }
}
