//! Recognising a column by its question text. Exports from survey platforms
//! name their columns by question ("I am satisfied with the service I
//! received from Passport Services.") or carry the text in a header row
//! (Qualtrics). Each field may list, in its schema, the standard wording,
//! known variants and keywords; a column's text is scored against them and
//! the best pairs are taken.

use crate::schema::{Field, Schema, words as normalize};

/// How sure a match is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Strength {
    /// A keyword ("trust", "satisf") begins a word of the text.
    Keyword = 1,
    /// A known variant of the wording appears in the text.
    Variant = 2,
    /// The standard wording, up to its `[Program/Service name]` placeholder.
    Standard = 3,
}

impl Strength {
    pub(crate) fn describe(self) -> &'static str {
        match self {
            Strength::Keyword => "a keyword of",
            Strength::Variant => "a known variant of",
            Strength::Standard => "the standard wording of",
        }
    }
}

/// A column matched to a field.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Match {
    pub(crate) field: usize,
    pub(crate) column: usize,
    pub(crate) strength: Strength,
}

/// A long text cut to `max` characters for a note or comment.
pub(crate) fn short(text: &str, max: usize) -> String {
    match text.char_indices().nth(max) {
        Some((i, _)) => format!("{}…", &text[..i]),
        None => text.to_string(),
    }
}

/// A field's wording, normalised once when its schema is loaded: every
/// header row of every input is matched against it.
#[derive(Debug, Clone, Default)]
pub(crate) struct Wording {
    /// The standard question text up to its first placeholder, when long
    /// enough to be telling.
    standard: Option<String>,
    variants: Vec<String>,
    keywords: Vec<String>,
}

impl Wording {
    pub(crate) fn of(field: &Field) -> Wording {
        let prepared = |t: &str| normalize(t).trim_end().to_string();
        let standard = field
            .question
            .as_ref()
            .map(|q| normalize(q.text.split('[').next().unwrap_or_default()))
            .filter(|s| s.trim().len() >= 12)
            .map(|s| s.trim_end().to_string());
        let (variants, keywords) = match &field.matches {
            Some(m) => (
                m.variants.iter().map(|v| prepared(v)).collect(),
                m.keywords.iter().map(|k| prepared(k)).collect(),
            ),
            None => (Vec::new(), Vec::new()),
        };
        Wording {
            standard,
            variants,
            keywords,
        }
    }
}

/// How well a normalized text matches a field, if at all.
pub(crate) fn strength(field: &Field, text: &str) -> Option<Strength> {
    let w = &field.wording;
    if w.standard.as_deref().is_some_and(|s| text.contains(s)) {
        return Some(Strength::Standard);
    }
    if w.variants.iter().any(|v| text.contains(v.as_str())) {
        return Some(Strength::Variant);
    }
    w.keywords
        .iter()
        .any(|k| text.contains(k.as_str()))
        .then_some(Strength::Keyword)
}

/// Pair columns with the fields not yet bound, best matches first, each
/// column and field used once. `texts` holds each column's text (question
/// text or header label), `None` for columns that must not be matched.
pub(crate) fn pair(schema: &Schema, texts: &[Option<String>], bound: &[bool]) -> Vec<Match> {
    let normalized: Vec<Option<String>> =
        texts.iter().map(|t| t.as_deref().map(normalize)).collect();
    let mut candidates: Vec<Match> = Vec::new();
    for (field, f) in schema.fields.iter().enumerate() {
        if bound[field] {
            continue;
        }
        for (column, text) in normalized.iter().enumerate() {
            if let Some(strength) = text.as_deref().and_then(|t| strength(f, t)) {
                candidates.push(Match {
                    field,
                    column,
                    strength,
                });
            }
        }
    }
    // Strongest first; then leftmost column; then schema order.
    candidates.sort_by(|a, b| {
        b.strength
            .cmp(&a.strength)
            .then(a.column.cmp(&b.column))
            .then(a.field.cmp(&b.field))
    });
    let mut field_taken = bound.to_vec();
    let mut column_taken = vec![false; texts.len()];
    let mut pairs = Vec::new();
    for m in candidates {
        if !field_taken[m.field] && !column_taken[m.column] {
            field_taken[m.field] = true;
            column_taken[m.column] = true;
            pairs.push(m);
        }
    }
    pairs.sort_by_key(|m| m.column);
    pairs
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(schema: &Schema, texts: &[&str]) -> Vec<(String, &'static str)> {
        let texts: Vec<Option<String>> = texts.iter().map(|t| Some(t.to_string())).collect();
        let bound = vec![false; schema.fields.len()];
        pair(schema, &texts, &bound)
            .into_iter()
            .map(|m| {
                let strength = match m.strength {
                    Strength::Keyword => "keyword",
                    Strength::Variant => "variant",
                    Strength::Standard => "standard",
                };
                (schema.fields[m.field].name.clone(), strength)
            })
            .collect()
    }

    #[test]
    fn a11_wordings_and_variants() {
        let schema = Schema::embedded("a11-v1");
        let got = names(
            &schema,
            &[
                "I am satisfied with the service I received from Passport Services.",
                "This interaction increased my confidence in Passport Services.",
                "Any additional feedback on your scores above?",
                "My issue was resolved.",
                "It was easy to complete what I needed to do.",
                "It took a reasonable amount of time to do what I needed to do.",
                "I was treated fairly.",
                "Employees I interacted with were helpful.",
                "User Agent",
                "Department of Veterans Affairs office",
            ],
        );
        assert_eq!(
            got,
            vec![
                ("satisfaction".to_string(), "standard"),
                ("trust".to_string(), "standard"),
                ("comment".to_string(), "variant"),
                ("effectiveness".to_string(), "variant"),
                ("ease".to_string(), "standard"),
                ("efficiency".to_string(), "standard"),
                ("transparency".to_string(), "standard"),
                ("employee".to_string(), "standard"),
            ]
        );
    }

    #[test]
    fn any_trust_wording_is_the_trust_question() {
        let schema = Schema::embedded("a11-v1");
        for text in [
            "I trust the IRS to fulfill our country's commitment to taxpayers.",
            "Please rate your level of confidence in the Trademark Assistance Center.",
            "How confident are you that you could or did enroll in a plan?",
            "Based on my recent experience, I trust Social Security to meet the public's needs.",
        ] {
            assert_eq!(names(&schema, &[text])[0].0, "trust", "{text}");
        }
        let v2 = Schema::embedded("a11-v2");
        let got = names(
            &v2,
            &[
                "Based on my experience with Passport Services, I trust the Department to deliver on its mission.",
            ],
        );
        assert_eq!(got[0].0, "question_1");
    }

    #[test]
    fn word_beginnings_only() {
        assert_eq!(normalize("Employees' help—fast!"), " employees help fast ");
        let schema = Schema::embedded("a11-v1");
        assert!(names(&schema, &["Please provide your email address"]).is_empty());
    }
}
