//! The authors a statement cites, read from its author-year citations.
//!
//! Two shapes are recognised. Parenthetical: `(Folmo et al., 2021)`,
//! `(Bateman & Fonagy, 2006; Fonagy & Allison, 2014)`, with `e.g.,`/`see`
//! prefixes, particles (`De Meulemeester`, `van der Berg`), several authors
//! before one year, and `;` separators with or without a space. Narrative:
//! `Okafor et al. (2020)`, `Lindqvist and Haddad (2017)`. A parenthesis whose
//! words are not all surnames (`(or mentalising relationship)`, `(MBT)`,
//! `(n = 120)`) names nobody, and numeric citations (`[12]`) are left alone:
//! a wrong author is worse than a missing one.

use super::CitedAuthor;

/// Lowercase words that may stand before a surname as part of it.
const PARTICLES: [&str; 22] = [
    "van", "von", "der", "den", "de", "del", "della", "da", "das", "dos", "di", "du", "la", "le",
    "ten", "ter", "st", "st.", "bin", "al", "el", "y",
];

/// Capitalised words that open a sentence or a phrase before a bare year and
/// are not surnames (`In (2019)`, `Table (2020)`).
const NOT_SURNAMES: [&str; 24] = [
    "The", "In", "This", "That", "These", "Those", "A", "An", "As", "Since", "During", "Recently",
    "Study", "Table", "Figure", "Fig", "Section", "Year", "Years", "From", "Until", "By", "On",
    "At",
];

/// Words that introduce a citation inside parentheses.
const PREFIXES: [&str; 11] = [
    "e.g.,",
    "e.g.",
    "eg,",
    "i.e.,",
    "i.e.",
    "see also",
    "see",
    "cf.",
    "cf",
    "but see",
    "reviewed in",
];

/// A statement's cited authors in order of appearance, each (author, year) once.
pub fn cited_authors(text: &str) -> Vec<CitedAuthor> {
    let mut found = Vec::new();
    for (open, close) in paren_groups(text) {
        let inner = &text[open + 1..close];
        if is_year_list(inner) {
            let years = years_in(inner);
            for author in narrative_authors(&text[..open]) {
                for &year in &years {
                    found.push(CitedAuthor {
                        author: author.clone(),
                        year,
                    });
                }
            }
        } else {
            for chunk in inner.split(';') {
                parenthetical(chunk, &mut found);
            }
        }
    }
    let mut seen = std::collections::HashSet::new();
    found.retain(|c| seen.insert(c.clone()));
    found
}

/// Byte ranges of the innermost balanced `( … )` groups, in order. Outer groups
/// are left out: a citation holds no parentheses of its own, and reading every
/// level of deeply nested parentheses would be quadratic. An unclosed `(` (a
/// statement cut by the service) is ignored.
fn paren_groups(text: &str) -> Vec<(usize, usize)> {
    // Each open group, with whether a group has closed inside it.
    let mut open: Vec<(usize, bool)> = Vec::new();
    let mut groups = Vec::new();
    for (i, c) in text.char_indices() {
        match c {
            '(' => open.push((i, false)),
            ')' => {
                if let Some((start, has_child)) = open.pop() {
                    if !has_child {
                        groups.push((start, i));
                    }
                    if let Some(parent) = open.last_mut() {
                        parent.1 = true;
                    }
                }
            }
            _ => {}
        }
    }
    groups.sort_unstable();
    groups
}

/// One `;`-separated part of a parenthesis: zero or more `Names, Year[, Year]` runs.
fn parenthetical(chunk: &str, found: &mut Vec<CitedAuthor>) {
    let mut rest = strip_prefixes(chunk.trim());
    while let Some((start, end, year)) = next_year(rest) {
        let names = rest[..start].trim().trim_end_matches(',').trim();
        let authors = surnames(names);
        let Some(authors) = authors else {
            return;
        };
        // Further years right after the first belong to the same authors: `Smith, 2019, 2021`.
        let mut years = vec![year];
        let mut tail = &rest[end..];
        while let Some((s, e, y)) = next_year(tail) {
            if tail[..s].trim().trim_matches(',').trim().is_empty() {
                years.push(y);
                tail = &tail[e..];
            } else {
                break;
            }
        }
        for author in &authors {
            for &y in &years {
                found.push(CitedAuthor {
                    author: author.clone(),
                    year: y,
                });
            }
        }
        rest = strip_prefixes(
            skip_year_suffixes(tail)
                .trim_start_matches([',', ' '])
                .trim(),
        );
    }
}

