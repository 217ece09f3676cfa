//! Facet counts for a query, as the source pages' sidebar shows them: how many
//! of the matching statements come from each section bucket, are of each
//! citation type, and are about papers of each year.
//!
//! Every match is visited once (no score is computed), its values read from
//! the fast columns. A statement saved in several files is counted once, as
//! it is shown once among the hits.

use std::collections::{BTreeMap, HashSet};
use std::hash::{BuildHasherDefault, Hasher};

use serde::Serialize;
use tantivy::columnar::{Column, ColumnIndex, StrColumn};
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

/// What a count is for: the facets, or only the number of distinct matches
/// (no column but the copies' key is read).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Want {
    Facets,
    Total,
}

pub(super) fn count(ranker: &Ranker<'_>, f: &Fields, want: Want) -> Result<Facets, SearchError> {
    let mut seen = CopySet::default();
    let mut facets = Facets::default();
    if want == Want::Total && without_copies(ranker, f)? {
        for reader in ranker.searcher().segment_readers() {
            facets.total += u64::from(ranker.count(reader)?);
        }
        return Ok(facets);
    }
    for reader in ranker.searcher().segment_readers() {
        let mut tally = SegmentTally::open(reader, f, want)?;
        let alive = reader.alive_bitset();
        let mut live = Vec::new();
        ranker.for_each_batch(reader, &mut |docs: &[DocId]| {
            live.clear();
            live.extend(
                docs.iter()
                    .copied()
                    .filter(|&d| alive.is_none_or(|a| a.is_alive(d))),
            );
            tally.add(&live, &mut seen);
        })?;
        facets.total += tally.total;
        add_strings(&mut facets.section, &tally.section_column, &tally.section)?;
        add_strings(
            &mut facets.citation_type,
            &tally.type_column,
            &tally.citation_type,
        )?;
        for (i, n) in tally.year.iter().enumerate().filter(|(_, n)| **n > 0) {
            let name = match i {
                0 => UNKNOWN.to_string(),
                i => (tally.year_min + i as u64 - 1).to_string(),
            };
            *facets.year.entry(name).or_default() += n;
        }
    }
    Ok(facets)
}

/// Whether no statement of the index has a copy, so that matches need not be
/// told apart by their keys: one segment (a first build's, merged), without
/// deletes, whose keys are all distinct. Its matches are then counted by
/// tantivy, which reads a term's count without visiting its documents.
fn without_copies(ranker: &Ranker<'_>, f: &Fields) -> Result<bool, SearchError> {
    let [reader] = ranker.searcher().segment_readers() else {
        return Ok(false);
    };
    if reader.has_deletes() {
        return Ok(false);
    }
    let keyed = match &reader.u64_column(f.dedup)?.index {
        ColumnIndex::Full => u64::from(reader.max_doc()),
        ColumnIndex::Optional(index) => u64::from(index.num_non_nulls()),
        ColumnIndex::Empty { .. } => 0,
        ColumnIndex::Multivalued(_) => return Ok(false),
    };
    let keys = reader.inverted_index(f.dedup)?.terms().num_terms() as u64;
    Ok(keys == keyed)
}

/// The dedup keys of the statements counted so far. The keys are hashes
/// already (blake3), so they are their own hash: SipHash over 400,000 keys
/// was most of a facet count of a word in every statement.
type CopySet = HashSet<u64, BuildHasherDefault<KeyHasher>>;

#[derive(Default)]
struct KeyHasher(u64);

impl Hasher for KeyHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = self.0.rotate_left(8) ^ u64::from(b);
        }
    }
    fn write_u64(&mut self, key: u64) {
        self.0 = key;
    }
}

/// One segment's counts, by term ordinal (slot 0: no value, then the
/// ordinal plus one) and by year (slot 0: no year, then one slot per year
/// from the segment's first), read from the columns a block of matches at a
/// time.
struct SegmentTally {
    section_column: Option<StrColumn>,
    type_column: Option<StrColumn>,
    year_column: Column<u64>,
    dedup: Column<u64>,
    year_min: u64,
    want: Want,
    total: u64,
    section: Vec<u64>,
    citation_type: Vec<u64>,
    year: Vec<u64>,
    /// Buffers for a block's dedup keys, section and type ordinals, years.
    values: [Vec<Option<u64>>; 4],
}

impl SegmentTally {
    fn open(reader: &SegmentReader, f: &Fields, want: Want) -> Result<SegmentTally, SearchError> {
        let facets = want == Want::Facets;
        let section_column = reader.str_column(f.section_bucket)?.filter(|_| facets);
        let type_column = reader.str_column(f.citation_type)?.filter(|_| facets);
        let year_column = match want {
            Want::Facets => reader.u64_column(f.year)?,
            Want::Total => Column::build_empty_column(reader.max_doc()),
        };
        let slots = |c: &Option<StrColumn>| c.as_ref().map_or(0, |c| c.num_terms()) + 1;
        // A span of years beyond any real one would make the table huge: the
        // years past it are counted under `unknown` (the parser yields none).
        let year_min = year_column.min_value();
        let span = year_column.max_value().saturating_sub(year_min).min(10_000);
        Ok(SegmentTally {
            section: vec![0; slots(&section_column)],
            citation_type: vec![0; slots(&type_column)],
            year: vec![0; span as usize + 2],
            section_column,
            type_column,
            year_column,
            dedup: reader.u64_column(f.dedup)?,
            year_min,
            want,
            total: 0,
            values: Default::default(),
        })
    }

    fn add(&mut self, docs: &[DocId], seen: &mut CopySet) {
        let [dedup, section, citation_type, year] = &mut self.values;
        for values in [&mut *dedup, &mut *section, &mut *citation_type, &mut *year] {
            values.clear();
            values.resize(docs.len(), None);
        }
        self.dedup.first_vals(docs, dedup);
        if self.want == Want::Total {
            // A statement saved in several files is counted once.
            self.total += dedup
                .iter()
                .filter(|key| key.is_none_or(|key| seen.insert(key)))
                .count() as u64;
            return;
        }
        if let Some(c) = &self.section_column {
            c.ords().first_vals(docs, section);
        }
        if let Some(c) = &self.type_column {
            c.ords().first_vals(docs, citation_type);
        }
        self.year_column.first_vals(docs, year);
        for i in 0..docs.len() {
            // A statement saved in several files is counted once.
            if dedup[i].is_some_and(|key| !seen.insert(key)) {
                continue;
            }
            self.total += 1;
            self.section[slot(section[i])] += 1;
            self.citation_type[slot(citation_type[i])] += 1;
            let y = year[i]
                .map(|y| y.wrapping_sub(self.year_min) as usize + 1)
                .filter(|&y| y < self.year.len())
                .unwrap_or(0);
            self.year[y] += 1;
        }
    }
}

/// Slot 0 for no value, the ordinal plus one otherwise.
fn slot(ord: Option<u64>) -> usize {
    ord.map_or(0, |o| o as usize + 1)
}

/// Adds one segment's counts by slot under the terms' names.
fn add_strings(
    into: &mut BTreeMap<String, u64>,
    column: &Option<StrColumn>,
    counts: &[u64],
) -> Result<(), SearchError> {
    for (i, &n) in counts.iter().enumerate().filter(|(_, n)| **n > 0) {
        let name = match (i, column) {
            (0, _) | (_, None) => UNKNOWN.to_string(),
            (i, Some(column)) => ord_text(column, i as u64 - 1)?,
        };
        *into.entry(name).or_default() += n;
    }
    Ok(())
}
