//! Hostile and broken input and output paths: no input is lost or
//! overwritten, whatever path names it.

mod common;
use common::*;

use std::path::Path;
use std::process::Command;

fn bash(script: &str) -> std::process::Output {
    Command::new("bash")
        .arg("-c")
        .arg(script)
        .current_dir(root())
        .output()
        .expect("bash runs")
}

#[test]
fn a_process_substitution_input_is_read_from_its_first_byte() {
    let script = format!(
        "'{}' validate --format json <(cat fixtures/responses-fy2025.csv)",
        env!("CARGO_BIN_EXE_hisp")
    );
    let piped = bash(&script);
    let doc: serde_json::Value =
        serde_json::from_slice(&piped.stdout).unwrap_or_else(|e| panic!("{e}: {}", stderr(&piped)));
    assert!(
        entries(&doc, "extra-label").is_empty(),
        "the header lost its first bytes: {doc:#}"
    );
    let (_, direct) = validate_json(&[&fixture("responses-fy2025.csv")]);
    for stat in ["rows", "respondents", "rows_invalid", "warnings"] {
        assert_eq!(doc["stats"][stat], direct["stats"][stat], "{stat}");
    }
    assert_eq!(
        doc["stats"]["files"][0]["sha256"], direct["stats"]["files"][0]["sha256"],
        "every byte is read and hashed"
    );
}

fn report_args<'a>(input: &'a str, out: &'a str) -> Vec<&'a str> {
    vec![
        "report",
        input,
        "--fiscal-year",
        "2025",
        "--quarter",
        "2",
        "-o",
        out,
    ]
}

#[test]
fn the_output_cannot_be_the_mapping_file() {
    let dir = tempfile::tempdir().unwrap();
    let map = dir.path().join("map.toml");
    std::fs::write(&map, "[labels]\n\"Very good\" = 5\n").unwrap();
    let before = std::fs::read(&map).unwrap();
    let map = map.to_str().unwrap();
    let input = fixture("responses-fy2025.csv");
    let mut args = report_args(&input, map);
    args.extend(["--map", map]);
    let out = hisp(&args);
    assert_eq!(code(&out), 2, "{}", stderr(&out));
    assert!(stderr(&out).contains("also an input"), "{}", stderr(&out));
    assert_eq!(
        std::fs::read(map).unwrap(),
        before,
        "the mapping is untouched"
    );
}

#[test]
fn the_output_cannot_be_a_hard_link_to_an_input() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("responses.csv");
    std::fs::copy(fixture("responses-fy2025.csv"), &input).unwrap();
    let link = dir.path().join("other-name.xlsx");
    std::fs::hard_link(&input, &link).unwrap();
    let before = std::fs::read(&input).unwrap();
    let out = hisp(&report_args(
        input.to_str().unwrap(),
        link.to_str().unwrap(),
    ));
    assert_eq!(code(&out), 2, "{}", stderr(&out));
    assert_eq!(
        std::fs::read(&input).unwrap(),
        before,
        "the input is untouched"
    );
}

#[test]
fn upload_files_cannot_overwrite_an_input_upload_file() {
    let dir = tempfile::tempdir().unwrap();
    // The name hisp gives this survey's upload file.
    let input = dir
        .path()
        .join("passport-renewal_post-interaction_computer.csv");
    std::fs::copy(fixture("v2/upload-passport.csv"), &input).unwrap();
    let before = std::fs::read(&input).unwrap();
    let out_xlsx = dir.path().join("out.xlsx");
    let input_s = input.to_str().unwrap();
    let out_s = out_xlsx.to_str().unwrap();
    let mut args = report_args(input_s, out_s);
    let dir_s = dir.path().to_str().unwrap();
    args.extend([
        "--set",
        "service=Passport Renewal",
        "--set",
        "transaction_point=post_interaction",
        "--set",
        "channel=computer",
        "--upload-dir",
        dir_s,
    ]);
    let out = hisp(&args);
    assert_eq!(code(&out), 2, "{}", stderr(&out));
    assert!(stderr(&out).contains("also an input"), "{}", stderr(&out));
    assert_eq!(
        std::fs::read(&input).unwrap(),
        before,
        "the input is untouched"
    );
    assert!(
        !out_xlsx.exists(),
        "nothing is written when one output is refused"
    );
    assert!(
        leftovers(dir.path()).is_empty(),
        "{:?}",
        leftovers(dir.path())
    );
}

