//! `citeindex sync quickwit URL`: keeps a Quickwit index in step with the
//! index; a bar on a terminal while documents go out, a summary line at the end.

use std::io::IsTerminal;
use std::sync::Mutex;

use anyhow::Context;
use indicatif::{ProgressBar, ProgressStyle};

use super::Outcome;
use crate::cli::{QuickwitQueryArgs, SyncArgs, SyncTarget};
use crate::sync::{sync, SyncEvent, SyncSummary, Target};

pub fn run(args: &SyncArgs) -> anyhow::Result<Outcome> {
    let SyncTarget::Quickwit(qw) = &args.target;
    let open = crate::index::open(&qw.location.index)?;
    let target = Target {
        url: qw.url.clone(),
        index_id: qw.index_id.clone(),
        batch_bytes: qw.batch_kib as usize * 1024,
        in_flight: qw.in_flight as usize,
    };
    let bar: Mutex<Option<ProgressBar>> = Mutex::new(None);
    let shown = std::io::stderr().is_terminal() && !qw.quiet;
    let report = |event: SyncEvent| {
        if !shown {
            return;
        }
        let mut bar = bar.lock().unwrap_or_else(|e| e.into_inner());
        match event {
            SyncEvent::Deleting { files } => {
                eprintln!("deleting the old statements of {files} files, and waiting for Quickwit to apply it");
            }
            SyncEvent::Sending { documents } => {
                let b = ProgressBar::new(documents);
                b.set_style(
                    ProgressStyle::with_template(
                        "{bar:30} {pos}/{len} statements sent ({per_sec}, {eta} left)",
                    )
                    .unwrap_or_else(|_| ProgressStyle::default_bar()),
                );
                *bar = Some(b);
            }
            SyncEvent::Sent { documents } => {
                if let Some(b) = bar.as_ref() {
                    b.inc(documents);
                }
            }
            SyncEvent::Checking => {
                if let Some(b) = bar.take() {
                    b.finish_and_clear();
                }
            }
        }
    };
    let summary = sync(&open, &qw.location.index, &target, &report)
        .with_context(|| format!("syncing to {} failed", qw.url))?;
    if let Some(b) = bar.lock().unwrap_or_else(|e| e.into_inner()).take() {
        b.finish_and_clear();
    }
    eprintln!("{}", summary_line(&target, &summary));
    Ok(Outcome::Success)
}

/// `quickwit http://…/statements: +3 added, ~1 changed, -2 removed, 19,994 unchanged; 61 statements sent; Quickwit holds 403,112 (4.2 s)`
pub fn summary_line(target: &Target, s: &SyncSummary) -> String {
    let created = if s.created { " (created)" } else { "" };
    let repaired = if s.repaired > 0 {
        format!(", {} repaired after an interrupted sync", s.repaired)
    } else {
        String::new()
    };
    format!(
        "quickwit {}/{}{created}: +{} added, ~{} changed, -{} removed, {} unchanged{repaired}; \
         {} statements sent; Quickwit holds {} ({:.2} s)",
        target.url.trim_end_matches('/'),
        target.index_id,
        s.added,
        s.changed,
        s.removed,
        s.unchanged,
        s.documents_sent,
        s.documents_held,
        s.elapsed.as_secs_f64()
    )
}

/// `citeindex quickwit-query QUERY`: the query as Quickwit reads it, on stdout.
pub fn quickwit_query(args: &QuickwitQueryArgs) -> anyhow::Result<Outcome> {
    match crate::analysis::stems::translate(&args.query.join(" ")) {
        Ok(query) => {
            println!("{query}");
            Ok(Outcome::Success)
        }
        Err(reason) => {
            eprintln!("error: {reason} (the syntax: citeindex query --help)");
            Ok(Outcome::Error)
        }
    }
}
