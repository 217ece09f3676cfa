//! A query string (with each filter) → a search on a small in-memory index:
//! an answer or a `SearchError`, never a panic or a hang.
#![no_main]

use std::path::PathBuf;
use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;

use citeindex::index::{page_documents, FileRecord, IndexRecord, OpenIndex, FORMAT_VERSION};
use citeindex::page::parse_bytes;
use citeindex::schema::IndexSchema;
use citeindex::search::{search, Filters, Order, Request};

const PAGE: &[u8] = "2019\nDOI: 10.5555/fuzz\nA Page For The Fuzzer\n\
    “…Sleep spindles predict recall (Okafor et al., 2021; Åström & Haddad, 2019).…”\n\
    Section: Resultssupporting\nconfidence: 91%\n\
    “…No effect in older adults, contrasting with Lindqvist (2017).…”\n\
    Section: 4.2 General Discussioncontrasting\nconfidence: 66%\n"
    .as_bytes();

fn index() -> &'static OpenIndex {
    static INDEX: OnceLock<OpenIndex> = OnceLock::new();
    INDEX.get_or_init(|| {
        let schema = IndexSchema::builtin().expect("built-in schema");
        let index = tantivy::Index::create_in_ram(schema.schema.clone());
        schema.register_tokenizers(&index);
        let page = parse_bytes(std::path::Path::new("p.txt"), PAGE).expect("a page");
        let file = FileRecord {
            path: "p.txt".into(),
            size: PAGE.len() as u64,
            mtime_ns: 0,
            fingerprint: "0".into(),
        };
        let mut writer: tantivy::IndexWriter = index.writer(15_000_000).expect("writer");
        for doc in page_documents(&page, &file, &schema.fields) {
            writer.add_document(doc).expect("add");
        }
        writer.commit().expect("commit");
        let reader = index.reader().expect("reader");
        OpenIndex {
            dir: PathBuf::from("memory"),
            index,
            reader,
            record: IndexRecord {
                format: FORMAT_VERSION,
                schema: schema.fingerprint.clone(),
                corpus_root: None,
                updated_at: 0,
            },
            schema,
        }
    })
}

fuzz_target!(|text: &str| {
    let open = index();
    // The first line is the query; the rest, if any, feed the filters.
    let mut parts = text.splitn(3, '\n');
    let query = parts.next().unwrap_or_default().to_string();
    let author = parts.next().map(str::to_string);
    let section = parts.next().map(str::to_string);
    let request = Request {
        query,
        filters: Filters {
            author,
            section,
            ..Filters::default()
        },
        // Every order, chosen by a property of the input the fuzzer can vary.
        order: match text.len() % 3 {
            0 => Order::Relevance,
            1 => Order::Year,
            _ => Order::Confidence,
        },
        explain: text.len() % 2 == 0,
        limit: 10,
        offset: 0,
    };
    let _ = search(open, &request);
});
