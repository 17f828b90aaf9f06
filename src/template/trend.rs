//! `hisp trend`: any template counted per fiscal quarter in one pass, and
//! the quarters compared. Each quarter gets its own instance of the
//! template (so a quarter's counts are exactly what `report` gives for it);
//! the shares of every scope are then laid out quarter by quarter with
//! their 95% Wilson intervals, the change from the previous quarter and the
//! two-proportion z-test of that change.

use std::collections::btree_map::Entry;
use std::collections::{BTreeMap, HashMap};
use std::io::{self, Write};

use rust_xlsxwriter::{
    Chart, ChartErrorBars, ChartErrorBarsType, ChartRange, ChartType, Workbook, Worksheet,
    XlsxError,
};
use serde::Serialize;

use super::{Published, ScopeShares, Template};
use crate::check::findings::Findings;
use crate::check::input::InputStats;
use crate::check::{Checker, RowCheck};
use crate::error::Result;
use crate::fiscal::Quarter;
use crate::schema::Schema;
use crate::stats;
use crate::tally::manifest::Manifest;
use crate::write::OutCell;
use crate::write::Table;
use crate::write::WriteSeek;
use crate::write::spool::Spool;
use crate::write::workbook::{
    ABOUT, Common, Styles, VALIDATION, about, header, new_workbook, styles, validation,
};

/// A template counted per quarter.
pub(crate) struct Quarterly<T> {
    manifest: Option<Manifest>,
    by_quarter: BTreeMap<Quarter, T>,
    min_n: u64,
    template: String,
}

impl<T: Template> Template for Quarterly<T> {
    fn start(
        checker: &Checker,
        manifest: Option<&Manifest>,
        _spool: Option<Spool>,
    ) -> Result<Self> {
        Ok(Quarterly {
            manifest: manifest.cloned(),
            by_quarter: BTreeMap::new(),
            min_n: checker.min_n,
            template: checker.schema.name.clone(),
        })
    }

    fn row(&mut self, check: &mut RowCheck<'_>, input: &mut InputStats) -> Result<()> {
        // Rows reach a trend only dated (the admission leaves undated rows out).
        let Some(quarter) = check.period else {
            return Ok(());
        };
        let instance = match self.by_quarter.entry(quarter) {
            Entry::Occupied(found) => found.into_mut(),
            Entry::Vacant(new) => {
                new.insert(T::start(check.checker(), self.manifest.as_ref(), None)?)
            }
        };
        instance.row(check, input)
    }

    fn finish(
        self,
        manifest: Option<&Manifest>,
        findings: &mut Findings,
        notes: &mut Vec<String>,
    ) -> Result<Box<dyn Published>> {
        let mut quarters = Vec::new();
        for (quarter, instance) in self.by_quarter {
            let mut said = Vec::new();
            let published = instance.finish(manifest, findings, &mut said)?;
            notes.extend(said.into_iter().map(|n| format!("{quarter}: {n}")));
            quarters.push((quarter, published));
        }
        Ok(Box::new(Trend::new(quarters, self.min_n, self.template)))
    }
}

/// One share of one scope in one quarter, compared with the quarter before.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Point {
    #[serde(serialize_with = "as_code")]
    pub(crate) quarter: Quarter,
    pub(crate) respondents: u64,
    pub(crate) small_n: bool,
    pub(crate) measure: &'static str,
    /// An A-11 v2 driver share (charted apart, ranked on `Drivers`).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub(crate) driver: bool,
    pub(crate) count: u64,
    pub(crate) of: u64,
    /// Percent, 2 decimals; its 95% Wilson interval.
    pub(crate) share: Option<f64>,
    pub(crate) ci_low: Option<f64>,
    pub(crate) ci_high: Option<f64>,
    /// Points since the previous fiscal quarter, when it has this share.
    pub(crate) change: Option<f64>,
    pub(crate) p_value: Option<f64>,
    /// p below 0.05, neither quarter small-n.
    pub(crate) significant: Option<bool>,
}

fn as_code<S: serde::Serializer>(q: &Quarter, s: S) -> std::result::Result<S::Ok, S::Error> {
    s.serialize_str(&code(*q))
}

/// `FY2025Q1`, as `--from` and `--to` take it.
pub(crate) fn code(q: Quarter) -> String {
    format!("FY{}Q{}", q.fiscal_year, q.quarter)
}

/// A scope (survey, service, overall) and its points, quarter by quarter.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Series {
    pub(crate) scope: &'static str,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub(crate) service: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub(crate) touchpoint: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub(crate) channel: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub(crate) survey_id: String,
    pub(crate) series: Vec<Point>,
}

