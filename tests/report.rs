//! `hisp report` end to end on the shipped fixtures: the workbook is read back
//! and its numbers compared with counts made independently for the fixture.

mod common;
use common::*;

use calamine::Data;
use sha2::{Digest, Sha256};

const Q2: [&str; 4] = ["--fiscal-year", "2025", "--quarter", "2"];

fn run_report(input: &str, out: &std::path::Path, extra: &[&str]) -> std::process::Output {
    let services = fixture("services.csv");
    let out_s = out.display().to_string();
    let mut args = vec!["report", input, "--services", &services, "-o", &out_s];
    args.extend_from_slice(&Q2);
    args.extend_from_slice(extra);
    hisp(&args)
}

/// Independently counted from fixtures/responses-fy2025.csv (rows dated
/// 2025-01-01 … 2025-03-31): respondents and q1…q7 counts of 1…5.
/// (service, transaction point, channel, respondents, q1…q7 counts of 1…5)
type Survey = (&'static str, &'static str, &'static str, u64, [[u64; 5]; 7]);

const EXPECTED: &[Survey] = &[
    (
        "Passport Renewal",
        "Online application",
        "computer",
        18,
        [
            [0, 5, 4, 8, 1],
            [2, 4, 5, 4, 1],
            [3, 4, 4, 4, 1],
            [1, 2, 3, 6, 2],
            [2, 1, 4, 8, 3],
            [2, 5, 3, 7, 1],
            [0, 0, 0, 0, 0],
        ],
    ),
    (
        "Passport Renewal",
        "Passport agency appointment",
        "in_person",
        8,
        [
            [1, 2, 2, 2, 0],
            [1, 2, 1, 4, 0],
            [3, 0, 3, 1, 0],
            [3, 1, 1, 3, 0],
            [4, 0, 1, 3, 0],
            [3, 2, 1, 2, 0],
            [1, 3, 3, 1, 0],
        ],
    ),
    (
        "Passport Renewal",
        "Customer service line",
        "phone",
        14,
        [
            [4, 3, 2, 4, 0],
            [5, 4, 3, 2, 0],
            [3, 5, 1, 2, 0],
            [4, 3, 2, 3, 0],
            [6, 2, 4, 2, 0],
            [7, 4, 0, 2, 0],
            [2, 3, 3, 5, 0],
        ],
    ),
    (
        "Tax Return Help",
        "Taxpayer Assistance Center",
        "in_person",
        14,
        [
            [4, 2, 2, 6, 0],
            [3, 2, 5, 4, 0],
            [4, 2, 5, 3, 0],
            [1, 2, 6, 5, 0],
            [3, 4, 4, 3, 0],
            [1, 3, 4, 5, 0],
            [2, 2, 6, 3, 0],
        ],
    ),
    (
        "Tax Return Help",
        "Online account",
        "mobile",
        13,
        [
            [1, 3, 3, 5, 1],
            [1, 2, 1, 7, 1],
            [0, 4, 3, 5, 1],
            [1, 4, 2, 4, 1],
            [2, 2, 1, 4, 1],
            [2, 3, 3, 1, 2],
            [0, 0, 0, 0, 0],
        ],
    ),
    (
        "Veterans Health Scheduling",
        "Appointment scheduling",
        "phone",
        14,
        [
            [4, 0, 3, 4, 0],
            [4, 1, 4, 4, 0],
            [2, 1, 1, 7, 0],
            [3, 6, 4, 0, 0],
            [4, 2, 6, 2, 0],
            [4, 2, 3, 4, 0],
            [3, 2, 4, 4, 0],
        ],
    ),
    (
        "Veterans Health Scheduling",
        "Secure messaging",
        "email",
        12,
        [
            [3, 3, 2, 3, 0],
            [4, 1, 3, 1, 0],
            [1, 2, 4, 4, 0],
            [4, 2, 5, 1, 0],
            [1, 2, 1, 8, 0],
            [2, 3, 3, 3, 0],
            [0, 0, 0, 0, 0],
        ],
    ),
];

fn assert_quarterly_data(path: &std::path::Path) {
    let (header, rows) = records(path, "Quarterly Data");
    let mut expected_header: Vec<String> = "collection_year,collection_quarter,organization_name,organization_abbreviation,service_provider_name,service_provided,service_name,transaction_point,channel,volume_of_customers,volume_of_customers_provided_survey_opportunity,volume_of_respondents,omb_control_number,federal_register_url"
        .split(',')
        .map(String::from)
        .collect();
    for q in 1..=11 {
        expected_header.push(format!("q{q}_text"));
        expected_header.extend((1..=5).map(|k| format!("q{q}_{k}")));
    }
    expected_header.push("operational_metrics".into());
    assert_eq!(header, expected_header);
    assert_eq!(rows.len(), EXPECTED.len(), "one row per survey");
    for (service, touchpoint, channel, respondents, counts) in EXPECTED {
        let row = rows
            .iter()
            .find(|r| {
                text(&r[col(&header, "service_name")]) == *service
                    && text(&r[col(&header, "transaction_point")]) == *touchpoint
                    && text(&r[col(&header, "channel")]) == *channel
            })
            .unwrap_or_else(|| panic!("no row for {service} / {touchpoint} / {channel}"));
        assert_eq!(num(&row[col(&header, "collection_year")]), 2025.0);
        assert_eq!(num(&row[col(&header, "collection_quarter")]), 2.0);
        assert_eq!(
            num(&row[col(&header, "volume_of_respondents")]),
            *respondents as f64,
            "{service} {touchpoint}"
        );
        for (q, qcounts) in counts.iter().enumerate() {
            for (k, n) in qcounts.iter().enumerate() {
                let name = format!("q{}_{}", q + 1, k + 1);
                let cell = &row[col(&header, &name)];
                assert_eq!(num(cell), *n as f64, "{service} / {touchpoint}: {name}");
            }
        }
        // q8-q11 are not in the export: blank.
        assert_eq!(row[col(&header, "q8_1")], Data::Empty);
        assert_eq!(row[col(&header, "q8_text")], Data::Empty);
    }
}

#[test]
fn report_on_fixture_matches_independent_counts() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("report.xlsx");
    let run = run_report(&fixture("responses-fy2025.csv"), &out, &[]);
    assert_eq!(code(&run), 0, "{}{}", stdout(&run), stderr(&run));
    assert_quarterly_data(&out);

    // Manifest fields and question texts.
    let (header, rows) = records(&out, "Quarterly Data");
    let tax = rows
        .iter()
        .find(|r| text(&r[col(&header, "transaction_point")]) == "Online account")
        .unwrap();
    assert_eq!(
        text(&tax[col(&header, "organization_name")]),
        "Department of the Treasury"
    );
    assert_eq!(text(&tax[col(&header, "omb_control_number")]), "1545-2250");
    assert_eq!(num(&tax[col(&header, "volume_of_customers")]), 1_250_000.0);
    assert_eq!(
        num(&tax[col(&header, "volume_of_customers_provided_survey_opportunity")]),
        150_000.0
    );
    assert_eq!(
        text(&tax[col(&header, "q1_text")]),
        "I am satisfied with the service I received from Tax Return Help."
    );
    assert_eq!(
        text(&tax[col(&header, "q2_text")]),
        "I trust the Internal Revenue Service to deliver on its mission."
    );
}

