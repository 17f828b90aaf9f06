//! What `hisp assess` puts out: the results workbook (`Scores` with a chart,
//! `Maturity`, `Action Plan`, `Validation`, `About`), the JSON document and
//! the one-screen summary.

use std::io::{self, Write};

use rust_xlsxwriter::{Chart, ChartType, DocProperties, Format, Workbook, Worksheet, XlsxError};
use serde::Serialize;

use super::Assessment;
use super::blank::{ACTION_PLAN_COLUMNS, ACTION_PLAN_SHEET};
use super::score::Scored;
use crate::write::xlsx::{Styles, header, styles};

const SCORES: &str = "Scores";

impl Assessment {
    fn function_label(&self, key: &str) -> String {
        self.form
            .function(key)
            .map_or(key.to_string(), |f| f.name.clone())
    }

    /// "Passport Services" or the file name when the form names no service.
    fn title(s: &Scored) -> String {
        if s.service.is_empty() {
            s.file.clone()
        } else {
            s.service.clone()
        }
    }

    /// `--format json`.
    pub fn write_json(&self, out: &mut dyn Write) -> io::Result<()> {
        #[derive(Serialize)]
        struct FormJson<'a> {
            name: &'a str,
            version: &'a str,
        }
        #[derive(Serialize)]
        struct Doc<'a> {
            valid: bool,
            form: FormJson<'a>,
            cx_level_cutoffs: &'a [u32],
            forms: &'a [Scored],
            rollup: Option<&'a super::score::Rollup>,
            errors: &'a [crate::check::findings::Issue],
            warnings: &'a [crate::check::findings::Issue],
        }
        let doc = Doc {
            valid: self.valid(),
            form: FormJson {
                name: &self.form.name,
                version: &self.form.version,
            },
            cx_level_cutoffs: &self.cutoffs.0,
            // Scores only of forms without errors: a partly answered form
            // has no score to act on.
            forms: if self.valid() { &self.scored } else { &[] },
            rollup: self.rollup.as_ref().filter(|_| self.valid()),
            errors: &self.findings.errors,
            warnings: &self.findings.warnings,
        };
        serde_json::to_writer_pretty(&mut *out, &doc)?;
        writeln!(out)
    }

    /// The one-screen summary.
    pub fn write_human(&self, out: &mut dyn Write) -> io::Result<()> {
        let cut = &self.cutoffs.0;
        let levels: Vec<String> = self
            .form
            .cx_levels
            .iter()
            .enumerate()
            .map(|(i, l)| match cut.get(i) {
                Some(up_to) => format!("{} up to {up_to}", l.level),
                None => format!("{} above", l.level),
            })
            .collect();
        writeln!(
            out,
            "Form: {} v{} (CX levels: {})",
            self.form.name,
            self.form.version,
            levels.join(", ")
        )?;
        let shown: &[Scored] = if self.valid() { &self.scored } else { &[] };
        for s in shown {
            let year = s.fiscal_year.map_or(String::new(), |y| format!(" FY{y}"));
            writeln!(
                out,
                "\n{}{year} ({}): {}/{}, CX level {} ({})",
                Self::title(s),
                s.file,
                s.total,
                s.max,
                s.level,
                s.level_name
            )?;
            let parts: Vec<String> = s
                .functions
                .iter()
                .map(|f| format!("{} {}/{}", f.name, f.score, f.max))
                .collect();
            writeln!(out, "  {}", parts.join(", "))?;
            let areas: Vec<String> = s
                .focus_areas
                .iter()
                .map(|k| self.function_label(k))
                .collect();
            let how = if s.focus_areas_proposed {
                " (proposed from the lowest scores: the form names fewer than two)"
            } else {
                ""
            };
            writeln!(out, "  focus areas: {}{how}", areas.join(", "))?;
            match &s.maturity.level_name {
                Some(level) => {
                    let next = s.maturity.next_level.as_deref().map_or(String::new(), |n| {
                        format!(
                            "; to reach {n}: {} tactics",
                            s.maturity.next_level_tactics.len()
                        )
                    });
                    writeln!(
                        out,
                        "  maturity: {level}, held back by {}{next}",
                        s.maturity.held_back_by.join(", ")
                    )?;
                }
                None => writeln!(
                    out,
                    "  maturity: no level picked (on the Maturity sheet of the workbook form)"
                )?,
            }
            if let Some(c) = &s.change {
                let parts: Vec<String> = c
                    .functions
                    .iter()
                    .map(|(f, d)| format!("{} {d:+}", self.function_label(f)))
                    .collect();
                let since = c
                    .previous_fiscal_year
                    .map_or("last year".to_string(), |y| format!("FY{y}"));
                writeln!(out, "  since {since}: {:+} ({})", c.total, parts.join(", "))?;
            }
        }
        if let Some(r) = self.rollup.as_ref().filter(|_| self.valid()) {
            let means: Vec<String> = r
                .functions
                .iter()
                .map(|f| format!("{} {:.2}", self.function_label(&f.function), f.mean))
                .collect();
            writeln!(
                out,
                "\nAll {} forms: mean total {:.2}; {}",
                r.forms,
                r.mean_total,
                means.join(", ")
            )?;
        }
        for (title, list) in [
            ("Errors", &self.findings.errors),
            ("Warnings", &self.findings.warnings),
        ] {
            if list.is_empty() {
                continue;
            }
            writeln!(out, "\n{title}:")?;
            crate::write::report::list_issues(out, list)?;
        }
        let verdict = if self.valid() { "VALID" } else { "INVALID" };
        writeln!(
            out,
            "\n{verdict}: {} errors, {} warnings",
            self.findings.error_count, self.findings.warning_count
        )
    }

    /// The results workbook.
    pub(crate) fn workbook(&self, out: &mut dyn crate::write::WriteSeek) -> Result<(), XlsxError> {
        let mut wb = Workbook::new();
        let year = self
            .scored
            .iter()
            .filter_map(|s| s.fiscal_year)
            .max()
            .unwrap_or(2000);
        let pinned = chrono::NaiveDate::from_ymd_opt(year, 9, 30)
            .and_then(|d| d.and_hms_opt(0, 0, 0))
            .unwrap_or_default();
        wb.set_properties(
            &DocProperties::new()
                .set_title(format!("{}: results", self.form.title))
                .set_subject("OMB Circular A-11 Section 280: annual CX self-assessment")
                .set_creation_datetime(&pinned)
                .set_comment(format!("Written by hisp {}", env!("CARGO_PKG_VERSION"))),
        );
        let s = styles();
        self.scores(wb.add_worksheet().set_name(SCORES)?, &s)?;
        self.maturity(wb.add_worksheet().set_name("Maturity")?, &s)?;
        self.action_plan(wb.add_worksheet().set_name(ACTION_PLAN_SHEET)?, &s)?;
        self.validation(wb.add_worksheet().set_name("Validation")?, &s)?;
        self.about(wb.add_worksheet().set_name("About")?, &s)?;
        wb.save_to_writer(out)
    }

    fn scores(&self, ws: &mut Worksheet, s: &Styles) -> Result<(), XlsxError> {
        let any_change = self.scored.iter().any(|x| x.change.is_some());
        let mut names: Vec<String> = ["file", "service", "organization", "fiscal_year"]
            .map(String::from)
            .to_vec();
        names.extend(self.form.functions.iter().map(|f| f.key.clone()));
        names.extend(
            [
                "total",
                "max",
                "cx_level",
                "cx_level_name",
                "focus_areas",
                "focus_areas_proposed",
                "maturity_level",
                "held_back_by",
            ]
            .map(String::from),
        );
        if any_change {
            names.push("previous_total".into());
            names.push("change_total".into());
            names.extend(
                self.form
                    .functions
                    .iter()
                    .map(|f| format!("change_{}", f.key)),
            );
        }
        header(ws, 0, &names, s)?;
        for (i, x) in self.scored.iter().enumerate() {
            let r = i as u32 + 1;
            ws.write_string(r, 0, &x.file)?;
            ws.write_string(r, 1, &x.service)?;
            ws.write_string(r, 2, &x.organization)?;
            if let Some(y) = x.fiscal_year {
                ws.write_number(r, 3, f64::from(y))?;
            }
            let mut c = 4u16;
            for f in &x.functions {
                ws.write_number(r, c, f64::from(f.score))?;
                c += 1;
            }
            ws.write_number(r, c, f64::from(x.total))?;
            ws.write_number(r, c + 1, f64::from(x.max))?;
            ws.write_number(r, c + 2, f64::from(x.level))?;
            ws.write_string(r, c + 3, &x.level_name)?;
            let areas: Vec<String> = x
                .focus_areas
                .iter()
                .map(|k| self.function_label(k))
                .collect();
            ws.write_string(r, c + 4, areas.join(", "))?;
            ws.write_string(r, c + 5, if x.focus_areas_proposed { "yes" } else { "no" })?;
            ws.write_string(r, c + 6, x.maturity.level_name.as_deref().unwrap_or(""))?;
            ws.write_string(r, c + 7, x.maturity.held_back_by.join(", "))?;
            if let Some(ch) = &x.change {
                ws.write_number(r, c + 8, f64::from(ch.previous_total))?;
                ws.write_number(r, c + 9, ch.total as f64)?;
                for (k, (_, d)) in ch.functions.iter().enumerate() {
                    ws.write_number(r, c + 10 + k as u16, *d as f64)?;
                }
            }
        }
        let mut r = self.scored.len() as u32 + 1;
        if let Some(roll) = &self.rollup {
            ws.write_string_with_format(r, 0, "mean of all forms", &s.header)?;
            for (k, f) in roll.functions.iter().enumerate() {
                ws.write_number_with_format(r, 4 + k as u16, f.mean, &s.decimal)?;
            }
            ws.write_number_with_format(
                r,
                4 + roll.functions.len() as u16,
                roll.mean_total,
                &s.decimal,
            )?;
            r += 1;
        }
        // The chart's table: a row per function, a column per form (and
        // its last year), below the scores.
        r += 2;
        let top = r;
        let mut columns: Vec<(String, Vec<u32>)> = Vec::new();
        for x in &self.scored {
            let year = x.fiscal_year.map_or(String::new(), |y| format!(" FY{y}"));
            if let Some(ch) = &x.change {
                let last = ch
                    .previous_fiscal_year
                    .map_or(" last year".to_string(), |y| format!(" FY{y}"));
                columns.push((
                    format!("{}{last}", Self::title(x)),
                    ch.previous_scores.clone(),
                ));
            }
            columns.push((
                format!("{}{year}", Self::title(x)),
                x.functions.iter().map(|f| f.score).collect(),
            ));
        }
        let mut head = vec!["function".to_string()];
        head.extend(columns.iter().map(|c| c.0.clone()));
        header(ws, top, &head, s)?;
        for (k, f) in self.form.functions.iter().enumerate() {
            ws.write_string(top + 1 + k as u32, 0, &f.name)?;
            for (j, (_, scores)) in columns.iter().enumerate() {
                if let Some(v) = scores.get(k) {
                    ws.write_number(top + 1 + k as u32, 1 + j as u16, f64::from(*v))?;
                }
            }
        }
        let last = top + self.form.functions.len() as u32;
        let mut chart = Chart::new(ChartType::Column);
        chart.title().set_name("Score per function (out of 6)");
        for j in 0..columns.len() {
            let col = 1 + j as u16;
            chart
                .add_series()
                .set_name((SCORES, top, col))
                .set_categories((SCORES, top + 1, 0, last, 0))
                .set_values((SCORES, top + 1, col, last, col));
        }
        let max = self
            .form
            .functions
            .iter()
            .map(|f| self.form.max_of(&f.key))
            .max()
            .unwrap_or(6);
        chart.y_axis().set_min(0).set_max(f64::from(max));
        chart.set_width(720).set_height(360);
        ws.insert_chart(last + 2, 0, &chart)?;
        ws.set_freeze_panes(1, 2)?;
        ws.set_column_width(0, 30)?;
        ws.set_column_width(1, 28)?;
        Ok(())
    }

    fn maturity(&self, ws: &mut Worksheet, s: &Styles) -> Result<(), XlsxError> {
        let wrap = Format::new().set_text_wrap();
        header(
            ws,
            0,
            &[
                "service",
                "maturity_level",
                "what_it_means",
                "held_back_by",
                "next_level",
                "tactic",
                "how",
            ],
            s,
        )?;
        let mut r = 1;
        for x in &self.scored {
            let m = &x.maturity;
            let rows = m.next_level_tactics.len().max(1);
            for k in 0..rows {
                ws.write_string(r, 0, Self::title(x))?;
                ws.write_string(r, 1, m.level_name.as_deref().unwrap_or("not picked"))?;
                let summary = self
                    .form
                    .maturity
                    .levels
                    .iter()
                    .find(|l| m.level.as_deref() == Some(l.key.as_str()))
                    .map_or("", |l| l.summary.as_str());
                ws.write_string(r, 2, summary)?;
                ws.write_string(r, 3, m.held_back_by.join(", "))?;
                ws.write_string(r, 4, m.next_level.as_deref().unwrap_or(""))?;
                if let Some(t) = m.next_level_tactics.get(k) {
                    ws.write_string(r, 5, &t.title)?;
                    ws.write_string_with_format(r, 6, &t.text, &wrap)?;
                }
                r += 1;
            }
        }
        ws.set_column_width(0, 28)?;
        ws.set_column_width(1, 18)?;
        ws.set_column_width(2, 40)?;
        ws.set_column_range_width(3, 4, 18)?;
        ws.set_column_width(5, 40)?;
        ws.set_column_width(6, 80)?;
        ws.set_freeze_panes(1, 0)?;
        Ok(())
    }

    /// Each form's focus areas, with the next-level tactics as starting
    /// points for its actions.
    fn action_plan(&self, ws: &mut Worksheet, s: &Styles) -> Result<(), XlsxError> {
        let mut names = vec!["service"];
        names.extend(ACTION_PLAN_COLUMNS);
        header(ws, 0, &names, s)?;
        let wrap = Format::new().set_text_wrap();
        let mut r = 1;
        for x in &self.scored {
            for area in &x.focus_areas {
                let tactics = &x.maturity.next_level_tactics;
                for k in 0..tactics.len().max(1) {
                    ws.write_string(r, 0, Self::title(x))?;
                    ws.write_string(r, 1, self.function_label(area))?;
                    if let Some(t) = tactics.get(k) {
                        ws.write_string_with_format(
                            r,
                            2,
                            format!("Starting point: {} {}", t.title, t.text),
                            &wrap,
                        )?;
                    }
                    r += 1;
                }
            }
        }
        ws.set_column_range_width(0, 1, 24)?;
        ws.set_column_width(2, 70)?;
        ws.set_column_range_width(3, 7, 20)?;
        ws.set_freeze_panes(1, 0)?;
        Ok(())
    }

    fn validation(&self, ws: &mut Worksheet, s: &Styles) -> Result<(), XlsxError> {
        header(
            ws,
            0,
            &[
                "severity", "type", "file", "sheet", "row", "column", "field", "value", "message",
            ],
            s,
        )?;
        for (i, f) in self
            .findings
            .errors
            .iter()
            .chain(&self.findings.warnings)
            .enumerate()
        {
            let r = i as u32 + 1;
            ws.write_string(r, 0, f.severity.as_str())?;
            ws.write_string(r, 1, f.kind.slug())?;
            ws.write_string(r, 2, &*f.file)?;
            ws.write_string(r, 3, f.sheet.as_deref().unwrap_or(""))?;
            if let Some(row) = f.row {
                ws.write_number(r, 4, row as f64)?;
            }
            ws.write_string(r, 5, f.column.as_deref().unwrap_or(""))?;
            ws.write_string(r, 6, f.field.as_deref().unwrap_or(""))?;
            ws.write_string(r, 7, f.value.as_deref().unwrap_or(""))?;
            ws.write_string(r, 8, &f.message)?;
        }
        ws.set_column_width(8, 100)?;
        Ok(())
    }

    fn about(&self, ws: &mut Worksheet, s: &Styles) -> Result<(), XlsxError> {
        ws.write_string_with_format(0, 0, &self.form.title, &s.title)?;
        let cutoffs: Vec<String> = self.cutoffs.0.iter().map(u32::to_string).collect();
        let facts = [
            ("Form", format!("{} v{}", self.form.name, self.form.version)),
            ("Tool", format!("hisp {}", env!("CARGO_PKG_VERSION"))),
            ("Scoring", "one point per Yes; a score per function and a total".to_string()),
            (
                "CX level cut-offs",
                format!("level 1 up to {}, each next level above (--levels)", cutoffs.join(", level 2 up to ")),
            ),
            (
                "Maturity level",
                "the lowest level picked across core functions and indicators (levels cannot be skipped)".to_string(),
            ),
        ];
        for (i, (k, v)) in facts.iter().enumerate() {
            ws.write_string_with_format(2 + i as u32, 0, *k, &s.header)?;
            ws.write_string(2 + i as u32, 1, v)?;
        }
        let top = 3 + facts.len() as u32;
        header(ws, top, &["input", "sha256", "role"], s)?;
        for (r, (file, sha, role)) in (top + 1..).zip(&self.inputs) {
            ws.write_string(r, 0, file)?;
            ws.write_string(r, 1, sha)?;
            ws.write_string(r, 2, *role)?;
        }
        ws.set_column_width(0, 40)?;
        ws.set_column_width(1, 70)?;
        Ok(())
    }
}
