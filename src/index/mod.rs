//! The on-disk index: opening it, checking that it was built under this
//! binary's schema, and the provenance each commit carries.
//!
//! Every commit stores a [`Provenance`] as tantivy's commit payload, so what
//! says which schema, parser and corpus built the index is written in the
//! same atomic step as the documents it describes. Nothing here parses pages.

mod bits_cache;
mod commit;
mod compare;
mod directory;
mod distinct;
mod documents;
pub(crate) mod facet_code;
mod manifest;
mod merges;
mod plan;
mod root_path;
pub mod store;
mod triage;
mod writer;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::{Deserialize, Serialize};
use tantivy::{Index, IndexReader, ReloadPolicy};

use crate::schema::IndexSchema;
use directory::IndexDirectory;
use store::Presence;

pub use bits_cache::{Bits, BitsCache};
pub use documents::{
    dedup_key, kind_query, page_documents, page_summary, read_summary, record_query, FileRecord,
    PaperLookup, PaperValues, StoredStatement,
};
pub use writer::{
    build, megabytes, BuildEvent, BuildOptions, BuildSummary, DEFAULT_MAX_FILE_SIZE,
    DEFAULT_WRITER_MEMORY_MB,
};

/// Bumped when the meaning of the documents changes in a way the schema file
/// does not show. 4: a page document indexes its paper's DOI (for `check`).
pub const FORMAT_VERSION: u32 = 4;

/// The parser that fills an index, fingerprinted from its sources at build
/// time (`build.rs`). An update under another parser reads every file again.
pub const PARSER_FINGERPRINT: &str = env!("CITEINDEX_PARSER_FINGERPRINT");

/// What filled an index (format, schema, parser, corpus, time), stored in
/// each commit's payload. (A file's *record* is another thing: the document
/// that says what the index holds for that file.)
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Provenance {
    pub format: u32,
    /// [`IndexSchema::fingerprint`] of the schema that built the index.
    pub schema: String,
    /// [`PARSER_FINGERPRINT`] of the parser whose pages the index holds;
    /// empty in indexes made before it was recorded.
    #[serde(default)]
    pub parser: String,
    /// The corpus folder, absolute, that the index was built from.
    #[serde(with = "root_path", default)]
    pub corpus_root: Option<PathBuf>,
    /// Seconds since the epoch of the last commit.
    pub updated_at: u64,
    /// Segments whose statements' dedup keys a first build checked distinct,
    /// within and across them (`distinct`); a segment merged since is no
    /// longer among the index's, and so no longer counts.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub distinct_segments: Vec<String>,
}

#[derive(Debug, thiserror::Error)]
pub enum IndexError {
    #[error("no index at {0}: run 'citeindex index DIR' first")]
    Missing(PathBuf),
    #[error(
        "no index at {0} yet: a first 'citeindex index' is still running there, or died before \
         it finished; run 'citeindex index DIR' (again)"
    )]
    Unfinished(PathBuf),
    #[error("{0} is not a citeindex index ({1}); refusing to touch it")]
    NotAnIndex(PathBuf, String),
    #[error(
        "the index at {dir} was built under another schema ({found}, this citeindex uses {expected}): \
         run 'citeindex index' to rebuild it"
    )]
    SchemaMismatch {
        dir: PathBuf,
        found: String,
        expected: String,
    },
    #[error(
        "the index at {dir} holds the corpus {indexed}, not {given}: pass --full to rebuild it \
         from {given}, or choose another --index"
    )]
    OtherCorpus {
        dir: PathBuf,
        indexed: PathBuf,
        given: PathBuf,
    },
    #[error("no corpus folder given and none recorded in the index at {0}: name one, as in 'citeindex index DIR'")]
    NoCorpus(PathBuf),
    #[error("another citeindex process is updating the index at {0}; try again when it is done")]
    Locked(PathBuf),
    #[error("the index at {dir}: {source}")]
    Tantivy {
        dir: PathBuf,
        #[source]
        source: tantivy::TantivyError,
    },
    #[error(transparent)]
    Schema(#[from] crate::schema::SchemaError),
    #[error("{what} {path}: {source}")]
    Io {
        what: &'static str,
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
}

impl IndexError {
    /// Turns tantivy's errors about the index at `dir` into ours, for `map_err`.
    pub fn tantivy_at(dir: &Path) -> impl Fn(tantivy::TantivyError) -> IndexError + Copy + '_ {
        move |source| IndexError::Tantivy {
            dir: dir.to_path_buf(),
            source,
        }
    }
}

