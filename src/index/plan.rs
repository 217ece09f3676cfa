//! What a run will do before it touches anything: update the live
//! generation or build a new one (and why), read every file again or only
//! what changed, or refuse; and how a generation and its writer are set up.

use std::path::{Path, PathBuf};

use tantivy::indexer::IndexWriterOptions;
use tantivy::store::{Compressor, ZstdCompressor};
use tantivy::{Index, IndexSettings};

use super::directory::IndexDirectory;
use super::store::{self, Presence};
use super::{IndexError, Provenance, FORMAT_VERSION};
use crate::schema::IndexSchema;

/// What a run under the writer lock does.
#[derive(Debug, PartialEq, Eq)]
pub(super) struct Plan {
    /// `None`: the live generation is updated in place.
    pub rebuild: Option<Rebuild>,
    /// The index was filled by another parser: no file counts as unchanged.
    pub reread: bool,
}

/// What this run asks for: the schema and parser of this build, the corpus
/// folder given (or recorded), and whether `--full` was given.
pub(super) struct Wanted<'a> {
    pub schema: &'a str,
    pub parser: &'a str,
    pub corpus_root: &'a Path,
    pub full: bool,
}

impl Plan {
    /// Decides from the live generation (`live`: whether there is one) and
    /// its provenance. An update of an index made from another corpus folder
    /// is refused: the user names a folder by mistake far more often than
    /// they mean to swap the corpus (`--full` does that).
    pub(super) fn decide(
        live: bool,
        provenance: Option<&Provenance>,
        wanted: &Wanted,
        dir: &Path,
    ) -> Result<Plan, IndexError> {
        let rebuild = Rebuild::needed(live, provenance, wanted);
        if rebuild.is_some() {
            return Ok(Plan {
                rebuild,
                reread: false,
            });
        }
        if let Some(indexed) = provenance.and_then(|r| r.corpus_root.as_ref()) {
            if indexed != wanted.corpus_root {
                return Err(IndexError::OtherCorpus {
                    dir: dir.to_path_buf(),
                    indexed: indexed.clone(),
                    given: wanted.corpus_root.to_path_buf(),
                });
            }
        }
        // Another parser may read the same bytes differently: every file is
        // read again, in an ordinary update (one commit, under the lock).
        Ok(Plan {
            rebuild: None,
            reread: provenance.is_some_and(|r| r.parser != wanted.parser),
        })
    }
}

/// Why a run builds a new generation rather than updating the live one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Rebuild {
    New,
    Full,
    OtherSchema,
}

impl Rebuild {
    /// `None`: the live generation is updated.
    fn needed(live: bool, provenance: Option<&Provenance>, wanted: &Wanted) -> Option<Rebuild> {
        match provenance {
            _ if !live => Some(Rebuild::New),
            Some(r) if r.schema == wanted.schema && r.format == FORMAT_VERSION => {
                wanted.full.then_some(Rebuild::Full)
            }
            _ => Some(Rebuild::OtherSchema),
        }
    }

    /// As [`BuildSummary::rebuilt`] words it.
    pub(super) fn reason(self) -> &'static str {
        match self {
            Rebuild::New => "new index",
            Rebuild::Full => "--full",
            Rebuild::OtherSchema => "schema changed",
        }
    }
}

/// The live generation, opened, if there is one.
pub(super) fn open_live(dir: &Path) -> Result<Option<(PathBuf, Index)>, IndexError> {
    if store::presence(dir) != Presence::Index {
        return Ok(None);
    }
    let generation = store::current_generation(dir)?;
    let tantivy_err = IndexError::tantivy_at(&generation);
    let directory = IndexDirectory::open(&generation).map_err(|e| tantivy_err(e.into()))?;
    let index = Index::open(directory).map_err(tantivy_err)?;
    Ok(Some((generation, index)))
}

pub(super) fn create(generation: &Path, schema: &IndexSchema) -> Result<Index, IndexError> {
    let tantivy_err = IndexError::tantivy_at(generation);
    let directory = IndexDirectory::open(generation).map_err(|e| tantivy_err(e.into()))?;
    Index::create(directory, schema.schema.clone(), index_settings()).map_err(tantivy_err)
}

/// The document store is compressed with zstd in 16 KB blocks instead of
/// tantivy's lz4, which left the index larger than the raw pages (1.01× at
/// 20,000 pages). Level 1, not 6: level 6's match search was 11% of a build's
/// CPU, and level 1 builds in 0.89× the time and 0.88× the CPU for an index
/// 5% larger (179 against 171 MB at 20,000 pages, 0.68× the pages), with
/// queries no slower (decompression costs the same at either level). Each hit
/// shown decompresses one block; 16 KB blocks kept that to about 0.3 ms a
/// query, where 64 KB blocks cost 1.3 ms (BENCHMARKS.md, "Build" and
/// "Index size").
fn index_settings() -> IndexSettings {
    IndexSettings {
        docstore_compression: Compressor::Zstd(ZstdCompressor {
            compression_level: Some(1),
        }),
        docstore_blocksize: 16 * 1024,
        ..IndexSettings::default()
    }
}

