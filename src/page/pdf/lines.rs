//! Glyphs back into the lines of the page, in reading order, without what the
//! browser printed around it.
//!
//! On each sheet, glyphs whose baselines agree form a line, read left to
//! right; a gap wider than a fifth of the font size between two glyphs is a
//! space (browsers also draw most spaces as glyphs). Lines are read top to
//! bottom, with a blank line where the gap above is wider than a line's.
//!
//! Browsers print a header and a footer on every sheet (Chrome: date and time
//! with the page's title above, its address with `1/3` below; Firefox: the
//! title and address above, `1 of 3` and the date below). They stand first and
//! last on the sheet, and land between any two lines of the page, also inside
//! a statement, so they are recognised and dropped: the sheets then join into
//! one text. A line that ends with a hyphen joins the next without a space, as
//! the line break that split `homology-directed` was the printer's.

use super::glyphs::{Glyph, Sheet};
use crate::page::clean::join_wrapped;

/// Joins sheets into the page's lines, one sheet at a time.
pub(super) struct Assembler<'t> {
    title: Option<&'t str>,
    out: Vec<String>,
    url: Option<String>,
    /// Where earlier sheets had their printed margins: (baseline, size).
    bands: Vec<(f64, f64)>,
    /// The type size of the last line out when it was a heading's.
    heading: Option<f64>,
    /// The sheet read last, held until the next is read: a line that stands
    /// at the same place on a neighbouring sheet is the printer's.
    pending: Option<Sheet>,
    /// The outermost strands of the sheet before `pending`.
    before: Vec<Edge>,
    /// How many glyphs of the page's own text each type size has had so
    /// far (tenths of a point): the commonest is the body's.
    sizes: std::collections::HashMap<u32, usize>,
}

impl<'t> Assembler<'t> {
    /// `title` is the document's, to recognise the printed header by.
    pub(super) fn new(title: Option<&'t str>) -> Assembler<'t> {
        Assembler {
            title,
            out: Vec::new(),
            url: None,
            bands: Vec::new(),
            heading: None,
            pending: None,
            before: Vec::new(),
            sizes: Default::default(),
        }
    }

    /// Adds one sheet; its lines go out once the next sheet is seen.
    pub(super) fn add(&mut self, sheet: Sheet) {
        if let Some(pending) = self.pending.take() {
            let after = edges(&strands(&sheet.glyphs));
            self.assemble(&pending, &after);
        }
        self.pending = Some(sheet);
    }

    /// Puts out one sheet's lines, without its printed header and footer.
    fn assemble(&mut self, sheet: &Sheet, after: &[Edge]) {
        let body_size = median_size(&sheet.glyphs);
        let body = self.without_margins(&sheet.glyphs, body_size, after);
        for glyph in &body {
            *self
                .sizes
                .entry((glyph.size * 10.0).round() as u32)
                .or_default() += 1;
        }
        // Headings are told from the text's own commonest size, over every
        // sheet so far: a first sheet may hold more header than text.
        let text_size = self
            .sizes
            .iter()
            .max_by_key(|(size, count)| (**count, **size))
            .map_or(body_size, |(size, _)| f64::from(*size) / 10.0);
        let lines = sheet_lines(&body);
        // A sheet break is no paragraph break: a statement runs on.
        let body = lines
            .iter()
            .skip_while(|l| l.text.is_empty())
            .collect::<Vec<_>>();
        let end = body
            .iter()
            .rposition(|l| !l.text.is_empty())
            .map_or(0, |i| i + 1);
        for line in &body[..end] {
            self.push(line, text_size);
        }
    }

    /// One line out. A heading (type larger than the page's) that the
    /// printer wrapped over several lines, even over a sheet break, is one.
    fn push(&mut self, line: &Line, body_size: f64) {
        let is_heading = !line.text.is_empty() && line.size > HEADING_RATIO * body_size;
        if let (true, Some(size), Some(last)) = (is_heading, self.heading, self.out.last_mut()) {
            if (size - line.size).abs() < 0.5 {
                *last = join_wrapped(&[last, &line.text]);
                return;
            }
        }
        self.heading = is_heading.then_some(line.size);
        push_joined(&mut self.out, line.text.clone());
    }

    /// The sheet's glyphs without the browser's header and footer. Each is a
    /// strand of glyphs on one baseline in one size, the outermost of the
    /// sheet: it is taken apart from the page's own line even where the two
    /// nearly share a baseline (Firefox prints its footer 5 points below the
    /// sheet's last line), and known by its marks, by standing the same at
    /// the same place on the sheet before or `after`, or by standing in
    /// smaller type where an earlier sheet's margin stood.
    fn without_margins<'g>(
        &mut self,
        glyphs: &'g [Glyph],
        body_size: f64,
        after: &[Edge],
    ) -> Vec<&'g Glyph> {
        let mut strands = strands(glyphs);
        let before = std::mem::replace(&mut self.before, edges(&strands));
        let mut margins = Vec::new();
        // Two at each edge: a header may be two strands (title, address).
        for _ in 0..2 {
            for from_top in [true, false] {
                let outermost = if from_top {
                    strands.first()
                } else {
                    strands.last()
                };
                let Some(strand) = outermost else { break };
                let line = Line {
                    text: row_text(&strand.glyphs),
                    size: strand.size,
                };
                let learned = line.size < SMALL_TYPE * body_size
                    && self.bands.iter().any(|(y, size)| {
                        (y - strand.y).abs() < 1.0 && (size - strand.size).abs() < 0.2
                    });
                let edge = Edge::of(strand);
                let repeated = before.iter().chain(after).any(|e| e.same_place(&edge));
                if learned || repeated || is_printed_margin(&line, body_size, self.title) {
                    self.url = self.url.take().or_else(|| address_in(&line.text));
                    margins.push((strand.y, strand.size));
                    if from_top {
                        strands.remove(0);
                    } else {
                        strands.pop();
                    }
                }
            }
        }
        self.bands.extend(margins);
        strands.into_iter().flat_map(|s| s.glyphs).collect()
    }

    /// The page's lines, and the address the browser printed with it.
    pub(super) fn finish(mut self) -> (Vec<String>, Option<String>) {
        if let Some(last) = self.pending.take() {
            self.assemble(&last, &[]);
        }
        while self.out.last().is_some_and(String::is_empty) {
            self.out.pop();
        }
        (self.out, self.url)
    }
}

