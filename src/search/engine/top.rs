//! Collecting the best hits of a query under the filters, one per distinct
//! statement.
//!
//! Ranked by relevance, the user's query drives the search through tantivy's
//! `for_each_pruning`, which for a union of terms is block-max WAND: whole
//! blocks of postings that cannot beat the current k-th best score are skipped.
//! A conjunction with the filters would give that up and score every document
//! of every term, so a filter is instead tested per candidate, by seeking its
//! matching documents forward to the candidate (candidates come in document
//! order). That is right when the filter allows many documents; when it allows
//! few (a DOI, an author, a rare heading) the conjunction is cheaper, because
//! tantivy then walks the filter's short list and seeks the query's. The choice
//! is made per segment from the filter's size estimate. The k-th best score
//! found so far is carried from segment to segment, so later segments prune
//! from the start.
//!
//! Sorted by year or confidence, the order's field is indexed, so its values
//! are visited as tiers, highest first: within a tier every match ties on the
//! field, and the query runs pruned by score as in relevance order, with the
//! tier's postings tested per candidate (or, for a small tier, walked and the
//! query seeked to each). Once the k best are all above a tier, the lower
//! tiers cannot enter and are not visited. Before, every match's value was
//! read from its fast column: at 1,000,000 pages a frequent word's 4.7 million
//! matches, 41% of the query's time in reading years. Matches without a value
//! rank last, and are looked for only if the tiers leave room.

use std::cmp::{Ordering, Reverse};
use std::collections::BinaryHeap;

use tantivy::columnar::ColumnIndex;
use tantivy::postings::TermInfo;
use tantivy::query::Scorer;
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::{DocAddress, DocId, DocSet, InvertedIndexReader, Score, SegmentReader};

use super::split::{on_threads, SharedBound};
use super::{contains, Matcher};
use crate::schema::{FastColumns, Fields};
use crate::search::SearchError;

/// The order of the hits.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Order {
    /// Best BM25 score first.
    #[default]
    Relevance,
    /// Newest cited paper first, then by score.
    Year,
    /// Most confident classification first, then by score.
    Confidence,
}

impl std::str::FromStr for Order {
    type Err = String;

    fn from_str(s: &str) -> Result<Order, String> {
        match s {
            "relevance" => Ok(Order::Relevance),
            "year" => Ok(Order::Year),
            "confidence" => Ok(Order::Confidence),
            other => Err(format!(
                "sort `{other}` is not an order: use relevance, year or confidence"
            )),
        }
    }
}

impl Order {
    /// The fast column this order sorts by; `None` for relevance.
    pub fn sort_field(self, f: &Fields) -> Option<Field> {
        match self {
            Order::Relevance => None,
            Order::Year => Some(f.year),
            Order::Confidence => Some(f.confidence),
        }
    }
}

/// What a hit is ranked by: the sort field (zero for relevance), then the score.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(in crate::search) struct RankKey {
    pub field: u64,
    pub score: Score,
}

/// A filter allowing fewer than one document in this many is intersected with
/// the query instead of being tested per candidate.
const SPARSE_FILTER: u64 = 32;

/// A tier of the sort field with fewer documents than the query's matches
/// over this is walked, the query seeked to each of its documents.
const SMALL_TIER: u64 = 32;

