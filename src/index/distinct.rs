//! Which segments a count can treat as one copy-free base: segments whose
//! statements' dedup keys are all distinct, within each and across them.
//!
//! A statement saved in several files is counted once (`search::facets`).
//! Counts tell copies apart with a set of the keys seen, except in a base
//! whose keys are known to be distinct. A million pages make eight segments
//! of like size, and every match going through the set cost seconds for a
//! frequent word's total. So a build checks its segments' keys, sorted from
//! their columns, and names the base in the commit's provenance: all
//! segments when no key repeats anywhere, or else the largest segment in
//! which none repeats. Updates carry the names of those still live, and check
//! again when none is.

use tantivy::index::SegmentId;
use tantivy::schema::Field;
use tantivy::{Searcher, SegmentReader};

use crate::schema::FastColumns;

/// Keys held in memory at once while checking: about 32 MB.
pub(super) const KEYS_PER_PASS: u64 = 4 << 20;

/// Keys read from a column at a time.
const READ_AHEAD: usize = 1 << 16;

/// The base of `searcher`'s segments: all of them when no dedup key
/// (deleted documents' included) occurs twice among them; else the largest
/// segment in which none does; else none.
pub(super) fn distinct_base(
    searcher: &Searcher,
    dedup: Field,
    keys_per_pass: u64,
) -> tantivy::Result<Vec<SegmentId>> {
    let readers: Vec<&SegmentReader> = searcher.segment_readers().iter().collect();
    if keys_distinct(&readers, dedup, keys_per_pass)? {
        return Ok(readers.iter().map(|r| r.segment_id()).collect());
    }
    // The folder holds copies. A copy saved beside its original lands in the
    // same segment only as often as not, so a large segment free of them
    // still spares the counts most of the set.
    let mut by_size = readers;
    by_size.sort_by_key(|r| std::cmp::Reverse(r.max_doc()));
    for reader in by_size {
        if reader.max_doc() > 0 && keys_distinct(&[reader], dedup, keys_per_pass)? {
            return Ok(vec![reader.segment_id()]);
        }
    }
    Ok(Vec::new())
}

/// Whether no dedup key occurs twice among `readers`' documents. The keys
/// are read from the column and sorted a range of key values at a time, so
/// that memory stays bounded whatever the index's size: about
/// `keys_per_pass` keys at once.
fn keys_distinct(
    readers: &[&SegmentReader],
    dedup: Field,
    keys_per_pass: u64,
) -> tantivy::Result<bool> {
    let docs: u64 = readers.iter().map(|r| u64::from(r.max_doc())).sum();
    let passes = docs.div_ceil(keys_per_pass.max(1)).max(1);
    // Keys are blake3 hashes, spread evenly: pass p takes those whose value
    // falls in the p-th of `passes` equal ranges.
    let range_of = |key: u64| ((u128::from(key) * u128::from(passes)) >> 64) as u64;
    // A pass's keys number about `docs / passes` (hashes spread evenly), so
    // room for an eighth more is asked for once, rather than doubled into.
    let per_pass = docs.div_ceil(passes);
    let mut keys: Vec<u64> = Vec::with_capacity((per_pass + per_pass / 8) as usize);
    let mut values = Vec::new();
    for pass in 0..passes {
        keys.clear();
        for reader in readers {
            let column = reader.u64_column(dedup)?;
            let rows = column.values.num_vals();
            for start in (0..rows).step_by(READ_AHEAD) {
                values.resize(READ_AHEAD.min((rows - start) as usize), 0);
                column.values.get_range(u64::from(start), &mut values);
                keys.extend(values.iter().copied().filter(|&k| range_of(k) == pass));
            }
        }
        keys.sort_unstable();
        if keys.windows(2).any(|w| w[0] == w[1]) {
            return Ok(false);
        }
    }
    Ok(true)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::IndexSchema;
    use tantivy::indexer::NoMergePolicy;
    use tantivy::{Index, IndexWriter, TantivyDocument, Term};

    /// Segments of documents with the given dedup keys.
    fn segments(keys: &[&[u64]]) -> (Index, Field) {
        let schema = IndexSchema::builtin().unwrap();
        let f = schema.fields;
        let index = Index::create_in_ram(schema.schema.clone());
        crate::analysis::register_tokenizers(index.tokenizers());
        let mut writer: IndexWriter = index.writer_with_num_threads(1, 15_000_000).unwrap();
        writer.set_merge_policy(Box::new(NoMergePolicy));
        for segment in keys {
            for &key in *segment {
                let mut d = TantivyDocument::default();
                d.add_text(f.path, format!("p{key}"));
                d.add_u64(f.dedup, key);
                writer.add_document(d).unwrap();
            }
            writer.commit().unwrap();
        }
        (index, f.dedup)
    }

    /// The sizes of the segments named (each test's segments differ in
    /// size), the same in one pass and in many.
    fn named(index: &Index, dedup: Field) -> Vec<u32> {
        let searcher = index.reader().unwrap().searcher();
        let once = distinct_base(&searcher, dedup, KEYS_PER_PASS).unwrap();
        for keys_per_pass in [1, 7, 300] {
            let passes = distinct_base(&searcher, dedup, keys_per_pass).unwrap();
            assert_eq!(passes, once, "{keys_per_pass} keys a pass");
        }
        let mut sizes: Vec<u32> = searcher
            .segment_readers()
            .iter()
            .filter(|r| once.contains(&r.segment_id()))
            .map(|r| r.max_doc())
            .collect();
        sizes.sort_unstable();
        sizes
    }

    fn spread(n: u64, from: u64) -> Vec<u64> {
        (from..from + n)
            .map(|i| i.wrapping_mul(0x9e37_79b9_7f4a_7c15))
            .collect()
    }

    #[test]
    fn every_segment_is_named_when_no_key_repeats_anywhere() {
        let (index, dedup) = segments(&[&spread(500, 0), &spread(300, 500)]);
        assert_eq!(named(&index, dedup), [300, 500]);
    }

    #[test]
    fn with_copies_the_largest_segment_free_of_them_is_named_alone() {
        let (a, b) = (spread(500, 0), spread(300, 500));
        // A key in both segments: each is free of copies on its own, and
        // the larger is named.
        let mut shared = b.clone();
        shared[17] = a[3];
        let (index, dedup) = segments(&[&shared, &a]);
        assert_eq!(named(&index, dedup), [500]);
        // A key twice in the larger: the smaller is named.
        let mut twice = a.clone();
        twice[9] = twice[8];
        let (index, dedup) = segments(&[&twice, &b]);
        assert_eq!(named(&index, dedup), [300]);
        // Twice in each: none.
        let mut twice_b = b.clone();
        twice_b[1] = twice_b[0];
        let (index, dedup) = segments(&[&twice, &twice_b]);
        assert!(named(&index, dedup).is_empty());
    }

    #[test]
    fn deleted_documents_keys_still_count() {
        // Both copies are deleted here: counts look keys up in deleted
        // documents too, so the two segments are not named together.
        let (a, mut shared) = (spread(500, 0), spread(300, 500));
        shared[17] = a[3];
        let (index, dedup) = segments(&[&a, &shared]);
        let mut writer: IndexWriter = index.writer_with_num_threads(1, 15_000_000).unwrap();
        let f = IndexSchema::builtin().unwrap().fields;
        writer.delete_term(Term::from_field_text(f.path, &format!("p{}", a[3])));
        writer.commit().unwrap();
        assert_eq!(named(&index, dedup), [500]);
    }
}
