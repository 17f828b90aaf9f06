//! What a run is asked to do: the library's options.

use std::path::PathBuf;

use crate::fiscal::Quarter;
use crate::ingest::{Input, InputSpec, PresetChoice};
use crate::progress::Progress;
use crate::template::registry::Template;

/// How to read an export: shared by every command and `init`.
#[derive(Debug, Clone, Default)]
pub struct ReadOptions {
    /// The template, when the header does not make it plain.
    pub template: Option<Template>,
    /// The survey platform's export shape (default: the mapping file's, or
    /// recognised from the header).
    pub preset: Option<PresetChoice>,
    /// Excel sheet by name, or by 1-based position.
    pub sheet: Option<String>,
    /// Force the CSV delimiter instead of sniffing it.
    pub delimiter: Option<u8>,
    /// Force the text encoding of delimited input instead of detecting it.
    pub encoding: Option<&'static encoding_rs::Encoding>,
    /// The header's row number, instead of searching for it.
    pub header_row: Option<u64>,
}

impl ReadOptions {
    pub(crate) fn spec(&self, source: Input, progress: &Progress) -> InputSpec {
        InputSpec {
            source,
            delimiter: self.delimiter,
            sheet: self.sheet.clone(),
            encoding: self.encoding,
            header_row: self.header_row,
            progress: progress.clone(),
        }
    }
}

/// What to read and how to judge it.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// The exports, pooled.
    pub inputs: Vec<Input>,
    /// A built-in schema by name, or a JSON schema file.
    pub schema: Option<String>,
    /// A value for a field in every row (`--set`), over the mapping file's.
    pub set: Vec<(String, String)>,
    /// The mapping file.
    pub map: Option<PathBuf>,
    pub read: ReadOptions,
    /// Count responses the platform marks unfinished.
    pub include_unfinished: bool,
    /// The services manifest.
    pub services: Option<PathBuf>,
    /// The fiscal quarter; `None` checks every row.
    pub quarter: Option<Quarter>,
    /// The reporting time zone (IANA name) in which date-times that state
    /// a UTC offset are seen to find their quarter; default
    /// America/New_York.
    pub timezone: Option<String>,
    /// Take e-mail addresses, phone numbers, SSN-shaped numbers and the
    /// mapping file's `redact` patterns out of free text written out.
    pub redact: bool,
    /// The run writes the report to submit (`hisp report`): what cannot be
    /// submitted, such as a placeholder for an OMB control number, is an
    /// error rather than a warning.
    pub submission: bool,
    /// `hisp trend`: every quarter from the first to the last, each counted
    /// on its own; `quarter` is then `None`.
    pub span: Option<(Quarter, Quarter)>,
    /// `hisp report`: count the previous quarter's rows too, to compare
    /// each share with it (its rows' findings are not reported).
    pub compare_previous: bool,
    /// `report --parquet`: list the quarter's valid rows as Parquet, as
    /// the pass goes.
    #[cfg(feature = "parquet")]
    pub parquet_rows: bool,
    /// Memory for each unique field's values, in MiB (`--unique-budget`);
    /// `None` is [`crate::DEFAULT_UNIQUE_BUDGET_MIB`].
    pub unique_budget: Option<u64>,
    /// `--skip-invalid`: rows with errors are set aside during the pass, so
    /// repeats must be found during it too, whatever the budget.
    pub set_aside_invalid: bool,
    /// Respondents below which a share is flagged small-n (`--min-n`);
    /// `None` is [`crate::DEFAULT_MIN_N`].
    pub min_n: Option<u64>,
    /// How many errors and how many warnings to keep listed (the counts are
    /// always complete).
    pub keep: usize,
}

/// The outputs of `hisp report`.
#[derive(Debug, Clone)]
pub struct ReportOutputs {
    /// The workbook (.xlsx).
    pub workbook: PathBuf,
    /// Also write the template's main table as CSV into this directory.
    pub csv_dir: Option<PathBuf>,
    /// Write the upload files (A-11 v2) into this directory.
    pub upload_dir: Option<PathBuf>,
    /// Rows with errors were left out.
    pub skip_invalid: bool,
    /// A-11 v2: leave the `Responses` sheets out of the workbook (the
    /// upload files are still written).
    pub no_responses: bool,
}

/// The aggregate's formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AggregateFormat {
    Csv,
    Json,
}

/// Where the responses that the outputs list one by one (A-11 v2's
/// `Responses` sheet and upload files) are spooled during the pass.
#[derive(Debug, Clone)]
pub enum Spooling {
    /// Anonymous temporary files in a directory (the outputs', so space
    /// problems show up where the outputs go).
    #[cfg(feature = "host")]
    InDir(PathBuf),
    /// Memory (no file system).
    InMemory,
}
