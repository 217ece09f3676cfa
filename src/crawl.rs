//! Walking a corpus folder: every regular file with its size and modification
//! time, and whether its name says it is a saved page.
//!
//! The walk follows symbolic links (a corpus is often a folder of links) but
//! reports a link loop instead of entering it, skips hidden entries and the
//! index folder itself, and turns every problem into a [`Skip`] with a reason.
//! It reads no file contents: that is the parser's job.
//!
//! A browser's "Webpage, Complete" save is a page `NAME.html` beside a folder
//! `NAME_files/` of its scripts, styles, images and frames. Such a folder is
//! part of the page, not more pages: the walk does not enter it, and reports
//! it once as [`Found::Assets`] with the number of files it holds.
//!
//! Files come out in the byte order of their stored paths ([`relative_path`]),
//! one at a time: the index's manifest is sorted the same way, so the indexer
//! compares the two as a merge of sorted streams and never holds a list of the
//! corpus. Only the entries of the folder being read are in memory at once.

use std::path::{Path, PathBuf};

use walkdir::WalkDir;

/// File name endings the crawler reads as saved pages.
pub const PAGE_EXTENSIONS: [&str; 8] = [
    "txt",
    "text",
    "html",
    "htm",
    "mhtml",
    "mht",
    "webarchive",
    "pdf",
];

/// What the walk found, collected (for tools and tests; the indexer streams
/// [`walk`] instead).
#[derive(Debug, Default)]
pub struct Listing {
    /// Regular files, in the order of their stored paths.
    pub files: Vec<FoundFile>,
    /// Entries that could not be looked at (a link loop, a permission problem),
    /// each with its reason.
    pub skipped: Vec<Skip>,
    /// Saved pages' asset folders, not entered.
    pub assets: Vec<Assets>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FoundFile {
    pub path: PathBuf,
    /// The path as the index stores it: see [`relative_path`].
    pub stored: String,
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
            "not a saved page ({what}); pages end in .txt, .text, .html, .htm, .mhtml, .mht, .webarchive or .pdf"
        ))
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Skip {
    pub path: PathBuf,
    pub reason: String,
}

/// A saved page's folder of assets (`NAME_files/` beside `NAME.html`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Assets {
    pub folder: PathBuf,
    /// Regular files below the folder, none of them read.
    pub files: u64,
}

/// One step of the walk.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Found {
    File(FoundFile),
    Skip(Skip),
    Assets(Assets),
}

/// Lists the files below `root` into memory: [`walk`], collected.
pub fn list(root: &Path, exclude: Option<&Path>) -> Listing {
    let mut listing = Listing::default();
    for found in walk(root, exclude) {
        match found {
            Found::File(file) => listing.files.push(file),
            Found::Skip(skip) => listing.skipped.push(skip),
            Found::Assets(assets) => listing.assets.push(assets),
        }
    }
    listing
}

/// Walks the files below `root`, leaving out `exclude` (the index folder) and
/// hidden entries. `root` itself may be a single file. Files come in the byte
/// order of their stored paths; problems come as [`Found::Skip`], and saved
/// pages' asset folders as [`Found::Assets`], in between.
pub fn walk(root: &Path, exclude: Option<&Path>) -> impl Iterator<Item = Found> {
    let root_path = root.to_path_buf();
    let mut entries = walker(root, exclude, true);
    std::iter::from_fn(move || loop {
        let entry = entries.next()?;
        if let Ok(dir) = &entry {
            if dir.depth() > 0 && dir.file_type().is_dir() && is_asset_folder(dir.path()) {
                entries.skip_current_dir();
                return Some(Found::Assets(Assets {
                    folder: dir.path().to_path_buf(),
                    files: count_below(dir.path()),
                }));
            }
        }
        if let Some(found) = found(&root_path, entry) {
            return Some(found);
        }
    })
}

/// One `()` per regular file [`walk`] would yield, found without sorting
/// folders or reading metadata: a progress bar counts them as they come.
pub fn count_files(root: &Path, exclude: Option<&Path>) -> impl Iterator<Item = ()> {
    let mut entries = walker(root, exclude, false);
    std::iter::from_fn(move || loop {
        let Ok(entry) = entries.next()? else {
            continue;
        };
        if entry.file_type().is_file() {
            return Some(());
        }
        if entry.depth() > 0 && entry.file_type().is_dir() && is_asset_folder(entry.path()) {
            entries.skip_current_dir();
        }
    })
}

