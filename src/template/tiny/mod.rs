//! A tiny edition that exists for the tests: one 0-10 question, counted per
//! service as the share who would recommend it (9 or 10). It shows what a
//! new edition takes: this folder and one line in the registry, nothing
//! else of hisp touched.

use std::collections::BTreeMap;
use std::io::{self, Write};

use crate::check::findings::Findings;
use crate::check::input::InputStats;
use crate::check::{Checker, RowCheck, Value};
use crate::error::{Error, Result};
use crate::fiscal::Quarter;
use crate::schema::{Mapping, Schema};
use crate::tally::manifest::Manifest;
use crate::template::{Counting, Edition, Measure, Published, ScopeShares, Shape, Template, start};
use crate::write::document::{Block, Document, Layout, Sheet};
use crate::write::spool::Spool;
use crate::write::workbook::Common;
use crate::write::{OutCell, Table};

pub(crate) struct Tiny;

impl Edition for Tiny {
    fn name(&self) -> &'static str {
        "tiny"
    }

    fn schemas(&self) -> &'static [(&'static str, &'static str)] {
        &[("tiny-v1", include_str!("tiny-v1.json"))]
    }

    fn manifest_schema(&self) -> &'static str {
        "services-v1"
    }

    fn recognise(&self, headers: &[String], _: &[String], _: &Mapping) -> Option<&'static str> {
        headers
            .iter()
            .any(|h| h.eq_ignore_ascii_case("recommend"))
            .then_some("tiny-v1")
    }

    fn start(
        &self,
        shape: Shape,
        checker: &Checker,
        manifest: Option<&Manifest>,
        spool: Option<Spool>,
    ) -> Result<Box<dyn Counting>> {
        start::<Counts>(shape, checker, manifest, spool)
    }
}

/// Per service: respondents, and those who would recommend it.
#[derive(Default)]
struct Counts {
    fields: (usize, usize),
    services: BTreeMap<String, (u64, u64)>,
}

impl Template for Counts {
    fn start(checker: &Checker, _: Option<&Manifest>, _: Option<Spool>) -> Result<Self> {
        let field = |name| checker.schema.require(name).map_err(Error::config);
        Ok(Counts {
            fields: (field("service")?, field("recommend")?),
            services: BTreeMap::new(),
        })
    }

    fn row(&mut self, check: &mut RowCheck<'_>, input: &mut InputStats) -> Result<()> {
        let (service, answer) = (check.value(self.fields.0), check.value(self.fields.1));
        match (service, answer) {
            (Value::Text(service), Value::Int(answer)) if check.errors == 0 => {
                input.respondents += 1;
                let counts = self.services.entry(service.into_owned()).or_default();
                counts.0 += 1;
                counts.1 += u64::from(answer >= 9);
            }
            _ => input.rows_invalid += 1,
        }
        Ok(())
    }

    fn finish(
        self,
        _: Option<&Manifest>,
        _: &mut Findings,
        _: &mut Vec<String>,
    ) -> Result<Box<dyn Published>> {
        Ok(Box::new(self))
    }
}

impl Published for Counts {
    fn shares(&self) -> Vec<ScopeShares> {
        self.services
            .iter()
            .map(|(service, &(respondents, promoters))| ScopeShares {
                scope: "service",
                names: [service.clone(), String::new(), String::new(), String::new()],
                respondents,
                measures: vec![Measure {
                    name: "recommend",
                    count: promoters,
                    of: respondents,
                    driver: false,
                }],
            })
            .collect()
    }

    fn surveys(&self) -> usize {
        self.services.len()
    }

    fn respondents(&self) -> u64 {
        self.services.values().map(|c| c.0).sum()
    }

    fn aggregate_csv(&self, out: &mut dyn Write) -> io::Result<()> {
        let table = self.table();
        writeln!(out, "{}", table.header.join(","))?;
        for row in &table.rows {
            let cells: Vec<String> = row.iter().map(OutCell::csv_field).collect();
            writeln!(out, "{}", cells.join(","))?;
        }
        Ok(())
    }

