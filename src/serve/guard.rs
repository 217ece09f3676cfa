//! Only the user's own pages get in.
//!
//! A web page the user visits can point its own domain at 127.0.0.1 (DNS
//! rebinding) and then read a local server as if it were its own origin. Its
//! requests still say which name they were sent to: the `Host` header names
//! the attacker's domain. So a request is answered only when its `Host` names
//! this server (`127.0.0.1:PORT`, `localhost:PORT`, `[::1]:PORT`, the bound
//! address, or a name given with `--allow-host`), and an API request only when
//! it comes from the server's own page: no `Origin` of another site, no
//! `Sec-Fetch-Site` other than `same-origin` or `none`. No CORS header is ever
//! sent, so a browser lets no other origin read an answer either.

use std::collections::HashSet;
use std::net::SocketAddr;
use std::sync::Arc;

use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::middleware::Next;
use axum::response::Response;

use super::api;

/// The `Host` values this server answers to, lowercased.
#[derive(Debug, Clone)]
pub(crate) struct AllowedHosts {
    names: HashSet<String>,
}

impl AllowedHosts {
    /// The loopback names at the bound port, the bound address itself, and
    /// `extra` names (with or without a port; without, at the bound port).
    pub(crate) fn new(bound: SocketAddr, extra: &[String]) -> AllowedHosts {
        let port = bound.port();
        let mut names: HashSet<String> = [
            format!("127.0.0.1:{port}"),
            format!("localhost:{port}"),
            format!("[::1]:{port}"),
            bound.to_string(),
        ]
        .into_iter()
        .collect();
        for name in extra {
            let name = name.trim().to_lowercase();
            if name.is_empty() {
                continue;
            }
            names.insert(name.clone());
            if !has_port(&name) {
                names.insert(format!("{name}:{port}"));
            }
        }
        AllowedHosts { names }
    }

    /// Whether a `Host` header value names this server. A browser sends the
    /// port whenever it is not the scheme's default, so the port is compared too.
    pub(crate) fn allows(&self, host: &str) -> bool {
        self.names.contains(&host.trim().to_lowercase())
    }
}

fn has_port(name: &str) -> bool {
    match name.rsplit_once(':') {
        // `[::1]:7700` has one after the bracket; a bare IPv6 address has none.
        Some((before, port)) => {
            port.bytes().all(|b| b.is_ascii_digit())
                && (!before.contains(':') || before.ends_with(']'))
        }
        None => false,
    }
}

/// Why a request is refused, if it is.
pub(super) fn refusal(hosts: &AllowedHosts, headers: &HeaderMap, api: bool) -> Option<String> {
    let host = headers.get(header::HOST).and_then(|h| h.to_str().ok());
    let Some(host) = host else {
        return Some("a request must name this server in its Host header".to_string());
    };
    if !hosts.allows(host) {
        return Some(format!(
            "this server does not answer to the name `{}`; open it as http://127.0.0.1 or localhost \
             (or name it with --allow-host)",
            host.chars().take(100).collect::<String>()
        ));
    }
    if !api {
        return None;
    }
    // The page's own requests carry `Origin: http://<the same host>` (or none).
    if let Some(origin) = headers.get(header::ORIGIN) {
        let same = origin
            .to_str()
            .ok()
            .and_then(|o| o.strip_prefix("http://"))
            .is_some_and(|o| o.eq_ignore_ascii_case(host));
        if !same {
            return Some(
                "the API answers only this server's own page (cross-origin request)".to_string(),
            );
        }
    }
    let site = headers
        .get("sec-fetch-site")
        .and_then(|s| s.to_str().ok())
        .unwrap_or("none");
    if site != "same-origin" && site != "none" {
        return Some(
            "the API answers only this server's own page (cross-site request)".to_string(),
        );
    }
    None
}

/// The middleware: a refused request gets `403` and the reason as JSON.
pub(super) async fn check(
    State(hosts): State<Arc<AllowedHosts>>,
    request: Request,
    next: Next,
) -> Response {
    let api = request.uri().path().starts_with("/api/");
    match refusal(&hosts, request.headers(), api) {
        Some(reason) => api::error(StatusCode::FORBIDDEN, &reason),
        None => next.run(request).await,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.insert(*name, HeaderValue::from_static(value));
        }
        map
    }

    #[test]
    fn answers_only_to_its_own_names() {
        let hosts = AllowedHosts::new("127.0.0.1:7700".parse().unwrap(), &["Papers.Lab".into()]);
        for ok in [
            "127.0.0.1:7700",
            "localhost:7700",
            "LOCALHOST:7700",
            "[::1]:7700",
            "papers.lab",
            "papers.lab:7700",
        ] {
            assert!(hosts.allows(ok), "{ok}");
        }
        for bad in [
            "attacker.example",
            "attacker.example:7700",
            "127.0.0.1:7701",
            "localhost",
            "127.0.0.1",
        ] {
            assert!(!hosts.allows(bad), "{bad}");
        }
        let any = AllowedHosts::new("0.0.0.0:80".parse().unwrap(), &["10.0.0.5:8080".into()]);
        assert!(any.allows("10.0.0.5:8080") && !any.allows("10.0.0.5:80"));
    }

    #[test]
    fn refuses_other_hosts_and_other_origins() {
        let hosts = AllowedHosts::new("127.0.0.1:7700".parse().unwrap(), &[]);
        let own = [("host", "127.0.0.1:7700")];
        assert_eq!(refusal(&hosts, &headers(&own), true), None);
        let page = [
            ("host", "127.0.0.1:7700"),
            ("origin", "http://127.0.0.1:7700"),
            ("sec-fetch-site", "same-origin"),
        ];
        assert_eq!(refusal(&hosts, &headers(&page), true), None);
        let rebound = [
            ("host", "attacker.example"),
            ("origin", "http://attacker.example"),
        ];
        assert!(refusal(&hosts, &headers(&rebound), false).is_some());
        let cross = [
            ("host", "127.0.0.1:7700"),
            ("origin", "http://attacker.example"),
        ];
        assert!(refusal(&hosts, &headers(&cross), true).is_some());
        assert_eq!(
            refusal(&hosts, &headers(&cross), false),
            None,
            "pages carry no data"
        );
        let sibling = [("host", "127.0.0.1:7700"), ("sec-fetch-site", "same-site")];
        assert!(refusal(&hosts, &headers(&sibling), true).is_some());
        assert!(refusal(&hosts, &headers(&[]), false).is_some(), "no Host");
    }
}