/// Type this much larger than the page's is a heading's.
const HEADING_RATIO: f64 = 1.15;
/// Type this much smaller than the page's is the printer's, in a margin.
const SMALL_TYPE: f64 = 0.85;

/// Glyphs on one exact baseline in one size, left to right.
struct Strand<'g> {
    y: f64,
    size: f64,
    glyphs: Vec<&'g Glyph>,
}

/// An outermost strand of a sheet, as another sheet's is compared with it.
struct Edge {
    y: f64,
    size: f64,
    /// Its text without a page count (`2 of 7`, `2/7`), which alone changes.
    text: String,
}

impl Edge {
    fn of(strand: &Strand<'_>) -> Edge {
        let text = row_text(&strand.glyphs);
        let mut words: Vec<&str> = text.split(' ').collect();
        let of = |w: &[&str]| w.len() == 3 && is_number(w[0]) && w[1] == "of" && is_number(w[2]);
        if words.len() >= 3 && of(&words[..3]) {
            words.drain(..3);
        }
        if words.len() >= 3 && of(&words[words.len() - 3..]) {
            words.truncate(words.len() - 3);
        }
        if words.last().is_some_and(|w| is_page_slash(w)) {
            words.pop();
        }
        Edge {
            y: strand.y,
            size: strand.size,
            text: words.join(" "),
        }
    }

    fn same_place(&self, other: &Edge) -> bool {
        (self.y - other.y).abs() < 1.0
            && (self.size - other.size).abs() < 0.1
            && self.text == other.text
    }
}

