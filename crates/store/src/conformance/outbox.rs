//! The webhook outbox: deliveries are claimed once due, leased so no two workers send
//! the same one, and moved along by recorded attempts.

use std::collections::BTreeSet;
use std::sync::Arc;

use chrono::{DateTime, Utc};
use serde_json::json;

use super::support::*;
use crate::{
    Attempt, Batch, Delivery, DeliveryQuery, DeliveryStatus, Document, Expect, Scope, Store,
    StoreError, Write,
};

fn t(secs: i64) -> DateTime<Utc> {
    time(2001, secs)
}

/// Claims at `now`, leasing until `until`, and returns the ids of `account`'s claims.
async fn claim(store: &dyn Store, account: &str, now: i64, until: i64) -> Vec<i64> {
    let what = format!("claim_deliveries at t+{now}s");
    let claimed = ok(store.claim_deliveries(t(now), t(until), 100).await, &what);
    let mut ids: Vec<i64> = claimed
        .iter()
        .filter(|d| d.account == account)
        .map(|d| d.id)
        .collect();
    ids.sort_unstable();
    ids
}

fn attempt(at: i64, succeeded: bool, retry_at: Option<i64>) -> Attempt {
    Attempt {
        at: t(at),
        http_status: if succeeded { Some(200) } else { None },
        latency_ms: 12,
        succeeded,
        response_excerpt: succeeded.then(|| "{\"ok\":true}".to_owned()),
        error: (!succeeded).then(|| "connection refused".to_owned()),
        retry_at: retry_at.map(t),
    }
}

async fn record(store: &dyn Store, id: i64, attempt: Attempt) -> Delivery {
    let recorded = ok(store.record_attempt(id, attempt).await, "record_attempt");
    let got = ok(store.get_delivery(id).await, "get_delivery").expect("delivery exists");
    assert_eq!(
        recorded, got,
        "record_attempt must return the stored delivery"
    );
    got
}

fn state(d: &Delivery) -> (DeliveryStatus, DateTime<Utc>, usize) {
    (d.status, d.next_attempt_at, d.attempts.len())
}

