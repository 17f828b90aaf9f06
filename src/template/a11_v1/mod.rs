//! A-11 v1 (to FY2023): seven questions on a 1-5 scale (satisfaction,
//! trust, effectiveness, ease, efficiency, transparency, employee) and four
//! optional ones, counted per survey (service × touchpoint × channel). It
//! publishes the `Quarterly Data` table OMB publishes, `Question Detail`
//! and a `Summary`.

pub(crate) mod edition;
mod history;
mod sheets;
mod tables;
pub(crate) mod tally;

use std::io::{self, Write};

use super::{Published, Template};
use crate::check::findings::{Findings, Kind, Severity};
use crate::check::input::InputStats;
use crate::check::{Checker, RowCheck, Value};
use crate::error::{Error, Result};
use crate::fiscal::Quarter;
use crate::schema::Schema;
use crate::tally::Surveys;
use crate::tally::manifest::{self, Counted, Manifest, TemplateRow};
use crate::tally::rollup::rollups;
use crate::write::Table;
use crate::write::document::Document;
use crate::write::workbook::Common;
use tally::{Answers, QUESTIONS, Rollup, Tally, is_respondent};

/// Schema fields the rules read, by index.
struct Fields {
    response_id: Option<usize>,
    service: usize,
    touchpoint: usize,
    channel: usize,
    survey_id: Option<usize>,
    /// (field, question number 1…11)
    questions: Vec<(usize, usize)>,
}

/// The A-11 v1 pass: a tally per survey.
pub(crate) struct A11V1 {
    fields: Fields,
    surveys: Surveys<Tally>,
    min_n: u64,
}

impl Template for A11V1 {
    fn start(
        checker: &Checker,
        _manifest: Option<&Manifest>,
        _spool: Option<crate::write::spool::Spool>,
    ) -> Result<Self> {
        let schema = &checker.schema;
        let questions = schema
            .fields
            .iter()
            .enumerate()
            .filter_map(|(i, f)| f.question.as_ref().map(|q| (i, q.number as usize)))
            .filter(|(_, n)| (1..=QUESTIONS).contains(n))
            .collect();
        let fields = Fields {
            response_id: schema.index_of("response_id"),
            service: schema.require("service").map_err(Error::config)?,
            touchpoint: schema.require("touchpoint").map_err(Error::config)?,
            channel: schema.require("channel").map_err(Error::config)?,
            survey_id: schema.index_of("survey_id"),
            questions,
        };
        Ok(A11V1 {
            fields,
            surveys: Surveys::new("touchpoint"),
            min_n: checker.min_n,
        })
    }

    fn row(&mut self, check: &mut RowCheck<'_>, input: &mut InputStats) -> Result<()> {
        let fields = &self.fields;
        if let Some(f) = fields.response_id {
            check.value(f);
        }
        let service = check.value(fields.service);
        let touchpoint = check.value(fields.touchpoint);
        let channel = check.value(fields.channel);
        let survey_id = crate::check::text_or_blank(check, fields.survey_id);
        let mut answers: Answers = [None; QUESTIONS];
        for &(field, number) in &fields.questions {
            if let Value::Int(v) = check.value(field) {
                answers[number - 1] = answer(check, field, v);
            }
        }
        if check.errors > 0 {
            input.rows_invalid += 1;
            return Ok(());
        }
        let (Value::Text(service), Value::Text(touchpoint), Value::Code(channel)) =
            (service, touchpoint, channel)
        else {
            // Unreachable: blank or invalid keys were reported as errors above.
            input.rows_invalid += 1;
            return Ok(());
        };
        if is_respondent(&answers) {
            input.respondents += 1;
        } else {
            input.rows_empty += 1;
            check.report(Kind::EmptyResponse, Severity::Warning, None, None, || {
                "none of the seven A-11 questions is answered; the row is not counted as a respondent".to_string()
            });
        }
        let channel = check.code_of(fields.channel, channel);
        let at = || check.position(None);
        let i = self
            .surveys
            .find([&service, &touchpoint, channel, &survey_id], at, |_| {
                Tally::default()
            });
        self.surveys.get_mut(i).1.add(&answers);
        Ok(())
    }

    fn finish(
        self,
        manifest: Option<&Manifest>,
        findings: &mut Findings,
        _notes: &mut Vec<String>,
    ) -> Result<Box<dyn Published>> {
        let mut surveys = self.surveys.finish(findings);
        surveys.sort_by_cached_key(|(key, _)| (key.match_key(), key.clone()));
        let rows = manifest::join(manifest, surveys, findings);
        let (services, overall) = rollups(&rows, Tally::clone);
        Ok(Box::new(Results {
            rows,
            services,
            overall,
            min_n: self.min_n,
        }))
    }
}

impl Counted for Tally {
    fn respondents(&self) -> u64 {
        self.respondents
    }
}

/// The counted surveys, joined to the manifest, and their roll-ups.
pub(crate) struct Results {
    rows: Vec<TemplateRow<Tally>>,
    services: Vec<Rollup>,
    overall: Rollup,
    /// Respondents below which a scope is flagged small-n.
    min_n: u64,
}

impl Published for Results {
    fn shares(&self) -> Vec<crate::template::ScopeShares> {
        let measures = |t: &Tally| {
            (0..tally::CORE_QUESTIONS)
                .map(|q| {
                    let c = t.counts[q];
                    crate::template::Measure {
                        name: tally::QUESTION_KEYS[q],
                        count: c[3] + c[4],
                        of: c.iter().sum(),
                        driver: false,
                    }
                })
                .collect()
        };
        let mut out: Vec<crate::template::ScopeShares> = self
            .rows
            .iter()
            .map(|r| crate::template::ScopeShares {
                scope: "survey",
                names: r.entry.key.parts().map(String::from),
                respondents: r.tally.respondents,
                measures: measures(&r.tally),
            })
            .collect();
        out.extend(crate::template::rollup_shares(
            &self.services,
            &self.overall,
            |t| t.respondents,
            measures,
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

    fn main_table(&self, quarter: Quarter, schema: &Schema) -> (&'static str, Table) {
        (
            "quarterly-data",
            tables::quarterly_data(self, quarter, schema),
        )
    }

    fn document(&self, common: &Common<'_>) -> Document<'_> {
        sheets::document(self, common)
    }
}

/// Respondents ÷ customers offered the survey, as a percentage.
fn response_rate(row: &TemplateRow<Tally>) -> Option<f64> {
    let offered = row.entry.volume_of_customers_provided_survey_opportunity?;
    crate::tally::rollup::response_rate(row.tally.respondents, offered)
}

/// An answer as counted: 1 to 5. A schema given with `--schema` may allow
/// other numbers, which no share can hold: an error, as the trust
/// question's are in A-11 v2, not a row counted with nothing tallied.
fn answer(check: &mut RowCheck<'_>, field: usize, v: i64) -> Option<u8> {
    match u8::try_from(v) {
        Ok(a @ 1..=5) => Some(a),
        _ => {
            let shown = v.to_string();
            check.report(Kind::LikertOutOfScale, Severity::Error, Some(field), Some(&shown), || {
                format!("{v} is not an answer A-11 v1 counts: its questions are answered 1 to 5 (the schema given allows {v}, but no share can hold it); recode the scale with the mapping file's [scales]")
            });
            None
        }
    }
}
