//! The A-11 v2 workbook: `Collection Details` (the Touchpoints collection
//! detail fields), `Summary` (trust and drivers per survey, service and
//! overall, with charts), `Responses` (every response of the quarter,
//! written in constant memory and continued on `Responses (2)`, … past
//! Excel's row limit), then `Validation` and `About` as in v1.

use rust_xlsxwriter::{Chart, ChartType, Workbook, Worksheet, XlsxError};

use crate::manifest::TemplateRow;
use crate::render::OutCell;
use crate::render::trust::{summary_header, summary_rows};
use crate::responses_v2::{DRIVERS, TrustCounts, TrustRollup, UPLOAD_COLUMNS};
use crate::upload::Spooled;
use crate::workbook::{
    ABOUT, Common, Styles, VALIDATION, about, header, new_workbook, styles, validation, write_cell,
};

pub const COLLECTION_DETAILS: &str = "Collection Details";
pub const SUMMARY: &str = "Summary";
pub const RESPONSES: &str = "Responses";

/// Data rows per `Responses` sheet: Excel's 1,048,576 rows less the header.
pub const RESPONSES_PER_SHEET: u32 = 1_048_575;

pub struct Contents<'a> {
    pub common: Common<'a>,
    pub rows: &'a [TemplateRow<TrustCounts>],
    pub services: &'a [TrustRollup],
    pub overall: &'a TrustRollup,
    pub responses: &'a Spooled,
}

pub fn collection_details_header() -> [&'static str; 12] {
    [
        "fiscal_year",
        "quarter",
        "service_name",
        "transaction_point",
        "channel",
        "volume_of_customers",
        "volume_of_customers_provided_survey_opportunity",
        "volume_of_respondents",
        "omb_control_number",
        "survey_type",
        "survey_title",
        "trust_question_text",
    ]
}

pub fn write(c: &Contents, out: &mut std::fs::File) -> Result<(), XlsxError> {
    write_with_sheet_size(c, out, RESPONSES_PER_SHEET)
}

/// As `write`, with a smaller `Responses` sheet size so tests can see the
/// continuation sheets without a million rows.
pub fn write_with_sheet_size(
    c: &Contents,
    out: &mut std::fs::File,
    per_sheet: u32,
) -> Result<(), XlsxError> {
    let mut wb = new_workbook(c.common.quarter, "A-11 v2");
    let s = styles();
    collection_details(wb.add_worksheet().set_name(COLLECTION_DETAILS)?, c, &s)?;
    summary(wb.add_worksheet().set_name(SUMMARY)?, c, &s)?;
    responses(&mut wb, c, &s, per_sheet)?;
    validation(wb.add_worksheet().set_name(VALIDATION)?, &c.common, &s)?;
    about(wb.add_worksheet().set_name(ABOUT)?, &c.common, &s)?;
    wb.save_to_writer(out)
}

fn collection_details(ws: &mut Worksheet, c: &Contents, s: &Styles) -> Result<(), XlsxError> {
    header(ws, 0, &collection_details_header(), s)?;
    let q = c.common.quarter;
    for (i, row) in c.rows.iter().enumerate() {
        let r = i as u32 + 1;
        let e = &row.entry;
        ws.write_number(r, 0, f64::from(q.fiscal_year))?;
        ws.write_number(r, 1, f64::from(q.quarter))?;
        ws.write_string(r, 2, &e.key.service)?;
        ws.write_string(r, 3, &e.key.touchpoint)?;
        ws.write_string(r, 4, &e.key.channel)?;
        for (col, v) in [
            (5, e.volume_of_customers),
            (6, e.volume_of_customers_provided_survey_opportunity),
        ] {
            if let Some(v) = v {
                ws.write_number_with_format(r, col, v as f64, &s.integer)?;
            }
        }
        ws.write_number_with_format(r, 7, row.tally.tally.rows as f64, &s.integer)?;
        ws.write_string(r, 8, &e.omb_control_number)?;
        ws.write_string(r, 9, row.tally.survey_type.code())?;
        ws.write_string(r, 10, &e.survey_title)?;
        ws.write_string(r, 11, &e.trust_question_text)?;
    }
    ws.set_freeze_panes(1, 0)?;
    ws.set_column_range_width(2, 4, 24)?;
    ws.set_column_width(10, 30)?;
    ws.set_column_width(11, 60)?;
    Ok(())
}

