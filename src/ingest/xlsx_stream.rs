//! .xlsx sheets streamed cell by cell (calamine's cells reader) instead of
//! built whole as a range: memory stays flat in the number of rows. Rows are
//! assembled as their cells arrive, padded to the header's width, and the
//! rows the sheet skips (no cells) are handed on as blank rows, as a range
//! would have them.

use anyhow::{Result, anyhow, bail};
use calamine::{DataRef, Reader, Xlsx};
use std::io::Cursor;
use std::sync::Arc;

use super::digest::Digest;
use super::excel::{fill_merged, find_sheet, pick_sheet};
use super::layout::{self, HeaderRule, HeaderScore, SEARCH_ROWS};
use super::{Cell, Header, Row, Table, Visit};

type Workbook = Xlsx<Cursor<Vec<u8>>>;

pub(super) struct Stream {
    workbook: Box<Workbook>,
    file: Arc<str>,
    sheet: String,
    /// 0-based sheet row where the data starts (below the header).
    first_data: u32,
    /// Columns left of the table.
    col_offset: u32,
    /// The header's width: every row is at least this wide.
    width: usize,
    pub(crate) digest: Digest,
}

/// The first rows of a sheet as text, contiguous from its first non-empty
/// row (row numbers as seen), and the column where its cells start.
type Examined = (Vec<(u64, Vec<String>)>, u32);

pub(super) fn open(
    mut workbook: Workbook,
    file: Arc<str>,
    wanted: Option<&str>,
    rule: HeaderRule<'_>,
    digest: Digest,
) -> Result<Table> {
    let examine = SEARCH_ROWS.max(rule.row.map_or(0, |r| r as usize + 2));
    let sheets = workbook.sheets_metadata().to_vec();
    let mut passed_over = Vec::new();
    let (sheet, (mut rows, col_offset)) = match wanted {
        Some(wanted) => {
            let name = find_sheet(&sheets, wanted, &file)?.name.clone();
            let examined =
                super::excel::contain(|| first_rows(&mut workbook, &name, examine, &file))?;
            if examined.0.is_empty() {
                bail!("sheet {name:?} of {file} is empty");
            }
            (name, examined)
        }
        None => {
            // Only each sheet's first rows are read to decide.
            let (name, examined, passed) = pick_sheet(&sheets, &file, |name| {
                let examined =
                    super::excel::contain(|| first_rows(&mut workbook, name, examine, &file))?;
                if examined.0.is_empty() {
                    return Ok(None);
                }
                let score = rule.score.map_or(HeaderScore::default(), |score| {
                    examined
                        .0
                        .iter()
                        .map(|(_, cells)| score(cells))
                        .max()
                        .unwrap_or_default()
                });
                Ok(Some((score.fields(), examined)))
            })?;
            passed_over = passed;
            (name, examined)
        }
    };
    let first_row = rows.first().map_or(0, |(line, _)| *line as u32 - 1);
    let regions = workbook
        .merge_cells_by_sheet_name(&sheet)
        .unwrap_or_default();
    fill_merged(&regions, (first_row, col_offset), &mut rows);
    let sheet_file = format!("{file}, sheet {sheet:?}");
    let layout = layout::find(&rows, rule, &sheet_file)?;
    let header = Header::new(&rows, &layout);
    let stream = Stream {
        workbook: Box::new(workbook),
        first_data: rows[layout.last()].0 as u32,
        col_offset,
        width: header.labels.len(),
        sheet: sheet.clone(),
        file: file.clone(),
        digest,
    };
    let mut table = Table::new(
        file,
        Some(sheet.into()),
        header,
        col_offset,
        "Excel (.xlsx)".to_string(),
        super::Body::Excel(super::excel::Body::Stream(stream)),
    );
    table.sheets_passed_over = passed_over;
    Ok(table)
}

