//! The filled HISP quarterly workbook, written with rust_xlsxwriter:
//! `Quarterly Data` (the published OMB columns, one row per survey),
//! `Question Detail`, `Summary` (with a chart), `Validation` and `About`.
//! The same inputs give the same bytes: document dates are pinned.

use rust_xlsxwriter::{Chart, ChartType, Worksheet, XlsxError};

use super::Results;
use super::tables::{self, question_text};
use super::tally::{
    CORE_QUESTIONS, QUESTION_KEYS, QuestionStats, Rollup, Tally, questions_in_use,
    rollup_response_rate,
};
use crate::tally::any_survey_id;
use crate::tally::manifest::TemplateRow;
use crate::write::OutCell;
use crate::write::WriteSeek;
use crate::write::workbook::{
    ABOUT, Common, PREVIOUS_QUARTER, Styles, VALIDATION, about, comparison, header, new_workbook,
    opt_number, styles, validation, write_cell,
};

const QUARTERLY_DATA: &str = "Quarterly Data";
const QUESTION_DETAIL: &str = "Question Detail";
const SUMMARY: &str = "Summary";

/// Everything the A-11 v1 workbook shows.
struct Contents<'a> {
    common: &'a Common<'a>,
    results: &'a Results,
    rows: &'a [TemplateRow<Tally>],
    services: &'a [Rollup],
    overall: &'a Rollup,
}

/// Build the A-11 v1 workbook and write it to `out`.
pub(super) fn write(
    results: &Results,
    common: &Common<'_>,
    out: &mut dyn WriteSeek,
) -> Result<(), XlsxError> {
    let c = &Contents {
        common,
        results,
        rows: &results.rows,
        services: &results.services,
        overall: &results.overall,
    };
    let mut wb = new_workbook(c.common.quarter, "A-11 v1");
    let s = styles();
    quarterly_data(wb.add_worksheet().set_name(QUARTERLY_DATA)?, c, &s)?;
    question_detail(wb.add_worksheet().set_name(QUESTION_DETAIL)?, c, &s)?;
    summary(wb.add_worksheet().set_name(SUMMARY)?, c, &s)?;
    if let Some(table) = c.common.comparison {
        comparison(wb.add_worksheet().set_name(PREVIOUS_QUARTER)?, table, &s)?;
    }
    validation(wb.add_worksheet().set_name(VALIDATION)?, c.common, &s)?;
    about(wb.add_worksheet().set_name(ABOUT)?, c.common, &s)?;
    wb.save_to_writer(out)
}

fn quarterly_data(ws: &mut Worksheet, c: &Contents, s: &Styles) -> Result<(), XlsxError> {
    let table = tables::quarterly_data(c.results, c.common.quarter, c.common.schema);
    header(ws, 0, &table.header, s)?;
    for (i, row) in table.rows.iter().enumerate() {
        let r = i as u32 + 1;
        for (col, field) in row.iter().enumerate() {
            match field {
                // Plain numbers: the template's years and counts, as OMB
                // publishes them (no thousands separators).
                OutCell::Count(n) => {
                    ws.write_number(r, col as u16, *n as f64)?;
                }
                other => write_cell(ws, r, col as u16, other, s)?,
            }
        }
    }
    ws.set_freeze_panes(1, 0)?;
    ws.set_column_range_width(0, 1, 10)?;
    ws.set_column_range_width(2, 8, 24)?;
    Ok(())
}

fn question_detail(ws: &mut Worksheet, c: &Contents, s: &Styles) -> Result<(), XlsxError> {
    // survey_id only where the inputs name surveys; the columns after it
    // move one to the right.
    let ids = any_survey_id(c.rows.iter().map(|r| &r.entry.key));
    let mut names = vec!["service_name", "transaction_point", "channel"];
    if ids {
        names.push("survey_id");
    }
    let k = names.len() as u16;
    names.extend([
        "standardized_question_number",
        "standardized_question_identifier",
        "customized_question_text",
        "likert_scale_1",
        "likert_scale_2",
        "likert_scale_3",
        "likert_scale_4",
        "likert_scale_5",
        "response_volume",
        "point_scale",
        "percent_agree",
    ]);
    header(ws, 0, &names, s)?;
    let in_use = questions_in_use(c.rows.iter().map(|r| &r.tally));
    let mut r = 1;
    for row in c.rows {
        for &q in &in_use {
            let e = &row.entry;
            let stats = row.tally.question(q);
            let given = e.question_texts.get(q).cloned().flatten();
            for (col, part) in e.key.parts()[..k as usize].iter().enumerate() {
                ws.write_string(r, col as u16, *part)?;
            }
            ws.write_number(r, k, (q + 1) as f64)?;
            ws.write_string(r, k + 1, QUESTION_KEYS[q])?;
            ws.write_string(
                r,
                k + 2,
                question_text(c.common.schema, q, given, &e.key.service),
            )?;
            for (i, n) in stats.counts.iter().enumerate() {
                ws.write_number(r, k + 3 + i as u16, *n as f64)?;
            }
            ws.write_number(r, k + 8, stats.response_volume as f64)?;
            opt_number(ws, r, k + 9, stats.point_scale, &s.decimal)?;
            opt_number(
                ws,
                r,
                k + 10,
                stats.percent_agree.map(|p| p / 100.0),
                &s.percent,
            )?;
            r += 1;
        }
    }
    ws.set_freeze_panes(1, 0)?;
    ws.set_column_range_width(0, k - 1, 22)?;
    ws.set_column_width(k + 2, 50)?;
    Ok(())
}

