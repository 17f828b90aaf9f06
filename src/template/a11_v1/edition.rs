//! A-11 v1 described to the rest of hisp: seven 1-5 questions (to FY2023).
//! The registry's first edition: it takes the headers no other claims.

use super::A11V1;
use crate::check::Checker;
use crate::check::findings::Findings;
use crate::error::Result;
use crate::fiscal::Quarter;
use crate::ingest::InputSpec;
use crate::tally::manifest::Manifest;
use crate::template::{Counting, Edition, History, Shape, start};
use crate::write::spool::Spool;

pub(crate) struct V1;

impl Edition for V1 {
    fn name(&self) -> &'static str {
        "a11-v1"
    }

    fn schemas(&self) -> &'static [(&'static str, &'static str)] {
        &[
            ("a11-v1", include_str!("../../../schemas/a11-v1.json")),
            (
                "services-v1",
                include_str!("../../../schemas/services-v1.json"),
            ),
        ]
    }

    fn manifest_schema(&self) -> &'static str {
        "services-v1"
    }

    fn reads_history(&self, headers: &[String]) -> bool {
        super::history::is_history(headers)
    }

    fn read_history(
        &self,
        spec: &InputSpec,
        span: (Quarter, Quarter),
        findings: &mut Findings,
    ) -> Result<(History, String)> {
        super::history::read(spec, span, findings)
    }

    fn start(
        &self,
        shape: Shape,
        checker: &Checker,
        manifest: Option<&Manifest>,
        spool: Option<Spool>,
    ) -> Result<Box<dyn Counting>> {
        start::<A11V1>(shape, checker, manifest, spool)
    }
}
