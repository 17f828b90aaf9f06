//! Any bytes as an .xls workbook, through the whole pass.
#![no_main]

libfuzzer_sys::fuzz_target!(|bytes: &[u8]| hisp::fuzz::xls(bytes));