/// Whether `dir` is a saved page's asset folder: `NAME_files` with a page
/// `NAME.html` or `NAME.htm` beside it. A folder that merely ends in `_files`
/// is an ordinary folder.
pub fn is_asset_folder(dir: &Path) -> bool {
    let Some(name) = dir.file_name().and_then(|n| n.to_str()) else {
        return false;
    };
    let Some(stem) = name
        .len()
        .checked_sub("_files".len())
        .filter(|&at| name.is_char_boundary(at) && name[at..].eq_ignore_ascii_case("_files"))
        .map(|at| &name[..at])
    else {
        return false;
    };
    let Some(parent) = dir.parent() else {
        return false;
    };
    !stem.is_empty()
        && ["html", "htm", "HTML", "HTM"]
            .iter()
            .any(|ext| parent.join(format!("{stem}.{ext}")).is_file())
}

/// Regular files below a folder, links followed (loops are not).
fn count_below(dir: &Path) -> u64 {
    WalkDir::new(dir)
        .follow_links(true)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .count() as u64
}

/// The walkdir walk both share: links followed, hidden entries and the
/// excluded folder left out, folders sorted by [`sort_key`] when `sorted`.
fn walker(
    root: &Path,
    exclude: Option<&Path>,
    sorted: bool,
) -> walkdir::FilterEntry<walkdir::IntoIter, impl FnMut(&walkdir::DirEntry) -> bool> {
    let exclude = exclude.and_then(|p| dunce::canonicalize(p).ok());
    let mut walk = WalkDir::new(root).follow_links(true);
    if sorted {
        walk = walk.sort_by(|a, b| sort_key(a).cmp(&sort_key(b)));
    }
    walk.into_iter().filter_entry(move |entry| {
        if entry.depth() > 0 && is_hidden(entry.file_name()) {
            return false;
        }
        match &exclude {
            Some(ex) if entry.file_type().is_dir() => {
                dunce::canonicalize(entry.path()).map_or(true, |p| &p != ex)
            }
            _ => true,
        }
    })
}

/// The key a folder's entries are sorted by: the name as stored, and a `/`
/// after a folder's. Sorting names alone would not do: `a.txt` sorts before
/// `a/b.txt` as a stored path (`.` < `/`), but folder `a` before file `a.txt`
/// as a name. With the `/`, a depth-first walk yields stored paths in order.
fn sort_key(entry: &walkdir::DirEntry) -> String {
    let mut key = escape_name(entry.file_name());
    let ty = entry.file_type();
    // A link is sorted as what it points to, as the walk will follow it.
    if ty.is_dir() || (ty.is_symlink() && entry.path().is_dir()) {
        key.push('/');
    }
    key
}

