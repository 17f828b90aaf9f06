//! `hisp report`: the whole job: validate, aggregate, and write the filled
//! HISP quarterly workbook of the template in use (A-11 v1 or v2), with
//! `--csv` its main table as CSV, and for v2 with `--upload-dir` the
//! Touchpoints upload files.

use std::path::{Path, PathBuf};

use crate::exit::{Failure, Result, Status};
use crate::manifest::TemplateRow;
use crate::output::{Staged, ensure_not_an_input, neutralize};
use crate::render::OutCell;
use crate::render::{Format, group};
use crate::responses_v2::TrustCounts;
use crate::upload::Spool;
use crate::workbook::{self, Common};
use crate::workbook_v2;

use super::{CheckArgs, Counts, Globals, InputArgs, QuarterArgs, run_pipeline, to_stdout};

#[derive(clap::Args, Debug)]
pub struct Args {
    #[command(flatten)]
    input: InputArgs,
    /// The fiscal quarter (default: the last completed one)
    #[command(flatten)]
    quarter: QuarterArgs,
    /// The workbook to write (.xlsx)
    #[arg(short, long, value_name = "OUT.xlsx")]
    output: PathBuf,
    /// Also write the Quarterly Data rows (v1) or the Collection Details (v2) as CSV into this directory
    #[arg(long, value_name = "DIR")]
    csv: Option<PathBuf>,
    /// A-11 v2: write one Touchpoints upload CSV per survey into this directory
    #[arg(long, value_name = "DIR")]
    upload_dir: Option<PathBuf>,
    /// Leave out rows with errors (listed in the Validation sheet) instead of stopping
    #[arg(long)]
    skip_invalid: bool,
    /// Format of the validation report printed on standard output
    #[arg(long, value_enum, default_value = "human")]
    format: Format,
    #[command(flatten)]
    checks: CheckArgs,
}

/// Findings kept for the Validation sheet: as many as a sheet holds.
const KEEP_FOR_WORKBOOK: usize = 1_048_000;

