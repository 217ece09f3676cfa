//! `citeindex stats`: every figure checked against the sample corpus's
//! manifest (`common::corpus`).

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use crate::common::corpus::{JUNK, PAGES};
use crate::common::{all_statements, indexed_sample, unique_statements, TestResult};

fn stats_json(args: &[&str]) -> Value {
    let sandbox = indexed_sample();
    let index = sandbox.index_dir();
    let mut all = vec![
        "stats",
        "--index",
        index.to_str().expect("a UTF-8 temp path"),
    ];
    all.extend(args);
    let run = sandbox.run(&all);
    run.expect_code(0);
    let lines = run.json_lines();
    assert_eq!(lines.len(), 1, "one object: {}", run.stdout);
    lines[0].clone()
}

#[test]
fn stats_count_what_the_manifest_holds() -> TestResult {
    let stats = stats_json(&["--json", "--top", "1000"]);
    let unique = unique_statements();
    assert_eq!(stats["statements"].as_u64(), Some(unique.len() as u64));
    assert_eq!(
        stats["statement_documents"].as_u64(),
        Some(all_statements().len() as u64)
    );
    assert_eq!(stats["pages"].as_u64(), Some(PAGES.len() as u64));
    assert_eq!(stats["skipped_files"].as_u64(), Some(JUNK.len() as u64));

    let papers: BTreeSet<String> = all_statements()
        .iter()
        .map(|s| s.doi().unwrap_or_else(|| format!("file:{}", s.page.path)))
        .collect();
    assert_eq!(stats["papers"].as_u64(), Some(papers.len() as u64));

    let mut types: BTreeMap<String, u64> = BTreeMap::new();
    let mut authors: BTreeMap<&str, u64> = BTreeMap::new();
    for s in &unique {
        *types
            .entry(s.kind().unwrap_or("unknown").to_string())
            .or_default() += 1;
        let names: BTreeSet<&str> = s.facts.cited.iter().map(|(a, _)| *a).collect();
        for name in names {
            *authors.entry(name).or_default() += 1;
        }
    }
    assert_eq!(stats["type"], serde_json::to_value(&types)?);

    let mut ranked: Vec<(&str, u64)> = authors.into_iter().collect();
    ranked.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(b.0)));
    let listed: Vec<(String, u64)> = stats["top_authors"]
        .as_array()
        .map(|all| {
            all.iter()
                .map(|a| {
                    (
                        a["author"].as_str().unwrap_or("").to_string(),
                        a["statements"].as_u64().unwrap_or(0),
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    let want: Vec<(String, u64)> = ranked.iter().map(|(a, n)| (a.to_string(), *n)).collect();
    assert_eq!(listed, want);
    assert!(stats["index_bytes"].as_u64() > Some(10_000), "{stats}");
    assert!(stats["corpus_root"]
        .as_str()
        .is_some_and(|r| r.ends_with("sample-corpus")));
    Ok(())
}

#[test]
fn stats_top_limits_the_author_list_and_people_get_a_report() {
    let three = stats_json(&["--json", "--top", "3"]);
    assert_eq!(three["top_authors"].as_array().map(Vec::len), Some(3));

    let sandbox = indexed_sample();
    let index = sandbox.index_dir();
    let run = sandbox.run([
        "stats",
        "--index",
        index.to_str().expect("UTF-8"),
        "--color",
        "never",
    ]);
    run.expect_code(0);
    for label in [
        "index",
        "corpus",
        "pages",
        "statements",
        "type",
        "section",
        "most cited authors",
    ] {
        assert!(
            run.stdout.lines().any(|l| l.starts_with(label)),
            "{label}:\n{}",
            run.stdout
        );
    }
}

#[test]
fn stats_without_an_index_says_how_to_make_one() {
    let sandbox = crate::common::Sandbox::new();
    let run = sandbox.run(["stats", "--index", "nowhere"]);
    run.expect_code(2);
    assert!(
        run.stderr.contains("run 'citeindex index DIR' first"),
        "{}",
        run.stderr
    );
}
