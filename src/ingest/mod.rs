//! Reading tables: CSV (any RFC 4180 dialect with comma, semicolon, tab or
//! pipe) and Excel workbooks (.xlsx, .xlsm, .xlsb, .xls, .ods). Each table
//! yields its header and then its rows, one at a time, with the row number the
//! user sees (header = row 1 in a CSV file; the real sheet row in Excel).

mod delimited;
mod digest;
mod excel;
pub use excel::panic_is_contained;
mod guard;
pub(crate) mod layout;
pub(crate) mod preset;
#[cfg(test)]
mod proptests;
mod xlsx_stream;

use anyhow::Context;
use anyhow::Result;
use chrono::NaiveDateTime;
use std::fs::File;
use std::io::{Cursor, Read};
use std::ops::ControlFlow;
use std::path::{Path, PathBuf};
use std::sync::Arc;

pub(crate) use digest::Digest;
pub(crate) use layout::HeaderRule;
use layout::Layout;
pub use preset::{Choice as PresetChoice, Preset};

/// The visitor of a table's rows: `(row number, row)`; `Break` stops the
/// reading.
pub(crate) type Visit<'v> = &'v mut dyn FnMut(u64, &dyn Row) -> ControlFlow<()>;

/// One cell as read, before any schema is applied.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Cell<'a> {
    Empty,
    Text(&'a str),
    Number(f64),
    DateTime(NaiveDateTime),
    Bool(bool),
    /// An Excel error value such as `#N/A`.
    ExcelError(&'a calamine::CellErrorType),
    /// Bytes that are not valid UTF-8.
    BadEncoding,
}

/// A CSV value may hold at most this many line breaks: more, and a quote
/// was probably closed only rows later, taking the rows between into it.
pub(crate) const MAX_CELL_LINES: u64 = 100;

/// A value may hold at most this many characters (a spreadsheet cell's
/// limit).
pub(crate) const MAX_CELL_CHARS: usize = 32_767;

/// A value beyond `MAX_CELL_LINES` or `MAX_CELL_CHARS`.
pub(crate) struct Overlong {
    pub(crate) column: usize,
    pub(crate) lines: u64,
    pub(crate) chars: usize,
}

/// A row of cells.
pub(crate) trait Row {
    fn width(&self) -> usize;
    fn cell(&self, index: usize) -> Cell<'_>;

    /// The file ends inside a quoted value that opened in this row's last
    /// cell (CSV only).
    fn unclosed_quote(&self) -> bool {
        false
    }

    /// The first value beyond what a survey answer holds (CSV only).
    fn overlong_cell(&self) -> Option<Overlong> {
        None
    }

    /// Whether every cell is empty or white space.
    fn is_blank(&self) -> bool {
        (0..self.width()).all(|i| match self.cell(i) {
            Cell::Empty => true,
            Cell::Text(t) => t.trim().is_empty(),
            _ => false,
        })
    }
}

/// An export to read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Input {
    /// A file, by its path.
    Path(PathBuf),
    /// Delimited text on standard input (a host's).
    Stdin,
    /// Bytes in memory under a file name, whose extension says a workbook
    /// as a path's does (a file dropped on a web page).
    Bytes { name: String, bytes: Arc<[u8]> },
}

impl Input {
    /// The file's path, when it is one.
    pub fn path(&self) -> Option<&Path> {
        match self {
            Input::Path(path) => Some(path),
            _ => None,
        }
    }
}

/// What to read, and how.
#[derive(Debug, Clone)]
pub(crate) struct InputSpec {
    pub(crate) source: Input,
    /// Force the CSV delimiter instead of sniffing it.
    pub(crate) delimiter: Option<u8>,
    /// Excel sheet by name, or by 1-based position.
    pub(crate) sheet: Option<String>,
    /// Force the text encoding of delimited input instead of detecting it.
    pub(crate) encoding: Option<&'static encoding_rs::Encoding>,
    /// The header's row number, instead of searching for it.
    pub(crate) header_row: Option<u64>,
    /// Where bytes read are counted for the progress bar.
    pub(crate) progress: crate::progress::Progress,
}

impl InputSpec {
    /// A file read as found: delimiter, encoding and header row detected.
    pub(crate) fn for_path(
        path: &Path,
        sheet: Option<&str>,
        progress: &crate::progress::Progress,
    ) -> InputSpec {
        InputSpec {
            source: Input::Path(path.to_path_buf()),
            delimiter: None,
            sheet: sheet.map(String::from),
            encoding: None,
            header_row: None,
            progress: progress.clone(),
        }
    }

    pub(crate) fn display_name(&self) -> String {
        match &self.source {
            Input::Path(p) => p.display().to_string(),
            Input::Stdin => "<stdin>".to_string(),
            Input::Bytes { name, .. } => name.clone(),
        }
    }
}

