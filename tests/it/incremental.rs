//! Re-running `citeindex index`: what an update counts and makes searchable,
//! which files it does not open, and how it stays atomic when it is killed,
//! raced, queried during, or cannot write.
//!
//! The first tests change a copy of the sample corpus and check the summary
//! line's numbers exactly. The tests of killed and overlapping runs use a
//! generated corpus ([`big`]) big enough that a debug build indexes it for a
//! second or more, and accept whichever side of a race a kill lands on, but
//! never a mix of the two.

use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use crate::common::big::{self, STATEMENTS_PER_PAGE};
use crate::common::process::{Ending, Tmpfs};
use crate::common::{
    all_statements, assert_same_statements, expected, mtime, sample_corpus, set_mtime,
    swap_content_in_place, unique_statements, unreferenced_files, Run, Sandbox, Summary,
    TestResult, ASSETS, JUNK, PAGES,
};

/// What the sample corpus gives on a first run.
fn sample_summary() -> Summary {
    Summary {
        added: PAGES.len() as u64,
        changed: 0,
        removed: 0,
        unchanged: 0,
        skipped: JUNK.len() as u64,
        assets: ASSETS.len() as u64,
        pages: PAGES.len() as u64,
        statements: all_statements().len() as u64,
    }
}

/// What a run that changed nothing in the sample corpus gives.
fn sample_unchanged() -> Summary {
    Summary {
        added: 0,
        unchanged: PAGES.len() as u64,
        ..sample_summary()
    }
}

/// A report page in the FORMAT.md layout with two statements holding `word`.
fn new_page(doi: &str, word: &str) -> String {
    format!(
        "2024\nDOI: {doi}\n|View full text |Cite\n|\nSign up to set email alerts\n|\n\n\
         A page written by the test about {word}\n\n\
         Abstract: Written for the incremental tests. Show more\n\n\
         citations\nCited by 2 publications\n(2 citation statements)\n\
         references\nReferences 5 publications\n\
         “…The first statement about {word} cites a study (Okafor et al., 2020).…”\n\
         Section: Introductionmentioning\nconfidence: 90%\n\
         “…A second statement mentions {word} again (Lindqvist & Haddad, 2006).…”\n\
         Section: Discussionsupporting\nconfidence: 80%\n"
    )
}

const STREET_TREES: &str = "ecology/urban-heat-island-street-trees-2020.txt";
const STREET_TREES_DOI: &str = "10.5555/urb.2020.1187";
const SPINDLE_DOI: &str = "10.5555/slp.2019.0412";
const SPINDLE: &str = "sleep/spindle-density-word-pairs-2019.txt";
const SPINDLE_COPY: &str = "dupes/spindle-density-word-pairs-2019 (1).txt";

/// The statements of the sample page at `path`.
fn statements_of(path: &str) -> usize {
    PAGES.iter().find(|p| p.path == path).map_or_else(
        || panic!("{path} is in the manifest"),
        |p| p.statements.len(),
    )
}

#[test]
fn added_changed_and_removed_pages_are_counted_and_searchable() -> TestResult {
    let sandbox = Sandbox::new();
    let corpus = sandbox.copy_sample_corpus();
    assert_eq!(sandbox.index(&corpus).summary(), sample_summary());

    std::fs::write(
        corpus.join("ecology/new-page.txt"),
        new_page("10.5555/new.2024.0001", "zzaddedword"),
    )?;
    let trees = corpus.join(STREET_TREES);
    let text = std::fs::read_to_string(&trees)?;
    assert!(text.contains("impervious"));
    std::fs::write(&trees, text.replace("impervious", "zzchangedword"))?;
    let gpx4 = "html/gpx4-persister-cells-2016.htm";
    std::fs::remove_file(corpus.join(gpx4))?;

    let run = sandbox.index(&corpus);
    assert_eq!(
        run.summary(),
        Summary {
            added: 1,
            changed: 1,
            removed: 1,
            unchanged: PAGES.len() as u64 - 2,
            skipped: JUNK.len() as u64,
            assets: ASSETS.len() as u64,
            pages: PAGES.len() as u64,
            statements: (all_statements().len() + 2 - statements_of(gpx4)) as u64,
        },
        "{}",
        run.describe()
    );
    let added = sandbox.hits(&["zzaddedword"]);
    assert_eq!(added.len(), 2, "both statements of the new page");
    assert!(added
        .iter()
        .all(|h| h["doi"].as_str() == Some("10.5555/new.2024.0001")));
    let changed = sandbox.hits(&["zzchangedword"]);
    assert_eq!(changed.len(), 1);
    assert_eq!(changed[0]["doi"].as_str(), Some(STREET_TREES_DOI));
    sandbox.query(&["impervious"]).expect_code(1);
    sandbox.query(&["gpx4"]).expect_code(1);
    sandbox
        .query(&["*", "--doi", "10.5555/gen.2016.0410"])
        .expect_code(1);
    Ok(())
}

/// Whether every document of every segment has a facet code, as facet
/// counts read it fastest (`index::facet_code`), by segment.
fn dense_facet_codes(sandbox: &Sandbox) -> Vec<bool> {
    use citeindex::schema::FastColumns as _;
    let open = citeindex::index::open(&sandbox.index_dir()).unwrap();
    let searcher = open.reader.searcher();
    let readers = searcher.segment_readers();
    readers
        .iter()
        .map(|reader| {
            let column = reader.u64_column(open.schema.fields.facet_code).unwrap();
            matches!(column.index, tantivy::columnar::ColumnIndex::Full)
        })
        .collect()
}

#[test]
fn every_document_of_a_build_and_of_its_updates_has_a_facet_code() -> TestResult {
    let sandbox = Sandbox::new();
    let corpus = sandbox.copy_sample_corpus();
    // Statements, pages and skipped files.
    sandbox.index(&corpus);
    assert_eq!(dense_facet_codes(&sandbox), vec![true; 1]);
    // A touched file's refreshed record, and an edited page's documents.
    let gpx4 = corpus.join("html/gpx4-persister-cells-2016.htm");
    set_mtime(&gpx4, mtime(&gpx4) + Duration::from_secs(100));
    let trees = corpus.join(STREET_TREES);
    let text = std::fs::read_to_string(&trees)?;
    std::fs::write(&trees, text.replace("impervious", "zzchangedword"))?;
    let run = sandbox.index(&corpus);
    assert_eq!(
        (run.summary().changed, run.summary().unchanged),
        (1, PAGES.len() as u64 - 1)
    );
    let dense = dense_facet_codes(&sandbox);
    assert!(dense.len() > 1, "the update wrote a segment of its own");
    assert!(dense.iter().all(|&d| d), "{dense:?}");
    Ok(())
}

#[test]
fn touched_page_is_unchanged_and_its_refreshed_record_sticks() -> TestResult {
    let sandbox = Sandbox::new();
    let corpus = sandbox.copy_sample_corpus();
    sandbox.index(&corpus);
    let trees = corpus.join(STREET_TREES);
    let touched = mtime(&trees) + Duration::from_secs(100);
    set_mtime(&trees, touched);

    let run = sandbox.index(&corpus);
    assert_eq!(run.summary(), sample_unchanged(), "{}", run.describe());
    assert!(
        !run.stderr.contains("urban-heat-island"),
        "a touched page is not reported\n{}",
        run.describe()
    );
    let run = sandbox.index(&corpus);
    assert_eq!(run.summary(), sample_unchanged(), "{}", run.describe());

    // The record now holds the new mtime: a same-size edit behind that mtime
    // is not seen. Were the old mtime still recorded, the file would be read,
    // hashed and counted as changed.
    let text = std::fs::read_to_string(&trees)?;
    swap_content_in_place(&trees, text.replace("impervious", "zzqqwwxxyy").as_bytes());
    assert_eq!(mtime(&trees), touched);
    let run = sandbox.index(&corpus);
    assert_eq!(run.summary(), sample_unchanged(), "{}", run.describe());
    sandbox.query(&["impervious"]).expect_code(0);
    sandbox.query(&["zzqqwwxxyy"]).expect_code(1);

    // Hits take their paper's DOI, title and year from the page record, which
    // the touch replaced on its own, apart from the file's statements.
    let hits = sandbox.hits(&["impervious", "--doi", STREET_TREES_DOI]);
    assert!(!hits.is_empty());
    for hit in &hits {
        assert_eq!(hit["doi"], STREET_TREES_DOI, "{hit}");
        assert_eq!(hit["year"], 2020, "{hit}");
        assert!(
            hit["title"]
                .as_str()
                .is_some_and(|t| t.to_lowercase().contains("street-tree canopy")),
            "{hit}"
        );
    }
    Ok(())
}

