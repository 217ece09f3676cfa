//! `citeindex export`: write the indexed statements out; what was written
//! goes to stderr, so stdout carries only NDJSON when it is the output.

use std::io::Write;

use anyhow::Context;

use super::Outcome;
use crate::cli::ExportArgs;
use crate::export::export;

pub fn run(args: &ExportArgs) -> anyhow::Result<Outcome> {
    let open = crate::index::open(&args.location.index)?;
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::with_capacity(1 << 20, stdout.lock());
    let written = export(
        &open,
        args.format.into(),
        args.out.as_deref(),
        &args.name,
        &mut out,
    )
    .context("exporting failed")?;
    out.flush()?;
    let files: Vec<String> = written
        .files
        .iter()
        .map(|p| p.display().to_string())
        .collect();
    if files.is_empty() {
        eprintln!("exported {} statements", written.documents);
    } else {
        eprintln!(
            "exported {} statements into {}",
            written.documents,
            files.join(", ")
        );
    }
    Ok(Outcome::Success)
}
