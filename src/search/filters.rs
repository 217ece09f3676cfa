//! The filters (section, type, author, year, DOI) as one tantivy query that
//! matches the statements they allow.
//!
//! Front ends hand the filters over by name ([`FilterText`]) and get typed
//! errors back ([`FilterError`], which names its [`Filter`]): each words them in
//! its own terms (`--year` on the command line, `year` in the HTTP API).
//!
//! The filter query never contributes to a score: `top` either tests each of
//! the user query's candidates against it or intersects it with the user query
//! at zero weight, so a filter narrows the hits without reordering them.

use std::ops::Bound;
use std::str::FromStr;

use tantivy::query::{
    BooleanQuery, InvertedIndexRangeQuery, Occur, PhraseQuery, Query, RangeQuery, TermQuery,
};
use tantivy::query_grammar::{UserInputAst, UserInputLeaf};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::{Searcher, Term};

use super::SearchError;
use crate::index::OpenIndex;
use crate::page::{CitationType, SectionBucket};
use crate::schema::KIND_STATEMENT;

#[derive(Debug, Clone, Default)]
pub struct Filters {
    /// A section bucket name or words of the heading.
    pub section: Option<String>,
    pub citation_type: Option<CitationType>,
    /// A cited author's name; diacritics and case do not matter.
    pub author: Option<String>,
    pub year: Option<YearRange>,
    pub doi: Option<String>,
}

/// The filters as their text forms arrive from a front end, by name.
#[derive(Debug, Clone, Copy, Default)]
pub struct FilterText<'a> {
    pub section: Option<&'a str>,
    /// The citation type (`supporting`, …).
    pub citation_type: Option<&'a str>,
    pub author: Option<&'a str>,
    /// A year or range: `2020`, `2019..2021`, `2019..`, `..2021`.
    pub year: Option<&'a str>,
    pub doi: Option<&'a str>,
}

/// One of the filters, to say which one an error is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Filter {
    Section,
    Type,
    Author,
    Year,
    Doi,
}

impl Filter {
    /// The filter's name as both front ends spell it (`--type`, `type=`).
    pub fn name(self) -> &'static str {
        match self {
            Filter::Section => "section",
            Filter::Type => "type",
            Filter::Author => "author",
            Filter::Year => "year",
            Filter::Doi => "doi",
        }
    }
}

/// What is wrong with a filter's value. The message names the value, not the
/// filter: the front end says which filter, in its own terms.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FilterError {
    #[error(
        "`{0}` is not a citation type: use supporting, mentioning, contrasting or unclassified"
    )]
    NotAType(String),
    #[error("`{0}` is not a year range: write 2020, 2019..2021, 2019.. or ..2021")]
    NotAYearRange(String),
    #[error("`{0}` ends before it starts")]
    BackwardYears(String),
    #[error("`{0}` has no words to match")]
    SectionWithoutWords(String),
    #[error("`{0}` has no letters to match")]
    AuthorWithoutLetters(String),
}

impl FilterError {
    /// The filter the value was given for.
    pub fn filter(&self) -> Filter {
        match self {
            FilterError::NotAType(_) => Filter::Type,
            FilterError::NotAYearRange(_) | FilterError::BackwardYears(_) => Filter::Year,
            FilterError::SectionWithoutWords(_) => Filter::Section,
            FilterError::AuthorWithoutLetters(_) => Filter::Author,
        }
    }
}

impl Filters {
    /// Filters from their text forms, as the command line and the HTTP API
    /// take them; a bad type or year range is an error saying what is wrong.
    pub fn from_text(text: FilterText<'_>) -> Result<Filters, FilterError> {
        let citation_type = match text.citation_type {
            None => None,
            Some(word) => Some(
                CitationType::from_word(word)
                    .ok_or_else(|| FilterError::NotAType(word.to_string()))?,
            ),
        };
        Ok(Filters {
            section: text.section.map(str::to_string),
            citation_type,
            author: text.author.map(str::to_string),
            year: text.year.map(str::parse::<YearRange>).transpose()?,
            doi: text.doi.map(str::to_string),
        })
    }

    pub fn is_empty(&self) -> bool {
        self.section.is_none()
            && self.citation_type.is_none()
            && self.author.is_none()
            && self.year.is_none()
            && self.doi.is_none()
    }
}

/// `2019..2021`, `2019..`, `..2021` or `2020`, both ends included.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct YearRange {
    pub from: Option<u16>,
    pub to: Option<u16>,
}

impl FromStr for YearRange {
    type Err = FilterError;

    fn from_str(s: &str) -> Result<Self, FilterError> {
        let bad = || FilterError::NotAYearRange(s.to_string());
        let year = |t: &str| -> Result<Option<u16>, FilterError> {
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
            } if a > b => Err(FilterError::BackwardYears(s.to_string())),
            r => Ok(r),
        }
    }
}

