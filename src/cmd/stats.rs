//! `citeindex stats`: what the index holds, for people or as one JSON object.

use std::io::Write;

use super::{use_color, Outcome};
use crate::cli::StatsArgs;
use crate::render::{self, Style};

pub fn run(args: &StatsArgs) -> anyhow::Result<Outcome> {
    let open = crate::index::open(&args.location.index)?;
    let stats = crate::stats::gather(&open, args.top)?;
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    if args.json {
        render::stats_json(&mut out, &stats)?;
    } else {
        render::stats(&mut out, &stats, Style::new(use_color(args.color)))?;
    }
    out.flush()?;
    Ok(Outcome::Success)
}
