//! Applying a schema to a table: bind header labels to fields (mapping file,
//! field names, aliases), then type each cell of a row on demand, reporting
//! every problem with its position. Generic over schemas: the A-11 rules that
//! are not about one cell live in `responses` and `manifest`.

use chrono::{NaiveDate, NaiveDateTime, NaiveTime};
use std::borrow::Cow;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::sync::Arc;

use crate::ingest::{Cell, Row, Table, format_number};
use crate::issue::{Findings, Issue, Kind, Position, Severity};
use crate::mapping::Mapping;
use crate::preset::Preset;
use crate::schema::{ColumnRule, FieldType, FieldsMatch, Schema, code_matches, normalize_label};

/// A typed cell value.
#[derive(Debug, Clone, PartialEq)]
pub enum Value<'a> {
    /// Blank, or one of the field's missing-value markers.
    Missing,
    Text(Cow<'a, str>),
    Int(i64),
    DateTime(NaiveDateTime),
    /// Index into the field's `enum` codes.
    Code(usize),
    Bool(bool),
    /// The cell has a problem that was reported.
    Invalid,
}

/// Per-field rules prepared once from the schema and the mapping file.
struct Rules {
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
    missing: Vec<String>,
    /// A missing-value marker is a plain number ("99"): plain numbers must
    /// be compared with the markers before they are read.
    numeric_missing: bool,
    hint: String,
}

/// A schema prepared for checking, with the state that spans all inputs of a
/// run (values seen in unique fields).
pub struct Checker {
    pub schema: Schema,
    pub mapping: Mapping,
    rules: Vec<Rules>,
    seen: Vec<Option<FirstSeen>>,
    /// Inputs bound so far, by index.
    files: Vec<Arc<str>>,
}

/// For a unique field: hash of each value → where it was first seen, packed
/// as `file index << 48 | row` to keep the set small (16 bytes a value).
type FirstSeen = crate::aggregate::FastMap<u64, u64>;

const ROW_BITS: u32 = 48;

/// Where each schema field's value comes from in one table.
#[derive(Debug, Clone, PartialEq)]
pub enum Source {
    Column(usize),
    Constant(String),
    Absent,
}

/// A table's columns bound to the schema.
pub struct Binding {
    pub sources: Vec<Source>,
    /// A required column is missing: no row of the table can be used.
    pub missing_required: bool,
    /// How columns were recognised beyond their names, for the report.
    pub notes: Vec<String>,
    width: usize,
    column_offset: u32,
    file_index: u64,
    file: Arc<str>,
    sheet: Option<Arc<str>>,
}

impl Binding {
    /// Whether the field has a column or a constant in this table.
    pub fn is_bound(&self, field: usize) -> bool {
        self.sources[field] != Source::Absent
    }
}

