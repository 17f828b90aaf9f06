//! What a run does on a host with a file system: inputs given twice
//! refused, outputs staged beside their targets and put in place together,
//! the Parquet files. The pass itself needs none of it.

use std::path::{Path, PathBuf};

use super::outcome::write_table_csv;
use super::{Options, ReportOutputs, Run};
use crate::error::{Error, Result};
use crate::ingest::Input;
use crate::write::staged::{Staged, ensure_not_an_input};

impl Options {
    /// Every file the run reads: inputs, manifest, mapping file, schema.
    pub(super) fn input_paths(&self) -> Vec<PathBuf> {
        let mut paths: Vec<PathBuf> = self
            .inputs
            .iter()
            .filter_map(|i| i.path().map(Path::to_path_buf))
            .collect();
        paths.extend(self.services.clone());
        paths.extend(self.map.clone());
        paths.extend(self.schema.as_ref().map(PathBuf::from));
        paths
    }

    /// Refuse an output that is one of the run's inputs: a run never
    /// touches its inputs.
    pub fn ensure_not_an_input(&self, output: &Path) -> Result<()> {
        ensure_not_an_input(output, &self.input_paths())
    }
}

impl Run {
    /// Write the workbook and, as asked, the main table as CSV and the
    /// upload files, all or none: each is staged, and renamed into place
    /// only when every one is complete. The files written, in order.
    pub fn write_outputs(
        &self,
        outputs: &ReportOutputs,
        options: &Options,
    ) -> Result<Vec<PathBuf>> {
        let common = self.common(outputs.skip_invalid, !outputs.no_responses)?;
        for dir in [&outputs.csv_dir, &outputs.upload_dir]
            .into_iter()
            .flatten()
        {
            std::fs::create_dir_all(dir).map_err(|e| {
                Error::Output(
                    anyhow::Error::new(e).context(format!("cannot create {}", dir.display())),
                )
            })?;
        }
        let mut staged = Staged::guarding(options.input_paths());
        let document = self.published.document(&common);
        staged.stage(&outputs.workbook, |f| {
            crate::write::xlsx::render(&document, f).map_err(Into::into)
        })?;
        if let Some(dir) = &outputs.csv_dir {
            let (what, table) = self.main_table()?;
            let target = csv_target(dir, &outputs.workbook, what);
            staged.stage(&target, |f| write_table_csv(&table, f).map_err(Into::into))?;
        }
        if let Some(dir) = &outputs.upload_dir {
            match self.published.uploads() {
                Some(uploads) => {
                    for upload in uploads {
                        staged.stage(&dir.join(&upload.name), |f| (upload.write)(f))?;
                    }
                }
                None => tracing::warn!(
                    "--upload-dir writes A-11 v2 upload files; these inputs are A-11 v1"
                ),
            }
        }
        staged.commit()
    }
}

#[cfg(feature = "parquet")]
impl Run {
    /// `report --parquet FILE`: the quarter's valid rows, put in place.
    pub fn write_rows_parquet(&self, path: &Path, options: &Options) -> Result<()> {
        use std::io::Seek;
        let Some(file) = &self.rows_parquet else {
            return Err(Error::config(anyhow::anyhow!(
                "no rows were listed for --parquet"
            )));
        };
        let mut file = file.try_clone().map_err(|e| Error::Output(e.into()))?;
        file.rewind().map_err(|e| Error::Output(e.into()))?;
        let mut staged = Staged::guarding(options.input_paths());
        staged.stage(path, |f| {
            std::io::copy(&mut file, f)?;
            Ok(())
        })?;
        staged.commit().map(|_| ())
    }

    /// `--parquet FILE`: the main table (a trend's long table) as Parquet.
    pub fn write_parquet(&self, path: &Path, options: &Options) -> Result<()> {
        let quarter = self
            .quarter
            .ok_or_else(|| Error::config(anyhow::anyhow!("--parquet needs a quarter")))?;
        let (_, table) = self.published.main_table(quarter, &self.schema);
        let mut staged = Staged::guarding(options.input_paths());
        staged.stage(path, |f| {
            crate::write::parquet::write(&table, f).map_err(|e| std::io::Error::other(e).into())
        })?;
        staged.commit().map(|_| ())
    }
}

/// The same file given twice (by any path: a link, `./`) would count its
/// responses twice and report each as a duplicate of itself.
pub(super) fn ensure_each_input_once(inputs: &[Input]) -> Result<()> {
    let mut seen: std::collections::HashMap<same_file::Handle, &Path> = Default::default();
    // Files of one size, compared by content below.
    let mut by_size: std::collections::BTreeMap<u64, Vec<&Path>> = Default::default();
    for path in inputs.iter().filter_map(Input::path) {
        // Only regular files: opening a pipe here would take its reader's
        // place. A file that cannot be opened is reported when it is read.
        let Ok(meta) = std::fs::metadata(path) else {
            continue;
        };
        if !meta.is_file() {
            continue;
        }
        let Ok(handle) = same_file::Handle::from_path(path) else {
            continue;
        };
        if let Some(first) = seen.insert(handle, path) {
            return Err(Error::config(anyhow::anyhow!(
                "the input {} was given twice (also as {}); give each file once",
                path.display(),
                first.display()
            )));
        }
        by_size.entry(meta.len()).or_default().push(path);
    }
    // Two files with the same bytes (an export downloaded twice): hashed
    // only when their sizes agree, which different exports rarely do.
    for paths in by_size.values().filter(|p| p.len() > 1) {
        let mut hashes: Vec<(String, &Path)> = Vec::new();
        for path in paths {
            // A header with no rows may well repeat another's.
            let Ok((hash, lines)) = sha256_of(path) else {
                continue;
            };
            if lines < 2 {
                continue;
            }
            if let Some((_, first)) = hashes.iter().find(|(h, _)| *h == hash) {
                return Err(Error::config(anyhow::anyhow!(
                    "the inputs {} and {} have the same content (sha256 {hash}): the same export given twice? Give it once",
                    first.display(),
                    path.display()
                )));
            }
            hashes.push((hash, path));
        }
    }
    Ok(())
}

/// A file's SHA-256, in hex, and how many line breaks it holds.
fn sha256_of(path: &Path) -> std::io::Result<(String, usize)> {
    use sha2::Digest;
    use std::io::Read;
    let mut hasher = sha2::Sha256::new();
    let mut file = std::fs::File::open(path)?;
    let mut buf = vec![0u8; 1 << 16];
    let mut lines = 0;
    loop {
        let n = file.read(&mut buf)?;
        if n == 0 {
            break;
        }
        hasher.update(&buf[..n]);
        lines += buf[..n].iter().filter(|&&b| b == b'\n').count();
    }
    Ok((format!("{:x}", hasher.finalize()), lines))
}

/// `DIR/<workbook name>-<what>.csv`
fn csv_target(dir: &Path, workbook: &Path, what: &str) -> PathBuf {
    let stem = workbook
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or("hisp-report");
    dir.join(format!("{stem}-{what}.csv"))
}
