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
mod results;
mod rules;
mod sheets;
mod tables;
pub(crate) mod tally;
pub(crate) mod upload;

use std::borrow::Cow;
use std::collections::HashMap;

use super::{Published, Template, Upload};
use crate::check::findings::{Findings, Issue, Kind, Position, Severity};
use crate::check::input::InputStats;
use crate::check::{Checker, RowCheck, Value};
use crate::error::{Error, Result};
use crate::tally::Surveys;
use crate::tally::manifest::{self, Manifest, TemplateRow};
use crate::tally::rollup::rollups;
use crate::write::spool::Spool;
/// The findings of A-11 v2's own rules, placed among the others in the
/// report's summary.
const SURVEY_TYPE: Kind = Kind::new(27, "survey-type");
const WRONG_SIDE_DRIVER: Kind = Kind::new(28, "wrong-side-driver");
const DRIVER_OFFER: Kind = Kind::new(29, "driver-offer");
const DRIVER_NEVER_CHOSEN: Kind = Kind::new(42, "driver-never-chosen");

pub(crate) use drivers::driver_field_of;
pub use tally::{DRIVERS, UPLOAD_COLUMNS};
use tally::{Drivers, SurveyType, TrustCounts, TrustTally, TypeSource};

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
    /// Per side: the drivers the survey's form offers, as the manifest
    /// lists them, when it does.
    offered: Offered,
    /// Per side: a row's drivers came joined in one cell.
    joined: [bool; 2],
}

