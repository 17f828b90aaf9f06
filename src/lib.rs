//! hisp: validate federal CX survey exports and fill the OMB A-11 Section 280
//! HISP quarterly template.
//!
//! The data moves in one straight line: [`ingest`] reads tables with their
//! positions, [`check`] binds columns to a [`schema`] and types each cell,
//! [`responses`] applies the A-11 rules and feeds [`aggregate`] in the same
//! pass, [`manifest`] joins the agency's survey list, and [`workbook`] and
//! [`render`] write the results.

pub mod aggregate;
pub mod check;
pub mod cli;
pub mod exit;
pub mod fiscal;
pub mod ingest;
pub mod init;
pub mod issue;
pub mod manifest;
pub mod mapping;
pub mod output;
pub mod preset;
pub mod progress;
pub mod render;
pub mod responses;
pub mod responses_v2;
pub mod schema;
pub mod upload;
pub mod wording;
pub mod workbook;
pub mod workbook_v2;
