//! Facet counts for a query, as the source pages' sidebar shows them: how many
//! of the matching statements come from each section bucket, are of each
//! citation type, and are about papers of each year.
//!
//! Every distinct match is visited once (no score is computed), its values
//! read from the one `facet_code` column (`index/facet_code.rs`). A statement
//! saved in several files is counted once, as it is shown once among the
//! hits: `distinct` gives each statement's one counted copy. Nothing here
//! ranks matches or decides which copy is shown.

use std::collections::BTreeMap;

use serde::Serialize;
use tantivy::columnar::{Column, ColumnIndex};
use tantivy::{DocId, SegmentReader};

use super::distinct::{count_distinct, SegmentCount, Wanted};
use super::engine::Matcher;
use super::SearchError;
use crate::index::facet_code;
use crate::schema::{FastColumns, Fields};

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

/// Counts the distinct matches of `matcher`: by section, type and year, or
/// (`Wanted::Number`) their number alone, with no column but the copies' key
/// read. `distinct` names the segments a build checked distinct.
pub(super) fn count(
    matcher: &Matcher<'_>,
    f: &Fields,
    distinct: &[String],
    wanted: Wanted,
) -> Result<Facets, SearchError> {
    let open = |reader: &SegmentReader| SegmentTally::open(reader, f, wanted);
    let counted = count_distinct(matcher, f, distinct, wanted, &open)?;
    let mut facets = Facets {
        total: counted.by_number,
        ..Facets::default()
    };
    for tally in &counted.segments {
        tally.add_to(&mut facets);
    }
    Ok(facets)
}

/// One segment's counts, read from its `facet_code` column a block of matches
/// at a time: by section and type together ([`facet_code::pair`]) and by
/// year (slot 0: no year, then the year itself). The documents given are
/// counted as they are: telling copies apart is the caller's.
struct SegmentTally {
    codes: Column<u64>,
    wanted: Wanted,
    total: u64,
    pairs: Vec<u64>,
    year: Vec<u64>,
    buffers: Buffers,
}

/// Reused for every block: the documents of a block that have a code, their
/// rows and their codes.
#[derive(Default)]
struct Buffers {
    docs: Vec<DocId>,
    rows: Vec<u32>,
    values: Vec<u64>,
}

impl SegmentTally {
    fn open(
        reader: &SegmentReader,
        f: &Fields,
        wanted: Wanted,
    ) -> Result<SegmentTally, SearchError> {
        let codes = match wanted {
            Wanted::Documents => reader.u64_column_or_empty(f.facet_code)?,
            Wanted::Number => Column::build_empty_column(reader.max_doc()),
        };
        // Codes hold no year from `facet_code::YEAR_LIMIT` up.
        let years = facet_code::year(codes.max_value()).min(u64::from(facet_code::YEAR_LIMIT - 1));
        Ok(SegmentTally {
            codes,
            wanted,
            total: 0,
            pairs: vec![0; facet_code::PAIRS],
            year: vec![0; years as usize + 1],
            buffers: Buffers::default(),
        })
    }

    /// Adds the counts under the values' names.
    fn add_to(&self, facets: &mut Facets) {
        facets.total += self.total;
        let name = |value: Option<&'static str>| value.unwrap_or(UNKNOWN).to_string();
        for (pair, &n) in self.pairs.iter().enumerate().filter(|(_, n)| **n > 0) {
            let section = facet_code::section_of(pair).map(|s| s.as_str());
            *facets.section.entry(name(section)).or_default() += n;
            let citation_type = facet_code::type_of(pair).map(|t| t.as_str());
            *facets.citation_type.entry(name(citation_type)).or_default() += n;
        }
        for (year, &n) in self.year.iter().enumerate().filter(|(_, n)| **n > 0) {
            let year = match year {
                0 => UNKNOWN.to_string(),
                year => year.to_string(),
            };
            *facets.year.entry(year).or_default() += n;
        }
    }
}

