//! `apply` is all or nothing: a service writes an entity, its history entry and its
//! webhooks together, and a failure must not leave half of that behind.

use std::sync::Arc;

use serde_json::json;

use super::support::*;
use crate::{Batch, Document, Expect, Store, StoreError, Write};

fn put_write(doc: Document, expect: Expect) -> Write {
    Write::Put { doc, expect }
}

/// A batch failing on its third write (conflict, then duplicate lookup) leaves no
/// document, history entry or delivery behind.
pub async fn failed_batch_leaves_nothing(store: Arc<dyn Store>) {
    let store = &*store;
    let s = scope("moysklad");
    let t = time(2001, 0);
    let e1 = Document::new(s.key("product", "e1"), json!({"n": 1}));
    let e2 = Document::new(s.key("product", "e2"), json!({"n": 2})).with_lookup("code", "L");
    let setup = Batch::new()
        .write(put_write(e1.clone(), Expect::Absent))
        .write(put_write(e2.clone(), Expect::Absent))
        .change(change(&s, "product", "e1", "create", t))
        .delivery(delivery(&s, "setup", t));
    ok(store.apply(setup).await, "setup batch");
    let deliveries_before = delivery_ids(store, &s.account, None).await;
    assert_eq!(
        deliveries_before.len(),
        1,
        "deliveries after the setup batch"
    );
    let pending_before = ok(store.pending_deliveries().await, "pending_deliveries");

    let conflicting = Batch::new()
        .write(put_write(
            Document::new(s.key("product", "a"), json!({})),
            Expect::Absent,
        ))
        .write(put_write(
            Document::new(e1.key.clone(), json!({"n": 10})),
            Expect::Version(1),
        ))
        .write(put_write(
            Document::new(e2.key.clone(), json!({})),
            Expect::Absent,
        ))
        .write(put_write(
            Document::new(s.key("product", "b"), json!({})),
            Expect::Absent,
        ))
        .change(change(&s, "product", "a", "create", t))
        .change(change(&s, "product", "e1", "update", t))
        .delivery(delivery(&s, "a.created", t))
        .delivery(delivery(&s, "e1.updated", t));
    assert_conflict(
        store.apply(conflicting).await,
        &e2.key,
        "batch conflicting on its 3rd write",
    );

    let duplicate = Batch::new()
        .write(put_write(
            Document::new(s.key("product", "c"), json!({})).with_lookup("code", "Z"),
            Expect::Absent,
        ))
        .write(Write::Delete {
            key: e1.key.clone(),
            expect: Expect::Any,
        })
        .write(put_write(
            Document::new(s.key("product", "d"), json!({})).with_lookup("code", "L"),
            Expect::Absent,
        ))
        .change(change(&s, "product", "c", "create", t))
        .delivery(delivery(&s, "c.created", t));
    match err(
        store.apply(duplicate).await,
        "batch with a duplicate lookup in its 3rd write",
    ) {
        StoreError::Duplicate { holder, .. } => assert_eq!(holder, "e2", "duplicate's holder"),
        other => panic!("expected StoreError::Duplicate, got {other:?}"),
    }

    for id in ["a", "b", "c", "d"] {
        let got = ok(store.get(&s.key("product", id)).await, "get");
        assert_eq!(got, None, "document {id} of a failed batch was stored");
    }
    let kept = ok(store.get(&e1.key).await, "get e1").expect("e1 deleted by a failed batch");
    assert_eq!(
        (kept.version, kept.body),
        (1, json!({"n": 1})),
        "e1 changed by a failed batch"
    );
    let kept = ok(store.get(&e2.key).await, "get e2").expect("e2 exists");
    assert_eq!(kept.version, 1, "e2 changed by a failed batch");
    let lookup = ok(
        store.find_by_lookup(&s, "product", "code", "Z").await,
        "find Z",
    );
    assert_eq!(lookup, None, "lookup of a failed batch was kept");
    assert_eq!(
        history_ids(store, &s).await,
        vec![1],
        "history after failed batches"
    );
    assert_eq!(
        delivery_ids(store, &s.account, None).await,
        deliveries_before,
        "deliveries"
    );
    let pending = ok(store.pending_deliveries().await, "pending_deliveries");
    assert_eq!(
        pending, pending_before,
        "pending deliveries after failed batches"
    );

    let next = ok(
        store
            .apply(Batch::new().change(change(&s, "product", "e1", "touch", t)))
            .await,
        "change",
    );
    assert_eq!(
        next.change_ids,
        vec![2],
        "failed batches must not use up history ids"
    );
}

