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
use encoding_rs::{Encoding, UTF_8, UTF_16BE, UTF_16LE, WINDOWS_1252};
use std::collections::VecDeque;
use std::io::{Cursor, Read};
use std::ops::ControlFlow;
use std::sync::Arc;

use super::digest::{Digest, DigestHandle, HashingReader};
use super::layout::{self, HeaderRule, HeaderScore, SEARCH_ROWS};
use super::{Cell, Header, InputSpec, Row, Table, Visit};

type Source = LineCounter<Box<dyn Read + Send>>;

pub(super) struct Body {
    reader: csv::Reader<Source>,
    record: ByteRecord,
    /// Rows read while looking for the header, not yet handed out.
    pending: VecDeque<(u64, ByteRecord)>,
    /// The header search read the whole file: the last pending row is the
    /// final record.
    examined_to_end: bool,
    /// Text decoded from another encoding: U+FFFD marks bytes that were
    /// not valid in it.
    transcoded: bool,
    digest: DigestHandle,
}

/// Bytes read ahead to detect the encoding and the delimiter.
const SNIFF_BYTES: u64 = 1024 * 1024;

/// Open delimited text from `raw`, the input's bytes from the start.
pub(super) fn open(
    spec: &InputSpec,
    file: Arc<str>,
    rule: HeaderRule<'_>,
    raw: Box<dyn Read + Send>,
) -> Result<Table> {
    let (mut hashing, digest) = HashingReader::new(spec.progress.reader(raw));
    let mut head = Vec::new();
    (&mut hashing)
        .take(SNIFF_BYTES)
        .read_to_end(&mut head)
        .with_context(|| format!("cannot read {file}"))?;
    let full_head = head.len() as u64 == SNIFF_BYTES;
    if matches!(spec.source, super::Input::Stdin) && super::excel::has_workbook_magic(&head) {
        bail!(
            "standard input holds a workbook (Excel or OpenDocument), which is read only from a file: save it and give its path"
        );
    }
    let (encoding, guessed) = match (bom_encoding(&head), spec.encoding) {
        (Some(e), _) => (e, false),
        (None, Some(e)) => (e, false),
        (None, None) => (guess_encoding(&head, full_head), true),
    };
    let wide = encoding == UTF_16LE || encoding == UTF_16BE;
    if !wide && memchr::memchr(0, &head).is_some() {
        bail!(
            "{file} is not a table: it holds binary data (NUL bytes) in its first bytes; give a CSV export or an Excel workbook"
        );
    }
    let transcoded = encoding != UTF_8;
    // The delimiter is sniffed on text, whatever the encoding.
    let (text, _, _) = encoding.decode(&head);
    let delimiter = spec
        .delimiter
        .unwrap_or_else(|| sniff_delimiter(text.as_bytes(), rule.score));
    let source: Box<dyn Read + Send> = if transcoded {
        Box::new(
            encoding_rs_io::DecodeReaderBytesBuilder::new()
                .encoding(Some(encoding))
                .bom_override(true)
                .strip_bom(true)
                .build(Cursor::new(head).chain(hashing)),
        )
    } else {
        if head.starts_with(b"\xEF\xBB\xBF") {
            head.drain(..3);
        }
        Box::new(Cursor::new(head).chain(hashing))
    };
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .buffer_capacity(256 * 1024)
        .from_reader(LineCounter::new(source));
    // Read the rows the header may be among, and find it.
    let wanted = rule.row.map_or(0, |r| r as usize + 2);
    let mut examined: Vec<(u64, ByteRecord)> = Vec::new();
    let mut record = ByteRecord::new();
    let mut examined_to_end = false;
    // Rows above a header row given far down are counted, not kept, so
    // that memory stays flat whatever row is given.
    let mut skipped_above = 0;
    while examined.len() < SEARCH_ROWS.max(wanted.min(SEARCH_ROWS * 2)) {
        if !reader
            .read_byte_record(&mut record)
            .with_context(|| format!("cannot read {file}"))?
        {
            examined_to_end = true;
            break;
        }
        let (line, _) = line_of(&mut reader, &record);
        if rule.row.is_some_and(|r| line + SEARCH_ROWS as u64 <= r) {
            if record.iter().any(|c| !c.trim_ascii().is_empty()) {
                skipped_above += 1;
            }
            continue;
        }
        examined.push((line, record.clone()));
    }
    if examined.is_empty() && skipped_above == 0 {
        bail!("{file} is empty: expected a header row naming the columns");
    }
    let rows: Vec<(u64, Vec<String>)> = examined
        .iter()
        .map(|(line, r)| {
            let cells = r
                .iter()
                .map(|c| String::from_utf8_lossy(c).trim().to_string())
                .collect();
            (*line, cells)
        })
        .collect();
    let layout = layout::find(&rows, rule, &file)?;
    let mut header = Header::new(&rows, &layout);
    header.rows_above += skipped_above;
    let pending = examined.into_iter().skip(layout.last() + 1).collect();
    let format = format!(
        "CSV, delimiter {}, {}",
        delimiter_name(delimiter),
        if transcoded { encoding.name() } else { "UTF-8" }
    );
    let body = Body {
        reader,
        record,
        pending,
        examined_to_end,
        transcoded,
        digest,
    };
    let mut table = Table::new(
        file,
        None,
        header,
        0,
        format,
        super::Body::Delimited(Box::new(body)),
    );
    table.encoding = transcoded.then_some(encoding.name());
    table.encoding_guessed = transcoded && guessed;
    Ok(table)
}

