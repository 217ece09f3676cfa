//! Running a query: tantivy's query syntax over the default fields, the
//! command-line filters, BM25 ranking (or a sort field), one hit per distinct
//! statement, and the matched words located for highlighting. Nothing here
//! prints.

mod distinct;
mod engine;
mod explain;
mod facets;
mod filters;
mod highlight;
mod papers;

/// The tests' pseudo-random numbers: a xorshift generator from `seed`,
/// called with `n` for a number below `n`, the same sequence every run.
#[cfg(test)]
fn below(seed: u64) -> impl FnMut(u64) -> u64 {
    let mut state = seed;
    move |n| {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state % n
    }
}

use std::ops::Range;
use std::path::Path;

use serde::Serialize;
use tantivy::query::{AllQuery, BooleanQuery, Occur, Query, QueryParser, TermQuery};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::{Searcher, TantivyDocument, Term};

pub(crate) use distinct::CopySet;
pub use engine::Order;
pub use explain::{Bm25, ScoreNode, ScorePart};
pub use facets::{Facets, UNKNOWN};
pub use filters::{normalize_doi, Filter, FilterError, FilterText, Filters, YearRange};
pub use papers::{
    papers, papers_named, titled, Named, Paper, PaperOrder, Papers, Titled, TypeCounts,
};

use crate::index::{kind_query, OpenIndex, PaperLookup, StoredStatement};
use crate::page::{CitationType, CitedAuthor};
use crate::schema::KIND_STATEMENT;
use distinct::Wanted;
use engine::Matcher;
use filters::Use;
use highlight::Highlighter;

/// A query as the user gave it.
#[derive(Debug, Clone, Default)]
pub struct Request {
    /// tantivy query syntax; empty means "everything the filters allow".
    pub query: String,
    pub filters: Filters,
    pub order: Order,
    /// Attach tantivy's explanation of each hit's score.
    pub explain: bool,
    pub limit: usize,
    pub offset: usize,
}

/// One ranked statement.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Hit {
    pub rank: usize,
    pub score: f32,
    pub doi: Option<String>,
    pub title: Option<String>,
    pub year: Option<u64>,
    /// The file: the corpus folder joined with the stored path. Front ends
    /// show it relative to their working directory ([`crate::render::shown_paths`]).
    pub path: String,
    pub position: Option<u64>,
    pub text: String,
    pub section: Option<String>,
    pub section_bucket: Option<String>,
    #[serde(rename = "type")]
    pub citation_type: Option<String>,
    pub confidence: Option<u64>,
    pub cited: Vec<CitedAuthor>,
    /// The best passage of the statement, HTML-escaped, matches in `<b>…</b>`.
    pub snippet: String,
    /// With `--explain`: tantivy's explanation of the score, a tree of
    /// `{"value", "description", "details": [...]}`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub explanation: Option<serde_json::Value>,
    /// With `--explain`: the same, read into BM25 factors, boosts and sums.
    #[serde(skip)]
    pub breakdown: Option<ScoreNode>,
    /// Byte ranges of matched words in `text`, for highlighting.
    #[serde(skip)]
    pub highlights: Vec<Range<usize>>,
}

