//! Survey exports as analysts have them: the same responses exported by
//! Qualtrics, Touchpoints, a Medallia-style program, Excel with title rows
//! and a notes sheet, and in legacy encodings give the same counts as the
//! canonical file. Fixtures: `fixtures/make_export_fixtures.py`.

mod common;
use common::*;

use serde_json::Value;
use std::path::Path;

const Q2: [&str; 4] = ["--fiscal-year", "2025", "--quarter", "2"];

fn export(name: &str) -> String {
    fixture(&format!("exports/{name}"))
}

/// `hisp aggregate --format json` for FY2025 Q2.
fn aggregate(args: &[&str]) -> Value {
    let mut all = vec!["aggregate", "--format", "json"];
    all.extend_from_slice(&Q2);
    all.extend_from_slice(args);
    let out = hisp(&all);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    serde_json::from_slice(&out.stdout).expect("JSON")
}

/// The counts of an aggregate: surveys, services and overall.
fn counts(doc: &Value) -> Value {
    let mut doc = doc.clone();
    for s in doc["surveys"].as_array_mut().unwrap() {
        // Where the survey type was proven names the file and row.
        s.as_object_mut().unwrap().remove("survey_type_from");
    }
    serde_json::json!({
        "surveys": doc["surveys"],
        "services": doc["services"],
        "overall": doc["overall"],
    })
}

fn canonical() -> Value {
    counts(&aggregate(&[&fixture("responses-fy2025.csv")]))
}

/// The counting sheets of a report workbook.
fn workbook_counts(path: &Path) -> Vec<Vec<Vec<String>>> {
    ["Quarterly Data", "Question Detail"]
        .iter()
        .map(|name| {
            sheet(path, name)
                .iter()
                .map(|r| r.iter().map(text_or_number).collect())
                .collect()
        })
        .collect()
}

fn text_or_number(d: &calamine::Data) -> String {
    match d {
        calamine::Data::Float(_) | calamine::Data::Int(_) => num(d).to_string(),
        other => text(other),
    }
}

fn report(dir: &Path, name: &str, args: &[&str]) -> std::path::PathBuf {
    let out = dir.join(format!("{name}.xlsx"));
    let mut all = vec!["report", "-o", out.to_str().unwrap()];
    all.extend_from_slice(&Q2);
    all.extend_from_slice(args);
    let run = hisp(&all);
    assert_eq!(code(&run), 0, "{name}: {}", stderr(&run));
    out
}

/// `hisp init EXPORT -o DIR/NAME.toml`, which must succeed; the map's path.
fn init_map(dir: &Path, name: &str) -> std::path::PathBuf {
    let map = dir.join(format!("{name}.toml"));
    let init = hisp(&["init", &export(name), "-o", map.to_str().unwrap()]);
    assert_eq!(code(&init), 0, "{}", stderr(&init));
    map
}

fn about_input_row(path: &Path) -> Vec<f64> {
    let rows = sheet(path, "About");
    let row = rows
        .iter()
        .find(|r| text(&r[0]).contains("exports"))
        .expect("the input is listed");
    // rows read, blank, previews/tests/spam, unfinished, in quarter, ...
    row[5..14].iter().map(num).collect()
}

#[test]
fn the_same_responses_in_four_shapes_give_identical_workbooks() {
    let dir = tempfile::tempdir().unwrap();
    // hisp init writes the Qualtrics mapping unaided.
    let map = init_map(dir.path(), "qualtrics-choice.csv");
    let mapping = std::fs::read_to_string(&map).unwrap();
    for line in [
        "preset = \"qualtrics\"",
        "Q1 = \"satisfaction\"",
        "Q2 = \"trust\"",
        "Q7 = \"employee\"",
        "RecordedDate = \"submitted_at\"",
        "Status = \"response_type\"",
    ] {
        assert!(mapping.contains(line), "{line} in\n{mapping}");
    }
    assert!(!mapping.contains("Not found"), "{mapping}");

    let canonical = report(dir.path(), "canonical", &[&fixture("responses-fy2025.csv")]);
    let expected = workbook_counts(&canonical);
    assert!(expected[0].len() > 5, "the canonical workbook has surveys");
    let qualtrics = report(
        dir.path(),
        "qualtrics",
        &[
            &export("qualtrics-choice.csv"),
            "--map",
            map.to_str().unwrap(),
        ],
    );
    let titled = report(dir.path(), "titled", &[&export("titled.xlsx")]);
    let cp1252 = report(dir.path(), "cp1252", &[&export("canonical-cp1252.csv")]);
    for (name, path) in [
        ("qualtrics", &qualtrics),
        ("titled.xlsx", &titled),
        ("cp1252", &cp1252),
    ] {
        assert_eq!(workbook_counts(path), expected, "{name}");
    }
    // Previews and spam (10) and unfinished responses (5) were left out and
    // counted: independent counts from the generator's rule.
    let rows = about_input_row(&qualtrics);
    assert_eq!((rows[2], rows[3]), (10.0, 5.0), "{rows:?}");
    assert_eq!(rows[0], 132.0 + 15.0, "rows read");
}

