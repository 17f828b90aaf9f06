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
        (_, n) if !n.is_empty() && i.is_multiple_of(3) => {
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
    for side in SIDES {
        for d in DRIVER_NAMES {
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
    assert_eq!(status, 0, "{doc:#}");
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

const SIDES: [&str; 2] = ["positive", "negative"];
const DRIVER_NAMES: [&str; 7] = hisp::names::DRIVERS;
/// Choice texts as a multi-select question shows them.
const CHOICE_TEXTS: [&str; 7] = [
    "Effectiveness: my need was addressed",
    "Ease: it was easy to do",
    "Efficiency: it took a reasonable amount of time",
    "Transparency: I understood what was being asked",
    "Humanity: I was treated with respect",
    "Employee: staff were helpful",
    "Other",
];

/// The canonical v2 fixture's rows, by survey key.
fn canonical_surveys() -> Vec<(String, Vec<csv::StringRecord>, csv::StringRecord)> {
    let mut reader = csv::Reader::from_path(fixture("v2/responses-fy2025.csv")).unwrap();
    let headers = reader.headers().unwrap().clone();
    let mut surveys: Vec<(String, Vec<csv::StringRecord>, csv::StringRecord)> = Vec::new();
    for record in reader.records() {
        let record = record.unwrap();
        let key = format!("{}|{}|{}", &record[0], &record[1], &record[2]);
        match surveys.iter_mut().find(|(k, _, _)| *k == key) {
            Some((_, rows, _)) => rows.push(record),
            None => surveys.push((key, vec![record], headers.clone())),
        }
    }
    surveys
}

/// Write rows as CSV.
fn write_csv(path: &std::path::Path, header: &[String], rows: &[Vec<String>]) {
    let mut w = csv::Writer::from_path(path).unwrap();
    w.write_record(header).unwrap();
    for row in rows {
        w.write_record(row).unwrap();
    }
    w.flush().unwrap();
}

/// Every survey of the canonical fixture, exported as multi-select
/// choices split into columns (choice text or `Selected` when chosen,
/// blank when not) and as choices joined in one cell (codes or choice
/// texts), gives the counts and the upload file of its canonical rows.
#[test]
fn drivers_split_or_joined_count_like_the_canonical_columns() {
    let dir = tempfile::tempdir().unwrap();
    for (n, (_, rows, headers)) in canonical_surveys().into_iter().enumerate() {
        let col = |name: &str| headers.iter().position(|h| h == name).unwrap();
        let keys = [
            "service",
            "transaction_point",
            "channel",
            "submitted_at",
            "external_id",
            "question_1",
            "question_4",
        ];
        let key_cells = |r: &csv::StringRecord| {
            keys.iter()
                .map(|k| r[col(k)].to_string())
                .collect::<Vec<_>>()
        };
        // Drivers this survey's form offers (never null).
        let offered: Vec<(usize, usize)> = (0..2)
            .flat_map(|s| (0..7).map(move |d| (s, d)))
            .filter(|&(s, d)| {
                rows.iter()
                    .all(|r| &r[col(&format!("{}_{}", SIDES[s], DRIVER_NAMES[d]))] != "null")
            })
            .collect();
        let ticked = |r: &csv::StringRecord, s: usize, d: usize| {
            &r[col(&format!("{}_{}", SIDES[s], DRIVER_NAMES[d]))] == "1"
        };
        let not_offered: Vec<String> = (0..2)
            .flat_map(|s| (0..7).map(move |d| (s, d)))
            .filter(|p| !offered.contains(p))
            .map(|(s, d)| format!("{}_{}=null", SIDES[s], DRIVER_NAMES[d]))
            .collect();
        let sets: Vec<&str> = not_offered
            .iter()
            .flat_map(|s| ["--set", s.as_str()])
            .collect();

        let case = dir.path().join(format!("survey-{n}"));
        std::fs::create_dir_all(&case).unwrap();
        // The canonical rows of this survey.
        let canonical_path = case.join("canonical.csv");
        let all: Vec<String> = headers.iter().map(str::to_string).collect();
        write_csv(
            &canonical_path,
            &all,
            &rows
                .iter()
                .map(|r| r.iter().map(str::to_string).collect())
                .collect::<Vec<_>>(),
        );
        let expected = report_many(&[canonical_path.to_str().unwrap()], &case.join("c"), &[]);

        // Split: one column per offered choice, mapped by the mapping file.
        let mut header: Vec<String> = keys.iter().map(|k| k.to_string()).collect();
        let mut map = String::from("[columns]\n");
        for &(s, d) in &offered {
            let label = format!(
                "{} - {}",
                ["What went well?", "What didn't go well?"][s],
                CHOICE_TEXTS[d]
            );
            map.push_str(&format!(
                "{:?} = \"{}_{}\"\n",
                label, SIDES[s], DRIVER_NAMES[d]
            ));
            header.push(label);
        }
        let split: Vec<Vec<String>> = rows
            .iter()
            .enumerate()
            .map(|(i, r)| {
                let mut cells = key_cells(r);
                for &(s, d) in &offered {
                    let chosen = if i % 2 == 0 {
                        CHOICE_TEXTS[d]
                    } else {
                        "Selected"
                    };
                    cells.push(if ticked(r, s, d) {
                        chosen.to_string()
                    } else {
                        String::new()
                    });
                }
                cells
            })
            .collect();
        let split_path = case.join("split.csv");
        write_csv(&split_path, &header, &split);
        let map_path = case.join("split.toml");
        std::fs::write(&map_path, &map).unwrap();
        let got = report_many(
            &[split_path.to_str().unwrap()],
            &case.join("s"),
            &["--map", map_path.to_str().unwrap()],
        );
        assert_eq!(got, expected, "split, survey {n}");

        // Joined: codes for what went well, choice texts for what didn't.
        let mut header: Vec<String> = keys.iter().map(|k| k.to_string()).collect();
        header.extend([
            "What went well?".to_string(),
            "What didn't go so well?".to_string(),
        ]);
        let joined: Vec<Vec<String>> = rows
            .iter()
            .map(|r| {
                let mut cells = key_cells(r);
                let side = |s: usize, names: &[&str; 7], sep: &str| {
                    (0..7)
                        .filter(|&d| ticked(r, s, d))
                        .map(|d| names[d])
                        .collect::<Vec<_>>()
                        .join(sep)
                };
                cells.push(side(0, &DRIVER_NAMES, ","));
                cells.push(side(1, &CHOICE_TEXTS, "; "));
                cells
            })
            .collect();
        let joined_path = case.join("joined.csv");
        write_csv(&joined_path, &header, &joined);
        let got = report_many(&[joined_path.to_str().unwrap()], &case.join("j"), &sets);
        assert_eq!(got, expected, "joined, survey {n}");
    }
}

#[test]
fn a_joined_choice_that_names_no_driver_is_an_error_the_mapping_can_fix() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("joined.csv");
    std::fs::write(
        &path,
        "service,transaction_point,channel,submitted_at,external_id,question_1,What went well?,What didn't go so well?\n\
         A,post_interaction,computer,2025-02-01,1,1,\"ease,Cortesía\",\n\
         A,post_interaction,computer,2025-02-02,2,0,,efficiency\n",
    )
    .unwrap();
    let (status, doc) = validate_json(&[
        path.to_str().unwrap(),
        "--fiscal-year",
        "2025",
        "--quarter",
        "2",
    ]);
    assert_eq!(status, 1);
    let e = &entries(&doc, "type-error")[0];
    assert_eq!(e["field"], "positive_drivers");
    assert!(
        e["message"]
            .as_str()
            .unwrap()
            .starts_with("\"Cortesía\" names no driver"),
        "{e}"
    );
    let map = dir.path().join("map.toml");
    std::fs::write(&map, "[driver_choices]\n\"Cortesía\" = \"humanity\"\n").unwrap();
    let doc = aggregate_json(path.to_str().unwrap(), &["--map", map.to_str().unwrap()]);
    let s = &doc["surveys"][0];
    assert_eq!(s["positive"]["humanity"]["count"], 1, "{s:#}");
    assert_eq!(s["positive"]["ease"]["count"], 1, "{s:#}");
    assert_eq!(s["positive"]["effectiveness"]["offered"], 1, "{s:#}");
    assert_eq!(s["negative"]["efficiency"]["count"], 1, "{s:#}");
}

/// Canonical driver columns come together: a misspelt one is an error, not
/// a driver "not offered".
#[test]
fn a_misspelt_canonical_driver_column_is_missing_not_unoffered() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("typo.csv");
    one_survey(&path, &[("2025-02-01", "1", "")]);
    let text = std::fs::read_to_string(&path)
        .unwrap()
        .replacen("positive_ease", "positve_ease", 1);
    std::fs::write(&path, text).unwrap();
    let (status, doc) = validate_json(&[path.to_str().unwrap()]);
    assert_eq!(status, 1, "{doc:#}");
    let missing = entries(&doc, "missing-label");
    assert_eq!(missing.len(), 1, "{doc:#}");
    assert_eq!(missing[0]["field"], "positive_ease");
}

/// The canonical rows of the given surveys (service, transaction point,
/// channel), written as a file of their own.
fn canonical_subset(dir: &std::path::Path, keys: &[(&str, &str, &str)]) -> std::path::PathBuf {
    let (_, headers) = {
        let mut r = csv::Reader::from_path(fixture("v2/responses-fy2025.csv")).unwrap();
        let h = r.headers().unwrap().clone();
        ((), h)
    };
    let mut reader = csv::Reader::from_path(fixture("v2/responses-fy2025.csv")).unwrap();
    let path = dir.join("canonical-subset.csv");
    let mut w = csv::Writer::from_path(&path).unwrap();
    w.write_record(&headers).unwrap();
    for record in reader.records() {
        let r = record.unwrap();
        if keys.contains(&(&r[0], &r[1], &r[2])) {
            w.write_record(&r).unwrap();
        }
    }
    w.flush().unwrap();
    path
}

/// `hisp report` of inputs: each survey's counts (JSON) and the upload
/// files by name.
fn report_many(
    inputs: &[&str],
    dir: &std::path::Path,
    extra: &[&str],
) -> (Vec<Value>, Vec<(String, String)>) {
    std::fs::create_dir_all(dir).unwrap();
    let upload = dir.join("upload");
    let (out, upload_s) = (dir.join("r.xlsx"), upload.display().to_string());
    let out_s = out.display().to_string();
    let mut args = vec!["report"];
    args.extend_from_slice(inputs);
    args.extend(["-o", &out_s, "--upload-dir", &upload_s]);
    args.extend(QUARTER);
    args.extend_from_slice(extra);
    let run = hisp(&args);
    assert_eq!(code(&run), 0, "{}", stderr(&run));
    let mut files: Vec<(String, String)> = std::fs::read_dir(&upload)
        .unwrap()
        .map(|e| {
            let p = e.unwrap().path();
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            (name, std::fs::read_to_string(&p).unwrap())
        })
        .collect();
    files.sort();
    // Each upload file re-validates against the upload schema with no error.
    for (name, _) in &files {
        let path = upload.join(name);
        let check = hisp(&[
            "validate",
            path.to_str().unwrap(),
            "--schema",
            "a11-v2-upload",
        ]);
        assert_eq!(code(&check), 0, "{name}: {}", stdout(&check));
        assert!(
            stdout(&check).contains("VALID: 0 errors"),
            "{}",
            stdout(&check)
        );
    }
    let mut agg = vec!["aggregate"];
    agg.extend_from_slice(inputs);
    agg.extend(["--format", "json"]);
    agg.extend(QUARTER);
    agg.extend_from_slice(extra);
    let run = hisp(&agg);
    assert_eq!(code(&run), 0, "{}", stderr(&run));
    (counts(&serde_json::from_slice(&run.stdout).unwrap()), files)
}

/// Two Qualtrics v2 exports, one survey each with its own Q numbering (trust
/// as Yes/No with split driver columns; trust as Likert labels with joined
/// drivers), pooled without a mapping file: the counts and upload files of
/// the same responses in canonical form. Previews and unfinished responses
/// are left out.
#[test]
fn qualtrics_v2_exports_pooled_count_like_the_canonical_file() {
    let dir = tempfile::tempdir().unwrap();
    let canonical = canonical_subset(
        dir.path(),
        &[
            ("Passport Renewal", "post_interaction", "computer"),
            ("Tax Return Help", "post_interaction", "phone"),
        ],
    );
    let expected = report_many(&[canonical.to_str().unwrap()], &dir.path().join("c"), &[]);
    assert_eq!(expected.0.len(), 2);
    let passport = fixture("exports/qualtrics-v2-passport.csv");
    let tax = fixture("exports/qualtrics-v2-tax.csv");
    let got = report_many(&[&passport, &tax], &dir.path().join("q"), &[]);
    assert_eq!(got, expected);
}

/// `hisp init INPUT`, which must succeed, written into `dir`: the mapping's
/// path.
fn init_map(input: &str, dir: &std::path::Path) -> std::path::PathBuf {
    let map = dir.join("init.toml");
    let init = hisp(&["init", input, "-o", map.to_str().unwrap()]);
    assert_eq!(code(&init), 0, "{}", stderr(&init));
    map
}

/// Touchpoints' generic form export (question texts as headers, joined
/// driver codes, Created at in UTC) with its survey's keys given and the
/// mapping `hisp init` writes.
#[test]
fn touchpoints_generic_v2_export_counts_like_the_canonical_file() {
    let dir = tempfile::tempdir().unwrap();
    let canonical = canonical_subset(
        dir.path(),
        &[("Passport Renewal", "post_interaction", "computer")],
    );
    let expected = report_many(&[canonical.to_str().unwrap()], &dir.path().join("c"), &[]);
    let keys = [
        "--set",
        "service=Passport Renewal",
        "--set",
        "transaction_point=post_interaction",
        "--set",
        "channel=computer",
        "--map",
    ];
    // The mapping `hisp init` writes, as written.
    let map = init_map(&fixture("exports/touchpoints-generic-v2.csv"), dir.path());
    let mut args: Vec<&str> = keys.to_vec();
    args.push(map.to_str().unwrap());
    let got = report_many(
        &[&fixture("exports/touchpoints-generic-v2.csv")],
        &dir.path().join("t"),
        &args,
    );
    assert_eq!(got, expected);
}

/// A Medallia-style export (its own column names, Likert labels, a column
/// per driver with Selected/blank) with the mapping `hisp init` writes, as
/// written.
#[test]
fn medallia_v2_export_counts_with_the_mapping_init_writes() {
    let dir = tempfile::tempdir().unwrap();
    let canonical = canonical_subset(
        dir.path(),
        &[("Veterans Health Scheduling", "relational", "in_person")],
    );
    let expected = report_many(&[canonical.to_str().unwrap()], &dir.path().join("c"), &[]);
    let input = fixture("exports/medallia-v2.csv");
    let map = init_map(&input, dir.path());
    let got = report_many(
        &[&input],
        &dir.path().join("m"),
        &["--map", map.to_str().unwrap()],
    );
    assert_eq!(got, expected);
}

/// `hisp init` proposes the trust answers it does not know in
/// `[trust_labels]`, guessing what it can; the mapping works once the rest
/// are filled in.
#[test]
fn init_proposes_trust_labels() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("es.csv");
    std::fs::write(
        &path,
        "service,transaction_point,channel,submitted_at,external_id,Trust,What went well?\n\
         A,post_interaction,computer,2025-02-01,1,Sí,ease\n\
         A,post_interaction,computer,2025-02-02,2,No,\n\
         A,post_interaction,computer,2025-02-03,3,Meh,\n",
    )
    .unwrap();
    let out = hisp(&["init", path.to_str().unwrap()]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let text = stdout(&out);
    let section = text.split("[trust_labels]").nth(1).unwrap();
    assert!(section.contains("\"Sí\" = 1"), "{text}");
    assert!(section.contains("# Meh = ?"), "{text}");
    let map = dir.path().join("map.toml");
    std::fs::write(&map, text.replace("# Meh = ?", "Meh = 0")).unwrap();
    let doc = aggregate_json(path.to_str().unwrap(), &["--map", map.to_str().unwrap()]);
    assert_eq!(doc["surveys"][0]["trust_positive"], 1, "{doc:#}");
    assert_eq!(doc["surveys"][0]["trust_negative"], 2, "{doc:#}");
    assert_eq!(doc["surveys"][0]["positive"]["ease"]["count"], 1, "{doc:#}");
}

/// An upload file with its columns in another order is read by name, with
/// one `column-order` warning; the files hisp writes keep Touchpoints'
/// order.
#[test]
fn an_upload_file_in_another_column_order_reads_the_same() {
    let dir = tempfile::tempdir().unwrap();
    let original = fixture("v2/upload-passport.csv");
    let text = std::fs::read_to_string(&original).unwrap();
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(text.trim_start_matches('\u{feff}').as_bytes());
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    // question_4 first, question_1 last.
    let n = rows[0].len();
    let order: Vec<usize> = std::iter::once(n - 1)
        .chain(0..1)
        .chain(2..n - 1)
        .chain(std::iter::once(1))
        .collect();
    let moved = dir.path().join("moved.csv");
    let mut w = csv::Writer::from_path(&moved).unwrap();
    for r in &rows {
        w.write_record(order.iter().map(|&i| &r[i])).unwrap();
    }
    w.flush().unwrap();
    let keys = [
        "--set",
        "service=Passport Renewal",
        "--set",
        "transaction_point=post_interaction",
        "--set",
        "channel=computer",
    ];
    let expected = report_many(&[&original], &dir.path().join("a"), &keys);
    let got = report_many(&[moved.to_str().unwrap()], &dir.path().join("b"), &keys);
    assert_eq!(got, expected);
    let mut args = vec![moved.to_str().unwrap()];
    args.extend(keys);
    let (status, doc) = validate_json(&args);
    assert_eq!(status, 0, "{doc:#}");
    assert_eq!(entries(&doc, "column-order").len(), 1, "{doc:#}");
    assert!(entries(&doc, "incorrect-label").is_empty());
}

/// `--redact` takes personal information out of the free text written
/// (upload files, Responses sheet), counts it per survey, and changes no
/// count.
#[test]
fn redact_cleans_free_text_and_changes_no_count() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("comments.csv");
    one_survey(
        &path,
        &[
            ("2025-02-01", "1", ""),
            ("2025-02-02", "0", ""),
            ("2025-02-03", "1", ""),
        ],
    );
    let written = std::fs::read_to_string(&path).unwrap();
    let mut lines: Vec<String> = written.lines().map(str::to_string).collect();
    // question_4 is the last column: fill in three comments.
    for (line, comment) in lines.iter_mut().skip(1).zip([
        "\"Call me at (202) 555-0143 or jane@example.com\"",
        "\"Case IRS-2025-000123, SSN 123-45-6789\"",
        "\"Fine, thanks. Waited 2025-02-03 from 10:22.\"",
    ]) {
        line.push_str(comment);
    }
    std::fs::write(&path, lines.join("\n") + "\n").unwrap();
    let map = dir.path().join("map.toml");
    std::fs::write(&map, "redact = ['IRS-\\d{4}-\\d{6}']\n").unwrap();
    let keep = report_many(
        &[path.to_str().unwrap()],
        &dir.path().join("plain"),
        &["--map", map.to_str().unwrap()],
    );
    let out = dir.path().join("redacted");
    std::fs::create_dir_all(&out).unwrap();
    let (workbook, uploads) = (out.join("r.xlsx"), out.join("upload"));
    let mut args = vec![
        "report",
        path.to_str().unwrap(),
        "-o",
        workbook.to_str().unwrap(),
    ];
    args.extend([
        "--upload-dir",
        uploads.to_str().unwrap(),
        "--map",
        map.to_str().unwrap(),
        "--redact",
    ]);
    args.extend(QUARTER);
    let run = hisp(&args);
    assert_eq!(code(&run), 0, "{}", stderr(&run));
    let file = std::fs::read_dir(&uploads)
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .path();
    let upload = std::fs::read_to_string(file).unwrap();
    // Every cell but the comment is as without --redact.
    let without_comment = |text: &str| -> Vec<String> {
        let mut r = csv::Reader::from_reader(text.as_bytes());
        r.records()
            .map(|rec| rec.unwrap().iter().take(16).collect::<Vec<_>>().join(","))
            .collect()
    };
    assert_eq!(without_comment(&upload), without_comment(&keep.1[0].1));
    assert!(
        upload.contains("Call me at [redacted] or [redacted]"),
        "{upload}"
    );
    assert!(
        upload.contains("Case [redacted], SSN [redacted]"),
        "{upload}"
    );
    assert!(
        upload.contains("Fine, thanks. Waited 2025-02-03 from 10:22."),
        "{upload}"
    );
    assert!(
        !upload.contains("555-0143") && !upload.contains("example.com"),
        "{upload}"
    );
    let responses = sheet(&workbook, "Responses");
    let cells: Vec<String> = responses.iter().flatten().map(text).collect();
    assert!(
        cells
            .iter()
            .any(|c| c == "Call me at [redacted] or [redacted]"),
        "{cells:?}"
    );
    assert!(!cells.iter().any(|c| c.contains("jane@example.com")));
    // The report says what was taken out, per survey.
    let mut args = vec!["report", path.to_str().unwrap(), "-o"];
    let again = dir.path().join("again.xlsx");
    args.push(again.to_str().unwrap());
    args.extend([
        "--map",
        map.to_str().unwrap(),
        "--redact",
        "--format",
        "json",
    ]);
    args.extend(QUARTER);
    let run = hisp(&args);
    assert!(
        stdout(&run).contains(
            "--redact took 4 stretches of personal information out of 2 free-text answers"
        ),
        "{}",
        stdout(&run)
    );
}

