//! The run: configuration resolved, then one pass over every row of every
//! input — read, checked and counted together — written once, whatever the
//! edition; the registry says which edition counts. What the host adds (a
//! file system: inputs given twice, staged outputs) is in `host.rs`.

mod configure;
#[cfg(feature = "host")]
mod host;
mod options;
mod outcome;

use std::ops::ControlFlow;
use std::sync::Arc;

use crate::check::Checker;
use crate::check::findings::Findings;
use crate::check::input::{self, Admission, Admitted, InputRules, InputStats};
use crate::check::unique::Counted;
use crate::error::{Error, Result};
use crate::fiscal::Quarter;
use crate::ingest::{self, Input, InputSpec, PresetChoice, Table};
use crate::progress::{Observer, Progress, ROW_STEP};
use crate::schema::{Mapping, Schema};
use crate::tally::manifest;
use crate::template::registry;
use crate::template::{self, Counting, Edition, Shape};
use crate::write::spool::Spool;
pub use configure::check_time_zone;
pub(crate) use configure::parse_zone;
pub use options::{AggregateFormat, Options, ReadOptions, ReportOutputs, Spooling};
pub use outcome::Run;

/// Read the configuration and every input, check and count in one pass.
/// With `spooling`, responses the outputs list one by one (A-11 v2) are
/// spooled during the pass.
pub fn run(
    options: &Options,
    spooling: Option<Spooling>,
    observer: Option<Arc<dyn Observer>>,
) -> Result<Run> {
    let mut mapping = match &options.map {
        Some(path) => Mapping::load(path).map_err(Error::Config)?,
        None => Mapping::default(),
    };
    mapping.constants.extend(options.set.iter().cloned());
    if options
        .inputs
        .iter()
        .filter(|i| **i == Input::Stdin)
        .count()
        > 1
    {
        return Err(Error::config(anyhow::anyhow!(
            "standard input (-) can be read only once"
        )));
    }
    #[cfg(feature = "host")]
    host::ensure_each_input_once(&options.inputs)?;
    let progress = Progress::new(observer);
    let mut specs: Vec<InputSpec> = options
        .inputs
        .iter()
        .map(|input| options.read.spec(input.clone(), &progress))
        .collect();
    // A trend also takes earlier quarters kept only as counts.
    let mut history = template::History::new();
    let mut history_notes = Vec::new();
    let mut history_findings = Findings::new(options.keep);
    if let Some(span) = options.span {
        let mut responses = Vec::new();
        for spec in specs {
            let reader = match spec.source {
                Input::Stdin => None,
                _ => history_reader(&spec)?,
            };
            if let Some(edition) = reader {
                let (read, note) = edition.read_history(&spec, span, &mut history_findings)?;
                history.extend(read);
                history_notes.push(note);
            } else {
                responses.push(spec);
            }
        }
        specs = responses;
    }
    let (schema, note, first) = configure::resolve_schema(options, &specs, &mapping)?;
    let source = options
        .map
        .as_ref()
        .map_or("--set".to_string(), |p| format!("{} or --set", p.display()));
    mapping.check(&schema, &source).map_err(Error::Config)?;
    registry::check_mapping(&mapping, &source).map_err(Error::Config)?;
    let spool = match spooling {
        #[cfg(feature = "host")]
        Some(Spooling::InDir(dir)) => {
            let spill = Arc::new(crate::spill::TempFiles { dir: Some(dir) });
            Some(Spool::new(spill).map_err(Error::Output)?)
        }
        Some(Spooling::InMemory) => {
            Some(Spool::new(Arc::new(crate::spill::InMemory)).map_err(Error::Output)?)
        }
        None => None,
    };
    let mut findings = Findings::new(options.keep);
    for issue in history_findings
        .errors
        .into_iter()
        .chain(history_findings.warnings)
    {
        findings.push(issue);
    }
    let pass = Pass {
        options,
        specs: &specs,
        first,
        notes: note.into_iter().chain(history_notes).collect(),
        findings,
    };
    // A trend counts every quarter; a report compares with the previous.
    let shape = if options.span.is_some() {
        Shape::Quarterly
    } else if options.compare_previous && options.quarter.is_some() {
        Shape::Compared
    } else {
        Shape::Quarter
    };
    let edition = registry::of_schema(&schema);
    let mut run = pass.run(edition, shape, schema, mapping, spool)?;
    if !history.is_empty() {
        run.published.add_history(history, &mut run.notes);
    }
    Ok(run)
}

