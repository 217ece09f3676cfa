//! The index folder: generations of tantivy indexes, the pointer to the live
//! one, and the writers' lock.
//!
//! ```text
//! .citeindex/
//!   CURRENT        names the live generation; replaced with an atomic rename
//!   gen-000003/    the live tantivy index
//!   writer.lock    held (flock) by the one process that writes
//! ```
//!
//! Incremental updates commit inside the live generation (tantivy commits are
//! atomic). A full rebuild fills a new generation beside it and then swaps
//! `CURRENT`, so readers see the old index until the new one is complete, and a
//! crash at any point leaves `CURRENT` naming a complete index. Generations that
//! `CURRENT` does not name are debris of an interrupted rebuild, or the old
//! index after a swap, and the next writer removes them.

use std::fs::{self, File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};

use super::IndexError;

const CURRENT: &str = "CURRENT";
const LOCK: &str = "writer.lock";
const GEN_PREFIX: &str = "gen-";

/// What is at an index path.
#[derive(Debug, PartialEq, Eq)]
pub enum Presence {
    /// Nothing, or an empty folder.
    Absent,
    /// A first build that is running or died before publishing: only our own
    /// lock file and generation folders, no `CURRENT` yet.
    Unfinished,
    /// A citeindex index folder (`CURRENT` present).
    Index,
    /// Something else, which must not be overwritten.
    Foreign(String),
}

pub fn presence(dir: &Path) -> Presence {
    if !dir.exists() {
        return Presence::Absent;
    }
    if !dir.is_dir() {
        return Presence::Foreign("it is a file, not a folder".to_string());
    }
    if dir.join(CURRENT).is_file() {
        // Ours only when it names a generation that is there.
        return match current_generation(dir) {
            Ok(generation) if generation.is_dir() => Presence::Index,
            _ => Presence::Foreign("its CURRENT file names no generation folder".to_string()),
        };
    }
    let names: Vec<String> = match fs::read_dir(dir) {
        Ok(entries) => entries
            .filter_map(Result::ok)
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect(),
        Err(err) => return Presence::Foreign(crate::crawl::describe_io(&err)),
    };
    if names.is_empty() {
        Presence::Absent
    } else if names.iter().all(|n| is_own_file(n)) {
        Presence::Unfinished
    } else {
        Presence::Foreign("a folder with other files and no CURRENT file".to_string())
    }
}

/// Names that only citeindex puts in an index folder.
fn is_own_file(name: &str) -> bool {
    name == LOCK || name == format!("{CURRENT}.tmp") || is_generation_name(name)
}

/// The live generation's folder, read from `CURRENT`.
pub fn current_generation(dir: &Path) -> Result<PathBuf, IndexError> {
    let pointer = dir.join(CURRENT);
    let name = fs::read_to_string(&pointer).map_err(|source| IndexError::Io {
        what: "cannot read",
        path: pointer.clone(),
        source,
    })?;
    let name = name.trim();
    if !is_generation_name(name) {
        return Err(IndexError::NotAnIndex(
            dir.to_path_buf(),
            format!("CURRENT names `{name}`, not a generation"),
        ));
    }
    Ok(dir.join(name))
}

/// Exclusive right to write the index, held until dropped. The operating
/// system releases it when the process dies, so a killed writer never leaves a
/// stale lock behind.
#[derive(Debug)]
pub struct WriterLock {
    _file: File,
}

pub fn lock(dir: &Path) -> Result<WriterLock, IndexError> {
    let path = dir.join(LOCK);
    let file = OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)
        .map_err(|source| IndexError::Io {
            what: "cannot open the lock file",
            path: path.clone(),
            source,
        })?;
    match file.try_lock() {
        Ok(()) => Ok(WriterLock { _file: file }),
        Err(fs::TryLockError::WouldBlock) => Err(IndexError::Locked(dir.to_path_buf())),
        Err(fs::TryLockError::Error(source)) => Err(IndexError::Io {
            what: "cannot lock",
            path,
            source,
        }),
    }
}

/// A fresh, empty generation folder, numbered after every existing one.
/// Call with the lock held.
pub fn new_generation(dir: &Path) -> Result<PathBuf, IndexError> {
    let next = generations(dir)?
        .iter()
        .filter_map(|name| name[GEN_PREFIX.len()..].parse::<u64>().ok())
        .max()
        .map_or(1, |n| n + 1);
    let path = dir.join(format!("{GEN_PREFIX}{next:06}"));
    fs::create_dir(&path).map_err(|source| IndexError::Io {
        what: "cannot create",
        path: path.clone(),
        source,
    })?;
    Ok(path)
}

