//! Earlier quarters kept only as counts, read for `hisp trend`: the A-11 v1
//! table OMB publishes on performance.gov (one row per survey and quarter:
//! `collection_year`, `collection_quarter`, `service_name`,
//! `transaction_point`, `channel`, `volume_of_respondents`, `q1_1` …
//! `q11_5`, with or without the `attributes_` prefix of the API download),
//! and hisp's own `Quarterly Data` sheet or `--csv` table, which has the
//! same columns.

use std::collections::BTreeMap;
use std::ops::ControlFlow;

use crate::check::findings::{Findings, Issue, Kind, Position, Severity};
use crate::error::{Error, Result};
use crate::fiscal::Quarter;
use crate::ingest::layout::HeaderScore;
use crate::ingest::{self, InputSpec, cell_text};
use crate::schema::normalize_label;
use crate::template::{History, Measure, ScopeShares};

use super::tally::{CORE_QUESTIONS, QUESTION_KEYS};

/// A header label as the published table names it.
fn column(label: &str) -> String {
    let label = normalize_label(label);
    label
        .strip_prefix("attributes_")
        .map_or(label.clone(), str::to_string)
}

/// Whether a header is a table of counts per survey and quarter.
pub(crate) fn is_history(headers: &[String]) -> bool {
    let names: Vec<String> = headers.iter().map(|h| column(h)).collect();
    let has = |n: &str| names.iter().any(|c| c == n);
    [
        "collection_year",
        "collection_quarter",
        "service_name",
        "channel",
        "q1_1",
        "q2_5",
    ]
    .iter()
    .all(|n| has(n))
}

/// Counts of one survey in one quarter.
#[derive(Default)]
struct Counts {
    respondents: u64,
    /// q1…q7, answers 1…5.
    answers: [[u64; 5]; 7],
}

impl Counts {
    fn add(&mut self, other: &Counts) {
        self.respondents += other.respondents;
        for (mine, theirs) in self.answers.iter_mut().zip(&other.answers) {
            for (m, t) in mine.iter_mut().zip(theirs) {
                *m += t;
            }
        }
    }

    fn shares(&self, scope: &'static str, names: [String; 4]) -> ScopeShares {
        ScopeShares {
            scope,
            names,
            respondents: self.respondents,
            measures: QUESTION_KEYS[..CORE_QUESTIONS]
                .iter()
                .zip(&self.answers)
                .map(|(name, c)| Measure {
                    name,
                    count: c[3] + c[4],
                    of: c.iter().sum(),
                    driver: false,
                })
                .collect(),
        }
    }
}

