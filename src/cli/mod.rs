//! The command line: argument definitions, the pipeline shared by the
//! subcommands, logging, and the mapping of outcomes to exit statuses.

mod aggregate;
mod report;
mod validate;

use clap::{Args, Parser, Subcommand};
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use crate::aggregate::Rollup;
use crate::check::Checker;
use crate::exit::{Failure, Status};
use crate::fiscal::Quarter;
use crate::ingest::InputSpec;
use crate::issue::{Findings, Kind, Severity};
use crate::manifest::{self, Manifest, TemplateRow};
use crate::mapping::Mapping;
use crate::responses::{self, Outcome};
use crate::schema::Schema;

const EXIT_STATUS_HELP: &str = "\
Exit status:
  0   success (warnings allowed, unless --strict)
  1   the data has errors (or warnings, with --strict); nothing was written
  2   usage or configuration error (flags, schema, mapping file, --sheet)
  66  an input cannot be read (missing, unreadable, not a table)
  73  an output cannot be written";

#[derive(Parser)]
#[command(
    name = "hisp",
    version,
    about = "Validate federal CX survey exports and fill the OMB A-11 Section 280 HISP quarterly template",
    after_help = EXIT_STATUS_HELP
)]
struct Cli {
    /// Print only errors
    #[arg(short, long, global = true)]
    quiet: bool,
    /// More log output on stderr (-v: progress, -vv: debug)
    #[arg(short, long, global = true, action = clap::ArgAction::Count)]
    verbose: u8,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Check survey exports against the template schema and report every problem
    #[command(after_help = EXIT_STATUS_HELP)]
    Validate(validate::Args),
    /// Count answers per survey (service × touchpoint × channel) for a fiscal quarter
    #[command(after_help = EXIT_STATUS_HELP)]
    Aggregate(aggregate::Args),
    /// Validate, aggregate and write the filled HISP quarterly workbook
    #[command(after_help = EXIT_STATUS_HELP)]
    Report(report::Args),
}

/// Inputs and how to read them; shared by every subcommand.
#[derive(Args, Debug)]
pub struct InputArgs {
    /// Survey exports: CSV (comma, semicolon, tab or pipe) or Excel (.xlsx, .xlsm, .xlsb, .xls, .ods); `-` reads CSV from standard input. Rows of all inputs are pooled.
    #[arg(required = true, value_name = "INPUT")]
    inputs: Vec<String>,
    /// Template schema (JSON) to use instead of the built-in a11-v1
    #[arg(long, value_name = "PATH")]
    schema: Option<PathBuf>,
    /// Mapping file (TOML): export columns → canonical fields, extra answer labels, constants
    #[arg(long = "map", value_name = "FILE")]
    map: Option<PathBuf>,
    /// Excel sheet to read, by name or 1-based position (default: the first visible sheet with data)
    #[arg(long, value_name = "NAME|INDEX")]
    sheet: Option<String>,
    /// CSV delimiter: comma, semicolon, tab, pipe or one character (default: sniffed from the header)
    #[arg(long, value_name = "CHAR", value_parser = parse_delimiter)]
    delimiter: Option<u8>,
    /// Services manifest (CSV or Excel): one row per survey with organization, volumes, OMB control number, question texts
    #[arg(long, value_name = "FILE")]
    services: Option<PathBuf>,
}

/// The fiscal quarter to report.
#[derive(Args, Debug)]
pub struct QuarterArgs {
    /// Federal fiscal year (FY2025 = 2024-10-01 to 2025-09-30). Without --fiscal-year and --quarter, report and aggregate use the last completed quarter and validate checks every row
    #[arg(long, value_name = "YEAR", requires = "quarter", value_parser = clap::value_parser!(i32).range(1901..=9998))]
    fiscal_year: Option<i32>,
    /// Fiscal quarter 1-4 (Q1 = October-December)
    #[arg(long, value_name = "Q", requires = "fiscal_year", value_parser = clap::value_parser!(u8).range(1..=4))]
    quarter: Option<u8>,
}

impl QuarterArgs {
    /// The quarter given, if any.
    fn given(&self) -> Option<Quarter> {
        Quarter::new(self.fiscal_year?, self.quarter?)
    }

    /// The quarter given, else the last completed one.
    fn or_last_completed(&self) -> Quarter {
        self.given()
            .unwrap_or_else(|| Quarter::last_completed(chrono::Local::now().date_naive()))
    }
}

/// How strictly to judge the data, and how much of the report to list.
#[derive(Args, Debug)]
pub struct CheckArgs {
    /// List at most N errors and N warnings (the counts are always complete)
    #[arg(long, value_name = "N", default_value_t = 1000)]
    max_errors: usize,
    /// Fail (exit 1) on warnings too
    #[arg(long)]
    strict: bool,
}

fn parse_delimiter(s: &str) -> Result<u8, String> {
    match s {
        "comma" | "," => Ok(b','),
        "semicolon" | ";" => Ok(b';'),
        "tab" | "\\t" | "\t" => Ok(b'\t'),
        "pipe" | "|" => Ok(b'|'),
        _ if s.len() == 1 && s.is_ascii() => Ok(s.as_bytes()[0]),
        _ => Err("use comma, semicolon, tab, pipe or a single ASCII character".into()),
    }
}