impl Checker {
    pub fn new(schema: Schema, mapping: Mapping) -> Checker {
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
                    missing,
                    hint,
                }
            })
            .collect::<Vec<_>>();
        let seen = rules
            .iter()
            .map(|r| r.unique.then(FirstSeen::default))
            .collect();
        Checker {
            schema,
            mapping,
            rules,
            seen,
            files: Vec::new(),
        }
    }

    /// The code a `Value::Code` stands for.
    pub fn code(&self, field: usize, index: usize) -> &str {
        &self.rules[field].codes[index]
    }

    /// Bind a table's header to the schema, reporting label problems. With a
    /// preset, the platform's own columns are bound or ignored, and question
    /// columns are also recognised by their wording.
    pub fn bind(
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
        let letter = |c: usize| crate::issue::column_letter(c as u32 + table.column_offset + 1);
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
        for col in unbound {
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
        for (i, f) in self.schema.fields.iter().enumerate() {
            if sources[i] != Source::Absent {
                continue;
            }
            let severity = match f.column {
                _ if !by_name => continue, // reported by bind_exact
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
        Binding {
            sources,
            missing_required,
            notes,
            width: table.headers.len(),
            column_offset: table.column_offset,
            file_index,
            file: table.file.clone(),
            sheet: table.sheet.clone(),
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
        let letter = |c: usize| crate::issue::column_letter(c as u32 + table.column_offset + 1);
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
                    && crate::preset::is_answer_column(&table.headers[col], names.import_id());
                open.then(|| names.text().to_string())
            })
            .collect();
        let bound: Vec<bool> = sources.iter().map(|s| *s != Source::Absent).collect();
        for m in crate::wording::pair(&self.schema, &texts, &bound) {
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
                crate::wording::short(text, 60),
                self.schema.fields[m.field].name,
                m.strength.describe()
            ));
        }
        unbound.retain(|&c| {
            let text = crate::wording::normalize(ColumnNames::of(table, c).text());
            !self.schema.fields.iter().enumerate().any(|(f, field)| {
                sources[f] != Source::Absent
                    && crate::wording::strength(field, &text)
                        .is_some_and(|s| s >= crate::wording::Strength::Variant)
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
                            crate::issue::column_letter(i as u32 + 1)
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
    pub fn header_score(&self, labels: &[String]) -> usize {
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
        let by_name = named.iter().filter(|n| **n).count();
        by_name + crate::wording::pair(&self.schema, &texts, &named).len()
    }

    fn field_for_label(&self, label: &str) -> Option<usize> {
        if let Some(field) = self.mapping.field_for_column(label) {
            return self.schema.index_of(field);
        }
        let wanted = normalize_label(label);
        self.schema.fields.iter().position(|f| {
            normalize_label(&f.name) == wanted
                || f.aliases.iter().any(|a| normalize_label(a) == wanted)
        })
    }

    /// Start checking one row.
    pub fn row<'a>(
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
        }
    }
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

/// Checking one row: typed access to its fields, findings with positions.
pub struct RowCheck<'a> {
    checker: &'a mut Checker,
    binding: &'a Binding,
    row: &'a dyn Row,
    pub line: u64,
    pub findings: &'a mut Findings,
    /// Errors reported for this row so far.
    pub errors: u32,
}

impl<'a> RowCheck<'a> {
    pub fn position(&self, column: Option<usize>) -> Position {
        Position {
            file: self.binding.file.clone(),
            sheet: self.binding.sheet.clone(),
            row: Some(self.line),
            column: column.map(|c| c as u32 + self.binding.column_offset + 1),
        }
    }

    /// Report a finding about this row; the message is only built when the
    /// entry will be listed.
    pub fn report(
        &mut self,
        kind: Kind,
        severity: Severity,
        field: Option<usize>,
        value: Option<&str>,
        message: impl FnOnce() -> String,
    ) {
        if severity == Severity::Error {
            self.errors += 1;
        }
        let name = field.map(|f| self.checker.rules[f].name.clone());
        if self.findings.count(severity, kind, name.as_ref()) {
            let column = field.and_then(|f| match self.binding.sources[f] {
                Source::Column(c) => Some(c),
                _ => None,
            });
            let issue = Issue::new(
                kind,
                severity,
                &self.position(column),
                name,
                value.map(str::to_string),
                message(),
            );
            self.findings.keep(issue);
        }
    }

    /// Whether every cell is blank.
    pub fn is_blank(&self) -> bool {
        self.row.is_blank()
    }

    /// Report rows with fewer or more cells than the header (CSV only: Excel
    /// rows always span the sheet's used range).
    pub fn check_shape(&mut self) {
        let (width, header) = (self.row.width(), self.binding.width);
        if width < header {
            let line = self.line;
            self.findings_at(Kind::MissingCell, width, move || {
                format!(
                    "row {line} has {width} cells but the header has {header}; a delimiter is missing, or a quoted field is not closed"
                )
            });
        } else if width > header {
            let extra = (header..width).find(|&i| !matches!(self.row.cell(i), Cell::Empty));
            if let Some(col) = extra {
                let line = self.line;
                self.findings_at(Kind::ExtraCell, col, move || {
                    format!(
                        "row {line} has {width} cells but the header has {header}; a value contains an unquoted delimiter, or the header lacks a column"
                    )
                });
            }
        }
    }

    fn findings_at(&mut self, kind: Kind, column: usize, message: impl FnOnce() -> String) {
        self.errors += 1;
        if self.findings.count(Severity::Error, kind, None) {
            let issue = Issue::new(
                kind,
                Severity::Error,
                &self.position(Some(column)),
                None,
                None,
                message(),
            );
            self.findings.keep(issue);
        }
    }

    /// Whether the field has a column or a constant in this table.
    pub fn is_bound(&self, field: usize) -> bool {
        self.binding.is_bound(field)
    }

    /// A field's cell as written (for outputs that must keep it verbatim).
    pub fn raw(&self, field: usize) -> Cow<'a, str> {
        let row: &'a dyn Row = self.row;
        let binding: &'a Binding = self.binding;
        match &binding.sources[field] {
            Source::Column(c) => match row.cell(*c) {
                Cell::Empty => Cow::Borrowed(""),
                Cell::Text(t) => Cow::Borrowed(t),
                other => Cow::Owned(crate::ingest::cell_text(other)),
            },
            Source::Constant(text) => Cow::Borrowed(text.as_str()),
            Source::Absent => Cow::Borrowed(""),
        }
    }

    /// The index of this row's input among the run's inputs.
    pub fn file_index(&self) -> u64 {
        self.binding.file_index
    }

    /// An input's name by its index.
    pub fn file_name(&self, index: u64) -> &str {
        &self.checker.files[index as usize]
    }

    /// The code a `Value::Code` of a field stands for.
    pub fn code_of(&self, field: usize, index: usize) -> &str {
        self.checker.code(field, index)
    }

    /// The typed value of a field, reporting any problem with it.
    pub fn value(&mut self, field: usize) -> Value<'a> {
        let row: &'a dyn Row = self.row;
        let binding: &'a Binding = self.binding;
        let cell = match &binding.sources[field] {
            Source::Absent => return Value::Missing,
            Source::Constant(text) => Cell::Text(text.as_str()),
            // Cells beyond a short row were reported as missing-cell.
            Source::Column(c) if *c >= row.width() => return Value::Missing,
            Source::Column(c) => row.cell(*c),
        };
        let value = self.typed(field, cell);
        if value == Value::Missing && self.checker.rules[field].required {
            self.report(Kind::ConstraintError, Severity::Error, Some(field), Some(""), || {
                "this cell is blank but a value is required; fill it in, or exclude the row with --skip-invalid".to_string()
            });
            return Value::Invalid;
        }
        if self.checker.rules[field].unique
            && let Value::Text(text) = &value
        {
            return self.check_unique(field, value.clone(), text);
        }
        value
    }

    fn check_unique(&mut self, field: usize, value: Value<'a>, text: &str) -> Value<'a> {
        let mut hasher = DefaultHasher::new();
        text.hash(&mut hasher);
        let key = hasher.finish();
        let here = (self.binding.file_index << ROW_BITS) | self.line;
        let seen = self.checker.seen[field]
            .as_mut()
            .expect("unique fields have a set");
        match seen.get(&key) {
            None => {
                seen.insert(key, here);
                value
            }
            Some(&packed) => {
                let (file, line) = (packed >> ROW_BITS, packed & ((1 << ROW_BITS) - 1));
                let first = if file == self.binding.file_index {
                    format!("row {line}")
                } else {
                    format!("row {line} of {}", self.checker.files[file as usize])
                };
                self.report(Kind::UniqueError, Severity::Error, Some(field), Some(text), || {
                    format!("{text:?} was already seen in {first}; each response must appear once. Remove the duplicate row or input file")
                });
                Value::Invalid
            }
        }
    }

    fn typed(&mut self, field: usize, cell: Cell<'a>) -> Value<'a> {
        let rules = &self.checker.rules[field];
        let text: Cow<'a, str> = match cell {
            Cell::Empty => return Value::Missing,
            Cell::BadEncoding => {
                self.report(
                    Kind::EncodingError,
                    Severity::Error,
                    Some(field),
                    None,
                    || {
                        "this cell's bytes are not valid in the file's encoding; if the file was saved by Excel on Windows, run again with --encoding windows-1252, or save it as \"CSV UTF-8\""
                            .to_string()
                    },
                );
                return Value::Invalid;
            }
            Cell::ExcelError(e) => {
                let shown = e.to_string();
                self.report(Kind::TypeError, Severity::Error, Some(field), Some(&shown), || {
                    format!("the cell holds the Excel error {shown}; fix the formula or type the value")
                });
                return Value::Invalid;
            }
            Cell::DateTime(d) if matches!(rules.kind, FieldType::Datetime | FieldType::Date) => {
                return Value::DateTime(d);
            }
            Cell::DateTime(d) => Cow::Owned(d.format("%Y-%m-%d %H:%M:%S").to_string()),
            Cell::Number(n) => return self.number(field, n),
            Cell::Bool(b) if rules.kind == FieldType::Boolean => return Value::Bool(b),
            Cell::Bool(b) => Cow::Borrowed(if b { "TRUE" } else { "FALSE" }),
            Cell::Text(t) => {
                // Fast path for the common answer, a plain whole number.
                if rules.kind == FieldType::Integer
                    && !rules.numeric_missing
                    && let Some(v) = plain_number(t)
                {
                    let in_range = rules.minimum.is_none_or(|m| v >= m)
                        && rules.maximum.is_none_or(|m| v <= m);
                    if in_range {
                        return Value::Int(v);
                    }
                    return self.integer(field, v as f64, Some(t));
                }
                Cow::Borrowed(trim(t))
            }
        };
        if rules.missing.iter().any(|m| m.eq_ignore_ascii_case(&text)) {
            return Value::Missing;
        }
        match rules.kind {
            FieldType::String if rules.is_code => self.code_value(field, &text),
            FieldType::String => Value::Text(text),
            FieldType::Integer => self.integer_text(field, &text),
            FieldType::Boolean => self.boolean(field, &text),
            FieldType::Datetime | FieldType::Date => match parse_datetime(&text) {
                Some(d) => Value::DateTime(d),
                None => {
                    self.report(Kind::TypeError, Severity::Error, Some(field), Some(&text), || {
                        format!("{text:?} is not a date; write it as 2025-02-14 or 2025-02-14 10:22:01 (ISO 8601) or 2/14/2025 10:22 (US, month first), or use an Excel date cell")
                    });
                    Value::Invalid
                }
            },
        }
    }

    /// A numeric Excel cell.
    fn number(&mut self, field: usize, n: f64) -> Value<'a> {
        let rules = &self.checker.rules[field];
        match rules.kind {
            FieldType::Integer => self.integer(field, n, None),
            FieldType::Boolean => self.boolean(field, &format_number(n)),
            FieldType::Datetime | FieldType::Date => match serial_to_datetime(n) {
                Some(d) => Value::DateTime(d),
                None => {
                    let shown = format_number(n);
                    self.report(Kind::TypeError, Severity::Error, Some(field), Some(&shown), || {
                        format!("{shown} is not a date; format the cell as a date, or type it as 2025-02-14")
                    });
                    Value::Invalid
                }
            },
            FieldType::String if rules.is_code => {
                let shown = format_number(n);
                self.code_value(field, &shown)
            }
            FieldType::String => Value::Text(Cow::Owned(format_number(n))),
        }
    }

    fn integer_text(&mut self, field: usize, text: &str) -> Value<'a> {
        if let Ok(i) = text.parse::<i64>() {
            return self.integer(field, i as f64, Some(text));
        }
        let rules = &self.checker.rules[field];
        if let Some(&(_, v)) = rules
            .labels
            .iter()
            .find(|(l, _)| l.eq_ignore_ascii_case(text))
        {
            return Value::Int(v);
        }
        if let Some(v) = labelled_number(text, &rules.labels) {
            return Value::Int(v);
        }
        // Numbers written with a decimal point ("4.0") or thousands
        // separators ("1,234,567" in volume columns).
        let plain: Cow<str> = if rules.categories_free() && text.contains(',') {
            Cow::Owned(text.replace(',', ""))
        } else {
            Cow::Borrowed(text)
        };
        if let Ok(n) = plain.parse::<f64>()
            && n.is_finite()
        {
            return self.integer(field, n, Some(text));
        }
        let hint = rules.hint.clone();
        let name = rules.name.clone();
        let scale = !rules.labels.is_empty();
        self.report(Kind::TypeError, Severity::Error, Some(field), Some(text), || {
            if hint.is_empty() {
                format!("{text:?} is not a whole number; {name} needs one")
            } else if !scale {
                format!("{text:?} is not a whole number; {hint}")
            } else {
                format!("{text:?} is not an answer on the scale; {hint}, or add the label to the mapping file's [labels] table")
            }
        });
        Value::Invalid
    }

    fn integer(&mut self, field: usize, n: f64, written: Option<&str>) -> Value<'a> {
        let rules = &self.checker.rules[field];
        let shown = || written.map_or_else(|| format_number(n), str::to_string);
        // Tolerate float noise from spreadsheets (3.9999999999 shown as 4).
        let rounded = n.round();
        if (n - rounded).abs() > 1e-6 {
            let shown = shown();
            let hint = rules.hint.clone();
            self.report(
                Kind::TypeError,
                Severity::Error,
                Some(field),
                Some(&shown),
                || {
                    format!(
                        "{shown} is not a whole number; {}",
                        if hint.is_empty() {
                            "use a count without decimals".to_string()
                        } else {
                            hint
                        }
                    )
                },
            );
            return Value::Invalid;
        }
        let v = rounded as i64;
        let below = rules.minimum.is_some_and(|m| v < m);
        let above = rules.maximum.is_some_and(|m| v > m);
        if below || above {
            let shown = shown();
            let (kind, message) = if !rules.labels.is_empty() {
                (
                    Kind::LikertOutOfScale,
                    format!("{shown} is outside the 1-5 scale; {}", rules.hint),
                )
            } else {
                let (side, limit) = if below {
                    ("below the minimum", rules.minimum)
                } else {
                    ("above the maximum", rules.maximum)
                };
                let hint = if rules.hint.is_empty() {
                    String::new()
                } else {
                    format!("; {}", rules.hint)
                };
                (
                    Kind::ConstraintError,
                    format!("{shown} is {side} {}{hint}", limit.unwrap_or_default()),
                )
            };
            self.report(kind, Severity::Error, Some(field), Some(&shown), || message);
            return Value::Invalid;
        }
        Value::Int(v)
    }

    fn boolean(&mut self, field: usize, text: &str) -> Value<'a> {
        const TRUE: [&str; 5] = ["true", "1", "yes", "y", "t"];
        const FALSE: [&str; 5] = ["false", "0", "no", "n", "f"];
        if TRUE.iter().any(|t| t.eq_ignore_ascii_case(text)) {
            return Value::Bool(true);
        }
        if FALSE.iter().any(|f| f.eq_ignore_ascii_case(text)) {
            return Value::Bool(false);
        }
        self.report(
            Kind::TypeError,
            Severity::Error,
            Some(field),
            Some(text),
            || format!("{text:?} is not true or false; use True/False, 1/0 or Yes/No"),
        );
        Value::Invalid
    }

    fn code_value(&mut self, field: usize, text: &str) -> Value<'a> {
        const CACHED_SPELLINGS: usize = 32;
        let rules = &mut self.checker.rules[field];
        if let Some(&(_, i)) = rules.code_cache.iter().find(|(s, _)| s == text) {
            return Value::Code(i);
        }
        let found = rules
            .codes
            .iter()
            .position(|c| code_matches(text, c))
            .or_else(|| {
                rules
                    .code_aliases
                    .iter()
                    .find(|(a, _)| a.eq_ignore_ascii_case(text))
                    .map(|&(_, i)| i)
            });
        if let Some(i) = found {
            if rules.code_cache.len() < CACHED_SPELLINGS {
                rules.code_cache.push((text.to_string(), i));
            }
            return Value::Code(i);
        }
        let rules = &self.checker.rules[field];
        let kind = if &*rules.name == "channel" {
            Kind::UnknownChannel
        } else {
            Kind::ConstraintError
        };
        let hint = rules.hint.clone();
        let name = rules.name.clone();
        self.report(kind, Severity::Error, Some(field), Some(text), || {
            format!("{text:?} is not a known {name}; {hint} (or map this spelling in the mapping file's [channels] table)")
        });
        Value::Invalid
    }
}

