//! The mapping file (`--map FILE`, TOML): how an export's columns and labels
//! correspond to the schema's canonical fields.
//!
//! ```toml
//! missing_values = ["-", "Prefer not to say"]   # more "not answered" markers
//! preset = "qualtrics"                          # the export's platform
//!
//! [columns]            # export column header = canonical field
//! "Which service did you use?" = "service"
//! "Q1" = "satisfaction"
//!
//! [labels]             # extra answer labels for the 1-5 questions
//! "Very satisfied" = 5
//!
//! [trust_labels]       # extra answers to the v2 trust question (0-5)
//! "Sí" = 1
//! "No" = 0
//!
//! [driver_choices]     # v2 driver choice texts, to the driver they mean
//! "Cortesía" = "humanity"
//!
//! [scales]             # other scales recoded into 1-5 (see scales.rs)
//! q8 = "0-10"
//! trust = "reverse"
//! ease = { "7" = 5, "6" = 4, "5" = 4, "4" = 3, "3" = 2, "2" = 2, "1" = 1 }
//!
//! [channels]           # extra channel spellings
//! "Online" = "computer"
//!
//! [constants]          # a value for every row of every input
//! channel = "computer"
//! ```

use anyhow::{Context, bail};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::Path;

use super::scales::{Scale, ScaleSpec};
use super::{Schema, normalize_label};

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Mapping {
    #[serde(default)]
    pub(crate) columns: BTreeMap<String, String>,
    #[serde(default)]
    pub(crate) labels: BTreeMap<String, i64>,
    /// Answers to the A-11 v2 trust question: 1/0 on a thumbs survey, 1-5
    /// on a Likert one.
    #[serde(default)]
    pub(crate) trust_labels: BTreeMap<String, i64>,
    /// A-11 v2 driver choice texts the driver names and keywords do not
    /// give, to the driver they mean.
    #[serde(default)]
    pub(crate) driver_choices: BTreeMap<String, String>,
    /// Per field, the scale its numbers are written on, recoded into 1-5.
    #[serde(default)]
    pub(crate) scales: BTreeMap<String, ScaleSpec>,
    #[serde(default)]
    pub(crate) channels: BTreeMap<String, String>,
    #[serde(default)]
    pub(crate) constants: BTreeMap<String, String>,
    #[serde(default)]
    pub(crate) missing_values: Vec<String>,
    /// `--redact`: more patterns (regular expressions) to take out of free
    /// text, such as case-number formats.
    #[serde(default)]
    pub(crate) redact: Vec<String>,
    /// The survey platform's export shape (`qualtrics`, `touchpoints`).
    #[serde(default)]
    pub(crate) preset: Option<crate::ingest::Preset>,
}