/// The final merge adds no documents: tantivy's smallest writer budget will do.
pub(super) const MERGE_WRITER_MEMORY: usize = 15_000_000;

/// tantivy's `Index::writer` split of `memory` among up to one indexing thread
/// per core (none given less than its 15 MB minimum), with one merge thread
/// instead of its four: each merge holds state for every document it writes,
/// and four at once held the heap of a million-page build above 340 MB
/// (docs/benchmarks-history.md, "A million pages").
pub(super) fn writer_options(memory: usize) -> IndexWriterOptions {
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let threads = writer_threads(memory, cores);
    IndexWriterOptions::builder()
        .num_worker_threads(threads)
        .memory_budget_per_thread(memory / threads)
        .num_merge_threads(1)
        .build()
}

/// One indexing thread per core, at most 8, none with less than tantivy's
/// minimum of 15 MB, and always one.
fn writer_threads(memory: usize, cores: usize) -> usize {
    const MIN_PER_THREAD: usize = MERGE_WRITER_MEMORY;
    cores.min(8).min(memory / MIN_PER_THREAD).max(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn provenance(schema: &str, parser: &str, root: &str) -> Provenance {
        Provenance {
            format: FORMAT_VERSION,
            schema: schema.to_string(),
            parser: parser.to_string(),
            corpus_root: Some(PathBuf::from(root)),
            updated_at: 0,
            distinct_segments: Vec::new(),
        }
    }

    fn decide(
        live: bool,
        provenance: Option<&Provenance>,
        full: bool,
        root: &str,
    ) -> Result<Plan, IndexError> {
        let wanted = Wanted {
            schema: "schema-1",
            parser: "parser-1",
            corpus_root: Path::new(root),
            full,
        };
        Plan::decide(live, provenance, &wanted, Path::new("/idx"))
    }

    fn plan(rebuild: Option<Rebuild>, reread: bool) -> Plan {
        Plan { rebuild, reread }
    }

    #[test]
    fn the_same_schema_parser_and_corpus_update_in_place() {
        let same = provenance("schema-1", "parser-1", "/corpus");
        assert_eq!(
            decide(true, Some(&same), false, "/corpus").unwrap(),
            plan(None, false)
        );
    }

    #[test]
    fn a_new_index_full_and_another_schema_or_format_rebuild() {
        let same = provenance("schema-1", "parser-1", "/corpus");
        assert_eq!(
            decide(false, None, false, "/corpus").unwrap(),
            plan(Some(Rebuild::New), false)
        );
        assert_eq!(
            decide(true, Some(&same), true, "/corpus").unwrap(),
            plan(Some(Rebuild::Full), false)
        );
        let other = provenance("schema-0", "parser-1", "/corpus");
        assert_eq!(
            decide(true, Some(&other), false, "/corpus").unwrap(),
            plan(Some(Rebuild::OtherSchema), false)
        );
        let older = Provenance {
            format: FORMAT_VERSION - 1,
            ..same.clone()
        };
        assert_eq!(
            decide(true, Some(&older), false, "/corpus").unwrap(),
            plan(Some(Rebuild::OtherSchema), false)
        );
        // A live generation with no provenance is not one of ours to update.
        assert_eq!(
            decide(true, None, false, "/corpus").unwrap(),
            plan(Some(Rebuild::OtherSchema), false)
        );
    }

    #[test]
    fn another_corpus_is_refused_unless_the_index_is_rebuilt() {
        let same = provenance("schema-1", "parser-1", "/corpus");
        let refused = decide(true, Some(&same), false, "/elsewhere");
        assert!(
            matches!(&refused, Err(IndexError::OtherCorpus { indexed, given, .. })
                if indexed == Path::new("/corpus") && given == Path::new("/elsewhere")),
            "{refused:?}"
        );
        assert_eq!(
            decide(true, Some(&same), true, "/elsewhere").unwrap(),
            plan(Some(Rebuild::Full), false)
        );
    }

    #[test]
    fn another_parser_reads_every_file_again_in_an_update() {
        let other = provenance("schema-1", "parser-0", "/corpus");
        assert_eq!(
            decide(true, Some(&other), false, "/corpus").unwrap(),
            plan(None, true)
        );
        // A rebuild reads every file anyway.
        assert_eq!(
            decide(true, Some(&other), true, "/corpus").unwrap(),
            plan(Some(Rebuild::Full), false)
        );
    }

    #[test]
    fn the_writer_memory_is_split_among_threads_of_at_least_15_mb() {
        assert_eq!(writer_threads(MERGE_WRITER_MEMORY, 2), 1);
        assert_eq!(writer_threads(MERGE_WRITER_MEMORY - 1, 2), 1);
        assert_eq!(writer_threads(100_000_000, 2), 2);
        assert_eq!(writer_threads(100_000_000, 16), 6);
        assert_eq!(writer_threads(1_000_000_000, 64), 8);
    }
}
