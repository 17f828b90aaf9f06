//! Excel and OpenDocument workbooks through calamine. Row numbers are the real
//! sheet rows: calamine ranges start at the first non-empty cell, so the
//! range's start is added back. .xlsx sheets are streamed (`xlsx_stream`);
//! the other formats are read as a range.

use anyhow::{Context, Result, anyhow, bail};
use calamine::{Data, Dimensions, Range, Reader, Sheet, SheetType, SheetVisible, Sheets};
use std::io::Cursor;
use std::path::Path;
use std::sync::Arc;

use super::digest::{Digest, digest_of};
use super::layout::{self, HeaderRule, HeaderScore, SEARCH_ROWS};
use super::{Cell, Header, Row, Table, Visit};

pub(super) enum Body {
    /// .xls, .xlsb, .ods: the sheet as a range.
    Range {
        range: Range<Data>,
        /// Rows of the range that belong to the header or lie above it.
        skip: usize,
        digest: Digest,
    },
    /// .xlsx: the sheet's cells streamed.
    Stream(super::xlsx_stream::Stream),
}

/// `--sheet` named a sheet the workbook does not have.
#[derive(Debug, thiserror::Error)]
#[error("{file} has no sheet {wanted:?}; its sheets are: {available}")]
pub(super) struct SheetNotFound {
    pub(crate) file: String,
    pub(crate) wanted: String,
    pub(crate) available: String,
}

