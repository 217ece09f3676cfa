//! citeindex: a search engine for saved citation report pages.
//!
//! Each module hands the next a plain typed value. [`crawl`] walks a folder
//! and yields candidate files, telling junk apart by name. [`page`] turns one
//! file's bytes into a [`page::Page`]: the cited paper and its statements.
//! [`index`] brings a tantivy index up to date with the folder (plan, compare,
//! triage, write, commit) under the schema in `index-schema/`, which
//! [`schema`] loads, with [`analysis`]'s tokenizers and stem cache. [`search`]
//! runs a query with filters and returns ranked [`search::Hit`]s, facets and
//! papers; [`render`] prints them for people or as JSON lines, CSV, BibTeX or
//! RIS. [`stats`] tells what an index holds. [`serve`] puts a search page and a
//! JSON API in front of an index (kept fresh with `--watch`); [`export`] writes
//! statements out for other engines and [`sync`] keeps a Quickwit index in
//! step. [`cli`] and [`cmd`] are the command line.

pub mod analysis;
pub mod check;
pub mod crawl;
pub mod doi;
pub mod export;
pub mod index;
pub mod page;
pub mod render;
pub mod schema;
pub mod search;
pub mod serve;
pub mod stats;
pub mod sync;

pub mod cli;
pub mod cmd;
