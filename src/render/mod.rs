//! Rendering results for people and programs: the validation report (human,
//! JSON, CSV) and the aggregate (CSV, JSON).

mod aggregate;
mod report;

pub use aggregate::{aggregate_csv, aggregate_json};
pub use report::{Format, Report, ReportStats, group};
