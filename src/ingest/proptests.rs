//! Properties of the CSV reader: whatever bytes it is given it returns rows
//! or an error, never a panic; and what a CSV writer writes (any quotes,
//! line breaks, delimiters, byte-order mark, encoding) reads back to the
//! same cells on the rows a text editor shows.

use proptest::prelude::*;
use std::io::Cursor;
use std::ops::ControlFlow;

use super::{HeaderRule, InputSpec, cell_text, delimited};
use crate::progress::Progress;

/// Every row of CSV `bytes` after the header: (row number, cells).
fn read_all(bytes: &[u8], delimiter: Option<u8>) -> anyhow::Result<Vec<(u64, Vec<String>)>> {
    let spec = InputSpec {
        source: super::Input::Stdin,
        delimiter,
        sheet: None,
        encoding: None,
        header_row: None,
        progress: Progress::default(),
    };
    let rule = HeaderRule {
        row: None,
        score: None,
    };
    let raw = Box::new(Cursor::new(bytes.to_vec()));
    let mut table = delimited::open(&spec, "test.csv".into(), rule, raw)?;
    let mut rows = Vec::new();
    table.for_each_row(&mut |line, row| {
        let cells = (0..row.width()).map(|i| cell_text(row.cell(i))).collect();
        rows.push((line, cells));
        ControlFlow::Continue(())
    })?;
    Ok(rows)
}

/// Cell text with what makes CSV hard: quotes, delimiters, line breaks,
/// spaces at the ends, letters beyond ASCII.
fn cell() -> impl Strategy<Value = String> {
    proptest::string::string_regex("[a-zA-Z0-9 ,;|\t\"\r\né€]{0,12}").unwrap()
}

/// Line breaks as a text editor shows them: `\n`, `\r\n`, and a `\r` alone.
fn breaks(text: &[u8]) -> u64 {
    let lone_cr = text
        .windows(2)
        .filter(|w| w[0] == b'\r' && w[1] != b'\n')
        .count();
    let last_cr = text.last() == Some(&b'\r');
    (text.iter().filter(|&&b| b == b'\n').count() + lone_cr + usize::from(last_cr)) as u64
}

#[derive(Debug, Clone, Copy)]
enum Encoding {
    Utf8,
    Utf8Bom,
    Utf16LeBom,
}

fn encode(text: &str, encoding: Encoding) -> Vec<u8> {
    match encoding {
        Encoding::Utf8 => text.as_bytes().to_vec(),
        Encoding::Utf8Bom => [b"\xEF\xBB\xBF".as_slice(), text.as_bytes()].concat(),
        Encoding::Utf16LeBom => {
            let mut out = vec![0xFF, 0xFE];
            out.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
            out
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn any_bytes_give_rows_or_an_error(bytes in proptest::collection::vec(any::<u8>(), 0..600)) {
        let _ = read_all(&bytes, None);
    }

    #[test]
    fn any_text_gives_rows_or_an_error(text in "[a-c,;\"\r\n \t]{0,300}") {
        let _ = read_all(text.as_bytes(), None);
    }

    #[test]
    fn written_csv_reads_back_cell_for_cell(
        rows in proptest::collection::vec(proptest::collection::vec(cell(), 3), 0..25),
        delimiter in prop_oneof![Just(b','), Just(b';'), Just(b'\t'), Just(b'|')],
        encoding in prop_oneof![Just(Encoding::Utf8), Just(Encoding::Utf8Bom), Just(Encoding::Utf16LeBom)],
        crlf in any::<bool>(),
    ) {
        let terminator = if crlf { csv::Terminator::CRLF } else { csv::Terminator::Any(b'\n') };
        let mut text = Vec::new();
        let mut expected = Vec::new();
        {
            let mut w = csv::WriterBuilder::new()
                .delimiter(delimiter)
                .terminator(terminator)
                .from_writer(&mut text);
            w.write_record(["name", "place", "note"]).unwrap();
            w.flush().unwrap();
            for row in &rows {
                // A row of one empty cell is an empty line: CSV has no way
                // to tell it from none, so the generator does not write it.
                w.flush().unwrap();
                let line = 1 + breaks(w.get_ref());
                w.write_record(row).unwrap();
                expected.push((line, row.clone()));
            }
            w.flush().unwrap();
        }
        let text = String::from_utf8(text).unwrap();
        let read = read_all(&encode(&text, encoding), Some(delimiter)).unwrap();
        prop_assert_eq!(read, expected);
    }
}

#[test]
fn a_value_ending_in_cr_before_one_starting_with_lf_is_two_line_breaks() {
    let rows = read_all(b"a,b,c\n,\"\r\",\"\n\"\nx,y,z\n", None).unwrap();
    let lines: Vec<u64> = rows.iter().map(|(line, _)| *line).collect();
    assert_eq!(lines, [2, 5]);
}

#[test]
fn a_quote_opened_on_the_only_line_is_no_panic() {
    // The row number once went below zero here.
    let _ = read_all(b"\"\n", None);
    let _ = read_all(b"a\n\"\n", None);
}
