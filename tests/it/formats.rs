//! `--format csv|tsv` for hits and papers, read back with the csv crate and
//! compared with `--json`; `papers --format bibtex` parsed back with the
//! biblatex crate, and `--format ris` field by field. The pages hold what a
//! table must survive: commas, quotes, non-ASCII text, a semicolon in a
//! heading, and a file name with a comma, quotes and a line break.

use std::path::PathBuf;

use serde_json::Value;

use crate::common::{Sandbox, TestResult};

/// A page whose values hold commas, quotes and non-ASCII text.
fn awkward_page(doi: &str, title: &str) -> String {
    format!(
        "2021\nDOI: {doi}\n|View full text |Cite\n|\n\nShare\n{title}\n\n\
         Abstract: An abstract. Show more\n\nHelp me understand this report\n\
         Citation Types\n\nSelect...\n4\n9\n2\n\nCited by 15 publications\n(2 citation statements)\n\
         References 20 publications\nOrder By: Relevance\n\
         “…First, with commas, \"double quotes\" and Ünïcödé text (Åström et al., 2020).…”\n\
         Section: Resultssupporting\nconfidence: 80%\n\
         “…A second one; with a semicolon, 50% of it {{braces}} (Okafor, 2019; Lindqvist & Haddad, 2017).…”\n\
         Section: 4.2 General, Discussioncontrasting\nconfidence: 60%\n"
    )
}

/// Two papers; the first saved under a name with a comma, quotes and a line break.
fn indexed_awkward() -> (Sandbox, PathBuf) {
    let sandbox = Sandbox::new();
    let corpus = sandbox.path().join("corpus");
    std::fs::create_dir_all(&corpus).expect("corpus folder");
    let pages = [
        (
            "odd, \"name\"\nwith a line break.txt",
            awkward_page(
                "10.5555/TABLE.2021.7",
                "Commas, \"Quotes\" & Åström: 50% {Braced} Title",
            ),
        ),
        (
            "plain.txt",
            awkward_page(
                "10.5555/table.2019.(3)",
                "A plain_title with ~ and ^ and \\ in it",
            ),
        ),
    ];
    for (name, text) in pages {
        std::fs::write(corpus.join(name), text).expect("writing a page");
    }
    sandbox.index(&corpus);
    (sandbox, corpus)
}

fn table(text: &str, delimiter: u8) -> Vec<csv::StringRecord> {
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(false)
        .from_reader(text.as_bytes());
    reader
        .records()
        .collect::<Result<_, _>>()
        .expect("the table reads back")
}

