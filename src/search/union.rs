//! Counting the matches of plain words, the commonest query, without
//! tantivy's union scorer.
//!
//! A query of bare words is, once parsed, the union of its words' terms over
//! the default fields (statement, title, section, author). tantivy counts a
//! union by running the union scorer over every match, which kept the
//! heap-ordered merge of four postings lists busy for 20 ms for a word in 1.6
//! million statements. Setting each term's documents in a bitset and counting
//! its bits gives the same number in a fraction of that (BENCHMARKS.md,
//! "citeindex serve against tantivy serve").

use tantivy::query::Query;
use tantivy::schema::IndexRecordOption;
use tantivy::{BitSet, SegmentReader, Term};

/// The terms of `query` when it was parsed from bare words (letters and
/// digits between spaces, no operator), so that its matches are exactly the
/// documents holding any of them; `None` for every other query.
pub fn plain_terms(text: &str, query: &dyn Query) -> Option<Vec<Term>> {
    let bare = text
        .split_whitespace()
        .all(|word| word.chars().all(char::is_alphanumeric) && !is_operator(word));
    if !bare {
        return None;
    }
    let mut terms = Vec::new();
    let mut positional = false;
    query.query_terms(&mut |term, needs_positions| {
        positional |= needs_positions;
        terms.push(term.clone());
    });
    (!positional).then_some(terms)
}

/// The words the query grammar reads as operators even between spaces.
fn is_operator(word: &str) -> bool {
    matches!(word, "AND" | "OR" | "NOT" | "IN")
}

/// The number of live documents of `reader` holding any of `terms`.
pub fn count(reader: &SegmentReader, terms: &[Term]) -> tantivy::Result<u32> {
    let mut union = BitSet::with_max_value(reader.max_doc());
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
            for &doc in docs {
                union.insert(doc);
            }
            blocks.advance();
        }
    }
    if let Some(alive) = reader.alive_bitset() {
        union.intersect_update(alive.bitset());
    }
    Ok(u32::try_from(union.len()).unwrap_or(u32::MAX))
}

#[cfg(test)]
mod tests {
    use super::*;
    use tantivy::collector::Count;
    use tantivy::query::QueryParser;
    use tantivy::schema::{Schema, TEXT};
    use tantivy::{doc, Index, IndexWriter};

    #[test]
    fn bare_words_count_as_tantivy_counts_them_and_other_queries_are_left_alone() {
        let mut builder = Schema::builder();
        let body = builder.add_text_field("body", TEXT);
        let title = builder.add_text_field("title", TEXT);
        let index = Index::create_in_ram(builder.build());
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
        writer.delete_term(Term::from_field_text(title, "delta"));
        writer.commit().unwrap();
        let searcher = index.reader().unwrap().searcher();
        let [reader] = searcher.segment_readers() else {
            panic!("one segment");
        };
        assert!(reader.has_deletes());
        let parser = QueryParser::for_index(&index, vec![body, title]);
        for text in [
            "alpha",
            "beta gamma",
            "delta",
            "alpha beta gamma delta",
            "nothing",
        ] {
            let query = parser.parse_query(text).unwrap();
            let terms = plain_terms(text, query.as_ref()).expect(text);
            let expected = searcher.search(query.as_ref(), &Count).unwrap() as u32;
            assert_eq!(count(reader, &terms).unwrap(), expected, "{text}");
        }
        for text in [
            "+alpha +beta",
            "\"alpha beta\"",
            "alpha AND beta",
            "alpha -beta",
            "title:alpha",
        ] {
            let query = parser.parse_query(text).unwrap();
            assert_eq!(plain_terms(text, query.as_ref()), None, "{text}");
        }
    }
}
