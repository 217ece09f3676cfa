//! The distinct matching statements of a query, a block of each segment's at
//! a time, for whatever counts them ([`SegmentCount`]: the facets' codes, the
//! papers' files). Within the base (`base_segments`) every live match is
//! distinct and is given as it is, on as many threads as pay; elsewhere a
//! match is given only if it is the first copy of its key and the base's copy
//! is not counted instead ([`CopyCounter`]).

use std::collections::BTreeMap;
use std::ops::Range;

use tantivy::{BitSet, DocId, SegmentReader};

use super::{base_segments, CopyCounter};
use crate::schema::{FastColumns, Fields};
use crate::search::engine::{buckets, for_each_in, on_threads, Matcher, Split};
use crate::search::SearchError;

/// Counts one segment's distinct matches.
pub(in crate::search) trait SegmentCount: Send + Sized {
    /// Counts `docs`: live, distinct, ascending within one call.
    fn add(&mut self, docs: &[DocId]);
    /// Notes `docs`: live matches that are copies of statements counted in
    /// another document (which file still matched, say).
    fn copies(&mut self, _docs: &[DocId]) {}
    /// Adds another count of the same segment's documents to this one.
    fn absorb(&mut self, other: Self);
}

/// The counts of a visit, in segment order, and the number of distinct
/// matches counted without their documents ([`Wanted::Number`]).
pub(in crate::search) struct Counted<T> {
    pub segments: Vec<T>,
    pub by_number: u64,
}

/// What a visit must give the counts: every distinct match, or only their
/// number (then a base segment's matches are counted by tantivy, which reads
/// a term's count without visiting its documents).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(in crate::search) enum Wanted {
    Documents,
    Number,
}

/// Gives every distinct match of `matcher` to a count opened for its segment
/// by `open`, and returns the counts. `distinct` names
/// segments whose keys a build checked distinct across them
/// (`index::Provenance`); stale names, of segments merged since, are ignored.
pub(in crate::search) fn count_distinct<T: SegmentCount>(
    matcher: &Matcher<'_>,
    f: &Fields,
    distinct: &[String],
    wanted: Wanted,
    open: &(dyn Fn(&SegmentReader) -> Result<T, SearchError> + Sync),
) -> Result<Counted<T>, SearchError> {
    let readers = matcher.searcher().segment_readers();
    let base = base_segments(readers, distinct);
    let mut copies = CopyCounter::new(readers, &base, f)?;
    let mut counts: Vec<Option<T>> = readers.iter().map(|_| None).collect();
    for (ord, reader) in readers.iter().enumerate() {
        if !base.contains(&ord) {
            let mut count = open(reader)?;
            first_copies(matcher, reader, ord, f, &mut copies, &mut count)?;
            counts[ord] = Some(count);
        }
    }
    let mut by_number = 0;
    for (ord, count, number) in count_base(matcher, &base, wanted, open)? {
        by_number += number;
        match &mut counts[ord] {
            Some(sum) => sum.absorb(count),
            none => *none = Some(count),
        }
    }
    let deferred = copies.settle(matcher, readers)?;
    // Deferred documents are outside the base, whose counts all exist.
    for (ord, docs) in deferred.counted {
        if let Some(count) = &mut counts[ord] {
            count.add(&docs);
        }
    }
    for (ord, docs) in deferred.copies {
        if let Some(count) = &mut counts[ord] {
            count.copies(&docs);
        }
    }
    Ok(Counted {
        segments: counts.into_iter().flatten().collect(),
        by_number,
    })
}

/// The base's counts: its keys are distinct, so every live match there is a
/// statement of its own, and its parts are counted on as many threads as pay.
/// Each part's count comes with its segment and its matches counted by
/// number alone.
fn count_base<T: SegmentCount>(
    matcher: &Matcher<'_>,
    base: &[usize],
    wanted: Wanted,
    open: &(dyn Fn(&SegmentReader) -> Result<T, SearchError> + Sync),
) -> Result<Vec<(usize, T, u64)>, SearchError> {
    let readers = matcher.searcher().segment_readers();
    let single;
    let shares = match base_matches(matcher, readers, base, wanted)? {
        Some((ord, matches)) => {
            single = matches;
            shares_of_matches(ord, &single, buckets(&readers[ord]), matcher.split_policy())
        }
        None => matcher
            .split_policy()
            .shares_of(readers, base)
            .into_iter()
            .map(|share| share.into_iter().map(Part::Segment).collect())
            .collect(),
    };
    let count_share = |share: &Vec<Part>| -> Result<Vec<(usize, T, u64)>, SearchError> {
        share
            .iter()
            .map(|part| part.count(matcher, readers, wanted, open))
            .collect()
    };
    let mut counted = Vec::new();
    for share in on_threads(&shares, count_share) {
        counted.extend(share?);
    }
    Ok(counted)
}