impl Matcher<'_> {
    /// The best `k` documents, best first.
    pub(in crate::search) fn top(
        &self,
        k: usize,
    ) -> Result<Vec<(RankKey, DocAddress)>, SearchError> {
        let readers = self.searcher.segment_readers();
        let bound = SharedBound::default();
        let search = |share: &[usize]| -> Result<TopK, SearchError> {
            let mut best = TopK::new(k);
            for &ord in share {
                self.top_of_segment(ord, &readers[ord], &mut best, &bound)?;
            }
            Ok(best)
        };
        let mut found = on_threads(&self.split.shares(readers), |share| search(share));
        if found.len() == 1 {
            return Ok(found.remove(0)?.into_sorted());
        }
        let mut best = TopK::new(k);
        for share in found {
            for (key, addr) in share?.into_sorted() {
                best.push(key, addr);
            }
        }
        Ok(best.into_sorted())
    }

    fn top_of_segment(
        &self,
        ord: usize,
        reader: &SegmentReader,
        best: &mut TopK,
        bound: &SharedBound,
    ) -> Result<(), SearchError> {
        let ord = u32::try_from(ord).unwrap_or(u32::MAX);
        match self.sort_by {
            None => self.prune_segment(ord, reader, best, bound),
            Some(field) if self.by_tiers(reader, field)? => {
                self.tier_segment(ord, reader, field, best)
            }
            Some(field) => self.scan_segment(ord, reader, field, best, None),
        }
    }

    /// Relevance order: the query's candidates above the current bound.
    fn prune_segment(
        &self,
        ord: u32,
        reader: &SegmentReader,
        best: &mut TopK,
        shared: &SharedBound,
    ) -> Result<(), SearchError> {
        let alive = reader.alive_bitset();
        let is_alive = |doc: DocId| alive.is_none_or(|a| a.is_alive(doc));
        let start = best.threshold().max(shared.get());
        let mut bound = start;
        // The bound after a push: this thread's own k-th best, offered to the
        // others, or a higher one that another thread has reached.
        let raised = |best: &TopK| {
            let own = best.threshold();
            shared.raise(own);
            own.max(shared.get())
        };
        let mut filter = self.filter_scorer(reader)?;
        match (&mut filter, &self.both) {
            (Some(f), Some(both)) if is_sparse(f.as_ref(), reader) => {
                both.for_each_pruning(start, reader, &mut |doc, score| {
                    if is_alive(doc) {
                        best.push(RankKey { field: 0, score }, DocAddress::new(ord, doc));
                        bound = raised(best);
                    }
                    bound
                })?;
            }
            (filter, _) => {
                self.query
                    .for_each_pruning(start, reader, &mut |doc, score| {
                        let allowed = filter.as_mut().is_none_or(|f| contains(f.as_mut(), doc));
                        if allowed && is_alive(doc) {
                            best.push(RankKey { field: 0, score }, DocAddress::new(ord, doc));
                            bound = raised(best);
                        }
                        bound
                    })?;
            }
        }
        Ok(())
    }

    /// Field order: every match, keyed by the field's fast column (with
    /// `below`, only the matches whose value is lower, or that have none,
    /// keyed zero).
    fn scan_segment(
        &self,
        ord: u32,
        reader: &SegmentReader,
        field: Field,
        best: &mut TopK,
        below: Option<u64>,
    ) -> Result<(), SearchError> {
        let alive = reader.alive_bitset();
        let column = reader.u64_column(field)?;
        if below == Some(0) && matches!(column.index, ColumnIndex::Full) {
            // Every document has a value: none is left to look for.
            return Ok(());
        }
        let weight = self.both.as_ref().unwrap_or(&self.query);
        weight.for_each(reader, &mut |doc, score| {
            if alive.is_none_or(|a| a.is_alive(doc)) {
                let value = column.first(doc);
                if below.is_some_and(|below| value.is_some_and(|v| v >= below)) {
                    return;
                }
                let key = RankKey {
                    field: value.unwrap_or(0),
                    score,
                };
                best.push(key, DocAddress::new(ord, doc));
            }
        })?;
        Ok(())
    }

    /// Whether the field order can go tier by tier in this segment: the
    /// field is indexed, one value a document, and the filter (if any) is
    /// not so small that the conjunction with it is the cheaper scan.
    fn by_tiers(&self, reader: &SegmentReader, field: Field) -> Result<bool, SearchError> {
        let schema = self.searcher.schema();
        if !schema.get_field_entry(field).is_indexed() {
            return Ok(false);
        }
        if !matches!(
            reader.u64_column(field)?.index,
            ColumnIndex::Full | ColumnIndex::Optional(_)
        ) {
            return Ok(false);
        }
        Ok(match self.filter_scorer(reader)? {
            Some(filter) => !is_sparse(filter.as_ref(), reader),
            None => true,
        })
    }

    /// Field order, a tier (one value of the field) at a time, highest first.
    fn tier_segment(
        &self,
        ord: u32,
        reader: &SegmentReader,
        field: Field,
        best: &mut TopK,
    ) -> Result<(), SearchError> {
        let values = reader.inverted_index(field)?;
        let tiers = tiers_of(&values)?;
        let alive = reader.alive_bitset();
        let is_alive = |doc: DocId| alive.is_none_or(|a| a.is_alive(doc));
        let matches = self.query.scorer(reader, 1.0)?.size_hint();
        for (value, info) in tiers.into_iter().rev() {
            if best.bound_within(value).is_none() {
                // The k best all rank above this tier, so above every lower one.
                return Ok(());
            }
            let mut tier = values
                .read_postings_from_terminfo(&info, IndexRecordOption::Basic)
                .map_err(tantivy::TantivyError::from)?;
            let mut filter = self.filter_scorer(reader)?;
            let allowed = |filter: &mut Option<Box<dyn Scorer>>, doc: DocId| {
                is_alive(doc) && filter.as_mut().is_none_or(|f| contains(f.as_mut(), doc))
            };
            let address = |doc| DocAddress::new(ord, doc);
            // Pruned by score, a tier that holds few of the query's matches
            // leaves the bound low and nearly every match scored (at 1,000,000
            // pages pruning still beat walking for a tier of 1% of the
            // statements, 25 against 52 ms): only a tier far smaller than the
            // query is walked instead.
            if u64::from(info.doc_freq).saturating_mul(SMALL_TIER) < u64::from(matches) {
                let mut query = self.query.scorer(reader, 1.0)?;
                let mut doc = tier.doc();
                while doc != tantivy::TERMINATED {
                    if contains(query.as_mut(), doc) && allowed(&mut filter, doc) {
                        let key = RankKey {
                            field: value,
                            score: query.score(),
                        };
                        best.push(key, address(doc));
                    }
                    doc = tier.advance();
                }
                continue;
            }
            let start = best.bound_within(value).unwrap_or(Score::MAX);
            self.query
                .for_each_pruning(start, reader, &mut |doc, score| {
                    if contains(&mut tier, doc) && allowed(&mut filter, doc) {
                        let key = RankKey {
                            field: value,
                            score,
                        };
                        best.push(key, address(doc));
                    }
                    // Every push is of this tier, so the bound never says stop.
                    best.bound_within(value).unwrap_or(Score::MAX)
                })?;
            if best.bound_within(value.saturating_sub(1)).is_some() {
                // The tier did not fill the k best (a filter that leaves it
                // few matches, or fewer matches than asked for): each lower
                // tier would be another pass over the query with no bound to
                // prune by. One scan of what is left costs at most one pass.
                return self.scan_segment(ord, reader, field, best, Some(value));
            }
        }
        if best.bound_within(0).is_some() {
            self.scan_segment(ord, reader, field, best, Some(0))?;
        }
        Ok(())
    }

    fn filter_scorer(
        &self,
        reader: &SegmentReader,
    ) -> Result<Option<Box<dyn Scorer>>, SearchError> {
        Ok(match &self.filter {
            None => None,
            Some(weight) => Some(weight.scorer(reader, 1.0)?),
        })
    }
}