/// A JSON value as the table's cell for it: strings as they are, numbers
/// written out, null as an empty cell.
fn cell(value: &Value) -> String {
    match value {
        Value::Null => String::new(),
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

fn cited_cell(cited: &Value) -> String {
    let list = cited.as_array().cloned().unwrap_or_default();
    list.iter()
        .map(|c| match &c["year"] {
            Value::Null => cell(&c["author"]),
            year => format!("{} {year}", cell(&c["author"])),
        })
        .collect::<Vec<_>>()
        .join("; ")
}

#[test]
fn hits_as_csv_and_tsv_read_back_as_the_json() -> TestResult {
    let (sandbox, _) = indexed_awkward();
    let json = sandbox.hits(&["*"]);
    assert_eq!(json.len(), 4, "two statements on each of two pages");
    for (format, delimiter) in [("csv", b','), ("tsv", b'\t')] {
        let run = sandbox.query(&["*", "--format", format]);
        run.expect_code(0);
        if format == "csv" {
            assert!(run.stdout.contains("\r\n"), "RFC 4180 line ends");
        }
        let rows = table(&run.stdout, delimiter);
        let header: Vec<&str> = rows[0].iter().collect();
        assert_eq!(
            header,
            [
                "rank",
                "score",
                "doi",
                "title",
                "year",
                "path",
                "position",
                "section",
                "section_bucket",
                "type",
                "confidence",
                "cited",
                "text"
            ]
        );
        assert_eq!(rows.len(), json.len() + 1, "{format}: a row per hit");
        for (row, hit) in rows[1..].iter().zip(&json) {
            for (i, name) in header.iter().enumerate() {
                let got = &row[i];
                let want = match *name {
                    "cited" => cited_cell(&hit["cited"]),
                    "score" => {
                        let (a, b) = (got.parse::<f64>()?, hit["score"].as_f64().unwrap_or(-1.0));
                        assert!((a - b).abs() < 1e-4, "{format} score {a} vs {b}");
                        continue;
                    }
                    name => cell(&hit[name]),
                };
                assert_eq!(got, want, "{format}: column {name}");
            }
        }
    }
    // The awkward values are really there, so the comparison meant something.
    let csv = sandbox.query(&["*", "--format", "csv"]).stdout;
    for awkward in [
        "\"\"double quotes\"\"",
        "Ünïcödé",
        "line break",
        "4.2 General, Discussion",
    ] {
        assert!(csv.contains(awkward), "{awkward} in {csv}");
    }
    Ok(())
}

#[test]
fn papers_as_csv_read_back_as_the_json() -> TestResult {
    let (sandbox, _) = indexed_awkward();
    let index = sandbox.index_dir().display().to_string();
    let json = sandbox.run(["papers", "--json", "--index", &index]);
    json.expect_code(0);
    let papers = json.json_lines();
    assert_eq!(papers.len(), 2);
    let run = sandbox.run(["papers", "--format", "csv", "--index", &index]);
    run.expect_code(0);
    let rows = table(&run.stdout, b',');
    assert_eq!(rows.len(), 3);
    let header: Vec<String> = rows[0].iter().map(str::to_string).collect();
    for (row, paper) in rows[1..].iter().zip(&papers) {
        let value = |name: &str| -> String {
            match name {
                "page_supporting" => cell(&paper["tally"]["supporting"]),
                "page_mentioning" => cell(&paper["tally"]["mentioning"]),
                "page_contrasting" => cell(&paper["tally"]["contrasting"]),
                "contrasting_share" => paper["contrasting_share"]
                    .as_f64()
                    .map_or(String::new(), |s| format!("{s:.4}")),
                "statements" => cell(&paper["statements"]["total"]),
                "supporting" | "mentioning" | "contrasting" | "other" => {
                    cell(&paper["statements"][name])
                }
                "files" => paper["files"]
                    .as_array()
                    .map(|f| f.iter().map(cell).collect::<Vec<_>>().join("; "))
                    .unwrap_or_default(),
                name => cell(&paper[name]),
            }
        };
        for (i, name) in header.iter().enumerate() {
            assert_eq!(&row[i], value(name), "column {name}");
        }
    }
    Ok(())
}

#[test]
fn papers_as_bibtex_parse_back_entry_by_entry() -> TestResult {
    let (sandbox, _) = indexed_awkward();
    let index = sandbox.index_dir().display().to_string();
    let papers = sandbox
        .run(["papers", "--json", "--index", &index])
        .json_lines();
    let run = sandbox.run(["papers", "--format", "bibtex", "--index", &index]);
    run.expect_code(0);
    let bib = biblatex::Bibliography::parse(&run.stdout)
        .map_err(|e| format!("{e:?} in\n{}", run.stdout))?;
    assert_eq!(bib.len(), papers.len());
    for paper in &papers {
        let doi = cell(&paper["doi"]);
        let key: String = doi
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() || ":./-_".contains(c) {
                    c
                } else {
                    '_'
                }
            })
            .collect();
        let entry = bib
            .get(&format!("doi:{key}"))
            .ok_or_else(|| format!("no entry doi:{key} in\n{}", run.stdout))?;
        let field = |name: &str| {
            use biblatex::ChunksExt;
            entry.get(name).map(|chunks| chunks.format_verbatim())
        };
        assert_eq!(field("title"), Some(cell(&paper["title"])), "{key}");
        assert_eq!(field("year"), Some(cell(&paper["year"])), "{key}");
        assert_eq!(field("doi"), Some(doi.clone()), "{key}");
        assert!(
            field("note").is_some_and(|n| n.contains("4 supporting, 9 mentioning, 2 contrasting")),
            "{key}: {:?}",
            field("note")
        );
    }
    Ok(())
}

#[test]
fn papers_as_ris_carry_each_field() -> TestResult {
    let (sandbox, _) = indexed_awkward();
    let index = sandbox.index_dir().display().to_string();
    let papers = sandbox
        .run(["papers", "--json", "--index", &index])
        .json_lines();
    let run = sandbox.run(["papers", "--format", "ris", "--index", &index]);
    run.expect_code(0);
    let records: Vec<&str> = run
        .stdout
        .split("ER  - \r\n")
        .filter(|r| !r.trim().is_empty())
        .collect();
    assert_eq!(records.len(), papers.len(), "{}", run.stdout);
    for (record, paper) in records.iter().zip(&papers) {
        let fields: Vec<(&str, &str)> = record
            .split("\r\n")
            .filter(|l| !l.is_empty())
            .map(|l| l.split_once("  - ").unwrap_or((l, "")))
            .collect();
        let doi = cell(&paper["doi"]);
        let want = [
            ("TY", "JOUR".to_string()),
            ("TI", cell(&paper["title"])),
            ("PY", cell(&paper["year"])),
            ("DO", doi.clone()),
            ("UR", format!("https://doi.org/{doi}")),
        ];
        for (tag, value) in want {
            assert!(
                fields.contains(&(tag, value.as_str())),
                "{tag} {value:?} in {fields:?}"
            );
        }
        assert_eq!(fields.first().map(|f| f.0), Some("TY"), "TY first");
    }
    Ok(())
}

#[test]
fn facets_have_no_place_in_a_table() {
    let (sandbox, _) = indexed_awkward();
    let run = sandbox.query(&["*", "--format", "csv", "--facets"]);
    run.expect_code(2);
    assert!(run.stderr.contains("--facets"), "{}", run.stderr);
    let run = sandbox.query(&["*", "--format", "csv", "--json"]);
    run.expect_code(2);
}