/// An open table: its header, where it is, and a reader for its rows.
pub(crate) struct Table {
    pub(crate) file: Arc<str>,
    pub(crate) sheet: Option<Arc<str>>,
    pub(crate) headers: Vec<String>,
    /// Qualtrics: each column's question text (second header row), and its
    /// `ImportId` (third header row). Empty for other exports.
    pub(crate) descriptions: Vec<String>,
    pub(crate) import_ids: Vec<String>,
    /// Qualtrics: the time zone the third header row states for a date
    /// column (`"timeZone":"America/Denver"`, or `Z`), per column.
    pub(crate) time_zones: Vec<String>,
    /// The header's row number as the user sees it.
    pub(crate) header_row: u64,
    /// How many rows the header spans (3 in a Qualtrics export).
    pub(crate) header_rows: u64,
    /// Non-blank rows above the header (titles, notes), skipped.
    pub(crate) rows_above: u64,
    /// Columns left of the table (Excel ranges that do not start in column A).
    pub(crate) column_offset: u32,
    /// Excel format name, or the CSV delimiter as a word, for the log.
    pub(crate) format: String,
    /// The text encoding, when not UTF-8.
    pub(crate) encoding: Option<&'static str>,
    /// The encoding was guessed: no byte-order mark, no `--encoding`.
    pub(crate) encoding_guessed: bool,
    /// Worksheets before the one read that were passed over (notes, covers).
    pub(crate) sheets_passed_over: Vec<String>,
    /// Rows further down that repeat the header (exports pasted one under
    /// another), skipped: their row numbers.
    pub(crate) repeated_headers: Vec<u64>,
    /// The header rows as read, to recognise their repetitions.
    echo: Vec<Vec<String>>,
    body: Body,
}

enum Body {
    Delimited(Box<delimited::Body>),
    Excel(excel::Body),
}

/// Open an input and find its header; `score` rates candidate header rows
/// (see [`layout::find`]). A sheet or header row that is not there is a
/// configuration error; anything else means the input cannot be read as a
/// table.
pub(crate) fn open(
    spec: &InputSpec,
    score: Option<layout::Score<'_>>,
) -> crate::error::Result<Table> {
    use crate::error::Error;
    open_table(spec, score).map_err(|e| {
        if e.is::<excel::SheetNotFound>() || e.is::<layout::BadHeaderRow>() {
            Error::Config(e)
        } else {
            Error::Input(e)
        }
    })
}

fn open_table(spec: &InputSpec, score: Option<layout::Score<'_>>) -> Result<Table> {
    let file: Arc<str> = spec.display_name().into();
    let rule = HeaderRule {
        row: spec.header_row,
        score,
    };
    // A path is opened once and sniffed from the bytes read: a pipe or
    // process substitution cannot be opened twice.
    let raw = match &spec.source {
        Input::Path(path) => {
            let mut f = File::open(path).with_context(|| format!("cannot open {file}"))?;
            let mut head = read_head(&mut f).with_context(|| format!("cannot read {file}"))?;
            if reads_as_workbook(path, &head, &file) {
                f.read_to_end(&mut head)
                    .with_context(|| format!("cannot read {file}"))?;
                Opened::Workbook(path, head)
            } else {
                Opened::Text(Box::new(Cursor::new(head).chain(f)))
            }
        }
        Input::Bytes { name, bytes } => {
            let path = Path::new(name);
            if reads_as_workbook(path, bytes, &file) {
                Opened::Workbook(path, bytes.to_vec())
            } else {
                Opened::Text(Box::new(Cursor::new(Arc::clone(bytes))))
            }
        }
        #[cfg(feature = "host")]
        Input::Stdin => Opened::Text(Box::new(std::io::stdin())),
        #[cfg(not(feature = "host"))]
        Input::Stdin => anyhow::bail!("standard input is read only by hisp's command"),
    };
    let raw = match raw {
        Opened::Workbook(path, bytes) => {
            let sheet = spec.sheet.as_deref();
            return excel::open(path, bytes, file, sheet, rule, &spec.progress);
        }
        Opened::Text(raw) => raw,
    };
    if spec.sheet.is_some() {
        tracing::warn!("{file}: --sheet applies to Excel inputs only; ignored");
    }
    delimited::open(spec, file, rule, raw)
}

/// An input opened: a workbook's bytes, or delimited text to read.
enum Opened<'p> {
    Workbook(&'p Path, Vec<u8>),
    Text(Box<dyn Read + Send>),
}

/// Whether an input is read as a workbook, by its first bytes and its
/// name. Text named as a workbook (a CSV file renamed, or saved, with a
/// workbook's extension) is warned of and read as text.
fn reads_as_workbook(path: &Path, head: &[u8], file: &str) -> bool {
    let named_workbook = is_workbook(path, &[]);
    if named_workbook && !excel::has_workbook_magic(head) && !head.is_empty() {
        tracing::warn!(
            "{file} is named as a workbook but holds no workbook's signature; read as delimited text"
        );
        return false;
    }
    named_workbook || excel::has_workbook_magic(head)
}

/// The first bytes of an input, enough to recognise a workbook.
fn read_head(f: &mut File) -> std::io::Result<Vec<u8>> {
    let mut head = Vec::with_capacity(excel::MAGIC_BYTES);
    f.take(excel::MAGIC_BYTES as u64).read_to_end(&mut head)?;
    Ok(head)
}

