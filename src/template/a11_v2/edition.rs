//! A-11 v2 described to the rest of hisp: the trust question and its
//! drivers (FY2024 on), with the Touchpoints upload file's own schema.

use anyhow::bail;

use super::{A11V2, DRIVERS, UPLOAD_COLUMNS, driver_field_of};
use crate::check::{Checker, ColumnRecogniser};
use crate::error::Result;
use crate::schema::{Mapping, normalize_label};
use crate::tally::manifest::Manifest;
use crate::template::{Counting, Edition, Shape, start};
use crate::write::spool::Spool;

pub(crate) struct V2;

impl Edition for V2 {
    fn name(&self) -> &'static str {
        "a11-v2"
    }

    fn schemas(&self) -> &'static [(&'static str, &'static str)] {
        &[
            ("a11-v2", include_str!("../../../schemas/a11-v2.json")),
            (
                "a11-v2-upload",
                include_str!("../../../schemas/a11-v2-upload.json"),
            ),
            (
                "services-v2",
                include_str!("../../../schemas/services-v2.json"),
            ),
        ]
    }

    fn manifest_schema(&self) -> &'static str {
        "services-v2"
    }

    /// The upload file's exact header (in any order: Touchpoints compares
    /// it sorted); else A-11 v2 when a column is the trust question's or a
    /// driver's (by name, mapping, or a multi-select's question text:
    /// `What went well? - …`).
    fn recognise(
        &self,
        headers: &[String],
        descriptions: &[String],
        mapping: &Mapping,
    ) -> Option<&'static str> {
        let mut sorted: Vec<&str> = headers.iter().map(String::as_str).collect();
        sorted.sort_unstable();
        let mut upload = UPLOAD_COLUMNS.to_vec();
        upload.sort_unstable();
        if sorted == upload {
            return Some("a11-v2-upload");
        }
        let v2 = headers.iter().any(|h| {
            let field = mapping
                .field_for_column(h)
                .map(str::to_string)
                .unwrap_or_else(|| normalize_label(h));
            field == "question_1"
                || field.starts_with("positive_")
                || field.starts_with("negative_")
        }) || headers
            .iter()
            .chain(descriptions)
            .any(|text| driver_field_of(text).is_some());
        v2.then_some("a11-v2")
    }

    fn needs_no_mapping(&self, schema: &str) -> Option<&'static str> {
        (schema == "a11-v2-upload").then_some(
            "is already a Touchpoints upload file: it needs no mapping, only --set service=… --set transaction_point=… --set channel=…",
        )
    }

    fn column_recogniser(&self) -> Option<ColumnRecogniser> {
        Some(driver_field_of)
    }

    fn check_mapping(&self, mapping: &Mapping, source: &str) -> anyhow::Result<()> {
        for (choice, driver) in &mapping.driver_choices {
            if !DRIVERS
                .iter()
                .any(|d| d.eq_ignore_ascii_case(driver.trim()))
            {
                bail!(
                    "{source}: [driver_choices] maps {choice:?} to {driver:?}, which is not a driver; drivers are: {}",
                    DRIVERS.join(", ")
                );
            }
        }
        for (label, value) in &mapping.trust_labels {
            if !(0..=5).contains(value) {
                bail!(
                    "{source}: [trust_labels] maps {label:?} to {value}; trust answers are 1 (thumbs up) or 0 (thumbs down), or 1 to 5 on a Likert survey"
                );
            }
        }
        Ok(())
    }

    fn start(
        &self,
        shape: Shape,
        checker: &Checker,
        manifest: Option<&Manifest>,
        spool: Option<Spool>,
    ) -> Result<Box<dyn Counting>> {
        start::<A11V2>(shape, checker, manifest, spool)
    }
}