impl InputArgs {
    fn specs(&self) -> crate::exit::Result<Vec<InputSpec>> {
        if self.inputs.iter().filter(|i| *i == "-").count() > 1 {
            return Err(Failure::usage(anyhow::anyhow!(
                "standard input (-) can be read only once"
            )));
        }
        Ok(self
            .inputs
            .iter()
            .map(|i| InputSpec {
                path: (i != "-").then(|| PathBuf::from(i)),
                delimiter: self.delimiter,
                sheet: self.sheet.clone(),
            })
            .collect())
    }

    fn paths(&self) -> Vec<PathBuf> {
        let mut paths: Vec<PathBuf> = self
            .inputs
            .iter()
            .filter(|i| *i != "-")
            .map(PathBuf::from)
            .collect();
        paths.extend(self.services.clone());
        paths
    }
}

/// Everything a run computes, up to the point of writing outputs.
pub struct Pipeline {
    pub schema: Schema,
    pub quarter: Option<Quarter>,
    pub outcome: Outcome,
    pub findings: Findings,
    pub manifest: Option<Manifest>,
    pub rows: Vec<TemplateRow>,
    pub services: Vec<Rollup>,
    pub overall: Rollup,
}

/// Read the configuration and every input, check and count in one pass.
/// `keep` caps the findings kept in memory (counts are always complete).
fn run_pipeline(
    args: &InputArgs,
    quarter: Option<Quarter>,
    keep: usize,
) -> crate::exit::Result<Pipeline> {
    let schema = match &args.schema {
        Some(path) => Schema::load(path).map_err(Failure::usage)?,
        None => Schema::embedded("a11-v1"),
    };
    let mapping = match &args.map {
        Some(path) => {
            let m = Mapping::load(path).map_err(Failure::usage)?;
            m.check(&schema, &path.display().to_string())
                .map_err(Failure::usage)?;
            m
        }
        None => Mapping::default(),
    };
    let specs = args.specs()?;
    let mut findings = Findings::new(keep);
    let manifest = match &args.services {
        Some(path) => {
            let spec = InputSpec {
                path: Some(path.clone()),
                delimiter: None,
                sheet: None,
            };
            Some(manifest::load(&spec, "services-v1", &mut findings)?)
        }
        None => None,
    };
    let mut checker = Checker::new(schema, mapping);
    let outcome = responses::run(
        &specs,
        &mut checker,
        responses::Options { quarter },
        &mut findings,
    )?;
    let surveys = outcome
        .surveys
        .iter()
        .map(|s| (s.key.clone(), s.tally.clone()))
        .collect();
    let rows = manifest::join(manifest.as_ref(), surveys, &mut findings);
    let (services, overall) = manifest::rollups(&rows);
    Ok(Pipeline {
        schema: checker.schema,
        quarter,
        outcome,
        findings,
        manifest,
        rows,
        services,
        overall,
    })
}

impl Pipeline {
    /// The validation report of this run.
    fn report(&self, valid: bool, checks: &CheckArgs) -> crate::render::Report<'_> {
        crate::render::Report {
            valid,
            strict: checks.strict,
            quarter: self.quarter,
            inputs: &self.outcome.inputs,
            findings: &self.findings,
            max_errors: checks.max_errors,
        }
    }

    /// Whether the run passes: no errors (or only row errors set aside by
    /// `--skip-invalid`), and no warnings under `--strict`.
    fn passes(&self, checks: &CheckArgs, skip_invalid: bool) -> bool {
        let errors_ok = if skip_invalid {
            !has_table_errors(&self.findings)
        } else {
            self.findings.error_count == 0
        };
        errors_ok && !(checks.strict && self.findings.warning_count > 0)
    }
}

/// Findings that `--skip-invalid` cannot set aside: they concern a whole
/// table, not a row.
fn has_table_errors(findings: &Findings) -> bool {
    findings.tally.iter().any(|((severity, kind, _), n)| {
        *severity == Severity::Error
            && *n > 0
            && matches!(kind, Kind::MissingLabel | Kind::DuplicateLabel)
    })
}

fn init_logging(quiet: bool, verbose: u8) {
    let level = match (quiet, verbose) {
        (true, _) => tracing::Level::ERROR,
        (false, 0) => tracing::Level::WARN,
        (false, 1) => tracing::Level::INFO,
        _ => tracing::Level::DEBUG,
    };
    tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_max_level(level)
        .with_target(false)
        .without_time()
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .init();
}

/// Global options a subcommand may need.
pub struct Globals {
    pub quiet: bool,
}

/// Parse arguments, run, and turn the outcome into an exit status.
pub fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() {
                Status::Usage.code()
            } else {
                0
            });
        }
    };
    init_logging(cli.quiet, cli.verbose);
    let globals = Globals { quiet: cli.quiet };
    let result = match &cli.command {
        Command::Validate(args) => validate::run(args, &globals),
        Command::Aggregate(args) => aggregate::run(args, &globals),
        Command::Report(args) => report::run(args, &globals),
    };
    match result {
        Ok(status) => ExitCode::from(status.code()),
        Err(failure) => {
            if is_broken_pipe(&failure.error) {
                return ExitCode::SUCCESS;
            }
            let _ = writeln!(std::io::stderr(), "hisp: error: {failure}");
            ExitCode::from(failure.status.code())
        }
    }
}

/// A reader of our output went away (`hisp … | head`): not an error.
fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|c| {
        c.downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}

/// Write to stdout, mapping failures (other than a closed pipe) to an output error.
fn to_stdout(write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>) -> crate::exit::Result<()> {
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    write(&mut out).and_then(|_| out.flush()).map_err(|e| {
        Failure::output(anyhow::Error::new(e).context("cannot write to standard output"))
    })
}
