//! A-11 v2 (FY2024 on): the trust question (thumbs up/down or a 1-5
//! scale) and the "what went well / what didn't" drivers, counted per
//! survey (service × transaction point × channel). It publishes the
//! `Collection Details`, a `Summary` of trust and drivers, every response
//! (`Responses`) and the Touchpoints upload files.
//!
//! A survey's type decides which answers are positive, and may only be
//! known part-way through (from the manifest, or from the first answer only
//! one type allows): it is settled when the pass ends.

mod drivers;
pub(crate) mod edition;
mod sheets;
mod tables;
pub(crate) mod tally;
pub(crate) mod upload;

use std::borrow::Cow;
use std::collections::HashMap;
use std::io::{self, Write};

use super::{Published, Template, Upload};
use crate::check::findings::{Findings, Issue, Kind, Position, Severity};
use crate::check::input::InputStats;
use crate::check::{Checker, RowCheck, Value};
use crate::error::{Error, Result};
use crate::fiscal::Quarter;
use crate::schema::Schema;
use crate::tally::Surveys;
use crate::tally::manifest::{self, Manifest, TemplateRow};
use crate::tally::rollup::rollups;
use crate::write::Table;
use crate::write::WriteSeek;
use crate::write::spool::{Spool, Spooled};
use crate::write::workbook::Common;
pub(crate) use drivers::driver_field_of;
pub use tally::{DRIVERS, UPLOAD_COLUMNS};
use tally::{Drivers, SurveyType, TrustCounts, TrustRollup, TrustTally, TypeSource};

/// Schema fields the rules read, by index.
struct Fields {
    service: usize,
    transaction_point: usize,
    channel: usize,
    external_id: usize,
    question_1: usize,
    drivers: [usize; 14],
    question_4: usize,
    /// The optional survey_type column (or --set).
    survey_type: Option<usize>,
    survey_id: Option<usize>,
    /// The drivers of each side joined in one cell, when an export has
    /// them so.
    joined: [Option<usize>; 2],
    /// The trust question's labels that only one survey type has, folded.
    type_labels: Vec<(String, SurveyType)>,
    /// The 17 upload fields in order.
    upload: [usize; 17],
}

impl Fields {
    fn of(checker: &Checker) -> anyhow::Result<Fields> {
        let s = &checker.schema;
        let upload = UPLOAD_COLUMNS.map(|c| s.require(c));
        let mut resolved = [0usize; 17];
        for (slot, r) in resolved.iter_mut().zip(upload) {
            *slot = r?;
        }
        let mut drivers = [0usize; 14];
        drivers.copy_from_slice(&resolved[2..16]);
        Ok(Fields {
            service: s.require("service")?,
            transaction_point: s.require("transaction_point")?,
            channel: s.require("channel")?,
            external_id: resolved[0],
            question_1: resolved[1],
            drivers,
            question_4: resolved[16],
            survey_type: s.index_of("survey_type"),
            survey_id: s.index_of("survey_id"),
            joined: [
                s.index_of("positive_drivers"),
                s.index_of("negative_drivers"),
            ],
            type_labels: s.fields[resolved[1]]
                .categories
                .iter()
                .filter_map(|c| {
                    let t = SurveyType::from_code(c.survey_type.as_deref()?)?;
                    Some(
                        std::iter::once(&c.label)
                            .chain(&c.aliases)
                            .map(move |l| (crate::schema::fold(l), t)),
                    )
                })
                .flatten()
                .collect(),
            upload: resolved,
        })
    }
}

/// Per-survey state during the pass.
struct State {
    tally: TrustTally,
    declared: Option<SurveyType>,
    decided: Option<(SurveyType, TypeSource)>,
    /// Per driver cell: where it was first seen not offered, and offered.
    offer: [(Option<Position>, Option<Position>, bool); 14],
    /// `--redact`: answers cleaned, and the stretches taken out.
    redacted: (u64, u64),
}

impl State {
    fn survey_type(&self) -> Option<SurveyType> {
        self.declared.or(self.decided.as_ref().map(|(t, _)| *t))
    }
}