#[test]
fn same_size_edit_with_a_new_mtime_is_changed() -> TestResult {
    let sandbox = Sandbox::new();
    let corpus = sandbox.copy_sample_corpus();
    sandbox.index(&corpus);
    let trees = corpus.join(STREET_TREES);
    let before = std::fs::read_to_string(&trees)?;
    let after = before.replace("impervious", "zzqqwwxxyy");
    assert_eq!(before.len(), after.len());
    let time = mtime(&trees) + Duration::from_secs(100);
    std::fs::write(&trees, &after)?;
    set_mtime(&trees, time);

    let run = sandbox.index(&corpus);
    assert_eq!(
        run.summary(),
        Summary {
            changed: 1,
            unchanged: PAGES.len() as u64 - 1,
            ..sample_unchanged()
        },
        "{}",
        run.describe()
    );
    sandbox.query(&["impervious"]).expect_code(1);
    let hits = sandbox.hits(&["zzqqwwxxyy"]);
    assert_eq!(hits.len(), 1);
    assert_eq!(hits[0]["doi"].as_str(), Some(STREET_TREES_DOI));
    Ok(())
}

#[test]
fn unchanged_files_are_not_opened_until_full() -> TestResult {
    // Root reads any file whatever its mode, so "not opened" is shown the
    // other way round: new bytes of the same size, behind the old size and
    // mtime, are only seen by a run that reads the file.
    let sandbox = Sandbox::new();
    let corpus = sandbox.copy_sample_corpus();
    sandbox.index(&corpus);
    let trees = corpus.join(STREET_TREES);
    let text = std::fs::read_to_string(&trees)?;
    swap_content_in_place(&trees, text.replace("impervious", "zzqqwwxxyy").as_bytes());

    let run = sandbox.index(&corpus);
    assert_eq!(run.summary(), sample_unchanged(), "{}", run.describe());
    sandbox.query(&["impervious"]).expect_code(0);
    sandbox.query(&["zzqqwwxxyy"]).expect_code(1);

    let full = sandbox.try_index(Some(&corpus), &["--full"]);
    full.expect_code(0);
    assert_eq!(full.summary(), sample_summary(), "{}", full.describe());
    sandbox.query(&["impervious"]).expect_code(1);
    assert_eq!(sandbox.hits(&["zzqqwwxxyy"]).len(), 1);
    Ok(())
}

#[test]
fn renamed_page_is_indexed_once_under_its_new_name() -> TestResult {
    let sandbox = Sandbox::new();
    let corpus = sandbox.copy_sample_corpus();
    sandbox.index(&corpus);
    let renamed = "ecology/street-trees-renamed.txt";
    std::fs::rename(corpus.join(STREET_TREES), corpus.join(renamed))?;

    let run = sandbox.index(&corpus);
    assert_eq!(
        run.summary(),
        Summary {
            added: 1,
            removed: 1,
            unchanged: PAGES.len() as u64 - 1,
            ..sample_unchanged()
        },
        "the same pages and statements, not the page twice\n{}",
        run.describe()
    );
    assert_eq!(expected(|s| s.mentions("impervious")).len(), 1);
    let hits = sandbox.hits(&["impervious"]);
    assert_eq!(hits.len(), 1, "{hits:?}");
    let path = hits[0]["path"].as_str().unwrap_or_default();
    assert!(path.ends_with(renamed), "path {path:?}");
    for hit in sandbox.hits(&["*", "--doi", STREET_TREES_DOI]) {
        let path = hit["path"].as_str().unwrap_or_default();
        assert!(path.ends_with(renamed), "old name still indexed: {hit}");
    }
    Ok(())
}

#[test]
fn deleting_one_saved_copy_keeps_the_statements_and_deleting_both_removes_them() -> TestResult {
    let sandbox = Sandbox::new();
    let corpus = sandbox.copy_sample_corpus();
    sandbox.index(&corpus);
    assert_eq!(
        std::fs::read(corpus.join(SPINDLE))?,
        std::fs::read(corpus.join(SPINDLE_COPY))?,
        "the two files are byte copies"
    );
    let spindle = expected(|s| s.page.path == SPINDLE);
    let per_copy = statements_of(SPINDLE);

    std::fs::remove_file(corpus.join(SPINDLE))?;
    let run = sandbox.index(&corpus);
    assert_eq!(
        run.summary(),
        Summary {
            removed: 1,
            unchanged: PAGES.len() as u64 - 1,
            pages: PAGES.len() as u64 - 1,
            statements: (all_statements().len() - per_copy) as u64,
            ..sample_unchanged()
        },
        "{}",
        run.describe()
    );
    let hits = sandbox.hits(&["*", "--doi", SPINDLE_DOI]);
    assert_same_statements(&hits, &spindle, "after deleting one copy");
    for hit in &hits {
        let path = hit["path"].as_str().unwrap_or_default();
        assert!(path.ends_with(SPINDLE_COPY), "served from {path:?}");
    }

    std::fs::remove_file(corpus.join(SPINDLE_COPY))?;
    let run = sandbox.index(&corpus);
    assert_eq!(
        run.summary(),
        Summary {
            removed: 1,
            unchanged: PAGES.len() as u64 - 2,
            pages: PAGES.len() as u64 - 2,
            statements: (all_statements().len() - 2 * per_copy) as u64,
            ..sample_unchanged()
        },
        "{}",
        run.describe()
    );
    sandbox.query(&["*", "--doi", SPINDLE_DOI]).expect_code(1);
    assert_eq!(
        sandbox.hits(&["*"]).len(),
        unique_statements().len() - spindle.len()
    );
    Ok(())
}

#[test]
fn junk_is_recorded_not_warned_about_again_and_rechecked_when_it_changes() -> TestResult {
    let sandbox = Sandbox::new();
    let corpus = sandbox.copy_sample_corpus();
    let first = sandbox.index(&corpus);
    let names: Vec<&str> = JUNK
        .iter()
        .map(|j| j.rsplit('/').next().unwrap_or(j))
        .collect();
    for name in &names {
        assert!(
            first.warnings().iter().any(|w| w.contains(name)),
            "{name} is warned about the first time\n{}",
            first.describe()
        );
    }

    let again = sandbox.index(&corpus);
    assert_eq!(again.summary(), sample_unchanged(), "{}", again.describe());
    for name in &names {
        assert!(
            !again.stderr.contains(name),
            "{name} was reported the first time, not again\n{}",
            again.describe()
        );
    }

    // Junk replaced by a report page is added.
    std::fs::write(
        corpus.join("junk/notes.txt"),
        new_page("10.5555/new.2024.0002", "zzformerjunk"),
    )?;
    let replaced = sandbox.index(&corpus);
    assert_eq!(
        replaced.summary(),
        Summary {
            added: 1,
            skipped: JUNK.len() as u64 - 1,
            pages: PAGES.len() as u64 + 1,
            statements: all_statements().len() as u64 + 2,
            ..sample_unchanged()
        },
        "{}",
        replaced.describe()
    );
    assert!(replaced.warnings().is_empty(), "{}", replaced.describe());
    assert_eq!(sandbox.hits(&["zzformerjunk"]).len(), 2);

    // New junk is warned about, once.
    std::fs::write(
        corpus.join("junk/shopping.txt"),
        "Milk, eggs, and a new notebook.\n",
    )?;
    let new_junk = sandbox.index(&corpus);
    assert_eq!(
        new_junk.summary(),
        Summary {
            unchanged: PAGES.len() as u64 + 1,
            pages: PAGES.len() as u64 + 1,
            statements: all_statements().len() as u64 + 2,
            ..sample_unchanged()
        },
        "{}",
        new_junk.describe()
    );
    let warnings = new_junk.warnings();
    assert_eq!(warnings.len(), 1, "{}", new_junk.describe());
    assert!(warnings[0].contains("shopping.txt"), "{warnings:?}");
    Ok(())
}

