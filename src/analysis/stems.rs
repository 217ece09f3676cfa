//! Stemmed search in Quickwit, which has no stemmer: the documents citeindex
//! sends carry `statement_stems`, `title_stems` and `section_stems`, the text
//! as citeindex's own `english` analyser leaves it (lowercased, folded to
//! ASCII, stemmed), one token after another; and [`translate`] turns a
//! citeindex query into a Quickwit query over those fields, its words
//! analysed the same way. `spindle` then finds `spindles` there as here.

use serde::Serialize;
use tantivy::query_grammar::{self, Delimiter, Occur, UserInputAst, UserInputBound, UserInputLeaf};
use tantivy::tokenizer::{TextAnalyzer, TokenizerManager};

use crate::export::ExportDoc;

/// The stemmed fields: each `english` default field and its tokens' field.
pub const STEMMED: [(&str, &str); 3] = [
    ("statement", "statement_stems"),
    ("title", "title_stems"),
    ("section", "section_stems"),
];

/// A document for Quickwit: the exported one and its stemmed text.
#[derive(Debug, Serialize)]
pub struct QuickwitDoc<'a> {
    #[serde(flatten)]
    pub doc: &'a ExportDoc,
    pub statement_stems: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title_stems: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub section_stems: Option<String>,
}

/// citeindex's `english` analyser.
pub struct Stemmer {
    analyzer: TextAnalyzer,
}

impl Default for Stemmer {
    fn default() -> Self {
        let manager = TokenizerManager::default();
        crate::analysis::register_tokenizers(&manager);
        Stemmer {
            analyzer: manager.get("english").unwrap_or_default(),
        }
    }
}

impl Stemmer {
    /// The tokens of `text`, space-separated.
    pub fn stems(&mut self, text: &str) -> String {
        let mut out = String::with_capacity(text.len());
        let mut stream = self.analyzer.token_stream(text);
        while let Some(token) = stream.next() {
            if !out.is_empty() {
                out.push(' ');
            }
            out.push_str(&token.text);
        }
        out
    }

    pub fn document<'a>(&mut self, doc: &'a ExportDoc) -> QuickwitDoc<'a> {
        let s = &doc.statement;
        QuickwitDoc {
            statement_stems: self.stems(&s.text),
            title_stems: s.title.as_deref().map(|t| self.stems(t)),
            section_stems: s.section.as_deref().map(|t| self.stems(t)),
            doc,
        }
    }
}

/// A citeindex query (tantivy's syntax) as a Quickwit query with the same
/// matches: words and phrases of the default fields and of `statement`,
/// `title` and `section` analysed into the stemmed fields, everything else
/// (other fields, ranges, sets, `*`) as written.
pub fn translate(query: &str) -> Result<String, String> {
    let ast = query_grammar::parse_query(query.trim())
        .map_err(|_| format!("cannot read the query `{query}`"))?;
    let mut stemmer = Stemmer::default();
    Ok(render(&ast, &mut stemmer))
}

fn render(ast: &UserInputAst, stemmer: &mut Stemmer) -> String {
    match ast {
        UserInputAst::Clause(clauses) => {
            // Written with explicit operators: Quickwit's default between
            // bare clauses is not citeindex's OR. Optional clauses beside
            // required ones change scores only, not matches: they are left out.
            let mut must = Vec::new();
            let mut should = Vec::new();
            let mut not = Vec::new();
            for (occur, clause) in clauses {
                let text = render(clause, stemmer);
                match occur {
                    Some(Occur::Must) => must.push(text),
                    Some(Occur::MustNot) => not.push(text),
                    Some(Occur::Should) | None => should.push(text),
                }
            }
            let mut core = match (must.is_empty(), should.is_empty()) {
                (false, _) => must.join(" AND "),
                (true, false) => should.join(" OR "),
                (true, true) => "*".to_string(),
            };
            for clause in not {
                core = format!("{core} AND NOT {clause}");
            }
            format!("({core})")
        }
        UserInputAst::Boost(inner, boost) => format!("{}^{}", render(inner, stemmer), boost.0),
        UserInputAst::Leaf(leaf) => render_leaf(leaf, stemmer),
    }
}

