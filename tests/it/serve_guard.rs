//! `serve` lets only the user's own pages in, holds up against clients that
//! hog connections, and stops promptly: DNS rebinding (a foreign `Host`),
//! cross-origin API requests, idle and slowloris connections, oversized
//! headers, a stop in the middle of a `--watch` update, and a short soak.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::time::{Duration, Instant};

use crate::common::{copy_tree, indexed_sample, sample_corpus, Sandbox, TestResult};
use crate::serve::Server;

/// The server's `host:port`.
fn address(server: &Server) -> String {
    server.base.trim_start_matches("http://").to_string()
}

/// Sends one raw request; the status code and the whole answer.
fn raw(server: &Server, request: &str) -> (u16, String) {
    let mut stream = TcpStream::connect(address(server)).expect("connecting");
    stream
        .set_read_timeout(Some(Duration::from_secs(20)))
        .expect("timeout");
    stream.write_all(request.as_bytes()).expect("sending");
    let mut answer = Vec::new();
    let _ = stream.read_to_end(&mut answer);
    let answer = String::from_utf8_lossy(&answer).into_owned();
    let status = answer
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    (status, answer)
}

fn get(server: &Server, path: &str, headers: &[(&str, &str)]) -> (u16, String) {
    let mut request = format!("GET {path} HTTP/1.1\r\nConnection: close\r\n");
    for (name, value) in headers {
        request.push_str(&format!("{name}: {value}\r\n"));
    }
    request.push_str("\r\n");
    raw(server, &request)
}

#[test]
fn requests_naming_another_host_are_refused() {
    let sandbox = indexed_sample();
    let server = Server::start(&sandbox, &[]);
    let own = address(&server);
    let port = own.rsplit(':').next().unwrap_or_default().to_string();
    // What a rebinding page's requests look like: its own name, its own origin.
    for path in [
        "/api/search?q=sleep",
        "/api/stats",
        "/api/paper/10.5555/slp.2019.0412",
        "/",
    ] {
        let (status, answer) = get(
            &server,
            path,
            &[
                ("Host", "attacker.example"),
                ("Origin", "http://attacker.example"),
            ],
        );
        assert_eq!(status, 403, "{path}: {answer}");
        assert!(answer.contains("does not answer to the name"), "{answer}");
        assert!(!answer.contains("corpus_root"), "{answer}");
    }
    for host in [
        own.clone(),
        format!("localhost:{port}"),
        format!("[::1]:{port}"),
    ] {
        let (status, answer) = get(&server, "/api/stats", &[("Host", &host)]);
        assert_eq!(status, 200, "{host}: {answer}");
    }
    let (status, _) = get(&server, "/api/stats", &[("Host", "127.0.0.1")]);
    assert_eq!(status, 403, "the port is part of the name");
    let (status, _) = raw(&server, "GET /api/stats HTTP/1.0\r\n\r\n");
    assert_eq!(status, 403, "no Host at all");
}

#[test]
fn the_api_answers_only_its_own_page_and_sends_no_cors_headers() {
    let sandbox = indexed_sample();
    let server = Server::start(&sandbox, &[]);
    let own = address(&server);
    let origin = format!("http://{own}");
    let (status, answer) = get(
        &server,
        "/api/stats",
        &[
            ("Host", &own),
            ("Origin", &origin),
            ("Sec-Fetch-Site", "same-origin"),
        ],
    );
    assert_eq!(status, 200, "{answer}");
    for (origin, site) in [
        ("http://attacker.example", "cross-site"),
        ("http://localhost:1", "same-site"),
        ("null", "cross-site"),
    ] {
        let (status, answer) = get(
            &server,
            "/api/search?q=sleep",
            &[("Host", &own), ("Origin", origin), ("Sec-Fetch-Site", site)],
        );
        assert_eq!(status, 403, "{origin}: {answer}");
        assert!(
            !answer.to_lowercase().contains("access-control-"),
            "{answer}"
        );
    }
    // A cross-site fetch without an Origin header (Sec-Fetch-Site alone).
    let (status, _) = get(
        &server,
        "/api/stats",
        &[("Host", &own), ("Sec-Fetch-Site", "cross-site")],
    );
    assert_eq!(status, 403);
}

