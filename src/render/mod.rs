//! Printing results for people (optionally coloured) and as JSON lines, and
//! the wording of the build's warnings and summary line (as strings, for
//! whichever front end prints them: `index`, `serve --watch`). Output goes to
//! the writer it is given: results only, never progress or warnings. Nothing
//! here knows of parsing or tantivy: it formats the values the stages return.

mod build;
mod check;
mod hits;
mod page;
mod papers;
mod references;
mod stats;
mod table;

use std::io::{self, Write};
use std::ops::Range;

use serde::Serialize;

use crate::page::CitedAuthor;

pub(crate) use build::{build_message, summary_line};
pub(crate) use check::{checked, checked_json, shown_checked_paths};
pub(crate) use hits::{facets, facets_json, hit, hit_json, shown_file_paths, shown_paths};
pub(crate) use page::{page, page_error_json, page_json};
pub(crate) use papers::{paper, paper_json, papers_footer};
pub(crate) use references::{bibtex, ris};
pub(crate) use stats::{stats, stats_json};
pub(crate) use table::{checked_table, hits_table, papers_table, Delimiter};

/// ANSI styles, or nothing when colour is off.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Style {
    color: bool,
}

impl Style {
    pub(crate) fn new(color: bool) -> Style {
        Style { color }
    }

    fn paint(&self, code: &str, text: &str) -> String {
        if self.color && !text.is_empty() {
            format!("\x1b[{code}m{text}\x1b[0m")
        } else {
            text.to_string()
        }
    }
}

const BOLD: &str = "1";
const DIM: &str = "2";
const MATCH: &str = "1;31";
const PATH: &str = "35";
const DOI: &str = "36";

/// `text` with the given byte ranges painted; ranges that do not fall on
/// character boundaries are left alone rather than trusted.
fn highlight(text: &str, ranges: &[Range<usize>], style: Style) -> String {
    if !style.color {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len() + ranges.len() * 10);
    let mut at = 0;
    for r in ranges {
        let valid = r.start >= at
            && r.end <= text.len()
            && text.is_char_boundary(r.start)
            && text.is_char_boundary(r.end);
        if !valid {
            continue;
        }
        out.push_str(&text[at..r.start]);
        out.push_str(&style.paint(MATCH, &text[r.clone()]));
        at = r.end;
    }
    out.push_str(&text[at..]);
    out
}

/// The authors a statement cites, `Okafor 2021` each, joined by `separator`;
/// a citation without a year shows `undated` after the name (if anything).
fn cited_list(cited: &[CitedAuthor], separator: &str, undated: &str) -> String {
    cited
        .iter()
        .map(|c| match c.year {
            Some(y) => format!("{} {y}", c.author),
            None if undated.is_empty() => c.author.clone(),
            None => format!("{} {undated}", c.author),
        })
        .collect::<Vec<_>>()
        .join(separator)
}

fn json_line<T: Serialize>(out: &mut dyn Write, value: &T) -> io::Result<()> {
    serde_json::to_writer(&mut *out, value).map_err(io::Error::other)?;
    writeln!(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn highlights_only_with_colour_and_only_on_char_boundaries() {
        let text = "Åström showed spindles";
        let ranges = vec![0..8, 16..24, 20..30];
        assert_eq!(highlight(text, &ranges, Style::new(false)), text);
        assert_eq!(
            highlight(text, &ranges, Style::new(true)),
            "\x1b[1;31mÅström\x1b[0m showed \x1b[1;31mspindles\x1b[0m"
        );
    }
}
