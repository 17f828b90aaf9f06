//! What a run computed: the validation report, the counts, and the
//! writers of the results to any `Write` (the host puts them in files).

use std::io::{Seek, Write};

use super::AggregateFormat;
use crate::check::findings::{Findings, Kind, Severity};
use crate::check::input::InputStats;
use crate::error::{Error, Result};
use crate::fiscal::Quarter;
use crate::schema::Schema;
use crate::tally::manifest::Manifest;
use crate::template::Published;
use crate::write::Table;
use crate::write::report::Report;
use crate::write::workbook::Common;

/// Everything a run computed, ready to be reported and written.
pub struct Run {
    /// `report --parquet`: the quarter's valid rows, written during the
    /// pass to an anonymous file.
    #[cfg(feature = "parquet")]
    pub(super) rows_parquet: Option<std::fs::File>,
    pub(super) schema: Schema,
    pub(super) quarter: Option<Quarter>,
    pub(super) span: Option<(Quarter, Quarter)>,
    pub(super) inputs: Vec<InputStats>,
    pub(super) findings: Findings,
    pub(super) manifest: Option<Manifest>,
    /// What hisp decided on the user's behalf (schema, survey types, how
    /// inputs were read).
    pub(super) notes: Vec<String>,
    pub(super) published: Box<dyn Published>,
}

impl Run {
    /// Whether the run passes: no errors (or only row errors set aside by
    /// `--skip-invalid`), and no warnings under `--strict`.
    pub fn passes(&self, strict: bool, skip_invalid: bool) -> bool {
        let errors_ok = if skip_invalid {
            // Setting rows aside must leave something to report.
            let nothing_left = self.rows_invalid() > 0 && self.respondents() == 0;
            !(self.has_table_errors() || nothing_left)
        } else {
            self.findings.error_count == 0
        };
        errors_ok && !(strict && self.findings.warning_count > 0)
    }

    /// Findings that `--skip-invalid` cannot set aside: they concern a
    /// whole table, not a row.
    fn has_table_errors(&self) -> bool {
        self.findings.tally.iter().any(|((severity, kind, _), n)| {
            *severity == Severity::Error
                && *n > 0
                && [
                    Kind::MissingLabel,
                    Kind::UnrecognisedHeader,
                    Kind::DuplicateLabel,
                ]
                .contains(kind)
        })
    }

    /// The validation report, listing at most `max_errors` errors and as
    /// many warnings.
    pub fn report(&self, valid: bool, strict: bool, max_errors: usize) -> Report<'_> {
        Report {
            valid,
            strict,
            quarter: self.quarter,
            span: self.span,
            notes: &self.notes,
            inputs: &self.inputs,
            findings: &self.findings,
            max_errors,
            set_aside: None,
        }
    }

    pub fn errors(&self) -> u64 {
        self.findings.error_count
    }

    pub fn warnings(&self) -> u64 {
        self.findings.warning_count
    }

    pub fn surveys(&self) -> usize {
        self.published.surveys()
    }

    pub fn respondents(&self) -> u64 {
        self.published.respondents()
    }

    /// Rows in the quarter with errors, over all inputs.
    pub fn rows_invalid(&self) -> u64 {
        self.inputs.iter().map(|i| i.rows_invalid).sum()
    }

    /// The aggregate: counts per survey, service and overall.
    pub fn write_aggregate(
        &self,
        format: AggregateFormat,
        out: &mut dyn Write,
    ) -> std::io::Result<()> {
        match format {
            AggregateFormat::Csv => self.published.aggregate_csv(out),
            AggregateFormat::Json => self.published.aggregate_json(self.quarter, out),
        }
    }

    /// What every workbook shows besides the edition's results.
    pub(crate) fn common(&self, skip_invalid: bool, with_responses: bool) -> Result<Common<'_>> {
        let quarter = self
            .quarter
            .ok_or_else(|| Error::config(anyhow::anyhow!("a report needs a quarter")))?;
        Ok(Common {
            quarter,
            inputs: &self.inputs,
            manifest: self.manifest.as_ref(),
            schema: &self.schema,
            warnings: &self.findings.warnings,
            excluded: if skip_invalid {
                &self.findings.errors
            } else {
                &[]
            },
            findings_truncated: self.findings.truncated(),
            skip_invalid,
            responses_sheet: with_responses,
            surveys: self.surveys(),
            respondents: self.respondents(),
            notes: &self.notes,
            comparison: None,
        })
    }

    /// The filled workbook, written to `out` (a file, or bytes in memory):
    /// with `skip_invalid`, rows with errors were left out; without
    /// `with_responses`, A-11 v2's `Responses` sheets are.
    pub fn write_workbook<W: Write + Seek + Send>(
        &self,
        skip_invalid: bool,
        with_responses: bool,
        out: &mut W,
    ) -> Result<()> {
        let common = self.common(skip_invalid, with_responses)?;
        let document = self.published.document(&common);
        crate::write::xlsx::render(&document, out)
            .map_err(|e| Error::Output(anyhow::Error::new(e).context("writing the workbook")))
    }

    /// The edition's main table (written by `--csv`) and the name that
    /// ends its file's name.
    pub(super) fn main_table(&self) -> Result<(&'static str, Table)> {
        let quarter = self
            .quarter
            .ok_or_else(|| Error::config(anyhow::anyhow!("a report needs a quarter")))?;
        Ok(self.published.main_table(quarter, &self.schema))
    }

    /// The edition's main table as CSV (`report --csv`), and the name that
    /// ends its file's name.
    pub fn write_main_table(&self, out: &mut dyn Write) -> Result<&'static str> {
        let (what, table) = self.main_table()?;
        write_table_csv(&table, out).map_err(|e| Error::Output(e.into()))?;
        Ok(what)
    }

    /// The names of the upload files (A-11 v2), in order; `None` when the
    /// edition has none.
    pub fn upload_names(&self) -> Option<Vec<String>> {
        let uploads = self.published.uploads()?;
        Some(uploads.into_iter().map(|u| u.name).collect())
    }

    /// Write the upload file of this name (one of [`Run::upload_names`]).
    pub fn write_upload(&self, name: &str, out: &mut dyn Write) -> Result<()> {
        let upload = self
            .published
            .uploads()
            .into_iter()
            .flatten()
            .find(|u| u.name == name)
            .ok_or_else(|| Error::config(anyhow::anyhow!("no upload file is named {name:?}")))?;
        (upload.write)(out).map_err(Error::Output)
    }
}

/// A table as CSV: its header, then its rows.
pub(super) fn write_table_csv(table: &Table, out: &mut dyn Write) -> std::io::Result<()> {
    crate::write::csv_to(out, |w| {
        w.write_record(&table.header)?;
        for row in &table.rows {
            w.write_record(row.iter().map(crate::write::OutCell::csv_field))?;
        }
        Ok(())
    })
}
