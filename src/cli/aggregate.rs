//! `hisp aggregate`: counts per survey, service and overall, as CSV or JSON.

use std::path::PathBuf;

use crate::exit::{Result, Status};
use crate::output::{Staged, ensure_not_an_input};
use crate::render::{self, trust};

use super::{CheckArgs, Counts, Globals, InputArgs, QuarterArgs, run_pipeline, to_stdout};

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Csv,
    Json,
}

#[derive(clap::Args, Debug)]
pub struct Args {
    #[command(flatten)]
    input: InputArgs,
    /// The fiscal quarter (default: the last completed one)
    #[command(flatten)]
    quarter: QuarterArgs,
    /// Output format
    #[arg(long, value_enum, default_value = "csv")]
    format: Format,
    /// Write to FILE instead of standard output
    #[arg(short, long, value_name = "FILE")]
    output: Option<PathBuf>,
    /// Leave out rows with errors instead of stopping
    #[arg(long)]
    skip_invalid: bool,
    #[command(flatten)]
    checks: CheckArgs,
}

pub fn run(args: &Args, globals: &Globals) -> Result<Status> {
    if let Some(out) = &args.output {
        ensure_not_an_input(out, &args.input.paths())?;
    }
    let quarter = args.quarter.or_last_completed();
    let show_progress = !globals.quiet && args.format != Format::Json;
    let p = run_pipeline(
        &args.input,
        Some(quarter),
        args.checks.max_errors,
        None,
        show_progress,
    )?;
    let ok = p.passes(&args.checks, args.skip_invalid);
    if !ok || (!globals.quiet && p.findings.warning_count > 0) {
        // stdout carries the data: the validation report goes to stderr.
        let report = p.report(ok, &args.checks);
        let _ = report.write(render::Format::Human, &mut std::io::stderr());
    }
    if !ok {
        return Ok(Status::DataErrors);
    }
    let write = |out: &mut dyn std::io::Write| match (&p.counts, args.format) {
        (
            Counts::V1 {
                rows,
                services,
                overall,
            },
            Format::Csv,
        ) => render::aggregate_csv(rows, services, overall, out),
        (
            Counts::V1 {
                rows,
                services,
                overall,
            },
            Format::Json,
        ) => render::aggregate_json(p.quarter, rows, services, overall, out),
        (
            Counts::V2 {
                rows,
                services,
                overall,
            },
            Format::Csv,
        ) => trust::aggregate_csv(rows, services, overall, out),
        (
            Counts::V2 {
                rows,
                services,
                overall,
            },
            Format::Json,
        ) => trust::aggregate_json(p.quarter, rows, services, overall, out),
    };
    match &args.output {
        Some(path) => {
            let mut staged = Staged::default();
            staged.stage(path, |f| write(f).map_err(Into::into))?;
            staged.commit()?;
        }
        None => to_stdout(write)?,
    }
    Ok(Status::Ok)
}
