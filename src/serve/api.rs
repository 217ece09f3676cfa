//! The JSON API: `/api/search`, `/api/stats` and `/api/paper/{doi}` (and
//! `/api/check`, in its own module).
//!
//! Bad parameters are answered with 400 and `{"error": "..."}` saying what is
//! wrong; an unknown parameter is an error too, so a typo does not silently
//! widen a search. Only a failure of the index itself is a 500.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Instant;

use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::json;

use super::{AppState, MAX_LIMIT, MAX_OFFSET};
use crate::render;
use crate::search::{
    self, FilterError, FilterText, Filters, Hit, Order, PaperOrder, Request, SearchError,
};

pub(super) fn error(status: StatusCode, message: &str) -> Response {
    (status, Json(json!({ "error": message }))).into_response()
}

const SEARCH_PARAMETERS: [&str; 10] = [
    "q", "section", "type", "author", "year", "doi", "sort", "limit", "offset", "facets",
];

pub(super) async fn search(
    State(state): State<Arc<AppState>>,
    params: Result<Query<Vec<(String, String)>>, QueryRejection>,
) -> Response {
    let (request, with_facets) = match params
        .map_err(|e| e.body_text())
        .and_then(|Query(pairs)| Ok((search_request(&pairs)?, wants_facets(&pairs)?)))
    {
        Ok(parsed) => parsed,
        Err(message) => return error(StatusCode::BAD_REQUEST, &message),
    };
    run(&state, move |open| {
        let started = Instant::now();
        let found = search::search(open, &request).and_then(|hits| {
            let facets = match with_facets {
                true => Some(search::facets(open, &request)?),
                false => None,
            };
            let total = match &facets {
                Some(facets) => facets.total,
                None => search::total(open, &request)?,
            };
            Ok((total, facets, hits))
        });
        let (total, facets, mut hits) = match found {
            Ok(found) => found,
            Err(e) => return search_error(&e),
        };
        render::shown_paths(&mut hits);
        let marks: Vec<Vec<[usize; 2]>> = hits.iter().map(utf16_marks).collect();
        Json(json!({
            "query": request.query,
            "total": total,
            "offset": request.offset,
            "limit": request.limit,
            "took_ms": started.elapsed().as_secs_f64() * 1000.0,
            "hits": hits,
            "marks": marks,
            "facets": facets,
        }))
        .into_response()
    })
    .await
}

pub(super) async fn stats(State(state): State<Arc<AppState>>) -> Response {
    let cache = Arc::clone(&state);
    run(&state, move |open| {
        let version = IndexVersion::of(open);
        let cached = cache.stats.lock().ok().and_then(|c| {
            c.as_ref()
                .filter(|(v, _)| *v == version)
                .map(|(_, s)| s.clone())
        });
        if let Some(stats) = cached {
            return Json(stats).into_response();
        }
        match crate::stats::gather(open, 10) {
            Ok(stats) => {
                if let Ok(mut c) = cache.stats.lock() {
                    *c = Some((version, stats.clone()));
                }
                Json(stats).into_response()
            }
            Err(e) => error(StatusCode::INTERNAL_SERVER_ERROR, &e.to_string()),
        }
    })
    .await
}

/// Which version of the index a snapshot shows: its generation, its
/// segments and how many documents are alive in them. Any commit that adds,
/// changes or deletes a document changes one of them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct IndexVersion {
    generation: std::path::PathBuf,
    segments: Vec<tantivy::index::SegmentId>,
    alive: u64,
    updated_at: u64,
}

impl IndexVersion {
    fn of(open: &crate::index::OpenIndex) -> IndexVersion {
        let searcher = open.reader.searcher();
        IndexVersion {
            generation: open.generation.clone(),
            segments: searcher
                .segment_readers()
                .iter()
                .map(|r| r.segment_id())
                .collect(),
            alive: searcher.num_docs(),
            updated_at: open.provenance.updated_at,
        }
    }
}

/// The cited paper with every indexed statement about it, in page order.
pub(super) async fn paper(State(state): State<Arc<AppState>>, Path(doi): Path<String>) -> Response {
    let doi = doi.trim_start_matches('/').to_string();
    if !doi.contains("10.") {
        return error(
            StatusCode::BAD_REQUEST,
            &format!("`{doi}` is not a DOI (they start with 10.)"),
        );
    }
    let request = Request {
        query: "*".to_string(),
        filters: Filters {
            doi: Some(doi.clone()),
            ..Filters::default()
        },
        limit: 100_000,
        ..Request::default()
    };
    let normalized = search::normalize_doi(&doi);
    run(&state, move |open| {
        let mut hits = match search::search(open, &request) {
            Ok(hits) => hits,
            Err(e) => return search_error(&e),
        };
        let Some(first) = hits.first().cloned() else {
            return error(
                StatusCode::NOT_FOUND,
                "no indexed statements about this DOI",
            );
        };
        // The page's own tallies and every file it was saved in.
        let paper = match search::papers(open, &request, PaperOrder::default()) {
            Ok(found) => found.papers.into_iter().next(),
            Err(e) => return search_error(&e),
        };
        render::shown_paths(&mut hits);
        hits.sort_by(|a, b| a.position.cmp(&b.position).then(a.path.cmp(&b.path)));
        let (tally, share, mut files) = paper.map_or_else(Default::default, |p| {
            (p.tally, p.contrasting_share, p.files)
        });
        render::shown_file_paths(&mut files);
        Json(json!({
            "doi": normalized,
            "title": first.title,
            "year": first.year,
            "tally": tally,
            "contrasting_share": share,
            "files": files,
            "statements": hits,
        }))
        .into_response()
    })
    .await
}