#[test]
fn the_output_is_never_renamed_over_a_special_file() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("out.xlsx");
    let made = Command::new("mkfifo").arg(&fifo).status().unwrap();
    assert!(made.success());
    let input = fixture("responses-fy2025.csv");
    let out = hisp(&report_args(&input, fifo.to_str().unwrap()));
    assert_eq!(code(&out), 2, "{}", stderr(&out));
    assert!(
        stderr(&out).contains("not a regular file"),
        "{}",
        stderr(&out)
    );
    assert!(is_fifo(&fifo), "the special file is still there");
}

#[cfg(unix)]
fn is_fifo(path: &Path) -> bool {
    use std::os::unix::fs::FileTypeExt;
    std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_fifo())
}

#[test]
fn numbers_beyond_the_range_are_errors_at_their_cell() {
    let dir = tempfile::tempdir().unwrap();
    let manifest = std::fs::read_to_string(fixture("services.csv")).unwrap();
    let mut lines: Vec<String> = manifest.lines().map(String::from).collect();
    let header: Vec<&str> = lines[0].split(',').collect();
    let col = header
        .iter()
        .position(|h| *h == "volume_of_customers")
        .expect("the manifest has volumes");
    let mut cells: Vec<String> = lines[1].split(',').map(String::from).collect();
    cells[col] = "99999999999999999999".into();
    lines[1] = cells.join(",");
    let path = dir.path().join("services.csv");
    std::fs::write(&path, lines.join("\n") + "\n").unwrap();
    let (status, doc) = validate_json(&[
        &fixture("responses-fy2025.csv"),
        "--services",
        path.to_str().unwrap(),
    ]);
    assert_eq!(status, 1, "{doc:#}");
    let e = &doc["errors"][0];
    assert_eq!(e["field"], "volume_of_customers", "{doc:#}");
    assert_eq!(e["row"], 2);
    assert_eq!(e["value"], "99999999999999999999");
}

/// `rows` data rows of a v1 export; row `quoted` (as the user counts rows,
/// header = 1) opens a quote in its comment and never closes it.
fn export_with_stray_quote(rows: usize, quoted: usize) -> String {
    let mut text = String::from("service,touchpoint,channel,satisfaction,trust,comment\n");
    for row in 2..rows + 2 {
        let comment = if row == quoted { "\"oops" } else { "fine" };
        text.push_str(&format!("A,B,computer,4,4,{comment}\n"));
    }
    text
}

#[test]
fn an_unclosed_quote_is_an_error_where_it_opens() {
    let dir = tempfile::tempdir().unwrap();
    // A small file (read while the header is found) and a large one (read
    // in batches by the reading thread), the quote far from either end.
    // 2,077 data rows: 29 read with the header, then two full batches.
    for (rows, quoted) in [
        (3, 2),
        (103, 5),
        (5000, 3000),
        (5000, 5001),
        (2077, 2078),
        (2077, 9),
    ] {
        let path = dir.path().join(format!("quote-{rows}-{quoted}.csv"));
        std::fs::write(&path, export_with_stray_quote(rows, quoted)).unwrap();
        let (status, doc) = validate_json(&[path.to_str().unwrap()]);
        assert_eq!(status, 1, "{rows}/{quoted}: {doc:#}");
        let errors = entries(&doc, "unclosed-quote");
        assert_eq!(errors.len(), 1, "{rows}/{quoted}: {doc:#}");
        assert_eq!(errors[0]["row"], quoted as u64, "{rows}/{quoted}");
        assert_eq!(errors[0]["column"], "F");
        let swallowed = rows + 1 - quoted;
        let said = match swallowed {
            0 => "the end of the file was".to_string(),
            1 => "the line after it was".to_string(),
            n => format!("the {n} lines after it were"),
        };
        let message = errors[0]["message"].as_str().unwrap();
        assert!(message.contains(&said), "{message}");
        assert_eq!(doc["stats"]["rows"], (quoted - 1) as u64);
    }
    // Without a final line break, the rest of the file is still found.
    let path = dir.path().join("no-final-break.csv");
    let text = export_with_stray_quote(103, 5);
    std::fs::write(&path, text.trim_end()).unwrap();
    let (status, doc) = validate_json(&[path.to_str().unwrap()]);
    assert_eq!(status, 1, "{doc:#}");
    let errors = entries(&doc, "unclosed-quote");
    assert_eq!(
        (errors.len(), &errors[0]["row"]),
        (1, &serde_json::json!(5))
    );
    // A multi-line comment closed at the end of the file is no error, with
    // or without a final line break.
    let path = dir.path().join("closed.csv");
    std::fs::write(
        &path,
        "service,touchpoint,channel,satisfaction,trust,comment\nA,B,computer,4,4,\"ok\nline two, with a comma\"\n",
    )
    .unwrap();
    let (status, doc) = validate_json(&[path.to_str().unwrap()]);
    assert_eq!(status, 0, "{doc:#}");
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(&path, text.trim_end()).unwrap();
    let (status, doc) = validate_json(&[path.to_str().unwrap()]);
    assert_eq!(status, 0, "{doc:#}");
}

