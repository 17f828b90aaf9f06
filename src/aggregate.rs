//! Counting answers per survey (service × touchpoint × channel), and the
//! statistics OMB publishes: point scale (mean on 1–5, 2 decimals) and
//! percent agree (share of 4–5).

use serde::Serialize;
use std::collections::HashMap;

use crate::issue::Position;

/// Questions q1…q11: the seven A-11 questions and four optional ones.
pub const QUESTIONS: usize = 11;
/// The A-11 questions that make a row a respondent.
pub const CORE_QUESTIONS: usize = 7;

/// The questions' keys, q1…q11 in order.
pub const QUESTION_KEYS: [&str; QUESTIONS] = [
    "satisfaction",
    "trust",
    "effectiveness",
    "ease",
    "efficiency",
    "transparency",
    "employee",
    "q8",
    "q9",
    "q10",
    "q11",
];

pub type Answers = [Option<u8>; QUESTIONS];

/// Counts of 1…5 per question, respondents and rows.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Tally {
    pub counts: [[u64; 5]; QUESTIONS],
    /// Rows with at least one of the seven A-11 questions answered.
    pub respondents: u64,
    /// Valid rows in the quarter, including empty responses.
    pub rows: u64,
}

impl Tally {
    pub fn add(&mut self, answers: &Answers) {
        self.rows += 1;
        for (q, answer) in answers.iter().enumerate() {
            if let Some(a @ 1..=5) = answer {
                self.counts[q][*a as usize - 1] += 1;
            }
        }
        if is_respondent(answers) {
            self.respondents += 1;
        }
    }

    pub fn merge(&mut self, other: &Tally) {
        for (mine, theirs) in self.counts.iter_mut().zip(&other.counts) {
            for (m, t) in mine.iter_mut().zip(theirs) {
                *m += t;
            }
        }
        self.respondents += other.respondents;
        self.rows += other.rows;
    }

    pub fn question(&self, q: usize) -> QuestionStats {
        QuestionStats::from_counts(self.counts[q])
    }
}

pub fn is_respondent(answers: &Answers) -> bool {
    answers[..CORE_QUESTIONS].iter().any(Option::is_some)
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct QuestionStats {
    pub counts: [u64; 5],
    pub response_volume: u64,
    /// Mean answer on 1–5, rounded half up to 2 decimals; none when unanswered.
    pub point_scale: Option<f64>,
    /// Percent (0–100) answering 4 or 5, rounded half up to 2 decimals.
    pub percent_agree: Option<f64>,
}

impl QuestionStats {
    pub fn from_counts(counts: [u64; 5]) -> QuestionStats {
        let n: u64 = counts.iter().sum();
        let weighted: u64 = counts
            .iter()
            .enumerate()
            .map(|(i, c)| (i as u64 + 1) * c)
            .sum();
        QuestionStats {
            counts,
            response_volume: n,
            point_scale: hundredths(weighted, n),
            percent_agree: hundredths((counts[3] + counts[4]) * 100, n),
        }
    }
}

/// `num / den` rounded half up to 2 decimals, in exact integer arithmetic so
/// results never depend on binary floating point.
pub fn hundredths(num: u64, den: u64) -> Option<f64> {
    if den == 0 {
        return None;
    }
    let num = u128::from(num) * 100;
    let den = u128::from(den);
    let rounded = (2 * num + den) / (2 * den);
    Some(rounded as f64 / 100.0)
}

/// Totals over several surveys: one service, or all of them.
#[derive(Debug, Clone, Default)]
pub struct Rollup {
    pub name: String,
    pub surveys: usize,
    pub tally: Tally,
    /// Customers offered the survey, when known for every survey included.
    pub offered: Option<u64>,
}

impl Rollup {
    pub fn add(&mut self, tally: &Tally, offered: Option<u64>) {
        self.offered = add_offered(self.surveys, self.offered, offered);
        self.surveys += 1;
        self.tally.merge(tally);
    }

    /// Respondents ÷ customers offered the survey, as a percentage.
    pub fn response_rate(&self) -> Option<f64> {
        response_rate(self.tally.respondents, self.offered?)
    }
}

/// Customers offered the survey over several surveys: known only when it is
/// known for every one (`surveys` is how many were added before).
pub fn add_offered(surveys: usize, sum: Option<u64>, next: Option<u64>) -> Option<u64> {
    match (surveys, sum, next) {
        (0, _, next) => next,
        (_, Some(a), Some(b)) => Some(a + b),
        _ => None,
    }
}

/// Which of q8…q11 have any answer in these tallies: the optional questions
/// are shown only when used.
pub fn questions_in_use<'a>(tallies: impl Iterator<Item = &'a Tally>) -> Vec<usize> {
    let mut used = [false; QUESTIONS];
    used[..CORE_QUESTIONS].fill(true);
    for t in tallies {
        for (q, counts) in t.counts.iter().enumerate() {
            used[q] |= counts.iter().any(|c| *c > 0);
        }
    }
    (0..QUESTIONS).filter(|q| used[*q]).collect()
}