pub fn run(args: &Args, globals: &Globals) -> Result<Status> {
    let inputs = args.input.paths();
    ensure_not_an_input(&args.output, &inputs)?;
    let quarter = args.quarter.or_last_completed();
    if args.input.services.is_none() {
        tracing::warn!(
            "no --services manifest: organization, volumes, OMB control numbers and response rates will be blank"
        );
    }
    let keep = KEEP_FOR_WORKBOOK.max(args.checks.max_errors);
    // A-11 v2 responses are spooled beside the output during the pass; v1
    // runs leave the spool empty.
    let out_dir = match args.output.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let mut spool = Spool::new(&out_dir).map_err(Failure::output)?;
    let show_progress = !globals.quiet && args.format != Format::Json;
    let p = run_pipeline(
        &args.input,
        Some(quarter),
        keep,
        Some(&mut spool),
        show_progress,
    )?;
    let ok = p.passes(&args.checks, args.skip_invalid);
    let report = p.report(ok, &args.checks);
    let has_findings = p.findings.error_count + p.findings.warning_count > 0;
    if !ok || (has_findings && !globals.quiet) || args.format == Format::Json {
        to_stdout(|out| report.write(args.format, out))?;
    }
    if !ok {
        return Ok(Status::DataErrors);
    }
    let spooled = spool.finish().map_err(Failure::output)?;
    let common = Common {
        quarter,
        inputs: &p.inputs,
        manifest: p.manifest.as_ref(),
        schema: &p.schema,
        warnings: &p.findings.warnings,
        excluded: if args.skip_invalid {
            &p.findings.errors
        } else {
            &[]
        },
        findings_truncated: p.findings.truncated(),
        skip_invalid: args.skip_invalid,
        surveys: p.counts.surveys(),
        respondents: p.counts.respondents(),
    };
    let mut staged = Staged::default();
    for dir in [&args.csv, &args.upload_dir].into_iter().flatten() {
        std::fs::create_dir_all(dir).map_err(|e| {
            Failure::output(
                anyhow::Error::new(e).context(format!("cannot create {}", dir.display())),
            )
        })?;
    }
    match &p.counts {
        Counts::V1 {
            rows,
            services,
            overall,
        } => {
            let contents = workbook::Contents {
                common,
                rows,
                services,
                overall,
            };
            staged.stage(&args.output, |f| {
                workbook::write(&contents, f).map_err(Into::into)
            })?;
            if let Some(dir) = &args.csv {
                let target = csv_target(dir, &args.output, "quarterly-data");
                ensure_not_an_input(&target, &inputs)?;
                staged.stage(&target, |f| {
                    let rows = workbook::quarterly_data_rows(&contents);
                    write_csv(
                        f,
                        workbook::quarterly_data_header(),
                        rows.iter().map(|r| r.iter().map(field_text).collect()),
                    )
                })?;
            }
            if args.upload_dir.is_some() {
                tracing::warn!(
                    "--upload-dir writes A-11 v2 upload files; these inputs are A-11 v1"
                );
            }
        }
        Counts::V2 {
            rows,
            services,
            overall,
        } => {
            let contents = workbook_v2::Contents {
                common,
                rows,
                services,
                overall,
                responses: &spooled,
            };
            staged.stage(&args.output, |f| {
                workbook_v2::write(&contents, f).map_err(Into::into)
            })?;
            if let Some(dir) = &args.csv {
                let target = csv_target(dir, &args.output, "collection-details");
                ensure_not_an_input(&target, &inputs)?;
                staged.stage(&target, |f| {
                    let header = workbook_v2::collection_details_header()
                        .map(String::from)
                        .to_vec();
                    write_csv(
                        f,
                        header,
                        rows.iter().map(|r| collection_detail_cells(quarter, r)),
                    )
                })?;
            }
            if let Some(dir) = &args.upload_dir {
                spooled.stage_uploads(dir, &mut staged)?;
            }
        }
    }
    let written = staged.commit()?;
    if !globals.quiet {
        let invalid: u64 = p.inputs.iter().map(|i| i.rows_invalid).sum();
        let shown: Vec<String> = written
            .iter()
            .take(3)
            .map(|p| p.display().to_string())
            .collect();
        let more = written.len().saturating_sub(3);
        eprintln!(
            "hisp: wrote {}{}: {quarter}, {} surveys, {} respondents{}",
            shown.join(", "),
            if more > 0 {
                format!(" and {more} more files")
            } else {
                String::new()
            },
            p.counts.surveys(),
            group(p.counts.respondents()),
            if args.skip_invalid && invalid > 0 {
                format!(", {} invalid rows excluded", group(invalid))
            } else {
                String::new()
            }
        );
    }
    Ok(Status::Ok)
}

/// `DIR/<workbook name>-<what>.csv`
fn csv_target(dir: &Path, workbook: &Path, what: &str) -> PathBuf {
    let stem = workbook
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or("hisp-report");
    dir.join(format!("{stem}-{what}.csv"))
}

fn field_text(f: &OutCell) -> String {
    match f {
        OutCell::Text(t) => neutralize(t).into_owned(),
        other => other.csv_text(),
    }
}

fn collection_detail_cells(
    quarter: crate::fiscal::Quarter,
    row: &TemplateRow<TrustCounts>,
) -> Vec<String> {
    let e = &row.entry;
    let opt = |v: Option<u64>| v.map(|v| v.to_string()).unwrap_or_default();
    [
        quarter.fiscal_year.to_string(),
        quarter.quarter.to_string(),
        e.key.service.clone(),
        e.key.touchpoint.clone(),
        e.key.channel.clone(),
        opt(e.volume_of_customers),
        opt(e.volume_of_customers_provided_survey_opportunity),
        row.tally.tally.rows.to_string(),
        e.omb_control_number.clone(),
        row.tally.survey_type.code().to_string(),
        e.survey_title.clone(),
        e.trust_question_text.clone(),
    ]
    .into_iter()
    .map(|c| neutralize(&c).into_owned())
    .collect()
}

fn write_csv(
    out: &mut std::fs::File,
    header: Vec<String>,
    rows: impl Iterator<Item = Vec<String>>,
) -> anyhow::Result<()> {
    let mut w = csv::Writer::from_writer(out);
    w.write_record(header)?;
    for row in rows {
        w.write_record(row)?;
    }
    w.flush()?;
    Ok(())
}
