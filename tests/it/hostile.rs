//! Hostile input, through the binary: files that are not what their names
//! say, files that change or vanish while a run reads them, pathological
//! pages, abusive queries and broken index folders.
//!
//! Whatever the input, a run must end (each one here has a deadline and is
//! killed and failed past it), must not panic, and must say what it skipped or
//! refused. Each corpus holds two good sample pages beside the hostile entry;
//! after every run they must be indexed and searchable, the bad entry named in
//! exactly one warning line with a reason, and the exit code 0.
//!
//! The tests run as root, which ignores permission bits, so nothing here relies
//! on `chmod`: an unreadable file is a link to a file the kernel refuses even
//! to root (`/proc/sys/vm/drop_caches`, write-only), and "not a regular file"
//! is a FIFO or a socket.

use std::ffi::{OsStr, OsString};
use std::fs;
use std::io::Write as _;
use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::symlink;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::common::big;
use crate::common::process::{Background, Ending, Tmpfs};
use crate::common::{
    assert_same_statements, expected, sample_corpus, Run, Sandbox, Summary, TestResult,
};

/// How long one run may take before it counts as a hang.
const DEADLINE: Duration = Duration::from_secs(20);

/// The deadline of runs that take a second or less unless they hang, so
/// that a hang fails the test sooner.
const SHORT_DEADLINE: Duration = Duration::from_secs(10);

/// The good pages of every hostile corpus, copied flat into its root.
const TREES: &str = "ecology/urban-heat-island-street-trees-2020.txt";
const TREES_DOI: &str = "10.5555/urb.2020.1187";
const GPX4: &str = "html/gpx4-persister-cells-2016.htm";
const GPX4_DOI: &str = "10.5555/gen.2016.0410";

/// The statements of the two good pages.
fn good_statements() -> u64 {
    expected(|s| s.page.path == TREES || s.page.path == GPX4).len() as u64
}

/// What a first run over the good pages and `skipped` bad entries gives.
fn good_summary(skipped: u64) -> Summary {
    Summary {
        added: 2,
        skipped,
        pages: 2,
        statements: good_statements(),
        ..Summary::default()
    }
}

/// A report page in the FORMAT.md layout, about `doi`, whose two statements
/// hold `word`.
fn page_text(doi: &str, word: &str) -> String {
    format!(
        "2024\nDOI: {doi}\n|View full text |Cite\n|\nSign up to set email alerts\n|\n\n\
         A page written by the hostile tests about {word}\n\n\
         Abstract: Written for the hostile tests. Show more\n\n\
         citations\nCited by 2 publications\n(2 citation statements)\n\
         references\nReferences 5 publications\n\
         “…The first statement about {word} cites a study (Okafor et al., 2020).…”\n\
         Section: Introductionmentioning\nconfidence: 90%\n\
         “…A second statement mentions {word} again (Lindqvist & Haddad, 2006).…”\n\
         Section: Discussionsupporting\nconfidence: 80%\n"
    )
}

/// A sandbox with a corpus of the two good pages, to which a test adds its
/// hostile entries.
struct Hostile {
    sandbox: Sandbox,
    corpus: PathBuf,
}

impl Hostile {
    fn new() -> std::io::Result<Hostile> {
        let sandbox = Sandbox::new();
        let corpus = sandbox.path().join("corpus");
        fs::create_dir(&corpus)?;
        for page in [TREES, GPX4] {
            let name = Path::new(page).file_name().unwrap_or(OsStr::new(page));
            fs::copy(sample_corpus().join(page), corpus.join(name))?;
        }
        Ok(Hostile { sandbox, corpus })
    }

    fn join(&self, name: impl AsRef<Path>) -> PathBuf {
        self.corpus.join(name)
    }

    /// `citeindex index CORPUS --index … EXTRA...` within the deadline, whatever its exit code.
    #[track_caller]
    fn index(&self, extra: &[&str]) -> Run {
        self.index_within(extra, DEADLINE)
    }

    #[track_caller]
    fn index_within(&self, extra: &[&str], limit: Duration) -> Run {
        let args = self.sandbox.index_args(Some(&self.corpus), extra);
        run_within(&self.sandbox, args, limit)
    }

    /// A query within the deadline, whatever its exit code.
    #[track_caller]
    fn query(&self, args: &[&str]) -> Run {
        query_within(&self.sandbox, args)
    }

    /// The two good pages are indexed, with all their statements, and found
    /// by their words.
    #[track_caller]
    fn assert_good_pages_searchable(&self) {
        for (path, doi) in [(TREES, TREES_DOI), (GPX4, GPX4_DOI)] {
            let want = expected(|s| s.page.path == path);
            let got = self.sandbox.hits(&["*", "--doi", doi]);
            assert_same_statements(&got, &want, path);
        }
        for (word, doi) in [("impervious", TREES_DOI), ("persister", GPX4_DOI)] {
            let hits = self.sandbox.hits(&[word]);
            assert!(
                hits.iter().any(|h| h["doi"].as_str() == Some(doi)),
                "`{word}` does not find {doi}: {hits:?}"
            );
        }
    }
}

/// Runs the binary in the background; past `limit` it is killed and the test
/// fails, so a hang is a failure rather than a stuck test run.
#[track_caller]
fn run_within<I, S>(sandbox: &Sandbox, args: I, limit: Duration) -> Run
where
    I: IntoIterator<Item = S>,
    S: AsRef<OsStr>,
{
    let args: Vec<OsString> = args.into_iter().map(|a| a.as_ref().to_owned()).collect();
    let mut shown: String = args
        .iter()
        .map(|a| a.to_string_lossy())
        .collect::<Vec<_>>()
        .join(" ");
    if shown.len() > 300 {
        let mut end = 300;
        while !shown.is_char_boundary(end) {
            end -= 1;
        }
        shown.truncate(end);
        shown.push('…');
    }
    finish_within(sandbox.spawn(&args), limit, &format!("citeindex {shown}"))
}

/// Waits for a run started in the background; past `limit` it is killed and
/// the test fails.
#[track_caller]
fn finish_within(mut process: Background, limit: Duration, what: &str) -> Run {
    loop {
        if !process.running() {
            return process.finish();
        }
        if process.elapsed() > limit {
            return match process.kill_now() {
                Ending::Finished(run) => run,
                Ending::Killed { after } => panic!("{what} did not finish: killed after {after:?}"),
            };
        }
        std::thread::sleep(Duration::from_millis(5));
    }
}

/// `citeindex query --index <sandbox>/index ARGS...` within the deadline.
#[track_caller]
fn query_within(sandbox: &Sandbox, args: &[&str]) -> Run {
    let mut all: Vec<OsString> = vec![
        "query".into(),
        "--index".into(),
        sandbox.index_dir().into_os_string(),
    ];
    all.extend(args.iter().map(OsString::from));
    run_within(sandbox, all, DEADLINE)
}

/// Asserts that exactly one warning line names the file `name` (its last
/// path component, as displayed) and gives a reason mentioning `why`.
#[track_caller]
fn assert_warned_once(run: &Run, name: &str, why: &str) {
    let tag = format!("/{name}:");
    let naming: Vec<&str> = run
        .warnings()
        .into_iter()
        .filter(|w| w.contains(&tag))
        .collect();
    assert_eq!(
        naming.len(),
        1,
        "exactly one warning must name {name}\n{}",
        run.describe()
    );
    let reason = naming[0]
        .split_once(&tag)
        .map_or("", |(_, rest)| rest)
        .trim();
    assert!(
        reason.split_whitespace().count() >= 2 && reason.to_lowercase().contains(why),
        "the warning for {name} must give a reason mentioning `{why}`: {:?}",
        naming[0]
    );
}

