//! CHECK: applying a schema to a table. Header labels are bound to fields
//! (mapping file, field names, aliases, platform presets, question
//! wording), then each cell of a row is typed on demand (`row`), every
//! problem reported with its position (`findings`). Generic over schemas:
//! the rules every input shares are in `input`, each template's own rules
//! in its folder under `template`.

pub(crate) mod dates;
pub(crate) mod findings;
pub(crate) mod input;
mod row;
pub(crate) mod summary;
pub(crate) mod unique;

use chrono::NaiveDateTime;
use std::borrow::Cow;
use std::sync::Arc;

use crate::ingest::{Row, Table, preset::Preset};
use crate::schema::{ColumnRule, FieldType, FieldsMatch, Mapping, Schema, fold, normalize_label};
use findings::{Findings, Issue, Kind, Position, Severity};
use row::plain_number;
pub(crate) use row::{Recorded, RowCheck, labelled_number};

/// The reporting time zone unless one is given: federal fiscal quarters
/// are reckoned in Washington's time.
pub(crate) const DEFAULT_ZONE: chrono_tz::Tz = chrono_tz::America::New_York;

/// A typed cell value.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Value<'a> {
    /// Blank, or one of the field's missing-value markers.
    Missing,
    Text(Cow<'a, str>),
    Int(i64),
    DateTime(NaiveDateTime),
    /// A date-time that stated its UTC offset, as a local time in the
    /// reporting time zone.
    Instant(NaiveDateTime),
    /// Index into the field's `enum` codes.
    Code(usize),
    Bool(bool),
    /// The cell has a problem that was reported.
    Invalid,
}

/// Per-field rules prepared once from the schema and the mapping file.
pub(super) struct Rules {
    name: Arc<str>,
    kind: FieldType,
    is_code: bool,
    required: bool,
    unique: bool,
    minimum: Option<i64>,
    maximum: Option<i64>,
    codes: Vec<String>,
    code_aliases: Vec<(String, usize)>,
    /// Spellings of codes already matched, as written: exports repeat a
    /// handful of spellings, and an exact comparison is cheaper.
    code_cache: Vec<(String, usize)>,
    labels: Vec<(String, i64)>,
    /// Answers the mapping file's `[scales]` or `[labels]` give numbers of
    /// their own (`"1" = 5`: a scale written the other way round; a 0-10
    /// scale), for scale fields; applied before the range is checked.
    recode: Vec<(i64, i64)>,
    /// The name of the scale `[scales]` gives the field, for messages.
    scale: Option<String>,
    missing: Vec<String>,
    /// A missing-value marker is a plain number ("99"): plain numbers must
    /// be compared with the markers before they are read.
    numeric_missing: bool,
    hint: String,
}

/// The field (by name) a column holds, recognised from its question text:
/// what an edition hands the binding for columns only it knows.
pub(crate) type ColumnRecogniser = fn(&str) -> Option<String>;

/// A schema prepared for checking, with the state that spans all inputs of a
/// run (values seen in unique fields).
pub(crate) struct Checker {
    pub(crate) schema: Schema,
    pub(crate) mapping: Mapping,
    rules: Vec<Rules>,
    seen: Vec<Option<unique::UniqueValues>>,
    /// By field: values unique within a scope rather than across the run
    /// (A-11 v2's external_id within its survey), kept as `scope␟value`.
    within: Vec<Option<unique::UniqueValues>>,
    /// `--unique-budget` in MiB, and whether repeats must be decided
    /// during the pass (`--skip-invalid`).
    unique_budget: (u64, bool),
    /// Scopes handed out for values unique within one (see `within`).
    scopes: std::cell::Cell<u64>,
    /// Field names and aliases, normalised, to the first field they name:
    /// header labels are looked up, not compared with every field.
    by_label: std::collections::HashMap<String, usize>,
    /// The reporting time zone: date-times that state a UTC offset are
    /// seen in it.
    pub(crate) zone: chrono_tz::Tz,
    /// `--redact`: what free text written out is cleaned with.
    pub(crate) redactor: Option<crate::redact::Redactor>,
    /// The run writes the report to submit (`hisp report`).
    pub(crate) submission: bool,
    /// Respondents below which a share is flagged small-n.
    pub(crate) min_n: u64,
    /// Fields the edition recognises from a column's question text beyond
    /// the schema's own wordings.
    pub(crate) recognise_column: Option<ColumnRecogniser>,
    /// Inputs bound so far, by index.
    files: Vec<Arc<str>>,
    /// Some unique field's values went past its memory budget.
    spilling: bool,
}

