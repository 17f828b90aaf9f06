//! `hisp trend`: the shares of every survey, service and overall quarter by
//! quarter, with their intervals and the significance of each change.

use std::path::PathBuf;

use super::{CheckArgs, InputArgs, ReportFormat, run_pass, to_stdout};
use crate::Status;
use hisp::{AggregateFormat, Quarter};

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum Format {
    Csv,
    Json,
}

/// Quarters a trend covers by default: the last three years.
const DEFAULT_QUARTERS: usize = 12;

#[derive(clap::Args, Debug)]
#[command(
    after_help = "Example:\n  hisp trend touchpoints-all-time.csv --from FY2024Q1 --to FY2025Q4 -o trend.xlsx --format json\n\nExit status: 0 success (warnings allowed), 1 the data has errors, 2 usage or configuration, 66 unreadable input, 73 unwritable output."
)]
pub struct Args {
    #[command(flatten)]
    input: InputArgs,
    /// First fiscal quarter, as FY2024Q1 (default: eleven quarters before --to)
    #[arg(long, value_name = "FYyyyyQq", value_parser = parse_quarter)]
    from: Option<Quarter>,
    /// Last fiscal quarter, as FY2025Q4 (default: the last completed one)
    #[arg(long, value_name = "FYyyyyQq", value_parser = parse_quarter)]
    to: Option<Quarter>,
    /// Also write the trend workbook (Trend, Charts, Significant changes, Validation, About)
    #[arg(short, long, value_name = "OUT.xlsx")]
    output: Option<PathBuf>,
    /// Also write the long table as Parquet (DuckDB, pandas, Spark read it)
    #[cfg(feature = "parquet")]
    #[arg(long, value_name = "FILE")]
    parquet: Option<PathBuf>,
    /// Format of the long table printed on standard output
    #[arg(long, value_enum, default_value = "csv")]
    format: Format,
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

/// `FY2025Q1`, `2025Q1`, `FY2025 Q1` in any case.
fn parse_quarter(text: &str) -> Result<Quarter, String> {
    let folded: String = text
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .collect::<String>()
        .to_ascii_uppercase();
    let rest = folded.strip_prefix("FY").unwrap_or(&folded);
    let parsed = rest
        .split_once('Q')
        .and_then(|(year, q)| Quarter::new(year.parse().ok()?, q.parse().ok()?));
    parsed.ok_or_else(|| format!("{text:?} is not a fiscal quarter: give it as FY2025Q1"))
}

pub fn run(args: &Args, quiet: bool, config: &super::config::Config) -> hisp::Result<Status> {
    let to = args
        .to
        .unwrap_or_else(|| Quarter::last_completed(chrono::Local::now().date_naive()));
    let from = args
        .from
        .unwrap_or_else(|| (1..DEFAULT_QUARTERS).fold(to, |q, _| q.previous()));
    if from > to {
        return Err(hisp::Error::Config(anyhow::anyhow!(
            "--from {} is after --to {}",
            from,
            to
        )));
    }
    let options = hisp::Options {
        min_n: args.stats.min_n(config),
        span: Some((from, to)),
        set_aside_invalid: args.skip_invalid,
        ..args.input.options(None, &args.checks, config)?
    };
    if let Some(out) = &args.output {
        options.ensure_not_an_input(out)?;
    }
    #[cfg(feature = "parquet")]
    if let Some(out) = &args.parquet {
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
    if let Some(out) = &args.output {
        run.write_outputs(
            &hisp::ReportOutputs {
                workbook: out.clone(),
                csv_dir: None,
                upload_dir: None,
                skip_invalid: args.skip_invalid,
                no_responses: true,
            },
            &options,
        )?;
    }
    #[cfg(feature = "parquet")]
    if let Some(out) = &args.parquet {
        run.write_parquet(out, &options)?;
    }
    let format = match args.format {
        Format::Csv => AggregateFormat::Csv,
        Format::Json => AggregateFormat::Json,
    };
    to_stdout(|out| run.write_aggregate(format, out))?;
    Ok(Status::Ok)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quarters_as_written() {
        for text in ["FY2025Q1", "fy2025q1", "2025Q1", "FY2025 Q1", "FY2025-Q1"] {
            assert_eq!(
                parse_quarter(text),
                Ok(Quarter::new(2025, 1).unwrap()),
                "{text}"
            );
        }
        assert!(parse_quarter("FY2025Q5").is_err());
        assert!(parse_quarter("2025").is_err());
    }
}