/// What every run over a hostile corpus must show: exit code 0, each bad
/// entry in exactly one warning with its reason, no other warning, and the
/// good pages searchable.
#[track_caller]
fn assert_survived(h: &Hostile, run: &Run, bad: &[(&str, &str)]) {
    run.expect_code(0);
    for (name, why) in bad {
        assert_warned_once(run, name, why);
    }
    assert_eq!(
        run.warnings().len(),
        bad.len(),
        "a warning for each bad entry and nothing else\n{}",
        run.describe()
    );
    h.assert_good_pages_searchable();
}

/// `hay` with every `from` replaced by `to`.
fn replace_bytes(hay: &[u8], from: &[u8], to: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(hay.len());
    let mut rest = hay;
    while let Some(at) = rest.windows(from.len()).position(|w| w == from) {
        out.extend_from_slice(&rest[..at]);
        out.extend_from_slice(to);
        rest = &rest[at + from.len()..];
    }
    out.extend_from_slice(rest);
    out
}

/// `mkfifo PATH` (std has no call for it).
#[track_caller]
fn mkfifo(path: &Path) {
    let status = Command::new("mkfifo")
        .arg(path)
        .status()
        .unwrap_or_else(|e| panic!("cannot run mkfifo: {e}"));
    assert!(status.success(), "mkfifo {} failed", path.display());
}

/// The hits of a `--json` query that must find something.
#[track_caller]
fn json_hits(run: &Run) -> Vec<Value> {
    run.expect_code(0);
    run.json_lines()
}

// ---------------------------------------------------------------------------
// Hostile files.

/// `page` with three bytes no UTF-8 has inserted after `word` in its first statement.
fn with_bad_bytes(page: &str, word: &str) -> Result<Vec<u8>, Box<dyn std::error::Error>> {
    let statement = page.find('“').ok_or("the page has a statement")?;
    let at = page[statement..]
        .find(word)
        .ok_or("the first statement holds the word")?
        + statement
        + word.len();
    let mut bytes = page.as_bytes().to_vec();
    bytes.splice(at..at, b" \xff\xfe\xc3 zzafterbad".iter().copied());
    Ok(bytes)
}

#[test]
fn invalid_utf8_in_the_middle_of_a_page_is_replaced_and_the_page_kept() -> TestResult {
    let h = Hostile::new()?;
    // A sample page under its own DOI, and a short page with fewer other
    // non-ASCII characters (its quotes) to outweigh the bad bytes.
    let trees = fs::read_to_string(sample_corpus().join(TREES))?
        .replace(TREES_DOI, "10.7777/bad.utf8.long")
        .replace("impervious", "zzbadlong");
    fs::write(
        h.join("bad-utf8-long.txt"),
        with_bad_bytes(&trees, "zzbadlong")?,
    )?;
    let short = page_text("10.7777/bad.utf8.short", "zzbadshort");
    fs::write(
        h.join("bad-utf8-short.txt"),
        with_bad_bytes(&short, "zzbadshort")?,
    )?;

    let run = h.index(&[]);
    for (name, doi, word, statements) in [
        (
            "bad-utf8-long.txt",
            "10.7777/bad.utf8.long",
            "zzbadlong",
            expected(|s| s.page.path == TREES).len(),
        ),
        (
            "bad-utf8-short.txt",
            "10.7777/bad.utf8.short",
            "zzbadshort",
            2,
        ),
    ] {
        run.expect_code(0);
        assert_warned_once(&run, name, "utf-8");
        let all = json_hits(&h.query(&["*", "--doi", doi, "--json"]));
        assert_eq!(all.len(), statements, "{name} keeps every statement");
        let hits: Vec<Value> = json_hits(&h.query(&["zzafterbad", "--json", "--doi", doi]));
        assert_eq!(hits.len(), 1, "{name}: {hits:?}");
        let text = hits[0]["text"].as_str().ok_or("a hit has text")?;
        assert!(
            text.contains(&format!("{word} \u{FFFD}")) && text.contains("\u{FFFD} zzafterbad"),
            "{name}: the bad bytes are replaced, the words around them kept: {text:?}"
        );
    }
    assert_survived(
        &h,
        &run,
        &[
            ("bad-utf8-long.txt", "utf-8"),
            ("bad-utf8-short.txt", "utf-8"),
        ],
    );
    assert_eq!(
        run.summary(),
        Summary {
            added: 4,
            pages: 4,
            statements: good_statements() + expected(|s| s.page.path == TREES).len() as u64 + 2,
            ..Summary::default()
        },
        "{}",
        run.describe()
    );
    Ok(())
}

#[test]
fn nul_filled_file_is_skipped_as_binary() -> TestResult {
    let h = Hostile::new()?;
    fs::write(h.join("x.txt"), vec![0u8; 1 << 20])?;
    let run = h.index(&[]);
    assert_survived(&h, &run, &[("x.txt", "binary")]);
    assert_eq!(run.summary(), good_summary(1), "{}", run.describe());
    Ok(())
}

#[test]
fn file_over_the_size_limit_is_skipped_and_the_default_limit_is_documented() -> TestResult {
    let h = Hostile::new()?;
    // A good page made 20 KB long by its abstract.
    let long_abstract = format!("Abstract: {}Show more", "filler words ".repeat(1600));
    let page = page_text("10.7777/too.large", "zztoolarge").replace(
        "Abstract: Written for the hostile tests. Show more",
        &long_abstract,
    );
    assert!(page.len() > 20_000);
    fs::write(h.join("large.txt"), &page)?;

    let run = h.index(&["--max-file-size", "10000"]);
    assert_survived(&h, &run, &[("large.txt", "limit")]);
    assert_eq!(run.summary(), good_summary(1), "{}", run.describe());
    h.query(&["zztoolarge"]).expect_code(1);

    // Under the default limit the same file is read: a skip for size is not
    // remembered as junk.
    let run = h.index(&[]);
    run.expect_code(0);
    assert!(run.warnings().is_empty(), "{}", run.describe());
    assert_eq!(json_hits(&h.query(&["zztoolarge", "--json"])).len(), 2);

    let help = run_within(&h.sandbox, ["index", "--help"], DEADLINE);
    help.expect_code(0);
    let line = help
        .stdout
        .lines()
        .find(|l| l.contains("--max-file-size"))
        .ok_or_else(|| format!("no --max-file-size in the help\n{}", help.describe()))?;
    let documented = ["67108864", "64 MiB", "64MiB", "64 MB"];
    assert!(
        documented.iter().any(|d| help.stdout.contains(d)),
        "`index --help` states the default size limit: {line:?}\n{}",
        help.describe()
    );
    Ok(())
}

