//! The layer around every dialect's routes: a request id, the body limit and timeout
//! (answered in the dialect's own error format), metrics, and a request-log entry with
//! secrets masked.

use std::sync::Arc;
use std::time::Instant;

use axum::body::{to_bytes, Body, Bytes};
use axum::extract::Request;
use axum::http::{HeaderMap, HeaderValue};
use axum::middleware::{from_fn, Next};
use axum::response::Response;
use axum::Router;
use futures_util::StreamExt;
use serde_json::{Map, Value};
use twin_core::request_log::{is_secret, mask_body, mask_pairs, MASK};
use twin_store::NewLogEntry;

use crate::{AppState, Plumbing, RequestMeta, BODY_LIMIT, REQUEST_TIMEOUT};

pub const REQUEST_ID_HEADER: &str = "x-request-id";

/// How much of each body the request log keeps.
const LOGGED_BODY_BYTES: usize = 64 * 1024;

/// Endpoint label of requests no route claimed.
const UNMATCHED: &str = "unmatched";

#[derive(Clone, Copy)]
pub struct Observe {
    pub dialect: &'static str,
    /// Whether requests go to the request log (vendor traffic does; admin calls do not).
    pub log: bool,
    pub render: fn(Plumbing) -> Response,
}

pub fn observe(router: Router, state: AppState, how: Observe) -> Router {
    router.layer(from_fn(move |request: Request, next: Next| {
        let state = state.clone();
        async move { handle(state, how, request, next).await }
    }))
}

async fn handle(state: AppState, how: Observe, request: Request, next: Next) -> Response {
    let started = Instant::now();
    let at = state.core.clock.now();
    let meta = Arc::new(RequestMeta::default());
    let (mut parts, body) = request.into_parts();
    parts.extensions.insert(meta.clone());
    let request_id = parts
        .headers
        .get(REQUEST_ID_HEADER)
        .and_then(|v| v.to_str().ok())
        .filter(|v| !v.is_empty() && v.len() <= 128)
        .map(str::to_owned)
        .unwrap_or_else(|| uuid::Uuid::new_v4().simple().to_string());
    let method = parts.method.to_string();
    let path = parts.uri.path().to_owned();
    let query = parts.uri.query().map(mask_pairs);
    let headers = masked_headers(&parts.headers);

    // One deadline for reading the body and answering: a client that trickles its body
    // holds a connection no longer than a slow handler may.
    let deadline = tokio::time::Instant::now() + REQUEST_TIMEOUT;
    let (request_body, response) = match tokio::time::timeout_at(deadline, read_body(body)).await {
        Err(_) => (Bytes::new(), (how.render)(Plumbing::Timeout)),
        Ok(None) => (Bytes::new(), (how.render)(Plumbing::PayloadTooLarge)),
        Ok(Some(bytes)) => {
            let request = Request::from_parts(parts, Body::from(bytes.clone()));
            let response = tokio::time::timeout_at(deadline, next.run(request))
                .await
                .unwrap_or_else(|_| (how.render)(Plumbing::Timeout));
            (bytes, response)
        }
    };

    let (mut response_parts, response_body) = response.into_parts();
    let response_body = to_bytes(response_body, usize::MAX)
        .await
        .unwrap_or_default();
    if let Ok(value) = HeaderValue::from_str(&request_id) {
        response_parts.headers.insert(REQUEST_ID_HEADER, value);
    }
    let learned = meta.learned();
    let endpoint = learned.endpoint.unwrap_or(UNMATCHED);
    let status = response_parts.status.as_u16();
    let latency = started.elapsed();
    state.metrics.record(how.dialect, endpoint, status, latency);
    if how.log {
        let entry = NewLogEntry {
            at,
            request_id,
            account: learned.account,
            dialect: how.dialect.to_owned(),
            endpoint: endpoint.to_owned(),
            method,
            path,
            query,
            status,
            latency_ms: latency.as_millis() as u64,
            request_headers: headers,
            request_body: logged_body(&request_body),
            response_body: logged_body(&response_body),
        };
        state.core.log.record(entry).await;
    }
    Response::from_parts(response_parts, Body::from(response_body))
}

/// How much of an oversized body is read and dropped before answering, so a client that
/// writes its whole body sees the 413 rather than a broken connection.
const DRAINED_BYTES: usize = 4 * BODY_LIMIT;

/// The body, or `None` when it is over the limit (or breaks off).
async fn read_body(body: Body) -> Option<Bytes> {
    let mut stream = body.into_data_stream();
    let mut kept = Vec::new();
    let mut seen = 0usize;
    while let Some(chunk) = stream.next().await {
        let chunk = chunk.ok()?;
        seen += chunk.len();
        if seen > DRAINED_BYTES {
            return None;
        }
        if seen <= BODY_LIMIT {
            kept.extend_from_slice(&chunk);
        }
    }
    (seen <= BODY_LIMIT).then(|| Bytes::from(kept))
}

fn masked_headers(headers: &HeaderMap) -> Value {
    let mut masked = Map::new();
    for (name, value) in headers {
        let value = if is_secret(name.as_str()) {
            MASK.to_owned()
        } else {
            String::from_utf8_lossy(value.as_bytes()).into_owned()
        };
        masked.insert(name.as_str().to_owned(), Value::String(value));
    }
    Value::Object(masked)
}

fn logged_body(body: &[u8]) -> Option<String> {
    if body.is_empty() {
        return None;
    }
    let kept = &body[..body.len().min(LOGGED_BODY_BYTES)];
    Some(mask_body(&String::from_utf8_lossy(kept)))
}
