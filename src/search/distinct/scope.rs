//! Where the copies of a statement are found: under its paper's DOI, or,
//! for a page without one, its file's path. The dedup key hashes exactly
//! that beside the text (`index::dedup_key`), so every copy of a statement
//! is among the few documents of one indexed term, and telling them apart
//! needs only their keys' column. The key itself is not indexed: a term for
//! every statement, nearly all of them unique, cost a tenth of a build
//! (BENCHMARKS.md, "Build").

use std::cell::OnceCell;

use tantivy::columnar::StrColumn;
use tantivy::schema::IndexRecordOption;
use tantivy::{DocId, DocSet, SegmentReader, Term, TERMINATED};

use crate::schema::{ord_text, FastColumns, Fields};
use crate::search::SearchError;

/// Which term holds a statement's copies, and its ordinal in the segment's
/// column: equal ordinals, equal terms.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Scope {
    Doi(u64),
    Path(u64),
}

/// One segment's columns that name a statement's scope. The path column is
/// opened only for a statement without a DOI: opening it decodes its block
/// index, a quarter of a short query's instructions at two million statements.
pub(super) struct ScopeColumns {
    doi: Option<StrColumn>,
    path: OnceCell<Option<StrColumn>>,
}

impl ScopeColumns {
    pub(super) fn open(reader: &SegmentReader, f: &Fields) -> Result<ScopeColumns, SearchError> {
        Ok(ScopeColumns {
            doi: reader.str_column(f.doi)?,
            path: OnceCell::new(),
        })
    }

    /// The scope of `doc`'s copies (a document of `reader`): its DOI's, else
    /// its path's; `None` for a document with neither (never written by
    /// citeindex).
    pub(super) fn scope(
        &self,
        reader: &SegmentReader,
        f: &Fields,
        doc: DocId,
    ) -> Result<Option<Scope>, SearchError> {
        if let Some(ord) = self.doi.as_ref().and_then(|c| c.term_ords(doc).next()) {
            return Ok(Some(Scope::Doi(ord)));
        }
        Ok(self
            .path(reader, f)?
            .and_then(|c| c.term_ords(doc).next())
            .map(Scope::Path))
    }

    /// The indexed term of `scope`, read from the dictionary of `reader`,
    /// whose document gave the scope.
    pub(super) fn term(
        &self,
        reader: &SegmentReader,
        f: &Fields,
        scope: Scope,
    ) -> Result<Option<Term>, SearchError> {
        let (column, field, ord) = match scope {
            Scope::Doi(ord) => (self.doi.as_ref(), f.doi, ord),
            Scope::Path(ord) => (self.path(reader, f)?, f.path, ord),
        };
        Ok(match column {
            Some(column) => Some(Term::from_field_text(field, &ord_text(column, ord)?)),
            None => None,
        })
    }

    fn path(&self, reader: &SegmentReader, f: &Fields) -> Result<Option<&StrColumn>, SearchError> {
        if let Some(path) = self.path.get() {
            return Ok(path.as_ref());
        }
        let opened = reader.str_column(f.path)?;
        Ok(self.path.get_or_init(|| opened).as_ref())
    }
}

/// The documents of `term` in `reader`, deleted ones included (a deleted
/// copy still decides which of two copies counts).
pub(super) fn term_docs(reader: &SegmentReader, term: &Term) -> Result<Vec<DocId>, SearchError> {
    let inverted = reader.inverted_index(term.field())?;
    let mut docs = Vec::new();
    let postings = inverted
        .read_postings(term, IndexRecordOption::Basic)
        .map_err(tantivy::TantivyError::from)?;
    if let Some(mut postings) = postings {
        let mut doc = postings.doc();
        while doc != TERMINATED {
            docs.push(doc);
            doc = postings.advance();
        }
    }
    Ok(docs)
}
