//! DOIs in the forms people write them, brought to one form.
//!
//! A DOI is case-insensitive (the DOI Handbook, 2.4), so the form kept is
//! lower case: `10.1080/abc`. What comes before it (`doi:`,
//! `https://doi.org/`, `http://dx.doi.org/`) is dropped, a URL's percent
//! escapes are decoded, and punctuation that ends the sentence a DOI was
//! written in (`.`, `,`, `;`, a closing bracket never opened) is not part of
//! it. Pages, filters and reference lists all meet in this form, so a DOI
//! written any of these ways finds the same paper.

use std::borrow::Cow;

/// The DOI `raw` holds, in the kept form; `None` when it holds none.
///
/// `raw` is one value (a field of a reference, a filter, a link): the first
/// DOI in it is the one, and a short registrant (`10.1/x`) is accepted.
pub(crate) fn canonical(raw: &str) -> Option<String> {
    let decoded = decoded(raw.trim());
    let first = scan(&decoded, 1).next().map(|found| found.doi);
    first
}

/// Every DOI in a free text, in the kept form, each once, in the order they
/// first appear. A registrant needs four digits or more here, as every
/// assigned one has, so that `10.5/kg` in a sentence is not taken for one.
pub(crate) fn all_in(text: &str) -> Vec<String> {
    let mut seen = std::collections::HashSet::new();
    let mut dois = Vec::new();
    for word in text.split_whitespace() {
        let word = decoded(word);
        for found in scan(&word, 4) {
            if seen.insert(found.doi.clone()) {
                dois.push(found.doi);
            }
        }
    }
    dois
}

/// A DOI found in a text.
struct Found {
    doi: String,
}

/// The DOIs of `text`, left to right, with at least `min_registrant` digits
/// after `10.`.
fn scan(text: &str, min_registrant: usize) -> impl Iterator<Item = Found> + '_ {
    let mut from = 0;
    std::iter::from_fn(move || {
        while let Some(at) = text[from..].find("10.").map(|i| i + from) {
            from = at + 3;
            // `110.1234/x` is a number, not a DOI.
            let glued = text[..at]
                .chars()
                .next_back()
                .is_some_and(|c| c.is_alphanumeric());
            if glued {
                continue;
            }
            if let Some((doi, end)) = doi_at(text, at, min_registrant) {
                from = end;
                return Some(Found { doi });
            }
        }
        None
    })
}

/// The DOI starting at `at` (which holds `10.`) and the byte after its end.
fn doi_at(text: &str, at: usize, min_registrant: usize) -> Option<(String, usize)> {
    let rest = &text[at + 3..];
    // The registrant: digits, maybe with `.`-separated subdivisions.
    let prefix_len = rest
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(rest.len());
    let registrant = &rest[..prefix_len];
    let digits = registrant.split('.').next().unwrap_or("");
    if digits.len() < min_registrant || registrant.ends_with('.') {
        return None;
    }
    let after_slash = rest[prefix_len..].strip_prefix('/')?;
    let suffix_len = after_slash
        .find(|c: char| c.is_whitespace() || matches!(c, '"' | '<' | '>' | '{' | '}'))
        .unwrap_or(after_slash.len());
    let suffix = trim_end(&after_slash[..suffix_len]);
    if suffix.is_empty() {
        return None;
    }
    let end = at + 3 + prefix_len + 1 + suffix.len();
    Some((text[at..end].to_lowercase(), end))
}

/// A suffix without what ends the sentence around it: trailing `.,;:!?'`,
/// and closing brackets it never opened (`(see 10.1/x)`), while
/// `10.1016/s0140-6736(20)30183-5` keeps its own.
fn trim_end(suffix: &str) -> &str {
    let mut s = suffix;
    loop {
        let before = s.len();
        s = s.trim_end_matches(['.', ',', ';', ':', '!', '?', '\'']);
        for (open, close) in [('(', ')'), ('[', ']')] {
            if s.ends_with(close) && s.matches(close).count() > s.matches(open).count() {
                s = &s[..s.len() - 1];
            }
        }
        if s.len() == before {
            return s;
        }
    }
}

/// `text` with its `%XX` escapes decoded (as a URL's DOI has `/` as `%2F`);
/// escapes that do not make UTF-8 are kept as written.
pub(crate) fn decoded(text: &str) -> Cow<'_, str> {
    if !text.contains('%') {
        // Most words of a text have no escape: nothing to copy.
        return Cow::Borrowed(text);
    }
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok())
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match (bytes[i], hex) {
            (b'%', Some(b)) => {
                out.push(b);
                i += 3;
            }
            (b, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8(out).map_or(Cow::Borrowed(text), Cow::Owned)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_written_form_is_one_doi() {
        for form in [
            "10.1080/ABC.123",
            "doi:10.1080/abc.123",
            "DOI: 10.1080/abc.123.",
            "https://doi.org/10.1080/abc.123",
            "http://dx.doi.org/10.1080/Abc.123",
            "https://doi.org/10.1080%2Fabc.123",
            "<https://doi.org/10.1080/abc.123>,",
        ] {
            assert_eq!(
                canonical(form).as_deref(),
                Some("10.1080/abc.123"),
                "{form}"
            );
        }
        assert_eq!(canonical("not one"), None);
        assert_eq!(canonical("10.1080/"), None);
        assert_eq!(canonical(" doi:10.1/X ").as_deref(), Some("10.1/x"));
    }

    #[test]
    fn brackets_stay_when_they_are_the_dois_own() {
        assert_eq!(
            canonical("(10.1016/S0140-6736(20)30183-5)").as_deref(),
            Some("10.1016/s0140-6736(20)30183-5")
        );
        assert_eq!(canonical("[10.1000/xyz]").as_deref(), Some("10.1000/xyz"));
    }

    #[test]
    fn a_text_gives_each_doi_once_in_order() {
        let text = "Smith (2019) doi:10.5555/B; see https://doi.org/10.5555/a.\n\
                    Again 10.5555/b, a dose of 10.5/kg, and 110.5555/c.";
        assert_eq!(all_in(text), ["10.5555/b", "10.5555/a"]);
    }

    #[test]
    fn escapes_that_are_not_utf8_are_kept() {
        assert_eq!(decoded("a%2Fb"), "a/b");
        assert_eq!(decoded("a%FFb"), "a%FFb");
        assert_eq!(decoded("100%"), "100%");
    }
}
