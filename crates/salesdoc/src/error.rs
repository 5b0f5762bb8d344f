//! SalesDoc's whole-request error: `{"status": false, "error": {"code", "message"}}`
//! (01-general §4, §8). The HTTP status mirrors `error.code` (*Inferred*: the docs give
//! only the body's code), so a client checking either sees the same failure.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::json;
use twin_core::CoreError;

pub type SdResult<T> = Result<T, SdError>;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SdError {
    pub code: u16,
    pub message: String,
}

impl SdError {
    pub fn new(code: u16, message: impl Into<String>) -> Self {
        Self {
            code,
            message: message.into(),
        }
    }

    /// 400: bad request data.
    pub fn bad_request(message: impl Into<String>) -> Self {
        Self::new(400, message)
    }

    /// 400 before authentication: the body is empty.
    pub fn empty_body() -> Self {
        Self::bad_request("Empty request body")
    }

    /// 400 before authentication: the body is no JSON.
    pub fn not_json() -> Self {
        Self::bad_request("Invalid request format. Request must be JSON")
    }

    /// 400 before authentication: no `method`.
    pub fn method_missing() -> Self {
        Self::bad_request("Required field \"method\" is missing")
    }

    /// 401 with one of the documented (or *Inferred*) texts.
    pub fn unauthorized(message: &str) -> Self {
        Self::new(401, message)
    }

    /// 402: no such method (*Inferred* text).
    pub fn method_not_found() -> Self {
        Self::new(402, "Method not found")
    }

    /// 403: the method is on the account's list of disabled methods (*Inferred* text).
    pub fn method_disabled(method: &str) -> Self {
        Self::new(403, format!("Access to method {method} is denied"))
    }

    /// 407: a group of a SET request holds more records than the limit (the documented
    /// text).
    pub fn too_many_records(items: usize, limit: usize) -> Self {
        Self::new(
            407,
            format!("Limit error::> request items: {items} limit: {limit}"),
        )
    }

    /// 429: the method's rate limit or time window refused the call.
    pub fn rate_limited(message: impl Into<String>) -> Self {
        Self::new(429, message)
    }

    /// 405: the API takes POST only (*Inferred* text).
    pub fn post_only() -> Self {
        Self::new(405, "Only POST requests are accepted")
    }

    pub fn body(&self) -> serde_json::Value {
        json!({ "status": false, "error": { "code": self.code, "message": self.message } })
    }
}

/// The HTTP status an answer with this `error.code` carries.
pub fn http_status(code: u16) -> StatusCode {
    StatusCode::from_u16(code).unwrap_or(StatusCode::BAD_REQUEST)
}

impl IntoResponse for SdError {
    fn into_response(self) -> Response {
        (http_status(self.code), axum::Json(self.body())).into_response()
    }
}

impl From<CoreError> for SdError {
    fn from(error: CoreError) -> Self {
        match error {
            CoreError::Validation { .. } | CoreError::Conflict(_) | CoreError::NotFound(_) => {
                Self::bad_request(error.to_string())
            }
            other => Self::new(500, other.to_string()),
        }
    }
}

impl From<twin_store::StoreError> for SdError {
    fn from(error: twin_store::StoreError) -> Self {
        CoreError::from(error).into()
    }
}
