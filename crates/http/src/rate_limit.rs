//! What the dialects' rate limits share: one window per credential under the account's
//! limiter prefix, and the account setting `<dialect>.rateLimit` that switches
//! enforcement off. The policy, the weights and how a refusal is answered stay with each
//! dialect, as each vendor publishes its own.

use std::time::Duration;

use chrono::{DateTime, Utc};
use twin_core::accounts::Account;
use twin_core::rate_limit::{Decision, Policy};
use twin_core::Core;

/// Spends `weight` from the credential's window in `dialect`. The key starts with the
/// account's prefix so that resetting or deleting the account forgets it.
pub fn spend(
    core: &Core,
    account: &Account,
    dialect: &str,
    credential_id: &str,
    policy: &Policy,
    weight: u64,
    now: DateTime<Utc>,
) -> Decision {
    let key = format!(
        "{}{dialect}/{credential_id}",
        twin_core::rate_limit_prefix(&account.id)
    );
    core.limiter.check(&key, policy, weight, now)
}

/// Whether the account enforces the dialect's limit: `<dialect>.rateLimit` set to `false`
/// stops it (load tests would otherwise run into it); absent or anything else keeps it.
pub fn enforced(account: &Account, dialect: &str) -> bool {
    account
        .setting(dialect, "rateLimit")
        .and_then(|v| v.as_bool())
        .unwrap_or(true)
}

/// The decision as the account's setting has it: a limit that is not enforced still
/// counts and reports (its headers stay on every answer) but refuses nothing.
pub fn as_enforced(decision: Decision, account: &Account, dialect: &str) -> Decision {
    Decision {
        allowed: decision.allowed || !enforced(account, dialect),
        ..decision
    }
}

/// The decision of a window of `limit` spent to the last request, free again after
/// `wait`: what a fault rule's 429 reports in the dialect's headers.
pub fn spent(limit: u64, wait: Duration) -> Decision {
    Decision {
        allowed: false,
        limit,
        remaining: 0,
        retry_after: wait,
        reset_after: wait,
    }
}
