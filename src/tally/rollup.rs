//! Roll-ups over several surveys (one service, or all) and the arithmetic
//! OMB publishes them with.

use super::manifest::TemplateRow;
use crate::schema::push_folded;

/// `num / den` rounded half up to 2 decimals, in exact integer arithmetic so
/// results never depend on binary floating point.
pub(crate) fn hundredths(num: u64, den: u64) -> Option<f64> {
    if den == 0 {
        return None;
    }
    let num = u128::from(num) * 100;
    let den = u128::from(den);
    let rounded = (2 * num + den) / (2 * den);
    Some(rounded as f64 / 100.0)
}

/// Respondents ÷ customers offered, as an unrounded percentage: response
/// rates are often well under 1%, so rounding is left to the display.
pub(crate) fn response_rate(respondents: u64, offered: u64) -> Option<f64> {
    (offered > 0).then(|| respondents as f64 * 100.0 / offered as f64)
}

/// Round for display in CSV and JSON (the workbook keeps full precision).
pub(crate) fn round_to(x: f64, decimals: i32) -> f64 {
    let scale = 10f64.powi(decimals);
    (x * scale).round() / scale
}

/// Customers offered the survey over several surveys: known only when it is
/// known for every one (`surveys` is how many were added before).
pub(crate) fn add_offered(surveys: usize, sum: Option<u64>, next: Option<u64>) -> Option<u64> {
    match (surveys, sum, next) {
        (0, _, next) => next,
        (_, Some(a), Some(b)) => Some(a + b),
        _ => None,
    }
}

/// Indices of the rows of each service (letter case and spacing ignored),
/// services in order of first appearance, with the first spelling.
pub(crate) fn by_service<T>(rows: &[TemplateRow<T>]) -> Vec<(String, Vec<usize>)> {
    let mut groups: Vec<(String, String, Vec<usize>)> = Vec::new();
    for (i, row) in rows.iter().enumerate() {
        let mut key = String::new();
        push_folded(&mut key, &row.entry.key.service);
        match groups.iter_mut().find(|(k, _, _)| *k == key) {
            Some((_, _, members)) => members.push(i),
            None => groups.push((key, row.entry.key.service.clone(), vec![i])),
        }
    }
    groups
        .into_iter()
        .map(|(_, name, members)| (name, members))
        .collect()
}

/// Totals over several surveys: one service, or all of them.
#[derive(Debug, Clone, Default)]
pub(crate) struct Rollup<R> {
    pub(crate) name: String,
    pub(crate) surveys: usize,
    pub(crate) results: R,
    /// Customers offered the survey, when known for every survey included.
    pub(crate) offered: Option<u64>,
}

/// Results that add up across surveys.
pub(crate) trait Merge: Default {
    fn merge(&mut self, other: &Self);
}

/// Roll-ups per service (in order of first appearance) and overall, of
/// each row's results.
pub(crate) fn rollups<T, R: Merge>(
    rows: &[TemplateRow<T>],
    results: impl Fn(&T) -> R,
) -> (Vec<Rollup<R>>, Rollup<R>) {
    let rollup = |name: String, members: &mut dyn Iterator<Item = &TemplateRow<T>>| {
        let mut r = Rollup {
            name,
            surveys: 0,
            results: R::default(),
            offered: None,
        };
        for row in members {
            let offered = row.entry.volume_of_customers_provided_survey_opportunity;
            r.offered = add_offered(r.surveys, r.offered, offered);
            r.surveys += 1;
            r.results.merge(&results(&row.tally));
        }
        r
    };
    let services = by_service(rows)
        .into_iter()
        .map(|(name, members)| rollup(name, &mut members.iter().map(|&i| &rows[i])))
        .collect();
    (
        services,
        rollup("All services".to_string(), &mut rows.iter()),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rounding_is_half_up_and_exact() {
        // 4.125 → 4.13, 4.005 → 4.01 (not 4.0 as binary floats would give)
        assert_eq!(hundredths(33, 8), Some(4.13));
        assert_eq!(hundredths(801, 200), Some(4.01));
        assert_eq!(hundredths(2, 3), Some(0.67));
        assert_eq!(hundredths(1, 3), Some(0.33));
        assert_eq!(hundredths(1, 0), None);
    }

    #[test]
    fn offered_is_known_only_when_known_for_all() {
        assert_eq!(add_offered(0, None, Some(5)), Some(5));
        assert_eq!(add_offered(1, Some(5), Some(7)), Some(12));
        assert_eq!(add_offered(1, Some(5), None), None);
        assert_eq!(add_offered(2, None, Some(7)), None);
    }
}
