//! What a person at a terminal sees: the progress bar while indexing appears
//! on a terminal (a pseudo-terminal made by `script`) and nowhere else.

use std::process::Command;

use crate::common::{big, Sandbox};

/// Runs `citeindex ARGS` under `script`, so that its stdin, stdout and stderr
/// are a terminal, and returns everything it wrote there.
fn on_a_terminal(sandbox: &Sandbox, args: &[std::ffi::OsString]) -> String {
    let quoted: Vec<String> = std::iter::once(env!("CARGO_BIN_EXE_citeindex").into())
        .chain(args.iter().map(|a| a.to_string_lossy().into_owned()))
        .map(|a| format!("'{}'", a.replace('\'', r"'\''")))
        .collect();
    let output = Command::new("script")
        .args([
            "--quiet",
            "--return",
            "--command",
            &quoted.join(" "),
            "/dev/null",
        ])
        .current_dir(sandbox.path())
        .env("TERM", "xterm-256color")
        .env("COLUMNS", "120")
        .env_remove("CITEINDEX_INDEX")
        .output()
        .expect("running `script` (util-linux) to get a terminal");
    assert!(output.status.success(), "{output:?}");
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn corpus(sandbox: &Sandbox) -> std::path::PathBuf {
    let root = sandbox.path().join("corpus");
    big::write_pages(&root, 0..400);
    root
}

#[test]
fn progress_bar_is_drawn_on_a_terminal() {
    let sandbox = Sandbox::new();
    let root = corpus(&sandbox);
    let screen = on_a_terminal(&sandbox, &sandbox.index_args(Some(&root), &[]));
    assert!(
        screen.contains("/400 files"),
        "files done of the total:\n{screen}"
    );
    assert!(
        screen.contains("statements"),
        "statements so far:\n{screen}"
    );
    assert!(screen.contains(" left"), "time left:\n{screen}");
    assert!(
        screen.contains("\x1b[2K"),
        "the bar redraws its line:\n{screen}"
    );
    assert!(
        screen.contains("+400 added"),
        "the summary line stays:\n{screen}"
    );
}

#[test]
fn progress_bar_is_hidden_by_quiet_and_in_a_pipe() {
    let sandbox = Sandbox::new();
    let root = corpus(&sandbox);
    let quiet = on_a_terminal(
        &sandbox,
        &sandbox.index_args(Some(&root), &["--quiet", "--full"]),
    );
    assert!(!quiet.contains("files,"), "--quiet on a terminal:\n{quiet}");
    assert!(!quiet.contains('\x1b'), "--quiet on a terminal:\n{quiet}");
    assert!(quiet.contains("+400 added"), "{quiet}");

    let piped = sandbox.try_index(Some(&root), &["--full"]);
    piped.expect_code(0);
    assert!(
        !piped.stderr.contains("files,"),
        "stderr in a pipe:\n{}",
        piped.stderr
    );
    assert!(
        !piped.stderr.contains('\x1b'),
        "stderr in a pipe:\n{}",
        piped.stderr
    );
    assert_eq!(
        piped.stderr.lines().count(),
        1,
        "only the summary:\n{}",
        piped.stderr
    );
}
