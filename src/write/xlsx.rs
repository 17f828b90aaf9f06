//! A document rendered as an Excel workbook, with rust_xlsxwriter: typed
//! cells with their number formats, headers and titles styled, charts, and
//! streamed rows in constant memory, continued on numbered sheets past
//! Excel's row limit. The same document gives the same bytes: the
//! workbook's dates are pinned to its quarter.

use rust_xlsxwriter::{
    ChartErrorBars, ChartErrorBarsType, ChartFormat, ChartRange, ChartSolidFill, ChartType,
    DocProperties, Format, FormatBorder, Workbook, Worksheet, XlsxError,
};

use super::document::{
    Block, Cells, Chart, ChartKind, Content, Document, Layout, RowSource, SeriesName, Width,
};
use super::{OutCell, WriteSeek};
use crate::fiscal::Quarter;

/// Data rows per sheet of streamed rows: Excel's 1,048,576 rows less the
/// header.
pub(crate) const ROWS_PER_SHEET: u32 = 1_048_575;

/// The deflate level of the workbooks' zip container: Excel's own. Most of
/// the time of writing a large workbook (A-11 v2's Responses sheets) goes to
/// compressing its XML, and level 3 takes a third less of it than the
/// default 6 for a file about a fifth larger.
const ZIP_LEVEL: u8 = 3;

/// The formats of hisp's workbooks (also the self-assessment's).
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
            .set_border_bottom(FormatBorder::Thin),
        title: Format::new().set_bold().set_font_size(13),
        integer: Format::new().set_num_format("#,##0"),
        decimal: Format::new().set_num_format("0.00"),
        percent: Format::new().set_num_format("0.00%"),
        wrap: Format::new().set_text_wrap(),
    }
}

/// Write `doc` as a workbook to `out`.
pub(crate) fn render(doc: &Document<'_>, out: &mut dyn WriteSeek) -> Result<(), XlsxError> {
    render_with_sheet_size(doc, out, ROWS_PER_SHEET)
}

/// As `render`, with fewer streamed rows a sheet, so that tests see the
/// continuation sheets without a million rows.
pub(crate) fn render_with_sheet_size(
    doc: &Document<'_>,
    out: &mut dyn WriteSeek,
    per_sheet: u32,
) -> Result<(), XlsxError> {
    let mut wb = new_workbook(doc.quarter, &doc.title);
    let s = styles();
    for sheet in &doc.sheets {
        match &sheet.content {
            Content::Blocks(blocks) => {
                let ws = wb.add_worksheet().set_name(&sheet.name)?;
                for block in blocks {
                    block_to(ws, &sheet.name, block, &s)?;
                }
                layout(ws, &sheet.layout, &s)?;
            }
            Content::Rows { header, rows } => {
                streamed(&mut wb, &sheet.name, header, *rows, &s, per_sheet)?;
            }
        }
    }
    wb.save_to_writer(out)
}

/// A workbook whose document properties are pinned to the quarter, so the
/// same inputs give byte-identical files.
fn new_workbook(quarter: Quarter, title: &str) -> Workbook {
    let mut wb = Workbook::new();
    wb.set_zip_compression_level(ZIP_LEVEL);
    let pinned = quarter.end().and_hms_opt(0, 0, 0).expect("midnight");
    wb.set_properties(
        &DocProperties::new()
            .set_title(format!("HISP quarterly CX data ({title}), {quarter}"))
            .set_subject("OMB Circular A-11 Section 280 customer experience reporting")
            .set_creation_datetime(&pinned)
            .set_comment(format!("Written by hisp {}", env!("CARGO_PKG_VERSION"))),
    );
    wb
}

/// A header row of names from `row`, column A on.
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

fn block_to(ws: &mut Worksheet, sheet: &str, block: &Block, s: &Styles) -> Result<(), XlsxError> {
    match block {
        Block::Title { at, text } => {
            ws.write_string_with_format(at.0, at.1, text, &s.title)?;
        }
        Block::Text { at, text } => {
            ws.write_string(at.0, at.1, text)?;
        }
        Block::Table { at, header, rows } => {
            for (i, name) in header.iter().enumerate() {
                ws.write_string_with_format(at.0, at.1 + i as u16, name, &s.header)?;
            }
            cells(ws, (at.0 + 1, at.1), rows, s)?;
        }
        Block::Facts { at, facts } => {
            for (i, (name, value)) in facts.iter().enumerate() {
                let row = at.0 + i as u32;
                ws.write_string_with_format(row, at.1, name, &s.header)?;
                ws.write_string(row, at.1 + 1, value)?;
            }
        }
        Block::Chart { at, chart } => {
            ws.insert_chart(at.0, at.1, &chart_of(sheet, chart))?;
        }
    }
    Ok(())
}

/// Rows of typed cells from `at`, row by row.
fn cells(
    ws: &mut Worksheet,
    at: (u32, u16),
    rows: &[Vec<OutCell>],
    s: &Styles,
) -> Result<(), XlsxError> {
    for (i, row) in rows.iter().enumerate() {
        for (c, cell) in row.iter().enumerate() {
            cell_to(ws, at.0 + i as u32, at.1 + c as u16, cell, s)?;
        }
    }
    Ok(())
}

