//! The rules every input gets, whatever the template: blank rows, row
//! shape, platform status (previews, spam, unfinished), the quarter, and
//! what is said about a whole input (its encoding, its dates, headers
//! repeated in it).

use chrono::NaiveDate;
use serde::Serialize;
use std::sync::Arc;

use super::findings::{Findings, Issue, Kind, Position, Severity};
use super::{Binding, Checker, RowCheck, Value};
use crate::fiscal::Quarter;
use crate::ingest::{self, preset};

/// Which rows count, beside the template's own rules.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Admission {
    /// Keep only rows submitted in this quarter; `None` keeps every row.
    pub(crate) quarter: Option<Quarter>,
    /// `hisp trend`: keep rows submitted in these quarters (first and last)
    /// and leave undated rows out.
    pub(crate) span: Option<(Quarter, Quarter)>,
    /// `hisp report`: rows of this quarter (the one before) are counted for
    /// comparison only, outside the quarter's figures and findings.
    pub(crate) compare: Option<Quarter>,
    /// Count responses whose `finished` is false.
    pub(crate) include_unfinished: bool,
}

/// What becomes of a row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Admitted {
    /// Not counted (blank, not a customer, another quarter).
    Skip,
    /// A row of the quarter: checked and counted.
    Row,
    /// A row of the previous quarter, counted only to compare with.
    Comparison,
}

/// What happened to the rows of one input.
#[derive(Debug, Clone, Default, Serialize)]
pub(crate) struct InputStats {
    pub(crate) file: Arc<str>,
    pub(crate) sheet: Option<Arc<str>>,
    pub(crate) format: String,
    pub(crate) bytes: u64,
    pub(crate) sha256: String,
    /// Data rows read (the header excluded).
    pub(crate) rows_read: u64,
    pub(crate) blank_rows: u64,
    /// The survey platform whose export shape was applied.
    pub(crate) preset: Option<&'static str>,
    /// Survey previews, tests and spam (any date): not customer responses.
    pub(crate) rows_not_customer: u64,
    /// Unfinished responses left out (any date).
    pub(crate) rows_unfinished: u64,
    /// How the table was read: header position, platform, columns
    /// recognised by wording.
    pub(crate) notes: Vec<String>,
    /// Rows submitted in the quarter (all non-blank rows when no quarter or
    /// no date column).
    pub(crate) rows_in_quarter: u64,
    pub(crate) rows_outside_quarter: u64,
    /// Date-times that stated a UTC offset, seen in the reporting time zone.
    pub(crate) instants_converted: u64,
    /// Rows in the quarter with at least one error.
    pub(crate) rows_invalid: u64,
    /// Valid rows with none of the seven questions answered.
    pub(crate) rows_empty: u64,
    pub(crate) respondents: u64,
    /// Whether the input has a submitted_at column (or constant).
    pub(crate) dated: bool,
    pub(crate) first_date: Option<NaiveDate>,
    pub(crate) last_date: Option<NaiveDate>,
}

/// Blank rows listed per input; the rest are counted. A file of a million
/// blank lines must not become a million findings in memory.
const BLANK_ROWS_LISTED: u64 = 100;

/// The shared rules, prepared for a run: the fields they read, by index.
#[derive(Clone, Copy)]
pub(crate) struct InputRules {
    submitted_at: Option<usize>,
    status: Status,
    admission: Admission,
}

impl InputRules {
    pub(crate) fn new(checker: &Checker, admission: Admission) -> InputRules {
        InputRules {
            submitted_at: checker.schema.index_of("submitted_at"),
            status: Status::of(checker),
            admission,
        }
    }

    pub(crate) fn quarter(&self) -> Option<Quarter> {
        self.admission.quarter
    }

    /// `hisp trend`'s quarters, first and last.
    pub(crate) fn span(&self) -> Option<(Quarter, Quarter)> {
        self.admission.span
    }

    /// Whether the table has a submitted_at column (or constant).
    pub(crate) fn dated(&self, binding: &Binding) -> bool {
        self.submitted_at.is_some_and(|f| binding.is_bound(f))
    }

