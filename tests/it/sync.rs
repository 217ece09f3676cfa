//! `citeindex sync quickwit` against a real Quickwit 0.9 (from
//! `../shared/tools/quickwit`): after each sync, Quickwit holds exactly the
//! statements the index holds, through adds, changes, deletes, a sync killed
//! with SIGKILL, and on the searcher nodes of a three-node cluster.

use std::collections::BTreeSet;
use std::path::Path;
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::common::quickwit::{self, Cluster};
use crate::common::{Run, Sandbox, TestResult};

const INDEX_ID: &str = "statements";

/// `(path, position)` of every statement the index holds, from its NDJSON export.
fn indexed(sandbox: &Sandbox) -> BTreeSet<(String, u64)> {
    let index = sandbox.index_dir();
    let run = sandbox.run([
        "export",
        "--format",
        "ndjson",
        "--index",
        index.to_str().unwrap(),
    ]);
    run.expect_code(0);
    run.stdout
        .lines()
        .map(|l| {
            let doc: Value = serde_json::from_str(l).unwrap();
            key(&doc)
        })
        .collect()
}

fn key(doc: &Value) -> (String, u64) {
    (
        doc["path"].as_str().unwrap_or_default().to_string(),
        doc["position"].as_u64().unwrap_or(u64::MAX),
    )
}

/// Every document Quickwit holds, as `(path, position)`; panics on duplicates.
fn held(url: &str) -> BTreeSet<(String, u64)> {
    let (hits, total) = quickwit::search(url, INDEX_ID, "*");
    let keys: BTreeSet<_> = hits.iter().map(key).collect();
    assert_eq!(keys.len() as u64, total, "Quickwit holds a document twice");
    keys
}

/// `citeindex sync quickwit URL --index-id ID` over the sandbox's index, in
/// requests of `batch_kib`: small ones, so that a page's statements are
/// split over several requests answered in any order.
fn sync_args(sandbox: &Sandbox, url: &str, id: &str, batch_kib: u32) -> Vec<String> {
    let index = sandbox.index_dir();
    [
        "sync",
        "quickwit",
        url,
        "--index-id",
        id,
        "--index",
        index.to_str().unwrap(),
        "--batch-kib",
        &batch_kib.to_string(),
    ]
    .map(str::to_string)
    .to_vec()
}

fn sync(sandbox: &Sandbox, url: &str) -> Run {
    let run = sandbox.run(sync_args(sandbox, url, INDEX_ID, 64));
    run.expect_code(0);
    run
}

/// The number in `N statements sent` of a sync's summary line.
fn sent(run: &Run) -> u64 {
    let line = run.stderr.lines().last().unwrap_or_default();
    line.split("; ")
        .find_map(|part| part.strip_suffix(" statements sent"))
        .and_then(|n| n.replace(',', "").parse().ok())
        .unwrap_or_else(|| panic!("no count sent in {line}"))
}