/// Due times, leases, attempts and requeues of three deliveries.
pub async fn delivery_lifecycle(store: Arc<dyn Store>) {
    let store = &*store;
    let s = scope("moysklad");
    let a = s.account.as_str();
    let news = [
        delivery(&s, "one", t(10)),
        delivery(&s, "two", t(20)),
        delivery(&s, "three", t(30)),
    ];
    let doc = Document::new(s.key("product", "p"), json!({}));
    let batch = news.iter().cloned().fold(
        Batch::new().write(Write::Put {
            doc,
            expect: Expect::Absent,
        }),
        Batch::delivery,
    );
    let ids = ok(store.apply(batch).await, "batch with deliveries").delivery_ids;
    let [d1, d2, d3] = <[i64; 3]>::try_from(ids).expect("three delivery ids");

    let got = ok(store.get_delivery(d1).await, "get_delivery").expect("d1 stored");
    let new = &news[0];
    assert_eq!(
        (
            &got.account,
            &got.dialect,
            &got.event,
            &got.url,
            &got.headers,
            &got.body,
            got.max_attempts
        ),
        (
            &new.account,
            &new.dialect,
            &new.event,
            &new.url,
            &new.headers,
            &new.body,
            new.max_attempts
        ),
        "stored delivery fields"
    );
    assert_eq!(
        state(&got),
        (DeliveryStatus::Pending, t(10), 0),
        "a new delivery's state"
    );

    assert_eq!(
        claim(store, a, 5, 65).await,
        Vec::<i64>::new(),
        "nothing is due at t+5"
    );
    assert_eq!(claim(store, a, 15, 75).await, vec![d1], "due at t+15");
    assert_eq!(
        claim(store, a, 16, 76).await,
        Vec::<i64>::new(),
        "d1 is leased, d2 not due"
    );
    assert_eq!(
        claim(store, a, 20, 80).await,
        vec![d2],
        "d2 due exactly at t+20"
    );
    assert_eq!(
        claim(store, a, 77, 137).await,
        vec![d1, d3],
        "d1's lease ended, d3 due"
    );

    let done = record(store, d1, attempt(78, true, None)).await;
    assert_eq!(
        done.status,
        DeliveryStatus::Delivered,
        "after a successful attempt"
    );
    assert_eq!(
        done.attempts,
        vec![attempt(78, true, None)],
        "d1's attempts"
    );
    let retry = record(store, d2, attempt(79, false, Some(200))).await;
    assert_eq!(
        state(&retry),
        (DeliveryStatus::Pending, t(200), 1),
        "after a failure with retry_at"
    );
    let early = record(store, d3, attempt(80, false, Some(100))).await;
    assert_eq!(
        state(&early),
        (DeliveryStatus::Pending, t(100), 1),
        "d3 retried before its lease ends"
    );

    assert_eq!(
        claim(store, a, 100, 160).await,
        vec![d3],
        "a recorded attempt ends the lease"
    );
    let failed = record(store, d3, attempt(101, false, None)).await;
    assert_eq!(
        failed.status,
        DeliveryStatus::Failed,
        "after a failure without retry_at"
    );
    assert_eq!(
        failed.attempts,
        vec![attempt(80, false, Some(100)), attempt(101, false, None)],
        "attempts are appended in order"
    );
    assert_eq!(
        claim(store, a, 199, 259).await,
        Vec::<i64>::new(),
        "d2 not due before t+200"
    );
    assert_eq!(
        claim(store, a, 200, 260).await,
        vec![d2],
        "d2 due at its retry_at"
    );
    let gave_up = record(store, d2, attempt(201, false, None)).await;
    let gave_up = (gave_up.status, gave_up.attempts.len());
    assert_eq!(
        gave_up,
        (DeliveryStatus::Failed, 2),
        "d2 after its last attempt"
    );
    assert_eq!(
        claim(store, a, 100_000, 100_060).await,
        Vec::<i64>::new(),
        "delivered and failed"
    );

    let requeued = ok(
        store.requeue_delivery(d2, t(300)).await,
        "requeue failed d2",
    );
    assert_eq!(
        state(&requeued),
        (DeliveryStatus::Pending, t(300), 2),
        "requeued d2 keeps attempts"
    );
    assert_eq!(
        claim(store, a, 299, 359).await,
        Vec::<i64>::new(),
        "requeued d2 not yet due"
    );
    assert_eq!(
        claim(store, a, 300, 1_000).await,
        vec![d2],
        "requeued d2 due"
    );
    ok(
        store.requeue_delivery(d2, t(310)).await,
        "requeue leased d2",
    );
    assert_eq!(
        claim(store, a, 310, 370).await,
        vec![d2],
        "a requeue ends the lease"
    );
    let again = ok(
        store.requeue_delivery(d1, t(400)).await,
        "requeue delivered d1",
    );
    assert_eq!(
        state(&again),
        (DeliveryStatus::Pending, t(400), 1),
        "requeued delivered d1"
    );

    let missing = i64::MAX - 7;
    assert_eq!(
        ok(store.get_delivery(missing).await, "get missing"),
        None,
        "get of a missing delivery"
    );
    for (what, result) in [
        (
            "record_attempt",
            store.record_attempt(missing, attempt(1, true, None)).await,
        ),
        (
            "requeue_delivery",
            store.requeue_delivery(missing, t(1)).await,
        ),
    ] {
        match err(result, what) {
            StoreError::NotFound(_) => {}
            other => panic!("{what} of a missing delivery: expected NotFound, got {other:?}"),
        }
    }
}

async fn listed(store: &dyn Store, query: DeliveryQuery) -> (Vec<i64>, Option<u64>) {
    let page = ok(
        store.list_deliveries(&query).await,
        &format!("list_deliveries {query:?}"),
    );
    let mut ids: Vec<i64> = page.items.iter().map(|d| d.id).collect();
    ids.sort_unstable();
    (ids, page.total)
}

