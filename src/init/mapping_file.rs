//! The mapping file `hisp init` writes: TOML with a comment on every
//! guess, for the user to read and correct.

use std::fmt::Write as _;

use super::Proposal;
use crate::check::proposal::How;
use crate::ingest::{Preset, Table};
use crate::schema::wording;
use crate::schema::{ColumnRule, Schema};

impl Proposal {
    pub(super) fn to_toml(&self, table: &Table, schema: &Schema, source: &str) -> String {
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
                How::Recognised => {
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
        if schema.field_with_own_labels("trust_labels").is_some() {
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
}