/// The same statements, by paper and text, for a citeindex query and a
/// Quickwit query (copies of a statement in two files are one hit in citeindex).
fn same_answers(sandbox: &Sandbox, url: &str, citeindex: &[&str], qw: &str) {
    let mut args = citeindex.to_vec();
    args.extend(["--json", "--limit", "10000"]);
    let ours: BTreeSet<(String, String)> = sandbox
        .query(&args)
        .json_lines()
        .iter()
        .filter(|h| h.get("text").is_some())
        .map(|h| {
            (
                h["doi"].to_string(),
                h["text"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect();
    let (hits, _) = quickwit::search(url, INDEX_ID, qw);
    let theirs: BTreeSet<(String, String)> = hits
        .iter()
        .map(|h| {
            (
                h["doi"].to_string(),
                h["statement"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect();
    assert!(!ours.is_empty(), "{citeindex:?} finds nothing");
    assert_eq!(ours, theirs, "{citeindex:?} against {qw}");
}

#[test]
fn sync_keeps_a_quickwit_node_in_step_through_changes_and_a_kill() -> TestResult {
    let Some(tools) = quickwit::tools() else {
        return Ok(());
    };
    let sandbox = Sandbox::new();
    let corpus = sandbox.copy_sample_corpus();
    sandbox.index(&corpus);
    let cluster = Cluster::start(&tools, &sandbox.path().join("qw"), 1);
    let url = cluster.urls[0].as_str();

    // A first sync creates the index and sends everything.
    let first = sync(&sandbox, url);
    let want = indexed(&sandbox);
    assert_eq!(sent(&first), want.len() as u64, "{}", first.describe());
    assert_eq!(held(url), want);
    for (ours, theirs) in [
        (vec!["*", "--type", "supporting"], "type:supporting"),
        (
            vec!["*", "--section", "discussion"],
            "section_bucket:discussion",
        ),
        (vec!["*", "--year", "2015..2020"], "year:[2015 TO 2020]"),
        (vec!["*", "--author", "astrom"], "author:astrom"),
        (
            vec!["*", "--doi", "10.5555/urb.2020.1187"],
            "doi:\"10.5555/urb.2020.1187\"",
        ),
    ] {
        same_answers(&sandbox, url, &ours, theirs);
    }
    // Words and phrases, stemmed as citeindex stems them by `quickwit-query`.
    for (query, filter) in [
        ("sleep", ""),
        ("memories", ""),
        ("\"sleep spindles\"", ""),
        ("memory", " AND type:supporting"),
    ] {
        let translated = sandbox.run(["quickwit-query", query]);
        translated.expect_code(0);
        let qw = format!("{}{filter}", translated.stdout.trim());
        let mut ours = vec![query];
        if !filter.is_empty() {
            ours.extend(["--type", "supporting"]);
        }
        same_answers(&sandbox, url, &ours, &qw);
    }

    // Nothing changed: nothing sent, whatever spelling of the node's
    // address reaches the index (the journal names the index's uid).
    let again = sync(&sandbox, &format!("{url}/"));
    assert_eq!(sent(&again), 0, "{}", again.describe());

    // A page added, one changed, one deleted: only theirs go out.
    // Pages with statements, so that each step moves some.
    let pages: Vec<_> = walk_pages(&corpus)
        .into_iter()
        .filter(|page| want.iter().any(|(p, _)| corpus.join(p) == *page))
        .collect();
    assert!(pages.len() >= 8);
    let changed = &pages[0];
    let deleted = &pages[1];
    // Another version of the file: its statements are deleted and sent again.
    append_newline(changed)?;
    std::fs::remove_file(deleted)?;
    std::fs::copy(&pages[2], corpus.join("added-copy.txt"))?;
    sandbox.index(&corpus);
    let step = sync(&sandbox, url);
    let want = indexed(&sandbox);
    let of = |name: &str| want.iter().filter(|(p, _)| p.ends_with(name)).count() as u64;
    let changed_name = changed.file_name().unwrap().to_str().unwrap();
    assert_eq!(
        sent(&step),
        of(changed_name) + of("added-copy.txt"),
        "{}",
        step.describe()
    );
    assert_eq!(held(url), want);

    // Killed while it sends: the next sync converges, nothing doubled.
    for page in &pages[3..6] {
        append_newline(page)?;
    }
    std::fs::copy(&pages[6], corpus.join("another-copy.txt"))?;
    sandbox.index(&corpus);
    let journal = sandbox
        .index_dir()
        .join(format!("quickwit-sync-{INDEX_ID}.journal"));
    let mut child = sandbox
        .command(sync_args(&sandbox, url, INDEX_ID, 16))
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()?;
    // Files are noted in doubt just before their statements go out.
    let started = Instant::now();
    while started.elapsed() < Duration::from_secs(120) {
        let now = std::fs::read_to_string(&journal).unwrap_or_default();
        if now.lines().last().is_some_and(|l| l.starts_with('?')) {
            break;
        }
        if child.try_wait()?.is_some() {
            break;
        }
        std::thread::sleep(Duration::from_millis(5));
    }
    child.kill()?;
    child.wait()?;
    let interrupted = std::fs::read_to_string(&journal)?;
    assert!(
        interrupted
            .lines()
            .last()
            .is_some_and(|l| l.starts_with('?')),
        "the kill came too late to test anything:\n{interrupted}"
    );
    let after_kill = sync(&sandbox, url);
    assert_eq!(held(url), indexed(&sandbox), "{}", after_kill.describe());

    // One page of the corpus changed: few enough that sync looks its
    // statements up by path instead of reading the whole index.
    let one = &pages[7];
    append_newline(one)?;
    sandbox.index(&corpus);
    let want = indexed(&sandbox);
    let looked_up = sync(&sandbox, url);
    let statements = want.iter().filter(|(p, _)| corpus.join(p) == *one).count() as u64;
    assert!(statements > 0);
    assert_eq!(sent(&looked_up), statements, "{}", looked_up.describe());
    assert_eq!(held(url), want);

    // A statement Quickwit holds that no sync sent (a copy under another
    // id): the count check finds which file it belongs to, and that file
    // is deleted and sent again.
    let (hits, _) = quickwit::search(url, INDEX_ID, "*");
    let mut stray = hits[0].clone();
    stray["id"] = Value::from("stray-copy");
    stray["position"] = Value::from(9_999);
    let answer = quickwit::agent()
        .post(&format!("{url}/api/v1/{INDEX_ID}/ingest?commit=force"))
        .send(stray.to_string().as_str())?;
    assert_eq!(answer.status().as_u16(), 200);
    assert_ne!(held(url), want);
    let repaired = sync(&sandbox, url);
    assert!(
        repaired.stderr.contains(", 1 repaired "),
        "{}",
        repaired.describe()
    );
    assert_eq!(held(url), want);
    Ok(())
}

/// Another version of a page with the same statements (some are not UTF-8).
fn append_newline(page: &Path) -> std::io::Result<()> {
    let mut bytes = std::fs::read(page)?;
    bytes.push(b'\n');
    std::fs::write(page, bytes)
}

fn walk_pages(corpus: &Path) -> Vec<std::path::PathBuf> {
    let mut pages: Vec<_> = walkdir::WalkDir::new(corpus)
        .into_iter()
        .filter_map(Result::ok)
        .map(|e| e.into_path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    pages.sort();
    pages
}

#[test]
fn searcher_nodes_of_a_cluster_answer_as_the_indexer() -> TestResult {
    let Some(tools) = quickwit::tools() else {
        return Ok(());
    };
    let sandbox = Sandbox::new();
    let corpus = sandbox.copy_sample_corpus();
    sandbox.index(&corpus);
    let cluster = Cluster::start(&tools, &sandbox.path().join("qw"), 3);
    sync(&sandbox, &cluster.urls[0]);
    let want = indexed(&sandbox);
    for url in &cluster.urls {
        assert_eq!(held(url), want, "{url}");
        let (_, supporting) = quickwit::search(url, INDEX_ID, "type:supporting");
        let (_, on_indexer) = quickwit::search(&cluster.urls[0], INDEX_ID, "type:supporting");
        assert_eq!(supporting, on_indexer, "{url}");
    }

    // Another index folder does not write into an index it never filled.
    let other = Sandbox::new();
    other.index(&other.copy_sample_corpus());
    let sync_other = |id: &str| other.run(sync_args(&other, &cluster.urls[0], id, 64));
    let refused = sync_other(INDEX_ID);
    refused.expect_code(2);
    assert!(
        refused.stderr.contains("no record of sending"),
        "{}",
        refused.describe()
    );

    // Nor into one whose doc mapping differs, which it names.
    let config = "version: 0.8\nindex_id: othermap\ndoc_mapping:\n  field_mappings:\n    - name: statement\n      type: text\n";
    let mut created = quickwit::agent()
        .post(&format!("{}/api/v1/indexes", cluster.urls[0]))
        .header("Content-Type", "application/yaml")
        .send(config)?;
    assert_eq!(
        created.status().as_u16(),
        200,
        "{}",
        created.body_mut().read_to_string()?
    );
    let refused = sync_other("othermap");
    refused.expect_code(2);
    assert!(
        refused.stderr.contains("no field `id`"),
        "{}",
        refused.describe()
    );
    assert_eq!(held(&cluster.urls[0]), want, "a refused sync sends nothing");
    Ok(())
}
