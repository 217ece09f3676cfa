//! How an update lands: commits carrying the index's provenance, the merges
//! that finish a first build, and the record of which segments hold no
//! copies of a statement.

use std::collections::VecDeque;

use tantivy::indexer::NoMergePolicy;
use tantivy::schema::Field;
use tantivy::{FutureResult, Index, IndexWriter, Searcher, TantivyDocument};

use super::merges::{self, MAX_MERGED_DOCS};
use super::plan::MERGE_WRITER_MEMORY;
use super::Provenance;

/// Merges the segments into as few as [`MAX_MERGED_DOCS`] allows, after a
/// first build or a rebuild, telling `merging` how many segments it merges:
/// a query maps and faults in each segment's files, and one segment answered
/// 18% faster than six at 20,000 pages (docs/benchmarks-history.md, "An index
/// no larger than it needs to be"). A first build merges nothing before
/// this, so each document is merged once; updates leave merging to the
/// merge policy, which keeps small segments from piling up.
pub(super) fn merge_all(index: &Index, merging: impl FnOnce(usize)) -> tantivy::Result<()> {
    merge_all_capped(index, MAX_MERGED_DOCS, merging)
}

/// [`merge_all`] with merges of at most `cap` documents.
fn merge_all_capped(index: &Index, cap: u32, merging: impl FnOnce(usize)) -> tantivy::Result<()> {
    // Only ids and counts are kept: a live `SegmentMeta` marks its files as
    // in use, and tantivy would not delete the merged segments' files.
    let sized = index
        .searchable_segment_metas()?
        .iter()
        .map(|s| (s.id(), s.num_docs()))
        .collect();
    let merges = merges::groups(sized, cap);
    if merges.is_empty() {
        return Ok(());
    }
    merging(merges.iter().map(Vec::len).sum());
    let mut writer = merge_writer(index)?;
    // Each merged segment replaces its parts in a commit of its own that
    // keeps the last one's payload; a kill before it leaves the index as it
    // was, and the half-written files are collected by the next run. At
    // most `MERGES_AT_ONCE` run together: the build's writer and its buffers
    // are gone by now, so the heap holds their states and little else.
    let mut running: VecDeque<FutureResult<_>> = VecDeque::with_capacity(MERGES_AT_ONCE);
    for merge in merges {
        if running.len() == MERGES_AT_ONCE {
            if let Some(first) = running.pop_front() {
                first.wait()?;
            }
        }
        running.push_back(writer.merge(&merge));
    }
    for merge in running {
        merge.wait()?;
    }
    writer.wait_merging_threads()
}

/// Merges run together at the end of a first build. Each holds about 17
/// bytes a document it writes, some 50 MB for a merge at the cap; two keep
/// both cores of a small machine busy when a build of more than the cap
/// (about 150,000 pages) ends with several merges to run.
const MERGES_AT_ONCE: usize = 2;

/// A writer of one thread with the least memory and no merge policy: for
/// merges chosen by hand and commits that only change the payload.
pub(super) fn merge_writer(index: &Index) -> tantivy::Result<IndexWriter<TantivyDocument>> {
    let writer = index.writer_with_num_threads(1, MERGE_WRITER_MEMORY)?;
    writer.set_merge_policy(Box::new(NoMergePolicy));
    Ok(writer)
}

/// Commits what `writer` holds with `provenance` as the commit's payload.
pub(super) fn commit_with(
    writer: &mut IndexWriter<TantivyDocument>,
    provenance: &Provenance,
) -> tantivy::Result<()> {
    // An empty payload would be read as "no provenance": the next update
    // would then re-read the whole corpus. Refuse to commit instead.
    let payload = serde_json::to_string(provenance).map_err(|e| {
        tantivy::TantivyError::InternalError(format!("cannot write the index's provenance: {e}"))
    })?;
    let mut prepared = writer.prepare_commit()?;
    prepared.set_payload(&payload);
    prepared.commit()?;
    Ok(())
}

/// Names in the provenance the base of `searcher`'s segments (the index
/// after a build's merges): those a count can take as free of copies
/// ([`super::distinct::distinct_base`]), in a commit of its own.
pub(super) fn record_distinct(
    index: &Index,
    searcher: &Searcher,
    mut provenance: Provenance,
    dedup: Field,
) -> tantivy::Result<()> {
    let ids = super::distinct::distinct_base(searcher, dedup, super::distinct::KEYS_PER_PASS)?;
    if ids.is_empty() {
        return Ok(());
    }
    provenance.distinct_segments = ids.iter().map(|id| id.uuid_string()).collect();
    commit_with(&mut merge_writer(index)?, &provenance)
}

