//! Cited papers rather than statements: one row per paper with statements
//! matching a request, with the tallies its page shows and the matching
//! statements counted by type.
//!
//! The matching statements are visited without scoring (as for facets), each
//! distinct statement once (copies of a page share `dedup` keys), and counted
//! per file; the files' page documents then give each paper's DOI, title, year
//! and tallies. Files of one DOI (a page saved twice) are one paper; a page
//! without a DOI is a paper of its own.

use std::collections::{BTreeMap, HashMap, HashSet};

use serde::{Deserialize, Serialize};
use tantivy::columnar::StrColumn;
use tantivy::query::{BooleanQuery, EnableScoring, Occur, Query, TermQuery, TermSetQuery};
use tantivy::schema::IndexRecordOption;
use tantivy::{DocAddress, DocId, Searcher, SegmentReader, Term};

use super::distinct::{count_distinct, original_first, SegmentCount, Wanted};
use super::engine::Matcher;
use super::{as_query_error, full_path, prepare, Request, SearchError};
use crate::index::{kind_query, page_summary, read_summary, OpenIndex};
use crate::page::Tally;
use crate::schema::{FastColumns, Fields, OrdNames, KIND_PAGE, KIND_STATEMENT};

/// The order of the papers.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum PaperOrder {
    /// Most matching statements first.
    #[default]
    Statements,
    /// The largest share of contrasting citations, as the page's tallies show it.
    Contrasting,
    /// Newest first.
    Year,
    /// By title, A to Z.
    Title,
}

/// Statements counted by citation type.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct TypeCounts {
    pub total: u64,
    pub supporting: u64,
    pub mentioning: u64,
    pub contrasting: u64,
    /// Unclassified, or with no type shown.
    pub other: u64,
}

impl TypeCounts {
    fn add(&mut self, citation_type: &str, n: u64) {
        self.total += n;
        match citation_type {
            "supporting" => self.supporting += n,
            "mentioning" => self.mentioning += n,
            "contrasting" => self.contrasting += n,
            _ => self.other += n,
        }
    }

    fn merge(&mut self, other: &TypeCounts) {
        self.total += other.total;
        self.supporting += other.supporting;
        self.mentioning += other.mentioning;
        self.contrasting += other.contrasting;
        self.other += other.other;
    }
}

/// One cited paper.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Paper {
    pub rank: usize,
    pub doi: Option<String>,
    pub title: Option<String>,
    pub year: Option<u64>,
    /// The `Citation Types` counts the page shows (over all its citations,
    /// not only the indexed statements).
    pub tally: Tally,
    /// The share of contrasting citations in the page's tally, 0 to 1.
    pub contrasting_share: Option<f64>,
    /// The paper's statements that match the request, each counted once.
    pub statements: TypeCounts,
    /// The files the paper was saved in: full paths, the original first (as
    /// for the copy a hit shows), then by length and path.
    pub files: Vec<String>,
}

/// A page of papers, and how many there are in all.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Papers {
    pub total: usize,
    pub papers: Vec<Paper>,
}