/// The encoding a byte-order mark declares.
fn bom_encoding(head: &[u8]) -> Option<&'static Encoding> {
    Encoding::for_bom(head).map(|(e, _)| e)
}

/// The encoding of text without a byte-order mark: UTF-8 when the head is
/// valid UTF-8 (a sequence cut off at the end of a full head allowed),
/// UTF-16 when every other byte is zero, else Windows-1252, which is what
/// Excel's plain "CSV" writes on Windows.
fn guess_encoding(head: &[u8], full_head: bool) -> &'static Encoding {
    match std::str::from_utf8(head) {
        Ok(_) => return UTF_8,
        Err(e) if e.error_len().is_none() && full_head => return UTF_8,
        Err(_) => {}
    }
    let sample = &head[..head.len().min(4096) & !1];
    let zeros_at = |parity: usize| {
        sample
            .iter()
            .skip(parity)
            .step_by(2)
            .filter(|&&b| b == 0)
            .count()
    };
    let pairs = sample.len() / 2;
    if pairs > 0 && zeros_at(1) * 2 > pairs {
        UTF_16LE
    } else if pairs > 0 && zeros_at(0) * 2 > pairs {
        UTF_16BE
    } else {
        WINDOWS_1252
    }
}

/// Rows handed from the reading thread to the checking thread at a time.
const BATCH_ROWS: usize = 1024;

/// A record read: its line, its text when it is valid UTF-8, and whether
/// it may hold a value too long for a survey answer.
type Slot = (u64, Record, bool);

enum Record {
    Text(csv::StringRecord),
    Bytes(ByteRecord),
}

impl Record {
    fn into_bytes(self) -> ByteRecord {
        match self {
            Record::Text(t) => t.into_byte_record(),
            Record::Bytes(b) => b,
        }
    }
}