fn render_leaf(leaf: &UserInputLeaf, stemmer: &mut Stemmer) -> String {
    match leaf {
        UserInputLeaf::Literal(literal) => {
            let stemmed_field = match literal.field_name.as_deref() {
                None => None,
                Some(name) => match STEMMED.iter().find(|(f, _)| *f == name) {
                    Some((_, stems)) => Some(*stems),
                    None => {
                        return format!("{name}:{}", quoted(&literal.phrase, literal.delimiter))
                    }
                },
            };
            let words = stemmer.stems(&literal.phrase);
            if words.is_empty() {
                // Nothing left to find (punctuation only): a term that never occurs.
                return "statement_stems:\"\"".to_string();
            }
            let phrase = match words.contains(' ') {
                true => format!("\"{words}\"{}", slop(literal.slop)),
                false => words,
            };
            // A plain word searches the default fields, as `query` does:
            // the stemmed ones, and `author`, whose names Quickwit folds
            // itself and nobody stems (the words as written).
            let each: Vec<String> = match stemmed_field {
                Some(field) => vec![format!("{field}:{phrase}")],
                None => STEMMED
                    .iter()
                    .map(|(_, stems)| format!("{stems}:{phrase}"))
                    .chain([format!(
                        "author:{}",
                        quoted(&literal.phrase, literal.delimiter)
                    )])
                    .collect(),
            };
            match each.len() {
                1 => each.into_iter().next().unwrap_or_default(),
                _ => format!("({})", each.join(" OR ")),
            }
        }
        UserInputLeaf::All => "*".to_string(),
        UserInputLeaf::Range {
            field,
            lower,
            upper,
        } => {
            let (open, low) = bound(lower, '[', '{');
            let (close, high) = bound(upper, ']', '}');
            format!("{}{open}{low} TO {high}{close}", prefix(field))
        }
        UserInputLeaf::Set { field, elements } => {
            format!("{}IN [{}]", prefix(field), elements.join(" "))
        }
        UserInputLeaf::Exists { field } => format!("{field}:*"),
        other => format!("{other:?}"),
    }
}

fn bound(b: &UserInputBound, inclusive: char, exclusive: char) -> (char, String) {
    match b {
        UserInputBound::Inclusive(v) => (inclusive, v.clone()),
        UserInputBound::Exclusive(v) => (exclusive, v.clone()),
        UserInputBound::Unbounded => (exclusive, "*".to_string()),
    }
}

/// `field:`, or nothing for the default fields.
fn prefix(field: &Option<String>) -> String {
    field
        .as_deref()
        .map(|f| format!("{f}:"))
        .unwrap_or_default()
}

fn quoted(text: &str, delimiter: Delimiter) -> String {
    match delimiter {
        Delimiter::None => text.to_string(),
        _ => format!("\"{}\"", text.replace('\\', "\\\\").replace('"', "\\\"")),
    }
}

fn slop(slop: u32) -> String {
    match slop {
        0 => String::new(),
        n => format!("~{n}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_and_phrases_go_to_the_stemmed_fields_and_the_rest_as_written() {
        for (query, quickwit) in [
            (
                "spindles",
                "(statement_stems:spindl OR title_stems:spindl OR section_stems:spindl OR author:spindles)",
            ),
            (
                "statement:\"Sleep Spindles\"~2",
                "statement_stems:\"sleep spindl\"~2",
            ),
            (
                "+statement:therapists -type:contrasting year:[2015 TO 2020]",
                "(statement_stems:therapist AND NOT type:contrasting)",
            ),
            (
                "+therapists +year:[2015 TO 2020]",
                "((statement_stems:therapist OR title_stems:therapist OR section_stems:therapist OR author:therapists) AND year:[2015 TO 2020])",
            ),
            (
                "a b",
                "((statement_stems:a OR title_stems:a OR section_stems:a OR author:a) OR (statement_stems:b OR title_stems:b OR section_stems:b OR author:b))",
            ),
            ("author:Åström", "author:Åström"),
        ] {
            assert_eq!(translate(query).unwrap(), quickwit, "{query}");
        }
        assert!(translate("title:(((").is_err());
    }
}
