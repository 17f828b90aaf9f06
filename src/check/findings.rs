//! Validation findings: one entry per problem, with a stable type slug, a
//! severity, the position the user sees, and a message saying how to fix it.
//! Findings are results, not errors: they are collected into a [`Findings`]
//! that keeps every count and a capped list of entries.

use serde::Serialize;
use std::collections::BTreeMap;
use std::sync::Arc;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum Severity {
    Error,
    Warning,
}

impl Severity {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        }
    }
}

/// A kind of finding: its slug, stable (frictionless names where they fit,
/// domain names otherwise; documented in the README), and its place in
/// the report's summary. The kinds every input can have are here; an
/// edition (or the self-assessment) defines its own beside its rules, with
/// places of its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) struct Kind {
    place: u16,
    slug: &'static str,
}

// The kinds keep the names of the enum they were: `Kind::MissingLabel`.
#[allow(non_upper_case_globals)]
impl Kind {
    pub(crate) const MissingLabel: Kind = Kind::new(0, "missing-label");
    pub(crate) const UnrecognisedHeader: Kind = Kind::new(1, "unrecognised-header");
    pub(crate) const ResultsTable: Kind = Kind::new(2, "results-table");
    pub(crate) const ExtraLabel: Kind = Kind::new(3, "extra-label");
    pub(crate) const DuplicateLabel: Kind = Kind::new(4, "duplicate-label");
    pub(crate) const IncorrectLabel: Kind = Kind::new(5, "incorrect-label");
    pub(crate) const ColumnOrder: Kind = Kind::new(6, "column-order");
    pub(crate) const BlankLabel: Kind = Kind::new(7, "blank-label");
    pub(crate) const BlankRow: Kind = Kind::new(8, "blank-row");
    pub(crate) const RepeatedHeader: Kind = Kind::new(9, "repeated-header");
    pub(crate) const MissingCell: Kind = Kind::new(10, "missing-cell");
    pub(crate) const ExtraCell: Kind = Kind::new(11, "extra-cell");
    pub(crate) const UnclosedQuote: Kind = Kind::new(12, "unclosed-quote");
    pub(crate) const OverlongCell: Kind = Kind::new(13, "overlong-cell");
    pub(crate) const TypeError: Kind = Kind::new(14, "type-error");
    pub(crate) const ConstraintError: Kind = Kind::new(15, "constraint-error");
    pub(crate) const UniqueError: Kind = Kind::new(16, "unique-error");
    pub(crate) const PrimaryKey: Kind = Kind::new(17, "primary-key");
    pub(crate) const EncodingError: Kind = Kind::new(18, "encoding-error");
    pub(crate) const EncodingFallback: Kind = Kind::new(19, "encoding-fallback");
    pub(crate) const LikertOutOfScale: Kind = Kind::new(20, "likert-out-of-scale");
    pub(crate) const UnknownChannel: Kind = Kind::new(21, "unknown-channel");
    pub(crate) const EmptyResponse: Kind = Kind::new(22, "empty-response");
    pub(crate) const OutsideQuarter: Kind = Kind::new(23, "outside-quarter");
    pub(crate) const NoDates: Kind = Kind::new(24, "no-dates");
    pub(crate) const NoData: Kind = Kind::new(25, "no-data");
    pub(crate) const SpellingVariant: Kind = Kind::new(26, "spelling-variant");
    pub(crate) const NoSurveyKeys: Kind = Kind::new(30, "no-survey-keys");
    pub(crate) const SurveyNotInManifest: Kind = Kind::new(31, "survey-not-in-manifest");
    pub(crate) const SurveyWithoutResponses: Kind = Kind::new(32, "survey-without-responses");
    pub(crate) const SurveyIdPerRow: Kind = Kind::new(33, "survey-id-per-row");
    pub(crate) const VolumeOrder: Kind = Kind::new(34, "volume-order");
    pub(crate) const OmbControlNumber: Kind = Kind::new(35, "omb-control-number");
    pub(crate) const OmbExpired: Kind = Kind::new(36, "omb-expired");

    /// A kind of finding, reported under `slug`, listed in the summary at
    /// `place` among the others.
    pub(crate) const fn new(place: u16, slug: &'static str) -> Kind {
        Kind { place, slug }
    }