#[test]
fn html_nested_100000_levels_deep_neither_overflows_nor_loses_the_page() -> TestResult {
    const DEPTH: usize = 100_000;
    let h = Hostile::new()?;
    // The GPX4 page (Windows-1252) under its own DOI, its whole body nested
    // 100,000 deep.
    let html = replace_bytes(
        &fs::read(sample_corpus().join(GPX4))?,
        GPX4_DOI.as_bytes(),
        b"10.7777/deep.html",
    );
    let find = |what: &[u8]| {
        html.windows(what.len())
            .position(|w| w == what)
            .ok_or("the page has <body> and </body>")
    };
    let (open, close) = (find(b"<body>")? + b"<body>".len(), find(b"</body>")?);
    let mut deep = html[..open].to_vec();
    deep.extend("<div>".repeat(DEPTH).bytes());
    deep.extend(&html[open..close]);
    deep.extend("</div>".repeat(DEPTH).bytes());
    deep.extend(&html[close..]);
    fs::write(h.join("deep-page.html"), deep)?;
    // And nesting that is never closed, around words that are no page.
    let junk = format!(
        "<!DOCTYPE html><html><body>{}zzdeepjunk</body></html>",
        "<div><span><b>".repeat(DEPTH)
    );
    fs::write(h.join("deep-junk.html"), junk)?;

    let run = h.index(&[]);
    assert_survived(&h, &run, &[("deep-junk.html", "not a")]);
    assert_eq!(
        run.summary(),
        Summary {
            added: 3,
            skipped: 1,
            pages: 3,
            statements: good_statements() + expected(|s| s.page.path == GPX4).len() as u64,
            ..Summary::default()
        },
        "{}",
        run.describe()
    );
    let want = expected(|s| s.page.path == GPX4).len();
    let hits = json_hits(&h.query(&["*", "--doi", "10.7777/deep.html", "--json", "-n", "100"]));
    assert_eq!(hits.len(), want, "the deep page keeps all its statements");
    Ok(())
}

#[test]
fn page_with_100000_statements_is_indexed_in_reasonable_time() -> TestResult {
    const STATEMENTS: usize = 100_000;
    let h = Hostile::new()?;
    let mut page = String::from(
        "2024\nDOI: 10.7777/many.statements\n\nA page with a hundred thousand statements\n\n\
         Abstract: Generated. Show more\n\ncitations\nCited by 100001 publications\n",
    );
    for i in 0..STATEMENTS {
        page.push_str(&format!("“…S{i}.…”\n"));
    }
    page.push_str(
        "“…The last statement holds zzlaststatement (Lindqvist, 2019).…”\n\
         Section: Discussionsupporting\nconfidence: 80%\n",
    );
    fs::write(h.join("many.txt"), page)?;

    // A debug build takes about 15 s on two cores; minutes would be a bug.
    let started = Instant::now();
    let run = h.index_within(&[], Duration::from_secs(90));
    let took = started.elapsed();
    assert_survived(&h, &run, &[]);
    assert_eq!(
        run.summary(),
        Summary {
            added: 3,
            pages: 3,
            statements: good_statements() + STATEMENTS as u64 + 1,
            ..Summary::default()
        },
        "{}",
        run.describe()
    );
    let hits = json_hits(&h.query(&["zzlaststatement", "--json"]));
    assert_eq!(hits.len(), 1, "{hits:?}");
    assert_eq!(hits[0]["position"].as_u64(), Some(STATEMENTS as u64 + 1));
    eprintln!("100,000 statements indexed in {took:?}");
    Ok(())
}

#[test]
fn ten_megabyte_line_inside_a_page_is_indexed() -> TestResult {
    let h = Hostile::new()?;
    // One statement on one 10 MB line: a word, one 10 MB run of letters
    // (longer than any token the index keeps), a word.
    let line = format!(
        "“…zzlinehead {} zzlinetail (Okafor et al., 2020).…”",
        "x".repeat(10 << 20)
    );
    let page = page_text("10.7777/long.line", "zzlongline").replace(
        "“…A second statement mentions zzlongline again (Lindqvist & Haddad, 2006).…”",
        &line,
    );
    assert!(page.len() > 10 << 20);
    fs::write(h.join("long-line.txt"), page)?;

    let run = h.index_within(&[], Duration::from_secs(60));
    assert_survived(&h, &run, &[]);
    assert_eq!(
        run.summary(),
        Summary {
            added: 3,
            pages: 3,
            statements: good_statements() + 2,
            ..Summary::default()
        },
        "{}",
        run.describe()
    );
    // The word after the long run was indexed: parsing went on past it.
    // (One query: each hit carries the 10 MB statement.)
    let hits = json_hits(&h.query(&["zzlinetail", "--json"]));
    assert_eq!(hits.len(), 1, "`zzlinetail` finds the long statement");
    assert_eq!(hits[0]["doi"].as_str(), Some("10.7777/long.line"));
    assert_eq!(hits[0]["position"].as_u64(), Some(2));
    let text = hits[0]["text"].as_str().ok_or("a hit has text")?;
    assert!(text.starts_with("zzlinehead xxx") && text.len() > 10 << 20);
    Ok(())
}

#[test]
fn symlink_loop_and_dangling_symlink_are_each_warned_about_once() -> TestResult {
    let h = Hostile::new()?;
    fs::create_dir(h.join("sub"))?;
    symlink("..", h.join("sub/loop"))?;
    symlink("nowhere.txt", h.join("dangling.txt"))?;
    let run = h.index(&[]);
    assert_survived(&h, &run, &[("loop", "loop"), ("dangling.txt", "dangling")]);
    // Followed once, the loop would have doubled the pages.
    assert_eq!(run.summary(), good_summary(2), "{}", run.describe());
    Ok(())
}

#[test]
fn fifo_named_page_txt_is_skipped_not_opened() -> TestResult {
    // Opening a FIFO blocks until a writer comes: the crawler must not.
    let h = Hostile::new()?;
    mkfifo(&h.join("page.txt"));
    let run = h.index(&[]);
    assert_survived(&h, &run, &[("page.txt", "regular file")]);
    assert_eq!(run.summary(), good_summary(1), "{}", run.describe());
    Ok(())
}

#[test]
fn socket_is_skipped_as_not_a_regular_file() -> TestResult {
    let h = Hostile::new()?;
    let _socket = std::os::unix::net::UnixListener::bind(h.join("sock.txt"))?;
    let run = h.index(&[]);
    assert_survived(&h, &run, &[("sock.txt", "regular file")]);
    assert_eq!(run.summary(), good_summary(1), "{}", run.describe());
    Ok(())
}

/// A regular file that even root cannot read: the kernel refuses to read the
/// write-only `drop_caches` to anyone.
const UNREADABLE: &str = "/proc/sys/vm/drop_caches";

#[test]
fn unreadable_file_is_skipped_with_permission_denied() -> TestResult {
    match fs::File::open(UNREADABLE) {
        Err(e) if e.kind() == std::io::ErrorKind::PermissionDenied => {}
        other => panic!(
            "this test needs {UNREADABLE} to refuse reading, as Linux does even to root: {other:?}"
        ),
    }
    let h = Hostile::new()?;
    symlink(UNREADABLE, h.join("locked.txt"))?;
    let run = h.index(&[]);
    assert_survived(&h, &run, &[("locked.txt", "permission")]);
    assert_eq!(run.summary(), good_summary(1), "{}", run.describe());
    // Not remembered as junk: tried (and reported) again on the next run.
    let again = h.index(&[]);
    assert_survived(&h, &again, &[("locked.txt", "permission")]);
    Ok(())
}

/// Pages of the generated corpus of the two "while it runs" tests: enough that
/// a debug build reads them for about a second.
const RACE_PAGES: usize = 400;

/// The generated pages that are read last: a run reads its files in path
/// order, and its walk of the folder runs thousands of files ahead of the
/// parsers, so these are listed long before they are read.
fn read_last() -> Vec<usize> {
    (RACE_PAGES - 24..RACE_PAGES).collect()
}

/// Bytes `pid` has read so far (`rchar` of `/proc/PID/io`), if known.
fn bytes_read(pid: u32) -> Option<u64> {
    let io = fs::read_to_string(format!("/proc/{pid}/io")).ok()?;
    io.lines()
        .find_map(|l| l.strip_prefix("rchar:"))
        .and_then(|n| n.trim().parse().ok())
}

