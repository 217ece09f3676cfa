//! The shared harness: runs the `citeindex` binary hermetically (its own
//! temporary folder as the working directory and the index location, no
//! `CITEINDEX_INDEX` or `NO_COLOR` from the caller's environment), builds
//! temporary corpora, and answers questions about the sample corpus from the
//! facts in [`corpus`], which come from the corpus manifest. [`big`] generates
//! a corpus large enough to kill a run in the middle of, [`process`] runs the
//! binary in the background.

pub(crate) mod big;
pub(crate) mod corpus;
pub(crate) mod process;
pub(crate) mod quickwit;

use std::collections::BTreeSet;
use std::ffi::OsStr;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::SystemTime;

use serde_json::Value;
use tempfile::TempDir;

pub(crate) use corpus::{PageFacts, StatementFacts, ASSETS, HIDDEN, JUNK, PAGES};

/// What every test returns: `?` on anything that can fail.
pub(crate) type TestResult = Result<(), Box<dyn std::error::Error>>;

/// The sample corpus shipped with the repository.
pub(crate) fn sample_corpus() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("sample-corpus")
}

/// One finished run of the binary.
#[derive(Debug)]
pub(crate) struct Run {
    /// `None` when the process was killed by a signal.
    pub code: Option<i32>,
    pub stdout: String,
    pub stderr: String,
    args: Vec<String>,
}

impl Run {
    /// The whole run, for assertion messages.
    pub(crate) fn describe(&self) -> String {
        format!(
            "citeindex {}\n  exit code: {:?}\n  --- stdout ---\n{}\n  --- stderr ---\n{}",
            self.args.join(" "),
            self.code,
            self.stdout,
            self.stderr
        )
    }

    /// Asserts the exit code; returns the run for chaining.
    #[track_caller]
    pub(crate) fn expect_code(&self, code: i32) -> &Run {
        assert_eq!(
            self.code,
            Some(code),
            "expected exit code {code}\n{}",
            self.describe()
        );
        self
    }

    /// Every stdout line as JSON; fails on a line that is not JSON.
    #[track_caller]
    pub(crate) fn json_lines(&self) -> Vec<Value> {
        self.stdout
            .lines()
            .map(|line| {
                serde_json::from_str(line).unwrap_or_else(|e| {
                    panic!(
                        "stdout line is not JSON ({e}): {line:?}\n{}",
                        self.describe()
                    )
                })
            })
            .collect()
    }

    /// The stderr lines that start with `warning`.
    pub(crate) fn warnings(&self) -> Vec<&str> {
        self.stderr
            .lines()
            .filter(|l| l.trim_start().starts_with("warning"))
            .collect()
    }

    /// The summary of an `index` run: its last stderr line, which must have
    /// the documented form.
    #[track_caller]
    pub(crate) fn summary(&self) -> Summary {
        let last = self.stderr.lines().last().unwrap_or_default();
        Summary::parse(last).unwrap_or_else(|| {
            panic!(
                "the last stderr line is not a summary line\n{}",
                self.describe()
            )
        })
    }
}

/// The numbers of an `index` summary line,
/// `+1 added, ~1 changed, -1 removed, 20 unchanged, 7 skipped (0.01 s); the index holds 22 pages, 83 statements`,
/// with `, 3 page assets ignored` after the skipped files when there are any.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Summary {
    pub added: u64,
    pub changed: u64,
    pub removed: u64,
    pub unchanged: u64,
    pub skipped: u64,
    /// Files in saved pages' `NAME_files/` folders; 0 when the line names none.
    pub assets: u64,
    pub pages: u64,
    pub statements: u64,
}