#[test]
fn every_shape_counts_like_the_canonical_file() {
    let expected = canonical();
    let dir = tempfile::tempdir().unwrap();
    let medallia_map = init_map(dir.path(), "medallia.csv");
    let cases: Vec<(&str, Vec<String>)> = vec![
        (
            "qualtrics choice text, recognised",
            vec![export("qualtrics-choice.csv")],
        ),
        (
            "qualtrics numeric TSV in UTF-16",
            vec![export("qualtrics-numeric.tsv")],
        ),
        ("windows-1252", vec![export("canonical-cp1252.csv")]),
        ("utf-16 unicode text", vec![export("canonical-utf16.txt")]),
        (
            "xlsx with titles and a notes sheet",
            vec![export("titled.xlsx")],
        ),
        (
            "medallia with the mapping hisp init wrote",
            vec![
                export("medallia.csv"),
                "--map".into(),
                medallia_map.display().to_string(),
            ],
        ),
    ];
    for (name, args) in cases {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        assert_eq!(counts(&aggregate(&args)), expected, "{name}");
    }
}

#[test]
fn touchpoints_v1_form_export_counts_its_survey() {
    let expected = canonical();
    let survey = expected["surveys"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["service"] == "Passport Renewal" && s["touchpoint"] == "Online application")
        .unwrap()
        .clone();
    let input = export("touchpoints-v1.csv");
    let args = [
        input.as_str(),
        "--set",
        "service=Passport Renewal",
        "--set",
        "touchpoint=Online application",
        "--set",
        "channel=computer",
    ];
    let got = counts(&aggregate(&args));
    assert_eq!(got["surveys"].as_array().unwrap(), &vec![survey]);
    // The flagged (spam) submission is left out.
    let (_, doc) = validate_json(&args);
    assert_eq!(doc["stats"]["rows_not_customer"], 1, "{doc:#}");
    assert_eq!(doc["warnings"].as_array().unwrap().len(), 0, "{doc:#}");
    let notes = doc["stats"]["notes"].to_string();
    assert!(notes.contains("Touchpoints export"), "{notes}");
}

#[test]
fn touchpoints_v2_exports_count_like_the_canonical_v2_file() {
    let canonical = counts(&aggregate(&[&fixture("v2/responses-fy2025.csv")]));
    let survey = canonical["surveys"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["service"] == "Tax Return Help")
        .unwrap()
        .clone();
    let keys = [
        "--set",
        "service=Tax Return Help",
        "--set",
        "transaction_point=post_interaction",
        "--set",
        "channel=phone",
    ];
    for name in ["touchpoints-v2.csv", "touchpoints-combined-v2.csv"] {
        let path = export(name);
        let mut args = vec![path.as_str()];
        args.extend_from_slice(&keys);
        let got = counts(&aggregate(&args));
        assert_eq!(
            got["surveys"].as_array().unwrap(),
            &vec![survey.clone()],
            "{name}"
        );
    }
    // The combined export's own question columns are not warned about.
    let path = export("touchpoints-combined-v2.csv");
    let mut args = vec![path.as_str()];
    args.extend_from_slice(&keys);
    args.extend_from_slice(&Q2);
    let (status, doc) = validate_json(&args);
    assert_eq!(status, 0);
    assert_eq!(doc["warnings"].as_array().unwrap().len(), 0, "{doc:#}");
}

