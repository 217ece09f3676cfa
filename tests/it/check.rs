//! `citeindex check`: reference lists written by real programs (see
//! tests/fixtures/check/make.sh: pandoc, bibutils) against the sample
//! corpus, each found reference checked against what `papers --json` says of
//! the same paper.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Stdio;

use serde_json::Value;

use crate::common::{indexed_sample, Sandbox, TestResult};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/check")
        .join(name)
}

fn check(sandbox: &Sandbox, args: &[&str]) -> crate::common::Run {
    let index = sandbox.index_dir().display().to_string();
    let mut all = vec!["check", "--index", &index];
    all.extend(args);
    sandbox.run(all)
}

fn rows(sandbox: &Sandbox, file: &Path) -> Vec<Value> {
    let file = file.display().to_string();
    let run = check(sandbox, &[&file, "--json"]);
    run.expect_code(0);
    run.json_lines()
}

/// Every paper as `papers --json` gives it, by DOI or (without one) by title.
fn papers(sandbox: &Sandbox) -> BTreeMap<String, Value> {
    let index = sandbox.index_dir().display().to_string();
    let run = sandbox.run(["papers", "--json", "--all", "--index", &index]);
    run.expect_code(0);
    run.json_lines()
        .into_iter()
        .map(|p| {
            let key = p["doi"].as_str().or(p["title"].as_str()).unwrap_or("");
            (key.to_string(), p)
        })
        .collect()
}

/// The status of each key, and for a found one that its figures are those
/// `papers` gives its paper.
fn statuses(rows: &[Value], papers: &BTreeMap<String, Value>) -> Vec<(String, String)> {
    rows.iter()
        .map(|row| {
            let status = row["status"].as_str().unwrap_or("?").to_string();
            if status == "found" {
                let paper = match row["doi"].as_str() {
                    Some(doi) => papers.get(doi),
                    None => papers.values().find(|p| p["files"] == row["files"]),
                };
                let paper = paper.unwrap_or_else(|| panic!("no paper for {row}"));
                for field in ["tally", "contrasting_share", "statements", "files"] {
                    assert_eq!(row[field], paper[field], "{field} of {row}");
                }
                let contrasting = row["contrasting"].as_array().map_or(0, Vec::len) as u64;
                let indexed = paper["statements"]["contrasting"].as_u64().unwrap_or(0);
                assert_eq!(contrasting, indexed.min(3), "contrasting of {row}");
            }
            (row["key"].as_str().unwrap_or("?").to_string(), status)
        })
        .collect()
}

fn pairs(expected: &[(&str, &str)]) -> Vec<(String, String)> {
    expected
        .iter()
        .map(|(k, s)| (k.to_string(), s.to_string()))
        .collect()
}

/// The fixture's references in its order, as a reference manager keeps them.
const KEYED: [(&str, &str); 7] = [
    ("nakamura2019", "found"),
    ("osei2017", "found"),
    ("lindqvist2021", "found"),
    ("duarte2011", "found"),
    ("unsaved2020", "no report"),
    ("groupcbt2015", "found"),
    ("monograph1999", "no doi"),
];

#[test]
fn bibtex_ris_and_csl_json_give_the_same_rows_as_papers() -> TestResult {
    let sandbox = indexed_sample();
    let papers = papers(&sandbox);
    for name in ["refs.bib", "refs.json", "refs.ris", "refs-crlf.ris"] {
        let rows = rows(&sandbox, &fixture(name));
        assert_eq!(statuses(&rows, &papers), pairs(&KEYED), "{name}");
        let by_title = &rows[5];
        assert_eq!(by_title["matched_by"], "title", "{name}: {by_title}");
        assert_eq!(rows[0]["matched_by"], "doi", "{name}");
        assert_eq!(
            rows[4]["report"], "https://scite.ai/reports/10.5555/none.2020.0001",
            "{name}"
        );
    }
    Ok(())
}

