//! Locating the matched words of a statement: the byte ranges to colour in
//! the terminal, and the best short passage as HTML for `--json`.

use std::collections::BTreeMap;
use std::ops::Range;

use tantivy::query::Query;
use tantivy::snippet::SnippetGenerator;

use super::{Filters, SearchError};
use crate::index::OpenIndex;

/// Finds the words to highlight in a statement: the query's terms on the
/// statement field, and cited-author terms, which appear in the text too.
pub(super) struct Highlighter {
    full: SnippetGenerator,
    short: SnippetGenerator,
    /// Whether there is any word to mark: without one (`*` with filters, a
    /// paper's statements for `check`) a text need not be analysed at all.
    marks_words: bool,
}

impl Highlighter {
    pub(super) fn new(
        open: &OpenIndex,
        user_query: &dyn Query,
        filters: &Filters,
    ) -> Result<Highlighter, SearchError> {
        let f = &open.schema.fields;
        let mut statement_analyzer = open.index.tokenizer_for_field(f.statement)?;
        let mut terms: BTreeMap<String, f32> = BTreeMap::new();
        let mut author_words = Vec::new();
        user_query.query_terms(&mut |term, _| {
            let value = term.value();
            let Some(text) = value.as_str() else {
                return;
            };
            if term.field() == f.statement {
                terms.insert(text.to_string(), 1.0);
            } else if term.field() == f.author || term.field() == f.title {
                author_words.push(text.to_string());
            }
        });
        if let Some(author) = &filters.author {
            author_words.push(author.clone());
        }
        for word in author_words {
            let mut stream = statement_analyzer.token_stream(&word);
            while let Some(token) = stream.next() {
                terms.entry(token.text.clone()).or_insert(1.0);
            }
        }
        let marks_words = !terms.is_empty();
        let full = SnippetGenerator::new(
            terms.clone(),
            statement_analyzer.clone(),
            f.statement,
            usize::MAX / 2,
        );
        let short = SnippetGenerator::new(terms, statement_analyzer, f.statement, 200);
        Ok(Highlighter {
            full,
            short,
            marks_words,
        })
    }

    pub(super) fn highlights(&self, text: &str) -> Vec<Range<usize>> {
        if !self.marks_words {
            return Vec::new();
        }
        let snippet = self.full.snippet(text);
        let start = snippet.fragment_range().start;
        snippet
            .highlighted()
            .iter()
            .map(|r| r.start + start..r.end + start)
            .collect()
    }

    pub(super) fn snippet_html(&self, text: &str) -> String {
        if !self.marks_words {
            return opening_words(text);
        }
        let snippet = self.short.snippet(text);
        if snippet.is_empty() {
            return opening_words(text);
        }
        snippet.to_html()
    }
}

/// The snippet when no statement word matched (a filter-only or author
/// query): the opening words.
fn opening_words(text: &str) -> String {
    let mut end = text.len().min(200);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    escape_html(&text[..end])
}

pub(crate) fn escape_html(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#x27;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_is_escaped() {
        assert_eq!(
            escape_html("<script>a&b</script>"),
            "&lt;script&gt;a&amp;b&lt;/script&gt;"
        );
    }
}
