//! One test per validation rule: its type, severity, row, column and field;
//! and the exit statuses.

mod common;
use common::*;

use serde_json::Value;
use std::path::Path;

fn write(dir: &Path, name: &str, content: &str) -> String {
    let path = dir.join(name);
    std::fs::write(&path, content).unwrap();
    path.display().to_string()
}

const HEADER: &str = "response_id,submitted_at,service,touchpoint,channel,satisfaction,trust,effectiveness,ease,efficiency,transparency,employee,comment";

fn one(doc: &Value, kind: &str) -> Value {
    let found = entries(doc, kind);
    assert_eq!(found.len(), 1, "one {kind} in {doc:#}");
    found[0].clone()
}

fn at(e: &Value) -> (Value, Value, Value, Value) {
    (
        e["severity"].clone(),
        e["row"].clone(),
        e["column"].clone(),
        e["field"].clone(),
    )
}

#[test]
fn injected_errors_are_reported_where_they_are() {
    let (status, doc) = validate_json(&[&fixture("broken/bad-values.csv")]);
    assert_eq!(status, 1);
    assert_eq!(doc["valid"], false);
    let e = one(&doc, "likert-out-of-scale");
    assert_eq!(
        at(&e),
        ("error".into(), 3.into(), "F".into(), "satisfaction".into())
    );
    assert_eq!(e["value"], "6");
    assert_eq!(e["file"], fixture("broken/bad-values.csv"));
    let e = one(&doc, "unknown-channel");
    assert_eq!(
        at(&e),
        ("error".into(), 4.into(), "E".into(), "channel".into())
    );
    assert_eq!(e["value"], "webb");
    let e = one(&doc, "constraint-error");
    assert_eq!(
        at(&e),
        ("error".into(), 5.into(), "C".into(), "service".into())
    );
    let e = one(&doc, "unique-error");
    assert_eq!(
        at(&e),
        ("error".into(), 7.into(), "A".into(), "response_id".into())
    );
    assert!(e["message"].as_str().unwrap().contains("row 2"));
    let types = entries(&doc, "type-error");
    let places: Vec<(Value, Value, Value)> = types
        .iter()
        .map(|e| (e["row"].clone(), e["column"].clone(), e["value"].clone()))
        .collect();
    assert_eq!(
        places,
        vec![
            (6.into(), "B".into(), "2025-02-30 14:00:00".into()),
            (8.into(), "G".into(), "3.5".into()),
            (9.into(), "F".into(), "Very good".into()),
        ]
    );
    assert_eq!(doc["stats"]["errors"], 7);
    assert_eq!(doc["stats"]["rows_invalid"], 7);
    assert_eq!(types[0]["column_number"], 2);
}

#[test]
fn missing_required_column_is_an_error_at_the_header() {
    let (status, doc) = validate_json(&[&fixture("broken/missing-channel.csv")]);
    assert_eq!(status, 1);
    let missing: Vec<&Value> = entries(&doc, "missing-label");
    let channel = missing.iter().find(|e| e["field"] == "channel").unwrap();
    assert_eq!(channel["severity"], "error");
    assert_eq!(channel["row"], 1);
    // Recommended question columns missing: warnings.
    let ease = missing.iter().find(|e| e["field"] == "ease").unwrap();
    assert_eq!(ease["severity"], "warning");
}

#[test]
fn ragged_rows_are_missing_and_extra_cells() {
    let (status, doc) = validate_json(&[&fixture("broken/ragged.csv")]);
    assert_eq!(status, 1);
    let e = one(&doc, "missing-cell");
    assert_eq!(
        (e["row"].clone(), e["column"].clone()),
        (3.into(), "E".into())
    );
    let e = one(&doc, "extra-cell");
    assert_eq!(
        (e["row"].clone(), e["column"].clone()),
        (4.into(), "F".into())
    );
}

#[test]
fn header_problems() {
    let dir = tempfile::tempdir().unwrap();
    let f = write(
        dir.path(),
        "h.csv",
        "service,touchpoint,channel,satisfaction,trust,,Trust,Region\nA,B,phone,5,4,x,4,East\n",
    );
    let (status, doc) = validate_json(&[&f]);
    assert_eq!(status, 1);
    let e = one(&doc, "blank-label");
    assert_eq!(
        (e["row"].clone(), e["column"].clone(), e["severity"].clone()),
        (1.into(), "F".into(), "warning".into())
    );
    let e = one(&doc, "duplicate-label");
    assert_eq!(
        (
            e["column"].clone(),
            e["field"].clone(),
            e["severity"].clone()
        ),
        ("G".into(), "trust".into(), "error".into())
    );
    let e = one(&doc, "extra-label");
    assert_eq!(
        (e["column"].clone(), e["value"].clone()),
        ("H".into(), "Region".into())
    );
}