impl Summary {
    /// Parses a summary line, or `None` when it is not one.
    pub(crate) fn parse(line: &str) -> Option<Summary> {
        // "1,234" -> 1234: digits, in groups of three when separated.
        fn number(text: &str) -> Option<u64> {
            let groups: Vec<&str> = text.split(',').collect();
            let (first, rest) = groups.split_first()?;
            let grouped = rest.is_empty() || (1..=3).contains(&first.len());
            if !grouped || rest.iter().any(|g| g.len() != 3) {
                return None;
            }
            let digits = groups.concat();
            if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
                return None;
            }
            digits.parse().ok()
        }
        // "+12 added" with the expected sign and word.
        fn count(part: &str, sign: &str, word: &str) -> Option<u64> {
            let (n, w) = part.strip_prefix(sign)?.split_once(' ')?;
            (w == word).then(|| number(n)).flatten()
        }
        let (before, after) = line.trim_end().split_once("; the index holds ")?;
        let (counts, seconds) = before.rsplit_once(" (")?;
        let seconds = seconds.strip_suffix(" s)")?;
        if seconds.parse::<f64>().is_err() {
            return None;
        }
        let parts: Vec<&str> = counts.split(", ").collect();
        let (parts, assets) = match parts.as_slice() {
            [first @ .., last] if last.ends_with(" page assets ignored") => {
                (first, Some(count(last, "", "page assets ignored")?))
            }
            all => (all, None),
        };
        // Zero assets is never written out.
        if assets == Some(0) {
            return None;
        }
        let [a, c, r, u, s] = parts else {
            return None;
        };
        let (pages, statements) = after.split_once(", ")?;
        Some(Summary {
            added: count(a, "+", "added")?,
            changed: count(c, "~", "changed")?,
            removed: count(r, "-", "removed")?,
            unchanged: count(u, "", "unchanged")?,
            skipped: count(s, "", "skipped")?,
            assets: assets.unwrap_or(0),
            pages: count(pages, "", "pages")?,
            statements: count(statements, "", "statements")?,
        })
    }
}

/// A temporary folder that is the working directory of every command a test
/// runs, and that holds the test's index and any corpus it builds.
pub(crate) struct Sandbox {
    dir: TempDir,
}

impl Sandbox {
    pub(crate) fn new() -> Sandbox {
        let dir = tempfile::Builder::new()
            .prefix("citeindex-it-")
            .tempdir()
            .expect("creating a temporary folder for the test");
        Sandbox { dir }
    }

    pub(crate) fn path(&self) -> &Path {
        self.dir.path()
    }

    /// Where this test's index lives (not created until a command creates it).
    pub(crate) fn index_dir(&self) -> PathBuf {
        self.path().join("index")
    }

    /// The binary with a clean environment and this sandbox as working directory.
    pub(crate) fn command<I, S>(&self, args: I) -> Command
    where
        I: IntoIterator<Item = S>,
        S: AsRef<OsStr>,
    {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_citeindex"));
        cmd.args(args)
            .env_remove("CITEINDEX_INDEX")
            .env_remove("NO_COLOR")
            .current_dir(self.path());
        cmd
    }

    /// Runs the binary with these arguments.
    #[track_caller]
    pub(crate) fn run<I, S>(&self, args: I) -> Run
    where
        I: IntoIterator<Item = S>,
        S: AsRef<OsStr>,
    {
        run_command(self.command(args))
    }

    /// Copies the sample corpus into the sandbox (for tests that change it).
    pub(crate) fn copy_sample_corpus(&self) -> PathBuf {
        let dest = self.path().join("corpus");
        copy_tree(&sample_corpus(), &dest);
        dest
    }

    /// `citeindex index CORPUS --index <sandbox>/index`, which must succeed.
    #[track_caller]
    pub(crate) fn index(&self, corpus: &Path) -> Run {
        let run = self.run([
            OsStr::new("index"),
            corpus.as_os_str(),
            OsStr::new("--index"),
            self.index_dir().as_os_str(),
        ]);
        run.expect_code(0);
        run
    }

