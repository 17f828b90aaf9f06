//! The filled HISP quarterly workbook, written with rust_xlsxwriter:
//! `Quarterly Data` (the published OMB columns, one row per survey),
//! `Question Detail`, `Summary` (with a chart), `Validation` and `About`.
//! The same inputs give the same bytes: document dates are pinned.

use rust_xlsxwriter::{Chart, ChartType, DocProperties, Format, Workbook, Worksheet, XlsxError};

use crate::aggregate::{
    CORE_QUESTIONS, QUESTION_KEYS, QUESTIONS, QuestionStats, Rollup, questions_in_use,
};
use crate::fiscal::Quarter;
use crate::issue::{Issue, Severity};
use crate::manifest::{Manifest, TemplateRow};
use crate::render::OutCell;
use crate::responses::InputStats;
use crate::schema::Schema;

/// What every template's workbook shows in `Validation` and `About`.
pub struct Common<'a> {
    pub quarter: Quarter,
    pub inputs: &'a [InputStats],
    pub manifest: Option<&'a Manifest>,
    pub schema: &'a Schema,
    /// Warnings, then (with --skip-invalid) the errors of excluded rows.
    pub warnings: &'a [Issue],
    pub excluded: &'a [Issue],
    pub findings_truncated: bool,
    pub skip_invalid: bool,
    pub surveys: usize,
    pub respondents: u64,
}

/// Everything the A-11 v1 workbook shows.
pub struct Contents<'a> {
    pub common: Common<'a>,
    pub rows: &'a [TemplateRow],
    pub services: &'a [Rollup],
    pub overall: &'a Rollup,
}

pub const QUARTERLY_DATA: &str = "Quarterly Data";
pub const QUESTION_DETAIL: &str = "Question Detail";
pub const SUMMARY: &str = "Summary";
pub const VALIDATION: &str = "Validation";
pub const ABOUT: &str = "About";

/// Excel's last row index (0-based).
const EXCEL_MAX_ROW: u32 = 1_048_575;

