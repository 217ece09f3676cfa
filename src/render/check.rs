//! A checked reference list: a table read at a glance (each reference's
//! key, year and the page's supporting / mentioning / contrasting tallies,
//! marked when contested or missing), then the contrasting statements of
//! the found papers, then a summary line; or JSON lines, one per reference.

use std::io::{self, Write};

use super::hits::{location, shown_file_paths, shown_paths};
use super::{json_line, Style, BOLD, DIM, DOI, MATCH, PATH};
use crate::check::{Checked, MatchedBy, Status, Summary};

/// The widest key the table shows whole; longer ones are cut with `…`.
const KEY_WIDTH: usize = 28;

/// The table, the contrasting statements and the summary, for people.
pub(crate) fn checked(
    out: &mut dyn Write,
    rows: &[Checked],
    contested_above: f64,
    style: Style,
) -> io::Result<()> {
    if rows.is_empty() {
        return writeln!(
            out,
            "{}",
            summary_line(&Summary::default(), contested_above)
        );
    }
    let width = rows
        .iter()
        .map(|r| r.key.chars().count().min(KEY_WIDTH))
        .chain([3])
        .max()
        .unwrap_or(3);
    let header = format!(
        "{:<width$}  {:>4}  {:>10}  {:>10}  {:>11}",
        "key", "year", "supporting", "mentioning", "contrasting"
    );
    writeln!(out, "{}", style.paint(DIM, &header))?;
    for row in rows {
        writeln!(out, "{}", table_line(row, width, style))?;
    }
    contrasting(out, rows, style)?;
    writeln!(out)?;
    writeln!(out, "{}", summary_line(&Summary::of(rows), contested_above))
}

fn table_line(row: &Checked, width: usize, style: Style) -> String {
    let key = cut(&row.key, KEY_WIDTH);
    let year = row.year.map_or(String::new(), |y| y.to_string());
    let start = format!("{key:<width$}  {year:>4}");
    let n = |v: Option<u64>| v.map_or("?".to_string(), |v| v.to_string());
    match (row.status, &row.tally) {
        (Status::Found, Some(tally)) => {
            let counts = format!(
                "{:>10}  {:>10}  {:>11}",
                n(tally.supporting),
                n(tally.mentioning),
                n(tally.contrasting)
            );
            let share = row.contrasting_share.map_or(String::new(), |s| {
                format!(" ({:.0}% contrasting)", s * 100.0)
            });
            let mut mark = match row.contested {
                true => style.paint(MATCH, &format!("  ! contested{share}")),
                false => String::new(),
            };
            if row.matched_by == Some(MatchedBy::Title) {
                mark.push_str(&style.paint(DIM, "  (found by its title)"));
            }
            format!("{start}  {counts}{mark}")
        }
        (Status::NoReport, _) => {
            let doi = row.doi.as_deref().unwrap_or("");
            let save = row.report.as_deref().unwrap_or("");
            format!(
                "{start}  {}",
                style.paint(DOI, &format!("? no report for {doi}: save {save}"))
            )
        }
        _ => format!(
            "{start}  {}",
            style.paint(DIM, "- no DOI, and no indexed paper has its title")
        ),
    }
}

/// The most confident contrasting statements of each found paper.
fn contrasting(out: &mut dyn Write, rows: &[Checked], style: Style) -> io::Result<()> {
    let with: Vec<&Checked> = rows.iter().filter(|r| !r.contrasting.is_empty()).collect();
    if with.is_empty() {
        return Ok(());
    }
    writeln!(out)?;
    writeln!(out, "{}", style.paint(BOLD, "Contrasting statements"))?;
    for row in with {
        let title = row.title.as_deref().unwrap_or("(untitled)");
        writeln!(out, "{}  {}", style.paint(BOLD, &row.key), title)?;
        for hit in &row.contrasting {
            let confidence = hit.confidence.map_or("?".to_string(), |c| format!("{c}%"));
            let section = hit.section.as_deref().unwrap_or("section unknown");
            let location = location(hit);
            writeln!(
                out,
                "    {} {}",
                style.paint(DIM, &format!("{confidence} · {section} ·")),
                style.paint(PATH, &location)
            )?;
            writeln!(out, "    {}", hit.text)?;
        }
    }
    Ok(())
}

/// `42 references: 35 found, 6 no report, 1 no DOI; 4 contested (above 10%)`.
pub(super) fn summary_line(summary: &Summary, contested_above: f64) -> String {
    let noun = if summary.references == 1 {
        "reference"
    } else {
        "references"
    };
    format!(
        "{} {noun}: {} found, {} no report, {} no DOI; {} contested (contrasting share above {})",
        summary.references,
        summary.found,
        summary.no_report,
        summary.no_doi,
        summary.contested,
        percent(contested_above),
    )
}

/// `0.1` → `10%`, `0.025` → `2.5%`.
fn percent(share: f64) -> String {
    let p = share * 100.0;
    if (p - p.round()).abs() < 1e-9 {
        format!("{p:.0}%")
    } else {
        format!("{}%", (p * 100.0).round() / 100.0)
    }
}

/// The found papers' files and statements' paths as the user would type
/// them (see [`shown_paths`]).
pub(crate) fn shown_checked_paths(rows: &mut [Checked]) {
    for row in rows {
        shown_file_paths(&mut row.files);
        shown_paths(&mut row.contrasting);
    }
}

/// One JSON object per reference and line.
pub(crate) fn checked_json(out: &mut dyn Write, rows: &[Checked]) -> io::Result<()> {
    rows.iter().try_for_each(|row| json_line(out, row))
}

fn cut(key: &str, width: usize) -> String {
    match key.char_indices().nth(width.saturating_sub(1)) {
        Some((at, _)) if key.chars().count() > width => format!("{}…", &key[..at]),
        _ => key.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shares_print_as_percentages() {
        assert_eq!(percent(0.1), "10%");
        assert_eq!(percent(0.025), "2.5%");
        assert_eq!(percent(0.0), "0%");
    }

    #[test]
    fn long_keys_are_cut_to_the_width() {
        assert_eq!(cut("abcdef", 4), "abc…");
        assert_eq!(cut("abcd", 4), "abcd");
        assert_eq!(cut("ééééé", 3), "éé…");
    }

    #[test]
    fn the_summary_counts_each_status() {
        let summary = Summary {
            references: 42,
            found: 35,
            no_report: 6,
            no_doi: 1,
            contested: 4,
        };
        assert_eq!(
            summary_line(&summary, 0.1),
            "42 references: 35 found, 6 no report, 1 no DOI; 4 contested (contrasting share above 10%)"
        );
    }
}