impl Mapping {
    pub(crate) fn load(path: &Path) -> anyhow::Result<Mapping> {
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("reading mapping file {}", path.display()))?;
        let mapping: Mapping = toml::from_str(&text)
            .with_context(|| format!("mapping file {} is not valid", path.display()))?;
        Ok(mapping)
    }

    /// Check the mapping against the schema it will be used with, so a typo
    /// is a configuration error before any data is read.
    pub(crate) fn check(&self, schema: &Schema, source: &str) -> anyhow::Result<()> {
        let known = |name: &str| schema.fields.iter().any(|f| f.name == name);
        for (column, field) in &self.columns {
            if !known(field) {
                bail!(
                    "{source}: [columns] maps {column:?} to {field:?}, which is not a field of {}; fields are: {}",
                    schema.name,
                    field_list(schema)
                );
            }
        }
        for field in self.constants.keys() {
            if !known(field) {
                bail!(
                    "{source}: [constants] sets {field:?}, which is not a field of {}; fields are: {}",
                    schema.name,
                    field_list(schema)
                );
            }
        }
        for (label, value) in &self.labels {
            if !(1..=5).contains(value) {
                bail!("{source}: [labels] maps {label:?} to {value}; answers are 1 to 5");
            }
        }
        for (field, spec) in &self.scales {
            let Some(f) = schema.fields.iter().find(|f| f.name == *field) else {
                bail!(
                    "{source}: [scales] gives a scale for {field:?}, which is not a field of {}; fields are: {}",
                    schema.name,
                    field_list(schema)
                );
            };
            if f.categories.is_empty() {
                bail!(
                    "{source}: [scales] gives a scale for {field:?}, which is not an answer scale (only the 1-5 questions are recoded)"
                );
            }
            if let Err(why) = spec.resolve() {
                bail!("{source}: [scales] {field}: {why}");
            }
        }
        if let Some(channel) = schema.index_of("channel") {
            let allowed = &schema.fields[channel].constraints.allowed;
            for (spelling, code) in &self.channels {
                if !allowed.iter().any(|c| *c == normalize_label(code)) {
                    bail!(
                        "{source}: [channels] maps {spelling:?} to {code:?}, which is not a channel code; codes are: {}",
                        allowed.join(", ")
                    );
                }
            }
        }
        Ok(())
    }

    /// `[labels]` entries whose label is a number (`"1" = 5`): the scale
    /// recoded, as (written, counted).
    pub(crate) fn recodes(&self) -> Vec<(i64, i64)> {
        numeric(&self.labels)
    }

    /// The answers a section of the mapping file gives one field alone
    /// (the schema's `mappingLabels`): `[trust_labels]`.
    pub(crate) fn own_labels(&self, section: &str) -> Option<&BTreeMap<String, i64>> {
        match section {
            "trust_labels" => Some(&self.trust_labels),
            _ => None,
        }
    }

    /// A field's own answers whose label is a number: its numeric codes
    /// recoded (the trust question's Qualtrics Yes = 1, No = 2 is `"2" =
    /// 0`).
    pub(crate) fn own_recodes(&self, section: &str) -> Vec<(i64, i64)> {
        self.own_labels(section).map(numeric).unwrap_or_default()
    }

    /// The scale `[scales]` gives a field's numbers, if any (checked by
    /// [`Mapping::check`]).
    pub(crate) fn scale_of(&self, field: &str) -> Option<Scale> {
        self.scales.get(field).and_then(|s| s.resolve().ok())
    }

    /// The canonical field a header label is mapped to, if any.
    pub(crate) fn field_for_column(&self, label: &str) -> Option<&str> {
        let wanted = normalize_label(label);
        self.columns
            .iter()
            .find(|(column, _)| {
                column.as_str() == label.trim() || normalize_label(column) == wanted
            })
            .map(|(_, field)| field.as_str())
    }
}

fn field_list(schema: &Schema) -> String {
    schema
        .fields
        .iter()
        .map(|f| f.name.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

/// The entries of a labels table whose label is a number.
fn numeric(labels: &BTreeMap<String, i64>) -> Vec<(i64, i64)> {
    labels
        .iter()
        .filter_map(|(label, &value)| Some((label.trim().parse::<i64>().ok()?, value)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_checks() {
        let m: Mapping = toml::from_str(
            r#"
            missing_values = ["-"]
            [columns]
            "Service Name" = "service"
            [labels]
            "Very satisfied" = 5
            [channels]
            "Online" = "computer"
            [constants]
            channel = "computer"
            "#,
        )
        .unwrap();
        let schema = Schema::embedded("a11-v1");
        m.check(&schema, "map.toml").unwrap();
        assert_eq!(m.field_for_column("service name "), Some("service"));
        let bad: Mapping = toml::from_str("[columns]\n\"X\" = \"servce\"\n").unwrap();
        let err = bad.check(&schema, "map.toml").unwrap_err().to_string();
        assert!(err.contains("servce"), "{err}");
        let bad: Mapping = toml::from_str("[labels]\n\"Great\" = 7\n").unwrap();
        assert!(bad.check(&schema, "m").is_err());
    }
}
