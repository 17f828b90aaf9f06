//! `hisp validate`: check exports and report every problem.

use super::{CheckArgs, InputArgs, QuarterArgs, ReportFormat, run_pass, to_stdout};
use crate::Status;

#[derive(clap::Args, Debug)]
pub struct Args {
    #[command(flatten)]
    input: InputArgs,
    /// Check only rows submitted in this quarter (default: every row)
    #[command(flatten)]
    quarter: QuarterArgs,
    /// Report format
    #[arg(long, value_enum, default_value = "human")]
    format: ReportFormat,
    #[command(flatten)]
    checks: CheckArgs,
}

impl Args {
    pub fn json(&self) -> bool {
        self.format == ReportFormat::Json
    }
}

pub fn run(args: &Args, quiet: bool, config: &super::config::Config) -> hisp::Result<Status> {
    let options = args
        .input
        .options(args.quarter.given_or(config), &args.checks, config)?;
    let run = run_pass(&options, None, !quiet && args.format != ReportFormat::Json)?;
    let valid = run.passes(args.checks.strict, false);
    let report = run.report(valid, args.checks.strict, args.checks.max_errors);
    if !(quiet && valid) {
        to_stdout(|out| report.write(args.format.into(), out))?;
    }
    Ok(if valid {
        Status::Ok
    } else {
        Status::DataErrors
    })
}
