//! Links the `citeindex` executable at a fixed address (`-no-pie`) on
//! x86-64 Linux with glibc.
//!
//! Every query is a new process, and a position-independent executable makes
//! the dynamic loader apply some 33,000 relative relocations and copy the
//! pages they touch before `main` runs: 1.5–2 ms of a 10–15 ms query at
//! 100,000 pages (BENCHMARKS.md, "Start-up"). The code stays position
//! independent; only the executable's own image loses address randomisation
//! (libraries, heap and stack keep theirs). Build with `CITEINDEX_PIE=1` to
//! keep a PIE, say for a `serve` exposed beyond localhost.

fn main() {
    println!("cargo:rerun-if-env-changed=CITEINDEX_PIE");
    let target = |key: &str| std::env::var(key).unwrap_or_default();
    let linux_gnu_x86_64 = target("CARGO_CFG_TARGET_OS") == "linux"
        && target("CARGO_CFG_TARGET_ENV") == "gnu"
        && target("CARGO_CFG_TARGET_ARCH") == "x86_64";
    let want_pie = std::env::var_os("CITEINDEX_PIE").is_some_and(|v| v == "1");
    if linux_gnu_x86_64 && !want_pie {
        println!("cargo:rustc-link-arg-bin=citeindex=-no-pie");
    }
}
