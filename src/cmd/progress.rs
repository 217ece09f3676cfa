//! The indexing progress bar on stderr: files handled out of files in the
//! folder, statements found, rate and time left. Shown only when stderr is a
//! terminal and `--quiet` is off, so logs and pipes get the warnings and the
//! summary line and nothing else. Warnings are printed above the bar, never
//! through it.
//!
//! The build streams the folder and never knows its size, so the bar counts
//! the files itself, on a thread of its own walking the same folder: the total
//! grows while that walk runs ahead, and is exact once it ends. Only a visible
//! bar pays for that second walk.

use std::io::IsTerminal;
use std::path::Path;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::index::BuildEvent;

pub(super) struct Progress {
    bar: Option<ProgressBar>,
    statements: AtomicU64,
    /// Tells the counting walk to give up when the build is over.
    done: Arc<AtomicBool>,
}

impl Progress {
    /// A bar when `wanted` and stderr is a terminal; otherwise a no-op.
    pub(super) fn new(wanted: bool) -> Progress {
        let bar = (wanted && std::io::stderr().is_terminal()).then(|| {
            let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr());
            bar.set_style(spinner_style());
            bar.set_message("listing files");
            bar.enable_steady_tick(Duration::from_millis(120));
            bar
        });
        Progress {
            bar,
            statements: AtomicU64::new(0),
            done: Arc::new(AtomicBool::new(false)),
        }
    }

    /// Moves the bar on for the build's progress events; others are ignored.
    pub(super) fn event(&self, event: &BuildEvent<'_>) {
        let Some(bar) = &self.bar else {
            return;
        };
        match *event {
            BuildEvent::Walking { corpus, index_dir } => {
                bar.set_length(0);
                bar.set_position(0);
                bar.set_style(bar_style());
                bar.set_message("0 statements");
                count_into_length(bar.clone(), corpus, index_dir, Arc::clone(&self.done));
            }
            BuildEvent::Read { statements } => {
                let total = self.statements.fetch_add(statements, Ordering::Relaxed) + statements;
                bar.inc(1);
                bar.set_message(format!("{total} statements"));
            }
            BuildEvent::Unchanged => bar.inc(1),
            BuildEvent::Committing => {
                bar.set_style(spinner_style());
                bar.set_message(format!(
                    "{} statements read; committing and merging segments",
                    self.statements.load(Ordering::Relaxed)
                ));
            }
            BuildEvent::Merging { segments } => {
                bar.set_message(format!(
                    "{} statements indexed; merging {segments} segments",
                    self.statements.load(Ordering::Relaxed)
                ));
            }
            _ => {}
        }
    }

    /// Prints a line on stderr above the bar.
    pub(super) fn println(&self, line: &str) {
        match &self.bar {
            Some(bar) => bar.suspend(|| eprintln!("{line}")),
            None => eprintln!("{line}"),
        }
    }

    /// Removes the bar, leaving the terminal to the summary line.
    pub(super) fn finish(&self) {
        self.done.store(true, Ordering::Relaxed);
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}

/// Walks `corpus` on a thread of its own, adding each file to the bar's
/// length, until the walk ends or `done` is set. The thread is not joined:
/// the bar outlives it or it outlives nothing.
fn count_into_length(bar: ProgressBar, corpus: &Path, index_dir: &Path, done: Arc<AtomicBool>) {
    let (corpus, index_dir) = (corpus.to_path_buf(), index_dir.to_path_buf());
    let spawned = std::thread::Builder::new()
        .name("count files".into())
        .spawn(move || {
            const BATCH: u64 = 256;
            let mut pending = 0;
            for () in crate::crawl::count_files(&corpus, Some(&index_dir)) {
                if done.load(Ordering::Relaxed) {
                    return;
                }
                pending += 1;
                if pending == BATCH {
                    bar.inc_length(pending);
                    pending = 0;
                }
            }
            bar.inc_length(pending);
        });
    // Without the thread the bar has no total; the build goes on regardless.
    drop(spawned);
}

fn bar_style() -> ProgressStyle {
    ProgressStyle::with_template(
        "{elapsed_precise} [{wide_bar}] {human_pos}/{human_len} files, {msg}, {per_sec}, {eta} left",
    )
    .unwrap_or_else(|_| ProgressStyle::default_bar())
    .progress_chars("=> ")
}

fn spinner_style() -> ProgressStyle {
    ProgressStyle::with_template("{elapsed_precise} {spinner} {msg}")
        .unwrap_or_else(|_| ProgressStyle::default_spinner())
}
