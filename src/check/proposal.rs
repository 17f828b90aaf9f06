//! The columns `hisp init` proposes for a table: each field's column and
//! how it was found, the fields no column holds, the columns matched to
//! nothing.

use std::collections::BTreeMap;

use super::ColumnRecogniser;
use crate::ingest::{Preset, Table};
use crate::schema::wording::{self, Strength};
use crate::schema::{ColumnRule, Schema, normalize_label};

/// How a column was matched to a field.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum How {
    /// Already named after the field (or an alias): no mapping line needed.
    Canonical,
    /// The platform's column for the field.
    Preset(Preset),
    /// A common export spelling of the field's name.
    Name,
    Wording(Strength),
    /// Its values are free text: a comment, whatever its name says.
    FreeText,
    /// Recognised by the edition from its question text (an A-11 v2
    /// driver, by its multi-select question and choice).
    Recognised,
    /// Named like a survey, but a different value on every row: the
    /// response's ID (Medallia calls each response a survey).
    UniquePerRow(usize),
}

/// The columns proposed.
pub(crate) struct Columns {
    /// field → (column, how)
    pub(crate) bound: BTreeMap<usize, (usize, How)>,
    /// Fields the template needs that no column holds.
    pub(crate) missing: Vec<usize>,
    /// Columns matched to nothing.
    pub(crate) unused: Vec<usize>,
}

/// Common spellings of field names in exports, by field.
const NAMES: &[(&str, &[&str])] = &[
    (
        "response_id",
        &[
            "responseid",
            "response_id",
            "record_id",
            "submission_id",
            "uuid",
            "id",
        ],
    ),
    (
        "submitted_at",
        &[
            "recordeddate",
            "recorded_date",
            "enddate",
            "end_date",
            "response_date",
            "submitted",
            "submission_date",
            "date_submitted",
            "created_at",
            "completed",
            "completion_date",
            "survey_date",
            "timestamp",
            "date",
        ],
    ),
    (
        "service",
        &["service_name", "program", "program_name", "hisp_service"],
    ),
    (
        "touchpoint",
        &[
            "touchpoint_name",
            "touch_point",
            "transaction_point",
            "interaction",
            "interaction_type",
        ],
    ),
    (
        "transaction_point",
        &["touchpoint", "touchpoint_name", "touch_point"],
    ),
    (
        "channel",
        &[
            "mode",
            "delivery_channel",
            "contact_channel",
            "service_channel",
        ],
    ),
    (
        "comment",
        &[
            "comments",
            "feedback",
            "additional_feedback",
            "open_text",
            "verbatim",
        ],
    ),
];

/// Match a table's columns to the schema's fields as `hisp init` proposes
/// them: by name (field names, aliases, common export spellings), the
/// platform's own columns, question wording, and what the edition
/// recognises. Unlike [`super::Checker::bind`] it guesses, and says how.
pub(crate) fn propose(
    table: &Table,
    schema: &Schema,
    preset: Option<Preset>,
    recognise: Option<ColumnRecogniser>,
) -> Columns {
    let width = table.headers.len();
    let label = |c: usize| table.headers[c].as_str();
    let import_id = |c: usize| table.import_ids.get(c).map_or("", |s| s.as_str());
    let mut bound: BTreeMap<usize, (usize, How)> = BTreeMap::new();
    let mut used = vec![false; width];
    let mut take = |field: usize, col: usize, how: How, used: &mut Vec<bool>| {
        if !used[col] && !bound.contains_key(&field) {
            bound.insert(field, (col, how));
            used[col] = true;
        }
    };
    // Canonical names and aliases.
    for col in 0..width {
        let wanted = normalize_label(label(col));
        if let Some(field) = schema.fields.iter().position(|f| {
            normalize_label(&f.name) == wanted
                || f.aliases.iter().any(|a| normalize_label(a) == wanted)
        }) {
            take(field, col, How::Canonical, &mut used);
        }
    }
    // The platform's own columns.
    if let Some(p) = preset {
        for (name, field) in p.columns() {
            let (Some(field), Some(col)) = (
                schema.index_of(field),
                (0..width).find(|&c| label(c).eq_ignore_ascii_case(name)),
            ) else {
                continue;
            };
            take(field, col, How::Preset(p), &mut used);
        }
    }
    // Common spellings, skipping the platform's bookkeeping columns.
    let bookkeeping = |c: usize| preset.is_some_and(|p| p.ignores(label(c), import_id(c)));
    for (field, spellings) in NAMES {
        let Some(field) = schema.index_of(field) else {
            continue;
        };
        for spelling in *spellings {
            if let Some(col) = (0..width)
                .find(|&c| !used[c] && !bookkeeping(c) && normalize_label(label(c)) == *spelling)
            {
                take(field, col, How::Name, &mut used);
                break;
            }
        }
    }
    // Question wording.
    let texts: Vec<Option<String>> = (0..width)
        .map(|c| {
            let text = match table.descriptions.get(c) {
                Some(d) if !d.is_empty() => d.as_str(),
                _ => label(c),
            };
            let open = !used[c]
                && !bookkeeping(c)
                && crate::ingest::preset::is_answer_column(label(c), import_id(c));
            open.then(|| text.to_string())
        })
        .collect();
    let taken: Vec<bool> = (0..schema.fields.len())
        .map(|f| bound.contains_key(&f))
        .collect();
    for m in wording::pair(schema, &texts, &taken) {
        bound.insert(m.field, (m.column, How::Wording(m.strength)));
        used[m.column] = true;
    }
    // Columns the edition recognises by their question text (A-11 v2's
    // drivers, by their multi-select question and choice).
    for (col, text) in texts.iter().enumerate() {
        let Some(field) = text
            .as_deref()
            .zip(recognise)
            .and_then(|(text, recognise)| recognise(text))
            .and_then(|name| schema.index_of(&name))
        else {
            continue;
        };
        if !used[col] && !bound.contains_key(&field) {
            bound.insert(field, (col, How::Recognised));
            used[col] = true;
        }
    }
    let missing = (0..schema.fields.len())
        .filter(|f| !bound.contains_key(f))
        .filter(|&f| {
            matches!(
                schema.fields[f].column,
                ColumnRule::Required | ColumnRule::Recommended
            )
        })
        .collect();
    let unused = (0..width)
        .filter(|&c| !used[c] && !bookkeeping(c) && !label(c).is_empty())
        .collect();
    Columns {
        bound,
        missing,
        unused,
    }
}
