//! Sending statements to Quickwit: NDJSON batches, several requests in
//! flight at once, and each file recorded as synced once every batch that
//! holds its statements is committed.
//!
//! An ingest request returns only when Quickwit has committed its documents.
//! One request at a time left both programs mostly waiting (a forced commit
//! took about 2.4 s a batch, with Quickwit at a third of one core), so
//! batches are gathered on the calling thread and sent by a few threads;
//! their answers come back to the calling thread, which alone writes the
//! journal. Answers may come in any order: a file is synced when the
//! committed batches hold all of its statements ([`Ledger`]), whichever
//! batches those were.

use std::collections::{BTreeMap, HashMap};
use std::sync::mpsc::{self, Receiver, SyncSender};
use std::sync::{Arc, Mutex};
use std::thread::Scope;

use super::journal::{Held, Journal};
use super::quickwit::{Commit, Quickwit, QuickwitError, Sent};
use super::{synced, Present, SyncError, SyncEvent};
use crate::analysis::stems::Stemmer;
use crate::export::{ExportDoc, ExportError};

/// How batches are sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Sending {
    /// A batch is sent once its NDJSON reaches this many bytes. Quickwit
    /// takes up to 10 MiB a request by default.
    pub batch_bytes: usize,
    /// Requests in flight at once.
    pub in_flight: usize,
    pub commit: Commit,
}

impl Default for Sending {
    fn default() -> Self {
        Sending {
            batch_bytes: 8 << 20,
            in_flight: 8,
            commit: Commit::WaitFor,
        }
    }
}

/// One request's documents.
struct Batch {
    ndjson: Vec<u8>,
    documents: u64,
    /// The statements of each file in this batch.
    files: Vec<(String, u64)>,
}

impl Batch {
    /// An empty batch with room for `batch_bytes` and the document that
    /// crosses that line.
    fn new(batch_bytes: usize) -> Batch {
        Batch {
            ndjson: Vec::with_capacity(batch_bytes + (1 << 16)),
            documents: 0,
            files: Vec::new(),
        }
    }
}

/// A sent batch, as its sender reports it back.
struct Answer {
    documents: u64,
    files: Vec<(String, u64)>,
    result: Result<Sent, QuickwitError>,
}

/// Which files Quickwit holds whole: the statements of each file counted in
/// committed batches, until they are all there.
#[derive(Debug, Default)]
pub(super) struct Ledger {
    committed: HashMap<String, u64>,
}

impl Ledger {
    /// Counts a committed batch's statements; returns the files it completed.
    pub(super) fn committed(
        &mut self,
        files: &[(String, u64)],
        present: &BTreeMap<String, Present>,
    ) -> Vec<String> {
        let mut complete = Vec::new();
        for (file, statements) in files {
            let count = self.committed.entry(file.clone()).or_default();
            *count += statements;
            if present.get(file).is_some_and(|p| p.statements == *count) {
                self.committed.remove(file);
                complete.push(file.clone());
            }
        }
        complete
    }
}

/// Statements on their way: the batch being gathered, the senders, and the
/// journal kept as answers come.
pub(super) struct Sender<'a> {
    present: &'a BTreeMap<String, Present>,
    stemmer: Stemmer,
    batch_bytes: usize,
    gathering: Batch,
    requests: Option<SyncSender<Batch>>,
    answers: Receiver<Answer>,
    waiting: usize,
    ledger: Ledger,
    sent: u64,
    failure: Option<SyncError>,
}

