//! Progress of the pass, reported to whoever watches (the binary draws a
//! bar): bytes read and rows so far. Without an observer it costs nothing.

use std::io::Read;
use std::sync::Arc;

/// Rows between reports of the row count.
pub(crate) const ROW_STEP: u64 = 1 << 16;

/// Told how the pass advances. Called from the reading threads.
pub trait Observer: Send + Sync {
    /// `n` more bytes of the inputs were read.
    fn bytes_read(&self, n: u64);
    /// `rows` rows of `file` were read so far.
    fn rows_read(&self, file: &str, rows: u64);
}

/// A handle on the run's observer; cheap to clone, a no-op without one.
#[derive(Clone, Default)]
pub(crate) struct Progress(Option<Arc<dyn Observer>>);

impl std::fmt::Debug for Progress {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Progress")
    }
}

impl Progress {
    pub(crate) fn new(observer: Option<Arc<dyn Observer>>) -> Progress {
        Progress(observer)
    }

    pub(crate) fn advance(&self, n: u64) {
        if let Some(o) = &self.0 {
            o.bytes_read(n);
        }
    }

    pub(crate) fn rows(&self, file: &str, rows: u64) {
        if let Some(o) = &self.0 {
            o.rows_read(file, rows);
        }
    }

    /// Wrap a reader so that its bytes count.
    pub(crate) fn reader<R: Read>(&self, inner: R) -> Counted<R> {
        Counted {
            inner,
            progress: self.clone(),
        }
    }
}

/// A reader whose bytes are reported.
pub(crate) struct Counted<R> {
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
