//! `citeindex papers`: the cited papers with matching statements, for people,
//! as JSON lines, as a table, or as BibTeX or RIS entries.

use std::io::Write;

use super::query::{flag_error, in_flag_terms, left_out};
use super::{use_color, Outcome};
use crate::cli::{PaperFormat, PapersArgs};
use crate::render::{self, Delimiter, Style};
use crate::search::{papers, Filters, Request};

pub fn run(args: &PapersArgs) -> anyhow::Result<Outcome> {
    let request = Request {
        query: args.query.join(" "),
        filters: Filters::from_text(args.filters.text())
            .map_err(|e| anyhow::anyhow!(flag_error(&e)))?,
        limit: args.limit(),
        offset: args.offset,
        ..Request::default()
    };
    let open = crate::index::open(&args.location.index)?;
    let mut found = papers(&open, &request, args.sort.into()).map_err(in_flag_terms)?;
    for paper in &mut found.papers {
        render::shown_file_paths(&mut paper.files);
    }
    let style = Style::new(use_color(args.color));
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    match args.output() {
        PaperFormat::Text => {
            for paper in &found.papers {
                render::paper(&mut out, paper, style)?;
            }
            render::papers_footer(&mut out, &found, request.offset, style)?;
        }
        PaperFormat::Json => {
            for paper in &found.papers {
                render::paper_json(&mut out, paper)?;
            }
        }
        PaperFormat::Csv => render::papers_table(&mut out, &found.papers, Delimiter::Comma)?,
        PaperFormat::Tsv => render::papers_table(&mut out, &found.papers, Delimiter::Tab)?,
        PaperFormat::Bibtex => render::bibtex(&mut out, &found.papers)?,
        PaperFormat::Ris => render::ris(&mut out, &found.papers)?,
    }
    out.flush()?;
    if args.output() != PaperFormat::Text {
        let shown = request.offset + found.papers.len();
        if let Some(note) = left_out(found.total, request.offset, shown, "papers") {
            eprintln!("{note}");
        }
    }
    Ok(if found.papers.is_empty() {
        Outcome::NoResults
    } else {
        Outcome::Success
    })
}
