//! `citeindex check`: reference lists against the index, for people, as
//! JSON lines, or as a table.

use std::io::{Read, Write};
use std::path::Path;

use anyhow::Context;

use super::query::in_flag_terms;
use super::{use_color, Outcome};
use crate::check::{self, Form, Reference};
use crate::cli::{CheckArgs, CheckFormat};
use crate::render::{self, Delimiter, Style};

pub fn run(args: &CheckArgs) -> anyhow::Result<Outcome> {
    let mut references = Vec::new();
    let mut empty = false;
    for file in &args.files {
        let (name, form, found) = read(file)?;
        if found.is_empty() {
            eprintln!("{}", form.nothing_in(&name));
            empty = true;
        }
        references.extend(found);
    }
    let open = crate::index::open(&args.location.index)?;
    let mut rows = check::check(&open, &references, args.contested_above).map_err(in_flag_terms)?;
    render::shown_checked_paths(&mut rows);
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    match args.output() {
        CheckFormat::Text => {
            let style = Style::new(use_color(args.color));
            render::checked(&mut out, &rows, args.contested_above, style)?;
        }
        CheckFormat::Json => render::checked_json(&mut out, &rows)?,
        CheckFormat::Csv => render::checked_table(&mut out, &rows, Delimiter::Comma)?,
        CheckFormat::Tsv => render::checked_table(&mut out, &rows, Delimiter::Tab)?,
    }
    out.flush()?;
    Ok(if empty {
        Outcome::NoResults
    } else {
        Outcome::Success
    })
}

/// A file's name as messages give it, its form and its references; `-` is
/// standard input. A file that cannot be read or parsed is an error naming
/// it (and the line).
fn read(file: &Path) -> anyhow::Result<(String, Form, Vec<Reference>)> {
    let (name, bytes) = if file == Path::new("-") {
        let mut bytes = Vec::new();
        std::io::stdin()
            .read_to_end(&mut bytes)
            .context("cannot read standard input")?;
        ("standard input".to_string(), bytes)
    } else {
        let name = file.display().to_string();
        let bytes = std::fs::read(file).with_context(|| format!("cannot read {name}"))?;
        (name, bytes)
    };
    let sniffed = match file == Path::new("-") {
        true => "",
        false => name.as_str(),
    };
    let (form, references) =
        check::read::read(sniffed, &bytes).map_err(|e| anyhow::anyhow!(e.in_file(&name)))?;
    Ok((name, form, references))
}
