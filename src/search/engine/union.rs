//! Counting the matches of plain words, the commonest query, without
//! tantivy's union scorer.
//!
//! A query of bare words is, once parsed, the union of its words' terms over
//! the default fields (statement, title, section, author). tantivy counts a
//! union by running the union scorer over every match, which kept the
//! heap-ordered merge of four postings lists busy for 20 ms for a word in 1.6
//! million statements. Setting each term's documents in a bitset and counting
//! its bits gives the same number in a fraction of that
//! (docs/benchmarks-history.md, "citeindex serve against tantivy serve"). Required words (`+a +b`) are
//! an intersection of such unions, where tantivy seeks each word's union
//! scorer in turn: a bitset of the first word's documents, narrowed by each
//! next word's postings, counts them too.

use std::ops::Range;

use tantivy::directory::OwnedBytes;
use tantivy::fastfield::AliveBitSet;
use tantivy::query::{BooleanQuery, Occur, Query, Weight};
use tantivy::query_grammar::{Delimiter, Occur as GrammarOccur, UserInputAst, UserInputLeaf};
use tantivy::schema::IndexRecordOption;
use tantivy::{BitSet, DocId, SegmentReader, Term};

/// The matches of a query of plain words, as groups of terms: a document
/// matches when it holds a term of every group.
pub(in crate::search) type Groups = Vec<Vec<Term>>;

/// The term groups of `query` when it was parsed from plain words, so that
/// its matches are exactly the documents holding a term of every group:
/// optional words (`a b`, `a OR b`: letters and digits, no field, quote or
/// prefix) are one group, any of their terms; required words (`+a +b`,
/// `a AND b`) a group each, any of that word's terms. `None` for every other
/// query. The words are read from the query grammar's tree, as the query
/// parser reads them, not from the text.
pub(in crate::search) fn plain_groups(text: &str, query: &dyn Query) -> Option<Groups> {
    match plain_words(text)? {
        Words::Any => Some(vec![unpositioned_terms(query).filter(|t| !t.is_empty())?]),
        Words::All(n) => {
            // One clause a word, each required: anything else (a word the
            // parser dropped, say) is left to tantivy.
            let clauses = query.downcast_ref::<BooleanQuery>()?.clauses();
            if clauses.len() != n || clauses.iter().any(|(occur, _)| *occur != Occur::Must) {
                return None;
            }
            clauses
                .iter()
                .map(|(_, clause)| unpositioned_terms(clause.as_ref()).filter(|t| !t.is_empty()))
                .collect()
        }
    }
}

/// How the plain words of a query combine.
#[derive(Debug, PartialEq, Eq)]
enum Words {
    /// Any of them.
    Any,
    /// All of them, this many.
    All(usize),
}

/// The words of `text` when it is plain words only, every one optional or
/// every one required; `None` for anything else (no words, a field, a phrase,
/// a prefix, a negation, a boost, a group, a mix of optional and required).
fn plain_words(text: &str) -> Option<Words> {
    let ast = tantivy::query_grammar::parse_query(text.trim()).ok()?;
    let clauses: Vec<(Option<GrammarOccur>, &UserInputAst)> = match &ast {
        UserInputAst::Clause(clauses) => clauses.iter().map(|(o, a)| (*o, a)).collect(),
        leaf @ UserInputAst::Leaf(_) => vec![(None, leaf)],
        UserInputAst::Boost(..) => return None,
    };
    if clauses.is_empty() || !clauses.iter().all(|(_, ast)| is_plain_word(ast)) {
        return None;
    }
    let optional = |o: &Option<GrammarOccur>| matches!(o, None | Some(GrammarOccur::Should));
    if clauses.iter().all(|(o, _)| optional(o)) {
        Some(Words::Any)
    } else if clauses.iter().all(|(o, _)| *o == Some(GrammarOccur::Must)) {
        Some(Words::All(clauses.len()))
    } else {
        None
    }
}