impl<'a> Sender<'a> {
    /// Starts `how.in_flight` threads in `scope` that send batches to `qw`.
    pub(super) fn start<'scope>(
        scope: &'scope Scope<'scope, '_>,
        qw: &'scope Quickwit,
        id: &'scope str,
        how: Sending,
        present: &'a BTreeMap<String, Present>,
    ) -> Sender<'a> {
        // No queue beyond the senders: a gathered batch waits for a free
        // sender, so memory stays at about (in_flight + 1) batches.
        let (requests, queued) = mpsc::sync_channel::<Batch>(0);
        let queued = Arc::new(Mutex::new(queued));
        let (answer, answers) = mpsc::channel();
        for _ in 0..how.in_flight.max(1) {
            let queued = Arc::clone(&queued);
            let answer = answer.clone();
            scope.spawn(move || loop {
                let next = queued.lock().unwrap_or_else(|e| e.into_inner()).recv();
                let Ok(batch) = next else { return };
                let result = qw.ingest(id, &batch.ndjson, batch.documents, how.commit);
                let sent = Answer {
                    documents: batch.documents,
                    files: batch.files,
                    result,
                };
                if answer.send(sent).is_err() {
                    return;
                }
            });
        }
        Sender {
            present,
            stemmer: Stemmer::default(),
            batch_bytes: how.batch_bytes,
            gathering: Batch::new(how.batch_bytes),
            requests: Some(requests),
            answers,
            waiting: 0,
            ledger: Ledger::default(),
            sent: 0,
            failure: None,
        }
    }

    /// Adds a statement; sends the batch when it is full. After a failure,
    /// statements are dropped: [`Sender::finish`] reports it.
    pub(super) fn add(
        &mut self,
        doc: &ExportDoc,
        journal: &mut Journal,
        held: &mut BTreeMap<String, Held>,
        report: &dyn Fn(SyncEvent),
    ) {
        if self.failure.is_some() {
            return;
        }
        let batch = &mut self.gathering;
        if let Err(e) = serde_json::to_writer(&mut batch.ndjson, &self.stemmer.document(doc)) {
            self.failure = Some(SyncError::Export(ExportError::Write(
                std::path::PathBuf::from("NDJSON batch"),
                e.into(),
            )));
            return;
        }
        batch.ndjson.push(b'\n');
        batch.documents += 1;
        let path = &doc.statement.path;
        match batch.files.last_mut() {
            Some((file, statements)) if file == path => *statements += 1,
            _ => batch.files.push((path.clone(), 1)),
        }
        if batch.ndjson.len() >= self.batch_bytes {
            self.dispatch(journal, held, report);
        }
    }

    /// Sends what is gathered, waits for every answer, and returns the
    /// number of documents sent, or the first failure.
    pub(super) fn finish(
        mut self,
        journal: &mut Journal,
        held: &mut BTreeMap<String, Held>,
        report: &dyn Fn(SyncEvent),
    ) -> Result<u64, SyncError> {
        if self.failure.is_none() {
            self.dispatch(journal, held, report);
        }
        // Senders stop once the queue is closed and empty.
        self.requests = None;
        while self.waiting > 0 {
            let Ok(answer) = self.answers.recv() else {
                break;
            };
            self.take(answer, journal, held, report);
        }
        match self.failure {
            Some(e) => Err(e),
            None => Ok(self.sent),
        }
    }

    fn dispatch(
        &mut self,
        journal: &mut Journal,
        held: &mut BTreeMap<String, Held>,
        report: &dyn Fn(SyncEvent),
    ) {
        while let Ok(answer) = self.answers.try_recv() {
            self.take(answer, journal, held, report);
        }
        if self.gathering.documents == 0 || self.failure.is_some() {
            return;
        }
        let batch = std::mem::replace(&mut self.gathering, Batch::new(self.batch_bytes));
        let queued = self.requests.as_ref().map(|r| r.send(batch));
        match queued {
            Some(Ok(())) => self.waiting += 1,
            // Every sender has stopped: only a panic does that.
            _ => self.fail(SyncError::SendersStopped),
        }
    }

    /// Records an answer: a committed batch's completed files go to the
    /// journal; an uncertain one leaves its files in doubt, for the count
    /// check after the round.
    fn take(
        &mut self,
        answer: Answer,
        journal: &mut Journal,
        held: &mut BTreeMap<String, Held>,
        report: &dyn Fn(SyncEvent),
    ) {
        self.waiting -= 1;
        if answer.result.is_ok() {
            self.sent += answer.documents;
            report(SyncEvent::Sent {
                documents: answer.documents,
            });
        }
        match answer.result {
            Ok(Sent::Committed) => {
                let complete = self.ledger.committed(&answer.files, self.present);
                let noted = complete.into_iter().try_for_each(|file| {
                    let state = synced(&self.present[&file]);
                    journal.note(&file, Some(&state))?;
                    held.insert(file, state);
                    Ok::<_, SyncError>(())
                });
                if let Err(e) = noted.and_then(|()| Ok(journal.flush()?)) {
                    self.fail(e);
                }
            }
            Ok(Sent::Uncertain) => {}
            Err(e) => self.fail(e.into()),
        }
    }

    fn fail(&mut self, e: SyncError) {
        self.failure.get_or_insert(e);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn present(files: &[(&str, u64)]) -> BTreeMap<String, Present> {
        files
            .iter()
            .map(|(f, n)| {
                let p = Present {
                    fingerprint: format!("print-{f}"),
                    statements: *n,
                };
                (f.to_string(), p)
            })
            .collect()
    }

    fn batch(files: &[(&str, u64)]) -> Vec<(String, u64)> {
        files.iter().map(|(f, n)| (f.to_string(), *n)).collect()
    }

    #[test]
    fn a_file_is_complete_when_all_its_batches_are_committed_in_any_order() {
        let present = present(&[("a", 3), ("b", 5), ("c", 1)]);
        let mut ledger = Ledger::default();
        // b is split over three batches, answered last first.
        let third = batch(&[("b", 1), ("c", 1)]);
        let second = batch(&[("b", 2)]);
        let first = batch(&[("a", 3), ("b", 2)]);
        assert_eq!(ledger.committed(&third, &present), vec!["c".to_string()]);
        assert!(ledger.committed(&second, &present).is_empty());
        assert_eq!(
            ledger.committed(&first, &present),
            vec!["a".to_string(), "b".to_string()]
        );
    }

    #[test]
    fn a_file_with_an_uncommitted_batch_is_never_complete() {
        let present = present(&[("a", 4), ("b", 2)]);
        let mut ledger = Ledger::default();
        // a's first statement went in an uncertain batch, never counted.
        assert!(ledger.committed(&batch(&[("a", 3)]), &present).is_empty());
        assert_eq!(
            ledger.committed(&batch(&[("b", 2)]), &present),
            vec!["b".to_string()]
        );
        assert!(ledger.committed(&batch(&[("b", 1)]), &present).is_empty());
    }
}