/// Each value of a u64 field with its postings' address, lowest first.
fn tiers_of(values: &InvertedIndexReader) -> Result<Vec<(u64, TermInfo)>, SearchError> {
    let mut tiers = Vec::new();
    let mut stream = values
        .terms()
        .stream()
        .map_err(tantivy::TantivyError::from)?;
    while stream.advance() {
        // A u64 term is its value's eight big-endian bytes.
        if let Ok(bytes) = <[u8; 8]>::try_from(stream.key()) {
            tiers.push((u64::from_be_bytes(bytes), stream.value().clone()));
        }
    }
    Ok(tiers)
}

fn is_sparse(filter: &dyn Scorer, reader: &SegmentReader) -> bool {
    u64::from(filter.size_hint()).saturating_mul(SPARSE_FILTER) < u64::from(reader.max_doc())
}

/// The `k` best documents seen so far, in a min-heap whose root is the one to
/// beat. Of equal keys the lower address wins, so ties do not depend on which
/// segment a document is in when segments are visited in order.
struct TopK {
    k: usize,
    heap: BinaryHeap<Reverse<Ranked>>,
}

impl TopK {
    fn new(k: usize) -> TopK {
        TopK {
            k,
            heap: BinaryHeap::with_capacity(k.min(1 << 16) + 1),
        }
    }

