//! `hisp trend` over four fiscal quarters: every share, interval, change,
//! p-value and significance recomputed here, independently of the crate,
//! and compared with the JSON and the workbook cell by cell.

mod common;
use common::*;

use serde_json::Value;
use std::collections::BTreeMap;

const DRIVERS: usize = 14;

/// (service, quarter's date, thumbs up, respondents): the trust question of
/// an A-11 v2 thumbs survey, four quarters of FY2025.
const PLAN: [(&str, &str, u64, u64); 8] = [
    ("Passport Renewal", "2024-11-15", 40, 100),
    ("Passport Renewal", "2025-02-15", 60, 100),
    ("Passport Renewal", "2025-05-15", 62, 100),
    ("Passport Renewal", "2025-08-15", 20, 25),
    ("Tax Return Help", "2024-11-15", 30, 60),
    ("Tax Return Help", "2025-02-15", 33, 60),
    ("Tax Return Help", "2025-05-15", 45, 60),
    ("Tax Return Help", "2025-08-15", 44, 60),
];

fn export() -> String {
    let mut text =
        String::from("service,transaction_point,channel,submitted_at,external_id,question_1");
    for side in ["positive", "negative"] {
        for d in hisp::names::DRIVERS {
            text.push_str(&format!(",{side}_{d}"));
        }
    }
    text.push_str(",question_4\n");
    let mut id = 0;
    for (service, date, up, n) in PLAN {
        for k in 0..n {
            id += 1;
            let trust = u64::from(k < up);
            // "Ease" went well for half of those who trusted.
            let mut drivers = vec!["0"; DRIVERS];
            if k < up / 2 {
                drivers[1] = "1";
            }
            let drivers = drivers.join(",");
            text.push_str(&format!(
                "{service},post_interaction,computer,{date},id-{id},{trust},{drivers},\n"
            ));
        }
    }
    // 03:00 UTC on 1 January is 22:00 on 31 December in Washington: Q1.
    id += 1;
    text.push_str(&format!(
        "Tax Return Help,post_interaction,computer,2025-01-01T03:00:00Z,id-{id},1,{},\n",
        vec!["0"; DRIVERS].join(",")
    ));
    text
}

/// The standard normal distribution function (Abramowitz & Stegun 7.1.26
/// erf, error below 1.5e-7: enough for p-values to 4 decimals).
fn phi(z: f64) -> f64 {
    let x = z.abs() / std::f64::consts::SQRT_2;
    let t = 1.0 / (1.0 + 0.327_591_1 * x);
    let erf = 1.0
        - (((((1.061_405_429 * t - 1.453_152_027) * t) + 1.421_413_741) * t - 0.284_496_736) * t
            + 0.254_829_592)
            * t
            * (-x * x).exp();
    if z >= 0.0 {
        0.5 * (1.0 + erf)
    } else {
        0.5 * (1.0 - erf)
    }
}

fn p_value(x1: u64, n1: u64, x2: u64, n2: u64) -> f64 {
    let (p1, p2) = (x1 as f64 / n1 as f64, x2 as f64 / n2 as f64);
    let pooled = (x1 + x2) as f64 / (n1 + n2) as f64;
    let se = (pooled * (1.0 - pooled) * (1.0 / n1 as f64 + 1.0 / n2 as f64)).sqrt();
    2.0 * (1.0 - phi(((p2 - p1) / se).abs()))
}

/// What the trend must say, per service and quarter: (count, of).
fn expected() -> BTreeMap<(&'static str, usize), (u64, u64)> {
    let mut out = BTreeMap::new();
    for (i, (service, _, up, n)) in PLAN.iter().enumerate() {
        out.insert((*service, i % 4), (*up, *n));
    }
    // The UTC response of 1 January counts in Q1.
    let q1 = out.get_mut(&("Tax Return Help", 0)).unwrap();
    *q1 = (q1.0 + 1, q1.1 + 1);
    out
}