/// Where `report --parquet` lists rows; nothing without the feature.
#[cfg(feature = "parquet")]
type RowsOut = crate::write::parquet::RowsWriter;
#[cfg(not(feature = "parquet"))]
type RowsOut = std::convert::Infallible;

/// One valid row of the quarter, listed.
#[cfg(feature = "parquet")]
fn list_row(
    out: &mut RowsOut,
    file: &str,
    line: u64,
    quarter: Option<Quarter>,
    values: &[Option<crate::check::Recorded>],
) -> Result<()> {
    out.push(file, line, quarter, values)
        .map_err(|e| Error::Output(anyhow::Error::new(e).context("writing the Parquet rows")))
}

#[cfg(not(feature = "parquet"))]
fn list_row(
    out: &mut RowsOut,
    _: &str,
    _: u64,
    _: Option<Quarter>,
    _: &[Option<crate::check::Recorded>],
) -> Result<()> {
    match *out {}
}

/// The edition that reads an input as a table of counts per survey and
/// quarter, if one does (the input read by its header only).
fn history_reader(spec: &InputSpec) -> Result<Option<&'static dyn Edition>> {
    let score = |labels: &[String]| crate::ingest::layout::HeaderScore {
        by_name: usize::from(registry::history_reader(labels).is_some()),
        by_wording: 0,
    };
    let headers = ingest::open(spec, Some(&score))?.headers;
    Ok(registry::history_reader(&headers))
}

/// A run's inputs and what it has found so far.
struct Pass<'a> {
    options: &'a Options,
    specs: &'a [InputSpec],
    /// The first input, already open: its header chose the template.
    first: Option<Table>,
    notes: Vec<String>,
    findings: Findings,
}

