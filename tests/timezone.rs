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
        notes.contains(
            "4 date-times stating their UTC offset or time zone were seen in America/New_York time"
        ),
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

/// A Qualtrics export states the zone of its date columns in its third
/// header row: times written in UTC (`"timeZone":"Z"`) are instants.
#[test]
fn qualtrics_date_columns_are_read_in_the_zone_their_import_id_states() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("qualtrics.csv");
    let row = |id: &str, when: &str| {
        format!(
            "{when},{when},IP Address,100,True,{when},{id},Passport Renewal,Online,computer,4,5\n"
        )
    };
    let mut text = String::from(
        "StartDate,EndDate,Status,Progress,Finished,RecordedDate,ResponseId,service,touchpoint,channel,Q1,Q2\n\
         Start Date,End Date,Response Type,Progress,Finished,Recorded Date,Response ID,service,touchpoint,channel,\
         I am satisfied with the service I received.,This interaction increased my confidence in the Department.\n",
    );
    let ids = [
        "startDate",
        "endDate",
        "status",
        "progress",
        "finished",
        "recordedDate",
        "_recordId",
        "service",
        "touchpoint",
        "channel",
        "QID1",
        "QID2",
    ];
    let import_row: Vec<String> = ids
        .iter()
        .map(|i| {
            let zone = if i.ends_with("Date") {
                ",\"\"timeZone\"\":\"\"Z\"\""
            } else {
                ""
            };
            format!("\"{{\"\"ImportId\"\":\"\"{i}\"\"{zone}}}\"")
        })
        .collect();
    text.push_str(&import_row.join(","));
    text.push('\n');
    // 03:00 UTC on 1 January is 22:00 on 31 December in Washington: Q1.
    text.push_str(&row("R_1", "2025-01-01 03:00:00"));
    // 06:00 UTC is 01:00 on 1 January in Washington: Q2.
    text.push_str(&row("R_2", "2025-01-01 06:00:00"));
    std::fs::write(&path, text).unwrap();
    let file = path.display().to_string();
    let (q1, doc) = in_quarter(&file, "1", None);
    assert_eq!(q1, 1, "{doc:#}");
    let notes = doc["stats"]["notes"].to_string();
    assert!(
        notes.contains("holds times in UTC (its ImportId says so)"),
        "{notes}"
    );
    assert_eq!(in_quarter(&file, "2", None).0, 1);
    // Seen in UTC, both are 1 January.
    assert_eq!(in_quarter(&file, "2", Some("UTC")).0, 2);
}
