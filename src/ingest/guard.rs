//! Limits on what a workbook declares, checked before calamine parses it,
//! so that a small file cannot make the reader inflate or reserve
//! gigabytes.
//!
//! Zipped workbooks (.xlsx, .xlsm, .xlsb, .ods) are checked on their zip
//! directory (a "zip bomb" guard); OpenDocument sheets, which are read whole
//! into memory, on the cells their repeat counts make; .xls sheets on the
//! dimension they declare. The zip reader refuses to inflate a part past the size the directory
//! declares, so the declared sizes are a bound that holds. Parts are
//! streamed, except the shared strings, which are held in memory (about 3.4
//! bytes per byte of their XML, measured), hence their tighter limit; and
//! the shared-strings count a workbook declares is reserved up front by
//! the reader, so it must agree with the part's size.

use anyhow::{Result, bail};
use std::io::{Cursor, Read};

/// No part may inflate to more than this (the largest a plain zip entry
/// can declare).
pub(crate) const MAX_PART_BYTES: u64 = 4 * 1024 * 1024 * 1024 - 1;

/// A streamed part larger than `RATIO_GRACE_BYTES` may inflate at most this
/// many times its compressed size: workbook XML compresses 5 to 20 times
/// (measured), a zip bomb about a thousand.
pub(crate) const MAX_RATIO: u64 = 100;

/// Parts up to this size are not held to a ratio (small, very regular parts
/// such as styles compress far better than data).
pub(crate) const RATIO_GRACE_BYTES: u64 = 1024 * 1024;

/// The shared strings (held in memory) may inflate to `SHARED_STRINGS_GRACE_BYTES`,
/// or beyond that to at most this many times their compressed size: text
/// compresses 3 to 6 times.
pub(crate) const MAX_SHARED_STRINGS_RATIO: u64 = 20;
pub(crate) const SHARED_STRINGS_GRACE_BYTES: u64 = 32 * 1024 * 1024;

/// The fewest bytes a shared string takes in its part (`<si></si>`).
const MIN_SHARED_STRING_BYTES: u64 = 9;

/// Bytes of the shared strings read to find the count they declare.
const SHARED_STRINGS_HEAD: u64 = 4096;

/// Check a workbook's declared sizes. Bytes that are not a readable
/// container pass: the workbook reader says what is wrong with them.
pub(super) fn check(bytes: &[u8], file: &str) -> Result<()> {
    if bytes.starts_with(super::excel::ZIP_MAGIC) {
        check_zip(bytes, file)
    } else if bytes.starts_with(super::excel::OLE_MAGIC) {
        check_xls(bytes, file)
    } else {
        Ok(())
    }
}

/// What to do with a workbook that is refused.
const SAVE_AS_CSV: &str = "if the workbook is genuine, open it in Excel and save it as CSV (File > Save As > CSV UTF-8), and give that instead";

/// Check the parts of a zipped workbook.
fn check_zip(bytes: &[u8], file: &str) -> Result<()> {
    let Ok(mut archive) = zip::ZipArchive::new(Cursor::new(bytes)) else {
        return Ok(());
    };
    let mut content = None;
    for index in 0..archive.len() {
        let Ok(part) = archive.by_index_raw(index) else {
            continue;
        };
        let name = part.name().map(|n| n.into_owned()).unwrap_or_default();
        let (size, packed) = (part.size(), part.compressed_size().max(1));
        drop(part);
        let shared_strings = is_shared_strings(&name);
        if name == "content.xml" {
            content = Some(index);
        }
        if size > MAX_PART_BYTES {
            bail!(
                "{file} is refused: its part {name} would inflate to {} bytes, more than the {} a workbook part may hold; {SAVE_AS_CSV}",
                crate::display::group_thousands(size),
                crate::display::group_thousands(MAX_PART_BYTES)
            );
        }
        let (grace, ratio) = if shared_strings {
            (SHARED_STRINGS_GRACE_BYTES, MAX_SHARED_STRINGS_RATIO)
        } else {
            (RATIO_GRACE_BYTES, MAX_RATIO)
        };
        if size > grace && size / packed > ratio {
            bail!(
                "{file} is refused as a likely zip bomb: its part {name} would inflate from {} to {} bytes, {} times, more than the {ratio} times allowed for a part over {} bytes; {SAVE_AS_CSV}",
                crate::display::group_thousands(packed),
                crate::display::group_thousands(size),
                size / packed,
                crate::display::group_thousands(grace)
            );
        }
        if shared_strings && let Some(declared) = declared_count(&mut archive, index) {
            let room = size / MIN_SHARED_STRING_BYTES + 1;
            if declared > room {
                bail!(
                    "{file} is damaged: its part {name} declares {} shared strings, but its {} bytes hold at most {}; {SAVE_AS_CSV}",
                    crate::display::group_thousands(declared),
                    crate::display::group_thousands(size),
                    crate::display::group_thousands(room)
                );
            }
        }
    }
    match content {
        Some(index) if archive.by_name("mimetype").is_ok() => {
            check_ods_cells(&mut archive, index, bytes.len() as u64, file)
        }
        _ => Ok(()),
    }
}

