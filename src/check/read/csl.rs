//! CSL-JSON, the citation style language's data (Zotero's and pandoc's
//! export): an array of items, or one item alone.

use serde::Deserialize;
use serde_json::Value;

use super::{cleaned, year_in, ReadError, Reference};

/// The fields of a CSL item that name the paper.
#[derive(Debug, Deserialize)]
struct Item {
    id: Option<Value>,
    #[serde(rename = "DOI")]
    doi: Option<String>,
    #[serde(rename = "URL")]
    url: Option<String>,
    title: Option<String>,
    issued: Option<Value>,
}

#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum Items {
    Many(Vec<Item>),
    One(Item),
}

pub(super) fn read(text: &str) -> Result<Vec<Reference>, ReadError> {
    let items = serde_json::from_str::<Items>(text).map_err(|e| ReadError {
        line: e.line().max(1),
        reason: format!("not CSL-JSON (an array of items with id, DOI, title, issued): {e}"),
    })?;
    let items = match items {
        Items::Many(items) => items,
        Items::One(item) => vec![item],
    };
    Ok(items
        .into_iter()
        .enumerate()
        .map(|(i, item)| Reference {
            key: match item.id {
                Some(Value::String(id)) => id,
                Some(Value::Number(id)) => id.to_string(),
                _ => (i + 1).to_string(),
            },
            doi: [item.doi, item.url]
                .into_iter()
                .flatten()
                .find_map(|v| crate::doi::canonical(&v)),
            title: item.title.as_deref().and_then(cleaned),
            year: item.issued.as_ref().and_then(issued_year),
        })
        .collect())
}

/// The year of a CSL date: `{"date-parts": [[2019, 3]]}` (numbers, or
/// strings as some tools write them), else its `raw` or `literal` text.
fn issued_year(issued: &Value) -> Option<u64> {
    let first = issued.pointer("/date-parts/0/0");
    match first {
        Some(Value::Number(n)) => n.as_u64(),
        Some(Value::String(s)) => year_in(s),
        _ => ["raw", "literal"]
            .iter()
            .find_map(|k| issued.get(k)?.as_str().and_then(year_in)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn items_give_their_id_doi_title_and_year() {
        let text = r#"[
  {"id": "okafor2021", "type": "article-journal", "DOI": "10.5555/ABC",
   "title": "Sleep spindles", "issued": {"date-parts": [[2021, 4]]}},
  {"id": 7, "title": "Raw date", "issued": {"raw": "March 2019"}},
  {"title": "Linked", "URL": "https://doi.org/10.5555/xyz",
   "issued": {"date-parts": [["2018"]]}}
]"#;
        let refs = read(text).unwrap();
        let got: Vec<_> = refs
            .iter()
            .map(|r| (r.key.as_str(), r.doi.as_deref(), r.year))
            .collect();
        assert_eq!(
            got,
            [
                ("okafor2021", Some("10.5555/abc"), Some(2021)),
                ("7", None, Some(2019)),
                ("3", Some("10.5555/xyz"), Some(2018)),
            ]
        );
    }

    #[test]
    fn one_item_alone_is_a_list_of_one_and_bad_json_names_its_line() {
        assert_eq!(read(r#"{"id": "a", "DOI": "10.5555/a"}"#).unwrap().len(), 1);
        let e = read("[\n{\"id\": \"a\"},\n{\"id\": }\n]").unwrap_err();
        assert_eq!(e.line, 3, "{e}");
    }
}
