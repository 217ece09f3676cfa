//! `citeindex index`: the crawl, the summary, the warnings, what is and is not
//! indexed, and the index locations it refuses.

use std::ffi::OsStr;

use crate::common::{
    all_statements, assert_same_statements, expected, indexed_sample, run, sample_corpus, tokens,
    unique_statements, Run, Sandbox, TestResult, JUNK, PAGES,
};

/// A number written next to `word` in `line`: just before it (`22 pages`,
/// `7 skipped`), else just after it (`skipped 7`). Thousands separators and a
/// leading `+`, `~`, `-` or `(` are ignored.
fn number_near(line: &str, word: &str) -> Option<f64> {
    let number = |t: &str| {
        t.trim_start_matches(['(', '+', '~', '-'])
            .replace(',', "")
            .parse::<f64>()
            .ok()
    };
    line.match_indices(word).find_map(|(at, _)| {
        line[..at]
            .split_whitespace()
            .last()
            .and_then(number)
            .or_else(|| {
                line[at + word.len()..]
                    .split_whitespace()
                    .next()
                    .and_then(number)
            })
    })
}

/// The summary line of an `index` run.
#[track_caller]
fn summary(run: &Run) -> String {
    run.stderr
        .lines()
        .rev()
        .find(|l| l.contains("pages") && l.contains("statements"))
        .map(str::to_string)
        .unwrap_or_else(|| panic!("no summary line\n{}", run.describe()))
}

/// (pages, statements, skipped) from a summary line.
fn counts(line: &str) -> (Option<f64>, Option<f64>, Option<f64>) {
    (
        number_near(line, "pages"),
        number_near(line, "statements"),
        number_near(line, "skipped"),
    )
}

#[test]
fn indexing_the_sample_corpus_prints_a_summary_that_matches_the_manifest() -> TestResult {
    let sandbox = Sandbox::new();
    let run = sandbox.index(&sample_corpus());
    assert!(
        run.stdout.is_empty(),
        "index prints nothing on stdout\n{}",
        run.describe()
    );
    let line = summary(&run);
    let statements = all_statements().len() as f64;
    assert_eq!(
        counts(&line),
        (
            Some(PAGES.len() as f64),
            Some(statements),
            Some(JUNK.len() as f64)
        ),
        "(pages, statements, skipped) in {line:?}"
    );
    let seconds = number_near(&line, " s)")
        .or_else(|| number_near(&line, "s)"))
        .ok_or_else(|| format!("no seconds in the summary: {line}"))?;
    assert!((0.0..60.0).contains(&seconds), "{line}");
    Ok(())
}

#[test]
fn every_junk_file_is_named_in_exactly_one_warning_with_a_reason() -> TestResult {
    let sandbox = Sandbox::new();
    let run = sandbox.index(&sample_corpus());
    let warnings = run.warnings();
    for junk in JUNK {
        let name = junk.rsplit('/').next().unwrap_or(junk);
        let naming: Vec<&&str> = warnings.iter().filter(|w| w.contains(name)).collect();
        assert_eq!(
            naming.len(),
            1,
            "{junk} must be named in exactly one warning\n{}",
            run.describe()
        );
        let after = naming[0]
            .split_once(name)
            .map(|(_, rest)| rest)
            .unwrap_or_default();
        let reason = after.trim_start_matches(':').trim();
        assert!(
            reason.split_whitespace().count() >= 2,
            "the warning for {junk} gives no reason: {:?}",
            naming[0]
        );
    }
    // No report page is skipped: each page is either silent or warned about,
    // and the summary already counted only the junk as skipped.
    for page in PAGES {
        let name = page.path.rsplit('/').next().unwrap_or(page.path);
        for w in warnings.iter().filter(|w| w.contains(name)) {
            assert!(
                !w.contains("skipped"),
                "report page {} was skipped: {w}",
                page.path
            );
        }
    }
    Ok(())
}

#[test]
fn hidden_sync_folder_is_never_indexed() -> TestResult {
    let sandbox = indexed_sample();
    sandbox.query(&["zzhiddensync"]).expect_code(1);
    sandbox
        .query(&["*", "--doi", "10.5555/hid.2020.0001"])
        .expect_code(1);
    // Nor is it warned about: hidden folders are not part of the corpus.
    let again = Sandbox::new().index(&sample_corpus());
    assert!(
        !again.stderr.contains(".sync"),
        "the hidden folder shows up in the output\n{}",
        again.describe()
    );
    Ok(())
}

