//! Cited papers as entries for a reference manager: BibTeX (JabRef, Zotero,
//! LaTeX) and RIS (EndNote, Zotero, Mendeley). What a page shows of a paper
//! is its DOI, title and year; the entry carries those, a link to the DOI, and
//! a note with the page's tallies.

use std::collections::HashSet;
use std::io::{self, Write};

use crate::search::Paper;

/// BibTeX `@article` entries, keyed by DOI (`doi:10.5555/x.1`) or, for a
/// paper without one, by a hash of its file; keys are unique in the output.
pub(crate) fn bibtex(out: &mut dyn Write, papers: &[Paper]) -> io::Result<()> {
    let mut keys: HashSet<String> = HashSet::new();
    for paper in papers {
        let mut key = citation_key(paper);
        let base = key.clone();
        let mut n = 1;
        while !keys.insert(key.clone()) {
            n += 1;
            key = format!("{base}-{n}");
        }
        writeln!(out, "@article{{{key},")?;
        if let Some(title) = &paper.title {
            // Double braces keep the title's capitals as they are.
            writeln!(out, "  title = {{{{{}}}}},", latex_text(title))?;
        }
        if let Some(year) = paper.year {
            writeln!(out, "  year = {{{year}}},")?;
        }
        if let Some(doi) = &paper.doi {
            writeln!(out, "  doi = {{{}}},", latex_text(doi))?;
            writeln!(out, "  url = {{{}}},", doi_url(doi))?;
        }
        writeln!(out, "  note = {{{}}},", latex_text(&note(paper)))?;
        writeln!(out, "}}")?;
        writeln!(out)?;
    }
    Ok(())
}

/// RIS records (`TY  - JOUR` … `ER  - `), one field a line, CRLF line ends.
pub(crate) fn ris(out: &mut dyn Write, papers: &[Paper]) -> io::Result<()> {
    for paper in papers {
        let mut field = |tag: &str, value: &str| -> io::Result<()> {
            write!(out, "{tag}  - {}\r\n", one_line(value))
        };
        field("TY", "JOUR")?;
        if let Some(title) = &paper.title {
            field("TI", title)?;
        }
        if let Some(year) = paper.year {
            field("PY", &year.to_string())?;
        }
        if let Some(doi) = &paper.doi {
            field("DO", doi)?;
            field("UR", &doi_url(doi))?;
        }
        field("N1", &note(paper))?;
        write!(out, "ER  - \r\n\r\n")?;
    }
    Ok(())
}

/// `doi:` and the DOI with only the characters BibTeX tools accept in a key
/// (letters, digits, `: . / - _`); others become `_`.
fn citation_key(paper: &Paper) -> String {
    match &paper.doi {
        Some(doi) => {
            let safe: String = doi
                .chars()
                .map(|c| match c {
                    'a'..='z' | 'A'..='Z' | '0'..='9' | ':' | '.' | '/' | '-' | '_' => c,
                    _ => '_',
                })
                .collect();
            format!("doi:{safe}")
        }
        None => {
            let file = paper.files.first().map_or("", String::as_str);
            let hash = blake3::hash(file.as_bytes()).to_hex();
            format!("citeindex:{}", &hash[..12])
        }
    }
}

fn doi_url(doi: &str) -> String {
    // A DOI may hold characters a URL must escape; the common ones are few.
    let escaped: String = doi
        .chars()
        .map(|c| match c {
            ' ' => "%20".to_string(),
            '"' => "%22".to_string(),
            '#' => "%23".to_string(),
            '%' => "%25".to_string(),
            '?' => "%3F".to_string(),
            '{' => "%7B".to_string(),
            '}' => "%7D".to_string(),
            c => c.to_string(),
        })
        .collect();
    format!("https://doi.org/{escaped}")
}

/// The page's tallies and the matching statements, in words.
fn note(paper: &Paper) -> String {
    let n = |v: Option<u64>| v.map_or("?".to_string(), |v| v.to_string());
    format!(
        "Citation statements (citeindex): the page shows {} supporting, {} mentioning, {} contrasting; {} indexed statements match",
        n(paper.tally.supporting),
        n(paper.tally.mentioning),
        n(paper.tally.contrasting),
        paper.statements.total
    )
}

/// Text as LaTeX reads it back: its special characters escaped, so that
/// braces stay balanced and `%` starts no comment.
fn latex_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in one_line(text).chars() {
        match c {
            '\\' => out.push_str("\\textbackslash{}"),
            '{' | '}' | '&' | '%' | '$' | '#' | '_' => {
                out.push('\\');
                out.push(c);
            }
            '~' => out.push_str("\\textasciitilde{}"),
            '^' => out.push_str("\\textasciicircum{}"),
            c => out.push(c),
        }
    }
    out
}

/// Line breaks and tabs as spaces: every format here is one value a line.
fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_safe_and_unique() {
        let paper = |doi: &str| Paper {
            doi: Some(doi.to_string()),
            ..Paper::default()
        };
        assert_eq!(
            citation_key(&paper("10.1002/(sici)1097-4571{x}")),
            "doi:10.1002/_sici_1097-4571_x_"
        );
        let untitled = Paper {
            files: vec!["a/b.txt".to_string()],
            ..Paper::default()
        };
        assert!(citation_key(&untitled).starts_with("citeindex:"));
        let mut out = Vec::new();
        bibtex(&mut out, &[paper("10.1/a(b)"), paper("10.1/a[b]")]).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert!(text.contains("@article{doi:10.1/a_b_,"), "{text}");
        assert!(text.contains("@article{doi:10.1/a_b_-2,"), "{text}");
    }

    #[test]
    fn escapes_what_latex_reads_specially() {
        assert_eq!(
            latex_text("50% of {x} & y_1 \\ z ~ ^"),
            "50\\% of \\{x\\} \\& y\\_1 \\textbackslash{} z \\textasciitilde{} \\textasciicircum{}"
        );
        assert_eq!(one_line("a\nb\t c"), "a b c");
    }
}