/// Makes `generation` the live index: writes `CURRENT.tmp`, syncs it, and
/// renames it over `CURRENT` (atomic on POSIX file systems).
pub fn publish(dir: &Path, generation: &Path) -> Result<(), IndexError> {
    let name = generation
        .file_name()
        .and_then(|n| n.to_str())
        .filter(|n| is_generation_name(n))
        .ok_or_else(|| {
            IndexError::NotAnIndex(generation.to_path_buf(), "not a generation folder".into())
        })?;
    let tmp = dir.join(format!("{CURRENT}.tmp"));
    let io = |what: &'static str, path: &Path| {
        let path = path.to_path_buf();
        move |source| IndexError::Io { what, path, source }
    };
    let mut file = File::create(&tmp).map_err(io("cannot write", &tmp))?;
    file.write_all(format!("{name}\n").as_bytes())
        .and_then(|()| file.sync_all())
        .map_err(io("cannot write", &tmp))?;
    fs::rename(&tmp, dir.join(CURRENT)).map_err(io("cannot replace", &dir.join(CURRENT)))?;
    // The rename is durable only once the folder itself is synced.
    sync_folder(dir).map_err(io("cannot sync", dir))
}

/// Makes a rename inside `dir` durable. Windows cannot open a folder as a
/// file to sync it, and its renames need no such step; a file system that
/// cannot sync folders at all says so with EINVAL. Any other failure (a
/// failing disk) is an error the caller must hear of.
pub fn sync_folder(dir: &Path) -> std::io::Result<()> {
    if cfg!(windows) {
        return Ok(());
    }
    match File::open(dir)?.sync_all() {
        Err(e) if e.kind() == std::io::ErrorKind::InvalidInput => Ok(()),
        other => other,
    }
}

/// Removes every generation that `CURRENT` does not name, and stray temporary
/// files. Call with the lock held. Failing to remove debris is not an error:
/// the next writer tries again.
pub fn collect_garbage(dir: &Path) -> Result<(), IndexError> {
    let live = match current_generation(dir) {
        Ok(path) => path.file_name().map(|n| n.to_string_lossy().into_owned()),
        // A CURRENT we cannot read: delete nothing (it may not be ours).
        Err(_) if dir.join(CURRENT).exists() => return Ok(()),
        Err(_) => None,
    };
    for name in generations(dir)? {
        if Some(&name) != live.as_ref() {
            let _ = fs::remove_dir_all(dir.join(&name));
        }
    }
    let _ = fs::remove_file(dir.join(format!("{CURRENT}.tmp")));
    Ok(())
}

/// After a first build failed: removes the lock file, and the folder itself
/// when this run created it and nothing else is in it.
pub fn remove_leftovers(dir: &Path, created: bool) {
    let _ = fs::remove_file(dir.join(LOCK));
    let _ = fs::remove_file(dir.join(format!("{CURRENT}.tmp")));
    if created {
        let _ = fs::remove_dir(dir);
    }
}

/// Removes a generation that was never published (a failed rebuild).
pub fn discard(generation: &Path) {
    let _ = fs::remove_dir_all(generation);
}

fn generations(dir: &Path) -> Result<Vec<String>, IndexError> {
    let entries = fs::read_dir(dir).map_err(|source| IndexError::Io {
        what: "cannot read",
        path: dir.to_path_buf(),
        source,
    })?;
    Ok(entries
        .filter_map(Result::ok)
        .filter_map(|e| e.file_name().to_str().map(str::to_string))
        .filter(|name| is_generation_name(name))
        .collect())
}

fn is_generation_name(name: &str) -> bool {
    name.strip_prefix(GEN_PREFIX)
        .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generations_publish_and_collect() -> Result<(), Box<dyn std::error::Error>> {
        let dir = tempfile::tempdir()?;
        let d = dir.path();
        assert_eq!(presence(d), Presence::Absent);
        let _lock = lock(d)?;
        let first = new_generation(d)?;
        publish(d, &first)?;
        assert_eq!(presence(d), Presence::Index);
        assert_eq!(current_generation(d)?, first);
        let second = new_generation(d)?;
        assert!(second.ends_with("gen-000002"));
        publish(d, &second)?;
        collect_garbage(d)?;
        assert!(!first.exists());
        assert!(second.exists());
        Ok(())
    }

    #[test]
    fn a_second_writer_is_refused_until_the_first_lets_go() -> Result<(), Box<dyn std::error::Error>>
    {
        let dir = tempfile::tempdir()?;
        let held = lock(dir.path())?;
        assert!(matches!(lock(dir.path()), Err(IndexError::Locked(_))));
        drop(held);
        lock(dir.path())?;
        Ok(())
    }

    #[test]
    fn a_first_build_that_died_is_unfinished_not_foreign() -> Result<(), Box<dyn std::error::Error>>
    {
        let dir = tempfile::tempdir()?;
        let _lock = lock(dir.path())?;
        new_generation(dir.path())?;
        assert_eq!(presence(dir.path()), Presence::Unfinished);
        fs::write(dir.path().join("notes.txt"), "mine")?;
        assert!(matches!(presence(dir.path()), Presence::Foreign(_)));
        Ok(())
    }

    #[test]
    fn foreign_folders_are_recognised() -> std::io::Result<()> {
        let dir = tempfile::tempdir()?;
        fs::write(dir.path().join("thesis.docx"), "x")?;
        assert!(matches!(presence(dir.path()), Presence::Foreign(_)));
        let file = dir.path().join("thesis.docx");
        assert!(matches!(presence(&file), Presence::Foreign(_)));
        Ok(())
    }
}
