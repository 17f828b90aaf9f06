//! The project config file, `hisp.toml`: the defaults a recurring job
//! needs (inputs, manifest, mapping file, time zone, output names by
//! quarter), so that a cron line can be `hisp report`. Found in the working
//! directory or its parents, or given with `--config FILE`; `--no-config`
//! ignores it. Flags always win; paths are relative to the file.

use std::path::{Path, PathBuf};

use serde::Deserialize;

use hisp::Quarter;

/// The file's name, looked for upwards from the working directory.
pub const FILE_NAME: &str = "hisp.toml";

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// Exports: paths and glob patterns.
    #[serde(default)]
    inputs: Vec<String>,
    services: Option<PathBuf>,
    map: Option<PathBuf>,
    /// a11-v1 or a11-v2.
    template: Option<String>,
    timezone: Option<String>,
    min_n: Option<u64>,
    /// A fixed quarter; without them, the last completed one.
    fiscal_year: Option<i32>,
    quarter: Option<u8>,
    /// The workbook, with `{fy}`, `{q}` and `{template}` filled in.
    output: Option<String>,
    /// A-11 v2 upload files, a directory pattern.
    upload_dir: Option<String>,
    /// The main table as CSV, a directory pattern.
    csv: Option<String>,
    /// Where the file was found; paths are relative to its folder.
    #[serde(skip)]
    file: Option<PathBuf>,
}

fn config_error(message: String) -> hisp::Error {
    hisp::Error::Config(anyhow::anyhow!(message))
}

impl Config {
    /// The file given, else the first `hisp.toml` from the working
    /// directory up; no file at all is an empty config.
    pub fn load(explicit: Option<&Path>, disabled: bool) -> hisp::Result<Config> {
        if disabled {
            return Ok(Config::default());
        }
        let path = match explicit {
            Some(p) => p.to_path_buf(),
            None => {
                let cwd = std::env::current_dir().unwrap_or_default();
                match cwd
                    .ancestors()
                    .map(|d| d.join(FILE_NAME))
                    .find(|p| p.is_file())
                {
                    Some(p) => p,
                    None => return Ok(Config::default()),
                }
            }
        };
        let text = std::fs::read_to_string(&path).map_err(|e| {
            config_error(format!(
                "cannot read the config file {}: {e}",
                path.display()
            ))
        })?;
        let mut config: Config = toml::from_str(&text).map_err(|e| {
            config_error(format!(
                "the config file {} is not valid: {e}",
                path.display()
            ))
        })?;
        if config.fiscal_year.is_some() != config.quarter.is_some() {
            return Err(config_error(format!(
                "the config file {}: give fiscal_year and quarter together",
                path.display()
            )));
        }
        if let (Some(y), Some(q)) = (config.fiscal_year, config.quarter)
            && Quarter::new(y, q).is_none()
        {
            return Err(config_error(format!(
                "the config file {}: FY{y} Q{q} is not a fiscal quarter",
                path.display()
            )));
        }
        if let Some(t) = &config.template
            && hisp::Template::named(t).is_none()
        {
            return Err(config_error(format!(
                "the config file {}: template {t:?} is not {}",
                path.display(),
                hisp::Template::names().join(" or ")
            )));
        }
        config.file = Some(path);
        Ok(config)
    }

    /// A path of the config, relative to the config file's folder (kept as
    /// written when that folder is the working one, so reports name files
    /// as the user does).
    fn resolve(&self, path: &Path) -> PathBuf {
        let cwd = std::env::current_dir().ok();
        match self.file.as_ref().and_then(|f| f.parent()) {
            Some(dir) if path.is_relative() && Some(dir) != cwd.as_deref() => dir.join(path),
            _ => path.to_path_buf(),
        }
    }

    fn source(&self) -> String {
        self.file
            .as_ref()
            .map_or("default".to_string(), |f| format!("from {}", f.display()))
    }

    /// The inputs, each pattern expanded in order (a pattern that matches
    /// nothing is an error: the cron job would report nothing).
    pub fn inputs(&self) -> hisp::Result<Vec<String>> {
        let mut out = Vec::new();
        for pattern in &self.inputs {
            let full = self.resolve(Path::new(pattern));
            let text = full.display().to_string();
            let mut matched: Vec<String> = glob::glob(&text)
                .map_err(|e| {
                    config_error(format!(
                        "{}: inputs pattern {pattern:?}: {e}",
                        self.source()
                    ))
                })?
                .filter_map(|p| p.ok())
                .map(|p| p.display().to_string())
                .collect();
            if matched.is_empty() {
                return Err(config_error(format!(
                    "{}: inputs pattern {pattern:?} matches no file",
                    self.source()
                )));
            }
            matched.sort();
            out.extend(matched);
        }
        Ok(out)
    }

