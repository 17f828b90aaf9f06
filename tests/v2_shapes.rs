//! A-11 v2 answers as survey platforms write them: the trust question as
//! thumbs text, emoji, yes/no or Likert labels gives exactly the counts of
//! the canonical numbers; a label of the other survey type, or a
//! survey_type that disagrees, is an error.

mod common;
use common::*;

use serde_json::Value;

const QUARTER: [&str; 4] = ["--fiscal-year", "2025", "--quarter", "2"];

fn aggregate_json(input: &str, extra: &[&str]) -> Value {
    let mut args = vec!["aggregate", input, "--format", "json"];
    args.extend(QUARTER);
    args.extend_from_slice(extra);
    let out = hisp(&args);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    serde_json::from_slice(&out.stdout).unwrap()
}

/// Each survey's counts and type, without where the type was read from.
fn counts(doc: &Value) -> Vec<Value> {
    doc["surveys"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            let mut s = s.clone();
            s.as_object_mut().unwrap().remove("survey_type_from");
            s
        })
        .collect()
}

/// The canonical v2 fixture with question_1 rewritten by `answer`
/// (service, number) → text.
fn rewritten(dir: &std::path::Path, answer: impl Fn(&str, &str, usize) -> String) -> String {
    let mut reader = csv::Reader::from_path(fixture("v2/responses-fy2025.csv")).unwrap();
    let headers = reader.headers().unwrap().clone();
    let q1 = headers.iter().position(|h| h == "question_1").unwrap();
    let path = dir.join("text-answers.csv");
    let mut writer = csv::Writer::from_path(&path).unwrap();
    writer.write_record(&headers).unwrap();
    for (i, record) in reader.records().enumerate() {
        let record = record.unwrap();
        let row: Vec<String> = record
            .iter()
            .enumerate()
            .map(|(c, v)| {
                if c == q1 {
                    answer(&record[0], v, i)
                } else {
                    v.to_string()
                }
            })
            .collect();
        writer.write_record(&row).unwrap();
    }
    writer.flush().unwrap();
    path.display().to_string()
}

const UP: [&str; 6] = ["Yes", "👍", "Thumbs up", "TRUE", "👍🏽 Yes", "thumbs-up"];
const DOWN: [&str; 5] = ["No", "👎", "thumbs down", "false", "👎 No"];
const LIKERT: [&str; 5] = [
    "Strongly disagree",
    "disagree",
    "Neutral",
    "AGREE",
    "Strongly agree",
];

fn text_answer(service: &str, number: &str, i: usize) -> String {
    match (service, number) {
        ("Passport Renewal", "1") => UP[i % UP.len()].to_string(),
        ("Passport Renewal", "0") => DOWN[i % DOWN.len()].to_string(),
        (_, n) if !n.is_empty() && i % 3 == 0 => {
            // Qualtrics' "5 - Strongly agree" form now and then.
            let n: usize = n.parse().unwrap();
            format!("{n} - {}", LIKERT[n - 1])
        }
        (_, n) if !n.is_empty() => LIKERT[n.parse::<usize>().unwrap() - 1].to_string(),
        _ => String::new(),
    }
}

#[test]
fn trust_answers_as_text_count_like_the_numbers() {
    let dir = tempfile::tempdir().unwrap();
    let input = rewritten(dir.path(), text_answer);
    let canonical = aggregate_json(&fixture("v2/responses-fy2025.csv"), &[]);
    let text = aggregate_json(&input, &[]);
    assert_eq!(counts(&text), counts(&canonical));
    assert!(counts(&canonical).len() >= 3);
    // The thumbs survey is known for one from its labels, even where every
    // number would be 1.
    let passport = &text["surveys"][0];
    assert_eq!(passport["survey_type"], "thumbs_up_down");
}

#[test]
fn a_label_of_the_other_survey_type_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    // "Yes" where the survey answers on a Likert scale.
    let input = rewritten(dir.path(), |service, n, i| {
        if service == "Tax Return Help" && n == "1" && i % 2 == 1 {
            "Yes".to_string()
        } else {
            n.to_string()
        }
    });
    let (status, doc) = validate_json(&[&input, "--fiscal-year", "2025", "--quarter", "2"]);
    assert_eq!(status, 1, "{doc:#}");
    let found = entries(&doc, "survey-type");
    assert!(
        found.iter().any(|e| e["message"]
            .as_str()
            .unwrap()
            .starts_with("\"Yes\" is an answer of a thumbs_up_down survey, but answer")),
        "{doc:#}"
    );
}