pub(super) const ZIP_MAGIC: &[u8] = b"PK\x03\x04";
pub(super) const OLE_MAGIC: &[u8] = &[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

/// Bytes enough to recognise a workbook by its signature.
pub(super) const MAGIC_BYTES: usize = 8;

pub(super) fn has_workbook_magic(head: &[u8]) -> bool {
    head.starts_with(ZIP_MAGIC) || head.starts_with(OLE_MAGIC)
}

thread_local! {
    /// A call into calamine is under way on this thread.
    static CONTAINED: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Run calamine on untrusted bytes: it panics on some damaged files (found
/// by fuzz/), and such a panic becomes an error about the file. The
/// binary's panic hook stays quiet meanwhile (`panic_is_contained`).
pub(super) fn contain<T>(read: impl FnOnce() -> Result<T>) -> Result<T> {
    CONTAINED.with(|c| c.set(true));
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(read));
    CONTAINED.with(|c| c.set(false));
    result.unwrap_or_else(|_| bail!("the workbook reader could not make sense of its contents"))
}

/// Whether a panic now is calamine's on a damaged file, turned into an
/// error by `contain`: a panic hook should not print it.
pub fn panic_is_contained() -> bool {
    CONTAINED.with(std::cell::Cell::get)
}

/// Open a workbook from its bytes (`path` gives the extension).
pub(super) fn open(
    path: &Path,
    bytes: Vec<u8>,
    file: Arc<str>,
    wanted: Option<&str>,
    rule: HeaderRule<'_>,
    progress: &crate::progress::Progress,
) -> Result<Table> {
    // The same bytes are hashed and parsed.
    progress.advance(bytes.len() as u64);
    let digest = digest_of(&bytes);
    super::guard::check(&bytes, &file)?;
    let mut workbook = contain(|| open_workbook(path, bytes))
        .with_context(|| {
            format!("{file} is not a readable Excel or OpenDocument workbook (damaged, cut short, or saved in another format)")
        })?;
    if let Sheets::Xlsx(xlsx) = workbook {
        return super::xlsx_stream::open(xlsx, file, wanted, rule, digest);
    }
    let (sheet, range, passed_over) = contain(|| select_sheet(&mut workbook, &file, wanted, rule))
        .with_context(|| format!("{file} is not a readable workbook (damaged)"))?;
    let (start_row, start_col) = range.start().unwrap_or((0, 0));
    let examine = SEARCH_ROWS.max(rule.row.map_or(0, |r| r as usize + 2));
    let mut rows: Vec<(u64, Vec<String>)> = range
        .rows()
        .take(examine)
        .enumerate()
        .map(|(i, cells)| {
            let text = (0..cells.len())
                .map(|c| super::cell_text(ExcelRow(cells).cell(c)).trim().to_string())
                .collect();
            (u64::from(start_row) + i as u64 + 1, text)
        })
        .collect();
    let regions = match &mut workbook {
        Sheets::Xls(x) => x.merge_cells_by_sheet_name(&sheet).unwrap_or_default(),
        _ => Vec::new(),
    };
    fill_merged(&regions, (start_row, start_col), &mut rows);
    let sheet_file = format!("{file}, sheet {sheet:?}");
    let layout = layout::find(&rows, rule, &sheet_file)?;
    let header = Header::new(&rows, &layout);
    let format = match &workbook {
        Sheets::Xls(_) => "Excel 97-2003 (.xls)",
        Sheets::Xlsx(_) => "Excel (.xlsx)",
        Sheets::Xlsb(_) => "Excel binary (.xlsb)",
        Sheets::Ods(_) => "OpenDocument (.ods)",
    };
    let body = Body::Range {
        range,
        skip: layout.last() + 1,
        digest,
    };
    let mut table = Table::new(
        file,
        Some(sheet.into()),
        header,
        start_col,
        format.to_string(),
        super::Body::Excel(body),
    );
    table.sheets_passed_over = passed_over;
    Ok(table)
}

/// Give every cell of a merged region in the examined rows the value of its
/// top-left cell, so a header label merged across rows or columns is seen
/// wherever the header is taken from.
pub(super) fn fill_merged(
    regions: &[Dimensions],
    (start_row, start_col): (u32, u32),
    rows: &mut [(u64, Vec<String>)],
) {
    let at = |rows: &[(u64, Vec<String>)], r: u32, c: u32| -> Option<String> {
        let (r, c) = (r.checked_sub(start_row)?, c.checked_sub(start_col)?);
        rows.get(r as usize)?.1.get(c as usize).cloned()
    };
    for region in regions {
        let Some(value) = at(rows, region.start.0, region.start.1) else {
            continue;
        };
        for r in region.start.0..=region.end.0 {
            for c in region.start.1..=region.end.1 {
                let (Some(ri), Some(ci)) = (r.checked_sub(start_row), c.checked_sub(start_col))
                else {
                    continue;
                };
                if let Some(cell) = rows
                    .get_mut(ri as usize)
                    .and_then(|(_, cells)| cells.get_mut(ci as usize))
                    && cell.is_empty()
                {
                    *cell = value.clone();
                }
            }
        }
    }
}

fn open_workbook(path: &Path, bytes: Vec<u8>) -> Result<Sheets<Cursor<Vec<u8>>>> {
    use calamine::{Ods, Xls, Xlsb, Xlsx, open_workbook_from_rs};
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .map(|e| e.to_ascii_lowercase())
        .unwrap_or_default();
    let is_ole = bytes.starts_with(OLE_MAGIC);
    let cursor = Cursor::new(bytes);
    Ok(match ext.as_str() {
        "xls" => Sheets::Xls(open_workbook_from_rs::<Xls<_>, _>(cursor)?),
        "xlsb" => Sheets::Xlsb(open_workbook_from_rs::<Xlsb<_>, _>(cursor)?),
        "ods" => Sheets::Ods(open_workbook_from_rs::<Ods<_>, _>(cursor)?),
        "xlsx" | "xlsm" => Sheets::Xlsx(open_workbook_from_rs::<Xlsx<_>, _>(cursor)?),
        _ if is_ole => Sheets::Xls(open_workbook_from_rs::<Xls<_>, _>(cursor)?),
        _ => match open_workbook_from_rs::<Xlsx<_>, _>(cursor.clone()) {
            Ok(x) => Sheets::Xlsx(x),
            Err(_) => Sheets::Ods(open_workbook_from_rs::<Ods<_>, _>(cursor)?),
        },
    })
}

/// The sheet named by `--sheet` (name, case-insensitive name, or 1-based
/// position); else, of the visible worksheets with data, the one whose
/// header names the most fields (the first on ties), so a notes or cover
/// sheet before the data is passed over. Also returns the sheets passed over.
fn select_sheet(
    workbook: &mut Sheets<Cursor<Vec<u8>>>,
    file: &str,
    wanted: Option<&str>,
    rule: HeaderRule<'_>,
) -> Result<(String, Range<Data>, Vec<String>)> {
    let sheets = workbook.sheets_metadata().to_vec();
    let load = |wb: &mut Sheets<Cursor<Vec<u8>>>, name: &str| {
        wb.worksheet_range(name)
            .map_err(|e| anyhow!("cannot read sheet {name:?} of {file}: {e}"))
    };
    if let Some(wanted) = wanted {
        let sheet = find_sheet(&sheets, wanted, file)?;
        let name = sheet.name.clone();
        let range = load(workbook, &name)?;
        if range.is_empty() {
            bail!("sheet {name:?} of {file} is empty");
        }
        return Ok((name, range, Vec::new()));
    }
    pick_sheet(&sheets, file, |name| {
        let range = load(workbook, name)?;
        Ok((!range.is_empty()).then(|| (header_score(&range, rule).fields(), range)))
    })
}

/// Of the visible worksheets, the one whose header scores best (the first
/// on ties), and the sheets with data passed over before it. `examine`
/// reads a sheet: `None` when it is empty, else its header score and what
/// was read.
pub(super) fn pick_sheet<T>(
    sheets: &[Sheet],
    file: &str,
    mut examine: impl FnMut(&str) -> Result<Option<(usize, T)>>,
) -> Result<(String, T, Vec<String>)> {
    let mut best: Option<(usize, String, T)> = None;
    let mut seen = Vec::new();
    for sheet in sheets {
        if sheet.typ != SheetType::WorkSheet || sheet.visible != SheetVisible::Visible {
            continue;
        }
        let Some((score, read)) = examine(&sheet.name)? else {
            continue;
        };
        seen.push(sheet.name.clone());
        if best.as_ref().is_none_or(|(s, _, _)| score > *s) {
            best = Some((score, sheet.name.clone(), read));
        }
    }
    let Some((_, name, read)) = best else {
        bail!("{file} has no visible worksheet with data; name one with --sheet");
    };
    let passed_over = seen.into_iter().take_while(|s| *s != name).collect();
    Ok((name, read, passed_over))
}

/// The sheet `--sheet` names: by name, by name in any letter case, or by
/// 1-based position.
pub(super) fn find_sheet<'s>(sheets: &'s [Sheet], wanted: &str, file: &str) -> Result<&'s Sheet> {
    let found = sheets
        .iter()
        .find(|s| s.name == wanted)
        .or_else(|| sheets.iter().find(|s| s.name.eq_ignore_ascii_case(wanted)))
        .or_else(|| {
            wanted
                .parse::<usize>()
                .ok()
                .and_then(|i| i.checked_sub(1))
                .and_then(|i| sheets.get(i))
        });
    found.ok_or_else(|| {
        SheetNotFound {
            file: file.to_string(),
            wanted: wanted.to_string(),
            available: sheets
                .iter()
                .map(|s| s.name.as_str())
                .collect::<Vec<_>>()
                .join(", "),
        }
        .into()
    })
}

