//! Bringing the index up to date with a corpus folder.
//!
//! A run compares the folder with the index's manifest (the record documents'
//! size, modification time and content hash) and touches only what changed:
//! unchanged files are not opened, touched-but-identical files only get their
//! record refreshed, changed files have their documents replaced, vanished
//! files have them deleted. All of it lands in one tantivy commit, whose
//! payload records the schema and corpus, so the manifest can never drift
//! from the documents it describes. A full rebuild writes a new generation and
//! swaps it in (see [`super::store`]). Changed files are read and parsed in
//! parallel (rayon), their documents going straight to one tantivy writer.
//!
//! The decision comes from [`super::plan`], the comparison from
//! [`super::compare`], each file's verdict from [`super::triage`], and the
//! commits and merges from [`super::commit`]; this module runs them in order
//! and carries the verdicts out. It reports through a callback and never
//! prints: the command layer decides what the user sees.

use std::io::Read;
use std::ops::ControlFlow;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::mpsc::SyncSender;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use rayon::prelude::*;
use tantivy::collector::Count;
use tantivy::indexer::NoMergePolicy;

use tantivy::{Index, IndexReader, IndexWriter, Searcher, TantivyDocument, Term};

use super::commit::{commit_with, merge_all, record_distinct, segment_ids, still_distinct};
use super::compare::{compare, Comparison, Job, Step};
use super::documents::{
    kind_query, page_documents, record_query, skipped_document, with_new_times, FileRecord,
};
use super::manifest::{Entry, Manifest};
use super::merges::{CappedMerges, MAX_MERGED_DOCS};
use super::plan::{create, open_live, writer_options, Plan, Rebuild, Wanted};
use super::store::{self, Presence};
use super::triage::{triage, Prior, SummaryCount, Verdict};
use super::{read_provenance, IndexError, Provenance, FORMAT_VERSION, PARSER_FINGERPRINT};
use crate::crawl::{self, describe_io, FoundFile};
use crate::schema::{IndexSchema, KIND_PAGE, KIND_SKIPPED, KIND_STATEMENT};

/// Files larger than this are skipped unless `--max-file-size` says otherwise:
/// a saved report page is rarely over a megabyte.
pub const DEFAULT_MAX_FILE_SIZE: u64 = 64 * 1024 * 1024;

/// The index writer's default buffer memory, in MB. tantivy flushes a segment
/// whenever a thread's share fills, so this, not the corpus, bounds the heap.
pub const DEFAULT_WRITER_MEMORY_MB: u32 = 100;

/// `mb` megabytes, as the byte count tantivy's writer takes.
pub const fn megabytes(mb: u32) -> usize {
    mb as usize * 1_000_000
}

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
            writer_memory: megabytes(DEFAULT_WRITER_MEMORY_MB),
        }
    }
}

/// What one run did, for the summary line.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct BuildSummary {
    pub added: u64,
    pub changed: u64,
    pub removed: u64,
    pub unchanged: u64,
    pub skipped: u64,
    /// Files in saved pages' asset folders (`NAME_files/`), not read.
    pub assets: u64,
    /// What the index holds after the run.
    pub pages: u64,
    pub statements: u64,
    pub elapsed: Duration,
    /// Why the run rebuilt from scratch, if it did.
    pub rebuilt: Option<String>,
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
    /// The walk of this corpus folder starts (leaving out the index folder).
    Walking {
        corpus: &'a Path,
        index_dir: &'a Path,
    },
    /// A new, changed or touched file was handled; it held this many
    /// statements (0 if skipped).
    Read { statements: u64 },
    /// A file was found unchanged and not opened.
    Unchanged,
    /// All files are read; the commit and the merges that finish it start.
    Committing,
    /// A first build's segments are merged, this many of them, into as few
    /// as the merge cap allows.
    Merging { segments: usize },
}

