//! `citeindex parse`: the JSON contract for every page of the sample corpus,
//! checked value by value against the manifest; junk files; human output; and
//! a property test that the parser never panics.

use std::collections::BTreeSet;
use std::ffi::OsString;
use std::path::{Path, PathBuf};

use proptest::prelude::*;
use serde_json::Value;

use crate::common::{
    collapse, normalize_type, sample_corpus, PageFacts, Sandbox, TestResult, HIDDEN, JUNK, PAGES,
};

const PAGE_FIELDS: [&str; 11] = [
    "path",
    "doi",
    "title",
    "year",
    "abstract",
    "cited_by",
    "citation_statements",
    "references",
    "tally",
    "statements",
    "warnings",
];

const STATEMENT_FIELDS: [&str; 7] = [
    "position",
    "text",
    "section",
    "section_bucket",
    "type",
    "confidence",
    "cited",
];

fn keys(value: &Value) -> BTreeSet<&str> {
    value
        .as_object()
        .map(|o| o.keys().map(String::as_str).collect())
        .unwrap_or_default()
}

fn corpus_file(relative: &str) -> PathBuf {
    sample_corpus().join(relative)
}

/// `parse --json FILES...`, one line per file in argument order.
fn parse_json(sandbox: &Sandbox, files: &[PathBuf], code: i32) -> Vec<Value> {
    let mut args: Vec<OsString> = vec!["parse".into(), "--json".into()];
    args.extend(files.iter().map(|f| f.clone().into_os_string()));
    let run = sandbox.run(&args);
    run.expect_code(code);
    let lines = run.json_lines();
    assert_eq!(
        lines.len(),
        files.len(),
        "one line per file\n{}",
        run.describe()
    );
    for (line, file) in lines.iter().zip(files) {
        assert_eq!(
            line["path"].as_str(),
            Some(file.display().to_string().as_str()),
            "lines in argument order"
        );
    }
    lines
}

/// Differences found while comparing a page with the manifest.
#[derive(Default)]
struct Problems(Vec<String>);

impl Problems {
    fn eq<T: PartialEq + std::fmt::Debug>(&mut self, what: &str, got: T, want: T) {
        if got != want {
            self.0
                .push(format!("{what}: got {got:?}, manifest says {want:?}"));
        }
    }

    fn check(&mut self, ok: bool, what: &str) {
        if !ok {
            self.0.push(what.to_string());
        }
    }
}

