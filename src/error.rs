//! What can stop a run before it has a result. Findings in the data are not
//! errors: they are results, in [`crate::Findings`]. The binary chooses exit
//! statuses from these variants; the library never does.

use std::io;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Options, schema, mapping file, sheet or header row: the run was
    /// asked for something it cannot do.
    #[error("{0:#}")]
    Config(anyhow::Error),
    /// An input is missing, unreadable, or not a table.
    #[error("{0:#}")]
    Input(anyhow::Error),
    /// An output cannot be created or written.
    #[error("{0:#}")]
    Output(anyhow::Error),
}

impl Error {
    pub(crate) fn config(e: impl Into<anyhow::Error>) -> Error {
        Error::Config(e.into())
    }
    pub(crate) fn input(e: impl Into<anyhow::Error>) -> Error {
        Error::Input(e.into())
    }

    /// The reader of our output went away (`hisp … | head`): not a failure.
    pub fn is_broken_pipe(&self) -> bool {
        match self {
            Error::Output(e) => e.chain().any(|c| {
                c.downcast_ref::<io::Error>()
                    .is_some_and(|io| io.kind() == io::ErrorKind::BrokenPipe)
            }),
            _ => false,
        }
    }
}

pub type Result<T> = std::result::Result<T, Error>;

/// A csv error as the io error it wraps, when it wraps one: the csv crate's
/// own conversion hides the io error (and so a broken pipe) inside `Other`.
pub(crate) fn csv_io(e: csv::Error) -> io::Error {
    if matches!(e.kind(), csv::ErrorKind::Io(_)) {
        match e.into_kind() {
            csv::ErrorKind::Io(io) => return io,
            _ => unreachable!("checked above"),
        }
    }
    io::Error::other(e)
}
