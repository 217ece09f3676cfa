//! Building the index from a corpus folder.
//!
//! Files are read and parsed in parallel (rayon) and their documents go
//! straight to one tantivy writer; nothing is committed until every file has
//! been handled, so a run that dies leaves the previous commit untouched. The
//! builder reports what it skips through a callback and never prints: the
//! command layer decides what the user sees.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use rayon::prelude::*;
use tantivy::directory::MmapDirectory;
use tantivy::{Index, IndexWriter, TantivyDocument};

use super::documents::{page_documents, FileRecord};
use super::{presence, read_record, IndexError, IndexRecord, Presence, FORMAT_VERSION};
use crate::crawl::{self, describe_io, FoundFile};
use crate::page;
use crate::schema::IndexSchema;

/// Files larger than this are skipped unless `--max-file-size` says otherwise:
/// a saved report page is rarely over a megabyte.
pub const DEFAULT_MAX_FILE_SIZE: u64 = 64 * 1024 * 1024;

#[derive(Debug, Clone)]
pub struct BuildOptions {
    /// The corpus folder (or one file). `None`: the folder the index was built from.
    pub corpus: Option<PathBuf>,
    pub index_dir: PathBuf,
    pub max_file_size: u64,
    /// Rebuild from nothing, even from another corpus folder.
    pub full: bool,
    /// Memory for tantivy's writer, in bytes, shared by its threads.
    pub writer_memory: usize,
}

impl BuildOptions {
    pub fn new(corpus: Option<PathBuf>, index_dir: PathBuf) -> BuildOptions {
        BuildOptions {
            corpus,
            index_dir,
            max_file_size: DEFAULT_MAX_FILE_SIZE,
            full: false,
            writer_memory: 200_000_000,
        }
    }
}

/// What happened to the files of one run, for the summary line.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct BuildSummary {
    pub pages: u64,
    pub statements: u64,
    pub skipped: u64,
    pub elapsed: Duration,
    pub corpus_root: PathBuf,
}

/// Something the user should hear about while the index is built.
#[derive(Debug, Clone, PartialEq)]
pub enum BuildEvent<'a> {
    /// The file was not indexed.
    Skipped { path: &'a Path, reason: &'a str },
    /// The file was indexed, but the parser had to work around something.
    PageWarning { path: &'a Path, warning: &'a str },
    /// A decision the builder took (a rebuild, say).
    Notice(&'a str),
}

