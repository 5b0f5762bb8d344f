//! The change history behind RetailCRM's `/history` polling: ids 1, 2, 3… per
//! `(account, dialect)` in commit order, so `since_id` never skips or repeats an entry.

use std::collections::BTreeMap;
use std::sync::Arc;

use chrono::{DateTime, Utc};
use serde_json::json;

use super::support::*;
use crate::{Batch, Change, Document, Expect, HistoryQuery, NewChange, Scope, Store, Write};

fn at(i: i64) -> DateTime<Utc> {
    time(2001, i * 10)
}

fn stored(id: i64, new: &NewChange) -> Change {
    Change {
        id,
        scope: new.scope.clone(),
        kind: new.kind.clone(),
        entity_id: new.entity_id.clone(),
        action: new.action.clone(),
        at: new.at,
        data: new.data.clone(),
    }
}

async fn query_ids(store: &dyn Store, q: HistoryQuery) -> (Vec<i64>, Option<u64>) {
    let page = ok(store.history(&q).await, &format!("history {q:?}"));
    (page.items.iter().map(|c| c.id).collect(), page.total)
}

/// Ids, full entries and every query option.
pub async fn history_ids_and_queries(store: Arc<dyn Store>) {
    let store = &*store;
    let s = scope("retailcrm");
    let other = Scope::new(s.account.clone(), "kassa");
    let mut c5 = change(&s, "customer", "c1", "update", at(5));
    c5.data = json!({"before": {"status": "new"}, "after": {"status": "доставлен"}, "n": 1.5});
    let first = [
        change(&s, "product", "p1", "create", at(1)),
        change(&s, "customer", "c1", "create", at(2)),
    ];
    let second = [
        change(&s, "product", "p1", "update", at(3)),
        change(&s, "product", "p2", "create", at(4)),
        c5,
    ];
    let batch = |changes: &[NewChange]| changes.iter().cloned().fold(Batch::new(), Batch::change);
    let applied = ok(store.apply(batch(&first)).await, "first batch");
    assert_eq!(applied.change_ids, vec![1, 2], "ids of the first batch");
    let applied = ok(
        store
            .apply(batch(&[change(&other, "payment", "x", "create", at(2))]))
            .await,
        "other",
    );
    assert_eq!(
        applied.change_ids,
        vec![1],
        "ids in another dialect of the account"
    );
    let applied = ok(store.apply(batch(&second)).await, "second batch");
    assert_eq!(applied.change_ids, vec![3, 4, 5], "ids of the second batch");

    let all = ok(
        store.history(&HistoryQuery::new(s.clone())).await,
        "history",
    );
    let expected: Vec<Change> = first
        .iter()
        .chain(&second)
        .zip(1..)
        .map(|(c, id)| stored(id, c))
        .collect();
    assert_eq!(all.items, expected, "the stored history entries");
    assert_eq!(all.total, Some(5), "history total");

    let q = || HistoryQuery::new(s.clone());
    let with = |f: &dyn Fn(&mut HistoryQuery)| {
        let mut query = q();
        f(&mut query);
        query
    };
    let cases: Vec<(HistoryQuery, Vec<i64>, u64)> = vec![
        (with(&|q| q.since_id = Some(2)), vec![3, 4, 5], 3),
        (with(&|q| q.since_id = Some(5)), vec![], 0),
        (with(&|q| q.kind = Some("product".into())), vec![1, 3, 4], 3),
        (with(&|q| q.entity_id = Some("p1".into())), vec![1, 3], 2),
        (
            with(&|q| {
                q.kind = Some("customer".into());
                q.entity_id = Some("c1".into());
            }),
            vec![2, 5],
            2,
        ),
        (
            with(&|q| {
                q.from = Some(at(2));
                q.to = Some(at(4));
            }),
            vec![2, 3, 4],
            3,
        ),
        (with(&|q| q.from = Some(at(4))), vec![4, 5], 2),
        (with(&|q| q.to = Some(at(1))), vec![1], 1),
        (
            with(&|q| {
                q.offset = 1;
                q.limit = 2;
            }),
            vec![2, 3],
            5,
        ),
        (
            with(&|q| {
                q.offset = 4;
                q.limit = 10;
            }),
            vec![5],
            5,
        ),
        (
            with(&|q| {
                q.kind = Some("product".into());
                q.offset = 1;
                q.limit = 1;
            }),
            vec![3],
            3,
        ),
        (
            with(&|q| {
                q.since_id = Some(1);
                q.kind = Some("product".into());
                q.limit = 1;
            }),
            vec![3],
            2,
        ),
    ];
    for (query, ids, total) in cases {
        let what = format!("history {query:?}");
        assert_eq!(query_ids(store, query).await, (ids, Some(total)), "{what}");
    }
}

/// Concurrent batches get distinct, gap-free ids, each entry under the id its batch
/// was told.
pub async fn concurrent_history_ids(store: Arc<dyn Store>) {
    let s = scope("retailcrm");
    let handles = (0..8)
        .map(|task| {
            let (store, s) = (store.clone(), s.clone());
            tokio::spawn(async move {
                let mut given = Vec::new();
                for i in 0..10 {
                    let entity = format!("t{task}-{i}");
                    let doc = Document::new(s.key("order", &entity), json!({"task": task}));
                    let batch = Batch::new()
                        .write(Write::Put {
                            doc,
                            expect: Expect::Absent,
                        })
                        .change(change(&s, "order", &entity, "create", at(i)));
                    let applied = ok(store.apply(batch).await, "concurrent batch");
                    assert_eq!(applied.change_ids.len(), 1, "one change, one id");
                    given.push((applied.change_ids[0], entity));
                }
                given
            })
        })
        .collect();
    let given: BTreeMap<i64, String> = join_all(handles).await.into_iter().flatten().collect();
    assert_eq!(
        given.keys().copied().collect::<Vec<_>>(),
        (1..=80).collect::<Vec<_>>(),
        "ids given"
    );
    let mut q = HistoryQuery::new(s.clone());
    q.limit = 1000;
    let page = ok(store.history(&q).await, "history");
    let listed: BTreeMap<i64, String> = page
        .items
        .iter()
        .map(|c| (c.id, c.entity_id.clone()))
        .collect();
    assert_eq!(
        listed, given,
        "history entries must sit under the ids their batches got"
    );
    let order: Vec<i64> = page.items.iter().map(|c| c.id).collect();
    assert_eq!(
        order,
        (1..=80).collect::<Vec<_>>(),
        "history must list in ascending id order"
    );
}
