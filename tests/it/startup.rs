//! How the executable is linked, where that is a speed feature: every query
//! is a process of its own, and `build.rs` links it at a fixed address so
//! the loader has no relocations to apply (see BENCHMARKS.md, "Start-up");
//! and which allocator each command runs on (`src/heap.rs`).

use std::ffi::OsString;

use crate::common::{run, sample_corpus, Sandbox};

/// The ELF type of the `citeindex` executable: 2 for a fixed-address
/// executable, 3 for a position-independent one.
#[cfg(all(target_os = "linux", target_env = "gnu", target_arch = "x86_64"))]
fn elf_type() -> u16 {
    let bytes = std::fs::read(env!("CARGO_BIN_EXE_citeindex")).expect("reading the executable");
    assert_eq!(&bytes[..4], b"\x7fELF", "not an ELF file");
    u16::from_le_bytes([bytes[16], bytes[17]])
}

#[cfg(all(target_os = "linux", target_env = "gnu", target_arch = "x86_64"))]
#[test]
fn the_executable_is_linked_at_a_fixed_address_unless_a_pie_is_asked_for() {
    let want_pie = std::env::var_os("CITEINDEX_PIE").is_some_and(|v| v == "1");
    let expected = if want_pie { 3 } else { 2 };
    assert_eq!(
        elf_type(),
        expected,
        "ELF type (2: fixed address, 3: PIE), CITEINDEX_PIE={want_pie}"
    );
}

/// mimalloc's statistics, printed at exit when `MIMALLOC_SHOW_STATS=1`, list
/// its arenas only once it has handed out memory: a build runs on mimalloc,
/// a query on the system allocator (mimalloc's set-up cost a one-query
/// process 4%).
#[test]
fn a_build_allocates_from_mimalloc_and_a_query_does_not() {
    let sandbox = Sandbox::new();
    let on_mimalloc = |args: Vec<OsString>| {
        let mut cmd = sandbox.command(args);
        cmd.env("MIMALLOC_SHOW_STATS", "1");
        let done = run(cmd);
        done.expect_code(0);
        done.stderr.contains("reserved")
    };
    let build = sandbox.index_args(Some(&sample_corpus()), &["-q"]);
    assert!(on_mimalloc(build));
    let mut query: Vec<OsString> = ["query", "sleep", "--index"].map(OsString::from).into();
    query.push(sandbox.index_dir().into());
    assert!(!on_mimalloc(query));
}
