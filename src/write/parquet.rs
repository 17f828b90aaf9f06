//! A table as Parquet (`--parquet`, feature `parquet`), for data teams:
//! each column typed from its cells — text as UTF-8, counts as INT64,
//! shares and scores as DOUBLE, `true`/`false` columns as BOOLEAN — and
//! nullable where a cell is blank. One row group; Snappy-compressed pages.

use std::sync::Arc;

use parquet::basic::{Compression, ConvertedType, Repetition, Type as Physical};
use parquet::data_type::{BoolType, ByteArray, ByteArrayType, DoubleType, Int64Type};
use parquet::file::properties::WriterProperties;
use parquet::file::writer::SerializedFileWriter;
use parquet::schema::types::Type;

use super::OutCell;
use crate::write::Table;

#[derive(Clone, Copy, PartialEq, Debug)]
enum ColumnType {
    Text,
    Int,
    Double,
    Bool,
}

/// A column's kind from its cells; text when they disagree.
fn kind_of(table: &Table, col: usize) -> ColumnType {
    let mut kind: Option<ColumnType> = None;
    for row in &table.rows {
        let this = match &row[col] {
            OutCell::Blank => continue,
            OutCell::Text(t) if t.is_empty() => continue,
            OutCell::Text(t) if t == "true" || t == "false" => ColumnType::Bool,
            OutCell::Text(_) => ColumnType::Text,
            OutCell::Count(_) | OutCell::Plain(_) => ColumnType::Int,
            OutCell::Decimal(_) | OutCell::Percent(_) | OutCell::Number(_) => ColumnType::Double,
        };
        kind = match (kind, this) {
            (None, k) => Some(k),
            (Some(a), b) if a == b => Some(a),
            (Some(ColumnType::Int), ColumnType::Double)
            | (Some(ColumnType::Double), ColumnType::Int) => Some(ColumnType::Double),
            _ => Some(ColumnType::Text),
        };
    }
    kind.unwrap_or(ColumnType::Text)
}

/// The file's schema (every column nullable) and writer properties.
fn schema_of(
    name: &str,
    columns: &[(&str, ColumnType)],
) -> parquet::errors::Result<(Arc<Type>, Arc<WriterProperties>)> {
    let fields = columns
        .iter()
        .map(|(name, kind)| {
            let (physical, converted) = match kind {
                ColumnType::Text => (Physical::BYTE_ARRAY, ConvertedType::UTF8),
                ColumnType::Int => (Physical::INT64, ConvertedType::NONE),
                ColumnType::Double => (Physical::DOUBLE, ConvertedType::NONE),
                ColumnType::Bool => (Physical::BOOLEAN, ConvertedType::NONE),
            };
            Type::primitive_type_builder(name, physical)
                .with_repetition(Repetition::OPTIONAL)
                .with_converted_type(converted)
                .build()
                .map(Arc::new)
        })
        .collect::<parquet::errors::Result<Vec<_>>>()?;
    let schema = Arc::new(Type::group_type_builder(name).with_fields(fields).build()?);
    let props = Arc::new(
        WriterProperties::builder()
            .set_compression(Compression::SNAPPY)
            .build(),
    );
    Ok((schema, props))
}

fn blank(cell: &OutCell) -> bool {
    matches!(cell, OutCell::Blank) || matches!(cell, OutCell::Text(t) if t.is_empty())
}

