//! Date-times that state their UTC offset are instants: their quarter is
//! the one of their local time in the reporting zone (America/New_York
//! unless `--timezone` says otherwise). Date-times without one are taken as
//! written.

mod common;
use common::*;

/// Rows on the FY2025 Q1/Q2 boundary (1 January 2025), written in UTC, with
/// an offset, and without one.
fn boundary_export(dir: &std::path::Path) -> String {
    let path = dir.join("boundary.csv");
    let rows = [
        // 21:00 on 31 December in Washington (EST, UTC-5): Q1.
        "R-1,2025-01-01T02:00:00Z",
        // Touchpoints' "Created at": 23:59 on 31 December in Washington: Q1.
        "R-2,2025-01-01 04:59:00 UTC",
        // 00:00 on 1 January in Washington: Q2.
        "R-3,2025-01-01 05:00:00 UTC",
        // 23:30 on 31 December at UTC-08:00 is 02:30 on 1 January in Washington: Q2.
        "R-4,2024-12-31T23:30:00-08:00",
        // No offset: taken as written, Q1.
        "R-5,2024-12-31 23:30:00",
    ];
    let mut text =
        String::from("response_id,submitted_at,service,touchpoint,channel,satisfaction,trust\n");
    for row in rows {
        text.push_str(&format!("{row},Passport Renewal,Online,computer,4,5\n"));
    }
    std::fs::write(&path, text).unwrap();
    path.display().to_string()
}

fn in_quarter(file: &str, quarter: &str, zone: Option<&str>) -> (u64, serde_json::Value) {
    let mut args = vec![file, "--fiscal-year", "2025", "--quarter", quarter];
    if let Some(zone) = zone {
        args.extend(["--timezone", zone]);
    }
    let (status, doc) = validate_json(&args);
    assert!(status == 0 || status == 1, "{doc}");
    (doc["stats"]["rows_in_quarter"].as_u64().unwrap(), doc)
}

#[test]
fn utc_instants_on_the_boundary_land_in_the_quarter_of_their_eastern_time() {
    let dir = tempfile::tempdir().unwrap();
    let file = boundary_export(dir.path());
    assert_eq!(in_quarter(&file, "1", None).0, 3, "R-1, R-2, R-5 in Q1");
    let (q2, doc) = in_quarter(&file, "2", None);
    assert_eq!(q2, 2, "R-3, R-4 in Q2");
    assert_eq!(doc["stats"]["files"][0]["instants_converted"], 4);
    let notes = doc["stats"]["notes"].to_string();
    assert!(
        notes.contains("4 date-times stating a UTC offset were seen in America/New_York time"),
        "{notes}"
    );
}

#[test]
fn the_timezone_option_moves_them() {
    let dir = tempfile::tempdir().unwrap();
    let file = boundary_export(dir.path());
    // In UTC, R-1..R-4 fall on 1 January (Q2); R-5 has no offset (Q1).
    assert_eq!(in_quarter(&file, "1", Some("UTC")).0, 1);
    assert_eq!(in_quarter(&file, "2", Some("UTC")).0, 4);
    // Honolulu (UTC-10): every instant is still 31 December.
    assert_eq!(in_quarter(&file, "1", Some("Pacific/Honolulu")).0, 5);
}

#[test]
fn an_unknown_zone_is_a_usage_error() {
    let out = hisp(&[
        "validate",
        &fixture("responses-fy2025.csv"),
        "--timezone",
        "Eastern",
    ]);
    assert_eq!(code(&out), 2);
    assert!(
        stderr(&out).contains("unknown time zone \"Eastern\""),
        "{}",
        stderr(&out)
    );
}
