//! The uncertainty of a share: the 95% Wilson score interval of a
//! proportion (Wilson 1927; recommended over the Wald interval by Brown,
//! Cai and DasGupta 2001 because it keeps its coverage for small samples
//! and shares near 0 or 1), and the two-proportion z-test with a pooled
//! standard error for a change between two quarters. The normal quantile
//! and distribution come from `statrs`.

use statrs::distribution::{ContinuousCDF, Normal};

/// Confidence level of every interval and test.
pub(crate) const CONFIDENCE: f64 = 0.95;

/// Respondents below which a share is flagged as small-n (`--min-n`).
pub const DEFAULT_MIN_N: u64 = 30;

fn standard_normal() -> Normal {
    Normal::new(0.0, 1.0).expect("the standard normal distribution")
}

/// z for a two-sided interval at [`CONFIDENCE`]: 1.959964…
fn z() -> f64 {
    standard_normal().inverse_cdf(1.0 - (1.0 - CONFIDENCE) / 2.0)
}

/// The Wilson score interval of `x` successes in `n` trials, as
/// proportions (0–1); none when `n` is 0.
pub(crate) fn wilson(x: u64, n: u64) -> Option<(f64, f64)> {
    if n == 0 {
        return None;
    }
    let (x, n, z) = (x as f64, n as f64, z());
    let p = x / n;
    let z2 = z * z;
    let denominator = 1.0 + z2 / n;
    let centre = (p + z2 / (2.0 * n)) / denominator;
    let half = z / denominator * (p * (1.0 - p) / n + z2 / (4.0 * n * n)).sqrt();
    Some(((centre - half).max(0.0), (centre + half).min(1.0)))
}

/// The Wilson interval in percent, rounded to 2 decimals like the shares.
pub(crate) fn wilson_percent(x: u64, n: u64) -> Option<(f64, f64)> {
    let round = |v: f64| (v * 10_000.0).round() / 100.0;
    wilson(x, n).map(|(lo, hi)| (round(lo), round(hi)))
}

/// The two-sided p-value of the change from `x1`/`n1` to `x2`/`n2`
/// (two-proportion z-test, pooled standard error); none when either side
/// is empty or no answer differs (every share 0 or every share 1).
pub(crate) fn two_proportion_p(x1: u64, n1: u64, x2: u64, n2: u64) -> Option<f64> {
    if n1 == 0 || n2 == 0 {
        return None;
    }
    let (p1, p2) = (x1 as f64 / n1 as f64, x2 as f64 / n2 as f64);
    let pooled = (x1 + x2) as f64 / (n1 + n2) as f64;
    let se = (pooled * (1.0 - pooled) * (1.0 / n1 as f64 + 1.0 / n2 as f64)).sqrt();
    if se == 0.0 {
        return None;
    }
    let z = ((p2 - p1) / se).abs();
    Some(2.0 * (1.0 - standard_normal().cdf(z)))
}

/// Whether a change is significant at [`CONFIDENCE`].
pub(crate) fn significant(p_value: f64) -> bool {
    p_value < 1.0 - CONFIDENCE
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wilson_matches_published_values() {
        // Brown, Cai & DasGupta (2001) and common tables: 0 of 10 gives
        // [0, 0.2775]; 5 of 10 gives [0.2366, 0.7634]; 81 of 263 gives
        // [0.2553, 0.3662].
        let close = |a: f64, b: f64| (a - b).abs() < 5e-5;
        let (lo, hi) = wilson(0, 10).unwrap();
        assert!(close(lo, 0.0) && close(hi, 0.2775), "{lo} {hi}");
        let (lo, hi) = wilson(5, 10).unwrap();
        assert!(close(lo, 0.2366) && close(hi, 0.7634), "{lo} {hi}");
        let (lo, hi) = wilson(81, 263).unwrap();
        assert!(close(lo, 0.2553) && close(hi, 0.3662), "{lo} {hi}");
        assert_eq!(wilson(0, 0), None);
        assert_eq!(wilson_percent(5, 10), Some((23.66, 76.34)));
    }

    #[test]
    fn two_proportion_test() {
        // 45/100 vs 60/100: z = 2.1232, p = 0.0337.
        let p = two_proportion_p(45, 100, 60, 100).unwrap();
        assert!((p - 0.0337).abs() < 1e-4, "{p}");
        assert!(significant(p));
        let p = two_proportion_p(50, 100, 55, 100).unwrap();
        assert!(!significant(p), "{p}");
        assert_eq!(two_proportion_p(0, 10, 0, 20), None);
        assert_eq!(two_proportion_p(1, 0, 1, 2), None);
    }
}
