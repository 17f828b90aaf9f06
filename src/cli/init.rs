//! `hisp init`: write a mapping file for an export.

use std::io::Write as _;
use std::path::PathBuf;

use crate::exit::{Failure, Result, Status};
use crate::init::Proposal;
use crate::mapping::Mapping;
use crate::output::{Staged, ensure_not_an_input};
use crate::schema::Schema;

use super::{ReadArgs, Template, any_template_score, detect_schema, to_stdout};

#[derive(clap::Args, Debug)]
pub struct Args {
    /// The survey export to read: CSV (any delimiter, UTF-8, UTF-16 or Windows-1252) or Excel
    #[arg(value_name = "EXPORT")]
    input: PathBuf,
    /// Write the mapping file here (default: standard output)
    #[arg(short, long, value_name = "FILE")]
    output: Option<PathBuf>,
    /// Replace the output file if it exists
    #[arg(long)]
    force: bool,
    #[command(flatten)]
    read: ReadArgs,
}

pub fn run(args: &Args, quiet: bool) -> Result<Status> {
    if let Some(out) = &args.output {
        ensure_not_an_input(out, std::slice::from_ref(&args.input))?;
        if out.exists() && !args.force {
            return Err(Failure::usage(anyhow::anyhow!(
                "{} exists; give --force to replace it",
                out.display()
            )));
        }
    }
    let spec = args.read.spec(Some(args.input.clone()));
    let mapping = Mapping::default();
    let score = any_template_score(&mapping);
    let mut table =
        crate::ingest::open(&spec, Some(&score)).map_err(crate::responses::classify_open_error)?;
    let preset = args.read.preset.unwrap_or_default().resolve(&table);
    let name = match args.read.template {
        Some(Template::A11V1) => "a11-v1",
        Some(Template::A11V2) => "a11-v2",
        None => match detect_schema(&table.headers, &mapping) {
            "a11-v2-upload" => {
                tracing::warn!(
                    "{} is already a Touchpoints upload file: it needs no mapping, only --set service=… --set transaction_point=… --set channel=…",
                    table.file
                );
                "a11-v2"
            }
            other => other,
        },
    };
    let schema = Schema::embedded(name);
    let mut proposal = Proposal::new(&table, &schema, preset);
    proposal
        .read_values(&mut table, &schema)
        .map_err(Failure::input)?;
    let source = args.input.display().to_string();
    let text = proposal.to_toml(&table, &schema, &source);
    // The file must load as a mapping for this schema.
    let check: Mapping = toml::from_str(&text)
        .map_err(|e| Failure::usage(anyhow::anyhow!("the mapping written is not valid: {e}")))?;
    check
        .check(&schema, "the mapping written")
        .map_err(Failure::usage)?;
    match &args.output {
        Some(out) => {
            let mut staged = Staged::default();
            staged.stage(out, |f| Ok(f.write_all(text.as_bytes())?))?;
            staged.commit()?;
        }
        None => to_stdout(|out| out.write_all(text.as_bytes()))?,
    }
    if !quiet {
        let missing: Vec<&str> = proposal
            .missing
            .iter()
            .map(|&f| schema.fields[f].name.as_str())
            .collect();
        let shape = preset.map_or(String::new(), |p| format!(" ({})", p.describe(&table)));
        let place = args
            .output
            .as_ref()
            .map_or("standard output".to_string(), |o| o.display().to_string());
        let _ = writeln!(
            std::io::stderr(),
            "hisp: wrote the {name} mapping for {source}{shape} to {place}"
        );
        if !missing.is_empty() {
            let _ = writeln!(
                std::io::stderr(),
                "hisp: no column found for: {}; see the file's \"Not found\" lines",
                missing.join(", ")
            );
        }
    }
    Ok(Status::Ok)
}
