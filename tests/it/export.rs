//! `citeindex export`: the documents round-trip to the index's fields, ids are
//! stable, and the Quickwit and Elasticsearch configs use only the keys,
//! types and tokenizers those formats document, and describe every exported
//! field.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use serde_json::Value;
use yaml_rust2::{Yaml, YamlLoader};

use crate::common::quickwit::{self, Cluster};
use crate::common::{all_statements, indexed_sample, Sandbox, TestResult};

fn export(sandbox: &Sandbox, args: &[&str]) -> crate::common::Run {
    let index = sandbox.index_dir();
    let mut all = vec![
        "export",
        "--index",
        index.to_str().expect("UTF-8 temp path"),
    ];
    all.extend(args);
    let run = sandbox.run(&all);
    run.expect_code(0);
    run
}

fn lines(path: &Path) -> Vec<Value> {
    std::fs::read_to_string(path)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{l}: {e}")))
        .collect()
}

const DOC_KEYS: [&str; 13] = [
    "id",
    "doi",
    "title",
    "year",
    "path",
    "position",
    "statement",
    "section",
    "section_bucket",
    "type",
    "confidence",
    "author",
    "cited",
];

#[test]
fn ndjson_round_trips_every_statement_to_the_indexed_fields() -> TestResult {
    let sandbox = indexed_sample();
    let run = export(&sandbox, &["--format", "ndjson"]);
    let docs = run.json_lines();
    assert_eq!(
        docs.len(),
        all_statements().len(),
        "one document per statement, copies included"
    );
    assert!(
        run.stderr
            .contains(&format!("exported {} statements", docs.len())),
        "{}",
        run.stderr
    );
    for doc in &docs {
        let keys: BTreeSet<&str> = doc
            .as_object()
            .map(|o| o.keys().map(String::as_str).collect())
            .unwrap_or_default();
        assert_eq!(
            keys,
            DOC_KEYS.iter().copied().collect::<BTreeSet<_>>(),
            "{doc}"
        );
    }
    let ids: BTreeSet<&str> = docs.iter().filter_map(|d| d["id"].as_str()).collect();
    assert_eq!(ids.len(), docs.len(), "ids are unique");

    // Every hit of `*` (the index's view) has an exported twin with the same fields.
    let hits = sandbox.hits(&["*"]);
    assert!(hits.len() > 50);
    for hit in &hits {
        let path = hit["path"].as_str().unwrap_or_default();
        let twin = docs
            .iter()
            .find(|d| {
                d["position"] == hit["position"]
                    && d["path"].as_str().is_some_and(|p| path.ends_with(p))
            })
            .unwrap_or_else(|| panic!("no exported document for {hit}"));
        for (export_key, hit_key) in [
            ("doi", "doi"),
            ("title", "title"),
            ("year", "year"),
            ("statement", "text"),
            ("section", "section"),
            ("section_bucket", "section_bucket"),
            ("type", "type"),
            ("confidence", "confidence"),
            ("cited", "cited"),
        ] {
            assert_eq!(twin[export_key], hit[hit_key], "{export_key} of {path}");
        }
        let names: Vec<&Value> = hit["cited"]
            .as_array()
            .map(|c| c.iter().map(|a| &a["author"]).collect())
            .unwrap_or_default();
        let exported: Vec<&Value> = twin["author"]
            .as_array()
            .map(|a| a.iter().collect())
            .unwrap_or_default();
        assert_eq!(exported, names, "author of {path}");
    }

    // A second export gives the same ids; --out writes the same documents to a file.
    let again = export(&sandbox, &["--format", "ndjson"]).json_lines();
    assert_eq!(again, docs);
    let out = sandbox.path().join("nd");
    export(
        &sandbox,
        &["--format", "ndjson", "--out", out.to_str().expect("UTF-8")],
    );
    assert_eq!(lines(&out.join("statements.ndjson")), docs);
    Ok(())
}