#[test]
fn question_detail_has_point_scale_and_percent_agree() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("report.xlsx");
    assert_eq!(
        code(&run_report(&fixture("responses-fy2025.csv"), &out, &[])),
        0
    );
    let (header, rows) = records(&out, "Question Detail");
    assert_eq!(rows.len(), 7 * 7, "seven questions per survey");
    let row = rows
        .iter()
        .find(|r| {
            text(&r[0]) == "Passport Renewal"
                && text(&r[1]) == "Online application"
                && num(&r[3]) == 1.0
        })
        .unwrap();
    assert_eq!(
        text(&row[col(&header, "standardized_question_identifier")]),
        "satisfaction"
    );
    // q1 counts 0,5,4,8,1: volume 18, mean 59/18 = 3.277… → 3.28, agree 9/18.
    assert_eq!(num(&row[col(&header, "response_volume")]), 18.0);
    assert_eq!(num(&row[col(&header, "point_scale")]), 3.28);
    assert_eq!(num(&row[col(&header, "percent_agree")]), 0.5);
    // A question nobody answered has no score, not a zero.
    let employee = rows
        .iter()
        .find(|r| text(&r[1]) == "Online application" && num(&r[3]) == 7.0)
        .unwrap();
    assert_eq!(num(&employee[col(&header, "response_volume")]), 0.0);
    assert_eq!(employee[col(&header, "point_scale")], Data::Empty);
}

