//! The self-assessment form as data (`schemas/cx-self-assessment-v1.json`):
//! its statements, the CX levels its score gives, and the maturity model
//! with its level descriptions, indicators, checklists and tactics. A later
//! edition of the form is a new file, not new code.

use anyhow::{Context, bail};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::Path;

/// The built-in form.
pub(crate) const BUILT_IN: (&str, &str) = (
    "cx-self-assessment-v1",
    include_str!("../../schemas/cx-self-assessment-v1.json"),
);

#[derive(Debug, Clone, Deserialize)]
pub(crate) struct Form {
    pub(crate) name: String,
    pub(crate) version: String,
    pub(crate) title: String,
    pub(crate) functions: Vec<Function>,
    pub(crate) statements: Vec<Statement>,
    pub(crate) cx_levels: Vec<CxLevel>,
    pub(crate) focus_area: FocusArea,
    pub(crate) maturity: Maturity,
}

/// One of the five core functions.
#[derive(Debug, Clone, Deserialize)]
pub(crate) struct Function {
    pub(crate) key: String,
    pub(crate) name: String,
    pub(crate) prefix: String,
}

#[derive(Debug, Clone, Deserialize)]
pub(crate) struct Statement {
    pub(crate) id: String,
    pub(crate) function: String,
    pub(crate) text: String,
}

/// A CX level and the highest total that gives it.
#[derive(Debug, Clone, Deserialize)]
pub(crate) struct CxLevel {
    pub(crate) level: u32,
    pub(crate) name: String,
    pub(crate) up_to: u32,
}

#[derive(Debug, Clone, Deserialize)]
pub(crate) struct FocusArea {
    pub(crate) question: String,
    pub(crate) note: String,
    pub(crate) minimum: usize,
}

#[derive(Debug, Clone, Deserialize)]
pub(crate) struct Maturity {
    pub(crate) levels: Vec<MaturityLevel>,
    pub(crate) core_functions: Vec<Described>,
    pub(crate) indicators: Vec<Described>,
    /// Per level: "check any statement that applies".
    pub(crate) checklists: BTreeMap<String, Vec<Item>>,
    /// Per level: the tactics to reach the next one.
    pub(crate) tactics: BTreeMap<String, Vec<Item>>,
}

#[derive(Debug, Clone, Deserialize)]
pub(crate) struct MaturityLevel {
    pub(crate) key: String,
    pub(crate) name: String,
    pub(crate) summary: String,
}

/// A core function or an indicator, described at each maturity level.
#[derive(Debug, Clone, Deserialize)]
pub(crate) struct Described {
    #[serde(alias = "function")]
    pub(crate) key: String,
    pub(crate) name: String,
    #[serde(default)]
    pub(crate) definition: String,
    pub(crate) levels: BTreeMap<String, String>,
}

#[derive(Debug, Clone, Deserialize, serde::Serialize)]
pub(crate) struct Item {
    pub(crate) title: String,
    pub(crate) text: String,
}

impl Form {
    /// The built-in form, or a custom one from a JSON file (`--schema`).
    pub(crate) fn load(path: Option<&Path>) -> anyhow::Result<Form> {
        let (text, source) = match path {
            None => (BUILT_IN.1.to_string(), BUILT_IN.0.to_string()),
            Some(p) => (
                std::fs::read_to_string(p)
                    .with_context(|| format!("reading the form {}", p.display()))?,
                p.display().to_string(),
            ),
        };
        let form: Form = serde_json::from_str(&text)
            .with_context(|| format!("the form {source} is not valid"))?;
        form.check().with_context(|| format!("the form {source}"))?;
        Ok(form)
    }

    /// What the scoring relies on: statements of known functions with
    /// unique ids, levels in order, tactics for known levels.
    fn check(&self) -> anyhow::Result<()> {
        let mut ids = std::collections::HashSet::new();
        for s in &self.statements {
            if self.function(&s.function).is_none() {
                bail!(
                    "statement {} names the unknown function {:?}",
                    s.id,
                    s.function
                );
            }
            if !ids.insert(s.id.to_ascii_uppercase()) {
                bail!("statement id {} is used twice", s.id);
            }
        }
        if self.cx_levels.is_empty() || self.cx_levels.windows(2).any(|w| w[0].up_to >= w[1].up_to)
        {
            bail!("cx_levels must be given in increasing order of up_to");
        }
        let known = |k: &String| self.maturity.levels.iter().any(|l| l.key == *k);
        for k in self
            .maturity
            .tactics
            .keys()
            .chain(self.maturity.checklists.keys())
        {
            if !known(k) {
                bail!("maturity level {k:?} is not one of the form's levels");
            }
        }
        Ok(())
    }

    pub(crate) fn function(&self, key: &str) -> Option<&Function> {
        self.functions.iter().find(|f| f.key == key)
    }

    /// The most a function can score: its number of statements.
    pub(crate) fn max_of(&self, function: &str) -> u32 {
        self.statements
            .iter()
            .filter(|s| s.function == function)
            .count() as u32
    }

    /// A function named by key, name or prefix, in any letter case
    /// ("Organization & Culture", "organization_culture", "O").
    pub(crate) fn function_named(&self, text: &str) -> Option<&Function> {
        let wanted = crate::schema::normalize_label(text);
        self.functions.iter().find(|f| {
            crate::schema::normalize_label(&f.key) == wanted
                || crate::schema::normalize_label(&f.name) == wanted
                || f.name.replace('&', "and").to_lowercase() == text.trim().to_lowercase()
                || f.prefix.eq_ignore_ascii_case(text.trim())
        })
    }

    /// A maturity level by key or name, in any letter case.
    pub(crate) fn maturity_level_named(&self, text: &str) -> Option<usize> {
        let wanted = crate::schema::normalize_label(text);
        self.maturity.levels.iter().position(|l| {
            crate::schema::normalize_label(&l.key) == wanted
                || crate::schema::normalize_label(&l.name) == wanted
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_built_in_form_is_the_seed() {
        let form = Form::load(None).unwrap();
        assert_eq!(form.statements.len(), 30);
        for f in &form.functions {
            assert_eq!(form.max_of(&f.key), 6, "{}", f.key);
        }
        assert_eq!(form.statements[0].id, "M1");
        assert_eq!(form.statements[29].id, "S6");
        assert_eq!(form.maturity.levels.len(), 5);
        assert_eq!(form.maturity.core_functions.len(), 5);
        assert_eq!(form.maturity.indicators.len(), 6);
        for level in ["reactive", "tactical", "strategic", "foundational"] {
            assert_eq!(form.maturity.tactics[level].len(), 5, "{level}");
        }
        assert_eq!(
            form.function_named("Organization & Culture").unwrap().key,
            "organization_culture"
        );
        assert_eq!(form.function_named("s").unwrap().key, "service_design");
        assert_eq!(form.maturity_level_named("Customer-centric"), Some(4));
    }
}
