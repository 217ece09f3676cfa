//! The `english` analyser's stemmer, remembering the stems it has made.
//!
//! Snowball stemming was a sixth of a build's CPU (BENCHMARKS.md, "Issue 19,
//! fourth pass"): every word of every statement, and the paper's title once
//! more with each of its statements. Words repeat, so most of that work was
//! done before: a word found in the cache is copied, not stemmed.
//!
//! The stems are tantivy's own: the same Snowball English algorithm from the
//! same crate (`frostem`, tantivy's dependency), which a test checks word by
//! word against tantivy's `Stemmer`. A cache belongs to one analyser, and
//! tantivy gives each segment being written its own clone of the analyser, so
//! no lock is taken; a clone starts empty. The cache is emptied when it
//! reaches [`CAPACITY`] words, which bounds its memory on text with an
//! endless vocabulary (numbers, names) at a few megabytes.

use std::collections::HashMap;

use foldhash::fast::RandomState;
use tantivy::tokenizer::{Token, TokenFilter, TokenStream, Tokenizer};

/// The words a cache holds before it is emptied: about 6 MB.
pub const CAPACITY: usize = 1 << 16;

/// A token filter stemming English words, as tantivy's
/// `Stemmer::new(Language::English)` does. Tokens are expected lowercased.
#[derive(Clone, Copy, Debug, Default)]
pub struct CachedStemmer;

impl TokenFilter for CachedStemmer {
    type Tokenizer<T: Tokenizer> = CachedStemmerFilter<T>;

    fn transform<T: Tokenizer>(self, tokenizer: T) -> CachedStemmerFilter<T> {
        CachedStemmerFilter {
            inner: tokenizer,
            cache: StemCache::new(CAPACITY),
        }
    }
}

/// A tokenizer followed by the cached stemmer.
pub struct CachedStemmerFilter<T> {
    inner: T,
    cache: StemCache,
}

/// A clone starts with an empty cache: clones are handed to other threads
/// (a segment writer each), and copying a full map would cost more than the
/// cache saves on a short text.
impl<T: Clone> Clone for CachedStemmerFilter<T> {
    fn clone(&self) -> Self {
        CachedStemmerFilter {
            inner: self.inner.clone(),
            cache: StemCache::new(self.cache.capacity),
        }
    }
}

impl<T: Tokenizer> Tokenizer for CachedStemmerFilter<T> {
    type TokenStream<'a> = CachedStemStream<'a, T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        CachedStemStream {
            tail: self.inner.token_stream(text),
            cache: &mut self.cache,
        }
    }
}

/// The tokens of a text, stemmed.
pub struct CachedStemStream<'a, T> {
    tail: T,
    cache: &'a mut StemCache,
}

impl<T: TokenStream> TokenStream for CachedStemStream<'_, T> {
    fn advance(&mut self) -> bool {
        if !self.tail.advance() {
            return false;
        }
        self.cache.stem_in_place(&mut self.tail.token_mut().text);
        true
    }

    fn token(&self) -> &Token {
        self.tail.token()
    }

    fn token_mut(&mut self) -> &mut Token {
        self.tail.token_mut()
    }
}

/// Words and their stems.
struct StemCache {
    stems: HashMap<Box<str>, Box<str>, RandomState>,
    stemmer: frostem::Stemmer,
    capacity: usize,
}

impl StemCache {
    fn new(capacity: usize) -> StemCache {
        StemCache {
            stems: HashMap::default(),
            stemmer: frostem::Stemmer::new(frostem::Algorithm::English),
            capacity,
        }
    }

    /// Replaces `word` by its stem. On a hit the stem is copied into the
    /// word's own buffer, which a stem never outgrows, so nothing is
    /// allocated.
    fn stem_in_place(&mut self, word: &mut String) {
        if let Some(stem) = self.stems.get(word.as_str()) {
            word.clear();
            word.push_str(stem);
            return;
        }
        let stem: Box<str> = self.stemmer.stem(word).into();
        if self.stems.len() >= self.capacity {
            self.stems.clear();
        }
        let key: Box<str> = word.as_str().into();
        word.clear();
        word.push_str(&stem);
        self.stems.insert(key, stem);
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use tantivy::tokenizer::{
        AsciiFoldingFilter, Language, LowerCaser, RemoveLongFilter, SimpleTokenizer, Stemmer,
        TextAnalyzer,
    };
    use walkdir::WalkDir;

    use super::*;

    fn tokens(analyzer: &mut TextAnalyzer, text: &str) -> Vec<Token> {
        let mut out = Vec::new();
        analyzer
            .token_stream(text)
            .process(&mut |t| out.push(t.clone()));
        out
    }

    /// The `english` analyser up to its stemmer, then `stem`.
    fn analyzer(stem: impl TokenFilter) -> TextAnalyzer {
        TextAnalyzer::builder(SimpleTokenizer::default())
            .filter(RemoveLongFilter::limit(40))
            .filter(LowerCaser)
            .filter(AsciiFoldingFilter)
            .filter(stem)
            .build()
    }

    /// Every token of every text in the sample corpus, each text run twice
    /// (the second time from the cache), comes out as tantivy's stemmer
    /// makes it: text, offsets and position.
    #[test]
    fn stems_are_tantivys_own_from_the_cache_and_from_the_stemmer() {
        let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("sample-corpus");
        let mut cached = analyzer(CachedStemmer);
        let mut plain = analyzer(Stemmer::new(Language::English));
        let mut compared = 0;
        let mut changed = 0;
        for entry in WalkDir::new(&corpus).into_iter().filter_map(Result::ok) {
            let Ok(bytes) = std::fs::read(entry.path()) else {
                continue;
            };
            let text = String::from_utf8_lossy(&bytes);
            let expected = tokens(&mut plain, &text);
            for _ in 0..2 {
                assert_eq!(tokens(&mut cached, &text), expected, "{:?}", entry.path());
            }
            compared += expected.len();
            // Lowercasing twice changes nothing: the words before stemming.
            let words = tokens(&mut analyzer(LowerCaser), &text);
            changed += words
                .iter()
                .zip(&expected)
                .filter(|(w, s)| w.text != s.text)
                .count();
        }
        assert!(compared > 10_000, "compared only {compared} tokens");
        assert!(
            changed > 1_000,
            "only {changed} tokens were changed by stemming"
        );
    }

    #[test]
    fn a_full_cache_is_emptied_and_goes_on_stemming() {
        let mut cache = StemCache::new(2);
        let words = [
            "connections",
            "running",
            "connections",
            "fruitlessly",
            "running",
        ];
        let stems = ["connect", "run", "connect", "fruitless", "run"];
        for (word, stem) in words.iter().zip(stems) {
            let mut text = word.to_string();
            cache.stem_in_place(&mut text);
            assert_eq!(text, stem);
            assert!(cache.stems.len() <= 2);
        }
        // "fruitlessly" found the cache full and emptied it.
        assert_eq!(cache.stems.len(), 2);
        assert!(!cache.stems.contains_key("connections"));
    }

    #[test]
    fn a_clone_starts_empty_and_stems_alike() {
        let mut first = CachedStemmer.transform(SimpleTokenizer::default());
        first
            .token_stream("running connections")
            .process(&mut |_| {});
        assert_eq!(first.cache.stems.len(), 2);
        let mut second = first.clone();
        assert!(second.cache.stems.is_empty());
        let mut stems = Vec::new();
        second
            .token_stream("running")
            .process(&mut |t| stems.push(t.text.clone()));
        assert_eq!(stems, ["run"]);
    }
}
