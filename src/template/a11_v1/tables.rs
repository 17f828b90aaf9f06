//! The aggregate as CSV (one row per scope and question: tidy, for pivot
//! tables) or JSON (nested, for programs).

use serde::Serialize;
use std::io::{self, Write};

use super::tally::{
    QUESTION_KEYS, QUESTIONS, QuestionStats, Tally, questions_in_use, rollup_response_rate,
};
use super::{Results, response_rate};
use crate::fiscal::Quarter;
use crate::schema::Schema;
use crate::tally::any_survey_id;
use crate::tally::rollup::round_to;
use crate::write::Table;
use crate::write::{OutCell, QuarterJson, csv_to, neutralize};

struct Scope<'a> {
    level: &'static str,
    service: &'a str,
    touchpoint: &'a str,
    channel: &'a str,
    survey_id: &'a str,
    tally: &'a Tally,
    offered: Option<u64>,
    response_rate: Option<f64>,
}

fn scopes(r: &Results) -> Vec<Scope<'_>> {
    let (rows, services, overall) = (&r.rows, &r.services, &r.overall);
    let mut out: Vec<Scope> = rows
        .iter()
        .map(|r| Scope {
            level: "survey",
            service: &r.entry.key.service,
            touchpoint: &r.entry.key.touchpoint,
            channel: &r.entry.key.channel,
            survey_id: &r.entry.key.survey_id,
            tally: &r.tally,
            offered: r.entry.volume_of_customers_provided_survey_opportunity,
            response_rate: response_rate(r).map(|p| round_to(p, 4)),
        })
        .collect();
    for (level, r) in services
        .iter()
        .map(|r| ("service", r))
        .chain([("overall", overall)])
    {
        out.push(Scope {
            level,
            service: if level == "overall" { "" } else { &r.name },
            touchpoint: "",
            channel: "",
            survey_id: "",
            tally: &r.results,
            offered: r.offered,
            response_rate: rollup_response_rate(r).map(|p| round_to(p, 4)),
        });
    }
    out
}

fn opt<T: ToString>(v: Option<T>) -> String {
    v.map(|v| v.to_string()).unwrap_or_default()
}

pub(super) fn aggregate_csv(results: &Results, out: &mut dyn Write) -> io::Result<()> {
    let ids = any_survey_id(results.rows.iter().map(|r| &r.entry.key));
    csv_to(out, |w| {
        let mut header = vec!["scope", "service", "touchpoint", "channel"];
        if ids {
            header.push("survey_id");
        }
        header.extend([
            "respondents",
            "volume_of_customers_provided_survey_opportunity",
            "response_rate",
            "question_number",
            "question",
            "likert_1",
            "likert_2",
            "likert_3",
            "likert_4",
            "likert_5",
            "response_volume",
            "point_scale",
            "percent_agree",
            "agree_ci_low",
            "agree_ci_high",
            "small_n",
        ]);
        w.write_record(header)?;
        let questions = questions_in_use(results.rows.iter().map(|r| &r.tally));
        for s in scopes(results) {
            for &q in &questions {
                let stats = s.tally.question(q);
                let mut record = vec![
                    s.level.to_string(),
                    neutralize(s.service).into_owned(),
                    neutralize(s.touchpoint).into_owned(),
                    s.channel.to_string(),
                ];
                if ids {
                    record.push(neutralize(s.survey_id).into_owned());
                }
                record.extend([
                    s.tally.respondents.to_string(),
                    opt(s.offered),
                    opt(s.response_rate),
                    (q + 1).to_string(),
                    QUESTION_KEYS[q].to_string(),
                ]);
                record.extend(stats.counts.iter().map(u64::to_string));
                record.push(stats.response_volume.to_string());
                record.push(opt(stats.point_scale));
                record.push(opt(stats.percent_agree));
                record.push(opt(stats.agree_ci_low));
                record.push(opt(stats.agree_ci_high));
                record.push((s.tally.respondents < results.min_n).to_string());
                w.write_record(&record)?;
            }
        }
        Ok(())
    })
}

#[derive(Serialize)]
struct ScopeJson<'a> {
    scope: &'static str,
    #[serde(skip_serializing_if = "str::is_empty")]
    service: &'a str,
    #[serde(skip_serializing_if = "str::is_empty")]
    touchpoint: &'a str,
    #[serde(skip_serializing_if = "str::is_empty")]
    channel: &'a str,
    #[serde(skip_serializing_if = "str::is_empty")]
    survey_id: &'a str,
    respondents: u64,
    /// Fewer respondents than `--min-n`: the shares' intervals are wide.
    small_n: bool,
    rows: u64,
    volume_of_customers_provided_survey_opportunity: Option<u64>,
    response_rate: Option<f64>,
    questions: Vec<QuestionJson>,
}

#[derive(Serialize)]
struct QuestionJson {
    number: usize,
    question: &'static str,
    #[serde(flatten)]
    stats: QuestionStats,
}

