//! Where the header is. Exports do not always start with it: Excel reports
//! carry title rows above it, Qualtrics adds two rows under it (question
//! text, and the `{"ImportId":…}` JSON row). The first rows of a table are
//! examined as text and the header chosen from them.

use anyhow::{Result, bail};

/// How far down to look for the header when it is not given.
pub(crate) const SEARCH_ROWS: usize = 30;

/// Rates a candidate header row: how many expected fields its labels name.
pub(crate) type Score<'a> = &'a dyn Fn(&[String]) -> HeaderScore;

/// How many expected fields a row's labels name: by the fields' names first
/// (a header names them so; a data row of a summary can hold question
/// texts but not field names), then by question wording.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct HeaderScore {
    pub(crate) by_name: usize,
    pub(crate) by_wording: usize,
}

impl HeaderScore {
    /// Fields named either way.
    pub(crate) fn fields(self) -> usize {
        self.by_name + self.by_wording
    }
}

/// How to find the header of a table.
#[derive(Clone, Copy, Default)]
pub(crate) struct HeaderRule<'a> {
    /// The header's row as the user sees it (`--header-row`).
    pub(crate) row: Option<u64>,
    /// How well a row's labels name the expected fields; the best row
    /// within the first [`SEARCH_ROWS`] is the header.
    pub(crate) score: Option<Score<'a>>,
}

/// `--header-row` names a row that cannot be the header.
#[derive(Debug, thiserror::Error)]
#[error("--header-row {row}: {why}")]
pub(crate) struct BadHeaderRow {
    pub(crate) row: u64,
    pub(crate) why: String,
}

/// The rows that make up a table's header.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Layout {
    /// Index of the header among the rows examined.
    pub(crate) header: usize,
    /// Qualtrics' second header row: the question text of each column.
    pub(crate) descriptions: Option<usize>,
    /// Qualtrics' third header row: the `ImportId` of each column.
    pub(crate) import_ids: Option<usize>,
}

impl Layout {
    /// The index of the last header row: data starts after it.
    pub(crate) fn last(&self) -> usize {
        self.import_ids.or(self.descriptions).unwrap_or(self.header)
    }
}

/// Choose the header among `rows` (each with its row number as seen).
pub(crate) fn find(
    rows: &[(u64, Vec<String>)],
    rule: HeaderRule<'_>,
    file: &str,
) -> Result<Layout> {
    let blank = |cells: &[String]| cells.iter().all(|c| c.trim().is_empty());
    let header = if let Some(wanted) = rule.row {
        match rows.iter().position(|(line, _)| *line == wanted) {
            Some(i) if !blank(&rows[i].1) => i,
            Some(_) => {
                return Err(BadHeaderRow {
                    row: wanted,
                    why: format!("row {wanted} of {file} is blank"),
                }
                .into());
            }
            None => {
                return Err(BadHeaderRow {
                    row: wanted,
                    why: format!("{file} has no row {wanted}"),
                }
                .into());
            }
        }
    } else if let Some(i) = rows.iter().position(|(_, cells)| is_import_id_row(cells)) {
        // Qualtrics: the ImportId row is the header's third row.
        i.saturating_sub(2)
    } else {
        let Some(first) = rows.iter().position(|(_, cells)| !blank(cells)) else {
            bail!("{file} has no header row: its first rows are blank");
        };
        let score = |cells: &[String]| rule.score.map_or(HeaderScore::default(), |s| s(cells));
        // The best-scoring row (most fields by name, then by wording); the
        // first one on ties. A row below the first must name at least two
        // fields, so that a data row whose comment happens to hold a keyword
        // never displaces the header.
        let mut best = (first, score(&rows[first].1));
        for (i, (_, cells)) in rows.iter().enumerate().skip(first + 1) {
            let s = score(cells);
            if s > best.1 && s.fields() >= 2 {
                best = (i, s);
            }
        }
        best.0
    };
    let mut layout = Layout {
        header,
        descriptions: None,
        import_ids: None,
    };
    let next = |k: usize| rows.get(header + k).map(|(_, cells)| cells.as_slice());
    if next(2).is_some_and(is_import_id_row) {
        layout.descriptions = Some(header + 1);
        layout.import_ids = Some(header + 2);
    } else if next(1).is_some_and(is_import_id_row) {
        layout.import_ids = Some(header + 1);
    } else if let Some(second) = next(1)
        && is_qualtrics_label_row(&rows[header].1, second)
    {
        layout.descriptions = Some(header + 1);
    }
    Ok(layout)
}

/// A Qualtrics `{"ImportId":"QID1"}` row.
fn is_import_id_row(cells: &[String]) -> bool {
    let mut filled = cells.iter().filter(|c| !c.trim().is_empty()).peekable();
    filled.peek().is_some() && filled.all(|c| c.trim_start().starts_with("{\"ImportId\""))
}

