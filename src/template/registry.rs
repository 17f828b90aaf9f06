//! The editions hisp knows, listed once, and what the rest of hisp asks of
//! them as a whole: an edition by name or by schema, a shipped schema, which
//! edition a header belongs to. Nothing else names an edition.

use super::Edition;
use super::{a11_v1, a11_v2};
use crate::check::Checker;
use crate::ingest::layout::HeaderScore;
use crate::schema::{Mapping, Schema};

/// Every edition. The first takes the headers no other claims.
static EDITIONS: &[&dyn Edition] = &[
    &a11_v1::edition::V1,
    &a11_v2::edition::V2,
    #[cfg(test)]
    &super::tiny::Tiny,
];

/// The edition that takes what no other claims.
pub(crate) fn first() -> &'static dyn Edition {
    EDITIONS[0]
}

/// An edition of the reporting template, by the name `--template` gives
/// (`a11-v1`, `a11-v2`).
#[derive(Clone, Copy)]
pub struct Template(&'static dyn Edition);

impl Template {
    /// The edition of this name.
    pub fn named(name: &str) -> Option<Template> {
        EDITIONS
            .iter()
            .find(|e| e.name() == name)
            .map(|e| Template(*e))
    }

    /// Every edition's name, in the registry's order.
    pub fn names() -> Vec<&'static str> {
        EDITIONS.iter().map(|e| e.name()).collect()
    }

    pub fn name(self) -> &'static str {
        self.0.name()
    }

    pub(crate) fn edition(self) -> &'static dyn Edition {
        self.0
    }
}

impl std::fmt::Debug for Template {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_tuple("Template").field(&self.name()).finish()
    }
}

impl PartialEq for Template {
    fn eq(&self, other: &Template) -> bool {
        self.name() == other.name()
    }
}

impl Eq for Template {}

/// The edition a schema belongs to: the one that ships it, else the one
/// whose name begins the schema's (a `--schema` file named `a11-v2-local`),
/// else the first.
pub(crate) fn of_schema(schema: &Schema) -> &'static dyn Edition {
    of_schema_name(&schema.name)
}

/// [`of_schema`], by the schema's name.
pub(crate) fn of_schema_name(name: &str) -> &'static dyn Edition {
    let ships = |e: &&&dyn Edition| e.schemas().iter().any(|(n, _)| *n == name);
    let prefix = || {
        EDITIONS
            .iter()
            .filter(|e| name.starts_with(e.name()))
            .max_by_key(|e| e.name().len())
    };
    EDITIONS
        .iter()
        .find(ships)
        .or_else(prefix)
        .copied()
        .unwrap_or_else(first)
}

/// The text of a schema an edition ships.
fn shipped_text(name: &str) -> Option<&'static str> {
    EDITIONS
        .iter()
        .flat_map(|e| e.schemas())
        .find(|(n, _)| *n == name)
        .map(|(_, text)| *text)
}

/// Whether an edition ships a schema of this name.
pub(crate) fn is_shipped(name: &str) -> bool {
    shipped_text(name).is_some()
}

/// A schema an edition ships, by name. Shipped schemas are checked by the
/// tests; a name no edition ships is a mistake in hisp.
pub(crate) fn shipped_schema(name: &str) -> Schema {
    let text = shipped_text(name).unwrap_or_else(|| panic!("no shipped schema {name}"));
    Schema::shipped(text)
}

/// Which shipped schema a header belongs to: the first edition to claim
/// it, else the first edition's response schema.
pub(crate) fn detect(
    headers: &[String],
    descriptions: &[String],
    mapping: &Mapping,
) -> &'static str {
    EDITIONS
        .iter()
        .find_map(|e| e.recognise(headers, descriptions, mapping))
        .unwrap_or_else(|| first().response_schema())
}

/// Rates header rows by the fields of any edition's responses they name,
/// for finding the header before the edition is known.
pub(crate) fn any_edition_score(mapping: &Mapping) -> impl Fn(&[String]) -> HeaderScore + use<> {
    let candidates: Vec<Checker> = EDITIONS
        .iter()
        .map(|e| Checker::new(shipped_schema(e.response_schema()), mapping.clone()))
        .collect();
    move |labels: &[String]| {
        candidates
            .iter()
            .map(|c| c.header_score(labels))
            .max()
            .unwrap_or_default()
    }
}

/// The edition that reads a table of counts with this header as earlier
/// quarters, if any.
pub(crate) fn history_reader(headers: &[String]) -> Option<&'static dyn Edition> {
    EDITIONS.iter().copied().find(|e| e.reads_history(headers))
}

/// Every edition checks the mapping file's sections that are its own.
pub(crate) fn check_mapping(mapping: &Mapping, source: &str) -> anyhow::Result<()> {
    EDITIONS
        .iter()
        .try_for_each(|e| e.check_mapping(mapping, source))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_shipped_schema_loads_and_names_itself() {
        for edition in EDITIONS {
            for (name, _) in edition.schemas() {
                assert_eq!(shipped_schema(name).name, *name);
                assert!(std::ptr::addr_eq(
                    of_schema(&shipped_schema(name)),
                    *edition
                ));
            }
        }
    }

    #[test]
    fn names_are_unique() {
        let mut names = Template::names();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), EDITIONS.len());
    }
}
