//! The indexing progress bar on stderr: files read out of files to read,
//! statements found, rate and time left. Shown only when stderr is a terminal
//! and `--quiet` is off, so logs and pipes get the warnings and the summary
//! line and nothing else. Warnings are printed above the bar, never through it.

use std::io::IsTerminal;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::index::BuildEvent;

pub struct Progress {
    bar: Option<ProgressBar>,
    statements: AtomicU64,
}

impl Progress {
    /// A bar when `wanted` and stderr is a terminal; otherwise a no-op.
    pub fn new(wanted: bool) -> Progress {
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
        }
    }

    /// Moves the bar on for the build's progress events; others are ignored.
    pub fn event(&self, event: &BuildEvent<'_>) {
        let Some(bar) = &self.bar else {
            return;
        };
        match *event {
            BuildEvent::Reading { files } => {
                bar.set_length(files);
                bar.set_position(0);
                bar.set_style(bar_style());
                bar.set_message("0 statements");
            }
            BuildEvent::Read { statements } => {
                let total = self.statements.fetch_add(statements, Ordering::Relaxed) + statements;
                bar.inc(1);
                bar.set_message(format!("{total} statements"));
            }
            BuildEvent::Committing => {
                bar.set_style(spinner_style());
                bar.set_message(format!(
                    "{} statements read; committing and merging segments",
                    self.statements.load(Ordering::Relaxed)
                ));
            }
            _ => {}
        }
    }

    /// Prints a line on stderr above the bar.
    pub fn println(&self, line: &str) {
        match &self.bar {
            Some(bar) => bar.suspend(|| eprintln!("{line}")),
            None => eprintln!("{line}"),
        }
    }

    /// Removes the bar, leaving the terminal to the summary line.
    pub fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
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
