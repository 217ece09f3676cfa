//! The directory every index is opened through: tantivy's memory-mapped
//! directory, except that an index on a read-only file system can still be
//! searched, and that files are written in large pieces.
//!
//! **Writes.** tantivy writes a segment file through an 8 KB buffer, and the
//! page cache keeps what a small `write()` brings in as small pages. A query,
//! a process of its own, then maps and unmaps each page of the files it
//! touches one by one; written in 256 KB pieces, the same files come into the
//! page cache as large folios, which map and unmap in bulk (BENCHMARKS.md,
//! "Start-up": whole-process queries on an index copied with `cp` were faster
//! than on the identical index as the build left it).
//!
//! **Read-only file systems.**
//! A tantivy reader takes the meta lock (a lock *file*) while it loads a commit,
//! so that a writer's garbage collection cannot delete files under it. Where
//! the file system is read-only the lock file cannot be created, and where it
//! cannot be created nobody can delete anything either, so the lock is not
//! needed: this wrapper then hands out a lock that guards nothing. Everything
//! else goes to the wrapped directory unchanged.

use std::io::{self, BufWriter};
use std::path::Path;
use std::sync::Arc;

use tantivy::directory::error::{DeleteError, LockError, OpenReadError, OpenWriteError};
use tantivy::directory::{
    Directory, DirectoryLock, FileHandle, Lock, MmapDirectory, WatchCallback, WatchHandle, WritePtr,
};

/// What a file being written gathers before each `write()`.
const WRITE_BUFFER: usize = 256 * 1024;

#[derive(Clone, Debug)]
pub struct IndexDirectory {
    inner: MmapDirectory,
}

impl IndexDirectory {
    pub fn open(
        path: &Path,
    ) -> Result<IndexDirectory, tantivy::directory::error::OpenDirectoryError> {
        Ok(IndexDirectory {
            inner: MmapDirectory::open(path)?,
        })
    }
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
        // buffer and wraps it in an 8 KB one of its own, so the large buffer
        // goes inside, around the file itself.
        let file = self
            .inner
            .open_write(path)?
            .into_inner()
            .map_err(|e| OpenWriteError::wrap_io_error(e.into_error(), path.to_path_buf()))?;
        Ok(BufWriter::new(Box::new(BufWriter::with_capacity(
            WRITE_BUFFER,
            file,
        ))))
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

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;
    use tantivy::directory::TerminatingWrite;

    #[test]
    fn files_are_written_in_pieces_of_the_write_buffer() -> Result<(), Box<dyn std::error::Error>> {
        let dir = tempfile::tempdir()?;
        let directory = IndexDirectory::open(dir.path())?;
        let path = Path::new("segment.idx");
        let on_disk = || std::fs::metadata(dir.path().join(path)).map(|m| m.len());
        let mut file = directory.open_write(path)?;
        // tantivy's own buffer is 8 KB: without the large one, all but the
        // last 8 KB of these writes would be in the file already.
        let chunk = [7u8; 1024];
        let below = WRITE_BUFFER / chunk.len() - 16;
        for _ in 0..below {
            file.write_all(&chunk)?;
        }
        assert_eq!(on_disk()?, 0, "nothing written before the buffer is full");
        for _ in 0..32 {
            file.write_all(&chunk)?;
        }
        let written = on_disk()?;
        assert!(
            written >= (WRITE_BUFFER / 2) as u64,
            "one large write: {written}"
        );
        file.terminate()?;
        assert_eq!(
            on_disk()?,
            ((below + 32) * chunk.len()) as u64,
            "all of it at the end"
        );
        Ok(())
    }
}