/// Indexes the corpus, replacing what the index held. The new state becomes
/// visible in one commit.
pub fn build(
    options: &BuildOptions,
    report: &(dyn Fn(BuildEvent<'_>) + Sync),
) -> Result<BuildSummary, IndexError> {
    let started = Instant::now();
    let schema = IndexSchema::builtin()?;
    let dir = &options.index_dir;
    let io_err = |what, path: &Path| {
        let path = path.to_path_buf();
        move |source| IndexError::Io { what, path, source }
    };

    let (index, previous) = match presence(dir) {
        Presence::Foreign(why) => return Err(IndexError::NotAnIndex(dir.clone(), why)),
        Presence::Absent => {
            std::fs::create_dir_all(dir).map_err(io_err("cannot create the index folder", dir))?;
            (create(dir, &schema)?, None)
        }
        Presence::Index => {
            let index = open_for_writing(dir)?;
            match read_record(&index) {
                Some(r) if r.schema == schema.fingerprint && r.format == FORMAT_VERSION => {
                    (index, Some(r))
                }
                _ => {
                    report(BuildEvent::Notice(
                        "the index was built under another schema: rebuilding it from scratch",
                    ));
                    drop(index);
                    (recreate(dir, &schema)?, None)
                }
            }
        }
    };
    schema.register_tokenizers(&index);

    let corpus = match (
        &options.corpus,
        previous.as_ref().and_then(|r| r.corpus_root.clone()),
    ) {
        (Some(c), _) => c.clone(),
        (None, Some(root)) => root,
        (None, None) => {
            return Err(IndexError::Io {
                what: "no corpus folder given and none recorded in the index at",
                path: dir.clone(),
                source: std::io::Error::other("name one: citeindex index DIR"),
            })
        }
    };
    let corpus_root = corpus
        .canonicalize()
        .map_err(io_err("cannot read the corpus", &corpus))?;
    if let Some(old_root) = previous.as_ref().and_then(|r| r.corpus_root.as_ref()) {
        if old_root != &corpus_root && !options.full {
            return Err(IndexError::OtherCorpus {
                dir: dir.clone(),
                indexed: old_root.clone(),
                given: corpus_root,
            });
        }
    }

    let mut writer: IndexWriter<TantivyDocument> =
        index.writer(options.writer_memory).map_err(|e| match e {
            tantivy::TantivyError::LockFailure(..) => IndexError::Locked(dir.clone()),
            source => IndexError::Tantivy {
                dir: dir.clone(),
                source,
            },
        })?;
    let tantivy_err = |source| IndexError::Tantivy {
        dir: dir.clone(),
        source,
    };
    writer.delete_all_documents().map_err(tantivy_err)?;

    // Walk the folder as the user named it, so that warnings show their paths.
    let listing = crawl::list(&corpus, Some(dir));
    for skip in &listing.skipped {
        report(BuildEvent::Skipped {
            path: &skip.path,
            reason: &skip.reason,
        });
    }
    let pages = AtomicU64::new(0);
    let statements = AtomicU64::new(0);
    let skipped = AtomicU64::new(listing.skipped.len() as u64);
    let fields = schema.fields;
    let failure: std::sync::Mutex<Option<tantivy::TantivyError>> = Default::default();
    listing.files.par_iter().for_each(|file| {
        let outcome = read_and_parse(file, options.max_file_size);
        match outcome {
            Err(reason) => {
                skipped.fetch_add(1, Ordering::Relaxed);
                report(BuildEvent::Skipped {
                    path: &file.path,
                    reason: &reason,
                });
            }
            Ok((page, fingerprint)) => {
                for warning in &page.warnings {
                    report(BuildEvent::PageWarning {
                        path: &file.path,
                        warning,
                    });
                }
                let record = FileRecord {
                    path: relative_path(&corpus, &file.path),
                    size: file.size,
                    mtime_ns: file.mtime_ns,
                    fingerprint,
                };
                for doc in page_documents(&page, &record, &fields) {
                    if let Err(e) = writer.add_document(doc) {
                        if let Ok(mut first) = failure.lock() {
                            first.get_or_insert(e);
                        }
                        return;
                    }
                }
                pages.fetch_add(1, Ordering::Relaxed);
                statements.fetch_add(page.statements.len() as u64, Ordering::Relaxed);
            }
        }
    });
    if let Some(e) = failure.into_inner().ok().flatten() {
        return Err(tantivy_err(e));
    }

    let record = IndexRecord {
        format: FORMAT_VERSION,
        schema: schema.fingerprint.clone(),
        corpus_root: Some(corpus_root.clone()),
        updated_at: std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs()),
    };
    let payload = serde_json::to_string(&record).unwrap_or_default();
    let mut prepared = writer.prepare_commit().map_err(tantivy_err)?;
    prepared.set_payload(&payload);
    prepared.commit().map_err(tantivy_err)?;
    writer.wait_merging_threads().map_err(tantivy_err)?;

    Ok(BuildSummary {
        pages: pages.into_inner(),
        statements: statements.into_inner(),
        skipped: skipped.into_inner(),
        elapsed: started.elapsed(),
        corpus_root,
    })
}

fn create(dir: &Path, schema: &IndexSchema) -> Result<Index, IndexError> {
    let directory = MmapDirectory::open(dir).map_err(|e| IndexError::Tantivy {
        dir: dir.to_path_buf(),
        source: e.into(),
    })?;
    Index::create(directory, schema.schema.clone(), Default::default()).map_err(|source| {
        IndexError::Tantivy {
            dir: dir.to_path_buf(),
            source,
        }
    })
}

fn open_for_writing(dir: &Path) -> Result<Index, IndexError> {
    Index::open_in_dir(dir).map_err(|source| IndexError::Tantivy {
        dir: dir.to_path_buf(),
        source,
    })
}

/// Replaces an index built under another schema. Only a folder that holds a
/// tantivy index reaches here, so nothing the user keeps there is lost.
fn recreate(dir: &Path, schema: &IndexSchema) -> Result<Index, IndexError> {
    let io = |source| IndexError::Io {
        what: "cannot clear the old index",
        path: dir.to_path_buf(),
        source,
    };
    std::fs::remove_dir_all(dir).map_err(io)?;
    std::fs::create_dir_all(dir).map_err(io)?;
    create(dir, schema)
}

/// Reads one file within the size limit, fingerprints it and parses it. The
/// error is a reason worded for the user.
fn read_and_parse(file: &FoundFile, max_size: u64) -> Result<(page::Page, String), String> {
    if file.size > max_size {
        return Err(format!(
            "{} bytes, over the {} byte limit (raise it with --max-file-size)",
            file.size, max_size
        ));
    }
    let handle = std::fs::File::open(&file.path).map_err(|e| describe_io(&e))?;
    let mut bytes = Vec::with_capacity(file.size as usize);
    handle
        .take(max_size + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| describe_io(&e))?;
    if bytes.len() as u64 > max_size {
        return Err(format!(
            "grew past the {max_size} byte limit while it was read"
        ));
    }
    let fingerprint = blake3::hash(&bytes).to_hex().to_string();
    let page = page::parse_bytes(&file.path, &bytes).map_err(|e| e.to_string())?;
    Ok((page, fingerprint))
}

/// The path as the index stores it: relative to the corpus root, `/`-separated.
pub fn relative_path(root: &Path, path: &Path) -> String {
    let rel = match path.strip_prefix(root) {
        Ok(rel) if !rel.as_os_str().is_empty() => rel,
        _ => path.file_name().map_or(path, Path::new),
    };
    rel.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_paths_use_slashes() {
        let root = Path::new("/corpus");
        assert_eq!(relative_path(root, Path::new("/corpus/a/b.txt")), "a/b.txt");
        assert_eq!(
            relative_path(Path::new("/corpus/b.txt"), Path::new("/corpus/b.txt")),
            "b.txt"
        );
    }
}
