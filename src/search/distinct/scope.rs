//! Where the copies of a statement are found: under its paper's DOI, or,
//! for a page without one, its file's path. The dedup key hashes exactly
//! that beside the text (`index::dedup_key`), so every copy of a statement
//! is among the few documents of one indexed term, and telling them apart
//! needs only their keys' column. The key itself is not indexed: a term for
//! every statement, nearly all of them unique, cost a tenth of a build
//! (BENCHMARKS.md, "Build").

use std::cell::OnceCell;

use tantivy::columnar::StrColumn;
use tantivy::schema::{Field, IndexRecordOption};
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

/// One segment's columns that name a statement's scope (and its file), each
/// opened on first use: opening a string column decodes its block index, a
/// quarter of a short query's instructions at two million statements, and a
/// query over an index free of copies needs neither.
#[derive(Default)]
pub(super) struct ScopeColumns {
    doi: OnceCell<Option<StrColumn>>,
    path: OnceCell<Option<StrColumn>>,
}

impl ScopeColumns {
    /// The scope of `doc`'s copies (a document of `reader`): its DOI's, else
    /// its path's; `None` for a document with neither (never written by
    /// citeindex).
    pub(super) fn scope(
        &self,
        reader: &SegmentReader,
        f: &Fields,
        doc: DocId,
    ) -> Result<Option<Scope>, SearchError> {
        if let Some(ord) = first_ord(opened(&self.doi, reader, f.doi)?, doc) {
            return Ok(Some(Scope::Doi(ord)));
        }
        Ok(first_ord(opened(&self.path, reader, f.path)?, doc).map(Scope::Path))
    }

    /// The indexed term of `scope`, read from the dictionary of `reader`,
    /// whose document gave the scope.
    pub(super) fn term(
        &self,
        reader: &SegmentReader,
        f: &Fields,
        scope: Scope,
    ) -> Result<Option<Term>, SearchError> {
        let (cell, field, ord) = match scope {
            Scope::Doi(ord) => (&self.doi, f.doi, ord),
            Scope::Path(ord) => (&self.path, f.path, ord),
        };
        Ok(match opened(cell, reader, field)? {
            Some(column) => Some(Term::from_field_text(field, &ord_text(column, ord)?)),
            None => None,
        })
    }

    /// The path of `doc`'s file; empty when it has none.
    pub(super) fn path(
        &self,
        reader: &SegmentReader,
        f: &Fields,
        doc: DocId,
    ) -> Result<String, SearchError> {
        let column = opened(&self.path, reader, f.path)?;
        Ok(match (column, first_ord(column, doc)) {
            (Some(column), Some(ord)) => ord_text(column, ord).unwrap_or_default(),
            _ => String::new(),
        })
    }
}

/// The column of `field` kept in `cell`, opened from `reader` on first use.
fn opened<'c>(
    cell: &'c OnceCell<Option<StrColumn>>,
    reader: &SegmentReader,
    field: Field,
) -> Result<Option<&'c StrColumn>, SearchError> {
    if let Some(column) = cell.get() {
        return Ok(column.as_ref());
    }
    let column = reader.str_column(field)?;
    Ok(cell.get_or_init(|| column).as_ref())
}

fn first_ord(column: Option<&StrColumn>, doc: DocId) -> Option<u64> {
    column?.term_ords(doc).next()
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