fn strip_prefixes(mut s: &str) -> &str {
    loop {
        let Some(p) = PREFIXES.iter().find(|p| {
            starts_with_ignore_case(s, p)
                && s[p.len()..]
                    .chars()
                    .next()
                    .is_none_or(|c| !c.is_alphanumeric())
        }) else {
            return s;
        };
        s = s[p.len()..].trim_start_matches([',', ' ']);
    }
}

/// ASCII case-insensitive prefix test; `prefix` is ASCII, so a match ends on a
/// character boundary of `s`.
fn starts_with_ignore_case(s: &str, prefix: &str) -> bool {
    s.len() >= prefix.len() && s.as_bytes()[..prefix.len()].eq_ignore_ascii_case(prefix.as_bytes())
}

/// After `2019a`, citations may go on with `, b` (meaning 2019b): skip those letters.
/// `s` is the rest of one `;`-separated citation, so a letter ends at a comma, a
/// space or the end.
fn skip_year_suffixes(mut s: &str) -> &str {
    loop {
        let t = s.trim_start_matches([',', ' ']);
        let mut chars = t.chars();
        match (chars.next(), chars.next()) {
            (Some(c), next)
                if c.is_ascii_lowercase() && next.is_none_or(|n| matches!(n, ',' | ' ')) =>
            {
                s = &t[1..];
            }
            _ => return s,
        }
    }
}

/// The first citation year in `s` as (start, end, year); `in press` and `n.d.` have no year.
fn next_year(s: &str) -> Option<(usize, usize, Option<u16>)> {
    let bytes = s.as_bytes();
    let mut best: Option<(usize, usize, Option<u16>)> = None;
    for (i, w) in bytes.windows(4).enumerate() {
        if !w.iter().all(u8::is_ascii_digit) {
            continue;
        }
        let before_ok = i == 0 || !bytes[i - 1].is_ascii_alphanumeric();
        let mut end = i + 4;
        if end < bytes.len() && bytes[end].is_ascii_lowercase() {
            end += 1;
        }
        let after_ok = end >= bytes.len() || !bytes[end].is_ascii_alphanumeric();
        let value: u16 = s[i..i + 4].parse().ok()?;
        if before_ok && after_ok && (1600..=2099).contains(&value) {
            best = Some((i, end, Some(value)));
            break;
        }
    }
    // Undated markers count only before the first year, so each call reads no
    // further than the citation it returns and a long text stays linear.
    let region = &bytes[..best.map_or(bytes.len(), |(start, _, _)| start)];
    for marker in ["in press", "n.d.", "forthcoming"] {
        let found = region
            .windows(marker.len())
            .position(|w| w.eq_ignore_ascii_case(marker.as_bytes()));
        if let Some(at) = found {
            if best.is_none_or(|(b, _, _)| at < b) {
                best = Some((at, at + marker.len(), None));
            }
        }
    }
    best
}

/// `2019`, `2019a, 2020`, `2017, p. 12`: the content of a narrative citation's parenthesis.
fn is_year_list(inner: &str) -> bool {
    let inner = inner.trim();
    let without_pages = inner.split([',', ';']).filter(|part| {
        let p = part.trim();
        !(p.starts_with("p.") || p.starts_with("pp."))
    });
    let mut any = false;
    for part in without_pages {
        let p = part.trim();
        let digits = p.trim_end_matches(|c: char| c.is_ascii_lowercase());
        let is_year = digits.len() == 4
            && digits.chars().all(|c| c.is_ascii_digit())
            && p.len() - digits.len() <= 1;
        let is_undated = matches!(
            p.to_ascii_lowercase().as_str(),
            "in press" | "n.d." | "forthcoming"
        );
        if !(is_year || is_undated) {
            return false;
        }
        any = true;
    }
    any
}

fn years_in(inner: &str) -> Vec<Option<u16>> {
    let mut years = Vec::new();
    let mut rest = inner;
    while let Some((_, end, year)) = next_year(rest) {
        years.push(year);
        rest = &rest[end..];
    }
    years
}

