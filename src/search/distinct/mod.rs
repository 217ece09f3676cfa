//! Each statement once: what tells the copies of a statement saved in
//! several files apart. Hits keep one of each key in their window
//! ([`dedup`]); every count of distinct statements (facets and totals,
//! papers, stats) is given the distinct matches by [`visit`].
//!
//! A statement's identity is its `dedup` key (`index::dedup_key`: its
//! paper's DOI and its text, hashed). Within a *base* of segments whose keys
//! are known to be distinct, matches need no telling apart and are counted
//! as they are; elsewhere their keys go through a [`CopySet`] and are looked
//! up in the base ([`CopyCounter`]).

mod dedup;
mod scope;
mod visit;

pub(super) use dedup::{original_first, top_unique};
pub(super) use visit::{count_distinct, SegmentCount, Wanted};

use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasherDefault, Hasher};

use tantivy::columnar::Column;
use tantivy::{DocId, SegmentReader};

use super::engine::Matcher;
use super::SearchError;
use crate::schema::{FastColumns, Fields};
use scope::{term_docs, Scope, ScopeColumns};
use visit::Settled;

/// The segments whose matches need no telling apart: those a build named
/// free of copies (`index::Provenance`'s `distinct_segments`, live ones).
/// Their matches are counted as they are; only the other segments' matches
/// are checked against them, key by key. Empty when the others are too many
/// for that to pay.
pub(super) fn base_segments(readers: &[SegmentReader], distinct: &[String]) -> Vec<usize> {
    let base: Vec<usize> = (0..readers.len())
        .filter(|&ord| distinct.contains(&readers[ord].segment_id().uuid_string()))
        .collect();
    // Looking keys up in the base pays when the other segments are an
    // update's few documents. Beside segments of its own size (a large first
    // build's, merged under the cap) a lookup per match cost 3.4 s for a
    // facet count at 1,000,000 pages: then a hash set of all keys is cheaper.
    // A key the base lacks is looked up in each of its segments in turn.
    let docs = |ords: &mut dyn Iterator<Item = usize>| -> u64 {
        ords.map(|ord| u64::from(readers[ord].max_doc())).sum()
    };
    let in_base = docs(&mut base.iter().copied());
    let others = docs(&mut (0..readers.len()).filter(|ord| !base.contains(ord)));
    let lookups = others.saturating_mul(base.len() as u64);
    if lookups.saturating_mul(OTHERS_PER_BASE) <= in_base {
        base
    } else {
        Vec::new()
    }
}

/// At most one document outside the base for this many in it, for the base
/// to be used.
const OTHERS_PER_BASE: u64 = 16;

/// The base's documents of one scope, by key, with their segment.
type BaseCopies = HashMap<u64, (usize, DocId)>;

/// Tells apart the copies of a statement saved in several files, so that each
/// is counted once: outside the base by a set of the keys seen, and against
/// the base, whose keys are distinct, by looking the key up among the base's
/// documents of its scope (its paper's or file's, [`scope`]).
struct CopyCounter {
    seen: CopySet,
    f: Fields,
    /// The base's segments, by ordinal, with their keys.
    base: Vec<(usize, SegmentReader, Column<u64>)>,
    /// The scope columns of the segments whose matches are looked up.
    scopes: HashMap<usize, ScopeColumns>,
    /// The last scope looked up (its segment and scope) and the base's
    /// documents in it by key: a page's statements follow one another, so
    /// one lookup serves them all.
    last: Option<((usize, Scope), BaseCopies)>,
    /// Matches outside the base whose key the base holds too, as (the base
    /// segment, its document, segment, document): counted only if the base's
    /// copy is deleted or does not match.
    deferred: Vec<(usize, DocId, usize, DocId)>,
}

impl CopyCounter {
    fn new(
        readers: &[SegmentReader],
        base: &[usize],
        f: &Fields,
    ) -> Result<CopyCounter, SearchError> {
        let base = base
            .iter()
            .map(|&ord| Ok((ord, readers[ord].clone(), readers[ord].u64_column(f.dedup)?)))
            .collect::<Result<_, SearchError>>()?;
        Ok(CopyCounter {
            seen: CopySet::default(),
            f: *f,
            base,
            scopes: HashMap::new(),
            last: None,
            deferred: Vec::new(),
        })
    }

