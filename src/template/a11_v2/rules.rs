//! A-11 v2's rules for one row's cells: the trust answer, the drivers on
//! each side, the survey type given or settled, the upload cells.

use std::borrow::Cow;

use super::drivers;
use super::tally::{DRIVERS, Drivers, SurveyType, TypeSource};
use super::{DRIVER_OFFER, Fields, SURVEY_TYPE, State, WRONG_SIDE_DRIVER};
use crate::check::findings::{Kind, Severity};
use crate::check::{RowCheck, Value};

/// The trust answer as counted: 0 to 5. A schema given with `--schema` may
/// allow other numbers, which no survey type has.
pub(super) fn trust_answer(check: &mut RowCheck<'_>, field: usize, q1: i64) -> Option<u8> {
    match u8::try_from(q1) {
        Ok(a @ 0..=5) => Some(a),
        _ => {
            let shown = q1.to_string();
            check.report(SURVEY_TYPE, Severity::Error, Some(field), Some(&shown), || {
                format!("{q1} is not an answer to the trust question; thumbs surveys answer 1 or 0, Likert surveys 1-5")
            });
            None
        }
    }
}

/// Upload cell `i` of a valid row: as written where the export has the
/// canonical column (for the trust question, the number counted), else as counted:
/// the trust answer's number, a driver's 1 or 0, or `null` when not
/// offered.
pub(super) fn upload_cell<'a>(
    check: &RowCheck<'a>,
    f: &Fields,
    i: usize,
    q1: u8,
    drivers: &Drivers,
) -> Cow<'a, str> {
    let field = f.upload[i];
    let raw = check.raw(field);
    match i {
        // As written when it is the number counted (not a recoded code).
        1 if raw.parse::<u8>() == Ok(q1) => raw,
        1 => Cow::Owned(q1.to_string()),
        2..=15 if !check.is_named(field) => match drivers[i - 2] {
            Some(v) => Cow::Owned(v.to_string()),
            None => Cow::Borrowed("null"),
        },
        _ => raw,
    }
}

/// A row's 14 driver cells: canonical columns as written, a multi-select
/// choice column (any other name) as chosen or not, then the drivers of a
/// joined cell for those of its side without a column. A driver with
/// neither is not offered.
pub(super) fn read_drivers(
    check: &mut RowCheck<'_>,
    f: &Fields,
    choices: &drivers::Choices,
) -> Drivers {
    let mut cells: Drivers = [None; 14];
    for (slot, &field) in cells.iter_mut().zip(&f.drivers) {
        if !check.is_bound(field) {
            continue;
        }
        *slot = if check.is_named(field) {
            match check.value(field) {
                Value::Int(v) => driver_cell(check, field, v),
                _ => None,
            }
        } else {
            drivers::choice_cell(&check.raw(field))
        };
    }
    for (side, joined) in f.joined.iter().enumerate() {
        let Some(field) = joined.filter(|&field| check.is_bound(field)) else {
            continue;
        };
        let cell = check.raw(field);
        match choices.joined(&cell) {
            Ok(ticked) => {
                for (d, &t) in ticked.iter().enumerate() {
                    let slot = &mut cells[side * 7 + d];
                    if !check.is_bound(f.drivers[side * 7 + d]) {
                        *slot = Some(u8::from(t));
                    }
                }
            }
            Err(choice) => {
                let shown = cell.to_string();
                check.report(Kind::TypeError, Severity::Error, Some(field), Some(&shown), || {
                    format!(
                        "{choice:?} names no driver; drivers are {} (or a choice text naming one); map the text in the mapping file's [driver_choices] table",
                        DRIVERS.join(", ")
                    )
                });
            }
        }
    }
    cells
}

/// A driver cell as counted: 0 or 1 (`None`, not offered, is blank or
/// `null`). A schema given with `--schema` may allow other numbers.
pub(super) fn driver_cell(check: &mut RowCheck<'_>, field: usize, v: i64) -> Option<u8> {
    match v {
        0 | 1 => Some(v as u8),
        _ => {
            let shown = v.to_string();
            check.report(Kind::ConstraintError, Severity::Error, Some(field), Some(&shown), || {
                format!("{v} is not a driver answer; use 1 (ticked), 0 (not ticked) or null (not offered)")
            });
            None
        }
    }
}

/// The code index of a key field, when it has a column or constant.
pub(super) fn code_index(check: &mut RowCheck<'_>, field: usize) -> Option<usize> {
    if !check.is_bound(field) {
        return None;
    }
    match check.value(field) {
        Value::Code(i) => Some(i),
        _ => None,
    }
}

pub(super) fn file_stem(file: &str) -> String {
    std::path::Path::new(file)
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or(file)
        .to_string()
}

/// How a survey's type was settled, for a message: "the services manifest
/// says", "answer 3 in row 5 of f.csv showed"…
pub(super) fn type_reason(state: &State) -> String {
    match (&state.declared, &state.decided) {
        (Some(_), _) => "the services manifest says".to_string(),
        (None, Some((_, TypeSource::Answer { file, row, value }))) => {
            format!("answer {value} in row {row} of {file} showed")
        }
        (None, Some((_, TypeSource::Label { file, row, label }))) => {
            format!("answer {label:?} in row {row} of {file} showed")
        }
        (None, Some((_, TypeSource::Given { file, row }))) => {
            format!("survey_type in row {row} of {file} says")
        }
        _ => "it is".to_string(),
    }
}

