//! `citeindex serve`: a local search page and a JSON API over the index,
//! optionally kept fresh by watching the corpus.
//!
//! Searches run on tokio's blocking pool, a bounded number at a time, each
//! under a time limit; they read from an [`OpenIndex`] snapshot held in an
//! `Arc`, so an update that swaps in a newer snapshot never disturbs a search
//! in flight. Every response carries a restrictive Content-Security-Policy:
//! the page loads only its own script and style, embedded in the binary, and
//! the script builds the results with text nodes, never HTML.
//!
//! Nothing a request says reaches the file system: the routes are fixed, the
//! assets are compiled in, and the only files read are the index's.

mod api;
mod check;
mod connections;
mod guard;
mod watch;

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::{Arc, RwLock};
use std::time::Duration;

use anyhow::Context;
use axum::extract::DefaultBodyLimit;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use tokio::sync::Semaphore;

use crate::index::{IndexError, OpenIndex};

/// How the server was asked to run.
#[derive(Debug, Clone)]
pub(crate) struct ServeOptions {
    pub index_dir: PathBuf,
    pub addr: SocketAddr,
    /// Keep the index up to date with this corpus folder.
    pub watch: Option<PathBuf>,
    /// The longest a search may take before the request gets a 503.
    pub timeout: Duration,
    /// Names besides the loopback ones that requests may address the server by.
    pub allow_hosts: Vec<String>,
}

/// The largest `limit` a search request may ask for.
pub(crate) const MAX_LIMIT: usize = 100;
/// The largest `offset`: deep paging belongs to `citeindex export`.
pub(crate) const MAX_OFFSET: usize = 10_000;

const CSP: &str = "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; \
                   img-src 'self' data:; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/// What every request handler shares.
pub(crate) struct AppState {
    index_dir: PathBuf,
    current: RwLock<Arc<OpenIndex>>,
    /// What the index folder looked like when `current` was opened.
    seen: std::sync::Mutex<Option<OnDisk>>,
    /// Searches running at once; more wait their turn within their time limit.
    permits: Arc<Semaphore>,
    timeout: Duration,
    /// `/api/stats` of the last index it was asked about: counting papers and
    /// authors reads every statement, so it is done once per index version.
    stats: std::sync::Mutex<Option<(api::IndexVersion, crate::stats::Stats)>>,
}

impl AppState {
    /// The index at `index_dir`, searched by at most `searches` at once, each
    /// within `timeout`.
    fn open(index_dir: &Path, searches: usize, timeout: Duration) -> Result<AppState, IndexError> {
        let seen = OnDisk::read(index_dir);
        let open = crate::index::open(index_dir)?;
        Ok(AppState {
            index_dir: index_dir.to_path_buf(),
            current: RwLock::new(Arc::new(open)),
            seen: std::sync::Mutex::new(seen),
            permits: Arc::new(Semaphore::new(searches)),
            timeout,
            stats: std::sync::Mutex::new(None),
        })
    }

    /// The index as of now; later updates do not change what this search sees.
    fn snapshot(&self) -> Arc<OpenIndex> {
        match self.current.read() {
            Ok(guard) => Arc::clone(&guard),
            Err(poisoned) => Arc::clone(&poisoned.into_inner()),
        }
    }

    /// Serves `open` from now on; the filters' bits read so far go with it
    /// (those of segments it no longer has age out of the cache).
    fn replace(&self, mut open: OpenIndex, seen: Option<OnDisk>) {
        if let Ok(mut guard) = self.seen.lock() {
            *guard = seen;
        }
        open.bits = Arc::clone(&self.snapshot().bits);
        let fresh = Arc::new(open);
        match self.current.write() {
            Ok(mut guard) => *guard = fresh,
            Err(poisoned) => *poisoned.into_inner() = fresh,
        }
    }
}

/// The live generation and its last commit's `meta.json` (modification time
/// and size): when either changes, someone updated the index.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct OnDisk {
    generation: PathBuf,
    meta: Option<(std::time::SystemTime, u64)>,
}

