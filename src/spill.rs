//! Bytes set aside during the pass and read back after it: the response
//! IDs past their memory budget, the responses an output lists one by one.
//! The pass asks a [`Spill`] for files and never knows where they are: the
//! host's are temporary files (anonymous, so nothing is left behind however
//! a run ends), a browser's are buffers in memory.

use std::io::{self, Cursor, Read, Seek, SeekFrom, Write};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

/// A file spilled to: written, then read back from the start.
pub(crate) trait SpillFile: Read + Write + Seek + Send {
    /// A second handle on the same bytes, to read them back while this one
    /// is kept.
    fn another(&self) -> io::Result<Box<dyn SpillFile>>;
}

/// Where spilled files are made.
pub(crate) trait Spill: Send + Sync {
    /// A new, empty file.
    fn file(&self) -> io::Result<Box<dyn SpillFile>>;

    /// Where the files are, for an error message.
    fn place(&self) -> String;
}

/// Spilled bytes kept in memory (no file system: a browser's worker).
#[derive(Debug, Default)]
pub(crate) struct InMemory;

impl Spill for InMemory {
    fn file(&self) -> io::Result<Box<dyn SpillFile>> {
        Ok(Box::new(Buffer::default()))
    }

    fn place(&self) -> String {
        "memory".to_string()
    }
}

/// Bytes in memory that more than one handle reads, each at its own
/// position.
#[derive(Debug, Default)]
struct Buffer {
    bytes: Arc<Mutex<Vec<u8>>>,
    at: u64,
}

impl Buffer {
    fn shared(&self) -> MutexGuard<'_, Vec<u8>> {
        self.bytes.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

impl Read for Buffer {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let at = self.at;
        let n = {
            let bytes = self.shared();
            let mut cursor = Cursor::new(bytes.as_slice());
            cursor.set_position(at);
            cursor.read(buf)?
        };
        self.at += n as u64;
        Ok(n)
    }
}

impl Write for Buffer {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let at = self.at;
        let n = {
            let mut bytes = self.shared();
            let mut cursor = Cursor::new(&mut *bytes);
            cursor.set_position(at);
            cursor.write(buf)?
        };
        self.at += n as u64;
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

impl Seek for Buffer {
    fn seek(&mut self, to: SeekFrom) -> io::Result<u64> {
        let (from, by) = match to {
            SeekFrom::Start(at) => (at, 0),
            SeekFrom::End(by) => (self.shared().len() as u64, by),
            SeekFrom::Current(by) => (self.at, by),
        };
        self.at = from
            .checked_add_signed(by)
            .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidInput, "seek before the start"))?;
        Ok(self.at)
    }
}

impl SpillFile for Buffer {
    fn another(&self) -> io::Result<Box<dyn SpillFile>> {
        Ok(Box::new(Buffer {
            bytes: Arc::clone(&self.bytes),
            at: 0,
        }))
    }
}

/// Anonymous temporary files (`host`): in `dir`, or where `TMPDIR` says.
#[cfg(feature = "host")]
#[derive(Debug, Default)]
pub(crate) struct TempFiles {
    pub(crate) dir: Option<std::path::PathBuf>,
}

#[cfg(feature = "host")]
impl Spill for TempFiles {
    fn file(&self) -> io::Result<Box<dyn SpillFile>> {
        let file = match &self.dir {
            Some(dir) => tempfile::tempfile_in(dir)?,
            None => tempfile::tempfile()?,
        };
        Ok(Box::new(file))
    }

    fn place(&self) -> String {
        match &self.dir {
            Some(dir) => dir.display().to_string(),
            None => "TMPDIR".to_string(),
        }
    }
}

#[cfg(feature = "host")]
impl SpillFile for std::fs::File {
    fn another(&self) -> io::Result<Box<dyn SpillFile>> {
        Ok(Box::new(self.try_clone()?))
    }
}

/// The spill a pass uses unless told otherwise: temporary files on a host,
/// memory elsewhere.
pub(crate) fn default_spill() -> Arc<dyn Spill> {
    #[cfg(feature = "host")]
    {
        Arc::new(TempFiles::default())
    }
    #[cfg(not(feature = "host"))]
    {
        Arc::new(InMemory)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn memory_files_read_back_what_was_written_from_any_handle() {
        let mut file = InMemory.file().unwrap();
        file.write_all(b"hello, ").unwrap();
        file.write_all(b"world").unwrap();
        let mut other = file.another().unwrap();
        let mut text = String::new();
        other.read_to_string(&mut text).unwrap();
        assert_eq!(text, "hello, world");
        file.seek(SeekFrom::Start(7)).unwrap();
        file.write_all(b"there").unwrap();
        assert_eq!(file.seek(SeekFrom::End(-5)).unwrap(), 7);
        let mut tail = String::new();
        file.read_to_string(&mut tail).unwrap();
        assert_eq!(tail, "there");
        assert!(file.seek(SeekFrom::Current(-100)).is_err());
    }
}
