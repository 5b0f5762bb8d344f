//! A store that keeps something alive as long as it lives: a factory can hand out a
//! store over a temporary directory (or a throw-away database) and have it cleaned up
//! when the case drops the store, rather than leaking it.

use std::sync::Arc;

use async_trait::async_trait;
use chrono::{DateTime, Utc};

use crate::*;

pub struct Guarded<G> {
    inner: Arc<dyn Store>,
    // Declared after `inner`, so it is dropped after the store is.
    _guard: G,
}

impl<G: Send + Sync + 'static> Guarded<G> {
    pub fn wrap(inner: Arc<dyn Store>, guard: G) -> Arc<dyn Store> {
        Arc::new(Self {
            inner,
            _guard: guard,
        })
    }
}

#[async_trait]
impl<G: Send + Sync + 'static> Store for Guarded<G> {
    async fn ping(&self) -> StoreResult<()> {
        self.inner.ping().await
    }
    async fn get(&self, key: &DocKey) -> StoreResult<Option<Document>> {
        self.inner.get(key).await
    }
    async fn find_by_lookup(
        &self,
        scope: &Scope,
        kind: &str,
        name: &str,
        value: &str,
    ) -> StoreResult<Option<Document>> {
        self.inner.find_by_lookup(scope, kind, name, value).await
    }
    async fn list(&self, query: &ListQuery) -> StoreResult<Page<Document>> {
        self.inner.list(query).await
    }
    async fn count_kinds(
        &self,
        account: &str,
        dialect: Option<&str>,
    ) -> StoreResult<Vec<KindCount>> {
        self.inner.count_kinds(account, dialect).await
    }
    async fn index_fields(&self, paths: &[&str]) -> StoreResult<()> {
        self.inner.index_fields(paths).await
    }
    async fn apply(&self, batch: Batch) -> StoreResult<Applied> {
        self.inner.apply(batch).await
    }
    async fn reserve_sequence(&self, scope: &Scope, name: &str, count: u32) -> StoreResult<i64> {
        self.inner.reserve_sequence(scope, name, count).await
    }
    async fn history(&self, query: &HistoryQuery) -> StoreResult<Page<Change>> {
        self.inner.history(query).await
    }
    async fn claim_deliveries(
        &self,
        now: DateTime<Utc>,
        lease_until: DateTime<Utc>,
        limit: u32,
    ) -> StoreResult<Vec<Delivery>> {
        self.inner.claim_deliveries(now, lease_until, limit).await
    }
    async fn record_attempt(&self, id: i64, attempt: Attempt) -> StoreResult<Delivery> {
        self.inner.record_attempt(id, attempt).await
    }
    async fn get_delivery(&self, id: i64) -> StoreResult<Option<Delivery>> {
        self.inner.get_delivery(id).await
    }
    async fn list_deliveries(&self, query: &DeliveryQuery) -> StoreResult<Page<Delivery>> {
        self.inner.list_deliveries(query).await
    }
    async fn count_deliveries(&self, query: &DeliveryQuery) -> StoreResult<DeliveryCounts> {
        self.inner.count_deliveries(query).await
    }
    async fn requeue_delivery(&self, id: i64, at: DateTime<Utc>) -> StoreResult<Delivery> {
        self.inner.requeue_delivery(id, at).await
    }
    async fn pending_deliveries(&self) -> StoreResult<u64> {
        self.inner.pending_deliveries().await
    }
    async fn append_log(&self, entries: &[NewLogEntry]) -> StoreResult<()> {
        self.inner.append_log(entries).await
    }
    async fn get_log(&self, id: i64) -> StoreResult<Option<LogEntry>> {
        self.inner.get_log(id).await
    }
    async fn query_log(&self, query: &LogQuery) -> StoreResult<Page<LogEntry>> {
        self.inner.query_log(query).await
    }
    async fn log_samples(&self, query: &SampleQuery) -> StoreResult<Vec<LogSample>> {
        self.inner.log_samples(query).await
    }
    async fn purge(&self, account: &str, dialect: Option<&str>) -> StoreResult<()> {
        self.inner.purge(account, dialect).await
    }
    async fn export(&self, account: &str) -> StoreResult<Snapshot> {
        self.inner.export(account).await
    }
    async fn import(&self, account: &str, snapshot: &Snapshot) -> StoreResult<()> {
        self.inner.import(account, snapshot).await
    }
}
