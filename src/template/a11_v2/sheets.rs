//! The A-11 v2 workbook: `Collection Details` (the Touchpoints collection
//! detail fields), `Summary` (trust and drivers per survey, service and
//! overall, with charts), `Responses` (every response of the quarter,
//! written in constant memory and continued on `Responses (2)`, … past
//! Excel's row limit), then `Validation` and `About` as in v1.

use rust_xlsxwriter::{Chart, ChartType, Workbook, Worksheet, XlsxError};

use super::Results;
use super::tables;
use super::tally::{DRIVERS, TrustCounts, TrustRollup, UPLOAD_COLUMNS};
use crate::tally::manifest::TemplateRow;
use crate::write::OutCell;
use crate::write::WriteSeek;
use crate::write::spool::Spooled;
use crate::write::workbook::{
    ABOUT, Common, PREVIOUS_QUARTER, Styles, VALIDATION, about, comparison, header, new_workbook,
    styles, validation, write_cell,
};

const COLLECTION_DETAILS: &str = "Collection Details";
const SUMMARY: &str = "Summary";
const RESPONSES: &str = "Responses";

/// Data rows per `Responses` sheet: Excel's 1,048,576 rows less the header.
const RESPONSES_PER_SHEET: u32 = 1_048_575;

struct Contents<'a> {
    common: &'a Common<'a>,
    results: &'a Results,
    rows: &'a [TemplateRow<TrustCounts>],
    overall: &'a TrustRollup,
    responses: Option<&'a Spooled>,
}

pub(super) fn write(
    results: &Results,
    common: &Common<'_>,
    out: &mut dyn WriteSeek,
) -> Result<(), XlsxError> {
    write_with_sheet_size(results, common, out, RESPONSES_PER_SHEET)
}

/// As `write`, with a smaller `Responses` sheet size so tests can see the
/// continuation sheets without a million rows.
fn write_with_sheet_size(
    results: &Results,
    common: &Common<'_>,
    out: &mut dyn WriteSeek,
    per_sheet: u32,
) -> Result<(), XlsxError> {
    let c = &Contents {
        common,
        results,
        rows: &results.rows,
        overall: &results.overall,
        responses: results.responses.as_ref(),
    };
    let mut wb = new_workbook(c.common.quarter, "A-11 v2");
    let s = styles();
    collection_details(wb.add_worksheet().set_name(COLLECTION_DETAILS)?, c, &s)?;
    summary(wb.add_worksheet().set_name(SUMMARY)?, c, &s)?;
    if let Some(table) = c.common.comparison {
        comparison(wb.add_worksheet().set_name(PREVIOUS_QUARTER)?, table, &s)?;
    }
    if c.common.responses_sheet {
        responses(&mut wb, c, &s, per_sheet)?;
    }
    validation(wb.add_worksheet().set_name(VALIDATION)?, c.common, &s)?;
    about(wb.add_worksheet().set_name(ABOUT)?, c.common, &s)?;
    wb.save_to_writer(out)
}

fn collection_details(ws: &mut Worksheet, c: &Contents, s: &Styles) -> Result<(), XlsxError> {
    let table = tables::collection_details(c.results, c.common.quarter);
    header(ws, 0, &table.header, s)?;
    for (i, row) in table.rows.iter().enumerate() {
        for (col, cell) in row.iter().enumerate() {
            write_cell(ws, i as u32 + 1, col as u16, cell, s)?;
        }
    }
    ws.set_freeze_panes(1, 0)?;
    ws.set_column_range_width(2, 4, 24)?;
    ws.set_column_width(10, 30)?;
    ws.set_column_width(11, 60)?;
    Ok(())
}

fn summary(ws: &mut Worksheet, c: &Contents, s: &Styles) -> Result<(), XlsxError> {
    let table = tables::summary(c.results);
    header(ws, 0, &table.header, s)?;
    let rows = &table.rows;
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
        ws.write_string(trust_top + i as u32, 0, k.label())?;
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
    // survey_id only where the inputs name surveys.
    let mut names = vec!["service_name", "transaction_point", "channel"];
    if c.responses
        .is_some_and(|r| crate::tally::any_survey_id(&r.keys))
    {
        names.push("survey_id");
    }
    let keys = names.len();
    names.extend(UPLOAD_COLUMNS);
    let mut sheet_no = 1;
    let mut ws = new_responses_sheet(wb, sheet_no, &names, s)?;
    let mut r = 0u32;
    let Some(responses) = c.responses else {
        return Ok(());
    };
    for (i, key) in responses.keys.iter().enumerate() {
        let rows = responses
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
            for (col, part) in key.parts()[..keys].iter().enumerate() {
                ws.write_string(r, col as u16, *part)?;
            }
            for (col, cell) in record.iter().enumerate() {
                if !cell.is_empty() {
                    // As written: `null`, 0 and 1 stay text, like the upload.
                    ws.write_string(r, (keys + col) as u16, cell)?;
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
    use crate::schema::Schema;
    use crate::tally::SurveyKey;
    use crate::write::spool::Spool;
    use calamine::{Reader, open_workbook_auto};
    use std::borrow::Cow;

    #[test]
    fn responses_continue_on_numbered_sheets_without_losing_a_row() {
        let dir = tempfile::tempdir().unwrap();
        let mut spool = Spool::new(std::sync::Arc::new(crate::spill::InMemory)).unwrap();
        let key = SurveyKey {
            service: "S".into(),
            touchpoint: "post_interaction".into(),
            channel: "computer".into(),
            survey_id: String::new(),
        };
        for i in 0..5 {
            let mut cells: Vec<Cow<str>> = vec![Cow::Owned(format!("id-{i}")), Cow::Borrowed("1")];
            cells.extend(std::iter::repeat_n(Cow::Borrowed("0"), 14));
            cells.push(Cow::Borrowed("=not a formula"));
            spool.response(0, &key, &cells).unwrap();
        }
        let spooled = spool.finish().unwrap();
        let schema = Schema::embedded("a11-v2");
        let results = Results {
            rows: Vec::new(),
            services: Vec::new(),
            overall: TrustRollup::default(),
            responses: Some(spooled),
            min_n: 30,
        };
        let common = Common {
            quarter: crate::fiscal::Quarter::new(2025, 2).unwrap(),
            inputs: &[],
            manifest: None,
            schema: &schema,
            warnings: &[],
            excluded: &[],
            findings_truncated: false,
            skip_invalid: false,
            responses_sheet: true,
            surveys: 1,
            respondents: 5,
            notes: &[],
            comparison: None,
        };
        let path = dir.path().join("out.xlsx");
        let mut file = std::fs::File::create(&path).unwrap();
        write_with_sheet_size(&results, &common, &mut file, 2).unwrap();
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
