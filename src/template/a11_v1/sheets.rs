//! The filled HISP quarterly workbook as a document: `Quarterly Data` (the
//! published OMB columns, one row per survey), `Question Detail`, `Summary`
//! (with a chart), then `Validation` and `About`.

use super::Results;
use super::tables::{self, question_text};
use super::tally::{
    CORE_QUESTIONS, QUESTION_KEYS, QuestionStats, questions_in_use, rollup_response_rate,
};
use crate::tally::any_survey_id;
use crate::write::OutCell;
use crate::write::document::{
    Axis, Block, Cells, Chart, ChartKind, Document, Layout, Series, SeriesName, Sheet,
};
use crate::write::workbook::{Common, workbook};

const QUARTERLY_DATA: &str = "Quarterly Data";
const QUESTION_DETAIL: &str = "Question Detail";
const SUMMARY: &str = "Summary";

/// The A-11 v1 workbook.
pub(super) fn document<'a>(results: &'a Results, common: &Common<'_>) -> Document<'a> {
    let sheets = vec![
        quarterly_data(results, common),
        question_detail(results, common),
        summary(results, common),
    ];
    workbook("A-11 v1".to_string(), common, sheets, None)
}

fn quarterly_data<'a>(results: &Results, c: &Common<'_>) -> Sheet<'a> {
    let table = tables::quarterly_data(results, c.quarter, c.schema);
    // Plain numbers: the template's years and counts, as OMB publishes
    // them (no thousands separators).
    let rows = table
        .rows
        .into_iter()
        .map(|row| {
            row.into_iter()
                .map(|cell| match cell {
                    OutCell::Count(n) => OutCell::Plain(n),
                    other => other,
                })
                .collect()
        })
        .collect();
    let blocks = vec![Block::Table {
        at: (0, 0),
        header: table.header,
        rows,
    }];
    let layout = Layout::frozen(1, 0).widths(0, 1, 10.0).widths(2, 8, 24.0);
    Sheet::new(QUARTERLY_DATA, blocks, layout)
}

fn question_detail<'a>(results: &Results, c: &Common<'_>) -> Sheet<'a> {
    // survey_id only where the inputs name surveys; the columns after it
    // move one to the right.
    let ids = any_survey_id(results.rows.iter().map(|r| &r.entry.key));
    let mut names = vec!["service_name", "transaction_point", "channel"];
    if ids {
        names.push("survey_id");
    }
    let k = names.len() as u16;
    names.extend([
        "standardized_question_number",
        "standardized_question_identifier",
        "customized_question_text",
        "likert_scale_1",
        "likert_scale_2",
        "likert_scale_3",
        "likert_scale_4",
        "likert_scale_5",
        "response_volume",
        "point_scale",
        "percent_agree",
    ]);
    let in_use = questions_in_use(results.rows.iter().map(|r| &r.tally));
    let mut rows = Vec::new();
    for row in &results.rows {
        for &q in &in_use {
            let e = &row.entry;
            let stats = row.tally.question(q);
            let given = e.detail(&format!("q{}_text", q + 1)).map(str::to_string);
            let mut cells: Vec<OutCell> = e.key.parts()[..k as usize]
                .iter()
                .map(|part| OutCell::text(part))
                .collect();
            cells.push(OutCell::Plain(q as u64 + 1));
            cells.push(OutCell::Text(QUESTION_KEYS[q].to_string()));
            cells.push(OutCell::Text(question_text(
                c.schema,
                q,
                given,
                &e.key.service,
            )));
            cells.extend(stats.counts.iter().map(|n| OutCell::Plain(*n)));
            cells.push(OutCell::Plain(stats.response_volume));
            cells.push(stats.point_scale.map_or(OutCell::Blank, OutCell::Decimal));
            cells.push(OutCell::percent(stats.percent_agree));
            rows.push(cells);
        }
    }
    let blocks = vec![Block::Table {
        at: (0, 0),
        header: names.into_iter().map(String::from).collect(),
        rows,
    }];
    let layout = Layout::frozen(1, 0)
        .widths(0, k - 1, 22.0)
        .width(k + 2, 50.0);
    Sheet::new(QUESTION_DETAIL, blocks, layout)
}

const DOMAINS: [&str; CORE_QUESTIONS] = [
    "Satisfaction",
    "Trust/Confidence",
    "Effectiveness",
    "Ease",
    "Efficiency",
    "Transparency",
    "Employee",
];