    fn push(&mut self, key: RankKey, addr: DocAddress) {
        if self.k == 0 {
            return;
        }
        let entry = Ranked { key, addr };
        if self.heap.len() < self.k {
            self.heap.push(Reverse(entry));
        } else if self
            .heap
            .peek()
            .is_some_and(|Reverse(worst)| entry > *worst)
        {
            self.heap.pop();
            self.heap.push(Reverse(entry));
        }
    }

    /// The score a document must beat to enter, once the heap is full. Only
    /// meaningful for relevance order, where `field` is always zero.
    fn threshold(&self) -> Score {
        if self.heap.len() < self.k {
            return Score::MIN;
        }
        self.heap
            .peek()
            .map_or(Score::MIN, |Reverse(worst)| worst.key.score)
    }

    /// For a field order, the score a document of field value `value` must
    /// reach to enter: none at all while there is room or the worst kept
    /// ranks below the value, the worst's score when it has the same value,
    /// and `None` when it ranks above: nothing of that value can enter.
    fn bound_within(&self, value: u64) -> Option<Score> {
        match self.heap.peek() {
            Some(Reverse(worst)) if self.heap.len() >= self.k => {
                match worst.key.field.cmp(&value) {
                    Ordering::Less => Some(Score::MIN),
                    Ordering::Equal => Some(worst.key.score),
                    Ordering::Greater => None,
                }
            }
            _ if self.k == 0 => None,
            _ => Some(Score::MIN),
        }
    }

    fn into_sorted(self) -> Vec<(RankKey, DocAddress)> {
        let mut all: Vec<Ranked> = self.heap.into_iter().map(|Reverse(r)| r).collect();
        all.sort_by(|a, b| b.cmp(a));
        all.into_iter().map(|r| (r.key, r.addr)).collect()
    }
}

#[derive(Debug, Clone, Copy)]
struct Ranked {
    key: RankKey,
    addr: DocAddress,
}

impl Ord for Ranked {
    fn cmp(&self, other: &Self) -> Ordering {
        self.key
            .field
            .cmp(&other.key.field)
            .then_with(|| self.key.score.total_cmp(&other.key.score))
            .then_with(|| other.addr.cmp(&self.addr))
    }
}

impl PartialOrd for Ranked {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl PartialEq for Ranked {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for Ranked {}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::engine::Split;
    use std::ops::Bound;
    use tantivy::collector::TopDocs;
    use tantivy::query::{BooleanQuery, ConstScoreQuery, Occur, Query};
    use tantivy::query::{QueryParser, RangeQuery, TermQuery};
    use tantivy::schema::{IndexRecordOption, Schema, FAST, INDEXED, STRING, TEXT};
    use tantivy::Searcher;
    use tantivy::{doc, Index, IndexWriter, Term};

