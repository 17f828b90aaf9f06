//! The pass over A-11 v2 responses (FY2024 onward): the trust question and
//! the "what went well / what didn't" drivers, counted per survey (service ×
//! transaction point × channel) in the same single pass as the checks.
//!
//! A survey's type (thumbs up/down or 5-point Likert) decides which answers
//! are positive, and may only be known part-way through (from the manifest,
//! or from the first answer that only one type allows). Counts are therefore
//! kept per `question_1` value and turned into positive and negative counts
//! at the end: no second pass.

use serde::Serialize;
use std::borrow::Cow;
use std::collections::HashMap;
use std::hash::{DefaultHasher, Hash, Hasher};

use crate::aggregate::{FastMap, SurveyKey, add_offered, hundredths, write_match_key};
use crate::check::{Checker, RowCheck, Value};
use crate::exit::{Failure, Result};
use crate::issue::{Findings, Kind, Position, Severity};
use crate::manifest::{Counted, TemplateRow, by_service};
use crate::responses::{InputStats, Options, read_inputs};

/// The seven driver codes, in upload-column order.
pub const DRIVERS: [&str; 7] = [
    "effectiveness",
    "ease",
    "efficiency",
    "transparency",
    "humanity",
    "employee",
    "other",
];

/// The Touchpoints upload columns, in the order the upload requires.
pub const UPLOAD_COLUMNS: [&str; 17] = [
    "external_id",
    "question_1",
    "positive_effectiveness",
    "positive_ease",
    "positive_efficiency",
    "positive_transparency",
    "positive_humanity",
    "positive_employee",
    "positive_other",
    "negative_effectiveness",
    "negative_ease",
    "negative_efficiency",
    "negative_transparency",
    "negative_humanity",
    "negative_employee",
    "negative_other",
    "question_4",
];

/// 7 positive then 7 negative driver cells: `Some(0|1)`, or `None` when the
/// driver was not offered (`null` or blank).
pub type Drivers = [Option<u8>; 14];

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SurveyType {
    ThumbsUpDown,
    LikertScale,
}

impl SurveyType {
    pub fn code(self) -> &'static str {
        match self {
            SurveyType::ThumbsUpDown => "thumbs_up_down",
            SurveyType::LikertScale => "likert_scale",
        }
    }

    pub fn from_code(code: &str) -> Option<SurveyType> {
        match code {
            "thumbs_up_down" => Some(SurveyType::ThumbsUpDown),
            "likert_scale" => Some(SurveyType::LikertScale),
            _ => None,
        }
    }

    /// Whether an answer to the trust question is positive; `None` when the
    /// answer is not on this survey's scale.
    pub fn is_positive(self, q1: u8) -> Option<bool> {
        match (self, q1) {
            (SurveyType::ThumbsUpDown, 0 | 1) => Some(q1 == 1),
            (SurveyType::LikertScale, 1..=5) => Some(q1 >= 4),
            _ => None,
        }
    }

    /// The type an answer proves, if only one type allows it.
    fn proven_by(q1: u8) -> Option<SurveyType> {
        match q1 {
            0 => Some(SurveyType::ThumbsUpDown),
            2..=5 => Some(SurveyType::LikertScale),
            _ => None,
        }
    }
}

/// How a survey's type was settled.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "snake_case", tag = "from")]
pub enum TypeSource {
    Manifest,
    /// From the first answer only one type allows.
    Answer {
        file: String,
        row: u64,
        value: u8,
    },
    /// Every answer was 1, which both types allow: thumbs up/down assumed.
    Assumed,
}

/// Counts kept per `question_1` value (0–5).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TrustTally {
    pub rows: u64,
    pub by_answer: [u64; 6],
    /// Ticks (1) per answer and driver cell.
    pub ticks: [[u64; 14]; 6],
    /// Offered (0 or 1, not null) per answer and driver cell.
    pub offered: [[u64; 14]; 6],
}

impl TrustTally {
    pub fn add(&mut self, q1: u8, drivers: &Drivers) {
        let a = q1 as usize;
        self.rows += 1;
        self.by_answer[a] += 1;
        for (d, cell) in drivers.iter().enumerate() {
            if let Some(v) = cell {
                self.offered[a][d] += 1;
                self.ticks[a][d] += u64::from(*v);
            }
        }
    }

