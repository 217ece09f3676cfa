//! The part of Quickwit 0.9's REST API that `sync` uses: an index's doc
//! mapping, creating an index, NDJSON ingestion, delete tasks and counts.
//! A client is shared by the threads that send batches.
//!
//! Requests Quickwit refuses for now (429, 503, a refused connection) are
//! retried with backoff; nothing was ingested by them. A request that fails
//! after it was sent (a reset connection, a timeout) may or may not have been
//! applied, so it is reported as [`Sent::Uncertain`] and `sync` checks the
//! counts afterwards instead of sending the documents twice.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use serde_json::{json, Value};

#[derive(Debug, thiserror::Error)]
pub(crate) enum QuickwitError {
    #[error("cannot reach Quickwit at {url}: {reason}")]
    Unreachable { url: String, reason: String },
    #[error("Quickwit answered {status} to {what}: {body}")]
    Refused {
        what: String,
        status: u16,
        body: String,
    },
    #[error("Quickwit's answer to {what} is not what Quickwit 0.9 sends: {reason}")]
    Unexpected { what: String, reason: String },
}

/// Whether an ingest request was applied.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Sent {
    /// Committed: the documents are searchable.
    Committed,
    /// The connection failed after the request went out.
    Uncertain,
}

/// When an ingest request returns.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Commit {
    /// At the index's next scheduled commit (`commit_timeout_secs` after
    /// the first uncommitted document): requests in flight together share
    /// one commit, so one split.
    WaitFor,
    /// After a commit made for this request alone: one split per request.
    Force,
}

impl Commit {
    fn parameter(self) -> &'static str {
        match self {
            Commit::WaitFor => "wait_for",
            Commit::Force => "force",
        }
    }
}

/// What sync needs to know of an existing index.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct IndexInfo {
    /// `ID:ULID`: one incarnation of the index; another index created under
    /// the same id has another.
    pub uid: String,
    /// The `(name, type)` of each field of its doc mapping.
    pub fields: Vec<(String, String)>,
    /// How long after its first document an indexer commits a split.
    pub commit_timeout_secs: u64,
}

pub(crate) struct Quickwit {
    agent: ureq::Agent,
    base: String,
    /// Whether the node has answered yet: a refused connection is retried
    /// only then (a node restarting), not at a wrong address.
    answered: AtomicBool,
}

/// The most buckets an aggregation of Quickwit 0.9 may make (its searchers'
/// `aggregation_bucket_limit`).
pub(crate) const MAX_BUCKETS: usize = 65_000;

/// How long a refused request is retried before the error is given up to the user.
const RETRY_FOR: Duration = Duration::from_secs(120);

impl Quickwit {
    /// A client of the node at `url` (`http://127.0.0.1:7280`).
    pub(crate) fn new(url: &str) -> Quickwit {
        let agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .timeout_global(Some(Duration::from_secs(300)))
            .build()
            .new_agent();
        Quickwit {
            agent,
            base: url.trim_end_matches('/').to_string(),
            answered: AtomicBool::new(false),
        }
    }

    /// The index's uid, doc mapping and commit timeout, or `None` when there is
    /// no index of that id.
    pub(crate) fn describe(&self, index: &str) -> Result<Option<IndexInfo>, QuickwitError> {
        let what = format!("reading the index `{index}`");
        let (status, body) = self.call(&what, || {
            self.agent
                .get(&format!("{}/api/v1/indexes/{index}", self.base))
                .call()
        })?;
        match status {
            404 => return Ok(None),
            200 => {}
            _ => return Err(refused(&what, status, body)),
        }
        let meta = parse(&what, &body)?;
        let config = &meta["index_config"];
        let fields = config["doc_mapping"]["field_mappings"]
            .as_array()
            .ok_or_else(|| unexpected(&what, "no doc_mapping.field_mappings"))?;
        let commit_timeout_secs = config["indexing_settings"]["commit_timeout_secs"]
            .as_u64()
            .ok_or_else(|| unexpected(&what, "no indexing_settings.commit_timeout_secs"))?;
        let uid = meta["index_uid"]
            .as_str()
            .ok_or_else(|| unexpected(&what, "no index_uid"))?
            .to_string();
        Ok(Some(IndexInfo {
            uid,
            fields: fields
                .iter()
                .map(|f| {
                    let text = |key: &str| f[key].as_str().unwrap_or_default().to_string();
                    (text("name"), text("type"))
                })
                .collect(),
            commit_timeout_secs,
        }))
    }

