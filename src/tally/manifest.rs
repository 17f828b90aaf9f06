//! The services manifest: the agency's list of surveys with what the
//! responses cannot tell (organization, volumes, OMB control number, and
//! the edition's own details: question texts, survey type), checked like
//! any input and joined to the counted surveys.

use serde::Serialize;
use std::collections::HashMap;
use std::ops::ControlFlow;

use super::SurveyKey;
use crate::check::findings::{Findings, Issue, Kind, Position, Severity};
use crate::check::{Checker, RowCheck, Value};
use crate::error::{Error, Result};
use crate::fiscal::Quarter;
use crate::ingest::{self, InputSpec};
use crate::schema::{Mapping, Schema};

/// The manifest fields every edition's manifest reads the same way; the
/// others of its schema are the edition's own details.
const SHARED: [&str; 17] = [
    "service",
    "touchpoint",
    "transaction_point",
    "channel",
    "survey_id",
    "collection_year",
    "collection_quarter",
    "organization_name",
    "organization_abbreviation",
    "service_provider_name",
    "service_provided",
    "volume_of_customers",
    "volume_of_customers_provided_survey_opportunity",
    "omb_control_number",
    "omb_expiration_date",
    "federal_register_url",
    "operational_metrics",
];

/// One survey as the agency describes it.
#[derive(Debug, Clone, Default, Serialize)]
pub(crate) struct Entry {
    pub(crate) key: SurveyKey,
    pub(crate) organization_name: String,
    pub(crate) organization_abbreviation: String,
    pub(crate) service_provider_name: String,
    pub(crate) service_provided: String,
    pub(crate) volume_of_customers: Option<u64>,
    pub(crate) volume_of_customers_provided_survey_opportunity: Option<u64>,
    pub(crate) omb_control_number: String,
    pub(crate) federal_register_url: String,
    pub(crate) operational_metrics: String,
    /// The edition's own fields, by name, where given: A-11 v1's question
    /// texts as fielded (`q1_text` …), A-11 v2's `survey_type`,
    /// `survey_title` and `trust_question_text`.
    pub(crate) details: std::collections::BTreeMap<String, String>,
    #[serde(skip)]
    pub(crate) at: Position,
}

impl Entry {
    /// One of the edition's own fields, when given.
    pub(crate) fn detail(&self, name: &str) -> Option<&str> {
        self.details.get(name).map(String::as_str)
    }
}

#[derive(Debug, Clone, Default)]
pub(crate) struct Manifest {
    pub(crate) file: String,
    pub(crate) sha256: String,
    pub(crate) entries: Vec<Entry>,
}

/// What the run makes of the manifest: `report` writes what is submitted,
/// so what cannot be submitted (an OMB control number that is a
/// placeholder) is an error there and a warning when only validating.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Submission {
    Validate,
    Report,
}

