//! A query string with every filter in its text form, an order, a limit and
//! an offset → a search on a small in-memory index: an answer or an error,
//! never a panic or a hang.
//!
//! The index holds enough for the ranking paths to run, not only the query
//! parser: two segments, one page saved in both (deduplication), pages of
//! several years, sections and types, and about a hundred statements a
//! segment, so that a filter matching under 1/32 of them (the author Zeller,
//! cited once) takes the sparse-filter path.
#![no_main]

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;

use citeindex::index::{page_documents, FileRecord, Provenance, OpenIndex, FORMAT_VERSION};
use citeindex::page::parse_bytes;
use citeindex::schema::IndexSchema;
use citeindex::search::{search, FilterText, Filters, Order, Request};

const PAGE: &str = "2019\nDOI: 10.5555/fuzz\nA Page For The Fuzzer\n\
    “…Sleep spindles predict recall (Okafor et al., 2021; Åström & Haddad, 2019).…”\n\
    Section: Resultssupporting\nconfidence: 91%\n\
    “…No effect in older adults, contrasting with Lindqvist (2017).…”\n\
    Section: 4.2 General Discussioncontrasting\nconfidence: 66%\n";

const SECTIONS: [&str; 4] = ["Introduction", "Methods", "Results", "Discussion"];
const KINDS: [&str; 3] = ["supporting", "mentioning", "contrasting"];
const WORDS: [&str; 6] = ["sleep", "memory", "recall", "spindles", "reef", "grazing"];
const AUTHORS: [&str; 5] = [
    "Moreau & Tan",
    "Okafor et al.",
    "Brandt",
    "Ibsen & Lui",
    "De Vries",
];

/// Page `n` of the generated ones: five statements, words, sections, types,
/// confidences and cited years varying with `n` and the statement.
fn generated_page(n: usize) -> String {
    let mut page = format!(
        "{}\nDOI: 10.5555/gen.{n}\nGenerated Page Number {n}\n",
        2000 + n
    );
    for i in 0..5 {
        let (a, b) = (
            WORDS[(n + i) % WORDS.len()],
            WORDS[(n * 2 + i + 1) % WORDS.len()],
        );
        page.push_str(&format!(
            "“…Statement {i} links {a} with {b} ({}, {}).…”\nSection: {}{}\nconfidence: {}%\n",
            if n == 0 && i == 0 {
                "Zeller"
            } else {
                AUTHORS[(n + i) % AUTHORS.len()]
            },
            2010 + i,
            SECTIONS[(n + i) % SECTIONS.len()],
            KINDS[(n + 2 * i) % KINDS.len()],
            50 + (7 * i + n) % 50,
        ));
    }
    page
}

/// (file name, page text, which of the two commits adds it).
fn files() -> Vec<(String, String, usize)> {
    let mut files = vec![("p.txt".to_string(), PAGE.to_string(), 0)];
    files.push(("copy/p.txt".to_string(), PAGE.to_string(), 1));
    files.extend((0..40).map(|n| (format!("gen{n}.txt"), generated_page(n), n % 2)));
    files
}

fn index() -> &'static OpenIndex {
    static INDEX: OnceLock<OpenIndex> = OnceLock::new();
    INDEX.get_or_init(|| {
        let schema = IndexSchema::builtin().expect("built-in schema");
        let index = tantivy::Index::create_in_ram(schema.schema.clone());
        citeindex::analysis::register_tokenizers(index.tokenizers());
        let mut writer: tantivy::IndexWriter = index
            .writer_with_num_threads(1, 15_000_000)
            .expect("writer");
        for commit in 0..2 {
            for (path, text, _) in files().into_iter().filter(|f| f.2 == commit) {
                let page = parse_bytes(Path::new(&path), text.as_bytes()).expect("a page");
                let file = FileRecord {
                    path: path.clone(),
                    size: text.len() as u64,
                    mtime_ns: 0,
                    fingerprint: path,
                };
                for doc in page_documents(&page, &file, &schema.fields) {
                    writer.add_document(doc).expect("add");
                }
            }
            writer.commit().expect("commit");
        }
        let reader = index.reader().expect("reader");
        OpenIndex {
            dir: PathBuf::from("memory"),
            generation: PathBuf::from("memory"),
            index,
            reader,
            provenance: Provenance {
                format: FORMAT_VERSION,
                schema: schema.fingerprint.clone(),
                parser: citeindex::index::PARSER_FINGERPRINT.to_string(),
                corpus_root: None,
                updated_at: 0,
                distinct_segments: Vec::new(),
            },
            bits: Default::default(),
            schema,
        }
    })
}

fuzz_target!(|text: &str| {
    let open = index();
    // Line by line: the query, then author, section, type, year range and DOI
    // filters; a missing line is no filter.
    let mut lines = text.splitn(6, '\n');
    let query = lines.next().unwrap_or_default().to_string();
    let mut next = || lines.next();
    let (author, section, kind, year, doi) = (next(), next(), next(), next(), next());
    let Ok(filters) = Filters::from_text(FilterText {
        section,
        citation_type: kind,
        author,
        year,
        doi,
    }) else {
        return;
    };
    // Order, explain, limit and offset from properties of the input the
    // fuzzer can vary; limits stay small so that the top-k heap fills.
    let request = Request {
        query,
        filters,
        order: match text.len() % 3 {
            0 => Order::Relevance,
            1 => Order::Year,
            _ => Order::Confidence,
        },
        explain: text.len() % 2 == 0,
        limit: text.len() % 5,
        offset: (text.len() / 5) % 3,
    };
    let _ = search(open, &request);
});