/// The papers with statements matching `request` (all papers when it has
/// neither words nor filters), in `order`, after `request.offset`, at most
/// `request.limit`.
pub fn papers(
    open: &OpenIndex,
    request: &Request,
    order: PaperOrder,
) -> Result<Papers, SearchError> {
    let searcher = open.reader.searcher();
    let f = &open.schema.fields;
    let everything = request.query.trim().is_empty() || request.query.trim() == "*";
    let everything = everything && request.filters.is_empty();
    let mut request = request.clone();
    if request.query.trim().is_empty() {
        request.query = "*".to_string();
    }
    let prepared = prepare(open, &searcher, &request)?;
    let matcher = Matcher::new(
        &searcher,
        prepared.query.as_ref(),
        prepared.filter.as_deref(),
        None,
    )
    .map_err(|e| as_query_error(e, &request))?;
    let distinct = &open.provenance.distinct_segments;
    let mut by_file =
        count_by_file(&matcher, f, distinct).map_err(|e| as_query_error(e, &request))?;
    let mut summaries = if everything {
        page_summaries(&searcher, f, &kind_query(f, KIND_PAGE))?
    } else {
        // A request names few files as a rule: one lookup each is cheaper
        // than a pass over every page (1.7x faster for a middling word at
        // 20,000 pages).
        let mut found = HashMap::new();
        for path in by_file.keys() {
            if let Some(summary) = page_summary(&searcher, f, path)? {
                found.insert(path.clone(), summary);
            }
        }
        found
    };
    if everything {
        // Pages without statements are papers too.
        for path in summaries.keys() {
            by_file.entry(path.clone()).or_default();
        }
    }
    let mut papers = group(by_file, &mut summaries);
    if !everything {
        papers.retain(|p| p.statements.total > 0);
    }
    sort(&mut papers, order);
    let root = open.provenance.corpus_root.as_deref();
    let total = papers.len();
    let papers = papers
        .into_iter()
        .enumerate()
        .skip(request.offset)
        .take(request.limit)
        .map(|(i, mut paper)| {
            paper.rank = i + 1;
            paper.files = paper.files.iter().map(|p| full_path(root, p)).collect();
            paper
        })
        .collect();
    Ok(Papers { total, papers })
}

/// One paper, named as the index keys it: by its DOI, or (a page without a
/// DOI being a paper of its own) by its file's stored path.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Named {
    Doi(String),
    File(String),
}

impl Named {
    /// The documents of the paper: its page and statements, in every file.
    pub(crate) fn query(&self, f: &Fields) -> Box<dyn Query> {
        Box::new(TermSetQuery::new([self.term(f)]))
    }

    fn term(&self, f: &Fields) -> Term {
        match self {
            Named::Doi(doi) => Term::from_field_text(f.doi, doi),
            Named::File(path) => Term::from_field_text(f.path, path),
        }
    }
}

/// Those of the papers `named` that the index has, each exactly as
/// [`papers`] gives it without a request: its page's tallies, all its
/// distinct statements by type, all its files.
pub fn papers_named(
    open: &OpenIndex,
    named: &[Named],
) -> Result<HashMap<Named, Paper>, SearchError> {
    if named.is_empty() {
        return Ok(HashMap::new());
    }
    let searcher = open.reader.searcher();
    let f = &open.schema.fields;
    let of_kind = |kind: &str| -> BooleanQuery {
        BooleanQuery::new(vec![
            (
                Occur::Must,
                Box::new(TermSetQuery::new(named.iter().map(|n| n.term(f)))),
            ),
            (Occur::Must, Box::new(kind_query(f, kind))),
        ])
    };
    let matcher = Matcher::new(&searcher, &of_kind(KIND_STATEMENT), None, None)?;
    let mut by_file = count_by_file(&matcher, f, &open.provenance.distinct_segments)?;
    let mut summaries = page_summaries(&searcher, f, &of_kind(KIND_PAGE))?;
    for path in summaries.keys() {
        by_file.entry(path.clone()).or_default();
    }
    let root = open.provenance.corpus_root.as_deref();
    let mut found = HashMap::new();
    for mut paper in group(by_file, &mut summaries) {
        // A page without a DOI is a paper of its own, with its one file.
        let key = match &paper.doi {
            Some(doi) => Named::Doi(doi.clone()),
            None => Named::File(paper.files.first().cloned().unwrap_or_default()),
        };
        paper.files = paper.files.iter().map(|p| full_path(root, p)).collect();
        found.insert(key, paper);
    }
    Ok(found)
}

/// A paper whose title has every word of a title asked for.
#[derive(Debug, Clone, PartialEq)]
pub struct Titled {
    pub paper: Named,
    pub title: String,
}

