//! The walk of the corpus folder against the index's manifest: which files
//! are new, which are gone, which may have changed and must be read, and
//! which are unchanged and are not opened.
//!
//! Both sides come sorted by the path as the index stores it, so one pass
//! compares them, and neither is ever held whole in memory: a million files
//! stream through in constant space.

use std::ops::ControlFlow;

use super::manifest::{Entry, Manifest};
use crate::crawl::{Assets, Found, FoundFile, Skip};

/// A file to read: new (no entry), or changed in size or time since the
/// manifest's entry.
pub(super) struct Job {
    pub file: FoundFile,
    pub entry: Option<Entry>,
}

/// What the comparison of the folder with the manifest found, besides the
/// jobs it queued.
#[derive(Default)]
pub(super) struct Comparison {
    /// Files queued to be read.
    pub read: u64,
    /// Files of the manifest no longer in the folder, and how many of them
    /// were pages.
    pub removed: u64,
    pub removed_pages: u64,
}

/// What the comparison found for one file (or one walk entry).
#[derive(Debug, PartialEq)]
pub(super) enum Step<'m> {
    /// To read: new to the index (`None`), or changed in size or time since
    /// its entry (or every file, when the parser changed).
    Read(FoundFile, Option<Entry>),
    /// The same size and time as its entry: not opened.
    Unchanged(Entry),
    /// In the index but no longer in the folder.
    Removed(&'m str, Entry),
    /// A walk entry that could not be looked at, with its reason.
    Skip(Skip),
    /// A saved page's asset folder: counted, never read.
    Assets(Assets),
}

/// The index's files, in the byte order of their stored paths.
pub(super) trait SortedEntries {
    fn for_each_sorted(
        &self,
        visit: impl FnMut(&str, Entry) -> ControlFlow<()>,
    ) -> tantivy::Result<()>;
}

impl SortedEntries for Manifest {
    fn for_each_sorted(
        &self,
        visit: impl FnMut(&str, Entry) -> ControlFlow<()>,
    ) -> tantivy::Result<()> {
        Manifest::for_each_sorted(self, visit)
    }
}