/// A Qualtrics export with numeric recodes (Yes = 1, No = 2) reads with
/// `[trust_labels] "2" = 0`: the counts of the choice-text export.
#[test]
fn qualtrics_numeric_recodes_with_trust_labels() {
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(fixture("exports/qualtrics-v2-passport.csv")).unwrap();
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(text.as_bytes());
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    let q1 = rows[0].iter().position(|h| h == "Q1").unwrap();
    let path = dir.path().join("numeric.csv");
    let mut w = csv::Writer::from_path(&path).unwrap();
    for (i, r) in rows.iter().enumerate() {
        let row: Vec<&str> = r
            .iter()
            .enumerate()
            .map(|(c, v)| match (i >= 3 && c == q1, v) {
                (true, "Yes") => "1",
                (true, "No") => "2",
                _ => v,
            })
            .collect();
        w.write_record(&row).unwrap();
    }
    w.flush().unwrap();
    let map = dir.path().join("map.toml");
    std::fs::write(&map, "[trust_labels]\n\"2\" = 0\n").unwrap();
    let expected = report_many(
        &[&fixture("exports/qualtrics-v2-passport.csv")],
        &dir.path().join("a"),
        &[],
    );
    let got = report_many(
        &[path.to_str().unwrap()],
        &dir.path().join("b"),
        &["--map", map.to_str().unwrap()],
    );
    assert_eq!(got, expected);
}