    /// The rules for one table: only the status fields it has are looked
    /// at per row.
    pub(crate) fn for_table(self, binding: &Binding) -> InputRules {
        InputRules {
            status: self.status.bound_in(binding),
            ..self
        }
    }

    /// The checks every row gets: blank, shape, status, date. Whether the
    /// row is in the quarter and goes on to the template's rules.
    pub(crate) fn admit(&self, check: &mut RowCheck<'_>, input: &mut InputStats) -> Admitted {
        match self.admit_row(check, input) {
            true => Admitted::Row,
            false if check.period.is_some() && check.period == self.admission.compare => {
                Admitted::Comparison
            }
            false => Admitted::Skip,
        }
    }

    fn admit_row(&self, check: &mut RowCheck<'_>, input: &mut InputStats) -> bool {
        input.rows_read += 1;
        if check.is_blank() {
            input.blank_rows += 1;
            if input.blank_rows <= BLANK_ROWS_LISTED {
                check.report(Kind::BlankRow, Severity::Warning, None, None, || {
                    "this row is blank and is skipped; delete it".to_string()
                });
            } else {
                check.count(Kind::BlankRow, Severity::Warning);
            }
            return false;
        }
        check.check_shape();
        if self.status.not_customer(check) {
            input.rows_not_customer += 1;
            return false;
        }
        if !self.admission.include_unfinished
            && let Some(f) = self.status.finished
            && check.value(f) == Value::Bool(false)
        {
            input.rows_unfinished += 1;
            return false;
        }
        let when = self.submitted_at.and_then(|f| match check.value(f) {
            Value::DateTime(when) => Some(when),
            Value::Instant(when) => {
                input.instants_converted += 1;
                Some(when)
            }
            _ => None,
        });
        if let Some(when) = when {
            let date = when.date();
            input.first_date = Some(input.first_date.map_or(date, |d| d.min(date)));
            input.last_date = Some(input.last_date.map_or(date, |d| d.max(date)));
            let period = Quarter::of(date);
            if self.admission.quarter.is_some_and(|q| !q.contains(date)) {
                input.rows_outside_quarter += 1;
                if self.admission.compare == Some(period) {
                    check.period = Some(period);
                }
                return false;
            }
            if self
                .admission
                .span
                .is_some_and(|(from, to)| period < from || period > to)
            {
                input.rows_outside_quarter += 1;
                return false;
            }
            check.period = Some(period);
        } else if self.admission.span.is_some() {
            // A trend places each row in its quarter: an undated row has none.
            input.rows_outside_quarter += 1;
            return false;
        }
        input.rows_in_quarter += 1;
        true
    }
}

/// The fields that say whether a row is a customer response at all.
#[derive(Clone, Copy)]
struct Status {
    response_type: Option<usize>,
    flagged: Option<usize>,
    finished: Option<usize>,
}

impl Status {
    fn of(checker: &Checker) -> Status {
        let field = |name| checker.schema.index_of(name);
        Status {
            response_type: field("response_type"),
            flagged: field("flagged"),
            finished: field("finished"),
        }
    }

    fn bound_in(self, binding: &Binding) -> Status {
        let bound = |f: Option<usize>| f.filter(|&f| binding.is_bound(f));
        Status {
            response_type: bound(self.response_type),
            flagged: bound(self.flagged),
            finished: bound(self.finished),
        }
    }

    /// A survey preview, test or spam: not a customer response.
    fn not_customer(&self, check: &mut RowCheck<'_>) -> bool {
        let preview = self.response_type.is_some_and(|f| match check.value(f) {
            Value::Text(t) => preset::is_not_a_customer_response(&t),
            _ => false,
        });
        preview
            || self
                .flagged
                .is_some_and(|f| check.value(f) == Value::Bool(true))
    }
}