/// Runs a job that reads the index on the blocking pool, under a permit and
/// the time limit; past the limit the answer is 503.
pub(super) async fn run<F>(state: &Arc<AppState>, job: F) -> Response
where
    F: FnOnce(&crate::index::OpenIndex) -> Response + Send + 'static,
{
    let started = Instant::now();
    let permits = Arc::clone(&state.permits);
    let permit = match tokio::time::timeout(state.timeout, permits.acquire_owned()).await {
        Ok(Ok(permit)) => permit,
        _ => {
            return error(
                StatusCode::SERVICE_UNAVAILABLE,
                "the server is busy with other searches; try again",
            )
        }
    };
    let open = state.snapshot();
    // The permit goes with the search, not with the request: a search past
    // its time limit still runs to its end on the blocking pool, and until
    // then it counts against the searches allowed at once.
    let work = tokio::task::spawn_blocking(move || {
        let _running = permit;
        job(&open)
    });
    let left = state.timeout.saturating_sub(started.elapsed());
    let result = tokio::time::timeout(left, work).await;
    // The timer fires on a millisecond tick and its task may wake late on a
    // busy machine, by which time the search can have finished: the limit is
    // judged by the clock, so an answer ready after it is a 503 all the same.
    let late = started.elapsed() > state.timeout;
    match result {
        Ok(Ok(response)) if !late => response,
        Ok(Err(_)) => error(StatusCode::INTERNAL_SERVER_ERROR, "the search failed"),
        Ok(Ok(_)) | Err(_) => error(
            StatusCode::SERVICE_UNAVAILABLE,
            &format!(
                "the search took longer than {} s; narrow it down",
                state.timeout.as_secs_f64()
            ),
        ),
    }
}

/// A filter's error in the API's terms: `year: `20x` is not a year range…`.
fn parameter_error(e: &FilterError) -> String {
    format!("{}: {e}", e.filter().name())
}

/// A query or filter the user got wrong is a 400; anything else is the index's fault.
fn search_error(e: &SearchError) -> Response {
    match e {
        SearchError::BadFilter(filter) => error(StatusCode::BAD_REQUEST, &parameter_error(filter)),
        SearchError::BadQuery { .. } => error(StatusCode::BAD_REQUEST, &e.to_string()),
        SearchError::Tantivy(_) => error(StatusCode::INTERNAL_SERVER_ERROR, &e.to_string()),
    }
}

/// The search the parameters describe, or what is wrong with them.
/// `facets=false` leaves the facet counts out (`"facets": null`): a page of
/// hits after the first, or a client that shows none, saves their columns.
fn wants_facets(pairs: &[(String, String)]) -> Result<bool, String> {
    match pairs.iter().find(|(key, _)| key == "facets") {
        None => Ok(true),
        Some((_, value)) => match value.trim() {
            "" | "true" => Ok(true),
            "false" => Ok(false),
            other => Err(format!("`facets` is true or false, not `{other}`")),
        },
    }
}

fn search_request(pairs: &[(String, String)]) -> Result<Request, String> {
    let mut params: HashMap<&str, &str> = HashMap::new();
    for (key, value) in pairs {
        if !SEARCH_PARAMETERS.contains(&key.as_str()) {
            return Err(format!(
                "unknown parameter `{key}`; known: {}",
                SEARCH_PARAMETERS.join(", ")
            ));
        }
        if params.insert(key, value).is_some() {
            return Err(format!("parameter `{key}` is given twice"));
        }
    }
    // An empty parameter is no parameter: a form leaves untouched fields empty.
    let get = |key: &str| params.get(key).copied().filter(|v| !v.trim().is_empty());
    let number = |key: &str, default: usize, range: std::ops::RangeInclusive<usize>| match get(key)
    {
        None => Ok(default),
        Some(text) => text
            .trim()
            .parse::<usize>()
            .ok()
            .filter(|n| range.contains(n))
            .ok_or_else(|| {
                format!(
                    "`{key}` must be a whole number from {} to {}",
                    range.start(),
                    range.end()
                )
            }),
    };
    let filters = Filters::from_text(FilterText {
        section: get("section"),
        citation_type: get("type"),
        author: get("author"),
        year: get("year"),
        doi: get("doi"),
    })
    .map_err(|e| parameter_error(&e))?;
    let order = get("sort").map_or(Ok(Order::Relevance), str::parse)?;
    Ok(Request {
        query: get("q").unwrap_or_default().to_string(),
        filters,
        order,
        explain: false,
        limit: number("limit", 10, 1..=MAX_LIMIT)?,
        offset: number("offset", 0, 0..=MAX_OFFSET)?,
    })
}