/// The A-11 v2 pass.
pub(crate) struct A11V2 {
    fields: Fields,
    surveys: Surveys<State>,
    /// Survey types the manifest declares, by the survey's match key.
    declared: HashMap<String, SurveyType>,
    /// Inputs without survey keys: (input index, the survey name used).
    keyless: Vec<(u64, String)>,
    /// Whether an input without survey keys is a warning (the report names
    /// its survey after the file) or a note (checking an upload file, which
    /// has no keys by design).
    warn_keyless: bool,
    /// Where each valid response's upload cells go (`hisp report`).
    spool: Option<Spool>,
    /// Driver choice texts, for joined driver cells.
    choices: drivers::Choices,
    /// `--redact`: free text is cleaned before it is spooled.
    redactor: Option<crate::redact::Redactor>,
    min_n: u64,
    /// Where this pass's external_ids are kept unique: a scope of its own.
    ids_scope: u64,
}

impl Template for A11V2 {
    fn start(checker: &Checker, manifest: Option<&Manifest>, spool: Option<Spool>) -> Result<Self> {
        let declared = manifest
            .iter()
            .flat_map(|m| &m.entries)
            .filter_map(|e| {
                Some((
                    e.key.match_key(),
                    SurveyType::from_code(e.survey_type.as_deref()?)?,
                ))
            })
            .collect();
        Ok(A11V2 {
            fields: Fields::of(checker).map_err(Error::config)?,
            surveys: Surveys::new("transaction_point"),
            declared,
            keyless: Vec::new(),
            warn_keyless: checker.submission,
            spool,
            choices: drivers::Choices::new(&checker.mapping.driver_choices),
            redactor: checker.redactor.clone(),
            min_n: checker.min_n,
            ids_scope: checker.new_scope(),
        })
    }

    fn row(&mut self, check: &mut RowCheck<'_>, input: &mut InputStats) -> Result<()> {
        let Some((survey, q1, drivers)) = self.read_row(check, input) else {
            return Ok(());
        };
        if let Some(spool) = &mut self.spool {
            let f = &self.fields;
            // The upload cells, on the stack: as written where the export
            // has the canonical column, else as counted.
            let mut cells: [Cow<'_, str>; UPLOAD_COLUMNS.len()] =
                std::array::from_fn(|i| upload_cell(check, f, i, q1, &drivers));
            if let Some(redactor) = &self.redactor {
                let last = UPLOAD_COLUMNS.len() - 1; // question_4, the free text
                let (text, found) = redactor.redact(std::mem::take(&mut cells[last]));
                cells[last] = text;
                if found > 0 {
                    let state = &mut self.surveys.get_mut(survey).1;
                    state.redacted.0 += 1;
                    state.redacted.1 += found as u64;
                }
            }
            spool
                .response(survey, &self.surveys.get(survey).0, &cells)
                .map_err(Error::Output)?;
        }
        Ok(())
    }

    fn finish(
        self,
        manifest: Option<&Manifest>,
        findings: &mut Findings,
        notes: &mut Vec<String>,
    ) -> Result<Box<dyn Published>> {
        let surveys = self
            .surveys
            .finish(findings)
            .into_iter()
            .map(|(key, s)| {
                if s.redacted.0 > 0 {
                    notes.push(format!(
                        "survey {}: --redact took {} stretches of personal information out of {} free-text answers",
                        key.label(),
                        s.redacted.1,
                        s.redacted.0
                    ));
                }
                let (survey_type, type_source) = match (s.declared, s.decided) {
                    (Some(t), _) => (t, TypeSource::Manifest),
                    (None, Some(d)) => d,
                    (None, None) => (SurveyType::ThumbsUpDown, TypeSource::Assumed),
                };
                let counts = TrustCounts {
                    tally: s.tally,
                    survey_type,
                    type_source,
                };
                (key, counts)
            })
            .collect();
        if !self.warn_keyless {
            for (_, stem) in &self.keyless {
                notes.push(format!(
                    "no service, transaction point or channel in the input counted as survey {stem:?} (an upload file has none): give them with --set for a report"
                ));
            }
        }
        let mut rows = manifest::join(manifest, surveys, findings);
        settle_survey_types(&mut rows, findings, notes);
        let (services, overall) = rollups(&rows, TrustCounts::results);
        let responses = match self.spool {
            Some(spool) => Some(spool.finish().map_err(Error::Output)?),
            None => None,
        };
        Ok(Box::new(Results {
            rows,
            services,
            overall,
            responses,
            min_n: self.min_n,
        }))
    }
}

/// Surveys without responses take their type from the manifest; every
/// survey's type is noted, and an assumed one is warned about.
fn settle_survey_types(
    rows: &mut [TemplateRow<TrustCounts>],
    findings: &mut Findings,
    notes: &mut Vec<String>,
) {
    for row in rows {
        if row.tally.tally.rows == 0
            && let Some(t) = row
                .entry
                .survey_type
                .as_deref()
                .and_then(SurveyType::from_code)
        {
            row.tally.survey_type = t;
            row.tally.type_source = TypeSource::Manifest;
        }
        notes.push(survey_type_note(row));
        if row.tally.type_source == TypeSource::Assumed && row.tally.tally.rows > 0 {
            let k = &row.entry.key;
            findings.push(Issue::new(
                Kind::SurveyType,
                Severity::Warning,
                &row.entry.at,
                Some("survey_type".into()),
                None,
                format!(
                    "every trust answer of {} is 1, which both survey types allow: counted as thumbs_up_down. Give survey_type in the services manifest",
                    k.label()
                ),
            ));
        }
    }
}

fn survey_type_note(row: &TemplateRow<TrustCounts>) -> String {
    let how = match &row.tally.type_source {
        TypeSource::Manifest => "from the services manifest".to_string(),
        TypeSource::Answer { file, row, value } => {
            format!("from answer {value} in row {row} of {file}")
        }
        TypeSource::Label { file, row, label } => {
            format!("from answer {label:?} in row {row} of {file}")
        }
        TypeSource::Given { file, row } => format!("from survey_type in row {row} of {file}"),
        TypeSource::Assumed => "assumed: every answer is 1".to_string(),
    };
    format!(
        "survey {}: {} ({how})",
        row.entry.key.label(),
        row.tally.survey_type.code()
    )
}

impl A11V2 {
    /// Note a row of an input without survey keys; warn once per input.
    fn keyless_file(&mut self, check: &mut RowCheck<'_>) {
        let file = check.file_index();
        if self.keyless.last().is_some_and(|(f, _)| *f == file) {
            return;
        }
        let stem = file_stem(check.file_name(file));
        self.keyless.push((file, stem));
        if self.warn_keyless {
            check.report(Kind::NoSurveyKeys, Severity::Warning, Some(self.fields.service), None, || {
                "no service, transaction point or channel for this file: its rows are counted as one survey named after the file. Give them with --set service=... --set transaction_point=... --set channel=...".to_string()
            });
        }
    }

