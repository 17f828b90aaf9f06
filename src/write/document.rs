//! Results laid out for people, whatever renders them: a document of
//! sheets, each made of blocks (titles, lines of text, tables of typed
//! cells, facts, charts of a table's columns) placed at a row and column,
//! or of rows too many to hold, streamed. Editions build documents; the
//! renderers (`xlsx.rs`) never know which edition built one.

use super::OutCell;
use crate::fiscal::Quarter;

/// A place on a sheet: 0-based row and column.
pub(crate) type At = (u32, u16);

/// What an edition publishes for people to read.
pub(crate) struct Document<'a> {
    /// What it is of, for its properties: `A-11 v2`, `A-11 v1 trend`.
    pub(crate) title: String,
    /// The quarter it reports (its dates are pinned to it).
    pub(crate) quarter: Quarter,
    pub(crate) sheets: Vec<Sheet<'a>>,
}

/// One sheet: its name, its content and how it is laid out.
pub(crate) struct Sheet<'a> {
    pub(crate) name: String,
    pub(crate) content: Content<'a>,
    pub(crate) layout: Layout,
}

impl<'a> Sheet<'a> {
    /// A sheet of blocks, laid out as `layout` says.
    pub(crate) fn new(name: &str, blocks: Vec<Block>, layout: Layout) -> Sheet<'a> {
        Sheet {
            name: name.to_string(),
            content: Content::Blocks(blocks),
            layout,
        }
    }
}

pub(crate) enum Content<'a> {
    /// Blocks, in the order they are written.
    Blocks(Vec<Block>),
    /// Rows too many to hold (A-11 v2's responses): a header, then every
    /// row visited once, in order; continued on sheets numbered `(2)`, …
    /// where a renderer has a row limit.
    Rows {
        header: Vec<String>,
        rows: Option<&'a dyn RowSource>,
    },
}

/// A streamed row's cells, `None` for one left empty.
pub(crate) type RowCells<'r> = dyn Iterator<Item = Option<&'r str>> + 'r;

/// Rows streamed from where they were kept.
pub(crate) trait RowSource {
    /// Visit every row in order.
    fn each_row(
        &self,
        visit: &mut dyn FnMut(&mut RowCells<'_>) -> anyhow::Result<()>,
    ) -> anyhow::Result<()>;
}

/// One block of a sheet.
pub(crate) enum Block {
    /// A heading.
    Title { at: At, text: String },
    /// A line of text.
    Text { at: At, text: String },
    /// A header row, then rows of typed cells right under it (a blank cell
    /// is left empty).
    Table {
        at: At,
        header: Vec<String>,
        rows: Vec<Vec<OutCell>>,
    },
    /// Names and their values, a pair a row, the names shown as headers.
    Facts {
        at: At,
        facts: Vec<(String, String)>,
    },
    /// A chart of columns of this sheet.
    Chart { at: At, chart: Chart },
}

/// How a sheet is laid out.
#[derive(Default)]
pub(crate) struct Layout {
    /// Rows and columns kept in view: the first row and column scrolled.
    pub(crate) freeze: Option<At>,
    /// Column widths, in characters, in order (a later one wins).
    pub(crate) widths: Vec<Width>,
    /// Columns whose text wraps.
    pub(crate) wrapped: Vec<u16>,
    /// Printed landscape, one page wide.
    pub(crate) landscape: bool,
}

/// The width of a column, or of a range of columns.
pub(crate) enum Width {
    Column(u16, f64),
    Columns(u16, u16, f64),
}

impl Layout {
    /// Frozen above row `row` and left of column `col`.
    pub(crate) fn frozen(row: u32, col: u16) -> Layout {
        Layout {
            freeze: Some((row, col)),
            ..Layout::default()
        }
    }

    pub(crate) fn width(mut self, col: u16, width: f64) -> Layout {
        self.widths.push(Width::Column(col, width));
        self
    }

    pub(crate) fn widths(mut self, first: u16, last: u16, width: f64) -> Layout {
        self.widths.push(Width::Columns(first, last, width));
        self
    }

    pub(crate) fn wrap(mut self, col: u16) -> Layout {
        self.wrapped.push(col);
        self
    }

    pub(crate) fn landscape(mut self) -> Layout {
        self.landscape = true;
        self
    }
}

/// A chart of a sheet's columns.
pub(crate) struct Chart {
    pub(crate) kind: ChartKind,
    pub(crate) title: String,
    pub(crate) series: Vec<Series>,
    /// The category axis (bars: the vertical one).
    pub(crate) categories: Axis,
    /// The value axis.
    pub(crate) values: Axis,
    /// Width and height, in pixels.
    pub(crate) size: (u32, u32),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ChartKind {
    /// Horizontal bars.
    Bar,
    /// Horizontal bars, each stacked to 100%.
    BarPercentStacked,
    Line,
}

/// An axis: its bounds, its number format, its direction.
#[derive(Default)]
pub(crate) struct Axis {
    pub(crate) min: Option<f64>,
    pub(crate) max: Option<f64>,
    pub(crate) num_format: Option<&'static str>,
    pub(crate) reverse: bool,
}

/// One series of a chart: its name, and the cells of its categories and
/// values on the chart's sheet.
pub(crate) struct Series {
    pub(crate) name: SeriesName,
    pub(crate) categories: Cells,
    pub(crate) values: Cells,
    pub(crate) color: Option<&'static str>,
    /// The distances up and down to an interval around each value.
    pub(crate) error_bars: Option<(Cells, Cells)>,
}

pub(crate) enum SeriesName {
    Text(String),
    /// The text of a cell of the chart's sheet.
    Cell(At),
}

/// A column of cells, from the first to the last (inclusive).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Cells {
    pub(crate) first: At,
    pub(crate) last: At,
}

impl Cells {
    /// Rows `first` to `last` of column `col`.
    pub(crate) fn column(col: u16, first: u32, last: u32) -> Cells {
        Cells {
            first: (first, col),
            last: (last, col),
        }
    }
}