#[test]
fn touched_junk_is_not_reported_again() -> TestResult {
    // As for pages, a file that was only touched is the same file: the
    // warning given when it was first seen is not repeated, whether the
    // file was skipped for its content or for its name.
    let sandbox = Sandbox::new();
    let corpus = sandbox.copy_sample_corpus();
    sandbox.index(&corpus);
    for junk in JUNK {
        let path = corpus.join(junk);
        set_mtime(&path, mtime(&path) + Duration::from_secs(100));
    }
    let touched = sandbox.index(&corpus);
    assert_eq!(
        touched.summary(),
        sample_unchanged(),
        "{}",
        touched.describe()
    );
    assert!(
        touched.warnings().is_empty(),
        "touched junk is reported again\n{}",
        touched.describe()
    );
    Ok(())
}

#[test]
fn index_without_a_corpus_updates_the_remembered_one_and_another_needs_full() -> TestResult {
    let sandbox = Sandbox::new();
    let corpus = sandbox.copy_sample_corpus();
    sandbox.index(&corpus);
    let trees = corpus.join(STREET_TREES);
    let text = std::fs::read_to_string(&trees)?;
    std::fs::write(&trees, text.replace("impervious", "zzremembered"))?;

    let update = sandbox.try_index(None, &[]);
    update.expect_code(0);
    assert_eq!(
        update.summary(),
        Summary {
            changed: 1,
            unchanged: PAGES.len() as u64 - 1,
            ..sample_unchanged()
        },
        "{}",
        update.describe()
    );
    sandbox.query(&["zzremembered"]).expect_code(0);

    let other = sandbox.path().join("other");
    std::fs::create_dir(&other)?;
    std::fs::write(
        other.join("one.txt"),
        new_page("10.5555/oth.2024.0001", "zzotherroot"),
    )?;
    let refused = sandbox.try_index(Some(&other), &[]);
    refused.expect_code(2);
    assert!(
        refused.stderr.contains("--full"),
        "the refusal mentions --full\n{}",
        refused.describe()
    );
    assert_eq!(sandbox.hits(&["*"]).len(), unique_statements().len());
    sandbox.query(&["zzremembered"]).expect_code(0);
    sandbox.query(&["zzotherroot"]).expect_code(1);

    let switched = sandbox.try_index(Some(&other), &["--full"]);
    switched.expect_code(0);
    assert_eq!(
        switched.summary(),
        Summary {
            added: 1,
            pages: 1,
            statements: 2,
            ..Summary::default()
        },
        "{}",
        switched.describe()
    );
    sandbox.query(&["zzremembered"]).expect_code(1);
    assert_eq!(sandbox.hits(&["zzotherroot"]).len(), 2);

    // The remembered folder is now the other one.
    std::fs::write(
        other.join("two.txt"),
        new_page("10.5555/oth.2024.0002", "zzsecondother"),
    )?;
    let update = sandbox.try_index(None, &[]);
    update.expect_code(0);
    assert_eq!(
        update.summary(),
        Summary {
            added: 1,
            unchanged: 1,
            pages: 2,
            statements: 4,
            ..Summary::default()
        },
        "{}",
        update.describe()
    );
    assert_eq!(sandbox.hits(&["zzsecondother"]).len(), 2);
    Ok(())
}

#[test]
fn full_rebuild_counts_everything_as_added_and_leaves_one_generation() -> TestResult {
    // ARCHITECTURE.md: after a swap the old generation stays until the next
    // writer starts (a query that read the old name can still open it); that
    // writer removes it, so at most two exist and one after an update.
    let sandbox = Sandbox::new();
    sandbox.index(&sample_corpus());
    assert_eq!(sandbox.generations(), ["gen-000001"]);
    assert_eq!(sandbox.current_generation(), "gen-000001");

    let mut seen = vec!["gen-000001".to_string()];
    for corpus in [Some(sample_corpus()), None] {
        let previous = sandbox.current_generation();
        let run = sandbox.try_index(corpus.as_deref(), &["--full"]);
        run.expect_code(0);
        assert_eq!(run.summary(), sample_summary(), "{}", run.describe());
        let current = sandbox.current_generation();
        assert!(
            !seen.contains(&current),
            "--full writes a new generation, not {current}"
        );
        let mut expected = vec![previous, current.clone()];
        expected.sort();
        assert_eq!(
            sandbox.generations(),
            expected,
            "the live and the previous one"
        );
        seen.push(current);
        assert_eq!(sandbox.hits(&["*"]).len(), unique_statements().len());
    }
    sandbox.try_index(None, &[]).expect_code(0);
    assert_eq!(sandbox.generations(), [sandbox.current_generation()]);
    Ok(())
}

#[test]
fn index_built_under_another_schema_is_refused_by_query_and_rebuilt_by_index() -> TestResult {
    let sandbox = Sandbox::new();
    sandbox.index(&sample_corpus());
    let meta_path = sandbox
        .index_dir()
        .join(sandbox.current_generation())
        .join("meta.json");
    let mut meta: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&meta_path)?)?;
    let mut payload: serde_json::Value =
        serde_json::from_str(meta["payload"].as_str().ok_or("meta.json has a payload")?)?;
    let schema = payload["schema"]
        .as_str()
        .ok_or("the payload names a schema")?;
    assert_ne!(schema, "00000000deadbeef");
    payload["schema"] = "00000000deadbeef".into();
    meta["payload"] = payload.to_string().into();
    std::fs::write(&meta_path, meta.to_string())?;

    let refused = sandbox.query(&["impervious"]);
    refused.expect_code(2);
    assert!(
        refused.stderr.contains("citeindex index"),
        "the message says to run index\n{}",
        refused.describe()
    );
    assert!(refused.stdout.is_empty(), "{}", refused.describe());

    let rebuilt = sandbox.try_index(None, &[]);
    rebuilt.expect_code(0);
    assert!(
        rebuilt.stderr.contains("schema"),
        "the rebuild is announced\n{}",
        rebuilt.describe()
    );
    assert_eq!(
        rebuilt.summary(),
        sample_summary(),
        "{}",
        rebuilt.describe()
    );
    // The old generation stays until the next writer starts.
    assert_eq!(sandbox.generations().len(), 2);
    sandbox.try_index(None, &[]).expect_code(0);
    assert_eq!(sandbox.generations().len(), 1);
    assert_eq!(sandbox.hits(&["*"]).len(), unique_statements().len());
    Ok(())
}

#[test]
fn failed_generation_swap_leaves_the_previous_index_intact() -> TestResult {
    // Root ignores permissions, so the failure is injected with a name
    // clash: a folder where the rebuild must write `CURRENT.tmp`.
    let sandbox = Sandbox::new();
    let corpus = sandbox.copy_sample_corpus();
    sandbox.index(&corpus);
    let blocker = sandbox.index_dir().join("CURRENT.tmp");
    std::fs::create_dir_all(blocker.join("in-the-way"))?;
    std::fs::write(
        corpus.join("ecology/new-page.txt"),
        new_page("10.5555/new.2024.0003", "zzrebuiltword"),
    )?;

    let failed = sandbox.try_index(None, &["--full"]);
    failed.expect_code(2);
    assert!(
        failed.stderr.contains("CURRENT.tmp"),
        "the message names what could not be written\n{}",
        failed.describe()
    );
    assert_eq!(sandbox.current_generation(), "gen-000001");
    assert_eq!(
        sandbox.generations(),
        ["gen-000001"],
        "the unpublished generation is removed"
    );
    assert_eq!(sandbox.hits(&["*"]).len(), unique_statements().len());
    sandbox.query(&["zzrebuiltword"]).expect_code(1);

    std::fs::remove_dir_all(&blocker)?;
    let rebuilt = sandbox.try_index(None, &["--full"]);
    rebuilt.expect_code(0);
    // The live one, and the old one until the next writer starts.
    assert_eq!(sandbox.generations().len(), 2);
    assert_ne!(sandbox.current_generation(), "gen-000001");
    assert_eq!(sandbox.hits(&["zzrebuiltword"]).len(), 2);
    Ok(())
}

