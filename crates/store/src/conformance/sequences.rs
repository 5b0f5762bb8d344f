//! Per-scope counters (integer ids, document numbers): start at 1, never repeat, also
//! under concurrent callers.

use std::collections::BTreeSet;
use std::sync::Arc;

use super::support::*;
use crate::{Batch, Scope, Store};

async fn next(store: &dyn Store, s: &Scope, name: &str) -> i64 {
    ok(
        store.next_sequence(s, name).await,
        &format!("next_sequence {name}"),
    )
}

/// Each (scope, name) counts on its own, from 1, by one; user sequences leave history
/// ids alone.
pub async fn sequences_count_per_scope(store: Arc<dyn Store>) {
    let store = &*store;
    let s = scope("retailcrm");
    let same_account = Scope::new(s.account.clone(), "salesdoc");
    let other_account = scope("retailcrm");
    let got = [
        next(store, &s, "order").await,
        next(store, &s, "order").await,
        next(store, &s, "order").await,
        next(store, &s, "invoice").await,
        next(store, &same_account, "order").await,
        next(store, &other_account, "order").await,
        next(store, &s, "order").await,
        next(store, &s, "invoice").await,
        next(store, &s, "history").await,
    ];
    assert_eq!(
        got,
        [1, 2, 3, 1, 1, 1, 4, 2, 1],
        "sequence values in call order"
    );
    let t = time(2001, 0);
    let applied = ok(
        store
            .apply(Batch::new().change(change(&s, "order", "1", "create", t)))
            .await,
        "change",
    );
    assert_eq!(
        applied.change_ids,
        vec![1],
        "the first history id after user sequences"
    );
    assert_eq!(
        next(store, &s, "order").await,
        5,
        "order after a history change"
    );
}

/// 8 tasks × 50 calls get exactly 1..=400.
pub async fn concurrent_sequences(store: Arc<dyn Store>) {
    let s = scope("moysklad");
    let handles = (0..8)
        .map(|_| {
            let (store, s) = (store.clone(), s.clone());
            tokio::spawn(async move {
                let mut got = Vec::with_capacity(50);
                for _ in 0..50 {
                    got.push(next(&*store, &s, "number").await);
                }
                got
            })
        })
        .collect();
    let per_task = join_all(handles).await;
    for got in &per_task {
        assert!(
            got.windows(2).all(|w| w[0] < w[1]),
            "one task's values must grow: {got:?}"
        );
    }
    let mut all: Vec<i64> = per_task.into_iter().flatten().collect();
    all.sort_unstable();
    let distinct: BTreeSet<i64> = all.iter().copied().collect();
    assert_eq!(
        distinct.len(),
        all.len(),
        "a sequence value was issued twice"
    );
    assert_eq!(
        all,
        (1..=400).collect::<Vec<_>>(),
        "values of 400 concurrent calls"
    );
}

/// Reserved blocks are consecutive and share the counter with single values; 4 tasks
/// reserving blocks of 25 get disjoint blocks covering 1..=1000.
pub async fn reserved_blocks(store: Arc<dyn Store>) {
    let s = scope("moysklad");
    let reserve = |store: Arc<dyn Store>, s: Scope, count: u32| async move {
        ok(
            store.reserve_sequence(&s, "ids", count).await,
            "reserve_sequence",
        )
    };
    assert_eq!(reserve(store.clone(), s.clone(), 3).await, 1, "first block");
    assert_eq!(next(&*store, &s, "ids").await, 4, "after a block of 3");
    assert_eq!(
        reserve(store.clone(), s.clone(), 250).await,
        5,
        "second block"
    );
    assert_eq!(next(&*store, &s, "ids").await, 255, "after a block of 250");
    let other = scope("moysklad");
    let handles = (0..4)
        .map(|_| {
            let (store, other) = (store.clone(), other.clone());
            tokio::spawn(async move {
                let mut firsts = Vec::new();
                for _ in 0..10 {
                    firsts.push(reserve(store.clone(), other.clone(), 25).await);
                }
                firsts
            })
        })
        .collect();
    let mut values: Vec<i64> = join_all(handles)
        .await
        .into_iter()
        .flatten()
        .flat_map(|first| first..first + 25)
        .collect();
    values.sort_unstable();
    assert_eq!(
        values,
        (1..=1000).collect::<Vec<_>>(),
        "blocks of concurrent callers"
    );
}
