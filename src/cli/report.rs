//! `hisp report`: the whole job: validate, aggregate, and write the filled
//! HISP quarterly workbook (and, with --csv, the Quarterly Data rows as CSV).

use std::path::{Path, PathBuf};

use crate::exit::{Failure, Result, Status};
use crate::output::{Staged, ensure_not_an_input, neutralize};
use crate::render::{Format, group};
use crate::workbook::{self, Contents, Field};

use super::{CheckArgs, Globals, InputArgs, QuarterArgs, run_pipeline, to_stdout};

#[derive(clap::Args, Debug)]
pub struct Args {
    #[command(flatten)]
    input: InputArgs,
    /// The fiscal quarter (default: the last completed one)
    #[command(flatten)]
    quarter: QuarterArgs,
    /// The workbook to write (.xlsx)
    #[arg(short, long, value_name = "OUT.xlsx")]
    output: PathBuf,
    /// Also write the Quarterly Data rows as CSV into this directory
    #[arg(long, value_name = "DIR")]
    csv: Option<PathBuf>,
    /// Leave out rows with errors (listed in the Validation sheet) instead of stopping
    #[arg(long)]
    skip_invalid: bool,
    /// Format of the validation report printed on standard output
    #[arg(long, value_enum, default_value = "human")]
    format: Format,
    #[command(flatten)]
    checks: CheckArgs,
}

/// Findings kept for the Validation sheet: as many as a sheet holds.
const KEEP_FOR_WORKBOOK: usize = 1_048_000;

pub fn run(args: &Args, globals: &Globals) -> Result<Status> {
    let inputs = args.input.paths();
    ensure_not_an_input(&args.output, &inputs)?;
    let csv_path = args.csv.as_ref().map(|dir| csv_target(dir, &args.output));
    if let Some(csv) = &csv_path {
        ensure_not_an_input(csv, &inputs)?;
    }
    let quarter = args.quarter.or_last_completed();
    if args.input.services.is_none() {
        tracing::warn!(
            "no --services manifest: organization, volumes, OMB control numbers and response rates will be blank"
        );
    }
    let keep = KEEP_FOR_WORKBOOK.max(args.checks.max_errors);
    let p = run_pipeline(&args.input, Some(quarter), keep)?;
    let ok = p.passes(&args.checks, args.skip_invalid);
    let report = p.report(ok, &args.checks);
    let has_findings = p.findings.error_count + p.findings.warning_count > 0;
    if !ok || (has_findings && !globals.quiet) || args.format == Format::Json {
        to_stdout(|out| report.write(args.format, out))?;
    }
    if !ok {
        return Ok(Status::DataErrors);
    }
    let excluded: &[crate::issue::Issue] = if args.skip_invalid {
        &p.findings.errors
    } else {
        &[]
    };
    let contents = Contents {
        quarter,
        rows: &p.rows,
        services: &p.services,
        overall: &p.overall,
        inputs: &p.outcome.inputs,
        manifest: p.manifest.as_ref(),
        schema: &p.schema,
        warnings: &p.findings.warnings,
        excluded,
        findings_truncated: p.findings.truncated(),
        skip_invalid: args.skip_invalid,
    };
    let mut staged = Staged::default();
    staged.stage(&args.output, |f| {
        workbook::write(&contents, f).map_err(Into::into)
    })?;
    if let Some(csv) = &csv_path {
        if let Some(dir) = &args.csv {
            std::fs::create_dir_all(dir).map_err(|e| {
                Failure::output(
                    anyhow::Error::new(e).context(format!("cannot create {}", dir.display())),
                )
            })?;
        }
        staged.stage(csv, |f| {
            write_quarterly_csv(&contents, f).map_err(Into::into)
        })?;
    }
    let written = staged.commit()?;
    if !globals.quiet {
        let invalid: u64 = p.outcome.inputs.iter().map(|i| i.rows_invalid).sum();
        eprintln!(
            "hisp: wrote {}: {quarter}, {} surveys, {} respondents{}",
            written
                .iter()
                .map(|p| p.display().to_string())
                .collect::<Vec<_>>()
                .join(" and "),
            p.rows.len(),
            group(p.overall.tally.respondents),
            if args.skip_invalid && invalid > 0 {
                format!(", {} invalid rows excluded", group(invalid))
            } else {
                String::new()
            }
        );
    }
    Ok(Status::Ok)
}

/// `DIR/<workbook name>-quarterly-data.csv`
fn csv_target(dir: &Path, workbook: &Path) -> PathBuf {
    let stem = workbook
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or("hisp-report");
    dir.join(format!("{stem}-quarterly-data.csv"))
}

fn write_quarterly_csv(c: &Contents, out: &mut std::fs::File) -> std::io::Result<()> {
    let mut w = csv::Writer::from_writer(out);
    w.write_record(workbook::quarterly_data_header())?;
    for row in workbook::quarterly_data_rows(c) {
        w.write_record(row.iter().map(|f| match f {
            Field::Text(t) => neutralize(t).into_owned(),
            Field::Number(n) => n.to_string(),
            Field::Blank => String::new(),
        }))?;
    }
    w.flush()
}