impl SegmentCount for SegmentTally {
    fn add(&mut self, docs: &[DocId]) {
        self.total += docs.len() as u64;
        if self.wanted == Wanted::Number {
            return;
        }
        let Buffers {
            docs: with_code,
            rows,
            values,
        } = &mut self.buffers;
        values.clear();
        match &self.codes.index {
            // Every document has a code (as every document of a build
            // does): its row is its id.
            ColumnIndex::Full => {
                values.resize(docs.len(), facet_code::NONE);
                self.codes.values.get_vals(docs, values);
            }
            // Documents without one count as having no values.
            index => {
                with_code.clear();
                rows.clear();
                index.docids_to_rowids(docs, with_code, rows);
                values.resize(rows.len(), facet_code::NONE);
                self.codes.values.get_vals(rows, values);
                let missing = docs.len().saturating_sub(rows.len()) as u64;
                self.pairs[0] += missing;
                self.year[0] += missing;
            }
        }
        // One row a document at most: `index::documents` adds one code each.
        debug_assert!(!matches!(self.codes.index, ColumnIndex::Multivalued(_)));
        // Held as local slices: through `self`, every increment reloaded
        // the tables' addresses, in case the last one had moved them.
        let (pairs, years) = (&mut self.pairs[..], &mut self.year[..]);
        let last_year = years.len() - 1;
        for &code in values.iter() {
            pairs[facet_code::pair(code)] += 1;
            // A year beyond the table's (a code from no build) is none.
            let year = facet_code::year(code) as usize;
            years[if year > last_year { 0 } else { year }] += 1;
        }
    }