/// A bare word: no field, quotes, slop or prefix; letters and digits only,
/// so that the analyser makes it at most one term a field.
fn is_plain_word(ast: &UserInputAst) -> bool {
    let UserInputAst::Leaf(leaf) = ast else {
        return false;
    };
    let UserInputLeaf::Literal(literal) = leaf.as_ref() else {
        return false;
    };
    literal.field_name.is_none()
        && literal.delimiter == Delimiter::None
        && literal.slop == 0
        && !literal.prefix
        && !literal.phrase.is_empty()
        && literal.phrase.chars().all(char::is_alphanumeric)
}

/// The terms of `query`, or `None` when one needs positions (a phrase).
fn unpositioned_terms(query: &dyn Query) -> Option<Vec<Term>> {
    let mut terms = Vec::new();
    let mut positional = false;
    query.query_terms(&mut |term, needs_positions| {
        positional |= needs_positions;
        terms.push(term.clone());
    });
    (!positional).then_some(terms)
}

/// The number of live documents of `reader` holding a term of every group,
/// among those of `mask` when there is one (a filter's, a bit a document).
pub(in crate::search) fn count(
    reader: &SegmentReader,
    groups: &[Vec<Term>],
    mask: Option<&[u64]>,
) -> tantivy::Result<u32> {
    let words = matching_words(reader, groups, mask)?;
    let count = match reader.alive_bitset() {
        // Without deletions the bits are the count: no set to build.
        None => words.iter().map(|w| u64::from(w.count_ones())).sum(),
        Some(_) => live(&words, reader).len() as u64,
    };
    Ok(u32::try_from(count).unwrap_or(u32::MAX))
}

/// The live documents of `reader` holding a term of every group, among
/// those of `mask` when there is one.
pub(in crate::search) fn matches(
    reader: &SegmentReader,
    groups: &[Vec<Term>],
    mask: Option<&[u64]>,
) -> tantivy::Result<BitSet> {
    Ok(live(&matching_words(reader, groups, mask)?, reader))
}

/// The documents of `reader` holding a term of every group (and set in
/// `mask`, when there is one), deleted ones included, a bit a document.
fn matching_words(
    reader: &SegmentReader,
    groups: &[Vec<Term>],
    mask: Option<&[u64]>,
) -> tantivy::Result<Vec<u64>> {
    // Set in plain words, not tantivy's `BitSet`, whose insert keeps a count
    // in memory that each next insert waits on: that wait was 60% of the
    // count of a word in 1.6 million statements.
    let mut words = vec![0u64; buckets(reader) as usize];
    let Some((first, others)) = groups.split_first() else {
        return Ok(words);
    };
    // The mask narrows the first group as its bits are set: no pass of its own.
    for_each_posting(reader, first, &mut |docs| set_bits(&mut words, docs, mask))?;
    for group in others {
        let mut both = vec![0u64; words.len()];
        for_each_posting(reader, group, &mut |docs| {
            set_bits(&mut both, docs, Some(&words))
        })?;
        words = both;
    }
    Ok(words)
}

/// The live documents among `words` (of `reader`), as tantivy's `BitSet`.
fn live(words: &[u64], reader: &SegmentReader) -> BitSet {
    let mut matches = bitset_of(words, reader.max_doc());
    if let Some(alive) = reader.alive_bitset() {
        matches.intersect_update(alive.bitset());
    }
    matches
}

/// The documents of `reader` that `weight` matches, deleted ones included,
/// a bit a document (the form a filter's documents are kept in).
pub(in crate::search) fn bits_of(
    weight: &dyn Weight,
    reader: &SegmentReader,
) -> tantivy::Result<Vec<u64>> {
    let mut words = vec![0u64; buckets(reader) as usize];
    weight.for_each_no_score(reader, &mut |docs| set_bits(&mut words, docs, None))?;
    Ok(words)
}