/// An OpenDocument workbook may make at most this many cells, or one per
/// byte of the file if that is more: the reader holds every sheet whole,
/// about 56 bytes a cell, and repeat counts let a few bytes make millions.
pub(crate) const MAX_ODS_CELLS: u64 = 2_000_000;

/// Count the cells an OpenDocument workbook's sheets make once their
/// repeated rows and columns are spread out (each sheet is a rectangle:
/// its rows up to the last with a value, by its widest row), and refuse
/// more than `MAX_ODS_CELLS` or one per byte of the file.
fn check_ods_cells(
    archive: &mut zip::ZipArchive<Cursor<&[u8]>>,
    index: usize,
    file_bytes: u64,
    file: &str,
) -> Result<()> {
    use quick_xml::events::Event;
    let Ok(part) = archive.by_index(index) else {
        return Ok(());
    };
    let mut xml = quick_xml::Reader::from_reader(std::io::BufReader::new(part));
    let repeats = |e: &quick_xml::events::BytesStart<'_>, name: &str| -> u64 {
        e.try_get_attribute(name)
            .ok()
            .flatten()
            .and_then(|a| a.value.parse().ok())
            .unwrap_or(1)
    };
    let (mut cells, mut sheet) = (0u64, OdsSheet::default());
    let mut buf = Vec::new();
    loop {
        let event = match xml.read_event_into(&mut buf) {
            Ok(event) => event,
            Err(_) => return Ok(()), // the reader says what is wrong
        };
        match event {
            Event::Start(e) | Event::Empty(e) if e.name().as_ref() == "table:table-row" => {
                sheet.start_row(repeats(&e, "table:number-rows-repeated"));
            }
            Event::Start(e) if e.name().as_ref() == "table:table-cell" => {
                sheet.cell(repeats(&e, "table:number-columns-repeated"), true);
            }
            Event::Empty(e) if e.name().as_ref() == "table:table-cell" => {
                let valued = e
                    .try_get_attribute("office:value-type")
                    .ok()
                    .flatten()
                    .is_some();
                sheet.cell(repeats(&e, "table:number-columns-repeated"), valued);
            }
            Event::End(e) if e.name().as_ref() == "table:table-row" => sheet.end_row(),
            Event::End(e) if e.name().as_ref() == "table:table" => {
                cells = cells.saturating_add(std::mem::take(&mut sheet).cells());
            }
            Event::Eof => break,
            _ => {}
        }
        let limit = MAX_ODS_CELLS.max(file_bytes);
        if cells.saturating_add(sheet.cells()) > limit {
            bail!(
                "{file} is refused: its repeated rows and columns make more than {} cells, more than the {} allowed for a file of its size (one per byte, at least {}); {SAVE_AS_CSV}",
                crate::display::group_thousands(cells.saturating_add(sheet.cells())),
                crate::display::group_thousands(limit),
                crate::display::group_thousands(MAX_ODS_CELLS)
            );
        }
        buf.clear();
    }
    Ok(())
}

/// The rows of a sheet the reader keeps (OpenDocument's own limit).
const ODS_ROWS: u64 = 1_048_576;

/// The rows and columns of an OpenDocument sheet read so far.
#[derive(Default)]
struct OdsSheet {
    rows: u64,
    /// Rows up to the last one with a value.
    rows_used: u64,
    widest: u64,
    row_repeats: u64,
    /// The current row: its width so far, and up to its last value.
    width: u64,
    width_used: u64,
}

impl OdsSheet {
    fn start_row(&mut self, repeats: u64) {
        self.row_repeats = repeats;
        self.width = 0;
        self.width_used = 0;
    }

    fn cell(&mut self, repeats: u64, valued: bool) {
        self.width = self.width.saturating_add(repeats);
        if valued {
            self.width_used = self.width;
        }
    }

    fn end_row(&mut self) {
        self.rows = self.rows.saturating_add(self.row_repeats);
        if self.width_used > 0 {
            self.rows_used = self.rows;
            self.widest = self.widest.max(self.width_used);
        }
    }

    fn cells(&self) -> u64 {
        self.rows_used.min(ODS_ROWS).saturating_mul(self.widest)
    }
}

fn is_shared_strings(name: &str) -> bool {
    let base = name.rsplit('/').next().unwrap_or(name);
    base.eq_ignore_ascii_case("sharedStrings.xml")
}

