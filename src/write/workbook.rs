//! The sheets every edition's workbook shares, as document sheets:
//! `Validation`, `About`, and `Previous quarter`; and `Common`, what every
//! workbook shows besides the edition's results.

use super::OutCell;
use super::document::{Block, Document, Layout, Sheet};
use crate::check::findings::{Issue, Severity};
use crate::check::input::InputStats;
use crate::fiscal::Quarter;
use crate::schema::Schema;
use crate::tally::manifest::Manifest;

/// Excel's last row index (0-based): the findings listed stop there.
const EXCEL_MAX_ROW: u32 = 1_048_575;

/// What every edition's workbook shows in `Validation` and `About`.
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

/// An edition's workbook: its own sheets, then `Previous quarter` when the
/// run compared quarters, the sheet of rows listed one by one (A-11 v2's
/// responses), then `Validation` and `About`.
pub(crate) fn workbook<'a>(
    title: String,
    c: &Common<'_>,
    mut sheets: Vec<Sheet<'a>>,
    listed: Option<Sheet<'a>>,
) -> Document<'a> {
    sheets.extend(c.comparison.map(comparison));
    sheets.extend(listed);
    sheets.push(validation(c));
    sheets.push(about(c));
    Document {
        title,
        quarter: c.quarter,
        sheets,
    }
}

fn text_or_blank(s: Option<&str>) -> OutCell {
    s.map_or(OutCell::Blank, OutCell::text)
}

/// `Validation`: every finding listed, with what became of its row.
fn validation<'a>(c: &Common<'_>) -> Sheet<'a> {
    let header = [
        "type", "severity", "file", "sheet", "row", "column", "field", "value", "message", "action",
    ];
    let mut rows = Vec::new();
    for i in c.warnings.iter().chain(c.excluded) {
        if rows.len() as u32 + 1 > EXCEL_MAX_ROW - 1 {
            break;
        }
        // Errors in the manifest drop a value or a row of it, not a response.
        let in_manifest = c.manifest.is_some_and(|m| *i.file == *m.file);
        let action = match i.severity {
            Severity::Error if c.skip_invalid && !in_manifest => "row excluded",
            _ => "",
        };
        rows.push(vec![
            OutCell::text(i.kind.slug()),
            OutCell::text(i.severity.as_str()),
            OutCell::text(&i.file),
            text_or_blank(i.sheet.as_deref()),
            i.row.map_or(OutCell::Blank, OutCell::Plain),
            text_or_blank(i.column.as_deref()),
            text_or_blank(i.field.as_deref()),
            text_or_blank(i.value.as_deref()),
            OutCell::text(&i.message),
            OutCell::text(action),
        ]);
    }
    let r = rows.len() as u32 + 1;
    let mut blocks = vec![Block::Table {
        at: (0, 0),
        header: header.map(String::from).to_vec(),
        rows,
    }];
    if c.findings_truncated || r > EXCEL_MAX_ROW - 1 {
        blocks.push(Block::Title {
            at: (r.min(EXCEL_MAX_ROW), 0),
            text: "More findings than listed here: the counts in About are complete; run `hisp validate --format csv` for the full list.".to_string(),
        });
    }
    let layout = Layout::frozen(1, 0)
        .width(0, 22.0)
        .width(2, 28.0)
        .width(8, 90.0)
        .wrap(8);
    Sheet::new(VALIDATION, blocks, layout)
}

pub(crate) const VALIDATION: &str = "Validation";
pub(crate) const ABOUT: &str = "About";

/// `About`: the quarter, the schema and the tool, the inputs read with
/// their digests and counts, and the run's notes.
fn about<'a>(c: &Common<'_>) -> Sheet<'a> {
    let q = c.quarter;
    let facts: Vec<(String, String)> = vec![
        ("Fiscal year", q.fiscal_year().to_string()),
        ("Quarter", q.quarter().to_string()),
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
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v))
    .collect();
    let top = 3 + facts.len() as u32;
    let header = [
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
    ];
    let rows = c
        .inputs
        .iter()
        .map(|input| {
            let mut cells = vec![
                OutCell::text(&input.file),
                text_or_blank(input.sheet.as_deref()),
                OutCell::text(&input.format),
                OutCell::Count(input.bytes),
                OutCell::text(&input.sha256),
            ];
            cells.extend(
                [
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
                .map(OutCell::Count),
            );
            cells
        })
        .collect();
    let mut blocks = vec![
        Block::Title {
            at: (0, 0),
            text: "HISP quarterly CX data (OMB Circular A-11 Section 280)".to_string(),
        },
        Block::Facts { at: (2, 0), facts },
        Block::Table {
            at: (top, 0),
            header: header.map(String::from).to_vec(),
            rows,
        },
    ];
    // The run's notes, so that nobody reads a recoded scale as native.
    if !c.notes.is_empty() {
        let top = top + c.inputs.len() as u32 + 2;
        blocks.push(Block::Title {
            at: (top, 0),
            text: "Notes".to_string(),
        });
        blocks.extend(c.notes.iter().enumerate().map(|(i, note)| Block::Text {
            at: (top + 1 + i as u32, 0),
            text: note.clone(),
        }));
    }
    let layout = Layout::default()
        .width(0, 30.0)
        .width(1, 40.0)
        .width(4, 66.0);
    Sheet::new(ABOUT, blocks, layout)
}

/// `Previous quarter`: each share of the quarter beside the previous
/// quarter's, the change and whether it is significant.
pub(crate) const PREVIOUS_QUARTER: &str = "Previous quarter";

fn comparison<'a>(table: &crate::write::Table) -> Sheet<'a> {
    let note = table.rows.len() as u32 + 2;
    let blocks = vec![
        Block::Table {
            at: (0, 0),
            header: table.header.clone(),
            rows: table.rows.clone(),
        },
        Block::Text {
            at: (note, 0),
            text: "change: points since the previous fiscal quarter; p_value: two-proportion z-test; significant: p < 0.05 and neither quarter small-n. The previous quarter's rows are counted from the same inputs; their findings are not reported.".to_string(),
        },
    ];
    Sheet::new(
        PREVIOUS_QUARTER,
        blocks,
        Layout::frozen(1, 0).width(1, 28.0),
    )
}