/// Hands `step` each [`Step`] of the walk against `manifest`, in path order,
/// until it says to stop. With `reread`, no file is unchanged.
pub(super) fn compare(
    walk: impl Iterator<Item = Found>,
    manifest: &impl SortedEntries,
    reread: bool,
    mut step: impl FnMut(Step<'_>) -> ControlFlow<()>,
) -> tantivy::Result<()> {
    let mut walk = walk.peekable();
    let mut stopped = false;
    manifest.for_each_sorted(|path, entry| {
        // Everything the walk has before `path`, then `path` itself if the
        // walk has it too; else `path` is gone from the folder.
        let mut this = Step::Removed(path, entry.clone());
        while let Some(found) =
            walk.next_if(|found| !matches!(found, Found::File(f) if f.stored.as_str() > path))
        {
            let before = match found {
                Found::Skip(skip) => Step::Skip(skip),
                Found::Assets(assets) => Step::Assets(assets),
                Found::File(file) if file.stored.as_str() < path => Step::Read(file, None),
                Found::File(file) => {
                    let same = entry.size == file.size && entry.mtime_ns == file.mtime_ns;
                    this = if same && !reread {
                        Step::Unchanged(entry)
                    } else {
                        Step::Read(file, Some(entry))
                    };
                    break;
                }
            };
            if step(before).is_break() {
                stopped = true;
                return ControlFlow::Break(());
            }
        }
        let flow = step(this);
        stopped = flow.is_break();
        flow
    })?;
    if stopped {
        return Ok(());
    }
    // What the walk has after the manifest's last path is new.
    for found in walk {
        let next = match found {
            Found::Skip(skip) => step(Step::Skip(skip)),
            Found::Assets(assets) => step(Step::Assets(assets)),
            Found::File(file) => step(Step::Read(file, None)),
        };
        if next.is_break() {
            break;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use tantivy::DocAddress;

    use super::*;

    /// A manifest held in memory, sorted as the index sorts.
    struct Listed(Vec<(String, Entry)>);

    impl SortedEntries for Listed {
        fn for_each_sorted(
            &self,
            mut visit: impl FnMut(&str, Entry) -> ControlFlow<()>,
        ) -> tantivy::Result<()> {
            for (path, entry) in &self.0 {
                if visit(path, entry.clone()).is_break() {
                    break;
                }
            }
            Ok(())
        }
    }

    fn entry(size: u64, doc: u32) -> Entry {
        Entry {
            size,
            mtime_ns: 7,
            skipped: false,
            record: DocAddress::new(0, doc),
        }
    }

    fn file(stored: &str, size: u64) -> Found {
        Found::File(FoundFile {
            path: PathBuf::from("corpus").join(stored),
            stored: stored.to_string(),
            size,
            mtime_ns: 7,
            page_name: true,
        })
    }

    /// Each step in words: `read a.txt (new)`, `unchanged 1`, `removed b.txt`.
    fn steps(walk: Vec<Found>, listed: &Listed, reread: bool, stop_after: usize) -> Vec<String> {
        let mut said = Vec::new();
        compare(walk.into_iter(), listed, reread, |step| {
            said.push(match step {
                Step::Read(f, None) => format!("read {} (new)", f.stored),
                Step::Read(f, Some(e)) => format!("read {} (was {})", f.stored, e.size),
                Step::Unchanged(e) => format!("unchanged {}", e.record.doc_id),
                Step::Removed(path, _) => format!("removed {path}"),
                Step::Skip(s) => format!("skip {}", s.reason),
                Step::Assets(a) => format!("assets {}", a.files),
            });
            if said.len() == stop_after {
                ControlFlow::Break(())
            } else {
                ControlFlow::Continue(())
            }
        })
        .expect("an in-memory manifest cannot fail");
        said
    }

    fn listed() -> Listed {
        Listed(vec![
            ("a.txt".into(), entry(10, 1)),
            ("c.txt".into(), entry(30, 2)),
            ("e.txt".into(), entry(50, 3)),
        ])
    }

    #[test]
    fn new_gone_changed_and_unchanged_files_are_told_apart_in_path_order() {
        let walk = vec![
            file("a.txt", 10),
            file("b.txt", 20),
            Found::Skip(Skip {
                path: "corpus/b2".into(),
                reason: "a link loop".into(),
            }),
            file("c.txt", 31),
            Found::Assets(Assets {
                folder: "corpus/d_files".into(),
                files: 4,
            }),
            file("f.txt", 60),
        ];
        assert_eq!(
            steps(walk, &listed(), false, usize::MAX),
            [
                "unchanged 1",
                "read b.txt (new)",
                "skip a link loop",
                "read c.txt (was 30)",
                "assets 4",
                "removed e.txt",
                "read f.txt (new)",
            ]
        );
    }

    #[test]
    fn under_another_parser_every_file_is_read_again() {
        let walk = vec![file("a.txt", 10), file("c.txt", 30), file("e.txt", 50)];
        assert_eq!(
            steps(walk, &listed(), true, usize::MAX),
            [
                "read a.txt (was 10)",
                "read c.txt (was 30)",
                "read e.txt (was 50)"
            ]
        );
    }

    #[test]
    fn an_empty_side_makes_everything_new_or_everything_gone() {
        let walk = vec![file("a.txt", 10), file("z.txt", 1)];
        assert_eq!(
            steps(walk, &Listed(Vec::new()), false, usize::MAX),
            ["read a.txt (new)", "read z.txt (new)"]
        );
        assert_eq!(
            steps(Vec::new(), &listed(), false, usize::MAX),
            ["removed a.txt", "removed c.txt", "removed e.txt"]
        );
    }

    #[test]
    fn a_stop_ends_the_comparison_at_once() {
        let walk = vec![file("a.txt", 11), file("b.txt", 20), file("f.txt", 60)];
        assert_eq!(
            steps(walk.clone(), &listed(), false, 2),
            ["read a.txt (was 10)", "read b.txt (new)"]
        );
        // After the manifest's last entry too.
        assert_eq!(steps(walk, &listed(), false, 4).len(), 4);
    }
}
