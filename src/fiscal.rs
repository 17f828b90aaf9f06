//! The US federal fiscal calendar: fiscal year N runs from 1 October of N-1
//! to 30 September of N; Q1 is October–December.

use chrono::{Datelike, NaiveDate};
use std::fmt;

/// A fiscal quarter: only a valid one can be made ([`Quarter::new`],
/// [`Quarter::of`] a date), so its dates are always defined.
///
/// ```
/// let q = hisp::Quarter::new(2025, 2).unwrap();
/// assert_eq!((q.fiscal_year(), q.quarter()), (2025, 2));
/// assert_eq!(q.start().to_string(), "2025-01-01");
/// assert!(hisp::Quarter::new(2025, 0).is_none());
/// assert!(hisp::Quarter::new(2025, 5).is_none());
/// ```
///
/// Its fields are its own: a quarter 0 cannot be written.
///
/// ```compile_fail
/// let q = hisp::Quarter { fiscal_year: 2025, quarter: 0 };
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Quarter {
    fiscal_year: i32,
    quarter: u8,
}

impl Quarter {
    /// The fiscal year: FY2025 runs from 1 October 2024.
    pub fn fiscal_year(self) -> i32 {
        self.fiscal_year
    }

    /// The quarter of the fiscal year, 1 to 4.
    pub fn quarter(self) -> u8 {
        self.quarter
    }

    /// A quarter, if `quarter` is 1–4 and the year is a plausible one.
    pub fn new(fiscal_year: i32, quarter: u8) -> Option<Quarter> {
        ((1..=4).contains(&quarter) && (1901..=9998).contains(&fiscal_year)).then_some(Quarter {
            fiscal_year,
            quarter,
        })
    }

    /// The quarter a calendar date falls in.
    pub fn of(date: NaiveDate) -> Quarter {
        let (year, month) = (date.year(), date.month());
        if month >= 10 {
            Quarter {
                fiscal_year: year + 1,
                quarter: 1,
            }
        } else {
            Quarter {
                fiscal_year: year,
                quarter: (month as u8 - 1) / 3 + 2,
            }
        }
    }

    /// The last quarter that ended before `today`: the one whose report is due
    /// (reports are due within 30 days after a quarter ends).
    pub fn last_completed(today: NaiveDate) -> Quarter {
        Quarter::of(today).previous()
    }

    pub fn previous(self) -> Quarter {
        if self.quarter == 1 {
            Quarter {
                fiscal_year: self.fiscal_year - 1,
                quarter: 4,
            }
        } else {
            Quarter {
                fiscal_year: self.fiscal_year,
                quarter: self.quarter - 1,
            }
        }
    }

    /// First day of the quarter.
    pub fn start(self) -> NaiveDate {
        let (year, month) = match self.quarter {
            1 => (self.fiscal_year - 1, 10),
            q => (self.fiscal_year, 3 * (q as u32 - 2) + 1),
        };
        NaiveDate::from_ymd_opt(year, month, 1).expect("quarter start is a valid date")
    }

    /// Last day of the quarter (inclusive).
    pub fn end(self) -> NaiveDate {
        let next = match self.quarter {
            4 => Quarter {
                fiscal_year: self.fiscal_year + 1,
                quarter: 1,
            },
            q => Quarter {
                fiscal_year: self.fiscal_year,
                quarter: q + 1,
            },
        };
        next.start()
            .pred_opt()
            .expect("quarter end is a valid date")
    }

    /// Whether a date falls in the quarter; whole days, both ends inclusive.
    pub fn contains(self, date: NaiveDate) -> bool {
        Quarter::of(date) == self
    }
}

impl fmt::Display for Quarter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "FY{} Q{}", self.fiscal_year, self.quarter)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDateTime;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }
    fn dt(s: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S").unwrap()
    }

    #[test]
    fn quarter_windows() {
        let q2 = Quarter::new(2025, 2).unwrap();
        assert_eq!((q2.start(), q2.end()), (d("2025-01-01"), d("2025-03-31")));
        let q1 = Quarter::new(2025, 1).unwrap();
        assert_eq!((q1.start(), q1.end()), (d("2024-10-01"), d("2024-12-31")));
        let q3 = Quarter::new(2024, 3).unwrap();
        assert_eq!((q3.start(), q3.end()), (d("2024-04-01"), d("2024-06-30")));
        let q4 = Quarter::new(2024, 4).unwrap();
        assert_eq!((q4.start(), q4.end()), (d("2024-07-01"), d("2024-09-30")));
        let fy28 = Quarter::new(2028, 1).unwrap();
        assert_eq!(
            (fy28.start(), fy28.end()),
            (d("2027-10-01"), d("2027-12-31"))
        );
    }

    #[test]
    fn dates_map_to_quarters() {
        assert_eq!(Quarter::of(d("2023-10-01")), Quarter::new(2024, 1).unwrap());
        assert_eq!(Quarter::of(d("2023-09-30")), Quarter::new(2023, 4).unwrap());
        assert_eq!(Quarter::of(d("2024-02-29")), Quarter::new(2024, 2).unwrap());
        assert_eq!(Quarter::of(d("2025-12-31")), Quarter::new(2026, 1).unwrap());
    }

    #[test]
    fn boundaries_at_the_last_and_first_second() {
        let q2 = Quarter::new(2025, 2).unwrap();
        assert!(!q2.contains(dt("2024-12-31 23:59:59").date()));
        assert!(q2.contains(dt("2025-01-01 00:00:00").date()));
        assert!(q2.contains(dt("2025-03-31 23:59:59").date()));
        assert!(!q2.contains(dt("2025-04-01 00:00:00").date()));
        let q1 = Quarter::new(2025, 1).unwrap();
        assert!(!q1.contains(dt("2024-09-30 23:59:59").date()));
        assert!(q1.contains(dt("2024-10-01 00:00:00").date()));
    }

    #[test]
    fn last_completed_quarter() {
        assert_eq!(
            Quarter::last_completed(d("2026-11-22")),
            Quarter::new(2026, 4).unwrap()
        );
        assert_eq!(
            Quarter::last_completed(d("2025-01-01")),
            Quarter::new(2025, 1).unwrap()
        );
        assert_eq!(
            Quarter::last_completed(d("2025-10-01")),
            Quarter::new(2025, 4).unwrap()
        );
        assert_eq!(
            Quarter::last_completed(d("2025-04-30")),
            Quarter::new(2025, 2).unwrap()
        );
    }

    #[test]
    fn rejects_bad_quarters() {
        assert!(Quarter::new(2025, 0).is_none());
        assert!(Quarter::new(2025, 5).is_none());
        assert_eq!(Quarter::new(2025, 3).unwrap().to_string(), "FY2025 Q3");
    }
}