fn yaml_str(y: &Yaml) -> Option<&str> {
    y.as_str()
}

#[test]
fn quickwit_config_mirrors_the_schema_with_documented_keys() -> TestResult {
    let sandbox = indexed_sample();
    let out = sandbox.path().join("qw");
    export(
        &sandbox,
        &[
            "--format",
            "quickwit",
            "--out",
            out.to_str().expect("UTF-8"),
            "--name",
            "papers",
        ],
    );
    let text = std::fs::read_to_string(out.join("quickwit-index.yaml"))?;
    let config = &YamlLoader::load_from_str(&text)?[0];
    let top: BTreeSet<&str> = config
        .as_hash()
        .map(|h| h.keys().filter_map(yaml_str).collect())
        .unwrap_or_default();
    let documented = [
        "version",
        "index_id",
        "doc_mapping",
        "search_settings",
        "indexing_settings",
        "retention",
        "index_uri",
    ];
    assert!(top.iter().all(|k| documented.contains(k)), "{top:?}");
    assert_eq!(config["version"].as_f64(), Some(0.8));
    assert_eq!(config["index_id"].as_str(), Some("papers"));
    assert_eq!(config["doc_mapping"]["mode"].as_str(), Some("strict"));

    let mut fields: BTreeMap<String, &Yaml> = BTreeMap::new();
    for mapping in config["doc_mapping"]["field_mappings"]
        .as_vec()
        .expect("field_mappings")
    {
        let keys: Vec<&str> = mapping
            .as_hash()
            .map(|h| h.keys().filter_map(yaml_str).collect())
            .unwrap_or_default();
        let allowed = [
            "name",
            "type",
            "tokenizer",
            "record",
            "stored",
            "indexed",
            "fast",
            "fieldnorms",
            "description",
        ];
        assert!(keys.iter().all(|k| allowed.contains(k)), "{keys:?}");
        let kind = mapping["type"].as_str().unwrap_or_default();
        let base = kind
            .strip_prefix("array<")
            .and_then(|k| k.strip_suffix('>'))
            .unwrap_or(kind);
        assert!(
            ["text", "u64", "i64", "f64", "bool", "datetime", "ip", "bytes", "json"]
                .contains(&base),
            "{kind}"
        );
        if let Some(tokenizer) = mapping["tokenizer"].as_str() {
            // Quickwit 0.9's built-in tokenizers, or one the config declares.
            let declared: Vec<&str> = config["doc_mapping"]["tokenizers"]
                .as_vec()
                .map(|t| t.iter().filter_map(|d| d["name"].as_str()).collect())
                .unwrap_or_default();
            assert!(
                [
                    "raw",
                    "raw_lowercase",
                    "lowercase",
                    "default",
                    "whitespace",
                    "chinese_compatible",
                ]
                .contains(&tokenizer)
                    || declared.contains(&tokenizer),
                "{tokenizer}"
            );
        }
        if let Some(record) = mapping["record"].as_str() {
            assert!(["basic", "freq", "position"].contains(&record));
        }
        fields.insert(
            mapping["name"].as_str().unwrap_or_default().to_string(),
            mapping,
        );
    }
    // As index-schema/ says: positions for statements, fast year and confidence, raw DOI.
    assert_eq!(
        fields["statement"]["tokenizer"].as_str(),
        Some("citeindex_folded")
    );
    assert_eq!(
        fields["author"]["tokenizer"].as_str(),
        Some("citeindex_folded")
    );
    assert_eq!(fields["cited"]["type"].as_str(), Some("array<json>"));
    assert_eq!(fields["statement"]["record"].as_str(), Some("position"));
    assert_eq!(fields["year"]["fast"].as_bool(), Some(true));
    assert_eq!(fields["confidence"]["fast"].as_bool(), Some(true));
    assert_eq!(fields["doi"]["tokenizer"].as_str(), Some("raw"));
    for name in config["search_settings"]["default_search_fields"]
        .as_vec()
        .expect("default fields")
    {
        assert!(
            fields.contains_key(name.as_str().unwrap_or_default()),
            "{name:?}"
        );
    }
    // Strict mode: every document field is mapped, and every mapping is used:
    // the exported fields and the stemmed text of the `english` ones.
    let stems = ["statement_stems", "title_stems", "section_stems"];
    let names: BTreeSet<&str> = fields.keys().map(String::as_str).collect();
    let mut want: BTreeSet<&str> = DOC_KEYS.iter().copied().collect();
    want.extend(stems);
    assert_eq!(names, want);
    for stem in stems {
        assert_eq!(fields[stem]["tokenizer"].as_str(), Some("whitespace"));
        assert_eq!(fields[stem]["record"].as_str(), Some("position"));
    }
    let docs = lines(&out.join("statements.ndjson"));
    assert_eq!(docs.len(), all_statements().len());
    let keys: BTreeSet<&str> = docs
        .iter()
        .flat_map(|d| {
            d.as_object()
                .into_iter()
                .flat_map(|o| o.keys().map(String::as_str))
        })
        .collect();
    assert!(
        keys.is_subset(&want) && keys.contains("statement_stems"),
        "{keys:?}"
    );
    Ok(())
}

