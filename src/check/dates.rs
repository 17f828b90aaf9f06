//! Dates as exports write them: ISO 8601, the US month-first form, and
//! Excel serial numbers.

use chrono::{NaiveDate, NaiveDateTime, NaiveTime};

use super::row::trim;

/// ISO 8601 dates and date-times: `2025-02-14`, `2025-02-14 10:22`,
/// `2025-02-14 10:22:01`, `2025-02-14T10:22:01.123`, with an optional `Z`,
/// `UTC` or UTC offset, which is accepted and not converted: the date as
/// written is the date of the response. Also the US form Excel and survey
/// platforms write: `2/14/2025`, `2/14/2025 10:22`, `2/14/2025 10:22:01 AM`
/// (month first, four-digit year).
pub(crate) fn parse_datetime(text: &str) -> Option<NaiveDateTime> {
    // chrono's FromStr parsers use prebuilt formats: much cheaper per row
    // than parse_from_str, which reads its format string every call.
    let text = trim(text);
    if let Some(fixed) = fixed_datetime(text.as_bytes()) {
        return fixed;
    }
    let Some(date) = text.get(..10).and_then(|d| d.parse::<NaiveDate>().ok()) else {
        return parse_us_datetime(text);
    };
    let rest = &text[10..];
    if rest.is_empty() {
        return Some(date.and_time(NaiveTime::MIN));
    }
    let time = strip_offset(rest.strip_prefix(['T', ' '])?)?;
    let time = time
        .parse::<NaiveTime>()
        .or_else(|_| NaiveTime::parse_from_str(time, "%H:%M"))
        .ok()?;
    Some(date.and_time(time))
}

/// The layouts nearly every export uses, `YYYY-MM-DD` and `YYYY-MM-DD
/// hh:mm:ss` (or `T`), read by position: a tenth of the cost of the general
/// parser on the hot path. `None` for other layouts; `Some(None)` for these
/// layouts holding no real date or time.
fn fixed_datetime(b: &[u8]) -> Option<Option<NaiveDateTime>> {
    let digits = |range: std::ops::Range<usize>| -> Option<u32> {
        b[range].iter().try_fold(0u32, |n, &c| {
            c.is_ascii_digit().then(|| n * 10 + u32::from(c - b'0'))
        })
    };
    let date_layout = b.len() >= 10 && b[4] == b'-' && b[7] == b'-';
    let full = b.len() == 19 && matches!(b[10], b' ' | b'T') && b[13] == b':' && b[16] == b':';
    if !date_layout || !(b.len() == 10 || full) {
        return None;
    }
    let (y, m, d) = (digits(0..4)?, digits(5..7)?, digits(8..10)?);
    let date = NaiveDate::from_ymd_opt(y as i32, m, d);
    if b.len() == 10 {
        return Some(date.map(|d| d.and_time(NaiveTime::MIN)));
    }
    let (h, mi, s) = (digits(11..13)?, digits(14..16)?, digits(17..19)?);
    Some(date.and_then(|d| d.and_hms_opt(h, mi, s)))
}

/// `m/d/yyyy` with an optional `h:mm`, `h:mm:ss` and `AM`/`PM`.
fn parse_us_datetime(text: &str) -> Option<NaiveDateTime> {
    let (date, time) = match text.split_once(' ') {
        Some((d, t)) => (d, t.trim()),
        None => (text, ""),
    };
    let mut parts = date.split('/');
    let (m, d, y) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() || y.len() != 4 || m.len() > 2 || d.len() > 2 {
        return None;
    }
    let date = NaiveDate::from_ymd_opt(y.parse().ok()?, m.parse().ok()?, d.parse().ok()?)?;
    if time.is_empty() {
        return Some(date.and_time(NaiveTime::MIN));
    }
    let time = strip_offset(time)?;
    let upper = time.to_ascii_uppercase();
    let (clock, meridiem) = match upper
        .strip_suffix("AM")
        .or_else(|| upper.strip_suffix("A.M."))
    {
        Some(c) => (c.trim_end().to_string(), Some(false)),
        None => match upper
            .strip_suffix("PM")
            .or_else(|| upper.strip_suffix("P.M."))
        {
            Some(c) => (c.trim_end().to_string(), Some(true)),
            None => (upper.clone(), None),
        },
    };
    let mut fields = clock.split(':');
    let hour: u32 = fields.next()?.parse().ok()?;
    let minute: u32 = fields.next()?.parse().ok()?;
    let second: f64 = fields.next().map_or(Ok(0.0), str::parse).ok()?;
    if fields.next().is_some() {
        return None;
    }
    let hour = match meridiem {
        None => hour,
        Some(_) if !(1..=12).contains(&hour) => return None,
        Some(pm) => hour % 12 + if pm { 12 } else { 0 },
    };
    let whole = second.trunc();
    let nanos = ((second - whole) * 1e9).round() as u32;
    date.and_hms_nano_opt(hour, minute, whole as u32, nanos)
}