/// A successful batch reports documents, change ids and delivery ids in batch order;
/// writes apply in order, so a batch may create and then update a document.
pub async fn batch_results_come_in_order(store: Arc<dyn Store>) {
    let store = &*store;
    let s = scope("kassa");
    let t = time(2001, 0);
    let empty = ok(store.apply(Batch::new()).await, "empty batch");
    assert!(
        empty.documents.is_empty() && empty.change_ids.is_empty() && empty.delivery_ids.is_empty(),
        "an empty batch produced {empty:?}"
    );

    let batch = Batch::new()
        .write(put_write(
            Document::new(s.key("payment", "a"), json!({"step": 1})),
            Expect::Absent,
        ))
        .write(Write::Delete {
            key: s.key("payment", "missing"),
            expect: Expect::Any,
        })
        .write(put_write(
            Document::new(s.key("payment", "b"), json!({"step": 2})).with_lookup("idem", "k1"),
            Expect::Absent,
        ))
        .write(put_write(
            Document::new(s.key("payment", "a"), json!({"step": 3})),
            Expect::Version(1),
        ))
        .change(change(&s, "payment", "a", "create", t))
        .change(change(&s, "payment", "b", "create", t))
        .change(change(&s, "payment", "a", "update", t))
        .delivery(delivery(&s, "first", t))
        .delivery(delivery(&s, "second", t));
    let applied = ok(store.apply(batch).await, "batch");
    let summary: Vec<Option<(String, i64, serde_json::Value)>> = applied
        .documents
        .iter()
        .map(|d| {
            d.as_ref()
                .map(|d| (d.key.id.clone(), d.version, d.body.clone()))
        })
        .collect();
    let expected = vec![
        Some(("a".to_owned(), 1, json!({"step": 1}))),
        None,
        Some(("b".to_owned(), 1, json!({"step": 2}))),
        Some(("a".to_owned(), 2, json!({"step": 3}))),
    ];
    assert_eq!(summary, expected, "Applied::documents");
    let b = applied.documents[2].as_ref().expect("b stored");
    assert_eq!(
        b.lookups.get("idem").map(String::as_str),
        Some("k1"),
        "b's lookups"
    );
    assert_eq!(applied.change_ids, vec![1, 2, 3], "Applied::change_ids");

    let history = ok(
        store.history(&crate::HistoryQuery::new(s.clone())).await,
        "history",
    );
    let entries: Vec<(i64, String, String)> = history
        .items
        .iter()
        .map(|c| (c.id, c.entity_id.clone(), c.action.clone()))
        .collect();
    let want = [(1, "a", "create"), (2, "b", "create"), (3, "a", "update")]
        .map(|(id, e, a)| (id, e.to_owned(), a.to_owned()));
    assert_eq!(entries, want.to_vec(), "history written by the batch");

    assert_eq!(applied.delivery_ids.len(), 2, "Applied::delivery_ids");
    assert!(
        applied.delivery_ids[0] < applied.delivery_ids[1],
        "delivery ids must grow in batch order"
    );
    for (id, event) in applied.delivery_ids.iter().zip(["first", "second"]) {
        let found = ok(store.get_delivery(*id).await, "get_delivery").expect("delivery exists");
        assert_eq!(
            found.event, event,
            "delivery {id} is not the batch's {event}"
        );
    }
    let current = ok(store.get(&s.key("payment", "a")).await, "get a").expect("a exists");
    assert_eq!(
        (current.version, current.body),
        (2, json!({"step": 3})),
        "a after the batch"
    );
}

/// A mass write: 250 new documents with their 250 history entries commit together, in
/// order, with consecutive history ids; the same batch with one key already taken (in
/// its middle) commits nothing and names that key.
pub async fn large_batches_are_whole(store: Arc<dyn Store>) {
    let store = &*store;
    let s = scope("moysklad");
    let t = time(2001, 0);
    let batch_of = |prefix: &str| {
        (0..250).fold(Batch::new(), |batch, n| {
            let id = format!("{prefix}{n}");
            batch
                .write(put_write(
                    Document::new(s.key("product", &id), json!({ "n": n })),
                    Expect::Absent,
                ))
                .change(change(&s, "product", &id, "create", t))
        })
    };
    let applied = ok(store.apply(batch_of("a")).await, "250 new documents");
    assert_eq!(
        applied.change_ids,
        (1..=250).collect::<Vec<i64>>(),
        "history ids"
    );
    let versions: Vec<i64> = applied
        .documents
        .iter()
        .map(|doc| doc.as_ref().map_or(0, |doc| doc.version))
        .collect();
    assert_eq!(versions, vec![1; 250], "stored versions");
    let page = ok(
        store
            .list(&query(&s, "product").page(crate::PageRequest::Offset {
                offset: 0,
                limit: 1000,
            }))
            .await,
        "list",
    );
    let expected: Vec<String> = (0..250).map(|n| format!("a{n}")).collect();
    assert_eq!(ids(&page), expected, "documents in insertion order");
    let taken = s.key("product", "b130");
    create(store, taken.clone(), json!({ "first": true })).await;
    assert_conflict(
        store.apply(batch_of("b")).await,
        &taken,
        "a taken key mid-batch",
    );
    assert_eq!(
        history_ids(store, &s).await.len(),
        250,
        "no history of the failed batch"
    );
    let stored = ok(store.get(&taken).await, "get").expect("the taken key stays");
    assert_eq!(
        stored.body,
        json!({ "first": true }),
        "the taken key keeps its body"
    );
    assert!(
        ok(store.get(&s.key("product", "b0")).await, "get").is_none(),
        "no document of the failed batch"
    );
}
