//! Checking one row: typed access to its fields on demand, each problem
//! reported with its position and a fix.

use std::borrow::Cow;

use super::dates::{in_zone, parse_datetime, serial_to_datetime};
use super::findings::{Issue, Kind, Position, Severity};
use super::{Binding, Checker, ROW_BITS, Rules, Source, Value};
use crate::check::findings::Findings;
use crate::ingest::{Cell, Row, format_number};
use crate::schema::{FieldType, code_matches, folds_to};

/// Checking one row: typed access to its fields, findings with positions.
pub(crate) struct RowCheck<'a> {
    pub(super) checker: &'a mut Checker,
    pub(super) binding: &'a Binding,
    pub(super) row: &'a dyn Row,
    pub(crate) line: u64,
    pub(crate) findings: &'a mut Findings,
    /// Errors reported for this row so far.
    pub(crate) errors: u32,
    /// The fiscal quarter the row was submitted in, when it is dated.
    pub(crate) period: Option<crate::fiscal::Quarter>,
    /// A row of the previous quarter, counted only to compare with.
    pub(crate) comparison: bool,
    /// `report --parquet`: each field's value as read, by field.
    pub(crate) recorded: Option<&'a mut Vec<Option<Recorded>>>,
}

/// A field's value as read, owned, for outputs that list rows.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Recorded {
    Int(i64),
    Text(String),
    Bool(bool),
    /// ISO 8601, in the reporting time zone when the cell stated one.
    DateTime(String),
}

impl<'a> RowCheck<'a> {
    /// The checker, for what a template starts per quarter (`hisp trend`).
    pub(crate) fn checker(&self) -> &Checker {
        self.checker
    }

    pub(crate) fn position(&self, column: Option<usize>) -> Position {
        Position {
            file: self.binding.file.clone(),
            sheet: self.binding.sheet.clone(),
            row: Some(self.line),
            column: column.map(|c| c as u32 + self.binding.column_offset + 1),
        }
    }

