//! `hisp assess init`: the fillable self-assessment workbook. Answers are
//! Yes/No dropdowns, the focus areas and maturity levels dropdowns of the
//! form's own names, and a live score per function is shown while the form
//! is filled (formulas for the analyst; `hisp assess` recomputes and never
//! trusts them).

use rust_xlsxwriter::{DataValidation, DocProperties, Format, Workbook, Worksheet, XlsxError};

use super::form::Form;
use super::read::{COLUMNS, DETAILS, FOCUS_ROWS, FORM_SHEET, Filled, MATURITY_SHEET};
use crate::write::xlsx::{Styles, header, styles};

/// What to fill in before the analyst does.
#[derive(Debug, Clone, Default)]
pub struct Prefill {
    pub service: Option<String>,
    pub organization: Option<String>,
    pub fiscal_year: Option<i32>,
}

pub(crate) const ACTION_PLAN_SHEET: &str = "Action Plan";
pub(crate) const ACTION_PLAN_COLUMNS: [&str; 7] = [
    "focus_area",
    "action",
    "owner",
    "quarter",
    "customers_served",
    "delivered_this_year",
    "to_deliver_next_year",
];

/// The workbook, written to `out`; `previous` is last year's filled form,
/// whose answers and evidence are carried over.
pub(crate) fn write(
    form: &Form,
    prefill: &Prefill,
    previous: Option<&Filled>,
    out: &mut dyn crate::write::WriteSeek,
) -> Result<(), XlsxError> {
    let mut wb = Workbook::new();
    // Pinned document dates: the same form written twice is the same bytes.
    let year = prefill.fiscal_year.unwrap_or(2000);
    let pinned = chrono::NaiveDate::from_ymd_opt(year - 1, 10, 1)
        .and_then(|d| d.and_hms_opt(0, 0, 0))
        .unwrap_or_default();
    wb.set_properties(
        &DocProperties::new()
            .set_title(format!("{} ({} v{})", form.title, form.name, form.version))
            .set_subject("OMB Circular A-11 Section 280: annual CX self-assessment and action plan")
            .set_creation_datetime(&pinned)
            .set_comment(format!("Written by hisp {}", env!("CARGO_PKG_VERSION"))),
    );
    let s = styles();
    self_assessment(
        wb.add_worksheet().set_name(FORM_SHEET)?,
        form,
        prefill,
        previous,
        &s,
    )?;
    maturity(wb.add_worksheet().set_name(MATURITY_SHEET)?, form, &s)?;
    action_plan(wb.add_worksheet().set_name(ACTION_PLAN_SHEET)?, form, &s)?;
    wb.save_to_writer(out)
}

fn dropdown(list: &[&str], what: &str) -> Result<DataValidation, XlsxError> {
    DataValidation::new()
        .allow_list_strings(list)?
        .set_error_title("Not on the list")?
        .set_error_message(format!("Pick {what} from the list."))
}

fn function_names(form: &Form) -> Vec<&str> {
    form.functions.iter().map(|f| f.name.as_str()).collect()
}

fn self_assessment(
    ws: &mut Worksheet,
    form: &Form,
    prefill: &Prefill,
    previous: Option<&Filled>,
    s: &Styles,
) -> Result<(), XlsxError> {
    header(ws, 0, &COLUMNS, s)?;
    let wrap = Format::new().set_text_wrap();
    let n = form.statements.len() as u32;
    for (i, st) in form.statements.iter().enumerate() {
        let r = i as u32 + 1;
        let function = form.function(&st.function).map_or("", |f| f.name.as_str());
        ws.write_string(r, 0, &st.id)?;
        ws.write_string(r, 1, function)?;
        ws.write_string_with_format(r, 2, &st.text, &wrap)?;
        if let Some(prev) = previous {
            let id = st.id.to_ascii_uppercase();
            if let Some(&yes) = prev.answers.get(&id) {
                ws.write_string(r, 3, if yes { "Yes" } else { "No" })?;
            }
            if let Some(e) = prev.evidence.get(&id) {
                ws.write_string_with_format(r, 4, e, &wrap)?;
            }
        }
    }
    ws.add_data_validation(1, 3, n, 3, &dropdown(&["Yes", "No"], "Yes or No")?)?;
    // The focus areas and what the form is about, below the statements.
    let mut r = n + 2;
    let names = function_names(form);
    let focus_top = r;
    for (k, id) in FOCUS_ROWS.iter().enumerate() {
        let need = if k < form.focus_area.minimum {
            "required"
        } else {
            "optional"
        };
        ws.write_string(r, 0, *id)?;
        ws.write_string(r, 1, "focus area")?;
        ws.write_string_with_format(
            r,
            2,
            format!(
                "{} ({}; {need})",
                form.focus_area.question, form.focus_area.note
            ),
            &wrap,
        )?;
        r += 1;
    }
    ws.add_data_validation(focus_top, 3, r - 1, 3, &dropdown(&names, "a function")?)?;
    for (id, text) in DETAILS {
        ws.write_string(r, 0, id)?;
        ws.write_string(r, 1, "form")?;
        ws.write_string(r, 2, text)?;
        let given = match id {
            "service" => prefill
                .service
                .clone()
                .or_else(|| previous.map(|p| p.service.clone())),
            "organization" => prefill
                .organization
                .clone()
                .or_else(|| previous.map(|p| p.organization.clone())),
            _ => prefill.fiscal_year.map(|y| y.to_string()),
        };
        if let Some(v) = given.filter(|v| !v.is_empty()) {
            ws.write_string(r, 3, v)?;
        }
        r += 1;
    }
    // The live score, beside the form.
    for (col, name) in [(6, "function"), (7, "score"), (8, "out of")] {
        ws.write_string_with_format(0, col, name, &s.header)?;
    }
    let last = n + 1;
    for (i, f) in form.functions.iter().enumerate() {
        let row = i as u32 + 1;
        ws.write_string(row, 6, &f.name)?;
        ws.write_formula(
            row,
            7,
            format!(
                "=COUNTIFS($B$2:$B${last},\"{}\",$D$2:$D${last},\"Yes\")",
                f.name.replace('"', "\"\"")
            )
            .as_str(),
        )?;
        ws.write_number(row, 8, f64::from(form.max_of(&f.key)))?;
    }
    let k = form.functions.len() as u32;
    ws.write_string_with_format(k + 1, 6, "Total", &s.header)?;
    ws.write_formula(k + 1, 7, format!("=SUM(H2:H{})", k + 1).as_str())?;
    ws.write_number(k + 1, 8, form.statements.len() as f64)?;
    ws.write_string_with_format(k + 2, 6, "CX level", &s.header)?;
    let mut level = (form.cx_levels.len()).to_string();
    for l in form.cx_levels.iter().rev().skip(1) {
        level = format!("IF(H{}<={},{},{level})", k + 2, l.up_to, l.level);
    }
    ws.write_formula(k + 2, 7, format!("={level}").as_str())?;
    ws.set_freeze_panes(1, 0)?;
    ws.set_column_width(0, 8)?;
    ws.set_column_width(1, 22)?;
    ws.set_column_width(2, 70)?;
    ws.set_column_width(3, 12)?;
    ws.set_column_width(4, 40)?;
    ws.set_column_width(6, 24)?;
    Ok(())
}

