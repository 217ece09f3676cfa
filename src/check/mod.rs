//! `check`: a manuscript's reference list against the saved report pages,
//! as the citation service's own reference check does it, offline.
//!
//! [`read`] turns a list (BibTeX, RIS, CSL-JSON or text) into
//! [`Reference`]s; [`check`] finds each one's paper in the index, by DOI in
//! any written form, else by a title exactly one indexed paper has, and
//! gives it as `papers` does (its page's tallies, its distinct statements by
//! type, its files) with its most confident contrasting statements. A
//! reference with a DOI the index lacks is `no report`, with the address of
//! the report to save; one with neither a DOI nor a unique title is `no doi`.

pub(crate) mod read;
mod title;

use std::collections::HashMap;

use serde::Serialize;

pub(crate) use read::{Form, Reference};

use crate::index::OpenIndex;
use crate::page::{CitationType, Tally};
use crate::search::{self, Hit, Named, Paper, SearchError, TypeCounts};

/// Above this contrasting share of a page's typed citations a paper is
/// marked contested, unless `--contested-above` says otherwise. Contrasting
/// citations are rare: on the service's reports a few in a hundred is
/// usual, so one in ten is a paper whose findings others dispute far more
/// often than most, and worth a second look before relying on it.
pub(crate) const DEFAULT_CONTESTED_ABOVE: f64 = 0.10;

/// How many contrasting statements a found reference shows.
pub(crate) const CONTRASTING_SHOWN: usize = 3;

/// A share from 0 to 1, written `0.1` or `10%` (`--contested-above`, and
/// the API's `contested_above`).
pub(crate) fn parse_share(text: &str) -> Result<f64, String> {
    let trimmed = text.trim();
    let (number, scale) = match trimmed.strip_suffix('%') {
        Some(n) => (n.trim(), 100.0),
        None => (trimmed, 1.0),
    };
    let share = number
        .parse::<f64>()
        .ok()
        .map(|n| n / scale)
        .filter(|s| (0.0..=1.0).contains(s));
    share.ok_or_else(|| format!("`{text}` is not a share: write 0 to 1 (0.1) or 0% to 100% (10%)"))
}

/// The address of a paper's report on the citation service, to save it.
pub(crate) fn report_address(doi: &str) -> String {
    format!("https://scite.ai/reports/{doi}")
}

/// What became of one reference.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub(crate) enum Status {
    /// The index has the paper's report.
    #[serde(rename = "found")]
    Found,
    /// A DOI the index has no report for.
    #[serde(rename = "no report")]
    NoReport,
    /// Neither a DOI nor a title that one indexed paper has.
    #[serde(rename = "no doi")]
    NoDoi,
}

impl Status {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Status::Found => "found",
            Status::NoReport => "no report",
            Status::NoDoi => "no doi",
        }
    }
}

/// How a found reference was matched.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum MatchedBy {
    Doi,
    Title,
}

/// One reference, checked. Its `doi`, `title` and `year` are the list's,
/// with what the list lacks taken from the found paper (the DOI of a
/// reference matched by its title).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub(crate) struct Checked {
    pub key: String,
    pub doi: Option<String>,
    pub title: Option<String>,
    pub year: Option<u64>,
    pub status: Status,
    pub matched_by: Option<MatchedBy>,
    /// For `no report`: the report to save.
    pub report: Option<String>,
    /// As `papers` gives them, for a found paper.
    pub tally: Option<Tally>,
    pub contrasting_share: Option<f64>,
    pub statements: Option<TypeCounts>,
    pub files: Vec<String>,
    /// A contrasting share above the threshold.
    pub contested: bool,
    /// The most confident contrasting statements, as `query --json` hits.
    pub contrasting: Vec<Hit>,
}

/// The counts of a checked list, for its last line.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub(crate) struct Summary {
    pub references: usize,
    pub found: usize,
    pub no_report: usize,
    pub no_doi: usize,
    pub contested: usize,
}

impl Summary {
    pub(crate) fn of(rows: &[Checked]) -> Summary {
        let count = |status| rows.iter().filter(|r| r.status == status).count();
        Summary {
            references: rows.len(),
            found: count(Status::Found),
            no_report: count(Status::NoReport),
            no_doi: count(Status::NoDoi),
            contested: rows.iter().filter(|r| r.contested).count(),
        }
    }
}

