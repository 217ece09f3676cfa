//! `citeindex export`: the indexed statements as documents for a search
//! cluster, for users who outgrow one machine.
//!
//! Every live statement document (copies saved in several files included:
//! they are different files) becomes one [`ExportDoc`], read from the stored
//! fields in index order. Its `id` hashes the file's path and the statement's
//! position, so exporting again after an update overwrites the same
//! documents instead of adding new ones. Three formats:
//!
//! - `ndjson`: the documents, one JSON object a line;
//! - `quickwit`: the documents plus an index config whose doc mapping mirrors
//!   `index-schema/` ([`quickwit`]);
//! - `elasticsearch` (also OpenSearch): a mapping with settings, and `_bulk`
//!   request bodies with an action line before each document
//!   ([`elasticsearch`]).

pub(crate) mod elasticsearch;
pub(crate) mod quickwit;

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use serde::Serialize;
use tantivy::TantivyDocument;

use crate::index::{record_query, OpenIndex, PaperLookup, StoredStatement};
use crate::schema::KIND_STATEMENT;

/// One statement as exported: a stable id, then the index's stored fields
/// under the index's names ([`StoredStatement`] serialises under them).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ExportDoc {
    pub id: String,
    #[serde(flatten)]
    pub statement: StoredStatement,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Format {
    Ndjson,
    Quickwit,
    Elasticsearch,
}

#[derive(Debug, thiserror::Error)]
pub(crate) enum ExportError {
    #[error("reading the index failed: {0}")]
    Tantivy(#[from] tantivy::TantivyError),
    #[error("cannot write {0}: {1}")]
    Write(PathBuf, std::io::Error),
}

/// What an export wrote.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Written {
    pub documents: u64,
    pub files: Vec<PathBuf>,
}

/// Calls `each` with every live statement of the index.
pub(crate) fn for_each_doc(
    open: &OpenIndex,
    each: &mut dyn FnMut(ExportDoc) -> Result<(), ExportError>,
) -> Result<(), ExportError> {
    let searcher = open.reader.searcher();
    let f = &open.schema.fields;
    let mut papers = PaperLookup::new(&searcher, f);
    for reader in searcher.segment_readers() {
        // Sequential reads of the document store: each block is decompressed once.
        let store = reader
            .get_store_reader(64)
            .map_err(tantivy::TantivyError::from)?;
        for doc in store.iter::<TantivyDocument>(reader.alive_bitset()) {
            let doc = doc?;
            let Some(stored) = StoredStatement::read(&doc, f, &mut papers)? else {
                continue;
            };
            each(ExportDoc {
                id: document_id(&stored.path, stored.position),
                statement: stored,
            })?;
        }
    }
    Ok(())
}

/// Calls `each` with the live statements of the files at `paths` (stored
/// paths), file by file: for a few files, cheaper than a pass over them all.
pub(crate) fn for_each_doc_of(
    open: &OpenIndex,
    paths: &[&str],
    each: &mut dyn FnMut(ExportDoc) -> Result<(), ExportError>,
) -> Result<(), ExportError> {
    let searcher = open.reader.searcher();
    let f = &open.schema.fields;
    let mut papers = PaperLookup::new(&searcher, f);
    for path in paths {
        let query = record_query(f, path, KIND_STATEMENT);
        let mut found: Vec<_> = searcher
            .search(query.as_ref(), &tantivy::collector::DocSetCollector)?
            .into_iter()
            .collect();
        found.sort();
        for addr in found {
            let doc: TantivyDocument = searcher.doc(addr)?;
            if let Some(stored) = StoredStatement::read(&doc, f, &mut papers)? {
                each(ExportDoc {
                    id: document_id(&stored.path, stored.position),
                    statement: stored,
                })?;
            }
        }
    }
    Ok(())
}

/// A stable id: the same file and statement number give the same id in every export.
pub(crate) fn document_id(path: &str, position: Option<u64>) -> String {
    let mut hasher = blake3::Hasher::new();
    hasher.update(path.as_bytes());
    hasher.update(&[0]);
    hasher.update(&position.unwrap_or(0).to_le_bytes());
    hasher.finalize().to_hex()[..20].to_string()
}

/// Exports into `out` (a folder), or for `ndjson` without a folder to `stdout`.
pub(crate) fn export(
    open: &OpenIndex,
    format: Format,
    out: Option<&Path>,
    index_name: &str,
    stdout: &mut dyn Write,
) -> Result<Written, ExportError> {
    if let Some(dir) = out {
        std::fs::create_dir_all(dir).map_err(|e| ExportError::Write(dir.to_path_buf(), e))?;
    }
    match (format, out) {
        (Format::Ndjson, None) => {
            let mut written = Written::default();
            write_ndjson(open, stdout, Path::new("stdout"), &mut written)?;
            Ok(written)
        }
        (Format::Ndjson, Some(dir)) => {
            let path = dir.join("statements.ndjson");
            let mut written = Written::default();
            let mut file = create(&path)?;
            write_ndjson(open, &mut file, &path, &mut written)?;
            finish(file, &path)?;
            written.files.push(path);
            Ok(written)
        }
        (Format::Quickwit, dir) => {
            quickwit::export(open, dir.unwrap_or(Path::new(".")), index_name)
        }
        (Format::Elasticsearch, dir) => {
            elasticsearch::export(open, dir.unwrap_or(Path::new(".")), index_name)
        }
    }
}

fn write_ndjson(
    open: &OpenIndex,
    out: &mut dyn Write,
    path: &Path,
    written: &mut Written,
) -> Result<(), ExportError> {
    for_each_doc(open, &mut |doc| {
        json_line(out, &doc, path)?;
        written.documents += 1;
        Ok(())
    })
}

pub(crate) fn create(path: &Path) -> Result<BufWriter<File>, ExportError> {
    File::create(path)
        .map(|f| BufWriter::with_capacity(1 << 20, f))
        .map_err(|e| ExportError::Write(path.to_path_buf(), e))
}

pub(crate) fn finish(file: BufWriter<File>, path: &Path) -> Result<(), ExportError> {
    let file = file
        .into_inner()
        .map_err(|e| ExportError::Write(path.to_path_buf(), e.into_error()))?;
    file.sync_all()
        .map_err(|e| ExportError::Write(path.to_path_buf(), e))
}

pub(crate) fn json_line<T: Serialize>(
    out: &mut dyn Write,
    value: &T,
    path: &Path,
) -> Result<(), ExportError> {
    let io = |e: std::io::Error| ExportError::Write(path.to_path_buf(), e);
    serde_json::to_writer(&mut *out, value).map_err(|e| io(e.into()))?;
    out.write_all(b"\n").map_err(io)
}

#[cfg(test)]
mod tests {
    use super::document_id;

    #[test]
    fn ids_are_stable_and_distinct() {
        assert_eq!(document_id("a.txt", Some(1)), document_id("a.txt", Some(1)));
        assert_ne!(document_id("a.txt", Some(1)), document_id("a.txt", Some(2)));
        assert_ne!(document_id("a.txt", Some(1)), document_id("b.txt", Some(1)));
        assert_eq!(document_id("a.txt", Some(1)).len(), 20);
    }
}
