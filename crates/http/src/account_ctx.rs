//! The per-request context a dialect's handlers work in, built the same way by every
//! dialect that authenticates a request to one account and one credential.

use chrono::{DateTime, Utc};
use twin_core::accounts::Account;
use twin_core::credentials::Credential;
use twin_core::Core;
use twin_store::Scope;

/// One account's data in one dialect, as the request's credential sees it. Dialects wrap
/// it in their own `Ctx` (dereferencing to this) to add what only they need, so the
/// fields and their construction stay in one place.
pub struct AccountCtx {
    pub core: Core,
    pub account: Account,
    /// The account's store scope for the dialect.
    pub scope: Scope,
    /// The account's clock at the start of the request: one request sees one moment,
    /// even when a test advances the clock meanwhile.
    pub now: DateTime<Utc>,
    /// The credential that authenticated the request.
    pub credential: Credential,
}

impl AccountCtx {
    pub fn new(core: Core, account: Account, credential: Credential, dialect: &str) -> Self {
        let now = account.now(core.clock.as_ref());
        Self {
            scope: account.scope(dialect),
            core,
            account,
            now,
            credential,
        }
    }
}
