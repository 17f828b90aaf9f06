//! A progress bar on stderr for long runs: bytes read of the total, rows and
//! rows per second, time left. It stays hidden for the first second (short
//! runs print nothing), when stderr is not a terminal, under `--quiet` and
//! with `--format json`. Updates come per read buffer (256 KiB) and every
//! 64K rows, so they cost nothing measurable.

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::io::Read;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

/// How long a run goes before the bar appears.
const DELAY: Duration = Duration::from_secs(1);

/// Rows between updates of the row count.
pub const ROW_STEP: u64 = 1 << 16;

/// A handle on the run's progress bar; cheap to clone, a no-op when hidden.
#[derive(Clone, Default)]
pub struct Progress(Option<Arc<Shown>>);

struct Shown {
    bar: ProgressBar,
    revealed: AtomicBool,
}

impl std::fmt::Debug for Progress {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(if self.0.is_some() {
            "Progress"
        } else {
            "Progress(hidden)"
        })
    }
}

impl Progress {
    /// A bar for `total` bytes (unknown for standard input), if stderr is a
    /// terminal.
    pub fn start(total: Option<u64>) -> Progress {
        if !std::io::IsTerminal::is_terminal(&std::io::stderr()) {
            return Progress::default();
        }
        let bar = ProgressBar::with_draw_target(total, ProgressDrawTarget::hidden());
        let template = if total.is_some() {
            "{bar:30} {bytes}/{total_bytes} {bytes_per_sec}, {eta} left  {msg}"
        } else {
            "{spinner} {bytes} {bytes_per_sec}  {msg}"
        };
        if let Ok(style) = ProgressStyle::with_template(template) {
            bar.set_style(style);
        }
        Progress(Some(Arc::new(Shown {
            bar,
            revealed: AtomicBool::new(false),
        })))
    }

    /// Count bytes read.
    pub fn advance(&self, bytes: u64) {
        if let Some(shown) = &self.0 {
            shown.bar.inc(bytes);
            self.reveal(shown);
        }
    }

    /// Say which input is being read and how many rows so far.
    pub fn rows(&self, file: &str, rows: u64) {
        if let Some(shown) = &self.0 {
            let seconds = shown.bar.elapsed().as_secs_f64();
            let rate = if seconds > 0.0 {
                format!(", {:.0} rows/s", rows as f64 / seconds)
            } else {
                String::new()
            };
            shown.bar.set_message(format!("{file}: {rows} rows{rate}"));
            self.reveal(shown);
        }
    }

    fn reveal(&self, shown: &Shown) {
        if !shown.revealed.load(Ordering::Relaxed) && shown.bar.elapsed() >= DELAY {
            shown.revealed.store(true, Ordering::Relaxed);
            shown.bar.set_draw_target(ProgressDrawTarget::stderr());
        }
    }

    /// Remove the bar: the report follows.
    pub fn finish(&self) {
        if let Some(shown) = &self.0 {
            shown.bar.finish_and_clear();
        }
    }

    /// Wrap a reader so that its bytes count.
    pub fn reader<R: Read>(&self, inner: R) -> Counted<R> {
        Counted {
            inner,
            progress: self.clone(),
        }
    }
}

/// A reader whose bytes advance the progress bar.
pub struct Counted<R> {
    inner: R,
    progress: Progress,
}

impl<R: Read> Read for Counted<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.progress.advance(n as u64);
        Ok(n)
    }
}