/// How a filter query will be run, which decides a year range's form.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Use {
    /// Tested against a query's candidates, or intersected with them.
    Test,
    /// Read whole, once a segment, into a set of documents (for counts).
    Whole,
}

/// The statements the filters allow, or `None` when there is nothing to
/// filter. `query_text` decides whether page records must be kept out.
pub(super) fn filter_query(
    open: &OpenIndex,
    searcher: &Searcher,
    query_text: &str,
    filters: &Filters,
    used: Use,
) -> Result<Option<Box<dyn Query>>, SearchError> {
    let f = &open.schema.fields;
    let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
    if kind_filter_needed(query_text) {
        let statements = Term::from_field_text(f.kind, KIND_STATEMENT);
        clauses.push((Occur::Must, term_query(statements)));
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
            return Err(SearchError::BadFilter(FilterError::SectionWithoutWords(
                section.clone(),
            )));
        }
        clauses.push((Occur::Must, Box::new(BooleanQuery::new(either))));
    }
    if let Some(citation_type) = filters.citation_type {
        let term = Term::from_field_text(f.citation_type, citation_type.as_str());
        clauses.push((Occur::Must, term_query(term)));
    }
    if let Some(author) = &filters.author {
        let q = words_query(open, f.author, author)?.ok_or_else(|| {
            SearchError::BadFilter(FilterError::AuthorWithoutLetters(author.clone()))
        })?;
        clauses.push((Occur::Must, q));
    }
    if let Some(range) = filters.year {
        let q = year_query(searcher, f.year, range, used)?;
        clauses.push((Occur::Must, q));
    }
    if let Some(doi) = &filters.doi {
        let doi = normalize_doi(doi);
        clauses.push((Occur::Must, term_query(Term::from_field_text(f.doi, &doi))));
    }
    Ok(match clauses.len() {
        0 => None,
        1 => clauses.pop().map(|(_, q)| q),
        _ => Some(Box::new(BooleanQuery::new(clauses))),
    })
}

/// Whether a query could match the index's `page` and `skipped` documents,
/// which carry no statement, title, section, author or year: only `*`
/// (everything) and queries naming the fields they share with statements,
/// `path`, `kind` and `doi`, in the query grammar's tree (a phrase that
/// holds the words `path:` does not).
fn kind_filter_needed(query_text: &str) -> bool {
    let q = query_text.trim();
    if q.is_empty() || q == "*" {
        return true;
    }
    // Lenient, as the query parser is: a query it cannot read at all is
    // refused elsewhere, with its reason.
    let (ast, _) = tantivy::query_grammar::parse_query_lenient(q);
    names_a_field(&ast, &["path", "kind", "doi"])
}

/// Whether any clause of `ast` names one of `fields`.
fn names_a_field(ast: &UserInputAst, fields: &[&str]) -> bool {
    match ast {
        UserInputAst::Clause(clauses) => clauses.iter().any(|(_, a)| names_a_field(a, fields)),
        UserInputAst::Boost(inner, _) => names_a_field(inner, fields),
        UserInputAst::Leaf(leaf) => {
            let field = match leaf.as_ref() {
                UserInputLeaf::Literal(literal) => literal.field_name.as_deref(),
                UserInputLeaf::All => None,
                UserInputLeaf::Range { field, .. }
                | UserInputLeaf::Set { field, .. }
                | UserInputLeaf::Regex { field, .. } => field.as_deref(),
                UserInputLeaf::Exists { field } => Some(field.as_str()),
            };
            field.is_some_and(|f| fields.contains(&f))
        }
    }
}

/// `https://doi.org/10.1/ABC` or `doi:10.1/ABC` → `10.1/abc`; a value that
/// holds no DOI is matched as written, in lower case (it finds nothing).
pub fn normalize_doi(doi: &str) -> String {
    crate::doi::canonical(doi).unwrap_or_else(|| doi.trim().to_lowercase())
}

/// The statements whose paper is of a year in `range`. Years are indexed and
/// a fast column both. A range that allows many statements is read from the
/// column, which tantivy scans lazily as the query's candidates seek it. One
/// that allows few is read from its years' postings instead, so that the
/// query is intersected with a short list: at 1,000,000 pages a word under
/// `--year 2025`, a year of few papers, took 127 ms through the column and 7
/// ms through the postings, while `2000..2010` took 20 ms against 46. Read
/// whole ([`Use::Whole`]), a range is always read from the postings: the
/// column's index of the documents that have a year was 63% of a count
/// under `2000..2010` at 1,000,000 pages, which the postings did in about
/// 0.6 of the time.
fn year_query(
    searcher: &Searcher,
    field: Field,
    range: YearRange,
    used: Use,
) -> Result<Box<dyn Query>, SearchError> {
    // One encoding of a year for both: the terms counted here and the bounds
    // of the query returned.
    let term = |y: u16| Term::from_field_u64(field, u64::from(y));
    let (from, to) = (range.from.map(term), range.to.map(term));
    let bound = |t: Option<Term>| t.map_or(Bound::Unbounded, Bound::Included);
    if used == Use::Whole {
        return Ok(Box::new(InvertedIndexRangeQuery::new(
            bound(from),
            bound(to),
        )));
    }
    let mut allowed = 0u64;
    for reader in searcher.segment_readers() {
        let years = reader.inverted_index(field)?;
        let mut terms = years.terms().range();
        if let Some(from) = &from {
            terms = terms.ge(from.serialized_value_bytes());
        }
        if let Some(to) = &to {
            terms = terms.le(to.serialized_value_bytes());
        }
        let mut terms = terms.into_stream().map_err(tantivy::TantivyError::from)?;
        while terms.advance() {
            allowed += u64::from(terms.value().doc_freq);
        }
    }
    let (from, to) = (bound(from), bound(to));
    Ok(if allowed.saturating_mul(FEW_YEARS) < searcher.num_docs() {
        Box::new(InvertedIndexRangeQuery::new(from, to))
    } else {
        Box::new(RangeQuery::new(from, to))
    })
}

