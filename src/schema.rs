//! The index schema, read from `index-schema/schema.toml`. The tokenizers its
//! text fields name are [`crate::analysis`]'s.
//!
//! The file is compiled into the binary so that an installed `citeindex` needs
//! nothing beside it. Its [`IndexSchema::fingerprint`] covers everything that
//! changes how documents are indexed (fields, options, boosts, tokenizers), and
//! nothing that does not (comments, key order).

use std::collections::HashMap;

use serde::Deserialize;
use tantivy::columnar::{Column, StrColumn};
use tantivy::schema::{
    Field, IndexRecordOption, NumericOptions, Schema, TextFieldIndexing, TextOptions,
};
use tantivy::SegmentReader;

/// A segment's fast columns, opened by [`Fields`] rather than by name (tantivy
/// keys them by name; a name typed out again is a name that can drift).
pub trait FastColumns {
    fn u64_column(&self, field: Field) -> tantivy::Result<Column<u64>>;
    /// An empty column when the segment holds no value of the field.
    fn u64_column_or_empty(&self, field: Field) -> tantivy::Result<Column<u64>>;
    /// `None` when the segment holds no value of the field.
    fn str_column(&self, field: Field) -> tantivy::Result<Option<StrColumn>>;
}

impl FastColumns for SegmentReader {
    fn u64_column(&self, field: Field) -> tantivy::Result<Column<u64>> {
        self.fast_fields().u64(self.schema().get_field_name(field))
    }

    fn u64_column_or_empty(&self, field: Field) -> tantivy::Result<Column<u64>> {
        let name = self.schema().get_field_name(field);
        Ok(self
            .fast_fields()
            .column_opt(name)?
            .unwrap_or_else(|| Column::build_empty_column(self.max_doc())))
    }

    fn str_column(&self, field: Field) -> tantivy::Result<Option<StrColumn>> {
        self.fast_fields().str(self.schema().get_field_name(field))
    }
}

/// The text a string column's term ordinal stands for.
pub fn ord_text(column: &StrColumn, ord: u64) -> tantivy::Result<String> {
    let mut text = String::new();
    column.ord_to_str(ord, &mut text)?;
    Ok(text)
}

/// The texts of a column's ordinals, `ords` ascending, in one pass over its
/// dictionary. [`ord_text`] decodes the ordinal's dictionary block from its
/// start for every ordinal: naming every file of an index so was half of
/// `papers --all`. An ordinal the dictionary lacks is named `""`, as there.
pub fn ord_texts(column: &StrColumn, ords: &[u64]) -> tantivy::Result<Vec<String>> {
    debug_assert!(ords.is_sorted(), "ordinals ascending");
    let mut texts = Vec::with_capacity(ords.len());
    let text = |bytes: &[u8]| String::from_utf8_lossy(bytes).into_owned();
    let all_found = column
        .dictionary()
        .sorted_ords_to_term_cb(ords, |bytes| texts.push(text(bytes)))?;
    if !all_found {
        // Which ones are missing is not said: name them one by one.
        return ords.iter().map(|&ord| ord_text(column, ord)).collect();
    }
    Ok(texts)
}

/// The texts of a set of a column's ordinals, read once in ordinal order
/// ([`ord_texts`]), looked up by ordinal.
pub struct OrdNames {
    /// Ascending, distinct.
    ords: Vec<u64>,
    names: Vec<String>,
}

impl OrdNames {
    /// The names of `ords`, in any order, repeats allowed; of none without
    /// a column.
    pub fn read(
        column: Option<&StrColumn>,
        ords: impl IntoIterator<Item = u64>,
    ) -> tantivy::Result<OrdNames> {
        let Some(column) = column else {
            return Ok(OrdNames {
                ords: Vec::new(),
                names: Vec::new(),
            });
        };
        let mut ords: Vec<u64> = ords.into_iter().collect();
        ords.sort_unstable();
        ords.dedup();
        let names = ord_texts(column, &ords)?;
        Ok(OrdNames { ords, names })
    }

    /// The text of `ord`, if it was read.
    pub fn get(&self, ord: u64) -> Option<&str> {
        let at = self.ords.binary_search(&ord).ok()?;
        self.names.get(at).map(String::as_str)
    }

    /// Every (ordinal, text) read, in ordinal order.
    pub fn iter(&self) -> impl Iterator<Item = (u64, &str)> {
        self.ords
            .iter()
            .copied()
            .zip(self.names.iter().map(String::as_str))
    }
}

/// The schema definition the binary was built with.
pub const SCHEMA_TOML: &str = include_str!("../index-schema/schema.toml");

/// Bumped whenever a tokenizer below changes what tokens it produces.
const TOKENIZERS_VERSION: u32 = 1;

