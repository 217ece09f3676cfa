//! A generated corpus big enough that indexing it takes seconds in a debug
//! build, for the tests that kill, race or overlap an `index` run.
//!
//! Page `n` is a text page in the FORMAT.md layout with its own DOI
//! ([`doi`]), a token no other page has ([`token`]) in its title and in each
//! of its [`STATEMENTS_PER_PAGE`] statements, and filler prose from a seeded
//! generator, so the same `n` always gives the same bytes. Pages live in
//! folders of 100 (`b000/page-00000.txt`).

use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::fs;
use std::ops::Range;
use std::path::{Path, PathBuf};

use super::Sandbox;

/// Statements on every generated page.
pub(crate) const STATEMENTS_PER_PAGE: usize = 3;

/// The token only page `n` holds (digits keep the stemmer off it).
pub(crate) fn token(n: usize) -> String {
    format!("u{n:05}k")
}

/// Page `n`'s DOI, lowercase as the index stores it.
pub(crate) fn doi(n: usize) -> String {
    format!("10.7777/big.{n:05}")
}

/// Where page `n` lives below the corpus root.
pub(crate) fn page_path(root: &Path, n: usize) -> PathBuf {
    root.join(format!("b{:03}", n / 100))
        .join(format!("page-{n:05}.txt"))
}

/// Writes pages `range` below `root`.
pub(crate) fn write_pages(root: &Path, range: Range<usize>) {
    for n in range {
        let path = page_path(root, n);
        if let Some(folder) = path.parent() {
            fs::create_dir_all(folder)
                .unwrap_or_else(|e| panic!("creating {}: {e}", folder.display()));
        }
        fs::write(&path, page_text(n))
            .unwrap_or_else(|e| panic!("writing {}: {e}", path.display()));
    }
}

/// The page whose number a DOI of [`doi`]'s form names.
pub(crate) fn page_of_doi(doi: &str) -> Option<usize> {
    doi.strip_prefix("10.7777/big.")?.parse().ok()
}

/// `count` page numbers spread evenly over `range`, its first and last included.
pub(crate) fn spread(range: Range<usize>, count: usize) -> Vec<usize> {
    let len = range.end - range.start;
    if len <= count {
        return range.collect();
    }
    let mut pages: Vec<usize> = (0..count)
        .map(|i| range.start + i * (len - 1) / (count - 1).max(1))
        .collect();
    pages.dedup();
    pages
}

/// Which of `pages` the index finds by their tokens, in one query; each one
/// found must come back with all its statements. The query must succeed
/// (exit 0, or 1 for none found).
#[track_caller]
pub(crate) fn found_pages(sandbox: &Sandbox, pages: &[usize]) -> BTreeSet<usize> {
    assert!(!pages.is_empty(), "pages to look for");
    let query: Vec<String> = pages.iter().map(|&n| token(n)).collect();
    let hits = sandbox.hits_or_none(&[&query.join(" ")]);
    let mut found = BTreeSet::new();
    for hit in &hits {
        let n = hit["doi"]
            .as_str()
            .and_then(page_of_doi)
            .unwrap_or_else(|| panic!("a hit of no generated page: {hit}"));
        assert!(pages.contains(&n), "page {n} was not asked for: {hit}");
        found.insert(n);
    }
    for &n in &found {
        let statements = hits
            .iter()
            .filter(|h| h["doi"].as_str() == Some(doi(n).as_str()))
            .count();
        assert_eq!(
            statements, STATEMENTS_PER_PAGE,
            "page {n} is in the index, but with {statements} statements"
        );
    }
    found
}

const WORDS: [&str; 48] = [
    "memory",
    "sleep",
    "spindle",
    "cortex",
    "signal",
    "cohort",
    "trial",
    "effect",
    "sample",
    "model",
    "network",
    "response",
    "measure",
    "variance",
    "dose",
    "outcome",
    "baseline",
    "control",
    "patient",
    "neuron",
    "pathway",
    "gene",
    "protein",
    "soil",
    "reef",
    "canopy",
    "drought",
    "heat",
    "learning",
    "recall",
    "benchmark",
    "score",
    "bias",
    "replication",
    "estimate",
    "interval",
    "latency",
    "amplitude",
    "density",
    "therapy",
    "symptom",
    "growth",
    "season",
    "nitrogen",
    "carbon",
    "species",
    "habitat",
    "climate",
];
const SURNAMES: [&str; 12] = [
    "Okafor",
    "Lindqvist",
    "Haddad",
    "Moreau",
    "Tanaka",
    "Varga",
    "Eklund",
    "Pereira",
    "Novak",
    "Iyer",
    "Seidel",
    "Kaplan",
];
const SECTIONS: [&str; 6] = [
    "Introductionmentioning",
    "Resultssupporting",
    "Discussioncontrasting",
    "Methodsmentioning",
    "Backgroundsupporting",
    "Limitationsmentioning",
];

/// splitmix64, seeded by the page number.
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: usize) -> usize {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        ((z ^ (z >> 31)) % n as u64) as usize
    }

    fn words(&mut self, count: usize) -> String {
        (0..count)
            .map(|_| WORDS[self.below(WORDS.len())])
            .collect::<Vec<_>>()
            .join(" ")
    }
}

/// The text of page `n`.
pub(crate) fn page_text(n: usize) -> String {
    let mut rng = Rng(n as u64);
    let tok = token(n);
    let year = 2000 + n % 24;
    let mut page = String::new();
    let _ = write!(
        page,
        "{year}\nDOI: {doi}\n|View full text |Cite\n|\nSign up to set email alerts\n|\n\n\
         Generated report {tok} on {title}\n\n\
         Abstract: {abs} Show more\n\n\
         Help me understand this report\n\nSearch citation statements\n\n\
         Order By: Relevance\n\nCitation Types\n\n1\n{s}\n1\n\n\
         citations\nCited by {s} publications\n({s} citation statements)\n\
         references\nReferences 20 publications\n",
        doi = doi(n),
        title = rng.words(3),
        abs = rng.words(8),
        s = STATEMENTS_PER_PAGE,
    );
    for i in 0..STATEMENTS_PER_PAGE {
        let author = SURNAMES[rng.below(SURNAMES.len())];
        let _ = write!(
            page,
            "“…Statement {i} of {tok}: {a} ({author} et al., {cited}), {b}.…”\n\
             Section: {section}\nconfidence: {conf}%\n",
            a = rng.words(6),
            b = rng.words(4),
            cited = 1990 + rng.below(30),
            section = SECTIONS[rng.below(SECTIONS.len())],
            conf = 50 + rng.below(50),
        );
    }
    page
}