#[test]
fn blank_and_empty_rows_are_warnings() {
    let dir = tempfile::tempdir().unwrap();
    let f = write(
        dir.path(),
        "b.csv",
        &format!(
            "{HEADER}\nR1,2025-02-01,A,B,phone,5,,,,,,,\n,,,,,,,,,,,,\nR3,2025-02-01,A,B,phone,,,,,,,,just a comment\n"
        ),
    );
    let (status, doc) = validate_json(&[&f]);
    assert_eq!(status, 0, "{doc:#}");
    assert_eq!(doc["valid"], true);
    assert_eq!(one(&doc, "blank-row")["row"], 3);
    let e = one(&doc, "empty-response");
    assert_eq!(
        (e["row"].clone(), e["severity"].clone()),
        (4.into(), "warning".into())
    );
    assert_eq!(doc["stats"]["respondents"], 1);
    // --strict turns warnings into failure.
    let out = hisp(&["validate", "--strict", &f]);
    assert_eq!(code(&out), 1);
}

#[test]
fn labels_numbers_and_missing_markers_are_read() {
    let dir = tempfile::tempdir().unwrap();
    let f = write(
        dir.path(),
        "l.csv",
        &format!(
            "{HEADER}\nR1,2025-02-01,A,B,In person,Strongly Agree,neither agree nor disagree,4.0,4 - Agree,DISAGREE,N/A,,\n"
        ),
    );
    let out = hisp(&[
        "aggregate",
        "--format",
        "json",
        "--fiscal-year",
        "2025",
        "--quarter",
        "2",
        &f,
    ]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
    let survey = &doc["surveys"][0];
    assert_eq!(survey["channel"], "in_person");
    let counts: Vec<Value> = survey["questions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|q| q["counts"].clone())
        .collect();
    assert_eq!(counts[0], serde_json::json!([0, 0, 0, 0, 1]));
    assert_eq!(counts[1], serde_json::json!([0, 0, 1, 0, 0]));
    assert_eq!(counts[2], serde_json::json!([0, 0, 0, 1, 0]));
    assert_eq!(counts[3], serde_json::json!([0, 0, 0, 1, 0]));
    assert_eq!(counts[4], serde_json::json!([0, 1, 0, 0, 0]));
    assert_eq!(counts[5], serde_json::json!([0, 0, 0, 0, 0]));
}

#[test]
fn quarter_filter_counts_rows_outside_and_warns_when_none_fit() {
    let f = fixture("responses-fy2025.csv");
    let (status, doc) = validate_json(&["--fiscal-year", "2025", "--quarter", "2", &f]);
    assert_eq!(status, 0);
    assert_eq!(doc["stats"]["rows_in_quarter"], 94);
    assert_eq!(doc["stats"]["rows_outside_quarter"], 38);
    assert_eq!(doc["stats"]["quarter"]["start"], "2025-01-01");
    let (_, doc) = validate_json(&["--fiscal-year", "2023", "--quarter", "1", &f]);
    let e = one(&doc, "outside-quarter");
    assert!(
        e["message"]
            .as_str()
            .unwrap()
            .contains("2022-10-01 to 2022-12-31 (its dates run from 2024-10-03 to 2025-05-26)"),
        "{e}"
    );
    // Without a quarter every row is checked.
    let (_, doc) = validate_json(&[&f]);
    assert_eq!(doc["stats"]["rows_in_quarter"], 132);
}

#[test]
fn undated_exports_are_counted_whole_and_said_so() {
    let dir = tempfile::tempdir().unwrap();
    let f = write(
        dir.path(),
        "u.csv",
        "service,touchpoint,channel,satisfaction,trust\nA,B,phone,5,4\n",
    );
    let (_, doc) = validate_json(&["--fiscal-year", "2025", "--quarter", "2", &f]);
    assert_eq!(one(&doc, "no-dates")["severity"], "warning");
    assert_eq!(doc["stats"]["rows_in_quarter"], 1);
}

#[test]
fn spelling_variants_are_merged_and_reported() {
    let dir = tempfile::tempdir().unwrap();
    let f = write(
        dir.path(),
        "s.csv",
        "service,touchpoint,channel,satisfaction,trust\nPassport Renewal,Online,computer,5,4\npassport renewal ,Online,computer,4,4\n",
    );
    let (_, doc) = validate_json(&[&f]);
    let e = one(&doc, "spelling-variant");
    assert_eq!(
        (e["row"].clone(), e["value"].clone()),
        (3.into(), "passport renewal".into())
    );
}

#[test]
fn invalid_utf8_is_an_encoding_error_at_its_cell() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("e.csv");
    std::fs::write(
        &path,
        b"service,touchpoint,channel,satisfaction,trust\nCaf\xe9,B,phone,5,4\n",
    )
    .unwrap();
    let file = path.display().to_string();
    let (status, doc) = validate_json(&["--encoding", "utf-8", &file]);
    assert_eq!(status, 1);
    let e = one(&doc, "encoding-error");
    assert_eq!(
        (e["row"].clone(), e["column"].clone()),
        (2.into(), "A".into())
    );
    // Without --encoding the file is recognised as Windows-1252, with a warning.
    let (status, doc) = validate_json(&[&file]);
    assert_eq!(status, 0, "{doc:#}");
    let w = one(&doc, "encoding-fallback");
    assert_eq!(w["value"], "windows-1252");
}

#[test]
fn invalid_utf8_past_the_sniffed_head_is_an_error_at_its_row() {
    // The first megabyte is valid UTF-8, so the file is read as UTF-8; a
    // Windows-1252 byte further on is an error where it is, not a panic.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("late.csv");
    let mut data = b"service,touchpoint,channel,satisfaction,trust\n".to_vec();
    let rows = 40_000;
    for _ in 0..rows {
        data.extend_from_slice(b"Passport Renewal,Online application,computer,5,4\n");
    }
    data.extend_from_slice(b"Passport Renewal,Caf\xe9,computer,5,4\n");
    std::fs::write(&path, &data).unwrap();
    let (status, doc) = validate_json(&[&path.display().to_string()]);
    assert_eq!(status, 1);
    let e = one(&doc, "encoding-error");
    assert_eq!(
        (e["row"].clone(), e["column"].clone(), e["field"].clone()),
        ((rows + 2).into(), "B".into(), "touchpoint".into())
    );
    assert!(
        e["message"]
            .as_str()
            .unwrap()
            .contains("--encoding windows-1252")
    );
}

#[test]
fn manifest_rules() {
    let dir = tempfile::tempdir().unwrap();
    let responses = write(
        dir.path(),
        "r.csv",
        "service,touchpoint,channel,satisfaction,trust\nA,T,phone,5,4\nA,T,phone,5,4\nA,T,phone,5,4\nB,T,email,5,4\n",
    );
    let services = write(
        dir.path(),
        "m.csv",
        "service,touchpoint,channel,organization_name,volume_of_customers,volume_of_customers_provided_survey_opportunity,omb_control_number\n\
         A,T,phone,Dept,100,2,12345678\n\
         C,T,phone,Dept,10,20,1234-5678\n\
         A,T,Phone,Dept,1,1,1234-5678\n\
         D,T,phone,Dept,-5,1,1234-5678\n",
    );
    let (status, doc) = validate_json(&["--services", &services, &responses]);
    assert_eq!(status, 1, "{doc:#}");
    let e = one(&doc, "omb-control-number");
    assert_eq!(
        (e["row"].clone(), e["column"].clone(), e["severity"].clone()),
        (2.into(), "G".into(), "warning".into())
    );
    let order = entries(&doc, "volume-order");
    let rows: Vec<Value> = order.iter().map(|e| e["row"].clone()).collect();
    assert!(
        rows.contains(&3.into()),
        "offered > customers at row 3: {rows:?}"
    );
    assert!(
        rows.contains(&2.into()),
        "3 respondents > 2 offered at row 2: {rows:?}"
    );
    let e = one(&doc, "primary-key");
    assert_eq!(e["row"], 4);
    let e = one(&doc, "constraint-error");
    assert_eq!(
        (e["row"].clone(), e["column"].clone(), e["value"].clone()),
        (5.into(), "E".into(), "-5".into())
    );
    let without: Vec<&str> = entries(&doc, "survey-without-responses")
        .iter()
        .map(|e| e["message"].as_str().unwrap())
        .collect();
    assert!(
        without.iter().any(|m| m.contains("C / T / phone")),
        "{without:?}"
    );
    assert!(
        one(&doc, "survey-not-in-manifest")["message"]
            .as_str()
            .unwrap()
            .contains("B / T / email")
    );
}

#[test]
fn max_errors_caps_the_list_not_the_counts() {
    let (_, doc) = validate_json(&["--max-errors", "2", &fixture("broken/bad-values.csv")]);
    assert_eq!(doc["errors"].as_array().unwrap().len(), 2);
    assert_eq!(doc["stats"]["errors"], 7);
    assert_eq!(doc["stats"]["truncated"], true);
}

#[test]
fn csv_report_is_flat_and_formula_safe() {
    let dir = tempfile::tempdir().unwrap();
    let f = write(
        dir.path(),
        "c.csv",
        "service,touchpoint,channel,satisfaction,trust\n=cmd(),B,phone,9,4\n",
    );
    let out = hisp(&["validate", "--format", "csv", &f]);
    assert_eq!(code(&out), 1);
    let mut reader = csv::Reader::from_reader(out.stdout.as_slice());
    assert_eq!(
        reader.headers().unwrap().iter().collect::<Vec<_>>(),
        [
            "type",
            "severity",
            "file",
            "sheet",
            "row",
            "column",
            "column_number",
            "field",
            "value",
            "message"
        ]
    );
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    let scale = rows
        .iter()
        .find(|r| &r[0] == "likert-out-of-scale")
        .unwrap();
    assert_eq!((&scale[4], &scale[5], &scale[8]), ("2", "D", "9"));
}

#[test]
fn human_report_summarises_by_type_and_field() {
    let out = hisp(&["validate", &fixture("broken/bad-values.csv")]);
    assert_eq!(code(&out), 1);
    let text = stdout(&out);
    assert!(text.contains("error[likert-out-of-scale]"), "{text}");
    assert!(
        text.contains("row 3, column F (satisfaction): \"6\""),
        "{text}"
    );
    assert!(text.contains("Summary by type and field"));
    assert!(text.contains("INVALID: 7 errors"));
}

#[test]
fn exit_statuses() {
    // Usage: unknown flag, bad quarter, missing mapping file, bad mapping.
    assert_eq!(code(&hisp(&["validate", "--bogus", "x.csv"])), 2);
    assert_eq!(
        code(&hisp(&[
            "report",
            "x.csv",
            "-o",
            "o.xlsx",
            "--fiscal-year",
            "2025",
            "--quarter",
            "5"
        ])),
        2
    );
    assert_eq!(
        code(&hisp(&[
            "validate",
            "--map",
            "/nonexistent.toml",
            &fixture("services.csv")
        ])),
        2
    );
    let dir = tempfile::tempdir().unwrap();
    let map = write(dir.path(), "m.toml", "[columns]\n\"Svc\" = \"servise\"\n");
    let out = hisp(&["validate", "--map", &map, &fixture("responses-fy2025.csv")]);
    assert_eq!(code(&out), 2);
    assert!(stderr(&out).contains("servise"));
    // Unreadable input.
    let out = hisp(&["validate", "/nonexistent/responses.csv"]);
    assert_eq!(code(&out), 66);
    assert!(stderr(&out).contains("/nonexistent/responses.csv"));
    assert_eq!(code(&hisp(&["validate", &fixture("broken/empty.csv")])), 66);
    // --help and --version succeed.
    assert_eq!(code(&hisp(&["--version"])), 0);
    assert!(stdout(&hisp(&["report", "--help"])).contains("73"));
}

#[test]
fn stdin_semicolons_and_bom() {
    let data = "\u{feff}service;touchpoint;channel;satisfaction;trust\r\nA;\"Line; one\";automated phone;5;4\r\n";
    let out = hisp_stdin(
        &[
            "aggregate",
            "--format",
            "json",
            "--fiscal-year",
            "2025",
            "--quarter",
            "2",
            "-",
        ],
        data.as_bytes(),
    );
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(doc["surveys"][0]["touchpoint"], "Line; one");
    assert_eq!(doc["surveys"][0]["channel"], "automated_phone");
    assert_eq!(doc["surveys"][0]["respondents"], 1);
}

#[test]
fn mapping_file_renames_labels_and_constants() {
    let dir = tempfile::tempdir().unwrap();
    let f = write(
        dir.path(),
        "export.csv",
        "Date,Which service?,Where,Q1,Q2\n2025-02-01,Passport,Online,Very satisfied,5\n2025-02-02,Passport,Online,4,-\n",
    );
    let map = write(
        dir.path(),
        "map.toml",
        "missing_values = [\"-\"]\n[columns]\n\"Date\" = \"submitted_at\"\n\"Which service?\" = \"service\"\n\"Where\" = \"touchpoint\"\n\"Q1\" = \"satisfaction\"\n\"Q2\" = \"trust\"\n[labels]\n\"Very satisfied\" = 5\n[constants]\nchannel = \"computer\"\n",
    );
    let out = hisp(&[
        "aggregate",
        "--format",
        "json",
        "--map",
        &map,
        "--fiscal-year",
        "2025",
        "--quarter",
        "2",
        &f,
    ]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
    let s = &doc["surveys"][0];
    assert_eq!(
        (
            s["service"].clone(),
            s["channel"].clone(),
            s["respondents"].clone()
        ),
        ("Passport".into(), "computer".into(), 2.into())
    );
    assert_eq!(
        s["questions"][0]["counts"],
        serde_json::json!([0, 0, 0, 1, 1])
    );
    assert_eq!(
        s["questions"][1]["counts"],
        serde_json::json!([0, 0, 0, 0, 1])
    );
}

/// An .xlsx whose table starts at C3 on a second sheet, after a hidden one.
fn offset_workbook(path: &Path) {
    use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};
    let mut wb = Workbook::new();
    let hidden = wb.add_worksheet().set_name("Old").unwrap();
    hidden.write_string(0, 0, "not this one").unwrap();
    hidden.set_hidden(true);
    let ws = wb.add_worksheet().set_name("Data").unwrap();
    ws.set_active(true); // Excel cannot hide the active sheet
    let header = [
        "submitted_at",
        "service",
        "touchpoint",
        "channel",
        "satisfaction",
        "trust",
    ];
    for (i, h) in header.iter().enumerate() {
        ws.write_string(2, 2 + i as u16, *h).unwrap();
    }
    let date = Format::new().set_num_format("yyyy-mm-dd");
    let rows: [(u16, u16, u16, &str, f64, f64); 3] = [
        (2025, 2, 14, "phone", 5.0, 4.0),
        (2025, 3, 1, "phone", 6.0, 4.0),
        (2024, 12, 31, "fax", 4.0, 3.999_999_999_9),
    ];
    for (i, (y, m, d, channel, q1, q2)) in rows.iter().enumerate() {
        let r = 3 + i as u32;
        let when = ExcelDateTime::from_ymd(*y, *m as u8, *d as u8).unwrap();
        ws.write_datetime_with_format(r, 2, &when, &date).unwrap();
        ws.write_string(r, 3, "Benefits").unwrap();
        ws.write_string(r, 4, "Call center").unwrap();
        ws.write_string(r, 5, *channel).unwrap();
        ws.write_number(r, 6, *q1).unwrap();
        ws.write_number(r, 7, *q2).unwrap();
    }
    wb.save(path).unwrap();
}

#[test]
fn excel_rows_and_columns_are_the_sheets_own() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("offset.xlsx");
    offset_workbook(&path);
    let p = path.display().to_string();
    let (status, doc) = validate_json(&["--fiscal-year", "2025", "--quarter", "2", &p]);
    assert_eq!(status, 1);
    let e = one(&doc, "likert-out-of-scale");
    assert_eq!(e["sheet"], "Data", "the hidden sheet is skipped");
    // Header on sheet row 3, so data rows are 4, 5, 6; satisfaction in G.
    assert_eq!(
        (e["row"].clone(), e["column"].clone()),
        (5.into(), "G".into())
    );
    // The December row is FY2025 Q1: outside, not checked further.
    assert_eq!(doc["stats"]["rows_outside_quarter"], 1);
    // Named and numbered sheet selection; a missing sheet is a usage error.
    let (_, doc) = validate_json(&["--sheet", "2", &p]);
    assert_eq!(doc["stats"]["files"][0]["sheet"], "Data");
    let out = hisp(&["validate", "--sheet", "Nope", &p]);
    assert_eq!(code(&out), 2);
    assert!(stderr(&out).contains("Old, Data"), "{}", stderr(&out));
}

