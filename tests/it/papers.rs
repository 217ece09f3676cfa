//! `citeindex papers`: one row per cited paper, checked against what
//! `query` finds of the same statements.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use crate::common::{indexed_sample, Sandbox, TestResult};

fn papers(sandbox: &Sandbox, args: &[&str]) -> Vec<Value> {
    let index = sandbox.index_dir().display().to_string();
    let mut all = vec!["papers", "--json", "--index", &index];
    if !args.contains(&"--limit") {
        all.extend(["--limit", "1000"]);
    }
    all.extend(args);
    let run = sandbox.run(all);
    run.expect_code(0);
    run.json_lines()
}

fn total(paper: &Value) -> u64 {
    paper["statements"]["total"].as_u64().unwrap_or(0)
}

#[test]
fn every_paper_once_with_its_statements_counted_as_query_finds_them() -> TestResult {
    let sandbox = indexed_sample();
    let all = papers(&sandbox, &[]);
    // A page saved twice (and the browser-saved copies) is one paper.
    let dois: Vec<&str> = all.iter().filter_map(|p| p["doi"].as_str()).collect();
    let distinct: BTreeSet<&str> = dois.iter().copied().collect();
    assert_eq!(dois.len(), distinct.len(), "one row per DOI: {dois:?}");
    let spindles = all
        .iter()
        .find(|p| p["doi"] == "10.5555/slp.2019.0412")
        .ok_or("the spindle paper")?;
    assert_eq!(
        spindles["files"].as_array().map(Vec::len),
        Some(2),
        "{spindles}"
    );

    // The statements of all papers are the distinct statements a query lists,
    // paper by paper.
    let hits = sandbox.hits(&["*"]);
    let mut by_doi: BTreeMap<String, u64> = BTreeMap::new();
    for hit in &hits {
        let key = hit["doi"]
            .as_str()
            .map_or_else(|| hit["path"].to_string(), str::to_string);
        *by_doi.entry(key).or_default() += 1;
    }
    let counted: u64 = all.iter().map(total).sum();
    assert_eq!(counted, hits.len() as u64);
    for paper in &all {
        if let Some(doi) = paper["doi"].as_str() {
            assert_eq!(by_doi.get(doi).copied().unwrap_or(0), total(paper), "{doi}");
        }
        let s = &paper["statements"];
        let by_type: u64 = ["supporting", "mentioning", "contrasting", "other"]
            .iter()
            .map(|t| s[t].as_u64().unwrap_or(0))
            .sum();
        assert_eq!(by_type, total(paper), "{paper}");
    }
    Ok(())
}

#[test]
fn a_query_and_filters_pick_the_papers_and_count_only_their_matches() -> TestResult {
    let sandbox = indexed_sample();
    let contrasting = papers(&sandbox, &["--type", "contrasting"]);
    assert!(!contrasting.is_empty());
    for paper in &contrasting {
        let s = &paper["statements"];
        assert!(total(paper) > 0);
        assert_eq!(s["contrasting"].as_u64(), Some(total(paper)), "{paper}");
    }
    let hits = sandbox.hits(&["*", "--type", "contrasting"]);
    let hit_dois: BTreeSet<&str> = hits.iter().filter_map(|h| h["doi"].as_str()).collect();
    let paper_dois: BTreeSet<&str> = contrasting
        .iter()
        .filter_map(|p| p["doi"].as_str())
        .collect();
    assert_eq!(hit_dois, paper_dois);

    let spindles = papers(&sandbox, &["spindles"]);
    let matched = sandbox.hits(&["spindles"]);
    assert_eq!(
        spindles.iter().map(total).sum::<u64>(),
        matched.len() as u64
    );
    Ok(())
}

#[test]
fn each_order_sorts_as_it_says() {
    let sandbox = indexed_sample();
    let key = |order: &str, f: &dyn Fn(&Value) -> f64| -> Vec<f64> {
        papers(&sandbox, &["--sort", order]).iter().map(f).collect()
    };
    let descending = |v: &[f64]| v.windows(2).all(|w| w[0] >= w[1]);
    let statements = key("statements", &|p| total(p) as f64);
    assert!(descending(&statements), "{statements:?}");
    let shares = key("contrasting", &|p| {
        p["contrasting_share"].as_f64().unwrap_or(-1.0)
    });
    assert!(descending(&shares), "{shares:?}");
    let years = key("year", &|p| p["year"].as_f64().unwrap_or(-1.0));
    assert!(descending(&years), "{years:?}");
    let titles: Vec<String> = papers(&sandbox, &["--sort", "title"])
        .iter()
        .filter_map(|p| p["title"].as_str().map(str::to_lowercase))
        .collect();
    assert!(titles.windows(2).all(|w| w[0] <= w[1]), "{titles:?}");
}

#[test]
fn paging_no_match_and_bad_filters() {
    let sandbox = indexed_sample();
    let index = sandbox.index_dir().display().to_string();
    let all = papers(&sandbox, &[]);
    let page = papers(&sandbox, &["--offset", "3", "--limit", "4"]);
    assert_eq!(page, all[3..7].to_vec());
    assert_eq!(page[0]["rank"], 4);

    let text = sandbox.run([
        "papers", "--limit", "2", "--index", &index, "--color", "never",
    ]);
    text.expect_code(0);
    assert!(
        text.stdout
            .contains(&format!("{} papers; 1–2 shown", all.len())),
        "{}",
        text.stdout
    );
    let none = sandbox.run(["papers", "zzzunmatched", "--index", &index]);
    none.expect_code(1);
    assert!(
        none.stdout.contains("no paper has statements that match"),
        "{}",
        none.stdout
    );
    let bad = sandbox.run(["papers", "--year", "20x", "--index", &index]);
    bad.expect_code(2);
    assert!(bad.stderr.contains("--year"), "{}", bad.stderr);
}
