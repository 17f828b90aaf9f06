//! The trend workbook: `Trend` (the long table), `Charts`, `Significant
//! changes`, `Drivers` (A-11 v2), then `Validation` and `About`.

use rust_xlsxwriter::{
    Chart, ChartErrorBars, ChartErrorBarsType, ChartRange, ChartType, Workbook, Worksheet,
    XlsxError,
};

use super::{Point, Series, Trend, code};
use crate::fiscal::Quarter;
use crate::write::WriteSeek;
use crate::write::workbook::{
    ABOUT, Common, Styles, VALIDATION, about, header, new_workbook, styles, validation,
};

/// Build the trend workbook and write it to `out`.
pub(super) fn write(
    trend: &Trend,
    common: &Common<'_>,
    out: &mut dyn WriteSeek,
) -> Result<(), XlsxError> {
    let mut wb: Workbook = new_workbook(common.quarter, &format!("{} trend", trend.template));
    let s = styles();
    trend.trend_sheet(wb.add_worksheet().set_name("Trend")?, &s)?;
    trend.charts(wb.add_worksheet().set_name("Charts")?, &s)?;
    trend.significant_sheet(wb.add_worksheet().set_name("Significant changes")?, &s)?;
    if trend
        .series
        .iter()
        .any(|s| s.series.iter().any(|p| p.driver))
    {
        trend.drivers_sheet(wb.add_worksheet().set_name("Drivers")?, &s)?;
    }
    validation(wb.add_worksheet().set_name(VALIDATION)?, common, &s)?;
    about(wb.add_worksheet().set_name(ABOUT)?, common, &s)?;
    wb.save_to_writer(out)
}

impl Trend {
    fn trend_sheet(&self, ws: &mut Worksheet, s: &Styles) -> std::result::Result<(), XlsxError> {
        let table = self.long_table();
        header(ws, 0, &table.header, s)?;
        for (i, row) in table.rows.iter().enumerate() {
            for (c, cell) in row.iter().enumerate() {
                crate::write::workbook::write_cell(ws, i as u32 + 1, c as u16, cell, s)?;
            }
        }
        ws.set_freeze_panes(1, 0)?;
        ws.set_column_width(1, 28)?;
        ws.set_column_width(2, 24)?;
        Ok(())
    }

