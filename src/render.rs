//! Printing hits and parsed pages, for people (optionally coloured) and as
//! JSON lines, and the wording of the build's warnings and summary line (as
//! strings, for whichever front end prints them: `index`, `serve --watch`).
//! Output goes to the writer it is given: results only, never progress or
//! warnings. This module knows nothing of parsing or tantivy.

use std::io::{self, Write};
use std::ops::Range;
use std::path::Path;

use serde::Serialize;

use crate::index::{BuildEvent, BuildSummary};
use crate::page::{CitedAuthor, Page};
use crate::search::{Facets, Hit, ScoreNode, ScorePart};
use crate::stats::Stats;

/// ANSI styles, or nothing when colour is off.
#[derive(Debug, Clone, Copy)]
pub struct Style {
    color: bool,
}

impl Style {
    pub fn new(color: bool) -> Style {
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

/// A hit as a person reads it: a header line with rank, score, paper, year
/// and DOI; a line with section, type, confidence and `file:position`; the
/// statement with its matched words highlighted; the authors it cites.
pub fn hit(out: &mut dyn Write, hit: &Hit, style: Style) -> io::Result<()> {
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
    let location = match hit.position {
        Some(p) => format!("{}:{p}", hit.path),
        None => hit.path.clone(),
    };
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
            style.paint(DIM, &format!("cites {}", cited_list(&hit.cited)))
        )?;
    }
    writeln!(out)
}

/// Shows the hits' paths as the user would type them: relative to the
/// working directory when the file lies below it.
pub fn shown_paths(hits: &mut [Hit]) {
    let Ok(cwd) = std::env::current_dir() else {
        return;
    };
    for hit in hits {
        if let Ok(relative) = Path::new(&hit.path).strip_prefix(&cwd) {
            hit.path = relative.display().to_string();
        }
    }
}

/// A hit as one JSON line, with the fields of the documented contract.
pub fn hit_json(out: &mut dyn Write, hit: &Hit) -> io::Result<()> {
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

/// What an index holds, as a short report.
pub fn stats(out: &mut dyn Write, stats: &Stats, style: Style) -> io::Result<()> {
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
pub fn stats_json(out: &mut dyn Write, stats: &Stats) -> io::Result<()> {
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

/// How many years the human facet table lists before "and N more".
const YEARS_SHOWN: usize = 12;

/// Facet counts as a small table: one line per facet, values by count (years
/// newest first).
pub fn facets(out: &mut dyn Write, facets: &Facets, style: Style) -> io::Result<()> {
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
pub fn facets_json(out: &mut dyn Write, facets: &Facets) -> io::Result<()> {
    json_line(out, &FacetsJson { facets })
}

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

fn cited_list(cited: &[CitedAuthor]) -> String {
    cited
        .iter()
        .map(|c| match c.year {
            Some(y) => format!("{} {y}", c.author),
            None => format!("{} n.d.", c.author),
        })
        .collect::<Vec<_>>()
        .join(", ")
}

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
pub fn page_json(out: &mut dyn Write, path: &Path, page: &Page) -> io::Result<()> {
    let path = path.display().to_string();
    json_line(out, &ParsedJson { path: &path, page })
}

/// A file that is not a report page, as a JSON line.
pub fn page_error_json(out: &mut dyn Write, path: &Path, error: &str) -> io::Result<()> {
    let path = path.display().to_string();
    json_line(out, &ParseErrorJson { path: &path, error })
}

/// What the parser read from one file, for a person checking why a page
/// indexed the way it did.
pub fn page(out: &mut dyn Write, path: &Path, page: &Page, style: Style) -> io::Result<()> {
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
                style.paint(DIM, &format!("cites {}", cited_list(&s.cited)))
            )?;
        }
    }
    for w in &page.warnings {
        writeln!(out, "  warning: {w}")?;
    }
    Ok(())
}

fn json_line<T: Serialize>(out: &mut dyn Write, value: &T) -> io::Result<()> {
    serde_json::to_writer(&mut *out, value).map_err(io::Error::other)?;
    writeln!(out)
}

#[cfg(test)]
mod tests {

    #[test]
    fn formats_utc_times() {
        assert_eq!(utc_time(0), "1970-01-01 00:00 UTC");
        assert_eq!(utc_time(951_782_400), "2000-02-29 00:00 UTC");
        assert_eq!(utc_time(1_795_795_500), "2026-11-27 16:05 UTC");
    }
    use super::*;

    #[test]
    fn sizes_in_decimal_units() {
        assert_eq!(human_bytes(999), "999 B");
        assert_eq!(human_bytes(1_000), "1.0 kB");
        assert_eq!(human_bytes(1_121_000_000), "1.1 GB");
    }

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

/// The stderr line for a warning or notice of the build; `None` for progress events.
pub fn build_message(event: &BuildEvent<'_>) -> Option<String> {
    match event {
        BuildEvent::Skipped { path, reason } => {
            Some(format!("warning: skipped {}: {reason}", path.display()))
        }
        BuildEvent::PageWarning { path, warning } => {
            Some(format!("warning: {}: {warning}", path.display()))
        }
        BuildEvent::Notice(notice) => Some(format!("note: {notice}")),
        BuildEvent::Walking { .. }
        | BuildEvent::Read { .. }
        | BuildEvent::Unchanged
        | BuildEvent::Committing => None,
    }
}

/// `+3 added, ~1 changed, -2 removed, 19,994 unchanged, 0 skipped (0.21 s); 20,001 pages, 403,112 statements`,
/// with `, 240 page assets ignored` after the skipped files when saved pages
/// brought folders of assets.
pub fn summary_line(s: &BuildSummary) -> String {
    let assets = if s.assets > 0 {
        format!(", {} page assets ignored", thousands(s.assets))
    } else {
        String::new()
    };
    format!(
        "+{} added, ~{} changed, -{} removed, {} unchanged, {} skipped{} ({:.2} s); the index holds {} pages, {} statements",
        thousands(s.added),
        thousands(s.changed),
        thousands(s.removed),
        thousands(s.unchanged),
        thousands(s.skipped),
        assets,
        s.elapsed.as_secs_f64(),
        thousands(s.pages),
        thousands(s.statements),
    )
}

fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod build_tests {
    use super::thousands;

    #[test]
    fn groups_thousands() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(19_994), "19,994");
        assert_eq!(thousands(1_234_567), "1,234,567");
    }
}
