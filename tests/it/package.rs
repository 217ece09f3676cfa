//! What `cargo package` puts in the crate (and so what `cargo install
//! citeindex` builds from once published): the include list in Cargo.toml.

use std::process::Command;

#[test]
fn the_crate_holds_the_sources_and_leaves_fixtures_and_benchmarks_out() {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let out = Command::new(cargo)
        .args([
            "package",
            "--list",
            "--locked",
            "--allow-dirty",
            "--offline",
        ])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("running cargo package --list");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let listed = String::from_utf8(out.stdout).expect("file names in UTF-8");
    let files: Vec<&str> = listed.lines().collect();
    // What the build reads: the sources, the assets and schema they embed,
    // and the build script that fingerprints the parser.
    for needed in [
        "Cargo.toml",
        "Cargo.lock",
        "README.md",
        "build.rs",
        "build/parser_fingerprint.rs",
        "src/main.rs",
        "src/lib.rs",
        "src/page/mod.rs",
        "src/serve/assets/index.html",
        "index-schema/schema.toml",
    ] {
        assert!(
            files.contains(&needed),
            "the crate lacks {needed}: {files:?}"
        );
    }
    for left_out in [
        "tests/",
        "bench/",
        "sample-corpus/",
        "fuzz/",
        "packaging/",
        "examples/",
        "docs/",
        ".ci/",
    ] {
        let found: Vec<_> = files.iter().filter(|f| f.starts_with(left_out)).collect();
        assert!(found.is_empty(), "the crate carries {left_out}: {found:?}");
    }
}
