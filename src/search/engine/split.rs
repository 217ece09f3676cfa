//! Spreading a search for the best hits over the cores, a share of the
//! segments each.
//!
//! A large index is several segments of like size (merges are capped to
//! bound the build's memory, see `index::merges`): a million pages make eight.
//! Each segment is searched on its own anyway, so one thread per core takes a
//! share of them and keeps its own k best, and the shares' best are merged at
//! the end. In relevance order the threads also share the highest bound any
//! of them has reached, so that each prunes as if it had seen the others'
//! hits. An index with one large segment (up to about 150,000 pages), or a
//! small one, is searched on the calling thread as before.
//!
//! Counts (`facets`) share out their base segments the same way, or a single
//! large segment by ranges of its matches. Nothing here knows what a share's
//! work is: it never ranks or counts.

use std::cmp::Reverse;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::OnceLock;

use tantivy::{Score, SegmentReader};

/// How a search is spread over threads.
#[derive(Debug, Clone, Copy)]
pub(in crate::search) struct Split {
    /// Threads at most.
    pub workers: usize,
    /// Indexes with fewer documents are searched on one thread: the threads'
    /// start would cost more than they save.
    pub from_docs: u64,
    /// A count over one segment is shared out by ranges of its matches
    /// from this many matches.
    pub from_matches: u64,
}

/// An index under a million documents (about 50,000 pages) is searched on one
/// thread.
const FROM_DOCS: u64 = 1_000_000;

/// Fewer matches than this are tallied on one thread: a thread's start costs
/// about as much as tallying some thousands of them.
const FROM_MATCHES: u64 = 50_000;

impl Default for Split {
    fn default() -> Split {
        // Asked once: on Linux the answer reads the cgroup's files.
        static CORES: OnceLock<usize> = OnceLock::new();
        Split {
            workers: *CORES
                .get_or_init(|| std::thread::available_parallelism().map_or(1, |n| n.get())),
            from_docs: FROM_DOCS,
            from_matches: FROM_MATCHES,
        }
    }
}

impl Split {
    /// The segments each thread searches, ascending within a share; a
    /// single share when splitting would not pay.
    pub(in crate::search) fn shares(&self, readers: &[SegmentReader]) -> Vec<Vec<usize>> {
        let all: Vec<usize> = (0..readers.len()).collect();
        self.shares_of(readers, &all)
    }

    /// As [`Split::shares`], for the segments `ords` of `readers` only.
    pub(in crate::search) fn shares_of(
        &self,
        readers: &[SegmentReader],
        ords: &[usize],
    ) -> Vec<Vec<usize>> {
        let everything = || vec![ords.to_vec()];
        let docs = |ord: usize| u64::from(readers[ord].max_doc());
        let total: u64 = ords.iter().copied().map(docs).sum();
        let workers = self.workers.min(ords.len());
        if workers < 2 || total < self.from_docs {
            return everything();
        }
        // Largest first, each to the share with the fewest documents so far.
        let mut by_size = ords.to_vec();
        by_size.sort_by_key(|&ord| Reverse(docs(ord)));
        let mut shares: Vec<(u64, Vec<usize>)> = vec![(0, Vec::new()); workers];
        for ord in by_size {
            if let Some(share) = shares.iter_mut().min_by_key(|(load, _)| *load) {
                share.0 += docs(ord);
                share.1.push(ord);
            }
        }
        let heaviest = shares.iter().map(|s| s.0).max().unwrap_or(0);
        let lightest = shares.iter().map(|s| s.0).min().unwrap_or(0);
        // One segment much larger than the rest (a first build's, beside an
        // update's) would keep one thread busy while the others idle.
        if lightest.saturating_mul(4) < heaviest {
            return everything();
        }
        shares
            .into_iter()
            .map(|(_, mut share)| {
                // Within a share, segments in order, so that a document
                // tying with one already kept loses on its (higher) address.
                share.sort_unstable();
                share
            })
            .collect()
    }
}

/// `work` done on each share, in the shares' order: the first share on the
/// calling thread, each other on a thread of its own, or on the calling
/// thread in its turn when the system refuses a thread.
pub(in crate::search) fn on_threads<S: Sync, T: Send>(
    shares: &[S],
    work: impl Fn(&S) -> T + Sync,
) -> Vec<T> {
    let Some((own, others)) = shares.split_first() else {
        return Vec::new();
    };
    if others.is_empty() {
        return vec![work(own)];
    }
    let work = &work;
    std::thread::scope(|scope| {
        let started: Vec<_> = others
            .iter()
            .map(|share| {
                let thread = std::thread::Builder::new().spawn_scoped(scope, move || work(share));
                thread.map_err(|_| share)
            })
            .collect();
        let mut done = vec![work(own)];
        done.extend(started.into_iter().map(|thread| {
            match thread {
                Ok(thread) => thread
                    .join()
                    .unwrap_or_else(|e| std::panic::resume_unwind(e)),
                Err(refused) => work(refused),
            }
        }));
        done
    })
}