#[test]
fn elasticsearch_mapping_and_bulk_bodies_are_loadable() -> TestResult {
    let sandbox = indexed_sample();
    let out = sandbox.path().join("es");
    export(
        &sandbox,
        &[
            "--format",
            "elasticsearch",
            "--out",
            out.to_str().expect("UTF-8"),
        ],
    );
    let mapping: Value = serde_json::from_str(&std::fs::read_to_string(out.join("mapping.json"))?)?;
    let top: BTreeSet<&str> = mapping
        .as_object()
        .map(|o| o.keys().map(String::as_str).collect())
        .unwrap_or_default();
    assert_eq!(top, BTreeSet::from(["settings", "mappings"]));
    for (name, analyzer) in mapping["settings"]["analysis"]["analyzer"]
        .as_object()
        .expect("analyzers")
    {
        assert_eq!(analyzer["type"], "custom", "{name}");
        assert_eq!(analyzer["tokenizer"], "standard", "{name}");
        for filter in analyzer["filter"].as_array().expect("filters") {
            assert!(["lowercase", "asciifolding", "porter_stem"]
                .contains(&filter.as_str().unwrap_or_default()));
        }
    }
    assert_eq!(mapping["mappings"]["dynamic"], "strict");
    let properties = mapping["mappings"]["properties"]
        .as_object()
        .expect("properties");
    for (name, property) in properties {
        let kind = property["type"].as_str().unwrap_or_default();
        assert!(
            ["text", "keyword", "long", "object"].contains(&kind),
            "{name}: {kind}"
        );
        if kind == "text" {
            let analyzer = property["analyzer"].as_str().unwrap_or_default();
            assert!(
                mapping["settings"]["analysis"]["analyzer"]
                    .get(analyzer)
                    .is_some(),
                "{name}"
            );
            assert!(["docs", "freqs", "positions", "offsets"]
                .contains(&property["index_options"].as_str().unwrap_or_default()));
        }
    }
    assert_eq!(properties["statement"]["index_options"], "positions");
    assert_eq!(properties["doi"]["type"], "keyword");

    let bulk = lines(&out.join("bulk-00001.ndjson"));
    assert!(
        !out.join("bulk-00002.ndjson").exists(),
        "83 statements fit one body"
    );
    assert_eq!(bulk.len(), 2 * all_statements().len());
    let ndjson = export(&sandbox, &["--format", "ndjson"]).json_lines();
    for (pair, doc) in bulk.chunks(2).zip(&ndjson) {
        let (action, source) = (&pair[0], &pair[1]);
        assert_eq!(action["index"]["_index"], "citeindex");
        assert_eq!(
            action["index"]["_id"], doc["id"],
            "the same stable id as the NDJSON export"
        );
        let mut expected = doc.clone();
        expected.as_object_mut().map(|o| o.remove("id"));
        assert_eq!(source, &expected);
        for key in source.as_object().expect("a document").keys() {
            assert!(
                properties.contains_key(key),
                "{key} is mapped (dynamic: strict)"
            );
        }
    }
    Ok(())
}