pub(super) const ROW_BITS: u32 = 48;

/// Where each schema field's value comes from in one table.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Source {
    Column(usize),
    Constant(String),
    Absent,
}

/// A table's columns bound to the schema.
pub(crate) struct Binding {
    pub(crate) sources: Vec<Source>,
    /// A required column is missing: no row of the table can be used.
    pub(crate) missing_required: bool,
    /// How columns were recognised beyond their names, for the report.
    pub(crate) notes: Vec<String>,
    /// Per field: its column is named after it (or an alias), not mapped
    /// or recognised otherwise.
    pub(crate) named: Vec<bool>,
    /// Per field: the time zone its column's times are written in, when the
    /// export says (Qualtrics' ImportId row) and it is not the reporting
    /// zone.
    pub(crate) zones: Vec<Option<chrono_tz::Tz>>,
    width: usize,
    column_offset: u32,
    file_index: u64,
    file: Arc<str>,
    sheet: Option<Arc<str>>,
}

impl Binding {
    /// Whether the field has a column or a constant in this table.
    pub(crate) fn is_bound(&self, field: usize) -> bool {
        self.sources[field] != Source::Absent
    }
}

impl Checker {
    pub(crate) fn new(schema: Schema, mapping: Mapping) -> Checker {
        let rules = schema
            .fields
            .iter()
            .map(|f| {
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
                let mut missing: Vec<String> = f.missing(&schema).iter().map(|m| fold(m)).collect();
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
                        .missing(&schema)
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
                            Some(section) => {
                                [mapping.own_recodes(section), mapping.recodes()].concat()
                            }
                            None => mapping.recodes(),
                        },
                    },
                    missing,
                    hint,
                }
            })
            .collect::<Vec<_>>();
        let seen = rules
            .iter()
            .map(|r| {
                r.unique
                    .then(|| unique::UniqueValues::new(unique::DEFAULT_BUDGET_MIB, false))
            })
            .collect();
        let mut by_label = std::collections::HashMap::new();
        for (i, f) in schema.fields.iter().enumerate() {
            for name in std::iter::once(&f.name).chain(&f.aliases) {
                by_label.entry(normalize_label(name)).or_insert(i);
            }
        }
        Checker {
            schema,
            mapping,
            rules,
            seen,
            within: Vec::new(),
            unique_budget: (unique::DEFAULT_BUDGET_MIB, false),
            scopes: std::cell::Cell::new(0),
            by_label,
            zone: DEFAULT_ZONE,
            redactor: None,
            submission: false,
            min_n: crate::stats::DEFAULT_MIN_N,
            recognise_column: None,
            files: Vec::new(),
            spilling: false,
        }
    }

    /// The code a `Value::Code` stands for.
    pub(crate) fn code(&self, field: usize, index: usize) -> &str {
        &self.rules[field].codes[index]
    }

    /// Bind a table's header to the schema, reporting label problems. With a
    /// preset, the platform's own columns are bound or ignored, and question
    /// columns are also recognised by their wording.
    pub(crate) fn bind(
        &mut self,
        table: &Table,
        preset: Option<Preset>,
        findings: &mut Findings,
    ) -> Binding {
        self.files.push(table.file.clone());
        let file_index = self.files.len() as u64 - 1;
        let at = |column: Option<usize>| Position {
            file: table.file.clone(),
            sheet: table.sheet.clone(),
            row: Some(table.header_row),
            column: column.map(|c| c as u32 + table.column_offset + 1),
        };
        let letter = |c: usize| crate::display::column_letter(c as u32 + table.column_offset + 1);
        let mut sources = vec![Source::Absent; self.schema.fields.len()];
        let mut notes = Vec::new();
        let mut missing_required = false;
        if self.schema.fields_match == FieldsMatch::Exact {
            missing_required = self.bind_exact(table, &mut sources, findings, &at);
        }
        let by_name = self.schema.fields_match == FieldsMatch::Subset;
        let names = |col: usize| ColumnNames::of(table, col);
        // Columns named after a field (or mapped, or an alias).
        let mut unbound: Vec<usize> = Vec::new();
        for (col, label) in table.headers.iter().enumerate().filter(|_| by_name) {
            if label.is_empty() {
                findings.push(Issue::new(
                    Kind::BlankLabel,
                    Severity::Warning,
                    &at(Some(col)),
                    None,
                    None,
                    "this column has no header; its cells are ignored. Give it a name, or delete it if it is empty".into(),
                ));
                continue;
            }
            let Some(field) = names(col).iter().find_map(|n| self.field_for_label(n)) else {
                unbound.push(col);
                continue;
            };
            if let Source::Column(first) = sources[field] {
                findings.push(Issue::new(
                    Kind::DuplicateLabel,
                    Severity::Error,
                    &at(Some(col)),
                    Some(self.rules[field].name.clone()),
                    Some(label.clone()),
                    format!(
                        "column {label:?} is a second {} column (the first is {}); remove one, or map them to different fields",
                        self.rules[field].name,
                        letter(first)
                    ),
                ));
                continue;
            }
            sources[field] = Source::Column(col);
        }
        if let Some(preset) = preset.filter(|_| by_name) {
            self.bind_preset(table, preset, &mut sources, &mut unbound, &mut notes);
        }
        if by_name {
            self.bind_recognised(table, preset, &mut sources, &mut unbound, &mut notes);
        }
        // A table of results (published counts, hisp's own outputs) and a
        // header that names no field at all get one finding each, below,
        // not one per column and one per field.
        let required_missing = self.schema.fields.iter().enumerate().any(|(i, f)| {
            matches!(f.column, ColumnRule::Required)
                && sources[i] == Source::Absent
                && !self.mapping.constants.contains_key(&f.name)
        });
        let results_columns = if by_name && required_missing {
            summary::result_columns(&table.headers)
        } else {
            Vec::new()
        };
        let results_table = !results_columns.is_empty();
        let none_named =
            by_name && !results_table && !sources.iter().any(|s| matches!(s, Source::Column(_)));
        let quiet = none_named || results_table;
        for col in unbound.into_iter().filter(|_| !quiet) {
            let label = &table.headers[col];
            if preset.is_some_and(|p| p.ignores(label, names(col).import_id())) {
                continue;
            }
            findings.push(Issue::new(
                Kind::ExtraLabel,
                Severity::Warning,
                &at(Some(col)),
                None,
                Some(label.clone()),
                format!(
                    "column {label:?} is not a field of {} and is ignored; if it holds one of the fields, map it in the mapping file's [columns] table",
                    self.schema.name
                ),
            ));
        }
        for (field, value) in &self.mapping.constants {
            if let Some(i) = self.schema.index_of(field) {
                sources[i] = Source::Constant(value.clone());
            }
        }
        if results_table {
            missing_required = true;
            findings.push(Issue::new(
                Kind::ResultsTable,
                Severity::Error,
                &at(None),
                None,
                None,
                summary::message(&table.file, &results_columns),
            ));
        }
        if none_named {
            missing_required = true;
            findings.push(Issue::new(
                Kind::UnrecognisedHeader,
                Severity::Error,
                &at(None),
                None,
                None,
                unrecognised_header(table, &self.schema.name),
            ));
        }
        // A group with a member named after itself is complete or wrong
        // (the canonical driver columns: a misspelt one is not "not
        // offered").
        let named_group = |group: &str| {
            self.schema.fields.iter().enumerate().any(|(j, g)| {
                g.group.as_deref() == Some(group)
                    && matches!(sources[j], Source::Column(c)
                        if self.by_label.get(&normalize_label(&table.headers[c])) == Some(&j))
            })
        };
        for (i, f) in self.schema.fields.iter().enumerate() {
            if sources[i] != Source::Absent || quiet {
                continue;
            }
            let severity = match f.column {
                _ if !by_name => continue, // reported by bind_exact
                _ if f.group.as_deref().is_some_and(named_group) => Severity::Error,
                ColumnRule::Required => Severity::Error,
                ColumnRule::Recommended => Severity::Warning,
                ColumnRule::Optional | ColumnRule::External => continue,
            };
            missing_required |= severity == Severity::Error;
            let consequence = if severity == Severity::Error {
                "the file cannot be used without it"
            } else {
                "its results will be blank"
            };
            findings.push(Issue::new(
                Kind::MissingLabel,
                severity,
                &at(None),
                Some(self.rules[i].name.clone()),
                None,
                format!(
                    "no column for {} ({}); {consequence}. Name a column {:?}, map one in the mapping file's [columns] table, or set a value in [constants]",
                    f.name, f.title, f.name
                ),
            ));
        }
        let named = sources
            .iter()
            .enumerate()
            .map(|(field, source)| match source {
                Source::Column(c) => {
                    self.by_label.get(&normalize_label(&table.headers[*c])) == Some(&field)
                }
                _ => false,
            })
            .collect();
        let zones = sources
            .iter()
            .map(|source| {
                let Source::Column(c) = source else {
                    return None;
                };
                let stated = table
                    .time_zones
                    .get(*c)
                    .map(|z| z.trim())
                    .filter(|z| !z.is_empty())?;
                let zone = match stated {
                    "Z" | "z" | "UTC" | "GMT" => chrono_tz::UTC,
                    name => name.parse().ok()?,
                };
                (zone != self.zone).then(|| {
                    notes.push(format!(
                        "column {} {:?} holds times in {} (its ImportId says so): seen in {} time",
                        letter(*c),
                        table.headers[*c],
                        zone.name(),
                        self.zone.name()
                    ));
                    zone
                })
            })
            .collect();
        Binding {
            sources,
            missing_required,
            notes,
            named,
            zones,
            width: table.headers.len(),
            column_offset: table.column_offset,
            file_index,
            file: table.file.clone(),
            sheet: table.sheet.clone(),
        }
    }

    /// Columns the edition recognises by their question text (A-11 v2's
    /// drivers, multi-select columns by their question and choice: `What
    /// went well? - Selected Choice - Ease: it was easy to do`), whatever
    /// the platform.
    fn bind_recognised(
        &self,
        table: &Table,
        preset: Option<Preset>,
        sources: &mut [Source],
        unbound: &mut Vec<usize>,
        notes: &mut Vec<String>,
    ) {
        let Some(recognise) = self.recognise_column else {
            return;
        };
        let letter = |c: usize| crate::display::column_letter(c as u32 + table.column_offset + 1);
        for col in unbound.clone() {
            let names = ColumnNames::of(table, col);
            if preset.is_some()
                && !crate::ingest::preset::is_answer_column(&table.headers[col], names.import_id())
            {
                continue;
            }
            let Some(field) = recognise(names.text()).and_then(|name| self.schema.index_of(&name))
            else {
                continue;
            };
            if sources[field] == Source::Absent {
                sources[field] = Source::Column(col);
                unbound.retain(|&c| c != col);
                notes.push(format!(
                    "column {} {:?} is {}: by its question and choice",
                    letter(col),
                    crate::schema::wording::short(names.text(), 60),
                    self.schema.fields[field].name
                ));
            }
        }
    }

    /// A preset's columns: the platform's own columns for canonical fields,
    /// then question columns by their wording. Columns bound here leave
    /// `unbound`; the platform's duplicates of fields already bound (the
    /// question text columns of a Touchpoints combined export) are dropped
    /// from it quietly.
    fn bind_preset(
        &self,
        table: &Table,
        preset: Preset,
        sources: &mut [Source],
        unbound: &mut Vec<usize>,
        notes: &mut Vec<String>,
    ) {
        let letter = |c: usize| crate::display::column_letter(c as u32 + table.column_offset + 1);
        for (label, field) in preset.columns() {
            let (Some(field), Some(pos)) = (
                self.schema.index_of(field),
                unbound
                    .iter()
                    .position(|&c| table.headers[c].eq_ignore_ascii_case(label)),
            ) else {
                continue;
            };
            if sources[field] == Source::Absent {
                sources[field] = Source::Column(unbound.remove(pos));
            }
        }
        let texts: Vec<Option<String>> = (0..table.headers.len())
            .map(|col| {
                let names = ColumnNames::of(table, col);
                let open = unbound.contains(&col)
                    && crate::ingest::preset::is_answer_column(
                        &table.headers[col],
                        names.import_id(),
                    );
                open.then(|| names.text().to_string())
            })
            .collect();
        let bound: Vec<bool> = sources.iter().map(|s| *s != Source::Absent).collect();
        let mut matches = crate::schema::wording::pair(&self.schema, &texts, &bound);
        // Text-entry columns (`QID4_TEXT`) are free-text answers: matched
        // to the comment fields only.
        let text_entries: Vec<Option<String>> = (0..table.headers.len())
            .map(|col| {
                let names = ColumnNames::of(table, col);
                let entry = unbound.contains(&col)
                    && texts[col].is_none()
                    && matches.iter().all(|m| m.column != col)
                    && [table.headers[col].as_str(), names.import_id()]
                        .iter()
                        .any(|id| id.to_ascii_uppercase().ends_with("_TEXT"));
                entry.then(|| names.text().to_string())
            })
            .collect();
        let not_text: Vec<bool> = self
            .schema
            .fields
            .iter()
            .enumerate()
            .map(|(f, field)| {
                bound[f] || field.kind != FieldType::String || matches.iter().any(|m| m.field == f)
            })
            .collect();
        matches.extend(crate::schema::wording::pair(
            &self.schema,
            &text_entries,
            &not_text,
        ));
        let texts: Vec<Option<String>> = texts
            .into_iter()
            .zip(text_entries)
            .map(|(a, b)| a.or(b))
            .collect();
        for m in matches {
            sources[m.field] = Source::Column(m.column);
            unbound.retain(|&c| c != m.column);
            let label = &table.headers[m.column];
            let text = texts[m.column].as_deref().unwrap_or_default();
            let named = if label == text {
                String::new()
            } else {
                format!(" {label}")
            };
            notes.push(format!(
                "column {}{named} {:?} is {}: it has {} its question",
                letter(m.column),
                crate::schema::wording::short(text, 60),
                self.schema.fields[m.field].name,
                m.strength.describe()
            ));
        }
        unbound.retain(|&c| {
            let text = crate::schema::words(ColumnNames::of(table, c).text());
            !self.schema.fields.iter().enumerate().any(|(f, field)| {
                sources[f] != Source::Absent
                    && crate::schema::wording::strength(field, &text)
                        .is_some_and(|s| s >= crate::schema::wording::Strength::Variant)
            })
        });
    }

    /// `fieldsMatch: exact`: the header must be the required fields, spelled
    /// exactly, in order (the Touchpoints upload). Returns whether the table
    /// is unusable.
    fn bind_exact(
        &self,
        table: &Table,
        sources: &mut [Source],
        findings: &mut Findings,
        at: &dyn Fn(Option<usize>) -> Position,
    ) -> bool {
        let expected: Vec<usize> = (0..self.schema.fields.len())
            .filter(|&i| self.schema.fields[i].column == ColumnRule::Required)
            .collect();
        let mut unusable = false;
        let names: Vec<&str> = expected
            .iter()
            .map(|&i| self.schema.fields[i].name.as_str())
            .collect();
        // The same columns in another order: Touchpoints compares headers
        // sorted, so the file uploads; bind by name and say so once.
        let mut sorted_header: Vec<&str> = table.headers.iter().map(String::as_str).collect();
        let mut sorted_names = names.clone();
        sorted_header.sort_unstable();
        sorted_names.sort_unstable();
        if sorted_header == sorted_names
            && table
                .headers
                .iter()
                .map(String::as_str)
                .ne(names.iter().copied())
        {
            for (col, label) in table.headers.iter().enumerate() {
                if let Some(field) = self.schema.index_of(label) {
                    sources[field] = Source::Column(col);
                }
            }
            findings.push(Issue::new(
                Kind::ColumnOrder,
                Severity::Warning,
                &at(None),
                None,
                None,
                format!(
                    "the columns are all here but in another order than {} lists them; Touchpoints accepts any order (it compares the names sorted), and the upload files hisp writes use this one: {}",
                    self.schema.name,
                    names.join(",")
                ),
            ));
            return false;
        }
        for (col, label) in table.headers.iter().enumerate() {
            match expected.get(col) {
                Some(&field) if *label == self.schema.fields[field].name => {
                    sources[field] = Source::Column(col);
                }
                Some(&field) => {
                    unusable = true;
                    let wanted = &self.schema.fields[field].name;
                    let elsewhere = names.iter().position(|n| n == label);
                    let why = match elsewhere {
                        Some(i) => format!(
                            "{label:?} belongs in column {}",
                            crate::display::column_letter(i as u32 + 1)
                        ),
                        None => format!("{label:?} is not an upload column"),
                    };
                    findings.push(Issue::new(
                        Kind::IncorrectLabel,
                        Severity::Error,
                        &at(Some(col)),
                        Some(self.rules[field].name.clone()),
                        Some(label.clone()),
                        format!(
                            "the {} header needs {wanted:?} here; {why}. The header must be exactly: {}",
                            self.schema.name,
                            names.join(",")
                        ),
                    ));
                }
                None => {
                    unusable = true;
                    findings.push(Issue::new(
                        Kind::ExtraLabel,
                        Severity::Error,
                        &at(Some(col)),
                        None,
                        Some(label.clone()),
                        format!(
                            "column {label:?} is not allowed in a {} file, which has exactly {} columns; remove it",
                            self.schema.name,
                            names.len()
                        ),
                    ));
                }
            }
        }
        for &field in expected.iter().skip(table.headers.len()) {
            unusable = true;
            findings.push(Issue::new(
                Kind::MissingLabel,
                Severity::Error,
                &at(None),
                Some(self.rules[field].name.clone()),
                None,
                format!(
                    "the header lacks {:?}; a {} header must be exactly: {}",
                    self.schema.fields[field].name,
                    self.schema.name,
                    names.join(",")
                ),
            ));
        }
        unusable
    }

    /// How many distinct fields a candidate header row names, by name or by
    /// question wording: the header is the best row near the top of a table.
    pub(crate) fn header_score(&self, labels: &[String]) -> crate::ingest::layout::HeaderScore {
        let mut named = vec![false; self.schema.fields.len()];
        let mut texts = Vec::with_capacity(labels.len());
        for label in labels {
            match self.field_for_label(label) {
                Some(field) if !label.is_empty() => {
                    named[field] = true;
                    texts.push(None);
                }
                _ => texts.push((!label.is_empty()).then(|| label.clone())),
            }
        }
        crate::ingest::layout::HeaderScore {
            by_name: named.iter().filter(|n| **n).count(),
            by_wording: crate::schema::wording::pair(&self.schema, &texts, &named).len(),
        }
    }

    fn field_for_label(&self, label: &str) -> Option<usize> {
        if let Some(field) = self.mapping.field_for_column(label) {
            return self.schema.index_of(field);
        }
        self.by_label.get(&normalize_label(label)).copied()
    }

    /// The memory each unique field's values may take (MiB), and whether
    /// they must all be decided during the pass (`--skip-invalid`).
    pub(crate) fn set_unique_budget(&mut self, mib: u64, during_the_pass: bool) {
        self.unique_budget = (mib, during_the_pass);
        for seen in self.seen.iter_mut().flatten() {
            *seen = unique::UniqueValues::new(mib, during_the_pass);
        }
    }

    /// A scope no other has had, for values unique within it.
    pub(crate) fn new_scope(&self) -> u64 {
        let scope = self.scopes.get();
        self.scopes.set(scope + 1);
        scope
    }

    /// A unique field's set: of values unique within a scope, or across
    /// the run.
    pub(crate) fn unique_set(&mut self, field: usize, within: bool) -> &mut unique::UniqueValues {
        if within {
            self.within(field)
        } else {
            self.seen[field].as_mut().expect("unique fields have a set")
        }
    }

    /// The set of a field's values unique within a scope, made on first use.
    fn within(&mut self, field: usize) -> &mut unique::UniqueValues {
        if self.within.len() <= field {
            self.within.resize_with(field + 1, || None);
        }
        let (mib, during_the_pass) = self.unique_budget;
        self.within[field].get_or_insert_with(|| unique::UniqueValues::new(mib, during_the_pass))
    }

    /// A row's check is over: whether it had errors, for a value of it
    /// kept past the budget (its row is counted invalid if a repeat is
    /// found at the end).
    pub(crate) fn row_done(&mut self, counted: unique::Counted) {
        if !self.spilling {
            return;
        }
        for seen in self.seen.iter_mut().chain(&mut self.within).flatten() {
            seen.row_done(counted);
        }
    }

    /// "row 12", or "row 12 of other.csv" for a position packed as
    /// `file index << 48 | row`.
    pub(crate) fn first_seen_at(&self, packed: unique::Packed, file_index: u64) -> String {
        let (file, line) = (packed >> ROW_BITS, packed & ((1 << ROW_BITS) - 1));
        if file == file_index {
            format!("row {line}")
        } else {
            format!("row {line} of {}", self.files[file as usize])
        }
    }

    /// The pass is over: report the repeats among values seen past the
    /// memory budget (in row order), count their rows invalid when they
    /// were counted valid, and say what the budget did.
    pub(crate) fn finish_unique(
        &mut self,
        findings: &mut Findings,
        inputs: &mut [input::InputStats],
        notes: &mut Vec<String>,
    ) -> std::io::Result<()> {
        let sets = self.seen.len().max(self.within.len());
        for (field, within) in (0..sets).flat_map(|f| [(f, false), (f, true)]) {
            let list = if within {
                &mut self.within
            } else {
                &mut self.seen
            };
            let Some(seen) = list.get_mut(field).and_then(Option::as_mut) else {
                continue;
            };
            let name = self.rules[field].name.clone();
            if let Some(bytes) = seen.grew_to() {
                notes.push(format!(
                    "{name}: to set repeated rows aside as the pass went (--skip-invalid), its values were kept in {} MiB, past the --unique-budget",
                    bytes.div_ceil(1 << 20)
                ));
            }
            let past = seen.past_budget();
            if past == 0 {
                continue;
            }
            let repeats = seen.finish()?;
            let places: Vec<unique::Place> = repeats
                .iter()
                .map(|r| seen.place_of(r.at >> ROW_BITS))
                .collect();
            tracing::info!(
                "{name}: {past} values past the --unique-budget were compared at the end of the pass, {} repeats",
                repeats.len()
            );
            // Said only when it changes the report: repeats listed late.
            if !repeats.is_empty() {
                notes.push(format!(
                    "{name}: {} values past the --unique-budget were compared at the end of the pass (sorted in a temporary file); their repeats are listed after the other findings",
                    crate::display::group_thousands(past)
                ));
            }
            for (repeat, place) in repeats.into_iter().zip(places) {
                let file_index = repeat.at >> ROW_BITS;
                // Counted as valid during the pass: invalid now.
                if let Some(input) = inputs.get_mut(file_index as usize) {
                    match repeat.counted {
                        unique::Counted::Invalid => {}
                        unique::Counted::Respondent => {
                            input.respondents -= 1;
                            input.rows_invalid += 1;
                        }
                        unique::Counted::Empty => {
                            input.rows_empty -= 1;
                            input.rows_invalid += 1;
                        }
                    }
                }
                if findings.count(Severity::Error, Kind::UniqueError, Some(&name)) {
                    let first = self.first_seen_at(repeat.first, file_index);
                    let at = Position {
                        file: place.file,
                        sheet: place.sheet,
                        row: Some(repeat.at & ((1 << ROW_BITS) - 1)),
                        column: place.column,
                    };
                    let (value, message) = if within {
                        let value = unique::unscoped(&repeat.text).to_string();
                        let message = row::repeat_within_message(&name, &value, &first);
                        (value, message)
                    } else {
                        let message = row::repeat_message(&repeat.text, &first);
                        (repeat.text, message)
                    };
                    findings.keep(Issue::new(
                        Kind::UniqueError,
                        Severity::Error,
                        &at,
                        Some(name.clone()),
                        Some(value),
                        message,
                    ));
                }
            }
        }
        Ok(())
    }

    /// Start checking one row.
    pub(crate) fn row<'a>(
        &'a mut self,
        binding: &'a Binding,
        row: &'a dyn Row,
        line: u64,
        findings: &'a mut Findings,
    ) -> RowCheck<'a> {
        RowCheck {
            checker: self,
            binding,
            row,
            line,
            findings,
            errors: 0,
            period: None,
            comparison: false,
            recorded: None,
        }
    }
}