/// One walkdir entry as a step of the walk; `None` for a folder.
fn found(root: &Path, entry: walkdir::Result<walkdir::DirEntry>) -> Option<Found> {
    let entry = match entry {
        Ok(entry) => entry,
        Err(err) => {
            let path = err
                .path()
                .map_or_else(|| root.to_path_buf(), Path::to_path_buf);
            let dangling =
                path.symlink_metadata().is_ok_and(|m| m.is_symlink()) && path.metadata().is_err();
            let reason = if err.loop_ancestor().is_some() {
                "a symbolic link loop; not followed".to_string()
            } else if dangling {
                "a dangling symbolic link".to_string()
            } else if let Some(io) = err.io_error() {
                describe_io(io)
            } else {
                err.to_string()
            };
            return Some(Found::Skip(Skip { path, reason }));
        }
    };
    if entry.file_type().is_dir() {
        return None;
    }
    let path = entry.path().to_path_buf();
    if !entry.file_type().is_file() {
        return Some(Found::Skip(Skip {
            path,
            reason: "not a regular file".to_string(),
        }));
    }
    Some(match entry.metadata() {
        Ok(meta) => Found::File(FoundFile {
            page_name: has_page_extension(&path),
            stored: relative_path(root, &path),
            path,
            size: meta.len(),
            mtime_ns: meta
                .modified()
                .ok()
                .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
                .map_or(0, |d| d.as_nanos() as u64),
        }),
        Err(err) => Found::Skip(Skip {
            path,
            reason: err.io_error().map_or_else(|| err.to_string(), describe_io),
        }),
    })
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

/// The path as the index stores it: relative to the corpus root, `/`-separated.
/// A name that is not UTF-8 keeps its bad bytes as `\xNN`, so that two names
/// differing only there stay two paths.
pub fn relative_path(root: &Path, path: &Path) -> String {
    let rel = match path.strip_prefix(root) {
        Ok(rel) if !rel.as_os_str().is_empty() => rel,
        _ => path.file_name().map_or(path, Path::new),
    };
    rel.components()
        .map(|c| escape_name(c.as_os_str()))
        .collect::<Vec<_>>()
        .join("/")
}

fn escape_name(name: &std::ffi::OsStr) -> String {
    if let Some(s) = name.to_str() {
        return s.to_string();
    }
    let bytes = name.as_encoded_bytes();
    let mut out = String::with_capacity(bytes.len() + 8);
    let mut rest = bytes;
    while !rest.is_empty() {
        match std::str::from_utf8(rest) {
            Ok(s) => {
                out.push_str(s);
                break;
            }
            Err(e) => {
                let (good, bad) = rest.split_at(e.valid_up_to());
                out.push_str(std::str::from_utf8(good).unwrap_or_default());
                let n = e.error_len().unwrap_or(bad.len()).max(1);
                for b in &bad[..n] {
                    out.push_str(&format!("\\x{b:02X}"));
                }
                rest = &bad[n..];
            }
        }
    }
    out
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

    #[test]
    fn a_saved_pages_asset_folder_is_reported_once_not_entered() -> std::io::Result<()> {
        let dir = tempfile::tempdir()?;
        let root = dir.path();
        fs::create_dir_all(root.join("Spindles _ scite_files/sub"))?;
        fs::write(root.join("Spindles _ scite.html"), "x")?;
        fs::write(root.join("Spindles _ scite_files/app.js"), "x")?;
        fs::write(root.join("Spindles _ scite_files/frame.html"), "x")?;
        fs::write(root.join("Spindles _ scite_files/sub/logo.png"), "x")?;
        // No page beside it: an ordinary folder.
        fs::create_dir_all(root.join("old_files"))?;
        fs::write(root.join("old_files/page.txt"), "x")?;
        let listing = list(root, None);
        let stored: Vec<&str> = listing.files.iter().map(|f| f.stored.as_str()).collect();
        assert_eq!(stored, vec!["Spindles _ scite.html", "old_files/page.txt"]);
        assert_eq!(listing.assets.len(), 1);
        assert_eq!(listing.assets[0].files, 3);
        assert!(listing.assets[0].folder.ends_with("Spindles _ scite_files"));
        assert_eq!(count_files(root, None).count(), 2);
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

    #[cfg(unix)]
    #[test]
    fn files_come_in_the_byte_order_of_their_stored_paths() -> std::io::Result<()> {
        use std::os::unix::ffi::OsStrExt;
        let dir = tempfile::tempdir()?;
        let root = dir.path();
        // Names around `/` (0x2F) in byte order: ' ', '-', '.', '0', 'A', '_', 'a'.
        for sub in ["a", "a b", "a-b", "a.d", "a0", "A", "_a", "a/b", "a/b/c"] {
            fs::create_dir_all(root.join(sub))?;
        }
        for file in [
            "a.txt",
            "a-b.txt",
            "a b.txt",
            "a0.txt",
            "A.txt",
            "_a.txt",
            "ab.txt",
            "a/b.txt",
            "a/b/c.txt",
            "a/b/c/x.txt",
            "a/b.c",
            "a/bb.txt",
            "a b/x.txt",
            "a-b/x.txt",
            "a.d/x.txt",
            "a0/x.txt",
            "A/x.txt",
            "_a/x.txt",
            "z.txt",
        ] {
            fs::write(root.join(file), "x")?;
        }
        fs::write(root.join(std::ffi::OsStr::from_bytes(b"a\xff.txt")), "x")?;
        std::fs::create_dir(root.join(std::ffi::OsStr::from_bytes(b"a\xfe")))?;
        fs::write(
            root.join(std::ffi::OsStr::from_bytes(b"a\xfe"))
                .join("x.txt"),
            "x",
        )?;
        // A link to a folder sorts as a folder.
        std::os::unix::fs::symlink(root.join("a"), root.join("a_link"))?;
        std::os::unix::fs::symlink(root.join("a.txt"), root.join("a_file_link.txt"))?;
        let stored: Vec<String> = list(root, None)
            .files
            .into_iter()
            .map(|f| f.stored)
            .collect();
        let mut sorted = stored.clone();
        sorted.sort();
        sorted.dedup();
        assert_eq!(stored, sorted, "strictly increasing, as bytes");
        // 19 named above, 2 with bad bytes, 5 again through the link, 1 link.
        assert_eq!(stored.len(), 19 + 2 + 5 + 1, "{stored:?}");
        Ok(())
    }

    #[cfg(unix)]
    #[test]
    fn names_that_are_not_utf8_stay_distinct() {
        use std::os::unix::ffi::OsStrExt;
        let root = Path::new("/c");
        let a = Path::new("/c").join(std::ffi::OsStr::from_bytes(b"caf\xe9.txt"));
        let b = Path::new("/c").join(std::ffi::OsStr::from_bytes(b"caf\xe8.txt"));
        assert_eq!(relative_path(root, &a), "caf\\xE9.txt");
        assert_ne!(relative_path(root, &a), relative_path(root, &b));
    }

    #[test]
    fn relative_paths_use_slashes() {
        let root = Path::new("/corpus");
        assert_eq!(relative_path(root, Path::new("/corpus/a/b.txt")), "a/b.txt");
        assert_eq!(
            relative_path(Path::new("/corpus/b.txt"), Path::new("/corpus/b.txt")),
            "b.txt"
        );
    }
}
