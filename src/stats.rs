//! The uncertainty of a share: the 95% Wilson score interval of a
//! proportion (Wilson 1927; recommended over the Wald interval by Brown,
//! Cai and DasGupta 2001 because it keeps its coverage for small samples
//! and shares near 0 or 1). The normal quantile comes from `statrs`.

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
}
