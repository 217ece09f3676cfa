//! One hit per distinct statement.
//!
//! The same page saved twice (as `.html` and `.pdf`, say) puts the same
//! statements in the index twice, under one `dedup` key. Copies rank the same,
//! so fetching a few more hits than wanted and keeping one of each key is
//! exact; when copies crowd the window, the window grows. Of equal copies, the
//! one shown is the one a person would call the original: not named as a
//! browser or file manager names a second download or a copy (`name (1).txt`,
//! `name copy.txt`, `Copy of name.txt`), then the shortest path, then the
//! first in path order; so the answer depends neither on the order in which
//! parallel indexing wrote them nor on the window's size.

use std::collections::hash_map::Entry;
use std::collections::HashMap;

use tantivy::collector::DocSetCollector;
use tantivy::columnar::Column;
use tantivy::query::TermQuery;
use tantivy::schema::IndexRecordOption;
use tantivy::{DocAddress, Searcher, SegmentReader, Term};

use super::scope::ScopeColumns;
use super::CopySet;
use crate::schema::{FastColumns, Fields};
use crate::search::engine::{Matcher, RankKey};
use crate::search::SearchError;

/// The best `wanted` hits of `matcher`, one document per distinct statement.
/// `distinct` names the segments a build found free of copies
/// (`index::Provenance`): when it names every segment, no hit has a copy.
pub(in crate::search) fn top_unique(
    matcher: &Matcher<'_>,
    f: &Fields,
    distinct: &[String],
    wanted: usize,
) -> Result<Vec<(RankKey, DocAddress)>, SearchError> {
    let mut copies = CopyLookup::new(matcher.searcher(), f, distinct);
    let total = usize::try_from(matcher.searcher().num_docs())
        .unwrap_or(usize::MAX)
        .max(1);
    let mut fetch = wanted.saturating_mul(2).saturating_add(8).min(total);
    loop {
        let top = matcher.top(fetch)?;
        let exhausted = top.len() < fetch || fetch >= total;
        let mut kept = CopySet::default();
        let mut unique: Vec<(RankKey, DocAddress)> = Vec::with_capacity(wanted.min(fetch));
        for (key, addr) in top {
            // A document without a key (never written by citeindex) is its own.
            let new = match copies.key(addr)? {
                Some(dedup) => kept.insert(dedup),
                None => true,
            };
            if new {
                unique.push((key, addr));
            }
        }
        if unique.len() >= wanted || exhausted {
            unique.truncate(wanted);
            for hit in &mut unique {
                hit.1 = copies.first(hit.1)?;
            }
            return Ok(unique);
        }
        fetch = fetch.saturating_mul(4).min(total);
    }
}

/// The live documents outside the base, by key.
type OtherKeys = HashMap<u64, Vec<DocAddress>>;

/// Documents outside the base up to which a hit's copies are looked up in a
/// map of all their keys (an update's few files) rather than in its scope.
const FEW_OTHERS: u64 = 1 << 14;

/// The copies of statements, looked up by their `dedup` key: for a hit in
/// the base, among the few documents outside it; else among the documents of
/// its scope ([`super::scope`]). Each segment's columns are opened on first
/// use.
struct CopyLookup<'a> {
    searcher: &'a Searcher,
    f: &'a Fields,
    segments: HashMap<u32, SegmentCopies<'a>>,
    /// The segments named free of copies, across them too, by ordinal.
    base: Vec<u32>,
    /// The keys outside the base, read on first need: `Some(None)` when
    /// those documents are too many to read for a query.
    others: Option<Option<OtherKeys>>,
}