/// The papers whose titles hold every word of `title` (as the title field
/// analyses words), each with its page's title: the candidates for a
/// reference known only by its title. Titles are indexed with statements
/// (a page document indexes no text), so a page without statements is not
/// among them.
pub fn titled(open: &OpenIndex, title: &str) -> Result<Vec<Titled>, SearchError> {
    let searcher = open.reader.searcher();
    let f = &open.schema.fields;
    let mut analyzer = open.index.tokenizer_for_field(f.title)?;
    let mut clauses: Vec<(Occur, Box<dyn Query>)> =
        vec![(Occur::Must, Box::new(kind_query(f, KIND_STATEMENT)))];
    let mut tokens = analyzer.token_stream(title);
    while let Some(token) = tokens.next() {
        let term = Term::from_field_text(f.title, &token.text);
        clauses.push((
            Occur::Must,
            Box::new(TermQuery::new(term, IndexRecordOption::Basic)),
        ));
    }
    if clauses.len() == 1 {
        return Ok(Vec::new());
    }
    let matcher = Matcher::new(&searcher, &BooleanQuery::new(clauses), None, None)?;
    let mut found = Vec::new();
    let distinct = &open.provenance.distinct_segments;
    for path in count_by_file(&matcher, f, distinct)?.into_keys() {
        let Some(summary) = page_summary::<PageSummary>(&searcher, f, &path)? else {
            continue;
        };
        let Some(title) = summary.title else {
            continue;
        };
        let paper = match summary.doi {
            Some(doi) => Named::Doi(doi),
            None => Named::File(path),
        };
        found.push(Titled { paper, title });
    }
    Ok(found)
}

/// What one file contributes: its matching statements, counted once each.
type ByFile = BTreeMap<String, TypeCounts>;

/// The matching statements of every file, by stored path, each distinct
/// statement once; a file whose matches were all counted as another file's
/// copies still names a file of its paper.
fn count_by_file(
    matcher: &Matcher<'_>,
    f: &Fields,
    distinct: &[String],
) -> Result<ByFile, SearchError> {
    let open = |reader: &SegmentReader| FileCount::open(reader, f);
    let mut by_file = ByFile::new();
    let counted = count_distinct(matcher, f, distinct, Wanted::Documents, &open)?;
    for count in counted.segments {
        count.add_to(&mut by_file)?;
    }
    Ok(by_file)
}

/// One segment's distinct matching statements by file and type, as the
/// columns' ordinals, named once counted.
struct FileCount {
    /// `None` for a segment without paths.
    columns: Option<Columns>,
    /// (path ordinal, type ordinal) → statements.
    counts: HashMap<(u64, Option<u64>), u64>,
    /// Files with a match, counted or a copy.
    matched: HashSet<u64>,
}

/// The columns a statement is counted from, for one segment.
struct Columns {
    path: StrColumn,
    citation_type: Option<StrColumn>,
}

impl FileCount {
    fn open(reader: &SegmentReader, f: &Fields) -> Result<FileCount, SearchError> {
        let columns = match reader.str_column(f.path)? {
            None => None,
            Some(path) => Some(Columns {
                path,
                citation_type: reader.str_column(f.citation_type)?,
            }),
        };
        Ok(FileCount {
            columns,
            counts: HashMap::new(),
            matched: HashSet::new(),
        })
    }

    /// Adds the counts under the files' paths and the types' names, each
    /// dictionary read once in ordinal order.
    fn add_to(self, by_file: &mut ByFile) -> Result<(), SearchError> {
        let Some(columns) = &self.columns else {
            return Ok(());
        };
        // Every counted file matched.
        let paths = OrdNames::read(Some(&columns.path), self.matched)?;
        let types = OrdNames::read(
            columns.citation_type.as_ref(),
            self.counts.keys().filter_map(|&(_, t)| t),
        )?;
        for (_, path) in paths.iter() {
            by_file.entry(path.to_string()).or_default();
        }
        for ((path, citation_type), n) in self.counts {
            let Some(file) = paths.get(path).and_then(|path| by_file.get_mut(path)) else {
                continue;
            };
            let type_name = citation_type.and_then(|t| types.get(t)).unwrap_or("");
            file.add(type_name, n);
        }
        Ok(())
    }
}

