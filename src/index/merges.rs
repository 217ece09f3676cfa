//! How segments are merged: never into one of more than [`MAX_MERGED_DOCS`]
//! documents, by the merge policy of an update or in the merges that end a
//! first build ([`groups`]).
//!
//! A merge's memory grows with the documents it writes: tantivy keeps a
//! mapping of every document and per-column state, about 17 bytes per
//! document here. Merging a million pages' 20 million documents into one
//! took the heap from 300 to 650 MB, and tantivy's own policy, which lets a
//! merge reach 10 million documents, held it above 300 MB while indexing
//! (docs/benchmarks-history.md, "A million pages"). Segments of a few million documents
//! answer queries nearly as fast as one.

use std::collections::HashMap;

use tantivy::index::{SegmentId, SegmentMeta};
use tantivy::indexer::{LogMergePolicy, MergeCandidate, MergePolicy};

/// The most documents a merge may write: 3 million, a little more than
/// 150,000 pages of 20 statements each.
pub(super) const MAX_MERGED_DOCS: u32 = 3_000_000;

/// tantivy's log merge policy with every merge it proposes split into merges
/// of at most `cap` documents.
#[derive(Debug)]
pub(super) struct CappedMerges {
    inner: LogMergePolicy,
    cap: u32,
}

impl CappedMerges {
    pub(super) fn new(cap: u32) -> CappedMerges {
        let mut inner = LogMergePolicy::default();
        // A segment this large is left alone: merged with anything, it would
        // pass the cap.
        inner.set_max_docs_before_merge(cap as usize / 2);
        CappedMerges { inner, cap }
    }
}

impl MergePolicy for CappedMerges {
    fn compute_merge_candidates(&self, segments: &[SegmentMeta]) -> Vec<MergeCandidate> {
        let docs: HashMap<SegmentId, u32> =
            segments.iter().map(|s| (s.id(), s.num_docs())).collect();
        self.inner
            .compute_merge_candidates(segments)
            .into_iter()
            .flat_map(|candidate| {
                let sized = candidate
                    .0
                    .into_iter()
                    .map(|id| (id, docs.get(&id).copied().unwrap_or(0)))
                    .collect();
                groups(sized, self.cap).into_iter().map(MergeCandidate)
            })
            .collect()
    }
}

/// Packs segments, given with their live documents, into merges of two or
/// more segments and at most `cap` documents each, smallest first so that
/// as many as possible are merged; a segment that fits with no other is left
/// out.
pub(super) fn groups(mut segments: Vec<(SegmentId, u32)>, cap: u32) -> Vec<Vec<SegmentId>> {
    segments.sort_by_key(|&(_, docs)| docs);
    let mut groups = Vec::new();
    let mut group = Vec::new();
    let mut docs_in_group = 0u64;
    for (id, docs) in segments {
        if docs_in_group + u64::from(docs) > u64::from(cap) {
            groups.push(std::mem::take(&mut group));
            docs_in_group = 0;
        }
        group.push(id);
        docs_in_group += u64::from(docs);
    }
    groups.push(group);
    groups.retain(|g| g.len() > 1);
    groups
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(n: usize) -> Vec<SegmentId> {
        (0..n).map(|_| SegmentId::generate_random()).collect()
    }

    #[test]
    fn merges_stay_under_the_cap_and_leave_no_mergeable_pair() {
        let id = ids(7);
        let sizes = [900, 100, 400, 1_200, 300, 50, 600];
        let segments: Vec<_> = id.iter().copied().zip(sizes).collect();
        let docs: HashMap<_, _> = segments.iter().copied().collect();
        let merged = groups(segments, 1_000);
        for group in &merged {
            assert!(group.len() > 1);
            assert!(group.iter().map(|id| docs[id]).sum::<u32>() <= 1_000);
        }
        // Smallest first: 50+100+300+400 = 850, then 600 alone would be left,
        // 900 and 1,200 too.
        assert_eq!(merged, vec![vec![id[5], id[1], id[4], id[2]]]);
    }

    #[test]
    fn one_segment_or_all_under_the_cap_make_one_merge() {
        let id = ids(3);
        assert!(groups(vec![(id[0], 10)], 100).is_empty());
        let merged = groups(vec![(id[0], 10), (id[1], 20), (id[2], 30)], 100);
        assert_eq!(merged, vec![vec![id[0], id[1], id[2]]]);
    }

    #[test]
    fn the_policy_splits_tantivys_merges_at_the_cap() {
        let index = tantivy::Index::create_in_ram(tantivy::schema::Schema::builder().build());
        let metas: Vec<SegmentMeta> = ids(40)
            .into_iter()
            .map(|id| index.new_segment_meta(id, 200_000))
            .collect();
        // tantivy's own policy merges all forty into one of 8 million.
        let unbounded = LogMergePolicy::default().compute_merge_candidates(&metas);
        assert_eq!(unbounded.iter().map(|c| c.0.len()).max(), Some(40));
        let capped = CappedMerges::new(3_000_000).compute_merge_candidates(&metas);
        let sizes: Vec<usize> = capped.iter().map(|c| c.0.len()).collect();
        assert_eq!(sizes, vec![15, 15, 10]);
    }

    #[test]
    fn a_segment_over_the_cap_is_left_alone() {
        let id = ids(3);
        let merged = groups(vec![(id[0], 500), (id[1], 20), (id[2], 30)], 100);
        assert_eq!(merged, vec![vec![id[1], id[2]]]);
    }
}
