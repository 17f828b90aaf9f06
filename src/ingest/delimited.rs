//! CSV and other delimited text, read with the `csv` crate in one pass.
//! Row numbers are physical lines: a quoted field holding newlines moves the
//! next row down, as in a text editor.
//!
//! Lines are counted here rather than taken from csv-core: its line counter
//! misses newlines inside quoted fields of CRLF files (its fast copy loop
//! skips them), which would shift every later row number. Record byte offsets
//! are exact: a record's first line is one more than the newlines before its
//! end, less the newlines inside its own fields (kept verbatim in them).

use anyhow::{Context, Result, bail};
use csv::ByteRecord;
use std::collections::VecDeque;
use std::io::{Chain, Cursor, Read};
use std::sync::Arc;

use super::digest::{Digest, HashingReader};
use super::{Cell, InputSpec, Row, Table};

type Source = LineCounter<Chain<Cursor<Vec<u8>>, HashingReader<Box<dyn Read>>>>;

pub struct Body {
    reader: csv::Reader<Source>,
    record: ByteRecord,
}

const SNIFF_BYTES: u64 = 64 * 1024;

pub fn open(spec: &InputSpec, file: Arc<str>) -> Result<Table> {
    let raw: Box<dyn Read> = match &spec.path {
        Some(path) => {
            Box::new(std::fs::File::open(path).with_context(|| format!("cannot open {file}"))?)
        }
        None => Box::new(std::io::stdin()),
    };
    let mut hashing = HashingReader::new(raw);
    let mut head = Vec::new();
    (&mut hashing)
        .take(SNIFF_BYTES)
        .read_to_end(&mut head)
        .with_context(|| format!("cannot read {file}"))?;
    if head.starts_with(&[0xFF, 0xFE]) || head.starts_with(&[0xFE, 0xFF]) {
        bail!(
            "{file} is UTF-16 text (Excel's \"Unicode Text\"); save it as \"CSV UTF-8\" and run again"
        );
    }
    if head.starts_with(b"\xEF\xBB\xBF") {
        head.drain(..3);
    }
    let delimiter = spec.delimiter.unwrap_or_else(|| sniff_delimiter(&head));
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .buffer_capacity(256 * 1024)
        .from_reader(LineCounter::new(Cursor::new(head).chain(hashing)));
    let mut record = ByteRecord::new();
    let has_header = reader
        .read_byte_record(&mut record)
        .with_context(|| format!("cannot read {file}"))?;
    if !has_header {
        bail!("{file} is empty: expected a header row naming the columns");
    }
    let header_row = line_of(&mut reader, &record);
    let headers = record
        .iter()
        .map(|h| String::from_utf8_lossy(h).trim().to_string())
        .collect();
    Ok(Table {
        file,
        sheet: None,
        headers,
        header_row,
        column_offset: 0,
        format: format!("CSV, delimiter {}", delimiter_name(delimiter)),
        body: super::Body::Delimited(Box::new(Body { reader, record })),
    })
}

impl Body {
    pub fn for_each_row(&mut self, file: &str, visit: &mut dyn FnMut(u64, &dyn Row)) -> Result<()> {
        loop {
            match self.reader.read_byte_record(&mut self.record) {
                Ok(true) => {
                    let line = line_of(&mut self.reader, &self.record);
                    visit(line, &CsvRow(&self.record));
                }
                Ok(false) => return Ok(()),
                Err(e) => {
                    let line = match e.position() {
                        Some(p) => self.reader.get_mut().newlines_before(p.byte()) + 1,
                        None => 0,
                    };
                    bail!("cannot read {file} near line {line}: {e}");
                }
            }
        }
    }

    pub fn finish(self) -> Digest {
        let (_, hashing) = self.reader.into_inner().inner.into_inner();
        hashing.finish()
    }
}

/// The physical line a record starts on.
fn line_of<R: Read>(reader: &mut csv::Reader<LineCounter<R>>, record: &ByteRecord) -> u64 {
    // The reader stops just after the terminator's first byte (`\n`, or `\r`
    // of `\r\n`), or at the end of input: a newline there is not inside.
    let end = reader.position().byte().saturating_sub(1);
    let inside = line_breaks(record.as_slice(), 0).count() as u64;
    reader.get_mut().newlines_before(end) - inside + 1
}

/// Counts newlines as bytes pass through, keeping only the positions the
/// parser has read but not yet asked about (bounded by its buffer).
struct LineCounter<R> {
    inner: R,
    offset: u64,
    /// A `\r` ended the last chunk: whether it breaks a line depends on the
    /// next byte.
    trailing_cr: Option<u64>,
    pending: VecDeque<u64>,
    lines_before: u64,
}

impl<R> LineCounter<R> {
    fn new(inner: R) -> Self {
        LineCounter {
            inner,
            offset: 0,
            trailing_cr: None,
            pending: VecDeque::new(),
            lines_before: 0,
        }
    }

    /// How many newlines precede byte `byte`. Calls must not go backwards.
    fn newlines_before(&mut self, byte: u64) -> u64 {
        while self.pending.front().is_some_and(|&p| p < byte) {
            self.pending.pop_front();
            self.lines_before += 1;
        }
        self.lines_before
    }
}