/// The hit's highlight ranges as UTF-16 offsets into `text`, as JavaScript
/// strings count them.
fn utf16_marks(hit: &Hit) -> Vec<[usize; 2]> {
    let text = &hit.text;
    let at = |byte: usize| -> Option<usize> {
        text.get(..byte).map(|prefix| prefix.encode_utf16().count())
    };
    hit.highlights
        .iter()
        .filter_map(|r| Some([at(r.start)?, at(r.end)?]))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn parameters_become_a_request_or_a_reason() {
        let request = search_request(&pairs(&[
            ("q", "sleep"),
            ("type", "supporting"),
            ("limit", "5"),
            ("sort", "year"),
        ]))
        .unwrap();
        assert_eq!(request.query, "sleep");
        assert_eq!(request.limit, 5);
        assert_eq!(request.order, Order::Year);
        assert!(request.filters.citation_type.is_some());
        let empty = search_request(&pairs(&[("q", "x"), ("section", ""), ("year", " ")])).unwrap();
        assert!(empty.filters.is_empty());
        for (bad, words) in [
            (vec![("q", "x"), ("limt", "5")], "unknown parameter `limt`"),
            (vec![("q", "x"), ("limit", "0")], "`limit` must be"),
            (vec![("q", "x"), ("limit", "101")], "`limit` must be"),
            (vec![("q", "x"), ("offset", "-1")], "`offset` must be"),
            (vec![("q", "x"), ("type", "angry")], "not a citation type"),
            (vec![("q", "x"), ("year", "20x")], "not a year range"),
            (vec![("q", "x"), ("sort", "newest")], "not an order"),
            (vec![("q", "x"), ("q", "y")], "given twice"),
        ] {
            let err = search_request(&pairs(&bad)).unwrap_err();
            assert!(err.contains(words), "{bad:?}: {err}");
            // The API's own terms, never the command line's flags.
            assert!(!err.contains("--"), "{bad:?}: {err}");
        }
        let err = search_request(&pairs(&[("q", "x"), ("year", "2021..2019")])).unwrap_err();
        assert!(err.starts_with("year: `2021..2019`"), "{err}");
        let err = parameter_error(&FilterError::SectionWithoutWords("!!".into()));
        assert_eq!(err, "section: `!!` has no words to match");
    }

    #[test]
    fn marks_count_utf16_units() {
        let text = "Åström 𝔸 sleep".to_string();
        let hit = Hit {
            highlights: vec![0..8, 14..19],
            text,
            ..Hit::default()
        };
        // Å and ö are one unit each; 𝔸 (4 bytes) is two.
        assert_eq!(utf16_marks(&hit), vec![[0, 6], [10, 15]]);
    }

    /// A search past its time limit is answered 503 at once but runs on to
    /// its end, and until then it keeps its permit: with one permit, a
    /// second search is turned away as busy while the first still runs, and
    /// no more than one ever runs at a time.
    #[test]
    fn a_search_past_its_limit_holds_its_permit_until_it_ends() {
        use std::sync::atomic::{AtomicUsize, Ordering};
        use std::time::Duration;

        let dir = tempfile::tempdir().expect("a temporary folder");
        let index_dir = dir.path().join("index");
        let corpus = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("sample-corpus");
        let options = crate::index::BuildOptions::new(Some(corpus), index_dir.clone());
        crate::index::build(&options, &|_| {}).expect("indexing the sample corpus");
        let state = Arc::new(
            AppState::open(&index_dir, 1, Duration::from_millis(100)).expect("opening it"),
        );

        let running = Arc::new(AtomicUsize::new(0));
        let most = Arc::new(AtomicUsize::new(0));
        let job = |running: Arc<AtomicUsize>, most: Arc<AtomicUsize>| {
            move |_: &crate::index::OpenIndex| {
                let now = running.fetch_add(1, Ordering::SeqCst) + 1;
                most.fetch_max(now, Ordering::SeqCst);
                std::thread::sleep(Duration::from_millis(1000));
                running.fetch_sub(1, Ordering::SeqCst);
                StatusCode::OK.into_response()
            }
        };
        let runtime = tokio::runtime::Runtime::new().expect("a runtime");
        let statuses = runtime.block_on(async {
            let mut statuses = Vec::new();
            for _ in 0..3 {
                let answer = run(&state, job(Arc::clone(&running), Arc::clone(&most))).await;
                statuses.push(answer.status());
            }
            statuses
        });
        // The first search timed out; the next two found its permit still
        // held (its 1 s outlasts their 100 ms waits) and were turned away.
        assert_eq!(statuses, vec![StatusCode::SERVICE_UNAVAILABLE; 3]);
        std::thread::sleep(Duration::from_millis(1200));
        assert_eq!(most.load(Ordering::SeqCst), 1, "searches ran at once");
        assert_eq!(running.load(Ordering::SeqCst), 0);
        // Once it has ended, its permit serves the next search.
        let fast = |_: &crate::index::OpenIndex| StatusCode::OK.into_response();
        assert_eq!(runtime.block_on(run(&state, fast)).status(), StatusCode::OK);
    }
}
