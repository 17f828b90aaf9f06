//! The command line: argument definitions, the pipeline shared by the
//! subcommands, logging, and the mapping of outcomes to exit statuses.

mod aggregate;
mod init;
mod report;
mod validate;

use clap::{Args, Parser, Subcommand};
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use std::collections::HashMap;

use crate::aggregate::Rollup;
use crate::check::Checker;
use crate::exit::{Failure, Status};
use crate::fiscal::Quarter;
use crate::ingest::InputSpec;
use crate::issue::{Findings, Issue, Kind, Severity};
use crate::manifest::{self, Manifest, TemplateRow};
use crate::mapping::Mapping;
use crate::responses::{self, InputStats};
use crate::responses_v2::{
    self, ResponseSink, SurveyType, TrustCounts, TrustRollup, TypeSource, UPLOAD_COLUMNS,
};
use crate::schema::{Schema, normalize_label};

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
    /// Write a mapping file for an export: its columns, answer labels and channels matched to the template, each guess commented
    #[command(after_help = EXIT_STATUS_HELP)]
    Init(init::Args),
}

/// Inputs and how to read them; shared by every subcommand.
#[derive(Args, Debug)]
pub struct InputArgs {
    /// Survey exports: CSV (comma, semicolon, tab or pipe) or Excel (.xlsx, .xlsm, .xlsb, .xls, .ods); `-` reads CSV from standard input. Rows of all inputs are pooled.
    #[arg(required = true, value_name = "INPUT")]
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
}

