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

/// The kinds of finding. Slugs are stable: frictionless names where they fit,
/// domain names otherwise. Documented in the README.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) enum Kind {
    MissingLabel,
    UnrecognisedHeader,
    ResultsTable,
    ExtraLabel,
    DuplicateLabel,
    IncorrectLabel,
    ColumnOrder,
    BlankLabel,
    BlankRow,
    RepeatedHeader,
    MissingCell,
    ExtraCell,
    UnclosedQuote,
    OverlongCell,
    TypeError,
    ConstraintError,
    UniqueError,
    PrimaryKey,
    EncodingError,
    EncodingFallback,
    LikertOutOfScale,
    UnknownChannel,
    EmptyResponse,
    OutsideQuarter,
    NoDates,
    NoData,
    SpellingVariant,
    SurveyType,
    WrongSideDriver,
    DriverOffer,
    NoSurveyKeys,
    SurveyNotInManifest,
    SurveyWithoutResponses,
    SurveyIdPerRow,
    VolumeOrder,
    OmbControlNumber,
    OmbExpired,
    Unanswered,
    UnknownId,
    DuplicateId,
    StatementMismatch,
    FocusArea,
}

impl Kind {
    pub(crate) fn slug(self) -> &'static str {
        match self {
            Kind::MissingLabel => "missing-label",
            Kind::UnrecognisedHeader => "unrecognised-header",
            Kind::ResultsTable => "results-table",
            Kind::ExtraLabel => "extra-label",
            Kind::DuplicateLabel => "duplicate-label",
            Kind::IncorrectLabel => "incorrect-label",
            Kind::ColumnOrder => "column-order",
            Kind::BlankLabel => "blank-label",
            Kind::BlankRow => "blank-row",
            Kind::RepeatedHeader => "repeated-header",
            Kind::MissingCell => "missing-cell",
            Kind::ExtraCell => "extra-cell",
            Kind::UnclosedQuote => "unclosed-quote",
            Kind::OverlongCell => "overlong-cell",
            Kind::TypeError => "type-error",
            Kind::ConstraintError => "constraint-error",
            Kind::UniqueError => "unique-error",
            Kind::PrimaryKey => "primary-key",
            Kind::EncodingError => "encoding-error",
            Kind::EncodingFallback => "encoding-fallback",
            Kind::LikertOutOfScale => "likert-out-of-scale",
            Kind::UnknownChannel => "unknown-channel",
            Kind::EmptyResponse => "empty-response",
            Kind::OutsideQuarter => "outside-quarter",
            Kind::NoDates => "no-dates",
            Kind::NoData => "no-data",
            Kind::SpellingVariant => "spelling-variant",
            Kind::SurveyType => "survey-type",
            Kind::WrongSideDriver => "wrong-side-driver",
            Kind::DriverOffer => "driver-offer",
            Kind::NoSurveyKeys => "no-survey-keys",
            Kind::SurveyNotInManifest => "survey-not-in-manifest",
            Kind::SurveyWithoutResponses => "survey-without-responses",
            Kind::SurveyIdPerRow => "survey-id-per-row",
            Kind::VolumeOrder => "volume-order",
            Kind::OmbControlNumber => "omb-control-number",
            Kind::OmbExpired => "omb-expired",
            Kind::Unanswered => "unanswered",
            Kind::UnknownId => "unknown-id",
            Kind::DuplicateId => "duplicate-id",
            Kind::StatementMismatch => "statement-mismatch",
            Kind::FocusArea => "focus-area",
        }
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