impl Pass<'_> {
    fn run(
        mut self,
        edition: &dyn Edition,
        shape: Shape,
        schema: Schema,
        mapping: Mapping,
        spool: Option<Spool>,
    ) -> Result<Run> {
        let options = self.options;
        let manifest = match &options.services {
            Some(path) => {
                let spec =
                    ReadOptions::default().spec(Input::Path(path.clone()), &Progress::default());
                Some(manifest::load(
                    &spec,
                    registry::shipped_schema(edition.manifest_schema()),
                    &mapping.channels,
                    options.quarter,
                    if options.submission {
                        manifest::Submission::Report
                    } else {
                        manifest::Submission::Validate
                    },
                    &mut self.findings,
                )?)
            }
            None => None,
        };
        let preset = match (options.read.preset, mapping.preset) {
            (Some(choice), _) => choice,
            (None, Some(p)) => PresetChoice::Given(p),
            (None, None) => PresetChoice::Detect,
        };
        let mut checker = Checker::new(schema, mapping);
        checker.recognise_column = edition.column_recogniser();
        if let Some(zone) = &options.timezone {
            checker.zone = parse_zone(zone)?;
        }
        if options.redact {
            let redactor =
                crate::redact::Redactor::new(&checker.mapping.redact).map_err(Error::Config)?;
            checker.redactor = Some(redactor);
        }
        checker.submission = options.submission;
        checker.set_unique_budget(
            options
                .unique_budget
                .unwrap_or(crate::DEFAULT_UNIQUE_BUDGET_MIB),
            options.set_aside_invalid,
        );
        checker.min_n = options.min_n.unwrap_or(crate::stats::DEFAULT_MIN_N);
        let recodes = checker.mapping.recodes();
        if !recodes.is_empty() {
            let pairs: Vec<String> = recodes.iter().map(|(w, c)| format!("{w} as {c}")).collect();
            let scaled = if checker.mapping.scales.is_empty() {
                ""
            } else {
                " other than those [scales] gives"
            };
            self.notes.push(format!(
                "the mapping file's [labels] recode the answers on every 1-5 scale{scaled}: {}",
                pairs.join(", ")
            ));
        }
        for field in checker.mapping.scales.keys() {
            if let Some(scale) = checker.mapping.scale_of(field) {
                self.notes.push(format!(
                    "{field}: {} (the mapping file's [scales]); counted as 1-5 answers",
                    scale.describe()
                ));
            }
        }
        let mut template = edition.start(shape, &checker, manifest.as_ref(), spool)?;
        let rules = InputRules::new(
            &checker,
            Admission {
                quarter: options.quarter,
                span: options.span,
                compare: options
                    .quarter
                    .filter(|_| options.compare_previous)
                    .map(Quarter::previous),
                include_unfinished: options.include_unfinished,
            },
        );
        #[cfg(feature = "parquet")]
        let mut rows_out = if options.parquet_rows {
            let file = tempfile::tempfile().map_err(|e| Error::Output(e.into()))?;
            Some(
                crate::write::parquet::RowsWriter::new(&checker.schema, file)
                    .map_err(|e| Error::Output(e.into()))?,
            )
        } else {
            None
        };
        #[cfg(not(feature = "parquet"))]
        let mut rows_out: Option<RowsOut> = None;
        let mut inputs = Vec::with_capacity(self.specs.len());
        let mut first = self.first.take();
        for spec in self.specs {
            let table = match first.take() {
                Some(table) => table,
                None => {
                    let score = |labels: &[String]| checker.header_score(labels);
                    ingest::open(spec, Some(&score))?
                }
            };
            let input = read_input(
                table,
                spec,
                &mut checker,
                template.as_mut(),
                (rules, preset),
                &mut self.findings,
                rows_out.as_mut(),
            )?;
            inputs.push(input);
        }
        checker
            .finish_unique(&mut self.findings, &mut inputs, &mut self.notes)
            .map_err(|e| {
                Error::Output(
                    anyhow::Error::new(e)
                        .context("comparing the response IDs sorted in a temporary file (TMPDIR)"),
                )
            })?;
        let published = template.finish(manifest.as_ref(), &mut self.findings, &mut self.notes)?;
        for input in &inputs {
            let file = &input.file;
            self.notes
                .extend(input.notes.iter().map(|n| format!("{file}: {n}")));
        }
        #[cfg(feature = "parquet")]
        let rows_parquet = match rows_out {
            Some(writer) => Some(writer.finish().map_err(|e| Error::Output(e.into()))?),
            None => None,
        };
        Ok(Run {
            #[cfg(feature = "parquet")]
            rows_parquet,
            schema: checker.schema,
            // A trend's workbook is dated by its last quarter.
            quarter: options.quarter.or(options.span.map(|(_, last)| last)),
            span: options.span,
            inputs,
            findings: self.findings,
            manifest,
            notes: self.notes,
            published,
        })
    }
}

