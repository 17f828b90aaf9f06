//! A-11 v2: the workbook, the aggregate and the upload files read back and
//! compared with a plain, independent computation over the fixture.

mod common;
use common::*;

use std::collections::BTreeMap;

const Q2: [&str; 4] = ["--fiscal-year", "2025", "--quarter", "2"];
const DRIVERS: [&str; 7] = hisp::names::DRIVERS;

type Key = (String, String, String);

#[derive(Default, Debug, PartialEq)]
struct Expected {
    rows: u64,
    positive: u64,
    negative: u64,
    likert: [u64; 5],
    pos_drivers: [u64; 7],
    neg_drivers: [u64; 7],
    /// The 17 upload cells of each response, in input order.
    uploads: Vec<Vec<String>>,
}

/// Survey types: thumbs for Passport Renewal surveys, Likert for the others
/// (as the fixture generator made them).
fn is_likert(service: &str) -> bool {
    service != "Passport Renewal"
}

fn expected() -> BTreeMap<Key, Expected> {
    let mut reader = csv::Reader::from_path(fixture("v2/responses-fy2025.csv")).unwrap();
    let header = reader.headers().unwrap().clone();
    let idx = |name: &str| header.iter().position(|h| h == name).unwrap();
    let mut out: BTreeMap<Key, Expected> = BTreeMap::new();
    for record in reader.records() {
        let r = record.unwrap();
        let date = &r[idx("submitted_at")][..10];
        if !("2025-01-01"..="2025-03-31").contains(&date) {
            continue;
        }
        let key = (
            r[idx("service")].to_string(),
            r[idx("transaction_point")].to_string(),
            r[idx("channel")].to_string(),
        );
        let e = out.entry(key.clone()).or_default();
        e.rows += 1;
        let q1: u64 = r[idx("question_1")].parse().unwrap();
        let positive = if is_likert(&key.0) { q1 >= 4 } else { q1 == 1 };
        if is_likert(&key.0) {
            e.likert[q1 as usize - 1] += 1;
        }
        if positive {
            e.positive += 1;
        } else {
            e.negative += 1;
        }
        for (d, name) in DRIVERS.iter().enumerate() {
            if positive && &r[idx(&format!("positive_{name}"))] == "1" {
                e.pos_drivers[d] += 1;
            }
            if !positive && &r[idx(&format!("negative_{name}"))] == "1" {
                e.neg_drivers[d] += 1;
            }
        }
        e.uploads.push(
            (idx("external_id")..idx("external_id") + 17)
                .map(|i| r[i].to_string())
                .collect(),
        );
    }
    out
}

fn report(dir: &std::path::Path, extra: &[&str]) -> std::process::Output {
    let out = dir.join("v2.xlsx").display().to_string();
    let uploads = dir.join("upload").display().to_string();
    let services = fixture("v2/services.csv");
    let input = fixture("v2/responses-fy2025.csv");
    let mut args = vec![
        "report",
        &input,
        "--services",
        &services,
        "-o",
        &out,
        "--upload-dir",
        &uploads,
    ];
    args.extend_from_slice(&Q2);
    args.extend_from_slice(extra);
    hisp(&args)
}