/// The two outermost strands at each edge of a sheet.
fn edges(strands: &[Strand<'_>]) -> Vec<Edge> {
    let n = strands.len();
    let outer: Vec<usize> = if n <= 4 {
        (0..n).collect()
    } else {
        vec![0, 1, n - 2, n - 1]
    };
    outer.into_iter().map(|i| Edge::of(&strands[i])).collect()
}

/// The sheet's strands, top to bottom.
fn strands(glyphs: &[Glyph]) -> Vec<Strand<'_>> {
    let mut order: Vec<&Glyph> = glyphs.iter().filter(|g| g.size > 0.0).collect();
    // Top to bottom (y grows upwards in PDF), then by size, then left to right.
    order.sort_by(|a, b| {
        b.y.total_cmp(&a.y)
            .then(a.size.total_cmp(&b.size))
            .then(a.x.total_cmp(&b.x))
    });
    let mut out: Vec<Strand<'_>> = Vec::new();
    for glyph in order {
        match out.last_mut() {
            Some(s) if (s.y - glyph.y).abs() < 0.05 && (s.size - glyph.size).abs() < 0.05 => {
                s.glyphs.push(glyph)
            }
            _ => out.push(Strand {
                y: glyph.y,
                size: glyph.size,
                glyphs: vec![glyph],
            }),
        }
    }
    out
}

/// One line of a sheet: its text (empty for a blank line) and font size.
#[derive(Debug)]
struct Line {
    text: String,
    size: f64,
}

/// The lines of one sheet, top to bottom, with blank lines for wide gaps.
fn sheet_lines(glyphs: &[&Glyph]) -> Vec<Line> {
    let mut order: Vec<&Glyph> = glyphs.to_vec();
    // Top to bottom; y grows upwards in PDF.
    order.sort_by(|a, b| b.y.total_cmp(&a.y));
    let mut rows: Vec<Vec<&Glyph>> = Vec::new();
    for glyph in order {
        match rows.last_mut() {
            Some(row) if (row[0].y - glyph.y).abs() <= 0.4 * row[0].size.max(glyph.size) => {
                row.push(glyph)
            }
            _ => rows.push(vec![glyph]),
        }
    }
    let mut lines = Vec::with_capacity(rows.len() * 2);
    let mut previous: Option<(f64, f64)> = None;
    for mut row in rows {
        row.sort_by(|a, b| a.x.total_cmp(&b.x));
        let size = row.iter().map(|g| g.size).fold(0.0, f64::max);
        let y = row[0].y;
        if let Some((above_y, above_size)) = previous {
            if above_y - y > 1.8 * size.max(above_size) {
                lines.push(Line {
                    text: String::new(),
                    size,
                });
            }
        }
        previous = Some((y, size));
        let text = row_text(&row);
        if !text.is_empty() {
            lines.push(Line { text, size });
        }
    }
    lines
}

/// A row of glyphs as text: spaces where the gaps are, runs of them as one.
fn row_text(row: &[&Glyph]) -> String {
    let mut text = String::new();
    let mut end: Option<f64> = None;
    for glyph in row {
        let gap = end.map_or(0.0, |e| glyph.x - e);
        if gap > 0.2 * glyph.size && !text.is_empty() && !text.ends_with(' ') {
            text.push(' ');
        }
        for c in glyph.text.chars() {
            push_char(&mut text, c);
        }
        end = Some(glyph.x + glyph.width);
    }
    text.trim().to_string()
}

/// Appends a character, spaces folded to one and ligatures spelled out (a
/// font may map its `fi` glyph to U+FB01).
fn push_char(text: &mut String, c: char) {
    let spelled = match c {
        '\u{fb00}' => "ff",
        '\u{fb01}' => "fi",
        '\u{fb02}' => "fl",
        '\u{fb03}' => "ffi",
        '\u{fb04}' => "ffl",
        '\u{fb05}' | '\u{fb06}' => "st",
        c if c.is_whitespace() => {
            if !text.is_empty() && !text.ends_with(' ') {
                text.push(' ');
            }
            return;
        }
        c if c.is_control() || c == '\u{fffd}' => return,
        c => {
            text.push(c);
            return;
        }
    };
    text.push_str(spelled);
}

/// Adds a line, joining it to the previous one when that ended in a hyphen,
/// dash or slash that the line break came after (`homology-` + `directed`).
fn push_joined(out: &mut Vec<String>, line: String) {
    if let Some(last) = out.last_mut() {
        let breaks_after = last
            .strip_suffix(['-', '\u{2010}', '\u{2013}', '\u{2014}', '/'])
            .and_then(|before| before.chars().last())
            .is_some_and(char::is_alphanumeric);
        let continues = line.chars().next().is_some_and(char::is_alphanumeric);
        if breaks_after && continues {
            last.push_str(&line);
            return;
        }
    }
    if line.is_empty() && out.last().is_none_or(String::is_empty) {
        return;
    }
    out.push(line);
}

