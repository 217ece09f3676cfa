//! Elasticsearch and OpenSearch: `mapping.json` (analysis settings and a
//! strict mapping derived from `index-schema/`) and `bulk-NNNNN.ndjson`, the
//! bodies of `_bulk` requests. Each document follows an `index` action line
//! carrying its stable `_id`, so loading a later export again replaces
//! documents rather than duplicating them. A body holds at most
//! [`DOCS_PER_BULK`] documents, well under the default 100 MB request limit.
//!
//! `english` text gets a custom analyzer (standard tokenizer, lowercase, ASCII
//! folding, Porter stemming) and `names` the same without stemming, as
//! citeindex's own tokenizers do; `string` fields are keywords.

use std::path::{Path, PathBuf};

use serde_json::{json, Map, Value};

use super::{create, finish, for_each_doc, json_line, ExportError, Written};
use crate::index::{OpenIndex, StoredStatement};
use crate::schema::{FieldDef, ValueType};

pub(crate) const DOCS_PER_BULK: u64 = 10_000;

pub(crate) fn export(
    open: &OpenIndex,
    dir: &Path,
    index_name: &str,
) -> Result<Written, ExportError> {
    let mapping_path = dir.join("mapping.json");
    let mut mapping_file = create(&mapping_path)?;
    let mapping =
        serde_json::to_string_pretty(&mapping(&open.schema.definitions)).unwrap_or_default();
    std::io::Write::write_all(&mut mapping_file, mapping.as_bytes())
        .map_err(|e| ExportError::Write(mapping_path.clone(), e))?;
    finish(mapping_file, &mapping_path)?;

    let mut written = Written::default();
    written.files.push(mapping_path);
    let mut current: Option<(PathBuf, std::io::BufWriter<std::fs::File>)> = None;
    for_each_doc(open, &mut |doc| {
        if written.documents % DOCS_PER_BULK == 0 {
            if let Some((path, file)) = current.take() {
                finish(file, &path)?;
                written.files.push(path);
            }
            let number = written.documents / DOCS_PER_BULK + 1;
            let path = dir.join(format!("bulk-{number:05}.ndjson"));
            current = Some((path.clone(), create(&path)?));
        }
        if let Some((path, file)) = current.as_mut() {
            let action = json!({"index": {"_index": index_name, "_id": doc.id}});
            json_line(file, &action, path)?;
            let mut source = serde_json::to_value(&doc).unwrap_or(Value::Null);
            if let Some(object) = source.as_object_mut() {
                object.remove("id");
            }
            json_line(file, &source, path)?;
        }
        written.documents += 1;
        Ok(())
    })?;
    if let Some((path, file)) = current.take() {
        finish(file, &path)?;
        written.files.push(path);
    }
    Ok(written)
}

/// The body of `PUT /<index>`: analysis settings and the mapping.
pub(crate) fn mapping(definitions: &[FieldDef]) -> Value {
    let mut properties = Map::new();
    let exported = StoredStatement::field_names();
    for def in definitions.iter().filter(|d| exported.contains(&d.name)) {
        properties.insert(def.name.clone(), property(def));
    }
    json!({
        "settings": {
            "analysis": {
                "analyzer": {
                    "citeindex_english": {
                        "type": "custom",
                        "tokenizer": "standard",
                        "filter": ["lowercase", "asciifolding", "porter_stem"]
                    },
                    "citeindex_names": {
                        "type": "custom",
                        "tokenizer": "standard",
                        "filter": ["lowercase", "asciifolding"]
                    }
                }
            }
        },
        "mappings": {
            "dynamic": "strict",
            "properties": properties
        }
    })
}

fn property(def: &FieldDef) -> Value {
    if def.name == "cited" {
        return json!({"type": "object", "enabled": false});
    }
    match def.value_type {
        ValueType::Text => {
            let analyzer = match def.tokenizer.as_deref() {
                Some("english") => "citeindex_english",
                _ => "citeindex_names",
            };
            let options = if def.positions { "positions" } else { "freqs" };
            json!({"type": "text", "analyzer": analyzer, "index_options": options})
        }
        ValueType::String => {
            json!({"type": "keyword", "index": def.indexed, "doc_values": def.fast})
        }
        ValueType::U64 => json!({"type": "long", "index": def.indexed, "doc_values": def.fast}),
    }
}
