//! `citeindex parse`: show what the parser reads from each file. Every file is
//! reported; one that is no report page makes the exit code 2 but does not stop
//! the others.

use std::io::Write;

use super::{use_color, Outcome};
use crate::cli::{ColorChoice, ParseArgs};
use crate::crawl::{describe_io, open_regular};
use crate::page::parse_bytes;
use crate::render::{self, Style};

pub fn run(args: &ParseArgs) -> anyhow::Result<Outcome> {
    let style = Style::new(use_color(ColorChoice::Auto));
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let mut all_parsed = true;
    for (i, path) in args.files.iter().enumerate() {
        let parsed =
            read_file(path).and_then(|bytes| parse_bytes(path, &bytes).map_err(|e| e.to_string()));
        match parsed {
            Ok(page) if args.json => render::page_json(&mut out, path, &page)?,
            Ok(page) => {
                if i > 0 {
                    writeln!(out)?;
                }
                render::page(&mut out, path, &page, style)?;
            }
            Err(reason) => {
                all_parsed = false;
                if args.json {
                    render::page_error_json(&mut out, path, &reason)?;
                } else {
                    out.flush()?;
                    eprintln!("error: {}: {reason}", path.display());
                }
            }
        }
    }
    out.flush()?;
    Ok(if all_parsed {
        Outcome::Success
    } else {
        Outcome::Error
    })
}

/// The whole file, if it is a regular file (a FIFO would block).
fn read_file(path: &std::path::Path) -> Result<Vec<u8>, String> {
    use std::io::Read;
    let mut bytes = Vec::new();
    open_regular(path)?
        .read_to_end(&mut bytes)
        .map_err(|e| describe_io(&e))?;
    Ok(bytes)
}
