//! The configuration a run settles before its pass: the reporting time
//! zone, and the schema (given, or recognised from the first input).

use std::path::Path;

use super::Options;
use crate::error::{Error, Result};
use crate::ingest::{self, InputSpec, Table};
use crate::schema::{Mapping, Schema};
use crate::template::registry;

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
pub(super) fn resolve_schema(
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
