//! `citeindex parse`: what the parser read from each file, for people and as
//! JSON lines.

use std::io::{self, Write};
use std::path::Path;

use serde::Serialize;

use super::{cited_list, json_line, Style, BOLD, DIM, PATH};
use crate::page::Page;

#[derive(Serialize)]
struct ParsedJson<'a> {
    path: &'a str,
    #[serde(flatten)]
    page: &'a Page,
}

#[derive(Serialize)]
struct ParseErrorJson<'a> {
    path: &'a str,
    error: &'a str,
}

/// What the parser read from one file, as a JSON line.
pub(crate) fn page_json(out: &mut dyn Write, path: &Path, page: &Page) -> io::Result<()> {
    let path = path.display().to_string();
    json_line(out, &ParsedJson { path: &path, page })
}

/// A file that is not a report page, as a JSON line.
pub(crate) fn page_error_json(out: &mut dyn Write, path: &Path, error: &str) -> io::Result<()> {
    let path = path.display().to_string();
    json_line(out, &ParseErrorJson { path: &path, error })
}

/// What the parser read from one file, for a person checking why a page
/// indexed the way it did.
pub(crate) fn page(out: &mut dyn Write, path: &Path, page: &Page, style: Style) -> io::Result<()> {
    let unknown = || "unknown".to_string();
    writeln!(out, "{}", style.paint(PATH, &path.display().to_string()))?;
    writeln!(
        out,
        "  doi:    {}",
        page.doi.clone().unwrap_or_else(unknown)
    )?;
    writeln!(
        out,
        "  year:   {}",
        page.year.map_or_else(unknown, |y| y.to_string())
    )?;
    writeln!(
        out,
        "  title:  {}",
        page.title.clone().unwrap_or_else(unknown)
    )?;
    if let Some(a) = &page.abstract_text {
        let short: String = a.chars().take(160).collect();
        let more = if short.len() < a.len() { "…" } else { "" };
        writeln!(out, "  abstract: {short}{more}")?;
    }
    let count = |n: Option<u64>| n.map_or_else(|| "?".to_string(), |n| n.to_string());
    writeln!(
        out,
        "  cited by {} publications, {} citation statements, {} references",
        count(page.cited_by),
        count(page.citation_statements),
        count(page.references)
    )?;
    writeln!(
        out,
        "  tally: {} supporting, {} mentioning, {} contrasting",
        count(page.tally.supporting),
        count(page.tally.mentioning),
        count(page.tally.contrasting)
    )?;
    writeln!(out, "  {} statements", page.statements.len())?;
    for s in &page.statements {
        let section = match (&s.section, s.section_bucket) {
            (Some(h), Some(b)) => format!("{h} [{b}]"),
            _ => "section unknown".to_string(),
        };
        let citation_type = s
            .citation_type
            .map_or("type unknown".to_string(), |k| k.to_string());
        let conf = s
            .confidence
            .map_or("confidence unknown".to_string(), |c| format!("{c}%"));
        writeln!(
            out,
            "  {} {section} · {citation_type} · {conf}",
            style.paint(BOLD, &format!("[{}]", s.position))
        )?;
        writeln!(out, "      {}", s.text)?;
        if !s.cited.is_empty() {
            writeln!(
                out,
                "      {}",
                style.paint(
                    DIM,
                    &format!("cites {}", cited_list(&s.cited, ", ", "n.d."))
                )
            )?;
        }
    }
    for w in &page.warnings {
        writeln!(out, "  warning: {w}")?;
    }
    Ok(())
}