fn median_size(glyphs: &[Glyph]) -> f64 {
    let mut sizes: Vec<f64> = glyphs.iter().map(|g| g.size).collect();
    if sizes.is_empty() {
        return 0.0;
    }
    let mid = sizes.len() / 2;
    sizes.select_nth_unstable_by(mid, f64::total_cmp);
    sizes[mid]
}

/// Whether a sheet's outermost line is the browser's header or footer. Two of
/// its marks make it so (a date and time, a page count, an address, the
/// document's title); one is enough in type smaller than the page's own.
fn is_printed_margin(line: &Line, body_size: f64, title: Option<&str>) -> bool {
    let text = line.text.as_str();
    let words: Vec<&str> = text.split(' ').collect();
    let marks = [
        starts_with_date_time(text) || ends_with_date_time(&words),
        page_count_at_an_end(&words),
        address_in(text).is_some(),
        title.is_some_and(|t| !t.is_empty() && text.contains(t)),
    ]
    .iter()
    .filter(|m| **m)
    .count();
    marks >= 2 || (marks == 1 && line.size < 0.85 * body_size)
}

/// `12/1/26, 11:11 AM …`, `01.12.26, 11:11 …`, `2026-12-01 11:11 …`.
fn starts_with_date_time(text: &str) -> bool {
    let mut words = text.split(' ');
    let (Some(date), Some(time)) = (words.next(), words.next()) else {
        return false;
    };
    is_date(date.trim_end_matches(',')) && is_time(time)
}

/// Firefox's footer ends with the date and time: `… 12/1/26, 11:11 AM`.
fn ends_with_date_time(words: &[&str]) -> bool {
    let n = words.len();
    let time_at = match words.last() {
        Some(w) if matches!(w.to_ascii_uppercase().as_str(), "AM" | "PM") => n.checked_sub(2),
        _ => n.checked_sub(1),
    };
    let Some(t) = time_at else { return false };
    t >= 1 && is_time(words[t]) && is_date(words[t - 1].trim_end_matches(','))
}

fn is_date(word: &str) -> bool {
    let parts: Vec<&str> = word.split(['/', '.', '-']).collect();
    parts.len() == 3
        && parts
            .iter()
            .all(|p| !p.is_empty() && p.len() <= 4 && p.bytes().all(|b| b.is_ascii_digit()))
}

fn is_time(word: &str) -> bool {
    let parts: Vec<&str> = word.split(':').collect();
    (2..=3).contains(&parts.len())
        && parts
            .iter()
            .all(|p| (1..=2).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_digit()))
}

/// `1/3` last (Chrome), or `1 of 3` / `Page 1 of 3` first or last (Firefox).
fn page_count_at_an_end(words: &[&str]) -> bool {
    let of = |w: &[&str]| w.len() == 3 && is_number(w[0]) && w[1] == "of" && is_number(w[2]);
    let n = words.len();
    words.last().is_some_and(|w| is_page_slash(w))
        || (n >= 3 && (of(&words[..3]) || of(&words[n - 3..])))
}

/// A page number: up to five digits.
fn is_number(word: &str) -> bool {
    !word.is_empty() && word.len() <= 5 && word.bytes().all(|b| b.is_ascii_digit())
}

/// `2/7`: a page count as Chrome prints it.
fn is_page_slash(word: &str) -> bool {
    word.split_once('/')
        .is_some_and(|(a, b)| is_number(a) && is_number(b))
}