impl Body {
    /// Visit every row. With the `host` feature a second thread reads,
    /// splits, counts lines and checks the UTF-8 of the records while this
    /// one visits them: the two halves of the work run side by side, in
    /// batches, in order. Without it (a browser's worker) both halves take
    /// turns on this thread. The last record of each batch waits for the
    /// next batch, so that the file's final record is known as such when it
    /// is visited.
    pub(crate) fn for_each_row(&mut self, file: &str, visit: Visit<'_>) -> Result<()> {
        let transcoded = self.transcoded;
        while let Some((line, record)) = self.pending.pop_front() {
            let long = may_be_overlong(&record, breaks_in(&record));
            let last = self.examined_to_end && self.pending.is_empty();
            let end = last.then(|| self.reader.get_ref().tail());
            let slot = (line, text_or_bytes(record), long);
            if visit_slot(&slot, transcoded, end, visit).is_break() {
                return Ok(());
            }
        }
        if self.examined_to_end {
            return Ok(());
        }
        let reader = &mut self.reader;
        let spare = std::mem::take(&mut self.record);
        let mut visiting = Visiting {
            transcoded,
            visit,
            held: None,
            stopped: false,
        };
        #[cfg(feature = "host")]
        {
            std::thread::scope(|scope| {
                let (full_tx, full_rx) = std::sync::mpsc::sync_channel::<Vec<Slot>>(4);
                let (empty_tx, empty_rx) = std::sync::mpsc::channel::<Vec<Slot>>();
                let producer = scope.spawn(move || {
                    let mut conveyor = Channels {
                        full: full_tx,
                        empty: empty_rx,
                    };
                    read_batches(reader, spare, file, &mut conveyor)
                });
                for batch in full_rx {
                    match visiting.take(batch) {
                        // Back to the reader for its records' buffers; it
                        // may have finished, and then the batch is dropped.
                        Some(done) => {
                            let _ = empty_tx.send(done);
                        }
                        // Dropping the receiver stops the reading thread.
                        None if visiting.stopped => break,
                        None => {}
                    }
                }
                let end = producer
                    .join()
                    .unwrap_or_else(|p| std::panic::resume_unwind(p))?;
                visiting.finish(end);
                Ok(())
            })
        }
        #[cfg(not(feature = "host"))]
        {
            let mut conveyor = Inline {
                visiting: &mut visiting,
                done: None,
            };
            let end = read_batches(reader, spare, file, &mut conveyor)?;
            visiting.finish(end);
            Ok(())
        }
    }

    pub(super) fn finish(self) -> Digest {
        // Hash whatever the parser did not need to read (normally nothing).
        let mut rest = self.reader.into_inner().inner;
        let _ = std::io::copy(&mut rest, &mut std::io::sink());
        self.digest.finish()
    }
}

/// The physical line a record starts on, and the line breaks inside it.
fn line_of<R: Read>(reader: &mut csv::Reader<LineCounter<R>>, record: &ByteRecord) -> (u64, u64) {
    // The reader stops just after the terminator's first byte (`\n`, or `\r`
    // of `\r\n`), or at the end of input: a newline there is not inside.
    let end = reader.position().byte().saturating_sub(1);
    // Counted per value: `\r` ending one value and `\n` starting the next
    // are two line breaks in the file, not one `\r\n`.
    let inside = breaks_in(record);
    // A record that ends the file inside an open quote holds the break at
    // `end` (see `visit_slot`); the first record can then count one more
    // break inside than before its end.
    let counter = reader.get_mut();
    let end_line = counter.newlines_before(end) + 1;
    counter.record_ended(end_line);
    (end_line.saturating_sub(inside).max(1), inside)
}

/// The line breaks inside a record's values.
fn breaks_in(record: &ByteRecord) -> u64 {
    if memchr::memchr2(b'\n', b'\r', record.as_slice()).is_none() {
        return 0;
    }
    record
        .iter()
        .map(|value| line_breaks(value, 0).count() as u64)
        .sum()
}

/// Whether a record may hold a value beyond a survey answer's limits, to
/// be looked at cell by cell (rarely: the test is on the whole record).
fn may_be_overlong(record: &ByteRecord, breaks: u64) -> bool {
    breaks > super::MAX_CELL_LINES || record.as_slice().len() > super::MAX_CELL_CHARS
}