    /// `citeindex index [CORPUS] --index <sandbox>/index EXTRA...`, whatever its exit code.
    #[track_caller]
    pub(crate) fn try_index(&self, corpus: Option<&Path>, extra: &[&str]) -> Run {
        self.run(self.index_args(corpus, extra))
    }

    /// The arguments of [`Sandbox::try_index`].
    pub(crate) fn index_args(
        &self,
        corpus: Option<&Path>,
        extra: &[&str],
    ) -> Vec<std::ffi::OsString> {
        let mut args = vec![std::ffi::OsString::from("index")];
        args.extend(corpus.map(|c| c.as_os_str().to_owned()));
        args.push("--index".into());
        args.push(self.index_dir().into_os_string());
        args.extend(extra.iter().map(std::ffi::OsString::from));
        args
    }

    /// The generation folders (and anything else named `gen-*`) in the
    /// index folder, sorted.
    #[track_caller]
    pub(crate) fn generations(&self) -> Vec<String> {
        let dir = self.index_dir();
        let mut names: Vec<String> = std::fs::read_dir(&dir)
            .unwrap_or_else(|e| panic!("reading {}: {e}", dir.display()))
            .map(|e| e.expect("reading the index folder").file_name())
            .filter_map(|n| n.to_str().map(str::to_string))
            .filter(|n| n.starts_with("gen-"))
            .collect();
        names.sort();
        names
    }

    /// The generation `CURRENT` names.
    #[track_caller]
    pub(crate) fn current_generation(&self) -> String {
        let path = self.index_dir().join("CURRENT");
        std::fs::read_to_string(&path)
            .unwrap_or_else(|e| panic!("reading {}: {e}", path.display()))
            .trim()
            .to_string()
    }

    /// `citeindex query --index <sandbox>/index ARGS...`.
    #[track_caller]
    pub(crate) fn query(&self, args: &[&str]) -> Run {
        let index = self.index_dir();
        let mut all: Vec<&OsStr> = vec![
            OsStr::new("query"),
            OsStr::new("--index"),
            index.as_os_str(),
        ];
        all.extend(args.iter().map(OsStr::new));
        self.run(all)
    }

    /// A `--json` query that must find something; its hits.
    #[track_caller]
    pub(crate) fn hits(&self, args: &[&str]) -> Vec<Value> {
        let mut all = args.to_vec();
        all.extend(["--json", "--limit", "1000"]);
        let run = self.query(&all);
        run.expect_code(0);
        run.json_lines()
    }

    /// Like [`Sandbox::hits`], but no hits (exit code 1) is allowed too.
    #[track_caller]
    pub(crate) fn hits_or_none(&self, args: &[&str]) -> Vec<Value> {
        let mut all = args.to_vec();
        all.extend(["--json", "--limit", "1000"]);
        let run = self.query(&all);
        match run.code {
            Some(0) => run.json_lines(),
            Some(1) => {
                assert!(run.stdout.is_empty(), "{}", run.describe());
                Vec::new()
            }
            _ => panic!("expected exit code 0 or 1\n{}", run.describe()),
        }
    }
}

/// Set (to anything but `0`) where `../shared/` must be present: `.ci/run`
/// sets it, so that CI can never pass the tests that need it by not running them.
const REQUIRE_SHARED: &str = "CITEINDEX_REQUIRE_SHARED";

/// A file of the project's workspace (`../shared/RELATIVE`), which a clone
/// of the repository does not have. Absent, the caller's checks do not run
/// and a note says so, unless [`REQUIRE_SHARED`] is set: then its absence
/// fails the test.
pub(crate) fn shared_file(relative: &str) -> Option<PathBuf> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../shared")
        .join(relative);
    if path.is_file() {
        return Some(path);
    }
    let required = std::env::var(REQUIRE_SHARED).is_ok_and(|v| !v.is_empty() && v != "0");
    assert!(
        !required,
        "{} is missing and {REQUIRE_SHARED} is set: this test needs it",
        path.display()
    );
    eprintln!(
        "note: {} is not here (a clone outside the project's workspace): its checks do not run",
        path.display()
    );
    None
}