#[test]
fn unfinished_responses_count_with_include_unfinished() {
    // Independent count: Finished = False rows in FY2025 Q2 that answered
    // at least one question.
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_path(export("qualtrics-choice.csv"))
        .unwrap();
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    let header = &rows[0];
    let col = |name: &str| header.iter().position(|h| h == name).unwrap();
    let (finished, recorded) = (col("Finished"), col("RecordedDate"));
    let answers: Vec<usize> = (1..=7).map(|i| col(&format!("Q{i}"))).collect();
    let partial = rows[3..]
        .iter()
        .filter(|r| &r[finished] == "False")
        .filter(|r| ("2025-01-01".."2025-04-01").contains(&&r[recorded][..10]))
        .filter(|r| answers.iter().any(|&c| !r[c].is_empty()))
        .count() as u64;
    assert!(partial > 0, "the fixture has unfinished responses in Q2");
    let base = aggregate(&[&export("qualtrics-choice.csv")]);
    let with = aggregate(&[&export("qualtrics-choice.csv"), "--include-unfinished"]);
    let respondents = |d: &Value| d["overall"]["respondents"].as_u64().unwrap();
    assert_eq!(respondents(&with), respondents(&base) + partial);
}

#[test]
fn preset_none_reads_canonical_columns_only() {
    let (status, doc) = validate_json(&[&export("qualtrics-choice.csv"), "--preset", "none"]);
    assert_eq!(status, 1);
    let missing: Vec<&Value> = entries(&doc, "missing-label")
        .into_iter()
        .map(|e| &e["field"])
        .collect();
    assert!(missing.contains(&&Value::from("satisfaction")), "{doc:#}");
}

