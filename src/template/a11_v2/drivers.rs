//! The "what went well / what didn't" drivers as survey platforms export
//! them: canonical 0/1/null columns, multi-select questions split into one
//! column per choice (Qualtrics, Medallia: the cell holds the choice text,
//! `1`, `True` or `Selected` when chosen, blank when not), and choices
//! joined in one cell (`effectiveness,ease`, or the choice texts).

use std::collections::BTreeMap;

use super::tally::DRIVERS;
use crate::schema::{fold, words};

/// A split multi-select cell: chosen (1), offered and not chosen (0), or
/// `null` (not offered).
pub(super) fn choice_cell(text: &str) -> Option<u8> {
    let text = text.trim();
    if text.eq_ignore_ascii_case("null") {
        return None;
    }
    let not_chosen = [
        "",
        "0",
        "false",
        "no",
        "not selected",
        "unchecked",
        "not chosen",
    ];
    Some(u8::from(
        !not_chosen.iter().any(|n| n.eq_ignore_ascii_case(text)),
    ))
}

/// Words that name each driver in a choice text, in `DRIVERS` order. The
/// driver named first in a choice is the one chosen ("Employee: staff were
/// helpful and easy to reach" is employee).
const KEYWORDS: [&[&str]; 7] = [
    &[
        "effectiveness",
        "effective",
        "need was addressed",
        "needs were met",
        "got what i needed",
        "quality",
    ],
    &["ease", "easy", "simple", "simplicity"],
    &[
        "efficiency",
        "efficient",
        "quick",
        "fast",
        "timely",
        "speed",
        "amount of time",
    ],
    &[
        "transparency",
        "transparent",
        "clear",
        "understood",
        "informed",
    ],
    &["humanity", "respect", "dignity", "courteous", "treated"],
    &["employee", "staff", "helpful", "agent", "representative"],
    &["other"],
];

/// The driver field a column holds, from its question text as survey
/// platforms label multi-select columns: "What went well? - Selected
/// Choice - Ease: it was easy to do" is positive_ease; "What didn't go so
/// well? - Selected Choice" alone is negative_drivers (the choices joined).
pub(crate) fn driver_field_of(text: &str) -> Option<String> {
    let w = words(text);
    let negative = [
        " didnt go",
        " did not go",
        " not go well",
        " could be improved",
        " went wrong",
    ]
    .iter()
    .any(|p| w.contains(p));
    let side = if negative {
        "negative"
    } else if w.contains(" went well") {
        "positive"
    } else {
        return None;
    };
    let parts: Vec<&str> = text.split(" - ").map(str::trim).collect();
    let choice = match parts.as_slice() {
        [_] => return Some(format!("{side}_drivers")),
        [.., last] if last.eq_ignore_ascii_case("text") => return None,
        [.., last] if last.eq_ignore_ascii_case("selected choice") => {
            return Some(format!("{side}_drivers"));
        }
        [.., last] => *last,
        [] => return None,
    };
    let d = Choices::default().driver(choice)?;
    Some(format!("{side}_{}", DRIVERS[d]))
}

/// Choice texts to drivers, from the mapping file's `[driver_choices]`
/// (folded), then the driver names and keywords.
#[derive(Default)]
pub(super) struct Choices {
    named: BTreeMap<String, usize>,
}

impl Choices {
    pub(super) fn new(mapping: &BTreeMap<String, String>) -> Choices {
        let named = mapping
            .iter()
            .filter_map(|(text, driver)| {
                let d = DRIVERS
                    .iter()
                    .position(|n| n.eq_ignore_ascii_case(driver.trim()))?;
                Some((fold(text), d))
            })
            .collect();
        Choices { named }
    }

    /// The driver (0-6) a choice names.
    pub(super) fn driver(&self, choice: &str) -> Option<usize> {
        if let Some(&d) = self.named.get(&fold(choice)) {
            return Some(d);
        }
        // At word starts: "please" does not name ease.
        let text = words(choice);
        KEYWORDS
            .iter()
            .enumerate()
            .filter_map(|(d, words)| {
                words
                    .iter()
                    .filter_map(|w| text.find(&format!(" {w}")))
                    .min()
                    .map(|at| (at, d))
            })
            .min()
            .map(|(_, d)| d)
    }

    /// The drivers ticked in a joined cell (choices separated by commas or
    /// semicolons), or the first choice that names no driver.
    pub(super) fn joined(&self, cell: &str) -> Result<[bool; 7], String> {
        let mut ticked = [false; 7];
        for choice in cell.split([',', ';', '\n']).map(str::trim) {
            if choice.is_empty() {
                continue;
            }
            match self.driver(choice) {
                Some(d) => ticked[d] = true,
                None => return Err(choice.to_string()),
            }
        }
        Ok(ticked)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn driver_columns_by_their_question() {
        let f = |t: &str| driver_field_of(t);
        assert_eq!(
            f("What went well? - Selected Choice - Ease: it was easy to do").as_deref(),
            Some("positive_ease")
        );
        assert_eq!(
            f("What didn't go so well? - Selected Choice - Employee: staff were not helpful")
                .as_deref(),
            Some("negative_employee")
        );
        assert_eq!(
            f("What went well? - Selected Choice").as_deref(),
            Some("positive_drivers")
        );
        assert_eq!(
            f("What did not go well?").as_deref(),
            Some("negative_drivers")
        );
        assert_eq!(f("What went well? - Other - Text"), None);
        assert_eq!(f("Anything else?"), None);
    }

    #[test]
    fn split_cells() {
        assert_eq!(choice_cell("Ease: it was easy to do"), Some(1));
        assert_eq!(choice_cell("1"), Some(1));
        assert_eq!(choice_cell("Selected"), Some(1));
        assert_eq!(choice_cell(""), Some(0));
        assert_eq!(choice_cell("0"), Some(0));
        assert_eq!(choice_cell("null"), None);
    }

    #[test]
    fn choices_by_code_text_or_mapping() {
        let mut mapping = BTreeMap::new();
        mapping.insert("Cortesía".to_string(), "humanity".to_string());
        let c = Choices::new(&mapping);
        assert_eq!(
            c.joined("effectiveness,ease"),
            Ok([true, true, false, false, false, false, false])
        );
        assert_eq!(
            c.joined("Effectiveness: my need was addressed;Employee: staff were helpful and easy to reach"),
            Ok([true, false, false, false, false, true, false])
        );
        assert_eq!(c.driver("I was treated with respect"), Some(4));
        assert_eq!(c.driver("cortesía"), Some(4));
        assert_eq!(c.driver("It took a reasonable amount of time"), Some(2));
        assert_eq!(
            c.joined("effectiveness,Something else"),
            Err("Something else".to_string())
        );
        assert_eq!(c.joined(""), Ok([false; 7]));
    }
}