/// Read a table of counts; rows outside `span` are left out. Surveys,
/// then per service and overall (sums of the surveys' counts, as a
/// roll-up of respondent rows gives).
pub(crate) fn read(
    spec: &InputSpec,
    span: (Quarter, Quarter),
    findings: &mut Findings,
) -> Result<(History, String)> {
    let score = |labels: &[String]| HeaderScore {
        by_name: usize::from(is_history(labels)) * labels.len(),
        by_wording: 0,
    };
    let mut table = ingest::open(spec, Some(&score))?;
    let names: Vec<String> = table.headers.iter().map(|h| column(h)).collect();
    let at = |n: &str| names.iter().position(|c| c == n);
    let (year, quarter) = (at("collection_year"), at("collection_quarter"));
    let keys = [
        at("service_name"),
        at("transaction_point"),
        at("channel"),
        at("survey_id"),
    ];
    let respondents = at("volume_of_respondents");
    let answers: Vec<Vec<Option<usize>>> = (1..=7)
        .map(|q| (1..=5).map(|k| at(&format!("q{q}_{k}"))).collect())
        .collect();
    let (file, sheet, offset) = (table.file.clone(), table.sheet.clone(), table.column_offset);
    let mut surveys: BTreeMap<Quarter, Vec<([String; 4], Counts)>> = BTreeMap::new();
    let (mut rows, mut outside) = (0u64, 0u64);
    table
        .for_each_row(&mut |line, row| {
            if row.is_blank() {
                return ControlFlow::Continue(());
            }
            rows += 1;
            let text = |c: Option<usize>| {
                c.map_or(String::new(), |c| cell_text(row.cell(c)).trim().to_string())
            };
            let mut number = |c: Option<usize>, what: &str| -> Option<u64> {
                let t = text(c).replace(',', "");
                if t.is_empty() {
                    return Some(0);
                }
                match t.parse::<f64>() {
                    Ok(v) if v >= 0.0 && v.fract() == 0.0 => Some(v as u64),
                    _ => {
                        findings.push(Issue::new(
                            Kind::TypeError,
                            Severity::Error,
                            &Position {
                                file: file.clone(),
                                sheet: sheet.clone(),
                                row: Some(line),
                                column: c.map(|c| c as u32 + offset + 1),
                            },
                            Some(what.into()),
                            Some(t.clone()),
                            format!("{t:?} is not a count; {what} holds whole numbers"),
                        ));
                        None
                    }
                }
            };
            let period = match (
                number(year, "collection_year"),
                number(quarter, "collection_quarter"),
            ) {
                (Some(y), Some(q)) => i32::try_from(y)
                    .ok()
                    .zip(u8::try_from(q).ok())
                    .and_then(|(y, q)| Quarter::new(y, q)),
                _ => None,
            };
            let Some(period) = period else {
                return ControlFlow::Continue(());
            };
            if period < span.0 || period > span.1 {
                outside += 1;
                return ControlFlow::Continue(());
            }
            let mut counts = Counts {
                respondents: number(respondents, "volume_of_respondents").unwrap_or(0),
                ..Counts::default()
            };
            for (q, columns) in answers.iter().enumerate() {
                for (k, c) in columns.iter().enumerate() {
                    counts.answers[q][k] =
                        number(*c, &format!("q{}_{}", q + 1, k + 1)).unwrap_or(0);
                }
            }
            surveys
                .entry(period)
                .or_default()
                .push((keys.map(text), counts));
            ControlFlow::Continue(())
        })
        .map_err(Error::input)?;
    let mut history = History::new();
    for (period, list) in surveys {
        let mut out: Vec<ScopeShares> = Vec::new();
        let mut services: Vec<(String, Counts)> = Vec::new();
        let mut overall = Counts::default();
        for (names, counts) in &list {
            out.push(counts.shares("survey", names.clone()));
            match services
                .iter_mut()
                .find(|(s, _)| s.eq_ignore_ascii_case(&names[0]))
            {
                Some((_, c)) => c.add(counts),
                None => {
                    let mut c = Counts::default();
                    c.add(counts);
                    services.push((names[0].clone(), c));
                }
            }
            overall.add(counts);
        }
        services.sort_by_cached_key(|(name, _)| name.to_lowercase());
        for (name, c) in &services {
            out.push(c.shares(
                "service",
                [name.clone(), String::new(), String::new(), String::new()],
            ));
        }
        out.push(overall.shares("overall", Default::default()));
        history.insert(period, out);
    }
    table.finish();
    let quarters: Vec<String> = history
        .keys()
        .map(|q| crate::template::trend::code(*q))
        .collect();
    let note = format!(
        "{file}: read as counts per survey and quarter (published or hisp's Quarterly Data): {rows} rows, {outside} outside the span; quarters {}",
        if quarters.is_empty() {
            "none".to_string()
        } else {
            quarters.join(", ")
        }
    );
    Ok((history, note))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_of_counts_by_their_header() {
        let labels = |t: &str| t.split(',').map(String::from).collect::<Vec<_>>();
        assert!(is_history(&labels(
            "id,collection_year,collection_quarter,service_name,transaction_point,channel,q1_1,q1_2,q2_5"
        )));
        // The API download prefixes every field.
        assert!(is_history(&labels(
            "attributes_collection_year,attributes_collection_quarter,attributes_service_name,attributes_channel,attributes_q1_1,attributes_q2_5"
        )));
        assert!(!is_history(&labels(
            "service,touchpoint,channel,submitted_at,satisfaction"
        )));
        assert!(!is_history(&labels("ResponseId,Q1_1,Q2_5,collection_year")));
    }
}