impl SegmentCount for FileCount {
    fn add(&mut self, docs: &[DocId]) {
        let Some(columns) = &self.columns else {
            return;
        };
        for &doc in docs {
            let Some(path) = columns.path.term_ords(doc).next() else {
                continue;
            };
            self.matched.insert(path);
            let citation_type = columns
                .citation_type
                .as_ref()
                .and_then(|c| c.term_ords(doc).next());
            *self.counts.entry((path, citation_type)).or_default() += 1;
        }
    }

    fn copies(&mut self, docs: &[DocId]) {
        let Some(columns) = &self.columns else {
            return;
        };
        for &doc in docs {
            self.matched.extend(columns.path.term_ords(doc).next());
        }
    }

    fn absorb(&mut self, other: FileCount) {
        self.matched.extend(other.matched);
        for (key, n) in other.counts {
            *self.counts.entry(key).or_default() += n;
        }
    }
}

/// The stored summary of every page document `pages` matches, by path, in
/// one pass over them.
fn page_summaries(
    searcher: &Searcher,
    f: &Fields,
    pages: &dyn Query,
) -> Result<HashMap<String, PageSummary>, SearchError> {
    let pages = pages.weight(EnableScoring::disabled_from_searcher(searcher))?;
    let mut summaries = HashMap::new();
    for (ord, reader) in searcher.segment_readers().iter().enumerate() {
        let Some(column) = reader.str_column(f.path)? else {
            continue;
        };
        let alive = reader.alive_bitset();
        let mut docs = Vec::new();
        pages.for_each_no_score(reader, &mut |found| {
            docs.extend(
                found
                    .iter()
                    .filter(|&&d| alive.is_none_or(|a| a.is_alive(d))),
            );
        })?;
        // Named in one pass over the dictionary; read in document order,
        // as the store's blocks lie.
        let with_path: Vec<(DocId, u64)> = docs
            .iter()
            .filter_map(|&doc| Some((doc, column.term_ords(doc).next()?)))
            .collect();
        let names = OrdNames::read(Some(&column), with_path.iter().map(|&(_, ord)| ord))?;
        for (doc, path_ord) in with_path {
            let Some(path) = names.get(path_ord) else {
                continue;
            };
            let addr = DocAddress::new(u32::try_from(ord).unwrap_or(u32::MAX), doc);
            summaries.insert(path.to_string(), read_summary(searcher, f, addr)?);
        }
    }
    Ok(summaries)
}

/// What a page document stores about its paper (see `page_documents`).
#[derive(Debug, Default, Deserialize)]
struct PageSummary {
    doi: Option<String>,
    title: Option<String>,
    year: Option<u64>,
    #[serde(default)]
    tally: StoredTally,
}

#[derive(Debug, Default, Deserialize)]
struct StoredTally {
    supporting: Option<u64>,
    mentioning: Option<u64>,
    contrasting: Option<u64>,
}

/// The files with their page summaries, files of one DOI merged into one paper.
fn group(by_file: ByFile, summaries: &mut HashMap<String, PageSummary>) -> Vec<Paper> {
    let mut papers: Vec<Paper> = Vec::new();
    let mut by_key: HashMap<String, usize> = HashMap::new();
    // In path order, so a paper's details come from its first file.
    for (path, counts) in by_file {
        let summary = summaries.remove(&path).unwrap_or_default();
        let key = match &summary.doi {
            Some(doi) => format!("doi:{doi}"),
            None => format!("file:{path}"),
        };
        let at = *by_key.entry(key).or_insert_with(|| {
            papers.push(Paper {
                doi: summary.doi.clone(),
                title: summary.title.clone(),
                year: summary.year,
                tally: Tally {
                    supporting: summary.tally.supporting,
                    mentioning: summary.tally.mentioning,
                    contrasting: summary.tally.contrasting,
                },
                ..Paper::default()
            });
            papers.len() - 1
        });
        let paper = &mut papers[at];
        paper.statements.merge(&counts);
        paper.files.push(path);
    }
    for paper in &mut papers {
        paper.contrasting_share = contrasting_share(&paper.tally);
        original_first(&mut paper.files);
    }
    papers
}