#[test]
fn a_file_with_only_a_header_is_a_warning_that_strict_fails() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("header-only.csv");
    std::fs::write(&path, "service,touchpoint,channel,satisfaction,trust\n\n").unwrap();
    let input = path.to_str().unwrap();
    let (status, doc) = validate_json(&[input]);
    assert_eq!(status, 0, "{doc:#}");
    let warnings = entries(&doc, "no-data");
    assert_eq!(warnings.len(), 1, "{doc:#}");
    assert_eq!(warnings[0]["file"], input);
    let (status, _) = validate_json(&[input, "--strict"]);
    assert_eq!(status, 1);
    let out = dir.path().join("out.xlsx");
    let mut args = report_args(input, out.to_str().unwrap());
    args.push("--strict");
    assert_eq!(code(&hisp(&args)), 1);
    assert!(!out.exists(), "no empty workbook");
}

/// A v2 export of `rows` responses in FY2025 Q2, big enough that writing
/// its outputs takes a while.
fn big_v2_export(path: &Path, rows: usize) {
    let mut text = String::from(
        "service,transaction_point,channel,submitted_at,external_id,question_1,positive_effectiveness,positive_ease,positive_efficiency,positive_transparency,positive_humanity,positive_employee,positive_other,negative_effectiveness,negative_ease,negative_efficiency,negative_transparency,negative_humanity,negative_employee,negative_other,question_4\n",
    );
    for i in 0..rows {
        let service = ["Passport Renewal", "Tax Return Help", "Veterans Health"][i % 3];
        text.push_str(&format!(
            "{service},post_interaction,computer,2025-02-03T10:00:00,id-{i},1,1,0,0,0,0,0,0,0,0,0,0,0,0,0,a comment that takes some room\n"
        ));
    }
    std::fs::write(path, text).unwrap();
}

/// Files hisp leaves beside its outputs, by name.
fn leftovers(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".hisp-"))
        .collect()
}

/// A report on a big v2 export, running: the child, its input's directory
/// (kept while it runs), its outputs' directory and the workbook's path.
struct Running {
    child: std::process::Child,
    _input: tempfile::TempDir,
    out_dir: tempfile::TempDir,
    out: std::path::PathBuf,
}

fn start_big_report() -> Running {
    let input_dir = tempfile::tempdir().unwrap();
    let input = input_dir.path().join("big-v2.csv");
    big_v2_export(&input, 200_000);
    let out_dir = tempfile::tempdir().unwrap();
    let out = out_dir.path().join("report.xlsx");
    let child = Command::new(env!("CARGO_BIN_EXE_hisp"))
        .args(report_args(input.to_str().unwrap(), out.to_str().unwrap()))
        .args(["--upload-dir", out_dir.path().to_str().unwrap()])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    Running {
        child,
        _input: input_dir,
        out_dir,
        out,
    }
}