impl<R: Read> Read for LineCounter<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        let chunk = &buf[..n];
        if let Some(cr) = self.trailing_cr.take()
            && (n == 0 || chunk[0] != b'\n')
        {
            self.pending.push_back(cr);
        }
        let offset = self.offset;
        let ends_with_cr = chunk.last() == Some(&b'\r');
        self.pending.extend(
            line_breaks(chunk, offset).filter(|&p| !(ends_with_cr && p == offset + n as u64 - 1)),
        );
        if ends_with_cr {
            self.trailing_cr = Some(offset + n as u64 - 1);
        }
        self.offset += n as u64;
        Ok(n)
    }
}

/// Positions (plus `offset`) of line breaks: every `\n`, and every `\r` not
/// followed by `\n` (old Mac line endings). A `\r` at the very end counts.
fn line_breaks(bytes: &[u8], offset: u64) -> impl Iterator<Item = u64> + '_ {
    memchr::memchr2_iter(b'\n', b'\r', bytes)
        .filter(|&i| bytes[i] == b'\n' || bytes.get(i + 1) != Some(&b'\n'))
        .map(move |i| offset + i as u64)
}

struct CsvRow<'a>(&'a ByteRecord);

impl Row for CsvRow<'_> {
    fn width(&self) -> usize {
        self.0.len()
    }
    /// On the bytes, so cells are not decoded twice.
    fn is_blank(&self) -> bool {
        self.0.iter().all(|f| f.iter().all(u8::is_ascii_whitespace))
    }
    fn cell(&self, index: usize) -> Cell<'_> {
        match self.0.get(index) {
            None | Some(b"") => Cell::Empty,
            Some(bytes) => match std::str::from_utf8(bytes) {
                Ok(text) => Cell::Text(text),
                Err(_) => Cell::BadEncoding,
            },
        }
    }
}

/// The delimiter of the first line: the most frequent of comma, semicolon,
/// tab and pipe outside quotes (comma when none appears).
fn sniff_delimiter(head: &[u8]) -> u8 {
    const CANDIDATES: [u8; 4] = [b',', b';', b'\t', b'|'];
    let mut counts = [0usize; 4];
    let mut in_quotes = false;
    for &b in head {
        match b {
            b'"' => in_quotes = !in_quotes,
            b'\n' | b'\r' if !in_quotes => break,
            _ if !in_quotes => {
                if let Some(i) = CANDIDATES.iter().position(|&c| c == b) {
                    counts[i] += 1;
                }
            }
            _ => {}
        }
    }
    let best = (0..4).max_by_key(|&i| (counts[i], 4 - i)).unwrap_or(0);
    if counts[best] == 0 {
        b','
    } else {
        CANDIDATES[best]
    }
}

fn delimiter_name(d: u8) -> String {
    match d {
        b',' => "comma".into(),
        b';' => "semicolon".into(),
        b'\t' => "tab".into(),
        b'|' => "pipe".into(),
        other => format!("{:?}", other as char),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A reader that hands out one byte per call, so line breaks straddle
    /// reads.
    struct OneByte<'a>(&'a [u8]);

    impl Read for OneByte<'_> {
        fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
            let Some((first, rest)) = self.0.split_first() else {
                return Ok(0);
            };
            buf[0] = *first;
            self.0 = rest;
            Ok(1)
        }
    }

    fn lines(data: &[u8]) -> Vec<u64> {
        let whole = lines_from(data);
        assert_eq!(
            whole,
            lines_from(OneByte(data)),
            "byte-at-a-time reads agree"
        );
        whole
    }

    fn lines_from(source: impl Read) -> Vec<u64> {
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .from_reader(LineCounter::new(source));
        let mut record = ByteRecord::new();
        let mut out = Vec::new();
        while reader.read_byte_record(&mut record).unwrap() {
            out.push(line_of(&mut reader, &record));
        }
        out
    }

    #[test]
    fn quoted_newlines_move_rows_down_in_lf_and_crlf_files() {
        assert_eq!(lines(b"h,c\na,\"x\ny\"\nb,z\n"), vec![1, 2, 4]);
        assert_eq!(lines(b"h,c\r\na,\"x\r\ny\"\r\nb,z\r\n"), vec![1, 2, 4]);
        assert_eq!(lines(b"h,c\r\na,\"x\ny\nz\"\r\n\r\nb,z"), vec![1, 2, 6]);
        assert_eq!(lines(b"\n\nh\na\n\n\nb"), vec![3, 4, 7]);
        assert_eq!(lines(b"h\r\r\na"), vec![1, 3]);
        assert_eq!(lines(b"h\ra,\"x\ry\"\rb"), vec![1, 2, 4]);
    }

    #[test]
    fn sniffs_delimiters() {
        assert_eq!(sniff_delimiter(b"a,b,c\n1;2;3;4;5"), b',');
        assert_eq!(sniff_delimiter(b"a;b;c\n"), b';');
        assert_eq!(sniff_delimiter(b"a\tb\tc"), b'\t');
        assert_eq!(sniff_delimiter(b"\"x;y;z\",b\n"), b',');
        assert_eq!(sniff_delimiter(b"single"), b',');
    }
}
