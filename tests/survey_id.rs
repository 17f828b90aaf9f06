//! Several surveys of one service × touchpoint × channel, told apart by
//! `survey_id` (published data has them: one survey per call center), are
//! counted apart in every output; inputs without one are reported as before.

mod common;
use common::*;

const Q2: [&str; 4] = ["--fiscal-year", "2025", "--quarter", "2"];

/// Two call-center surveys of one service, touchpoint and channel, and an
/// online survey that names none.
const V1_RESPONSES: &str = "\
service,touchpoint,channel,survey_id,submitted_at,satisfaction,trust,effectiveness,ease,efficiency,transparency,employee
Veterans Benefits,Call center,phone,VBA call center A,2025-01-10,5,5,4,4,3,5,5
Veterans Benefits,Call center,phone,VBA call center A,2025-01-11,4,4,4,4,4,4,4
Veterans Benefits,Call center,phone,vba call  center a,2025-01-12,1,2,3,4,5,1,2
Veterans Benefits,Call center,phone,VBA call center B,2025-02-10,2,2,2,2,2,2,2
Veterans Benefits,Call center,phone,VBA call center B,2025-02-11,3,3,3,3,3,3,3
Veterans Benefits,Online claim,computer,,2025-03-01,5,4,3,2,1,5,4
";

const V1_SERVICES: &str = "\
service,touchpoint,channel,survey_id,organization_name,volume_of_customers,volume_of_customers_provided_survey_opportunity
Veterans Benefits,Call center,phone,VBA call center B,Department of Veterans Affairs,9000,900
Veterans Benefits,Call center,phone,VBA call center A,Department of Veterans Affairs,5000,500
Veterans Benefits,Online claim,computer,,Department of Veterans Affairs,7000,700
";

fn cells(row: &[calamine::Data]) -> Vec<String> {
    row.iter().map(text).collect()
}

