//! The floor for benchmarks: read every record of a CSV file with the csv
//! crate (or every row of an Excel sheet with calamine) and do nothing else.
//!
//!     cargo run --release --example floor -- big.csv
//!     cargo run --release --example floor -- big.xlsx

use calamine::{Reader, open_workbook_auto};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let path = std::env::args()
        .nth(1)
        .ok_or("usage: floor FILE.csv|FILE.xlsx")?;
    let rows = if path.to_ascii_lowercase().ends_with(".xlsx") {
        let mut workbook = open_workbook_auto(&path)?;
        let first = workbook.sheet_names().first().cloned().ok_or("no sheet")?;
        workbook.worksheet_range(&first)?.rows().count() as u64
    } else {
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .from_path(&path)?;
        let mut record = csv::ByteRecord::new();
        let mut rows = 0u64;
        while reader.read_byte_record(&mut record)? {
            rows += 1;
        }
        rows
    };
    println!("{rows}");
    Ok(())
}
