//! Exit statuses, and the error type that carries one to `main`.

use std::fmt;

/// The documented exit statuses of `hisp`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// Success; warnings allowed (unless `--strict`).
    Ok = 0,
    /// The data has errors (or warnings under `--strict`).
    DataErrors = 1,
    /// Usage or configuration error: bad flags, schema, mapping file.
    Usage = 2,
    /// An input file is missing or cannot be read or parsed as a table.
    InputUnreadable = 66,
    /// An output file cannot be created or written.
    OutputUnwritable = 73,
}

impl Status {
    pub fn code(self) -> u8 {
        self as u8
    }
}

/// An error that ends the run with a given exit status.
#[derive(Debug)]
pub struct Failure {
    pub status: Status,
    pub error: anyhow::Error,
}

impl Failure {
    pub fn new(status: Status, error: impl Into<anyhow::Error>) -> Self {
        Failure {
            status,
            error: error.into(),
        }
    }
    pub fn usage(error: impl Into<anyhow::Error>) -> Self {
        Self::new(Status::Usage, error)
    }
    pub fn input(error: impl Into<anyhow::Error>) -> Self {
        Self::new(Status::InputUnreadable, error)
    }
    pub fn output(error: impl Into<anyhow::Error>) -> Self {
        Self::new(Status::OutputUnwritable, error)
    }
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:#}", self.error)
    }
}

pub type Result<T> = std::result::Result<T, Failure>;

/// Attach an exit status to any error with context.
pub trait WithStatus<T> {
    fn or_status(self, status: Status) -> Result<T>;
}

impl<T, E: Into<anyhow::Error>> WithStatus<T> for std::result::Result<T, E> {
    fn or_status(self, status: Status) -> Result<T> {
        self.map_err(|e| Failure::new(status, e))
    }
}
