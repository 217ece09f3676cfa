//! `serve --watch CORPUS`: the corpus folder is watched (inotify and the like,
//! through `notify`), and after each burst of changes the index is brought up
//! to date by the same incremental update `citeindex index` runs, with the
//! same crash safety. The fresh index is then swapped in for new searches;
//! searches already running finish on the snapshot they started with.

use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use notify::{RecursiveMode, Watcher};

use super::AppState;
use crate::index::{build, BuildEvent, BuildOptions};

/// How long the corpus must be quiet before an update starts: a browser
/// saving a page writes it in several steps.
const SETTLE: Duration = Duration::from_millis(300);

/// How soon a failed update (another writer held the index, say) is tried
/// again, changes or not: what changed meanwhile is still to be indexed.
const RETRY: Duration = Duration::from_secs(1);

/// One incremental update; warnings go to stderr like `citeindex index`'s.
pub(super) fn update(corpus: &Path, index_dir: &Path) -> anyhow::Result<()> {
    let options = BuildOptions::new(Some(corpus.to_path_buf()), index_dir.to_path_buf());
    let report = |event: BuildEvent<'_>| {
        if let Some(line) = crate::render::build_message(&event) {
            eprintln!("{line}");
        }
    };
    let summary = build(&options, &report)
        .with_context(|| format!("updating the index at {} failed", index_dir.display()))?;
    if summary.added + summary.changed + summary.removed > 0 || summary.rebuilt.is_some() {
        eprintln!("{}", crate::render::summary_line(&summary));
    }
    Ok(())
}

/// Starts watching `corpus` on a thread of its own.
pub(super) fn spawn(corpus: PathBuf, state: Arc<AppState>) -> anyhow::Result<()> {
    let (tx, rx) = mpsc::channel::<notify::Result<notify::Event>>();
    let mut watcher = notify::recommended_watcher(tx).context("cannot watch files here")?;
    watcher
        .watch(&corpus, RecursiveMode::Recursive)
        .with_context(|| format!("cannot watch {}", corpus.display()))?;
    let index_dir =
        dunce::canonicalize(&state.index_dir).unwrap_or_else(|_| state.index_dir.clone());
    std::thread::Builder::new()
        .name("citeindex-watch".into())
        .spawn(move || {
            // The watcher lives as long as this thread.
            let _watcher = watcher;
            let mut retry = false;
            loop {
                let mut relevant = retry;
                let first = if retry {
                    rx.recv_timeout(RETRY)
                } else {
                    rx.recv().map_err(|_| mpsc::RecvTimeoutError::Disconnected)
                };
                match first {
                    Ok(event) => relevant |= is_relevant(&event, &index_dir),
                    Err(mpsc::RecvTimeoutError::Timeout) => {}
                    Err(mpsc::RecvTimeoutError::Disconnected) => break,
                }
                // Wait for the burst to end.
                while let Ok(next) = rx.recv_timeout(SETTLE) {
                    relevant |= is_relevant(&next, &index_dir);
                }
                if !relevant {
                    continue;
                }
                match update(&corpus, &state.index_dir).and_then(|()| {
                    let seen = super::OnDisk::read(&state.index_dir);
                    let open = crate::index::open(&state.index_dir)?;
                    Ok((open, seen))
                }) {
                    Ok((open, seen)) => {
                        state.replace(open, seen);
                        retry = false;
                    }
                    Err(e) => {
                        eprintln!("warning: {e:#}; still serving the previous index, trying again shortly");
                        retry = true;
                    }
                }
            }
        })
        .context("cannot start the watching thread")?;
    Ok(())
}

/// Changes to the index's own files (an index kept inside its corpus) do not
/// count, or every update would trigger the next.
fn is_relevant(event: &notify::Result<notify::Event>, index_dir: &Path) -> bool {
    match event {
        Ok(event) => {
            !matches!(event.kind, notify::EventKind::Access(_))
                && event.paths.iter().any(|p| !p.starts_with(index_dir))
        }
        // The watcher lost events (an overflowing queue): look at everything.
        Err(_) => true,
    }
}
