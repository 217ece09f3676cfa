//! `citeindex serve`: the JSON API over loopback (every parameter, errors,
//! paging, facets, a burst of parallel requests), the security headers, the
//! address guard, and `--watch` picking up saved and deleted pages.

use std::io::{BufRead, BufReader};
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::common::{big, copy_tree, indexed_sample, sample_corpus, Sandbox, TestResult};

/// A running `citeindex serve`, stopped when dropped.
pub(crate) struct Server {
    child: Child,
    pub base: String,
}

impl Server {
    pub(crate) fn start(sandbox: &Sandbox, extra: &[&str]) -> Server {
        let index = sandbox.index_dir();
        let mut cmd = sandbox.command(["serve", "--index"]);
        cmd.arg(&index).args(["--addr", "127.0.0.1:0"]).args(extra);
        let mut child = cmd
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("starting citeindex serve");
        let stderr = child.stderr.take().expect("stderr");
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                eprintln!("[serve] {line}");
                if let Some(rest) = line.split("listening on ").nth(1) {
                    let url = rest.split_whitespace().next().unwrap_or_default();
                    let _ = tx.send(url.trim_end_matches('/').to_string());
                }
            }
        });
        let base = rx
            .recv_timeout(Duration::from_secs(60))
            .expect("the server says where it listens");
        Server { child, base }
    }

    /// GET `path`: the status and the JSON body.
    pub(crate) fn get(&self, path: &str) -> (u16, Value) {
        let (status, _, body) = self.get_raw(path);
        let json = serde_json::from_str(&body).unwrap_or_else(|e| panic!("{path}: {e}: {body}"));
        (status, json)
    }

    /// GET `path`: status, headers (lowercase names) and body text.
    pub(crate) fn get_raw(&self, path: &str) -> (u16, Vec<(String, String)>, String) {
        let agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .timeout_global(Some(Duration::from_secs(30)))
            .build()
            .new_agent();
        let mut response = agent
            .get(&format!("{}{path}", self.base))
            .call()
            .unwrap_or_else(|e| panic!("GET {path}: {e}"));
        let status = response.status().as_u16();
        let headers = response
            .headers()
            .iter()
            .map(|(k, v)| {
                (
                    k.as_str().to_lowercase(),
                    v.to_str().unwrap_or_default().to_string(),
                )
            })
            .collect();
        let body = response.body_mut().read_to_string().unwrap_or_default();
        (status, headers, body)
    }
}

