//! Rows on their way out, spooled per survey during the pass to temporary
//! CSV files beside the outputs (so memory stays flat however many rows
//! there are), then read back in survey order by the writers (A-11 v2's
//! upload files and `Responses` sheet). The files are anonymous: they have
//! no name in the directory, so nothing is left behind however the run
//! ends, even when it is killed.

use anyhow::Context;
use std::borrow::Cow;
use std::fs::File;
use std::io::{BufReader, BufWriter, Seek, SeekFrom};
use std::path::{Path, PathBuf};

use crate::tally::SurveyKey;

/// Per-survey temporary CSV files of cells, as written.
pub(crate) struct Spool {
    dir: PathBuf,
    surveys: Vec<Option<(SurveyKey, csv::Writer<BufWriter<File>>)>>,
}

impl Spool {
    /// A spool in `dir` (the output's directory, so space problems show up
    /// where the outputs go). A file is made and dropped at once, so an
    /// unwritable directory fails the run before any row is read.
    pub(crate) fn new(dir: &Path) -> anyhow::Result<Spool> {
        anonymous_file(dir)?;
        Ok(Spool {
            dir: dir.to_path_buf(),
            surveys: Vec::new(),
        })
    }

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
            let file = anonymous_file(&self.dir)?;
            self.surveys[survey] =
                Some((key.clone(), csv::Writer::from_writer(BufWriter::new(file))));
        }
        let (_, writer) = self.surveys[survey].as_mut().expect("just created");
        writer.write_record(cells.iter().map(|c| c.as_bytes()))?;
        Ok(())
    }

    /// Flush every file; the spooled surveys, in survey order.
    pub(crate) fn finish(self) -> anyhow::Result<Spooled> {
        let mut keys = Vec::new();
        let mut files = Vec::new();
        for (key, writer) in self.surveys.into_iter().flatten() {
            let file = writer
                .into_inner()
                .map_err(|e| anyhow::anyhow!("cannot write the response spool: {}", e.error()))?
                .into_inner()
                .map_err(|e| anyhow::anyhow!("cannot write the response spool: {}", e.error()))?;
            keys.push(key);
            files.push(file);
        }
        Ok(Spooled { keys, files })
    }
}

/// A file with no name, in `dir`, removed by the system when closed.
fn anonymous_file(dir: &Path) -> anyhow::Result<File> {
    tempfile::tempfile_in(dir)
        .with_context(|| format!("cannot create a temporary file in {}", dir.display()))
}

/// The spooled rows, one file per survey with rows.
pub(crate) struct Spooled {
    pub(crate) keys: Vec<SurveyKey>,
    files: Vec<File>,
}

impl Spooled {
    /// The rows of survey `i` (of `keys`), from the first.
    pub(crate) fn rows(
        &self,
        i: usize,
    ) -> anyhow::Result<csv::StringRecordsIntoIter<BufReader<File>>> {
        // A second handle on the same file: it shares the offset, and the
        // rows of one survey are read to the end before the next's.
        let mut file = self.files[i]
            .try_clone()
            .context("cannot read the response spool")?;
        file.seek(SeekFrom::Start(0))
            .context("cannot read the response spool")?;
        Ok(csv::ReaderBuilder::new()
            .has_headers(false)
            .from_reader(BufReader::new(file))
            .into_records())
    }
}
