//! The project config file, hisp.toml: `hisp report` with no arguments
//! writes the right quarter's workbook to the patterned path; flags win;
//! mistakes name their line.

mod common;
use common::*;

use std::path::Path;
use std::process::{Command, Output};

/// Run hisp in `dir`, as a cron job would.
fn hisp_in(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_hisp"))
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap()
}

/// A project folder: the sample export and manifest, and a config.
fn project(config: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("exports")).unwrap();
    std::fs::copy(
        fixture("responses-fy2025.csv"),
        dir.path().join("exports/responses-fy2025.csv"),
    )
    .unwrap();
    std::fs::copy(fixture("services.csv"), dir.path().join("services.csv")).unwrap();
    std::fs::write(dir.path().join("hisp.toml"), config).unwrap();
    dir
}

const CONFIG: &str = r#"
inputs = ["exports/*.csv"]
services = "services.csv"
output = "reports/hisp-FY{fy}-Q{q}.xlsx"
csv = "reports/csv"
"#;

fn overall_respondents(workbook: &Path) -> f64 {
    let rows = sheet(workbook, "Summary");
    let overall = rows.iter().find(|r| text(&r[0]) == "Overall").unwrap();
    num(&overall[3])
}

#[test]
fn report_alone_writes_the_quarters_workbook_to_the_patterned_path() {
    let dir = project(&format!("{CONFIG}fiscal_year = 2025\nquarter = 2\n"));
    let run = hisp_in(dir.path(), &["report", "-q"]);
    assert_eq!(code(&run), 0, "{}", stderr(&run));
    let workbook = dir.path().join("reports/hisp-FY2025-Q2.xlsx");
    assert_eq!(overall_respondents(&workbook), 93.0);
    assert!(
        dir.path()
            .join("reports/csv/hisp-FY2025-Q2-quarterly-data.csv")
            .is_file()
    );
    // From a subfolder the config above is found.
    std::fs::create_dir(dir.path().join("sub")).unwrap();
    let run = hisp_in(
        &dir.path().join("sub"),
        &["report", "-q", "--fiscal-year", "2025", "--quarter", "1"],
    );
    assert_eq!(code(&run), 0, "{}", stderr(&run));
    assert!(dir.path().join("reports/hisp-FY2025-Q1.xlsx").is_file());
    // A flag wins over the config.
    let run = hisp_in(dir.path(), &["report", "-q", "-o", "other.xlsx"]);
    assert_eq!(code(&run), 0, "{}", stderr(&run));
    assert_eq!(overall_respondents(&dir.path().join("other.xlsx")), 93.0);
}

#[test]
fn without_a_quarter_the_last_completed_one_is_reported() {
    let dir = project(CONFIG);
    let run = hisp_in(dir.path(), &["report", "-q"]);
    assert_eq!(code(&run), 0, "{}", stderr(&run));
    let last = hisp::Quarter::last_completed(chrono::Local::now().date_naive());
    let expected = dir.path().join(format!(
        "reports/hisp-FY{}-Q{}.xlsx",
        last.fiscal_year(),
        last.quarter()
    ));
    assert!(expected.is_file(), "{}", expected.display());
}

#[test]
fn config_mistakes_are_usage_errors_naming_the_line() {
    let dir = project(&format!("{CONFIG}outptu = \"x.xlsx\"\n"));
    let run = hisp_in(dir.path(), &["report"]);
    assert_eq!(code(&run), 2);
    assert!(stderr(&run).contains("line 6"), "{}", stderr(&run));
    assert!(
        stderr(&run).contains("unknown field `outptu`"),
        "{}",
        stderr(&run)
    );
    // --no-config ignores it: then the inputs are missing.
    let run = hisp_in(dir.path(), &["report", "--no-config", "-o", "x.xlsx"]);
    assert_eq!(code(&run), 2);
    assert!(stderr(&run).contains("no input"), "{}", stderr(&run));
    let dir = project("inputs = [\"nothing/*.csv\"]\n");
    let run = hisp_in(dir.path(), &["validate"]);
    assert_eq!(code(&run), 2);
    assert!(stderr(&run).contains("matches no file"), "{}", stderr(&run));
}

#[test]
fn config_show_says_where_each_value_comes_from() {
    let dir = project(CONFIG);
    let run = hisp_in(dir.path(), &["config", "show"]);
    assert_eq!(code(&run), 0, "{}", stderr(&run));
    let shown = stdout(&run);
    assert!(
        shown.contains("services = \"services.csv\"   # from "),
        "{shown}"
    );
    assert!(
        shown.contains("# timezone = \"America/New_York\"   # default"),
        "{shown}"
    );
    // validate and aggregate take the inputs too.
    let run = hisp_in(
        dir.path(),
        &["validate", "--fiscal-year", "2025", "--quarter", "2"],
    );
    assert_eq!(code(&run), 0, "{}", stderr(&run));
    assert!(stdout(&run).contains("93 respondents"), "{}", stdout(&run));
}
