//! SHA-256 of an input computed while it is read, so the About sheet can name
//! exactly which bytes were reported without a second pass.

use sha2::{Digest as _, Sha256};
use std::io::{self, Read};

#[derive(Debug, Clone, Default)]
pub struct Digest {
    pub bytes: u64,
    /// Lower-case hex; empty when the input could not be hashed.
    pub sha256: String,
}

pub struct HashingReader<R> {
    inner: R,
    hasher: Sha256,
    bytes: u64,
}

impl<R: Read> HashingReader<R> {
    pub fn new(inner: R) -> Self {
        HashingReader {
            inner,
            hasher: Sha256::new(),
            bytes: 0,
        }
    }

    pub fn finish(mut self) -> Digest {
        // Hash whatever the parser did not need to read (normally nothing).
        let _ = io::copy(&mut self.by_ref(), &mut io::sink());
        Digest {
            bytes: self.bytes,
            sha256: hex(&self.hasher.finalize()),
        }
    }
}

impl<R: Read> Read for HashingReader<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.hasher.update(&buf[..n]);
        self.bytes += n as u64;
        Ok(n)
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_what_it_reads() {
        let mut r = HashingReader::new(&b"abc"[..]);
        let mut s = String::new();
        r.read_to_string(&mut s).unwrap();
        let d = r.finish();
        assert_eq!(d.bytes, 3);
        assert_eq!(
            d.sha256,
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }
}
