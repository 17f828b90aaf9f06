//! A filled self-assessment read and checked: the `Self-Assessment` sheet
//! (or a CSV with its columns `id, function, statement, answer, evidence`),
//! and in a workbook the `Maturity` sheet's picks. Every problem is a
//! finding at its file, sheet, row and column, as for survey exports.

use std::collections::{BTreeMap, HashMap};
use std::ops::ControlFlow;
use std::path::Path;
use std::sync::Arc;

use super::form::Form;
use crate::check::findings::{Findings, Issue, Kind, Position, Severity};
use crate::error::{Error, Result};
use crate::ingest::layout::HeaderScore;
use crate::ingest::{self, InputSpec, cell_text};
use crate::progress::Progress;

/// The findings of the self-assessment's forms, placed after the survey
/// exports' in the report's summary.
const UNANSWERED: Kind = Kind::new(37, "unanswered");
const UNKNOWN_ID: Kind = Kind::new(38, "unknown-id");
const DUPLICATE_ID: Kind = Kind::new(39, "duplicate-id");
const STATEMENT_MISMATCH: Kind = Kind::new(40, "statement-mismatch");
const FOCUS_AREA: Kind = Kind::new(41, "focus-area");

/// The form sheet's columns.
pub(crate) const COLUMNS: [&str; 5] = ["id", "function", "statement", "answer", "evidence"];
/// The rows for what the form is about, and the focus areas.
pub(crate) const DETAILS: [(&str, &str); 3] = [
    ("service", "The service or program assessed"),
    ("organization", "The organization"),
    ("fiscal_year", "The fiscal year assessed (e.g. 2026)"),
];
/// Focus-area rows: F1, F2 required (the form asks for at least two), F3
/// optional.
pub(crate) const FOCUS_ROWS: [&str; 3] = ["F1", "F2", "F3"];
/// The `Maturity` sheet's columns: the level keys come between item and
/// choice.
pub(crate) const MATURITY_SHEET: &str = "Maturity";
pub(crate) const FORM_SHEET: &str = "Self-Assessment";

/// One filled form, as read.
#[derive(Debug, Clone, Default)]
pub(crate) struct Filled {
    pub(crate) file: String,
    pub(crate) sha256: String,
    pub(crate) service: String,
    pub(crate) organization: String,
    pub(crate) fiscal_year: Option<i32>,
    /// Statement id → yes.
    pub(crate) answers: BTreeMap<String, bool>,
    pub(crate) evidence: BTreeMap<String, String>,
    /// Function keys, in the form's order of rows.
    pub(crate) focus: Vec<String>,
    /// (core function or indicator key, its name, the level index picked).
    pub(crate) picks: Vec<(String, String, usize)>,
    /// Checklist statements checked, per maturity level key.
    pub(crate) checked: BTreeMap<String, u32>,
}

