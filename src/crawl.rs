//! Walking a corpus folder: every regular file with its size and modification
//! time, and whether its name says it is a saved page.
//!
//! The walk follows symbolic links (a corpus is often a folder of links) but
//! reports a link loop instead of entering it, skips hidden entries and the
//! index folder itself, and turns every problem into a [`Skip`] with a reason.
//! It reads no file contents: that is the parser's job.

use std::path::{Path, PathBuf};

use walkdir::WalkDir;

/// File name endings the crawler reads as saved pages.
pub const PAGE_EXTENSIONS: [&str; 4] = ["txt", "text", "html", "htm"];

/// What the walk found.
#[derive(Debug, Default)]
pub struct Listing {
    /// Regular files, sorted by path so that runs are repeatable.
    pub files: Vec<FoundFile>,
    /// Entries that could not be looked at (a link loop, a permission problem),
    /// each with its reason.
    pub skipped: Vec<Skip>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FoundFile {
    pub path: PathBuf,
    pub size: u64,
    /// Modification time in nanoseconds since the epoch (0 when unknown).
    pub mtime_ns: u64,
    /// The name ends in one of [`PAGE_EXTENSIONS`].
    pub page_name: bool,
}

impl FoundFile {
    /// Why a file is not read, when its name already says so.
    pub fn name_skip_reason(&self) -> Option<String> {
        if self.page_name {
            return None;
        }
        let what = self.path.extension().map_or_else(
            || "no extension".to_string(),
            |e| format!(".{}", e.to_string_lossy()),
        );
        Some(format!(
            "not a saved page ({what}); pages end in .txt, .text, .html or .htm"
        ))
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Skip {
    pub path: PathBuf,
    pub reason: String,
}

/// Lists the files below `root`, leaving out `exclude` (the index folder) and
/// hidden entries. `root` itself may be a single file.
pub fn list(root: &Path, exclude: Option<&Path>) -> Listing {
    let exclude = exclude.and_then(|p| p.canonicalize().ok());
    let mut listing = Listing::default();
    let walk = WalkDir::new(root)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|entry| {
            if entry.depth() > 0 && is_hidden(entry.file_name()) {
                return false;
            }
            match &exclude {
                Some(ex) if entry.file_type().is_dir() => {
                    entry.path().canonicalize().map_or(true, |p| &p != ex)
                }
                _ => true,
            }
        });
    for entry in walk {
        let entry = match entry {
            Ok(entry) => entry,
            Err(err) => {
                let path = err
                    .path()
                    .map_or_else(|| root.to_path_buf(), Path::to_path_buf);
                let dangling = path.symlink_metadata().is_ok_and(|m| m.is_symlink())
                    && path.metadata().is_err();
                let reason = if err.loop_ancestor().is_some() {
                    "a symbolic link loop; not followed".to_string()
                } else if dangling {
                    "a dangling symbolic link".to_string()
                } else if let Some(io) = err.io_error() {
                    describe_io(io)
                } else {
                    err.to_string()
                };
                listing.skipped.push(Skip { path, reason });
                continue;
            }
        };
        if entry.file_type().is_dir() {
            continue;
        }
        let path = entry.path().to_path_buf();
        if !entry.file_type().is_file() {
            listing.skipped.push(Skip {
                path,
                reason: "not a regular file".to_string(),
            });
            continue;
        }
        match entry.metadata() {
            Ok(meta) => listing.files.push(FoundFile {
                page_name: has_page_extension(&path),
                path,
                size: meta.len(),
                mtime_ns: meta
                    .modified()
                    .ok()
                    .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
                    .map_or(0, |d| d.as_nanos() as u64),
            }),
            Err(err) => listing.skipped.push(Skip {
                path,
                reason: err.io_error().map_or_else(|| err.to_string(), describe_io),
            }),
        }
    }
    listing
}

pub fn has_page_extension(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| PAGE_EXTENSIONS.iter().any(|x| x.eq_ignore_ascii_case(e)))
}

fn is_hidden(name: &std::ffi::OsStr) -> bool {
    name.as_encoded_bytes().first() == Some(&b'.')
}

/// Opens a file for reading only if it is (still) a regular file. The walk
/// checked that, but the file may have been replaced since: a FIFO opened
/// normally would block until some writer came, so it is opened without
/// blocking and refused.
pub fn open_regular(path: &Path) -> Result<std::fs::File, String> {
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(target_os = "linux")]
    {
        use std::os::unix::fs::OpenOptionsExt;
        const O_NONBLOCK: i32 = 0o4000;
        options.custom_flags(O_NONBLOCK);
    }
    let file = options.open(path).map_err(|e| describe_io(&e))?;
    let meta = file.metadata().map_err(|e| describe_io(&e))?;
    if !meta.is_file() {
        return Err("not a regular file".to_string());
    }
    Ok(file)
}

/// An I/O error in the words a user needs.
pub fn describe_io(err: &std::io::Error) -> String {
    match err.kind() {
        std::io::ErrorKind::PermissionDenied => "permission denied".to_string(),
        std::io::ErrorKind::NotFound => "vanished while the folder was read".to_string(),
        _ => err.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;

    #[test]
    fn lists_pages_and_skips_the_rest() -> std::io::Result<()> {
        let dir = tempfile::tempdir()?;
        let root = dir.path();
        fs::create_dir_all(root.join("a/b"))?;
        fs::create_dir_all(root.join(".hidden"))?;
        fs::create_dir_all(root.join("index"))?;
        fs::write(root.join("a/one.txt"), "x")?;
        fs::write(root.join("a/b/two.HTML"), "x")?;
        fs::write(root.join("a/figure.png"), "x")?;
        fs::write(root.join(".hidden/three.txt"), "x")?;
        fs::write(root.join(".dotfile.txt"), "x")?;
        fs::write(root.join("index/meta.txt"), "x")?;
        let listing = list(root, Some(&root.join("index")));
        let files: Vec<(PathBuf, bool)> = listing
            .files
            .iter()
            .filter_map(|f| Some((f.path.strip_prefix(root).ok()?.to_path_buf(), f.page_name)))
            .collect();
        assert_eq!(
            files,
            vec![
                (PathBuf::from("a/b/two.HTML"), true),
                (PathBuf::from("a/figure.png"), false),
                (PathBuf::from("a/one.txt"), true)
            ]
        );
        assert!(listing.skipped.is_empty());
        let reason = listing.files[1].name_skip_reason().unwrap_or_default();
        assert!(reason.contains(".png"), "{reason}");
        Ok(())
    }

    #[cfg(unix)]
    #[test]
    fn a_link_loop_is_reported_not_followed() -> std::io::Result<()> {
        let dir = tempfile::tempdir()?;
        fs::create_dir(dir.path().join("sub"))?;
        std::os::unix::fs::symlink(dir.path(), dir.path().join("sub/loop"))?;
        fs::write(dir.path().join("sub/page.txt"), "x")?;
        let listing = list(dir.path(), None);
        let pages: Vec<_> = listing.files.iter().filter(|f| f.page_name).collect();
        assert_eq!(pages.len(), 1);
        assert!(listing.skipped.iter().any(|s| s.reason.contains("loop")));
        Ok(())
    }
}