/// Compares one parsed page with the manifest, field by field.
fn page_problems(got: &Value, want: &PageFacts) -> Vec<String> {
    let mut p = Problems::default();
    let id = want.id;
    p.eq("page fields", keys(got), PAGE_FIELDS.into_iter().collect());
    let doi = want.doi_as_written.map(str::to_lowercase);
    p.eq("doi", got["doi"].as_str(), doi.as_deref());
    p.check(doi.is_some() || got["doi"].is_null(), "doi must be null");
    p.eq("year", got["year"].as_u64(), want.year.map(u64::from));
    p.check(
        want.year.is_some() || got["year"].is_null(),
        "year must be null",
    );
    p.eq("title", got["title"].as_str(), Some(want.title));
    p.eq(
        "abstract",
        got["abstract"].as_str().map(collapse).as_deref(),
        Some(want.abstract_text),
    );
    p.eq("cited_by", got["cited_by"].as_u64(), Some(want.cited_by));
    p.eq(
        "citation_statements",
        got["citation_statements"].as_u64(),
        Some(want.citation_statements),
    );
    p.eq(
        "references",
        got["references"].as_u64(),
        Some(want.references),
    );
    let tally = &got["tally"];
    p.eq(
        "tally fields",
        keys(tally),
        BTreeSet::from(["supporting", "mentioning", "contrasting"]),
    );
    let tally = [
        tally["supporting"].as_u64(),
        tally["mentioning"].as_u64(),
        tally["contrasting"].as_u64(),
    ];
    p.eq("tally", tally, want.tally.map(Some));
    p.check(
        got["warnings"]
            .as_array()
            .is_some_and(|w| w.iter().all(Value::is_string)),
        "warnings must be an array of strings",
    );

    let statements = got["statements"].as_array().cloned().unwrap_or_default();
    p.eq(
        "number of statements",
        statements.len(),
        want.statements.len(),
    );
    for (i, (s, w)) in statements.iter().zip(want.statements).enumerate() {
        let at = |what: &str| format!("S{} {what}", i + 1);
        p.eq(
            &at("fields"),
            keys(s),
            STATEMENT_FIELDS.into_iter().collect(),
        );
        p.eq(&at("position"), s["position"].as_u64(), Some(i as u64 + 1));
        p.eq(
            &at("text"),
            s["text"].as_str().map(collapse).as_deref(),
            Some(w.text),
        );
        p.eq(&at("section"), s["section"].as_str(), w.section);
        p.eq(
            &at("section_bucket"),
            s["section_bucket"].as_str(),
            w.bucket,
        );
        p.eq(
            &at("type"),
            s["type"].as_str(),
            w.type_as_written.map(normalize_type),
        );
        p.eq(
            &at("confidence"),
            s["confidence"].as_u64(),
            w.confidence.map(u64::from),
        );
        for name in ["section", "section_bucket", "type", "confidence"] {
            let unknown = match name {
                "section" | "section_bucket" => w.section.is_none(),
                "type" => w.type_as_written.is_none(),
                _ => w.confidence.is_none(),
            };
            if unknown {
                p.check(s[name].is_null(), &at(&format!("{name} must be null")));
            }
        }
        let cited = s["cited"].as_array().cloned().unwrap_or_default();
        for c in &cited {
            p.eq(
                &at("cited fields"),
                keys(c),
                BTreeSet::from(["author", "year"]),
            );
        }
        let cited: Vec<(Option<&str>, Option<u64>)> = cited
            .iter()
            .map(|c| (c["author"].as_str(), c["year"].as_u64()))
            .collect();
        let want_cited: Vec<(Option<&str>, Option<u64>)> = w
            .cited
            .iter()
            .map(|(a, y)| (Some(*a), Some(u64::from(*y))))
            .collect();
        p.eq(&at("cited"), cited, want_cited);
    }
    p.0.into_iter().map(|m| format!("{id}: {m}")).collect()
}

/// Asserts that a parsed page agrees with the manifest.
#[track_caller]
fn check_page(got: &Value, want: &PageFacts) {
    let problems = page_problems(got, want);
    assert!(
        problems.is_empty(),
        "{} differs from the manifest:\n  {}",
        want.path,
        problems.join("\n  ")
    );
}

#[test]
fn parse_json_agrees_with_the_manifest_for_every_page() -> TestResult {
    let sandbox = Sandbox::new();
    let pages: Vec<&PageFacts> = PAGES.iter().chain([&HIDDEN]).collect();
    let files: Vec<PathBuf> = pages.iter().map(|p| corpus_file(p.path)).collect();
    let lines = parse_json(&sandbox, &files, 0);
    // Every page's problems at once, so one run shows them all.
    let failures: Vec<String> = lines
        .iter()
        .zip(&pages)
        .flat_map(|(line, page)| page_problems(line, page))
        .collect();
    assert!(
        failures.is_empty(),
        "parsed pages differ from the manifest:\n{}",
        failures.join("\n")
    );
    Ok(())
}