#[test]
fn a_killed_run_leaves_no_response_spool() {
    let Running {
        mut child,
        out_dir,
        _input,
        ..
    } = start_big_report();
    std::thread::sleep(std::time::Duration::from_millis(400));
    assert!(
        child.try_wait().unwrap().is_none(),
        "the run ended before it could be killed"
    );
    let _ = child.kill(); // SIGKILL: nothing runs after it
    let _ = child.wait();
    let left: Vec<String> = leftovers(out_dir.path())
        .into_iter()
        .filter(|n| !n.ends_with(".tmp"))
        .collect();
    assert!(left.is_empty(), "the spool was left behind: {left:?}");
}

#[test]
fn an_interrupted_run_removes_its_temporary_outputs() {
    let Running {
        mut child,
        out_dir,
        out,
        _input,
    } = start_big_report();
    // Wait until the workbook is being written, then ask the run to stop.
    let started = std::time::Instant::now();
    while !leftovers(out_dir.path())
        .iter()
        .any(|n| n.ends_with(".tmp"))
    {
        assert!(
            started.elapsed() < std::time::Duration::from_secs(60),
            "the workbook was never staged"
        );
        if child.try_wait().unwrap().is_some() {
            panic!("the run ended before it could be interrupted");
        }
        std::thread::sleep(std::time::Duration::from_millis(2));
    }
    let term = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(term.success());
    let status = child.wait().unwrap();
    assert_eq!(
        status.code(),
        Some(130),
        "documented status of an interrupted run"
    );
    assert!(
        leftovers(out_dir.path()).is_empty(),
        "{:?}",
        leftovers(out_dir.path())
    );
    assert!(!out.exists());
}

#[test]
fn a_run_removes_day_old_temporary_files_of_a_killed_run() {
    let dir = tempfile::tempdir().unwrap();
    let old = dir.path().join(".hisp-AbC123.tmp");
    let fresh = dir.path().join(".hisp-XyZ789.tmp");
    for path in [&old, &fresh] {
        std::fs::write(path, "half a workbook").unwrap();
    }
    let two_days_ago = std::time::SystemTime::now() - std::time::Duration::from_secs(2 * 86_400);
    std::fs::File::options()
        .write(true)
        .open(&old)
        .unwrap()
        .set_modified(two_days_ago)
        .unwrap();
    let out = dir.path().join("report.xlsx");
    let input = fixture("responses-fy2025.csv");
    let run = hisp(&report_args(&input, out.to_str().unwrap()));
    assert_eq!(code(&run), 0, "{}", stderr(&run));
    assert!(!old.exists(), "a day-old leftover is removed");
    assert!(
        fresh.exists(),
        "a leftover that may be a running run's is kept"
    );
    assert!(
        stderr(&run).contains("removed 1 temporary file"),
        "{}",
        stderr(&run)
    );
}

#[test]
fn a_header_that_names_no_field_says_what_it_reads_and_what_to_try() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("semicolons.csv");
    std::fs::write(
        &path,
        "service;touchpoint;channel;satisfaction;trust\nA;B;computer;4;4\n",
    )
    .unwrap();
    let (status, doc) = validate_json(&[path.to_str().unwrap(), "--delimiter", "comma"]);
    assert_eq!(status, 1, "{doc:#}");
    let errors = doc["errors"].as_array().unwrap();
    assert_eq!(errors.len(), 1, "one finding, not one per field: {doc:#}");
    assert_eq!(errors[0]["type"], "unrecognised-header");
    let message = errors[0]["message"].as_str().unwrap();
    for said in [
        "\"service;touchpoint;channel;sat",
        "delimiter comma",
        "--delimiter",
        "--header-row",
        "hisp init",
    ] {
        assert!(message.contains(said), "{said} in {message}");
    }
    assert!(doc["warnings"].as_array().unwrap().is_empty(), "{doc:#}");
}

