//! Which segments a count can treat as one copy-free base: segments whose
//! statements' dedup keys are all distinct, within each and across them.
//!
//! A statement saved in several files is counted once (`search::facets`).
//! Counts tell copies apart with a set of the keys seen, except in a base
//! whose keys are known to be distinct. One segment can be seen to be so on
//! the spot (as many keys in its dictionary as keyed documents), but a
//! million pages make eight segments of like size, and then every match went
//! through the set: seconds for a frequent word's total. A first build checks
//! its merged segments once instead, and names them in the commit's
//! provenance; updates carry the names of those still live.

use tantivy::index::SegmentId;
use tantivy::schema::Field;
use tantivy::Searcher;

use crate::schema::FastColumns;

/// Keys held in memory at once while checking: about 32 MB.
pub(super) const KEYS_PER_PASS: u64 = 4 << 20;

/// Keys read from a column at a time.
const READ_AHEAD: usize = 1 << 16;

/// The segments of `searcher`, all of them, when no dedup key (deleted
/// documents' included) occurs twice among them; none otherwise. The keys
/// are read from the column and sorted a range of key values at a time, so
/// that memory stays bounded whatever the index's size: about
/// `keys_per_pass` keys at once.
pub(super) fn distinct_segments(
    searcher: &Searcher,
    dedup: Field,
    keys_per_pass: u64,
) -> tantivy::Result<Vec<SegmentId>> {
    let readers = searcher.segment_readers();
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
            return Ok(Vec::new());
        }
    }
    Ok(readers.iter().map(|r| r.segment_id()).collect())
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

    /// The number of segments named, the same in one pass and in many.
    fn named(index: &Index, dedup: Field) -> usize {
        let searcher = index.reader().unwrap().searcher();
        let once = distinct_segments(&searcher, dedup, KEYS_PER_PASS).unwrap();
        for keys_per_pass in [1, 7, 300] {
            let passes = distinct_segments(&searcher, dedup, keys_per_pass).unwrap();
            assert_eq!(passes, once, "{keys_per_pass} keys a pass");
        }
        once.len()
    }

    #[test]
    fn segments_are_named_only_when_no_key_repeats_anywhere() {
        let spread = |n: u64, from: u64| -> Vec<u64> {
            (from..from + n)
                .map(|i| i.wrapping_mul(0x9e37_79b9_7f4a_7c15))
                .collect()
        };
        let (a, b) = (spread(500, 0), spread(500, 500));
        let (index, dedup) = segments(&[&a, &b]);
        assert_eq!(named(&index, dedup), 2);

        // A key in both segments, or twice in one.
        let mut shared = b.clone();
        shared[17] = a[3];
        let (index, dedup) = segments(&[&a, &shared]);
        assert_eq!(named(&index, dedup), 0);
        let mut twice = a.clone();
        twice[9] = twice[8];
        let (index, dedup) = segments(&[&twice, &b]);
        assert_eq!(named(&index, dedup), 0);

        // Deleted documents' keys still count (both copies are deleted
        // here): counts look keys up in deleted documents' terms too.
        let (index, dedup) = segments(&[&a, &shared]);
        let mut writer: IndexWriter = index.writer_with_num_threads(1, 15_000_000).unwrap();
        let f = IndexSchema::builtin().unwrap().fields;
        writer.delete_term(Term::from_field_text(f.path, &format!("p{}", a[3])));
        writer.commit().unwrap();
        assert_eq!(named(&index, dedup), 0);
    }
}