/// A sandbox whose index holds the sample corpus.
#[track_caller]
pub(crate) fn indexed_sample() -> Sandbox {
    let sandbox = Sandbox::new();
    sandbox.index(&sample_corpus());
    sandbox
}

#[track_caller]
fn run_command(mut cmd: Command) -> Run {
    let args: Vec<String> = cmd
        .get_args()
        .map(|a| a.to_string_lossy().into_owned())
        .collect();
    let output = cmd
        .output()
        .unwrap_or_else(|e| panic!("cannot start citeindex {}: {e}", args.join(" ")));
    let run = Run {
        code: output.status.code(),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        args,
    };
    // No input may make the binary panic, whatever the exit code. (Rust
    // prints "thread '…' panicked at"; tantivy's error texts say "or panicked".)
    assert!(
        !run.stderr.contains("panicked at"),
        "the binary panicked\n{}",
        run.describe()
    );
    assert!(run.code.is_some(), "killed by a signal\n{}", run.describe());
    run
}

/// Runs a command built by the caller (extra environment, say).
#[track_caller]
pub(crate) fn run(cmd: Command) -> Run {
    run_command(cmd)
}

/// A file's modification time.
#[track_caller]
pub(crate) fn mtime(path: &Path) -> SystemTime {
    std::fs::metadata(path)
        .and_then(|m| m.modified())
        .unwrap_or_else(|e| panic!("reading the mtime of {}: {e}", path.display()))
}

/// Sets a file's modification time (explicitly, so tests do not depend on
/// the clock or the file system's time granularity).
#[track_caller]
pub(crate) fn set_mtime(path: &Path, time: SystemTime) {
    std::fs::File::options()
        .write(true)
        .open(path)
        .and_then(|f| f.set_modified(time))
        .unwrap_or_else(|e| panic!("setting the mtime of {}: {e}", path.display()));
}

/// Replaces a file's bytes by others of the same size and gives it back the
/// modification time it had, so that only reading it can tell the change.
#[track_caller]
pub(crate) fn swap_content_in_place(path: &Path, new_content: &[u8]) {
    let before = std::fs::read(path).unwrap_or_else(|e| panic!("reading {}: {e}", path.display()));
    assert_eq!(before.len(), new_content.len(), "same size, by design");
    assert_ne!(before, new_content, "different bytes, by design");
    let time = mtime(path);
    std::fs::write(path, new_content).unwrap_or_else(|e| panic!("writing {}: {e}", path.display()));
    set_mtime(path, time);
}

/// Files of a tantivy generation folder that its last commit (`meta.json`)
/// does not use: debris of a writer that died or failed.
#[track_caller]
pub(crate) fn unreferenced_files(generation: &Path) -> Vec<String> {
    let meta_path = generation.join("meta.json");
    let meta: Value = serde_json::from_str(
        &std::fs::read_to_string(&meta_path)
            .unwrap_or_else(|e| panic!("reading {}: {e}", meta_path.display())),
    )
    .unwrap_or_else(|e| panic!("{} is not JSON: {e}", meta_path.display()));
    // A segment's files are `<id>.<ext>`, its deletes `<id>.<opstamp>.del`.
    let mut used = BTreeSet::new();
    for segment in meta["segments"].as_array().into_iter().flatten() {
        let id = segment["segment_id"]
            .as_str()
            .unwrap_or_default()
            .replace('-', "");
        for ext in ["fast", "fieldnorm", "idx", "pos", "store", "term"] {
            used.insert(format!("{id}.{ext}"));
        }
        if let Some(opstamp) = segment["deletes"]["opstamp"].as_u64() {
            used.insert(format!("{id}.{opstamp}.del"));
        }
    }
    let mut unused: Vec<String> = std::fs::read_dir(generation)
        .unwrap_or_else(|e| panic!("reading {}: {e}", generation.display()))
        .map(|e| e.expect("reading a generation folder").file_name())
        .filter_map(|n| n.to_str().map(str::to_string))
        .filter(|n| !n.starts_with('.') && n != "meta.json" && !used.contains(n))
        .collect();
    unused.sort();
    unused
}

