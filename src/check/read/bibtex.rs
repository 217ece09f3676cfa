//! BibTeX and BibLaTeX, read by the `biblatex` crate (the parser of the
//! typst typesetter): `@string` abbreviations, TeX accents and braces,
//! `crossref` and `date` fields as BibLaTeX defines them, which a
//! hand-written reader would get wrong on real exports.

use biblatex::{Bibliography, ChunksExt, Entry, ParseErrorKind};

use super::{cleaned, year_in, ReadError, Reference};

pub(super) fn read(text: &str) -> Result<Vec<Reference>, ReadError> {
    let bibliography = Bibliography::parse(text).map_err(|e| {
        // At the end of the file the fault is not where the parser stopped
        // but in the entry left open.
        let at_end =
            e.kind == ParseErrorKind::UnexpectedEof || e.span.start >= text.trim_end().len();
        match at_end {
            true => ReadError::at(
                text,
                text.rfind('@').unwrap_or(0),
                "not BibTeX: the entry that starts here is not closed before the file ends",
            ),
            false => ReadError::at(text, e.span.start, format!("not BibTeX: {}", e.kind)),
        }
    })?;
    Ok(bibliography.iter().map(reference).collect())
}

fn reference(entry: &Entry) -> Reference {
    let field = |name: &str| entry.get(name).map(|chunks| chunks.format_verbatim());
    // A DOI is in `doi` as a rule; some exports put it only in a link, or in
    // BibLaTeX's `eprint` with `eprinttype = {doi}`.
    let eprint_doi = field("eprinttype")
        .filter(|t| t.eq_ignore_ascii_case("doi"))
        .and_then(|_| field("eprint"));
    let doi = [field("doi"), field("url"), eprint_doi]
        .into_iter()
        .flatten()
        .find_map(|value| crate::doi::canonical(&value));
    Reference {
        key: entry.key.clone(),
        doi,
        title: field("title").as_deref().and_then(cleaned),
        year: field("year")
            .or_else(|| field("date"))
            .as_deref()
            .and_then(year_in),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_in_order_with_their_doi_title_and_year() {
        let text = r#"@string{jn = "Journal of Tests"}
@article{okafor2021,
  title = {Sleep {Spindles} and {Memory} in Caf\'{e} Workers},
  journal = jn, year = 2021, doi = {https://doi.org/10.5555/ABC.1},
}
@book{haddad, title = "No DOI Here", date = {2019-03-01}}
@online{linked, title = {Linked}, url = {https://doi.org/10.5555%2Fxyz}}
@article{eprinted, title = {E}, eprint = {10.5555/e}, eprinttype = {doi}}
"#;
        let refs = read(text).unwrap();
        let got: Vec<_> = refs
            .iter()
            .map(|r| (r.key.as_str(), r.doi.as_deref(), r.year))
            .collect();
        assert_eq!(
            got,
            [
                ("okafor2021", Some("10.5555/abc.1"), Some(2021)),
                ("haddad", None, Some(2019)),
                ("linked", Some("10.5555/xyz"), None),
                ("eprinted", Some("10.5555/e"), None),
            ]
        );
        assert_eq!(
            refs[0].title.as_deref(),
            Some("Sleep Spindles and Memory in Café Workers")
        );
    }

    #[test]
    fn a_broken_entry_names_its_line() {
        for text in [
            "@article{a, title = {A}}\n\n@article{b, title = {B}\n",
            "@article{a, title = {A}}\n\n@article{b, title = {B\n",
        ] {
            let e = read(text).unwrap_err();
            assert_eq!(e.line, 3, "{e}");
            assert!(e.reason.contains("is not closed"), "{e}");
        }
        let e = read("@article{a, title = {A}}\n@article{a, title = {B}}\n").unwrap_err();
        assert_eq!((e.line, e.reason.contains("a")), (2, true), "{e}");
    }
}