impl Rules {
    /// Plain integer fields (counts), as opposed to answer scales.
    fn categories_free(&self) -> bool {
        self.labels.is_empty()
    }
}

/// `text` as a whole number when it is only ASCII digits (at most nine).
fn plain_number(text: &str) -> Option<i64> {
    let bytes = text.as_bytes();
    if bytes.is_empty() || bytes.len() > 9 || !bytes.iter().all(u8::is_ascii_digit) {
        return None;
    }
    Some(bytes.iter().fold(0, |n, b| n * 10 + i64::from(b - b'0')))
}

/// `str::trim`, skipped when neither end can be white space (the usual
/// case), since the Unicode-aware trim costs more than the check.
fn trim(text: &str) -> &str {
    let bytes = text.as_bytes();
    let plain = |b: Option<&u8>| b.is_some_and(|b| b.is_ascii() && !b.is_ascii_whitespace());
    if plain(bytes.first()) && plain(bytes.last()) {
        text
    } else {
        text.trim()
    }
}

pub fn fold(s: &str) -> String {
    s.trim().to_lowercase()
}

/// "4 - Agree", "4-agree", "5 = Strongly agree": a scale number written with
/// its label. The label must agree with the number.
pub fn labelled_number(text: &str, labels: &[(String, i64)]) -> Option<i64> {
    let digits = text.bytes().take_while(u8::is_ascii_digit).count();
    if digits == 0 || digits == text.len() {
        return None;
    }
    let n: i64 = text[..digits].parse().ok()?;
    let rest = text[digits..]
        .trim_start_matches([' ', '-', '=', '.', ':', ')', '–'])
        .trim();
    labels
        .iter()
        .any(|(l, v)| *v == n && l.eq_ignore_ascii_case(rest))
        .then_some(n)
}

