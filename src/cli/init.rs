//! `hisp init`: write a mapping file for an export.

use std::io::Write as _;
use std::path::PathBuf;

use super::{ReadArgs, to_stdout};
use crate::Status;

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

pub fn run(args: &Args, quiet: bool) -> hisp::Result<Status> {
    if let Some(out) = &args.output {
        let reads = hisp::Options {
            inputs: vec![hisp::Input::Path(args.input.clone())],
            ..hisp::Options::default()
        };
        reads.ensure_not_an_input(out)?;
        if out.exists() && !args.force {
            return Err(hisp::Error::Config(anyhow::anyhow!(
                "{} exists; give --force to replace it",
                out.display()
            )));
        }
    }
    let init = hisp::init(&args.input, &args.read.options())?;
    match &args.output {
        Some(out) => hisp::write_file(out, |f| f.write_all(init.text.as_bytes()))?,
        None => to_stdout(|out| out.write_all(init.text.as_bytes()))?,
    }
    if !quiet {
        let source = args.input.display();
        let shape = init.shape.map_or(String::new(), |s| format!(" ({s})"));
        let place = args
            .output
            .as_ref()
            .map_or("standard output".to_string(), |o| o.display().to_string());
        let _ = writeln!(
            std::io::stderr(),
            "hisp: wrote the {} mapping for {source}{shape} to {place}",
            init.template
        );
        if !init.missing.is_empty() {
            let _ = writeln!(
                std::io::stderr(),
                "hisp: no column found for: {}; see the file's \"Not found\" lines",
                init.missing.join(", ")
            );
        }
    }
    Ok(Status::Ok)
}