#[test]
fn summary_rolls_up_services_and_overall() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("report.xlsx");
    assert_eq!(
        code(&run_report(&fixture("responses-fy2025.csv"), &out, &[])),
        0
    );
    let rows = sheet(&out, "Summary");
    let find = |name: &str| {
        rows.iter()
            .find(|r| text(&r[1]) == name)
            .unwrap_or_else(|| panic!("{name}"))
    };
    let passport = find("Passport Renewal");
    assert_eq!(num(&passport[2]), 3.0, "surveys");
    assert_eq!(num(&passport[3]), 18.0 + 8.0 + 14.0, "respondents");
    // Offered 96,000 + 12,500 + 20,000 = 128,500; 40 / 128,500 = 0.0311%,
    // kept unrounded (regression: it was rounded to 0.03%).
    assert_eq!(num(&passport[4]), 128_500.0);
    assert!(
        (num(&passport[5]) - 40.0 / 128_500.0).abs() < 1e-12,
        "{:?}",
        passport[5]
    );
    let overall = find("All services");
    assert_eq!(text(&overall[0]), "Overall");
    assert_eq!(num(&overall[3]), 93.0);
    // Overall satisfaction: sum of q1 counts over all surveys.
    let q1: [u64; 5] = EXPECTED.iter().fold([0; 5], |mut acc, s| {
        for (a, c) in acc.iter_mut().zip(s.4[0]) {
            *a += c;
        }
        acc
    });
    let n: u64 = q1.iter().sum();
    let weighted: u64 = q1.iter().enumerate().map(|(k, c)| (k as u64 + 1) * c).sum();
    let expected = (weighted as f64 / n as f64 * 100.0).round() / 100.0;
    assert_eq!(num(&overall[7]), expected);
    // % agree with its 95% Wilson score interval, recomputed here.
    let agree = (q1[3] + q1[4]) as f64;
    let (p, n) = (agree / n as f64, n as f64);
    let z: f64 = 1.959_963_984_540_054;
    let centre = (p + z * z / (2.0 * n)) / (1.0 + z * z / n);
    let half = z / (1.0 + z * z / n) * (p * (1.0 - p) / n + z * z / (4.0 * n * n)).sqrt();
    let hundredths = |v: f64| (v * 10_000.0).round() / 10_000.0;
    assert_eq!(num(&overall[8]), hundredths(p));
    assert_eq!(num(&overall[9]), hundredths(centre - half));
    assert_eq!(num(&overall[10]), hundredths(centre + half));
    // Small n: fewer than 30 respondents (Veterans Health Scheduling has 26).
    assert_eq!(text(&passport[6]), "");
    assert_eq!(text(&find("Veterans Health Scheduling")[6]), "yes");
}

#[test]
fn workbook_inputs_give_the_same_counts() {
    // The same responses as .xlsx (written by rust_xlsxwriter), and as .ods
    // and Excel 97 .xls (converted by LibreOffice), dates as date cells.
    for name in [
        "responses-fy2025.xlsx",
        "responses-fy2025.ods",
        "responses-fy2025.xls",
    ] {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("report.xlsx");
        let run = run_report(&fixture(name), &out, &[]);
        assert_eq!(code(&run), 0, "{name}: {}{}", stdout(&run), stderr(&run));
        assert_quarterly_data(&out);
    }
}

#[test]
fn xlsx_input_reports_sheet_rows() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("report.xlsx");
    let run = run_report(&fixture("responses-fy2025.xlsx"), &out, &[]);
    assert_eq!(code(&run), 0, "{}{}", stdout(&run), stderr(&run));
    // The empty response (R-1089, the 89th record) is on sheet row 90 of
    // the workbook: no multi-line cells shift rows in Excel.
    let rows = sheet(&out, "Validation");
    let empty = rows
        .iter()
        .find(|r| text(&r[0]) == "empty-response")
        .unwrap();
    assert_eq!(text(&empty[3]), "Responses");
    assert_eq!(num(&empty[4]), 90.0);
    // The same response is on line 97 of the CSV, where comments span lines.
}