#[test]
fn excel_float_noise_and_dates_are_read_as_shown() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("offset.xlsx");
    offset_workbook(&path);
    let p = path.display().to_string();
    let out = hisp(&[
        "aggregate",
        "--format",
        "json",
        "--skip-invalid",
        "--fiscal-year",
        "2025",
        "--quarter",
        "1",
        &p,
    ]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
    let s = &doc["surveys"][0];
    assert_eq!(s["channel"], "fax");
    // 3.9999999999 in the cell is the 4 Excel shows.
    assert_eq!(
        s["questions"][1]["counts"],
        serde_json::json!([0, 0, 0, 1, 0])
    );
}

#[test]
fn duplicate_ids_across_inputs_name_the_first_file() {
    let dir = tempfile::tempdir().unwrap();
    let second = write(
        dir.path(),
        "second.csv",
        "response_id,service,touchpoint,channel,satisfaction,trust\nB-1,A,B,phone,5,5\n",
    );
    let first = fixture("broken/bad-values.csv");
    let (_, doc) = validate_json(&[&first, &second]);
    let dup = entries(&doc, "unique-error");
    let across = dup.iter().find(|e| e["file"] == second.as_str()).unwrap();
    assert_eq!(across["row"], 2);
    assert!(
        across["message"]
            .as_str()
            .unwrap()
            .contains(&format!("row 2 of {first}"))
    );
}

