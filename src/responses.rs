//! The pass over A-11 v1 response exports: read every row of every input
//! once, check it, keep it or not for the fiscal quarter, and count it.

use chrono::NaiveDate;
use serde::Serialize;
use std::sync::Arc;

use crate::aggregate::{Aggregator, Answers, QUESTIONS, Survey, is_respondent};
use crate::check::{Checker, RowCheck, Value};
use crate::exit::{Failure, Result};
use crate::fiscal::Quarter;
use crate::ingest::{self, InputSpec};
use crate::issue::{Findings, Issue, Kind, Position, Severity};
use crate::preset;

#[derive(Debug, Clone, Copy, Default)]
pub struct Options {
    /// Keep only rows submitted in this quarter; `None` keeps every row.
    pub quarter: Option<Quarter>,
    /// Which survey platform's export shape to apply.
    pub preset: preset::Choice,
    /// Count responses whose `finished` is false.
    pub include_unfinished: bool,
}

/// What happened to the rows of one input.
#[derive(Debug, Clone, Default, Serialize)]
pub struct InputStats {
    pub file: Arc<str>,
    pub sheet: Option<Arc<str>>,
    pub format: String,
    pub bytes: u64,
    pub sha256: String,
    /// Data rows read (the header excluded).
    pub rows_read: u64,
    pub blank_rows: u64,
    /// The survey platform whose export shape was applied.
    pub preset: Option<&'static str>,
    /// Survey previews, tests and spam (any date): not customer responses.
    pub rows_not_customer: u64,
    /// Unfinished responses left out (any date).
    pub rows_unfinished: u64,
    /// How the table was read: header position, platform, columns
    /// recognised by wording.
    pub notes: Vec<String>,
    /// Rows submitted in the quarter (all non-blank rows when no quarter or
    /// no date column).
    pub rows_in_quarter: u64,
    pub rows_outside_quarter: u64,
    /// Rows in the quarter with at least one error.
    pub rows_invalid: u64,
    /// Valid rows with none of the seven questions answered.
    pub rows_empty: u64,
    pub respondents: u64,
    /// Whether the input has a submitted_at column (or constant).
    pub dated: bool,
    pub first_date: Option<NaiveDate>,
    pub last_date: Option<NaiveDate>,
}

/// The inputs of a run. The first may already be open: its header said
/// which template the run uses, and it is not read twice.
pub struct Inputs<'a> {
    pub specs: &'a [InputSpec],
    pub first: Option<ingest::Table>,
}

pub struct Outcome {
    pub inputs: Vec<InputStats>,
    pub surveys: Vec<Survey>,
}

/// Schema fields the pass relies on, by index.
struct Fields {
    response_id: Option<usize>,
    service: usize,
    touchpoint: usize,
    channel: usize,
    /// (field, question number 1…11)
    questions: Vec<(usize, usize)>,
}

impl Fields {
    fn of(checker: &Checker) -> anyhow::Result<Fields> {
        let schema = &checker.schema;
        let questions = schema
            .fields
            .iter()
            .enumerate()
            .filter_map(|(i, f)| f.question.as_ref().map(|q| (i, q.number as usize)))
            .filter(|(_, n)| (1..=QUESTIONS).contains(n))
            .collect();
        Ok(Fields {
            response_id: schema.index_of("response_id"),
            service: schema.require("service")?,
            touchpoint: schema.require("touchpoint")?,
            channel: schema.require("channel")?,
            questions,
        })
    }
}

/// Read, check and count every input. Findings go to `findings`; a `Failure`
/// means an input could not be read at all.
pub fn run(
    inputs: Inputs<'_>,
    checker: &mut Checker,
    options: Options,
    findings: &mut Findings,
) -> Result<Outcome> {
    let fields = Fields::of(checker).map_err(Failure::usage)?;
    let mut aggregator = Aggregator::default();
    let stats = read_inputs(inputs, checker, options, findings, &mut |check, input| {
        read_row(check, &fields, input, &mut aggregator)
    })?;
    let (surveys, variants) = aggregator.finish();
    report_variants(variants, findings);
    Ok(Outcome {
        inputs: stats,
        surveys,
    })
}

/// Report names counted together although spelled differently.
pub fn report_variants(variants: Vec<crate::aggregate::Variant>, findings: &mut Findings) {
    for v in variants {
        findings.push(Issue::new(
            Kind::SpellingVariant,
            Severity::Warning,
            &v.at,
            Some(v.field.into()),
            Some(v.spelling.clone()),
            format!(
                "{} {:?} differs from {:?} only in letter case or spacing; both are counted as {:?}. Make the spellings agree if they are meant to be different surveys",
                v.field, v.spelling, v.counted_as, v.counted_as
            ),
        ));
    }
}