/// Respondents ÷ customers offered, as an unrounded percentage: response
/// rates are often well under 1%, so rounding is left to the display.
pub fn response_rate(respondents: u64, offered: u64) -> Option<f64> {
    (offered > 0).then(|| respondents as f64 * 100.0 / offered as f64)
}

/// Round for display in CSV and JSON (the workbook keeps full precision).
pub fn round_to(x: f64, decimals: i32) -> f64 {
    let scale = 10f64.powi(decimals);
    (x * scale).round() / scale
}

/// A survey's identity as reported.
#[derive(Debug, Clone, Default, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct SurveyKey {
    pub service: String,
    pub touchpoint: String,
    pub channel: String,
}

impl SurveyKey {
    /// The key used for matching: case and runs of spaces ignored.
    pub fn match_key(&self) -> String {
        match_key(&self.service, &self.touchpoint, &self.channel)
    }
}

pub fn match_key(service: &str, touchpoint: &str, channel: &str) -> String {
    let mut key = String::new();
    write_match_key(&mut key, service, touchpoint, channel);
    key
}

/// Write the match key into a reused buffer (the per-row path).
pub fn write_match_key(out: &mut String, service: &str, touchpoint: &str, channel: &str) {
    out.clear();
    push_folded(out, service);
    out.push('\u{1f}');
    push_folded(out, touchpoint);
    out.push('\u{1f}');
    out.push_str(channel);
}

/// Lower-case, trimmed, inner whitespace collapsed to one space.
pub fn push_folded(out: &mut String, text: &str) {
    for (i, word) in text.split_whitespace().enumerate() {
        if i > 0 {
            out.push(' ');
        }
        if word.is_ascii() {
            // The common case, without per-character Unicode case tables.
            let start = out.len();
            out.push_str(word);
            out[start..].make_ascii_lowercase();
        } else {
            for c in word.chars() {
                out.extend(c.to_lowercase());
            }
        }
    }
}

/// A name spelled differently from the survey's first spelling.
#[derive(Debug, Clone)]
pub struct Variant {
    pub field: &'static str,
    pub spelling: String,
    pub counted_as: String,
    pub at: Position,
}

#[derive(Debug, Clone)]
pub struct Survey {
    pub key: SurveyKey,
    pub tally: Tally,
}

/// Accumulates tallies keyed by survey during the pass.
#[derive(Default)]
pub struct Aggregator {
    /// Match key (folded names) → survey.
    index: FastMap<String, usize>,
    /// Names exactly as written → survey: most rows repeat a spelling seen
    /// before, and are counted without folding it again.
    spelled: FastMap<String, usize>,
    surveys: Vec<Survey>,
    key_buf: String,
    pub variants: Vec<Variant>,
}

/// A hash map with a fast hasher, for keys hisp builds itself.
pub type FastMap<K, V> = HashMap<K, V, foldhash::fast::RandomState>;

const MAX_VARIANTS_PER_SURVEY: usize = 3;

