//! The console's aggregates: documents per kind of an account, the request log of a time
//! window as samples, deliveries counted by state.

use std::sync::Arc;

use chrono::{DateTime, Duration, Utc};
use serde_json::json;

use super::support::*;
use crate::{
    Attempt, Batch, DeliveryCounts, DeliveryQuery, Expect, KindCount, LogSample, NewLogEntry,
    SampleQuery, Scope, Store,
};

fn count(dialect: &str, kind: &str, count: u64) -> KindCount {
    KindCount {
        dialect: dialect.to_owned(),
        kind: kind.to_owned(),
        count,
    }
}

/// Counts per dialect and kind, ordered bytewise, of one account only, following writes.
pub async fn kinds_are_counted_per_account(store: Arc<dyn Store>) {
    let store = &*store;
    let ms = scope("moysklad");
    let crm = Scope::new(ms.account.clone(), "retailcrm");
    let other = scope("moysklad");
    create_all(
        store,
        &ms,
        "product",
        &[("p1", json!({})), ("p2", json!({}))],
    )
    .await;
    create_all(store, &ms, "Zfolder", &[("f1", json!({}))]).await;
    create_all(store, &ms, "counterparty", &[("c1", json!({}))]).await;
    create_all(store, &crm, "order", &[("1", json!({})), ("2", json!({}))]).await;
    create_all(store, &other, "product", &[("x", json!({}))]).await;
    let counted = ok(store.count_kinds(&ms.account, None).await, "count_kinds");
    assert_eq!(
        counted,
        vec![
            count("moysklad", "Zfolder", 1),
            count("moysklad", "counterparty", 1),
            count("moysklad", "product", 2),
            count("retailcrm", "order", 2),
        ],
        "one row per dialect and kind, ordered bytewise, without other accounts' documents"
    );
    let of_crm = ok(
        store.count_kinds(&ms.account, Some("retailcrm")).await,
        "count_kinds of a dialect",
    );
    assert_eq!(
        of_crm,
        vec![count("retailcrm", "order", 2)],
        "only the asked dialect's kinds"
    );
    ok(
        delete(store, &ms.key("counterparty", "c1"), Expect::Any).await,
        "delete",
    );
    let counted = ok(store.count_kinds(&ms.account, None).await, "count_kinds");
    assert!(
        !counted.iter().any(|c| c.kind == "counterparty"),
        "a kind whose documents are all deleted is not listed: {counted:?}"
    );
    let empty = ok(
        store.count_kinds(&unique("acct"), None).await,
        "count_kinds",
    );
    assert_eq!(empty, Vec::new(), "an account without documents");
}

fn entry(at: DateTime<Utc>, account: &str, dialect: &str, status: u16, ms: u64) -> NewLogEntry {
    NewLogEntry {
        at,
        request_id: unique("req"),
        account: Some(account.to_owned()),
        dialect: dialect.to_owned(),
        endpoint: "entity.list".into(),
        method: "GET".into(),
        path: "/".into(),
        query: None,
        status,
        latency_ms: ms,
        request_headers: json!({}),
        request_body: None,
        response_body: None,
    }
}

fn sample(entry: &NewLogEntry) -> LogSample {
    LogSample {
        at: entry.at,
        dialect: entry.dialect.clone(),
        status: entry.status,
        latency_ms: entry.latency_ms,
    }
}

