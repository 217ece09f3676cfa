//! Text analysis, in one place: the tokenizers the schema's text fields name
//! (`english`, `names`), the index writer's stem cache, and the stemmed copies
//! of text and queries that Quickwit gets ([`stems`]), which must stem as the
//! index does.

pub mod stem_cache;
pub mod stems;

use tantivy::tokenizer::{
    AsciiFoldingFilter, Language, LowerCaser, RemoveLongFilter, SimpleTokenizer, Stemmer,
    TextAnalyzer, TokenFilter, TokenizerManager,
};

use stem_cache::CachedStemmer;

/// `english`: words lowercased, folded to ASCII (`Stänicke` → `stanicke`) and
/// stemmed. `names`: the same without stemming, since surnames are not English
/// words (`Hastings` must not match `Hasting`). For searching: see
/// [`register_writing_tokenizers`] for the index writer's.
pub fn register_tokenizers(manager: &TokenizerManager) {
    register(manager, Stemmer::new(Language::English));
}

/// The same analysers for the index writer, whose `english` stemmer remembers
/// its stems ([`stem_cache`]). The tokens are the same; the cache's
/// table pays over a segment's millions of words, not over a query's few.
pub fn register_writing_tokenizers(manager: &TokenizerManager) {
    register(manager, CachedStemmer);
}

fn register(manager: &TokenizerManager, stemmer: impl TokenFilter) {
    manager.register("english", english(stemmer));
    manager.register(
        "names",
        TextAnalyzer::builder(SimpleTokenizer::default())
            .filter(RemoveLongFilter::limit(40))
            .filter(LowerCaser)
            .filter(AsciiFoldingFilter)
            .build(),
    );
}

/// The `english` analyser with `stemmer` as its last filter.
pub(crate) fn english(stemmer: impl TokenFilter) -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(40))
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
        .filter(stemmer)
        .build()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn english_folds_and_stems() {
        let manager = TokenizerManager::default();
        register_tokenizers(&manager);
        let mut english = manager.get("english").expect("registered");
        let mut tokens = Vec::new();
        let mut stream = english.token_stream("Stänicke's spindles");
        while let Some(t) = stream.next() {
            tokens.push(t.text.clone());
        }
        assert_eq!(tokens, vec!["stanick", "s", "spindl"]);
    }
}