#[test]
fn header_row_can_be_given_and_is_checked() {
    let a = aggregate(&[&export("titled.xlsx"), "--header-row", "3"]);
    assert_eq!(counts(&a), canonical());
    let out = hisp(&["validate", &export("titled.xlsx"), "--header-row", "200"]);
    assert_eq!(code(&out), 2, "{}", stderr(&out));
    assert!(
        stderr(&out).contains("--header-row 200"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn legacy_encodings_decode_letters_correctly() {
    let dir = tempfile::tempdir().unwrap();
    let text = "service,touchpoint,channel,satisfaction,trust\nCafé Línea,Büro,phone,5,4\n";
    let cp1252: Vec<u8> = text
        .chars()
        .map(|c| match c {
            'é' => 0xE9,
            'í' => 0xED,
            'ü' => 0xFC,
            c => c as u8,
        })
        .collect();
    let mut utf16be = vec![0xFE, 0xFF];
    utf16be.extend(text.encode_utf16().flat_map(u16::to_be_bytes));
    for (name, bytes) in [("cp1252.csv", cp1252), ("utf16be.csv", utf16be)] {
        let path = dir.path().join(name);
        std::fs::write(&path, bytes).unwrap();
        let doc = aggregate(&[path.to_str().unwrap(), "--set", "submitted_at=2025-02-01"]);
        let s = &doc["surveys"][0];
        assert_eq!(
            (s["service"].as_str(), s["touchpoint"].as_str()),
            (Some("Café Línea"), Some("Büro")),
            "{name}"
        );
    }
    // An unpaired surrogate in UTF-16 is an error at its cell.
    let mut bad = vec![0xFF, 0xFE];
    let head: Vec<u16> = "service,touchpoint,channel,satisfaction,trust\nA,"
        .encode_utf16()
        .collect();
    let tail: Vec<u16> = ",phone,5,4\n".encode_utf16().collect();
    for unit in head.iter().chain(&[0xD800]).chain(&tail) {
        bad.extend(unit.to_le_bytes());
    }
    let path = dir.path().join("bad16.csv");
    std::fs::write(&path, bad).unwrap();
    let (status, doc) = validate_json(&[path.to_str().unwrap()]);
    assert_eq!(status, 1);
    let e = entries(&doc, "encoding-error");
    assert_eq!(
        (e[0]["row"].clone(), e[0]["column"].clone()),
        (2.into(), "B".into())
    );
}

#[test]
fn merged_header_cells_name_every_column_they_cover() {
    use rust_xlsxwriter::{Format, Workbook};
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("merged.xlsx");
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    let plain = Format::new();
    // Row 1: "submitted_at" merged down over rows 1-2, group labels merged
    // across; row 2: the other labels.
    ws.merge_range(0, 0, 1, 0, "submitted_at", &plain).unwrap();
    ws.merge_range(0, 1, 0, 3, "Survey", &plain).unwrap();
    ws.merge_range(0, 4, 0, 5, "Questions", &plain).unwrap();
    for (c, label) in ["service", "touchpoint", "channel", "satisfaction", "trust"]
        .iter()
        .enumerate()
    {
        ws.write_string(1, c as u16 + 1, *label).unwrap();
    }
    let rows = [
        ("2025-02-03", "A", "T", "phone", 5.0, 4.0),
        ("2025-02-04", "A", "T", "phone", 4.0, 4.0),
        ("2025-05-01", "A", "T", "phone", 1.0, 1.0), // Q3: outside
    ];
    for (i, (date, s, t, ch, q1, q2)) in rows.iter().enumerate() {
        let r = i as u32 + 2;
        ws.write_string(r, 0, *date).unwrap();
        ws.write_string(r, 1, *s).unwrap();
        ws.write_string(r, 2, *t).unwrap();
        ws.write_string(r, 3, *ch).unwrap();
        ws.write_number(r, 4, *q1).unwrap();
        ws.write_number(r, 5, *q2).unwrap();
    }
    wb.save(&path).unwrap();
    let doc = aggregate(&[path.to_str().unwrap()]);
    let s = &doc["surveys"][0];
    assert_eq!(s["respondents"], 2, "{s:#}");
    let (_, report) = validate_json(&[path.to_str().unwrap()]);
    let notes = report["stats"]["notes"].to_string();
    assert!(notes.contains("header on row 2"), "{notes}");
}

#[test]
fn init_writes_to_stdout_and_keeps_existing_files() {
    let dir = tempfile::tempdir().unwrap();
    let out = hisp(&["init", &export("touchpoints-v1.csv")]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let text = stdout(&out);
    assert!(text.contains("preset = \"touchpoints\""), "{text}");
    assert!(text.contains("# \"?\" = \"service\""), "{text}");
    assert!(stderr(&out).contains("no column found for: service, touchpoint, channel"));
    let map = dir.path().join("map.toml");
    std::fs::write(&map, "keep me").unwrap();
    let refused = hisp(&["init", &export("medallia.csv"), "-o", map.to_str().unwrap()]);
    assert_eq!(code(&refused), 2);
    assert_eq!(std::fs::read_to_string(&map).unwrap(), "keep me");
    let forced = hisp(&[
        "init",
        &export("medallia.csv"),
        "-o",
        map.to_str().unwrap(),
        "--force",
    ]);
    assert_eq!(code(&forced), 0, "{}", stderr(&forced));
    let written = std::fs::read_to_string(&map).unwrap();
    assert!(written.contains("Program = \"service\""), "{written}");
    assert!(
        written.contains("\"Need Addressed\" = \"effectiveness\""),
        "{written}"
    );
    // Writing over the export itself is refused.
    let clash = hisp(&[
        "init",
        &export("medallia.csv"),
        "-o",
        &export("medallia.csv"),
        "--force",
    ]);
    assert_eq!(code(&clash), 2);
}

#[test]
fn init_proposes_labels_and_channels_it_does_not_know() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("odd.csv");
    std::fs::write(
        &path,
        "Program,Touchpoint,Mode,Overall satisfaction,Trust in agency\n\
         A,T,Online,Very satisfied,Agree\n\
         A,T,Walk-in office,Satisfied,Delighted\n\
         A,T,phone,Very dissatisfied,Strongly agree\n",
    )
    .unwrap();
    let out = hisp(&["init", path.to_str().unwrap()]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let text = stdout(&out);
    for line in [
        "\"Very satisfied\" = 5",
        "Satisfied = 4",
        "\"Very dissatisfied\" = 1",
        "# Delighted = ?",
        "Online = \"website\"",
        "\"Walk-in office\" = \"in_person\"",
        "Mode = \"channel\"",
    ] {
        assert!(text.contains(line), "{line} in\n{text}");
    }
    assert!(
        !text.contains("Agree ="),
        "standard labels need no line:\n{text}"
    );
    // With the unknown label filled in, the mapping works as written.
    let map = dir.path().join("odd.toml");
    std::fs::write(&map, text.replace("# Delighted = ?", "Delighted = 5")).unwrap();
    let doc = aggregate(&[
        path.to_str().unwrap(),
        "--map",
        map.to_str().unwrap(),
        "--set",
        "submitted_at=2025-02-01",
    ]);
    assert_eq!(doc["overall"]["respondents"], 3, "{doc:#}");
}

#[test]
fn header_rows_repeated_by_pasted_exports_are_skipped() {
    // Two Qualtrics downloads pasted one under the other: the second one's
    // three header rows sit among the data.
    let text = std::fs::read_to_string(export("qualtrics-choice.csv")).unwrap();
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(text.as_bytes());
    let records: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    let mut writer = csv::Writer::from_writer(Vec::new());
    let middle = 3 + (records.len() - 3) / 2;
    for r in records[..middle]
        .iter()
        .chain(&records[..3])
        .chain(&records[middle..])
    {
        writer.write_record(r).unwrap();
    }
    let bytes = writer.into_inner().unwrap();
    // The lines (as an editor numbers them) where the header rows repeat.
    let text = String::from_utf8(bytes.clone()).unwrap();
    let expected: Vec<u64> = text
        .lines()
        .enumerate()
        .skip(3)
        .filter(|(_, l)| {
            l.starts_with("StartDate,") || l.starts_with("Start Date,") || l.starts_with("\"{")
        })
        .map(|(i, _)| i as u64 + 1)
        .collect();
    assert_eq!(expected.len(), 3);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("pasted.csv");
    std::fs::write(&path, bytes).unwrap();
    let path = path.to_str().unwrap();
    assert_eq!(counts(&aggregate(&[path])), canonical());
    let (status, doc) = validate_json(&[path]);
    assert_eq!(status, 0, "{doc:#}");
    let rows: Vec<u64> = entries(&doc, "repeated-header")
        .iter()
        .map(|e| e["row"].as_u64().unwrap())
        .collect();
    assert_eq!(rows, expected);
}

#[test]
fn standard_input_is_recognised_and_read_once() {
    // The first input is opened once: its header picks the template, and its
    // rows are then read from the same open table (standard input cannot be
    // read twice).
    let bytes = std::fs::read(fixture("v2/responses-fy2025.csv")).unwrap();
    let mut args = vec!["aggregate", "--format", "json"];
    args.extend_from_slice(&Q2);
    args.push("-");
    let out = hisp_stdin(&args, &bytes);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
    let from_file = aggregate(&[&fixture("v2/responses-fy2025.csv")]);
    assert_eq!(counts(&doc), counts(&from_file));
    assert!(doc["surveys"][0]["survey_type"].is_string(), "{doc:#}");
}

#[test]
fn streamed_xlsx_keeps_sheet_rows_and_columns() {
    // A table that starts at C3, with a row the sheet skips, a bad answer
    // and a cell beyond the header: positions as in the sheet.
    use rust_xlsxwriter::Workbook;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("offset.xlsx");
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    let header = ["service", "touchpoint", "channel", "satisfaction", "trust"];
    for (i, h) in header.iter().enumerate() {
        ws.write_string(2, 2 + i as u16, *h).unwrap();
    }
    let rows: [(u32, [&str; 5]); 3] = [
        (3, ["A", "T", "phone", "5", "4"]),
        (4, ["A", "T", "phone", "seven", "4"]),
        (6, ["A", "T", "email", "3", "2"]),
    ];
    for (r, cells) in rows {
        for (i, v) in cells.iter().enumerate() {
            match v.parse::<f64>() {
                Ok(n) => ws.write_number(r, 2 + i as u16, n).unwrap(),
                Err(_) => ws.write_string(r, 2 + i as u16, *v).unwrap(),
            };
        }
    }
    ws.write_string(6, 8, "stray").unwrap(); // row 7, column I
    wb.save(&path).unwrap();
    let (status, doc) = validate_json(&[path.to_str().unwrap()]);
    assert_eq!(status, 1, "{doc:#}");
    let at = |kind: &str| -> Vec<(Value, Value)> {
        entries(&doc, kind)
            .iter()
            .map(|e| (e["row"].clone(), e["column"].clone()))
            .collect()
    };
    assert_eq!(at("type-error"), vec![(5.into(), "F".into())]);
    assert_eq!(at("blank-row"), vec![(6.into(), Value::Null)]);
    // The sheet's used columns reach I: H and I have no header.
    assert_eq!(
        at("blank-label"),
        vec![(3.into(), "H".into()), (3.into(), "I".into())]
    );
    assert_eq!(doc["stats"]["rows"], 4, "rows 4 to 7");
}

/// Every header and value `init` writes into its TOML is escaped: line
/// breaks, quotes, `#`, any script. What it writes loads as a mapping.
#[test]
fn init_writes_valid_toml_whatever_the_headers_and_values_hold() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("odd text.csv");
    std::fs::write(
        &path,
        "response_id,\"Which service\ndid you use?\",touchpoint,\"Channel \"\"used\"\" #1\",satisfaction,trust,\"Comments — qué tal?\nAny more?\"\n\
         R1,Passport,Online,\"Web \"\"site\"\"\",\"Très\nbien\",4,\"line one\nline two\"\n\
         R2,Passport,Online,\"Walk-in # office\",\"Ça va 'bien'\",5,\"ok\"\n",
    )
    .unwrap();
    let out = hisp(&["init", path.to_str().unwrap()]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let text = stdout(&out);
    let parsed: toml::Table = toml::from_str(&text).unwrap_or_else(|e| panic!("{e}\n{text}"));
    let columns = parsed["columns"].as_table().unwrap();
    assert_eq!(
        columns["Comments — qué tal?\nAny more?"].as_str(),
        Some("comment"),
        "{text}"
    );
    // The labels it could not guess, filled in as their lines show them,
    // load with the exact texts of the export, and the mapping works.
    let filled = text
        .replace("# \"Très\\nbien\" = ?", "\"Très\\nbien\" = 4")
        .replace("# \"Ça va 'bien'\" = ?", "\"Ça va 'bien'\" = 3");
    let parsed: toml::Table = toml::from_str(&filled).unwrap_or_else(|e| panic!("{e}\n{filled}"));
    let labels = parsed["labels"].as_table().unwrap();
    assert_eq!(labels["Très\nbien"].as_integer(), Some(4), "{filled}");
    assert_eq!(labels["Ça va 'bien'"].as_integer(), Some(3), "{filled}");
    let map = dir.path().join("odd.toml");
    std::fs::write(&map, &filled).unwrap();
    let doc = aggregate(&[
        path.to_str().unwrap(),
        "--map",
        map.to_str().unwrap(),
        "--set",
        "submitted_at=2025-02-01",
        "--set",
        "service=Passport",
        "--set",
        "channel=website",
    ]);
    assert_eq!(doc["overall"]["respondents"], 2, "{doc:#}\n{filled}");
    let satisfaction = doc["overall"]["questions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|q| q["question"] == "satisfaction")
        .unwrap();
    assert_eq!(satisfaction["counts"], serde_json::json!([0, 0, 1, 1, 0]));
}

/// A Qualtrics free-text column named like an agency question (`Q8`) is
/// proposed as the comment, and its texts are not proposed as labels.
#[test]
fn init_takes_a_free_text_column_named_q8_as_the_comment() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("q8.csv");
    let mut text = String::from("Service,Touchpoint,Channel,Satisfaction,Trust,Q8\n");
    for (i, comment) in [
        "Great staff",
        "Slow website, twice",
        "",
        "Line one\nline two",
        "Could not find the form",
        "Thanks!",
        "The wait was long",
        "5",
    ]
    .iter()
    .enumerate()
    {
        text.push_str(&format!("A,T,computer,{},4,\"{comment}\"\n", 1 + i % 5));
    }
    std::fs::write(&path, text).unwrap();
    let out = hisp(&["init", path.to_str().unwrap()]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let mapping = stdout(&out);
    assert!(mapping.contains("Q8 = \"comment\""), "{mapping}");
    assert!(!mapping.contains("Great staff"), "{mapping}");
    assert!(!mapping.contains("= \"q8\""), "{mapping}");
}

/// `hisp init` writes a loadable mapping for every fixture and every
/// readable export in `tests/` (an empty or binary file is status 66).
#[test]
fn init_writes_valid_toml_for_every_fixture() {
    let mut files = Vec::new();
    for dir in [
        "fixtures",
        "fixtures/exports",
        "fixtures/v2",
        "fixtures/broken",
        "tests/hostile",
    ] {
        for entry in std::fs::read_dir(root().join(dir)).unwrap() {
            let path = entry.unwrap().path();
            let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("");
            if ["csv", "tsv", "txt", "xlsx", "xls", "ods"].contains(&ext) {
                files.push(path);
            }
        }
    }
    let mut written = 0;
    for path in &files {
        let out = hisp(&["init", path.to_str().unwrap()]);
        let said = stderr(&out);
        assert!(!said.contains("is not valid"), "{}: {said}", path.display());
        assert!(!said.contains("panicked"), "{}: {said}", path.display());
        match code(&out) {
            0 => {
                toml::from_str::<toml::Table>(&stdout(&out))
                    .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
                written += 1;
            }
            66 => assert!(
                path.starts_with(root().join("tests")) || path.ends_with("empty.csv"),
                "{}: {said}",
                path.display()
            ),
            other => panic!("{}: status {other}: {said}", path.display()),
        }
    }
    assert_eq!(written, 40, "{written} of {} files", files.len());
}
