//! The aggregate as CSV (one row per scope and question: tidy, for pivot
//! tables) or JSON (nested, for programs).

use serde::Serialize;
use std::io::{self, Write};

use crate::aggregate::{QUESTION_KEYS, QuestionStats, Rollup, Tally, questions_in_use, round_to};
use crate::fiscal::Quarter;
use crate::manifest::TemplateRow;
use crate::output::neutralize;

struct Scope<'a> {
    level: &'static str,
    service: &'a str,
    touchpoint: &'a str,
    channel: &'a str,
    tally: &'a Tally,
    offered: Option<u64>,
    response_rate: Option<f64>,
}

fn scopes<'a>(
    rows: &'a [TemplateRow],
    services: &'a [Rollup],
    overall: &'a Rollup,
) -> Vec<Scope<'a>> {
    let mut out: Vec<Scope> = rows
        .iter()
        .map(|r| Scope {
            level: "survey",
            service: &r.entry.key.service,
            touchpoint: &r.entry.key.touchpoint,
            channel: &r.entry.key.channel,
            tally: &r.tally,
            offered: r.entry.volume_of_customers_provided_survey_opportunity,
            response_rate: r.response_rate().map(|p| round_to(p, 4)),
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
            tally: &r.tally,
            offered: r.offered,
            response_rate: r.response_rate().map(|p| round_to(p, 4)),
        });
    }
    out
}

fn opt<T: ToString>(v: Option<T>) -> String {
    v.map(|v| v.to_string()).unwrap_or_default()
}

pub fn aggregate_csv(
    rows: &[TemplateRow],
    services: &[Rollup],
    overall: &Rollup,
    out: &mut dyn Write,
) -> io::Result<()> {
    let mut w = csv::Writer::from_writer(out);
    w.write_record([
        "scope",
        "service",
        "touchpoint",
        "channel",
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
    ])?;
    let questions = questions_in_use(rows.iter().map(|r| &r.tally));
    for s in scopes(rows, services, overall) {
        for &q in &questions {
            let stats = s.tally.question(q);
            let mut record = vec![
                s.level.to_string(),
                neutralize(s.service).into_owned(),
                neutralize(s.touchpoint).into_owned(),
                s.channel.to_string(),
                s.tally.respondents.to_string(),
                opt(s.offered),
                opt(s.response_rate),
                (q + 1).to_string(),
                QUESTION_KEYS[q].to_string(),
            ];
            record.extend(stats.counts.iter().map(u64::to_string));
            record.push(stats.response_volume.to_string());
            record.push(opt(stats.point_scale));
            record.push(opt(stats.percent_agree));
            w.write_record(&record)?;
        }
    }
    w.flush()
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
    respondents: u64,
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

pub fn aggregate_json(
    quarter: Option<Quarter>,
    rows: &[TemplateRow],
    services: &[Rollup],
    overall: &Rollup,
    out: &mut dyn Write,
) -> io::Result<()> {
    let questions = questions_in_use(rows.iter().map(|r| &r.tally));
    let all: Vec<ScopeJson> = scopes(rows, services, overall)
        .into_iter()
        .map(|s| ScopeJson {
            scope: s.level,
            service: s.service,
            touchpoint: s.touchpoint,
            channel: s.channel,
            respondents: s.tally.respondents,
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
        quarter: Option<super::QuarterJson>,
        surveys: Vec<ScopeJson<'a>>,
        services: Vec<ScopeJson<'a>>,
        overall: Option<ScopeJson<'a>>,
    }
    let doc = Doc {
        quarter: quarter.map(super::QuarterJson::from),
        surveys,
        services,
        overall: overall.into_iter().next(),
    };
    serde_json::to_writer_pretty(&mut *out, &doc)?;
    writeln!(out)
}