#[test]
fn schema_override_changes_the_rules() {
    let dir = tempfile::tempdir().unwrap();
    let mut schema: Value =
        serde_json::from_str(&std::fs::read_to_string(root().join("schemas/a11-v1.json")).unwrap())
            .unwrap();
    for field in schema["fields"].as_array_mut().unwrap() {
        if field["name"] == "employee" {
            field["column"] = "required".into();
        }
    }
    let schema_path = write(dir.path(), "strict-employee.json", &schema.to_string());
    let f = write(
        dir.path(),
        "r.csv",
        "service,touchpoint,channel,satisfaction,trust\nA,B,phone,5,4\n",
    );
    let (status, doc) = validate_json(&["--schema", &schema_path, &f]);
    assert_eq!(status, 1);
    let employee = entries(&doc, "missing-label")
        .into_iter()
        .find(|e| e["field"] == "employee")
        .unwrap();
    assert_eq!(employee["severity"], "error");
    // The built-in schema only warns.
    let (status, _) = validate_json(&[&f]);
    assert_eq!(status, 0);
    // A schema that is not valid JSON, or lacks a field hisp needs, is a configuration error.
    let broken = write(dir.path(), "broken.json", "{ not json");
    assert_eq!(code(&hisp(&["validate", "--schema", &broken, &f])), 2);
    schema["fields"]
        .as_array_mut()
        .unwrap()
        .retain(|f| f["name"] != "channel");
    let lacking = write(dir.path(), "lacking.json", &schema.to_string());
    let out = hisp(&["validate", "--schema", &lacking, &f]);
    assert_eq!(code(&out), 2);
    assert!(stderr(&out).contains("channel"), "{}", stderr(&out));
}