/// How to read an export: shared by every subcommand and `init`.
#[derive(Args, Debug)]
pub struct ReadArgs {
    /// Template: a11-v1 (seven 1-5 questions) or a11-v2 (trust question and drivers, FY2024 on); default: recognised from the first input's header
    #[arg(long, value_enum)]
    template: Option<Template>,
    /// Survey platform export shape: qualtrics, touchpoints, or none for canonical columns only (default: recognised from the header, or the mapping file's preset)
    #[arg(long, value_name = "NAME", value_parser = parse_preset)]
    preset: Option<crate::preset::Choice>,
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
    /// How to read one input (`None`: standard input).
    fn spec(&self, path: Option<PathBuf>) -> InputSpec {
        InputSpec {
            path,
            delimiter: self.delimiter,
            sheet: self.sheet.clone(),
            encoding: self.encoding,
            header_row: self.header_row,
            progress: crate::progress::Progress::default(),
        }
    }
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

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Template {
    #[value(name = "a11-v1")]
    A11V1,
    #[value(name = "a11-v2")]
    A11V2,
}

fn parse_set(s: &str) -> Result<(String, String), String> {
    match s.split_once('=') {
        Some((field, value)) if !field.trim().is_empty() => {
            Ok((field.trim().to_string(), value.to_string()))
        }
        _ => Err("use FIELD=VALUE, e.g. channel=computer".into()),
    }
}

fn parse_preset(s: &str) -> Result<crate::preset::Choice, String> {
    use crate::preset::{Choice, Preset};
    match s.to_ascii_lowercase().as_str() {
        "qualtrics" => Ok(Choice::Given(Preset::Qualtrics)),
        "touchpoints" => Ok(Choice::Given(Preset::Touchpoints)),
        "none" => Ok(Choice::Off),
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
            .map(|i| self.read.spec((i != "-").then(|| PathBuf::from(i))))
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
    pub inputs: Vec<InputStats>,
    pub findings: Findings,
    pub manifest: Option<Manifest>,
    /// What hisp decided on the user's behalf (schema, survey types).
    pub notes: Vec<String>,
    pub counts: Counts,
}

/// The counts of the template in use.
pub enum Counts {
    V1 {
        rows: Vec<TemplateRow>,
        services: Vec<Rollup>,
        overall: Rollup,
    },
    V2 {
        rows: Vec<TemplateRow<TrustCounts>>,
        services: Vec<TrustRollup>,
        overall: TrustRollup,
    },
}

impl Counts {
    pub fn surveys(&self) -> usize {
        match self {
            Counts::V1 { rows, .. } => rows.len(),
            Counts::V2 { rows, .. } => rows.len(),
        }
    }

    pub fn respondents(&self) -> u64 {
        match self {
            Counts::V1 { overall, .. } => overall.tally.respondents,
            Counts::V2 { overall, .. } => overall.results.respondents,
        }
    }
}

/// The schema to use: `--schema`, else the template given or recognised
/// from the first input's header. Also says what was recognised, and hands
/// back the first input, open, so that it is read once.
fn resolve_schema(
    args: &InputArgs,
    specs: &[InputSpec],
    mapping: &Mapping,
) -> crate::exit::Result<(Schema, Option<String>, Option<crate::ingest::Table>)> {
    if let Some(name) = &args.schema {
        let schema = if crate::schema::EMBEDDED.iter().any(|(n, _)| n == name) {
            Schema::embedded(name)
        } else {
            Schema::load(std::path::Path::new(name)).map_err(Failure::usage)?
        };
        return Ok((schema, None, None));
    }
    let score = any_template_score(mapping);
    let first = match specs.first() {
        Some(spec) => {
            Some(crate::ingest::open(spec, Some(&score)).map_err(responses::classify_open_error)?)
        }
        None => None,
    };
    let detected = first.as_ref().map(|t| detect_schema(&t.headers, mapping));
    let name = match (args.read.template, detected) {
        (Some(Template::A11V1), _) => "a11-v1",
        (Some(Template::A11V2), Some("a11-v2-upload")) => "a11-v2-upload",
        (Some(Template::A11V2), _) => "a11-v2",
        (None, Some(d)) => d,
        (None, None) => "a11-v1",
    };
    let note = match (&first, args.read.template) {
        (Some(table), None) => Some(format!(
            "schema {name} (recognised from the header of {})",
            table.file
        )),
        _ => None,
    };
    Ok((Schema::embedded(name), note, first))
}

/// Rates header rows by the fields of either template they name, for
/// finding the header before the template is known.
fn any_template_score(mapping: &Mapping) -> impl Fn(&[String]) -> usize + use<> {
    let candidates = [
        Checker::new(Schema::embedded("a11-v1"), mapping.clone()),
        Checker::new(Schema::embedded("a11-v2"), mapping.clone()),
    ];
    move |labels: &[String]| {
        candidates
            .iter()
            .map(|c| c.header_score(labels))
            .max()
            .unwrap_or(0)
    }
}

/// Which built-in schema a header belongs to.
pub fn detect_schema(headers: &[String], mapping: &Mapping) -> &'static str {
    if headers.iter().map(String::as_str).eq(UPLOAD_COLUMNS) {
        return "a11-v2-upload";
    }
    let v2 = headers.iter().any(|h| {
        let field = mapping
            .field_for_column(h)
            .map(str::to_string)
            .unwrap_or_else(|| normalize_label(h));
        field == "question_1" || field.starts_with("positive_") || field.starts_with("negative_")
    });
    if v2 { "a11-v2" } else { "a11-v1" }
}

fn is_v2(schema: &Schema) -> bool {
    schema.name.starts_with("a11-v2")
}

/// Read the configuration and every input, check and count in one pass.
/// `keep` caps the findings kept in memory (counts are always complete);
/// `sink` receives the A-11 v2 responses for the outputs that list them;
/// `show_progress` allows the progress bar (not with --quiet or JSON).
fn run_pipeline(
    args: &InputArgs,
    quarter: Option<Quarter>,
    keep: usize,
    sink: Option<&mut dyn ResponseSink>,
    show_progress: bool,
) -> crate::exit::Result<Pipeline> {
    let mut mapping = match &args.map {
        Some(path) => Mapping::load(path).map_err(Failure::usage)?,
        None => Mapping::default(),
    };
    mapping.constants.extend(args.set.iter().cloned());
    let mut specs = args.specs()?;
    let progress = if show_progress {
        crate::progress::Progress::start(total_bytes(&specs))
    } else {
        crate::progress::Progress::default()
    };
    for spec in &mut specs {
        spec.progress = progress.clone();
    }
    let (schema, note, first) = resolve_schema(args, &specs, &mapping)?;
    let source = args
        .map
        .as_ref()
        .map_or("--set".to_string(), |p| format!("{} or --set", p.display()));
    mapping.check(&schema, &source).map_err(Failure::usage)?;
    let v2 = is_v2(&schema);
    let mut notes: Vec<String> = note.into_iter().collect();
    let mut findings = Findings::new(keep);
    let manifest = match &args.services {
        Some(path) => {
            let spec = InputSpec {
                path: Some(path.clone()),
                delimiter: None,
                sheet: None,
                encoding: None,
                header_row: None,
                progress: crate::progress::Progress::default(),
            };
            let schema = if v2 { "services-v2" } else { "services-v1" };
            Some(manifest::load(&spec, schema, &mut findings)?)
        }
        None => None,
    };
    let preset = match (args.read.preset, mapping.preset) {
        (Some(choice), _) => choice,
        (None, Some(p)) => crate::preset::Choice::Given(p),
        (None, None) => crate::preset::Choice::Detect,
    };
    let options = responses::Options {
        quarter,
        preset,
        include_unfinished: args.include_unfinished,
    };
    let mut checker = Checker::new(schema, mapping);
    let (inputs, counts) = if v2 {
        let declared: HashMap<String, SurveyType> = manifest
            .iter()
            .flat_map(|m| &m.entries)
            .filter_map(|e| {
                Some((
                    e.key.match_key(),
                    SurveyType::from_code(e.survey_type.as_deref()?)?,
                ))
            })
            .collect();
        let outcome = responses_v2::run(
            responses::Inputs {
                specs: &specs,
                first,
            },
            &mut checker,
            options,
            &declared,
            sink,
            &mut findings,
        )?;
        let mut rows = manifest::join(manifest.as_ref(), outcome.surveys, &mut findings);
        for row in &mut rows {
            if row.tally.tally.rows == 0
                && let Some(t) = row
                    .entry
                    .survey_type
                    .as_deref()
                    .and_then(SurveyType::from_code)
            {
                row.tally.survey_type = t;
                row.tally.type_source = TypeSource::Manifest;
            }
            notes.push(survey_type_note(row));
            if row.tally.type_source == TypeSource::Assumed && row.tally.tally.rows > 0 {
                findings.push(Issue::new(
                    Kind::SurveyType,
                    Severity::Warning,
                    &row.entry.at,
                    Some("survey_type".into()),
                    None,
                    format!(
                        "every trust answer of {} / {} / {} is 1, which both survey types allow: counted as thumbs_up_down. Give survey_type in the services manifest",
                        row.entry.key.service, row.entry.key.touchpoint, row.entry.key.channel
                    ),
                ));
            }
        }
        let (services, overall) = responses_v2::rollups(&rows);
        (
            outcome.inputs,
            Counts::V2 {
                rows,
                services,
                overall,
            },
        )
    } else {
        let inputs = responses::Inputs {
            specs: &specs,
            first,
        };
        let outcome = responses::run(inputs, &mut checker, options, &mut findings)?;
        let surveys = outcome
            .surveys
            .iter()
            .map(|s| (s.key.clone(), s.tally.clone()))
            .collect();
        let rows = manifest::join(manifest.as_ref(), surveys, &mut findings);
        let (services, overall) = manifest::rollups(&rows);
        (
            outcome.inputs,
            Counts::V1 {
                rows,
                services,
                overall,
            },
        )
    };
    progress.finish();
    for input in &inputs {
        notes.extend(input.notes.iter().map(|n| format!("{}: {n}", input.file)));
    }
    Ok(Pipeline {
        schema: checker.schema,
        quarter,
        inputs,
        findings,
        manifest,
        notes,
        counts,
    })
}

/// The size of all inputs, when every one is a file.
fn total_bytes(specs: &[InputSpec]) -> Option<u64> {
    specs
        .iter()
        .map(|s| std::fs::metadata(s.path.as_ref()?).ok().map(|m| m.len()))
        .sum()
}

fn survey_type_note(row: &TemplateRow<TrustCounts>) -> String {
    let k = &row.entry.key;
    let how = match &row.tally.type_source {
        TypeSource::Manifest => "from the services manifest".to_string(),
        TypeSource::Answer { file, row, value } => {
            format!("from answer {value} in row {row} of {file}")
        }
        TypeSource::Assumed => "assumed: every answer is 1".to_string(),
    };
    let name = [k.service.as_str(), &k.touchpoint, &k.channel]
        .iter()
        .filter(|p| !p.is_empty())
        .copied()
        .collect::<Vec<_>>()
        .join(" / ");
    format!("survey {name}: {} ({how})", row.tally.survey_type.code())
}

impl Pipeline {
    /// The validation report of this run.
    fn report(&self, valid: bool, checks: &CheckArgs) -> crate::render::Report<'_> {
        crate::render::Report {
            valid,
            strict: checks.strict,
            quarter: self.quarter,
            notes: &self.notes,
            inputs: &self.inputs,
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
        Command::Init(args) => init::run(args, globals.quiet),
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
    use std::io::ErrorKind::BrokenPipe;
    // The csv crate turns its write errors into io::Error of kind Other
    // around a csv::Error, which hides the io::Error (it has no source).
    let csv_pipe =
        |c: &csv::Error| matches!(c.kind(), csv::ErrorKind::Io(io) if io.kind() == BrokenPipe);
    e.chain().any(|c| {
        c.downcast_ref::<csv::Error>().is_some_and(csv_pipe)
            || c.downcast_ref::<std::io::Error>().is_some_and(|io| {
                io.kind() == BrokenPipe
                    || io
                        .get_ref()
                        .and_then(|inner| inner.downcast_ref::<csv::Error>())
                        .is_some_and(csv_pipe)
            })
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