#[test]
fn summary_matches_an_independent_count() {
    let dir = tempfile::tempdir().unwrap();
    let run = report(dir.path(), &[]);
    assert_eq!(code(&run), 0, "{}{}", stdout(&run), stderr(&run));
    let (header, rows) = records(&dir.path().join("v2.xlsx"), "Summary");
    let expected = expected();
    let surveys: Vec<&Vec<calamine::Data>> =
        rows.iter().filter(|r| text(&r[0]) == "survey").collect();
    assert_eq!(surveys.len(), expected.len());
    for row in surveys {
        let key = (text(&row[1]), text(&row[2]), text(&row[3]));
        let e = &expected[&key];
        let n = |name: &str| num(&row[col(&header, name)]) as u64;
        assert_eq!(n("volume_of_respondents"), e.rows, "{key:?}");
        assert_eq!(
            (n("trust_positive"), n("trust_negative")),
            (e.positive, e.negative),
            "{key:?}"
        );
        let share = num(&row[col(&header, "trust_positive_share")]);
        let exact = e.positive as f64 / e.rows as f64;
        assert!(
            (share - exact).abs() < 0.00005,
            "{key:?}: {share} vs {exact}"
        );
        for (d, name) in DRIVERS.iter().enumerate() {
            assert_eq!(
                n(&format!("positive_{name}")),
                e.pos_drivers[d],
                "{key:?} positive_{name}"
            );
            assert_eq!(
                n(&format!("negative_{name}")),
                e.neg_drivers[d],
                "{key:?} negative_{name}"
            );
        }
        let survey_type = text(&row[col(&header, "survey_type")]);
        if is_likert(&key.0) {
            assert_eq!(survey_type, "likert_scale");
            for k in 1..=5 {
                assert_eq!(n(&format!("q1_{k}")), e.likert[k - 1], "{key:?} q1_{k}");
            }
        } else {
            assert_eq!(survey_type, "thumbs_up_down");
            assert_eq!(row[col(&header, "q1_1")], calamine::Data::Empty);
        }
    }
    let overall = rows.iter().find(|r| text(&r[0]) == "overall").unwrap();
    let total: u64 = expected.values().map(|e| e.rows).sum();
    assert_eq!(
        num(&overall[col(&header, "volume_of_respondents")]) as u64,
        total
    );
    let positive: u64 = expected.values().map(|e| e.positive).sum();
    assert_eq!(
        num(&overall[col(&header, "trust_positive")]) as u64,
        positive
    );
}

#[test]
fn collection_details_and_responses_sheets() {
    let dir = tempfile::tempdir().unwrap();
    assert_eq!(code(&report(dir.path(), &[])), 0);
    let book = dir.path().join("v2.xlsx");
    let (header, rows) = records(&book, "Collection Details");
    assert_eq!(
        header,
        "fiscal_year,quarter,service_name,transaction_point,channel,volume_of_customers,volume_of_customers_provided_survey_opportunity,volume_of_respondents,omb_control_number,survey_type,survey_title,trust_question_text"
            .split(',')
            .collect::<Vec<_>>()
    );
    let expected = expected();
    assert_eq!(rows.len(), 4);
    let email = rows.iter().find(|r| text(&r[4]) == "email").unwrap();
    assert_eq!(num(&email[0]), 2025.0);
    assert_eq!(
        num(&email[7]) as u64,
        expected[&(
            "Passport Renewal".into(),
            "post_service_journey".into(),
            "email".into()
        )]
            .rows
    );
    assert_eq!(text(&email[8]), "1405-0224");
    assert_eq!(
        text(&email[9]),
        "thumbs_up_down",
        "inferred from a 0 answer"
    );
    // Responses: every response of the quarter, keys then the 17 columns.
    let (header, responses) = records(&book, "Responses");
    assert_eq!(
        header[..4],
        [
            "service_name",
            "transaction_point",
            "channel",
            "external_id"
        ]
    );
    let total: usize = expected.values().map(|e| e.uploads.len()).sum();
    assert_eq!(responses.len(), total);
    let first = &responses[0];
    let key = (text(&first[0]), text(&first[1]), text(&first[2]));
    let cells: Vec<String> = first[3..20].iter().map(text).collect();
    assert_eq!(cells, expected[&key].uploads[0]);
}