#[derive(Debug, thiserror::Error)]
pub enum SchemaError {
    #[error("index-schema/schema.toml is not valid: {0}")]
    Toml(#[from] toml::de::Error),
    #[error("index-schema/schema.toml: field `{field}`: {reason}")]
    Field { field: String, reason: String },
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct SchemaFile {
    version: u32,
    field: Vec<FieldDef>,
}

/// One `[[field]]` of the schema file, as written there.
#[derive(Debug, Clone, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct FieldDef {
    pub name: String,
    #[serde(rename = "type")]
    pub value_type: ValueType,
    pub tokenizer: Option<String>,
    #[serde(default)]
    pub positions: bool,
    #[serde(default)]
    pub indexed: bool,
    #[serde(default)]
    pub stored: bool,
    #[serde(default)]
    pub fast: bool,
    pub boost: Option<f32>,
}

/// The type of a field's values, as the schema file names it.
#[derive(Debug, Clone, Copy, PartialEq, Deserialize, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ValueType {
    Text,
    String,
    U64,
}

/// Handles to every field the code reads or writes.
#[derive(Debug, Clone, Copy)]
pub struct Fields {
    pub kind: Field,
    pub path: Field,
    pub doi: Field,
    pub title: Field,
    pub year: Field,
    pub statement: Field,
    pub section: Field,
    pub section_bucket: Field,
    pub citation_type: Field,
    pub confidence: Field,
    /// The packed facet values of `index/facet_code.rs`.
    pub facet_code: Field,
    pub author: Field,
    pub cited_author: Field,
    pub cited: Field,
    pub position: Field,
    pub dedup: Field,
    pub fingerprint: Field,
    pub size: Field,
    pub mtime: Field,
    pub abstract_text: Field,
    pub page: Field,
}

/// The loaded schema: tantivy's schema, the field handles, the default query
/// fields with their boosts, and a fingerprint.
#[derive(Debug, Clone)]
pub struct IndexSchema {
    pub schema: Schema,
    pub fields: Fields,
    pub default_fields: Vec<(Field, f32)>,
    pub fingerprint: String,
    /// The field definitions as the schema file gives them, in its order.
    pub definitions: Vec<FieldDef>,
}

/// Values of the `kind` field.
pub const KIND_STATEMENT: &str = "statement";
pub const KIND_PAGE: &str = "page";
pub const KIND_SKIPPED: &str = "skipped";

impl IndexSchema {
    /// The schema compiled into this binary.
    pub fn builtin() -> Result<IndexSchema, SchemaError> {
        IndexSchema::from_toml(SCHEMA_TOML)
    }

    pub fn from_toml(text: &str) -> Result<IndexSchema, SchemaError> {
        let file: SchemaFile = toml::from_str(text)?;
        let mut builder = Schema::builder();
        let mut by_name = HashMap::new();
        let mut default_fields = Vec::new();
        for def in &file.field {
            let field = add_field(&mut builder, def)?;
            if by_name.insert(def.name.clone(), field).is_some() {
                return Err(field_error(&def.name, "defined twice"));
            }
            if let Some(boost) = def.boost {
                if def.value_type != ValueType::Text || boost.is_nan() || boost <= 0.0 {
                    return Err(field_error(
                        &def.name,
                        "only text fields take a positive boost",
                    ));
                }
                default_fields.push((field, boost));
            }
        }
        let schema = builder.build();
        let get = |name: &str| {
            by_name
                .get(name)
                .copied()
                .ok_or_else(|| field_error(name, "missing; the code needs it"))
        };
        let fields = Fields {
            kind: get("kind")?,
            path: get("path")?,
            doi: get("doi")?,
            title: get("title")?,
            year: get("year")?,
            statement: get("statement")?,
            section: get("section")?,
            section_bucket: get("section_bucket")?,
            citation_type: get("type")?,
            confidence: get("confidence")?,
            facet_code: get("facet_code")?,
            author: get("author")?,
            cited_author: get("cited_author")?,
            cited: get("cited")?,
            position: get("position")?,
            dedup: get("dedup")?,
            fingerprint: get("fingerprint")?,
            size: get("size")?,
            mtime: get("mtime")?,
            abstract_text: get("abstract")?,
            page: get("page")?,
        };
        let canonical = serde_json::json!({
            "version": file.version,
            "tokenizers": TOKENIZERS_VERSION,
            "fields": file.field,
        });
        let fingerprint = blake3::hash(canonical.to_string().as_bytes()).to_hex()[..16].to_string();
        Ok(IndexSchema {
            schema,
            fields,
            default_fields,
            fingerprint,
            definitions: file.field,
        })
    }
}

fn field_error(field: &str, reason: &str) -> SchemaError {
    SchemaError::Field {
        field: field.to_string(),
        reason: reason.to_string(),
    }
}

