//! The vendor's published limit: 45 requests per 3-second window per user, reported in
//! `X-RateLimit-*` and `X-Lognex-*` headers on every answer. An account's setting
//! `moysklad.rateLimit` changes it: `false` stops enforcing it (load tests; the headers
//! stay), a number sets the requests allowed per window.

use std::time::Duration;

use axum::http::{HeaderMap, HeaderValue};
use axum::response::{IntoResponse, Response};
use twin_core::rate_limit::{Decision, Policy};
use twin_http::{rate_limit, AppState};

use crate::auth::Session;
use crate::error::MsError;
use crate::DIALECT;

const LIMIT: u64 = 45;
const WINDOW: Duration = Duration::from_secs(3);

pub fn check(state: &AppState, session: &Session) -> Decision {
    let account = &session.account;
    let limit = account
        .setting(DIALECT, "rateLimit")
        .and_then(|v| v.as_u64())
        .filter(|l| *l > 0)
        .unwrap_or(LIMIT);
    let policy = Policy::SlidingWindow {
        limit,
        window: WINDOW,
    };
    let decision = rate_limit::spend(
        &state.core,
        account,
        DIALECT,
        &session.credential.id,
        &policy,
        1,
        state.core.clock.now(),
    );
    rate_limit::as_enforced(decision, account, DIALECT)
}

pub fn headers(decision: &Decision, headers: &mut HeaderMap) {
    let mut set = |name: &'static str, value: u128| {
        if let Ok(value) = HeaderValue::from_str(&value.to_string()) {
            headers.insert(name, value);
        }
    };
    set("x-ratelimit-limit", u128::from(decision.limit));
    set("x-lognex-retry-timeinterval", WINDOW.as_millis());
    set("x-ratelimit-remaining", u128::from(decision.remaining));
    set("x-lognex-reset", decision.reset_after.as_millis());
    if !decision.allowed {
        set("x-lognex-retry-after", decision.retry_after.as_millis());
    }
}

/// The 429 a spent window answers, for a fault rule: error 1049 with the window's headers,
/// the wait `retry_after` (a whole window by default); the limit shown is the default one
/// until [`with_account_limit`] puts the account's in.
pub fn refusal(retry_after: Option<Duration>) -> Response {
    let decision = rate_limit::spent(LIMIT, retry_after.unwrap_or(WINDOW));
    let mut response = MsError::rate_limited().into_response();
    headers(&decision, response.headers_mut());
    response
}

/// A fault rule's answer as the account's limiter would give it: an injected 429 shows the
/// limit the account's `moysklad.rateLimit` sets (what `decision` was checked against).
pub fn with_account_limit(mut faulted: Response, decision: &Decision) -> Response {
    if faulted.status() == axum::http::StatusCode::TOO_MANY_REQUESTS {
        if let Ok(limit) = HeaderValue::from_str(&decision.limit.to_string()) {
            faulted.headers_mut().insert("x-ratelimit-limit", limit);
        }
    }
    faulted
}
