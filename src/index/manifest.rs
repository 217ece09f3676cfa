//! What the index says it holds, file by file: read from the fast-field
//! columns of the `page` and `skipped` documents, never from the document
//! store, so that learning what changed costs a column scan, not a decompression
//! of every stored statement.

use std::collections::HashMap;

use tantivy::collector::DocSetCollector;
use tantivy::query::{BooleanQuery, Occur, Query, TermQuery};
use tantivy::schema::IndexRecordOption;
use tantivy::{DocAddress, Searcher, Term};

use crate::schema::{Fields, KIND_PAGE, KIND_SKIPPED};

/// One indexed (or deliberately skipped) file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub size: u64,
    pub mtime_ns: u64,
    pub fingerprint: String,
    /// True for a file that was read and found to be no report page.
    pub skipped: bool,
    /// Where the file's record document is, to copy it when only the file's
    /// modification time changed.
    pub record: DocAddress,
}

/// Indexed files by their stored (corpus-relative) path.
pub type Manifest = HashMap<String, Entry>;

pub fn read(searcher: &Searcher, f: &Fields) -> tantivy::Result<Manifest> {
    let kinds: Vec<(Occur, Box<dyn Query>)> = [KIND_PAGE, KIND_SKIPPED]
        .into_iter()
        .map(|kind| {
            let q: Box<dyn Query> = Box::new(TermQuery::new(
                Term::from_field_text(f.kind, kind),
                IndexRecordOption::Basic,
            ));
            (Occur::Should, q)
        })
        .collect();
    let mut addresses: Vec<DocAddress> = searcher
        .search(&BooleanQuery::new(kinds), &DocSetCollector)?
        .into_iter()
        .collect();
    addresses.sort_unstable();

    let mut manifest = Manifest::with_capacity(addresses.len());
    let mut current: Option<(u32, Columns)> = None;
    for addr in addresses {
        if current
            .as_ref()
            .is_none_or(|(seg, _)| *seg != addr.segment_ord)
        {
            let reader = searcher.segment_reader(addr.segment_ord);
            current = Some((addr.segment_ord, Columns::open(reader.fast_fields())?));
        }
        let Some((_, cols)) = current.as_ref() else {
            continue;
        };
        let Some(path) = cols.text(&cols.path, addr.doc_id) else {
            continue;
        };
        let kind = cols.text(&cols.kind, addr.doc_id);
        let fingerprint = cols
            .text(&cols.fingerprint, addr.doc_id)
            .unwrap_or_default();
        manifest.insert(
            path,
            Entry {
                size: cols.size.first(addr.doc_id).unwrap_or(0),
                mtime_ns: cols.mtime.first(addr.doc_id).unwrap_or(0),
                fingerprint,
                skipped: kind.as_deref() == Some(KIND_SKIPPED),
                record: addr,
            },
        );
    }
    Ok(manifest)
}

/// One segment's columns, with the string dictionaries decoded once: looking
/// terms up one by one would decompress a dictionary block per file.
struct Columns {
    path: Option<Terms>,
    kind: Option<Terms>,
    fingerprint: Option<Terms>,
    size: tantivy::columnar::Column<u64>,
    mtime: tantivy::columnar::Column<u64>,
}

struct Terms {
    column: tantivy::columnar::StrColumn,
    /// Every term of the column's dictionary, by ordinal.
    terms: Vec<String>,
}

impl Terms {
    fn load(column: Option<tantivy::columnar::StrColumn>) -> tantivy::Result<Option<Terms>> {
        let Some(column) = column else {
            return Ok(None);
        };
        let mut terms = Vec::with_capacity(column.num_terms());
        let mut stream = column.dictionary().stream()?;
        while stream.advance() {
            terms.push(String::from_utf8_lossy(stream.key()).into_owned());
        }
        Ok(Some(Terms { column, terms }))
    }
}

impl Columns {
    fn open(ff: &tantivy::fastfield::FastFieldReaders) -> tantivy::Result<Columns> {
        Ok(Columns {
            path: Terms::load(ff.str("path")?)?,
            kind: Terms::load(ff.str("kind")?)?,
            fingerprint: Terms::load(ff.str("fingerprint")?)?,
            size: ff.u64("size")?,
            mtime: ff.u64("mtime")?,
        })
    }

    fn text(&self, terms: &Option<Terms>, doc: u32) -> Option<String> {
        let terms = terms.as_ref()?;
        terms
            .column
            .term_ords(doc)
            .next()
            .and_then(|ord| terms.terms.get(ord as usize))
            .cloned()
    }
}
