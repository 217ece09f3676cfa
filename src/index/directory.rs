//! The directory queries read through: tantivy's memory-mapped directory, except
//! that an index on a read-only file system can still be searched.
//!
//! A tantivy reader takes the meta lock (a lock *file*) while it loads a commit,
//! so that a writer's garbage collection cannot delete files under it. Where
//! the file system is read-only the lock file cannot be created, and where it
//! cannot be created nobody can delete anything either, so the lock is not
//! needed: this wrapper then hands out a lock that guards nothing. Everything
//! else goes to the wrapped directory unchanged.

use std::io;
use std::path::Path;
use std::sync::Arc;

use tantivy::directory::error::{DeleteError, LockError, OpenReadError, OpenWriteError};
use tantivy::directory::{
    Directory, DirectoryLock, FileHandle, Lock, MmapDirectory, WatchCallback, WatchHandle, WritePtr,
};

#[derive(Clone, Debug)]
pub struct QueryDirectory {
    inner: MmapDirectory,
}

impl QueryDirectory {
    pub fn open(
        path: &Path,
    ) -> Result<QueryDirectory, tantivy::directory::error::OpenDirectoryError> {
        Ok(QueryDirectory {
            inner: MmapDirectory::open(path)?,
        })
    }
}

impl Directory for QueryDirectory {
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
        self.inner.open_write(path)
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
