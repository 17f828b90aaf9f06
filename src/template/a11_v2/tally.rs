//! A-11 v2 counts: the trust answer (thumbs up/down or 1-5) and the
//! "what went well / what didn't" drivers. A survey's type decides which
//! answers are positive and may only be known part-way through the pass, so
//! counts are kept per `question_1` value and read as positive or negative
//! at the end.

use serde::Serialize;

use crate::tally::manifest::Counted;
use crate::tally::rollup::{Merge, Rollup, hundredths};

/// The seven driver codes, in upload-column order.
pub const DRIVERS: [&str; 7] = [
    "effectiveness",
    "ease",
    "efficiency",
    "transparency",
    "humanity",
    "employee",
    "other",
];

/// The Touchpoints upload columns, in the order the upload requires.
pub const UPLOAD_COLUMNS: [&str; 17] = [
    "external_id",
    "question_1",
    "positive_effectiveness",
    "positive_ease",
    "positive_efficiency",
    "positive_transparency",
    "positive_humanity",
    "positive_employee",
    "positive_other",
    "negative_effectiveness",
    "negative_ease",
    "negative_efficiency",
    "negative_transparency",
    "negative_humanity",
    "negative_employee",
    "negative_other",
    "question_4",
];

/// 7 positive then 7 negative driver cells: `Some(0|1)`, or `None` when the
/// driver was not offered (`null` or blank).
pub(crate) type Drivers = [Option<u8>; 14];

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum SurveyType {
    ThumbsUpDown,
    LikertScale,
}

impl SurveyType {
    pub(crate) fn code(self) -> &'static str {
        match self {
            SurveyType::ThumbsUpDown => "thumbs_up_down",
            SurveyType::LikertScale => "likert_scale",
        }
    }

    pub(crate) fn from_code(code: &str) -> Option<SurveyType> {
        match code {
            "thumbs_up_down" => Some(SurveyType::ThumbsUpDown),
            "likert_scale" => Some(SurveyType::LikertScale),
            _ => None,
        }
    }

    /// Whether an answer to the trust question is positive; `None` when the
    /// answer is not on this survey's scale.
    pub(crate) fn is_positive(self, q1: u8) -> Option<bool> {
        match (self, q1) {
            (SurveyType::ThumbsUpDown, 0 | 1) => Some(q1 == 1),
            (SurveyType::LikertScale, 1..=5) => Some(q1 >= 4),
            _ => None,
        }
    }

    /// The type an answer proves, if only one type allows it.
    pub(super) fn proven_by(q1: u8) -> Option<SurveyType> {
        match q1 {
            0 => Some(SurveyType::ThumbsUpDown),
            2..=5 => Some(SurveyType::LikertScale),
            _ => None,
        }
    }
}

/// How a survey's type was settled.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "snake_case", tag = "from")]
pub(crate) enum TypeSource {
    Manifest,
    /// From the first answer only one type allows.
    Answer {
        file: String,
        row: u64,
        value: u8,
    },
    /// From the first answer label only one type has (`Yes`, `Agree`).
    Label {
        file: String,
        row: u64,
        label: String,
    },
    /// From the survey_type column (or --set survey_type=…).
    Given {
        file: String,
        row: u64,
    },
    /// Every answer was 1, which both types allow: thumbs up/down assumed.
    Assumed,
}

/// Counts kept per `question_1` value (0–5).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct TrustTally {
    pub(crate) rows: u64,
    pub(crate) by_answer: [u64; 6],
    /// Ticks (1) per answer and driver cell.
    pub(crate) ticks: [[u64; 14]; 6],
    /// Offered (0 or 1, not null) per answer and driver cell.
    pub(crate) offered: [[u64; 14]; 6],
}

impl TrustTally {
    pub(crate) fn add(&mut self, q1: u8, drivers: &Drivers) {
        let a = q1 as usize;
        self.rows += 1;
        self.by_answer[a] += 1;
        for (d, cell) in drivers.iter().enumerate() {
            if let Some(v) = cell {
                self.offered[a][d] += 1;
                self.ticks[a][d] += u64::from(*v);
            }
        }
    }

