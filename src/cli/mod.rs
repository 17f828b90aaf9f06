//! The command line: the argument groups the subcommands share, one file
//! per subcommand (its arguments and `run`), logging and the progress bar.
//! Each subcommand builds the library's options and calls it.

mod aggregate;
mod assess;
mod config;
mod docs;
mod init;
mod progress;
mod report;
mod trend;
mod validate;

use clap::{Args, Parser, Subcommand};
use std::io::Write;
use std::path::PathBuf;
use std::sync::Arc;

use crate::Status;
use hisp::{PresetChoice, Quarter};

/// The exit statuses, as every command's help ends.
macro_rules! exit_status_help {
    () => {
        "Exit status:
  0   success (warnings allowed, unless --strict)
  1   the data has errors (or warnings, with --strict); nothing was written
  2   usage or configuration error (flags, schema, mapping file, --sheet)
  66  an input cannot be read (missing, unreadable, not a table)
  73  an output cannot be written
  130 interrupted (Ctrl-C, SIGTERM); outputs not yet in place were removed"
    };
}

const EXIT_STATUS_HELP: &str = exit_status_help!();

#[derive(Parser)]
#[command(
    name = "hisp",
    version,
    about = "Validate federal CX survey exports and fill the OMB A-11 Section 280 HISP quarterly template",
    after_help = EXIT_STATUS_HELP
)]
pub struct Cli {
    /// Print only errors
    #[arg(short, long, global = true)]
    quiet: bool,
    /// The project config file (default: hisp.toml in this folder or the nearest above it)
    #[arg(long, global = true, value_name = "FILE")]
    config: Option<PathBuf>,
    /// Ignore any hisp.toml
    #[arg(long, global = true, conflicts_with = "config")]
    no_config: bool,
    /// More log output on stderr (-v: progress, -vv: debug)
    #[arg(short, long, global = true, action = clap::ArgAction::Count)]
    verbose: u8,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Check survey exports against the template schema and report every problem
    #[command(after_help = concat!("Example:\n  hisp validate survey.csv --map survey.toml --fiscal-year 2025 --quarter 2 --format json\n\n", exit_status_help!()))]
    Validate(validate::Args),
    /// Count answers per survey (service × touchpoint × channel) for a fiscal quarter
    #[command(after_help = concat!("Example:\n  hisp aggregate survey.csv --fiscal-year 2025 --quarter 2 --format json -o counts.json\n\n", exit_status_help!()))]
    Aggregate(aggregate::Args),
    /// Validate, aggregate and write the filled HISP quarterly workbook
    #[command(after_help = concat!("Example:\n  hisp report survey.csv --services services.csv --fiscal-year 2025 --quarter 2 -o hisp-report.xlsx\n\n", exit_status_help!()))]
    Report(report::Args),
    /// Write a mapping file for an export: its columns, answer labels and channels matched to the template, each guess commented
    #[command(after_help = concat!("Example:\n  hisp init medallia-export.csv -o survey.toml\n\n", exit_status_help!()))]
    Init(init::Args),
    /// Shares of every survey, service and overall quarter by quarter, with 95% intervals and the significance of each change
    Trend(trend::Args),
    /// The annual CX self-assessment: `assess init` writes the fillable form; `assess FILLED…` scores filled forms (CX level, focus areas, maturity level and the tactics to reach the next)
    Assess(assess::Args),
    /// Print the shell completion script (bash, zsh, fish, powershell, elvish)
    Completions(docs::CompletionsArgs),
    /// Print the manual page (roff)
    Man(docs::ManArgs),
    /// The project config file (hisp.toml): `hisp config show` prints the settings in effect and where each comes from
    Config(ConfigArgs),
}

#[derive(Args, Debug)]
#[command(
    after_help = "Example hisp.toml (paths relative to the file):\n  inputs = [\"exports/*.csv\"]\n  services = \"services.csv\"\n  output = \"reports/hisp-FY{fy}-Q{q}.xlsx\"\nWith it, `hisp report` alone writes last quarter's workbook."
)]
struct ConfigArgs {
    #[command(subcommand)]
    command: ConfigCommand,
}

#[derive(Subcommand, Debug)]
enum ConfigCommand {
    /// Print every setting of the config file in effect, and where each value comes from
    Show,
}

/// How results are qualified (`aggregate`, `report`, `trend`).
#[derive(Args, Debug)]
struct StatsArgs {
    /// Respondents below which a share is flagged small-n (its 95% interval is wide; it is still reported) [default: hisp.toml's min_n, else 30]
    #[arg(long, value_name = "N")]
    min_n: Option<u64>,
}

impl StatsArgs {
    fn min_n(&self, config: &config::Config) -> Option<u64> {
        self.min_n.or(config.min_n())
    }
}

