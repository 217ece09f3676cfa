//! `citeindex sync quickwit`: keeps a Quickwit index in step with the
//! citeindex index, sending only what changed since the last sync.
//!
//! What Quickwit holds of each file is recorded in a journal in the index
//! folder ([`journal`]). A sync compares it with the files the index holds
//! now, then: deletes (by path, through Quickwit's delete tasks) the
//! statements of changed and removed files and of files in doubt, and waits
//! until the deletes show; sends the statements of new and changed files
//! through the ingest API in NDJSON batches; and checks Quickwit's count
//! against the journal, sending again what a lost answer left in doubt.
//! Documents carry stable ids (`export::document_id`), but Quickwit does not
//! replace a document by id, so nothing is sent twice without a delete first.

pub(crate) mod batches;
pub(crate) mod deletes;
pub(crate) mod journal;
pub(crate) mod quickwit;

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::path::Path;
use std::time::{Duration, Instant};

use tantivy::DocId;

use crate::export::{for_each_doc, for_each_doc_of, ExportDoc, ExportError};
use crate::index::OpenIndex;
use crate::schema::{FastColumns, OrdNames, KIND_PAGE, KIND_STATEMENT};
use batches::{Sender, Sending};
use journal::{Held, Journal, JournalError};
use quickwit::{paths_query, Commit, Quickwit, QuickwitError};

/// Where to sync to.
#[derive(Debug, Clone)]
pub struct Target {
    /// The node's REST address, `http://127.0.0.1:7280`.
    pub url: String,
    pub index_id: String,
    /// A batch is sent once its NDJSON reaches this many bytes.
    pub batch_bytes: usize,
    /// Requests in flight at once.
    pub in_flight: usize,
}

/// What a sync did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SyncSummary {
    pub added: u64,
    pub changed: u64,
    pub removed: u64,
    pub unchanged: u64,
    /// Files in doubt after an interrupted sync, deleted and sent again.
    pub repaired: u64,
    pub documents_sent: u64,
    /// Quickwit's count of the index's documents at the end.
    pub documents_held: u64,
    pub created: bool,
    pub elapsed: Duration,
}

/// Progress, for a front end to show.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum SyncEvent {
    /// Deleting the statements of this many files, and waiting for it to show.
    Deleting { files: u64 },
    /// About to send this many documents.
    Sending { documents: u64 },
    /// A batch of this many documents went out (committed, or its answer lost).
    Sent { documents: u64 },
    /// Checking Quickwit's counts.
    Checking,
}

#[derive(Debug, thiserror::Error)]
pub(crate) enum SyncError {
    #[error(transparent)]
    Quickwit(#[from] QuickwitError),
    #[error(transparent)]
    Journal(#[from] JournalError),
    #[error("reading the index failed: {0}")]
    Index(#[from] tantivy::TantivyError),
    #[error("reading the index failed: {0}")]
    Export(#[from] ExportError),
    #[error(
        "the Quickwit index `{index_id}` has another doc mapping than citeindex's: {difference}; \
         sync to another --index-id, or delete that index"
    )]
    Mapping {
        index_id: String,
        difference: String,
    },
    #[error(
        "the Quickwit index `{index_id}` holds {documents} documents this index folder has no \
         record of sending; sync to another --index-id, or delete that index so that sync \
         creates it afresh"
    )]
    Foreign { index_id: String, documents: u64 },
    #[error(
        "the Quickwit index `{index_id}` holds documents of more files than one count can \
         list, most of them not sent by this index folder; delete that index and sync afresh"
    )]
    TooManyFiles { index_id: String },
    #[error("the threads sending batches to Quickwit stopped")]
    SendersStopped,
    #[error(
        "Quickwit made no progress deleting the statements of {files} files for {seconds} s; its \
         log tells whether its janitor runs (a restart of the node resumes a stalled one); then \
         run sync again"
    )]
    DeleteTimeout { files: usize, seconds: u64 },
    #[error(
        "after {rounds} rounds Quickwit still holds {held} documents where {expected} were \
         sent; run sync again, or delete the index and sync afresh"
    )]
    Diverged {
        rounds: usize,
        held: u64,
        expected: u64,
    },
}

/// A file of the index as sync sees it: its fingerprint and statement count.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Present {
    fingerprint: String,
    statements: u64,
}

