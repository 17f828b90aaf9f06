//! The validation report, rendered as a readable text (default), one JSON
//! document, or CSV for a spreadsheet.

use serde::Serialize;
use std::io::{self, Write};

use super::{QuarterJson, csv_to, neutralize};
use crate::check::findings::{Findings, Issue};
use crate::check::input::InputStats;
use crate::display::group_thousands as group;
use crate::fiscal::Quarter;

/// The validation report's formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Human,
    Json,
    Csv,
}

/// Everything a validation report shows.
pub struct Report<'a> {
    pub(crate) valid: bool,
    pub(crate) strict: bool,
    pub(crate) quarter: Option<Quarter>,
    /// `hisp trend`: the first and last quarter.
    pub(crate) span: Option<(Quarter, Quarter)>,
    /// What was decided on the user's behalf (schema, survey types).
    pub(crate) notes: &'a [String],
    pub(crate) inputs: &'a [InputStats],
    pub(crate) findings: &'a Findings,
    /// List at most this many errors and this many warnings.
    pub(crate) max_errors: usize,
    /// `--skip-invalid`: rows with errors were set aside, this many.
    pub(crate) set_aside: Option<u64>,
}

impl Report<'_> {
    /// The rows with errors are set aside (`--skip-invalid`): the verdict
    /// speaks of the rows kept.
    pub fn setting_aside_invalid_rows(mut self, skip_invalid: bool) -> Self {
        self.set_aside = skip_invalid.then(|| self.inputs.iter().map(|i| i.rows_invalid).sum());
        self
    }
}

#[derive(Serialize)]
pub(crate) struct ReportStats<'a> {
    inputs: usize,
    rows: u64,
    rows_in_quarter: u64,
    rows_outside_quarter: u64,
    rows_invalid: u64,
    rows_empty: u64,
    blank_rows: u64,
    rows_not_customer: u64,
    rows_unfinished: u64,
    respondents: u64,
    errors: u64,
    warnings: u64,
    listed_errors: usize,
    listed_warnings: usize,
    truncated: bool,
    strict: bool,
    quarter: Option<QuarterJson>,
    notes: &'a [String],
    by_type: Vec<TypeCount<'a>>,
    files: &'a [InputStats],
}

#[derive(Serialize)]
struct TypeCount<'a> {
    #[serde(rename = "type")]
    kind: &'static str,
    severity: &'static str,
    field: Option<&'a str>,
    count: u64,
}