/// Waits until the run has read a few dozen pages: its listing is done, and
/// the pages of [`read_last`] are still unread.
fn wait_until_reading(process: &mut Background) {
    // A run reads about 20 KB of its own before the first page.
    const READ_PAGES: u64 = 64 * 1024;
    let pid = process.pid();
    let deadline = Instant::now() + DEADLINE;
    while process.running() && Instant::now() < deadline {
        if bytes_read(pid).is_some_and(|n| n > READ_PAGES) {
            return;
        }
        std::thread::sleep(Duration::from_millis(1));
    }
}

#[test]
fn file_deleted_between_listing_and_reading_is_a_warning_not_a_crash() -> TestResult {
    // The moment cannot be chosen from outside, so the test deletes the pages
    // read last once the run has started reading, and accepts each one being
    // indexed (read before it went) or warned about (gone when read).
    let h = Hostile::new()?;
    big::write_pages(&h.corpus, 0..RACE_PAGES);
    let mut process = h.sandbox.spawn(h.sandbox.index_args(Some(&h.corpus), &[]));
    wait_until_reading(&mut process);
    let doomed = read_last();
    for &n in &doomed {
        fs::remove_file(big::page_path(&h.corpus, n))?;
    }
    let run = finish_within(process, DEADLINE, "the run whose pages were deleted");
    run.expect_code(0);
    h.assert_good_pages_searchable();
    let found = big::found_pages(&h.sandbox, &doomed);
    let mut vanished = 0;
    for &n in &doomed {
        let name = format!("page-{n:05}.txt");
        let warned = run.warnings().iter().filter(|w| w.contains(&name)).count();
        assert!(warned <= 1, "{name} warned about twice\n{}", run.describe());
        if warned == 1 {
            assert!(!found.contains(&n), "{name} both indexed and warned about");
            assert_warned_once(&run, &name, "vanished");
            vanished += 1;
        }
    }
    let summary = run.summary();
    assert_eq!(
        (summary.pages, summary.skipped),
        (
            2 + (RACE_PAGES - doomed.len() + found.len()) as u64,
            vanished
        ),
        "(pages, skipped): the pages indexed, the deleted ones warned about\n{}",
        run.describe()
    );
    let kept: Vec<usize> = (0..RACE_PAGES).filter(|n| !doomed.contains(n)).collect();
    let sample = big::spread(0..kept.len(), 24)
        .into_iter()
        .map(|i| kept[i])
        .collect::<Vec<_>>();
    assert_eq!(big::found_pages(&h.sandbox, &sample).len(), sample.len());
    eprintln!(
        "{vanished} of {} deleted pages were listed and then found gone",
        doomed.len()
    );

    // The next run removes what was indexed of them, and warns no more.
    let next = h.index(&[]);
    assert_survived(&h, &next, &[]);
    assert_eq!(
        (next.summary().removed, next.summary().pages),
        (found.len() as u64, 2 + (RACE_PAGES - doomed.len()) as u64),
        "{}",
        next.describe()
    );
    assert!(big::found_pages(&h.sandbox, &doomed).is_empty());
    Ok(())
}

#[test]
fn page_replaced_by_a_fifo_after_listing_does_not_hang_the_run() -> TestResult {
    // The listing saw regular files; opening one that has become a FIFO
    // since would block until a writer comes, which is never.
    let h = Hostile::new()?;
    big::write_pages(&h.corpus, 0..RACE_PAGES);
    let mut process = h.sandbox.spawn(h.sandbox.index_args(Some(&h.corpus), &[]));
    wait_until_reading(&mut process);
    let swapped = read_last();
    for &n in &swapped {
        // Made beside and renamed over the page: the swap is atomic, so a
        // reader sees the page or the FIFO, never a missing file.
        let path = big::page_path(&h.corpus, n);
        let fifo = path.with_extension("fifo-tmp");
        mkfifo(&fifo);
        fs::rename(&fifo, &path)?;
    }
    let run = finish_within(
        process,
        SHORT_DEADLINE,
        "the run over pages that became FIFOs after the listing",
    );
    run.expect_code(0);
    h.assert_good_pages_searchable();
    let found = big::found_pages(&h.sandbox, &swapped);
    for &n in swapped.iter().filter(|n| !found.contains(n)) {
        assert_warned_once(&run, &format!("page-{n:05}.txt"), "regular file");
    }
    Ok(())
}

#[test]
fn directory_named_x_txt_is_walked_not_read() -> TestResult {
    let h = Hostile::new()?;
    fs::create_dir(h.join("x.txt"))?;
    fs::write(
        h.join("x.txt/inside.txt"),
        page_text("10.7777/in.dir", "zzinsidedir"),
    )?;
    fs::create_dir(h.join("empty.html"))?;
    let run = h.index(&[]);
    assert_survived(&h, &run, &[]);
    assert_eq!(
        run.summary(),
        Summary {
            added: 3,
            pages: 3,
            statements: good_statements() + 2,
            ..Summary::default()
        },
        "{}",
        run.describe()
    );
    assert_eq!(json_hits(&h.query(&["zzinsidedir", "--json"])).len(), 2);
    Ok(())
}

#[test]
fn non_utf8_file_names_are_indexed_and_printed_without_panicking() -> TestResult {
    let h = Hostile::new()?;
    let cafe = h.join(OsStr::from_bytes(b"caf\xe9.txt"));
    fs::write(&cafe, page_text("10.7777/cafe", "zzcafeword"))?;
    fs::write(h.join(OsStr::from_bytes(b"bad\xff.txt")), vec![0u8; 4096])?;

    let run = h.index(&[]);
    assert_survived(&h, &run, &[("bad\u{FFFD}.txt", "binary")]);
    assert_eq!(
        run.summary(),
        Summary {
            added: 3,
            skipped: 1,
            pages: 3,
            statements: good_statements() + 2,
            ..Summary::default()
        },
        "{}",
        run.describe()
    );
    let hits = json_hits(&h.query(&["zzcafeword", "--json"]));
    assert_eq!(hits.len(), 2);
    let path = hits[0]["path"].as_str().ok_or("a hit has a path")?;
    assert!(path.contains("caf") && path.ends_with(".txt"), "{path}");
    let human = h.query(&["zzcafeword", "--color", "never"]);
    human.expect_code(0);
    assert!(human.stdout.contains("caf"), "{}", human.describe());

    // Nothing changed, nothing to do.
    let again = h.index(&[]);
    again.expect_code(0);
    assert_eq!(
        again.summary(),
        Summary {
            unchanged: 3,
            skipped: 1,
            pages: 3,
            statements: good_statements() + 2,
            ..Summary::default()
        },
        "{}",
        again.describe()
    );
    Ok(())
}

#[test]
fn two_non_utf8_names_differing_only_in_their_bad_bytes_stay_two_pages() -> TestResult {
    // `caf\xe9.txt` and `caf\xe8.txt` are two files; a path stored lossily
    // makes them one (`caf\u{FFFD}.txt`), and each run then replaces one
    // page's documents with the other's.
    let h = Hostile::new()?;
    fs::write(
        h.join(OsStr::from_bytes(b"caf\xe9.txt")),
        page_text("10.7777/cafe.e9", "zzcafeacute"),
    )?;
    fs::write(
        h.join(OsStr::from_bytes(b"caf\xe8.txt")),
        page_text("10.7777/cafe.e8", "zzcafegrave"),
    )?;
    let both = Summary {
        pages: 4,
        statements: good_statements() + 4,
        ..Summary::default()
    };
    let first = h.index(&[]);
    assert_survived(&h, &first, &[]);
    assert_eq!(
        first.summary(),
        Summary { added: 4, ..both },
        "{}",
        first.describe()
    );
    for run in 2..=3 {
        let again = h.index(&[]);
        assert_survived(&h, &again, &[]);
        assert_eq!(
            again.summary(),
            Summary {
                unchanged: 4,
                ..both
            },
            "run {run} over an unchanged corpus\n{}",
            again.describe()
        );
        for word in ["zzcafeacute", "zzcafegrave"] {
            assert_eq!(
                json_hits(&h.query(&[word, "--json"])).len(),
                2,
                "run {run}: `{word}`"
            );
        }
    }
    Ok(())
}