/// Brings the Quickwit index `target` in step with `open`: the index found
/// or created, the journal of what it holds read back, then up to three
/// rounds of deletes and sends, each checked against Quickwit's own count.
pub(crate) fn sync(
    open: &OpenIndex,
    index_dir: &Path,
    target: &Target,
    report: &dyn Fn(SyncEvent),
) -> Result<SyncSummary, SyncError> {
    let started = Instant::now();
    let qw = Quickwit::new(&target.url);
    let id = target.index_id.as_str();
    let present = present_files(open)?;
    let journal_path = journal::journal_path(index_dir, id);
    let mut summary = SyncSummary::default();

    let index = find_or_create(&qw, id, open, &mut summary)?;
    let header = journal::target_line(id, &index.uid);
    let mut held = held_by(&qw, target, &index, &journal_path, summary.created)?;
    let how = sending(target, index.commit_timeout_secs);
    if held.values().any(|h| *h == Held::InDoubt) {
        settle(&qw, id)?;
    }
    let mut journal = Journal::rewrite(&journal_path, &header, &held)?;

    for round in 1..=3 {
        let plan = Plan::new(&present, &held);
        if round == 1 {
            summary.added = plan.added;
            summary.changed = plan.changed;
            summary.removed = plan.removed;
            summary.unchanged = plan.unchanged;
        }
        summary.repaired += plan.in_doubt;
        delete(&qw, id, &plan.delete, &mut journal, &mut held, report)?;
        let sent = send(
            &qw,
            id,
            how,
            open,
            &present,
            &plan.send,
            &mut journal,
            &mut held,
            report,
        )?;
        summary.documents_sent += sent;
        report(SyncEvent::Checking);
        let count = qw.count(id, "*")?;
        summary.documents_held = count;
        if in_step(count, &held) {
            break;
        }
        if round == 3 {
            return Err(SyncError::Diverged {
                rounds: round,
                held: count,
                expected: held.values().map(documents_of).sum(),
            });
        }
        put_in_doubt_what_differs(&qw, id, &mut journal, &mut held)?;
    }
    if journal.lines_written() > 1000 && journal.lines_written() > held.len() as u64 {
        Journal::rewrite(&journal_path, &header, &held)?;
    }
    summary.elapsed = started.elapsed();
    Ok(summary)
}

/// The Quickwit index `id`, created with citeindex's mapping when it is not
/// there; refused when its mapping differs from what citeindex sends.
fn find_or_create(
    qw: &Quickwit,
    id: &str,
    open: &OpenIndex,
    summary: &mut SyncSummary,
) -> Result<quickwit::IndexInfo, SyncError> {
    let expected = crate::export::quickwit::field_types(&open.schema.definitions);
    if let Some(found) = qw.describe(id)? {
        return match mapping_difference(&expected, &found.fields) {
            Some(difference) => Err(SyncError::Mapping {
                index_id: id.to_string(),
                difference,
            }),
            None => Ok(found),
        };
    }
    qw.create(&crate::export::quickwit::sync_config(
        &open.schema.definitions,
        id,
    ))?;
    summary.created = true;
    Ok(qw.describe(id)?.ok_or_else(|| QuickwitError::Unexpected {
        what: format!("reading the index `{id}` just created"),
        reason: "no such index".into(),
    })?)
}

/// What the journal says Quickwit holds of each file. The journal is about
/// one incarnation of the index, whatever address reaches it: an index
/// deleted and created again under the same id has another uid, and its
/// journal is void. (Journals written before the uid was recorded name the
/// address instead.) An index with documents but no journal is not ours.
fn held_by(
    qw: &Quickwit,
    target: &Target,
    index: &quickwit::IndexInfo,
    journal_path: &Path,
    created: bool,
) -> Result<BTreeMap<String, Held>, SyncError> {
    let id = target.index_id.as_str();
    let header = journal::target_line(id, &index.uid);
    let before_uids = journal::address_line(&target.url, id);
    let held = match journal::read(journal_path)? {
        Some((written_for, held))
            if written_for == header || (written_for == before_uids && !created) =>
        {
            held
        }
        _ => BTreeMap::new(),
    };
    if !created && held.is_empty() {
        let documents = qw.count(id, "*")?;
        if documents > 0 {
            return Err(SyncError::Foreign {
                index_id: id.to_string(),
                documents,
            });
        }
    }
    Ok(held)
}

/// How batches go out. A request that waits for the scheduled commit shares
/// it with the others in flight; on an index that commits a minute after its
/// first document (Quickwit's default), each request forces its own instead.
fn sending(target: &Target, commit_timeout_secs: u64) -> Sending {
    Sending {
        batch_bytes: target.batch_bytes,
        in_flight: target.in_flight,
        commit: if commit_timeout_secs <= 5 {
            Commit::WaitFor
        } else {
            Commit::Force
        },
    }
}

