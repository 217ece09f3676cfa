//! Where an index's bytes go: tantivy's own space accounting, summed over the
//! segments, by part (term dictionary, postings, positions, fast columns,
//! field norms, document store) and by field, printed as Markdown for
//! BENCHMARKS.md. The store is compressed in blocks, so tantivy cannot split it
//! by field; the stored values' uncompressed bytes per field are counted from
//! every document instead, to say which fields fill it.
//!
//! `cargo run --release --example index_space -- INDEX [RAW_PAGES_DIR]`

use std::collections::BTreeMap;
use std::path::PathBuf;

use tantivy::schema::document::{ReferenceValue, ReferenceValueLeaf, Value};
use tantivy::schema::Schema;
use tantivy::space_usage::PerFieldSpaceUsage;
use tantivy::{Index, TantivyDocument};

fn main() -> anyhow::Result<()> {
    let mut args = std::env::args_os().skip(1).map(PathBuf::from);
    let dir = args
        .next()
        .ok_or_else(|| anyhow::anyhow!("usage: index_space INDEX [RAW_PAGES_DIR]"))?;
    let raw = args.next();
    // A citeindex index folder names its live generation in `CURRENT`.
    let live = match std::fs::read_to_string(dir.join("CURRENT")) {
        Ok(name) => dir.join(name.trim()),
        Err(_) => dir.clone(),
    };
    let index = Index::open_in_dir(&live)?;
    let schema = index.schema();
    let searcher = index.reader()?.searcher();
    let usage = searcher.space_usage()?;

    // (part, field) -> bytes
    let mut by_part: BTreeMap<&str, BTreeMap<String, u64>> = BTreeMap::new();
    let mut store = 0u64;
    let mut deletes = 0u64;
    let mut docs = 0u64;
    for segment in usage.segments() {
        docs += u64::from(segment.num_docs());
        for (part, fields) in [
            ("term dictionary", segment.termdict()),
            ("postings", segment.postings()),
            ("positions", segment.positions()),
            ("fast columns", segment.fast_fields()),
            ("field norms", segment.fieldnorms()),
        ] {
            add_fields(by_part.entry(part).or_default(), fields);
        }
        store += segment.store().total().get_bytes();
        deletes += segment.deletes().get_bytes();
    }
    let stored = stored_bytes(&searcher, &schema)?;

    let total = usage.total().get_bytes();
    let on_disk = dir_bytes(&dir);
    println!(
        "{} segments, {docs} documents, {} by tantivy's account, {} on disk{}",
        usage.segments().len(),
        mb(total),
        mb(on_disk),
        raw.map(|r| {
            let raw = dir_bytes(&r);
            format!(
                ", {:.2}× the raw pages ({})",
                on_disk as f64 / raw as f64,
                mb(raw)
            )
        })
        .unwrap_or_default()
    );
    println!();
    println!("| part | bytes | share | largest fields |");
    println!("|---|---|---|---|");
    let mut parts: Vec<(&str, u64, String)> = by_part
        .iter()
        .map(|(part, fields)| {
            let sum = fields.values().sum();
            (*part, sum, top_fields(fields, sum))
        })
        .collect();
    parts.push((
        "document store",
        store,
        top_fields(&stored, stored.values().sum()),
    ));
    parts.push(("deletes", deletes, String::new()));
    parts.sort_by_key(|(_, bytes, _)| std::cmp::Reverse(*bytes));
    for (part, bytes, fields) in parts {
        println!(
            "| {part} | {} | {:.1}% | {fields} |",
            mb(bytes),
            100.0 * bytes as f64 / total as f64
        );
    }
    println!();
    let raw_stored: u64 = stored.values().sum();
    println!(
        "(document store: shares of the stored values' uncompressed bytes, {} in all: {})",
        mb(raw_stored),
        stored
            .iter()
            .map(|(name, b)| format!("{name} {}", mb(*b)))
            .collect::<Vec<_>>()
            .join(", ")
    );
    Ok(())
}

fn add_fields(into: &mut BTreeMap<String, u64>, fields: &PerFieldSpaceUsage) {
    for field in fields.fields() {
        *into.entry(field.field_name().to_string()).or_default() += field.total().get_bytes();
    }
}

/// The fields holding at least 3% of a part, largest first.
fn top_fields(fields: &BTreeMap<String, u64>, sum: u64) -> String {
    let mut list: Vec<_> = fields.iter().filter(|(_, b)| **b > 0).collect();
    list.sort_by_key(|(_, b)| std::cmp::Reverse(**b));
    list.iter()
        .filter(|(_, b)| **b as f64 >= 0.03 * sum as f64)
        .map(|(name, b)| format!("{name} {:.0}%", 100.0 * **b as f64 / sum.max(1) as f64))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Uncompressed bytes of each stored field over every live document.
fn stored_bytes(
    searcher: &tantivy::Searcher,
    schema: &Schema,
) -> anyhow::Result<BTreeMap<String, u64>> {
    let mut sums: BTreeMap<String, u64> = BTreeMap::new();
    for reader in searcher.segment_readers() {
        let store = reader.get_store_reader(64)?;
        for doc in store.iter::<TantivyDocument>(reader.alive_bitset()) {
            for (field, value) in doc?.field_values() {
                let bytes = match value.as_value() {
                    ReferenceValue::Leaf(ReferenceValueLeaf::Str(s)) => s.len() as u64,
                    _ => 8,
                };
                *sums
                    .entry(schema.get_field_name(field).to_string())
                    .or_default() += bytes;
            }
        }
    }
    Ok(sums)
}

fn dir_bytes(dir: &std::path::Path) -> u64 {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter_map(|e| e.metadata().ok())
        .filter(|m| m.is_file())
        .map(|m| m.len())
        .sum()
}

fn mb(bytes: u64) -> String {
    format!("{:.1} MB", bytes as f64 / 1e6)
}
