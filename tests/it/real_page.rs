//! The one real saved page (`../shared/format/real-report-page.txt`), the
//! ground truth for the layout. Only its names and numbers appear here, never
//! its sentences.

use std::ffi::OsString;
use std::path::PathBuf;

use serde_json::Value;

use crate::common::{shared_file, Sandbox, TestResult};

/// The real page, which lives in the project's workspace beside FORMAT.md and
/// not in a clone of the repository (see [`shared_file`]).
fn real_page() -> Option<PathBuf> {
    shared_file("format/real-report-page.txt")
}

fn parsed(sandbox: &Sandbox, page: PathBuf) -> Value {
    let run = sandbox.run([
        OsString::from("parse"),
        OsString::from("--json"),
        page.into_os_string(),
    ]);
    run.expect_code(0);
    let mut lines = run.json_lines();
    assert_eq!(lines.len(), 1, "{}", run.describe());
    lines.remove(0)
}

#[test]
fn real_page_paper_values() -> TestResult {
    let Some(real) = real_page() else {
        return Ok(());
    };
    let page = parsed(&Sandbox::new(), real);
    assert_eq!(page["year"].as_u64(), Some(2020));
    assert_eq!(page["doi"].as_str(), Some("10.1080/10503307.2020.1831097"));
    assert_eq!(
        page["title"].as_str(),
        Some(
            "Development of therapeutic alliance in mentalization-based treatment\u{2014}Goals, \
             Bonds, and Tasks in a specialized treatment for borderline personality disorder"
        )
    );
    let tally = &page["tally"];
    assert_eq!(
        [
            tally["supporting"].as_u64(),
            tally["mentioning"].as_u64(),
            tally["contrasting"].as_u64()
        ],
        [Some(2), Some(18), Some(0)]
    );
    assert_eq!(page["cited_by"].as_u64(), Some(24));
    assert_eq!(page["citation_statements"].as_u64(), Some(20));
    assert_eq!(page["references"].as_u64(), Some(63));
    let abstract_text = page["abstract"].as_str().ok_or("an abstract")?;
    assert!(
        !abstract_text.trim_end().ends_with("Show more"),
        "the button label is not part of the abstract"
    );
    Ok(())
}

struct Expected {
    section: &'static str,
    bucket: &'static str,
    cited: &'static [(&'static str, u64)],
}

const STATEMENTS: [Expected; 4] = [
    Expected {
        section: "Discussion",
        bucket: "discussion",
        cited: &[("Wampold", 2015), ("Folmo", 2021)],
    },
    Expected {
        section: "Introduction",
        bucket: "introduction",
        // The parenthesised list of concepts names no author, and the second
        // `Fonagy & Bateman, 2006` adds no new pair.
        cited: &[
            ("Bateman", 2006),
            ("Fonagy", 2006),
            ("Folmo", 2021),
            ("Fonagy", 2014),
            ("Allison", 2014),
            ("De Meulemeester", 2018),
            ("Gardner", 2019),
        ],
    },
    Expected {
        section: "Gq As a Relevant Instrument For Pd Research And Treatment Mo...",
        bucket: "other",
        cited: &[
            ("Euler", 2018),
            ("Wrege", 2018),
            ("Busmann", 2018),
            ("Lindenmeyer", 2018),
            ("Kvarstein", 2018),
            ("Folmo", 2020),
            ("Stänicke", 2020),
            ("Johansen", 2020),
            ("Pedersen", 2020),
        ],
    },
    Expected {
        section: "Limitations",
        bucket: "limitations",
        cited: &[("Ardito", 2011), ("Rabellino", 2011), ("Folmo", 2021)],
    },
];

#[test]
fn real_page_statements_repeat_counted_once() -> TestResult {
    let Some(real) = real_page() else {
        return Ok(());
    };
    let page = parsed(&Sandbox::new(), real);
    let statements = page["statements"].as_array().ok_or("statements")?;
    assert_eq!(
        statements.len(),
        4,
        "four statements; the repeated first one counts once"
    );
    let texts: Vec<&str> = statements
        .iter()
        .filter_map(|s| s["text"].as_str())
        .collect();
    for (i, t) in texts.iter().enumerate() {
        assert!(!texts[..i].contains(t), "statement {} repeats", i + 1);
    }
    for (i, (got, want)) in statements.iter().zip(&STATEMENTS).enumerate() {
        let n = i + 1;
        assert_eq!(got["position"].as_u64(), Some(n as u64), "statement {n}");
        assert_eq!(got["section"].as_str(), Some(want.section), "statement {n}");
        assert_eq!(
            got["section_bucket"].as_str(),
            Some(want.bucket),
            "statement {n}"
        );
        assert_eq!(got["type"].as_str(), Some("mentioning"), "statement {n}");
        assert_eq!(got["confidence"].as_u64(), Some(99), "statement {n}");
        let cited: Vec<(&str, Option<u64>)> = got["cited"]
            .as_array()
            .ok_or("cited")?
            .iter()
            .map(|c| (c["author"].as_str().unwrap_or_default(), c["year"].as_u64()))
            .collect();
        let want_cited: Vec<(&str, Option<u64>)> =
            want.cited.iter().map(|(a, y)| (*a, Some(*y))).collect();
        assert_eq!(cited, want_cited, "statement {n}: cited authors");
    }
    Ok(())
}

#[test]
fn real_page_is_found_by_folded_names() -> TestResult {
    let sandbox = Sandbox::new();
    let corpus = sandbox.path().join("corpus");
    std::fs::create_dir(&corpus)?;
    let Some(real) = real_page() else {
        return Ok(());
    };
    std::fs::copy(real, corpus.join("real-report-page.txt"))?;
    sandbox.index(&corpus);

    let hits = sandbox.hits(&["stanicke"]);
    assert!(!hits.is_empty());
    for hit in &hits {
        assert_eq!(hit["doi"].as_str(), Some("10.1080/10503307.2020.1831097"));
    }
    assert!(
        hits.iter().any(|h| h["position"].as_u64() == Some(3)),
        "the statement citing Stänicke is among the hits"
    );

    let by_author = sandbox.hits(&["*", "--author", "stanicke"]);
    let positions: Vec<Option<u64>> = by_author.iter().map(|h| h["position"].as_u64()).collect();
    assert_eq!(positions, vec![Some(3)], "only statement 3 cites Stänicke");
    let by_author = sandbox.hits(&["*", "--author", "STÄNICKE"]);
    assert_eq!(by_author.len(), 1);
    Ok(())
}
