//! A-11 v2 results as rows (shared by the workbook's Summary sheet and the
//! aggregate CSV) and as JSON.

use serde::Serialize;
use std::io::{self, Write};

use super::Results;
use super::tally::{DRIVERS, TrustCounts, TrustResults, TypeSource};
use crate::fiscal::Quarter;
use crate::write::Table;
use crate::write::{OutCell, QuarterJson, csv_to};

/// The Touchpoints collection detail fields, one row per survey.
const COLLECTION_DETAILS_HEADER: [&str; 13] = [
    "fiscal_year",
    "quarter",
    "service_name",
    "transaction_point",
    "channel",
    "survey_id",
    "volume_of_customers",
    "volume_of_customers_provided_survey_opportunity",
    "volume_of_respondents",
    "omb_control_number",
    "survey_type",
    "survey_title",
    "trust_question_text",
];

/// Whether any survey is told apart by a survey_id.
fn any_survey_id(results: &Results) -> bool {
    crate::tally::any_survey_id(results.rows.iter().map(|r| &r.entry.key))
}

/// The collection details (the sheet and `--csv`): `survey_id` only where
/// the inputs name surveys.
pub(super) fn collection_details(results: &Results, quarter: Quarter) -> Table {
    Table {
        header: COLLECTION_DETAILS_HEADER.map(String::from).to_vec(),
        rows: collection_details_rows(results, quarter),
    }
    .with_survey_ids_if(any_survey_id(results))
}

fn collection_details_rows(results: &Results, quarter: Quarter) -> Vec<Vec<OutCell>> {
    let text = OutCell::text;
    let count = |v: Option<u64>| v.map_or(OutCell::Blank, OutCell::Count);
    results
        .rows
        .iter()
        .map(|row| {
            let e = &row.entry;
            vec![
                OutCell::Plain(quarter.fiscal_year() as u64),
                OutCell::Plain(u64::from(quarter.quarter())),
                text(&e.key.service),
                text(&e.key.touchpoint),
                text(&e.key.channel),
                text(&e.key.survey_id),
                count(e.volume_of_customers),
                count(e.volume_of_customers_provided_survey_opportunity),
                OutCell::Count(row.tally.tally.rows),
                text(&e.omb_control_number),
                text(row.tally.survey_type.code()),
                text(e.detail("survey_title").unwrap_or_default()),
                text(e.detail("trust_question_text").unwrap_or_default()),
            ]
        })
        .collect()
}

/// The Summary (the sheet and `hisp aggregate`'s CSV): survey rows, then
/// one row per service, then the overall row; `survey_id` only where the
/// inputs name surveys.
pub(super) fn summary(results: &Results) -> Table {
    Table {
        header: summary_header(),
        rows: summary_rows(results),
    }
    .with_survey_ids_if(any_survey_id(results))
}

fn summary_header() -> Vec<String> {
    let mut h: Vec<String> = [
        "scope",
        "service_name",
        "transaction_point",
        "channel",
        "survey_id",
        "survey_type",
        "volume_of_respondents",
        "trust_positive",
        "trust_negative",
        "trust_positive_share",
        "trust_ci_low",
        "trust_ci_high",
        "small_n",
        "q1_1",
        "q1_2",
        "q1_3",
        "q1_4",
        "q1_5",
        "point_scale",
    ]
    .map(String::from)
    .to_vec();
    for side in ["positive", "negative"] {
        h.extend(DRIVERS.iter().map(|d| format!("{side}_{d}")));
    }
    for side in ["positive", "negative"] {
        h.extend(DRIVERS.iter().map(|d| format!("{side}_{d}_share")));
    }
    h.push("top_positive_drivers".into());
    h.push("top_negative_drivers".into());
    h
}

fn row(
    scope: &str,
    names: [&str; 4],
    survey_type: &str,
    r: &TrustResults,
    min_n: u64,
) -> Vec<OutCell> {
    let text = OutCell::text;
    let mut out = vec![text(scope)];
    out.extend(names.map(text));
    out.push(text(survey_type));
    out.extend([r.respondents, r.trust_positive, r.trust_negative].map(OutCell::Count));
    out.push(OutCell::percent(r.trust_positive_share()));
    let ci = r.trust_ci();
    out.push(OutCell::percent(ci.map(|c| c.0)));
    out.push(OutCell::percent(ci.map(|c| c.1)));
    out.push(text(if r.respondents < min_n { "yes" } else { "" }));
    let likert = r.likert_surveys > 0;
    for n in r.likert {
        out.push(if likert {
            OutCell::Count(n)
        } else {
            OutCell::Blank
        });
    }
    out.push(r.point_scale().map_or(OutCell::Blank, OutCell::Decimal));
    out.extend(
        r.positive
            .iter()
            .chain(&r.negative)
            .map(|n| OutCell::Count(*n)),
    );
    for d in 0..7 {
        out.push(OutCell::percent(TrustResults::share(
            r.positive[d],
            r.positive_offered[d],
        )));
    }
    for d in 0..7 {
        out.push(OutCell::percent(TrustResults::share(
            r.negative[d],
            r.negative_offered[d],
        )));
    }
    out.push(text(&r.top(true, 3).join(", ")));
    out.push(text(&r.top(false, 3).join(", ")));
    out
}

