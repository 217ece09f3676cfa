//! Every value a statement document stores reaches every reader of it:
//! `query --json`, the HTTP API's hits, and each export format. A stored
//! field added to the schema without a way out fails here, naming it.

use std::collections::BTreeSet;

use citeindex::index::open;
use citeindex::schema::KIND_STATEMENT;
use tantivy::schema::Value as _;
use tantivy::TantivyDocument;

use crate::common::{indexed_sample, TestResult};
use crate::serve::Server;

/// For each stored field of a statement document: its key in a hit
/// (`query --json` and the API) and in an exported document; `None` for the
/// fields that only say what kind of document it is.
const WAYS_OUT: &[(&str, Option<(&str, &str)>)] = &[
    ("kind", None),
    ("path", Some(("path", "path"))),
    ("doi", Some(("doi", "doi"))),
    ("title", Some(("title", "title"))),
    ("year", Some(("year", "year"))),
    ("statement", Some(("text", "statement"))),
    ("section", Some(("section", "section"))),
    ("section_bucket", Some(("section_bucket", "section_bucket"))),
    ("type", Some(("type", "type"))),
    ("confidence", Some(("confidence", "confidence"))),
    // Hits show the names within the citations; exports carry both.
    ("author", Some(("cited", "author"))),
    ("cited", Some(("cited", "cited"))),
    ("position", Some(("position", "position"))),
];

#[test]
fn every_stored_statement_field_reaches_json_the_api_and_every_export() -> TestResult {
    let sandbox = indexed_sample();
    // The stored fields statement documents actually hold, from the index.
    let index = open(&sandbox.index_dir())?;
    let searcher = index.reader.searcher();
    let schema = searcher.schema().clone();
    let mut stored: BTreeSet<String> = BTreeSet::new();
    for reader in searcher.segment_readers() {
        let store = reader.get_store_reader(1)?;
        for doc in store.iter::<TantivyDocument>(reader.alive_bitset()) {
            let doc = doc?;
            let kind = doc
                .get_first(index.schema.fields.kind)
                .and_then(|v| v.as_str());
            if kind != Some(KIND_STATEMENT) {
                continue;
            }
            for (field, _) in doc.field_values() {
                stored.insert(schema.get_field_name(field).to_string());
            }
        }
    }
    assert!(stored.contains("statement"), "{stored:?}");
    let unmapped: Vec<&String> = stored
        .iter()
        .filter(|name| !WAYS_OUT.iter().any(|(field, _)| field == name))
        .collect();
    assert!(
        unmapped.is_empty(),
        "stored fields with no way out of the index: {unmapped:?} (add them to Hit, ExportDoc and this table)"
    );

    let run = sandbox.query(&["*", "--json", "-n", "1000"]);
    run.expect_code(0);
    let cli = run.json_lines();
    let server = Server::start(&sandbox, &[]);
    let (status, api) = server.get("/api/search?q=*&limit=100");
    assert_eq!(status, 200);
    let api = api["hits"].as_array().cloned().unwrap_or_default();
    // Each export format's documents: ndjson on stdout, Quickwit's ndjson
    // file, and Elasticsearch's bulk bodies (an action line before each).
    let index_dir = sandbox.index_dir().display().to_string();
    let run = sandbox.run(["export", "--format", "ndjson", "--index", &index_dir]);
    run.expect_code(0);
    let ndjson = run.json_lines();
    let read_lines =
        |path: std::path::PathBuf| -> Result<Vec<serde_json::Value>, Box<dyn std::error::Error>> {
            std::fs::read_to_string(&path)?
                .lines()
                .map(|l| Ok(serde_json::from_str(l)?))
                .collect()
        };
    let out = sandbox.path().join("exported");
    let out_dir = out.display().to_string();
    for format in ["quickwit", "elasticsearch"] {
        sandbox
            .run([
                "export", "--format", format, "--index", &index_dir, "--out", &out_dir,
            ])
            .expect_code(0);
    }
    let quickwit = read_lines(out.join("statements.ndjson"))?;
    let elasticsearch: Vec<serde_json::Value> = read_lines(out.join("bulk-00001.ndjson"))?
        .into_iter()
        .filter(|line| line.get("index").is_none())
        .collect();
    assert!(!cli.is_empty() && !api.is_empty() && !ndjson.is_empty());
    assert!(!quickwit.is_empty() && !elasticsearch.is_empty());
    for name in &stored {
        let Some((_, Some((hit_key, export_key)))) = WAYS_OUT.iter().find(|(f, _)| f == name)
        else {
            continue;
        };
        for (what, objects, key) in [
            ("query --json", &cli, hit_key),
            ("the API", &api, hit_key),
            ("the ndjson export", &ndjson, export_key),
            ("the Quickwit export", &quickwit, export_key),
            ("the Elasticsearch export", &elasticsearch, export_key),
        ] {
            // Present in every object, and holding a value in some: a field
            // read into one reader and not another would be null everywhere.
            for object in objects.iter() {
                assert!(
                    object.get(*key).is_some(),
                    "stored `{name}` does not reach {what} as `{key}`: {object}"
                );
            }
            let filled = |v: &serde_json::Value| {
                !(v.is_null() || v.as_str() == Some("") || v.as_array().is_some_and(Vec::is_empty))
            };
            assert!(
                objects.iter().any(|o| filled(&o[*key])),
                "stored `{name}` is never filled in {what} (`{key}`)"
            );
        }
    }
    Ok(())
}