#[test]
fn queries_during_full_rebuilds_never_fail() -> TestResult {
    // A rebuild swaps CURRENT, and the next one removes the generation before;
    // a query that read an old name just before must still answer. The window
    // is a few milliseconds a swap, so two threads query through ten swaps.
    let sandbox = Sandbox::new();
    sandbox.index(&sample_corpus());
    let rebuilding = AtomicBool::new(true);
    let queries = AtomicUsize::new(0);
    std::thread::scope(|scope| {
        let query_loop = || {
            while rebuilding.load(Ordering::Relaxed) {
                let run = sandbox.query(&["impervious", "--json"]);
                run.expect_code(0);
                assert_eq!(run.json_lines().len(), 1, "{}", run.describe());
                queries.fetch_add(1, Ordering::Relaxed);
            }
        };
        let threads = [scope.spawn(query_loop), scope.spawn(query_loop)];
        {
            // Stops the queries however the rebuilds end, a panic included.
            let _stop = StopOnDrop(&rebuilding);
            for _ in 0..10 {
                let run = sandbox.spawn_index(None, &["--full", "--quiet"]).finish();
                run.expect_code(0);
            }
        }
        for thread in threads {
            if let Err(panic) = thread.join() {
                std::panic::resume_unwind(panic);
            }
        }
    });
    assert!(
        queries.into_inner() >= 10,
        "too few queries ran during the rebuilds"
    );
    // The live generation and the one it replaced, which the next writer removes.
    assert_eq!(sandbox.generations().len(), 2);
    Ok(())
}

/// Clears the flag when dropped.
struct StopOnDrop<'a>(&'a AtomicBool);

impl Drop for StopOnDrop<'_> {
    fn drop(&mut self) {
        self.0.store(false, Ordering::Relaxed);
    }
}

// ---------------------------------------------------------------------------
// Killed, raced and overlapping runs, on the generated corpus.

/// Pages indexed before the run that a test kills or races. With
/// [`BATCH`], sized so that a debug build takes about a second a run (about
/// 1.5 ms a page on an idle machine) and the whole module about half a minute.
const BASE: usize = 500;
/// Pages each killed or raced run adds.
const BATCH: usize = 300;
/// Pages of an index that is there only to be updated (about 100 KiB).
const SMALL: usize = 50;

/// What the index holds with `pages` generated pages and nothing else.
fn big_summary(added: usize, unchanged: usize) -> Summary {
    Summary {
        added: added as u64,
        unchanged: unchanged as u64,
        pages: (added + unchanged) as u64,
        statements: ((added + unchanged) * STATEMENTS_PER_PAGE) as u64,
        ..Summary::default()
    }
}

/// A sandbox whose index holds generated pages `0..pages`, with the corpus
/// folder and how long that first run took.
fn indexed_big(pages: usize) -> (Sandbox, PathBuf, Duration) {
    let sandbox = Sandbox::new();
    let corpus = sandbox.path().join("big");
    big::write_pages(&corpus, 0..pages);
    let started = Instant::now();
    let run = sandbox.index(&corpus);
    let took = started.elapsed();
    assert_eq!(run.summary(), big_summary(pages, 0), "{}", run.describe());
    (sandbox, corpus, took)
}

/// Asserts that the index finds generated pages `0..pages` (a sample of them).
#[track_caller]
fn assert_holds(sandbox: &Sandbox, pages: usize) {
    let sample = big::spread(0..pages, 24);
    let found = big::found_pages(sandbox, &sample);
    let missing: Vec<_> = sample.iter().filter(|n| !found.contains(n)).collect();
    assert!(
        missing.is_empty(),
        "pages missing from the index: {missing:?}"
    );
}

/// Asserts the index answers with exactly one of two states: pages
/// `0..committed` (`false`), or those and `batch` (`true`), never a mix.
#[track_caller]
fn committed_state(sandbox: &Sandbox, committed: usize, batch: Range<usize>) -> bool {
    assert!(!batch.is_empty(), "two different states to tell apart");
    let old = big::spread(0..committed, 12);
    let new = big::spread(batch, 12);
    let mut asked = old.clone();
    asked.extend(&new);
    let found = big::found_pages(sandbox, &asked);
    let missing: Vec<_> = old.iter().filter(|n| !found.contains(n)).collect();
    assert!(missing.is_empty(), "committed pages lost: {missing:?}");
    let new_found = new.iter().filter(|n| found.contains(n)).count();
    assert!(
        new_found == 0 || new_found == new.len(),
        "a mix: {new_found} of the {} sampled new pages are in the index",
        new.len()
    );
    new_found == new.len()
}

/// When a test kills an `index` run.
#[derive(Debug, Clone, Copy)]
enum KillAt {
    /// This fraction of the time a run like it took (at least 50 ms).
    Time(f64),
    /// Once a new segment's term dictionary has bytes: the commit is being
    /// written.
    Serializing,
    /// Once `meta.json` has changed: the commit is done, the merges run.
    Committed,
}

/// The files of a generation folder with their sizes.
fn files_with_sizes(generation: &Path) -> Vec<(String, u64)> {
    std::fs::read_dir(generation)
        .map(|entries| {
            entries
                .filter_map(Result::ok)
                .map(|e| {
                    let size = e.metadata().map_or(0, |m| m.len());
                    (e.file_name().to_string_lossy().into_owned(), size)
                })
                .collect()
        })
        .unwrap_or_default()
}

#[test]
fn killed_update_leaves_the_last_commit_and_the_next_run_completes() -> TestResult {
    let (sandbox, corpus, took) = indexed_big(BASE);
    // How long one page takes, recalibrated after every complete run.
    let mut per_page = took / BASE as u32;
    let mut committed = BASE;
    let mut before_commit = 0;
    let mut landings = Vec::new();
    let moments = [
        KillAt::Time(0.0),
        KillAt::Time(0.4),
        KillAt::Serializing,
        KillAt::Committed,
        KillAt::Time(0.85),
    ];
    for moment in moments {
        let batch = committed..committed + BATCH;
        big::write_pages(&corpus, batch.clone());
        let generation = sandbox.index_dir().join(sandbox.current_generation());
        let files_before = files_with_sizes(&generation);
        let meta_before = std::fs::read(generation.join("meta.json"))?;

        let mut writer = sandbox.spawn_index(None, &[]);
        let ending = match moment {
            KillAt::Time(fraction) => writer.kill_after(
                (per_page * BATCH as u32)
                    .mul_f64(fraction)
                    .max(Duration::from_millis(50)),
            ),
            KillAt::Serializing => {
                writer.wait_until("a segment being written", || {
                    files_with_sizes(&generation).iter().any(|(name, size)| {
                        name.ends_with(".term")
                            && *size > 0
                            && !files_before.iter().any(|(old, _)| old == name)
                    })
                });
                writer.kill_now()
            }
            KillAt::Committed => {
                writer.wait_until("the commit", || {
                    std::fs::read(generation.join("meta.json")).is_ok_and(|m| m != meta_before)
                });
                writer.kill_now()
            }
        };
        if let Ending::Finished(run) = &ending {
            run.expect_code(0);
        }

        let landed_after_commit = committed_state(&sandbox, committed, batch.clone());
        if matches!(ending, Ending::Finished(_)) || matches!(moment, KillAt::Committed) {
            assert!(
                landed_after_commit,
                "a commit on disk before the kill is kept ({ending:?})"
            );
        }
        if !landed_after_commit {
            before_commit += 1;
        }
        let state = if landed_after_commit {
            "after"
        } else {
            "before"
        };
        landings.push(match &ending {
            Ending::Killed { after } => {
                format!("{moment:?}: killed at {after:?}, {state} the commit")
            }
            Ending::Finished(_) => format!("{moment:?}: finished before the kill"),
        });

        // The killed writer's lock does not block, and the next run
        // completes exactly what the commit did not.
        let started = Instant::now();
        let next = sandbox.try_index(None, &[]);
        next.expect_code(0);
        let want = if landed_after_commit {
            big_summary(0, committed + BATCH)
        } else {
            per_page = started.elapsed() / BATCH as u32;
            big_summary(BATCH, committed)
        };
        assert_eq!(
            next.summary(),
            want,
            "after {ending:?}\n{}",
            next.describe()
        );
        assert!(committed_state(&sandbox, committed, batch));
        if !landed_after_commit {
            assert_eq!(
                unreferenced_files(&generation),
                Vec::<String>::new(),
                "the dead writer's files are collected by the next one"
            );
        }
        committed += BATCH;
    }
    eprintln!("kills: {landings:#?}");
    assert!(
        before_commit >= 1,
        "no kill landed before the commit: the runs are too short to test anything"
    );
    Ok(())
}

