//! Running a query: tantivy's query syntax over the default fields, the
//! command-line filters, BM25 ranking, one hit per distinct statement, and the
//! matched words located for highlighting.
//!
//! Filters never change scores: they are wrapped to score zero, so a filter
//! narrows the results without reordering them. Nothing here prints.

use std::collections::{BTreeMap, HashMap};
use std::ops::{Bound, Range};
use std::path::{Path, PathBuf};
use std::str::FromStr;

use serde::Serialize;
use tantivy::collector::TopDocs;
use tantivy::query::{
    AllQuery, BooleanQuery, ConstScoreQuery, Occur, PhraseQuery, Query, QueryParser, RangeQuery,
    TermQuery,
};
use tantivy::schema::{Field, IndexRecordOption, Value};
use tantivy::snippet::SnippetGenerator;
use tantivy::{DocAddress, Searcher, TantivyDocument, Term};

use crate::index::OpenIndex;
use crate::page::{CitationType, CitedAuthor, SectionBucket};
use crate::schema::KIND_STATEMENT;

/// A query as the user gave it.
#[derive(Debug, Clone, Default)]
pub struct Request {
    /// tantivy query syntax; empty means "everything the filters allow".
    pub query: String,
    pub filters: Filters,
    pub limit: usize,
    pub offset: usize,
}

#[derive(Debug, Clone, Default)]
pub struct Filters {
    /// A section bucket name or words of the heading.
    pub section: Option<String>,
    pub kind: Option<CitationType>,
    /// A cited author's name; diacritics and case do not matter.
    pub author: Option<String>,
    pub year: Option<YearRange>,
    pub doi: Option<String>,
}

/// `2019..2021`, `2019..`, `..2021` or `2020`, both ends included.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct YearRange {
    pub from: Option<u16>,
    pub to: Option<u16>,
}

impl FromStr for YearRange {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, String> {
        let bad = || format!("`{s}` is not a year range: write 2020, 2019..2021, 2019.. or ..2021");
        let year = |t: &str| -> Result<Option<u16>, String> {
            let t = t.trim();
            if t.is_empty() {
                return Ok(None);
            }
            t.parse::<u16>().map(Some).map_err(|_| bad())
        };
        let range = match s.split_once("..") {
            Some((a, b)) => YearRange {
                from: year(a)?,
                to: year(b)?,
            },
            None => {
                let y = year(s)?.ok_or_else(bad)?;
                YearRange {
                    from: Some(y),
                    to: Some(y),
                }
            }
        };
        match range {
            YearRange {
                from: None,
                to: None,
            } => Err(bad()),
            YearRange {
                from: Some(a),
                to: Some(b),
            } if a > b => Err(format!("year range `{s}` ends before it starts")),
            r => Ok(r),
        }
    }
}

/// One ranked statement.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Hit {
    pub rank: usize,
    pub score: f32,
    pub doi: Option<String>,
    pub title: Option<String>,
    pub year: Option<u64>,
    /// The file, relative to the working directory when it lies below it.
    pub path: String,
    pub position: Option<u64>,
    pub text: String,
    pub section: Option<String>,
    pub section_bucket: Option<String>,
    #[serde(rename = "type")]
    pub kind: Option<String>,
    pub confidence: Option<u64>,
    pub cited: Vec<CitedAuthor>,
    /// The best passage of the statement, HTML-escaped, matches in `<b>…</b>`.
    pub snippet: String,
    /// Byte ranges of matched words in `text`, for highlighting.
    #[serde(skip)]
    pub highlights: Vec<Range<usize>>,
}

