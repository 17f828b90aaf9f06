//! `hisp validate`: check exports and report every problem.

use crate::exit::{Result, Status};
use crate::render::Format;

use super::{CheckArgs, Globals, InputArgs, QuarterArgs, run_pipeline, to_stdout};

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
    #[command(flatten)]
    checks: CheckArgs,
}

pub fn run(args: &Args, globals: &Globals) -> Result<Status> {
    let p = run_pipeline(
        &args.input,
        args.quarter.given(),
        args.checks.max_errors,
        None,
        !globals.quiet && args.format != Format::Json,
    )?;
    let valid = p.passes(&args.checks, false);
    let report = p.report(valid, &args.checks);
    if !(globals.quiet && valid) {
        to_stdout(|out| report.write(args.format, out))?;
    }
    Ok(if valid {
        Status::Ok
    } else {
        Status::DataErrors
    })
}