    fn aggregate_json(&self, _: Option<Quarter>, out: &mut dyn Write) -> io::Result<()> {
        let services: BTreeMap<&str, [u64; 2]> = self
            .services
            .iter()
            .map(|(s, c)| (s.as_str(), [c.0, c.1]))
            .collect();
        serde_json::to_writer(out, &services).map_err(io::Error::other)
    }

    fn main_table(&self, _: Quarter, _: &Schema) -> (&'static str, Table) {
        ("recommend", self.table())
    }

    fn document(&self, common: &Common<'_>) -> Document<'_> {
        let table = self.table();
        let blocks = vec![Block::Table {
            at: (0, 0),
            header: table.header,
            rows: table.rows,
        }];
        Document {
            title: "tiny".to_string(),
            quarter: common.quarter,
            sheets: vec![Sheet::new("Recommend", blocks, Layout::default())],
        }
    }
}

impl Counts {
    fn table(&self) -> Table {
        let rows = self
            .services
            .iter()
            .map(|(service, &(respondents, promoters))| {
                vec![
                    OutCell::Text(service.clone()),
                    OutCell::Count(respondents),
                    OutCell::Count(promoters),
                ]
            })
            .collect();
        Table {
            header: ["service", "respondents", "recommend"]
                .map(String::from)
                .to_vec(),
            rows,
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::pipeline::{AggregateFormat, Options, ReadOptions, run};
    use crate::{Quarter, Template};

    fn aggregate(text: &str, template: Option<Template>) -> (crate::pipeline::Run, String) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("tiny.csv");
        std::fs::write(&path, text).unwrap();
        let options = Options {
            inputs: vec![crate::Input::Path(path)],
            read: ReadOptions {
                template,
                ..ReadOptions::default()
            },
            quarter: Quarter::new(2025, 2),
            keep: 10,
            ..Options::default()
        };
        let run = run(&options, None, None).unwrap();
        let mut out = Vec::new();
        run.write_aggregate(AggregateFormat::Json, &mut out)
            .unwrap();
        (run, String::from_utf8(out).unwrap())
    }

    const EXPORT: &str = "service,recommend\nPassports,10\nPassports,3\nVisas,9\nVisas,11\n";

    #[test]
    fn a_new_edition_is_recognised_checked_and_counted() {
        let (run, json) = aggregate(EXPORT, None);
        assert_eq!(json, r#"{"Passports":[2,1],"Visas":[1,1]}"#);
        assert_eq!(run.respondents(), 3);
        // 11 is outside the schema's 0-10: the checks every edition shares.
        assert_eq!((run.errors(), run.rows_invalid()), (1, 1));
    }

    #[test]
    fn a_new_edition_is_chosen_by_its_name() {
        let tiny = Template::named("tiny").expect("registered");
        assert_eq!(tiny.name(), "tiny");
        assert!(Template::names().contains(&"tiny"));
        let (_, json) = aggregate(EXPORT, Some(tiny));
        assert_eq!(json, r#"{"Passports":[2,1],"Visas":[1,1]}"#);
    }

    #[test]
    fn a_new_edition_writes_its_workbook() {
        let (run, _) = aggregate(EXPORT, None);
        let mut workbook = std::io::Cursor::new(Vec::new());
        run.write_workbook(true, true, &mut workbook).unwrap();
        use calamine::Reader;
        workbook.set_position(0);
        let mut wb = calamine::Xlsx::new(workbook).unwrap();
        let range = wb.worksheet_range("Recommend").unwrap();
        assert_eq!(range.get_value((1, 0)).unwrap().to_string(), "Passports");
        assert_eq!(range.get_value((1, 1)).unwrap().to_string(), "2");
        let mut csv = Vec::new();
        assert_eq!(run.write_main_table(&mut csv).unwrap(), "recommend");
        let csv = String::from_utf8(csv).unwrap();
        assert_eq!(
            csv,
            "service,respondents,recommend\nPassports,2,1\nVisas,1,1\n"
        );
        assert_eq!(run.upload_names(), None);
    }
}