#[test]
fn four_quarters_with_intervals_changes_and_significance() {
    let dir = tempfile::tempdir().unwrap();
    let input = write(dir.path(), "all-time.csv", &export());
    let out = dir.path().join("trend.xlsx");
    let run = hisp(&[
        "trend",
        &input,
        "--from",
        "FY2025Q1",
        "--to",
        "FY2025Q4",
        "-o",
        out.to_str().unwrap(),
        "--format",
        "json",
    ]);
    assert_eq!(code(&run), 0, "{}", stderr(&run));
    let doc: Value = serde_json::from_str(&stdout(&run)).unwrap();
    assert_eq!(
        doc["quarters"],
        serde_json::json!(["FY2025Q1", "FY2025Q2", "FY2025Q3", "FY2025Q4"])
    );
    let expected = expected();
    let mut points = 0;
    let mut significant = Vec::new();
    for service in doc["services"].as_array().unwrap() {
        let name = service["service"].as_str().unwrap();
        let all = service["series"].as_array().unwrap();
        // Every driver's share is checked the same way, from its counts.
        for p in all.iter().filter(|p| p["driver"] == true) {
            let (count, of) = (p["count"].as_u64().unwrap(), p["of"].as_u64().unwrap());
            let (lo, hi) = wilson(count, of);
            assert_eq!(
                (
                    p["ci_low"].as_f64().unwrap(),
                    p["ci_high"].as_f64().unwrap()
                ),
                (lo, hi),
                "{p}"
            );
        }
        let ease: Vec<u64> = all
            .iter()
            .filter(|p| p["measure"] == "positive_ease")
            .map(|p| p["count"].as_u64().unwrap())
            .collect();
        let ups: Vec<u64> = PLAN
            .iter()
            .filter(|p| p.0 == name)
            .map(|p| p.2 / 2)
            .collect();
        assert_eq!(ease, ups, "{name}");
        let series: Vec<&Value> = all.iter().filter(|p| p["measure"] == "trust").collect();
        assert_eq!(series.len(), 4, "{name}");
        for (q, p) in series.iter().enumerate() {
            let (count, of) = expected[&(
                if name == "Passport Renewal" {
                    "Passport Renewal"
                } else {
                    "Tax Return Help"
                },
                q,
            )];
            assert_eq!(p["measure"], "trust");
            assert_eq!(
                (p["count"].as_u64(), p["of"].as_u64()),
                (Some(count), Some(of)),
                "{name} {q}"
            );
            let share = (count as f64 * 10_000.0 / of as f64).round() / 100.0;
            assert_eq!(p["share"].as_f64().unwrap(), share);
            let (lo, hi) = wilson(count, of);
            assert_eq!(
                (
                    p["ci_low"].as_f64().unwrap(),
                    p["ci_high"].as_f64().unwrap()
                ),
                (lo, hi)
            );
            assert_eq!(p["small_n"], of < 30);
            if q == 0 {
                assert_eq!(p["change"], Value::Null);
                continue;
            }
            let (c0, n0) = expected[&(
                if name == "Passport Renewal" {
                    "Passport Renewal"
                } else {
                    "Tax Return Help"
                },
                q - 1,
            )];
            let before = (c0 as f64 * 10_000.0 / n0 as f64).round() / 100.0;
            assert!((p["change"].as_f64().unwrap() - (share - before)).abs() < 0.006);
            let pv = p_value(c0, n0, count, of);
            assert!(
                (p["p_value"].as_f64().unwrap() - pv).abs() < 1e-4,
                "{name} {q}: {pv}"
            );
            let sig = pv < 0.05 && of >= 30 && n0 >= 30;
            assert_eq!(p["significant"], sig, "{name} {q}");
            if sig {
                significant.push((name.to_string(), q));
            }
            points += 1;
        }
    }
    assert_eq!(points, 6);
    // 40% → 60% of 100 is real; 60% → 80% of 25 is small-n; 33 → 45 of 60
    // (p = 0.026) is real.
    assert_eq!(
        significant,
        [
            ("Passport Renewal".to_string(), 1),
            ("Tax Return Help".to_string(), 2)
        ]
    );

    // The workbook holds the same table, and the significant changes only,
    // largest first.
    let (header, rows) = records(&out, "Trend");
    let at = |row: &Vec<calamine::Data>, name: &str| {
        row[header.iter().position(|h| h == name).unwrap()].clone()
    };
    let services: Vec<_> = rows
        .iter()
        .filter(|r| text(&at(r, "scope")) == "service" && text(&at(r, "measure")) == "trust")
        .collect();
    assert_eq!(services.len(), 8);
    assert_eq!(text(&at(services[1], "quarter")), "FY2025Q2");
    assert_eq!(num(&at(services[1], "share")), 60.0);
    assert_eq!(num(&at(services[1], "change")), 20.0);
    let rows = sheet(&out, "Significant changes");
    let listed: Vec<(String, String, String)> = rows[1..]
        .iter()
        .map(|r| (text(&r[1]), text(&r[7]), text(&r[10])))
        .collect();
    // Each service's trust change, the same change of its one survey, and
    // the overall one, largest first: Passport 40% → 60% of 100, Tax 55% →
    // 75% of 60; overall 71 of 161 (with the Tax response of 1 January
    // 03:00 UTC, in Q1) = 44.10% → 93 of 160 = 58.13%, 14.03 points.
    let expected = [
        ("Passport Renewal", "FY2025Q2", "20"),
        ("Tax Return Help", "FY2025Q3", "20"),
        ("Passport Renewal", "FY2025Q2", "20"),
        ("Tax Return Help", "FY2025Q3", "20"),
        ("", "FY2025Q2", "14.03"),
    ]
    .map(|(a, b, c)| (a.to_string(), b.to_string(), c.to_string()));
    assert_eq!(listed, expected);
    assert_eq!(listed[0].2, "20", "largest first: {listed:?}");
    assert!(
        listed
            .iter()
            .any(|l| l.0 == "Tax Return Help" && l.1 == "FY2025Q3")
    );
    let charts = sheet(&out, "Charts");
    assert_eq!(text(&charts[0][0]), "Passport Renewal");
    // Drivers, the latest quarter first and the largest move first: "ease"
    // went well for Tax Return Help's 22 of 45 trusting respondents in Q3
    // and 22 of 44 in Q4 (+1.11 points; Passport's 31/62 → 10/20 is +0).
    let drivers = sheet(&out, "Drivers");
    let first: Vec<String> = drivers[1][..3].iter().map(text).collect();
    assert_eq!(first, ["FY2025Q4", "Tax Return Help", "positive_ease"]);
    assert_eq!(num(&drivers[1][4]), 1.11);
    assert_eq!(text(&drivers[1][6]), "");
}

