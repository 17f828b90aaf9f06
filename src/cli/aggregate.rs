//! `hisp aggregate`: counts per survey, service and overall, as CSV or JSON.

use std::path::PathBuf;

use super::{CheckArgs, InputArgs, QuarterArgs, ReportFormat, run_pass, to_stdout};
use crate::Status;
use hisp::AggregateFormat;

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum Format {
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
    /// Format of the validation report, printed on standard error when there are findings
    #[arg(long, value_enum, default_value = "human")]
    report_format: ReportFormat,
    #[command(flatten)]
    checks: CheckArgs,
    #[command(flatten)]
    stats: super::StatsArgs,
}

impl Args {
    pub fn json_report(&self) -> bool {
        self.report_format == ReportFormat::Json
    }
}

pub fn run(args: &Args, quiet: bool, config: &super::config::Config) -> hisp::Result<Status> {
    let quarter = args.quarter.or_last_completed(config);
    let options = hisp::Options {
        min_n: args.stats.min_n(config),
        set_aside_invalid: args.skip_invalid,
        ..args.input.options(Some(quarter), &args.checks, config)?
    };
    if let Some(out) = &args.output {
        options.ensure_not_an_input(out)?;
    }
    let run = run_pass(&options, None, !quiet && args.format != Format::Json)?;
    if !super::report_to_stderr(
        &run,
        &args.checks,
        args.skip_invalid,
        args.report_format,
        quiet,
    ) {
        return Ok(Status::DataErrors);
    }
    let format = match args.format {
        Format::Csv => AggregateFormat::Csv,
        Format::Json => AggregateFormat::Json,
    };
    match &args.output {
        Some(path) => hisp::write_file(path, |f| run.write_aggregate(format, f))?,
        None => to_stdout(|out| run.write_aggregate(format, out))?,
    }
    Ok(Status::Ok)
}