#[test]
fn parse_json_reads_other_engines_saves_as_the_manifest_says() -> TestResult {
    // Firefox's and WebKit's saves of the sample HTML pages (tests/fixtures/
    // browser/), through the command: the same facts as the HTML page. The
    // orchard page shows its DOI and title only in a link and the head, which
    // not every form carries (saved_forms.rs lists why); Firefox's text save
    // adds its template's card, so its forms are checked there.
    let sandbox = Sandbox::new();
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/browser");
    let forms = [
        ("firefox", "txt"),
        ("firefox", "html"),
        ("firefox", "pdf"),
        ("firefox", "a6.pdf"),
        ("webkit", "txt"),
        ("webkit", "mhtml"),
        ("webkit", "pdf"),
        ("webkit", "a6.pdf"),
    ];
    let pages: Vec<&PageFacts> = PAGES
        .iter()
        .filter(|p| p.path.starts_with("html/") && !p.path.contains("orchard"))
        .collect();
    assert_eq!(pages.len(), 5);
    let mut files = Vec::new();
    let mut wanted = Vec::new();
    for page in &pages {
        let stem = Path::new(page.path)
            .file_stem()
            .and_then(|s| s.to_str())
            .ok_or("a stem")?;
        for (engine, form) in forms {
            files.push(fixtures.join(engine).join(format!("{stem}.{form}")));
            wanted.push(*page);
        }
    }
    let lines = parse_json(&sandbox, &files, 0);
    let failures: Vec<String> = lines
        .iter()
        .zip(&wanted)
        .zip(&files)
        .flat_map(|((line, page), file)| {
            let name = file.display().to_string();
            page_problems(line, page)
                .into_iter()
                .map(move |m| format!("{name}: {m}"))
        })
        .collect();
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    Ok(())
}

#[test]
fn cut_off_statement_is_dropped_with_a_warning() -> TestResult {
    let sandbox = Sandbox::new();
    let page = PAGES
        .iter()
        .find(|p| p.cut_off.is_some())
        .ok_or("the manifest has a cut-off page")?;
    let partial = page.cut_off.ok_or("cut-off text")?;
    let lines = parse_json(&sandbox, &[corpus_file(page.path)], 0);
    let got = &lines[0];
    check_page(got, page);
    let statements = got["statements"].as_array().cloned().unwrap_or_default();
    let opening: String = partial.chars().take(40).collect();
    assert!(
        statements
            .iter()
            .all(|s| !s["text"].as_str().unwrap_or_default().contains(&opening)),
        "the unfinished statement is left out"
    );
    let warnings: Vec<String> = got["warnings"]
        .as_array()
        .cloned()
        .unwrap_or_default()
        .iter()
        .filter_map(|w| w.as_str().map(str::to_lowercase))
        .collect();
    let next = (page.statements.len() + 1).to_string();
    assert!(
        warnings
            .iter()
            .any(|w| w.contains("cut") && w.contains(&next)),
        "a warning says statement {next} was cut off: {warnings:?}"
    );
    Ok(())
}

#[test]
fn junk_files_are_reported_with_an_error_and_exit_2() -> TestResult {
    let sandbox = Sandbox::new();
    let files: Vec<PathBuf> = JUNK.iter().map(|j| corpus_file(j)).collect();
    for line in parse_json(&sandbox, &files, 2) {
        assert_eq!(keys(&line), BTreeSet::from(["path", "error"]), "{line}");
        assert!(
            line["error"].as_str().is_some_and(|e| e.trim().len() > 3),
            "{line}"
        );
    }
    Ok(())
}

#[test]
fn good_and_bad_files_together_are_all_reported() -> TestResult {
    let sandbox = Sandbox::new();
    let good = [&PAGES[1], &PAGES[PAGES.len() - 1]];
    let files = vec![
        corpus_file(good[0].path),
        corpus_file("junk/notes.txt"),
        corpus_file(good[1].path),
        corpus_file("junk/figure.png"),
        sandbox.path().join("does-not-exist.txt"),
    ];
    let lines = parse_json(&sandbox, &files, 2);
    check_page(&lines[0], good[0]);
    check_page(&lines[2], good[1]);
    for bad in [&lines[1], &lines[3], &lines[4]] {
        assert_eq!(keys(bad), BTreeSet::from(["path", "error"]), "{bad}");
    }

    // Without --json the good pages go to stdout and each bad one to stderr.
    let run = sandbox.run(
        std::iter::once(OsString::from("parse")).chain(files.iter().map(|f| f.clone().into())),
    );
    run.expect_code(2);
    assert!(run.stdout.contains(good[0].title) && run.stdout.contains(good[1].title));
    for name in ["notes.txt", "figure.png", "does-not-exist.txt"] {
        assert!(run.stderr.contains(name), "{name}\n{}", run.describe());
    }
    Ok(())
}

