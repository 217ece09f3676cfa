//! Titles compared as people mean them: case, punctuation, spacing and
//! diacritics do not make two titles different (`Sleep-spindles: a review`
//! is `Sleep Spindles — A Review`, `Café` is `Cafe`).

use unicode_normalization::{char::is_combining_mark, UnicodeNormalization};

/// The form two titles are compared in: compatibility-decomposed with the
/// combining marks dropped, lower case, letters and digits in words joined by
/// one space.
pub(super) fn key(title: &str) -> String {
    let mut key = String::with_capacity(title.len());
    let mut gap = false;
    for c in title.nfkd().filter(|c| !is_combining_mark(*c)) {
        if c.is_alphanumeric() {
            if gap && !key.is_empty() {
                key.push(' ');
            }
            gap = false;
            key.extend(c.to_lowercase());
        } else {
            gap = true;
        }
    }
    key
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn case_punctuation_spacing_and_diacritics_do_not_count() {
        assert_eq!(key("Sleep-spindles:  a review."), "sleep spindles a review");
        assert_eq!(key("SLEEP SPINDLES — A REVIEW"), "sleep spindles a review");
        assert_eq!(key("Café Ångström"), key("cafe angstrom"));
        assert_ne!(key("Sleep spindles"), key("Sleep spindle"));
        assert_eq!(key(" … "), "");
    }
}
