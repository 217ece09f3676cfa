//! Fingerprints the parser, and links the `citeindex` executable at a fixed
//! address (`-no-pie`) on x86-64 Linux with glibc.
//!
//! The parser decides what an index stores (titles, section buckets, cited
//! authors, which files are pages at all), so an index records the parser that
//! filled it and an update under another parser reads every file again. The
//! fingerprint is a hash of the parser's sources, `src/page/` and `src/crawl.rs`
//! (which names the files that are read): a change there cannot be forgotten.
//!
//! Every query is a new process, and a position-independent executable makes
//! the dynamic loader apply some 33,000 relative relocations and copy the
//! pages they touch before `main` runs: 1.5–2 ms of a 10–15 ms query at
//! 100,000 pages (BENCHMARKS.md, "Start-up"). The code stays position
//! independent; only the executable's own image loses address randomisation
//! (libraries, heap and stack keep theirs). Build with `CITEINDEX_PIE=1` to
//! keep a PIE, say for a `serve` exposed beyond localhost.

use std::path::{Path, PathBuf};

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

/// Sets `CITEINDEX_PARSER_FINGERPRINT`: FNV-1a (64 bits) over the parser's
/// source files, each as its path relative to the crate and its bytes, in
/// path order, with line endings made `\n` so a checkout's settings do not
/// change it.
fn parser_fingerprint() {
    let mut files = Vec::new();
    for source in PARSER_SOURCES {
        println!("cargo:rerun-if-changed={source}");
        collect(Path::new(source), &mut files);
    }
    files.sort();
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    let mut feed = |bytes: &[u8]| {
        for &b in bytes {
            hash ^= u64::from(b);
            hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
        }
    };
    for file in &files {
        let name = file.to_string_lossy().replace('\\', "/");
        feed(name.as_bytes());
        feed(&[0]);
        let bytes = std::fs::read(file).unwrap_or_default();
        let text = String::from_utf8_lossy(&bytes).replace("\r\n", "\n");
        feed(text.as_bytes());
        feed(&[0]);
    }
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
