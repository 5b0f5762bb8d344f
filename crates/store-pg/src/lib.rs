//! PostgreSQL backend of [`twin_store::Store`], for replicas sharing one database.
//!
//! It keeps the SQLite backend's tables and columns (so `twin_store::sql` builds the same
//! queries) and its observable behaviour. What SQLite gets from its single writer, this
//! backend gets from locks: `apply` writes each document with one statement that locks
//! the row and checks its version (`UPDATE ... WHERE version = n`, `INSERT ... ON CONFLICT
//! DO NOTHING`), history ids are taken under a per-scope advisory lock so they commit in
//! id order, and workers claim deliveries with `FOR UPDATE SKIP LOCKED`.

mod documents;
mod flavor;
mod outbox;
mod request_log;
mod rows;
mod snapshot;
mod stats;

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::Duration;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use sqlx::postgres::PgPoolOptions;
use sqlx::PgPool;
use twin_store::*;

use crate::rows::backend;
use crate::stats::Aggregates;

pub struct PgStore {
    pool: PgPool,
    inserted: AtomicU64,
    analyzed: AtomicBool,
}

/// Until a table is first analyzed PostgreSQL plans with default estimates, under which
/// the `(account, dialect, kind, seq)` index looks as selective as the unique key, so a
/// get or update by key scans its whole kind. Autovacuum analyzes only a minute or so
/// later; a freshly seeded database is analyzed once, right after its first inserts.
const ANALYZE_AFTER_INSERTS: u64 = 1000;

/// How long a request waits for a connection: well inside the 30 s request timeout, so
/// with the database gone a client gets its vendor's 5xx in seconds, not at the timeout,
/// while a busy pool still has ample time to free a connection.
const ACQUIRE_TIMEOUT: Duration = Duration::from_secs(10);

impl PgStore {
    /// Connects to a `postgres://` URL and brings the schema up to date (sqlx serialises
    /// concurrent migrators with an advisory lock, so replicas may start together).
    pub async fn open(url: &str) -> StoreResult<Self> {
        let pool = PgPoolOptions::new()
            .max_connections(8)
            .acquire_timeout(ACQUIRE_TIMEOUT)
            .connect(url)
            .await
            .map_err(backend)?;
        sqlx::migrate!("./migrations")
            .run(&pool)
            .await
            .map_err(|e| StoreError::Backend(e.to_string()))?;
        Ok(Self {
            pool,
            inserted: AtomicU64::new(0),
            analyzed: AtomicBool::new(false),
        })
    }

    /// Counts inserted documents and analyzes the tables once enough have arrived. A
    /// failure (say, a role that may not analyze) only costs plan quality.
    async fn inserted(&self, count: usize) {
        let total = self.inserted.fetch_add(count as u64, Ordering::Relaxed) + count as u64;
        if total < ANALYZE_AFTER_INSERTS || self.analyzed.swap(true, Ordering::Relaxed) {
            return;
        }
        if let Err(error) = sqlx::query("ANALYZE documents, lookups")
            .execute(&self.pool)
            .await
        {
            tracing::warn!(%error, "could not analyze the document tables");
        }
    }
}

#[async_trait]
impl Store for PgStore {
    async fn ping(&self) -> StoreResult<()> {
        sqlx::query("SELECT 1")
            .execute(&self.pool)
            .await
            .map_err(backend)?;
        Ok(())
    }

    async fn get(&self, key: &DocKey) -> StoreResult<Option<Document>> {
        documents::get(&self.pool, key).await
    }

    async fn find_by_lookup(
        &self,
        scope: &Scope,
        kind: &str,
        name: &str,
        value: &str,
    ) -> StoreResult<Option<Document>> {
        documents::find_by_lookup(&self.pool, scope, kind, name, value).await
    }

    async fn list(&self, query: &ListQuery) -> StoreResult<Page<Document>> {
        documents::list(&self.pool, query).await
    }

    async fn count_kinds(
        &self,
        account: &str,
        dialect: Option<&str>,
    ) -> StoreResult<Vec<KindCount>> {
        aggregates::count_kinds(&Aggregates(&self.pool), account, dialect).await
    }

    /// Nothing to do: equality filters compile to containment, which the GIN index on
    /// `body` serves for every field.
    async fn index_fields(&self, _paths: &[&str]) -> StoreResult<()> {
        Ok(())
    }

    async fn apply(&self, batch: Batch) -> StoreResult<Applied> {
        let applied = documents::apply(&self.pool, batch).await?;
        let created = applied.documents.iter().flatten();
        self.inserted(created.filter(|doc| doc.version == 1).count())
            .await;
        Ok(applied)
    }

    async fn reserve_sequence(&self, scope: &Scope, name: &str, count: u32) -> StoreResult<i64> {
        let mut conn = self.pool.acquire().await.map_err(backend)?;
        documents::reserve_sequence(&mut conn, scope, name, count).await
    }

    async fn history(&self, query: &HistoryQuery) -> StoreResult<Page<Change>> {
        documents::history(&self.pool, query).await
    }

    async fn claim_deliveries(
        &self,
        now: DateTime<Utc>,
        lease_until: DateTime<Utc>,
        limit: u32,
    ) -> StoreResult<Vec<Delivery>> {
        outbox::claim(&self.pool, now, lease_until, limit).await
    }

    async fn record_attempt(&self, id: i64, attempt: Attempt) -> StoreResult<Delivery> {
        outbox::record_attempt(&self.pool, id, attempt).await
    }

    async fn get_delivery(&self, id: i64) -> StoreResult<Option<Delivery>> {
        outbox::get(&self.pool, id).await
    }

    async fn list_deliveries(&self, query: &DeliveryQuery) -> StoreResult<Page<Delivery>> {
        outbox::list(&self.pool, query).await
    }

    async fn count_deliveries(&self, query: &DeliveryQuery) -> StoreResult<DeliveryCounts> {
        aggregates::count_deliveries(&Aggregates(&self.pool), query).await
    }

    async fn requeue_delivery(&self, id: i64, at: DateTime<Utc>) -> StoreResult<Delivery> {
        outbox::requeue(&self.pool, id, at).await
    }

    async fn pending_deliveries(&self) -> StoreResult<u64> {
        outbox::pending(&self.pool).await
    }

    async fn append_log(&self, entries: &[NewLogEntry]) -> StoreResult<()> {
        request_log::append(&self.pool, entries).await
    }

    async fn get_log(&self, id: i64) -> StoreResult<Option<LogEntry>> {
        request_log::get(&self.pool, id).await
    }

    async fn query_log(&self, query: &LogQuery) -> StoreResult<Page<LogEntry>> {
        request_log::query(&self.pool, query).await
    }

    async fn log_samples(&self, query: &SampleQuery) -> StoreResult<Vec<LogSample>> {
        aggregates::log_samples(&Aggregates(&self.pool), query).await
    }

    async fn purge(&self, account: &str, dialect: Option<&str>) -> StoreResult<()> {
        snapshot::purge(&self.pool, account, dialect).await
    }

    async fn export(&self, account: &str) -> StoreResult<Snapshot> {
        snapshot::export(&self.pool, account).await
    }

    async fn import(&self, account: &str, snapshot: &Snapshot) -> StoreResult<()> {
        snapshot::import(&self.pool, account, snapshot).await?;
        self.inserted(snapshot.documents.len()).await;
        Ok(())
    }
}
