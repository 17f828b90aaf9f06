//! Writing outputs safely: each file is written to a temporary file in its
//! target directory and renamed into place only when every output of the run
//! is complete, so a failed run never leaves a half-written file and never
//! replaces a good one. The temporary files are listed, so that an
//! interrupted run can remove them ([`remove_temporary_files`]), and a run
//! removes those an earlier run could not (killed) once they are a day old.

use anyhow::Context;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::{Duration, SystemTime};
use tempfile::NamedTempFile;

use crate::error::{Error, Result};

/// How temporary outputs are named: `.hisp-XXXXXX.tmp`.
const PREFIX: &str = ".hisp-";
const SUFFIX: &str = ".tmp";

/// Leftovers older than this are an interrupted run's, not a running one's.
const STALE_AFTER: Duration = Duration::from_secs(24 * 60 * 60);

/// The temporary files of this process not yet renamed into place.
static PENDING: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());

/// Remove the temporary files of outputs not yet in place: for a run that
/// is interrupted (Ctrl-C, SIGTERM) and exits at once.
pub fn remove_temporary_files() {
    let mut pending = PENDING.lock().unwrap_or_else(|p| p.into_inner());
    for path in pending.drain(..) {
        let _ = std::fs::remove_file(path);
    }
}

fn forget(path: &Path) {
    let mut pending = PENDING.lock().unwrap_or_else(|p| p.into_inner());
    pending.retain(|p| p != path);
}

/// Outputs written to temporary files, waiting to be renamed into place.
#[derive(Default)]
pub(crate) struct Staged {
    files: Vec<(NamedTempFile, PathBuf)>,
    /// The paths the run reads: no output may replace one.
    inputs: Vec<PathBuf>,
    /// Directories already cleared of stale leftovers.
    swept: Vec<PathBuf>,
}

impl Drop for Staged {
    fn drop(&mut self) {
        // Dropped unrenamed, the temporary files remove themselves.
        for (tmp, _) in &self.files {
            forget(tmp.path());
        }
    }
}

impl Staged {
    /// Outputs that must not replace any of `inputs`.
    pub(crate) fn guarding(inputs: Vec<PathBuf>) -> Staged {
        Staged {
            files: Vec::new(),
            inputs,
            swept: Vec::new(),
        }
    }

    /// Remove temporary outputs a killed run left in `dir` more than a day
    /// ago, once per directory, and say so.
    fn sweep(&mut self, dir: &Path) {
        if self.swept.iter().any(|d| d == dir) {
            return;
        }
        self.swept.push(dir.to_path_buf());
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        let now = SystemTime::now();
        let mut removed = 0;
        for entry in entries.flatten() {
            let name = entry.file_name();
            let name = name.to_string_lossy();
            let ours = name.starts_with(PREFIX) && name.ends_with(SUFFIX);
            let stale = entry
                .metadata()
                .and_then(|m| m.modified())
                .is_ok_and(|t| now.duration_since(t).is_ok_and(|age| age > STALE_AFTER));
            if ours && stale && std::fs::remove_file(entry.path()).is_ok() {
                removed += 1;
            }
        }
        if removed > 0 {
            tracing::warn!(
                "removed {removed} temporary file{} that an interrupted run left in {} more than a day ago",
                if removed == 1 { "" } else { "s" },
                dir.display()
            );
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
        self.sweep(dir);
        let mut builder = tempfile::Builder::new();
        builder.prefix(PREFIX).suffix(SUFFIX);
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
        PENDING
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .push(tmp.path().to_path_buf());
        let written = write(tmp.as_file_mut())
            .and_then(|_| tmp.as_file_mut().flush().map_err(Into::into))
            .and_then(|_| tmp.as_file().sync_all().map_err(Into::into))
            .with_context(|| format!("cannot write {}", target.display()));
        if let Err(e) = written {
            forget(tmp.path());
            return Err(Error::Output(e));
        }
        self.files.push((tmp, target.to_path_buf()));
        Ok(())
    }

    /// Rename every staged file into place; after a failure, the rest are
    /// removed.
    pub(crate) fn commit(mut self) -> Result<Vec<PathBuf>> {
        let mut written = Vec::new();
        let mut failed = None;
        for (tmp, target) in std::mem::take(&mut self.files) {
            let path = tmp.path().to_path_buf();
            if failed.is_none() {
                match tmp.persist(&target) {
                    Ok(_) => written.push(target),
                    Err(e) => {
                        let e = anyhow::Error::new(e.error)
                            .context(format!("cannot write {}", target.display()));
                        failed = Some(Error::Output(e));
                    }
                }
            }
            forget(&path);
        }
        failed.map_or(Ok(written), Err)
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

/// Write one file atomically: staged beside `path`, renamed into place
/// when complete.
pub fn write_file(
    path: &Path,
    write: impl FnOnce(&mut std::fs::File) -> std::io::Result<()>,
) -> Result<()> {
    let mut staged = Staged::default();
    staged.stage(path, |f| write(f).map_err(Into::into))?;
    staged.commit().map(|_| ())
}