#[test]
fn quarters_outside_the_span_are_counted_not_errors() {
    let dir = tempfile::tempdir().unwrap();
    let input = write(dir.path(), "all-time.csv", &export());
    let run = hisp(&[
        "trend",
        &input,
        "--from",
        "FY2025Q2",
        "--to",
        "FY2025Q3",
        "--format",
        "json",
        "--report-format",
        "json",
    ]);
    assert_eq!(code(&run), 0, "{}", stderr(&run));
    let doc: Value = serde_json::from_str(&stdout(&run)).unwrap();
    assert_eq!(doc["quarters"], serde_json::json!(["FY2025Q2", "FY2025Q3"]));
    // The first quarter of the span has no change: its previous is outside.
    let trust: Vec<&Value> = doc["overall"]["series"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| p["measure"] == "trust")
        .collect();
    assert_eq!(trust[0]["change"], Value::Null);
    assert!(trust[1]["change"].is_number());
    let run = hisp(&["trend", &input, "--from", "FY2025Q3", "--to", "FY2025Q2"]);
    assert_eq!(code(&run), 2);
    let run = hisp(&["trend", &input, "--from", "2025Q5"]);
    assert_eq!(code(&run), 2);
}

/// `report` compares each share with the previous quarter's, counted from
/// the same inputs in the same pass; the previous quarter's bad rows are
/// last quarter's business, not errors of this report.
#[test]
fn a_report_sets_each_share_beside_the_previous_quarters() {
    let dir = tempfile::tempdir().unwrap();
    let mut csv_text = export();
    csv_text.push_str(&format!(
        "Passport Renewal,post_interaction,computer,2024-12-01,bad-1,7,{},\n",
        vec!["0"; DRIVERS].join(",")
    ));
    let input = write(dir.path(), "all-time.csv", &csv_text);
    let out = dir.path().join("report.xlsx");
    let run = hisp(&[
        "report",
        &input,
        "--fiscal-year",
        "2025",
        "--quarter",
        "2",
        "-o",
        out.to_str().unwrap(),
    ]);
    assert_eq!(code(&run), 0, "{}\n{}", stdout(&run), stderr(&run));
    let (header, rows) = records(&out, "Previous quarter");
    assert_eq!(header[6], "share FY2025Q1");
    assert_eq!(header[8], "share FY2025Q2");
    let passport = rows
        .iter()
        .find(|r| text(&r[0]) == "service" && text(&r[1]) == "Passport Renewal")
        .unwrap();
    let col = |name: &str| header.iter().position(|h| h == name).unwrap();
    assert_eq!(num(&passport[col("share FY2025Q1")]), 40.0);
    assert_eq!(num(&passport[col("share FY2025Q2")]), 60.0);
    assert_eq!(num(&passport[col("change")]), 20.0);
    let pv = p_value(40, 100, 60, 100);
    assert!((num(&passport[col("p_value")]) - pv).abs() < 1e-4);
    assert_eq!(text(&passport[col("significant")]), "true");
    // The quarter's own figures are as before: Q2 only.
    let (header, rows) = records(&out, "Summary");
    let respondents = header
        .iter()
        .position(|h| h == "volume_of_respondents")
        .unwrap();
    let overall = rows.iter().find(|r| text(&r[0]) == "overall").unwrap();
    assert_eq!(num(&overall[respondents]), 160.0);
    // Checked on its own, the previous quarter's bad row is an error.
    let (status, _) = validate_json(&[&input, "--fiscal-year", "2025", "--quarter", "1"]);
    assert_eq!(status, 1);
}

