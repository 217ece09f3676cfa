//! Waiting until Quickwit's delete tasks show, and keeping them moving.
//!
//! Quickwit applies a delete task in the background: its janitor looks for
//! splits holding matching documents once a minute and queues an operation
//! per split with the merge scheduler, which runs as many at once as the
//! node has merge permits. The scheduler can miss that a permit came free:
//! the operation holding it tells the scheduler before it gives the permit
//! back, and a scheduler that looks in between finds none. On a node with a
//! single permit (Quickwit 0.9's default below 3 cores) the operations
//! queued behind then wait until another one is queued, which may be never:
//! sync's deletes would not show until the node restarts. So when a wait
//! makes no progress for a while, sync queues an operation itself
//! ([`nudge`]): a probe document, committed and deleted.

use std::time::{Duration, Instant};

use super::quickwit::{paths_query, Commit, Quickwit, Sent};
use super::SyncError;

/// How long a wait may make no progress before sync nudges Quickwit, and
/// before it gives up.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Patience {
    pub nudge_after: Duration,
    pub give_up_after: Duration,
    /// The longest pause between two looks.
    pub look_every: Duration,
}

impl Patience {
    /// The janitor looks for splits to delete from once a minute, so a
    /// delete normally shows within about 65 s.
    pub(crate) const QUICKWIT: Patience = Patience {
        nudge_after: Duration::from_secs(90),
        give_up_after: Duration::from_secs(900),
        look_every: Duration::from_secs(2),
    };
}

/// Waits until none of `waiting` (queries with a delete task each) finds a
/// document. Progress is a query found empty, or one finding fewer documents
/// than at the last look; the limits count from the last progress. `files`
/// names the deleted files' number for the error.
pub(crate) fn wait_until_gone(
    qw: &Quickwit,
    id: &str,
    mut waiting: Vec<String>,
    files: usize,
    patience: &Patience,
) -> Result<(), SyncError> {
    let mut progress = Instant::now();
    let mut nudged = Instant::now();
    let mut last_look: Option<(usize, u64)> = None;
    let mut pause = (patience.look_every / 4).max(Duration::from_millis(1));
    while let Some(query) = waiting.last() {
        let left = qw.count(id, query)?;
        if left == 0 {
            waiting.pop();
            progress = Instant::now();
            continue;
        }
        let look = (waiting.len(), left);
        if last_look != Some(look) {
            last_look = Some(look);
            progress = Instant::now();
        }
        if progress.elapsed() > patience.give_up_after {
            return Err(SyncError::DeleteTimeout {
                files,
                seconds: patience.give_up_after.as_secs(),
            });
        }
        if progress.elapsed() > patience.nudge_after && nudged.elapsed() > patience.nudge_after {
            // Looked at last: the probe must be gone before sync compares counts.
            if let Some(probe) = nudge(qw, id)? {
                waiting.insert(0, probe);
            }
            nudged = Instant::now();
        }
        std::thread::sleep(pause);
        pause = (pause * 2).min(patience.look_every);
    }
    Ok(())
}

/// The hidden folder of probe documents' paths: a crawl never indexes a
/// hidden folder, so no file of an index has such a path.
pub(crate) const PROBE_FOLDER: &str = ".citeindex-sync-probe";

/// Queues an operation with Quickwit's merge scheduler, which then looks
/// for free permits again: a probe document under [`PROBE_FOLDER`],
/// committed, then deleted. Returns the query that finds the probe; none
/// when its commit is in doubt (a delete task misses documents committed
/// after it, and a probe left behind is repaired like any document of a
/// file the journal does not name).
fn nudge(qw: &Quickwit, id: &str) -> Result<Option<String>, SyncError> {
    let stamp = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap_or_default()
        .as_nanos();
    let path = format!("{PROBE_FOLDER}/{}-{stamp}", std::process::id());
    let probe = serde_json::json!({ "id": path, "path": path }).to_string();
    if qw.ingest(id, probe.as_bytes(), 1, Commit::Force)? == Sent::Uncertain {
        return Ok(None);
    }
    let query = paths_query(&[&path]);
    qw.delete(id, &query)?;
    Ok(Some(query))
}

#[cfg(test)]
mod tests {
    use std::io::{BufRead, BufReader, Read, Write};
    use std::net::TcpListener;
    use std::sync::{Arc, Mutex};

    use serde_json::Value;

    use super::*;

    /// A node whose merge scheduler has lost a wakeup: a delete task stays
    /// queued until another one is queued behind it, then both run.
    #[derive(Default)]
    struct Stalled {
        paths: Vec<String>,
        queued: Vec<String>,
        ingested: Vec<String>,
        tasks: usize,
    }

    impl Stalled {
        fn count(&self, query: &str) -> usize {
            let wanted = paths_of(query);
            self.paths
                .iter()
                .filter(|p| query == "*" || wanted.contains(p))
                .count()
        }