fn strip_offset(time: &str) -> Option<&str> {
    if let Some(t) = time.strip_suffix(['Z', 'z']) {
        return Some(t);
    }
    // Ruby and Rails write `10:22:01 UTC` (Touchpoints' `Created at`).
    if let Some(t) = time
        .strip_suffix(" UTC")
        .or_else(|| time.strip_suffix(" GMT"))
    {
        return Some(t.trim_end());
    }
    match time.rfind(['+', '-']) {
        Some(i) => {
            let offset = &time[i + 1..];
            let ok = matches!(offset.len(), 2 | 4 | 5)
                && offset
                    .bytes()
                    .filter(|b| *b != b':')
                    .all(|b| b.is_ascii_digit());
            ok.then_some(time[..i].trim_end())
        }
        None => Some(time),
    }
}

/// An Excel serial day number (1900 date system) as a date-time.
pub(super) fn serial_to_datetime(n: f64) -> Option<NaiveDateTime> {
    // Excel's valid range: 1900-01-01 (serial 1) to 9999-12-31.
    if !(1.0..2_958_466.0).contains(&n) {
        return None;
    }
    let dt = calamine::ExcelDateTime::new(n, calamine::ExcelDateTimeType::DateTime, false);
    dt.as_datetime()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::row::plain_number;

    fn dt(s: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S").unwrap()
    }

    #[test]
    fn parses_iso_dates() {
        assert_eq!(
            parse_datetime("2025-02-14"),
            Some(dt("2025-02-14 00:00:00"))
        );
        assert_eq!(
            parse_datetime("2025-02-14 10:22:01"),
            Some(dt("2025-02-14 10:22:01"))
        );
        assert_eq!(
            parse_datetime("2025-02-14T10:22:01"),
            Some(dt("2025-02-14 10:22:01"))
        );
        assert_eq!(
            parse_datetime("2025-02-14T10:22"),
            Some(dt("2025-02-14 10:22:00"))
        );
        assert_eq!(
            parse_datetime("2025-02-14T10:22:01.250Z").map(|d| d.date()),
            Some(dt("2025-02-14 00:00:00").date())
        );
        assert_eq!(
            parse_datetime("2025-03-31T23:30:00-05:00"),
            Some(dt("2025-03-31 23:30:00"))
        );
        assert_eq!(parse_datetime("2025-02-30"), None);
        assert_eq!(
            parse_datetime("02/14/2025"),
            Some(dt("2025-02-14 00:00:00"))
        );
        assert_eq!(
            parse_datetime("2/4/2025 9:05"),
            Some(dt("2025-02-04 09:05:00"))
        );
        assert_eq!(
            parse_datetime("12/31/2024 11:59:59 PM"),
            Some(dt("2024-12-31 23:59:59"))
        );
        assert_eq!(
            parse_datetime("1/1/2025 12:00 AM"),
            Some(dt("2025-01-01 00:00:00"))
        );
        assert_eq!(
            parse_datetime("2025-02-14 15:22:01 UTC"),
            Some(dt("2025-02-14 15:22:01"))
        );
        assert_eq!(
            parse_datetime("2025-02-14 15:22:01 -0500"),
            Some(dt("2025-02-14 15:22:01"))
        );
        assert_eq!(parse_datetime("14/02/2025"), None);
        assert_eq!(parse_datetime("2/14/25"), None);
        assert_eq!(parse_datetime("2/14/2025 13:00 PM"), None);
        assert_eq!(parse_datetime("2025-02-14 25:00"), None);
        assert_eq!(parse_datetime("2025-02-14x"), None);
    }

    #[test]
    fn fast_paths_agree_with_the_general_parsers() {
        for text in [
            "2025-02-14 10:22:01",
            "2025-02-14T10:22:01",
            "2025-02-14",
            "2024-02-29 23:59:59",
            "2025-02-29 10:00:00",
            "2025-13-01",
            "2025-02-14 24:00:00",
        ] {
            let general = NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M:%S")
                .or_else(|_| NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M:%S"))
                .ok()
                .or_else(|| {
                    NaiveDate::parse_from_str(text, "%Y-%m-%d")
                        .ok()
                        .map(|d| d.and_time(NaiveTime::MIN))
                });
            assert_eq!(parse_datetime(text), general, "{text}");
        }
        assert_eq!(
            fixed_datetime(b"2025-02-14 10:22"),
            None,
            "other layouts fall through"
        );
        assert_eq!(plain_number("4"), Some(4));
        assert_eq!(plain_number("042"), Some(42));
        for not in ["", "4.0", "-1", "1234567890", " 4", "٤"] {
            assert_eq!(plain_number(not), None, "{not:?}");
        }
        assert_eq!(trim(" a "), "a");
        assert_eq!(trim("a\u{a0}"), "a");
        assert_eq!(trim("abc"), "abc");
    }

    #[test]
    fn excel_serials() {
        assert_eq!(serial_to_datetime(45702.0), Some(dt("2025-02-14 00:00:00")));
        assert_eq!(serial_to_datetime(45702.5), Some(dt("2025-02-14 12:00:00")));
        assert_eq!(serial_to_datetime(-3.0), None);
    }
}