/// Earlier quarters kept only as counts: hisp's own Quarterly Data table
/// for FY2025 Q1 and the responses of Q2 give the trend that all the
/// responses give.
#[test]
fn a_quarterly_data_table_stands_in_for_its_quarters_responses() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("q1.xlsx");
    let run = hisp(&[
        "report",
        &fixture("responses-fy2025.csv"),
        "--services",
        &fixture("services.csv"),
        "--fiscal-year",
        "2025",
        "--quarter",
        "1",
        "-o",
        out.to_str().unwrap(),
        "--csv",
        dir.path().to_str().unwrap(),
    ]);
    assert_eq!(code(&run), 0, "{}", stderr(&run));
    let table = dir.path().join("q1-quarterly-data.csv");
    // The responses of Q2 only.
    let mut reader = csv::Reader::from_path(fixture("responses-fy2025.csv")).unwrap();
    let header = reader.headers().unwrap().clone();
    let date = header.iter().position(|h| h == "submitted_at").unwrap();
    let mut writer = csv::Writer::from_writer(Vec::new());
    writer.write_record(&header).unwrap();
    for record in reader.records() {
        let record = record.unwrap();
        if ("2025-01-01".."2025-04-01").contains(&&record[date]) {
            writer.write_record(&record).unwrap();
        }
    }
    let q2 = String::from_utf8(writer.into_inner().unwrap()).unwrap();
    let q2 = write(dir.path(), "q2.csv", &q2);
    let trend = |inputs: &[&str]| -> Value {
        let mut args = vec![
            "trend", "--from", "FY2025Q1", "--to", "FY2025Q2", "--format", "json",
        ];
        args.extend_from_slice(inputs);
        let run = hisp(&args);
        assert_eq!(code(&run), 0, "{}", stderr(&run));
        serde_json::from_str(&stdout(&run)).unwrap()
    };
    let from_responses = trend(&[&fixture("responses-fy2025.csv")]);
    let from_table = trend(&[table.to_str().unwrap(), &q2]);
    assert_eq!(
        from_table["quarters"],
        serde_json::json!(["FY2025Q1", "FY2025Q2"])
    );
    // Every share of every service and overall, both quarters; surveys
    // too (the table names each survey as the responses do).
    for scope in ["services", "surveys"] {
        let strip = |doc: &Value| -> Vec<(String, String, String, u64, u64)> {
            let mut out: Vec<_> = doc[scope]
                .as_array()
                .unwrap()
                .iter()
                .flat_map(|s| {
                    let name = format!("{}/{}", s["service"], s["touchpoint"]);
                    s["series"].as_array().unwrap().iter().map(move |p| {
                        (
                            name.clone(),
                            p["quarter"].to_string(),
                            p["measure"].to_string(),
                            p["count"].as_u64().unwrap(),
                            p["of"].as_u64().unwrap(),
                        )
                    })
                })
                .collect();
            out.sort();
            out
        };
        assert_eq!(strip(&from_table), strip(&from_responses), "{scope}");
    }
    let changes = |doc: &Value| -> Vec<Value> {
        doc["overall"]["series"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["p_value"].clone())
            .collect()
    };
    assert_eq!(changes(&from_table), changes(&from_responses));
}

