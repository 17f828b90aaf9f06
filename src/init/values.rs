//! The values `hisp init` reads: answer labels and channel spellings the
//! template does not know, with the value each most likely means, and
//! columns that turn out to be IDs or free text.

use std::collections::BTreeMap;

use super::Proposal;
use crate::check::labelled_number;
use crate::check::proposal::How;
use crate::ingest::{Cell, Table, cell_text};
use crate::schema::{ColumnRule, Schema, code_matches, fold, words};

/// Distinct values kept per column to propose labels and channels.
const DISTINCT: usize = 200;

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
    /// Read every row and collect the answer labels and channel spellings
    /// the template does not know.
    pub(super) fn read_values(&mut self, table: &mut Table, schema: &Schema) -> anyhow::Result<()> {
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
        let trust_field = schema.field_with_own_labels("trust_labels");
        for (i, &(field, col)) in scale_columns.iter().enumerate() {
            let distinct_texts = unknown[i].len();
            let texts: usize = unknown[i].values().sum();
            let free_text = distinct_texts > 5 && texts > known[i] && !is_scale_labels(&unknown[i]);
            if !free_text {
                let into = if Some(field) == trust_field {
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

#[cfg(test)]
mod tests {
    use super::*;

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
