//! Response IDs past the `--unique-budget`: sorted in a temporary file and
//! compared at the end of the pass. Every repeat is still found, named at
//! its row with its first row, and its row counted invalid; under
//! `--skip-invalid` the set stays exact and the run says it went past.

mod common;
use common::*;

use std::collections::HashMap;

/// Two exports of 40,000 and 5,000 rows in FY2025 Q2 whose IDs repeat now
/// and then (in the same file and across files), with the repeats the test
/// expects.
/// A repeat: (file, row, first file, first row, id).
type Repeat = (usize, u64, usize, u64, String);

fn exports(dir: &std::path::Path) -> (Vec<String>, Vec<Repeat>) {
    let header = "response_id,submitted_at,service,touchpoint,channel,satisfaction,trust,effectiveness,ease,efficiency,transparency,employee\n";
    let mut first: HashMap<String, (usize, u64)> = HashMap::new();
    let mut repeats = Vec::new();
    let mut paths = Vec::new();
    for (file, rows) in [40_000u64, 5_000].into_iter().enumerate() {
        let mut csv = String::from(header);
        for i in 0..rows {
            let row = i + 2;
            // Every 997th row repeats an ID given shortly before, past the
            // first rows; in the second file, one of the first file's last.
            let id = match (file, i % 997 == 996) {
                (_, false) => format!("F{file}-{i}"),
                (0, true) => format!("F0-{}", i - 500),
                (_, true) => format!("F0-{}", 39_000 + i % 1000),
            };
            match first.get(&id) {
                Some(&(f, r)) => repeats.push((file, row, f, r, id.clone())),
                None => {
                    first.insert(id.clone(), (file, row));
                }
            }
            let answer = 1 + i % 5;
            csv.push_str(&format!(
                "{id},2025-02-{:02} 10:00:00,Passport Renewal,Online application,computer,{answer},{answer},{answer},{answer},{answer},{answer},{answer}\n",
                1 + i % 28
            ));
        }
        paths.push(write(dir, &format!("export-{file}.csv"), &csv));
    }
    (paths, repeats)
}