/// The question-text row of a Qualtrics export whose ImportId row was
/// removed: its metadata columns are spelled out (`ResponseId` above
/// `Response ID`, `StartDate` above `Start Date`).
fn is_qualtrics_label_row(header: &[String], row: &[String]) -> bool {
    const PAIRS: [(&str, &str); 4] = [
        ("ResponseId", "Response ID"),
        ("StartDate", "Start Date"),
        ("EndDate", "End Date"),
        ("RecordedDate", "Recorded Date"),
    ];
    header.iter().zip(row).any(|(h, r)| {
        PAIRS
            .iter()
            .any(|(id, text)| h.eq_ignore_ascii_case(id) && r.trim().eq_ignore_ascii_case(text))
    })
}

/// The ImportId of a Qualtrics third-row cell: `{"ImportId":"QID2_1"}` →
/// `QID2_1`.
pub(crate) fn import_id(cell: &str) -> String {
    json_field(cell, "ImportId")
}

/// The `timeZone` of a Qualtrics ImportId cell (date columns), if any.
pub(crate) fn time_zone(cell: &str) -> String {
    json_field(cell, "timeZone")
}

fn json_field(cell: &str, key: &str) -> String {
    serde_json::from_str::<serde_json::Value>(cell)
        .ok()
        .and_then(|v| v.get(key)?.as_str().map(str::to_string))
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows(lines: &[&[&str]]) -> Vec<(u64, Vec<String>)> {
        lines
            .iter()
            .enumerate()
            .map(|(i, cells)| (i as u64 + 1, cells.iter().map(|c| c.to_string()).collect()))
            .collect()
    }

    #[test]
    fn qualtrics_three_rows() {
        let r = rows(&[
            &["StartDate", "ResponseId", "Q1"],
            &["Start Date", "Response ID", "I am satisfied"],
            &[
                "{\"ImportId\":\"startDate\",\"timeZone\":\"Z\"}",
                "{\"ImportId\":\"_recordId\"}",
                "{\"ImportId\":\"QID1\"}",
            ],
            &["2025-01-01", "R_1", "5"],
        ]);
        let l = find(&r, HeaderRule::default(), "f").unwrap();
        assert_eq!(
            (l.header, l.descriptions, l.import_ids),
            (0, Some(1), Some(2))
        );
        assert_eq!(l.last(), 2);
        assert_eq!(import_id(&r[2].1[2]), "QID1");
        assert_eq!(import_id("not json"), "");
        // Without the ImportId row.
        let l = find(&r[..2], HeaderRule::default(), "f").unwrap();
        assert_eq!((l.header, l.descriptions, l.import_ids), (0, Some(1), None));
    }

    #[test]
    fn best_scoring_row_below_titles() {
        let r = rows(&[
            &["Passport survey export", "", ""],
            &["", "", ""],
            &["service", "channel", "satisfaction"],
            &["A", "phone", "4"],
        ]);
        let score = |cells: &[String]| HeaderScore {
            by_name: cells
                .iter()
                .filter(|c| {
                    c.as_str() == "channel"
                        || c.as_str() == "service"
                        || c.as_str() == "satisfaction"
                })
                .count(),
            by_wording: 0,
        };
        let rule = HeaderRule {
            row: None,
            score: Some(&score),
        };
        assert_eq!(find(&r, rule, "f").unwrap().header, 2);
        // Nothing scores: the first non-blank row.
        assert_eq!(find(&r, HeaderRule::default(), "f").unwrap().header, 0);
        // One field named below the first row is not enough to move.
        let one = |cells: &[String]| HeaderScore {
            by_name: usize::from(cells.iter().any(|c| c == "service")),
            by_wording: 0,
        };
        let rule = HeaderRule {
            row: None,
            score: Some(&one),
        };
        assert_eq!(find(&r, rule, "f").unwrap().header, 0);
        // A header naming fields by name is not displaced by a later row
        // whose cells (a summary's question texts) match more by wording.
        let summary = rows(&[
            &["service_name", "channel", "q1_text"],
            &["A", "phone", "How satisfied were you"],
        ]);
        let texts = |cells: &[String]| HeaderScore {
            by_name: cells.iter().filter(|c| c.as_str() == "channel").count(),
            by_wording: cells.iter().filter(|c| c.starts_with("How")).count() * 5,
        };
        let rule = HeaderRule {
            row: None,
            score: Some(&texts),
        };
        assert_eq!(find(&summary, rule, "f").unwrap().header, 0);
        let forced = HeaderRule {
            row: Some(4),
            score: None,
        };
        assert_eq!(find(&r, forced, "f").unwrap().header, 3);
        let blank = HeaderRule {
            row: Some(2),
            score: None,
        };
        assert!(find(&r, blank, "f").is_err());
    }
}
