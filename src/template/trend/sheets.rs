//! The trend workbook as a document: `Trend` (the long table), `Charts`,
//! `Significant changes`, `Drivers` (A-11 v2), then `Validation` and
//! `About`.

use super::{Point, Series as Scope, Trend, code};
use crate::fiscal::Quarter;
use crate::write::OutCell;
use crate::write::document::{
    Axis, Block, Cells, Chart, ChartKind, Document, Layout, Series, SeriesName, Sheet,
};
use crate::write::workbook::{Common, workbook};

const CHARTS: &str = "Charts";

/// The trend workbook.
pub(super) fn document<'a>(trend: &Trend, common: &Common<'_>) -> Document<'a> {
    let mut sheets = vec![
        trend.trend_sheet(),
        trend.charts(),
        trend.significant_sheet(),
    ];
    if trend
        .series
        .iter()
        .any(|s| s.series.iter().any(|p| p.driver))
    {
        sheets.push(trend.drivers_sheet());
    }
    workbook(format!("{} trend", trend.template), common, sheets, None)
}

/// `yes`, or an empty cell's text.
fn yes(flag: bool) -> OutCell {
    OutCell::Text(if flag { "yes" } else { "" }.to_string())
}

impl Trend {
    fn trend_sheet<'a>(&self) -> Sheet<'a> {
        let table = self.long_table();
        let blocks = vec![Block::Table {
            at: (0, 0),
            header: table.header,
            rows: table.rows,
        }];
        Sheet::new(
            "Trend",
            blocks,
            Layout::frozen(1, 0).width(1, 28.0).width(2, 24.0),
        )
    }

    /// Per service and overall, a line chart of each share across the
    /// quarters, its 95% interval drawn as error bars. The chart data sit in
    /// a table on the same sheet: quarter, then per measure its share, the
    /// distance up to the interval's top and down to its bottom.
    fn charts<'a>(&self) -> Sheet<'a> {
        let quarters: Vec<Quarter> = self.shares.keys().copied().collect();
        let mut blocks = Vec::new();
        let mut r = 0u32;
        let mut chart_row = 0u32;
        for series in self.series.iter().filter(|s| s.scope != "survey") {
            let title = if series.scope == "overall" {
                "All services".to_string()
            } else {
                series.service.clone()
            };
            let mut measures: Vec<&'static str> = Vec::new();
            for p in series.series.iter().filter(|p| !p.driver) {
                if !measures.contains(&p.measure) {
                    measures.push(p.measure);
                }
            }
            blocks.push(Block::Title {
                at: (r, 0),
                text: title.clone(),
            });
            let top = r + 1;
            let mut names = vec!["quarter".to_string()];
            for m in &measures {
                names.push(format!("{m} %"));
                names.push(format!("{m} +"));
                names.push(format!("{m} -"));
            }
            let rows = quarters
                .iter()
                .map(|q| {
                    let mut cells = vec![OutCell::Text(code(*q))];
                    for m in &measures {
                        let p = series
                            .series
                            .iter()
                            .find(|p| p.quarter == *q && p.measure == *m);
                        match p.map(|p| (p.share, p.ci_low, p.ci_high)) {
                            Some((Some(v), Some(lo), Some(hi))) => cells.extend([
                                OutCell::Number(v / 100.0),
                                OutCell::Number((hi - v) / 100.0),
                                OutCell::Number((v - lo) / 100.0),
                            ]),
                            _ => cells.extend([OutCell::Blank, OutCell::Blank, OutCell::Blank]),
                        }
                    }
                    cells
                })
                .collect();
            blocks.push(Block::Table {
                at: (top, 0),
                header: names,
                rows,
            });
            let last = top + quarters.len() as u32;
            let lines = measures
                .iter()
                .enumerate()
                .map(|(j, m)| {
                    let col = 1 + 3 * j as u16;
                    Series {
                        name: SeriesName::Text(m.to_string()),
                        categories: Cells::column(0, top + 1, last),
                        values: Cells::column(col, top + 1, last),
                        color: None,
                        error_bars: Some((
                            Cells::column(col + 1, top + 1, last),
                            Cells::column(col + 2, top + 1, last),
                        )),
                    }
                })
                .collect();
            let anchor = 2 + 3 * measures.len() as u16;
            blocks.push(Block::Chart {
                at: (chart_row.max(top), anchor),
                chart: Chart {
                    kind: ChartKind::Line,
                    title: format!("{title}: share, with its 95% interval"),
                    series: lines,
                    categories: Axis::default(),
                    values: Axis {
                        min: Some(0.0),
                        max: Some(1.0),
                        num_format: Some("0%"),
                        reverse: false,
                    },
                    size: (640, 300),
                },
            });
            chart_row = top + 16;
            r = last.max(top + 15) + 2;
        }
        Sheet::new(CHARTS, blocks, Layout::default())
    }