/// `--parquet`: the long table as Parquet, read back with the same rows and
/// sums as the CSV.
#[cfg(feature = "parquet")]
#[test]
fn the_long_table_as_parquet_reads_back() {
    use parquet::file::reader::{FileReader, SerializedFileReader};
    use parquet::record::Field;
    let dir = tempfile::tempdir().unwrap();
    let input = write(dir.path(), "all-time.csv", &export());
    let pq = dir.path().join("trend.parquet");
    let run = hisp(&[
        "trend",
        &input,
        "--from",
        "FY2025Q1",
        "--to",
        "FY2025Q4",
        "--parquet",
        pq.to_str().unwrap(),
    ]);
    assert_eq!(code(&run), 0, "{}", stderr(&run));
    let csv_out = stdout(&run);
    let mut reader = csv::Reader::from_reader(csv_out.as_bytes());
    let count = reader
        .headers()
        .unwrap()
        .iter()
        .position(|h| h == "count")
        .unwrap();
    let (mut rows, mut sum) = (0usize, 0i64);
    for record in reader.records() {
        rows += 1;
        sum += record.unwrap()[count].parse::<i64>().unwrap();
    }
    let file = SerializedFileReader::new(std::fs::File::open(&pq).unwrap()).unwrap();
    assert_eq!(file.metadata().file_metadata().num_rows() as usize, rows);
    let mut parquet_sum = 0;
    for row in file.get_row_iter(None).unwrap() {
        for (name, field) in row.unwrap().get_column_iter() {
            if name == "count"
                && let Field::Long(v) = field
            {
                parquet_sum += v;
            }
        }
    }
    assert_eq!(parquet_sum, sum);
}