/// The authors named just before a narrative citation's parenthesis:
/// `Okafor et al.`, `Lindqvist and Haddad`, `Smith, Jones, and Brown`.
fn narrative_authors(before: &str) -> Vec<String> {
    let mut words: Vec<&str> = before.split_whitespace().rev().take(16).collect();
    words.reverse();
    let mut names: Vec<String> = Vec::new();
    let mut i = words.len();
    // `et al.` ends the name list: exactly one surname precedes it.
    let et_al = i >= 2
        && words[i - 2].eq_ignore_ascii_case("et")
        && words[i - 1]
            .trim_end_matches([',', '.'])
            .eq_ignore_ascii_case("al");
    if et_al {
        i -= 2;
    }
    while let Some((name, start)) = surname_ending_at(&words, i) {
        names.push(name);
        i = start;
        if et_al || i == 0 {
            break;
        }
        let joiner = words[i - 1];
        if joiner == "and" || joiner == "&" {
            i -= 1;
            // `Smith, Jones, and Brown`: the comma sits on the name before `and`.
        } else if !joiner.ends_with(',') {
            break;
        }
    }
    names.reverse();
    names
}

/// The surname whose last word is `words[end - 1]`, with its particles, and the
/// index of its first word.
fn surname_ending_at(words: &[&str], end: usize) -> Option<(String, usize)> {
    if end == 0 {
        return None;
    }
    let last = words[end - 1].trim_end_matches(',');
    if !is_capitalised_name(last) || NOT_SURNAMES.contains(&last) {
        return None;
    }
    let mut start = end - 1;
    while start > 0 && PARTICLES.contains(&words[start - 1].to_lowercase().as_str()) {
        start -= 1;
    }
    // A capitalised particle opens a sentence-initial name (`De Meulemeester`) only
    // when it is a known particle; otherwise the name is the last word alone.
    let name = words[start..end]
        .iter()
        .map(|w| w.trim_end_matches(','))
        .collect::<Vec<_>>()
        .join(" ");
    Some((name, start))
}

/// Splits `Bateman & Fonagy` / `Folmo, Stänicke, Johansen, et al` into surnames;
/// `None` when any part is not a surname, so that prose in parentheses names nobody.
fn surnames(names: &str) -> Option<Vec<String>> {
    if names.is_empty() {
        return None;
    }
    let mut out = Vec::new();
    for part in names.split([',', '&']).flat_map(|p| p.split(" and ")) {
        let part = part.trim();
        let part = strip_et_al(part);
        if part.is_empty() || is_et_al(part) || is_initials(part) {
            continue;
        }
        if !is_surname(part) {
            return None;
        }
        out.push(part.to_string());
    }
    (!out.is_empty()).then_some(out)
}

/// `s` is one part of a name list already split on commas, so no form here has one.
fn is_et_al(s: &str) -> bool {
    matches!(s.trim_end_matches('.'), "et al" | "et. al" | "etal")
}

fn strip_et_al(s: &str) -> &str {
    for suffix in [" et al.", " et al", " et. al."] {
        if let Some(stripped) = s.strip_suffix(suffix) {
            return stripped.trim();
        }
    }
    s
}

/// `J.`, `J. R.`, `JR`: initials written after a surname.
fn is_initials(s: &str) -> bool {
    s.split_whitespace().all(|w| {
        let letters: Vec<char> = w.chars().filter(|c| *c != '.' && *c != '-').collect();
        !letters.is_empty()
            && letters.len() <= 2
            && letters.iter().all(|c| c.is_uppercase())
            && w.contains('.')
    })
}

/// Particles then one to three capitalised words: `van der Berg`, `De Meulemeester`,
/// `Müller-Lüdenscheidt`, `O'Connor`, `World Health Organization`.
fn is_surname(s: &str) -> bool {
    let words: Vec<&str> = s.split_whitespace().collect();
    if words.is_empty() || words.len() > 5 {
        return false;
    }
    let mut capitalised = 0;
    for w in &words {
        if PARTICLES.contains(&w.to_lowercase().as_str()) && capitalised == 0 {
            continue;
        }
        if !is_capitalised_name(w) {
            return false;
        }
        capitalised += 1;
    }
    (1..=3).contains(&capitalised)
}

