//! The engine: a query prepared once as tantivy weights (a [`Matcher`]) and
//! the ways it is run on every segment: the best `k` ([`top`], pruned by
//! score or by the sort field's tiers), spread over threads ([`split`]),
//! every match unscored, a block at a time, or, for a query of plain words,
//! as a bitset of the words' postings ([`union`]). The features (hits,
//! facets, papers, explanations) call it; it knows none of them.

mod split;
mod top;
mod union;

pub(super) use split::{on_threads, Split};
pub use top::Order;
pub(super) use top::RankKey;
pub(super) use union::{buckets, for_each_in, plain_groups, Groups};

use tantivy::query::{
    AllQuery, BooleanQuery, ConstScoreQuery, EnableScoring, Occur, Query, Weight,
};
use tantivy::schema::Field;
use tantivy::{BitSet, DocAddress, DocId, DocSet, Searcher, SegmentReader};

use super::SearchError;
use crate::index::{Bits, BitsCache};

/// The query, the filters and the order, ready to run on every segment.
pub(super) struct Matcher<'a> {
    searcher: &'a Searcher,
    /// The fast column hits are sorted by; `None`: by relevance.
    sort_by: Option<Field>,
    query: Box<dyn Weight>,
    filter: Option<Box<dyn Weight>>,
    /// The query and the filter as one conjunction, the filter scoring zero.
    both: Option<Box<dyn Weight>>,
    /// How `top` and the counts spread their work over threads.
    split: Split,
    /// The query's term groups when its matches are exactly the documents
    /// holding a term of every group (see [`union`]), for counting.
    groups: Option<Groups>,
    /// Where the filter's documents are kept between queries, for counting
    /// by groups under it.
    kept: Option<KeptFilter<'a>>,
}

/// A filter's documents, kept in `cache` under `key` (the filter query's
/// form, which names everything it matches by).
struct KeptFilter<'a> {
    cache: &'a BitsCache,
    key: String,
}

