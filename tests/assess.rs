//! `hisp assess`: the form written, filled as an analyst would, read back
//! and scored; the fixtures' two services across two years; the errors a
//! filled form can have, at their rows.

mod common;
use common::*;

use calamine::{Reader, open_workbook_auto};
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// Every sheet of a workbook as rows of text.
fn sheets(path: &Path) -> Vec<(String, Vec<Vec<String>>)> {
    let mut wb = open_workbook_auto(path).unwrap();
    wb.sheet_names()
        .into_iter()
        .map(|name| {
            let range = wb.worksheet_range(&name).unwrap();
            let rows = range.rows().map(|r| r.iter().map(text).collect()).collect();
            (name, rows)
        })
        .collect()
}

/// Save the sheets as a workbook again, with `fill` changing cells first:
/// what saving from a spreadsheet after filling the form gives.
fn refill(blank: &Path, out: &Path, fill: impl Fn(&str, &mut Vec<Vec<String>>)) -> PathBuf {
    let mut wb = rust_xlsxwriter::Workbook::new();
    for (name, mut rows) in sheets(blank) {
        fill(&name, &mut rows);
        let ws = wb.add_worksheet().set_name(&name).unwrap();
        for (r, row) in rows.iter().enumerate() {
            for (c, cell) in row.iter().enumerate() {
                if !cell.is_empty() {
                    ws.write_string(r as u32, c as u16, cell).unwrap();
                }
            }
        }
    }
    wb.save(out).unwrap();
    out.to_path_buf()
}

fn col(rows: &[Vec<String>], name: &str) -> usize {
    rows[0].iter().position(|h| h == name).unwrap()
}

fn assess_json(args: &[&str]) -> (i32, serde_json::Value) {
    let mut all = vec!["assess", "--format", "json"];
    all.extend_from_slice(args);
    let run = hisp(&all);
    let doc = serde_json::from_str(&stdout(&run))
        .unwrap_or_else(|e| panic!("{e}: {}\n{}", stdout(&run), stderr(&run)));
    (code(&run), doc)
}

