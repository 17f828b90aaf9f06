//! `hisp report`'s comparison: the quarter counted beside the previous
//! quarter's rows of the same inputs, each share compared with it.

use std::io::{self, Write};

use super::{Series, code, series_of};
use crate::check::findings::Findings;
use crate::check::input::InputStats;
use crate::check::{Checker, RowCheck};
use crate::error::Result;
use crate::fiscal::Quarter;
use crate::schema::Schema;
use crate::tally::manifest::Manifest;
use crate::template::{Published, ScopeShares, Template, Upload};
use crate::write::document::Document;
use crate::write::spool::Spool;
use crate::write::workbook::Common;
use crate::write::{OutCell, Table};

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
    let text = OutCell::text;
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

pub(super) fn copy_shares(s: &ScopeShares) -> ScopeShares {
    ScopeShares {
        scope: s.scope,
        names: s.names.clone(),
        respondents: s.respondents,
        measures: s
            .measures
            .iter()
            .map(|m| crate::template::Measure {
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

    fn document(&self, common: &Common<'_>) -> Document<'_> {
        let comparison = self.comparison(common.quarter);
        let common = Common {
            comparison: comparison.as_ref(),
            ..common.clone()
        };
        self.current.document(&common)
    }

    fn uploads(&self) -> Option<Vec<Upload<'_>>> {
        self.current.uploads()
    }
}
