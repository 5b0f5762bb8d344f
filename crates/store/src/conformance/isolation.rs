//! One `(account, dialect)` never sees another's data: tests of one account run beside
//! others on the same server, and an account's four vendors are separate data sets.

use std::sync::Arc;

use serde_json::json;

use super::support::*;
use crate::{Batch, Document, Expect, Scope, Store, Write};

async fn seed(
    store: &dyn Store,
    s: &Scope,
    ids: &[&str],
    code: &str,
    changes: usize,
    bumps: usize,
) {
    let mut batch = Batch::new();
    for id in ids {
        let body = json!({"owner": format!("{}/{}", s.account, s.dialect), "id": id});
        let doc =
            Document::new(s.key("product", *id), body).with_lookup("code", format!("{code}-{id}"));
        batch = batch.write(Write::Put {
            doc,
            expect: Expect::Absent,
        });
    }
    for i in 0..changes {
        batch = batch.change(change(
            s,
            "product",
            ids[i % ids.len()],
            "create",
            time(2001, i as i64),
        ));
    }
    ok(store.apply(batch).await, &format!("seed {s:?}"));
    for _ in 0..bumps {
        ok(store.next_sequence(s, "order").await, "next_sequence");
    }
}

async fn list_owners(store: &dyn Store, s: &Scope, kind: &str) -> (Vec<String>, Option<u64>) {
    let page = ok(store.list(&query(s, kind)).await, "list");
    let owners = page
        .items
        .iter()
        .map(|d| format!("{}:{}", d.key.id, d.body["owner"].as_str().unwrap_or("?")))
        .collect();
    (owners, page.total)
}

/// Lists, gets, lookups, history and sequences stay within their scope.
pub async fn scopes_are_isolated(store: Arc<dyn Store>) {
    let store = &*store;
    let a = scope("moysklad");
    let b = Scope::new(a.account.clone(), "retailcrm");
    let c = Scope::new(unique("acct"), "moysklad");
    seed(store, &a, &["p1", "p2"], "X", 2, 3).await;
    seed(store, &b, &["p1"], "Y", 1, 1).await;
    let owner = |s: &Scope| format!("{}/{}", s.account, s.dialect);

    let wanted_a = vec![format!("p1:{}", owner(&a)), format!("p2:{}", owner(&a))];
    assert_eq!(
        list_owners(store, &a, "product").await,
        (wanted_a, Some(2)),
        "list of A"
    );
    let wanted_b = vec![format!("p1:{}", owner(&b))];
    assert_eq!(
        list_owners(store, &b, "product").await,
        (wanted_b, Some(1)),
        "list of B"
    );
    assert_eq!(
        list_owners(store, &c, "product").await,
        (vec![], Some(0)),
        "list of C"
    );
    assert_eq!(
        list_owners(store, &a, "customer").await,
        (vec![], Some(0)),
        "other kind of A"
    );

    assert_eq!(
        ok(store.get(&c.key("product", "p1")).await, "get"),
        None,
        "C sees A's p1"
    );
    assert_eq!(
        ok(store.get(&b.key("product", "p2")).await, "get"),
        None,
        "B sees A's p2"
    );
    let b_p1 = ok(store.get(&b.key("product", "p1")).await, "get").expect("B's p1");
    assert_eq!(
        b_p1.body["owner"],
        json!(owner(&b)),
        "get of B's p1 returned another's"
    );

    for (s, value, expected) in [
        (&a, "X-p1", Some("p1")),
        (&b, "X-p1", None),
        (&c, "X-p1", None),
        (&a, "Y-p1", None),
        (&b, "Y-p1", Some("p1")),
    ] {
        let found = ok(
            store.find_by_lookup(s, "product", "code", value).await,
            "find",
        );
        let found = found.map(|d| (d.key.scope.clone(), d.key.id.clone()));
        let expected = expected.map(|id| (s.clone(), id.to_owned()));
        assert_eq!(found, expected, "find_by_lookup code={value} in {s:?}");
    }

    assert_eq!(history_ids(store, &a).await, vec![1, 2], "history of A");
    assert_eq!(history_ids(store, &b).await, vec![1], "history of B");
    assert_eq!(
        history_ids(store, &c).await,
        Vec::<i64>::new(),
        "history of C"
    );
    let b_history = ok(
        store.history(&crate::HistoryQuery::new(b.clone())).await,
        "history",
    );
    assert!(
        b_history.items.iter().all(|ch| ch.scope == b),
        "B's history holds another scope's"
    );

    assert_eq!(
        ok(store.next_sequence(&c, "order").await, "seq"),
        1,
        "C's sequence"
    );
    assert_eq!(
        ok(store.next_sequence(&b, "order").await, "seq"),
        2,
        "B's sequence"
    );
    assert_eq!(
        ok(store.next_sequence(&a, "order").await, "seq"),
        4,
        "A's sequence"
    );

    // Same keys and lookup values in another scope neither conflict nor interfere.
    let c_p1 = Document::new(c.key("product", "p1"), json!({"owner": owner(&c)}))
        .with_lookup("code", "X-p1");
    ok(
        put(store, c_p1, Expect::Absent).await,
        "create C's p1 with A's key and lookup",
    );
    ok(
        delete(store, &b.key("product", "p1"), Expect::Version(1)).await,
        "delete B's p1",
    );
    let a_p1 = ok(store.get(&a.key("product", "p1")).await, "get").expect("A's p1 survives");
    assert_eq!(
        (a_p1.version, a_p1.body["owner"].clone()),
        (1, json!(owner(&a))),
        "A's p1"
    );
    let found = ok(
        store.find_by_lookup(&a, "product", "code", "X-p1").await,
        "find",
    );
    assert_eq!(
        found.map(|d| d.key),
        Some(a.key("product", "p1")),
        "A's lookup after C's put"
    );
}