fn scores(form: &serde_json::Value) -> Vec<u64> {
    form["functions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["score"].as_u64().unwrap())
        .collect()
}

#[test]
fn a_form_written_filled_and_read_back_is_scored() {
    let dir = tempfile::tempdir().unwrap();
    let blank = dir.path().join("form.xlsx");
    let run = hisp(&[
        "assess",
        "init",
        "-o",
        blank.to_str().unwrap(),
        "--service",
        "Passport Services",
        "--organization",
        "Department of State",
        "--fiscal-year",
        "2026",
    ]);
    assert_eq!(code(&run), 0, "{}", stderr(&run));
    let form = sheets(&blank);
    let names: Vec<&str> = form.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(names, ["Self-Assessment", "Maturity", "Action Plan"]);
    let sa = &form[0].1;
    assert_eq!(
        sa[0][..5],
        ["id", "function", "statement", "answer", "evidence"]
    );
    assert_eq!(
        sa[1][..3],
        [
            "M1",
            "Measurement",
            "We have defined Customer Experience metrics in line with the government-wide reporting requirements.",
        ]
    );
    assert_eq!(sa[30][0], "S6");
    let details: HashMap<&str, &str> = sa.iter().map(|r| (r[0].as_str(), r[3].as_str())).collect();
    assert_eq!(details["service"], "Passport Services");
    assert_eq!(details["fiscal_year"], "2026");

    // Yes to 4 Measurement, 2 Governance, 1 Organization & Culture, 5
    // Customer Research and 2 Service Design statements; one focus area.
    let yes = [
        "M1", "M2", "M3", "M4", "G1", "G2", "O1", "R1", "R2", "R3", "R4", "R5", "S1", "S2",
    ];
    let filled = refill(&blank, &dir.path().join("filled.xlsx"), |sheet, rows| {
        if sheet == "Action Plan" {
            return;
        }
        let choice = col(rows, if sheet == "Maturity" { "choice" } else { "id" });
        for row in rows.iter_mut().skip(1) {
            if row.len() <= choice.max(3) {
                row.resize(choice.max(3) + 1, String::new());
            }
            match sheet {
                "Self-Assessment"
                    if row[0].len() == 2 && row[0] != "F1" && row[0] != "F2" && row[0] != "F3" =>
                {
                    row[3] = if yes.contains(&row[0].as_str()) {
                        "Yes"
                    } else {
                        "no"
                    }
                    .into();
                }
                "Self-Assessment" if row[0] == "F1" => row[3] = "Customer Research".into(),
                "Maturity" => {
                    row[choice] = match (row[0].as_str(), row[1].as_str()) {
                        ("core function", "governance") => "Tactical",
                        ("core function", _) => "Strategic",
                        ("indicator", "hcd_practices") => "tactical",
                        ("indicator", _) => "Foundational",
                        ("checklist", k) if k.starts_with("tactical:") => "Yes",
                        _ => "",
                    }
                    .into();
                }
                _ => {}
            }
        }
    });
    let out = dir.path().join("results.xlsx");
    let (status, doc) = assess_json(&[filled.to_str().unwrap(), "-o", out.to_str().unwrap()]);
    assert_eq!(status, 0, "{doc:#}");
    let f = &doc["forms"][0];
    assert_eq!(scores(f), [4, 2, 1, 5, 2]);
    assert_eq!(
        (f["total"].as_u64(), f["max"].as_u64()),
        (Some(14), Some(30))
    );
    assert_eq!(
        (f["level"].as_u64(), f["level_name"].as_str()),
        (Some(2), Some("intermediate"))
    );
    // One focus area named; the lowest-scoring other function proposed.
    assert_eq!(
        f["focus_areas"],
        serde_json::json!(["customer_research", "organization_culture"])
    );
    assert_eq!(f["focus_areas_proposed"], true);
    let m = &f["maturity"];
    assert_eq!(m["level"], "tactical");
    assert_eq!(
        m["held_back_by"],
        serde_json::json!(["governance", "hcd_practices"])
    );
    assert_eq!(m["next_level"], "strategic");
    assert_eq!(m["next_level_tactics"].as_array().unwrap().len(), 5);
    assert_eq!(
        m["next_level_tactics"][0]["title"],
        "Leverage contractors to actively build CX capabilities."
    );
    assert_eq!(m["checked"]["tactical"], 5);
    assert_eq!(f["service"], "Passport Services");
    assert_eq!(f["fiscal_year"], 2026);

    // The workbook says the same.
    let (header, rows) = records(&out, "Scores");
    let row = &rows[0];
    let at = |name: &str| &row[header.iter().position(|h| h == name).unwrap()];
    assert_eq!(num(at("measurement")), 4.0);
    assert_eq!(num(at("customer_research")), 5.0);
    assert_eq!(num(at("total")), 14.0);
    assert_eq!(num(at("cx_level")), 2.0);
    assert_eq!(text(at("maturity_level")), "Tactical");
    let plan = sheet(&out, "Action Plan");
    assert_eq!(text(&plan[1][1]), "Customer Research");
    assert!(text(&plan[1][2]).starts_with("Starting point: Leverage contractors"));
    let validation = sheet(&out, "Validation");
    assert_eq!(validation.len(), 1, "no finding");
}

#[test]
fn two_services_over_two_years_with_a_rollup_and_the_change() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("results.xlsx");
    let (status, doc) = assess_json(&[
        &fixture("assess/passport-FY2026.xlsx"),
        &fixture("assess/tax-FY2026.csv"),
        "--previous",
        &fixture("assess/tax-FY2025.csv"),
        "--previous",
        &fixture("assess/passport-FY2025.csv"),
        "-o",
        out.to_str().unwrap(),
    ]);
    assert_eq!(status, 0, "{doc:#}");
    let (passport, tax) = (&doc["forms"][0], &doc["forms"][1]);
    assert_eq!(scores(passport), [4, 2, 1, 5, 2]);
    assert_eq!(scores(tax), [6, 4, 4, 5, 6]);
    assert_eq!(
        (passport["total"].as_u64(), passport["level"].as_u64()),
        (Some(14), Some(2))
    );
    assert_eq!(
        (tax["total"].as_u64(), tax["level"].as_u64()),
        (Some(25), Some(3))
    );
    assert_eq!(
        passport["focus_areas"],
        serde_json::json!(["governance", "organization_culture"])
    );
    assert_eq!(passport["focus_areas_proposed"], false);
    // Tax names none: its two lowest, ties in the form's order.
    assert_eq!(
        tax["focus_areas"],
        serde_json::json!(["governance", "organization_culture"])
    );
    assert_eq!(tax["focus_areas_proposed"], true);
    assert_eq!(passport["maturity"]["level"], "tactical");
    assert_eq!(tax["maturity"]["level"], serde_json::Value::Null);
    // Matched to last year by service, whatever the order given.
    let change = |f: &serde_json::Value| {
        (
            f["change"]["total"].as_i64().unwrap(),
            f["change"]["functions"]
                .as_array()
                .unwrap()
                .iter()
                .map(|p| p[1].as_i64().unwrap())
                .collect::<Vec<_>>(),
        )
    };
    assert_eq!(change(passport), (5, vec![1, 1, 0, 2, 1]));
    assert_eq!(change(tax), (3, vec![1, 0, 1, 1, 0]));
    let rollup = &doc["rollup"];
    assert_eq!(rollup["forms"], 2);
    assert_eq!(rollup["mean_total"], 19.5);
    let means: Vec<f64> = rollup["functions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["mean"].as_f64().unwrap())
        .collect();
    assert_eq!(means, [5.0, 3.0, 2.5, 5.0, 4.0]);
    assert_eq!(
        rollup["functions"][1]["distribution"],
        serde_json::json!([0, 0, 1, 0, 1, 0, 0])
    );
    assert_eq!(rollup["levels"], serde_json::json!([0, 1, 1]));
    let (header, rows) = records(&out, "Scores");
    let change_total = header.iter().position(|h| h == "change_total").unwrap();
    assert_eq!(num(&rows[0][change_total]), 5.0);
    assert_eq!(num(&rows[1][change_total]), 3.0);
    assert_eq!(text(&rows[2][0]), "mean of all forms");

    // Other cut-offs move the levels.
    let (_, doc) = assess_json(&[&fixture("assess/tax-FY2026.csv"), "--levels", "12,26"]);
    assert_eq!(doc["forms"][0]["level"], 2);
    let run = hisp(&[
        "assess",
        &fixture("assess/tax-FY2026.csv"),
        "--levels",
        "20,10",
    ]);
    assert_eq!(code(&run), 2, "{}", stderr(&run));
}

#[test]
fn a_badly_filled_form_is_errors_at_their_rows_and_nothing_is_written() {
    let dir = tempfile::tempdir().unwrap();
    let good = std::fs::read_to_string(fixture("assess/passport-FY2026.csv")).unwrap();
    let mut lines: Vec<String> = good.lines().map(String::from).collect();
    // Row 3 (M2) unanswered, row 4 (M3) "Maybe", row 6 an edited statement,
    // M1 again, an unknown id and a focus area that is no function.
    lines[2] = lines[2].replace(",Yes,", ",,");
    lines[3] = lines[3].replace(",Yes,", ",Maybe,");
    lines[5] = lines[5].replacen("a central view", "a central dashboard", 1);
    lines.push(lines[1].clone());
    lines.push("X9,Measurement,Something else,Yes,".into());
    lines.push("F3,focus area,In the next fiscal year,Budget,".into());
    let form = dir.path().join("bad.csv");
    std::fs::write(&form, lines.join("\n") + "\n").unwrap();
    let out = dir.path().join("results.xlsx");
    let (status, doc) = assess_json(&[form.to_str().unwrap(), "-o", out.to_str().unwrap()]);
    assert_eq!(status, 1, "{doc:#}");
    assert!(!out.exists(), "nothing written");
    assert_eq!(
        doc["forms"],
        serde_json::json!([]),
        "no scores from a bad form"
    );
    let errors: Vec<(String, u64, String)> = doc["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["type"].as_str().unwrap().to_string(),
                e["row"].as_u64().unwrap(),
                e["value"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect();
    let n = lines.len() as u64;
    assert_eq!(
        errors,
        [
            ("unanswered".into(), 3, "".into()),
            ("type-error".into(), 4, "Maybe".into()),
            (
                "statement-mismatch".into(),
                6,
                "We have a central dashboard of how our entity is doing on CX at Secretary, Regional, Program, Front-Line, or other appropriate levels.".into()
            ),
            ("duplicate-id".into(), n - 2, "M1".into()),
            ("unknown-id".into(), n - 1, "X9".into()),
            ("focus-area".into(), n, "Budget".into()),
        ]
    );
    assert!(
        doc["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("M2 is not answered")
    );
    assert_eq!(doc["errors"][0]["column"], "D");
    // The human report lists them too.
    let run = hisp(&["assess", form.to_str().unwrap()]);
    assert_eq!(code(&run), 1);
    assert!(
        stdout(&run).contains("error[unanswered] "),
        "{}",
        stdout(&run)
    );
    assert!(
        stdout(&run).contains("INVALID: 6 errors"),
        "{}",
        stdout(&run)
    );
}

#[test]
fn next_years_form_carries_last_years_answers() {
    let dir = tempfile::tempdir().unwrap();
    let blank = dir.path().join("FY2027.xlsx");
    let run = hisp(&[
        "assess",
        "init",
        "-o",
        blank.to_str().unwrap(),
        "--fiscal-year",
        "2027",
        "--previous",
        &fixture("assess/tax-FY2026.csv"),
    ]);
    assert_eq!(code(&run), 0, "{}", stderr(&run));
    // Unchanged, it scores as last year's.
    let (status, doc) = assess_json(&[blank.to_str().unwrap()]);
    assert_eq!(status, 0, "{doc:#}");
    assert_eq!(scores(&doc["forms"][0]), [6, 4, 4, 5, 6]);
    assert_eq!(doc["forms"][0]["service"], "Tax Return Help");
    assert_eq!(doc["forms"][0]["fiscal_year"], 2027);
    // The output exists: not replaced without --force.
    let run = hisp(&["assess", "init", "-o", blank.to_str().unwrap()]);
    assert_eq!(code(&run), 2);
}

/// A later edition of the form is a file, not code: `--schema` takes it for
/// both commands, and a form of the other edition is told apart.
#[test]
fn another_edition_of_the_form_is_given_with_schema() {
    let dir = tempfile::tempdir().unwrap();
    let built_in =
        std::fs::read_to_string(root().join("schemas/cx-self-assessment-v1.json")).unwrap();
    let mut form: serde_json::Value = serde_json::from_str(&built_in).unwrap();
    form["version"] = "2".into();
    form["statements"][0]["text"] = "We report CX metrics every quarter.".into();
    let edition = write(dir.path(), "edition-2.json", &form.to_string());
    let blank = dir.path().join("form.xlsx");
    let run = hisp(&[
        "assess",
        "init",
        "-o",
        blank.to_str().unwrap(),
        "--schema",
        &edition,
    ]);
    assert_eq!(code(&run), 0, "{}", stderr(&run));
    assert_eq!(
        sheets(&blank)[0].1[1][2],
        "We report CX metrics every quarter."
    );
    // Last year's form, of edition 1, read with edition 2: M1 was edited.
    let (status, doc) = assess_json(&[&fixture("assess/tax-FY2026.csv"), "--schema", &edition]);
    assert_eq!(status, 1, "{doc:#}");
    assert_eq!(doc["form"]["version"], "2");
    assert_eq!(doc["errors"][0]["type"], "statement-mismatch");
    assert_eq!(doc["errors"][0]["row"], 2);
    // A form file that is not one is a usage error.
    let broken = write(dir.path(), "broken.json", "{\"name\": \"x\"}");
    let run = hisp(&[
        "assess",
        &fixture("assess/tax-FY2026.csv"),
        "--schema",
        &broken,
    ]);
    assert_eq!(code(&run), 2, "{}", stderr(&run));
}
