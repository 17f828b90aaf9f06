//! Rows on their way out, spooled per survey during the pass to temporary
//! CSV files beside the outputs (so memory stays flat however many rows
//! there are), then read back in survey order by the writers (A-11 v2's
//! upload files and `Responses` sheet).

use anyhow::Context;
use std::borrow::Cow;
use std::fs::File;
use std::io::{BufReader, BufWriter};
use std::path::{Path, PathBuf};

use crate::tally::SurveyKey;

/// Per-survey temporary CSV files of cells, as written.
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
    /// Spool one row of survey `survey`.
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

/// The spooled rows, one file per survey with rows.
pub(crate) struct Spooled {
    pub(crate) keys: Vec<SurveyKey>,
    paths: Vec<PathBuf>,
    _dir: tempfile::TempDir,
}

impl Spooled {
    /// The rows of survey `i` (of `keys`).
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
}