impl Aggregator {
    pub fn add(
        &mut self,
        service: &str,
        touchpoint: &str,
        channel: &str,
        answers: &Answers,
        at: impl Fn() -> Position,
    ) {
        self.key_buf.clear();
        for part in [service, touchpoint, channel] {
            self.key_buf.push_str(part);
            self.key_buf.push('\u{1f}');
        }
        if let Some(&i) = self.spelled.get(self.key_buf.as_str()) {
            self.surveys[i].tally.add(answers);
            return;
        }
        let spelled = self.key_buf.clone();
        let (service, touchpoint) = (service.trim(), touchpoint.trim());
        write_match_key(&mut self.key_buf, service, touchpoint, channel);
        let i = match self.index.get(self.key_buf.as_str()) {
            Some(&i) => i,
            None => {
                self.index.insert(self.key_buf.clone(), self.surveys.len());
                self.surveys.push(Survey {
                    key: SurveyKey {
                        service: service.to_string(),
                        touchpoint: touchpoint.to_string(),
                        channel: channel.to_string(),
                    },
                    tally: Tally::default(),
                });
                self.surveys.len() - 1
            }
        };
        self.spelled.insert(spelled, i);
        let survey = &mut self.surveys[i];
        survey.tally.add(answers);
        for (field, spelling, first) in [
            ("service", service, &survey.key.service),
            ("touchpoint", touchpoint, &survey.key.touchpoint),
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
    }

    /// The surveys, sorted by service, touchpoint and channel.
    pub fn finish(self) -> (Vec<Survey>, Vec<Variant>) {
        let mut surveys = self.surveys;
        surveys.sort_by_cached_key(|s| (s.key.match_key(), s.key.clone()));
        (surveys, self.variants)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn point_scale_and_percent_agree() {
        let s = QuestionStats::from_counts([1, 2, 3, 4, 5]);
        assert_eq!(s.response_volume, 15);
        // (1 + 4 + 9 + 16 + 25) / 15 = 3.6667
        assert_eq!(s.point_scale, Some(3.67));
        // 9 / 15 = 60%
        assert_eq!(s.percent_agree, Some(60.0));
        let none = QuestionStats::from_counts([0; 5]);
        assert_eq!((none.point_scale, none.percent_agree), (None, None));
    }

    #[test]
    fn rounding_is_half_up_and_exact() {
        // 4.125 → 4.13, 4.005 → 4.01 (not 4.0 as binary floats would give)
        assert_eq!(hundredths(33, 8), Some(4.13));
        assert_eq!(hundredths(801, 200), Some(4.01));
        assert_eq!(hundredths(2, 3), Some(0.67));
        assert_eq!(hundredths(1, 3), Some(0.33));
    }

    #[test]
    fn tally_counts_respondents() {
        let mut t = Tally::default();
        let mut a: Answers = [None; QUESTIONS];
        t.add(&a);
        a[7] = Some(5); // q8 alone does not make a respondent
        t.add(&a);
        a[0] = Some(4);
        t.add(&a);
        assert_eq!((t.rows, t.respondents), (3, 1));
        assert_eq!(t.counts[0], [0, 0, 0, 1, 0]);
        assert_eq!(t.counts[7], [0, 0, 0, 0, 2]);
    }

    #[test]
    fn folding_ignores_case_and_spacing() {
        let mut s = String::new();
        push_folded(&mut s, "  Passport   RENEWAL ");
        assert_eq!(s, "passport renewal");
        s.clear();
        push_folded(&mut s, "Über Straße");
        assert_eq!(s, "über straße");
    }

    #[test]
    fn surveys_merge_case_and_spacing_variants() {
        let mut agg = Aggregator::default();
        let a: Answers = [Some(5); QUESTIONS];
        agg.add(
            "Passport Renewal",
            "Online",
            "computer",
            &a,
            Position::default,
        );
        agg.add(
            " passport  renewal",
            "online ",
            "computer",
            &a,
            Position::default,
        );
        agg.add("Passport Renewal", "Online", "phone", &a, Position::default);
        let (surveys, variants) = agg.finish();
        assert_eq!(surveys.len(), 2);
        assert_eq!(surveys[0].tally.respondents, 2);
        assert_eq!(surveys[0].key.service, "Passport Renewal");
        assert_eq!(variants.len(), 2);
        assert_eq!(variants[0].spelling, "passport  renewal");
        assert_eq!(variants[1].spelling, "online");
    }
}
