//! CHECK: applying a schema to a table. Header labels are bound to fields
//! (`binding`: mapping file, field names, aliases, platform presets,
//! question wording), then each cell of a row is typed on demand (`row`,
//! by each field's `rules`), every problem reported with its position
//! (`findings`). Generic over schemas:
//! the rules every input shares are in `input`, each template's own rules
//! in its folder under `template`.

mod binding;
pub(crate) mod dates;
pub(crate) mod findings;
pub(crate) mod input;
pub(crate) mod proposal;
mod row;
mod rules;
pub(crate) mod summary;
pub(crate) mod unique;

use chrono::NaiveDateTime;
use std::borrow::Cow;
use std::sync::Arc;

use crate::ingest::Row;
use crate::schema::{Mapping, Schema, normalize_label};
pub(crate) use binding::{Binding, Source};
use findings::{Findings, Issue, Kind, Position, Severity};
pub(crate) use row::{Recorded, RowCheck, labelled_number};
use rules::Rules;

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

impl Checker {
    pub(crate) fn new(schema: Schema, mapping: Mapping) -> Checker {
        let rules = schema
            .fields
            .iter()
            .map(|f| Rules::of(f, &schema, &mapping))
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

/// A text field's value in a row (a survey_id): blank where the column is
/// absent or the cell empty.
pub(crate) fn text_or_blank<'a>(check: &mut RowCheck<'a>, field: Option<usize>) -> Cow<'a, str> {
    match field.map(|f| check.value(f)) {
        Some(Value::Text(t)) => t,
        _ => Cow::Borrowed(""),
    }
}
