//! The A-11 v2 workbook as a document: `Collection Details` (the
//! Touchpoints collection detail fields), `Summary` (trust and drivers per
//! survey, service and overall, with charts), `Responses` (every response
//! of the quarter, streamed from the spool), then `Validation` and `About`
//! as in v1.

use super::Results;
use super::tables;
use super::tally::{DRIVERS, UPLOAD_COLUMNS};
use crate::write::OutCell;
use crate::write::document::{
    Axis, Block, Cells, Chart, ChartKind, Content, Document, Layout, RowCells, RowSource, Series,
    SeriesName, Sheet,
};
use crate::write::spool::Spooled;
use crate::write::workbook::{Common, workbook};

const COLLECTION_DETAILS: &str = "Collection Details";
const SUMMARY: &str = "Summary";
const RESPONSES: &str = "Responses";

/// The A-11 v2 workbook.
pub(super) fn document<'a>(results: &'a Results, common: &Common<'_>) -> Document<'a> {
    let sheets = vec![collection_details(results, common), summary(results)];
    let listed = common.responses_sheet.then(|| responses(results));
    workbook("A-11 v2".to_string(), common, sheets, listed)
}

fn collection_details<'a>(results: &Results, c: &Common<'_>) -> Sheet<'a> {
    let table = tables::collection_details(results, c.quarter);
    let blocks = vec![Block::Table {
        at: (0, 0),
        header: table.header,
        rows: table.rows,
    }];
    let layout = Layout::frozen(1, 0)
        .widths(2, 4, 24.0)
        .width(10, 30.0)
        .width(11, 60.0);
    Sheet::new(COLLECTION_DETAILS, blocks, layout)
}

fn summary<'a>(results: &Results) -> Sheet<'a> {
    let table = tables::summary(results);
    let mut r = table.rows.len() as u32 + 3;
    let mut blocks = vec![Block::Table {
        at: (0, 0),
        header: table.header,
        rows: table.rows,
    }];
    // Helper tables for the charts, below the summary.
    blocks.push(Block::Title {
        at: (r, 0),
        text: "Trust by survey".to_string(),
    });
    r += 1;
    let trust_top = r + 1;
    let trust_rows = results
        .rows
        .iter()
        .map(|row| {
            let share = row.tally.results().trust_positive_share();
            vec![
                OutCell::Text(row.entry.key.label()),
                OutCell::percent(share),
            ]
        })
        .collect();
    blocks.push(Block::Table {
        at: (r, 0),
        header: [
            "service / transaction point / channel",
            "trust_positive_share",
        ]
        .map(String::from)
        .to_vec(),
        rows: trust_rows,
    });
    let trust_last = trust_top + results.rows.len().max(1) as u32 - 1;
    r = trust_last + 2;
    blocks.push(Block::Title {
        at: (r, 0),
        text: "Drivers, all surveys".to_string(),
    });
    r += 1;
    let drivers_top = r + 1;
    let driver_rows = DRIVERS
        .iter()
        .enumerate()
        .map(|(d, name)| {
            vec![
                OutCell::text(name),
                OutCell::Count(results.overall.results.positive[d]),
                OutCell::Count(results.overall.results.negative[d]),
            ]
        })
        .collect();
    blocks.push(Block::Table {
        at: (r, 0),
        header: ["driver", "went well", "did not go well"]
            .map(String::from)
            .to_vec(),
        rows: driver_rows,
    });
    let drivers_last = drivers_top + DRIVERS.len() as u32 - 1;
    let bars = |title: &str, series: Vec<Series>, values: Axis| Chart {
        kind: ChartKind::Bar,
        title: title.to_string(),
        series,
        categories: Axis {
            reverse: true,
            ..Axis::default()
        },
        values,
        size: (640, 320),
    };
    let trust = Series {
        name: SeriesName::Text("positive share".to_string()),
        categories: Cells::column(0, trust_top, trust_last),
        values: Cells::column(1, trust_top, trust_last),
        color: None,
        error_bars: None,
    };
    let shares = Axis {
        max: Some(1.0),
        num_format: Some("0%"),
        ..Axis::default()
    };
    blocks.push(Block::Chart {
        at: (drivers_last + 2, 0),
        chart: bars("Trust: share of positive answers", vec![trust], shares),
    });
    let drivers = [(1u16, "went well"), (2, "did not go well")]
        .into_iter()
        .map(|(col, name)| Series {
            name: SeriesName::Text(name.to_string()),
            categories: Cells::column(0, drivers_top, drivers_last),
            values: Cells::column(col, drivers_top, drivers_last),
            color: None,
            error_bars: None,
        })
        .collect();
    blocks.push(Block::Chart {
        at: (drivers_last + 2, 6),
        chart: bars("What went well and what didn't", drivers, Axis::default()),
    });
    let layout = Layout::frozen(1, 2)
        .width(0, 36.0)
        .width(1, 28.0)
        .landscape()
        .widths(2, 4, 18.0);
    Sheet::new(SUMMARY, blocks, layout)
}

/// Every response of the quarter: survey keys and the 17 upload columns,
/// grouped by survey, streamed from the spool.
fn responses(results: &Results) -> Sheet<'_> {
    // survey_id only where the inputs name surveys.
    let mut names = vec!["service_name", "transaction_point", "channel"];
    if results
        .responses
        .as_ref()
        .is_some_and(|r| crate::tally::any_survey_id(&r.keys))
    {
        names.push("survey_id");
    }
    names.extend(UPLOAD_COLUMNS);
    Sheet {
        name: RESPONSES.to_string(),
        content: Content::Rows {
            header: names.into_iter().map(String::from).collect(),
            rows: results.responses.as_ref().map(|r| r as &dyn RowSource),
        },
        layout: Layout::default(),
    }
}

impl RowSource for Spooled {
    /// Each response with its survey's keys (survey_id where the inputs
    /// name surveys), its cells as written: `null`, 0 and 1 stay text, like
    /// the upload.
    fn each_row(
        &self,
        visit: &mut dyn FnMut(&mut RowCells<'_>) -> anyhow::Result<()>,
    ) -> anyhow::Result<()> {
        let keys = if crate::tally::any_survey_id(&self.keys) {
            4
        } else {
            3
        };
        for (i, key) in self.keys.iter().enumerate() {
            for record in self.rows(i)? {
                let record = record?;
                let parts = key.parts();
                let mut cells = parts[..keys]
                    .iter()
                    .map(|part| Some(*part))
                    .chain(record.iter().map(|cell| (!cell.is_empty()).then_some(cell)));
                visit(&mut cells)?;
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::Schema;
    use crate::tally::SurveyKey;
    use crate::write::spool::Spool;
    use crate::write::workbook::Common;
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
            overall: crate::template::a11_v2::tally::TrustRollup::default(),
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
        let doc = document(&results, &common);
        crate::write::xlsx::render_with_sheet_size(&doc, &mut file, 2).unwrap();
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
