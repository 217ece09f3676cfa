//! `POST /api/check`: a reference list sent as the request's body, checked
//! as `citeindex check --format json` checks it, answered in the same JSON
//! lines. The list is read from memory and never written to disk; its size
//! is capped, and the Host and Origin guard stands in front of it as of
//! every API route (a page of another site cannot post to it).

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::rejection::{BytesRejection, QueryRejection};
use axum::extract::{Query, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

use super::api::{error, run};
use super::AppState;
use crate::check::{self, DEFAULT_CONTESTED_ABOVE};
use crate::render;

/// The largest list taken: 8 MB holds tens of thousands of BibTeX entries.
pub(super) const MAX_LIST_BYTES: usize = 8 << 20;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct CheckParams {
    /// The file's name: its extension tells the form (else its first bytes).
    name: Option<String>,
    /// As `--contested-above`: `0.1` or `10%`.
    contested_above: Option<String>,
}

pub(super) async fn check(
    State(state): State<Arc<AppState>>,
    params: Result<Query<CheckParams>, QueryRejection>,
    body: Result<Bytes, BytesRejection>,
) -> Response {
    let Query(params) = match params {
        Ok(params) => params,
        Err(e) => return error(StatusCode::BAD_REQUEST, &e.body_text()),
    };
    let body = match body {
        Ok(body) => body,
        Err(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => {
            return error(
                StatusCode::PAYLOAD_TOO_LARGE,
                &format!(
                    "the list is larger than {} MB; split it, or run `citeindex check` on it",
                    MAX_LIST_BYTES >> 20
                ),
            )
        }
        Err(e) => return error(StatusCode::BAD_REQUEST, &e.body_text()),
    };
    let share = match params.contested_above.as_deref() {
        None => DEFAULT_CONTESTED_ABOVE,
        Some(text) => match check::parse_share(text) {
            Ok(share) => share,
            Err(message) => {
                return error(
                    StatusCode::BAD_REQUEST,
                    &format!("contested_above: {message}"),
                )
            }
        },
    };
    let name = params.name.unwrap_or_default();
    let shown = if name.is_empty() { "the list" } else { &name };
    let references = match check::read::read(&name, &body) {
        Ok((form, references)) if references.is_empty() => {
            return error(StatusCode::UNPROCESSABLE_ENTITY, &form.nothing_in(shown));
        }
        Ok((_, references)) => references,
        Err(e) => return error(StatusCode::BAD_REQUEST, &e.in_file(shown)),
    };
    run(&state, move |open| {
        let mut rows = match check::check(open, &references, share) {
            Ok(rows) => rows,
            Err(e) => return error(StatusCode::INTERNAL_SERVER_ERROR, &e.to_string()),
        };
        render::shown_checked_paths(&mut rows);
        let mut lines = Vec::new();
        if let Err(e) = render::checked_json(&mut lines, &rows) {
            return error(StatusCode::INTERNAL_SERVER_ERROR, &e.to_string());
        }
        ([(header::CONTENT_TYPE, "application/x-ndjson")], lines).into_response()
    })
    .await
}