    /// Check and count one row; when it is valid, its survey's index, its
    /// trust answer and its drivers.
    fn read_row(
        &mut self,
        check: &mut RowCheck<'_>,
        input: &mut InputStats,
    ) -> Option<(usize, u8, Drivers)> {
        // Survey keys: columns or constants; an upload file without them is
        // one survey named after the file.
        let keyless = !check.is_bound(self.fields.service);
        let service = if keyless {
            self.keyless_file(check);
            Value::Missing
        } else {
            check.value(self.fields.service)
        };
        let f = &self.fields;
        let transaction_point = code_index(check, f.transaction_point);
        let channel = code_index(check, f.channel);
        let id = check.value(f.external_id);
        let q1 = check.value(f.question_1);
        let drivers = read_drivers(check, f, &self.choices);
        check.value(f.question_4);
        let survey_id = crate::check::text_or_blank(check, f.survey_id);
        let service: &str = match &service {
            Value::Text(t) => t.trim(),
            _ if keyless => &self.keyless.last().expect("recorded above").1,
            _ => "",
        };
        let Value::Int(q1) = q1 else {
            input.rows_invalid += 1;
            return None;
        };
        let q1 = trust_answer(check, f.question_1, q1);
        if check.errors > 0 {
            input.rows_invalid += 1;
            return None;
        }
        let q1 = q1?;
        let code = |field: usize, i: Option<usize>| i.map_or("", |i| check.code_of(field, i));
        let (tp, ch) = (
            code(f.transaction_point, transaction_point),
            code(f.channel, channel),
        );
        let declared = &self.declared;
        let at = || check.position(None);
        let survey = self
            .surveys
            .find([service, tp, ch, &survey_id], at, |match_key| State {
                declared: declared.get(match_key).copied(),
                tally: TrustTally::default(),
                decided: None,
                offer: Default::default(),
                redacted: (0, 0),
            });
        let state = &mut self.surveys.get_mut(survey).1;
        // Within the survey, in this pass of this quarter (a trend keeps a
        // pass per quarter; their survey numbers are their own).
        if let Value::Text(id) = &id {
            check.check_unique_within(f.external_id, self.ids_scope << 32 | survey as u64, id);
        }
        check_given_type(check, f, state);
        let label = {
            // Numbers (nearly every row) are no label.
            let raw = check.raw(f.question_1);
            let raw = raw.trim();
            let number = raw.bytes().all(|b| b.is_ascii_digit());
            f.type_labels
                .iter()
                .find(|(l, _)| !number && crate::schema::folds_to(raw, l))
                .map(|(_, t)| (*t, raw.to_string()))
        };
        check_survey_type(check, f, state, q1, label);
        if check.errors > 0 {
            input.rows_invalid += 1;
            return None;
        }
        if let Some(t) = state.survey_type()
            && let Some(positive) = t.is_positive(q1)
        {
            check_driver_side(check, f, &drivers, positive);
        }
        check_driver_offer(check, f, state, &drivers);
        state.tally.add(q1, &drivers);
        input.respondents += 1;
        Some((survey, q1, drivers))
    }
}

/// The trust answer as counted: 0 to 5. A schema given with `--schema` may
/// allow other numbers, which no survey type has.
fn trust_answer(check: &mut RowCheck<'_>, field: usize, q1: i64) -> Option<u8> {
    match u8::try_from(q1) {
        Ok(a @ 0..=5) => Some(a),
        _ => {
            let shown = q1.to_string();
            check.report(Kind::SurveyType, Severity::Error, Some(field), Some(&shown), || {
                format!("{q1} is not an answer to the trust question; thumbs surveys answer 1 or 0, Likert surveys 1-5")
            });
            None
        }
    }
}

/// Upload cell `i` of a valid row: as written where the export has the
/// canonical column (for the trust question, the number counted), else as counted:
/// the trust answer's number, a driver's 1 or 0, or `null` when not
/// offered.
fn upload_cell<'a>(
    check: &RowCheck<'a>,
    f: &Fields,
    i: usize,
    q1: u8,
    drivers: &Drivers,
) -> Cow<'a, str> {
    let field = f.upload[i];
    let raw = check.raw(field);
    match i {
        // As written when it is the number counted (not a recoded code).
        1 if raw.parse::<u8>() == Ok(q1) => raw,
        1 => Cow::Owned(q1.to_string()),
        2..=15 if !check.is_named(field) => match drivers[i - 2] {
            Some(v) => Cow::Owned(v.to_string()),
            None => Cow::Borrowed("null"),
        },
        _ => raw,
    }
}

