//! `hisp init`: read an export's header and values and write the mapping
//! file that makes it usable, every guess a line the user can read and
//! correct. Columns are matched by name (field names, aliases and common
//! export spellings), by the platform's preset, and by question wording;
//! answer labels and channel spellings outside the standard ones are listed
//! with the value they probably mean.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use crate::check::ColumnRecogniser;
use crate::check::labelled_number;
use crate::error::{Error, Result};
use crate::ingest::{Cell, Input, Preset, Table, cell_text};
use crate::pipeline::ReadOptions;
use crate::progress::Progress;
use crate::schema::wording::{self, Strength};
use crate::schema::{ColumnRule, Mapping, Schema, code_matches, fold, normalize_label, words};
use crate::template::registry;

/// A mapping file written for an export.
#[derive(Debug, Clone)]
pub struct Init {
    /// The mapping file, TOML with comments.
    pub text: String,
    /// The template it maps to.
    pub template: &'static str,
    /// The export's shape, when a platform's was recognised.
    pub shape: Option<String>,
    /// Fields the template needs that no column holds.
    pub missing: Vec<String>,
}

/// Read an export's header and values and write the mapping file that makes
/// it usable.
pub fn init(input: &std::path::Path, read: &ReadOptions) -> Result<Init> {
    let spec = read.spec(Input::Path(input.to_path_buf()), &Progress::default());
    let mapping = Mapping::default();
    let score = registry::any_edition_score(&mapping);
    let mut table = crate::ingest::open(&spec, Some(&score))?;
    let preset = read.preset.unwrap_or_default().resolve(&table);
    let name = match read.template {
        Some(template) => template.edition().response_schema(),
        None => {
            let detected = registry::detect(&table.headers, &table.descriptions, &mapping);
            let edition = registry::of_schema_name(detected);
            match edition.needs_no_mapping(detected) {
                Some(why) => {
                    tracing::warn!("{} {why}", table.file);
                    edition.response_schema()
                }
                None => detected,
            }
        }
    };
    let schema = registry::shipped_schema(name);
    let recognise = registry::of_schema(&schema).column_recogniser();
    let mut proposal = Proposal::new(&table, &schema, preset, recognise);
    // A table of results has no mapping to responses.
    let results = crate::check::summary::result_columns(&table.headers);
    let required_missing = proposal
        .missing
        .iter()
        .any(|&f| matches!(schema.fields[f].column, ColumnRule::Required));
    if required_missing && !results.is_empty() {
        return Err(Error::input(anyhow::anyhow!(
            crate::check::summary::message(&table.file, &results)
        )));
    }
    proposal
        .read_values(&mut table, &schema)
        .map_err(Error::Input)?;
    let source = input.display().to_string();
    let text = proposal.to_toml(&table, &schema, &source);
    // The file must load as a mapping for this schema.
    let check: Mapping = toml::from_str(&text)
        .map_err(|e| Error::config(anyhow::anyhow!("the mapping written is not valid: {e}")))?;
    check
        .check(&schema, "the mapping written")
        .map_err(Error::Config)?;
    Ok(Init {
        text,
        template: name,
        shape: preset.map(|p| p.describe(&table)),
        missing: proposal
            .missing
            .iter()
            .map(|&f| schema.fields[f].name.clone())
            .collect(),
    })
}

/// Distinct values kept per column to propose labels and channels.
const DISTINCT: usize = 200;

/// How a column was matched to a field.
#[derive(Debug, Clone, PartialEq)]
enum How {
    /// Already named after the field (or an alias): no mapping line needed.
    Canonical,
    /// The platform's column for the field.
    Preset(Preset),
    /// A common export spelling of the field's name.
    Name,
    Wording(Strength),
    /// Its values are free text: a comment, whatever its name says.
    FreeText,
    /// An A-11 v2 driver, by its multi-select question and choice.
    Driver,
    /// Named like a survey, but a different value on every row: the
    /// response's ID (Medallia calls each response a survey).
    UniquePerRow(usize),
}