#[test]
fn words_inside_script_style_noscript_and_template_are_not_indexed() -> TestResult {
    let sandbox = indexed_sample();
    for word in [
        "zzscriptjunk",
        "zzstylejunk",
        "zznoscriptjunk",
        "zztemplatejunk",
    ] {
        sandbox.query(&[word]).expect_code(1);
    }
    // The <script> of brca1-base-editing-screen-2022.html holds a fake DOI line.
    sandbox
        .query(&["*", "--doi", "10.9999/zzscriptjunk"])
        .expect_code(1);
    // The junk notes file is skipped as a whole.
    sandbox.query(&["zznotesjunk"]).expect_code(1);
    Ok(())
}

#[test]
fn cut_off_page_is_warned_about_and_its_complete_statements_are_findable() -> TestResult {
    let sandbox = Sandbox::new();
    let run = sandbox.index(&sample_corpus());
    let page = PAGES
        .iter()
        .find(|p| p.cut_off.is_some())
        .ok_or("the manifest has a cut-off page")?;
    let name = page.path.rsplit('/').next().unwrap_or(page.path);
    assert!(
        run.warnings().iter().any(|w| w.contains(name)),
        "no warning names the cut-off page {name}\n{}",
        run.describe()
    );

    let doi = page.doi_as_written.ok_or("the cut-off page has a DOI")?;
    let hits = sandbox.hits(&["*", "--doi", doi]);
    let complete = expected(|s| s.page.id == page.id);
    assert_eq!(
        complete.len(),
        2,
        "the manifest lists two complete statements"
    );
    assert_same_statements(&hits, &complete, "the cut-off page's statements");
    for hit in &hits {
        assert!(
            matches!(hit["position"].as_u64(), Some(1 | 2)),
            "position of {hit}"
        );
    }

    // A word only the dropped, unfinished statement has is not findable.
    let partial = page.cut_off.ok_or("cut-off text")?;
    assert!(tokens(partial).contains(&"superior".to_string()));
    assert!(
        unique_statements().iter().all(|s| !s.mentions("superior")),
        "`superior` must be unique to the unfinished statement for this check"
    );
    sandbox.query(&["superior"]).expect_code(1);
    Ok(())
}

#[test]
fn index_path_that_is_a_regular_file_is_refused() -> TestResult {
    let sandbox = Sandbox::new();
    let file = sandbox.path().join("not-a-folder");
    std::fs::write(&file, "keep me")?;
    let run = sandbox.run([
        OsStr::new("index"),
        sample_corpus().as_os_str(),
        OsStr::new("--index"),
        file.as_os_str(),
    ]);
    run.expect_code(2);
    assert!(
        run.stderr.contains("not-a-folder"),
        "the message names the path\n{}",
        run.describe()
    );
    assert_eq!(std::fs::read_to_string(&file)?, "keep me", "file untouched");
    Ok(())
}

#[test]
fn index_path_that_is_a_non_empty_foreign_folder_is_refused() -> TestResult {
    let sandbox = Sandbox::new();
    let folder = sandbox.path().join("my-notes");
    std::fs::create_dir(&folder)?;
    std::fs::write(folder.join("todo.txt"), "keep me")?;
    let run = sandbox.run([
        OsStr::new("index"),
        sample_corpus().as_os_str(),
        OsStr::new("--index"),
        folder.as_os_str(),
    ]);
    run.expect_code(2);
    assert!(
        run.stderr.contains("my-notes"),
        "the message names the folder\n{}",
        run.describe()
    );
    let left: Vec<_> = std::fs::read_dir(&folder)?
        .map(|e| e.map(|e| e.file_name()))
        .collect::<Result<_, _>>()?;
    assert_eq!(
        left,
        vec![std::ffi::OsString::from("todo.txt")],
        "folder untouched"
    );
    assert_eq!(std::fs::read_to_string(folder.join("todo.txt"))?, "keep me");
    Ok(())
}

#[test]
fn missing_corpus_is_an_error_naming_it() -> TestResult {
    let sandbox = Sandbox::new();
    let missing = sandbox.path().join("no-such-corpus");
    let run = sandbox.run([
        OsStr::new("index"),
        missing.as_os_str(),
        OsStr::new("--index"),
        sandbox.index_dir().as_os_str(),
    ]);
    run.expect_code(2);
    assert!(
        run.stderr.contains("no-such-corpus"),
        "the message names the corpus\n{}",
        run.describe()
    );
    // Nothing to search afterwards.
    sandbox.query(&["spindles"]).expect_code(2);
    Ok(())
}