fn summary(ws: &mut Worksheet, c: &Contents, s: &Styles) -> Result<(), XlsxError> {
    let names = summary_header();
    header(ws, 0, &names, s)?;
    let rows = summary_rows(c.rows, c.services, c.overall);
    for (i, row) in rows.iter().enumerate() {
        for (col, cell) in row.iter().enumerate() {
            write_cell(ws, i as u32 + 1, col as u16, cell, s)?;
        }
    }
    ws.set_freeze_panes(1, 2)?;
    ws.set_column_width(0, 36)?;
    ws.set_column_width(1, 28)?;
    ws.set_landscape();
    ws.set_print_fit_to_pages(1, 0);
    ws.set_column_range_width(2, 4, 18)?;

    // Helper tables for the charts, below the summary.
    let mut r = rows.len() as u32 + 3;
    ws.write_string_with_format(r, 0, "Trust by survey", &s.title)?;
    r += 1;
    header(
        ws,
        r,
        &[
            "service / transaction point / channel",
            "trust_positive_share",
        ],
        s,
    )?;
    let trust_top = r + 1;
    for (i, row) in c.rows.iter().enumerate() {
        let k = &row.entry.key;
        let label = [k.service.as_str(), &k.touchpoint, &k.channel]
            .iter()
            .filter(|p| !p.is_empty())
            .copied()
            .collect::<Vec<_>>()
            .join(" / ");
        ws.write_string(trust_top + i as u32, 0, &label)?;
        let share = row.tally.results().trust_positive_share();
        write_cell(ws, trust_top + i as u32, 1, &OutCell::percent(share), s)?;
    }
    let trust_last = trust_top + c.rows.len().max(1) as u32 - 1;
    r = trust_last + 2;
    ws.write_string_with_format(r, 0, "Drivers, all surveys", &s.title)?;
    r += 1;
    header(ws, r, &["driver", "went well", "did not go well"], s)?;
    let drivers_top = r + 1;
    for (d, name) in DRIVERS.iter().enumerate() {
        let row = drivers_top + d as u32;
        ws.write_string(row, 0, *name)?;
        ws.write_number_with_format(row, 1, c.overall.results.positive[d] as f64, &s.integer)?;
        ws.write_number_with_format(row, 2, c.overall.results.negative[d] as f64, &s.integer)?;
    }
    let drivers_last = drivers_top + DRIVERS.len() as u32 - 1;

    let mut trust = Chart::new(ChartType::Bar);
    trust.title().set_name("Trust: share of positive answers");
    trust
        .add_series()
        .set_name("positive share")
        .set_categories((SUMMARY, trust_top, 0, trust_last, 0))
        .set_values((SUMMARY, trust_top, 1, trust_last, 1));
    trust.y_axis().set_reverse();
    trust.x_axis().set_max(1.0).set_num_format("0%");
    trust.set_width(640).set_height(320);
    ws.insert_chart(drivers_last + 2, 0, &trust)?;

    let mut drivers = Chart::new(ChartType::Bar);
    drivers.title().set_name("What went well and what didn't");
    for (col, name) in [(1u16, "went well"), (2, "did not go well")] {
        drivers
            .add_series()
            .set_name(name)
            .set_categories((SUMMARY, drivers_top, 0, drivers_last, 0))
            .set_values((SUMMARY, drivers_top, col, drivers_last, col));
    }
    drivers.y_axis().set_reverse();
    drivers.set_width(640).set_height(320);
    ws.insert_chart(drivers_last + 2, 6, &drivers)?;
    Ok(())
}