    fn absorb(&mut self, other: SegmentTally) {
        debug_assert_eq!(self.year.len(), other.year.len(), "the same segment's");
        self.total += other.total;
        for (sum, part) in [
            (&mut self.pairs, &other.pairs),
            (&mut self.year, &other.year),
        ] {
            for (s, p) in sum.iter_mut().zip(part) {
                *s += p;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::register_tokenizers;
    use crate::index::BitsCache;
    use crate::page::CitationType::{Mentioning, Supporting};
    use crate::page::SectionBucket::{Introduction, Methods, Results};
    use crate::schema::{ord_text, IndexSchema};
    use crate::search::distinct::base_segments;
    use crate::search::engine::{Groups, Split};
    use std::collections::HashSet;
    use tantivy::collector::DocSetCollector;
    use tantivy::indexer::NoMergePolicy;
    use tantivy::query::{AllQuery, BooleanQuery, Occur, Query, TermQuery};
    use tantivy::schema::IndexRecordOption;
    use tantivy::Term;
    use tantivy::{Index, IndexWriter, Searcher, TantivyDocument};

    /// Segments of statements whose keys repeat within and across them, some
    /// deleted, some without a key. A copy shares its key's section, type
    /// and year (as a statement saved twice does) but not always its words,
    /// so one copy can match where another does not.
    /// Documents of the base, and of each of the two small segments beside
    /// it: few enough beside the base for it to be used, split in up to four.
    const BASE_DOCS: u64 = 4_000;
    const SMALL_DOCS: u64 = 30;

    /// The base is `base_parts` segments, its keys distinct across them
    /// unless `base_has_copies`.
    fn copies_index(base_has_copies: bool, base_parts: u64) -> (Index, Fields) {
        let schema = IndexSchema::builtin().unwrap();
        let f = schema.fields;
        let index = Index::create_in_ram(schema.schema.clone());
        register_tokenizers(index.tokenizers());
        let mut writer: IndexWriter = index.writer_with_num_threads(1, 15_000_000).unwrap();
        writer.set_merge_policy(Box::new(NoMergePolicy));
        let mut next = crate::search::below(0x9e37_79b9_7f4a_7c15);
        let add = |writer: &mut IndexWriter, path: String, key: Option<u64>, word: u64| {
            let mut d = TantivyDocument::default();
            d.add_text(f.path, &path);
            d.add_text(
                f.statement,
                ["alpha", "beta gamma", "alpha gamma"][word as usize],
            );
            if let Some(key) = key {
                let section = [Introduction, Methods, Results][key as usize % 3];
                let citation_type = [Supporting, Mentioning][key as usize % 2];
                let year = 2000 + key as u16 % 7;
                d.add_u64(f.dedup, key);
                // Copies share their paper's DOI, as the key hashes it;
                // a paper holds many keys.
                d.add_text(f.doi, format!("10.1/{}", key % 97));
                d.add_text(f.section_bucket, section.as_str());
                d.add_text(f.citation_type, citation_type.as_str());
                d.add_u64(f.year, u64::from(year));
                let code = facet_code::pack(Some(section), Some(citation_type), Some(year));
                d.add_u64(f.facet_code, code);
            } else if path.starts_with("base") {
                // As a build gives every document a code. The small
                // segments' keyless documents have none, so that their
                // column is read through its index of present rows.
                d.add_u64(f.facet_code, facet_code::NONE);
            }
            writer.add_document(d).unwrap();
        };
        // Large enough beside the two small segments for a base.
        for i in 0..BASE_DOCS {
            let key = if base_has_copies && i % 50 == 0 {
                i + 1
            } else {
                i
            };
            add(&mut writer, format!("base/{i}"), Some(key), next(3));
            if (i + 1) % (BASE_DOCS / base_parts) == 0 && i + 1 < BASE_DOCS {
                writer.commit().unwrap();
            }
        }
        add(&mut writer, "base/page".into(), None, 0);
        writer.commit().unwrap();
        for segment in 1..3 {
            for i in 0..SMALL_DOCS {
                let key = (next(5) > 0).then(|| next(BASE_DOCS + 80));
                add(&mut writer, format!("small{segment}/{i}"), key, next(3));
            }
            writer.commit().unwrap();
            for _ in 0..300 {
                let path = format!("base/{}", next(BASE_DOCS));
                writer.delete_term(Term::from_field_text(f.path, &path));
            }
            let path = format!("small{segment}/{}", next(SMALL_DOCS));
            writer.delete_term(Term::from_field_text(f.path, &path));
            writer.commit().unwrap();
        }
        (index, f)
    }

    #[test]
    fn the_tests_read_dense_code_columns_and_sparse_ones() {
        let (index, f) = copies_index(false, 2);
        let searcher = index.reader().unwrap().searcher();
        let dense: Vec<(u32, bool)> = searcher
            .segment_readers()
            .iter()
            .map(|reader| {
                let column = reader.u64_column(f.facet_code).unwrap();
                (reader.max_doc(), matches!(column.index, ColumnIndex::Full))
            })
            .collect();
        // The base's segments, every document with a code; the small ones,
        // some without.
        for (docs, full) in dense {
            assert_eq!(full, u64::from(docs) > SMALL_DOCS, "{docs} docs");
        }
    }

    /// The counts the slow way: every live match's key into a set, each
    /// distinct statement's values counted once.
    fn by_hand(searcher: &Searcher, query: &dyn Query, f: &Fields) -> Facets {
        let mut facets = Facets::default();
        let mut seen = HashSet::new();
        let mut matches: Vec<_> = searcher
            .search(query, &DocSetCollector)
            .unwrap()
            .into_iter()
            .collect();
        matches.sort();
        for address in matches {
            let reader = searcher.segment_reader(address.segment_ord);
            let key = reader.u64_column(f.dedup).unwrap().first(address.doc_id);
            if key.is_some_and(|key| !seen.insert(key)) {
                continue;
            }
            let text = |field| -> String {
                let column = reader.str_column(field).unwrap().unwrap();
                match column.ords().first(address.doc_id) {
                    Some(ord) => ord_text(&column, ord).unwrap(),
                    None => UNKNOWN.to_string(),
                }
            };
            facets.total += 1;
            *facets.section.entry(text(f.section_bucket)).or_default() += 1;
            *facets
                .citation_type
                .entry(text(f.citation_type))
                .or_default() += 1;
            let year = reader.u64_column(f.year).unwrap().first(address.doc_id);
            let year = year.map_or(UNKNOWN.to_string(), |y| y.to_string());
            *facets.year.entry(year).or_default() += 1;
        }
        facets
    }

    /// A named query, its filter, and its matches as term groups when it
    /// is a query of plain words (`engine::union::plain_groups`).
    type Case = (
        &'static str,
        Box<dyn Query>,
        Option<Box<dyn Query>>,
        Option<Groups>,
    );

    fn queries(f: &Fields) -> Vec<Case> {
        let word = |w: &str| -> Box<dyn Query> {
            Box::new(TermQuery::new(
                Term::from_field_text(f.statement, w),
                IndexRecordOption::WithFreqs,
            ))
        };
        let supporting: Box<dyn Query> = Box::new(TermQuery::new(
            Term::from_field_text(f.citation_type, "supporting"),
            IndexRecordOption::Basic,
        ));
        let terms = |words: &[&str]| -> Option<Groups> {
            let group = words.iter().map(|w| Term::from_field_text(f.statement, w));
            Some(vec![group.collect()])
        };
        vec![
            ("everything", Box::new(AllQuery), None, None),
            ("alpha", word("alpha"), None, terms(&["alpha"])),
            ("gamma", word("gamma"), None, terms(&["gamma"])),
            (
                "alpha, supporting",
                word("alpha"),
                Some(supporting.box_clone()),
                None,
            ),
            (
                "alpha, supporting, counted by bits",
                word("alpha"),
                Some(supporting.box_clone()),
                terms(&["alpha"]),
            ),
            (
                "beta or alpha",
                Box::new(BooleanQuery::new(vec![
                    (Occur::Should, word("beta")),
                    (Occur::Should, word("alpha")),
                ])),
                None,
                terms(&["beta", "alpha"]),
            ),
            (
                "beta or alpha, unscored union",
                Box::new(BooleanQuery::new(vec![
                    (Occur::Should, word("beta")),
                    (Occur::Should, word("alpha")),
                ])),
                None,
                None,
            ),
            (
                "supporting only",
                Box::new(AllQuery),
                Some(supporting),
                None,
            ),
        ]
    }

    /// Checks the counts against [`by_hand`]'s on an index whose base is
    /// `base_parts` segments, with their names recorded as distinct or not;
    /// `base_found` says whether a base should be found.
    fn check(base_has_copies: bool, base_parts: u64, recorded: bool, base_found: bool) {
        let (index, f) = copies_index(base_has_copies, base_parts);
        let searcher = index.reader().unwrap().searcher();
        let readers = searcher.segment_readers();
        assert_eq!(readers.len(), 2 + base_parts as usize);
        let in_base: Vec<usize> = (0..readers.len())
            .filter(|&ord| u64::from(readers[ord].max_doc()) > SMALL_DOCS)
            .collect();
        let mut distinct: Vec<String> = Vec::new();
        if recorded {
            distinct.extend(
                in_base
                    .iter()
                    .map(|&ord| readers[ord].segment_id().uuid_string()),
            );
            // A segment merged away since, or another index's, is not found.
            distinct.push("00000000000000000000000000000000".into());
        }
        let expected_base = if base_found { in_base } else { Vec::new() };
        assert_eq!(base_segments(readers, &distinct), expected_base);
        // Shared by every case and thread count: the filter's bits are read
        // once, then counted from the cache.
        let cache = BitsCache::default();
        for (name, query, filter, groups) in queries(&f) {
            let both: Box<dyn Query> = match &filter {
                None => query.box_clone(),
                Some(filter) => Box::new(BooleanQuery::new(vec![
                    (Occur::Must, query.box_clone()),
                    (Occur::Must, filter.box_clone()),
                ])),
            };
            let expected = by_hand(&searcher, both.as_ref(), &f);
            assert!(expected.total > 0, "{name}");
            // On one thread, and on two or three, which share out the base's
            // segments or the ranges of a single one's matches.
            // Two threads with too few matches to share a segment out.
            for (workers, from_matches) in [(1, 0), (2, 0), (3, 0), (2, u64::MAX)] {
                let matcher = Matcher::counting(
                    &searcher,
                    groups.clone(),
                    query.as_ref(),
                    filter.as_deref(),
                    &cache,
                )
                .unwrap()
                .split(Split {
                    workers,
                    from_docs: 0,
                    from_matches,
                });
                let context = format!("{name}, {workers} threads from {from_matches} matches");
                assert_eq!(
                    count(&matcher, &f, &distinct, Wanted::Documents).unwrap(),
                    expected,
                    "{context}"
                );
                let total = count(&matcher, &f, &distinct, Wanted::Number).unwrap();
                assert_eq!(total.total, expected.total, "{context}");
            }
        }
        // Only the base is counted by bits; elsewhere each match is visited.
        assert_eq!(cache.bytes() > 0, base_found, "the filter's bits are kept");
    }

    #[test]
    fn copies_in_later_segments_are_checked_against_the_base() {
        check(false, 1, true, true);
    }

    #[test]
    fn without_a_base_every_key_is_hashed() {
        check(true, 1, false, false);
        // Two segments of like size, not known to be distinct across them.
        check(false, 2, false, false);
    }

    #[test]
    fn segments_recorded_distinct_are_one_base() {
        check(false, 2, true, true);
        check(false, 4, true, true);
    }
}
