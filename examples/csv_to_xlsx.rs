//! Convert a canonical CSV export to .xlsx the way Excel would hold it: dates
//! as date cells, numeric answers as numbers, everything else as text. Used to
//! build `fixtures/responses-fy2025.xlsx`:
//!
//!     cargo run --example csv_to_xlsx -- fixtures/responses-fy2025.csv fixtures/responses-fy2025.xlsx

use rust_xlsxwriter::{DocProperties, ExcelDateTime, Format, Workbook};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [input, output] = args.as_slice() else {
        return Err("usage: csv_to_xlsx INPUT.csv OUTPUT.xlsx".into());
    };
    let mut reader = csv::Reader::from_path(input)?;
    let mut workbook = Workbook::new();
    let pinned = ExcelDateTime::from_ymd(2025, 4, 1)?;
    workbook.set_properties(&DocProperties::new().set_creation_datetime(&pinned));
    let sheet = workbook.add_worksheet().set_name("Responses")?;
    let date_format = Format::new().set_num_format("yyyy-mm-dd hh:mm:ss");
    let headers = reader.headers()?.clone();
    for (col, h) in headers.iter().enumerate() {
        sheet.write_string(0, col as u16, h)?;
    }
    for (i, record) in reader.records().enumerate() {
        let record = record?;
        let row = i as u32 + 1;
        for (col, value) in record.iter().enumerate() {
            let col = col as u16;
            if value.is_empty() {
                continue;
            }
            if headers.get(col as usize) == Some("submitted_at") {
                let text = if value.len() == 10 {
                    format!("{value} 00:00:00")
                } else {
                    value.to_string()
                };
                let when = ExcelDateTime::parse_from_str(&text)?;
                sheet.write_datetime_with_format(row, col, &when, &date_format)?;
            } else if let Ok(n) = value.parse::<f64>() {
                sheet.write_number(row, col, n)?;
            } else {
                sheet.write_string(row, col, value)?;
            }
        }
    }
    workbook.save(output)?;
    Ok(())
}