/// ISO 8601 dates and date-times: `2025-02-14`, `2025-02-14 10:22`,
/// `2025-02-14 10:22:01`, `2025-02-14T10:22:01.123`, with an optional `Z`,
/// `UTC` or UTC offset, which is accepted and not converted: the date as
/// written is the date of the response. Also the US form Excel and survey
/// platforms write: `2/14/2025`, `2/14/2025 10:22`, `2/14/2025 10:22:01 AM`
/// (month first, four-digit year).
pub fn parse_datetime(text: &str) -> Option<NaiveDateTime> {
    // chrono's FromStr parsers use prebuilt formats: much cheaper per row
    // than parse_from_str, which reads its format string every call.
    let text = trim(text);
    if let Some(fixed) = fixed_datetime(text.as_bytes()) {
        return fixed;
    }
    let Some(date) = text.get(..10).and_then(|d| d.parse::<NaiveDate>().ok()) else {
        return parse_us_datetime(text);
    };
    let rest = &text[10..];
    if rest.is_empty() {
        return Some(date.and_time(NaiveTime::MIN));
    }
    let time = strip_offset(rest.strip_prefix(['T', ' '])?)?;
    let time = time
        .parse::<NaiveTime>()
        .or_else(|_| NaiveTime::parse_from_str(time, "%H:%M"))
        .ok()?;
    Some(date.and_time(time))
}

