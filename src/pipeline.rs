//! The run: configuration resolved, then one pass over every row of every
//! input — read, checked and counted together — written once, generic over
//! the template; the one place that chooses between templates.

use std::io::Write;
use std::ops::ControlFlow;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::check::Checker;
use crate::check::findings::{Findings, Kind, Severity};
use crate::check::input::{self, Admission, Admitted, InputRules, InputStats};
use crate::check::unique::Counted;
use crate::error::{Error, Result};
use crate::fiscal::Quarter;
use crate::ingest::{self, InputSpec, PresetChoice, Table};
use crate::progress::{Observer, Progress, ROW_STEP};
use crate::schema::{Mapping, Schema};
use crate::tally::manifest::{self, Manifest};
use crate::template::registry::{self, Template};
use crate::template::{self, Counting, Edition, Published, Shape};
use crate::write::report::Report;
use crate::write::spool::Spool;
use crate::write::staged::{Staged, ensure_not_an_input};
use crate::write::workbook::Common;

/// How to read an export: shared by every command and `init`.
#[derive(Debug, Clone, Default)]
pub struct ReadOptions {
    /// The template, when the header does not make it plain.
    pub template: Option<Template>,
    /// The survey platform's export shape (default: the mapping file's, or
    /// recognised from the header).
    pub preset: Option<PresetChoice>,
    /// Excel sheet by name, or by 1-based position.
    pub sheet: Option<String>,
    /// Force the CSV delimiter instead of sniffing it.
    pub delimiter: Option<u8>,
    /// Force the text encoding of delimited input instead of detecting it.
    pub encoding: Option<&'static encoding_rs::Encoding>,
    /// The header's row number, instead of searching for it.
    pub header_row: Option<u64>,
}

impl ReadOptions {
    pub(crate) fn spec(&self, path: Option<PathBuf>, progress: &Progress) -> InputSpec {
        InputSpec {
            path,
            delimiter: self.delimiter,
            sheet: self.sheet.clone(),
            encoding: self.encoding,
            header_row: self.header_row,
            progress: progress.clone(),
        }
    }
}

/// What to read and how to judge it.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// The exports, pooled; `None` is standard input.
    pub inputs: Vec<Option<PathBuf>>,
    /// A built-in schema by name, or a JSON schema file.
    pub schema: Option<String>,
    /// A value for a field in every row (`--set`), over the mapping file's.
    pub set: Vec<(String, String)>,
    /// The mapping file.
    pub map: Option<PathBuf>,
    pub read: ReadOptions,
    /// Count responses the platform marks unfinished.
    pub include_unfinished: bool,
    /// The services manifest.
    pub services: Option<PathBuf>,
    /// The fiscal quarter; `None` checks every row.
    pub quarter: Option<Quarter>,
    /// The reporting time zone (IANA name) in which date-times that state
    /// a UTC offset are seen to find their quarter; default
    /// America/New_York.
    pub timezone: Option<String>,
    /// Take e-mail addresses, phone numbers, SSN-shaped numbers and the
    /// mapping file's `redact` patterns out of free text written out.
    pub redact: bool,
    /// The run writes the report to submit (`hisp report`): what cannot be
    /// submitted, such as a placeholder for an OMB control number, is an
    /// error rather than a warning.
    pub submission: bool,
    /// `hisp trend`: every quarter from the first to the last, each counted
    /// on its own; `quarter` is then `None`.
    pub span: Option<(Quarter, Quarter)>,
    /// `hisp report`: count the previous quarter's rows too, to compare
    /// each share with it (its rows' findings are not reported).
    pub compare_previous: bool,
    /// `report --parquet`: list the quarter's valid rows as Parquet, as
    /// the pass goes.
    #[cfg(feature = "parquet")]
    pub parquet_rows: bool,
    /// Memory for each unique field's values, in MiB (`--unique-budget`);
    /// `None` is [`crate::DEFAULT_UNIQUE_BUDGET_MIB`].
    pub unique_budget: Option<u64>,
    /// `--skip-invalid`: rows with errors are set aside during the pass, so
    /// repeats must be found during it too, whatever the budget.
    pub set_aside_invalid: bool,
    /// Respondents below which a share is flagged small-n (`--min-n`);
    /// `None` is [`crate::DEFAULT_MIN_N`].
    pub min_n: Option<u64>,
    /// How many errors and how many warnings to keep listed (the counts are
    /// always complete).
    pub keep: usize,
}