const DOMAINS: [&str; CORE_QUESTIONS] = [
    "Satisfaction",
    "Trust/Confidence",
    "Effectiveness",
    "Ease",
    "Efficiency",
    "Transparency",
    "Employee",
];

fn summary(ws: &mut Worksheet, c: &Contents, s: &Styles) -> Result<(), XlsxError> {
    ws.write_string_with_format(
        0,
        0,
        format!(
            "{} ({} to {})",
            c.common.quarter,
            c.common.quarter.start(),
            c.common.quarter.end()
        ),
        &s.title,
    )?;
    let mut names: Vec<String> = [
        "Scope",
        "Service",
        "Surveys",
        "Respondents",
        "Customers offered survey",
        "Response rate",
        "Small n",
    ]
    .map(String::from)
    .to_vec();
    for d in DOMAINS {
        names.push(format!("{d} point scale"));
        names.push(format!("{d} % agree"));
        names.push(format!("{d} % agree, 95% low"));
        names.push(format!("{d} % agree, 95% high"));
    }
    header(ws, 2, &names, s)?;
    let mut r = 3;
    for (scope, rollup) in c
        .services
        .iter()
        .map(|x| ("Service", x))
        .chain([("Overall", c.overall)])
    {
        ws.write_string(r, 0, scope)?;
        ws.write_string(r, 1, &rollup.name)?;
        ws.write_number(r, 2, rollup.surveys as f64)?;
        ws.write_number_with_format(r, 3, rollup.results.respondents as f64, &s.integer)?;
        opt_number(ws, r, 4, rollup.offered.map(|o| o as f64), &s.integer)?;
        opt_number(
            ws,
            r,
            5,
            rollup_response_rate(rollup).map(|p| p / 100.0),
            &s.percent,
        )?;
        let small = rollup.results.respondents < c.results.min_n;
        ws.write_string(r, 6, if small { "yes" } else { "" })?;
        for q in 0..CORE_QUESTIONS {
            let stats = rollup.results.question(q);
            let col = 7 + 4 * q as u16;
            opt_number(ws, r, col, stats.point_scale, &s.decimal)?;
            for (k, share) in [stats.percent_agree, stats.agree_ci_low, stats.agree_ci_high]
                .into_iter()
                .enumerate()
            {
                opt_number(
                    ws,
                    r,
                    col + 1 + k as u16,
                    share.map(|p| p / 100.0),
                    &s.percent,
                )?;
            }
        }
        r += 1;
    }
    ws.write_string(
        r,
        0,
        format!(
            "95% low/high: the Wilson score interval of % agree. Small n: fewer than {} respondents (--min-n); the shares are shown but their intervals are wide.",
            c.results.min_n
        ),
    )?;
    r += 1;
    // The answer distribution per domain, all services together, and a
    // percent-stacked bar chart of it.
    r += 1;
    ws.write_string_with_format(r, 0, "Answer distribution, all services", &s.title)?;
    r += 1;
    let table_top = r;
    header(
        ws,
        r,
        &[
            "Domain",
            "1 Strongly disagree",
            "2 Disagree",
            "3 Neutral",
            "4 Agree",
            "5 Strongly agree",
            "Responses",
        ],
        s,
    )?;
    for (q, domain) in DOMAINS.iter().enumerate() {
        let stats: QuestionStats = c.overall.results.question(q);
        let row = table_top + 1 + q as u32;
        ws.write_string(row, 0, *domain)?;
        for (k, n) in stats.counts.iter().enumerate() {
            ws.write_number_with_format(row, 1 + k as u16, *n as f64, &s.integer)?;
        }
        ws.write_number_with_format(row, 6, stats.response_volume as f64, &s.integer)?;
    }
    let last = table_top + CORE_QUESTIONS as u32;
    let mut chart = Chart::new(ChartType::BarPercentStacked);
    let title = format!("Answers by domain, {}", c.common.quarter);
    chart.title().set_name(title.as_str());
    let colors = ["#C00000", "#F4B183", "#D9D9D9", "#9DC3E6", "#2E75B6"];
    for (k, color) in colors.iter().enumerate() {
        let col = 1 + k as u16;
        chart
            .add_series()
            .set_name((SUMMARY, table_top, col))
            .set_categories((SUMMARY, table_top + 1, 0, last, 0))
            .set_values((SUMMARY, table_top + 1, col, last, col))
            .set_format(
                rust_xlsxwriter::ChartFormat::new()
                    .set_solid_fill(rust_xlsxwriter::ChartSolidFill::new().set_color(*color)),
            );
    }
    chart.y_axis().set_reverse();
    chart.set_width(720).set_height(360);
    ws.insert_chart(last + 2, 0, &chart)?;
    ws.set_landscape();
    ws.set_print_fit_to_pages(1, 0);
    ws.set_column_width(0, 22)?;
    ws.set_column_width(1, 28)?;
    ws.set_column_range_width(2, 6 + 4 * CORE_QUESTIONS as u16, 14)?;
    Ok(())
}