#[test]
fn failed_run_with_a_missing_corpus_leaves_the_index_location_usable() -> TestResult {
    // A mistyped corpus path must not leave behind a folder that later runs
    // refuse as "not a citeindex index".
    let sandbox = Sandbox::new();
    let missing = sandbox.path().join("typo-corpus");
    let index = sandbox.index_dir();
    sandbox
        .run([
            OsStr::new("index"),
            missing.as_os_str(),
            OsStr::new("--index"),
            index.as_os_str(),
        ])
        .expect_code(2);
    let query = sandbox.query(&["spindles"]);
    query.expect_code(2);
    assert!(query.stderr.contains("no index"), "{}", query.describe());
    sandbox.index(&sample_corpus());
    assert_eq!(sandbox.hits(&["*"]).len(), unique_statements().len());
    Ok(())
}

#[test]
fn citeindex_index_environment_variable_is_honoured() -> TestResult {
    let sandbox = Sandbox::new();
    let from_env = sandbox.path().join("env-index");
    let mut index = sandbox.command([OsStr::new("index"), sample_corpus().as_os_str()]);
    index.env("CITEINDEX_INDEX", &from_env);
    run(index).expect_code(0);
    assert!(from_env.is_dir(), "the index went to $CITEINDEX_INDEX");
    assert!(
        !sandbox.path().join(".citeindex").exists(),
        "nothing at the default location"
    );

    let mut query = sandbox.command(["query", "gpx4"]);
    query.env("CITEINDEX_INDEX", &from_env);
    let via_env = run(query);
    via_env.expect_code(0);
    let via_flag = sandbox.run([
        OsStr::new("query"),
        OsStr::new("gpx4"),
        OsStr::new("--index"),
        from_env.as_os_str(),
    ]);
    via_flag.expect_code(0);
    assert_eq!(via_env.stdout, via_flag.stdout);

    // Without the variable the default location is used, and it is empty.
    sandbox.run(["query", "gpx4"]).expect_code(2);
    Ok(())
}

#[test]
fn strict_turns_skipped_files_into_exit_2_but_still_indexes_the_good_pages() -> TestResult {
    let sandbox = Sandbox::new();
    let run = sandbox.try_index(Some(&sample_corpus()), &["--strict"]);
    run.expect_code(2);
    assert!(
        run.stderr.contains("--strict"),
        "the error names the flag\n{}",
        run.describe()
    );
    assert_eq!(sandbox.hits(&["*"]).len(), unique_statements().len());
    // Without skipped files, --strict is silent and exits 0.
    let clean = sandbox.path().join("clean");
    std::fs::create_dir(&clean)?;
    std::fs::copy(
        sample_corpus().join("html/gpx4-persister-cells-2016.htm"),
        clean.join("gpx4.htm"),
    )?;
    sandbox
        .try_index(Some(&clean), &["--strict", "--full"])
        .expect_code(0);
    Ok(())
}

#[test]
fn indexing_again_gives_the_same_counts_and_changes_nothing() -> TestResult {
    let sandbox = Sandbox::new();
    let first = summary(&sandbox.index(&sample_corpus()));
    let second = summary(&sandbox.index(&sample_corpus()));
    assert_eq!(counts(&first), counts(&second), "{first:?} then {second:?}");
    // The documented summary counts added and unchanged files.
    assert_eq!(number_near(&second, "added"), Some(0.0), "{second:?}");
    assert_eq!(
        number_near(&second, "unchanged"),
        Some(PAGES.len() as f64),
        "{second:?}"
    );
    // With no corpus named, the folder the index was built from is used.
    let index = sandbox.index_dir();
    let third = sandbox.run([
        OsStr::new("index"),
        OsStr::new("--index"),
        index.as_os_str(),
    ]);
    third.expect_code(0);
    assert_eq!(counts(&summary(&third)), counts(&first));
    assert_eq!(
        sandbox.hits(&["*"]).len(),
        unique_statements().len(),
        "no statement twice after re-indexing"
    );
    Ok(())
}

#[test]
fn changed_page_is_reindexed() -> TestResult {
    let sandbox = Sandbox::new();
    let corpus = sandbox.copy_sample_corpus();
    sandbox.index(&corpus);
    assert_eq!(expected(|s| s.mentions("impervious")).len(), 1);
    sandbox.query(&["impervious"]).expect_code(0);
    sandbox.query(&["zzreplaced"]).expect_code(1);

    // A UTF-8 page: swap one word of a statement.
    let page = corpus.join("ecology/urban-heat-island-street-trees-2020.txt");
    let text = std::fs::read_to_string(&page)?;
    assert!(text.contains("impervious"));
    std::fs::write(&page, text.replace("impervious", "zzreplaced"))?;
    sandbox.index(&corpus);
    sandbox.query(&["impervious"]).expect_code(1);
    let hits = sandbox.hits(&["zzreplaced"]);
    assert_eq!(hits.len(), 1);
    assert_eq!(hits[0]["doi"].as_str(), Some("10.5555/urb.2020.1187"));
    assert_eq!(sandbox.hits(&["*"]).len(), unique_statements().len());
    Ok(())
}

