//! RIS, the tagged format of Zotero, EndNote and Mendeley exports: a record
//! per reference, from `TY  - ` to `ER  - `, one `TAG  - value` a line (CRLF
//! or LF), a value's further lines untagged.

use super::{cleaned, year_in, ReadError, Reference};

/// The fields of one record, as far as read.
#[derive(Default)]
struct Record {
    start_line: usize,
    id: Option<String>,
    doi: Option<String>,
    links: Vec<String>,
    title: Option<String>,
    year: Option<u64>,
    /// The tag the last value line had, for a value's further lines.
    last_tag: String,
}

pub(super) fn read(text: &str) -> Result<Vec<Reference>, ReadError> {
    let mut references = Vec::new();
    let mut record: Option<Record> = None;
    for (i, line) in text.lines().enumerate() {
        let line_no = i + 1;
        let line = line.trim_end_matches('\r');
        let Some((tag, value)) = tagged(line) else {
            if let Some(record) = record.as_mut().filter(|_| !line.trim().is_empty()) {
                record.go_on(line.trim());
            }
            continue;
        };
        match (tag, record.as_mut()) {
            ("TY", None) => {
                record = Some(Record {
                    start_line: line_no,
                    ..Record::default()
                })
            }
            ("TY", Some(open)) => {
                return Err(ReadError {
                    line: line_no,
                    reason: format!(
                        "not RIS: a new record starts before the one of line {} ends with `ER  -`",
                        open.start_line
                    ),
                })
            }
            ("ER", Some(_)) => {
                let done = record.take().unwrap_or_default();
                references.push(done.into_reference(references.len() + 1));
            }
            (_, None) => {
                return Err(ReadError {
                    line: line_no,
                    reason: format!(
                    "not RIS: a `{tag}  -` line outside a record (a record starts with `TY  -`)"
                ),
                })
            }
            (_, Some(open)) => open.take(tag, value),
        }
    }
    match record {
        Some(open) => Err(ReadError {
            line: open.start_line,
            reason:
                "not RIS: the record that starts here has no `ER  -` end (is the file cut short?)"
                    .to_string(),
        }),
        None => Ok(references),
    }
}

/// `TI  - A title` → (`TI`, `A title`); `ER  -` has an empty value.
fn tagged(line: &str) -> Option<(&str, &str)> {
    let bytes = line.as_bytes();
    let tag_ok = bytes.len() >= 5
        && bytes[0].is_ascii_uppercase()
        && (bytes[1].is_ascii_uppercase() || bytes[1].is_ascii_digit())
        && &bytes[2..5] == b"  -";
    if !tag_ok || bytes.get(5).is_some_and(|b| *b != b' ') {
        return None;
    }
    Some((&line[..2], line.get(6..).unwrap_or("").trim()))
}

impl Record {
    fn take(&mut self, tag: &str, value: &str) {
        self.last_tag = tag.to_string();
        let value = value.to_string();
        match tag {
            "ID" => self.id = self.id.take().or(Some(value)),
            "DO" => self.doi = self.doi.take().or(Some(value)),
            "UR" | "L2" => self.links.push(value),
            // `TI` is the title; `T1` is the older tag for it.
            "TI" | "T1" => self.title = self.title.take().or(Some(value)),
            "PY" | "Y1" | "DA" => self.year = self.year.or_else(|| year_in(&value)),
            _ => {}
        }
    }

    /// An untagged line: more of the last value (a wrapped title).
    fn go_on(&mut self, line: &str) {
        if matches!(self.last_tag.as_str(), "TI" | "T1") {
            if let Some(title) = &mut self.title {
                title.push(' ');
                title.push_str(line);
            }
        }
    }

    fn into_reference(self, position: usize) -> Reference {
        let doi = self
            .doi
            .iter()
            .chain(&self.links)
            .find_map(|v| crate::doi::canonical(v));
        Reference {
            key: self
                .id
                .as_deref()
                .and_then(cleaned)
                .unwrap_or_else(|| position.to_string()),
            doi,
            title: self.title.as_deref().and_then(cleaned),
            year: self.year,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_give_id_doi_title_and_year_with_crlf_or_lf() {
        for end in ["\n", "\r\n"] {
            let text = [
                "TY  - JOUR",
                "ID  - okafor2021",
                "TI  - Sleep spindles and",
                "  memory",
                "PY  - 2021/04//",
                "DO  - 10.5555/ABC",
                "ER  - ",
                "",
                "TY  - BOOK",
                "T1  - Linked only",
                "UR  - https://doi.org/10.5555/xyz",
                "DA  - 2019",
                "ER  -",
            ]
            .join(end);
            let refs = read(&text).unwrap();
            let got: Vec<_> = refs
                .iter()
                .map(|r| (r.key.as_str(), r.doi.as_deref(), r.title.as_deref(), r.year))
                .collect();
            assert_eq!(
                got,
                [
                    (
                        "okafor2021",
                        Some("10.5555/abc"),
                        Some("Sleep spindles and memory"),
                        Some(2021)
                    ),
                    ("2", Some("10.5555/xyz"), Some("Linked only"), Some(2019)),
                ]
            );
        }
    }

    #[test]
    fn a_record_cut_short_or_a_stray_tag_names_its_line() {
        let e = read("TY  - JOUR\nTI  - A\nER  - \nTY  - JOUR\nTI  - B\n").unwrap_err();
        assert_eq!(e.line, 4, "{e}");
        let e = read("TI  - A\n").unwrap_err();
        assert_eq!(e.line, 1, "{e}");
        let e = read("TY  - JOUR\nTY  - JOUR\n").unwrap_err();
        assert_eq!(e.line, 2, "{e}");
    }
}