#[test]
fn a_closed_pipe_on_stdout_is_not_an_error() {
    // Regression: CSV output through the csv crate hid the broken pipe and
    // the run ended with status 73.
    use std::process::{Command, Stdio};
    // Enough surveys that the CSV output outgrows the writers' buffers.
    let dir = tempfile::tempdir().unwrap();
    let mut text = String::from("service,touchpoint,channel,satisfaction,trust\n");
    for i in 0..400 {
        text += &format!("Service {i},T,phone,5,4\n");
    }
    let input = write(dir.path(), "many.csv", &text);
    for args in [
        vec![
            "aggregate",
            "--fiscal-year",
            "2025",
            "--quarter",
            "2",
            input.as_str(),
        ],
        vec!["validate", "--format", "csv", input.as_str()],
        vec!["validate", input.as_str()],
    ] {
        let mut child = Command::new(env!("CARGO_BIN_EXE_hisp"))
            .args(&args)
            .current_dir(root())
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        drop(child.stdout.take()); // the reader goes away before any output
        let out = child.wait_with_output().unwrap();
        assert_eq!(code(&out), 0, "{args:?}: {}", stderr(&out));
        assert!(!stderr(&out).contains("Broken pipe"), "{args:?}");
    }
}

/// The mapping file's channel spellings apply to the services manifest as
/// to the responses, and `mixed` (published by OMB for v1) is a channel.
#[test]
fn mapped_channels_and_mixed_apply_to_the_manifest_too() {
    let dir = tempfile::tempdir().unwrap();
    let services = dir.path().join("services.csv");
    std::fs::write(
        &services,
        "service,touchpoint,channel,organization_name,volume_of_customers,volume_of_customers_provided_survey_opportunity\n\
         Passport Renewal,Online application,Online,Department of State,1000,100\n\
         Passport Renewal,Call center,mixed,Department of State,1000,100\n",
    )
    .unwrap();
    let responses = dir.path().join("responses.csv");
    std::fs::write(
        &responses,
        "service,touchpoint,channel,submitted_at,satisfaction,trust\n\
         Passport Renewal,Online application,Online,2025-02-01,4,5\n\
         Passport Renewal,Call center,Mixed,2025-02-02,3,4\n",
    )
    .unwrap();
    let map = dir.path().join("map.toml");
    std::fs::write(&map, "[channels]\n\"Online\" = \"computer\"\n").unwrap();
    let (status, doc) = validate_json(&[
        responses.to_str().unwrap(),
        "--services",
        services.to_str().unwrap(),
        "--map",
        map.to_str().unwrap(),
        "--fiscal-year",
        "2025",
        "--quarter",
        "2",
    ]);
    assert_eq!(status, 0, "{doc:#}");
    for kind in [
        "unknown-channel",
        "survey-not-in-manifest",
        "survey-without-responses",
    ] {
        assert!(entries(&doc, kind).is_empty(), "{kind}: {doc:#}");
    }
}

