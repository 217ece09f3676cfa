//! `citeindex index`: crawl, parse and write the index; warnings and the
//! summary go to stderr.

use anyhow::Context;

use super::Outcome;
use crate::cli::IndexArgs;
use crate::index::{build, BuildEvent, BuildOptions};

pub fn run(args: &IndexArgs) -> anyhow::Result<Outcome> {
    let mut options = BuildOptions::new(args.corpus.clone(), args.location.index.clone());
    options.full = args.full;
    options.max_file_size = args.max_file_size;
    let quiet = args.quiet;
    let report = |event: BuildEvent<'_>| match event {
        BuildEvent::Skipped { path, reason } if !quiet => {
            eprintln!("warning: skipped {}: {reason}", path.display());
        }
        BuildEvent::PageWarning { path, warning } if !quiet => {
            eprintln!("warning: {}: {warning}", path.display());
        }
        BuildEvent::Notice(notice) => eprintln!("note: {notice}"),
        _ => {}
    };
    let summary = build(&options, &report)
        .with_context(|| format!("indexing into {} failed", args.location.index.display()))?;
    eprintln!(
        "indexed {} pages, {} statements; skipped {} files ({:.2} s) from {} into {}",
        summary.pages,
        summary.statements,
        summary.skipped,
        summary.elapsed.as_secs_f64(),
        summary.corpus_root.display(),
        args.location.index.display(),
    );
    Ok(Outcome::Success)
}