/// Read every input once with the checks all templates share (blank rows,
/// row shape, the quarter filter), and hand each row of the quarter to
/// `visit`, which checks and counts it.
pub fn read_inputs(
    inputs: Inputs<'_>,
    checker: &mut Checker,
    options: Options,
    findings: &mut Findings,
    visit: &mut dyn FnMut(&mut RowCheck<'_>, &mut InputStats),
) -> Result<Vec<InputStats>> {
    let submitted_at = checker.schema.index_of("submitted_at");
    let status = Status::of(checker);
    let mut stats = Vec::with_capacity(inputs.specs.len());
    let mut first = inputs.first;
    for spec in inputs.specs {
        let mut table = match first.take() {
            Some(table) => table,
            None => {
                let score = |labels: &[String]| checker.header_score(labels);
                ingest::open(spec, Some(&score)).map_err(classify_open_error)?
            }
        };
        tracing::info!(
            "reading {}{} ({})",
            table.file,
            table
                .sheet
                .as_deref()
                .map(|s| format!(", sheet {s:?}"))
                .unwrap_or_default(),
            table.format
        );
        table_findings(&table, findings);
        let preset = options.preset.resolve(&table);
        let mut binding = checker.bind(&table, preset, findings);
        let mut input = InputStats {
            file: table.file.clone(),
            sheet: table.sheet.clone(),
            format: table.format.clone(),
            dated: submitted_at.is_some_and(|f| binding.is_bound(f)),
            preset: preset.map(preset::Preset::name),
            notes: table_notes(&table, preset, options.preset),
            ..InputStats::default()
        };
        input.notes.append(&mut binding.notes);
        // Only the status fields this table has are looked at per row.
        let status = status.bound_in(&binding);
        // Without a required column no row can be counted; the header
        // findings say what to fix.
        if !binding.missing_required {
            table
                .for_each_row(&mut |line, row| {
                    let mut check = checker.row(&binding, row, line, findings);
                    let keep = in_quarter(&mut check, submitted_at, status, options, &mut input);
                    if input.rows_read % crate::progress::ROW_STEP == 0 {
                        spec.progress.rows(&input.file, input.rows_read);
                    }
                    if keep {
                        visit(&mut check, &mut input);
                    }
                })
                .map_err(Failure::input)?;
            file_findings(&input, options, findings);
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
        let digest = table.finish();
        (input.bytes, input.sha256) = (digest.bytes, digest.sha256);
        tracing::info!(
            "{}: {} rows, {} in quarter, {} outside, {} invalid",
            input.file,
            input.rows_read,
            input.rows_in_quarter,
            input.rows_outside_quarter,
            input.rows_invalid
        );
        stats.push(input);
    }
    Ok(stats)
}

/// The checks every row gets: blank, shape, date. Whether the row is in the
/// quarter and goes on to be checked and counted.
fn in_quarter(
    check: &mut RowCheck<'_>,
    submitted_at: Option<usize>,
    status: Status,
    options: Options,
    input: &mut InputStats,
) -> bool {
    input.rows_read += 1;
    if check.is_blank() {
        input.blank_rows += 1;
        check.report(Kind::BlankRow, Severity::Warning, None, None, || {
            "this row is blank and is skipped; delete it".to_string()
        });
        return false;
    }
    check.check_shape();
    if status.not_customer(check) {
        input.rows_not_customer += 1;
        return false;
    }
    if !options.include_unfinished
        && let Some(f) = status.finished
        && check.value(f) == Value::Bool(false)
    {
        input.rows_unfinished += 1;
        return false;
    }
    if let Some(f) = submitted_at
        && let Value::DateTime(when) = check.value(f)
    {
        let date = when.date();
        input.first_date = Some(input.first_date.map_or(date, |d| d.min(date)));
        input.last_date = Some(input.last_date.map_or(date, |d| d.max(date)));
        if options.quarter.is_some_and(|q| !q.contains(date)) {
            input.rows_outside_quarter += 1;
            return false;
        }
    }
    input.rows_in_quarter += 1;
    true
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

    fn bound_in(self, binding: &crate::check::Binding) -> Status {
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
fn table_notes(
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

pub fn classify_open_error(e: anyhow::Error) -> Failure {
    if e.downcast_ref::<crate::ingest::SheetNotFound>().is_some()
        || e.downcast_ref::<crate::ingest::layout::BadHeaderRow>()
            .is_some()
    {
        Failure::usage(e)
    } else {
        Failure::input(e)
    }
}

/// The A-11 v1 checks and counts of one row in the quarter.
fn read_row(
    check: &mut RowCheck<'_>,
    fields: &Fields,
    input: &mut InputStats,
    aggregator: &mut Aggregator,
) {
    if let Some(f) = fields.response_id {
        check.value(f);
    }
    let service = check.value(fields.service);
    let touchpoint = check.value(fields.touchpoint);
    let channel = check.value(fields.channel);
    let mut answers: Answers = [None; QUESTIONS];
    for &(field, number) in &fields.questions {
        if let Value::Int(v) = check.value(field) {
            answers[number - 1] = Some(v as u8);
        }
    }
    if check.errors > 0 {
        input.rows_invalid += 1;
        return;
    }
    let (Value::Text(service), Value::Text(touchpoint), Value::Code(channel)) =
        (service, touchpoint, channel)
    else {
        // Unreachable: blank or invalid keys were reported as errors above.
        input.rows_invalid += 1;
        return;
    };
    if is_respondent(&answers) {
        input.respondents += 1;
    } else {
        input.rows_empty += 1;
        check.report(Kind::EmptyResponse, Severity::Warning, None, None, || {
            "none of the seven A-11 questions is answered; the row is not counted as a respondent".to_string()
        });
    }
    let channel = check.code_of(fields.channel, channel).to_string();
    let at = || check.position(None);
    aggregator.add(&service, &touchpoint, &channel, &answers, at);
}

/// Findings about a whole input, once its rows are read.
/// Findings about how a table was read.
fn table_findings(table: &ingest::Table, findings: &mut Findings) {
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

fn file_findings(input: &InputStats, options: Options, findings: &mut Findings) {
    let Some(quarter) = options.quarter else {
        return;
    };
    let at = &Position {
        file: input.file.clone(),
        sheet: input.sheet.clone(),
        row: None,
        column: None,
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