#[test]
fn human_output_shows_the_title_and_the_statements() -> TestResult {
    let sandbox = Sandbox::new();
    for page in PAGES
        .iter()
        .filter(|p| ["P02", "H2", "P03"].contains(&p.id))
    {
        let file = corpus_file(page.path);
        let run = sandbox.run([OsString::from("parse"), file.into_os_string()]);
        run.expect_code(0);
        assert!(run.stdout.contains(page.title), "{}", run.describe());
        let shown = collapse(&run.stdout);
        for s in page.statements {
            assert!(shown.contains(s.text), "{}: {}", page.id, s.text);
        }
        assert!(!run.stdout.contains('\x1b'), "no colour when piped");
    }
    Ok(())
}

// ---------------------------------------------------------------------------
// The parser never panics.

/// One line of something that looks like a saved page, often broken.
fn page_line() -> impl Strategy<Value = String> {
    let words = "[A-Za-zÅÖøęń0-9 ,.;:()&'-]{0,60}";
    prop_oneof![
        words.prop_map(|w| format!("\u{201c}\u{2026}{w}\u{2026}\u{201d}")),
        words.prop_map(|w| format!("\u{201c}\u{2026}{w}")),
        words.prop_map(|w| format!("{w}\u{2026}\u{201d}")),
        words.prop_map(|w| format!("\"...{w}...\"")),
        words.prop_map(|w| format!("\"{w}")),
        (
            words,
            prop_oneof![
                Just("supporting"),
                Just("mentioning"),
                Just("contrasting"),
                Just("disputing"),
                Just(""),
            ]
        )
            .prop_map(|(h, t)| format!("Section: {h}{t}")),
        (0u32..200).prop_map(|n| format!("confidence: {n}%")),
        "[0-9]{1,5}".prop_map(|y| y.to_string()),
        words.prop_map(|d| format!("DOI: 10.{d}")),
        Just("Citation Types".to_string()),
        Just("Abstract: text … Show more".to_string()),
        (0u32..20).prop_map(|n| format!("See {n} more Smart Citations")),
        (0u32..999).prop_map(|n| format!("Cited by {n} publications")),
        (0u32..999).prop_map(|n| format!("({n} citation statements)")),
        (0u32..999).prop_map(|n| format!("References {n} publications")),
        prop_oneof![
            Just("<p>"),
            Just("</p>"),
            Just("<div class=\"x\">"),
            Just("</div>"),
            Just("<script>"),
            Just("</script>"),
            Just("<style>"),
            Just("<template>"),
            Just("<noscript>"),
            Just("<title>"),
            Just("<meta property=\"og:title\" content=\"T\">"),
            Just("<a href=\"https://scite.ai/reports/10.1/x\">"),
            Just("&#8220;&hellip;"),
            Just("&hellip;&#8221;"),
            Just("&#x"),
            Just("<!--"),
            Just("<"),
            Just("&"),
        ]
        .prop_map(str::to_string),
        any::<String>(),
    ]
}

/// The lines joined with a mix of line endings, sometimes with a byte-order mark
/// or as UTF-16.
fn page_bytes() -> impl Strategy<Value = Vec<u8>> {
    (
        proptest::collection::vec(
            (
                page_line(),
                prop_oneof![Just("\n"), Just("\r\n"), Just("\r"), Just("")],
            ),
            0..40,
        ),
        0u8..4,
    )
        .prop_map(|(lines, encoding)| {
            let text: String = lines.into_iter().map(|(l, end)| l + end).collect();
            match encoding {
                0 => text.into_bytes(),
                1 => [b"\xef\xbb\xbf".as_slice(), text.as_bytes()].concat(),
                2 => {
                    let mut bytes = vec![0xff, 0xfe];
                    bytes.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
                    bytes
                }
                _ => {
                    let mut bytes = vec![0xfe, 0xff];
                    bytes.extend(text.encode_utf16().flat_map(u16::to_be_bytes));
                    bytes
                }
            }
        })
}

fn parse_both_ways(bytes: &[u8]) {
    for name in ["page.txt", "page.html"] {
        let _ = citeindex::page::parse_bytes(Path::new(name), bytes);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn parser_never_panics_on_arbitrary_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..2048)) {
        parse_both_ways(&bytes);
    }

    #[test]
    fn parser_never_panics_on_page_like_text(bytes in page_bytes()) {
        parse_both_ways(&bytes);
    }
}