/// Copies a folder recursively, hidden entries included.
pub(crate) fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap_or_else(|e| panic!("creating {}: {e}", to.display()));
    let entries =
        std::fs::read_dir(from).unwrap_or_else(|e| panic!("reading {}: {e}", from.display()));
    for entry in entries {
        let entry = entry.unwrap_or_else(|e| panic!("reading {}: {e}", from.display()));
        let source = entry.path();
        let target = to.join(entry.file_name());
        if source.is_dir() {
            copy_tree(&source, &target);
        } else {
            std::fs::copy(&source, &target).unwrap_or_else(|e| {
                panic!("copying {} to {}: {e}", source.display(), target.display())
            });
        }
    }
}

// ---------------------------------------------------------------------------
// The sample corpus as the manifest describes it.

/// The statements of the corpus, as the manifest describes them, with the page they sit on.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Stmt {
    pub page: &'static PageFacts,
    /// 0-based index on the page.
    pub index: usize,
    pub facts: &'static StatementFacts,
}

/// A statement's identity across files: (lowercased DOI, text with white space collapsed).
pub(crate) type Key = (Option<String>, String);

impl Stmt {
    /// `P01 S3`, for messages.
    pub(crate) fn label(&self) -> String {
        format!("{} S{}", self.page.id, self.index + 1)
    }

    pub(crate) fn position(&self) -> u64 {
        self.index as u64 + 1
    }

    pub(crate) fn doi(&self) -> Option<String> {
        self.page.doi_as_written.map(str::to_lowercase)
    }

    /// The type as the index stores it: `contradicting`/`disputing` are `contrasting`.
    pub(crate) fn kind(&self) -> Option<&'static str> {
        self.facts.type_as_written.map(normalize_type)
    }

    pub(crate) fn key(&self) -> Key {
        (self.doi(), collapse(self.facts.text))
    }

    /// Folded tokens of the fields a query searches by default: statement,
    /// title, section heading and cited authors.
    pub(crate) fn default_field_tokens(&self) -> Vec<String> {
        let mut all = tokens(self.facts.text);
        all.extend(tokens(self.page.title));
        if let Some(s) = self.facts.section {
            all.extend(tokens(s));
        }
        for (author, _) in self.facts.cited {
            all.extend(tokens(author));
        }
        all
    }

    /// Whether a token starting with `stem` is in a default field.
    pub(crate) fn mentions(&self, stem: &str) -> bool {
        self.default_field_tokens()
            .iter()
            .any(|t| t.starts_with(stem))
    }

    /// Whether the statement cites an author whose folded name is `name` (folded).
    pub(crate) fn cites(&self, name: &str) -> bool {
        let name = fold(name);
        self.facts.cited.iter().any(|(a, _)| fold(a) == name)
    }
}

pub(crate) fn normalize_type(word: &str) -> &str {
    match word {
        "contradicting" | "disputing" => "contrasting",
        other => other,
    }
}

/// Every statement of every indexed page, copies included.
pub(crate) fn all_statements() -> Vec<Stmt> {
    PAGES
        .iter()
        .flat_map(|page| {
            page.statements
                .iter()
                .enumerate()
                .map(move |(index, facts)| Stmt { page, index, facts })
        })
        .collect()
}

/// One statement per distinct (DOI, text): what a query may return.
pub(crate) fn unique_statements() -> Vec<Stmt> {
    let mut seen = BTreeSet::new();
    all_statements()
        .into_iter()
        .filter(|s| seen.insert(s.key()))
        .collect()
}

