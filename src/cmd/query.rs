//! `citeindex query`: check the filters, search, print the hits.

use std::io::Write;

use super::{use_color, Outcome};
use crate::cli::{QueryArgs, SortChoice};
use crate::render::{self, Style};
use crate::search::{search, Filters, Order, Request};

pub fn run(args: &QueryArgs) -> anyhow::Result<Outcome> {
    let request = request(args)?;
    let open = crate::index::open(&args.location.index)?;
    let hits = search(&open, &request)?;
    let facets = if args.facets {
        Some(crate::search::facets(&open, &request)?)
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
        order: match args.sort {
            SortChoice::Relevance => Order::Relevance,
            SortChoice::Year => Order::Year,
            SortChoice::Confidence => Order::Confidence,
        },
        explain: args.explain,
        limit: args.limit,
        offset: args.offset,
    })
}

fn filters(args: &QueryArgs) -> anyhow::Result<Filters> {
    Filters::from_text(
        args.section.as_deref(),
        args.kind.as_deref(),
        args.author.as_deref(),
        args.year.as_deref(),
        args.doi.as_deref(),
    )
    .map_err(|e| anyhow::anyhow!("--{e}"))
}