pub(super) fn aggregate_json(
    quarter: Option<Quarter>,
    results: &Results,
    out: &mut dyn Write,
) -> io::Result<()> {
    let questions = questions_in_use(results.rows.iter().map(|r| &r.tally));
    let all: Vec<ScopeJson> = scopes(results)
        .into_iter()
        .map(|s| ScopeJson {
            scope: s.level,
            service: s.service,
            touchpoint: s.touchpoint,
            channel: s.channel,
            survey_id: s.survey_id,
            respondents: s.tally.respondents,
            small_n: s.tally.respondents < results.min_n,
            rows: s.tally.rows,
            volume_of_customers_provided_survey_opportunity: s.offered,
            response_rate: s.response_rate,
            questions: questions
                .iter()
                .map(|&q| QuestionJson {
                    number: q + 1,
                    question: QUESTION_KEYS[q],
                    stats: s.tally.question(q),
                })
                .collect(),
        })
        .collect();
    let (surveys, rest): (Vec<_>, Vec<_>) = all.into_iter().partition(|s| s.scope == "survey");
    let (services, overall): (Vec<_>, Vec<_>) =
        rest.into_iter().partition(|s| s.scope == "service");
    #[derive(Serialize)]
    struct Doc<'a> {
        #[serde(flatten)]
        quarter: Option<QuarterJson>,
        surveys: Vec<ScopeJson<'a>>,
        services: Vec<ScopeJson<'a>>,
        overall: Option<ScopeJson<'a>>,
    }
    let doc = Doc {
        quarter: quarter.map(QuarterJson::from),
        surveys,
        services,
        overall: overall.into_iter().next(),
    };
    serde_json::to_writer_pretty(&mut *out, &doc)?;
    writeln!(out)
}

/// The `Quarterly Data` table (also written as CSV by `--csv`): the columns
/// in the order OMB publishes them, and `survey_id` after the channel where
/// the inputs name surveys.
pub(super) fn quarterly_data(results: &Results, quarter: Quarter, schema: &Schema) -> Table {
    let ids = any_survey_id(results.rows.iter().map(|r| &r.entry.key));
    Table {
        header: quarterly_data_header(),
        rows: quarterly_data_rows(results, quarter, schema),
    }
    .with_survey_ids_if(ids)
}

fn quarterly_data_header() -> Vec<String> {
    let mut h: Vec<String> = [
        "collection_year",
        "collection_quarter",
        "organization_name",
        "organization_abbreviation",
        "service_provider_name",
        "service_provided",
        "service_name",
        "transaction_point",
        "channel",
        "survey_id",
        "volume_of_customers",
        "volume_of_customers_provided_survey_opportunity",
        "volume_of_respondents",
        "omb_control_number",
        "federal_register_url",
    ]
    .map(String::from)
    .to_vec();
    for q in 1..=QUESTIONS {
        h.push(format!("q{q}_text"));
        h.extend((1..=5).map(|k| format!("q{q}_{k}")));
    }
    h.push("operational_metrics".into());
    h
}

fn quarterly_data_rows(results: &Results, quarter: Quarter, schema: &Schema) -> Vec<Vec<OutCell>> {
    let in_use = questions_in_use(results.rows.iter().map(|r| &r.tally));
    let text = OutCell::text;
    let count = |v: Option<u64>| v.map_or(OutCell::Blank, OutCell::Count);
    results
        .rows
        .iter()
        .map(|r| {
            let e = &r.entry;
            let mut row = vec![
                OutCell::Count(quarter.fiscal_year() as u64),
                OutCell::Count(u64::from(quarter.quarter())),
                text(&e.organization_name),
                text(&e.organization_abbreviation),
                text(&e.service_provider_name),
                text(&e.service_provided),
                text(&e.key.service),
                text(&e.key.touchpoint),
                text(&e.key.channel),
                text(&e.key.survey_id),
                count(e.volume_of_customers),
                count(e.volume_of_customers_provided_survey_opportunity),
                OutCell::Count(r.tally.respondents),
                text(&e.omb_control_number),
                text(&e.federal_register_url),
            ];
            for q in 0..QUESTIONS {
                let given = e.detail(&format!("q{}_text", q + 1)).map(str::to_string);
                if in_use.contains(&q) || given.is_some() {
                    row.push(OutCell::Text(question_text(
                        schema,
                        q,
                        given,
                        &e.key.service,
                    )));
                    row.extend(r.tally.counts[q].iter().map(|n| OutCell::Count(*n)));
                } else {
                    row.extend(std::iter::repeat_n(OutCell::Blank, 6));
                }
            }
            row.push(text(&e.operational_metrics));
            row
        })
        .collect()
}

/// The text of question `q` (0-based): as fielded per the manifest, else the
/// schema's standard wording with the service name filled in.
pub(super) fn question_text(
    schema: &Schema,
    q: usize,
    given: Option<String>,
    service: &str,
) -> String {
    if let Some(t) = given {
        return t;
    }
    schema
        .fields
        .iter()
        .filter_map(|f| f.question.as_ref())
        .find(|question| question.number as usize == q + 1)
        .map(|question| question.text.replace("[Program/Service name]", service))
        .unwrap_or_default()
}