#[test]
fn v1_surveys_differing_in_survey_id_are_counted_apart_in_every_output() {
    let dir = tempfile::tempdir().unwrap();
    let responses = write(dir.path(), "responses.csv", V1_RESPONSES);
    let services = write(dir.path(), "services.csv", V1_SERVICES);
    let out = dir.path().join("report.xlsx");
    let csv_dir = dir.path().join("csv");
    let mut args = vec![
        "report",
        &responses,
        "--services",
        &services,
        "-o",
        out.to_str().unwrap(),
        "--csv",
        csv_dir.to_str().unwrap(),
    ];
    args.extend(Q2);
    let run = hisp(&args);
    assert_eq!(code(&run), 0, "{}", stderr(&run));
    assert!(stderr(&run).contains("3 surveys"), "{}", stderr(&run));

    // Quarterly Data: in manifest order, survey_id after the channel.
    let (header, rows) = records(&out, "Quarterly Data");
    assert_eq!(header[8..10], ["channel", "survey_id"]);
    let got: Vec<(String, String, f64, f64, Vec<f64>)> = rows
        .iter()
        .map(|r| {
            (
                text(&r[col(&header, "survey_id")]),
                text(&r[col(&header, "transaction_point")]),
                num(&r[col(&header, "volume_of_customers_provided_survey_opportunity")]),
                num(&r[col(&header, "volume_of_respondents")]),
                (1..=5)
                    .map(|k| num(&r[col(&header, &format!("q1_{k}"))]))
                    .collect(),
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            (
                "VBA call center B".into(),
                "Call center".into(),
                900.0,
                2.0,
                vec![0.0, 1.0, 1.0, 0.0, 0.0]
            ),
            (
                "VBA call center A".into(),
                "Call center".into(),
                500.0,
                3.0,
                vec![1.0, 0.0, 0.0, 1.0, 1.0]
            ),
            (
                "".into(),
                "Online claim".into(),
                700.0,
                1.0,
                vec![0.0, 0.0, 0.0, 0.0, 1.0]
            ),
        ]
    );
    // The same table as CSV.
    let qd = std::fs::read_to_string(csv_dir.join("report-quarterly-data.csv")).unwrap();
    let mut reader = csv::Reader::from_reader(qd.as_bytes());
    assert_eq!(&reader.headers().unwrap()[9], "survey_id");
    let names: Vec<String> = reader
        .records()
        .map(|r| r.unwrap()[9].to_string())
        .collect();
    assert_eq!(names, ["VBA call center B", "VBA call center A", ""]);

    // Question Detail: survey_id after channel; trust (q2) per survey.
    let (header, rows) = records(&out, "Question Detail");
    assert_eq!(header[3], "survey_id");
    let trust: Vec<(String, Vec<f64>)> = rows
        .iter()
        .filter(|r| num(&r[col(&header, "standardized_question_number")]) == 2.0)
        .map(|r| {
            (
                text(&r[col(&header, "survey_id")]),
                (1..=5)
                    .map(|k| num(&r[col(&header, &format!("likert_scale_{k}"))]))
                    .collect(),
            )
        })
        .collect();
    assert_eq!(
        trust,
        [
            ("VBA call center B".into(), vec![0.0, 1.0, 1.0, 0.0, 0.0]),
            ("VBA call center A".into(), vec![0.0, 1.0, 0.0, 1.0, 1.0]),
            ("".into(), vec![0.0, 0.0, 0.0, 1.0, 0.0]),
        ]
    );

    // The aggregate, as CSV and JSON.
    let mut args = vec!["aggregate", &responses, "--services", &services];
    args.extend(Q2);
    let run = hisp(&args);
    assert_eq!(code(&run), 0, "{}", stderr(&run));
    let aggregate = stdout(&run);
    let mut reader = csv::Reader::from_reader(aggregate.as_bytes());
    let header: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
    assert_eq!(header[4], "survey_id");
    let satisfaction: Vec<(String, String, String)> = reader
        .records()
        .map(|r| r.unwrap())
        .filter(|r| &r[0] == "survey" && &r[col(&header, "question")] == "satisfaction")
        .map(|r| {
            (
                r[4].to_string(),
                r[col(&header, "respondents")].to_string(),
                r[col(&header, "point_scale")].to_string(),
            )
        })
        .collect();
    assert_eq!(
        satisfaction,
        [
            ("VBA call center B".into(), "2".into(), "2.5".into()),
            ("VBA call center A".into(), "3".into(), "3.33".into()),
            ("".into(), "1".into(), "5".into()),
        ]
    );
    let mut args = vec![
        "aggregate",
        &responses,
        "--services",
        &services,
        "--format",
        "json",
    ];
    args.extend(Q2);
    let run = hisp(&args);
    let doc: serde_json::Value = serde_json::from_str(&stdout(&run)).unwrap();
    let surveys = doc["surveys"].as_array().unwrap();
    let ids: Vec<(Option<&str>, u64)> = surveys
        .iter()
        .map(|s| (s["survey_id"].as_str(), s["respondents"].as_u64().unwrap()))
        .collect();
    assert_eq!(
        ids,
        [
            (Some("VBA call center B"), 2),
            (Some("VBA call center A"), 3),
            (None, 1)
        ]
    );
    // The service roll-up pools them.
    assert_eq!(doc["services"][0]["respondents"], 6);
}

#[test]
fn a_survey_id_spelled_differently_is_one_survey_with_a_warning() {
    let dir = tempfile::tempdir().unwrap();
    let responses = write(dir.path(), "responses.csv", V1_RESPONSES);
    let mut args = vec![responses.as_str()];
    args.extend(Q2);
    let (status, doc) = validate_json(&args);
    assert_eq!(status, 0, "{doc:#}");
    let variants = entries(&doc, "spelling-variant");
    assert_eq!(variants.len(), 1, "{doc:#}");
    assert_eq!(variants[0]["field"], "survey_id");
    assert_eq!(variants[0]["value"], "vba call  center a");
    assert_eq!(variants[0]["row"], 4);
}

#[test]
fn inputs_without_survey_id_have_no_survey_id_column() {
    let dir = tempfile::tempdir().unwrap();
    let without: String = V1_RESPONSES
        .lines()
        .map(|l| {
            let mut cells: Vec<&str> = l.split(',').collect();
            cells.remove(3);
            cells.join(",") + "\n"
        })
        .collect();
    let responses = write(dir.path(), "responses.csv", &without);
    let out = dir.path().join("report.xlsx");
    let mut args = vec!["report", &responses, "-o", out.to_str().unwrap()];
    args.extend(Q2);
    let run = hisp(&args);
    assert_eq!(code(&run), 0, "{}", stderr(&run));
    // The two call centers are one survey again.
    let (header, rows) = records(&out, "Quarterly Data");
    assert!(!header.iter().any(|h| h == "survey_id"));
    assert_eq!(header[9], "volume_of_customers");
    assert_eq!(rows.len(), 2);
    let (header, _) = records(&out, "Question Detail");
    assert!(!header.iter().any(|h| h == "survey_id"));
    let mut args = vec!["aggregate", &responses, "--format", "json"];
    args.extend(Q2);
    let run = hisp(&args);
    assert!(!stdout(&run).contains("survey_id"));
}

#[test]
fn a_manifest_without_survey_id_matches_the_one_survey_of_its_keys_and_says_when_it_cannot() {
    let dir = tempfile::tempdir().unwrap();
    let responses = write(dir.path(), "responses.csv", V1_RESPONSES);
    let services = write(
        dir.path(),
        "services.csv",
        "service,touchpoint,channel,organization_name,volume_of_customers_provided_survey_opportunity\n\
         Veterans Benefits,Call center,phone,Department of Veterans Affairs,1400\n\
         Veterans Benefits,Online claim,computer,Department of Veterans Affairs,700\n",
    );
    let mut args = vec![responses.as_str(), "--services", &services];
    args.extend(Q2);
    let (status, doc) = validate_json(&args);
    assert_eq!(status, 0, "{doc:#}");
    // The online survey names no survey_id on either side: matched.
    // The call-center row could be either call center: said so, and both
    // call centers are reported as missing from the manifest.
    let without = entries(&doc, "survey-without-responses");
    assert_eq!(without.len(), 1, "{doc:#}");
    let message = without[0]["message"].as_str().unwrap();
    assert!(
        message.contains("VBA call center A") && message.contains("VBA call center B"),
        "{message}"
    );
    assert!(message.contains("give survey_id"), "{message}");
    assert_eq!(without[0]["row"], 2);
    assert_eq!(entries(&doc, "survey-not-in-manifest").len(), 2, "{doc:#}");

    // One call center only: the manifest row without survey_id is its row.
    let one: String = V1_RESPONSES
        .lines()
        .filter(|l| !l.contains("center B"))
        .map(|l| format!("{l}\n"))
        .collect();
    let responses = write(dir.path(), "one.csv", &one);
    let mut args = vec![
        "aggregate",
        &responses,
        "--services",
        &services,
        "--format",
        "json",
    ];
    args.extend(Q2);
    let run = hisp(&args);
    assert_eq!(code(&run), 0, "{}", stderr(&run));
    let doc: serde_json::Value = serde_json::from_str(&stdout(&run)).unwrap();
    let first = &doc["surveys"][0];
    assert_eq!(first["survey_id"], "VBA call center A");
    assert_eq!(first["respondents"], 3);
    assert_eq!(
        first["volume_of_customers_provided_survey_opportunity"],
        1400
    );
}

#[test]
fn v2_surveys_differing_in_survey_id_have_their_own_rows_and_upload_files() {
    let dir = tempfile::tempdir().unwrap();
    let mut csv_text = String::from(
        "service,transaction_point,channel,survey_id,submitted_at,external_id,question_1,\
         positive_effectiveness,positive_ease,positive_efficiency,positive_transparency,positive_humanity,positive_employee,positive_other,\
         negative_effectiveness,negative_ease,negative_efficiency,negative_transparency,negative_humanity,negative_employee,negative_other,question_4\n",
    );
    let drivers = "1,0,0,0,0,0,0,0,0,0,0,0,0,0";
    for (i, (survey, trust)) in [
        ("Call center A", 1),
        ("Call center A", 0),
        ("Call center A", 1),
        ("Call center B", 0),
        ("Call center B", 0),
    ]
    .iter()
    .enumerate()
    {
        csv_text.push_str(&format!(
            "Veterans Benefits,post_interaction,phone,{survey},2025-01-1{i},id-{i},{trust},{drivers},comment {i}\n"
        ));
    }
    let responses = write(dir.path(), "responses.csv", &csv_text);
    let out = dir.path().join("report.xlsx");
    let uploads = dir.path().join("uploads");
    let mut args = vec![
        "report",
        &responses,
        "-o",
        out.to_str().unwrap(),
        "--upload-dir",
        uploads.to_str().unwrap(),
    ];
    args.extend(Q2);
    let run = hisp(&args);
    assert_eq!(code(&run), 0, "{}\n{}", stdout(&run), stderr(&run));

    let (header, rows) = records(&out, "Collection Details");
    assert_eq!(header[5], "survey_id");
    let details: Vec<(String, f64)> = rows
        .iter()
        .map(|r| (text(&r[5]), num(&r[col(&header, "volume_of_respondents")])))
        .collect();
    assert_eq!(
        details,
        [("Call center A".into(), 3.0), ("Call center B".into(), 2.0)]
    );
    let (header, rows) = records(&out, "Summary");
    assert_eq!(header[4], "survey_id");
    let summary: Vec<Vec<String>> = rows
        .iter()
        .take_while(|r| text(&r[0]) == "survey")
        .map(|r| {
            ["survey_id", "trust_positive", "trust_negative"]
                .iter()
                .map(|c| text(&r[col(&header, c)]))
                .collect()
        })
        .collect();
    assert_eq!(
        summary,
        [["Call center A", "2", "1"], ["Call center B", "0", "2"]]
    );
    let (header, rows) = records(&out, "Responses");
    assert_eq!(header[3], "survey_id");
    let ids: Vec<Vec<String>> = rows.iter().map(|r| cells(&r[3..5])).collect();
    assert_eq!(
        ids,
        [
            ["Call center A", "id-0"],
            ["Call center A", "id-1"],
            ["Call center A", "id-2"],
            ["Call center B", "id-3"],
            ["Call center B", "id-4"],
        ]
    );
    let mut names: Vec<String> = std::fs::read_dir(&uploads)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(
        names,
        [
            "veterans-benefits_post-interaction_phone_call-center-a.csv",
            "veterans-benefits_post-interaction_phone_call-center-b.csv",
        ]
    );
    let b = std::fs::read_to_string(uploads.join(&names[1])).unwrap();
    let ids: Vec<&str> = b
        .lines()
        .skip(1)
        .map(|l| l.split(',').next().unwrap())
        .collect();
    assert_eq!(ids, ["id-3", "id-4"]);
}
