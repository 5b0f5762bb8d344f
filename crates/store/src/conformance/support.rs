//! Helpers shared by the cases: unique names, fixed times, one-line writes and
//! assertions whose panic messages say what was expected.

use std::collections::hash_map::RandomState;
use std::fmt::Debug;
use std::hash::{BuildHasher, Hasher};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

use chrono::{DateTime, TimeZone, Utc};
use serde_json::Value;
use tokio::task::JoinHandle;

use crate::{
    Batch, DeliveryQuery, DocKey, Document, Expect, Filter, HistoryQuery, ListQuery, NewChange,
    NewDelivery, Page, PageRequest, Scope, Store, StoreError, StoreResult, Write,
};

/// 16 random hex digits, different on every call (also across processes).
pub fn random_suffix() -> String {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let mut hasher = RandomState::new().build_hasher();
    hasher.write_u64(COUNTER.fetch_add(1, Ordering::Relaxed));
    hasher.write_u32(std::process::id());
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or_default();
    hasher.write_u128(nanos);
    format!("{:016x}", hasher.finish())
}

/// A name no other case (or run) uses, e.g. an account.
pub fn unique(prefix: &str) -> String {
    format!("{prefix}_{}", random_suffix())
}

/// A scope in a fresh account.
pub fn scope(dialect: &str) -> Scope {
    Scope::new(unique("acct"), dialect)
}

/// A fixed instant in `year`, `secs` seconds after its start. Whole milliseconds, since
/// backends may keep no finer precision.
pub fn time(year: i32, secs: i64) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(year, 1, 1, 0, 0, 0).unwrap() + chrono::Duration::seconds(secs)
}

/// Puts one document in a batch of its own and returns what was stored.
pub async fn put(store: &dyn Store, doc: Document, expect: Expect) -> StoreResult<Document> {
    let applied = store
        .apply(Batch::new().write(Write::Put { doc, expect }))
        .await?;
    let stored = applied.documents.into_iter().next();
    Ok(stored
        .flatten()
        .expect("Applied::documents must hold the stored document of a put"))
}

/// Creates a document that must not exist yet.
pub async fn create(store: &dyn Store, key: DocKey, body: Value) -> Document {
    let what = format!("creating {key}");
    ok(
        put(store, Document::new(key, body), Expect::Absent).await,
        &what,
    )
}

/// Creates documents `ids[i]` of `kind` with `bodies[i]`, in this order.
pub async fn create_all(store: &dyn Store, scope: &Scope, kind: &str, docs: &[(&str, Value)]) {
    for (id, body) in docs {
        create(store, scope.key(kind, *id), body.clone()).await;
    }
}

pub async fn delete(store: &dyn Store, key: &DocKey, expect: Expect) -> StoreResult<()> {
    let write = Write::Delete {
        key: key.clone(),
        expect,
    };
    store.apply(Batch::new().write(write)).await.map(|_| ())
}

/// The value or a panic naming the operation and the error.
pub fn ok<T>(result: StoreResult<T>, what: &str) -> T {
    match result {
        Ok(value) => value,
        Err(error) => panic!("{what}: unexpected error {error:?}"),
    }
}

/// The error or a panic naming the operation and the unexpected success.
pub fn err<T: Debug>(result: StoreResult<T>, what: &str) -> StoreError {
    match result {
        Ok(value) => panic!("{what}: expected an error, got Ok({value:?})"),
        Err(error) => error,
    }
}

/// Panics unless the result is `StoreError::Conflict` on `key`.
pub fn assert_conflict<T: Debug>(result: StoreResult<T>, key: &DocKey, what: &str) {
    match err(result, what) {
        StoreError::Conflict(on) => assert_eq!(&on, key, "{what}: conflict on the wrong key"),
        other => panic!("{what}: expected StoreError::Conflict({key}), got {other:?}"),
    }
}

