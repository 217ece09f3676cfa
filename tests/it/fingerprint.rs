//! The parser's fingerprint (`build/parser_fingerprint.rs`): an index records
//! it, and an update under another one re-reads every file. A comment edit
//! must not move it; a code edit, or a new version of a crate that reads
//! pages, must.

use std::path::Path;

#[allow(dead_code)]
#[path = "../../build/parser_fingerprint.rs"]
mod parser_fingerprint;

use parser_fingerprint::{code_tokens, crate_versions, fingerprint, PAGE_READING_CRATES};

use crate::common::{indexed_sample, TestResult};

const CODE: &str = r##"
//! A module.
use std::fmt;

/// Doc comment.
pub fn tally(line: &str) -> Option<u32> {
    // A remark.
    let s = "not // a comment"; /* a block /* nested */ comment */
    let r = r#"raw "quoted" // text"#;
    let c = '"';
    let l: &'static str = "x";
    line.trim().parse().ok()
}

#[cfg(test)]
mod tests {
    #[test]
    fn it_works() { assert!(true); }
}
"##;

fn print(text: &str) -> u64 {
    fingerprint(
        &[("src/page/x.rs".to_string(), text.to_string())],
        "lopdf 1.0.0\n",
    )
}

#[test]
fn comments_whitespace_and_tests_do_not_move_it() {
    let base = print(CODE);
    let edits = [
        CODE.replace("// A remark.", "// Another remark, longer."),
        CODE.replace("/// Doc comment.", "/// Doc comment,\n/// on two lines."),
        CODE.replace("/* a block /* nested */ comment */", ""),
        CODE.replace("    ", "\t").replace('\n', "\r\n"),
        CODE.replace("assert!(true);", "assert_eq!(1, 1);"),
        CODE.replace("//! A module.", "//! A module, described."),
    ];
    for edit in edits {
        assert_eq!(print(&edit), base, "{edit}");
    }
}

#[test]
fn code_strings_and_crate_versions_move_it() {
    let base = print(CODE);
    let edits = [
        CODE.replace("trim()", "trim_end()"),
        CODE.replace("not // a comment", "not // a remark"),
        CODE.replace("raw \"quoted\" // text", "raw \"quoted\" // words"),
        CODE.replace("'\"'", "'\\''"),
        CODE.replace("Option<u32>", "Option<u64>"),
    ];
    for edit in edits {
        assert_ne!(print(&edit), base, "{edit}");
    }
    let sources = [("src/page/x.rs".to_string(), CODE.to_string())];
    assert_ne!(
        fingerprint(&sources, "lopdf 0.47.0\n"),
        fingerprint(&sources, "lopdf 0.48.0\n")
    );
}

#[test]
fn the_lexer_keeps_strings_whole_and_drops_comments() {
    let tokens = code_tokens(CODE);
    assert!(
        tokens.contains(&"\"not // a comment\"".to_string()),
        "{tokens:?}"
    );
    assert!(
        tokens.contains(&"r#\"raw \"quoted\" // text\"#".to_string()),
        "{tokens:?}"
    );
    assert!(tokens.contains(&"'\"'".to_string()), "{tokens:?}");
    assert!(tokens.contains(&"'static".to_string()), "{tokens:?}");
    for gone in ["remark", "Doc", "nested", "it_works", "tests"] {
        assert!(
            !tokens.iter().any(|t| t.contains(gone)),
            "{gone} in {tokens:?}"
        );
    }
}

#[test]
fn every_page_reading_crate_is_read_from_the_lock_file() -> TestResult {
    let lock = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("Cargo.lock"))?;
    let versions = crate_versions(&lock, &PAGE_READING_CRATES);
    for name in PAGE_READING_CRATES {
        assert!(
            versions.lines().any(|l| l.starts_with(&format!("{name} "))),
            "{name} missing from {versions}"
        );
    }
    let bumped = lock.replacen(
        "name = \"lopdf\"\nversion = \"",
        "name = \"lopdf\"\nversion = \"9",
        1,
    );
    assert_ne!(crate_versions(&bumped, &PAGE_READING_CRATES), versions);
    Ok(())
}

/// The fingerprint an index records is the one these functions compute from
/// the sources and lock file as they are: the build script uses them.
#[test]
fn the_index_records_the_fingerprint_of_the_sources_as_they_are() -> TestResult {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    collect(&root.join("src/page"), &mut files);
    files.push(root.join("src/crawl.rs"));
    let mut sources: Vec<(String, String)> = files
        .iter()
        .map(|f| {
            let name = f
                .strip_prefix(root)
                .unwrap_or(f)
                .to_string_lossy()
                .replace('\\', "/");
            (name, std::fs::read_to_string(f).unwrap_or_default())
        })
        .collect();
    sources.sort();
    let lock = std::fs::read_to_string(root.join("Cargo.lock"))?;
    let expected = fingerprint(&sources, &crate_versions(&lock, &PAGE_READING_CRATES));

    let sandbox = indexed_sample();
    let generation = sandbox.index_dir().join(sandbox.current_generation());
    let meta: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(generation.join("meta.json"))?)?;
    let payload: serde_json::Value =
        serde_json::from_str(meta["payload"].as_str().unwrap_or("{}"))?;
    assert_eq!(
        payload["parser"].as_str(),
        Some(format!("{expected:016x}").as_str())
    );
    Ok(())
}

fn collect(path: &Path, files: &mut Vec<std::path::PathBuf>) {
    if path.is_dir() {
        for entry in std::fs::read_dir(path).into_iter().flatten().flatten() {
            collect(&entry.path(), files);
        }
    } else if path.extension().is_some_and(|e| e == "rs") {
        files.push(path.to_path_buf());
    }
}