#[test]
fn killed_full_rebuild_keeps_the_old_generation_and_the_next_run_removes_the_debris() -> TestResult
{
    let (sandbox, _corpus, took) = indexed_big(BASE);
    assert_eq!(sandbox.current_generation(), "gen-000001");

    // Killed as soon as its generation folder exists: long before the swap.
    let mut rebuild = sandbox.spawn_index(None, &["--full"]);
    let debris = sandbox.index_dir().join("gen-000002");
    assert!(
        rebuild.wait_until("the new generation", || debris.exists()),
        "the rebuild ended before its generation folder was seen"
    );
    let ending = rebuild.kill_now();
    assert!(
        matches!(ending, Ending::Killed { .. }),
        "the rebuild finished at once: {ending:?}"
    );
    assert_eq!(sandbox.current_generation(), "gen-000001");
    assert_eq!(sandbox.generations(), ["gen-000001", "gen-000002"]);
    assert_holds(&sandbox, BASE);
    let next = sandbox.try_index(None, &[]);
    next.expect_code(0);
    assert_eq!(next.summary(), big_summary(0, BASE), "{}", next.describe());
    assert_eq!(sandbox.generations(), ["gen-000001"], "debris removed");
    assert_eq!(sandbox.current_generation(), "gen-000001");

    // Killed near the end: before or after the swap, but CURRENT always
    // names a complete generation, and the next run leaves only that one.
    let ending = sandbox
        .spawn_index(None, &["--full"])
        .kill_after(took.mul_f64(0.9));
    if let Ending::Finished(run) = &ending {
        run.expect_code(0);
    }
    let live = sandbox.current_generation();
    assert!(sandbox.generations().contains(&live));
    assert_holds(&sandbox, BASE);
    let next = sandbox.try_index(None, &[]);
    next.expect_code(0);
    assert_eq!(next.summary(), big_summary(0, BASE), "{}", next.describe());
    assert_eq!(sandbox.generations(), [live.as_str()], "after {ending:?}");
    assert_eq!(sandbox.current_generation(), live);
    Ok(())
}

#[test]
fn killed_writer_leaves_no_stale_lock() -> TestResult {
    let (sandbox, corpus, _) = indexed_big(SMALL);
    big::write_pages(&corpus, SMALL..SMALL + BATCH);
    let mut writer = sandbox.spawn_index(None, &[]);
    assert!(
        writer.wait_for_writer_lock(&sandbox),
        "the run ended before it was seen holding the lock"
    );
    let pid = writer.pid();
    assert!(matches!(writer.kill_now(), Ending::Killed { .. }));
    assert!(
        sandbox.index_dir().join("writer.lock").exists(),
        "the lock file stays behind"
    );
    assert!(!sandbox.writer_lock_held_by(pid));

    let next = sandbox.try_index(None, &[]);
    next.expect_code(0);
    assert!(
        !next.stderr.contains("another"),
        "the dead writer's lock blocks the next run\n{}",
        next.describe()
    );
    assert_eq!(
        next.summary(),
        big_summary(BATCH, SMALL),
        "{}",
        next.describe()
    );
    Ok(())
}

#[test]
fn killed_first_build_does_not_lock_the_index_folder_out() -> TestResult {
    // A first build killed before its first commit leaves the index folder
    // without CURRENT; the next run must build it, not refuse it as foreign.
    let sandbox = Sandbox::new();
    let corpus = sandbox.path().join("big");
    big::write_pages(&corpus, 0..BASE);
    let mut first = sandbox.spawn_index(Some(&corpus), &[]);
    assert!(
        first.wait_for_writer_lock(&sandbox),
        "the first build ended before it was seen holding the lock"
    );
    assert!(matches!(first.kill_now(), Ending::Killed { .. }));
    assert!(!sandbox.index_dir().join("CURRENT").exists());

    let next = sandbox.try_index(Some(&corpus), &[]);
    next.expect_code(0);
    assert_eq!(next.summary(), big_summary(BASE, 0), "{}", next.describe());
    assert_holds(&sandbox, BASE);
    Ok(())
}

#[test]
fn second_writer_is_refused_at_once_while_the_first_finishes() -> TestResult {
    let (sandbox, corpus, _) = indexed_big(SMALL);
    big::write_pages(&corpus, SMALL..SMALL + 2 * BATCH);
    let mut first = sandbox.spawn_index(None, &[]);
    assert!(
        first.wait_for_writer_lock(&sandbox),
        "the first run ended before it was seen holding the lock"
    );
    for extra in [&[][..], &["--full"][..]] {
        let second = sandbox.try_index(None, extra);
        second.expect_code(2);
        assert!(
            second.stderr.contains("another") && second.stderr.contains("updating"),
            "the message says another process is updating the index\n{}",
            second.describe()
        );
        assert!(
            first.running(),
            "the second writer was not refused before the first finished"
        );
    }
    let done = first.finish();
    done.expect_code(0);
    assert_eq!(
        done.summary(),
        big_summary(2 * BATCH, SMALL),
        "{}",
        done.describe()
    );
    assert_eq!(
        sandbox.generations(),
        ["gen-000001"],
        "the refused --full left nothing"
    );
    assert!(committed_state(&sandbox, SMALL, SMALL..SMALL + 2 * BATCH));
    Ok(())
}

#[test]
fn second_writer_during_the_first_build_is_told_another_process_is_updating() -> TestResult {
    let sandbox = Sandbox::new();
    let corpus = sandbox.path().join("big");
    big::write_pages(&corpus, 0..BASE);
    let mut first = sandbox.spawn_index(Some(&corpus), &[]);
    assert!(
        first.wait_for_writer_lock(&sandbox),
        "the first build ended before it was seen holding the lock"
    );
    let second = sandbox.try_index(Some(&corpus), &[]);
    second.expect_code(2);
    let still_running = first.running();
    let done = first.finish();
    done.expect_code(0);
    assert!(
        second.stderr.contains("another") && second.stderr.contains("updating"),
        "the message says another process is updating the index\n{}",
        second.describe()
    );
    assert!(
        still_running,
        "the second writer was refused only after the first finished"
    );
    assert_holds(&sandbox, BASE);
    Ok(())
}

