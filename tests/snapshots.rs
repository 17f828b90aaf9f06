//! Whole-output snapshots: the human and JSON validation reports and the
//! `--help` texts, so that any change to what users read shows in review.
//! After an intended change: `INSTA_UPDATE=always cargo test --test
//! snapshots`, then read the diff of `tests/snapshots/`.

mod common;
use common::*;

fn snapshot_of(args: &[&str]) -> String {
    let out = hisp(args);
    format!(
        "$ hisp {}\nexit status: {}\n--- stdout\n{}--- stderr\n{}",
        args.join(" "),
        code(&out),
        stdout(&out),
        stderr(&out)
    )
}

#[test]
fn help_texts() {
    for (name, args) in [
        ("help", vec!["--help"]),
        ("help_validate", vec!["validate", "--help"]),
        ("help_aggregate", vec!["aggregate", "--help"]),
        ("help_report", vec!["report", "--help"]),
        ("help_init", vec!["init", "--help"]),
        ("help_assess", vec!["assess", "--help"]),
        ("help_trend", vec!["trend", "--help"]),
        ("help_assess_init", vec!["assess", "init", "--help"]),
    ] {
        insta::assert_snapshot!(name, snapshot_of(&args));
    }
}

#[test]
fn human_report_of_a_file_with_errors() {
    insta::assert_snapshot!(snapshot_of(&["validate", "fixtures/broken/bad-values.csv"]));
}

#[test]
fn human_report_of_the_v2_sample_quarter() {
    insta::assert_snapshot!(snapshot_of(&[
        "validate",
        "fixtures/v2/responses-fy2025.csv",
        "--services",
        "fixtures/v2/services.csv",
        "--fiscal-year",
        "2025",
        "--quarter",
        "2",
    ]));
}

#[test]
fn json_report_of_the_v1_sample_quarter() {
    insta::assert_snapshot!(snapshot_of(&[
        "validate",
        "--format",
        "json",
        "fixtures/responses-fy2025.csv",
        "--services",
        "fixtures/services.csv",
        "--fiscal-year",
        "2025",
        "--quarter",
        "2",
    ]));
}

/// The completion script loads in bash and completes the subcommands; the
/// manual page is roff that `man` renders.
#[test]
fn completions_load_in_bash_and_the_man_page_renders() {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_hisp"))
        .args(["completions", "bash"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let dir = tempfile::tempdir().unwrap();
    let script = dir.path().join("hisp.bash");
    std::fs::write(&script, &out.stdout).unwrap();
    let probe = format!(
        "source {}; COMP_WORDS=(hisp rep); COMP_CWORD=1; _hisp hisp rep hisp; printf '%s\\n' \"${{COMPREPLY[@]}}\"",
        script.display()
    );
    let bash = std::process::Command::new("bash")
        .args(["-c", &probe])
        .output()
        .unwrap();
    assert!(
        bash.status.success(),
        "{}",
        String::from_utf8_lossy(&bash.stderr)
    );
    assert_eq!(String::from_utf8_lossy(&bash.stdout).trim(), "report");
    let man = std::process::Command::new(env!("CARGO_BIN_EXE_hisp"))
        .arg("man")
        .output()
        .unwrap();
    let page = String::from_utf8(man.stdout).unwrap();
    assert!(
        page.starts_with(".ie \\n(.g .ds Aq") || page.contains(".TH hisp 1"),
        "{}",
        &page[..200.min(page.len())]
    );
    assert!(page.contains("validate") && page.contains("trend") && page.contains("assess"));
}