/// The survey type a row gives in its survey_type column (or --set): it
/// settles an undecided survey, and must agree with a settled one.
pub(super) fn check_given_type(check: &mut RowCheck<'_>, f: &Fields, state: &mut State) {
    let Some(field) = f.survey_type.filter(|&field| check.is_bound(field)) else {
        return;
    };
    let Value::Code(i) = check.value(field) else {
        return;
    };
    let Some(given) = SurveyType::from_code(check.code_of(field, i)) else {
        return;
    };
    match state.survey_type() {
        None => {
            let at = check.position(None);
            state.decided = Some((
                given,
                TypeSource::Given {
                    file: at.file.to_string(),
                    row: check.line,
                },
            ));
        }
        Some(t) if t != given => {
            let how = type_reason(state);
            check.report(SURVEY_TYPE, Severity::Error, Some(field), Some(given.code()), || {
                format!(
                    "survey_type {} disagrees with the survey's type: {how} it is {}. Correct the column (or --set), or the services manifest",
                    given.code(),
                    t.code()
                )
            });
        }
        Some(_) => {}
    }
}

/// A Likert answer in a thumbs survey, or 0 in a Likert survey, is an
/// error, as is a label of the other type (`Yes` in a Likert survey); an
/// undecided survey is decided by the first answer only one type allows
/// (0, 2-5, or a label such as `Thumbs up` or `Strongly disagree`).
pub(super) fn check_survey_type(
    check: &mut RowCheck<'_>,
    f: &Fields,
    state: &mut State,
    q1: u8,
    label: Option<(SurveyType, String)>,
) {
    match state.survey_type() {
        Some(t) if t.is_positive(q1).is_none() => {
            let how = type_reason(state);
            let shown = q1.to_string();
            check.report(SURVEY_TYPE, Severity::Error, Some(f.question_1), Some(&shown), || {
                format!(
                    "{q1} is not an answer of a {} survey, which {how} this is; thumbs surveys answer 1 or 0, Likert surveys 1-5",
                    t.code()
                )
            });
        }
        Some(t) if label.as_ref().is_some_and(|(l, _)| *l != t) => {
            let how = type_reason(state);
            let (l, text) = label.expect("checked above");
            check.report(
                SURVEY_TYPE,
                Severity::Error,
                Some(f.question_1),
                Some(&text),
                || {
                    format!(
                        "{text:?} is an answer of a {} survey, but {how} this is a {} survey",
                        l.code(),
                        t.code()
                    )
                },
            );
        }
        None => {
            let at = check.position(None);
            let (file, row) = (at.file.to_string(), check.line);
            let decided = match label {
                Some((t, label)) => Some((t, TypeSource::Label { file, row, label })),
                None => SurveyType::proven_by(q1).map(|t| {
                    (
                        t,
                        TypeSource::Answer {
                            file,
                            row,
                            value: q1,
                        },
                    )
                }),
            };
            if decided.is_some() {
                state.decided = decided;
            }
        }
        _ => {}
    }
}

/// A driver ticked on the side the form never shows for this answer.
pub(super) fn check_driver_side(
    check: &mut RowCheck<'_>,
    f: &Fields,
    drivers: &Drivers,
    positive: bool,
) {
    let wrong = if positive { 7..14 } else { 0..7 };
    if let Some(d) = wrong.clone().find(|&d| drivers[d] == Some(1)) {
        let (side, answer) = if positive {
            ("negative", "positive")
        } else {
            ("positive", "negative")
        };
        check.report(WRONG_SIDE_DRIVER, Severity::Warning, Some(f.drivers[d]), Some("1"), || {
            format!(
                "a {side} driver is ticked on a {answer} response; the form shows only the {answer} drivers after this answer. It is not counted"
            )
        });
    }
}

/// A driver offered on some rows of a survey and not on others.
pub(super) fn check_driver_offer(
    check: &mut RowCheck<'_>,
    f: &Fields,
    state: &mut State,
    drivers: &Drivers,
) {
    for (d, cell) in drivers.iter().enumerate() {
        let (not_offered, offered, warned) = &mut state.offer[d];
        let first_of_kind = match cell {
            None if not_offered.is_none() => {
                *not_offered = Some(check.position(Some(0)));
                true
            }
            Some(_) if offered.is_none() => {
                *offered = Some(check.position(Some(0)));
                true
            }
            _ => false,
        };
        if first_of_kind && !*warned && not_offered.is_some() && offered.is_some() {
            *warned = true;
            let other = match cell {
                None => offered.as_ref(),
                Some(_) => not_offered.as_ref(),
            }
            .and_then(|p| p.row)
            .unwrap_or_default();
            let shown = match cell {
                None => "null",
                Some(0) => "0",
                _ => "1",
            };
            check.report(DRIVER_OFFER, Severity::Warning, Some(f.drivers[d]), Some(shown), || {
                format!(
                    "this driver is {} here but {} in row {other} of the same survey; a form either offers a driver or not. Check the export mixes no form versions",
                    if cell.is_none() { "not offered (null)" } else { "offered" },
                    if cell.is_none() { "offered" } else { "not offered (null)" },
                )
            });
        }
    }
}