/// The best header score among a sheet's first rows.
fn header_score(range: &Range<Data>, rule: HeaderRule<'_>) -> HeaderScore {
    let Some(score) = rule.score else {
        return HeaderScore::default();
    };
    range
        .rows()
        .take(SEARCH_ROWS)
        .map(|cells| {
            let labels: Vec<String> = (0..cells.len())
                .map(|c| super::cell_text(ExcelRow(cells).cell(c)).trim().to_string())
                .collect();
            score(&labels)
        })
        .max()
        .unwrap_or_default()
}

impl Body {
    pub(crate) fn for_each_row(&mut self, visit: Visit<'_>) -> Result<()> {
        match self {
            Body::Range { range, skip, .. } => {
                let first = range.start().map_or(0, |(r, _)| u64::from(r));
                for (i, cells) in range.rows().enumerate().skip(*skip) {
                    if visit(first + i as u64 + 1, &ExcelRow(cells)).is_break() {
                        break;
                    }
                }
                Ok(())
            }
            Body::Stream(stream) => stream.for_each_row(visit),
        }
    }

    pub(super) fn finish(self) -> Digest {
        match self {
            Body::Range { digest, .. } => digest,
            Body::Stream(stream) => stream.digest,
        }
    }
}

/// Excel's date serials: 1900-01-01 (1) to 9999-12-31. calamine panics
/// converting a serial far outside them (found by fuzz/).
const EXCEL_SERIALS: std::ops::Range<f64> = 0.0..2_958_466.0;

/// A date cell as a date-time, or as its number when it is not one (a
/// duration, or a serial outside Excel's dates, which the checks report).
pub(super) fn date_cell(dt: &calamine::ExcelDateTime) -> Cell<'static> {
    let serial = dt.as_f64();
    match dt.is_datetime() && EXCEL_SERIALS.contains(&serial) {
        true => dt
            .as_datetime()
            .map_or(Cell::Number(serial), Cell::DateTime),
        false => Cell::Number(serial),
    }
}

struct ExcelRow<'a>(&'a [Data]);

impl Row for ExcelRow<'_> {
    fn width(&self) -> usize {
        self.0.len()
    }
    fn cell(&self, index: usize) -> Cell<'_> {
        match self.0.get(index) {
            None | Some(Data::Empty) => Cell::Empty,
            Some(Data::String(s)) if s.is_empty() => Cell::Empty,
            Some(Data::String(s)) | Some(Data::DateTimeIso(s)) | Some(Data::DurationIso(s)) => {
                Cell::Text(s)
            }
            Some(Data::Int(i)) => Cell::Number(*i as f64),
            Some(Data::Float(f)) => Cell::Number(*f),
            Some(Data::Bool(b)) => Cell::Bool(*b),
            Some(Data::DateTime(dt)) => date_cell(dt),
            Some(Data::Error(e)) => Cell::ExcelError(e),
        }
    }
}