/// A comment with pasted tabs (unquoted) does not make a comma file
/// tab-separated: the delimiter is decided on rows as parsed.
#[test]
fn a_comment_with_tabs_does_not_change_the_delimiter() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("tabs.csv");
    std::fs::write(
        &path,
        "service,touchpoint,channel,satisfaction,trust,comment\n\
         A,B,computer,4,4,fine\n\
         A,B,computer,5,5,x\t\t\t\t\t\t\t\t\t\t\t\t\ty\n\
         A,B,computer,3,3,ok\n",
    )
    .unwrap();
    let (status, doc) = validate_json(&[path.to_str().unwrap()]);
    assert_eq!(status, 0, "{doc:#}");
    assert_eq!(doc["stats"]["rows"], 3, "{doc:#}");
    assert_eq!(
        doc["stats"]["files"][0]["format"],
        "CSV, delimiter comma, UTF-8"
    );
    // The delimiter and encoding used are in the report and the workbook.
    let out = dir.path().join("r.xlsx");
    let run = hisp(&[
        "report",
        path.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
    ]);
    assert!(
        stdout(&run).contains("tabs.csv: CSV, delimiter comma, UTF-8; 3 rows read"),
        "{}",
        stdout(&run)
    );
    let about = sheet(&out, "About");
    let header = about
        .iter()
        .position(|r| r.first().map(text).as_deref() == Some("input"))
        .expect("the inputs table");
    let format = about[header]
        .iter()
        .position(|c| text(c) == "format")
        .unwrap();
    assert_eq!(
        text(&about[header + 1][format]),
        "CSV, delimiter comma, UTF-8"
    );
}

/// A manifest may hold several quarters: a row with collection_year and
/// collection_quarter applies to its quarter only; a row without them to
/// every quarter.
#[test]
fn a_manifest_for_four_quarters_applies_each_row_to_its_quarter() {
    let dir = tempfile::tempdir().unwrap();
    let services = dir.path().join("services.csv");
    std::fs::write(
        &services,
        "service,touchpoint,channel,collection_year,collection_quarter,volume_of_customers,volume_of_customers_provided_survey_opportunity\n\
         Passport Renewal,Online application,computer,2025,1,1000,110\n\
         Passport Renewal,Online application,computer,2025,2,1000,120\n\
         Passport Renewal,Online application,computer,2025,3,1000,130\n\
         Passport Renewal,Online application,computer,2025,4,1000,140\n\
         Passport Renewal,Call center,phone,,,500,50\n",
    )
    .unwrap();
    let responses = dir.path().join("responses.csv");
    std::fs::write(
        &responses,
        "service,touchpoint,channel,submitted_at,satisfaction,trust\n\
         Passport Renewal,Online application,computer,2024-11-01,4,5\n\
         Passport Renewal,Online application,computer,2025-02-01,4,5\n\
         Passport Renewal,Online application,computer,2025-05-01,4,5\n\
         Passport Renewal,Online application,computer,2025-08-01,4,5\n\
         Passport Renewal,Call center,phone,2025-02-01,3,4\n",
    )
    .unwrap();
    for (quarter, offered) in [("1", 110), ("2", 120), ("3", 130), ("4", 140)] {
        let out = hisp(&[
            "aggregate",
            responses.to_str().unwrap(),
            "--services",
            services.to_str().unwrap(),
            "--fiscal-year",
            "2025",
            "--quarter",
            quarter,
            "--format",
            "json",
        ]);
        assert_eq!(code(&out), 0, "Q{quarter}: {}", stderr(&out));
        let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        let survey = |tp: &str| {
            doc["surveys"]
                .as_array()
                .unwrap()
                .iter()
                .find(|s| s["touchpoint"] == tp)
                .cloned()
                .unwrap_or_else(|| panic!("Q{quarter} {tp}: {doc:#}"))
        };
        assert_eq!(
            survey("Online application")["volume_of_customers_provided_survey_opportunity"],
            offered,
            "Q{quarter}"
        );
        assert_eq!(
            survey("Call center")["volume_of_customers_provided_survey_opportunity"],
            50,
            "Q{quarter}"
        );
    }
    // Without a quarter, the manifest is still one row per survey.
    let (status, doc) = validate_json(&[
        responses.to_str().unwrap(),
        "--services",
        services.to_str().unwrap(),
    ]);
    assert_eq!(status, 0, "{doc:#}");
    assert!(entries(&doc, "primary-key").is_empty(), "{doc:#}");
}