/// The unique-error entries of a JSON report: (file, row, value, message).
fn repeats_listed(doc: &serde_json::Value) -> Vec<(String, u64, String, String)> {
    entries(doc, "unique-error")
        .iter()
        .map(|e| {
            (
                e["file"].as_str().unwrap().to_string(),
                e["row"].as_u64().unwrap(),
                e["value"].as_str().unwrap().to_string(),
                e["message"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

#[test]
fn repeats_past_the_budget_are_all_found_and_counted() {
    let dir = tempfile::tempdir().unwrap();
    let (paths, expected) = exports(dir.path());
    assert!(
        expected.len() > 25,
        "the fixture has repeats: {}",
        expected.len()
    );
    let args = |budget: &'static str| {
        vec![
            paths[0].as_str(),
            paths[1].as_str(),
            "--unique-budget",
            budget,
        ]
    };
    let (code_big, big) = validate_json(&args("64"));
    let (code_small, small) = validate_json(&args("1"));
    assert_eq!((code_big, code_small), (1, 1));
    let (inline, late) = (repeats_listed(&big), repeats_listed(&small));

    // Every repeat, named where the test expects it.
    let name = |f: usize| paths[f].clone();
    let want: Vec<(String, u64, String, String)> = expected
        .iter()
        .map(|(f, row, ff, fr, id)| {
            let first = if f == ff {
                format!("row {fr}")
            } else {
                format!("row {fr} of {}", name(*ff))
            };
            (
                name(*f),
                *row,
                id.clone(),
                format!("{id:?} was already seen in {first}; each response must appear once. Remove the duplicate row or input file"),
            )
        })
        .collect();
    assert_eq!(inline, want, "within the budget: at once, in row order");
    // Past the budget: the same repeats, those found at the end last, in
    // row order (here after every one found at once).
    assert_eq!(late, want, "past the budget");
    let said = |doc: &serde_json::Value| doc["stats"]["notes"].to_string();
    assert!(
        said(&small).contains("values past the --unique-budget were compared at the end"),
        "{}",
        said(&small)
    );
    assert!(!said(&big).contains("--unique-budget"));

    // The counts are the same either way.
    for field in ["rows_invalid", "respondents", "rows", "errors"] {
        assert_eq!(
            big["stats"][field], small["stats"][field],
            "{field}: {}",
            small["stats"]
        );
    }
    assert_eq!(
        small["stats"]["rows_invalid"].as_u64(),
        Some(expected.len() as u64)
    );
}

#[test]
fn the_human_report_says_what_the_budget_did() {
    let dir = tempfile::tempdir().unwrap();
    let (paths, _) = exports(dir.path());
    let out = hisp(&["validate", &paths[0], "--unique-budget", "1"]);
    assert_eq!(code(&out), 1);
    assert!(
        stdout(&out)
            .contains("values past the --unique-budget were compared at the end of the pass"),
        "{}",
        stdout(&out)
    );
    let out = hisp(&["validate", &paths[0]]);
    assert!(!stdout(&out).contains("--unique-budget"));
}

#[test]
fn skip_invalid_keeps_the_set_exact_and_says_it_went_past() {
    let dir = tempfile::tempdir().unwrap();
    let (paths, expected) = exports(dir.path());
    let report = |budget: &str, out: &str| {
        let out = dir.path().join(out);
        let result = hisp(&[
            "report",
            &paths[0],
            &paths[1],
            "--fiscal-year",
            "2025",
            "--quarter",
            "2",
            "--skip-invalid",
            "--no-previous",
            "--unique-budget",
            budget,
            "-o",
            out.to_str().unwrap(),
        ]);
        assert_eq!(code(&result), 0, "{}", stderr(&result));
        (out, stderr(&result) + &stdout(&result))
    };
    let (exact, said) = report("64", "exact.xlsx");
    let (budget, said_small) = report("1", "small.xlsx");
    assert!(!said.contains("past the --unique-budget"));
    assert!(
        said_small.contains("past the --unique-budget"),
        "{said_small}"
    );
    let data = |path: &std::path::Path| sheet(path, "Quarterly Data");
    assert_eq!(data(&exact), data(&budget));
    // The repeated rows were set aside: 45,000 rows less the repeats.
    let rows = data(&exact);
    let header = &rows[0];
    let col = header
        .iter()
        .position(|c| *c == "volume_of_respondents")
        .expect("respondents column");
    let respondents: f64 = rows[1..]
        .iter()
        .map(|r| r[col].to_string().parse::<f64>().unwrap_or(0.0))
        .sum();
    assert_eq!(respondents as usize, 45_000 - expected.len());
}

#[test]
fn external_ids_within_their_survey_past_the_budget() {
    // A-11 v2: external_id is unique within its survey. 40,000 responses
    // in two surveys; every 991st repeats an ID given 300 rows before in
    // the same survey (a repeat), and the same ID in the other survey is
    // no repeat.
    let dir = tempfile::tempdir().unwrap();
    let mut csv = String::from(
        "service,transaction_point,channel,submitted_at,external_id,question_1,positive_effectiveness,positive_ease,positive_efficiency,positive_transparency,positive_humanity,positive_employee,positive_other,negative_effectiveness,negative_ease,negative_efficiency,negative_transparency,negative_humanity,negative_employee,negative_other,question_4\n",
    );
    let mut expected = Vec::new();
    for i in 0..40_000u64 {
        let service = if i % 2 == 0 {
            "Passport Renewal"
        } else {
            "Tax Return Help"
        };
        let id = if i % 991 == 990 {
            expected.push((i + 2, i + 2 - 300));
            format!("X{}", i - 300)
        } else {
            format!("X{i}")
        };
        csv.push_str(&format!(
            "{service},post_interaction,computer,2025-02-{:02} 10:00:00,{id},1,1,0,0,0,0,0,0,0,0,0,0,0,0,0,\n",
            1 + i % 28
        ));
    }
    let path = write(dir.path(), "v2.csv", &csv);
    let (_, big) = validate_json(&[&path, "--unique-budget", "64"]);
    let (_, small) = validate_json(&[&path, "--unique-budget", "1"]);
    let rows = |doc: &serde_json::Value| -> Vec<(u64, String)> {
        entries(doc, "unique-error")
            .iter()
            .map(|e| {
                (
                    e["row"].as_u64().unwrap(),
                    e["message"].as_str().unwrap().to_string(),
                )
            })
            .collect()
    };
    let want: Vec<(u64, String)> = expected
        .iter()
        .map(|(row, first)| {
            (
                *row,
                format!(
                    "external_id \"X{}\" was already used in this survey (row {first}); each response must appear once",
                    first - 2
                ),
            )
        })
        .collect();
    assert_eq!(rows(&big), want);
    assert_eq!(rows(&small), want);
    assert!(
        small["stats"]["notes"]
            .to_string()
            .contains("external_id: ")
    );
    for field in ["rows_invalid", "respondents", "errors"] {
        assert_eq!(big["stats"][field], small["stats"][field], "{field}");
    }
    assert_eq!(
        small["stats"]["rows_invalid"].as_u64(),
        Some(expected.len() as u64)
    );
}
