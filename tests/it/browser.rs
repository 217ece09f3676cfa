//! The search page in headless Chromium, driven through chromedriver
//! (WebDriver, with fantoccini): type a query, see highlighted statements,
//! click a facet, and prove that a statement carrying `<script>` and an
//! `onerror=` attribute is shown as text and never runs. A screenshot of the
//! page is saved under cargo's target folder as a test artefact.
//!
//! Needs Debian's `chromium` and `chromium-driver` (`.ci/run` installs them);
//! without them the test fails, it does not skip.

use std::net::TcpListener;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::json;

use crate::common::{copy_tree, sample_corpus, Sandbox};
use crate::serve::Server;

const CHROMIUM: &str = "/usr/bin/chromium";
const CHROMEDRIVER: &str = "/usr/bin/chromedriver";

/// A page whose statements are hostile markup, in the saved-page layout.
const HOSTILE_PAGE: &str = "2020\nDOI: 10.5555/xss.2020.0001\nA page that tries to run script\n\
“…Quokkascript <script>document.title='pwned';window.pwned=1</script> was cited (Okafor et al., 2019).…”\n\
Section: Resultssupporting\nconfidence: 90%\n\
“…Quokkascript image <img src=x onerror=\"window.pwned=2\"> in a statement (Haddad, 2018).…”\n\
Section: Discussionmentioning\nconfidence: 80%\n";

struct Driver(Child);

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