/// Inputs and how to read them; shared by every subcommand.
#[derive(Args, Debug)]
struct InputArgs {
    /// Survey exports: CSV (comma, semicolon, tab or pipe) or Excel (.xlsx, .xlsm, .xlsb, .xls, .ods); `-` reads CSV from standard input. Rows of all inputs are pooled. Default: hisp.toml's inputs
    #[arg(value_name = "INPUT")]
    inputs: Vec<String>,
    /// Schema: a built-in one (a11-v1, a11-v2, a11-v2-upload) or a JSON file (default: recognised from the first input's header)
    #[arg(long, value_name = "NAME|PATH")]
    schema: Option<String>,
    /// Give a field one value for every row, e.g. --set service="Passport Renewal" --set channel=computer (repeatable; overrides the mapping file's [constants])
    #[arg(long = "set", value_name = "FIELD=VALUE", value_parser = parse_set)]
    set: Vec<(String, String)>,
    /// Mapping file (TOML): export columns → canonical fields, extra answer labels, constants
    #[arg(long = "map", value_name = "FILE")]
    map: Option<PathBuf>,
    #[command(flatten)]
    read: ReadArgs,
    /// Count responses the platform marks unfinished (Qualtrics Finished = False); by default they are left out and counted in the report
    #[arg(long)]
    include_unfinished: bool,
    /// Services manifest (CSV or Excel): one row per survey with organization, volumes, OMB control number, question texts
    #[arg(long, value_name = "FILE")]
    services: Option<PathBuf>,
    /// Reporting time zone (IANA name): a date-time that states its UTC offset (2025-01-01T02:00:00Z, Touchpoints' "… UTC") is seen in this zone to find its quarter; date-times without one are taken as written [default: hisp.toml's timezone, else America/New_York]
    #[arg(long, value_name = "ZONE", value_parser = parse_timezone)]
    timezone: Option<String>,
}

/// How to read an export: shared by every subcommand and `init`.
#[derive(Args, Debug)]
struct ReadArgs {
    /// Template: a11-v1 (seven 1-5 questions) or a11-v2 (trust question and drivers, FY2024 on); default: recognised from the first input's header
    #[arg(long, value_name = "TEMPLATE", value_parser = template_parser())]
    template: Option<hisp::Template>,
    /// Survey platform export shape: qualtrics, touchpoints, or none for canonical columns only (default: recognised from the header, or the mapping file's preset)
    #[arg(long, value_name = "NAME", value_parser = parse_preset)]
    preset: Option<PresetChoice>,
    /// Excel sheet to read, by name or 1-based position (default: the visible sheet whose header names the most fields)
    #[arg(long, value_name = "NAME|INDEX")]
    sheet: Option<String>,
    /// CSV delimiter: comma, semicolon, tab, pipe or one character (default: sniffed)
    #[arg(long, value_name = "CHAR", value_parser = parse_delimiter)]
    delimiter: Option<u8>,
    /// Text encoding of CSV input: utf-8, utf-16le, utf-16be or windows-1252 (default: detected; a byte-order mark always wins)
    #[arg(long, value_name = "NAME", value_parser = parse_encoding)]
    encoding: Option<&'static encoding_rs::Encoding>,
    /// The header's row number (default: the row among the first 30 that best names the template's fields)
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..))]
    header_row: Option<u64>,
}

impl ReadArgs {
    fn options(&self) -> hisp::ReadOptions {
        hisp::ReadOptions {
            template: self.template,
            preset: self.preset,
            sheet: self.sheet.clone(),
            delimiter: self.delimiter,
            encoding: self.encoding,
            header_row: self.header_row,
        }
    }
}

/// The fiscal quarter to report.
#[derive(Args, Debug)]
struct QuarterArgs {
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

    /// The quarter given, else the config file's.
    fn given_or(&self, config: &config::Config) -> Option<Quarter> {
        self.given().or(config.quarter())
    }

    /// The quarter given (or the config file's), else the last completed one.
    fn or_last_completed(&self, config: &config::Config) -> Quarter {
        self.given_or(config)
            .unwrap_or_else(|| Quarter::last_completed(chrono::Local::now().date_naive()))
    }
}

/// How strictly to judge the data, and how much of the report to list.
#[derive(Args, Debug)]
struct CheckArgs {
    /// List at most N errors and N warnings (the counts are always complete)
    #[arg(long, value_name = "N", default_value_t = 1000)]
    max_errors: usize,
    /// Fail (exit 1) on warnings too
    #[arg(long)]
    strict: bool,
    /// Memory for the response IDs kept to find repeats, in MiB; past it they are sorted in a temporary file and compared at the end
    #[arg(long, value_name = "MIB", default_value_t = hisp::DEFAULT_UNIQUE_BUDGET_MIB, value_parser = clap::value_parser!(u64).range(1..=1_048_576))]
    unique_budget: u64,
}