    pub fn services(&self) -> Option<PathBuf> {
        self.services.as_deref().map(|p| self.resolve(p))
    }

    pub fn map(&self) -> Option<PathBuf> {
        self.map.as_deref().map(|p| self.resolve(p))
    }

    pub fn template(&self) -> Option<hisp::Template> {
        self.template.as_deref().and_then(hisp::Template::named)
    }

    pub fn timezone(&self) -> Option<&str> {
        self.timezone.as_deref()
    }

    pub fn min_n(&self) -> Option<u64> {
        self.min_n
    }

    pub fn quarter(&self) -> Option<Quarter> {
        Quarter::new(self.fiscal_year?, self.quarter?)
    }

    /// A pattern with its placeholders filled: `{fy}` 2025, `{q}` 2,
    /// `{template}` the template given (a11-v1, a11-v2) or a11.
    fn fill(&self, pattern: &str, quarter: Quarter, template: Option<hisp::Template>) -> PathBuf {
        let template = template
            .or(self.template())
            .map_or("a11", hisp::Template::name);
        let filled = pattern
            .replace("{fy}", &quarter.fiscal_year().to_string())
            .replace("{q}", &quarter.quarter().to_string())
            .replace("{template}", template);
        self.resolve(Path::new(&filled))
    }

    pub fn output(&self, quarter: Quarter, template: Option<hisp::Template>) -> Option<PathBuf> {
        self.output
            .as_deref()
            .map(|p| self.fill(p, quarter, template))
    }

    pub fn upload_dir(
        &self,
        quarter: Quarter,
        template: Option<hisp::Template>,
    ) -> Option<PathBuf> {
        self.upload_dir
            .as_deref()
            .map(|p| self.fill(p, quarter, template))
    }

    pub fn csv(&self, quarter: Quarter, template: Option<hisp::Template>) -> Option<PathBuf> {
        self.csv.as_deref().map(|p| self.fill(p, quarter, template))
    }

    /// `hisp config show`: every key, its value and where it came from.
    pub fn show(&self, out: &mut dyn std::io::Write) -> std::io::Result<()> {
        let from = self.source();
        match &self.file {
            Some(f) => writeln!(out, "# config file: {}", f.display())?,
            None => writeln!(
                out,
                "# no config file ({FILE_NAME} in this folder or above, or --config FILE)"
            )?,
        }
        let quoted = |v: &str| format!("{v:?}");
        let rows: Vec<(&str, Option<String>, String)> = vec![
            (
                "inputs",
                (!self.inputs.is_empty()).then(|| {
                    format!(
                        "[{}]",
                        self.inputs
                            .iter()
                            .map(|i| quoted(i))
                            .collect::<Vec<_>>()
                            .join(", ")
                    )
                }),
                "(the command line's INPUT...)".into(),
            ),
            (
                "services",
                self.services
                    .as_ref()
                    .map(|p| quoted(&p.display().to_string())),
                "(none)".into(),
            ),
            (
                "map",
                self.map.as_ref().map(|p| quoted(&p.display().to_string())),
                "(none)".into(),
            ),
            (
                "template",
                self.template.as_deref().map(quoted),
                "(recognised from the header)".into(),
            ),
            (
                "timezone",
                self.timezone.as_deref().map(quoted),
                quoted("America/New_York"),
            ),
            (
                "min_n",
                self.min_n.map(|n| n.to_string()),
                hisp::DEFAULT_MIN_N.to_string(),
            ),
            (
                "fiscal_year",
                self.fiscal_year.map(|y| y.to_string()),
                "(the last completed quarter's)".into(),
            ),
            (
                "quarter",
                self.quarter.map(|q| q.to_string()),
                "(the last completed quarter)".into(),
            ),
            (
                "output",
                self.output.as_deref().map(quoted),
                "(-o OUT.xlsx)".into(),
            ),
            (
                "upload_dir",
                self.upload_dir.as_deref().map(quoted),
                "(none)".into(),
            ),
            ("csv", self.csv.as_deref().map(quoted), "(none)".into()),
        ];
        for (key, value, default) in rows {
            match value {
                Some(v) => writeln!(out, "{key} = {v}   # {from}")?,
                None => writeln!(out, "# {key} = {default}   # default")?,
            }
        }
        Ok(())
    }
}
