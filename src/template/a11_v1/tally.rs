//! Counting answers per survey (service × touchpoint × channel), and the
//! statistics OMB publishes: point scale (mean on 1–5, 2 decimals) and
//! percent agree (share of 4–5).

use serde::Serialize;

use crate::tally::rollup::{Merge, hundredths, response_rate};

/// Questions q1…q11: the seven A-11 questions and four optional ones.
pub(crate) const QUESTIONS: usize = 11;
/// The A-11 questions that make a row a respondent.
pub(crate) const CORE_QUESTIONS: usize = 7;

/// The questions' keys, q1…q11 in order.
pub(crate) const QUESTION_KEYS: [&str; QUESTIONS] = [
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

pub(crate) type Answers = [Option<u8>; QUESTIONS];

/// Counts of 1…5 per question, respondents and rows.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Tally {
    pub(crate) counts: [[u64; 5]; QUESTIONS],
    /// Rows with at least one of the seven A-11 questions answered.
    pub(crate) respondents: u64,
    /// Valid rows in the quarter, including empty responses.
    pub(crate) rows: u64,
}

impl Tally {
    pub(crate) fn add(&mut self, answers: &Answers) {
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

    pub(crate) fn question(&self, q: usize) -> QuestionStats {
        QuestionStats::from_counts(self.counts[q])
    }
}

pub(crate) fn is_respondent(answers: &Answers) -> bool {
    answers[..CORE_QUESTIONS].iter().any(Option::is_some)
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub(crate) struct QuestionStats {
    pub(crate) counts: [u64; 5],
    pub(crate) response_volume: u64,
    /// Mean answer on 1–5, rounded half up to 2 decimals; none when unanswered.
    pub(crate) point_scale: Option<f64>,
    /// Percent (0–100) answering 4 or 5, rounded half up to 2 decimals.
    pub(crate) percent_agree: Option<f64>,
    /// Its 95% Wilson score interval, in percent (2 decimals).
    pub(crate) agree_ci_low: Option<f64>,
    pub(crate) agree_ci_high: Option<f64>,
}

impl QuestionStats {
    pub(crate) fn from_counts(counts: [u64; 5]) -> QuestionStats {
        let n: u64 = counts.iter().sum();
        let weighted: u64 = counts
            .iter()
            .enumerate()
            .map(|(i, c)| (i as u64 + 1) * c)
            .sum();
        let agree = counts[3] + counts[4];
        let ci = crate::stats::wilson_percent(agree, n);
        QuestionStats {
            counts,
            response_volume: n,
            point_scale: hundredths(weighted, n),
            percent_agree: hundredths(agree * 100, n),
            agree_ci_low: ci.map(|c| c.0),
            agree_ci_high: ci.map(|c| c.1),
        }
    }
}

/// Totals over several surveys: one service, or all of them.
pub(crate) type Rollup = crate::tally::rollup::Rollup<Tally>;

impl Merge for Tally {
    fn merge(&mut self, other: &Tally) {
        for (mine, theirs) in self.counts.iter_mut().zip(&other.counts) {
            for (m, t) in mine.iter_mut().zip(theirs) {
                *m += t;
            }
        }
        self.respondents += other.respondents;
        self.rows += other.rows;
    }
}

/// Respondents ÷ customers offered the survey, as a percentage.
pub(crate) fn rollup_response_rate(r: &Rollup) -> Option<f64> {
    response_rate(r.results.respondents, r.offered?)
}

/// Which of q8…q11 have any answer in these tallies: the optional questions
/// are shown only when used.
pub(crate) fn questions_in_use<'a>(tallies: impl Iterator<Item = &'a Tally>) -> Vec<usize> {
    let mut used = [false; QUESTIONS];
    used[..CORE_QUESTIONS].fill(true);
    for t in tallies {
        for (q, counts) in t.counts.iter().enumerate() {
            used[q] |= counts.iter().any(|c| *c > 0);
        }
    }
    (0..QUESTIONS).filter(|q| used[*q]).collect()
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
        // 9 / 15 = 60%, and its Wilson interval
        assert_eq!(s.percent_agree, Some(60.0));
        assert_eq!(
            (s.agree_ci_low, s.agree_ci_high),
            (Some(35.75), Some(80.18))
        );
        let none = QuestionStats::from_counts([0; 5]);
        assert_eq!((none.point_scale, none.percent_agree), (None, None));
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
}