/// Panics unless the result is `StoreError::Invalid`.
pub fn assert_invalid<T: Debug>(result: StoreResult<T>, what: &str) {
    match err(result, what) {
        StoreError::Invalid(_) => {}
        other => panic!("{what}: expected StoreError::Invalid, got {other:?}"),
    }
}

/// The ids of a page, in page order.
pub fn ids(page: &Page<Document>) -> Vec<String> {
    page.items.iter().map(|doc| doc.key.id.clone()).collect()
}

/// `["a", "b"]` as owned strings, for comparisons with [`ids`].
pub fn strings(items: &[&str]) -> Vec<String> {
    items.iter().map(|s| (*s).to_owned()).collect()
}

/// A list query of up to 1,000 documents, counting the total.
pub fn query(scope: &Scope, kind: &str) -> ListQuery {
    ListQuery::new(scope.clone(), kind).page(PageRequest::Offset {
        offset: 0,
        limit: 1000,
    })
}

/// Panics unless the filter matches exactly `expected` (in any order), with a matching
/// total.
pub async fn assert_matches(
    store: &dyn Store,
    scope: &Scope,
    kind: &str,
    filter: Filter,
    expected: &[&str],
) {
    let what = format!("filter {filter:?}");
    let page = ok(store.list(&query(scope, kind).filter(filter)).await, &what);
    let mut got = ids(&page);
    got.sort();
    let mut want = strings(expected);
    want.sort();
    assert_eq!(got, want, "{what}: wrong documents");
    assert_eq!(page.total, Some(want.len() as u64), "{what}: wrong total");
}

/// Awaits spawned tasks in order, re-raising a task's panic as it was.
pub async fn join_all<T>(handles: Vec<JoinHandle<T>>) -> Vec<T> {
    let mut out = Vec::with_capacity(handles.len());
    for handle in handles {
        match handle.await {
            Ok(value) => out.push(value),
            Err(error) if error.is_panic() => std::panic::resume_unwind(error.into_panic()),
            Err(error) => panic!("task did not finish: {error}"),
        }
    }
    out
}

/// A history entry for `kind`/`entity_id` with some data.
pub fn change(
    scope: &Scope,
    kind: &str,
    entity_id: &str,
    action: &str,
    at: DateTime<Utc>,
) -> NewChange {
    NewChange {
        scope: scope.clone(),
        kind: kind.to_owned(),
        entity_id: entity_id.to_owned(),
        action: action.to_owned(),
        at,
        data: serde_json::json!({"entity": entity_id, "action": action}),
    }
}

/// A webhook for `event`, due at `due_at`, allowed three attempts.
pub fn delivery(scope: &Scope, event: &str, due_at: DateTime<Utc>) -> NewDelivery {
    NewDelivery {
        account: scope.account.clone(),
        dialect: scope.dialect.clone(),
        event: event.to_owned(),
        url: format!("http://127.0.0.1:9/hooks/{event}"),
        headers: [("X-Event".to_owned(), event.to_owned())].into(),
        body: format!("{{\"event\":\"{event}\"}}"),
        due_at,
        max_attempts: 3,
    }
}

/// The history of a scope, all of it.
pub async fn history_ids(store: &dyn Store, scope: &Scope) -> Vec<i64> {
    let mut query = HistoryQuery::new(scope.clone());
    query.limit = 10_000;
    let page = ok(store.history(&query).await, "history");
    page.items.iter().map(|c| c.id).collect()
}

/// Ids of the account's deliveries (of one dialect, when given), ascending.
pub async fn delivery_ids(store: &dyn Store, account: &str, dialect: Option<&str>) -> Vec<i64> {
    let query = DeliveryQuery {
        account: Some(account.to_owned()),
        dialect: dialect.map(str::to_owned),
        limit: 10_000,
        ..DeliveryQuery::default()
    };
    let page = ok(store.list_deliveries(&query).await, "list_deliveries");
    let mut ids: Vec<i64> = page.items.iter().map(|d| d.id).collect();
    ids.sort_unstable();
    ids
}