/// A row's 14 driver cells: canonical columns as written, a multi-select
/// choice column (any other name) as chosen or not, then the drivers of a
/// joined cell for those of its side without a column. A driver with
/// neither is not offered.
fn read_drivers(check: &mut RowCheck<'_>, f: &Fields, choices: &drivers::Choices) -> Drivers {
    let mut cells: Drivers = [None; 14];
    for (slot, &field) in cells.iter_mut().zip(&f.drivers) {
        if !check.is_bound(field) {
            continue;
        }
        *slot = if check.is_named(field) {
            match check.value(field) {
                Value::Int(v) => driver_cell(check, field, v),
                _ => None,
            }
        } else {
            drivers::choice_cell(&check.raw(field))
        };
    }
    for (side, joined) in f.joined.iter().enumerate() {
        let Some(field) = joined.filter(|&field| check.is_bound(field)) else {
            continue;
        };
        let cell = check.raw(field);
        match choices.joined(&cell) {
            Ok(ticked) => {
                for (d, &t) in ticked.iter().enumerate() {
                    let slot = &mut cells[side * 7 + d];
                    if !check.is_bound(f.drivers[side * 7 + d]) {
                        *slot = Some(u8::from(t));
                    }
                }
            }
            Err(choice) => {
                let shown = cell.to_string();
                check.report(Kind::TypeError, Severity::Error, Some(field), Some(&shown), || {
                    format!(
                        "{choice:?} names no driver; drivers are {} (or a choice text naming one); map the text in the mapping file's [driver_choices] table",
                        DRIVERS.join(", ")
                    )
                });
            }
        }
    }
    cells
}

/// A driver cell as counted: 0 or 1 (`None`, not offered, is blank or
/// `null`). A schema given with `--schema` may allow other numbers.
fn driver_cell(check: &mut RowCheck<'_>, field: usize, v: i64) -> Option<u8> {
    match v {
        0 | 1 => Some(v as u8),
        _ => {
            let shown = v.to_string();
            check.report(Kind::ConstraintError, Severity::Error, Some(field), Some(&shown), || {
                format!("{v} is not a driver answer; use 1 (ticked), 0 (not ticked) or null (not offered)")
            });
            None
        }
    }
}