/// An export without dates gives a trend nothing, and says so.
#[test]
fn an_undated_export_is_warned_of() {
    let dir = tempfile::tempdir().unwrap();
    let input = write(
        dir.path(),
        "undated.csv",
        "service,touchpoint,channel,satisfaction,trust\nA,B,phone,4,5\n",
    );
    let run = hisp(&[
        "trend",
        &input,
        "--from",
        "FY2025Q1",
        "--to",
        "FY2025Q2",
        "--report-format",
        "json",
    ]);
    assert_eq!(code(&run), 0, "{}", stderr(&run));
    assert!(
        stderr(&run).contains("a trend places each row in its quarter by its date"),
        "{}",
        stderr(&run)
    );
    let mut reader = csv::Reader::from_reader(run.stdout.as_slice());
    assert_eq!(reader.records().count(), 0);
}

/// `report --parquet`: the quarter's valid rows, each with its input file
/// and row, read back with their values.
#[cfg(feature = "parquet")]
#[test]
fn a_reports_rows_as_parquet_read_back() {
    use parquet::file::reader::{FileReader, SerializedFileReader};
    use parquet::record::Field;
    let dir = tempfile::tempdir().unwrap();
    let pq = dir.path().join("rows.parquet");
    let out = dir.path().join("report.xlsx");
    let run = hisp(&[
        "report",
        &fixture("responses-fy2025.csv"),
        "--fiscal-year",
        "2025",
        "--quarter",
        "2",
        "-o",
        out.to_str().unwrap(),
        "--parquet",
        pq.to_str().unwrap(),
    ]);
    assert_eq!(code(&run), 0, "{}", stderr(&run));
    // The quarter's rows of the fixture, and the satisfaction answers the
    // aggregate counted (labels such as "Agree" read as their numbers).
    let mut reader = csv::Reader::from_path(fixture("responses-fy2025.csv")).unwrap();
    let header = reader.headers().unwrap().clone();
    let date = header.iter().position(|h| h == "submitted_at").unwrap();
    let rows = reader
        .records()
        .filter(|r| ("2025-01-01".."2025-04-01").contains(&&r.as_ref().unwrap()[date]))
        .count();
    let run = hisp(&[
        "aggregate",
        &fixture("responses-fy2025.csv"),
        "--fiscal-year",
        "2025",
        "--quarter",
        "2",
        "--format",
        "json",
    ]);
    let doc: Value = serde_json::from_str(&stdout(&run)).unwrap();
    let sum: i64 = doc["overall"]["questions"][0]["counts"]
        .as_array()
        .unwrap()
        .iter()
        .enumerate()
        .map(|(k, c)| (k as i64 + 1) * c.as_i64().unwrap())
        .sum();
    let file = SerializedFileReader::new(std::fs::File::open(&pq).unwrap()).unwrap();
    assert_eq!(file.metadata().file_metadata().num_rows() as usize, rows);
    let (mut satisfaction, mut quarters) = (0i64, std::collections::BTreeSet::new());
    for row in file.get_row_iter(None).unwrap() {
        for (name, field) in row.unwrap().get_column_iter() {
            match (name.as_str(), field) {
                ("satisfaction", Field::Long(v)) => satisfaction += v,
                ("fiscal_quarter", Field::Long(q)) => {
                    quarters.insert(*q);
                }
                _ => {}
            }
        }
    }
    assert_eq!(satisfaction, sum);
    assert_eq!(quarters.into_iter().collect::<Vec<_>>(), [2]);
}

/// `--no-previous`: no comparison is counted, and no sheet written for it.
#[test]
fn no_previous_leaves_the_comparison_out() {
    let dir = tempfile::tempdir().unwrap();
    let input = write(dir.path(), "all-time.csv", &export());
    let out = dir.path().join("report.xlsx");
    let run = hisp(&[
        "report",
        &input,
        "--fiscal-year",
        "2025",
        "--quarter",
        "2",
        "-o",
        out.to_str().unwrap(),
        "--no-previous",
    ]);
    assert_eq!(code(&run), 0, "{}", stderr(&run));
    use calamine::Reader;
    let wb = calamine::open_workbook_auto(&out).unwrap();
    assert!(!wb.sheet_names().iter().any(|n| n == "Previous quarter"));
}