/// Read and check a manifest against its edition's manifest schema
/// (`services-v1` or `services-v2`). The mapping file's channel spellings
/// apply to it as to the responses.
pub(crate) fn load(
    spec: &InputSpec,
    schema: Schema,
    channels: &std::collections::BTreeMap<String, String>,
    quarter: Option<Quarter>,
    submission: Submission,
    findings: &mut Findings,
) -> Result<Manifest> {
    let mapping = Mapping {
        channels: channels.clone(),
        ..Mapping::default()
    };
    let mut checker = Checker::new(schema, mapping);
    let score = |labels: &[String]| checker.header_score(labels);
    let mut table = ingest::open(spec, Some(&score))?;
    let binding = checker.bind(&table, None, findings);
    let field = |name: &str| checker.schema.index_of(name);
    let ids = Ids {
        service: field("service").expect("manifest schemas have service"),
        touchpoint: field("touchpoint")
            .or_else(|| field("transaction_point"))
            .expect("manifest schemas have a touchpoint"),
        channel: field("channel").expect("manifest schemas have channel"),
        survey_id: field("survey_id"),
        texts: [
            "organization_name",
            "organization_abbreviation",
            "service_provider_name",
            "service_provided",
            "omb_control_number",
            "federal_register_url",
            "operational_metrics",
        ]
        .map(field),
        customers: field("volume_of_customers"),
        offered: field("volume_of_customers_provided_survey_opportunity"),
        omb_expiration: field("omb_expiration_date"),
        period: [field("collection_year"), field("collection_quarter")],
        details: checker
            .schema
            .fields
            .iter()
            .enumerate()
            .filter(|(_, f)| !SHARED.contains(&f.name.as_str()))
            .map(|(i, f)| (f.name.clone(), i))
            .collect(),
    };
    let mut entries: Vec<Entry> = Vec::new();
    // By survey: the row where it was first listed, for which period, and
    // its entry's index.
    let mut seen: HashMap<String, (u64, Option<Period>, usize)> = HashMap::new();
    if !binding.missing_required {
        table
            .for_each_row(&mut |line, row| {
                let mut check = checker.row(&binding, row, line, findings);
                if check.is_blank() {
                    return ControlFlow::Continue(());
                }
                check.check_shape();
                let period = read_period(&mut check, &ids);
                // A row for another quarter does not apply to this run.
                if let (Some(q), Some((year, quarter))) = (quarter, period)
                    && (i64::from(q.fiscal_year()), i64::from(q.quarter())) != (year, quarter)
                {
                    return ControlFlow::Continue(());
                }
                let applies_to = quarter.or_else(|| {
                    let (year, q) = period?;
                    Quarter::new(i32::try_from(year).ok()?, u8::try_from(q).ok()?)
                });
                if let Some(entry) = read_entry(&mut check, &ids, applies_to, submission) {
                    let key = entry.key.match_key();
                    match seen.get(&key).copied() {
                        // One survey over several quarters, read for every
                        // quarter: the latest quarter's row holds.
                        Some((_, Some(before), i)) if quarter.is_none() && period.is_some_and(|p| p != before) => {
                            if period > Some(before) {
                                entries[i] = entry;
                                seen.insert(key, (line, period, i));
                            }
                        }
                        Some((first, _, _)) => {
                            check.report(Kind::PrimaryKey, Severity::Error, Some(ids.service), None, || {
                                format!(
                                    "this survey ({}) is already listed in row {first}; list each survey once (per quarter, with collection_year and collection_quarter; several surveys of one service, touchpoint and channel are told apart by survey_id)",
                                    entry.key.label()
                                )
                            });
                        }
                        None => {
                            seen.insert(key, (line, period, entries.len()));
                            entries.push(entry);
                        }
                    }
                }
                ControlFlow::Continue(())
            })
            .map_err(Error::input)?;
    }
    let file = table.file.to_string();
    let sha256 = table.finish().sha256;
    tracing::info!("services manifest {file}: {} surveys", entries.len());
    Ok(Manifest {
        file,
        sha256,
        entries,
    })
}

/// Manifest fields by index; `None` where the schema lacks the field.
struct Ids {
    service: usize,
    touchpoint: usize,
    channel: usize,
    survey_id: Option<usize>,
    texts: [Option<usize>; 7],
    customers: Option<usize>,
    offered: Option<usize>,
    omb_expiration: Option<usize>,
    /// collection_year and collection_quarter.
    period: [Option<usize>; 2],
    /// The edition's own fields, by name.
    details: Vec<(String, usize)>,
}

/// A manifest row's fiscal year and quarter.
type Period = (i64, i64);

/// The fiscal year and quarter a row is for, when it gives both.
fn read_period(check: &mut RowCheck<'_>, ids: &Ids) -> Option<Period> {
    let [year, quarter] = ids.period.map(|f| match value(check, f) {
        Value::Int(i) => Some(i),
        _ => None,
    });
    Some((year?, quarter?))
}

/// A field's value, or missing when the manifest schema lacks the field.
fn value<'a>(check: &mut RowCheck<'a>, field: Option<usize>) -> Value<'a> {
    match field {
        Some(f) => check.value(f),
        None => Value::Missing,
    }
}