/// Quickwit holds exactly what the journal says, and nothing is in doubt.
fn in_step(count: u64, held: &BTreeMap<String, Held>) -> bool {
    let want: u64 = held.values().map(documents_of).sum();
    count == want && !held.values().any(|h| *h == Held::InDoubt)
}

/// Where Quickwit's count and the journal's differ (an answer lost after
/// Quickwit applied the request, say): counts file by file and puts the
/// files that differ in doubt, for the next round to delete and send again.
fn put_in_doubt_what_differs(
    qw: &Quickwit,
    id: &str,
    journal: &mut Journal,
    held: &mut BTreeMap<String, Held>,
) -> Result<(), SyncError> {
    let counted = counts_of(qw, id, held.keys())?;
    let files: BTreeSet<String> = counted.keys().chain(held.keys()).cloned().collect();
    for file in files {
        let has = counted.get(&file).copied().unwrap_or(0);
        let right = held
            .get(&file)
            .is_some_and(|h| documents_of(h) == has && *h != Held::InDoubt);
        if !right {
            journal.note(&file, Some(&Held::InDoubt))?;
            held.insert(file, Held::InDoubt);
        }
    }
    journal.flush()?;
    Ok(())
}

/// How many documents Quickwit holds of each file it holds any of. One terms
/// aggregation over the whole index fails beyond Quickwit's limit of 65,000
/// buckets, a file each, so the paths are counted a range at a time: ranges
/// that begin at every [`PATHS_PER_COUNT`]th file of the journal and together
/// cover every path, those it does not name included.
fn counts_of<'a>(
    qw: &Quickwit,
    id: &str,
    files: impl Iterator<Item = &'a String>,
) -> Result<HashMap<String, u64>, SyncError> {
    let files: Vec<&str> = files.map(String::as_str).collect();
    let mut counted = HashMap::new();
    for (from, to) in path_ranges(&files, PATHS_PER_COUNT) {
        let (total, counts) = qw.counts_in_range(id, from, to)?;
        // Only documents of files the journal does not name can fill a
        // range's buckets: a range holds PATHS_PER_COUNT of its files.
        if counts.values().sum::<u64>() < total {
            return Err(SyncError::TooManyFiles {
                index_id: id.to_string(),
            });
        }
        counted.extend(counts);
    }
    Ok(counted)
}

/// Files of the journal per count of a path range: well under the buckets
/// one aggregation may make, for files the journal does not name.
const PATHS_PER_COUNT: usize = 20_000;

/// Ranges `from..to` of paths, each holding `per` of `files` (sorted), that
/// together hold every path: the first open below, the last open above.
fn path_ranges<'a>(files: &[&'a str], per: usize) -> Vec<(Option<&'a str>, Option<&'a str>)> {
    let starts: Vec<Option<&str>> = std::iter::once(None)
        .chain(files.iter().step_by(per.max(1)).skip(1).map(|f| Some(*f)))
        .collect();
    starts
        .iter()
        .enumerate()
        .map(|(i, from)| (*from, starts.get(i + 1).copied().flatten()))
        .collect()
}

/// Waits until Quickwit's count stops moving: the ingest requests of an
/// interrupted sync (up to `in_flight` batches) may still be committed after
/// their client died, and a delete task does not reach documents committed
/// after it. Still for three readings 3 s apart: longer than a commit
/// timeout of sync's own indexes, so a queue still draining shows.
fn settle(qw: &Quickwit, id: &str) -> Result<(), SyncError> {
    let mut last = qw.count(id, "*")?;
    let mut still = 0;
    for _ in 0..40 {
        std::thread::sleep(Duration::from_secs(3));
        let now = qw.count(id, "*")?;
        still = if now == last { still + 1 } else { 0 };
        if still == 2 {
            break;
        }
        last = now;
    }
    Ok(())
}

fn documents_of(held: &Held) -> u64 {
    match held {
        Held::Synced { documents, .. } => *documents,
        Held::InDoubt => 0,
    }
}

/// What one round deletes and sends.
struct Plan {
    delete: Vec<String>,
    send: Vec<String>,
    added: u64,
    changed: u64,
    removed: u64,
    unchanged: u64,
    in_doubt: u64,
}

