//! A-11 v2 response rows on their way out: spooled per survey during the
//! pass (so memory stays flat however many rows there are), then written as
//! the Touchpoints upload files and streamed into the `Responses` sheet.

use anyhow::Context;
use std::borrow::Cow;
use std::fs::File;
use std::io::{BufReader, BufWriter};
use std::path::{Path, PathBuf};

use super::tally::UPLOAD_COLUMNS;
use crate::error::Result;
use crate::tally::SurveyKey;
use crate::write::neutralize;
use crate::write::staged::Staged;

/// Per-survey temporary CSV files of the 17 upload cells, as written.
pub(crate) struct Spool {
    dir: tempfile::TempDir,
    surveys: Vec<Option<(SurveyKey, csv::Writer<BufWriter<File>>)>>,
}

impl Spool {
    /// A spool in `dir` (the output's directory, so space problems show up
    /// where the outputs go).
    pub(crate) fn new(dir: &Path) -> anyhow::Result<Spool> {
        let dir = tempfile::Builder::new()
            .prefix(".hisp-responses-")
            .tempdir_in(dir)
            .with_context(|| format!("cannot create a temporary directory in {}", dir.display()))?;
        Ok(Spool {
            dir,
            surveys: Vec::new(),
        })
    }

    fn path(&self, survey: usize) -> PathBuf {
        self.dir.path().join(format!("survey-{survey}.csv"))
    }

    /// Flush every file; the spooled surveys, by survey index.
    pub(crate) fn finish(mut self) -> anyhow::Result<Spooled> {
        let mut keys = Vec::new();
        for (i, slot) in self.surveys.iter_mut().enumerate() {
            if let Some((key, writer)) = slot {
                writer.flush()?;
                keys.push((i, key.clone()));
            }
        }
        Ok(Spooled {
            paths: keys.iter().map(|(i, _)| self.path(*i)).collect(),
            keys: keys.into_iter().map(|(_, k)| k).collect(),
            _dir: self.dir,
        })
    }
}

impl Spool {
    /// Spool one response of survey `survey`: its 17 upload cells.
    pub(crate) fn response(
        &mut self,
        survey: usize,
        key: &SurveyKey,
        cells: &[Cow<'_, str>],
    ) -> anyhow::Result<()> {
        if self.surveys.len() <= survey {
            self.surveys.resize_with(survey + 1, || None);
        }
        if self.surveys[survey].is_none() {
            let file =
                File::create(self.path(survey)).context("cannot write the response spool")?;
            self.surveys[survey] =
                Some((key.clone(), csv::Writer::from_writer(BufWriter::new(file))));
        }
        let (_, writer) = self.surveys[survey].as_mut().expect("just created");
        writer.write_record(cells.iter().map(|c| c.as_bytes()))?;
        Ok(())
    }
}

/// The spooled responses, one file per survey with responses.
pub(crate) struct Spooled {
    pub(crate) keys: Vec<SurveyKey>,
    paths: Vec<PathBuf>,
    _dir: tempfile::TempDir,
}

impl Spooled {
    /// The responses of survey `i` (of `keys`), 17 cells a row.
    pub(crate) fn rows(
        &self,
        i: usize,
    ) -> anyhow::Result<csv::StringRecordsIntoIter<BufReader<File>>> {
        let file = File::open(&self.paths[i]).context("cannot read the response spool")?;
        Ok(csv::ReaderBuilder::new()
            .has_headers(false)
            .from_reader(BufReader::new(file))
            .into_records())
    }

    /// Stage one upload file per survey in `dir`, named after the survey.
    pub(crate) fn stage_uploads(&self, dir: &Path, staged: &mut Staged) -> Result<Vec<PathBuf>> {
        let mut names: Vec<String> = Vec::new();
        let mut targets = Vec::new();
        for (i, key) in self.keys.iter().enumerate() {
            let mut name = upload_file_name(key);
            let mut n = 2;
            while names.contains(&name) {
                name = format!("{}-{n}.csv", upload_file_name(key).trim_end_matches(".csv"));
                n += 1;
            }
            names.push(name.clone());
            let target = dir.join(&name);
            staged.stage(&target, |file| {
                let mut w = csv::Writer::from_writer(BufWriter::new(file));
                w.write_record(UPLOAD_COLUMNS)?;
                for record in self.rows(i)? {
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
            })?;
            targets.push(target);
        }
        Ok(targets)
    }
}

/// `passport-renewal_post-interaction_computer.csv`: the survey keys, made
/// safe for any file system.
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
    let parts: Vec<String> = [&key.service, &key.touchpoint, &key.channel]
        .into_iter()
        .map(|s| part(s))
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
        };
        assert_eq!(
            upload_file_name(&key),
            "passport-renewal-online_post-interaction_computer.csv"
        );
        assert_eq!(upload_file_name(&SurveyKey::default()), "survey.csv");
    }
}
