//! `hisp init`: read an export's header and values and write the mapping
//! file that makes it usable, every guess a line the user can read and
//! correct. Columns are matched by name (field names, aliases and common
//! export spellings), by the platform's preset, and by question wording;
//! answer labels and channel spellings outside the standard ones are listed
//! with the value they probably mean.

mod mapping_file;
mod values;

use std::collections::BTreeMap;

use crate::check::proposal::{How, propose};
use crate::error::{Error, Result};
use crate::ingest::{Input, Preset, Table};
use crate::pipeline::ReadOptions;
use crate::progress::Progress;
use crate::schema::{ColumnRule, Mapping, Schema};
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

impl Proposal {
    /// Match the table's columns to the schema's fields. Values are read
    /// afterwards with [`Proposal::read_values`].
    fn new(
        table: &Table,
        schema: &Schema,
        preset: Option<Preset>,
        recognise: Option<crate::check::ColumnRecogniser>,
    ) -> Proposal {
        let columns = propose(table, schema, preset, recognise);
        Proposal {
            schema: schema.name.clone(),
            preset,
            bound: columns.bound,
            labels: Vec::new(),
            trust_labels: Vec::new(),
            channels: Vec::new(),
            missing: columns.missing,
            unused: columns.unused,
        }
    }
}