#[test]
fn names_given_with_allow_host_are_answered() {
    let sandbox = indexed_sample();
    let server = Server::start(&sandbox, &["--allow-host", "papers.lab"]);
    let port = address(&server)
        .rsplit(':')
        .next()
        .unwrap_or_default()
        .to_string();
    let (status, answer) = get(
        &server,
        "/api/stats",
        &[("Host", &format!("papers.lab:{port}"))],
    );
    assert_eq!(status, 200, "{answer}");
    let (status, _) = get(&server, "/api/stats", &[("Host", "other.lab")]);
    assert_eq!(status, 403);
}

/// Raises this process's open-file limit, so that it can hold a thousand sockets.
#[allow(
    unsafe_code,
    reason = "setrlimit through libc: std cannot raise the limit"
)]
fn allow_many_files() {
    let mut limit = libc::rlimit {
        rlim_cur: 0,
        rlim_max: 0,
    };
    // SAFETY: getrlimit and setrlimit only read and write the struct given.
    unsafe {
        if libc::getrlimit(libc::RLIMIT_NOFILE, &mut limit) == 0 {
            limit.rlim_cur = limit.rlim_max;
            libc::setrlimit(libc::RLIMIT_NOFILE, &limit);
        }
    }
}

#[test]
fn idle_slow_and_oversized_clients_do_not_hold_up_a_search() {
    allow_many_files();
    let sandbox = indexed_sample();
    let server = Server::start(&sandbox, &[]);
    let own = address(&server);
    // A thousand connections that say nothing, and some that send their
    // headers a byte at a time (slowloris).
    let idle: Vec<TcpStream> = (0..1000)
        .map(|_| TcpStream::connect(&own).expect("an idle connection"))
        .collect();
    let mut slow: Vec<TcpStream> = (0..20)
        .map(|_| {
            let mut s = TcpStream::connect(&own).expect("a slow connection");
            s.write_all(b"GET /api/stats HTTP/1.1\r\nHost: ")
                .expect("a first byte");
            s
        })
        .collect();
    std::thread::sleep(Duration::from_millis(300));
    let started = Instant::now();
    let (status, _) = server.get("/api/search?q=sleep");
    let took = started.elapsed();
    assert_eq!(status, 200);
    assert!(
        took < Duration::from_secs(1),
        "a search took {took:?} beside 1,000 idle connections"
    );

    // A megabyte of headers is refused, not read to the end.
    let big = format!(
        "GET /api/stats HTTP/1.1\r\nHost: {own}\r\nX-Padding: {}\r\n\r\n",
        "a".repeat(1 << 20)
    );
    let mut stream = TcpStream::connect(&own).expect("connecting");
    stream
        .set_read_timeout(Some(Duration::from_secs(20)))
        .expect("timeout");
    let _ = stream.write_all(big.as_bytes());
    let mut answer = String::new();
    let _ = stream.read_to_string(&mut answer);
    assert!(
        answer.is_empty() || answer.starts_with("HTTP/1.1 431"),
        "an oversized head: {answer}"
    );

    // The slow clients are cut off once the header time is up (10 s).
    let deadline = Instant::now() + Duration::from_secs(15);
    for s in &mut slow {
        s.set_read_timeout(Some(
            deadline
                .saturating_duration_since(Instant::now())
                .max(Duration::from_millis(1)),
        ))
        .expect("timeout");
        let mut byte = [0u8; 1];
        let _ = s.write_all(b"x");
        let closed = matches!(s.read(&mut byte), Ok(0)) || Instant::now() < deadline;
        assert!(closed, "a slowloris connection outlived the header timeout");
    }
    assert!(
        Instant::now() < deadline,
        "the slow connections were still open after 15 s"
    );
    drop(idle);
}