/// The code index of a key field, when it has a column or constant.
fn code_index(check: &mut RowCheck<'_>, field: usize) -> Option<usize> {
    if !check.is_bound(field) {
        return None;
    }
    match check.value(field) {
        Value::Code(i) => Some(i),
        _ => None,
    }
}

fn file_stem(file: &str) -> String {
    std::path::Path::new(file)
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or(file)
        .to_string()
}

/// How a survey's type was settled, for a message: "the services manifest
/// says", "answer 3 in row 5 of f.csv showed"…
fn type_reason(state: &State) -> String {
    match (&state.declared, &state.decided) {
        (Some(_), _) => "the services manifest says".to_string(),
        (None, Some((_, TypeSource::Answer { file, row, value }))) => {
            format!("answer {value} in row {row} of {file} showed")
        }
        (None, Some((_, TypeSource::Label { file, row, label }))) => {
            format!("answer {label:?} in row {row} of {file} showed")
        }
        (None, Some((_, TypeSource::Given { file, row }))) => {
            format!("survey_type in row {row} of {file} says")
        }
        _ => "it is".to_string(),
    }
}

/// The survey type a row gives in its survey_type column (or --set): it
/// settles an undecided survey, and must agree with a settled one.
fn check_given_type(check: &mut RowCheck<'_>, f: &Fields, state: &mut State) {
    let Some(field) = f.survey_type.filter(|&field| check.is_bound(field)) else {
        return;
    };
    let Value::Code(i) = check.value(field) else {
        return;
    };
    let Some(given) = SurveyType::from_code(check.code_of(field, i)) else {
        return;
    };
    match state.survey_type() {
        None => {
            let at = check.position(None);
            state.decided = Some((
                given,
                TypeSource::Given {
                    file: at.file.to_string(),
                    row: check.line,
                },
            ));
        }
        Some(t) if t != given => {
            let how = type_reason(state);
            check.report(Kind::SurveyType, Severity::Error, Some(field), Some(given.code()), || {
                format!(
                    "survey_type {} disagrees with the survey's type: {how} it is {}. Correct the column (or --set), or the services manifest",
                    given.code(),
                    t.code()
                )
            });
        }
        Some(_) => {}
    }
}

/// A Likert answer in a thumbs survey, or 0 in a Likert survey, is an
/// error, as is a label of the other type (`Yes` in a Likert survey); an
/// undecided survey is decided by the first answer only one type allows
/// (0, 2-5, or a label such as `Thumbs up` or `Strongly disagree`).
fn check_survey_type(
    check: &mut RowCheck<'_>,
    f: &Fields,
    state: &mut State,
    q1: u8,
    label: Option<(SurveyType, String)>,
) {
    match state.survey_type() {
        Some(t) if t.is_positive(q1).is_none() => {
            let how = type_reason(state);
            let shown = q1.to_string();
            check.report(Kind::SurveyType, Severity::Error, Some(f.question_1), Some(&shown), || {
                format!(
                    "{q1} is not an answer of a {} survey, which {how} this is; thumbs surveys answer 1 or 0, Likert surveys 1-5",
                    t.code()
                )
            });
        }
        Some(t) if label.as_ref().is_some_and(|(l, _)| *l != t) => {
            let how = type_reason(state);
            let (l, text) = label.expect("checked above");
            check.report(
                Kind::SurveyType,
                Severity::Error,
                Some(f.question_1),
                Some(&text),
                || {
                    format!(
                        "{text:?} is an answer of a {} survey, but {how} this is a {} survey",
                        l.code(),
                        t.code()
                    )
                },
            );
        }
        None => {
            let at = check.position(None);
            let (file, row) = (at.file.to_string(), check.line);
            let decided = match label {
                Some((t, label)) => Some((t, TypeSource::Label { file, row, label })),
                None => SurveyType::proven_by(q1).map(|t| {
                    (
                        t,
                        TypeSource::Answer {
                            file,
                            row,
                            value: q1,
                        },
                    )
                }),
            };
            if decided.is_some() {
                state.decided = decided;
            }
        }
        _ => {}
    }
}

/// A driver ticked on the side the form never shows for this answer.
fn check_driver_side(check: &mut RowCheck<'_>, f: &Fields, drivers: &Drivers, positive: bool) {
    let wrong = if positive { 7..14 } else { 0..7 };
    if let Some(d) = wrong.clone().find(|&d| drivers[d] == Some(1)) {
        let (side, answer) = if positive {
            ("negative", "positive")
        } else {
            ("positive", "negative")
        };
        check.report(Kind::WrongSideDriver, Severity::Warning, Some(f.drivers[d]), Some("1"), || {
            format!(
                "a {side} driver is ticked on a {answer} response; the form shows only the {answer} drivers after this answer. It is not counted"
            )
        });
    }
}

