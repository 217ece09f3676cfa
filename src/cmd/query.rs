//! `citeindex query`: check the filters, search, print the hits.

use std::io::Write;

use super::{use_color, Outcome};
use crate::cli::QueryArgs;
use crate::render::{self, Style};
use crate::search::{search, FilterError, Filters, Request, SearchError};

pub fn run(args: &QueryArgs) -> anyhow::Result<Outcome> {
    let request = request(args)?;
    let open = crate::index::open(&args.location.index)?;
    let mut hits = search(&open, &request).map_err(in_flag_terms)?;
    render::shown_paths(&mut hits);
    let facets = if args.facets {
        Some(crate::search::facets(&open, &request).map_err(in_flag_terms)?)
    } else {
        None
    };
    let style = Style::new(use_color(args.color));
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    for hit in &hits {
        if args.json {
            render::hit_json(&mut out, hit)?;
        } else {
            render::hit(&mut out, hit, style)?;
        }
    }
    if let Some(facets) = &facets {
        if args.json {
            render::facets_json(&mut out, facets)?;
        } else {
            render::facets(&mut out, facets, style)?;
        }
    }
    out.flush()?;
    Ok(if hits.is_empty() {
        Outcome::NoResults
    } else {
        Outcome::Success
    })
}

/// The search request the arguments describe; bad filter values are errors.
pub fn request(args: &QueryArgs) -> anyhow::Result<Request> {
    Ok(Request {
        query: args.query.join(" "),
        filters: filters(args)?,
        order: args.sort.into(),
        explain: args.explain,
        limit: args.limit,
        offset: args.offset,
    })
}

fn filters(args: &QueryArgs) -> anyhow::Result<Filters> {
    Filters::from_text(args.filters.text()).map_err(|e| anyhow::anyhow!(flag_error(&e)))
}

/// A filter's error in the command line's terms: `--year `20x` is not a year range…`.
fn flag_error(e: &FilterError) -> String {
    format!("--{} {e}", e.filter().name())
}

/// A search error, with a filter's in the command line's terms.
fn in_flag_terms(e: SearchError) -> anyhow::Error {
    match e {
        SearchError::BadFilter(filter) => anyhow::anyhow!(flag_error(&filter)),
        other => other.into(),
    }
}
