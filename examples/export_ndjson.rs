//! Prints the statements of a corpus as NDJSON, one document a line, with the
//! field names of `index-schema/schema.toml`: the ready-made input for the
//! tantivy-cli baseline of the benchmark.
//!
//! `cargo run --release --example export_ndjson -- CORPUS > statements.ndjson`

use std::io::{BufWriter, Write};
use std::path::PathBuf;

fn main() -> anyhow::Result<()> {
    let corpus: PathBuf = std::env::args_os()
        .nth(1)
        .map(PathBuf::from)
        .ok_or_else(|| anyhow::anyhow!("usage: export_ndjson CORPUS"))?;
    let listing = citeindex::crawl::list(&corpus, None);
    let stdout = std::io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    for file in listing.files.iter().filter(|f| f.page_name) {
        let Ok(bytes) = std::fs::read(&file.path) else {
            continue;
        };
        let Ok(page) = citeindex::page::parse_bytes(&file.path, &bytes) else {
            continue;
        };
        let path = &file.stored;
        for s in &page.statements {
            let doc = serde_json::json!({
                "kind": "statement",
                "path": path,
                "doi": page.doi,
                "title": page.title,
                "year": page.year,
                "statement": s.text,
                "section": s.section,
                "section_bucket": s.section_bucket.map(|b| b.as_str()),
                "type": s.citation_type.map(|k| k.as_str()),
                "confidence": s.confidence,
                "author": s.cited.iter().map(|c| c.author.as_str()).collect::<Vec<_>>(),
                "position": s.position,
            });
            // tantivy-cli rejects nulls: leave missing values out.
            let doc: serde_json::Map<String, serde_json::Value> = doc
                .as_object()
                .into_iter()
                .flatten()
                .filter(|(_, v)| !v.is_null())
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect();
            serde_json::to_writer(&mut out, &doc)?;
            out.write_all(b"\n")?;
        }
    }
    out.flush()?;
    Ok(())
}
