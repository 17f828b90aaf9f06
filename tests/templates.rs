//! Both templates behave alike where they share a rule: survey names folded
//! the same way with the same warning, codes compared by the one text
//! normaliser, hints that name the right place to fix a value, and answers
//! outside the counted range reported instead of crashing the count.

mod common;
use common::*;

use std::path::Path;

const V2_HEADER: &str = "service,transaction_point,channel,submitted_at,external_id,question_1,positive_effectiveness,positive_ease,positive_efficiency,positive_transparency,positive_humanity,positive_employee,positive_other,negative_effectiveness,negative_ease,negative_efficiency,negative_transparency,negative_humanity,negative_employee,negative_other,question_4";

/// A v2 row: service, transaction point, channel, id, trust answer; drivers
/// all 0.
fn v2_row(service: &str, tp: &str, channel: &str, id: &str, q1: &str) -> String {
    format!("{service},{tp},{channel},2025-02-03T10:00:00,{id},{q1},0,0,0,0,0,0,0,0,0,0,0,0,0,0,")
}

fn write(dir: &Path, name: &str, lines: &[String]) -> String {
    let path = dir.join(name);
    std::fs::write(&path, lines.join("\n") + "\n").unwrap();
    path.display().to_string()
}

#[test]
fn v2_warns_of_spelling_variants_like_v1() {
    let dir = tempfile::tempdir().unwrap();
    let v2 = write(
        dir.path(),
        "v2.csv",
        &[
            V2_HEADER.to_string(),
            v2_row("Passport Renewal", "post_interaction", "computer", "a", "1"),
            v2_row(
                "passport  renewal",
                "post_interaction",
                "computer",
                "b",
                "0",
            ),
        ],
    );
    let v1 = write(
        dir.path(),
        "v1.csv",
        &[
            "service,touchpoint,channel,satisfaction,trust".to_string(),
            "Passport Renewal,Online,computer,5,4".to_string(),
            "passport  renewal,Online,computer,4,4".to_string(),
        ],
    );
    for input in [&v1, &v2] {
        let (status, doc) = validate_json(&[input]);
        assert_eq!(status, 0, "{doc:#}");
        let variants = entries(&doc, "spelling-variant");
        assert_eq!(variants.len(), 1, "{input}: {doc:#}");
        assert_eq!(variants[0]["value"], "passport  renewal");
        assert_eq!(variants[0]["row"], 3);
        assert_eq!(variants[0]["field"], "service");
    }
    // Both spellings are one survey with both respondents.
    let out = hisp(&[
        "aggregate",
        "--format",
        "json",
        &v2,
        "--fiscal-year",
        "2025",
        "--quarter",
        "2",
    ]);
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let surveys = doc["surveys"].as_array().unwrap();
    assert_eq!(surveys.len(), 1);
    assert_eq!(surveys[0]["service"], "Passport Renewal");
    assert_eq!(surveys[0]["volume_of_respondents"], 2);
}

#[test]
fn a_schema_that_allows_other_trust_answers_gets_an_error_not_a_crash() {
    let dir = tempfile::tempdir().unwrap();
    let schema = std::fs::read_to_string(root().join("schemas/a11-v2.json")).unwrap();
    let widened = schema.replacen("\"maximum\": 5", "\"maximum\": 7", 1);
    assert_ne!(schema, widened, "the trust question's maximum is widened");
    let schema_path = dir.path().join("wide.json");
    std::fs::write(&schema_path, widened).unwrap();
    let input = write(
        dir.path(),
        "v2.csv",
        &[
            V2_HEADER.to_string(),
            v2_row("Passport Renewal", "post_interaction", "computer", "a", "1"),
            v2_row("Passport Renewal", "post_interaction", "computer", "b", "7"),
        ],
    );
    let (status, doc) = validate_json(&["--schema", schema_path.to_str().unwrap(), &input]);
    assert_eq!(status, 1, "{doc:#}");
    let errors = doc["errors"].as_array().unwrap();
    assert_eq!(errors.len(), 1, "{doc:#}");
    assert_eq!(errors[0]["row"], 3);
    assert_eq!(errors[0]["field"], "question_1");
    assert_eq!(errors[0]["value"], "7");
    assert_eq!(doc["stats"]["respondents"], 1);
}

#[test]
fn an_unknown_transaction_point_is_not_told_to_use_the_channels_table() {
    let dir = tempfile::tempdir().unwrap();
    let input = write(
        dir.path(),
        "v2.csv",
        &[
            V2_HEADER.to_string(),
            v2_row("Passport Renewal", "post_visit", "computer", "a", "1"),
            v2_row("Passport Renewal", "post_interaction", "webb", "b", "1"),
        ],
    );
    let (status, doc) = validate_json(&[&input]);
    assert_eq!(status, 1);
    let tp = &entries(&doc, "constraint-error")[0];
    assert_eq!(tp["field"], "transaction_point");
    let message = tp["message"].as_str().unwrap();
    assert!(!message.contains("[channels]"), "{message}");
    assert!(message.contains("--set transaction_point="), "{message}");
    let channel = &entries(&doc, "unknown-channel")[0];
    let message = channel["message"].as_str().unwrap();
    assert!(message.contains("[channels]"), "{message}");
}

#[test]
fn codes_and_answer_labels_fold_alike_so_two_spaces_are_one() {
    let dir = tempfile::tempdir().unwrap();
    let input = write(
        dir.path(),
        "v1.csv",
        &[
            "service,touchpoint,channel,satisfaction,trust".to_string(),
            "Passport Renewal,Office,in  person,5,4".to_string(),
            "Passport Renewal,Office,In - Person,4,4".to_string(),
            "Passport Renewal,Office,in_person,3,3".to_string(),
            "Passport Renewal,Office,IN PERSON,Strongly  AGREE,neither  agree nor disagree"
                .to_string(),
        ],
    );
    let (status, doc) = validate_json(&[&input]);
    assert_eq!(status, 0, "{doc:#}");
    assert_eq!(doc["stats"]["respondents"], 4);
    let out = hisp(&[
        "aggregate",
        "--format",
        "json",
        &input,
        "--fiscal-year",
        "2025",
        "--quarter",
        "2",
    ]);
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let surveys = doc["surveys"].as_array().unwrap();
    assert_eq!(surveys.len(), 1, "{doc:#}");
    assert_eq!(surveys[0]["channel"], "in_person");
    assert_eq!(surveys[0]["respondents"], 4);
    // Answer labels fold the same way: two spaces are one.
    let q = &surveys[0]["questions"];
    assert_eq!(q[0]["counts"], serde_json::json!([0, 0, 1, 1, 2]), "{q:#}");
    assert_eq!(q[1]["counts"], serde_json::json!([0, 0, 2, 2, 0]), "{q:#}");
}