/// What was recognised about a table's shape, for the report.
pub(crate) fn table_notes(
    table: &ingest::Table,
    preset: Option<preset::Preset>,
    choice: preset::Choice,
) -> Vec<String> {
    let mut notes = Vec::new();
    if let Some(p) = preset {
        let how = if choice == preset::Choice::Detect {
            "recognised as"
        } else {
            "read as"
        };
        notes.push(format!("{how} a {}", p.describe(table)));
    }
    if !table.sheets_passed_over.is_empty() {
        notes.push(format!(
            "read sheet {:?}, whose header names the most fields; passed over: {}",
            table.sheet.as_deref().unwrap_or_default(),
            table.sheets_passed_over.join(", ")
        ));
    }
    if table.rows_above > 0 {
        notes.push(format!(
            "header on row {}; {} row{} above it skipped",
            table.header_row,
            table.rows_above,
            if table.rows_above == 1 { "" } else { "s" }
        ));
    }
    if let Some(encoding) = table.encoding {
        notes.push(format!("read as {encoding} text"));
    }
    notes
}

/// Findings about how a table was read.
pub(crate) fn table_findings(table: &ingest::Table, findings: &mut Findings) {
    if table.encoding_guessed
        && let Some(encoding) = table.encoding
    {
        let at = Position {
            file: table.file.clone(),
            sheet: None,
            row: None,
            column: None,
        };
        findings.push(Issue::new(
            Kind::EncodingFallback,
            Severity::Warning,
            &at,
            None,
            Some(encoding.to_string()),
            format!(
                "the file is not UTF-8; it was read as {encoding} (Excel's \"CSV\" on Windows). If letters look wrong, give --encoding, or save the file as \"CSV UTF-8\""
            ),
        ));
    }
}

/// A trend places rows by their dates: an undated file gives it nothing.
pub(crate) fn undated_for_trend(input: &InputStats, findings: &mut Findings) {
    if input.dated || input.rows_read == input.blank_rows {
        return;
    }
    let at = Position {
        file: input.file.clone(),
        sheet: input.sheet.clone(),
        row: None,
        column: None,
    };
    findings.push(Issue::new(
        Kind::NoDates,
        Severity::Warning,
        &at,
        Some("submitted_at".into()),
        None,
        format!(
            "no submitted_at column: a trend places each row in its quarter by its date, so none of the {} rows is counted. Map the export's date column in the mapping file",
            input.rows_read - input.blank_rows
        ),
    ));
}

pub(crate) fn file_findings(input: &InputStats, quarter: Option<Quarter>, findings: &mut Findings) {
    let at = &Position {
        file: input.file.clone(),
        sheet: input.sheet.clone(),
        row: None,
        column: None,
    };
    if input.rows_read == input.blank_rows {
        findings.push(Issue::new(
            Kind::NoData,
            Severity::Warning,
            at,
            None,
            None,
            "the file has a header but no rows of data; check that it is the export you meant (--strict makes this fail the run)".to_string(),
        ));
    }
    let Some(quarter) = quarter else {
        return;
    };
    if !input.dated && input.rows_in_quarter > 0 {
        findings.push(Issue::new(
            Kind::NoDates,
            Severity::Warning,
            at,
            Some("submitted_at".into()),
            None,
            format!(
                "no submitted_at column: all {} rows are counted in {quarter}. Map the export's date column in the mapping file so rows from other quarters are left out",
                input.rows_in_quarter
            ),
        ));
    }
    if input.dated && input.rows_in_quarter == 0 && input.rows_outside_quarter > 0 {
        let span = match (input.first_date, input.last_date) {
            (Some(a), Some(b)) => format!(" (its dates run from {a} to {b})"),
            _ => String::new(),
        };
        findings.push(Issue::new(
            Kind::OutsideQuarter,
            Severity::Warning,
            at,
            Some("submitted_at".into()),
            None,
            format!(
                "none of the {} rows falls in {quarter}, {} to {}{span}; check --fiscal-year and --quarter",
                input.rows_outside_quarter,
                quarter.start(),
                quarter.end()
            ),
        ));
    }
}

/// Rows further down that repeat the header, skipped.
pub(crate) fn repeated_header_findings(table: &ingest::Table, findings: &mut Findings) {
    for &row in &table.repeated_headers {
        let at = Position {
            file: table.file.clone(),
            sheet: table.sheet.clone(),
            row: Some(row),
            column: None,
        };
        findings.push(Issue::new(
            Kind::RepeatedHeader,
            Severity::Warning,
            &at,
            None,
            None,
            format!("this row repeats the header of row {} (exports pasted one under another?) and is skipped; delete it", table.header_row),
        ));
    }
}
