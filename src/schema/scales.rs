//! Other answer scales, recoded into the 1-5 the A-11 questions are
//! counted on: agencies field 0-10 ("how likely to recommend"), 1-10 and
//! 7-point questions beside the A-11 ones, and reversed 5-point scales
//! ("Press 1 for Strongly agree"). Each named scale is a fixed table, so a
//! recode can be stated in full in the report's notes.
//!
//! The 0-10, 1-10 and 7-point scales are rescaled linearly onto 1-5 and
//! rounded half away from zero, which gives bins symmetric about the
//! middle: 0-10 → {0,1} 1, {2,3} 2, {4,5,6} 3, {7,8} 4, {9,10} 5.
//! NPS groups detractors (0-6) as 1, passives (7-8) as 3, promoters (9-10)
//! as 5: its share agreeing is the promoters' share; its point scale is not
//! comparable with a 5-point question's.

use serde::Deserialize;
use std::collections::BTreeMap;

/// A `[scales]` entry: a scale's name, or a table of answer → 1-5.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub(crate) enum ScaleSpec {
    Named(String),
    Table(BTreeMap<String, i64>),
}

/// The names `[scales]` accepts.
pub(crate) const NAMES: [&str; 6] = ["reverse", "1-7", "7-1", "1-10", "0-10", "nps"];

/// A scale resolved: (answer as written, answer counted) for every answer.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Scale {
    pub(crate) name: String,
    pub(crate) recode: Vec<(i64, i64)>,
}

impl ScaleSpec {
    /// The recode, or why the entry is wrong.
    pub(crate) fn resolve(&self) -> Result<Scale, String> {
        match self {
            ScaleSpec::Named(name) => {
                let name = name.trim().to_ascii_lowercase();
                let recode = match name.as_str() {
                    "reverse" | "5-1" => (1..=5).map(|v| (v, 6 - v)).collect(),
                    "1-7" => rescale(1, 7, false),
                    "7-1" => rescale(1, 7, true),
                    "1-10" => rescale(1, 10, false),
                    "0-10" => rescale(0, 10, false),
                    "nps" => (0..=10).map(|v| (v, nps_group(v))).collect(),
                    _ => {
                        return Err(format!(
                            "{name:?} is not a scale hisp knows; scales are {}, or a table such as {{ \"7\" = 5, \"6\" = 4 }}",
                            NAMES.join(", ")
                        ));
                    }
                };
                Ok(Scale { name, recode })
            }
            ScaleSpec::Table(table) => {
                let mut recode = Vec::new();
                for (written, &counted) in table {
                    let Ok(w) = written.trim().parse::<i64>() else {
                        return Err(format!(
                            "{written:?} is not a whole number; a scale table maps numeric answers to 1-5 (labels go in [labels])"
                        ));
                    };
                    if !(1..=5).contains(&counted) {
                        return Err(format!(
                            "{written:?} = {counted}: answers are counted 1 to 5"
                        ));
                    }
                    recode.push((w, counted));
                }
                recode.sort_unstable();
                Ok(Scale {
                    name: "table".into(),
                    recode,
                })
            }
        }
    }
}

/// Detractors (0-6) 1, passives (7-8) 3, promoters (9-10) 5.
fn nps_group(answer: i64) -> i64 {
    match answer {
        ..=6 => 1,
        7 | 8 => 3,
        _ => 5,
    }
}

/// `lo..=hi` onto 1-5, rounded half away from zero (reversed: `hi` is 1).
fn rescale(lo: i64, hi: i64, reversed: bool) -> Vec<(i64, i64)> {
    (lo..=hi)
        .map(|v| {
            let at = if reversed { hi - v } else { v - lo };
            let counted = 1.0 + (at as f64) * 4.0 / ((hi - lo) as f64);
            (v, counted.round() as i64)
        })
        .collect()
}

impl Scale {
    /// "0-10 scale recoded to 1-5: 0-1 → 1, 2-3 → 2, 4-6 → 3, 7-8 → 4, 9-10 → 5".
    pub(crate) fn describe(&self) -> String {
        let mut groups: Vec<(i64, i64, i64)> = Vec::new();
        for &(w, c) in &self.recode {
            match groups.last_mut() {
                Some((_, last, counted)) if *counted == c && *last + 1 == w => *last = w,
                _ => groups.push((w, w, c)),
            }
        }
        let bins: Vec<String> = groups
            .iter()
            .map(|&(a, b, c)| {
                if a == b {
                    format!("{a} → {c}")
                } else {
                    format!("{a}-{b} → {c}")
                }
            })
            .collect();
        let what = match self.name.as_str() {
            "table" => "answers recoded by the mapping file's table".to_string(),
            "reverse" | "5-1" => "a reversed 5-point scale recoded".to_string(),
            "nps" => "NPS groups (detractors, passives, promoters) recoded".to_string(),
            name => format!("a {name} scale recoded to 1-5"),
        };
        format!("{what}: {}", bins.join(", "))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn named(name: &str) -> Vec<i64> {
        let scale = ScaleSpec::Named(name.into()).resolve().unwrap();
        scale.recode.iter().map(|(_, c)| *c).collect()
    }

    #[test]
    fn named_scales_have_the_documented_bins() {
        assert_eq!(named("0-10"), [1, 1, 2, 2, 3, 3, 3, 4, 4, 5, 5]);
        assert_eq!(named("1-10"), [1, 1, 2, 2, 3, 3, 4, 4, 5, 5]);
        assert_eq!(named("1-7"), [1, 2, 2, 3, 4, 4, 5]);
        assert_eq!(named("7-1"), [5, 4, 4, 3, 2, 2, 1]);
        assert_eq!(named("reverse"), [5, 4, 3, 2, 1]);
        assert_eq!(named("NPS"), [1, 1, 1, 1, 1, 1, 1, 3, 3, 5, 5]);
        let scale = ScaleSpec::Named("0-10".into()).resolve().unwrap();
        assert_eq!(
            scale.describe(),
            "a 0-10 scale recoded to 1-5: 0-1 → 1, 2-3 → 2, 4-6 → 3, 7-8 → 4, 9-10 → 5"
        );
    }

    #[test]
    fn tables_and_mistakes() {
        let table: BTreeMap<String, i64> = [("7".to_string(), 5), ("6".to_string(), 4)]
            .into_iter()
            .collect();
        let scale = ScaleSpec::Table(table).resolve().unwrap();
        assert_eq!(scale.recode, [(6, 4), (7, 5)]);
        assert!(ScaleSpec::Named("1-9".into()).resolve().is_err());
        let bad: BTreeMap<String, i64> = [("Great".to_string(), 5)].into_iter().collect();
        assert!(ScaleSpec::Table(bad).resolve().is_err());
        let bad: BTreeMap<String, i64> = [("10".to_string(), 6)].into_iter().collect();
        assert!(ScaleSpec::Table(bad).resolve().is_err());
    }
}