/// The first value beyond a survey answer's limits, if any.
fn overlong<'a>(values: impl Iterator<Item = &'a [u8]>) -> Option<super::Overlong> {
    values.enumerate().find_map(|(column, value)| {
        let lines = line_breaks(value, 0).count() as u64;
        if lines <= super::MAX_CELL_LINES && value.len() <= super::MAX_CELL_CHARS {
            return None;
        }
        let chars = String::from_utf8_lossy(value).chars().count();
        (lines > super::MAX_CELL_LINES || chars > super::MAX_CELL_CHARS).then_some(
            super::Overlong {
                column,
                lines,
                chars,
            },
        )
    })
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
    /// The last bytes read, to tell how the input ends.
    tail: [u8; 3],
    /// The line the last record read ended on.
    record_end_line: u64,
    /// Where the record being read has its first byte other than a line
    /// break, once it is read.
    record_from: Option<u64>,
}

/// A record may take at most this many bytes: beyond it, a quote that was
/// never closed is taking the rest of the file into one value.
pub(crate) const MAX_RECORD_BYTES: u64 = 16 * 1024 * 1024;

/// The reason reading stops at a record longer than `MAX_RECORD_BYTES`.
#[derive(Debug, thiserror::Error)]
#[error(
    "the row after line {after} runs on for more than 16 MiB without ending: a quote opened in it is never closed. Close the quote, or write a quote meant as text as two (\"\")"
)]
struct RecordTooLong {
    after: u64,
}

impl<R> LineCounter<R> {
    fn new(inner: R) -> Self {
        LineCounter {
            inner,
            offset: 0,
            trailing_cr: None,
            pending: VecDeque::new(),
            lines_before: 0,
            tail: [0; 3],
            record_end_line: 0,
            record_from: None,
        }
    }

    /// The input's last bytes, once it is read to its end.
    fn tail(&self) -> [u8; 3] {
        self.tail
    }