/// A driver offered on some rows of a survey and not on others.
fn check_driver_offer(check: &mut RowCheck<'_>, f: &Fields, state: &mut State, drivers: &Drivers) {
    for (d, cell) in drivers.iter().enumerate() {
        let (not_offered, offered, warned) = &mut state.offer[d];
        let first_of_kind = match cell {
            None if not_offered.is_none() => {
                *not_offered = Some(check.position(Some(0)));
                true
            }
            Some(_) if offered.is_none() => {
                *offered = Some(check.position(Some(0)));
                true
            }
            _ => false,
        };
        if first_of_kind && !*warned && not_offered.is_some() && offered.is_some() {
            *warned = true;
            let other = match cell {
                None => offered.as_ref(),
                Some(_) => not_offered.as_ref(),
            }
            .and_then(|p| p.row)
            .unwrap_or_default();
            let shown = match cell {
                None => "null",
                Some(0) => "0",
                _ => "1",
            };
            check.report(Kind::DriverOffer, Severity::Warning, Some(f.drivers[d]), Some(shown), || {
                format!(
                    "this driver is {} here but {} in row {other} of the same survey; a form either offers a driver or not. Check the export mixes no form versions",
                    if cell.is_none() { "not offered (null)" } else { "offered" },
                    if cell.is_none() { "offered" } else { "not offered (null)" },
                )
            });
        }
    }
}

/// The counted surveys, joined to the manifest, their roll-ups, and the
/// responses spooled for the outputs that list them.
pub(crate) struct Results {
    rows: Vec<TemplateRow<TrustCounts>>,
    services: Vec<TrustRollup>,
    overall: TrustRollup,
    responses: Option<Spooled>,
    /// Respondents below which a scope is flagged small-n.
    min_n: u64,
}

impl Published for Results {
    fn shares(&self) -> Vec<crate::template::ScopeShares> {
        // The trust share, then each driver's share of those offered it.
        let trust = |r: &tally::TrustResults| {
            let mut out = vec![crate::template::Measure {
                name: "trust",
                count: r.trust_positive,
                of: r.trust_positive + r.trust_negative,
                driver: false,
            }];
            let sides = [
                (&r.positive, &r.positive_offered),
                (&r.negative, &r.negative_offered),
            ];
            for (side, (ticks, offered)) in sides.into_iter().enumerate() {
                for d in 0..DRIVERS.len() {
                    out.push(crate::template::Measure {
                        // The upload columns name them: positive_… then negative_….
                        name: UPLOAD_COLUMNS[2 + side * DRIVERS.len() + d],
                        count: ticks[d],
                        of: offered[d],
                        driver: true,
                    });
                }
            }
            out
        };
        let mut out: Vec<crate::template::ScopeShares> = self
            .rows
            .iter()
            .map(|row| {
                let r = row.tally.results();
                crate::template::ScopeShares {
                    scope: "survey",
                    names: row.entry.key.parts().map(String::from),
                    respondents: r.respondents,
                    measures: trust(&r),
                }
            })
            .collect();
        out.extend(crate::template::rollup_shares(
            &self.services,
            &self.overall,
            |r| r.respondents,
            trust,
        ));
        out
    }

    fn surveys(&self) -> usize {
        self.rows.len()
    }

    fn respondents(&self) -> u64 {
        self.overall.results.respondents
    }

    fn aggregate_csv(&self, out: &mut dyn Write) -> io::Result<()> {
        tables::aggregate_csv(self, out)
    }

    fn aggregate_json(&self, quarter: Option<Quarter>, out: &mut dyn Write) -> io::Result<()> {
        tables::aggregate_json(quarter, self, out)
    }

    fn main_table(&self, quarter: Quarter, _schema: &Schema) -> (&'static str, Table) {
        (
            "collection-details",
            tables::collection_details(self, quarter),
        )
    }

    fn workbook(
        &self,
        common: &Common<'_>,
        out: &mut dyn WriteSeek,
    ) -> std::result::Result<(), rust_xlsxwriter::XlsxError> {
        sheets::write(self, common, out)
    }

    fn uploads(&self) -> Option<Vec<Upload<'_>>> {
        Some(match &self.responses {
            Some(responses) => upload::uploads(responses),
            None => Vec::new(),
        })
    }
}
