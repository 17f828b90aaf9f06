//! Workbook parts every template shares: styles, typed cells, pinned
//! document properties, and the `Validation` and `About` sheets.

use rust_xlsxwriter::{DocProperties, Format, Workbook, Worksheet, XlsxError};

use super::OutCell;
use crate::check::findings::{Issue, Severity};
use crate::check::input::InputStats;
use crate::fiscal::Quarter;
use crate::schema::Schema;
use crate::tally::manifest::Manifest;

pub(crate) const VALIDATION: &str = "Validation";
pub(crate) const ABOUT: &str = "About";

/// Excel's last row index (0-based).
const EXCEL_MAX_ROW: u32 = 1_048_575;

/// What every template's workbook shows in `Validation` and `About`.
#[derive(Clone)]
pub(crate) struct Common<'a> {
    pub(crate) quarter: Quarter,
    pub(crate) inputs: &'a [InputStats],
    pub(crate) manifest: Option<&'a Manifest>,
    pub(crate) schema: &'a Schema,
    /// Warnings, then (with --skip-invalid) the errors of excluded rows.
    pub(crate) warnings: &'a [Issue],
    pub(crate) excluded: &'a [Issue],
    pub(crate) findings_truncated: bool,
    pub(crate) skip_invalid: bool,
    /// A-11 v2: write the `Responses` sheets.
    pub(crate) responses_sheet: bool,
    pub(crate) surveys: usize,
    pub(crate) respondents: u64,
    /// What the run says of how it read and counted (schema recognised,
    /// scales recoded, time zones, types): the report's notes.
    pub(crate) notes: &'a [String],
    /// Each share beside the previous quarter's, when the inputs hold it.
    pub(crate) comparison: Option<&'a crate::write::Table>,
}

pub(crate) struct Styles {
    pub(crate) header: Format,
    pub(crate) title: Format,
    pub(crate) integer: Format,
    pub(crate) decimal: Format,
    pub(crate) percent: Format,
    pub(crate) wrap: Format,
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

/// The deflate level of the workbooks' zip container: Excel's own. Most of
/// the time of writing a large workbook (A-11 v2's Responses sheets) goes to
/// compressing its XML, and level 3 takes a third less of it than the
/// default 6 for a file about a fifth larger.
const ZIP_LEVEL: u8 = 3;

/// A workbook whose document properties are pinned to the quarter, so the
/// same inputs give byte-identical files.
pub(crate) fn new_workbook(quarter: Quarter, template: &str) -> Workbook {
    let mut wb = Workbook::new();
    wb.set_zip_compression_level(ZIP_LEVEL);
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
        OutCell::Plain(n) => {
            ws.write_number(r, col, *n as f64)?;
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
    // The run's notes, so that nobody reads a recoded scale as native.
    if !c.notes.is_empty() {
        let top = top + c.inputs.len() as u32 + 2;
        ws.write_string_with_format(top, 0, "Notes", &s.title)?;
        for (i, note) in c.notes.iter().enumerate() {
            ws.write_string(top + 1 + i as u32, 0, note)?;
        }
    }
    ws.set_column_width(0, 30)?;
    ws.set_column_width(1, 40)?;
    ws.set_column_width(4, 66)?;
    Ok(())
}

/// `Previous quarter`: each share of the quarter beside the previous
/// quarter's, the change and whether it is significant.
pub(crate) const PREVIOUS_QUARTER: &str = "Previous quarter";

pub(crate) fn comparison(
    ws: &mut Worksheet,
    table: &crate::write::Table,
    s: &Styles,
) -> Result<(), XlsxError> {
    header(ws, 0, &table.header, s)?;
    for (i, row) in table.rows.iter().enumerate() {
        for (c, cell) in row.iter().enumerate() {
            write_cell(ws, i as u32 + 1, c as u16, cell, s)?;
        }
    }
    let note = table.rows.len() as u32 + 2;
    ws.write_string(
        note,
        0,
        "change: points since the previous fiscal quarter; p_value: two-proportion z-test; significant: p < 0.05 and neither quarter small-n. The previous quarter's rows are counted from the same inputs; their findings are not reported.",
    )?;
    ws.set_freeze_panes(1, 0)?;
    ws.set_column_width(1, 28)?;
    Ok(())
}
