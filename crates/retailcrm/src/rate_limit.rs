//! The vendor's limit: 10 requests a second per API key (*Inferred* from the vendor's
//! published limit; the seed does not state it), answered with 429 in the vendor's error
//! format and a `Retry-After`. The account setting `retailcrm.rateLimit` set to `false`
//! stops enforcing it (load tests), as for the other dialects.

use std::time::Duration;

use axum::http::HeaderValue;
use axum::response::{IntoResponse, Response};
use twin_core::accounts::Account;
use twin_core::rate_limit::Policy;
use twin_http::{rate_limit, AppState};

use crate::error::RetailError;
use crate::DIALECT;

const LIMIT: u64 = 10;
pub const WINDOW: Duration = Duration::from_secs(1);

/// `None` when the request may go on, else the 429 answer.
pub fn check(state: &AppState, account: &Account, credential_id: &str) -> Option<Response> {
    if !rate_limit::enforced(account, DIALECT) {
        return None;
    }
    let policy = Policy::SlidingWindow {
        limit: LIMIT,
        window: WINDOW,
    };
    let now = account.now(state.core.clock.as_ref());
    let decision = rate_limit::spend(
        &state.core,
        account,
        DIALECT,
        credential_id,
        &policy,
        1,
        now,
    );
    if decision.allowed {
        return None;
    }
    Some(refusal(decision.retry_after))
}

/// The vendor's 429 with `Retry-After` in whole seconds (at least one); also a fault
/// rule's.
pub fn refusal(retry_after: Duration) -> Response {
    let mut response = RetailError::rate_limited().into_response();
    let seconds = retry_after.as_secs().max(1);
    if let Ok(value) = HeaderValue::from_str(&seconds.to_string()) {
        response.headers_mut().insert("retry-after", value);
    }
    response
}