    /// A record ended on `line`: the next one starts.
    fn record_ended(&mut self, line: u64) {
        self.record_end_line = line;
        self.record_from = None;
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
        // The parser asks for more only once it has used every byte read
        // so far, so no later question is about a byte before the last
        // one: the breaks before it are counted now, and the positions
        // kept stay within one chunk, even over a million blank lines.
        self.newlines_before(self.offset.saturating_sub(1));
        let n = self.inner.read(buf)?;
        let chunk = &buf[..n];
        if self.record_from.is_none() {
            self.record_from = chunk
                .iter()
                .position(|b| !matches!(b, b'\n' | b'\r'))
                .map(|i| self.offset + i as u64);
        }
        if let Some(from) = self.record_from
            && self.offset + n as u64 - from > MAX_RECORD_BYTES
        {
            return Err(std::io::Error::new(
                std::io::ErrorKind::InvalidData,
                RecordTooLong {
                    after: self.record_end_line,
                },
            ));
        }
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
        if n >= 3 {
            self.tail.copy_from_slice(&chunk[n - 3..]);
        } else if n > 0 {
            self.tail.rotate_left(n);
            self.tail[3 - n..].copy_from_slice(chunk);
        }
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

/// The reading thread: fill batches (reusing the records of batches the
/// visitor has finished with) until the end of the input or an error.
fn read_batches(
    reader: &mut csv::Reader<Source>,
    mut spare: ByteRecord,
    file: &str,
    conveyor: &mut dyn Conveyor,
) -> Result<Option<[u8; 3]>> {
    let mut recycled: Vec<ByteRecord> = Vec::new();
    loop {
        // Reuse a visited batch and its records' buffers when one is back.
        let mut batch = match conveyor.visited() {
            Some(mut used) => {
                recycled.extend(used.drain(..).map(|(_, record, _)| record.into_bytes()));
                used
            }
            None => Vec::with_capacity(BATCH_ROWS),
        };
        while batch.len() < BATCH_ROWS {
            let mut record = recycled.pop().unwrap_or_else(|| std::mem::take(&mut spare));
            match reader.read_byte_record(&mut record) {
                Ok(true) => {
                    let (line, breaks) = line_of(reader, &record);
                    let long = may_be_overlong(&record, breaks);
                    batch.push((line, text_or_bytes(record), long));
                }
                Ok(false) => {
                    if !batch.is_empty() {
                        conveyor.deliver(batch);
                    }
                    return Ok(Some(reader.get_ref().tail()));
                }
                Err(e) => {
                    if !batch.is_empty() {
                        conveyor.deliver(batch);
                    }
                    match e.position() {
                        Some(p) => {
                            let line = reader.get_mut().newlines_before(p.byte()) + 1;
                            bail!("cannot read {file} near line {line}: {e}")
                        }
                        None => bail!("cannot read {file}: {e}"),
                    }
                }
            }
        }
        if !conveyor.deliver(batch) {
            return Ok(None); // the visitor is gone
        }
    }
}

/// How batches of records go from the reading to the visiting.
trait Conveyor {
    /// Hand a batch on; `false` when nobody will visit it (stop reading).
    fn deliver(&mut self, batch: Vec<Slot>) -> bool;
    /// A batch visited, back for its buffers, when one is.
    fn visited(&mut self) -> Option<Vec<Slot>>;
}

/// Batches visited in order, the last record of each held back until the
/// next batch (or the end) says whether it is the file's final record.
struct Visiting<'v> {
    transcoded: bool,
    visit: Visit<'v>,
    /// A batch whose last slot is not visited yet (batches are never
    /// empty).
    held: Option<Vec<Slot>>,
    /// The visitor asked to stop.
    stopped: bool,
}

impl Visiting<'_> {
    /// Visit a batch but its last record; the batch before it, done, to
    /// recycle. `None` as well once the visitor has stopped.
    fn take(&mut self, batch: Vec<Slot>) -> Option<Vec<Slot>> {
        if self.stopped {
            return None;
        }
        let done = self.held.take();
        if let Some(prev) = &done {
            let waiting = prev.last().expect("batches are not empty");
            if visit_slot(waiting, self.transcoded, None, self.visit).is_break() {
                self.stopped = true;
                return None;
            }
        }
        for slot in &batch[..batch.len() - 1] {
            if visit_slot(slot, self.transcoded, None, self.visit).is_break() {
                self.stopped = true;
                return None;
            }
        }
        self.held = Some(batch);
        done
    }

    /// The input is read: its final record, with the file's last bytes.
    fn finish(&mut self, end: Option<[u8; 3]>) {
        if !self.stopped
            && let Some(last) = self.held.as_ref().and_then(|b| b.last())
        {
            let _ = visit_slot(last, self.transcoded, end, self.visit);
        }
    }
}

/// The reading thread's side of two channels (`host`).
#[cfg(feature = "host")]
struct Channels {
    full: std::sync::mpsc::SyncSender<Vec<Slot>>,
    empty: std::sync::mpsc::Receiver<Vec<Slot>>,
}

#[cfg(feature = "host")]
impl Conveyor for Channels {
    fn deliver(&mut self, batch: Vec<Slot>) -> bool {
        self.full.send(batch).is_ok()
    }

    fn visited(&mut self) -> Option<Vec<Slot>> {
        self.empty.try_recv().ok()
    }
}

/// Reading and visiting taking turns on one thread.
#[cfg(not(feature = "host"))]
struct Inline<'s, 'v> {
    visiting: &'s mut Visiting<'v>,
    done: Option<Vec<Slot>>,
}

#[cfg(not(feature = "host"))]
impl Conveyor for Inline<'_, '_> {
    fn deliver(&mut self, batch: Vec<Slot>) -> bool {
        self.done = self.visiting.take(batch);
        !self.visiting.stopped
    }

