//! Snapshots (insta) of what people read: query hits plain and coloured,
//! facets, explanations, stats, the index summary and parse output. Paths of
//! this machine, timings, dates and sizes are redacted; everything else must
//! match `tests/it/snapshots/` byte for byte. After an intended change:
//! `INSTA_UPDATE=always cargo test --test it snapshots`, then review the diff.

use crate::common::{indexed_sample, sample_corpus, Run, Sandbox};

/// Runs with these redactions in force.
fn redacted(sandbox: &Sandbox, check: impl FnOnce()) {
    let repo = env!("CARGO_MANIFEST_DIR").to_string();
    let sandbox_dir = sandbox.path().display().to_string();
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path("snapshots");
    settings.set_prepend_module_to_snapshot(false);
    settings.add_filter(&regex_escape(&sandbox_dir), "[SANDBOX]");
    settings.add_filter(&regex_escape(&repo), "[REPO]");
    settings.add_filter(r"\(\d+\.\d+ s\)", "([SECONDS] s)");
    settings.add_filter(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC", "[DATE] UTC");
    settings.add_filter(r"\(\d+(\.\d+)? k?M?B\)", "([SIZE])");
    settings.bind(check);
}

fn regex_escape(text: &str) -> String {
    text.chars()
        .map(|c| {
            if c.is_alphanumeric() || c == '/' || c == '_' || c == '-' {
                c.to_string()
            } else {
                format!("\\{c}")
            }
        })
        .collect()
}

/// Warnings come in the order parallel parsing meets the files: sorted here,
/// the summary line kept last.
fn sorted_warnings(stderr: &str) -> String {
    let mut lines: Vec<&str> = stderr.lines().collect();
    let summary = lines.pop().unwrap_or_default();
    lines.sort_unstable();
    lines.push(summary);
    lines.join("\n")
}

fn ok(run: Run) -> String {
    run.expect_code(0);
    run.stdout
}

#[test]
fn query_output_for_people() {
    let sandbox = indexed_sample();
    redacted(&sandbox, || {
        let plain = ok(sandbox.query(&["\"sleep spindles\"", "--limit", "3", "--color", "never"]));
        insta::assert_snapshot!("query_plain", plain);
        let coloured = ok(sandbox.query(&["astrom", "--limit", "2", "--color", "always"]));
        insta::assert_snapshot!("query_coloured", coloured);
        let filtered = ok(sandbox.query(&[
            "*",
            "--type",
            "contrasting",
            "--sort",
            "year",
            "--limit",
            "3",
            "--color",
            "never",
        ]));
        insta::assert_snapshot!("query_filtered_sorted", filtered);
        let facets = ok(sandbox.query(&["memory", "--facets", "--limit", "1", "--color", "never"]));
        insta::assert_snapshot!("query_facets", facets);
        let explain = ok(sandbox.query(&[
            "hippocampal tagging",
            "--explain",
            "--limit",
            "1",
            "--color",
            "never",
        ]));
        insta::assert_snapshot!("query_explain", explain);
    });
}

#[test]
fn stats_and_index_summary_for_people() {
    let sandbox = Sandbox::new();
    redacted(&sandbox, || {
        let first = sandbox.index(&sample_corpus());
        insta::assert_snapshot!("index_first_run", sorted_warnings(&first.stderr));
        let again = sandbox.try_index(None, &[]);
        again.expect_code(0);
        insta::assert_snapshot!("index_second_run", again.stderr);
        let index = sandbox.index_dir();
        let stats = ok(sandbox.run([
            "stats",
            "--index",
            index.to_str().expect("UTF-8"),
            "--color",
            "never",
        ]));
        insta::assert_snapshot!("stats", stats);
    });
}

#[test]
fn parse_output_for_people() {
    let sandbox = Sandbox::new();
    redacted(&sandbox, || {
        let page = sample_corpus().join("sleep/spindle-density-word-pairs-2019.txt");
        let out = ok(sandbox.run([std::ffi::OsStr::new("parse"), page.as_os_str()]));
        insta::assert_snapshot!("parse_page", out);
    });
}
