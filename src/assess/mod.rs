//! The annual half of A-11 §280: the CX self-assessment. `hisp assess init`
//! writes the fillable form (`blank.rs`); `hisp assess` reads filled forms
//! (`read.rs`), scores them (`score.rs`) and writes the results
//! (`results.rs`). The statements, levels and maturity model are data
//! (`form.rs`, `schemas/cx-self-assessment-v1.json`).

mod blank;
mod form;
mod read;
mod results;
mod score;

use std::io::{Seek, Write};
use std::path::{Path, PathBuf};

pub use blank::Prefill;

use crate::check::findings::Findings;
use crate::error::{Error, Result};
use form::Form;
use score::{Cutoffs, Rollup, Scored};

/// What `hisp assess` reads.
#[derive(Debug, Clone, Default)]
pub struct AssessOptions {
    /// Filled forms (.xlsx as `hisp assess init` writes them, or CSV with
    /// the columns id, function, statement, answer, evidence).
    pub forms: Vec<PathBuf>,
    /// Last year's filled forms, matched to this year's by service.
    pub previous: Vec<PathBuf>,
    /// A custom form (JSON) instead of the built-in one.
    pub schema: Option<PathBuf>,
    /// CX level cut-offs instead of the form's (`--levels 10,20`).
    pub levels: Option<Vec<u32>>,
    /// How many errors and warnings to keep listed.
    pub keep: usize,
}

/// Scored forms, their roll-up and what was found wrong with them.
pub struct Assessment {
    form: Form,
    cutoffs: Cutoffs,
    scored: Vec<Scored>,
    rollup: Option<Rollup>,
    findings: Findings,
    /// (file, sha256, "form" or "previous").
    inputs: Vec<(String, String, &'static str)>,
}

impl Assessment {
    /// No errors in any form read.
    pub fn valid(&self) -> bool {
        self.findings.error_count == 0
    }

    pub fn warnings(&self) -> u64 {
        self.findings.warning_count
    }

    /// The results workbook, written to `out` (a file, or bytes in memory).
    pub fn write_workbook_to<W: Write + Seek + Send>(&self, out: &mut W) -> Result<()> {
        self.workbook(out)
            .map_err(|e| Error::Output(anyhow::Error::new(e).context("writing the workbook")))
    }

    /// Write the results workbook (staged: a failed run leaves nothing).
    #[cfg(feature = "host")]
    pub fn write_workbook(&self, path: &Path) -> Result<()> {
        crate::write::staged::write_file(path, |f| self.workbook(f).map_err(std::io::Error::other))
    }
}

/// Read, check and score the forms.
pub fn assess(options: &AssessOptions) -> Result<Assessment> {
    let form = Form::load(options.schema.as_deref()).map_err(Error::Config)?;
    let cutoffs = match &options.levels {
        Some(levels) => custom_cutoffs(&form, levels)?,
        None => Cutoffs::of(&form),
    };
    let mut findings = Findings::new(options.keep.max(1));
    let mut inputs = Vec::new();
    let mut read_all =
        |paths: &[PathBuf], role: &'static str, findings: &mut Findings| -> Result<Vec<Scored>> {
            let mut out = Vec::new();
            for path in paths {
                if let Some(filled) = read::read(path, &form, findings)? {
                    inputs.push((filled.file.clone(), filled.sha256.clone(), role));
                    out.push(score::score(&form, &filled, &cutoffs));
                }
            }
            Ok(out)
        };
    let mut scored = read_all(&options.forms, "form", &mut findings)?;
    let previous = read_all(&options.previous, "previous", &mut findings)?;
    for this in &mut scored {
        let matched = previous
            .iter()
            .find(|p| !p.service.is_empty() && p.service.eq_ignore_ascii_case(&this.service))
            .or(match (options.forms.len(), previous.len()) {
                (1, 1) => previous.first(),
                _ => None,
            });
        if let Some(p) = matched {
            this.change = Some(score::change(this, p));
        }
    }
    let rollup = (scored.len() > 1).then(|| score::rollup(&form, &scored));
    Ok(Assessment {
        form,
        cutoffs,
        scored,
        rollup,
        findings,
        inputs,
    })
}

/// `--levels 10,20`: one cut-off fewer than the form has levels, rising,
/// below the highest total.
fn custom_cutoffs(form: &Form, levels: &[u32]) -> Result<Cutoffs> {
    let max = form.statements.len() as u32;
    let wanted = form.cx_levels.len() - 1;
    if levels.len() != wanted
        || levels.windows(2).any(|w| w[0] >= w[1])
        || levels.iter().any(|&l| l >= max)
    {
        return Err(Error::Config(anyhow::anyhow!(
            "--levels {}: give {wanted} rising totals below {max} (the highest total of each level but the last), e.g. 10,20",
            levels
                .iter()
                .map(u32::to_string)
                .collect::<Vec<_>>()
                .join(",")
        )));
    }
    Ok(Cutoffs(levels.to_vec()))
}

/// The fillable form of `hisp assess init`, ready to write: the built-in
/// form or `schema`, with last year's answers from `previous`.
pub struct BlankForm {
    form: Form,
    previous: Option<read::Filled>,
}

/// Load the form, and last year's filled one whose answers and evidence
/// are carried over.
pub fn blank_form(schema: Option<&Path>, previous: Option<&Path>) -> Result<BlankForm> {
    let form = Form::load(schema).map_err(Error::Config)?;
    let previous = match previous {
        Some(p) => {
            let mut findings = Findings::new(10);
            // Last year's unanswered statements are simply not carried over;
            // a file that is no form at all is an error.
            let filled = read::read(p, &form, &mut findings)?;
            if filled.is_none() {
                return Err(Error::Input(anyhow::anyhow!(
                    "--previous {}: {}",
                    p.display(),
                    findings
                        .errors
                        .first()
                        .map_or("not a self-assessment form", |e| e.message.as_str())
                )));
            }
            filled
        }
        None => None,
    };
    Ok(BlankForm { form, previous })
}

impl BlankForm {
    /// The workbook, pre-filled with `prefill`, written to `out` (a file,
    /// or bytes in memory).
    pub fn write_to<W: Write + Seek + Send>(&self, prefill: &Prefill, out: &mut W) -> Result<()> {
        blank::write(&self.form, prefill, self.previous.as_ref(), out)
            .map_err(|e| Error::Output(anyhow::Error::new(e).context("writing the form")))
    }
}

/// `hisp assess init`: write the fillable form, pre-filled with `prefill`
/// and with last year's answers from `previous`.
#[cfg(feature = "host")]
pub fn write_blank_form(
    path: &Path,
    schema: Option<&Path>,
    prefill: &Prefill,
    previous: Option<&Path>,
) -> Result<()> {
    let blank = blank_form(schema, previous)?;
    crate::write::staged::write_file(path, |f| {
        blank::write(&blank.form, prefill, blank.previous.as_ref(), f)
            .map_err(std::io::Error::other)
    })
}
