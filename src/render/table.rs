//! Hits and papers as a table for spreadsheets, R and pandas: a header row,
//! then one row each, written by the `csv` crate (RFC 4180 quoting: a value
//! holding the delimiter, a quote or a line break is quoted, quotes doubled).
//! Lists go in one cell: cited authors as `Author Year; Author Year`, files
//! as `a.txt; b.html`.

use std::io::{self, Write};

use super::cited_list;
use crate::search::{Hit, Paper};

/// The character between values.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Delimiter {
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
pub fn hits_table(out: &mut dyn Write, hits: &[Hit], delimiter: Delimiter) -> io::Result<()> {
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
pub fn papers_table(out: &mut dyn Write, papers: &[Paper], delimiter: Delimiter) -> io::Result<()> {
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
            paper
                .contrasting_share
                .map_or(String::new(), |s| format!("{s:.4}")),
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
