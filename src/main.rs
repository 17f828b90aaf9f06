//! The `hisp` command: arguments become library options, the library runs,
//! and its outcome becomes the documented exit status.

mod cli;

use std::io::Write;
use std::process::ExitCode;

/// The documented exit statuses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// Success; warnings allowed (unless `--strict`).
    Ok = 0,
    /// The data has errors (or warnings under `--strict`).
    DataErrors = 1,
    /// Usage or configuration error: bad flags, schema, mapping file.
    Usage = 2,
    /// An input file is missing or cannot be read or parsed as a table.
    InputUnreadable = 66,
    /// An output file cannot be created or written.
    OutputUnwritable = 73,
}

impl Status {
    pub fn of(error: &hisp::Error) -> Status {
        match error {
            hisp::Error::Config(_) => Status::Usage,
            hisp::Error::Input(_) => Status::InputUnreadable,
            hisp::Error::Output(_) => Status::OutputUnwritable,
        }
    }
}

/// Exit status of a run stopped by Ctrl-C or SIGTERM (128 + SIGINT).
const INTERRUPTED: i32 = 130;

fn main() -> ExitCode {
    // A panic of the workbook reader on a damaged file is reported as an
    // error about the file; its own message would only confuse.
    let report = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        if !hisp::panic_is_contained() {
            report(info);
        }
    }));
    // An interrupted run leaves no temporary output behind.
    let _ = ctrlc::set_handler(|| {
        hisp::remove_temporary_files();
        std::process::exit(INTERRUPTED);
    });
    let cli = match cli::parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            let status = if e.use_stderr() {
                Status::Usage
            } else {
                Status::Ok
            };
            return ExitCode::from(status as u8);
        }
    };
    match cli::run(cli) {
        Ok(status) => ExitCode::from(status as u8),
        // A reader of our output went away (`hisp … | head`): not an error.
        Err(e) if e.is_broken_pipe() => ExitCode::SUCCESS,
        Err(e) => {
            let _ = writeln!(std::io::stderr(), "hisp: error: {e}");
            ExitCode::from(Status::of(&e) as u8)
        }
    }
}
