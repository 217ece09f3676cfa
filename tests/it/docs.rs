//! `citeindex completions` and `citeindex man`, and the help text: generated
//! from the command-line definition, so they must name every command and flag.

use crate::common::Sandbox;

const COMMANDS: [&str; 7] = [
    "index",
    "query",
    "papers",
    "stats",
    "parse",
    "completions",
    "man",
];

#[test]
fn completions_for_every_shell_name_the_commands_and_flags() {
    let sandbox = Sandbox::new();
    for shell in ["bash", "zsh", "fish", "elvish", "powershell"] {
        let run = sandbox.run(["completions", shell]);
        run.expect_code(0);
        // Flags without their dashes: fish writes `-l facets`.
        for word in COMMANDS
            .iter()
            .chain(&["facets", "sort", "explain", "index"])
        {
            assert!(run.stdout.contains(word), "{shell} completion lacks {word}");
        }
    }
    let bash = sandbox.run(["completions", "bash"]);
    for order in ["relevance", "year", "confidence"] {
        assert!(bash.stdout.contains(order), "bash completes --sort {order}");
    }
    // The bash script is valid bash.
    let script = sandbox.path().join("citeindex.bash");
    std::fs::write(&script, &bash.stdout).expect("writing the script");
    let check = std::process::Command::new("bash")
        .arg("-n")
        .arg(&script)
        .output()
        .expect("running bash -n");
    assert!(check.status.success(), "{check:?}");
}

#[test]
fn an_unknown_shell_is_a_usage_error() {
    let run = Sandbox::new().run(["completions", "tcsh"]);
    run.expect_code(2);
    assert!(
        run.stderr.contains("bash"),
        "lists the shells: {}",
        run.stderr
    );
}

#[test]
fn man_prints_a_page_or_writes_one_per_command() {
    let sandbox = Sandbox::new();
    let page = sandbox.run(["man"]);
    page.expect_code(0);
    assert!(page.stdout.contains(".TH citeindex 1"), "{}", page.stdout);
    for command in COMMANDS {
        let entry = format!("citeindex\\-{command}(1)");
        assert!(page.stdout.contains(&entry), "lists {entry}");
    }

    let dir = sandbox.path().join("man1");
    sandbox
        .run(["man", "--out", dir.to_str().expect("UTF-8")])
        .expect_code(0);
    for command in COMMANDS {
        let path = dir.join(format!("citeindex-{command}.1"));
        let text =
            std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        assert!(
            text.starts_with(".ie") && text.contains(".TH"),
            "{}",
            path.display()
        );
    }
    let query = std::fs::read_to_string(dir.join("citeindex-query.1")).expect("the query page");
    for flag in ["facets", "explain", "sort", "offset"] {
        assert!(query.contains(flag), "the query page documents --{flag}");
    }
}

#[test]
fn every_command_has_help_with_examples() {
    let sandbox = Sandbox::new();
    for command in COMMANDS {
        let run = sandbox.run([command, "--help"]);
        run.expect_code(0);
        assert!(
            run.stdout.contains("Examples:"),
            "`{command} --help`:\n{}",
            run.stdout
        );
    }
}

/// The section buckets come from one list in the parser; the help shows it
/// as it is, and the README and the format notes must name every bucket.
#[test]
fn every_section_bucket_is_in_the_help_the_readme_and_the_format_notes() {
    use citeindex::page::SectionBucket;
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let help = Sandbox::new().run(["query", "--help"]);
    help.expect_code(0);
    let readme = std::fs::read_to_string(root.join("README.md")).expect("README.md");
    let section_row = readme
        .lines()
        .find(|l| l.starts_with("| `--section"))
        .expect("README's --section row");
    let formats = std::fs::read_to_string(root.join("docs/page-formats.md")).expect("notes");
    for bucket in SectionBucket::ALL {
        let name = bucket.as_str();
        assert!(help.stdout.contains(name), "query --help lacks {name}");
        assert!(
            section_row.contains(&format!("`{name}`")),
            "README lacks {name}"
        );
        assert!(formats.contains(name), "docs/page-formats.md lacks {name}");
    }
}