    /// A-11 v2: per service and overall, which drivers' shares moved most
    /// since the quarter before, latest quarter first.
    fn drivers_sheet<'a>(&self) -> Sheet<'a> {
        let mut moved: Vec<(&Scope, &Point)> = self
            .series
            .iter()
            .filter(|s| s.scope != "survey")
            .flat_map(|s| s.series.iter().map(move |p| (s, p)))
            .filter(|(_, p)| p.driver && p.change.is_some())
            .collect();
        let size = |p: &Point| p.change.map_or(0.0, f64::abs);
        moved.sort_by(|a, b| {
            b.1.quarter
                .cmp(&a.1.quarter)
                .then(size(b.1).total_cmp(&size(a.1)))
        });
        let rows = moved
            .iter()
            .map(|(series, p)| {
                let name = if series.scope == "overall" {
                    "All services"
                } else {
                    series.service.as_str()
                };
                vec![
                    OutCell::Text(code(p.quarter)),
                    OutCell::text(name),
                    OutCell::text(p.measure),
                    OutCell::percent(p.share),
                    p.change.map_or(OutCell::Blank, OutCell::Decimal),
                    p.p_value.map_or(OutCell::Blank, OutCell::Number),
                    yes(p.significant == Some(true)),
                    yes(p.small_n),
                ]
            })
            .collect();
        let header = [
            "quarter",
            "service",
            "driver",
            "share",
            "change (points)",
            "p_value",
            "significant",
            "small_n",
        ];
        let blocks = vec![Block::Table {
            at: (0, 0),
            header: header.map(String::from).to_vec(),
            rows,
        }];
        Sheet::new("Drivers", blocks, Layout::frozen(1, 0).widths(1, 2, 26.0))
    }

    /// The changes that are real, largest first.
    fn significant_sheet<'a>(&self) -> Sheet<'a> {
        let mut changes: Vec<(&Scope, &Point)> = self
            .series
            .iter()
            .flat_map(|s| s.series.iter().map(move |p| (s, p)))
            .filter(|(_, p)| p.significant == Some(true))
            .collect();
        changes.sort_by(|a, b| {
            let size = |p: &Point| p.change.map_or(0.0, f64::abs);
            size(b.1).total_cmp(&size(a.1))
        });
        let rows = changes
            .iter()
            .map(|(series, p)| {
                let mut cells: Vec<OutCell> = [
                    series.scope,
                    &series.service,
                    &series.touchpoint,
                    &series.channel,
                    &series.survey_id,
                    p.measure,
                ]
                .iter()
                .map(|v| OutCell::text(v))
                .collect();
                cells.push(OutCell::Text(code(p.quarter.previous())));
                cells.push(OutCell::Text(code(p.quarter)));
                match (p.share, p.change) {
                    (Some(now), Some(change)) => cells.extend([
                        OutCell::Percent(now - change),
                        OutCell::Percent(now),
                        OutCell::Decimal(change),
                    ]),
                    _ => cells.extend([OutCell::Blank, OutCell::Blank, OutCell::Blank]),
                }
                cells.push(p.p_value.map_or(OutCell::Blank, OutCell::Number));
                cells
            })
            .collect();
        let header = [
            "scope",
            "service",
            "touchpoint",
            "channel",
            "survey_id",
            "measure",
            "from",
            "to",
            "share before",
            "share now",
            "change (points)",
            "p_value",
        ];
        let empty = changes.is_empty();
        let mut blocks = vec![Block::Table {
            at: (0, 0),
            header: header.map(String::from).to_vec(),
            rows,
        }];
        if empty {
            blocks.push(Block::Text {
                at: (1, 0),
                text: "No change between consecutive quarters is significant at 95% (small-n scopes are not tested).".to_string(),
            });
        }
        Sheet::new(
            "Significant changes",
            blocks,
            Layout::default().width(1, 28.0),
        )
    }
}