/// A manifest row as an entry; `quarter` is the quarter it is read for
/// (the run's, or the row's own), to check the OMB clearance against.
fn read_entry(
    check: &mut RowCheck<'_>,
    ids: &Ids,
    quarter: Option<Quarter>,
    submission: Submission,
) -> Option<Entry> {
    let text = |v: Value<'_>| match v {
        Value::Text(t) => t.into_owned(),
        _ => String::new(),
    };
    let count = |v: Value<'_>| match v {
        Value::Int(i) => u64::try_from(i).ok(),
        _ => None,
    };
    let service = check.value(ids.service);
    let touchpoint = check.value(ids.touchpoint);
    let channel = check.value(ids.channel);
    let survey_id = crate::check::text_or_blank(check, ids.survey_id)
        .trim()
        .to_string();
    let [org, abbr, provider, provided, omb, url, metrics] =
        ids.texts.map(|f| text(value(check, f)));
    let customers = count(value(check, ids.customers));
    let offered = count(value(check, ids.offered));
    let mut details = std::collections::BTreeMap::new();
    for (name, f) in &ids.details {
        let given = match check.value(*f) {
            Value::Text(t) => t.into_owned(),
            Value::Code(i) => check.code_of(*f, i).to_string(),
            Value::Int(n) => n.to_string(),
            _ => String::new(),
        };
        if !given.is_empty() {
            details.insert(name.clone(), given);
        }
    }
    if is_placeholder(&omb) {
        let severity = match submission {
            Submission::Report => Severity::Error,
            Submission::Validate => Severity::Warning,
        };
        check.report(Kind::OmbControlNumber, severity, ids.texts[4], Some(&omb), || {
            format!("{omb:?} is a placeholder, not an OMB control number: a report cannot be submitted with it. Give the survey's PRA clearance number (NNNN-NNNN, e.g. 1405-0224) from reginfo.gov")
        });
    } else if !omb.is_empty() && !is_omb_control_number(&omb) {
        check.report(Kind::OmbControlNumber, Severity::Warning, ids.texts[4], Some(&omb), || {
            format!("{omb:?} is not shaped like an OMB control number (NNNN-NNNN, e.g. 1405-0224); check it against the PRA clearance")
        });
    }
    if let (Value::DateTime(expires), Some(quarter)) = (value(check, ids.omb_expiration), quarter)
        && expires.date() < quarter.end()
    {
        let (expires, end) = (expires.date(), quarter.end());
        let shown = expires.to_string();
        check.report(Kind::OmbExpired, Severity::Warning, ids.omb_expiration, Some(&shown), || {
            let clearance = if omb.is_empty() { "the survey's OMB clearance".to_string() } else { format!("OMB control number {omb}") };
            format!("{clearance} expired on {expires}, before {quarter} ends ({end}): responses collected after it had no PRA clearance. Renew the clearance, or check the date on reginfo.gov")
        });
    }
    if let (Some(c), Some(o)) = (customers, offered)
        && o > c
    {
        check.report(Kind::VolumeOrder, Severity::Warning, ids.offered, Some(&o.to_string()), || {
            format!("{o} customers offered the survey is more than the {c} customers who used the service; check both volumes")
        });
    }
    // The touchpoint is free text in v1 and a code (transaction_point) in v2.
    let touchpoint = match touchpoint {
        Value::Text(t) => Value::Text(t),
        Value::Code(i) => Value::Text(check.code_of(ids.touchpoint, i).to_string().into()),
        other => other,
    };
    let (Value::Text(service), Value::Text(touchpoint), Value::Code(channel)) =
        (service, touchpoint, channel)
    else {
        // Blank or invalid keys were reported as errors.
        debug_assert!(
            check.errors > 0,
            "a manifest row is dropped only after an error"
        );
        return None;
    };
    let channel = check.code_of(ids.channel, channel).to_string();
    Some(Entry {
        key: SurveyKey {
            service: service.trim().to_string(),
            touchpoint: touchpoint.trim().to_string(),
            channel,
            survey_id,
        },
        organization_name: org,
        organization_abbreviation: abbr,
        service_provider_name: provider,
        service_provided: provided,
        volume_of_customers: customers,
        volume_of_customers_provided_survey_opportunity: offered,
        omb_control_number: omb,
        federal_register_url: url,
        operational_metrics: metrics,
        details,
        at: check.position(None),
    })
}

/// Four digits, a hyphen, four digits.
/// What forms hold where the OMB control number is not known yet (seen in
/// GSA Touchpoints' inventory of A-11 forms).
fn is_placeholder(s: &str) -> bool {
    let folded = s.trim().to_ascii_lowercase();
    let all_same = |c: u8| !folded.is_empty() && folded.bytes().all(|b| b == c || b == b'-');
    matches!(
        folded.as_str(),
        "tbd" | "tba" | "na" | "n/a" | "none" | "pending" | "test" | "omb control number" | "12345"
    ) || all_same(b'x')
        || all_same(b'0')
        || all_same(b'9')
}

pub(crate) fn is_omb_control_number(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 9 && b[4] == b'-' && b[..4].iter().chain(&b[5..]).all(u8::is_ascii_digit)
}

/// A row of the quarterly template: a survey with its counts (the
/// template's) and its manifest entry (if any).
#[derive(Debug, Clone)]
pub(crate) struct TemplateRow<T> {
    pub(crate) entry: Entry,
    pub(crate) tally: T,
}

/// What a survey's counts say of it, for the checks of the join.
pub(crate) trait Counted: Default {
    fn respondents(&self) -> u64;
}