/// The highest k-th best score any thread has kept: no document scoring
/// below it can be among the k best of the whole index.
#[derive(Debug, Default)]
pub(in crate::search) struct SharedBound(AtomicU64);

impl SharedBound {
    /// Offers a thread's k-th best score (negative ones, "no bound yet", are
    /// ignored).
    pub(in crate::search) fn raise(&self, score: Score) {
        if score >= 0.0 {
            // Non-negative floats order as their bits do; 0 stands for none.
            self.0
                .fetch_max(u64::from(score.to_bits()) + 1, Ordering::Relaxed);
        }
    }

    /// The bound to prune with: just below the highest score offered, since
    /// tantivy offers only documents scoring above its bound, and a document
    /// scoring exactly that may still win the tie on its address.
    pub(in crate::search) fn get(&self) -> Score {
        match self.0.load(Ordering::Relaxed) {
            0 => Score::MIN,
            bits => {
                let score = Score::from_bits((bits - 1) as u32);
                if score > 0.0 {
                    Score::from_bits(score.to_bits() - 1)
                } else {
                    Score::MIN
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tantivy::schema::{Schema, STRING};
    use tantivy::{doc, Index, IndexWriter};

    /// Segments of the given numbers of documents.
    fn segments(sizes: &[usize]) -> Index {
        let mut builder = Schema::builder();
        let id = builder.add_text_field("id", STRING);
        let index = Index::create_in_ram(builder.build());
        let mut writer: IndexWriter = index.writer_with_num_threads(1, 15_000_000).unwrap();
        writer.set_merge_policy(Box::new(tantivy::indexer::NoMergePolicy));
        for &size in sizes {
            for i in 0..size {
                writer.add_document(doc!(id => i.to_string())).unwrap();
            }
            writer.commit().unwrap();
        }
        index
    }

    fn shares(sizes: &[usize], workers: usize, from_docs: u64) -> Vec<Vec<usize>> {
        let index = segments(sizes);
        let searcher = index.reader().unwrap().searcher();
        let readers = searcher.segment_readers();
        // Name shares by the sizes of their segments, whatever tantivy's order.
        Split {
            workers,
            from_docs,
            from_matches: 0,
        }
        .shares(readers)
        .into_iter()
        .map(|share| {
            let mut sizes: Vec<usize> = share
                .iter()
                .map(|&o| readers[o].max_doc() as usize)
                .collect();
            sizes.sort_unstable();
            sizes
        })
        .collect()
    }

    #[test]
    fn like_segments_are_shared_out_and_a_dominant_one_is_not() {
        let mut split = shares(&[400, 390, 380, 370], 2, 0);
        split.sort();
        assert_eq!(split, vec![vec![370, 400], vec![380, 390]]);
        // Every segment once, whatever the number of threads.
        let split = shares(&[400, 390, 380, 370, 20], 3, 0);
        assert_eq!(split.len(), 3);
        assert_eq!(split.iter().map(Vec::len).sum::<usize>(), 5);
        // A first build's segment beside an update's few documents.
        assert_eq!(shares(&[1_000, 30, 20], 2, 0), vec![vec![20, 30, 1_000]]);
        // Too small an index, or one thread.
        assert_eq!(shares(&[400, 390], 2, 10_000).len(), 1);
        assert_eq!(shares(&[400, 390], 1, 0).len(), 1);
    }

    #[test]
    fn the_shared_bound_is_the_highest_offered_and_lets_ties_through() {
        let bound = SharedBound::default();
        assert_eq!(bound.get(), Score::MIN);
        bound.raise(Score::MIN);
        assert_eq!(bound.get(), Score::MIN);
        bound.raise(2.5);
        bound.raise(1.0);
        assert!(bound.get() < 2.5 && bound.get() > 2.4999);
        bound.raise(7.0);
        assert!(bound.get() < 7.0 && bound.get() > 6.9999);
        let zero = SharedBound::default();
        zero.raise(0.0);
        assert!(zero.get() < 0.0);
    }
}
