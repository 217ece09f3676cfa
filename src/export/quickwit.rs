//! Quickwit: `quickwit-index.yaml`, an index config whose doc mapping mirrors
//! `index-schema/`, and `statements.ndjson` to ingest.
//!
//! The mapping is derived from the schema file's definitions, so it follows
//! schema changes: `english` and `names` text become a custom tokenizer that
//! lowercases and folds to ASCII as citeindex does (`author:stanicke` finds
//! Stänicke), positions become `record: position`, `string` fields the `raw`
//! tokenizer, fast columns `fast: true`, and `cited` an `array<json>`.
//! Quickwit 0.9 has no stemmer at all (its `en_stem` was removed, though its
//! documentation still lists it): `spindle` does not find `spindles` there.
//! Quickwit has no per-field boosts; the boosted fields become the default
//! search fields. So that stemmed queries still find what citeindex finds,
//! each document also carries its text as citeindex analyses it, in
//! `statement_stems`, `title_stems` and `section_stems` ([`super::stems`]).

use std::fmt::Write as _;
use std::path::Path;

use super::{create, finish, for_each_doc, json_line, ExportError, Written};
use crate::analysis::stems::{Stemmer, STEMMED};
use crate::index::{OpenIndex, StoredStatement};
use crate::schema::{FieldDef, ValueType};

pub(crate) fn export(open: &OpenIndex, dir: &Path, index_id: &str) -> Result<Written, ExportError> {
    let config_path = dir.join("quickwit-index.yaml");
    let mut config = create(&config_path)?;
    std::io::Write::write_all(
        &mut config,
        index_config(&open.schema.definitions, index_id).as_bytes(),
    )
    .map_err(|e| ExportError::Write(config_path.clone(), e))?;
    finish(config, &config_path)?;

    let docs_path = dir.join("statements.ndjson");
    let mut docs = create(&docs_path)?;
    let mut written = Written::default();
    let mut stemmer = Stemmer::default();
    for_each_doc(open, &mut |doc| {
        json_line(&mut docs, &stemmer.document(&doc), &docs_path)?;
        written.documents += 1;
        Ok(())
    })?;
    finish(docs, &docs_path)?;
    written.files = vec![config_path, docs_path];
    Ok(written)
}

/// The index config as YAML.
pub(crate) fn index_config(definitions: &[FieldDef], index_id: &str) -> String {
    let mut yaml = String::new();
    let _ = writeln!(
        yaml,
        "# Quickwit index config for citeindex statements, made by `citeindex export`."
    );
    let _ = writeln!(
        yaml,
        "# quickwit index create --index-config quickwit-index.yaml"
    );
    let _ = writeln!(yaml, "version: 0.8");
    let _ = writeln!(yaml, "index_id: {index_id}");
    let _ = writeln!(yaml, "doc_mapping:");
    let _ = writeln!(yaml, "  mode: strict");
    let _ = writeln!(yaml, "  tokenizers:");
    let _ = writeln!(yaml, "    - name: {FOLDED}");
    let _ = writeln!(yaml, "      type: simple");
    let _ = writeln!(
        yaml,
        "      filters: [remove_long, lower_caser, ascii_folding]"
    );
    let _ = writeln!(yaml, "  field_mappings:");
    for (name, options) in mapped_fields(definitions) {
        let _ = writeln!(yaml, "    - name: {name}");
        for (key, value) in options {
            let _ = writeln!(yaml, "      {key}: {value}");
        }
    }
    let defaults: Vec<&str> = definitions
        .iter()
        .filter(|d| d.boost.is_some() && StoredStatement::field_names().contains(&d.name))
        .map(|d| d.name.as_str())
        .collect();
    let _ = writeln!(yaml, "search_settings:");
    let _ = writeln!(yaml, "  default_search_fields: [{}]", defaults.join(", "));
    yaml
}

/// How long after its first document the indexer commits a split of an
/// index sync creates: the batches in flight then share one commit (one
/// split) and wait for it no longer than this.
pub(crate) const SYNC_COMMIT_SECS: u64 = 2;