    /// The published results, once the survey's type is known.
    pub fn results(&self, survey_type: SurveyType) -> TrustResults {
        let mut r = TrustResults {
            respondents: self.rows,
            ..TrustResults::default()
        };
        for a in 0..=5u8 {
            let n = self.by_answer[a as usize];
            let Some(positive) = survey_type.is_positive(a) else {
                continue;
            };
            let side = if positive { 0 } else { 7 };
            if positive {
                r.trust_positive += n;
            } else {
                r.trust_negative += n;
            }
            for d in 0..7 {
                let (ticks, offered) = (
                    self.ticks[a as usize][side + d],
                    self.offered[a as usize][side + d],
                );
                if positive {
                    r.positive[d] += ticks;
                    r.positive_offered[d] += offered;
                } else {
                    r.negative[d] += ticks;
                    r.negative_offered[d] += offered;
                }
            }
            if survey_type == SurveyType::LikertScale {
                r.likert[a as usize - 1] += n;
            }
        }
        r.likert_surveys = u64::from(survey_type == SurveyType::LikertScale);
        r
    }
}

/// A survey's (or a roll-up's) trust and driver results.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct TrustResults {
    /// Response rows in the quarter.
    pub respondents: u64,
    pub trust_positive: u64,
    pub trust_negative: u64,
    /// Counts of 1…5 (Likert surveys only).
    pub likert: [u64; 5],
    /// Ticks among positive responses, per driver.
    pub positive: [u64; 7],
    /// Positive responses that were offered each driver.
    pub positive_offered: [u64; 7],
    pub negative: [u64; 7],
    pub negative_offered: [u64; 7],
    /// How many Likert surveys these results include.
    pub likert_surveys: u64,
}

impl TrustResults {
    pub fn merge(&mut self, other: &TrustResults) {
        self.respondents += other.respondents;
        self.trust_positive += other.trust_positive;
        self.trust_negative += other.trust_negative;
        self.likert_surveys += other.likert_surveys;
        let add = |a: &mut [u64], b: &[u64]| a.iter_mut().zip(b).for_each(|(x, y)| *x += y);
        add(&mut self.likert, &other.likert);
        add(&mut self.positive, &other.positive);
        add(&mut self.positive_offered, &other.positive_offered);
        add(&mut self.negative, &other.negative);
        add(&mut self.negative_offered, &other.negative_offered);
    }

    /// Positive ÷ (positive + negative), as a percentage, 2 decimals.
    pub fn trust_positive_share(&self) -> Option<f64> {
        hundredths(
            self.trust_positive * 100,
            self.trust_positive + self.trust_negative,
        )
    }

    /// Mean of the Likert answers, 2 decimals.
    pub fn point_scale(&self) -> Option<f64> {
        let n: u64 = self.likert.iter().sum();
        let weighted: u64 = self
            .likert
            .iter()
            .enumerate()
            .map(|(i, c)| (i as u64 + 1) * c)
            .sum();
        hundredths(weighted, n)
    }

    /// Share of the responses offered a driver that ticked it, percent.
    pub fn share(ticks: u64, offered: u64) -> Option<f64> {
        hundredths(ticks * 100, offered)
    }

    /// The most ticked drivers of one side, most first (ties in driver order).
    pub fn top(&self, positive: bool, n: usize) -> Vec<&'static str> {
        let ticks = if positive {
            &self.positive
        } else {
            &self.negative
        };
        let mut order: Vec<usize> = (0..7).filter(|&d| ticks[d] > 0).collect();
        order.sort_by_key(|&d| std::cmp::Reverse(ticks[d]));
        order.into_iter().take(n).map(|d| DRIVERS[d]).collect()
    }
}

/// A survey's counts, with its type and how the type was settled.
#[derive(Debug, Clone)]
pub struct TrustCounts {
    pub tally: TrustTally,
    pub survey_type: SurveyType,
    pub type_source: TypeSource,
}

impl Default for TrustCounts {
    fn default() -> Self {
        TrustCounts {
            tally: TrustTally::default(),
            survey_type: SurveyType::ThumbsUpDown,
            type_source: TypeSource::Assumed,
        }
    }
}

