//! Fingerprints the parser, and links the `citeindex` executable at a fixed
//! address (`-no-pie`) on x86-64 Linux with glibc.
//!
//! The parser decides what an index stores (titles, section buckets, cited
//! authors, which files are pages at all), so an index records the parser that
//! filled it and an update under another parser reads every file again. The
//! fingerprint is a hash of the code of `src/page/` and `src/crawl.rs` (which
//! names the files that are read), as tokens, and of the versions of the
//! crates that read pages: a change there cannot be forgotten, and a comment
//! edit costs no one a re-read.
//!
//! Every query is a new process, and a position-independent executable makes
//! the dynamic loader apply some 33,000 relative relocations and copy the
//! pages they touch before `main` runs: 1.5–2 ms of a 10–15 ms query at
//! 100,000 pages (BENCHMARKS.md, "Start-up"). The code stays position
//! independent; only the executable's own image loses address randomisation
//! (libraries, heap and stack keep theirs). Build with `CITEINDEX_PIE=1` to
//! keep a PIE, say for a `serve` exposed beyond localhost.

use std::path::{Path, PathBuf};

#[path = "build/parser_fingerprint.rs"]
mod parser_fingerprint;

/// The sources that decide what a file parses to.
const PARSER_SOURCES: [&str; 2] = ["src/page", "src/crawl.rs"];

fn main() {
    parser_fingerprint();
    println!("cargo:rerun-if-env-changed=CITEINDEX_PIE");
    let target = |key: &str| std::env::var(key).unwrap_or_default();
    let linux_gnu_x86_64 = target("CARGO_CFG_TARGET_OS") == "linux"
        && target("CARGO_CFG_TARGET_ENV") == "gnu"
        && target("CARGO_CFG_TARGET_ARCH") == "x86_64";
    let want_pie = std::env::var_os("CITEINDEX_PIE").is_some_and(|v| v == "1");
    if linux_gnu_x86_64 && !want_pie {
        println!("cargo:rustc-link-arg-bin=citeindex=-no-pie");
    }
}

/// Sets `CITEINDEX_PARSER_FINGERPRINT` from the parser's sources, in path
/// order, and the page-reading crates' versions in `Cargo.lock`
/// (`build/parser_fingerprint.rs` says what moves it and what does not).
fn parser_fingerprint() {
    let mut files = Vec::new();
    for source in PARSER_SOURCES {
        println!("cargo:rerun-if-changed={source}");
        collect(Path::new(source), &mut files);
    }
    println!("cargo:rerun-if-changed=Cargo.lock");
    println!("cargo:rerun-if-changed=build/parser_fingerprint.rs");
    files.sort();
    let sources: Vec<(String, String)> = files
        .iter()
        .map(|file| {
            let name = file.to_string_lossy().replace('\\', "/");
            (name, std::fs::read_to_string(file).unwrap_or_default())
        })
        .collect();
    let lock = std::fs::read_to_string("Cargo.lock").unwrap_or_default();
    let versions =
        parser_fingerprint::crate_versions(&lock, &parser_fingerprint::PAGE_READING_CRATES);
    let hash = parser_fingerprint::fingerprint(&sources, &versions);
    println!("cargo:rustc-env=CITEINDEX_PARSER_FINGERPRINT={hash:016x}");
}

/// The `.rs` files at or below `path`.
fn collect(path: &Path, files: &mut Vec<PathBuf>) {
    if path.is_dir() {
        let Ok(entries) = std::fs::read_dir(path) else {
            return;
        };
        for entry in entries.flatten() {
            collect(&entry.path(), files);
        }
    } else if path.extension().is_some_and(|e| e == "rs") {
        files.push(path.to_path_buf());
    }
}
