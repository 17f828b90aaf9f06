//! `hisp assess`: the annual CX self-assessment. `hisp assess init` writes
//! the fillable form; `hisp assess FILLED…` checks and scores filled forms.

use std::io::Write as _;
use std::path::PathBuf;

use super::to_stdout;
use crate::Status;

#[derive(clap::Args, Debug)]
#[command(
    args_conflicts_with_subcommands = true,
    subcommand_negates_reqs = true,
    after_help = "Examples:\n  hisp assess init -o self-assessment-FY2026.xlsx --service \"Passport Services\" --fiscal-year 2026\n  hisp assess passport-FY2026.xlsx --previous passport-FY2025.xlsx -o results-FY2026.xlsx\n\nExit status: 0 scored (warnings allowed), 1 a form has errors (nothing written), 2 usage, 66 unreadable input, 73 unwritable output."
)]
pub struct Args {
    #[command(subcommand)]
    command: Option<Sub>,
    /// Filled forms: the workbook `hisp assess init` writes, or CSV with the columns id, function, statement, answer, evidence
    #[arg(value_name = "FILLED", required = true)]
    forms: Vec<PathBuf>,
    /// Write the results workbook (Scores, Maturity, Action Plan, Validation, About) here
    #[arg(short, long, value_name = "OUT.xlsx")]
    output: Option<PathBuf>,
    /// Last year's filled form(s), matched to this year's by service: the change per function and in total
    #[arg(long, value_name = "LAST-YEAR")]
    previous: Vec<PathBuf>,
    /// CX level cut-offs: the highest total of each level but the last [default: the form's, 10,20]
    #[arg(long, value_name = "N,N", value_delimiter = ',')]
    levels: Option<Vec<u32>>,
    /// A custom edition of the form (JSON, shaped like schemas/cx-self-assessment-v1.json)
    #[arg(long, value_name = "PATH")]
    schema: Option<PathBuf>,
    /// Format of what is printed on standard output
    #[arg(long, value_enum, default_value_t = Format::Human)]
    format: Format,
    /// List at most N errors and N warnings (the counts are always complete)
    #[arg(long, value_name = "N", default_value_t = 1000)]
    max_errors: usize,
    /// Fail (exit 1) on warnings too
    #[arg(long)]
    strict: bool,
}

#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
enum Format {
    Human,
    Json,
}

#[derive(clap::Subcommand, Debug)]
enum Sub {
    /// Write the fillable self-assessment workbook: statements with Yes/No dropdowns, focus areas, a live score, the maturity model and an action plan sheet
    Init(InitArgs),
}

#[derive(clap::Args, Debug)]
struct InitArgs {
    /// The workbook to write
    #[arg(short, long, value_name = "FORM.xlsx")]
    output: PathBuf,
    /// The service or program assessed
    #[arg(long, value_name = "NAME")]
    service: Option<String>,
    /// The organization
    #[arg(long, value_name = "NAME")]
    organization: Option<String>,
    /// The fiscal year assessed
    #[arg(long, value_name = "YEAR")]
    fiscal_year: Option<i32>,
    /// Last year's filled form: its answers and evidence are carried over
    #[arg(long, value_name = "LAST-YEAR")]
    previous: Option<PathBuf>,
    /// A custom edition of the form (JSON)
    #[arg(long, value_name = "PATH")]
    schema: Option<PathBuf>,
    /// Replace the output file if it exists
    #[arg(long)]
    force: bool,
}

impl Args {
    pub fn json(&self) -> bool {
        self.command.is_none() && self.format == Format::Json
    }
}

/// The outputs must not be one of the inputs.
fn ensure_not_an_input(inputs: &[PathBuf], output: &std::path::Path) -> hisp::Result<()> {
    let reads = hisp::Options {
        inputs: inputs.iter().cloned().map(hisp::Input::Path).collect(),
        ..hisp::Options::default()
    };
    reads.ensure_not_an_input(output)
}

pub fn run(args: &Args, quiet: bool) -> hisp::Result<Status> {
    if let Some(Sub::Init(init)) = &args.command {
        return run_init(init, quiet);
    }
    let mut inputs = args.forms.clone();
    inputs.extend(args.previous.iter().cloned());
    inputs.extend(args.schema.iter().cloned());
    if let Some(out) = &args.output {
        ensure_not_an_input(&inputs, out)?;
    }
    let assessment = hisp::assess(&hisp::AssessOptions {
        forms: args.forms.clone(),
        previous: args.previous.clone(),
        schema: args.schema.clone(),
        levels: args.levels.clone(),
        keep: args.max_errors,
    })?;
    let warnings_fail = args.strict && assessment.warnings() > 0;
    let ok = assessment.valid() && !warnings_fail;
    if ok && let Some(out) = &args.output {
        assessment.write_workbook(out)?;
    }
    to_stdout(|out| match args.format {
        Format::Human => assessment.write_human(out),
        Format::Json => assessment.write_json(out),
    })?;
    if !quiet {
        let _ = match (&args.output, ok) {
            (Some(out), true) => writeln!(std::io::stderr(), "hisp: wrote {}", out.display()),
            (Some(_), false) => writeln!(
                std::io::stderr(),
                "hisp: no workbook written: fix the errors listed and run again"
            ),
            (None, _) => Ok(()),
        };
    }
    Ok(if ok { Status::Ok } else { Status::DataErrors })
}

fn run_init(args: &InitArgs, quiet: bool) -> hisp::Result<Status> {
    let mut inputs: Vec<PathBuf> = args.previous.iter().cloned().collect();
    inputs.extend(args.schema.iter().cloned());
    ensure_not_an_input(&inputs, &args.output)?;
    if args.output.exists() && !args.force {
        return Err(hisp::Error::Config(anyhow::anyhow!(
            "{} exists; give --force to replace it",
            args.output.display()
        )));
    }
    hisp::write_blank_form(
        &args.output,
        args.schema.as_deref(),
        &hisp::Prefill {
            service: args.service.clone(),
            organization: args.organization.clone(),
            fiscal_year: args.fiscal_year,
        },
        args.previous.as_deref(),
    )?;
    if !quiet {
        let _ = writeln!(
            std::io::stderr(),
            "hisp: wrote the self-assessment form {}: answer each statement Yes or No, pick two focus areas, then run hisp assess {}",
            args.output.display(),
            args.output.display()
        );
    }
    Ok(Status::Ok)
}
