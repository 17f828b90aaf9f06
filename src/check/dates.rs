//! Dates as exports write them: ISO 8601, the US month-first form, and
//! Excel serial numbers.

use chrono::{NaiveDate, NaiveDateTime, NaiveTime};

use super::row::trim;

/// A date-time as written, and the UTC offset it states (seconds east of
/// UTC), if it states one: then it is an instant, to be seen in the
/// reporting time zone.
pub(crate) type Written = (NaiveDateTime, Option<i32>);

/// ISO 8601 dates and date-times: `2025-02-14`, `2025-02-14 10:22`,
/// `2025-02-14 10:22:01`, `2025-02-14T10:22:01.123`, with an optional `Z`,
/// `UTC`/`GMT` or UTC offset (`-05:00`, `-0500`, `-05`). Also the US form
/// Excel and survey platforms write: `2/14/2025`, `2/14/2025 10:22`,
/// `2/14/2025 10:22:01 AM` (month first, four-digit year).
pub(crate) fn parse_datetime(text: &str) -> Option<Written> {
    // chrono's FromStr parsers use prebuilt formats: much cheaper per row
    // than parse_from_str, which reads its format string every call.
    let text = trim(text);
    if let Some(fixed) = fixed_datetime(text.as_bytes()) {
        return fixed.map(|at| (at, None));
    }
    let Some(date) = text.get(..10).and_then(|d| d.parse::<NaiveDate>().ok()) else {
        return parse_us_datetime(text);
    };
    let rest = &text[10..];
    if rest.is_empty() {
        return Some((date.and_time(NaiveTime::MIN), None));
    }
    let (time, offset) = split_offset(rest.strip_prefix(['T', ' '])?)?;
    let time = time
        .parse::<NaiveTime>()
        .or_else(|_| NaiveTime::parse_from_str(time, "%H:%M"))
        .ok()?;
    Some((date.and_time(time), offset))
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
fn parse_us_datetime(text: &str) -> Option<Written> {
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
        return Some((date.and_time(NaiveTime::MIN), None));
    }
    let (time, offset) = split_offset(time)?;
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
    Some((
        date.and_hms_nano_opt(hour, minute, whole as u32, nanos)?,
        offset,
    ))
}

/// A time and the UTC offset written after it, in seconds east of UTC.
fn split_offset(time: &str) -> Option<(&str, Option<i32>)> {
    if let Some(t) = time.strip_suffix(['Z', 'z']) {
        return Some((t, Some(0)));
    }
    // Ruby and Rails write `10:22:01 UTC` (Touchpoints' `Created at`).
    if let Some(t) = time
        .strip_suffix(" UTC")
        .or_else(|| time.strip_suffix(" GMT"))
    {
        return Some((t.trim_end(), Some(0)));
    }
    match time.rfind(['+', '-']) {
        Some(i) => {
            let digits: String = time[i + 1..].chars().filter(|c| *c != ':').collect();
            let shape_ok = matches!(time.len() - i - 1, 2 | 4 | 5)
                && digits.len() >= 2
                && digits.bytes().all(|b| b.is_ascii_digit());
            if !shape_ok {
                return None;
            }
            let hours: i32 = digits[..2].parse().ok()?;
            let minutes: i32 = digits
                .get(2..)
                .filter(|m| !m.is_empty())
                .map_or(Ok(0), str::parse)
                .ok()?;
            if hours > 18 || minutes > 59 {
                return None;
            }
            let sign = if time.as_bytes()[i] == b'-' { -1 } else { 1 };
            Some((
                time[..i].trim_end(),
                Some(sign * (hours * 3600 + minutes * 60)),
            ))
        }
        None => Some((time, None)),
    }
}

