//! The editions hisp fills (A-11 v1, A-11 v2), behind two interfaces. An
//! [`Edition`] describes one to the rest of hisp: its name, its schemas, how
//! its header is recognised, the columns and mapping sections only it knows,
//! and how its counting starts. A [`Template`] is that counting: the fields
//! its rules read, the rules themselves, what is counted per survey, what is
//! settled once every row is read, and what it publishes. The editions are
//! listed once, in `registry.rs`; the pass over the rows
//! (`crate::pipeline`) is written once and never names one. A new edition
//! is a new folder here and one line in the registry.

pub(crate) mod a11_v1;
pub(crate) mod a11_v2;
pub(crate) mod registry;
#[cfg(test)]
mod tiny;
pub(crate) mod trend;

/// Names the synthetic-data generator shares with the editions.
pub mod names {
    pub use super::a11_v2::{DRIVERS, UPLOAD_COLUMNS};
}

use std::io::{self, Write};

use crate::check::findings::Findings;
use crate::check::input::InputStats;
use crate::check::{Checker, ColumnRecogniser, RowCheck};
use crate::error::Result;
use crate::fiscal::Quarter;
use crate::ingest::InputSpec;
use crate::schema::{Mapping, Schema};
use crate::tally::manifest::Manifest;
use crate::write::Table;
use crate::write::document::Document;
use crate::write::spool::Spool;
use crate::write::workbook::Common;

/// One edition of the reporting template, described to the rest of hisp.
/// Most methods are data or have a default; `start` is one line, naming
/// the edition's [`Template`]: `start::<MyTemplate>(shape, checker,
/// manifest, spool)`.
pub(crate) trait Edition: Sync {
    /// Its name, as `--template` and `hisp.toml` give it: `a11-v2`.
    fn name(&self) -> &'static str;

    /// The schemas it ships, by name, as JSON text: its response export's
    /// first, then any others (an upload file's, the services manifest's).
    fn schemas(&self) -> &'static [(&'static str, &'static str)];

    /// The schema of its services manifest.
    fn manifest_schema(&self) -> &'static str;

    /// Which of its schemas a header belongs to, when the header is plainly
    /// this edition's; `None` leaves it to the others (the registry's
    /// first edition takes what no other claims).
    fn recognise(
        &self,
        _headers: &[String],
        _descriptions: &[String],
        _mapping: &Mapping,
    ) -> Option<&'static str> {
        None
    }

    /// For `hisp init`: why a header of this schema of the edition's needs
    /// no mapping (it is already a ready table), when it does not.
    fn needs_no_mapping(&self, _schema: &str) -> Option<&'static str> {
        None
    }

    /// Fields recognised from a column's question text beyond the schema's
    /// own wordings (A-11 v2's drivers, by question and choice).
    fn column_recogniser(&self) -> Option<ColumnRecogniser> {
        None
    }

    /// `hisp trend`: whether a header is a table of counts per survey and
    /// quarter that this edition reads as earlier quarters (A-11 v1: the
    /// table OMB publishes).
    fn reads_history(&self, _headers: &[String]) -> bool {
        false
    }

    /// Read such a table: the quarters of `span` it holds, and a note.
    fn read_history(
        &self,
        spec: &InputSpec,
        _span: (Quarter, Quarter),
        _findings: &mut Findings,
    ) -> Result<(History, String)> {
        Err(crate::error::Error::config(anyhow::anyhow!(
            "{}: {} reads no table of counts",
            spec.display_name(),
            self.name()
        )))
    }

    /// Check the mapping file's sections that only this edition reads.
    /// Every edition checks its own, whichever edition runs: one mapping
    /// file may serve both.
    fn check_mapping(&self, _mapping: &Mapping, _source: &str) -> anyhow::Result<()> {
        Ok(())
    }

    /// Start counting a pass in the shape asked.
    fn start(
        &self,
        shape: Shape,
        checker: &Checker,
        manifest: Option<&Manifest>,
        spool: Option<Spool>,
    ) -> Result<Box<dyn Counting>>;

    /// The edition's response schema, the first it ships.
    fn response_schema(&self) -> &'static str {
        self.schemas()[0].0
    }
}

/// Shares per quarter read from tables of counts (`hisp trend`'s earlier
/// quarters).
pub(crate) type History = std::collections::BTreeMap<Quarter, Vec<ScopeShares>>;

/// How a pass counts: one quarter, one quarter beside the previous one, or
/// each quarter of a span on its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Shape {
    Quarter,
    /// `hisp report`: the previous quarter counted too, to compare with.
    Compared,
    /// `hisp trend`: every quarter of a span.
    Quarterly,
}

/// Start template `T` counting in the shape asked: the trend's and the
/// comparison's wrappers are applied here, once, for every edition.
pub(crate) fn start<T: Template + 'static>(
    shape: Shape,
    checker: &Checker,
    manifest: Option<&Manifest>,
    spool: Option<Spool>,
) -> Result<Box<dyn Counting>> {
    Ok(match shape {
        Shape::Quarter => Box::new(T::start(checker, manifest, spool)?),
        Shape::Compared => Box::new(trend::Compared::<T>::start(checker, manifest, spool)?),
        Shape::Quarterly => Box::new(trend::Quarterly::<T>::start(checker, manifest, spool)?),
    })
}