impl Plan {
    fn new(present: &BTreeMap<String, Present>, held: &BTreeMap<String, Held>) -> Plan {
        let mut plan = Plan {
            delete: Vec::new(),
            send: Vec::new(),
            added: 0,
            changed: 0,
            removed: 0,
            unchanged: 0,
            in_doubt: 0,
        };
        for (file, now) in present {
            match held.get(file) {
                None => {
                    plan.added += 1;
                    plan.send.push(file.clone());
                }
                Some(Held::Synced { fingerprint, .. }) if *fingerprint == now.fingerprint => {
                    plan.unchanged += 1;
                }
                Some(Held::Synced { .. }) => {
                    plan.changed += 1;
                    plan.delete.push(file.clone());
                    plan.send.push(file.clone());
                }
                Some(Held::InDoubt) => {
                    plan.in_doubt += 1;
                    plan.delete.push(file.clone());
                    plan.send.push(file.clone());
                }
            }
        }
        for (file, state) in held {
            if !present.contains_key(file) {
                match state {
                    Held::InDoubt => plan.in_doubt += 1,
                    Held::Synced { .. } => plan.removed += 1,
                }
                plan.delete.push(file.clone());
            }
        }
        plan
    }
}

/// Deletes the statements of `files` from Quickwit, waits until no search
/// finds them, and records that they are gone.
fn delete(
    qw: &Quickwit,
    id: &str,
    files: &[String],
    journal: &mut Journal,
    held: &mut BTreeMap<String, Held>,
    report: &dyn Fn(SyncEvent),
) -> Result<(), SyncError> {
    if files.is_empty() {
        return Ok(());
    }
    report(SyncEvent::Deleting {
        files: files.len() as u64,
    });
    // Paths per delete task and count query: a query of a few KB.
    const CHUNK: usize = 50;
    let queries: Vec<String> = files
        .chunks(CHUNK)
        .map(|chunk| paths_query(&chunk.iter().map(String::as_str).collect::<Vec<_>>()))
        .collect();
    let mut waiting = Vec::new();
    for query in queries {
        if qw.count(id, &query)? > 0 {
            qw.delete(id, &query)?;
            waiting.push(query);
        }
    }
    deletes::wait_until_gone(qw, id, waiting, files.len(), &deletes::Patience::QUICKWIT)?;
    for file in files {
        held.remove(file);
        journal.note(file, None)?;
    }
    journal.flush()?;
    Ok(())
}

/// Sends the statements of `files`, in batches; each file is in doubt until
/// every batch holding its statements is committed. Returns the number of
/// documents sent.
#[allow(clippy::too_many_arguments)]
fn send(
    qw: &Quickwit,
    id: &str,
    how: Sending,
    open: &OpenIndex,
    present: &BTreeMap<String, Present>,
    files: &[String],
    journal: &mut Journal,
    held: &mut BTreeMap<String, Held>,
    report: &dyn Fn(SyncEvent),
) -> Result<u64, SyncError> {
    if files.is_empty() {
        return Ok(0);
    }
    for file in files {
        held.insert(file.clone(), Held::InDoubt);
        journal.note(file, Some(&Held::InDoubt))?;
    }
    journal.flush()?;
    let total: u64 = files.iter().map(|f| present[f].statements).sum();
    report(SyncEvent::Sending { documents: total });

    let sent = std::thread::scope(|scope| -> Result<u64, SyncError> {
        let mut sender = Sender::start(scope, qw, id, how, present);
        let mut each = |doc: ExportDoc| -> Result<(), ExportError> {
            sender.add(&doc, journal, held, report);
            Ok(())
        };
        // A few files are looked up one by one; many are read in one pass.
        if files.len() * 20 < present.len() {
            let paths: Vec<&str> = files.iter().map(String::as_str).collect();
            for_each_doc_of(open, &paths, &mut each)?;
        } else {
            let wanted: HashSet<&str> = files.iter().map(String::as_str).collect();
            for_each_doc(open, &mut |doc| {
                if wanted.contains(doc.statement.path.as_str()) {
                    each(doc)?;
                }
                Ok(())
            })?;
        }
        sender.finish(journal, held, report)
    })?;
    // Files without statements are in Quickwit as they are: with none.
    for file in files {
        if present[file].statements == 0 {
            let state = synced(&present[file]);
            journal.note(file, Some(&state))?;
            held.insert(file.clone(), state);
        }
    }
    journal.flush()?;
    Ok(sent)
}