    /// An index of three segments with deletions: words from a skewed
    /// vocabulary, a tag that is common (`a`), middling (`b`) or rare (`c`),
    /// a year (one in twenty documents has none, and the newest year is rare,
    /// so that the sort by year walks its top tier, prunes the others and
    /// looks for documents without a year when asked for many; under the
    /// years filter the top tiers yield nothing, and the rest is scanned) and
    /// a confidence (indexed too: about 7 documents a value in a segment, so
    /// walked for the larger queries and pruned for the smaller).
    fn sample_index() -> (Index, Schema) {
        let mut builder = Schema::builder();
        let body = builder.add_text_field("body", TEXT);
        let tag = builder.add_text_field("tag", STRING);
        let year = builder.add_u64_field("year", INDEXED | FAST);
        let confidence = builder.add_u64_field("confidence", INDEXED | FAST);
        let schema = builder.build();
        let index = Index::create_in_ram(schema.clone());
        let mut writer: IndexWriter = index.writer_with_num_threads(1, 15_000_000).unwrap();
        let mut next = crate::search::below(0x2545_f491_4f6c_dd1d);
        for segment in 0..3 {
            for _ in 0..700 {
                let mut words = Vec::new();
                for _ in 0..1 + next(12) {
                    let spread = 1 + next(30);
                    words.push(format!("w{}", next(spread)));
                }
                let t = match next(100) {
                    0..=59 => "a",
                    60..=91 => "b",
                    92..=93 => "c",
                    _ => "d",
                };
                let mut d = doc!(
                    body => words.join(" "),
                    tag => t,
                    confidence => next(101),
                );
                match next(100) {
                    0..=4 => {}
                    5 => d.add_u64(year, 2030),
                    _ => d.add_u64(year, 1990 + next(30)),
                }
                writer.add_document(d).unwrap();
            }
            if segment == 1 {
                writer.delete_term(Term::from_field_text(tag, "d"));
            }
            writer.commit().unwrap();
        }
        (index, schema)
    }

    /// Every match of the query under the filter, best first by the order's
    /// key and then by address: what `Matcher::top` must return a prefix of.
    fn everything(
        searcher: &Searcher,
        query: &dyn Query,
        filter: Option<&dyn Query>,
        order: Order,
    ) -> Vec<(RankKey, DocAddress)> {
        let both: Box<dyn Query> = match filter {
            None => query.box_clone(),
            Some(f) => Box::new(BooleanQuery::new(vec![
                (Occur::Must, query.box_clone()),
                (
                    Occur::Must,
                    Box::new(ConstScoreQuery::new(f.box_clone(), 0.0)) as Box<dyn Query>,
                ),
            ])),
        };
        // Relevance: tantivy's own top-k. Field orders: every match, scored
        // by the same full scan as `scan_segment` (the sums' order matters).
        let all = match order {
            Order::Relevance => searcher
                .search(
                    both.as_ref(),
                    &TopDocs::with_limit(100_000).order_by_score(),
                )
                .unwrap(),
            _ => searcher.search(both.as_ref(), &AllScored).unwrap(),
        };
        let mut ranked: Vec<Ranked> = all
            .into_iter()
            .map(|(score, addr)| {
                let fast = searcher.segment_reader(addr.segment_ord).fast_fields();
                let field = match order {
                    Order::Relevance => 0,
                    Order::Year => fast.u64("year").unwrap().first(addr.doc_id).unwrap_or(0),
                    Order::Confidence => {
                        fast.u64("confidence").unwrap().first(addr.doc_id).unwrap()
                    }
                };
                Ranked {
                    key: RankKey { field, score },
                    addr,
                }
            })
            .collect();
        ranked.sort_by(|a, b| b.cmp(a));
        ranked.into_iter().map(|r| (r.key, r.addr)).collect()
    }

    /// Every match with its score, through tantivy's plain per-document loop.
    struct AllScored;

    struct SegmentScored(u32, Vec<(Score, DocAddress)>);

