//! Sets of a segment's documents, a bit a document, kept between queries on
//! one open index under a budget of bytes.
//!
//! A filter (`--type contrasting`, a year range) allows the same documents of
//! a segment every time it is asked: a segment's documents never change, and
//! deletions are applied after, from the segment's own alive set. `serve`
//! answers many queries under few filters, so reading a filter's postings or
//! column once per segment and keeping its bits makes every later count under
//! it an `and` of words. Entries are named by segment and a key the caller
//! chooses (the filter query's form); the least recently used go first when
//! the budget is spent.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use tantivy::index::SegmentId;

/// The budget when none is given: room for 25 filters at 1,000,000 pages
/// (20 million documents, 2.5 MB of bits a filter).
const DEFAULT_BUDGET: usize = 64 << 20;

/// A segment's documents as bits: bit `d % 64` of word `d / 64` is document `d`.
pub type Bits = Arc<Vec<u64>>;

type Key = (SegmentId, String);

/// Bits by segment and key, the least recently used dropped beyond a budget.
pub struct BitsCache {
    budget: usize,
    inner: Mutex<Entries>,
}

#[derive(Default)]
struct Entries {
    bytes: usize,
    /// Each entry's bits and when it was last used (a count of uses): a hit
    /// only stamps its entry, and only a put over the budget looks for the
    /// oldest.
    bits: HashMap<Key, (Bits, u64)>,
    uses: u64,
}

impl Default for BitsCache {
    fn default() -> Self {
        BitsCache::new(DEFAULT_BUDGET)
    }
}

impl BitsCache {
    /// A cache keeping at most `budget` bytes of bits (0 keeps none).
    pub fn new(budget: usize) -> BitsCache {
        BitsCache {
            budget,
            inner: Mutex::new(Entries::default()),
        }
    }

    /// The bits kept for `segment` under `key`, or those `make` gives, kept
    /// if they fit. Two threads asking at once may both make them; one set
    /// is kept.
    pub fn get_or_make<E>(
        &self,
        segment: SegmentId,
        key: &str,
        make: impl FnOnce() -> Result<Vec<u64>, E>,
    ) -> Result<Bits, E> {
        let key = (segment, key.to_string());
        if let Some(bits) = self.entries().get(&key) {
            return Ok(bits);
        }
        let bits = Arc::new(make()?);
        self.entries().put(key, Arc::clone(&bits), self.budget);
        Ok(bits)
    }

    /// The bytes of bits kept now.
    pub fn bytes(&self) -> usize {
        self.entries().bytes
    }

    fn entries(&self) -> std::sync::MutexGuard<'_, Entries> {
        // A panic while holding the lock cannot leave an entry half made:
        // each change is one insert or remove with its byte count.
        self.inner
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

impl Entries {
    fn get(&mut self, key: &Key) -> Option<Bits> {
        self.uses += 1;
        let (bits, used) = self.bits.get_mut(key)?;
        *used = self.uses;
        Some(Arc::clone(bits))
    }

    fn put(&mut self, key: Key, bits: Bits, budget: usize) {
        let size = bits.len() * 8;
        if size > budget || self.bits.contains_key(&key) {
            return;
        }
        while self.bytes + size > budget {
            let oldest = self.bits.iter().min_by_key(|(_, (_, used))| *used);
            let Some(oldest) = oldest.map(|(key, _)| key.clone()) else {
                break;
            };
            if let Some((gone, _)) = self.bits.remove(&oldest) {
                self.bytes -= gone.len() * 8;
            }
        }
        self.bytes += size;
        self.uses += 1;
        self.bits.insert(key, (bits, self.uses));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::convert::Infallible;

    fn words(n: usize) -> Result<Vec<u64>, Infallible> {
        Ok(vec![7; n])
    }

    #[test]
    fn bits_are_made_once_and_the_least_recently_used_go_first() {
        let (a, b) = (SegmentId::generate_random(), SegmentId::generate_random());
        let cache = BitsCache::new(3 * 8 * 100);
        let made = std::cell::Cell::new(0);
        let get = |segment, key: &str| {
            cache
                .get_or_make(segment, key, || {
                    made.set(made.get() + 1);
                    words(100)
                })
                .unwrap()
        };
        get(a, "type");
        get(b, "type");
        get(a, "year");
        assert_eq!(made.get(), 3);
        // Used again: kept, not made.
        get(a, "type");
        assert_eq!(made.get(), 3);
        assert_eq!(cache.bytes(), 3 * 800);
        // Over the budget: (b, type), the least recently used, goes.
        get(b, "year");
        assert_eq!(made.get(), 4);
        assert_eq!(cache.bytes(), 3 * 800);
        get(a, "type");
        get(a, "year");
        assert_eq!(made.get(), 4);
        get(b, "type");
        assert_eq!(made.get(), 5);
    }

    #[test]
    fn bits_larger_than_the_budget_are_given_but_not_kept() {
        let cache = BitsCache::new(100);
        let segment = SegmentId::generate_random();
        let bits = cache.get_or_make(segment, "k", || words(20)).unwrap();
        assert_eq!(bits.len(), 20);
        assert_eq!(cache.bytes(), 0);
        let none = BitsCache::new(0);
        assert_eq!(
            none.get_or_make(segment, "k", || words(1)).unwrap().len(),
            1
        );
        assert_eq!(none.bytes(), 0);
    }
}