#[test]
fn queries_during_an_update_answer_the_old_or_the_new_state() -> TestResult {
    let (sandbox, corpus, _) = indexed_big(BASE);
    let batch = BASE..BASE + BATCH;
    big::write_pages(&corpus, batch.clone());

    let mut writer = sandbox.spawn_index(None, &[]);
    let (mut during, mut saw_new) = (0, false);
    while writer.running() {
        let new = committed_state(&sandbox, BASE, batch.clone());
        assert!(
            !saw_new || new,
            "the new state was seen, then the old one again"
        );
        saw_new |= new;
        during += 1;
    }
    let run = writer.finish();
    run.expect_code(0);
    assert_eq!(
        run.summary(),
        big_summary(BATCH, BASE),
        "{}",
        run.describe()
    );
    assert!(during >= 1, "no query ran during the update");
    assert!(committed_state(&sandbox, BASE, batch));

    // And during a rebuild, which ends by swapping generations.
    let mut writer = sandbox.spawn_index(None, &["--full"]);
    let mut during_full = 0;
    while writer.running() {
        assert_holds(&sandbox, BASE + BATCH);
        during_full += 1;
    }
    writer.finish().expect_code(0);
    assert!(during_full >= 1, "no query ran during the rebuild");
    Ok(())
}

// ---------------------------------------------------------------------------
// An index that cannot be written. Root ignores permissions, so these mount
// a small tmpfs on the index folder: full, or read-only. Where mounting is
// not allowed they say so on stderr and pass without checking anything.

/// Pages whose index does not fit in what a 256 KiB tmpfs holding a
/// [`SMALL`] index has left (it needs about 300 KiB).
const OVERFLOW: usize = 400;

/// The generated pages' index after `base` pages, on a tmpfs of `size`.
fn big_on_tmpfs(sandbox: &Sandbox, size: &str, base: usize, test: &str) -> Option<Tmpfs> {
    let disk = Tmpfs::mount_or_skip(&sandbox.index_dir(), size, test)?;
    let corpus = sandbox.path().join("big");
    big::write_pages(&corpus, 0..base);
    let run = sandbox.index(&corpus);
    assert_eq!(run.summary(), big_summary(base, 0), "{}", run.describe());
    Some(disk)
}

/// Whether the message says the disk is full, and does not blame the index.
#[track_caller]
fn assert_says_disk_full(run: &Run) {
    assert!(
        run.stderr.contains("No space left on device"),
        "the message names the cause\n{}",
        run.describe()
    );
    assert!(
        !run.stderr.contains("cannot be read"),
        "a write that failed is not an index that cannot be read\n{}",
        run.describe()
    );
}

#[test]
fn update_on_a_full_disk_fails_cleanly_and_keeps_the_last_commit() -> TestResult {
    let sandbox = Sandbox::new();
    let Some(disk) = big_on_tmpfs(&sandbox, "256k", SMALL, "update_on_a_full_disk") else {
        return Ok(());
    };
    let corpus = sandbox.path().join("big");
    big::write_pages(&corpus, SMALL..SMALL + OVERFLOW);

    let failed = sandbox.try_index(None, &[]);
    failed.expect_code(2);
    assert!(!committed_state(&sandbox, SMALL, SMALL..SMALL + OVERFLOW));

    // With room again, the same update goes through and leaves no debris.
    disk.remount("size=64m");
    let next = sandbox.try_index(None, &[]);
    next.expect_code(0);
    assert_eq!(
        next.summary(),
        big_summary(OVERFLOW, SMALL),
        "{}",
        next.describe()
    );
    assert!(committed_state(&sandbox, SMALL, SMALL..SMALL + OVERFLOW));
    let generation = sandbox.index_dir().join(sandbox.current_generation());
    assert_eq!(unreferenced_files(&generation), Vec::<String>::new());

    assert_says_disk_full(&failed);
    Ok(())
}

#[test]
fn full_rebuild_on_a_full_disk_fails_cleanly_and_keeps_the_live_generation() -> TestResult {
    let sandbox = Sandbox::new();
    let Some(_disk) = big_on_tmpfs(&sandbox, "256k", SMALL, "full_rebuild_on_a_full_disk") else {
        return Ok(());
    };
    let corpus = sandbox.path().join("big");
    big::write_pages(&corpus, SMALL..SMALL + OVERFLOW);

    let failed = sandbox.try_index(None, &["--full"]);
    failed.expect_code(2);
    assert_eq!(sandbox.current_generation(), "gen-000001");
    assert_eq!(
        sandbox.generations(),
        ["gen-000001"],
        "the failed generation is removed"
    );
    assert!(!committed_state(&sandbox, SMALL, SMALL..SMALL + OVERFLOW));
    assert_says_disk_full(&failed);
    Ok(())
}

#[test]
fn debris_of_a_failed_update_is_collected_even_when_nothing_changed() -> TestResult {
    let sandbox = Sandbox::new();
    let Some(disk) = big_on_tmpfs(&sandbox, "256k", SMALL, "debris_of_a_failed_update") else {
        return Ok(());
    };
    let corpus = sandbox.path().join("big");
    big::write_pages(&corpus, SMALL..SMALL + OVERFLOW);
    sandbox.try_index(None, &[]).expect_code(2);
    let generation = sandbox.index_dir().join("gen-000001");
    assert_ne!(
        unreferenced_files(&generation),
        Vec::<String>::new(),
        "the failed update left files behind (else this test checks nothing)"
    );

    // The user makes room by taking the new pages out again: nothing to
    // index, but the dead writer's files must still go.
    for n in SMALL..SMALL + OVERFLOW {
        std::fs::remove_file(big::page_path(&corpus, n))?;
    }
    disk.remount("size=64m");
    let next = sandbox.try_index(None, &[]);
    next.expect_code(0);
    assert_eq!(next.summary(), big_summary(0, SMALL), "{}", next.describe());
    assert_eq!(
        unreferenced_files(&generation),
        Vec::<String>::new(),
        "the next writer collects the failed writer's files"
    );
    Ok(())
}

#[test]
fn read_only_index_refuses_updates_clearly_and_still_answers_queries() -> TestResult {
    let sandbox = Sandbox::new();
    let Some(disk) = Tmpfs::mount_or_skip(&sandbox.index_dir(), "8m", "read_only_index") else {
        return Ok(());
    };
    let corpus = sandbox.copy_sample_corpus();
    sandbox.index(&corpus);
    disk.remount("ro");
    let trees = corpus.join(STREET_TREES);
    let text = std::fs::read_to_string(&trees)?;
    std::fs::write(&trees, text.replace("impervious", "zzreadonly"))?;

    let refused = sandbox.try_index(None, &[]);
    refused.expect_code(2);
    assert!(
        refused.stderr.contains("Read-only file system"),
        "the message names the cause\n{}",
        refused.describe()
    );
    let hits = sandbox.query(&["impervious", "--json"]);
    hits.expect_code(0);
    assert_eq!(hits.json_lines().len(), 1, "{}", hits.describe());
    Ok(())
}

#[test]
fn names_that_sort_differently_as_paths_and_as_names_are_matched_across_runs() -> TestResult {
    // The run merges the folder's walk with the index's manifest, both in the
    // byte order of stored paths. Names with bytes below `/` (space, `-`, `.`)
    // beside folders of the same stem are where a walk sorted by name alone
    // would disagree: `a.txt` < `a/b.txt` as paths, folder `a` < `a.txt` as names.
    let sandbox = Sandbox::new();
    let corpus = sandbox.path().join("names");
    let names = [
        "a.txt",
        "a-b.txt",
        "a b.txt",
        "a0.txt",
        "a/b.txt",
        "a/b/c.txt",
        "a/b.c/d.txt",
        "a/b-c.txt",
        "a b/x.txt",
        "a-b/x.txt",
        "a.d/x.txt",
        "a0/x.txt",
        "ab.txt",
        "Z.txt",
    ];
    for (i, name) in names.iter().enumerate() {
        let path = corpus.join(name);
        std::fs::create_dir_all(path.parent().ok_or("a parent")?)?;
        std::fs::write(&path, new_page(&format!("10.5555/names.{i}"), "quolmarine"))?;
    }
    let first = sandbox.index(&corpus).summary();
    assert_eq!((first.added, first.pages), (14, 14), "{first:?}");
    let second = sandbox.index(&corpus).summary();
    assert_eq!(
        (
            second.added,
            second.changed,
            second.removed,
            second.unchanged
        ),
        (0, 0, 0, 14),
        "a second run finds every file in the manifest: {second:?}"
    );

    // Remove one on each side of the `/` boundary, change one, add one.
    std::fs::remove_file(corpus.join("a.txt"))?;
    std::fs::remove_file(corpus.join("a/b/c.txt"))?;
    std::fs::write(
        corpus.join("a-b/x.txt"),
        new_page("10.5555/names.changed", "quolmarine changed"),
    )?;
    std::fs::write(
        corpus.join("a/a.txt"),
        new_page("10.5555/names.new", "quolmarine"),
    )?;
    let third = sandbox.index(&corpus).summary();
    assert_eq!(
        (
            third.added,
            third.changed,
            third.removed,
            third.unchanged,
            third.pages
        ),
        (1, 1, 2, 11, 13),
        "{third:?}"
    );
    let hits = sandbox.query(&["quolmarine", "--limit", "100", "--json"]);
    hits.expect_code(0);
    assert_eq!(hits.stdout.lines().count(), 2 * 13, "{}", hits.describe());
    Ok(())
}