fn summary_rows(results: &Results) -> Vec<Vec<OutCell>> {
    let (services, overall) = (&results.services, &results.overall);
    let mut out: Vec<Vec<OutCell>> = results
        .rows
        .iter()
        .map(|r| {
            let k = &r.entry.key;
            row(
                "survey",
                k.parts(),
                r.tally.survey_type.code(),
                &r.tally.results(),
                results.min_n,
            )
        })
        .collect();
    for s in services {
        out.push(row(
            "service",
            [&s.name, "", "", ""],
            "",
            &s.results,
            results.min_n,
        ));
    }
    out.push(row(
        "overall",
        ["", "", "", ""],
        "",
        &overall.results,
        results.min_n,
    ));
    out
}

pub(super) fn aggregate_csv(results: &Results, out: &mut dyn Write) -> io::Result<()> {
    csv_to(out, |w| {
        let table = summary(results);
        w.write_record(&table.header)?;
        for r in table.rows {
            w.write_record(r.iter().map(OutCell::csv_field))?;
        }
        Ok(())
    })
}

#[derive(Serialize)]
struct Driver {
    count: u64,
    offered: u64,
    share: Option<f64>,
    /// The share's 95% Wilson interval, in percent.
    ci_low: Option<f64>,
    ci_high: Option<f64>,
}

#[derive(Serialize)]
struct ScopeJson<'a> {
    scope: &'static str,
    #[serde(skip_serializing_if = "str::is_empty")]
    service: &'a str,
    #[serde(skip_serializing_if = "str::is_empty")]
    transaction_point: &'a str,
    #[serde(skip_serializing_if = "str::is_empty")]
    channel: &'a str,
    #[serde(skip_serializing_if = "str::is_empty")]
    survey_id: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    survey_type: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    survey_type_from: Option<&'a TypeSource>,
    surveys: usize,
    volume_of_respondents: u64,
    volume_of_customers_provided_survey_opportunity: Option<u64>,
    trust_positive: u64,
    trust_negative: u64,
    trust_positive_share: Option<f64>,
    trust_ci_low: Option<f64>,
    trust_ci_high: Option<f64>,
    /// Fewer respondents than `--min-n`: the shares' intervals are wide.
    small_n: bool,
    likert: Option<[u64; 5]>,
    point_scale: Option<f64>,
    positive: std::collections::BTreeMap<&'static str, Driver>,
    negative: std::collections::BTreeMap<&'static str, Driver>,
    top_positive_drivers: Vec<&'static str>,
    top_negative_drivers: Vec<&'static str>,
}

fn scope_json<'a>(
    scope: &'static str,
    names: [&'a str; 4],
    typed: Option<&'a TrustCounts>,
    surveys: usize,
    offered: Option<u64>,
    r: &TrustResults,
    min_n: u64,
) -> ScopeJson<'a> {
    let drivers = |ticks: &[u64; 7], offered: &[u64; 7]| {
        (0..7)
            .map(|d| {
                (DRIVERS[d], {
                    let ci = crate::stats::wilson_percent(ticks[d], offered[d]);
                    Driver {
                        count: ticks[d],
                        offered: offered[d],
                        share: TrustResults::share(ticks[d], offered[d]),
                        ci_low: ci.map(|c| c.0),
                        ci_high: ci.map(|c| c.1),
                    }
                })
            })
            .collect()
    };
    ScopeJson {
        scope,
        service: names[0],
        transaction_point: names[1],
        channel: names[2],
        survey_id: names[3],
        survey_type: typed.map(|t| t.survey_type.code()),
        survey_type_from: typed.map(|t| &t.type_source),
        surveys,
        volume_of_respondents: r.respondents,
        volume_of_customers_provided_survey_opportunity: offered,
        trust_positive: r.trust_positive,
        trust_negative: r.trust_negative,
        trust_positive_share: r.trust_positive_share(),
        trust_ci_low: r.trust_ci().map(|c| c.0),
        trust_ci_high: r.trust_ci().map(|c| c.1),
        small_n: r.respondents < min_n,
        likert: (r.likert_surveys > 0).then_some(r.likert),
        point_scale: r.point_scale(),
        positive: drivers(&r.positive, &r.positive_offered),
        negative: drivers(&r.negative, &r.negative_offered),
        top_positive_drivers: r.top(true, 3),
        top_negative_drivers: r.top(false, 3),
    }
}

pub(super) fn aggregate_json(
    quarter: Option<Quarter>,
    results: &Results,
    out: &mut dyn Write,
) -> io::Result<()> {
    let (rows, services, overall) = (&results.rows, &results.services, &results.overall);
    #[derive(Serialize)]
    struct Doc<'a> {
        template: &'static str,
        #[serde(flatten)]
        quarter: Option<QuarterJson>,
        surveys: Vec<ScopeJson<'a>>,
        services: Vec<ScopeJson<'a>>,
        overall: ScopeJson<'a>,
    }
    let doc = Doc {
        template: "a11-v2",
        quarter: quarter.map(QuarterJson::from),
        surveys: rows
            .iter()
            .map(|r| {
                let k = &r.entry.key;
                scope_json(
                    "survey",
                    k.parts(),
                    Some(&r.tally),
                    1,
                    r.entry.volume_of_customers_provided_survey_opportunity,
                    &r.tally.results(),
                    results.min_n,
                )
            })
            .collect(),
        services: services
            .iter()
            .map(|s| {
                scope_json(
                    "service",
                    [&s.name, "", "", ""],
                    None,
                    s.surveys,
                    s.offered,
                    &s.results,
                    results.min_n,
                )
            })
            .collect(),
        overall: scope_json(
            "overall",
            ["", "", "", ""],
            None,
            overall.surveys,
            overall.offered,
            &overall.results,
            results.min_n,
        ),
    };
    serde_json::to_writer_pretty(&mut *out, &doc)?;
    writeln!(out)
}