    /// Report a finding about this row; the message is only built when the
    /// entry will be listed.
    pub(crate) fn report(
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

    /// Count a finding about this row without listing it.
    pub(crate) fn count(&mut self, kind: Kind, severity: Severity) {
        if severity == Severity::Error {
            self.errors += 1;
        }
        self.findings.count(severity, kind, None);
    }

    /// Whether every cell is blank.
    pub(crate) fn is_blank(&self) -> bool {
        self.row.is_blank()
    }

    /// Report rows with fewer or more cells than the header (CSV only: Excel
    /// rows always span the sheet's used range).
    pub(crate) fn check_shape(&mut self) {
        if self.row.unclosed_quote() {
            let col = self.row.width() - 1;
            let lines = match self.row.cell(col) {
                Cell::Text(t) => t.trim_end().matches('\n').count(),
                _ => 0,
            };
            self.findings_at(Kind::UnclosedQuote, col, move || {
                let lines = match lines {
                    0 => "the end of the file was".to_string(),
                    1 => "the line after it was".to_string(),
                    n => format!("the {n} lines after it were"),
                };
                format!(
                    "a quoted value opens in this cell and is never closed: {lines} read into this one cell instead of as rows. Close the quote, or write a quote meant as text as two (\"\")"
                )
            });
        } else if let Some(long) = self.row.overlong_cell() {
            self.findings_at(Kind::OverlongCell, long.column, move || {
                format!(
                    "this value holds {} line breaks and {} characters, more than a survey answer holds ({} line breaks, {} characters, a spreadsheet cell's limit): a quote that opens in it was probably closed only rows later, and the rows between were read into it. Close the quote where the value ends, or write a quote meant as text as two (\"\")",
                    long.lines,
                    crate::display::group_thousands(long.chars as u64),
                    crate::ingest::MAX_CELL_LINES,
                    crate::display::group_thousands(crate::ingest::MAX_CELL_CHARS as u64),
                )
            });
        }
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
    pub(crate) fn is_bound(&self, field: usize) -> bool {
        self.binding.is_bound(field)
    }

    /// Whether the field's column is named after it (not mapped, nor
    /// recognised by a platform's name or a question's wording).
    pub(crate) fn is_named(&self, field: usize) -> bool {
        self.binding.named[field]
    }

    /// A field's cell as written (for outputs that must keep it verbatim).
    pub(crate) fn raw(&self, field: usize) -> Cow<'a, str> {
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
    pub(crate) fn file_index(&self) -> u64 {
        self.binding.file_index
    }

    /// An input's name by its index.
    pub(crate) fn file_name(&self, index: u64) -> &str {
        &self.checker.files[index as usize]
    }

    /// The code a `Value::Code` of a field stands for.
    pub(crate) fn code_of(&self, field: usize, index: usize) -> &str {
        self.checker.code(field, index)
    }

    /// The typed value of a field, reporting any problem with it.
    pub(crate) fn value(&mut self, field: usize) -> Value<'a> {
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
        let value = if self.checker.rules[field].unique
            && let Value::Text(text) = &value
        {
            self.check_unique(field, value.clone(), text)
        } else {
            value
        };
        if self.recorded.is_some() {
            self.record(field, &value);
        }
        value
    }

    /// Keep a field's value as read (`report --parquet`).
    fn record(&mut self, field: usize, value: &Value<'a>) {
        let owned = match value {
            Value::Int(i) => Some(Recorded::Int(*i)),
            Value::Text(t) => Some(Recorded::Text(t.to_string())),
            Value::Bool(b) => Some(Recorded::Bool(*b)),
            Value::DateTime(d) | Value::Instant(d) => Some(Recorded::DateTime(
                d.format("%Y-%m-%dT%H:%M:%S").to_string(),
            )),
            Value::Code(i) => Some(Recorded::Text(self.code_of(field, *i).to_string())),
            Value::Missing | Value::Invalid => None,
        };
        if let Some(slots) = self.recorded.as_deref_mut()
            && let Some(slot) = slots.get_mut(field)
        {
            *slot = owned;
        }
    }

    /// Look a value up in a unique field's set (`within` a scope or across
    /// the run) and remember it; past the budget, note where this input's
    /// repeats found at the end are reported.
    fn see_unique(&mut self, field: usize, within: bool, key: &str) -> super::unique::Seen {
        let file_index = self.binding.file_index;
        let here = (file_index << ROW_BITS) | self.line;
        let reported = !self.comparison;
        let set = self.checker.unique_set(field, within);
        let found = set.see(key, here, reported);
        if set.past_budget() > 0 && set.lacks_place(file_index) {
            self.checker.spilling = true;
            let column = match self.binding.sources[field] {
                Source::Column(c) => Some(c),
                _ => None,
            };
            let place = super::unique::Place {
                file: self.binding.file.clone(),
                sheet: self.binding.sheet.clone(),
                column: self.position(column).column,
            };
            self.checker
                .unique_set(field, within)
                .place(file_index, place);
        }
        found
    }

    /// A value that must be unique within a scope (A-11 v2's external_id
    /// within its survey): reported if it was seen before in the scope.
    /// Values past the `--unique-budget` are compared at the end of the pass.
    pub(crate) fn check_unique_within(&mut self, field: usize, scope: u64, text: &str) {
        let key = super::unique::scoped(scope, text);
        if let super::unique::Seen::Before(packed) = self.see_unique(field, true, &key) {
            let first = self.checker.first_seen_at(packed, self.binding.file_index);
            let name = self.checker.rules[field].name.clone();
            self.report(
                Kind::UniqueError,
                Severity::Error,
                Some(field),
                Some(text),
                || repeat_within_message(&name, text, &first),
            );
        }
    }

    fn check_unique(&mut self, field: usize, value: Value<'a>, text: &str) -> Value<'a> {
        let found = self.see_unique(field, false, text);
        match found {
            super::unique::Seen::New => value,
            super::unique::Seen::Before(packed) => {
                let first = self.checker.first_seen_at(packed, self.binding.file_index);
                self.report(
                    Kind::UniqueError,
                    Severity::Error,
                    Some(field),
                    Some(text),
                    || repeat_message(text, &first),
                );
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
                return self.written_in_zone(field, d);
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
                    let counted = rules.recoded(v);
                    let in_range = rules.minimum.is_none_or(|m| counted >= m)
                        && rules.maximum.is_none_or(|m| counted <= m);
                    if in_range {
                        return Value::Int(counted);
                    }
                    return self.integer(field, v as f64, Some(t));
                }
                let t = trim(t);
                // Free text (names of services and touchpoints, comments):
                // returned from here, not moved through the `Cow` below,
                // which costs a stalled copy on this, the commonest path.
                if rules.kind == FieldType::String && !rules.is_code {
                    if rules.missing.iter().any(|m| m.eq_ignore_ascii_case(t)) {
                        return Value::Missing;
                    }
                    return Value::Text(Cow::Borrowed(t));
                }
                Cow::Borrowed(t)
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
                Some((d, None)) => self.written_in_zone(field, d),
                Some((d, Some(offset))) => match in_zone(d, offset, self.checker.zone) {
                    Some(local) => Value::Instant(local),
                    None => Value::DateTime(d),
                },
                None => {
                    self.report(Kind::TypeError, Severity::Error, Some(field), Some(&text), || {
                        format!("{text:?} is not a date; write it as 2025-02-14 or 2025-02-14 10:22:01 (ISO 8601) or 2/14/2025 10:22 (US, month first), or use an Excel date cell")
                    });
                    Value::Invalid
                }
            },
        }
    }

    /// A date-time without an offset: as written, unless its column states
    /// the zone it is written in (then an instant, seen in the reporting
    /// zone).
    fn written_in_zone(&self, field: usize, written: chrono::NaiveDateTime) -> Value<'a> {
        use chrono::TimeZone;
        let Some(zone) = self.binding.zones[field] else {
            return Value::DateTime(written);
        };
        match zone.from_local_datetime(&written).earliest() {
            Some(at) => Value::Instant(at.with_timezone(&self.checker.zone).naive_local()),
            None => Value::DateTime(written),
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
        if let Some(v) = find_folded(&rules.labels, text) {
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
        // Past 2^53 a number is no longer exact, and past i64 it would be
        // clamped: neither is a count anyone meant.
        const EXACT: f64 = 9_007_199_254_740_992.0;
        if rounded.abs() > EXACT {
            let shown = shown();
            self.report(Kind::ConstraintError, Severity::Error, Some(field), Some(&shown), || {
                format!("{shown} is too large: whole numbers are read exactly up to 9,007,199,254,740,992. Check the cell")
            });
            return Value::Invalid;
        }
        let v = rules.recoded(rounded as i64);
        let below = rules.minimum.is_some_and(|m| v < m);
        let above = rules.maximum.is_some_and(|m| v > m);
        if below || above {
            let shown = shown();
            let (kind, message) = if let Some(scale) = &rules.scale {
                (
                    Kind::LikertOutOfScale,
                    format!(
                        "{shown} is not an answer of the {scale} scale the mapping file's [scales] gives {}",
                        rules.name
                    ),
                )
            } else if !rules.labels.is_empty() {
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
            .or_else(|| find_folded(&rules.code_aliases, text));
        if let Some(i) = found {
            if rules.code_cache.len() < CACHED_SPELLINGS {
                rules.code_cache.push((text.to_string(), i));
            }
            return Value::Code(i);
        }
        let rules = &self.checker.rules[field];
        // Only channels have a table of spellings in the mapping file.
        let (kind, otherwise) = if &*rules.name == "channel" {
            (
                Kind::UnknownChannel,
                "map this spelling in the mapping file's [channels] table".to_string(),
            )
        } else {
            (
                Kind::ConstraintError,
                format!(
                    "give one value for every row with --set {}=CODE",
                    rules.name
                ),
            )
        };
        let hint = rules.hint.clone();
        let name = rules.name.clone();
        self.report(kind, Severity::Error, Some(field), Some(text), || {
            format!("{text:?} is not a known {name}; {hint} (or {otherwise})")
        });
        Value::Invalid
    }
}

/// What a value repeated within its survey is told.
pub(super) fn repeat_within_message(name: &str, text: &str, first: &str) -> String {
    format!(
        "{name} {text:?} was already used in this survey ({first}); each response must appear once"
    )
}

/// What a repeated value of a unique field is told.
pub(super) fn repeat_message(text: &str, first: &str) -> String {
    format!(
        "{text:?} was already seen in {first}; each response must appear once. Remove the duplicate row or input file"
    )
}

/// The value of a folded spelling a text stands for: compared as written
/// (ASCII case aside) first, which is almost always enough, then folded.
fn find_folded<T: Copy>(spellings: &[(String, T)], text: &str) -> Option<T> {
    spellings
        .iter()
        .find(|(s, _)| s.eq_ignore_ascii_case(text))
        .or_else(|| spellings.iter().find(|(s, _)| folds_to(text, s)))
        .map(|&(_, v)| v)
}

impl Rules {
    /// An answer as counted: recoded when the mapping file says so.
    fn recoded(&self, v: i64) -> i64 {
        self.recode
            .iter()
            .find(|(written, _)| *written == v)
            .map_or(v, |&(_, counted)| counted)
    }

    /// Plain integer fields (counts), as opposed to answer scales.
    fn categories_free(&self) -> bool {
        self.labels.is_empty()
    }
}

/// `text` as a whole number when it is only ASCII digits (at most nine).
pub(super) fn plain_number(text: &str) -> Option<i64> {
    let bytes = text.as_bytes();
    if bytes.is_empty() || bytes.len() > 9 || !bytes.iter().all(u8::is_ascii_digit) {
        return None;
    }
    Some(bytes.iter().fold(0, |n, b| n * 10 + i64::from(b - b'0')))
}

/// `str::trim`, skipped when neither end can be white space (the usual
/// case), since the Unicode-aware trim costs more than the check.
pub(super) fn trim(text: &str) -> &str {
    let bytes = text.as_bytes();
    let plain = |b: Option<&u8>| b.is_some_and(|b| b.is_ascii() && !b.is_ascii_whitespace());
    if plain(bytes.first()) && plain(bytes.last()) {
        text
    } else {
        text.trim()
    }
}

/// "4 - Agree", "4-agree", "5 = Strongly agree": a scale number written with
/// its label. The label must agree with the number.
pub(crate) fn labelled_number(text: &str, labels: &[(String, i64)]) -> Option<i64> {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labelled_numbers() {
        let labels = vec![("agree".to_string(), 4), ("strongly agree".to_string(), 5)];
        assert_eq!(labelled_number("4 - Agree", &labels), Some(4));
        assert_eq!(labelled_number("5=Strongly agree", &labels), Some(5));
        assert_eq!(labelled_number("4 - Strongly agree", &labels), None);
        assert_eq!(labelled_number("45", &labels), None);
    }
}