#[test]
fn another_corpus_needs_full() -> TestResult {
    let sandbox = Sandbox::new();
    sandbox.index(&sample_corpus());
    let other = sandbox.path().join("other");
    std::fs::create_dir(&other)?;
    std::fs::copy(
        sample_corpus().join("html/gpx4-persister-cells-2016.htm"),
        other.join("gpx4.htm"),
    )?;
    let index = sandbox.index_dir();
    let refused = sandbox.run([
        OsStr::new("index"),
        other.as_os_str(),
        OsStr::new("--index"),
        index.as_os_str(),
    ]);
    refused.expect_code(2);
    assert_eq!(
        sandbox.hits(&["*"]).len(),
        unique_statements().len(),
        "old index kept"
    );

    let rebuilt = sandbox.run([
        OsStr::new("index"),
        other.as_os_str(),
        OsStr::new("--index"),
        index.as_os_str(),
        OsStr::new("--full"),
    ]);
    rebuilt.expect_code(0);
    let gpx4 = expected(|s| s.page.id == "H2");
    assert_same_statements(&sandbox.hits(&["*"]), &gpx4, "after --full");
    Ok(())
}

#[test]
fn removed_page_disappears_after_indexing_again() -> TestResult {
    let sandbox = Sandbox::new();
    let corpus = sandbox.copy_sample_corpus();
    sandbox.index(&corpus);
    let gpx4 = expected(|s| s.mentions("gpx4"));
    assert_same_statements(&sandbox.hits(&["gpx4"]), &gpx4, "before removal");

    std::fs::remove_file(corpus.join("html/gpx4-persister-cells-2016.htm"))?;
    sandbox.index(&corpus);
    sandbox.query(&["gpx4"]).expect_code(1);
    assert_eq!(
        sandbox.hits(&["*"]).len(),
        unique_statements().len() - gpx4.len()
    );
    Ok(())
}

#[test]
fn a_small_writer_memory_budget_indexes_the_same_statements() -> TestResult {
    let small = Sandbox::new();
    let run = small.try_index(Some(&sample_corpus()), &["--memory", "16"]);
    run.expect_code(0);
    assert_same_statements(&small.hits(&["*"]), &unique_statements(), "--memory 16");

    let stats = |sandbox: &Sandbox| -> Result<serde_json::Value, String> {
        let out = sandbox.run([
            OsStr::new("stats"),
            OsStr::new("--json"),
            OsStr::new("--index"),
            sandbox.index_dir().as_os_str(),
        ]);
        out.expect_code(0);
        let mut v: serde_json::Value =
            serde_json::from_str(&out.stdout).map_err(|e| format!("{e}: {}", out.stdout))?;
        let fields = v.as_object_mut().ok_or("stats --json is an object")?;
        for volatile in ["index", "updated_at", "index_bytes"] {
            fields.remove(volatile);
        }
        Ok(v)
    };
    let default = indexed_sample();
    assert_eq!(stats(&small)?, stats(&default)?);
    Ok(())
}

#[test]
fn a_writer_memory_budget_out_of_range_is_refused_before_anything_is_written() {
    for bad in ["8", "0", "5000", "lots"] {
        let sandbox = Sandbox::new();
        let run = sandbox.try_index(Some(&sample_corpus()), &["--memory", bad]);
        run.expect_code(2);
        assert!(
            run.stderr.contains("--memory"),
            "the message names the flag\n{}",
            run.describe()
        );
        assert!(
            !sandbox.index_dir().exists(),
            "nothing written for --memory {bad}"
        );
    }
}

/// A corpus folder whose name is not UTF-8 (legal on Linux): the provenance
/// records it byte for byte, so the index is one `query` accepts and a bare
/// `index` finds the folder again. Its commit once carried an empty record,
/// and every later command refused the index.
#[cfg(unix)]
#[test]
fn a_corpus_folder_named_in_bytes_that_are_not_utf8_is_recorded_exactly() -> TestResult {
    use std::os::unix::ffi::OsStrExt;
    let sandbox = Sandbox::new();
    let corpus = sandbox.path().join(OsStr::from_bytes(b"saves-\xff"));
    crate::common::copy_tree(&sample_corpus(), &corpus);
    sandbox.index(&corpus);
    assert!(!sandbox.hits(&["spindles"]).is_empty());
    let again = sandbox.try_index(None, &[]);
    again.expect_code(0);
    let summary = again.summary();
    assert_eq!(
        (summary.added, summary.unchanged),
        (0, PAGES.len() as u64),
        "{}",
        again.describe()
    );
    Ok(())
}