#[test]
fn upload_files_hold_exactly_the_quarters_responses() {
    let dir = tempfile::tempdir().unwrap();
    assert_eq!(code(&report(dir.path(), &[])), 0);
    let expected = expected();
    let files: Vec<_> = std::fs::read_dir(dir.path().join("upload"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(files.len(), expected.len());
    for (key, e) in &expected {
        let name = format!(
            "{}_{}_{}.csv",
            key.0.to_lowercase().replace(' ', "-"),
            key.1.replace('_', "-"),
            key.2.replace('_', "-")
        );
        let path = dir.path().join("upload").join(&name);
        let bytes = std::fs::read(&path).unwrap_or_else(|_| panic!("{name}"));
        assert!(!bytes.starts_with(b"\xEF\xBB\xBF"), "no BOM");
        let mut reader = csv::Reader::from_reader(bytes.as_slice());
        assert_eq!(reader.headers().unwrap().len(), 17);
        assert_eq!(&reader.headers().unwrap()[0], "external_id");
        let rows: Vec<Vec<String>> = reader
            .records()
            .map(|r| r.unwrap().iter().map(String::from).collect())
            .collect();
        assert_eq!(rows.len(), e.uploads.len(), "{name}");
        for (got, want) in rows.iter().zip(&e.uploads) {
            // Byte-faithful, except respondent text that a spreadsheet would
            // run as a formula.
            assert_eq!(got[..16], want[..16], "{name}");
            let comment = &want[16];
            if comment.starts_with(['=', '+', '-', '@']) {
                assert_eq!(got[16], format!("'{comment}"));
            } else {
                assert_eq!(&got[16], comment);
            }
        }
        // Re-read with the upload schema: clean.
        let survey = [
            ("service", &key.0),
            ("transaction_point", &key.1),
            ("channel", &key.2),
        ];
        let sets: Vec<String> = survey.iter().map(|(f, v)| format!("{f}={v}")).collect();
        let p = path.display().to_string();
        let mut args = vec!["--schema", "a11-v2-upload"];
        for s in &sets {
            args.extend(["--set", s.as_str()]);
        }
        args.push(&p);
        let (status, doc) = validate_json(&args);
        assert_eq!(status, 0, "{doc:#}");
        assert_eq!(doc["stats"]["errors"], 0);
    }
}

#[test]
fn a_clean_upload_file_with_a_bom_passes_and_is_recognised() {
    let (status, doc) = validate_json(&[&fixture("v2/upload-passport.csv")]);
    assert_eq!(status, 0, "{doc:#}");
    assert_eq!(doc["stats"]["errors"], 0);
    assert!(
        doc["stats"]["notes"][0]
            .as_str()
            .unwrap()
            .contains("a11-v2-upload")
    );
    // Without survey keys the file is one survey named after it: noted
    // when checking (an upload file has no keys by design), a warning for
    // a report, whose workbook names the survey after the file.
    assert!(entries(&doc, "no-survey-keys").is_empty(), "{doc:#}");
    let notes = doc["stats"]["notes"].to_string();
    assert!(
        notes.contains("counted as survey") && notes.contains("upload-passport"),
        "{notes}"
    );
    let (status, _) = validate_json(&["--strict", &fixture("v2/upload-passport.csv")]);
    assert_eq!(status, 0, "re-validating an upload file passes --strict");
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("r.xlsx");
    let run = hisp(&[
        "report",
        &fixture("v2/upload-passport.csv"),
        "-o",
        out.to_str().unwrap(),
        "--format",
        "json",
    ]);
    let doc: serde_json::Value = serde_json::from_str(&stdout(&run)).unwrap();
    assert_eq!(entries(&doc, "no-survey-keys").len(), 1, "{doc:#}");
}

#[test]
fn bad_upload_cells_are_reported_one_by_one() {
    let (status, doc) =
        validate_json(&["--schema", "a11-v2-upload", &fixture("v2/bad-upload.csv")]);
    assert_eq!(status, 1);
    let errors: Vec<(String, u64, String, String)> = doc["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["type"].as_str().unwrap().to_string(),
                e["row"].as_u64().unwrap(),
                e["column"].as_str().unwrap().to_string(),
                e["value"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(
        errors,
        vec![
            ("constraint-error".into(), 3, "B".into(), "7".into()),
            ("constraint-error".into(), 4, "D".into(), "2".into()),
            ("type-error".into(), 5, "J".into(), "yes".into()),
            ("unique-error".into(), 6, "A".into(), errors[3].3.clone()),
        ]
    );
}

#[test]
fn upload_header_must_be_exact() {
    let (status, doc) = validate_json(&[
        "--schema",
        "a11-v2-upload",
        &fixture("v2/bad-upload-header.csv"),
    ]);
    assert_eq!(status, 1);
    let wrong = one_of(&doc, "incorrect-label");
    assert_eq!(
        (wrong["column"].as_str(), wrong["value"].as_str()),
        (Some("D"), Some("positve_ease"))
    );
    assert!(
        wrong["message"]
            .as_str()
            .unwrap()
            .contains("\"positive_ease\"")
    );
    let extra = one_of(&doc, "extra-label");
    assert_eq!(
        (extra["column"].as_str(), extra["severity"].as_str()),
        (Some("R"), Some("error"))
    );
}

fn one_of<'a>(doc: &'a serde_json::Value, kind: &str) -> &'a serde_json::Value {
    let found = entries(doc, kind);
    assert_eq!(found.len(), 1, "{kind}: {doc:#}");
    found[0]
}

#[test]
fn survey_type_and_driver_rules() {
    let dir = tempfile::tempdir().unwrap();
    let head = "service,transaction_point,channel,external_id,question_1,positive_effectiveness,positive_ease,positive_efficiency,positive_transparency,positive_humanity,positive_employee,positive_other,negative_effectiveness,negative_ease,negative_efficiency,negative_transparency,negative_humanity,negative_employee,negative_other,question_4";
    let body = [
        "S,post_interaction,computer,a,0,0,0,0,0,0,0,0,1,0,0,0,null,0,0,", // thumbs down, proves thumbs
        "S,post_interaction,computer,b,1,0,0,0,0,0,0,0,0,1,0,0,0,0,0,", // positive with a negative driver; humanity offered now
        "S,post_interaction,computer,c,4,0,0,0,0,0,0,0,0,0,0,0,0,0,0,", // Likert value in a thumbs survey
        "S,post_interaction,computer,a,1,1,0,0,0,0,0,0,0,0,0,0,0,0,0,", // duplicate id in the survey
        "T,post_interaction,computer,a,5,1,0,0,0,0,0,0,0,0,0,0,0,0,0,", // same id, other survey: fine
    ];
    let path = dir.path().join("v2.csv");
    std::fs::write(&path, format!("{head}\n{}\n", body.join("\n"))).unwrap();
    let (status, doc) = validate_json(&[&path.display().to_string()]);
    assert_eq!(status, 1);
    let t = one_of(&doc, "survey-type");
    assert_eq!(
        (t["row"].as_u64(), t["column"].as_str(), t["value"].as_str()),
        (Some(4), Some("E"), Some("4"))
    );
    assert!(t["message"].as_str().unwrap().contains("answer 0 in row 2"));
    let side = one_of(&doc, "wrong-side-driver");
    assert_eq!(
        (side["row"].as_u64(), side["column"].as_str()),
        (Some(3), Some("N"))
    );
    let offer = one_of(&doc, "driver-offer");
    assert_eq!(
        (offer["row"].as_u64(), offer["field"].as_str()),
        (Some(3), Some("negative_humanity"))
    );
    let dup = one_of(&doc, "unique-error");
    assert_eq!(
        (dup["row"].as_u64(), dup["column"].as_str()),
        (Some(5), Some("D"))
    );
}

#[test]
fn keys_from_set_and_template_flag() {
    let out = hisp(&[
        "aggregate",
        "--format",
        "json",
        "--set",
        "service=Passport Renewal",
        "--set",
        "transaction_point=post_interaction",
        "--set",
        "channel=computer",
        "--fiscal-year",
        "2025",
        "--quarter",
        "2",
        &fixture("v2/upload-passport.csv"),
    ]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(doc["template"], "a11-v2");
    let s = &doc["surveys"][0];
    assert_eq!(
        (s["service"].as_str(), s["channel"].as_str()),
        (Some("Passport Renewal"), Some("computer"))
    );
    assert_eq!(
        s["volume_of_respondents"], 25,
        "an upload file has no dates: every row counts"
    );
    // A bad --set value is a usage error before any data is read.
    let out = hisp(&[
        "validate",
        "--set",
        "colour=blue",
        &fixture("v2/upload-passport.csv"),
    ]);
    assert_eq!(code(&out), 2);
    // --template a11-v1 on a v2 file: the v1 columns are missing.
    let out = hisp(&[
        "validate",
        "--template",
        "a11-v1",
        &fixture("v2/upload-passport.csv"),
    ]);
    assert_eq!(code(&out), 1);
}

#[test]
fn csv_option_writes_the_collection_details() {
    let dir = tempfile::tempdir().unwrap();
    let csv_dir = dir.path().join("csv").display().to_string();
    assert_eq!(code(&report(dir.path(), &["--csv", &csv_dir])), 0);
    let (header, sheet_rows) = records(&dir.path().join("v2.xlsx"), "Collection Details");
    let mut reader =
        csv::Reader::from_path(dir.path().join("csv/v2-collection-details.csv")).unwrap();
    assert_eq!(reader.headers().unwrap().iter().collect::<Vec<_>>(), header);
    let csv_rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(csv_rows.len(), sheet_rows.len());
    for (c, s) in csv_rows.iter().zip(&sheet_rows) {
        for (a, b) in c.iter().zip(s) {
            assert_eq!(a, text(b));
        }
    }
}

#[test]
fn a_mapped_v2_export_is_recognised_as_v2() {
    let dir = tempfile::tempdir().unwrap();
    let export = dir.path().join("export.csv");
    let mut content = std::fs::read_to_string(fixture("v2/responses-fy2025.csv")).unwrap();
    content = content.replacen("question_1", "Trust answer", 1);
    std::fs::write(&export, content).unwrap();
    let map = dir.path().join("map.toml");
    std::fs::write(&map, "[columns]\n\"Trust answer\" = \"question_1\"\n").unwrap();
    let (status, doc) = validate_json(&[
        "--map",
        &map.display().to_string(),
        &export.display().to_string(),
    ]);
    assert_eq!(status, 0, "{doc:#}");
    assert!(
        doc["stats"]["notes"][0]
            .as_str()
            .unwrap()
            .starts_with("schema a11-v2 ")
    );
    assert_eq!(doc["stats"]["respondents"], 164);
}

/// `--no-responses`: the workbook without its Responses sheets, the same
/// upload files.
#[test]
fn no_responses_leaves_the_sheet_out_and_the_uploads_as_they_are() {
    let dir = tempfile::tempdir().unwrap();
    let mut written = Vec::new();
    let input = fixture("v2/responses-fy2025.csv");
    for (name, extra) in [("with", None), ("without", Some("--no-responses"))] {
        let out = dir.path().join(format!("{name}.xlsx"));
        let uploads = dir.path().join(name);
        let mut args = vec![
            "report",
            &input,
            "-o",
            out.to_str().unwrap(),
            "--upload-dir",
            uploads.to_str().unwrap(),
        ];
        args.extend(Q2);
        args.extend(extra);
        let run = hisp(&args);
        assert_eq!(code(&run), 0, "{}", stderr(&run));
        let wb = calamine::open_workbook_auto(&out).unwrap();
        use calamine::Reader;
        let has_responses = wb.sheet_names().iter().any(|n| n == "Responses");
        assert_eq!(has_responses, extra.is_none(), "{name}");
        let mut files: Vec<(String, Vec<u8>)> = std::fs::read_dir(&uploads)
            .unwrap()
            .map(|e| {
                let e = e.unwrap();
                (
                    e.file_name().to_string_lossy().into_owned(),
                    std::fs::read(e.path()).unwrap(),
                )
            })
            .collect();
        files.sort();
        written.push(files);
    }
    assert!(!written[0].is_empty());
    assert_eq!(written[0], written[1]);
}