/// One statement of a generated page, and what the parser must read back.
#[derive(Debug, Clone)]
struct GenStatement {
    words: Vec<String>,
    /// (style, authors, year) of each citation, placed after the words.
    citations: Vec<(u8, Vec<String>, u16)>,
    section: Option<Vec<String>>,
    citation_type: Option<usize>,
    confidence: Option<u8>,
}

const TYPE_WORDS: [(&str, &str); 5] = [
    ("supporting", "supporting"),
    ("mentioning", "mentioning"),
    ("contrasting", "contrasting"),
    ("contradicting", "contrasting"),
    ("disputing", "contrasting"),
];

const SURNAMES: [&str; 12] = [
    "Okafor",
    "Lindqvist",
    "Haddad",
    "Åström",
    "Nørgaard",
    "Müller-Lüdenscheidt",
    "O'Connor",
    "Kowalczyk",
    "Ibsen",
    "Moreau",
    "Tanaka",
    "Stępień",
];

fn gen_statement() -> impl Strategy<Value = GenStatement> {
    let word = proptest::sample::select(vec![
        "sleep",
        "spindles",
        "memory",
        "soil",
        "drought",
        "reefs",
        "bleaching",
        "heat",
        "model",
        "therapy",
        "trial",
        "effect",
        "was",
        "larger",
        "than",
        "expected",
        "in",
        "older",
        "adults",
    ]);
    let citation = (
        0u8..5,
        proptest::collection::vec(proptest::sample::select(SURNAMES.to_vec()), 1..4),
        1950u16..2030,
    )
        .prop_map(|(style, names, year)| {
            (
                style,
                names.into_iter().map(str::to_string).collect::<Vec<_>>(),
                year,
            )
        });
    (
        proptest::collection::vec(word.clone(), 3..25),
        proptest::collection::vec(citation, 0..4),
        proptest::option::of(proptest::collection::vec(
            proptest::sample::select(vec![
                "Results",
                "General",
                "Discussion",
                "Methods",
                "Of",
                "4.2",
            ]),
            1..4,
        )),
        proptest::option::of(0usize..TYPE_WORDS.len()),
        proptest::option::of(0u8..=100),
    )
        .prop_map(
            |(words, citations, section, citation_type, confidence)| GenStatement {
                words: words.into_iter().map(str::to_string).collect(),
                citations,
                section: section.map(|s| s.into_iter().map(str::to_string).collect()),
                citation_type,
                confidence,
            },
        )
}

/// The statement's text, with its citations written in one of five styles.
fn statement_text(s: &GenStatement) -> String {
    let mut text = s.words.join(" ");
    for (style, names, year) in &s.citations {
        let cite = match style {
            0 => format!(" ({} et al., {year})", names[0]),
            1 => format!(" ({}, {year})", names.join(", ")),
            2 => format!(" (e.g., {} & {}, {year})", names[0], names[names.len() - 1]),
            3 => format!(" as shown by {} et al. ({year})", names[0]),
            _ => format!(" (see {}, {year}; Ibsen, {})", names[0], year + 1),
        };
        text.push_str(&cite);
        text.push_str(" then");
    }
    text.push('.');
    text
}

/// The (author, year) pairs the parser must find, in order, each once.
fn expected_cited(s: &GenStatement) -> Vec<(String, u16)> {
    let mut out: Vec<(String, u16)> = Vec::new();
    for (style, names, year) in &s.citations {
        let pairs: Vec<(String, u16)> = match style {
            0 | 3 => vec![(names[0].clone(), *year)],
            1 => names.iter().map(|n| (n.clone(), *year)).collect(),
            2 => vec![
                (names[0].clone(), *year),
                (names[names.len() - 1].clone(), *year),
            ],
            _ => vec![(names[0].clone(), *year), ("Ibsen".to_string(), year + 1)],
        };
        for p in pairs {
            if !out.contains(&p) {
                out.push(p);
            }
        }
    }
    out
}

