//! The `english` analyser's stemmer, remembering the stems it has made.
//!
//! Snowball stemming was a sixth of a build's CPU (docs/benchmarks-history.md, "Issue 19,
//! fourth pass"): every word of every statement, and the paper's title once
//! more with each of its statements. Words repeat, so most of that work was
//! done before: a word found in the cache is copied, not stemmed.
//!
//! The cache is direct-mapped: a word of up to 15 bytes, and its stem, are
//! packed into a number each, and the word's hash picks the one slot it may
//! sit in. A lookup is one probe of one slot, with no pointer to follow and
//! no string to compare; a word that finds another in its slot is stemmed
//! and takes the slot over. A first cut kept words and stems as strings in a
//! hash map, and cost as much as the stemming it saved (its key comparisons
//! and the cache misses of following each key). Longer words are stemmed
//! every time.
//!
//! The stems are tantivy's own: the same Snowball English algorithm from the
//! same crate (`frostem`, tantivy's dependency), which a test checks word by
//! word against tantivy's `Stemmer`. Only the index writer's analyser has
//! it (`schema::register_writing_tokenizers`): its 2 MB table pays over a
//! segment's millions of words, not over a query's few. A cache belongs to
//! one analyser, and tantivy gives each segment being written its own clone
//! of the analyser, so no lock is taken; a clone starts empty, and its table
//! is allocated when it is first used.

use std::borrow::Cow;

use tantivy::tokenizer::{Token, TokenFilter, TokenStream, Tokenizer};

/// log2 of the slots in a cache's table.
const SLOT_BITS: u32 = 16;

/// A token filter stemming English words, as tantivy's
/// `Stemmer::new(Language::English)` does. Tokens are expected lowercased.
#[derive(Clone, Copy, Debug, Default)]
pub struct CachedStemmer;

impl TokenFilter for CachedStemmer {
    type Tokenizer<T: Tokenizer> = CachedStemmerFilter<T>;

    fn transform<T: Tokenizer>(self, tokenizer: T) -> CachedStemmerFilter<T> {
        CachedStemmerFilter {
            inner: tokenizer,
            cache: StemCache::new(SLOT_BITS),
        }
    }
}

/// A tokenizer followed by the cached stemmer.
pub struct CachedStemmerFilter<T> {
    inner: T,
    cache: StemCache,
}