fn is_capitalised_name(word: &str) -> bool {
    let mut chars = word.chars();
    let Some(first) = chars.next() else {
        return false;
    };
    first.is_uppercase()
        && word.chars().any(|c| c.is_alphabetic())
        && word
            .chars()
            .all(|c| c.is_alphabetic() || matches!(c, '-' | '\'' | '’' | '.'))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(text: &str) -> Vec<(String, Option<u16>)> {
        cited_authors(text)
            .into_iter()
            .map(|c| (c.author, c.year))
            .collect()
    }

    fn p(author: &str, year: u16) -> (String, Option<u16>) {
        (author.to_string(), Some(year))
    }

    #[test]
    fn parenthetical_forms() {
        assert_eq!(
            pairs("as shown (Okafor et al., 2021)."),
            vec![p("Okafor", 2021)]
        );
        assert_eq!(
            pairs("as shown (Okafor et al, 2019)."),
            vec![p("Okafor", 2019)]
        );
        assert_eq!(
            pairs("(Lindqvist & Haddad, 2006; Moreau & Tan, 2014)"),
            vec![
                p("Lindqvist", 2006),
                p("Haddad", 2006),
                p("Moreau", 2014),
                p("Tan", 2014)
            ]
        );
        assert_eq!(
            pairs("(Rahimi, Åström, Nørgaard, Kowalczyk, et al, 2020)"),
            vec![
                p("Rahimi", 2020),
                p("Åström", 2020),
                p("Nørgaard", 2020),
                p("Kowalczyk", 2020)
            ]
        );
        assert_eq!(
            pairs("(Ibsen & Carvalho, 2011;Okafor et al., 2021)"),
            vec![p("Ibsen", 2011), p("Carvalho", 2011), p("Okafor", 2021)]
        );
    }

    #[test]
    fn prefixes_particles_and_odd_names() {
        assert_eq!(
            pairs("(e.g., De Vries et al, 2018) and (see van der Berg, 2015)"),
            vec![p("De Vries", 2018), p("van der Berg", 2015)]
        );
        assert_eq!(
            pairs("(Müller-Lüdenscheidt & O'Connor, 2012; de Souza, 2009)"),
            vec![
                p("Müller-Lüdenscheidt", 2012),
                p("O'Connor", 2012),
                p("de Souza", 2009)
            ]
        );
        assert_eq!(
            pairs("(Stępień, 2019a, 2020)"),
            vec![p("Stępień", 2019), p("Stępień", 2020)]
        );
    }

    #[test]
    fn prose_before_citations_in_one_parenthesis_is_not_an_author() {
        assert_eq!(
            pairs("(e.g., spindle density, slow oscillations, coupling; Moreau & Tan, 2014; Ibsen, 2010)"),
            vec![p("Moreau", 2014), p("Tan", 2014), p("Ibsen", 2010)]
        );
    }

    #[test]
    fn narrative_forms() {
        assert_eq!(
            pairs("Okafor et al. (2020) reported"),
            vec![p("Okafor", 2020)]
        );
        assert_eq!(
            pairs("and Lindqvist and Haddad (2017) showed"),
            vec![p("Lindqvist", 2017), p("Haddad", 2017)]
        );
        assert_eq!(
            pairs("as Smith, Jones, and Brown (2018, p. 4) argue"),
            vec![p("Smith", 2018), p("Jones", 2018), p("Brown", 2018)]
        );
        assert_eq!(pairs("work by van Dijk (2016a)"), vec![p("van Dijk", 2016)]);
    }

    #[test]
    fn non_citations_name_nobody() {
        for text in [
            "treated with therapy (CBT) for weeks",
            "the therapeutic alliance (or mentalising relationship) mattered",
            "a sample (n = 120) was drawn",
            "as listed (see Table 2)",
            "numeric styles [12] and [3, 4] name nobody",
            "In (2019) nothing",
            "the range (1998-2005) is a period",
            "an open paren (Smith, 2019",
        ] {
            assert_eq!(pairs(text), vec![], "{text}");
        }
    }

    #[test]
    fn a_long_parenthesis_full_of_citations_stays_linear() {
        // Regression: each citation lowercased the rest of the text, so 20,000
        // citations in one parenthesis took minutes (quadratic); now milliseconds.
        let inner: Vec<String> = (0..20_000)
            .map(|i| format!("Okafor, {}", 1900 + i % 100))
            .collect();
        let text = format!("({})", inner.join("; "));
        assert_eq!(cited_authors(&text).len(), 100);
    }

    #[test]
    fn undated_and_repeated_citations() {
        assert_eq!(
            pairs("(Okafor, in press; Okafor, in press)"),
            vec![("Okafor".to_string(), None)]
        );
    }
}
