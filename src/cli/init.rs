//! `hisp init`: write a mapping file for an export.

use std::io::Write as _;
use std::path::PathBuf;

use crate::exit::{Failure, Result, Status};
use crate::ingest::InputSpec;
use crate::init::Proposal;
use crate::mapping::Mapping;
use crate::output::{Staged, ensure_not_an_input};
use crate::preset::Choice;
use crate::schema::Schema;

use super::{
    Template, any_template_score, detect_schema, parse_delimiter, parse_encoding, parse_preset,
    to_stdout,
};

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
    /// Template: a11-v1 or a11-v2 (default: recognised from the header)
    #[arg(long, value_enum)]
    template: Option<Template>,
    /// Survey platform export shape: qualtrics, touchpoints or none (default: recognised)
    #[arg(long, value_name = "NAME", value_parser = parse_preset)]
    preset: Option<Choice>,
    /// Excel sheet to read, by name or 1-based position (default: the sheet whose header names the most fields)
    #[arg(long, value_name = "NAME|INDEX")]
    sheet: Option<String>,
    /// CSV delimiter (default: sniffed)
    #[arg(long, value_name = "CHAR", value_parser = parse_delimiter)]
    delimiter: Option<u8>,
    /// Text encoding of CSV input (default: detected)
    #[arg(long, value_name = "NAME", value_parser = parse_encoding)]
    encoding: Option<&'static encoding_rs::Encoding>,
    /// The header's row number (default: found among the first 30 rows)
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..))]
    header_row: Option<u64>,
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
    let spec = InputSpec {
        path: Some(args.input.clone()),
        delimiter: args.delimiter,
        sheet: args.sheet.clone(),
        encoding: args.encoding,
        header_row: args.header_row,
    };
    let mapping = Mapping::default();
    let score = any_template_score(&mapping);
    let mut table =
        crate::ingest::open(&spec, Some(&score)).map_err(crate::responses::classify_open_error)?;
    let preset = args.preset.unwrap_or_default().resolve(&table);
    let name = match args.template {
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