async fn browser() -> (Driver, Client) {
    assert!(
        std::path::Path::new(CHROMIUM).exists() && std::path::Path::new(CHROMEDRIVER).exists(),
        "the browser test needs Debian's chromium and chromium-driver (apt-get install chromium chromium-driver)"
    );
    let port = free_port();
    let driver = Driver(
        Command::new(CHROMEDRIVER)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("starting chromedriver"),
    );
    let profile = tempfile::tempdir().expect("a browser profile folder");
    let mut caps = serde_json::Map::new();
    caps.insert(
        "goog:chromeOptions".to_string(),
        json!({
            "binary": CHROMIUM,
            "args": [
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--window-size=1280,900",
                // A rebinding attacker's domain, resolving to this machine.
                "--host-resolver-rules=MAP attacker.example 127.0.0.1",
                format!("--user-data-dir={}", profile.keep().display()),
            ]
        }),
    );
    let mut last = None;
    for _ in 0..100 {
        // chromedriver speaks plain HTTP on loopback: no TLS needed.
        let connector = hyper_util::client::legacy::connect::HttpConnector::new();
        match ClientBuilder::new(connector)
            .capabilities(caps.clone())
            .connect(&format!("http://127.0.0.1:{port}"))
            .await
        {
            Ok(client) => return (driver, client),
            Err(e) => last = Some(e),
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    panic!("chromedriver did not answer: {last:?}");
}

/// Waits up to 20 s for an element matching `css`.
async fn appears(client: &Client, css: &str, what: &str) -> fantoccini::elements::Element {
    client
        .wait()
        .at_most(Duration::from_secs(20))
        .for_element(Locator::Css(css))
        .await
        .unwrap_or_else(|e| panic!("{what} ({css}): {e}"))
}

async fn texts(client: &Client, css: &str) -> Vec<String> {
    let mut out = Vec::new();
    for element in client.find_all(Locator::Css(css)).await.expect(css) {
        out.push(element.text().await.expect("element text"));
    }
    out
}

#[test]
fn search_page_in_chromium() {
    let sandbox = Sandbox::new();
    let corpus = sandbox.path().join("corpus");
    copy_tree(&sample_corpus(), &corpus);
    std::fs::write(corpus.join("hostile.txt"), HOSTILE_PAGE).expect("writing the hostile page");
    sandbox.index(&corpus);
    let server = Server::start(&sandbox, &[]);
    let runtime = tokio::runtime::Runtime::new().expect("a runtime");
    runtime.block_on(async {
        let (_driver, client) = browser().await;

        // Type a query and submit it.
        client
            .goto(&format!("{}/", server.base))
            .await
            .expect("open the page");
        let title = client.title().await.expect("title");
        assert_eq!(title, "citeindex");
        let input = client
            .find(Locator::Css("#q"))
            .await
            .expect("the search box");
        input.send_keys("spindles").await.expect("typing");
        client
            .find(Locator::Css("button[type=submit]"))
            .await
            .expect("button")
            .click()
            .await
            .expect("click");
        appears(&client, ".hit mark", "highlighted hits").await;
        let marks = texts(&client, ".hit mark").await;
        assert!(
            !marks.is_empty()
                && marks
                    .iter()
                    .all(|m| m.to_lowercase().starts_with("spindle")),
            "{marks:?}"
        );
        let url = client.current_url().await.expect("url");
        assert!(
            url.as_str().contains("q=spindles"),
            "the query is in the URL: {url}"
        );
        let hits_before = texts(&client, ".hit").await.len();
        assert!(hits_before > 1);

        // Click the `supporting` facet: only supporting statements stay.
        let facet = client
            .wait()
            .at_most(Duration::from_secs(20))
            .for_element(Locator::Css(
                "button[data-facet=type][data-value=supporting]",
            ))
            .await
            .expect("a type facet");
        facet.click().await.expect("click the facet");
        let mut in_url = false;
        for _ in 0..100 {
            let now = client.current_url().await.expect("url");
            if now.as_str().contains("type=supporting") && now.as_str().contains("q=spindles") {
                in_url = true;
                break;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        assert!(in_url, "the facet is in the URL");
        appears(&client, ".chip", "the active filter").await;
        let types = texts(&client, ".hit .meta [class^=type-]").await;
        assert!(
            !types.is_empty() && types.iter().all(|t| t == "supporting"),
            "{types:?}"
        );

        // Save the artefact while the page shows highlighted, filtered results.
        let png = client.screenshot().await.expect("a screenshot");
        let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("artifacts");
        std::fs::create_dir_all(&dir).expect("artefact folder");
        std::fs::write(dir.join("serve-page.png"), &png).expect("saving the screenshot");
        eprintln!("screenshot: {}", dir.join("serve-page.png").display());

        // A hit's title opens its paper: the page's tallies as a bar, then
        // every indexed statement about it in page order.
        client
            .goto(&format!(
                "{}/?q=%2A&doi=10.5555%2Fslp.2019.0412",
                server.base
            ))
            .await
            .expect("open the paper's statements");
        appears(&client, ".hit h3 a", "a title link")
            .await
            .click()
            .await
            .expect("click the title");
        appears(&client, ".paper .bar", "the tally bar").await;
        let url = client.current_url().await.expect("url");
        assert!(url.as_str().contains("paper=10.5555"), "{url}");
        let tally = texts(&client, ".paper .tally").await.join("");
        assert!(
            tally.contains("14 supporting") && tally.contains("3 contrasting"),
            "{tally}"
        );
        let segments = client
            .find_all(Locator::Css(".paper .bar span"))
            .await
            .expect("bar");
        assert_eq!(segments.len(), 3, "a segment per type");
        let positions: Vec<u32> = texts(&client, ".hit .meta")
            .await
            .iter()
            .filter_map(|m| m.strip_prefix('#')?.split(' ').next()?.parse().ok())
            .collect();
        assert!(positions.len() > 1, "{positions:?}");
        assert!(
            positions.windows(2).all(|w| w[0] <= w[1]),
            "page order: {positions:?}"
        );
        let png = client.screenshot().await.expect("a screenshot");
        std::fs::write(dir.join("paper-view.png"), &png).expect("saving the screenshot");

        // Nothing matched: said so, with the way out when a filter is set.
        client
            .goto(&format!(
                "{}/?q=spindles&type=contrasting&year=1900",
                server.base
            ))
            .await
            .expect("open an empty search");
        appears(&client, "#results .summary", "the summary").await;
        let mut summary = String::new();
        for _ in 0..100 {
            summary = texts(&client, "#results .summary").await.join("");
            if summary.starts_with("Nothing") {
                break;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        assert!(
            summary.contains("Nothing matched") && summary.contains("Remove a filter"),
            "{summary}"
        );
        assert!(!summary.contains("0–0"), "{summary}");

        // DNS rebinding: a domain that resolves to this machine gets the
        // refusal, not the API; and a page of another origin (here the same
        // server under the name localhost) cannot read the API by fetch.
        let port = server.base.rsplit(':').next().unwrap_or_default().to_string();
        client
            .goto(&format!("http://attacker.example:{port}/api/stats"))
            .await
            .expect("open the API under another name");
        let shown = client.source().await.expect("page source");
        assert!(shown.contains("does not answer to the name"), "{shown}");
        assert!(!shown.contains("corpus_root"), "{shown}");
        client
            .goto(&format!("http://localhost:{port}/"))
            .await
            .expect("open the page as localhost");
        let read = client
            .execute_async(
                &format!(
                    "const done = arguments[arguments.length - 1];\
                     fetch('http://127.0.0.1:{port}/api/stats')\
                       .then(r => r.text()).then(t => done('read: ' + t))\
                       .catch(e => done('refused: ' + e));"
                ),
                vec![],
            )
            .await
            .expect("a cross-origin fetch");
        let read = read.as_str().unwrap_or_default().to_string();
        assert!(read.starts_with("refused"), "{read}");
        let own = client
            .execute_async(
                "const done = arguments[arguments.length - 1];\
                 fetch('/api/stats').then(r => r.json()).then(j => done(j.pages)).catch(e => done(-1));",
                vec![],
            )
            .await
            .expect("a same-origin fetch");
        assert!(own.as_u64().is_some_and(|n| n > 0), "the page's own fetch works: {own}");

        // The hostile statements are shown as text and run nothing.
        client
            .goto(&format!("{}/?q=quokkascript", server.base))
            .await
            .expect("open the hostile search");
        appears(&client, ".hit", "hostile hits").await;
        let shown = texts(&client, ".hit .text").await.join("\n");
        assert!(
            shown.contains("<script>document.title='pwned';window.pwned=1</script>"),
            "{shown}"
        );
        assert!(
            shown.contains("<img src=x onerror=\"window.pwned=2\">"),
            "{shown}"
        );
        assert!(client
            .find_all(Locator::Css("#results script, #results img"))
            .await
            .expect("query")
            .is_empty());
        let pwned = client
            .execute(
                "return [document.title, window.pwned === undefined];",
                vec![],
            )
            .await
            .expect("script");
        assert_eq!(pwned, json!(["citeindex", true]));
        client.close().await.expect("closing the browser");
    });
}

/// The "Check references" view: a BibTeX file chosen in the page comes back
/// as a table (found, contested, missing), each found paper linking to its
/// paper view, and a broken file as its error with its line.
#[test]
fn check_view_in_chromium() {
    let sandbox = Sandbox::new();
    sandbox.index(&sample_corpus());
    let broken = sandbox.path().join("broken.bib");
    std::fs::write(
        &broken,
        "@article{a, doi = {10.5555/a}}\n\n@article{b, title = {B\n",
    )
    .expect("writing a broken list");
    let list =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/check/refs.bib");
    let server = Server::start(&sandbox, &[]);
    let runtime = tokio::runtime::Runtime::new().expect("a runtime");
    runtime.block_on(async {
        let (_driver, client) = browser().await;
        client
            .goto(&format!("{}/", server.base))
            .await
            .expect("open the page");
        appears(&client, "#check-link", "the link to the view")
            .await
            .click()
            .await
            .expect("click");
        appears(&client, ".dropzone", "the drop zone").await;
        let input = appears(&client, "#check-file", "the file input").await;
        input
            .send_keys(&list.display().to_string())
            .await
            .expect("choosing the file");
        appears(&client, "table.checked tbody tr", "the checked table").await;
        let rows = texts(&client, "table.checked tbody tr").await;
        assert_eq!(rows.len(), 7, "{rows:?}");
        let row = |key: &str| {
            rows.iter()
                .find(|r| r.starts_with(key))
                .unwrap_or_else(|| panic!("no row for {key}: {rows:?}"))
                .clone()
        };
        assert!(row("lindqvist2021").contains("contested (13% contrasting)"));
        assert!(row("nakamura2019").contains("found"));
        assert!(row("unsaved2020").contains("no report"));
        assert!(row("monograph1999").contains("no DOI"));
        assert!(row("groupcbt2015").contains("by title"));
        let summary = texts(&client, "#check-summary").await.join("");
        assert_eq!(
            summary,
            "7 references in refs.bib: 5 found, 1 no report, 1 no DOI; 2 contested"
        );
        let png = client.screenshot().await.expect("a screenshot");
        let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("artifacts");
        std::fs::create_dir_all(&dir).expect("artefact folder");
        std::fs::write(dir.join("check-view.png"), &png).expect("saving the screenshot");
        eprintln!("screenshot: {}", dir.join("check-view.png").display());

        // A found paper opens its paper view; Back shows the table again.
        appears(&client, "table.checked tbody tr td a", "a paper link")
            .await
            .click()
            .await
            .expect("click the paper");
        appears(&client, ".paper .bar", "the paper view").await;
        client.back().await.expect("back");
        appears(&client, "table.checked tbody tr", "the table again").await;

        let input = appears(&client, "#check-file", "the file input").await;
        input
            .send_keys(&broken.display().to_string())
            .await
            .expect("choosing the broken file");
        let error = appears(&client, "#check-results .error", "the error").await;
        let message = error.text().await.expect("error text");
        assert!(message.starts_with("broken.bib:3: not BibTeX"), "{message}");
        client.close().await.expect("closing the browser");
    });
}
