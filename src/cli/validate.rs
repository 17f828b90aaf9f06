//! `hisp validate`: check exports and report every problem.

use crate::exit::{Result, Status};
use crate::render::{Format, Report};

use super::{Globals, InputArgs, QuarterArgs, passes, run_pipeline, to_stdout};

#[derive(clap::Args, Debug)]
pub struct Args {
    #[command(flatten)]
    input: InputArgs,
    /// Check only rows submitted in this quarter (default: every row)
    #[command(flatten)]
    quarter: QuarterArgs,
    /// Report format
    #[arg(long, value_enum, default_value = "human")]
    format: Format,
    /// List at most N errors and N warnings (the counts are always complete)
    #[arg(long, value_name = "N", default_value_t = 1000)]
    max_errors: usize,
    /// Fail (exit 1) on warnings too
    #[arg(long)]
    strict: bool,
}

pub fn run(args: &Args, globals: &Globals) -> Result<Status> {
    let p = run_pipeline(&args.input, args.quarter.given(), args.max_errors)?;
    let valid = passes(&p.findings, args.strict, false);
    let report = Report {
        valid,
        strict: args.strict,
        quarter: p.quarter,
        inputs: &p.outcome.inputs,
        findings: &p.findings,
        max_errors: args.max_errors,
    };
    if !(globals.quiet && valid) {
        to_stdout(|out| report.write(args.format, out))?;
    }
    Ok(if valid {
        Status::Ok
    } else {
        Status::DataErrors
    })
}
