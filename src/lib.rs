//! citeindex: a search engine for saved citation report pages.
//!
//! Each module hands the next a plain typed value. [`crawl`] walks a folder
//! and yields candidate files, telling junk apart by name. [`page`] turns one
//! file's bytes into a [`page::Page`]: the cited paper and its statements.
//! [`index`] brings a tantivy index up to date with the folder (plan, compare,
//! triage, write, commit) under the schema in `index-schema/`, which
//! [`schema`] loads, with [`analysis`]'s tokenizers and stem cache. [`search`]
//! runs a query with filters and returns ranked [`search::Hit`]s, facets and
//! papers. [`cli`] and [`cmd`] are the command line; those are the public
//! modules. The commands' own parts are private: `render` prints results for
//! people or as JSON lines, CSV, BibTeX or RIS; `stats` tells what an index
//! holds; `check` matches a reference list against the index, with `doi`'s
//! one DOI normaliser; `serve` puts a search page and a JSON API in front of
//! an index (kept fresh with `--watch`); `export` writes statements out for
//! other engines and `sync` keeps a Quickwit index in step.

// The library's interface: what the binary (`cli`, `cmd`), the integration
// tests, the examples under `examples/` and the fuzz targets reach.
pub mod analysis;
pub mod cli;
pub mod cmd;
pub mod crawl;
pub mod heap;
pub mod index;
pub mod page;
pub mod schema;
pub mod search;

// The commands' own parts, reached only through `cmd`.
mod check;
mod doi;
mod export;
mod render;
mod serve;
mod stats;
mod sync;