fn maturity(ws: &mut Worksheet, form: &Form, s: &Styles) -> Result<(), XlsxError> {
    let mut names = vec!["section", "key", "item"];
    names.extend(form.maturity.levels.iter().map(|l| l.name.as_str()));
    names.push("choice");
    header(ws, 0, &names, s)?;
    let wrap = Format::new().set_text_wrap();
    let levels = form.maturity.levels.len() as u16;
    let choice = 3 + levels;
    let level_names: Vec<&str> = form
        .maturity
        .levels
        .iter()
        .map(|l| l.name.as_str())
        .collect();
    let mut r = 1;
    let top = r;
    for (section, rows) in [
        ("core function", &form.maturity.core_functions),
        ("indicator", &form.maturity.indicators),
    ] {
        for d in rows {
            ws.write_string(r, 0, section)?;
            ws.write_string(r, 1, &d.key)?;
            let item = if d.definition.is_empty() {
                d.name.clone()
            } else {
                format!("{}: {}", d.name, d.definition)
            };
            ws.write_string_with_format(r, 2, item, &wrap)?;
            for (i, l) in form.maturity.levels.iter().enumerate() {
                if let Some(t) = d.levels.get(&l.key) {
                    ws.write_string_with_format(r, 3 + i as u16, t, &wrap)?;
                }
            }
            r += 1;
        }
    }
    ws.add_data_validation(
        top,
        choice,
        r - 1,
        choice,
        &dropdown(&level_names, "the level that fits")?,
    )?;
    let checklist_top = r;
    for l in &form.maturity.levels {
        for (k, item) in form
            .maturity
            .checklists
            .get(&l.key)
            .into_iter()
            .flatten()
            .enumerate()
        {
            ws.write_string(r, 0, "checklist")?;
            ws.write_string(r, 1, format!("{}:{}", l.key, k + 1))?;
            ws.write_string_with_format(r, 2, format!("{}: {}", item.title, item.text), &wrap)?;
            ws.write_string(
                r,
                3 + form
                    .maturity
                    .levels
                    .iter()
                    .position(|x| x.key == l.key)
                    .unwrap_or(0) as u16,
                "sounds familiar?",
            )?;
            r += 1;
        }
    }
    if r > checklist_top {
        ws.add_data_validation(
            checklist_top,
            choice,
            r - 1,
            choice,
            &dropdown(&["Yes", "No"], "Yes or No")?,
        )?;
    }
    ws.set_freeze_panes(1, 3)?;
    ws.set_column_width(2, 50)?;
    ws.set_column_range_width(3, choice - 1, 30)?;
    ws.set_column_width(choice, 16)?;
    Ok(())
}

fn action_plan(ws: &mut Worksheet, form: &Form, s: &Styles) -> Result<(), XlsxError> {
    header(ws, 0, &ACTION_PLAN_COLUMNS, s)?;
    const ROWS: u32 = 20;
    ws.add_data_validation(
        1,
        0,
        ROWS,
        0,
        &dropdown(&function_names(form), "a function")?,
    )?;
    ws.set_column_width(0, 22)?;
    ws.set_column_range_width(1, 6, 30)?;
    ws.set_freeze_panes(1, 0)?;
    Ok(())
}
