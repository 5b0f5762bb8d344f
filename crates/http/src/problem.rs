//! Errors of Twin's own APIs (admin, and the admin routes dialects add) as RFC 9457
//! problem documents.

use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::json;
use twin_core::CoreError;

#[derive(Debug)]
pub struct Problem {
    pub status: StatusCode,
    pub title: &'static str,
    pub detail: String,
}

impl Problem {
    pub fn new(status: StatusCode, title: &'static str, detail: impl Into<String>) -> Self {
        Self {
            status,
            title,
            detail: detail.into(),
        }
    }

    pub fn bad_request(detail: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, "Bad request", detail)
    }
}

impl IntoResponse for Problem {
    fn into_response(self) -> Response {
        let body = json!({
            "type": "about:blank",
            "title": self.title,
            "status": self.status.as_u16(),
            "detail": self.detail,
        });
        (
            self.status,
            [(header::CONTENT_TYPE, "application/problem+json")],
            body.to_string(),
        )
            .into_response()
    }
}

impl From<CoreError> for Problem {
    fn from(error: CoreError) -> Self {
        let detail = error.to_string();
        match error {
            CoreError::NotFound(_) => Self::new(StatusCode::NOT_FOUND, "Not found", detail),
            CoreError::Validation { .. } => {
                Self::new(StatusCode::UNPROCESSABLE_ENTITY, "Invalid value", detail)
            }
            CoreError::Conflict(_) => Self::new(StatusCode::CONFLICT, "Conflict", detail),
            CoreError::RateLimited { .. } => {
                Self::new(StatusCode::TOO_MANY_REQUESTS, "Too many requests", detail)
            }
            CoreError::Unauthorized => Self::new(StatusCode::UNAUTHORIZED, "Unauthorized", detail),
            CoreError::Forbidden(_) => Self::new(StatusCode::FORBIDDEN, "Forbidden", detail),
            CoreError::Internal(_) => {
                tracing::error!(%detail, "admin request failed");
                Self::new(StatusCode::INTERNAL_SERVER_ERROR, "Internal error", detail)
            }
        }
    }
}