/// The matches of a base of one large segment, as a bitset, when counting
/// them may be worth sharing out among threads by ranges of them (the query
/// is one of plain words); [`shares_of_matches`] decides.
fn base_matches(
    matcher: &Matcher<'_>,
    readers: &[SegmentReader],
    base: &[usize],
    wanted: Wanted,
) -> Result<Option<(usize, BitSet)>, SearchError> {
    let split = matcher.split_policy();
    let &[ord] = base else {
        return Ok(None);
    };
    if wanted != Wanted::Documents
        || split.workers < 2
        || u64::from(readers[ord].max_doc()) < split.from_docs
    {
        return Ok(None);
    }
    Ok(matcher.live_matches(&readers[ord])?.map(|m| (ord, m)))
}

/// `matches` of segment `ord` cut into one range of buckets per thread, or
/// one range for all when they are too few for threads to pay.
fn shares_of_matches(
    ord: usize,
    matches: &BitSet,
    buckets: u32,
    split: Split,
) -> Vec<Vec<Part<'_>>> {
    let workers = if matches.len() as u64 >= split.from_matches {
        u32::try_from(split.workers).unwrap_or(u32::MAX).max(1)
    } else {
        1
    };
    let per_worker = buckets.div_ceil(workers).max(1);
    (0..buckets)
        .step_by(per_worker as usize)
        .map(|start| {
            let range = start..(start + per_worker).min(buckets);
            vec![Part::Buckets(ord, matches, range)]
        })
        .collect()
}

/// A piece of the base, counted on one thread.
enum Part<'m> {
    /// A whole segment, by ordinal.
    Segment(usize),
    /// The matches of a segment (by ordinal) known as a bitset, in a range
    /// of its buckets.
    Buckets(usize, &'m BitSet, Range<u32>),
}

impl Part<'_> {
    /// The part's live matches, all counted, the segment they are of, and
    /// how many of them were counted by number alone.
    fn count<T: SegmentCount>(
        &self,
        matcher: &Matcher<'_>,
        readers: &[SegmentReader],
        wanted: Wanted,
        open: &(dyn Fn(&SegmentReader) -> Result<T, SearchError> + Sync),
    ) -> Result<(usize, T, u64), SearchError> {
        let (ord, reader) = match self {
            Part::Segment(ord) | Part::Buckets(ord, ..) => (*ord, &readers[*ord]),
        };
        let mut count = open(reader)?;
        let mut by_number = 0;
        let add = &mut |docs: &[DocId]| count.add(docs);
        match (self, wanted) {
            (Part::Buckets(_, matches, range), _) => for_each_in(matches, range.clone(), add),
            (Part::Segment(_), Wanted::Number) => by_number = u64::from(matcher.count(reader)?),
            (Part::Segment(_), Wanted::Documents) => match matcher.live_matches(reader)? {
                Some(matches) => for_each_in(&matches, 0..buckets(reader), add),
                None => {
                    let mut live = Vec::new();
                    matcher.for_each_batch(reader, &mut |docs: &[DocId]| {
                        alive_only(reader, docs, &mut live);
                        add(&live);
                    })?;
                }
            },
        }
        Ok((ord, count, by_number))
    }
}

/// Counts the live matches of a segment other than the base, each key's
/// first, leaving to [`CopyCounter`] those whose key the base holds.
fn first_copies<T: SegmentCount>(
    matcher: &Matcher<'_>,
    reader: &SegmentReader,
    ord: usize,
    f: &Fields,
    copies: &mut CopyCounter,
    count: &mut T,
) -> Result<(), SearchError> {
    let dedup = reader.u64_column(f.dedup)?;
    let (mut live, mut keys, mut kept, mut skipped) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    let mut failed = None;
    matcher.for_each_batch(reader, &mut |docs: &[DocId]| {
        if failed.is_some() {
            return;
        }
        alive_only(reader, docs, &mut live);
        keys.clear();
        keys.resize(live.len(), None);
        dedup.first_vals(&live, &mut keys);
        kept.clear();
        skipped.clear();
        match copies.first_seen((ord, reader), &live, &keys, &mut kept, &mut skipped) {
            Ok(()) => {
                count.add(&kept);
                count.copies(&skipped);
            }
            Err(e) => failed = Some(e),
        }
    })?;
    match failed {
        Some(e) => Err(e),
        None => Ok(()),
    }
}

/// Keeps the documents of `docs` that are not deleted.
fn alive_only(reader: &SegmentReader, docs: &[DocId], live: &mut Vec<DocId>) {
    let alive = reader.alive_bitset();
    live.clear();
    live.extend(
        docs.iter()
            .copied()
            .filter(|&d| alive.is_none_or(|a| a.is_alive(d))),
    );
}

/// The documents outside the base whose key the base holds, once the base's
/// copies are checked: by segment, ascending.
#[derive(Default)]
pub(super) struct Settled {
    /// Their copy in the base is deleted or does not match: they count.
    pub counted: BTreeMap<usize, Vec<DocId>>,
    /// The base's copy counts instead.
    pub copies: BTreeMap<usize, Vec<DocId>>,
}