/// A scale written the other way round (TSA's "Press 1 for Strongly
/// Agree") is recoded by numeric labels in the mapping file, and the
/// report says so.
#[test]
fn numeric_labels_recode_a_reversed_scale() {
    let dir = tempfile::tempdir().unwrap();
    let mut reader = csv::Reader::from_path(fixture("responses-fy2025.csv")).unwrap();
    let headers = reader.headers().unwrap().clone();
    let questions = [
        "satisfaction",
        "trust",
        "effectiveness",
        "ease",
        "efficiency",
        "transparency",
        "employee",
    ];
    let reversed = dir.path().join("reversed.csv");
    let mut w = csv::Writer::from_path(&reversed).unwrap();
    w.write_record(&headers).unwrap();
    for record in reader.records() {
        let record = record.unwrap();
        let row: Vec<String> = record
            .iter()
            .zip(headers.iter())
            .map(|(v, h)| match v.parse::<i64>() {
                Ok(n @ 1..=5) if questions.contains(&h) => (6 - n).to_string(),
                _ => v.to_string(),
            })
            .collect();
        w.write_record(&row).unwrap();
    }
    w.flush().unwrap();
    let map = dir.path().join("map.toml");
    std::fs::write(
        &map,
        "[labels]\n\"1\" = 5\n\"2\" = 4\n\"4\" = 2\n\"5\" = 1\n",
    )
    .unwrap();
    let counts = |args: &[&str]| {
        let mut all = vec![
            "aggregate",
            "--format",
            "json",
            "--fiscal-year",
            "2025",
            "--quarter",
            "2",
        ];
        all.extend_from_slice(args);
        let out = hisp(&all);
        assert_eq!(code(&out), 0, "{}", stderr(&out));
        let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        doc["overall"]["questions"].clone()
    };
    let canonical = counts(&[&fixture("responses-fy2025.csv")]);
    let recoded = counts(&[reversed.to_str().unwrap(), "--map", map.to_str().unwrap()]);
    assert_eq!(recoded, canonical);
    let unmapped = counts(&[reversed.to_str().unwrap()]);
    assert_ne!(unmapped, canonical, "the test must reverse something");
    let (_, doc) = validate_json(&[reversed.to_str().unwrap(), "--map", map.to_str().unwrap()]);
    let notes = doc["stats"]["notes"].to_string();
    assert!(
        notes.contains("recode the answers on every 1-5 scale: 1 as 5, 2 as 4, 4 as 2, 5 as 1"),
        "{notes}"
    );
}

/// hisp's own tables read back: the header is their first row (not a data
/// row whose question texts match the questions' wording), and the file is
/// said to be a table of results, not responses, in one error.
#[test]
fn hisp_own_tables_are_read_from_their_first_row_and_called_tables_of_results() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("r.xlsx");
    let run = hisp(&[
        "report",
        &fixture("responses-fy2025.csv"),
        "--services",
        &fixture("services.csv"),
        "--fiscal-year",
        "2025",
        "--quarter",
        "2",
        "-o",
        out.to_str().unwrap(),
        "--csv",
        dir.path().to_str().unwrap(),
    ]);
    assert_eq!(code(&run), 0, "{}", stderr(&run));
    let aggregate = dir.path().join("aggregate.csv");
    let run = hisp(&["aggregate", &fixture("responses-fy2025.csv")]);
    std::fs::write(&aggregate, &run.stdout).unwrap();
    for table in [dir.path().join("r-quarterly-data.csv"), aggregate] {
        let (status, doc) = validate_json(&[table.to_str().unwrap()]);
        assert_eq!(status, 1, "{doc:#}");
        assert_eq!(doc["stats"]["files"][0]["notes"], serde_json::json!([]));
        let errors = doc["errors"].as_array().unwrap();
        assert_eq!(errors.len(), 1, "one error, not one per field: {doc:#}");
        assert_eq!(errors[0]["type"], "results-table");
        assert_eq!(errors[0]["row"], 1);
        let message = errors[0]["message"].as_str().unwrap();
        assert!(message.contains("not one row per response"), "{message}");
        assert!(doc["warnings"].as_array().unwrap().is_empty(), "{doc:#}");
    }
}

