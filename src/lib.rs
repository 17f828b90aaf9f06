//! hisp: validate federal CX survey exports and fill the OMB A-11 Section
//! 280 HISP quarterly template.
//!
//! The data moves in one straight line, and the folders say so: `ingest`
//! reads tables with their positions, `check` binds their columns to a
//! schema and types each cell, `tally` finds the surveys and rolls them up,
//! each `template` (A-11 v1, A-11 v2) applies its rules and counts, and
//! `write` puts out reports, tables and workbooks. [`run`] does it all in
//! one pass; the binary only turns arguments into [`Options`] and errors
//! into exit statuses.

mod assess;
mod check;
mod display;
mod error;
mod fiscal;
mod ingest;
mod init;
mod pipeline;
mod progress;
mod redact;
mod schema;
mod spill;
mod stats;
mod tally;
mod template;
mod write;

#[cfg(feature = "host")]
pub use assess::write_blank_form;
pub use assess::{AssessOptions, Assessment, BlankForm, Prefill, assess, blank_form};
pub use check::unique::DEFAULT_BUDGET_MIB as DEFAULT_UNIQUE_BUDGET_MIB;
pub use display::group_thousands;
pub use error::{Error, Result};
pub use fiscal::Quarter;
pub use ingest::{Input, Preset, PresetChoice, panic_is_contained};
pub use init::{Init, init};
pub use pipeline::{
    AggregateFormat, Options, ReadOptions, ReportOutputs, Run, Spooling, check_time_zone, run,
};
pub use progress::Observer;
pub use stats::DEFAULT_MIN_N;
pub use template::registry::Template;
pub use write::Format as ReportFormat;
pub use write::report::Report;
#[cfg(feature = "host")]
pub use write::staged::{remove_temporary_files, write_file};

/// Entry points for the fuzz targets in `fuzz/`: bytes read as an input
/// and taken through the whole pass. Errors are fine; a panic, a hang or
/// runaway memory is a finding.
#[cfg(feature = "fuzzing")]
#[doc(hidden)]
pub mod fuzz {
    /// A panic calamine has on a damaged file, which hisp turns into an
    /// error, is no finding: the fuzzer's own hook (which aborts) is told
    /// only of the others.
    fn quiet_contained_panics() {
        static ONCE: std::sync::Once = std::sync::Once::new();
        ONCE.call_once(|| {
            let report = std::panic::take_hook();
            std::panic::set_hook(Box::new(move |info| {
                if !crate::panic_is_contained() {
                    report(info);
                }
            }));
        });
    }

    /// Bytes as a CSV export.
    pub fn csv(bytes: &[u8]) {
        let _ = crate::pipeline::pass_over_bytes(bytes, None);
    }

    /// Bytes as an .xlsx workbook.
    pub fn xlsx(bytes: &[u8]) {
        quiet_contained_panics();
        let _ = crate::pipeline::pass_over_bytes(bytes, Some("xlsx"));
    }

    /// Bytes as an .xls workbook.
    pub fn xls(bytes: &[u8]) {
        quiet_contained_panics();
        let _ = crate::pipeline::pass_over_bytes(bytes, Some("xls"));
    }
}

#[doc(hidden)]
pub use template::names;
