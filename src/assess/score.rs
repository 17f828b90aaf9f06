//! Scoring a filled form: one point per "yes", a score per function and a
//! total; the CX level the total gives; the focus areas (the form's, else
//! the two lowest-scoring functions, proposed); the maturity level (the
//! lowest level picked, since levels cannot be skipped) with what holds it
//! back and the tactics to reach the next one; a roll-up over forms; the
//! change since last year.

use serde::Serialize;

use super::form::{Form, Item};
use super::read::Filled;

/// The CX level cut-offs: a total up to the first is level 1, up to the
/// second level 2, above it level 3 (the form's own, or `--levels 10,20`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(crate) struct Cutoffs(pub(crate) Vec<u32>);

impl Cutoffs {
    pub(crate) fn of(form: &Form) -> Cutoffs {
        let n = form.cx_levels.len();
        Cutoffs(form.cx_levels[..n - 1].iter().map(|l| l.up_to).collect())
    }

    /// The level (1-based) a total gives.
    fn level(&self, total: u32) -> u32 {
        self.0.iter().take_while(|&&up_to| total > up_to).count() as u32 + 1
    }
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct FunctionScore {
    pub(crate) function: String,
    pub(crate) name: String,
    pub(crate) score: u32,
    pub(crate) max: u32,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct MaturityResult {
    /// The level's key, or `None` when nothing was picked.
    pub(crate) level: Option<String>,
    pub(crate) level_name: Option<String>,
    /// The core functions and indicators at that level.
    pub(crate) held_back_by: Vec<String>,
    pub(crate) next_level: Option<String>,
    pub(crate) next_level_tactics: Vec<Item>,
    /// Checklist statements checked, per level.
    pub(crate) checked: std::collections::BTreeMap<String, u32>,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct Change {
    pub(crate) previous_file: String,
    pub(crate) previous_fiscal_year: Option<i32>,
    /// Per function, this year's score less last year's.
    pub(crate) functions: Vec<(String, i64)>,
    pub(crate) total: i64,
    pub(crate) previous_total: u32,
    pub(crate) previous_scores: Vec<u32>,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct Scored {
    pub(crate) file: String,
    pub(crate) sha256: String,
    pub(crate) service: String,
    pub(crate) organization: String,
    pub(crate) fiscal_year: Option<i32>,
    pub(crate) functions: Vec<FunctionScore>,
    pub(crate) total: u32,
    pub(crate) max: u32,
    pub(crate) level: u32,
    pub(crate) level_name: String,
    pub(crate) focus_areas: Vec<String>,
    /// The focus areas were not (all) named by the form: proposed from the
    /// lowest scores.
    pub(crate) focus_areas_proposed: bool,
    pub(crate) maturity: MaturityResult,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) change: Option<Change>,
}

/// Score one form.
pub(crate) fn score(form: &Form, filled: &Filled, cutoffs: &Cutoffs) -> Scored {
    let functions: Vec<FunctionScore> = form
        .functions
        .iter()
        .map(|f| FunctionScore {
            function: f.key.clone(),
            name: f.name.clone(),
            score: form
                .statements
                .iter()
                .filter(|s| s.function == f.key)
                .filter(|s| filled.answers.get(&s.id.to_ascii_uppercase()) == Some(&true))
                .count() as u32,
            max: form.max_of(&f.key),
        })
        .collect();
    let total = functions.iter().map(|f| f.score).sum();
    let max = functions.iter().map(|f| f.max).sum();
    let level = cutoffs.level(total);
    let level_name = form
        .cx_levels
        .get(level as usize - 1)
        .map_or(String::new(), |l| l.name.clone());
    let (focus_areas, focus_areas_proposed) = focus_areas(form, filled, &functions);
    Scored {
        file: filled.file.clone(),
        sha256: filled.sha256.clone(),
        service: filled.service.clone(),
        organization: filled.organization.clone(),
        fiscal_year: filled.fiscal_year,
        functions,
        total,
        max,
        level,
        level_name,
        focus_areas,
        focus_areas_proposed,
        maturity: maturity(form, filled),
        change: None,
    }
}

/// The form's focus areas; short of the form's minimum, the lowest-scoring
/// other functions (ties in the form's order) are proposed to make it up.
fn focus_areas(form: &Form, filled: &Filled, scores: &[FunctionScore]) -> (Vec<String>, bool) {
    let mut areas = filled.focus.clone();
    if areas.len() >= form.focus_area.minimum {
        return (areas, false);
    }
    let mut lowest: Vec<&FunctionScore> = scores.iter().collect();
    // A stable sort keeps the form's order among equal scores.
    lowest.sort_by_key(|f| f.score);
    for f in lowest {
        if areas.len() >= form.focus_area.minimum {
            break;
        }
        if !areas.contains(&f.function) {
            areas.push(f.function.clone());
        }
    }
    (areas, true)
}

/// The lowest level picked across core functions and indicators.
fn maturity(form: &Form, filled: &Filled) -> MaturityResult {
    let lowest = filled.picks.iter().map(|p| p.2).min();
    let level = lowest.and_then(|i| form.maturity.levels.get(i));
    let next = lowest.and_then(|i| form.maturity.levels.get(i + 1));
    MaturityResult {
        level: level.map(|l| l.key.clone()),
        level_name: level.map(|l| l.name.clone()),
        held_back_by: filled
            .picks
            .iter()
            .filter(|p| Some(p.2) == lowest)
            .map(|p| p.0.clone())
            .collect(),
        next_level: next.map(|l| l.key.clone()),
        next_level_tactics: level
            .and_then(|l| form.maturity.tactics.get(&l.key))
            .cloned()
            .unwrap_or_default(),
        checked: filled.checked.clone(),
    }
}

/// Last year's form beside this year's.
pub(crate) fn change(this: &Scored, previous: &Scored) -> Change {
    Change {
        previous_file: previous.file.clone(),
        previous_fiscal_year: previous.fiscal_year,
        functions: this
            .functions
            .iter()
            .zip(&previous.functions)
            .map(|(a, b)| (a.function.clone(), i64::from(a.score) - i64::from(b.score)))
            .collect(),
        total: i64::from(this.total) - i64::from(previous.total),
        previous_total: previous.total,
        previous_scores: previous.functions.iter().map(|f| f.score).collect(),
    }
}

/// Several forms (one per service or bureau) together.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Rollup {
    pub(crate) forms: usize,
    /// Per function: mean score (two decimals) and how many forms scored
    /// 0, 1, … max.
    pub(crate) functions: Vec<RollupFunction>,
    pub(crate) mean_total: f64,
    /// How many forms are at each CX level (1-based index 0 = level 1).
    pub(crate) levels: Vec<usize>,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct RollupFunction {
    pub(crate) function: String,
    pub(crate) mean: f64,
    pub(crate) distribution: Vec<usize>,
}

pub(crate) fn rollup(form: &Form, scored: &[Scored]) -> Rollup {
    let n = scored.len().max(1) as f64;
    let round = |x: f64| (x * 100.0).round() / 100.0;
    Rollup {
        forms: scored.len(),
        functions: form
            .functions
            .iter()
            .enumerate()
            .map(|(i, f)| {
                let mut distribution = vec![0; form.max_of(&f.key) as usize + 1];
                for s in scored {
                    distribution[s.functions[i].score as usize] += 1;
                }
                RollupFunction {
                    function: f.key.clone(),
                    mean: round(
                        scored
                            .iter()
                            .map(|s| f64::from(s.functions[i].score))
                            .sum::<f64>()
                            / n,
                    ),
                    distribution,
                }
            })
            .collect(),
        mean_total: round(scored.iter().map(|s| f64::from(s.total)).sum::<f64>() / n),
        levels: (1..=form.cx_levels.len() as u32)
            .map(|l| scored.iter().filter(|s| s.level == l).count())
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn filled(yes: &[&str], focus: &[&str]) -> Filled {
        let form = Form::load(None).unwrap();
        Filled {
            answers: form
                .statements
                .iter()
                .map(|s| (s.id.clone(), yes.contains(&s.id.as_str())))
                .collect(),
            focus: focus.iter().map(|s| s.to_string()).collect(),
            ..Filled::default()
        }
    }

    #[test]
    fn scores_levels_and_proposed_focus_areas() {
        let form = Form::load(None).unwrap();
        let cutoffs = Cutoffs::of(&form);
        assert_eq!(cutoffs, Cutoffs(vec![10, 20]));
        let yes = [
            "M1", "M2", "M3", "G1", "O1", "O2", "R1", "R2", "R3", "R4", "S1",
        ];
        let s = score(&form, &filled(&yes, &[]), &cutoffs);
        let scores: Vec<u32> = s.functions.iter().map(|f| f.score).collect();
        assert_eq!(scores, [3, 1, 2, 4, 1]);
        assert_eq!((s.total, s.max, s.level), (11, 30, 2));
        // The two lowest, ties in the form's order: governance, service design.
        assert_eq!(s.focus_areas, ["governance", "service_design"]);
        assert!(s.focus_areas_proposed);
        for (total, level) in [(0, 1), (10, 1), (11, 2), (20, 2), (21, 3), (30, 3)] {
            assert_eq!(cutoffs.level(total), level, "{total}");
        }
        let named = score(
            &form,
            &filled(&yes, &["customer_research", "measurement"]),
            &cutoffs,
        );
        assert_eq!(named.focus_areas, ["customer_research", "measurement"]);
        assert!(!named.focus_areas_proposed);
    }

    #[test]
    fn the_lowest_pick_is_the_maturity_level() {
        let form = Form::load(None).unwrap();
        let mut f = filled(&[], &[]);
        f.picks = vec![
            ("measurement".into(), "Measurement".into(), 2),
            ("governance".into(), "Governance and strategy".into(), 1),
            ("hcd_tools".into(), "HCD Tools".into(), 1),
        ];
        let m = maturity(&form, &f);
        assert_eq!(m.level.as_deref(), Some("tactical"));
        assert_eq!(m.held_back_by, ["governance", "hcd_tools"]);
        assert_eq!(m.next_level.as_deref(), Some("strategic"));
        assert_eq!(
            m.next_level_tactics[0].title,
            "Leverage contractors to actively build CX capabilities."
        );
        assert_eq!(maturity(&form, &filled(&[], &[])).level, None);
    }
}