impl Report<'_> {
    fn listed(&self) -> (&[Issue], &[Issue]) {
        let f = self.findings;
        (
            &f.errors[..f.errors.len().min(self.max_errors)],
            &f.warnings[..f.warnings.len().min(self.max_errors)],
        )
    }

    pub(crate) fn stats(&self) -> ReportStats<'_> {
        let sum = |f: fn(&InputStats) -> u64| self.inputs.iter().map(f).sum::<u64>();
        let (errors, warnings) = self.listed();
        ReportStats {
            inputs: self.inputs.len(),
            rows: sum(|i| i.rows_read),
            rows_in_quarter: sum(|i| i.rows_in_quarter),
            rows_outside_quarter: sum(|i| i.rows_outside_quarter),
            rows_invalid: sum(|i| i.rows_invalid),
            rows_empty: sum(|i| i.rows_empty),
            blank_rows: sum(|i| i.blank_rows),
            rows_not_customer: sum(|i| i.rows_not_customer),
            rows_unfinished: sum(|i| i.rows_unfinished),
            respondents: sum(|i| i.respondents),
            errors: self.findings.error_count,
            warnings: self.findings.warning_count,
            listed_errors: errors.len(),
            listed_warnings: warnings.len(),
            truncated: errors.len() as u64 != self.findings.error_count
                || warnings.len() as u64 != self.findings.warning_count,
            strict: self.strict,
            quarter: self.quarter.map(QuarterJson::from),
            notes: self.notes,
            by_type: self
                .findings
                .tally
                .iter()
                .map(|((severity, kind, field), count)| TypeCount {
                    kind: kind.slug(),
                    severity: severity.as_str(),
                    field: field.as_deref(),
                    count: *count,
                })
                .collect(),
            files: self.inputs,
        }
    }

    pub fn write(&self, format: Format, out: &mut dyn Write) -> io::Result<()> {
        match format {
            Format::Human => self.write_human(out),
            Format::Json => self.write_json(out),
            Format::Csv => self.write_csv(out),
        }
    }

    fn write_json(&self, out: &mut dyn Write) -> io::Result<()> {
        #[derive(Serialize)]
        struct Doc<'a> {
            valid: bool,
            stats: ReportStats<'a>,
            errors: &'a [Issue],
            warnings: &'a [Issue],
        }
        let (errors, warnings) = self.listed();
        let doc = Doc {
            valid: self.valid,
            stats: self.stats(),
            errors,
            warnings,
        };
        serde_json::to_writer_pretty(&mut *out, &doc)?;
        writeln!(out)
    }

    fn write_csv(&self, out: &mut dyn Write) -> io::Result<()> {
        csv_to(out, |w| self.csv_records(w))
    }

    fn csv_records(&self, w: &mut csv::Writer<&mut dyn Write>) -> csv::Result<()> {
        w.write_record([
            "type",
            "severity",
            "file",
            "sheet",
            "row",
            "column",
            "column_number",
            "field",
            "value",
            "message",
        ])?;
        let (errors, warnings) = self.listed();
        for i in errors.iter().chain(warnings) {
            w.write_record([
                i.kind.slug(),
                i.severity.as_str(),
                &neutralize(&i.file),
                &neutralize(i.sheet.as_deref().unwrap_or("")),
                &i.row.map(|r| r.to_string()).unwrap_or_default(),
                i.column.as_deref().unwrap_or(""),
                &i.column_number.map(|c| c.to_string()).unwrap_or_default(),
                i.field.as_deref().unwrap_or(""),
                &neutralize(i.value.as_deref().unwrap_or("")),
                &neutralize(&i.message),
            ])?;
        }
        Ok(())
    }

    fn write_human(&self, out: &mut dyn Write) -> io::Result<()> {
        let stats = self.stats();
        match (self.span, self.quarter) {
            (Some((from, to)), _) => writeln!(
                out,
                "Quarters: {from} to {to} ({} to {}), each counted on its own",
                from.start(),
                to.end()
            )?,
            (None, Some(q)) => writeln!(out, "Quarter: {q} ({} to {})", q.start(), q.end())?,
            (None, None) => writeln!(out, "Quarter: all rows (no --fiscal-year/--quarter given)")?,
        }
        for note in self.notes {
            writeln!(out, "Note: {note}")?;
        }
        for i in self.inputs {
            let sheet = i
                .sheet
                .as_deref()
                .map(|s| format!(" [{s}]"))
                .unwrap_or_default();
            let mut line = format!(
                "{}{sheet}: {}; {} rows read, {} in quarter",
                i.file,
                i.format,
                group(i.rows_read),
                group(i.rows_in_quarter)
            );
            if self.quarter.is_some() && i.dated {
                line += &format!(", {} outside", group(i.rows_outside_quarter));
            }
            if i.rows_not_customer > 0 {
                line += &format!(
                    ", {} previews, tests or spam left out",
                    group(i.rows_not_customer)
                );
            }
            if i.rows_unfinished > 0 {
                line += &format!(", {} unfinished left out", group(i.rows_unfinished));
            }
            if self.span.is_some() && !i.dated && i.rows_read > 0 {
                line += " (no dates: no row placed in a quarter)";
            } else if self.quarter.is_some() && !i.dated && i.rows_read > 0 {
                line += " (no dates: every row counted)";
            }
            line += &format!(
                ", {} invalid, {} empty, {} respondents",
                group(i.rows_invalid),
                group(i.rows_empty),
                group(i.respondents)
            );
            writeln!(out, "{line}")?;
        }
        let (errors, warnings) = self.listed();
        for (title, list, total) in [
            ("Errors", errors, self.findings.error_count),
            ("Warnings", warnings, self.findings.warning_count),
        ] {
            if list.is_empty() {
                continue;
            }
            let shown = if list.len() as u64 == total {
                String::new()
            } else {
                format!(
                    " (first {} of {}; raise --max-errors to see more)",
                    list.len(),
                    group(total)
                )
            };
            writeln!(out, "\n{title}{shown}:")?;
            list_issues(out, list)?;
        }
        if !self.findings.tally.is_empty() {
            writeln!(out, "\nSummary by type and field:")?;
            let rows: Vec<(String, String, String, String)> = stats
                .by_type
                .iter()
                .map(|t| {
                    (
                        t.severity.to_string(),
                        t.kind.to_string(),
                        t.field.unwrap_or("-").to_string(),
                        group(t.count),
                    )
                })
                .collect();
            let w0 = rows.iter().map(|r| r.0.len()).max().unwrap_or(0).max(8);
            let w1 = rows.iter().map(|r| r.1.len()).max().unwrap_or(0).max(4);
            let w2 = rows.iter().map(|r| r.2.len()).max().unwrap_or(0).max(5);
            writeln!(
                out,
                "  {:w0$}  {:w1$}  {:w2$}  {:>8}",
                "severity", "type", "field", "count"
            )?;
            for (s, k, f, c) in rows {
                writeln!(out, "  {s:w0$}  {k:w1$}  {f:w2$}  {c:>8}")?;
            }
        }
        let verdict = if self.valid { "VALID" } else { "INVALID" };
        let strict_note = if self.strict && stats.warnings > 0 {
            " (--strict: warnings fail)"
        } else {
            ""
        };
        let warnings = plural(stats.warnings, "warning");
        let errors = plural(stats.errors, "error");
        match self.set_aside {
            // The errors belong to the rows set aside, not to those kept.
            Some(rows) if rows > 0 && self.valid => writeln!(
                out,
                "\n{verdict}: the rows kept have no errors, {warnings}{strict_note}; {} set aside as invalid ({errors})",
                plural(rows, "row"),
            ),
            Some(rows) if rows > 0 && stats.respondents == 0 => writeln!(
                out,
                "\n{verdict}: every row is invalid ({errors}, {warnings}): nothing is left to report"
            ),
            _ => writeln!(out, "\n{verdict}: {errors}, {warnings}{strict_note}"),
        }
    }
}

/// "file [sheet] row 5, column F (satisfaction): value"
/// Findings as the human report lists them: kind and place, then the
/// message.
pub(crate) fn list_issues<'i>(
    out: &mut dyn Write,
    list: impl IntoIterator<Item = &'i Issue>,
) -> io::Result<()> {
    for i in list {
        writeln!(
            out,
            "  {}[{}] {}",
            i.severity.as_str(),
            i.kind.slug(),
            location(i)
        )?;
        writeln!(out, "      {}", i.message)?;
    }
    Ok(())
}

fn location(i: &Issue) -> String {
    let mut s = i.file.to_string();
    if let Some(sheet) = &i.sheet {
        s += &format!(" [{sheet}]");
    }
    if let Some(row) = i.row {
        s += &format!(" row {row}");
    }
    if let Some(col) = &i.column {
        s += &format!(", column {col}");
    }
    if let Some(field) = &i.field {
        s += &format!(" ({field})");
    }
    if let Some(value) = &i.value {
        s += &format!(": {value:?}");
    }
    s
}

/// "1 warning", "2 warnings"
fn plural(n: u64, word: &str) -> String {
    format!("{} {word}{}", group(n), if n == 1 { "" } else { "s" })
}
