//! A realistic export of tens of thousands of messy rows, generated here with
//! a fixed seed, counted independently by the plainest code possible, and
//! compared with every count in the workbook `hisp report` writes.

mod common;
use common::*;

use std::collections::HashMap;
use std::fmt::Write as _;

/// xorshift64*: a tiny deterministic generator, so the test needs no crate.
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
    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len() as u64) as usize]
    }
}

const SERVICES: [&str; 4] = [
    "Passport Renewal",
    "Tax Return Help",
    "Veterans Health Scheduling",
    "Social Security Card",
];
const TOUCHPOINTS: [&str; 3] = ["Online application", "Phone line", "Field office visit"];
/// Channel spellings as exports have them, and the code each means.
const CHANNELS: [(&str, &str); 7] = [
    ("computer", "computer"),
    ("Computer", "computer"),
    ("In person", "in_person"),
    ("in-person", "in_person"),
    ("phone", "phone"),
    ("Automated Phone", "automated_phone"),
    ("email", "email"),
];
const LABELS: [&str; 5] = [
    "Strongly disagree",
    "disagree",
    "Neither agree nor disagree",
    "AGREE",
    "strongly agree",
];

type Key = (String, String, String);

#[derive(Default, PartialEq, Debug)]
struct Expected {
    respondents: u64,
    counts: [[u64; 5]; 7],
}

#[test]
fn thirty_thousand_messy_rows_are_counted_exactly() {
    let mut rng = Rng(0x5EED_2025_0214);
    let mut csv = String::from(
        "response_id,submitted_at,service,touchpoint,channel,satisfaction,trust,effectiveness,ease,efficiency,transparency,employee,comment\r\n",
    );
    let mut expected: HashMap<Key, Expected> = HashMap::new();
    let mut in_quarter = 0u64;
    for i in 0..30_000u32 {
        // FY2025 Q1, Q2 and Q3, with the boundary seconds now and then.
        let (y, m) = [
            (2024, 11),
            (2024, 12),
            (2025, 1),
            (2025, 2),
            (2025, 3),
            (2025, 4),
        ][rng.below(6) as usize];
        let d = 1 + rng.below(28);
        let time = match rng.below(50) {
            0 => "23:59:59".to_string(),
            1 => "00:00:00".to_string(),
            _ => format!(
                "{:02}:{:02}:{:02}",
                rng.below(24),
                rng.below(60),
                rng.below(60)
            ),
        };
        let (y, m, d) = match rng.below(200) {
            0 => (2024, 12, 31),
            1 => (2025, 3, 31),
            2 => (2025, 1, 1),
            3 => (2025, 4, 1),
            _ => (y, m, d),
        };
        let when = if rng.below(10) == 0 {
            format!("{y}-{m:02}-{d:02}")
        } else {
            format!("{y}-{m:02}-{d:02}T{time}")
        };
        let counted = y == 2025 && m <= 3;
        let service = rng.pick(&SERVICES);
        // Stray spaces and a lower-case variant: the same survey.
        let service_cell = match rng.below(20) {
            0 => format!("  {service} "),
            1 => service.to_lowercase(),
            _ => service.to_string(),
        };
        let touchpoint = rng.pick(&TOUCHPOINTS);
        let (channel_cell, channel) = CHANNELS[rng.below(CHANNELS.len() as u64) as usize];
        let mut answers = [None; 7];
        let mut cells = Vec::new();
        for (q, answer) in answers.iter_mut().enumerate() {
            let cell = match rng.below(20) {
                0 | 1 => String::new(),
                2 if q == 6 => "N/A".to_string(),
                3 | 4 => {
                    let v = rng.below(5) as usize;
                    *answer = Some(v);
                    LABELS[v].to_string()
                }
                5 => {
                    let v = rng.below(5) as usize;
                    *answer = Some(v);
                    format!("{}.0", v + 1)
                }
                _ => {
                    let v = rng.below(5) as usize;
                    *answer = Some(v);
                    (v + 1).to_string()
                }
            };
            cells.push(cell);
        }
        let comment = match rng.below(6) {
            0 => "\"Slow, but \"\"fine\"\" in the end\"".to_string(),
            1 => "\"=SUM(A1:A9)\r\nsecond line\"".to_string(),
            _ => String::new(),
        };
        let _ = write!(
            csv,
            "R{i},{when},{service_cell},{touchpoint},{channel_cell},{},{comment}\r\n",
            cells.join(",")
        );
        if counted {
            in_quarter += 1;
            let e = expected
                .entry((
                    service.to_lowercase(),
                    touchpoint.to_lowercase(),
                    channel.to_string(),
                ))
                .or_default();
            for (q, a) in answers.iter().enumerate() {
                if let Some(v) = a {
                    e.counts[q][*v] += 1;
                }
            }
            if answers.iter().any(Option::is_some) {
                e.respondents += 1;
            }
        }
    }
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("export.csv");
    std::fs::write(&input, &csv).unwrap();
    let out = dir.path().join("report.xlsx");
    let run = hisp(&[
        "report",
        &input.display().to_string(),
        "-o",
        &out.display().to_string(),
        "--fiscal-year",
        "2025",
        "--quarter",
        "2",
        "-q",
    ]);
    assert_eq!(code(&run), 0, "{}{}", stdout(&run), stderr(&run));

    let (header, rows) = records(&out, "Quarterly Data");
    let mut got: HashMap<Key, Expected> = HashMap::new();
    for row in &rows {
        let key = (
            text(&row[col(&header, "service_name")]).to_lowercase(),
            text(&row[col(&header, "transaction_point")]).to_lowercase(),
            text(&row[col(&header, "channel")]),
        );
        let mut e = Expected {
            respondents: num(&row[col(&header, "volume_of_respondents")]) as u64,
            ..Expected::default()
        };
        for (q, counts) in e.counts.iter_mut().enumerate() {
            for (k, count) in counts.iter_mut().enumerate() {
                *count = num(&row[col(&header, &format!("q{}_{}", q + 1, k + 1))]) as u64;
            }
        }
        assert!(got.insert(key, e).is_none(), "one row per survey");
    }
    assert_eq!(got.len(), expected.len());
    for (key, e) in &expected {
        assert_eq!(got.get(key), Some(e), "survey {key:?}");
    }
    let about = sheet(&out, "About");
    let input_row = about
        .iter()
        .find(|r| text(&r[0]).ends_with("export.csv"))
        .unwrap();
    assert_eq!(num(&input_row[5]), 30_000.0, "rows read");
    assert_eq!(num(&input_row[9]), in_quarter as f64, "rows in quarter");
}
