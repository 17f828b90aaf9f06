//! `hisp report`: the whole job: validate, aggregate, and write the filled
//! HISP quarterly workbook of the template in use (A-11 v1 or v2), with
//! `--csv` its main table as CSV, and for v2 with `--upload-dir` the
//! Touchpoints upload files.

use std::path::PathBuf;

use super::{CheckArgs, InputArgs, QuarterArgs, ReportFormat, run_pass, to_stdout};
use crate::Status;

#[derive(clap::Args, Debug)]
pub struct Args {
    #[command(flatten)]
    input: InputArgs,
    /// The fiscal quarter (default: the last completed one)
    #[command(flatten)]
    quarter: QuarterArgs,
    /// The workbook to write (.xlsx) [default: hisp.toml's output pattern, e.g. reports/hisp-FY{fy}-Q{q}.xlsx]
    #[arg(short, long, value_name = "OUT.xlsx")]
    output: Option<PathBuf>,
    /// Also write the Quarterly Data rows (v1) or the Collection Details (v2) as CSV into this directory [default: hisp.toml's csv]
    #[arg(long, value_name = "DIR")]
    csv: Option<PathBuf>,
    /// A-11 v2: write one Touchpoints upload CSV per survey into this directory [default: hisp.toml's upload_dir]
    #[arg(long, value_name = "DIR")]
    upload_dir: Option<PathBuf>,
    /// Leave out rows with errors (listed in the Validation sheet) instead of stopping
    #[arg(long)]
    skip_invalid: bool,
    /// A-11 v2: leave the Responses sheets out of the workbook (much faster on large exports; the upload files are still written)
    #[arg(long)]
    no_responses: bool,
    /// Do not count the previous quarter's rows to compare each share with (no Previous quarter sheet; faster on all-time exports)
    #[arg(long)]
    no_previous: bool,
    /// Replace e-mail addresses, US phone numbers, SSN-shaped numbers (and the mapping file's `redact` patterns) in free text written out (upload files, Responses sheet) with [redacted]; counts are unchanged
    #[arg(long)]
    redact: bool,
    /// Also write the quarter's valid rows as Parquet (input file and row, fiscal year and quarter, every field as read), for DuckDB, pandas or Spark
    #[cfg(feature = "parquet")]
    #[arg(long, value_name = "FILE")]
    parquet: Option<PathBuf>,
    /// Format of the validation report printed on standard output
    #[arg(long, value_enum, default_value = "human")]
    format: ReportFormat,
    #[command(flatten)]
    checks: CheckArgs,
    #[command(flatten)]
    stats: super::StatsArgs,
}

/// Findings kept for the Validation sheet: as many as a sheet holds.
const KEEP_FOR_WORKBOOK: usize = 1_048_000;

impl Args {
    pub fn json(&self) -> bool {
        self.format == ReportFormat::Json
    }
}

pub fn run(args: &Args, quiet: bool, config: &super::config::Config) -> hisp::Result<Status> {
    let quarter = args.quarter.or_last_completed(config);
    let keep = KEEP_FOR_WORKBOOK.max(args.checks.max_errors);
    let template = args.input.template();
    let Some(output) = args.output.clone().or(config.output(quarter, template)) else {
        return Err(hisp::Error::Config(anyhow::anyhow!(
            "no output: give -o OUT.xlsx, or an `output` pattern in {}",
            super::config::FILE_NAME
        )));
    };
    // A patterned output's folder (reports/FY2025/…) is made as needed.
    if args.output.is_none()
        && let Some(dir) = output.parent().filter(|d| !d.as_os_str().is_empty())
    {
        std::fs::create_dir_all(dir).map_err(|e| {
            hisp::Error::Output(
                anyhow::Error::new(e).context(format!("cannot create {}", dir.display())),
            )
        })?;
    }
    let csv_dir = args.csv.clone().or(config.csv(quarter, template));
    let upload_dir = args
        .upload_dir
        .clone()
        .or(config.upload_dir(quarter, template));
    let options = hisp::Options {
        redact: args.redact,
        submission: true,
        compare_previous: !args.no_previous,
        #[cfg(feature = "parquet")]
        parquet_rows: args.parquet.is_some(),
        min_n: args.stats.min_n(config),
        set_aside_invalid: args.skip_invalid,
        keep,
        ..args.input.options(Some(quarter), &args.checks, config)?
    };
    options.ensure_not_an_input(&output)?;
    #[cfg(feature = "parquet")]
    if let Some(out) = &args.parquet {
        options.ensure_not_an_input(out)?;
    }
    if options.services.is_none() {
        tracing::warn!(
            "no --services manifest: organization, volumes, OMB control numbers and response rates will be blank"
        );
    }
    // Responses written out one by one (A-11 v2) are spooled beside the
    // output during the pass.
    let out_dir = match output.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    // Nothing lists them with --no-responses and no upload folder.
    let spool_dir = (!args.no_responses || upload_dir.is_some()).then_some(out_dir.as_path());
    let show_progress = !quiet && args.format != ReportFormat::Json;
    let run = run_pass(&options, spool_dir, show_progress)?;
    let (strict, max_errors) = (args.checks.strict, args.checks.max_errors);
    let ok = run.passes(strict, args.skip_invalid);
    let has_findings = run.errors() + run.warnings() > 0;
    if !ok || (has_findings && !quiet) || args.format == ReportFormat::Json {
        let report = run
            .report(ok, strict, max_errors)
            .setting_aside_invalid_rows(args.skip_invalid);
        to_stdout(|out| report.write(args.format.into(), out))?;
    }
    if !ok {
        return Ok(Status::DataErrors);
    }
    let outputs = hisp::ReportOutputs {
        workbook: output.clone(),
        csv_dir,
        upload_dir,
        skip_invalid: args.skip_invalid,
        no_responses: args.no_responses,
    };
    let written = run.write_outputs(&outputs, &options)?;
    #[cfg(feature = "parquet")]
    let written = match &args.parquet {
        Some(out) => {
            run.write_rows_parquet(out, &options)?;
            [written, vec![out.clone()]].concat()
        }
        None => written,
    };
    if !quiet {
        let invalid = run.rows_invalid();
        let shown: Vec<String> = written
            .iter()
            .take(3)
            .map(|p| p.display().to_string())
            .collect();
        let more = written.len().saturating_sub(3);
        eprintln!(
            "hisp: wrote {}{}: {quarter}, {} surveys, {} respondents{}",
            shown.join(", "),
            if more > 0 {
                format!(" and {more} more files")
            } else {
                String::new()
            },
            run.surveys(),
            group(run.respondents()),
            if args.skip_invalid && invalid > 0 {
                format!(", {} invalid rows excluded", group(invalid))
            } else {
                String::new()
            }
        );
    }
    Ok(Status::Ok)
}

/// 1234567 → "1,234,567"
fn group(n: u64) -> String {
    hisp::group_thousands(n)
}
