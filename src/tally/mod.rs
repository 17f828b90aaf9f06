//! TALLY: the surveys a pass finds (service × touchpoint × channel, and
//! survey_id where the inputs name surveys; names folded so that spellings differing only in case or spacing are one
//! survey, with a warning), their roll-ups per service and overall, and the
//! join with the agency's services manifest. What is counted per survey is
//! the template's business (`crate::template`).

pub(crate) mod manifest;
pub(crate) mod rollup;

use serde::Serialize;
use std::collections::HashMap;

use crate::check::findings::{Findings, Issue, Kind, Position, Severity};
use crate::schema::push_folded;

/// A hash map with a fast hasher, for keys hisp builds itself.
pub(crate) type FastMap<K, V> = HashMap<K, V, foldhash::fast::RandomState>;

/// A survey's identity as reported.
#[derive(Debug, Clone, Default, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub(crate) struct SurveyKey {
    pub(crate) service: String,
    pub(crate) touchpoint: String,
    pub(crate) channel: String,
    /// Which of several surveys of one service × touchpoint × channel;
    /// empty where the inputs do not say.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub(crate) survey_id: String,
}

impl SurveyKey {
    /// The key used for matching: case and runs of spaces ignored.
    pub(crate) fn match_key(&self) -> String {
        let mut key = String::new();
        write_match_key(&mut key, self.parts());
        key
    }

    /// The key without its survey_id: what a manifest row that names no
    /// survey is matched by.
    pub(crate) fn match_key_without_id(&self) -> String {
        let mut key = String::new();
        let [service, touchpoint, channel, _] = self.parts();
        write_match_key(&mut key, [service, touchpoint, channel, ""]);
        key
    }

    /// service, touchpoint, channel and survey_id.
    pub(crate) fn parts(&self) -> [&str; 4] {
        [
            &self.service,
            &self.touchpoint,
            &self.channel,
            &self.survey_id,
        ]
    }

    /// "service / touchpoint / channel / survey_id", leaving out blank parts.
    pub(crate) fn label(&self) -> String {
        self.parts()
            .into_iter()
            .filter(|p| !p.is_empty())
            .collect::<Vec<_>>()
            .join(" / ")
    }
}

/// Whether any of the surveys is told apart by a survey_id: only then do
/// the outputs carry the column, so that reports of inputs without one are
/// as before.
pub(crate) fn any_survey_id<'a>(keys: impl IntoIterator<Item = &'a SurveyKey>) -> bool {
    keys.into_iter().any(|k| !k.survey_id.is_empty())
}

/// Write the match key into a reused buffer (the per-row path). A blank
/// survey_id adds nothing, so keys of inputs without one are as before.
fn write_match_key(out: &mut String, [service, touchpoint, channel, survey_id]: [&str; 4]) {
    out.clear();
    push_folded(out, service);
    out.push('\u{1f}');
    push_folded(out, touchpoint);
    out.push('\u{1f}');
    out.push_str(channel);
    if !survey_id.is_empty() {
        out.push('\u{1f}');
        push_folded(out, survey_id);
    }
}

/// A name spelled differently from the survey's first spelling.
struct Variant {
    field: &'static str,
    spelling: String,
    counted_as: String,
    at: Position,
}

const MAX_VARIANTS_PER_SURVEY: usize = 3;

/// Surveys, each of one row, that make a survey_id look like a response ID.
const RESPONSE_IDS_AFTER: usize = 20;

/// The surveys met during a pass, each with the template's state `T`, in
/// order of first appearance.
pub(crate) struct Surveys<T> {
    /// Match key (folded names) → survey.
    index: FastMap<String, usize>,
    /// Names exactly as written → survey: most rows repeat a spelling seen
    /// before, and are found without folding it again.
    spelled: FastMap<String, usize>,
    surveys: Vec<(SurveyKey, T)>,
    /// Rows met per survey, to notice a survey_id that names responses.
    rows: Vec<u64>,
    /// Where the first row with a survey_id was.
    first_id_at: Option<Position>,
    key_buf: String,
    variants: Vec<Variant>,
    /// The template's name for the touchpoint field, for the warnings.
    touchpoint_field: &'static str,
}

impl<T> Surveys<T> {
    pub(crate) fn new(touchpoint_field: &'static str) -> Surveys<T> {
        Surveys {
            index: FastMap::default(),
            spelled: FastMap::default(),
            surveys: Vec::new(),
            rows: Vec::new(),
            first_id_at: None,
            key_buf: String::new(),
            variants: Vec::new(),
            touchpoint_field,
        }
    }