/// A year range allowing fewer than one document in this many is read from
/// the postings (at 1,000,000 pages the two were even at about one in 15).
const FEW_YEARS: u64 = 16;

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_queries_naming_path_or_kind_can_match_record_documents() {
        for needed in [
            "",
            "*",
            "kind:page",
            "path:sleep",
            "spindles OR kind:skipped",
            "(a AND path:x)^2",
        ] {
            assert!(kind_filter_needed(needed), "{needed}");
        }
        for not in [
            "spindles",
            "\"the path: forward\"",
            "author:kind",
            "title:\"kind: words\"",
        ] {
            assert!(!kind_filter_needed(not), "{not}");
        }
    }

    #[test]
    fn year_ranges() {
        let r = |s: &str| s.parse::<YearRange>();
        let range = |from, to| Ok(YearRange { from, to });
        assert_eq!(r("2019..2021"), range(Some(2019), Some(2021)));
        assert_eq!(r("2019.."), range(Some(2019), None));
        assert_eq!(r("..2021"), range(None, Some(2021)));
        assert_eq!(r("2020"), range(Some(2020), Some(2020)));
        assert!(r("..").is_err());
        assert!(r("2021..2019").is_err());
        assert!(r("twenty").is_err());
        assert!(r("").is_err());
    }

    /// A range of few documents is read from the postings, a wide one from
    /// the column, and both allow exactly the documents of those years.
    #[test]
    fn few_years_come_from_the_postings() {
        use tantivy::collector::DocSetCollector;
        use tantivy::schema::{Schema, FAST, INDEXED};
        use tantivy::{doc, Index, IndexWriter};
        let mut builder = Schema::builder();
        let year = builder.add_u64_field("year", INDEXED | FAST);
        let index = Index::create_in_ram(builder.build());
        let mut writer: IndexWriter = index.writer_with_num_threads(1, 15_000_000).unwrap();
        // 2000 to 2019 alike; one document in 500 from 2025.
        let year_of = |segment: u64, i: u64| match i % 500 {
            7 => 2025,
            _ => 2000 + (i + segment) % 20,
        };
        for segment in 0..2u64 {
            for i in 0..1_000u64 {
                writer
                    .add_document(doc!(year => year_of(segment, i)))
                    .unwrap();
            }
            writer.commit().unwrap();
        }
        let searcher = index.reader().unwrap().searcher();
        let cases = [
            (Some(2025), Some(2025), true),
            (Some(2024), None, true),
            (Some(2019), Some(2019), true),
            (Some(2000), Some(2009), false),
            (None, Some(2004), false),
        ];
        for (from, to, few) in cases {
            let within =
                |y: u64| from.is_none_or(|f| y >= f.into()) && to.is_none_or(|t| y <= t.into());
            let n = (0..2u64)
                .flat_map(|segment| (0..1_000u64).map(move |i| (segment, i)))
                .filter(|&(segment, i)| within(year_of(segment, i)))
                .count();
            let q = year_query(&searcher, year, YearRange { from, to }, Use::Test).unwrap();
            let context = format!("{from:?}..{to:?}");
            assert_eq!(q.is::<InvertedIndexRangeQuery>(), few, "{context}");
            assert_eq!(q.is::<RangeQuery>(), !few, "{context}");
            let got = searcher.search(q.as_ref(), &DocSetCollector).unwrap();
            assert_eq!(got.len(), n, "{context}");
            for address in got {
                let column = searcher
                    .segment_reader(address.segment_ord)
                    .fast_fields()
                    .u64("year")
                    .unwrap();
                assert!(within(column.first(address.doc_id).unwrap()), "{context}");
            }
        }
    }

    #[test]
    fn dois_are_normalized() {
        assert_eq!(normalize_doi("https://doi.org/10.5555/ABC"), "10.5555/abc");
        assert_eq!(normalize_doi(" doi:10.1/X "), "10.1/x");
    }
}
