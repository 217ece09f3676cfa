//! citeindex: a search engine for saved citation report pages.
//!
//! The pipeline runs in five stages, each a module that hands the next a plain
//! typed value. [`crawl`] walks a folder and yields candidate files, telling
//! junk apart by name. [`page`] turns one file's bytes into a [`page::Page`]: the
//! cited paper and its statements. [`index`] writes pages into a tantivy index
//! under the schema in `index-schema/`, which [`schema`] loads. [`search`] runs a
//! query with filters and returns ranked [`search::Hit`]s, and [`render`] prints
//! them for people or as JSON lines.

pub mod crawl;
pub mod export;
pub mod index;
pub mod page;
pub mod render;
pub mod schema;
pub mod search;
pub mod serve;
pub mod stats;
pub mod stem_cache;
pub mod sync;

pub mod cli;
pub mod cmd;