    /// The published results, once the survey's type is known.
    pub(crate) fn results(&self, survey_type: SurveyType) -> TrustResults {
        let mut r = TrustResults {
            respondents: self.rows,
            ..TrustResults::default()
        };
        for a in 0..=5u8 {
            let n = self.by_answer[a as usize];
            let Some(positive) = survey_type.is_positive(a) else {
                continue;
            };
            let side = if positive { 0 } else { 7 };
            if positive {
                r.trust_positive += n;
            } else {
                r.trust_negative += n;
            }
            for d in 0..7 {
                let (ticks, offered) = (
                    self.ticks[a as usize][side + d],
                    self.offered[a as usize][side + d],
                );
                if positive {
                    r.positive[d] += ticks;
                    r.positive_offered[d] += offered;
                } else {
                    r.negative[d] += ticks;
                    r.negative_offered[d] += offered;
                }
            }
            if survey_type == SurveyType::LikertScale {
                r.likert[a as usize - 1] += n;
            }
        }
        r.likert_surveys = u64::from(survey_type == SurveyType::LikertScale);
        r
    }
}

/// A survey's (or a roll-up's) trust and driver results.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub(crate) struct TrustResults {
    /// Response rows in the quarter.
    pub(crate) respondents: u64,
    pub(crate) trust_positive: u64,
    pub(crate) trust_negative: u64,
    /// Counts of 1…5 (Likert surveys only).
    pub(crate) likert: [u64; 5],
    /// Ticks among positive responses, per driver.
    pub(crate) positive: [u64; 7],
    /// Positive responses that were offered each driver.
    pub(crate) positive_offered: [u64; 7],
    pub(crate) negative: [u64; 7],
    pub(crate) negative_offered: [u64; 7],
    /// How many Likert surveys these results include.
    pub(crate) likert_surveys: u64,
}

impl TrustResults {
    /// Positive ÷ (positive + negative), as a percentage, 2 decimals.
    pub(crate) fn trust_positive_share(&self) -> Option<f64> {
        hundredths(
            self.trust_positive * 100,
            self.trust_positive + self.trust_negative,
        )
    }

    /// Mean of the Likert answers, 2 decimals.
    pub(crate) fn point_scale(&self) -> Option<f64> {
        let n: u64 = self.likert.iter().sum();
        let weighted: u64 = self
            .likert
            .iter()
            .enumerate()
            .map(|(i, c)| (i as u64 + 1) * c)
            .sum();
        hundredths(weighted, n)
    }

    /// Share of the responses offered a driver that ticked it, percent.
    pub(crate) fn share(ticks: u64, offered: u64) -> Option<f64> {
        hundredths(ticks * 100, offered)
    }

    /// The 95% Wilson interval of the trust share, in percent.
    pub(crate) fn trust_ci(&self) -> Option<(f64, f64)> {
        crate::stats::wilson_percent(
            self.trust_positive,
            self.trust_positive + self.trust_negative,
        )
    }

    /// The `n` most ticked drivers of one side, most first (ties in driver
    /// order), and any tied with the last of them: a cut through a tie
    /// would hide drivers as often ticked as one it shows.
    pub(crate) fn top(&self, positive: bool, n: usize) -> Vec<&'static str> {
        let ticks = if positive {
            &self.positive
        } else {
            &self.negative
        };
        let mut order: Vec<usize> = (0..7).filter(|&d| ticks[d] > 0).collect();
        order.sort_by_key(|&d| std::cmp::Reverse(ticks[d]));
        let Some(&last) = order.get(n.saturating_sub(1)) else {
            return order.into_iter().map(|d| DRIVERS[d]).collect();
        };
        order
            .into_iter()
            .take_while(|&d| ticks[d] >= ticks[last])
            .map(|d| DRIVERS[d])
            .collect()
    }
}