/// The first web or file address in the line.
fn address_in(text: &str) -> Option<String> {
    text.split(' ')
        .find(|w| {
            ["http://", "https://", "file://"]
                .iter()
                .any(|scheme| w.to_ascii_lowercase().starts_with(scheme))
        })
        .map(str::to_string)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn glyphs(y: f64, size: f64, x0: f64, text: &str) -> Vec<Glyph> {
        // Every glyph half an em wide, a space glyph between words.
        text.chars()
            .enumerate()
            .map(|(i, c)| Glyph {
                x: x0 + i as f64 * size * 0.5,
                y,
                width: size * 0.5,
                size,
                text: c.to_string(),
            })
            .collect()
    }

    fn sheet(rows: &[(f64, f64, f64, &str)]) -> Sheet {
        Sheet {
            glyphs: rows
                .iter()
                .flat_map(|(y, size, x, text)| glyphs(*y, *size, *x, text))
                .collect(),
        }
    }

    fn reading_order(sheets: &[Sheet], title: Option<&str>) -> (Vec<String>, Option<String>) {
        let mut text = Assembler::new(title);
        for sheet in sheets {
            text.add(sheet.clone());
        }
        text.finish()
    }

    #[test]
    fn chrome_header_and_footer_go_and_a_statement_joins_across_sheets() {
        let title = "Spindles and Memory | scite";
        let one = sheet(&[
            (770.0, 8.0, 20.0, "12/1/26, 11:11 AM"),
            (770.0, 8.0, 200.0, title),
            (700.0, 12.0, 30.0, "“…Spindle bursts rose after"),
            (20.0, 8.0, 20.0, "http://scite.test/reports/10.5555/x"),
            (20.0, 8.0, 560.0, "1/2"),
        ]);
        let two = sheet(&[
            (770.0, 8.0, 20.0, "12/1/26, 11:11 AM"),
            (770.0, 8.0, 200.0, title),
            (700.0, 12.0, 30.0, "training (Okafor et al., 2021).…”"),
            (686.0, 12.0, 30.0, "Section: Resultssupporting"),
            (20.0, 8.0, 20.0, "http://scite.test/reports/10.5555/x"),
            (20.0, 8.0, 560.0, "2/2"),
        ]);
        let (lines, url) = reading_order(&[one, two], Some(title));
        assert_eq!(
            lines,
            vec![
                "“…Spindle bursts rose after",
                "training (Okafor et al., 2021).…”",
                "Section: Resultssupporting"
            ]
        );
        assert_eq!(url.as_deref(), Some("http://scite.test/reports/10.5555/x"));
    }

    #[test]
    fn firefox_margins_are_recognised_too() {
        let page = sheet(&[
            (770.0, 9.0, 20.0, "Spindles and Memory"),
            (770.0, 9.0, 400.0, "https://scite.test/reports/10.5555/x"),
            (700.0, 12.0, 30.0, "DOI: 10.5555/x"),
            (20.0, 9.0, 20.0, "1 of 1"),
            (20.0, 9.0, 500.0, "12/1/2026, 11:11 AM"),
        ]);
        let (lines, _) = reading_order(&[page], Some("Spindles and Memory"));
        assert_eq!(lines, vec!["DOI: 10.5555/x"]);
    }

    #[test]
    fn a_page_line_with_one_mark_in_body_type_stays() {
        let page = sheet(&[
            (700.0, 12.0, 30.0, "2021"),
            (680.0, 12.0, 30.0, "DOI: 10.5555/x"),
            (20.0, 12.0, 30.0, "the ratio fell to 1/2"),
        ]);
        let (lines, _) = reading_order(&[page], None);
        assert_eq!(
            lines.iter().filter(|l| !l.is_empty()).count(),
            3,
            "{lines:?}"
        );
    }

    #[test]
    fn gaps_become_spaces_and_hyphen_breaks_join() {
        let mut row = glyphs(500.0, 10.0, 0.0, "Section:");
        row.extend(glyphs(500.0, 10.0, 50.0, "Results"));
        row.extend(glyphs(500.0, 10.0, 85.0, "supporting"));
        let mut rows = row;
        rows.extend(glyphs(486.0, 10.0, 0.0, "homology-"));
        rows.extend(glyphs(472.0, 10.0, 0.0, "directed repair, ﬁnally"));
        let (lines, _) = reading_order(&[Sheet { glyphs: rows }], None);
        assert_eq!(
            lines,
            vec![
                "Section: Resultssupporting",
                "homology-directed repair, finally"
            ]
        );
    }

    #[test]
    fn date_and_count_forms() {
        assert!(starts_with_date_time("12/1/26, 11:11 AM Title"));
        assert!(starts_with_date_time("2026-12-01 11:11 Title"));
        assert!(!starts_with_date_time("2021 DOI"));
        assert!(page_count_at_an_end(&["x", "3/12"]));
        assert!(page_count_at_an_end(&["Page", "1", "of", "3"][1..]));
        assert!(!page_count_at_an_end(&["Results", "of", "3"]));
    }
}
