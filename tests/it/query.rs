//! `citeindex query`: ranking, the query syntax, the filters, paging, the JSON
//! contract, deduplication, colour and exit codes. Expected hits come from the
//! corpus manifest (`common::corpus`), never from earlier program output.

use std::collections::BTreeSet;
use std::ffi::OsStr;
use std::path::Path;

use serde_json::Value;

use crate::common::{
    all_statements, assert_same_statements, collapse, expected, fold, gap_between, hit_key,
    indexed_sample, statement_of, tokens, unique_statements, Key, Sandbox, Stmt, TestResult,
};

/// How often a word starting with `stem` occurs in a statement's own text.
fn occurrences(s: &Stmt, stem: &str) -> usize {
    tokens(s.facts.text)
        .iter()
        .filter(|t| t.starts_with(stem))
        .count()
}

#[test]
fn statements_with_the_most_occurrences_rank_first() -> TestResult {
    let sandbox = indexed_sample();
    let hits = sandbox.hits(&["hippocampal"]);
    let all = expected(|s| s.mentions("hippocamp"));
    assert_same_statements(&hits, &all, "hippocampal");

    let most = all.iter().map(|s| occurrences(s, "hippocamp")).max();
    let top: Vec<Stmt> = all
        .iter()
        .copied()
        .filter(|s| Some(occurrences(s, "hippocamp")) == most)
        .collect();
    assert!(
        most >= Some(2) && top.len() < all.len(),
        "the manifest has statements with more occurrences than others"
    );
    assert_same_statements(
        &hits[..top.len()],
        &top,
        "the statements naming `hippocampal` most often come first",
    );
    check_ranks_and_scores(&hits, 0);
    Ok(())
}

/// Ranks count up from `offset + 1` and scores never increase.
#[track_caller]
fn check_ranks_and_scores(hits: &[Value], offset: u64) {
    for (i, hit) in hits.iter().enumerate() {
        assert_eq!(hit["rank"].as_u64(), Some(offset + i as u64 + 1), "{hit}");
    }
    for pair in hits.windows(2) {
        let (a, b) = (pair[0]["score"].as_f64(), pair[1]["score"].as_f64());
        assert!(
            a.is_some() && b.is_some() && a >= b,
            "scores must not increase: {a:?} then {b:?}"
        );
    }
}

/// The statements whose own text has `sleep spindle(s)` with the words adjacent,
/// and those that have both words apart.
fn sleep_spindles() -> (Vec<Stmt>, Vec<Stmt>) {
    let adjacent = expected(|s| gap_between(s.facts.text, "sleep", "spindl") == Some(0));
    let apart = expected(|s| {
        let words = tokens(s.facts.text);
        words.iter().any(|w| w.starts_with("sleep"))
            && words.iter().any(|w| w.starts_with("spindl"))
            && gap_between(s.facts.text, "sleep", "spindl") != Some(0)
    });
    assert!(
        adjacent.len() >= 3 && apart.len() >= 2,
        "the corpus has statements with the phrase and with the words apart"
    );
    (adjacent, apart)
}