#[test]
fn workbooks_on_standard_input_and_binary_files_are_not_tables() {
    let xlsx = std::fs::read(fixture("responses-fy2025.xlsx")).unwrap();
    let out = hisp_stdin(&["validate", "-"], &xlsx);
    assert_eq!(code(&out), 66, "{}", stderr(&out));
    assert!(
        stderr(&out).contains("standard input holds a workbook"),
        "{}",
        stderr(&out)
    );
    let dir = tempfile::tempdir().unwrap();
    let binary = dir.path().join("export.csv");
    let mut bytes = b"service,touchpoint\n".to_vec();
    bytes.extend((0..4096u32).map(|i| (i * 7 % 256) as u8));
    std::fs::write(&binary, bytes).unwrap();
    let out = hisp(&["validate", binary.to_str().unwrap()]);
    assert_eq!(code(&out), 66, "{}", stderr(&out));
    assert!(stderr(&out).contains("binary data"), "{}", stderr(&out));
    let started = std::time::Instant::now();
    let out = hisp(&["validate", "/dev/zero"]);
    assert_eq!(code(&out), 66, "{}", stderr(&out));
    assert!(started.elapsed() < std::time::Duration::from_secs(10));
}

#[test]
fn json_reports_are_printed_for_fatal_errors_too() {
    let out = hisp(&["validate", "--format", "json", "fixtures/no-such-file.csv"]);
    assert_eq!(code(&out), 66);
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(doc["valid"], false);
    assert_eq!(doc["fatal"]["status"], 66);
    assert_eq!(doc["fatal"]["type"], "input");
    assert!(
        doc["fatal"]["message"]
            .as_str()
            .unwrap()
            .contains("no-such-file.csv")
    );
    let dir = tempfile::tempdir().unwrap();
    let input = fixture("responses-fy2025.csv");
    let mut args = report_args(&input, dir.path().to_str().unwrap());
    args.extend(["--format", "json"]);
    let out = hisp(&args);
    assert_eq!(code(&out), 2);
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        (&doc["fatal"]["status"], &doc["fatal"]["type"]),
        (&serde_json::json!(2), &serde_json::json!("configuration"))
    );
    // aggregate keeps stdout for the data: its report, in JSON, on stderr.
    let out = hisp(&[
        "aggregate",
        "--report-format",
        "json",
        &fixture("broken/bad-values.csv"),
        "--fiscal-year",
        "2025",
        "--quarter",
        "2",
    ]);
    assert_eq!(code(&out), 1);
    assert!(out.stdout.is_empty());
    let doc: serde_json::Value = serde_json::from_slice(&out.stderr).unwrap();
    assert_eq!(doc["valid"], false);
    assert_eq!(doc["stats"]["errors"], 7);
}

#[test]
fn blank_rows_are_all_counted_and_the_first_hundred_listed() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("blank.csv");
    let text = format!(
        "service,touchpoint,channel,satisfaction,trust\nA,B,computer,4,4\n{}",
        ",,,,\n".repeat(5_000)
    );
    std::fs::write(&path, text).unwrap();
    let (status, doc) = validate_json(&[path.to_str().unwrap()]);
    assert_eq!(status, 0);
    assert_eq!(entries(&doc, "blank-row").len(), 100, "listed");
    assert_eq!(doc["stats"]["blank_rows"], 5_000);
    let counted = doc["stats"]["by_type"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["type"] == "blank-row")
        .unwrap()["count"]
        .clone();
    assert_eq!(counted, 5_000, "counted");
    assert_eq!(doc["stats"]["truncated"], true);
}

#[test]
fn a_header_row_far_down_is_found_without_keeping_the_rows_above() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("titled.csv");
    let mut text = "A title line\n".repeat(100);
    text.push_str("service,touchpoint,channel,satisfaction,trust\nA,B,computer,4,4\n");
    std::fs::write(&path, text).unwrap();
    let (status, doc) = validate_json(&[path.to_str().unwrap(), "--header-row", "101"]);
    assert_eq!(status, 0, "{doc:#}");
    assert_eq!(doc["stats"]["respondents"], 1);
    let notes = doc["stats"]["notes"].to_string();
    assert!(
        notes.contains("header on row 101; 100 rows above it skipped"),
        "{notes}"
    );
    let (status, _) = validate_json(&[path.to_str().unwrap(), "--header-row", "5000"]);
    assert_eq!(status, 2, "a row the file does not have");
}

