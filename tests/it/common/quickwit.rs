//! A real Quickwit 0.9 cluster for the tests, from `../shared/tools/quickwit`
//! (in the project's workspace and in CI, not in a plain clone: see
//! [`super::shared_file`]).

use std::path::{Path, PathBuf};

use serde_json::Value;

/// The folder of the Quickwit binary and its cluster script, if present.
pub(crate) fn tools() -> Option<PathBuf> {
    let script = super::shared_file("tools/quickwit/cluster.sh")?;
    script.parent().map(Path::to_path_buf)
}

/// Nodes on loopback, stopped however the test ends.
pub(crate) struct Cluster {
    tools: PathBuf,
    dir: PathBuf,
    /// Each node's REST address, the indexer's first.
    pub urls: Vec<String>,
}

impl Cluster {
    pub(crate) fn start(tools: &Path, dir: &Path, nodes: usize) -> Cluster {
        let started = std::process::Command::new("bash")
            .arg(tools.join("cluster.sh"))
            .arg("start")
            .arg(dir)
            .arg(nodes.to_string())
            .output()
            .expect("cluster.sh runs");
        let cluster = Cluster {
            tools: tools.to_path_buf(),
            dir: dir.to_path_buf(),
            urls: String::from_utf8_lossy(&started.stdout)
                .lines()
                .map(|l| l.trim().to_string())
                .filter(|l| !l.is_empty())
                .collect(),
        };
        assert!(
            started.status.success() && cluster.urls.len() == nodes,
            "{}",
            String::from_utf8_lossy(&started.stderr)
        );
        cluster
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        let _ = std::process::Command::new("bash")
            .arg(self.tools.join("cluster.sh"))
            .arg("stop")
            .arg(&self.dir)
            .status();
    }
}

/// An HTTP client that hands back every status.
pub(crate) fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(std::time::Duration::from_secs(120)))
        .build()
        .new_agent()
}

/// A search's hits (up to 10,000) and its total.
pub(crate) fn search(url: &str, index: &str, query: &str) -> (Vec<Value>, u64) {
    let body = serde_json::json!({"query": query, "max_hits": 10_000}).to_string();
    let mut answer = agent()
        .post(&format!("{url}/api/v1/{index}/search"))
        .header("Content-Type", "application/json")
        .send(body.as_str())
        .expect("Quickwit answers");
    let text = answer.body_mut().read_to_string().expect("a body");
    let value: Value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{e}: {text}"));
    let hits = value["hits"].as_array().cloned().unwrap_or_default();
    let total = value["num_hits"]
        .as_u64()
        .unwrap_or_else(|| panic!("{query}: {value}"));
    (hits, total)
}