#[test]
fn without_dois_only_exact_titles_are_found() -> TestResult {
    // pandoc 2.17 writes BibTeX without `doi` fields; two titles in refs.bib
    // are shorter than their pages' (a near miss is not a match).
    let sandbox = indexed_sample();
    let papers = papers(&sandbox);
    let rows = rows(&sandbox, &fixture("refs-pandoc.bib"));
    let expected = [
        ("nakamura2019", "found"),
        ("osei2017", "found"),
        ("lindqvist2021", "no doi"),
        ("duarte2011", "no doi"),
        ("unsaved2020", "no doi"),
        ("groupcbt2015", "found"),
        ("monograph1999", "no doi"),
    ];
    assert_eq!(statuses(&rows, &papers), pairs(&expected));
    assert_eq!(rows[0]["matched_by"], "title");
    assert_eq!(rows[0]["doi"], "10.5555/slp.2019.0412", "the paper's DOI");
    Ok(())
}

#[test]
fn a_reference_section_as_text_gives_each_doi_once_in_order() -> TestResult {
    let sandbox = indexed_sample();
    let papers = papers(&sandbox);
    let rows = rows(&sandbox, &fixture("references.txt"));
    let dois: Vec<&str> = rows.iter().filter_map(|r| r["doi"].as_str()).collect();
    // pandoc's Chicago style orders by author; the DOI-less entries drop out.
    assert_eq!(
        dois,
        [
            "10.5555/eco.2011.0203",
            "10.5555/ml.2021.0456",
            "10.5555/none.2020.0001",
            "10.5555/slp.2019.0412",
            "10.5555/mar.2017.0340",
        ]
    );
    let expected = [
        ("1", "found"),
        ("2", "found"),
        ("3", "no report"),
        ("4", "found"),
        ("5", "found"),
    ];
    assert_eq!(statuses(&rows, &papers), pairs(&expected));
    Ok(())
}

#[test]
fn the_table_marks_contested_and_missing_and_sums_up() -> TestResult {
    let sandbox = indexed_sample();
    let file = fixture("refs.bib").display().to_string();
    let run = check(&sandbox, &[&file, "--contested-above", "8%"]);
    run.expect_code(0);
    let line = |key: &str| {
        run.stdout
            .lines()
            .find(|l| l.starts_with(key))
            .unwrap_or_else(|| panic!("no line for {key}:\n{}", run.describe()))
    };
    // 6% and 13% contrasting on their pages: only the second is above 8%.
    assert!(
        !line("nakamura2019").contains("contested"),
        "{}",
        run.stdout
    );
    assert!(line("lindqvist2021").contains("! contested (13% contrasting)"));
    assert!(line("unsaved2020").contains("save https://scite.ai/reports/10.5555/none.2020.0001"));
    assert!(line("monograph1999").contains("no DOI"));
    assert!(line("groupcbt2015").contains("found by its title"));
    assert!(
        run.stdout.contains("Contrasting statements"),
        "{}",
        run.stdout
    );
    let last = run.stdout.lines().last().unwrap_or("");
    assert_eq!(
        last,
        "7 references: 5 found, 1 no report, 1 no DOI; 2 contested (contrasting share above 8%)"
    );
    Ok(())
}

#[test]
fn csv_and_tsv_have_a_row_per_reference_under_papers_columns() -> TestResult {
    let sandbox = indexed_sample();
    let file = fixture("refs.ris").display().to_string();
    for (format, delimiter) in [("csv", b','), ("tsv", b'\t')] {
        let run = check(&sandbox, &[&file, "--format", format]);
        run.expect_code(0);
        let mut table = csv::ReaderBuilder::new()
            .delimiter(delimiter)
            .from_reader(run.stdout.as_bytes());
        let header = table.headers()?.clone();
        let column = |name: &str| {
            header
                .iter()
                .position(|h| h == name)
                .ok_or(name.to_string())
        };
        let (key, status, share) = (
            column("key")?,
            column("status")?,
            column("contrasting_share")?,
        );
        let records: Vec<csv::StringRecord> = table.records().collect::<Result<_, _>>()?;
        assert_eq!(records.len(), 7, "{format}");
        assert_eq!(&records[2][key], "lindqvist2021");
        assert_eq!(&records[4][status], "no report");
        assert!(
            records[2][share].starts_with("0.12"),
            "{format}: {:?}",
            &records[2]
        );
    }
    Ok(())
}

