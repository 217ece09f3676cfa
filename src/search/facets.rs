//! Facet counts for a query, as the source pages' sidebar shows them: how many
//! of the matching statements come from each section bucket, are of each
//! citation type, and are about papers of each year.
//!
//! Every match is visited once (no score is computed), its values read from
//! the fast columns. A statement saved in several files is counted once, as
//! it is shown once among the hits.

use std::collections::{BTreeMap, HashMap, HashSet};

use serde::Serialize;
use tantivy::columnar::{Column, StrColumn};
use tantivy::{DocId, SegmentReader};

use super::top::Ranker;
use super::SearchError;
use crate::schema::{ord_text, FastColumns, Fields};

/// Counts of the matching statements. Values missing from a statement are
/// counted under `unknown`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Facets {
    /// Distinct matching statements.
    pub total: u64,
    pub section: BTreeMap<String, u64>,
    #[serde(rename = "type")]
    pub citation_type: BTreeMap<String, u64>,
    pub year: BTreeMap<String, u64>,
}

impl Facets {
    /// A facet's values, most frequent first (ties in name order); years are
    /// listed newest first instead.
    pub fn ranked(counts: &BTreeMap<String, u64>) -> Vec<(&str, u64)> {
        let mut all: Vec<(&str, u64)> = counts.iter().map(|(k, v)| (k.as_str(), *v)).collect();
        all.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(b.0)));
        all
    }
}

pub const UNKNOWN: &str = "unknown";

pub(super) fn count(ranker: &Ranker<'_>, f: &Fields) -> Result<Facets, SearchError> {
    let mut seen: HashSet<u64> = HashSet::new();
    let mut facets = Facets::default();
    for reader in ranker.searcher().segment_readers() {
        let columns = FacetColumns::open(reader, f)?;
        let mut section: HashMap<Option<u64>, u64> = HashMap::new();
        let mut citation_type: HashMap<Option<u64>, u64> = HashMap::new();
        let mut year: HashMap<Option<u64>, u64> = HashMap::new();
        let alive = reader.alive_bitset();
        ranker.for_each_match(reader, &mut |doc: DocId| {
            if alive.is_some_and(|a| a.is_deleted(doc)) {
                return;
            }
            if let Some(key) = columns.dedup.first(doc) {
                if !seen.insert(key) {
                    return;
                }
            }
            facets.total += 1;
            *section.entry(first_ord(&columns.section, doc)).or_default() += 1;
            *citation_type
                .entry(first_ord(&columns.citation_type, doc))
                .or_default() += 1;
            *year.entry(columns.year.first(doc)).or_default() += 1;
        })?;
        add_strings(&mut facets.section, &columns.section, section)?;
        add_strings(
            &mut facets.citation_type,
            &columns.citation_type,
            citation_type,
        )?;
        for (y, n) in year {
            let name = y.map_or(UNKNOWN.to_string(), |y| y.to_string());
            *facets.year.entry(name).or_default() += n;
        }
    }
    Ok(facets)
}

struct FacetColumns {
    section: Option<StrColumn>,
    citation_type: Option<StrColumn>,
    year: Column<u64>,
    dedup: Column<u64>,
}

impl FacetColumns {
    fn open(reader: &SegmentReader, f: &Fields) -> Result<FacetColumns, SearchError> {
        Ok(FacetColumns {
            section: reader.str_column(f.section_bucket)?,
            citation_type: reader.str_column(f.citation_type)?,
            year: reader.u64_column(f.year)?,
            dedup: reader.u64_column(f.dedup)?,
        })
    }
}

fn first_ord(column: &Option<StrColumn>, doc: DocId) -> Option<u64> {
    column.as_ref()?.term_ords(doc).next()
}

/// Adds one segment's counts by term ordinal under the terms' names.
fn add_strings(
    into: &mut BTreeMap<String, u64>,
    column: &Option<StrColumn>,
    counts: HashMap<Option<u64>, u64>,
) -> Result<(), SearchError> {
    for (ord, n) in counts {
        let name = match (ord, column) {
            (Some(ord), Some(column)) => ord_text(column, ord)?,
            _ => UNKNOWN.to_string(),
        };
        *into.entry(name).or_default() += n;
    }
    Ok(())
}