    impl tantivy::collector::Collector for AllScored {
        type Fruit = Vec<(Score, DocAddress)>;
        type Child = SegmentScored;

        fn for_segment(&self, ord: u32, _: &SegmentReader) -> tantivy::Result<SegmentScored> {
            Ok(SegmentScored(ord, Vec::new()))
        }

        fn requires_scoring(&self) -> bool {
            true
        }

        fn merge_fruits(&self, fruits: Vec<Self::Fruit>) -> tantivy::Result<Self::Fruit> {
            Ok(fruits.concat())
        }
    }

    impl tantivy::collector::SegmentCollector for SegmentScored {
        type Fruit = Vec<(Score, DocAddress)>;

        fn collect(&mut self, doc: DocId, score: Score) {
            self.1.push((score, DocAddress::new(self.0, doc)));
        }

        fn harvest(self) -> Self::Fruit {
            self.1
        }
    }

    /// Filters that allow many, some, few and only deleted documents.
    fn sample_filters(schema: &Schema) -> Vec<(&'static str, Option<Box<dyn Query>>)> {
        let tag = schema.get_field("tag").unwrap();
        let year = schema.get_field("year").unwrap();
        let tag_is = |t: &str| -> Box<dyn Query> {
            Box::new(TermQuery::new(
                Term::from_field_text(tag, t),
                IndexRecordOption::Basic,
            ))
        };
        let years: Box<dyn Query> = Box::new(RangeQuery::new(
            Bound::Included(Term::from_field_u64(year, 2000)),
            Bound::Included(Term::from_field_u64(year, 2009)),
        ));
        vec![
            ("none", None),
            ("common tag", Some(tag_is("a"))),
            ("rare tag", Some(tag_is("c"))),
            ("deleted tag", Some(tag_is("d"))),
            ("years", Some(years)),
        ]
    }

    #[test]
    fn pruned_and_filtered_top_k_equals_the_exhaustive_ranking() {
        let (index, schema) = sample_index();
        let searcher = index.reader().unwrap().searcher();
        let body = schema.get_field("body").unwrap();
        let year = schema.get_field("year").unwrap();
        let parser = QueryParser::for_index(&index, vec![body]);
        let filters = sample_filters(&schema);
        let sort_by = |order: Order| match order {
            Order::Relevance => None,
            Order::Year => Some(year),
            Order::Confidence => schema.get_field("confidence").ok(),
        };
        let (mut compared, mut nonempty) = (0, 0);
        for text in [
            "w0",
            "w1 w7",
            "+w2 +w3",
            "\"w1 w2\"",
            "w0 w1 w2 w3 w29",
            "*",
        ] {
            let query = parser.parse_query(text).unwrap();
            let exact = text == "w0" || text == "*";
            for (name, filter) in &filters {
                for order in [Order::Relevance, Order::Year, Order::Confidence] {
                    let expected = everything(&searcher, query.as_ref(), filter.as_deref(), order);
                    let matcher =
                        Matcher::new(&searcher, query.as_ref(), filter.as_deref(), sort_by(order))
                            .unwrap();
                    // On one thread, and on two sharing the segments out.
                    let one = matcher.split(Split {
                        workers: 1,
                        from_docs: 0,
                        from_matches: 0,
                    });
                    let matcher =
                        Matcher::new(&searcher, query.as_ref(), filter.as_deref(), sort_by(order))
                            .unwrap()
                            .split(Split {
                                workers: 2,
                                from_docs: 0,
                                from_matches: 0,
                            });
                    assert_eq!(matcher.split.shares(searcher.segment_readers()).len(), 2);
                    for (k, matcher) in [1, 7, 40, 5000]
                        .into_iter()
                        .flat_map(|k| [(k, &one), (k, &matcher)])
                    {
                        let got = matcher.top(k).unwrap();
                        let context = format!("query {text}, filter {name}, {order:?}, k {k}");
                        nonempty += usize::from(!expected.is_empty());
                        assert_ranks_as(&got, &expected, k, exact, &context);
                        compared += 1;
                    }
                }
            }
        }
        assert_eq!(compared, 6 * 5 * 3 * 4 * 2);
        // Only the deleted tag, and a phrase under the rare tag, match nothing.
        assert!(
            nonempty >= (6 * 4 * 3 * 4 - 3 * 4) * 2,
            "{nonempty} of {compared}"
        );
    }

