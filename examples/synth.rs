//! Synthetic survey exports for benchmarks: realistic A-11 v1 or v2 exports
//! of any size, seeded so that a run can be repeated exactly.
//!
//!     cargo run --release --example synth -- --rows 1000000 -o big.csv
//!     cargo run --release --example synth -- --template v2 --rows 1000000 -o big-v2.csv
//!     cargo run --release --example synth -- --rows 1000000 -o big.xlsx
//!
//! The v1 export has 5 services × 4 touchpoints, channels spelled six ways,
//! dates across FY2025 Q1 to Q3 (Q2 in the middle; `--all-time`: FY2024 Q1
//! to FY2025 Q4, evenly), skipped questions,
//! `N/A`, answers written as labels in any letter case, and comments with
//! commas, quotes and newlines. The v2 export has the same surveys with a
//! trust question (thumbs or 1-5 by survey), drivers on the right side,
//! `null` for drivers a form does not offer, and comments. `.xlsx` output
//! (by extension) holds dates as date cells and answers as numbers, written
//! in constant memory.

use hisp::names::{DRIVERS, UPLOAD_COLUMNS};
use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};
use std::io::{BufWriter, Write};

const SERVICES: [&str; 5] = [
    "Passport Renewal",
    "Tax Return Help",
    "Veterans Health Scheduling",
    "Medicare Enrollment",
    "Social Security Card",
];
const TOUCHPOINTS: [&str; 4] = [
    "Online application",
    "Phone line",
    "Field office visit",
    "Secure messaging",
];
const CHANNELS: [&str; 6] = [
    "computer",
    "Computer",
    "phone",
    "In person",
    "in-person",
    "email",
];
const V2_CHANNELS: [&str; 4] = ["computer", "phone", "in_person", "email"];
const V2_POINTS: [&str; 3] = ["post_interaction", "post_service_journey", "relational"];
const LABELS: [&str; 5] = [
    "Strongly disagree",
    "Disagree",
    "Neither agree nor disagree",
    "Agree",
    "Strongly agree",
];
const COMMENTS: [&str; 6] = [
    "Quick and easy, thanks!",
    "Wait was long, but the agent said \"we'll call you back\" and did.",
    "Form kept timing out; had to start over, twice.",
    "Line one of my comment.\nLine two, after a newline.",
    "Great staff; slow website.",
    "ok",
];

/// xorshift64*: small, fast and deterministic.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
    fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }
    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len() as u64) as usize]
    }
}

struct Options {
    rows: u64,
    v2: bool,
    seed: u64,
    dates: Dates,
    output: String,
}

/// Which quarters the generated responses fall in.
#[derive(Clone, Copy)]
enum Dates {
    /// FY2025 Q1–Q3, Q2 about half: one quarter's report with its previous.
    Fy2025,
    /// FY2024 Q1 to FY2025 Q4, evenly: an all-time export of eight quarters.
    AllTime,
}

fn parse_args() -> Result<Options, String> {
    let mut options = Options {
        rows: 100_000,
        v2: false,
        seed: 20250214,
        dates: Dates::Fy2025,
        output: String::new(),
    };
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut value = || args.next().ok_or(format!("{arg} needs a value"));
        match arg.as_str() {
            "--rows" => options.rows = value()?.parse().map_err(|e| format!("--rows: {e}"))?,
            "--seed" => options.seed = value()?.parse().map_err(|e| format!("--seed: {e}"))?,
            "--template" => options.v2 = value()? == "v2",
            "--all-time" => options.dates = Dates::AllTime,
            "-o" | "--output" => options.output = value()?,
            _ => return Err(format!("unknown argument {arg}")),
        }
    }
    if options.output.is_empty() {
        return Err(
            "usage: synth [--rows N] [--template v1|v2] [--seed S] [--all-time] -o FILE.csv|FILE.xlsx".into(),
        );
    }
    Ok(options)
}

/// One generated row, as cells.
type Row = Vec<Cell>;

enum Cell {
    Text(String),
    Number(f64),
    /// `YYYY-MM-DD hh:mm:ss`
    Date(String),
    Empty,
}

/// A date in FY2025 Q1–Q3 (2024-10-01 to 2025-06-30), Q2 about half; or,
/// for an all-time export, any month from 2023-10 to 2025-09.
fn date(rng: &mut Rng, dates: Dates) -> String {
    let (year, month) = match dates {
        Dates::Fy2025 => match rng.below(100) {
            0..=24 => (2024, 10 + rng.below(3)),
            25..=74 => (2025, 1 + rng.below(3)),
            _ => (2025, 4 + rng.below(3)),
        },
        Dates::AllTime => {
            let months_since_october_2023 = rng.below(24);
            let month0 = 9 + months_since_october_2023; // 0-based from January 2023
            (2023 + month0 / 12, 1 + month0 % 12)
        }
    };
    let day = 1 + rng.below(28);
    format!(
        "{year}-{month:02}-{day:02} {:02}:{:02}:{:02}",
        rng.below(24),
        rng.below(60),
        rng.below(60)
    )
}