/// Read one filled form; problems go to `findings`. `None` when the file
/// is not a form at all (no `id` and `answer` columns).
pub(crate) fn read(path: &Path, form: &Form, findings: &mut Findings) -> Result<Option<Filled>> {
    let spec = InputSpec::for_path(path, None, &Progress::default());
    let score = |labels: &[String]| HeaderScore {
        by_name: labels
            .iter()
            .filter(|l| COLUMNS.iter().any(|c| l.trim().eq_ignore_ascii_case(c)))
            .count(),
        by_wording: 0,
    };
    let mut table = ingest::open(&spec, Some(&score))?;
    let col = |name: &str| {
        table
            .headers
            .iter()
            .position(|h| h.trim().eq_ignore_ascii_case(name))
    };
    let (file, sheet, offset) = (table.file.clone(), table.sheet.clone(), table.column_offset);
    let at = |line: u64, column: Option<usize>| Position {
        file: file.clone(),
        sheet: sheet.clone(),
        row: Some(line),
        column: column.map(|c| c as u32 + offset + 1),
    };
    let [id_col, _, statement_col, answer_col, evidence_col] = COLUMNS.map(col);
    let (Some(id_col), Some(answer_col)) = (id_col, answer_col) else {
        findings.push(Issue::new(
            Kind::MissingLabel,
            Severity::Error,
            &at(table.header_row, None),
            None,
            None,
            format!(
                "{} has no `id` and `answer` columns: give the form `hisp assess init` writes (sheet {FORM_SHEET:?}), or a CSV with the columns {}",
                table.file,
                COLUMNS.join(", ")
            ),
        ));
        return Ok(None);
    };
    let statements: HashMap<String, &super::form::Statement> = form
        .statements
        .iter()
        .map(|s| (s.id.to_ascii_uppercase(), s))
        .collect();
    let mut filled = Filled::default();
    let mut seen: HashMap<String, u64> = HashMap::new();
    table
        .for_each_row(&mut |line, row| {
            let text = |c: Option<usize>| c.map_or(String::new(), |c| cell_text(row.cell(c)).trim().to_string());
            let id = text(Some(id_col));
            if row.is_blank() || id.is_empty() {
                return ControlFlow::Continue(());
            }
            let key = id.to_ascii_uppercase();
            let answer = text(Some(answer_col));
            let here = |c: usize| at(line, Some(c));
            if let Some(first) = seen.insert(key.clone(), line) {
                findings.push(Issue::new(
                    DUPLICATE_ID,
                    Severity::Error,
                    &here(id_col),
                    Some("id".into()),
                    Some(id.clone()),
                    format!("{id} is already in row {first}; each statement is answered once"),
                ));
                return ControlFlow::Continue(());
            }
            if let Some(statement) = statements.get(&key) {
                let written = text(statement_col);
                if statement_col.is_some()
                    && !written.is_empty()
                    && crate::schema::fold(&written) != crate::schema::fold(&statement.text)
                {
                    findings.push(Issue::new(
                        STATEMENT_MISMATCH,
                        Severity::Error,
                        &here(statement_col.unwrap_or(id_col)),
                        Some("statement".into()),
                        Some(written.clone()),
                        format!(
                            "the statement of {id} is not the form's ({:?}): the form was edited or is another edition. Use the form `hisp assess init` writes, or give the edition's form with --schema",
                            statement.text
                        ),
                    ));
                }
                match yes_no(&answer) {
                    Some(yes) => {
                        filled.answers.insert(key.clone(), yes);
                    }
                    None if answer.is_empty() => findings.push(Issue::new(
                        UNANSWERED,
                        Severity::Error,
                        &here(answer_col),
                        Some("answer".into()),
                        None,
                        format!("{id} is not answered: answer Yes or No"),
                    )),
                    None => findings.push(Issue::new(
                        Kind::TypeError,
                        Severity::Error,
                        &here(answer_col),
                        Some("answer".into()),
                        Some(answer.clone()),
                        format!("{answer:?} is not an answer to {id}: answer Yes or No (Y/N, TRUE/FALSE, 1/0 are read too)"),
                    )),
                }
                let evidence = text(evidence_col);
                if !evidence.is_empty() {
                    filled.evidence.insert(key, evidence);
                }
            } else if let Some(&(name, _)) = DETAILS.iter().find(|(n, _)| n.eq_ignore_ascii_case(&id)) {
                match name {
                    "service" => filled.service = answer,
                    "organization" => filled.organization = answer,
                    _ if answer.is_empty() => {}
                    _ => match answer.trim_start_matches("FY").parse::<i32>() {
                        Ok(y) if (1901..=9998).contains(&y) => filled.fiscal_year = Some(y),
                        _ => findings.push(Issue::new(
                            Kind::TypeError,
                            Severity::Error,
                            &here(answer_col),
                            Some("fiscal_year".into()),
                            Some(answer.clone()),
                            format!("{answer:?} is not a fiscal year: give it as 2026"),
                        )),
                    },
                }
            } else if FOCUS_ROWS.iter().any(|f| f.eq_ignore_ascii_case(&id)) {
                if answer.is_empty() {
                    return ControlFlow::Continue(());
                }
                match form.function_named(&answer) {
                    Some(f) if filled.focus.contains(&f.key) => {}
                    Some(f) => filled.focus.push(f.key.clone()),
                    None => findings.push(Issue::new(
                        FOCUS_AREA,
                        Severity::Error,
                        &here(answer_col),
                        Some("focus_area".into()),
                        Some(answer.clone()),
                        format!(
                            "{answer:?} is not one of the five functions: {}",
                            form.functions.iter().map(|f| f.name.as_str()).collect::<Vec<_>>().join(", ")
                        ),
                    )),
                }
            } else {
                findings.push(Issue::new(
                    UNKNOWN_ID,
                    Severity::Error,
                    &here(id_col),
                    Some("id".into()),
                    Some(id.clone()),
                    format!(
                        "{id} is not a statement of the form {} (ids {}…{}), a focus area (F1-F3) or a detail ({})",
                        form.name,
                        form.statements.first().map_or("", |s| s.id.as_str()),
                        form.statements.last().map_or("", |s| s.id.as_str()),
                        DETAILS.map(|d| d.0).join(", ")
                    ),
                ));
            }
            ControlFlow::Continue(())
        })
        .map_err(Error::input)?;
    let header_at = at(table.header_row, None);
    for s in &form.statements {
        if !seen.contains_key(&s.id.to_ascii_uppercase()) {
            findings.push(Issue::new(
                UNANSWERED,
                Severity::Error,
                &header_at,
                Some("id".into()),
                Some(s.id.clone()),
                format!(
                    "the form has no row for {}; add it (\"{}\") and answer Yes or No",
                    s.id, s.text
                ),
            ));
        }
    }
    let workbook = table.sheet.is_some();
    filled.file = path.display().to_string();
    filled.sha256 = table.finish().sha256;
    if workbook {
        read_maturity(path, form, &mut filled, findings)?;
    }
    Ok(Some(filled))
}

