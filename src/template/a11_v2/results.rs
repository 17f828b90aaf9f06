//! What A-11 v2 publishes: its tables, workbook and upload files.

use super::tally::{self, DRIVERS, TrustCounts, TrustRollup, UPLOAD_COLUMNS};
use super::{sheets, tables, upload};
use std::io::{self, Write};

use super::{Published, Upload};
use crate::fiscal::Quarter;
use crate::schema::Schema;
use crate::tally::manifest::TemplateRow;
use crate::write::Table;
use crate::write::document::Document;
use crate::write::spool::Spooled;
use crate::write::workbook::Common;

/// The counted surveys, joined to the manifest, their roll-ups, and the
/// responses spooled for the outputs that list them.
pub(crate) struct Results {
    pub(super) rows: Vec<TemplateRow<TrustCounts>>,
    pub(super) services: Vec<TrustRollup>,
    pub(super) overall: TrustRollup,
    pub(super) responses: Option<Spooled>,
    /// Respondents below which a scope is flagged small-n.
    pub(super) min_n: u64,
}

impl Published for Results {
    fn shares(&self) -> Vec<crate::template::ScopeShares> {
        // The trust share, then each driver's share of those offered it.
        let trust = |r: &tally::TrustResults| {
            let mut out = vec![crate::template::Measure {
                name: "trust",
                count: r.trust_positive,
                of: r.trust_positive + r.trust_negative,
                driver: false,
            }];
            let sides = [
                (&r.positive, &r.positive_offered),
                (&r.negative, &r.negative_offered),
            ];
            for (side, (ticks, offered)) in sides.into_iter().enumerate() {
                for d in 0..DRIVERS.len() {
                    out.push(crate::template::Measure {
                        // The upload columns name them: positive_… then negative_….
                        name: UPLOAD_COLUMNS[2 + side * DRIVERS.len() + d],
                        count: ticks[d],
                        of: offered[d],
                        driver: true,
                    });
                }
            }
            out
        };
        let mut out: Vec<crate::template::ScopeShares> = self
            .rows
            .iter()
            .map(|row| {
                let r = row.tally.results();
                crate::template::ScopeShares {
                    scope: "survey",
                    names: row.entry.key.parts().map(String::from),
                    respondents: r.respondents,
                    measures: trust(&r),
                }
            })
            .collect();
        out.extend(crate::template::rollup_shares(
            &self.services,
            &self.overall,
            |r| r.respondents,
            trust,
        ));
        out
    }

    fn surveys(&self) -> usize {
        self.rows.len()
    }

    fn respondents(&self) -> u64 {
        self.overall.results.respondents
    }

    fn aggregate_csv(&self, out: &mut dyn Write) -> io::Result<()> {
        tables::aggregate_csv(self, out)
    }

    fn aggregate_json(&self, quarter: Option<Quarter>, out: &mut dyn Write) -> io::Result<()> {
        tables::aggregate_json(quarter, self, out)
    }

    fn main_table(&self, quarter: Quarter, _schema: &Schema) -> (&'static str, Table) {
        (
            "collection-details",
            tables::collection_details(self, quarter),
        )
    }

    fn document(&self, common: &Common<'_>) -> Document<'_> {
        sheets::document(self, common)
    }

    fn uploads(&self) -> Option<Vec<Upload<'_>>> {
        Some(match &self.responses {
            Some(responses) => upload::uploads(responses),
            None => Vec::new(),
        })
    }
}