/// Checks `references` against the index: one row each, in their order.
/// A paper is contested above `contested_above` (a share, 0 to 1).
pub(crate) fn check(
    open: &OpenIndex,
    references: &[Reference],
    contested_above: f64,
) -> Result<Vec<Checked>, SearchError> {
    let matched: Vec<Option<(Named, MatchedBy)>> = references
        .iter()
        .map(|r| matched(open, r))
        .collect::<Result<_, _>>()?;
    let wanted: Vec<Named> = matched.iter().flatten().map(|(n, _)| n.clone()).collect();
    let papers = search::papers_named(open, &wanted)?;
    // Once a paper, however often the list cites it.
    let mut contrasting: HashMap<&Named, Vec<Hit>> = HashMap::new();
    for (named, paper) in &papers {
        if paper.statements.contrasting > 0 {
            let hits =
                search::statements_of(open, named, CitationType::Contrasting, CONTRASTING_SHOWN)?;
            contrasting.insert(named, hits);
        }
    }
    Ok(references
        .iter()
        .zip(matched)
        .map(|(reference, matched)| {
            let found = matched.and_then(|(named, by)| {
                let paper = papers.get(&named)?;
                let hits = contrasting.get(&named).map_or(&[][..], Vec::as_slice);
                Some((by, paper, hits))
            });
            row(reference, found, contested_above)
        })
        .collect())
}

/// The paper a reference names: by its DOI, else by a title that exactly
/// one indexed paper has. A DOI the index lacks still names a paper (it is
/// `no report` when [`search::papers_named`] does not find it).
fn matched(
    open: &OpenIndex,
    reference: &Reference,
) -> Result<Option<(Named, MatchedBy)>, SearchError> {
    if let Some(doi) = &reference.doi {
        return Ok(Some((Named::Doi(doi.clone()), MatchedBy::Doi)));
    }
    let Some(title) = reference.title.as_deref() else {
        return Ok(None);
    };
    let wanted = title::key(title);
    if wanted.is_empty() {
        return Ok(None);
    }
    let mut same: Vec<Named> = search::titled(open, title)?
        .into_iter()
        .filter(|t| title::key(&t.title) == wanted)
        .map(|t| t.paper)
        .collect();
    same.sort();
    same.dedup();
    Ok(match same.as_slice() {
        [one] => Some((one.clone(), MatchedBy::Title)),
        _ => None,
    })
}

/// One reference's row, with the paper found for it if any.
fn row(
    reference: &Reference,
    found: Option<(MatchedBy, &Paper, &[Hit])>,
    contested_above: f64,
) -> Checked {
    let mut row = Checked {
        key: reference.key.clone(),
        doi: reference.doi.clone(),
        title: reference.title.clone(),
        year: reference.year,
        status: match reference.doi {
            Some(_) => Status::NoReport,
            None => Status::NoDoi,
        },
        matched_by: None,
        report: reference.doi.as_deref().map(report_address),
        tally: None,
        contrasting_share: None,
        statements: None,
        files: Vec::new(),
        contested: false,
        contrasting: Vec::new(),
    };
    let Some((by, paper, contrasting)) = found else {
        return row;
    };
    row.status = Status::Found;
    row.matched_by = Some(by);
    row.report = None;
    row.doi = row.doi.or_else(|| paper.doi.clone());
    row.title = row.title.or_else(|| paper.title.clone());
    row.year = row.year.or(paper.year);
    row.tally = Some(paper.tally);
    row.contrasting_share = paper.contrasting_share;
    row.statements = Some(paper.statements);
    row.files = paper.files.clone();
    row.contested = paper.contrasting_share.is_some_and(|s| s > contested_above);
    row.contrasting = contrasting.to_vec();
    row
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shares_are_fractions_or_percentages() {
        assert_eq!(parse_share("0.1"), Ok(0.1));
        assert_eq!(parse_share(" 12.5% "), Ok(0.125));
        assert!(parse_share("1.5").is_err());
        assert!(parse_share("-1%").is_err());
        assert!(parse_share("ten").is_err());
    }
}