    /// `got`, the top `k`, is the first `k` of `expected` (every match,
    /// ranked). Block-max WAND and a full scan add a union's term scores in
    /// different orders, so the last bit of a score, and the order of two
    /// documents whose scores differ only there, may differ: scores are
    /// compared to 1e-5. When one term's score (or none) is summed, `exact`,
    /// ties must go to the lower address, on one thread or two.
    fn assert_ranks_as(
        got: &[(RankKey, DocAddress)],
        expected: &[(RankKey, DocAddress)],
        k: usize,
        exact: bool,
        context: &str,
    ) {
        let want = &expected[..k.min(expected.len())];
        assert_eq!(got.len(), want.len(), "{context}");
        let close = |a: Score, b: Score| (a - b).abs() <= 1e-5 * b.abs().max(1.0);
        let mut seen = std::collections::HashSet::new();
        for ((g, g_addr), (w, w_addr)) in got.iter().zip(want) {
            assert!(
                g.field == w.field && close(g.score, w.score),
                "{context}: {g:?} {w:?}"
            );
            if exact {
                assert_eq!(g_addr, w_addr, "{context}");
            }
            assert!(seen.insert(*g_addr), "{context}: {g_addr:?} twice");
            let truth = expected.iter().find(|(_, a)| a == g_addr);
            assert!(
                truth.is_some_and(|(t, _)| t.field == g.field && close(t.score, g.score)),
                "{context}: {g_addr:?} is not a match with that key"
            );
        }
    }

    fn key(field: u64, score: Score) -> RankKey {
        RankKey { field, score }
    }

    #[test]
    fn keeps_the_k_best_with_lower_addresses_winning_ties() {
        let mut top = TopK::new(2);
        top.push(key(0, 1.0), DocAddress::new(0, 5));
        assert_eq!(top.threshold(), Score::MIN);
        top.push(key(0, 3.0), DocAddress::new(1, 0));
        top.push(key(0, 1.0), DocAddress::new(0, 2));
        assert_eq!(top.threshold(), 1.0);
        top.push(key(0, 2.0), DocAddress::new(2, 9));
        let got: Vec<_> = top.into_sorted().into_iter().map(|(_, a)| a).collect();
        assert_eq!(got, vec![DocAddress::new(1, 0), DocAddress::new(2, 9)]);

        let mut tie = TopK::new(1);
        tie.push(key(0, 1.0), DocAddress::new(0, 7));
        tie.push(key(0, 1.0), DocAddress::new(0, 3));
        assert_eq!(tie.into_sorted()[0].1, DocAddress::new(0, 3));
    }

    #[test]
    fn the_sort_field_ranks_before_the_score() {
        let mut top = TopK::new(3);
        top.push(key(2019, 9.0), DocAddress::new(0, 0));
        top.push(key(2021, 0.5), DocAddress::new(0, 1));
        top.push(key(2021, 4.0), DocAddress::new(0, 2));
        let got: Vec<_> = top
            .into_sorted()
            .into_iter()
            .map(|(_, a)| a.doc_id)
            .collect();
        assert_eq!(got, vec![2, 1, 0]);
    }

    #[test]
    fn a_zero_window_keeps_nothing() {
        let mut top = TopK::new(0);
        top.push(key(0, 1.0), DocAddress::new(0, 0));
        assert!(top.into_sorted().is_empty());
    }
}