/// The layouts nearly every export uses, `YYYY-MM-DD` and `YYYY-MM-DD
/// hh:mm:ss` (or `T`), read by position: a tenth of the cost of the general
/// parser on the hot path. `None` for other layouts; `Some(None)` for these
/// layouts holding no real date or time.
fn fixed_datetime(b: &[u8]) -> Option<Option<NaiveDateTime>> {
    let digits = |range: std::ops::Range<usize>| -> Option<u32> {
        b[range].iter().try_fold(0u32, |n, &c| {
            c.is_ascii_digit().then(|| n * 10 + u32::from(c - b'0'))
        })
    };
    let date_layout = b.len() >= 10 && b[4] == b'-' && b[7] == b'-';
    let full = b.len() == 19 && matches!(b[10], b' ' | b'T') && b[13] == b':' && b[16] == b':';
    if !date_layout || !(b.len() == 10 || full) {
        return None;
    }
    let (y, m, d) = (digits(0..4)?, digits(5..7)?, digits(8..10)?);
    let date = NaiveDate::from_ymd_opt(y as i32, m, d);
    if b.len() == 10 {
        return Some(date.map(|d| d.and_time(NaiveTime::MIN)));
    }
    let (h, mi, s) = (digits(11..13)?, digits(14..16)?, digits(17..19)?);
    Some(date.and_then(|d| d.and_hms_opt(h, mi, s)))
}