/// Samples of `[from, to]`, newest first, of one account or all, at most `limit`.
pub async fn log_samples_of_a_window(store: Arc<dyn Store>) {
    let store = &*store;
    let secs = i64::from_str_radix(&random_suffix()[..6], 16).expect("hex");
    let base = time(2004, secs * 60);
    let at = |s: i64| base + Duration::seconds(s);
    let (a, b) = (unique("acct"), unique("acct"));
    let entries = [
        entry(at(0), &a, "moysklad", 200, 5),
        entry(at(1), &a, "retailcrm", 404, 7),
        entry(at(2), &b, "kassa", 500, 9),
        entry(at(3), &a, "moysklad", 201, 11),
        entry(at(4), &a, "salesdoc", 200, 13),
    ];
    ok(store.append_log(&entries).await, "append_log");
    let query = |account: Option<&str>, limit: u32| SampleQuery {
        from: at(0),
        to: at(3),
        account: account.map(str::to_owned),
        limit,
    };
    let samples = ok(store.log_samples(&query(Some(&a), 100)).await, "samples");
    assert_eq!(
        samples,
        vec![
            sample(&entries[3]),
            sample(&entries[1]),
            sample(&entries[0])
        ],
        "the account's samples from `from` to `to` (both included), newest first"
    );
    let all = ok(store.log_samples(&query(None, 100)).await, "samples");
    assert_eq!(
        all,
        vec![
            sample(&entries[3]),
            sample(&entries[2]),
            sample(&entries[1]),
            sample(&entries[0]),
        ],
        "every account's samples without the filter"
    );
    let newest = ok(store.log_samples(&query(None, 2)).await, "samples");
    assert_eq!(newest, all[..2].to_vec(), "a limit keeps the newest");
}

/// Deliveries counted by state under the listing's filters, event and age included.
pub async fn deliveries_are_counted_by_state(store: Arc<dyn Store>) {
    let store = &*store;
    let s = scope("moysklad");
    let t = |secs: i64| time(2005, secs);
    let news = [
        delivery(&s, "product.CREATE", t(10)),
        delivery(&s, "product.CREATE", t(20)),
        delivery(&s, "product.UPDATE", t(30)),
        delivery(&s, "product.UPDATE", t(40)),
    ];
    let batch = news.iter().cloned().fold(Batch::new(), Batch::delivery);
    let ids = ok(store.apply(batch).await, "deliveries").delivery_ids;
    let outcome = |succeeded: bool| Attempt {
        at: t(50),
        http_status: Some(if succeeded { 200 } else { 500 }),
        latency_ms: 3,
        succeeded,
        response_excerpt: None,
        error: None,
        retry_at: None,
    };
    ok(store.record_attempt(ids[0], outcome(true)).await, "attempt");
    ok(
        store.record_attempt(ids[2], outcome(false)).await,
        "attempt",
    );
    let of_account = DeliveryQuery {
        account: Some(s.account.clone()),
        ..DeliveryQuery::default()
    };
    let counts = |query: DeliveryQuery| async move {
        ok(store.count_deliveries(&query).await, "count_deliveries")
    };
    assert_eq!(
        counts(of_account.clone()).await,
        DeliveryCounts {
            pending: 2,
            delivered: 1,
            failed: 1
        }
    );
    let updates = DeliveryQuery {
        event: Some("product.UPDATE".into()),
        ..of_account.clone()
    };
    assert_eq!(
        counts(updates.clone()).await,
        DeliveryCounts {
            pending: 1,
            delivered: 0,
            failed: 1
        },
        "filtered by event"
    );
    let listed = ok(
        store
            .list_deliveries(&DeliveryQuery {
                limit: 10,
                ..updates
            })
            .await,
        "list_deliveries",
    );
    let mut listed: Vec<i64> = listed.items.iter().map(|d| d.id).collect();
    listed.sort_unstable();
    assert_eq!(listed, ids[2..].to_vec(), "listing filtered by event");
    let recent = DeliveryQuery {
        created_from: Some(t(20)),
        ..of_account.clone()
    };
    assert_eq!(
        counts(recent).await,
        DeliveryCounts {
            pending: 2,
            delivered: 0,
            failed: 1
        },
        "created at or after created_from"
    );
    let none = DeliveryQuery {
        account: Some(unique("acct")),
        ..DeliveryQuery::default()
    };
    assert_eq!(counts(none).await, DeliveryCounts::default());
}