/// Write `table` as a Parquet file.
pub(crate) fn write(table: &Table, out: &mut std::fs::File) -> parquet::errors::Result<()> {
    let kinds: Vec<ColumnType> = (0..table.header.len()).map(|c| kind_of(table, c)).collect();
    let columns: Vec<(&str, ColumnType)> = table
        .header
        .iter()
        .map(String::as_str)
        .zip(kinds.iter().copied())
        .collect();
    let (schema, props) = schema_of("hisp", &columns)?;
    let mut writer = SerializedFileWriter::new(out, schema, props)?;
    let mut group = writer.next_row_group()?;
    let mut col = 0;
    while let Some(mut column) = group.next_column()? {
        let cells = table.rows.iter().map(|r| &r[col]);
        let levels: Vec<i16> = cells.clone().map(|c| i16::from(!blank(c))).collect();
        let present = cells.filter(|c| !blank(c));
        match kinds[col] {
            ColumnType::Text => {
                let values: Vec<ByteArray> = present
                    .map(|c| ByteArray::from(c.csv_text().as_str()))
                    .collect();
                column
                    .typed::<ByteArrayType>()
                    .write_batch(&values, Some(&levels), None)?;
            }
            ColumnType::Int => {
                let values: Vec<i64> = present
                    .map(|c| match c {
                        OutCell::Count(n) | OutCell::Plain(n) => *n as i64,
                        _ => 0,
                    })
                    .collect();
                column
                    .typed::<Int64Type>()
                    .write_batch(&values, Some(&levels), None)?;
            }
            ColumnType::Double => {
                let values: Vec<f64> = present
                    .map(|c| match c {
                        OutCell::Decimal(v) | OutCell::Percent(v) | OutCell::Number(v) => *v,
                        OutCell::Count(n) | OutCell::Plain(n) => *n as f64,
                        _ => 0.0,
                    })
                    .collect();
                column
                    .typed::<DoubleType>()
                    .write_batch(&values, Some(&levels), None)?;
            }
            ColumnType::Bool => {
                let values: Vec<bool> = present
                    .map(|c| matches!(c, OutCell::Text(t) if t == "true"))
                    .collect();
                column
                    .typed::<BoolType>()
                    .write_batch(&values, Some(&levels), None)?;
            }
        }
        column.close()?;
        col += 1;
    }
    group.close()?;
    writer.close()?;
    Ok(())
}

/// `report --parquet`: the quarter's valid rows, one Parquet row each —
/// the input file and row, the fiscal year and quarter, then every field of
/// the schema as read (canonical names) — written as the pass goes, a row
/// group per [`RowsWriter::GROUP`] rows, so memory stays flat.
pub(crate) struct RowsWriter {
    kinds: Vec<ColumnType>,
    columns: Vec<Buffer>,
    rows: usize,
    writer: SerializedFileWriter<std::fs::File>,
}

/// One column's values of the row group being filled.
enum Buffer {
    Text(Vec<ByteArray>, Vec<i16>),
    Int(Vec<i64>, Vec<i16>),
    Bool(Vec<bool>, Vec<i16>),
}

/// The first columns, before the schema's fields.
const ROW_COLUMNS: [(&str, ColumnType); 4] = [
    ("input_file", ColumnType::Text),
    ("input_row", ColumnType::Int),
    ("fiscal_year", ColumnType::Int),
    ("fiscal_quarter", ColumnType::Int),
];

impl RowsWriter {
    /// Rows per row group.
    const GROUP: usize = 32_768;

    pub(crate) fn new(
        schema: &crate::schema::Schema,
        out: std::fs::File,
    ) -> parquet::errors::Result<RowsWriter> {
        use crate::schema::FieldType;
        let mut named: Vec<(String, ColumnType)> = ROW_COLUMNS
            .iter()
            .map(|(n, k)| (n.to_string(), *k))
            .collect();
        for f in &schema.fields {
            let kind = match f.kind {
                FieldType::Integer => ColumnType::Int,
                FieldType::Boolean => ColumnType::Bool,
                FieldType::String | FieldType::Datetime | FieldType::Date => ColumnType::Text,
            };
            named.push((f.name.clone(), kind));
        }
        let columns: Vec<(&str, ColumnType)> =
            named.iter().map(|(n, k)| (n.as_str(), *k)).collect();
        let (schema, props) = schema_of("hisp_rows", &columns)?;
        let kinds: Vec<ColumnType> = named.iter().map(|(_, k)| *k).collect();
        Ok(RowsWriter {
            columns: kinds.iter().map(|k| Buffer::empty(*k)).collect(),
            kinds,
            rows: 0,
            writer: SerializedFileWriter::new(out, schema, props)?,
        })
    }