#[test]
fn export_needs_an_out_folder_for_multi_file_formats_and_a_valid_name() {
    let sandbox = indexed_sample();
    let index = sandbox.index_dir();
    let index = index.to_str().expect("UTF-8");
    for args in [
        vec!["export", "--index", index, "--format", "quickwit"],
        vec!["export", "--index", index, "--format", "elasticsearch"],
        vec![
            "export",
            "--index",
            index,
            "--format",
            "ndjson",
            "--name",
            "Has Spaces",
        ],
        vec!["export", "--index", index, "--format", "csv"],
    ] {
        let run = sandbox.run(&args);
        run.expect_code(2);
        assert!(run.stdout.is_empty(), "{args:?}");
    }
}

#[test]
fn a_real_quickwit_node_accepts_the_config_and_every_document() -> TestResult {
    let Some(tools) = quickwit::tools() else {
        return Ok(());
    };
    let sandbox = indexed_sample();
    let out = sandbox.path().join("qw-export");
    export(
        &sandbox,
        &[
            "--format",
            "quickwit",
            "--out",
            out.to_str().expect("UTF-8"),
            "--name",
            "statements",
        ],
    );
    let cluster = Cluster::start(&tools, &sandbox.path().join("qw"), 1);
    let url = cluster.urls[0].clone();
    let agent = quickwit::agent();

    let config = std::fs::read_to_string(out.join("quickwit-index.yaml"))?;
    let mut created = agent
        .post(&format!("{url}/api/v1/indexes"))
        .header("Content-Type", "application/yaml")
        .send(config.as_str())?;
    let body = created.body_mut().read_to_string()?;
    assert_eq!(
        created.status().as_u16(),
        200,
        "the config is refused: {body}"
    );

    let docs = lines(&out.join("statements.ndjson"));
    let ndjson = std::fs::read_to_string(out.join("statements.ndjson"))?;
    let mut ingested = agent
        .post(&format!(
            "{url}/api/v1/statements/ingest?commit=force&detailed_response=true"
        ))
        .send(ndjson.as_str())?;
    let answer: Value = serde_json::from_str(&ingested.body_mut().read_to_string()?)?;
    assert_eq!(answer["num_rejected_docs"], 0, "{answer}");
    assert_eq!(
        answer["num_ingested_docs"].as_u64(),
        Some(docs.len() as u64),
        "{answer}"
    );

    // Folded names match as in citeindex: `astrom` finds Åström.
    let with_astrom = docs
        .iter()
        .filter(|d| {
            d["author"].as_array().is_some_and(|a| {
                a.iter()
                    .any(|n| n.as_str().is_some_and(|n| n.to_lowercase() == "åström"))
            })
        })
        .count();
    assert!(with_astrom > 0);
    let mut found = agent
        .get(&format!(
            "{url}/api/v1/statements/search?query=author:astrom&max_hits=1000"
        ))
        .call()?;
    let found: Value = serde_json::from_str(&found.body_mut().read_to_string()?)?;
    assert_eq!(
        found["num_hits"].as_u64(),
        Some(with_astrom as u64),
        "{found}"
    );
    // A hit carries the whole statement, the paper's values included.
    for hit in found["hits"].as_array().into_iter().flatten() {
        for field in ["title", "doi", "year", "statement", "path", "author"] {
            assert!(!hit[field].is_null(), "{field} missing from {hit}");
        }
    }
    Ok(())
}
