//! The directory every index is opened through: tantivy's memory-mapped
//! directory, except that an index on a read-only file system can still be
//! searched, and that files are written in large pieces.
//!
//! **Huge pages.** A query is a process of its own, and much of its time goes
//! to mapping the index's pages into memory and unmapping them at exit. Pages
//! the page cache holds as 4 KB folios are mapped one by one; a 2 MB folio is
//! mapped whole. So files are written in aligned 2 MB pieces, which the page
//! cache keeps as 2 MB folios, and on Linux every map is marked
//! `MADV_HUGEPAGE`, so that a file read back from disk (after a reboot, or once
//! the cache let it go) is read in 2 MB folios too. BENCHMARKS.md, "Start-up",
//! has the measurements.
//!
//! **Read-only file systems.**
//! A tantivy reader takes the meta lock (a lock *file*) while it loads a commit,
//! so that a writer's garbage collection cannot delete files under it. Where
//! the file system is read-only the lock file cannot be created, and where it
//! cannot be created nobody can delete anything either, so the lock is not
//! needed: this wrapper then hands out a lock that guards nothing. Everything
//! else goes to the wrapped directory unchanged.

use std::io::{self, BufWriter, Write};
use std::path::Path;
use std::sync::Arc;

use tantivy::directory::error::{
    DeleteError, LockError, OpenDirectoryError, OpenReadError, OpenWriteError,
};
use tantivy::directory::{
    AntiCallToken, Directory, DirectoryLock, FileHandle, Lock, MmapDirectory, TerminatingWrite,
    WatchCallback, WatchHandle, WritePtr,
};

/// What a file being written gathers before each `write()`: one huge page,
/// so that a written file can sit in the page cache as whole 2 MB folios.
const WRITE_PIECE: usize = 2 * 1024 * 1024;

#[derive(Clone, Debug)]
pub(super) struct IndexDirectory {
    inner: MmapDirectory,
}

impl IndexDirectory {
    pub(super) fn open(path: &Path) -> Result<IndexDirectory, OpenDirectoryError> {
        Ok(IndexDirectory {
            inner: open_mapped(path)?,
        })
    }
}

/// The memory-mapped directory, with its maps marked for huge pages where
/// the kernel has them: a page fault in such a map reads the file into the
/// page cache as 2 MB folios, which later queries map and unmap whole.
#[cfg(target_os = "linux")]
fn open_mapped(path: &Path) -> Result<MmapDirectory, OpenDirectoryError> {
    MmapDirectory::open_with_madvice(path, tantivy::directory::Advice::HugePage)
}

#[cfg(not(target_os = "linux"))]
fn open_mapped(path: &Path) -> Result<MmapDirectory, OpenDirectoryError> {
    MmapDirectory::open(path)
}

impl Directory for IndexDirectory {
    fn get_file_handle(&self, path: &Path) -> Result<Arc<dyn FileHandle>, OpenReadError> {
        self.inner.get_file_handle(path)
    }

    fn delete(&self, path: &Path) -> Result<(), DeleteError> {
        self.inner.delete(path)
    }

    fn exists(&self, path: &Path) -> Result<bool, OpenReadError> {
        self.inner.exists(path)
    }

    fn open_write(&self, path: &Path) -> Result<WritePtr, OpenWriteError> {
        // tantivy's managed directory takes the file out of the returned
        // buffer and wraps it in an 8 KB one of its own, so the pieces are
        // gathered inside, around the file itself.
        let file = self
            .inner
            .open_write(path)?
            .into_inner()
            .map_err(|e| OpenWriteError::wrap_io_error(e.into_error(), path.to_path_buf()))?;
        Ok(BufWriter::new(Box::new(PieceWriter::new(file))))
    }

    fn atomic_read(&self, path: &Path) -> Result<Vec<u8>, OpenReadError> {
        self.inner.atomic_read(path)
    }

    fn atomic_write(&self, path: &Path, data: &[u8]) -> io::Result<()> {
        self.inner.atomic_write(path, data)
    }

    fn sync_directory(&self) -> io::Result<()> {
        self.inner.sync_directory()
    }

    fn acquire_lock(&self, lock: &Lock) -> Result<DirectoryLock, LockError> {
        match self.inner.acquire_lock(lock) {
            Err(LockError::IoError(err)) if err.kind() == io::ErrorKind::ReadOnlyFilesystem => {
                Ok(DirectoryLock::from(Box::new(())))
            }
            other => other,
        }
    }