#[test]
fn page_appended_to_while_it_is_indexed_is_complete_after_the_next_run() -> TestResult {
    const MAX_APPENDS: usize = 400;
    let h = Hostile::new()?;
    let doi = "10.7777/growing";
    let path = h.join("growing.txt");
    fs::write(
        &path,
        format!(
            "2024\nDOI: {doi}\n\nA page still being saved\n\n\
             Abstract: Growing. Show more\n\ncitations\nCited by 9 publications\n"
        ),
    )?;
    let statement = |i: usize, word: &str| {
        format!(
            "“…Growing statement number {i} mentions {word} (Okafor et al., 2020).…”\n\
             Section: Resultssupporting\nconfidence: 80%\n"
        )
    };
    let mut file = fs::OpenOptions::new().append(true).open(&path)?;
    let mut process = h.sandbox.spawn(h.sandbox.index_args(Some(&h.corpus), &[]));
    let mut appended = 0;
    // One statement per write, every 2 ms, while the run lasts.
    while process.running() {
        assert!(process.elapsed() < DEADLINE, "the run hung");
        if appended < MAX_APPENDS {
            file.write_all(statement(appended, "zzgrowing").as_bytes())?;
            appended += 1;
        }
        std::thread::sleep(Duration::from_millis(2));
    }
    let run = process.finish();
    run.expect_code(0);
    assert!(
        run.warnings().len() <= 1 && run.warnings().iter().all(|w| w.contains("/growing.txt:")),
        "at most a warning about the growing page (cut off mid-statement)\n{}",
        run.describe()
    );
    h.assert_good_pages_searchable();

    // The save completes; the next run reads the final content.
    file.write_all(statement(appended, "zzgrowfinal").as_bytes())?;
    drop(file);
    let next = h.index(&[]);
    assert_survived(&h, &next, &[]);
    assert_eq!(next.summary().pages, 3, "{}", next.describe());
    let all = json_hits(&h.query(&["*", "--doi", doi, "--json", "-n", "1000"]));
    assert_eq!(all.len(), appended + 1, "every statement of the final page");
    assert_eq!(json_hits(&h.query(&["zzgrowfinal", "--json"])).len(), 1);
    Ok(())
}

#[test]
fn statement_with_100000_nested_parentheses_is_parsed_in_linear_time() -> TestResult {
    // Regression: cited-author search looked at every balanced group of a
    // statement in full, quadratic in nesting: 10,000 levels took 30 s.
    const DEPTH: usize = 100_000;
    let h = Hostile::new()?;
    let nested = format!("{}zzparen{}", "(".repeat(DEPTH), ")".repeat(DEPTH));
    let page = page_text("10.7777/nested.parens", "zznested").replace(
        "cites a study (Okafor et al., 2020)",
        &format!("cites a study {nested} (Okafor et al., 2020)"),
    );
    fs::write(h.join("parens.txt"), page)?;
    let run = h.index_within(&[], SHORT_DEADLINE);
    assert_survived(&h, &run, &[]);
    let hits = json_hits(&h.query(&["zzparen", "--json"]));
    assert_eq!(hits.len(), 1);
    assert_eq!(hits[0]["doi"].as_str(), Some("10.7777/nested.parens"));
    Ok(())
}

#[test]
fn a_text_saves_marks_by_the_million_are_undone_in_linear_time() -> TestResult {
    // A text writer's marks, undone in any text file (page/plain.rs): a
    // million emphasis pairs and unclosed `<` in one statement line, and a
    // hundred thousand lines that each start with a link target, which join
    // the line above. Removing marks one by one, or looking for each `<`'s
    // `>` to the end of the line, would be quadratic.
    const PAIRS: usize = 1_000_000;
    let h = Hostile::new()?;
    let marks = "*zz* /yy/ a<b <https:// ".repeat(PAIRS / 2);
    let targets = "\n<#t> zztarget".repeat(100_000);
    let page = page_text("10.7777/marks", "zzmarks").replace(
        "again (Lindqvist & Haddad, 2006).…”",
        &format!("again {marks}{targets} zzmarkstail (Lindqvist & Haddad, 2006).…”"),
    );
    assert!(page.len() > 10 << 20);
    fs::write(h.join("marks.txt"), page)?;
    let run = h.index_within(&[], Duration::from_secs(60));
    assert_survived(&h, &run, &[]);
    let hits = json_hits(&h.query(&["zzmarkstail", "--json"]));
    assert_eq!(hits.len(), 1, "the statement after the marks was read");
    let text = hits[0]["text"].as_str().ok_or("a hit has text")?;
    // The pairs are gone, the lone marks stay; the targets' lines joined.
    assert!(
        text.contains("again zz yy a<b <https:// zz yy"),
        "{}",
        &text[..80]
    );
    assert!(text.contains("zztarget zztarget"));
    assert!(!text.contains("<#t>"));
    Ok(())
}

#[test]
fn index_exits_0_when_files_were_skipped_and_counts_each_one() -> TestResult {
    let h = Hostile::new()?;
    fs::write(h.join("x.txt"), vec![0u8; 1 << 20])?;
    mkfifo(&h.join("page.txt"));
    let _socket = std::os::unix::net::UnixListener::bind(h.join("sock.txt"))?;
    symlink("nowhere.txt", h.join("dangling.txt"))?;
    fs::create_dir(h.join("sub"))?;
    symlink("..", h.join("sub/loop"))?;
    let large = page_text("10.7777/large", "zzlarge") + &"\n".repeat(2 << 20);
    fs::write(h.join("large.txt"), large)?;
    fs::write(h.join("notes.txt"), "Things to read next week.\n")?;
    let bad = [
        ("x.txt", "binary"),
        ("page.txt", "regular file"),
        ("sock.txt", "regular file"),
        ("dangling.txt", "dangling"),
        ("loop", "loop"),
        ("large.txt", "limit"),
        ("notes.txt", "not a"),
    ];
    let run = h.index(&["--max-file-size", "2000000"]);
    assert_survived(&h, &run, &bad);
    assert_eq!(
        run.summary(),
        good_summary(bad.len() as u64),
        "{}",
        run.describe()
    );
    Ok(())
}

// ---------------------------------------------------------------------------
// Hostile queries. Each must end within the deadline with hits (0), none (1)
// or a message (2); never a panic.

/// A sandbox whose index holds the two good pages.
fn indexed_good_pages() -> Result<Hostile, Box<dyn std::error::Error>> {
    let h = Hostile::new()?;
    h.index(&[]).expect_code(0);
    Ok(h)
}

/// Asserts the run refused its query: exit code 2, nothing on stdout, and an
/// `error:` line that contains `about`.
#[track_caller]
fn assert_refused(run: &Run, about: &str) {
    run.expect_code(2);
    assert!(run.stdout.is_empty(), "{}", run.describe());
    let error = run
        .stderr
        .lines()
        .find(|l| l.starts_with("error:"))
        .unwrap_or_else(|| panic!("no error line\n{}", run.describe()));
    assert!(
        run.stderr.to_lowercase().contains(&about.to_lowercase()),
        "the message must mention `{about}`: {error:?}\n{}",
        run.describe()
    );
}