/// Sets the bits of `docs` (ascending) in `words`, those also set in `mask`
/// when there is one. A word's bits are gathered in a register while the
/// documents stay in it, so that consecutive ids do not wait on each other's
/// store.
fn set_bits(words: &mut [u64], docs: &[DocId], mask: Option<&[u64]>) {
    let mut flush = |word: usize, bits: u64| {
        words[word] |= mask.map_or(bits, |mask| bits & mask[word]);
    };
    let Some(&first) = docs.first() else {
        return;
    };
    let (mut word, mut bits) = ((first / BUCKET) as usize, 0u64);
    for &doc in docs {
        let at = (doc / BUCKET) as usize;
        if at != word {
            flush(word, bits);
            (word, bits) = (at, 0);
        }
        bits |= 1 << (doc % BUCKET);
    }
    flush(word, bits);
}

/// `words` (a bit a document, below `max_doc`) as tantivy's `BitSet`, which
/// can only be filled a document at a time: the words are read as an alive
/// bitset's serialised form, and a full set narrowed to them.
fn bitset_of(words: &[u64], max_doc: u32) -> BitSet {
    let mut bytes = Vec::with_capacity(4 + words.len() * 8);
    bytes.extend_from_slice(&max_doc.to_le_bytes());
    for word in words {
        bytes.extend_from_slice(&word.to_le_bytes());
    }
    let set = AliveBitSet::open(OwnedBytes::new(bytes));
    let mut bitset = BitSet::with_max_value_and_full(max_doc);
    bitset.intersect_update(set.bitset());
    bitset
}

/// Documents a bitset word holds.
pub(in crate::search) const BUCKET: u32 = 64;

/// The number of [`BUCKET`]s of a bitset of `reader`'s documents.
pub(in crate::search) fn buckets(reader: &SegmentReader) -> u32 {
    reader.max_doc().div_ceil(BUCKET)
}

/// Calls `each` with the documents of `set` in `buckets`, a block of
/// ascending ids at a time.
pub(in crate::search) fn for_each_in(
    set: &BitSet,
    buckets: Range<u32>,
    each: &mut dyn FnMut(&[DocId]),
) {
    const BLOCK: usize = 1024;
    let mut block = Vec::with_capacity(BLOCK);
    for bucket in buckets {
        let mut word = set.tinyset(bucket);
        while let Some(bit) = word.pop_lowest() {
            block.push(bucket * BUCKET + bit);
        }
        if block.len() + BUCKET as usize > BLOCK {
            each(&block);
            block.clear();
        }
    }
    if !block.is_empty() {
        each(&block);
    }
}