impl<'a> CopyLookup<'a> {
    fn new(searcher: &'a Searcher, f: &'a Fields, distinct: &[String]) -> CopyLookup<'a> {
        let base = (0u32..)
            .zip(searcher.segment_readers())
            .filter(|(_, r)| distinct.contains(&r.segment_id().uuid_string()))
            .map(|(ord, _)| ord)
            .collect();
        CopyLookup {
            searcher,
            f,
            segments: HashMap::new(),
            base,
            others: None,
        }
    }

    /// The statement's dedup key, if it has one.
    fn key(&mut self, addr: DocAddress) -> Result<Option<u64>, SearchError> {
        Ok(self.segment(addr.segment_ord)?.dedup.first(addr.doc_id))
    }

    /// Of the live copies of `addr`'s statement, the original (see the
    /// module's notes). Copies are found through the key, not among the
    /// ranked window, so the copy shown does not depend on the window's size
    /// (a page of hits shows the same file as the whole list).
    fn first(&mut self, addr: DocAddress) -> Result<DocAddress, SearchError> {
        // Every segment in the base: no key is there twice.
        if self.base.len() == self.searcher.segment_readers().len() {
            return Ok(addr);
        }
        let Some(key) = self.key(addr)? else {
            return Ok(addr);
        };
        // The base holds no key twice, so a base hit's copies are all
        // outside it.
        let others = match self.base.contains(&addr.segment_ord) {
            true => self.other_keys()?,
            false => None,
        };
        let copies = match others {
            Some(others) => others.get(&key).cloned().unwrap_or_default(),
            None => self.copies_in_scope(addr, key)?,
        };
        if copies.is_empty() {
            return Ok(addr);
        }
        let mut best = (Preference::of(self.path(addr)?), addr);
        for copy in copies {
            let preference = Preference::of(self.path(copy)?);
            if (&preference, copy) < (&best.0, best.1) {
                best = (preference, copy);
            }
        }
        Ok(best.1)
    }

    /// The live documents other than `addr` with its `key`, among the
    /// documents of its scope.
    fn copies_in_scope(
        &mut self,
        addr: DocAddress,
        key: u64,
    ) -> Result<Vec<DocAddress>, SearchError> {
        let f = self.f;
        let Some(term) = self.segment(addr.segment_ord)?.scope_term(f, addr.doc_id)? else {
            return Ok(Vec::new());
        };
        let query = TermQuery::new(term, IndexRecordOption::Basic);
        let mut copies = Vec::new();
        for doc in self.searcher.search(&query, &DocSetCollector)? {
            if doc != addr && self.key(doc)? == Some(key) {
                copies.push(doc);
            }
        }
        Ok(copies)
    }

    /// The keys of the live documents outside the base, when they are few.
    fn other_keys(&mut self) -> Result<Option<&OtherKeys>, SearchError> {
        if self.others.is_none() {
            let readers = self.searcher.segment_readers();
            let others: Vec<u32> = (0..readers.len() as u32)
                .filter(|ord| !self.base.contains(ord))
                .collect();
            let docs: u64 = others
                .iter()
                .map(|&ord| u64::from(readers[ord as usize].max_doc()))
                .sum();
            let mut keys = None;
            if docs <= FEW_OTHERS {
                let mut by_key = OtherKeys::new();
                for ord in others {
                    let reader = &readers[ord as usize];
                    let column = reader.u64_column(self.f.dedup)?;
                    let alive = reader.alive_bitset();
                    for doc in 0..reader.max_doc() {
                        let live = alive.is_none_or(|a| a.is_alive(doc));
                        if let (true, Some(key)) = (live, column.first(doc)) {
                            by_key
                                .entry(key)
                                .or_default()
                                .push(DocAddress::new(ord, doc));
                        }
                    }
                }
                keys = Some(by_key);
            }
            self.others = Some(keys);
        }
        Ok(self.others.as_ref().and_then(Option::as_ref))
    }

    fn path(&mut self, addr: DocAddress) -> Result<String, SearchError> {
        let f = self.f;
        let segment = self.segment(addr.segment_ord)?;
        segment.scope.path(segment.reader, f, addr.doc_id)
    }

    fn segment(&mut self, segment: u32) -> Result<&SegmentCopies<'a>, SearchError> {
        Ok(match self.segments.entry(segment) {
            Entry::Occupied(e) => e.into_mut(),
            Entry::Vacant(e) => {
                let reader = self.searcher.segment_reader(segment);
                e.insert(SegmentCopies::open(reader, self.f)?)
            }
        })
    }
}