/// What `init` found, ready to be written as TOML.
struct Proposal {
    pub schema: String,
    pub preset: Option<Preset>,
    /// field → (column, how)
    bound: BTreeMap<usize, (usize, How)>,
    labels: Vec<(String, Option<i64>, usize)>,
    /// Answers to the A-11 v2 trust question the template does not know.
    trust_labels: Vec<(String, Option<i64>, usize)>,
    channels: Vec<(String, Option<&'static str>, usize)>,
    /// Fields the template needs that no column holds.
    pub missing: Vec<usize>,
    /// Columns matched to nothing.
    pub unused: Vec<usize>,
}

/// Common spellings of field names in exports, by field.
const NAMES: &[(&str, &[&str])] = &[
    (
        "response_id",
        &[
            "responseid",
            "response_id",
            "record_id",
            "submission_id",
            "uuid",
            "id",
        ],
    ),
    (
        "submitted_at",
        &[
            "recordeddate",
            "recorded_date",
            "enddate",
            "end_date",
            "response_date",
            "submitted",
            "submission_date",
            "date_submitted",
            "created_at",
            "completed",
            "completion_date",
            "survey_date",
            "timestamp",
            "date",
        ],
    ),
    (
        "service",
        &["service_name", "program", "program_name", "hisp_service"],
    ),
    (
        "touchpoint",
        &[
            "touchpoint_name",
            "touch_point",
            "transaction_point",
            "interaction",
            "interaction_type",
        ],
    ),
    (
        "transaction_point",
        &["touchpoint", "touchpoint_name", "touch_point"],
    ),
    (
        "channel",
        &[
            "mode",
            "delivery_channel",
            "contact_channel",
            "service_channel",
        ],
    ),
    (
        "comment",
        &[
            "comments",
            "feedback",
            "additional_feedback",
            "open_text",
            "verbatim",
        ],
    ),
];

/// Answer labels of common non-agreement 5-point scales, and the value each
/// most likely means on the A-11 1-5 scale.
const SCALES: &[(&str, i64)] = &[
    ("completely disagree", 1),
    ("somewhat disagree", 2),
    ("somewhat agree", 4),
    ("completely agree", 5),
    ("very dissatisfied", 1),
    ("dissatisfied", 2),
    ("neither satisfied nor dissatisfied", 3),
    ("neither satisfied or dissatisfied", 3),
    ("satisfied", 4),
    ("very satisfied", 5),
    ("very poor", 1),
    ("poor", 2),
    ("fair", 3),
    ("good", 4),
    ("excellent", 5),
    ("very bad", 1),
    ("bad", 2),
    ("neither good nor bad", 3),
    ("very good", 5),
    ("very difficult", 1),
    ("difficult", 2),
    ("neither easy nor difficult", 3),
    ("easy", 4),
    ("very easy", 5),
];

/// Trust answers in other words, and the thumbs answer they most likely
/// mean.
const TRUST_GUESSES: &[(&str, i64)] = &[
    ("sí", 1),
    ("si", 1),
    ("oui", 1),
    ("non", 0),
    ("thumbsup", 1),
    ("thumbsdown", 0),
    ("positive", 1),
    ("negative", 0),
];

/// Rows a survey_id column must differ on, every one, to be taken for the
/// response's ID.
const UNIQUE_ROWS: usize = 20;

/// Channel spellings and the code they most likely mean.
const CHANNEL_GUESSES: &[(&str, &str)] = &[
    ("online", "website"),
    ("web", "website"),
    ("internet", "website"),
    ("telephone", "phone"),
    ("call", "phone"),
    ("ivr", "automated_phone"),
    ("office", "in_person"),
    ("walk", "in_person"),
    ("mail", "postal_mail"),
    ("letter", "postal_mail"),
    ("sms", "sms_text_messages"),
    ("text", "sms_text_messages"),
    ("chat", "live_chat"),
    ("app", "mobile_app"),
    ("kiosk", "self_service_kiosk"),
];

impl Proposal {
    /// Match the table's columns to the schema's fields. Values are read
    /// afterwards with [`Proposal::read_values`].
    fn new(
        table: &Table,
        schema: &Schema,
        preset: Option<Preset>,
        recognise: Option<ColumnRecogniser>,
    ) -> Proposal {
        let width = table.headers.len();
        let label = |c: usize| table.headers[c].as_str();
        let import_id = |c: usize| table.import_ids.get(c).map_or("", |s| s.as_str());
        let mut bound: BTreeMap<usize, (usize, How)> = BTreeMap::new();
        let mut used = vec![false; width];
        let mut take = |field: usize, col: usize, how: How, used: &mut Vec<bool>| {
            if !used[col] && !bound.contains_key(&field) {
                bound.insert(field, (col, how));
                used[col] = true;
            }
        };
        // Canonical names and aliases.
        for col in 0..width {
            let wanted = normalize_label(label(col));
            if let Some(field) = schema.fields.iter().position(|f| {
                normalize_label(&f.name) == wanted
                    || f.aliases.iter().any(|a| normalize_label(a) == wanted)
            }) {
                take(field, col, How::Canonical, &mut used);
            }
        }
        // The platform's own columns.
        if let Some(p) = preset {
            for (name, field) in p.columns() {
                let (Some(field), Some(col)) = (
                    schema.index_of(field),
                    (0..width).find(|&c| label(c).eq_ignore_ascii_case(name)),
                ) else {
                    continue;
                };
                take(field, col, How::Preset(p), &mut used);
            }
        }
        // Common spellings, skipping the platform's bookkeeping columns.
        let bookkeeping = |c: usize| preset.is_some_and(|p| p.ignores(label(c), import_id(c)));
        for (field, spellings) in NAMES {
            let Some(field) = schema.index_of(field) else {
                continue;
            };
            for spelling in *spellings {
                if let Some(col) = (0..width).find(|&c| {
                    !used[c] && !bookkeeping(c) && normalize_label(label(c)) == *spelling
                }) {
                    take(field, col, How::Name, &mut used);
                    break;
                }
            }
        }
        // Question wording.
        let texts: Vec<Option<String>> = (0..width)
            .map(|c| {
                let text = match table.descriptions.get(c) {
                    Some(d) if !d.is_empty() => d.as_str(),
                    _ => label(c),
                };
                let open = !used[c]
                    && !bookkeeping(c)
                    && crate::ingest::preset::is_answer_column(label(c), import_id(c));
                open.then(|| text.to_string())
            })
            .collect();
        let taken: Vec<bool> = (0..schema.fields.len())
            .map(|f| bound.contains_key(&f))
            .collect();
        for m in wording::pair(schema, &texts, &taken) {
            bound.insert(m.field, (m.column, How::Wording(m.strength)));
            used[m.column] = true;
        }
        // Columns the edition recognises by their question text (A-11 v2's
        // drivers, by their multi-select question and choice).
        for (col, text) in texts.iter().enumerate() {
            let Some(field) = text
                .as_deref()
                .zip(recognise)
                .and_then(|(text, recognise)| recognise(text))
                .and_then(|name| schema.index_of(&name))
            else {
                continue;
            };
            if !used[col] && !bound.contains_key(&field) {
                bound.insert(field, (col, How::Driver));
                used[col] = true;
            }
        }
        let missing = (0..schema.fields.len())
            .filter(|f| !bound.contains_key(f))
            .filter(|&f| {
                matches!(
                    schema.fields[f].column,
                    ColumnRule::Required | ColumnRule::Recommended
                )
            })
            .collect();
        let unused = (0..width)
            .filter(|&c| !used[c] && !bookkeeping(c) && !label(c).is_empty())
            .collect();
        Proposal {
            schema: schema.name.clone(),
            preset,
            bound,
            labels: Vec::new(),
            trust_labels: Vec::new(),
            channels: Vec::new(),
            missing,
            unused,
        }
    }