/// OMB's published v1 table (the header performance.gov publishes) given as
/// responses: one `results-table` error, and `init` refuses to map it.
#[test]
fn the_published_table_is_recognised_as_results_by_validate_and_init() {
    let dir = tempfile::tempdir().unwrap();
    let mut header: Vec<String> = "id,collection_id,collection_year,collection_quarter,collection_name,collection_organization_id,collection_organization_name,collection_organization_abbreviation,service_provider_id,service_provider_name,service_provider_organization_id,service_provider_organization_name,service_provider_organization_abbreviation,service_provided,service_id,service_name,transaction_point,channel,volume_of_customers,volume_of_customers_provided_survey_opportunity,volume_of_respondents,omb_control_number,federal_register_url"
        .split(',')
        .map(String::from)
        .collect();
    let mut row: Vec<String> = "1,7,2022,2,VBA FY22 Q2,3,Department of Veterans Affairs,VA,12,Veterans Benefits Administration,3,Department of Veterans Affairs,VA,Benefits,40,Veterans Benefits,Call center,phone,100000,20000,5000,2900-0001,"
        .split(',')
        .map(String::from)
        .collect();
    for q in 1..=11 {
        header.push(format!("q{q}_text"));
        row.push(format!("Question {q} about Veterans Benefits"));
        for k in 1..=5 {
            header.push(format!("q{q}_{k}"));
            row.push((k * 100).to_string());
        }
    }
    let path = dir.path().join("published.csv");
    std::fs::write(&path, format!("{}\n{}\n", header.join(","), row.join(","))).unwrap();
    let (status, doc) = validate_json(&[path.to_str().unwrap()]);
    assert_eq!(status, 1, "{doc:#}");
    let errors = doc["errors"].as_array().unwrap();
    assert_eq!(errors.len(), 1, "{doc:#}");
    assert_eq!(errors[0]["type"], "results-table");
    let run = hisp(&["init", path.to_str().unwrap()]);
    assert_eq!(code(&run), 66, "{}", stderr(&run));
    assert!(
        stderr(&run).contains("is a table of results"),
        "{}",
        stderr(&run)
    );
    assert!(stdout(&run).is_empty());
}

/// An OMB control number that is a placeholder cannot be submitted: an
/// error for `report` (no workbook), a warning for `validate`; and a
/// clearance that expires before the quarter ends is a warning.
#[test]
fn omb_placeholders_fail_a_report_and_expired_clearances_are_warned_of() {
    let dir = tempfile::tempdir().unwrap();
    let services = dir.path().join("services.csv");
    std::fs::write(
        &services,
        "service,touchpoint,channel,omb_control_number,omb_expiration_date\n\
         Passport Renewal,Online application,computer,TBD,\n\
         Passport Renewal,Call center,phone,1405-0224,2025-02-15\n\
         Tax Help,Call center,phone,1545-2250,2025-06-30\n",
    )
    .unwrap();
    let responses = dir.path().join("responses.csv");
    std::fs::write(
        &responses,
        "service,touchpoint,channel,submitted_at,satisfaction,trust\n\
         Passport Renewal,Online application,computer,2025-02-01,4,5\n\
         Passport Renewal,Call center,phone,2025-03-20,4,5\n\
         Tax Help,Call center,phone,2025-03-20,4,5\n",
    )
    .unwrap();
    let q2 = ["--fiscal-year", "2025", "--quarter", "2"];
    let mut args = vec![
        responses.to_str().unwrap(),
        "--services",
        services.to_str().unwrap(),
    ];
    args.extend(q2);
    let (status, doc) = validate_json(&args);
    assert_eq!(status, 0, "{doc:#}");
    let omb = entries(&doc, "omb-control-number");
    assert_eq!(omb.len(), 1, "{doc:#}");
    assert_eq!(omb[0]["severity"], "warning");
    assert_eq!(
        (omb[0]["row"].clone(), omb[0]["value"].clone()),
        (2.into(), "TBD".into())
    );
    let expired = entries(&doc, "omb-expired");
    assert_eq!(
        expired.len(),
        1,
        "only the clearance ending before 2025-03-31: {doc:#}"
    );
    assert_eq!(expired[0]["row"], 3);
    assert_eq!(expired[0]["value"], "2025-02-15");
    assert!(
        expired[0]["message"]
            .as_str()
            .unwrap()
            .contains("1405-0224 expired on 2025-02-15"),
        "{doc:#}"
    );

    let out = dir.path().join("report.xlsx");
    let mut args = vec![
        "report",
        responses.to_str().unwrap(),
        "--services",
        services.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
        "--format",
        "json",
    ];
    args.extend(q2);
    let run = hisp(&args);
    assert_eq!(code(&run), 1, "{}", stderr(&run));
    let doc: serde_json::Value = serde_json::from_str(&stdout(&run)).unwrap();
    let omb = entries(&doc, "omb-control-number");
    assert_eq!(omb[0]["severity"], "error", "{doc:#}");
    assert!(!out.exists(), "no workbook with a placeholder OMB number");
}
