//! Rendering results for people and programs: the validation report (human,
//! JSON, CSV) and the aggregate (CSV, JSON).

mod aggregate;
mod report;
pub mod trust;

pub use aggregate::{aggregate_csv, aggregate_json};
pub use report::{Format, Report, ReportStats, group};

/// The quarter in JSON outputs: `fiscal_year`, `quarter`, `start`, `end`.
#[derive(Debug, Clone, serde::Serialize)]
pub struct QuarterJson {
    pub fiscal_year: i32,
    pub quarter: u8,
    pub start: String,
    pub end: String,
}

impl From<crate::fiscal::Quarter> for QuarterJson {
    fn from(q: crate::fiscal::Quarter) -> Self {
        QuarterJson {
            fiscal_year: q.fiscal_year,
            quarter: q.quarter,
            start: q.start().to_string(),
            end: q.end().to_string(),
        }
    }
}

/// A cell of a results table, kept typed so the workbook can write numbers
/// as numbers and CSV can write them plainly.
#[derive(Debug, Clone, PartialEq)]
pub enum OutCell {
    Text(String),
    Count(u64),
    /// A mean or score, 2 decimals.
    Decimal(f64),
    /// A percentage, 0-100.
    Percent(f64),
    Blank,
}

impl OutCell {
    pub fn percent(p: Option<f64>) -> OutCell {
        p.map_or(OutCell::Blank, OutCell::Percent)
    }

    /// The cell in CSV: numbers plainly, percentages as 0-100.
    pub fn csv_text(&self) -> String {
        match self {
            OutCell::Text(t) => t.clone(),
            OutCell::Count(n) => n.to_string(),
            OutCell::Decimal(x) | OutCell::Percent(x) => x.to_string(),
            OutCell::Blank => String::new(),
        }
    }
}
