//! The vendor's sliding window: 60 requests a minute per client token, the heavy calls
//! counting 15 or 30 (`KassaEndpoint::weight`), with `RateLimit-Limit` and
//! `RateLimit-Remaining` on every answer. The account setting `kassa.rateLimit` set to
//! `false` stops enforcing it (load tests; the headers stay).

use std::time::Duration;

use axum::http::{HeaderMap, HeaderValue};
use axum::response::{IntoResponse, Response};
use twin_core::accounts::Account;
use twin_core::rate_limit::{Decision, Policy};
use twin_http::{rate_limit, AppState};

use crate::endpoint::KassaEndpoint;
use crate::error::KassaError;
use crate::DIALECT;

const LIMIT: u64 = 60;
const WINDOW: Duration = Duration::from_secs(60);

/// Spends the endpoint's weight from the client token's window.
pub fn check(
    state: &AppState,
    account: &Account,
    token_key: &str,
    endpoint: KassaEndpoint,
) -> Decision {
    let policy = Policy::SlidingWindow {
        limit: LIMIT,
        window: WINDOW,
    };
    let decision = rate_limit::spend(
        &state.core,
        account,
        DIALECT,
        token_key,
        &policy,
        endpoint.weight(),
        account.now(state.core.clock.as_ref()),
    );
    rate_limit::as_enforced(decision, account, DIALECT)
}

pub fn headers(decision: &Decision, headers: &mut HeaderMap) {
    let mut set = |name: &'static str, value: u64| {
        if let Ok(value) = HeaderValue::from_str(&value.to_string()) {
            headers.insert(name, value);
        }
    };
    set("ratelimit-limit", decision.limit);
    set("ratelimit-remaining", decision.remaining);
    if !decision.allowed {
        set("retry-after", decision.retry_after.as_secs().max(1));
    }
}

/// The 429 a spent window answers, for a fault rule: with `RateLimit-*` and `Retry-After`
/// as the limiter sends them, the wait `retry_after` (a whole window by default).
pub fn refusal(retry_after: Option<Duration>) -> Response {
    let decision = rate_limit::spent(LIMIT, retry_after.unwrap_or(WINDOW));
    let mut response = KassaError::rate_limited().into_response();
    headers(&decision, response.headers_mut());
    response
}