fn v1_row(rng: &mut Rng, i: u64, dates: Dates) -> Row {
    let mut row = vec![
        Cell::Text(format!("R{i}")),
        Cell::Date(date(rng, dates)),
        Cell::Text(rng.pick(&SERVICES).into()),
        Cell::Text(rng.pick(&TOUCHPOINTS).into()),
        Cell::Text(rng.pick(&CHANNELS).into()),
    ];
    for _ in 0..7 {
        let answer = 1 + rng.below(5) as usize;
        row.push(match rng.below(100) {
            0..=6 => Cell::Empty,
            7..=8 => Cell::Text("N/A".into()),
            9..=15 => Cell::Text(LABELS[answer - 1].into()),
            16..=18 => Cell::Text(LABELS[answer - 1].to_lowercase()),
            _ => Cell::Number(answer as f64),
        });
    }
    row.push(if rng.chance(15) {
        Cell::Text(rng.pick(&COMMENTS).into())
    } else {
        Cell::Empty
    });
    row
}

fn v2_row(rng: &mut Rng, i: u64, dates: Dates) -> Row {
    let service = rng.below(SERVICES.len() as u64) as usize;
    let point = rng.below(V2_POINTS.len() as u64) as usize;
    let channel = rng.below(V2_CHANNELS.len() as u64) as usize;
    // Thumbs for odd services, 1-5 for even; humanity and other are not
    // offered on some forms.
    let likert = service.is_multiple_of(2);
    let offers_humanity = !(service + point).is_multiple_of(3);
    let answer = if likert {
        1 + rng.below(5)
    } else {
        rng.below(2)
    };
    let positive = if likert { answer >= 4 } else { answer == 1 };
    let mut row = vec![
        Cell::Text(SERVICES[service].into()),
        Cell::Text(V2_POINTS[point].into()),
        Cell::Text(V2_CHANNELS[channel].into()),
        Cell::Date(date(rng, dates)),
        Cell::Text(format!("X{i}")),
        Cell::Number(answer as f64),
    ];
    for side_positive in [true, false] {
        for driver in DRIVERS {
            let offered = match driver {
                "humanity" => offers_humanity,
                "other" => service != 4,
                _ => true,
            };
            row.push(if !offered {
                Cell::Text("null".into())
            } else if side_positive == positive && rng.chance(30) {
                Cell::Number(1.0)
            } else {
                Cell::Number(0.0)
            });
        }
    }
    row.push(if rng.chance(15) {
        Cell::Text(rng.pick(&COMMENTS).into())
    } else {
        Cell::Empty
    });
    row
}

fn header(v2: bool) -> Vec<String> {
    if v2 {
        // The survey keys and date, then the upload columns but external_id.
        [
            "service",
            "transaction_point",
            "channel",
            "submitted_at",
            "external_id",
        ]
        .into_iter()
        .chain(UPLOAD_COLUMNS.into_iter().skip(1))
        .map(str::to_string)
        .collect()
    } else {
        "response_id,submitted_at,service,touchpoint,channel,satisfaction,trust,effectiveness,ease,efficiency,transparency,employee,comment"
            .split(',')
            .map(str::to_string)
            .collect()
    }
}

fn write_csv(options: &Options) -> Result<(), Box<dyn std::error::Error>> {
    let file = std::fs::File::create(&options.output)?;
    let mut out = csv::Writer::from_writer(BufWriter::with_capacity(1 << 20, file));
    out.write_record(header(options.v2))?;
    let mut rng = Rng(options.seed.max(1));
    let mut record: Vec<String> = Vec::new();
    for i in 0..options.rows {
        let row = if options.v2 {
            v2_row(&mut rng, i, options.dates)
        } else {
            v1_row(&mut rng, i, options.dates)
        };
        record.clear();
        record.extend(row.into_iter().map(|c| match c {
            Cell::Text(t) | Cell::Date(t) => t,
            Cell::Number(n) => format!("{n}"),
            Cell::Empty => String::new(),
        }));
        out.write_record(&record)?;
    }
    out.into_inner()?.flush()?;
    Ok(())
}

fn write_xlsx(options: &Options) -> Result<(), Box<dyn std::error::Error>> {
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet_with_constant_memory()?;
    sheet.set_name("Responses")?;
    let date_format = Format::new().set_num_format("yyyy-mm-dd hh:mm:ss");
    for (c, h) in header(options.v2).iter().enumerate() {
        sheet.write_string(0, c as u16, h)?;
    }
    let mut rng = Rng(options.seed.max(1));
    for i in 0..options.rows {
        let row = if options.v2 {
            v2_row(&mut rng, i, options.dates)
        } else {
            v1_row(&mut rng, i, options.dates)
        };
        let r = i as u32 + 1;
        for (c, cell) in row.into_iter().enumerate() {
            let c = c as u16;
            match cell {
                Cell::Text(t) => {
                    sheet.write_string(r, c, t)?;
                }
                Cell::Number(n) => {
                    sheet.write_number(r, c, n)?;
                }
                Cell::Date(d) => {
                    let when = ExcelDateTime::parse_from_str(&d)?;
                    sheet.write_datetime_with_format(r, c, &when, &date_format)?;
                }
                Cell::Empty => {}
            }
        }
    }
    workbook.save(&options.output)?;
    Ok(())
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let options = parse_args()?;
    if options.output.to_ascii_lowercase().ends_with(".xlsx") {
        write_xlsx(&options)
    } else {
        write_csv(&options)
    }
}
