//! Accepting connections so that no client can hog the server.
//!
//! - A request's line and headers must arrive within [`HEADER_READ_TIMEOUT`]
//!   of the connection asking for them (an idle keep-alive connection is
//!   closed after the same time): an idle or slowloris client holds only its
//!   own connection, and not for long.
//! - They may take at most [`MAX_HEADER_BYTES`]; a larger head is refused
//!   (`431`) without being read further.
//! - At most [`max_connections`] are open at once; past that a new connection
//!   is closed at once rather than left waiting in the backlog. The process's
//!   open-file limit is raised to its hard limit first so that the cap, not
//!   the limit, is what a crowd of clients meets.
//!
//! HTTP/1.1 only: the page and the API need nothing else.

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use hyper::server::conn::http1;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use hyper_util::service::TowerToHyperService;
use tokio::net::TcpListener;
use tokio::sync::Semaphore;

/// How long a client has to send a request's line and headers.
pub(super) const HEADER_READ_TIMEOUT: Duration = Duration::from_secs(10);

/// The largest request line and headers, together.
pub(super) const MAX_HEADER_BYTES: usize = 64 * 1024;

/// The most connections open at once, where the open-file limit allows.
pub(super) const MAX_CONNECTIONS: usize = 4096;

/// Descriptors kept for the index's files, the watcher and the runtime.
const RESERVED_FILES: u64 = 256;

/// After a stop is asked for, how long requests in flight may finish.
const SHUTDOWN_GRACE: Duration = Duration::from_millis(1500);

/// The connection cap: [`MAX_CONNECTIONS`], or fewer when the open-file
/// limit (raised as far as it goes) leaves less room.
pub(super) fn max_connections() -> usize {
    let files = raise_open_file_limit();
    let room = files.saturating_sub(RESERVED_FILES).max(16);
    MAX_CONNECTIONS.min(usize::try_from(room).unwrap_or(usize::MAX))
}

/// Raises the soft open-file limit to the hard one; returns the limit now.
#[allow(
    unsafe_code,
    reason = "getrlimit and setrlimit are libc calls, and std has no way to raise the limit"
)]
fn raise_open_file_limit() -> u64 {
    #[cfg(unix)]
    {
        let mut limit = libc::rlimit {
            rlim_cur: 0,
            rlim_max: 0,
        };
        // SAFETY: getrlimit and setrlimit only read and write the struct given.
        unsafe {
            if libc::getrlimit(libc::RLIMIT_NOFILE, &mut limit) != 0 {
                return 1024;
            }
            if limit.rlim_cur < limit.rlim_max {
                let raised = libc::rlimit {
                    rlim_cur: limit.rlim_max,
                    rlim_max: limit.rlim_max,
                };
                if libc::setrlimit(libc::RLIMIT_NOFILE, &raised) == 0 {
                    limit = raised;
                }
            }
        }
        limit.rlim_cur
    }
    #[cfg(not(unix))]
    {
        1024
    }
}

/// Serves `app` on `listener` until `stop` resolves; then lets requests in
/// flight finish for a moment and returns.
pub(super) async fn serve(listener: TcpListener, app: Router, stop: impl Future<Output = ()>) {
    let open = Arc::new(Semaphore::new(max_connections()));
    let graceful = GracefulShutdown::new();
    let mut stop = std::pin::pin!(stop);
    loop {
        let accepted = tokio::select! {
            accepted = listener.accept() => accepted,
            () = &mut stop => break,
        };
        let stream = match accepted {
            Ok((stream, _)) => stream,
            Err(_) => {
                // Out of descriptors, most likely: let some connections end.
                tokio::time::sleep(Duration::from_millis(20)).await;
                continue;
            }
        };
        let Ok(permit) = Arc::clone(&open).try_acquire_owned() else {
            drop(stream);
            continue;
        };
        let _ = stream.set_nodelay(true);
        let connection = http1::Builder::new()
            .timer(TokioTimer::new())
            .header_read_timeout(HEADER_READ_TIMEOUT)
            .max_buf_size(MAX_HEADER_BYTES)
            .serve_connection(TokioIo::new(stream), TowerToHyperService::new(app.clone()));
        let connection = graceful.watch(connection);
        tokio::spawn(async move {
            let _ = connection.await;
            drop(permit);
        });
    }
    drop(listener);
    tokio::select! {
        () = graceful.shutdown() => {},
        () = tokio::time::sleep(SHUTDOWN_GRACE) => {},
    }
}