impl TrustCounts {
    pub fn results(&self) -> TrustResults {
        self.tally.results(self.survey_type)
    }
}

impl Counted for TrustCounts {
    fn respondents(&self) -> u64 {
        self.tally.rows
    }
}

/// Results over several surveys: one service, or all.
#[derive(Debug, Clone, Default)]
pub struct TrustRollup {
    pub name: String,
    pub surveys: usize,
    pub results: TrustResults,
    pub offered: Option<u64>,
}

/// Results per service (in order of first appearance) and overall. Surveys
/// of both types add up: each survey's answers are first read as positive
/// or negative by its own type.
pub fn rollups(rows: &[TemplateRow<TrustCounts>]) -> (Vec<TrustRollup>, TrustRollup) {
    let rollup = |name: String, members: &mut dyn Iterator<Item = &TemplateRow<TrustCounts>>| {
        let mut r = TrustRollup {
            name,
            ..TrustRollup::default()
        };
        for row in members {
            let offered = row.entry.volume_of_customers_provided_survey_opportunity;
            r.offered = add_offered(r.surveys, r.offered, offered);
            r.surveys += 1;
            r.results.merge(&row.tally.results());
        }
        r
    };
    let services = by_service(rows)
        .into_iter()
        .map(|(name, members)| rollup(name, &mut members.iter().map(|&i| &rows[i])))
        .collect();
    (
        services,
        rollup("All services".to_string(), &mut rows.iter()),
    )
}

/// Receives each valid response of the quarter, with the 17 upload cells as
/// written.
pub trait ResponseSink {
    fn response(
        &mut self,
        survey: usize,
        key: &SurveyKey,
        cells: &[Cow<'_, str>],
    ) -> anyhow::Result<()>;
}

pub struct Outcome {
    pub inputs: Vec<InputStats>,
    /// In order of first appearance (`ResponseSink` survey indices).
    pub surveys: Vec<(SurveyKey, TrustCounts)>,
}

struct Fields {
    service: usize,
    transaction_point: usize,
    channel: usize,
    external_id: usize,
    question_1: usize,
    drivers: [usize; 14],
    question_4: usize,
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
            upload: resolved,
        })
    }
}

/// What the pass keeps across rows.
#[derive(Default)]
struct Pass {
    states: Vec<State>,
    /// Match key → index into `states`.
    index: FastMap<String, usize>,
    /// Survey keys exactly as written → index into `states`.
    spelled: FastMap<String, usize>,
    /// Reused for each row's match key.
    key_buf: String,
    /// Inputs without survey keys: (input index, the survey name used).
    keyless: Vec<(u64, String)>,
}

impl Pass {
    /// Note a row of an input without survey keys; warn once per input.
    fn keyless_file(&mut self, check: &mut RowCheck<'_>, service: usize) {
        let file = check.file_index();
        if self.keyless.last().is_some_and(|(f, _)| *f == file) {
            return;
        }
        let stem = file_stem(check.file_name(file));
        self.keyless.push((file, stem));
        check.report(Kind::NoSurveyKeys, Severity::Warning, Some(service), None, || {
            "no service, transaction point or channel for this file: its rows are counted as one survey named after the file. Give them with --set service=... --set transaction_point=... --set channel=...".to_string()
        });
    }
}

/// Per-survey state during the pass.
struct State {
    key: SurveyKey,
    tally: TrustTally,
    declared: Option<SurveyType>,
    decided: Option<(SurveyType, TypeSource)>,
    /// Hash of each external_id → (input index, row) where first seen.
    ids: FastMap<u64, (u64, u64)>,
    /// Per driver cell: where it was first seen not offered, and offered.
    offer: [(Option<Position>, Option<Position>, bool); 14],
}

impl State {
    fn survey_type(&self) -> Option<SurveyType> {
        self.declared.or(self.decided.as_ref().map(|(t, _)| *t))
    }
}

