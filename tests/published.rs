//! performance.gov's published figures (`fixtures/published/`) given back by
//! hisp: respondent rows are rebuilt from the published respondent counts
//! and point scales, and hisp's report must reproduce every published
//! figure — respondents, customers offered, the seven point scales and the
//! response rate — for each quarter, from one input holding both quarters
//! and one manifest holding both quarters' volumes.

mod common;
use common::*;

use std::fmt::Write as _;

const QUESTIONS: [&str; 7] = [
    "satisfaction",
    "trust",
    "effectiveness",
    "ease",
    "efficiency",
    "transparency",
    "employee",
];

/// One published quarter of a survey.
struct Published {
    year: i32,
    quarter: u8,
    touchpoint: String,
    offered: u64,
    respondents: u64,
    /// Point scales as published, two decimals.
    point_scales: Vec<String>,
}

fn published() -> Vec<Published> {
    let mut reader = csv::Reader::from_path(fixture("published/va-vha.csv")).unwrap();
    reader
        .records()
        .map(|r| {
            let r = r.unwrap();
            Published {
                year: r[1].parse().unwrap(),
                quarter: r[2].parse().unwrap(),
                touchpoint: r[3].to_string(),
                offered: r[4].parse().unwrap(),
                respondents: r[5].parse().unwrap(),
                point_scales: (6..13).map(|i| r[i].to_string()).collect(),
            }
        })
        .collect()
}

/// Answer counts (1…5) of `n` answers whose mean rounds to `point_scale`:
/// a plausible spread, moved one step at a time between 4 and 5 (or 3 and
/// 4) until the sum of the answers is the nearest to `point_scale × n`.
fn counts_for(point_scale: &str, n: u64) -> [u64; 5] {
    let target = (point_scale.parse::<f64>().unwrap() * n as f64).round() as i64;
    let shares = [0.04, 0.04, 0.10, 0.30];
    let mut counts = [0u64; 5];
    for (c, s) in counts.iter_mut().zip(shares) {
        *c = (n as f64 * s) as u64;
    }
    counts[4] = n - counts[..4].iter().sum::<u64>();
    let sum = |c: &[u64; 5]| -> i64 { (0..5).map(|k| (k as i64 + 1) * c[k] as i64).sum() };
    let mut diff = target - sum(&counts);
    while diff != 0 {
        let (from, to) = if diff > 0 {
            if counts[3] > 0 { (3, 4) } else { (2, 3) }
        } else if counts[4] > 0 {
            (4, 3)
        } else {
            (3, 2)
        };
        let step = diff.unsigned_abs().min(counts[from]);
        assert!(step > 0, "no spread reaches {point_scale} over {n}");
        counts[from] -= step;
        counts[to] += step;
        diff -= diff.signum() * step as i64 * ((to as i64 - from as i64).abs());
    }
    counts
}

#[test]
fn hisp_reproduces_the_published_figures() {
    let quarters = published();
    assert_eq!(quarters.len(), 2);
    let dir = tempfile::tempdir().unwrap();

    // The responses of both quarters in one export, and a manifest with
    // each quarter's volumes (the universe is published for Q1 only).
    let mut rows = String::from("service,touchpoint,channel,submitted_at");
    for q in QUESTIONS {
        rows.push(',');
        rows.push_str(q);
    }
    rows.push('\n');
    let mut manifest = String::from(
        "service,touchpoint,channel,collection_year,collection_quarter,organization_name,volume_of_customers,volume_of_customers_provided_survey_opportunity\n",
    );
    let mut table = csv::Reader::from_path(fixture("published/hisp-quarterly-data.csv")).unwrap();
    let universe: Vec<(i32, u8, String)> = table
        .records()
        .map(|r| {
            let r = r.unwrap();
            (
                r[2].parse().unwrap(),
                r[3].parse().unwrap(),
                r[4].replace(',', ""),
            )
        })
        .collect();
    for p in &quarters {
        let customers = universe
            .iter()
            .find(|(y, q, _)| (*y, *q) == (p.year, p.quarter))
            .map_or("", |(_, _, u)| u.as_str());
        writeln!(
            manifest,
            "Receiving outpatient services,{},email,{},{},Department of Veterans Affairs,{customers},{}",
            p.touchpoint, p.year, p.quarter, p.offered
        )
        .unwrap();
        // A date inside the quarter: FY2020 Q1 is Oct-Dec 2019.
        let date = if p.quarter == 1 {
            "2019-11-15"
        } else {
            "2020-02-15"
        };
        let answers: Vec<[u64; 5]> = p
            .point_scales
            .iter()
            .map(|s| counts_for(s, p.respondents))
            .collect();
        // Respondent i answers question q with the i-th answer of its
        // counts, so every question keeps its own spread.
        let mut cursors = vec![(0usize, 0u64); QUESTIONS.len()];
        for _ in 0..p.respondents {
            write!(
                rows,
                "Receiving outpatient services,{},email,{date}",
                p.touchpoint
            )
            .unwrap();
            for (q, (k, used)) in cursors.iter_mut().enumerate() {
                while *used == answers[q][*k] {
                    *k += 1;
                    *used = 0;
                }
                *used += 1;
                write!(rows, ",{}", *k + 1).unwrap();
            }
            rows.push('\n');
        }
    }
    let responses = dir.path().join("responses.csv");
    std::fs::write(&responses, rows).unwrap();
    let services = dir.path().join("services.csv");
    std::fs::write(&services, manifest).unwrap();

    for p in &quarters {
        let (year, quarter) = (p.year.to_string(), p.quarter.to_string());
        let run = hisp(&[
            "aggregate",
            responses.to_str().unwrap(),
            "--services",
            services.to_str().unwrap(),
            "--fiscal-year",
            &year,
            "--quarter",
            &quarter,
            "--format",
            "json",
        ]);
        assert_eq!(code(&run), 0, "{}", stderr(&run));
        let doc: serde_json::Value = serde_json::from_str(&stdout(&run)).unwrap();
        let survey = &doc["surveys"][0];
        assert_eq!(doc["surveys"].as_array().unwrap().len(), 1);
        assert_eq!(survey["respondents"], p.respondents, "FY{year} Q{quarter}");
        assert_eq!(
            survey["volume_of_customers_provided_survey_opportunity"], p.offered,
            "FY{year} Q{quarter}"
        );
        for (i, q) in QUESTIONS.iter().enumerate() {
            let got = &survey["questions"][i];
            assert_eq!(got["question"], *q);
            assert_eq!(
                format!("{:.2}", got["point_scale"].as_f64().unwrap()),
                p.point_scales[i],
                "FY{year} Q{quarter} {q}"
            );
            assert_eq!(got["response_volume"], p.respondents);
        }
        // The response rate as published: a whole percent.
        if (p.year, p.quarter) == (2020, 1) {
            let rate = survey["response_rate"].as_f64().unwrap();
            assert_eq!(rate.round(), 17.0, "{rate}");
        }
    }
}

#[test]
fn rebuilt_counts_have_the_published_mean() {
    for (scale, n) in [
        ("4.38", 305_079),
        ("4.27", 304_687),
        ("3.70", 10),
        ("4.40", 5),
    ] {
        let c = counts_for(scale, n);
        assert_eq!(c.iter().sum::<u64>(), n);
        let mean = (0..5).map(|k| (k as u64 + 1) * c[k]).sum::<u64>() as f64 / n as f64;
        assert_eq!(format!("{mean:.2}"), scale, "{c:?}");
    }
}