    /// Per service and overall, a line chart of each share across the
    /// quarters, its 95% interval drawn as error bars. The chart data sit in
    /// a table on the same sheet: quarter, then per measure its share, the
    /// distance up to the interval's top and down to its bottom.
    fn charts(&self, ws: &mut Worksheet, s: &Styles) -> std::result::Result<(), XlsxError> {
        const SHEET: &str = "Charts";
        let quarters: Vec<Quarter> = self.shares.keys().copied().collect();
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
            ws.write_string_with_format(r, 0, &title, &s.title)?;
            let top = r + 1;
            let mut names = vec!["quarter".to_string()];
            for m in &measures {
                names.push(format!("{m} %"));
                names.push(format!("{m} +"));
                names.push(format!("{m} -"));
            }
            header(ws, top, &names, s)?;
            for (k, q) in quarters.iter().enumerate() {
                let row = top + 1 + k as u32;
                ws.write_string(row, 0, code(*q))?;
                for (j, m) in measures.iter().enumerate() {
                    let col = 1 + 3 * j as u16;
                    let p = series
                        .series
                        .iter()
                        .find(|p| p.quarter == *q && p.measure == *m);
                    if let Some(p) = p
                        && let (Some(v), Some(lo), Some(hi)) = (p.share, p.ci_low, p.ci_high)
                    {
                        ws.write_number(row, col, v / 100.0)?;
                        ws.write_number(row, col + 1, (hi - v) / 100.0)?;
                        ws.write_number(row, col + 2, (v - lo) / 100.0)?;
                    }
                }
            }
            let last = top + quarters.len() as u32;
            let mut chart = Chart::new(ChartType::Line);
            let chart_title = format!("{title}: share, with its 95% interval");
            chart.title().set_name(&chart_title);
            for (j, m) in measures.iter().enumerate() {
                let col = 1 + 3 * j as u16;
                let plus = ChartRange::new_from_range(SHEET, top + 1, col + 1, last, col + 1);
                let minus = ChartRange::new_from_range(SHEET, top + 1, col + 2, last, col + 2);
                chart
                    .add_series()
                    .set_name(*m)
                    .set_categories((SHEET, top + 1, 0, last, 0))
                    .set_values((SHEET, top + 1, col, last, col))
                    .set_y_error_bars(
                        ChartErrorBars::new().set_type(ChartErrorBarsType::Custom(plus, minus)),
                    );
            }
            chart.y_axis().set_min(0).set_max(1).set_num_format("0%");
            chart.set_width(640).set_height(300);
            let anchor = 2 + 3 * measures.len() as u16;
            ws.insert_chart(chart_row.max(top), anchor, &chart)?;
            chart_row = top + 16;
            r = last.max(top + 15) + 2;
        }
        Ok(())
    }

    /// A-11 v2: per service and overall, which drivers' shares moved most
    /// since the quarter before, latest quarter first.
    fn drivers_sheet(&self, ws: &mut Worksheet, s: &Styles) -> std::result::Result<(), XlsxError> {
        let mut moved: Vec<(&Series, &Point)> = self
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
        header(
            ws,
            0,
            &[
                "quarter",
                "service",
                "driver",
                "share",
                "change (points)",
                "p_value",
                "significant",
                "small_n",
            ],
            s,
        )?;
        for (i, (series, p)) in moved.iter().enumerate() {
            let r = i as u32 + 1;
            ws.write_string(r, 0, code(p.quarter))?;
            let name = if series.scope == "overall" {
                "All services"
            } else {
                series.service.as_str()
            };
            ws.write_string(r, 1, name)?;
            ws.write_string(r, 2, p.measure)?;
            if let Some(v) = p.share {
                ws.write_number_with_format(r, 3, v / 100.0, &s.percent)?;
            }
            if let Some(c) = p.change {
                ws.write_number_with_format(r, 4, c, &s.decimal)?;
            }
            if let Some(pv) = p.p_value {
                ws.write_number(r, 5, pv)?;
            }
            ws.write_string(
                r,
                6,
                if p.significant == Some(true) {
                    "yes"
                } else {
                    ""
                },
            )?;
            ws.write_string(r, 7, if p.small_n { "yes" } else { "" })?;
        }
        ws.set_freeze_panes(1, 0)?;
        ws.set_column_range_width(1, 2, 26)?;
        Ok(())
    }

    /// The changes that are real, largest first.
    fn significant_sheet(
        &self,
        ws: &mut Worksheet,
        s: &Styles,
    ) -> std::result::Result<(), XlsxError> {
        let mut changes: Vec<(&Series, &Point)> = self
            .series
            .iter()
            .flat_map(|s| s.series.iter().map(move |p| (s, p)))
            .filter(|(_, p)| p.significant == Some(true))
            .collect();
        changes.sort_by(|a, b| {
            let size = |p: &Point| p.change.map_or(0.0, f64::abs);
            size(b.1).total_cmp(&size(a.1))
        });
        header(
            ws,
            0,
            &[
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
            ],
            s,
        )?;
        for (i, (series, p)) in changes.iter().enumerate() {
            let r = i as u32 + 1;
            for (c, v) in [
                series.scope,
                &series.service,
                &series.touchpoint,
                &series.channel,
                &series.survey_id,
                p.measure,
            ]
            .iter()
            .enumerate()
            {
                ws.write_string(r, c as u16, *v)?;
            }
            ws.write_string(r, 6, code(p.quarter.previous()))?;
            ws.write_string(r, 7, code(p.quarter))?;
            if let (Some(now), Some(change)) = (p.share, p.change) {
                ws.write_number_with_format(r, 8, (now - change) / 100.0, &s.percent)?;
                ws.write_number_with_format(r, 9, now / 100.0, &s.percent)?;
                ws.write_number_with_format(r, 10, change, &s.decimal)?;
            }
            if let Some(pv) = p.p_value {
                ws.write_number(r, 11, pv)?;
            }
        }
        if changes.is_empty() {
            ws.write_string(1, 0, "No change between consecutive quarters is significant at 95% (small-n scopes are not tested).")?;
        }
        ws.set_column_width(1, 28)?;
        Ok(())
    }
}