/// Read, check and count every input. `declared` gives survey types from the
/// manifest, by the survey's match key.
pub fn run(
    inputs: crate::responses::Inputs<'_>,
    checker: &mut Checker,
    options: Options,
    declared: &HashMap<String, SurveyType>,
    mut sink: Option<&mut dyn ResponseSink>,
    findings: &mut Findings,
) -> Result<Outcome> {
    let fields = Fields::of(checker).map_err(Failure::usage)?;
    let mut pass = Pass::default();
    let mut sink_error: Option<anyhow::Error> = None;
    let stats = read_inputs(inputs, checker, options, findings, &mut |check, input| {
        let Some(survey) = read_row(check, &fields, input, &mut pass, declared) else {
            return;
        };
        if let Some(sink) = sink.as_deref_mut()
            && sink_error.is_none()
        {
            // The upload cells as written, on the stack.
            let cells: [Cow<'_, str>; UPLOAD_COLUMNS.len()] =
                std::array::from_fn(|i| check.raw(fields.upload[i]));
            if let Err(e) = sink.response(survey, &pass.states[survey].key, &cells) {
                sink_error = Some(e);
            }
        }
    })?;
    if let Some(e) = sink_error {
        return Err(Failure::output(e));
    }
    let surveys = pass
        .states
        .into_iter()
        .map(|s| {
            let (survey_type, type_source) = match (s.declared, s.decided) {
                (Some(t), _) => (t, TypeSource::Manifest),
                (None, Some(d)) => d,
                (None, None) => (SurveyType::ThumbsUpDown, TypeSource::Assumed),
            };
            (
                s.key,
                TrustCounts {
                    tally: s.tally,
                    survey_type,
                    type_source,
                },
            )
        })
        .collect();
    Ok(Outcome {
        inputs: stats,
        surveys,
    })
}

/// Check and count one row; its survey's index when the row is valid.
fn read_row(
    check: &mut RowCheck<'_>,
    f: &Fields,
    input: &mut InputStats,
    pass: &mut Pass,
    declared: &HashMap<String, SurveyType>,
) -> Option<usize> {
    // Survey keys: columns or constants; an upload file without them is one
    // survey named after the file.
    let keyless = !check.is_bound(f.service);
    let service = if keyless {
        pass.keyless_file(check, f.service);
        Value::Missing
    } else {
        check.value(f.service)
    };
    let transaction_point = code_index(check, f.transaction_point);
    let channel = code_index(check, f.channel);
    let id = check.value(f.external_id);
    let q1 = check.value(f.question_1);
    let mut drivers: Drivers = [None; 14];
    for (slot, &field) in drivers.iter_mut().zip(&f.drivers) {
        if let Value::Int(v) = check.value(field) {
            *slot = Some(v as u8);
        }
    }
    check.value(f.question_4);
    let service: &str = match &service {
        Value::Text(t) => t.trim(),
        _ if keyless => &pass.keyless.last().expect("recorded above").1,
        _ => "",
    };
    let Value::Int(q1) = q1 else {
        input.rows_invalid += 1;
        return None;
    };
    if check.errors > 0 {
        input.rows_invalid += 1;
        return None;
    }
    let q1 = q1 as u8;
    let code = |field: usize, i: Option<usize>| i.map_or("", |i| check.code_of(field, i));
    let (tp, ch) = (
        code(f.transaction_point, transaction_point),
        code(f.channel, channel),
    );
    // Most rows repeat a spelling seen before: look it up as written first.
    pass.key_buf.clear();
    for part in [service, tp, ch] {
        pass.key_buf.push_str(part);
        pass.key_buf.push('\u{1f}');
    }
    let spelled = pass.spelled.get(pass.key_buf.as_str()).copied();
    let spelling = spelled.is_none().then(|| pass.key_buf.clone());
    if spelled.is_none() {
        write_match_key(&mut pass.key_buf, service, tp, ch);
    }
    let survey = match spelled.or_else(|| pass.index.get(pass.key_buf.as_str()).copied()) {
        Some(i) => i,
        None => {
            pass.states.push(State {
                declared: declared.get(&pass.key_buf).copied(),
                key: SurveyKey {
                    service: service.to_string(),
                    touchpoint: tp.to_string(),
                    channel: ch.to_string(),
                },
                tally: TrustTally::default(),
                decided: None,
                ids: FastMap::default(),
                offer: Default::default(),
            });
            pass.index
                .insert(pass.key_buf.clone(), pass.states.len() - 1);
            pass.states.len() - 1
        }
    };
    if let Some(spelling) = spelling {
        pass.spelled.insert(spelling, survey);
    }
    let state = &mut pass.states[survey];
    if let Value::Text(id) = &id {
        let mut h = DefaultHasher::new();
        id.hash(&mut h);
        let here = (check.file_index(), check.line);
        match state.ids.get(&h.finish()) {
            Some(&(first_file, first_row)) => {
                let first = if first_file == here.0 {
                    format!("row {first_row}")
                } else {
                    format!("row {first_row} of {}", check.file_name(first_file))
                };
                let id = id.to_string();
                check.report(Kind::UniqueError, Severity::Error, Some(f.external_id), Some(&id), || {
                    format!("external_id {id:?} was already used in this survey ({first}); each response must appear once")
                });
            }
            None => {
                state.ids.insert(h.finish(), here);
            }
        }
    }
    check_survey_type(check, f, state, q1);
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
    Some(survey)
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

/// A Likert answer in a thumbs survey, or 0 in a Likert survey, is an error;
/// an undecided survey is decided by the first answer only one type allows.
fn check_survey_type(check: &mut RowCheck<'_>, f: &Fields, state: &mut State, q1: u8) {
    match state.survey_type() {
        Some(t) if t.is_positive(q1).is_none() => {
            let how = match (&state.declared, &state.decided) {
                (Some(_), _) => "the services manifest says".to_string(),
                (None, Some((_, TypeSource::Answer { file, row, value }))) => {
                    format!("answer {value} in row {row} of {file} showed")
                }
                _ => "it is".to_string(),
            };
            let shown = q1.to_string();
            check.report(Kind::SurveyType, Severity::Error, Some(f.question_1), Some(&shown), || {
                format!(
                    "{q1} is not an answer of a {} survey, which {how} this is; thumbs surveys answer 1 or 0, Likert surveys 1-5",
                    t.code()
                )
            });
        }
        None => {
            if let Some(t) = SurveyType::proven_by(q1) {
                let at = check.position(None);
                state.decided = Some((
                    t,
                    TypeSource::Answer {
                        file: at.file.to_string(),
                        row: check.line,
                        value: q1,
                    },
                ));
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thumbs_and_likert_results() {
        let mut t = TrustTally::default();
        let mut d: Drivers = [Some(0); 14];
        d[0] = Some(1); // positive effectiveness
        t.add(1, &d);
        t.add(1, &d);
        let mut n: Drivers = [None; 14];
        n[8] = Some(1); // negative ease
        t.add(0, &n);
        let r = t.results(SurveyType::ThumbsUpDown);
        assert_eq!(
            (r.respondents, r.trust_positive, r.trust_negative),
            (3, 2, 1)
        );
        assert_eq!(r.positive[0], 2);
        assert_eq!(r.positive_offered[0], 2);
        assert_eq!(
            (r.negative[1], r.negative_offered[1], r.negative_offered[0]),
            (1, 1, 0)
        );
        assert_eq!(r.trust_positive_share(), Some(66.67));
        assert_eq!(r.top(true, 3), vec!["effectiveness"]);

        let mut l = TrustTally::default();
        for a in [1, 2, 3, 4, 5, 5] {
            l.add(a, &[None; 14]);
        }
        let r = l.results(SurveyType::LikertScale);
        assert_eq!((r.trust_positive, r.trust_negative), (3, 3));
        assert_eq!(r.likert, [1, 1, 1, 1, 2]);
        assert_eq!(r.point_scale(), Some(3.33));
    }

    #[test]
    fn answers_prove_types() {
        assert_eq!(SurveyType::proven_by(0), Some(SurveyType::ThumbsUpDown));
        assert_eq!(SurveyType::proven_by(1), None);
        assert_eq!(SurveyType::proven_by(4), Some(SurveyType::LikertScale));
        assert_eq!(SurveyType::LikertScale.is_positive(0), None);
        assert_eq!(SurveyType::ThumbsUpDown.is_positive(3), None);
    }
}