/// Two surveys' exports pooled, their chosen drivers joined in one cell per
/// side: Passport Renewal's form offers every driver, Retirement
/// Services' never offers humanity or employee. 40 rows each, every fourth
/// a thumbs down.
fn joined_forms(dir: &std::path::Path) -> String {
    let mut text = String::from(
        "service,transaction_point,channel,submitted_at,external_id,question_1,positive_drivers,negative_drivers,question_4\n",
    );
    let mut id = 0;
    for service in ["Passport Renewal", "Retirement Services"] {
        let mut offered = vec!["Effectiveness", "Ease", "Efficiency", "Transparency"];
        if service == "Passport Renewal" {
            offered.extend(["Humanity", "Employee"]);
        }
        for k in 0..40usize {
            id += 1;
            let up = k % 4 != 0;
            let (positive, negative) = if up {
                let chosen: Vec<&str> = offered
                    .iter()
                    .enumerate()
                    .filter(|(j, _)| (k + j) % 3 == 0)
                    .map(|(_, d)| *d)
                    .collect();
                (chosen.join(","), String::new())
            } else {
                (String::new(), "Efficiency".to_string())
            };
            text.push_str(&format!(
                "{service},post_interaction,email,2025-02-10,id-{id},{},\"{positive}\",\"{negative}\",\n",
                u8::from(up)
            ));
        }
    }
    write(dir, "joined.csv", &text)
}

