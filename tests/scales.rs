//! Other scales recoded into 1-5 by the mapping file's `[scales]`: the
//! counts are those of the documented bins, the recode is stated in the
//! report and the workbook, and an answer off the scale is an error.

mod common;
use common::*;

/// Satisfaction on 0-10 (every answer once, and 10 twice), trust on a
/// 7-point scale, ease reversed, and q8 as NPS.
fn responses() -> String {
    let mut text = String::from("service,touchpoint,channel,satisfaction,trust,ease,q8\n");
    for (i, s) in [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 10].iter().enumerate() {
        let trust = i % 7 + 1;
        let ease = i % 5 + 1;
        text.push_str(&format!(
            "Benefits,Call center,phone,{s},{trust},{ease},{s}\n"
        ));
    }
    text
}

const MAP: &str = r#"
[scales]
satisfaction = "0-10"
trust = "1-7"
ease = "reverse"
q8 = "nps"
"#;

fn counts(doc: &serde_json::Value, question: &str) -> Vec<u64> {
    doc["overall"]["questions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|q| q["question"] == question)
        .unwrap_or_else(|| panic!("{question}: {doc:#}"))["counts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n.as_u64().unwrap())
        .collect()
}

#[test]
fn scales_are_recoded_by_the_documented_bins_and_said_so() {
    let dir = tempfile::tempdir().unwrap();
    let input = write(dir.path(), "r.csv", &responses());
    let map = write(dir.path(), "map.toml", MAP);
    let run = hisp(&["aggregate", &input, "--map", &map, "--format", "json"]);
    assert_eq!(code(&run), 0, "{}", stderr(&run));
    let doc: serde_json::Value = serde_json::from_str(&stdout(&run)).unwrap();
    // 0-10: {0,1} 1, {2,3} 2, {4,5,6} 3, {7,8} 4, {9,10} 5 (10 twice).
    assert_eq!(counts(&doc, "satisfaction"), [2, 2, 3, 2, 3]);
    // 1-7 over 1..7,1..5: {1} 1, {2,3} 2, {4} 3, {5,6} 4, {7} 5.
    assert_eq!(counts(&doc, "trust"), [2, 4, 2, 3, 1]);
    // reversed 1..5,1..5,1,2: 5 and 4 counted three times, the rest twice.
    assert_eq!(counts(&doc, "ease"), [2, 2, 2, 3, 3]);
    // NPS: detractors 0-6 (7), passives 7-8 (2), promoters 9-10 (3).
    assert_eq!(counts(&doc, "q8"), [7, 0, 2, 0, 3]);

    // The report and the workbook say what was recoded.
    let out = dir.path().join("r.xlsx");
    let run = hisp(&["report", &input, "--map", &map, "-o", out.to_str().unwrap()]);
    assert_eq!(code(&run), 0, "{}", stderr(&run));
    let report = stdout(&run);
    assert!(
        report.contains("Note: satisfaction: a 0-10 scale recoded to 1-5: 0-1 → 1, 2-3 → 2, 4-6 → 3, 7-8 → 4, 9-10 → 5"),
        "{report}"
    );
    assert!(report.contains("Note: q8: NPS groups"), "{report}");
    let about: Vec<String> = sheet(&out, "About")
        .iter()
        .filter_map(|r| r.first().map(text))
        .collect();
    assert!(
        about
            .iter()
            .any(|l| l.starts_with("trust: a 1-7 scale recoded to 1-5")),
        "{about:?}"
    );
}

#[test]
fn an_answer_off_the_scale_is_an_error_and_a_wrong_scale_a_usage_error() {
    let dir = tempfile::tempdir().unwrap();
    let input = write(
        dir.path(),
        "r.csv",
        "service,touchpoint,channel,satisfaction,trust\nB,C,phone,11,4\nB,C,phone,10,4\n",
    );
    let map = write(
        dir.path(),
        "map.toml",
        "[scales]\nsatisfaction = \"0-10\"\n",
    );
    let (status, doc) = validate_json(&[&input, "--map", &map]);
    assert_eq!(status, 1, "{doc:#}");
    let errors = doc["errors"].as_array().unwrap();
    assert_eq!(errors.len(), 1, "{doc:#}");
    assert_eq!(errors[0]["row"], 2);
    assert_eq!(errors[0]["value"], "11");
    assert!(
        errors[0]["message"]
            .as_str()
            .unwrap()
            .contains("0-10 scale"),
        "{doc:#}"
    );
    for bad in [
        "[scales]\nsatisfaction = \"1-9\"\n",
        "[scales]\nservice = \"0-10\"\n",
        "[scales]\nsatisfaction = { \"10\" = 6 }\n",
    ] {
        let map = write(dir.path(), "bad.toml", bad);
        let run = hisp(&["validate", &input, "--map", &map]);
        assert_eq!(code(&run), 2, "{bad}: {}", stderr(&run));
        assert!(stderr(&run).contains("[scales]"), "{}", stderr(&run));
    }
}

/// A schema given with `--schema` that widens a question past 1-5 lets its
/// numbers through the cell checks; A-11 v1 cannot count them, so each is
/// an error at its cell and its row is invalid, not a respondent with
/// nothing tallied.
#[test]
fn v1_answers_outside_1_to_5_under_a_widened_schema_are_errors() {
    let dir = tempfile::tempdir().unwrap();
    let mut schema: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(root().join("schemas/a11-v1.json")).unwrap())
            .unwrap();
    for field in schema["fields"].as_array_mut().unwrap() {
        if field["name"] == "satisfaction" {
            field["constraints"]["maximum"] = serde_json::json!(10);
        }
    }
    let schema = write(dir.path(), "wide.json", &schema.to_string());
    let input = write(
        dir.path(),
        "wide.csv",
        "service,touchpoint,channel,satisfaction,trust\nBenefits,Call center,phone,4,5\nBenefits,Call center,phone,7,5\nBenefits,Call center,phone,5,4\n",
    );
    let (status, doc) = validate_json(&[&input, "--schema", &schema]);
    assert_eq!(status, 1, "{doc:#}");
    let out = entries(&doc, "likert-out-of-scale");
    assert_eq!(out.len(), 1, "{doc:#}");
    assert_eq!(out[0]["row"], 3);
    assert_eq!(out[0]["field"], "satisfaction");
    assert_eq!(out[0]["value"], "7");
    // Set aside, the row is invalid and the other two are counted.
    let agg = hisp(&[
        "aggregate",
        "--format",
        "json",
        "--skip-invalid",
        "--schema",
        &schema,
        &input,
    ]);
    assert_eq!(code(&agg), 0, "{}", stderr(&agg));
    let agg: serde_json::Value = serde_json::from_str(&stdout(&agg)).unwrap();
    assert_eq!(agg["overall"]["respondents"], 2, "{agg:#}");
    assert_eq!(counts(&agg, "satisfaction"), [0, 0, 0, 1, 1]);
}