/// Run `hisp -v` and read its peak resident memory (KiB) from its log.
/// (The kernel's account at reaping counts the test process's own memory
/// too: a spawned program inherits its parent's peak.)
fn hisp_measured(args: &[&str]) -> (std::process::Output, u64) {
    let args: Vec<&str> = std::iter::once("-v").chain(args.iter().copied()).collect();
    let run = hisp(&args);
    let log = stderr(&run);
    let peak = log
        .lines()
        .find_map(|l| l.split("peak memory ").nth(1))
        .and_then(|rest| rest.split_whitespace().next())
        .and_then(|mib| mib.parse::<u64>().ok())
        .unwrap_or_else(|| panic!("no peak memory in the log: {log}"));
    (run, peak * 1024)
}

/// Every case of `tests/hostile/cases.tsv` ends with its documented status
/// and first finding (or error), within 10 s and 200 MB, and leaves no output or
/// temporary file behind when it fails.
#[test]
fn the_hostile_corpus_ends_as_documented() {
    let corpus = root().join("tests/hostile");
    let cases = std::fs::read_to_string(corpus.join("cases.tsv")).unwrap();
    let mut checked = 0;
    for line in cases
        .lines()
        .filter(|l| !l.starts_with('#') && !l.is_empty())
    {
        let fields: Vec<&str> = line.split('\t').collect();
        let [name, args, status, expected] = fields[..] else {
            panic!("a case needs four fields: {line}");
        };
        let file = corpus.join(name).display().to_string();
        let out_dir = tempfile::tempdir().unwrap();
        let out = out_dir.path().display().to_string();
        let args: Vec<String> = args
            .split(' ')
            .map(|a| a.replace("{file}", &file).replace("{out}", &out))
            .collect();
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let started = std::time::Instant::now();
        let (run, peak_kib) = hisp_measured(&args);
        let took = started.elapsed();
        let said = format!("{}{}", stdout(&run), stderr(&run));
        assert_eq!(code(&run).to_string(), status, "{name} {args:?}: {said}");
        let first = said
            .lines()
            .map(str::trim_start)
            .find(|l| {
                ["error[", "warning[", "hisp: error", "WARN"]
                    .iter()
                    .any(|start| l.starts_with(start))
            })
            .unwrap_or_default();
        assert!(
            first.contains(expected),
            "{name}: first line {first:?}, expected {expected:?}"
        );
        assert!(
            took < std::time::Duration::from_secs(10),
            "{name} took {took:?}"
        );
        assert!(
            peak_kib < 200 * 1024,
            "{name} peaked at {peak_kib} KiB of memory"
        );
        let left: Vec<_> = std::fs::read_dir(out_dir.path()).unwrap().collect();
        if status != "0" {
            assert!(left.is_empty(), "{name} left {left:?}");
        }
        checked += 1;
    }
    assert!(checked >= 15, "{checked} cases");
}

#[test]
fn workbooks_the_fuzzer_found_are_errors_not_panics() {
    let dir = root().join("fuzz/regressions");
    let mut checked = 0;
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        let out = hisp(&["validate", path.to_str().unwrap()]);
        assert_eq!(code(&out), 66, "{}: {}", path.display(), stderr(&out));
        assert!(!stderr(&out).contains("panicked"), "{}", stderr(&out));
        checked += 1;
    }
    assert!(checked >= 6);
}

/// A quote left open for megabytes stops the read at the row where it
/// opens, instead of taking the rest of the file into one value.
#[test]
fn a_quote_open_for_megabytes_stops_the_read_where_it_opens() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("runaway.csv");
    let row = "Passport Renewal,Online,computer,4,5,4,4,3,5,5,fine\n";
    let mut text = String::from(
        "service,touchpoint,channel,satisfaction,trust,effectiveness,ease,efficiency,transparency,employee,comment\n",
    );
    text.push_str(&row.repeat(3));
    text.push_str("A,B,computer,4,5,4,4,3,5,5,\"oops\n");
    text.push_str(&row.repeat(400_000)); // 20 MB
    text.push_str("A,B,computer,4,5,4,4,3,5,5,closes\"\n");
    std::fs::write(&path, text).unwrap();
    let (run, peak_kib) = hisp_measured(&["validate", path.to_str().unwrap()]);
    assert_eq!(code(&run), 66, "{}", stderr(&run));
    assert!(
        stderr(&run).contains("the row after line 4 runs on for more than 16 MiB"),
        "{}",
        stderr(&run)
    );
    assert!(peak_kib < 100 * 1024, "peaked at {peak_kib} KiB");
}