fn render_text(statements: &[GenStatement], crlf: bool) -> String {
    let mut page = String::from(
        "2019\nDOI: 10.5555/ROUND.TRIP\n|View full text |Cite\n|\n\nA Generated Page About Nothing\n\n\
         Abstract: Words. Show more\n\nCitation Types\n\n1\n2\n3\n\nOrder By: Relevance\n",
    );
    for s in statements {
        let text = statement_text(s);
        // Wrap long statements over several lines, as a copied page does.
        let words: Vec<&str> = text.split(' ').collect();
        let lines: Vec<String> = words.chunks(9).map(|c| c.join(" ")).collect();
        page.push_str(&format!("“…{}…”\n", lines.join("\n")));
        if let Some(section) = &s.section {
            let citation_type = s.citation_type.map_or("", |k| TYPE_WORDS[k].0);
            page.push_str(&format!("Section: {}{citation_type}\n", section.join(" ")));
        }
        if let Some(c) = s.confidence {
            page.push_str(&format!("confidence: {c}%\n"));
        }
    }
    if crlf {
        page = page.replace('\n', "\r\n");
    }
    page
}

fn render_html(statements: &[GenStatement]) -> String {
    let escape = |t: &str| t.replace('&', "&amp;").replace('<', "&lt;");
    let mut page = String::from(
        "<!DOCTYPE html><html><head><title>A Generated Page | scite</title><script>var x = '“…no…”';</script></head>\
         <body><div>2019</div><div>DOI: 10.5555/ROUND.TRIP</div><h1>A Generated Page About Nothing</h1>",
    );
    for s in statements {
        page.push_str(&format!(
            "<div class=\"sc-1\"><p>&#8220;&hellip;{}&hellip;&#8221;</p>",
            escape(&statement_text(s))
        ));
        if let Some(section) = &s.section {
            let citation_type = s.citation_type.map_or("", |k| TYPE_WORDS[k].0);
            page.push_str(&format!(
                "<div><span>Section: {}</span><span>{citation_type}</span></div>",
                section.join(" ")
            ));
        }
        if let Some(c) = s.confidence {
            page.push_str(&format!("<div>confidence: {c}%</div>"));
        }
        page.push_str("</div>");
    }
    page.push_str("</body></html>");
    page
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// A page rendered from random statements (text with CRLF or not, or HTML)
    /// parses back to the same statements, sections, types, confidences and
    /// cited authors.
    #[test]
    fn rendered_pages_parse_back_to_what_was_rendered(
        statements in proptest::collection::vec(gen_statement(), 1..8),
        form in 0u8..3,
    ) {
        // Distinct texts: the parser rightly merges repeats on one page.
        let mut seen = BTreeSet::new();
        let statements: Vec<GenStatement> = statements
            .into_iter()
            .filter(|s| seen.insert(statement_text(s).to_lowercase()))
            .collect();
        let (name, bytes) = match form {
            0 => ("p.txt", render_text(&statements, false).into_bytes()),
            1 => ("p.txt", render_text(&statements, true).into_bytes()),
            _ => ("p.html", render_html(&statements).into_bytes()),
        };
        let page = citeindex::page::parse_bytes(Path::new(name), &bytes)
            .map_err(|e| TestCaseError::fail(format!("not a page: {e}")))?;
        prop_assert_eq!(page.doi.as_deref(), Some("10.5555/round.trip"));
        prop_assert_eq!(page.year, Some(2019));
        prop_assert_eq!(page.statements.len(), statements.len());
        for (got, want) in page.statements.iter().zip(&statements) {
            prop_assert_eq!(&got.text, &statement_text(want));
            prop_assert_eq!(got.section.clone(), want.section.as_ref().map(|s| s.join(" ")));
            let citation_type = want
                .section
                .as_ref()
                .and(want.citation_type)
                .map(|k| TYPE_WORDS[k].1.to_string());
            prop_assert_eq!(got.citation_type.map(|k| k.to_string()), citation_type);
            prop_assert_eq!(got.confidence, want.confidence);
            let cited: Vec<(String, u16)> = got
                .cited
                .iter()
                .map(|c| (c.author.clone(), c.year.unwrap_or(0)))
                .collect();
            prop_assert_eq!(cited, expected_cited(want));
        }
    }
}
