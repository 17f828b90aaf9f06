//! Each field's rules, prepared once from the schema and the mapping file:
//! its type, codes and their aliases, answer labels, recodes, missing-value
//! markers, and the hint a finding gives.

use std::sync::Arc;

use crate::schema::{Field, FieldType, Mapping, Schema, fold, normalize_label};

use super::row::plain_number;

/// Per-field rules prepared once from the schema and the mapping file.
pub(super) struct Rules {
    pub(super) name: Arc<str>,
    pub(super) kind: FieldType,
    pub(super) is_code: bool,
    pub(super) required: bool,
    pub(super) unique: bool,
    pub(super) minimum: Option<i64>,
    pub(super) maximum: Option<i64>,
    pub(super) codes: Vec<String>,
    pub(super) code_aliases: Vec<(String, usize)>,
    /// Spellings of codes already matched, as written: exports repeat a
    /// handful of spellings, and an exact comparison is cheaper.
    pub(super) code_cache: Vec<(String, usize)>,
    pub(super) labels: Vec<(String, i64)>,
    /// Answers the mapping file's `[scales]` or `[labels]` give numbers of
    /// their own (`"1" = 5`: a scale written the other way round; a 0-10
    /// scale), for scale fields; applied before the range is checked.
    pub(super) recode: Vec<(i64, i64)>,
    /// The name of the scale `[scales]` gives the field, for messages.
    pub(super) scale: Option<String>,
    pub(super) missing: Vec<String>,
    /// A missing-value marker is a plain number ("99"): plain numbers must
    /// be compared with the markers before they are read.
    pub(super) numeric_missing: bool,
    pub(super) hint: String,
}

impl Rules {
    /// The rules of field `f` of `schema`, with the mapping file's labels,
    /// spellings and scales.
    pub(super) fn of(f: &Field, schema: &Schema, mapping: &Mapping) -> Rules {
        let mut labels: Vec<(String, i64)> = Vec::new();
        for c in &f.categories {
            labels.push((fold(&c.label), c.value));
            labels.extend(c.aliases.iter().map(|a| (fold(a), c.value)));
        }
        if !f.categories.is_empty() {
            labels.extend(mapping.labels.iter().map(|(l, v)| (fold(l), *v)));
        }
        if let Some(own) = f
            .mapping_labels
            .as_deref()
            .and_then(|s| mapping.own_labels(s))
        {
            // The field's own answers in the mapping file come first.
            labels.splice(0..0, own.iter().map(|(l, v)| (fold(l), *v)));
        }
        let is_code = f.format.as_deref() == Some("code");
        let codes: Vec<String> = f
            .constraints
            .allowed
            .iter()
            .map(|c| normalize_label(c))
            .collect();
        let code_aliases = if is_code && f.name == "channel" {
            mapping
                .channels
                .iter()
                .filter_map(|(spelling, code)| {
                    let code = normalize_label(code);
                    codes
                        .iter()
                        .position(|c| *c == code)
                        .map(|i| (fold(spelling), i))
                })
                .collect()
        } else {
            Vec::new()
        };
        let mut missing: Vec<String> = f.missing(schema).iter().map(|m| fold(m)).collect();
        missing.extend(mapping.missing_values.iter().map(|m| fold(m)));
        let hint = if !f.categories.is_empty() {
            let scale: Vec<String> = f
                .categories
                .iter()
                .map(|c| format!("{} ({})", c.value, c.label))
                .collect();
            format!("use a whole number or its label: {}", scale.join(", "))
        } else if is_code {
            format!("use one of: {}", codes.join(", "))
        } else if let (FieldType::Integer, Some(lo), Some(hi)) =
            (f.kind, f.constraints.minimum, f.constraints.maximum)
        {
            let markers: Vec<&str> = f
                .missing(schema)
                .iter()
                .map(String::as_str)
                .filter(|m| !m.is_empty())
                .collect();
            let blank = if markers.is_empty() {
                String::new()
            } else {
                format!(", or {} when there is no value", markers.join(" or "))
            };
            format!("use a whole number from {lo} to {hi}{blank}")
        } else {
            String::new()
        };
        let numeric_missing = missing.iter().any(|m| plain_number(m).is_some());
        Rules {
            code_cache: Vec::new(),
            numeric_missing,
            name: f.name.as_str().into(),
            kind: f.kind,
            is_code,
            required: f.constraints.required,
            unique: f.constraints.unique,
            minimum: f.constraints.minimum,
            maximum: f.constraints.maximum,
            codes,
            code_aliases,
            labels,
            scale: mapping.scale_of(&f.name).map(|s| s.name),
            recode: match (f.categories.is_empty(), f.name.as_str()) {
                (true, _) => Vec::new(),
                (false, name) if mapping.scales.contains_key(name) => {
                    mapping.scale_of(name).map(|s| s.recode).unwrap_or_default()
                }
                // The field's own codes in the mapping file come first.
                (false, _) => match f.mapping_labels.as_deref() {
                    Some(section) => [mapping.own_recodes(section), mapping.recodes()].concat(),
                    None => mapping.recodes(),
                },
            },
            missing,
            hint,
        }
    }
}