/// Join the counted surveys to the manifest: manifest order first, then
/// surveys the manifest does not list. A survey matches the manifest row
/// with the same keys; where one side names survey_ids and the other does
/// not, a row matches the one survey of its service, touchpoint and channel
/// left unmatched. Reports surveys missing on either side and respondents
/// exceeding the customers offered the survey.
pub(crate) fn join<T: Counted>(
    manifest: Option<&Manifest>,
    surveys: Vec<(SurveyKey, T)>,
    findings: &mut Findings,
) -> Vec<TemplateRow<T>> {
    let mut by_key: HashMap<String, (SurveyKey, T)> =
        surveys.into_iter().map(|s| (s.0.match_key(), s)).collect();
    let entries = manifest.map_or(&[][..], |m| &m.entries[..]);
    // Each entry's survey, by match key: exact matches first, then the
    // pairs left alone in their service × touchpoint × channel.
    let mut matched: Vec<Option<String>> = entries
        .iter()
        .map(|e| Some(e.key.match_key()).filter(|k| by_key.contains_key(k)))
        .collect();
    let mut groups: HashMap<String, (Vec<usize>, Vec<String>)> = HashMap::new();
    for (i, e) in entries.iter().enumerate() {
        if matched[i].is_none() {
            groups
                .entry(e.key.match_key_without_id())
                .or_default()
                .0
                .push(i);
        }
    }
    let taken: std::collections::HashSet<&String> = matched.iter().flatten().collect();
    let mut unmatched: Vec<&String> = by_key.keys().filter(|k| !taken.contains(k)).collect();
    unmatched.sort();
    for key in unmatched {
        let (survey_key, _) = &by_key[key];
        if let Some(group) = groups.get_mut(&survey_key.match_key_without_id()) {
            group.1.push(key.clone());
        }
    }
    let mut ambiguous: HashMap<usize, Vec<String>> = HashMap::new();
    for (entries_here, surveys_here) in groups.into_values() {
        match (entries_here.as_slice(), surveys_here.as_slice()) {
            ([], _) | (_, []) => {}
            ([i], [key]) => matched[*i] = Some(key.clone()),
            _ => {
                let labels: Vec<String> =
                    surveys_here.iter().map(|k| by_key[k].0.label()).collect();
                for i in entries_here {
                    ambiguous.insert(i, labels.clone());
                }
            }
        }
    }
    let mut rows = Vec::new();
    for (i, entry) in entries.iter().enumerate() {
        let mut entry = entry.clone();
        let tally = match matched[i].as_ref().and_then(|k| by_key.remove(k)) {
            Some((survey_key, tally)) => {
                if entry.key.survey_id.is_empty() {
                    entry.key.survey_id = survey_key.survey_id;
                }
                tally
            }
            None => {
                let message = match ambiguous.get(&i) {
                    Some(surveys) => format!(
                        "this row ({}) could be any of the surveys {}; give survey_id in the manifest and the responses so that each row names one survey. The row is reported with zero counts",
                        entry.key.label(),
                        surveys.join(", ")
                    ),
                    None => format!(
                        "no responses in the quarter for {}; the survey is reported with zero counts. Check the names match the export's",
                        entry.key.label()
                    ),
                };
                findings.push(Issue::new(
                    Kind::SurveyWithoutResponses,
                    Severity::Warning,
                    &entry.at,
                    None,
                    None,
                    message,
                ));
                T::default()
            }
        };
        if let Some(offered) = entry.volume_of_customers_provided_survey_opportunity
            && tally.respondents() > offered
        {
            findings.push(Issue::new(
                Kind::VolumeOrder,
                Severity::Warning,
                &entry.at,
                Some("volume_of_customers_provided_survey_opportunity".into()),
                Some(offered.to_string()),
                format!(
                    "{} respondents is more than the {offered} customers offered the survey; check the volume",
                    tally.respondents()
                ),
            ));
        }
        rows.push(TemplateRow { entry, tally });
    }
    let mut leftover: Vec<(String, (SurveyKey, T))> = by_key.into_iter().collect();
    leftover.sort_by(|a, b| a.0.cmp(&b.0));
    for (_, (survey_key, tally)) in leftover {
        if let Some(manifest) = manifest {
            findings.push(Issue::new(
                Kind::SurveyNotInManifest,
                Severity::Warning,
                &Position {
                    file: manifest.file.as_str().into(),
                    ..Position::default()
                },
                None,
                None,
                format!(
                    "{} has {} respondents but no row in the services manifest; add one so its organization, volumes and OMB number are reported",
                    survey_key.label(),
                    tally.respondents()
                ),
            ));
        }
        rows.push(TemplateRow {
            entry: Entry {
                key: survey_key,
                ..Entry::default()
            },
            tally,
        });
    }
    rows
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn omb_numbers() {
        assert!(is_omb_control_number("1405-0224"));
        assert!(!is_omb_control_number("1405-224"));
        assert!(!is_omb_control_number("14050224"));
        assert!(!is_omb_control_number("OMB Control Number"));
    }

    #[test]
    fn omb_placeholders() {
        for p in [
            "TBD",
            "NA",
            "n/a",
            "XXXXX",
            "xxxx-xxxx",
            "test",
            "12345",
            "OMB Control Number",
            "0000-0000",
        ] {
            assert!(is_placeholder(p), "{p}");
        }
        for real in ["1405-0224", "3090-0297", "", "1545-2250"] {
            assert!(!is_placeholder(real), "{real}");
        }
    }
}
