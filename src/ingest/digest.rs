//! SHA-256 of an input computed while it is read, so the About sheet can name
//! exactly which bytes were reported without a second pass.

use sha2::{Digest as _, Sha256};
use std::io::{self, Read};
use std::sync::{Arc, Mutex};

#[derive(Debug, Clone, Default)]
pub(crate) struct Digest {
    pub(crate) bytes: u64,
    /// Lower-case hex; empty when the input could not be hashed.
    pub(crate) sha256: String,
}

/// The digest of bytes already in memory.
pub(super) fn digest_of(bytes: &[u8]) -> Digest {
    Digest {
        bytes: bytes.len() as u64,
        sha256: hex(&Sha256::digest(bytes)),
    }
}

#[derive(Default)]
struct State {
    hasher: Sha256,
    bytes: u64,
}

/// Hashes the raw bytes as they pass. The state is shared with a
/// [`DigestHandle`] so it can be read after the reader has been wrapped in
/// decoders that do not give it back (and moved to the reading thread).
pub(super) struct HashingReader<R> {
    inner: R,
    state: Arc<Mutex<State>>,
}

/// Reads the digest of a [`HashingReader`] once its input is exhausted.
pub(super) struct DigestHandle(Arc<Mutex<State>>);

impl<R: Read> HashingReader<R> {
    pub(super) fn new(inner: R) -> (Self, DigestHandle) {
        let state = Arc::new(Mutex::new(State::default()));
        let handle = DigestHandle(state.clone());
        (HashingReader { inner, state }, handle)
    }
}

impl DigestHandle {
    /// The digest of everything read so far: drain the reader first.
    pub(super) fn finish(self) -> Digest {
        let state = std::mem::take(&mut *self.0.lock().unwrap_or_else(|e| e.into_inner()));
        Digest {
            bytes: state.bytes,
            sha256: hex(&state.hasher.finalize()),
        }
    }
}

impl<R: Read> Read for HashingReader<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        // One lock per read buffer: uncontended and cheap.
        let mut state = self.state.lock().unwrap_or_else(|e| e.into_inner());
        state.hasher.update(&buf[..n]);
        state.bytes += n as u64;
        Ok(n)
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const ABC: &str = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";

    #[test]
    fn hashes_what_it_reads() {
        let (mut r, handle) = HashingReader::new(&b"abc"[..]);
        let mut s = String::new();
        r.read_to_string(&mut s).unwrap();
        let d = handle.finish();
        assert_eq!(d.bytes, 3);
        assert_eq!(d.sha256, ABC);
        assert_eq!(digest_of(b"abc").sha256, ABC);
    }
}