fn add_field(
    builder: &mut tantivy::schema::SchemaBuilder,
    def: &FieldDef,
) -> Result<Field, SchemaError> {
    match def.value_type {
        ValueType::Text => {
            let tokenizer = def
                .tokenizer
                .as_deref()
                .ok_or_else(|| field_error(&def.name, "a text field needs a tokenizer"))?;
            if !TOKENIZERS.contains(&tokenizer) {
                return Err(field_error(
                    &def.name,
                    &format!(
                        "unknown tokenizer `{tokenizer}` (known: {})",
                        TOKENIZERS.join(", ")
                    ),
                ));
            }
            let mut options = TextOptions::default();
            if def.indexed || def.positions || def.boost.is_some() || def.tokenizer.is_some() {
                let record = if def.positions {
                    IndexRecordOption::WithFreqsAndPositions
                } else {
                    IndexRecordOption::WithFreqs
                };
                options = options.set_indexing_options(
                    TextFieldIndexing::default()
                        .set_tokenizer(tokenizer)
                        .set_index_option(record),
                );
            }
            if def.stored {
                options = options.set_stored();
            }
            if def.fast {
                return Err(field_error(
                    &def.name,
                    "text fields cannot be fast; use type string",
                ));
            }
            Ok(builder.add_text_field(&def.name, options))
        }
        ValueType::String => {
            let mut options = TextOptions::default();
            if def.indexed {
                options = options.set_indexing_options(
                    TextFieldIndexing::default()
                        .set_tokenizer("raw")
                        .set_index_option(IndexRecordOption::Basic)
                        .set_fieldnorms(false),
                );
            }
            if def.stored {
                options = options.set_stored();
            }
            if def.fast {
                options = options.set_fast("raw");
            }
            Ok(builder.add_text_field(&def.name, options))
        }
        ValueType::U64 => {
            let mut options = NumericOptions::default();
            if def.indexed {
                options = options.set_indexed();
            }
            if def.stored {
                options = options.set_stored();
            }
            if def.fast {
                options = options.set_fast();
            }
            Ok(builder.add_u64_field(&def.name, options))
        }
    }
}

/// Tokenizer names a schema may use.
const TOKENIZERS: [&str; 2] = ["english", "names"];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ordinals_named_in_one_pass_are_named_as_one_by_one() -> tantivy::Result<()> {
        use tantivy::schema::{Schema, FAST, STRING};
        let mut builder = Schema::builder();
        let path = builder.add_text_field("path", STRING | FAST);
        let index = tantivy::Index::create_in_ram(builder.build());
        let mut writer: tantivy::IndexWriter = index.writer_with_num_threads(1, 15_000_000)?;
        // Enough terms for the dictionary to hold several blocks.
        for n in 0..5_000 {
            writer.add_document(tantivy::doc!(path => format!("dir/{n:05}-é.txt")))?;
        }
        writer.commit()?;
        let searcher = index.reader()?.searcher();
        let Some(column) = searcher.segment_reader(0).str_column(path)? else {
            panic!("the path column");
        };
        let ords = [0, 1, 1, 2, 700, 2_500, 2_501, 4_999];
        let one_by_one: Vec<String> = ords
            .iter()
            .map(|&ord| ord_text(&column, ord))
            .collect::<tantivy::Result<_>>()?;
        assert_eq!(ord_texts(&column, &ords)?, one_by_one);
        assert_eq!(one_by_one[4], "dir/00700-é.txt");
        // An ordinal past the dictionary is named "" by both.
        assert_eq!(ord_texts(&column, &[3, 9_999])?, ["dir/00003-é.txt", ""]);
        assert_eq!(ord_texts(&column, &[])?, Vec::<String>::new());
        let names = OrdNames::read(Some(&column), [2_501, 3, 2_501])?;
        assert_eq!(names.get(3), Some("dir/00003-é.txt"));
        assert_eq!(names.get(4), None);
        assert_eq!(
            names.iter().map(|(ord, _)| ord).collect::<Vec<_>>(),
            [3, 2_501]
        );
        Ok(())
    }

    #[test]
    fn builtin_schema_loads_with_default_fields() -> Result<(), SchemaError> {
        let s = IndexSchema::builtin()?;
        let names: Vec<&str> = s
            .default_fields
            .iter()
            .map(|(f, _)| s.schema.get_field_name(*f))
            .collect();
        assert_eq!(names, vec!["title", "statement", "section", "author"]);
        assert_eq!(s.fingerprint.len(), 16);
        Ok(())
    }

    #[test]
    fn comments_do_not_change_the_fingerprint_but_options_do() -> Result<(), SchemaError> {
        let base = IndexSchema::builtin()?.fingerprint;
        let commented = format!("# another comment\n{SCHEMA_TOML}");
        assert_eq!(IndexSchema::from_toml(&commented)?.fingerprint, base);
        let changed = SCHEMA_TOML.replace("boost = 3.0", "boost = 2.0");
        assert_ne!(IndexSchema::from_toml(&changed)?.fingerprint, base);
        Ok(())
    }

    #[test]
    fn bad_definitions_are_named() {
        let unknown = SCHEMA_TOML.replace("tokenizer = \"names\"", "tokenizer = \"klingon\"");
        let err = IndexSchema::from_toml(&unknown).expect_err("unknown tokenizer");
        assert!(err.to_string().contains("klingon"), "{err}");
        let missing = SCHEMA_TOML.replace("name = \"dedup\"", "name = \"dedupe\"");
        let err = IndexSchema::from_toml(&missing).expect_err("missing field");
        assert!(err.to_string().contains("`dedup`"), "{err}");
    }
}
