//! `--redact`: personal information taken out of free text before it
//! leaves hisp (upload files, the Responses sheet). E-mail addresses, US
//! phone numbers and SSN-shaped numbers, and the patterns the mapping
//! file's `redact` list adds (case-number formats), become `[redacted]`.
//! Counts never change: only the text written out.

use anyhow::{Context, Result};
use regex::Regex;
use std::borrow::Cow;

/// What a redacted stretch of text becomes.
pub(crate) const REDACTED: &str = "[redacted]";

/// The built-in patterns, by what they find.
const BUILT_IN: [(&str, &str); 3] = [
    (
        "e-mail address",
        r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}",
    ),
    // A separator or parentheses are required, so that dates, ZIP+4 codes
    // and plain numbers are left alone.
    (
        "US phone number",
        r"(?:\+?1[\s.-]?)?(?:\(\d{3}\)\s?|\b\d{3}[\s.-])\d{3}[\s.-]\d{4}\b",
    ),
    ("SSN-shaped number", r"\b\d{3}[- ]\d{2}[- ]\d{4}\b"),
];

#[derive(Debug, Clone)]
pub(crate) struct Redactor {
    patterns: Vec<Regex>,
}

impl Redactor {
    /// The built-in patterns and `extra` ones (regular expressions).
    pub(crate) fn new(extra: &[String]) -> Result<Redactor> {
        let mut patterns = Vec::new();
        for (_, p) in BUILT_IN {
            patterns.push(Regex::new(p).expect("built-in patterns compile"));
        }
        for p in extra {
            patterns.push(Regex::new(p).with_context(|| {
                format!("the mapping file's redact pattern {p:?} is not a valid regular expression")
            })?);
        }
        Ok(Redactor { patterns })
    }

    /// `text` with every match replaced, and how many matches there were.
    pub(crate) fn redact<'a>(&self, text: Cow<'a, str>) -> (Cow<'a, str>, usize) {
        let mut text = text;
        let mut found = 0;
        for pattern in &self.patterns {
            let n = pattern.find_iter(&text).count();
            if n > 0 {
                found += n;
                text = Cow::Owned(pattern.replace_all(&text, REDACTED).into_owned());
            }
        }
        (text, found)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn redacted(text: &str) -> String {
        Redactor::new(&["IRS-\\d{4}-\\d{6}".to_string()])
            .unwrap()
            .redact(Cow::Borrowed(text))
            .0
            .into_owned()
    }

    #[test]
    fn personal_information_is_redacted() {
        for (text, expected) in [
            (
                "write to john.doe@agency.gov please",
                "write to [redacted] please",
            ),
            ("call (202) 555-0143 today", "call [redacted] today"),
            ("call 202-555-0143", "call [redacted]"),
            ("call 202.555.0143.", "call [redacted]."),
            ("call +1 202 555 0143", "call [redacted]"),
            ("my SSN is 123-45-6789", "my SSN is [redacted]"),
            ("case IRS-2025-000123 is open", "case [redacted] is open"),
            ("a@b.co and c@d.org", "[redacted] and [redacted]"),
        ] {
            assert_eq!(redacted(text), expected, "{text}");
        }
    }

    #[test]
    fn other_numbers_and_text_are_left_alone() {
        for text in [
            "on 2025-02-14 at 10:22:01",
            "it cost $1,234.56",
            "ZIP 20500-0001",
            "version 1.2.3",
            "I waited 45 minutes, then 2 hours",
            "1234567890",
            "room 101-B",
            "email me? no thanks",
            "5 - Strongly agree",
        ] {
            assert_eq!(redacted(text), text, "{text}");
        }
    }

    #[test]
    fn a_bad_pattern_is_an_error_naming_it() {
        let e = Redactor::new(&["(".to_string()]).unwrap_err().to_string();
        assert!(e.contains("redact pattern \"(\""), "{e}");
    }
}