    /// One valid row of the quarter: where it is, and its fields as read.
    pub(crate) fn push(
        &mut self,
        file: &str,
        row: u64,
        quarter: Option<crate::fiscal::Quarter>,
        values: &[Option<crate::check::Recorded>],
    ) -> parquet::errors::Result<()> {
        use crate::check::Recorded;
        let head = [
            Some(Recorded::Text(file.to_string())),
            Some(Recorded::Int(row as i64)),
            quarter.map(|q| Recorded::Int(i64::from(q.fiscal_year()))),
            quarter.map(|q| Recorded::Int(i64::from(q.quarter()))),
        ];
        for (column, value) in self.columns.iter_mut().zip(head.iter().chain(values)) {
            column.push(value.as_ref());
        }
        self.rows += 1;
        if self.rows == Self::GROUP {
            self.flush()?;
        }
        Ok(())
    }

    fn flush(&mut self) -> parquet::errors::Result<()> {
        if self.rows == 0 {
            return Ok(());
        }
        let mut group = self.writer.next_row_group()?;
        let mut i = 0;
        while let Some(mut column) = group.next_column()? {
            match &mut self.columns[i] {
                Buffer::Text(v, d) => {
                    column
                        .typed::<ByteArrayType>()
                        .write_batch(v, Some(d), None)?;
                }
                Buffer::Int(v, d) => {
                    column.typed::<Int64Type>().write_batch(v, Some(d), None)?;
                }
                Buffer::Bool(v, d) => {
                    column.typed::<BoolType>().write_batch(v, Some(d), None)?;
                }
            }
            column.close()?;
            self.columns[i] = Buffer::empty(self.kinds[i]);
            i += 1;
        }
        group.close()?;
        self.rows = 0;
        Ok(())
    }

    /// The last row group and the footer; the file, to be put in place.
    pub(crate) fn finish(mut self) -> parquet::errors::Result<std::fs::File> {
        self.flush()?;
        self.writer.into_inner()
    }
}

impl Buffer {
    fn empty(kind: ColumnType) -> Buffer {
        match kind {
            ColumnType::Int => Buffer::Int(Vec::new(), Vec::new()),
            ColumnType::Bool => Buffer::Bool(Vec::new(), Vec::new()),
            ColumnType::Text | ColumnType::Double => Buffer::Text(Vec::new(), Vec::new()),
        }
    }

    fn push(&mut self, value: Option<&crate::check::Recorded>) {
        use crate::check::Recorded;
        match (self, value) {
            (Buffer::Text(v, d), Some(Recorded::Text(t) | Recorded::DateTime(t))) => {
                v.push(ByteArray::from(t.as_str()));
                d.push(1);
            }
            (Buffer::Text(v, d), Some(Recorded::Int(i))) => {
                v.push(ByteArray::from(i.to_string().as_str()));
                d.push(1);
            }
            (Buffer::Int(v, d), Some(Recorded::Int(i))) => {
                v.push(*i);
                d.push(1);
            }
            (Buffer::Bool(v, d), Some(Recorded::Bool(b))) => {
                v.push(*b);
                d.push(1);
            }
            (Buffer::Text(_, d) | Buffer::Int(_, d) | Buffer::Bool(_, d), _) => d.push(0),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use parquet::file::reader::{FileReader, SerializedFileReader};

    #[test]
    fn a_table_reads_back_typed_and_nullable() {
        let table = Table {
            header: vec!["name".into(), "count".into(), "share".into(), "flag".into()],
            rows: vec![
                vec![
                    OutCell::Text("a".into()),
                    OutCell::Count(3),
                    OutCell::Decimal(12.5),
                    OutCell::Text("true".into()),
                ],
                vec![
                    OutCell::Text("b".into()),
                    OutCell::Count(4),
                    OutCell::Blank,
                    OutCell::Text(String::new()),
                ],
            ],
        };
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.parquet");
        write(&table, &mut std::fs::File::create(&path).unwrap()).unwrap();
        let reader = SerializedFileReader::new(std::fs::File::open(&path).unwrap()).unwrap();
        assert_eq!(reader.metadata().file_metadata().num_rows(), 2);
        let rows: Vec<String> = reader
            .get_row_iter(None)
            .unwrap()
            .map(|r| r.unwrap().to_string())
            .collect();
        assert_eq!(
            rows,
            [
                "{name: \"a\", count: 3, share: 12.5, flag: true}",
                "{name: \"b\", count: 4, share: null, flag: null}"
            ]
        );
    }
}