/// One cell, typed: counts, scores and percentages get their formats.
fn cell_to(
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
        OutCell::Number(x) => {
            ws.write_number(r, col, *x)?;
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

fn layout(ws: &mut Worksheet, layout: &Layout, s: &Styles) -> Result<(), XlsxError> {
    if let Some((row, col)) = layout.freeze {
        ws.set_freeze_panes(row, col)?;
    }
    for width in &layout.widths {
        match *width {
            Width::Column(col, w) => {
                ws.set_column_width(col, w)?;
            }
            Width::Columns(first, last, w) => {
                ws.set_column_range_width(first, last, w)?;
            }
        }
    }
    for &col in &layout.wrapped {
        ws.set_column_format(col, &s.wrap)?;
    }
    if layout.landscape {
        ws.set_landscape();
        ws.set_print_fit_to_pages(1, 0);
    }
    Ok(())
}

fn chart_of(sheet: &str, chart: &Chart) -> rust_xlsxwriter::Chart {
    let kind = match chart.kind {
        ChartKind::Bar => ChartType::Bar,
        ChartKind::BarPercentStacked => ChartType::BarPercentStacked,
        ChartKind::Line => ChartType::Line,
    };
    let range = |c: Cells| (sheet, c.first.0, c.first.1, c.last.0, c.last.1);
    let mut out = rust_xlsxwriter::Chart::new(kind);
    out.title().set_name(&chart.title);
    for series in &chart.series {
        let added = out.add_series();
        match &series.name {
            SeriesName::Text(name) => added.set_name(name.as_str()),
            SeriesName::Cell((row, col)) => added.set_name((sheet, *row, *col)),
        };
        added
            .set_categories(range(series.categories))
            .set_values(range(series.values));
        if let Some(color) = series.color {
            added.set_format(
                ChartFormat::new().set_solid_fill(ChartSolidFill::new().set_color(color)),
            );
        }
        if let Some((plus, minus)) = series.error_bars {
            let cells = |c: Cells| {
                ChartRange::new_from_range(sheet, c.first.0, c.first.1, c.last.0, c.last.1)
            };
            added.set_y_error_bars(
                ChartErrorBars::new()
                    .set_type(ChartErrorBarsType::Custom(cells(plus), cells(minus))),
            );
        }
    }
    let axis = |axis: &mut rust_xlsxwriter::ChartAxis, spec: &super::document::Axis| {
        if let Some(min) = spec.min {
            axis.set_min(min);
        }
        if let Some(max) = spec.max {
            axis.set_max(max);
        }
        if let Some(format) = spec.num_format {
            axis.set_num_format(format);
        }
        if spec.reverse {
            axis.set_reverse();
        }
    };
    // rust_xlsxwriter names a bar chart's axes as Excel draws them: its
    // categories run along the y axis.
    let bars = matches!(chart.kind, ChartKind::Bar | ChartKind::BarPercentStacked);
    if bars {
        axis(out.y_axis(), &chart.categories);
        axis(out.x_axis(), &chart.values);
    } else {
        axis(out.x_axis(), &chart.categories);
        axis(out.y_axis(), &chart.values);
    }
    out.set_width(chart.size.0).set_height(chart.size.1);
    out
}

/// Streamed rows on sheets of their own, in constant memory: the first
/// named `name`, the next `name (2)`, … each with the header.
fn streamed(
    wb: &mut Workbook,
    name: &str,
    header: &[String],
    rows: Option<&dyn RowSource>,
    s: &Styles,
    per_sheet: u32,
) -> Result<(), XlsxError> {
    let mut sheet_no = 1;
    let mut current = rows_sheet(wb, name, sheet_no, header, s)?;
    let Some(rows) = rows else {
        return Ok(());
    };
    let mut r = 0u32;
    rows.each_row(&mut |cells| {
        if r == per_sheet {
            sheet_no += 1;
            current = rows_sheet(wb, name, sheet_no, header, s)?;
            r = 0;
        }
        r += 1;
        let ws = wb.worksheet_from_index(current)?;
        for (col, cell) in cells.enumerate() {
            if let Some(text) = cell {
                ws.write_string(r, col as u16, text)?;
            }
        }
        Ok(())
    })
    .map_err(|e| match e.downcast::<XlsxError>() {
        Ok(e) => e,
        Err(e) => XlsxError::ParameterError(e.to_string()),
    })
}

/// A new sheet of streamed rows with the header: its index.
fn rows_sheet(
    wb: &mut Workbook,
    name: &str,
    n: u32,
    header: &[String],
    s: &Styles,
) -> Result<usize, XlsxError> {
    let name = if n == 1 {
        name.to_string()
    } else {
        format!("{name} ({n})")
    };
    let ws = wb.add_worksheet_with_constant_memory()?.set_name(name)?;
    for (col, title) in header.iter().enumerate() {
        ws.write_string_with_format(0, col as u16, title, &s.header)?;
    }
    Ok(wb.worksheets().len() - 1)
}