/// A survey's counts, with its type and how the type was settled.
#[derive(Debug, Clone)]
pub(crate) struct TrustCounts {
    pub(crate) tally: TrustTally,
    pub(crate) survey_type: SurveyType,
    pub(crate) type_source: TypeSource,
}

impl Default for TrustCounts {
    fn default() -> Self {
        TrustCounts {
            tally: TrustTally::default(),
            survey_type: SurveyType::ThumbsUpDown,
            type_source: TypeSource::Assumed,
        }
    }
}

impl TrustCounts {
    pub(crate) fn results(&self) -> TrustResults {
        self.tally.results(self.survey_type)
    }
}

impl Counted for TrustCounts {
    fn respondents(&self) -> u64 {
        self.tally.rows
    }
}

/// Results over several surveys: one service, or all.
pub(crate) type TrustRollup = Rollup<TrustResults>;

impl Merge for TrustResults {
    fn merge(&mut self, other: &TrustResults) {
        self.respondents += other.respondents;
        self.trust_positive += other.trust_positive;
        self.trust_negative += other.trust_negative;
        self.likert_surveys += other.likert_surveys;
        let add = |a: &mut [u64], b: &[u64]| a.iter_mut().zip(b).for_each(|(x, y)| *x += y);
        add(&mut self.likert, &other.likert);
        add(&mut self.positive, &other.positive);
        add(&mut self.positive_offered, &other.positive_offered);
        add(&mut self.negative, &other.negative);
        add(&mut self.negative_offered, &other.negative_offered);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thumbs_and_likert_results() {
        let mut t = TrustTally::default();
        let mut d: Drivers = [Some(0); 14];
        d[0] = Some(1); // positive effectiveness
        t.add(1, &d);
        t.add(1, &d);
        let mut n: Drivers = [None; 14];
        n[8] = Some(1); // negative ease
        t.add(0, &n);
        let r = t.results(SurveyType::ThumbsUpDown);
        assert_eq!(
            (r.respondents, r.trust_positive, r.trust_negative),
            (3, 2, 1)
        );
        assert_eq!(r.positive[0], 2);
        assert_eq!(r.positive_offered[0], 2);
        assert_eq!(
            (r.negative[1], r.negative_offered[1], r.negative_offered[0]),
            (1, 1, 0)
        );
        assert_eq!(r.trust_positive_share(), Some(66.67));
        assert_eq!(r.top(true, 3), vec!["effectiveness"]);
        // Drivers tied with the third are listed too.
        let tied = TrustResults {
            positive: [5, 4, 3, 0, 3, 3, 1],
            ..TrustResults::default()
        };
        assert_eq!(
            tied.top(true, 3),
            vec![
                "effectiveness",
                "ease",
                "efficiency",
                "humanity",
                "employee"
            ]
        );
        let fewer = TrustResults {
            positive: [0, 2, 0, 0, 0, 0, 0],
            ..TrustResults::default()
        };
        assert_eq!(fewer.top(true, 3), vec!["ease"]);

        let mut l = TrustTally::default();
        for a in [1, 2, 3, 4, 5, 5] {
            l.add(a, &[None; 14]);
        }
        let r = l.results(SurveyType::LikertScale);
        assert_eq!((r.trust_positive, r.trust_negative), (3, 3));
        assert_eq!(r.likert, [1, 1, 1, 1, 2]);
        assert_eq!(r.point_scale(), Some(3.33));
    }

    #[test]
    fn answers_prove_types() {
        assert_eq!(SurveyType::proven_by(0), Some(SurveyType::ThumbsUpDown));
        assert_eq!(SurveyType::proven_by(1), None);
        assert_eq!(SurveyType::proven_by(4), Some(SurveyType::LikertScale));
        assert_eq!(SurveyType::LikertScale.is_positive(0), None);
        assert_eq!(SurveyType::ThumbsUpDown.is_positive(3), None);
    }
}