#[derive(Debug, thiserror::Error)]
pub enum SearchError {
    #[error("cannot read the query `{query}`: {reason} (the syntax: citeindex query --help)")]
    BadQuery { query: String, reason: String },
    #[error("{0}")]
    BadFilter(String),
    #[error("searching failed: {0}")]
    Tantivy(#[from] tantivy::TantivyError),
}

/// Runs a request on an open index.
pub fn search(open: &OpenIndex, request: &Request) -> Result<Vec<Hit>, SearchError> {
    let searcher = open.reader.searcher();
    let user_query = parse_user_query(open, &request.query, &request.filters)?;
    let query = with_filters(
        open,
        user_query.box_clone(),
        &request.query,
        &request.filters,
    )?;

    // No window larger than the index: a limit of a billion allocates nothing.
    let wanted = request
        .offset
        .saturating_add(request.limit)
        .min(usize::try_from(searcher.num_docs()).unwrap_or(usize::MAX));
    if wanted <= request.offset || request.limit == 0 {
        return Ok(Vec::new());
    }
    let unique = top_unique(&searcher, query.as_ref(), wanted).map_err(|e| match e {
        // tantivy checks some of a query's demands only when it runs, such as
        // `field:*`, which needs a fast field: the query is at fault, not the index.
        SearchError::Tantivy(tantivy::TantivyError::SchemaError(reason)) => SearchError::BadQuery {
            query: request.query.clone(),
            reason,
        },
        other => other,
    })?;
    let highlighter = Highlighter::new(open, user_query.as_ref(), &request.filters)?;
    let root = open.record.corpus_root.clone();
    let cwd = std::env::current_dir().ok();
    unique
        .into_iter()
        .skip(request.offset)
        .enumerate()
        .map(|(i, (score, addr))| {
            let doc: TantivyDocument = searcher.doc(addr)?;
            Ok(to_hit(
                open,
                &doc,
                request.offset + i + 1,
                score,
                &highlighter,
                root.as_deref(),
                cwd.as_deref(),
            ))
        })
        .collect()
}

fn parse_user_query(
    open: &OpenIndex,
    text: &str,
    filters: &Filters,
) -> Result<Box<dyn Query>, SearchError> {
    let trimmed = text.trim();
    if trimmed.is_empty() || trimmed == "*" {
        let any_filter = filters.section.is_some()
            || filters.kind.is_some()
            || filters.author.is_some()
            || filters.year.is_some()
            || filters.doi.is_some();
        if trimmed.is_empty() && !any_filter {
            return Err(SearchError::BadQuery {
                query: text.to_string(),
                reason: "the query is empty; give words to search for, or `*` for every statement"
                    .to_string(),
            });
        }
        return Ok(Box::new(AllQuery));
    }
    if nesting_depth(trimmed) > MAX_NESTING {
        return Err(SearchError::BadQuery {
            query: text.to_string(),
            reason: format!("parentheses are nested more than {MAX_NESTING} deep"),
        });
    }
    let fields: Vec<Field> = open.schema.default_fields.iter().map(|(f, _)| *f).collect();
    let mut parser = QueryParser::for_index(&open.index, fields);
    for (field, boost) in &open.schema.default_fields {
        parser.set_field_boost(*field, *boost);
    }
    parser
        .parse_query(trimmed)
        .map_err(|e| SearchError::BadQuery {
            query: text.to_string(),
            reason: e.to_string(),
        })
}

/// Deeper nesting than any person writes; the query grammar recurses once per
/// level, so a machine-made query must not reach the end of the stack.
const MAX_NESTING: usize = 64;

/// The deepest parenthesis nesting outside quoted phrases.
fn nesting_depth(query: &str) -> usize {
    let (mut depth, mut deepest, mut quoted) = (0usize, 0usize, false);
    for c in query.chars() {
        match c {
            '"' => quoted = !quoted,
            '(' | '[' | '{' if !quoted => {
                depth += 1;
                deepest = deepest.max(depth);
            }
            ')' | ']' | '}' if !quoted => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    deepest
}

/// The user's query restricted to statement documents and to the filters.
/// Filters score zero, so they narrow the hits without reordering them.
fn with_filters(
    open: &OpenIndex,
    user_query: Box<dyn Query>,
    query_text: &str,
    filters: &Filters,
) -> Result<Box<dyn Query>, SearchError> {
    let f = &open.schema.fields;
    let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
    if kind_filter_needed(query_text) {
        let statements = Term::from_field_text(f.kind, KIND_STATEMENT);
        clauses.push((Occur::Must, filter(term_query(statements))));
    }
    if let Some(section) = &filters.section {
        let mut either: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        if let Ok(bucket) = section.parse::<SectionBucket>() {
            either.push((
                Occur::Should,
                term_query(Term::from_field_text(f.section_bucket, bucket.as_str())),
            ));
        }
        if let Some(q) = words_query(open, f.section, section)? {
            either.push((Occur::Should, q));
        }
        if either.is_empty() {
            return Err(SearchError::BadFilter(format!(
                "--section `{section}` has no words to match"
            )));
        }
        clauses.push((Occur::Must, filter(Box::new(BooleanQuery::new(either)))));
    }
    if let Some(kind) = filters.kind {
        let term = Term::from_field_text(f.citation_type, kind.as_str());
        clauses.push((Occur::Must, filter(term_query(term))));
    }
    if let Some(author) = &filters.author {
        let q = words_query(open, f.author, author)?.ok_or_else(|| {
            SearchError::BadFilter(format!("--author `{author}` has no letters to match"))
        })?;
        clauses.push((Occur::Must, filter(q)));
    }
    if let Some(range) = filters.year {
        let bound = |y: Option<u16>| {
            y.map_or(Bound::Unbounded, |y| {
                Bound::Included(Term::from_field_u64(f.year, u64::from(y)))
            })
        };
        let q = RangeQuery::new(bound(range.from), bound(range.to));
        clauses.push((Occur::Must, filter(Box::new(q))));
    }
    if let Some(doi) = &filters.doi {
        let doi = normalize_doi(doi);
        clauses.push((
            Occur::Must,
            filter(term_query(Term::from_field_text(f.doi, &doi))),
        ));
    }
    if clauses.is_empty() {
        // The user's query alone: a union of term queries keeps tantivy's
        // block-max WAND top-k, which a conjunction with a filter would lose.
        return Ok(user_query);
    }
    clauses.insert(0, (Occur::Must, user_query));
    Ok(Box::new(BooleanQuery::new(clauses)))
}

/// Whether a query could match the index's `page` and `skipped` documents,
/// which carry no statement, title, section, author, DOI or year: only `*`
/// (everything) and queries naming their own fields, `path` and `kind`.
fn kind_filter_needed(query_text: &str) -> bool {
    let q = query_text.trim();
    q.is_empty() || q == "*" || q.contains("path:") || q.contains("kind:")
}

/// `https://doi.org/10.1/ABC` or `doi:10.1/ABC` → `10.1/abc`.
fn normalize_doi(doi: &str) -> String {
    let doi = doi.trim();
    let start = doi.find("10.").unwrap_or(0);
    doi[start..].to_lowercase()
}

fn filter(q: Box<dyn Query>) -> Box<dyn Query> {
    Box::new(ConstScoreQuery::new(q, 0.0))
}

fn term_query(term: Term) -> Box<dyn Query> {
    Box::new(TermQuery::new(term, IndexRecordOption::Basic))
}

/// The words of `text` as the field's tokenizer sees them: a term, a phrase, or
/// `None` when nothing is left.
fn words_query(
    open: &OpenIndex,
    field: Field,
    text: &str,
) -> Result<Option<Box<dyn Query>>, SearchError> {
    let mut analyzer = open.index.tokenizer_for_field(field)?;
    let mut terms = Vec::new();
    let mut stream = analyzer.token_stream(text);
    while let Some(token) = stream.next() {
        terms.push(Term::from_field_text(field, &token.text));
    }
    Ok(match terms.len() {
        0 => None,
        1 => Some(term_query(terms.remove(0))),
        _ => Some(Box::new(PhraseQuery::new(terms))),
    })
}

/// The best `wanted` hits with one document per distinct statement.
///
/// Copies of a statement (the same page saved twice) score the same, so
/// fetching a few more than wanted and keeping one of each key is exact; when
/// copies crowd the window, the window grows. Of equal copies, the one whose
/// path sorts first is shown, so the answer does not depend on the order in
/// which parallel indexing happened to write them.
fn top_unique(
    searcher: &Searcher,
    query: &dyn Query,
    wanted: usize,
) -> Result<Vec<(f32, DocAddress)>, SearchError> {
    let total = usize::try_from(searcher.num_docs())
        .unwrap_or(usize::MAX)
        .max(1);
    let mut fetch = wanted.saturating_mul(2).saturating_add(8).min(total);
    let mut columns: HashMap<u32, SegmentColumns> = HashMap::new();
    loop {
        let top = searcher.search(query, &TopDocs::with_limit(fetch).order_by_score())?;
        let exhausted = top.len() < fetch || fetch >= total;
        let mut kept: HashMap<u64, usize> = HashMap::new();
        let mut unique: Vec<(f32, DocAddress)> = Vec::with_capacity(wanted.min(fetch));
        for (score, addr) in top {
            if let std::collections::hash_map::Entry::Vacant(e) = columns.entry(addr.segment_ord) {
                e.insert(SegmentColumns::open(searcher, addr.segment_ord)?);
            }
            let Some(key) = columns[&addr.segment_ord].dedup.first(addr.doc_id) else {
                // A document without a key (never written by citeindex) is its own.
                unique.push((score, addr));
                continue;
            };
            match kept.get(&key) {
                None => {
                    kept.insert(key, unique.len());
                    unique.push((score, addr));
                }
                Some(&at) if unique[at].0 == score => {
                    let path = |a: DocAddress| columns[&a.segment_ord].path(a.doc_id);
                    if path(addr) < path(unique[at].1) {
                        unique[at].1 = addr;
                    }
                }
                Some(_) => {}
            }
        }
        if unique.len() >= wanted || exhausted {
            unique.truncate(wanted);
            return Ok(unique);
        }
        fetch = fetch.saturating_mul(4).min(total);
    }
}

/// The columns `top_unique` reads, for one segment.
struct SegmentColumns {
    dedup: tantivy::columnar::Column<u64>,
    path: Option<tantivy::columnar::StrColumn>,
}

impl SegmentColumns {
    fn open(searcher: &Searcher, segment: u32) -> Result<SegmentColumns, SearchError> {
        let fast = searcher.segment_reader(segment).fast_fields();
        Ok(SegmentColumns {
            dedup: fast.u64("dedup")?,
            path: fast.str("path")?,
        })
    }

    fn path(&self, doc: u32) -> String {
        let mut out = String::new();
        if let Some(column) = &self.path {
            if let Some(ord) = column.term_ords(doc).next() {
                let _ = column.ord_to_str(ord, &mut out);
            }
        }
        out
    }
}

/// Finds the words to highlight in a statement: the query's terms on the
/// statement field, and cited-author terms, which appear in the text too.
struct Highlighter {
    full: SnippetGenerator,
    short: SnippetGenerator,
}

impl Highlighter {
    fn new(
        open: &OpenIndex,
        user_query: &dyn Query,
        filters: &Filters,
    ) -> Result<Highlighter, SearchError> {
        let f = &open.schema.fields;
        let mut statement_analyzer = open.index.tokenizer_for_field(f.statement)?;
        let mut terms: BTreeMap<String, f32> = BTreeMap::new();
        let mut author_words = Vec::new();
        user_query.query_terms(&mut |term, _| {
            let value = term.value();
            let Some(text) = value.as_str() else {
                return;
            };
            if term.field() == f.statement {
                terms.insert(text.to_string(), 1.0);
            } else if term.field() == f.author || term.field() == f.title {
                author_words.push(text.to_string());
            }
        });
        if let Some(author) = &filters.author {
            author_words.push(author.clone());
        }
        for word in author_words {
            let mut stream = statement_analyzer.token_stream(&word);
            while let Some(token) = stream.next() {
                terms.entry(token.text.clone()).or_insert(1.0);
            }
        }
        let full = SnippetGenerator::new(
            terms.clone(),
            statement_analyzer.clone(),
            f.statement,
            usize::MAX / 2,
        );
        let short = SnippetGenerator::new(terms, statement_analyzer, f.statement, 200);
        Ok(Highlighter { full, short })
    }

    fn highlights(&self, text: &str) -> Vec<Range<usize>> {
        let snippet = self.full.snippet(text);
        let start = snippet.fragment_range().start;
        snippet
            .highlighted()
            .iter()
            .map(|r| r.start + start..r.end + start)
            .collect()
    }

    fn snippet_html(&self, text: &str) -> String {
        let snippet = self.short.snippet(text);
        if snippet.is_empty() {
            // No statement word matched (a filter-only or author query): the opening words.
            let mut end = text.len().min(200);
            while !text.is_char_boundary(end) {
                end -= 1;
            }
            return escape_html(&text[..end]);
        }
        snippet.to_html()
    }
}

fn escape_html(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#x27;"),
            c => out.push(c),
        }
    }
    out
}

fn to_hit(
    open: &OpenIndex,
    doc: &TantivyDocument,
    rank: usize,
    score: f32,
    highlighter: &Highlighter,
    root: Option<&Path>,
    cwd: Option<&Path>,
) -> Hit {
    let f = &open.schema.fields;
    let text_of = |field: Field| {
        doc.get_first(field)
            .and_then(|v| v.as_str())
            .map(str::to_string)
    };
    let u64_of = |field: Field| doc.get_first(field).and_then(|v| v.as_u64());
    let text = text_of(f.statement).unwrap_or_default();
    let stored_path = text_of(f.path).unwrap_or_default();
    let cited = text_of(f.cited)
        .and_then(|json| serde_json::from_str::<Vec<CitedAuthor>>(&json).ok())
        .unwrap_or_default();
    Hit {
        rank,
        score,
        doi: text_of(f.doi),
        title: text_of(f.title),
        year: u64_of(f.year),
        path: display_path(root, &stored_path, cwd),
        position: u64_of(f.position),
        section: text_of(f.section),
        section_bucket: text_of(f.section_bucket),
        kind: text_of(f.citation_type),
        confidence: u64_of(f.confidence),
        cited,
        snippet: highlighter.snippet_html(&text),
        highlights: highlighter.highlights(&text),
        text,
    }
}

/// The stored path joined to the corpus root, shown relative to the working
/// directory when it lies below it.
fn display_path(root: Option<&Path>, stored: &str, cwd: Option<&Path>) -> String {
    let Some(root) = root else {
        return stored.to_string();
    };
    let full: PathBuf = root.join(stored);
    match cwd.and_then(|cwd| full.strip_prefix(cwd).ok()) {
        Some(rel) => rel.display().to_string(),
        None => full.display().to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn year_ranges() {
        let r = |s: &str| s.parse::<YearRange>();
        assert_eq!(
            r("2019..2021"),
            Ok(YearRange {
                from: Some(2019),
                to: Some(2021)
            })
        );
        assert_eq!(
            r("2019.."),
            Ok(YearRange {
                from: Some(2019),
                to: None
            })
        );
        assert_eq!(
            r("..2021"),
            Ok(YearRange {
                from: None,
                to: Some(2021)
            })
        );
        assert_eq!(
            r("2020"),
            Ok(YearRange {
                from: Some(2020),
                to: Some(2020)
            })
        );
        assert!(r("..").is_err());
        assert!(r("2021..2019").is_err());
        assert!(r("twenty").is_err());
        assert!(r("").is_err());
    }

    #[test]
    fn dois_are_normalized() {
        assert_eq!(normalize_doi("https://doi.org/10.5555/ABC"), "10.5555/abc");
        assert_eq!(normalize_doi(" doi:10.1/X "), "10.1/x");
    }

    #[test]
    fn nesting_is_measured_outside_phrases() {
        assert_eq!(nesting_depth("a (b (c) d) e"), 2);
        assert_eq!(nesting_depth("\"((((\" x"), 0);
        assert_eq!(nesting_depth(&"(".repeat(1000)), 1000);
    }

    #[test]
    fn html_is_escaped() {
        assert_eq!(
            escape_html("<script>a&b</script>"),
            "&lt;script&gt;a&amp;b&lt;/script&gt;"
        );
    }
}