/// Contrasting citations over all typed citations the page counts.
fn contrasting_share(tally: &Tally) -> Option<f64> {
    let all = tally.supporting.unwrap_or(0) + tally.mentioning.unwrap_or(0);
    let contrasting = tally.contrasting?;
    let all = all + contrasting;
    (all > 0).then(|| contrasting as f64 / all as f64)
}

/// Sorts papers; ties go to more statements, then the title, then the DOI,
/// so the order never depends on the index's layout.
fn sort(papers: &mut [Paper], order: PaperOrder) {
    let title = |p: &Paper| p.title.as_deref().unwrap_or("").to_lowercase();
    let tie = |a: &Paper, b: &Paper| {
        b.statements
            .total
            .cmp(&a.statements.total)
            .then_with(|| title(a).cmp(&title(b)))
            .then_with(|| a.doi.cmp(&b.doi))
            .then_with(|| a.files.cmp(&b.files))
    };
    match order {
        PaperOrder::Statements => papers.sort_by(tie),
        PaperOrder::Contrasting => papers.sort_by(|a, b| {
            let share = |p: &Paper| p.contrasting_share.unwrap_or(-1.0);
            share(b).total_cmp(&share(a)).then_with(|| tie(a, b))
        }),
        PaperOrder::Year => {
            papers.sort_by(|a, b| b.year.cmp(&a.year).then_with(|| tie(a, b)));
        }
        PaperOrder::Title => papers.sort_by(|a, b| {
            // Untitled papers last.
            (a.title.is_none(), title(a))
                .cmp(&(b.title.is_none(), title(b)))
                .then_with(|| tie(a, b))
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn paper(title: &str, year: u64, statements: u64, tally: [u64; 3]) -> Paper {
        let tally = Tally {
            supporting: Some(tally[0]),
            mentioning: Some(tally[1]),
            contrasting: Some(tally[2]),
        };
        Paper {
            title: Some(title.to_string()),
            year: Some(year),
            contrasting_share: contrasting_share(&tally),
            tally,
            statements: TypeCounts {
                total: statements,
                ..TypeCounts::default()
            },
            ..Paper::default()
        }
    }

    fn titles(papers: &[Paper]) -> Vec<&str> {
        papers.iter().filter_map(|p| p.title.as_deref()).collect()
    }

    #[test]
    fn sorts_by_each_order_with_stable_ties() {
        let mut papers = vec![
            paper("beta", 2019, 3, [10, 10, 0]),
            paper("Alpha", 2021, 3, [1, 1, 2]),
            paper("gamma", 2019, 9, [5, 4, 1]),
        ];
        sort(&mut papers, PaperOrder::Statements);
        assert_eq!(titles(&papers), ["gamma", "Alpha", "beta"]);
        sort(&mut papers, PaperOrder::Contrasting);
        assert_eq!(titles(&papers), ["Alpha", "gamma", "beta"]);
        sort(&mut papers, PaperOrder::Year);
        assert_eq!(titles(&papers), ["Alpha", "gamma", "beta"]);
        sort(&mut papers, PaperOrder::Title);
        assert_eq!(titles(&papers), ["Alpha", "beta", "gamma"]);
    }

    #[test]
    fn the_contrasting_share_is_of_the_pages_typed_citations() {
        let tally = Tally {
            supporting: Some(6),
            mentioning: Some(12),
            contrasting: Some(2),
        };
        assert_eq!(contrasting_share(&tally), Some(0.1));
        assert_eq!(contrasting_share(&Tally::default()), None);
        let none = Tally {
            supporting: Some(0),
            mentioning: Some(0),
            contrasting: Some(0),
        };
        assert_eq!(contrasting_share(&none), None);
    }

    #[test]
    fn counts_types_and_merges() {
        let mut a = TypeCounts::default();
        for t in [
            "supporting",
            "contrasting",
            "",
            "unclassified",
            "mentioning",
        ] {
            a.add(t, 1);
        }
        let mut b = a;
        b.merge(&a);
        assert_eq!((a.total, a.other, b.total, b.contrasting), (5, 2, 10, 2));
    }
}