/// How much a path looks like the original of a saved page: smaller is
/// more (a name without a copy's marks, then a shorter path, then the path).
#[derive(Debug, PartialEq, Eq, PartialOrd, Ord)]
struct Preference {
    copy_name: bool,
    length: usize,
    path: String,
}

impl Preference {
    fn of(path: String) -> Preference {
        Preference {
            copy_name: named_as_a_copy(&path),
            length: path.chars().count(),
            path,
        }
    }
}

/// Sorts paths of one page's copies with the original first (see the
/// module's notes).
pub(in crate::search) fn original_first(paths: &mut [String]) {
    paths.sort_by_cached_key(|p| Preference::of(p.clone()));
}

/// Whether a stored path's file name is one that browsers and file managers
/// give a second download or a copy: `name (1)`, `name - Copy`, `name - Copy
/// (2)`, `name copy`, `name copy 2`, `Copy of name`, `name (copy)`,
/// `name (another copy)`.
fn named_as_a_copy(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path);
    let stem = name.rsplit_once('.').map_or(name, |(stem, _)| stem);
    let stem = stem.trim().to_lowercase();
    if stem.starts_with("copy of ") || stem.ends_with("copy)") {
        return true;
    }
    // A counter in parentheses, or a macOS `copy 2`, at the end.
    let without_counter = match stem.strip_suffix(')').and_then(|s| s.rsplit_once('(')) {
        Some((before, n)) if is_number(n) => Some(before.trim_end()),
        _ => stem
            .rsplit_once(" copy ")
            .filter(|(_, n)| is_number(n))
            .map(|(before, _)| before.trim_end()),
    };
    match without_counter {
        Some(base) => !base.is_empty(),
        None => stem.ends_with(" copy"),
    }
}

fn is_number(text: &str) -> bool {
    !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit())
}

/// The columns deduplication reads, for one segment.
struct SegmentCopies<'a> {
    reader: &'a SegmentReader,
    dedup: Column<u64>,
    /// Its columns are opened on first use: only when some segment may hold
    /// copies, and only a statement saved in several files needs its path.
    scope: ScopeColumns,
}

impl<'a> SegmentCopies<'a> {
    fn open(reader: &'a SegmentReader, f: &Fields) -> Result<SegmentCopies<'a>, SearchError> {
        Ok(SegmentCopies {
            dedup: reader.u64_column(f.dedup)?,
            reader,
            scope: ScopeColumns::default(),
        })
    }

    /// The term whose documents hold every copy of `doc`'s statement.
    fn scope_term(&self, f: &Fields, doc: u32) -> Result<Option<Term>, SearchError> {
        match self.scope.scope(self.reader, f, doc)? {
            Some(scope) => self.scope.term(self.reader, f, scope),
            None => Ok(None),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn knows_the_names_of_copies() {
        for copy in [
            "dupes/name (1).txt",
            "name (12).html",
            "a/name - Copy.txt",
            "name - Copy (2).txt",
            "name copy.txt",
            "name copy 2.txt",
            "Copy of name.txt",
            "name (copy).txt",
            "name (another copy).txt",
            "name (3rd copy).pdf",
        ] {
            assert!(named_as_a_copy(copy), "{copy}");
        }
        for original in [
            "sleep/name.txt",
            "copy-number-variants.txt",
            "copyright (notes)/name.txt",
            "name (a).txt",
            "(1).txt",
            "name.txt (1)/page.txt",
            "photocopy.txt",
        ] {
            assert!(!named_as_a_copy(original), "{original}");
        }
    }

    #[test]
    fn prefers_the_original_then_the_shorter_path_then_the_path() {
        let mut paths = vec![
            "dupes/name (1).txt",
            "sleep/name.txt",
            "a/name.txt",
            "b/name.txt",
            "longer/folder/name.txt",
        ];
        paths.sort_by_key(|p| Preference::of(p.to_string()));
        assert_eq!(
            paths,
            [
                "a/name.txt",
                "b/name.txt",
                "sleep/name.txt",
                "longer/folder/name.txt",
                "dupes/name (1).txt"
            ]
        );
    }
}