/// The distinct statements a predicate selects.
pub(crate) fn expected<F: Fn(&Stmt) -> bool>(pred: F) -> Vec<Stmt> {
    unique_statements()
        .into_iter()
        .filter(|s| pred(s))
        .collect()
}

/// White space runs (line breaks, no-break spaces) as one space, trimmed.
pub(crate) fn collapse(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Lowercase with the diacritics of the corpus removed.
pub(crate) fn fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.to_lowercase().chars() {
        let folded = match c {
            'á' | 'à' | 'â' | 'ä' | 'å' | 'ã' | 'ą' => "a",
            'é' | 'è' | 'ê' | 'ë' | 'ę' => "e",
            'í' | 'ì' | 'î' | 'ï' => "i",
            'ó' | 'ò' | 'ô' | 'ö' | 'ø' | 'õ' => "o",
            'ú' | 'ù' | 'û' | 'ü' => "u",
            'ñ' | 'ń' => "n",
            'ç' | 'ć' => "c",
            'ś' => "s",
            'ł' => "l",
            'ź' | 'ż' => "z",
            'ð' => "d",
            _ => {
                out.push(c);
                continue;
            }
        };
        out.push_str(folded);
    }
    out
}

/// Folded words, split where tantivy's tokenizers split: at anything not alphanumeric.
pub(crate) fn tokens(text: &str) -> Vec<String> {
    fold(text)
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect()
}

/// The fewest words between a token starting with `first` and a later token
/// starting with `second` in `text`, or `None` when `second` never follows `first`.
pub(crate) fn gap_between(text: &str, first: &str, second: &str) -> Option<usize> {
    let words = tokens(text);
    let mut best = None;
    for (i, w) in words.iter().enumerate() {
        if !w.starts_with(first) {
            continue;
        }
        if let Some(j) = words[i + 1..].iter().position(|v| v.starts_with(second)) {
            best = Some(best.map_or(j, |b: usize| b.min(j)));
        }
    }
    best
}

/// The identity of a JSON hit.
#[track_caller]
pub(crate) fn hit_key(hit: &Value) -> Key {
    let doi = hit["doi"].as_str().map(str::to_lowercase);
    let text = hit["text"]
        .as_str()
        .unwrap_or_else(|| panic!("hit without text: {hit}"));
    (doi, collapse(text))
}

/// The manifest statement a hit is, if any.
pub(crate) fn statement_of(hit: &Value) -> Option<Stmt> {
    let key = hit_key(hit);
    unique_statements().into_iter().find(|s| s.key() == key)
}

fn label_of(hit: &Value) -> String {
    statement_of(hit).map_or_else(|| format!("unknown statement {hit}"), |s| s.label())
}

/// Asserts that the hits are exactly the expected statements, each once.
#[track_caller]
pub(crate) fn assert_same_statements(hits: &[Value], expected: &[Stmt], context: &str) {
    let got: Vec<Key> = hits.iter().map(hit_key).collect();
    let got_set: BTreeSet<Key> = got.iter().cloned().collect();
    let want: BTreeSet<Key> = expected.iter().map(Stmt::key).collect();
    let mut problems = String::new();
    if got_set.len() != got.len() {
        let _ = writeln!(problems, "  a statement came back more than once");
    }
    for hit in hits {
        if !want.contains(&hit_key(hit)) {
            let _ = writeln!(problems, "  unexpected: {}", label_of(hit));
        }
    }
    for s in expected {
        if !got_set.contains(&s.key()) {
            let _ = writeln!(problems, "  missing:    {}", s.label());
        }
    }
    assert!(
        problems.is_empty(),
        "{context}: hits differ from the manifest\n{problems}  got: {:?}\n  expected: {:?}",
        hits.iter().map(label_of).collect::<Vec<_>>(),
        expected.iter().map(Stmt::label).collect::<Vec<_>>()
    );
}
