//! Presets: what hisp knows about the exports of survey platforms. A preset
//! says which of the platform's own columns hold the response id, the date
//! and the response status, which columns are the platform's bookkeeping
//! (ignored without a warning), and turns on recognising question columns by
//! their wording. Presets are recognised from the header, or given with
//! `--preset` or the mapping file's `preset`.

use serde::Deserialize;

use super::Table;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Preset {
    /// Qualtrics CSV/TSV downloads (field ids, question text and ImportId
    /// header rows; Status and Finished columns).
    Qualtrics,
    /// GSA Touchpoints form exports (questions named by their text, `Created
    /// at`) and A-11 v2 exports.
    Touchpoints,
}

/// Which preset applies to an input.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Choice {
    /// Recognise it from the header.
    #[default]
    Detect,
    Given(Preset),
    /// `--preset none`: canonical columns and the mapping file only.
    Off,
}

/// Qualtrics' metadata columns (default export, with IP and recipient
/// fields on).
const QUALTRICS_METADATA: &[&str] = &[
    "StartDate",
    "EndDate",
    "Status",
    "IPAddress",
    "Progress",
    "Duration (in seconds)",
    "Finished",
    "RecordedDate",
    "ResponseId",
    "RecipientLastName",
    "RecipientFirstName",
    "RecipientEmail",
    "ExternalReference",
    "ExternalDataReference",
    "LocationLatitude",
    "LocationLongitude",
    "DistributionChannel",
    "UserLanguage",
];

/// Touchpoints' generic form export columns other than the questions.
const TOUCHPOINTS_METADATA: &[&str] = &[
    "ID",
    "UUID",
    "Location Code",
    "User Agent",
    "Status",
    "Archived",
    "Flagged",
    "Deleted",
    "Deleted at",
    "Page",
    "Query string",
    "Hostname",
    "Referrer",
    "Created at",
    "IP Address",
    "Tags",
    // The A-11 v2 form's driver and comment questions, which the "combined"
    // export also has as the upload columns (positive_*, negative_*,
    // question_4): the upload columns are read.
    "What went well?",
    "What didn't go so well?",
    "Additional Comments",
];

impl Preset {
    pub(crate) fn name(self) -> &'static str {
        match self {
            Preset::Qualtrics => "qualtrics",
            Preset::Touchpoints => "touchpoints",
        }
    }

    pub(crate) fn title(self) -> &'static str {
        match self {
            Preset::Qualtrics => "Qualtrics",
            Preset::Touchpoints => "Touchpoints",
        }
    }

    /// The platform whose export this table looks like.
    pub(crate) fn detect(table: &Table) -> Option<Preset> {
        if !table.import_ids.is_empty() || !table.descriptions.is_empty() {
            return Some(Preset::Qualtrics);
        }
        let count = |names: &[&str]| {
            table
                .headers
                .iter()
                .filter(|h| names.iter().any(|n| n.eq_ignore_ascii_case(h)))
                .count()
        };
        if count(QUALTRICS_METADATA) >= 3 {
            Some(Preset::Qualtrics)
        } else if count(TOUCHPOINTS_METADATA) >= 3 {
            Some(Preset::Touchpoints)
        } else {
            None
        }
    }

    /// The platform's columns that hold canonical fields, by header label;
    /// for a field listed twice, the first column present wins.
    pub(crate) fn columns(self) -> &'static [(&'static str, &'static str)] {
        match self {
            Preset::Qualtrics => &[
                ("ResponseId", "response_id"),
                ("ResponseId", "external_id"),
                ("RecordedDate", "submitted_at"),
                ("EndDate", "submitted_at"),
                ("Status", "response_type"),
                ("Finished", "finished"),
            ],
            Preset::Touchpoints => &[
                ("UUID", "response_id"),
                ("UUID", "external_id"),
                ("Created at", "submitted_at"),
                ("Flagged", "flagged"),
            ],
        }
    }

    /// Whether a column is the platform's bookkeeping, ignored quietly.
    pub(crate) fn ignores(self, label: &str, import_id: &str) -> bool {
        let listed = |names: &[&str]| names.iter().any(|n| n.eq_ignore_ascii_case(label));
        match self {
            Preset::Qualtrics => {
                listed(QUALTRICS_METADATA)
                    || is_qualtrics_aside(label)
                    || is_qualtrics_aside(import_id)
                    || label.starts_with("Q_")
            }
            Preset::Touchpoints => listed(TOUCHPOINTS_METADATA),
        }
    }

    /// How the shape was recognised, for the report's notes.
    pub(crate) fn describe(self, table: &Table) -> String {
        match self {
            Preset::Qualtrics if table.header_rows > 1 => format!(
                "Qualtrics export ({} header rows: field ids, question text{})",
                table.header_rows,
                if table.import_ids.is_empty() {
                    ""
                } else {
                    ", ImportId"
                }
            ),
            Preset::Qualtrics => "Qualtrics export".to_string(),
            Preset::Touchpoints => "Touchpoints export".to_string(),
        }
    }
}

impl Choice {
    /// The preset for a table.
    pub(crate) fn resolve(self, table: &Table) -> Option<Preset> {
        match self {
            Choice::Detect => Preset::detect(table),
            Choice::Given(p) => Some(p),
            Choice::Off => None,
        }
    }
}

/// Whether a column may hold answers and be recognised by its question
/// wording: not a Qualtrics text-entry or display-order column.
pub(crate) fn is_answer_column(label: &str, import_id: &str) -> bool {
    !(is_qualtrics_aside(label) || is_qualtrics_aside(import_id))
}

/// Qualtrics text-entry (`Q3_TEXT`, `QID3_TEXT`) and display-order
/// (`Q2_DO`) columns: never a 1-5 answer.
fn is_qualtrics_aside(id: &str) -> bool {
    let upper = id.to_ascii_uppercase();
    upper.ends_with("_TEXT") || upper.ends_with("_DO") || upper.contains("_DO_")
}

/// Qualtrics `Status` values that are not customer responses: survey
/// previews, tests and spam, as text or as the numeric codes of the
/// "use numeric values" export (1 preview, 2 test, 8 spam, 9 preview spam,
/// 12 imported spam, 17 offline preview).
pub(crate) fn is_not_a_customer_response(status: &str) -> bool {
    let s = status.trim().to_ascii_lowercase();
    matches!(s.as_str(), "1" | "2" | "8" | "9" | "12" | "17")
        || s.contains("preview")
        || s.contains("test")
        || s.contains("spam")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses() {
        for s in ["Survey Preview", "Survey Test", "Spam", "1", "8", " 17 "] {
            assert!(is_not_a_customer_response(s), "{s}");
        }
        for s in ["IP Address", "0", "Imported", "4", "Offline", "16", ""] {
            assert!(!is_not_a_customer_response(s), "{s}");
        }
    }

    #[test]
    fn asides() {
        assert!(Preset::Qualtrics.ignores("Q3_TEXT", ""));
        assert!(Preset::Qualtrics.ignores("Q9", "QID9_DO"));
        assert!(Preset::Qualtrics.ignores("Duration (in seconds)", "duration"));
        assert!(!Preset::Qualtrics.ignores("Q1", "QID1"));
        assert!(!is_answer_column("Q4", "QID4_TEXT"));
        assert!(is_answer_column("Q4", "QID4"));
    }
}
