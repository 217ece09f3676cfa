//! `citeindex stats` for people and as JSON.

use std::io::{self, Write};

use super::{json_line, Style, BOLD, DIM, PATH};
use crate::search::Facets;
use crate::stats::Stats;

/// What an index holds, as a short report.
pub(crate) fn stats(out: &mut dyn Write, stats: &Stats, style: Style) -> io::Result<()> {
    let label = |name: &str| style.paint(DIM, &format!("{name:<11}"));
    let corpus = stats
        .corpus_root
        .as_ref()
        .map_or("unknown".to_string(), |p| p.display().to_string());
    writeln!(
        out,
        "{} {} ({}), updated {}",
        label("index"),
        style.paint(PATH, &stats.index.display().to_string()),
        human_bytes(stats.index_bytes),
        utc_time(stats.updated_at)
    )?;
    writeln!(out, "{} {}", label("corpus"), style.paint(PATH, &corpus))?;
    writeln!(
        out,
        "{} {} ({} other files skipped)",
        label("pages"),
        stats.pages,
        stats.skipped_files
    )?;
    writeln!(
        out,
        "{} {} distinct ({} with copies in several files), about {} cited papers",
        label("statements"),
        stats.statements,
        stats.statement_documents,
        stats.papers
    )?;
    let row = |counts: &std::collections::BTreeMap<String, u64>| {
        Facets::ranked(counts)
            .iter()
            .map(|(name, n)| format!("{name} {n}"))
            .collect::<Vec<_>>()
            .join(" · ")
    };
    writeln!(out, "{} {}", label("type"), row(&stats.by_type))?;
    writeln!(out, "{} {}", label("section"), row(&stats.section))?;
    if !stats.top_authors.is_empty() {
        writeln!(out, "{}", style.paint(BOLD, "most cited authors"))?;
        let width = stats
            .top_authors
            .iter()
            .map(|a| a.author.chars().count())
            .max()
            .unwrap_or(0);
        for (i, a) in stats.top_authors.iter().enumerate() {
            let pad = width - a.author.chars().count();
            writeln!(
                out,
                "  {:>2}. {}{}  {} statements",
                i + 1,
                a.author,
                " ".repeat(pad),
                a.statements
            )?;
        }
    }
    Ok(())
}

/// The statistics as one JSON object.
pub(crate) fn stats_json(out: &mut dyn Write, stats: &Stats) -> io::Result<()> {
    json_line(out, stats)
}

/// `1.2 MB` (decimal units, as `ls -h --si` and file managers show them).
/// `2026-11-27 16:05 UTC` for seconds since the epoch.
fn utc_time(secs: u64) -> String {
    let days = (secs / 86_400) as i64;
    let rest = secs % 86_400;
    // Days to a civil date (Howard Hinnant's algorithm, proleptic Gregorian).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02} {:02}:{:02} UTC",
        rest / 3_600,
        rest % 3_600 / 60
    )
}

fn human_bytes(n: u64) -> String {
    const UNITS: [&str; 5] = ["B", "kB", "MB", "GB", "TB"];
    let mut value = n as f64;
    let mut unit = 0;
    while value >= 1000.0 && unit + 1 < UNITS.len() {
        value /= 1000.0;
        unit += 1;
    }
    if unit == 0 {
        format!("{n} B")
    } else {
        format!("{value:.1} {}", UNITS[unit])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_utc_times() {
        assert_eq!(utc_time(0), "1970-01-01 00:00 UTC");
        assert_eq!(utc_time(951_782_400), "2000-02-29 00:00 UTC");
        assert_eq!(utc_time(1_795_795_500), "2026-11-27 16:05 UTC");
    }

    #[test]
    fn sizes_in_decimal_units() {
        assert_eq!(human_bytes(999), "999 B");
        assert_eq!(human_bytes(1_000), "1.0 kB");
        assert_eq!(human_bytes(1_121_000_000), "1.1 GB");
    }
}