    fn visited(&mut self) -> Option<Vec<Slot>> {
        self.done.take()
    }
}

/// A record as text when its UTF-8 is valid (checked once for the whole
/// record, without copying), else as bytes, so that the error lands on its
/// cell.
fn text_or_bytes(record: ByteRecord) -> Record {
    match csv::StringRecord::from_byte_record(record) {
        Ok(text) => Record::Text(text),
        Err(e) => Record::Bytes(e.into_byte_record()),
    }
}

/// Visit one record; `end`: it is the file's final record, and these are
/// the file's last bytes.
fn visit_slot(
    (line, record, long): &Slot,
    transcoded: bool,
    end: Option<[u8; 3]>,
    visit: Visit<'_>,
) -> ControlFlow<()> {
    let unclosed = end.is_some_and(|tail| quote_left_open(last_cell(record), tail));
    // `line_of` counts the breaks inside a record as before its end; the
    // file's final line break, taken into the open quote, is its end.
    let line = if unclosed && ends_with_break(last_cell(record)) {
        line + 1
    } else {
        *line
    };
    match record {
        Record::Text(text) => visit(line, &TextRow(text, transcoded, unclosed, *long)),
        Record::Bytes(bytes) => visit(line, &CsvRow(bytes, transcoded, unclosed, *long)),
    }
}

/// A record's last value.
fn last_cell(record: &Record) -> &[u8] {
    let bytes = match record {
        Record::Text(t) => t.as_byte_record(),
        Record::Bytes(b) => b,
    };
    bytes
        .len()
        .checked_sub(1)
        .and_then(|i| bytes.get(i))
        .unwrap_or_default()
}

fn ends_with_break(cell: &[u8]) -> bool {
    matches!(cell.last(), Some(b'\n' | b'\r'))
}

/// Whether the file ended inside the quotes of the final record's last
/// value, given the file's last bytes. A closed value ends with its quote
/// (then perhaps a line break), so a value that holds the file's final line
/// break, or holds a line break (only quotes allow one) while the file
/// ends with neither a quote nor a line break, was never closed.
fn quote_left_open(cell: &[u8], [a, b, c]: [u8; 3]) -> bool {
    match (b, c) {
        (b'\r', b'\n') => ends_with_break(cell) && a != b'"',
        (_, b'\n' | b'\r') => ends_with_break(cell) && b != b'"',
        (_, last) => last != b'"' && memchr::memchr2(b'\n', b'\r', cell).is_some(),
    }
}

/// A record known to be valid UTF-8; `.1`: decoded from another encoding;
/// `.2`: the file ends inside its last cell's quotes; `.3`: it may hold a
/// value too long for a survey answer.
struct TextRow<'a>(&'a csv::StringRecord, bool, bool, bool);

impl Row for TextRow<'_> {
    fn width(&self) -> usize {
        self.0.len()
    }
    fn unclosed_quote(&self) -> bool {
        self.2
    }
    fn overlong_cell(&self) -> Option<super::Overlong> {
        self.3
            .then(|| overlong(self.0.as_byte_record().iter()))
            .flatten()
    }
    fn is_blank(&self) -> bool {
        self.0
            .as_byte_record()
            .as_slice()
            .iter()
            .all(u8::is_ascii_whitespace)
    }
    fn cell(&self, index: usize) -> Cell<'_> {
        match self.0.get(index) {
            None | Some("") => Cell::Empty,
            Some(text) if self.1 && text.contains('\u{fffd}') => Cell::BadEncoding,
            Some(text) => Cell::Text(text),
        }
    }
}

/// A record with bytes that are not UTF-8: each cell is checked alone.
struct CsvRow<'a>(&'a ByteRecord, bool, bool, bool);

