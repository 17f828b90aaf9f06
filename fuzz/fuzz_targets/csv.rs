//! Any bytes as a CSV export, through the whole pass.
#![no_main]

libfuzzer_sys::fuzz_target!(|bytes: &[u8]| hisp::fuzz::csv(bytes));
