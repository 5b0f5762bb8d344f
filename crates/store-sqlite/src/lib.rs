//! SQLite backend of [`twin_store::Store`]: Twin's embedded default.
//!
//! One file in WAL mode. Writes go through a single connection, so SQLite never has to
//! upgrade a reader's lock (no `SQLITE_BUSY` under concurrent writers); reads use a small
//! pool and see every committed write. `synchronous=NORMAL` in WAL keeps every committed
//! transaction through a crash of the process; a power cut may lose the last ones.

mod counts;
mod documents;
mod flavor;
mod outbox;
mod point_reads;
mod request_log;
mod rows;
mod snapshot;
mod stats;
mod write_tx;

use std::path::Path;
use std::str::FromStr;
use std::time::Duration;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::SqlitePool;
use twin_store::*;

use crate::stats::Aggregates;

pub struct SqliteStore {
    writer: SqlitePool,
    reader: SqlitePool,
    counts: counts::Counts,
    point_reads: point_reads::PointReads,
    /// The body fields `index_fields` indexed; every list reads them.
    indexed: std::sync::RwLock<std::sync::Arc<Vec<String>>>,
}

fn backend(error: sqlx::Error) -> StoreError {
    StoreError::Backend(error.to_string())
}

impl SqliteStore {
    /// Opens (creating when missing) the database at a `sqlite:` URL or a file path, and
    /// brings its schema up to date.
    pub async fn open(location: &str) -> StoreResult<Self> {
        let path = location
            .strip_prefix("sqlite://")
            .or_else(|| location.strip_prefix("sqlite:"))
            .unwrap_or(location);
        if let Some(parent) = Path::new(path).parent() {
            if !parent.as_os_str().is_empty() {
                std::fs::create_dir_all(parent)
                    .map_err(|e| StoreError::Backend(format!("cannot create {parent:?}: {e}")))?;
            }
        }
        let options = SqliteConnectOptions::from_str(&format!("sqlite://{path}"))
            .map_err(backend)?
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Normal)
            .busy_timeout(Duration::from_secs(30))
            .with_regexp();
        let writer = SqlitePoolOptions::new()
            .max_connections(1)
            .connect_with(options.clone())
            .await
            .map_err(backend)?;
        sqlx::migrate!("./migrations")
            .run(&writer)
            .await
            .map_err(|e| StoreError::Backend(e.to_string()))?;
        let reader = SqlitePoolOptions::new()
            .max_connections(4)
            .connect_with(options.read_only(true))
            .await
            .map_err(backend)?;
        Ok(Self {
            writer,
            reader,
            counts: Default::default(),
            point_reads: Default::default(),
            indexed: Default::default(),
        })
    }

    fn indexed_fields(&self) -> std::sync::Arc<Vec<String>> {
        std::sync::Arc::clone(&self.indexed.read().unwrap_or_else(|p| p.into_inner()))
    }

    /// Marks a write of these documents (`None`: of any) under way for the remembered
    /// reads and totals until the returned guard drops: while it lands, a reader that
    /// finds one document of it new in the database must not find another one (or a
    /// total) old in memory. A guard, so that a request dropped mid-write (a timeout)
    /// still ends it.
    fn writing(&self, keys: Option<Vec<DocKey>>) -> Writing<'_> {
        match &keys {
            Some(keys) => self.point_reads.begin_write(keys),
            None => self.point_reads.begin_write_all(),
        }
        self.counts.begin_write();
        Writing { store: self, keys }
    }

    /// The plan SQLite picks for a list query's page, one step per line: shows whether
    /// an index serves a filter (diagnostics and tests). Asked on the writer, which
    /// always knows the newest schema: a reader explains with the schema it last loaded,
    /// though its queries re-plan when the schema changed.
    pub async fn list_plan(&self, query: &ListQuery) -> StoreResult<String> {
        documents::plan(&self.writer, &self.indexed_fields(), query).await
    }
}

#[async_trait]
impl Store for SqliteStore {
    async fn ping(&self) -> StoreResult<()> {
        sqlx::query("SELECT 1")
            .execute(&self.reader)
            .await
            .map_err(backend)?;
        Ok(())
    }

    async fn get(&self, key: &DocKey) -> StoreResult<Option<Document>> {
        if let Some(remembered) = self.point_reads.document(key) {
            return Ok(remembered);
        }
        let generation = self.point_reads.generation();
        let doc = documents::get(&self.reader, key).await?;
        self.point_reads.remember_document(key, &doc, generation);
        Ok(doc)
    }

    async fn find_by_lookup(
        &self,
        scope: &Scope,
        kind: &str,
        name: &str,
        value: &str,
    ) -> StoreResult<Option<Document>> {
        let id = match self.point_reads.lookup(scope, kind, name, value) {
            Some(remembered) => remembered,
            None => {
                let generation = self.point_reads.generation();
                let id = documents::lookup_id(&self.reader, scope, kind, name, value).await?;
                let key = (
                    scope.clone(),
                    kind.to_owned(),
                    name.to_owned(),
                    value.to_owned(),
                );
                self.point_reads
                    .remember_lookup(key, id.clone(), generation);
                id
            }
        };
        match id {
            Some(id) => self.get(&scope.key(kind, id)).await,
            None => Ok(None),
        }
    }