/// The header parts of a table, from the rows examined and the layout found.
struct Header {
    labels: Vec<String>,
    descriptions: Vec<String>,
    import_ids: Vec<String>,
    time_zones: Vec<String>,
    row: u64,
    rows: u64,
    rows_above: u64,
    /// The header rows' cells as read.
    echo: Vec<Vec<String>>,
}

impl Table {
    /// A table with its header found; the encoding and sheet facts are set
    /// by the reader that knows them.
    fn new(
        file: Arc<str>,
        sheet: Option<Arc<str>>,
        header: Header,
        column_offset: u32,
        format: String,
        body: Body,
    ) -> Table {
        Table {
            file,
            sheet,
            headers: header.labels,
            descriptions: header.descriptions,
            import_ids: header.import_ids,
            time_zones: header.time_zones,
            header_row: header.row,
            header_rows: header.rows,
            rows_above: header.rows_above,
            column_offset,
            format,
            encoding: None,
            encoding_guessed: false,
            sheets_passed_over: Vec::new(),
            repeated_headers: Vec::new(),
            echo: header.echo,
            body,
        }
    }
}

/// Whether a row is one of the header rows again. The first cell decides
/// cheaply for almost every row; a candidate must then agree in every cell
/// it fills.
fn repeats_header(echo: &[Vec<String>], row: &dyn Row) -> bool {
    let Cell::Text(first) = row.cell(0) else {
        return false;
    };
    let first = first.trim();
    echo.iter().any(|cells| {
        cells.first().is_some_and(|c| !c.is_empty() && c == first)
            && (1..row.width()).all(|i| {
                let text = cell_text(row.cell(i));
                let text = text.trim();
                text.is_empty() || cells.get(i).is_some_and(|c| c == text)
            })
    })
}

impl Header {
    fn new(rows: &[(u64, Vec<String>)], layout: &Layout) -> Header {
        let take = |i: Option<usize>| i.map(|i| rows[i].1.clone()).unwrap_or_default();
        let above = &rows[..layout.header];
        Header {
            labels: rows[layout.header].1.clone(),
            descriptions: take(layout.descriptions),
            import_ids: take(layout.import_ids)
                .iter()
                .map(|c| layout::import_id(c))
                .collect(),
            time_zones: take(layout.import_ids)
                .iter()
                .map(|c| layout::time_zone(c))
                .collect(),
            row: rows[layout.header].0,
            rows: rows[layout.last()].0 - rows[layout.header].0 + 1,
            rows_above: above
                .iter()
                .filter(|(_, cells)| cells.iter().any(|c| !c.trim().is_empty()))
                .count() as u64,
            echo: rows[layout.header..=layout.last()]
                .iter()
                .map(|(_, cells)| cells.clone())
                .collect(),
        }
    }
}

impl Table {
    /// Visit every data row in order: `(row number, row)`, until the visitor
    /// breaks. Rows that repeat the header are skipped and listed in
    /// `repeated_headers`.
    pub(crate) fn for_each_row(&mut self, visit: Visit<'_>) -> Result<()> {
        let Table {
            file,
            echo,
            repeated_headers,
            body,
            ..
        } = self;
        let mut data = |line: u64, row: &dyn Row| {
            if repeats_header(echo, row) {
                repeated_headers.push(line);
                ControlFlow::Continue(())
            } else {
                visit(line, row)
            }
        };
        match body {
            Body::Delimited(b) => b.for_each_row(file, &mut data),
            Body::Excel(b) => b.for_each_row(&mut data),
        }
    }

    /// The input's size and SHA-256, once all rows are read.
    pub(crate) fn finish(self) -> Digest {
        match self.body {
            Body::Delimited(b) => b.finish(),
            Body::Excel(b) => b.finish(),
        }
    }
}

/// Excel by extension, or by content for files with another extension
/// (a workbook saved as `.csv` is still a workbook).
fn is_workbook(path: &Path, head: &[u8]) -> bool {
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .map(|e| e.to_ascii_lowercase());
    matches!(
        ext.as_deref(),
        Some("xlsx" | "xlsm" | "xlsb" | "xls" | "ods")
    ) || excel::has_workbook_magic(head)
}

/// A cell as the text a user would see.
pub(crate) fn cell_text(cell: Cell<'_>) -> String {
    match cell {
        Cell::Empty => String::new(),
        Cell::Text(s) => s.to_string(),
        Cell::Number(n) => format_number(n),
        Cell::DateTime(d) => d.format("%Y-%m-%d %H:%M:%S").to_string(),
        Cell::Bool(b) => if b { "TRUE" } else { "FALSE" }.to_string(),
        Cell::ExcelError(e) => e.to_string(),
        Cell::BadEncoding => "\u{fffd}".to_string(),
    }
}

/// Numbers as Excel shows them in General format: integers without `.0`.
pub(crate) fn format_number(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 {
        format!("{}", n as i64)
    } else {
        format!("{n}")
    }
}
