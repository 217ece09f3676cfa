//! `citeindex index`: bring the index up to date with the corpus; warnings and
//! the summary go to stderr.

use anyhow::Context;

use super::progress::Progress;
use super::Outcome;
use crate::cli::IndexArgs;
use crate::index::{build, BuildEvent, BuildOptions};
use crate::render::{build_message as message, summary_line};

pub fn run(args: &IndexArgs) -> anyhow::Result<Outcome> {
    let mut options = BuildOptions::new(args.corpus.clone(), args.location.index.clone());
    options.full = args.full;
    options.max_file_size = args.max_file_size;
    options.writer_memory = crate::index::megabytes(args.memory);
    let quiet = args.quiet;
    let progress = Progress::new(!quiet);
    let report = |event: BuildEvent<'_>| match (message(&event), &event) {
        (Some(_), BuildEvent::Skipped { .. } | BuildEvent::PageWarning { .. }) if quiet => {}
        (Some(line), _) => progress.println(&line),
        (None, _) => progress.event(&event),
    };
    let result = build(&options, &report);
    progress.finish();
    let summary = result
        .with_context(|| format!("indexing into {} failed", args.location.index.display()))?;
    eprintln!("{}", summary_line(&summary));
    if args.strict && summary.skipped > 0 {
        eprintln!(
            "error: {} files were skipped (--strict); the other pages are indexed",
            summary.skipped
        );
        return Ok(Outcome::Error);
    }
    Ok(Outcome::Success)
}