/// `--template`: the library's editions, by name.
fn template_parser() -> impl clap::builder::TypedValueParser<Value = hisp::Template> {
    use clap::builder::TypedValueParser;
    clap::builder::PossibleValuesParser::new(hisp::Template::names())
        .map(|name: String| hisp::Template::named(&name).expect("a listed name"))
}

/// The validation report's formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum ReportFormat {
    Human,
    Json,
    Csv,
}

impl From<ReportFormat> for hisp::ReportFormat {
    fn from(f: ReportFormat) -> Self {
        match f {
            ReportFormat::Human => hisp::ReportFormat::Human,
            ReportFormat::Json => hisp::ReportFormat::Json,
            ReportFormat::Csv => hisp::ReportFormat::Csv,
        }
    }
}

fn parse_set(s: &str) -> Result<(String, String), String> {
    match s.split_once('=') {
        Some((field, value)) if !field.trim().is_empty() => {
            Ok((field.trim().to_string(), value.to_string()))
        }
        _ => Err("use FIELD=VALUE, e.g. channel=computer".into()),
    }
}

fn parse_preset(s: &str) -> Result<PresetChoice, String> {
    use hisp::Preset;
    match s.to_ascii_lowercase().as_str() {
        "qualtrics" => Ok(PresetChoice::Given(Preset::Qualtrics)),
        "touchpoints" => Ok(PresetChoice::Given(Preset::Touchpoints)),
        "none" => Ok(PresetChoice::Off),
        _ => Err("use qualtrics, touchpoints or none".into()),
    }
}

fn parse_encoding(s: &str) -> Result<&'static encoding_rs::Encoding, String> {
    let wanted = s.to_ascii_lowercase();
    let label = match wanted.as_str() {
        "latin1" | "latin-1" | "cp1252" | "ansi" => "windows-1252",
        "utf8" => "utf-8",
        "utf16" | "utf-16" => "utf-16le",
        other => other,
    };
    match encoding_rs::Encoding::for_label(label.as_bytes()) {
        Some(e) if e != encoding_rs::REPLACEMENT => Ok(e),
        _ => Err(
            "use utf-8, utf-16le, utf-16be or windows-1252 (or another WHATWG encoding label)"
                .into(),
        ),
    }
}

fn parse_timezone(s: &str) -> Result<String, String> {
    hisp::check_time_zone(s)
        .map(|_| s.to_string())
        .map_err(|e| e.to_string())
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
    /// The template given with --template.
    fn template(&self) -> Option<hisp::Template> {
        self.read.template
    }

    /// The library's options for these inputs, a quarter and the check
    /// arguments (findings listed, memory for IDs); what the command line
    /// leaves out, the config file gives.
    fn options(
        &self,
        quarter: Option<Quarter>,
        checks: &CheckArgs,
        config: &config::Config,
    ) -> hisp::Result<hisp::Options> {
        let inputs = if self.inputs.is_empty() {
            config.inputs()?
        } else {
            self.inputs.clone()
        };
        if inputs.is_empty() {
            return Err(hisp::Error::Config(anyhow::anyhow!(
                "no input: give the exports to read (INPUT...), or `inputs` in {}",
                config::FILE_NAME
            )));
        }
        let mut read = self.read.options();
        read.template = read.template.or(config.template());
        Ok(hisp::Options {
            inputs: inputs
                .iter()
                .map(|i| match i.as_str() {
                    "-" => hisp::Input::Stdin,
                    path => hisp::Input::Path(PathBuf::from(path)),
                })
                .collect(),
            schema: self.schema.clone(),
            set: self.set.clone(),
            map: self.map.clone().or(config.map()),
            read,
            include_unfinished: self.include_unfinished,
            services: self.services.clone().or(config.services()),
            quarter,
            keep: checks.max_errors,
            timezone: Some(
                self.timezone
                    .clone()
                    .or(config.timezone().map(String::from))
                    .unwrap_or_else(|| "America/New_York".to_string()),
            ),
            redact: false,
            submission: false,
            min_n: None,
            span: None,
            compare_previous: false,
            unique_budget: Some(checks.unique_budget),
            set_aside_invalid: false,
            #[cfg(feature = "parquet")]
            parquet_rows: false,
        })
    }
}