    async fn list(&self, query: &ListQuery) -> StoreResult<Page<Document>> {
        let indexed = self.indexed_fields();
        documents::list(&self.reader, &self.counts, &indexed, query).await
    }

    async fn count_kinds(
        &self,
        account: &str,
        dialect: Option<&str>,
    ) -> StoreResult<Vec<KindCount>> {
        aggregates::count_kinds(&Aggregates(&self.reader), account, dialect).await
    }

    async fn index_fields(&self, paths: &[&str]) -> StoreResult<()> {
        for path in paths {
            let keys = Filter::path(path);
            let literal = flavor::literal_path(&keys)
                .ok_or_else(|| StoreError::Invalid(format!("cannot index {path:?}")))?;
            let name: String = path
                .chars()
                .map(|c| match c {
                    'a'..='z' | 'A'..='Z' | '0'..='9' | '_' => c.to_string(),
                    '.' => "__".into(),
                    other => format!("_{:x}", u32::from(other)),
                })
                .collect();
            sqlx::query(&format!(
                "CREATE INDEX IF NOT EXISTS \"documents_field_{name}\"
                 ON documents (account, dialect, kind, json_extract(body, {literal}))"
            ))
            .execute(&self.writer)
            .await
            .map_err(backend)?;
            let mut indexed = self.indexed.write().unwrap_or_else(|p| p.into_inner());
            if !indexed.iter().any(|known| known == path) {
                std::sync::Arc::make_mut(&mut indexed).push((*path).to_owned());
            }
        }
        Ok(())
    }

    async fn apply(&self, batch: Batch) -> StoreResult<Applied> {
        let keys: Vec<DocKey> = batch.writes.iter().map(Write::key).cloned().collect();
        let _writing = self.writing(Some(keys));
        documents::apply(&self.writer, batch).await
    }

    async fn reserve_sequence(&self, scope: &Scope, name: &str, count: u32) -> StoreResult<i64> {
        let mut conn = self.writer.acquire().await.map_err(backend)?;
        documents::reserve_sequence(&mut conn, scope, name, count).await
    }

    async fn history(&self, query: &HistoryQuery) -> StoreResult<Page<Change>> {
        documents::history(&self.reader, query).await
    }

    async fn claim_deliveries(
        &self,
        now: DateTime<Utc>,
        lease_until: DateTime<Utc>,
        limit: u32,
    ) -> StoreResult<Vec<Delivery>> {
        outbox::claim(&self.writer, now, lease_until, limit).await
    }

    async fn record_attempt(&self, id: i64, attempt: Attempt) -> StoreResult<Delivery> {
        outbox::record_attempt(&self.writer, id, attempt).await
    }

    async fn get_delivery(&self, id: i64) -> StoreResult<Option<Delivery>> {
        outbox::get(&self.reader, id).await
    }

    async fn list_deliveries(&self, query: &DeliveryQuery) -> StoreResult<Page<Delivery>> {
        outbox::list(&self.reader, query).await
    }

    async fn count_deliveries(&self, query: &DeliveryQuery) -> StoreResult<DeliveryCounts> {
        aggregates::count_deliveries(&Aggregates(&self.reader), query).await
    }

    async fn requeue_delivery(&self, id: i64, at: DateTime<Utc>) -> StoreResult<Delivery> {
        outbox::requeue(&self.writer, id, at).await
    }

    async fn pending_deliveries(&self) -> StoreResult<u64> {
        outbox::pending(&self.reader).await
    }

    async fn append_log(&self, entries: &[NewLogEntry]) -> StoreResult<()> {
        request_log::append(&self.writer, entries).await
    }

    async fn get_log(&self, id: i64) -> StoreResult<Option<LogEntry>> {
        request_log::get(&self.reader, id).await
    }

    async fn query_log(&self, query: &LogQuery) -> StoreResult<Page<LogEntry>> {
        request_log::query(&self.reader, query).await
    }

    async fn log_samples(&self, query: &SampleQuery) -> StoreResult<Vec<LogSample>> {
        aggregates::log_samples(&Aggregates(&self.reader), query).await
    }

    async fn purge(&self, account: &str, dialect: Option<&str>) -> StoreResult<()> {
        let _writing = self.writing(None);
        snapshot::purge(&self.writer, account, dialect).await
    }

    async fn export(&self, account: &str) -> StoreResult<Snapshot> {
        snapshot::export(&self.reader, account).await
    }

    async fn import(&self, account: &str, snapshot: &Snapshot) -> StoreResult<()> {
        let _writing = self.writing(None);
        snapshot::import(&self.writer, account, snapshot).await
    }
}

/// A write under way (see [`SqliteStore::writing`]).
struct Writing<'a> {
    store: &'a SqliteStore,
    keys: Option<Vec<DocKey>>,
}

impl Drop for Writing<'_> {
    fn drop(&mut self) {
        self.store.counts.end_write();
        match &self.keys {
            Some(keys) => self.store.point_reads.end_write(keys),
            None => self.store.point_reads.end_write_all(),
        }
    }
}