/// Asserts the run answered (hits as JSON lines, or exit 1 and no output) or
/// refused with a message mentioning `about`.
#[track_caller]
fn assert_answered_or_refused(run: &Run, about: &str) {
    match run.code {
        Some(0) => {
            assert!(!run.json_lines().is_empty(), "{}", run.describe());
        }
        Some(1) => assert!(run.stdout.is_empty(), "{}", run.describe()),
        _ => assert_refused(run, about),
    }
}

#[test]
fn empty_query_exits_2_with_a_message() -> TestResult {
    let h = indexed_good_pages()?;
    for query in [&[][..], &[""], &["   "], &["", " "]] {
        assert_refused(&h.query(query), "empty");
    }
    Ok(())
}

#[test]
fn ten_thousand_terms_are_answered() -> TestResult {
    let h = indexed_good_pages()?;
    let mut terms: Vec<String> = (0..9_999).map(|i| format!("zzterm{i}")).collect();
    terms.push("persister".to_string());
    let hits = json_hits(&h.query(&[&terms.join(" "), "--json"]));
    assert!(
        hits.iter().all(|hit| hit["doi"].as_str() == Some(GPX4_DOI)),
        "{hits:?}"
    );
    Ok(())
}

#[test]
fn thousand_nested_parentheses_are_refused_as_nested() -> TestResult {
    let h = indexed_good_pages()?;
    // (One argument holds at most 128 KiB on Linux.)
    for depth in [1_000, 10_000] {
        let closed = format!("{}persister{}", "(".repeat(depth), ")".repeat(depth));
        assert_refused(&h.query(&[&closed]), "nested");
        let unclosed = format!("{}persister", "(".repeat(depth));
        assert_refused(&h.query(&[&unclosed]), "nested");
        let boolean = format!("{}persister{}", "(a OR ".repeat(depth), ")".repeat(depth));
        assert_refused(&h.query(&[&boolean]), "nested");
    }
    let brackets = format!("{}persister{}", "[{".repeat(1_000), "}]".repeat(1_000));
    assert_refused(&h.query(&[&brackets]), "nested");
    // Parentheses inside a phrase are words, not nesting.
    let phrase = format!("\"{}persister\"", "(".repeat(1_000));
    assert_answered_or_refused(&h.query(&[&phrase, "--json"]), "query");
    Ok(())
}

#[test]
fn unknown_field_and_invalid_range_exit_2_naming_the_problem() -> TestResult {
    let h = indexed_good_pages()?;
    assert_refused(&h.query(&["nosuchfield:x"]), "nosuchfield");
    assert_refused(&h.query(&["year:[abc TO 2020]"]), "year:[abc TO 2020]");
    assert_refused(&h.query(&["confidence:[x TO y]"]), "confidence");
    Ok(())
}

#[test]
fn fuzzy_regex_wildcard_and_long_word_queries_never_panic_or_hang() -> TestResult {
    let h = indexed_good_pages()?;
    let long_word = "a".repeat(100_000);
    let long_fuzzy = format!("{long_word}~2");
    let long_phrase = format!("\"{}\"", "persister ".repeat(10_000));
    let queries: Vec<&str> = vec![
        "statement:spindle~2",
        "persister~2",
        "persister~100000000000",
        "\"persister cells\"~4294967295",
        "/persist.*/",
        "statement:/.*/",
        "*",
        "**",
        "* *",
        "pers*",
        "*ister",
        "p*r*s*i*s*t*e*r",
        "year:*",
        "year:[* TO *]",
        "year:[0 TO 18446744073709551615]",
        "confidence:[100 TO 0]",
        "\"\"",
        "\"",
        "+",
        "-",
        "^",
        "persister^1000000000",
        "persister^-1",
        &long_word,
        &long_fuzzy,
        &long_phrase,
    ];
    for query in queries {
        let run = h.query(&[query, "--json"]);
        assert_answered_or_refused(&run, "query");
    }
    Ok(())
}

#[test]
fn field_star_query_is_answered_or_refused_as_a_bad_query() -> TestResult {
    // `statement:*` reads as "statements that have a statement". Refusing it
    // is fine, but the message must say it is the query that is wrong, not
    // report a "searching failed" about fast fields.
    let h = indexed_good_pages()?;
    for query in ["statement:*", "title:*", "author:*"] {
        assert_answered_or_refused(&h.query(&[query, "--json"]), query);
    }
    Ok(())
}

#[test]
fn limit_zero_is_no_hits_or_a_clear_error() -> TestResult {
    let h = indexed_good_pages()?;
    for args in [
        &["persister", "--limit", "0"][..],
        &["persister", "-n", "0", "--json"],
        &["*", "--limit", "0", "--offset", "3"],
    ] {
        let run = h.query(args);
        match run.code {
            Some(1) => assert!(run.stdout.is_empty(), "{}", run.describe()),
            _ => assert_refused(&run, "limit"),
        }
    }
    Ok(())
}

#[test]
fn huge_limit_is_answered_without_allocating_for_it() -> TestResult {
    // Regression: the top-k collector was sized by the limit, so
    // `--limit 1000000000` asked for 48 GB and aborted.
    let h = indexed_good_pages()?;
    let all = json_hits(&h.query(&["*", "--json", "--limit", "1000"]));
    assert_eq!(all.len() as u64, good_statements());
    for limit in ["1000000000", "18446744073709551615"] {
        let run = h.query(&["*", "--json", "--limit", limit]);
        if run.code == Some(2) {
            assert_refused(&run, "limit");
        } else {
            let hits = json_hits(&run);
            assert_eq!(
                hits, all,
                "--limit {limit} gives every hit, as --limit 1000 does"
            );
        }
    }
    Ok(())
}

#[test]
fn offset_beyond_the_end_is_no_hits_not_a_crash() -> TestResult {
    // Regression: the window fetched was sized by offset + limit, so a huge
    // offset aborted (out of memory) or panicked (capacity overflow).
    let h = indexed_good_pages()?;
    for offset in [
        "1000",
        "1000000000",
        "18446744073709551615",
        "18446744073709551606",
    ] {
        let run = h.query(&["persister", "--json", "--offset", offset]);
        match run.code {
            Some(1) => assert!(run.stdout.is_empty(), "{}", run.describe()),
            _ => assert_refused(&run, "offset"),
        }
    }
    Ok(())
}

// ---------------------------------------------------------------------------
// Index folders that are missing, foreign, incompatible, damaged or read-only.

/// Every entry below `dir`, relative, with its bytes escaped (folders have
/// none), sorted: equal snapshots mean nothing was added, removed or changed.
fn snapshot(dir: &Path) -> Vec<(String, String)> {
    let mut entries = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(folder) = stack.pop() {
        let listing =
            fs::read_dir(&folder).unwrap_or_else(|e| panic!("reading {}: {e}", folder.display()));
        for entry in listing {
            let path = entry
                .unwrap_or_else(|e| panic!("reading {}: {e}", folder.display()))
                .path();
            let name = path
                .strip_prefix(dir)
                .unwrap_or(&path)
                .display()
                .to_string();
            if path.is_dir() {
                entries.push((format!("{name}/"), String::new()));
                stack.push(path);
            } else {
                let bytes =
                    fs::read(&path).unwrap_or_else(|e| panic!("reading {}: {e}", path.display()));
                entries.push((name, bytes.escape_ascii().to_string()));
            }
        }
    }
    entries.sort();
    entries
}

#[test]
fn missing_index_is_no_index() -> TestResult {
    let h = Hostile::new()?;
    let run = h.query(&["persister"]);
    assert_refused(&run, "no index");
    assert!(!h.sandbox.index_dir().exists(), "a query creates nothing");
    Ok(())
}