fn manifest_with(dir: &std::path::Path, retirement_lists: &str) -> String {
    write(
        dir,
        "services.csv",
        &format!(
            "service,transaction_point,channel,organization_name,volume_of_customers,volume_of_customers_provided_survey_opportunity,omb_control_number,survey_type,positive_drivers_offered,negative_drivers_offered\n\
             Passport Renewal,post_interaction,email,State,1000,500,1405-0224,thumbs_up_down,,\n\
             Retirement Services,post_interaction,email,OPM,1000,500,3206-0001,thumbs_up_down,{retirement_lists}\n"
        ),
    )
}

#[test]
fn drivers_a_form_does_not_offer_are_null_per_survey_as_the_manifest_lists_them() {
    let dir = tempfile::tempdir().unwrap();
    let input = joined_forms(dir.path());
    let five = "\"effectiveness, ease, efficiency, transparency, other\"";
    let services = manifest_with(dir.path(), &format!("{five},{five}"));
    let up = dir.path().join("up");
    let out = hisp(&[
        "report",
        "-q",
        &input,
        "--services",
        &services,
        "--fiscal-year",
        "2025",
        "--quarter",
        "2",
        "-o",
        dir.path().join("r.xlsx").to_str().unwrap(),
        "--upload-dir",
        up.to_str().unwrap(),
    ]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let read = |name: &str| {
        let mut rows = csv::Reader::from_path(up.join(name)).unwrap();
        let header = rows.headers().unwrap().clone();
        let rows: Vec<csv::StringRecord> = rows.records().map(Result::unwrap).collect();
        (header, rows)
    };
    let (header, retirement) = read("retirement-services_post-interaction_email.csv");
    let (_, passport) = read("passport-renewal_post-interaction_email.csv");
    assert_eq!((retirement.len(), passport.len()), (40, 40));
    for (c, name) in header
        .iter()
        .enumerate()
        .filter(|(_, h)| h.contains("tive_"))
    {
        let unoffered = name.ends_with("_humanity") || name.ends_with("_employee");
        for row in &retirement {
            assert_eq!(row[c] == *"null", unoffered, "Retirement {name}: {row:?}");
        }
        // Passport's form is not listed: as the export says, 0 or 1.
        for row in &passport {
            assert!(["0", "1"].contains(&&row[c]), "Passport {name}: {row:?}");
        }
    }
    // Retirement's shares are of those offered: humanity has none.
    let doc = aggregate_json(&input, &["--services", &services]);
    let survey = doc["surveys"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["service"] == "Retirement Services")
        .unwrap_or_else(|| panic!("{doc:#}"));
    let humanity = &survey["positive"]["humanity"];
    assert_eq!(
        (&humanity["offered"], &humanity["share"]),
        (&0.into(), &Value::Null)
    );
    // Ease: chosen by 10 of the 30 who said what went well, all offered it.
    let ease = &survey["positive"]["ease"];
    assert_eq!((&ease["count"], &ease["offered"]), (&10.into(), &30.into()));
}

#[test]
fn a_driver_no_one_chose_in_a_joined_export_is_a_warning_naming_the_survey() {
    let dir = tempfile::tempdir().unwrap();
    let input = joined_forms(dir.path());
    let services = manifest_with(dir.path(), ",");
    let args = [
        input.as_str(),
        "--services",
        &services,
        "--fiscal-year",
        "2025",
        "--quarter",
        "2",
    ];
    let (status, doc) = validate_json(&args);
    assert_eq!(status, 0, "{doc:#}");
    let never = entries(&doc, "driver-never-chosen");
    // 30 respondents said what went well in each survey (the threshold is
    // --min-n, 30); 10 said what did not: too few to tell.
    let said: Vec<(&str, &str)> = never
        .iter()
        .map(|e| (e["value"].as_str().unwrap(), e["field"].as_str().unwrap()))
        .collect();
    assert_eq!(
        said,
        [
            ("other", "positive_drivers_offered"),
            ("humanity, employee, other", "positive_drivers_offered"),
        ]
    );
    assert!(
        never[1]["message"]
            .as_str()
            .unwrap()
            .contains("Retirement Services")
    );
    let strict: Vec<&str> = args.iter().copied().chain(["--strict"]).collect();
    assert_eq!(validate_json(&strict).0, 1);
}

#[test]
fn a_manifest_listing_no_driver_says_where() {
    let dir = tempfile::tempdir().unwrap();
    let input = joined_forms(dir.path());
    let services = manifest_with(dir.path(), "\"ease, courtesy\",");
    let out = hisp(&[
        "validate",
        &input,
        "--services",
        &services,
        "--fiscal-year",
        "2025",
        "--quarter",
        "2",
    ]);
    assert_eq!(code(&out), 2, "{}", stderr(&out));
    assert!(
        stderr(&out)
            .contains("row 3: positive_drivers_offered lists \"courtesy\", which is not a driver"),
        "{}",
        stderr(&out)
    );
}