    /// Adds to `kept` the documents of `docs` (segment `ord`'s, with their
    /// keys) that are the first copies seen outside the base and whose key
    /// the base lacks, and to `skipped` those whose key was seen already;
    /// defers those whose key the base has.
    fn first_seen(
        &mut self,
        (ord, reader): (usize, &SegmentReader),
        docs: &[DocId],
        keys: &[Option<u64>],
        kept: &mut Vec<DocId>,
        skipped: &mut Vec<DocId>,
    ) -> Result<(), SearchError> {
        for (&doc, key) in docs.iter().zip(keys) {
            let Some(key) = *key else {
                kept.push(doc);
                continue;
            };
            if !self.seen.insert(key) {
                skipped.push(doc);
                continue;
            }
            match self.base_copy(ord, reader, doc, key)? {
                Some((base_ord, base_doc)) => self.deferred.push((base_ord, base_doc, ord, doc)),
                None => kept.push(doc),
            }
        }
        Ok(())
    }

    /// The base's document with `key`, looked up among the base's documents
    /// in the scope of `doc` (of segment `ord`).
    fn base_copy(
        &mut self,
        ord: usize,
        reader: &SegmentReader,
        doc: DocId,
        key: u64,
    ) -> Result<Option<(usize, DocId)>, SearchError> {
        if self.base.is_empty() {
            return Ok(None);
        }
        let columns = self.scopes.entry(ord).or_default();
        let Some(scope) = columns.scope(reader, &self.f, doc)? else {
            return Ok(None);
        };
        if self.last.as_ref().map(|(at, _)| *at) != Some((ord, scope)) {
            let mut by_key = HashMap::new();
            if let Some(term) = columns.term(reader, &self.f, scope)? {
                // At most one base segment holds a key: they are distinct.
                for (base_ord, base, keys) in &self.base {
                    for base_doc in term_docs(base, &term)? {
                        if let Some(key) = keys.first(base_doc) {
                            by_key.insert(key, (*base_ord, base_doc));
                        }
                    }
                }
            }
            self.last = Some(((ord, scope), by_key));
        }
        Ok(self
            .last
            .as_ref()
            .and_then(|(_, by_key)| by_key.get(&key).copied()))
    }

    /// The deferred documents, told apart by whether their copy in the base
    /// counts (it is live and matches) or not.
    fn settle(
        mut self,
        matcher: &Matcher<'_>,
        readers: &[SegmentReader],
    ) -> Result<Settled, SearchError> {
        self.deferred.sort_unstable();
        let mut settled = Settled::default();
        for group in self.deferred.chunk_by(|a, b| a.0 == b.0) {
            let base = &readers[group[0].0];
            let base_docs: Vec<DocId> = group.iter().map(|d| d.1).collect();
            let matched = matcher.matches_among(base, &base_docs)?;
            let alive = base.alive_bitset();
            for (&(_, base_doc, ord, doc), matched) in group.iter().zip(matched) {
                let counts = matched && alive.is_none_or(|a| a.is_alive(base_doc));
                let to = if counts {
                    &mut settled.copies
                } else {
                    &mut settled.counted
                };
                to.entry(ord).or_default().push(doc);
            }
        }
        for docs in settled
            .counted
            .values_mut()
            .chain(settled.copies.values_mut())
        {
            docs.sort_unstable();
        }
        Ok(settled)
    }
}

/// The dedup keys of the statements counted so far. The keys are hashes
/// already (blake3), so they are their own hash: SipHash over 400,000 keys
/// was most of a facet count of a word in every statement.
pub(crate) type CopySet = HashSet<u64, BuildHasherDefault<KeyHasher>>;

#[derive(Default)]
pub(crate) struct KeyHasher(u64);

impl Hasher for KeyHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = self.0.rotate_left(8) ^ u64::from(b);
        }
    }
    fn write_u64(&mut self, key: u64) {
        self.0 = key;
    }
}