/// `m/d/yyyy` with an optional `h:mm`, `h:mm:ss` and `AM`/`PM`.
fn parse_us_datetime(text: &str) -> Option<NaiveDateTime> {
    let (date, time) = match text.split_once(' ') {
        Some((d, t)) => (d, t.trim()),
        None => (text, ""),
    };
    let mut parts = date.split('/');
    let (m, d, y) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() || y.len() != 4 || m.len() > 2 || d.len() > 2 {
        return None;
    }
    let date = NaiveDate::from_ymd_opt(y.parse().ok()?, m.parse().ok()?, d.parse().ok()?)?;
    if time.is_empty() {
        return Some(date.and_time(NaiveTime::MIN));
    }
    let time = strip_offset(time)?;
    let upper = time.to_ascii_uppercase();
    let (clock, meridiem) = match upper
        .strip_suffix("AM")
        .or_else(|| upper.strip_suffix("A.M."))
    {
        Some(c) => (c.trim_end().to_string(), Some(false)),
        None => match upper
            .strip_suffix("PM")
            .or_else(|| upper.strip_suffix("P.M."))
        {
            Some(c) => (c.trim_end().to_string(), Some(true)),
            None => (upper.clone(), None),
        },
    };
    let mut fields = clock.split(':');
    let hour: u32 = fields.next()?.parse().ok()?;
    let minute: u32 = fields.next()?.parse().ok()?;
    let second: f64 = fields.next().map_or(Ok(0.0), str::parse).ok()?;
    if fields.next().is_some() {
        return None;
    }
    let hour = match meridiem {
        None => hour,
        Some(_) if !(1..=12).contains(&hour) => return None,
        Some(pm) => hour % 12 + if pm { 12 } else { 0 },
    };
    let whole = second.trunc();
    let nanos = ((second - whole) * 1e9).round() as u32;
    date.and_hms_nano_opt(hour, minute, whole as u32, nanos)
}

