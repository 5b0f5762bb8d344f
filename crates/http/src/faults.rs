//! Fault rules (`twin_core::faults`) applied to vendor requests. Each dialect calls
//! [`inject`] once per request, as soon as the request's endpoint and account are both
//! known (after its authentication and its own rate limit, before any work): a request
//! that fails authentication is never faulted. What a refusal looks like is the
//! dialect's: its [`Dialect::fault_answer`] renders the 429 and the 5xx, its
//! [`Dialect::plumbing_error`] the timeout.

use std::time::Duration;

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use twin_core::faults::{Action, Target};

use crate::{AppState, Dialect, Plumbing, RequestMeta, REQUEST_TIMEOUT};

/// A refusal a fault rule injects, answered in the vendor's own words.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Injected {
    /// The vendor's rate-limit answer; `retry_after` when the rule sets the wait, else
    /// the dialect announces what its limiter would.
    RateLimited { retry_after: Option<Duration> },
    /// The vendor's server error with this status (500, 502, 503 or 504).
    ServerError(StatusCode),
}

/// Marks a response the edge must not write: it closes the connection instead.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DropConnection;

/// The status the request log and metrics show for a dropped request: nginx's "closed
/// without a response".
pub const DROPPED_STATUS: u16 = 444;

/// Applies the first matching fault rule to the request `meta` describes: waits for a
/// latency rule and returns `None` (the request goes on), or returns the answer that
/// replaces the dialect's. `None` too when no rule fires or the endpoint or account is
/// not known yet.
pub async fn inject<D: Dialect>(state: &AppState, meta: Option<&RequestMeta>) -> Option<Response> {
    if state.core.faults.is_empty() {
        return None;
    }
    let learned = meta?.learned();
    let endpoint = learned.endpoint?;
    let target = Target {
        dialect: D::NAME,
        endpoint,
        account: learned.account.as_deref()?,
    };
    match state.core.faults.fire(target)? {
        Action::Latency { ms } => {
            tokio::time::sleep(Duration::from_millis(ms)).await;
            None
        }
        Action::RateLimit { retry_after_ms } => {
            let retry_after = retry_after_ms.map(Duration::from_millis);
            Some(D::fault_answer(
                Injected::RateLimited { retry_after },
                endpoint,
            ))
        }
        Action::Error { status } => {
            let status = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
            Some(D::fault_answer(Injected::ServerError(status), endpoint))
        }
        Action::Timeout { ms } => {
            let hold = ms.map_or(REQUEST_TIMEOUT, Duration::from_millis);
            tokio::time::sleep(hold).await;
            Some(D::plumbing_error(Plumbing::Timeout))
        }
        Action::Drop {} => Some(dropped()),
    }
}

/// The English words of a server error, for the dialects whose errors carry a text.
pub fn server_error_text(status: StatusCode) -> &'static str {
    match status.as_u16() {
        502 => "Bad gateway",
        503 => "Service unavailable",
        504 => "Gateway timeout",
        _ => "Internal server error",
    }
}

fn dropped() -> Response {
    let status = StatusCode::from_u16(DROPPED_STATUS).unwrap_or(StatusCode::BAD_GATEWAY);
    let mut response = status.into_response();
    response.extensions_mut().insert(DropConnection);
    response
}