fn summary<'a>(results: &Results, c: &Common<'_>) -> Sheet<'a> {
    let mut blocks = vec![Block::Title {
        at: (0, 0),
        text: format!(
            "{} ({} to {})",
            c.quarter,
            c.quarter.start(),
            c.quarter.end()
        ),
    }];
    let mut names: Vec<String> = [
        "Scope",
        "Service",
        "Surveys",
        "Respondents",
        "Customers offered survey",
        "Response rate",
        "Small n",
    ]
    .map(String::from)
    .to_vec();
    for d in DOMAINS {
        names.push(format!("{d} point scale"));
        names.push(format!("{d} % agree"));
        names.push(format!("{d} % agree, 95% low"));
        names.push(format!("{d} % agree, 95% high"));
    }
    let mut rows = Vec::new();
    for (scope, rollup) in results
        .services
        .iter()
        .map(|x| ("Service", x))
        .chain([("Overall", &results.overall)])
    {
        let small = rollup.results.respondents < results.min_n;
        let mut cells = vec![
            OutCell::text(scope),
            OutCell::Text(rollup.name.clone()),
            OutCell::Plain(rollup.surveys as u64),
            OutCell::Count(rollup.results.respondents),
            rollup.offered.map_or(OutCell::Blank, OutCell::Count),
            OutCell::percent(rollup_response_rate(rollup)),
            OutCell::Text(if small { "yes" } else { "" }.to_string()),
        ];
        for q in 0..CORE_QUESTIONS {
            let stats = rollup.results.question(q);
            cells.push(stats.point_scale.map_or(OutCell::Blank, OutCell::Decimal));
            for share in [stats.percent_agree, stats.agree_ci_low, stats.agree_ci_high] {
                cells.push(OutCell::percent(share));
            }
        }
        rows.push(cells);
    }
    let mut r = 3 + rows.len() as u32;
    blocks.push(Block::Table {
        at: (2, 0),
        header: names,
        rows,
    });
    blocks.push(Block::Text {
        at: (r, 0),
        text: format!(
            "95% low/high: the Wilson score interval of % agree. Small n: fewer than {} respondents (--min-n); the shares are shown but their intervals are wide.",
            results.min_n
        ),
    });
    // The answer distribution per domain, all services together, and a
    // percent-stacked bar chart of it.
    r += 2;
    blocks.push(Block::Title {
        at: (r, 0),
        text: "Answer distribution, all services".to_string(),
    });
    r += 1;
    let table_top = r;
    let distribution = DOMAINS
        .iter()
        .enumerate()
        .map(|(q, domain)| {
            let stats: QuestionStats = results.overall.results.question(q);
            let mut cells = vec![OutCell::text(domain)];
            cells.extend(stats.counts.iter().map(|n| OutCell::Count(*n)));
            cells.push(OutCell::Count(stats.response_volume));
            cells
        })
        .collect();
    blocks.push(Block::Table {
        at: (table_top, 0),
        header: [
            "Domain",
            "1 Strongly disagree",
            "2 Disagree",
            "3 Neutral",
            "4 Agree",
            "5 Strongly agree",
            "Responses",
        ]
        .map(String::from)
        .to_vec(),
        rows: distribution,
    });
    let last = table_top + CORE_QUESTIONS as u32;
    let colors = ["#C00000", "#F4B183", "#D9D9D9", "#9DC3E6", "#2E75B6"];
    let series = colors
        .iter()
        .enumerate()
        .map(|(k, color)| {
            let col = 1 + k as u16;
            Series {
                name: SeriesName::Cell((table_top, col)),
                categories: Cells::column(0, table_top + 1, last),
                values: Cells::column(col, table_top + 1, last),
                color: Some(color),
                error_bars: None,
            }
        })
        .collect();
    blocks.push(Block::Chart {
        at: (last + 2, 0),
        chart: Chart {
            kind: ChartKind::BarPercentStacked,
            title: format!("Answers by domain, {}", c.quarter),
            series,
            categories: Axis {
                reverse: true,
                ..Axis::default()
            },
            values: Axis::default(),
            size: (720, 360),
        },
    });
    let layout = Layout::default()
        .landscape()
        .width(0, 22.0)
        .width(1, 28.0)
        .widths(2, 6 + 4 * CORE_QUESTIONS as u16, 14.0);
    Sheet::new(SUMMARY, blocks, layout)
}
