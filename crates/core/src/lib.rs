//! Twin's services over the store, with no HTTP in sight: accounts and their
//! credentials, entities with versions and history, rate limits, the webhook outbox and
//! its delivery worker, the request log, fault rules, and the clock and id generator
//! that tests and demos control.

pub mod accounts;
pub mod clock;
pub mod credentials;
pub mod destinations;
pub mod entities;
mod error;
pub mod faults;
pub mod ids;
pub mod jobs;
pub mod links;
pub mod login_guard;
pub mod media;
pub mod rate_limit;
pub mod request_log;
pub mod stats;
pub mod webhooks;

use std::sync::Arc;

pub use error::{CoreError, CoreResult};
use twin_store::Store;

/// The vendor dialects Twin speaks; each account keeps one data set per dialect.
pub const DIALECTS: [&str; 4] = ["retailcrm", "moysklad", "kassa", "salesdoc"];

/// Twin's own bookkeeping (accounts, credentials) lives in this scope of the store,
/// outside every account.
pub const SYSTEM_ACCOUNT: &str = "_system";

/// The services, built once at start and shared by every request.
#[derive(Clone)]
pub struct Core {
    pub store: Arc<dyn Store>,
    pub clock: Arc<dyn clock::Clock>,
    pub accounts: accounts::Accounts,
    pub credentials: credentials::Credentials,
    pub entities: entities::Entities,
    pub ids: ids::Ids,
    pub limiter: Arc<rate_limit::RateLimiter>,
    pub login_guard: Arc<login_guard::LoginGuard>,
    pub log: request_log::RequestLog,
    pub webhook_stats: Arc<webhooks::WebhookStats>,
    /// Where webhooks may go: checked when a subscription is made and again when sent.
    pub destinations: Arc<destinations::Destinations>,
    /// Fault rules the admin API set for vendor requests.
    pub faults: Arc<faults::Faults>,
    /// This process's background jobs (seeding), for the admin API to show.
    pub jobs: Arc<jobs::Jobs>,
}

impl Core {
    /// Wires the services over a store. Starts the request-log writer task, so it must be
    /// called inside a Tokio runtime.
    pub fn new(store: Arc<dyn Store>, clock: Arc<dyn clock::Clock>) -> Self {
        let ids = ids::Ids::new(store.clone());
        Self {
            accounts: accounts::Accounts::new(store.clone(), clock.clone()),
            credentials: credentials::Credentials::new(store.clone(), clock.clone()),
            entities: entities::Entities::new(store.clone()),
            ids,
            limiter: Arc::new(rate_limit::RateLimiter::default()),
            login_guard: Arc::default(),
            log: request_log::RequestLog::start(store.clone()),
            webhook_stats: Arc::default(),
            destinations: Arc::default(),
            faults: Arc::default(),
            jobs: Arc::new(jobs::Jobs::new(clock.clone())),
            store,
            clock,
        }
    }

    /// A webhook worker over this core's store, clock and stats.
    pub fn delivery_worker(&self, policy: webhooks::RetryPolicy) -> webhooks::DeliveryWorker {
        webhooks::DeliveryWorker::new(
            self.store.clone(),
            self.clock.clone(),
            policy,
            self.webhook_stats.clone(),
        )
        .with_destinations(self.destinations.clone())
    }

    /// Removes an account with its credentials, data, rate-limit counters and fault rules.
    pub async fn delete_account(&self, id: &str) -> CoreResult<()> {
        self.accounts.get(id).await?;
        self.credentials.revoke_all(id).await?;
        self.accounts.delete(id).await?;
        self.limiter.forget(&rate_limit_prefix(id));
        self.faults.forget_account(id);
        Ok(())
    }

    /// Empties an account's data in one dialect or all; credentials and settings stay.
    pub async fn reset_account(&self, id: &str, dialect: Option<&str>) -> CoreResult<()> {
        self.accounts.get(id).await?;
        if let Some(dialect) = dialect {
            if !DIALECTS.contains(&dialect) {
                return Err(CoreError::validation(
                    "dialect",
                    format!("one of {DIALECTS:?}"),
                ));
            }
        }
        self.store.purge(id, dialect).await?;
        self.limiter.forget(&rate_limit_prefix(id));
        Ok(())
    }
}

/// Rate-limit keys of an account start with this, so a reset can forget them.
pub fn rate_limit_prefix(account: &str) -> String {
    format!("{account}/")
}