fn strip_offset(time: &str) -> Option<&str> {
    if let Some(t) = time.strip_suffix(['Z', 'z']) {
        return Some(t);
    }
    // Ruby and Rails write `10:22:01 UTC` (Touchpoints' `Created at`).
    if let Some(t) = time
        .strip_suffix(" UTC")
        .or_else(|| time.strip_suffix(" GMT"))
    {
        return Some(t.trim_end());
    }
    match time.rfind(['+', '-']) {
        Some(i) => {
            let offset = &time[i + 1..];
            let ok = matches!(offset.len(), 2 | 4 | 5)
                && offset
                    .bytes()
                    .filter(|b| *b != b':')
                    .all(|b| b.is_ascii_digit());
            ok.then_some(time[..i].trim_end())
        }
        None => Some(time),
    }
}

/// An Excel serial day number (1900 date system) as a date-time.
fn serial_to_datetime(n: f64) -> Option<NaiveDateTime> {
    // Excel's valid range: 1900-01-01 (serial 1) to 9999-12-31.
    if !(1.0..2_958_466.0).contains(&n) {
        return None;
    }
    let dt = calamine::ExcelDateTime::new(n, calamine::ExcelDateTimeType::DateTime, false);
    dt.as_datetime()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dt(s: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S").unwrap()
    }

    #[test]
    fn parses_iso_dates() {
        assert_eq!(
            parse_datetime("2025-02-14"),
            Some(dt("2025-02-14 00:00:00"))
        );
        assert_eq!(
            parse_datetime("2025-02-14 10:22:01"),
            Some(dt("2025-02-14 10:22:01"))
        );
        assert_eq!(
            parse_datetime("2025-02-14T10:22:01"),
            Some(dt("2025-02-14 10:22:01"))
        );
        assert_eq!(
            parse_datetime("2025-02-14T10:22"),
            Some(dt("2025-02-14 10:22:00"))
        );
        assert_eq!(
            parse_datetime("2025-02-14T10:22:01.250Z").map(|d| d.date()),
            Some(dt("2025-02-14 00:00:00").date())
        );
        assert_eq!(
            parse_datetime("2025-03-31T23:30:00-05:00"),
            Some(dt("2025-03-31 23:30:00"))
        );
        assert_eq!(parse_datetime("2025-02-30"), None);
        assert_eq!(
            parse_datetime("02/14/2025"),
            Some(dt("2025-02-14 00:00:00"))
        );
        assert_eq!(
            parse_datetime("2/4/2025 9:05"),
            Some(dt("2025-02-04 09:05:00"))
        );
        assert_eq!(
            parse_datetime("12/31/2024 11:59:59 PM"),
            Some(dt("2024-12-31 23:59:59"))
        );
        assert_eq!(
            parse_datetime("1/1/2025 12:00 AM"),
            Some(dt("2025-01-01 00:00:00"))
        );
        assert_eq!(
            parse_datetime("2025-02-14 15:22:01 UTC"),
            Some(dt("2025-02-14 15:22:01"))
        );
        assert_eq!(
            parse_datetime("2025-02-14 15:22:01 -0500"),
            Some(dt("2025-02-14 15:22:01"))
        );
        assert_eq!(parse_datetime("14/02/2025"), None);
        assert_eq!(parse_datetime("2/14/25"), None);
        assert_eq!(parse_datetime("2/14/2025 13:00 PM"), None);
        assert_eq!(parse_datetime("2025-02-14 25:00"), None);
        assert_eq!(parse_datetime("2025-02-14x"), None);
    }

    #[test]
    fn fast_paths_agree_with_the_general_parsers() {
        for text in [
            "2025-02-14 10:22:01",
            "2025-02-14T10:22:01",
            "2025-02-14",
            "2024-02-29 23:59:59",
            "2025-02-29 10:00:00",
            "2025-13-01",
            "2025-02-14 24:00:00",
        ] {
            let general = NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M:%S")
                .or_else(|_| NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M:%S"))
                .ok()
                .or_else(|| {
                    NaiveDate::parse_from_str(text, "%Y-%m-%d")
                        .ok()
                        .map(|d| d.and_time(NaiveTime::MIN))
                });
            assert_eq!(parse_datetime(text), general, "{text}");
        }
        assert_eq!(
            fixed_datetime(b"2025-02-14 10:22"),
            None,
            "other layouts fall through"
        );
        assert_eq!(plain_number("4"), Some(4));
        assert_eq!(plain_number("042"), Some(42));
        for not in ["", "4.0", "-1", "1234567890", " 4", "٤"] {
            assert_eq!(plain_number(not), None, "{not:?}");
        }
        assert_eq!(trim(" a "), "a");
        assert_eq!(trim("a\u{a0}"), "a");
        assert_eq!(trim("abc"), "abc");
    }

    #[test]
    fn excel_serials() {
        assert_eq!(serial_to_datetime(45702.0), Some(dt("2025-02-14 00:00:00")));
        assert_eq!(serial_to_datetime(45702.5), Some(dt("2025-02-14 12:00:00")));
        assert_eq!(serial_to_datetime(-3.0), None);
    }

    #[test]
    fn labelled_numbers() {
        let labels = vec![("agree".to_string(), 4), ("strongly agree".to_string(), 5)];
        assert_eq!(labelled_number("4 - Agree", &labels), Some(4));
        assert_eq!(labelled_number("5=Strongly agree", &labels), Some(5));
        assert_eq!(labelled_number("4 - Strongly agree", &labels), None);
        assert_eq!(labelled_number("45", &labels), None);
    }
}