    /// Creates an index from its config (YAML).
    pub(crate) fn create(&self, config: &str) -> Result<(), QuickwitError> {
        let what = "creating the index".to_string();
        let (status, body) = self.call(&what, || {
            self.agent
                .post(&format!("{}/api/v1/indexes", self.base))
                .header("Content-Type", "application/yaml")
                .send(config)
        })?;
        match status {
            200 => Ok(()),
            _ => Err(refused(&what, status, body)),
        }
    }

    /// Ingests NDJSON documents and waits for their commit.
    pub(crate) fn ingest(
        &self,
        index: &str,
        ndjson: &[u8],
        documents: u64,
        commit: Commit,
    ) -> Result<Sent, QuickwitError> {
        let what = format!("ingesting {documents} documents");
        let url = format!(
            "{}/api/v1/{index}/ingest?commit={}",
            self.base,
            commit.parameter()
        );
        let answer = self.call(&what, || self.agent.post(&url).send(ndjson));
        let (status, body) = match answer {
            Ok(answer) => answer,
            Err(QuickwitError::Unreachable { .. }) if self.reachable() => {
                return Ok(Sent::Uncertain)
            }
            Err(e) => return Err(e),
        };
        if status != 200 {
            return Err(refused(&what, status, body));
        }
        let answer = parse(&what, &body)?;
        let rejected = answer["num_rejected_docs"].as_u64().unwrap_or(0);
        if rejected > 0 {
            return Err(unexpected(
                &what,
                &format!("{rejected} documents were rejected: {answer}"),
            ));
        }
        Ok(Sent::Committed)
    }

    /// Starts a delete task for the documents `query` matches. Quickwit
    /// applies it to the documents committed before it, in the background.
    pub(crate) fn delete(&self, index: &str, query: &str) -> Result<(), QuickwitError> {
        self.post_json(
            "starting a delete task",
            &format!("{index}/delete-tasks"),
            &json!({ "query": query }),
        )
        .map(|_| ())
    }

    /// The number of documents `query` matches.
    pub(crate) fn count(&self, index: &str, query: &str) -> Result<u64, QuickwitError> {
        let answer = self.search(index, json!({ "query": query, "max_hits": 0 }))?;
        answer["num_hits"]
            .as_u64()
            .ok_or_else(|| unexpected("a count", "no num_hits"))
    }

    /// The documents whose `path` is in `from..to` (either end open when
    /// `None`): their number, and their number per path for up to
    /// [`MAX_BUCKETS`] paths. Through Quickwit's Elasticsearch-compatible
    /// search, whose JSON range takes any path as a bound; the query
    /// language's ranges take no quoted bounds, so no path with a space.
    pub(crate) fn counts_in_range(
        &self,
        index: &str,
        from: Option<&str>,
        to: Option<&str>,
    ) -> Result<(u64, HashMap<String, u64>), QuickwitError> {
        let mut range = serde_json::Map::new();
        if let Some(from) = from {
            range.insert("gte".into(), from.into());
        }
        if let Some(to) = to {
            range.insert("lt".into(), to.into());
        }
        let query = if range.is_empty() {
            json!({"match_all": {}})
        } else {
            json!({"range": {"path": range}})
        };
        let what = "counting by path";
        let answer = self.post_json(
            what,
            &format!("_elastic/{index}/_search"),
            &json!({
                "size": 0,
                "track_total_hits": true,
                "query": query,
                "aggs": {"paths": {"terms": {"field": "path", "size": MAX_BUCKETS}}}
            }),
        )?;
        let answer = parse(what, &answer)?;
        let total = answer["hits"]["total"]["value"]
            .as_u64()
            .ok_or_else(|| unexpected(what, "no hits.total.value"))?;
        let buckets = answer["aggregations"]["paths"]["buckets"]
            .as_array()
            .ok_or_else(|| unexpected(what, "no aggregation buckets"))?;
        let counts = buckets
            .iter()
            .filter_map(|b| Some((b["key"].as_str()?.to_string(), b["doc_count"].as_u64()?)))
            .collect();
        Ok((total, counts))
    }