    /// Read every row and collect the answer labels and channel spellings
    /// the template does not know.
    fn read_values(&mut self, table: &mut Table, schema: &Schema) -> anyhow::Result<()> {
        let scale_columns: Vec<(usize, usize)> = self
            .bound
            .iter()
            .filter(|(f, _)| !schema.fields[**f].categories.is_empty())
            .map(|(f, (c, _))| (*f, *c))
            .collect();
        let channel = schema
            .index_of("channel")
            .and_then(|f| self.bound.get(&f).map(|(c, _)| (f, *c)));
        // Per scale column: labels it holds that the template does not
        // know, and how many of its answers are read as they are.
        let mut unknown: Vec<BTreeMap<String, usize>> = vec![BTreeMap::new(); scale_columns.len()];
        let mut known = vec![0usize; scale_columns.len()];
        let mut channels: BTreeMap<String, usize> = BTreeMap::new();
        let survey_id = schema
            .index_of("survey_id")
            .and_then(|f| self.bound.get(&f).map(|(c, _)| (f, *c)));
        let (mut survey_ids, mut id_rows) = (std::collections::HashSet::new(), 0usize);
        table.for_each_row(&mut |_, row| {
            if let Some((_, col)) = survey_id
                && survey_ids.len() == id_rows
                && id_rows < 10_000
            {
                id_rows += 1;
                survey_ids.insert(cell_text(row.cell(col)).trim().to_string());
            }
            for (i, &(field, col)) in scale_columns.iter().enumerate() {
                let cell = row.cell(col);
                let Cell::Text(t) = cell else {
                    if !matches!(cell, Cell::Empty) {
                        known[i] += 1;
                    }
                    continue;
                };
                let t = t.trim();
                if t.is_empty() {
                    continue;
                }
                if accepted_answer(schema, field, t) {
                    known[i] += 1;
                } else if unknown[i].len() < DISTINCT || unknown[i].contains_key(t) {
                    *unknown[i].entry(t.to_string()).or_default() += 1;
                }
            }
            if let Some((field, col)) = channel {
                let text = cell_text(row.cell(col));
                let text = text.trim();
                let codes = &schema.fields[field].constraints.allowed;
                if !text.is_empty()
                    && !codes.iter().any(|c| code_matches(text, c))
                    && (channels.len() < DISTINCT || channels.contains_key(text))
                {
                    *channels.entry(text.to_string()).or_default() += 1;
                }
            }
            std::ops::ControlFlow::Continue(())
        })?;
        // A survey_id that differs on every row identifies responses.
        if let Some((field, col)) = survey_id
            && id_rows >= UNIQUE_ROWS
            && survey_ids.len() == id_rows
        {
            self.bound.remove(&field);
            let id = ["response_id", "external_id"]
                .into_iter()
                .find_map(|n| schema.index_of(n))
                .filter(|f| !self.bound.contains_key(f));
            match id {
                Some(id) => {
                    self.bound.insert(id, (col, How::UniquePerRow(id_rows)));
                    self.missing.retain(|m| *m != id);
                }
                None => {
                    self.unused.push(col);
                    self.unused.sort_unstable();
                }
            }
        }
        // A column named like a question whose answers are mostly free
        // text (Qualtrics' `Q8` comment box) is a comment, not a question.
        let comment = schema.index_of("comment");
        let mut labels: BTreeMap<String, usize> = BTreeMap::new();
        let mut trust: BTreeMap<String, usize> = BTreeMap::new();
        let question_1 = schema.index_of("question_1");
        for (i, &(field, col)) in scale_columns.iter().enumerate() {
            let distinct_texts = unknown[i].len();
            let texts: usize = unknown[i].values().sum();
            let free_text = distinct_texts > 5 && texts > known[i] && !is_scale_labels(&unknown[i]);
            if !free_text {
                let into = if Some(field) == question_1 {
                    &mut trust
                } else {
                    &mut labels
                };
                for (label, n) in std::mem::take(&mut unknown[i]) {
                    *into.entry(label).or_default() += n;
                }
                continue;
            }
            self.bound.remove(&field);
            match comment.filter(|c| !self.bound.contains_key(c)) {
                Some(c) => {
                    self.bound.insert(c, (col, How::FreeText));
                    self.missing.retain(|m| *m != c);
                }
                None => {
                    self.unused.push(col);
                    self.unused.sort_unstable();
                }
            }
            let f = &schema.fields[field];
            if matches!(f.column, ColumnRule::Required | ColumnRule::Recommended) {
                self.missing.push(field);
                self.missing.sort_unstable();
            }
        }
        self.trust_labels = trust
            .into_iter()
            .map(|(l, n)| {
                let guess = TRUST_GUESSES
                    .iter()
                    .chain(SCALES)
                    .find(|(s, _)| s.eq_ignore_ascii_case(&l))
                    .map(|(_, v)| *v);
                (l, guess, n)
            })
            .collect();
        self.labels = labels
            .into_iter()
            .map(|(l, n)| {
                let guess = SCALES
                    .iter()
                    .find(|(s, _)| s.eq_ignore_ascii_case(&l))
                    .map(|(_, v)| *v);
                (l, guess, n)
            })
            .collect();
        self.channels = channels
            .into_iter()
            .map(|(spelling, n)| {
                let words = words(&spelling);
                let guess = CHANNEL_GUESSES
                    .iter()
                    .find(|(w, _)| words.contains(&format!(" {w}")))
                    .map(|(_, code)| *code);
                (spelling, guess, n)
            })
            .collect();
        Ok(())
    }

