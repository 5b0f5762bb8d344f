//! Optimistic locking under real contention: lost updates and double creates are what
//! `Expect` exists to prevent.

use std::sync::Arc;

use serde_json::json;
use tokio::sync::Barrier;

use super::support::*;
use crate::{Document, Expect, Store, StoreError};

/// 8 tasks × 25 read-modify-write increments, retried on conflict, lose nothing.
pub async fn concurrent_increments(store: Arc<dyn Store>) {
    let s = scope("moysklad");
    let key = s.key("counter", "c");
    create(&*store, key.clone(), json!({"n": 0})).await;
    let barrier = Arc::new(Barrier::new(8));
    let handles = (0..8)
        .map(|_| {
            let (store, key, barrier) = (store.clone(), key.clone(), barrier.clone());
            tokio::spawn(async move {
                barrier.wait().await;
                let mut conflicts = 0u32;
                for _ in 0..25 {
                    loop {
                        let current =
                            ok(store.get(&key).await, "get counter").expect("counter exists");
                        let n = current.body["n"].as_i64().expect("n is an integer");
                        let next = Document::new(key.clone(), json!({"n": n + 1}));
                        match put(&*store, next, Expect::Version(current.version)).await {
                            Ok(_) => break,
                            Err(StoreError::Conflict(_)) => conflicts += 1,
                            Err(other) => panic!("increment failed: {other:?}"),
                        }
                        assert!(conflicts < 100_000, "increments never get through");
                    }
                }
                conflicts
            })
        })
        .collect();
    let conflicts: u32 = join_all(handles).await.into_iter().sum();
    let last = ok(store.get(&key).await, "get counter").expect("counter exists");
    assert_eq!(
        (last.body["n"].clone(), last.version),
        (json!(200), 201),
        "counter after 200 increments"
    );
    eprintln!("concurrent_increments: 200 increments with {conflicts} conflicts retried");
}

/// Of 16 simultaneous creates of one key, exactly one wins; of 16 creates of different
/// keys with one lookup value, exactly one wins and the others name it.
pub async fn concurrent_creates(store: Arc<dyn Store>) {
    let s = scope("retailcrm");
    let barrier = Arc::new(Barrier::new(16));
    let handles = (0..16)
        .map(|i| {
            let (store, s, barrier) = (store.clone(), s.clone(), barrier.clone());
            tokio::spawn(async move {
                barrier.wait().await;
                let doc = Document::new(s.key("order", "same"), json!({"winner": i}));
                (i, put(&*store, doc, Expect::Absent).await)
            })
        })
        .collect();
    let results = join_all(handles).await;
    let mut winners = Vec::new();
    for (i, result) in results {
        match result {
            Ok(doc) => winners.push((i, doc.version)),
            Err(StoreError::Conflict(_)) => {}
            Err(other) => panic!("create {i}: expected success or Conflict, got {other:?}"),
        }
    }
    assert_eq!(
        winners.len(),
        1,
        "creates of one key that succeeded: {winners:?}"
    );
    let stored =
        ok(store.get(&s.key("order", "same")).await, "get").expect("the winner's document");
    assert_eq!(
        (stored.body, stored.version),
        (json!({"winner": winners[0].0}), 1),
        "stored document"
    );

    let barrier = Arc::new(Barrier::new(16));
    let handles = (0..16)
        .map(|i| {
            let (store, s, barrier) = (store.clone(), s.clone(), barrier.clone());
            tokio::spawn(async move {
                barrier.wait().await;
                let doc = Document::new(s.key("customer", format!("c{i}")), json!({}))
                    .with_lookup("email", "a@b.c");
                (format!("c{i}"), put(&*store, doc, Expect::Absent).await)
            })
        })
        .collect();
    let results = join_all(handles).await;
    let winners: Vec<&String> = results
        .iter()
        .filter(|(_, r)| r.is_ok())
        .map(|(id, _)| id)
        .collect();
    assert_eq!(
        winners.len(),
        1,
        "creates with one lookup value that succeeded: {winners:?}"
    );
    let winner = winners[0].clone();
    for (id, result) in &results {
        match result {
            Ok(_) => {}
            Err(StoreError::Duplicate { holder, .. }) => {
                assert_eq!(holder, &winner, "holder named to {id}")
            }
            Err(other) => panic!("create {id}: expected success or Duplicate, got {other:?}"),
        }
    }
    let found = ok(
        store.find_by_lookup(&s, "customer", "email", "a@b.c").await,
        "find",
    );
    assert_eq!(found.map(|d| d.key.id), Some(winner), "lookup holder");
    let page = ok(store.list(&query(&s, "customer")).await, "list");
    assert_eq!(page.total, Some(1), "customers stored by racing creates");
}

/// A batch lands as a whole for readers too: while batches write `a` and then `b` with the
/// same number, a reader that reads `b` after `a` never finds `b` older than `a`.
pub async fn readers_never_mix_commits(store: Arc<dyn Store>) {
    let s = scope("kassa");
    let (a, b) = (s.key("pair", "a"), s.key("pair", "b"));
    for key in [&a, &b] {
        create(&*store, key.clone(), json!({"n": 0})).await;
    }
    let writer = {
        let (store, a, b) = (store.clone(), a.clone(), b.clone());
        tokio::spawn(async move {
            for n in 1..=150 {
                let batch = crate::Batch::new()
                    .write(crate::Write::Put {
                        doc: Document::new(a.clone(), json!({"n": n})),
                        expect: Expect::Any,
                    })
                    .write(crate::Write::Put {
                        doc: Document::new(b.clone(), json!({"n": n})),
                        expect: Expect::Any,
                    });
                ok(store.apply(batch).await, "write the pair");
            }
        })
    };
    let readers = (0..3)
        .map(|_| {
            let (store, a, b) = (store.clone(), a.clone(), b.clone());
            tokio::spawn(async move {
                let mut reads = 0;
                loop {
                    let n = |doc: Option<Document>| doc.expect("pair exists").body["n"].clone();
                    let first = n(ok(store.get(&a).await, "get a")).as_i64().unwrap_or(0);
                    let second = n(ok(store.get(&b).await, "get b")).as_i64().unwrap_or(0);
                    assert!(
                        second >= first,
                        "read b = {second} after a = {first}: a commit was seen half"
                    );
                    reads += 1;
                    if first == 150 {
                        return reads;
                    }
                    // Reads a backend answers from memory never wait: let the writer run.
                    tokio::task::yield_now().await;
                }
            })
        })
        .collect();
    ok(
        writer
            .await
            .map_err(|e| crate::StoreError::Backend(e.to_string())),
        "writer",
    );
    let reads: u32 = join_all(readers).await.into_iter().sum();
    eprintln!("readers_never_mix_commits: {reads} paired reads");
}