/// What to say of a header that names no field: what it reads, how the
/// file was read, and what to try.
fn unrecognised_header(table: &Table, schema: &str) -> String {
    const SHOWN: usize = 6;
    let cells: Vec<String> = table
        .headers
        .iter()
        .take(SHOWN)
        .map(|h| format!("{:?}", crate::schema::wording::short(h, 30)))
        .collect();
    let more = match table.headers.len() {
        n if n > SHOWN => format!(", … ({n} columns)"),
        _ => String::new(),
    };
    format!(
        "no column of the header names a field of {schema}. Row {} reads {}{more} (read as {}). If the header is on another row, give --header-row N; if the columns are split wrongly, give --delimiter; if the export names its columns its own way, run `hisp init {}` for a mapping file; if it is another kind of table, give --schema",
        table.header_row,
        cells.join(", "),
        table.format,
        table.file
    )
}

/// The names a column goes by: its header label and, in a Qualtrics export,
/// its question text and ImportId.
struct ColumnNames<'t> {
    label: &'t str,
    description: &'t str,
    import_id: &'t str,
}

impl<'t> ColumnNames<'t> {
    fn of(table: &'t Table, col: usize) -> ColumnNames<'t> {
        let get = |v: &'t [String]| v.get(col).map_or("", |s| s.as_str());
        ColumnNames {
            label: &table.headers[col],
            description: get(&table.descriptions),
            import_id: get(&table.import_ids),
        }
    }

    /// Each non-empty name, the header label first.
    fn iter(&self) -> impl Iterator<Item = &'t str> + use<'t> {
        [self.label, self.description, self.import_id]
            .into_iter()
            .filter(|n| !n.is_empty())
    }

    fn import_id(&self) -> &'t str {
        self.import_id
    }

    /// The question text: the description row when there is one.
    fn text(&self) -> &'t str {
        if self.description.is_empty() {
            self.label
        } else {
            self.description
        }
    }
}

/// A text field's value in a row (a survey_id): blank where the column is
/// absent or the cell empty.
pub(crate) fn text_or_blank<'a>(check: &mut RowCheck<'a>, field: Option<usize>) -> Cow<'a, str> {
    match field.map(|f| check.value(f)) {
        Some(Value::Text(t)) => t,
        _ => Cow::Borrowed(""),
    }
}