impl Row for CsvRow<'_> {
    fn width(&self) -> usize {
        self.0.len()
    }
    fn unclosed_quote(&self) -> bool {
        self.2
    }
    fn overlong_cell(&self) -> Option<super::Overlong> {
        self.3.then(|| overlong(self.0.iter())).flatten()
    }
    /// On the bytes, so cells are not decoded twice.
    fn is_blank(&self) -> bool {
        self.0.iter().all(|f| f.iter().all(u8::is_ascii_whitespace))
    }
    fn cell(&self, index: usize) -> Cell<'_> {
        match self.0.get(index) {
            None | Some(b"") => Cell::Empty,
            Some(bytes) => match std::str::from_utf8(bytes) {
                Ok(text) if self.1 && text.contains('\u{fffd}') => Cell::BadEncoding,
                Ok(text) => Cell::Text(text),
                Err(_) => Cell::BadEncoding,
            },
        }
    }
}

/// The delimiter: of comma, semicolon, tab and pipe, the one whose parse of
/// the first lines names the most template fields in a row, then gives the
/// most lines of one consistent width (more than one field), then comma,
/// semicolon, tab, pipe in that order. Decided on rows as parsed, not on
/// raw counts, so a comment with pasted tabs or a title line above the
/// header does not decide.
fn sniff_delimiter(head: &[u8], score: Option<layout::Score<'_>>) -> u8 {
    const CANDIDATES: [u8; 4] = [b',', b';', b'\t', b'|'];
    const RECORDS: usize = 100;
    let rank = |(i, &d): (usize, &u8)| {
        if i > 0 && memchr::memchr(d, head).is_none() {
            return (0, 0, 0);
        }
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .delimiter(d)
            .from_reader(head);
        let mut widths: Vec<usize> = Vec::new();
        let mut named = HeaderScore::default();
        let mut record = csv::StringRecord::new();
        while widths.len() < RECORDS && reader.read_record(&mut record).unwrap_or(false) {
            widths.push(record.len());
            if let Some(score) = score
                && widths.len() <= SEARCH_ROWS
            {
                let labels: Vec<String> = record.iter().map(|c| c.trim().to_string()).collect();
                named = named.max(score(&labels));
            }
        }
        let mut counts: std::collections::HashMap<usize, usize> = std::collections::HashMap::new();
        for &w in widths.iter().filter(|&&w| w > 1) {
            *counts.entry(w).or_default() += 1;
        }
        let consistent = counts.values().copied().max().unwrap_or(0);
        (named.fields(), consistent, CANDIDATES.len() - i)
    };
    CANDIDATES
        .iter()
        .enumerate()
        .max_by_key(|&c| rank(c))
        .map_or(b',', |(_, &d)| d)
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
            out.push(line_of(&mut reader, &record).0);
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
        let sniff = |head: &[u8]| sniff_delimiter(head, None);
        assert_eq!(sniff(b"Export of 2025\n\nh;i;j\n1;2;3\n"), b';');
        assert_eq!(sniff(b"a,b,c\n\"1;2;3;4\",x,y\n"), b',');
        assert_eq!(sniff(b"a;b;c\n"), b';');
        assert_eq!(sniff(b"a\tb\tc"), b'\t');
        assert_eq!(sniff(b"\"x;y;z\",b\n"), b',');
        assert_eq!(sniff(b"single"), b',');
        // A comment with pasted tabs does not make the file tab-separated.
        assert_eq!(
            sniff(b"service,touchpoint,comment\nA,B,fine\nA,B,x\t\t\t\t\t\t\t\ty\nA,B,ok\n"),
            b','
        );
        // The delimiter whose header names template fields wins.
        let score = |labels: &[String]| HeaderScore {
            by_name: labels
                .iter()
                .filter(|l| *l == "service" || *l == "channel")
                .count(),
            by_wording: 0,
        };
        assert_eq!(
            sniff_delimiter(
                b"Report; FY2025, Q2\nservice;channel\nA;web\n",
                Some(&score)
            ),
            b';'
        );
    }
}