/// A v2 file of one survey: each row's submitted date, trust answer and
/// survey_type (a column when any row gives one); drivers not offered.
fn one_survey(path: &std::path::Path, rows: &[(&str, &str, &str)]) {
    let typed = rows.iter().any(|r| !r.2.is_empty());
    let mut text =
        String::from("service,transaction_point,channel,submitted_at,external_id,question_1");
    for side in ["positive", "negative"] {
        for d in [
            "effectiveness",
            "ease",
            "efficiency",
            "transparency",
            "humanity",
            "employee",
            "other",
        ] {
            text.push_str(&format!(",{side}_{d}"));
        }
    }
    text.push_str(",question_4");
    if typed {
        text.push_str(",survey_type");
    }
    text.push('\n');
    for (i, (date, q1, survey_type)) in rows.iter().enumerate() {
        text.push_str(&format!(
            "A,post_interaction,computer,{date},ID-{i},{q1}{}",
            ",".repeat(15)
        ));
        if typed {
            text.push_str(&format!(",{survey_type}"));
        }
        text.push('\n');
    }
    std::fs::write(path, text).unwrap();
}

#[test]
fn survey_type_given_per_row_settles_and_must_agree() {
    let dir = tempfile::tempdir().unwrap();
    // Only 1s: without a type the survey is assumed thumbs (a warning).
    let path = dir.path().join("ones.csv");
    one_survey(&path, &[("2025-02-01", "1", ""), ("2025-02-02", "1", "")]);
    let input = path.to_str().unwrap();
    let likert = aggregate_json(input, &["--set", "survey_type=likert_scale"]);
    assert_eq!(likert["surveys"][0]["survey_type"], "likert_scale");
    assert_eq!(likert["surveys"][0]["survey_type_from"]["from"], "given");
    let (status, doc) = validate_json(&[
        input,
        "--fiscal-year",
        "2025",
        "--quarter",
        "2",
        "--set",
        "survey_type=likert_scale",
        "--services",
        &fixture("v2/services.csv"),
    ]);
    assert!(status <= 1, "{doc:#}");
    // A 0 where the row says likert_scale is an error.
    one_survey(
        &path,
        &[
            ("2025-02-01", "1", "likert_scale"),
            ("2025-02-02", "0", "likert_scale"),
            ("2025-02-03", "1", "thumbs_up_down"),
        ],
    );
    let (status, doc) = validate_json(&[input, "--fiscal-year", "2025", "--quarter", "2"]);
    assert_eq!(status, 1, "{doc:#}");
    let messages: Vec<&str> = entries(&doc, "survey-type")
        .iter()
        .map(|e| e["message"].as_str().unwrap())
        .collect();
    assert!(
        messages.iter().any(|m| m.starts_with(
            "0 is not an answer of a likert_scale survey, which survey_type in row 2"
        )),
        "{messages:?}"
    );
    assert!(
        messages
            .iter()
            .any(|m| m.starts_with("survey_type thumbs_up_down disagrees")),
        "{messages:?}"
    );
}

#[test]
fn the_mapping_file_adds_trust_answers() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("es.csv");
    one_survey(
        &path,
        &[
            ("2025-02-01", "Sí", ""),
            ("2025-02-02", "No", ""),
            ("2025-02-03", "sí", ""),
        ],
    );
    let map = dir.path().join("map.toml");
    std::fs::write(&map, "[trust_labels]\n\"Sí\" = 1\n").unwrap();
    let doc = aggregate_json(path.to_str().unwrap(), &["--map", map.to_str().unwrap()]);
    assert_eq!(doc["surveys"][0]["trust_positive"], 2, "{doc:#}");
    assert_eq!(doc["surveys"][0]["trust_negative"], 1, "{doc:#}");
    std::fs::write(&map, "[trust_labels]\n\"Sí\" = 7\n").unwrap();
    let out = hisp(&[
        "validate",
        path.to_str().unwrap(),
        "--map",
        map.to_str().unwrap(),
    ]);
    assert_eq!(code(&out), 2);
    assert!(
        stderr(&out).contains("[trust_labels] maps \"Sí\" to 7"),
        "{}",
        stderr(&out)
    );
}