    fn search(&self, index: &str, request: Value) -> Result<Value, QuickwitError> {
        let answer = self.post_json("a search", &format!("{index}/search"), &request)?;
        parse("a search", &answer)
    }

    /// POSTs `body` as JSON to `/api/v1/{path}`; the answer's body on 200.
    fn post_json(&self, what: &str, path: &str, body: &Value) -> Result<String, QuickwitError> {
        let body = body.to_string();
        let (status, answer) = self.call(what, || {
            self.agent
                .post(&format!("{}/api/v1/{path}", self.base))
                .header("Content-Type", "application/json")
                .send(body.as_str())
        })?;
        match status {
            200 => Ok(answer),
            _ => Err(refused(what, status, answer)),
        }
    }

    fn reachable(&self) -> bool {
        self.agent
            .get(&format!("{}/health/livez", self.base))
            .call()
            .is_ok()
    }

    /// Runs a request, retrying with backoff while Quickwit is busy (429,
    /// 503) or refuses connections; returns the status and body.
    fn call<F>(&self, what: &str, request: F) -> Result<(u16, String), QuickwitError>
    where
        F: Fn() -> Result<ureq::http::Response<ureq::Body>, ureq::Error>,
    {
        let started = Instant::now();
        let mut wait = Duration::from_millis(200);
        loop {
            let retry = match request() {
                Ok(mut response) => {
                    self.answered.store(true, Ordering::Relaxed);
                    let status = response.status().as_u16();
                    let body = response.body_mut().read_to_string().unwrap_or_default();
                    if !matches!(status, 429 | 502 | 503 | 504) {
                        return Ok((status, body));
                    }
                    refused(what, status, body)
                }
                Err(e) if self.answered.load(Ordering::Relaxed) && is_refused_connection(&e) => {
                    QuickwitError::Unreachable {
                        url: self.base.clone(),
                        reason: e.to_string(),
                    }
                }
                Err(e) => {
                    return Err(QuickwitError::Unreachable {
                        url: self.base.clone(),
                        reason: e.to_string(),
                    })
                }
            };
            if started.elapsed() + wait > RETRY_FOR {
                return Err(retry);
            }
            std::thread::sleep(wait);
            wait = (wait * 2).min(Duration::from_secs(10));
        }
    }
}

/// A connection that was never made: nothing was sent, so a retry is safe.
fn is_refused_connection(e: &ureq::Error) -> bool {
    match e {
        ureq::Error::ConnectionFailed => true,
        ureq::Error::Io(io) => io.kind() == std::io::ErrorKind::ConnectionRefused,
        _ => false,
    }
}

fn parse(what: &str, body: &str) -> Result<Value, QuickwitError> {
    serde_json::from_str(body).map_err(|e| unexpected(what, &e.to_string()))
}

fn refused(what: &str, status: u16, body: String) -> QuickwitError {
    QuickwitError::Refused {
        what: what.to_string(),
        status,
        body: body.chars().take(500).collect(),
    }
}

fn unexpected(what: &str, reason: &str) -> QuickwitError {
    QuickwitError::Unexpected {
        what: what.to_string(),
        reason: reason.to_string(),
    }
}

/// A query for the documents of these files (`path` is one raw token).
pub(crate) fn paths_query(paths: &[&str]) -> String {
    paths
        .iter()
        .map(|p| format!("path:\"{}\"", p.replace('\\', "\\\\").replace('"', "\\\"")))
        .collect::<Vec<_>>()
        .join(" OR ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_wrong_address_fails_at_once() {
        // A port nothing listens on: bound, then released.
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .map(|a| a.port())
            .unwrap();
        let started = Instant::now();
        let e = Quickwit::new(&format!("http://127.0.0.1:{port}"))
            .describe("x")
            .unwrap_err();
        assert!(matches!(e, QuickwitError::Unreachable { .. }), "{e}");
        assert!(
            started.elapsed() < Duration::from_secs(5),
            "{:?}",
            started.elapsed()
        );
    }

    #[test]
    fn paths_are_quoted_for_the_query_language() {
        assert_eq!(
            paths_query(&["a/b c.txt", "x\"y.txt"]),
            "path:\"a/b c.txt\" OR path:\"x\\\"y.txt\""
        );
    }
}