/// Yes and no as people and spreadsheets write them.
pub(crate) fn yes_no(text: &str) -> Option<bool> {
    match text.trim().to_ascii_lowercase().as_str() {
        "yes" | "y" | "true" | "1" | "x" | "✓" | "✔" => Some(true),
        "no" | "n" | "false" | "0" => Some(false),
        _ => None,
    }
}

/// The `Maturity` sheet: a level picked per core function and indicator,
/// and the checklist statements checked. A workbook without the sheet has
/// no maturity picks.
fn read_maturity(
    path: &Path,
    form: &Form,
    filled: &mut Filled,
    findings: &mut Findings,
) -> Result<()> {
    let spec = InputSpec::for_path(path, Some(MATURITY_SHEET), &Progress::default());
    let mut table = match ingest::open(&spec, None) {
        Ok(t) => t,
        Err(Error::Config(_)) => return Ok(()),
        Err(e) => return Err(e),
    };
    let col = |name: &str| {
        table
            .headers
            .iter()
            .position(|h| h.trim().eq_ignore_ascii_case(name))
    };
    let (Some(section), Some(key), Some(choice)) = (col("section"), col("key"), col("choice"))
    else {
        return Ok(());
    };
    let file: Arc<str> = table.file.clone();
    let sheet = table.sheet.clone();
    let offset = table.column_offset;
    table
        .for_each_row(&mut |line, row| {
            let text = |c: usize| cell_text(row.cell(c)).trim().to_string();
            let (section, key, picked) = (text(section), text(key), text(choice));
            if picked.is_empty() {
                return ControlFlow::Continue(());
            }
            let at = Position {
                file: file.clone(),
                sheet: sheet.clone(),
                row: Some(line),
                column: Some(choice as u32 + offset + 1),
            };
            if section.eq_ignore_ascii_case("checklist") {
                match yes_no(&picked) {
                    Some(true) => {
                        let level = key.split(':').next().unwrap_or_default().to_string();
                        *filled.checked.entry(level).or_default() += 1;
                    }
                    Some(false) => {}
                    None => findings.push(Issue::new(
                        Kind::TypeError,
                        Severity::Error,
                        &at,
                        Some("choice".into()),
                        Some(picked.clone()),
                        format!("{picked:?}: check a statement with Yes (or leave it blank)"),
                    )),
                }
                return ControlFlow::Continue(());
            }
            let described = form
                .maturity
                .core_functions
                .iter()
                .chain(&form.maturity.indicators)
                .find(|d| d.key.eq_ignore_ascii_case(&key));
            match (described, form.maturity_level_named(&picked)) {
                (Some(d), Some(level)) => filled.picks.push((d.key.clone(), d.name.clone(), level)),
                (None, _) => findings.push(Issue::new(
                    UNKNOWN_ID,
                    Severity::Error,
                    &at,
                    Some("key".into()),
                    Some(key.clone()),
                    format!("{key:?} is not a core function or an indicator of the maturity model"),
                )),
                (Some(_), None) => findings.push(Issue::new(
                    Kind::TypeError,
                    Severity::Error,
                    &at,
                    Some("choice".into()),
                    Some(picked.clone()),
                    format!(
                        "{picked:?} is not a maturity level: pick one of {}",
                        form.maturity
                            .levels
                            .iter()
                            .map(|l| l.name.as_str())
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                )),
            }
            ControlFlow::Continue(())
        })
        .map_err(Error::input)?;
    Ok(())
}