/// The `uniqueCount` the shared strings part declares in its first bytes.
/// A count too large to be a number counts as the largest number.
fn declared_count(archive: &mut zip::ZipArchive<Cursor<&[u8]>>, index: usize) -> Option<u64> {
    let part = archive.by_index(index).ok()?;
    let mut head = Vec::new();
    part.take(SHARED_STRINGS_HEAD).read_to_end(&mut head).ok()?;
    let at = memchr::memmem::find(&head, b"uniqueCount=")? + b"uniqueCount=".len();
    let digits: Vec<u8> = head[at..]
        .iter()
        .skip(1) // the opening quote
        .take_while(|b| b.is_ascii_digit())
        .copied()
        .collect();
    if digits.is_empty() {
        return None;
    }
    Some(
        std::str::from_utf8(&digits)
            .ok()?
            .parse::<u64>()
            .unwrap_or(u64::MAX),
    )
}

/// The .xls format's own limits: 65,536 rows by 256 columns.
const XLS_ROWS: u32 = 65_536;
const XLS_COLUMNS: u32 = 256;

/// BIFF record types.
const DIMENSIONS: u16 = 0x0200;

/// Check the dimension each sheet of an .xls workbook declares: calamine
/// reserves room for every cell it spans before reading any, so a span
/// beyond the format's limits (or reversed, which wraps around) is refused.
fn check_xls(bytes: &[u8], file: &str) -> Result<()> {
    // The container is read here first: calamine's own reader panics on
    // some damaged ones (found by fuzz/).
    let damaged = || {
        anyhow::anyhow!(
            "{file} is not a readable Excel 97-2003 workbook: its compound-file container is damaged or cut short; open it in Excel and save it again, or as CSV"
        )
    };
    let mut compound = cfb::CompoundFile::open(Cursor::new(bytes)).map_err(|_| damaged())?;
    if compound.is_stream("/EncryptedPackage") {
        bail!(
            "{file} is password-protected (encrypted): remove the password in Excel (File > Info > Protect Workbook > Encrypt with Password, cleared) and save it again"
        );
    }
    let stream = ["/Workbook", "/Book"]
        .into_iter()
        .find(|name| compound.is_stream(name))
        .ok_or_else(damaged)?;
    let stream = compound.open_stream(stream).map_err(|_| damaged())?;
    let mut records = std::io::BufReader::new(stream);
    let mut head = [0u8; 4];
    let mut data = Vec::new();
    // The rectangle each sheet's cells span, which calamine fills densely.
    let mut span: Option<(u32, u32, u32, u32)> = None;
    let mut cells = 0u64;
    let limit = MAX_XLS_CELLS.max(bytes.len() as u64);
    // A workbook stream starts with a BOF record; one that cannot be read,
    // or starts otherwise, is damaged (and would not be scanned here).
    records.read_exact(&mut head).map_err(|_| damaged())?;
    if !matches!(
        u16::from_le_bytes([head[0], head[1]]),
        0x0809 | 0x0409 | 0x0209 | 0x0009
    ) {
        return Err(damaged());
    }
    let mut first = Some(head);
    while let Some(head) = first.take().or_else(|| {
        let mut next = [0u8; 4];
        records.read_exact(&mut next).is_ok().then_some(next)
    }) {
        let kind = u16::from_le_bytes([head[0], head[1]]);
        let len = u16::from_le_bytes([head[2], head[3]]);
        data.clear();
        if (&mut records)
            .take(u64::from(len))
            .read_to_end(&mut data)
            .is_err()
            || data.len() < usize::from(len)
        {
            break;
        }
        if let Some((row, first, last)) = cell_position(kind, &data) {
            let (r0, r1, c0, c1) = span.unwrap_or((row, row, first, last));
            span = Some((r0.min(row), r1.max(row), c0.min(first), c1.max(last)));
        }
        if kind == END_OF_SUBSTREAM
            && let Some(sheet) = span.take()
        {
            add_span(&mut cells, sheet, limit, file)?;
        }
        if kind != DIMENSIONS {
            continue;
        }
        let Some((first_row, row_end, column_end)) = dimension(&data) else {
            continue;
        };
        if row_end > XLS_ROWS || column_end > XLS_COLUMNS || (row_end >= 1 && first_row >= row_end)
        {
            bail!(
                "{file} is damaged: a sheet declares rows {} to {} and {} columns, beyond what an .xls sheet holds ({} rows, {} columns); {SAVE_AS_CSV}",
                crate::display::group_thousands(u64::from(first_row) + 1),
                crate::display::group_thousands(u64::from(row_end)),
                crate::display::group_thousands(u64::from(column_end)),
                crate::display::group_thousands(u64::from(XLS_ROWS)),
                XLS_COLUMNS
            );
        }
    }
    // A sheet cut short has no end record: its cells count all the same.
    if let Some(sheet) = span {
        add_span(&mut cells, sheet, limit, file)?;
    }
    Ok(())
}

