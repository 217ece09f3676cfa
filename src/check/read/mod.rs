//! Reference lists as reference managers and authors write them: BibTeX or
//! BibLaTeX, RIS, CSL-JSON, or any text with DOIs in it, each read into the
//! same [`Reference`]s, in the file's order.
//!
//! The form is told by the file's extension, else by its first bytes, so a
//! list pasted into a `.txt` or arriving without a name (standard input, an
//! upload) is read as what it is. A file in a named form that does not parse
//! is an error with its line, never read as text instead: a half-read
//! reference list would look complete.

mod bibtex;
mod csl;
mod ris;

use std::borrow::Cow;

use serde::Serialize;

/// One entry of a reference list.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub(crate) struct Reference {
    /// The citation key (BibTeX), `ID` (RIS), `id` (CSL-JSON), or the
    /// position in the list (from 1) when it gives none.
    pub key: String,
    /// In the form [`crate::doi::canonical`] keeps.
    pub doi: Option<String>,
    pub title: Option<String>,
    pub year: Option<u64>,
}

/// The forms a reference list comes in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub(crate) enum Form {
    Bibtex,
    Ris,
    CslJson,
    /// Any other text: each DOI in it is a reference.
    Text,
}

impl Form {
    /// The form of a file named `name` (its extension decides) holding `text`
    /// (its first characters decide when the extension does not).
    pub(crate) fn of(name: &str, text: &str) -> Form {
        let extension = name
            .rsplit_once('.')
            .map(|(_, e)| e.to_ascii_lowercase())
            .unwrap_or_default();
        match extension.as_str() {
            "bib" | "bibtex" | "biblatex" => return Form::Bibtex,
            "ris" => return Form::Ris,
            "json" | "csl" => return Form::CslJson,
            _ => {}
        }
        let start = text.trim_start();
        if start.starts_with('@') {
            Form::Bibtex
        } else if start.starts_with("TY  -") {
            Form::Ris
        } else if start.starts_with('[') || start.starts_with('{') {
            Form::CslJson
        } else {
            Form::Text
        }
    }

    /// The message for a file of this form, named `name`, that holds no
    /// reference, saying why.
    pub(crate) fn nothing_in(self, name: &str) -> String {
        let why = match self {
            Form::Text => "read as text, whose references are its DOIs: none found",
            Form::Bibtex => "a BibTeX file without entries",
            Form::Ris => "a RIS file without records",
            Form::CslJson => "a CSL-JSON file without items",
        };
        format!("{name}: no reference in it ({why})")
    }
}

/// Why a reference list could not be read: where, and what is wrong.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("line {line}: {reason}")]
pub(crate) struct ReadError {
    /// From 1.
    pub line: usize,
    pub reason: String,
}

impl ReadError {
    /// The message for this error in the file named `name`: `refs.bib:3: …`.
    pub(crate) fn in_file(&self, name: &str) -> String {
        format!("{name}:{}: {}", self.line, self.reason)
    }

    /// An error at the byte `offset` of `text`.
    pub(crate) fn at(text: &str, offset: usize, reason: impl Into<String>) -> ReadError {
        let offset = offset.min(text.len());
        let line = text.as_bytes()[..offset]
            .iter()
            .filter(|&&b| b == b'\n')
            .count()
            + 1;
        ReadError {
            line,
            reason: reason.into(),
        }
    }
}

/// The references in a file named `name` with these bytes, and its form.
pub(crate) fn read(name: &str, bytes: &[u8]) -> Result<(Form, Vec<Reference>), ReadError> {
    let text = decode(bytes);
    let form = Form::of(name, &text);
    let references = match form {
        Form::Bibtex => bibtex::read(&text)?,
        Form::Ris => ris::read(&text)?,
        Form::CslJson => csl::read(&text)?,
        Form::Text => crate::doi::all_in(&text)
            .into_iter()
            .enumerate()
            .map(|(i, doi)| Reference {
                key: (i + 1).to_string(),
                doi: Some(doi),
                ..Reference::default()
            })
            .collect(),
    };
    Ok((form, references))
}