type Report<'r> = &'r (dyn Fn(BuildEvent<'_>) + Sync);

/// Brings the index at `options.index_dir` up to date with the corpus.
pub fn build(options: &BuildOptions, report: Report<'_>) -> Result<BuildSummary, IndexError> {
    let started = Instant::now();
    let dir = &options.index_dir;
    let presence = store::presence(dir);
    if let Presence::Foreign(why) = presence {
        return Err(IndexError::NotAnIndex(dir.clone(), why));
    }
    // The corpus is checked before the index folder is touched, so that a
    // mistyped path leaves nothing behind.
    // (Read without the lock; should a concurrent writer be mid-swap, a named
    // corpus makes the error moot, and the locked part reads everything again.)
    let recorded_root = match (&presence, &options.corpus) {
        (Presence::Index, None) => open_live(dir)?
            .and_then(|(_, index)| read_provenance(&index))
            .and_then(|r| r.corpus_root),
        _ => None,
    };
    let corpus = match (&options.corpus, recorded_root) {
        (Some(c), _) => c.clone(),
        (None, Some(root)) => root,
        (None, None) => return Err(IndexError::NoCorpus(dir.clone())),
    };
    // Not `\\?\`-prefixed on Windows: the root is compared with the working
    // folder to show paths, and recorded for the next run.
    let corpus_root = dunce::canonicalize(&corpus).map_err(|source| IndexError::Io {
        what: "cannot read the corpus",
        path: corpus.clone(),
        source,
    })?;
    let created = !dir.exists();
    if presence == Presence::Absent {
        std::fs::create_dir_all(dir).map_err(|source| IndexError::Io {
            what: "cannot create the index folder",
            path: dir.clone(),
            source,
        })?;
    }
    let result = build_locked(options, report, &corpus, &corpus_root);
    let failed_alone = matches!(&result, Err(e) if !matches!(e, IndexError::Locked(_)));
    if failed_alone && presence == Presence::Absent {
        // Leave no half-made index folder behind: the next run starts afresh.
        // (Not when another writer holds the lock: the folder is its own now.)
        store::remove_leftovers(dir, created);
    }
    let mut summary = result?;
    summary.elapsed = started.elapsed();
    Ok(summary)
}

/// The part of [`build`] that runs under the writer lock.
fn build_locked(
    options: &BuildOptions,
    report: Report<'_>,
    corpus: &Path,
    corpus_root: &Path,
) -> Result<BuildSummary, IndexError> {
    let schema = IndexSchema::builtin()?;
    let dir = &options.index_dir;
    let _lock = store::lock(dir)?;
    store::collect_garbage(dir)?;

    // Read again under the lock: another writer may have swapped generations.
    let live = open_live(dir)?;
    let live_provenance = live.as_ref().and_then(|(_, index)| read_provenance(index));
    let wanted = Wanted {
        schema: &schema.fingerprint,
        parser: PARSER_FINGERPRINT,
        corpus_root,
        full: options.full,
    };
    let plan = Plan::decide(live.is_some(), live_provenance.as_ref(), &wanted, dir)?;
    if plan.rebuild == Some(Rebuild::OtherSchema) {
        report(BuildEvent::Notice(
            "the index was built under another schema: rebuilding it from scratch",
        ));
    }
    if plan.reread {
        report(BuildEvent::Notice(
            "the index was filled by another version of the parser: reading every file again",
        ));
    }
    let updater = Updater {
        schema: &schema,
        corpus,
        corpus_root,
        index_dir: dir,
        options,
        report,
        reread: plan.reread,
        distinct: live_provenance
            .as_ref()
            .map_or(&[], |p| p.distinct_segments.as_slice()),
    };
    let mut summary = match (plan.rebuild, live) {
        (None, Some((_, index))) => updater.update(&index)?,
        _ => updater.rebuild()?,
    };
    summary.rebuilt = plan.rebuild.map(|r| r.reason().to_string());
    Ok(summary)
}

/// Everything one update needs to know, shared by the worker threads.
struct Updater<'a> {
    schema: &'a IndexSchema,
    corpus: &'a Path,
    corpus_root: &'a Path,
    index_dir: &'a Path,
    options: &'a BuildOptions,
    report: Report<'a>,
    /// The index was filled by another parser: no file is unchanged.
    reread: bool,
    /// The segments the live commit names as checked distinct.
    distinct: &'a [String],
}

#[derive(Default)]
struct Counters {
    added: AtomicU64,
    changed: AtomicU64,
    unchanged: AtomicU64,
    skipped: AtomicU64,
    assets: AtomicU64,
}

impl Counters {
    fn add(&self, tally: SummaryCount) {
        let counter = match tally {
            SummaryCount::Added => &self.added,
            SummaryCount::Changed => &self.changed,
            SummaryCount::Unchanged => &self.unchanged,
            SummaryCount::Skipped => &self.skipped,
        };
        counter.fetch_add(1, Ordering::Relaxed);
    }
}

/// How many files the walk may run ahead of the parsers: enough to keep
/// them busy through a slow folder, few enough (about 250 bytes each) that
/// memory does not follow the corpus.
const WALK_AHEAD: usize = 4096;

/// Walks the folder and the manifest side by side, both sorted by stored
/// path: a file only in the walk is new, one only in the manifest is gone,
/// one in both is read again only if its size or time differ.
struct Comparer<'t, 'a> {
    updater: &'t Updater<'a>,
    writer: &'t IndexWriter<TantivyDocument>,
    counters: &'t Counters,
    /// Set when a parser failed: no more jobs are wanted.
    stop: &'t AtomicBool,
    jobs: SyncSender<Job>,
}

impl Comparer<'_, '_> {
    fn run(self, manifest: &Manifest) -> tantivy::Result<Comparison> {
        let updater = self.updater;
        let walk = crawl::walk(updater.corpus, Some(updater.index_dir));
        let mut out = Comparison::default();
        compare(walk, manifest, updater.reread, |step| {
            match step {
                Step::Read(file, entry) => return self.queue(file, entry, &mut out),
                Step::Unchanged(entry) => self.unchanged(&entry),
                Step::Removed(path, entry) => {
                    self.writer
                        .delete_term(Term::from_field_text(updater.schema.fields.path, path));
                    out.removed += 1;
                    out.removed_pages += u64::from(!entry.skipped);
                }
                Step::Skip(skip) => self.skip(&skip),
                Step::Assets(assets) => self.assets(&assets),
            }
            ControlFlow::Continue(())
        })?;
        Ok(out)
    }

    fn queue(
        &self,
        file: FoundFile,
        entry: Option<Entry>,
        out: &mut Comparison,
    ) -> ControlFlow<()> {
        if self.stop.load(Ordering::Relaxed) || self.jobs.send(Job { file, entry }).is_err() {
            return ControlFlow::Break(());
        }
        out.read += 1;
        ControlFlow::Continue(())
    }

    fn unchanged(&self, entry: &Entry) {
        let tally = if entry.skipped {
            SummaryCount::Skipped
        } else {
            SummaryCount::Unchanged
        };
        self.counters.add(tally);
        (self.updater.report)(BuildEvent::Unchanged);
    }

    /// A saved page's asset folder: counted, never read, no warning.
    fn assets(&self, assets: &crawl::Assets) {
        self.counters
            .assets
            .fetch_add(assets.files, Ordering::Relaxed);
    }

    fn skip(&self, skip: &crawl::Skip) {
        self.counters.add(SummaryCount::Skipped);
        (self.updater.report)(BuildEvent::Skipped {
            path: &skip.path,
            reason: &skip.reason,
        });
    }
}

/// Why the pipeline stopped.
enum Failure {
    /// Walking the folder or reading the manifest failed.
    Walk(IndexError),
    /// A file's documents could not be written.
    Worker(IndexError),
}

/// The parts of an update that live from the open to the commit.
struct UpdateHandles {
    reader: IndexReader,
    searcher: Searcher,
    manifest: Manifest,
    writer: IndexWriter<TantivyDocument>,
}

impl Updater<'_> {
    /// Fills a new generation and swaps it in.
    fn rebuild(&self) -> Result<BuildSummary, IndexError> {
        let generation = store::new_generation(self.index_dir)?;
        let result = create(&generation, self.schema).and_then(|index| {
            let summary = self.update(&index)?;
            drop(index);
            store::publish(self.index_dir, &generation)?;
            Ok(summary)
        });
        // On success the old generation stays until the next writer starts:
        // a query that read the old name a moment ago can still open it.
        if result.is_err() {
            store::discard(&generation);
        }
        result
    }

    /// Updates `index` in one commit (or none, when nothing changed).
    fn update(&self, index: &Index) -> Result<BuildSummary, IndexError> {
        let open = self.open(index)?;
        (self.report)(BuildEvent::Walking {
            corpus: self.corpus,
            index_dir: self.index_dir,
        });
        let counters = Counters::default();
        let docs_before = open.searcher.num_docs();
        // A first build merges nothing while it indexes: `commit` merges
        // every segment once at the end, where the log policy's merges during
        // the build wrote most documents twice and ran beside the indexing
        // threads. Updates keep the policy, which keeps small segments from
        // piling up.
        if docs_before == 0 {
            open.writer.set_merge_policy(Box::new(NoMergePolicy));
        } else {
            open.writer
                .set_merge_policy(Box::new(CappedMerges::new(MAX_MERGED_DOCS)));
        }
        let compared = self.pipeline(&open, &counters);
        let UpdateHandles {
            reader, mut writer, ..
        } = open;
        let compared = match compared {
            Ok(compared) => compared,
            Err(Failure::Walk(e)) => return Err(e),
            Err(Failure::Worker(e)) => {
                // A dead indexing thread makes add_document fail with "killed";
                // the cause (a full disk, say) comes out when the threads are joined.
                return Err(match writer.prepare_commit() {
                    Err(cause) => IndexError::tantivy_at(self.index_dir)(cause),
                    Ok(_) => e,
                });
            }
        };
        if compared.read == 0 && compared.removed == 0 {
            // Nothing to commit, but files a failed or killed run left behind
            // (on a full disk, the very files that fill it) go now.
            let tantivy_err = IndexError::tantivy_at(self.index_dir);
            writer.garbage_collect_files().wait().map_err(tantivy_err)?;
        } else {
            self.commit(writer, &reader, docs_before)?;
        }
        self.summary(&reader.searcher(), counters, &compared)
    }

    /// A reader fixed at the live commit, its manifest, and the writer.
    fn open(&self, index: &Index) -> Result<UpdateHandles, IndexError> {
        crate::analysis::register_writing_tokenizers(index.tokenizers());
        let tantivy_err = IndexError::tantivy_at(self.index_dir);
        let reader = super::fixed_reader(index).map_err(tantivy_err)?;
        let searcher = reader.searcher();
        let manifest = Manifest::open(&searcher, &self.schema.fields).map_err(tantivy_err)?;
        let writer = index
            .writer_with_options(writer_options(self.options.writer_memory))
            .map_err(|e| match e {
                tantivy::TantivyError::LockFailure(..) => {
                    IndexError::Locked(self.index_dir.to_path_buf())
                }
                source => tantivy_err(source),
            })?;
        Ok(UpdateHandles {
            reader,
            searcher,
            manifest,
            writer,
        })
    }

    /// One thread walks the folder and compares it with the manifest, both
    /// sorted by path; the files to read go through a bounded queue to the
    /// parsers, which hand their documents to the writer.
    fn pipeline(&self, open: &UpdateHandles, counters: &Counters) -> Result<Comparison, Failure> {
        let tantivy_err = IndexError::tantivy_at(self.index_dir);
        let failure: Mutex<Option<IndexError>> = Mutex::new(None);
        let stop = AtomicBool::new(false);
        let (jobs, queue) = std::sync::mpsc::sync_channel::<Job>(WALK_AHEAD);
        let compared = std::thread::scope(|scope| {
            let comparer = Comparer {
                updater: self,
                writer: &open.writer,
                counters,
                stop: &stop,
                jobs,
            };
            let walker = scope.spawn(|| comparer.run(&open.manifest));
            queue.into_iter().par_bridge().for_each(|job| {
                if stop.load(Ordering::Relaxed) {
                    return;
                }
                match self.handle(open, &job, counters) {
                    Ok(statements) => (self.report)(BuildEvent::Read { statements }),
                    Err(e) => {
                        stop.store(true, Ordering::Relaxed);
                        if let Ok(mut first) = failure.lock() {
                            first.get_or_insert(e);
                        }
                    }
                }
            });
            walker.join()
        });
        let compared = match compared {
            Ok(result) => result.map_err(|e| Failure::Walk(tantivy_err(e)))?,
            Err(panic) => std::panic::resume_unwind(panic),
        };
        match failure.into_inner().ok().flatten() {
            Some(e) => Err(Failure::Worker(e)),
            None => Ok(compared),
        }
    }

    /// Commits with the index's provenance as payload, and waits
    /// for the merges.
    fn commit(
        &self,
        mut writer: IndexWriter<TantivyDocument>,
        reader: &IndexReader,
        docs_before: u64,
    ) -> Result<(), IndexError> {
        let tantivy_err = IndexError::tantivy_at(self.index_dir);
        let index = writer.index().clone();
        let provenance = Provenance {
            format: FORMAT_VERSION,
            schema: self.schema.fingerprint.clone(),
            parser: PARSER_FINGERPRINT.to_string(),
            corpus_root: Some(self.corpus_root.to_path_buf()),
            updated_at: std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_secs()),
            distinct_segments: match docs_before {
                0 => Vec::new(),
                _ => still_distinct(self.distinct, &segment_ids(&reader.searcher())),
            },
        };
        (self.report)(BuildEvent::Committing);
        commit_with(&mut writer, &provenance).map_err(tantivy_err)?;
        writer.wait_merging_threads().map_err(tantivy_err)?;
        if docs_before == 0 {
            let report = self.report;
            merge_all(&index, |segments| report(BuildEvent::Merging { segments }))
                .map_err(tantivy_err)?;
        }
        reader.reload().map_err(tantivy_err)?;
        let searcher = reader.searcher();
        // An update keeps the base it had while a segment of it is live; once
        // merges have taken them all, it is checked again (a sort of every
        // key, which only such an update pays).
        let live = segment_ids(&searcher);
        if docs_before > 0 && !still_distinct(&provenance.distinct_segments, &live).is_empty() {
            return Ok(());
        }
        // The record only spares counts work: without it the index is whole,
        // so a failure to write it is reported, not fatal.
        if let Err(e) = record_distinct(&index, &searcher, provenance, self.schema.fields.dedup) {
            let notice = format!(
                "could not record which segments hold no copies ({e}); counts will tell copies apart statement by statement"
            );
            (self.report)(BuildEvent::Notice(&notice));
        }
        Ok(())
    }

    fn summary(
        &self,
        searcher: &Searcher,
        counters: Counters,
        compared: &Comparison,
    ) -> Result<BuildSummary, IndexError> {
        let f = &self.schema.fields;
        let count = |kind: &str| {
            searcher
                .search(&kind_query(f, kind), &Count)
                .map(|n| n as u64)
                .map_err(IndexError::tantivy_at(self.index_dir))
        };
        Ok(BuildSummary {
            added: counters.added.into_inner(),
            changed: counters.changed.into_inner(),
            removed: compared.removed_pages,
            unchanged: counters.unchanged.into_inner(),
            skipped: counters.skipped.into_inner(),
            assets: counters.assets.into_inner(),
            pages: count(KIND_PAGE)?,
            statements: count(KIND_STATEMENT)?,
            elapsed: Duration::ZERO,
            rebuilt: None,
        })
    }

    /// Decides what happens to one queued file and does it; returns how many
    /// statements it added.
    fn handle(
        &self,
        open: &UpdateHandles,
        job: &Job,
        counters: &Counters,
    ) -> Result<u64, IndexError> {
        let prior = job.entry.as_ref().map(|e| Prior {
            skipped: e.skipped,
            fingerprint: open.manifest.fingerprint(e.record),
        });
        let max_size = self.options.max_file_size;
        let (verdict, record) = triage(&job.file, prior.as_ref(), self.reread, || {
            read_limited(&job.file.path, max_size)
        });
        counters.add(verdict.tally(prior.as_ref()));
        self.carry_out(open, job, verdict, &record)
    }

    /// Carries out a verdict on the writer.
    fn carry_out(
        &self,
        open: &UpdateHandles,
        job: &Job,
        verdict: Verdict,
        record: &FileRecord,
    ) -> Result<u64, IndexError> {
        let f = &self.schema.fields;
        let tantivy_err = IndexError::tantivy_at(self.index_dir);
        let path = &job.file.path;
        let writer = &open.writer;
        // The file's old documents, if the index has any.
        let forget = || {
            if job.entry.is_some() {
                writer.delete_term(Term::from_field_text(f.path, &record.path));
            }
        };
        match verdict {
            Verdict::Skip { reason, report } => {
                if report {
                    (self.report)(BuildEvent::Skipped {
                        path,
                        reason: &reason,
                    });
                }
                forget();
                writer
                    .add_document(skipped_document(record, &reason, f))
                    .map_err(tantivy_err)?;
                Ok(0)
            }
            Verdict::Drop { reason } => {
                (self.report)(BuildEvent::Skipped {
                    path,
                    reason: &reason,
                });
                forget();
                Ok(0)
            }
            Verdict::Refresh => {
                let Some(entry) = &job.entry else {
                    return Ok(0);
                };
                let old: TantivyDocument = open.searcher.doc(entry.record).map_err(tantivy_err)?;
                let kind = if entry.skipped {
                    KIND_SKIPPED
                } else {
                    KIND_PAGE
                };
                writer
                    .delete_query(record_query(f, &record.path, kind))
                    .map_err(tantivy_err)?;
                writer
                    .add_document(with_new_times(&old, record.size, record.mtime_ns, f))
                    .map_err(tantivy_err)?;
                Ok(0)
            }
            Verdict::Index(page) => {
                for warning in &page.warnings {
                    (self.report)(BuildEvent::PageWarning { path, warning });
                }
                forget();
                for doc in page_documents(&page, record, f) {
                    writer.add_document(doc).map_err(tantivy_err)?;
                }
                Ok(page.statements.len() as u64)
            }
        }
    }
}

/// Reads a file within the size limit. The error is a reason worded for the user.
fn read_limited(path: &Path, max_size: u64) -> Result<Vec<u8>, String> {
    let handle = crawl::open_regular(path)?;
    let size = handle.metadata().map(|m| m.len()).unwrap_or(0);
    if size > max_size {
        return Err(format!(
            "{size} bytes, over the {max_size} byte limit (raise it with --max-file-size)"
        ));
    }
    let mut bytes = Vec::with_capacity(size as usize);
    handle
        .take(max_size + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| describe_io(&e))?;
    if bytes.len() as u64 > max_size {
        return Err(format!(
            "grew past the {max_size} byte limit while it was read"
        ));
    }
    Ok(bytes)
}
