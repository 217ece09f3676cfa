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
    let mut request = request(args)?;
    let open = crate::index::open(&args.location.index)?;
    let mut total = None;
    if args.all {
        let n = crate::search::total(&open, &request).map_err(in_flag_terms)?;
        request.limit = usize::try_from(n).unwrap_or(usize::MAX);
        total = Some(n);
    }
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
    // A file cut at the limit says nothing of it: stderr does.
    if format != HitFormat::Text && hits.len() == request.limit && request.limit > 0 {
        let total = match (total, &facets) {
            (Some(n), _) => n,
            (None, Some(facets)) => facets.total,
            (None, None) => crate::search::total(&open, &request).map_err(in_flag_terms)?,
        };
        let shown = request.offset + hits.len();
        if let Some(note) = left_out(
            usize::try_from(total).unwrap_or(usize::MAX),
            request.offset,
            shown,
            "matching statements",
        ) {
            eprintln!("{note}");
        }
    }
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

/// What a format for files left out, for stderr: `None` when it wrote every
/// one after `offset`.
pub(super) fn left_out(total: usize, offset: usize, shown: usize, what: &str) -> Option<String> {
    (total > shown).then(|| {
        format!(
            "citeindex: wrote {}–{} of {total} {what}; {} more left out (--limit {} or --all writes them)",
            (offset + 1).min(shown),
            shown,
            total - shown,
            total - offset,
        )
    })
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