#[cfg(unix)]
#[test]
#[allow(
    unsafe_code,
    reason = "kill through libc: std's Child::kill sends SIGKILL, not SIGTERM"
)]
fn a_stop_during_a_watch_update_is_prompt_and_leaves_the_index_whole() -> TestResult {
    let sandbox = Sandbox::new();
    let corpus = sandbox.path().join("corpus");
    copy_tree(&sample_corpus(), &corpus);
    sandbox.index(&corpus);
    let corpus_arg = corpus.display().to_string();
    let server = Server::start(&sandbox, &["--watch", &corpus_arg]);
    // Enough new pages that the update is still running when the stop comes.
    let extra = corpus.join("extra");
    std::fs::create_dir_all(&extra)?;
    for i in 0..3000 {
        let text = format!(
            "2020\nDOI: 10.5555/STOP.{i}\n\nA page written to be stopped, number {i}\n\n\
             “…Stopping mid-update loses nothing (Halt et al., 2019).…”\n\
             Section: Resultssupporting\nconfidence: 90%\n"
        );
        std::fs::write(extra.join(format!("page-{i}.txt")), text)?;
    }
    // Stop once the server is busy with the update (its CPU time climbs).
    let pid = server.pid();
    let busy_from = cpu_ticks(pid);
    let waiting = Instant::now();
    while cpu_ticks(pid) < busy_from + 30 {
        assert!(
            waiting.elapsed() < Duration::from_secs(20),
            "the update never started"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    let asked = Instant::now();
    // SAFETY: kill only sends a signal to the child we started.
    unsafe {
        libc::kill(pid as i32, libc::SIGTERM);
    }
    let status = server.wait_for_exit(Duration::from_secs(10));
    let took = asked.elapsed();
    assert!(status.is_some(), "the server did not stop");
    assert!(took < Duration::from_secs(2), "stopping took {took:?}");

    // The next run either finds nothing to do or does the whole update.
    let run = sandbox.index(&corpus);
    let summary = run.summary();
    assert!(
        summary.added == 3000 || summary.added == 0,
        "{}",
        run.stderr
    );
    assert_eq!(summary.pages, 27 + 3000, "{}", run.stderr);
    let hits = sandbox.hits(&["*", "--doi", "10.5555/stop.2999"]);
    assert!(!hits.is_empty());
    Ok(())
}

/// User and system time of a process, in clock ticks.
fn cpu_ticks(pid: u32) -> u64 {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
    // Fields after the command name (which may hold spaces) in parentheses.
    let rest = stat.rsplit_once(')').map_or("", |(_, rest)| rest);
    let fields: Vec<&str> = rest.split_whitespace().collect();
    // utime and stime are fields 14 and 15 of the line: 11 and 12 counting
    // from the state, the first after the parenthesis.
    let field = |i: usize| {
        fields
            .get(i)
            .and_then(|f| f.parse::<u64>().ok())
            .unwrap_or(0)
    };
    field(11) + field(12)
}

#[test]
fn a_short_soak_under_search_change_and_rebuild_passes_its_checks() {
    let binary = Path::new(env!("CARGO_BIN_EXE_citeindex"));
    let gen = binary
        .parent()
        .map(|d| d.join("examples").join("gen_corpus"))
        .expect("the target folder");
    assert!(
        gen.exists(),
        "cargo test builds the gen_corpus example: {}",
        gen.display()
    );
    let sandbox = Sandbox::new();
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("bench/soak.py");
    let output = std::process::Command::new("python3")
        .arg(script)
        .args(["--seconds", "30", "--pages", "1000", "--clients", "2"])
        .args([
            "--rebuild-every",
            "12",
            "--mutate-every",
            "2",
            "--sample-every",
            "3",
        ])
        .arg("--binary")
        .arg(binary)
        .arg("--gen")
        .arg(&gen)
        .arg("--work")
        .arg(sandbox.path().join("soak"))
        .output()
        .expect("running python3 bench/soak.py");
    let report = String::from_utf8_lossy(&output.stdout);
    eprintln!("{report}\n{}", String::from_utf8_lossy(&output.stderr));
    assert!(output.status.success(), "{report}");
    assert!(report.contains("No failures."), "{report}");
    assert!(report.contains("| search |"), "{report}");
}