/// Blank lines between rows are counted as they pass: twenty million of
/// them cost no memory.
#[test]
fn millions_of_blank_lines_cost_no_memory() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("blanks.csv");
    let row = "Passport Renewal,Online,computer,4,5,4,4,3,5,5,fine\n";
    let text = format!(
        "service,touchpoint,channel,satisfaction,trust,effectiveness,ease,efficiency,transparency,employee,comment\n{row}{}{row}",
        "\n".repeat(20_000_000)
    );
    std::fs::write(&path, text).unwrap();
    let (run, peak_kib) = hisp_measured(&["validate", path.to_str().unwrap(), "--format", "json"]);
    assert_eq!(code(&run), 0, "{}", stderr(&run));
    assert!(stdout(&run).contains("\"rows\": 2,"), "{}", stdout(&run));
    assert!(peak_kib < 60 * 1024, "peaked at {peak_kib} KiB");
}

/// A date cell far outside Excel's dates (a serial of -7.5e184, which the
/// workbook reader panicked converting) is a type error at its cell.
#[test]
fn a_date_serial_outside_excels_dates_is_an_error_at_its_cell() {
    let file = root().join("tests/hostile/fuzz-date-serial.xls");
    let (status, doc) = validate_json(&[file.to_str().unwrap()]);
    assert_eq!(status, 1, "{doc:#}");
    let bad = entries(&doc, "type-error");
    assert!(
        bad.iter()
            .any(|e| e["row"] == 75 && e["field"] == "submitted_at"),
        "{doc:#}"
    );
}

/// The same file given twice, under any spelling, is one clear usage error,
/// not a duplicate finding for each of its responses.
#[test]
fn the_same_input_given_twice_is_a_usage_error() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("responses.csv");
    std::fs::copy(fixture("responses-fy2025.csv"), &input).unwrap();
    let link = dir.path().join("again.csv");
    std::fs::hard_link(&input, &link).unwrap();
    let out = hisp(&["validate", input.to_str().unwrap(), link.to_str().unwrap()]);
    assert_eq!(code(&out), 2, "{}", stdout(&out));
    assert!(stderr(&out).contains("was given twice"), "{}", stderr(&out));
    assert!(!stdout(&out).contains("unique-error"));
}

/// Two files with the same content (an export downloaded twice) are one
/// clear usage error naming both, not thousands of `unique-error`s; two
/// header-only files may share their bytes.
#[test]
fn two_copies_of_one_export_are_a_usage_error() {
    let dir = tempfile::tempdir().unwrap();
    let first = dir.path().join("export.csv");
    let second = dir.path().join("export (1).csv");
    std::fs::copy(fixture("responses-fy2025.csv"), &first).unwrap();
    std::fs::copy(fixture("responses-fy2025.csv"), &second).unwrap();
    let out = hisp(&[
        "validate",
        first.to_str().unwrap(),
        second.to_str().unwrap(),
    ]);
    assert_eq!(code(&out), 2, "{}", stdout(&out));
    let message = stderr(&out);
    assert!(message.contains("have the same content"), "{message}");
    assert!(
        message.contains("export.csv") && message.contains("export (1).csv"),
        "{message}"
    );
    assert!(!stdout(&out).contains("unique-error"));

    let header = "service,touchpoint,channel,satisfaction,trust\n";
    let (a, b) = (dir.path().join("a.csv"), dir.path().join("b.csv"));
    std::fs::write(&a, header).unwrap();
    std::fs::write(&b, header).unwrap();
    let out = hisp(&["validate", a.to_str().unwrap(), b.to_str().unwrap()]);
    assert!(!stderr(&out).contains("same content"), "{}", stderr(&out));
}
