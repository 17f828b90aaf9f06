//! The one text normaliser: every comparison of names, codes, labels and
//! survey keys folds text the same way — trimmed, lower-cased, runs of
//! separators read as one — and differs only in what counts as a separator.

/// What a character is to a fold.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Class {
    Keep,
    Separator,
    Drop,
}

/// Fold `text`, handing each character of the result to `emit` (which
/// returns false to stop early): kept characters lower-cased, each run of
/// separators between kept characters written as one `sep`, separators at
/// the ends and dropped characters left out. Whether `emit` took them all.
fn fold_each(
    text: &str,
    class: impl Fn(char) -> Class,
    sep: char,
    mut emit: impl FnMut(char) -> bool,
) -> bool {
    let (mut started, mut pending) = (false, false);
    for c in text.chars() {
        match class(c) {
            Class::Drop => {}
            Class::Separator => pending = started,
            Class::Keep => {
                if pending && !emit(sep) {
                    return false;
                }
                pending = false;
                started = true;
                if c.is_ascii() {
                    if !emit(c.to_ascii_lowercase()) {
                        return false;
                    }
                } else if !c.to_lowercase().all(&mut emit) {
                    return false;
                }
            }
        }
    }
    true
}

/// `fold_each` into a string.
fn fold_into(out: &mut String, text: &str, class: impl Fn(char) -> Class, sep: char) {
    fold_each(text, class, sep, |c| {
        out.push(c);
        true
    });
}

fn label_class(c: char) -> Class {
    match c {
        '\u{feff}' => Class::Drop,
        c if is_presentation(c) => Class::Drop,
        '-' | '_' | '.' | '/' => Class::Separator,
        c if c.is_whitespace() => Class::Separator,
        _ => Class::Keep,
    }
}

fn word_class(c: char) -> Class {
    match c {
        c if is_presentation(c) => Class::Drop,
        c if c.is_whitespace() => Class::Separator,
        _ => Class::Keep,
    }
}

/// Emoji presentation and skin-tone modifiers: 👍🏽 and 👍️ are 👍.
fn is_presentation(c: char) -> bool {
    matches!(c, '\u{fe0f}' | '\u{1f3fb}'..='\u{1f3ff}')
}

/// A header label or code for matching: runs of spaces, hyphens,
/// underscores, dots and slashes are one underscore (`Response ID` is
/// `response_id`, `In  person` is `in_person`).
pub(crate) fn normalize_label(label: &str) -> String {
    let mut out = String::with_capacity(label.len());
    fold_into(&mut out, label, label_class, '_');
    out
}

/// Whether a value names a code (already normalised), as `normalize_label`
/// would compare them, without allocating.
pub(crate) fn code_matches(value: &str, code: &str) -> bool {
    let mut code = code.chars();
    fold_each(value, label_class, '_', |c| code.next() == Some(c)) && code.next().is_none()
}

/// Survey names, answer labels and markers: runs of white space are one
/// space (`Passport  RENEWAL` is `passport renewal`).
pub(crate) fn fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    push_folded(&mut out, text);
    out
}

/// Whether `text` folds to `folded`, without allocating.
pub(crate) fn folds_to(text: &str, folded: &str) -> bool {
    let mut expected = folded.chars();
    fold_each(text, word_class, ' ', |c| expected.next() == Some(c)) && expected.next().is_none()
}

/// `fold` into a reused buffer (the per-row path).
pub(crate) fn push_folded(out: &mut String, text: &str) {
    if text.is_ascii() {
        // The common case, without per-character Unicode case tables.
        for (i, word) in text.split_ascii_whitespace().enumerate() {
            if i > 0 {
                out.push(' ');
            }
            let start = out.len();
            out.push_str(word);
            out[start..].make_ascii_lowercase();
        }
    } else {
        fold_into(out, text, word_class, ' ');
    }
}

/// Question wording for matching: letters and digits lower-cased, every
/// other run one space, apostrophes dropped ("country's" is "countrys"),
/// with a space at both ends so word beginnings are found with
/// `contains(" word")`.
pub(crate) fn words(text: &str) -> String {
    let class = |c: char| match c {
        '\'' | '’' => Class::Drop,
        c if c.is_alphanumeric() => Class::Keep,
        _ => Class::Separator,
    };
    let mut out = String::with_capacity(text.len() + 2);
    out.push(' ');
    fold_into(&mut out, text, class, ' ');
    if !out.ends_with(' ') {
        out.push(' ');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_normalise() {
        assert_eq!(normalize_label("  Response ID "), "response_id");
        assert_eq!(
            normalize_label("\u{feff}Transaction-Point"),
            "transaction_point"
        );
        assert_eq!(normalize_label("q1 / text"), "q1_text");
        assert!(code_matches("In person", "in_person"));
        assert!(code_matches(" AUTOMATED-PHONE ", "automated_phone"));
        assert!(!code_matches("in person please", "in_person"));
    }

    #[test]
    fn codes_and_labels_fold_alike() {
        // Regression: a spelling `normalize_label` knows was not a known code.
        for spelling in ["in  person", "In - Person", "in_person", "IN.PERSON"] {
            assert!(code_matches(spelling, "in_person"), "{spelling:?}");
            assert_eq!(normalize_label(spelling), "in_person", "{spelling:?}");
        }
    }

    #[test]
    fn folding_ignores_case_and_spacing() {
        assert_eq!(fold("  Passport   RENEWAL "), "passport renewal");
        assert_eq!(fold("Über  Straße\t"), "über straße");
        assert_eq!(fold("ÜBER"), "über");
        assert!(folds_to(" Strongly   AGREE", "strongly agree"));
        assert!(!folds_to("Strongly agreed", "strongly agree"));
        assert!(!folds_to("Strongly", "strongly agree"));
    }

    #[test]
    fn words_of_question_text() {
        assert_eq!(
            words("I trust the agency's staff."),
            " i trust the agencys staff "
        );
        assert_eq!(words("—"), " ");
    }
}