/// A copy of one of the browser-saved fixtures: `ENGINE/NAME`.
fn browser_fixture(name: &str) -> std::io::Result<Vec<u8>> {
    std::fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/browser")
            .join(name),
    )
}

#[test]
fn saved_forms_are_updated_like_any_page_and_asset_folders_stay_quiet() -> TestResult {
    let sandbox = Sandbox::new();
    let corpus = sandbox.path().join("corpus");
    std::fs::create_dir(&corpus)?;
    std::fs::write(
        corpus.join("a.mhtml"),
        browser_fixture("chromium/brca1-base-editing-screen-2022.mhtml")?,
    )?;
    std::fs::write(
        corpus.join("b.pdf"),
        browser_fixture("chromium/gpx4-persister-cells-2016.pdf")?,
    )?;
    std::fs::write(
        corpus.join("c.webarchive"),
        browser_fixture("chromium/heat-mortality-european-cities-2024.webarchive")?,
    )?;
    // A "Webpage, Complete" save with its folder of assets.
    let complete = sample_corpus().join("browser");
    let stem = "benchmark-contamination-llm-2023";
    std::fs::copy(
        complete.join(format!("{stem}.html")),
        corpus.join(format!("{stem}.html")),
    )?;
    let assets = corpus.join(format!("{stem}_files"));
    std::fs::create_dir(&assets)?;
    for asset in ASSETS {
        let name = Path::new(asset).file_name().ok_or("an asset name")?;
        std::fs::copy(sample_corpus().join(asset), assets.join(name))?;
    }
    let pages = ["brca1", "gpx4", "heat-mortality", "benchmark"].map(|p| {
        PAGES
            .iter()
            .find(|f| f.path.starts_with("html/") && f.path.contains(p))
            .map_or(0, |f| f.statements.len() as u64)
    });
    let statements: u64 = pages.iter().sum();

    let run = sandbox.index(&corpus);
    assert_eq!(
        run.summary(),
        Summary {
            added: 4,
            assets: ASSETS.len() as u64,
            pages: 4,
            statements,
            ..Summary::default()
        },
        "{}",
        run.describe()
    );
    assert!(run.warnings().is_empty(), "{}", run.describe());

    // Change a word of the MHTML page, add an asset, delete the PDF.
    let mhtml = std::fs::read_to_string(corpus.join("a.mhtml"))?;
    assert!(mhtml.contains("Saturation base editing"));
    std::fs::write(
        corpus.join("a.mhtml"),
        mhtml.replace("Saturation base editing", "Zzsaturated base editing"),
    )?;
    std::fs::write(assets.join("later.js"), "console.log(1)")?;
    std::fs::remove_file(corpus.join("b.pdf"))?;
    let run = sandbox.index(&corpus);
    assert_eq!(
        run.summary(),
        Summary {
            changed: 1,
            removed: 1,
            unchanged: 2,
            assets: ASSETS.len() as u64 + 1,
            pages: 3,
            statements: statements - pages[1],
            ..Summary::default()
        },
        "{}",
        run.describe()
    );
    assert!(run.warnings().is_empty(), "{}", run.describe());
    let hits = sandbox.hits(&["zzsaturated"]);
    assert_eq!(hits.len(), 1);
    assert!(hits[0]["path"]
        .as_str()
        .is_some_and(|p| p.ends_with("a.mhtml")));
    sandbox
        .query(&["persister", "--doi", "10.5555/gen.2016.0410"])
        .expect_code(1);
    Ok(())
}

#[test]
fn firefox_and_webkit_saves_are_updated_like_any_page() -> TestResult {
    let sandbox = Sandbox::new();
    let corpus = sandbox.path().join("corpus");
    std::fs::create_dir(&corpus)?;
    let save = "firefox/spindle-deficits-schizophrenia-2014.save.txt";
    std::fs::write(corpus.join("d.txt"), browser_fixture(save)?)?;
    let a6 = "firefox/gpx4-persister-cells-2016.a6.pdf";
    std::fs::write(corpus.join("e.pdf"), browser_fixture(a6)?)?;
    let printed = "webkit/heat-mortality-european-cities-2024.pdf";
    std::fs::write(corpus.join("f.pdf"), browser_fixture(printed)?)?;
    let statements = |p: &str| {
        PAGES
            .iter()
            .find(|f| f.path.starts_with("html/") && f.path.contains(p))
            .map_or(0, |f| f.statements.len() as u64)
    };
    // Firefox's text save also holds the page's template card (saved_forms.rs).
    let total =
        statements("spindle-deficits") + 1 + statements("gpx4") + statements("heat-mortality");
    let run = sandbox.index(&corpus);
    assert_eq!(
        run.summary(),
        Summary {
            added: 3,
            pages: 3,
            statements: total,
            ..Summary::default()
        },
        "{}",
        run.describe()
    );
    assert!(run.warnings().is_empty(), "{}", run.describe());
    // The statement the A6 footer stood beside was read whole.
    let hits = sandbox.hits(&["\"persisters across four lineages\""]);
    assert_eq!(hits.len(), 1, "{hits:?}");

    // Change a word of a statement wrapped (with an emphasis pair across the
    // break) in the text save, delete WebKit's PDF.
    let text = std::fs::read_to_string(corpus.join("d.txt"))?;
    assert!(text.contains("correlates with impaired"));
    std::fs::write(
        corpus.join("d.txt"),
        text.replace("correlates with impaired", "correlates with zzimpaired"),
    )?;
    std::fs::remove_file(corpus.join("f.pdf"))?;
    let run = sandbox.index(&corpus);
    assert_eq!(
        run.summary(),
        Summary {
            changed: 1,
            removed: 1,
            unchanged: 1,
            pages: 2,
            statements: total - statements("heat-mortality"),
            ..Summary::default()
        },
        "{}",
        run.describe()
    );
    let run = sandbox.index(&corpus);
    assert_eq!(run.summary().unchanged, 2, "{}", run.describe());
    let hits = sandbox.hits(&["zzimpaired"]);
    assert_eq!(hits.len(), 1, "{hits:?}");
    assert!(
        hits[0]["text"].as_str().is_some_and(
            |t| t.contains("reduction of sleep spindles that correlates with zzimpaired")
        )
    );
    sandbox
        .query(&["heat", "--doi", "10.5555/urb.2024.0021"])
        .expect_code(1);
    Ok(())
}

/// Edits the record in the live generation's last commit, as an index
/// written by another version of citeindex would hold it.
fn edit_commit_record(index: &Path, edit: impl FnOnce(&mut serde_json::Value)) -> TestResult {
    let generation = std::fs::read_to_string(index.join("CURRENT"))?;
    let meta_path = index.join(generation.trim()).join("meta.json");
    let mut meta: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&meta_path)?)?;
    let payload = meta["payload"].as_str().ok_or("a commit payload")?;
    let mut record: serde_json::Value = serde_json::from_str(payload)?;
    assert!(
        record["parser"].is_string(),
        "the record names its parser: {record}"
    );
    edit(&mut record);
    meta["payload"] = record.to_string().into();
    std::fs::write(&meta_path, serde_json::to_string(&meta)?)?;
    Ok(())
}