/// The `Quarterly Data` header, in the order OMB publishes the columns.
pub fn quarterly_data_header() -> Vec<String> {
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

/// The `Quarterly Data` rows (also written as CSV by `--csv`).
pub fn quarterly_data_rows(c: &Contents) -> Vec<Vec<OutCell>> {
    let in_use = questions_in_use(c.rows.iter().map(|r| &r.tally));
    let text = |s: &str| OutCell::Text(s.to_string());
    let count = |v: Option<u64>| v.map_or(OutCell::Blank, OutCell::Count);
    c.rows
        .iter()
        .map(|r| {
            let e = &r.entry;
            let mut row = vec![
                OutCell::Count(c.common.quarter.fiscal_year as u64),
                OutCell::Count(u64::from(c.common.quarter.quarter)),
                text(&e.organization_name),
                text(&e.organization_abbreviation),
                text(&e.service_provider_name),
                text(&e.service_provided),
                text(&e.key.service),
                text(&e.key.touchpoint),
                text(&e.key.channel),
                count(e.volume_of_customers),
                count(e.volume_of_customers_provided_survey_opportunity),
                OutCell::Count(r.tally.respondents),
                text(&e.omb_control_number),
                text(&e.federal_register_url),
            ];
            for q in 0..QUESTIONS {
                let given = e.question_texts.get(q).cloned().flatten();
                if in_use.contains(&q) || given.is_some() {
                    row.push(OutCell::Text(question_text(
                        c.common.schema,
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
pub fn question_text(schema: &Schema, q: usize, given: Option<String>, service: &str) -> String {
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

pub(crate) struct Styles {
    pub header: Format,
    pub title: Format,
    pub integer: Format,
    pub decimal: Format,
    pub percent: Format,
    pub wrap: Format,
}

pub(crate) fn styles() -> Styles {
    Styles {
        header: Format::new()
            .set_bold()
            .set_background_color("#D9E1F2")
            .set_border_bottom(rust_xlsxwriter::FormatBorder::Thin),
        title: Format::new().set_bold().set_font_size(13),
        integer: Format::new().set_num_format("#,##0"),
        decimal: Format::new().set_num_format("0.00"),
        percent: Format::new().set_num_format("0.00%"),
        wrap: Format::new().set_text_wrap(),
    }
}

/// A workbook whose document properties are pinned to the quarter, so the
/// same inputs give byte-identical files.
pub(crate) fn new_workbook(quarter: Quarter, template: &str) -> Workbook {
    let mut wb = Workbook::new();
    let pinned = quarter.end().and_hms_opt(0, 0, 0).expect("midnight");
    wb.set_properties(
        &DocProperties::new()
            .set_title(format!("HISP quarterly CX data ({template}), {quarter}"))
            .set_subject("OMB Circular A-11 Section 280 customer experience reporting")
            .set_creation_datetime(&pinned)
            .set_comment(format!("Written by hisp {}", env!("CARGO_PKG_VERSION"))),
    );
    wb
}

/// Build the A-11 v1 workbook and write it to `out`.
pub fn write(c: &Contents, out: &mut std::fs::File) -> Result<(), XlsxError> {
    let mut wb = new_workbook(c.common.quarter, "A-11 v1");
    let s = styles();
    quarterly_data(wb.add_worksheet().set_name(QUARTERLY_DATA)?, c, &s)?;
    question_detail(wb.add_worksheet().set_name(QUESTION_DETAIL)?, c, &s)?;
    summary(wb.add_worksheet().set_name(SUMMARY)?, c, &s)?;
    validation(wb.add_worksheet().set_name(VALIDATION)?, &c.common, &s)?;
    about(wb.add_worksheet().set_name(ABOUT)?, &c.common, &s)?;
    wb.save_to_writer(out)
}

pub(crate) fn header<S: AsRef<str>>(
    ws: &mut Worksheet,
    row: u32,
    names: &[S],
    s: &Styles,
) -> Result<(), XlsxError> {
    for (col, name) in names.iter().enumerate() {
        ws.write_string_with_format(row, col as u16, name.as_ref(), &s.header)?;
    }
    Ok(())
}

pub(crate) fn opt_number(
    ws: &mut Worksheet,
    row: u32,
    col: u16,
    v: Option<f64>,
    f: &Format,
) -> Result<(), XlsxError> {
    if let Some(v) = v {
        ws.write_number_with_format(row, col, v, f)?;
    }
    Ok(())
}

/// One results cell, typed: counts, scores and percentages get their formats.
pub(crate) fn write_cell(
    ws: &mut Worksheet,
    r: u32,
    col: u16,
    cell: &OutCell,
    s: &Styles,
) -> Result<(), XlsxError> {
    match cell {
        OutCell::Text(t) => {
            ws.write_string(r, col, t)?;
        }
        OutCell::Count(n) => {
            ws.write_number_with_format(r, col, *n as f64, &s.integer)?;
        }
        OutCell::Decimal(x) => {
            ws.write_number_with_format(r, col, *x, &s.decimal)?;
        }
        OutCell::Percent(p) => {
            ws.write_number_with_format(r, col, p / 100.0, &s.percent)?;
        }
        OutCell::Blank => {}
    }
    Ok(())
}

fn quarterly_data(ws: &mut Worksheet, c: &Contents, s: &Styles) -> Result<(), XlsxError> {
    let names = quarterly_data_header();
    header(ws, 0, &names, s)?;
    for (i, row) in quarterly_data_rows(c).iter().enumerate() {
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
    header(
        ws,
        0,
        &[
            "service_name",
            "transaction_point",
            "channel",
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
        ],
        s,
    )?;
    let in_use = questions_in_use(c.rows.iter().map(|r| &r.tally));
    let mut r = 1;
    for row in c.rows {
        for &q in &in_use {
            let e = &row.entry;
            let stats = row.tally.question(q);
            let given = e.question_texts.get(q).cloned().flatten();
            ws.write_string(r, 0, &e.key.service)?;
            ws.write_string(r, 1, &e.key.touchpoint)?;
            ws.write_string(r, 2, &e.key.channel)?;
            ws.write_number(r, 3, (q + 1) as f64)?;
            ws.write_string(r, 4, QUESTION_KEYS[q])?;
            ws.write_string(
                r,
                5,
                question_text(c.common.schema, q, given, &e.key.service),
            )?;
            for (k, n) in stats.counts.iter().enumerate() {
                ws.write_number(r, 6 + k as u16, *n as f64)?;
            }
            ws.write_number(r, 11, stats.response_volume as f64)?;
            opt_number(ws, r, 12, stats.point_scale, &s.decimal)?;
            opt_number(
                ws,
                r,
                13,
                stats.percent_agree.map(|p| p / 100.0),
                &s.percent,
            )?;
            r += 1;
        }
    }
    ws.set_freeze_panes(1, 0)?;
    ws.set_column_range_width(0, 2, 22)?;
    ws.set_column_width(5, 50)?;
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
    ]
    .map(String::from)
    .to_vec();
    for d in DOMAINS {
        names.push(format!("{d} point scale"));
        names.push(format!("{d} % agree"));
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
        ws.write_number_with_format(r, 3, rollup.tally.respondents as f64, &s.integer)?;
        opt_number(ws, r, 4, rollup.offered.map(|o| o as f64), &s.integer)?;
        opt_number(
            ws,
            r,
            5,
            rollup.response_rate().map(|p| p / 100.0),
            &s.percent,
        )?;
        for q in 0..CORE_QUESTIONS {
            let stats = rollup.tally.question(q);
            opt_number(ws, r, 6 + 2 * q as u16, stats.point_scale, &s.decimal)?;
            opt_number(
                ws,
                r,
                7 + 2 * q as u16,
                stats.percent_agree.map(|p| p / 100.0),
                &s.percent,
            )?;
        }
        r += 1;
    }
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
        let stats: QuestionStats = c.overall.tally.question(q);
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
    ws.set_column_range_width(2, 19, 14)?;
    Ok(())
}

pub(crate) fn validation(ws: &mut Worksheet, c: &Common, s: &Styles) -> Result<(), XlsxError> {
    header(
        ws,
        0,
        &[
            "type", "severity", "file", "sheet", "row", "column", "field", "value", "message",
            "action",
        ],
        s,
    )?;
    let mut r = 1;
    let entries = c.warnings.iter().chain(c.excluded);
    for i in entries {
        if r > EXCEL_MAX_ROW - 1 {
            break;
        }
        ws.write_string(r, 0, i.kind.slug())?;
        ws.write_string(r, 1, i.severity.as_str())?;
        ws.write_string(r, 2, &*i.file)?;
        if let Some(sheet) = &i.sheet {
            ws.write_string(r, 3, &**sheet)?;
        }
        if let Some(row) = i.row {
            ws.write_number(r, 4, row as f64)?;
        }
        if let Some(col) = &i.column {
            ws.write_string(r, 5, col)?;
        }
        if let Some(field) = &i.field {
            ws.write_string(r, 6, &**field)?;
        }
        if let Some(value) = &i.value {
            ws.write_string(r, 7, value)?;
        }
        ws.write_string(r, 8, &i.message)?;
        // Errors in the manifest drop a value or a row of it, not a response.
        let in_manifest = c.manifest.is_some_and(|m| *i.file == *m.file);
        let action = match i.severity {
            Severity::Error if c.skip_invalid && !in_manifest => "row excluded",
            _ => "",
        };
        ws.write_string(r, 9, action)?;
        r += 1;
    }
    if c.findings_truncated || r > EXCEL_MAX_ROW - 1 {
        ws.write_string_with_format(
            r.min(EXCEL_MAX_ROW),
            0,
            "More findings than listed here: the counts in About are complete; run `hisp validate --format csv` for the full list.",
            &s.title,
        )?;
    }
    ws.set_freeze_panes(1, 0)?;
    ws.set_column_width(0, 22)?;
    ws.set_column_width(2, 28)?;
    ws.set_column_width(8, 90)?;
    ws.set_column_format(8, &s.wrap)?;
    Ok(())
}

pub(crate) fn about(ws: &mut Worksheet, c: &Common, s: &Styles) -> Result<(), XlsxError> {
    ws.write_string_with_format(
        0,
        0,
        "HISP quarterly CX data (OMB Circular A-11 Section 280)",
        &s.title,
    )?;
    let q = c.quarter;
    let facts: Vec<(&str, String)> = vec![
        ("Fiscal year", q.fiscal_year.to_string()),
        ("Quarter", q.quarter.to_string()),
        ("Quarter start", q.start().to_string()),
        ("Quarter end", q.end().to_string()),
        ("Schema", format!("{} {}", c.schema.name, c.schema.version)),
        ("Tool", format!("hisp {}", env!("CARGO_PKG_VERSION"))),
        ("Surveys", c.surveys.to_string()),
        ("Respondents", c.respondents.to_string()),
        (
            "Invalid rows",
            if c.skip_invalid {
                "excluded (--skip-invalid); listed in Validation"
            } else {
                "none allowed"
            }
            .to_string(),
        ),
        (
            "Services manifest",
            c.manifest.map_or("none".to_string(), |m| {
                format!("{} (sha256 {})", m.file, m.sha256)
            }),
        ),
    ];
    for (i, (k, v)) in facts.iter().enumerate() {
        ws.write_string_with_format(2 + i as u32, 0, *k, &s.header)?;
        ws.write_string(2 + i as u32, 1, v)?;
    }
    let top = 3 + facts.len() as u32;
    header(
        ws,
        top,
        &[
            "input",
            "sheet",
            "format",
            "bytes",
            "sha256",
            "rows read",
            "blank rows",
            "previews, tests, spam",
            "unfinished",
            "in quarter",
            "outside quarter",
            "invalid",
            "empty responses",
            "respondents",
        ],
        s,
    )?;
    for (i, input) in c.inputs.iter().enumerate() {
        let r = top + 1 + i as u32;
        ws.write_string(r, 0, &*input.file)?;
        if let Some(sheet) = &input.sheet {
            ws.write_string(r, 1, &**sheet)?;
        }
        ws.write_string(r, 2, &input.format)?;
        ws.write_number_with_format(r, 3, input.bytes as f64, &s.integer)?;
        ws.write_string(r, 4, &input.sha256)?;
        for (k, n) in [
            input.rows_read,
            input.blank_rows,
            input.rows_not_customer,
            input.rows_unfinished,
            input.rows_in_quarter,
            input.rows_outside_quarter,
            input.rows_invalid,
            input.rows_empty,
            input.respondents,
        ]
        .iter()
        .enumerate()
        {
            ws.write_number_with_format(r, 5 + k as u16, *n as f64, &s.integer)?;
        }
    }
    ws.set_column_width(0, 30)?;
    ws.set_column_width(1, 40)?;
    ws.set_column_width(4, 66)?;
    Ok(())
}