impl Options {
    /// Every file the run reads: inputs, manifest, mapping file, schema.
    fn input_paths(&self) -> Vec<PathBuf> {
        let mut paths: Vec<PathBuf> = self.inputs.iter().flatten().cloned().collect();
        paths.extend(self.services.clone());
        paths.extend(self.map.clone());
        paths.extend(self.schema.as_ref().map(PathBuf::from));
        paths
    }

    /// Refuse an output that is one of the run's inputs: a run never
    /// touches its inputs.
    pub fn ensure_not_an_input(&self, output: &Path) -> Result<()> {
        ensure_not_an_input(output, &self.input_paths())
    }
}

/// The outputs of `hisp report`.
#[derive(Debug, Clone)]
pub struct ReportOutputs {
    /// The workbook (.xlsx).
    pub workbook: PathBuf,
    /// Also write the template's main table as CSV into this directory.
    pub csv_dir: Option<PathBuf>,
    /// Write the upload files (A-11 v2) into this directory.
    pub upload_dir: Option<PathBuf>,
    /// Rows with errors were left out.
    pub skip_invalid: bool,
    /// A-11 v2: leave the `Responses` sheets out of the workbook (the
    /// upload files are still written).
    pub no_responses: bool,
}

/// The aggregate's formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AggregateFormat {
    Csv,
    Json,
}

/// Everything a run computed, ready to be reported and written.
pub struct Run {
    /// `report --parquet`: the quarter's valid rows, written during the
    /// pass to an anonymous file.
    #[cfg(feature = "parquet")]
    rows_parquet: Option<std::fs::File>,
    schema: Schema,
    quarter: Option<Quarter>,
    span: Option<(Quarter, Quarter)>,
    inputs: Vec<InputStats>,
    findings: Findings,
    manifest: Option<Manifest>,
    /// What hisp decided on the user's behalf (schema, survey types, how
    /// inputs were read).
    notes: Vec<String>,
    published: Box<dyn Published>,
}

