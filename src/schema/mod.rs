//! Template schemas: a subset of Frictionless Table Schema v2 (fields, types,
//! `constraints`, `categories`, `missingValues`) with a few hisp extensions
//! (`column`, `aliases`, `question`, `format: "code"`, `mappingLabels`). The
//! schemas in `schemas/` are shipped in the binary by the editions that use
//! them; `--schema PATH` overrides them.

use anyhow::{Context, bail};
use serde::Deserialize;
use std::path::Path;

pub(crate) mod mapping;
pub(crate) mod scales;
mod text;
pub(crate) mod wording;

pub(crate) use mapping::Mapping;
pub(crate) use text::{code_matches, fold, folds_to, normalize_label, push_folded, words};

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Schema {
    pub(crate) name: String,
    pub(crate) version: String,
    #[serde(default = "default_missing")]
    pub(crate) missing_values: Vec<String>,
    #[serde(default)]
    pub(crate) fields_match: FieldsMatch,
    pub(crate) fields: Vec<Field>,
}

/// How a header must match the fields (Frictionless `fieldsMatch`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum FieldsMatch {
    /// Columns by name in any order; other columns are ignored (warning).
    #[default]
    Subset,
    /// Exactly the `required` columns, with these exact names, in order.
    Exact,
}

fn default_missing() -> Vec<String> {
    vec![String::new()]
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Field {
    pub(crate) name: String,
    #[serde(default)]
    pub(crate) title: String,
    #[serde(rename = "type")]
    pub(crate) kind: FieldType,
    #[serde(default)]
    pub(crate) format: Option<String>,
    #[serde(default)]
    pub(crate) column: ColumnRule,
    /// Fields that come together: when one has a column under its own
    /// name, the others of its group are required too (hisp extension).
    #[serde(default)]
    pub(crate) group: Option<String>,
    #[serde(default)]
    pub(crate) aliases: Vec<String>,
    #[serde(default)]
    pub(crate) constraints: Constraints,
    #[serde(default)]
    pub(crate) categories: Vec<Category>,
    #[serde(default)]
    pub(crate) missing_values: Option<Vec<String>>,
    #[serde(default)]
    pub(crate) question: Option<Question>,
    /// The mapping file's section of answers for this field alone, read
    /// before `[labels]` (hisp extension: `trust_labels`).
    #[serde(default)]
    pub(crate) mapping_labels: Option<String>,
    /// How to recognise the field's column by its question text.
    #[serde(default)]
    pub(crate) matches: Option<Matches>,
    /// The same, normalised once when the schema is loaded.
    #[serde(skip)]
    pub(crate) wording: wording::Wording,
}

/// Wordings and keywords that identify a field's column by its question text
/// (see `wording`).
#[derive(Debug, Clone, Default, Deserialize)]
pub(crate) struct Matches {
    /// Phrases of the standard wording and its known variants.
    #[serde(default)]
    pub(crate) variants: Vec<String>,
    /// Word beginnings that suggest the field ("satisf", "trust").
    #[serde(default)]
    pub(crate) keywords: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum FieldType {
    String,
    Integer,
    Boolean,
    Datetime,
    Date,
}

/// Whether the column must be in the export's header.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum ColumnRule {
    /// Missing column: error.
    Required,
    /// Missing column: warning.
    Recommended,
    /// Missing column: fine.
    #[default]
    Optional,
    /// Never a column: the value comes from `--set` or the mapping file's
    /// `[constants]` (survey keys of an upload file).
    External,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Constraints {
    #[serde(default)]
    pub(crate) required: bool,
    #[serde(default)]
    pub(crate) unique: bool,
    #[serde(default)]
    pub(crate) minimum: Option<i64>,
    #[serde(default)]
    pub(crate) maximum: Option<i64>,
    #[serde(default, rename = "enum")]
    pub(crate) allowed: Vec<String>,
}

#[derive(Debug, Clone, Deserialize)]
pub(crate) struct Category {
    pub(crate) value: i64,
    pub(crate) label: String,
    #[serde(default)]
    pub(crate) aliases: Vec<String>,
    /// The survey type a label proves (the v2 trust question: thumbs labels
    /// or Likert labels).
    #[serde(default)]
    pub(crate) survey_type: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
pub(crate) struct Question {
    pub(crate) number: u8,
    #[serde(default)]
    pub(crate) text: String,
}

impl Schema {
    /// A schema shipped with the binary (an edition's, from `schemas/`):
    /// the tests check every one.
    pub(crate) fn shipped(text: &str) -> Schema {
        let mut schema: Schema =
            serde_json::from_str(text).expect("shipped schemas are valid JSON");
        schema.check().expect("shipped schemas are consistent");
        schema.prepare();
        schema
    }

    /// A schema of `schemas/` by name, for the tests.
    #[cfg(test)]
    pub(crate) fn embedded(name: &str) -> Schema {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("schemas/{name}.json"));
        Schema::shipped(&std::fs::read_to_string(path).expect("a schema of schemas/"))
    }

    /// The field whose answers a section of the mapping file gives
    /// (`mappingLabels`): the trust question's `[trust_labels]`.
    pub(crate) fn field_with_own_labels(&self, section: &str) -> Option<usize> {
        self.fields
            .iter()
            .position(|f| f.mapping_labels.as_deref() == Some(section))
    }

    /// A schema from a JSON file (`--schema PATH`).
    pub(crate) fn load(path: &Path) -> anyhow::Result<Schema> {
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("reading schema {}", path.display()))?;
        let mut schema: Schema = serde_json::from_str(&text)
            .with_context(|| format!("schema {} is not a valid hisp schema", path.display()))?;
        schema
            .check()
            .with_context(|| format!("schema {}", path.display()))?;
        schema.prepare();
        Ok(schema)
    }

    /// Normalise each field's wording once, for matching columns by it.
    fn prepare(&mut self) {
        for field in &mut self.fields {
            field.wording = wording::Wording::of(field);
        }
    }

    fn check(&self) -> anyhow::Result<()> {
        let mut seen = std::collections::HashSet::new();
        for f in &self.fields {
            if !seen.insert(normalize_label(&f.name)) {
                bail!("field {:?} is defined twice", f.name);
            }
            if f.format.as_deref() == Some("code") && f.constraints.allowed.is_empty() {
                bail!(
                    "field {:?} has format \"code\" but no constraints.enum",
                    f.name
                );
            }
        }
        Ok(())
    }

    pub(crate) fn index_of(&self, name: &str) -> Option<usize> {
        self.fields.iter().position(|f| f.name == name)
    }

    /// The index of a field the program relies on; a configuration error if
    /// an overriding schema lacks it.
    pub(crate) fn require(&self, name: &str) -> anyhow::Result<usize> {
        self.index_of(name).with_context(|| {
            format!(
                "schema {} has no field {name:?}, which hisp needs",
                self.name
            )
        })
    }
}

impl Field {
    /// The strings that mean "no value" for this field.
    pub(crate) fn missing<'a>(&'a self, schema: &'a Schema) -> &'a [String] {
        self.missing_values
            .as_deref()
            .unwrap_or(&schema.missing_values)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_schemas_load() {
        let s = Schema::embedded("a11-v1");
        assert_eq!(s.name, "a11-v1");
        assert_eq!(s.fields.iter().filter(|f| f.question.is_some()).count(), 11);
        let channel = &s.fields[s.index_of("channel").unwrap()];
        // The 18 codes, and `mixed`, which OMB published for v1.
        assert_eq!(channel.constraints.allowed.len(), 19);
        Schema::embedded("services-v1");
        let upload = Schema::embedded("a11-v2-upload");
        assert_eq!(upload.fields_match, FieldsMatch::Exact);
        let columns: Vec<&str> = upload
            .fields
            .iter()
            .filter(|f| f.column == ColumnRule::Required)
            .map(|f| f.name.as_str())
            .collect();
        assert_eq!(columns.len(), 17);
        assert_eq!((columns[0], columns[16]), ("external_id", "question_4"));
        Schema::embedded("a11-v2");
        Schema::embedded("services-v2");
    }
}