/// A template counting, whichever it is: what the pass drives, row by row.
pub(crate) trait Counting {
    /// [`Template::row`].
    fn row(&mut self, check: &mut RowCheck<'_>, input: &mut InputStats) -> Result<()>;

    /// [`Template::finish`].
    fn finish(
        self: Box<Self>,
        manifest: Option<&Manifest>,
        findings: &mut Findings,
        notes: &mut Vec<String>,
    ) -> Result<Box<dyn Published>>;
}

impl<T: Template> Counting for T {
    fn row(&mut self, check: &mut RowCheck<'_>, input: &mut InputStats) -> Result<()> {
        Template::row(self, check, input)
    }

    fn finish(
        self: Box<Self>,
        manifest: Option<&Manifest>,
        findings: &mut Findings,
        notes: &mut Vec<String>,
    ) -> Result<Box<dyn Published>> {
        Template::finish(*self, manifest, findings, notes)
    }
}

/// What a template does during and after the pass.
pub(crate) trait Template: Sized {
    /// Prepare the pass: the fields the rules read, by index (a schema given
    /// with `--schema` may lack one: a configuration error), and what the
    /// manifest declares. `spool`, when given, is for the rows that an
    /// output lists one by one (A-11 v2's responses).
    fn start(checker: &Checker, manifest: Option<&Manifest>, spool: Option<Spool>) -> Result<Self>;

    /// Check and count one row of the quarter. An error (an output that
    /// cannot be written) ends the pass.
    fn row(&mut self, check: &mut RowCheck<'_>, input: &mut InputStats) -> Result<()>;

    /// Once every row is read: join the manifest, settle what the pass
    /// could not know, roll up.
    fn finish(
        self,
        manifest: Option<&Manifest>,
        findings: &mut Findings,
        notes: &mut Vec<String>,
    ) -> Result<Box<dyn Published>>;
}

/// A scope's shares, for trends: a survey, a service or all of them.
pub(crate) struct ScopeShares {
    /// survey, service or overall.
    pub(crate) scope: &'static str,
    /// service, touchpoint, channel, survey_id (blank where not given).
    pub(crate) names: [String; 4],
    pub(crate) respondents: u64,
    pub(crate) measures: Vec<Measure>,
}

/// One share: `count` of `of` (v1: agreeing with a question, of those who
/// answered it; v2: trusting, of those who answered the trust question).
pub(crate) struct Measure {
    pub(crate) name: &'static str,
    pub(crate) count: u64,
    pub(crate) of: u64,
    /// An A-11 v2 driver: its share of the respondents offered it on its
    /// side (what went well, or not).
    pub(crate) driver: bool,
}

/// The shares of each service's roll-up and of the overall one.
pub(crate) fn rollup_shares<R>(
    services: &[crate::tally::rollup::Rollup<R>],
    overall: &crate::tally::rollup::Rollup<R>,
    respondents: impl Fn(&R) -> u64,
    measures: impl Fn(&R) -> Vec<Measure>,
) -> Vec<ScopeShares> {
    services
        .iter()
        .map(|s| ("service", s))
        .chain([("overall", overall)])
        .map(|(scope, r)| {
            let name = if scope == "overall" {
                ""
            } else {
                r.name.as_str()
            };
            ScopeShares {
                scope,
                names: [
                    name.to_string(),
                    String::new(),
                    String::new(),
                    String::new(),
                ],
                respondents: respondents(&r.results),
                measures: measures(&r.results),
            }
        })
        .collect()
}

/// What a template's results offer the writers.
pub(crate) trait Published {
    /// Every scope's shares, surveys first, then services, then overall.
    fn shares(&self) -> Vec<ScopeShares>;
    fn surveys(&self) -> usize;
    fn respondents(&self) -> u64;
    /// `hisp aggregate`: one CSV document.
    fn aggregate_csv(&self, out: &mut dyn Write) -> io::Result<()>;
    /// `hisp aggregate --format json`: one JSON document.
    fn aggregate_json(&self, quarter: Option<Quarter>, out: &mut dyn Write) -> io::Result<()>;
    /// The template's main table (written by `--csv`) and the name that
    /// ends its file name.
    fn main_table(&self, quarter: Quarter, schema: &Schema) -> (&'static str, Table);
    /// The filled workbook, as a document for the renderers.
    fn document(&self, common: &Common<'_>) -> Document<'_>;
    /// `hisp trend`: add quarters read as counts (published history); the
    /// responses' own quarters win. `false` when the results take none.
    fn add_history(&mut self, _history: History, _notes: &mut Vec<String>) -> bool {
        false
    }
    /// The upload files, in order; `None` when the edition has none.
    fn uploads(&self) -> Option<Vec<Upload<'_>>> {
        None
    }
}

/// A file an edition hands over for upload as it is (A-11 v2's per-survey
/// CSV files): its name, and what writes its bytes.
pub(crate) struct Upload<'a> {
    pub(crate) name: String,
    pub(crate) write: WriteUpload<'a>,
}

/// What writes an upload file's bytes.
pub(crate) type WriteUpload<'a> = Box<dyn Fn(&mut dyn Write) -> anyhow::Result<()> + 'a>;
