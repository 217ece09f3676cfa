//! A query's output: each hit (with its score's breakdown on demand), the
//! facet counts, and the paths as the user would type them.

use std::io::{self, Write};
use std::path::Path;

use serde::Serialize;

use super::{cited_list, highlight, json_line, Style, BOLD, DIM, DOI, MATCH, PATH};
use crate::search::{Facets, Hit, ScoreNode, ScorePart};

/// Where a hit stands: `file:position`, or the file alone.
pub(super) fn location(hit: &Hit) -> String {
    match hit.position {
        Some(p) => format!("{}:{p}", hit.path),
        None => hit.path.clone(),
    }
}

/// A hit as a person reads it: a header line with rank, score, paper, year
/// and DOI; a line with section, type, confidence and `file:position`; the
/// statement with its matched words highlighted; the authors it cites.
pub(crate) fn hit(out: &mut dyn Write, hit: &Hit, style: Style) -> io::Result<()> {
    let title = hit.title.as_deref().unwrap_or("(untitled)");
    let year = hit.year.map_or(String::new(), |y| format!(" ({y})"));
    let doi = hit
        .doi
        .as_deref()
        .map_or(String::new(), |d| format!("  doi:{d}"));
    writeln!(
        out,
        "{} {}  {}{}{}",
        style.paint(BOLD, &format!("{:>2}.", hit.rank)),
        style.paint(DIM, &format!("{:.2}", hit.score)),
        style.paint(BOLD, title),
        year,
        style.paint(DOI, &doi),
    )?;
    let section = match (&hit.section, &hit.section_bucket) {
        (Some(s), Some(b)) if !s.eq_ignore_ascii_case(b) => format!("{s} [{b}]"),
        (Some(s), _) => s.clone(),
        (None, _) => "section unknown".to_string(),
    };
    let citation_type = hit.citation_type.as_deref().unwrap_or("type unknown");
    let confidence = hit
        .confidence
        .map_or("confidence unknown".to_string(), |c| format!("{c}%"));
    let location = location(hit);
    writeln!(
        out,
        "    {section} · {citation_type} · {confidence}  {}",
        style.paint(PATH, &location)
    )?;
    writeln!(out, "    {}", highlight(&hit.text, &hit.highlights, style))?;
    if let Some(breakdown) = &hit.breakdown {
        writeln!(out, "    {}", style.paint(DIM, "why this score:"))?;
        explanation(out, breakdown, 3, style)?;
    }
    if !hit.cited.is_empty() {
        writeln!(
            out,
            "    {}",
            style.paint(
                DIM,
                &format!("cites {}", cited_list(&hit.cited, ", ", "n.d."))
            )
        )?;
    }
    writeln!(out)
}

/// Shows the hits' paths as the user would type them: relative to the
/// working directory when the file lies below it.
pub(crate) fn shown_paths(hits: &mut [Hit]) {
    let Ok(cwd) = std::env::current_dir() else {
        return;
    };
    for hit in hits {
        shorten(&mut hit.path, &cwd);
    }
}

/// [`shown_paths`] for a list of files.
pub(crate) fn shown_file_paths(paths: &mut [String]) {
    let Ok(cwd) = std::env::current_dir() else {
        return;
    };
    for path in paths {
        shorten(path, &cwd);
    }
}

fn shorten(path: &mut String, cwd: &Path) {
    if let Ok(relative) = Path::new(path.as_str()).strip_prefix(cwd) {
        *path = relative.display().to_string();
    }
}

/// A hit as one JSON line, with the fields of the documented contract.
pub(crate) fn hit_json(out: &mut dyn Write, hit: &Hit) -> io::Result<()> {
    json_line(out, hit)
}

/// A score's breakdown, one node a line, indented by depth. A BM25 term is
/// one line with its factors; sums and boosts list their parts.
fn explanation(
    out: &mut dyn Write,
    node: &ScoreNode,
    depth: usize,
    style: Style,
) -> io::Result<()> {
    let indent = "  ".repeat(depth);
    let score = style.paint(BOLD, &format!("{:.2}", node.score));
    let label = match &node.part {
        ScorePart::Bm25(b) => {
            let term = b.term.as_deref().unwrap_or("phrase");
            return writeln!(
                out,
                "{indent}{score}  {}  idf {:.2} × tf {:.2} × {:.1}; {} time(s) in {} words (average {:.0})",
                style.paint(MATCH, term),
                b.idf,
                b.tf,
                b.saturation,
                b.freq,
                b.field_length,
                b.average_length,
            );
        }
        ScorePart::Sum => "sum of".to_string(),
        ScorePart::Boost(boost) => format!("Boost x{boost}"),
        ScorePart::Constant => "constant: no query words to score".to_string(),
        ScorePart::Other(words) => words.clone(),
    };
    writeln!(out, "{indent}{score}  {label}")?;
    for part in &node.parts {
        explanation(out, part, depth + 1, style)?;
    }
    Ok(())
}

/// How many years the human facet table lists before "and N more".
const YEARS_SHOWN: usize = 12;

/// Facet counts as a small table: one line per facet, values by count (years
/// newest first).
pub(crate) fn facets(out: &mut dyn Write, facets: &Facets, style: Style) -> io::Result<()> {
    let noun = if facets.total == 1 {
        "statement"
    } else {
        "statements"
    };
    writeln!(
        out,
        "{}",
        style.paint(BOLD, &format!("{} matching {noun}", facets.total))
    )?;
    let row = |values: Vec<(&str, u64)>| -> String {
        values
            .iter()
            .map(|(name, n)| format!("{name} {n}"))
            .collect::<Vec<_>>()
            .join(" · ")
    };
    let mut years: Vec<(&str, u64)> = facets.year.iter().map(|(k, v)| (k.as_str(), *v)).collect();
    // Newest first; `unknown` (not a number) last.
    years.sort_by_key(|(y, _)| std::cmp::Reverse(y.parse::<u64>().ok()));
    let more = years.len().saturating_sub(YEARS_SHOWN);
    years.truncate(YEARS_SHOWN);
    let mut year_row = row(years);
    if more > 0 {
        year_row.push_str(&format!(" · and {more} more"));
    }
    for (name, line) in [
        ("section", row(Facets::ranked(&facets.section))),
        ("type", row(Facets::ranked(&facets.citation_type))),
        ("year", year_row),
    ] {
        writeln!(out, "  {}  {line}", style.paint(DIM, &format!("{name:<7}")))?;
    }
    Ok(())
}

#[derive(Serialize)]
struct FacetsJson<'a> {
    facets: &'a Facets,
}

/// Facet counts as the final JSON line: `{"facets":{"total":…,"section":{…},"type":{…},"year":{…}}}`.
pub(crate) fn facets_json(out: &mut dyn Write, facets: &Facets) -> io::Result<()> {
    json_line(out, &FacetsJson { facets })
}
