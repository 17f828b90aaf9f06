//! Writing outputs safely: each file is written to a temporary file in its
//! target directory and renamed into place only when every output of the run
//! is complete, so a failed run never leaves a half-written file and never
//! replaces a good one.

use anyhow::Context;
use std::io::Write;
use std::path::{Path, PathBuf};
use tempfile::NamedTempFile;

use crate::error::{Error, Result};

/// Outputs written to temporary files, waiting to be renamed into place.
#[derive(Default)]
pub(crate) struct Staged {
    files: Vec<(NamedTempFile, PathBuf)>,
    /// The paths the run reads: no output may replace one.
    inputs: Vec<PathBuf>,
}

impl Staged {
    /// Outputs that must not replace any of `inputs`.
    pub(crate) fn guarding(inputs: Vec<PathBuf>) -> Staged {
        Staged {
            files: Vec::new(),
            inputs,
        }
    }

    /// Write one output to a temporary file beside `target`.
    pub(crate) fn stage(
        &mut self,
        target: &Path,
        write: impl FnOnce(&mut std::fs::File) -> anyhow::Result<()>,
    ) -> Result<()> {
        ensure_not_an_input(target, &self.inputs)?;
        let dir = match target.parent() {
            Some(p) if !p.as_os_str().is_empty() => p,
            _ => Path::new("."),
        };
        let mut builder = tempfile::Builder::new();
        builder.prefix(".hisp-").suffix(".tmp");
        // Temporary files are private (0600); the output should get the
        // permissions of any new file (0666 less the umask).
        #[cfg(unix)]
        builder.permissions(std::os::unix::fs::PermissionsExt::from_mode(0o666));
        let mut tmp = builder
            .tempfile_in(dir)
            .with_context(|| {
                format!(
                    "cannot create {} (directory {})",
                    target.display(),
                    dir.display()
                )
            })
            .map_err(Error::Output)?;
        write(tmp.as_file_mut())
            .and_then(|_| tmp.as_file_mut().flush().map_err(Into::into))
            .and_then(|_| tmp.as_file().sync_all().map_err(Into::into))
            .with_context(|| format!("cannot write {}", target.display()))
            .map_err(Error::Output)?;
        self.files.push((tmp, target.to_path_buf()));
        Ok(())
    }

    /// Rename every staged file into place.
    pub(crate) fn commit(self) -> Result<Vec<PathBuf>> {
        let mut written = Vec::new();
        for (tmp, target) in self.files {
            tmp.persist(&target)
                .map_err(|e| e.error)
                .with_context(|| format!("cannot write {}", target.display()))
                .map_err(Error::Output)?;
            written.push(target);
        }
        Ok(written)
    }
}

/// Refuse an output path that is one of the inputs, by file identity (a
/// symbolic or hard link is the same file), or that is not a regular file:
/// a run never touches its inputs, and renaming its output over a device or
/// pipe would replace it.
pub(crate) fn ensure_not_an_input(output: &Path, inputs: &[PathBuf]) -> Result<()> {
    let Ok(meta) = std::fs::metadata(output) else {
        return Ok(()); // does not exist yet, so it is no input
    };
    if !meta.is_file() {
        return Err(Error::Config(anyhow::anyhow!(
            "the output {} is not a regular file (a directory, device or pipe); give the path of a file to write",
            output.display()
        )));
    }
    for input in inputs {
        if same_file::is_same_file(output, input).unwrap_or(false) {
            return Err(Error::Config(anyhow::anyhow!(
                "the output {} is also an input; choose another output path",
                output.display()
            )));
        }
    }
    Ok(())
}

/// Text for a CSV cell that a spreadsheet must not read as a formula.
pub(crate) fn neutralize(text: &str) -> std::borrow::Cow<'_, str> {
    match text.as_bytes().first() {
        Some(b'=' | b'+' | b'-' | b'@' | b'\t' | b'\r') => format!("'{text}").into(),
        _ => text.into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn neutralizes_formula_starts() {
        assert_eq!(neutralize("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(neutralize("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(neutralize("fine"), "fine");
    }
}