impl<'a> Matcher<'a> {
    pub(super) fn new(
        searcher: &'a Searcher,
        query: &dyn Query,
        filter: Option<&dyn Query>,
        sort_by: Option<Field>,
    ) -> Result<Matcher<'a>, SearchError> {
        let scoring = EnableScoring::enabled_from_searcher(searcher);
        // "Everything the filters allow": the filter alone, every score zero,
        // as tantivy's conjunction would score it.
        let everything;
        let (query, filter) = match filter {
            Some(f) if query.is::<AllQuery>() => {
                everything = ConstScoreQuery::new(f.box_clone(), 0.0);
                (&everything as &dyn Query, None)
            }
            _ => (query, filter),
        };
        let both = match filter {
            None => None,
            Some(filter) => {
                let zero: Box<dyn Query> = Box::new(ConstScoreQuery::new(filter.box_clone(), 0.0));
                let both =
                    BooleanQuery::new(vec![(Occur::Must, query.box_clone()), (Occur::Must, zero)]);
                Some(both.weight(scoring)?)
            }
        };
        Ok(Matcher {
            searcher,
            sort_by,
            query: query.weight(scoring)?,
            filter: filter
                .map(|f| f.weight(EnableScoring::disabled_from_searcher(searcher)))
                .transpose()?,
            both,
            split: Split::default(),
            groups: None,
            kept: None,
        })
    }

    /// A matcher for counting the matches of `query` under `filter`,
    /// unscored: a query of plain words, whose `groups` the caller found
    /// ([`plain_groups`]), is counted as the documents holding a term of
    /// every group, cheaper than tantivy's union, and a filter as its
    /// documents' bits, read once a segment and kept in `cache`.
    pub(super) fn counting(
        searcher: &'a Searcher,
        groups: Option<Groups>,
        query: &dyn Query,
        filter: Option<&dyn Query>,
        cache: &'a BitsCache,
    ) -> Result<Matcher<'a>, SearchError> {
        let mut matcher = Matcher::new(searcher, query, filter, None)?;
        // `new` runs a filter alone as the query: then nothing is kept.
        if let (Some(filter), true) = (filter, matcher.filter.is_some()) {
            matcher.kept = Some(KeptFilter {
                cache,
                key: format!("{filter:?}"),
            });
        }
        matcher.groups = groups;
        Ok(matcher)
    }

    /// Spreads `top` and counts over threads as `split` says, not as the
    /// machine does.
    #[cfg(test)]
    pub(super) fn split(mut self, split: Split) -> Matcher<'a> {
        self.split = split;
        self
    }

    /// How the query scored one document, as tantivy explains it.
    pub(super) fn explain(
        &self,
        addr: DocAddress,
    ) -> Result<tantivy::query::Explanation, SearchError> {
        let reader = self.searcher.segment_reader(addr.segment_ord);
        Ok(self.query.explain(reader, addr.doc_id)?)
    }

    /// How work on this query is spread over threads.
    pub(super) fn split_policy(&self) -> Split {
        self.split
    }

    pub(super) fn searcher(&self) -> &Searcher {
        self.searcher
    }

    /// The number of the query's live matches in `reader`.
    pub(super) fn count(&self, reader: &SegmentReader) -> Result<u32, SearchError> {
        if let Some(groups) = &self.groups {
            let mask = self.filter_bits(reader)?;
            return Ok(union::count(
                reader,
                groups,
                mask.as_deref().map(Vec::as_slice),
            )?);
        }
        let weight = self.both.as_ref().unwrap_or(&self.query);
        Ok(weight.count(reader)?)
    }

    /// The query's live matches in `reader` as a bitset, when they are
    /// counted by groups (plain words and no filter): setting the terms'
    /// postings is cheaper than tantivy's union scorer.
    pub(super) fn live_matches(
        &self,
        reader: &SegmentReader,
    ) -> Result<Option<BitSet>, SearchError> {
        match &self.groups {
            Some(groups) => {
                let mask = self.filter_bits(reader)?;
                let mask = mask.as_deref().map(Vec::as_slice);
                Ok(Some(union::matches(reader, groups, mask)?))
            }
            None => Ok(None),
        }
    }

    /// The filter's documents of `reader` (deleted ones included) when they
    /// are kept: made from the filter's scorer the first time a segment is
    /// asked, then read from the cache.
    fn filter_bits(&self, reader: &SegmentReader) -> Result<Option<Bits>, SearchError> {
        let (Some(filter), Some(kept)) = (&self.filter, &self.kept) else {
            return Ok(None);
        };
        let make = || union::bits_of(filter.as_ref(), reader);
        Ok(Some(kept.cache.get_or_make(
            reader.segment_id(),
            &kept.key,
            make,
        )?))
    }

    /// Calls `each` with the query's matches in `reader`, unscored, a block
    /// of ascending ids at a time.
    pub(super) fn for_each_batch(
        &self,
        reader: &SegmentReader,
        each: &mut dyn FnMut(&[DocId]),
    ) -> Result<(), SearchError> {
        let weight = self.both.as_ref().unwrap_or(&self.query);
        weight.for_each_no_score(reader, each)?;
        Ok(())
    }

    /// Which of `docs` (ascending, distinct) match the query and the
    /// filters, deleted ones included: one scorer seeking from one to the
    /// next, so a few checks cost a few seeks, not a pass over the matches.
    pub(super) fn matches_among(
        &self,
        reader: &SegmentReader,
        docs: &[DocId],
    ) -> Result<Vec<bool>, SearchError> {
        if docs.is_empty() {
            return Ok(Vec::new());
        }
        let weight = self.both.as_ref().unwrap_or(&self.query);
        let mut scorer = weight.scorer(reader, 1.0)?;
        Ok(docs
            .iter()
            .map(|&doc| contains(scorer.as_mut(), doc))
            .collect())
    }
}

/// Whether the filter's documents include `doc`; candidates must come in
/// ascending order, as they do within a segment.
fn contains<D: DocSet + ?Sized>(filter: &mut D, doc: DocId) -> bool {
    if filter.doc() < doc {
        filter.seek(doc);
    }
    filter.doc() == doc
}
