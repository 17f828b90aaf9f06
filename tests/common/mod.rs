//! Helpers for the integration tests: run the binary, read workbooks back.
#![allow(dead_code)]

use calamine::{Data, Reader, open_workbook_auto};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn fixture(name: &str) -> String {
    root().join("fixtures").join(name).display().to_string()
}

/// Write `text` to `name` in `dir`; its path.
pub fn write(dir: &Path, name: &str, text: &str) -> String {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path.display().to_string()
}

/// Run `hisp` with arguments, from the crate root.
pub fn hisp(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_hisp"))
        .args(args)
        .current_dir(root())
        .stdin(Stdio::null())
        .output()
        .expect("hisp runs")
}

/// Run `hisp` with `stdin` as standard input.
pub fn hisp_stdin(args: &[&str], stdin: &[u8]) -> Output {
    use std::io::Write;
    let mut child = Command::new(env!("CARGO_BIN_EXE_hisp"))
        .args(args)
        .current_dir(root())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("hisp runs");
    child.stdin.take().unwrap().write_all(stdin).unwrap();
    child.wait_with_output().unwrap()
}

pub fn code(out: &Output) -> i32 {
    out.status.code().expect("exited normally")
}

pub fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

pub fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// The JSON validation report of `hisp validate --format json`.
pub fn validate_json(args: &[&str]) -> (i32, serde_json::Value) {
    let mut all = vec!["validate", "--format", "json"];
    all.extend_from_slice(args);
    let out = hisp(&all);
    let doc = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("JSON report ({e}): {}\n{}", stdout(&out), stderr(&out)));
    (code(&out), doc)
}

/// Entries of a given type from a JSON report, errors and warnings together.
pub fn entries<'a>(doc: &'a serde_json::Value, kind: &str) -> Vec<&'a serde_json::Value> {
    ["errors", "warnings"]
        .iter()
        .flat_map(|k| doc[*k].as_array().unwrap())
        .filter(|e| e["type"] == kind)
        .collect()
}

/// A sheet as rows of cells.
pub fn sheet(path: &Path, name: &str) -> Vec<Vec<Data>> {
    let mut wb = open_workbook_auto(path).expect("workbook opens");
    let range = wb.worksheet_range(name).expect("sheet exists");
    range.rows().map(|r| r.to_vec()).collect()
}

pub fn text(d: &Data) -> String {
    match d {
        Data::String(s) => s.clone(),
        Data::Empty => String::new(),
        Data::Float(f) => f.to_string(),
        Data::Int(i) => i.to_string(),
        other => format!("{other:?}"),
    }
}

/// A numeric cell; panics on text, so counts written as text fail.
pub fn num(d: &Data) -> f64 {
    match d {
        Data::Float(f) => *f,
        Data::Int(i) => *i as f64,
        other => panic!("expected a number cell, got {other:?}"),
    }
}

/// Rows of a sheet keyed by header name.
pub fn records(path: &Path, name: &str) -> (Vec<String>, Vec<Vec<Data>>) {
    let rows = sheet(path, name);
    let header = rows[0].iter().map(text).collect();
    (header, rows[1..].to_vec())
}

pub fn col(header: &[String], name: &str) -> usize {
    header
        .iter()
        .position(|h| h == name)
        .unwrap_or_else(|| panic!("no column {name}"))
}

/// The 95% Wilson score interval in percent, 2 decimals, written out here
/// independently of the crate's (Wilson 1927).
pub fn wilson(x: u64, n: u64) -> (f64, f64) {
    let z: f64 = 1.959_963_984_540_054;
    let (x, n) = (x as f64, n as f64);
    let p = x / n;
    let centre = (p + z * z / (2.0 * n)) / (1.0 + z * z / n);
    let half = z / (1.0 + z * z / n) * (p * (1.0 - p) / n + z * z / (4.0 * n * n)).sqrt();
    let pct = |v: f64| (v * 10_000.0).round() / 100.0;
    (pct((centre - half).max(0.0)), pct((centre + half).min(1.0)))
}