/// The local date-time, in `zone`, of an instant written with a UTC offset.
pub(crate) fn in_zone(
    written: NaiveDateTime,
    offset: i32,
    zone: chrono_tz::Tz,
) -> Option<NaiveDateTime> {
    use chrono::TimeZone;
    let utc = written.checked_sub_signed(chrono::TimeDelta::seconds(i64::from(offset)))?;
    Some(zone.from_utc_datetime(&utc).naive_local())
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
            parse_datetime("2025-02-14").map(|(d, _)| d),
            Some(dt("2025-02-14 00:00:00"))
        );
        assert_eq!(
            parse_datetime("2025-02-14 10:22:01").map(|(d, _)| d),
            Some(dt("2025-02-14 10:22:01"))
        );
        assert_eq!(
            parse_datetime("2025-02-14T10:22:01").map(|(d, _)| d),
            Some(dt("2025-02-14 10:22:01"))
        );
        assert_eq!(
            parse_datetime("2025-02-14T10:22").map(|(d, _)| d),
            Some(dt("2025-02-14 10:22:00"))
        );
        assert_eq!(
            parse_datetime("2025-02-14T10:22:01.250Z").map(|(d, _)| d.date()),
            Some(dt("2025-02-14 00:00:00").date())
        );
        assert_eq!(
            parse_datetime("2025-03-31T23:30:00-05:00").map(|(d, _)| d),
            Some(dt("2025-03-31 23:30:00"))
        );
        assert_eq!(parse_datetime("2025-02-30").map(|(d, _)| d), None);
        assert_eq!(
            parse_datetime("02/14/2025").map(|(d, _)| d),
            Some(dt("2025-02-14 00:00:00"))
        );
        assert_eq!(
            parse_datetime("2/4/2025 9:05").map(|(d, _)| d),
            Some(dt("2025-02-04 09:05:00"))
        );
        assert_eq!(
            parse_datetime("12/31/2024 11:59:59 PM").map(|(d, _)| d),
            Some(dt("2024-12-31 23:59:59"))
        );
        assert_eq!(
            parse_datetime("1/1/2025 12:00 AM").map(|(d, _)| d),
            Some(dt("2025-01-01 00:00:00"))
        );
        assert_eq!(
            parse_datetime("2025-02-14 15:22:01 UTC").map(|(d, _)| d),
            Some(dt("2025-02-14 15:22:01"))
        );
        assert_eq!(
            parse_datetime("2025-02-14 15:22:01 -0500").map(|(d, _)| d),
            Some(dt("2025-02-14 15:22:01"))
        );
        assert_eq!(parse_datetime("14/02/2025").map(|(d, _)| d), None);
        assert_eq!(parse_datetime("2/14/25").map(|(d, _)| d), None);
        assert_eq!(parse_datetime("2/14/2025 13:00 PM").map(|(d, _)| d), None);
        assert_eq!(parse_datetime("2025-02-14 25:00").map(|(d, _)| d), None);
        assert_eq!(parse_datetime("2025-02-14x").map(|(d, _)| d), None);
    }

    #[test]
    fn offsets_are_read_as_seconds_east_of_utc() {
        let offset = |t: &str| parse_datetime(t).and_then(|(_, o)| o);
        assert_eq!(offset("2025-01-01T02:00:00Z"), Some(0));
        assert_eq!(offset("2025-01-01 02:00:00 UTC"), Some(0));
        assert_eq!(offset("2025-01-01T02:00:00-05:00"), Some(-5 * 3600));
        assert_eq!(offset("2025-01-01T02:00:00+0530"), Some(5 * 3600 + 30 * 60));
        assert_eq!(offset("2025-01-01T02:00:00-04"), Some(-4 * 3600));
        assert_eq!(offset("1/1/2025 2:00 AM UTC"), Some(0));
        assert_eq!(offset("2025-01-01 02:00:00"), None);
        assert_eq!(parse_datetime("2025-01-01T02:00:00+25:00"), None);
    }

    #[test]
    fn instants_are_seen_in_the_reporting_zone() {
        let ny: chrono_tz::Tz = "America/New_York".parse().unwrap();
        // 02:00 UTC on 1 January is 21:00 on 31 December in Washington
        // (EST, UTC-5); in July it is EDT, UTC-4.
        assert_eq!(
            in_zone(dt("2025-01-01 02:00:00"), 0, ny),
            Some(dt("2024-12-31 21:00:00"))
        );
        assert_eq!(
            in_zone(dt("2025-07-01 02:00:00"), 0, ny),
            Some(dt("2025-06-30 22:00:00"))
        );
        assert_eq!(
            in_zone(dt("2025-03-31 23:30:00"), -7 * 3600, ny),
            Some(dt("2025-04-01 02:30:00"))
        );
        assert_eq!(
            in_zone(dt("2025-01-01 02:00:00"), 0, chrono_tz::UTC),
            Some(dt("2025-01-01 02:00:00"))
        );
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
            assert_eq!(parse_datetime(text).map(|(d, _)| d), general, "{text}");
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