pub(crate) struct Trend {
    /// Every scope's shares per quarter, responses and published counts.
    shares: BTreeMap<Quarter, Vec<ScopeShares>>,
    series: Vec<Series>,
    min_n: u64,
    template: String,
}

fn round2(v: f64) -> f64 {
    (v * 100.0).round() / 100.0
}

impl Trend {
    fn new(quarters: Vec<(Quarter, Box<dyn Published>)>, min_n: u64, template: String) -> Trend {
        let shares: BTreeMap<Quarter, Vec<ScopeShares>> =
            quarters.iter().map(|(q, p)| (*q, p.shares())).collect();
        let mut trend = Trend {
            shares,
            series: Vec::new(),
            min_n,
            template,
        };
        trend.lay_out();
        trend
    }

    /// The series, from the shares of every quarter.
    fn lay_out(&mut self) {
        let quarters = self
            .shares
            .iter()
            .map(|(q, s)| (*q, s.iter().map(copy_shares).collect()))
            .collect();
        self.series = series_of(quarters, self.min_n);
    }
}

/// Every scope's shares laid out quarter by quarter, each compared with the
/// previous fiscal quarter.
fn series_of(quarters: Vec<(Quarter, Vec<ScopeShares>)>, min_n: u64) -> Vec<Series> {
    // Scopes in order of first appearance (surveys, services, overall).
    let mut index: HashMap<(&'static str, [String; 4]), usize> = HashMap::new();
    let mut series: Vec<Series> = Vec::new();
    for (quarter, shares) in quarters {
        for scope in shares {
            let key = (scope.scope, scope.names.clone());
            let i = *index.entry(key).or_insert_with(|| {
                let [service, touchpoint, channel, survey_id] = scope.names.clone();
                series.push(Series {
                    scope: scope.scope,
                    service,
                    touchpoint,
                    channel,
                    survey_id,
                    series: Vec::new(),
                });
                series.len() - 1
            });
            let small_n = scope.respondents < min_n;
            for m in scope.measures {
                let ci = stats::wilson_percent(m.count, m.of);
                series[i].series.push(Point {
                    quarter,
                    respondents: scope.respondents,
                    small_n,
                    measure: m.name,
                    driver: m.driver,
                    count: m.count,
                    of: m.of,
                    share: crate::tally::rollup::hundredths(m.count * 100, m.of),
                    ci_low: ci.map(|c| c.0),
                    ci_high: ci.map(|c| c.1),
                    change: None,
                    p_value: None,
                    significant: None,
                });
            }
        }
    }
    // Each point against the same measure in the previous fiscal quarter.
    for s in &mut series {
        let before: HashMap<(Quarter, &'static str), Point> = s
            .series
            .iter()
            .map(|p| ((p.quarter, p.measure), p.clone()))
            .collect();
        for p in &mut s.series {
            let Some(prev) = before.get(&(p.quarter.previous(), p.measure)) else {
                continue;
            };
            let (count, of, share, small) = (prev.count, prev.of, prev.share, prev.small_n);
            if let (Some(now), Some(then)) = (p.share, share) {
                p.change = Some(round2(now - then));
            }
            p.p_value = stats::two_proportion_p(count, of, p.count, p.of)
                .map(|v| (v * 10_000.0).round() / 10_000.0);
            p.significant = p
                .p_value
                .map(|v| stats::significant(v) && !small && !p.small_n);
        }
    }
    series
}

const HEADER: [&str; 19] = [
    "scope",
    "service",
    "touchpoint",
    "channel",
    "survey_id",
    "quarter",
    "fiscal_year",
    "fiscal_quarter",
    "respondents",
    "small_n",
    "measure",
    "count",
    "of",
    "share",
    "ci_low",
    "ci_high",
    "change",
    "p_value",
    "significant",
];

impl Trend {
    /// The long table: a row per scope, quarter and measure.
    fn long_table(&self) -> Table {
        long_table(&self.series, |_| true)
    }
}

/// The points of `series` that `keep` keeps, a row each.
fn long_table(series: &[Series], keep: impl Fn(&Point) -> bool) -> Table {
    let text = |s: &str| OutCell::Text(s.to_string());
    let num = |v: Option<f64>| v.map_or(OutCell::Blank, OutCell::Decimal);
    let mut rows = Vec::new();
    for s in series {
        for p in s.series.iter().filter(|p| keep(p)) {
            rows.push(vec![
                text(s.scope),
                text(&s.service),
                text(&s.touchpoint),
                text(&s.channel),
                text(&s.survey_id),
                text(&code(p.quarter)),
                OutCell::Plain(p.quarter.fiscal_year as u64),
                OutCell::Plain(u64::from(p.quarter.quarter)),
                OutCell::Count(p.respondents),
                text(if p.small_n { "true" } else { "false" }),
                text(p.measure),
                OutCell::Count(p.count),
                OutCell::Count(p.of),
                num(p.share),
                num(p.ci_low),
                num(p.ci_high),
                num(p.change),
                num(p.p_value),
                text(match p.significant {
                    Some(true) => "true",
                    Some(false) => "false",
                    None => "",
                }),
            ]);
        }
    }
    Table {
        header: HEADER.map(String::from).to_vec(),
        rows,
    }
}

impl Published for Trend {
    fn shares(&self) -> Vec<super::ScopeShares> {
        Vec::new()
    }

    fn surveys(&self) -> usize {
        self.series.iter().filter(|s| s.scope == "survey").count()
    }

    fn respondents(&self) -> u64 {
        self.shares
            .values()
            .flat_map(|s| s.iter().filter(|s| s.scope == "overall"))
            .map(|s| s.respondents)
            .sum()
    }

    fn add_history(&mut self, history: super::history::History, notes: &mut Vec<String>) -> bool {
        for (quarter, shares) in history {
            match self.shares.entry(quarter) {
                std::collections::btree_map::Entry::Occupied(_) => notes.push(format!(
                    "{quarter}: counted from the responses; the table of counts for it is left out"
                )),
                std::collections::btree_map::Entry::Vacant(slot) => {
                    slot.insert(shares);
                }
            }
        }
        self.lay_out();
        true
    }

    fn aggregate_csv(&self, out: &mut dyn Write) -> io::Result<()> {
        let table = self.long_table();
        crate::write::csv_to(out, |w| {
            w.write_record(&table.header)?;
            for row in &table.rows {
                w.write_record(row.iter().map(OutCell::csv_field))?;
            }
            Ok(())
        })
    }

    fn aggregate_json(&self, _quarter: Option<Quarter>, out: &mut dyn Write) -> io::Result<()> {
        #[derive(Serialize)]
        struct Doc<'a> {
            template: &'a str,
            quarters: Vec<String>,
            min_n: u64,
            confidence: f64,
            surveys: Vec<&'a Series>,
            services: Vec<&'a Series>,
            overall: Option<&'a Series>,
        }
        let of = |scope: &str| {
            self.series
                .iter()
                .filter(|s| s.scope == scope)
                .collect::<Vec<_>>()
        };
        let doc = Doc {
            template: &self.template,
            quarters: self.shares.keys().map(|q| code(*q)).collect(),
            min_n: self.min_n,
            confidence: stats::CONFIDENCE,
            surveys: of("survey"),
            services: of("service"),
            overall: of("overall").into_iter().next(),
        };
        serde_json::to_writer_pretty(&mut *out, &doc)?;
        writeln!(out)
    }

    fn main_table(&self, _quarter: Quarter, _schema: &Schema) -> (&'static str, Table) {
        ("trend", self.long_table())
    }

    fn workbook(
        &self,
        common: &Common<'_>,
        out: &mut dyn WriteSeek,
    ) -> std::result::Result<(), XlsxError> {
        let mut wb: Workbook = new_workbook(common.quarter, &format!("{} trend", self.template));
        let s = styles();
        self.trend_sheet(wb.add_worksheet().set_name("Trend")?, &s)?;
        self.charts(wb.add_worksheet().set_name("Charts")?, &s)?;
        self.significant_sheet(wb.add_worksheet().set_name("Significant changes")?, &s)?;
        if self
            .series
            .iter()
            .any(|s| s.series.iter().any(|p| p.driver))
        {
            self.drivers_sheet(wb.add_worksheet().set_name("Drivers")?, &s)?;
        }
        validation(wb.add_worksheet().set_name(VALIDATION)?, common, &s)?;
        about(wb.add_worksheet().set_name(ABOUT)?, common, &s)?;
        wb.save_to_writer(out)
    }
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

/// `hisp report`: the quarter, and the previous quarter's rows of the same
/// inputs counted beside it, to compare each share with.
pub(crate) struct Compared<T> {
    current: T,
    previous: T,
    min_n: u64,
}

impl<T: Template> Template for Compared<T> {
    fn start(checker: &Checker, manifest: Option<&Manifest>, spool: Option<Spool>) -> Result<Self> {
        Ok(Compared {
            current: T::start(checker, manifest, spool)?,
            previous: T::start(checker, manifest, None)?,
            min_n: checker.min_n,
        })
    }

    fn row(&mut self, check: &mut RowCheck<'_>, input: &mut InputStats) -> Result<()> {
        if check.comparison {
            self.previous.row(check, input)
        } else {
            self.current.row(check, input)
        }
    }

    fn finish(
        self,
        manifest: Option<&Manifest>,
        findings: &mut Findings,
        notes: &mut Vec<String>,
    ) -> Result<Box<dyn Published>> {
        let current = self.current.finish(manifest, findings, notes)?;
        // The previous quarter's findings and notes were last quarter's.
        let previous = self
            .previous
            .finish(manifest, &mut Findings::new(0), &mut Vec::new())?;
        Ok(Box::new(WithPrevious {
            current,
            previous: previous.shares(),
            min_n: self.min_n,
        }))
    }
}

/// A quarter's results and the previous quarter's shares.
struct WithPrevious {
    current: Box<dyn Published>,
    previous: Vec<ScopeShares>,
    min_n: u64,
}

impl WithPrevious {
    /// Each share of the quarter beside the previous quarter's, with the
    /// change and its test; `None` when the inputs hold no row of the
    /// previous quarter.
    fn comparison(&self, quarter: Quarter) -> Option<Table> {
        if self.previous.iter().all(|s| s.respondents == 0) {
            return None;
        }
        let previous = self.previous.iter().map(copy_shares).collect();
        let series = series_of(
            vec![
                (quarter.previous(), previous),
                (quarter, self.current.shares()),
            ],
            self.min_n,
        );
        Some(comparison_table(&series, quarter))
    }
}

/// Each share of `quarter` beside the previous quarter's.
fn comparison_table(series: &[Series], quarter: Quarter) -> Table {
    let text = |s: &str| OutCell::Text(s.to_string());
    let num = |v: Option<f64>| v.map_or(OutCell::Blank, OutCell::Decimal);
    let flag = |b: Option<bool>| text(b.map_or("", |b| if b { "true" } else { "false" }));
    let mut rows = Vec::new();
    for s in series {
        for p in s.series.iter().filter(|p| p.quarter == quarter) {
            let before = s
                .series
                .iter()
                .find(|b| b.quarter == quarter.previous() && b.measure == p.measure);
            rows.push(vec![
                text(s.scope),
                text(&s.service),
                text(&s.touchpoint),
                text(&s.channel),
                text(&s.survey_id),
                text(p.measure),
                num(before.and_then(|b| b.share)),
                before.map_or(OutCell::Blank, |b| OutCell::Count(b.respondents)),
                num(p.share),
                num(p.ci_low),
                num(p.ci_high),
                OutCell::Count(p.respondents),
                num(p.change),
                num(p.p_value),
                flag(p.significant),
                flag(Some(p.small_n || before.is_some_and(|b| b.small_n))),
            ]);
        }
    }
    let previous = code(quarter.previous());
    let now = code(quarter);
    let header = [
        "scope".to_string(),
        "service".into(),
        "touchpoint".into(),
        "channel".into(),
        "survey_id".into(),
        "measure".into(),
        format!("share {previous}"),
        format!("respondents {previous}"),
        format!("share {now}"),
        "ci_low".into(),
        "ci_high".into(),
        format!("respondents {now}"),
        "change".into(),
        "p_value".into(),
        "significant".into(),
        "small_n".into(),
    ];
    Table {
        header: header.to_vec(),
        rows,
    }
}

fn copy_shares(s: &ScopeShares) -> ScopeShares {
    ScopeShares {
        scope: s.scope,
        names: s.names.clone(),
        respondents: s.respondents,
        measures: s
            .measures
            .iter()
            .map(|m| super::Measure {
                name: m.name,
                count: m.count,
                of: m.of,
                driver: m.driver,
            })
            .collect(),
    }
}

impl Published for WithPrevious {
    fn shares(&self) -> Vec<ScopeShares> {
        self.current.shares()
    }

    fn surveys(&self) -> usize {
        self.current.surveys()
    }

    fn respondents(&self) -> u64 {
        self.current.respondents()
    }

    fn aggregate_csv(&self, out: &mut dyn Write) -> io::Result<()> {
        self.current.aggregate_csv(out)
    }

    fn aggregate_json(&self, quarter: Option<Quarter>, out: &mut dyn Write) -> io::Result<()> {
        self.current.aggregate_json(quarter, out)
    }

    fn main_table(&self, quarter: Quarter, schema: &Schema) -> (&'static str, Table) {
        self.current.main_table(quarter, schema)
    }

    fn workbook(
        &self,
        common: &Common<'_>,
        out: &mut dyn WriteSeek,
    ) -> std::result::Result<(), XlsxError> {
        let comparison = self.comparison(common.quarter);
        let common = Common {
            comparison: comparison.as_ref(),
            ..common.clone()
        };
        self.current.workbook(&common, out)
    }

    fn uploads(&self) -> Option<Vec<super::Upload<'_>>> {
        self.current.uploads()
    }
}
