//! Answers in the vendor's envelopes (01-general §4): a GET page with its `pagination`,
//! and any other success.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::{json, Value};

/// 200 with the body.
pub fn ok(body: Value) -> Response {
    (StatusCode::OK, axum::Json(body)).into_response()
}

/// A GET method's page: `{status: true, result: {<key>: [...]}, pagination: {limit,
/// total, page}}`.
pub fn page(key: &str, items: Vec<Value>, limit: u32, total: u64, page: u64) -> Response {
    ok(json!({
        "status": true,
        "result": { key: items },
        "pagination": { "limit": limit, "total": total, "page": page },
    }))
}
