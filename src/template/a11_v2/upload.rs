//! The Touchpoints upload files: one CSV per survey, the 17 upload columns
//! in the order the upload requires, cells as the export wrote them.

use std::borrow::Cow;
use std::io::{BufWriter, Write};

use super::tally::UPLOAD_COLUMNS;
use crate::tally::SurveyKey;
use crate::template::Upload;
use crate::write::neutralize;
use crate::write::spool::Spooled;

/// One upload file per survey, named after the survey.
pub(crate) fn uploads(spooled: &Spooled) -> Vec<Upload<'_>> {
    let mut names: Vec<String> = Vec::new();
    let mut files = Vec::new();
    for (i, key) in spooled.keys.iter().enumerate() {
        let mut name = upload_file_name(key);
        let mut n = 2;
        while names.contains(&name) {
            name = format!("{}-{n}.csv", upload_file_name(key).trim_end_matches(".csv"));
            n += 1;
        }
        names.push(name.clone());
        let write = move |out: &mut dyn Write| write_upload(spooled, i, out);
        files.push(Upload {
            name,
            write: Box::new(write),
        });
    }
    files
}

/// Survey `i`'s upload file: the upload columns, then its rows as spooled.
fn write_upload(spooled: &Spooled, i: usize, out: &mut dyn Write) -> anyhow::Result<()> {
    let mut w = csv::Writer::from_writer(BufWriter::new(out));
    w.write_record(UPLOAD_COLUMNS)?;
    for record in spooled.rows(i)? {
        let record = record?;
        // Respondent text is data, never a formula.
        let last = UPLOAD_COLUMNS.len() - 1;
        let cells: Vec<Cow<str>> = record
            .iter()
            .enumerate()
            .map(|(c, cell)| {
                if c == last {
                    neutralize(cell)
                } else {
                    Cow::Borrowed(cell)
                }
            })
            .collect();
        w.write_record(cells.iter().map(|c| c.as_bytes()))?;
    }
    w.flush()?;
    Ok(())
}

/// `passport-renewal_post-interaction_computer.csv` (and `_call-center-a`
/// where the survey has a survey_id): the survey keys, made safe for any
/// file system.
fn upload_file_name(key: &SurveyKey) -> String {
    let part = |s: &str| {
        let mut out = String::new();
        for c in s.chars() {
            if c.is_ascii_alphanumeric() {
                out.push(c.to_ascii_lowercase());
            } else if !out.ends_with('-') && !out.is_empty() {
                out.push('-');
            }
        }
        out.trim_end_matches('-').to_string()
    };
    let parts: Vec<String> = key
        .parts()
        .into_iter()
        .map(part)
        .filter(|p| !p.is_empty())
        .collect();
    let stem = if parts.is_empty() {
        "survey".to_string()
    } else {
        parts.join("_")
    };
    format!("{stem}.csv")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names() {
        let key = SurveyKey {
            service: "Passport Renewal / Online!".into(),
            touchpoint: "post_interaction".into(),
            channel: "computer".into(),
            survey_id: String::new(),
        };
        assert_eq!(
            upload_file_name(&key),
            "passport-renewal-online_post-interaction_computer.csv"
        );
        assert_eq!(upload_file_name(&SurveyKey::default()), "survey.csv");
    }
}
