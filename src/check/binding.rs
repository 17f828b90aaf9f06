//! A table's header bound to the schema: each field's column (by the
//! mapping file, its name or an alias, the platform's own columns, its
//! question wording, or what the edition recognises) or constant, with the
//! findings of a header that does not fit.

use std::sync::Arc;

use super::Checker;
use super::findings::{Findings, Issue, Kind, Position, Severity};
use super::summary;
use crate::ingest::{Table, preset::Preset};
use crate::schema::{ColumnRule, FieldType, FieldsMatch, normalize_label};

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
    pub(super) width: usize,
    pub(super) column_offset: u32,
    pub(super) file_index: u64,
    pub(super) file: Arc<str>,
    pub(super) sheet: Option<Arc<str>>,
}

impl Binding {
    /// Whether the field has a column or a constant in this table.
    pub(crate) fn is_bound(&self, field: usize) -> bool {
        self.sources[field] != Source::Absent
    }
}

impl Checker {
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