    pub(crate) fn slug(self) -> &'static str {
        self.slug
    }
}

impl Serialize for Kind {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.slug())
    }
}

/// Where a finding is: file, sheet, the row as the user sees it (header =
/// row 1; Excel rows as in the sheet), and the 1-based column number.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Position {
    pub(crate) file: Arc<str>,
    pub(crate) sheet: Option<Arc<str>>,
    pub(crate) row: Option<u64>,
    pub(crate) column: Option<u32>,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct Issue {
    #[serde(rename = "type")]
    pub(crate) kind: Kind,
    pub(crate) severity: Severity,
    pub(crate) file: Arc<str>,
    pub(crate) sheet: Option<Arc<str>>,
    pub(crate) row: Option<u64>,
    /// Column letter as in Excel (`A`, `B`, … `AA`).
    pub(crate) column: Option<String>,
    pub(crate) column_number: Option<u32>,
    pub(crate) field: Option<Arc<str>>,
    pub(crate) value: Option<String>,
    pub(crate) message: String,
}

impl Issue {
    pub(crate) fn new(
        kind: Kind,
        severity: Severity,
        at: &Position,
        field: Option<Arc<str>>,
        value: Option<String>,
        message: String,
    ) -> Issue {
        Issue {
            kind,
            severity,
            file: at.file.clone(),
            sheet: at.sheet.clone(),
            row: at.row,
            column: at.column.map(crate::display::column_letter),
            column_number: at.column,
            field,
            value,
            message,
        }
    }
}

/// Key of the per-type tallies: severity, type, field.
pub(crate) type TallyKey = (Severity, Kind, Option<Arc<str>>);

/// All findings of a run: complete counts, and the entries up to a cap per
/// severity (the cap limits the list, never the counts).
#[derive(Debug)]
pub(crate) struct Findings {
    keep: usize,
    pub(crate) errors: Vec<Issue>,
    pub(crate) warnings: Vec<Issue>,
    pub(crate) error_count: u64,
    pub(crate) warning_count: u64,
    pub(crate) tally: BTreeMap<TallyKey, u64>,
}

impl Findings {
    pub(crate) fn new(keep: usize) -> Findings {
        Findings {
            keep,
            errors: Vec::new(),
            warnings: Vec::new(),
            error_count: 0,
            warning_count: 0,
            tally: BTreeMap::new(),
        }
    }

    /// Count a finding; returns whether its entry should be built and kept
    /// (so messages are only formatted for entries that will be listed).
    pub(crate) fn count(
        &mut self,
        severity: Severity,
        kind: Kind,
        field: Option<&Arc<str>>,
    ) -> bool {
        let key = (severity, kind, field.cloned());
        *self.tally.entry(key).or_insert(0) += 1;
        let (count, listed) = match severity {
            Severity::Error => (&mut self.error_count, self.errors.len()),
            Severity::Warning => (&mut self.warning_count, self.warnings.len()),
        };
        *count += 1;
        listed < self.keep
    }

    /// Keep an entry counted with [`Findings::count`].
    pub(crate) fn keep(&mut self, issue: Issue) {
        match issue.severity {
            Severity::Error => self.errors.push(issue),
            Severity::Warning => self.warnings.push(issue),
        }
    }

    /// Count and keep in one step, for findings outside the hot path.
    pub(crate) fn push(&mut self, issue: Issue) {
        if self.count(issue.severity, issue.kind, issue.field.as_ref()) {
            self.keep(issue);
        }
    }

    pub(crate) fn truncated(&self) -> bool {
        self.errors.len() as u64 != self.error_count
            || self.warnings.len() as u64 != self.warning_count
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cap_limits_list_not_counts() {
        let mut f = Findings::new(2);
        let at = Position::default();
        for _ in 0..5 {
            f.push(Issue::new(
                Kind::TypeError,
                Severity::Error,
                &at,
                None,
                None,
                "x".into(),
            ));
        }
        assert_eq!(f.error_count, 5);
        assert_eq!(f.errors.len(), 2);
        assert!(f.truncated());
        assert_eq!(f.tally[&(Severity::Error, Kind::TypeError, None)], 5);
    }
}