    /// The index of a row's survey, given its service, touchpoint, channel
    /// and survey_id (blank where the inputs have none); a new survey's
    /// state comes from `new`, given its match key. `at` is the row's
    /// position, for the warning when the names are a new spelling of a
    /// survey already met.
    pub(crate) fn find(
        &mut self,
        parts: [&str; 4],
        at: impl Fn() -> Position,
        new: impl FnOnce(&str) -> T,
    ) -> usize {
        self.key_buf.clear();
        for part in parts {
            self.key_buf.push_str(part);
            self.key_buf.push('\u{1f}');
        }
        if let Some(&i) = self.spelled.get(self.key_buf.as_str()) {
            self.rows[i] += 1;
            return i;
        }
        let spelled = self.key_buf.clone();
        let [service, touchpoint, channel, survey_id] = parts.map(str::trim);
        write_match_key(&mut self.key_buf, [service, touchpoint, channel, survey_id]);
        let i = match self.index.get(self.key_buf.as_str()) {
            Some(&i) => i,
            None => {
                let state = new(&self.key_buf);
                self.index.insert(self.key_buf.clone(), self.surveys.len());
                let key = SurveyKey {
                    service: service.to_string(),
                    touchpoint: touchpoint.to_string(),
                    channel: channel.to_string(),
                    survey_id: survey_id.to_string(),
                };
                if !key.survey_id.is_empty() && self.first_id_at.is_none() {
                    self.first_id_at = Some(at());
                }
                self.surveys.push((key, state));
                self.rows.push(0);
                self.surveys.len() - 1
            }
        };
        self.spelled.insert(spelled, i);
        self.rows[i] += 1;
        let first = &self.surveys[i].0;
        for (field, spelling, first) in [
            ("service", service, &first.service),
            (self.touchpoint_field, touchpoint, &first.touchpoint),
            ("survey_id", survey_id, &first.survey_id),
        ] {
            if spelling != first
                && self
                    .variants
                    .iter()
                    .filter(|v| v.counted_as == *first)
                    .count()
                    < MAX_VARIANTS_PER_SURVEY
                && !self.variants.iter().any(|v| v.spelling == spelling)
            {
                self.variants.push(Variant {
                    field,
                    spelling: spelling.to_string(),
                    counted_as: first.clone(),
                    at: at(),
                });
            }
        }
        i
    }

    pub(crate) fn get(&self, i: usize) -> &(SurveyKey, T) {
        &self.surveys[i]
    }

    pub(crate) fn get_mut(&mut self, i: usize) -> &mut (SurveyKey, T) {
        &mut self.surveys[i]
    }

    /// The surveys in order of first appearance; names counted together
    /// although spelled differently are reported, and so is a survey_id
    /// that differs on every row (a response's ID, not a survey's).
    pub(crate) fn finish(self, findings: &mut Findings) -> Vec<(SurveyKey, T)> {
        let with_id: Vec<usize> = (0..self.surveys.len())
            .filter(|&i| !self.surveys[i].0.survey_id.is_empty())
            .collect();
        if with_id.len() >= RESPONSE_IDS_AFTER
            && with_id.iter().all(|&i| self.rows[i] == 1)
            && let Some(at) = &self.first_id_at
        {
            findings.push(Issue::new(
                Kind::SurveyIdPerRow,
                Severity::Warning,
                at,
                Some("survey_id".into()),
                None,
                format!(
                    "survey_id is different on every one of {} rows, so each response is counted as a survey of its own: the column looks like the response's ID (Medallia, for one, calls each response a survey). Map it to response_id in the mapping file's [columns]",
                    with_id.len()
                ),
            ));
        }
        for v in self.variants {
            findings.push(Issue::new(
                Kind::SpellingVariant,
                Severity::Warning,
                &v.at,
                Some(v.field.into()),
                Some(v.spelling.clone()),
                format!(
                    "{} {:?} differs from {:?} only in letter case or spacing; both are counted as {:?}. Make the spellings agree if they are meant to be different surveys",
                    v.field, v.spelling, v.counted_as, v.counted_as
                ),
            ));
        }
        self.surveys
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn surveys_merge_case_and_spacing_variants() {
        let mut s: Surveys<u32> = Surveys::new("touchpoint");
        for (service, touchpoint, channel) in [
            ("Passport Renewal", "Online", "computer"),
            (" passport  renewal", "online ", "computer"),
            ("Passport Renewal", "Online", "phone"),
            ("Passport Renewal", "Online", "computer"),
        ] {
            let i = s.find([service, touchpoint, channel, ""], Position::default, |_| 0);
            s.get_mut(i).1 += 1;
        }
        let mut findings = Findings::new(10);
        let surveys = s.finish(&mut findings);
        assert_eq!(surveys.len(), 2);
        assert_eq!(surveys[0].0.service, "Passport Renewal");
        assert_eq!(surveys[0].1, 3);
        let spellings: Vec<_> = findings.warnings.iter().map(|w| w.value.clone()).collect();
        assert_eq!(
            spellings,
            [Some("passport  renewal".into()), Some("online".into())]
        );
    }

    #[test]
    fn a_survey_id_tells_surveys_apart_unless_it_names_every_row() {
        let mut s: Surveys<u32> = Surveys::new("touchpoint");
        for id in ["A", "B", "a ", ""] {
            let i = s.find(["S", "T", "phone", id], Position::default, |_| 0);
            s.get_mut(i).1 += 1;
        }
        let mut findings = Findings::new(10);
        let surveys = s.finish(&mut findings);
        let counts: Vec<(&str, u32)> = surveys
            .iter()
            .map(|(k, n)| (k.survey_id.as_str(), *n))
            .collect();
        assert_eq!(counts, [("A", 2), ("B", 1), ("", 1)]);
        assert_eq!(findings.warnings.len(), 1, "the spelling variant");

        let mut s: Surveys<u32> = Surveys::new("touchpoint");
        for id in 0..RESPONSE_IDS_AFTER {
            s.find(
                ["S", "T", "phone", &format!("R-{id}")],
                Position::default,
                |_| 0,
            );
        }
        let mut findings = Findings::new(10);
        s.finish(&mut findings);
        assert_eq!(findings.warnings[0].kind.slug(), "survey-id-per-row");
    }
}