/// Every response of the quarter: survey keys and the 17 upload columns,
/// grouped by survey, streamed from the spool into constant-memory sheets.
fn responses(wb: &mut Workbook, c: &Contents, s: &Styles, per_sheet: u32) -> Result<(), XlsxError> {
    let mut names = vec!["service_name", "transaction_point", "channel"];
    names.extend(UPLOAD_COLUMNS);
    let mut sheet_no = 1;
    let mut ws = new_responses_sheet(wb, sheet_no, &names, s)?;
    let mut r = 0u32;
    for (i, key) in c.responses.keys.iter().enumerate() {
        let rows = c
            .responses
            .rows(i)
            .map_err(|e| XlsxError::ParameterError(e.to_string()))?;
        for record in rows {
            let record = record.map_err(|e| XlsxError::ParameterError(e.to_string()))?;
            if r == per_sheet {
                sheet_no += 1;
                ws = new_responses_sheet(wb, sheet_no, &names, s)?;
                r = 0;
            }
            r += 1;
            ws.write_string(r, 0, &key.service)?;
            ws.write_string(r, 1, &key.touchpoint)?;
            ws.write_string(r, 2, &key.channel)?;
            for (col, cell) in record.iter().enumerate() {
                if !cell.is_empty() {
                    // As written: `null`, 0 and 1 stay text, like the upload.
                    ws.write_string(r, 3 + col as u16, cell)?;
                }
            }
        }
    }
    Ok(())
}

fn new_responses_sheet<'w>(
    wb: &'w mut Workbook,
    n: u32,
    names: &[&str],
    s: &Styles,
) -> Result<&'w mut Worksheet, XlsxError> {
    let name = if n == 1 {
        RESPONSES.to_string()
    } else {
        format!("{RESPONSES} ({n})")
    };
    let ws = wb.add_worksheet_with_constant_memory()?.set_name(name)?;
    header(ws, 0, names, s)?;
    Ok(ws)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::aggregate::SurveyKey;
    use crate::responses_v2::{ResponseSink, TrustRollup};
    use crate::schema::Schema;
    use crate::upload::Spool;
    use calamine::{Reader, open_workbook_auto};
    use std::borrow::Cow;

    #[test]
    fn responses_continue_on_numbered_sheets_without_losing_a_row() {
        let dir = tempfile::tempdir().unwrap();
        let mut spool = Spool::new(dir.path()).unwrap();
        let key = SurveyKey {
            service: "S".into(),
            touchpoint: "post_interaction".into(),
            channel: "computer".into(),
        };
        for i in 0..5 {
            let mut cells: Vec<Cow<str>> = vec![Cow::Owned(format!("id-{i}")), Cow::Borrowed("1")];
            cells.extend(std::iter::repeat_n(Cow::Borrowed("0"), 14));
            cells.push(Cow::Borrowed("=not a formula"));
            spool.response(0, &key, &cells).unwrap();
        }
        let spooled = spool.finish().unwrap();
        let schema = Schema::embedded("a11-v2");
        let overall = TrustRollup::default();
        let contents = Contents {
            common: Common {
                quarter: crate::fiscal::Quarter::new(2025, 2).unwrap(),
                inputs: &[],
                manifest: None,
                schema: &schema,
                warnings: &[],
                excluded: &[],
                findings_truncated: false,
                skip_invalid: false,
                surveys: 1,
                respondents: 5,
            },
            rows: &[],
            services: &[],
            overall: &overall,
            responses: &spooled,
        };
        let path = dir.path().join("out.xlsx");
        let mut file = std::fs::File::create(&path).unwrap();
        write_with_sheet_size(&contents, &mut file, 2).unwrap();
        drop(file);
        let mut wb = open_workbook_auto(&path).unwrap();
        let mut ids = Vec::new();
        for name in ["Responses", "Responses (2)", "Responses (3)"] {
            let range = wb.worksheet_range(name).unwrap();
            let rows: Vec<_> = range.rows().skip(1).collect();
            assert!(rows.len() <= 2, "{name}");
            for r in rows {
                ids.push(r[3].to_string());
                assert_eq!(r[19].to_string(), "=not a formula", "text, not a formula");
            }
        }
        assert_eq!(ids, ["id-0", "id-1", "id-2", "id-3", "id-4"]);
        assert!(wb.worksheet_range("Responses (4)").is_err());
    }
}
