//! WRITE: outputs for people and programs. Files are staged and renamed
//! into place only when every output of a run is complete (`staged`); the
//! validation report is text, JSON or CSV (`report`). Editions publish
//! their workbooks as documents (`document`: sheets of tables, facts and
//! charts), which `xlsx` renders; the sheets every edition shares are in
//! `workbook`. Cells are typed (`OutCell`) so a workbook writes numbers as
//! numbers and CSV writes them plainly.

pub(crate) mod document;
#[cfg(feature = "parquet")]
pub(crate) mod parquet;
pub(crate) mod report;
pub(crate) mod spool;
#[cfg(feature = "host")]
pub(crate) mod staged;
mod table;
pub(crate) mod workbook;
pub(crate) mod xlsx;

use std::io::{self, Write};

pub use report::Format;
pub(crate) use table::Table;

/// Where a workbook is written: a file, or bytes in memory.
pub(crate) trait WriteSeek: Write + io::Seek + Send {}

impl<T: Write + io::Seek + Send> WriteSeek for T {}

/// The quarter in JSON outputs: `fiscal_year`, `quarter`, `start`, `end`.
#[derive(Debug, Clone, serde::Serialize)]
pub(crate) struct QuarterJson {
    pub(crate) fiscal_year: i32,
    pub(crate) quarter: u8,
    pub(crate) start: String,
    pub(crate) end: String,
}

impl From<crate::fiscal::Quarter> for QuarterJson {
    fn from(q: crate::fiscal::Quarter) -> Self {
        QuarterJson {
            fiscal_year: q.fiscal_year(),
            quarter: q.quarter(),
            start: q.start().to_string(),
            end: q.end().to_string(),
        }
    }
}

/// A cell of a results table, kept typed so the workbook can write numbers
/// as numbers and CSV can write them plainly.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum OutCell {
    Text(String),
    Count(u64),
    /// A mean or score, 2 decimals.
    Decimal(f64),
    /// A percentage, 0-100.
    Percent(f64),
    /// A whole number shown plainly, without thousands separators.
    Plain(u64),
    /// A number shown plainly, as computed (a chart's data).
    Number(f64),
    Blank,
}

impl OutCell {
    /// A text cell of `s`.
    pub(crate) fn text(s: &str) -> OutCell {
        OutCell::Text(s.to_string())
    }

    pub(crate) fn percent(p: Option<f64>) -> OutCell {
        p.map_or(OutCell::Blank, OutCell::Percent)
    }

    /// The cell in CSV: numbers plainly, percentages as 0-100.
    pub(crate) fn csv_text(&self) -> String {
        match self {
            OutCell::Text(t) => t.clone(),
            OutCell::Count(n) | OutCell::Plain(n) => n.to_string(),
            OutCell::Decimal(x) | OutCell::Percent(x) | OutCell::Number(x) => x.to_string(),
            OutCell::Blank => String::new(),
        }
    }
}

impl OutCell {
    /// The cell in a CSV file a spreadsheet may open: text that could read
    /// as a formula is neutralised.
    pub(crate) fn csv_field(&self) -> String {
        match self {
            OutCell::Text(t) => neutralize(t).into_owned(),
            other => other.csv_text(),
        }
    }
}

/// Write CSV to `out`. The csv crate's io errors come back as themselves
/// (so a closed pipe is seen as one), converted here and nowhere else.
pub(crate) fn csv_to(
    out: &mut dyn Write,
    body: impl FnOnce(&mut csv::Writer<&mut dyn Write>) -> csv::Result<()>,
) -> io::Result<()> {
    let mut w = csv::Writer::from_writer(out);
    body(&mut w).map_err(crate::error::csv_io)?;
    w.flush()
}

/// Text for a CSV cell that a spreadsheet must not read as a formula.
pub(crate) fn neutralize(text: &str) -> std::borrow::Cow<'_, str> {
    match text.as_bytes().first() {
        Some(b'=' | b'+' | b'-' | b'@' | b'\t' | b'\r') => format!("'{text}").into(),
        _ => text.into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn neutralizes_formula_starts() {
        assert_eq!(neutralize("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(neutralize("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(neutralize("fine"), "fine");
    }
}