/// For the commands whose standard output carries data (`aggregate`,
/// `trend`): the validation report goes to standard error, when the run
/// fails or has warnings to show. Whether the run passes.
fn report_to_stderr(
    run: &hisp::Run,
    checks: &CheckArgs,
    skip_invalid: bool,
    format: ReportFormat,
    quiet: bool,
) -> bool {
    let ok = run.passes(checks.strict, skip_invalid);
    if !ok || (!quiet && run.warnings() > 0) {
        let report = run
            .report(ok, checks.strict, checks.max_errors)
            .setting_aside_invalid_rows(skip_invalid);
        let _ = report.write(format.into(), &mut std::io::stderr());
    }
    ok
}

/// Run the pass with a progress bar when one may be shown.
fn run_pass(
    options: &hisp::Options,
    spool_dir: Option<&std::path::Path>,
    show_progress: bool,
) -> hisp::Result<hisp::Run> {
    let bar = if show_progress {
        progress::Bar::start(total_bytes(options))
    } else {
        None
    };
    let observer = bar.clone().map(|b| b as Arc<dyn hisp::Observer>);
    let spooling = spool_dir.map(|dir| hisp::Spooling::InDir(dir.to_path_buf()));
    let run = hisp::run(options, spooling, observer);
    if let Some(bar) = bar {
        bar.finish();
    }
    run
}

/// The size of all inputs, when every one is a file.
fn total_bytes(options: &hisp::Options) -> Option<u64> {
    options
        .inputs
        .iter()
        .map(|i| std::fs::metadata(i.path()?).ok().map(|m| m.len()))
        .sum()
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

pub fn parse() -> Result<Cli, clap::Error> {
    Cli::try_parse()
}

/// Run the subcommand; its exit status, or the error that stopped it.
pub fn run(cli: Cli) -> hisp::Result<Status> {
    init_logging(cli.quiet, cli.verbose);
    let started = std::time::Instant::now();
    // The config file, for the commands that read exports.
    let config = || config::Config::load(cli.config.as_deref(), cli.no_config);
    let result = match &cli.command {
        Command::Validate(args) => config().and_then(|c| validate::run(args, cli.quiet, &c)),
        Command::Aggregate(args) => config().and_then(|c| aggregate::run(args, cli.quiet, &c)),
        Command::Report(args) => config().and_then(|c| report::run(args, cli.quiet, &c)),
        Command::Trend(args) => config().and_then(|c| trend::run(args, cli.quiet, &c)),
        Command::Config(_) => config().and_then(|c| {
            to_stdout(|out| c.show(out))?;
            Ok(Status::Ok)
        }),
        Command::Init(args) => init::run(args, cli.quiet),
        Command::Assess(args) => assess::run(args, cli.quiet),
        Command::Completions(args) => docs::completions(args),
        Command::Man(args) => docs::man(args),
    };
    if let Err(e) = &result
        && !e.is_broken_pipe()
    {
        // A program reading the JSON report gets a document for every
        // outcome, the fatal ones too.
        let doc = fatal_json(e);
        match &cli.command {
            Command::Validate(a) if a.json() => println!("{doc}"),
            Command::Report(a) if a.json() => println!("{doc}"),
            Command::Assess(a) if a.json() => println!("{doc}"),
            Command::Aggregate(a) if a.json_report() => eprintln!("{doc}"),
            Command::Trend(a) if a.json_report() => eprintln!("{doc}"),
            _ => {}
        }
    }
    // For the logs of scheduled runs (and the hostile corpus's memory check).
    match peak_memory_kib() {
        Some(kib) => tracing::info!(
            "took {:.2} s, peak memory {} MiB",
            started.elapsed().as_secs_f64(),
            kib.div_ceil(1024)
        ),
        None => tracing::info!("took {:.2} s", started.elapsed().as_secs_f64()),
    }
    result
}

/// This process's peak resident memory, where the system says (Linux:
/// `VmHWM`, which a new program starts afresh, unlike `getrusage`'s figure
/// that inherits the parent's).
fn peak_memory_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// `{"valid": false, "fatal": {"status": 66, "type": "input", "message": …}}`
fn fatal_json(e: &hisp::Error) -> String {
    let kind = match e {
        hisp::Error::Config(_) => "configuration",
        hisp::Error::Input(_) => "input",
        hisp::Error::Output(_) => "output",
    };
    let doc = serde_json::json!({
        "valid": false,
        "fatal": {
            "status": Status::of(e) as u8,
            "type": kind,
            "message": e.to_string(),
        }
    });
    serde_json::to_string_pretty(&doc).unwrap_or_default()
}

/// Write to stdout; a failure (a closed pipe among them) is an output error.
fn to_stdout(write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>) -> hisp::Result<()> {
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    write(&mut out).and_then(|_| out.flush()).map_err(|e| {
        hisp::Error::Output(anyhow::Error::new(e).context("cannot write to standard output"))
    })
}
