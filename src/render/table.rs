//! Hits and papers as a table for spreadsheets, R and pandas: a header row,
//! then one row each, written by the `csv` crate (RFC 4180 quoting: a value
//! holding the delimiter, a quote or a line break is quoted, quotes doubled).
//! Lists go in one cell: cited authors as `Author Year; Author Year`, files
//! as `a.txt; b.html`.

use std::io::{self, Write};

use super::cited_list;
use crate::check::Checked;
use crate::search::{Hit, Paper};

/// The character between values.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Delimiter {
    /// CSV, with CRLF line ends as RFC 4180 has them.
    Comma,
    /// TSV, with LF line ends.
    Tab,
}

const HIT_COLUMNS: [&str; 13] = [
    "rank",
    "score",
    "doi",
    "title",
    "year",
    "path",
    "position",
    "section",
    "section_bucket",
    "type",
    "confidence",
    "cited",
    "text",
];

const PAPER_COLUMNS: [&str; 14] = [
    "rank",
    "doi",
    "title",
    "year",
    "page_supporting",
    "page_mentioning",
    "page_contrasting",
    "contrasting_share",
    "statements",
    "supporting",
    "mentioning",
    "contrasting",
    "other",
    "files",
];

/// Hits as a table with [`HIT_COLUMNS`].
pub(crate) fn hits_table(
    out: &mut dyn Write,
    hits: &[Hit],
    delimiter: Delimiter,
) -> io::Result<()> {
    let mut table = writer(out, delimiter);
    table.write_record(HIT_COLUMNS)?;
    for hit in hits {
        table.write_record([
            hit.rank.to_string(),
            hit.score.to_string(),
            text(&hit.doi),
            text(&hit.title),
            number(hit.year),
            hit.path.clone(),
            number(hit.position),
            text(&hit.section),
            text(&hit.section_bucket),
            text(&hit.citation_type),
            number(hit.confidence),
            // `Okafor 2021; Haddad`: an author without a year is the name alone.
            cited_list(&hit.cited, "; ", ""),
            hit.text.clone(),
        ])?;
    }
    table.flush()
}

/// Papers as a table with [`PAPER_COLUMNS`].
pub(crate) fn papers_table(
    out: &mut dyn Write,
    papers: &[Paper],
    delimiter: Delimiter,
) -> io::Result<()> {
    let mut table = writer(out, delimiter);
    table.write_record(PAPER_COLUMNS)?;
    for paper in papers {
        let counts = &paper.statements;
        table.write_record([
            paper.rank.to_string(),
            text(&paper.doi),
            text(&paper.title),
            number(paper.year),
            number(paper.tally.supporting),
            number(paper.tally.mentioning),
            number(paper.tally.contrasting),
            share(paper.contrasting_share),
            counts.total.to_string(),
            counts.supporting.to_string(),
            counts.mentioning.to_string(),
            counts.contrasting.to_string(),
            counts.other.to_string(),
            paper.files.join("; "),
        ])?;
    }
    table.flush()
}

const CHECK_COLUMNS: [&str; 18] = [
    "key",
    "status",
    "matched_by",
    "doi",
    "title",
    "year",
    "page_supporting",
    "page_mentioning",
    "page_contrasting",
    "contrasting_share",
    "contested",
    "statements",
    "supporting",
    "mentioning",
    "contrasting",
    "other",
    "files",
    "report",
];

/// Checked references as a table with [`CHECK_COLUMNS`]: the paper's
/// columns as `papers` has them, empty for a reference not found.
pub(crate) fn checked_table(
    out: &mut dyn Write,
    rows: &[Checked],
    delimiter: Delimiter,
) -> io::Result<()> {
    let mut table = writer(out, delimiter);
    table.write_record(CHECK_COLUMNS)?;
    for row in rows {
        let tally = row.tally.unwrap_or_default();
        let counts =
            |pick: fn(&crate::search::TypeCounts) -> u64| row.statements.as_ref().map(pick);
        table.write_record([
            row.key.clone(),
            row.status.as_str().to_string(),
            row.matched_by
                .map_or(String::new(), |m| format!("{m:?}").to_lowercase()),
            text(&row.doi),
            text(&row.title),
            number(row.year),
            number(tally.supporting),
            number(tally.mentioning),
            number(tally.contrasting),
            share(row.contrasting_share),
            row.contested.to_string(),
            number(counts(|c| c.total)),
            number(counts(|c| c.supporting)),
            number(counts(|c| c.mentioning)),
            number(counts(|c| c.contrasting)),
            number(counts(|c| c.other)),
            row.files.join("; "),
            text(&row.report),
        ])?;
    }
    table.flush()
}

fn share(value: Option<f64>) -> String {
    value.map_or(String::new(), |s| format!("{s:.4}"))
}

fn writer(out: &mut dyn Write, delimiter: Delimiter) -> csv::Writer<&mut dyn Write> {
    let (byte, terminator) = match delimiter {
        Delimiter::Comma => (b',', csv::Terminator::CRLF),
        Delimiter::Tab => (b'\t', csv::Terminator::Any(b'\n')),
    };
    csv::WriterBuilder::new()
        .delimiter(byte)
        .terminator(terminator)
        .from_writer(out)
}

/// A missing value is an empty cell, which R and pandas read as NA.
fn text(value: &Option<String>) -> String {
    value.clone().unwrap_or_default()
}

fn number<N: ToString>(value: Option<N>) -> String {
    value.map_or(String::new(), |n| n.to_string())
}