/// The segments of `named` (the last commit's record) that are still `live`: an update's segments may hold copies of their statements,
/// and the counts tell those apart, so the ones left stay distinct among
/// themselves. A segment merged away before this update is dropped; one merged
/// by this update's merges (whose commits keep this payload) stays named until
/// the next, which does no harm, since counts look the names up among the
/// segments they search.
pub(super) fn still_distinct(named: &[String], live: &[String]) -> Vec<String> {
    named
        .iter()
        .filter(|id| live.contains(id))
        .cloned()
        .collect()
}

/// The ids of `searcher`'s segments, as a provenance names them.
pub(super) fn segment_ids(searcher: &Searcher) -> Vec<String> {
    searcher
        .segment_readers()
        .iter()
        .map(|r| r.segment_id().uuid_string())
        .collect()
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use tantivy::schema::{Schema, STORED, TEXT};
    use tantivy::{doc, IndexWriter};

    use super::*;

    fn provenance() -> Provenance {
        Provenance {
            format: super::super::FORMAT_VERSION,
            schema: "schema".into(),
            parser: "parser".into(),
            corpus_root: Some(PathBuf::from("/corpus")),
            updated_at: 42,
            distinct_segments: vec!["a".into()],
        }
    }

    /// An index in memory holding `commits` segments of 3 documents each.
    fn segmented(commits: usize) -> Index {
        let mut builder = Schema::builder();
        let text = builder.add_text_field("text", TEXT | STORED);
        let index = Index::create_in_ram(builder.build());
        let mut writer: IndexWriter = index.writer_with_num_threads(1, 15_000_000).unwrap();
        writer.set_merge_policy(Box::new(NoMergePolicy));
        for commit in 0..commits {
            for n in 0..3 {
                writer
                    .add_document(doc!(text => format!("c{commit} d{n}")))
                    .unwrap();
            }
            commit_with(&mut writer, &provenance()).unwrap();
        }
        index
    }

    #[test]
    fn a_commit_carries_the_provenance_it_is_given() {
        let index = segmented(1);
        assert_eq!(super::super::read_provenance(&index), Some(provenance()));
    }

    #[test]
    fn merge_all_leaves_one_segment_with_every_document_and_the_provenance() {
        let index = segmented(4);
        assert_eq!(index.searchable_segment_metas().unwrap().len(), 4);
        let mut told = None;
        merge_all(&index, |segments| told = Some(segments)).unwrap();
        assert_eq!(told, Some(4));
        let metas = index.searchable_segment_metas().unwrap();
        assert_eq!(metas.len(), 1);
        assert_eq!(metas[0].num_docs(), 12);
        assert_eq!(super::super::read_provenance(&index), Some(provenance()));
        // One segment: nothing left to merge, and nothing said.
        let mut again = None;
        merge_all(&index, |segments| again = Some(segments)).unwrap();
        assert_eq!(again, None);
    }

    #[test]
    fn capped_merges_run_a_few_at_a_time_and_each_lands() {
        // Ten segments of 3 in merges of at most 6: five merges, more than
        // run at once, so some start only when an earlier one has landed.
        let index = segmented(10);
        let mut told = None;
        merge_all_capped(&index, 6, |segments| told = Some(segments)).unwrap();
        assert_eq!(told, Some(10));
        let metas = index.searchable_segment_metas().unwrap();
        assert_eq!(metas.len(), 5);
        assert!(metas.iter().all(|m| m.num_docs() == 6));
        assert_eq!(super::super::read_provenance(&index), Some(provenance()));
    }

    #[test]
    fn segments_named_distinct_stay_named_while_they_are_live() {
        let named = ["s1".to_string(), "s2".to_string(), "s3".to_string()];
        let live = ["s3".to_string(), "s1".to_string(), "s9".to_string()];
        assert_eq!(still_distinct(&named, &live), ["s1", "s3"]);
        assert!(still_distinct(&named, &[]).is_empty());
        let index = segmented(2);
        let searcher = index.reader().unwrap().searcher();
        assert_eq!(segment_ids(&searcher).len(), 2);
    }
}