#[test]
fn about_names_inputs_with_digest_and_row_counts() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("report.xlsx");
    let input = fixture("responses-fy2025.csv");
    assert_eq!(code(&run_report(&input, &out, &[])), 0);
    let rows = sheet(&out, "About");
    let digest = format!("{:x}", Sha256::digest(std::fs::read(&input).unwrap()));
    let row = rows
        .iter()
        .find(|r| text(&r[0]) == input)
        .expect("input listed");
    assert_eq!(text(&row[4]), digest);
    // rows read, blank, previews, unfinished, in quarter, outside, invalid,
    // empty, respondents
    let counts: Vec<f64> = row[5..14].iter().map(num).collect();
    assert_eq!(
        counts,
        vec![132.0, 0.0, 0.0, 0.0, 94.0, 38.0, 0.0, 1.0, 93.0]
    );
    let facts: Vec<String> = rows.iter().map(|r| text(&r[0])).collect();
    assert!(facts.contains(&"Quarter start".to_string()));
    let start = rows
        .iter()
        .find(|r| text(&r[0]) == "Quarter start")
        .unwrap();
    assert_eq!(text(&start[1]), "2025-01-01");
}

#[cfg(unix)]
#[test]
fn outputs_get_ordinary_file_permissions() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("report.xlsx");
    assert_eq!(
        code(&run_report(&fixture("responses-fy2025.csv"), &out, &[])),
        0
    );
    let mode = |p: &std::path::Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    // Regression: the workbook was left private (0600) by its temporary
    // file. It should get what any new file gets under the current umask.
    let ordinary = dir.path().join("ordinary");
    std::fs::write(&ordinary, b"").unwrap();
    assert_eq!(mode(&out), mode(&ordinary));
}

#[test]
fn same_inputs_give_byte_identical_workbooks() {
    let dir = tempfile::tempdir().unwrap();
    let a = dir.path().join("a.xlsx");
    let b = dir.path().join("b.xlsx");
    assert_eq!(
        code(&run_report(&fixture("responses-fy2025.csv"), &a, &[])),
        0
    );
    std::thread::sleep(std::time::Duration::from_millis(1100));
    assert_eq!(
        code(&run_report(&fixture("responses-fy2025.csv"), &b, &[])),
        0
    );
    assert_eq!(std::fs::read(&a).unwrap(), std::fs::read(&b).unwrap());
}

#[test]
fn csv_option_writes_the_quarterly_data_rows() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("q2.xlsx");
    let csv_dir = dir.path().join("upload");
    let csv_dir_s = csv_dir.display().to_string();
    let run = run_report(
        &fixture("responses-fy2025.csv"),
        &out,
        &["--csv", &csv_dir_s],
    );
    assert_eq!(code(&run), 0, "{}", stderr(&run));
    let mut reader = csv::Reader::from_path(csv_dir.join("q2-quarterly-data.csv")).unwrap();
    let header = reader.headers().unwrap().clone();
    let csv_rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    let (wb_header, wb_rows) = records(&out, "Quarterly Data");
    assert_eq!(
        header.iter().collect::<Vec<_>>(),
        wb_header.iter().map(String::as_str).collect::<Vec<_>>()
    );
    assert_eq!(csv_rows.len(), wb_rows.len());
    for (r, w) in csv_rows.iter().zip(&wb_rows) {
        for (a, b) in r.iter().zip(w) {
            assert_eq!(a, text(b));
        }
    }
}

#[test]
fn errors_stop_the_run_and_write_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("report.xlsx");
    let run = run_report(&fixture("broken/bad-values.csv"), &out, &[]);
    assert_eq!(code(&run), 1);
    assert!(
        stdout(&run).contains("likert-out-of-scale"),
        "{}",
        stdout(&run)
    );
    assert!(!out.exists(), "no workbook after errors");
    assert_eq!(
        std::fs::read_dir(dir.path()).unwrap().count(),
        0,
        "no temporary files left"
    );
}

#[test]
fn a_failed_run_leaves_an_existing_output_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("report.xlsx");
    std::fs::write(&out, b"last quarter's good workbook").unwrap();
    let run = run_report(&fixture("broken/bad-values.csv"), &out, &[]);
    assert_eq!(code(&run), 1);
    assert_eq!(
        std::fs::read(&out).unwrap(),
        b"last quarter's good workbook"
    );
    let run = run_report(&fixture("broken/empty.csv"), &out, &[]);
    assert_eq!(code(&run), 66);
    assert_eq!(
        std::fs::read(&out).unwrap(),
        b"last quarter's good workbook"
    );
}