#[test]
fn standard_input_and_several_files_are_read_in_order() -> TestResult {
    let sandbox = indexed_sample();
    let index = sandbox.index_dir().display().to_string();
    let bib = fixture("refs.json").display().to_string();
    let mut child = sandbox
        .command(["check", "--json", "--index", &index, "-", &bib])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()?;
    child
        .stdin
        .take()
        .ok_or("stdin")?
        .write_all(b"TY  - JOUR\r\nID  - piped\r\nDO  - doi:10.5555/ECO.2010.0157\r\nER  - \r\n")?;
    let output = child.wait_with_output()?;
    assert_eq!(output.status.code(), Some(0));
    let keys: Vec<String> = String::from_utf8(output.stdout)?
        .lines()
        .map(|l| serde_json::from_str::<Value>(l).map(|v| v["key"].to_string()))
        .collect::<Result<_, _>>()?;
    assert_eq!(keys.len(), 8);
    assert_eq!(keys[0], "\"piped\"");
    assert_eq!(keys[1], "\"nakamura2019\"");
    Ok(())
}

#[test]
fn an_empty_list_exits_1_and_a_broken_one_names_its_file_and_line() -> TestResult {
    let sandbox = indexed_sample();
    std::fs::write(sandbox.path().join("empty.txt"), "No DOIs in this text.\n")?;
    let run = check(&sandbox, &["empty.txt"]);
    run.expect_code(1);
    assert!(
        run.stderr.contains("empty.txt: no reference in it"),
        "{}",
        run.describe()
    );

    std::fs::write(
        sandbox.path().join("broken.bib"),
        "@article{a, title = {A}, doi = {10.5555/a}}\n\n@article{b, title = {B\n",
    )?;
    let run = check(&sandbox, &["broken.bib"]);
    run.expect_code(2);
    assert!(
        run.stderr
            .contains("broken.bib:3: not BibTeX: the entry that starts here is not closed"),
        "{}",
        run.describe()
    );

    let run = check(&sandbox, &["absent.ris"]);
    run.expect_code(2);
    assert!(
        run.stderr.contains("cannot read absent.ris"),
        "{}",
        run.describe()
    );

    let file = fixture("refs.bib").display().to_string();
    let run = check(&sandbox, &[&file, "--contested-above", "1.5"]);
    run.expect_code(2);
    assert!(run.stderr.contains("is not a share"), "{}", run.describe());
    Ok(())
}

#[test]
fn the_readmes_worked_example_is_what_check_prints() -> TestResult {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let readme = std::fs::read_to_string(root.join("README.md"))?;
    let command = "$ citeindex check docs/examples/manuscript.bib\n";
    let start = readme.find(command).ok_or("README's example")? + command.len();
    let shown = &readme[start..];
    let shown = &shown[..shown.find("```").ok_or("the example's end")?];

    // As the README runs it: the sample corpus indexed from the repository's
    // folder, so that paths show as `sample-corpus/…`.
    let sandbox = Sandbox::new();
    crate::common::copy_tree(
        &crate::common::sample_corpus(),
        &sandbox.path().join("sample-corpus"),
    );
    sandbox.run(["index", "sample-corpus"]).expect_code(0);
    let list = root
        .join("docs/examples/manuscript.bib")
        .display()
        .to_string();
    let run = sandbox.run(["check", &list]);
    run.expect_code(0);
    assert_eq!(run.stdout, shown, "README's example is out of date");
    Ok(())
}
