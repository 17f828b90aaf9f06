//! TALLY: the surveys a pass finds (service × touchpoint × channel, names
//! folded so that spellings differing only in case or spacing are one
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
}

impl SurveyKey {
    /// The key used for matching: case and runs of spaces ignored.
    pub(crate) fn match_key(&self) -> String {
        let mut key = String::new();
        write_match_key(&mut key, &self.service, &self.touchpoint, &self.channel);
        key
    }

    /// "service / touchpoint / channel", leaving out blank parts.
    pub(crate) fn label(&self) -> String {
        [self.service.as_str(), &self.touchpoint, &self.channel]
            .iter()
            .filter(|p| !p.is_empty())
            .copied()
            .collect::<Vec<_>>()
            .join(" / ")
    }
}

/// Write the match key into a reused buffer (the per-row path).
fn write_match_key(out: &mut String, service: &str, touchpoint: &str, channel: &str) {
    out.clear();
    push_folded(out, service);
    out.push('\u{1f}');
    push_folded(out, touchpoint);
    out.push('\u{1f}');
    out.push_str(channel);
}

/// A name spelled differently from the survey's first spelling.
struct Variant {
    field: &'static str,
    spelling: String,
    counted_as: String,
    at: Position,
}

const MAX_VARIANTS_PER_SURVEY: usize = 3;

/// The surveys met during a pass, each with the template's state `T`, in
/// order of first appearance.
pub(crate) struct Surveys<T> {
    /// Match key (folded names) → survey.
    index: FastMap<String, usize>,
    /// Names exactly as written → survey: most rows repeat a spelling seen
    /// before, and are found without folding it again.
    spelled: FastMap<String, usize>,
    surveys: Vec<(SurveyKey, T)>,
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
            key_buf: String::new(),
            variants: Vec::new(),
            touchpoint_field,
        }
    }

    /// The index of a row's survey; a new survey's state comes from `new`,
    /// given its match key. `at` is the row's position, for the warning
    /// when the names are a new spelling of a survey already met.
    pub(crate) fn find(
        &mut self,
        service: &str,
        touchpoint: &str,
        channel: &str,
        at: impl Fn() -> Position,
        new: impl FnOnce(&str) -> T,
    ) -> usize {
        self.key_buf.clear();
        for part in [service, touchpoint, channel] {
            self.key_buf.push_str(part);
            self.key_buf.push('\u{1f}');
        }
        if let Some(&i) = self.spelled.get(self.key_buf.as_str()) {
            return i;
        }
        let spelled = self.key_buf.clone();
        let (service, touchpoint) = (service.trim(), touchpoint.trim());
        write_match_key(&mut self.key_buf, service, touchpoint, channel);
        let i = match self.index.get(self.key_buf.as_str()) {
            Some(&i) => i,
            None => {
                let state = new(&self.key_buf);
                self.index.insert(self.key_buf.clone(), self.surveys.len());
                let key = SurveyKey {
                    service: service.to_string(),
                    touchpoint: touchpoint.to_string(),
                    channel: channel.to_string(),
                };
                self.surveys.push((key, state));
                self.surveys.len() - 1
            }
        };
        self.spelled.insert(spelled, i);
        let first = &self.surveys[i].0;
        for (field, spelling, first) in [
            ("service", service, &first.service),
            (self.touchpoint_field, touchpoint, &first.touchpoint),
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
    /// although spelled differently are reported.
    pub(crate) fn finish(self, findings: &mut Findings) -> Vec<(SurveyKey, T)> {
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
            let i = s.find(service, touchpoint, channel, Position::default, |_| 0);
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
}