#[test]
fn skip_invalid_writes_and_lists_excluded_rows() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("report.xlsx");
    let run = run_report(&fixture("broken/bad-values.csv"), &out, &["--skip-invalid"]);
    assert_eq!(code(&run), 0, "{}{}", stdout(&run), stderr(&run));
    let (header, rows) = records(&out, "Quarterly Data");
    assert_eq!(
        rows.len(),
        7,
        "the manifest's seven surveys; the broken file's survey is one of them"
    );
    let online = rows
        .iter()
        .find(|r| text(&r[col(&header, "transaction_point")]) == "Online application")
        .unwrap();
    // Only row 2 (B-1) is valid: satisfaction 5.
    assert_eq!(num(&online[col(&header, "volume_of_respondents")]), 1.0);
    assert_eq!(num(&online[col(&header, "q1_5")]), 1.0);
    let validation = sheet(&out, "Validation");
    let excluded: Vec<f64> = validation
        .iter()
        .filter(|r| text(&r[9]) == "row excluded")
        .map(|r| num(&r[4]))
        .collect();
    assert_eq!(excluded, vec![3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0]);
    // The verdict speaks of the rows kept, and says how many were set aside.
    assert!(
        stdout(&run).contains(
            "VALID: the rows kept have no errors, 6 warnings; 7 rows set aside as invalid (7 errors)"
        ),
        "{}",
        stdout(&run)
    );
}

#[test]
fn skip_invalid_with_every_row_invalid_fails_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("all-bad.csv");
    std::fs::write(
        &input,
        "service,touchpoint,channel,submitted_at,satisfaction,trust\n\
         A,B,computer,2025-02-01,9,9\n\
         A,B,computer,2025-02-02,7,7\n",
    )
    .unwrap();
    let out = dir.path().join("report.xlsx");
    let run = run_report(input.to_str().unwrap(), &out, &["--skip-invalid"]);
    assert_eq!(code(&run), 1, "{}{}", stdout(&run), stderr(&run));
    assert!(
        stdout(&run).contains("INVALID: every row is invalid (4 errors,"),
        "{}",
        stdout(&run)
    );
    assert!(!out.exists());
}

#[test]
fn output_that_is_an_input_is_refused() {
    let input = fixture("responses-fy2025.csv");
    let run = hisp(&[
        "report",
        &input,
        "-o",
        &input,
        "--fiscal-year",
        "2025",
        "--quarter",
        "2",
    ]);
    assert_eq!(code(&run), 2);
    assert!(stderr(&run).contains("is also an input"));
}

#[test]
fn unwritable_output_is_exit_73() {
    let run = hisp(&[
        "report",
        &fixture("responses-fy2025.csv"),
        "-o",
        "/nonexistent-dir/x/report.xlsx",
        "--fiscal-year",
        "2025",
        "--quarter",
        "2",
        "-q",
    ]);
    assert_eq!(code(&run), 73, "{}", stderr(&run));
}

#[test]
fn skip_invalid_does_not_call_manifest_errors_excluded_rows() {
    let dir = tempfile::tempdir().unwrap();
    let manifest = dir.path().join("services.csv");
    let original = std::fs::read_to_string(fixture("services.csv")).unwrap();
    // A negative volume in the manifest's second row.
    std::fs::write(&manifest, original.replacen(",412000,", ",-412000,", 1)).unwrap();
    let out = dir.path().join("report.xlsx");
    let run = hisp(&[
        "report",
        &fixture("responses-fy2025.csv"),
        "--services",
        &manifest.display().to_string(),
        "-o",
        &out.display().to_string(),
        "--fiscal-year",
        "2025",
        "--quarter",
        "2",
        "--skip-invalid",
        "-q",
    ]);
    assert_eq!(code(&run), 0, "{}", stdout(&run));
    let validation = sheet(&out, "Validation");
    let error = validation
        .iter()
        .find(|r| text(&r[0]) == "constraint-error")
        .unwrap();
    assert_eq!((num(&error[4]), text(&error[5])), (2.0, "H".to_string()));
    assert_eq!(
        text(&error[9]),
        "",
        "a manifest value, not an excluded response"
    );
    // The survey is still reported, its volume blank.
    let (header, rows) = records(&out, "Quarterly Data");
    let online = rows
        .iter()
        .find(|r| text(&r[col(&header, "transaction_point")]) == "Online application")
        .unwrap();
    assert_eq!(online[col(&header, "volume_of_customers")], Data::Empty);
    assert_eq!(num(&online[col(&header, "volume_of_respondents")]), 18.0);
}
