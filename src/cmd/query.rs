//! `citeindex query`: check the filters, search, print the hits.

use std::io::Write;

use super::{use_color, Outcome};
use crate::cli::{HitFormat, QueryArgs};
use crate::render::{self, Delimiter, Style};
use crate::search::{search, FilterError, Filters, Request, SearchError};

pub fn run(args: &QueryArgs) -> anyhow::Result<Outcome> {
    let format = args.output();
    if args.facets && matches!(format, HitFormat::Csv | HitFormat::Tsv) {
        anyhow::bail!(
            "--facets has no place in a table of hits: use --format text or json for the counts"
        );
    }
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
    match format {
        HitFormat::Text => {
            for hit in &hits {
                render::hit(&mut out, hit, style)?;
            }
        }
        HitFormat::Json => {
            for hit in &hits {
                render::hit_json(&mut out, hit)?;
            }
        }
        HitFormat::Csv => render::hits_table(&mut out, &hits, Delimiter::Comma)?,
        HitFormat::Tsv => render::hits_table(&mut out, &hits, Delimiter::Tab)?,
    }
    if let Some(facets) = &facets {
        if format == HitFormat::Json {
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
pub(super) fn flag_error(e: &FilterError) -> String {
    format!("--{} {e}", e.filter().name())
}

/// A search error, with a filter's in the command line's terms.
pub(super) fn in_flag_terms(e: SearchError) -> anyhow::Error {
    match e {
        SearchError::BadFilter(filter) => anyhow::anyhow!(flag_error(&filter)),
        other => other.into(),
    }
}