    fn watch(&self, watch_callback: WatchCallback) -> tantivy::Result<WatchHandle> {
        self.inner.watch(watch_callback)
    }
}

/// Passes a file's bytes on in pieces that end on multiples of `WRITE_PIECE`
/// in the file, so every `write()` but the first after a flush and the last
/// covers one whole 2 MB stretch. std's `BufWriter` would not do: it writes
/// what it holds whenever the next chunk does not fit, and its pieces, a
/// little short of its capacity, soon start off the boundaries a huge folio
/// needs.
struct PieceWriter {
    file: Box<dyn TerminatingWrite + Send + Sync>,
    /// Bytes passed on to the file so far.
    written: u64,
    piece: Vec<u8>,
}

impl PieceWriter {
    fn new(file: Box<dyn TerminatingWrite + Send + Sync>) -> PieceWriter {
        PieceWriter {
            file,
            written: 0,
            // Reserved, not filled: a small file holds only what it has.
            piece: Vec::with_capacity(WRITE_PIECE),
        }
    }

    /// What the piece takes before it reaches the next boundary.
    fn room(&self) -> usize {
        let into_stretch = (self.written % WRITE_PIECE as u64) as usize + self.piece.len();
        WRITE_PIECE - into_stretch
    }

    fn write_piece(&mut self) -> io::Result<()> {
        self.file.write_all(&self.piece)?;
        self.written += self.piece.len() as u64;
        self.piece.clear();
        Ok(())
    }
}

impl Write for PieceWriter {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        let taken = bytes.len().min(self.room());
        self.piece.extend_from_slice(&bytes[..taken]);
        if self.room() == 0 {
            self.write_piece()?;
        }
        Ok(taken)
    }

    /// Writes the part piece out; the next piece then stops at the next
    /// boundary, so one flush (tantivy flushes the positions file once per
    /// field) does not put the rest of the file off the boundaries.
    fn flush(&mut self) -> io::Result<()> {
        self.write_piece()?;
        self.file.flush()
    }
}

impl TerminatingWrite for PieceWriter {
    fn terminate_ref(&mut self, token: AntiCallToken) -> io::Result<()> {
        self.write_piece()?;
        self.file.terminate_ref(token)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tantivy::directory::TerminatingWrite;

    #[test]
    fn files_are_written_in_pieces_ending_on_the_boundaries(
    ) -> Result<(), Box<dyn std::error::Error>> {
        let dir = tempfile::tempdir()?;
        let directory = IndexDirectory::open(dir.path())?;
        let path = Path::new("segment.idx");
        let on_disk = || std::fs::metadata(dir.path().join(path)).map(|m| m.len());
        let mut file = directory.open_write(path)?;
        // Chunks that do not divide the piece, one larger than tantivy's own
        // 8 KB buffer: a buffer writing what it holds when the next chunk
        // does not fit would leave the file between boundaries.
        let chunks = [vec![1u8; 1000], vec![2u8; 10_000], vec![3u8; 333]];
        let piece = WRITE_PIECE as u64;
        let (mut written, mut flushed_at, mut boundaries) = (0u64, None, 0);
        while written < 4 * piece {
            for chunk in &chunks {
                file.write_all(chunk)?;
                written += chunk.len() as u64;
                let len = on_disk()?;
                assert!(
                    len % piece == 0 || Some(len) == flushed_at,
                    "{len} bytes on disk"
                );
                assert!(len <= written);
                boundaries = boundaries.max(len / piece);
            }
            // One flush between boundaries, as tantivy does after each
            // field's positions: it writes everything out.
            if flushed_at.is_none() && written > piece + piece / 3 {
                file.flush()?;
                assert_eq!(on_disk()?, written, "a flush writes all it has");
                flushed_at = Some(written);
            }
        }
        assert!(boundaries >= 3, "boundaries reached: {boundaries}");
        file.terminate()?;
        assert_eq!(on_disk()?, written, "all of it at the end");
        let bytes = std::fs::read(dir.path().join(path))?;
        let expected: Vec<u8> = chunks
            .iter()
            .cycle()
            .flat_map(|c| c.iter().copied())
            .take(written as usize)
            .collect();
        assert!(bytes == expected, "the bytes arrive whole and in order");
        Ok(())
    }
}
