//! Convert a canonical CSV export to .xlsx the way Excel would hold it: dates
//! as date cells, numeric answers as numbers, everything else as text. Used to
//! build `fixtures/responses-fy2025.xlsx`:
//!
//!     cargo run --example csv_to_xlsx -- fixtures/responses-fy2025.csv fixtures/responses-fy2025.xlsx
//!
//! and, with the quirks of workbooks analysts pass around, the export-shape
//! fixture `fixtures/exports/titled.xlsx`:
//!
//!     cargo run --example csv_to_xlsx -- --notes-sheet --title "…" --title "…" --messy IN.csv OUT.xlsx
//!
//! `--notes-sheet` puts a sheet of notes before the data; each `--title` adds
//! a title row (merged across the table) above the header; `--messy` writes
//! some answers as text, some with float noise (3.9999999999), some as
//! formulas with cached values, and some dates as US text (2/25/2025 4:47:52 PM).

use rust_xlsxwriter::{DocProperties, ExcelDateTime, Format, Formula, Workbook};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    let mut titles = Vec::new();
    let mut notes_sheet = false;
    let mut messy = false;
    while let Some(flag) = args.first().filter(|a| a.starts_with("--")).cloned() {
        args.remove(0);
        match flag.as_str() {
            "--notes-sheet" => notes_sheet = true,
            "--messy" => messy = true,
            "--title" if !args.is_empty() => titles.push(args.remove(0)),
            _ => return Err(format!("unknown option {flag}").into()),
        }
    }
    let [input, output] = args.as_slice() else {
        return Err(
            "usage: csv_to_xlsx [--notes-sheet] [--title TEXT]... [--messy] INPUT.csv OUTPUT.xlsx"
                .into(),
        );
    };
    let mut reader = csv::Reader::from_path(input)?;
    let mut workbook = Workbook::new();
    let pinned = ExcelDateTime::from_ymd(2025, 4, 1)?;
    workbook.set_properties(&DocProperties::new().set_creation_datetime(&pinned));
    if notes_sheet {
        let notes = workbook.add_worksheet().set_name("Notes")?;
        notes.write_string(0, 0, "About this export")?;
        notes.write_string(
            1,
            0,
            "Responses to the post-transaction survey, one row each.",
        )?;
        notes.write_string(2, 0, "Questions use the A-11 five-point agreement scale.")?;
    }
    let sheet = workbook.add_worksheet().set_name("Responses")?;
    let date_format = Format::new().set_num_format("yyyy-mm-dd hh:mm:ss");
    let headers = reader.headers()?.clone();
    let top = titles.len() as u32;
    let last_col = headers.len().saturating_sub(1) as u16;
    for (r, title) in titles.iter().enumerate() {
        sheet.merge_range(r as u32, 0, r as u32, last_col, title, &Format::new())?;
    }
    for (col, h) in headers.iter().enumerate() {
        sheet.write_string(top, col as u16, h)?;
    }
    for (i, record) in reader.records().enumerate() {
        let record = record?;
        let row = top + i as u32 + 1;
        for (col, value) in record.iter().enumerate() {
            let col = col as u16;
            if value.is_empty() {
                continue;
            }
            let quirk = messy.then_some((i + col as usize) % 11);
            if headers.get(col as usize) == Some("submitted_at") {
                let text = if value.len() == 10 {
                    format!("{value} 00:00:00")
                } else {
                    value.to_string()
                };
                if quirk == Some(0) {
                    sheet.write_string(row, col, us_text(&text))?;
                    continue;
                }
                let when = ExcelDateTime::parse_from_str(&text)?;
                sheet.write_datetime_with_format(row, col, &when, &date_format)?;
            } else if let Ok(n) = value.parse::<f64>() {
                match quirk {
                    Some(1) => sheet.write_string(row, col, value)?,
                    Some(2) => sheet.write_number(row, col, n - 1e-10)?,
                    Some(3) => sheet.write_formula(
                        row,
                        col,
                        Formula::new(format!("=1+{}", n - 1.0)).set_result(value),
                    )?,
                    _ => sheet.write_number(row, col, n)?,
                };
            } else {
                sheet.write_string(row, col, value)?;
            }
        }
    }
    workbook.save(output)?;
    Ok(())
}

/// `2025-02-25 16:47:52` as a US user types it: `2/25/2025 4:47:52 PM`.
fn us_text(iso: &str) -> String {
    let (date, time) = iso.split_once(' ').unwrap_or((iso, "00:00:00"));
    let d: Vec<u32> = date.split('-').filter_map(|p| p.parse().ok()).collect();
    let t: Vec<u32> = time.split(':').filter_map(|p| p.parse().ok()).collect();
    let (h, meridiem) = match t[0] {
        0 => (12, "AM"),
        h @ 1..=11 => (h, "AM"),
        12 => (12, "PM"),
        h => (h - 12, "PM"),
    };
    format!(
        "{}/{}/{} {h}:{:02}:{:02} {meridiem}",
        d[1], d[2], d[0], t[1], t[2]
    )
}