    /// The mapping file.
    fn to_toml(&self, table: &Table, schema: &Schema, source: &str) -> String {
        let mut t = String::new();
        let letter = |c: usize| crate::display::column_letter(c as u32 + table.column_offset + 1);
        let describe = |c: usize| {
            let d = table.descriptions.get(c).map_or("", |s| s.as_str());
            if d.is_empty() || d == table.headers[c] {
                String::new()
            } else {
                format!(" {:?}", short(d))
            }
        };
        let _ = writeln!(
            t,
            "# hisp mapping file for {}, written by `hisp init`.",
            comment_text(source)
        );
        let _ = writeln!(
            t,
            "# Every line is a guess: read each one and correct what is wrong."
        );
        let mut shape = format!("# Template: {}", self.schema);
        if let Some(p) = self.preset {
            shape += &format!("; platform: {}", p.describe(table));
        }
        if table.rows_above > 0 {
            shape += &format!("; header on row {}", table.header_row);
        }
        let _ = writeln!(t, "{shape}.");
        let _ = writeln!(
            t,
            "# Use it with: hisp report {} --map THIS_FILE --fiscal-year YYYY --quarter Q\n",
            comment_text(source)
        );
        if let Some(p) = self.preset {
            let left_out = match p {
                Preset::Qualtrics => "survey previews, tests, spam and unfinished responses",
                Preset::Touchpoints => "submissions flagged as spam",
            };
            let _ = writeln!(
                t,
                "# The platform's export shape: its bookkeeping columns are ignored, and\n# {left_out} are left out.\npreset = \"{}\"\n",
                p.name()
            );
        }
        let _ = writeln!(t, "[columns]");
        let _ = writeln!(t, "# \"export column\" = \"canonical field\"");
        let mut by_column: Vec<(&usize, &(usize, How))> = self.bound.iter().collect();
        by_column.sort_by_key(|(_, (col, _))| *col);
        for (&field, (col, how)) in by_column {
            let name = &schema.fields[field].name;
            let why = match how {
                How::Canonical => {
                    let _ = writeln!(
                        t,
                        "# column {} {:?} is {name} by its name",
                        letter(*col),
                        table.headers[*col]
                    );
                    continue;
                }
                How::Preset(p) => format!("the {} column for it", p.title()),
                How::Name => "by its name".to_string(),
                How::Wording(s) => format!("{} the question", s.describe()),
                How::Driver => {
                    let _ = writeln!(
                        t,
                        "# column {} {:?} is {name} by its question and choice",
                        letter(*col),
                        table.headers[*col]
                    );
                    continue;
                }
                How::UniquePerRow(rows) => format!(
                    "named like a survey, but a different value on each of the {rows} rows read: the response's ID"
                ),
                How::FreeText => {
                    "its answers are free text, not 1-5 (named like a question, it is a comment box)"
                        .to_string()
                }
            };
            let _ = writeln!(
                t,
                "{} = {}   # column {}{}: {why}",
                toml_key(&table.headers[*col]),
                toml_string(name),
                letter(*col),
                describe(*col)
            );
        }
        if !self.missing.is_empty() {
            let _ = writeln!(
                t,
                "# Not found: map a column to each of these, or give a value in [constants]."
            );
            for &field in &self.missing {
                let f = &schema.fields[field];
                let need = if f.column == ColumnRule::Required {
                    "required"
                } else {
                    "recommended"
                };
                let _ = writeln!(t, "# \"?\" = {:?}   # {need}: {}", f.name, f.title);
            }
        }
        if !self.unused.is_empty() {
            let list: Vec<String> = self
                .unused
                .iter()
                .take(20)
                .map(|&c| format!("{} {:?}", letter(c), short(&table.headers[c])))
                .collect();
            let more = self.unused.len().saturating_sub(20);
            let _ = writeln!(
                t,
                "# Columns matched to nothing (ignored): {}{}",
                list.join(", "),
                if more > 0 {
                    format!(", and {more} more")
                } else {
                    String::new()
                }
            );
        }
        let _ = writeln!(t, "\n[labels]");
        let _ = writeln!(
            t,
            "# Answer labels beyond the standard five (Strongly disagree = 1 … Strongly agree = 5)."
        );
        for (label, guess, n) in &self.labels {
            match guess {
                Some(v) => {
                    let _ = writeln!(
                        t,
                        "{} = {v}   # seen {n} times; guessed from a common 5-point scale",
                        toml_key(label)
                    );
                }
                None => {
                    let _ = writeln!(
                        t,
                        "# {} = ?   # seen {n} times; give its value 1-5, or list it in missing_values",
                        toml_key(label)
                    );
                }
            }
        }
        if schema.index_of("question_1").is_some() {
            let _ = writeln!(t, "\n[trust_labels]");
            let _ = writeln!(
                t,
                "# Trust answers beyond thumbs up/down, yes/no, true/false and the Likert labels: 1 or 0 on a thumbs survey, 1-5 on a Likert one."
            );
            for (label, guess, n) in &self.trust_labels {
                match guess {
                    Some(v) => {
                        let _ = writeln!(
                            t,
                            "{} = {v}   # seen {n} times; guessed, check it",
                            toml_key(label)
                        );
                    }
                    None => {
                        let _ = writeln!(
                            t,
                            "# {} = ?   # seen {n} times; give 1 or 0 (thumbs) or 1-5 (Likert)",
                            toml_key(label)
                        );
                    }
                }
            }
        }
        let channel_field = schema.index_of("channel");
        if let Some(f) = channel_field.filter(|f| self.bound.contains_key(f)) {
            let codes = schema.fields[f].constraints.allowed.join(", ");
            let _ = writeln!(t, "\n[channels]");
            let _ = writeln!(
                t,
                "# Channel spellings that are not A-11 codes. Codes: {codes}."
            );
            for (spelling, guess, n) in &self.channels {
                match guess {
                    Some(code) => {
                        let _ = writeln!(
                            t,
                            "{} = {}   # seen {n} times; guessed, check it",
                            toml_key(spelling),
                            toml_string(code)
                        );
                    }
                    None => {
                        let _ = writeln!(
                            t,
                            "# {} = \"?\"   # seen {n} times; give its code",
                            toml_key(spelling)
                        );
                    }
                }
            }
        }
        let keys: Vec<&str> = ["service", "touchpoint", "transaction_point", "channel"]
            .into_iter()
            .filter(|k| {
                schema
                    .index_of(k)
                    .is_some_and(|f| self.missing.contains(&f))
            })
            .collect();
        let _ = writeln!(t, "\n[constants]");
        let _ = writeln!(
            t,
            "# A value for every row, for fields the export does not have (one survey per export)."
        );
        for key in keys {
            let example = if key == "channel" { "computer" } else { "…" };
            let _ = writeln!(t, "# {key} = \"{example}\"");
        }
        t
    }
}

/// Whether answer texts look like the labels of a scale (few words each, a
/// word of agreement or rating) rather than free text.
fn is_scale_labels(texts: &BTreeMap<String, usize>) -> bool {
    texts.keys().all(|t| {
        t.split_whitespace().count() <= 5
            && SCALES.iter().any(|(s, _)| {
                let (t, s) = (t.to_lowercase(), s.to_lowercase());
                t.contains(&s) || s.contains(&t)
            })
    })
}

/// Whether the template reads a text answer without help.
fn accepted_answer(schema: &Schema, field: usize, text: &str) -> bool {
    let f = &schema.fields[field];
    let text = text.trim();
    if text.parse::<f64>().is_ok() {
        return true;
    }
    let missing = f.missing(schema);
    if missing.iter().any(|m| m.eq_ignore_ascii_case(text)) {
        return true;
    }
    let labels: Vec<(String, i64)> = f
        .categories
        .iter()
        .flat_map(|c| {
            std::iter::once((fold(&c.label), c.value))
                .chain(c.aliases.iter().map(move |a| (fold(a), c.value)))
        })
        .collect();
    labels.iter().any(|(l, _)| l.eq_ignore_ascii_case(text))
        || labelled_number(text, &labels).is_some()
}

/// A TOML key: bare when it can be, quoted and escaped otherwise, always
/// on one line (a header may hold line breaks, quotes, `#`, any script).
fn toml_key(key: &str) -> String {
    toml_edit::Key::new(key).display_repr().into_owned()
}

/// A TOML string value, escaped.
fn toml_string(value: &str) -> String {
    toml_edit::Value::from(value).to_string().trim().to_string()
}

/// Text for a comment: one line, control characters shown as escapes.
fn comment_text(text: &str) -> String {
    if text.chars().any(char::is_control) {
        text.escape_debug().to_string()
    } else {
        text.to_string()
    }
}

/// A question text for a comment: the statement of a Qualtrics matrix
/// question ("Please rate … - I was treated fairly."), cut to length.
fn short(text: &str) -> String {
    match text.rsplit_once(" - ") {
        Some((_, statement)) if statement.len() > 8 => {
            format!("… {}", wording::short(statement, 70))
        }
        _ => wording::short(text, 70),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_quoted_when_needed() {
        assert_eq!(toml_key("Q1"), "Q1");
        assert_eq!(toml_key("Created at"), "\"Created at\"");
        assert_eq!(toml_key("Say \"hi\""), "'Say \"hi\"'");
    }

    #[test]
    fn standard_answers_need_no_label() {
        let schema = Schema::embedded("a11-v1");
        let f = schema.index_of("satisfaction").unwrap();
        for ok in [
            "4",
            "Strongly agree",
            "neither agree nor disagree",
            "N/A",
            "4 - Agree",
        ] {
            assert!(accepted_answer(&schema, f, ok), "{ok}");
        }
        assert!(!accepted_answer(&schema, f, "Very satisfied"));
    }
}
