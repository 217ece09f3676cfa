//! `citeindex stats`: what an index holds. Pages, statements, cited papers,
//! counts by type and section bucket, the most cited authors, the corpus it
//! was built from, when, and its size on disk.
//!
//! Statements saved in several files count once here, as they show once among
//! query hits; `statement_documents` counts every copy.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};

use serde::Serialize;
use tantivy::collector::Count;
use tantivy::query::TermQuery;
use tantivy::schema::IndexRecordOption;
use tantivy::Term;

use crate::index::{store, OpenIndex};
use crate::schema::{ord_text, FastColumns, Fields, KIND_PAGE, KIND_SKIPPED, KIND_STATEMENT};
use crate::search::{self, Request, SearchError};

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Stats {
    pub index: PathBuf,
    pub corpus_root: Option<PathBuf>,
    /// Seconds since the epoch of the last update.
    pub updated_at: u64,
    /// Bytes of the live generation's files.
    pub index_bytes: u64,
    pub pages: u64,
    /// Files read and found not to be report pages.
    pub skipped_files: u64,
    /// Distinct statements.
    pub statements: u64,
    /// Statement documents, copies in several files included.
    pub statement_documents: u64,
    /// Distinct cited papers with at least one statement: by DOI, or by file
    /// for pages without one.
    pub papers: u64,
    #[serde(rename = "type")]
    pub by_type: BTreeMap<String, u64>,
    pub section: BTreeMap<String, u64>,
    /// The most cited authors as written, with how many distinct statements
    /// cite them, most first.
    pub top_authors: Vec<AuthorCount>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AuthorCount {
    pub author: String,
    pub statements: u64,
}

#[derive(Debug, thiserror::Error)]
pub enum StatsError {
    #[error(transparent)]
    Search(#[from] SearchError),
    #[error("reading the index failed: {0}")]
    Tantivy(#[from] tantivy::TantivyError),
    #[error(transparent)]
    Index(#[from] crate::index::IndexError),
    #[error("cannot measure the index folder {0}: {1}")]
    Size(PathBuf, std::io::Error),
}

/// Gathers the statistics, with the `top` most cited authors.
pub fn gather(open: &OpenIndex, top: usize) -> Result<Stats, StatsError> {
    let searcher = open.reader.searcher();
    let f = &open.schema.fields;
    let count = |kind: &str| -> Result<u64, StatsError> {
        let query = TermQuery::new(
            Term::from_field_text(f.kind, kind),
            IndexRecordOption::Basic,
        );
        Ok(searcher.search(&query, &Count)? as u64)
    };
    let everything = Request {
        query: "*".to_string(),
        ..Request::default()
    };
    let facets = search::facets(open, &everything)?;
    let generation = store::current_generation(&open.dir)?;
    let (papers, top_authors) = papers_and_authors(&searcher, &open.schema.fields, top)?;
    Ok(Stats {
        index: open.dir.clone(),
        corpus_root: open.record.corpus_root.clone(),
        updated_at: open.record.updated_at,
        index_bytes: folder_size(&generation)
            .map_err(|e| StatsError::Size(generation.clone(), e))?,
        pages: count(KIND_PAGE)?,
        skipped_files: count(KIND_SKIPPED)?,
        statements: facets.total,
        statement_documents: count(KIND_STATEMENT)?,
        papers,
        by_type: facets.kind,
        section: facets.section,
        top_authors,
    })
}

/// Distinct cited papers, and the `top` authors cited by the most distinct
/// statements, read from the fast columns of every live document.
fn papers_and_authors(
    searcher: &tantivy::Searcher,
    f: &Fields,
    top: usize,
) -> Result<(u64, Vec<AuthorCount>), StatsError> {
    let mut papers: HashSet<String> = HashSet::new();
    let mut seen: HashSet<u64> = HashSet::new();
    let mut authors: HashMap<String, u64> = HashMap::new();
    for reader in searcher.segment_readers() {
        let kind = reader.str_column(f.kind)?;
        let doi = reader.str_column(f.doi)?;
        let path = reader.str_column(f.path)?;
        let cited = reader.str_column(f.cited_author)?;
        let dedup = reader.u64_column(f.dedup)?;
        let statement_ord = match &kind {
            Some(column) => column
                .dictionary()
                .term_ord(KIND_STATEMENT)
                .map_err(tantivy::TantivyError::from)?,
            None => None,
        };
        let (Some(kind), Some(statement_ord)) = (kind, statement_ord) else {
            continue;
        };
        let mut dois: HashSet<u64> = HashSet::new();
        let mut paths: HashSet<u64> = HashSet::new();
        let mut by_ord: HashMap<u64, u64> = HashMap::new();
        let alive = reader.alive_bitset();
        for doc in 0..reader.max_doc() {
            if alive.is_some_and(|a| a.is_deleted(doc))
                || kind.term_ords(doc).next() != Some(statement_ord)
            {
                continue;
            }
            match doi.as_ref().and_then(|c| c.term_ords(doc).next()) {
                Some(ord) => dois.insert(ord),
                None => path
                    .as_ref()
                    .and_then(|c| c.term_ords(doc).next())
                    .is_some_and(|ord| paths.insert(ord)),
            };
            if dedup.first(doc).is_some_and(|key| !seen.insert(key)) {
                continue;
            }
            if let Some(column) = &cited {
                for ord in column.term_ords(doc) {
                    *by_ord.entry(ord).or_default() += 1;
                }
            }
        }
        let name = |column: &Option<tantivy::columnar::StrColumn>,
                    ord: u64|
         -> Result<String, StatsError> {
            Ok(match column {
                Some(column) => ord_text(column, ord)?,
                None => String::new(),
            })
        };
        for ord in dois {
            papers.insert(format!("doi:{}", name(&doi, ord)?));
        }
        for ord in paths {
            papers.insert(format!("file:{}", name(&path, ord)?));
        }
        for (ord, n) in by_ord {
            *authors.entry(name(&cited, ord)?).or_default() += n;
        }
    }
    let mut ranked: Vec<AuthorCount> = authors
        .into_iter()
        .map(|(author, statements)| AuthorCount { author, statements })
        .collect();
    ranked.sort_by(|a, b| {
        b.statements
            .cmp(&a.statements)
            .then_with(|| a.author.cmp(&b.author))
    });
    ranked.truncate(top);
    Ok((papers.len() as u64, ranked))
}

fn folder_size(dir: &Path) -> std::io::Result<u64> {
    let mut total = 0;
    for entry in std::fs::read_dir(dir)? {
        let meta = entry?.metadata()?;
        if meta.is_file() {
            total += meta.len();
        }
    }
    Ok(total)
}

/// `2026-11-27 16:05 UTC` for seconds since the epoch.
pub fn utc_time(secs: u64) -> String {
    let days = (secs / 86_400) as i64;
    let rest = secs % 86_400;
    // Days to a civil date (Howard Hinnant's algorithm, proleptic Gregorian).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02} {:02}:{:02} UTC",
        rest / 3_600,
        rest % 3_600 / 60
    )
}

#[cfg(test)]
mod tests {
    use super::utc_time;

    #[test]
    fn formats_utc_times() {
        assert_eq!(utc_time(0), "1970-01-01 00:00 UTC");
        assert_eq!(utc_time(951_782_400), "2000-02-29 00:00 UTC");
        assert_eq!(utc_time(1_795_795_500), "2026-11-27 16:05 UTC");
    }
}