/// The text of a file: UTF-8 or UTF-16 by its byte-order mark, else UTF-8,
/// else Windows-1252 (which older EndNote and Windows tools write), so that
/// no list is refused for its encoding.
fn decode(bytes: &[u8]) -> Cow<'_, str> {
    if let Some((encoding, _)) = encoding_rs::Encoding::for_bom(bytes) {
        return encoding.decode_with_bom_removal(bytes).0;
    }
    match std::str::from_utf8(bytes) {
        Ok(text) => Cow::Borrowed(text),
        Err(_) => encoding_rs::WINDOWS_1252.decode(bytes).0,
    }
}

/// The first year (four digits, 1500 to 2199) in a date as written:
/// `2019`, `2019-03-01`, `2019/03//`, `March 2019`.
pub(crate) fn year_in(date: &str) -> Option<u64> {
    let bytes = date.as_bytes();
    (0..bytes.len().saturating_sub(3)).find_map(|i| {
        let four = &bytes[i..i + 4];
        let alone = |j: Option<&u8>| j.is_none_or(|b| !b.is_ascii_digit());
        let bounded = alone(i.checked_sub(1).and_then(|j| bytes.get(j))) && alone(bytes.get(i + 4));
        let year: u64 = std::str::from_utf8(four).ok()?.parse().ok()?;
        (bounded && four.iter().all(u8::is_ascii_digit) && (1500..2200).contains(&year))
            .then_some(year)
    })
}

/// A value with its spacing made single and nothing when it is empty.
pub(crate) fn cleaned(value: &str) -> Option<String> {
    let value = value.split_whitespace().collect::<Vec<_>>().join(" ");
    (!value.is_empty()).then_some(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_extension_decides_then_the_first_bytes() {
        assert_eq!(Form::of("refs.BIB", "anything"), Form::Bibtex);
        assert_eq!(Form::of("refs.ris", ""), Form::Ris);
        assert_eq!(Form::of("refs.json", ""), Form::CslJson);
        assert_eq!(Form::of("-", "  @article{a, title={x}}"), Form::Bibtex);
        assert_eq!(Form::of("paste.txt", "TY  - JOUR\r\n"), Form::Ris);
        assert_eq!(Form::of("upload", "[{\"id\": \"a\"}]"), Form::CslJson);
        assert_eq!(Form::of("refs.txt", "Smith, 2019. doi:10.1/x"), Form::Text);
    }

    #[test]
    fn a_text_gives_its_dois_in_order_keyed_by_position() {
        let (form, refs) = read("refs.md", b"1. A, doi:10.5555/A\n2. B 10.5555/b\n").unwrap();
        assert_eq!(form, Form::Text);
        let keys: Vec<_> = refs
            .iter()
            .map(|r| (r.key.as_str(), r.doi.as_deref()))
            .collect();
        assert_eq!(keys, [("1", Some("10.5555/a")), ("2", Some("10.5555/b"))]);
    }

    #[test]
    fn encodings_are_read_by_bom_then_utf8_then_windows_1252() {
        assert_eq!(decode(b"\xef\xbb\xbfcaf\xc3\xa9"), "café");
        assert_eq!(decode(b"\xff\xfec\x00a\x00"), "ca");
        assert_eq!(decode(b"caf\xe9"), "café");
    }

    #[test]
    fn years_are_found_in_dates_as_written() {
        assert_eq!(year_in("2019-03-01"), Some(2019));
        assert_eq!(year_in("March 2019"), Some(2019));
        assert_eq!(year_in("2019///"), Some(2019));
        assert_eq!(year_in("12019"), None);
        assert_eq!(year_in("n.d."), None);
    }

    #[test]
    fn errors_name_their_line() {
        let e = ReadError::at("a\nb\nc", 4, "bad");
        assert_eq!(e.to_string(), "line 3: bad");
    }
}