        fn answer(&mut self, path: &str, body: &str) -> String {
            if path.ends_with("/search") {
                let request: Value = serde_json::from_str(body).unwrap();
                let n = self.count(request["query"].as_str().unwrap());
                return serde_json::json!({ "num_hits": n }).to_string();
            }
            if path.contains("/ingest") {
                for line in body.lines() {
                    let doc: Value = serde_json::from_str(line).unwrap();
                    let path = doc["path"].as_str().unwrap().to_string();
                    self.ingested.push(path.clone());
                    self.paths.push(path);
                }
                return r#"{"num_ingested_docs":1,"num_rejected_docs":0}"#.into();
            }
            assert!(path.ends_with("/delete-tasks"), "{path}");
            let request: Value = serde_json::from_str(body).unwrap();
            self.tasks += 1;
            self.queued
                .push(request["query"].as_str().unwrap().to_string());
            if self.queued.len() >= 2 {
                for query in std::mem::take(&mut self.queued) {
                    let gone = paths_of(&query);
                    self.paths.retain(|p| !gone.contains(p));
                }
            }
            "{}".into()
        }
    }

    /// The paths of a query `paths_query` wrote (the tests' paths need no escapes).
    fn paths_of(query: &str) -> Vec<String> {
        query
            .split(" OR ")
            .filter_map(|p| p.strip_prefix("path:\""))
            .map(|p| p.trim_end_matches('"').to_string())
            .collect()
    }

    /// Serves `node` on loopback; returns its address.
    fn serve(node: Arc<Mutex<Stalled>>) -> String {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let address = format!("http://{}", listener.local_addr().unwrap());
        std::thread::spawn(move || {
            for stream in listener.incoming().map_while(Result::ok) {
                let node = Arc::clone(&node);
                std::thread::spawn(move || {
                    let mut reader = BufReader::new(stream.try_clone().unwrap());
                    let mut stream = stream;
                    loop {
                        let mut line = String::new();
                        if reader.read_line(&mut line).unwrap_or(0) == 0 {
                            return;
                        }
                        let path = line.split(' ').nth(1).unwrap_or_default().to_string();
                        let mut length = 0;
                        loop {
                            let mut header = String::new();
                            reader.read_line(&mut header).unwrap();
                            if header.trim().is_empty() {
                                break;
                            }
                            let lower = header.to_ascii_lowercase();
                            if let Some(n) = lower.strip_prefix("content-length:") {
                                length = n.trim().parse().unwrap();
                            }
                        }
                        let mut body = vec![0; length];
                        reader.read_exact(&mut body).unwrap();
                        let answer = node
                            .lock()
                            .unwrap()
                            .answer(&path, &String::from_utf8(body).unwrap());
                        let reply = format!(
                            "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n\
                             Content-Length: {}\r\n\r\n{answer}",
                            answer.len()
                        );
                        if stream.write_all(reply.as_bytes()).is_err() {
                            return;
                        }
                    }
                });
            }
        });
        address
    }

    /// A node holding two documents of `a.txt` and one of `b.txt`, with a
    /// delete task for `a.txt` queued and stalled.
    fn stalled_delete() -> (Arc<Mutex<Stalled>>, Quickwit, String) {
        let node = Arc::new(Mutex::new(Stalled {
            paths: vec!["a.txt".into(), "a.txt".into(), "b.txt".into()],
            ..Stalled::default()
        }));
        let qw = Quickwit::new(&serve(Arc::clone(&node)));
        let query = paths_query(&["a.txt"]);
        qw.delete("statements", &query).unwrap();
        (node, qw, query)
    }

    fn patience(nudge_after_ms: u64, give_up_after_ms: u64) -> Patience {
        Patience {
            nudge_after: Duration::from_millis(nudge_after_ms),
            give_up_after: Duration::from_millis(give_up_after_ms),
            look_every: Duration::from_millis(20),
        }
    }

    #[test]
    fn a_stalled_delete_is_nudged_through_and_the_probe_is_gone_too() {
        let (node, qw, query) = stalled_delete();
        wait_until_gone(&qw, "statements", vec![query], 1, &patience(100, 10_000)).unwrap();
        let node = node.lock().unwrap();
        assert_eq!(node.paths, ["b.txt"]);
        assert_eq!(node.tasks, 2, "one probe, one delete task for it");
        assert_eq!(node.ingested.len(), 1);
        assert!(node.ingested[0].starts_with(&format!("{PROBE_FOLDER}/")));
    }

    #[test]
    fn a_stalled_delete_that_is_not_nudged_gives_up_with_the_number_of_files() {
        let (node, qw, query) = stalled_delete();
        let err =
            wait_until_gone(&qw, "statements", vec![query], 7, &patience(60_000, 300)).unwrap_err();
        assert!(
            matches!(err, SyncError::DeleteTimeout { files: 7, .. }),
            "{err}"
        );
        assert_eq!(node.lock().unwrap().count("*"), 3);
    }

    #[test]
    fn a_delete_that_shows_needs_no_nudge() {
        let (node, qw, query) = stalled_delete();
        // A second task, as when sync deletes two chunks of paths: both run.
        let other = paths_query(&["b.txt"]);
        qw.delete("statements", &other).unwrap();
        wait_until_gone(
            &qw,
            "statements",
            vec![query, other],
            2,
            &patience(100, 10_000),
        )
        .unwrap();
        let node = node.lock().unwrap();
        assert!(node.paths.is_empty());
        assert!(node.ingested.is_empty(), "{:?}", node.ingested);
    }
}