#[test]
fn empty_index_folder_is_no_index_for_query_and_index_builds_into_it() -> TestResult {
    let h = Hostile::new()?;
    fs::create_dir(h.sandbox.index_dir())?;
    assert_refused(&h.query(&["persister"]), "no index");
    let run = h.index(&[]);
    assert_survived(&h, &run, &[]);
    assert_eq!(run.summary(), good_summary(0), "{}", run.describe());
    Ok(())
}

#[test]
fn folder_that_is_not_an_index_is_refused_and_left_byte_identical() -> TestResult {
    let h = Hostile::new()?;
    let dir = h.sandbox.index_dir();
    fs::create_dir_all(dir.join("photos"))?;
    fs::write(dir.join("thesis.docx"), b"PK\x03\x04 my thesis")?;
    fs::write(dir.join("meta.json"), b"{\"mine\": true}")?;
    fs::write(dir.join("photos/cat.png"), b"\x89PNG\r\n\x1a\n")?;
    let before = snapshot(&dir);

    assert_refused(&h.query(&["persister"]), "not a citeindex index");
    assert_eq!(
        snapshot(&dir),
        before,
        "the query left the folder as it was"
    );
    let run = h.index(&[]);
    assert_refused(&run, "not a citeindex index");
    assert_eq!(snapshot(&dir), before, "index left the folder as it was");
    Ok(())
}

#[test]
fn foreign_folder_with_a_current_file_is_refused_and_left_byte_identical() -> TestResult {
    // A folder of someone's own with a file named CURRENT and folders named
    // like generations. `index` says it refuses to touch it; it must not have
    // taken its lock or cleaned its "old generations" first.
    let h = Hostile::new()?;
    let dir = h.sandbox.index_dir();
    fs::create_dir_all(dir.join("gen-2023"))?;
    fs::write(dir.join("CURRENT"), "my current tasks\n")?;
    fs::write(dir.join("gen-2023/holiday.jpg"), b"\xff\xd8\xff photo")?;
    fs::write(dir.join("notes.txt"), "keep me")?;
    let before = snapshot(&dir);

    assert_refused(&h.query(&["persister"]), "not a citeindex index");
    assert_eq!(
        snapshot(&dir),
        before,
        "the query left the folder as it was"
    );
    let run = h.index(&[]);
    assert_refused(&run, "not a citeindex index");
    assert_eq!(snapshot(&dir), before, "index left the folder as it was");
    let full = h.index(&["--full"]);
    assert_refused(&full, "not a citeindex index");
    assert_eq!(
        snapshot(&dir),
        before,
        "index --full left the folder as it was"
    );
    Ok(())
}

#[test]
fn index_of_an_incompatible_format_is_refused_with_a_rebuild_hint() -> TestResult {
    let h = indexed_good_pages()?;
    let meta_path = h
        .sandbox
        .index_dir()
        .join(h.sandbox.current_generation())
        .join("meta.json");
    let mut meta: Value = serde_json::from_str(&fs::read_to_string(&meta_path)?)?;
    let mut payload: Value =
        serde_json::from_str(meta["payload"].as_str().ok_or("meta.json has a payload")?)?;
    payload["format"] = 999.into();
    meta["payload"] = payload.to_string().into();
    fs::write(&meta_path, meta.to_string())?;

    let run = h.query(&["persister"]);
    assert_refused(&run, "rebuild");
    // `index` rebuilds it.
    let rebuilt = h.index(&[]);
    assert_survived(&h, &rebuilt, &[]);
    assert_eq!(rebuilt.summary(), good_summary(0), "{}", rebuilt.describe());
    Ok(())
}

/// The first segment file with this extension in the live generation.
fn segment_file(h: &Hostile, ext: &str) -> Result<PathBuf, Box<dyn std::error::Error>> {
    let generation = h.sandbox.index_dir().join(h.sandbox.current_generation());
    let mut files: Vec<PathBuf> = fs::read_dir(&generation)?
        .map(|e| e.map(|e| e.path()))
        .collect::<Result<_, _>>()?;
    files.sort();
    files
        .into_iter()
        .find(|p| p.extension() == Some(OsStr::new(ext)))
        .ok_or_else(|| format!("no .{ext} file in {}", generation.display()).into())
}

/// Queries and an update over a damaged index: errors, never panics; and
/// `index --full` rebuilds it.
#[track_caller]
fn assert_damage_reported(h: &Hostile) {
    for query in [
        &["persister"][..],
        &["*", "--json"],
        &["\"persister cells\""],
    ] {
        let run = h.query(query);
        run.expect_code(2);
        assert!(run.stdout.is_empty(), "{}", run.describe());
        assert!(
            run.stderr.starts_with("error:"),
            "a message, not a crash\n{}",
            run.describe()
        );
    }
    // An update reads the manifest from the damaged segments: an error, or a rebuild.
    let update = h.index(&[]);
    if update.code != Some(0) {
        assert_refused(&update, "index");
    }
    let full = h.index(&["--full"]);
    assert_survived(h, &full, &[]);
}

#[test]
fn truncated_store_file_is_an_error_not_a_panic() -> TestResult {
    let h = indexed_good_pages()?;
    let store = segment_file(&h, "store")?;
    let len = fs::metadata(&store)?.len();
    fs::OpenOptions::new()
        .write(true)
        .open(&store)?
        .set_len(len / 2)?;
    assert_damage_reported(&h);
    Ok(())
}

#[test]
fn segment_file_garbled_behind_an_intact_footer_is_an_error_not_a_panic() -> TestResult {
    // Regression: tantivy checks a file's footer when it opens it, not its
    // body; a body garbled behind an intact footer made it panic
    // (composite_file.rs: subtract with overflow) instead of returning an error.
    for ext in ["idx", "term", "pos", "fieldnorm"] {
        eprintln!("garbling the .{ext} file");
        let index = indexed_good_pages()?;
        let path = segment_file(&index, ext)?;
        let mut bytes = fs::read(&path)?;
        // The footer: JSON, then its length and a magic number (u32 LE each).
        let n = bytes.len();
        let footer_len = u32::from_le_bytes(bytes[n - 8..n - 4].try_into()?) as usize;
        let body = n - 8 - footer_len;
        for b in &mut bytes[body - body / 4..body] {
            *b ^= 0xFF;
        }
        fs::write(&path, bytes)?;
        assert_damage_reported(&index);
    }
    Ok(())
}

#[test]
fn read_only_index_still_answers_queries() -> TestResult {
    let h = Hostile::new()?;
    let Some(disk) = Tmpfs::mount_or_skip(&h.sandbox.index_dir(), "8m", "read_only_index") else {
        return Ok(());
    };
    h.index(&[]).expect_code(0);
    disk.remount("ro");
    h.assert_good_pages_searchable();
    let run = h.query(&["persister", "--color", "never"]);
    run.expect_code(0);
    assert!(run.stdout.contains("persister"), "{}", run.describe());
    Ok(())
}

// Hostile saved forms: MHTML, PDF and web archives built to exhaust a reader.

/// An MHTML file whose root part nests `depth` multipart parts, one inside
/// the other, the page's HTML at the bottom.
fn nested_mhtml(depth: usize, html: &str) -> Vec<u8> {
    let mut out = String::from(
        "From: <Saved by Blink>\r\nSubject: bomb\r\nMIME-Version: 1.0\r\n\
         Content-Type: multipart/related; boundary=\"b0\"\r\n\r\n",
    );
    for level in 1..=depth {
        out.push_str(&format!(
            "--b{}\r\nContent-Type: multipart/related; boundary=\"b{level}\"\r\n\r\n",
            level - 1
        ));
    }
    out.push_str(&format!(
        "--b{depth}\r\nContent-Type: text/html\r\nContent-Transfer-Encoding: 8bit\r\n\r\n{html}\r\n"
    ));
    for level in (0..=depth).rev() {
        out.push_str(&format!("--b{level}--\r\n"));
    }
    out.into_bytes()
}