/// Listing filters, totals and paging; the pending count follows attempts.
pub async fn list_and_count_deliveries(store: Arc<dyn Store>) {
    let store = &*store;
    let a_ms = scope("moysklad");
    let a_rc = Scope::new(a_ms.account.clone(), "retailcrm");
    let b_ms = scope("moysklad");
    let pending_before = ok(store.pending_deliveries().await, "pending_deliveries");
    let mut ids = Vec::new();
    for (s, count) in [(&a_ms, 3), (&a_rc, 2), (&b_ms, 1)] {
        let batch = (0..count).fold(Batch::new(), |b, i| {
            b.delivery(delivery(s, &format!("e{i}"), t(10)))
        });
        ids.push(ok(store.apply(batch).await, "deliveries").delivery_ids);
    }
    let pending = ok(store.pending_deliveries().await, "pending_deliveries");
    assert_eq!(pending, pending_before + 6, "pending after queueing 6");
    let q = |account: &Scope, dialect: bool, status: Option<DeliveryStatus>| DeliveryQuery {
        account: Some(account.account.clone()),
        dialect: dialect.then(|| account.dialect.clone()),
        status,
        offset: 0,
        limit: 100,
        ..DeliveryQuery::default()
    };
    let a_all: Vec<i64> = ids[0].iter().chain(&ids[1]).copied().collect();
    assert_eq!(
        listed(store, q(&a_ms, false, None)).await,
        (a_all.clone(), Some(5)),
        "account A"
    );
    assert_eq!(
        listed(store, q(&a_ms, true, None)).await,
        (ids[0].clone(), Some(3)),
        "A moysklad"
    );
    assert_eq!(
        listed(store, q(&a_rc, true, None)).await,
        (ids[1].clone(), Some(2)),
        "A retailcrm"
    );
    assert_eq!(
        listed(store, q(&b_ms, false, None)).await,
        (ids[2].clone(), Some(1)),
        "account B"
    );

    record(store, ids[0][1], attempt(11, true, None)).await;
    record(store, ids[1][0], attempt(12, false, None)).await;
    let pending = ok(store.pending_deliveries().await, "pending_deliveries");
    assert_eq!(
        pending,
        pending_before + 4,
        "pending after one success and one failure"
    );
    let by_status = |status| q(&a_ms, false, Some(status));
    let still: Vec<i64> = vec![ids[0][0], ids[0][2], ids[1][1]];
    assert_eq!(
        listed(store, by_status(DeliveryStatus::Pending)).await,
        (still, Some(3)),
        "A pending"
    );
    let delivered = (vec![ids[0][1]], Some(1));
    assert_eq!(
        listed(store, by_status(DeliveryStatus::Delivered)).await,
        delivered,
        "A delivered"
    );
    let failed = (vec![ids[1][0]], Some(1));
    assert_eq!(
        listed(store, by_status(DeliveryStatus::Failed)).await,
        failed,
        "A failed"
    );

    let mut paged = Vec::new();
    for offset in [0, 2, 4] {
        let query = DeliveryQuery {
            offset,
            limit: 2,
            ..q(&a_ms, false, None)
        };
        let (page, total) = listed(store, query).await;
        assert_eq!(
            (page.len(), total),
            (if offset < 4 { 2 } else { 1 }, Some(5)),
            "page at {offset}"
        );
        paged.extend(page);
    }
    paged.sort_unstable();
    assert_eq!(
        paged, a_all,
        "pages of 2 must cover A's deliveries once each"
    );
}

/// Four workers claiming at once never get the same delivery.
pub async fn concurrent_claimers(store: Arc<dyn Store>) {
    let s = scope("kassa");
    let batch = (0..40).fold(Batch::new(), |b, i| {
        b.delivery(delivery(&s, &format!("e{i}"), t(10)))
    });
    let mut queued = ok(store.apply(batch).await, "40 deliveries").delivery_ids;
    queued.sort_unstable();
    let handles = (0..4)
        .map(|_| {
            let (store, account) = (store.clone(), s.account.clone());
            tokio::spawn(async move {
                let mut mine = Vec::new();
                for _ in 0..1_000 {
                    let claimed = ok(store.claim_deliveries(t(20), t(100_000), 3).await, "claim");
                    assert!(
                        claimed.len() <= 3,
                        "claimed {} deliveries with limit 3",
                        claimed.len()
                    );
                    if claimed.is_empty() {
                        return mine;
                    }
                    mine.extend(
                        claimed
                            .iter()
                            .filter(|d| d.account == account)
                            .map(|d| d.id),
                    );
                    tokio::task::yield_now().await;
                }
                panic!("claims never run out: are leased deliveries claimed again?");
            })
        })
        .collect();
    let mut all: Vec<i64> = join_all(handles).await.into_iter().flatten().collect();
    all.sort_unstable();
    let distinct: BTreeSet<i64> = all.iter().copied().collect();
    assert_eq!(
        distinct.len(),
        all.len(),
        "a delivery was claimed twice: {all:?}"
    );
    assert_eq!(all, queued, "every due delivery claimed exactly once");
}