impl OnDisk {
    pub(crate) fn read(index_dir: &std::path::Path) -> Option<OnDisk> {
        let generation = crate::index::store::current_generation(index_dir).ok()?;
        let meta = std::fs::metadata(generation.join("meta.json"))
            .ok()
            .and_then(|m| Some((m.modified().ok()?, m.len())));
        Some(OnDisk { generation, meta })
    }
}

/// How often the server looks for an index updated by someone else (a
/// `citeindex index` run in another terminal).
const RELOAD_EVERY: Duration = Duration::from_secs(1);

/// Reopens the index whenever it changed on disk, so that a server without
/// `--watch` also serves what the last `citeindex index` wrote.
fn spawn_reloader(state: Arc<AppState>) {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(RELOAD_EVERY);
        loop {
            tick.tick().await;
            let state = Arc::clone(&state);
            let _ = tokio::task::spawn_blocking(move || {
                let now = OnDisk::read(&state.index_dir);
                let known = state.seen.lock().ok().and_then(|g| g.clone());
                if now.is_none() || now == known {
                    return;
                }
                // Mid-swap or mid-commit, opening may fail: the next tick tries again.
                if let Ok(open) = crate::index::open(&state.index_dir) {
                    state.replace(open, now);
                }
            })
            .await;
        }
    });
}

/// Serves until interrupted (Ctrl-C or SIGTERM).
pub(crate) fn run(options: ServeOptions) -> anyhow::Result<()> {
    if let Some(corpus) = &options.watch {
        // Bring the index up to date (or build it) before the first request.
        watch::update(corpus, &options.index_dir)?;
    }
    let workers = std::thread::available_parallelism().map_or(2, |n| n.get());
    let state = Arc::new(AppState::open(
        &options.index_dir,
        workers * 2,
        options.timeout,
    )?);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(workers)
        .enable_all()
        .build()
        .context("cannot start the server's runtime")?;
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::bind(options.addr)
            .await
            .with_context(|| format!("cannot listen on {}", options.addr))?;
        let bound = listener.local_addr()?;
        if let Some(corpus) = options.watch.clone() {
            watch::spawn(corpus, Arc::clone(&state))?;
        }
        spawn_reloader(Arc::clone(&state));
        let hosts = guard::AllowedHosts::new(bound, &options.allow_hosts);
        eprintln!("citeindex serve: listening on http://{bound}/ (Ctrl-C stops)");
        connections::serve(listener, router(state, hosts), shutdown()).await;
        anyhow::Ok(())
    })?;
    // A `--watch` update may still be running on the blocking pool: it is
    // left to die with the process, which its single atomic commit survives
    // (the next `citeindex index` finishes it).
    runtime.shutdown_timeout(Duration::from_millis(100));
    Ok(())
}

pub(crate) fn router(state: Arc<AppState>, hosts: guard::AllowedHosts) -> Router {
    Router::new()
        .route("/", get(page))
        .route("/app.js", get(script))
        .route("/app.css", get(style))
        .route("/api/search", get(api::search))
        .route("/api/stats", get(api::stats))
        .route("/api/paper/{*doi}", get(api::paper))
        .route(
            "/api/check",
            post(check::check).layer(DefaultBodyLimit::max(check::MAX_LIST_BYTES)),
        )
        .fallback(not_found)
        .layer(axum::middleware::from_fn_with_state(
            Arc::new(hosts),
            guard::check,
        ))
        .layer(axum::middleware::map_response(security_headers))
        .with_state(state)
}

async fn security_headers(mut response: Response) -> Response {
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(CSP),
    );
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    response
}

async fn shutdown() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = term => {},
    }
}

fn asset(content_type: &'static str, body: &'static str) -> Response {
    (
        [
            (header::CONTENT_TYPE, content_type),
            (header::CACHE_CONTROL, "no-cache"),
        ],
        body,
    )
        .into_response()
}

async fn page() -> Response {
    asset(
        "text/html; charset=utf-8",
        include_str!("assets/index.html"),
    )
}

async fn script() -> Response {
    asset(
        "text/javascript; charset=utf-8",
        include_str!("assets/app.js"),
    )
}

async fn style() -> Response {
    asset("text/css; charset=utf-8", include_str!("assets/app.css"))
}

async fn not_found() -> Response {
    api::error(StatusCode::NOT_FOUND, "no such page: see / and /api/search")
}