/// Read a sheet's first `max` rows (from its first non-empty one) as text.
fn first_rows(workbook: &mut Workbook, name: &str, max: usize, file: &str) -> Result<Examined> {
    let mut reader = workbook
        .worksheet_cells_reader(name)
        .map_err(|e| anyhow!("cannot read sheet {name:?} of {file}: {e}"))?;
    let mut cells: Vec<(u32, u32, String)> = Vec::new();
    let mut first_row = None;
    while let Some(cell) = reader
        .next_cell()
        .map_err(|e| anyhow!("cannot read sheet {name:?} of {file}: {e}"))?
    {
        let (r, c) = cell.get_position();
        let text = super::cell_text(cell_of(cell.get_value()));
        let text = text.trim();
        if text.is_empty() {
            continue;
        }
        let first = *first_row.get_or_insert(r);
        if r >= first + max as u32 {
            break;
        }
        cells.push((r, c, text.to_string()));
    }
    let Some(first) = first_row else {
        return Ok((Vec::new(), 0));
    };
    let offset = cells.iter().map(|(_, c, _)| *c).min().unwrap_or(0);
    let last = cells.iter().map(|(r, _, _)| *r).max().unwrap_or(first);
    let width = cells
        .iter()
        .map(|(_, c, _)| (c - offset + 1) as usize)
        .max()
        .unwrap_or(0);
    let mut rows: Vec<(u64, Vec<String>)> = (first..=last)
        .map(|r| (u64::from(r) + 1, vec![String::new(); width]))
        .collect();
    for (r, c, text) in cells {
        rows[(r - first) as usize].1[(c - offset) as usize] = text;
    }
    Ok((rows, offset))
}

impl Stream {
    pub(crate) fn for_each_row(&mut self, visit: Visit<'_>) -> Result<()> {
        let (file, sheet) = (self.file.clone(), self.sheet.clone());
        let fail = |e: calamine::XlsxError| anyhow!("cannot read sheet {sheet:?} of {file}: {e}");
        let mut reader = self
            .workbook
            .worksheet_cells_reader(&self.sheet)
            .map_err(fail)?;
        let blank: Vec<DataRef<'_>> = vec![DataRef::Empty; self.width];
        let mut row: Vec<DataRef<'_>> = Vec::with_capacity(self.width);
        let mut current: Option<u32> = None;
        // The next row to hand on: rows without cells in between are blank.
        let mut next = self.first_data;
        while let Some(cell) = reader.next_cell().map_err(fail)? {
            let (r, c) = cell.get_position();
            if r >= EXCEL_ROWS || c >= EXCEL_COLUMNS {
                // A damaged or hostile file: its rows up to Excel's last
                // one would be a billion blank rows to read.
                bail!(
                    "sheet {sheet:?} of {file} has a cell at {}, beyond Excel's last row ({EXCEL_ROWS}) or column (XFD); the file is damaged: open and save it in Excel, or export the data again",
                    cell_reference(r, c)
                );
            }
            if r < self.first_data || c < self.col_offset {
                continue;
            }
            if current != Some(r) {
                if let Some(done) = current
                    && visit(u64::from(done) + 1, &StreamRow(&row)).is_break()
                {
                    return Ok(());
                }
                for gap in next..r {
                    if visit(u64::from(gap) + 1, &StreamRow(&blank)).is_break() {
                        return Ok(());
                    }
                }
                next = r + 1;
                current = Some(r);
                row.clear();
                row.resize(self.width, DataRef::Empty);
            }
            let i = (c - self.col_offset) as usize;
            if i >= row.len() {
                row.resize(i + 1, DataRef::Empty);
            }
            row[i] = cell.get_value().clone();
        }
        if let Some(done) = current {
            let _ = visit(u64::from(done) + 1, &StreamRow(&row));
        }
        Ok(())
    }
}

/// Excel's limits: 1,048,576 rows and 16,384 columns (A to XFD).
const EXCEL_ROWS: u32 = 1_048_576;
const EXCEL_COLUMNS: u32 = 16_384;

/// `A1` notation of a 0-based cell position.
fn cell_reference(row: u32, col: u32) -> String {
    format!(
        "{}{}",
        crate::display::column_letter(col + 1),
        u64::from(row) + 1
    )
}

struct StreamRow<'r, 'a>(&'r [DataRef<'a>]);

impl Row for StreamRow<'_, '_> {
    fn width(&self) -> usize {
        self.0.len()
    }
    fn cell(&self, index: usize) -> Cell<'_> {
        self.0.get(index).map_or(Cell::Empty, cell_of)
    }
}

/// A streamed cell as hisp's cell.
fn cell_of<'c>(data: &'c DataRef<'_>) -> Cell<'c> {
    match data {
        DataRef::Empty => Cell::Empty,
        DataRef::String(s) | DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => {
            if s.is_empty() {
                Cell::Empty
            } else {
                Cell::Text(s)
            }
        }
        DataRef::SharedString("") => Cell::Empty,
        DataRef::SharedString(s) => Cell::Text(s),
        DataRef::Int(i) => Cell::Number(*i as f64),
        DataRef::Float(f) => Cell::Number(*f),
        DataRef::Bool(b) => Cell::Bool(*b),
        DataRef::DateTime(dt) => super::excel::date_cell(dt),
        DataRef::Error(e) => Cell::ExcelError(e),
    }
}