/// Read one input: bind its header, then check and count every row in the
/// quarter. The pass stops at the first row the template cannot handle
/// (an output that cannot be written).
fn read_input(
    mut table: Table,
    spec: &InputSpec,
    checker: &mut Checker,
    template: &mut dyn Counting,
    (rules, preset): (InputRules, PresetChoice),
    findings: &mut Findings,
    mut rows_out: Option<&mut RowsOut>,
) -> Result<InputStats> {
    tracing::info!(
        "reading {}{} ({})",
        table.file,
        table
            .sheet
            .as_deref()
            .map(|s| format!(", sheet {s:?}"))
            .unwrap_or_default(),
        table.format
    );
    input::table_findings(&table, findings);
    let resolved = preset.resolve(&table);
    let mut binding = checker.bind(&table, resolved, findings);
    let mut input = InputStats {
        file: table.file.clone(),
        sheet: table.sheet.clone(),
        format: table.format.clone(),
        dated: rules.dated(&binding),
        preset: resolved.map(ingest::Preset::name),
        notes: input::table_notes(&table, resolved, preset),
        ..InputStats::default()
    };
    input.notes.append(&mut binding.notes);
    let rules = rules.for_table(&binding);
    // Without a required column no row can be counted; the header findings
    // say what to fix.
    if !binding.missing_required {
        let mut stopped: Option<Error> = None;
        // The previous quarter's rows are checked into findings and counts
        // of their own, which are not reported: they were last quarter's.
        let (mut quiet_findings, mut quiet_input) = (Findings::new(0), InputStats::default());
        // `report --parquet`: each valid row's fields as read.
        let listing = rows_out.is_some();
        let mut recorded: Vec<Option<crate::check::Recorded>> =
            vec![None; checker.schema.fields.len()];
        let file_name = input.file.clone();
        table
            .for_each_row(&mut |line, row| {
                let mut check = checker.row(&binding, row, line, findings);
                if listing {
                    recorded.fill(None);
                    check.recorded = Some(&mut recorded);
                }
                let admitted = rules.admit(&mut check, &mut input);
                if input.rows_read.is_multiple_of(ROW_STEP) {
                    spec.progress.rows(&input.file, input.rows_read);
                }
                let (counted, row_counted) = match admitted {
                    Admitted::Skip => (Ok(()), Counted::Invalid),
                    Admitted::Row => {
                        let (respondents, empty) = (input.respondents, input.rows_empty);
                        let counted = template.row(&mut check, &mut input);
                        let (errors, period) = (check.errors, check.period);
                        let row_counted = if input.respondents > respondents {
                            Counted::Respondent
                        } else if input.rows_empty > empty {
                            Counted::Empty
                        } else {
                            Counted::Invalid
                        };
                        let counted = match (counted, rows_out.as_deref_mut()) {
                            (Ok(()), Some(out)) if errors == 0 => list_row(
                                out,
                                &file_name,
                                line,
                                period.or(rules.quarter()),
                                &recorded,
                            ),
                            (counted, _) => counted,
                        };
                        (counted, row_counted)
                    }
                    Admitted::Comparison => {
                        let period = check.period;
                        let mut quiet = checker.row(&binding, row, line, &mut quiet_findings);
                        quiet.period = period;
                        quiet.comparison = true;
                        // Not reported: how it was counted does not matter.
                        (template.row(&mut quiet, &mut quiet_input), Counted::Invalid)
                    }
                };
                checker.row_done(row_counted);
                if let Err(e) = counted {
                    stopped = Some(e);
                    return ControlFlow::Break(());
                }
                ControlFlow::Continue(())
            })
            .map_err(Error::Input)?;
        if let Some(e) = stopped {
            return Err(e);
        }
        input::file_findings(&input, rules.quarter(), findings);
        if rules.span().is_some() {
            input::undated_for_trend(&input, findings);
        }
        input::repeated_header_findings(&table, findings);
    }
    if input.instants_converted > 0 {
        input.notes.push(format!(
            "{} date-times stating their UTC offset or time zone were seen in {} time to find their quarter",
            crate::display::group_thousands(input.instants_converted),
            checker.zone.name()
        ));
    }
    let digest = table.finish();
    (input.bytes, input.sha256) = (digest.bytes, digest.sha256);
    tracing::info!(
        "{}: {} rows, {} in quarter, {} outside, {} invalid",
        input.file,
        input.rows_read,
        input.rows_in_quarter,
        input.rows_outside_quarter,
        input.rows_invalid
    );
    Ok(input)
}

