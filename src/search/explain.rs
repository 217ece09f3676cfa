//! Why a hit scored as it did.
//!
//! tantivy explains a score as a tree of `{value, description, details,
//! context}` whose descriptions are its own wording, and whose only accessor
//! is serialisation. This module is the one place that reads that wording:
//! it names the terms (`statement:sleep` rather than tantivy's debug text of
//! a term) for `--json`, and reads the tree into a typed [`ScoreNode`] (BM25
//! factors, boosts, sums) that the renderers only format.

use serde_json::Value;
use tantivy::schema::{Field, Schema};

/// One node of a score's breakdown.
#[derive(Debug, Clone, PartialEq)]
pub struct ScoreNode {
    pub score: f32,
    pub part: ScorePart,
    /// The parts this one adds or scales; empty for a BM25 term.
    pub parts: Vec<ScoreNode>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum ScorePart {
    /// One term's (or one phrase's) BM25 score.
    Bm25(Bm25),
    /// The sum of the parts.
    Sum,
    /// The part times a field's boost from the schema.
    Boost(f32),
    /// No words to score: every match scores the same.
    Constant,
    /// Something else tantivy explains, in its words.
    Other(String),
}

/// BM25's factors for one term in one statement: the score is
/// `idf × tf × saturation`, where `tf = freq / (freq + k1 × (1 − b + b × dl / avgdl))`.
#[derive(Debug, Clone, PartialEq)]
pub struct Bm25 {
    /// `field:term`; `None` inside a phrase, which is scored as a whole.
    pub term: Option<String>,
    pub idf: f32,
    pub tf: f32,
    /// k1 + 1.
    pub saturation: f32,
    /// How often the term occurs in the field.
    pub freq: f32,
    /// The field's length in words, and its average over the index.
    pub field_length: f32,
    pub average_length: f32,
}

/// tantivy's explanation as JSON, with every term named `field:value`.
pub(super) fn named_tree(
    explanation: &tantivy::query::Explanation,
    schema: &Schema,
) -> Option<Value> {
    let mut tree = serde_json::to_value(explanation).ok()?;
    name_terms(&mut tree, schema);
    Some(tree)
}

/// Reads a (named) explanation tree into its typed breakdown.
pub(super) fn breakdown(node: &Value) -> ScoreNode {
    let score = node["value"].as_f64().unwrap_or(0.0) as f32;
    let description = node["description"].as_str().unwrap_or("");
    let details: &[Value] = node["details"].as_array().map_or(&[], Vec::as_slice);
    if description.starts_with("TermQuery") {
        return ScoreNode {
            score,
            part: ScorePart::Bm25(bm25(node, details)),
            parts: Vec::new(),
        };
    }
    let part = if description.starts_with("BooleanClause") {
        ScorePart::Sum
    } else if description == "Const" {
        ScorePart::Constant
    } else if let Some(boost) = description
        .strip_prefix("Boost x")
        .and_then(|rest| rest.trim_end_matches(" of ...").parse().ok())
    {
        ScorePart::Boost(boost)
    } else {
        let words = description
            .trim_end_matches(" of ...")
            .trim_end_matches("...");
        ScorePart::Other(words.to_string())
    };
    ScoreNode {
        score,
        part,
        parts: details.iter().map(breakdown).collect(),
    }
}

/// A `TermQuery, product of...` node: (K1+1), idf (with n and N), and tf
/// (with freq, k1, b, dl and avgdl), found by their descriptions' first word.
fn bm25(node: &Value, details: &[Value]) -> Bm25 {
    let child = |nodes: &[Value], prefix: &str| -> Option<f32> {
        nodes
            .iter()
            .find(|d| {
                d["description"]
                    .as_str()
                    .is_some_and(|s| s.starts_with(prefix))
            })
            .and_then(|d| d["value"].as_f64())
            .map(|v| v as f32)
    };
    let tf_node = details.iter().find(|d| {
        d["description"]
            .as_str()
            .is_some_and(|s| s.starts_with("freq /"))
    });
    let tf_parts: &[Value] = tf_node
        .and_then(|t| t["details"].as_array())
        .map_or(&[], Vec::as_slice);
    let term = node["context"]
        .as_array()
        .and_then(|c| c.first())
        .and_then(Value::as_str)
        .map(str::to_string);
    Bm25 {
        term,
        idf: child(details, "idf").unwrap_or(0.0),
        tf: child(details, "freq /").unwrap_or(0.0),
        saturation: child(details, "(K1+1)").unwrap_or(0.0),
        freq: child(tf_parts, "freq").unwrap_or(0.0),
        field_length: child(tf_parts, "dl").unwrap_or(0.0),
        average_length: child(tf_parts, "avgdl").unwrap_or(0.0),
    }
}

/// Rewrites tantivy's `Term=Term(field=5, type=Str, "sleep")` context lines
/// in an explanation tree as `statement:sleep`.
fn name_terms(node: &mut Value, schema: &Schema) {
    if let Some(context) = node.get_mut("context").and_then(|c| c.as_array_mut()) {
        for line in context.iter_mut() {
            if let Some(named) = line.as_str().and_then(|l| term_name(l, schema)) {
                *line = Value::String(named);
            }
        }
    }
    if let Some(details) = node.get_mut("details").and_then(|d| d.as_array_mut()) {
        for child in details {
            name_terms(child, schema);
        }
    }
}

fn term_name(line: &str, schema: &Schema) -> Option<String> {
    let rest = line.strip_prefix("Term=Term(field=")?;
    let (number, rest) = rest.split_once(',')?;
    let field = Field::from_field_id(number.trim().parse().ok()?);
    let name = schema
        .fields()
        .find(|(f, _)| *f == field)
        .map(|(_, entry)| entry.name())?;
    let value = rest.split_once(", ").map_or(rest, |(_, v)| v);
    let value = value.strip_suffix(')').unwrap_or(value).trim_matches('"');
    Some(format!("{name}:{value}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn constant(description: &str, value: f64) -> Value {
        json!({ "value": value, "description": description })
    }

    fn term(name: &str, score: f64, idf: f64, tf: f64, freq: f64, dl: f64) -> Value {
        json!({
            "value": score,
            "description": "TermQuery, product of...",
            "details": [
                constant("(K1+1)", 2.2),
                constant("idf, computed as log(1 + (N - n + 0.5) / (n + 0.5))", idf),
                {
                    "value": tf,
                    "description": "freq / (freq + k1 * (1 - b + b * dl / avgdl))",
                    "details": [
                        constant("freq, occurrences of term within document", freq),
                        constant("k1, term saturation parameter", 1.2),
                        constant("b, length normalization parameter", 0.75),
                        constant("dl, length of field", dl),
                        constant("avgdl, average length of field", 20.5),
                    ],
                },
            ],
            "context": [name],
        })
    }

    #[test]
    fn reads_sums_boosts_and_bm25_factors() {
        let tree = json!({
            "value": 4.0,
            "description": "BooleanClause. sum of ...",
            "details": [
                {
                    "value": 3.0,
                    "description": "Boost x3 of ...",
                    "details": [term("statement:tag", 1.0, 4.0, 0.25, 1.0, 56.0)],
                },
                constant("Const", 1.0),
            ],
        });
        let node = breakdown(&tree);
        assert_eq!((node.score, &node.part), (4.0, &ScorePart::Sum));
        let boost = &node.parts[0];
        assert_eq!(boost.part, ScorePart::Boost(3.0));
        assert_eq!(
            boost.parts[0].part,
            ScorePart::Bm25(Bm25 {
                term: Some("statement:tag".to_string()),
                idf: 4.0,
                tf: 0.25,
                saturation: 2.2,
                freq: 1.0,
                field_length: 56.0,
                average_length: 20.5,
            })
        );
        assert!(boost.parts[0].parts.is_empty());
        assert_eq!(node.parts[1].part, ScorePart::Constant);
    }

    #[test]
    fn keeps_other_descriptions_in_tantivys_words() {
        let node = breakdown(&json!({
            "value": 2.0,
            "description": "Phrase Scorer",
            "details": [term("unused", 2.0, 5.0, 0.2, 2.0, 10.0)],
        }));
        assert_eq!(node.part, ScorePart::Other("Phrase Scorer".to_string()));
        assert!(matches!(&node.parts[0].part, ScorePart::Bm25(b) if b.freq == 2.0));
    }

    #[test]
    fn names_terms_by_their_field() {
        let mut builder = Schema::builder();
        builder.add_text_field("title", tantivy::schema::TEXT);
        builder.add_text_field("statement", tantivy::schema::TEXT);
        let schema = builder.build();
        assert_eq!(
            term_name("Term=Term(field=1, type=Str, \"sleep\")", &schema).as_deref(),
            Some("statement:sleep")
        );
        assert_eq!(
            term_name("Term=Term(field=9, type=Str, \"x\")", &schema),
            None
        );
        assert_eq!(term_name("something else", &schema), None);
    }
}
