//! A progress bar on stderr for long runs: bytes read of the total, rows and
//! rows per second, time left. It stays hidden for the first second (short
//! runs print nothing), when stderr is not a terminal, under `--quiet` and
//! with `--format json`. The library reports per read buffer (256 KiB) and
//! every 64K rows, so updates cost nothing measurable.

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

/// How long a run goes before the bar appears.
const DELAY: Duration = Duration::from_secs(1);

pub struct Bar {
    bar: ProgressBar,
    revealed: AtomicBool,
}

impl Bar {
    /// A bar for `total` bytes (unknown for standard input), if stderr is a
    /// terminal.
    pub fn start(total: Option<u64>) -> Option<Arc<Bar>> {
        if !std::io::IsTerminal::is_terminal(&std::io::stderr()) {
            return None;
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
        Some(Arc::new(Bar {
            bar,
            revealed: AtomicBool::new(false),
        }))
    }

    fn reveal(&self) {
        if !self.revealed.load(Ordering::Relaxed) && self.bar.elapsed() >= DELAY {
            self.revealed.store(true, Ordering::Relaxed);
            self.bar.set_draw_target(ProgressDrawTarget::stderr());
        }
    }

    /// Remove the bar: the report follows.
    pub fn finish(&self) {
        self.bar.finish_and_clear();
    }
}

impl hisp::Observer for Bar {
    fn bytes_read(&self, n: u64) {
        self.bar.inc(n);
        self.reveal();
    }

    fn rows_read(&self, file: &str, rows: u64) {
        let seconds = self.bar.elapsed().as_secs_f64();
        let rate = if seconds > 0.0 {
            format!(", {:.0} rows/s", rows as f64 / seconds)
        } else {
            String::new()
        };
        self.bar.set_message(format!("{file}: {rows} rows{rate}"));
        self.reveal();
    }
}