#[derive(Debug, thiserror::Error)]
pub enum SearchError {
    #[error("cannot read the query `{query}`: {reason} (the syntax: citeindex query --help)")]
    BadQuery { query: String, reason: String },
    /// The front end words it, naming the filter ([`FilterError::filter`]).
    #[error("the {name} filter: {0}", name = .0.filter().name())]
    BadFilter(FilterError),
    #[error("searching failed: {0}")]
    Tantivy(#[from] tantivy::TantivyError),
}

/// Runs a request on an open index.
pub fn search(open: &OpenIndex, request: &Request) -> Result<Vec<Hit>, SearchError> {
    let searcher = open.reader.searcher();
    let prepared = prepare(open, &searcher, request)?;
    ranked(open, &searcher, &prepared, request)
}

/// The most confident statements of one paper of a given type (its
/// contrasting ones, say), at most `limit`, each distinct statement once,
/// as [`search`] gives hits.
pub fn statements_of(
    open: &OpenIndex,
    paper: &Named,
    citation_type: CitationType,
    limit: usize,
) -> Result<Vec<Hit>, SearchError> {
    let searcher = open.reader.searcher();
    let f = &open.schema.fields;
    let of_type = Term::from_field_text(f.citation_type, citation_type.as_str());
    let filter = BooleanQuery::new(vec![
        (Occur::Must, paper.query(f)),
        (Occur::Must, Box::new(kind_query(f, KIND_STATEMENT))),
        (
            Occur::Must,
            Box::new(TermQuery::new(of_type, IndexRecordOption::Basic)),
        ),
    ]);
    let prepared = Prepared {
        query: Box::new(AllQuery),
        filter: Some(Box::new(filter)),
    };
    let request = Request {
        query: "*".to_string(),
        order: Order::Confidence,
        limit,
        ..Request::default()
    };
    ranked(open, &searcher, &prepared, &request)
}

/// The hits of prepared queries, ranked, deduplicated and read, for the
/// window, order and explanations `request` asks for.
fn ranked(
    open: &OpenIndex,
    searcher: &Searcher,
    prepared: &Prepared,
    request: &Request,
) -> Result<Vec<Hit>, SearchError> {
    let Prepared { query, filter } = prepared;
    // No window larger than the index: a limit of a billion allocates nothing.
    let wanted = request
        .offset
        .saturating_add(request.limit)
        .min(usize::try_from(searcher.num_docs()).unwrap_or(usize::MAX));
    if wanted <= request.offset || request.limit == 0 {
        return Ok(Vec::new());
    }
    let f = &open.schema.fields;
    let sort_by = request.order.sort_field(f);
    let matcher = Matcher::new(searcher, query.as_ref(), filter.as_deref(), sort_by)
        .map_err(|e| as_query_error(e, request))?;
    let unique = distinct::top_unique(&matcher, f, &open.provenance.distinct_segments, wanted)
        .map_err(|e| as_query_error(e, request))?;
    let highlighter = Highlighter::new(open, query.as_ref(), &request.filters)?;
    let root = open.provenance.corpus_root.clone();
    let mut papers = PaperLookup::new(searcher, f);
    unique
        .into_iter()
        .skip(request.offset)
        .enumerate()
        .map(|(i, (key, addr))| {
            let doc: TantivyDocument = searcher.doc(addr)?;
            let mut hit = to_hit(
                open,
                &doc,
                &mut papers,
                request.offset + i + 1,
                key.score,
                &highlighter,
                root.as_deref(),
            )?;
            if request.explain {
                let tree = explain::named_tree(&matcher.explain(addr)?, &open.schema.schema);
                hit.breakdown = tree.as_ref().map(explain::breakdown);
                hit.explanation = tree;
            }
            Ok(hit)
        })
        .collect()
}

/// Counts the request's matching statements by section bucket, type and year
/// (the limit, offset and order do not matter).
pub fn facets(open: &OpenIndex, request: &Request) -> Result<Facets, SearchError> {
    count(open, request, Wanted::Documents)
}

/// The number of distinct statements matching the request, without the
/// facets' columns: cheaper when only the total is shown.
pub fn total(open: &OpenIndex, request: &Request) -> Result<u64, SearchError> {
    Ok(count(open, request, Wanted::Number)?.total)
}

/// Visits every match of the request, unscored (the order does not change
/// counts), for the facets or the total alone.
fn count(open: &OpenIndex, request: &Request, wanted: Wanted) -> Result<Facets, SearchError> {
    let searcher = open.reader.searcher();
    let (text, filters) = (&request.query, &request.filters);
    let query = parse_user_query(open, text, filters)?;
    // Plain words are counted as bits, narrowed by the filters' bits, which
    // are read whole; any other query is intersected with the filters, which
    // are then tested as its matches come.
    let groups = engine::plain_groups(text, query.as_ref());
    let used = if groups.is_some() {
        Use::Whole
    } else {
        Use::Test
    };
    let filter = filters::filter_query(open, &searcher, text, filters, used)?;
    let matcher = Matcher::counting(
        &searcher,
        groups,
        query.as_ref(),
        filter.as_deref(),
        &open.bits,
    )
    .map_err(|e| as_query_error(e, request))?;
    facets::count(
        &matcher,
        &open.schema.fields,
        &open.provenance.distinct_segments,
        wanted,
    )
    .map_err(|e| as_query_error(e, request))
}

/// A request as tantivy queries: the user's (which scores) and the filters'.
struct Prepared {
    query: Box<dyn Query>,
    filter: Option<Box<dyn Query>>,
}

/// The request as queries for `searcher`, the one they will run on (the
/// year filter's form depends on its segments), for the hits.
fn prepare(
    open: &OpenIndex,
    searcher: &Searcher,
    request: &Request,
) -> Result<Prepared, SearchError> {
    let filters = &request.filters;
    Ok(Prepared {
        query: parse_user_query(open, &request.query, filters)?,
        filter: filters::filter_query(open, searcher, &request.query, filters, Use::Test)?,
    })
}

/// tantivy checks some of a query's demands only when it runs, such as
/// `field:*`, which needs a fast field: the query is at fault, not the index.
fn as_query_error(e: SearchError, request: &Request) -> SearchError {
    match e {
        SearchError::Tantivy(tantivy::TantivyError::SchemaError(reason)) => SearchError::BadQuery {
            query: request.query.clone(),
            reason,
        },
        other => other,
    }
}

fn parse_user_query(
    open: &OpenIndex,
    text: &str,
    filters: &Filters,
) -> Result<Box<dyn Query>, SearchError> {
    let trimmed = text.trim();
    if trimmed.is_empty() || trimmed == "*" {
        if trimmed.is_empty() && filters.is_empty() {
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

/// A stored path joined to the corpus folder the index was built from.
fn full_path(root: Option<&Path>, stored: &str) -> String {
    root.map_or_else(
        || stored.to_string(),
        |root| root.join(stored).display().to_string(),
    )
}

/// One ranked statement: its stored fields, its file's full path, and its
/// text highlighted for the query.
fn to_hit(
    open: &OpenIndex,
    doc: &TantivyDocument,
    papers: &mut PaperLookup,
    rank: usize,
    score: f32,
    highlighter: &Highlighter,
    root: Option<&Path>,
) -> Result<Hit, SearchError> {
    let stored = StoredStatement::read(doc, &open.schema.fields, papers)?.unwrap_or_default();
    Ok(Hit {
        rank,
        score,
        path: full_path(root, &stored.path),
        doi: stored.doi,
        title: stored.title,
        year: stored.year,
        position: stored.position,
        section: stored.section,
        section_bucket: stored.section_bucket,
        citation_type: stored.citation_type,
        confidence: stored.confidence,
        cited: stored.cited,
        snippet: highlighter.snippet_html(&stored.text),
        highlights: highlighter.highlights(&stored.text),
        explanation: None,
        breakdown: None,
        text: stored.text,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nesting_is_measured_outside_phrases() {
        assert_eq!(nesting_depth("a (b (c) d) e"), 2);
        assert_eq!(nesting_depth("\"((((\" x"), 0);
        assert_eq!(nesting_depth(&"(".repeat(1000)), 1000);
    }
}
