//! Query latency, side by side: in-process `search()` calls, whole `citeindex
//! query` processes, and ripgrep over the raw corpus for the same words.
//!
//! `cargo run --release --example bench_queries -- --index DIR --corpus DIR
//!  --queries FILE [--repeat 20]` prints a Markdown table. FILE holds one JSON
//! object per line, `{"label": …, "args": [query arguments]}`, as written by
//! `gen_corpus --queries`.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::Context;
use clap::Parser;

use citeindex::cli::{Cli, Command as CliCommand};

#[derive(Parser)]
struct Args {
    #[arg(long)]
    index: PathBuf,
    #[arg(long)]
    corpus: PathBuf,
    #[arg(long)]
    queries: PathBuf,
    /// Runs per query and way.
    #[arg(long, default_value_t = 20)]
    repeat: usize,
    /// The citeindex binary for whole-process runs.
    #[arg(long, default_value = "target/release/citeindex")]
    bin: PathBuf,
    /// ripgrep, for the baseline; skipped when absent.
    #[arg(long, default_value = "rg")]
    rg: String,
    /// Runs of rg per query (it reads the whole corpus each time).
    #[arg(long, default_value_t = 5)]
    rg_repeat: usize,
}

fn percentile(samples: &mut [Duration], p: f64) -> f64 {
    samples.sort_unstable();
    let i = ((samples.len() as f64 - 1.0) * p).round() as usize;
    samples[i].as_secs_f64() * 1000.0
}

/// The words ripgrep can look for on its own: a term, a phrase, `a b` as either,
/// an author's name. `None` for what rg cannot express (AND, filters).
fn rg_patterns(args: &[String]) -> Option<Vec<String>> {
    if args.len() != 1 || args[0].contains('+') {
        return None;
    }
    let q = args[0].trim_start_matches("author:");
    if q.starts_with('"') {
        return Some(vec![q.trim_matches('"').to_string()]);
    }
    Some(q.split_whitespace().map(str::to_string).collect())
}

/// Wall times of `repeat` runs of `cmd`: an error if it cannot be started,
/// or, with `must_succeed`, if it fails (rg exits 1 when nothing matches).
fn time_process(
    cmd: &mut Command,
    repeat: usize,
    must_succeed: bool,
) -> anyhow::Result<Vec<Duration>> {
    let mut times = Vec::with_capacity(repeat);
    for _ in 0..repeat {
        let started = Instant::now();
        let status = cmd
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .with_context(|| format!("cannot run {:?}", cmd.get_program()))?;
        times.push(started.elapsed());
        anyhow::ensure!(
            !must_succeed || status.success(),
            "{:?} {:?} failed: {status}",
            cmd.get_program(),
            cmd.get_args().collect::<Vec<_>>()
        );
    }
    Ok(times)
}

fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    let rg_found = Command::new(&args.rg)
        .arg("--version")
        .stdout(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if !rg_found {
        eprintln!("{}: not found, so the rg columns are n/a", args.rg);
    }
    let open = citeindex::index::open(&args.index)?;
    let text = std::fs::read_to_string(&args.queries)?;
    println!("| query | hits (top 10) | in-process p50 / p95 ms | whole process p50 / p95 ms | rg p50 ms | rg ÷ citeindex process |");
    println!("|---|---|---|---|---|---|");
    let (mut all_process, mut all_rg) = (Vec::new(), Vec::new());
    for line in text.lines().filter(|l| !l.trim().is_empty()) {
        let spec: serde_json::Value = serde_json::from_str(line)?;
        let label = spec["label"].as_str().unwrap_or("?").to_string();
        let query_args: Vec<String> = spec["args"]
            .as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|v| v.as_str().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default();
        let mut argv = vec!["citeindex".to_string(), "query".to_string()];
        argv.extend(query_args.iter().cloned());
        let CliCommand::Query(qa) = Cli::try_parse_from(&argv)?.command else {
            anyhow::bail!("not a query: {line}");
        };
        let request = citeindex::cmd::query::request(&qa)?;

        let mut in_process = Vec::with_capacity(args.repeat);
        let mut hits = 0;
        for _ in 0..args.repeat {
            let started = Instant::now();
            hits = citeindex::search::search(&open, &request)?.len();
            if qa.facets {
                citeindex::search::facets(&open, &request)?;
            }
            in_process.push(started.elapsed());
        }
        let mut process = time_process(
            Command::new(&args.bin)
                .arg("query")
                .args(&query_args)
                .arg("--index")
                .arg(&args.index),
            args.repeat,
            true,
        )?;
        let rg = rg_patterns(&query_args)
            .filter(|_| rg_found)
            .map(|patterns| {
                let mut cmd = Command::new(&args.rg);
                cmd.args(["--count", "--ignore-case", "--fixed-strings"]);
                for p in &patterns {
                    cmd.arg("-e").arg(p);
                }
                cmd.arg(Path::new(&args.corpus));
                time_process(&mut cmd, args.rg_repeat, false)
            })
            .transpose()?;
        let p50 = percentile(&mut process, 0.5);
        all_process.push(p50);
        let (rg_cell, ratio_cell) = match rg {
            Some(mut samples) => {
                let r = percentile(&mut samples, 0.5);
                all_rg.push((r, p50));
                (format!("{r:.1}"), format!("{:.0}×", r / p50))
            }
            None => ("n/a".to_string(), "n/a".to_string()),
        };
        println!(
            "| {label} `{}` | {hits} | {:.2} / {:.2} | {:.1} / {:.1} | {rg_cell} | {ratio_cell} |",
            query_args.join(" "),
            percentile(&mut in_process, 0.5),
            percentile(&mut in_process, 0.95),
            p50,
            percentile(&mut process, 0.95),
        );
    }
    all_process.sort_by(f64::total_cmp);
    let median = all_process[all_process.len() / 2];
    println!("\nmedian over queries of the whole-process p50: {median:.1} ms");
    if !all_rg.is_empty() {
        let mut ratios: Vec<f64> = all_rg.iter().map(|(r, c)| r / c).collect();
        ratios.sort_by(f64::total_cmp);
        println!(
            "median rg ÷ citeindex ratio over comparable queries: {:.0}×",
            ratios[ratios.len() / 2]
        );
    }
    Ok(())
}
