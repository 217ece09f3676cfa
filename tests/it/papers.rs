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

/// An index of 25 generated pages (more than `papers` shows people), each a
/// paper with 3 statements holding the word `generated`.
fn indexed_generated() -> Sandbox {
    let sandbox = Sandbox::new();
    let corpus = sandbox.path().join("corpus");
    crate::common::big::write_pages(&corpus, 0..25);
    sandbox.index(&corpus).expect_code(0);
    sandbox
}

/// The entries a format writes: JSON lines, table rows after the header,
/// BibTeX entries, RIS records.
fn entries(format: &str, stdout: &str) -> usize {
    match format {
        "json" => stdout.lines().count(),
        "csv" | "tsv" => stdout.lines().count() - 1,
        "bibtex" => stdout.lines().filter(|l| l.starts_with('@')).count(),
        "ris" => stdout.lines().filter(|l| l.starts_with("TY  -")).count(),
        other => panic!("no format {other}"),
    }
}

#[test]
fn papers_in_a_format_for_files_are_all_written_unless_a_limit_is_given() -> TestResult {
    // Regression: `papers --format bibtex > cited.bib` wrote 20 of 48 papers
    // and said nothing; only the text output's footer told.
    let sandbox = indexed_generated();
    let index = sandbox.index_dir().display().to_string();
    for format in ["json", "csv", "tsv", "bibtex", "ris"] {
        let run = sandbox.run(["papers", "--index", &index, "--format", format]);
        run.expect_code(0);
        assert_eq!(entries(format, &run.stdout), 25, "{}", run.describe());
        assert!(run.stderr.is_empty(), "{}", run.describe());
        // A limit given cuts, and stderr says what was left out and how to get it.
        let run = sandbox.run([
            "papers", "--index", &index, "--format", format, "--limit", "7",
        ]);
        run.expect_code(0);
        assert_eq!(entries(format, &run.stdout), 7, "{}", run.describe());
        assert_eq!(
            run.stderr.trim(),
            "citeindex: wrote 1–7 of 25 papers; 18 more left out (--limit 25 or --all writes them)",
            "{format}"
        );
    }
    // People still get 20, with the footer; --all gives every one.
    let run = sandbox.run(["papers", "--index", &index]);
    assert!(
        run.stdout.ends_with("25 papers; 1–20 shown\n"),
        "{}",
        run.describe()
    );
    let run = sandbox.run(["papers", "--index", &index, "--all"]);
    assert!(
        run.stdout.ends_with("25 papers; 1–25 shown\n"),
        "{}",
        run.describe()
    );
    sandbox
        .run(["papers", "--index", &index, "--all", "--limit", "3"])
        .expect_code(2);
    Ok(())
}

#[test]
fn query_to_a_file_says_what_its_limit_left_out() -> TestResult {
    let sandbox = indexed_generated();
    let index = sandbox.index_dir().display().to_string();
    // 75 statements hold `generated`; people and files get 10 by default.
    let query = |format: &str, extra: &[&str]| {
        let mut args = vec!["query", "generated", "--index", &index, "--format", format];
        args.extend_from_slice(extra);
        sandbox.run(args)
    };
    for format in ["json", "csv", "tsv"] {
        let run = query(format, &[]);
        run.expect_code(0);
        assert_eq!(entries(format, &run.stdout), 10, "{}", run.describe());
        assert_eq!(
            run.stderr.trim(),
            "citeindex: wrote 1–10 of 75 matching statements; 65 more left out (--limit 75 or --all writes them)",
            "{format}"
        );
        let run = query(format, &["--all"]);
        assert_eq!(entries(format, &run.stdout), 75, "{}", run.describe());
        assert!(run.stderr.is_empty(), "{}", run.describe());
        let run = query(format, &["--limit", "5", "--offset", "70"]);
        assert_eq!(entries(format, &run.stdout), 5, "{}", run.describe());
        assert!(
            run.stderr.is_empty(),
            "the last five: nothing left out. {}",
            run.describe()
        );
    }
    // The text output for people says nothing more on stderr.
    let run = sandbox.run(["query", "generated", "--index", &index]);
    run.expect_code(0);
    assert!(run.stderr.is_empty(), "{}", run.describe());
    Ok(())
}

#[test]
fn a_copy_added_by_an_update_is_counted_once_and_names_its_file() -> TestResult {
    // A first build of pages without copies records its segments as
    // distinct; a copy saved afterwards lands in a segment of its own whose
    // statements' keys that base holds, the case the base's look-ups decide.
    let sandbox = indexed_generated();
    let before = papers(&sandbox, &[]);
    let corpus = sandbox.path().join("corpus");
    let original = crate::common::big::page_path(&corpus, 7);
    let copy = original.with_file_name("saved again (1).txt");
    std::fs::copy(&original, &copy)?;
    sandbox.index(&corpus).expect_code(0);

    let after = papers(&sandbox, &[]);
    assert_eq!(after.len(), before.len());
    let doi = crate::common::big::doi(7);
    for (old, new) in before.iter().zip(&after) {
        assert_eq!(old["statements"], new["statements"], "{new}");
        let files = new["files"].as_array().map_or(0, Vec::len);
        let expected = if new["doi"] == doi.as_str() { 2 } else { 1 };
        assert_eq!(files, expected, "{new}");
    }
    // The same for a query's matches, and as the hits count them.
    let matched = papers(&sandbox, &["generated"]);
    let hits = sandbox.hits(&["generated"]);
    assert_eq!(matched.iter().map(total).sum::<u64>(), hits.len() as u64);
    let paper = matched
        .iter()
        .find(|p| p["doi"] == doi.as_str())
        .ok_or("the copied paper")?;
    assert_eq!(paper["files"].as_array().map(Vec::len), Some(2), "{paper}");
    Ok(())
}
