use thiserror::Error;

use crate::DocKey;

pub type StoreResult<T> = Result<T, StoreError>;

#[derive(Debug, Error)]
pub enum StoreError {
    /// A put or delete whose [`crate::Expect`] did not hold.
    #[error("version conflict on {0}")]
    Conflict(DocKey),
    /// A put whose unique lookup already belongs to another document.
    #[error("lookup {name}={value} of {kind} is already taken by {holder}")]
    Duplicate {
        kind: String,
        name: String,
        value: String,
        holder: String,
    },
    #[error("not found: {0}")]
    NotFound(String),
    /// A query the backend refuses (a malformed cursor, say).
    #[error("invalid query: {0}")]
    Invalid(String),
    #[error("storage failure: {0}")]
    Backend(String),
}
