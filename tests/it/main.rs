//! Integration tests of the `citeindex` binary: one module per command, a
//! shared harness in `common/` that runs the binary hermetically, and the
//! sample corpus's facts transcribed from its manifest.

mod browser;
mod check;
mod common;
mod docs;
mod export;
mod fingerprint;
mod formats;
mod hostile;
mod incremental;
mod index;
mod package;
mod papers;
mod parse;
mod query;
mod real_page;
mod saved_forms;
mod serve;
mod serve_guard;
mod snapshots;
mod startup;
mod stats;
mod stored_fields;
mod sync;
mod terminal;
