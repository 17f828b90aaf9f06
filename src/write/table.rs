//! A table of results, whatever renders it: a workbook sheet, a CSV file,
//! Parquet.

use super::OutCell;

/// A table an edition publishes: its header and rows.
pub(crate) struct Table {
    pub(crate) header: Vec<String>,
    pub(crate) rows: Vec<Vec<OutCell>>,
}

impl Table {
    /// The table without the column named `name` (when it has one).
    pub(crate) fn without(mut self, name: &str) -> Table {
        if let Some(i) = self.header.iter().position(|h| h == name) {
            self.header.remove(i);
            for row in &mut self.rows {
                if i < row.len() {
                    row.remove(i);
                }
            }
        }
        self
    }

    /// The table without its `survey_id` column unless a survey has one:
    /// the tables of inputs that name no surveys are as they always were.
    pub(crate) fn with_survey_ids_if(self, any: bool) -> Table {
        if any { self } else { self.without("survey_id") }
    }
}