/// An index opened for reading: the live generation with a reader on its last
/// commit, its schema and its provenance.
pub struct OpenIndex {
    pub dir: PathBuf,
    /// The generation folder opened (it may since have been replaced).
    pub generation: PathBuf,
    pub index: Index,
    /// Opened with the index: from here on, the commit's files are held open
    /// and a writer swapping or cleaning generations cannot pull them away.
    pub reader: IndexReader,
    pub schema: IndexSchema,
    pub provenance: Provenance,
    /// Filters' documents kept between queries (`serve` answers many under
    /// the same few), shared with later snapshots of the same index: a
    /// segment's documents never change, so its entries stay true.
    pub bits: Arc<BitsCache>,
}

/// Opens an existing index for queries, refusing one built under another schema.
pub fn open(dir: &Path) -> Result<OpenIndex, IndexError> {
    match store::presence(dir) {
        Presence::Absent => return Err(IndexError::Missing(dir.to_path_buf())),
        Presence::Unfinished => return Err(IndexError::Unfinished(dir.to_path_buf())),
        Presence::Foreign(why) => return Err(IndexError::NotAnIndex(dir.to_path_buf(), why)),
        Presence::Index => {}
    }
    let schema = IndexSchema::builtin()?;
    // A full rebuild may swap `CURRENT` and remove the generation we just read
    // the name of: whatever fails then is retried on the new name.
    let mut attempts = 0;
    let (generation, index, reader, provenance) = loop {
        let generation = store::current_generation(dir)?;
        match open_generation(&generation) {
            Ok((index, reader, provenance)) => break (generation, index, reader, provenance),
            Err(_) if attempts < 5 && store::current_generation(dir)? != generation => {
                attempts += 1;
            }
            Err(source) => {
                return Err(IndexError::Tantivy {
                    dir: generation,
                    source,
                })
            }
        }
    };
    let provenance = provenance.ok_or_else(|| {
        IndexError::NotAnIndex(
            generation.clone(),
            "its commits carry no citeindex record".to_string(),
        )
    })?;
    if provenance.schema != schema.fingerprint || provenance.format != FORMAT_VERSION {
        return Err(IndexError::SchemaMismatch {
            dir: dir.to_path_buf(),
            found: format!("{} v{}", provenance.schema, provenance.format),
            expected: format!("{} v{}", schema.fingerprint, FORMAT_VERSION),
        });
    }
    Ok(OpenIndex {
        dir: dir.to_path_buf(),
        generation,
        index,
        reader,
        schema,
        provenance,
        bits: Arc::default(),
    })
}

/// Opens one generation with a reader on its last commit, and that commit's provenance.
fn open_generation(generation: &Path) -> tantivy::Result<(Index, IndexReader, Option<Provenance>)> {
    let index = Index::open(IndexDirectory::open(generation)?)?;
    crate::analysis::register_tokenizers(index.tokenizers());
    // The provenance before the reader: should the generation vanish in between,
    // opening the reader fails and the caller tries the new generation.
    let provenance = index
        .load_metas()?
        .payload
        .and_then(|p| serde_json::from_str(&p).ok());
    let reader = fixed_reader(&index)?;
    Ok((index, reader, provenance))
}

/// A reader on the index's last commit that moves to a newer one only when
/// told to (`reload`): what it reads does not change under a caller.
pub(crate) fn fixed_reader(index: &Index) -> tantivy::Result<IndexReader> {
    index
        .reader_builder()
        .reload_policy(ReloadPolicy::Manual)
        .try_into()
}

/// What filled the index, from its last commit's payload, if it has one.
pub fn read_provenance(index: &Index) -> Option<Provenance> {
    let payload = index.load_metas().ok()?.payload?;
    let mut provenance: Provenance = serde_json::from_str(&payload).ok()?;
    // A root recorded in Windows' verbatim form (`\\?\C:\…`, as an early
    // Windows build wrote it) reads as the plain path it names.
    provenance.corpus_root = provenance
        .corpus_root
        .map(|root| dunce::simplified(&root).to_path_buf());
    Some(provenance)
}
