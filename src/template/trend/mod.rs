//! `hisp trend`: any template counted per fiscal quarter in one pass, and
//! the quarters compared. Each quarter gets its own instance of the
//! template (so a quarter's counts are exactly what `report` gives for it);
//! the shares of every scope are then laid out quarter by quarter with
//! their 95% Wilson intervals, the change from the previous quarter and the
//! two-proportion z-test of that change.

mod compared;
mod sheets;

use std::collections::btree_map::Entry;
use std::collections::{BTreeMap, HashMap};
use std::io::{self, Write};

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
use crate::write::document::Document;
use crate::write::spool::Spool;
use crate::write::workbook::Common;

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
    format!("FY{}Q{}", q.fiscal_year(), q.quarter())
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
    let text = OutCell::text;
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
                OutCell::Plain(p.quarter.fiscal_year() as u64),
                OutCell::Plain(u64::from(p.quarter.quarter())),
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

    fn add_history(&mut self, history: super::History, notes: &mut Vec<String>) -> bool {
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

    fn document(&self, common: &Common<'_>) -> Document<'_> {
        sheets::document(self, common)
    }
}

pub(crate) use compared::Compared;
use compared::copy_shares;
