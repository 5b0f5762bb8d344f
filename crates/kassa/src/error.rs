//! Kassa's error wire format, `{"message","code","details":[...]}`, and every status the
//! seed lists. The seed documents one code, `VALIDATION_ERROR`, with one `details` line
//! per field (`"field: text"`, texts of the vendor's validator); the other codes and
//! messages are Twin's (see docs/kassa/fidelity.md).

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::json;
use twin_core::CoreError;

pub type KassaResult<T> = Result<T, KassaError>;

#[derive(Debug, Clone, PartialEq)]
pub struct KassaError {
    pub status: StatusCode,
    pub code: &'static str,
    pub message: String,
    pub details: Vec<String>,
}

/// Validator texts the vendor's `details` lines use.
pub mod texts {
    pub const BLANK: &str = "This value should not be blank.";
    pub const CHOICE: &str = "The value you selected is not a valid choice.";
    pub const UUID: &str = "This is not a valid UUID.";
    pub const EMAIL: &str = "This value is not a valid email address.";
    pub const DATETIME: &str = "This value is not a valid datetime.";
    pub const NOT_NEGATIVE: &str = "This value should be either positive or zero.";
    pub const POSITIVE: &str = "This value should be positive.";
    pub const NOT_FOUND: &str = "The referenced object was not found.";
    pub const TOO_LONG: &str = "This value is too long. It should have {} characters or less.";
    pub const NOT_VALID: &str = "This value is not valid.";
    pub const NUMBER: &str = "This value should be a valid number.";
    pub const URL: &str = "This value is not a valid URL.";
    /// A valid URL outside the deployment's webhook allow-list (Twin's own limit, worded
    /// as the vendor's validation messages are).
    pub const URL_NOT_ALLOWED: &str = "This URL is not an allowed webhook destination.";
    pub const COUNT_MIN_ONE: &str = "This collection should contain 1 element or more.";
    pub const MULTIPLE_CHOICE: &str = "One or more of the given values is invalid.";
    pub const SHOULD_BE_BLANK: &str = "This value should be blank.";
    pub const CATEGORY_TYPE: &str = "The category is not for this cash movement.";
}

impl KassaError {
    pub fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> Self {
        Self {
            status,
            code,
            message: message.into(),
            details: Vec::new(),
        }
    }

    /// 400 with one `details` line per problem, each `"field: text"`.
    pub fn validation(details: Vec<String>) -> Self {
        Self {
            details,
            ..Self::new(
                StatusCode::BAD_REQUEST,
                "VALIDATION_ERROR",
                "Request params validation error",
            )
        }
    }

    /// 400 for one field.
    pub fn field(name: &str, text: &str) -> Self {
        Self::validation(vec![format!("{name}: {text}")])
    }

    /// 400 for a body that is not a JSON object.
    pub fn bad_json() -> Self {
        Self::new(
            StatusCode::BAD_REQUEST,
            "VALIDATION_ERROR",
            "Request body is not valid JSON",
        )
    }

    /// 401: a token header is missing.
    pub fn no_token() -> Self {
        Self::new(
            StatusCode::UNAUTHORIZED,
            "UNAUTHORIZED",
            "Authentication token is not set",
        )
    }

    /// 402: the account's cash register subscription is not active.
    pub fn no_subscription() -> Self {
        Self::new(
            StatusCode::PAYMENT_REQUIRED,
            "PAYMENT_REQUIRED",
            "No active cash register subscription",
        )
    }

    /// 403: the token, or the application id and secret, match nothing.
    pub fn invalid_token() -> Self {
        Self::new(
            StatusCode::FORBIDDEN,
            "FORBIDDEN",
            "Invalid authentication token",
        )
    }

    pub fn not_found() -> Self {
        Self::new(StatusCode::NOT_FOUND, "NOT_FOUND", "Resource not found")
    }

    pub fn method_not_allowed() -> Self {
        Self::new(
            StatusCode::METHOD_NOT_ALLOWED,
            "METHOD_NOT_ALLOWED",
            "Method not allowed",
        )
    }

    pub fn rate_limited() -> Self {
        Self::new(
            StatusCode::TOO_MANY_REQUESTS,
            "TOO_MANY_REQUESTS",
            "Request limit exceeded",
        )
    }

    pub fn too_large() -> Self {
        Self::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "PAYLOAD_TOO_LARGE",
            "Request body is too large",
        )
    }

    pub fn timeout() -> Self {
        Self::new(
            StatusCode::GATEWAY_TIMEOUT,
            "TIMEOUT",
            "Request processing timed out",
        )
    }

    /// A 5xx of the server itself (a fault rule's): 500 as [`Self::internal`], 504 as
    /// [`Self::timeout`].
    pub fn server_error(status: StatusCode) -> Self {
        let code = match status.as_u16() {
            502 => "BAD_GATEWAY",
            503 => "SERVICE_UNAVAILABLE",
            504 => return Self::timeout(),
            _ => return Self::internal(),
        };
        Self::new(status, code, twin_http::faults::server_error_text(status))
    }

    pub fn internal() -> Self {
        Self::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "INTERNAL_ERROR",
            "Internal server error",
        )
    }
}

impl From<CoreError> for KassaError {
    fn from(error: CoreError) -> Self {
        match error {
            CoreError::NotFound(_) => Self::not_found(),
            CoreError::Validation { field, message } => Self::field(&field, &message),
            CoreError::Conflict(message) => Self::field("id", &message),
            CoreError::RateLimited { .. } => Self::rate_limited(),
            CoreError::Unauthorized => Self::no_token(),
            CoreError::Forbidden(_) => Self::invalid_token(),
            CoreError::Internal(message) => {
                tracing::error!(%message, "kassa: internal error");
                Self::internal()
            }
        }
    }
}

impl IntoResponse for KassaError {
    fn into_response(self) -> Response {
        let body = json!({
            "message": self.message,
            "code": self.code,
            "details": self.details,
        });
        let mut response = (self.status, body.to_string()).into_response();
        response.headers_mut().insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        );
        response
    }
}
