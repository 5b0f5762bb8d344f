//! The per-method limits of 01-general §9 as a table: a number of calls per window for
//! each user, and hours of server time outside which a method is refused. Both answer
//! 429 in the vendor's error shape (*Inferred* texts; the docs give the code only for the
//! rate). The account's clock decides both, so a test can move to 21:00 or wait out a
//! window; the account setting `salesdoc.rateLimit: false` switches the rates off (not
//! the hours), as for the other dialects.

use std::time::Duration;

use chrono::{DateTime, Timelike, Utc};
use twin_core::accounts::Account;
use twin_core::rate_limit::Policy;
use twin_http::{rate_limit, AppState};

use crate::endpoint::SdEndpoint;
use crate::error::{SdError, SdResult};
use crate::values::server_time;
use crate::DIALECT;

/// One method's limits.
#[derive(Debug, Clone, Copy)]
pub struct Rule {
    pub endpoint: SdEndpoint,
    /// At most this many calls per window.
    pub rate: Option<(u64, Duration)>,
    /// Served only from the first hour (inclusive) to the second (exclusive), server
    /// time, across midnight when the first is the later one.
    pub hours: Option<(u32, u32)>,
}

/// The documented limits. `getStockForDate`'s "20:00–08:00 when the parameter is not
/// enabled" applies to a server setting the API does not show; Twin keeps the rate.
pub const RULES: &[Rule] = &[
    Rule {
        endpoint: SdEndpoint::SetStock,
        rate: Some((5, Duration::from_secs(5))),
        hours: None,
    },
    Rule {
        endpoint: SdEndpoint::SetCurrentBalance,
        rate: Some((3, Duration::from_secs(5 * 60))),
        hours: None,
    },
    Rule {
        endpoint: SdEndpoint::GetStockForDate,
        rate: Some((1, Duration::from_secs(5 * 60))),
        hours: None,
    },
    Rule {
        endpoint: SdEndpoint::GetStoreLog,
        rate: Some((5, Duration::from_secs(5))),
        hours: Some((20, 7)),
    },
];

fn within(hours: (u32, u32), hour: u32) -> bool {
    let (from, to) = hours;
    if from <= to {
        (from..to).contains(&hour)
    } else {
        hour >= from || hour < to
    }
}

/// Refuses the call when `rules` limit the method and the moment `now` (the account's)
/// is outside its hours or its user spent the window.
pub fn check(
    state: &AppState,
    account: &Account,
    credential_id: &str,
    endpoint: SdEndpoint,
    now: DateTime<Utc>,
    rules: &[Rule],
) -> SdResult<()> {
    let Some(rule) = rules.iter().find(|rule| rule.endpoint == endpoint) else {
        return Ok(());
    };
    let method = endpoint.method();
    if let Some(hours) = rule.hours {
        if !within(hours, server_time(now).hour()) {
            return Err(SdError::rate_limited(format!(
                "Method {method} is available only from {:02}:00 to {:02}:00",
                hours.0, hours.1
            )));
        }
    }
    let Some((limit, window)) = rule.rate else {
        return Ok(());
    };
    if !rate_limit::enforced(account, DIALECT) {
        return Ok(());
    }
    let policy = Policy::SlidingWindow { limit, window };
    let key = format!("{credential_id}/{method}");
    let decision = rate_limit::spend(&state.core, account, DIALECT, &key, &policy, 1, now);
    if decision.allowed {
        Ok(())
    } else {
        Err(too_many(method, limit, window))
    }
}

fn too_many(method: &str, limit: u64, window: Duration) -> SdError {
    SdError::rate_limited(format!(
        "Too many requests to {method}: at most {limit} per {} s",
        window.as_secs()
    ))
}

/// A fault rule's 429 for `method`: the text the method's rate limit refuses with, a
/// generic one for a method without a rate. No header announces a wait, as the vendor's
/// sends none.
pub fn refusal(method: &str) -> SdError {
    let rate = SdEndpoint::parse(method)
        .and_then(|endpoint| RULES.iter().find(|rule| rule.endpoint == endpoint))
        .and_then(|rule| rule.rate);
    match rate {
        Some((limit, window)) => too_many(method, limit, window),
        None => SdError::rate_limited(format!("Too many requests to {method}")),
    }
}
