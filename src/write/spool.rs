//! Rows on their way out, spooled per survey during the pass to spilled
//! CSV files (on a host, anonymous temporary files beside the outputs), so
//! memory stays flat however many rows there are, then read back in survey
//! order by the writers (A-11 v2's upload files and `Responses` sheet).

use anyhow::Context;
use std::borrow::Cow;
use std::io::{BufReader, BufWriter, Seek, SeekFrom};
use std::sync::Arc;

use crate::spill::{Spill, SpillFile};
use crate::tally::SurveyKey;

type Spilled = Box<dyn SpillFile>;

/// Per-survey spilled CSV files of cells, as written.
pub(crate) struct Spool {
    spill: Arc<dyn Spill>,
    surveys: Vec<Option<(SurveyKey, csv::Writer<BufWriter<Spilled>>)>>,
}

impl Spool {
    /// A spool in `spill` (on a host, the output's directory, so space
    /// problems show up where the outputs go). A file is made and dropped
    /// at once, so an unwritable directory fails the run before any row is
    /// read.
    pub(crate) fn new(spill: Arc<dyn Spill>) -> anyhow::Result<Spool> {
        spill_file(spill.as_ref())?;
        Ok(Spool {
            spill,
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
            let file = spill_file(self.spill.as_ref())?;
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

/// A new spilled file.
fn spill_file(spill: &dyn Spill) -> anyhow::Result<Spilled> {
    spill
        .file()
        .with_context(|| format!("cannot create a temporary file in {}", spill.place()))
}

/// The spooled rows, one file per survey with rows.
pub(crate) struct Spooled {
    pub(crate) keys: Vec<SurveyKey>,
    files: Vec<Spilled>,
}

impl Spooled {
    /// The rows of survey `i` (of `keys`), from the first.
    pub(crate) fn rows(
        &self,
        i: usize,
    ) -> anyhow::Result<csv::StringRecordsIntoIter<BufReader<Spilled>>> {
        // A second handle on the same file (a host's shares the offset):
        // the rows of one survey are read to the end before the next's.
        let mut file = self.files[i]
            .another()
            .context("cannot read the response spool")?;
        file.seek(SeekFrom::Start(0))
            .context("cannot read the response spool")?;
        Ok(csv::ReaderBuilder::new()
            .has_headers(false)
            .from_reader(BufReader::new(file))
            .into_records())
    }
}