/// Add a sheet's span (first and last row, first and last column) to the
/// cells counted so far, refusing more than `limit`.
fn add_span(
    cells: &mut u64,
    (r0, r1, c0, c1): (u32, u32, u32, u32),
    limit: u64,
    file: &str,
) -> Result<()> {
    *cells += u64::from(r1 - r0 + 1) * u64::from(c1 - c0 + 1);
    if *cells > limit {
        bail!(
            "{file} is refused: its sheets' cells span more than {} cells (rows {} to {}, columns {} to {} in the last), more than the {} allowed for a file of its size (one per byte, at least {}); {SAVE_AS_CSV}",
            crate::display::group_thousands(*cells),
            r0 + 1,
            r1 + 1,
            c0 + 1,
            c1 + 1,
            crate::display::group_thousands(limit),
            crate::display::group_thousands(MAX_XLS_CELLS)
        );
    }
    Ok(())
}

/// An .xls workbook may span at most this many cells, or one per byte of
/// the file if that is more: the reader fills each sheet's span densely
/// (32 bytes a cell), so two far cells can make a rectangle of billions.
pub(crate) const MAX_XLS_CELLS: u64 = 2_000_000;

/// BIFF's end of a substream (a sheet).
const END_OF_SUBSTREAM: u16 = 0x000A;

/// The row and first and last columns of a BIFF cell record.
fn cell_position(kind: u16, data: &[u8]) -> Option<(u32, u32, u32)> {
    let u16_at = |i: usize| {
        data.get(i..i + 2)
            .map(|b| u32::from(u16::from_le_bytes([b[0], b[1]])))
    };
    match kind {
        // NUMBER, LABEL, LABELSST, RK, BLANK, BOOLERR, FORMULA, RSTRING.
        0x0203 | 0x0204 | 0x00FD | 0x027E | 0x0201 | 0x0205 | 0x0006 | 0x00D6 => {
            let (row, col) = (u16_at(0)?, u16_at(2)?);
            Some((row, col, col))
        }
        // MULRK, MULBLANK: the last column ends the record.
        0x00BD | 0x00BE => {
            let last = u16_at(data.len().checked_sub(2)?)?;
            let (row, first) = (u16_at(0)?, u16_at(2)?);
            Some((row, first.min(last), first.max(last)))
        }
        _ => None,
    }
}

/// A DIMENSIONS record's first row (0-based), row end and column end (one
/// past the last), in the BIFF5 (10 bytes) or BIFF8 (14 or 16) layout.
fn dimension(data: &[u8]) -> Option<(u32, u32, u32)> {
    let u16_at = |i: usize| u32::from(u16::from_le_bytes([data[i], data[i + 1]]));
    let u32_at = |i: usize| u32::from_le_bytes([data[i], data[i + 1], data[i + 2], data[i + 3]]);
    match data.len() {
        10 => Some((u16_at(0), u16_at(2), u16_at(6))),
        14 | 16 => Some((u32_at(0), u32_at(4), u16_at(10))),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn zipped(parts: &[(&str, Vec<u8>)]) -> Vec<u8> {
        let mut out = zip::ZipWriter::new(Cursor::new(Vec::new()));
        let options = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        for (name, data) in parts {
            out.start_file(*name, options).unwrap();
            out.write_all(data).unwrap();
        }
        out.finish().unwrap().into_inner()
    }

    #[test]
    fn a_part_inflating_a_thousand_times_is_refused() {
        let bomb = zipped(&[("xl/worksheets/sheet1.xml", vec![b'a'; 8 << 20])]);
        let e = check(&bomb, "b.xlsx").unwrap_err().to_string();
        assert!(e.contains("zip bomb") && e.contains("sheet1.xml"), "{e}");
    }

    #[test]
    fn ordinary_parts_pass() {
        let small = zipped(&[("xl/styles.xml", vec![b'a'; 512 << 10])]);
        assert!(check(&small, "s.xlsx").is_ok());
        assert!(check(b"not a zip", "x.xlsx").is_ok());
    }

    #[test]
    fn a_shared_strings_count_beyond_the_part_is_refused() {
        let strings = b"<sst uniqueCount=\"99999999999\"><si><t>a</t></si></sst>".to_vec();
        let wb = zipped(&[("xl/sharedStrings.xml", strings)]);
        let e = check(&wb, "c.xlsx").unwrap_err().to_string();
        assert!(e.contains("declares 99,999,999,999 shared strings"), "{e}");
        let fine = b"<sst count=\"9\" uniqueCount=\"1\"><si><t>a</t></si></sst>".to_vec();
        assert!(check(&zipped(&[("xl/sharedStrings.xml", fine)]), "c.xlsx").is_ok());
    }
}
