//! What the index says it holds, file by file, read as a stream sorted by
//! stored path: the `path` field's term dictionaries of all segments, merged,
//! each term's postings giving the file's record document (`page` or
//! `skipped`), whose size and modification time come from fast-field columns.
//!
//! Nothing here grows with the corpus: the walk of the corpus folder comes in
//! the same order (see [`crate::crawl::walk`]), so the writer compares the two
//! as a merge of sorted streams, and a file's content hash is looked up only
//! for the few files whose size or time changed.

use std::ops::ControlFlow;
use std::sync::Arc;

use tantivy::columnar::{Column, StrColumn};
use tantivy::schema::IndexRecordOption;
use tantivy::termdict::TermMerger;
use tantivy::{DocAddress, DocSet, InvertedIndexReader, Searcher, SegmentReader, TERMINATED};

use crate::schema::{ord_text, FastColumns, Fields, KIND_PAGE, KIND_SKIPPED};

/// One indexed (or deliberately skipped) file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Entry {
    pub size: u64,
    pub mtime_ns: u64,
    /// True for a file that was read and found to be no report page.
    pub skipped: bool,
    /// Where the file's record document is: for its content hash
    /// ([`Manifest::fingerprint`]) and to copy it when only the time changed.
    pub record: DocAddress,
}

/// The record documents of one searcher's segments, ready to be streamed.
pub(super) struct Manifest {
    segments: Vec<SegmentRecords>,
}

/// One segment's view of its record documents.
struct SegmentRecords {
    paths: Arc<InvertedIndexReader>,
    alive: Option<tantivy::fastfield::AliveBitSet>,
    kind: Option<StrColumn>,
    /// The `kind` column's ordinals of `page` and `skipped`, if present.
    page_ord: Option<u64>,
    skipped_ord: Option<u64>,
    fingerprint: Option<StrColumn>,
    size: Column<u64>,
    mtime: Column<u64>,
}

impl Manifest {
    pub(super) fn open(searcher: &Searcher, f: &Fields) -> tantivy::Result<Manifest> {
        let segments = searcher
            .segment_readers()
            .iter()
            .map(|reader| SegmentRecords::open(reader, f))
            .collect::<tantivy::Result<_>>()?;
        Ok(Manifest { segments })
    }

    /// Calls `visit` with every file the index records, in the byte order of
    /// the stored paths, until it says to stop.
    pub(super) fn for_each_sorted(
        &self,
        mut visit: impl FnMut(&str, Entry) -> ControlFlow<()>,
    ) -> tantivy::Result<()> {
        let streams = self
            .segments
            .iter()
            .map(|s| s.paths.terms().stream())
            .collect::<std::io::Result<Vec<_>>>()?;
        let mut merged = TermMerger::new(streams);
        while merged.advance() {
            let mut record = None;
            for (ord, info) in merged.current_segment_ords_and_term_infos() {
                let segment = &self.segments[ord];
                let mut postings = segment
                    .paths
                    .read_postings_from_terminfo(&info, IndexRecordOption::Basic)?;
                let mut doc = postings.doc();
                while doc != TERMINATED {
                    if let Some(entry) = segment.record(ord as u32, doc) {
                        record = Some(entry);
                        break;
                    }
                    doc = postings.advance();
                }
                if record.is_some() {
                    break;
                }
            }
            // A path whose documents are all deleted, or statements whose
            // record is gone, is no file of the index.
            let Some(entry) = record else {
                continue;
            };
            let path = String::from_utf8_lossy(merged.key());
            if visit(&path, entry).is_break() {
                break;
            }
        }
        Ok(())
    }

    /// The content hash recorded for the file whose record is at `record`.
    pub(super) fn fingerprint(&self, record: DocAddress) -> Option<String> {
        let column = self
            .segments
            .get(record.segment_ord as usize)?
            .fingerprint
            .as_ref()?;
        let ord = column.term_ords(record.doc_id).next()?;
        ord_text(column, ord).ok()
    }
}

impl SegmentRecords {
    fn open(reader: &SegmentReader, f: &Fields) -> tantivy::Result<SegmentRecords> {
        let kind = reader.str_column(f.kind)?;
        let ord_of = |name: &str| {
            kind.as_ref()
                .and_then(|k| k.dictionary().term_ord(name).ok().flatten())
        };
        Ok(SegmentRecords {
            paths: reader.inverted_index(f.path)?,
            alive: reader.alive_bitset().cloned(),
            page_ord: ord_of(KIND_PAGE),
            skipped_ord: ord_of(KIND_SKIPPED),
            kind,
            fingerprint: reader.str_column(f.fingerprint)?,
            size: reader.u64_column(f.size)?,
            mtime: reader.u64_column(f.mtime)?,
        })
    }

    /// The entry of `doc` if it is a live record document.
    fn record(&self, segment_ord: u32, doc: u32) -> Option<Entry> {
        if self.alive.as_ref().is_some_and(|a| a.is_deleted(doc)) {
            return None;
        }
        let kind = self.kind.as_ref()?.term_ords(doc).next();
        let skipped = match kind {
            k if k.is_some() && k == self.page_ord => false,
            k if k.is_some() && k == self.skipped_ord => true,
            _ => return None,
        };
        Some(Entry {
            size: self.size.first(doc).unwrap_or(0),
            mtime_ns: self.mtime.first(doc).unwrap_or(0),
            skipped,
            record: DocAddress::new(segment_ord, doc),
        })
    }
}
