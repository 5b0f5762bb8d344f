use std::time::Duration;

use thiserror::Error;
use twin_store::StoreError;

pub type CoreResult<T> = Result<T, CoreError>;

/// What went wrong, in terms every dialect maps once to its vendor's wire format.
#[derive(Debug, Error)]
pub enum CoreError {
    #[error("{0} not found")]
    NotFound(String),
    #[error("{field}: {message}")]
    Validation { field: String, message: String },
    #[error("conflict: {0}")]
    Conflict(String),
    #[error("rate limit exceeded")]
    RateLimited { retry_after: Duration },
    #[error("authentication required")]
    Unauthorized,
    #[error("forbidden: {0}")]
    Forbidden(String),
    #[error("internal error: {0}")]
    Internal(String),
}

impl CoreError {
    pub fn validation(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self::Validation {
            field: field.into(),
            message: message.into(),
        }
    }
}

impl From<StoreError> for CoreError {
    fn from(error: StoreError) -> Self {
        match error {
            StoreError::Conflict(key) => Self::Conflict(format!("{key} was changed concurrently")),
            StoreError::Duplicate { name, value, .. } => {
                Self::Conflict(format!("{name} {value:?} is already taken"))
            }
            StoreError::NotFound(what) => Self::NotFound(what),
            StoreError::Invalid(message) => Self::validation("query", message),
            StoreError::Backend(message) => Self::Internal(message),
        }
    }
}
