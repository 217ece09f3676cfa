//! Where the copies of a statement are found: under its paper's DOI, or,
//! for a page without one, its file's path. The dedup key hashes exactly
//! that beside the text (`index::dedup_key`), so every copy of a statement
//! is among the few documents of one indexed term, and telling them apart
//! needs only their keys' column. The key itself is not indexed: a term for
//! every statement, nearly all of them unique, cost a tenth of a build
//! (BENCHMARKS.md, "Build").

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

/// One segment's columns that name a statement's scope.
pub(super) struct ScopeColumns {
    doi: Option<StrColumn>,
    path: Option<StrColumn>,
}

impl ScopeColumns {
    pub(super) fn open(reader: &SegmentReader, f: &Fields) -> Result<ScopeColumns, SearchError> {
        Ok(ScopeColumns {
            doi: reader.str_column(f.doi)?,
            path: reader.str_column(f.path)?,
        })
    }

    /// The scope of `doc`'s copies: its DOI's, else its path's; `None` for a
    /// document with neither (never written by citeindex).
    pub(super) fn scope(&self, doc: DocId) -> Option<Scope> {
        let ord = |column: &Option<StrColumn>| column.as_ref()?.term_ords(doc).next();
        ord(&self.doi)
            .map(Scope::Doi)
            .or_else(|| ord(&self.path).map(Scope::Path))
    }

    /// The indexed term of `scope`, read from this segment's dictionary.
    pub(super) fn term(&self, f: &Fields, scope: Scope) -> Result<Option<Term>, SearchError> {
        let (column, field, ord) = match scope {
            Scope::Doi(ord) => (&self.doi, f.doi, ord),
            Scope::Path(ord) => (&self.path, f.path, ord),
        };
        Ok(match column {
            Some(column) => Some(Term::from_field_text(field, &ord_text(column, ord)?)),
            None => None,
        })
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
