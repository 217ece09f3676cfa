//! `citeindex papers` for people and as JSON lines.

use std::io::{self, Write};

use super::{json_line, Style, BOLD, DIM, DOI, PATH};
use crate::page::Tally;
use crate::search::{Paper, Papers, TypeCounts};

/// A paper as a person reads it: rank, title, year and DOI; the tallies its
/// page shows; its matching statements by type; the files it came from.
pub(crate) fn paper(out: &mut dyn Write, paper: &Paper, style: Style) -> io::Result<()> {
    let title = paper.title.as_deref().unwrap_or("(untitled)");
    let year = paper.year.map_or(String::new(), |y| format!(" ({y})"));
    let doi = paper
        .doi
        .as_deref()
        .map_or(String::new(), |d| format!("  doi:{d}"));
    writeln!(
        out,
        "{} {}{}{}",
        style.paint(BOLD, &format!("{:>2}.", paper.rank)),
        style.paint(BOLD, title),
        year,
        style.paint(DOI, &doi),
    )?;
    writeln!(
        out,
        "    {} {}",
        style.paint(DIM, "page:    "),
        tally_line(&paper.tally, paper.contrasting_share)
    )?;
    writeln!(
        out,
        "    {} {}",
        style.paint(DIM, "matching:"),
        counts_line(&paper.statements)
    )?;
    writeln!(out, "    {}", style.paint(PATH, &paper.files.join(", ")))?;
    writeln!(out)
}

/// The line under the last paper: how many there are, and which are shown.
pub(crate) fn papers_footer(
    out: &mut dyn Write,
    papers: &Papers,
    offset: usize,
    style: Style,
) -> io::Result<()> {
    let line = match papers.papers.len() {
        0 if papers.total == 0 => "no paper has statements that match".to_string(),
        0 => format!("{} papers; none after the first {offset}", papers.total),
        n => format!(
            "{} papers; {}–{} shown",
            papers.total,
            offset + 1,
            offset + n
        ),
    };
    writeln!(out, "{}", style.paint(DIM, &line))
}

/// A paper as one JSON line.
pub(crate) fn paper_json(out: &mut dyn Write, paper: &Paper) -> io::Result<()> {
    json_line(out, paper)
}

fn tally_line(tally: &Tally, share: Option<f64>) -> String {
    if *tally == Tally::default() {
        return "no tallies shown".to_string();
    }
    let n = |v: Option<u64>| v.map_or("?".to_string(), |v| v.to_string());
    let share = share.map_or(String::new(), |s| {
        format!(" ({:.0}% contrasting)", s * 100.0)
    });
    format!(
        "{} supporting · {} mentioning · {} contrasting{share}",
        n(tally.supporting),
        n(tally.mentioning),
        n(tally.contrasting)
    )
}

fn counts_line(counts: &TypeCounts) -> String {
    let parts: Vec<String> = [
        (counts.supporting, "supporting"),
        (counts.mentioning, "mentioning"),
        (counts.contrasting, "contrasting"),
        (counts.other, "other"),
    ]
    .iter()
    .filter(|(n, _)| *n > 0)
    .map(|(n, name)| format!("{n} {name}"))
    .collect();
    let noun = if counts.total == 1 {
        "statement"
    } else {
        "statements"
    };
    match parts.is_empty() {
        true => format!("{} {noun}", counts.total),
        false => format!("{} {noun}: {}", counts.total, parts.join(", ")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_tallies_and_counts() {
        let tally = Tally {
            supporting: Some(6),
            mentioning: Some(12),
            contrasting: Some(2),
        };
        assert_eq!(
            tally_line(&tally, Some(0.1)),
            "6 supporting · 12 mentioning · 2 contrasting (10% contrasting)"
        );
        assert_eq!(tally_line(&Tally::default(), None), "no tallies shown");
        let counts = TypeCounts {
            total: 3,
            supporting: 2,
            other: 1,
            ..TypeCounts::default()
        };
        assert_eq!(counts_line(&counts), "3 statements: 2 supporting, 1 other");
        assert_eq!(counts_line(&TypeCounts::default()), "0 statements");
    }
}