/// Per side (went well, didn't), the drivers a form offers, when known.
type Offered = [Option<[bool; 7]>; 2];

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
    /// The drivers each survey's form offers, as the manifest lists them,
    /// by the survey's match key.
    offered: HashMap<String, Offered>,
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
                    SurveyType::from_code(e.detail("survey_type")?)?,
                ))
            })
            .collect();
        let offered = manifest
            .iter()
            .flat_map(|m| m.entries.iter().map(move |e| (m, e)))
            .map(|(m, e)| Ok((e.key.match_key(), offered_of(m, e)?)))
            .collect::<Result<_>>()?;
        Ok(A11V2 {
            fields: Fields::of(checker).map_err(Error::config)?,
            surveys: Surveys::new("transaction_point"),
            declared,
            offered,
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
        // Per survey: the sides whose drivers came joined, with no list in
        // the manifest to tell a driver not offered from one not chosen.
        let mut never_chosen: HashMap<String, [bool; 2]> = HashMap::new();
        let surveys = self
            .surveys
            .finish(findings)
            .into_iter()
            .map(|(key, s)| {
                let unlisted = [0, 1].map(|side| s.joined[side] && s.offered[side].is_none());
                never_chosen.insert(key.match_key(), unlisted);
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
        drivers_never_chosen(&rows, &never_chosen, self.min_n, findings);
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
                .detail("survey_type")
                .and_then(SurveyType::from_code)
        {
            row.tally.survey_type = t;
            row.tally.type_source = TypeSource::Manifest;
        }
        notes.push(survey_type_note(row));
        if row.tally.type_source == TypeSource::Assumed && row.tally.tally.rows > 0 {
            let k = &row.entry.key;
            findings.push(Issue::new(
                SURVEY_TYPE,
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
        let (declared, offered) = (&self.declared, &self.offered);
        let at = || check.position(None);
        let survey = self
            .surveys
            .find([service, tp, ch, &survey_id], at, |match_key| State {
                declared: declared.get(match_key).copied(),
                tally: TrustTally::default(),
                decided: None,
                offer: Default::default(),
                redacted: (0, 0),
                offered: offered.get(match_key).copied().unwrap_or_default(),
                joined: [false; 2],
            });
        let state = &mut self.surveys.get_mut(survey).1;
        let mut drivers = drivers;
        follow_the_form(check, f, state, &mut drivers);
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

pub(crate) use results::Results;
use rules::{
    check_driver_offer, check_driver_side, check_given_type, check_survey_type, code_index,
    file_stem, read_drivers, trust_answer, upload_cell,
};

/// The drivers a manifest row lists as offered on each side, when it lists
/// them: names (or a choice text naming one) separated by commas or
/// semicolons. A name that is no driver is an error in the manifest.
fn offered_of(manifest: &Manifest, entry: &manifest::Entry) -> Result<Offered> {
    let mut offered: Offered = [None; 2];
    for (side, column) in ["positive_drivers_offered", "negative_drivers_offered"]
        .into_iter()
        .enumerate()
    {
        let Some(list) = entry.detail(column) else {
            continue;
        };
        let mut listed = [false; 7];
        for name in list
            .split([',', ';'])
            .map(str::trim)
            .filter(|n| !n.is_empty())
        {
            let Some(d) = DRIVERS.iter().position(|d| d.eq_ignore_ascii_case(name)) else {
                return Err(Error::config(anyhow::anyhow!(
                    "{} row {}: {column} lists {name:?}, which is not a driver; drivers are {}",
                    manifest.file,
                    entry.at.row.unwrap_or_default(),
                    DRIVERS.join(", ")
                )));
            };
            listed[d] = true;
        }
        offered[side] = Some(listed);
    }
    Ok(offered)
}

/// A row's drivers as the survey's form offers them: where the manifest
/// lists the drivers of a side, one it does not list is not offered
/// (`null`), however the export shows it; a canonical column, which says
/// null itself, is taken as written. Notes the sides whose drivers came
/// joined in one cell.
fn follow_the_form(check: &RowCheck<'_>, f: &Fields, state: &mut State, drivers: &mut Drivers) {
    for (side, joined) in f.joined.iter().enumerate() {
        if joined.is_some_and(|field| check.is_bound(field)) {
            state.joined[side] = true;
        }
        let Some(listed) = state.offered[side] else {
            continue;
        };
        for (d, &offered) in listed.iter().enumerate() {
            let cell = side * 7 + d;
            if !offered && !check.is_named(f.drivers[cell]) {
                drivers[cell] = None;
            }
        }
    }
}

/// Where a survey's drivers came joined in one cell and the manifest does
/// not list those its form offers, a driver no respondent on its side chose
/// (of at least `min_n`) may never have been offered: the upload says 0
/// ("offered, not chosen") where the truth may be null.
fn drivers_never_chosen(
    rows: &[TemplateRow<TrustCounts>],
    unlisted: &HashMap<String, [bool; 2]>,
    min_n: u64,
    findings: &mut Findings,
) {
    for row in rows {
        let Some(sides) = unlisted.get(&row.entry.key.match_key()) else {
            continue;
        };
        let results = row.tally.results();
        for (side, column) in ["positive_drivers_offered", "negative_drivers_offered"]
            .into_iter()
            .enumerate()
        {
            let (respondents, ticks) = if side == 0 {
                (results.trust_positive, results.positive)
            } else {
                (results.trust_negative, results.negative)
            };
            if !sides[side] || respondents < min_n {
                continue;
            }
            let never: Vec<&str> = (0..7)
                .filter(|&d| ticks[d] == 0)
                .map(|d| DRIVERS[d])
                .collect();
            if never.is_empty() {
                continue;
            }
            let what = if side == 0 {
                "went well"
            } else {
                "didn't go well"
            };
            findings.push(Issue::new(
                DRIVER_NEVER_CHOSEN,
                Severity::Warning,
                &row.entry.at,
                Some(column.into()),
                Some(never.join(", ")),
                format!(
                    "no one of the {respondents} respondents of {} who said what {what} chose {}: were they offered? The export joins the chosen drivers in one cell, which cannot tell; the upload files say 0 (offered, not chosen). List the drivers its form offers in the services manifest's {column} column",
                    row.entry.key.label(),
                    never.join(", ")
                ),
            ));
        }
    }
}