fn synced(present: &Present) -> Held {
    Held::Synced {
        fingerprint: present.fingerprint.clone(),
        documents: present.statements,
    }
}

/// The first difference between the doc mapping sync writes and an index's.
fn mapping_difference(expected: &[(String, String)], found: &[(String, String)]) -> Option<String> {
    let found: HashMap<&str, &str> = found
        .iter()
        .map(|(n, t)| (n.as_str(), t.as_str()))
        .collect();
    for (name, kind) in expected {
        match found.get(name.as_str()) {
            None => return Some(format!("it has no field `{name}`")),
            Some(other) if other != kind => {
                return Some(format!("its field `{name}` is `{other}`, not `{kind}`"))
            }
            Some(_) => {}
        }
    }
    let names: BTreeSet<&str> = expected.iter().map(|(n, _)| n.as_str()).collect();
    found
        .keys()
        .find(|n| !names.contains(*n))
        .map(|n| format!("it has a field `{n}` citeindex does not send"))
}

/// The files the index holds (pages, not skipped files), with their
/// fingerprints and statement counts, from the fast columns.
fn present_files(open: &OpenIndex) -> Result<BTreeMap<String, Present>, SyncError> {
    let searcher = open.reader.searcher();
    let f = &open.schema.fields;
    let mut files: BTreeMap<String, Present> = BTreeMap::new();
    let mut statements: HashMap<String, u64> = HashMap::new();
    for reader in searcher.segment_readers() {
        let (Some(kind), Some(path)) = (reader.str_column(f.kind)?, reader.str_column(f.path)?)
        else {
            continue;
        };
        let fingerprint = reader.str_column(f.fingerprint)?;
        let ord_of = |text: &str| -> tantivy::Result<Option<u64>> {
            Ok(kind.dictionary().term_ord(text.as_bytes())?)
        };
        let (page, statement) = (ord_of(KIND_PAGE)?, ord_of(KIND_STATEMENT)?);
        let alive = reader.alive_bitset();
        let mut per_path: HashMap<u64, u64> = HashMap::new();
        // (path, fingerprint) ordinals of the pages, named once read.
        let mut pages: Vec<(u64, Option<u64>)> = Vec::new();
        for doc in 0..reader.max_doc() as DocId {
            if alive.is_some_and(|a| a.is_deleted(doc)) {
                continue;
            }
            let k = kind.term_ords(doc).next();
            let Some(p) = path.term_ords(doc).next() else {
                continue;
            };
            if k.is_some() && k == statement {
                *per_path.entry(p).or_default() += 1;
            } else if k.is_some() && k == page {
                let print = fingerprint.as_ref().and_then(|c| c.term_ords(doc).next());
                pages.push((p, print));
            }
        }
        let ords = pages
            .iter()
            .map(|&(p, _)| p)
            .chain(per_path.keys().copied());
        let paths = OrdNames::read(Some(&path), ords)?;
        let prints = OrdNames::read(fingerprint.as_ref(), pages.iter().filter_map(|&(_, f)| f))?;
        for (p, print) in pages {
            let fingerprint = print.and_then(|f| prints.get(f)).unwrap_or_default();
            files.insert(
                paths.get(p).unwrap_or_default().to_string(),
                Present {
                    fingerprint: fingerprint.to_string(),
                    statements: 0,
                },
            );
        }
        for (p, n) in per_path {
            *statements
                .entry(paths.get(p).unwrap_or_default().to_string())
                .or_default() += n;
        }
    }
    for (file, n) in statements {
        if let Some(present) = files.get_mut(&file) {
            present.statements = n;
        }
    }
    Ok(files)
}

#[cfg(test)]
mod tests {
    use super::path_ranges;

    #[test]
    fn path_ranges_hold_every_path_once_and_per_files_each() {
        let files = ["a", "b", "c", "d", "e"];
        assert_eq!(
            path_ranges(&files, 2),
            vec![(None, Some("c")), (Some("c"), Some("e")), (Some("e"), None)]
        );
        assert_eq!(path_ranges(&files, 5), vec![(None, None)]);
        assert_eq!(path_ranges(&[], 5), vec![(None, None)]);
        // Any path, named or not, falls in exactly one range.
        for path in ["", "a", "bz", "c", "cc", "e", "zz"] {
            let holding = path_ranges(&files, 2)
                .into_iter()
                .filter(|(from, to)| from.is_none_or(|f| f <= path) && to.is_none_or(|t| path < t))
                .count();
            assert_eq!(holding, 1, "{path}");
        }
    }
}
