//! The storage contract every Twin backend implements.
//!
//! Twin keeps each vendor's entities as JSON documents keyed by
//! `(account, dialect, kind, id)`. Around them the store keeps what the four APIs need
//! underneath: unique secondary lookups (externalId, code, login), per-scope sequences
//! (integer ids, document numbers), an append-only change history, a webhook outbox and
//! the request log. Business rules live in `twin-core`; a backend only persists and
//! queries, and must pass [`conformance`] to be accepted.

pub mod aggregates;
pub mod conformance;
mod document;
mod error;
mod filter;
mod history;
mod outbox;
mod query;
mod request_log;
mod snapshot;
pub mod sql;
mod stats;

/// What [`conformance_suite!`] expands to needs, reachable through `twin_store` so the
/// calling crate does not have to depend on tokio itself.
#[doc(hidden)]
pub mod __private {
    pub use tokio;
}

pub use document::{DocKey, Document, Expect, Scope, Write};
pub use error::{StoreError, StoreResult};
pub use filter::{CmpOp, Filter, TextMode};
pub use history::{Change, HistoryQuery, NewChange};
pub use outbox::{Attempt, Delivery, DeliveryQuery, DeliveryStatus, NewDelivery};
pub use query::{ListQuery, Page, PageRequest, SortKey};
pub use request_log::{LogEntry, LogQuery, NewLogEntry};
pub use snapshot::{Snapshot, SnapshotChange, SnapshotDocument, SnapshotSequence};
pub use stats::{DeliveryCounts, KindCount, LogSample, SampleQuery};

use async_trait::async_trait;
use chrono::{DateTime, Utc};

/// Everything written by one [`Store::apply`] call, committed atomically: either all of it
/// is durable when `apply` returns `Ok`, or none of it is.
#[derive(Debug, Default, Clone)]
pub struct Batch {
    pub writes: Vec<Write>,
    pub changes: Vec<NewChange>,
    pub deliveries: Vec<NewDelivery>,
}

impl Batch {
    pub fn new() -> Self {
        Self::default()
    }
    pub fn write(mut self, write: Write) -> Self {
        self.writes.push(write);
        self
    }
    pub fn change(mut self, change: NewChange) -> Self {
        self.changes.push(change);
        self
    }
    pub fn delivery(mut self, delivery: NewDelivery) -> Self {
        self.deliveries.push(delivery);
        self
    }
}

/// What a successful [`Store::apply`] produced, in the order of the batch.
#[derive(Debug, Clone, Default)]
pub struct Applied {
    /// The stored document for each `Write::Put`, `None` for each `Write::Delete`.
    pub documents: Vec<Option<Document>>,
    /// The history ids given to the batch's changes.
    pub change_ids: Vec<i64>,
    /// The outbox ids given to the batch's deliveries.
    pub delivery_ids: Vec<i64>,
}

/// The storage trait. Implementations must be safe to share between tasks and, for
/// backends that support it, between processes on one database.
#[async_trait]
pub trait Store: Send + Sync + 'static {
    /// Answers when the database answers (health checks).
    async fn ping(&self) -> StoreResult<()>;

    async fn get(&self, key: &DocKey) -> StoreResult<Option<Document>>;

    /// The document of `kind` whose unique lookup `name` equals `value`.
    async fn find_by_lookup(
        &self,
        scope: &Scope,
        kind: &str,
        name: &str,
        value: &str,
    ) -> StoreResult<Option<Document>>;

    async fn list(&self, query: &ListQuery) -> StoreResult<Page<Document>>;

    /// How many documents each kind of the account holds, per dialect (of `dialect` only
    /// when given), ordered by dialect and kind (bytewise); kinds without documents are
    /// not listed.
    async fn count_kinds(
        &self,
        account: &str,
        dialect: Option<&str>,
    ) -> StoreResult<Vec<KindCount>>;

    /// Makes equality filters on these body fields (dotted paths, `product.id`) use an
    /// index, in every kind; idempotent. A backend whose equality filters are already
    /// indexed whatever the field may do nothing. Results never depend on it, only speed.
    async fn index_fields(&self, paths: &[&str]) -> StoreResult<()>;

    /// Commits puts and deletes (each checked against its [`Expect`]), their history
    /// entries and outbox deliveries in one transaction.
    async fn apply(&self, batch: Batch) -> StoreResult<Applied>;

    /// The next value of a per-scope counter, starting at 1. Never issues a value twice,
    /// also across processes sharing the database.
    async fn next_sequence(&self, scope: &Scope, name: &str) -> StoreResult<i64> {
        self.reserve_sequence(scope, name, 1).await
    }

    /// Takes `count` (at least 1) consecutive values of the counter at once and returns
    /// the first: batches number their entities in one round trip.
    async fn reserve_sequence(&self, scope: &Scope, name: &str, count: u32) -> StoreResult<i64>;

    /// Changes in ascending id order.
    async fn history(&self, query: &HistoryQuery) -> StoreResult<Page<Change>>;

    /// Claims up to `limit` deliveries that are due at `now` and not leased by another
    /// worker, leasing them until `lease_until`.
    async fn claim_deliveries(
        &self,
        now: DateTime<Utc>,
        lease_until: DateTime<Utc>,
        limit: u32,
    ) -> StoreResult<Vec<Delivery>>;

    /// Records one delivery attempt and the delivery's next state.
    async fn record_attempt(&self, id: i64, attempt: Attempt) -> StoreResult<Delivery>;

    async fn get_delivery(&self, id: i64) -> StoreResult<Option<Delivery>>;

    async fn list_deliveries(&self, query: &DeliveryQuery) -> StoreResult<Page<Delivery>>;

    /// How many deliveries the query's filters match, by state (its paging is ignored).
    async fn count_deliveries(&self, query: &DeliveryQuery) -> StoreResult<DeliveryCounts>;

    /// Puts a delivery back in the queue, due at `at`, whatever its state.
    async fn requeue_delivery(&self, id: i64, at: DateTime<Utc>) -> StoreResult<Delivery>;

    /// How many deliveries are still waiting to succeed or give up.
    async fn pending_deliveries(&self) -> StoreResult<u64>;

    async fn append_log(&self, entries: &[NewLogEntry]) -> StoreResult<()>;

    async fn get_log(&self, id: i64) -> StoreResult<Option<LogEntry>>;

    async fn query_log(&self, query: &LogQuery) -> StoreResult<Page<LogEntry>>;

    /// The request log of a time window reduced to samples, newest first, at most
    /// `limit`: asking for one more than wanted tells whether the window holds more.
    async fn log_samples(&self, query: &SampleQuery) -> StoreResult<Vec<LogSample>>;

    /// Removes an account's data: documents, lookups, sequences, history, deliveries and
    /// request log, of one dialect or of all.
    async fn purge(&self, account: &str, dialect: Option<&str>) -> StoreResult<()>;

    /// The account's documents, sequences and history in a stable order.
    async fn export(&self, account: &str) -> StoreResult<Snapshot>;

    /// Replaces the account's documents, sequences and history with the snapshot's.
    async fn import(&self, account: &str, snapshot: &Snapshot) -> StoreResult<()>;
}