/// Read the configuration and every input, check and count in one pass.
/// With `spool_dir`, responses the outputs list one by one (A-11 v2) are
/// spooled there during the pass.
pub fn run(
    options: &Options,
    spool_dir: Option<&Path>,
    observer: Option<Arc<dyn Observer>>,
) -> Result<Run> {
    let mut mapping = match &options.map {
        Some(path) => Mapping::load(path).map_err(Error::Config)?,
        None => Mapping::default(),
    };
    mapping.constants.extend(options.set.iter().cloned());
    if options.inputs.iter().filter(|i| i.is_none()).count() > 1 {
        return Err(Error::config(anyhow::anyhow!(
            "standard input (-) can be read only once"
        )));
    }
    ensure_each_input_once(&options.inputs)?;
    let progress = Progress::new(observer);
    let mut specs: Vec<InputSpec> = options
        .inputs
        .iter()
        .map(|p| options.read.spec(p.clone(), &progress))
        .collect();
    // A trend also takes earlier quarters kept only as counts.
    let mut history = template::history::History::new();
    let mut history_notes = Vec::new();
    let mut history_findings = Findings::new(options.keep);
    if let Some(span) = options.span {
        let mut responses = Vec::new();
        for spec in specs {
            if spec.path.is_some() && is_history_table(&spec)? {
                let (read, note) = template::history::read(&spec, span, &mut history_findings)?;
                history.extend(read);
                history_notes.push(note);
            } else {
                responses.push(spec);
            }
        }
        specs = responses;
    }
    let (schema, note, first) = resolve_schema(options, &specs, &mapping)?;
    let source = options
        .map
        .as_ref()
        .map_or("--set".to_string(), |p| format!("{} or --set", p.display()));
    mapping.check(&schema, &source).map_err(Error::Config)?;
    registry::check_mapping(&mapping, &source).map_err(Error::Config)?;
    let spool = match spool_dir {
        Some(dir) => Some(Spool::new(dir).map_err(Error::Output)?),
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

/// Whether an input is a table of counts per survey and quarter (read by
/// its header only).
fn is_history_table(spec: &InputSpec) -> Result<bool> {
    let score = |labels: &[String]| crate::ingest::layout::HeaderScore {
        by_name: usize::from(template::history::is_history(labels)),
        by_wording: 0,
    };
    Ok(template::history::is_history(
        &ingest::open(spec, Some(&score))?.headers,
    ))
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
                let spec = ReadOptions::default().spec(Some(path.clone()), &Progress::default());
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

/// The same file given twice (by any path: a link, `./`) would count its
/// responses twice and report each as a duplicate of itself.
fn ensure_each_input_once(inputs: &[Option<PathBuf>]) -> Result<()> {
    let mut seen: std::collections::HashMap<same_file::Handle, &PathBuf> = Default::default();
    // Files of one size, compared by content below.
    let mut by_size: std::collections::BTreeMap<u64, Vec<&PathBuf>> = Default::default();
    for path in inputs.iter().flatten() {
        // Only regular files: opening a pipe here would take its reader's
        // place. A file that cannot be opened is reported when it is read.
        let Ok(meta) = std::fs::metadata(path) else {
            continue;
        };
        if !meta.is_file() {
            continue;
        }
        let Ok(handle) = same_file::Handle::from_path(path) else {
            continue;
        };
        if let Some(first) = seen.insert(handle, path) {
            return Err(Error::config(anyhow::anyhow!(
                "the input {} was given twice (also as {}); give each file once",
                path.display(),
                first.display()
            )));
        }
        by_size.entry(meta.len()).or_default().push(path);
    }
    // Two files with the same bytes (an export downloaded twice): hashed
    // only when their sizes agree, which different exports rarely do.
    for paths in by_size.values().filter(|p| p.len() > 1) {
        let mut hashes: Vec<(String, &PathBuf)> = Vec::new();
        for path in paths {
            // A header with no rows may well repeat another's.
            let Ok((hash, lines)) = sha256_of(path) else {
                continue;
            };
            if lines < 2 {
                continue;
            }
            if let Some((_, first)) = hashes.iter().find(|(h, _)| *h == hash) {
                return Err(Error::config(anyhow::anyhow!(
                    "the inputs {} and {} have the same content (sha256 {hash}): the same export given twice? Give it once",
                    first.display(),
                    path.display()
                )));
            }
            hashes.push((hash, path));
        }
    }
    Ok(())
}

/// A file's SHA-256, in hex, and how many line breaks it holds.
fn sha256_of(path: &Path) -> std::io::Result<(String, usize)> {
    use sha2::Digest;
    use std::io::Read;
    let mut hasher = sha2::Sha256::new();
    let mut file = std::fs::File::open(path)?;
    let mut buf = vec![0u8; 1 << 16];
    let mut lines = 0;
    loop {
        let n = file.read(&mut buf)?;
        if n == 0 {
            break;
        }
        hasher.update(&buf[..n]);
        lines += buf[..n].iter().filter(|&&b| b == b'\n').count();
    }
    Ok((format!("{:x}", hasher.finalize()), lines))
}

/// Whether `name` is a reporting time zone hisp knows (an IANA name).
pub fn check_time_zone(name: &str) -> Result<()> {
    parse_zone(name).map(|_| ())
}

/// A reporting time zone by its IANA name.
pub(crate) fn parse_zone(name: &str) -> Result<chrono_tz::Tz> {
    name.parse().map_err(|_| {
        Error::Config(anyhow::anyhow!(
            "unknown time zone {name:?}: give an IANA name such as America/New_York, America/Chicago, America/Denver, America/Los_Angeles, Pacific/Honolulu or UTC"
        ))
    })
}

/// The schema to use: `--schema`, else the template given or recognised
/// from the first input's header. Also says what was recognised, and hands
/// back the first input, open, so that it is read once.
fn resolve_schema(
    options: &Options,
    specs: &[InputSpec],
    mapping: &Mapping,
) -> Result<(Schema, Option<String>, Option<Table>)> {
    if let Some(name) = &options.schema {
        let schema = if registry::is_shipped(name) {
            registry::shipped_schema(name)
        } else {
            Schema::load(Path::new(name)).map_err(Error::Config)?
        };
        return Ok((schema, None, None));
    }
    let score = registry::any_edition_score(mapping);
    let first = match specs.first() {
        Some(spec) => Some(ingest::open(spec, Some(&score))?),
        None => None,
    };
    let detected = first
        .as_ref()
        .map(|t| registry::detect(&t.headers, &t.descriptions, mapping));
    // A template given takes the header's schema when it is one of its own
    // (A-11 v2's upload file), else its response schema.
    let name = match (options.read.template, detected) {
        (Some(given), Some(d)) if given.edition().schemas().iter().any(|(n, _)| *n == d) => d,
        (Some(given), _) => given.edition().response_schema(),
        (None, Some(d)) => d,
        (None, None) => registry::first().response_schema(),
    };
    let note = match (&first, options.read.template) {
        (Some(table), None) => Some(format!(
            "schema {name} (recognised from the header of {})",
            table.file
        )),
        _ => None,
    };
    Ok((registry::shipped_schema(name), note, first))
}

impl Run {
    /// Whether the run passes: no errors (or only row errors set aside by
    /// `--skip-invalid`), and no warnings under `--strict`.
    pub fn passes(&self, strict: bool, skip_invalid: bool) -> bool {
        let errors_ok = if skip_invalid {
            // Setting rows aside must leave something to report.
            let nothing_left = self.rows_invalid() > 0 && self.respondents() == 0;
            !(self.has_table_errors() || nothing_left)
        } else {
            self.findings.error_count == 0
        };
        errors_ok && !(strict && self.findings.warning_count > 0)
    }

    /// Findings that `--skip-invalid` cannot set aside: they concern a
    /// whole table, not a row.
    fn has_table_errors(&self) -> bool {
        self.findings.tally.iter().any(|((severity, kind, _), n)| {
            *severity == Severity::Error
                && *n > 0
                && matches!(
                    kind,
                    Kind::MissingLabel | Kind::UnrecognisedHeader | Kind::DuplicateLabel
                )
        })
    }

    /// The validation report, listing at most `max_errors` errors and as
    /// many warnings.
    pub fn report(&self, valid: bool, strict: bool, max_errors: usize) -> Report<'_> {
        Report {
            valid,
            strict,
            quarter: self.quarter,
            span: self.span,
            notes: &self.notes,
            inputs: &self.inputs,
            findings: &self.findings,
            max_errors,
            set_aside: None,
        }
    }

    pub fn errors(&self) -> u64 {
        self.findings.error_count
    }

    pub fn warnings(&self) -> u64 {
        self.findings.warning_count
    }

    pub fn surveys(&self) -> usize {
        self.published.surveys()
    }

    pub fn respondents(&self) -> u64 {
        self.published.respondents()
    }

    /// Rows in the quarter with errors, over all inputs.
    pub fn rows_invalid(&self) -> u64 {
        self.inputs.iter().map(|i| i.rows_invalid).sum()
    }

    /// The aggregate: counts per survey, service and overall.
    pub fn write_aggregate(
        &self,
        format: AggregateFormat,
        out: &mut dyn Write,
    ) -> std::io::Result<()> {
        match format {
            AggregateFormat::Csv => self.published.aggregate_csv(out),
            AggregateFormat::Json => self.published.aggregate_json(self.quarter, out),
        }
    }

    /// Write the workbook and, as asked, the main table as CSV and the
    /// upload files, all or none: each is staged, and renamed into place
    /// only when every one is complete. The files written, in order.
    pub fn write_outputs(
        &self,
        outputs: &ReportOutputs,
        options: &Options,
    ) -> Result<Vec<PathBuf>> {
        let quarter = self
            .quarter
            .ok_or_else(|| Error::config(anyhow::anyhow!("a report needs a quarter")))?;
        let common = Common {
            quarter,
            inputs: &self.inputs,
            manifest: self.manifest.as_ref(),
            schema: &self.schema,
            warnings: &self.findings.warnings,
            excluded: if outputs.skip_invalid {
                &self.findings.errors
            } else {
                &[]
            },
            findings_truncated: self.findings.truncated(),
            skip_invalid: outputs.skip_invalid,
            responses_sheet: !outputs.no_responses,
            surveys: self.surveys(),
            respondents: self.respondents(),
            notes: &self.notes,
            comparison: None,
        };
        for dir in [&outputs.csv_dir, &outputs.upload_dir]
            .into_iter()
            .flatten()
        {
            std::fs::create_dir_all(dir).map_err(|e| {
                Error::Output(
                    anyhow::Error::new(e).context(format!("cannot create {}", dir.display())),
                )
            })?;
        }
        let mut staged = Staged::guarding(options.input_paths());
        staged.stage(&outputs.workbook, |f| {
            self.published.workbook(&common, f).map_err(Into::into)
        })?;
        if let Some(dir) = &outputs.csv_dir {
            let (what, table) = self.published.main_table(quarter, &self.schema);
            let target = csv_target(dir, &outputs.workbook, what);
            staged.stage(&target, |f| {
                crate::write::csv_to(f, |w| {
                    w.write_record(&table.header)?;
                    for row in &table.rows {
                        w.write_record(row.iter().map(crate::write::OutCell::csv_field))?;
                    }
                    Ok(())
                })
                .map_err(Into::into)
            })?;
        }
        if let Some(dir) = &outputs.upload_dir {
            match self.published.stage_uploads(dir, &mut staged) {
                Some(staged) => {
                    staged?;
                }
                None => tracing::warn!(
                    "--upload-dir writes A-11 v2 upload files; these inputs are A-11 v1"
                ),
            }
        }
        staged.commit()
    }
}

#[cfg(feature = "parquet")]
impl Run {
    /// `report --parquet FILE`: the quarter's valid rows, put in place.
    pub fn write_rows_parquet(&self, path: &Path, options: &Options) -> Result<()> {
        use std::io::Seek;
        let Some(file) = &self.rows_parquet else {
            return Err(Error::config(anyhow::anyhow!(
                "no rows were listed for --parquet"
            )));
        };
        let mut file = file.try_clone().map_err(|e| Error::Output(e.into()))?;
        file.rewind().map_err(|e| Error::Output(e.into()))?;
        let mut staged = Staged::guarding(options.input_paths());
        staged.stage(path, |f| {
            std::io::copy(&mut file, f)?;
            Ok(())
        })?;
        staged.commit().map(|_| ())
    }

    /// `--parquet FILE`: the main table (a trend's long table) as Parquet.
    pub fn write_parquet(&self, path: &Path, options: &Options) -> Result<()> {
        let quarter = self
            .quarter
            .ok_or_else(|| Error::config(anyhow::anyhow!("--parquet needs a quarter")))?;
        let (_, table) = self.published.main_table(quarter, &self.schema);
        let mut staged = Staged::guarding(options.input_paths());
        staged.stage(path, |f| {
            crate::write::parquet::write(&table, f).map_err(|e| std::io::Error::other(e).into())
        })?;
        staged.commit().map(|_| ())
    }
}

/// One input held in memory taken through the whole pass, for the fuzz
/// targets: read, bound, checked, counted and published as JSON.
#[cfg(feature = "fuzzing")]
pub(crate) fn pass_over_bytes(bytes: &[u8], workbook: Option<&str>) -> Result<()> {
    let spec = ReadOptions::default().spec(None, &Progress::default());
    let mapping = Mapping::default();
    let score = registry::any_edition_score(&mapping);
    let table = ingest::open_bytes(&spec, bytes.to_vec(), workbook, Some(&score))?;
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

/// `DIR/<workbook name>-<what>.csv`
fn csv_target(dir: &Path, workbook: &Path, what: &str) -> PathBuf {
    let stem = workbook
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or("hisp-report");
    dir.join(format!("{stem}-{what}.csv"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::RowCheck;
    use crate::template::Template;

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
        let spec = ReadOptions::default().spec(Some(path), &Progress::default());
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
                Some(path)
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