/// One input held in memory taken through the whole pass, for the fuzz
/// targets: read, bound, checked, counted and published as JSON.
#[cfg(feature = "fuzzing")]
pub(crate) fn pass_over_bytes(bytes: &[u8], workbook: Option<&str>) -> Result<()> {
    let name = match workbook {
        Some(extension) => format!("fuzz-input.{extension}"),
        None => "fuzz-input".to_string(),
    };
    let source = Input::Bytes {
        name,
        bytes: bytes.into(),
    };
    let spec = ReadOptions::default().spec(source, &Progress::default());
    let mapping = Mapping::default();
    let score = registry::any_edition_score(&mapping);
    let table = ingest::open(&spec, Some(&score))?;
    let schema = registry::shipped_schema(registry::detect(
        &table.headers,
        &table.descriptions,
        &mapping,
    ));
    let edition = registry::of_schema(&schema);
    let mut checker = Checker::new(schema, mapping);
    checker.recognise_column = edition.column_recogniser();
    let mut findings = Findings::new(100);
    let mut template = edition.start(Shape::Quarter, &checker, None, None)?;
    let rules = InputRules::new(&checker, Admission::default());
    read_input(
        table,
        &spec,
        &mut checker,
        template.as_mut(),
        (rules, PresetChoice::Detect),
        &mut findings,
        None,
    )?;
    let published = template.finish(None, &mut findings, &mut Vec::new())?;
    published
        .aggregate_json(None, &mut std::io::sink())
        .map_err(|e| Error::Output(e.into()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::RowCheck;
    use crate::tally::manifest::Manifest;
    use crate::template::{Published, Template};
    use std::path::Path;

    /// A template whose rows fail from the third on, as a full disk would.
    struct FailsAtRow3 {
        calls: u64,
    }

    impl Template for FailsAtRow3 {
        fn start(_: &Checker, _: Option<&Manifest>, _: Option<Spool>) -> Result<Self> {
            Ok(FailsAtRow3 { calls: 0 })
        }

        fn row(&mut self, _: &mut RowCheck<'_>, _: &mut InputStats) -> Result<()> {
            self.calls += 1;
            if self.calls == 3 {
                return Err(Error::Output(anyhow::anyhow!("no space left on device")));
            }
            Ok(())
        }

        fn finish(
            self,
            _: Option<&Manifest>,
            _: &mut Findings,
            _: &mut Vec<String>,
        ) -> Result<Box<dyn Published>> {
            Err(Error::Config(anyhow::anyhow!("not reached")))
        }
    }

    #[test]
    fn a_failing_row_ends_the_pass_at_once() {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/responses-fy2025.csv");
        let spec = ReadOptions::default().spec(Input::Path(path), &Progress::default());
        let mut checker = Checker::new(Schema::embedded("a11-v1"), Mapping::default());
        let table = ingest::open(&spec, None).unwrap();
        let mut template = FailsAtRow3::start(&checker, None, None).unwrap();
        let rules = InputRules::new(&checker, Admission::default());
        let mut findings = Findings::new(10);
        let stopped = read_input(
            table,
            &spec,
            &mut checker,
            &mut template,
            (rules, PresetChoice::Detect),
            &mut findings,
            None,
        );
        assert!(matches!(stopped, Err(Error::Output(_))));
        assert_eq!(template.calls, 3, "no row is read after the failure");
    }
}

#[cfg(test)]
mod properties {
    use super::*;
    use proptest::prelude::*;
    use std::path::Path;

    /// A v1 response: survey keys by index, two answers (0 = blank).
    type Response = (usize, usize, usize, u8, u8);

    fn response() -> impl Strategy<Value = Response> {
        (0..3usize, 0..2usize, 0..2usize, 0..=5u8, 0..=5u8)
    }

    fn export(rows: &[Response]) -> String {
        let mut text = String::from("service,touchpoint,channel,satisfaction,trust\n");
        for &(s, t, c, q1, q2) in rows {
            let answer = |a: u8| if a == 0 { String::new() } else { a.to_string() };
            text.push_str(&format!(
                "{},{},{},{},{}\n",
                ["Passport Renewal", "Tax Help", "VA Scheduling"][s],
                ["Online", "Phone line"][t],
                ["computer", "phone"][c],
                answer(q1),
                answer(q2)
            ));
        }
        text
    }

    /// The aggregate JSON of these exports, pooled.
    fn aggregate(dir: &Path, exports: &[String]) -> String {
        let inputs = exports
            .iter()
            .enumerate()
            .map(|(i, text)| {
                let path = dir.join(format!("part-{i}.csv"));
                std::fs::write(&path, text).unwrap();
                Input::Path(path)
            })
            .collect();
        let options = Options {
            inputs,
            quarter: Quarter::new(2025, 2),
            keep: 10,
            ..Options::default()
        };
        let run = run(&options, None, None).unwrap();
        let mut out = Vec::new();
        run.write_aggregate(AggregateFormat::Json, &mut out)
            .unwrap();
        String::from_utf8(out).unwrap()
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(24))]

        #[test]
        fn counts_do_not_depend_on_row_order_or_on_splitting_the_input(
            (rows, shuffled) in proptest::collection::vec(response(), 1..60)
                .prop_flat_map(|rows| (Just(rows.clone()), Just(rows).prop_shuffle())),
            split in any::<prop::sample::Index>(),
        ) {
            let dir = tempfile::tempdir().unwrap();
            let whole = aggregate(dir.path(), &[export(&rows)]);
            let reordered = aggregate(dir.path(), &[export(&shuffled)]);
            prop_assert_eq!(&whole, &reordered);
            let at = split.index(rows.len() + 1);
            let parts = [export(&rows[..at]), export(&rows[at..])];
            prop_assert_eq!(&whole, &aggregate(dir.path(), &parts));
        }
    }
}