/// The config `citeindex sync` creates its index with: the export's, with
/// splits committed [`SYNC_COMMIT_SECS`] after their first document and
/// mature after 2 s. Quickwit applies a delete task to mature splits only,
/// and by default a split matures after two days: a changed or deleted
/// page's old statements would stay that long. (Mature splits are no longer
/// merged, so an index that is synced often in small steps has many splits.)
pub(crate) fn sync_config(definitions: &[FieldDef], index_id: &str) -> String {
    let mut yaml = index_config(definitions, index_id);
    yaml.push_str("indexing_settings:\n");
    yaml.push_str(&format!("  commit_timeout_secs: {SYNC_COMMIT_SECS}\n"));
    yaml.push_str("  merge_policy:\n");
    yaml.push_str("    type: stable_log\n");
    yaml.push_str("    maturation_period: 2s\n");
    yaml
}

/// The `(name, type)` of each field the config maps, `id` first: what an
/// existing index's doc mapping must match for `sync` to write into it.
pub(crate) fn field_types(definitions: &[FieldDef]) -> Vec<(String, String)> {
    mapped_fields(definitions)
        .into_iter()
        .filter_map(|(name, options)| {
            let (_, kind) = options.into_iter().find(|(key, _)| *key == "type")?;
            Some((name, kind))
        })
        .collect()
}

/// Every field the config maps, with its options in the order they are
/// written: `id`, the exported fields, the stemmed text.
fn mapped_fields(definitions: &[FieldDef]) -> Vec<(String, Vec<(&'static str, String)>)> {
    let mut fields = vec![(
        "id".to_string(),
        vec![
            ("type", "text".into()),
            ("tokenizer", "raw".into()),
            ("stored", "true".into()),
        ],
    )];
    let exported = StoredStatement::field_names();
    for def in definitions.iter().filter(|d| exported.contains(&d.name)) {
        fields.push((def.name.clone(), field_options(def)));
    }
    for (_, stems) in STEMMED {
        fields.push((
            stems.to_string(),
            vec![
                ("type", "text".into()),
                ("tokenizer", "whitespace".into()),
                ("record", "position".into()),
                ("fieldnorms", "true".into()),
                ("stored", "false".into()),
            ],
        ));
    }
    fields
}

/// The custom tokenizer for citeindex's `english` and `names` text: words
/// split on non-alphanumerics, lowercased and folded to ASCII (no stemming:
/// Quickwit 0.9 has none).
const FOLDED: &str = "citeindex_folded";

/// A field's Quickwit mapping options, in the order they are written. Every
/// exported field is stored: a Quickwit hit carries the whole statement,
/// where citeindex keeps a paper's values once, with its page.
fn field_options(def: &FieldDef) -> Vec<(&'static str, String)> {
    let yes = |b: bool| b.to_string();
    if def.name == "cited" {
        // Stored in the index as JSON text; exported as the objects themselves,
        // a list of them (a `json` field takes one object).
        return vec![
            ("type", "array<json>".into()),
            ("stored", "true".into()),
            ("indexed", "false".into()),
        ];
    }
    match def.value_type {
        ValueType::Text => {
            let tokenizer = match def.tokenizer.as_deref() {
                Some("english" | "names") => FOLDED,
                _ => "default",
            };
            let kind = if def.name == "author" {
                "array<text>"
            } else {
                "text"
            };
            let record = if def.positions { "position" } else { "freq" };
            vec![
                ("type", kind.into()),
                ("tokenizer", tokenizer.into()),
                ("record", record.into()),
                ("fieldnorms", "true".into()),
                ("stored", "true".into()),
            ]
        }
        ValueType::String => vec![
            ("type", "text".into()),
            ("tokenizer", "raw".into()),
            ("indexed", yes(def.indexed)),
            ("stored", "true".into()),
            ("fast", yes(def.fast)),
        ],
        ValueType::U64 => vec![
            ("type", "u64".into()),
            ("indexed", yes(def.indexed)),
            ("stored", "true".into()),
            ("fast", yes(def.fast)),
        ],
    }
}
