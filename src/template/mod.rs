//! The templates hisp fills, behind one interface. What differs between
//! them — the fields their rules read, the rules themselves, what is counted
//! per survey, what is settled once every row is read, the tables and
//! sheets they publish — is a [`Template`]; the pass over the rows
//! (`crate::pipeline`) is written once, generic over it. A new template is
//! a new folder here and one arm in [`Kind`].

pub(crate) mod a11_v1;
pub(crate) mod a11_v2;
pub(crate) mod history;
pub(crate) mod trend;

use std::io::{self, Write};
use std::path::PathBuf;

use crate::check::findings::Findings;
use crate::check::input::InputStats;
use crate::check::{Checker, RowCheck};
use crate::error::Result;
use crate::fiscal::Quarter;
use crate::schema::{Mapping, Schema, normalize_label};
use crate::tally::manifest::Manifest;
use crate::write::OutCell;
use crate::write::spool::Spool;
use crate::write::staged::Staged;
use crate::write::workbook::Common;

/// The templates, by name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A-11 v1: seven 1-5 questions (to FY2023).
    A11V1,
    /// A-11 v2: the trust question and its drivers (FY2024 on).
    A11V2,
}

impl Kind {
    /// The template a schema belongs to.
    pub(crate) fn of(schema: &Schema) -> Kind {
        if schema.name.starts_with("a11-v2") {
            Kind::A11V2
        } else {
            Kind::A11V1
        }
    }

    /// The built-in schema of the template's response exports.
    pub(crate) fn schema(self) -> &'static str {
        match self {
            Kind::A11V1 => "a11-v1",
            Kind::A11V2 => "a11-v2",
        }
    }
}

/// What a template does during and after the pass.
pub(crate) trait Template: Sized {
    /// The built-in schema of the services manifest.
    const MANIFEST_SCHEMA: &'static str;

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

/// A table a template publishes: its header and rows.
pub(crate) struct Table {
    pub(crate) header: Vec<String>,
    pub(crate) rows: Vec<Vec<OutCell>>,
}

impl Table {
    /// The table without the column named `name` (when it has one).
    pub(crate) fn without(mut self, name: &str) -> Table {
        if let Some(i) = self.header.iter().position(|h| h == name) {
            self.header.remove(i);
            for row in &mut self.rows {
                if i < row.len() {
                    row.remove(i);
                }
            }
        }
        self
    }

    /// The table without its `survey_id` column unless a survey has one:
    /// the tables of inputs that name no surveys are as they always were.
    pub(crate) fn with_survey_ids_if(self, any: bool) -> Table {
        if any { self } else { self.without("survey_id") }
    }
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
    /// The filled workbook.
    fn workbook(
        &self,
        common: &Common<'_>,
        out: &mut std::fs::File,
    ) -> std::result::Result<(), rust_xlsxwriter::XlsxError>;
    /// `hisp trend`: add quarters read as counts (published history); the
    /// responses' own quarters win. `false` when the results take none.
    fn add_history(&mut self, _history: history::History, _notes: &mut Vec<String>) -> bool {
        false
    }
    /// Stage the upload files into `dir`; `None` when the template has none.
    fn stage_uploads(
        &self,
        _dir: &std::path::Path,
        _staged: &mut Staged,
    ) -> Option<Result<Vec<PathBuf>>> {
        None
    }
}

/// Which built-in schema a header belongs to: the upload file's exact
/// header; A-11 v2 when a column is the trust question's or a driver's (by
/// name, mapping, or a multi-select's question text: `What went well? -
/// …`); else A-11 v1.
pub(crate) fn detect(
    headers: &[String],
    descriptions: &[String],
    mapping: &Mapping,
) -> &'static str {
    // The upload header, in any order (Touchpoints compares it sorted).
    let mut sorted: Vec<&str> = headers.iter().map(String::as_str).collect();
    sorted.sort_unstable();
    let mut upload = a11_v2::UPLOAD_COLUMNS.to_vec();
    upload.sort_unstable();
    if sorted == upload {
        return "a11-v2-upload";
    }
    let v2 = headers.iter().any(|h| {
        let field = mapping
            .field_for_column(h)
            .map(str::to_string)
            .unwrap_or_else(|| normalize_label(h));
        field == "question_1" || field.starts_with("positive_") || field.starts_with("negative_")
    }) || headers
        .iter()
        .chain(descriptions)
        .any(|text| a11_v2::driver_field_of(text).is_some());
    if v2 { "a11-v2" } else { "a11-v1" }
}

/// Rates header rows by the fields of either template they name, for
/// finding the header before the template is known.
pub(crate) fn any_template_score(
    mapping: &Mapping,
) -> impl Fn(&[String]) -> crate::ingest::layout::HeaderScore + use<> {
    let candidates = [
        Checker::new(Schema::embedded("a11-v1"), mapping.clone()),
        Checker::new(Schema::embedded("a11-v2"), mapping.clone()),
    ];
    move |labels: &[String]| {
        candidates
            .iter()
            .map(|c| c.header_score(labels))
            .max()
            .unwrap_or_default()
    }
}

/// A row's survey_id: blank where the column is absent or the cell empty.
pub(crate) fn survey_id<'a>(
    check: &mut crate::check::RowCheck<'a>,
    field: Option<usize>,
) -> std::borrow::Cow<'a, str> {
    match field.map(|f| check.value(f)) {
        Some(crate::check::Value::Text(t)) => t,
        _ => std::borrow::Cow::Borrowed(""),
    }
}