#[test]
fn an_index_filled_by_another_parser_is_read_again_in_one_update() -> TestResult {
    let sandbox = Sandbox::new();
    let corpus = sandbox.copy_sample_corpus();
    assert_eq!(sandbox.index(&corpus).summary(), sample_summary());
    edit_commit_record(&sandbox.index_dir(), |record| {
        record["parser"] = "0123456789abcdef".into();
    })?;

    let run = sandbox.index(&corpus);
    let notes: Vec<&str> = run
        .stderr
        .lines()
        .filter(|l| l.contains("parser"))
        .collect();
    assert_eq!(
        notes.len(),
        1,
        "one line names the parser\n{}",
        run.describe()
    );
    // Every page read again and replaced, every junk file looked at again;
    // nothing counted unchanged, and junk is not warned about twice.
    assert_eq!(
        run.summary(),
        Summary {
            added: 0,
            changed: PAGES.len() as u64,
            ..sample_summary()
        },
        "{}",
        run.describe()
    );
    assert!(
        !run.warnings().iter().any(|w| w.contains("skipped")),
        "{}",
        run.describe()
    );
    // In place: the same generation, not a rebuild.
    assert!(!run.stderr.contains("rebuild"), "{}", run.describe());
    // The commit now names this parser: the next run reads nothing.
    let run = sandbox.index(&corpus);
    assert_eq!(run.summary(), sample_unchanged(), "{}", run.describe());
    assert!(!run.stderr.contains("parser"), "{}", run.describe());
    Ok(())
}

#[test]
fn an_index_from_before_parsers_were_recorded_is_read_again() -> TestResult {
    let sandbox = Sandbox::new();
    let corpus = sandbox.copy_sample_corpus();
    sandbox.index(&corpus);
    // Older records have no `parser` at all.
    edit_commit_record(&sandbox.index_dir(), |record| {
        if let Some(fields) = record.as_object_mut() {
            fields.remove("parser");
        }
    })?;
    let run = sandbox.index(&corpus);
    assert_eq!(
        run.summary().changed,
        PAGES.len() as u64,
        "{}",
        run.describe()
    );
    Ok(())
}

/// The live generation's segments, from its tantivy `meta.json`.
fn segments_and_store(sandbox: &Sandbox) -> (usize, String) {
    let generation = sandbox.index_dir().join(sandbox.current_generation());
    let meta: serde_json::Value =
        serde_json::from_slice(&std::fs::read(generation.join("meta.json")).unwrap()).unwrap();
    let segments = meta["segments"].as_array().map_or(0, Vec::len);
    let store = meta["index_settings"]["docstore_compression"].to_string();
    (segments, store)
}

/// The `.store` files in the index's live generation folder, one per segment
/// whose files are still there.
fn store_files(sandbox: &Sandbox) -> usize {
    let generation = sandbox.index_dir().join(sandbox.current_generation());
    std::fs::read_dir(&generation)
        .unwrap()
        .filter(|e| {
            e.as_ref()
                .is_ok_and(|e| e.path().extension().is_some_and(|x| x == "store"))
        })
        .count()
}

#[test]
fn the_final_merge_leaves_only_the_merged_segments_files() {
    // The default memory gives each core a writer thread and a segment of
    // its own; the merged ones' files must not stay to double the folder.
    let sandbox = Sandbox::new();
    let corpus = sandbox.path().join("corpus");
    big::write_pages(&corpus, 0..100);
    sandbox.index(&corpus);
    let (segments, _) = segments_and_store(&sandbox);
    assert_eq!(segments, 1);
    assert_eq!(store_files(&sandbox), 1);
}

#[test]
fn a_first_build_ends_in_one_zstd_segment_and_an_update_does_not_merge_everything() -> TestResult {
    // Big enough that the writer's threads make several segments.
    let sandbox = Sandbox::new();
    let corpus = sandbox.path().join("corpus");
    big::write_pages(&corpus, 0..600);
    let run = sandbox.try_index(Some(&corpus), &["--memory", "16"]);
    run.expect_code(0);
    let (segments, store) = segments_and_store(&sandbox);
    assert_eq!(segments, 1, "{}", run.describe());
    assert!(store.contains("zstd"), "{store}");
    assert_eq!(store_files(&sandbox), 1);

    std::fs::write(
        corpus.join("zz-new.txt"),
        new_page("10.5555/merge.1", "zzmergeword"),
    )?;
    sandbox.index(&corpus);
    let (segments, _) = segments_and_store(&sandbox);
    // The writer's threads may split even one file's documents.
    assert!(segments >= 2, "an update adds its own segments, unmerged");
    sandbox.query(&["zzmergeword"]).expect_code(0);
    Ok(())
}

/// The segments the live commit's record names as checked distinct, and the
/// generation's segments, both as tantivy's ids without hyphens.
fn distinct_record(sandbox: &Sandbox) -> (Vec<String>, Vec<String>) {
    let generation = sandbox.index_dir().join(sandbox.current_generation());
    let meta: serde_json::Value =
        serde_json::from_slice(&std::fs::read(generation.join("meta.json")).unwrap()).unwrap();
    let record: serde_json::Value =
        serde_json::from_str(meta["payload"].as_str().expect("a commit payload")).unwrap();
    let ids = |list: &serde_json::Value, key: Option<&str>| -> Vec<String> {
        let items = list.as_array().cloned().unwrap_or_default();
        items
            .iter()
            .filter_map(|item| key.map_or(Some(item), |k| item.get(k))?.as_str())
            .map(|id| id.replace('-', ""))
            .collect()
    };
    (
        ids(&record["distinct_segments"], None),
        ids(&meta["segments"], Some("segment_id")),
    )
}

/// The facet counts of `*`, from the query's final JSON line.
fn all_facets(sandbox: &Sandbox) -> serde_json::Value {
    let run = sandbox.query(&["*", "--json", "--limit", "1", "--facets"]);
    let mut lines = run.json_lines();
    lines.pop().expect("a facets line")["facets"].clone()
}

#[test]
fn a_first_build_records_its_distinct_segments_and_updates_keep_the_record() -> TestResult {
    let sandbox = Sandbox::new();
    let corpus = sandbox.path().join("corpus");
    // Large beside the update, for the counts to look its copies up there.
    big::write_pages(&corpus, 0..200);
    sandbox.index(&corpus).expect_code(0);
    let (named, segments) = distinct_record(&sandbox);
    assert_eq!(
        named, segments,
        "a first build without copies names its segments"
    );
    let first = named.clone();

    // An update that adds pages, a copy of one page and removes another.
    big::write_pages(&corpus, 200..203);
    let copied = big::page_path(&corpus, 7);
    std::fs::copy(&copied, copied.with_file_name("page-00007 (1).txt"))?;
    std::fs::remove_file(big::page_path(&corpus, 5))?;
    sandbox.index(&corpus).expect_code(0);
    let (named, segments) = distinct_record(&sandbox);
    assert!(segments.len() > 1, "the update wrote a segment of its own");
    let kept: Vec<String> = first
        .iter()
        .filter(|id| segments.contains(id))
        .cloned()
        .collect();
    assert!(!kept.is_empty(), "the first build's segment is not merged");
    assert_eq!(
        named, kept,
        "the record keeps the first build's live segments"
    );

    // Counted through the record, the copy counts once and the removed page
    // not at all, as on an index built from scratch that records nothing
    // (its folder holds a copy).
    let fresh = Sandbox::new();
    fresh.index(&corpus).expect_code(0);
    assert_eq!(distinct_record(&fresh).0, Vec::<String>::new());
    let facets = all_facets(&sandbox);
    assert_eq!(facets, all_facets(&fresh));
    assert_eq!(
        facets["total"].as_u64(),
        Some(202 * STATEMENTS_PER_PAGE as u64)
    );
    Ok(())
}