/// A clone starts with an empty cache: clones are handed to other threads
/// (a segment writer each), and each fills its own table.
impl<T: Clone> Clone for CachedStemmerFilter<T> {
    fn clone(&self) -> Self {
        CachedStemmerFilter {
            inner: self.inner.clone(),
            cache: StemCache::new(self.cache.bits),
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

/// Words and their stems, packed by [`pack`].
struct StemCache {
    /// `(word, stem)` slots, `1 << bits` of them once the first word comes.
    slots: Option<Box<[(u128, u128)]>>,
    stemmer: frostem::Stemmer,
    bits: u32,
}

impl StemCache {
    fn new(bits: u32) -> StemCache {
        StemCache {
            slots: None,
            stemmer: frostem::Stemmer::new(frostem::Algorithm::English),
            bits,
        }
    }

    /// Replaces `word` by its stem, from the cache when the word is there.
    /// The stem is copied into the word's own buffer, so a hit allocates
    /// nothing.
    fn stem_in_place(&mut self, word: &mut String) {
        // frostem borrows only a word it left untouched (frequent words,
        // "the", "of", are their own stem): then there is nothing to copy.
        let Some(key) = pack(word) else {
            if let Cow::Owned(stem) = self.stemmer.stem(word) {
                *word = stem;
            }
            return;
        };
        let bits = self.bits;
        let slots = self
            .slots
            .get_or_insert_with(|| vec![(0, 0); 1 << bits].into_boxed_slice());
        let slot = &mut slots[slot_of(key, bits)];
        if slot.0 == key && unpack(slot.1, word) {
            return;
        }
        let stem = self.stemmer.stem(word);
        if let Some(packed) = pack(&stem) {
            *slot = (key, packed);
        }
        if let Cow::Owned(stem) = stem {
            *word = stem;
        }
    }
}

/// `text` as a number: its bytes, zero-padded to 15, then its length; `None`
/// for an empty text or one longer than 15 bytes. No text packs to 0, so an
/// empty slot matches no word.
fn pack(text: &str) -> Option<u128> {
    let bytes = text.as_bytes();
    if bytes.is_empty() || bytes.len() > 15 {
        return None;
    }
    let mut buf = [0; 16];
    buf[..bytes.len()].copy_from_slice(bytes);
    buf[15] = bytes.len() as u8;
    Some(u128::from_le_bytes(buf))
}

/// Writes the text `packed` holds into `out`; false, leaving `out` as it
/// was, if it holds none (which [`pack`] never makes).
fn unpack(packed: u128, out: &mut String) -> bool {
    let buf = packed.to_le_bytes();
    let len = buf[15] as usize;
    if len == 0 || len > 15 {
        return false;
    }
    let Ok(text) = std::str::from_utf8(&buf[..len]) else {
        return false;
    };
    out.clear();
    out.push_str(text);
    true
}

/// The slot of a packed word: the top `bits` of both halves multiplied (none
/// for a table of one slot).
fn slot_of(key: u128, bits: u32) -> usize {
    let low = (key as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    let high = ((key >> 64) as u64).wrapping_mul(0xC2B2_AE3D_27D4_EB4F);
    (low ^ high).checked_shr(64 - bits).unwrap_or(0) as usize
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use tantivy::tokenizer::{Language, LowerCaser, SimpleTokenizer, Stemmer, TextAnalyzer};
    use walkdir::WalkDir;

    use super::*;
    use crate::analysis::english as analyzer;

    fn tokens(analyzer: &mut TextAnalyzer, text: &str) -> Vec<Token> {
        let mut out = Vec::new();
        analyzer
            .token_stream(text)
            .process(&mut |t| out.push(t.clone()));
        out
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
    fn words_sharing_a_slot_and_long_words_are_stemmed_right() {
        // One slot: every word evicts the last.
        let mut cache = StemCache::new(0);
        let words = [
            "connections",
            "running",
            "running",
            "connections",
            "internationalisations",
            "fruitlessly",
        ];
        let stemmer = frostem::Stemmer::new(frostem::Algorithm::English);
        for word in words {
            let mut text = word.to_string();
            cache.stem_in_place(&mut text);
            assert_eq!(text, stemmer.stem(word), "{word}");
        }
        // The long word was not cached: the slot holds the last short one.
        let slots = cache.slots.as_deref().unwrap_or_default();
        assert_eq!(
            slots,
            [(pack("fruitlessly").unwrap(), pack("fruitless").unwrap())]
        );
    }

    #[test]
    fn packing_keeps_every_text_of_1_to_15_bytes_and_no_other() {
        for text in ["a", "é", "fifteen_bytes_x", "naïve", "0"] {
            let mut out = String::from("left over");
            assert!(unpack(pack(text).unwrap(), &mut out));
            assert_eq!(out, text);
        }
        assert_eq!(pack(""), None);
        assert_eq!(pack("sixteen_bytes_xx"), None);
        let mut out = String::from("kept");
        assert!(!unpack(0, &mut out));
        assert_eq!(out, "kept");
    }

    #[test]
    fn a_clone_starts_empty_and_stems_alike() {
        let mut first = CachedStemmer.transform(SimpleTokenizer::default());
        first
            .token_stream("running connections")
            .process(&mut |_| {});
        assert!(first.cache.slots.is_some());
        let mut second = first.clone();
        assert!(second.cache.slots.is_none());
        let mut stems = Vec::new();
        second
            .token_stream("running")
            .process(&mut |t| stems.push(t.text.clone()));
        assert_eq!(stems, ["run"]);
    }
}