#[test]
fn mime_bomb_of_nested_parts_and_of_many_parts_ends_with_one_warning_each() -> TestResult {
    let h = Hostile::new()?;
    fs::write(
        h.join("nested.mhtml"),
        nested_mhtml(100_000, "<p>zzbomb</p>"),
    )?;
    // 200,000 empty parts side by side.
    let mut wide = String::from(
        "MIME-Version: 1.0\r\nContent-Type: multipart/related; boundary=\"w\"\r\n\r\n",
    );
    for _ in 0..200_000 {
        wide.push_str("--w\r\nContent-Type: text/css\r\n\r\np{}\r\n");
    }
    wide.push_str("--w--\r\n");
    fs::write(h.join("wide.mhtml"), wide)?;
    let run = h.index(&[]);
    assert_survived(
        &h,
        &run,
        &[("nested.mhtml", "not a"), ("wide.mhtml", "no html part")],
    );
    Ok(())
}

/// A PDF of one page drawing `content`, with `extra` objects; built with lopdf.
fn pdf_with(
    build: impl FnOnce(&mut lopdf::Document, lopdf::ObjectId, lopdf::ObjectId),
) -> Result<Vec<u8>, Box<dyn std::error::Error>> {
    use lopdf::{dictionary, Document, Object, Stream};
    let mut doc = Document::with_version("1.7");
    let pages = doc.new_object_id();
    let content = doc.add_object(Stream::new(dictionary! {}, b"BT ET".to_vec()));
    let page = doc.add_object(dictionary! {
        "Type" => "Page",
        "Parent" => pages,
        "Contents" => content,
        "MediaBox" => vec![0.into(), 0.into(), 612.into(), 792.into()],
    });
    doc.objects.insert(
        pages,
        Object::Dictionary(dictionary! {
            "Type" => "Pages", "Kids" => vec![page.into()], "Count" => 1,
        }),
    );
    let catalog = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages });
    doc.trailer.set("Root", catalog);
    build(&mut doc, pages, page);
    let mut bytes = Vec::new();
    doc.save_to(&mut bytes)?;
    Ok(bytes)
}

#[test]
fn pdf_bombs_and_reference_loops_end_with_one_warning_each() -> TestResult {
    use lopdf::{dictionary, Object, Stream};
    let h = Hostile::new()?;
    // A form XObject that draws itself.
    let looping_form = pdf_with(|doc, _, page| {
        let form = doc.new_object_id();
        let resources = dictionary! { "XObject" => dictionary! { "F" => form } };
        let mut stream = Stream::new(
            dictionary! { "Type" => "XObject", "Subtype" => "Form", "Resources" => resources.clone() },
            b"/F Do".to_vec(),
        );
        stream
            .dict
            .set("BBox", vec![0.into(), 0.into(), 10.into(), 10.into()]);
        doc.objects.insert(form, Object::Stream(stream));
        let content = doc.add_object(Stream::new(dictionary! {}, b"/F Do".to_vec()));
        if let Ok(page) = doc.get_dictionary_mut(page) {
            page.set("Resources", resources);
            page.set("Contents", content);
        }
    })?;
    fs::write(h.join("form-loop.pdf"), looping_form)?;
    // A page tree whose node lists itself among its kids, and a page whose
    // parent is itself.
    let tree_loop = pdf_with(|doc, pages, page| {
        if let Ok(node) = doc.get_dictionary_mut(pages) {
            node.set("Kids", vec![page.into(), pages.into()]);
        }
        if let Ok(leaf) = doc.get_dictionary_mut(page) {
            leaf.set("Parent", page);
        }
    })?;
    fs::write(h.join("tree-loop.pdf"), tree_loop)?;
    // One stream of 300 MB of zeros (past the 256 MB ceiling), deflated to 300 KB.
    let bomb = {
        let mut encoder = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::best());
        let zeros = vec![0u8; 1 << 20];
        for _ in 0..300 {
            encoder.write_all(&zeros)?;
        }
        encoder.finish()?
    };
    let compressed = pdf_with(|doc, _, page| {
        let mut stream = Stream::new(dictionary! { "Filter" => "FlateDecode" }, bomb);
        stream.allows_compression = false;
        let content = doc.add_object(stream);
        if let Ok(page) = doc.get_dictionary_mut(page) {
            page.set("Contents", content);
        }
    })?;
    fs::write(h.join("bomb.pdf"), compressed)?;
    // A PDF that draws no text at all: a scan.
    fs::write(h.join("scan.pdf"), pdf_with(|_, _, _| {})?)?;
    // A paper, which prints its own DOI line, but nothing a report shows.
    let paper = pdf_with(|doc, _, page| {
        let font = doc.add_object(dictionary! {
            "Type" => "Font", "Subtype" => "Type1", "BaseFont" => "Helvetica",
            "Encoding" => "WinAnsiEncoding",
        });
        let text = concat!(
            "BT /F1 12 Tf 72 720 Td (Journal of Sleep Research 29 (2020)) Tj ",
            "0 -20 Td (DOI: 10.1111/jsr.12345) Tj ",
            "0 -20 Td (Spindles and memory consolidation in the afternoon nap) Tj ",
            "0 -20 Td (We recorded spindles in forty adults (Okafor, 2020).) Tj ET",
        );
        let content = doc.add_object(Stream::new(dictionary! {}, text.as_bytes().to_vec()));
        if let Ok(page) = doc.get_dictionary_mut(page) {
            page.set(
                "Resources",
                dictionary! { "Font" => dictionary! { "F1" => font } },
            );
            page.set("Contents", content);
        }
    })?;
    fs::write(h.join("paper.pdf"), paper)?;

    let run = h.index(&[]);
    assert_survived(
        &h,
        &run,
        &[
            ("form-loop.pdf", "loop"),
            ("tree-loop.pdf", "no text"),
            ("bomb.pdf", "compression bomb"),
            ("scan.pdf", "no text"),
            ("paper.pdf", "not a citation report page"),
        ],
    );
    Ok(())
}

#[test]
fn web_archives_claiming_two_gigabytes_end_with_one_warning_each() -> TestResult {
    let h = Hostile::new()?;
    // A 2 GB file on disk (sparse): past the size limit, never read.
    let huge = fs::File::create(h.join("huge.webarchive"))?;
    huge.set_len(2 << 30)?;
    // A 60-byte binary property list whose one data object says it holds
    // 2^31 bytes.
    let mut lying = b"bplist00".to_vec();
    lying.extend([0x4f, 0x12, 0x80, 0x00, 0x00, 0x00]); // data, length 2^31
    let offsets_at = lying.len();
    lying.push(8); // the offset table: object 0 at byte 8
    lying.extend([0u8; 6]);
    lying.extend([1, 1]); // offset and reference sizes
    lying.extend(1u64.to_be_bytes()); // one object
    lying.extend(0u64.to_be_bytes()); // the top object
    lying.extend((offsets_at as u64).to_be_bytes());
    fs::write(h.join("lying.webarchive"), lying)?;
    let run = h.index(&[]);
    assert_survived(
        &h,
        &run,
        &[
            ("huge.webarchive", "limit"),
            ("lying.webarchive", "web archive"),
        ],
    );
    Ok(())
}
