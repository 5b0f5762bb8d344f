//! RetailCRM's error wire format: `{"success":false,"errorMsg":"...","errors":{field: text}}`
//! with the vendor's statuses (400 bad input, 401/403 access, 404 missing, 429 limit).
//! `errors` appears only when there are field problems. Texts not documented in the seed
//! are *Inferred* (docs/retailcrm/fidelity.md).

use std::collections::BTreeMap;

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::{json, Map, Value};
use twin_core::CoreError;

pub type RetailResult<T> = Result<T, RetailError>;

#[derive(Debug, Clone, PartialEq)]
pub struct RetailError {
    pub status: StatusCode,
    pub message: String,
    pub errors: BTreeMap<String, String>,
    /// Further members of the answer (a combined customer's `combinedTo`).
    pub extra: Map<String, Value>,
}

/// The vendor's validator texts (Symfony's).
pub mod texts {
    pub const BLANK: &str = "This value should not be blank.";
    pub const CHOICE: &str = "The value you selected is not a valid choice.";
    pub const INTEGER: &str = "This value should be of type integer.";
    pub const POSITIVE_OR_ZERO: &str = "This value should be greater than or equal to 0.";
    pub const AT_LEAST_ONE: &str = "This value should be greater than or equal to 1.";
    pub const TOO_LONG: &str = "This value is too long. It should have 255 characters or less.";
    pub const EMAIL: &str = "This value is not a valid email address.";
    pub const DATETIME: &str = "This value is not a valid datetime.";
    pub const DATE: &str = "This value is not a valid date.";
    pub const BOOLEAN: &str = "This value should be of type boolean.";
    pub const NUMBER: &str = "This value should be of type numeric.";
}

impl RetailError {
    pub fn new(status: StatusCode, message: impl Into<String>) -> Self {
        Self {
            status,
            message: message.into(),
            errors: BTreeMap::new(),
            extra: Map::new(),
        }
    }

    /// 400 `Errors in the input parameters`: query and form parameters.
    pub fn parameters(errors: BTreeMap<String, String>) -> Self {
        Self {
            errors,
            ..Self::new(StatusCode::BAD_REQUEST, "Errors in the input parameters")
        }
    }

    /// 400 for one parameter.
    pub fn parameter(name: &str, text: &str) -> Self {
        Self::parameters(BTreeMap::from([(name.to_owned(), text.to_owned())]))
    }

    /// 400 `Errors in the entity format`: the entity document of a write.
    pub fn entity(errors: BTreeMap<String, String>) -> Self {
        Self {
            errors,
            ..Self::new(StatusCode::BAD_REQUEST, "Errors in the entity format")
        }
    }

    /// 400 with a message of its own and no field list.
    pub fn bad_request(message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, message)
    }

    /// 401: no key in the header nor in the query.
    pub fn key_missing() -> Self {
        Self::new(StatusCode::UNAUTHORIZED, "\"apiKey\" is missing.")
    }

    /// 401: a key that names no credential.
    pub fn key_wrong() -> Self {
        Self::new(StatusCode::UNAUTHORIZED, "Wrong \"apiKey\" value.")
    }

    /// 403: the key lacks the method's permission. *Inferred* text.
    pub fn access_denied() -> Self {
        Self::new(StatusCode::FORBIDDEN, "Access denied.")
    }

    /// 403: the key may not reach this site. *Inferred* text.
    pub fn site_denied(site: &str) -> Self {
        Self::new(
            StatusCode::FORBIDDEN,
            format!("Access to site \"{site}\" is denied for this API key."),
        )
    }

    pub fn not_found() -> Self {
        Self::new(StatusCode::NOT_FOUND, "Not found")
    }

    /// Adds a member to the answer.
    pub fn with(mut self, name: &str, value: Value) -> Self {
        self.extra.insert(name.to_owned(), value);
        self
    }

    /// A path under `/api` that names no method.
    pub fn no_method() -> Self {
        Self::new(StatusCode::NOT_FOUND, "API method not found")
    }

    pub fn method_not_allowed() -> Self {
        Self::new(StatusCode::METHOD_NOT_ALLOWED, "Method not allowed")
    }

    pub fn rate_limited() -> Self {
        Self::new(StatusCode::TOO_MANY_REQUESTS, "Rate limit exceeded")
    }

    pub fn too_large() -> Self {
        Self::new(StatusCode::PAYLOAD_TOO_LARGE, "Request body is too large")
    }

    pub fn timeout() -> Self {
        Self::new(StatusCode::GATEWAY_TIMEOUT, "Request processing timed out")
    }

    pub fn internal() -> Self {
        Self::new(StatusCode::INTERNAL_SERVER_ERROR, "Internal server error")
    }
}

impl From<CoreError> for RetailError {
    fn from(error: CoreError) -> Self {
        match error {
            CoreError::NotFound(_) => Self::not_found(),
            CoreError::Validation { field, message } => Self::parameter(&field, &message),
            CoreError::Conflict(message) => Self::bad_request(message),
            CoreError::RateLimited { .. } => Self::rate_limited(),
            CoreError::Unauthorized => Self::key_wrong(),
            CoreError::Forbidden(_) => Self::access_denied(),
            CoreError::Internal(message) => {
                tracing::error!(%message, "retailcrm: internal error");
                Self::internal()
            }
        }
    }
}

impl IntoResponse for RetailError {
    fn into_response(self) -> Response {
        let mut body = json!({ "success": false, "errorMsg": self.message });
        if !self.errors.is_empty() {
            body["errors"] = Value::Object(
                self.errors
                    .into_iter()
                    .map(|(k, v)| (k, Value::String(v)))
                    .collect(),
            );
        }
        if let Value::Object(members) = &mut body {
            members.extend(self.extra);
        }
        (self.status, axum::Json(body)).into_response()
    }
}