impl Server {
    pub(crate) fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Waits up to `limit` for the server to exit; its status if it did.
    #[allow(
        unsafe_code,
        reason = "waitpid with WNOHANG: std's try_wait needs `&mut Child`"
    )]
    pub(crate) fn wait_for_exit(&self, limit: Duration) -> Option<std::process::ExitStatus> {
        let started = Instant::now();
        // `Child::try_wait` needs `&mut`; the pid is ours to poll.
        while started.elapsed() < limit {
            let mut status = 0;
            // SAFETY: waitpid on our own child, WNOHANG.
            let reaped =
                unsafe { libc::waitpid(self.child.id() as i32, &mut status, libc::WNOHANG) };
            if reaped > 0 {
                return Some(std::os::unix::process::ExitStatusExt::from_raw(status));
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        None
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn search(server: &Server, query: &str) -> Value {
    let (status, body) = server.get(&format!("/api/search?{query}"));
    assert_eq!(status, 200, "{query}: {body}");
    body
}

/// The `query --json` hits for the same search, to compare the API with.
fn cli_hits(sandbox: &Sandbox, args: &[&str]) -> Vec<Value> {
    let mut all = args.to_vec();
    all.extend(["--json", "--limit", "100"]);
    let run = sandbox.query(&all);
    run.json_lines()
}

#[test]
fn search_returns_the_query_json_hits_with_total_and_facets() -> TestResult {
    let sandbox = indexed_sample();
    let server = Server::start(&sandbox, &[]);
    for (api, cli) in [
        ("q=sleep&limit=100", vec!["sleep"]),
        (
            "q=%22sleep+spindles%22&limit=100",
            vec!["\"sleep spindles\""],
        ),
        (
            "q=*&type=supporting&limit=100",
            vec!["*", "--type", "supporting"],
        ),
        (
            "q=*&section=discussion&limit=100",
            vec!["*", "--section", "discussion"],
        ),
        (
            "q=memory&year=2015..&limit=100",
            vec!["memory", "--year", "2015.."],
        ),
        // Plain words under filters: counted from the filters' bits, kept
        // from the first request (with facets) for the second.
        (
            "q=sleep&type=supporting&limit=100",
            vec!["sleep", "--type", "supporting"],
        ),
        (
            "q=sleep+memory&section=discussion&year=..2020&limit=100",
            vec![
                "sleep memory",
                "--section",
                "discussion",
                "--year",
                "..2020",
            ],
        ),
        (
            "q=*&author=astrom&limit=100",
            vec!["*", "--author", "astrom"],
        ),
        (
            "q=*&doi=10.5555/SLP.2019.0412&limit=100",
            vec!["*", "--doi", "10.5555/SLP.2019.0412"],
        ),
        (
            "q=sleep&sort=year&limit=100",
            vec!["sleep", "--sort", "year"],
        ),
        (
            "q=sleep&sort=confidence&limit=100",
            vec!["sleep", "--sort", "confidence"],
        ),
    ] {
        let body = search(&server, api);
        let want = cli_hits(&sandbox, &cli);
        assert!(!want.is_empty(), "{api}");
        let hits = body["hits"].as_array().expect("hits");
        let strip = |h: &Value| {
            let mut h = h.clone();
            // The server runs in the same folder, so paths match too.
            h.as_object_mut().map(|o| o.remove("score"));
            h
        };
        assert_eq!(
            hits.iter().map(strip).collect::<Vec<_>>(),
            want.iter().map(strip).collect::<Vec<_>>(),
            "{api}"
        );
        assert_eq!(body["total"].as_u64(), Some(want.len() as u64), "{api}");
        assert_eq!(body["facets"]["total"], body["total"], "{api}");
        assert_eq!(body["marks"].as_array().map(Vec::len), Some(hits.len()));
        assert!(body["took_ms"].as_f64().is_some_and(|t| t >= 0.0));

        // Without facets: the same hits and total, no counts.
        let lean = search(&server, &format!("{api}&facets=false"));
        assert_eq!(lean["hits"], body["hits"], "{api}");
        assert_eq!(lean["total"], body["total"], "{api}");
        assert!(lean["facets"].is_null(), "{api}");
    }
    Ok(())
}

#[test]
fn totals_without_facets_match_with_and_without_copies() -> TestResult {
    let sandbox = Sandbox::new();
    let corpus = sandbox.path().join("corpus");
    big::write_pages(&corpus, 0..300);
    sandbox.index(&corpus);
    let queries = [
        "q=*".to_string(),
        format!("q={}", big::token(7)),
        format!("q={}+OR+{}", big::token(3), big::token(40)),
        "q=*&type=supporting".to_string(),
        "q=*&year=2010..2015".to_string(),
        // No words: everything the filters allow, as `*` with them.
        "q=&type=supporting".to_string(),
        "q=&year=2010..2015".to_string(),
        // Words under filters, counted from the filters' bits.
        format!("q={}&year=2010..2015", big::token(12)),
        format!("q={}+{}&type=supporting", big::token(3), big::token(40)),
    ];
    let totals = |server: &Server| -> Vec<(Value, Value)> {
        queries
            .iter()
            .map(|q| {
                let full = search(server, q);
                let lean = search(server, &format!("{q}&facets=false"));
                (full["total"].clone(), lean["total"].clone())
            })
            .collect()
    };
    // One merged segment with no copies: tantivy counts the matches.
    let server = Server::start(&sandbox, &[]);
    let first = totals(&server);
    for ((full, lean), q) in first.iter().zip(&queries) {
        assert!(full.as_u64().is_some_and(|n| n > 0), "{q}: {full}");
        assert_eq!(full, lean, "{q}");
    }
    assert_eq!(first[5], first[3], "filters alone count as `*` with them");
    assert_eq!(first[6], first[4], "filters alone count as `*` with them");
    assert_eq!(
        search(&server, "q=&type=supporting")["facets"],
        search(&server, "q=*&type=supporting")["facets"],
    );
    drop(server);

    // A copy of a page in a second segment: copies are told apart again.
    std::fs::copy(
        big::page_path(&corpus, 5),
        corpus.join("copy of page 5.txt"),
    )?;
    sandbox.index(&corpus);
    let server = Server::start(&sandbox, &[]);
    for (((full, lean), before), q) in totals(&server).iter().zip(&first).zip(&queries) {
        assert_eq!(full, lean, "{q}");
        assert_eq!(full, &before.0, "{q}: a copy adds no statement");
    }
    Ok(())
}

#[test]
fn paging_walks_the_hits_without_gaps_or_overlap() {
    let sandbox = indexed_sample();
    let server = Server::start(&sandbox, &[]);
    let whole = search(&server, "q=*&limit=100");
    let total = whole["total"].as_u64().expect("total") as usize;
    let mut seen = Vec::new();
    let mut offset = 0;
    while offset < total {
        let page = search(&server, &format!("q=*&limit=7&offset={offset}"));
        assert_eq!(page["offset"].as_u64(), Some(offset as u64));
        assert_eq!(page["total"].as_u64(), Some(total as u64));
        seen.extend(page["hits"].as_array().expect("hits").iter().cloned());
        offset += 7;
    }
    assert_eq!(seen, whole["hits"].as_array().expect("hits").clone());
    let past = search(&server, "q=*&offset=10000");
    assert_eq!(past["hits"].as_array().map(Vec::len), Some(0));
}

#[test]
fn marks_point_at_the_matched_words_in_utf16() {
    let sandbox = indexed_sample();
    let server = Server::start(&sandbox, &[]);
    let body = search(&server, "q=astrom&limit=3");
    let hits = body["hits"].as_array().expect("hits");
    assert!(!hits.is_empty());
    for (hit, marks) in hits.iter().zip(body["marks"].as_array().expect("marks")) {
        let text: Vec<u16> = hit["text"]
            .as_str()
            .unwrap_or_default()
            .encode_utf16()
            .collect();
        let marks = marks.as_array().expect("a list");
        assert!(!marks.is_empty(), "{hit}");
        for mark in marks {
            let (start, end) = (
                mark[0].as_u64().unwrap_or(0) as usize,
                mark[1].as_u64().unwrap_or(0) as usize,
            );
            let word = String::from_utf16_lossy(&text[start..end]);
            assert_eq!(word, "Åström", "{hit}");
        }
    }
}

#[test]
fn bad_parameters_get_400_with_a_reason_never_500() {
    let sandbox = indexed_sample();
    let server = Server::start(&sandbox, &[]);
    for (query, words) in [
        ("q=", "empty"),
        ("", "empty"),
        ("q=x&limit=0", "`limit` must be"),
        ("q=x&limit=1000", "`limit` must be"),
        ("q=x&limit=ten", "`limit` must be"),
        ("q=x&offset=99999999", "`offset` must be"),
        ("q=x&type=angry", "not a citation type"),
        ("q=x&year=2021..2019", "ends before it starts"),
        ("q=x&sort=newest", "not an order"),
        ("q=x&page=2", "unknown parameter `page`"),
        ("q=a&q=b", "given twice"),
        ("q=title:(((", "cannot read the query"),
        ("q=nosuchfield:x", "cannot read the query"),
        ("q=year:[2020+TO+abc]", "cannot read the query"),
        ("q=%28%28%28%28%28%28%28%28%28%28%28%28%28%28%28%28%28%28%28%28%28%28%28%28%28%28%28%28%28%28%28%28%28%28%28%28%28%28%28%28%28%28%28%28%28%28%28%28%28%28%28%28%28%28%28%28%28%28%28%28%28%28%28%28%28x", "nested"),
        ("q=x&section=%21%21", "no words"),
        ("q=x&facets=maybe", "true or false"),
    ] {
        let (status, body) = server.get(&format!("/api/search?{query}"));
        assert_eq!(status, 400, "{query}: {body}");
        let error = body["error"].as_str().unwrap_or_default().to_lowercase();
        assert!(error.contains(&words.to_lowercase()), "{query}: {error}");
    }
    // Bytes that are not UTF-8 are read lossily: an answer, not an error.
    let (status, _) = server.get("/api/search?q=%FF%FE");
    assert_eq!(status, 200);
    let (status, body) = server.get("/api/paper/10.5555/nothing.here");
    assert_eq!(status, 404, "{body}");
    let (status, _) = server.get("/api/paper/not-a-doi");
    assert_eq!(status, 400);
    let (status, _) = server.get("/no/such/page");
    assert_eq!(status, 404);
    // Nothing from a request reaches the file system.
    for path in [
        "/../../etc/passwd",
        "/%2e%2e/%2e%2e/etc/passwd",
        "/app.js/../../Cargo.toml",
        "/api/paper/..%2f..%2fetc%2fpasswd",
    ] {
        let (status, _, body) = server.get_raw(path);
        assert!(status == 404 || status == 400, "{path}: {status}");
        assert!(!body.contains("root:"), "{path}");
    }
}

#[test]
fn stats_and_paper_endpoints() {
    let sandbox = indexed_sample();
    let server = Server::start(&sandbox, &[]);
    let (status, stats) = server.get("/api/stats");
    assert_eq!(status, 200);
    let index = sandbox.index_dir();
    let cli = sandbox.run(["stats", "--json", "--index", index.to_str().expect("UTF-8")]);
    let mut want = cli.json_lines()[0].clone();
    let mut got = stats.clone();
    for v in [&mut want, &mut got] {
        v.as_object_mut().map(|o| o.remove("index"));
    }
    assert_eq!(got, want);

    let (status, paper) = server.get("/api/paper/10.5555/SLP.2019.0412");
    assert_eq!(status, 200, "{paper}");
    assert_eq!(paper["doi"], "10.5555/slp.2019.0412");
    assert!(paper["title"]
        .as_str()
        .is_some_and(|t| t.starts_with("Sleep spindle density")));
    let statements = paper["statements"].as_array().expect("statements");
    let want = cli_hits(&sandbox, &["*", "--doi", "10.5555/slp.2019.0412"]);
    assert_eq!(statements.len(), want.len());
    let positions: Vec<u64> = statements
        .iter()
        .filter_map(|s| s["position"].as_u64())
        .collect();
    let mut sorted = positions.clone();
    sorted.sort_unstable();
    assert_eq!(positions, sorted, "page order");
}

#[test]
fn pages_and_assets_are_served_with_a_strict_content_security_policy() {
    let sandbox = indexed_sample();
    let server = Server::start(&sandbox, &[]);
    for (path, kind, needle) in [
        ("/", "text/html", "<form id=\"search\""),
        ("/app.js", "text/javascript", "textContent"),
        ("/app.css", "text/css", "mark"),
        ("/api/search?q=sleep", "application/json", "\"hits\""),
    ] {
        let (status, headers, body) = server.get_raw(path);
        assert_eq!(status, 200, "{path}");
        let header = |name: &str| {
            headers
                .iter()
                .find(|(k, _)| k == name)
                .map(|(_, v)| v.as_str())
        };
        assert!(
            header("content-type").is_some_and(|t| t.starts_with(kind)),
            "{path}: {headers:?}"
        );
        let csp = header("content-security-policy").unwrap_or_default();
        assert!(
            csp.contains("default-src 'none'") && csp.contains("script-src 'self'"),
            "{path}: {csp}"
        );
        assert!(!csp.contains("unsafe"), "{csp}");
        assert_eq!(header("x-content-type-options"), Some("nosniff"));
        assert!(body.contains(needle) || path == "/app.js", "{path}");
    }
    // The page script never hands server text to the HTML parser.
    let (_, _, script) = server.get_raw("/app.js");
    for sink in [
        "innerHTML",
        "outerHTML",
        "insertAdjacentHTML",
        "document.write",
        "eval(",
    ] {
        assert!(!script.contains(sink), "app.js uses {sink}");
    }
}

#[test]
fn a_burst_of_parallel_requests_is_answered_correctly() {
    let sandbox = indexed_sample();
    let server = Server::start(&sandbox, &[]);
    let queries = [
        "q=sleep",
        "q=depression&type=supporting",
        "q=*&sort=year",
        "q=astrom",
        "q=%22sleep+spindles%22",
    ];
    let expected: Vec<Value> = queries
        .iter()
        .map(|q| search(&server, q)["hits"].clone())
        .collect();
    let server = &server;
    std::thread::scope(|scope| {
        let workers: Vec<_> = (0..300)
            .map(|i| {
                let (query, want) = (queries[i % queries.len()], &expected[i % queries.len()]);
                scope.spawn(move || {
                    let (status, body) = server.get(&format!("/api/search?{query}"));
                    assert_eq!(status, 200, "{query}: {body}");
                    assert_eq!(&body["hits"], want, "{query}");
                })
            })
            .collect();
        for w in workers {
            w.join().expect("a request thread");
        }
    });
}

#[test]
fn other_addresses_need_allow_remote_and_get_a_warning() {
    let sandbox = indexed_sample();
    let index = sandbox.index_dir();
    let run = sandbox.run([
        "serve",
        "--index",
        index.to_str().expect("UTF-8"),
        "--addr",
        "0.0.0.0:0",
    ]);
    run.expect_code(2);
    assert!(run.stderr.contains("--allow-remote"), "{}", run.stderr);

    let mut child = sandbox
        .command([
            "serve",
            "--index",
            index.to_str().expect("UTF-8"),
            "--addr",
            "0.0.0.0:0",
            "--allow-remote",
        ])
        .stderr(Stdio::piped())
        .spawn()
        .expect("serve");
    let mut lines = BufReader::new(child.stderr.take().expect("stderr")).lines();
    let first = lines.next().and_then(Result::ok).unwrap_or_default();
    let _ = child.kill();
    let _ = child.wait();
    assert!(
        first.contains("warning") && first.contains("anyone"),
        "{first}"
    );
}

#[test]
fn serving_without_an_index_says_how_to_make_one() {
    let sandbox = Sandbox::new();
    let run = sandbox.run(["serve", "--index", "missing", "--addr", "127.0.0.1:0"]);
    run.expect_code(2);
    assert!(
        run.stderr.contains("run 'citeindex index DIR' first"),
        "{}",
        run.stderr
    );
}

/// Polls `check` until it holds or `limit` passes.
fn eventually(limit: Duration, mut check: impl FnMut() -> bool) -> bool {
    let start = Instant::now();
    while start.elapsed() < limit {
        if check() {
            return true;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    false
}

#[test]
fn watch_indexes_saved_pages_and_drops_deleted_ones() -> TestResult {
    let sandbox = Sandbox::new();
    let corpus = sandbox.path().join("corpus");
    copy_tree(&sample_corpus(), &corpus);
    let server = Server::start(&sandbox, &["--watch", corpus.to_str().expect("UTF-8")]);
    // --watch builds the index it serves.
    assert!(search(&server, "q=sleep")["total"].as_u64() > Some(0));

    let word = big::token(424_242);
    let page = corpus.join("new-page.txt");
    let text = big::page_text(424_242);
    assert!(text.contains(&word), "the generated page uses its own word");
    // Stats are computed once per index version: asked twice, then after
    // the update, they follow the index.
    let pages_before = server.get("/api/stats").1["pages"].as_u64();
    assert_eq!(server.get("/api/stats").1["pages"].as_u64(), pages_before);
    let write_started = Instant::now();
    std::fs::write(&page, &text)?;
    let seen = eventually(Duration::from_secs(10), || {
        search(&server, &format!("q={word}"))["total"].as_u64() > Some(0)
    });
    assert!(seen, "the saved page became searchable");
    let pages_after = server.get("/api/stats").1["pages"].as_u64();
    assert_eq!(
        pages_after,
        pages_before.map(|n| n + 1),
        "stats follow the update"
    );
    eprintln!("saved page searchable after {:?}", write_started.elapsed());

    let also_still = search(&server, "q=sleep")["total"].as_u64();
    assert!(also_still > Some(0));
    std::fs::remove_file(&page)?;
    let gone = eventually(Duration::from_secs(10), || {
        search(&server, &format!("q={word}"))["total"].as_u64() == Some(0)
    });
    assert!(gone, "the deleted page's statements are gone");
    Ok(())
}

#[test]
fn without_watch_the_server_picks_up_what_citeindex_index_wrote() -> TestResult {
    let sandbox = Sandbox::new();
    let corpus = sandbox.path().join("corpus");
    copy_tree(&sample_corpus(), &corpus);
    sandbox.index(&corpus);
    let server = Server::start(&sandbox, &[]);
    let word = big::token(515_151);
    assert_eq!(
        search(&server, &format!("q={word}"))["total"].as_u64(),
        Some(0)
    );
    // Words under a filter are counted from the filter's bits, which the
    // server keeps for the next index it opens: they must stay right there.
    let filtered = "q=sleep+memory&type=supporting&limit=100";
    let before = search(&server, filtered)["total"].clone();
    assert!(before.as_u64() > Some(0), "{before}");
    // The page is of 2015 (`big::page_text`).
    let later = format!("q={word}&year=2015");
    assert_eq!(search(&server, &later)["total"].as_u64(), Some(0));
    std::fs::write(corpus.join("later.txt"), big::page_text(515_151))?;
    sandbox.try_index(None, &[]).expect_code(0);
    let seen = eventually(Duration::from_secs(10), || {
        search(&server, &format!("q={word}"))["total"].as_u64() > Some(0)
    });
    assert!(seen, "the server reopened the updated index");
    let statements = big::STATEMENTS_PER_PAGE as u64;
    assert_eq!(search(&server, &later)["total"].as_u64(), Some(statements));
    assert_eq!(search(&server, filtered)["total"], before);
    let cli = cli_hits(&sandbox, &["sleep memory", "--type", "supporting"]);
    assert_eq!(before.as_u64(), Some(cli.len() as u64));
    // A full rebuild swaps generations; the server follows that too.
    std::fs::remove_file(corpus.join("later.txt"))?;
    sandbox.try_index(None, &["--full"]).expect_code(0);
    let gone = eventually(Duration::from_secs(10), || {
        search(&server, &format!("q={word}"))["total"].as_u64() == Some(0)
    });
    assert!(gone, "the server follows a --full rebuild");
    Ok(())
}

#[test]
fn a_search_over_its_time_limit_gets_503_and_the_server_goes_on() {
    let sandbox = indexed_sample();
    // A limit no search can meet: every search times out, none crashes the server.
    let server = Server::start(&sandbox, &["--timeout", "0.000001"]);
    for _ in 0..5 {
        let (status, body) = server.get("/api/search?q=*&sort=year");
        assert_eq!(status, 503, "{body}");
        assert!(
            body["error"]
                .as_str()
                .is_some_and(|e| e.contains("longer than") || e.contains("busy")),
            "{body}"
        );
    }
    let (status, _, page) = server.get_raw("/");
    assert_eq!(status, 200);
    assert!(page.contains("<form"));
    let run = sandbox.run(["serve", "--timeout", "0", "--index", "x"]);
    run.expect_code(2);
    assert!(run.stderr.contains("--timeout"), "{}", run.stderr);
}