#[test]
fn phrase_query_on_the_statement_field_matches_only_adjacent_words() -> TestResult {
    let sandbox = indexed_sample();
    let (adjacent, _) = sleep_spindles();
    let hits = sandbox.hits(&[r#"statement:"sleep spindles""#]);
    assert_same_statements(&hits, &adjacent, r#"statement:"sleep spindles""#);
    Ok(())
}

#[test]
fn phrase_query_matches_exactly_the_statements_with_the_adjacent_phrase() -> TestResult {
    // A phrase in the default fields matches where any of them holds it: the
    // statement text, or the cited paper's title or the section heading (README:
    // default fields statement, author, title, section). The manifest plants the
    // words apart in targeted-memory-reactivation-2016 S2, whose title and
    // heading do not hold the phrase either, so it must be missed.
    let sandbox = indexed_sample();
    let (_, apart) = sleep_spindles();
    let in_any_field = |s: &Stmt| {
        [Some(s.facts.text), Some(s.page.title), s.facts.section]
            .into_iter()
            .flatten()
            .any(|t| gap_between(t, "sleep", "spindl") == Some(0))
    };
    let expected_hits = expected(in_any_field);
    let hits = sandbox.hits(&[r#""sleep spindles""#]);
    assert_same_statements(
        &hits,
        &expected_hits,
        r#""sleep spindles" must match the statements whose default fields hold the phrase"#,
    );
    let missed: Vec<&Stmt> = apart.iter().filter(|s| !in_any_field(s)).collect();
    assert!(
        !missed.is_empty(),
        "the corpus has a statement with the words apart everywhere"
    );
    let missed_keys: BTreeSet<Key> = missed.iter().map(|s| s.key()).collect();
    assert!(
        hits.iter().all(|h| !missed_keys.contains(&hit_key(h))),
        "statements with `sleep` and `spindles` apart in every field matched the phrase"
    );
    Ok(())
}

#[test]
fn slop_allows_that_many_words_between() -> TestResult {
    let sandbox = indexed_sample();
    // Fewest words between `gpx4` and a later `persister…` in any default field.
    let gap = |s: &Stmt| {
        [Some(s.facts.text), Some(s.page.title), s.facts.section]
            .into_iter()
            .flatten()
            .filter_map(|t| gap_between(t, "gpx4", "persister"))
            .min()
    };
    let within = |n: usize| expected(|s| gap(s).is_some_and(|g| g <= n));
    let in_text = |n: usize| {
        expected(|s| gap_between(s.facts.text, "gpx4", "persister").is_some_and(|g| g <= n))
    };
    assert!(within(0).is_empty() && !within(1).is_empty());
    assert!(in_text(1).len() < in_text(4).len());

    let exact = sandbox.hits_or_none(&[r#""gpx4 persisters""#]);
    assert_same_statements(&exact, &within(0), "no slop");
    let one = sandbox.hits(&[r#""gpx4 persisters"~1"#]);
    assert_same_statements(&one, &within(1), "~1");
    let four = sandbox.hits(&[r#"statement:"gpx4 persisters"~4"#]);
    assert_same_statements(&four, &in_text(4), "statement: ~4");
    Ok(())
}

#[test]
fn plus_requires_and_minus_excludes_a_word() -> TestResult {
    let sandbox = indexed_sample();
    let without = expected(|s| s.mentions("spindl") && !s.mentions("hippocamp"));
    let with = expected(|s| s.mentions("spindl") && s.mentions("hippocamp"));
    assert!(!without.is_empty() && !with.is_empty());
    assert_same_statements(
        &sandbox.hits(&["+spindles -hippocampal"]),
        &without,
        "+spindles -hippocampal",
    );
    assert_same_statements(
        &sandbox.hits(&["+spindles +hippocampal"]),
        &with,
        "+spindles +hippocampal",
    );
    Ok(())
}

#[test]
fn and_and_or_combine_words() -> TestResult {
    let sandbox = indexed_sample();
    let both = expected(|s| s.mentions("spindl") && s.mentions("hippocamp"));
    let either = expected(|s| s.mentions("schizophreni") || s.mentions("seed"));
    assert!(!both.is_empty());
    assert!(either.len() > expected(|s| s.mentions("seed")).len());
    assert_same_statements(&sandbox.hits(&["spindles AND hippocampal"]), &both, "AND");
    assert_same_statements(&sandbox.hits(&["schizophrenia OR seeds"]), &either, "OR");
    // Words given as separate arguments are one query.
    assert_same_statements(
        &sandbox.hits(&["spindles", "AND", "hippocampal"]),
        &both,
        "AND over several arguments",
    );
    Ok(())
}

#[test]
fn field_queries_search_one_field() -> TestResult {
    let sandbox = indexed_sample();
    let astrom = expected(|s| s.cites("astrom"));
    assert!(astrom.len() >= 4);
    assert_same_statements(&sandbox.hits(&["author:astrom"]), &astrom, "author:");

    let discussion = expected(|s| {
        s.facts
            .section
            .is_some_and(|h| tokens(h).iter().any(|t| t.starts_with("discuss")))
    });
    assert!(discussion.len() >= 5);
    assert_same_statements(
        &sandbox.hits(&["section:discussion"]),
        &discussion,
        "section:",
    );

    let supporting = expected(|s| s.kind() == Some("supporting"));
    assert!(supporting.len() >= 10);
    assert_same_statements(&sandbox.hits(&["type:supporting"]), &supporting, "type:");
    Ok(())
}

#[test]
fn diacritics_are_folded_in_queries() -> TestResult {
    let sandbox = indexed_sample();
    let astrom = expected(|s| s.mentions("astrom"));
    assert!(astrom.iter().any(|s| s.facts.text.contains("Åström")));
    assert_same_statements(&sandbox.hits(&["astrom"]), &astrom, "astrom");
    assert_same_statements(&sandbox.hits(&["Åström"]), &astrom, "Åström");

    let stepien = expected(|s| s.mentions("stepien"));
    assert!(stepien.iter().all(|s| s.facts.text.contains("Stępień")));
    assert!(stepien.len() >= 3);
    assert_same_statements(&sandbox.hits(&["stepien"]), &stepien, "stepien");
    Ok(())
}

/// Every hit's string field `name` is `want`.
#[track_caller]
fn all_have(hits: &[Value], name: &str, want: &str) {
    for hit in hits {
        assert_eq!(hit[name].as_str(), Some(want), "{name} of {hit}");
    }
}

#[test]
fn section_filter_takes_a_bucket_name() -> TestResult {
    let sandbox = indexed_sample();
    let discussion = expected(|s| s.facts.bucket == Some("discussion"));
    assert!(
        discussion
            .iter()
            .any(|s| s.facts.section == Some("4.2 General Discussion")),
        "the bucket includes a numbered heading"
    );
    let hits = sandbox.hits(&["*", "--section", "discussion"]);
    assert_same_statements(&hits, &discussion, "--section discussion");
    all_have(&hits, "section_bucket", "discussion");

    let limitations = expected(|s| s.facts.bucket == Some("limitations"));
    assert!(limitations
        .iter()
        .any(|s| s.facts.section == Some("Strengths and Limitations")));
    let hits = sandbox.hits(&["*", "--section", "limitations"]);
    assert_same_statements(&hits, &limitations, "--section limitations");
    all_have(&hits, "section_bucket", "limitations");
    Ok(())
}

#[test]
fn section_filter_takes_words_of_the_heading() -> TestResult {
    let sandbox = indexed_sample();
    let general = expected(|s| s.facts.section == Some("4.2 General Discussion"));
    assert_eq!(general.len(), 1);
    assert_same_statements(
        &sandbox.hits(&["*", "--section", "general discussion"]),
        &general,
        "--section \"general discussion\"",
    );
    // A filter narrows a word query too.
    let spindles_in_discussion =
        expected(|s| s.mentions("spindl") && s.facts.bucket == Some("discussion"));
    assert_same_statements(
        &sandbox.hits(&["spindles", "--section", "discussion"]),
        &spindles_in_discussion,
        "spindles --section discussion",
    );
    Ok(())
}

#[test]
fn type_filter_reads_old_names_as_contrasting() -> TestResult {
    let sandbox = indexed_sample();
    let contrasting = expected(|s| s.kind() == Some("contrasting"));
    for old in ["contradicting", "disputing"] {
        assert!(
            contrasting
                .iter()
                .any(|s| s.facts.type_as_written == Some(old)),
            "the corpus has pages that say {old}"
        );
    }
    let hits = sandbox.hits(&["*", "--type", "contrasting"]);
    assert_same_statements(&hits, &contrasting, "--type contrasting");
    all_have(&hits, "type", "contrasting");
    for alias in ["disputing", "contradicting"] {
        let alias_hits = sandbox.hits(&["*", "--type", alias]);
        assert_same_statements(&alias_hits, &contrasting, alias);
    }

    let supporting = expected(|s| s.kind() == Some("supporting"));
    let hits = sandbox.hits(&["*", "--type", "supporting"]);
    assert_same_statements(&hits, &supporting, "--type supporting");
    all_have(&hits, "type", "supporting");
    Ok(())
}

/// Every hit cites an author whose folded name is `name`.
#[track_caller]
fn all_cite(hits: &[Value], name: &str) {
    for hit in hits {
        let cited = hit["cited"].as_array().cloned().unwrap_or_default();
        assert!(
            cited
                .iter()
                .any(|c| c["author"].as_str().map(fold) == Some(fold(name))),
            "{hit} cites no {name}"
        );
    }
}

#[test]
fn author_filter_ignores_case_and_diacritics() -> TestResult {
    let sandbox = indexed_sample();
    let astrom = expected(|s| s.cites("Åström"));
    assert!(astrom.len() >= 4);
    for spelling in ["astrom", "Åström", "ÅSTRÖM"] {
        let hits = sandbox.hits(&["*", "--author", spelling]);
        assert_same_statements(&hits, &astrom, spelling);
        all_cite(&hits, "astrom");
    }
    let stepien = expected(|s| s.cites("Stępień"));
    assert!(stepien.len() >= 3);
    assert_same_statements(
        &sandbox.hits(&["*", "--author", "stepien"]),
        &stepien,
        "stepien",
    );
    Ok(())
}

#[test]
fn author_filter_takes_names_with_particles() -> TestResult {
    let sandbox = indexed_sample();
    for (name, at_least) in [("van der Berg", 1), ("de Souza", 3), ("Van Dijk", 2)] {
        let want = expected(|s| s.cites(name));
        assert!(want.len() >= at_least, "{name} in the manifest");
        for spelling in [name.to_string(), name.to_uppercase()] {
            let hits = sandbox.hits(&["*", "--author", &spelling]);
            assert_same_statements(&hits, &want, &spelling);
            all_cite(&hits, name);
        }
    }
    Ok(())
}

#[test]
fn year_filter_takes_all_four_forms() -> TestResult {
    let sandbox = indexed_sample();
    let forms: [(&str, Option<u64>, Option<u64>); 4] = [
        ("2019", Some(2019), Some(2019)),
        ("2015..2017", Some(2015), Some(2017)),
        ("2021..", Some(2021), None),
        ("..2013", None, Some(2013)),
    ];
    for (form, from, to) in forms {
        let inside = |y: u64| from.is_none_or(|f| y >= f) && to.is_none_or(|t| y <= t);
        let want = expected(|s| s.page.year.is_some_and(|y| inside(u64::from(y))));
        assert!(!want.is_empty(), "{form}: the manifest has such pages");
        let hits = sandbox.hits(&["*", "--year", form]);
        for hit in &hits {
            let year = hit["year"].as_u64();
            assert!(
                year.is_some_and(inside),
                "--year {form}: hit outside: {hit}"
            );
        }
        assert_same_statements(&hits, &want, &format!("--year {form}"));
    }
    Ok(())
}

#[test]
fn doi_filter_ignores_case_and_takes_a_doi_org_link() -> TestResult {
    let sandbox = indexed_sample();
    let want = expected(|s| s.doi().as_deref() == Some("10.5555/slp.2013.2290"));
    assert_eq!(want.len(), 4);
    for doi in [
        "10.5555/slp.2013.2290",
        "10.5555/SLP.2013.2290",
        "https://doi.org/10.5555/SLP.2013.2290",
    ] {
        let hits = sandbox.hits(&["*", "--doi", doi]);
        assert_same_statements(&hits, &want, doi);
        all_have(&hits, "doi", "10.5555/slp.2013.2290");
    }
    // The same paper saved as text (DOI upper case) and as HTML: one set of statements.
    let shared = expected(|s| s.doi().as_deref() == Some("10.5555/ml.2023.0118"));
    assert_eq!(shared.len(), 4);
    assert_same_statements(
        &sandbox.hits(&["*", "--doi", "10.5555/ML.2023.0118"]),
        &shared,
        "shared DOI",
    );
    Ok(())
}

#[test]
fn limit_caps_the_hits_and_keeps_the_best() -> TestResult {
    let sandbox = indexed_sample();
    let all = sandbox.hits(&["hippocampal"]);
    assert!(all.len() > 3);
    let run = sandbox.query(&["hippocampal", "--json", "--limit", "3"]);
    run.expect_code(0);
    let three = run.json_lines();
    assert_eq!(
        three.iter().map(hit_key).collect::<Vec<_>>(),
        all[..3].iter().map(hit_key).collect::<Vec<_>>()
    );
    let run = sandbox.query(&["*", "--json", "-n", "1"]);
    run.expect_code(0);
    assert_eq!(run.json_lines().len(), 1);
    // The documented default is ten.
    let run = sandbox.query(&["*", "--json"]);
    run.expect_code(0);
    assert_eq!(run.json_lines().len(), 10);
    Ok(())
}

#[test]
fn offset_pages_through_the_hits_in_order_without_overlap() -> TestResult {
    let sandbox = indexed_sample();
    let query = "spindles OR sleep OR memory OR depression";
    let all = sandbox.hits(&[query]);
    assert!(all.len() > 12, "enough hits for several pages");
    let mut paged = Vec::new();
    let mut offset = 0;
    loop {
        let offset_arg = offset.to_string();
        let run = sandbox.query(&[query, "--json", "--limit", "5", "--offset", &offset_arg]);
        if run.code == Some(1) {
            assert!(run.stdout.is_empty());
            break;
        }
        run.expect_code(0);
        let page = run.json_lines();
        assert!(!page.is_empty() && page.len() <= 5);
        check_ranks_and_scores(&page, offset as u64);
        paged.extend(page);
        offset += 5;
        assert!(offset <= all.len() + 5, "paging never ends");
    }
    let keys = |hits: &[Value]| hits.iter().map(hit_key).collect::<Vec<_>>();
    assert_eq!(
        keys(&paged),
        keys(&all),
        "pages put together are the full list"
    );
    let distinct: BTreeSet<Key> = keys(&paged).into_iter().collect();
    assert_eq!(distinct.len(), paged.len(), "pages do not overlap");
    Ok(())
}

const HIT_FIELDS: [&str; 14] = [
    "rank",
    "score",
    "doi",
    "title",
    "year",
    "path",
    "position",
    "text",
    "section",
    "section_bucket",
    "type",
    "confidence",
    "cited",
    "snippet",
];

#[test]
fn json_hits_have_exactly_the_contract_fields() -> TestResult {
    let sandbox = indexed_sample();
    let hits = sandbox.hits(&["*"]);
    let want: BTreeSet<&str> = HIT_FIELDS.into_iter().collect();
    for hit in &hits {
        let obj = hit
            .as_object()
            .ok_or_else(|| format!("not an object: {hit}"))?;
        let got: BTreeSet<&str> = obj.keys().map(String::as_str).collect();
        assert_eq!(got, want, "fields of {hit}");
        assert!(hit["rank"].is_u64() && hit["score"].is_number(), "{hit}");
        assert!(hit["path"].is_string() && hit["text"].is_string(), "{hit}");
        assert!(
            hit["position"].is_u64() && hit["snippet"].is_string(),
            "{hit}"
        );
        for name in ["doi", "title", "section", "section_bucket", "type"] {
            assert!(
                hit[name].is_string() || hit[name].is_null(),
                "{name}: {hit}"
            );
        }
        for name in ["year", "confidence"] {
            assert!(hit[name].is_u64() || hit[name].is_null(), "{name}: {hit}");
        }
        let cited = hit["cited"]
            .as_array()
            .ok_or_else(|| format!("cited is no array: {hit}"))?;
        for c in cited {
            let keys: BTreeSet<&str> = c
                .as_object()
                .ok_or_else(|| format!("cited entry: {c}"))?
                .keys()
                .map(String::as_str)
                .collect();
            assert_eq!(keys, BTreeSet::from(["author", "year"]), "{hit}");
            assert!(c["author"].is_string(), "{c}");
            assert!(c["year"].is_u64() || c["year"].is_null(), "{c}");
        }
    }

    // Missing values are null: the seed-variance page's second statement has
    // no Section line and no confidence line.
    let bare = expected(|s| {
        s.page.path == "ml/leaderboard-seed-variance-2018.txt" && s.facts.section.is_none()
    });
    assert_eq!(bare.len(), 1);
    let hit = hits
        .iter()
        .find(|h| hit_key(h) == bare[0].key())
        .ok_or("the statement without a Section line is found")?;
    for name in ["section", "section_bucket", "type", "confidence"] {
        assert!(hit[name].is_null(), "{name} must be null: {hit}");
    }
    // A page without a DOI line and a page without a year line.
    let no_doi = hits
        .iter()
        .filter(|h| statement_of(h).is_some_and(|s| s.page.doi_as_written.is_none()))
        .count();
    assert!(no_doi > 0);
    let no_year = hits
        .iter()
        .filter(|h| statement_of(h).is_some_and(|s| s.page.year.is_none()))
        .count();
    assert!(no_year > 0);
    for hit in &hits {
        if let Some(s) = statement_of(hit) {
            if s.page.doi_as_written.is_none() {
                assert!(hit["doi"].is_null(), "doi must be null: {hit}");
            }
            if s.page.year.is_none() {
                assert!(hit["year"].is_null(), "year must be null: {hit}");
            }
        }
    }
    Ok(())
}

#[test]
fn json_path_and_position_lead_to_the_statement() -> TestResult {
    let sandbox = indexed_sample();
    for hit in sandbox.hits(&["*"]) {
        let path = hit["path"].as_str().ok_or("path")?;
        let full = sandbox.path().join(path);
        let bytes = std::fs::read(&full).map_err(|e| format!("{path} of {hit}: {e}"))?;
        let page = citeindex::page::parse_bytes(Path::new(path), &bytes)
            .map_err(|e| format!("{path} does not parse: {e}"))?;
        let position = hit["position"].as_u64().ok_or("position")?;
        let at = position
            .checked_sub(1)
            .and_then(|i| page.statements.get(i as usize))
            .ok_or_else(|| format!("{path} has no statement {position}"))?;
        assert_eq!(
            collapse(&at.text),
            collapse(hit["text"].as_str().unwrap_or_default()),
            "{path}:{position}"
        );
    }
    Ok(())
}

#[test]
fn hits_agree_with_the_manifest() -> TestResult {
    let sandbox = indexed_sample();
    for hit in sandbox.hits(&["*"]) {
        let s = statement_of(&hit).ok_or_else(|| format!("not in the manifest: {hit}"))?;
        let label = s.label();
        assert_eq!(hit["doi"].as_str().map(String::from), s.doi(), "{label}");
        assert_eq!(hit["title"].as_str(), Some(s.page.title), "{label}");
        assert_eq!(hit["year"].as_u64(), s.page.year.map(u64::from), "{label}");
        assert_eq!(hit["section"].as_str(), s.facts.section, "{label}");
        assert_eq!(hit["section_bucket"].as_str(), s.facts.bucket, "{label}");
        assert_eq!(hit["type"].as_str(), s.kind(), "{label}");
        assert_eq!(
            hit["confidence"].as_u64(),
            s.facts.confidence.map(u64::from),
            "{label}"
        );
        let cited: Vec<(String, Option<u64>)> = hit["cited"]
            .as_array()
            .cloned()
            .unwrap_or_default()
            .iter()
            .map(|c| {
                (
                    c["author"].as_str().unwrap_or_default().to_string(),
                    c["year"].as_u64(),
                )
            })
            .collect();
        let want: Vec<(String, Option<u64>)> = s
            .facts
            .cited
            .iter()
            .map(|(a, y)| (a.to_string(), Some(u64::from(*y))))
            .collect();
        assert_eq!(cited, want, "{label}");
        assert_eq!(hit["position"].as_u64(), Some(s.position()), "{label}");
        // The path is one of the files that hold the statement.
        let path = hit["path"].as_str().unwrap_or_default();
        let holders: Vec<&str> = all_statements()
            .iter()
            .filter(|t| t.key() == s.key())
            .map(|t| t.page.path)
            .collect();
        assert!(
            holders.iter().any(|h| path.ends_with(h)),
            "{label}: path {path} is none of {holders:?}"
        );
    }
    Ok(())
}

#[test]
fn star_returns_every_distinct_statement_once() -> TestResult {
    let sandbox = indexed_sample();
    let hits = sandbox.hits(&["*"]);
    assert_same_statements(&hits, &unique_statements(), "*");
    assert!(unique_statements().len() < all_statements().len());
    Ok(())
}

#[test]
fn queries_on_path_and_kind_return_statements_only() -> TestResult {
    // Each file also has a `page` record (and junk a `skipped` one) with the
    // same path; those records must never come back as hits.
    let sandbox = indexed_sample();
    let path = "ml/leaderboard-seed-variance-2018.txt";
    let hits = sandbox.hits(&[&format!("path:\"{path}\"")]);
    let expected_hits = expected(|s| s.page.path == path);
    assert_same_statements(&hits, &expected_hits, "path:");
    sandbox.query(&["kind:page"]).expect_code(1);
    sandbox.query(&["kind:skipped"]).expect_code(1);
    sandbox.query(&["path:\"junk/notes.txt\""]).expect_code(1);
    Ok(())
}

#[test]
fn statement_saved_in_two_files_is_one_hit() -> TestResult {
    let sandbox = indexed_sample();
    // `dialogue`: the page saved twice (sleep/ and dupes/). `perplexity`: the
    // paper saved as .txt, as .html and by a browser's "Webpage, Complete"
    // under one DOI. `remnants`: saved as .html and as MHTML.
    for (word, saved) in [("dialogue", 2), ("perplexity", 3), ("remnants", 2)] {
        let copies = all_statements()
            .into_iter()
            .filter(|s| s.mentions(word))
            .count();
        let distinct = expected(|s| s.mentions(word));
        assert!(copies == saved && distinct.len() == 1, "{word}: manifest");
        let hits = sandbox.hits(&[word]);
        assert_same_statements(&hits, &distinct, word);
        assert_eq!(hits.len(), 1, "{word}");
    }
    Ok(())
}

/// `text` without ANSI escape sequences.
fn strip_ansi(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\x1b' && chars.peek() == Some(&'[') {
            chars.next();
            for d in chars.by_ref() {
                if ('@'..='~').contains(&d) {
                    break;
                }
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// `line` with every `ESC[…m WORD ESC[0m` taken out, and how many there were.
fn remove_painted(line: &str, word: &str) -> (String, usize) {
    let mut rest = line;
    let mut out = String::new();
    let mut count = 0;
    while let Some(start) = rest.find("\x1b[") {
        let after = &rest[start + 2..];
        let Some(m) = after.find('m') else { break };
        let codes = &after[..m];
        let painted = &after[m + 1..];
        let closing = format!("{word}\x1b[0m");
        if !codes.is_empty()
            && codes.chars().all(|c| c.is_ascii_digit() || c == ';')
            && painted.starts_with(&closing)
        {
            out.push_str(&rest[..start]);
            out.push_str("<>");
            rest = &painted[closing.len()..];
            count += 1;
        } else {
            out.push_str(&rest[..start + 2]);
            rest = after;
        }
    }
    out.push_str(rest);
    (out, count)
}

#[test]
fn color_always_paints_exactly_the_matched_words() -> TestResult {
    let sandbox = indexed_sample();
    let run = sandbox.query(&["gpx4", "--color", "always"]);
    run.expect_code(0);
    let gpx4 = expected(|s| s.mentions("gpx4"));
    let texts: BTreeSet<String> = gpx4.iter().map(|s| collapse(s.facts.text)).collect();
    let mut statement_lines = 0;
    for line in run.stdout.lines() {
        if !texts.contains(&collapse(&strip_ansi(line))) {
            continue;
        }
        statement_lines += 1;
        let (rest, painted) = remove_painted(line, "GPX4");
        let in_text = line.matches("GPX4").count();
        assert!(painted > 0, "no painted match in {line:?}");
        assert_eq!(painted, in_text, "every GPX4 painted: {line:?}");
        assert!(
            !rest.contains('\x1b'),
            "only the matched word is painted: {line:?}"
        );
    }
    assert_eq!(statement_lines, gpx4.len(), "{}", run.describe());

    let never = sandbox.query(&["gpx4", "--color", "never"]);
    never.expect_code(0);
    assert!(!never.stdout.contains('\x1b'), "{}", never.describe());
    assert_eq!(
        strip_ansi(&run.stdout),
        never.stdout,
        "colour adds only escapes"
    );
    Ok(())
}

#[test]
fn piped_output_has_no_escape_bytes() -> TestResult {
    let sandbox = indexed_sample();
    for args in [
        &["gpx4"][..],
        &["gpx4", "--color", "auto"],
        &["gpx4", "--color", "never"],
        &["gpx4", "--json", "--color", "never"],
    ] {
        let run = sandbox.query(args);
        run.expect_code(0);
        assert!(!run.stdout.contains('\x1b'), "{}", run.describe());
    }
    Ok(())
}

#[test]
fn no_hits_exit_1_with_empty_stdout() -> TestResult {
    let sandbox = indexed_sample();
    assert!(unique_statements().iter().all(|s| !s.mentions("mentaliz")));
    for args in [
        &["mentalization"][..],
        &["mentalization", "--json"],
        &["*", "--author", "nosuchauthor"],
        &["*", "--year", "1900..1950"],
    ] {
        let run = sandbox.query(args);
        run.expect_code(1);
        assert!(run.stdout.is_empty(), "{}", run.describe());
    }
    Ok(())
}

#[test]
fn malformed_queries_and_filters_exit_2_with_a_message() -> TestResult {
    let sandbox = indexed_sample();
    let cases: [&[&str]; 6] = [
        &["\"unclosed"],
        &["title:("],
        &["nosuchfield:x"],
        &["spindles", "--type", "bogus"],
        &["spindles", "--year", "2021..2019"],
        &["spindles", "--year", "abc"],
    ];
    for args in cases {
        let run = sandbox.query(args);
        run.expect_code(2);
        assert!(run.stdout.is_empty(), "{}", run.describe());
        assert!(!run.stderr.trim().is_empty(), "{}", run.describe());
    }
    // The message names what was wrong.
    assert!(sandbox
        .query(&["x", "--type", "bogus"])
        .stderr
        .contains("bogus"));
    assert!(sandbox
        .query(&["x", "--year", "abc"])
        .stderr
        .contains("abc"));
    assert!(sandbox
        .query(&["nosuchfield:x"])
        .stderr
        .contains("nosuchfield"));
    // In the command line's terms: the flag, then what is wrong with its value,
    // whether the value is refused when read or when the search is built.
    for (args, flag) in [
        (
            &["x", "--year", "abc"][..],
            "--year `abc` is not a year range",
        ),
        (
            &["x", "--type", "bogus"][..],
            "--type `bogus` is not a citation type",
        ),
        (
            &["x", "--author", "!!!"][..],
            "--author `!!!` has no letters to match",
        ),
        (
            &["x", "--section", "!?"][..],
            "--section `!?` has no words to match",
        ),
    ] {
        let run = sandbox.query(args);
        run.expect_code(2);
        assert!(run.stderr.contains(flag), "{}", run.describe());
    }
    Ok(())
}

#[test]
fn query_without_an_index_exits_2_saying_no_index() -> TestResult {
    let sandbox = Sandbox::new();
    let missing = sandbox.path().join("never-built");
    let run = sandbox.run([
        OsStr::new("query"),
        OsStr::new("spindles"),
        OsStr::new("--index"),
        missing.as_os_str(),
    ]);
    run.expect_code(2);
    assert!(run.stderr.contains("no index"), "{}", run.describe());
    assert!(!missing.exists(), "a query creates no index folder");
    // Nor at the default location.
    let run = sandbox.run(["query", "spindles"]);
    run.expect_code(2);
    assert!(run.stderr.contains("no index"), "{}", run.describe());
    Ok(())
}

/// `--sort year` and `--sort confidence` order by the field, descending, then
/// by score; each returns the same statements as relevance order.
#[test]
fn sort_orders_by_year_or_confidence_then_by_score() -> TestResult {
    let sandbox = indexed_sample();
    for (order, field) in [("year", "year"), ("confidence", "confidence")] {
        for query in [&["*"][..], &["sleep"], &["*", "--type", "mentioning"]] {
            let mut args = query.to_vec();
            args.extend(["--sort", order]);
            let sorted = sandbox.hits(&args);
            let by_relevance = sandbox.hits(query);
            let keys = |hits: &[Value]| -> BTreeSet<Key> { hits.iter().map(hit_key).collect() };
            assert_eq!(
                keys(&sorted),
                keys(&by_relevance),
                "{args:?}: the same statements"
            );
            assert!(sorted.len() > 3, "{args:?}: enough hits to check an order");
            let value = |hit: &Value| hit[field].as_u64().unwrap_or(0);
            let distinct: BTreeSet<u64> = sorted.iter().map(value).collect();
            assert!(distinct.len() > 1, "{args:?}: hits differ in {field}");
            for pair in sorted.windows(2) {
                let (a, b) = (&pair[0], &pair[1]);
                assert!(
                    value(a) >= value(b),
                    "{args:?}: {field} must not increase: {a} then {b}"
                );
                if value(a) == value(b) {
                    assert!(
                        a["score"].as_f64() >= b["score"].as_f64(),
                        "{args:?}: ties by score"
                    );
                }
            }
            for (i, hit) in sorted.iter().enumerate() {
                assert_eq!(hit["rank"].as_u64(), Some(i as u64 + 1));
            }
        }
    }
    // Paging a sorted list: pages are consecutive slices of the whole list.
    let whole = sandbox.hits(&["*", "--sort", "year"]);
    let second = sandbox.query(&[
        "*", "--sort", "year", "--json", "--limit", "5", "--offset", "5",
    ]);
    second.expect_code(0);
    let keys: Vec<Key> = second.json_lines().iter().map(hit_key).collect();
    let want: Vec<Key> = whole[5..10].iter().map(hit_key).collect();
    assert_eq!(keys, want);
    Ok(())
}

#[test]
fn an_unknown_sort_order_is_a_usage_error() {
    let sandbox = indexed_sample();
    let run = sandbox.query(&["sleep", "--sort", "newest"]);
    run.expect_code(2);
    assert!(
        run.stderr.contains("relevance") && run.stderr.contains("confidence"),
        "{}",
        run.stderr
    );
}

/// The facet counts of a query, from its final `{"facets":…}` line.
fn facets_of(sandbox: &crate::common::Sandbox, args: &[&str]) -> (Vec<Value>, Value) {
    let mut all = args.to_vec();
    all.extend(["--json", "--limit", "1000", "--facets"]);
    let run = sandbox.query(&all);
    let mut lines = run.json_lines();
    let last = lines.pop().expect("a facets line");
    assert_eq!(last.as_object().map(|o| o.len()), Some(1), "{last}");
    (lines, last["facets"].clone())
}

/// How many of the hits have each value of a field (`unknown` when absent).
fn tally(hits: &[Value], field: &str) -> Value {
    let mut counts = serde_json::Map::new();
    for hit in hits {
        let name = match &hit[field] {
            Value::Null => "unknown".to_string(),
            Value::String(s) => s.clone(),
            other => other.to_string(),
        };
        let n = counts.get(&name).and_then(Value::as_u64).unwrap_or(0);
        counts.insert(name, Value::from(n + 1));
    }
    Value::Object(counts)
}

#[test]
fn facets_count_every_distinct_matching_statement() -> TestResult {
    let sandbox = indexed_sample();
    for args in [
        &["sleep"][..],
        &["*"],
        &["depression", "--type", "supporting"],
        &["*", "--section", "discussion"],
        &["memory", "--year", "2015.."],
    ] {
        let (hits, facets) = facets_of(&sandbox, args);
        assert!(!hits.is_empty(), "{args:?}");
        assert_eq!(
            facets["total"].as_u64(),
            Some(hits.len() as u64),
            "{args:?}"
        );
        assert_eq!(
            facets["section"],
            tally(&hits, "section_bucket"),
            "{args:?}"
        );
        assert_eq!(facets["type"], tally(&hits, "type"), "{args:?}");
        assert_eq!(facets["year"], tally(&hits, "year"), "{args:?}");
    }
    // Against the manifest: every distinct statement of the corpus.
    let (_, facets) = facets_of(&sandbox, &["*"]);
    let unique = unique_statements();
    assert_eq!(facets["total"].as_u64(), Some(unique.len() as u64));
    let supporting = unique
        .iter()
        .filter(|s| s.kind() == Some("supporting"))
        .count();
    assert_eq!(
        facets["type"]["supporting"].as_u64(),
        Some(supporting as u64)
    );
    // Only the statements a filter allows are counted.
    let (_, facets) = facets_of(&sandbox, &["*", "--type", "contrasting"]);
    let types: Vec<&String> = facets["type"]
        .as_object()
        .map(|o| o.keys().collect())
        .unwrap_or_default();
    assert_eq!(types, vec!["contrasting"]);
    Ok(())
}

#[test]
fn facets_are_a_table_after_the_hits_for_people() {
    let sandbox = indexed_sample();
    let run = sandbox.query(&["sleep", "--facets", "--limit", "2", "--color", "never"]);
    run.expect_code(0);
    let facts: Vec<&str> = run
        .stdout
        .lines()
        .skip_while(|l| !l.contains("matching statements"))
        .collect();
    assert_eq!(facts.len(), 4, "{}", run.stdout);
    let total = sandbox.hits(&["sleep"]).len();
    assert_eq!(facts[0], format!("{total} matching statements"));
    for (line, name) in facts[1..].iter().zip(["section", "type", "year"]) {
        assert!(line.trim_start().starts_with(name), "{line}");
    }
}

#[test]
fn explain_accounts_for_each_score() -> TestResult {
    let sandbox = indexed_sample();
    for query in [
        "sleep spindles",
        "\"sleep spindles\"",
        "author:okafor memory",
        "depression",
    ] {
        let run = sandbox.query(&[query, "--json", "--explain", "--limit", "5"]);
        run.expect_code(0);
        let hits = run.json_lines();
        assert!(!hits.is_empty(), "{query}");
        for hit in &hits {
            let score = hit["score"].as_f64().unwrap_or(f64::NAN);
            let explained = hit["explanation"]["value"].as_f64().unwrap_or(f64::NAN);
            assert!(
                (score - explained).abs() < 1e-3,
                "{query}: {score} vs {explained}"
            );
            assert!(hit["explanation"]["description"].is_string(), "{hit}");
        }
    }
    let plain = sandbox.query(&["sleep", "--json", "--limit", "1"]);
    assert!(
        plain.json_lines()[0].get("explanation").is_none(),
        "only with --explain"
    );

    let human = sandbox.query(&[
        "sleep spindles",
        "--explain",
        "--limit",
        "1",
        "--color",
        "never",
    ]);
    human.expect_code(0);
    assert!(human.stdout.contains("why this score:"), "{}", human.stdout);
    assert!(
        human.stdout.contains("statement:sleep  idf "),
        "{}",
        human.stdout
    );
    assert!(
        human.stdout.contains("statement:spindl  idf "),
        "{}",
        human.stdout
    );
    Ok(())
}

/// A page saved twice shows as the original: not `name (1).txt` when
/// `name.txt` exists, and of two originals the shorter path.
#[test]
fn of_saved_copies_the_original_is_shown() {
    let sandbox = indexed_sample();
    let copied = sandbox.hits(&["*", "--doi", "10.5555/slp.2019.0412"]);
    assert!(!copied.is_empty());
    for hit in &copied {
        let path = hit["path"].as_str().unwrap_or_default();
        assert!(
            path.ends_with("sleep/spindle-density-word-pairs-2019.txt"),
            "{path}"
        );
    }
    // The HTML page and its browser saves (.mhtml, .pdf, .webarchive, …).
    let saved = sandbox.hits(&["*", "--doi", "10.5555/slp.2014.0520"]);
    assert!(!saved.is_empty());
    for hit in &saved {
        let path = hit["path"].as_str().unwrap_or_default();
        assert!(
            path.ends_with("html/spindle-deficits-schizophrenia-2014.html"),
            "{path}"
        );
    }
}