/// Calls `each` with every document of `reader`, deleted ones included,
/// holding any of `terms` (once per term that it holds), a block of
/// ascending ids at a time: a call per document, through `dyn`, cost as much
/// as setting its bit.
fn for_each_posting(
    reader: &SegmentReader,
    terms: &[Term],
    each: &mut dyn FnMut(&[DocId]),
) -> tantivy::Result<()> {
    for term in terms {
        let postings = reader
            .inverted_index(term.field())?
            .read_block_postings(term, IndexRecordOption::Basic)?;
        let Some(mut blocks) = postings else {
            continue;
        };
        // A block of decoded ids at a time: the per-document cursor of
        // tantivy's postings cost twice as much as setting the bits.
        loop {
            let docs = blocks.docs();
            if docs.is_empty() {
                break;
            }
            each(docs);
            blocks.advance();
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use tantivy::collector::Count;
    use tantivy::query::{EnableScoring, QueryParser, TermQuery};
    use tantivy::schema::{Field, Schema, TEXT};
    use tantivy::{doc, Index, IndexWriter};

    /// An empty index of two text fields, `body` and `title`.
    fn body_and_title() -> (Index, Field, Field) {
        let mut builder = Schema::builder();
        let body = builder.add_text_field("body", TEXT);
        let title = builder.add_text_field("title", TEXT);
        (Index::create_in_ram(builder.build()), body, title)
    }

    /// [`body_and_title`] holding 500 documents of the words alpha to delta,
    /// committed, and its writer.
    fn four_words() -> (Index, Field, Field, IndexWriter) {
        let (index, body, title) = body_and_title();
        let mut writer: IndexWriter = index.writer_with_num_threads(1, 15_000_000).unwrap();
        let words = ["alpha", "beta", "gamma", "delta"];
        for i in 0..500usize {
            writer
                .add_document(doc!(
                    body => format!("{} {}", words[i % 4], words[i % 3]),
                    title => words[i % 7 % 4],
                ))
                .unwrap();
        }
        writer.commit().unwrap();
        (index, body, title, writer)
    }

    #[test]
    fn bare_words_count_as_tantivy_counts_them() {
        let (index, body, title, mut writer) = four_words();
        let parser = QueryParser::for_index(&index, vec![body, title]);
        // Counted from the bits alone while nothing is deleted.
        let searcher = index.reader().unwrap().searcher();
        let [reader] = searcher.segment_readers() else {
            panic!("one segment");
        };
        assert!(!reader.has_deletes());
        for text in ["alpha", "beta gamma", "+alpha +beta", "nothing"] {
            let query = parser.parse_query(text).unwrap();
            let groups = plain_groups(text, query.as_ref()).expect(text);
            let expected = searcher.search(query.as_ref(), &Count).unwrap() as u32;
            assert_eq!(count(reader, &groups, None).unwrap(), expected, "{text}");
        }
        writer.delete_term(Term::from_field_text(title, "delta"));
        writer.commit().unwrap();
        let searcher = index.reader().unwrap().searcher();
        let [reader] = searcher.segment_readers() else {
            panic!("one segment");
        };
        assert!(reader.has_deletes());
        for text in [
            "alpha",
            "beta gamma",
            "delta",
            "alpha beta gamma delta",
            "nothing",
            "+alpha +beta",
            "+beta +gamma +delta",
            "+alpha +nothing",
            "alpha AND beta",
            "alpha OR beta",
            "  +beta   +gamma ",
            "(alpha beta)",
        ] {
            let query = parser.parse_query(text).unwrap();
            let groups = plain_groups(text, query.as_ref()).expect(text);
            let expected = searcher.search(query.as_ref(), &Count).unwrap() as u32;
            assert_eq!(count(reader, &groups, None).unwrap(), expected, "{text}");
        }
    }

    #[test]
    fn bare_words_under_a_filters_bits_count_as_tantivy_counts_them() {
        let (index, body, title, mut writer) = four_words();
        writer.delete_term(Term::from_field_text(body, "beta"));
        writer.commit().unwrap();
        let parser = QueryParser::for_index(&index, vec![body, title]);
        let searcher = index.reader().unwrap().searcher();
        let [reader] = searcher.segment_readers() else {
            panic!("one segment");
        };
        assert!(reader.has_deletes());
        // The documents titled gamma, deleted ones included, as a filter's
        // bits are kept.
        let gamma = TermQuery::new(
            Term::from_field_text(title, "gamma"),
            IndexRecordOption::Basic,
        );
        let unscored = EnableScoring::disabled_from_searcher(&searcher);
        let mask = bits_of(gamma.weight(unscored).unwrap().as_ref(), reader).unwrap();
        let mut some = 0;
        for text in ["alpha", "beta gamma", "+alpha +gamma", "delta", "nothing"] {
            let query = parser.parse_query(text).unwrap();
            let groups = plain_groups(text, query.as_ref()).expect(text);
            let both = BooleanQuery::new(vec![
                (Occur::Must, query),
                (Occur::Must, Box::new(gamma.clone())),
            ]);
            let expected = searcher.search(&both, &Count).unwrap() as u32;
            some += expected;
            assert_eq!(
                count(reader, &groups, Some(&mask)).unwrap(),
                expected,
                "{text}"
            );
            let set = matches(reader, &groups, Some(&mask)).unwrap();
            assert_eq!(set.len() as u32, expected, "{text}");
        }
        assert!(some > 0);
    }

    #[test]
    fn other_queries_are_left_alone() {
        let (index, body, title) = body_and_title();
        let parser = QueryParser::for_index(&index, vec![body, title]);
        // Required words are groups: more than one group is an intersection.
        let text = "+alpha +beta";
        let groups = plain_groups(text, parser.parse_query(text).unwrap().as_ref()).unwrap();
        assert_eq!(groups.len(), 2);
        for text in [
            "+alpha beta",
            "+alpha -beta",
            "+\"alpha beta\"",
            "\"alpha beta\"",
            "alpha -beta",
            "title:alpha",
            "alpha*",
            "alpha^2",
            "alpha AND beta OR gamma",
            "*",
            "alpha-beta",
        ] {
            let query = parser.parse_query(text).unwrap();
            assert_eq!(plain_groups(text, query.as_ref()), None, "{text}");
        }
        // No words (filters alone, run as everything they allow): no term
        // stands for the matches.
        for text in ["", "   "] {
            let everything = tantivy::query::AllQuery;
            assert_eq!(plain_groups(text, &everything), None, "{text:?}");
        }
    }

    #[test]
    fn bits_set_by_blocks_are_the_documents_given_and_masked() {
        let mut next = crate::search::below(7);
        // A segment of no documents, one of exactly one word, uneven ones.
        for max_doc in [0u32, 64, 3_000, 3_001] {
            let mask: Vec<u64> = (0..max_doc.div_ceil(BUCKET))
                .map(|_| next(u64::MAX))
                .collect();
            for density in [1, 2, 5, 64, 300] {
                let mut docs: Vec<DocId> = (0..max_doc).filter(|_| next(density) == 0).collect();
                docs.extend([0, 63, 64, max_doc.saturating_sub(1)]);
                docs.retain(|&d| d < max_doc);
                docs.sort_unstable();
                docs.dedup();
                for masked in [None, Some(mask.as_slice())] {
                    let mut words = vec![0u64; mask.len()];
                    // In blocks of uneven sizes, as postings come.
                    for block in docs.chunks(97) {
                        set_bits(&mut words, block, masked);
                    }
                    set_bits(&mut words, &[], masked);
                    let set = bitset_of(&words, max_doc);
                    let expected: Vec<DocId> = docs
                        .iter()
                        .copied()
                        .filter(|&d| {
                            masked.is_none_or(|m| m[(d / 64) as usize] >> (d % 64) & 1 == 1)
                        })
                        .collect();
                    let got: Vec<DocId> = (0..max_doc).filter(|&d| set.contains(d)).collect();
                    let case = format!(
                        "{max_doc} docs, 1 in {density}, masked {}",
                        masked.is_some()
                    );
                    assert_eq!(got, expected, "{case}");
                    assert_eq!(set.len(), expected.len(), "{case}");
                    assert_eq!(set.max_value(), max_doc, "{case}");
                }
            }
        }
    }

    #[test]
    fn ranges_of_buckets_visit_each_document_once_in_order() {
        let mut set = BitSet::with_max_value(5_000);
        let mut next = crate::search::below(42);
        let mut expected: Vec<DocId> = (0..800).map(|_| next(5_000) as DocId).collect();
        expected.extend([0, 63, 64, 4_999]);
        expected.sort_unstable();
        expected.dedup();
        expected.iter().for_each(|&doc| {
            set.insert(doc);
        });
        let buckets = 5_000u32.div_ceil(BUCKET);
        for cuts in [
            vec![0, buckets],
            vec![0, 1, 40, buckets],
            vec![0, 17, 18, 70, buckets],
        ] {
            let mut seen = Vec::new();
            for pair in cuts.windows(2) {
                for_each_in(&set, pair[0]..pair[1], &mut |docs| {
                    seen.extend_from_slice(docs)
                });
            }
            assert_eq!(seen, expected, "{cuts:?}");
        }
    }
}
