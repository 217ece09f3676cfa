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
use tantivy::columnar::{Column, StrColumn};
use tantivy::SegmentReader;

use crate::index::{kind_query, store, OpenIndex};
use crate::schema::{FastColumns, Fields, OrdNames, KIND_PAGE, KIND_SKIPPED, KIND_STATEMENT};
use crate::search::{self, CopySet, Request, SearchError};

#[derive(Debug, Clone, PartialEq, Serialize)]
pub(crate) struct Stats {
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
pub(crate) struct AuthorCount {
    pub author: String,
    pub statements: u64,
}

#[derive(Debug, thiserror::Error)]
pub(crate) enum StatsError {
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
pub(crate) fn gather(open: &OpenIndex, top: usize) -> Result<Stats, StatsError> {
    let searcher = open.reader.searcher();
    let f = &open.schema.fields;
    let count = |kind: &str| -> Result<u64, StatsError> {
        Ok(searcher.search(&kind_query(f, kind), &Count)? as u64)
    };
    let everything = Request {
        query: "*".to_string(),
        ..Request::default()
    };
    let facets = search::facets(open, &everything)?;
    // The generation this snapshot reads; should a rebuild have replaced and
    // removed it since, the one that took its place.
    let measured = match folder_size(&open.generation) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            let generation = store::current_generation(&open.dir)?;
            folder_size(&generation).map_err(|e| StatsError::Size(generation, e))?
        }
        other => other.map_err(|e| StatsError::Size(open.generation.clone(), e))?,
    };
    let (papers, top_authors) = papers_and_authors(&searcher, &open.schema.fields, top)?;
    Ok(Stats {
        index: open.dir.clone(),
        corpus_root: open.provenance.corpus_root.clone(),
        updated_at: open.provenance.updated_at,
        index_bytes: measured,
        pages: count(KIND_PAGE)?,
        skipped_files: count(KIND_SKIPPED)?,
        statements: facets.total,
        statement_documents: count(KIND_STATEMENT)?,
        papers,
        by_type: facets.citation_type,
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
    let mut census = Census::default();
    for reader in searcher.segment_readers() {
        if let Some(columns) = StatementColumns::open(reader, f)? {
            census.add_segment(reader, &columns)?;
        }
    }
    let mut ranked: Vec<AuthorCount> = census
        .authors
        .into_iter()
        .map(|(author, statements)| AuthorCount { author, statements })
        .collect();
    ranked.sort_by(|a, b| {
        b.statements
            .cmp(&a.statements)
            .then_with(|| a.author.cmp(&b.author))
    });
    ranked.truncate(top);
    Ok((census.papers.len() as u64, ranked))
}

/// Papers and cited authors counted over the segments so far.
#[derive(Default)]
struct Census {
    /// `doi:…` for a paper with a DOI, `file:…` for one without.
    papers: HashSet<String>,
    /// Dedup keys of the statements counted (a copy counts once).
    seen: CopySet,
    /// Statements citing each author.
    authors: HashMap<String, u64>,
}

/// The columns the census reads, for one segment that holds statements.
struct StatementColumns {
    kind: StrColumn,
    statement_ord: u64,
    doi: Option<StrColumn>,
    path: Option<StrColumn>,
    cited: Option<StrColumn>,
    dedup: Column<u64>,
}

impl StatementColumns {
    /// `None` for a segment without statements.
    fn open(reader: &SegmentReader, f: &Fields) -> Result<Option<StatementColumns>, StatsError> {
        let Some(kind) = reader.str_column(f.kind)? else {
            return Ok(None);
        };
        let statement_ord = kind
            .dictionary()
            .term_ord(KIND_STATEMENT)
            .map_err(tantivy::TantivyError::from)?;
        let Some(statement_ord) = statement_ord else {
            return Ok(None);
        };
        Ok(Some(StatementColumns {
            kind,
            statement_ord,
            doi: reader.str_column(f.doi)?,
            path: reader.str_column(f.path)?,
            cited: reader.str_column(f.cited_author)?,
            dedup: reader.u64_column(f.dedup)?,
        }))
    }
}

/// One segment's statements by ordinal: the DOIs and (for papers without
/// one) the paths seen, and each cited author's distinct statements.
struct SegmentMarks {
    dois: Vec<bool>,
    paths: Vec<bool>,
    by_author: Vec<u64>,
}

impl Census {
    fn add_segment(
        &mut self,
        reader: &SegmentReader,
        columns: &StatementColumns,
    ) -> Result<(), StatsError> {
        let marks = self.mark(reader, columns);
        self.name(&marks, columns)
    }

    /// Ordinals first, text once per distinct ordinal of the segment
    /// ([`Census::name`]). The ordinals of a column are dense (0 to its
    /// number of terms), so they are counted in arrays, not hashed.
    fn mark(&mut self, reader: &SegmentReader, columns: &StatementColumns) -> SegmentMarks {
        let first =
            |column: &Option<StrColumn>, doc| column.as_ref().and_then(|c| c.term_ords(doc).next());
        let terms = |column: &Option<StrColumn>| column.as_ref().map_or(0, |c| c.num_terms());
        let mut marks = SegmentMarks {
            dois: vec![false; terms(&columns.doi)],
            paths: vec![false; terms(&columns.path)],
            by_author: vec![0u64; terms(&columns.cited)],
        };
        let alive = reader.alive_bitset();
        for doc in 0..reader.max_doc() {
            if alive.is_some_and(|a| a.is_deleted(doc))
                || columns.kind.term_ords(doc).next() != Some(columns.statement_ord)
            {
                continue;
            }
            let mark = |seen: &mut Vec<bool>, ord: u64| {
                if let Some(slot) = usize::try_from(ord).ok().and_then(|i| seen.get_mut(i)) {
                    *slot = true;
                }
            };
            match first(&columns.doi, doc) {
                Some(ord) => mark(&mut marks.dois, ord),
                None => {
                    if let Some(ord) = first(&columns.path, doc) {
                        mark(&mut marks.paths, ord);
                    }
                }
            }
            if columns
                .dedup
                .first(doc)
                .is_some_and(|key| !self.seen.insert(key))
            {
                continue;
            }
            for ord in columns.cited.iter().flat_map(|c| c.term_ords(doc)) {
                if let Some(n) = usize::try_from(ord)
                    .ok()
                    .and_then(|i| marks.by_author.get_mut(i))
                {
                    *n += 1;
                }
            }
        }
        marks
    }

    /// Adds the marked papers and authors under their texts, each
    /// dictionary read once, in ordinal order.
    fn name(&mut self, marks: &SegmentMarks, columns: &StatementColumns) -> Result<(), StatsError> {
        let marked = |seen: &[bool]| {
            let ords = seen.iter().enumerate().filter(|(_, s)| **s);
            ords.map(|(ord, _)| ord as u64).collect::<Vec<u64>>()
        };
        let dois = OrdNames::read(columns.doi.as_ref(), marked(&marks.dois))?;
        self.papers
            .extend(dois.iter().map(|(_, doi)| format!("doi:{doi}")));
        let paths = OrdNames::read(columns.path.as_ref(), marked(&marks.paths))?;
        self.papers
            .extend(paths.iter().map(|(_, path)| format!("file:{path}")));
        let cited =
            (0..marks.by_author.len() as u64).filter(|&ord| marks.by_author[ord as usize] > 0);
        let authors = OrdNames::read(columns.cited.as_ref(), cited)?;
        for (ord, author) in authors.iter() {
            *self.authors.entry(author.to_string()).or_default() += marks.by_author[ord as usize];
        }
        Ok(())
    }
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
